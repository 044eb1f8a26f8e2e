"""A ruled table 3 with blank cells written out on its columns, each blank in its column.

pdf.table_rows writes a row's cells without the positions merged cells cover, then keeps the
columns that hold text in some row counting cells from the left: a row of numbers reads the
same, but a row whose first cells are blank loses them or gains blanks at its end, so its
numbers land under the wrong columns (blank cells mean 0 under a note: blanknote.py).  Where
the ruled grid's header names the seven applicant columns (自然人, 商业企业…其他, 总计), a cell
of its own each, and some row prints a number beside a blank cell under them, every row is
written as its label cells and the seven cells under those columns: the ruling lines fix each
blank's column.  The part of the table continued on the next page, which prints no header, is
written the same way when its columns stand where the header's did (their x positions), its
label cells joined into as many as the header's part has.  A row
whose cells do not stand on the seven columns (one shifted past 总计, or a label over 自然人) is
written with every grid position from 自然人's on and one blank more, so that no reader takes
its cells for the seven.
"""

from __future__ import annotations

import re

from parsers.formats import clean_cell

_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_SPACE = re.compile(r"\s+")
_SAME_X = 3.0  # points: a column rule this close to the header page's is the same rule

Grid = list[list[str | None]]


def _name(cell: str | None) -> str:
    return _SPACE.sub("", cell or "")


def _header_columns(raw: Grid) -> list[int] | None:
    """The grid columns of the seven applicant columns, each named by one header cell, in order
    and side by side; None when the table is no table 3 or its header is not that."""
    at: dict[str, list[int]] = {}
    for row in raw:
        for c, cell in enumerate(row):
            if not cell or cell.isdigit():  # (the table's numbers and blanks name no column: most cells)
                continue
            name = _name(cell)
            if name in _COLUMNS:
                at.setdefault(name, []).append(c)
    if any(len(at.get(name, [])) != 1 for name in _COLUMNS):
        return None
    cols = [at[name][0] for name in _COLUMNS]
    return cols if cols == list(range(cols[0], cols[0] + len(cols))) else None


def _columns_at(xs: tuple[float, ...], edges: tuple[float, ...]) -> list[int] | None:
    """The grid columns of a table (rules ``xs``) whose left rules stand at ``edges`` (the header
    page's seven applicant columns' left rules and 总计's right one), each exactly once."""
    cols = []
    for x in edges[:-1]:
        near = [c for c in range(len(xs) - 1) if abs(xs[c] - x) <= _SAME_X]
        if len(near) != 1:
            return None
        cols.append(near[0])
    last = [i for i, x in enumerate(xs) if abs(x - edges[-1]) <= _SAME_X]
    if cols != list(range(cols[0], cols[0] + len(cols))) or not last or last[0] <= cols[-1]:
        return None
    return cols


class Columns:
    """The applicant columns' rules of the last table 3 header read, for its continuation on the
    next page (pdf.extract reads the pages in order)."""

    def __init__(self) -> None:
        self.edges: tuple[float, ...] | None = None
        self.labels = 0  # the header part's label columns


def positional(raw: Grid, xs: tuple[float, ...] = (), carry: Columns | None = None) -> list[str] | None:
    """The table's tab lines on the applicant columns, or None to leave it to pdf.table_rows (no
    applicant header nor a continuation of one, a ragged grid, or no blank cell under them)."""
    if not raw or len({len(r) for r in raw}) != 1:
        return None
    cols = _header_columns(raw)
    wide = len(xs) == len(raw[0]) + 1  # the grid's rules came with it
    labels = cols[0] if cols is not None else 0
    if cols is not None:
        if carry is not None:
            carry.edges = tuple(xs[c] for c in [*cols, cols[-1] + 1]) if wide else None
            carry.labels = labels
    elif carry is not None and carry.edges is not None:
        cols = _columns_at(xs, carry.edges) if wide else None
        if cols is None:
            carry.edges = None  # another table came between: the next one is no continuation
        labels = carry.labels
    if cols is None:
        return None
    first, last = cols[0], cols[-1]
    if not any(any(row[c] == "" for c in cols) and any(row[c] for c in cols) for row in raw):
        return None  # no row prints a number beside a blank cell: the usual reading is right
    names = set(_COLUMNS) | {"申请人情况", "法人或其他组织"}
    heads = [r for r, row in enumerate(raw) if any(_name(c) in names for c in row)]
    lines = []
    for r, row in enumerate(raw):
        label = [clean_cell(c or "") for c in row[:first]]
        if first != labels:  # a continuation with label columns of its own: joined into the header's
            label = [" ".join(t for t in label if t)] + [""] * (labels - 1)
        on = all(row[c] is not None for c in cols) and not any(row[last + 1:])
        if on or (heads and r <= heads[-1]):  # (a header row: its names over their columns)
            cells = [clean_cell(row[c] or "") for c in cols]
        else:  # off the seven columns: every position, and one more (see the module's docstring)
            cells = [clean_cell(c or "") for c in row[first:]] + [""]
        if any(label) or any(cells):
            lines.append("\t".join([*label, *cells]))
    return lines
