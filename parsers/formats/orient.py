"""Page orientation of a scan: a sheet fed upside down or scanned sideways, turned upright.

Read as it lies, a page on its side gives no table at all and one upside down gives
numbers in the wrong rows and columns.  Both checks are cheap enough for every page:
sideways shows first in the ink itself (text lines make the row profile of a page sharp,
on a page turned by 90 degrees the column profile), and only a page that looks so is
asked of the text detector (are its boxes tall?), since a page of narrow table columns
looks so too; upside down is asked of the OCR engine's own direction classifier, on a few
text-line crops cut from the page by its row profile.
"""

from __future__ import annotations

import numpy as np

SIDEWAYS = 1.5  # column profile this much sharper than the row profile: text runs down the page
LINES = 12  # text-line crops shown to the direction classifier
SURE = 0.9  # classifier score counted as a vote
UPSIDE_DOWN = 0.7  # share of the votes for 180 degrees before the page is turned


def _sharpness(profile: np.ndarray) -> float:
    return float(np.square(np.diff(profile)).sum()) / max(float(np.square(profile).sum()), 1.0)


def sideways(gray: np.ndarray) -> bool:
    """Do the page's text lines run down rather than across (a portrait page scanned on its side)?"""
    import cv2

    ink = (gray < 160).astype(np.float32)
    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    rows, cols = _sharpness(small.sum(axis=1)), _sharpness(small.sum(axis=0))
    return cols > SIDEWAYS * rows


def _line_crops(gray: np.ndarray) -> list[np.ndarray]:
    """Crops of single text lines: bands of ink between blank rows, as high as most bands.
    Table rules are taken out first: a table's column rules would join all its rows into one."""
    import cv2

    ink = (gray < 160).astype(np.uint8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((41, 1), np.uint8)) \
        | cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 41), np.uint8))
    ink = (ink & ~rules.astype(bool)).astype(bool)
    gray = np.where(rules.astype(bool), 255, gray).astype(np.uint8)
    rows = ink.sum(axis=1) > 0
    bands, start = [], None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append((start, y))
            start = None
    heights = [b - a for a, b in bands if b - a >= 8]
    if not heights:
        return []
    med = float(np.median(heights))
    out = []
    for a, b in bands:
        if not 0.6 * med <= b - a <= 1.6 * med:
            continue
        xs = np.flatnonzero(ink[a:b].any(axis=0))
        if xs.size < 3 * (b - a):  # a page number or a lone mark: too short to tell
            continue
        x0 = int(xs[0])
        x1 = min(int(xs[-1]) + 1, x0 + 8 * (b - a))
        pad = max(2, (b - a) // 4)
        out.append(np.pad(gray[a:b, x0:x1], pad, constant_values=255))
    # spread over the page: the top and bottom lines alone may be a header or a footer
    step = max(1, len(out) // LINES)
    return out[::step][:LINES]


def upside_down(gray: np.ndarray, classifier) -> bool:
    """Does the direction classifier read most of the page's text lines as turned 180 degrees?"""
    import cv2

    crops = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in _line_crops(gray)]
    if len(crops) < 3:
        return False
    _, labels, _ = classifier(crops)
    votes = [label for label, score in labels if score >= SURE]
    return len(votes) >= 3 and votes.count("180") >= UPSIDE_DOWN * len(votes)


def lines_run_down(gray: np.ndarray, detector) -> bool:
    """Do the text detector's boxes on a reduced page stand upright (lines running down)?
    The profile test alone is fooled by a page that is mostly a table of narrow columns."""
    import cv2

    scale = 960 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    boxes, _ = detector(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    if boxes is None:
        return False
    sizes = [(np.linalg.norm(b[0] - b[1]), np.linalg.norm(b[1] - b[2])) for b in boxes]
    wide = sum(1 for w, h in sizes if w > 2 * h)
    tall = sum(1 for w, h in sizes if h > 2 * w)
    return tall >= 5 and tall > 3 * wide


def upright(gray: np.ndarray, engine) -> np.ndarray:
    """The page turned so its text reads left to right, top to bottom (the same array if it does).
    ``engine`` is the RapidOCR engine: its detector and direction classifier are asked."""
    import cv2

    if sideways(gray) and lines_run_down(gray, engine.text_det):  # the detector only when in doubt
        gray = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
    if upside_down(gray, engine.text_cls):
        gray = cv2.rotate(gray, cv2.ROTATE_180)
    return gray


GUTTER = 0.02  # of the width: a blank strip at least this wide between two pages' text
SEAM = 0.006  # of the width: ink no wider than this in the gutter is the pages' edges or fold
# of the ink: the lesser page holds at least this much (a report's last page, the end of a table,
# may be mostly blank: a two-up scan of pages 2|3 was read as one page at 0.25)
PAGE_SHARE = 0.08


def two_up(gray: np.ndarray) -> list[np.ndarray]:
    """A picture of two pages side by side (an opened report photographed flat) as the two
    pages, left then right; any other picture as itself.

    Read as one page, each line would run on from the left page into the right one (the
    body's name glued to a table label) and the two pages' tables would mix.  Two pages
    show as two blocks of text columns with a blank gutter near the middle of a landscape
    picture, at most a thin seam (the paper's edges, the fold's shadow) drawn in it.
    """
    h, w = gray.shape
    if w < 1.2 * h:
        return [gray]
    ink = gray[int(0.1 * h):int(0.9 * h)] < 160
    profile = ink.sum(axis=0)
    text = profile > 0.02 * ink.shape[0]
    # thin runs of "text" are edges and seams, not text
    edges = np.flatnonzero(np.diff(np.concatenate([[0], text.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if b - a < SEAM * w:
            text[a:b] = False
    lo, hi = int(0.35 * w), int(0.65 * w)
    best, best_len, run = None, 0, 0
    for x in range(lo, hi):
        run = run + 1 if not text[x] else 0
        if run > best_len:
            best, best_len = x - run // 2, run
    if best is None or best_len < GUTTER * w:
        return [gray]
    left, right = profile[:best].sum(), profile[best:].sum()
    if min(left, right) < PAGE_SHARE * (left + right):
        return [gray]
    if _ruled_across(gray, best):
        return [gray]
    return [gray[:, :best], gray[:, best:]]


RULE_STEP = 25  # grey levels below the paper that a table rule stays through the gutter
RULES_ACROSS = 2  # rules crossing the gutter: one table, not two pages


def _ruled_across(gray: np.ndarray, x: int) -> bool:
    """Whether horizontal rules run through the gutter at ``x``: one wide table whose
    columns part there (an Excel screenshot's light-grey gridlines are no "ink"), since
    no line runs on from one photographed page into the other.  A rule is a row whose
    lightest pixel across the gutter is still well below the paper."""
    h, w = gray.shape
    d = max(2, int(GUTTER * w))
    band = gray[int(0.1 * h):int(0.9 * h), max(x - d, 0):x + d + 1]
    lightest = band.max(axis=1).astype(np.int16)
    ruled = np.flatnonzero(lightest < int(np.median(lightest)) - RULE_STEP)
    lines = 1 + int((np.diff(ruled) > 2).sum()) if ruled.size else 0
    return lines >= RULES_ACROSS
