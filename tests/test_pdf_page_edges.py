"""Page layout that is not report text: running headers/footers, page numbers, 目录 entries, and
table 3 printed in column slices.  Whole PDFs of each shape are golden cases in
tests/fixtures/realworld (115-119); these pin the rules themselves on the layouts such PDFs give."""

from __future__ import annotations

import parsers
from parsers.colslices import join_slices
from parsers.formats.pdfedges import furniture
from parsers.sections import report_spans

A4 = 842.0
HEADER = "赣州市于都县人民政府2023年政府信息公开工作年度报告"  # the publication year: a running title


def _page(k: int, body: list[tuple[float, list[str]]], header: str | None = HEADER,
          footer: str | None = None) -> tuple[list, float]:
    items = [(y, 90.0, lines) for y, lines in body]
    if header:
        items.append((29.0, 176.0, [header]))
    items.append((801.4, 294.9, [footer if footer is not None else str(k + 1)]))
    return items, A4


def _dropped(pages) -> list[list[str]]:
    return [[pages[k][0][i][2][0] for i in sorted(d)] for k, d in enumerate(furniture(pages))]


def test_running_title_and_bare_page_numbers_between_table_rows_are_dropped():
    pages = [
        _page(0, [(81.7, ["赣州市于都县人民政府2022年政府信息公开工作年"]), (99.0, ["度报告"])]),
        _page(1, [(300.0, ["135\t24\t5\t2\t9\t2\t177", "0\t3\t0\t3\t0\t1\t7"]),
                  (430.7, ["二、上年结转政府信息公开申请数量"])]),
        _page(2, [(65.6, ["申请人情况\t\t", "（一）予以公开\t0\t8\t1\t0\t3\t0\t12"])]),
    ]
    assert _dropped(pages) == [[HEADER, "1"], [HEADER, "2"], [HEADER, "3"]]


def test_a_lone_number_at_one_page_foot_is_kept():
    """Not numbered in page order on two pages: it may be a cell (行政事业性收费 0)."""
    pages = [_page(0, [(100.0, ["正文"])], header=None, footer="0"),
             _page(1, [(100.0, ["正文"])], header=None, footer="7")]
    assert _dropped(pages) == [[], []]


def test_decorated_page_numbers_go_and_headings_repeated_at_a_page_foot_stay():
    """Two reports of a 汇编 laid out alike end a page with the same heading at the same height."""
    heading = "三、收到和处理政府信息公开申请情况"
    pages = [_page(k, [(100.0, ["正文"]), (760.0, [heading])], header=None, footer=f"第 {k + 1} 页 共 4 页")
             for k in range(4)]
    assert _dropped(pages) == [[f"第 {k + 1} 页 共 4 页"] for k in range(4)]


def test_a_line_on_two_of_six_pages_is_no_running_title():
    pages = [_page(k, [(100.0, ["正文"])], header="某某县教育局" if k in (1, 4) else None) for k in range(6)]
    assert all("某某县教育局" not in d for d in _dropped(pages))


def test_a_first_page_whose_only_title_is_its_running_header_keeps_it():
    pages = [_page(0, [(100.0, ["本报告根据《条例》编制。"])]), _page(1, [(100.0, ["正文"])])]
    assert _dropped(pages) == [["1"], [HEADER, "2"]]


def test_toc_entries_are_no_report_parts():
    lines = ["福安市2024年政府信息公开工作年度报告汇编", "目 录",
             "福安市人民政府2024年政府信息公开工作年度报告……………1", "一、总体情况…………………1",
             "福安市人民政府办公室2024年政府信息公开工作年度报告……6", "一、总体情况…………………6",
             "福安市人民政府2024年政府信息公开工作年度报告", "一、总体情况", "正文",
             "福安市人民政府办公室2024年政府信息公开工作年度报告", "一、总体情况", "正文"]
    spans = report_spans(lines)
    assert [(s.start, s.body) for s in spans] == [(6, "福安市人民政府"), (9, "福安市人民政府办公室")]


_SLICE_1 = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\t\t",
            "\t\t\t自然人\t法人或其他组织", "\t\t\t\t商业企业",
            "一、本年新收政府信息公开申请数量\t90\t25\t\t", "二、上年结转政府信息公开申请数量\t2\t2\t\t",
            "\t（七）总计\t92\t27\t", "四、结转下年度继续办理\t0\t0\t\t"]
_SLICE_2 = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\t\t\t",
            "\t\t\t法人或其他组织\t总计", "\t\t\t科研机构\t社会公益组织\t法律服务机构\t其他",
            "一、本年新收政府信息公开申请数量\t3\t2\t0\t11\t131", "二、上年结转政府信息公开申请数量\t2\t0\t3\t0\t9",
            "\t（七）总计\t4\t2\t3\t11\t139", "四、结转下年度继续办理\t1\t0\t0\t0\t1"]


def test_column_slices_are_joined_by_their_headers_and_row_labels():
    lines = _SLICE_1 + _SLICE_2
    joined = join_slices(lines)
    assert len(joined) == len(lines)  # lines keep their PDF pages
    rows = [s for s in joined if s.startswith(("一、本年新收", "四、结转下年度"))]
    assert rows == ["一、本年新收政府信息公开申请数量\t90\t25\t3\t2\t0\t11\t131",
                    "四、结转下年度继续办理\t0\t0\t1\t0\t0\t0\t1"]


def test_slices_whose_rows_do_not_match_are_left_as_printed():
    other_rows = _SLICE_2[:3] + ["二、上年结转政府信息公开申请数量\t2\t0\t3\t0\t9",  # rows in another order
                                 "一、本年新收政府信息公开申请数量\t3\t2\t0\t11\t131"] + _SLICE_2[5:]
    lines = _SLICE_1 + other_rows
    assert join_slices(lines) == lines
    short = _SLICE_2[:3] + ["一、本年新收政府信息公开申请数量\t3\t2\t0\t131"] + _SLICE_2[4:]  # a cell lost
    assert join_slices(_SLICE_1 + short) == _SLICE_1 + short


def test_a_title_broken_inside_its_last_word_gives_the_agency():
    text = ("景德镇市浮梁县人民政府2022年政府信息公开工作年度报\n告\n"
            "本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计\n"
            "期限自2022年1月1日起至2022年12月31日止。\n一、总体情况\n2022年，本机关持续深化政务公开。\n")
    record = parsers.parse_text(text).record
    assert (record["agency"], record["year"]) == ("景德镇市浮梁县人民政府", 2022)


def test_a_number_near_the_foot_but_not_where_the_page_numbers_stand_is_kept():
    pages = [_page(k, [(100.0, ["正文"])], header=None) for k in range(3)]
    pages[2][0].append((752.0, 300.0, ["3"]))  # a cell of the table's last row, above the footer
    assert _dropped(pages) == [["1"], ["2"], ["3"]]
    assert len(pages[2][0]) - len(furniture(pages)[2]) == 2  # 正文 and the cell stay
