"""Tables printed as pictures (an HTML <img>, a picture in a DOCX) inside a report's text.

Editors let a clerk paste a screenshot of table 3 where the table should be.  The text then
has no table, and a reader cannot tell "not printed" from "printed as a picture".  So when a
report's text lacks a template table and the document holds a picture of plausible size, the
picture is OCR'd (image.ocr_png, ~0.5-6 s) and its lines stand where the picture stood; a
picture that cannot be read leaves PICTURE in its place, which the text parser names in its
``table_missing`` finding.  Reports whose tables are text never pay for OCR.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

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


def tables_missing(text: str) -> bool:
    """Whether this reads as a template report and at least one of its tables is absent."""
    flat = "".join(text.split())
    return bool(_REPORT.search(flat)) and not all(t.search(flat) for t in _TABLES)


def _plausible(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
    except Exception:  # noqa: BLE001 - not an image Pillow knows: not OCR'd
        return False
    return w >= MIN_WIDTH and h >= MIN_HEIGHT and MIN_AREA <= w * h <= limits.MAX_IMAGE_PIXELS


def _read(data: bytes) -> list[str]:
    """The picture's lines if OCR found a table in it (rows with cells), else none."""
    from parsers.formats import image

    try:
        text = image.ocr_png(image._to_png(data))
    except ParseError:
        return []
    lines = [ln for ln in text.split("\n") if ln.strip()]
    # a table has rows of several cells with numbers; a photo's banner or a chart's title has not
    return lines if any(ln.count("\t") >= 2 and _DIGIT.search(ln) for ln in lines) else []


def slot(n: int) -> str:
    return f"{SLOT}{n}"


def fill(lines: list[str], load: Callable[[int], bytes | None]) -> list[str]:
    """Replace each slot line: OCR'd lines if a table is missing, else nothing.

    ``lines`` holds ``slot(n)`` where picture n stood and ``load(n)`` gives its bytes,
    asked for only when a table is missing: None for a picture to pass over (an icon),
    b"" for one of table size whose bytes are not in the document (a linked <img>), which
    is noted as PICTURE.  Pictures are read in document order, at most MAX_PICTURES.
    """
    slots = [i for i, ln in enumerate(lines) if ln.startswith(SLOT)]
    if not slots:
        return lines
    body = "\n".join(ln for ln in lines if not ln.startswith(SLOT))
    want = tables_missing(body)
    out: list[str] = []
    budget = MAX_PICTURES
    for ln in lines:
        if not ln.startswith(SLOT):
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
        read = _read(data) if budget > 0 else []
        budget -= 1
        out.extend(read or [PICTURE])
    return out
