"""Numbers a narrow cell wraps, cells a walker repeats, and a table reader's failure.

A PDF's narrow column wraps a number inside its cell ("６２" prints "６" on the row's line and "２"
below it), and a text dump keeps the pieces apart: a reader must join them only with proof (the
row then adds up) and otherwise leave the row null, never take a piece for the number.  The
goldens tests/fixtures/text/wrapped_numbers_* and merged_repeats_* are whole real dumps of these
shapes; the rows here are the shapes in a few lines each, as the dump tools print them.
"""

from __future__ import annotations

import pytest

import parsers.textparse as textparse
from parsers import parse_text
from parsers.tables import parse_table3
from tests.test_parse_seeds import FIXTURES

HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况",
          "自然人", "法人或其他组织", "商业企业 科研机构 社会公益组织 法律服务机构 其他", "总计"]
CLOSING = ["二、上年结转政府信息公开申请数量 2 0 1 1 0 1 5",
           "（一）予以公开 6 1 1 5 4 0 17",
           "（二）部分公开（区分处理的，只计这一情形，不计其他情形） 1 0 0 0 1 0 2",
           "（七）总计 30 3 12 16 12 4 77",
           "四、结转下年度继续办理 2 0 0 0 0 0 2"]


def values(t3, row: str) -> list:
    return [c.value if c is not None else None for c in t3.rows[row]]


def test_a_total_wrapped_below_its_row_is_read_whole():
    """pdftotext (default) of a chromium PDF with full-width digits: the 总计 cell's last digit
    under the row's line."""
    t3 = parse_table3([*HEADER, "一、本年新收政府信息公开申请数量", "２３ ３ １１ １１ １１ ３ ６", "２", *CLOSING])
    assert values(t3, "new_received") == [23, 3, 11, 11, 11, 3, 62]


def test_a_tab_separated_row_with_its_total_wrapped_below():
    """A tab-separated dump whose 总计 cell held a line break: "4" on the row's line, "8" alone below.
    The one reading that adds up is 48 (the row as printed does not); a lone number under a row
    that adds up as printed (a page number) stays outside it."""
    t3 = parse_table3([*HEADER, "一、本年新收政府信息公开申请数量\t23\t3\t11\t11\t11\t3\t6", "2", *CLOSING])
    assert values(t3, "new_received") == [23, 3, 11, 11, 11, 3, 62]
    t3 = parse_table3([*HEADER, "一、本年新收政府信息公开申请数量\t23\t3\t11\t11\t11\t3\t62", "8", *CLOSING])
    assert values(t3, "new_received") == [23, 3, 11, 11, 11, 3, 62]


def test_tails_of_two_cells_on_one_line_below():
    """pdftotext -layout: two cells wrap, their tails share the line below the row."""
    t3 = parse_table3([*HEADER, "一、本年新收政府信息公开申请数量         １３ ２ ５      ５    ０ ０ １４",
                       "                                     ６                     ８", *CLOSING])
    assert values(t3, "new_received") == [136, 2, 5, 5, 0, 0, 148]


def test_a_head_above_the_label_and_its_tail_below():
    """pdftotext default: a cell's first digit printed before the next row's label, the rest of
    the row one number per line."""
    lines = [*HEADER, "一、本年新收政府信息公开申请数量 6 0 2 2 0 2 12", *CLOSING[:3], "１", "1.本机关不掌握相关政府信息",
             "６", "０", "２", "２", "０", "２", "２", *CLOSING[3:]]
    t3 = parse_table3(lines)
    assert values(t3, "unavailable_not_held") == [6, 0, 2, 2, 0, 2, 12]


def test_a_thousands_total_cut_over_the_label_line():
    """pdfplumber of a LibreOffice PDF: "2,470" printed "2,47" above the row's line and "0" below."""
    t3 = parse_table3([*HEADER, "2,47", "一、本年新收政府信息公开申请数量 2,463 0 3 3 1 0", "0", *CLOSING])
    assert values(t3, "new_received") == [2463, 0, 3, 3, 1, 0, 2470]


def test_a_cut_total_that_no_join_proves_is_never_the_tail():
    """The same cut where the joined total does not add up either (the report's own slip): the
    lone "0" below is no 总计, so the total is not read as 0."""
    t3 = parse_table3([*HEADER, "2,47", "一、本年新收政府信息公开申请数量 2,463 0 3 3 1 1", "0", *CLOSING])
    assert t3.rows["new_received"][-1] is None


def test_pieces_that_fit_two_cells_alike_leave_the_row_null():
    """A tail that makes the row add up in either of two cells: no number is put in a column."""
    t3 = parse_table3([*HEADER, "一、本年新收政府信息公开申请数量", "5 5 0 0 2 4 6", "0", *CLOSING])
    assert values(t3, "new_received") == [None] * 7
    assert any("wrapped" in w and "not placed" in w for w in t3.warnings)


def test_a_row_that_adds_up_keeps_its_numbers_beside_a_stray_digit():
    t3 = parse_table3([*HEADER, "一、本年新收政府信息公开申请数量 23 3 11 11 11 3 62", "7", *CLOSING])
    assert values(t3, "new_received") == [23, 3, 11, 11, 11, 3, 62]


def test_a_run_of_numbers_with_no_label_line_is_no_crash():
    """pdftotext put a row's numbers one per line with its label printed elsewhere (c09 of the
    dump16 exam: IndexError, the whole report lost)."""
    t3 = parse_table3(["0", "0", "1", "5", "0", "0", "33", "0", "0"])
    assert t3 is not None


def test_a_table_readers_failure_is_a_finding_and_the_rest_stays(monkeypatch: pytest.MonkeyPatch):
    """Fault injected: no dump is known to break a reader now, but when one does the report's
    other tables, metadata and narrative must stay, and the failed table be said unread."""
    text = (FIXTURES / "text" / "clean_tabs_2021.txt").read_text(encoding="utf-8")
    whole = parse_text(text)

    def broken(*_args, **_kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(textparse, "parse_table4", broken)
    result = parse_text(text)
    assert result.record["reviews_litigation"] is None
    assert result.record["applications"] == whole.record["applications"]
    assert result.record["agency"] == whole.record["agency"]
    failed = [f for f in result.findings if f["code"] == "reader_failed"]
    assert failed and failed[0]["cells"] == ["reviews_litigation"] and "IndexError" in failed[0]["message"]
