"""Where the cells of a header printed with merged cells stand, when the text lists each merged
cell once.

An HTML extractor repeats nothing but keeps every grid column (a colspan leaves blanks to its
right), so its header lines stand over their columns.  A DOCX row lists its visual cells (a cell
spanning five columns is one cell, a cell continuing from the row above an empty one), and a PDF
grid does the same and pads the row to the table's width at its end: above the header's bottom
line, a cell's place is then not printed.  The bottom line still is (its blank cells are the ones
covered from above), so the lines above can only stand in a few ways: each blank below takes one
cell of the line above it, each run of named columns one or more.  This module lists every such
way; a reader takes a reading only when every way it can place gives the same numbers.
"""

from __future__ import annotations

from .tokens import squash

MAX_WAYS = 4000  # a header this ambiguous is not read by its cells at all


def _positioned(cells: list[str]) -> bool:
    """A line standing over its columns: some name stands after a blank cell (a packed line's
    blanks are only at its end, or a continuation's before every name)."""
    seen_blank = False
    for c in cells:
        if not squash(c):
            seen_blank = True
        elif seen_blank:
            return True
    return False


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not squash(cells[end - 1]):
        end -= 1
    return [squash(c) for c in cells[:end]]


def header_grids(header: list[list[str]], width: int) -> list[list[list[str]]]:
    """Every way the header lines can stand over `width` columns, each a list of lines of `width`
    cells (a merged cell's text in every column it spans; blank where nothing stands).  [] when the
    bottom line does not stand over the columns, or the lines above cannot be laid over it."""
    bottom_at = len(header)
    while bottom_at and len(header[bottom_at - 1]) <= width and _positioned(header[bottom_at - 1]):
        bottom_at -= 1
    if bottom_at == len(header):
        return []
    # a wrapped bottom line: its pieces are one line, cell by cell
    names = [""] * width
    for cells in header[bottom_at:]:
        for j, c in enumerate(cells):
            names[j] += squash(c)
    # units: runs of columns one cell covers; open = nothing named over it yet (covered from above)
    ways: list[tuple[list[tuple[int, ...]], list[bool], list[list[str]]]] = [
        ([(j,) for j in range(width)], [not n for n in names], [names])
    ]
    for level, cells in enumerate(reversed(header[:bottom_at])):
        entries = _trimmed(cells)
        nxt = []
        for units, open_, lines in ways:
            for cover in _covers(open_, len(entries)):
                new_units, new_open, line = [], [], [""] * width
                bottom = list(lines[-1])
                for (a, b), text in zip(cover, entries, strict=True):
                    cols = tuple(j for u in units[a:b] for j in u)
                    for j in cols:
                        line[j] = text
                    if level == 0 and len(cols) == 1 and bottom[cols[0]] and text:
                        # one column's cell whose text ran on into the bottom line (a PDF wraps a
                        # tall cell's text over the lines beside it)
                        bottom[cols[0]] = text + bottom[cols[0]]
                    new_units.append(cols)
                    new_open.append(all(open_[a:b]) and not text)
                nxt.append((new_units, new_open, [line, *lines[:-1], bottom]))
                if len(nxt) > MAX_WAYS:
                    return []
        ways = nxt
    return [lines for _u, open_, lines in ways if not any(open_)]


def _covers(open_: list[bool], n: int) -> list[list[tuple[int, int]]]:
    """The ways n cells lie over the units in order: an open unit under a cell of its own (the
    cell over it reaches down to it), named units one or more under each cell."""
    out: list[list[tuple[int, int]]] = []

    def walk(i: int, left: int, acc: list[tuple[int, int]]) -> None:
        if len(out) > MAX_WAYS:
            return
        if i == len(open_):
            if left == 0:
                out.append(list(acc))
            return
        if left == 0:
            return
        if open_[i]:
            walk(i + 1, left - 1, [*acc, (i, i + 1)])
            return
        j = i
        while j < len(open_) and not open_[j]:
            j += 1
            walk(j, left - 1, [*acc, (i, j)])

    walk(0, n, [])
    return out
