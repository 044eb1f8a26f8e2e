"""Table 4 whose header prints each group's outcome columns in another order than the template's.

The golden fixtures (tests/fixtures/realworld/q19_*) cover whole reports in HTML, DOCX, XLSX and PDF;
these cases are the text shapes in between: dumps that print the header's names one per line or
one header row per line, a wrapped dump that proves nothing, and headers that agree with the template.
"""

from __future__ import annotations

from parsers.tables import parse_table4
from parsers.template import REVIEW_COLS, REVIEW_GROUPS

FIRST = ("总计", "结果维持", "结果纠正", "其他结果", "尚未审结")
TEMPLATE = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# review {0, 3, 3, 3, 9}, direct {1, 0, 0, 1, 2}, after review {0, 0, 0, 4, 4}: printed 总计 first
PRINTED = ("9", "0", "3", "3", "3", "2", "1", "0", "0", "1", "4", "0", "0", "0", "4")
WANT = {"review": (0, 3, 3, 3, 9), "litigation_direct": (1, 0, 0, 1, 2), "litigation_after_review": (0, 0, 0, 4, 4)}


def _read(lines: list[str]) -> dict[str, tuple]:
    t4 = parse_table4(lines)
    assert t4 is not None
    n = len(REVIEW_COLS)
    return {g: tuple(c.value if c is not None else None for c in t4.cells[k * n:(k + 1) * n])
            for k, g in enumerate(REVIEW_GROUPS)}


def test_header_rows_one_per_line_place_each_number():
    lines = ["行政复议 行政诉讼", " ".join(FIRST) + " 未经复议直接起诉 复议后起诉", " ".join(FIRST * 2), " ".join(PRINTED)]
    assert _read(lines) == WANT


def test_names_one_per_line_place_each_number():
    lines = ["行政复议", "行政诉讼", *FIRST, "未经复议直接起诉", "复议后起诉", *FIRST, *FIRST, *PRINTED]
    assert _read(lines) == WANT


def test_the_silent_shift_is_read_by_the_header():
    """All pending: read in the template's order each group would still add up (upheld 2, total 2)."""
    lines = ["行政复议\t\t\t\t\t行政诉讼" + "\t" * 9, "\t".join(FIRST) + "\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
             "\t" * 5 + "\t".join(FIRST * 2), "\t".join(("2", "0", "0", "0", "2", "1", "0", "0", "0", "1") + ("0",) * 5)]
    assert _read(lines) == {"review": (0, 0, 0, 2, 2), "litigation_direct": (0, 0, 0, 1, 1),
                            "litigation_after_review": (0, 0, 0, 0, 0)}


def test_wrapped_header_printing_total_first_leaves_the_table_unread():
    lines = ["行政复议          行政诉讼", "总 结果 结果 其他 尚未 未经复议直接起诉      复议后起诉",
             "计 维持 纠正 结果 审结 总 结果 结果 其他 尚未 总 结果 结果 其他 尚未",
             "              计 维持 纠正 结果 审结 计 维持 纠正 结果 审结", " ".join(PRINTED)]
    t4 = parse_table4(lines)
    assert t4 is not None and t4.unaligned and all(c is None for c in t4.cells)


def test_a_grid_column_named_twice_leaves_the_table_unread():
    twice = ("总计", "结果维持", "结果纠正", "其他结果", "总计")
    lines = ["行政复议\t\t\t\t\t行政诉讼" + "\t" * 9, "\t".join(twice) + "\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
             "\t" * 5 + "\t".join(FIRST * 2), "\t".join(PRINTED)]
    t4 = parse_table4(lines)
    assert t4 is not None and t4.unaligned and all(c is None for c in t4.cells)


def test_template_order_header_and_no_header_read_as_printed():
    numbers = " ".join(("0", "3", "3", "3", "9", "1", "0", "0", "1", "2", "0", "0", "0", "4", "4"))
    for lines in (["行政复议 行政诉讼", " ".join(TEMPLATE) + " 未经复议直接起诉 复议后起诉", " ".join(TEMPLATE * 2), numbers],
                  ["行政复议          行政诉讼", "结果  结果    其他      尚未   总计        未经复议直接起诉    复议后起诉",
                   "维持  纠正    结果      审结             结果  结果 其他     尚未   总计   结果  结果   其他   尚未    总计",
                   "                                 维持  纠正 结果     审结        维持  纠正   结果   审结", numbers],
                  [numbers]):
        assert _read(lines) == WANT


def test_a_row_per_group_under_one_header_line():
    lines = ["类别\t\t" + "\t".join(FIRST), "行政复议\t\t" + "\t".join(PRINTED[:5]),
             "行政诉讼\t未经复议直接起诉\t" + "\t".join(PRINTED[5:10]), "\t复议后起诉\t" + "\t".join(PRINTED[10:])]
    assert _read(lines) == WANT
