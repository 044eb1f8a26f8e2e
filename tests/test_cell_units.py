"""Units printed inside table 2's cells (parsers/cellunits.py): the column's own unit is read,
another one never is (null, `unit_mismatch`).  The golden fixtures are f18_03 and f18_04."""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from parsers.cellunits import tag, untag

F18_04 = Path(__file__).parent / "fixtures" / "realworld" / "f18_04_jiujiang_chaisang_2020_procurement_amount_in_yuan.txt"
ROW = "政府集中采购\t109\t12045000元"


def _procurement(row: str):
    text = F18_04.read_text(encoding="utf-8")
    assert ROW in text
    result = parsers.parse_text(text.replace(ROW, row))
    cells = {c["col"]: c for c in result.cells if c["row"] == "procurement"}
    mismatched = [f for f in result.findings if f["code"] == "unit_mismatch"]
    return result.record["active_disclosure"]["procurement"], cells, mismatched


@pytest.mark.parametrize("row, items, amount", [
    ("政府集中采购\t109\t1204.5万元", 109, 1204.5),
    ("政府集中采购\t109项\t1204.5万元", 109, 1204.5),
    ("政府集中采购\t109件\t1,204.5 万元", 109, 1204.5),
    ("政府集中采购\t109\t1204.5万", 109, 1204.5),
    ("政府集中采购 109项 1204.5万元", 109, 1204.5),  # a plain-text dump
    ("政府集中采购\t109（项）\t1204.5万元", 109, 1204.5),  # a count's unit in brackets
])
def test_the_columns_own_unit_is_read(row, items, amount):
    got, cells, mismatched = _procurement(row)
    assert got == {"items": items, "amount_10k_yuan": amount}
    assert not mismatched
    assert "万" in cells["amount_10k_yuan"]["raw"]  # the cell keeps what it printed


@pytest.mark.parametrize("row, col, printed", [
    ("政府集中采购\t109\t12045000元", "amount_10k_yuan", "12045000元"),
    ("政府集中采购\t109\t0.12亿元", "amount_10k_yuan", "0.12亿元"),
    ("政府集中采购\t109\t1204千元", "amount_10k_yuan", "1204千元"),
    ("政府集中采购\t109\t1204项", "amount_10k_yuan", "1204项"),
    ("政府集中采购\t109\t1204（项）", "amount_10k_yuan", "1204（项）"),
    ("政府集中采购\t109万元\t1204.5", "items", "109万元"),
])
def test_another_unit_is_null_and_said(row, col, printed):
    got, cells, mismatched = _procurement(row)
    assert got[col] is None
    assert cells[col]["raw"] == printed
    assert [f["cells"] for f in mismatched] == [[f"active_disclosure.procurement.{col}"]]
    assert printed in mismatched[0]["message"]
    other = "items" if col == "amount_10k_yuan" else "amount_10k_yuan"
    assert got[other] is not None  # the row's other cell is read


@pytest.mark.parametrize("line", ["全年收费5万元", "采购总金额（万元）", "本年收费金额（单位：万元）", "约3000万元\t2"])
def test_a_unit_inside_words_is_left_alone(line):
    assert tag(line) == line


def test_tag_and_untag_give_back_the_printed_text():
    line = "政府集中采购\t43\t3,535.13万元"
    assert tag(line) != line and untag(tag(line)) == line
