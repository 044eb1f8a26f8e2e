"""Images (and scanned PDF pages): offline OCR with rapidocr_onnxruntime, rows rebuilt from boxes.

OCR returns loose text boxes.  Boxes whose vertical centres lie within half a line
height of each other form one visual row; a row is read left to right and its boxes
joined by tabs.  Blank cells have no box, so such rows come out short.
"""

from __future__ import annotations

import re
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
    return ["\t".join(b[4] for b in sorted(row, key=lambda b: b[0])) for row in rows_of(boxes)]


_NUMERIC = re.compile(r"^[0-9０-９,，.．/—\-－]+$")


_ROUND_ZERO = {"。": "0", "o": "0", "O": "0", "〇": "0", "○": "0", "D": "0", "°": "0",
               "l": "1", "I": "1", "|": "1", "i": "1"}


def _cluster_x(xs: list[float], min_size: int) -> list[float]:
    groups: list[list[float]] = []
    for x in sorted(xs):
        if groups and x - groups[-1][-1] <= 15:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups if len(g) >= min_size]


def _column_centres(boxes: list[tuple]) -> list[float]:
    """x centres of number columns: clusters of numeric boxes seen on at least 3 lines."""
    return _cluster_x([(b[0] + b[2]) / 2 for b in boxes if _NUMERIC.match(b[4])], min_size=3)


def _fill_gaps(img, boxes: list[tuple]) -> list[tuple]:
    """Re-read number cells the detector skipped.

    The detector was seen to miss a lone "0" in one column of a scanned table while
    reading every other cell of the row.  Where a row has numbers in most columns but
    none at one column centre, that cell is cropped and run through recognition alone.
    Column centres come from numbers stacked in a column on several lines, or, for a
    lone number row (table 4), from the short header boxes on the lines just above it.
    """
    page_cols = _column_centres(boxes)
    out = list(boxes)
    rows = rows_of(boxes)
    for i, row in enumerate(rows):
        nums = [b for b in row if _NUMERIC.match(b[4])]
        cols = page_cols
        if len(nums) >= 5 and len(nums) == len(row):
            above = [b for r in rows[max(i - 3, 0):i] for b in r if b[2] - b[0] < 60]
            header_cols = _cluster_x([(b[0] + b[2]) / 2 for b in above], min_size=1)
            if len(header_cols) > len(nums):
                cols = header_cols
        if len(cols) < 3 or len(nums) < len(cols) // 2:
            continue
        step = min(b - a for a, b in zip(cols, cols[1:], strict=False))
        y0 = min(b[1] for b in nums)
        y1 = max(b[3] for b in nums)
        for cx in cols:
            if any(abs((b[0] + b[2]) / 2 - cx) < step / 2 for b in row):
                continue
            # Crop between the neighbouring boxes so a label's last glyph is not read along.
            left = max((b[2] for b in row if b[2] < cx), default=0) + 2
            right = min((b[0] for b in row if b[0] > cx), default=cx + step) - 2
            x0, x1 = int(max(cx - step * 0.45, left, 0)), int(min(cx + step * 0.45, right))
            crop = img[max(int(y0) - 4, 0):int(y1) + 4, x0:x1]
            if crop.size == 0:
                continue
            res, _ = _engine()(crop, use_det=False, use_cls=False, use_rec=True)
            text = (res[0][0] if res else "").strip()
            text = _ROUND_ZERO.get(text, text)  # recognition alone reads a lone 0 as 。, a 1 as l
            if text and _NUMERIC.match(text):
                out.append((cx - 3, y0, cx + 3, y1, text))
    return out


def rows_of(boxes: list[tuple]) -> list[list[tuple]]:
    """Boxes grouped into visual lines (vertical centres within half a line height)."""
    boxes = sorted(boxes, key=lambda b: (b[1] + b[3]) / 2)
    rows: list[list[tuple]] = []
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
    return rows


def ocr_png(png: bytes) -> str:
    import cv2
    import numpy as np

    img = cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise ParseError("corrupt or unsupported image")
    result, _ = _engine()(img)
    boxes = []
    for quad, text, _score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        boxes.append((min(xs), min(ys), max(xs), max(ys), text.strip()))
    boxes = _fill_gaps(img, [b for b in boxes if b[4]])
    return "\n".join(rows_from_boxes(boxes))


def extract(data: bytes) -> str:
    text = ocr_png(_to_png(data))
    if not text.strip():
        raise ParseError("image contains no readable text")
    return text
