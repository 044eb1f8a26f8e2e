"""Blank cells that the report itself says are zeros.

A blank cell is null (docs/report-format.md, "Cells"): an office may leave a cell empty for
"not applicable" or "not known".  Some offices leave every zero empty and say so in a note
under the table (注：表中空白单元格表示数量为0。, 空格表示为零, 未填项为0, 空白处表示无): then the
blank is the zero the report prints.  The note covers the table it is printed with (its lines
lie in that table's region); a note printed apart from every table speaks of all of them.  Only
cells printed blank in a row the reader placed become 0: a row or a table that is not there,
a dash, a slash or an unreadable cell stays null.  Each such cell is named in a finding
(``blank_as_zero``), so a reader sees that its 0 was read from the note, not from the cell.
Without a note the same placement (``place``) only holds each blank in its column, still null, so
that the row's printed numbers are read where the cell grid proves their columns.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import blankrows, identities, zeronote
from .tables import N_REVIEW, Table3, Table4, grid_window, guess_row, numbers_below
from .template import APPLICANT_COLS, OTHER_ROWS, ROWS_2021
from .tokens import Cell, line_cells, split_cells, squash, value_cell
from .unplaced import Unplaced
from .zeros import BLANK_NULL, BLANK_ZERO, NOT_PRINTED

NOTE = re.compile(zeronote.BLANK_WORDS + zeronote.MEANS + zeronote.ZERO)  # the note's words (zeronote.py): 空白单元格表示数量为0
# table 4's column words: its header is printed (the table is there) though no number is
_T4_HEADER = re.compile(r"结果维持.*结果纠正.*其他结果.*尚未审结")


def blank_note(line: str) -> bool:
    """Whether a line is a note saying the tables' blank cells are zeros."""
    if "空" not in line and "填" not in line:  # (a character of every blank word of NOTE: most lines)
        return False
    s = squash(line)
    return bool(s) and bool(zeronote.NOTE_LEAD.search(s)) and bool(NOTE.search(s))


def covered(lines: list[str], spans: dict[str, tuple[int, int] | None]) -> dict[str, str]:
    """The tables (region keys) a blank-means-zero note covers, each with the note's text."""
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not blank_note(line):
            continue
        for k in zeronote.covering(i, spans):
            out.setdefault(k, line.strip())
    return out


def fill(lines: list[str], width: int = len(APPLICANT_COLS), cell_rows: bool = False, mark: str = BLANK_ZERO) -> list[str]:
    """A covered table's grid rows with each blank value cell marked as the note's zero, before the
    table is read: a row that leaves its first cells blank then reads as a whole row, as printed.
    Only a clean grid (every row the same cells, the values in its last ``width`` columns: the
    extractors' rowspan/colspan layout) shows for certain which blanks are value cells; failing
    one, with ``cell_rows`` (lines that hold each printed cell once, as DOCX's one entry per w:tc:
    not a PDF's, whose blank cells the extractor may drop or pad), each row's own cells do
    (blankrows.py).  ``mark`` is what a blank becomes (``place``: a blank held in its column).
    A header printing the six applicant columns and no 总计 (blankrows.header_six) decides before
    any of these: its rows' six cells are written under the six names and 总计 as not printed."""
    if width == len(APPLICANT_COLS) and (six := blankrows.header_six(lines)) is not None:
        return _fill_six(lines, six, mark)
    grid = grid_window(lines, width)
    if grid is None or grid[1] + width != grid[0]:
        if (on_header := blankrows.header_grid(lines, width)) is not None:
            return _fill_header_grid(lines, width, on_header, mark)
        return _fill_rows(lines, width, mark) if cell_rows else lines
    if mark != BLANK_ZERO:
        return lines  # a clean grid is read by position already (tables._grid_row): its blanks are null
    n, start = grid
    out = []
    for i, line in enumerate(lines):
        cells = split_cells(line)
        if cells is None or len(cells) != n or not any(cells[:start]) or all(cells[start:]):
            out.append(line)
            continue
        if not any(cells[start:]) and numbers_below(lines, i, grid):  # its numbers are a line lower
            out.append(line)
            continue
        window = cells[start:]
        if any(c and value_cell(c) is None for c in window):
            out.append(line)  # a header line: words under the value columns
            continue
        out.append("\t".join(cells[:start] + [c or BLANK_ZERO for c in window]))
    return out


def place(lines: list[str], cell_rows: bool = False) -> list[str]:
    """Table 3's grid rows with each blank value cell held in its column, where no note says blanks
    are zeros: the blank stays null (docs/report-format.md, "Cells"), but the row's printed numbers
    are read in the columns the cell grid proves, by the same rules as fill().  Without this a
    table printing fewer than five rows of numbers (a small body's) shows the reader no grid, and
    a DOCX row whose first cells are blank is left unplaced: its printed numbers were lost."""
    return fill(lines, cell_rows=cell_rows, mark=BLANK_NULL)


def _fill_header_grid(lines: list[str], width: int, grid: tuple[int, int], mark: str = BLANK_ZERO) -> list[str]:
    """fill() on the grid the header shows (blankrows.header_grid): each row of the header's
    cells, its values under 自然人…总计; a row off that grid (a cell shifted past 总计) is left."""
    out = list(lines)
    a = grid[1]
    for i, line in enumerate(lines):
        cells = blankrows.grid_cells(line, grid, width, lambda label: guess_row(label) is not None)
        if cells is None or all(cells[a:a + width]):
            continue
        if not any(cells[a:a + width]) and numbers_below(lines, i, grid):  # its numbers are a line lower
            continue
        out[i] = "\t".join(cells[:a] + [c or mark for c in cells[a:a + width]] + cells[a + width:])
    return out


def _fill_six(lines: list[str], grid: tuple[int, int], mark: str) -> list[str]:
    """fill() under a header of the six applicant columns and no 总计 (blankrows.header_six): each
    row on the header's grid as its label cells, its six cells (blanks marked) and 总计 marked as not
    printed (zeros.NOT_PRINTED: null, which no note makes 0), so the seven cells stand in the
    template's columns.  A row of numbers off that grid (a PDF's row shifted left of its header)
    leaves the whole table as it was: the header's grid is not the rows' grid."""
    out = list(lines)
    a = grid[1]
    six = len(APPLICANT_COLS) - 1
    for i, line in enumerate(lines):
        cells = blankrows.grid_cells(line, grid, six, lambda label: guess_row(label) is not None)
        if cells is None:
            split = split_cells(line)
            if split is not None and not blankrows.is_header(split) and any(
                    c and value_cell(c) is not None for c in split):
                return lines
            continue
        window = cells[a:a + six]
        if not any(window) and numbers_below(lines, i, grid):  # its numbers are a line lower
            continue
        out[i] = "\t".join(cells[:a] + [c or mark for c in window] + [NOT_PRINTED] + cells[a + six:])
    return out


def _fill_rows(lines: list[str], width: int, mark: str = BLANK_ZERO) -> list[str]:
    """fill() by each row's own cells: its label, then its ``width`` value cells (blankrows.py)."""
    found = blankrows.windows(lines, width, lambda label: guess_row(label) is not None)
    if found is None:
        return lines
    out = list(lines)
    for i, (start, n) in found.items():
        cells = split_cells(lines[i]) or []
        window = cells[start:start + n]
        if all(window):
            continue
        out[i] = "\t".join(cells[:start] + [c or mark for c in window])
    return out


def marked(cells: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The cells read as the note's zero before their table was read (their raw is BLANK_ZERO), by
    table, each given back its printed blank."""
    out: dict[str, list[str]] = {}
    for c in cells:
        if c["raw"] == BLANK_ZERO:
            c["raw"] = ""
            out.setdefault(c["table"], []).append(zeronote.cell_path(c))
    return out


def _blank(raw: str) -> bool:
    """Whether a cell's printed text is the blank the note speaks of."""
    return raw.strip() == ""


def _blank_rows(region: list[str], t3: Table3) -> dict[str, list[Cell | None]]:
    """Template rows printed with a label and nothing but blank cells (a grid's row: seven or
    more empty cells after its label), which the reader of numbers passes over.  Only a row named
    by its label, by one such line, and not read (or left unplaced) elsewhere."""
    found: dict[str, int] = {}
    for line in region:
        cells = split_cells(line)
        if cells is None:
            continue  # a plain text line shows no blank cells: a label alone is no row of blanks
        lc = line_cells(line)
        if lc.values or not lc.labels or lc.trail + lc.lead < len(APPLICANT_COLS):
            continue
        key = guess_row(" ".join(lc.labels))
        if key is not None:
            found[key] = found.get(key, 0) + 1
    unplaced = {w.row for w in t3.warnings if isinstance(w, Unplaced)}
    keys = [k for k, n in found.items() if n == 1 and k not in t3.rows and k not in t3.lost and k not in unplaced]
    if any(k in OTHER_ROWS for k in [*keys, *t3.rows]):  # 其他处理 printed as three rows: its heading is none
        keys = [k for k in keys if k != "other_total"]
    return {k: [Cell(None, "")] * len(APPLICANT_COLS) for k in keys}


def _other_by_label(region: list[str], t3: Table3) -> dict[str, list[Cell | None]]:
    """Table 3's rows, with a row read as 其他处理 in one (the 2019 template's ``other_total``) put
    under the sub-row its printed label names (3.其他), where its sub-rows are printed and left
    blank: the blanks were all the reader saw of the other two.  Only when one line names that
    sub-row and prints the same numbers, and no line names 其他处理 as a row of numbers."""
    if "other_total" not in t3.rows:
        return t3.rows
    named: dict[str, list[list[str]]] = {}
    for line in region:
        lc = line_cells(line)
        if lc.values and lc.labels and (key := guess_row(" ".join(lc.labels))) is not None:
            named.setdefault(key, []).append([c.raw for c in lc.values if c.raw.strip()])
    subs = [k for k in OTHER_ROWS if k in named and k not in t3.rows]
    if "other_total" in named or len(subs) != 1 or len(named[subs[0]]) != 1:
        return t3.rows
    placed = [c.raw for c in t3.rows["other_total"] if c is not None and c.raw.strip()]
    if named[subs[0]][0] != placed:
        return t3.rows
    return {(subs[0] if k == "other_total" else k): v for k, v in t3.rows.items()}


def _row_keys(t3: Table3, rows: dict) -> tuple[str, ...]:
    """The template's rows, once the blank rows are in: 其他处理's three rows where one is printed."""
    if "other_total" not in rows and any(k in rows for k in OTHER_ROWS):
        return ROWS_2021
    return t3.row_keys


def blanks_t3(t3: Table3 | None, region: list[str]) -> tuple[Table3 | None, list[tuple[str, int]]]:
    """Table 3 with its placed rows' blank cells read as 0 (rows of blanks only too), and where
    they are (row, column)."""
    if t3 is None or t3.unaligned:
        return t3, []
    t3 = replace(t3, rows=_other_by_label(region, t3))
    rows, where, warnings = zeronote.zero_rows({**t3.rows, **_blank_rows(region, t3)}, _blank)
    keys = _row_keys(t3, rows)
    rows = {k: rows[k] for k in keys if k in rows}
    return (replace(t3, rows=rows, row_keys=keys, warnings=[*t3.warnings, *warnings]),
            [(k, i) for k, i in where if k in rows])


def blanks_t4(t4: Table4 | None, region: list[str]) -> tuple[Table4 | None, list[int]]:
    """Table 4 with its blank cells read as 0.  A table 4 whose header is printed, under the note,
    with no number at all (an extractor leaves out a row of blank cells) is all zeros."""
    if t4 is None:
        if _T4_HEADER.search(squash("".join(region))):
            return Table4([Cell(0, "")] * N_REVIEW), list(range(N_REVIEW))
        return None, []
    return zeronote.zero_t4(t4, _blank)


def blanks_t2(t2: dict) -> tuple[dict, list[tuple[str, int]]]:
    """Table 2 with the blank cells of its rows read as 0."""
    return zeronote.zero_t2(t2, _blank)


def _finding(region_key: str, note: str, paths: list[str]) -> dict[str, Any]:
    """The cells read as 0 from the note: not a fault of the report, but the reason for their 0."""
    return identities.finding(
        "source", "blank_as_zero", paths, None, 0,
        f"{zeronote.TABLE_NAMES[region_key]}中{len(paths)}个空白格按表注“{note}”记为0（原文未印数字）",
    )


def apply(notes: dict[str, str], regions: dict[str, list[str]], t2: dict, t3: Table3 | None, t4: Table4 | None,
          template: str) -> tuple[dict, Table3 | None, Table4 | None, dict[str, list[str]]]:
    """The three tables with the blanks the notes (``covered``) speak of read as 0, and those cells'
    paths by table; without a note everything is returned unchanged."""
    zeroed: dict[str, list[str]] = {}
    if "active" in notes and t2:
        t2, at2 = blanks_t2(t2)
        zeroed["active_disclosure"] = zeronote.t2_paths(at2, template)
    if "applications" in notes:
        t3, at3 = blanks_t3(t3, regions.get("applications") or [])
        zeroed["applications"] = zeronote.t3_paths(at3)
    if "reviews" in notes:
        t4, at4 = blanks_t4(t4, regions.get("reviews") or [])
        zeroed["reviews_litigation"] = zeronote.t4_paths(at4)
    return t2, t3, t4, zeroed


def findings(notes: dict[str, str], zeroed: dict[str, list[str]], cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One blank_as_zero finding per table, on every cell its note made 0 (before or after the
    table was read)."""
    for table, paths in marked(cells).items():
        zeroed[table] = paths + zeroed.get(table, [])
    out = []
    for key, table in zeronote.RECORD_TABLES:
        if key in notes and zeroed.get(table):
            out.append(_finding(key, notes[key], zeroed[table]))
    return out
