"""Tables framed only outside, read from where their words stand (parsers/formats/pdfframe.py).

Each case is a real one-page PDF drawn with PyMuPDF: two side rules and a top and bottom
rule, no rule inside, words placed as LibreOffice places a Word table's top-aligned cells
(realworld 121 is the whole report through LibreOffice).
"""

from __future__ import annotations

import pymupdf

from parsers.formats import pdf, pdfframe, pdfgrid

HEAD = 100.0
LEFT, RIGHT = 60.0, 540.0
COLS = [260.0, 330.0, 400.0, 470.0]  # centres of the number columns



def _outer_frame(page, bottom: float) -> None:
    """The table's outer border only, from the header line down to `bottom`: no inner rules."""
    shape = page.new_shape()
    for x in (LEFT, RIGHT):
        shape.draw_line((x, HEAD), (x, bottom))
    for yy in (HEAD, bottom):
        shape.draw_line((LEFT, yy), (RIGHT, yy))
    shape.finish(color=(0, 0, 0), width=0.5)
    shape.commit()

def _page(rows: list[tuple[list[str], list[str | None]]], header: list[str], right_aligned: bool = False,
          shift: float = 0.0, shift_rows: tuple[int, ...] = ()) -> bytes:
    """A framed table: the header words centred over the columns, then each row's label lines
    (the first at its numbers' height, the rest below) and its numbers."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 60), "某县人民政府2020年政府信息公开工作年度报告", fontname="china-s", fontsize=11)
    y = HEAD + 14
    for word, x in zip(header, COLS, strict=True):
        if word:
            page.insert_text((x - 4.5 * len(word), y), word, fontname="china-s", fontsize=9)
    y += 25
    for r, (labels, values) in enumerate(rows):
        for k, line in enumerate(labels):
            page.insert_text((66, y + 15 * k), line, fontname="china-s", fontsize=9)
        for c, v in enumerate(values):
            if v is None:
                continue
            width = pymupdf.get_text_length(v, fontname="helv", fontsize=9)
            x = COLS[c] + 20 - width if right_aligned else COLS[c] - width / 2
            page.insert_text((x + (shift if c == 1 and r in shift_rows else 0), y), v, fontname="helv", fontsize=9)
        y += 15 * len(labels) + 10
    _outer_frame(page, y)
    return doc.tobytes()


def _framed(data: bytes) -> list[pdfgrid.Table]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        tp = page.get_textpage(flags=pdf._FLAGS)
        segs = pdfgrid.segments(page.get_cdrawings())
        return pdfframe.tables(segs, tp.extractWORDS())


ROWS = [(["一、本年新收政府信息公开申", "请数量"], ["55", "246", "16", "317"]),
        (["二、上年结转政府信息公开申", "请数量"], ["0", "3", "1", "4"]),
        (["（三）总计"], ["12", "7", "0", "19"])]


def test_wrapped_labels_join_the_row_their_first_line_starts():
    text = pdf.extract(_page(ROWS, ["自然人", "商业企业", "科研机构", "总计"]))
    assert "一、本年新收政府信息公开申请数量\t55\t246\t16\t317" in text
    assert "二、上年结转政府信息公开申请数量\t0\t3\t1\t4" in text
    assert "（三）总计\t12\t7\t0\t19" in text


def test_a_column_printed_all_blank_stays_under_its_header():
    rows = [(labels, [v if c != 2 else None for c, v in enumerate(values)]) for labels, values in ROWS]
    text = pdf.extract(_page(rows, ["自然人", "商业企业", "科研机构", "总计"]))
    assert "一、本年新收政府信息公开申请数量\t55\t246\t\t317" in text


def test_right_aligned_numbers_with_a_column_all_blank_are_not_read_from_positions():
    """Centred headers do not show where right-aligned numbers of a blank column would stand:
    reading the three columns left would shift 317 under 科研机构."""
    rows = [(labels, [v if c != 2 else None for c, v in enumerate(values)]) for labels, values in ROWS]
    assert _framed(_page(rows, ["自然人", "商业企业", "科研机构", "总计"], right_aligned=True)) == []


def test_a_number_standing_alone_between_columns_leaves_the_frame_unread():
    """Row 三's 7 stands 12 points right of its column: no other number or header proves a
    column there, so the frame is not read from positions (the text reading takes it)."""
    assert _framed(_page(ROWS, ["", "", "", ""]))  # (the same table, aligned: read)
    assert _framed(_page(ROWS, ["", "", "", ""], shift=12, shift_rows=(2,))) == []


def test_a_ruled_table_is_not_a_frame():
    segs = [pdfgrid.Seg(False, LEFT, HEAD, 300), pdfgrid.Seg(False, RIGHT, HEAD, 300),
            pdfgrid.Seg(False, 300, HEAD, 300), pdfgrid.Seg(True, HEAD, LEFT, RIGHT)]
    assert pdfframe.frames(segs) == []
    assert pdfframe.frames(segs[:2] + segs[3:]) == [(LEFT, HEAD, RIGHT, 300)]


def test_a_table_printed_but_not_read_is_not_called_absent():
    """Two pages on one sheet can scramble table 3's text past reading (pdfreal14 c12): the
    note must say the table is printed and unread, not that the report lacks it."""
    import parsers

    report = ("某县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n本年度认真贯彻条例。\n"
              "三、收到和处理政府信息公开申请情况\n（一）予以公开 （二）部分公开 （三）不予公开 （五）不予处理\n"
              "一、本年新收政府信息公开申请数量 二、上年结转政府信息公开申请数量\n"
              "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。")
    notes = {f["cells"][0]: f["message"] for f in parsers.parse_text(report).findings if f["code"] == "table_missing"}
    assert "印在报告中" in notes["applications"] and "不在报告文本中" not in notes["applications"]
    assert "不在报告文本中" in notes["reviews_litigation"]  # (its own words are not printed)


def test_a_scanned_table_2_the_ocr_could_not_read_is_not_called_absent():
    """A skewed scan (real21 scan_pdf_rot_b3): table 2's headers were recognised, its rows not (OCR
    marks the unreadable with U+FE58).  The note says the table is printed and was not read."""
    import parsers

    report = ("某街道办事处2019年政府信息公开工作年度报告\n一、总体情况\n本年度认真贯彻条例。\n"
              "二、主动公开政府信息情况\n﹘\t第（一）项\n﹘\t本年新制作数量\t本年新公开数量\t对外公开总\n"
              "﹘\t﹘\t上一年项目数量\t本年增/减\tYI理/正Y\n"
              "五、存在的主要问题及改进情况\n无。")
    notes = {f["cells"][0]: f["message"] for f in parsers.parse_text(report).findings if f["code"] == "table_missing"}
    assert "印在报告中" in notes["active_disclosure"] and "扫描件识别不清" in notes["active_disclosure"]
    assert "不在报告文本中" in notes["reviews_litigation"]


def _centred_page(rows: list[tuple[list[str], list[str | None]]], wrap: float, gap: float, note: str = "") -> bytes:
    """A framed table as a browser sets it: the header over the columns, then each row's label
    lines ``wrap`` points apart and its numbers at their middle; rows ``gap`` points apart; a
    ``note`` line across the frame's foot, centred."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 60), "某县人民政府2020年政府信息公开工作年度报告", fontname="china-s", fontsize=11)
    y = HEAD + 14
    for word, x in zip(["自然人", "商业企业", "科研机构", "总计"], COLS, strict=True):
        page.insert_text((x - 4.5 * len(word), y), word, fontname="china-s", fontsize=9)
    y += 25
    for labels, values in rows:
        for k, line in enumerate(labels):
            page.insert_text((66, y + wrap * k), line, fontname="china-s", fontsize=9)
        middle = y + wrap * (len(labels) - 1) / 2
        for c, v in enumerate(values):
            if v is not None:
                width = pymupdf.get_text_length(v, fontname="helv", fontsize=9)
                page.insert_text((COLS[c] - width / 2, middle), v, fontname="helv", fontsize=9)
        y += wrap * (len(labels) - 1) + gap
    if note:
        page.insert_text(((LEFT + RIGHT) / 2 - 4.5 * len(note), y), note, fontname="china-s", fontsize=9)
        y += gap
    _outer_frame(page, y)
    return doc.tobytes()


CENTRED_ROWS = [(["一、本年新收政府信息公开申", "请数量"], ["55", "246", None, "301"]),
                (["1.属于国家秘密"], [None, None, None, None]),
                (["（二）部分公开（区分处理的，只", "计这一情形，不计其他情形）"], ["2", None, None, "2"]),
                (["（七）总计"], ["12", "7", None, "19"])]


def test_numbers_centred_between_their_labels_wrapped_lines_join_that_row():
    """A browser centres a row's cells top to bottom: its numbers stand between the two lines
    of its wrapped label, not beside the first.  The blank column stays under its header."""
    text = pdf.extract(_centred_page(CENTRED_ROWS, wrap=12.8, gap=15.8))
    assert "一、本年新收政府信息公开申请数量\t55\t246\t\t301" in text
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t2\t\t\t2" in text
    assert "（七）总计\t12\t7\t\t19" in text


def test_rows_set_at_the_pitch_of_a_wrap_are_not_read_from_positions():
    """Without cell padding, rows stand as close as a label's wrapped lines: which lines make one
    label cannot be told (1.属于国家秘密 could be the end of the row above), so the frame is
    not read from positions."""
    assert _framed(_centred_page(CENTRED_ROWS, wrap=12.8, gap=12.8)) == []
    assert _framed(_centred_page(CENTRED_ROWS, wrap=12.8, gap=15.8))  # (the same table with padding: read)


def test_a_note_across_the_frames_foot_standing_over_no_column_leaves_it_unread():
    """Text below the last numbers is no header: a word of it over no column proves no column
    printed all blank (it would add an empty cell to every row), so the frame is not read."""
    assert _framed(_centred_page(CENTRED_ROWS, wrap=12.8, gap=15.8, note="注：本表数据截至十二月")) == []
