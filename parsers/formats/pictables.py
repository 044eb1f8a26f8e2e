"""Tables printed as pictures (an HTML <img>, a picture in a DOCX) inside a report's text.

Editors let a clerk paste a screenshot of table 3 where the table should be.  The text then
has no table, and a reader cannot tell "not printed" from "printed as a picture".  So when a
report's text lacks a template table and the document holds a picture of plausible size, the
picture is OCR'd (image.ocr_png, ~0.5-6 s) and its lines stand where the picture stood; a
picture that cannot be read leaves PICTURE in its place, which the text parser names in its
``table_missing`` finding.  Reports whose tables are text never pay for OCR.

Just as often the whole report is pictures: the scanned pages pasted into the CMS article (or
a DOCX) one after another, the text around them only the title.  Then the pictures are the
report's pages and are read as a scan is, narrative and all, each as a page of its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

import parsers.limits as limits
from parsers.errors import ParseError

PICTURE = "〔图片〕"  # a picture left unread where a table is missing (textparse names it)
SLOT = "\x00picture:"  # placeholder line an extractor leaves for picture number n

_REPORT = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议")
_TABLES = (
    re.compile(r"第二十条第|本年制发件数|本年新制作数量"),
    re.compile(r"申请人情况|本年新收政府信息公开申请数量"),
    re.compile(r"复议后起诉|未经复议直接起诉"),
)
# pixels: table 4 as a picture is wide and short (~1400 x 200); icons, logos and seals are smaller
MIN_WIDTH, MIN_HEIGHT, MIN_AREA = 300, 80, 60_000
_DIGIT = re.compile(r"\d")
MAX_PICTURES = 6  # OCR'd per document at most (a report has three tables)
# a document whose text names a report (its title) but holds none of it: its pictures are its pages
_NAMES_REPORT = re.compile(r"报告|年报")
BARE = 40  # characters: a document with less text than this besides its pictures is its pictures


# the folder of the local file being parsed (`nianbao parse page.html`): its linked pictures are read
# from beside it, as a browser opening the file shows them; nothing is ever fetched
_BESIDE: ContextVar[Path | None] = ContextVar("pictures_beside", default=None)


@contextmanager
def pictures_beside(folder: Path | None) -> Iterator[None]:
    """Linked pictures (``<img src="p1.jpg">``) of documents extracted inside are read from ``folder``."""
    token = _BESIDE.set(folder)
    try:
        yield
    finally:
        _BESIDE.reset(token)


def local_pictures() -> bool:
    """Whether a linked picture can be read here (a local file's folder is known)."""
    return _BESIDE.get() is not None


def linked(src: str) -> bytes:
    """The bytes of a linked picture from the local file's folder; b"" (noted as PICTURE, never
    fetched) for a picture elsewhere: on a server, outside the folder, or not there."""
    folder = _BESIDE.get()
    parts = urlsplit(src.strip())
    if folder is None or parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return b""
    try:
        base = folder.resolve()
        path = (base / unquote(parts.path)).resolve()
        if not path.is_relative_to(base) or not path.is_file() or path.stat().st_size > limits.MAX_DOCUMENT_BYTES:
            return b""
        return path.read_bytes()
    except (OSError, ValueError):
        return b""


def tables_missing(text: str) -> bool:
    """Whether this reads as a template report and at least one of its tables is absent."""
    flat = "".join(text.split())
    return bool(_REPORT.search(flat)) and not all(t.search(flat) for t in _TABLES)


def pictured_report(text: str) -> bool:
    """Whether the text names a report (or is next to none) but prints none of it (no table, no
    template heading): the report is in the document's pictures, page after page."""
    flat = "".join(text.split())
    return bool(_NAMES_REPORT.search(flat) or len(flat) < BARE) and not _REPORT.search(flat) \
        and not any(t.search(flat) for t in _TABLES)


def _plausible(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
    except Exception:  # noqa: BLE001 - not an image Pillow knows: not OCR'd
        return False
    return w >= MIN_WIDTH and h >= MIN_HEIGHT and MIN_AREA <= w * h <= limits.MAX_IMAGE_PIXELS


def _read(data: bytes, page: bool = False) -> list[str]:
    """The picture's lines if OCR found a table in it (rows with cells), else none; a report's
    page (``page``) keeps all its lines, its narrative is the report's too."""
    from parsers.formats import image

    try:
        text = image.ocr_png(image._to_png(data))
    except ParseError:
        return []
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if page:
        return lines
    # a table has rows of several cells with numbers; a photo's banner or a chart's title has not
    return lines if any(ln.count("\t") >= 2 and _DIGIT.search(ln) for ln in lines) else []


def slot(n: int) -> str:
    return f"{SLOT}{n}"


def fill(lines: list[str], load: Callable[[int], bytes | None]) -> list[str]:
    """Replace each slot line: OCR'd lines if a table is missing, else nothing.

    ``lines`` holds ``slot(n)`` where picture n stood and ``load(n)`` gives its bytes,
    asked for only when a table is missing: None for a picture to pass over (an icon),
    b"" for one of table size whose bytes are not in the document (a linked <img>), which
    is noted as PICTURE.  Pictures are read in document order, at most MAX_PICTURES, or
    as many as a scan's pages (limits.MAX_OCR_PAGES) when they are the report's pages; each
    page then stands between page breaks, as a scanned PDF's pages do.
    """
    from parsers.pages import PAGE_BREAK

    slots = [i for i, ln in enumerate(lines) if ln.startswith(SLOT)]
    if not slots:
        return lines
    body = "\n".join(ln for ln in lines if not ln.startswith(SLOT))
    pages = pictured_report(body)
    want = pages or tables_missing(body)
    out: list[str] = []
    budget = limits.MAX_OCR_PAGES if pages else MAX_PICTURES
    after_page = False  # the last thing out is a page picture's text: what follows is another page
    for ln in lines:
        if not ln.startswith(SLOT):
            if after_page:
                out.append(PAGE_BREAK)
                after_page = False
            out.append(ln)
            continue
        if not want:
            continue
        data = load(int(ln[len(SLOT):]))
        if data == b"":
            out.append(PICTURE)
            continue
        if data is None or not _plausible(data):
            continue
        read = _read(data, pages) if budget > 0 else []
        budget -= 1
        if pages and read:
            if out:
                out.append(PAGE_BREAK)
            out.extend(read)
            after_page = True
        else:
            out.extend(read or [PICTURE])
    return out
