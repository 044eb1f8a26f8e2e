"""PDF text is read as a viewer shows it (parsers.formats.pdfvisible), and a table row standing
alone with a cell spanning two columns keeps that cell (parsers.formats.pdfpieces).

The PDFs are real, drawn with PyMuPDF the way office tools and hand edits draw them; what is
checked is the text pdf.extract gives, as a reader of the page would check it.  The whole-report
cases are the golden fixtures zhoukou_police_hidden_*.pdf (tests/fixtures/formats).  A scan's
OCR layer is checked against the picture (parsers.formats.pdfocrlayer).
"""

from __future__ import annotations

import re

import pymupdf

from parsers.formats import pdf

TITLE = "宜昌市人民政府2023年政府信息公开工作年度报告（测试用页面，正文足够长以免被当作扫描件）"


def page_with(draw) -> bytes:
    """One page: a title line, a ruled two-cell row with 规章 and 17, then whatever ``draw`` adds."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    for x in (50, 150, 250):
        page.draw_line((x, 100), (x, 130), width=0.5)
    for y in (100, 130):
        page.draw_line((50, y), (250, y), width=0.5)
    page.insert_text((55, 120), "规章", fontname="china-s", fontsize=12)
    page.insert_text((160, 120), "17", fontname="helv", fontsize=12)
    draw(page)
    return doc.tobytes()


def row(data: bytes) -> str:
    return next(ln for ln in pdf.extract(data).splitlines() if ln.startswith("规章"))


def test_plain_row_is_read():
    assert row(page_with(lambda page: None)) == "规章\t17"


def test_invisible_text_over_the_printed_number_is_not_read():
    """Render mode 3 draws nothing: a draft's 25 written over the printed 17 is no part of it."""
    data = page_with(lambda page: page.insert_text((160, 120), "25", fontname="helv", fontsize=9, render_mode=3))
    assert "25" in pymupdf.open(stream=data)[0].get_text()  # the trap is set: the text layer has it
    assert row(data) == "规章\t17"


def test_white_text_on_the_paper_is_not_read_but_on_a_dark_fill_it_is():
    def white_on_paper(page):
        page.insert_text((175, 120), "63", fontname="helv", fontsize=12, color=(1, 1, 1))

    assert row(page_with(white_on_paper)) == "规章\t17"

    def white_on_dark(page):  # a dark cell painted first: white digits on it are what it shows
        page.draw_rect((151, 101, 249, 129), color=None, fill=(0.1, 0.2, 0.5), overlay=False)
        page.insert_text((200, 120), "63", fontname="helv", fontsize=12, color=(1, 1, 1))

    assert row(page_with(white_on_dark)) == "规章\t17 63"


def test_text_coloured_as_its_shaded_cell_is_not_read_and_black_text_on_shading_is():
    blue = (0.75, 0.85, 1.0)

    def shaded(page):  # cell shading is painted before the cell's text
        page.draw_rect((150, 100, 250, 130), color=None, fill=blue, overlay=False)
        page.insert_text((185, 120), "9", fontname="helv", fontsize=12, color=blue)

    assert row(page_with(shaded)) == "规章\t17"


def test_old_figure_under_an_opaque_box_painted_after_it_is_not_read():
    def corrected(page):  # the old 25 typed beside the new figure and whited out by hand
        page.insert_text((185, 120), "25", fontname="helv", fontsize=12)
        page.draw_rect((183, 105, 205, 125), color=None, fill=(1, 1, 1))

    assert row(page_with(corrected)) == "规章\t17"


def test_figure_typed_again_on_the_box_that_covers_it_is_read_once():
    """The printed 17 is covered by a white box and 17 typed on the box at the same place:
    the reader sees one 17 (the second), and it is read once, not dropped with the first."""
    def retyped(page):
        page.draw_rect((158, 105, 180, 125), color=None, fill=(1, 1, 1))
        page.insert_text((160, 120), "17", fontname="helv", fontsize=12)

    assert row(page_with(retyped)) == "规章\t17"


def test_a_black_box_painted_over_a_figure_hides_it_and_one_painted_under_it_does_not():
    def redacted(page):
        page.draw_rect((158, 105, 180, 125), color=None, fill=(0, 0, 0))

    assert row(page_with(redacted)) == "规章"

    def highlighted(page):  # a fill painted before the text (overlay=False) is its ground
        page.draw_rect((158, 105, 180, 125), color=None, fill=(1, 1, 0), overlay=False)

    assert row(page_with(highlighted)) == "规章\t17"


def test_invisible_text_over_a_picture_is_a_scans_ocr_layer_and_is_read():
    """A scan's OCR layer is invisible text on the page image: the only words that page has."""
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 60, 80), False)
    pix.set_rect(pix.irect, (235,))
    page.insert_image(page.rect, pixmap=pix)
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10, render_mode=3)
    page.insert_text((50, 90), "全年共收到政府信息公开申请 57 件", fontname="china-s", fontsize=10, render_mode=3)
    text = pdf.extract(doc.tobytes())
    assert "全年共收到政府信息公开申请 57 件" in text.replace("57件", "57 件")


def test_lone_row_whose_last_cell_spans_two_columns_keeps_that_cell():
    """Chromium draws every cell's borders on their own; a row carried alone onto the next page
    whose 采购总金额 cell spans two columns has its right part's rules meeting the rest only end
    to end (no rule where the hidden column edge would be).  The amount belongs to the row."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 40), TITLE, fontname="china-s", fontsize=10)
    # 政府集中采购 | 47 | 1295.16 (two columns wide): each cell's borders as thin filled bars, as Skia
    # paints them, the top and bottom ones column by column (the spanning cell's in two pieces)
    for x0, x1 in ((50, 200), (200, 300), (300, 400), (400, 500)):
        page.draw_rect((x0, 60, x1, 60.75), color=None, fill=(0, 0, 0))
        page.draw_rect((x0, 82, x1, 82.75), color=None, fill=(0, 0, 0))
    for x in (50, 200, 300, 499.25):
        page.draw_rect((x, 60, x + 0.75, 82.75), color=None, fill=(0, 0, 0))
    page.insert_text((55, 76), "政府集中采购", fontname="china-s", fontsize=10)
    page.insert_text((240, 76), "47", fontname="helv", fontsize=10)
    page.insert_text((380, 76), "1295.16", fontname="helv", fontsize=10)
    page.insert_text((50, 120), "三、收到和处理政府信息公开申请情况", fontname="china-s", fontsize=12)
    lines = pdf.extract(doc.tobytes()).splitlines()
    assert "政府集中采购\t47\t1295.16" in lines


def scan_with_layer(numbers: list[str], layer: list[str]) -> bytes:
    """A one-page scan (the printed page as a 200 dpi greyscale picture) of a ruled row of
    ``numbers``, under an invisible OCR layer that reads them as ``layer``."""
    printed = pymupdf.open()
    page = printed.new_page()
    xs = [50 + 80 * i for i in range(len(numbers) + 2)]
    for x in xs:
        page.draw_line((x, 100), (x, 130), width=0.8)
    for y in (100, 130):
        page.draw_line((xs[0], y), (xs[-1], y), width=0.8)
    page.insert_text((55, 120), "行政处罚", fontname="china-s", fontsize=12)
    for x, n in zip(xs[1:], numbers, strict=False):
        page.insert_text((x + 20, 120), n, fontname="helv", fontsize=12)
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    out = scan.new_page()
    out.insert_image(out.rect, stream=pix.tobytes("png"))
    out.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10, render_mode=3)
    out.insert_text((55, 120), "行政处罚", fontname="china-s", fontsize=12, render_mode=3)
    for x, n in zip(xs[1:], layer, strict=False):
        out.insert_text((x + 20, 120), n, fontname="helv", fontsize=12, render_mode=3)
    return scan.tobytes()


def test_ocr_layer_numbers_the_picture_does_not_show_are_read_from_the_picture():
    """The scanner's OCR read 2022 as 2822 and 0 as 8; the page shows 2022 and 0, and 516 as 516."""
    text = pdf.extract(scan_with_layer(["2022", "0", "516"], ["2822", "8", "516"]))
    row = next(ln for ln in text.splitlines() if ln.startswith("行政处罚"))
    assert re.findall(r"\d+", row) == ["2022", "0", "516"]


def test_ocr_layer_that_agrees_with_the_picture_is_read_as_it_is():
    text = pdf.extract(scan_with_layer(["2022", "0", "516"], ["2022", "0", "516"]))
    row = next(ln for ln in text.splitlines() if ln.startswith("行政处罚"))
    assert re.findall(r"\d+", row) == ["2022", "0", "516"]


def test_a_fill_painted_over_text_in_a_blending_state_is_a_highlighter_and_hides_nothing():
    """Multiply (a highlighter flattened into the page) tints what is under it: the text is seen."""
    def highlighted(page):
        doc = page.parent
        gs = doc.get_new_xref()
        doc.update_object(gs, "<</Type/ExtGState/BM/Multiply>>")
        resources = int(doc.xref_get_key(page.xref, "Resources")[1].split()[0])
        doc.xref_set_key(resources, "ExtGState", f"<</Hi {gs} 0 R>>")
        page.draw_rect((158, 105, 180, 125), color=None, fill=(1, 1, 0))
        doc.update_stream(page.get_contents()[-1], b"q /Hi gs " + doc.xref_stream(page.get_contents()[-1]) + b" Q")

    assert row(page_with(highlighted)) == "规章\t17"


def test_white_text_on_a_rounded_banner_is_read():
    """A banner drawn with curves (or a gradient) is a ground whose colour is not known here:
    white text on it is what the page shows, and it is read."""
    def banner(page):
        page.draw_rect((151, 101, 249, 129), color=None, fill=(0.1, 0.2, 0.5), radius=0.2, overlay=False)
        page.insert_text((200, 120), "63", fontname="helv", fontsize=12, color=(1, 1, 1))

    assert row(page_with(banner)) == "规章\t17 63"


def _append(page, ops: bytes) -> None:
    """Raw operators in a content stream after the page's own (PDF space: y up, page 842 high)."""
    doc = page.parent
    page.wrap_contents()
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, ops)
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{x} 0 R" for x in [*page.get_contents(), xref]) + "]")


def test_an_opaque_fill_covers_only_what_its_clip_lets_it_paint():
    """A white page-wide fill painted after the text through a clip of an empty spot (as exporters
    paint a cell's ground) covers nothing; through a clip around the figure it covers it."""
    def clipped_away(page):  # the clip: a 20x20 square in the empty lower margin
        _append(page, b"q 300 100 20 20 re W n 1 g 0 0 595 842 re f Q")

    def clipped_over(page):  # the clip: the box of 17 (y 722-742 in PDF space)
        _append(page, b"q 158 718 20 26 re W n 1 g 0 0 595 842 re f Q")

    assert row(page_with(clipped_away)) == "规章\t17"
    assert row(page_with(clipped_over)).rstrip("\t") == "规章"


def test_a_fill_in_a_blending_form_xobject_is_a_highlighter_and_hides_nothing():
    """The highlighter's Multiply set inside a form XObject (a stamp or annotation flattened into the
    page), not in the page's own graphics states: the text under it is seen."""
    def stamped(page):
        doc = page.parent
        gs = doc.get_new_xref()
        doc.update_object(gs, "<</Type/ExtGState/BM/Multiply>>")
        form = doc.get_new_xref()
        doc.update_object(form, f"<</Type/XObject/Subtype/Form/BBox[0 0 595 842]"
                                f"/Resources<</ExtGState<</Hi {gs} 0 R>>>>/Length 0>>")
        doc.update_stream(form, b"q /Hi gs 1 1 0 rg 158 717 22 20 re f Q")
        resources = int(doc.xref_get_key(page.xref, "Resources")[1].split()[0])
        doc.xref_set_key(resources, "XObject", f"<</Hl {form} 0 R>>")
        _append(page, b"/Hl Do")

    assert row(page_with(stamped)) == "规章\t17"


def test_clip_only_text_over_the_printed_number_is_not_read():
    """Render mode 7 adds the letters to the clip and paints nothing: a draft's 25 laid so over the
    printed 17 is not seen."""
    data = page_with(lambda page: page.insert_text((160, 120), "25", fontname="helv", fontsize=12, render_mode=7))
    assert "25" in pymupdf.open(stream=data)[0].get_text()  # the trap is set: the text layer has it
    assert row(data) == "规章\t17"
