"""Table 4 printed in another shape than the template's 15 columns, read by its header cells.

Offices drop or merge table 4's columns: the 总计 columns left out (12 numbers), or 行政诉讼 as one
group of five instead of 未经复议直接起诉 and 复议后起诉 (10 numbers).  Read in the printed
sequence, such a row puts numbers in other columns; read by the header, each printed number
stands under a header that names its group and its outcome.  A number is placed only there: a
column whose header names exactly one group of the template (行政复议, 未经复议直接起诉, 复议后起诉)
and exactly one outcome (结果维持, 结果纠正, 其他结果, 尚未审结, 总计), with each group's columns side
by side in the template's order and no column named twice.  Anything else is not proof and
nothing is read (the table stays ``unaligned``).  A template cell with no column (a 总计 left out)
is null, not inferred; a group printed merged (行政诉讼 alone over five outcomes) is printed but
belongs to no one template group: its cells are null and said to be unread (``unread``).

Two header layouts show which column is which: a grid whose every header line has a cell per
column (the HTML extractors lay a merged cell's text in its first column and leave the columns it
covers blank: a blank takes the header to its left; so do a markdown table and a ruled PDF table,
formats/pdft4grid.py), or header lines that print each merged cell once (DOCX, a browser's copy):
the outcomes of the last line, after those a line above prints before its group cells, under the
groups the lines name in order.

What a header word names (结果维持, 尚结, 行政诉讼 …) is t4names', the table every reader of table 4's
header shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .t4names import COMBINED, group_of, outcome_of
from .template import REVIEW_COLS, REVIEW_GROUPS
from .tokens import Cell, split_cells, value_cell

_GROUP_ORDER = {"review": 0, COMBINED: 1, "litigation_direct": 1, "litigation_after_review": 2}


@dataclass
class HeaderRead:
    cells: list[Cell | None]  # the template's 15 cells: None where no printed column is the cell's
    unread: tuple[str, ...]  # template groups whose numbers are printed merged into one group: not read
    warning: str


def _column(words: list[str]) -> tuple[str, str] | None:
    """(group, outcome) a column's header words name, each exactly once; a subgroup (直接起诉)
    under 行政诉讼 is the subgroup."""
    groups = {g for w in words if (g := group_of(w))}
    if groups & {"litigation_direct", "litigation_after_review"}:
        groups.discard(COMBINED)
    outcomes = {o for w in words if (o := outcome_of(w))}
    if len(groups) != 1 or len(outcomes) != 1 or any(group_of(w) is None and outcome_of(w) is None for w in words):
        return None
    return groups.pop(), outcomes.pop()


def _grid_columns(header: list[list[str]], n: int) -> list[tuple[str, str] | None] | None:
    """Each column's (group, outcome) from header lines of n cells each."""
    words: list[list[str]] = [[] for _ in range(n)]
    for cells in header:
        carry = None
        for j, c in enumerate(cells):
            carry = c or carry
            if carry:
                words[j].append(carry)
    return [_column(w) for w in words]


def _sequence_columns(header: list[list[str]], n: int) -> list[tuple[str, str] | None] | None:
    """Each column's (group, outcome) from header lines that print each merged cell once.

    The outcomes are read left to right: those a line above prints before its group cells (a
    group's outcome cells merged down beside the groups the lines below split: 行政复议's four
    left of 未经复议直接起诉 and 复议后起诉), then the last line's, which must name only outcomes.
    Each line's outcomes are cut into runs (a run ends where the outcomes start over), and the
    groups the lines name in order (行政诉讼 replaced by the subgroups a line under it names) take
    one run each.  Outcomes from more than one line are taken only when every run names the same
    outcomes: then the count of numbers and the order of the words leave one reading."""
    if not header:
        return None
    last = [outcome_of(c) if group_of(c) is None else None for c in header[-1]]
    if None in last:
        return None
    groups: list[str] = []
    parts: list[list[str]] = []  # the outcomes of each line that prints some, left to right
    for cells in header[:-1]:
        printed = [c for c in cells if c]
        k = 0
        while k < len(printed) and group_of(printed[k]) is None and outcome_of(printed[k]) is not None:
            k += 1
        if k:
            if k == len(printed):
                return None  # a line of outcomes only above the last: which group's is not shown
            parts.append([outcome_of(c) for c in printed[:k]])
        named = [g for c in printed[k:] if (g := group_of(c))]
        if len(named) != len(printed) - k:
            return None  # a cell naming no group: a header this reading does not know
        subs = [g for g in named if g != COMBINED and g != "review"]
        if subs and COMBINED in groups:
            at = groups.index(COMBINED)
            groups[at:at + 1] = subs
            named = [g for g in named if g not in subs]
        groups += [g for g in named if g not in groups]
    parts.append(last)
    runs: list[list[str]] = []
    for part in parts:
        for j, o in enumerate(part):
            if j == 0 or REVIEW_COLS.index(o) <= REVIEW_COLS.index(part[j - 1]):
                runs.append([])
            runs[-1].append(o)
    if len(groups) != len(runs) or sum(map(len, runs)) != n:
        return None
    if len(parts) > 1 and any(run != runs[0] for run in runs):
        return None
    return [(g, o) for g, run in zip(groups, runs, strict=True) for o in run]


def _sound(columns: list[tuple[str, str] | None]) -> bool:
    """Every column named; each group's columns side by side, its outcomes in the template's order,
    the groups in the template's order; no (group, outcome) twice."""
    if any(c is None for c in columns) or len(set(columns)) != len(columns):
        return False
    seen: list[str] = []
    for j, (g, o) in enumerate(columns):
        if seen and seen[-1] == g:
            if REVIEW_COLS.index(o) <= REVIEW_COLS.index(columns[j - 1][1]):
                return False
            continue
        if g in seen or (seen and _GROUP_ORDER[g] <= _GROUP_ORDER[seen[-1]]):
            return False
        seen.append(g)
    return not ({COMBINED, "litigation_direct"} <= set(seen) or {COMBINED, "litigation_after_review"} <= set(seen))


def _rule_line(cells: list[str]) -> bool:
    """A markdown table's line under its first row (|---|---|): no cell of the report's table."""
    return all(_RULE.fullmatch(c) for c in cells if c)


_RULE = re.compile(r":?-{3,}:?")


def read_by_header(lines: list[str]) -> HeaderRead | None:
    """Table 4's cells placed by the header over its one row of numbers; None unless every
    printed column is proved by its header (and the shape is not the template's 15 columns)."""
    rows = [(i, cells) for i, line in enumerate(lines)
            if (cells := split_cells(line)) is not None and any(cells) and not _rule_line(cells)]
    numbers = [(i, cells) for i, cells in rows
               if all(not c or value_cell(c) is not None for c in cells) and any(value_cell(c) for c in cells if c)]
    if len(numbers) != 1:
        return None
    at, values = numbers[0]
    n = len(values)
    header = [cells for i, cells in rows if i < at]
    if not header or n == len(REVIEW_GROUPS) * len(REVIEW_COLS):
        return None
    if all(len(cells) == n for cells in header):
        columns = _grid_columns(header, n)
    else:
        columns = _sequence_columns(header, n)
    if columns is None or not _sound(columns):
        return None
    cells: list[Cell | None] = [None] * (len(REVIEW_GROUPS) * len(REVIEW_COLS))
    merged = any(g == COMBINED for g, _o in columns)
    unread = ("litigation_direct", "litigation_after_review") if merged else ()
    for (g, o), raw in zip(columns, values, strict=True):
        if g == COMBINED:
            continue
        cells[REVIEW_GROUPS.index(g) * len(REVIEW_COLS) + REVIEW_COLS.index(o)] = value_cell(raw) or Cell(None, "")
    missing = [f"{g}.{c}" for k, (g, c) in enumerate((g, c) for g in REVIEW_GROUPS for c in REVIEW_COLS)
               if cells[k] is None and g not in unread]
    warning = (f"table 4 printed in {n} columns; read by its header"
               + (f" (not printed: {', '.join(missing)})" if missing else "")
               + ("; 行政诉讼 printed as one group, not split into 未经复议直接起诉 and 复议后起诉: not read" if unread else ""))
    return HeaderRead(cells, unread, warning)
