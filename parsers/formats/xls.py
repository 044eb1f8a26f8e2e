"""Spreadsheets: every sheet row becomes one tab line (XLSX via openpyxl, XLS via xlrd).

Sheets are kept apart by an empty line: workbooks often put one table per sheet with no
title row, and without a break the next sheet's header rows would read as more rows of
the table before (table 3's last row, 结转下年度继续办理, ran into table 4's header).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

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

    try:
        # Not read_only: merged ranges are only resolved (covered cells None) in normal mode.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises zip, KeyError and XML errors alike
        raise ParseError(f"corrupt XLSX ({type(e).__name__})") from None
    return _join_sheets(_rows_to_lines(ws.iter_rows(values_only=True)) for ws in wb.worksheets)


def extract_xls(data: bytes) -> str:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as e:  # xlrd.XLRDError, struct errors on truncation
        raise ParseError(f"corrupt XLS ({type(e).__name__})") from None
    return _join_sheets(_rows_to_lines(sheet.row_values(r) for r in range(sheet.nrows))
                        for sheet in book.sheets())


def _join_sheets(sheets: Iterable[list[str]]) -> str:
    return "\n\n".join("\n".join(lines) for lines in sheets if lines)
