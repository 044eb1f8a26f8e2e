"""Page orientation of a scan: a sheet fed upside down or scanned sideways, turned upright.

Read as it lies, a page on its side gives no table at all and one upside down gives
numbers in the wrong rows and columns.  Cheap tests on the ink alone were unsound: a
landscape table page has a column profile as sharp as a sideways page's row profile, and
the engine's direction classifier, shown bands of a 1-bit table page turned 180 degrees,
voted for upright.  What does not fail is the recogniser itself: text read the right way
up comes out with high confidence (~0.95), the same crop turned over as low-confidence
noise (~0.05-0.4), on clean scans, 1-bit copies and phone photos alike.  So the text
detector finds the page's text lines once on a reduced page (its boxes lie along the lines,
whichever way they run: tall boxes mean the page is on its side), and a few of those lines
are recognised both ways; the page is turned only when the other way reads clearly better.
"""

from __future__ import annotations

import numpy as np

DETECT_SIDE = 960  # px: the page is reduced to this for the detector (lines stay >= ~10 px high)
LINES = 6  # text-line crops recognised both ways
MAX_RUN = 8  # a crop is at most this many line-heights long (the model's cost grows with width)
ACROSS = 2.0  # a box this many times longer than high is a line of text (a lone digit is square)
SIDEWAYS_MIN = 5  # tall boxes before a page can be on its side ...
SIDEWAYS_SHARE = 3  # ... and this many times as many as wide ones (a table's stacked header is a few)
MIN_LINES = 3  # fewer lines than this: orientation is not judged, the page stays as it is
BETTER = 0.25  # mean confidence by which the turned reading must win ...
WINS = 2 / 3  # ... and the share of lines that must each read better turned
READS_WELL = 0.8  # mean confidence as they lie above which the lines are not read turned (they are upright)


def _boxes(gray: np.ndarray, detector) -> list[tuple[int, int, int, int]]:
    """The detector's text boxes (x0, y0, x1, y1) in page pixels, found on a reduced page."""
    import cv2

    scale = min(1.0, DETECT_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    quads, _ = detector(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    out = []
    for q in quads if quads is not None else []:
        q = np.asarray(q, dtype=np.float64) / scale
        x0, y0 = q.min(axis=0)
        x1, y1 = q.max(axis=0)
        out.append((max(int(x0), 0), max(int(y0), 0), int(x1) + 1, int(y1) + 1))
    return out


def _crops(gray: np.ndarray, boxes: list, along_y: bool) -> list[np.ndarray]:
    """The longest lines' crops, laid horizontal (a line running down is turned clockwise),
    spread over the page (the top lines alone may be a header)."""
    import cv2

    def length(b):
        return (b[3] - b[1]) if along_y else (b[2] - b[0])

    longest = sorted(boxes, key=length, reverse=True)[:3 * LINES]
    chosen = sorted(longest, key=lambda b: (b[0], b[1]) if along_y else (b[1], b[0]))
    chosen = chosen[::max(1, len(chosen) // LINES)][:LINES]
    out = []
    for x0, y0, x1, y1 in chosen:
        pad = 3
        crop = gray[max(y0 - pad, 0):y1 + pad, max(x0 - pad, 0):x1 + pad]
        if along_y:
            crop = cv2.rotate(crop, cv2.ROTATE_90_CLOCKWISE)
        h = crop.shape[0]
        if h < 6:
            continue
        out.append(np.ascontiguousarray(crop[:, :MAX_RUN * h]))
    return out


def _turned_reads_better(crops: list[np.ndarray], recogniser) -> bool | None:
    """True when the crops read clearly better turned 180 degrees, False when clearly better as
    they are, None when the lines are too few to tell or neither way wins."""
    import cv2

    if len(crops) < MIN_LINES:
        return None
    as_is = [s for _, s in recogniser([cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops])[0]]
    if float(np.mean(as_is)) >= READS_WELL:  # text turned over never reads this well: spare the second reading
        return False
    turned = [s for _, s in recogniser([cv2.cvtColor(cv2.rotate(c, cv2.ROTATE_180), cv2.COLOR_GRAY2BGR)
                                        for c in crops])[0]]
    gain = float(np.mean(turned)) - float(np.mean(as_is))
    wins = sum(1 for a, t in zip(as_is, turned, strict=True) if t > a)
    if gain >= BETTER and wins >= WINS * len(crops):
        return True
    if -gain >= BETTER and len(crops) - wins >= WINS * len(crops):
        return False
    return None


def upright(gray: np.ndarray, engine) -> np.ndarray:
    """The page turned so its text reads left to right, top to bottom (the same array if it does,
    or if the page has too little text to tell).  ``engine`` is the RapidOCR engine: its
    detector finds the lines, its recogniser reads a few of them both ways."""
    import cv2

    boxes = _boxes(gray, engine.text_det)
    wide = [b for b in boxes if b[2] - b[0] > ACROSS * (b[3] - b[1])]
    tall = [b for b in boxes if b[3] - b[1] > ACROSS * (b[2] - b[0])]
    if len(tall) >= SIDEWAYS_MIN and len(tall) > SIDEWAYS_SHARE * len(wide):
        # on its side: the lines, turned clockwise, read either upright or upside down
        turned = _turned_reads_better(_crops(gray, tall, along_y=True), engine.text_rec)
        if turned is None:
            return gray
        return cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE if turned else cv2.ROTATE_90_CLOCKWISE)
    if _turned_reads_better(_crops(gray, wide, along_y=False), engine.text_rec):
        return cv2.rotate(gray, cv2.ROTATE_180)
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
