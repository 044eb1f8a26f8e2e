"""The table readers place a number only where the dump's order is the table's, or the identities
prove it; otherwise they leave cells null.  Whole dumps of this kind are realworld fixtures 70-75;
these pin the rules on small inputs."""

from __future__ import annotations

from parsers.tables import parse_table3, parse_table4
from parsers.template import ROW_LABELS, ROWS_2021

HEADER4 = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3


def _t4(numbers: list[str]):
    t4 = parse_table4(HEADER4 + numbers)
    assert t4 is not None
    return [c.value if c else None for c in t4.cells], t4.unaligned


def test_table4_one_row_that_does_not_add_up_is_kept_as_printed():
    values, unaligned = _t4(["1 0 0 0 0 2 0 1 0 3 0 0 0 0 0"])
    assert values[:5] == [1, 0, 0, 0, 0] and unaligned is None


def test_table4_one_cell_per_line_with_one_broken_group_is_kept():
    values, unaligned = _t4("0 2 0 1 3 2 0 3 3 9 0 3 0 0 3".split())
    assert values[5:10] == [2, 0, 3, 3, 9] and unaligned is None


def test_table4_cells_joined_on_some_lines_are_placed_only_when_the_groups_add_up():
    # position-sorted dump: review total 1 shares a line with after-review 纠正 8
    printed = ["0", "0", "1", "0", "8 1", "8", "1", "1", "2", "12", "0", "7", "0", "15"]
    values, unaligned = _t4(printed)
    assert unaligned and values == [None] * 15
    in_order = ["0", "0", "1", "0", "1", "8 1", "1", "2", "12", "0", "8", "7", "0", "15"]
    values, unaligned = _t4(in_order)
    assert unaligned is None and values == [0, 0, 1, 0, 1, 8, 1, 1, 2, 12, 0, 8, 7, 0, 15]


def test_table4_one_cell_per_line_with_every_group_broken_is_not_placed():
    values, unaligned = _t4("1 0 2 1 8 6 2 1 0 0 5 3 0 3 0".split())
    assert unaligned and values == [None] * 15


def _t3_lines(rows: dict[str, list[str]]) -> list[str]:
    lines = ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    for key in ROWS_2021:
        lines.append(ROW_LABELS[key])
        lines += rows.get(key, ["0"] * 7)
    return lines


def test_table3_row_with_a_stray_cell_keeps_the_seven_that_add_up():
    # 无 of the stacked label 无法提供 read as a cell after the row's numbers
    lines = _t3_lines({"unavailable_needs_creation": ["0", "1", "0", "0", "0", "0", "1", "无"]})
    t3 = parse_table3(lines)
    assert [c.value for c in t3.rows["unavailable_needs_creation"]] == [0, 1, 0, 0, 0, 0, 1]


def test_table3_row_with_a_stray_cell_and_no_proof_is_not_placed():
    lines = _t3_lines({"granted": ["1", "0", "0", "0", "0", "0", "1", "1"]})  # both windows add up
    t3 = parse_table3(lines)
    assert all(c is None for c in t3.rows["granted"])


def test_table3_pieces_of_a_row_are_joined_only_when_the_row_adds_up():
    # "1 1" on one line among one cell per line: 自然人 and 总计 side by side, out of order
    lines = _t3_lines({"not_processed_confirmation": ["1 1", "0", "/", "0", "0", "0"]})
    t3 = parse_table3(lines)
    assert all(c is None or c.value is None for c in t3.rows.get("not_processed_confirmation", []))
    assert not t3.extra_rows and "other_total" not in t3.rows
    lines = _t3_lines({"not_processed_confirmation": ["1 0", "/", "0", "0", "0", "1"]})
    t3 = parse_table3(lines)
    assert [c.value for c in t3.rows["not_processed_confirmation"]] == [1, 0, None, 0, 0, 0, 1]


def test_table3_printed_sideways_is_unaligned():
    cols = ["总计", "其他", "法律服务机构", "社会公益组织", "科研机构", "商业企业", "自然人"]
    lines = ["申请人情况"] + [f"{c}\t" + "\t".join(str(i % 3) for i in range(17)) for c in cols]
    lines.append("\t".join(ROW_LABELS[k] for k in ROWS_2021[:17]))
    t3 = parse_table3(lines)
    assert t3 is not None and t3.unaligned
    assert all(c is None for cells in t3.rows.values() for c in cells)


def test_table2_digits_spaced_out_by_a_layout_dump_are_one_number_each():
    from parsers.tables import parse_table2

    lines = [
        "信息内容               本年制发件数      本年废止件数      现行有效件数",
        "规章                                     0                     0                    2 3",
        "行政规范性文件                           2 5                    9                    2 9 5",
        "行政许可                                                     7 3 4 4 5",
    ]
    t2 = parse_table2(lines, "2021")
    assert [c.value for c in t2["normative_documents"]] == [25, 9, 295]
    assert [c.value for c in t2["licensing"]] == [73445]
    # single spaces only (no wider gaps between the cells): which digits belong together is unknown
    t2 = parse_table2(["规章 0 0 2 3"], "2021")
    assert all(c is None for c in t2["regulations"])


def test_table4_header_and_number_pairs_keep_a_broken_group():
    # column by column dumps print each header over its number: the order is the header's
    pairs = []
    for group in ([0, 2, 0, 1, 3], [2, 0, 3, 3, 9], [0, 3, 0, 0, 3]):
        for head, v in zip(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], group, strict=True):
            pairs += [head, str(v)]
    t4 = parse_table4(["行政复议", "行政诉讼", *pairs])
    assert t4 is not None and t4.unaligned is None
    assert [c.value for c in t4.cells][5:10] == [2, 0, 3, 3, 9]


def test_a_first_value_a_space_after_its_label_in_a_tabbed_row_is_a_cell():
    """Glyph-rebuilt PDF rows can put the first number a space after the label, inside the label's
    tab cell; it is the row's first value, not part of the label (nor a lost cell to infer)."""
    from parsers.tokens import split_cells

    assert split_cells("4.无正当理由 2\t0\t0\t0\t0\t0\t2") == ["4.无正当理由", "2", "0", "0", "0", "0", "0", "2"]
    assert split_cells("合计 1 234\t5") == ["合计 1 234", "5"]  # thousands, not a value after a label
