"""Ruled PDF tables rebuilt from vector lines and word boxes, in a few ms a page.

PyMuPDF's find_tables costs ~30-40 ms a page, fifty times the text layer itself.  Report
tables are fully ruled, so the grid can be read straight off the drawn lines: cluster
horizontal and vertical segments, group touching segments into tables, decide merges
by whether the border between two grid cells is drawn, and drop each character into
the cell under its centre.  Pages this cannot read fall back to find_tables (pdf.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from math import isfinite

from parsers.formats import pdfpieces, pdfwrap

TOL = 1.5  # points: line ends and crossings this close are the same position
SNAP = 3.0  # points: rules this close are one grid line (two tables drawn edge to edge
#             rarely align exactly; a 2 pt sliver column is not a cell)

Char = tuple[float, float, float, float, str]  # x0, y0, x1, y1, character
CharSource = Callable[[list[tuple]], list[Char]]  # words -> the character boxes under them


@dataclass(slots=True)  # (a page has hundreds: attribute reads without a dict)
class Seg:
    horizontal: bool
    pos: float  # y of a horizontal, x of a vertical segment
    a: float  # start along the segment
    b: float  # end along the segment


@dataclass
class Table:
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in page units (points; pixels for images)
    rows: list[list[str | None]]  # None: position covered by a merged cell
    xs: tuple[float, ...] = ()  # its column rules, left to right (where they were read)


def segments(drawings: list[dict]) -> list[Seg]:
    """Straight rules of a page from ``page.get_cdrawings()`` (plain tuples, no Point/Rect
    objects: get_drawings spends more time wrapping than MuPDF spends reading)."""
    out: list[Seg] = []
    for path in drawings:
        if paper_fill(path):
            continue
        for item in path["items"]:
            kind = item[0]
            if kind == "l":
                (px, py), (qx, qy) = item[1], item[2]
                _add(out, px, py, qx, qy)
            elif kind == "re":
                x0, y0, x1, y1 = item[1]
                x0, x1 = min(x0, x1), max(x0, x1)
                y0, y1 = min(y0, y1), max(y0, y1)
                w, h = x1 - x0, y1 - y0
                if w <= 2 * TOL or h <= 2 * TOL:  # a thin filled bar is a line
                    if w > h:
                        _add(out, x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
                    else:
                        _add(out, (x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
                else:
                    _add(out, x0, y0, x1, y0)
                    _add(out, x0, y1, x1, y1)
                    _add(out, x0, y0, x0, y1)
                    _add(out, x1, y0, x1, y1)
    return out


def paper_fill(path: dict) -> bool:
    """A white fill without a stroke: invisible on the page, so it draws no rule.

    Browsers paint the body's white background as one page-size rectangle; taken as a
    box, it frames the whole page as one table and swallows the text around the tables.
    """
    fill = path.get("fill")
    return path.get("type") == "f" and fill is not None and len(fill) == 3 and min(fill) >= _WHITE


_WHITE = 0.97


def bar_segments(boxes: list[tuple[float, float, float, float]]) -> list[Seg] | None:
    """Rules from vector-path bounding boxes, or None when a box is not a thin bar.

    A box only says where a path is, not what it draws, so it stands for one rule only
    when it is a line's width thin; a stroked rectangle or a multi-line path (a box) needs
    the real path items (segments).
    """
    out: list[Seg] = []
    thin = 2 * TOL
    for x0, y0, x1, y1 in boxes:
        w, h = x1 - x0, y1 - y0
        # (Segs made here, not by _add: a page has hundreds of boxes; a dot, thin both ways, is no rule)
        # (a rule at an infinite or NaN position is none: _add drops it too)
        if h <= thin:
            if w > thin and isfinite(y := (y0 + y1) / 2):
                out.append(Seg(True, y, min(x0, x1), max(x0, x1)))
        elif w <= thin:
            if h > thin and isfinite(x := (x0 + x1) / 2):
                out.append(Seg(False, x, min(y0, y1), max(y0, y1)))
        else:
            return None
    return out


def _add(out: list[Seg], x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y0 - y1) <= TOL and abs(x1 - x0) > TOL:
        out.append(Seg(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) <= TOL and abs(y1 - y0) > TOL:
        out.append(Seg(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def components(segs: list[Seg], tol: float = TOL) -> list[list[Seg]]:
    """The rules joined by crossings (a horizontal and a vertical within ``tol`` of each other's
    span), each group a table's grid: its horizontals, then its verticals, in the order given, the
    groups in the order of their first rule among the horizontals then the verticals.  Shared by the
    PDF and the image grids (formats/imagegrid.py, in pixels)."""
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    order = sorted(range(len(vs)), key=lambda j: vs[j].pos)  # the verticals by position, for bisect
    vpos = [vs[j].pos for j in order]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    va = [vs[j].a - tol for j in order]  # (plain lists: this loop meets every crossing of the page's rules)
    vb = [vs[j].b + tol for j in order]
    nh = len(hs)
    size = [1] * (nh + len(vs))
    for i, h in enumerate(hs):
        y = h.pos
        root = -1  # this rule's group, looked up at its first crossing
        for j in range(bisect_left(vpos, h.a - tol), bisect_right(vpos, h.b + tol)):  # the verticals within its reach
            if va[j] <= y <= vb[j]:
                if root < 0:
                    root = find(i)
                k = nh + order[j]
                if parent[k] != root:  # (most crossings meet a rule already joined: no lookup)
                    other = find(k)
                    if other != root:
                        # the smaller group joins the larger: a new rule joins the table's root, so the
                        # rules it crosses next already point there (only the grouping is returned)
                        if size[other] > size[root]:
                            root, other = other, root
                        parent[other] = root
                        size[root] += size[other]
                    parent[k] = root
    groups: dict[int, list[Seg]] = {}
    for i, s in enumerate(hs + vs):
        groups.setdefault(find(i), []).append(s)
    return list(groups.values())


def _components(segs: list[Seg]) -> list[list[Seg]]:
    """components() with the verticals sorted left to right, the order pdfgrid has grouped them in."""
    hs = [s for s in segs if s.horizontal]
    return components(hs + sorted((s for s in segs if not s.horizontal), key=lambda s: s.pos))


def _cluster(segs: list[Seg]) -> tuple[list[float], list[list[tuple[float, float]]]]:
    """Grid line positions, and for each line the spans drawn along it."""
    groups: list[list[Seg]] = []
    for s in sorted(segs, key=lambda s: s.pos):
        if groups and s.pos - groups[-1][-1].pos <= SNAP:
            groups[-1].append(s)
        else:
            groups.append([s])
    return [sum(s.pos for s in g) / len(g) for g in groups], [[(s.a, s.b) for s in g] for g in groups]


def _drawn(spans: list[tuple[float, float]], mids: list[float]) -> list[bool]:
    """For each cell midpoint along a grid line (ascending): is a rule drawn through it?"""
    drawn = [False] * len(mids)
    for a, b in spans:
        i, j = bisect_left(mids, a - TOL), bisect_right(mids, b + TOL)  # the midpoints the span reaches
        if i < j:
            drawn[i:j] = [True] * (j - i)
    return drawn


def tables(segs: list[Seg], words: list[tuple], chars: CharSource) -> list[Table]:
    """Tables drawn by ``segs``; ``words`` are page.get_text("words") tuples.

    ``chars`` returns the character boxes under a list of words; it is called only when a word runs
    across a column rule, because a word box says nothing about where inside it one
    cell's text ends and the next begins ("行政规范性文件20" is a label and a number).
    """
    found = []
    centres: list[tuple[float, float]] | None = None
    segs = pdfpieces.end_to_end(segs, TOL)  # (a rule drawn cell by cell is one rule)
    for comp in pdfpieces.joined(_components(segs), TOL, SNAP):  # (a lone merged cell's border pieces)
        comp = pdfpieces.open_sides(comp, TOL, SNAP)  # (rules across that run on past the last rule down)
        ys, hspans = _cluster([s for s in comp if s.horizontal])
        xs, vspans = _cluster([s for s in comp if not s.horizontal])
        if len(ys) < 2 or len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < 2:
            continue
        nr, nc = len(ys) - 1, len(xs) - 1
        # Grid positions are numbered row-major (r * nc + c); a merged region's root is its
        # smallest number, its top-left position, which gets the region's text.
        owner = list(range(nr * nc))
        merged = False  # any border left undrawn
        ymid = [(ys[r] + ys[r + 1]) / 2 for r in range(nr)]
        xmid = [(xs[c] + xs[c + 1]) / 2 for c in range(nc)]
        walls = []  # walls[c][r]: the rule between columns c and c + 1 is drawn in row r
        gapped: set[int] = set()  # the rows some column rule is not drawn in
        for c in range(nc - 1):
            drawn = _drawn(vspans[c + 1], ymid)
            walls.append(drawn)
            if False in drawn:  # (most rules are drawn down the whole table: nothing to merge)
                merged = True
                for r in range(nr):
                    if not drawn[r]:
                        _union(owner, r * nc + c, r * nc + c + 1)
                        gapped.add(r)
        wide = _WideCells(walls, nc, gapped)
        for r in range(nr - 1):
            drawn = _whole_cell_borders(_drawn(hspans[r + 1], xmid), wide, r)
            if False in drawn:
                merged = True
                for c in range(nc):
                    if not drawn[c]:
                        _union(owner, r * nc + c, (r + 1) * nc + c)
        cell = owner  # a link always points to a smaller position, so one pass in order finds every root
        if merged:
            for i in range(nr * nc):
                cell[i] = cell[cell[i]]
        texts: dict[int, list[tuple]] = {}
        box = x0, y0, x1, y1 = xs[0], ys[0], xs[-1], ys[-1]
        last_r, last_c = nr - 1, nc - 1
        inner = xs[1:-1]
        n_inner = len(inner)
        cut = []  # words across a column rule: placed piece by piece after the others
        astride = []  # words across a row rule (a wrapped label overflowing its row)
        if centres is None:  # (each table of the page looks at every word: centres taken once)
            centres = [((w[0] + w[2]) / 2, (w[1] + w[3]) / 2) for w in words]
        for w, (cx, cy) in zip(words, centres, strict=True):  # (one pass: inside the table, across a rule, else placed by its centre)
            if not (y0 <= cy <= y1 and x0 <= cx <= x1):  # (height first: the tables of a page stand one above another)
                continue
            if len(w[4]) > 1:
                i = bisect_right(inner, w[0] + 2)
                if i < n_inner and inner[i] < w[2] - 2 and not _in_one_cell(w, xs, ys, cell):
                    cut.append(w)
                    continue
            # (a centre inside the table lies in its rows and columns: searched from the first one's end)
            r = bisect_left(ys, cy, 1) - 1
            c = bisect_left(xs, cx, 1) - 1
            texts.setdefault(cell[r * nc + c], []).append(w)
            if w[1] < ys[r] - 1 or w[3] > ys[r + 1] + 1:
                astride.append((w, r, c))
        # (cut words first: a wrapped header's first line glued to its neighbour's, 本年增/减处理决定数,
        # is the line its overflowing last line 量 continues)
        for w in _pieces(cut, chars) if cut else ():
            r = bisect_left(ys, (w[1] + w[3]) / 2) - 1
            c = bisect_left(xs, (w[0] + w[2]) / 2) - 1
            r = 0 if r < 0 else last_r if r > last_r else r
            c = 0 if c < 0 else last_c if c > last_c else c
            texts.setdefault(cell[r * nc + c], []).append(w)
            if w[1] < ys[r] - 1 or w[3] > ys[r + 1] + 1:
                astride.append((w, r, c))
        for w, r, c in astride:
            _overflowed(w, r, c, ys, nc, cell, texts)
        # each merged region's text at its root (its top-left position), None at the positions it covers
        flat: list[str | None] = ["" if k == i else None for i, k in enumerate(cell)] if merged else [""] * (nr * nc)
        pad = None  # the table's cell padding, measured only when some cell holds two numbers
        for i, ws in texts.items():
            if len(ws) == 1:
                flat[i] = ws[0][4]
                continue
            text = None
            # (digit words in one grid row: a region over two rows whose rule is not drawn holds
            # each row's own number)
            if (len(ws) <= pdfwrap.MAX_LINES and all(w[4][-1:].isdigit() for w in ws)
                    and len({bisect_left(ys, (w[1] + w[3]) / 2) for w in ws}) == 1):
                pad = _padding(texts, xs, nc) if pad is None else pad
                text = pdfwrap.broken_number(ws, xs[i % nc], xs[_last_column(cell, i, nc) + 1], pad)
            flat[i] = text or _cell_text(sorted(ws, key=_reading_order))
        rows = [flat[r * nc:(r + 1) * nc] for r in range(nr)]
        found.append(Table(box, rows, tuple(xs)))
    return found


def _padding(texts: dict[int, list[tuple]], xs: list[float], nc: int) -> float:
    """The smallest gap between a cell's text and the cell's left border in the table: the
    cell padding where a label is set flush left (an upper bound where all text is centred)."""
    return min((min(w[0] for w in ws) - xs[i % nc] for i, ws in texts.items()), default=0.0)


def _last_column(cell: list[int], i: int, nc: int) -> int:
    """The last grid column of the merged region whose top-left position is ``i``."""
    c = i % nc
    while c + 1 < nc and cell[i - i % nc + c + 1] == i:
        c += 1
    return c


def _overflowed(w: tuple, r: int, c: int, ys: list[float], nc: int, cell: list[int],
                texts: dict[int, list[tuple]]) -> None:
    """Move a word printed across a row rule to the cell whose text it continues.

    A label wrapped in a cell taller than its row (Excel, LibreOffice) overflows the rules
    above and below, centred on its row: its last line's centre lies in the next row, where it
    would join that row's label (行政规范性文 / 件 -> 件 read into 第二十条第（五）项).  It is the
    row above's when it overlaps a word of the row it fell in (two lines of one cell never
    overlap) and sits right under a word of the row above (the line it continues); likewise
    a first line above its own row.  Overlapping nothing (the label's last line in a merged
    heading row beside its text: 其他对外管 / 理服务事项), it moves only when it and the lines it
    continues are one block centred on that row (_centred_block)."""
    h = w[3] - w[1]
    for step in (-1, 1):
        r2 = r + step
        rule = ys[r] if step < 0 else ys[r + 1]
        if not (0 <= r2 < len(ys) - 1 and w[1] + 0.15 * h < rule < w[3] - 0.15 * h):
            continue
        here, there = cell[r * nc + c], cell[r2 * nc + c]
        if here == there:
            continue
        beside = texts.get(there, ())
        if any(v is not w and _intersect(v, w) for v in texts.get(here, ())):
            moved = any(_stacked(v, w, step) for v in beside)
        else:
            moved = _centred_block(w, beside, step, ys[r2], ys[r2 + 1])
        if moved:
            texts[here].remove(w)
            texts.setdefault(there, []).append(w)
            return


def _centred_block(w: tuple, beside: list[tuple], step: int, top: float, bottom: float) -> bool:
    """Whether ``w`` and the lines stacked above (step -1) or below (step 1) it in the next row's
    cell form one block of text centred on that row (Excel and LibreOffice centre a wrapped cell's
    lines on its row and let them overflow both rules: 其他对外管 / 理服务事项).

    This is the proof when ``w`` overlaps nothing of the row it fell in: that row's own text
    would be centred on its own row, and a line of the other row's own text, centred there
    alone, sits half a line off the centre of the block it would make with ``w``."""
    chain = [w]
    while True:
        nxt = next((v for v in beside if v not in chain and _stacked(v, chain[-1], step)), None)
        if nxt is None:
            break
        chain.append(nxt)
    if len(chain) == 1:
        return False
    h = w[3] - w[1]
    lo, hi = min(v[1] for v in chain), max(v[3] for v in chain)
    return abs((lo + hi) / 2 - (top + bottom) / 2) <= _CENTRED * h


_CENTRED = 0.3  # of a line's height: a block's centre this close to its row's centre is centred on it
#                 (glyph boxes sit ~0.15 of a line below the text's centre; a line off by half a line is not)


def _intersect(a: tuple, b: tuple) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def _stacked(v: tuple, w: tuple, step: int) -> bool:
    """``v`` is the line right above (step -1) or below (step 1) ``w`` in one block of text."""
    gap = w[1] - v[3] if step < 0 else v[1] - w[3]
    return -0.5 <= gap < 0.6 * (w[3] - w[1]) and min(v[2], w[2]) - max(v[0], w[0]) > 0


class _WideCells:
    """The cells of each grid row that span several columns, as (first, last) column: read off
    the column rules once per row, for the rules above and below it."""

    def __init__(self, walls: list[list[bool]], nc: int, gapped: set[int]) -> None:
        self.walls, self.last, self.gapped = walls, nc - 1, gapped  # gapped: rows missing a column rule
        self.rows: dict[int, list[tuple[int, int]]] = {}

    def __call__(self, row: int) -> list[tuple[int, int]]:
        got = self.rows.get(row)
        if got is None:
            if row not in self.gapped:  # (every column rule drawn in this row: one cell per column)
                return []
            got, start = [], 0
            for c in range(self.last):
                if self.walls[c][row]:  # a cell of this row ends at column c
                    if start < c:
                        got.append((start, c))
                    start = c + 1
            if start < self.last:
                got.append((start, self.last))
            self.rows[row] = got
        return got


def _whole_cell_borders(drawn: list[bool], wide: _WideCells, r: int) -> list[bool]:
    """The rule under row ``r``, drawn across every cell it is drawn under in part.

    Chromium paints a collapsed border cell by cell and may leave out the piece under
    one column of a cell that spans three: read as it is, that column's positions merge
    down through every such row into one tall region.  Cells are rectangles, so a
    border drawn under part of a cell (above or below the rule) is its whole border.
    """
    if all(drawn) or not any(drawn):
        return drawn
    out = list(drawn)
    for row in (r, r + 1):
        for start, c in wide(row):  # (a one-column cell is as drawn)
            if True in drawn[start:c + 1]:
                out[start:c + 1] = [True] * (c + 1 - start)
    return out




def _root(owner: list[int], i: int) -> int:
    while owner[i] != i:
        i = owner[i]
    return i


def _union(owner: list[int], p: int, q: int) -> None:
    """Merge the grid regions of positions p and q (their border is not drawn)."""
    a, b = _root(owner, p), _root(owner, q)
    if a != b:
        owner[max(a, b)] = min(a, b)


def _pieces(cut: list[tuple], chars: CharSource) -> list[tuple]:
    """Words that run across a column rule, cut into per-character pieces.

    PyMuPDF joins the text of neighbouring cells on one baseline into one "word" when
    no space separates them (CJK labels, or a label and a number).  Each piece keeps the
    word's ids, so pieces that land in one cell rejoin without spaces.  (tables() leaves a
    word across rules not drawn in its row whole, _in_one_cell: its pieces would rejoin
    into it, and reading the character boxes is most of the cost of a table.)
    """
    out = []
    by_x = _CharsByX(chars(cut))
    for w in cut:
        x0, x1, text = w[0], w[2], w[4]
        boxes = by_x.under(w)
        if len(boxes) != len(text):  # text layer and glyphs disagree: equal widths
            step = (x1 - x0) / len(text)
            boxes = [(x0 + i * step, w[1], x0 + (i + 1) * step, w[3], ch) for i, ch in enumerate(text)]
        for i, (cx0, cy0, cx1, cy1, ch) in enumerate(boxes):
            # (a glyph's own height: a word joined across two lines' heights spans both)
            out.append((cx0, cy0, cx1, cy1, ch, w[5], w[6], w[7] + i / 1000))
    return out


def _in_one_cell(w: tuple, xs: list[float], ys: list[float], cell: list[int]) -> bool:
    """Whether every piece of ``w`` would land in one (merged) cell of the grid: each piece's
    centre lies within the word's box give or take 0.5 (tables() places it by its centre)."""
    lo, hi = w[0] - 0.5, w[2] + 0.5
    if lo != lo or hi != hi:
        return False
    last_r, last_c = len(ys) - 2, len(xs) - 2
    r = bisect_left(ys, (w[1] + w[3]) / 2) - 1
    r = 0 if r < 0 else last_r if r > last_r else r
    c0 = bisect_left(xs, lo) - 1
    c1 = bisect_left(xs, hi) - 1
    c0 = 0 if c0 < 0 else last_c if c0 > last_c else c0
    c1 = 0 if c1 < 0 else last_c if c1 > last_c else c1
    at = r * (last_c + 1)
    root = cell[at + c0]
    return all(cell[at + c] == root for c in range(c0 + 1, c1 + 1))


def _word_chars(w: tuple, chars: list[Char]) -> list[Char]:
    """The printed characters inside a word's box, left to right."""
    x0, y0, x1, y1 = w[0] - 0.5, w[1] - 0.5, w[2] + 0.5, w[3] + 0.5
    inside = [ch for ch in chars
              if x0 <= (ch[0] + ch[2]) / 2 <= x1 and y0 <= (ch[1] + ch[3]) / 2 <= y1 and not ch[4].isspace()]
    inside.sort(key=lambda ch: ch[0])
    return inside


class _CharsByX:
    """Character boxes sorted by their centres across the page: each cut word takes its
    characters from a bisected slice instead of a scan of all the table's characters."""

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        centres = [(ch[0] + ch[2]) / 2 for ch in chars]
        # (a NaN centre would break the ordering bisection needs: such pages are scanned)
        self.order = None if any(c != c for c in centres) else sorted(range(len(chars)), key=centres.__getitem__)
        self.centres = [centres[k] for k in self.order] if self.order is not None else []
        self.middles = [(ch[1] + ch[3]) / 2 for ch in chars]  # (each word's test reads them again)
        self.blank = [ch[4].isspace() for ch in chars]

    def under(self, w: tuple) -> list[Char]:
        """As _word_chars(w, chars): the same characters in the same order (left to right,
        ties in the source order)."""
        x0, y0, x1, y1 = w[0] - 0.5, w[1] - 0.5, w[2] + 0.5, w[3] + 0.5
        if self.order is None or x0 != x0 or x1 != x1:
            return _word_chars(w, self.chars)
        chars = self.chars
        ks = self.order[bisect_left(self.centres, x0):bisect_right(self.centres, x1)]
        middles, blank = self.middles, self.blank
        inside = [k for k in ks if y0 <= middles[k] <= y1 and not blank[k]]
        inside.sort(key=lambda k: (chars[k][0], k))
        return [chars[k] for k in inside]


def _reading_order(w: tuple) -> tuple:
    return w[5], w[6], w[7]


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


def page_chars(rawdict: dict) -> list[Char]:
    """Character boxes of a ``TextPage.extractRAWDICT()`` result."""
    return [(*ch["bbox"], ch["c"])
            for block in rawdict["blocks"] if block["type"] == 0
            for line in block["lines"] if not oblique(*line["dir"])
            for span in line["spans"] for ch in span["chars"]]


OBLIQUE = 0.26  # sin of 15°: text written at a steeper angle than a skewed scan's is a watermark


def oblique(dx: float, dy: float) -> bool:
    """A writing direction neither along nor across the page (a diagonal watermark)."""
    return min(abs(dx), abs(dy)) > OBLIQUE
