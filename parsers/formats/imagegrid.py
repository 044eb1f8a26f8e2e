"""Ruled tables in a page image: grid from the drawn rules, each cell read on its own.

Detection + recognition over a whole page loses cells: the detector skips a lone "0"
and a blank cell has no box at all, so rows come out short.  Report tables are fully
ruled, so the grid is read off the rules instead (long thin runs of ink found by
morphological opening), merges are decided by whether the border between two grid
cells is drawn (as in pdfgrid), and every non-blank cell is cropped, cut into its text
lines and passed to the recognition model alone, which reads single digits reliably.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# the same rule and table shapes as PDF pages, here in pixels instead of points
from parsers.formats.pdfgrid import Seg, Table

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


def deskew(gray: np.ndarray) -> np.ndarray:
    """The page rotated so its long horizontal rules are level (a scan a fraction of a degree off
    tilts a 1000 px rule by several pixels, enough to cut it off the grid)."""
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
    if not angles:
        return gray
    angle = float(np.median(angles))
    if abs(angle) < 0.05 or abs(angle) > 5:
        return gray
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def rule_segments(gray: np.ndarray, paper: np.ndarray) -> list[Seg]:
    """Horizontal and vertical rules: runs far longer than any glyph stroke."""
    import cv2

    h, w = gray.shape
    hlen = max(40, w // 30)
    vlen = max(20, h // 65)
    out: list[Seg] = []
    ink = ink_mask(gray, paper, RULE_CONTRAST, (1, 1))
    hmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    vmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    for mask, horizontal in ((hmask, True), (vmask, False)):
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _area = stats[i]
            if horizontal and bh <= 8:
                out.append(Seg(True, y + bh // 2, x, x + bw - 1))
            elif not horizontal and bw <= 8:
                out.append(Seg(False, x + bw // 2, y, y + bh - 1))
    return out


def _touch(h: Seg, v: Seg) -> bool:
    return h.a - TOL <= v.pos <= h.b + TOL and v.a - TOL <= h.pos <= v.b + TOL


def _components(segs: list[Seg]) -> list[list[Seg]]:
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _touch(h, v):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, list[Seg]] = {}
    for i, s in enumerate(hs + vs):
        groups.setdefault(find(i), []).append(s)
    return list(groups.values())


def _cluster(values: list[int]) -> list[int]:
    groups: list[list[int]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= SNAP:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [round(sum(g) / len(g)) for g in groups]


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


def grids(gray: np.ndarray, paper: np.ndarray) -> list[_Grid]:
    """Table grids on the page, each with its merged regions."""
    found = []
    for comp in _components(rule_segments(gray, paper)):
        hs = [s for s in comp if s.horizontal]
        vs = [s for s in comp if not s.horizontal]
        if not hs or not vs:
            continue
        ys = _cluster([s.pos for s in hs])
        xs = _cluster([s.pos for s in vs])
        # A table continued from the previous page has no top rule (and one running on
        # has no bottom rule): the column rules' ends close it.
        top, bottom = min(s.a for s in vs), max(s.b for s in vs)
        if top < ys[0] - 2 * SNAP:
            ys.insert(0, top)
            hs.append(Seg(True, top, xs[0], xs[-1]))
        if bottom > ys[-1] + 2 * SNAP:
            ys.append(bottom)
            hs.append(Seg(True, bottom, xs[0], xs[-1]))
        if len(ys) < 2 or len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < 2:
            continue
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
                if not _covered(vs, xs[c + 1], ym):
                    _union(owner, (r, c), (r, c + 1))
        for r in range(nr - 1):
            for c in range(nc):
                xm = (xs[c] + xs[c + 1]) / 2
                if not _covered(hs, ys[r + 1], xm):
                    _union(owner, (r, c), (r + 1, c))
        cells: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for r in range(nr):
            for c in range(nc):
                key = _root(owner, (r, c))
                r0, c0, r1, c1 = cells.get(key, (r, c, r, c))
                cells[key] = (min(r0, r), min(c0, c), max(r1, r), max(c1, c))
        found.append(_Grid(xs, ys, hs, vs, cells))
    return found


def _framed(hs: list[Seg], vs: list[Seg], xs: list[int], ys: list[int]) -> bool:
    """Does the grid have an outer frame: two rules across most of its width and two down
    most of its height?  Aligned text strokes (a bold title on a noisy scan) do not."""
    width, height = xs[-1] - xs[0], ys[-1] - ys[0]
    across = sum(1 for s in hs if s.b - s.a >= 0.8 * width)
    down = sum(1 for s in vs if s.b - s.a >= 0.8 * height)
    return across >= 2 and down >= 2


def _line_crops(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """Crops of the text lines inside one cell interior, top to bottom (none if blank)."""
    x0, y0, x1, y1 = box
    sub = ink[y0:y1, x0:x1]
    if sub.size:
        sub = _without_rules(sub)
    if sub.size == 0 or int(sub.sum()) < MIN_INK:
        return []
    rows = np.flatnonzero(sub.sum(axis=1))
    cols = np.flatnonzero(sub.sum(axis=0))
    if rows.size == 0 or cols.size == 0:
        return []
    bands: list[list[int]] = []
    for r in rows:
        if bands and r - bands[-1][1] <= 2:
            bands[-1][1] = r
        else:
            bands.append([r, r])
    out = []
    for a, b in bands:
        if b - a < 3 and int(sub[a:b + 1].sum()) < MIN_INK:  # specks, not a line of text
            continue
        line = sub[a:b + 1]
        lc = np.flatnonzero(line.sum(axis=0))
        pad = max(4, (b - a) // 3)
        crop = gray[y0 + a:y0 + b + 1, x0 + lc[0]:x0 + lc[-1] + 1]
        out.append(np.pad(crop, pad, constant_values=255))
    return out


def read_tables(gray: np.ndarray, recognise) -> tuple[list[Table], np.ndarray]:
    """Tables with cell text, and the ink mask with table areas cleared (for the rest of the page).

    ``recognise`` takes a list of grey line crops and returns their texts (batched).
    """
    paper = paper_level(gray)
    ink = ink_mask(gray, paper)
    rest = ink.copy()
    jobs: list[tuple[int, tuple[int, int], int, np.ndarray]] = []
    layouts = []
    for t, g in enumerate(grids(gray, paper)):
        for anchor, (r0, c0, r1, c1) in g.cells.items():
            box = (g.xs[c0] + TOL, g.ys[r0] + TOL, g.xs[c1 + 1] - TOL + 1, g.ys[r1 + 1] - TOL + 1)
            for k, crop in enumerate(_line_crops(gray, ink, box)):
                jobs.append((t, anchor, k, crop))
        layouts.append(g)
        rest[max(g.ys[0] - TOL, 0):g.ys[-1] + TOL + 1, max(g.xs[0] - TOL, 0):g.xs[-1] + TOL + 1] = 0
    texts = recognise([j[3] for j in jobs]) if jobs else []
    parts: dict[tuple[int, tuple[int, int]], list[tuple[int, str]]] = {}
    for (t, anchor, k, _crop), text in zip(jobs, texts, strict=True):
        parts.setdefault((t, anchor), []).append((k, text))
    tables = []
    for t, g in enumerate(layouts):
        nr, nc = len(g.ys) - 1, len(g.xs) - 1
        grid: list[list[str | None]] = [[None] * nc for _ in range(nr)]
        for anchor in g.cells:
            lines = [s for _, s in sorted(parts.get((t, anchor), []))]
            grid[anchor[0]][anchor[1]] = _join(lines)
        tables.append(Table((g.xs[0], g.ys[0], g.xs[-1], g.ys[-1]), grid))
    return tables, rest


def _without_rules(sub: np.ndarray) -> np.ndarray:
    """One cell's ink with stray rule pixels (thick or slanted scans) not counted.

    A cell interior is already inset by TOL from the rules; a bolder rule can still
    bleed in as a full-width or full-height run, which is not text.
    """
    full_rows, full_cols = sub.all(axis=1), sub.all(axis=0)
    if not (full_rows.any() or full_cols.any()):
        return sub
    out = sub.copy()
    out[full_rows] = 0
    out[:, full_cols] = 0
    return out


def _join(lines: list[str]) -> str:
    """One cell's text from its lines.  A cell holding only "一" is a dash: recognition
    cannot tell 一 from — by shape, and no report table has a cell of just 一 (a label
    reads 一、…), while "—" for "none" is common; read as 一 it would become the number 1.
    """
    from parsers.formats import clean_cell

    text = clean_cell(" ".join(s.strip() for s in lines if s.strip()))
    return "—" if text == "一" else text
