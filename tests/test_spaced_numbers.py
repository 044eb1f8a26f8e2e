"""Spaces inside a cell's digits: one number when letter-spacing or a thousands grouping explains
them, else two numbers side by side, which no one count is (null, never glued: 350 349 is not 350349).
The whole-report cases are the realworld fixtures n12_* (tests/fixtures/realworld/make_n12.py)."""

from __future__ import annotations

import pytest

import parsers
from parsers.tokens import numbers_apart, parse_number, value_cell

ONE_NUMBER = [
    ("3 5 0", 350), ("1 2 3 4", 1234), ("1 0", 10), ("0", 0), ("9 9 9 9 9", 99999),  # letter-spaced
    ("1 234", 1234), ("12 345", 12345), ("1 234 567", 1234567), ("1 234.5", 1234.5),  # thousands
    ("４ ４２９", 4429), ("1\u2009234", 1234), ("3\xa05\xa00", 350), ("3 5 0件", 350), ("1,234", 1234),
    ("增加 3", 3),
]
TWO_NUMBERS = ["350 349", "350  349", "350\xa0349", "12 3", "1 23", "0 18", "123 456", "4,429 350",
               "1 2 34", "350 349件", "21 18"]


@pytest.mark.parametrize(("printed", "value"), ONE_NUMBER)
def test_spaced_digits_of_one_number_are_read_as_that_number(printed: str, value: int) -> None:
    assert parse_number(printed) == value
    assert value_cell(printed).value == value
    assert not numbers_apart(printed)


@pytest.mark.parametrize("printed", TWO_NUMBERS)
def test_two_numbers_in_one_cell_are_a_null_cell_never_one_glued_number(printed: str) -> None:
    assert parse_number(printed) is None
    cell = value_cell(printed)
    assert cell is not None and cell.value is None and cell.raw == printed  # a value's place, no label
    assert numbers_apart(printed)


def test_label_text_with_numbers_in_it_stays_a_label() -> None:
    for label in ("三、政府信息公开 2023 12", "第 1 项", "（三） 1 2"):
        assert value_cell(label) is None and not numbers_apart(label)


def test_a_page_printing_two_numbers_in_one_text_cell_says_so() -> None:
    from pathlib import Path

    page = Path(__file__).parent / "fixtures" / "realworld" / "n12_01_foshan_city_2023_two_numbers_in_one_text_cell.html"
    result = parsers.parse_bytes(page.read_bytes(), page.name)
    assert result.record["applications"]["total_processed"]["commercial"] is None
    assert any("350 349" in note and "applications.total_processed.commercial" in note
               for note in result.meta.get("skipped", []))
