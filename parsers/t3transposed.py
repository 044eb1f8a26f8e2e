"""Table 3 printed transposed: the applicant types as rows, the template's rows as columns.

Some offices turn the table: 自然人, 法人或其他组织—商业企业 … 总计 down the side, 本年新收 …
结转下年度 across the top.  Read only when every one of the seven applicant types heads a row
of exactly one number per template row, and the header names each column's template row in
the template's order (a column the header does not name must sit where the order puts it).
Otherwise None: the usual readers decide (and leave the table unaligned when they cannot).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .template import APPLICANT_COLS, ROWS_2019, ROWS_2021
from .tokens import Cell, line_cells, split_cells, squash

_TYPES = {"自然人": 0, "商业企业": 1, "科研机构": 2, "社会公益组织": 3, "法律服务机构": 4, "其他": 5, "总计": 6}
_GROUP = re.compile(r"^法人或者?其他组织[—\-－–:：、·]*")


def _type_of(label: str) -> int | None:
    text = _GROUP.sub("", squash(label))
    return _TYPES.get(text)


def read_transposed(lines: list[str], guess_row: Callable[..., str | None]):
    """(rows, row keys, warning) for a transposed table 3, or None."""
    by_type: dict[int, list[Cell]] = {}
    first = None
    lead = 1  # the type's label in the first cell, one number per cell after it
    for i, line in enumerate(lines):
        cells = split_cells(line)
        if not cells:
            continue
        t = _type_of(cells[0])
        if t is None:
            continue
        lc = line_cells(line)
        if t in by_type or lc.lead:
            return None
        by_type[t] = list(lc.values)
        first = i if first is None else first
    if len(by_type) != len(_TYPES) or first is None:
        return None
    n = {len(v) for v in by_type.values()}
    if len(n) != 1:
        return None
    n_cols = n.pop()
    keys = next((rows for rows in (ROWS_2021, ROWS_2019) if len(rows) == n_cols), None)
    if keys is None:
        return None
    # each value column's label: the lowest header cell printed at its position
    label_at: dict[int, str] = {}
    for line in lines[:first]:
        for ci, cell in enumerate(split_cells(line) or []):
            if cell.strip():
                label_at[ci] = cell
    named = 0
    for j, key in enumerate(keys):
        label = label_at.get(lead + j)
        guess = guess_row(label) if label else None
        if guess is not None and guess != key:
            return None  # the header names another row here: the order is not the template's
        named += guess == key
    if named < len(keys) - 4:
        return None  # too few columns named to prove their order
    rows = {key: [by_type[t][j] for t in range(len(APPLICANT_COLS))] for j, key in enumerate(keys)}
    return rows, keys, "table 3: printed transposed (applicant types as rows); read by its header"
