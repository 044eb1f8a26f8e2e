"""Images (and scanned PDF pages): offline OCR with rapidocr_onnxruntime, rows rebuilt from boxes.

OCR returns loose text boxes.  Boxes whose vertical centres lie within half a line
height of each other form one visual row; a row is read left to right and its boxes
joined by tabs.  Blank cells have no box, so such rows come out short.
"""

from __future__ import annotations

from functools import lru_cache

from parsers.errors import ParseError


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _to_png(data: bytes) -> bytes:
    """Normalise any supported image (TIFF, BMP, GIF, multi-frame) to PNG bytes for OCR."""
    import pymupdf

    try:
        pix = pymupdf.Pixmap(data)
    except Exception:  # unknown or truncated image data
        raise ParseError("corrupt or unsupported image") from None
    if pix.alpha or pix.n > 3:
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    return pix.tobytes("png")


def rows_from_boxes(boxes: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Group (x0, y0, x1, y1, text) boxes into tab-joined rows, top to bottom."""
    boxes = sorted(boxes, key=lambda b: (b[1] + b[3]) / 2)
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for b in boxes:
        cy, h = (b[1] + b[3]) / 2, b[3] - b[1]
        if rows:
            last = rows[-1]
            ly = sum((r[1] + r[3]) / 2 for r in last) / len(last)
            lh = sum(r[3] - r[1] for r in last) / len(last)
            if abs(cy - ly) <= 0.5 * min(h, lh):
                last.append(b)
                continue
        rows.append([b])
    return ["\t".join(b[4] for b in sorted(row, key=lambda b: b[0])) for row in rows]


def ocr_png(png: bytes) -> str:
    result, _ = _engine()(png)
    boxes = []
    for quad, text, _score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        boxes.append((min(xs), min(ys), max(xs), max(ys), text.strip()))
    return "\n".join(rows_from_boxes([b for b in boxes if b[4]]))


def extract(data: bytes) -> str:
    text = ocr_png(_to_png(data))
    if not text.strip():
        raise ParseError("image contains no readable text")
    return text
