"""Ruled tables in a page image: grid from the drawn rules, each cell read on its own.

Detection + recognition over a whole page loses cells: the detector skips a lone "0"
and a blank cell has no box at all, so rows come out short.  Report tables are fully
ruled, so the grid is read off the rules instead (long thin runs of ink found by
morphological opening), merges are decided by whether the border between two grid
cells is drawn (as in pdfgrid), and every non-blank cell is cropped, cut into its text
lines and passed to the recognition model alone, which reads single digits reliably.

Real scans: the page is first flattened (normalise: grey or yellow paper, uneven light,
noise) and turned level (deskew: projection of all ink, then the rules' line fit); rules
are found on darkness averaged along them (faint, JPEG-blurred, noisy or broken rules),
no fainter than a share of the page's own rules (the JPEG halo around text is no rule),
only where they meet other rules (bold text is not a rule), and a border with no rule
segment is still checked pixel by pixel.  A number cell the model is not sure of is
printed as OCR_UNSURE (null to the parser, reported as an ``ocr_uncertain`` finding):
a wrong number is worse than a missing one.  Label cells (headers, row labels) are
printed as read, never as OCR_UNSURE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# the same rule and table shapes as PDF pages, here in pixels instead of points
from parsers.formats import cellrims, gridstrokes, ocrbinary, ocrseal
from parsers.formats.pdfgrid import Seg, Table, components
from parsers.tokens import OCR_UNSURE

TOL = 3  # px: a rule end and a crossing rule this close touch
SNAP = 4  # px: rule positions this close are one grid line
MIN_INK = 6  # px of ink in a cell interior before it is worth reading
MIN_CELL = 12  # px: a grid row or column narrower than this cannot hold text
INK_CONTRAST = 16  # grey levels below the paper that count as ink
RULE_CONTRAST = 10  # rules may be fainter: a hairline resampled from a scan spreads over 2 px


def paper_level(gray: np.ndarray) -> np.ndarray:
    """The local paper brightness: the brightest of the (lightly smoothed) pixels around.

    A maximum, not a mean or median, which text pulls down; smoothing first keeps
    single noisy bright pixels of a scan from setting it.
    """
    import cv2

    smooth = cv2.blur(gray, (3, 3))
    return cv2.dilate(smooth, cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31)))


def ink_mask(gray: np.ndarray, paper: np.ndarray, contrast: int = INK_CONTRAST,
             blur: tuple[int, int] = (3, 3)) -> np.ndarray:
    """Ink as 1: darker than the paper around it by ``contrast`` after a light blur.

    Against the paper level (not a local mean, which text pulls down) a faint grey
    rule running past black text still counts.  The blur averages scanner noise away;
    rules are read unblurred, which keeps a hairline's full contrast.
    """
    import cv2

    smooth = cv2.blur(gray, blur)
    return ((paper.astype(np.int16) - smooth) > contrast).astype(np.uint8)


def noise_level(gray: np.ndarray) -> float:
    """Standard deviation of the scanner noise: robust (MAD) spread of each pixel against its
    3x3 median.  Text edges are a small share of a page, so the median ignores them; a clean
    render gives 0, a phone photo or a noisy scan 5-15 grey levels."""
    import cv2

    diff = np.abs(gray.astype(np.int16) - cv2.medianBlur(gray, 3))
    return 1.4826 * float(np.median(diff[::2, ::2]))


def normalise(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """(page, noise): paper at 255 whatever the scan, and the paper noise left on it.

    Divides out a grey or yellowish background and uneven light (ink darkness is measured
    in the local paper's own scale, so a dim corner counts the same) and smooths strong
    noise a little.  Nothing is thresholded here: a faint rule must survive until the rule
    finder averages along it, and the thresholds there rise with the noise returned (which
    the clipping at 255 hides from any later measurement).  A clean render comes back as is.
    """
    import cv2

    sigma = noise_level(gray)
    src = cv2.GaussianBlur(gray, (3, 3), 0) if sigma > 2 else gray
    paper = paper_level(src).astype(np.float32)
    if sigma <= 2 and paper.min() >= 250:
        return gray, 0.0
    dark = (paper - src) * (255.0 / np.maximum(paper, 64))
    sample = dark[::3, ::3]
    floor = float(np.median(sample))  # the paper itself (most of a page): to 255
    noise = 1.4826 * float(np.median(np.abs(sample - floor)))
    return np.clip(255 - (dark - floor), 0, 255).astype(np.uint8), noise


SPECK_AREA = 12  # px at 150 dpi: ink dots this small are speckle unless they sit by a glyph
SPECKLED = 3.0  # lone dots per glyph-sized blob before a page counts as speckled (a phone photo: ~2)


SPECKLED_BILEVEL = 1.0  # ... on a bilevel (1-bit) scan
BILEVEL = 0.1  # share of pixels neither near black nor near white below which a page is bilevel


def _bilevel(gray: np.ndarray) -> bool:
    """Is the page a 1-bit scan (as rendered: resampling greys a few edge pixels)?"""
    sample = gray[::2, ::2]
    return float(((sample > 16) & (sample < 240)).mean()) < BILEVEL


def despeckle(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """A speckled scan (dust, a dirty glass, a noisy bilevel scan) without its lone dots.

    Thousands of 1-2 px dots over a page fill every table cell with "·" and "." that the
    recognition model reads along with the digits, and, lined up by chance, they add rules
    to the grid: every number of a report whose digits were all legible was lost.  Such a
    page has far more tiny ink dots than glyph-sized blobs; there the dots that stand apart
    from any larger ink go to paper.  A dot beside a glyph (a decimal point, a 、) stays,
    and a page without many dots comes back untouched (the same array).  The flag says
    whether the page was speckled: its cells are then cleared of specks as a noisy scan's are.
    """
    import cv2

    ink = (gray < 160).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    scale = max(gray.shape) / 1755  # a page rendered at 150 dpi is ~1755 px tall
    limit = max(3, int(SPECK_AREA * scale * scale))
    area = stats[:, cv2.CC_STAT_AREA]
    small = (area <= limit) & ~minus_bars(stats)
    small[0] = False
    n_big = int((~small).sum()) - 1
    big = (~small[labels]) & (labels > 0)
    k = max(3, int(round(5 * scale))) | 1
    near = cv2.dilate(big.astype(np.uint8), np.ones((k, k), np.uint8)).astype(bool)
    lone = small[labels] & ~near
    # dots counted only where they stand alone: the small pieces of glyphs (dots of 、，and
    # of characters on a small or blurred photo) lie by the rest of their text
    alone = np.unique(labels[lone])
    # a black-and-white copier page is speckled with fewer dots per glyph: a table page's
    # characters break into many blobs, and such a page is never a photo's blurred small print
    need = SPECKLED_BILEVEL if _bilevel(gray) else SPECKLED
    if alone.size < 300 or alone.size < need * n_big:
        return gray, False
    out = gray.copy()
    out[cv2.dilate(lone.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & (gray < 250)] = 255
    return out, True


def minus_bars(stats: np.ndarray) -> np.ndarray:
    """Components that are minus signs ("-3" in 本年增/减): as small as a speck, but a short bar
    several times wider than high, right before a glyph and level with its middle.  Copier
    dust is dots of a px or two; a dust bar that happens to lie just so is rare enough."""
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    out = np.zeros(len(stats), dtype=bool)
    for i in np.flatnonzero((w >= BAR_MIN) & (w >= BAR_RATIO * h) & (h <= BAR_MIN)):
        if i == 0:  # the background
            continue
        mid = y[i] + h[i] / 2
        gap = x - (x[i] + w[i])
        out[i] = bool(((h >= BAR_RATIO * h[i]) & (gap >= 0) & (gap <= np.maximum(h / 2, 2))
                       & (y + h / 4 <= mid) & (mid <= y + 3 * h / 4)).any())
    return out


BAR_MIN = 4  # px: a minus sign is at least this wide at the lowest resolution read (and no taller)
BAR_RATIO = 2.5  # (a 1 px minus is 3 px high in the blurred ink mask)


def whiten(gray: np.ndarray, noise: float) -> np.ndarray:
    """The paper's remaining noise set to white, for the recognition model's crops."""
    if noise <= 1:
        return gray
    out = gray.copy()
    out[out > 255 - 3 * noise] = 255
    return out


def _projection_angle(ink: np.ndarray, angles: np.ndarray) -> float:
    """The angle whose rotation makes the rows of ink sharpest (rules and text lines level)."""
    import cv2

    h, w = ink.shape
    best, best_score = 0.0, float(np.square(np.diff(ink.sum(axis=1))).sum())  # level wins ties
    for a in angles:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(a), 1.0)
        prof = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1)
        score = float(np.square(np.diff(prof)).sum())
        if score > best_score:
            best, best_score = float(a), score
    return best


def _rule_angle(gray: np.ndarray) -> float | None:
    """Residual skew from the long horizontal rules (a line fit is finer than a projection)."""
    import cv2

    paper = paper_level(gray)
    h, w = gray.shape
    mask = cv2.morphologyEx(ink_mask(gray, paper, RULE_CONTRAST, (1, 1)), cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 30), 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    angles = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < w // 4 or bh > bw // 20:
            continue
        ys, xs = np.nonzero(labels[y:y + bh, x:x + bw] == i)
        (slope, _icpt), res, *_ = np.polyfit(xs, ys, 1, full=True)
        if res.size and res[0] / len(xs) > 1.0:  # a thick smear (a bold title), not a rule
            continue
        angles.append(np.degrees(np.arctan(slope)))
    return float(np.median(angles)) if angles else None


def _rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


MAX_SKEW = 5.0  # degrees: a scan further off is a page turned on purpose, not skew


def deskew(gray: np.ndarray) -> np.ndarray:
    """The page rotated so its rules and text lines are level.

    A scan a fraction of a degree off tilts a 1000 px rule by several pixels, enough to cut
    it off the grid; past ~1 degree a thin rule no longer survives the long opening that
    finds rules at all.  So the angle is first found coarsely from the sharpness of the
    row projection of all ink (works without rules too: text lines), on a reduced page, and
    then refined from the rules' own line fit on the page turned by that much.  The page is
    rotated once, by the sum, to keep the glyphs as sharp as the scan.
    """
    import cv2

    paper = paper_level(gray)
    ink = ink_mask(gray, paper).astype(np.float32)
    if ink.sum() < 100:  # a blank page has no angle
        return gray
    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    coarse = _projection_angle(small, np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25))
    half = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    angle = _projection_angle(half, coarse + np.arange(-0.25, 0.26, 0.05))
    turned = _rotate(gray, angle) if abs(angle) >= 0.05 else gray
    residual = _rule_angle(turned)
    if residual is None or abs(residual) < 0.05 or abs(residual) > 1.0:
        return turned
    angle += residual
    return _rotate(gray, angle) if abs(angle) >= 0.05 else gray


RULE_RUN = 3  # px averaged along a rule: averages noise away without running glyphs together
RULE_GAP = 12  # px: collinear rule pieces this close are one rule broken by the scan or by JPEG


PEN_SHARE = 0.3  # of the page's rule darkness: fainter runs are halo or smudge, not rule


def rule_darkness(gray: np.ndarray, paper: np.ndarray, noise: float = 0.0,
                  thin: bool = False) -> tuple[np.ndarray, np.ndarray, float]:
    """(darkness along horizontals, along verticals, threshold) as rule_segments reads them.

    The threshold rises with the page's noise, and with the darkness of its own rules: the
    JPEG halo around black text is ~10% of black, and on a page ruled in black it bridges
    the 2-3 px between a glyph and a rule, so glyph strokes in rows above one another join
    into a "rule" that splits the column.  On a page ruled in faint hairlines (a screen
    render) the floor stays at the noise level, since there the rules are as faint as that.
    With ``thin`` (a page under a watermark) only darkness above both sides of a line counts.
    """
    import cv2

    dark = paper.astype(np.float32) - gray
    along_h = cv2.boxFilter(_thin(dark, True) if thin else dark, -1, (RULE_RUN, 2), normalize=True,
                            borderType=cv2.BORDER_REPLICATE) * 2
    along_v = cv2.boxFilter(_thin(dark, False) if thin else dark, -1, (2, RULE_RUN), normalize=True,
                            borderType=cv2.BORDER_REPLICATE) * 2
    thr = max(RULE_CONTRAST, 4 * noise * 2 / np.sqrt(2 * RULE_RUN))
    pen = _pen(along_h, along_v, _crossed(_runs(along_h, along_v, thr)))
    return along_h, along_v, max(thr, PEN_SHARE * pen)


def _thin(dark: np.ndarray, horizontal: bool) -> np.ndarray:
    """Darkness above what lies a few px to both sides across the line's direction.

    A rule is thin: paper on at least one side of it.  The broad strokes of a light
    watermark (仅供参考) run darkness through both sides, and summed across two px they
    were seen to pass the rule threshold and split table columns; less what both sides
    share, they are nearly nothing, while a rule crossing them keeps its own darkness.
    Only for a page under such a mark: the blurred rules of a phone photo lose too much.
    """
    import cv2

    k = max(5, max(dark.shape) // 500)
    pad = ((k, k), (0, 0)) if horizontal else ((0, 0), (k, k))
    d = np.pad(dark, pad, mode="edge")
    if horizontal:
        side = np.minimum(d[:-2 * k], d[2 * k:])
    else:
        side = np.minimum(d[:, :-2 * k], d[:, 2 * k:])
    # ... over a stretch along the line, so that a crossing rule (dark on both sides for
    # its own few px) does not cut the rule at every crossing
    side = cv2.erode(np.clip(side, 0, None), np.ones((1, 3) if horizontal else (3, 1), np.uint8))
    return dark - side


def _pen(along_h: np.ndarray, along_v: np.ndarray, segs: list[Seg]) -> float:
    """How dark the page's rules are: the length-weighted median of each rule's own median
    darkness along its line (so a few joined-up glyph strokes do not move it)."""
    if not segs:
        return 0.0
    darkness, length = [], []
    for s in segs:
        along = along_h if s.horizontal else along_v.T
        darkness.append(float(np.median(along[max(s.pos - 1, 0):s.pos + 2, s.a:s.b + 1].max(axis=0))))
        length.append(s.b - s.a + 1)
    order = np.argsort(darkness)
    cum = np.cumsum(np.asarray(length)[order])
    return darkness[order[int(np.searchsorted(cum, cum[-1] / 2))]]


def rule_segments(gray: np.ndarray, paper: np.ndarray, noise: float = 0.0) -> list[Seg]:
    """Horizontal and vertical rules: runs far longer than any glyph stroke.

    Darkness is averaged along the rule's direction over RULE_RUN px and summed across two
    px (a hairline resampled from a scan spreads over two rows at half contrast), so a
    faint, broken, JPEG-blurred or noisy rule still reads as one run; the threshold
    (rule_darkness) keeps noise and the halo of text out.
    """
    along_h, along_v, thr = rule_darkness(gray, paper, noise)
    return _bridge(_runs(along_h, along_v, thr))


def _runs(along_h: np.ndarray, along_v: np.ndarray, thr: float) -> list[Seg]:
    """Runs of darkness above ``thr`` long enough to be rules, not yet bridged."""
    import cv2

    h, w = along_h.shape
    # the averaging lengthens every run by RULE_RUN - 1 px: a glyph stroke must not pass for a rule
    hlen = max(40, w // 30) + RULE_RUN - 1
    vlen = max(20, h // 65) + RULE_RUN - 1
    hmask = cv2.morphologyEx((along_h > thr).astype(np.uint8), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    vmask = cv2.morphologyEx((along_v > thr).astype(np.uint8), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    out: list[Seg] = []
    # the 2 px sum across a rule covers the pixel and the one before it (an even box), so a
    # run's middle sits half a px late: (size - 1) // 2, not size // 2, finds the rule itself
    for mask, horizontal in ((hmask, True), (vmask, False)):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _area = stats[i]
            if (horizontal and bh <= 9 or not horizontal and bw <= 9) \
                    and _bent(labels[y:y + bh, x:x + bw] == i, horizontal):
                continue  # an arc of a seal's ring, not a rule
            if horizontal and bh <= 9:
                out.append(Seg(True, int(y + (bh - 1) // 2), int(x), int(x + bw - 1)))
            elif not horizontal and bw <= 9:
                out.append(Seg(False, int(x + (bw - 1) // 2), int(y), int(y + bh - 1)))
            else:
                part = labels[y:y + bh, x:x + bw] == i
                out += _long_lines(part if horizontal else part.T, horizontal, (x, y) if horizontal else (y, x))
    return out


BEND = 2.0  # px a rule's middle may stray from its line (blur, JPEG, a worn stretch)
MAX_TILT = 0.02  # a rule of a deskewed page runs level (or upright) to about a degree


def _bent(part: np.ndarray, horizontal: bool) -> bool:
    """Does a run of darkness curve, as the arc of a round seal's ring does where it runs
    nearly along a rule's direction?  Stamped over a table, such arcs passed for rules and
    added a column through the middle of the numbers (a row one cell too wide, its numbers
    shifted).  A rule is straight: its middle keeps to a line, give or take a residual tilt."""
    along = part if horizontal else part.T  # rows across the run, columns along it
    weight = along.sum(axis=0)
    keep = weight > 0
    if keep.sum() < 2:
        return False
    rows = np.arange(along.shape[0])[:, None]
    mid = (along * rows).sum(axis=0)[keep] / weight[keep]
    pos = np.flatnonzero(keep)
    slope, icpt = np.polyfit(pos, mid, 1)
    return float(np.abs(mid - (slope * pos + icpt)).max()) > BEND or abs(float(slope)) > MAX_TILT


def _long_lines(part: np.ndarray, horizontal: bool, at: tuple[int, int]) -> list[Seg]:
    """The rules inside a run too thick to be one: a rule whose end touches the bold strokes of a
    heading printed right against the table (五、存在的主要问题 under table 4) joins them into one
    blob, and dropped whole it took the column rule with it, so two cells were read as one ("1 | 0"
    as 110).  The rule is the thin band of lines far longer than the strokes beside it.

    ``part`` is laid out along the rule (rows across it); ``at`` is its (along, across) origin."""
    thick, length = part.shape
    longest = np.zeros(thick, dtype=int)
    span = [(0, 0)] * thick
    for r in range(thick):
        on = np.flatnonzero(np.diff(np.concatenate([[0], part[r].astype(np.int8), [0]])))
        if on.size:
            lens = on[1::2] - on[::2]
            k = int(np.argmax(lens))
            longest[r], span[r] = int(lens[k]), (int(on[2 * k]), int(on[2 * k + 1]) - 1)
    keep = longest >= 0.6 * longest.max()
    out = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if b - a > 9:
            continue
        lo = min(span[r][0] for r in range(a, b))
        hi = max(span[r][1] for r in range(a, b))
        if _bent(part[a:b, lo:hi + 1], True):  # (laid out along the rule: its rows are across it)
            continue
        out.append(Seg(horizontal, int(at[1] + a + (b - a - 1) // 2), int(at[0] + lo), int(at[0] + hi)))
    return out


def _bridge(segs: list[Seg]) -> list[Seg]:
    """Collinear pieces of one rule, split by a break in the scan or JPEG ringing, joined."""
    out: list[Seg] = []
    for s in sorted(segs, key=lambda s: (s.horizontal, s.pos, s.a)):
        for i in range(len(out) - 1, max(len(out) - 6, -1), -1):
            o = out[i]
            if o.horizontal == s.horizontal and abs(o.pos - s.pos) <= 2 \
                    and s.a - o.b <= RULE_GAP and o.a - s.b <= RULE_GAP:
                out[i] = Seg(o.horizontal, o.pos, min(o.a, s.a), max(o.b, s.b))
                break
        else:
            out.append(s)
    return out


def _touch(h: Seg, v: Seg) -> bool:
    return h.a - TOL <= v.pos <= h.b + TOL and v.a - TOL <= h.pos <= v.b + TOL


STOP_SHORT = 3  # px: an end this far or farther before a crossing rule (and under MIN_CELL) keeps a glyph's margin


def _short_both_ends(segs: list[Seg], ink: np.ndarray) -> list[Seg]:
    """Vertical segments that stop just short of a table-wide rule at both ends, or at one
    end with text beside them on both sides, dropped.

    On a small scan of a tightly ruled table, strokes of glyphs in rows one above the other
    (信 over 行) join across the rule between them into a "rule" two rows long, which splits
    the label column; at its ends it keeps the glyphs' margin from the next rule, and the
    glyphs' other strokes lie beside it.  A rule runs into the rules it meets (a worn one may
    break at one end, not at both) and has its cells' padding beside it."""
    hs = [s for s in segs if s.horizontal]
    wide = max((h.b - h.a for h in hs), default=0) / 2

    def short(s: Seg, gap) -> bool:
        return any(STOP_SHORT <= gap(h) < MIN_CELL for h in hs
                   if h.b - h.a >= wide and h.a - TOL <= s.pos <= h.b + TOL)

    out = []
    for s in segs:
        # (a glyph chain crosses one rule, between the two rows its glyphs stand in)
        if not s.horizontal and sum(1 for h in hs if h.b - h.a >= wide and h.a - TOL <= s.pos <= h.b + TOL
                                    and s.a + TOL < h.pos < s.b - TOL) <= 1:
            top, bottom = short(s, lambda h, s=s: s.a - h.pos), short(s, lambda h, s=s: h.pos - s.b)
            if (top and bottom) or ((top or bottom) and _in_text(ink, s.pos, s.a, s.b)):
                continue
        out.append(s)
    return out


SIDE = (3, 12)  # px beside a column rule where a cell's own text is not (its padding)
SIDE_INK = 0.15  # share of a row's lines inked on both sides of a "rule": it runs through text


def _without_glyph_columns(segs: list[Seg], ink: np.ndarray) -> list[Seg]:
    """Vertical segments one row high that run through a line of text, dropped.

    On a small scan (150 dpi) a bold heading row (第二十条第（五）项) fills its row: its glyphs'
    upright strokes run from rule to rule and pass for column rules, which then cut every
    row of the table below into slivers.  A column rule has its cells' padding on both
    sides; a stroke inside a line of text has the neighbouring strokes beside it.  Only
    segments crossing no rule between their ends are judged (a real rule of one row only)."""
    hs = [s for s in segs if s.horizontal]
    # rules across much of the table, not strokes of a heading that passed for rules
    wide = max((h.b - h.a for h in hs), default=0) / 2
    out = []
    for s in segs:
        if s.horizontal or any(s.a + TOL < h.pos < s.b - TOL and h.a - TOL <= s.pos <= h.b + TOL
                               and h.b - h.a >= wide for h in hs):
            out.append(s)
            continue
        if not _in_text(ink, s.pos, s.a + TOL + 1, s.b - TOL):
            out.append(s)
    return out


def _in_text(ink: np.ndarray, x: int, a: int, b: int) -> bool:
    """Does a vertical line at ``x`` (rows a..b) have text beside it on both sides?"""
    left = ink[a:b, max(x - SIDE[1], 0):max(x - SIDE[0], 0)]
    right = ink[a:b, x + SIDE[0] + 1:x + SIDE[1] + 1]
    if not left.size or not right.size or b <= a:
        return False
    return float((left.any(axis=1) & right.any(axis=1)).mean()) >= SIDE_INK


def _crossed(segs: list[Seg], rounds: int = 2) -> list[Seg]:
    """Only segments that cross or meet two perpendicular ones, or one that a rule in line
    with them also meets (a column rule in a last row that runs on to the next page).

    A rule of a table runs from one crossing rule to another; a glyph stroke of bold or
    smeared text that passed for a rule touches one at most, and left in, it adds a grid
    line through the labels, or a few px from a real rule, where it costs the whole table.
    """
    for _ in range(rounds):
        hs = [s for s in segs if s.horizontal]
        vs = [s for s in segs if not s.horizontal]
        met = {id(h): [v for v in vs if _touch(h, v)] for h in hs}
        met.update({id(v): [h for h in hs if _touch(h, v)] for v in vs})
        sure = [s for s in segs if len(met[id(s)]) >= 2]
        kept = sure + [s for s in segs if len(met[id(s)]) == 1 and any(
            k.horizontal == s.horizontal and abs(k.pos - s.pos) <= SNAP and met[id(s)][0] in met[id(k)]
            for k in sure)]
        if len(kept) == len(segs):
            break
        segs = kept
    return segs


def _cluster(values: list[int]) -> list[int]:
    groups: list[list[int]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= SNAP:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [round(sum(g) / len(g)) for g in groups]


def _thin_out(lines: list[int], segs: list[Seg]) -> list[int]:
    """Grid lines with those too close to a stronger one dropped.

    A line of bold or blurred header text across a narrow cell meets both of the cell's
    rules and passes for a rule; a few px from the real rule it would make a sliver row and
    cost the whole table.  Of two lines closer than MIN_CELL the one drawn along less
    length goes.
    """
    def drawn(pos: int) -> float:
        return sum(s.b - s.a for s in segs if abs(s.pos - pos) <= SNAP)

    lines = list(lines)
    while len(lines) > 1:
        gaps = [(b - a, i) for i, (a, b) in enumerate(zip(lines, lines[1:], strict=False))]
        gap, i = min(gaps)
        if gap >= MIN_CELL:
            break
        del lines[i if drawn(lines[i]) < drawn(lines[i + 1]) else i + 1]
    return lines


def _drawn(along: np.ndarray, thr: float, pos: int, a: int, b: int) -> bool:
    """Is a rule drawn at ``pos`` between two crossing rules ``a`` and ``b``, judged from the
    pixels when no segment was found there (a faint stretch of a rule, broken by the scan
    for longer than RULE_GAP)?  Most of the stretch must be dark at the line, and at one end
    at least it must run on into the crossing rule: a glyph crossing the line (a label in a
    merged cell, in a row no taller than the text) keeps a margin, however small, from the
    cell's borders, while a rule is drawn right up to them (a worn rule may break at one end)."""
    lo, hi = a + 1, b - 1
    if hi - lo < MIN_CELL or pos < 1 or pos + 2 > along.shape[0]:
        return False
    dark = along[pos - 1:pos + 2, lo:hi + 1].max(axis=0) > thr
    n = 2 * TOL
    return bool((dark[:n].all() or dark[-n:].all()) and dark.mean() >= 0.75)


def _covered(segs: list[Seg], pos: int, at: float) -> bool:
    return any(abs(s.pos - pos) <= SNAP and s.a - TOL <= at <= s.b + TOL for s in segs)


def _root(owner: list[list[tuple[int, int]]], rc: tuple[int, int]) -> tuple[int, int]:
    while owner[rc[0]][rc[1]] != rc:
        rc = owner[rc[0]][rc[1]]
    return rc


def _union(owner: list[list[tuple[int, int]]], p: tuple[int, int], q: tuple[int, int]) -> None:
    a, b = _root(owner, p), _root(owner, q)
    if a != b:
        owner[max(a, b)[0]][max(a, b)[1]] = min(a, b)


@dataclass
class _Grid:
    xs: list[int]
    ys: list[int]
    hs: list[Seg]
    vs: list[Seg]
    cells: dict[tuple[int, int], tuple[int, int, int, int]]  # anchor -> (r0, c0, r1, c1) inclusive


def grids(gray: np.ndarray, paper: np.ndarray, noise: float = 0.0, thin: bool = False) -> list[_Grid]:
    """Table grids on the page, each with its merged regions."""
    found = []
    along_h, along_v, thr = rule_darkness(gray, paper, noise, thin)
    ink = paper.astype(np.int16) - gray > thr / 2
    segs = gridstrokes.without_stroke_chains(_bridge(_runs(along_h, along_v, thr)),
                                             paper.astype(np.float32) - gray, ink,
                                             max(20, gray.shape[0] // 65), TOL)
    segs = _crossed(_short_both_ends(segs, ink))
    segs = _without_glyph_columns(segs, ink)
    for comp in components(segs, TOL):  # (px: pdfgrid's grouping)
        hs = [s for s in comp if s.horizontal]
        vs = [s for s in comp if not s.horizontal]
        if not hs or not vs:
            continue
        hs, vs = _unframed_edges(hs, vs)
        if not hs or not vs:
            continue
        ys = _thin_out(_cluster([s.pos for s in hs]), hs)
        xs = _thin_out(_cluster([s.pos for s in vs]), vs)
        # A table continued from the previous page has no top rule (and one running on
        # has no bottom rule): the column rules' ends close it.
        # (most column rules run on, not one: a rule touching a heading's stroke below the table
        # seems to run on into it)
        top, bottom = _run_on([s.a for s in vs if s.a < ys[0] + SNAP], -1), \
            _run_on([s.b for s in vs if s.b > ys[-1] - SNAP], 1)
        if top < ys[0] - 2 * SNAP:
            ys.insert(0, top)
            hs.append(Seg(True, top, xs[0], xs[-1]))
        if bottom > ys[-1] + 2 * SNAP:
            ys.append(bottom)
            hs.append(Seg(True, bottom, xs[0], xs[-1]))
        if len(ys) < 2 or len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < 2:
            continue
        if xs[-1] - xs[0] < gray.shape[1] // 10:
            continue  # a bold title's strokes closed into a "grid", not a table
        if min(b - a for a, b in zip(ys, ys[1:], strict=False)) < MIN_CELL \
                or min(b - a for a, b in zip(xs, xs[1:], strict=False)) < MIN_CELL:
            continue  # strokes of text that happen to line up, not a ruled table
        if not _framed(hs, vs, xs, ys):
            continue
        nr, nc = len(ys) - 1, len(xs) - 1
        owner = [[(r, c) for c in range(nc)] for r in range(nr)]
        for r in range(nr):
            ym = (ys[r] + ys[r + 1]) / 2
            for c in range(nc - 1):
                if not _covered(vs, xs[c + 1], ym) \
                        and not _drawn(along_v.T, thr, xs[c + 1], ys[r], ys[r + 1]):
                    _union(owner, (r, c), (r, c + 1))
        for r in range(nr - 1):
            for c in range(nc):
                xm = (xs[c] + xs[c + 1]) / 2
                if not _covered(hs, ys[r + 1], xm) \
                        and not _drawn(along_h, thr, ys[r + 1], xs[c], xs[c + 1]):
                    _union(owner, (r, c), (r + 1, c))
        cells: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for r in range(nr):
            for c in range(nc):
                key = _root(owner, (r, c))
                r0, c0, r1, c1 = cells.get(key, (r, c, r, c))
                cells[key] = (min(r0, r), min(c0, c), max(r1, r), max(c1, c))
        found.append(_Grid(xs, ys, hs, vs, cells))
    return found


def _run_on(ends: list[int], sign: int) -> int:
    """Where most of the column rules end past the outer horizontal rule (the median end)."""
    if not ends:
        return -sign * 10**9
    return sorted(ends, key=lambda e: sign * e)[len(ends) // 2]


EDGE_DRAWN = 0.5  # of the table's width: a top or bottom "rule" drawn along less is text's strokes


def _unframed_edges(hs: list[Seg], vs: list[Seg]) -> tuple[list[Seg], list[Seg]]:
    """The grid without false rows of bold text set right against its top or bottom rule.

    A heading printed a pixel or two under a table (五、存在的主要问题 under table 4) has
    strokes that touch the bottom rule and runs of strokes along it: together they pass
    for more rows, whose glyph strokes become column rules through the whole table.  A
    table's outermost horizontal rules run across most of it; lines beyond the last (or
    before the first) one drawn along half its width go, with the vertical pieces that lie
    wholly beyond that rule (the column rules end there)."""
    width = max(s.b for s in hs) - min(s.a for s in hs)
    lines = _cluster([s.pos for s in hs])

    def drawn(pos: int) -> int:
        return sum(s.b - s.a for s in hs if abs(s.pos - pos) <= SNAP)

    long = [y for y in lines if drawn(y) >= EDGE_DRAWN * width]
    if len(long) < 2:
        return hs, vs
    top, bottom = long[0], long[-1]
    if top == lines[0] and bottom == lines[-1]:
        return hs, vs
    hs = [s for s in hs if top - SNAP <= s.pos <= bottom + SNAP]
    vs = [s for s in vs if s.a < bottom - TOL and s.b > top + TOL]
    return hs, vs


def _framed(hs: list[Seg], vs: list[Seg], xs: list[int], ys: list[int]) -> bool:
    """Does the grid have an outer frame: two rules across most of its width and two down
    most of its height?  Aligned text strokes (a bold title on a noisy scan) do not."""
    width, height = xs[-1] - xs[0], ys[-1] - ys[0]
    across = sum(1 for s in hs if s.b - s.a >= 0.8 * width)
    down = sum(1 for s in vs if s.b - s.a >= 0.8 * height)
    return across >= 2 and down >= 2


def _cell_ink(ink: np.ndarray, box: tuple[int, int, int, int], noise: float,
              speckled: bool = False) -> np.ndarray:
    """One cell interior's ink: rule remnants removed and, on a noisy scan, isolated specks."""
    x0, y0, x1, y1 = box
    sub = ink[y0:y1, x0:x1]
    if sub.size:
        sub = _without_rules(sub)
    if speckled and sub.size and sub.any():
        sub = _only_glyphs(sub)
    if noise > 0 and sub.size and sub.any():
        sub = _without_specks(sub)
    return sub


DOT_SIDE = 0.4  # of the glyph height: a blob no taller nor wider is a dot (speck or decimal point)


def _only_glyphs(sub: np.ndarray) -> np.ndarray:
    """On a speckled page, a cell's ink without the dots left beside its glyphs.

    The page-wide pass (despeckle) keeps dots within a few px of a glyph, since a decimal
    point is such a dot; read along, they turn "2" into "，.2.，." (flagged, so lost).
    Here a dot (a blob under DOT_SIDE of the glyphs' height each way) outside the box of the
    glyphs goes; one inside it stays, since it may be a decimal point or a piece of a glyph
    split by a dropout, and dropping that could change the digit."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub.astype(np.uint8), connectivity=8)
    if n <= 2:
        return sub
    tall = float(stats[1:, cv2.CC_STAT_HEIGHT].max())
    side = max(2.0, DOT_SIDE * tall)
    bars = minus_bars(stats)
    dots = [i for i in range(1, n) if stats[i, 2] <= side and stats[i, 3] <= side and not bars[i]]
    glyphs = [i for i in range(1, n) if i not in dots]
    if not glyphs or not dots:
        return sub
    bx0 = min(stats[i, 0] for i in glyphs)
    bx1 = max(stats[i, 0] + stats[i, 2] for i in glyphs)
    by0 = min(stats[i, 1] for i in glyphs)
    by1 = max(stats[i, 1] + stats[i, 3] for i in glyphs)
    out = sub.copy()
    for i in dots:
        x, y, w, h = stats[i, 0], stats[i, 1], stats[i, 2], stats[i, 3]
        if x + w <= bx0 or x >= bx1 or y + h <= by0 or y >= by1:
            out[labels == i] = 0
    return out


def _lost_rule(ink: np.ndarray, box: tuple[int, int, int, int], dark: np.ndarray | None = None) -> bool:
    """Does a rule the grid did not find run down through this cell, from its top rule to its
    bottom one?  Then the cell is two (or more) cells read as one: "1 | 0" came out as 110.
    A glyph, however tall in a tight cell, keeps a margin from the rules; a rule is drawn
    into them, so the column must be inked from above the interior's top to below its bottom.
    On a soft scan (blurred, or resampled by a rotation) the margin fills in and a "0" inks its
    column from rule to rule; there the column's darkness (``dark``: paper minus page) tells
    them apart: a rule's is even, a glyph's falls where it meets the rules (gridstrokes)."""
    x0, y0, x1, y1 = box
    if x1 - x0 <= 2 * EDGE:
        return False
    band = ink[max(y0 - TOL, 0):y1 + TOL, x0 + EDGE:x1 - EDGE].astype(bool)
    if band.shape[0] < y1 - y0 + 2 * TOL or band.size == 0:
        return False
    for x in np.flatnonzero(band.mean(axis=0) >= 0.95):
        # ... and thin, as a rule is: not a broad stroke (a watermark's) that happens to cover it
        inner = band[TOL:-TOL]
        left = np.argmin(inner[:, x::-1], axis=1)  # ink run lengths left and right of x, per row
        right = np.argmin(inner[:, x:], axis=1)
        widths = np.where(inner[:, x::-1].all(axis=1), x + 1, left) \
            + np.where(inner[:, x:].all(axis=1), band.shape[1] - x, right)
        if np.median(widths) <= 9 and (dark is None or not gridstrokes.uneven(
                dark, x0 + EDGE + int(x), max(y0 - TOL, 0), y1 + TOL - 1)):
            return True
    return False


def _without_specks(sub: np.ndarray) -> np.ndarray:
    """Specks of scan noise far from any glyph dropped (they widen a crop and become "." or
    "'" in the reading).  A decimal point is as small, but it sits between digits."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub.astype(np.uint8), connectivity=8)
    small = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] <= SPECK]
    if not small:
        return sub
    big = np.isin(labels, [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] > SPECK])
    near = cv2.dilate(big.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (13, 13)))
    out = sub.copy()
    for i in small:
        where = labels == i
        if not near[where].any():
            out[where] = 0
    return out


SPECK = 4  # px: ink components this small are noise unless they sit by a glyph


def ink_bands(sub: np.ndarray) -> list[tuple[int, int]]:
    """(top, bottom) rows of the ink bands in one cell, split at blank rows."""
    bands: list[list[int]] = []
    for r in np.flatnonzero(sub.sum(axis=1)):
        if bands and r - bands[-1][1] <= 2:
            bands[-1][1] = int(r)
        else:
            bands.append([int(r), int(r)])
    # a sliver of 1-3 rows is specks, or, against the cell's top or bottom, the blurred edge of
    # the rule there: read alone it comes back as nothing, which would sink the whole cell
    last = sub.shape[0] - 1
    return [(a, b) for a, b in bands
            if not (b - a < 3 and (int(sub[a:b + 1].sum()) < MIN_INK or a == 0 or b == last))]


def _merge_split(bands: list[tuple[int, int]], line_h: float) -> list[tuple[int, int]]:
    """Bands that are pieces of one text line (a glyph with a gap across it, as 二 or 三
    has, split by a faint scan) put back together: together no taller than a line."""
    out: list[tuple[int, int]] = []
    for a, b in bands:
        if out and b - out[-1][0] + 1 <= 1.25 * line_h:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _line_crops(gray: np.ndarray, sub: np.ndarray, box: tuple[int, int, int, int],
                line_h: float) -> list[np.ndarray]:
    """Crops of the text lines inside one cell interior, top to bottom (none if blank)."""
    x0, y0 = box[0], box[1]
    if sub.size == 0 or int(sub.sum()) < MIN_INK:
        return []
    out = []
    bands = ink_bands(sub)
    # a band that is only a sliver against the cell's side is a rule's rim (the rule drifts a px
    # into the cell as the scan's tilt runs on), not a line of text: read, it was a "1" on top
    bands = [ab for ab in bands if not _rim_only(sub[ab[0]:ab[1] + 1])] or bands
    for a, b in _merge_split(bands, line_h):
        lc = _main_columns(sub[a:b + 1], b - a + 1)
        pad = max(4, (b - a) // 3)
        crop = gray[y0 + a:y0 + b + 1, x0 + lc[0]:x0 + lc[-1] + 1]
        out.append(np.pad(crop, pad, constant_values=255))
    return out


RIM = 2  # px: a run of ink columns this narrow at a cell's side is a rule's rim


def _rim_only(band: np.ndarray) -> bool:
    cols = np.flatnonzero(band.any(axis=0))
    return bool(cols.size) and cols[-1] - cols[0] < RIM and (cols[0] == 0 or cols[-1] == band.shape[1] - 1)


def _without_side_hairline(cols: np.ndarray, width: int) -> np.ndarray:
    """Ink columns less a single one against the cell's side with a blank column between it and
    the text: the faint edge of a soft column rule a px off the grid line (a scan levelled by
    rotation resamples its rules), next to a narrow cell's number; read along, "0" came out
    "0丨".  A glyph's stroke is hardly ever one column of the ink mask, whose 3 px blur widens it."""
    if cols.size < 2:
        return cols
    if cols[-1] == width - 1 and cols[-2] < width - 2:
        cols = cols[:-1]
    if cols.size >= 2 and cols[0] == 0 and cols[1] > 1:
        cols = cols[1:]
    return cols


def _main_columns(band: np.ndarray, height: int) -> np.ndarray:
    """The ink columns of one text line, without specks standing a line height or more
    away from the text: a crop stretched across a wide cell to reach them was seen to lose
    a digit (193 read as 19)."""
    per_col = band.sum(axis=0)
    cols = _without_side_hairline(np.flatnonzero(per_col), band.shape[1])
    runs = np.split(cols, np.flatnonzero(np.diff(cols) > height) + 1)
    total = int(per_col.sum())
    kept = [r for r in runs if int(per_col[r].sum()) >= max(3 * MIN_INK, 0.1 * total)]
    # a sliver against the cell's side, apart from the text, is the rim of the column rule there
    # (a rule a px off the grid line as the scan drifts): read along, "1" came out "1周"
    inner = [r for r in kept if not (r.size <= RIM and (r[0] == 0 or r[-1] == band.shape[1] - 1))]
    kept = inner or kept
    return np.concatenate(kept) if kept else cols


def read_tables(gray: np.ndarray, recognise, noise: float = 0.0,
                speckled: bool = False) -> tuple[list[Table], np.ndarray]:
    """Tables with cell text, and the ink mask with table areas cleared (for the rest of the page).

    ``recognise`` takes a list of grey line crops and returns their (text, score) pairs
    (batched).  ``noise`` is the paper noise normalise() measured.  A number cell read with
    doubt comes back as OCR_UNSURE (see cell_text), never as a guess.
    """
    import cv2

    paper = paper_level(gray)
    ink = ink_mask(gray, paper, max(INK_CONTRAST, 2 * noise))
    dark = paper.astype(np.float32) - gray
    rest = ink.copy()
    clean = whiten(gray, noise)
    jobs: list[tuple[int, tuple[int, int], int, np.ndarray]] = []
    layouts = []
    found = grids(gray, paper, noise)
    marked: set[tuple[int, tuple[int, int]]] = set()  # cells a stroke crossing them was taken out of
    second: list[tuple[int, tuple[int, int], int, np.ndarray]] = []  # marked cells' crops, mark taken out
    second_cells: set[tuple[int, tuple[int, int]]] = set()
    disputed: set[tuple[int, tuple[int, int]]] = set()  # ... read otherwise than with the mark
    unmarked = None
    unlifted: list[tuple] = []  # cells no mark was found in, as drop_cell_mark saw them
    split: set[tuple[int, tuple[int, int]]] = set()  # cells a rule the grid missed runs through
    cut = mark_cut(gray, ink, found) if found else None
    if cut is not None:
        # a watermark: its broad strokes pass for rules and split columns, so the grid is
        # found again from thin lines only, and the mark is cut out of cells (drop_light_marks)
        found = grids(gray, paper, noise, thin=True) or found
    elif not found:  # ... or break up every rule, so that no table is found at all
        thin = grids(gray, paper, noise, thin=True)
        cut = mark_cut(gray, ink, thin) if thin else None
        if cut is not None:
            found = thin
    if cut is not None or speckled:
        clean = clean.copy()
    bilevel = speckled and _bilevel(gray)  # (a copier's black-and-white page: see ocrbinary)
    for t, g in enumerate(found):
        cells = []
        for anchor, (r0, c0, r1, c1) in g.cells.items():
            box = (g.xs[c0] + TOL, g.ys[r0] + TOL, g.xs[c1 + 1] - TOL + 1, g.ys[r1 + 1] - TOL + 1)
            sub = _cell_ink(ink, box, noise, speckled)
            if sub.size:  # a leaning rule's rim, read along, made a 0 "10"
                sub = cellrims.without_side_rims(sub, ink, gray, box)
            if bilevel and sub.size:
                sub = ocrbinary.without_ghosts(sub, gray[box[1]:box[1] + sub.shape[0], box[0]:box[0] + sub.shape[1]])
            if speckled and sub.size:  # the dots taken out of the ink go from the crops too
                x0, y0 = box[0], box[1]
                cell = clean[y0:y0 + sub.shape[0], x0:x0 + sub.shape[1]]
                gone = ink[y0:y0 + sub.shape[0], x0:x0 + sub.shape[1]].astype(bool) & ~sub.astype(bool)
                cell[cv2.dilate(gone.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
                     & ~cv2.dilate(sub.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)] = 255
            if _lost_rule(ink, box, dark):
                split.add((t, anchor))
            cells.append((anchor, box, sub if cut is None else drop_light_marks(clean, sub, box, cut)))
        # a text line's height: most bands are whole lines, the pieces of split ones are shorter
        heights = [b - a + 1 for _, _, sub in cells if sub.size for a, b in ink_bands(sub)]
        line_h = float(np.percentile(heights, 75)) if heights else 0.0
        for anchor, box, sub in cells:
            if cut is None and sub.size and sub.any():  # (before a mark's crossing strokes go)
                if unmarked is None:
                    unmarked = clean.copy()
                bare = drop_cell_mark(unmarked, sub, box)
                if bare is not None:
                    for k, crop in enumerate(_line_crops(unmarked, bare, box, line_h)):
                        second.append((t, anchor, k, crop))
                    second_cells.add((t, anchor))
                else:
                    unlifted.append((t, anchor, box, sub, line_h))
            if speckled and line_h and sub.size and sub.any():
                sub = ocrbinary.without_stray_lines(sub, line_h)
            if line_h and sub.size and sub.any():
                kept = drop_crossing_strokes(clean, sub, box, line_h)
                if kept is not sub:
                    marked.add((t, anchor))
                    sub = kept
            for k, crop in enumerate(_line_crops(clean, sub, box, line_h)):
                jobs.append((t, anchor, k, crop))
        layouts.append(g)
        rest[max(g.ys[0] - TOL, 0):g.ys[-1] + TOL + 1, max(g.xs[0] - TOL, 0):g.xs[-1] + TOL + 1] = 0
    texts = recognise([j[3] for j in jobs + second]) if jobs else []
    texts, again = texts[:len(jobs)], texts[len(jobs):]
    if not speckled:  # (a speck stuck to a digit reads the same at any scale: no second opinion there)
        texts = _second_reading(recognise, [j[3] for j in jobs], texts, MIN_SCORE)
    else:  # ... but the crop cleaned of its dots and rims is read apart (ocrbinary)
        texts = ocrbinary.confirm(recognise, [j[3] for j in jobs], texts, SPECKLED_SCORE, plain_number)
    parts: dict[tuple[int, tuple[int, int]], list[tuple[int, str, float]]] = {}
    for (t, anchor, k, _crop), (text, score) in zip(jobs, texts, strict=True):
        parts.setdefault((t, anchor), []).append((k, text, score))
    bare_parts: dict[tuple[int, tuple[int, int]], list[tuple[int, str, float]]] = {}
    for (t, anchor, k, _crop), (text, score) in zip(second, again, strict=True):
        bare_parts.setdefault((t, anchor), []).append((k, text, score))
    # a cell under a mark (a grey seal's star or letters) is read with and without the mark:
    # a number the two readings do not agree on is the mark's doing, not the print's
    for key in second_cells:
        with_mark = _join([s for _, s, _ in sorted(parts.get(key, []))])
        without = _join([s for _, s, _ in sorted(bare_parts.get(key, []))])
        # (a "0" read "—" under the mark is no dash either; a row label read two ways is still
        # a label the parser matches loosely)
        if with_mark != without and all(len(_WORDY.findall(x)) <= STRAY_WORDS for x in (with_mark, without)):
            disputed.add(key)
    clipped = set()
    if second_cells:  # a mark over the table: the doubtful cells it only clips are looked at again
        more = _clipped_cells(recognise, unmarked, unlifted, {t for t, _ in second_cells}, parts)
        for t, anchor, k, crop, read in more:
            second.append((t, anchor, k, crop))
            bare_parts.setdefault((t, anchor), []).append((k, *read))
            clipped.add((t, anchor))
    # (a clipped cell takes its lifted reading where that stands, and is otherwise left as read)
    lifted = _lifted_readings(recognise, second, disputed | clipped, parts, bare_parts)
    tables = []
    for t, g in enumerate(layouts):
        nr, nc = len(g.ys) - 1, len(g.xs) - 1
        grid: list[list[str | None]] = [[None] * nc for _ in range(nr)]
        read: dict[tuple[int, int], tuple[str, float, bool]] = {}
        for anchor in g.cells:
            lines = sorted(parts.get((t, anchor), []))
            score = min((sc for _, _, sc in lines), default=1.0)
            if speckled and score < SPECKLED_SCORE:
                score = 0.0
            read[anchor] = (_join([s for _, s, _ in lines]), score, bool(lines))
            r0, _c0, r1, _c1 = g.cells[anchor]
            if r1 > r0 and len(lines) > 1 and any(_DIGIT.search(s) for _, s, _ in lines):
                # A number among several lines of a cell spanning rows: the rule between
                # the rows was lost (hidden under a seal, worn away), not a merged cell;
                # report tables never stack a number with other lines across rows.  Every
                # row keeps its place at the anchor's column, so no number slides into the
                # next column, and each is flagged, not guessed.
                for r in range(r0, r1 + 1):
                    grid[r][anchor[1]] = OCR_UNSURE
                read[anchor] = (OCR_UNSURE, 0.0, True)
        labels = _label_slots(g.cells, {a: text for a, (text, _, _) in read.items()})
        # right of a number cell that a lost rule runs through, the row's numbers no longer sit
        # under their headers (the row has a cell too few): none of them is trusted
        slid = {}
        for anchor, (text, _, _) in read.items():
            if (t, anchor) in split and _DIGIT.search(text):
                r0, c0, r1, _c1 = g.cells[anchor]
                for r in range(r0, r1 + 1):
                    slid[r] = min(slid.get(r, c0), c0)
        for anchor, (text, score, inked) in read.items():
            if (t, anchor) in lifted and anchor not in labels:
                grid[anchor[0]][anchor[1]] = lifted[(t, anchor)]
            elif (t, anchor) in disputed and anchor not in labels:
                grid[anchor[0]][anchor[1]] = OCR_UNSURE
            elif text == OCR_UNSURE or (anchor[1] >= slid.get(anchor[0], nc) and _DIGIT.search(text)):
                # two cells' numbers (and the rule between, read as a "1") taken for one
                grid[anchor[0]][anchor[1]] = OCR_UNSURE
            elif anchor in labels and not _DIGIT.search(text):  # digits are a number's, wherever
                grid[anchor[0]][anchor[1]] = text
            elif _stray_in_number_row(anchor, text, read, labels, g.cells):
                # digits with a stray glyph or two ("1周": a rule's rim read along) where the row's
                # other cells are numbers: kept as text it is no number, and the row's numbers
                # after it were taken one column to the left
                grid[anchor[0]][anchor[1]] = OCR_UNSURE
            elif (t, anchor) in marked and (not text.strip() or text.strip() in _NULLS):
                # all its ink was a stroke across the cell (or what is left of one reads as a
                # dash): whatever was printed there is under it
                grid[anchor[0]][anchor[1]] = OCR_UNSURE
            else:  # ink the model reads as nothing at all is a glyph it could not read, not a blank
                grid[anchor[0]][anchor[1]] = OCR_UNSURE if inked and not text else cell_text(text, score)
        tables.append(Table((g.xs[0], g.ys[0], g.xs[-1], g.ys[-1]), grid))
    return tables, rest


CLIPPED_AREA = 40  # px: a piece of a mark found over the table, where it only clips a cell


def _clipped_cells(recognise, unmarked: np.ndarray, unlifted: list[tuple], sealed: set[int],
                   parts: dict) -> list[tuple]:
    """Doubtful number cells of a table with a mark over it, lifted where a smaller piece of
    the mark is in them: (t, anchor, line, crop, (text, score)) of each line read lifted.

    A seal's ring clipping a cell's corner, or two of its letters, is far smaller than the
    star or a stretch of lettering that drop_cell_mark looks for across a page; once the seal
    is known to lie over the table, a cell read with doubt is looked at for such a piece too.
    Cells read cleanly, and label cells, are left as read."""
    todo = []
    for t, anchor, box, sub, line_h in unlifted:
        lines = sorted(parts.get((t, anchor), []))
        text = _join([s for _, s, _ in lines])
        if t not in sealed or len(_WORDY.findall(text)) > STRAY_WORDS:
            continue
        if len(lines) == 1 and plain_number(text.strip()) and lines[0][2] >= MIN_SCORE:
            continue
        bare = drop_cell_mark(unmarked, sub, box, CLIPPED_AREA)
        if bare is not None:
            todo += [(t, anchor, k, crop) for k, crop in enumerate(_line_crops(unmarked, bare, box, line_h))]
    if not todo:
        return []
    return [(*job, read) for job, read in zip(todo, recognise([j[3] for j in todo]), strict=True)]


def _lifted_readings(recognise, second: list, disputed: set, parts: dict, bare_parts: dict) -> dict:
    """Disputed cells whose reading with the mark lifted off is sound (ocrseal.bare_stands):
    cell key -> the number.  The lifted crops of one-line cells that read as a number are read
    once more at another scale; the rest stay disputed."""
    wanted = [(key, crop) for t, anchor, _k, crop in second
              if (key := (t, anchor)) in disputed and len(bare_parts.get(key, [])) == 1
              and plain_number(bare_parts[key][0][1].strip())]
    if not wanted:
        return {}
    again = recognise([ocrseal.rescaled(c) for _, c in wanted])
    out = {}
    for (key, _c), second_read in zip(wanted, again, strict=True):
        with_mark = [(s, sc) for _, s, sc in sorted(parts.get(key, []))]
        bare = [(s, sc) for _, s, sc in sorted(bare_parts[key])]
        text = ocrseal.bare_stands(with_mark, bare, [second_read])
        if text is not None:
            out[key] = text
    return out


STRAY_WORDS = 6  # CJK characters: a seal's lettering over a number cell, not a row label (longer)
_UNIT = re.compile(r"^[0-9]+(?:\.[0-9]+)?[件个条项次宗起]$")  # "3件": a count printed with its unit


def _stray_in_number_row(anchor: tuple[int, int], text: str, read: dict, labels: set,
                         cells: dict[tuple[int, int], tuple[int, int, int, int]]) -> bool:
    """Is this cell a number misread with stray glyphs, in a row and a column of numbers?

    A label is kept as read (the parser matches labels loosely), but "1周" in a row whose other
    cells are numbers is a "1" read together with a rule's rim or a speck, and "专用" there is a
    seal's lettering over the number: as text, the parser saw one number fewer in the row and
    placed the rest one column to the left.  A label slot, a row label ("1．属于国家秘密",
    many characters), a dash or 无, and a count with its unit stay as they are."""
    from parsers.tokens import NULL_MARKERS

    t = text.strip()
    if anchor in labels or not t or t in NULL_MARKERS or _NUMBER.fullmatch(t) or _UNIT.match(t):
        return False
    if len(_WORDY.findall(t)) > STRAY_WORDS:
        return False
    r0, c0, r1, c1 = cells[anchor]

    def numbers(rows: bool) -> int:
        lo, hi, a0, a1 = (r0, r1, 0, 2) if rows else (c0, c0, 1, 3)
        return sum(1 for a, (s, _, _) in read.items() if a != anchor and cells[a][a0] <= hi
                   and cells[a][a1] >= lo and _NUMBER.fullmatch(s.strip()))

    # (and where it starts, a column of numbers: a row label, even one run on into the number
    # columns by a lost rule, starts in the label column)
    return numbers(True) >= 2 and numbers(False) >= 2


MARK_SHARE = 0.45  # of the way from the print's core to paper: lighter ink is a mark's, not print's
MARK_PAGE = 0.4  # light ink away from print, per px of print, on a page overlaid with a light mark
MARK_STROKE = 400  # px: a light component this large is a stroke (of a watermark), not halftone dots


def mark_cut(gray: np.ndarray, ink: np.ndarray, found: list[_Grid]) -> float | None:
    """The grey level above which ink in the tables is a light mark laid over the whole page
    (a 仅供参考 watermark), or None when there is no such mark.

    Print is told by its core (a low percentile of the tables' ink).  On a plain page, ink
    lighter than the cut lies by print (glyph rims, thin strokes of 宋体), a few per cent of
    it at most; a watermark adds about as much light ink far from any print as there is print.
    """
    import cv2

    x0, y0 = min(f.xs[0] for f in found), min(f.ys[0] for f in found)
    x1, y1 = max(f.xs[-1] for f in found), max(f.ys[-1] for f in found)
    area = gray[y0:y1 + 1, x0:x1 + 1]
    inked = ink[y0:y1 + 1, x0:x1 + 1].astype(bool)
    if not inked.any():
        return None
    core = float(np.percentile(area[inked], 1))
    cut = core + MARK_SHARE * (255 - core)
    dark = inked & (area <= cut)
    near = cv2.dilate(dark.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    # strokes, not specks: the dots of a halftone screen are light ink away from print too
    n, labels, stats, _ = cv2.connectedComponentsWithStats((inked & ~dark).astype(np.uint8), connectivity=8)
    big = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= MARK_STROKE]
    strokes = np.isin(labels, big)
    # the table's own rules are long light strokes far from print too on a page ruled in
    # hairlines: the grid lines found are left out
    for f in found:
        for x in f.xs:
            strokes[max(f.ys[0] - y0, 0):f.ys[-1] - y0 + 1, max(x - x0 - 3, 0):x - x0 + 4] = False
        for y in f.ys:
            strokes[max(y - y0 - 3, 0):y - y0 + 4, max(f.xs[0] - x0, 0):f.xs[-1] - x0 + 1] = False
    far = int((strokes & ~near).sum())
    return cut if far >= MARK_PAGE * max(int(dark.sum()), 1) else None


CELL_MARK_AREA = 200  # px at 200 dpi: a piece of a mark away from the print, in one cell
CELL_MARK_GAP = 50  # grey levels between a cell's print and a mark over it (a grey seal: ~110 on ~30)


def drop_cell_mark(img: np.ndarray, sub: np.ndarray, box: tuple[int, int, int, int],
                   area: int = CELL_MARK_AREA) -> np.ndarray | None:
    """A cell's ink with a lighter mark over it taken out (of ``img`` as well), or None when the
    cell carries no such mark.

    A seal scanned in grey (or on a page whose red was lost) is mid-grey over black print: its
    star, ring and letters fill number cells and were read as digits ("0" under the star read
    "1").  Unlike a watermark it covers a few cells, so no page-wide cut finds it.  In one cell,
    the ink's grey levels split in two (Otsu) far apart, with much of the lighter part away
    from the darker (the rims of print lie right by it): that lighter part is a mark."""
    import cv2

    x0, y0 = box[0], box[1]
    h, w = sub.shape
    cell = img[y0:y0 + h, x0:x0 + w]
    on = sub.astype(bool)
    values = cell[on].reshape(-1, 1).astype(np.uint8)
    if values.size < 2 * PRINT_MIN:
        return None
    # ink splits first into its body and the glyphs' grey rims; the body of a marked cell splits
    # again into print and the mark's grey: both cuts are tried, the lower first
    rim, _ = cv2.threshold(values, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    body = values[values <= rim]
    cuts = [rim]
    if body.size >= 2 * PRINT_MIN:
        cuts.insert(0, cv2.threshold(body.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0])
        # a small glyph against a broad mark is too few pixels for Otsu to split off: half-way
        # from the darkest ink to the body's middle
        cuts.insert(0, (float(np.percentile(body, 1)) + float(np.median(body))) / 2)
    for cut in cuts:
        dark = on & (cell <= cut)
        light = on & (cell > cut)
        if int(dark.sum()) < PRINT_MIN or not light.any():
            continue
        if float(np.median(cell[light])) - float(np.median(cell[dark])) < CELL_MARK_GAP:
            continue
        near = cv2.dilate(dark.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
        # ... in one piece, as a seal's ring, star or letter is: the faint parts of a thin glyph's
        # strokes away from its darkest pixels come in small pieces
        n, labels, stats, _ = cv2.connectedComponentsWithStats((light & ~near).astype(np.uint8), connectivity=8)
        if n < 2 or int(stats[1:, cv2.CC_STAT_AREA].max()) < area:
            continue
        # ... and solid: a mark's stroke is mid-grey through most of it (thin lettering has rims
        # too), while what lies away from a faint glyph's darkest pixels is mostly its pale rim
        big = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        piece = cell[labels == big]
        # (a pale stamp's stroke is no darker than a glyph's rim, but it runs in across the
        # cell's border, which printed text keeps a margin from)
        if float(np.percentile(piece, 25)) > (float(np.median(cell[dark])) + 255) / 2 \
                and not _at_border(stats[big], h, w):
            continue
        # lifted by grey level (ocrseal), not cut at one: a hard cut left a "0" as two thin arcs
        # (the mark's pieces only: a serif 0's hairline top lies away from its darkest ink too)
        pieces = np.isin(labels, 1 + np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= MARK_PIECE))
        cell[:], zone = ocrseal.lifted(cell, on, light, pieces)
        # (the cell's ink less the mark's: a digit's hairline top is light too, and left out of
        # the mask it was left out of the crop)
        return (on & ~(zone & (cell >= LIFTED_INK))).astype(sub.dtype)
    return None


def _at_border(stat: np.ndarray, h: int, w: int) -> bool:
    """Does a component (its connectedComponentsWithStats row) touch a cell interior's side?"""
    x, y, bw, bh = (int(v) for v in stat[:4])
    return x == 0 or y == 0 or x + bw >= w or y + bh >= h


LIFTED_INK = 128  # grey level: darker pixels of a lifted cell are its print's ink
MARK_PIECE = 20  # px: a piece of light ink away from print this large is the mark's (a hairline is less)
MARK_MIN = 12  # px of light ink away from any print before a cell is said to carry a mark
PRINT_MIN = 8  # px of print-dark ink a cell needs before its light ink can be cut as a mark


def drop_light_marks(clean: np.ndarray, sub: np.ndarray, box: tuple[int, int, int, int],
                     cut: float) -> np.ndarray:
    """A cell's ink with marks much lighter than the print cut out (of ``clean`` as well).

    A 仅供参考 watermark or a seal scanned in grey crosses the digits as mid-grey strokes:
    read along, its strokes become digits (0 -> 10, 1 -> 110).  Print is far darker, so
    where a cell holds print-dark ink and also light ink well away from it, the light ink
    is a mark and everything lighter than the cut goes to paper.  A cell with no light ink
    away from its print (the anti-aliased rim of a glyph lies right by it) is left as it
    was; so is one with no print-dark ink at all (a faint print, or an empty cell).
    """
    import cv2

    if sub.size == 0 or not sub.any():
        return sub
    x0, y0 = box[0], box[1]
    cell = clean[y0:y0 + sub.shape[0], x0:x0 + sub.shape[1]]
    dark = (cell <= cut) & sub.astype(bool)
    if int(dark.sum()) < PRINT_MIN:
        return sub
    near = cv2.dilate(dark.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    light = sub.astype(bool) & ~dark
    if int((light & ~near).sum()) < MARK_MIN:
        return sub
    cell[cell > cut] = 255
    return (sub.astype(bool) & dark).astype(sub.dtype)


CROSSING = 1.6  # line heights: a stroke this long touching a cell's border is no glyph of it
TIGHT = 1.5  # line heights: a cell interior lower than this is filled by its text (low-res scans)


def drop_crossing_strokes(clean: np.ndarray, sub: np.ndarray, box: tuple[int, int, int, int],
                          line_h: float) -> np.ndarray:
    """A cell's ink without strokes that run in from its border (of ``clean`` as well).

    A seal's ring or a pen line crosses cells: where it comes in from the border, longer
    than any glyph of a text line, it is no part of what is printed in the cell (printed
    text keeps a margin from the rules; a glyph is about a line high), and read along it
    becomes a "1" beside the digit (0 -> 10).  The same array comes back when there is none.
    """
    import cv2

    h, w = sub.shape
    if h < TIGHT * line_h:  # text filling its cell runs up to the borders itself
        return sub
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub.astype(np.uint8), connectivity=8)
    touching = [i for i in range(1, n) if stats[i, 0] == 0 or stats[i, 1] == 0
                or stats[i, 0] + stats[i, 2] >= w or stats[i, 1] + stats[i, 3] >= h]
    if not any(max(stats[i, 2], stats[i, 3]) >= CROSSING * line_h for i in touching):
        return sub
    # once a stroke is seen crossing, the short pieces of it cut off at the border go too
    gone = np.isin(labels, touching)
    x0, y0 = box[0], box[1]
    cell = clean[y0:y0 + h, x0:x0 + w]
    # the stroke's grey rim too, which the ink mask leaves out
    cell[cv2.dilate(gone.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)] = 255
    out = sub.copy()
    out[gone] = 0
    return out


def _label_slots(cells: dict[tuple[int, int], tuple[int, int, int, int]],
                 texts: dict[tuple[int, int], str]) -> set[tuple[int, int]]:
    """Cells where a label, not a number, belongs: the header rows above the table's first
    number, and, below it, the cells of a column that holds labels and no number there (the
    row labels).  The no-guess rule (OCR_UNSURE) is for numbers only: a label read badly is
    still matched loosely by the parser, and a marker there would hide what it says.
    """
    def numeric(a: tuple[int, int]) -> bool:
        t = texts[a].strip()
        return bool(_NUMBER.fullmatch(t)) or t in _NULLS

    first = min((cells[a][0] for a in cells if numeric(a)), default=None)
    if first is None:  # no number read anywhere: nothing to tell labels by, every cell as before
        return set()
    body = [a for a in cells if cells[a][2] >= first]
    out = {a for a in cells if cells[a][2] < first}
    for a in body:
        column = [b for b in body if b != a and cells[b][1] <= cells[a][3] and cells[b][3] >= cells[a][1]]
        if any(_WORDY.search(texts[b]) for b in column) and not any(numeric(b) for b in column):
            out.add(a)
    return out


# A number cell that could not be read with confidence is printed as OCR_UNSURE: never a guessed
# number, nor silently blank (the core parser reads it as a null cell and reports it as a finding).
MIN_SCORE = 0.6  # recognition confidence below which a number is not trusted
# ... on a speckled page: a speck stuck to a "0" was read "6" at 0.77 (clean digits read at 0.95+)
SPECKLED_SCORE = 0.9
# (with its minus: table 2's 本年增/减 prints "-3"; dropping the sign would flip the number)
_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)")
_NULLS = frozenset("—－-–/／\\×…") | {"——", "--"}
_WORDY = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9]")
# no table prints "010": a 0 with digits after it is a 0 read together with a mark beside it
_LEADING_ZERO = re.compile(r"0[0-9]")


RESCALE = 0.75  # a doubtful number's crop is read once more at this scale


def _second_reading(recognise, crops: list[np.ndarray], texts: list[tuple[str, float]],
                    needed: float) -> list[tuple[str, float]]:
    """Doubtful number readings confirmed by a second reading of the crop at another scale.

    The model's confidence in a clean digit swings with the crop's size: a "2" cut from a
    200 dpi scan read 0.37, the same crop at 3/4 size 0.99.  Where a number read below
    ``needed`` is read again at RESCALE as the very same text with enough confidence, the two
    readings agree and the second's confidence stands; anything else stays doubtful."""
    import cv2

    doubtful = [i for i, (t, sc) in enumerate(texts) if sc < needed and _NUMBER.fullmatch(t.strip())]
    if not doubtful:
        return texts
    again = recognise([cv2.resize(crops[i], None, fx=RESCALE, fy=RESCALE, interpolation=cv2.INTER_AREA)
                       for i in doubtful])
    out = list(texts)
    for i, (t2, s2) in zip(doubtful, again, strict=True):
        if t2.strip() == texts[i][0].strip() and s2 >= needed:
            out[i] = (texts[i][0], s2)
    return out


def plain_number(text: str) -> bool:
    """Is the text a number as a cell prints it (no "010": see _LEADING_ZERO)?"""
    return bool(_NUMBER.fullmatch(text)) and not _LEADING_ZERO.match(text)


def cell_text(text: str, score: float) -> str:
    """The text to print for one recognised cell: as read, or OCR_UNSURE when it looks like a
    number but was not read cleanly (low confidence, digits mixed with stray marks, a 0 with
    digits after it, or two numbers where the grid should have had a rule between them).

    A label (it has Chinese characters) is kept whatever its score: the parser matches labels
    loosely, and a wrong label cannot put a wrong number into the record.
    """
    t = text.strip()
    if not t or t in _NULLS or _WORDY.search(t):
        return text
    if _NUMBER.fullmatch(t) and score >= MIN_SCORE and not _LEADING_ZERO.match(t):
        return text
    return OCR_UNSURE  # also "0 18": two numbers in one cell are a rule the grid missed


EDGE = 5  # px at a cell interior's border where a blurred or thick rule may still bleed in


def _without_rules(sub: np.ndarray) -> np.ndarray:
    """One cell's ink with stray rule pixels (thick, blurred or slanted scans) not counted.

    A cell interior is already inset by TOL from the rules; a bolder, JPEG-blurred or
    slightly slanted rule can still bleed in along the border as a run over most of the
    side (read as a "1" beside the number), or anywhere as a full-width or full-height
    run.  Glyph strokes near the border are shorter than most of the cell's side.
    """
    h, w = sub.shape
    rows, cols = sub.mean(axis=1), sub.mean(axis=0)
    edge_r = np.zeros(h, dtype=bool)
    edge_r[:EDGE] = edge_r[-EDGE:] = True
    edge_c = np.zeros(w, dtype=bool)
    edge_c[:EDGE] = edge_c[-EDGE:] = True
    full_rows = (rows >= 1.0) | (edge_r & (rows >= 0.6))
    full_cols = (cols >= 1.0) | (edge_c & (cols >= 0.6))
    out = sub
    if full_rows.any() or full_cols.any():
        out = sub.copy()
        out[full_rows] = 0
        out[:, full_cols] = 0
    return _without_rule_ends(out)


def _without_rule_ends(sub: np.ndarray) -> np.ndarray:
    """The end of a slanted top or bottom rule dropped where it dips into the cell.

    A scan a tenth of a degree off after deskew has its rules cross a pixel row over a
    cell's width: the rule shows inside the interior along part of its top or bottom side, a
    hairline too short to fill the row (and broken into dashes on a 1-bit scan).  Read along,
    it stretched the crop and "64" came out "_64".  A glyph reaching near the interior's top or
    bottom is taller than a hairline; a minus sign stands at the digits' middle."""
    import cv2

    h, w = sub.shape
    if not sub.any():
        return sub
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub.astype(np.uint8), connectivity=8)
    near = max(1, min(EDGE, h // 8))  # (a small scan's cell is barely taller than its digits)
    # (pieces of it too: a 1-bit scan breaks the hairline into dashes)
    ends = [i for i in range(1, n) if stats[i, 3] <= RULE_END_THICK and stats[i, 2] >= 4 * stats[i, 3]
            and (stats[i, 1] < near or stats[i, 1] + stats[i, 3] > h - near)]
    if not ends:
        return sub
    out = sub.copy()
    out[np.isin(labels, ends)] = 0
    return out


RULE_END_THICK = 3  # px: a rule's end inside a cell is a hairline this thin


def _join(lines: list[str]) -> str:
    """One cell's text from its lines.  A cell holding only "一" is a dash: recognition
    cannot tell 一 from — by shape, and no report table has a cell of just 一 (a label
    reads 一、…), while "—" for "none" is common; read as 一 it would become the number 1.
    """
    from parsers.formats import clean_cell

    text = clean_cell(" ".join(s.strip() for s in lines if s.strip()))
    return "—" if text == "一" else text
