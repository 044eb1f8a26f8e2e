"""A table without rules read by detection: each number put under its column, or doubted.

Without rules a row is only the boxes the detector found on one line, joined left to right;
a cell printed blank (or one the detector skipped and a second look could not read) has no
box, and every number after it slid one column to the left: "1 1 0 0 2 0 4" with its second
"1" missing became natural_person 1, commercial 0, research 0, ... — wrong numbers, and false
accusations where the columns no longer added up.

The columns are where the table's rows stack their numbers: a column is a run of x that
number boxes of most of the block's rows overlap (a block is the rows between two header
lines), and most rows must fill every column with one number (else no columns are trusted).  A lone row (table 4's one row of numbers) takes its columns from the short header
words stacked above it.  A row with fewer numbers than columns keeps each number in the
column it lies under and gets OCR_UNSURE (a null with a finding) where it has none; a row
whose numbers do not each sit under a column of their own cannot be placed, and all its
numbers are doubted rather than slid.
"""

from __future__ import annotations

from collections.abc import Callable

Box = tuple  # (x0, y0, x1, y1, text)

SUPPORT = 0.5  # share of a block's number rows a column's x must be inked by
HEADER_ROWS = 3  # lines above a lone number row its column headers may take
HEADER_WORD = 3.0  # width/height: a header word over one column (wider ones span columns)
GAP_LINES = 3.0  # line heights of blank between two lines that part two tables


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _runs(spans: list[tuple[float, float, int]]) -> list[tuple[float, float, set[int]]]:
    """x spans (with the row each came from) merged where they overlap: (x0, x1, rows)."""
    out: list[list] = []
    for x0, x1, r in sorted(spans):
        if out and x0 < out[-1][1]:
            out[-1][1] = max(out[-1][1], x1)
            out[-1][2].add(r)
        else:
            out.append([x0, x1, {r}])
    return [(a, b, rows) for a, b, rows in out]


def _blocks(rows: list[list[Box]], is_number: Callable[[Box], bool]) -> list[list[int]]:
    """Indices of the rows of each table: runs of lines with numbers, parted by a header line
    (several words, no number) or by a blank stretch."""
    blocks: list[list[int]] = []
    current: list[int] = []
    last_y = None
    for i, row in enumerate(rows):
        nums = [b for b in row if is_number(b)]
        h = max(b[3] - b[1] for b in row)
        top = min(b[1] for b in row)
        if not nums and len(row) >= 2 or (last_y is not None and top - last_y > GAP_LINES * h):
            if current:
                blocks.append(current)
            current = []
        if nums:
            current.append(i)
        last_y = max(b[3] for b in row)
    if current:
        blocks.append(current)
    return blocks


def _header_columns(rows: list[list[Box]], first: int, is_number) -> list[tuple[float, float]]:
    """Columns of a lone number row: the short header words on the lines just above it."""
    words = [(b[0], b[2], i) for i in range(max(first - HEADER_ROWS, 0), first) for b in rows[i]
             if not is_number(b) and b[2] - b[0] <= HEADER_WORD * (b[3] - b[1])]
    return [(a, b) for a, b, _ in _runs(words)]


def _fills(row: list[Box], columns: list[tuple[float, float]], is_number) -> bool:
    """Does the row put exactly one number under each column, and none between them?"""
    if len(columns) < 2:
        return False
    lo, hi = columns[0][0], columns[-1][1]
    inside = [b for b in row if is_number(b) and b[2] > lo and b[0] < hi]
    under = [[k for k, c in enumerate(columns) if _overlap((b[0], b[2]), c)] for b in inside]
    return len(inside) == len(columns) and sorted(u[0] for u in under if len(u) == 1) == list(range(len(columns)))


def _placed_row(row: list[Box], columns: list[tuple[float, float]], is_number, unsure: str) -> list[Box]:
    # a column a word of this row stands in is no number column here (a label under a header word)
    words = [(b[0], b[2]) for b in row if not is_number(b)]
    columns = [c for c in columns if not any(_overlap(w, c) for w in words)]
    if len(columns) < 2:
        return row
    lo, hi = columns[0][0], columns[-1][1]
    inside = [b for b in row if is_number(b) and b[2] > lo and b[0] < hi]
    if not inside or len(inside) >= len(columns):  # no cell missing: read in order, as before
        return row
    slots: dict[int, Box] = {}
    provable = True
    for b in inside:
        under = [k for k, c in enumerate(columns) if _overlap((b[0], b[2]), c)]
        if len(under) != 1 or under[0] in slots:
            provable = False
            break
        slots[under[0]] = b
    y0, y1 = min(b[1] for b in inside), max(b[3] for b in inside)
    out = [b for b in row if b not in inside]
    for k, (a, z) in enumerate(columns):
        if provable and k in slots:
            out.append(slots[k])
        else:  # blank, or not to be told which column its number belongs to
            out.append((a, y0, z, y1, unsure))
    return out


def placed(rows: list[list[Box]], is_number: Callable[[Box], bool], unsure: str) -> list[list[Box]]:
    """The rows (boxes grouped into lines, top to bottom) with each table row's numbers in
    their columns and OCR_UNSURE (``unsure``) in a column a row has no number for."""
    out = [list(r) for r in rows]
    for block in _blocks(rows, is_number):
        spans = [(b[0], b[2], i) for i in block for b in rows[i] if is_number(b)]
        if len(block) == 1:
            columns = _header_columns(rows, block[0], is_number)
        else:
            need = SUPPORT * len(block)
            columns = [(a, z) for a, z, at in _runs(spans) if len(at) >= need]
            # the columns stand only if most rows fill every one of them, one number under each
            # (a photographed page's columns drift as the sheet's keystone narrows: not these)
            if sum(_fills(rows[i], columns, is_number) for i in block) < need:
                continue
        if len(columns) < 2:
            continue
        for i in block:
            out[i] = _placed_row(rows[i], columns, is_number, unsure)
    return out
