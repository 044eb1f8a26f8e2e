"""A sparse table 3 in a text dump: cells left blank rather than 0 (goldens t3_sparse_* in
tests/fixtures/text).

A `pdftotext -layout` dump keeps each number at its column's place, so a row printing three of
its seven cells shows which: where the rows' numbers fall into the seven columns, each number is
read in its column and the blanks are null.  Where positions prove nothing (columns a space apart,
digits wrapped in their cells), a short row is null, never stretched over the seven.
"""

from __future__ import annotations

import json
from pathlib import Path

from parsers import parse_text
from parsers.tokens import layout_columns

TEXT = Path(__file__).parent / "fixtures" / "text"


def _rows(*rows: str) -> list[str]:
    return [f"  label{k}   {r}" for k, r in enumerate(rows)]


def test_columns_of_a_sparse_layout_come_from_every_row():
    lines = _rows("120    8    1    0    3    2   134",
                  "  5                             6",
                  " 40    3              1    1   45",
                  "  2                             2")
    cols = layout_columns(lines, 7)
    assert cols is not None and len(cols) == 7


def test_a_column_no_row_prints_in_proves_no_columns():
    lines = _rows("120    8    1         3    2   134",
                  "  5                             6",
                  " 40    3              1    1   45")
    assert layout_columns(lines, 7) is None


def test_numbers_a_space_apart_prove_no_columns():
    lines = _rows("120 8 1 0 3 2 134", "5 1 6", "1234 3 1 1 1239")
    assert layout_columns(lines, 7) is None


def test_sparse_layout_dump_reads_every_printed_number_in_its_column():
    text = (TEXT / "t3_sparse_blank_cells_pdftotext_layout_2023.txt").read_text(encoding="utf-8")
    whole = json.loads((TEXT / "pdftotext_layout_2023.expected.json").read_text(encoding="utf-8"))["applications"]
    apps = parse_text(text).record["applications"]
    read = [(r, c) for r, cols in apps.items() for c, v in cols.items() if v is not None]
    assert all(apps[r][c] == whole[r][c] for r, c in read)
    assert len(read) == 80  # every number the table prints (blanks stay null: no note says they are 0)
    assert apps["granted"] == {"natural_person": 40, "commercial": 3, "research": None, "social_welfare": None,
                               "legal_services": 1, "other_org": 1, "total": 45}


def test_wrapped_digits_of_a_sparse_row_are_not_read_as_its_cells():
    """19 … 19 over 09 18 19 5 51 is 1909 … 1951 wrapped in narrow cells, not a row of seven."""
    text = (TEXT / "t3_sparse_wrapped_digits_pdftotext_layout_2024.txt").read_text(encoding="utf-8")
    apps = parse_text(text).record["applications"]
    assert all(v is None for v in apps["new_received"].values())
