"""Dash and slash cells that a note says are zeros (parsers/dashnote.py).

The whole reports are golden fixtures (tests/fixtures/realworld/f18_01, f18_02); here: which notes
say so, and what the same report reads without the note, or with a note about other marks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from parsers.dashnote import note_marks

F18_01 = Path(__file__).parent / "fixtures" / "realworld" / "f18_01_ganzhou_ruijin_2023_dash_note_under_table3.html"
NOTE = "注：表中“—”表示数量为零。"


@pytest.mark.parametrize("line, marks", [
    ("注：表中“—”表示数量为零。", {"dash"}),
    ("注：“/”、“-”、“—”表示0", {"dash", "slash"}),
    ("说明：表中-代表0", {"dash"}),
    ("注：表中“——”均为0", {"dash"}),
    ("备注：本表“/”视为0。", {"slash"}),
    ("注：空白或“—”表示0", {"dash", "blank"}),
    ("注：“—”表示无。", {"dash"}),
])
def test_notes_that_make_marks_zeros(line, marks):
    assert note_marks(line) == marks


@pytest.mark.parametrize("line", [
    "注：表中“—”表示无数据", "注：“—”表示无此项", "注：“—”表示不适用", "注：“—”不表示0",
    "注：表中空白单元格表示数量为0。",  # blanks only: blanknote's
    "本年增/减为0", "注：“—”表示0件以上",
    "行政事业性收费—为0",  # no note: a table line
])
def test_other_lines_are_no_dash_note(line):
    assert note_marks(line) == frozenset()


def _parse(html: str):
    return parsers.parse_bytes(html.encode("utf-8"), F18_01.name)


def _dash_cells(result, table: str) -> list[dict]:
    return [c for c in result.cells if c["table"] == table and c["raw"] == "—"]


def test_dashes_without_a_note_stay_null():
    html = F18_01.read_text(encoding="utf-8").replace(NOTE, "注：本表由政务公开办公室填报。")
    result = _parse(html)
    dashes = _dash_cells(result, "applications")
    assert dashes and all(c["value"] is None for c in dashes)
    assert not [f for f in result.findings if f["code"] == "dash_as_zero"]


def test_the_note_makes_its_tables_dashes_0_and_names_each():
    result = _parse(F18_01.read_text(encoding="utf-8"))
    zeros = [c for c in _dash_cells(result, "applications") if c["value"] == 0]
    [finding] = [f for f in result.findings if f["code"] == "dash_as_zero"]
    assert {f"{c['table']}.{c['row']}.{c['col']}" for c in zeros} == set(finding["cells"])
    assert NOTE in finding["message"]
    # the note is table 3's: table 4's dashes stay null
    assert all(c["value"] is None for c in _dash_cells(result, "reviews_litigation"))


def test_a_note_about_another_mark_leaves_the_dashes_null():
    result = _parse(F18_01.read_text(encoding="utf-8").replace(NOTE, "注：表中“/”表示数量为零。"))
    assert all(c["value"] is None for c in _dash_cells(result, "applications"))


def test_a_note_naming_blanks_and_dashes_makes_both_0():
    html = F18_01.read_text(encoding="utf-8").replace(NOTE, "注：表中空白或“—”表示0。")
    row = html.index("（二）部分公开")
    end = html.index("</tr>", row)
    html = html[:row] + html[row:end].replace("<td>—</td>", "<td>&nbsp;</td>") + html[end:]
    result = _parse(html)
    partial = result.record["applications"]["partially_granted"]
    assert None not in partial.values() and partial["total"] == sum(v for k, v in partial.items() if k != "total")
    codes = {f["code"] for f in result.findings}
    assert {"blank_as_zero", "dash_as_zero"} <= codes
