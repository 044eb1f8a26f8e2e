"""Blank cells keep their column where rows do not form one grid (DOCX rows, a PDF's table 3).

The z18 golden fixtures (realworld/make_z18.py) hold whole reports; these tests take the
extracted text of the DOCX one and change it the ways offices' files differ: an empty column
drawn past 总计, a row short of a cell, no note.  What a reader checks: each printed number in its
column, a blank 0 only under the note and only where its column is certain, never a number moved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from parsers.extract import extract_text

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
DOCX = REALWORLD / "z18_01_nanhe_jiaoyu_2023_blank_zeros_note_docx.docx"
PDF = REALWORLD / "z18_02_nanhe_jiaoyu_2023_blank_zeros_note_pdf.pdf"
NOTE = "注：表中空白单元格表示数量为0。"
PRINTED = {("new_received", "commercial"): 2, ("new_received", "total"): 2,
           ("unavailable_not_held", "commercial"): 1, ("unavailable_not_held", "total"): 1,
           ("total_processed", "commercial"): 1, ("total_processed", "total"): 1,
           ("carried_forward", "commercial"): 1, ("carried_forward", "total"): 1}


@pytest.fixture(scope="module")
def docx_text() -> str:
    return extract_text(DOCX.read_bytes())[0]


def _table3_rows(text: str) -> list[int]:
    """Indexes of table 3's tab lines (header and rows), up to its note."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
    end = next(i for i, ln in enumerate(lines) if i > start and (ln == NOTE or ln.startswith("四、政府信息公开")))
    return [i for i in range(start + 1, end) if "\t" in lines[i]]


def _with_extra_column(text: str) -> str:
    """Every table 3 line with one more (blank) cell at its end: an empty column drawn past 总计
    (LibreOffice's DOCX of a table whose rowspan overruns), as one entry per w:tc shows it."""
    lines = text.split("\n")
    for i in _table3_rows(text):
        lines[i] += "\t"
    return "\n".join(lines)


def _apps(text: str) -> tuple[dict, list[str]]:
    result = parsers.parse_text(text)
    return result.record["applications"], [f["code"] for f in result.findings]


def _printed_right(apps: dict) -> None:
    for (row, col), v in PRINTED.items():
        assert apps[row][col] == v, (row, col)


def test_docx_rows_of_different_lengths_read_every_blank_as_the_notes_zero(docx_text):
    assert len({len(docx_text.split("\n")[i].split("\t")) for i in _table3_rows(docx_text)}) > 1  # no one grid
    apps, codes = _apps(docx_text)
    _printed_right(apps)
    assert apps["unavailable_not_held"]["natural_person"] == 0  # blank before the row's first number
    assert all(v is not None for row in apps.values() for v in row.values())
    assert "blank_as_zero" in codes and "row_unplaced" not in codes and "table_missing" not in codes


def test_an_empty_column_past_the_total_is_no_value_column(docx_text):
    apps, codes = _apps(_with_extra_column(docx_text))
    _printed_right(apps)
    assert apps["new_received"]["natural_person"] == 0
    assert "table_missing" not in codes


def test_a_row_short_of_a_cell_keeps_its_blanks_null(docx_text):
    """四、结转下年度 printed with six cells: which one it lacks is unknown, so none of its blanks is
    a certain 0; the other rows are read."""
    lines = docx_text.split("\n")
    i = next(i for i in _table3_rows(docx_text) if "结转下年度" in lines[i])
    cells = lines[i].split("\t")
    label = next(k for k, c in enumerate(cells) if "结转下年度" in c)
    lines[i] = "\t".join(cells[:label + 1] + [""] * 6)  # its label, then six blank cells
    apps, _codes = _apps("\n".join(lines))
    assert set(apps["carried_forward"].values()) == {None}
    assert apps["new_received"]["commercial"] == 2 and apps["new_received"]["natural_person"] == 0


def test_a_number_in_a_row_that_fits_no_column_leaves_the_table_as_it_was(docx_text):
    """A row with one cell more than the seven and no extra column in the header: which cell is
    extra cannot be told, so no blank of the table is placed by these rows."""
    lines = docx_text.split("\n")
    i = next(i for i in _table3_rows(docx_text) if "本机关不掌握" in lines[i])
    lines[i] = lines[i].replace("本机关不掌握相关政府信息\t", "本机关不掌握相关政府信息\t\t", 1)
    apps, _codes = _apps("\n".join(lines))
    assert apps is None or apps["unavailable_not_held"]["commercial"] in (1, None)
    assert apps is None or apps["unavailable_not_held"]["research"] is None


@pytest.mark.parametrize("source", [DOCX, PDF], ids=["docx", "pdf"])
def test_without_the_note_blanks_stay_null_and_numbers_keep_their_columns(source):
    """No blank is read as 0 and no number moves; every printed number is read in its column (the
    cell grid proves it, though four rows of numbers are too few for the reader to see a grid)."""
    text = extract_text(source.read_bytes())[0]
    assert NOTE in text
    result = parsers.parse_text(text.replace(NOTE, ""), pdf=source.suffix == ".pdf")
    apps = result.record["applications"] or {}
    values = [(row, col, v) for row, cols in apps.items() for col, v in cols.items() if v is not None]
    assert all(PRINTED.get((row, col)) == v for row, col, v in values), values  # no 0, nothing moved
    assert not [f for f in result.findings if f["code"] == "blank_as_zero"]
    _printed_right(apps)
    assert not [f for f in result.findings if f["code"] in ("table_missing", "row_unplaced")]


def test_pdf_table_continued_on_the_next_page_keeps_its_columns():
    """z18_02's table 3 breaks after 二、上年结转: the rows on page 2 print no header, their
    columns are found where page 1's header put them."""
    text = extract_text(PDF.read_bytes())[0]
    row = next(ln for ln in text.split("\n") if "本机关不掌握" in ln)
    assert row.split("\t")[1:] == ["", "1", "", "", "", "", "1"]
    apps, codes = _apps_pdf(text)
    _printed_right(apps)
    assert "row_unplaced" not in codes


def _apps_pdf(text: str) -> tuple[dict, list[str]]:
    result = parsers.parse_text(text, pdf=True)
    return result.record["applications"], [f["code"] for f in result.findings]
