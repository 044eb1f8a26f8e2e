"""Table rows that ran on past a PDF page's right edge: the columns the page lost are cut off.

A DOCX table wider than the page, printed by LibreOffice, is clipped at the paper's edge: the
columns beyond it (table 3's 其他 and 总计, table 4's last ones) are not printed at all, so its
rows show fewer cells than the template's.  Read as they are, those rows cannot be placed and
the whole table went null.  The PDF extractor ends each such row with PAST_EDGE (pdfcut); here
the rows get back the template's width: the printed cells first, where the grid put them, then
one CUT_OFF per lost column (null, with a `cut_off` finding).

Only when the header lost the same columns: it names the first columns of the template in
order and none after them (or, in table 3, names as many columns as the rows print on one grid
line in another order, 总计 first: the rows' cells go to the columns it names, the rest cut off), nor does the region print those elsewhere (a table of another shape,
three columns, on its side or in column slices, is read as before), and every marked row fits in
the columns the header shows.
"""

from __future__ import annotations

from .formats.pdfcut import CUT_OFF, PAST_EDGE
from .template import APPLICANT_COL_LABELS, APPLICANT_COLS, REVIEW_COL_LABELS
from .tokens import line_cells, split_cells, squash

_MARK = "\t" + PAST_EDGE
_APPLICANT_NAMES = tuple(APPLICANT_COL_LABELS[c] for c in APPLICANT_COLS)
_OUTCOME_NAMES = frozenset(REVIEW_COL_LABELS.values())
_T4_WIDTH = 15


def strip(text: str) -> str:
    """``text`` without PAST_EDGE marks."""
    return text.replace(_MARK, "").replace(PAST_EDGE, "")


def split_marks(lines: list[str]) -> tuple[list[str], frozenset[int]]:
    """The lines without PAST_EDGE, and the indices of the lines that ended with it."""
    marked = set()
    out = []
    for i, line in enumerate(lines):
        if PAST_EDGE in line:
            marked.add(i)
            line = strip(line)
        out.append(line)
    return out, frozenset(marked)


def fill_table3(lines: list[str], marked: set[int]) -> list[str]:
    """Table 3's region with its cut rows widened to seven cells (see the module's note)."""
    rows = _rows(lines, marked)
    if not rows:
        return lines
    k = max(len(lc.values) for _, lc in rows)
    cells = _header_cells(lines, rows[0][0], _APPLICANT_NAMES)
    shown = [n for n in _APPLICANT_NAMES if n in cells]
    printed = [c for c in cells if c in _APPLICANT_NAMES]
    if len(printed) == len(shown) == k and printed != shown and _one_header_line(lines, rows[0][0], printed):
        return _reordered(lines, rows, printed)  # 总计 printed first: the header's order, the rest cut off
    if shown and k == len(shown) + 1 < len(_APPLICANT_NAMES) and shown == list(_APPLICANT_NAMES[:len(shown)]):
        k = len(shown)  # a column the edge cut before its header: what shows of it is not read either
    if not 0 < k < len(_APPLICANT_NAMES) or shown != list(_APPLICANT_NAMES[:k]):
        return lines
    if set(_APPLICANT_NAMES[k:]) & set(_headers_below(lines, rows[0][0])):
        return lines  # the columns past the edge printed elsewhere (a slice of their own, a 续表)
    return _widen(lines, rows, k, len(_APPLICANT_NAMES))


def _one_header_line(lines: list[str], first_row: int, printed: list[str]) -> bool:
    """The names stand on one grid line of the header, each in a cell of its own (their order is
    the columns')."""
    for line in lines[:first_row]:
        cells = split_cells(line)
        if cells is not None and [squash(c) for c in cells if squash(c) in _APPLICANT_NAMES] == printed:
            return True
    return False


def _reordered(lines: list[str], rows, printed: list[str]) -> list[str]:
    """Each cut row's k printed cells put in the template's columns by the header's names (printed
    in another order: 总计 first), CUT_OFF in the columns the header does not show."""
    if set(_APPLICANT_NAMES) - set(printed) & set(_headers_below(lines, rows[0][0])):
        return lines  # the columns past the edge printed elsewhere (a slice of their own, a 续表)
    out = list(lines)
    k = len(printed)
    for i, lc in rows:
        if len(lc.values) != k:
            return lines
        cells = lines[i].rstrip("\t ").split("\t")
        head, values = cells[: len(cells) - k], cells[len(cells) - k:]
        by_name = dict(zip(printed, values, strict=True))
        out[i] = "\t".join(head + [by_name.get(n, CUT_OFF) for n in _APPLICANT_NAMES])
    return out


def fill_table4(lines: list[str], marked: set[int]) -> list[str]:
    """Table 4's region with its one cut row of numbers widened to fifteen cells: only when the
    header shows as many outcome columns (结果维持 … 总计) as the row prints numbers."""
    rows = _rows(lines, marked)
    if len(rows) != 1:
        return lines
    k = len(rows[0][1].values)
    shown = sum(c in _OUTCOME_NAMES for c in _header_cells(lines, rows[0][0], tuple(_OUTCOME_NAMES)))
    below = sum(c in _OUTCOME_NAMES for c in _headers_below(lines, rows[0][0]))
    if not 0 < k < _T4_WIDTH or shown != k or below:
        return lines  # (more outcome columns printed below: the rest of the table is elsewhere)
    return _widen(lines, rows, k, _T4_WIDTH)


def _rows(lines: list[str], marked: set[int]) -> list[tuple[int, object]]:
    out = []
    for i in sorted(marked):
        if i < len(lines):
            lc = line_cells(lines[i])
            if lc.values and lc.tabbed:
                out.append((i, lc))
    return out


def _header_cells(lines: list[str], first_row: int, names: tuple[str, ...], edge: bool = True) -> list[str]:
    """The cells of the region's lines above its first row of numbers (the header), squashed, in
    order.  A line's last cell stands at the page's edge and may have lost its last characters
    (法律服务机 or 法 for 法律服务机构, 结 for 结果纠正): when what is left begins only ``names``' one
    name, or only outcome names (table 4 counts them: which one it is does not matter), it is that.
    Not ``edge``: the cells as printed (a wrapped label's piece, 其, names no column)."""
    cells: list[str] = []
    for line in lines[:first_row]:
        line_cells = [squash(c) for c in (split_cells(line) or line.split()) if c.strip()]
        last = line_cells[-1] if line_cells else ""
        if edge and last and last not in names:
            begun = {n for n in names if n.startswith(last)}
            if len(begun) == 1 or begun and begun <= _OUTCOME_NAMES:
                line_cells[-1] = min(begun)
        cells.extend(line_cells)
    return cells


def _headers_below(lines: list[str], first_row: int) -> list[str]:
    """The cells, as printed, of the region's lines without numbers below its first row of them
    (a column slice's or a 续表's header; a wrapped label's piece such as 其 names no column)."""
    headers = [line for line in lines[first_row + 1:] if not line_cells(line).values]
    return _header_cells(headers, len(headers), (), edge=False)


def _widen(lines: list[str], rows, k: int, width: int) -> list[str]:
    """Each cut row: its printed cells in the k columns the header names, blank ones where a row
    printed fewer, then CUT_OFF for each column past them (a cell of a column whose header the
    edge cut off is one of those, also where its number shows whole)."""
    out = list(lines)
    for i, lc in rows:
        cells = lines[i].rstrip("\t ").split("\t")
        n = len(lc.values)
        head, values = cells[: len(cells) - n], cells[len(cells) - n:][:k]
        out[i] = "\t".join(head + values + [""] * (k - len(values)) + [CUT_OFF] * (width - k))
    return out
