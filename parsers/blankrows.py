"""Table 3's blank cells placed by each row's own cells, where no clean grid shows them.

A DOCX row is read one entry per cell (w:tc, formats/docx.py): a row's label cell(s), then its
value cells, so the rows of one table carry different numbers of entries (a label spanning three
columns is one entry, three label cells are three) and no common grid column holds the values
(``tables.grid_window`` finds none).  Under a blank-means-zero note (blanknote.py) the blanks are
printed zeros, but only if it is certain which column each blank is: a row whose label is
followed by exactly the template's seven cells has them in order, as its seven printed cells
(the table reader reads a row of seven numbers the same way).  A table drawn with extra empty
columns after 总计 shows them in its header row (cells after the 总计 cell): a row with that
many more cells, all of them blank, has its seven first.  Anything else (a row with fewer or
other extra cells, a number after the label's cells and the seven, a row whose label comes after
its numbers) leaves the whole table as it was: a guess between two placements is no reading.
Only a row of blank cells that lacks some of the seven is left alone (null) while the others are read.
"""

from __future__ import annotations

from .tokens import split_cells, squash, value_cell

# words only the header rows print (the applicant columns): such a line is no row of numbers
_HEADER_WORDS = ("自然人", "商业企业", "科研机构", "法人或其他组织", "申请人情况")


def _label_end(cells: list[str]) -> int | None:
    """Index of the row's last label cell, when every cell after it is blank or a value; None
    when the row has no label or a label after a value (a label printed after the numbers)."""
    last = None
    seen_value = False
    for i, c in enumerate(cells):
        if not c:
            continue
        if value_cell(c) is None:
            if seen_value:
                return None
            last = i
        else:
            seen_value = True
    return last


def is_header(cells: list[str]) -> bool:
    """Whether a row's cells are a header line of table 3: some cell names an applicant column (its
    words squashed: 自 然人 too).

    The cells are squashed once, joined by NUL: no header word holds one (nor whitespace), so a
    word is found in the joined text exactly when it is found in one cell (every row of table 3
    is asked, five words each)."""
    joined = "".join("\0".join(cells).split())
    return any(w in joined for w in _HEADER_WORDS)


def header_extra(lines: list[str]) -> int | None:
    """Cells the header row prints after its 总计 cell (an empty column drawn past the table's
    last column), from the one header line naming both 自然人 and 总计; None without one."""
    found, below = [], []
    for line in lines:
        cells = split_cells(line)
        if cells is None or not is_header(cells):
            continue
        names = [squash(c) for c in cells]
        if "总计" in names and any("自然人" in n for n in names):
            found.append(len(cells) - 1 - max(i for i, n in enumerate(names) if n == "总计"))
        elif "其他" in names and "商业企业" in names:  # the sub-header: 总计's (merged) cell, then the extra
            below.append(len(cells) - 1 - max(i for i, n in enumerate(names) if n == "其他") - 1)
    if len(found) != 1 or any(n != found[0] for n in below):
        return None  # the header rows do not agree on what follows 总计: the extractor's cells are not the table's
    return found[0]


def windows(lines: list[str], width: int, is_row) -> dict[int, tuple[int, int]] | None:
    """For each data line (by index): (index after its last label cell, number of its value
    cells); None unless every line holding a number or naming a template row (``is_row`` on its
    label text) is such a row.  Header lines are passed over."""
    extra = header_extra(lines)
    if extra is None:
        return None
    out: dict[int, tuple[int, int]] = {}
    for i, line in enumerate(lines):
        cells = split_cells(line)
        if cells is None or is_header(cells):
            continue
        has_value = any(c and value_cell(c) is not None for c in cells)
        end = _label_end(cells)
        labels = " ".join(c for c in cells[: (end if end is not None else -1) + 1] if c)
        if end is None or not is_row(labels):
            if has_value:
                return None  # a number no label of its own row stands before
            continue
        after = cells[end + 1:]
        if len(after) == width or (extra and len(after) == width + extra and not any(after[width:])):
            out[i] = (end + 1, width)
        elif has_value or len(after) > width:
            return None
        # (a row of fewer blank cells than the template's is left as it is: which one it lacks is unknown)
    return out if out else None


def header_grid(lines: list[str], width: int) -> tuple[int, int] | None:
    """(cells per row, first value column) read off the header: one header line whose 自然人 and
    总计 cells stand ``width`` cells apart, each applicant column a cell of its own (the HTML and
    ruled-PDF extractors' layout of a colspan as blank cells), its sub-header's 商业企业…其他 in
    between.  A table whose rows are printed on that grid then shows every blank's column even
    when too few rows print a number for ``tables.grid_window`` to see the grid."""
    found = []
    for line in lines:
        cells = split_cells(line)
        if cells is None or not is_header(cells):
            continue
        names = [squash(c) for c in cells]
        if "自然人" in names and "总计" in names:
            a, b = names.index("自然人"), names.index("总计")
            found.append((len(cells), a) if b - a + 1 == width else None)
        elif "商业企业" in names:
            found.append(("sub", names.index("商业企业")))
    grids = [f for f in found if f is not None and f[0] != "sub"]
    if len(grids) != 1 or None in found:
        return None
    n, a = grids[0]
    if any(f[1] != a + 1 for f in found if f[0] == "sub"):
        return None  # the sub-header's columns are not under 自然人…总计's
    return n, a


_SIX = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_TOTAL_WORDS = ("总计", "合计")
_OVER = ("申请人情况", "法人或其他组织", "法人或者其他组织")  # merged cells over the six


def header_six(lines: list[str]) -> tuple[int, int] | None:
    """(cells per row, 自然人's column) when table 3's header prints the six applicant columns and
    no 总计 column: each name a cell of its own, 自然人 … 其他 side by side in the template's order
    (over two header lines: 法人或其他组织 merged over the five, as the HTML and spreadsheet
    extractors write a colspan), every header line of the grid's length, no 总计 or 合计 cell, and
    no other word over the value columns (an empty column drawn past the table may follow).

    Such a table's rows print six numbers under the six names.  Read as the template's seven, the
    label's blank colspan cell before them passed for a blank 自然人 and each number landed one
    column to the right; the header proves where each stands, and that 总计 is not printed."""
    at: dict[str, int] = {}
    n = None
    heads: list[list[str]] = []
    for line in lines:
        cells = split_cells(line) or [line]
        names = [squash(c) for c in cells]
        if any(name in _TOTAL_WORDS for name in names):
            return None  # a 总计 column headed below (a 续表 of the totals): tables._join_split_total's
        if len(cells) == 1 or not is_header(cells):
            continue
        if any(w in name for name in names for w in _TOTAL_WORDS):
            return None
        if n is not None and len(cells) != n:
            return None  # header lines of other lengths: their cells are not one grid's columns
        n = len(cells)
        heads.append(names)
        for i, name in enumerate(names):
            if name in _SIX:
                if name in at:
                    return None
                at[name] = i
    if n is None or len(at) != len(_SIX):
        return None
    a = at["自然人"]
    if any(at[w] != a + k for k, w in enumerate(_SIX)):
        return None
    if any(h and h not in _SIX and h not in _OVER for head in heads for h in head[a:]):
        return None  # another word over the value columns (a 总 the page's edge cut from 总计, 备注)
    return n, a


def grid_cells(line: str, grid: tuple[int, int], width: int, is_row) -> list[str] | None:
    """A data row's cells on the header's grid (its length, its label before the value columns
    naming a template row, nothing printed past 总计), else None."""
    cells = split_cells(line)
    if cells is None or len(cells) != grid[0] or is_header(cells):
        return None
    a = grid[1]
    head, window, tail = cells[:a], cells[a:a + width], cells[a + width:]
    if any(tail) or any(c and value_cell(c) is not None for c in head):
        return None
    if any(c and value_cell(c) is None for c in window) or not is_row(" ".join(c for c in head if c)):
        return None
    return cells
