"""A 2-up sheet (two printed pages side by side on one landscape sheet) is read as its two
pages, left then right, only when the geometry proves it.

The golden sheet (tests/fixtures/formats/liaocheng_gov_chromium_two_up.pdf, made by
make_twoup.py: Chromium's print with its header and footer, imposed two pages a sheet) has
table 3 beginning at the foot of the left page and going on at the top of the right one.  The
other sheets here are made from it with PyMuPDF, each taking away one part of the proof.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from parsers import parse_bytes
from parsers.formats import pdf, pdftwoup

GOLDEN = Path(__file__).parent / "fixtures" / "formats"
SHEET = GOLDEN / "liaocheng_gov_chromium_two_up.pdf"
SIDE_BY_SIDE = GOLDEN / "liaocheng_gov_chromium_side_by_side.pdf"
FIRST_ROW = "一、本年新收政府信息公开申请数量\t1909\t18\t0\t0\t19\t5\t1951"
LATER_ROW = "（一）予以公开\t835\t5\t0\t0\t23\t4\t867"


def _lines(data: bytes) -> list[str]:
    return pdf.extract(data).split("\n")


def _row_at(lines: list[str], row: str) -> int:
    return next(i for i, line in enumerate(lines) if row in line)


def _split_at(data: bytes) -> float | None:
    """Where the first sheet parts into two pages (as pdf.extract asks), or None."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        tp = page.get_textpage(flags=pdf._FLAGS)

        def things() -> list[tuple[float, float, float, float]]:
            return [b[:4] for b in tp.extractBLOCKS() if b[6] != 0] + [i["bbox"] for i in page.get_image_info()]

        return pdftwoup.split(tp.extractWORDS(), things, page.rect.width, page.rect.height)


def _resheeted(clip_edges: float = 0.0, rule_across: bool = False, seam: bool = False) -> bytes:
    """The golden sheet's two pages imposed again: their top and bottom ``clip_edges`` points
    (where the header and footer stand) cut off, a rule drawn across the whole sheet, or a thin
    rule down the middle between the pages (a divider some N-up prints draw)."""
    src = pymupdf.open(SHEET)
    out = pymupdf.open()
    page = src[0]
    width, height = page.rect.width, page.rect.height
    sheet = out.new_page(width=width, height=height)
    for j in range(2):
        clip = pymupdf.Rect(j * width / 2, clip_edges, (j + 1) * width / 2, height - clip_edges)
        sheet.show_pdf_page(clip, src, 0, clip=clip)
    if rule_across:
        sheet.draw_line((20, height / 2), (width - 20, height / 2), width=0.5)
    if seam:
        sheet.draw_line((width / 2, 20), (width / 2, height - 20), width=0.5)
    return out.tobytes()


def test_table_straddling_the_halves_of_a_two_up_sheet_is_read_in_page_order():
    lines = _lines(SHEET.read_bytes())
    # the left page (table 2, then table 3's header and first rows), then the right one
    assert _row_at(lines, "二、主动公开政府信息情况") < _row_at(lines, FIRST_ROW) < _row_at(lines, LATER_ROW)
    result = parse_bytes(SHEET.read_bytes(), name=SHEET.name)
    assert result.record["applications"]["granted"]["total"] == 867
    # a cell's page is the PDF's page (the sheet), not the half it stands on
    assert set(result.meta["pages"].values()) == {1}


def test_sheet_imposed_again_is_still_two_pages():
    assert _split_at(_resheeted()) is not None
    assert _split_at(_resheeted(seam=True)) is not None  # a divider down the gutter joins nothing across it


def test_halves_without_their_own_headers_and_footers_stay_one_page():
    """Two pages side by side, but nothing at the sheet's edges repeats in both halves: no proof."""
    assert _split_at(_resheeted(clip_edges=40)) is None


def test_rule_running_across_the_gutter_keeps_the_sheet_one_page():
    assert _split_at(_resheeted(rule_across=True)) is None


def test_two_tables_side_by_side_on_one_landscape_page_are_no_two_up_sheet():
    """A landscape page with tables 2 and 4 side by side has a blank strip between them, but no
    header or footer repeated in each half: it stays one page."""
    with pymupdf.open(SIDE_BY_SIDE) as doc:
        assert doc[0].rect.width > doc[0].rect.height
    assert _split_at(SIDE_BY_SIDE.read_bytes()) is None
