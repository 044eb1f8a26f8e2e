"""Columns and rows bodies print beside the template's: read by the table's own header, or left
null when the header and the numbers do not prove where each column is.  Whole reports of this
kind are the realworld fixtures b13b_*; these pin the rules on small inputs."""

from __future__ import annotations

from parsers.metadata import agency_from_title
from parsers.tables import parse_table2, parse_table3
from parsers.template import ROW_LABELS, ROWS_2021

HEAD3 = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
    "\t自然人\t法人或其他组织\t总计",
    "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t合计",
]


def _row(key: str, values: list[int]) -> str:
    return "\t".join([ROW_LABELS[key], *map(str, values)])


def _values(t3, key: str) -> list:
    return [c.value if c else None for c in t3.rows[key]]


def _table2(lines: list[str]) -> dict[str, list]:
    return {k: [c.value if c else None for c in v] for k, v in parse_table2(lines, "2021").items()}


def test_table2_last_year_column_is_dropped_wherever_the_header_prints_it():
    got = _table2([
        "第二十条第（一）项\t\t\t\t",
        "信息内容\t上年现行有效件数\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t39\t0\t1\t38",
        "第二十条第（五）项\t\t\t\t",
        "信息内容\t本年处理决定数量\t\t上年处理决定数量\t",
        "行政许可\t9589\t\t9726\t",
    ])
    assert got["regulations"] == [0, 1, 38]
    assert got["licensing"] == [9589]


def test_table2_plain_text_header_with_a_last_year_column():
    got = _table2([
        "信息内容 上年现行有效件数 本年制发件数 本年废止件数 现行有效件数",
        "规章 39 0 1 38",
        "信息内容 本年处理决定数量 上年处理决定数量",
        "行政许可 9589 9726",
    ])
    assert got["regulations"] == [0, 1, 38]
    assert got["licensing"] == [9589]


def test_table2_row_that_does_not_line_up_with_such_a_header_is_null_not_shifted():
    got = _table2([
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\t上年现行有效件数",
        "规章\t0\t1\t38\t39\t",  # one cell more than the header: which is which is not shown
    ])
    assert got["regulations"] == [None, None, None]


def test_table3_heji_is_the_total_when_the_header_has_no_other():
    head = [HEAD3[0], "\t自然人\t法人或其他组织", HEAD3[2]]
    rows = [_row(k, [2, 1, 0, 0, 0, 0, 3]) for k in ROWS_2021]
    t3 = parse_table3(head + rows)
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "granted") == [2, 1, 0, 0, 0, 0, 3]


def test_table3_heji_column_left_out_only_where_the_rows_say_which_it_is():
    rows = [_row(k, [3, 1, 1, 0, 0, 0, 2, 5]) for k in ROWS_2021]
    t3 = parse_table3(HEAD3 + rows)
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "new_received") == [3, 1, 1, 0, 0, 0, 5]
    # every row reads as two different tables with one column left out: not placed
    rows = [_row(k, [2, 0, 0, 0, 0, 0, 2, 2]) for k in ROWS_2021]
    t3 = parse_table3(HEAD3 + rows)
    assert t3 is not None
    assert all(v is None for k in ROWS_2021 for v in _values(t3, k))


def test_table3_rows_after_carried_forward_are_kept_when_they_are_rows_still_missing():
    keys = list(ROWS_2021)
    late = keys[-5:-2]  # printed after 结转下年度, in an order of the body's own
    order = [k for k in keys if k not in late] + late
    lines = [HEAD3[0], *HEAD3[1:2], "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
    lines += [_row(k, [i, 0, 0, 0, 0, 0, i]) for i, k in enumerate(order, 1)]
    t3 = parse_table3(lines)
    assert t3 is not None
    assert _values(t3, late[0])[0] == order.index(late[0]) + 1


def test_table3_ends_at_carried_forward_before_another_table_naming_its_rows():
    lines = [HEAD3[0], *HEAD3[1:2], "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
    lines += [_row(k, [3, 1, 0, 0, 0, 0, 4]) for k in ROWS_2021]
    lines += ["指标\t2023年\t2022年\t同比增减", "新收政府信息公开申请\t100\t82\t+18", "予以公开\t40\t31\t+9",
              "部分公开\t9\t2\t+7", "本机关不掌握相关政府信息\t11\t8\t+3", "行政复议\t3\t1\t+2"]
    t3 = parse_table3(lines)
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "carried_forward") == [3, 1, 0, 0, 0, 0, 4]


def test_combined_report_agency_is_the_body_named_first():
    assert agency_from_title("崇义县人民政府及县政府办公室2023年政府信息公开工作年度报告") == "崇义县人民政府"
    assert agency_from_title("德州市德城区住房和城乡建设局2023年政府信息公开工作年度报告") == "德州市德城区住房和城乡建设局"
    assert agency_from_title("某市人民政府办公室和市大数据局2022年政府信息公开工作年度报告") == "某市人民政府办公室"
