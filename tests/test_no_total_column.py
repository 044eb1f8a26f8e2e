"""Table 3 printed without a 总计 column: each number under the header's name, 总计 null.

The w20 golden fixtures (realworld/make_w20.py) hold whole reports as HTML, XLSX and XLS; these
tests take the HTML one's extracted text and change it the ways offices' tables differ.  What a
reader checks: 自然人 … 其他 hold the numbers printed under those names, 总计 is null (never the
number printed under 其他, never a blank note's 0), and the record says why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parsers
from parsers.extract import extract_text

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
HTML = REALWORLD / "w20_01_ningxiang_yutan_2023_table3_no_total_column.html"
SIX = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")


@pytest.fixture(scope="module")
def page_text() -> str:
    return extract_text(HTML.read_bytes())[0]


@pytest.fixture(scope="module")
def printed() -> dict:
    return json.loads(HTML.with_name(HTML.stem + ".expected.json").read_text(encoding="utf-8"))["applications"]


def _table3_lines(text: str) -> list[int]:
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
    end = next(i for i, ln in enumerate(lines) if i > start and ln.startswith("四、政府信息公开"))
    return [i for i in range(start + 1, end) if "\t" in lines[i]]


def _read_right(apps: dict, printed: dict) -> None:
    for row, cells in printed.items():
        assert [apps[row][c] for c in SIX] == [cells[c] for c in SIX], row
        assert apps[row]["total"] is None, row


def test_six_numbers_read_under_the_six_names_and_total_null(page_text, printed):
    result = parsers.parse_text(page_text)
    _read_right(result.record["applications"], printed)
    assert not [f for f in result.findings if f["code"] != "inferred"]
    assert any("no 总计 column" in w for w in result.meta["warnings"])
    totals = [c for c in result.cells if c["table"] == "applications" and c["col"] == "total"]
    assert totals and all(c["value"] is None and c["raw"] == "" for c in totals)


def test_an_empty_column_drawn_after_the_six_changes_nothing(page_text, printed):
    """A table drawn one column wider than its header names (an empty column after 其他): still
    the six under their names, and the empty column is no 总计."""
    lines = page_text.split("\n")
    for i in _table3_lines(page_text):
        lines[i] += "\t"
    result = parsers.parse_text("\n".join(lines))
    _read_right(result.record["applications"], printed)
