"""A ruled table 4 in another shape than the template's written on its grid, as HTML writes it.

pdf.table_rows drops the positions a merged cell covers, so a header row of merged cells comes
out as its texts side by side (行政复议, 行政诉讼) and a reader can no longer tell which columns
each one stands over.  For the template's 15 columns that is no loss (the numbers are read in
their fixed order), but a table 4 that leaves out its 总计 columns or prints 行政诉讼 as one group
is read by its header (parsers/t4header.py), and there the columns each header cell covers are
the proof.  The ruling lines give them: each merged cell's text is written in its first (top-left)
grid position and every position it covers is blank, as the HTML extractor writes a colspan.

Only a table that is a table 4 in such a shape is written this way: its header names 复议 or 诉讼
and the outcomes (结果维持 …), one row of numbers under it is its last row, and that row holds not
the template's 15 cells.  A grid column empty in every row (a sliver left by rules that do not
line up) is no column of the report's table and is left out.  The grid is written so only when
t4header then proves every printed column by its header (else the rows stay as pdf.table_rows
writes them: a part of a table 4, a table with rate columns, are no business of this module's).
"""

from __future__ import annotations

import re

from parsers.formats import clean_cell
from parsers.t4header import read_by_header
from parsers.tokens import squash, value_cell

Grid = list[list[str | None]]

_TEMPLATE_CELLS = 15
_OUTCOME = re.compile(r"维持|纠正|尚未审结")


def _number_row(row: list[str | None]) -> bool:
    """A row of values only (a blank cell among them is a blank value)."""
    texts = [c for c in row if c]
    return bool(texts) and all(value_cell(clean_cell(c)) is not None for c in texts)


def _is_table4(raw: Grid) -> bool:
    words = squash("".join(c for row in raw for c in row if c))
    return ("复议" in words or "诉讼" in words) and bool(_OUTCOME.search(words))


def positional(raw: Grid) -> list[str] | None:
    """The table's tab lines on its grid positions, or None to leave it to pdf.table_rows (not a
    table 4, the template's 15 cells, a ragged grid, numbers in more than its last row, or a header
    that does not prove each column)."""
    if not raw or len({len(r) for r in raw}) != 1 or not _is_table4(raw):
        return None
    filled = [r for r, row in enumerate(raw) if any(row)]
    numbers = [r for r in filled if _number_row(raw[r])]
    if numbers != filled[-1:] or len(filled) < 2:
        return None
    used = [c for c in range(len(raw[0])) if any(row[c] for row in raw)]
    last = raw[numbers[0]]
    # (a number row with a cell merged over two grid columns is no row this reading knows)
    if len(used) == _TEMPLATE_CELLS or any(last[c] is None for c in used):
        return None
    lines = []
    for r in filled:
        row = raw[r]
        if row[0] and all(c is None for c in row[1:]):
            lines.append(clean_cell(row[0]))  # one cell merged across the row (a caption): the row, not its first cell
            continue
        lines.append("\t".join(clean_cell(row[c] or "") for c in used))
    return lines if read_by_header(lines) is not None else None
