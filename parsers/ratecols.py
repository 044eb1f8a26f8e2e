"""Table 4 printed with a rate column (纠错率, 占比, %) beside the template's counts.

Some offices add the share of corrected cases after each group.  A rate is no count: read in the
printed sequence it would shift every number after it into the next key.  The columns are placed
only by the header cells standing over them (group names spanning their columns, an outcome or a
rate named over each column), so a rate can never reach a count key; when the header does not
prove each column, this reader declines and the template readers decide as before.
"""

from __future__ import annotations

import re

from .packedheader import header_grids
from .t4names import outcome_of, template_group_of
from .template import REVIEW_COLS, REVIEW_GROUPS
from .tokens import Cell, split_cells, squash, value_cell

RATE_HEADER = re.compile(r"率|占比|比例|比重|百分比|%|％")
# A character every RATE_HEADER match holds.  The header readings only cut and join the header's
# own cells, so a header without any of them has no rate column under any reading.
_RATE_CHAR = re.compile(r"[率比%％]")


def _column_groups(header: list[list[str]], width: int, spans_blanks: bool = True) -> list[str | None]:
    """The group each column stands under: a group name spans the blank cells to its right (a
    colspan), up to the next printed cell of its line (not in a laid-out header, whose merged
    cells name every column they span and whose blanks are covered from above)."""
    groups: list[str | None] = [None] * width
    for cells in header:
        current: str | None = None
        for j, c in enumerate(cells):
            text = squash(c)
            if text or not spans_blanks:
                current = template_group_of(text) if text else None
            if current is not None:
                if groups[j] not in (None, current):
                    groups[j] = "?"
                else:
                    groups[j] = current
    return groups


def read_rate_columns(lines: list[str]) -> tuple[list[Cell], list[str]] | None:
    """Table 4's 15 counts from a grid row that also prints rate columns, with a note naming the
    columns left out; None unless the header names a group and an outcome over every count
    column and a rate over every other column."""
    grid = [(i, cells) for i, line in enumerate(lines) if (cells := split_cells(line)) is not None]
    for k, (_i, row) in enumerate(grid):
        if sum(value_cell(c) is not None and value_cell(c).value is not None for c in row) < len(REVIEW_COLS):
            continue
        header = [cells for _j, cells in grid[:k]]
        width = len(row)
        if not header or not any(_RATE_CHAR.search(c) for cells in header for c in cells):
            return None
        if all(len(cells) == width for cells in header):
            placed = _placed(header, row)
            if placed is not None:
                return placed
        return _placed_every_way(header, row)
    return None


def _placed_every_way(header: list[list[str]], row: list[str]) -> tuple[list[Cell], list[str]] | None:
    """The counts when the header lists its merged cells once (DOCX, PDF): read under every way
    its lines can stand over the columns, taken only when all the ways that place them agree."""
    readings = {}
    for grid in header_grids(header, len(row)):
        placed = _placed(grid, row, spans_blanks=False)
        if placed is not None:
            readings[tuple(c.raw for c in placed[0])] = placed
    return next(iter(readings.values())) if len(readings) == 1 else None


def _placed(header: list[list[str]], row: list[str], spans_blanks: bool = True) -> tuple[list[Cell], list[str]] | None:
    width = len(row)
    groups = _column_groups(header, width, spans_blanks)
    placed: dict[tuple[str, str], Cell] = {}
    rates: list[str] = []
    for j in range(width):
        named = [squash(cells[j]) for cells in header if squash(cells[j])]
        is_rate = any(RATE_HEADER.search(t) for t in named)
        outcomes = {o for t in named if (o := outcome_of(t)) is not None}
        if is_rate:
            rates.append(f"{named[-1]}={row[j].strip()}")
            continue
        cell = value_cell(row[j])
        if len(outcomes) != 1 or groups[j] in (None, "?") or cell is None:
            return None
        key = (groups[j], outcomes.pop())
        if key in placed:
            return None
        placed[key] = cell
    wanted = [(g, c) for g in REVIEW_GROUPS for c in REVIEW_COLS]
    if not rates or set(placed) != set(wanted):
        return None
    note = f"table 4: rate columns ({', '.join(rates)}) left out; the 15 counts read by the header's groups"
    return [placed[key] for key in wanted], [note]
