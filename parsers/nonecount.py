"""A count cell printed 无 ("none") is the count 0 in tables 3 and 4.

Tables 3 and 4 hold nothing but counts of applications and of cases, and offices print their
zeros as 无 as often as 0: the word says there were none.  Table 2's cells are other things
(a body without the power prints 无 under 行政强制: not applicable), so there it stays null,
as do the dashes and blanks everywhere (docs/report-format.md, "Cells").

An office with no case at all may print table 4 as its header over one cell 无 merged across the
fifteen columns: then every cell is 0.  Only a 无 that is its row's one cell (the extractors give a
merged cell over a whole row as a line of its own) says so; a 无 beside blank cells (one to a group
at most) may be one cell's or a merged group's, and which cells it speaks for cannot be told: the
table is then null, with a finding, never 0 in one cell and null in the rest.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .tables import N_REVIEW, Table3, Table4
from .template import REVIEW_GROUPS
from .tokens import Cell, line_cells, split_cells, squash

NONE_WORD = "无"
# table 4's outcome columns, whose header shows the table is printed (their order varies in dumps)
_T4_WORDS = (re.compile("维持"), re.compile("纠正"), re.compile("尚未|审结"))


def _zero(cell: Cell | None) -> Cell | None:
    if cell is not None and cell.value is None and cell.raw.strip() == NONE_WORD:
        return Cell(0, cell.raw)
    return cell


def _zeros(cells: list) -> list:
    return [_zero(c) for c in cells]


def none_as_zero_t3(t3: Table3 | None) -> Table3 | None:
    """Table 3 with each 无 cell read as 0 (rows, and rows printed with a cell lost)."""
    if t3 is None or t3.unaligned:
        return t3
    return replace(t3, rows={k: _zeros(v) for k, v in t3.rows.items()},
                   lost={k: _zeros(v) for k, v in t3.lost.items()})


def none_as_zero_t4(t4: Table4 | None, region: list[str] = ()) -> Table4 | None:
    """Table 4 with each 无 cell read as 0; a table whose one printed cell is 无 (``region``: its
    lines) is all 0 where that cell is its row, else null."""
    whole = _one_none(region)
    if whole is not None:
        return whole
    if t4 is None or t4.unaligned:
        return t4
    return replace(t4, cells=_zeros(t4.cells), lost=_zeros(t4.lost) if t4.lost is not None else None)


def _one_none(region: list[str]) -> Table4 | None:
    """Table 4 when its header is printed and its only cells are one 无 to a group at most, the rest
    blank (else None: not this shape)."""
    printed = [(line, lc) for line in region if (lc := line_cells(line)).values]
    cells = [c for _, lc in printed for c in lc.values if c.raw.strip()]
    if not cells or len(cells) > len(REVIEW_GROUPS) or any(c.raw.strip() != NONE_WORD for c in cells):
        return None
    text = squash("".join(region))
    if not all(w.search(text) for w in _T4_WORDS):
        return None
    line = printed[0][0]
    if len(printed) == 1 and split_cells(line) is None and squash(line) == NONE_WORD:
        return Table4([Cell(0, NONE_WORD)] * N_REVIEW)
    why = (f"table 4 prints {len(cells)} 无 beside blank cells: whether each stands for its group or the whole"
           " table (a merged cell) or for one cell cannot be told; not placed")
    return Table4([None] * N_REVIEW, None, [why], why)
