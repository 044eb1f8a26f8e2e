"""The s16 shapes (table 4 with rate columns, table 3 on its side, table 3 in three columns) as DOCX
and PDF text give them: a merged header cell listed once, a PDF row padded to the table's width, a
label column wrapped over the rows' lines, a blank cell.  Whole reports: realworld s17_*."""

from __future__ import annotations

from parsers.tables import parse_table3, parse_table4
from parsers.template import ROW_LABELS, ROWS_2021
from parsers.tokens import value_cell

# table 4 as a DOCX row lists it: each merged cell once, a cell continuing from above blank
T4_DOCX = [
    "行政复议\t行政诉讼",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t{r}\t未经复议直接起诉\t复议后起诉",
    "\t\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t{r}\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t{r}",
]
T4_ROW = "2\t3\t0\t3\t8\t38%\t0\t3\t0\t0\t3\t100%\t3\t3\t0\t2\t8\t38%"
COUNTS = [2, 3, 0, 3, 8, 0, 3, 0, 0, 3, 3, 3, 0, 2, 8]


def _t4(lines: list[str]) -> list:
    t4 = parse_table4(lines)
    return [c.value if c else None for c in t4.cells] if t4 else []


def test_rate_columns_under_a_header_listing_its_merged_cells_once_are_left_out():
    for name in ("纠错率", "占比（%）"):
        assert _t4([h.format(r=name) for h in T4_DOCX] + [T4_ROW]) == COUNTS


def test_a_pdf_header_padded_to_the_tables_width_is_laid_over_its_columns():
    padded = [h.format(r="纠错率") for h in T4_DOCX]
    padded = [line + "\t" * (17 - line.count("\t")) for line in padded]
    assert _t4([*padded, T4_ROW]) == COUNTS


def test_extra_columns_the_header_does_not_name_rates_keep_the_packed_reading_off():
    got = _t4([h.format(r="备注") for h in T4_DOCX] + [T4_ROW.replace("%", "")])
    assert got in ([], [None] * 15)


SIDE_HEAD = [
    "申请人情况\t一、本年新收政府信息公开申请数量\t二、上年结转政府信息公开申请数量\t三、本年度办理结果\t四、结转下年度继续办理",
    "\t\t\t（一）予以公开\t（七）总计\t",
]
ZEROS = [f"法人或其他组织—{t}\t0\t0\t0\t0\t0" for t in ("科研机构", "社会公益组织", "法律服务机构", "其他")]


def _val(t3, key: str) -> list:
    return [c.value if c else None for c in t3.rows[key]]


def test_sideways_table3_from_a_docx_header_listing_its_merged_cells_once():
    lines = SIDE_HEAD + ["自然人\t5\t1\t6\t6\t0", "法人或其他组织—商业企业\t2\t0\t2\t2\t0", *ZEROS, "总计\t7\t1\t8\t8\t0"]
    t3 = parse_table3(lines)
    assert _val(t3, "new_received") == [5, 2, 0, 0, 0, 0, 7]
    assert _val(t3, "carried_forward") == [0, 0, 0, 0, 0, 0, 0]


def test_sideways_labels_wrapped_over_the_rows_lines_name_the_rows_in_order():
    # a PDF's narrow label column: 自然人法 / 人或其他组织—商 / 业企业 …
    body = ["自然人法\t5\t1\t6\t6\t0", "人或其他组织—商\t2\t0\t2\t2\t0", "业企业\t\t\t\t\t", *ZEROS, "总计\t7\t1\t8\t8\t0"]
    t3 = parse_table3(SIDE_HEAD + body)
    assert _val(t3, "granted") == [6, 2, 0, 0, 0, 0, 8]


def test_sideways_table_whose_total_column_is_cut_off_is_not_read_as_the_template():
    head = ["申请人情况\t一、本年新收政府信息公开申请数量\t二、上年结转政府信息公开申请数量\t三、本年度办理结果",
            "\t\t\t（一）予以公开"]
    rows = ["自然人\t5\t1\t6", "法人或其他组织—商业企业\t2\t0\t2", *(z.rsplit("\t", 2)[0] for z in ZEROS), "总计\t7\t1\t8"]
    t3 = parse_table3(head + rows)
    assert t3 is None or all(c is None for cells in t3.rows.values() for c in cells)


def _three(rows: dict[str, tuple[str, str, str]]) -> list[str]:
    head = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况", "\t自然人\t法人或其他组织\t总计"]
    return head + ["\t".join([ROW_LABELS[k], *v]) for k, v in rows.items()]


def _consistent3() -> dict[str, tuple[str, str, str]]:
    rows = dict.fromkeys(ROWS_2021, ("0", "0", "0"))
    rows.update(new_received=("9", "42", "51"), carried_over=("3", "0", "3"), granted=("2", "11", "13"),
                unavailable_not_held=("9", "30", "39"), total_processed=("11", "41", "52"), carried_forward=("1", "1", "2"))
    return rows


def test_a_blank_cell_in_the_three_column_table_is_null_and_the_rest_is_read():
    rows = _consistent3()
    rows["granted"] = ("", "11", "13")
    t3 = parse_table3(_three(rows))
    assert _val(t3, "granted") == [None, None, None, None, None, None, 13]
    assert _val(t3, "new_received") == [9, None, None, None, None, None, 51]


def test_a_short_row_whose_cells_are_not_proven_is_null_not_shifted():
    rows = _consistent3()
    lines = _three(rows)
    at = next(i for i, s in enumerate(lines) if s.startswith(ROW_LABELS["granted"]))
    lines[at] = f"{ROW_LABELS['granted']}\t11\t13"  # two numbers, no blank cell kept: which two is not known
    t3 = parse_table3(lines)
    assert _val(t3, "granted") == [None] * 7
    assert _val(t3, "new_received") == [9, None, None, None, None, None, 51]


def test_a_grouped_number_wrapped_inside_its_cell_is_one_number():
    assert value_cell("4,33 5").value == 4335
    assert value_cell("1,39 1").value == 1391
    for apart in ("350 349", "12 3", "4,335 1", "1,234 567"):
        assert value_cell(apart).value is None


def test_table2_numbers_printed_above_their_labels_are_not_taken_by_the_row_above():
    # plain pdftotext of a chromium PDF: each number a line above its label (1020 is 行政处罚's)
    from parsers.tables import parse_table2

    lines = ["第二十条第（六）项", "信息内容", "本年处理决定数量", "1020", "行政处罚", "41", "行政强制",
             "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费 52.28"]
    got = parse_table2(lines, "2021")
    assert all(c is None for c in got.get("punishment", [None]))  # never 41, 行政强制's
    assert all(c is None for c in got.get("coercion", [None]))
    assert [c.value for c in got["fees"] if c] == [52.28]


def test_table2_label_then_number_lines_are_still_read():
    from parsers.tables import parse_table2

    lines = ["第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "1020", "行政强制", "41"]
    got = parse_table2(lines, "2021")
    assert [c.value for c in got["punishment"]] == [1020] and [c.value for c in got["coercion"]] == [41]


def test_a_header_line_naming_legal_person_columns_out_of_template_order_is_a_departure():
    from parsers.colorder import order_departs

    # pdftotext -layout of a LibreOffice PDF: a one-line name sits lower than wrapped ones, but each
    # line is read left to right
    template = ["申请人情况", "（本列数据的勾稽关系为：第一项加第二项之和）      法人或其他组织", "        自然人             总计",
                "                 科研机 社会公益", "             商业企业            法律服务机构 其他", "                 构   组织",
                "一、本年新收政府信息公开申请数量  1 2 3 4 5 6 21"]
    assert not order_departs(template)
    swapped = ["申请人情况", "自然 法人或其他组织 总", "科研 商业 社会公 法律服 其", "人 机构 企业 益组织 务机构 他 计",
               "一、本年新收政府信息公开申请数量 11 1 6 2 15 11 46"]
    assert order_departs(swapped)
    one_per_line = ["申请人情况", "科研", "机构", "商业", "企业", "一、本年新收政府信息公开申请数量 11 1 6 2 15 11 46"]
    assert not order_departs(one_per_line)  # no line compares two names: nothing seen (left as before)
