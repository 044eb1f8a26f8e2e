"""Columns and rows bodies print beside the template's: read by the table's own header, or left
null when the header and the numbers do not prove where each column is.  Whole reports of this
kind are the realworld fixtures b13b_*; these pin the rules on small inputs."""

from __future__ import annotations

from parsers.metadata import agency_from_title, joint_bodies
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


def test_combined_report_agency_names_both_bodies_as_printed():
    """A joint report is both bodies' (as crawler.classify names it, and as an A、B title is
    recorded); `joint_bodies` gives each, with the first one's place where the second omits it."""
    joint = agency_from_title("崇义县人民政府及县政府办公室2023年政府信息公开工作年度报告")
    assert joint == "崇义县人民政府及县政府办公室"
    assert joint_bodies(joint) == ["崇义县人民政府", "崇义县政府办公室"]
    assert agency_from_title("德州市德城区住房和城乡建设局2023年政府信息公开工作年度报告") == "德州市德城区住房和城乡建设局"
    assert joint_bodies("德州市德城区住房和城乡建设局") == ["德州市德城区住房和城乡建设局"]
    joint = agency_from_title("某市人民政府办公室和市大数据局2022年政府信息公开工作年度报告")
    assert joint == "某市人民政府办公室和市大数据局"
    assert joint_bodies(joint) == ["某市人民政府办公室", "某市大数据局"]


def test_table3_heji_column_found_by_the_header_when_one_row_could_drop_either():
    """`8 2 0 0 0 0 2 10`: leaving out 商业企业 adds up as well as leaving out 合计; the header's
    cell order says which column 合计 is, and the rows confirm it."""
    head = [
        "\t申请人情况",
        "\t\t自然人\t法人或其他组织\t\t\t\t\t\t总计",
        "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t合计",
    ]
    values = {"new_received": [8, 2, 0, 0, 0, 0, 10], "granted": [3, 2, 0, 0, 0, 0, 5],
              "total_processed": [8, 2, 0, 0, 0, 0, 10]}

    def row(k: str) -> str:
        v = values.get(k, [0] * 7)
        return "\t".join([ROW_LABELS[k], "", *map(str, v[:6] + [sum(v[1:6]), v[6]])])

    t3 = parse_table3(head + [row(k) for k in ROWS_2021])
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "new_received") == [8, 2, 0, 0, 0, 0, 10]
    assert _values(t3, "granted") == [3, 2, 0, 0, 0, 0, 5]


def test_table3_last_year_total_column_named_like_table2s():
    for name in ("上年同期总计", "上一年度总计", "去年总计"):
        head = [HEAD3[0], f"\t自然人\t法人或其他组织\t\t\t\t\t总计\t{name}",
                "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
        t3 = parse_table3(head + [_row(k, [3, 1, 0, 0, 0, 0, 4, 9]) for k in ROWS_2021])
        assert t3 is not None and not t3.unaligned, name
        assert _values(t3, "granted") == [3, 1, 0, 0, 0, 0, 4], name


def test_table2_2019_prior_items_column_is_the_templates():
    got = {k: [c.value if c else None for c in v] for k, v in parse_table2([
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        "规章\t1\t1\t12",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        "行政许可\t20\t增加3\t23",
    ], "2019").items()}
    assert got.get("licensing") == [20, 3, 23]


def test_table4_row_of_column_numbers_is_no_row_of_counts():
    """"（1）（2）…（15）" numbers the columns: never the review's 1 2 3 4 5."""
    from parsers.tables import parse_table4

    head = ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计"]
    counts = ["2", "0", "0", "0", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]
    for numbers, row in [("\t".join(f"（{i}）" for i in range(1, 16)), "\t".join(counts)),
                         (" ".join(f"({i})" for i in range(1, 16)), " ".join(counts))]:
        t4 = parse_table4([*head, numbers, row])
        assert t4 is not None
        assert [c.value if c else None for c in t4.cells] == [int(x) for x in counts], numbers


def test_bracketed_count_read_only_where_a_note_says_what_brackets_hold():
    from parsers.tokens import BRACKET_NOTE, bracketed_counts

    assert BRACKET_NOTE.search("注：*含网上申请。（）内为结转至下一年度办理的件数。")
    assert BRACKET_NOTE.search("括号内为上年数。")
    row = "四、结转下年度继续办理\t\t3\t0\t0\t1\t0\t0\t（4）"
    assert bracketed_counts(row).endswith("\t4")
    # all bracketed: column numbers or an item's number, never counts
    assert bracketed_counts("（1）\t（2）\t（3）\t（4）") == "（1）\t（2）\t（3）\t（4）"
    assert bracketed_counts("（1）") == "（1）"
    # an item number between the parts of a row's label stays the label's
    item = "（三）不予公开\t（1）\t属于国家秘密\t0\t0\t0\t0\t0\t0\t0"
    assert bracketed_counts(item) == item


def test_joint_report_of_a_party_office_and_a_government_office_names_both_and_finds_the_governments():
    """The record names both offices as printed; the government's office, whose report the
    disclosure rules ask for, is one of `joint_bodies` with its place (区政府办公室 -> 某某区政府办公室)."""
    joint = agency_from_title("某某区委办公室和区政府办公室2023年政府信息公开工作年度报告")
    assert joint == "某某区委办公室和区政府办公室"
    assert joint_bodies(joint) == ["某某区委办公室", "某某区政府办公室"]
    joint = agency_from_title("中共崇义县委办公室和崇义县人民政府办公室2023年政府信息公开工作年度报告")
    assert joint == "中共崇义县委办公室和崇义县人民政府办公室"
    assert joint_bodies(joint) == ["中共崇义县委办公室", "崇义县人民政府办公室"]
    joint = agency_from_title("崇义县人民政府办公室和中共崇义县委办公室2023年政府信息公开工作年度报告")
    assert joint_bodies(joint) == ["崇义县人民政府办公室", "中共崇义县委办公室"]


def test_table3_two_line_header_with_the_merged_cell_printed_once_keeps_the_template_order():
    """自然人 | 法人或其他组织 | 总计 over the five legal-person names: a dump that prints the merged cell
    once puts 总计 one cell after it, level with 科研机构 below; the five names take the merged cell's
    place, so 总计 stays the seventh column (never read as the third)."""
    from parsers.tables import header_columns

    under = "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
    first = ["\t申请人情况", "\t自然人\t法人或其他组织\t总计", f"\t\t{under}"]
    padded = ["\t申请人情况", "\t自然人\t法人或其他组织\t\t\t\t\t总计", f"\t\t{under}"]
    no_lead = ["申请人情况\t自然人\t法人或其他组织\t总计", under]
    values = {"new_received": [3, 1, 0, 2, 0, 0, 6], "granted": [2, 1, 0, 0, 0, 0, 3],
              "total_processed": [3, 1, 0, 2, 0, 0, 6], "carried_forward": [0, 0, 0, 0, 0, 0, 0]}
    for head in (first, padded, no_lead):
        assert header_columns(head) == (7, list(range(7))), head
        t3 = parse_table3(head + [_row(k, values.get(k, [0] * 7)) for k in ROWS_2021])
        assert t3 is not None and not t3.unaligned, head
        assert _values(t3, "new_received") == [3, 1, 0, 2, 0, 0, 6], head
        assert _values(t3, "granted") == [2, 1, 0, 0, 0, 0, 3], head
    # the same header with 总计 printed first: the five still stand where the merged cell does
    total_first = ["\t申请人情况", "\t总计\t自然人\t法人或其他组织", f"\t\t\t{under}"]
    assert header_columns(total_first) == (7, [1, 2, 3, 4, 5, 6, 0])
    t3 = parse_table3(total_first + [_row(k, [v[6], *v[:6]]) for k, v in
                                     ((k, values.get(k, [0] * 7)) for k in ROWS_2021)])
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "new_received") == [3, 1, 0, 2, 0, 0, 6]


def test_table2_short_rows_of_a_grid_in_pieces_go_under_the_columns_their_header_names():
    """An OCR'd grid broken into pieces (a phone photo): 第二十条第（六）项 came out as two small tables,
    one headed 上一年项目数量 | 本年增/减 holding unlabelled numbers, one headed 处理决定数量 holding the
    rows' labels.  Read from the left, 行政处罚's 182 was taken for its 上一年项目数量 (a WRONG number); the
    header says it is the 处理决定数量, and the other cells are not proved: null."""
    lines = ["第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
             "行政许可\t69\t-3\t3477", "第二十条第（六）项", "-年项口数量\t本年增/减", "253\t﹘", "1\t0",
             "信息内容\t处理决定数量", "行政处罚\t182", "行政强制\t24", "第二十条第（八）项", "信息内容\t本年增/减",
             "行政事业性收费\t0"]
    out = parse_table2(lines, "2019")
    raw = {k: [c.raw if c else None for c in v] for k, v in out.items()}
    assert raw["licensing"] == ["69", "-3", "3477"]
    assert raw["punishment"] == [None, None, "182"]
    assert raw["coercion"] == [None, None, "24"]
    assert raw["fees"] == [None, "0"]
    # a short row with no header naming its cells is still read as before (from the left)
    assert [c.raw if c else None for c in parse_table2(["行政处罚\t5\t1"], "2019")["punishment"]] == ["5", "1", None]


def test_table3_columns_swapped_under_the_legal_person_header_go_where_the_header_names_them():
    """科研机构 printed before 商业企业: the swap keeps every row's sum, so only the header tells the
    two apart; a grid header (cells at their columns) decides.  A text dump's words keep their order
    within a line: 自然人 / 法人或其他组织 / 总计 over a line naming the five decides too
    (colorder.reading_order).  Words that cannot be placed so (the five over two lines) still show
    the order is not the template's: read in template order 商业企业 would get 科研机构's numbers,
    so table 3 is not placed (unaligned)."""
    values = {"new_received": [3, 1, 6, 2, 0, 0, 12], "granted": [2, 0, 4, 0, 0, 0, 6],
              "total_processed": [3, 1, 6, 2, 0, 0, 12]}
    printed = {k: [v[0], v[2], v[1], *v[3:]] for k, v in values.items()}  # research before commercial
    grid = ["\t申请人情况", "\t自然人\t法人或其他组织\t\t\t\t\t总计",
            "\t\t科研机构\t商业企业\t社会公益组织\t法律服务机构\t其他\t"]
    rows = [_row(k, printed.get(k, [0] * 7)) for k in ROWS_2021]
    t3 = parse_table3(grid + rows)
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "new_received") == [3, 1, 6, 2, 0, 0, 12]
    assert _values(t3, "granted") == [2, 0, 4, 0, 0, 0, 6]
    lines = ["申请人情况", "自然人 法人或其他组织 总计", "科研机构 商业企业 社会公益组织 法律服务机构 其他"]
    t3 = parse_table3(lines + rows)
    assert t3 is not None and not t3.unaligned
    assert _values(t3, "new_received") == [3, 1, 6, 2, 0, 0, 12]
    assert _values(t3, "granted") == [2, 0, 4, 0, 0, 0, 6]
    loose = ["申请人情况", "自然人 法人或其他组织 总计", "科研机构 商业企业 社会公益组织", "法律服务机构 其他"]
    t3 = parse_table3(loose + rows)
    assert t3 is None or t3.unaligned
    assert t3 is None or all(c is None for cells in t3.rows.values() for c in cells)
