"""A column rule's rim inside a scanned cell (formats/cellrims.py).

On a phone photo a blurred rule leans a px into the cell beside it over part of the cell's
height; read with the number, a printed 0 came out "10" or "1" and a blank cell "1".  What a
user checks: the cell reads its 0 (or blank), never the rule as a digit; a digit whose stroke
touches the rule keeps all its ink.  The phone-photo goldens (tests/fixtures/ocr_pages/
shenxian_2021_photo_*) check the same on whole pages.
"""

from __future__ import annotations

import numpy as np

from parsers.formats.cellrims import without_side_rims
from parsers.tables import OCR_UNSURE


def _page(w: int = 60, h: int = 40) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """(grey page, its ink mask, the cell interior box): column rules printed at x 8-10 and
    49-51 (inked in the mask one px wider each way, as the mask's blur spreads them)."""
    gray = np.full((h + 20, w + 20), 255, np.uint8)
    gray[:, 8:11] = 60
    gray[:, 49:52] = 60
    ink = np.zeros_like(gray)
    ink[:, 7:12] = 1
    ink[:, 48:53] = 1
    return gray, ink, (12, 10, 48, 10 + h)  # interior: x 12..47


def test_rule_rim_goes_the_zero_stays():
    gray, ink, box = _page()
    x0, y0, x1, y1 = box
    for x in (x0 + 3, x0 + 10):  # a "0"'s left and right strokes, 3 px wide, printed as dark as the rule
        gray[y0 + 10:y0 + 26, x:x + 3] = 70
        ink[y0 + 10:y0 + 26, x:x + 3] = 1
    ink[y0 + 18:y1, x1 - 1] = 1  # the right rule's halo leaning 1 px into the cell over its lower half
    gray[y0 + 18:y1, x1 - 1] = 235
    ink[y0 + 2:y0 + 5, x0] = 1  # and a 3 px piece of the left rule's halo
    gray[y0 + 2:y0 + 5, x0] = 240
    sub = ink[y0:y1, x0:x1]
    kept = without_side_rims(sub, ink, gray, box)
    assert kept[:, -1].sum() == 0 and kept[:, 0].sum() == 0
    assert kept.sum() == 2 * 16 * 3  # the 0 whole


def test_glyph_touching_the_side_keeps_its_ink():
    """A stroke wider than a rim (a "1" against the rule), a sliver as dark as print (a 0's arc split
    off by the mask) or a sliver with no rule beside it stays."""
    gray, ink, box = _page()
    x0, y0, x1, y1 = box
    gray[y0 + 10:y0 + 26, x0:x0 + 3] = 70  # a "1" flush against the left side, 3 px wide
    ink[y0 + 10:y0 + 26, x0:x0 + 3] = 1
    gray[y0 + 12:y0 + 24, x1 - 2:x1] = 90  # a 0's outer arc against the right side, 2 px wide
    ink[y0 + 12:y0 + 24, x1 - 2:x1] = 1
    sub = ink[y0:y1, x0:x1]
    assert without_side_rims(sub, ink, gray, box) is sub
    gray, ink, box = _page()
    ink[:, x1] = 0  # no rule beside
    ink[y0 + 10:y0 + 26, x1 - 1] = 1
    gray[y0 + 10:y0 + 26, x1 - 1] = 240
    sub = ink[y0:y1, x0:x1]
    assert without_side_rims(sub, ink, gray, box) is sub


def test_photo_of_zeros_by_leaning_rules_reads_zeros():
    """A ruled table of 0s set close to their left rules, blurred and JPEG'd as a phone photo with
    its rules leaning: every cell reads 0 (or is flagged), no 10 and no 1."""
    import cv2

    from parsers.formats import imagegrid
    from parsers.formats.image import recognise

    xs, ys = [100, 160, 220, 280, 340, 400], list(range(100, 700, 36))
    page = np.full((800, 600), 255, np.uint8)
    for x in xs:
        for y in range(ys[0], ys[-1] + 2):
            dx = (y - ys[0]) // 200  # a px over every 200: the rule leans as a turned photo's does
            page[y, x + dx:x + dx + 2] = 40
    for y in ys:
        page[y:y + 2, xs[0]:xs[-1] + 4] = 40
    for x0 in xs[:-1]:
        for y0, y1 in zip(ys, ys[1:], strict=False):
            cv2.ellipse(page, (x0 + 11, (y0 + y1) // 2), (4, 8), 0, 0, 360, 60, 2)
    page = cv2.GaussianBlur(page, (5, 5), 1.0)
    ok, jpg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 55])
    photo = cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE)
    gray, noise = imagegrid.normalise(photo)
    tables, _ = imagegrid.read_tables(gray, recognise, noise)
    cells = [c for t in tables for row in t.rows for c in row if c is not None]
    assert set(cells) <= {"0", OCR_UNSURE}, sorted(set(cells))
    assert cells.count("0") >= 0.9 * (len(xs) - 1) * (len(ys) - 1)
