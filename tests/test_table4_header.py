"""Table 4 printed in other shapes than 15 columns, read by its header (parsers/t4header.py).
The golden fixtures are f18_05 (行政诉讼 one group, DOCX) and f18_06 (no 总计 columns, HTML);
here: the header reading on its own, and the shapes it must not take as proof."""

from __future__ import annotations

import pytest

from parsers.t4header import read_by_header

OUT5 = "结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
OUT4 = "结果维持\t结果纠正\t其他结果\t尚未审结"


def _values(read) -> dict:
    groups = ("review", "litigation_direct", "litigation_after_review")
    cols = ("upheld", "corrected", "other", "pending", "total")
    return {f"{g}.{c}": (read.cells[i * 5 + j].value if read.cells[i * 5 + j] else "-")
            for i, g in enumerate(groups) for j, c in enumerate(cols)}


def test_twelve_columns_without_totals_by_a_grid_header():
    read = read_by_header([
        "行政复议\t\t\t\t行政诉讼\t\t\t\t\t\t\t",
        f"{OUT4}\t未经复议直接起诉\t\t\t\t复议后起诉\t\t\t",
        f"\t\t\t\t{OUT4}\t{OUT4}",
        "0\t0\t0\t1\t0\t1\t2\t0\t3\t0\t0\t4",
    ])
    got = _values(read)
    assert [got[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending")] == [0, 0, 0, 1]
    assert [got[f"litigation_direct.{c}"] for c in ("upheld", "corrected", "other", "pending")] == [0, 1, 2, 0]
    assert [got[f"litigation_after_review.{c}"] for c in ("upheld", "corrected", "other", "pending")] == [3, 0, 0, 4]
    assert {got[f"{g}.total"] for g in ("review", "litigation_direct", "litigation_after_review")} == {"-"}
    assert not read.unread and "not printed" in read.warning


@pytest.mark.parametrize("header", [
    ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t", f"{OUT5}\t{OUT5}"],  # a grid (HTML)
    ["行政复议\t行政诉讼", f"{OUT5}\t{OUT5}"],  # each merged cell once (DOCX)
])
def test_litigation_as_one_group_reads_the_review_group_only(header):
    read = read_by_header([*header, "1\t2\t0\t0\t3\t1\t0\t0\t0\t1"])
    got = _values(read)
    assert [got[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 2, 0, 0, 3]
    assert read.unread == ("litigation_direct", "litigation_after_review")
    assert all(read.cells[k] is None for k in range(5, 15))


@pytest.mark.parametrize("lines", [
    # 总计 before the outcomes: no template order
    ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t", "总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t" + OUT5, "3\t1\t2\t0\t0\t1\t1\t0\t0\t0"],
    # an outcome named twice in one group
    ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t", "结果维持\t结果维持\t其他结果\t尚未审结\t总计\t" + OUT5, "1\t2\t0\t0\t3\t1\t0\t0\t0\t1"],
    # a column the header does not name
    ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t", f"{OUT4}\t件数\t{OUT5}", "1\t2\t0\t0\t3\t1\t0\t0\t0\t1"],
    # the number row one cell short of the header
    ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t", f"{OUT5}\t{OUT5}", "1\t2\t0\t0\t3\t1\t0\t0\t1"],
    # two groups named, three runs of outcomes
    ["行政复议\t行政诉讼", f"{OUT4}\t{OUT4}\t{OUT4}", "1\t2\t0\t0\t3\t1\t0\t0\t0\t1\t0\t0"],
    # two rows of numbers: which is table 4's is not proved
    ["行政复议\t行政诉讼", f"{OUT5}\t{OUT5}", "1\t2\t0\t0\t3\t1\t0\t0\t0\t1", "1\t2\t0\t0\t3\t1\t0\t0\t0\t1"],
    # no header at all
    ["1\t2\t0\t0\t3\t1\t0\t0\t0\t1"],
])
def test_a_header_that_proves_nothing_reads_nothing(lines):
    assert read_by_header(lines) is None


def test_the_templates_fifteen_columns_are_not_this_readers():
    assert read_by_header([
        "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
        f"{OUT5}\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
        f"\t\t\t\t\t{OUT5}\t{OUT5}",
        "\t".join(["1"] * 15),
    ]) is None


# Text dumps print each merged cell once (a browser's copy): 行政复议's four outcome cells, merged down,
# come on the line of 未经复议直接起诉 and 复议后起诉, before them; the eight below are those two groups'.
COPIED_12 = ["行政复议\t行政诉讼", f"{OUT4}\t未经复议直接起诉\t复议后起诉", f"{OUT4}\t{OUT4}",
             "0\t0\t0\t1\t0\t1\t2\t0\t3\t0\t0\t4"]


def test_twelve_columns_copied_with_each_merged_cell_once():
    got = _values(read_by_header(COPIED_12))
    assert [got[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending")] == [0, 0, 0, 1]
    assert [got[f"litigation_direct.{c}"] for c in ("upheld", "corrected", "other", "pending")] == [0, 1, 2, 0]
    assert [got[f"litigation_after_review.{c}"] for c in ("upheld", "corrected", "other", "pending")] == [3, 0, 0, 4]
    assert {got[f"{g}.total"] for g in ("review", "litigation_direct", "litigation_after_review")} == {"-"}


def test_a_markdown_table_under_its_rule_line_is_read_as_a_grid():
    rows = [["行政复议", "", "", "", "行政诉讼", "", "", "", "", "", "", ""],
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "", "", "", "复议后起诉", "", "", ""],
            ["", "", "", "", *OUT4.split("\t"), *OUT4.split("\t")],
            ["0", "0", "0", "1", "0", "1", "2", "0", "3", "0", "0", "4"]]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "---|" * 12)
    assert _values(read_by_header(lines)) == _values(read_by_header(COPIED_12))


@pytest.mark.parametrize("lines", [
    # 行政复议 printing three outcomes, the 诉讼 groups four: which outcomes are whose is not one reading
    ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t未经复议直接起诉\t复议后起诉", f"{OUT4}\t{OUT4}",
     "0\t0\t1\t0\t1\t2\t0\t3\t0\t0\t4"],
    # outcomes after the groups on their line: where they stand is not shown
    ["行政复议\t行政诉讼", f"未经复议直接起诉\t复议后起诉\t{OUT4}", f"{OUT4}\t{OUT4}", "0\t0\t0\t1\t0\t1\t2\t0\t3\t0\t0\t4"],
    # a line of outcomes only above the last one
    ["行政复议\t行政诉讼", OUT4, f"{OUT4}\t{OUT4}", "0\t0\t0\t1\t0\t1\t2\t0\t3\t0\t0\t4"],
    # twelve words for eleven numbers
    [*COPIED_12[:3], "0\t0\t0\t1\t0\t1\t2\t0\t3\t0\t0"],
    # the header's words set apart by spaces (pdftotext): no cells
    ["行政复议 行政诉讼", OUT4.replace("\t", " ") + " 未经复议直接起诉 复议后起诉", f"{OUT4}\t{OUT4}".replace("\t", " "),
     "0 0 0 1 0 1 2 0 3 0 0 4"],
])
def test_a_copied_header_that_leaves_doubt_reads_nothing(lines):
    assert read_by_header(lines) is None
