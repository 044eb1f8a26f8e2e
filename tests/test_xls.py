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
