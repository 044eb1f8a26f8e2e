"""Ruled PDF tables rebuilt from vector lines and word boxes, in a few ms a page.

PyMuPDF's find_tables costs ~30-40 ms a page, fifty times the text layer itself.  Report
tables are fully ruled, so the grid can be read straight off the drawn lines: cluster
horizontal and vertical segments, group touching segments into tables, decide merges
by whether the border between two grid cells is drawn, and drop each word into the
cell under its centre.  Pages this cannot read fall back to find_tables (pdf.py).
"""

from __future__ import annotations

from dataclasses import dataclass

TOL = 1.5  # points: line ends and crossings this close are the same position
SNAP = 3.0  # points: rules this close are one grid line (two tables drawn edge to edge
#             rarely align exactly; a 2 pt sliver column is not a cell)


@dataclass
class Seg:
    horizontal: bool
    pos: float  # y of a horizontal, x of a vertical segment
    a: float  # start along the segment
    b: float  # end along the segment


@dataclass
class Table:
    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]  # None: position covered by a merged cell


def segments(page) -> list[Seg]:
    out: list[Seg] = []
    for path in page.get_drawings():
        for item in path["items"]:
            if item[0] == "l":
                p, q = item[1], item[2]
                _add(out, p.x, p.y, q.x, q.y)
            elif item[0] == "re":
                r = item[1]
                if r.width <= 2 * TOL or r.height <= 2 * TOL:  # a thin filled bar is a line
                    _add(out, r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2) if r.width > r.height \
                        else _add(out, (r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1)
                else:
                    _add(out, r.x0, r.y0, r.x1, r.y0)
                    _add(out, r.x0, r.y1, r.x1, r.y1)
                    _add(out, r.x0, r.y0, r.x0, r.y1)
                    _add(out, r.x1, r.y0, r.x1, r.y1)
    return out


def _add(out: list[Seg], x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y0 - y1) <= TOL and abs(x1 - x0) > TOL:
        out.append(Seg(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) <= TOL and abs(y1 - y0) > TOL:
        out.append(Seg(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


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


def _cluster(values: list[float]) -> list[float]:
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= SNAP:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _covered(segs: list[Seg], pos: float, at: float) -> bool:
    """Is a segment drawn at ``pos`` (across) passing through ``at`` (along)?"""
    return any(abs(s.pos - pos) <= SNAP and s.a - TOL <= at <= s.b + TOL for s in segs)


def tables(page, words: list[tuple]) -> list[Table]:
    """Tables on the page; ``words`` are page.get_text("words") tuples, consumed if placed."""
    found = []
    for comp in _components(segments(page)):
        hs = [s for s in comp if s.horizontal]
        vs = [s for s in comp if not s.horizontal]
        ys = _cluster([s.pos for s in hs])
        xs = _cluster([s.pos for s in vs])
        if len(ys) < 2 or len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < 2:
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
        # A merged region's text goes to its top-left cell (min over the region).
        anchor: dict[tuple[int, int], tuple[int, int]] = {}
        for r in range(nr):
            for c in range(nc):
                key = _root(owner, (r, c))
                anchor[key] = min(anchor.get(key, (r, c)), (r, c))
        texts: dict[tuple[int, int], list[tuple]] = {}
        x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
        for w in _split_on_rules(words, xs, (x0, y0, x1, y1)):
            cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
            if not (x0 <= cx <= x1 and y0 <= cy <= y1) or len(w) > 8:
                continue
            r = _index(ys, cy)
            c = _index(xs, cx)
            texts.setdefault(anchor[_root(owner, (r, c))], []).append(w)
        rows: list[list[str | None]] = []
        for r in range(nr):
            row: list[str | None] = []
            for c in range(nc):
                if anchor[_root(owner, (r, c))] != (r, c):
                    row.append(None)
                    continue
                ws = sorted(texts.get((r, c), []), key=lambda w: (w[5], w[6], w[7]))
                row.append(_cell_text(ws))
            rows.append(row)
        found.append(Table((x0, y0, x1, y1), rows))
    return found


def _root(owner: list[list[tuple[int, int]]], rc: tuple[int, int]) -> tuple[int, int]:
    while owner[rc[0]][rc[1]] != rc:
        rc = owner[rc[0]][rc[1]]
    return rc


def _union(owner: list[list[tuple[int, int]]], p: tuple[int, int], q: tuple[int, int]) -> None:
    """Merge the grid regions of p and q (their border is not drawn)."""
    a, b = _root(owner, p), _root(owner, q)
    if a != b:
        first, second = min(a, b), max(a, b)
        owner[second[0]][second[1]] = first


def _split_on_rules(words: list[tuple], xs: list[float], box: tuple) -> list[tuple]:
    """Cut words that run across a column rule into per-character pieces.

    PyMuPDF joins CJK text of neighbouring cells on one baseline into one "word" (there
    is no space between them).  CJK glyphs are equal width, so each character's box is
    the word box divided evenly; only words that straddle a rule pay for this.
    """
    out = []
    inner = xs[1:-1]
    for w in words:
        x0, y0, x1, y1, text = w[0], w[1], w[2], w[3], w[4]
        cy = (y0 + y1) / 2
        if not (box[1] <= cy <= box[3]) or len(text) < 2 or not any(x0 + 2 < x < x1 - 2 for x in inner):
            out.append(w)
            continue
        step = (x1 - x0) / len(text)
        for i, ch in enumerate(text):
            out.append((x0 + i * step, y0, x0 + (i + 1) * step, y1, ch, w[5], w[6], w[7] + i / 1000))
    return out


def _index(edges: list[float], v: float) -> int:
    for i in range(len(edges) - 1):
        if v <= edges[i + 1]:
            return i
    return len(edges) - 2


def _cell_text(ws: list[tuple]) -> str:
    """Cell text from its words: pieces of one split word rejoin without spaces."""
    out = ""
    prev = None
    for w in ws:
        if prev is not None and not (w[5], w[6], int(w[7])) == (prev[5], prev[6], int(prev[7])):
            out += " "
        out += w[4]
        prev = w
    return out
