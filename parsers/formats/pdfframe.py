"""Tables framed only by an outer border, read from where their words stand.

Word tables with only an outside border (LibreOffice keeps Word's top-aligned cells)
print no rule between cells, so pdfgrid finds no grid, and the page's text runs the
wrapped labels into the number lines in an order no template reading can follow.  The
words' positions still hold the table: each number line starts a row (its label's first
line stands at the same height, top-aligned), the label's further lines belong to the
row until the next number line, and each number sits under one column because the
numbers of all rows line up.  A number that lines up with no column, or a row whose
label does not start at its numbers' height, leaves the frame unread (pdf.py then reads
the page as text, as before): a column is taken only when alignment proves it.
"""

from __future__ import annotations

import re

from parsers.formats.pdfgrid import Seg, Table

_VALUE = re.compile(r"^(?:[0-9０-９][0-9０-９,，]*|[—－/／-]+)$")  # a number or a printed "none" mark
_ALIGN = 2.5  # points: numbers of one column stand this close (at their centre or one edge)
_LINE = 2.0  # points: words whose tops differ this little are one printed line
_MIN_WIDTH = 150.0  # points: a frame narrower than this is a box, not a table
_MIN_ROWS = 2  # number rows before a frame is read as a table


def frames(segs: list[Seg]) -> list[tuple[float, float, float, float]]:
    """Boxes drawn by two side rules with no rule of any kind inside them.

    A table broken over pages keeps only its side rules on the middle pages, so the top
    and bottom rules are not required.
    """
    vs = _joined(sorted((s for s in segs if not s.horizontal), key=lambda s: (round(s.pos, 1), s.a)))
    hs = [s for s in segs if s.horizontal]
    out = []
    for i, left in enumerate(vs):
        for right in vs[i + 1:]:
            if right.pos - left.pos < _MIN_WIDTH:
                continue
            if abs(right.a - left.a) > 3 or abs(right.b - left.b) > 3:
                continue
            top, bottom = max(left.a, right.a), min(left.b, right.b)
            inner_v = any(left.pos + 3 < v.pos < right.pos - 3 and v.a < bottom - 3 and v.b > top + 3 for v in vs)
            inner_h = any(top + 3 < h.pos < bottom - 3 and h.a < right.pos - 3 and h.b > left.pos + 3 for h in hs)
            # a rule running on past a side rule: that side is an inner rule of a larger table
            through = any(top - 3 <= h.pos <= bottom + 3 and (h.a < left.pos - 3 or h.b > right.pos + 3)
                          and h.b > left.pos + 3 and h.a < right.pos - 3 for h in hs)
            if not inner_v and not inner_h and not through:
                out.append((left.pos, top, right.pos, bottom))
            break
    return out


def _joined(vs: list[Seg]) -> list[Seg]:
    """Side rules drawn in pieces end to end (a browser draws each row's border) as one."""
    out: list[Seg] = []
    for v in vs:
        last = out[-1] if out else None
        if last is not None and abs(last.pos - v.pos) <= 0.5 and v.a <= last.b + 1:
            out[-1] = Seg(False, last.pos, last.a, max(last.b, v.b))
        else:
            out.append(v)
    out.sort(key=lambda s: s.pos)
    return out


def tables(segs: list[Seg], words: list[tuple]) -> list[Table]:
    """The frames of the page read as tables; frames that cannot be read are left out."""
    out = []
    for box in frames(segs):
        inside = [w for w in words if box[0] < (w[0] + w[2]) / 2 < box[2] and box[1] < (w[1] + w[3]) / 2 < box[3]]
        rows = _read(inside)
        if rows:
            out.append(Table(box, rows))
    return out


def _lines(words: list[tuple]) -> list[list[tuple]]:
    lines: list[list[tuple]] = []
    for w in sorted(words, key=lambda w: (w[1], w[0])):
        if lines and abs(lines[-1][0][1] - w[1]) <= _LINE:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(ln, key=lambda w: w[0]) for ln in lines]


def _cluster(xs: list[float]) -> list[float]:
    """Centres of groups of positions each within _ALIGN of the group's first."""
    groups: list[list[float]] = []
    for x in sorted(xs):
        if groups and x - groups[-1][0] <= _ALIGN:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def _columns(values: list[tuple]) -> tuple[int, list[float]]:
    """The edge (0 left, 1 centre, 2 right) the numbers line up on, and the columns there.

    Numbers of different widths line up on one edge only (or on their centres), so the
    edge giving the fewest columns is the one the table was set on.
    """
    best: tuple[int, list[float]] | None = None
    for edge in (1, 2, 0):
        cols = _cluster([_at(w, edge) for w in values])
        if best is None or len(cols) < len(best[1]):
            best = (edge, cols)
    assert best is not None
    return best


def _at(w: tuple, edge: int) -> float:
    return (w[0], (w[0] + w[2]) / 2, w[2])[edge]


def _uncovered(header: list[list[tuple]], label_end: float, cols: list[float], edge: int) -> bool:
    """Whether a header word over the numbers stands over no column of them.

    A column whose every cell is blank has no number to line up, so it would silently
    drop out and shift the columns after it; its header still stands there.
    """
    for ln in header:
        for w in ln:
            if w[2] <= label_end:
                continue
            if not any(w[0] - _ALIGN <= x <= w[2] + _ALIGN for x in cols):
                return True
    return False


def _blank_columns(header: list[list[tuple]], label_end: float, cols: list[float]) -> list[float]:
    """Centres of header cells standing over no column of numbers, well apart from every one.

    Only where numbers are centred: a header is centred over its cell, so its centre is the
    centre its column's numbers would have.
    """
    free = [(w[0] + w[2]) / 2 for ln in header for w in ln
            if w[2] > label_end and not any(w[0] - _ALIGN <= x <= w[2] + _ALIGN for x in cols)]
    return [x for x in _cluster(free) if all(abs(x - c) > 2 * _ALIGN for c in cols)]


def _read(words: list[tuple]) -> list[list[str | None]] | None:
    lines = _lines(words)
    values = [w for ln in lines for w in ln if _VALUE.match(w[4])]
    if not values:
        return None
    label_end = min(w[0] for w in values)  # the labels stand left of every number
    starts = [i for i, ln in enumerate(lines) if any(_VALUE.match(w[4]) and w[0] >= label_end for w in ln)]
    if len(starts) < _MIN_ROWS:
        return None
    edge, cols = _columns(values)
    if len(cols) < 2:
        return None
    header = lines[:starts[0]]
    centres = [(w[0] + w[2]) / 2 for ln in header for w in ln if w[2] > label_end]
    for x in cols:  # a column of one number is proven only by a header centred over it
        if sum(abs(_at(w, edge) - x) <= _ALIGN for w in values) < 2 and not any(abs(h - x) <= 2 * _ALIGN for h in centres):
            return None
    if edge == 1:  # centred numbers under centred headers: a column printed all blank stands under its header
        cols = sorted(cols + _blank_columns(lines[:starts[0]], label_end, cols))
    if _uncovered(lines[:starts[0]], label_end, cols, edge):
        return None  # a header cell over no column of numbers: a column printed all blank
    pitch = min(lines[b][0][1] - lines[a][0][1] for a, b in zip(starts, starts[1:], strict=False))
    numbered = set(starts)
    for i in range(starts[0] + 1, len(lines)):  # a label line a whole row below the line above: a row printed all blank
        if i not in numbered and lines[i][0][1] - lines[i - 1][0][1] >= pitch - _LINE:
            starts.append(i)
    starts.sort()
    label_x = _cluster([w[0] for ln in lines[starts[0]:] for w in ln if w[2] <= label_end])  # label columns by their left edges
    rows: list[list[str | None]] = []
    for ln in lines[:starts[0]]:  # the header above the first number row: each word over its column
        head_cells = [""] * (len(label_x) + len(cols))
        for w in ln:
            if w[2] <= label_end:
                head_cells[0] += w[4]
            else:
                x = (w[0] + w[2]) / 2
                head_cells[len(label_x) + min(range(len(cols)), key=lambda i: abs(cols[i] - x))] += w[4]
        rows.append(head_cells)
    for k, first in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        band = lines[first:end]
        head = band[0]
        labels = [w for w in head if w[2] <= label_end]
        if not labels or any(w[2] > label_end and not _VALUE.match(w[4]) for ln in band for w in ln):
            return None  # a row whose label does not start at its numbers, or text among the numbers
        if any(w[2] > label_end for ln in band[1:] for w in ln):
            return None  # a number wrapped below its row's first line
        cells: list[str] = [""] * (len(label_x) + len(cols))
        for ln in band:
            for w in ln:
                if w[2] <= label_end:
                    c = min(range(len(label_x)), key=lambda i: abs(label_x[i] - w[0]))
                    cells[c] += w[4]
        for w in head:
            if w[2] <= label_end:
                continue
            x = _at(w, edge)
            c = min(range(len(cols)), key=lambda i: abs(cols[i] - x))
            if abs(cols[c] - x) > _ALIGN or cells[len(label_x) + c]:
                return None  # a number under no column, or two under one
            cells[len(label_x) + c] = w[4]
        rows.append(cells)
    return rows
