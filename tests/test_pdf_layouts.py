"""Tables printed in awkward layouts: numbers broken over two lines of a narrow cell, tables
side by side with the left one running on over the page break, and row labels wrapped
around their row's numbers in a table without rules.

The golden Chromium and LibreOffice PDFs (tests/fixtures/formats/liaocheng_gov_*, made by
make_layouts.py) show each layout whole; the PDFs here are drawn with PyMuPDF (real rules,
real text objects) to set each trap both ways: what must be joined, and what must not.
"""

from __future__ import annotations

import pymupdf

from parsers.formats import pdf

TITLE = "聊城市人民政府2024年政府信息公开工作年度报告（测试用表格页，正文足够长以免被当作扫描件）"
SIZE = 12
DIGIT = pymupdf.get_text_length("0", fontname="helv", fontsize=SIZE)


def _grid(page: pymupdf.Page, xs: list[float], ys: list[float]) -> None:
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)


def _centred(page: pymupdf.Page, left: float, right: float, base: float, text: str) -> None:
    width = pymupdf.get_text_length(text, fontname="helv", fontsize=SIZE)
    page.insert_text(((left + right - width) / 2, base), text, fontname="helv", fontsize=SIZE)


def _stacked_cells(rows: list[tuple[str, list[tuple[str, ...]]]], xs: list[float]) -> bytes:
    """One ruled table; each value cell holds one or two lines, centred, 14 pt apart."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    ys = [100 + 56 * i for i in range(len(rows) + 1)]
    _grid(page, xs, ys)
    for (label, cells), y in zip(rows, ys, strict=False):
        page.insert_text((xs[0] + 2, y + 32), label, fontname="china-s", fontsize=SIZE)
        for lines, left, right in zip(cells, xs[1:], xs[2:], strict=False):
            top = y + 32 - 7 * (len(lines) - 1)
            for k, line in enumerate(lines):
                _centred(page, left, right, top + 14 * k, line)
    return doc.tobytes()


def test_number_broken_in_a_cell_too_narrow_for_it_is_read_whole():
    """812 in a cell with room for two digits: "81" over "2", the first line filling the cell."""
    narrow = 2 * DIGIT + 6  # two digits and the padding: no room for a third
    xs = [50, 150, 150 + narrow, 150 + 2 * narrow]
    data = _stacked_cells([("行政许可", [("81", "2"), ("12", "37")]),
                           ("行政处罚", [("5",), ("90",)])], xs)
    lines = pdf.extract(data).splitlines()
    assert "行政许可\t812\t1237" in lines
    assert "行政处罚\t5\t90" in lines


def test_long_number_broken_over_three_lines_is_read_whole():
    """1672944 in a cell three digits wide: "167" / "294" / "4"."""
    narrow = 3 * DIGIT + 6
    xs = [50, 150, 150 + narrow]
    data = _stacked_cells([("行政许可", [("167", "294", "4")])], xs)
    assert "行政许可\t1672944" in pdf.extract(data).splitlines()


def test_two_numbers_on_two_lines_of_a_cell_with_room_are_not_joined():
    """A cell wide enough for "812" on one line that shows "81" over "2" holds two numbers
    (a forced break, a missing rule): never read as 812."""
    xs = [50, 150, 240, 330]
    data = _stacked_cells([("行政许可", [("81", "2"), ("3",)])], xs)
    lines = pdf.extract(data).splitlines()
    assert "行政许可\t81 2\t3" in lines
    assert not any("812" in ln for ln in lines)


def test_narrow_cell_with_room_beside_its_first_line_or_a_longer_second_line_is_not_joined():
    """In a narrow cell: "8" over "1" leaves room for another digit beside the 8, and "2"
    over "81" is no break (a break fills the first line first)."""
    narrow = 2 * DIGIT + 6
    xs = [50, 150, 150 + narrow, 150 + 2 * narrow]
    data = _stacked_cells([("行政许可", [("8", "1"), ("2", "81")])], xs)
    lines = pdf.extract(data).splitlines()
    assert "行政许可\t8 1\t2 81" in lines


def _two_columns_then_next_page(next_left: float, next_right: float) -> bytes:
    """A landscape page: table 2 (left, to the page's foot) beside table 4 (right), each under
    its heading; the next page opens with a table from ``next_left`` to ``next_right``."""
    doc = pymupdf.open()
    page = doc.new_page(width=842, height=595)
    page.insert_text((60, 60), TITLE, fontname="china-s", fontsize=10)
    page.insert_text((60, 82), "二、主动公开政府信息情况", fontname="china-s", fontsize=SIZE)
    page.insert_text((440, 97), "四、政府信息公开行政复议、行政诉讼情况", fontname="china-s", fontsize=SIZE)
    left = [("规章", "3"), ("行政规范性文件", "14"), ("行政许可", "120"), ("行政处罚", "45"),
            ("行政强制", "8"), ("第二十条第（八）项", ""), ("信息内容", "本年收费金额"), ("行政事业性收费", "9.5")]
    ys = [100 + 30 * i for i in range(len(left) + 1)]
    _grid(page, [60, 260, 400], ys)
    for (label, value), y in zip(left, ys, strict=False):
        page.insert_text((62, y + 20), label, fontname="china-s", fontsize=SIZE)
        page.insert_text((262, y + 20), value, fontname="china-s", fontsize=SIZE)
    _grid(page, [440, 540, 640, 760], [100, 130, 160])
    for x, text in ((442, "结果维持"), (542, "结果纠正"), (642, "总计")):
        page.insert_text((x, 120), text, fontname="china-s", fontsize=SIZE)
    for x, text in ((442, "1"), (542, "2"), (642, "3")):
        page.insert_text((x, 150), text, fontname="helv", fontsize=SIZE)
    nxt = doc.new_page(width=842, height=595)
    _grid(nxt, [next_left, (next_left + next_right) / 2, next_right], [60, 90, 120])
    nxt.insert_text((next_left + 2, 80), "政府集中采购", fontname="china-s", fontsize=SIZE)
    nxt.insert_text(((next_left + next_right) / 2 + 2, 80), "12", fontname="helv", fontsize=SIZE)
    nxt.insert_text((next_left + 2, 110), "采购总金额", fontname="china-s", fontsize=SIZE)
    nxt.insert_text(((next_left + next_right) / 2 + 2, 110), "30.5", fontname="helv", fontsize=SIZE)
    nxt.insert_text((60, 160), "三、收到和处理政府信息公开申请情况", fontname="china-s", fontsize=SIZE)
    return doc.tobytes()


def test_left_table_running_on_over_the_page_break_is_read_before_the_right_one():
    lines = [ln for ln in pdf.extract(_two_columns_then_next_page(60, 400)).splitlines() if ln.strip()]
    at = {text: i for i, ln in enumerate(lines) for text in ("行政事业性收费", "政府集中采购", "四、", "结果维持", "三、")
          if ln.startswith(text)}
    assert at["行政事业性收费"] < at["政府集中采购"] < at["四、"] < at["结果维持"] < at["三、"]


def test_next_pages_table_of_another_width_is_not_taken_for_a_continuation():
    """A table at the next page's top whose sides do not stand where the left table's did is
    another table: it stays on its page, after the right column."""
    lines = [ln for ln in pdf.extract(_two_columns_then_next_page(60, 780)).splitlines() if ln.strip()]
    at = {text: i for i, ln in enumerate(lines) for text in ("行政事业性收费", "政府集中采购", "结果维持")
          if ln.startswith(text)}
    assert at["行政事业性收费"] < at["结果维持"] < at["政府集中采购"]


def _borderless(rows: list[list[tuple[float, float, str]]]) -> bytes:
    """A table without rules, every cell its own text object: (x, baseline, text) per cell."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    for row in rows:
        for x, y, text in row:
            page.insert_text((x, y), text, fontname="china-s", fontsize=SIZE)
    return doc.tobytes()


def _rows_around(label_top: str, label_bottom: str, bottom_x: float) -> list[list[tuple[float, float, str]]]:
    rows = [[(60, 100, "规章"), (200, 100, "0"), (280, 100, "1"), (360, 100, "14")],
            [(60, 120, label_top)], [(200, 134, "30"), (280, 134, "56"), (360, 134, "258")],
            [(bottom_x, 148, label_bottom)],
            [(60, 170, "行政许可"), (200, 170, "5"), (280, 170, "7"), (360, 170, "9")],
            [(60, 190, "行政处罚"), (200, 190, "2"), (280, 190, "4"), (360, 190, "6")]]
    return rows


def test_label_wrapped_around_its_rows_numbers_is_joined_before_them():
    """其他对外管理服务事 / numbers / 项: the row's numbers centred between its label's lines."""
    top = "行政规范性文"
    below = 60 + (SIZE * len(top) - SIZE) / 2  # 件 centred under the first line
    lines = pdf.extract(_borderless(_rows_around(top, "件", below))).splitlines()
    assert "行政规范性文件\t30\t56\t258" in lines
    assert "规章\t0\t1\t14" in lines and "行政许可\t5\t7\t9" in lines


def test_text_lines_around_a_label_less_row_that_are_not_one_label_stay_apart():
    """The line under the numbers is wider than the one above and not set under it: two
    texts, not one wrapped label."""
    lines = pdf.extract(_borderless(_rows_around("行政规范性文", "其他对外管理服务事项", 40))).splitlines()
    assert not any("行政规范性文其他" in ln for ln in lines)
    assert not any(ln.startswith("行政规范性文") and "30" in ln for ln in lines)


def test_number_ending_a_wrapped_line_of_prose_keeps_its_unit():
    """收到申请72 / 件: the count ends one line of the paragraph and its unit opens the next;
    the text reads 72件 (as typed), where "72 件" hid the count from the narrative's checks.
    A number that does not follow Chinese text (a list's "1" alone) is left as it is."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    page.insert_text((50, 100), "2024年，本机关全年共收到政府信息公开申请72\n件，其中予以公开30件。",
                     fontname="china-s", fontsize=SIZE)
    text = pdf.extract(doc.tobytes())
    assert "2024年，本机关全年共收到政府信息公开申请72件，其中予以公开30件。" in text.splitlines()


def _open_sided(rules_across: list[tuple[float, float, float]], downs: list[float]) -> bytes:
    """Rules across as (x0, x1, y), rules down at ``downs`` from the first rule to the last; the
    2021 template's first table block in its cells."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    top, bottom = min(y for _, _, y in rules_across), max(y for _, _, y in rules_across)
    for x in downs:
        page.draw_line((x, top), (x, bottom), width=0.5)
    for x0, x1, y in rules_across:
        page.draw_line((x0, y), (x1, y), width=0.5)
    rows = [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "0", "1", "14"),
            ("行政规范性文件", "30", "56", "258")]
    for row, y in zip(rows, (100, 120, 140), strict=True):
        for x, text in zip((52, 152, 232, 312), row, strict=True):
            page.insert_text((x, y + 15), text, fontname="china-s", fontsize=9)
    return doc.tobytes()


def test_table_with_open_sides_keeps_its_label_and_last_columns():
    """No rule left of the labels or right of the last column: the rules across run on to
    where the sides would stand, and the outer columns are the table's."""
    data = _open_sided([(50, 390, y) for y in (100, 120, 140, 160)], [150, 230, 310])
    lines = pdf.extract(data).splitlines()
    assert "规章\t0\t1\t14" in lines
    assert "行政规范性文件\t30\t56\t258" in lines


def test_one_long_rule_across_is_no_side():
    """Only the top rule runs on past the outer rules down (a heading's underline): no side
    is drawn from it, and the text left of the grid stays outside the table."""
    data = _open_sided([(20, 390, 100)] + [(150, 310, y) for y in (120, 140, 160)], [150, 230, 310])
    lines = pdf.extract(data).splitlines()
    assert not any(ln.startswith("规章\t") for ln in lines)


def test_numbers_of_two_rows_in_a_narrow_column_without_the_rule_between_are_not_joined():
    """The rule between two rows is missing under a narrow column: its region holds each row's
    own number, "12" above "34", each filling the cell's width.  Never 1234."""
    narrow = 2 * DIGIT + 6
    xs = [50, 150, 150 + narrow]
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    ys = [100, 116, 132, 148]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for y in ys:
        page.draw_line((xs[0], y), (xs[1] if y == 116 else xs[-1], y), width=0.5)  # (no rule under 12)
    for label, value, y in (("行政许可", "12", 100), ("行政处罚", "34", 116), ("行政强制", "5", 132)):
        page.insert_text((52, y + 13), label, fontname="china-s", fontsize=SIZE)
        _centred(page, xs[1], xs[2], y + 13, value)
    lines = pdf.extract(doc.tobytes()).splitlines()
    assert not any("1234" in ln for ln in lines)


def test_columns_followed_by_text_on_their_page_ended_there():
    """A heading under the two columns on the same page: the left table ended on its page,
    and the next page's table of the same width is another one, read where it stands."""
    data = _two_columns_then_next_page(60, 400)
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        doc[0].insert_text((60, 560), "三、收到和处理政府信息公开申请情况", fontname="china-s", fontsize=SIZE)
        data = doc.tobytes()
    lines = [ln for ln in pdf.extract(data).splitlines() if ln.strip()]
    at = {text: i for i, ln in enumerate(lines) for text in ("结果维持", "政府集中采购") if ln.startswith(text)}
    assert at["结果维持"] < at["政府集中采购"]
