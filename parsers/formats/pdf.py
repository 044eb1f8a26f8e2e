"""PDF: text layer through PyMuPDF; ruled tables read off the drawn lines (pdfgrid).

PyMuPDF's find_tables (~30-40 ms a page against <1 ms for plain text) is only the
fallback for pages with rules that pdfgrid could not turn into a table.  A PDF with no
text layer (a scan) is rendered and OCR'd instead.
"""

from __future__ import annotations

import re

import pymupdf

from parsers.errors import ParseError
from parsers.formats import clean_cell, clean_line, pdfgrid

OCR_DPI = 150
_MIN_RULES = 6  # vector paths on a page before it is worth looking for a table
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef\d])")

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
if hasattr(pymupdf, "no_recommend_layout"):
    pymupdf.no_recommend_layout()  # else find_tables prints an advert on stdout, into `--json` output


def open_pdf(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # pymupdf raises its own FileDataError / RuntimeError variants
        raise ParseError(f"corrupt or truncated PDF ({_short(e)})") from None
    if doc.needs_pass:
        raise ParseError("encrypted PDF: a password is required to open it")
    if doc.page_count == 0:
        raise ParseError("truncated or corrupt PDF: no readable pages")
    return doc


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:120] if str(e) else type(e).__name__


def page_lines(page: pymupdf.Page) -> list[str]:
    """Text blocks and table rows of one page, top to bottom."""
    items: list[tuple[float, float, list[str]]] = []
    boxes: list[pymupdf.Rect] = []
    found = pdfgrid.tables(page, page.get_text("words"))
    for t in found:
        box = pymupdf.Rect(t.bbox)
        boxes.append(box)
        items.append((box.y0, box.x0, table_rows(t.rows)))
    if not found and len(page.get_drawings()) >= _MIN_RULES:
        try:
            slow = list(page.find_tables())
        except Exception:  # table finder failures must not lose the page text
            slow = []
        for t in slow:
            box = pymupdf.Rect(t.bbox)
            boxes.append(box)
            items.append((box.y0, box.x0, table_rows(t.extract())))
    for x0, y0, x1, y1, text, _no, kind in page.get_text("blocks", sort=False):
        if kind != 0:
            continue
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if any(b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1 for b in boxes):
            continue
        line = clean_line(_CJK_BREAK.sub("", text))
        if line:
            items.append((y0, x0, [line]))
    items.sort(key=lambda it: (round(it[0], 1), it[1]))
    return [ln for _, _, lines in items for ln in lines]


def table_rows(raw: list[list[str | None]]) -> list[str]:
    """Tab lines of one found table, without sliver columns.

    Column edges that do not line up from row to row (a table LibreOffice or Word drew
    in pieces) make the finder invent thin columns that are empty or merge-covered in
    every row; they are not cells of the report's table and are dropped.
    """
    table = [_drop_covered(row) for row in raw]
    width = max((len(r) for r in table), default=0)
    used = [c for c in range(width) if any(c < len(r) and r[c] for r in table)]
    lines = []
    for row in table:
        cells = [row[c] if c < len(row) else "" for c in used]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _drop_covered(row: list[str | None]) -> list[str]:
    """Row cells with merge-covered positions (None) removed after the first real cell.

    Leading covered positions (under a rowspan label) stay as empty strings so label
    columns keep their place; later ones are dropped, because when one table is drawn
    as two with different column edges the finder's union grid leaves such gaps at
    different places in different rows.  A real blank cell ("") is always kept.
    """
    out: list[str] = []
    seen = False
    for c in row:
        if c is None:
            if not seen:
                out.append("")
            continue
        seen = True
        out.append(clean_cell(c))
    return out


def has_text_layer(doc: pymupdf.Document) -> bool:
    chars = 0
    for page in doc:
        chars += len(page.get_text().strip())
        if chars > 40:
            return True
    return False


def extract(data: bytes) -> str:
    doc = open_pdf(data)
    try:
        if not has_text_layer(doc):
            return ocr_pdf(doc)
        out: list[str] = []
        for page in doc:
            out.extend(page_lines(page))
        return "\n".join(out)
    finally:
        doc.close()


def ocr_pdf(doc: pymupdf.Document) -> str:
    """Scanned PDF: render each page at OCR_DPI and read it like an image."""
    from parsers.formats.image import ocr_png

    out = []
    for page in doc:
        pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY)
        out.append(ocr_png(pix.tobytes("png")))
    text = "\n".join(t for t in out if t)
    if not text.strip():
        raise ParseError("PDF has no text layer and OCR found no text")
    return text
