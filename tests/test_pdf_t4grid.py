"""A ruled table 4 in another shape than the template's, written on its grid positions
(parsers/formats/pdft4grid.py) so that t4header sees which columns each merged header cell covers.
The golden fixtures t19_01/03 (LibreOffice and chromium PDFs) read it end to end; here: the grids
it writes and those it leaves to pdf.table_rows."""

from __future__ import annotations

from parsers.formats.pdft4grid import positional
from parsers.t4header import read_by_header

OUT4 = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
OUT5 = [*OUT4, "总计"]


def test_merged_header_cells_stand_over_the_columns_their_rules_enclose():
    raw = [["行政复议", None, None, None, "行政诉讼", None, None, None, None, None, None, None],
           [*OUT4, "未经复议直接起诉", None, None, None, "复议后起诉", None, None, None],
           [None, None, None, None, *OUT4, *OUT4],
           ["0", "0", "0", "1", "0", "1", "2", "0", "3", "0", "0", "4"]]
    lines = positional(raw)
    assert lines == ["行政复议\t\t\t\t行政诉讼\t\t\t\t\t\t\t",
                     "结果维持\t结果纠正\t其他结果\t尚未审结\t未经复议直接起诉\t\t\t\t复议后起诉\t\t\t",
                     "\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t结果维持\t结果纠正\t其他结果\t尚未审结",
                     "0\t0\t0\t1\t0\t1\t2\t0\t3\t0\t0\t4"]
    read = read_by_header(lines)
    assert [c.value if c else None for c in read.cells] == [0, 0, 0, 1, None, 0, 1, 2, 0, None, 3, 0, 0, 4, None]


def test_a_sliver_column_empty_in_every_row_is_left_out():
    raw = [["行政复议", None, None, None, None, None, "行政诉讼", None, None, None, None],
           [*OUT5, "", *OUT5],
           ["1", "2", "0", "0", "3", None, "1", "0", "0", "0", "1"]]
    assert positional(raw) == ["行政复议\t\t\t\t\t行政诉讼\t\t\t\t", "\t".join(OUT5 + OUT5),
                               "1\t2\t0\t0\t3\t1\t0\t0\t0\t1"]


def test_grids_left_to_the_usual_rows():
    template = [["行政复议", None, None, None, None, "行政诉讼", *[None] * 9],
                [*OUT5, "未经复议直接起诉", None, None, None, None, "复议后起诉", None, None, None, None],
                [None] * 5 + OUT5 + OUT5,
                ["1"] * 15]
    assert positional(template) is None  # the template's 15 cells: read in their fixed order
    groups_as_rows = [["", *OUT5], ["行政复议", "1", "0", "0", "0", "1"], ["未经复议直接起诉", "0", "0", "0", "0", "0"]]
    assert positional(groups_as_rows) is None  # numbers in more than the last row
    table3 = [["申请人情况", "自然人", "总计"], ["一、本年新收政府信息公开申请数量", "3", "3"]]
    assert positional(table3) is None  # no table 4
    merged_number = [["行政复议", None, "行政诉讼", None], [*OUT4], ["1", None, "0", "2"]]
    assert positional(merged_number) is None  # a number over two grid columns
