"""Spreadsheets: every sheet row becomes one tab line (XLSX via openpyxl, XLS via xlrd)."""

from __future__ import annotations

import io

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
    lines: list[str] = []
    for ws in wb.worksheets:
        lines.extend(_rows_to_lines(ws.iter_rows(values_only=True)))
    return "\n".join(lines)


def extract_xls(data: bytes) -> str:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as e:  # xlrd.XLRDError, struct errors on truncation
        raise ParseError(f"corrupt XLS ({type(e).__name__})") from None
    lines: list[str] = []
    for sheet in book.sheets():
        lines.extend(_rows_to_lines(sheet.row_values(r) for r in range(sheet.nrows)))
    return "\n".join(lines)
