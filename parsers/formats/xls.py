"""Spreadsheets: every sheet row becomes one tab line (XLSX via openpyxl, XLS via xlrd).

Sheets are kept apart by an empty line: workbooks often put one table per sheet with no
title row, and without a break the next sheet's header rows would read as more rows of
the table before (table 3's last row, 结转下年度继续办理, ran into table 4's header).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import parsers.limits as limits
from parsers.errors import ParseError
from parsers.formats import clean_cell


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(str(value))


def _rows_to_lines(rows) -> list[str]:
    """Tab lines, without spacer columns.

    Spreadsheets made from HTML or Word tables lay one merged cell over several narrow
    columns, so a table's rows carry columns that are empty in every row of that table.
    Rows are grouped into blocks (runs of rows with two or more filled cells, i.e. one
    table) and a column empty throughout its block is dropped.
    """
    table = [[_fmt(v) for v in row] for row in rows]
    lines: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        width = max((len(r) for r in block), default=0)
        used = [c for c in range(width) if any(c < len(r) and r[c] for r in block)]
        for row in block:
            cells = [row[c] if c < len(row) else "" for c in used]
            while cells and cells[-1] == "":
                cells.pop()
            lines.append("\t".join(cells))
        block.clear()

    for row in table:
        filled = [c for c in row if c]
        if len(filled) >= 2:
            block.append(row)
            continue
        flush()
        if filled:
            lines.append(filled[0])
    flush()
    return lines


def extract_xlsx(data: bytes) -> str:
    import openpyxl

    limits.check_zip(data, "XLSX")
    try:
        # Not read_only: merged ranges are only resolved (covered cells None) in normal mode.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises zip, KeyError and XML errors alike
        raise ParseError(f"corrupt XLSX ({type(e).__name__})") from None
    notes: list[str] = []
    sheets = []
    for ws in wb.worksheets:
        rows, cols = _capped(ws.title, ws.max_row, ws.max_column, notes)
        sheets.append(_rows_to_lines(ws.iter_rows(max_row=rows, max_col=cols, values_only=True)))
    return _join_sheets(sheets, notes)


def extract_xls(data: bytes) -> str:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as e:  # xlrd.XLRDError, struct errors on truncation
        raise ParseError(f"corrupt XLS ({type(e).__name__})") from None
    notes: list[str] = []
    sheets = []
    for sheet in book.sheets():
        rows, cols = _capped(sheet.name, sheet.nrows, sheet.ncols, notes)
        sheets.append(_rows_to_lines(sheet.row_values(r, 0, cols) for r in range(rows)))
    return _join_sheets(sheets, notes)


def _capped(name: str, rows: int, cols: int, notes: list[str]) -> tuple[int, int]:
    """Rows and columns to read from one sheet; what is cut off is noted (meta["skipped"])."""
    r, c = min(rows, limits.MAX_SHEET_ROWS), min(cols, limits.MAX_SHEET_COLS)
    if (r, c) != (rows, cols):
        notes.append(limits.skip_note(f"sheet {name}: read {r} of {rows} rows and {c} of {cols} columns"))
    return r, c


def _join_sheets(sheets: Iterable[list[str]], notes: list[str] = ()) -> str:
    return "\n\n".join(["\n".join(lines) for lines in sheets if lines] + list(notes))
