"""A second reading of a doubtful number on a speckled (1-bit copier, dusty) page.

On such a page a cell's crop still carries what the page-wide despeckle had to leave: dots
beside the digits (kept there because a decimal point is such a dot), one-pixel burrs stuck
to the strokes, the grey rims of specks half taken out.  The model reads the digits right
but its confidence sinks ("0" at 0.56-0.89 where a clean "0" reads 0.99), under the bar a
speckled page must clear, and the cell is lost.

Here the crop is cleaned the way a reader's eye does it: bilevel, burrs one pixel thick
opened away, dots standing outside the digits' box dropped, cut tight round the digits.
The cleaned crop is read at two scales.  The cell is taken only when both readings are the
same number, each as confident as the speckled page demands, and that number has the same
value as the first reading of the uncleaned crop: the cleaning may lift the confidence of
what was read, never change the value (".0" and "0." are 0; "-3" read "3" once its minus
went is no agreement, nor is ".5" against "5").
"""

from __future__ import annotations

import re

import numpy as np

BILEVEL_CUT = 200  # grey level below which a crop pixel is ink (light: a hairline greyed by deskew too)
DOT_SIDE = 0.4  # of the digits' height: a blob no taller nor wider is a dot (imagegrid's measure)

# shapes the model gives for a digit (as image._ROUND_ZERO), and marks a speck is read as
_WIDE = str.maketrans("０１２３４５６７８９．－", "0123456789.-")  # full-width forms
_AS_DIGIT = str.maketrans({"o": "0", "O": "0", "〇": "0", "○": "0", "D": "0", "°": "0", "。": "0",
                           "l": "1", "I": "1", "|": "1", "i": "1"})
_SPECK_MARKS = re.compile(r"[`'‘’·,，:;_~^\"]")
_VALUE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def value_of(text: str) -> float | None:
    """The number a loose reading stands for, speck marks left out; None if it is none."""
    t = _SPECK_MARKS.sub("", text.strip().translate(_WIDE).translate(_AS_DIGIT))
    if not _VALUE.fullmatch(t):
        return None
    return float(t)


def clean_crop(crop: np.ndarray) -> np.ndarray | None:
    """The crop's digits alone, black on white and cut tight; None when it holds no ink."""
    import cv2

    from parsers.formats.imagegrid import minus_bars

    ink = (crop < BILEVEL_CUT).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return None
    tall = float(stats[1:, cv2.CC_STAT_HEIGHT].max())
    side = max(2.0, DOT_SIDE * tall)
    bars = minus_bars(stats)  # a minus sign stays whatever its size
    glyphs = [i for i in range(1, n) if stats[i, 2] > side or stats[i, 3] > side or bars[i]]
    if not glyphs:  # specks only
        return None
    bx0 = min(stats[i, 0] for i in glyphs)
    bx1 = max(stats[i, 0] + stats[i, 2] for i in glyphs)
    by0 = min(stats[i, 1] for i in glyphs)
    by1 = max(stats[i, 1] + stats[i, 3] for i in glyphs)
    # a dot inside the digits' box stays: it may be a decimal point or a piece of a broken stroke
    kept = [i for i in range(1, n) if i in glyphs or not (
        stats[i, 0] + stats[i, 2] <= bx0 or stats[i, 0] >= bx1
        or stats[i, 1] + stats[i, 3] <= by0 or stats[i, 1] >= by1)]
    # the crop's own grey where the kept ink is (a 1-bit 200 dpi "0" has 1 px hairlines top
    # and bottom, grey after deskew: made bilevel or opened, it read "()")
    near = cv2.dilate(np.isin(labels, kept).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    out = np.where(near, crop, 255).astype(np.uint8)[max(by0 - 1, 0):by1 + 1, max(bx0 - 1, 0):bx1 + 1]
    pad = max(4, (by1 - by0) // 3)
    return np.pad(out, pad, constant_values=255)


SCALES = (1.0, 0.75, 0.5)  # the cleaned crop read at these; pairs of neighbours must agree
# (a 1-bit 200 dpi "0" blown up to the model's height reads as nothing; made smaller first, the
# resampling smooths its stair-stepped edges and it reads "0" at 0.98)
SOFTEN = (5, 5)  # px: the Gaussian a cleaned crop is read through
RING_HOLE = 0.6  # of the glyph's height: a "0"'s counter spans most of it (a 6's or 9's half)
RING_SHAPE = (1.1, 2.2)  # a digit 0's height over width


def is_ring(crop: np.ndarray) -> bool:
    """Is the crop's ink one closed ring shaped as a digit 0 (one counter, most of its height)?"""
    import cv2

    ink = (crop < BILEVEL_CUT).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return False
    big = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[big, :4])
    others = [i for i in range(1, n) if i != big]
    if any(stats[i, 2] > DOT_SIDE * h or stats[i, 3] > DOT_SIDE * h for i in others):
        return False  # more than one glyph
    if not RING_SHAPE[0] <= h / w <= RING_SHAPE[1]:
        return False
    paper = (labels[y:y + h, x:x + w] != big).astype(np.uint8)
    k, _lab, holes, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    inner = [i for i in range(1, k) if holes[i, 0] > 0 and holes[i, 1] > 0
             and holes[i, 0] + holes[i, 2] < w and holes[i, 1] + holes[i, 3] < h]
    big_holes = [i for i in inner if holes[i, 4] > 4]
    return len(big_holes) == 1 and holes[big_holes[0], 3] >= RING_HOLE * h


def confirm(recognise, crops: list[np.ndarray], texts: list[tuple[str, float]],
            needed: float, is_number) -> list[tuple[str, float]]:
    """Doubtful number readings confirmed by the cleaned crop read at several scales.

    ``is_number(text)`` says whether a cleaned reading is a number as a cell prints it.
    A number read with doubt is taken when the two largest scales read the cleaned crop as
    the same number of the same value, each with ``needed`` confidence, and no scale reads it
    confidently as another.  A "0" may be taken from the two smaller scales, and a crop with
    ink read as nothing at all only as a "0", both only when its ink is a closed ring shaped
    so (is_ring).  A reading confirmed comes back
    as the cleaned text with the lower confidence of the pair; any other stays as it was."""
    import cv2

    todo, cleaned = [], []
    for i, (t, sc) in enumerate(texts):
        if sc >= needed or (value_of(t) is None and t.strip()):
            continue
        c = clean_crop(crops[i])
        if c is not None:
            todo.append(i)
            cleaned.append(c)
    if not todo:
        return texts
    # (softened: a bilevel glyph's stair-stepped edges cost the model more confidence than blur)
    variants = [cv2.GaussianBlur(c if f == 1.0 else cv2.resize(c, None, fx=f, fy=f, interpolation=cv2.INTER_AREA),
                                 SOFTEN, 0) for f in SCALES for c in cleaned]
    reads = recognise(variants)
    out = list(texts)
    for k, i in enumerate(todo):
        got = [reads[j * len(todo) + k] for j in range(len(SCALES))]
        got = [(t.strip().translate(_WIDE), sc) for t, sc in got]
        first = value_of(texts[i][0]) if texts[i][0].strip() else None
        sure = [(t, sc) for t, sc in got if sc >= needed and is_number(t)]
        if len({value_of(t) for t, _ in sure}) > 1:
            continue  # the scales read it as different numbers
        for pair, ((t1, s1), (t2, s2)) in enumerate(zip(got, got[1:], strict=False)):
            if t1 != t2 or min(s1, s2) < needed or not is_number(t1):
                continue
            # the smallest scale blurs a speck into a stroke: there only a "0" seen as a ring
            if (first is None or pair > 0) and not (t1 == "0" and is_ring(cleaned[k])):
                continue
            if first is not None and value_of(t1) != first:
                continue
            out[i] = (t1, min(s1, s2))
            break
    return out


GHOST = 160  # grey level: ink on a 1-bit page with no pixel darker than this is a resampling fringe


def without_ghosts(sub: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """One cell's ink on a bilevel (1-bit) page without the pieces that have no black in them.

    A 1-bit page is black and white; its greys are what deskewing (resampling) made of the
    edges of specks the page-wide despeckle left beside the print.  At the ink mask's
    threshold (a little below paper) such a fringe counts as ink: it added a text line of its
    own above a "0", read as nothing, and the cell was lost.  Print always has a black core."""
    import cv2

    n, labels, _stats, _ = cv2.connectedComponentsWithStats(sub.astype(np.uint8), connectivity=8)
    if n <= 1:
        return sub
    darkest = np.full(n, 255, dtype=np.int32)
    np.minimum.at(darkest, labels.ravel(), cell.ravel().astype(np.int32))
    ghosts = np.flatnonzero(darkest > GHOST)
    ghosts = ghosts[ghosts > 0]
    if not ghosts.size:
        return sub
    out = sub.copy()
    out[np.isin(labels, ghosts)] = 0
    return out


def without_stray_lines(sub: np.ndarray, line_h: float) -> np.ndarray:
    """One cell's ink on a speckled page without "lines" that are no text: a speck alone, or
    a sliver against the cell's top or bottom (the end of a rule the tilt runs into the cell,
    thickened to 4 px by a 1-bit scan's blur).

    Too far from the cell's number to be taken as part of it, such ink makes a text line of
    its own; read as "·" or as nothing, it sank the cell ("0 ·" is no number).  No line of a
    table cell is a lone dot (a decimal point stands on its digits' line) nor lower than
    DOT_SIDE of a line, so where the cell has a line of print, such lines go."""
    import cv2

    from parsers.formats.imagegrid import ink_bands

    bands = ink_bands(sub)
    if len(bands) < 2:
        return sub
    side = DOT_SIDE * line_h
    last = sub.shape[0] - 1
    stray = []
    for a, b in bands:  # (a line of specks far apart is specks all the same)
        _n, _labels, stats, _ = cv2.connectedComponentsWithStats(sub[a:b + 1].astype(np.uint8), connectivity=8)
        low = b - a + 1 <= side
        stray.append(low and (a == 0 or b == last or bool((stats[1:, 2] <= side).all())))
    if all(stray):
        return sub
    out = sub.copy()
    for (a, b), gone in zip(bands, stray, strict=True):
        if gone:
            out[a:b + 1] = 0
    return out
