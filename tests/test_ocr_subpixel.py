"""Tables pasted as Windows screenshots: text drawn with sub-pixel anti-aliasing (ClearType),
an Excel range's light-grey gridlines, at screen resolution (96 dpi).

Every thin black stroke of such a picture has a red rim on one side and a blue one on the
other.  The red rims were taken for a seal's red ink and lifted to paper with the stroke
between them, so a "3" read "2" and "64" read "34" with full confidence; a wide table whose
light gridlines are no "ink" was cut in two as a photo of two pages.  What a user checks:
each number read as printed or left null (OCR_UNSURE), never another number.

The picture is drawn the way ClearType draws: glyphs rendered at three times the width, each
output pixel's red, green and blue taken from its three sub-pixel columns.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from parsers.tables import OCR_UNSURE

SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ROWS = [["3", "64", "61", "0"], ["8", "3", "15", "2"], ["0", "0", "3", "16"], ["5", "3", "13", "64"]]
COL_W, ROW_H = 52, 23  # px: an Excel range at 96 dpi
GRID = 191  # Excel's #bfbfbf gridlines


def subpixel_table(rows: list[list[str]], gutter_at: int | None = None) -> bytes:
    """A ruled table of numbers as a ClearType screenshot (PNG).  ``gutter_at``: a blank
    column after that many columns, as wide as a photo's gutter between two pages."""
    from PIL import Image, ImageDraw, ImageFont

    widths = [COL_W] * len(rows[0])
    if gutter_at is not None:
        widths[gutter_at] = 3 * COL_W  # a wide empty column: a blank strip down the middle
    w = 20 + sum(widths)
    h = 20 + ROW_H * len(rows)
    big = Image.new("L", (3 * w, 3 * h), 255)  # glyphs drawn at three times the resolution ...
    draw = ImageDraw.Draw(big)
    font = ImageFont.truetype(str(SANS), 3 * 12)
    xs = [10 + sum(widths[:i]) for i in range(len(widths) + 1)]
    for j, row in enumerate(rows):
        for i, text in enumerate(row):
            if gutter_at is not None and i == gutter_at:
                continue
            tw = font.getlength(text)
            draw.text((3 * (xs[i + 1] - 6) - tw, 3 * (10 + ROW_H * j + 4)), text, font=font, fill=0)
    # ... then averaged down to the pixel rows, keeping three sub-pixel columns per pixel
    sub = np.asarray(big, dtype=np.float32).reshape(h, 3, 3 * w).mean(axis=1)
    # ClearType's filter across neighbouring sub-pixels, which tames (not removes) the fringes
    kernel = np.array([1, 2, 3, 2, 1], dtype=np.float32) / 9
    sub = 255 - np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="same"), 1, 255 - sub)
    rgb = np.stack([sub[:, 0::3], sub[:, 1::3], sub[:, 2::3]], axis=2)
    img = Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for x in xs:
        draw.line([(x, 10), (x, 10 + ROW_H * len(rows))], fill=(GRID, GRID, GRID))
    for j in range(len(rows) + 1):
        draw.line([(10, 10 + ROW_H * j), (xs[-1], 10 + ROW_H * j)], fill=(GRID, GRID, GRID))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def read_cells(text: str) -> list[list[str]]:
    return [[c for c in ln.split("\t") if c.strip()] for ln in text.splitlines() if ln.strip()]


needs_font = pytest.mark.skipif(not SANS.exists(), reason="DejaVu Sans not installed")


@needs_font
def test_subpixel_rims_are_not_red_ink():
    """The red-ink step leaves a ClearType picture's black digits as they are."""
    import cv2

    from parsers.formats.image import drop_red_ink

    png = np.frombuffer(subpixel_table(ROWS), dtype=np.uint8)
    colour = cv2.imdecode(png, cv2.IMREAD_COLOR)
    gray = cv2.imdecode(png, cv2.IMREAD_GRAYSCALE)
    b, g, r = (colour[:, :, i].astype(int) for i in range(3))
    assert ((r - np.maximum(g, b)) > 45).sum() > 50, "the picture has red rims (the case under test)"
    out = drop_red_ink(colour, gray)
    assert np.abs(out.astype(int) - gray.astype(int)).max() <= 2


@needs_font
def test_subpixel_table_reads_as_printed_or_null():
    from parsers.formats.image import ocr_png

    got = read_cells(ocr_png(subpixel_table(ROWS)))
    assert len(got) == len(ROWS), got
    read = 0
    for want_row, got_row in zip(ROWS, got, strict=True):
        assert len(got_row) == len(want_row), (want_row, got_row)
        for want, cell in zip(want_row, got_row, strict=True):
            assert cell in (want, OCR_UNSURE), f"{want!r} read as {cell!r}"
            read += cell == want
    assert read >= 0.75 * sum(len(r) for r in ROWS)


def test_one_table_with_a_blank_column_is_not_two_pages():
    """Rules running through the blank strip: one wide table, not a photo of two pages."""
    import cv2

    from parsers.formats.orient import two_up

    rows = [["1", "2", "", "3", "4"]] * 3
    gray = cv2.imdecode(np.frombuffer(subpixel_table(rows, gutter_at=2), dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    gray = cv2.resize(gray, None, fx=2, fy=1)  # landscape, as a table-4 picture is
    assert len(two_up(gray)) == 1
