"""A number wrapped inside its narrow table cell: which printed pieces make one number.

A PDF's narrow column (table 3's 总计, a 3-digit 自然人 count in full-width digits) wraps a number
inside its cell: "６２" prints as "６" on the row's line and "２" on the line below, "2,470" as "2,47"
above the row's text line and "0" below it (a cell centred vertically).  A text dump keeps the
pieces apart, and each piece reads as a number of its own: taken for the whole, it is a WRONG
number (62 read as 6), the worst failure a reader can make.  The pieces carry no mark saying they
belong together, so a join is taken only with proof (the row's six applicant cells then sum to
its 总计, which they did not before) and a row that one of several joins, or none, could explain
is not read at all.

No parsers imports beyond tokens: tables.py calls this with plain cells.
"""

from __future__ import annotations

import re
from itertools import combinations

from .tokens import Cell, value_cell

_DIGITS = re.compile(r"[0-9０-９]+")
_MAX_PIECES = 3  # wrapped tails one row's line below may hold (a row of 7 narrow cells rarely wraps more)
# a thousands grouping cut short ("2,47" of 2,470): no number, only the head of one
_CUT_GROUPING = re.compile(r"(?<![0-9０-９,，])[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})*[,，][0-9０-９]{1,2}(?![0-9０-９,，])")


def tail_pieces(cells: list[Cell]) -> bool:
    """Whether cells printed on a line of their own beside a row can be pieces (heads or tails)
    of its wrapped numbers: a few bare digit runs (a dash, a decimal or a word is no piece of a count)."""
    return 0 < len(cells) <= _MAX_PIECES and all(_DIGITS.fullmatch(c.raw) for c in cells)


_CUT_TAIL = re.compile(r"[0０][0-9０-９]")  # "09": no number is printed so, only the tail of one (1909)


def whole(row: list[Cell]) -> bool:
    """Whether no cell of the row is plainly the tail of a wrapped number ("09")."""
    return not any(_CUT_TAIL.match(c.raw) for c in row)


def _adds_up(row: list[Cell]) -> bool:
    total = row[-1].value
    return bool(total) and whole(row) and abs(sum(c.value or 0 for c in row[:-1]) - total) < 1e-6


def _joined(cell: Cell, piece: str, head: bool) -> Cell | None:
    """The cell with a wrapped piece joined to it (`head`: the piece comes first), or None where no
    number reads so: a 0 or a dash does not start a longer number."""
    if head:
        if piece[0] in "0０" or cell.value is None or cell.raw[:1] in "-+":
            return None
        return value_cell(piece + cell.raw)
    if cell.value in (None, 0) or not cell.raw or cell.raw[-1] in ".-":
        return None
    return value_cell(cell.raw + piece)


def joins(row: list[Cell], heads: list[Cell], tails: list[Cell]) -> list[list[Cell]]:
    """Every reading of the row with the heads put before, and the tails after, distinct cells
    left to right (a wrapped cell's head prints above it, its tail under it, and a line keeps the
    columns' order) that adds up.  Several readings mean the pieces cannot be placed."""
    found: dict[tuple[str, ...], list[Cell]] = {}
    for head_cols in combinations(range(len(row)), len(heads)):
        with_heads = _placed(list(row), head_cols, heads, True)
        if with_heads is None:
            continue
        for tail_cols in combinations(range(len(row)), len(tails)):
            new = _placed(list(with_heads), tail_cols, tails, False)
            if new is not None and _adds_up(new):
                found[tuple(c.raw for c in new)] = new
    return list(found.values())


def _placed(row: list[Cell], cols: tuple[int, ...], pieces: list[Cell], head: bool) -> list[Cell] | None:
    for col, piece in zip(cols, pieces, strict=True):
        cell = _joined(row[col], piece.raw, head)
        if cell is None:
            return None
        row[col] = cell
    return row


def cut_grouping(label: str) -> str | None:
    """A thousands-grouped number cut short in a row's label text (the head of a wrapped cell
    printed above the row's line), else None."""
    m = _CUT_GROUPING.search(label)
    return m.group(0) if m else None


def wrapped_total(row: list[Cell], head: str, tail: Cell) -> list[Cell] | None:
    """The row of six cells with its 总计 printed in two pieces (head above, tail below the row's
    line), when the joined number is a number and the row then adds up; else None."""
    total = value_cell(head + tail.raw)
    if total is None:
        return None
    new = [*row, total]
    return new if _adds_up(new) else None


def column_piece(lead: int, fields: int, cells: list[Cell], width: int) -> dict[int, str] | None:
    """The digits of a label-less tab-separated line by the column each prints under, or None when
    the line is no line of pieces (a word, a dash, a decimal, a cell outside the columns).

    A tool dumping a tab-separated row whose cells hold line breaks prints each cell's next line
    at the cell's own tab position, so the positions prove which cell a piece belongs to: the
    line's last field is under the last column (a line one field longer leads with the label's
    blank cell)."""
    shift = fields - width
    if shift not in (0, 1):
        return None
    out: dict[int, str] = {}
    for k, c in enumerate(cells):
        if not c.raw:
            continue
        col = lead + k - shift
        if not _DIGITS.fullmatch(c.raw) or not 0 <= col < width:
            return None
        out[col] = c.raw
    return out or None


def joined_by_column(row: list[Cell], pieces: list[dict[int, str]]) -> list[Cell] | None:
    """The row with every line of pieces joined to the cells they print under, when that reading
    adds up and no shorter one (fewer of the lines) does; else None.

    Each line is one more line of the cells' text, so a join takes the lines in order; a reading
    that already adds up with fewer lines leaves the rest unexplained, and either might be meant."""
    cur = list(row)
    for m, piece in enumerate(pieces, 1):
        for col, digits in piece.items():
            cell = _joined(cur[col], digits, head=False)
            if cell is None:
                return None
            cur[col] = cell
        if _adds_up(cur):
            return cur if m == len(pieces) else None
    return None
