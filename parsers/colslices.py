"""Table 3 printed in column slices, joined back into one table.

A sheet too wide for the page is printed by Excel (and WPS) in column slices: 自然人 and 商业企业
for every row on one page, 科研机构 … 总计 for every row on the next, each slice under its own
column headers and, with print titles set, its own copy of the row labels.  Read as it stands,
every row shows up twice with a few numbers each, and the table cannot be aligned.  The column
headers say which columns each slice holds; where the slices together hold each applicant
column exactly once, in the template's order, and have the same rows, each row's numbers are
joined in column order.  Rows are matched by their labels where both slices print them (the
labels must name the same row) and by their order (a slice printed without labels, the same
number of rows).  Anything else is left as printed: the table reader then reports what it
could not align, never a number put in another column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import guess_row
from .tokens import NULL_MARKERS, squash

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_HEADER_WORDS = frozenset(COLUMNS) | {"申请人情况", "法人或其他组织"}
_ANY_HEADER_WORD = re.compile("|".join(sorted(map(re.escape, _HEADER_WORDS))))  # (one scan of a line, not one a word)
# the full header, written where the first slice's header stood (its line count kept)
_FULL_HEADER = ("申请人情况", "自然人\t法人或其他组织\t\t\t\t\t总计",
                "\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他")


@dataclass
class _Row:
    line: int
    head: list[str]  # the cells before the first number (label cells, as printed)
    values: list[str]


@dataclass
class _Slice:
    header: list[int]  # its header lines
    columns: list[int]  # indices into COLUMNS
    rows: list[_Row]


def _cells(line: str) -> list[str]:
    return [squash(c) for c in line.split("\t")]


def _is_value(cell: str) -> bool:
    return cell.isdigit() or cell in NULL_MARKERS


def _header_columns(line: str) -> set[int] | None:
    """The applicant columns a header line names, or None when the line is no header line."""
    squeezed = squash(line)
    if not _ANY_HEADER_WORD.search(squeezed):  # most lines: no cell can be a header word
        return None
    cells = [c for c in _cells(line) if c]
    if not cells or any(_is_value(c) for c in cells):
        return None
    named = [c for c in cells if c in _HEADER_WORDS]
    if not named:
        return None
    return {COLUMNS.index(c) for c in named if c in COLUMNS}


def _slices(lines: list[str], headers: list[set[int] | None]) -> list[_Slice]:
    out: list[_Slice] = []
    pending: list[str] = []  # label text printed on lines of its own (a wrapped label)
    for i, line in enumerate(lines):
        cols = headers[i]
        if cols is not None:
            if out and out[-1].header and out[-1].header[-1] == i - 1 and not out[-1].rows:
                out[-1].header.append(i)
                out[-1].columns = sorted(set(out[-1].columns) | cols)
            else:
                out.append(_Slice([i], sorted(cols), []))
            pending = []
            continue
        cells = line.split("\t")
        first = next((k for k, c in enumerate(cells) if _is_value(squash(c))), None)
        if first is None:
            if squash(line):
                pending.append(line)
            continue
        values = [squash(c) for c in cells[first:]]
        while values and not values[-1]:
            values.pop()
        if not out or any(not v for v in values):  # a blank between numbers: a cell is unknown
            return []
        head = cells[:first]
        if pending and not squash("".join(head)):
            head = ["".join(p.replace("\t", "") for p in pending)]
        pending = []
        out[-1].rows.append(_Row(i, head, values))
    return out


def _name(row: _Row) -> str | None:
    label = squash("".join(row.head))
    return guess_row(label) if label else None


def join_slices(lines: list[str]) -> list[str]:
    """Table 3's lines with column slices joined into whole rows (same number of lines, so the
    lines keep their pages); the lines unchanged when the table is not printed in slices."""
    headers = [_header_columns(s) for s in lines]
    at = [i for i, h in enumerate(headers) if h is not None]
    if len(at) < 2 or at[-1] - at[0] == len(at) - 1:
        return lines  # (header lines in one run make at most one slice: the usual header of a whole table)
    slices: list[_Slice] = []
    for s in _slices(lines, headers):
        if not s.columns:
            continue
        if slices and s.columns == slices[-1].columns:  # the slice goes on after a page break
            slices[-1].header += s.header
            slices[-1].rows += s.rows
        else:
            slices.append(s)
    if len(slices) < 2:
        return lines
    order = [c for s in slices for c in s.columns]
    if order != list(range(len(COLUMNS))):  # each column once, slices in the template's order
        return lines
    first = slices[0]
    if any(len(s.rows) != len(first.rows) or not s.rows for s in slices):
        return lines
    for s in slices:
        if any(len(r.values) != len(s.columns) for r in s.rows):
            return lines
    for s in slices[1:]:
        for a, b in zip(first.rows, s.rows, strict=True):
            na, nb = _name(a), _name(b)
            if nb is not None and na != nb:
                return lines
    out = list(lines)
    _write_header(out, first.header)
    for n, row in enumerate(first.rows):
        values = [v for s in slices for v in s.rows[n].values]
        out[row.line] = "\t".join(row.head + values)
    for s in slices[1:]:
        for i in s.header:
            out[i] = ""
        for row in s.rows:
            out[row.line] = ""
    return out


def _write_header(out: list[str], header: list[int]) -> None:
    """The whole table's header in the first slice's header lines (its first cell, the corner
    note, kept); the header repeated after a page break is blanked."""
    runs = [k for k in range(1, len(header)) if header[k] != header[k - 1] + 1]
    if runs:
        for i in header[runs[0]:]:
            out[i] = ""
        header = header[:runs[0]]
    corner = _cells(out[header[0]])[0] if header else ""
    lines = list(_FULL_HEADER)
    if corner and corner not in _HEADER_WORDS:
        lines[0] = corner + "\t" + lines[0]
    slots = header if len(header) >= len(lines) else header[:1]
    if len(slots) < len(lines):
        out[slots[0]] = "\t".join(lines)
        return
    for i in slots:
        out[i] = ""
    for i, text in zip(slots, lines, strict=False):
        out[i] = text
