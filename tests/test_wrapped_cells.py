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


NEW = "一、本年新收政府信息公开申请数量"
TABBED_CLOSING = [s.replace(" ", "\t") if s[0] != "（" else s.split(" ", 1)[0] + "\t" + s.split(" ", 1)[1].replace(" ", "\t")
                  for s in CLOSING]


def tabbed(*cells: str) -> str:
    return "\t".join(cells)


def test_a_tab_separated_row_whose_cells_broke_keeps_the_pieces_under_their_columns():
    """Two cells held a line break: their second lines print at the cells' own tab positions
    (40 under 4, 48's 8 under the 4 of 总计).  Joined by position the row adds up; as printed it
    does not.  (Golden: tests/fixtures/text/tabbed_cells_broken_two_digits_2024.)"""
    t3 = parse_table3([*HEADER, tabbed(NEW, "4", "5", "0", "0", "1", "2", "4"), tabbed("0", "", "", "", "", "", "8"),
                       *TABBED_CLOSING])
    assert values(t3, "new_received") == [40, 5, 0, 0, 1, 2, 48]


def test_wide_numbers_broken_one_digit_per_tabbed_line_are_joined_column_by_column():
    """Six-digit numbers one digit per line, each line a full tabbed row of digits, the total's
    seventh digit alone below (it lost its tab position: it is placed only where it completes
    the sum).  (Golden: tests/fixtures/text/tabbed_cells_broken_six_digits_2024.)"""
    nums = ["123456", "234567", "345678", "111111", "222222", "333333", "1370367"]
    lines = [tabbed(NEW, *(n[0] for n in nums))]
    lines += [tabbed(*(n[k] for n in nums)) for k in range(1, 6)] + ["\t" * 6 + "7"]
    t3 = parse_table3([*HEADER, *lines, *TABBED_CLOSING])
    assert values(t3, "new_received") == [int(n) for n in nums]


def test_tabbed_digit_lines_that_no_reading_makes_add_up_leave_the_row_null():
    """The same lines where the joined row does not add up either (the report's slip, or lines
    that are something else): the row's first-line digits are no numbers of it, so it is not
    read, and says why; no numbers of it are kept."""
    nums = ["123456", "234567", "345678", "111111", "222222", "333333", "1370368"]
    lines = [tabbed(NEW, *(n[0] for n in nums))] + [tabbed(*(n[k] for n in nums)) for k in range(1, 6)]
    t3 = parse_table3([*HEADER, *lines, "\t" * 6 + "8", *TABBED_CLOSING])
    assert values(t3, "new_received") == [None] * 7
    assert any("no reading of them adds up" in str(w) for w in t3.warnings)
    assert values(t3, "carried_over") == [2, 0, 1, 1, 0, 1, 5]


def test_a_shorter_join_that_adds_up_proves_nothing():
    """Two tabbed lines under a row where the first alone already makes the row add up (11 1 …
    12) and both do too (119 1 … 120): which is meant is unknown, the row is not read."""
    lines = [tabbed(NEW, "1", "1", "0", "0", "0", "0", "1"), tabbed("1", "", "", "", "", "", "2"),
             tabbed("9", "", "", "", "", "", "0")]
    t3 = parse_table3([*HEADER, *lines, *TABBED_CLOSING])
    assert values(t3, "new_received") == [None] * 7


def test_a_tabbed_row_that_adds_up_is_kept_beside_a_tabbed_digit_line():
    """A row that adds up as printed keeps its numbers; a tabbed line of digits below it (a
    page number in the last column) is no piece of it."""
    t3 = parse_table3([*HEADER, tabbed(NEW, "4", "5", "0", "0", "1", "2", "12"), tabbed("", "", "", "", "", "", "3"),
                       *TABBED_CLOSING])
    assert values(t3, "new_received") == [4, 5, 0, 0, 1, 2, 12]


def test_a_label_less_row_of_its_own_under_a_slip_is_no_piece():
    """A tabbed row whose label a merged cell took (a line of zeros, or a row that adds up) under a
    row that does not add up (the report's slip): both stay as printed, the slip a finding."""
    for own in (tabbed("", "0", "0", "0", "0", "0", "0", "0"), tabbed("", "1", "0", "0", "0", "0", "1", "2")):
        t3 = parse_table3([*HEADER, tabbed(NEW, "4", "5", "0", "0", "1", "2", "13"), own, *TABBED_CLOSING])
        assert values(t3, "new_received") == [4, 5, 0, 0, 1, 2, 13]


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
