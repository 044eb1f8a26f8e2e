"""A note under a report's tables saying a mark means 0: what blank and dash notes share.

Some offices print every zero as a mark and say so in a note under the table: the blank cell
(注：表中空白单元格表示数量为0。, blanknote.py) or a dash or slash (“—”表示0, dashnote.py).  Both notes
are read the same way, only the mark differs: the note's words (``BLANK_WORDS``, ``MEANS``, ``ZERO``,
``NOTE_LEAD``), the tables it covers (``covering``: the one it is printed with; a note printed apart
from every table speaks of all of them), and its cells made 0 only where their row (table 4: its
group) still adds up with them (``sound``), each named by its path in the record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .tables import Table4
from .template import APPLICANT_COLS, REVIEW_COLS, REVIEW_GROUPS, active_rows
from .tokens import Cell
from .zeros import BLANK_ZERO

# "blank" + (the cell it is) + "means" + zero, the words next to each other (a narrative's 未填写
# 联系方式的为0件 is no such note); never "does not mean" (不表示), and 无 only as the whole predicate
# (空白表示无): 无此项 / 无数据 say "not applicable" / "not known", not zero
BLANK_WORDS = r"(?:空白|空格|空项|空栏|未填|不填|留空)(?:写|报)?的?(?:单元格|格子|格|处|栏目|栏|项目|项|部分|位置)?"
MEANS = r"(?:均|则|即|皆|一律)?(?<![不非未])(?:表示|代表|视为|意为|即为|均为|为|是|指)"
ZERO = r"(?:数量|数字|数值|数据|数)?(?:均|为|是)?(?:[0０〇零](?![0-9０-９.．件个项条])|无(?=$|[。；;，,）)]))"
# the line is a note about the tables, not narrative: it says so, or names a table or its cells
NOTE_LEAD = re.compile(r"^[（(]?(?:注|说明|备注|附注)|表中|表格|本表|各表|单元格")

TABLES = ("active", "applications", "reviews")  # textparse's region keys
TABLE_NAMES = {"active": "表二", "applications": "表三", "reviews": "表四"}
# each region key with the record's table of the same cells
RECORD_TABLES = (("active", "active_disclosure"), ("applications", "applications"), ("reviews", "reviews_litigation"))

# whether a cell's printed text is the note's mark (a cell already holding a number never is)
Printed = Callable[[str], bool]


def covering(i: int, spans: dict[str, tuple[int, int] | None]) -> list[str]:
    """The tables (region keys) a note on line ``i`` speaks of: the one it is printed with, else all."""
    within = [k for k in TABLES if spans.get(k) and spans[k][0] <= i < spans[k][1]]
    return within or [k for k in TABLES if spans.get(k)]


def zeros(cells: list, printed: Printed, at: list[int]) -> list:
    """The cells with each null one printing the mark read as 0 (its raw kept); ``at`` gets where."""
    out = []
    for i, c in enumerate(cells):
        if c is not None and c.value is None and printed(c.raw):
            c = Cell(0, c.raw)
            at.append(i)
        out.append(c)
    return out


def sound(cells: list, at: list[int], where: str, warnings: list[str]) -> list:
    """The cells with the note's zeros where the row (or table 4's group: its last cell the total)
    still adds up with them; else the blanks stay null: a number the extraction moved out of its
    cell leaves a blank that is no zero (a 总计 printed apart), and a 0 there would be a wrong number.
    ``at`` (the zeros filled here) is emptied when they are taken back."""
    filled = [i for i, c in enumerate(cells) if c is not None and c.raw == BLANK_ZERO] + at
    values = [c.value if c is not None else None for c in cells]
    if not filled or None in values or sum(values[:-1]) == values[-1]:
        return cells
    warnings.append(f"{where}: its blank cells do not add up as the note's 0; left null")
    at.clear()
    return [Cell(None, "") if i in filled else c for i, c in enumerate(cells)]


def zero_t2(t2: dict, printed: Printed) -> tuple[dict, list[tuple[str, int]]]:
    """Table 2 with its rows' cells printing the mark read as 0, and where they are (row, column)."""
    where: list[tuple[str, int]] = []
    out = {}
    for key, cells in t2.items():
        at: list[int] = []
        out[key] = zeros(cells, printed, at) if isinstance(cells, list) else cells
        where += [(key, i) for i in at]
    return out, where


def zero_rows(rows: dict[str, list], printed: Printed) -> tuple[dict[str, list], list[tuple[str, int]], list[str]]:
    """Table 3's rows with their cells printing the mark read as 0 where each row still adds up
    (``sound``), where they are (row, column), and a warning for each row left null."""
    out, where, warnings = {}, [], []
    for key, cells in rows.items():
        at: list[int] = []
        out[key] = sound(zeros(cells, printed, at), at, f"table 3 row {key}", warnings)
        where += [(key, i) for i in at]
    return out, where, warnings


def zero_t4(t4: Table4 | None, printed: Printed) -> tuple[Table4 | None, list[int]]:
    """Table 4 with its cells printing the mark read as 0 where each group still adds up, and where
    they are (cell index); a table not placed cell by cell is returned as it was."""
    if t4 is None or t4.unaligned or t4.lost is not None:
        return t4, []
    n = len(REVIEW_COLS)
    cells: list = []
    at: list[int] = []
    warnings: list[str] = []
    for g, group in enumerate(REVIEW_GROUPS):
        here: list[int] = []
        cells += sound(zeros(t4.cells[g * n:(g + 1) * n], printed, here), here, f"table 4 group {group}", warnings)
        at += [g * n + i for i in here]
    return replace(t4, cells=cells, warnings=[*t4.warnings, *warnings]), at


def t2_paths(where: list[tuple[str, int]], template: str) -> list[str]:
    """The record paths of table 2's cells at (row, column index)."""
    cols = {key: c for key, _pat, c in active_rows(template)}
    return [f"active_disclosure.{k}.{cols[k][i]}" for k, i in where if k in cols and i < len(cols[k])]


def t3_paths(where: list[tuple[str, int]]) -> list[str]:
    """The record paths of table 3's cells at (row, column index)."""
    return [f"applications.{k}.{APPLICANT_COLS[i]}" for k, i in where]


def t4_paths(at: list[int]) -> list[str]:
    """The record paths of table 4's cells at their indexes (group by group)."""
    n = len(REVIEW_COLS)
    return [f"reviews_litigation.{REVIEW_GROUPS[k // n]}.{REVIEW_COLS[k % n]}" for k in at]


def cell_path(cell: dict) -> str:
    """A record cell's path (table.row.col), as findings name it."""
    return f"{cell['table']}.{cell['row']}.{cell['col']}"

