"""Header cells wrapped over lines in a table without rules, joined top to bottom.

A table printed without rules (a web page's borderless table through chromium, a Word table
with its borders off) wraps a narrow header cell's words: 总计 prints as 总 over 计, 结果维持
as 结果 over 维持.  Read from glyph positions line by line, each header line is a row of half
words, and a header that names its columns in another order than the template's (table 4 with
总计 first) can no longer be read column by column, so the table is left unread.

A cell's next line stands under it: on the next line of a header (lines of short words and no
number, standing close above a row of numbers), within 1.6 line heights, at the same left edge, centre or
right edge, no wider than the cell, and alone under it (a group name over its outcome columns
has several cells under it, and is no wrapped cell).  Such pieces are joined into one cell.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.formats.pdfglyphs import Line, Word

LINE_STEP = 1.6  # x font size: the furthest a wrapped cell's next line stands below it
ALIGN = 0.3  # x font size: edges or centres this close are one cell's lines


ABOVE = 6.0  # x font size: how far above a row of numbers its header's lines may stand
MIN_VALUES = 3  # numbers on a line that make it a table's row
SHORT = 8  # characters: the longest header word (未经复议直接起诉); a paragraph's words run longer


def _header_line(ln: Line, is_value) -> bool:
    """A line of short words and no number: a header line of a table (a word a cell or a wrapped
    cell's piece; columns may stand less than a cell gap apart, so one rebuilt cell may hold several)."""
    return (not ln.vertical and len(ln.words) >= 2 and not any(is_value(w.text) for w in ln.words)
            and all(len(w.text) <= SHORT for w in ln.words))


def _overlap(a: Word, b: Word) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _under(top: Word, low: Word, size: float) -> bool:
    tol = ALIGN * size
    aligned = (abs(low.x0 - top.x0) <= tol or abs(low.x1 - top.x1) <= tol
               or abs((low.x0 + low.x1) - (top.x0 + top.x1)) <= 2 * tol)
    return aligned and low.x1 - low.x0 <= top.x1 - top.x0 + tol


def _next_piece(top: Word, base: float, size: float, lines: list[Line], taken: set[int]) -> tuple[Line, Word] | None:
    """The one cell on a following header line under ``top`` that continues it, or None."""
    for ln in lines:
        if ln.base <= base or abs(ln.size - size) > 0.5:
            continue
        if ln.base - base > LINE_STEP * size:
            break
        below = [c for c in ln.cells if _overlap(top, c) and id(c) not in taken]
        if not below:
            continue  # another line of the header, beside this cell: look further down
        if len(below) == 1 and _under(top, below[0], size):
            return ln, below[0]
        return None
    return None


def join_wrapped(lines: list[Line], is_value) -> list[Line]:
    """``lines`` (sorted by baseline) with each wrapped header cell's lines joined into its first
    line's cell; lines left empty are dropped.  ``is_value``: whether a cell's text is a number.

    Header words are the units: narrow columns stand less than a cell gap apart, so one rebuilt
    cell may hold the first lines of several columns (总 结果 结果 over 计 维持 纠正).  A line whose
    words take part in a join has them as its cells; any other line is left as it was.
    """
    rows = [ln.base for ln in lines if sum(is_value(c.text) for c in ln.cells) >= MIN_VALUES]
    heads = [ln for ln in lines if _header_line(ln, is_value)
             and any(0 < b - ln.base <= ABOVE * ln.size for b in rows)]
    if len(heads) < 2 or not rows:
        return lines
    units = {id(ln): list(ln.words) for ln in heads}
    pieces = [replace(ln, cells=units[id(ln)]) for ln in heads]
    taken: set[int] = set()
    touched: set[int] = set()
    for ln in pieces:
        for i, cell in enumerate(ln.cells):
            if id(cell) in taken:
                continue
            joined, base = cell, ln.base
            while (found := _next_piece(joined, base, ln.size, pieces, taken)) is not None:
                low_line, low = found
                taken.add(id(low))
                touched.add(id(low_line))
                joined = replace(joined, x0=min(joined.x0, low.x0), x1=max(joined.x1, low.x1),
                                 y1=max(joined.y1, low.y1), text=joined.text + low.text)
                base = low_line.base
            if joined is not cell:
                ln.cells[i] = joined
                touched.add(id(ln))
    if not taken:
        return lines
    rebuilt = {id(head): piece for head, piece in zip(heads, pieces, strict=True) if id(piece) in touched}
    out = []
    for ln in lines:
        piece = rebuilt.get(id(ln))
        if piece is None:
            out.append(ln)
            continue
        cells = [c for c in piece.cells if id(c) not in taken]
        if cells:
            words = [w for w in ln.words if id(w) not in taken]
            out.append(replace(ln, words=words, cells=cells))
    return out
