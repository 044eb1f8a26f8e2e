"""Spreadsheets: every sheet row becomes one tab line (XLSX via openpyxl, XLS via xlrd).

Sheets are kept apart by an empty line: workbooks often put one table per sheet with no
title row, and without a break the next sheet's header rows would read as more rows of
the table before (table 3's last row, 结转下年度继续办理, ran into table 4's header).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

import parsers.limits as limits
from parsers import sheetnames
from parsers.errors import ParseError, known
from parsers.formats import clean_cell
from parsers.formats.sheetshown import XlsLook, XlsxLook, hides_value, shown_number

# A formula cell whose workbook holds no computed value (openpyxl and other writers save
# formulas without calculating them): U+FE63 SMALL HYPHEN-MINUS is a dash to the core parser
# (NFKC "-"), so the cell is null, never 0, and textparse names it (finding formula_uncached).
NO_VALUE = "\ufe63"
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
# a <c> whose formula has no cached value: no <v> after it, or an empty one (openpyxl: <v></v>)
_UNCACHED = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = shown_number(value, None)  # 15 significant digits, as any sheet shows it
        if value.is_integer():
            return str(int(value))
    return clean_cell(str(value))


def rows_to_lines(rows: Iterable[Iterable[object]]) -> list[str]:
    """Tab lines, without spacer columns, every row of a table on the table's grid.

    Spreadsheets made from HTML or Word tables lay one merged cell over several narrow
    columns, so a table's rows carry columns that are empty in every row of that table.
    Rows are grouped into blocks (one table: runs of rows with two or more filled cells) and a
    column empty throughout its block is dropped.

    Every row of a block keeps all the block's columns, blank cells at its end included, as the
    HTML extractor writes a table (colspans as blank cells): a blank cell is where the sheet
    shows it, so the table readers place each number under its header (a 总计 column left
    blank, zeros left blank, table 4's last group blank).  Trimmed, such a row read as a row of
    fewer cells, its numbers shifted or unplaced.  For the same reason rows with one filled cell
    right of the block's first column, followed by more of the table's rows (row labels under a
    merged group cell, their numbers all blank), stay in their table; any other such row (a
    heading, a note, a paragraph, a signature after the table) ends the block and is a line of
    its own.
    """
    table = [[_fmt(v) for v in row] for row in rows]
    filled = [[i for i, c in enumerate(row) if c] for row in table]
    lines: list[str] = []
    block: list[list[str]] = []
    first = 0  # the block's first filled column

    def flush() -> None:
        width = max((len(r) for r in block), default=0)
        used = [c for c in range(width) if any(c < len(r) and r[c] for r in block)]
        for row in block:
            lines.append("\t".join(row[c] if c < len(row) else "" for c in used))
        block.clear()

    reach = 0  # rows before this one are known to lead to another row of the open block

    def inside(r: int) -> bool:
        """Row r (one filled cell) and the rows like it after it lead to another row of the block
        (each run looked at once: its rows are all inside, or the block ends before them)."""
        nonlocal reach
        if r < reach:
            return True
        while r < len(table) and len(filled[r]) == 1 and filled[r][0] > first:
            r += 1
        if r < len(table) and len(filled[r]) >= 2:
            reach = r
            return True
        return False

    for r, row in enumerate(table):
        at = filled[r]
        if len(at) >= 2 or (len(at) == 1 and block and inside(r)):
            first = min(first, at[0]) if block else at[0]
            block.append(row)
            continue
        flush()
        if at:
            lines.append(row[at[0]])
    flush()
    return lines


def extract_xlsx(data: bytes) -> str:
    import openpyxl

    limits.check_zip(data, "XLSX")
    try:
        # Not read_only: merged ranges are only resolved (covered cells None) in normal mode.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=True)
    except Exception as e:  # openpyxl raises zip, KeyError and XML errors alike
        why = known(e)
        raise ParseError(f"XLSX refused: {why}" if why else f"corrupt XLSX ({type(e).__name__})") from None
    formulas = _uncached_formula_book(data)
    notes: list[str] = []
    sheets = []
    look = XlsxLook(wb)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue  # a hidden or veryHidden sheet is not printed (lookups, last year's figures)
        rows, cols = _capped(ws.title, ws.max_row, ws.max_column, notes)
        values = _xlsx_values(ws, rows, cols, look.sheet(ws))
        if formulas is not None:
            values = _mark_uncached(values, formulas[ws.title], rows, cols)
        sheets.append(rows_to_lines(_shown(values, *_hidden_xlsx(ws))))
    return _join_sheets(sheets, notes + sheetnames.note(ws.title for ws in wb.worksheets if ws.sheet_state == "visible"))


def _xlsx_values(ws, rows: int, cols: int, look: XlsxLook):
    """The sheet's rows of values as the cells show them: unseen cells (white on white, struck
    through, format ``;;;``) blank, floats as displayed (sheetshown)."""
    for row in ws.iter_rows(max_row=rows, max_col=cols):
        yield tuple(_xlsx_shown(cell, look) for cell in row)


def _xlsx_shown(cell, look: XlsxLook):
    value = cell.value
    if value is None or value == "":
        return value
    if look.unseen(cell):
        return None
    if isinstance(value, list):  # rich text: the runs that are seen
        return look.shown_text(cell) or None
    return shown_number(value, cell.number_format) if isinstance(value, float) else value


def _xls_values(book, sheet, rows: int, cols: int):
    """As _xlsx_values, for an XLS sheet (its formatting records, when xlrd could read them)."""
    if not book.formatting_info:
        yield from (sheet.row_values(r, 0, cols) for r in range(rows))
        return
    look = XlsLook(book)
    for r in range(rows):
        out = []
        for c, value in enumerate(sheet.row_values(r, 0, cols)):
            if value not in ("", None):
                xf = look.xf(sheet, r, c)
                if (r, c) in sheet.rich_text_runlist_map and isinstance(value, str):
                    value = "" if hides_value(look.fmt(xf)) else look.shown_text(sheet, r, c, value, xf)
                elif look.unseen(xf):
                    value = ""
                elif isinstance(value, float):
                    value = shown_number(value, look.fmt(xf))
            out.append(value)
        yield out


def _hidden_xlsx(ws) -> tuple[set[int], set[int]]:
    """The hidden rows and columns of a sheet (0-based): a printed report shows neither, and a
    clerk hides last year's column or a check row of the sums there."""
    rows = {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden}
    cols: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min:
            cols.update(range(dim.min - 1, (dim.max or dim.min)))
    return rows, cols


def _shown(rows: Iterable[Iterable[object]], hidden_rows: set[int], hidden_cols: set[int]):
    """The rows without the hidden rows and columns."""
    if not hidden_rows and not hidden_cols:
        yield from rows
        return
    for r, row in enumerate(rows):
        if r not in hidden_rows:
            yield tuple(v for c, v in enumerate(row) if c not in hidden_cols)


def shown_sheet(data: bytes) -> list[str]:
    """The tab lines of the sheet a workbook opens on (its active sheet), XLSX or XLS/BIFF in an
    OLE file: what a worksheet object embedded in a Word document displays.  Unreadable: []."""
    try:
        if data[:4] == b"PK\x03\x04":
            import openpyxl

            limits.check_zip(data, "XLSX")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=True)
            ws = wb.active or wb.worksheets[0]
            rows, cols = _capped(ws.title, ws.max_row, ws.max_column, [])
            values = _xlsx_values(ws, rows, cols, XlsxLook(wb).sheet(ws))
            formulas = _uncached_formula_book(data)  # (a formula with no value: null, never blank)
            if formulas is not None:
                values = _mark_uncached(values, formulas[ws.title], rows, cols)
            return rows_to_lines(_shown(values, *_hidden_xlsx(ws)))
        book = _open_xls(data)
        sheet = next((sh for sh in book.sheets() if sh.sheet_visible), book.sheet_by_index(0))
        rows, cols = _capped(sheet.name, sheet.nrows, sheet.ncols, [])
        values = _xls_values(book, sheet, rows, cols)
        return rows_to_lines(_shown(values, *_hidden_xls(sheet)))
    except ParseError:
        raise  # a bomb inside the document: the document's own limit
    except Exception:  # noqa: BLE001 - a damaged embedded workbook: its preview picture is read instead
        return []


def _uncached_formula_book(data: bytes):
    """The workbook with formulas (not values) when some formula has no stored value, else None.

    Only then is the package read a second time, so a normal workbook costs nothing more.
    """
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if not any(_SHEET.fullmatch(n) and _UNCACHED.search(limits.read_member(z, n, "XLSX")) for n in z.namelist()):
                return None
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # noqa: BLE001 - values were read already: without formulas, blanks stay blank
        return None


def _mark_uncached(values, ws, rows: int, cols: int):
    """Rows of values with NO_VALUE where a formula has no stored value."""
    for row, cells in zip(values, ws.iter_rows(max_row=rows, max_col=cols), strict=False):
        yield tuple(
            NO_VALUE if v is None and cell.data_type == "f" else v
            for v, cell in zip(row, cells, strict=False)
        )


def extract_xls(data: bytes) -> str:
    try:
        book = _open_xls(data)
    except Exception as e:  # xlrd.XLRDError, struct errors on truncation
        raise ParseError(f"corrupt XLS ({type(e).__name__})") from None
    notes: list[str] = []
    sheets = []
    for sheet in book.sheets():
        if sheet.visibility:
            continue  # hidden (1) or very hidden (2): not printed
        rows, cols = _capped(sheet.name, sheet.nrows, sheet.ncols, notes)
        values = _xls_values(book, sheet, rows, cols)
        sheets.append(rows_to_lines(_shown(values, *_hidden_xls(sheet))))
    return _join_sheets(sheets, notes + sheetnames.note(s.name for s in book.sheets() if not s.visibility))


def _hidden_xls(sheet) -> tuple[set[int], set[int]]:
    """As _hidden_xlsx, from an XLS sheet's row and column records."""
    return ({r for r, info in sheet.rowinfo_map.items() if info.hidden},
            {c for c, info in sheet.colinfo_map.items() if info.hidden})


def _open_xls(data: bytes):
    """The workbook with its row and column records (which rows and columns are hidden); a file
    whose formatting records xlrd cannot read is opened without them."""
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:  # noqa: BLE001 - read once more without formatting; a real fault raises there
        return xlrd.open_workbook(file_contents=data)


def _capped(name: str, rows: int, cols: int, notes: list[str]) -> tuple[int, int]:
    """Rows and columns to read from one sheet; what is cut off is noted (meta["skipped"])."""
    r, c = min(rows, limits.MAX_SHEET_ROWS), min(cols, limits.MAX_SHEET_COLS)
    if (r, c) != (rows, cols):
        notes.append(limits.skip_note(f"sheet {name}: read {r} of {rows} rows and {c} of {cols} columns"))
    return r, c


def _join_sheets(sheets: Iterable[list[str]], notes: list[str] = ()) -> str:
    return "\n\n".join(["\n".join(lines) for lines in sheets if lines] + list(notes))
