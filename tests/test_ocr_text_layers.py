"""When a PDF's text layer is not to be trusted, and where an OCR'd picture goes.

Fast checks on the Chromium golden PDFs (tests/fixtures/formats/zibo_police_chromium_*,
made by make_chromium_pictures.py; test_formats' golden driver parses them whole, OCR
included):

- fonts without /ToUnicode give a text layer of glyph codes that is not empty and not
  private-use: Latin-1 junk with stray ideographs (some glyph ids land on 人, 民, 一).  It
  must count as garbled, so the page is OCR'd rather than refused as "not an annual report";
- a browser prints the page background as one white rectangle behind all the text; it
  draws nothing, so it is no rule: taken as a box it framed the whole page as one table,
  swallowed the narrative, and put the text of a picture after the text below it.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from parsers.formats import pdf, pdfgrid

GOLDEN = Path(__file__).parent / "fixtures" / "formats"
NO_MAP = GOLDEN / "zibo_police_chromium_no_tounicode.pdf"
PICTURES = GOLDEN / "zibo_police_chromium_table_pictures.pdf"


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return ["".join(w[4] for w in p.get_textpage(flags=pdf._FLAGS).extractWORDS()) for p in doc]


def test_glyph_codes_with_stray_ideographs_are_garbled():
    texts = page_texts(NO_MAP)
    assert any(pdf._IDEOGRAPH.search(t) for t in texts), "the case under test: some junk lands on ideographs"
    assert all(pdf.garbled(t) for t in texts)


def test_real_chinese_text_layers_are_not_garbled():
    for path in (PICTURES, GOLDEN / "zhoukou_police_libreoffice.pdf", GOLDEN / "yichang_libreoffice_straddling_numbers.pdf"):
        assert not any(pdf.garbled(t) for t in page_texts(path)), path.name
    # a text with Latin-1 punctuation and a few accented names stays text
    assert not pdf.garbled("本报告根据《条例》编制，统计期限自2022年1月1日起。Café × 2 ¥ 3 · 4 ° " * 8)


def test_a_white_background_fill_is_no_rule():
    with pymupdf.open(PICTURES) as doc:
        drawings = doc[0].get_cdrawings()
    assert any(pdfgrid.paper_fill(d) for d in drawings), "the case under test: Chromium's page background"
    segs = pdfgrid.segments(drawings)
    page_w = 595
    assert not any(s.horizontal and s.b - s.a > 0.7 * page_w for s in segs if s.pos < 100), \
        "the background's top edge was taken for a rule"


def test_narrative_and_tables_keep_their_order_on_a_page_with_a_background():
    """Page 1: title, preface, sections 一 and 二 as paragraphs, then table 2's rows (no OCR needed)."""
    with pymupdf.open(PICTURES) as doc:
        lines = pdf.page_lines(doc[0])
    title = next(i for i, ln in enumerate(lines) if ln.endswith("年度报告"))
    section_2 = next(i for i, ln in enumerate(lines) if ln.startswith("二、主动公开政府信息情况"))
    first_row = next(i for i, ln in enumerate(lines) if ln.startswith("规章\t"))
    assert title < section_2 < first_row
    assert lines[section_2] == "二、主动公开政府信息情况"
