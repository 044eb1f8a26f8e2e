"""A count cell printed 无 ("none") is the count 0 in tables 3 and 4.

Tables 3 and 4 hold nothing but counts of applications and of cases, and offices print their
zeros as 无 as often as 0: the word says there were none.  Table 2's cells are other things
(a body without the power prints 无 under 行政强制: not applicable), so there it stays null,
as do the dashes and blanks everywhere (docs/report-format.md, "Cells").
"""

from __future__ import annotations

from dataclasses import replace

from .tables import Table3, Table4
from .tokens import Cell

NONE_WORD = "无"


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


def none_as_zero_t4(t4: Table4 | None) -> Table4 | None:
    """Table 4 with each 无 cell read as 0."""
    if t4 is None or t4.unaligned:
        return t4
    return replace(t4, cells=_zeros(t4.cells), lost=_zeros(t4.lost) if t4.lost is not None else None)
