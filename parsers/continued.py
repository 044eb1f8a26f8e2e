"""The later page of an article split inside table 3, parsed on its own.

A portal that splits a long report over `…_1.html`, `…_2.html` may cut it inside table 3: the
second page opens with the table's later rows ((四)无法提供 … 四、结转下年度继续办理), without the
title row, the header or 一–三's headings.  The re-parse joins the pages (parsers/pagejoin.py); a
user parsing that page alone should learn that the table starts on an earlier page, not that it
is missing, and get the rows the page proves.

A row is read only where it proves itself: its label names one template row (each once, in the
template's order), it prints the seven numbers and its six applicant columns add up to its 总计.
The header that would say where each column stands is on the earlier page, so the columns are the
template's; the row sums check that 总计 is last.  Any other row is left null and said so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables import Table3, guess_row
from .template import ALL_APPLICATION_ROWS, APPLICANT_COLS, ROWS_2019, ROWS_2021
from .tokens import Cell, line_cells
from .unplaced import Unplaced

_BEFORE = ("overview", "active", "applications")  # the parts a page begun inside table 3 does not print
_WIDTH = 7
_HEAD_LINES = 15  # lines a page may print above the table (the portal's chrome, the title, its date)


@dataclass(frozen=True)
class Continued:
    """Table 3's rows on a page that begins inside the table: `span` the lines they take."""

    span: tuple[int, int]
    table: Table3
    first: str  # the first template row the page prints (its key)


def _row(line: str) -> tuple[str | None, str, list[Cell | None]] | None:
    """(the row its label names, the label, its value cells) for a line of a table 3 row, else None."""
    if "\t" not in line:
        return None
    lc = line_cells(line)
    label = "".join("".join(lc.labels).split())
    if not label or not lc.values:
        return None
    key = guess_row(label)
    return (key if key in ALL_APPLICATION_ROWS else None), label, list(lc.values)


def _proved(values: list[Cell | None]) -> bool:
    nums = [c.value for c in values if c is not None and c.value is not None]
    return len(values) == _WIDTH and len(nums) == _WIDTH and sum(nums[:-1]) == nums[-1]


def find(lines: list[str], headings) -> Continued | None:
    """Table 3's later rows at the start of a page that prints none of parts 一–三 (at most the
    page's chrome and title above them): the rows from the first line naming a table 3 row up to
    the first line that is no row."""
    if any(h.kind in _BEFORE for h in headings):
        return None
    stop = min((h.line for h in headings), default=len(lines))
    start = next((i for i in range(stop) if (r := _row(lines[i])) is not None and r[0] is not None), None)
    if start is None or sum(bool(s.strip()) for s in lines[:start]) > _HEAD_LINES:
        return None  # (text before the rows: no page begun inside the table)
    end = start
    while end < stop and (not lines[end].strip() or _row(lines[end]) is not None):
        end += 1
    rows: dict[str, list[Cell | None]] = {}
    warnings: list[str] = []  # (Unplaced: a row printed here but not proved, a row_unplaced finding)
    last = -1
    for line in lines[start:end]:
        got = _row(line)
        if got is None:
            continue
        key, label, values = got
        order = ALL_APPLICATION_ROWS.index(key) if key else -1
        if key is None or key in rows or order <= last or not _proved(values):
            shown = " ".join(c.raw for c in values if c is not None)
            warnings.append(Unplaced(f"table 3 (continued from an earlier page): the row {label} ({shown}) does not"
                                     " prove its row and columns; not placed", "applications",
                                     key if key not in rows else None, label, shown))
            continue
        rows[key] = values
        last = order
    if len(rows) < 2:
        return None
    keys = ROWS_2019 if "other_total" in rows else ROWS_2021
    first = next(r[0] for line in lines[start:end] if (r := _row(line)) is not None and r[0] in keys)
    warnings.insert(0, "table 3 continued from an earlier page: only its later rows are printed here;"
                       " rows placed by their labels in the template's columns where they add up")
    return Continued((start, end), Table3(rows, row_keys=keys, warnings=warnings, label_hits=len(rows)), first)


def earlier_cells(found: Continued) -> list[str]:
    """The cells of the template rows before the first one this page prints: on an earlier page."""
    keys = found.table.row_keys
    return [f"applications.{r}.{c}" for r in keys[: keys.index(found.first)] for c in APPLICANT_COLS]
