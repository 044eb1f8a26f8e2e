"""A scan's OCR layer is checked against the picture it lies on, number by number.

A scanned report is often published with an invisible text layer (render mode 3 over the page
image) that the scanning software's OCR wrote.  The layer is the file's claim, not what the reader
sees: a layer that read 2022 as 2822 or 25 as 49 put those numbers in the record while the page
shows the right ones.  So each number of the layer is read again from the picture under it: its
box cut out of the rendered page and given to the recognition model alone (image.recognise,
no detection pass: about a second for a page of table numbers, against ~10 s to OCR the page).

The picture decides only when it speaks clearly: the same number (as printed: full-width digits
and separators aside) keeps the layer's; a clean number read with high confidence replaces it;
a doubtful read that disagrees makes the number unreadable (tables.OCR_UNSURE: null, with an
``ocr_uncertain`` finding), never a guess; nothing legible, or the layer's number with a digit
cut off at the crop's edge, leaves the layer as it is.  Pages past limits.MAX_OCR_PAGES keep their
layer unchecked (the PDF's time bound is for the whole file).
"""

from __future__ import annotations

import re
import unicodedata

import pymupdf

import parsers.limits as limits

_NUMBER = re.compile(r"^[-+]?\d[\d,.]*$")
_CLEAN = re.compile(r"^[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$")
SURE = 0.9  # recognition confidence at which the picture's number replaces the layer's
DOUBT = 0.6  # below this the picture says nothing (imagegrid.MIN_SCORE)
_PAD_X, _PAD_Y = 0.6, 0.5  # x the word's height: room around the layer's box (tried: wider or lower crops read worse)
_MIN_DPI, _MAX_DPI = 150, 300
_INK = 128  # grey level below which a pixel is ink

Word = tuple[str, tuple[float, float, float, float]]  # the layer's text of one span, its box


def rereads(page: pymupdf.Page, words: list[Word]) -> dict[int, str]:
    """For each of ``words`` (indexes) whose number the picture does not confirm: the text to
    read instead (the picture's number, or tables.OCR_UNSURE)."""
    from parsers.tokens import OCR_UNSURE

    numbers = [(i, _plain(text), box) for i, (text, box) in enumerate(words) if _NUMBER.match(_plain(text))]
    if not numbers or page.rotation or page.number >= limits.MAX_OCR_PAGES:
        return {}  # (a turned page's boxes are not the picture's; past the OCR page bound: left as they are)
    try:
        from parsers.formats.image import recognise
    except ImportError:  # pragma: no cover - OCR is a declared dependency
        return {}
    import numpy as np

    k = _dpi(page) / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(k, k), colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    crops, kept = [], []
    for i, text, (x0, y0, x1, y1) in numbers:
        h = y1 - y0
        top, bottom = int(max(0.0, y0 - _PAD_Y * h) * k), int((y1 + _PAD_Y * h) * k)
        left, right = int(max(0.0, x0 - _PAD_X * h) * k), int((x1 + _PAD_X * h) * k)
        crop = _inked(img[top:min(bottom, pix.height), left:min(right, pix.width)])
        if crop is not None:
            crops.append(crop)
            kept.append((i, text))
    out: dict[int, str] = {}
    for (i, text), (read, score) in zip(kept, recognise(crops), strict=True):
        seen = _plain(read).replace(" ", "")
        layer = text.replace(",", "")
        if not seen or score < DOUBT or seen.replace(",", "") == layer:
            continue
        if not _CLEAN.match(seen):
            if _NUMBER.match(seen):
                out[i] = OCR_UNSURE  # digits mixed with stray marks: no number to trust
            continue
        seen_digits = seen.replace(",", "")
        if layer.startswith(seen_digits) or layer.endswith(seen_digits):
            continue  # a digit cut off at the crop's edge: no evidence against the layer
        out[i] = seen if score >= SURE else OCR_UNSURE
    return out


def _inked(crop):
    """The crop cut down to its ink and a small margin (the model reads a lone digit in a wide
    white field as nothing), or None when it holds no ink to read."""
    import numpy as np

    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return None
    ink = crop < _INK
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    m = max(2, int(0.15 * (rows[-1] - rows[0] + 1)))
    return crop[max(0, rows[0] - m):rows[-1] + 1 + m, max(0, cols[0] - m):cols[-1] + 1 + m]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _dpi(page: pymupdf.Page) -> int:
    """The scan's own resolution (its widest picture across the page), within bounds."""
    try:
        widths = [im[2] for im in page.get_images()]
    except Exception:  # noqa: BLE001 - a damaged resource dictionary: the default resolution
        widths = []
    if not widths or page.rect.width <= 0:
        return _MIN_DPI
    return int(min(max(_MIN_DPI, max(widths) / (page.rect.width / 72)), _MAX_DPI))
