"""OFD (GB/T 33190, China's fixed-layout format): pages redrawn as a PDF, then read as one.

An OFD is a zip of XML pages whose text objects carry glyph positions (TextCode X/Y with
DeltaX/DeltaY, the object's Boundary and CTM) and whose tables are drawn as path objects
(one rectangle per cell, or rules).  That is what a PDF page holds, so each page is drawn
again, glyph by glyph at its own position and every path as lines, into an in-memory PDF,
and the PDF reader (ruled grids, page furniture, pages of cells) reads it: one layout
reader for both fixed-layout formats, no second copy of its rules.
Only text and vector paths are drawn; pictures (seals, scans) and fonts are not needed for
the text, and an OFD whose pages hold no text is reported as such.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from functools import lru_cache

import lxml.etree

import parsers.limits as limits
from parsers.errors import ParseError

_NS = "{http://www.ofdspec.org/2016}"
_MM = 72 / 25.4  # OFD units are millimetres; PDF points
_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_FONT = "china-s"  # MuPDF's built-in CJK font: glyph shapes do not matter, the Unicode map does
_A4 = (0.0, 0.0, 210.0, 297.0)
_TRACKING = 1.05  # ems: a character advance up to this is letter spacing, beyond it a gap


def is_ofd(names: set[str]) -> bool:
    return "OFD.xml" in names


MAX_GLYPHS = 60_000  # a 40-page report holds about 40 000 characters (pathological pages read slowly)
MAX_PAGE_GLYPHS = 8_000  # a dense A3 table page holds about 5 000
_MIN_TEXT = 40  # characters: fewer is no report (as formats/pdf.py's text-layer minimum)
MAX_PAGE_MM = 5_000.0  # a page side beyond this is clamped (PDF pages end at 200 inches)


def extract(data: bytes) -> str:
    from parsers.formats import pdf

    pdf_bytes, notes = _render(data)
    return "\n".join([pdf.extract(pdf_bytes), *notes])


def to_pdf(data: bytes) -> bytes:
    """The OFD's pages drawn into a PDF (text at its glyph positions, paths as lines)."""
    return _render(data)[0]


def _render(data: bytes) -> tuple[bytes, list[str]]:
    """The PDF and the notes of what was left out (limits.skip_note lines)."""
    import pymupdf

    limits.check_zip(data, "OFD")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ParseError(f"corrupt OFD ({type(e).__name__})") from None
    with z:
        names = set(z.namelist())
        root = _xml(z, "OFD.xml")
        doc_root = root.findtext(f".//{_NS}DocRoot") if root is not None else None
        if not doc_root or doc_root.lstrip("/") not in names:
            raise ParseError("corrupt OFD: OFD.xml names no document (DocRoot)")
        doc_path = doc_root.lstrip("/")
        document = _xml(z, doc_path)
        if document is None:
            raise ParseError("corrupt OFD: unreadable Document.xml")
        base = posixpath.dirname(doc_path)
        default_box = _box(document.findtext(f"{_NS}CommonData/{_NS}PageArea/{_NS}PhysicalBox")) or _A4
        out = pymupdf.open()
        pages = document.findall(f"{_NS}Pages/{_NS}Page")
        if not pages:
            raise ParseError("corrupt OFD: the document has no pages")
        texts = 0
        budget: list = [MAX_GLYPHS, False]  # characters still to draw, whether some were left out
        notes = []
        if len(pages) > limits.MAX_PDF_PAGES:
            notes.append(limits.skip_note(f"OFD has {len(pages)} pages: read the first {limits.MAX_PDF_PAGES}"))
        for entry in pages[: limits.MAX_PDF_PAGES]:
            loc = (entry.get("BaseLoc") or "").strip()
            path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
            page_xml = _xml(z, path) if path in names else None
            box = default_box
            if page_xml is not None:
                box = _box(page_xml.findtext(f"{_NS}Area/{_NS}PhysicalBox")) or box
            width, height = (min(max(v, 1.0), MAX_PAGE_MM) for v in box[2:])
            page = out.new_page(width=width * _MM, height=height * _MM)
            if page_xml is not None:
                texts += _draw(page, page_xml, budget)
        if not texts or MAX_GLYPHS - budget[0] <= _MIN_TEXT:  # (the PDF reader would OCR the pages we drew)
            raise ParseError("OFD (GB/T 33190) without text objects (pages of pictures, a scan): not read")
        if budget[1]:
            notes.append(limits.skip_note(f"OFD text past {MAX_PAGE_GLYPHS} characters a page or {MAX_GLYPHS} in all"
                                          " was not read"))
        return out.tobytes(), notes


def _xml(z: zipfile.ZipFile, name: str):
    try:
        return lxml.etree.fromstring(limits.read_member(z, name, "OFD"), _XML)
    except ParseError:
        raise
    except Exception:  # noqa: BLE001 - a missing or broken part: that page is blank
        return None


def _float(text: str | None, default: float) -> float:
    n = _numbers(text)
    return n[0] if n else default


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    n = _numbers(text)
    return (n[0], n[1], n[2], n[3]) if len(n) == 4 else None


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where "g N d" stands for N times d."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out.extend([float(tokens[i + 2])] * min(int(float(tokens[i + 1])), 10_000))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _ctm(text: str | None) -> tuple[float, ...]:
    n = _numbers(text)
    return tuple(n) if len(n) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _draw(page, page_xml, budget: list) -> int:
    """Every text and path object of the page's layers (blocks nested in PageBlock too); the
    number of text objects drawn."""
    import pymupdf

    shape = page.new_shape()
    writer = pymupdf.TextWriter(page.rect)
    drew = False
    texts = 0
    lines = limits.MAX_PAGE_VECTORS
    page_budget = MAX_PAGE_GLYPHS
    for el in page_xml.iter(f"{_NS}TextObject", f"{_NS}PathObject"):
        if budget[0] <= 0 or page_budget <= 0:
            budget[1] = True  # (text left out: noted once for the document)
            break
        box = _box(el.get("Boundary"))
        if box is None:
            continue
        ctm = _ctm(el.get("CTM"))
        if el.tag == f"{_NS}TextObject":
            taken = _text(writer, el, box, ctm, min(budget[0], page_budget))
            budget[0] -= taken
            page_budget -= taken
            texts += 1
        elif lines > 0:
            drawn = _path(shape, el.findtext(f"{_NS}AbbreviatedData"), box, ctm)
            lines -= drawn
            drew = drew or drawn > 0
    if drew:
        shape.finish(color=(0, 0, 0), width=0.5)
        shape.commit()
    if texts:
        writer.write_text(page)
    return texts


def _at(ctm: tuple[float, ...], box: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return (box[0] + a * x + c * y + e) * _MM, (box[1] + b * x + d * y + f) * _MM


@lru_cache(maxsize=1)
def _font():
    import pymupdf

    return pymupdf.Font(_FONT)


def _text(writer, el, box, ctm, budget: int) -> int:
    """Draw a text object's glyphs (at most ``budget``); the number of characters taken."""
    a, b, c, d = ctm[:4]
    scale = abs(a * d - b * c) ** 0.5 or 1.0
    em = _float(el.get("Size"), 3.5)
    size = em * scale * _MM
    if not 0.5 <= size <= 500:
        return 0
    x = y = 0.0
    taken = 0
    font = _font()
    # glyphs that follow each other at their own advance go in one run (one TextWriter call each
    # costs a fifth of a millisecond); only upright text, whose runs run along the page's x axis
    upright = b == 0 and c == 0 and a > 0 and abs(a - d) <= 0.01 * abs(d)
    run: list = ["", 0.0, 0.0, 0.0]  # text, x, y, where its next glyph would stand

    def flush() -> None:
        if run[0]:
            try:
                writer.append(_at(ctm, box, run[1], run[2]), run[0], font=font, fontsize=size)
            except Exception:  # noqa: BLE001 - characters the font cannot draw are left out
                pass
            run[0] = ""

    for code in el.iter(f"{_NS}TextCode"):
        text = code.text or ""
        x = _float(code.get("X"), x)
        y = _float(code.get("Y"), y)
        dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        text = text[: max(0, budget - taken)]
        taken += len(text)
        for i, ch in enumerate(text):
            if ch.isspace():
                flush()
            else:
                own = font.text_length(ch, fontsize=em)
                if run[0] and upright and y == run[2] and abs(x - run[3]) <= 0.05 * em:
                    run[0] += ch
                    run[3] = x + own
                else:
                    flush()
                    run[:] = [ch, x, y, x + own]
            if i < len(text) - 1:
                step = dx[i] if i < len(dx) else (dx[-1] if dx else em)
                if 0 < step <= _TRACKING * em and not ch.isspace():
                    # letter spacing (digits set a full em apart) is not a gap between words:
                    # the glyph's own advance, so "2023" is not read as "2 0 2 3"
                    step = min(step, font.text_length(ch, fontsize=em))
                x += step
                y += dy[i] if i < len(dy) else (dy[-1] if dy else 0.0)
        flush()
    return taken


def _path(shape, data: str | None, box, ctm) -> int:
    """Straight pieces of an abbreviated path (M, L, C; curves drawn to their end point); how many."""
    tokens = _PATH_TOKEN.findall(data or "")
    start = cur = None
    drew = 0
    i = 0
    need = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while i < len(tokens):
        op = tokens[i]
        i += 1
        if op not in need:
            continue
        args = []
        for t in tokens[i : i + need[op]]:
            try:
                args.append(float(t))
            except ValueError:
                break
        if len(args) < need[op]:
            break
        i += need[op]
        if op in ("M", "S"):
            start = cur = _at(ctm, box, args[0], args[1])
        elif op == "C":
            if cur is not None and start is not None and cur != start:
                shape.draw_line(cur, start)
                drew += 1
            cur = start
        elif cur is not None:
            end = _at(ctm, box, args[-2], args[-1])
            shape.draw_line(cur, end)
            drew += 1
            cur = end
    return drew
