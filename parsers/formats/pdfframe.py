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

# a number (table 2 prints 本年增/减 signed and 采购总金额 with decimals) or a printed "none" mark
_VALUE = re.compile(r"^(?:[-－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?|[—－/／-]+)$")
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
        rows = _read(inside) or _read_centred(inside)
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


_CENTRED = 1.2  # points: a label block's middle and its numbers' line stand this close (tops)
_WRAP = 0.5  # points: line pitches of one wrapped label agree this closely
_ROW_GAP = 1.5  # points: the least a row pitch exceeds the wrap pitch, so the two are told apart


def _read_centred(words: list[tuple]) -> list[list[str | None]] | None:
    """A frame whose cells are centred (a browser's default ``vertical-align: middle``), read
    from where its words stand, or None.

    The numbers of a row then stand at the middle of its label, between the label's wrapped
    lines (a label's lines follow one another closer than rows do, and a number line centred
    between two of them proves the pitch of a wrap).  A table may hold sub-tables, each under
    its own header line (table 2's 第二十条 items), or have no label column (table 4's one
    row of 15 numbers).  Only centred numbers are read, and only when every column has a
    header of its own centred over it (the lowest header words, the cells' own headings),
    so a column printed all blank still stands where its header is.
    """
    lines = _lines(words)
    values = [w for ln in lines for w in ln if _VALUE.match(w[4])]
    if not values:
        return None
    label_end = min(w[0] for w in values)
    numbered = [i for i, ln in enumerate(lines) if any(w[2] > label_end and _VALUE.match(w[4]) for w in ln)]
    if not numbered:
        return None
    headed = [i for i, ln in enumerate(lines) if i not in numbered and any(w[2] > label_end for w in ln)]
    if any(w[2] > label_end and not _VALUE.match(w[4]) for i in numbered for w in lines[i]):
        return None  # text among the numbers
    if not headed or headed[0] > numbered[0]:
        return None  # no header over the numbers: nothing proves the columns
    edge, cols = _columns(values)
    if edge != 1:
        return None
    cols = _proven_columns(lines, headed, numbered, label_end, cols)
    if cols is None:
        return None
    first = max(i for i in headed if i < numbered[0]) + 1  # the body: below the header over the first numbers
    body_labels = [w for i in range(first, len(lines)) if i not in headed for w in lines[i] if w[2] <= label_end]
    # label columns by the edge their labels line up on: the left (Word, LibreOffice) or the centre
    # (a browser's text-align: center), whichever gives fewer columns
    label_edge = min((0, 1), key=lambda e: len(_cluster([_at(w, e) for w in body_labels])))
    label_x = _cluster([_at(w, label_edge) for w in body_labels])
    tops = {i: sum(w[1] for w in lines[i] if w[2] > label_end) / sum(1 for w in lines[i] if w[2] > label_end)
            for i in numbered}  # (the numbers' own: a label in their line may stand a little higher)
    blocks = _label_blocks(body_labels, label_x, label_edge, list(tops.values()), [lines[i][0][1] for i in headed])
    if blocks is None:
        return None
    # one label cell a row (a row's labels in several label columns are joined): a row's numbers
    # follow its label directly, as the rows of a grid whose label cells span columns
    lead = 1 if label_x else 0
    width = lead + len(cols)
    rows: list[tuple[float, list[str | None]]] = []
    for i in headed:  # header lines, the top one's and each sub-table's: each word over its column
        cells: list[str | None] = [""] * width
        for w in lines[i]:
            c = 0 if w[2] <= label_end else lead + min(range(len(cols)), key=lambda k: abs(cols[k] - _at(w, 1)))
            cells[c] += w[4]
        rows.append((lines[i][0][1], cells))
    used: set[int] = set()
    for i in numbered:
        top = tops[i]
        over = [(k, b) for k, b in enumerate(blocks) if b[1] - _CENTRED <= top <= b[2] + _CENTRED]
        if label_x:
            if not over:
                return None  # numbers beside no label
            inner = max(b[0] for _, b in over)
            own = [(k, b) for k, b in over if b[0] == inner]
            if len(own) != 1 or abs((own[0][1][1] + own[0][1][2]) / 2 - top) > _CENTRED:
                return None  # the row's own label is not centred on its numbers
        cells = [""] * width
        for k, b in sorted(over, key=lambda kb: kb[1][0]):  # (outer labels first, as a grid's row reads)
            if abs((b[1] + b[2]) / 2 - top) <= _CENTRED:
                cells[0] += b[3]
                used.add(k)
        for w in lines[i]:
            if w[2] <= label_end:
                continue
            x = _at(w, 1)
            c = min(range(len(cols)), key=lambda k: abs(cols[k] - x))
            if abs(cols[c] - x) > _ALIGN or cells[lead + c]:
                return None  # a number under no column, or two under one
            cells[lead + c] = w[4]
        rows.append((top, cells))
    for k, b in enumerate(blocks):  # labels beside no numbers: rows printed blank, labels over several rows
        if k not in used:
            cells = [""] * width
            cells[0] = b[3]
            rows.append(((b[1] + b[2]) / 2, cells))
    rows.sort(key=lambda r: r[0])
    return [cells for _, cells in rows]


def _proven_columns(lines: list[list[tuple]], headed: list[int], numbered: list[int], label_end: float,
                    cols: list[float]) -> list[float] | None:
    """The number columns, each under a header cell of its own, or None.

    The leaves of each header (words with no header word under them: a cell's own heading,
    not one spanning several cells) are centred over the columns.  Each column must have a
    leaf over it and no two leaves of one header may stand over one column; a leaf over no
    column of numbers is a column printed all blank, but only in a header over numbers (text
    lines below the last numbers, a note across the frame, must stand over columns already
    proven, or the frame is not read from positions).
    """
    runs: list[list[int]] = []
    for i in headed:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = list(cols)
    covered: set[int] = set()
    for run in runs:
        heads = [w for i in run for w in lines[i] if w[2] > label_end]
        leaves = [w for w in heads if not any(h[1] > w[1] + _LINE and h[0] < w[2] and h[2] > w[0] for h in heads)]
        over_numbers = any(i > run[-1] for i in numbered)
        for x in sorted((w[0] + w[2]) / 2 for w in leaves):
            near = [k for k, c in enumerate(out) if abs(c - x) <= 2 * _ALIGN]
            if not near:
                if not over_numbers or any(abs(c - x) <= 4 * _ALIGN for c in out):
                    return None  # neither over a column nor clear of it, or no header
                out.append(x)
                near = [len(out) - 1]
            covered.add(near[0])
        taken = [min(range(len(out)), key=lambda k: abs(out[k] - (w[0] + w[2]) / 2)) for w in leaves]
        if len(taken) != len(set(taken)):
            return None  # two cells' headings over one column
    if len(covered) != len(out):
        return None  # a column of numbers under no heading of its own
    return sorted(out)


def _label_blocks(words: list[tuple], label_x: list[float], edge: int, tops: list[float],
                  walls: list[float]) -> list[tuple[int, float, float, str]] | None:
    """The label cells: (label column, first line's top, last line's top, text), or None.

    ``tops``: where the number lines stand; ``walls``: where header lines stand (a label
    never runs on over one).  A label's wrapped lines are joined only at the pitch a wrap is
    proven to have (a number line centred between two lines of one column), and only when
    rows stand visibly further apart than that (a table without cell padding sets its rows at
    the pitch of a wrap: which lines make one label cannot be told).  With no wrap proven,
    every label is one line, and no two lines of a column may stand closer than two rows of
    numbers do (a line closer than that could be part of a neighbour's label).
    """
    by_col: dict[int, list[tuple[float, str]]] = {}
    for w in words:
        c = min(range(len(label_x)), key=lambda k: abs(label_x[k] - _at(w, edge)))
        col = by_col.setdefault(c, [])
        if col and abs(col[-1][0] - w[1]) <= _LINE:
            col[-1] = (col[-1][0], col[-1][1] + w[4])
        else:
            col.append((w[1], w[4]))
    steps = [(a, b) for col in by_col.values() for (a, _), (b, _) in zip(col, col[1:], strict=False)]
    wraps = [b - a for a, b in steps
             if any(abs((a + b) / 2 - t) <= _CENTRED and a + _CENTRED < t < b - _CENTRED for t in tops)]
    if wraps:
        wrap = min(wraps)
        if max(wraps) - wrap > _WRAP or not any(b - a >= wrap + _ROW_GAP for a, b in steps):
            return None
    else:
        wrap = None
        rows = [b - a for a, b in steps if any(abs(a - t) <= _CENTRED for t in tops)
                and any(abs(b - t) <= _CENTRED for t in tops)]
        if steps and (not rows or min(b - a for a, b in steps) < min(rows) - _WRAP):
            return None
    blocks: list[tuple[int, float, float, str]] = []
    for c, col in sorted(by_col.items()):
        for top, text in col:
            last = blocks[-1] if blocks and blocks[-1][0] == c else None
            pitch = top - last[2] if last else None
            if wrap is not None and pitch is not None and wrap + _WRAP < pitch < wrap + _ROW_GAP:
                return None  # a wrap or a row: not told apart
            if (last and wrap is not None and pitch <= wrap + _WRAP
                    and not any(last[2] < y < top for y in walls)):
                blocks[-1] = (c, last[1], top, last[3] + text)
            else:
                blocks.append((c, top, top, text))
    return blocks
