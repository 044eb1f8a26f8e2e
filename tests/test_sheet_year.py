"""The year a workbook's sheet names give, for a report whose text prints none (parsers/sheetnames.py).
The golden fixtures are f18_07 (names agree: 2021) and f18_08 (they disagree: null)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

import parsers
from parsers.cli import _run
from parsers.sheetnames import year

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
F18_07 = REALWORLD / "f18_07_nanchang_qingshanhu_2021_xlsx_year_in_sheet_names.xlsx"


def _retitled(title: str) -> bytes:
    wb = openpyxl.load_workbook(F18_07)
    wb.worksheets[0].cell(1, 1, title)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_agreeing_sheet_names_give_the_year_and_say_so():
    result = parsers.parse_bytes(F18_07.read_bytes(), "统计表.xlsx")
    assert result.record["year"] == 2021
    assert any("2021年表二" in w and "sheet" in w for w in result.meta["warnings"])


def test_the_texts_own_year_comes_first():
    data = _retitled("南昌市青山湖区人民政府2022年政府信息公开工作年度报告统计表")
    result = parsers.parse_bytes(data, "统计表.xlsx")
    assert result.record["year"] == 2022
    assert not any("sheet" in w for w in result.meta["warnings"])


def test_names_that_disagree_or_name_no_year_give_none():
    assert year(["2021年表二", "2020年表三"]) is None
    assert year(["表二", "Sheet2"]) is None
    assert year(["2021年表二", "表三"]) == 2021  # a sheet naming no year says nothing against it


def test_the_text_shows_the_names_but_not_the_extractors_line():
    class Args:
        text, all = True, False

    out = _run(Args(), F18_07.read_bytes(), F18_07.name)
    assert "\x00" not in out and "[sheets: 2021年表二、2021年表三、2021年表四]" in out
