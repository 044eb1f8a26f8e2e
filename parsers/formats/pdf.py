"""PDF: text layer through PyMuPDF; ruled tables read off the drawn lines (pdfgrid).

PyMuPDF's find_tables (~30-40 ms a page against <1 ms for plain text) is only the
fallback for pages with rules that pdfgrid could not turn into a table.  A PDF with no
text layer (a scan) is rendered and OCR'd instead.
"""

from __future__ import annotations

import math
import re
import time

import pymupdf

import parsers.limits as limits
from parsers.errors import ParseError
from parsers.formats import clean_cell, clean_line, pdfgrid

OCR_DPI = 150
# As page.get_text("words") (unknown-unicode glyphs kept by CID), plus vector paths as
# blocks: their boxes come with the text pass, where get_cdrawings re-reads the page.
_VECTORS = getattr(pymupdf, "TEXT_COLLECT_VECTORS", 0)  # PyMuPDF >= 1.24 (MuPDF 1.24)
_FLAGS = pymupdf.TEXTFLAGS_WORDS | _VECTORS
_VECTOR = 3  # extractBLOCKS type of a vector-path block
_MIN_TEXT = 40  # text-layer length (words and separators) at or below which a PDF is a scan
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


def page_lines(page: pymupdf.Page, textpage: pymupdf.TextPage | None = None,
               words: list[tuple] | None = None) -> list[str]:
    """Text blocks and table rows of one page, top to bottom.

    One TextPage (made with _FLAGS, so it also records vector paths; a ``textpage``
    passed in must be too) serves words, paragraph blocks, the table rules and, only
    when a word straddles a column rule, character boxes: building it is most of the
    cost of reading a page.
    """
    tp = textpage or page.get_textpage(flags=_FLAGS)
    if words is None:
        words = tp.extractWORDS()
    blocks = tp.extractBLOCKS()
    vectors = [b[:4] for b in blocks if b[6] == _VECTOR]
    if len(vectors) > limits.MAX_PAGE_VECTORS:  # map or chart art, not a ruled table: text only
        segs, vectors = [], []
    else:
        segs = pdfgrid.bar_segments(vectors) if _VECTORS else None
    if segs is None:  # some path is not a straight rule: read the paths themselves
        segs = pdfgrid.segments(page.get_cdrawings())
    items: list[tuple[float, float, list[str]]] = []
    boxes: list[tuple[float, float, float, float]] = []
    found = pdfgrid.tables(segs, words, _char_boxes(tp)) if segs else []
    for t in found:
        boxes.append(t.bbox)
        items.append((t.bbox[1], t.bbox[0], table_rows(t.rows)))
    if not found and _MIN_RULES <= len(vectors) <= limits.MAX_SLOW_TABLE_VECTORS:
        try:
            slow = list(page.find_tables())
        except Exception:  # table finder failures must not lose the page text
            slow = []
        for t in slow:
            boxes.append(tuple(t.bbox))
            items.append((t.bbox[1], t.bbox[0], table_rows(t.extract())))
    for x0, y0, x1, y1, text, _no, kind in blocks:
        if kind != 0:
            continue
        if any(_overlaps((x0, y0, x1, y1), b) for b in boxes):
            items.extend(_outside_lines((x0, y0, x1, y1), words, boxes))
            continue
        line = clean_line(_CJK_BREAK.sub("", text))
        if line:
            items.append((y0, x0, [line]))
    items.sort(key=lambda it: (round(it[0], 1), it[1]))
    return [ln for _, _, lines in items for ln in lines]


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside_any(w: tuple, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _outside_lines(block: tuple[float, float, float, float], words: list[tuple],
                   boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, list[str]]]:
    """The lines of a text block that lie outside every table, as paragraph items.

    MuPDF often puts a table's cell text and the paragraph just above or below the
    table (a section heading, the text after it) into one block, so a block is not all
    table or all text: its lines are sorted out one by one, and each run of lines that
    no table line interrupts stays one paragraph.
    """
    lines: dict[tuple[int, int], list[tuple]] = {}
    for w in words:
        cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
        if block[0] <= cx <= block[2] and block[1] <= cy <= block[3]:
            lines.setdefault((w[5], w[6]), []).append(w)
    items: list[tuple[float, float, list[str]]] = []
    run: list[list[tuple]] = []

    def flush() -> None:
        if run:
            text = "\n".join(" ".join(w[4] for w in ws) for ws in run)
            line = clean_line(_CJK_BREAK.sub("", text))
            if line:
                items.append((min(w[1] for w in run[0]), min(w[0] for w in run[0]), [line]))
            run.clear()

    for key in sorted(lines):
        ws = sorted(lines[key], key=lambda w: w[7])
        if all(_inside_any(w, boxes) for w in ws):
            flush()
        else:
            run.append([w for w in ws if not _inside_any(w, boxes)])
    flush()
    return items


def _char_boxes(tp: pymupdf.TextPage) -> pdfgrid.CharSource:
    """Character boxes under some words, from the page's TextPage."""
    def get(words: list[tuple]) -> list[pdfgrid.Char]:
        clip = (min(w[0] for w in words), min(w[1] for w in words),
                max(w[2] for w in words), max(w[3] for w in words))
        return pdfgrid.page_chars(_rawdict_in(tp, clip))

    return get


def _rawdict_in(tp: pymupdf.TextPage, clip: tuple[float, float, float, float]) -> dict:
    """extractRAWDICT limited to ``clip``.

    A full-page rawdict costs as much again as the TextPage (a Python dict per
    character).  MuPDF's dict builder skips everything outside the TextPage's mediabox,
    so the box is narrowed for the call and restored; if pymupdf's internals ever move,
    the whole page is read instead.
    """
    try:
        box = tp.this.m_internal.mediabox
        saved = (box.x0, box.y0, box.x1, box.y1)
    except AttributeError:
        return tp.extractRAWDICT()
    try:
        box.x0, box.y0, box.x1, box.y1 = clip
        return tp.extractRAWDICT()
    finally:
        box.x0, box.y0, box.x1, box.y1 = saved


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


def extract(data: bytes) -> str:
    doc = open_pdf(data)
    try:
        out: list[str] = []
        chars = 0
        started = time.monotonic()
        for page in doc.pages(0, min(doc.page_count, limits.MAX_PDF_PAGES)):
            _check_time(started, page.number, doc.page_count)
            tp = page.get_textpage(flags=_FLAGS)
            words = tp.extractWORDS()
            chars += sum(len(w[4]) + 1 for w in words)  # + separators, as len(get_text())
            out.extend(page_lines(page, tp, words))
        if chars <= _MIN_TEXT:
            return ocr_pdf(doc)
        if doc.page_count > limits.MAX_PDF_PAGES:
            out.append(limits.skip_note(f"PDF has {doc.page_count} pages: read the first {limits.MAX_PDF_PAGES}"))
        return "\n".join(out)
    finally:
        doc.close()


def _check_time(started: float, done: int, total: int) -> None:
    if time.monotonic() - started > limits.MAX_PDF_SECONDS:
        raise ParseError(f"PDF reading timed out after {limits.MAX_PDF_SECONDS:.0f} s"
                         f" ({done} of {total} pages read)")


def _ocr_dpi(page: pymupdf.Page) -> int:
    """OCR_DPI, lowered for a page so large that its rendering would exceed MAX_IMAGE_PIXELS."""
    area = max(page.rect.width * page.rect.height, 1.0) / (72 * 72)  # square inches
    if area * OCR_DPI * OCR_DPI <= limits.MAX_IMAGE_PIXELS:
        return OCR_DPI
    return max(1, int(math.sqrt(limits.MAX_IMAGE_PIXELS / area)))


def ocr_pdf(doc: pymupdf.Document) -> str:
    """Scanned PDF: render each page at OCR_DPI and read it like an image."""
    from parsers.formats.image import ocr_png

    out = []
    started = time.monotonic()
    for page in doc.pages(0, min(doc.page_count, limits.MAX_OCR_PAGES)):
        _check_time(started, page.number, doc.page_count)
        # in colour: red seals and 红头 are told from black ink by their hue (image.drop_red_ink)
        pix = page.get_pixmap(dpi=_ocr_dpi(page), colorspace=pymupdf.csRGB)
        out.append(ocr_png(pix.tobytes("png")))
    text = "\n".join(t for t in out if t)
    if not text.strip():
        raise ParseError("PDF has no text layer and OCR found no text")
    if doc.page_count > limits.MAX_OCR_PAGES:
        text += "\n" + limits.skip_note(f"scanned PDF has {doc.page_count} pages: OCR read the first"
                                        f" {limits.MAX_OCR_PAGES}")
    return text
