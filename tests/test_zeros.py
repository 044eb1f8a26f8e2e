"""Zeros printed other ways than the digit 0, and blanks that a note does or does not make zeros.

The whole reports are golden fixtures (tests/fixtures/realworld/z17_*, tests/test_parse_realworld.py);
here: what a reader checks of single cells, and that blanks without a note never become 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from parsers.blanknote import blank_note
from parsers.tokens import clean_line, letter_zeros, line_cells, value_cell

ZEROS = Path(__file__).parent / "fixtures" / "zeros"


@pytest.mark.parametrize("text", ["〇", "零", "○", "-0-", "－0－", "— 0 —", " 零 "])
def test_a_zero_printed_another_way_is_0(text):
    cell = value_cell(text)
    assert cell is not None and cell.value == 0 and cell.raw == text.strip()


@pytest.mark.parametrize("text", ["OO", "Oo", "零星", "O型", "〇〇", "0-", "-1-", "O", "o"])
def test_a_run_of_letters_or_a_word_is_no_zero(text):
    """(a letter alone is a zero only among a row's numbers: below)"""
    cell = value_cell(text)
    assert cell is None or cell.value != 0


@pytest.mark.parametrize("line, values", [
    ("一、本年新收政府信息公开申请数量\t\t\t9\t31\tO\to\t1\t16\t57", [9, 31, 0, 0, 1, 16, 57]),
    ("（一）予以公开 O 18 Ｏ 0 o 9 27", [0, 18, 0, 0, 0, 9, 27]),
    ("3.其他\tO\tO\to\tO\tO\tO\tO", [0] * 7),
])
def test_letters_among_a_rows_numbers_are_zeros(line, values):
    assert [c.value for c in line_cells(letter_zeros(line)).values] == values


@pytest.mark.parametrize("line", ["O型血 3", "Hello O world 1 2 3", "附件O 1", "O\t1"])
def test_letters_elsewhere_stay_text(line):
    assert letter_zeros(line) == line


def test_dashes_and_none_stay_not_given():
    for text in ("—", "-", "/", "无"):
        assert value_cell(text).value is None


def test_a_row_mixing_circles_and_digits_keeps_its_seven_cells():
    lc = line_cells("（二）部分公开 20 9 〇 〇 1 2 32")
    assert [c.value for c in lc.values] == [20, 9, 0, 0, 1, 2, 32]
    assert lc.labels == ["（二）部分公开"]


def test_a_zero_between_dashes_is_no_page_number():
    assert clean_line("-0-") == "-0-"
    assert clean_line("- 3 -") == ""


@pytest.mark.parametrize("line", [
    "注：表中空白单元格表示数量为0。", "注：空格表示为零", "说明：表中未填项为0。", "注：空白处表示无。",
    "备注：本表空白单元格均为0", "（注：表格中空白处代表0）",
])
def test_notes_that_make_blanks_zeros(line):
    assert blank_note(line)


@pytest.mark.parametrize("line", [
    "注：表中空白单元格表示不适用。", "注：空白不表示0", "注：空白处表示无此项", "注：表中空白表示无数据",
    "注：“—”表示为0", "本单位空白页为0.5页", "全年共收到申请0件，空白",
    "申请表中未填写联系方式的为0件", "表中空白单元格表示该项不适用，0表示没有",
])
def test_other_notes_do_not(line):
    assert not blank_note(line)


def _numbers(table: dict) -> list:
    return [v for row in table.values() if isinstance(row, dict) for v in row.values()]


def test_blanks_without_a_note_stay_null():
    """Every zero of this report is printed as a blank cell and no note says what blanks mean:
    none of them may be read as 0, and nothing says they were."""
    result = parsers.parse_bytes((ZEROS / "blank_cells_no_note.html").read_bytes(), "blank_cells_no_note.html")
    for key in ("applications", "reviews_litigation"):
        assert 0 not in _numbers(result.record[key]), key
    assert result.record["applications"]["new_received"]["total"] is not None  # the table was read
    assert not [f for f in result.findings if f["code"] == "blank_as_zero"]


def test_cells_read_from_the_note_keep_their_printed_blank_and_say_why():
    path = Path(__file__).parent / "fixtures" / "realworld" / "z17_04_cili_lingyang_2023_blank_cells_note.html"
    result = parsers.parse_bytes(path.read_bytes(), path.name)
    noted = [f for f in result.findings if f["code"] == "blank_as_zero"]
    assert {f["cells"][0].split(".")[0] for f in noted} == {"applications", "reviews_litigation"}
    named = {c for f in noted for c in f["cells"]}
    zeros = [c for c in result.cells if c["table"] in ("applications", "reviews_litigation") and c["value"] == 0]
    assert zeros and all(c["raw"] == "" for c in zeros)
    assert {f"{c['table']}.{c['row']}.{c['col']}" for c in zeros} == named
    assert all("注" in f["message"] for f in noted)


def test_a_blank_the_note_cannot_explain_stays_null():
    """A 总计 left blank beside six columns that add up to more than 0 is no zero, whatever the note
    says (a number the extraction moved out of its cell leaves such a blank): it stays null, and
    the note does not make the report contradict itself."""
    path = Path(__file__).parent / "fixtures" / "realworld" / "z17_04_cili_lingyang_2023_blank_cells_note.html"
    html = path.read_text(encoding="utf-8")
    row = html.index("一、本年新收政府信息公开申请数量")
    total = html.index("<td>72</td>", row)
    damaged = html[:total] + "<td></td>" + html[total + len("<td>72</td>"):]
    result = parsers.parse_bytes(damaged.encode("utf-8"), path.name)
    new = result.record["applications"]["new_received"]
    assert new["total"] is None
    assert new["natural_person"] == 18  # the row's printed numbers are read
    assert not [f for f in result.findings if f["code"] == "row_sum"]


def test_rows_printed_all_blank_are_rows_of_their_own():
    """In a clean grid, a row whose number cells are all blank (no note: all null) is still its
    row: its label is not glued to the next row's, so 3.其他 stays 3.其他 of a 2021 report."""
    result = parsers.parse_bytes((ZEROS / "blank_cells_no_note.html").read_bytes(), "blank_cells_no_note.html")
    apps = result.record["applications"]
    assert "other_total" not in apps
    assert list(apps["other_other"].values()) == [None, None, 8, None, None, 6, 14]
    for key in ("other_overdue_correction", "other_unpaid_fee", "partially_granted", "not_processed_excessive"):
        assert set(apps[key].values()) == {None}, key
    assert not [f for f in result.findings if f["code"] == "row_unplaced"]


@pytest.mark.parametrize("row", ["一、本年新收政府信息公开申请数量", "2.没有现成信息需要另行制作", "3.其他"])
def test_a_label_whose_numbers_stand_a_grid_row_lower_keeps_them(row):
    """A label cell spanning two grid rows with the numbers in the lower one: the label's line is no
    row of blanks (nor of the note's zeros), and its numbers are its row's."""
    from parsers.extract import extract_text

    path = Path(__file__).parent / "fixtures" / "realworld" / "z17_04_cili_lingyang_2023_blank_cells_note.html"
    text, _ = extract_text(path.read_bytes())
    want = parsers.parse_text(text).record["applications"]
    lines = []
    for line in text.splitlines():
        cells = line.split("\t")
        if row in line and len(cells) > 3:
            first = next(i for i, c in enumerate(cells) if c.isdigit())
            lines += ["\t".join(cells[:first] + [""] * (len(cells) - first)), "\t".join([""] * first + cells[first:])]
        else:
            lines.append(line)
    assert len(lines) == len(text.splitlines()) + 1
    result = parsers.parse_text("\n".join(lines))
    assert result.record["applications"] == want
    assert not [f for f in result.findings if f["code"] not in ("blank_as_zero", "inferred")]
