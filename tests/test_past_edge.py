"""Rows that begin with a blank cell, and tables that ran on past a PDF page's edge.

The golden files (tests/fixtures/realworld/d18_*) hold whole reports; these check the guards that
keep a number from landing in the wrong cell: the page's lost columns are padded only when the
header lost the same ones, and a table-2 row's label is carried to the numbers below it only when
no other row waits for its numbers.
"""

from __future__ import annotations

from parsers import pastedge
from parsers.formats.pdfcut import CUT_OFF, PAST_EDGE
from parsers.tables import parse_table2

M = "\t" + PAST_EDGE
HEAD5 = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
         "\t自然人\t法人或其他组织",
         "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构"]


def _cells(line: str) -> list[str]:
    return line.split("\t")


def test_rows_cut_by_the_page_get_the_lost_columns_as_cut_off():
    lines, marked = pastedge.split_marks(HEAD5 + [
        "一、本年新收政府信息公开申请数量\t49\t13\t2\t1\t5\t\t" + M,
        "三、本年度办理结果\t（一）予以公开\t9\t1\t0\t1\t1" + M,
        "\t\t2.重复申请\t3\t0\t0\t0\t" + M,  # a blank 法律服务机构 printed on the page
    ])
    assert PAST_EDGE not in "".join(lines) and marked == {3, 4, 5}
    out = pastedge.fill_table3(lines, marked)
    assert _cells(out[3])[-7:] == ["49", "13", "2", "1", "5", CUT_OFF, CUT_OFF]
    assert _cells(out[4])[-7:] == ["9", "1", "0", "1", "1", CUT_OFF, CUT_OFF]
    assert _cells(out[5])[-7:] == ["3", "0", "0", "0", "", CUT_OFF, CUT_OFF]


def test_a_header_name_the_edge_cut_short_still_names_its_column():
    # 其他 cut to 其: six columns shown, six numbers printed, 总计 lost
    lines, marked = pastedge.split_marks(HEAD5[:2] + ["\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其",
                                                      "一、本年新收政府信息公开申请数量\t126\t15\t0\t2\t11\t3" + M])
    assert _cells(pastedge.fill_table3(lines, marked)[3])[-7:] == ["126", "15", "0", "2", "11", "3", CUT_OFF]
    head = ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
            "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结"]
    lines, marked = pastedge.split_marks(head + ["0\t2\t1\t5\t8\t0\t0\t6\t3\t9\t1\t0" + M])
    assert _cells(pastedge.fill_table4(lines, marked)[3])[-4:] == ["0", CUT_OFF, CUT_OFF, CUT_OFF]


def test_a_column_cut_before_its_header_is_not_read():
    # A4: 其他's numbers begin on the page (a one-digit one whole, longer ones cut), its header does
    # not: which column it is shows nowhere on the page, so none of it is read
    lines, marked = pastedge.split_marks(HEAD5 + [
        "一、本年新收政府信息公开申请数量\t88\t18\t0\t0\t7\t" + CUT_OFF + "\t\t" + M,
        "二、上年结转政府信息公开申请数量\t3\t0\t1\t0\t1\t1\t\t" + M, "其"])  # (a label's wrapped piece)
    out = pastedge.fill_table3(lines, marked)
    assert _cells(out[3])[-7:] == ["88", "18", "0", "0", "7", CUT_OFF, CUT_OFF]
    assert _cells(out[4])[-7:] == ["3", "0", "1", "0", "1", CUT_OFF, CUT_OFF]


def test_a_table_of_another_shape_at_the_edge_is_left_as_printed():
    # three columns (法人或其他组织 merged): the header does not show the template's first columns
    three = ["\t自然人\t法人或其他组织\t总计", "一、本年新收政府信息公开申请数量\t49\t26\t75" + M]
    lines, marked = pastedge.split_marks(three)
    assert pastedge.fill_table3(lines, marked) == lines
    # a header naming a later column than the row prints cells: not this page's cut
    lines, marked = pastedge.split_marks(HEAD5[:2] + ["\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
                                                      "一、本年新收政府信息公开申请数量\t49\t13\t2\t1\t5" + M])
    assert pastedge.fill_table3(lines, marked) == lines
    # printed in column slices: the second slice's header names 其他 and 总计 below the first
    lines, marked = pastedge.split_marks(HEAD5 + ["一、本年新收政府信息公开申请数量\t49\t13\t2\t1\t5" + M,
                                                  "\t其他\t总计", "一、本年新收政府信息公开申请数量\t4\t74"])
    assert pastedge.fill_table3(lines, marked) == lines


def test_table4_is_padded_only_as_one_row_under_as_many_outcome_columns():
    head = ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
            "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持"]
    lines, marked = pastedge.split_marks(head + ["0\t6\t0\t0\t6\t0\t1\t0\t0\t1\t6" + M])
    assert _cells(pastedge.fill_table4(lines, marked)[3]) == ["0", "6", "0", "0", "6", "0", "1", "0", "0", "1", "6"] \
        + [CUT_OFF] * 4
    # groups as rows (five numbers each): several rows, nothing to pad
    rows = ["\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计", "行政复议\t1\t0\t0\t0\t1" + M, "未经复议直接起诉\t0\t0\t0\t0\t0" + M]
    lines, marked = pastedge.split_marks(rows)
    assert pastedge.fill_table4(lines, marked) == lines


def _t2(lines: list[str]) -> dict:
    return {k: [c.value if c else None for c in v] for k, v in parse_table2(lines, "2021").items()}


def test_table2_label_merged_down_over_its_header_and_number():
    tabbed = ["第二十条第（五）项", "行政许可\t本年处理决定数量", "\t2207", "第二十条第（六）项",
              "行政处罚\t本年处理决定数量", "\t713", "行政强制\t本年处理决定数量", "\t55"]
    got = _t2(tabbed)
    assert got["licensing"] == [2207] and got["punishment"] == [713] and got["coercion"] == [55]
    one_per_line = ["第二十条第（五）项", "行政许可", "本年处理决定数量", "2868", "第二十条第（六）项",
                    "行政处罚", "本年处理决定数量", "1453", "行政强制", "本年处理决定数量", "59"]
    got = _t2(one_per_line)
    assert got["licensing"] == [2868] and got["punishment"] == [1453] and got["coercion"] == [59]


def test_labels_printed_first_keep_their_numbers_column_by_column():
    # two labels waiting, then the header and two numbers: read column by column (the header is
    # not taken for the last label's own, which would give 行政强制 the first number)
    lines = ["第二十条第（六）项", "信息内容", "行政处罚", "行政强制", "本年处理决定数量", "1453", "59"]
    assert _t2(lines) == {"punishment": [1453], "coercion": [59]}
