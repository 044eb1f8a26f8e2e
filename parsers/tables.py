"""Reading the three template tables out of the lines of their section.

The layout of a dump is not trusted: cells may be one per line, one row per line, or spaces
between numbers.  What is trusted is the template: table 3 rows of 7 cells in a fixed row
order, table 4 as 15 cells, table 2 rows named by fixed labels.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import combinations

from .cellwrap import column_piece, cut_grouping, joined_by_column, joins, tail_pieces, whole, wrapped_total
from .colorder import order_departs, order_proved, reading_order
from .grouprows import GROUPS, GroupOnly, lone_groups, printed_heading
from .labelsfirst import read_labels_first, read_pages
from .ratecols import read_rate_columns
from .rowlabel import label_row
from .rowslot import slot_row
from .subtotals import SUBTOTAL_NAMES
from .subtotals import check as check_subtotal
from .t4header import read_by_header
from .t4names import outcome_of, template_group_of
from .t4order import described, header_order, reorder
from .template import (
    ACTIVE_COL_HEADERS,
    ALL_APPLICATION_ROWS,
    APPLICANT_COLS,
    OTHER_ROWS,
    REVIEW_COLS,
    REVIEW_GROUPS,
    ROW_KEYWORD_RES,
    ROW_LABELS,
    ROWS_2019,
    active_rows,
)
from .threecols import as_seven_columns
from .tokens import (
    OCR_UNSURE,
    Cell,
    LineCells,
    layout_columns,
    line_cells,
    parse_memo,
    split_cells,
    split_value_runs,
    squash,
    value_cell,
)
from .transposed import read_transposed
from .truncation import EOF_CUT
from .unplaced import Unplaced
from .zeros import BLANK_NULL, NOT_PRINTED

WIDTH = len(APPLICANT_COLS)
_RUN = 3  # numbers in a row that label text after them does not make label text
_MAX_PLAIN_LABEL = 40  # a long plain line ending in one or two numbers is narrative, not a row


@dataclass
class Group:
    """Consecutive value cells that belong to one printed row, with the label text before them."""

    label: str
    values: list[Cell]
    trail: int = 0
    tabbed: bool = False
    after: str = ""  # label text on the row's own line and below it, up to the next row
    parts: tuple[str, ...] = ()  # the label's lines, for single values gathered over several lines
    lines: int = 1  # lines the values were printed on (one cell per line: one line per value)
    lead: int = 0  # blank cells printed between the label and the first value (a tabbed row)
    unread: str = ""  # why the row's printed numbers cannot be read (then the row is null)
    fields: int = 0  # cells of a tabbed row's line, blank ones included (0: not tabbed)


def grid_window(lines: list[str], width: int) -> tuple[int, int] | None:
    """(cells per row, first value column) when the region is a clean grid, else None.

    Extractors that normalise tables to their grid give every row the same number of cells,
    with the values in the same last columns; then a blank cell is a printed blank wherever
    it sits.  Dumps whose rows drift (values starting in different columns) are not grids.

    Within a parse (tokens.parse_memo) each region is looked at once: table 3's blank-cell
    placement (blanknote) and its reader ask about the same lines.
    """
    memo = parse_memo()
    if memo is None:
        return _grid_window(lines, width)
    key = (grid_window, width, tuple(lines))
    if key not in memo:
        memo[key] = _grid_window(lines, width)
    return memo[key]


def _grid_window(lines: list[str], width: int) -> tuple[int, int] | None:
    count = None
    lo, hi, rows = 10**6, -1, 0
    for line in lines:
        cells = split_cells(line)
        if cells is None:
            continue
        idx = [i for i, c in enumerate(cells) if value_cell(c) is not None]
        if not idx:
            continue
        if count is None:
            count = len(cells)
        elif len(cells) != count:
            return None
        lo, hi, rows = min(lo, idx[0]), max(hi, idx[-1]), rows + 1
    if count is None or rows < 5 or hi - lo + 1 > width or hi + 1 < width:
        return None
    return count, hi + 1 - width


def _grid_row(line: str, grid: tuple[int, int], width: int) -> LineCells | None:
    """Positional reading of one grid row; None if the line is not a data row of the grid."""
    cells = split_cells(line)
    if cells is None or len(cells) != grid[0]:
        return None
    start = grid[1]
    window = cells[start : start + width]
    if any(c and value_cell(c) is None for c in window) or not any(window):
        return None
    labels = [c for c in cells[:start] + cells[start + width :] if c]
    return LineCells(labels, [value_cell(c) or Cell(None, c) for c in window], tabbed=True)


def _blank_grid_row(line: str, grid: tuple[int, int], width: int) -> LineCells | None:
    """A grid row whose number cells are all blank, labelled only before them: a row of its own
    (all null, or the note's zeros), not label text for the next row to take as its own."""
    cells = split_cells(line)
    if cells is None or len(cells) != grid[0] or any(cells[grid[1]:]) or not any(cells[:grid[1]]):
        return None
    return LineCells([c for c in cells[:grid[1]] if c], [Cell(None, "")] * width, tabbed=True)


def numbers_below(lines: list[str], i: int, grid: tuple[int, int]) -> bool:
    """Whether the grid's next line holds numbers and no label: the numbers of line ``i``'s label,
    printed a grid row lower (a label cell spanning two rows), so line ``i`` is no row of blanks."""
    nxt = next((ln for ln in lines[i + 1:] if ln.strip()), None)
    cells = split_cells(nxt) if nxt is not None else None
    return (cells is not None and len(cells) == grid[0] and not any(cells[:grid[1]])
            and any(value_cell(c) is not None for c in cells[grid[1]:]))


def group_rows(lines: list[str], width: int | None = None, expect: int | None = None) -> list[Group]:
    """Cut a table region into rows of values.

    A line with two or more values is a row on its own; single values on consecutive lines
    (one cell per line dumps) are gathered until label text interrupts them.  With `width`,
    a region that is a clean grid is read positionally.
    """
    groups: list[Group] = []
    label_parts: list[str] = []
    pending: list[Cell] = []
    grid = grid_window(lines, width) if width else None
    columns = layout_columns(lines, width) if width and not grid else None

    def flush() -> None:
        nonlocal pending
        if pending:
            groups.append(Group("".join(label_parts), pending, parts=tuple(label_parts), lines=len(pending)))
            label_parts.clear()
            pending = []

    if width and not grid:
        lines = [piece for line in lines for piece in split_value_runs(line, _RUN)]
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        blank = grid and width and not numbers_below(lines, i, grid)
        lc = (_grid_row(line, grid, width) or (_blank_grid_row(line, grid, width) if blank else None)
              if grid and width else None) or line_cells(
            line, expect or width, columns if not expect else None
        )
        if not lc.tabbed and lc.labels and len(lc.labels[0]) > _MAX_PLAIN_LABEL and len(lc.values) < 3:
            flush()
            continue
        text = squash("".join(lc.labels)) if lc.labels else ""
        if text:
            flush()
            label_parts.append(text)
        if len(lc.values) >= 2 or (lc.values and lc.labels):
            flush()
            groups.append(
                Group("".join(label_parts), list(lc.values), lc.trail, lc.tabbed, text, tuple(label_parts),
                      lead=lc.lead, fields=len(split_cells(line) or ()) if lc.tabbed else 0)
            )
            label_parts.clear()
        elif lc.values:
            pending.extend(lc.values)
        elif text and groups and not pending:
            groups[-1].after += text
    flush()
    return groups


# ---- table 3 --------------------------------------------------------------------------------


@dataclass
class Table3:
    rows: dict[str, list[Cell | None]]  # row key -> 7 cells (None = not present in the dump)
    lost: dict[str, list[Cell]] = field(default_factory=dict)  # rows printed with one cell missing
    extra_rows: list[dict] = field(default_factory=list)
    row_keys: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    label_hits: int = 0  # rows whose printed label named the template row they were placed in
    unaligned: str | None = None  # why no number could be put in its row (then every cell is None)


def _literal_guard(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which a text must hold for the keyword pattern to match in it.

    Derived from plain patterns (`a|b`, `(?:a|b)$`); None for any other regex syntax.
    """
    pat = rx.pattern.removesuffix("$")
    if pat.startswith("(?:") and pat.endswith(")"):
        pat = pat[3:-1]
    alts = pat.split("|")
    if not all(a and re.escape(a) == a for a in alts):
        return None
    return tuple(alts)


_GUARDED_KEYWORDS = tuple((key, rx, _literal_guard(rx)) for key, rx in ROW_KEYWORD_RES)
_GUARD_LITERALS = tuple((lit, i) for i, (_k, _rx, g) in enumerate(_GUARDED_KEYWORDS) for lit in g or ())


def guess_row(label: str, last: bool = True) -> str | None:
    """Row key named by a label's text.

    Reading labels before the numbers, the previous row's label often spills into the text,
    so the last keyword wins; reading the text from the numbers' line down (layouts that
    print a wrapped label's first line beside the numbers), the first keyword wins.
    """
    text = label[-40:] if last else label[:40]
    return _guess_row(text, last) if text else None


@lru_cache(maxsize=1 << 12)  # the template's labels repeat in every report
def _guess_row(text: str, last: bool) -> str | None:
    present = {i for lit, i in _GUARD_LITERALS if lit in text}  # cheap test before each regex
    best: tuple[int, str] | None = None
    for i, (key, rx, guard) in enumerate(_GUARDED_KEYWORDS):
        if guard is not None and i not in present:
            continue
        if last:
            for m in rx.finditer(text):
                if best is None or m.end() > best[0]:
                    best = (m.end(), key)
        else:
            # matches come in text order: only the first can start before the best so far
            m = rx.search(text)
            if m is not None and (best is None or m.start() < best[0]):
                best = (m.start(), key)
    return best[1] if best else None


def _merge_broken(groups: list[Group]) -> list[Group]:
    """Re-join a row whose cells a layout wrapped onto two lines (no label between the parts).

    The parts are joined only when the joined row adds up: where one part is a run of one cell per
    line, the other part's two or three numbers on one line show a dump that orders cells by
    position (a cell a hair higher comes out ahead and shares a line with another), and two runs on
    lines of their own may be the digits of numbers wrapped in their cells (a sparse table's 19 …
    19 over 09 18 19 5 51 is 1909 … 1951, not seven cells).  A lone number below a row of six may be only the tail of its
    总计, wrapped in the cell with the head above the row's line (`_wrapped_head`).
    """
    out: list[Group] = []
    for g in _merge_three(groups):
        prev = out[-1] if out else None
        if (
            prev is not None
            and not g.label
            and len(prev.values) < WIDTH
            and len(g.values) < WIDTH
            and len(prev.values) + len(g.values) == WIDTH
            # two pieces of numbers are one row only where it adds up: in a sparse dump the digits of
            # numbers wrapped in their cells (19 / 09 of 1909) also come as two short runs
            and (len(g.values) == 1 and prev.lines == 1 and g.lines == 1 or _adds_up_or_zero(prev.values + g.values))
        ):
            values = _wrapped_head(out, g) if len(g.values) == 1 else prev.values + g.values
            if values is None:
                out.append(g)  # the lone number is the tail of a 总计 wrapped in its cell: no cell of its own
                continue
            prev = out[-1]
            merged = Group(prev.label, values, g.trail, prev.tabbed and g.tabbed)
            merged.lines = prev.lines + g.lines
            out[-1] = merged
        else:
            out.append(g)
    return out


def _wrapped_head(out: list[Group], g: Group) -> list[Cell] | None:
    """The 7 cells of a row of six (`out[-1]`) and the lone number `g` printed below it, or None
    when that number is the tail of a 总计 wrapped in its cell, whose head sits above the row's
    line (in its label text when it reads as no number: "2,47"; else a lone number just before
    it).  The joined total is taken when the row then adds up; the tail alone never is."""
    prev = out[-1]
    merged = prev.values + g.values
    if _adds_up_or_zero(merged):
        return merged
    before = out[-2] if len(out) >= 2 else None
    lone_before = before is not None and not before.tabbed and tail_pieces(before.values) and len(before.values) == 1
    head = cut_grouping(prev.label) or (before.values[0].raw if lone_before and before else None)
    if head is None:
        return merged
    joined = wrapped_total(prev.values, head, g.values[0])
    if joined is not None and lone_before and not cut_grouping(prev.label):
        del out[-2]  # the head's own group: a piece of this row's 总计
    return joined


def _piece(g: Group | None, any_label: bool = False) -> bool:
    """Whether a group is a few bare digits on one line, no row of its own: a wrapped cell's head
    or tail, alone or after label text that names no row (`any_label`: after any label)."""
    return (
        g is not None and not g.tabbed and g.lines == 1 and tail_pieces(g.values)
        and (any_label or not g.label or guess_row(g.label) is None and guess_row(g.label, last=False) is None)
    )


def _wrapped_pieces(groups: list[Group]) -> tuple[list[Group], list[str]]:
    """Rows of 7 whose numbers a narrow cell wrapped, a head or tail on a line of its own (`cellwrap`).

    Digits just above a row's label (heads: a cell's first line printed higher than the row's
    text), on the label's line above a row printed without its label, or just below a row
    (tails), alone or beside label text that names no row (a position-keeping dump prints the
    label column's next line beside them), are joined to the row's cells only when exactly one
    reading adds up and the row as printed does not ("09" is never printed as a number, so a row
    holding one does not).  When the row adds up as printed and no join does, the digits are no
    part of it (they stay outside any row).  Otherwise any of its cells may be a piece of a
    wrapped number, and the row is not read: bare digits beside it say so; digits beside label
    text prove nothing either way, and the row stays as printed."""
    out: list[Group] = []
    warnings: list[str] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if len(g.values) != WIDTH:
            out.append(g)
            i += 1
            continue
        by_column = _column_wrapped(g, groups, i + 1)
        if by_column is not None:
            row, taken, note = by_column
            (warnings if not row.unread else []).append(note)
            out.append(row)
            i += 1 + taken
            continue
        prev = out[-1] if out else None
        nxt = groups[i + 1] if i + 1 < len(groups) else None
        # a row printed without its label: the label's line above may hold the heads of its numbers
        head = prev if _piece(prev, any_label=not g.label) and (g.label or prev and prev.label) else None
        tail = nxt if _piece(nxt) else None
        if g.tabbed:  # a cell whose text holds a line break (a tool's dump of a tab-separated row): a
            # bare tail under it is joined only with proof, else the row stays as printed (a page
            # number can stand there too)
            head = None
            if tail is not None and tail.label:
                tail = None
        as_printed = whole(g.values) and _adds_up_or_zero(g.values)
        combos = {(id(h), id(t)): (h, t) for h, t in ((head, None), (None, tail), (head, tail)) if h or t}
        readings = [(r, h, t) for h, t in combos.values()
                    for r in joins(g.values, h.values if h else [], t.values if t else [])]
        if (head is None and tail is None) or (as_printed and not readings):
            out.append(g)
            i += 1
            continue
        pieces = " / ".join(" ".join(c.raw for c in p.values) for p in (head, tail) if p)
        printed = f"{' '.join(c.raw for c in g.values)}; {pieces}"
        if len(readings) == 1 and not as_printed:
            row, h, t = readings[0]
            label, parts, after = g.label, g.parts, g.after
            if h is not None:
                out.pop()
                if not g.label:
                    label, parts, after = h.label, h.parts, h.after + g.after
            warnings.append(f"table 3 row '{label[:20]}': numbers wrapped in their cells ({printed}) read whole;"
                            " the row adds up so")
            out.append(Group(label, row, g.trail, False, after + (t.after if t else ""), parts, g.lines))
            i += 2 if t is not None else 1
            continue
        bare = (head is not None and not head.label) or (tail is not None and not tail.label)
        if not bare or g.tabbed:
            out.append(g)  # digits beside label text (a label column's line): taken only with proof
            i += 1
            continue
        why = (f"table 3 row '{g.label[:20]}': digits beside the row ({printed}) may be pieces of numbers wrapped in"
               " their cells, and no one reading adds up; not placed")
        out.append(Group(g.label, g.values, g.trail, False, g.after, g.parts, g.lines, unread=why))
        i += 1
    return out, warnings


def _column_wrapped(g: Group, groups: list[Group], start: int) -> tuple[Group, int, str] | None:
    """A tab-separated row of 7 that does not add up, with label-less tabbed lines of bare digits
    below it (its cells' text broke over lines; `cellwrap.column_piece`): (the row, lines taken,
    note).  The digits are joined under their tab positions when all the lines together make the
    row add up and fewer do not; otherwise the row is not read (its first line's digits are no
    numbers of it).  None when the row adds up as printed or no such line follows it."""
    if not g.tabbed or g.lead or g.unread or len(g.values) != WIDTH or _adds_up_or_zero(g.values):
        return None
    pieces: list[dict[int, str]] = []
    for h in groups[start:]:
        piece = None if h.label or not h.tabbed or h.lines != 1 else column_piece(h.lead, h.fields, h.values, WIDTH)
        if piece is None or (len(h.values) == WIDTH and _adds_up_or_zero(h.values)):  # a row of its own, label lost
            break
        pieces.append(piece)
    if not pieces:
        return None
    printed = f"{' '.join(c.raw for c in g.values)}; " + " / ".join(
        " ".join(p.get(col, "_") for col in range(WIDTH)) for p in pieces)
    row = joined_by_column(g.values, pieces)
    after = groups[start + len(pieces)] if start + len(pieces) < len(groups) else None
    if row is None and after is not None and _piece(after) and not after.label and len(after.values) == 1:
        # a last line holding one digit lost its tab position (a lone number): it is taken only in
        # the one column where it completes a reading that adds up
        loose = after.values[0].raw
        found = {tuple(c.raw for c in r): r for col in range(WIDTH)
                 if (r := joined_by_column(g.values, [*pieces, {col: loose}])) is not None}
        if len(found) == 1:
            row, printed = next(iter(found.values())), f"{printed} / {loose}"
            pieces.append({})
    if row is not None:
        note = (f"table 3 row '{g.label[:20]}': numbers whose cells broke over {len(pieces) + 1} lines ({printed})"
                " joined by their columns; the row adds up so")
        return Group(g.label, row, g.trail, True, g.after, g.parts, g.lines, fields=g.fields), len(pieces), note
    why = (f"table 3 row '{g.label[:20]}': tabbed lines of digits under the row ({printed}) may be the rest of its"
           " cells' numbers, and no reading of them adds up; not placed")
    return Group(g.label, g.values, g.trail, True, g.after, g.parts, g.lines, unread=why, fields=g.fields), len(pieces), why


def _merge_three(groups: list[Group]) -> list[Group]:
    """Re-join a row a layout printed in three pieces (`103 0 3` / `2` / `0 5 113`).

    A cell set a little lower than its neighbours (a header wrapped to two lines pushes one
    column's text down) makes the dump break the row around it.  The pieces are joined only when
    each is one line (a dump printing a line's cells in order; one cell per line is a dump sorting
    cells by position, whose order within the row the sum cannot prove), nothing labels the second
    and third, together they are exactly one row and the joined row adds up; otherwise they stay
    pieces and the row is not placed.
    """
    out: list[Group] = []
    i = 0
    while i < len(groups):
        trio = groups[i : i + 3]
        cells = [c for g in trio for c in g.values]
        if (
            len(trio) == 3
            and not any(g.label for g in trio[1:])
            and all(0 < len(g.values) < WIDTH - 1 and g.lines == 1 for g in trio)
            and len(cells) == WIDTH
            and _adds_up_or_zero(cells)
        ):
            first, last = trio[0], trio[-1]
            merged = Group(first.label, cells, last.trail, all(g.tabbed for g in trio), first.after + last.after,
                           first.parts, lead=first.lead)
            merged.lines = sum(g.lines for g in trio)
            out.append(merged)
            i += 3
            continue
        out.append(groups[i])
        i += 1
    return out


_STRAY_CELLS = 2  # cells beyond 7 that a row may pick up from a label column (无 of 无法提供)




def _adds_up(cells: list[Cell]) -> bool:
    """The six applicant cells sum to a printed 总计 that is not 0 (a dash counts as nothing).

    A row of zeros adds up whichever cells are taken, so it proves no reading."""
    return bool(cells[-1].value) and _adds_up_or_zero(cells)


def _adds_up_or_zero(cells: list[Cell]) -> bool:
    """The six applicant cells sum to the printed 总计, 0 included (every order of zeros is the same)."""
    total = cells[-1].value
    return total is not None and abs(sum(c.value or 0 for c in cells[:-1]) - total) < 1e-6


def _all_zero(cells: list[Cell]) -> bool:
    return all(c.value == 0 for c in cells)


def _summing_window(values: list[Cell]) -> list[Cell] | None:
    """The 7 consecutive cells of an over-long row that add up, when only one such reading exists.

    A row takes a cell too many when a stacked label's character reads as a value (无 of the
    vertical 无法提供, a stray item number).  Which end the stray sits at is unknown; keeping a
    fixed end shifted every number of the row by one column.  Rows far longer than 7 are not
    rows of this table at all (a table printed sideways) and get no reading.
    """
    n = len(values)
    if n - WIDTH > _STRAY_CELLS:
        return None
    if any(not _adds_up(values[k : k + WIDTH]) and _all_zero(values[k : k + WIDTH]) for k in range(n - WIDTH + 1)):
        return None  # a window of zeros adds up too: no reading is proved
    found = {
        tuple(c.raw for c in values[k : k + WIDTH]): values[k : k + WIDTH]
        for k in range(n - WIDTH + 1)
        if _adds_up(values[k : k + WIDTH])
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _split_groups(groups: list[Group]) -> tuple[list[Group], list[str]]:
    """Give every group at most 7 values: split runs of several rows, pad a blank 总计 column."""
    out: list[Group] = []
    # whole rows have 7 cells after the label and no blank cells around them: then a row's blank
    # cells are printed blanks of the grid (with a blank label cell, one of them would not be)
    seven = all(not g.lead and not g.trail for g in groups if g.tabbed and len(g.values) == WIDTH)
    # the cells of a whole row's line, the grid's blanks included: a shorter row's line lost a cell
    # (its values may have slid left over it), it printed no blank at its end
    whole = {g.fields for g in groups if g.tabbed and g.fields and len(g.values) == WIDTH}
    joined, warnings = _wrapped_pieces(_merge_broken(groups))
    for g in joined:
        n = len(g.values)
        if n > WIDTH and n % WIDTH == 0:
            for k in range(0, n, WIDTH):
                out.append(Group(g.label if k == 0 else "", g.values[k : k + WIDTH]))
        elif n > WIDTH:
            window = _summing_window(g.values)
            printed = " ".join(c.raw for c in g.values)
            if window is None and any(c.raw == OCR_UNSURE for c in g.values):
                # the OCR was unsure in this row, so which cell is the stray cannot be told: every
                # cell is the OCR's unsure cell (null, flagged for checking against the scan)
                warnings.append(f"table 3 row '{g.label[:20]}' has {n} cells ({printed}) with unread cells; not placed")
                unsure = [Cell(None, OCR_UNSURE)] * WIDTH
                out.append(Group(g.label, unsure, g.trail, g.tabbed, g.after, g.parts))
            elif window is None:
                warnings.append(f"table 3 row '{g.label[:20]}' has {n} cells ({printed}); not placed")
                out.append(Group(g.label, [], g.trail, g.tabbed, g.after, g.parts))
            else:
                warnings.append(f"table 3 row '{g.label[:20]}' has {n} cells ({printed}); kept the 7 that add up")
                out.append(Group(g.label, window, g.trail, g.tabbed, g.after, g.parts))
        elif n < WIDTH and g.tabbed and not g.lead and g.trail >= WIDTH - n and (len(whole) != 1 or g.fields in whole):
            # a blank trailing cell in a tabbed row is a printed blank, not a lost cell
            out.append(Group(g.label, g.values + [Cell(None, "")] * (WIDTH - n)))
        elif n <= WIDTH - 2 and g.tabbed and g.lead and g.lead + n + g.trail == WIDTH and seven:
            # blank cells before the first value of a row of exactly 7 cells after its label (a
            # department's table filled in only under 总计): printed blanks of the grid
            blank = Cell(None, "")
            out.append(Group(g.label, [blank] * g.lead + g.values + [blank] * g.trail, 0, True, g.after, g.parts))
        else:
            out.append(g)
    return out, warnings


_MATCH, _UNKNOWN, _MISMATCH, _SKIP_GROUP, _SKIP_ROW, _SKIP_OPTIONAL = 0.0, 1.0, 3.0, 2.5, 2.0, 0.4


def _align(guesses: list[str | None], rows: tuple[str, ...], optional: frozenset[str]):
    """Monotone alignment of printed rows to template rows (edit distance on labels).

    The hot loop of table 3: the cost table is filled row by row keeping costs only, and the
    path is recovered afterwards by asking which predecessor gave each cell its cost; on a tie
    the diagonal wins over skipping a group, which wins over skipping a template row.
    """
    in_order = _in_template_order(guesses, rows, optional)
    if in_order is not None:
        return in_order
    m, n = len(guesses), len(rows)
    skip_row = [_SKIP_OPTIONAL if r in optional else _SKIP_ROW for r in rows]
    first = [0.0]
    for sk in skip_row:
        first.append(first[-1] + sk)
    cost = [first]
    prev = first
    match, skip_group = _MATCH, _SKIP_GROUP  # locals: this loop runs ~800 times per report
    for g in guesses:
        miss = _UNKNOWN if g is None else _MISMATCH
        left = prev[0] + skip_group
        cur = [left]
        append = cur.append
        diag = prev[0]
        for r, up, sk in zip(rows, prev[1:], skip_row, strict=True):
            best = diag + (match if g == r else miss)
            c = up + skip_group
            if c < best:
                best = c
            c = left + sk
            if c < best:
                best = c
            append(best)
            left = best
            diag = up
        cost.append(cur)
        prev = cur
    pairs: list[tuple[int | None, int | None]] = []
    i, j = m, n
    while i or j:
        here = cost[i][j]
        if i and j:
            g = guesses[i - 1]
            step = _MATCH if g == rows[j - 1] else (_UNKNOWN if g is None else _MISMATCH)
            if cost[i - 1][j - 1] + step == here:
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i and cost[i - 1][j] + _SKIP_GROUP == here:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return cost[m][n], pairs


def _in_template_order(guesses: list[str | None], rows: tuple[str, ...], optional: frozenset[str]):
    """`_align`'s answer, without its cost table, for printed rows that name the template's rows in
    its order and leave out only optional ones (the usual table 3); None for any other printing.

    Every row is then matched or skipped at the least a skip costs, so no other alignment costs as
    little; the cost is summed along the path in order, as the table would sum it.
    """
    pairs: list[tuple[int | None, int | None]] = []
    cost, i = 0.0, 0
    for j, r in enumerate(rows):
        if i < len(guesses) and guesses[i] == r:
            pairs.append((i, j))
            cost += _MATCH
            i += 1
        elif r in optional:
            pairs.append((None, j))
            cost += _SKIP_OPTIONAL
        else:
            return None
    return (cost, pairs) if i == len(guesses) else None


def _align_floor(guesses: list[str | None], rows: tuple[str, ...], optional: frozenset[str]) -> float:
    """A lower bound of `_align`'s cost: an unnamed group costs at least 1 (unknown), a group
    naming no template row at least 2.5 (skipped), and rows beyond the groups must be skipped."""
    known = set(rows)
    floor = sum(_UNKNOWN if g is None else _SKIP_GROUP for g in guesses if g not in known)
    skips = sorted(_SKIP_OPTIONAL if r in optional else _SKIP_ROW for r in rows)
    return floor + sum(skips[: max(0, len(rows) - len(guesses))])


_FLOAT_SLACK = 1e-9  # far above the rounding of a sum of ~100 step costs, far below any step cost


def _best_alignment(candidates: list[tuple[list[str | None], tuple[str, ...], frozenset[str]]]):
    """The cheapest alignment of the candidates, the first one listed on a tie: (cost, pairs, rows, guesses).

    Aligning is the costly step of table 3, so candidates are tried cheapest floor first and one
    whose floor exceeds the best cost found (or that repeats an earlier candidate) is not aligned.
    """
    floors = [_align_floor(*c) for c in candidates]
    best: tuple[float, int, list] | None = None
    for k in sorted(range(len(candidates)), key=floors.__getitem__):
        guesses, rows, optional = candidates[k]
        if any(candidates[e] == candidates[k] for e in range(k)):
            continue  # same alignment as an earlier candidate, which wins the tie
        if best is not None and floors[k] > best[0] + _FLOAT_SLACK:
            continue
        c, pairs = _align(guesses, rows, optional)
        if best is None or c < best[0] or (c == best[0] and k < best[1]):
            best = (c, k, pairs)
    assert best is not None
    guesses, rows, _ = candidates[best[1]]
    return best[0], best[2], rows, guesses


_ITEM_NO = re.compile(r"[0-9０-９]{1,2}")
_ITEM_SEPS = ("．", ".", "、")
_QUOTES_ONLY = re.compile(r"[“”\"'‘’「」『』〝〞]+")


def _rejoin_item_numbers(lines: list[str]) -> list[str]:
    """Give an item number back to the label it was cut from ("3" / "“" / "．危及三" / "”" / …).

    PDF text breaks a label where the font changes (digits, quotes, punctuation), so the number
    of "3．危及…" can stand alone on its line, or end the previous row's line of numbers.  A
    bare one- or two-digit number whose next text (quote marks aside) starts with the item
    separator ．/./、 is that item's number, not a cell of the row above.
    """
    starts = [i for i, s in enumerate(lines) if s.lstrip().startswith(_ITEM_SEPS)]
    if not starts:
        return lines
    out = list(lines)
    for i in starts:
        s = out[i].strip()
        if len(s) < 2 or s[1].isdigit() or split_cells(out[i]) is not None:
            continue
        j, quotes = i - 1, []
        while j >= 0 and (not out[j].strip() or _QUOTES_ONLY.fullmatch(out[j].strip())):
            if out[j].strip():
                quotes.insert(0, j)
            j -= 1
        if j < 0 or split_cells(out[j]) is not None or len(quotes) > 2:
            continue
        words = out[j].split()
        if not words or not _ITEM_NO.fullmatch(words[-1]):
            continue
        if len(words) > 1 and value_cell(words[-2]) is None:
            continue  # "… 第3" is label text ending in a digit, not a row of numbers
        glued = words[-1] + "".join(out[q].strip() for q in quotes) + s
        out[j] = " ".join(words[:-1])
        for q in quotes:
            out[q] = ""
        out[i] = glued
    return out


_DETACHED_ROWS = 3  # row labels printed together, with no number between them
# applicant column headers that no row label contains (其他 and 总计 do: 3.其他, （七）总计)
_COLUMN_HEADER = re.compile(r"自然人|商业企业|科研机构|社会公益组织|法律服务机构")
_KEYWORD_LINES = 3  # lines a row keyword may be wrapped over


def _rows_named(parts: tuple[str, ...]) -> list[str]:
    """Template rows that a run of label lines names, in the order it names them.

    Each line is matched on its own (so "（七）总计" names a row where it stands, even though
    its keyword must end the text) and the lines together (a keyword wrapped over two lines).
    A row named twice counts where it is named last: 总计 is a column header first.  其他处理
    above its three sub-rows is a group header, not a row.
    """
    at: dict[str, int] = {}
    text, offsets = "", []
    for part in parts:
        offsets.append(len(text))
        text += squash(part)
    ends = [*offsets[1:], len(text)] if offsets else []  # a run of numbers with no label line names no row
    for i, end in enumerate(ends):
        for back in range(min(i, _KEYWORD_LINES - 1) + 1):  # the line alone, then with lines above
            start = offsets[i - back]
            for key, rx in ROW_KEYWORD_RES:
                m = rx.search(text, start, end)
                if m is not None and (key not in at or at[key] < m.start()):
                    at[key] = m.start()
    at.pop("subtotal", None)
    if any(k in at for k in OTHER_ROWS):
        at.pop("other_total", None)
    return sorted(at, key=at.__getitem__)


def _verified_reading(values: list[Cell], k: int) -> list[list[Cell]] | None:
    """The k rows of a detached run of k*7 numbers, when exactly one reading order adds up.

    Row by row or column by column: a reading is taken only if every row's six applicant
    columns sum to its 总计 and at least two rows are not all zero (a run of zeros adds up
    in any order, and then the order is unknown).
    """

    def adds_up(rows: list[list[Cell]]) -> bool:
        nums = [[c.value for c in r] for r in rows]
        if any(v is None for r in nums for v in r):
            return False
        if sum(1 for r in nums if any(r)) < 2:
            return False
        return all(abs(sum(r[:-1]) - r[-1]) < 1e-6 for r in nums)

    by_row = [values[i * WIDTH : (i + 1) * WIDTH] for i in range(k)]
    by_col = [[values[c * k + i] for c in range(WIDTH)] for i in range(k)]
    good = [r for r in (by_row, by_col) if adds_up(r)]
    if len(good) == 1 or (len(good) == 2 and good[0] == good[1]):
        return good[0]
    return None


def _detached_labels(groups: list[Group]) -> tuple[list[Group], str | None]:
    """The groups with a detached run read into its rows, and why the numbers cannot be placed if not.

    A text dump that reads a table column by column (pdftotext's default mode, some copy-pastes)
    prints the label column as one run of lines and then the numbers on their own lines, in an
    order that follows the page's columns and blocks, not the rows.  That shows as one run of
    single numbers longer than a row after label text naming several template rows.  The run is
    read only when it holds exactly 7 numbers per named row and one reading order passes the
    row sums; otherwise cutting it into rows of 7 would put numbers in the wrong rows and
    columns, and a wrong number is worse than a missing one.
    """
    # numbers under one column's header each (a header row repeated at a page break names them all)
    headed = [
        g for g in groups if not g.tabbed and len(set(_COLUMN_HEADER.findall(g.label))) == 1 and not _rows_named(g.parts)
    ]
    if len(headed) >= 2:
        heads = "、".join(_COLUMN_HEADER.findall(g.label)[0] for g in headed)
        return groups, (
            f"table 3: numbers printed under the column headers {heads} rather than beside row labels "
            "(a column-by-column dump); the numbers cannot be put in their rows, so table 3 is left empty"
        )
    out: list[Group] = []
    for g in groups:
        named = _rows_named(g.parts) if len(g.values) > WIDTH and not g.tabbed else []
        if len(named) < _DETACHED_ROWS:
            out.append(g)
            continue
        k = len(named)
        rows = _verified_reading(g.values, k) if len(g.values) == k * WIDTH else None
        if rows is None:
            return groups, (
                f"table 3: the labels of {k} rows are printed together, apart from a run of "
                f"{len(g.values)} numbers (a column-by-column dump); the numbers cannot be put in their "
                "rows and columns, so table 3 is left empty"
            )
        out.extend(Group(ROW_LABELS[key], r) for key, r in zip(named, rows, strict=True))
    return out, None


_SIDEWAYS_ROWS = 3


def _sideways(groups: list[Group]) -> str | None:
    """Why the numbers cannot be placed when several printed rows are longer than a row of 7.

    A table turned on its side (a landscape page rotated back, rows printed as columns) gives
    lines of one applicant column across all the rows (17 numbers, or 8 on a later page); cut to
    7 they would be read as rows and every number would land in the wrong cell.
    """
    long = [g for g in groups if len(g.values) > WIDTH and len(g.values) % WIDTH]
    if len(long) < _SIDEWAYS_ROWS:
        return None
    sizes = "、".join(str(len(g.values)) for g in long[:4])
    return (
        f"table 3: {len(long)} printed rows hold more numbers than the 7 columns ({sizes}): the table is "
        "printed sideways or its rows are run together; the numbers cannot be put in their rows, so "
        "table 3 is left empty"
    )


_SUBCOLUMNS = ("商业", "科研", "社会公益", "法律服务")  # 法人或其他组织's columns, left to right


def _header_shuffled(lines: list[str]) -> bool:
    """Whether the applicant column headers come out of their left-to-right order.

    A dump of text pieces sorted by position (PDF blocks by their top edge) prints the header
    cells in whatever order their tops fall (社会公益 / 法律服务 / 商业企业 / 科研机构), and the
    numbers of a row one per line in the same way: the total a hair higher comes first."""
    text = "".join(squash(s) for s in lines[:40])
    at = [text.find(w) for w in _SUBCOLUMNS]
    return min(at) >= 0 and at != sorted(at)


def _unproved_order(out: dict[str, list[Cell | None]], spread: set[str]) -> str | None:
    """Why rows printed one cell per line under a shuffled header cannot be trusted, if they cannot.

    Their order is the page's, not the row's: they are taken only when every such row adds up
    and each column balances (新收 + 上年结转 = 办理结果总计 + 结转下年度); a wrong order almost
    never satisfies both, while a report's own slip is then lost rather than misread.
    """
    bad = [
        k for k in spread
        if len(out.get(k) or []) == WIDTH and None not in out[k] and not _adds_up_or_zero(out[k])  # type: ignore[arg-type]
    ]
    flow = [out.get(k) for k in ("new_received", "carried_over", "total_processed", "carried_forward")]
    if not bad and all(r and None not in r for r in flow) and spread & {
        "new_received", "carried_over", "total_processed", "carried_forward"
    }:
        vals = [[c.value for c in r] for r in flow]  # type: ignore[union-attr]
        for col in range(WIDTH):
            a, b, c, d = (v[col] for v in vals)
            if None not in (a, b, c, d) and abs(a + b - c - d) > 1e-6:  # type: ignore[operator]
                bad.append(APPLICANT_COLS[col])
                break
    if not bad:
        return None
    return (
        "table 3: the column headers and the numbers come out in the page's order, not the table's "
        f"(one cell per line), and the numbers do not add up in that order ({'、'.join(sorted(bad)[:3])}); "
        "the numbers cannot be put in their rows and columns, so table 3 is left empty"
    )


def _crossed_labels(pairs, groups: list[Group], guesses: list[str | None], rows: tuple[str, ...]) -> str | None:
    """Why the rows cannot be trusted when the best reading still contradicts a printed label.

    Where a label stands on lines of its own (not beside its numbers), the dump's order decides
    which numbers it names.  Some dumps (PDF text blocks sorted by position) print a row's numbers
    before its label in one row and after it in the next, so no reading of the order puts every
    named label on its row: one that lands on another row (or on none) shows the numbers beside
    it are someone else's, and rows shifted by one are worse than an empty table.
    """
    crossed = [
        guesses[gi]
        for gi, rj in pairs
        if gi is not None
        and guesses[gi] not in (None, "subtotal")
        and not groups[gi].tabbed
        and (rj is None or guesses[gi] != rows[rj])
    ]
    if not crossed:
        return None
    names = "、".join(ROW_LABELS.get(k, k)[:12] for k in crossed[:3])
    return (
        f"table 3: the printed order of labels and numbers contradicts the template ({names} "
        "would get another row's numbers or none); the numbers cannot be put in their rows, so table 3 "
        "is left empty"
    )


_HEADER_NAME = re.compile(r"自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计")
_HEADER_YEAR = re.compile(r"[本上]年度?")
_HEADER_NOISE = re.compile(r"（[^）]*）|\([^)]*\)|法人或其他组织|申请人情况")
_NAME_COL = {"自然人": 0, "商业企业": 1, "科研机构": 2, "社会公益组织": 3, "法律服务机构": 4, "其他": 5, "总计": 6}
# the merged cell over the five legal-person columns, and the names printed under it
_GROUP_WORD = re.compile(r"法人或者?其他组织")
_GROUP_NAMES = frozenset(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))


def _under_group(found_names: list[tuple[int, int, str]], groups: list[tuple[int, int]]) -> list[str] | None:
    """The seven names in printed order when the header is two lines whose first prints the merged
    法人或其他组织 cell once (its span collapsed: 总计 then sits one cell after it, not five) and whose
    second prints the five names under it: the five take the merged cell's place.  Cell indices of the
    two lines are not comparable then (自然人 | 法人… | 总计 over 商业企业 … 其他 read 总计 as the third
    column).  None for any other header."""
    if len(groups) != 1:
        return None
    gi, gl = groups[0]
    over = sorted((ci, w) for ci, li, w in found_names if li == gl)
    under = sorted((ci, w) for ci, li, w in found_names if li != gl)
    if {w for _, w in under} != _GROUP_NAMES or len(under) != len(_GROUP_NAMES) or len({li for _, li, w in found_names if li != gl}) != 1:
        return None
    if sorted(w for _, w in over) != sorted(("自然人", "总计")):
        return None
    return [w for ci, w in over if ci < gi] + [w for _, w in under] + [w for ci, w in over if ci > gi]


def header_columns(lines: list[str]) -> tuple[int, list[int]] | None:
    """(cells per printed row, printed position of each template column) read from table 3's header.

    Bodies print the seven applicant columns in other orders (总计 first, 法律服务机构 before
    商业企业) and some print last year's figures beside this year's, interleaved under each
    column (本年 / 上年) or as a second block of seven (本年度 … 上年度).  Read in template order
    every number would land one column off, so the header decides where each column is.  None
    when the header does not name each of the seven columns once per year (order not proved).
    """
    found_names: list[tuple[int, int, str]] = []  # (cell index, line, word): a merged cell's words
    found_years: list[tuple[int, int, str]] = []  # stand at the column where its span starts
    groups: list[tuple[int, int]] = []  # (cell index, line) of the merged 法人或其他组织 cell
    lines_with_names = 0
    tabbed = True
    for li, line in enumerate(lines):
        cells = split_cells(line)
        tabbed = tabbed and (cells is not None or not _HEADER_NAME.search(line))
        cells = cells or [line]
        if len(cells) >= 3 and sum(value_cell(c) is not None and c.strip() != "" for c in cells) >= 3:
            break  # the first row of numbers: the header is above it
        had = len(found_names)
        for ci, cell in enumerate(cells):
            squashed = squash(cell)
            text = _HEADER_NOISE.sub("", squashed)
            found_names += [(ci, li, w) for w in _HEADER_NAME.findall(text)]
            if "法人" in squashed and _GROUP_WORD.search(squashed):
                groups.append((ci, li))
            if "年" in text:  # (every year word has it: most cells are looked at no further)
                found_years += [(ci, li, y[0]) for y in _HEADER_YEAR.findall(text)]
        lines_with_names += len(found_names) > had
    if lines_with_names > 1 and not tabbed:
        return None  # words of a header over several lines without cell positions: order unknown
    years = [w for _, _, w in sorted(found_years)]
    # (a stable sort: words in one cell or one line of text keep their printed order)
    by_place = sorted(found_names, key=lambda t: (t[0], t[1]))
    names = (None if years else _under_group(found_names, groups)) or [w for _, _, w in by_place]
    if len(names) < WIDTH:
        return None
    n = len(names) if not years else max(len(names), len(years))
    if n % len(names) or (years and n % len(years)):
        return None
    per_name, per_year = n // len(names), (n // len(years) if years else n)
    where: dict[int, int] = {}
    for j in range(n):
        if years and years[j // per_year] != "本":
            continue
        col = _NAME_COL[names[j // per_name]]
        if col in where:
            return None
        where[col] = j
    if len(where) != WIDTH:
        return None
    return n, [where[c] for c in range(WIDTH)]


def _row_sum_failures(groups: list[Group], n: int, order: list[int]) -> int:
    bad = 0
    for g in groups:
        if len(g.values) == n:
            cells = [g.values[j] for j in order]
            bad += not _adds_up_or_zero(cells)
    return bad


def _reorder_columns(groups: list[Group], lines: list[str]) -> tuple[list[Group], list[str]]:
    """Put each printed row's numbers in template column order when the header orders them otherwise.

    Taken only where the header's order makes more rows add up than the printed order does (a
    header whose words a dump shuffled must not reorder rows printed in order).
    Rows of another length under a reordered header cannot be placed cell by cell: left blank.
    """
    found = header_columns(lines)
    read = reading_order(lines) if found is None else None  # a text dump's header, line by line
    if read is not None:
        found = (WIDTH, read)
    if found is None:
        return groups, []
    n, order = found
    if n == WIDTH and order == list(range(WIDTH)):
        return groups, []
    if n == WIDTH:
        by_header, in_print = _row_sum_failures(groups, n, order), _row_sum_failures(groups, n, list(range(WIDTH)))
        proved = read is not None or order_proved(lines, order)
        if by_header > in_print or (by_header == in_print and not proved):
            return groups, []  # the header's order repairs nothing the printed order breaks: not proved
    out: list[Group] = []
    warnings = [f"table 3: columns printed in the header's order ({n} cells a row); read by the header"]
    for g in groups:
        if len(g.values) == n:
            vals = [g.values[j] for j in order]
        elif len(g.values) >= 2:
            printed = " ".join(c.raw for c in g.values)
            warnings.append(Unplaced(f"table 3 row '{g.label[:20]}': {len(g.values)} of {n} cells ({printed}); not placed",
                                     "applications", label=g.label, printed=printed))
            vals = [Cell(None, "")] * WIDTH
        else:
            vals = g.values
        out.append(Group(g.label, vals, g.trail, g.tabbed, g.after, g.parts, g.lines))
    return out, warnings


def _total_elsewhere(out: dict[str, list[Cell | None]]) -> str | None:
    """Why the rows cannot be read in template order when another column is plainly the 总计.

    A header the dump lost (or words it garbled) leaves the column order unproved; when the
    template's 总计 column fails the row sums in several rows while one other column is the sum of
    the rest in every row, the columns were printed in another order and reading them in the
    template's would shift every number.  Which order the other six came in is still unknown.
    """
    # (`c is None`, not `None in r`: `in` would call the Cell dataclass's __eq__ on every cell)
    full = [[c.value for c in r] for r in out.values() if len(r) == WIDTH and all(c is not None for c in r)]
    full = [v for v in full if None not in v and any(v)]
    if len(full) < 3:
        return None
    failing = sum(abs(sum(v[:-1]) - v[-1]) > 1e-6 for v in full)  # type: ignore[operator,arg-type]
    if failing < 2:
        return None
    for t in range(WIDTH - 1):
        if all(abs(sum(v) - 2 * v[t]) < 1e-6 for v in full):  # type: ignore[arg-type,operator]
            return (
                f"table 3: the rows add up with column {t + 1} as 总计, not the last column, and the header "
                "does not tell the columns' order; the numbers cannot be put in their columns, so table 3 "
                "is left empty"
            )
    return None

_SHUFFLED = 3  # rows out of the template's sequence that show an order of the report's own


def _in_sequence(keys: list[str]) -> int:
    """How many of the rows keep the template's order (longest increasing run of their places)."""
    tails: list[int] = []  # tails[n]: the smallest place ending an increasing run of n + 1 rows
    for k in keys:
        at = ALL_APPLICATION_ROWS.index(k)
        n = bisect_left(tails, at)
        if n == len(tails):
            tails.append(at)
        else:
            tails[n] = at
    return len(tails)


def _placed_by_label(groups: list[Group]):
    """(pairs, rows, keys) placing rows printed in another order by their labels, or why they cannot be placed.

    Some bodies print table 3's rows in an order of their own, each row under its full label
    (（三）不予公开 1.属于国家秘密).  Aligned to the template's sequence, such rows would hand their
    numbers to their neighbours.  Placed only when every printed row's label names one template
    row and no row is named twice with other numbers; when the order is plainly not the
    template's but the labels do not say where each row goes, the table is left unaligned.
    None when the rows follow the template's order (the sequence then reads them).
    """
    if not groups or not all(g.tabbed for g in groups):
        return None  # labels beside their numbers only in rows printed as cells
    keys = [label_row(g.label) for g in groups]
    named = [k for k in keys if k in ALL_APPLICATION_ROWS]
    out_of_place = len(named) - _in_sequence(named)
    unknown = [g.label[:20] for g, k in zip(groups, keys, strict=True) if k is None]
    seen: dict[str, list[str]] = {}
    twice = []
    for g, k in zip(groups, keys, strict=True):
        if k not in ALL_APPLICATION_ROWS:
            continue
        raw = [c.raw for c in g.values]
        if k in seen and seen[k] != raw:
            twice.append(k)
        seen.setdefault(k, raw)
    if out_of_place == 0 or (out_of_place < _SHUFFLED and (unknown or twice)):
        return None
    if unknown or twice:
        why = "、".join([*unknown[:2], *(ROW_LABELS[k][:12] for k in twice[:2])])
        return (
            f"table 3: {out_of_place} rows are printed out of the template's order and the labels do not "
            f"name each row once ({why}); the numbers cannot be put in their rows, so table 3 is left empty"
        )
    rows = ROWS_2019 if "other_total" in named and not set(named) & set(OTHER_ROWS) else ALL_APPLICATION_ROWS
    if not set(named) <= set(rows):
        return None
    pairs: list[tuple[int, int | None]] = []
    placed: set[str] = set()
    for gi, k in enumerate(keys):
        if k in placed:
            continue  # the same row printed twice with the same numbers is read once
        pairs.append((gi, rows.index(k) if k in rows else None))
        if k in rows:
            placed.add(k)  # type: ignore[arg-type]
    return pairs, rows, keys


_GLUED_VALUE = re.compile(r"^(.*[\u4e00-\u9fff”\"）)])(?<!第)([0-9]+)$")


def _unglue_first_cell(line: str) -> str:
    """A row whose first number is glued to its label (`8.属于行政查询事项0<TAB>0…`) as 7 cells.

    Some editors drop the tab after the label cell, so the row shows 6 numbers and a label ending
    in digits.  Read as a row with a lost cell, every number would be one column off or the row
    lost; the trailing digits are taken as the first cell only when the 7 cells then add up
    (six applicant columns to the 总计), so a label that really ends in a number is left alone.
    """
    if "\t" not in line:
        return line
    cells = split_cells(line)
    if cells is None:
        return line
    filled = [c for c in cells if c]
    if len(filled) != WIDTH or any(value_cell(c) is None for c in filled[1:]):
        return line
    m = _GLUED_VALUE.match(filled[0])
    if m is None or value_cell(filled[0]) is not None:
        return line
    values = [value_cell(c) for c in [m.group(2), *filled[1:]]]
    if None in values or not _adds_up_or_zero(values):  # type: ignore[arg-type]
        return line
    at = cells.index(filled[0])
    return "\t".join([*cells[:at], m.group(1), m.group(2), *cells[at + 1 :]])


_WHOLE_TABLE = 20  # template rows named with their numbers before 结转下年度: table 3 is complete there


def _table_end(lines: list[str]) -> list[str]:
    """Table 3's lines up to its last row, 四、结转下年度继续办理, when the table is complete there.

    What a body prints under table 3 is not table 3: a 与上年对比 table (新收, 予以公开 … again,
    with two years' figures), the table of its 办公室 or of the 本级 in a combined report (the
    record holds the first set), notes.  Read with table 3 these rows name template rows a second
    time and the whole table is lost.  Cut only after a row of numbers labelled 结转下年度 that
    follows most other rows of the template, and only when the rows below name no row still
    missing (a table printed in an order of its own goes on below its 结转下年度).
    """
    keys: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        lc = line_cells(line)
        if len(lc.values) >= WIDTH - 1 and lc.labels:
            key = guess_row(squash("".join(lc.labels)))
            if key is not None:
                keys.append((i, key))
    named: set[str] = set()  # the rows named above the k-th
    for k, (i, key) in enumerate(keys):
        if key == "carried_forward" and len(named) >= _WHOLE_TABLE:
            if all(later in named or later == key for _j, later in keys[k + 1 :]):
                # what follows names no row the table still lacks: not table 3 (but the rest of
                # the row's own cells, tabbed digit lines under it, is)
                return lines[: i + 1 + _cell_rest_lines(lines[i + 1 :])]
            break
        named.add(key)
    return lines


def _cell_rest_lines(lines: list[str]) -> int:
    """How many of the lines are the rest of a tab-separated row's cells broken over lines: tabbed
    lines of bare digits and blanks, and one lone number after them (`_column_wrapped` joins them
    only with proof)."""
    n = 0
    for line in lines:
        cells = split_cells(line)
        if cells is None or len(cells) > WIDTH + 1 or not any(cells) or not all(c.isdigit() for c in cells if c):
            break  # (a longer line is another table's row: table 4's 15 numbers)
        n += 1
    if n and n < len(lines) and lines[n].strip().isdigit():
        n += 1
    return n


_SIX_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_SOME_ROWS = 2  # rows of six numbers under such a header: the first table (or as much of it as the text holds)


def _label_row_of_line(line: str) -> str | None:
    lc = line_cells(line)
    return guess_row(squash("".join(lc.labels))) if lc.labels else None


def _join_split_total(lines: list[str]) -> list[str]:
    """Table 3 printed as two tables: six applicant columns, then (续表) the labels with 总计 alone.

    Some bodies cut the wide table in two to fit the page.  Read as one, the first table's rows
    lack a cell (every number would be tried one column off) and the second's rows are 25 single
    numbers outside any row.  Each row of the first table takes the 总计 printed beside the same
    label in the second (rows matched in order, labels agreeing); when they cannot be matched the
    总计 column is left blank.  Only where the first table's header names the six applicant
    columns and no 总计.  (A blank, not zeros.NOT_PRINTED: a PDF whose page edge cut off the 总计
    header still prints the column's blank cells, which a blank-means-zero note makes 0.)
    """
    first = next((i for i, s in enumerate(lines) if len(line_cells(s).values) >= 3), None)
    if first is None:
        return lines
    head = _HEADER_NOISE.sub("", squash("".join(lines[:first])))
    if "总计" in head or "合计" in head or not all(w in head for w in _SIX_NAMES):
        return lines
    rows = [i for i, s in enumerate(lines) if len(line_cells(s).values) == WIDTH - 1]
    # (a text cut inside the first table holds only some of its rows: each still lacks the 总计 the
    # header does not name, and a grid of six value cells must not be read as the last six of seven)
    if len(rows) < _SOME_ROWS or any(len(line_cells(s).values) >= WIDTH for s in lines):
        return lines  # not a table of six columns throughout
    j = next((i for i in range(rows[-1] + 1, len(lines)) if "总计" in lines[i] and not line_cells(lines[i]).values), None)
    totals: list[int] = []
    if j is not None:
        for i in range(j + 1, len(lines)):
            if len(totals) == len(rows):
                break
            lc = line_cells(lines[i])
            if len(lc.values) == 1 and lc.labels:
                totals.append(i)
            elif lc.values:
                break
    keys = [(_label_row_of_line(lines[a]), _label_row_of_line(lines[b])) for a, b in zip(rows, totals, strict=False)]
    matched = len(totals) == len(rows) and all(a == b for a, b in keys) and sum(a is not None for a, _ in keys) > len(keys) // 2
    out = list(lines)
    for k, i in enumerate(rows):
        # unmatched, the 总计 cell is a blank held in its column (BLANK_NULL): the six stay under their names
        total = line_cells(lines[totals[k]]).values[0].raw if matched else BLANK_NULL
        if "\t" in out[i]:
            out[i] = out[i].rstrip("\t") + "\t" + total
        elif matched:
            out[i] = out[i] + " " + total
    if matched:
        for i in range(j, totals[-1] + 1):  # type: ignore[arg-type]
            out[i] = ""
    return out


# a column of last year's figures beside this year's (上年同期总计, 上一年度总计, 上年现行有效件数):
# not a template column, in table 3 and table 2 alike.  2019's 上一年项目数量 is one (prior_items),
# so 上一年 alone does not count.
_LAST_YEAR_HEADER = re.compile(r"上年|去年|上一年度(?!项目数)|同期")
_MAX_FOREIGN = 2
_FOREIGN_FAILS = 2  # rows that may still not add up in the reading kept (a report's own slips)


def _foreign_columns(lines: list[str]) -> tuple[int, str]:
    """How many columns beside the seven table 3's header names, and which.

    A 合计 under 法人或其他组织 (the five organisation columns added up) where the header also
    has 总计, and a column of last year's figures (上年同期总计) printed on its own."""
    found: list[str] = []
    totals = 0  # this year's 总计 printed in the header
    for line in lines:
        if len(line_cells(line).values) >= 3:
            break  # the first row of numbers: the header is above it
        for cell in split_cells(line) or [line]:
            text = _HEADER_NOISE.sub("", squash(cell))
            if _LAST_YEAR_HEADER.search(text) and _HEADER_NAME.search(text):
                found.append(text[:12])
                continue
            totals += text.count("总计")
            found += [w for w in SUBTOTAL_NAMES for _ in range(text.count(w))]
    if not totals:
        found = [w for w in found if w not in SUBTOTAL_NAMES]  # 合计 (小计) is this table's 总计
    return len(found), "、".join(found)


def _foreign_by_header(lines: list[str], n: int) -> tuple[int, ...] | None:
    """Positions of the columns the template lacks, from where a tab-separated header puts them.

    Each header cell sits at the tab position of its column, whichever header line it is on (合计
    under 法人或其他组织 on the second line, 总计 spanning both on the first).  None unless the
    header's tabbed lines name exactly `n` columns, each at a position of its own."""
    at: dict[int, str] = {}  # cell position -> the column's name there
    for line in lines:
        if len(line_cells(line).values) >= 3:
            break
        cells = split_cells(line)
        if cells is None:
            if _HEADER_NAME.search(squash(line)) or "合计" in line:
                return None  # a plain header line: its words' order is no column order
            continue
        for i, cell in enumerate(cells):
            text = _HEADER_NOISE.sub("", squash(cell))
            if _LAST_YEAR_HEADER.search(text) and _HEADER_NAME.search(text):
                text = "上年"
            elif text not in _NAME_COL and text not in SUBTOTAL_NAMES:
                continue
            if i in at:
                return None
            at[i] = text
    if len(at) != n:
        return None
    order = [at[i] for i in sorted(at)]
    foreign = {"上年", *SUBTOTAL_NAMES} if "总计" in order else {"上年"}  # without 总计, 合计 is the total
    drop = tuple(j for j, name in enumerate(order) if name in foreign)
    return drop if len(drop) == n - WIDTH else None


def _drop_foreign_columns(groups: list[Group], lines: list[str]) -> tuple[list[Group], list[str]]:
    """Rows of 7 + k numbers under a header with k columns the template lacks, read as the seven.

    Where the extra column sits is told by a tabbed header's cell order, confirmed when the rows
    add up without it (six applicant columns to 总计) as well as under any other way to leave k
    columns out; else by the rows themselves: the one way under which they add up, taken only when
    no other way reads any row differently with as few rows failing.  At most a couple may fail."""
    k, names = _foreign_columns(lines)
    n = WIDTH + k
    if not 0 < k <= _MAX_FOREIGN:
        return groups, []
    wide = [g for g in groups if len(g.values) == n]
    if not wide:
        return groups, []

    def reduced(g: Group, drop: tuple[int, ...]) -> list[Cell]:
        return [c for i, c in enumerate(g.values) if i not in drop]

    def fails(drop: tuple[int, ...]) -> int:
        return sum(not _adds_up_or_zero(reduced(g, drop)) for g in wide)

    scored = [(fails(d), d) for d in combinations(range(n), k)]
    best = min(f for f, _ in scored)
    tied = [d for f, d in scored if f == best]
    drop = _foreign_by_header(lines, n)  # the header says where; the sums only confirm it
    if drop not in tied:
        readings = {tuple(tuple(c.raw for c in reduced(g, d)) for g in wide) for d in tied}
        drop = tied[0] if len(readings) == 1 else None
    if drop is None or best > _FOREIGN_FAILS:
        return groups, [f"table 3: {n} cells a row under a header with {names}; which to leave out is not proved"]
    out = [
        Group(g.label, reduced(g, drop), g.trail, g.tabbed, g.after, g.parts, g.lines, g.lead)
        if len(g.values) == n else g
        for g in groups
    ]
    # a subtotal left out is still printed: each must be its row's five legal-person columns' sum
    only_subtotals = all(name in SUBTOTAL_NAMES for name in names.split("、"))
    subtotals = [m for g in wide for j in drop if only_subtotals
                 and (m := check_subtotal(g.label or g.after, reduced(g, drop), g.values[j]))]
    return out, [f"table 3: the column(s) {names} beside the template's seven left out ({n} cells a row)", *subtotals]


# a row of its own adding up the rows above it (小计 after 不予处理's five): only 合计 may be the 总计
_SUBTOTAL = re.compile(r"(?:[（(][一二三四五六七八九十][）)])?([小合])计")


def _lost_tail(guesses: list[str | None], rows: tuple[str, ...]) -> frozenset[str]:
    """The template rows after the last one the printed rows name: a table cut by the document's end
    (parsers/truncation.py) lost them, so skipping them costs what an optional row's does."""
    last = next((g for g in reversed(guesses) if g in rows), None)
    return frozenset(rows[rows.index(last) + 1:]) if last is not None else frozenset()


def _past_last_named(pairs, guesses: list[str | None], rows: tuple[str, ...]) -> int:
    """The last printed row placed where its label names it (-1: none).  In a table the document's end
    cut, rows after it have no named row after them to hold them in place: each later template row
    may be the one printed, and a guess among them is no reading."""
    return max((gi for gi, rj in pairs if gi is not None and rj is not None and guesses[gi] == rows[rj]), default=-1)


def parse_table3(lines: list[str], open_end: bool = False, end_row: bool = False) -> Table3 | None:
    """Table 3 from its region's lines.  ``open_end``: the document ends inside the table, so rows
    after the last one printed are missing, not skipped (`_lost_tail`).  ``end_row``: the text stops
    there with no mark of the cut (parsers/textend.py), so its last row may be short of numbers
    (cells one per line, a number wrapped in its cell): that row is null (EOF_CUT), placed by its label."""
    sideways = read_transposed(lines, guess_row)
    if isinstance(sideways, tuple):
        rows_t, keys_t, notes_t = sideways
        return Table3(rows_t, {}, [], keys_t, notes_t, len(keys_t))
    if isinstance(sideways, str):
        keys_t = tuple(r for r in ALL_APPLICATION_ROWS if r != "other_total")
        return Table3({r: [None] * WIDTH for r in keys_t}, {}, [], keys_t, [sideways], 0, sideways)
    three = as_seven_columns(lines)
    if three is not None:
        return _three_columns(*three, end_row=end_row)
    lines = [_unglue_first_cell(s) for s in _table_end(_join_split_total(lines))]
    rows_read, foreign = _drop_foreign_columns(group_rows(_rejoin_item_numbers(lines), WIDTH), lines)
    rows_read, reordered = _reorder_columns(rows_read, lines)
    raw_groups, unaligned = _detached_labels(rows_read)
    unaligned = unaligned or _sideways(raw_groups)
    if not reordered and not foreign and order_departs(lines):
        # read in template order, a permutation of the legal-person columns keeps every sum
        unaligned = unaligned or ("table 3: the header names the legal-person columns in another order than the"
                                  " template's, and its words carry no positions that prove where each stands;"
                                  " not placed")
    groups, warnings = _split_groups(raw_groups)
    warnings = foreign + reordered + warnings
    if not groups:
        return None
    if end_row:
        groups[-1] = replace(groups[-1], values=[Cell(None, EOF_CUT)] * WIDTH, unread="")
    before = [guess_row(g.label) for g in groups]
    after = [guess_row(g.after, last=False) for g in groups]
    lone = lone_groups([g.label for g in groups], [before, after])
    lone_rows: list[dict] = []
    if lone:
        # a group printed as its total alone is no item: out of the alignment, kept as printed
        for gi, name in lone.items():
            g = groups[gi]
            printed, label = " ".join(c.raw for c in g.values), printed_heading(g.label)
            if len(g.values) == WIDTH:
                values = {c: v.value for c, v in zip(APPLICANT_COLS, g.values, strict=True)}
                lone_rows.append({"label": label, "values": values})
            warnings.append(GroupOnly(
                f"table 3 row '{label}' prints the group's total only ({printed}), not its items;"
                " the items are left null", name, label, printed,
                g.values[-1].value if len(g.values) == WIDTH else None, GROUPS[name][1]))
        groups = [g for gi, g in enumerate(groups) if gi not in lone]
        before = [k for gi, k in enumerate(before) if gi not in lone]
        after = [k for gi, k in enumerate(after) if gi not in lone]
    options = [
        (ALL_APPLICATION_ROWS, frozenset({"other_total"})),
        (ROWS_2019, frozenset()),
    ]
    by_label = _placed_by_label(groups)
    if isinstance(by_label, str):
        unaligned = unaligned or by_label
    if isinstance(by_label, tuple):
        pairs, rows, before = by_label
        guesses = before
        warnings.append("table 3: rows printed out of the template's order; placed by their labels")
    else:
        best, pairs, rows, guesses = _best_alignment(
            [(guesses, rows, optional | _lost_tail(guesses, rows) if open_end else optional)
             for guesses in (before, after) for rows, optional in options]
        )
    out: dict[str, list[Cell | None]] = {}
    lost: dict[str, list[Cell]] = {}
    extra: list[dict] = []
    spread: set[str] = set()  # rows printed one cell per line
    hits = 0
    unanchored = _past_last_named(pairs, guesses, rows) if open_end else -1
    for gi, rj in pairs:
        if gi is None:
            continue
        g = groups[gi]
        if gi > unanchored >= 0 and rj is not None:
            printed = " ".join(c.raw for c in g.values)
            warnings.append(f"table 3: a row after the last one its label names, where the document ends ({printed});"
                            " which row it is cannot be told, not placed")
            continue
        sub = _SUBTOTAL.fullmatch(squash(g.label if guesses is before else g.after))
        if rj is not None and sub and (sub.group(1) == "小" or rows[rj] != "total_processed"):
            rj = None  # a 小计 under one group of outcomes adds rows up: no row of the template
        hits += rj is not None and guesses[gi] == rows[rj]
        if rj is None:
            label = g.label if guesses is before else g.after
            if not label or len(g.values) != WIDTH:
                # a piece of a row (numbers a position-sorted dump put on lines of their own) is
                # not a row the report adds: its numbers' columns are unknown
                printed = " ".join(c.raw for c in g.values)
                warnings.append(f"table 3: {len(g.values)} numbers outside any row ({printed}); not placed")
                continue
            values = {c: (v.value if v else None) for c, v in zip(APPLICANT_COLS, g.values, strict=False)}
            extra.append({"label": label, "values": values})
            continue
        key = rows[rj]
        vals = g.values
        if g.lines > 1:
            spread.add(key)
        if g.unread:
            warnings.append(Unplaced(g.unread, "applications", key, printed=" ".join(c.raw for c in vals)))
            out[key] = [None] * WIDTH
        elif len(vals) == WIDTH:
            out[key] = list(vals)
        elif len(vals) == WIDTH - 1:
            lost[key] = list(vals)
            out[key] = list(vals) + [None]
        else:
            # several cells lost: which columns the printed numbers belong to is unknown, and
            # a number in the wrong column is worse than none
            printed = " ".join(c.raw for c in vals)
            warnings.append(Unplaced(f"table 3 row {key}: only {len(vals)} of 7 cells printed ({printed}); not placed",
                                     "applications", key, printed=printed))
            out[key] = [None] * WIDTH
    if any(c is not None and c.raw == NOT_PRINTED for cells in out.values() for c in cells):
        warnings.append("table 3: the header prints no 总计 column; 总计 is null (not printed)")
    unaligned = unaligned or _crossed_labels(pairs, groups, guesses, rows)
    if not unaligned and spread and _header_shuffled(lines):
        unaligned = _unproved_order(out, spread)
    if not unaligned and not reordered:
        unaligned = _total_elsewhere(out)
    if rows is ROWS_2019:
        row_keys = rows
    else:
        # 其他处理 as one row only where the report prints it so: a piece of a row that the
        # alignment left there is not that row
        has_other = any(c is not None and c.value is not None for c in out.get("other_total") or []) or (
            "other_total" in lost
        )
        if not has_other:
            out.pop("other_total", None)
        row_keys = tuple(r for r in rows if r != "other_total" or has_other)
    if unaligned:
        labels_first = read_labels_first(lines, guess_row)
        # the rows the reading above gave up are not that reading's to report any more
        kept = [w for w in warnings if not isinstance(w, Unplaced)]
        if labels_first is not None:
            rows_lf, keys_lf, note = labels_first
            return Table3(rows_lf, {}, [], keys_lf, [*kept, note], len(keys_lf))
        pages = read_pages(lines, guess_row)
        if pages is not None:
            rows_lf, keys_lf, notes = pages
            unread = [Unplaced(f"table 3 row {key}: printed labels first on a page whose numbers could not be"
                               " paired with its rows; not placed", "applications", key)
                      for key in keys_lf if key not in rows_lf]
            filled = {key: rows_lf.get(key) or [None] * WIDTH for key in keys_lf}
            return Table3(filled, {}, [], keys_lf, [*kept, *notes, *unread], len(rows_lf))
        blank: dict[str, list[Cell | None]] = {r: [None] * WIDTH for r in row_keys}
        return Table3(blank, {}, [], row_keys, [*warnings, unaligned], hits, unaligned)
    return Table3(out, lost, lone_rows + extra, row_keys, warnings, hits)


def _three_columns(seven: list[str], legal: list[str], end_row: bool = False) -> Table3 | None:
    """Table 3 read from its three printed columns: 自然人 and 总计 placed, the five sub-columns
    (not printed) null, the merged 法人或其他组织 column kept in a note only."""
    t3 = parse_table3(seven, end_row=end_row)
    if t3 is None or t3.unaligned:
        return t3
    subs = range(1, WIDTH - 1)
    t3.rows = {k: [None if i in subs else c for i, c in enumerate(cells)] for k, cells in t3.rows.items()}
    t3.lost = {}
    printed = ", ".join(legal)
    t3.warnings.append("table 3 prints only 自然人 / 法人或其他组织 / 总计: the five legal-person columns are"
                       f" not printed (null); the 法人或其他组织 column has no key in the record: {printed}")
    return t3


# ---- table 4 --------------------------------------------------------------------------------


@dataclass
class Table4:
    cells: list[Cell | None]  # 15 cells; None = not present in the dump
    lost: list[Cell] | None = None  # printed with exactly one cell missing
    warnings: list[str] = field(default_factory=list)
    unaligned: str | None = None  # why the printed numbers could not be placed (cells all None)
    unread: tuple[str, ...] = ()  # groups whose numbers are printed in a shape no cell of theirs fits (null)


N_REVIEW = len(REVIEW_GROUPS) * len(REVIEW_COLS)


def groups_add_up(cells: list[Cell]) -> bool:
    """维持 + 纠正 + 其他 + 尚未审结 == 总计 in each of the three groups."""
    return _failing_groups(cells) == 0


def _failing_groups(cells: list[Cell]) -> int:
    n = len(REVIEW_COLS)
    bad = 0
    for k in range(0, N_REVIEW, n):
        vals = [c.value for c in cells[k : k + n]]
        if any(v is None for v in vals) or abs(sum(vals[:-1]) - vals[-1]) > 1e-6:  # type: ignore[arg-type]
            bad += 1
    return bad


def _printed_in_order(lines: list[str], values: list[Cell]) -> bool:
    """Whether the dump's order of table 4's 15 numbers is the row's.

    Lines holding whole groups of 5 (one row of 15, a row per group) print the row's order, and
    so, as a rule, does one cell per line.  Numbers one or two to a line come from a dump that
    orders cells by their position, where a cell a hair higher on the page (under a header of
    three lines) comes out ahead of its neighbours: that order is the row's only if the groups
    add up in it.  A report may print one group that does not add up (a finding), but one cell
    per line with two or three such groups is more likely a shuffled dump than such a report.
    """
    counts = [len(lc.values) for lc in map(line_cells, lines) if lc.values]
    if counts and all(n % len(REVIEW_COLS) == 0 for n in counts):
        return True
    bad = _failing_groups(values)
    return bad == 0 or (bad == 1 and all(n == 1 for n in counts) and _header_in_order(lines))


_T4_HEADER_ORDER = ("结果维", "结果纠", "其他结", "尚未审", "总计")


def _header_in_order(lines: list[str]) -> bool:
    """Whether the column headers read in order (结果维持 … 总计): a dump that keeps the reading
    order of the header keeps that of the numbers under it.  A dump of text pieces sorted by
    their position cuts the wrapped headers into characters from several columns (其 / 尚 / 他 /
    结 …), and orders the numbers under them the same way."""
    labels = "".join(squash("".join(lc.labels)) for lc in map(line_cells, lines))  # a header/number pair each
    at = [labels.find(w) for w in _T4_HEADER_ORDER]  # wrapped headers: 结果维 结果纠 … / 持 正 …
    return min(at) >= 0 and at == sorted(at)


def _transposed_table4(lines: list[str]) -> Table4 | None:
    """Table 4 printed on its side: the three groups as columns, the five outcomes as rows.

    Read by its headers only: one header row naming each group once (行政复议 / 未经复议直接起诉 /
    复议后起诉, in any order) and five rows each naming one outcome with exactly one number per
    group.  Read in the printed sequence instead, every number would land in another group.
    """
    header: dict[int, str] | None = None
    rows: dict[str, dict[str, str]] = {}
    for line in lines:
        cells = split_cells(line)
        if cells is None:
            continue
        if header is None:
            squashed = squash(line)  # (every group's word is in the line before any cell can name it)
            if "直接起诉" not in squashed or "复议后" not in squashed or "行政复议" not in squashed:
                continue
            named = {i - len(cells): g for i, c in enumerate(cells) if c and (g := template_group_of(c))}
            if sorted(named.values()) == sorted(REVIEW_GROUPS) and len(named) == len(REVIEW_GROUPS):
                header = named
            continue
        filled = [c for c in cells if c]
        if not filled or value_cell(filled[0]) is not None:
            continue
        col = outcome_of(filled[0])
        if col is None:
            continue
        if col in rows or len(filled) != 1 + len(REVIEW_GROUPS):
            return None
        # cells counted from the right: a header row may lack the label column's blank cell
        rows[col] = {g: cells[i] if -i <= len(cells) else "" for i, g in header.items()}
    if header is None or len(rows) != len(REVIEW_COLS):
        return None
    cells_out: list[Cell | None] = []
    for g in REVIEW_GROUPS:
        for c in REVIEW_COLS:
            cell = value_cell(rows[c][g])
            if cell is None:
                return None
            cells_out.append(cell)
    return Table4(cells_out, None, ["table 4 printed with the groups as columns; read by its headers"])


_T4_OUTCOME_WORD = re.compile(r"结果|维持|纠正|审结")


def _below_outcome_header(lines: list[str]) -> list[Cell] | None:
    """Table 4's 15 numbers when a dump put other numbers above its column headers.

    Dumps that print a page's text boxes one after another (pdfminer) can set the rest of table 3,
    carried over to the page, between table 4's heading and its header (`行政复议 / 行政诉讼 / 总计 /
    2 / 25 / … / 结果 / 维持 / … / 2 / 0 / 1 / 2 / 5 …`).  Table 4's numbers stand below its outcome
    headers; those above are not its own.  Taken only when below the first outcome header stand
    exactly 15 numbers and each group adds up in their order."""
    first = next((i for i, s in enumerate(lines) if _T4_OUTCOME_WORD.search(squash(s))), None)
    if first is None or not any(line_cells(s).values for s in lines[:first]):
        return None
    values = [v for g in group_rows(lines[first:], expect=N_REVIEW) for v in g.values]
    if len(values) != N_REVIEW or any(v.value is None for v in values) or _failing_groups(values):
        return None
    return values


def _t4_by_header(cells: list[Cell], lines: list[str], warnings: tuple[str, ...] | list[str] = ()) -> Table4:
    """Table 4's 15 cells, in printed order, put where its header says (``t4order``: 总计 printed
    first in each group); a header departing from the template's order without proving another
    leaves the table unread."""
    order = header_order(lines)
    if order is None:
        return Table4(cells, None, list(warnings))
    if order.places is None:
        return Table4([None] * N_REVIEW, None, [*warnings, order.why], order.why)
    return Table4(reorder(cells, order), None, [*warnings, described(order)])


def parse_table4(lines: list[str]) -> Table4 | None:
    sideways = _transposed_table4(lines)
    if sideways is not None:
        return sideways
    with_rates = read_rate_columns(lines)
    if with_rates is not None:
        return Table4(*with_rates[:1], None, with_rates[1])
    warnings: list[str] = []
    for line in lines:
        lc = line_cells(line)
        if lc.tabbed and lc.values and lc.lead + len(lc.values) + lc.trail == N_REVIEW:
            # one grid row of exactly 15 cells: blanks at either end are printed blanks
            blank = Cell(None, "")
            return _t4_by_header([blank] * lc.lead + list(lc.values) + [blank] * lc.trail, lines)
    groups = group_rows(lines, expect=N_REVIEW)
    values: list[Cell] = [v for g in groups for v in g.values]
    if not values:
        return None
    if len(values) != N_REVIEW:
        headed = read_by_header(lines)  # 总计 columns left out, 行政诉讼 as one group: placed by the header
        if headed is not None:
            return Table4(headed.cells, None, [*warnings, headed.warning], None, headed.unread)
        below = _below_outcome_header(lines)
        if below is not None:
            warnings.append(f"table 4: {len(values) - N_REVIEW} numbers printed above its column headers"
                            " (another table's, set there by the dump) left out")
            return Table4(below, None, warnings)
    if len(values) == N_REVIEW:
        placed = _t4_by_header(list(values), lines, warnings)  # (the groups add up in the header's order)
        if placed.unaligned or _printed_in_order(lines, placed.cells):
            return placed
        printed = " ".join(c.raw for c in values)
        why = (
            f"table 4: the 15 numbers come over several lines in an order the dump does not fix ({printed}) "
            "and the groups do not add up in that order; not placed"
        )
        return Table4([None] * N_REVIEW, None, [*warnings, why], why)
    if len(values) > N_REVIEW:
        first = _t4_by_header(list(values[:N_REVIEW]), lines)
        if not first.unaligned and groups_add_up(first.cells):
            warnings.append(f"table 4 has {len(values)} cells; kept the first 15 (each group adds up)")
            return replace(first, warnings=[*warnings, *first.warnings])
        # numbers of other tables or a column-by-column dump mixed in: which 15 are table 4's
        # is a guess, and a wrong number is worse than a missing one
        why = f"table 4 has {len(values)} cells and the first 15 do not add up; not placed"
        return Table4([None] * N_REVIEW, None, [*warnings, why], why)
    if len(values) == N_REVIEW - 1 and header_order(lines) is None:
        return Table4(list(values) + [None], list(values), warnings)
    printed = " ".join(c.raw for c in values)
    why = f"table 4: only {len(values)} of 15 cells printed ({printed}); not placed"
    return Table4([None] * N_REVIEW, None, [*warnings, why], why)


# ---- table 2 --------------------------------------------------------------------------------

_SUFFIX = r"(?:[（(][^）)]*[）)])?[:：]?"


_GLUED_NUMBER = re.compile(r"(.+?)(\d[\d,，.]*)")


def _glued_row(
    lc: LineCells, specs, out: dict, warnings: list[str], line: str = ""
) -> tuple[tuple[str, int] | None, LineCells]:
    """A row whose first number sticks to its label ("行政规范性文件20  6  238"): PDF text puts no
    space where the label's cell ends.  Accepted only when label + numbers fill the row exactly;
    a number split across two cells ("行政规范性文件2 | 0 | 6 | 238") is left unplaced.
    """
    m = _GLUED_NUMBER.fullmatch(squash(lc.labels[-1]))
    first = value_cell(m.group(2)) if m else None
    if m is None or first is None or first.value is None:
        return None, lc
    if line and m.group(1)[-1] + m.group(2) not in line:
        return None, lc  # label text and tokens run together ("采购  77  4 8 8 .6"), not one glued number
    for key, rx, cols in specs:
        if key not in out and rx.fullmatch(m.group(1)):
            if lc.lead or len(lc.values) + 1 != len(cols):
                printed = " ".join([m.group(2)] + [c.raw for c in lc.values])
                warnings.append(Unplaced(f"table 2 row {key}: number glued to its label ({printed}); not placed",
                                         "active_disclosure", key, printed=printed))
                return None, lc
            values = [first] + list(lc.values)
            return (key, len(cols)), LineCells(lc.labels[:-1] + [m.group(1)], values, 0, lc.trail, lc.tabbed)
    return None, lc


_WRAP = 3  # label lines a narrow label column wraps to, above or below the numbers
# the report's title repeated in the page header: lands between a label's lines at a page break
_RUNNING_TITLE = re.compile(r"政府信息公开.{0,8}年度报告\s*$")
# an amount printed with its unit ("1.2万", "0.35万元") in the fee row, whose column is in 万元
_FEE_UNIT = re.compile(r"(?<=\d)\s*万元?(?=\s|$)")


def _rejoin_wrapped_labels(lines: list[str], specs) -> list[str]:
    """Put a label wrapped around its numbers back on their line.

    Position-sorted PDF text prints a narrow label column's lines above, beside and below the
    row's numbers ("行政许\n  50  +1  79892\n 可").  A plain line with numbers whose own label
    names no row takes the label lines next to it when together they spell a template label.
    """
    rows = [i for i, s in enumerate(lines) if s.strip() and not _RUNNING_TITLE.search(s)]
    info = {i: line_cells(lines[i]) for i in rows}

    def names_row(text: str) -> bool:
        return any(rx.fullmatch(text) for _key, rx, _cols in specs)

    out = list(lines)
    used: set[int] = set()
    for k, i in enumerate(rows):
        lc = info[i]
        own = squash("".join(lc.labels))
        if not lc.values or names_row(own) or i in used:
            continue
        if k and _lone_value(lc) and _lone_value(info[rows[k - 1]]):
            continue  # one cell per line: this number continues the run above, not a new row
        cells = split_cells(lines[i]) if lc.tabbed else None
        if lc.tabbed and (not cells or squash(cells[0]) != own):
            continue  # a grid row is rewritten only where its label is the first cell
        above: list[int] = []
        for j in reversed(rows[max(0, k - _WRAP) : k]):
            if info[j].values or info[j].tabbed or j in used:
                break
            above.insert(0, j)
        if above and names_row(squash(lines[above[-1]])):
            continue  # a label line above its numbers (one cell per line): read in order below
        below: list[int] = []
        for j in rows[k + 1 : k + 1 + _WRAP]:
            if info[j].values or (info[j].tabbed and not _label_cell_only(lines[j])) or names_row(squash(lines[j])):
                break  # a whole label below starts the next row
            below.append(j)
        options = sorted(
            ((a, b) for a in range(len(above) + 1) for b in range(len(below) + 1) if a + b),
            key=lambda ab: ab[0] + ab[1],
        )
        for a, b in options:
            take = above[len(above) - a :] + below[:b]
            text = "".join(squash(lines[j]) for j in above[len(above) - a :]) + own
            text += "".join(squash(lines[j]) for j in below[:b])
            if names_row(text):
                if not b and not own:
                    # the whole label above its numbers: one label line, read in order below
                    out[above[-1]] = text
                    for j in above[len(above) - a : -1]:
                        out[j] = ""
                    used.update(take)
                    break
                if cells:
                    out[i] = "\t".join([text, *cells[1:]])
                else:
                    out[i] = text + " " + " ".join(c.raw for c in lc.values)
                for j in take:
                    out[j] = ""
                used.update(take)
                break
    return out


_CHUNK_GAP = re.compile(r"\s{2,}")
_SPACED_DIGITS = re.compile(r"\d(?: \d)+|\d+(?:\.\d+)?")


def _spaced_digits(line: str, n: int) -> list[Cell] | None:
    """The row's n numbers when a layout dump spaced out each digit ("2 5    9    2 9 5").

    Some PDF writers place every glyph on its own, and text sorted by position then puts a space
    between the digits of one number; the cells stay apart by wider gaps.  Taken only when the
    gaps cut the numbers into exactly n chunks."""
    chunks = [c for c in _CHUNK_GAP.split(line.strip()) if c]
    tail = chunks[-n:]
    if len(chunks) <= n or not all(_SPACED_DIGITS.fullmatch(c) for c in tail):
        return None
    if _SPACED_DIGITS.fullmatch(chunks[-n - 1]):
        return None  # a number before the n chunks: more numbers than cells
    cells = [value_cell(c.replace(" ", "")) for c in tail]
    return None if any(c is None for c in cells) else cells  # type: ignore[return-value]


def _label_cell_only(line: str) -> bool:
    """A grid row holding text in its first cell alone: the end of a label that overflowed its
    cell's row at the table's last rule (行政事业性收 / 费), which the grid could not place."""
    cells = split_cells(line)
    return bool(cells) and bool(cells[0].strip()) and not any(c.strip() for c in cells[1:])


def _lone_value(lc: LineCells) -> bool:
    return not lc.labels and not lc.tabbed and len(lc.values) == 1


@lru_cache(maxsize=4)
def _row_specs(template: str) -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    return tuple((key, re.compile(pat + _SUFFIX), cols) for key, pat, cols in active_rows(template))


_STACKED_LABELS = 2  # row labels printed one after another without numbers: a labels-first block
_MAX_HEADER = 24  # a column header line is short: 本年收费金额（单位：万元）


def _column_major_table2(lines: list[str], specs) -> tuple[dict[str, list[Cell | None]], dict[str, str]] | None:
    """Table 2 from a dump that prints the row labels first and then, under each column header,
    that column's numbers for the rows in template order (pdftotext's and pdfminer's reading order).

    (rows read, {row left unread: the numbers printed under its columns}); None when the region is
    not in this layout (a grid, or numbers beside a row label).  A column is read only when its
    header (a header repeated per block continues its column) is followed by exactly as many
    numbers as the printed rows have that column, and a row only when all its columns are read:
    headers printed one after another with the numbers of several columns after the last
    (`本年制发件数 / 本年废止件数 / 0 / 0 / 11 / 3`) come row by row in one dump and column by column
    in another, so those rows are left unread.
    """
    seen: list[tuple[str, tuple[str, ...]]] = []
    columns: dict[str, list[Cell]] = {}
    current: str | None = None
    texts: list[str] = []  # header text since the last numbers (a header wraps: 本年新 / 制作数量)
    for line in lines:
        if not line.strip():
            continue
        lc = line_cells(line)
        if lc.tabbed:
            return None
        text = squash("".join(lc.labels))
        if text:
            row = next(((k, cols) for k, rx, cols in specs if rx.fullmatch(text)), None)
            if row is not None:
                if lc.values or any(k == row[0] for k, _ in seen):
                    return None  # numbers beside a label: not this layout
                seen.append(row)
                continue  # a row label between a header and its numbers leaves the column open
            texts = [*texts, text] if len(text) <= _MAX_HEADER else []
            named = {k for k, rx in ACTIVE_COL_HEADERS if rx.search("".join(texts))}
            # several headers before the numbers: whose the numbers are is not known
            current = named.pop() if len(named) == 1 else None
        if lc.values:
            texts = []
            columns.setdefault(current or "", []).extend(lc.values)
    if not seen or not columns:
        return None
    at: dict[tuple[str, str], Cell] = {}  # (row, column) -> its number
    for col, values in columns.items():
        rows = [k for k, cols in seen if col in cols]
        if col and len(rows) == len(values):
            at.update(((k, col), v) for k, v in zip(rows, values, strict=True))
    read = {k: [at[k, c] for c in cols] for k, cols in seen if all((k, c) in at for c in cols)}
    unread = {
        k: " ".join(v.raw for c in cols for v in columns.get(c, ())) for k, cols in seen if k not in read
    }
    return read, unread


_FOREIGN = ""  # header key of a printed column the template does not have


def _table2_header(line: str) -> list[str | None] | None:
    """Table 2's column key at each printed cell of a header row (None: blank or label cell,
    _FOREIGN: a column the template lacks).

    None when the line is not a header: a row naming at least one template column and holding
    no number (a plain line's words count as its cells)."""
    cells = split_cells(line)
    cells = line.split() if cells is None else cells
    if any(c and value_cell(c) is not None for c in cells):
        return None
    keys: list[str | None] = []
    for c in cells:
        text = squash(c)
        hit = next((k for k, rx in ACTIVE_COL_HEADERS if rx.search(text)), None) if text else None
        if hit and _LAST_YEAR_HEADER.search(text) or text and hit is None and any(keys):
            keys.append(_FOREIGN)  # last year's column, or a named one right of the template's
        else:
            keys.append(hit)
    if not any(keys):
        return None
    return keys


def _by_header(line: str, header: list[str | None] | None, cols: tuple[str, ...],
               whole: bool = True) -> list[Cell | None] | None:
    """A row's cells taken from the columns its header names, in template order.

    Bodies add columns the template lacks (last year's figures beside this year's); positional
    reading then takes the last numbers of the row, which are last year's.  None when the row
    and the header do not line up cell for cell (a plain row: one number per column word right of
    the label) or the header does not name each column once.

    Not `whole`: a row with fewer cells than its columns, under a header naming only its own
    cells' columns, all of them the row's: the columns it does not name are null.  An OCR'd grid
    broken into pieces prints 第二十条第（六）项's 处理决定数量 as a table of its own ("信息内容 | 处理决定数量",
    "行政处罚 | 182"); read from the left, 182 became the 上一年项目数量.
    """
    if header is None:
        return None
    cells = split_cells(line)
    if cells is None:  # plain text: the header's words from its first column on, the row's numbers
        first = next((i for i, k in enumerate(header) if k is not None), len(header))
        header = header[first:]
        cells = [c.raw for c in line_cells(line).values]
    if len(cells) != len(header):
        return None
    at = {k: i for i, k in enumerate(header) if k}
    if len(at) != sum(bool(k) for k in header):
        return None
    if not (all(c in at for c in cols) if whole else at and set(at) <= set(cols)):
        return None
    return [(value_cell(cells[at[c]]) or Cell(None, cells[at[c]])) if c in at else None for c in cols]


def _merged_repeats(line: str, header: list[str | None] | None, cols: tuple[str, ...],
                    values: list[Cell]) -> list[Cell | None] | None:
    """A tabbed row with more cells than its columns, read where a merged cell's repeats explain it.

    python-docx (and walkers like it) give a cell spanning two grid columns once per column, its
    text repeated: 政府集中采购 | 170 | 46430.49 | 46430.49 under 采购项目数量 | 采购总金额 | 采购总金额.
    Taking the last cells shifts every value into the wrong key.  A header printed the same way
    names the spanned column twice: its runs collapse to one cell when the row's cells under a run
    agree.  Without such a header the surplus is read only when removing cells that repeat their
    left neighbour gives one reading; otherwise None (not placed: a guess would be a wrong number)."""
    cells = split_cells(line)
    if header is not None and cells is not None and len(cells) == len(header):
        keep = [i for i, k in enumerate(header) if not (i and k and header[i - 1] == k)]
        runs_agree = all(squash(cells[i]) == squash(cells[i - 1]) for i in range(1, len(header))
                         if header[i] and header[i - 1] == header[i])
        if runs_agree and len(keep) < len(header):
            at = {header[i]: cells[i] for i in keep if header[i]}
            if all(c in at for c in cols):
                return [value_cell(at[c]) or Cell(None, at[c]) for c in cols]
    surplus = len(values) - len(cols)
    repeats = [i for i in range(1, len(values)) if values[i].raw and values[i].raw == values[i - 1].raw]
    readings = {
        tuple(c.raw for i, c in enumerate(values) if i not in drop): [c for i, c in enumerate(values) if i not in drop]
        for drop in map(set, combinations(repeats, surplus))
    }
    return next(iter(readings.values())) if len(readings) == 1 else None


def _stray_rows(stray: list[tuple[str, str]], specs, out: dict, warnings: list[str]) -> None:
    """A row printing numbers under a label that matches no row of the table (an OCR'd label
    that lost a character: 行政处 for 行政处罚) is not placed, but not dropped unsaid either:
    the missing row that shares most of its label's characters (at least two, and alone in
    that) is named in an Unplaced warning, so its null cells carry a finding."""
    from .template import ACTIVE_ROW_LABELS

    for label, printed in stray:
        missing = [key for key, _rx, _cols in specs if key not in out]
        shared = {k: len(set(label) & set(squash(ACTIVE_ROW_LABELS.get(k, "")))) for k in missing}
        best = max(shared.values(), default=0)
        keys = [k for k, v in shared.items() if v == best]
        if best >= 2 and len(keys) == 1:
            warnings.append(Unplaced(f"table 2 row {keys[0]}: a row '{label[:20]}' ({printed}) matched no label;"
                                     " not placed", "active_disclosure", keys[0], label=label, printed=printed))


def _label_in_header(line: str, header: list[str | None], specs, out: dict) -> str | None:
    """The row a header row names in its label cell: a DOCX whose row label is merged down over
    two rows, the column header beside it on the first and the row's numbers on the second
    (行政许可 | 本年处理决定数量 / (merged) | 2207).  None unless one label cell, left of every
    column header, names exactly one row not yet read."""
    cells = split_cells(line)
    if cells is None:
        return None
    first = next((i for i, k in enumerate(header) if k is not None), len(header))
    named = {key for c in cells[:first] if c.strip()
             for key, rx, _cols in specs if key not in out and rx.fullmatch(squash(c))}
    return named.pop() if len(named) == 1 else None


def _header_of_open_row(header: list[str | None], key: str, specs, out: dict) -> bool:
    """Whether a header line right after a row's label, its numbers not yet read, is that row's
    own header: a label merged down over two rows, read cell by cell (行政许可 / 本年处理决定数量 /
    2868).  Only when the header names that row's columns alone and no other row waits for its
    numbers (labels printed first, then a header and the numbers column by column, are not this)."""
    cols = next(c for k, _rx, c in specs if k == key)
    named = {k for k in header if k}
    return bool(named) and named <= set(cols) and [k for k, v in out.items() if not v] == [key]


def _under_label_above(line: str, header: list[str | None] | None, cols: tuple[str, ...]) -> list[Cell | None] | None:
    """The cells of a row whose label stands merged above it (`_label_in_header`): a tabbed line
    with its label cell blank and numbers only, each taken from the column the header names over
    it; None when the line is not that (its numbers then are read as any other line's)."""
    lc = line_cells(line)
    if not (lc.tabbed and lc.lead and lc.values and not lc.labels):
        return None
    return _by_header(line, header, cols, whole=False)


def _drop_shifted(out: dict[str, list[Cell | None]], below: list[str], number_first: bool,
                  current: tuple[str, int] | None, warnings: list) -> None:
    """A block that opens with a number no label owns and ends with a label no number follows
    (1020 / 行政处罚 / 41 / 行政强制) sets each number above its label: the rows that took the
    number after their label took the next row's, and stay null."""
    if not (number_first and below and current is not None and not out.get(current[0])):
        return
    for key in dict.fromkeys(below):
        printed = " ".join(c.raw for c in out.get(key) or [] if c is not None)
        warnings.append(Unplaced(f"table 2 row {key}: the number after its label ({printed}) is the next row's"
                                 " (this block prints each number above its label); not placed",
                                 "active_disclosure", key, printed=printed))
        out[key] = []


def parse_table2(
    lines: list[str], template: str, warnings: list[str] | None = None
) -> dict[str, list[Cell | None]]:
    """Row key -> cells, for the rows of table 2 the template defines.

    A row of a tab-separated table is positional.  A plain-text row that printed fewer numbers
    than its columns (blank cells leave no trace there) cannot be placed and is left null.  A row
    whose label is misspelt is read only where its place proves which row it is (`rowslot`).
    """
    warnings = [] if warnings is None else warnings
    first: list[str] = []
    order: list[tuple[str | None, int, str]] = []
    out = _read_table2(lines, template, first, order)
    strays = [(i, label) for key, i, label in order if key is None]
    if len(strays) == 1:
        rows = [key for key, _rx, _cols in _row_specs(template)]
        key = slot_row([k for k, _i, _label in order], strays[0][1], rows)
        if key is not None:
            again: list[str] = []
            read = _read_table2(lines, template, again, [], {strays[0][0]: key})
            if read.get(key) and any(c is not None and c.value is not None for c in read[key]):
                warnings.extend(again)
                warnings.append(f"table 2 row {key}: printed as '{strays[0][1][:20]}', read by its place (every other"
                                f" row printed under its label in the template's order)")
                return read
    warnings.extend(first)
    return out


def _read_table2(
    lines: list[str], template: str, warnings: list[str], order: list[tuple[str | None, int, str]],
    relabel: dict[int, str] | None = None,
) -> dict[str, list[Cell | None]]:
    """`parse_table2`'s reading; ``order`` gets each labelled row with numbers as printed (row key or
    None for a label that names no row, the line's index, the label); ``relabel``: a line's row
    known from its place."""
    partial: set[str] = set()
    specs = _row_specs(template)
    out: dict[str, list[Cell | None]] = {}
    current: tuple[str, int] | None = None  # row still collecting values one per line
    empty_run = 0  # row labels in a row that opened with no number after them
    stacked: set[str] = set()  # rows opened under a stack of such labels
    header: list[str | None] | None = None  # the last header row's column at each cell
    stray: list[tuple[str, str]] = []  # (label, numbers) of rows whose label matched no row
    below: list[str] = []  # this block's rows that took their numbers from the lines after the label
    number_first = False  # this block printed a number before any of its labels
    labelled = False  # this block printed a label
    above: str | None = None  # a row named in the header row's label cell, its numbers on the next line
    for idx, line in enumerate(_rejoin_wrapped_labels(lines, specs)):
        if not line.strip():
            continue
        found = _table2_header(line)
        if found is not None or "第二十条" in line:
            _drop_shifted(out, below, number_first, current, warnings)
            below, number_first, labelled = [], False, False
            header = found  # each 第二十条 block prints its own header
        if found is not None:
            if current is None or not _header_of_open_row(found, current[0], specs, out):
                current = None
            above = _label_in_header(line, found, specs, out)
            continue
        if above is not None:
            key, above = above, None
            placed = _under_label_above(line, header, tuple(c for k, _rx, c in specs if k == key)[0])
            if placed is not None:
                out[key] = placed
                continue
        if "收费" in line and "万" in line:
            line = _FEE_UNIT.sub("", line)
        lc = line_cells(line)
        if lc.values:
            empty_run = 0
        if lc.labels:
            labelled = True
            current = None
            hit = None
            for lab in lc.labels:
                s = squash(lab)
                for key, rx, cols in specs:
                    if key not in out and rx.fullmatch(s):
                        hit = (key, len(cols))
                        break
                if hit:
                    break
            if not hit:
                hit, lc = _glued_row(lc, specs, out, warnings, line)
            if not hit and relabel and idx in relabel:
                hit = next((k, len(cols)) for k, _rx, cols in specs if k == relabel[idx])
            if not hit:
                if lc.values:
                    stray.append((squash("".join(lc.labels)), " ".join(c.raw for c in lc.values)))
                    order.append((None, idx, stray[-1][0]))
                continue
            key, n = hit
            if lc.values:
                order.append((key, idx, ""))
            if lc.values:
                cells: list[Cell | None] = (
                    [Cell(None, "")] * lc.lead + list(lc.values) if lc.tabbed else list(lc.values)
                )
                foreign = header is not None and len(cells) > n and _FOREIGN in header
                if foreign:
                    # more cells than columns under a header naming others: taken by the header, and
                    # a column the template lacks is dropped, never read into another
                    chosen = _by_header(line, header, tuple(c for k, _rx, c in specs if k == key)[0])
                    if chosen is None:
                        printed = " ".join(c.raw for c in cells)
                        warnings.append(Unplaced(f"table 2 row {key}: {len(cells)} cells for {n} columns ({printed}); not placed",
                                                 "active_disclosure", key, printed=printed))
                    cells = chosen or [None] * n
                if lc.tabbed and len(lc.values) > n and not foreign:
                    cells = _merged_repeats(line, header, tuple(c for k, _rx, c in specs if k == key)[0], lc.values)
                    if cells is None:
                        printed = " ".join(c.raw for c in lc.values)
                        warnings.append(Unplaced(f"table 2 row {key}: {len(lc.values)} cells for {n} columns ({printed});"
                                                 " not placed", "active_disclosure", key, printed=printed))
                        cells = [None] * n
                if len(cells) > n and not lc.tabbed:
                    joined = _spaced_digits(line, n)
                    if joined is not None:
                        cells = joined
                    else:
                        # more numbers than columns: which are this row's is a guess
                        printed = " ".join(c.raw for c in cells)
                        warnings.append(Unplaced(f"table 2 row {key}: {len(cells)} numbers for {n} cells ({printed}); not placed",
                                                 "active_disclosure", key, printed=printed))
                        cells = []
                if len(cells) > n:
                    cells = cells[-n:]
                if lc.tabbed and len(cells) < n:
                    placed = _by_header(line, header, tuple(c for k, _rx, c in specs if k == key)[0], whole=False)
                    if placed is not None:
                        out[key] = placed
                        continue
                if not lc.tabbed and len(cells) < n:
                    partial.add(key)
                out[key] = cells + [None] * (n - len(cells))
            else:
                out[key] = []
                current = (key, n)
                if empty_run >= _STACKED_LABELS:
                    stacked.add(key)
                empty_run += 1
                continue
        elif lc.values and current is not None:
            key, n = current
            room = n - len(out[key])
            out[key].extend(lc.values[:room])
            below.append(key)
            if len(out[key]) >= n:
                current = None
        elif lc.values and not labelled:
            number_first = True
    _drop_shifted(out, below, number_first, current, warnings)
    for key in stacked:
        printed = " ".join(c.raw for c in out[key] if c is not None)
        if printed:
            # the numbers below a stack of labels are the stack's columns (labels first, numbers
            # later), not the last label's row
            warnings.append(Unplaced(f"table 2 row {key}: its label is the last of {_STACKED_LABELS + 1} or more printed"
                                     f" without numbers; the numbers after it ({printed}) not placed",
                                     "active_disclosure", key))
            out[key] = []
    for key, _pat, cols in active_rows(template):
        got = out.get(key)
        if got is None:
            continue
        printed = [c for c in got if c is not None]
        if key in partial or 0 < len(printed) < len(cols) and len(got) < len(cols):
            text = " ".join(c.raw for c in printed)
            warnings.append(Unplaced(
                f"table 2 row {key}: only {len(printed)} of {len(cols)} cells printed ({text}); not placed",
                "active_disclosure", key, printed=text,
            ))
            out[key] = [None] * len(cols)
        elif len(got) < len(cols):
            out[key] = got + [None] * (len(cols) - len(got))
    _stray_rows(stray, specs, out, warnings)
    blank = {k for k, cells in out.items() if all(c is None for c in cells)}
    by_column = _column_major_table2(lines, specs) if blank else None
    if by_column and all(out[k] == v for k, v in by_column[0].items() if k in out and k not in blank):
        # labels without a number beside them: the numbers follow column by column (a row whose
        # label happens to stand right above its number was read alike)
        read, unread = by_column
        if any(k in blank for k in read):
            warnings.append("table 2 read column by column (numbers printed under each column header)")
            out.update((k, v) for k, v in read.items() if k in blank)
        for key, printed in unread.items():
            if key in blank:
                warnings.append(Unplaced(
                    f"table 2 row {key}: its label is printed apart from the numbers, which do not fit"
                    f" its columns ({printed or 'none under its headers'}); not placed",
                    "active_disclosure", key, printed=printed))
    return out
