"""Spreadsheet extraction (parsers.formats.xls) on workbooks written with openpyxl."""

from __future__ import annotations

import io

import openpyxl

from parsers.formats.xls import extract_xlsx

T3_TAIL = [["（七）总计", None, 5, 1, 6], ["四、结转下年度继续办理", None, 0, 2, 2]]
T4 = [["行政复议", None, None, None, None, "行政诉讼"],
      ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"],
      [0, 1, 0, 0, 1, 2]]


def workbook(*sheets: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n, rows in enumerate(sheets, 1):
        ws = wb.create_sheet(f"表{n}")
        for row in rows:
            ws.append(row)
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


def test_untitled_sheets_stay_apart():
    """One table per sheet, no title row on the next sheet: without a break between
    sheets, table 4's header read as part of table 3 and its last row (结转) was lost."""
    lines = extract_xlsx(workbook(T3_TAIL, T4)).split("\n")
    assert lines == ["（七）总计\t5\t1\t6", "四、结转下年度继续办理\t0\t2\t2", "",
                     "行政复议\t\t\t\t\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉",
                     "0\t1\t0\t0\t1\t2"]


def test_empty_sheet_adds_no_break():
    lines = extract_xlsx(workbook(T3_TAIL, [], T4)).split("\n")
    assert lines.count("") == 1


def test_formula_without_stored_value_is_null_and_named():
    """openpyxl (and scripts built on it) save formulas without computing them: no value is
    stored, so the cell is null (never 0) and the reader is told it was a formula."""
    from parsers import parse_bytes
    from parsers.formats.xls import NO_VALUE

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["四、政府信息公开行政复议、行政诉讼情况"])
    ws.append(["行政复议", None, None, None, None, "行政诉讼"])
    ws.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", None, None, None, None,
               "复议后起诉"])
    ws.append([None, None, None, None, None] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    ws.append([1, 2, 0, 0, "=SUM(A5:D5)", 0, 1, 0, 0, 1, 0, 0, 0, 1, 1])
    bio = io.BytesIO()
    wb.save(bio)
    data = bio.getvalue()
    assert extract_xlsx(data).split("\n")[-1] == f"1\t2\t0\t0\t{NO_VALUE}\t0\t1\t0\t0\t1\t0\t0\t0\t1\t1"

    # a whole report saved that way (realworld case 84): 总计 column and （七）总计 row are formulas
    from pathlib import Path

    path = next((Path(__file__).parent / "fixtures" / "realworld").glob("84_*.xlsx"))
    result = parse_bytes(path.read_bytes(), path.name)
    apps = result.record["applications"]
    assert apps["new_received"]["natural_person"] == 189 and apps["new_received"]["total"] is None
    assert set(apps["total_processed"].values()) == {None}
    formula = [f for f in result.findings if f["code"] == "formula_uncached"]
    assert len(formula) == 1 and len(formula[0]["cells"]) == 31
    assert "applications.total_processed.natural_person" in formula[0]["cells"]
    assert not [f for f in result.findings if f["code"] == "inferred"]  # not "a cell is missing"


def test_formula_with_stored_value_reads_the_value():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["a", 1, 2, "=B1+C1"])
    bio = io.BytesIO()
    wb.save(bio)
    # the file as a spreadsheet program saves it: the computed value cached beside the formula
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(bio.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                body = body.replace(b"<v></v>", b"<v>3</v>").replace(b"</f></c>", b"</f><v>3</v></c>")
            z.writestr(item, body)
    assert extract_xlsx(out.getvalue()) == "a\t1\t2\t3"


def test_embedded_worksheet_shows_uncached_formulas_as_no_value_and_only_seen_runs():
    """The workbook inside a Word document's worksheet object is read as its sheet shows: a formula
    saved without its value is null (as in a workbook of its own, never a blank that shifts the
    row), a white run after a figure in the same cell is not read."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from parsers.formats.xls import NO_VALUE, shown_sheet

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["行政复议", 1, 2, "=B1+C1"])
    ws.append(["行政诉讼", CellRichText(["3", TextBlock(InlineFont(color="FFFFFF"), "9")]), 4, 7])
    bio = io.BytesIO()
    wb.save(bio)
    assert shown_sheet(bio.getvalue()) == [f"行政复议\t1\t2\t{NO_VALUE}", "行政诉讼\t3\t4\t7"]


def test_rows_keep_their_blank_cells_on_the_tables_grid():
    """A row's blank cells at its end are cells of the table (a 总计 column left blank, zeros left
    blank): every row of a table keeps the table's columns, as the HTML extractor writes a table,
    so the readers place each number under its header instead of reading a shorter, shifted row."""
    from parsers.formats.xls import rows_to_lines

    lines = rows_to_lines([
        ["三、收到和处理政府信息公开申请情况"],
        [None, None, "自然人", "商业企业", "其他", "总计"],
        ["一、本年新收", None, 3, 1, None, None],
        ["三、本年度办理结果", "（一）予以公开", 3, None, None, None],
        [None, "（三）不予公开", None, None, None, None],  # every cell blank but its label: stays a row
        [None, "（七）总计", 3, 1, None, None],
        ["四、政府信息公开行政复议、行政诉讼情况"],  # a heading in the first column ends the table
    ])
    assert lines == [
        "三、收到和处理政府信息公开申请情况",
        "\t\t自然人\t商业企业\t其他\t总计",
        "一、本年新收\t\t3\t1\t\t",
        "三、本年度办理结果\t（一）予以公开\t3\t\t\t",
        "\t（三）不予公开\t\t\t\t",
        "\t（七）总计\t3\t1\t\t",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_a_lone_cell_after_a_table_is_a_line_of_its_own():
    """One filled cell right of the table's first column that no row of the table follows (the
    signature and date under the last table) is text, not a row of blanks."""
    from parsers.formats.xls import rows_to_lines

    lines = rows_to_lines([["行政复议", 1, 2], [None, 0, 1], [None, None, "某某县人民政府"], [None, None, "2024年1月20日"]])
    assert lines == ["行政复议\t1\t2", "\t0\t1", "某某县人民政府", "2024年1月20日"]
