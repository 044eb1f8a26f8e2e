"""Table 3 printed on its side: the applicant types as rows, the template's rows as columns.

Some offices turn table 3 so that each applicant type is a row (自然人 / 商业企业 / … / 总计) and
the template's rows (本年新收, 上年结转, 予以公开 …) head the columns.  Read in the printed
sequence, every number would land in another cell.  This reader places a number only where the
header cell over its column names one template row and its row label names one applicant type;
any column or row it cannot name, or a name met twice, and it declines.  The identities are then
checked on the placed numbers: a sideways table that does not add up leaves every cell null, as a
misplaced reading and a misprinted one cannot be told apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import identities
from .packedheader import header_grids
from .template import (
    ALL_APPLICATION_ROWS,
    APPLICANT_COLS,
    DENIED_ROWS,
    NOT_PROCESSED_ROWS,
    OTHER_ROWS,
    ROW_LABELS,
    ROWS_2019,
    UNAVAILABLE_ROWS,
)
from .tokens import Cell, split_cells, squash, value_cell

# row labels naming an applicant type; 法人或其他组织 alone is the legal persons' subtotal
_LEGAL = "法人或其他组织"
_APPLICANTS = (
    ("natural_person", re.compile(r"自然人")),
    ("commercial", re.compile(r"商业企业")),
    ("research", re.compile(r"科研机构")),
    ("social_welfare", re.compile(r"社会公益")),
    ("legal_services", re.compile(r"法律服务")),
    ("other_org", re.compile(r"^其他$")),
    ("total", re.compile(r"^(?:总计|合计)$")),
)
# the names a smeared label column runs together (法人或其他组织 taken out first)
_SMEARED = re.compile(r"自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|合计")
_HEAD_ROWS = ("new_received", "total_processed")  # the columns a sideways table 3 must name


# a word one of _APPLICANTS needs: a label without any names no applicant (most labels: no regex runs)
_ANY_APPLICANT = re.compile(r"自然人|商业企业|科研机构|社会公益|法律服务|其他|总计|合计")


def _applicant(label: str) -> str | None:
    text = squash(label).replace(_LEGAL, "")
    if not _ANY_APPLICANT.search(text):
        return None
    text = re.sub(r"^[\W_]+|[\W_]+$", "", text)
    hits = [key for key, rx in _APPLICANTS if rx.search(text)]
    return hits[0] if len(hits) == 1 else None


# a header naming an outcome group's item by its number, its words cut short ("其他处理-1.申请人无正当理由逾期"):
# the template numbers each group's items, so the group and the number name the row
_GROUP_ITEMS = {"不予公开": DENIED_ROWS, "无法提供": UNAVAILABLE_ROWS, "不予处理": NOT_PROCESSED_ROWS,
                "其他处理": OTHER_ROWS}
_NUMBERED_ITEM = re.compile(r"(不予公开|无法提供|不予处理|其他处理)[^\w]*([1-9])[.．、](\w*)$")


def _numbered_item(path: str) -> str | None:
    """The row a header names by its group and item number, only when the item's printed words are
    the start of the template's (a label cut short), never other words under that number."""
    m = _NUMBERED_ITEM.search(re.sub(r"[^\w.．、]", "", path))
    if m is None:
        return None
    items = _GROUP_ITEMS[m.group(1)]
    n = int(m.group(2))
    if n > len(items):
        return None
    key = items[n - 1]
    own = re.sub(r"^.*?[1-9][.．、]", "", squash(ROW_LABELS[key]))
    words = m.group(3)
    return key if own.startswith(words) or (words.startswith(own) and len(own) >= 6) else None


def _label_columns(body: list[list[str]]) -> int:
    """How many columns the row labels take: a merged 法人或其他组织 beside its five types
    (法人或其他组织 | 商业企业) is a second label column, holding words or nothing, never a number."""
    lead = 1
    while True:
        col = [cells[lead] if lead < len(cells) else "" for cells in body]
        if any(value_cell(c) is not None for c in col) or not any(squash(c) for c in col):
            return lead
        lead += 1


def _merge_labels(grid: list[list[str]], lead: int) -> list[list[str]]:
    return [["".join(cells[:lead]), *cells[lead:]] for cells in grid]


def _column_paths(header: list[list[str]], width: int) -> list[str]:
    """Every header line's text over each column, top to bottom (三、本年度办理结果 / （六）其他处理 /
    1.…): a cell stands over the columns up to its line's next cell, within the cell above it."""
    bound = [width] * width
    paths = [""] * width
    for cells in header:
        row = [squash(c) for c in cells[:width]] + [""] * max(0, width - len(cells))
        new_bound = list(bound)
        j = 0
        while j < width:
            if not row[j]:
                j += 1
                continue
            end = j + 1
            while end < min(bound[j], width) and not row[end]:
                end += 1
            for k in range(j, end):
                paths[k] += row[j]
                new_bound[k] = end
            j = end
        bound = new_bound
    return paths


def _column_names(header: list[list[str]], width: int) -> list[str]:
    """The innermost header text over each column (a merged cell above a row of sub-headers
    names the sub-headers' group; the sub-header names the column)."""
    names = [""] * width
    for cells in header:
        for j, c in enumerate(cells[:width]):
            if squash(c):
                names[j] = squash(c)
    return names


def read_transposed(lines: list[str], guess_row: Callable[[str], str | None]):
    """(rows, row keys, notes) when table 3 is printed sideways, a why-not string when it is
    sideways but cannot be placed, else None (not this shape)."""
    grid = [cells for line in lines if (cells := split_cells(line)) is not None]
    first = next((k for k, cells in enumerate(grid) if cells and squash(cells[0]) and _applicant(cells[0])), None)
    if first is None or first == 0:
        return None
    header, body = grid[:first], grid[first:]
    lead = _label_columns(body)
    if lead > 1:
        header, body = _merge_labels(header, lead), _merge_labels(body, lead)
    width = max(len(cells) for cells in body)
    placed = _placed(_column_names(header, width), body, width, guess_row, _column_paths(header, width))
    if isinstance(placed, tuple):
        return placed
    # a DOCX or PDF header lists its merged cells once (a PDF pads the line to the table's width):
    # read under every way its lines can stand
    readings = {}
    for laid in header_grids(header, width):
        got = _placed(_column_names(laid, width), body, width, guess_row, _column_paths(laid, width))
        if isinstance(got, tuple):
            readings[repr(got[0])] = got
    if len(readings) == 1:
        return next(iter(readings.values()))
    if len(readings) > 1:
        return "table 3 printed sideways, but its header's merged cells stand over its columns in more than one way; not placed"
    return placed


def _labels(body: list[list[str]]) -> list[str | None] | None:
    """Each number row's applicant type.  A PDF can smear a narrow label column over the rows
    (自然人法 / 人或其他组织—商 / 业企业): the labels' text, read top to bottom, then names the types
    in order, one per number row; taken only when the whole text is those names and nothing else."""
    rows = [cells for cells in body if any(value_cell(c) is not None for c in cells[1:])]
    own = [_applicant(cells[0]) if squash(cells[0]) != _LEGAL else _LEGAL for cells in rows]
    if all(own) and len(set(own)) == len(own):
        return own
    text = re.sub(r"[\W_]+", "", "".join(squash(cells[0]) for cells in body)).replace(_LEGAL, "")
    names: list[str | None] = []
    while text:
        m = _SMEARED.match(text)
        if m is None:
            return None
        names.append(_applicant(m.group(0)))
        text = text[m.end():]
    return names if len(names) == len(rows) and len(set(names)) == len(names) else None


def _placed(names: list[str], body: list[list[str]], width: int, guess_row: Callable[[str], str | None],
            paths: list[str]):
    keys: dict[int, str] = {}
    for j in range(1, width):
        key = guess_row(names[j]) if names[j] else None
        if key is None and names[j]:
            key = _numbered_item(paths[j])
        if key is not None:
            keys[j] = key
    if not all(k in keys.values() for k in _HEAD_ROWS):
        if len(keys) >= 2 and sum(bool(squash(c[0])) and _applicant(c[0]) is not None for c in body) >= 3:
            # applicant types as rows under columns naming the template's rows: sideways, but some
            # column (total or new) is not shown (a page cut it off, a header cell is not named)
            return "table 3 printed sideways, but its header does not name 本年新收 and 总计 columns; not placed"
        return None  # the columns do not name the template's rows: not a sideways table 3
    if len(set(keys.values())) != len(keys) or len(keys) != width - 1:
        return "table 3 printed sideways, but its column headers do not each name one template row; not placed"
    rows: dict[str, list[Cell | None]] = {}
    notes: list[str] = []
    labels = _labels(body)
    number_rows = [cells for cells in body if any(value_cell(c) is not None for c in cells[1:])]
    if labels is None:
        return "table 3 printed sideways, but its row labels do not name one applicant type each; not placed"
    for cells, col in zip(number_rows, labels, strict=True):
        label = squash(cells[0])
        values = [value_cell(c) for c in cells[1:width]]
        if col == _LEGAL:
            notes.append(f"table 3 (sideways): the row {label} ({' '.join(c.strip() for c in cells[1:])}),"
                         " a subtotal the record has no key for, left out")
            continue
        if col is None or col in rows or len(values) != width - 1 or any(v is None for v in values):
            return f"table 3 printed sideways, but the row {label!r} names no applicant type once; not placed"
        rows[col] = [None, *values]  # type: ignore[list-item]
    if labels != [_applicant(c[0]) if squash(c[0]) != _LEGAL else _LEGAL for c in number_rows]:
        notes.append("table 3 (sideways): the row labels run over the rows' lines; each number row takes"
                     " the next applicant type they name")
    if set(rows) != set(APPLICANT_COLS):
        # with a type missing, the rows' sums cannot be checked, and they are the only check
        # that the columns were placed right
        return "table 3 printed sideways without a row for every applicant type; not placed"
    order = ALL_APPLICATION_ROWS if set(keys.values()) <= set(ALL_APPLICATION_ROWS) else ROWS_2019
    if not set(keys.values()) <= set(order):
        return "table 3 printed sideways with columns of two templates; not placed"
    row_keys = tuple(r for r in order if r in keys.values())
    by_row: dict[str, list[Cell | None]] = {r: [None] * len(APPLICANT_COLS) for r in row_keys}
    for j, r in keys.items():
        for i, col in enumerate(APPLICANT_COLS):
            if col in rows:
                by_row[r][i] = rows[col][j]
    apps = {r: {c: (v.value if v else None) for c, v in zip(APPLICANT_COLS, cells, strict=True)}
            for r, cells in by_row.items()}
    broken = (identities.check_balance(apps) + identities.check_row_sums(apps) + identities.check_outcomes(apps))
    if broken:
        return (f"table 3 printed sideways: placed by its headers, {len(broken)} identities do not hold"
                " (a misplaced reading cannot be told from a misprint); not placed")
    notes.insert(0, "table 3 printed sideways (applicant types as rows); placed by its headers and row labels")
    return by_row, row_keys, notes
