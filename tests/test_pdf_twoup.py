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

from parsers.formats import pdf
from parsers.pages import PAGE_BREAK

GOLDEN = Path(__file__).parent / "fixtures" / "formats"
SHEET = GOLDEN / "liaocheng_gov_chromium_two_up.pdf"
SIDE_BY_SIDE = GOLDEN / "liaocheng_gov_chromium_side_by_side.pdf"
FIRST_ROW = "一、本年新收政府信息公开申请数量\t1909\t18\t0\t0\t19\t5\t1951"
LATER_ROW = "（一）予以公开\t835\t5\t0\t0\t23\t4\t867"


def _pages(data: bytes) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for line in pdf.extract(data).split("\n"):
        if line == PAGE_BREAK:
            pages.append([])
        else:
            pages[-1].append(line)
    return pages


def _row_at(lines: list[str], row: str) -> int:
    return next(i for i, line in enumerate(lines) if row in line)


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
    pages = _pages(SHEET.read_bytes())
    assert len(pages) >= 2  # the sheet's halves are two pages (a page break between)
    left, right = pages[0], pages[1]
    assert any(FIRST_ROW in line for line in left)
    assert any(LATER_ROW in line for line in right)
    assert not any(LATER_ROW in line for line in left)
    # the right half's rows no longer come before the left half's header and first rows
    assert _row_at(left, "二、主动公开政府信息情况") < _row_at(left, FIRST_ROW)


def test_sheet_imposed_again_is_still_two_pages():
    assert len(_pages(_resheeted())) == 2
    assert len(_pages(_resheeted(seam=True))) == 2  # a divider down the gutter joins nothing across it


def test_halves_without_their_own_headers_and_footers_stay_one_page():
    """Two pages side by side, but nothing at the sheet's edges repeats in both halves: no proof."""
    pages = _pages(_resheeted(clip_edges=40))
    assert len(pages) == 1
    assert any(LATER_ROW in line for line in pages[0])  # its text is all still read


def test_rule_running_across_the_gutter_keeps_the_sheet_one_page():
    assert len(_pages(_resheeted(rule_across=True))) == 1


def test_two_tables_side_by_side_on_one_landscape_page_are_no_two_up_sheet():
    """A landscape page with tables 2 and 4 side by side has a blank strip between them, but no
    header or footer repeated in each half: it keeps its own pages (and its left-then-right order)."""
    doc = pymupdf.open(SIDE_BY_SIDE)
    assert len(_pages(SIDE_BY_SIDE.read_bytes())) == doc.page_count
