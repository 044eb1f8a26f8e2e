"""Table 4's header words read by one name table (parsers/t4names.py), the same in every shape.

The shapes: the fifteen columns with each group's 总计 first (t4order), twelve columns without the
总计 columns copied with each merged cell once (t4header), the table on its side (groups as
columns), and rate columns beside the counts.  Whole reports: realworld v20_* (尚结 in a
twelve-column header, which t4header did not read before the two readers shared the table)."""

from __future__ import annotations

import pytest

from parsers.t4header import read_by_header
from parsers.t4names import COMBINED, group_of, names_in, outcome_of
from parsers.tables import parse_table4

REVIEW = (0, 3, 3, 3, 9)
DIRECT = (1, 0, 0, 1, 2)
AFTER = (0, 0, 0, 4, 4)


def _template(pending: str, other: str) -> tuple[str, ...]:
    return ("结果维持", "结果纠正", other, pending, "总计")


def _values(cells) -> list:
    return [c.value if c is not None else None for c in cells]


def _total_first(pending: str, other: str) -> list:
    """t4order's shape: each group's 总计 first, one header row per line."""
    first = ("总计", "结果维持", "结果纠正", other, pending)
    numbers = [str(n) for g in (REVIEW, DIRECT, AFTER) for n in (g[4], *g[:4])]
    t4 = parse_table4(["行政复议 行政诉讼", " ".join(first) + " 未经复议直接起诉 复议后起诉", " ".join(first * 2),
                       " ".join(numbers)])
    return _values(t4.cells)


def _twelve_columns(pending: str, other: str) -> list:
    """t4header's shape: no 总计 columns, a browser's copy printing each merged cell once."""
    four = "\t".join(_template(pending, other)[:4])
    numbers = [str(n) for g in (REVIEW, DIRECT, AFTER) for n in g[:4]]
    read = read_by_header(["行政复议\t行政诉讼", f"{four}\t未经复议直接起诉\t复议后起诉", f"{four}\t{four}",
                           "\t".join(numbers)])
    return _values(read.cells) if read is not None else []


def _sideways(pending: str, other: str) -> list:
    """The table on its side: the groups as columns, an outcome per row."""
    rows = ["\t行政复议\t未经复议直接起诉\t复议后起诉"]
    for k, name in enumerate(_template(pending, other)):
        rows.append("\t".join([name, str(REVIEW[k]), str(DIRECT[k]), str(AFTER[k])]))
    t4 = parse_table4(rows)
    return _values(t4.cells) if t4 is not None else []


def _with_rates(pending: str, other: str) -> list:
    """A rate column after each group's counts."""
    five = "\t".join(_template(pending, other))
    head = ["行政复议\t\t\t\t\t\t行政诉讼" + "\t" * 11,
            f"{five}\t纠错率\t未经复议直接起诉\t\t\t\t\t\t复议后起诉\t\t\t\t\t",
            "\t" * 6 + f"{five}\t纠错率\t{five}\t纠错率"]
    row = "\t".join([*map(str, REVIEW), "33%", *map(str, DIRECT), "0%", *map(str, AFTER), "0%"])
    t4 = parse_table4([*head, row])
    return _values(t4.cells) if t4 is not None else []


WANT = [*REVIEW, *DIRECT, *AFTER]
WANT_12 = [*REVIEW[:4], None, *DIRECT[:4], None, *AFTER[:4], None]


@pytest.mark.parametrize("pending", ["尚未审结", "未审结", "尚结"])
@pytest.mark.parametrize("other", ["其他结果", "其他"])
def test_a_header_word_is_read_the_same_in_every_shape(pending: str, other: str) -> None:
    assert _total_first(pending, other) == WANT
    assert _twelve_columns(pending, other) == WANT_12
    assert _sideways(pending, other) == WANT
    assert _with_rates(pending, other) == WANT


def test_other_running_into_other_text_names_nothing_in_any_shape() -> None:
    """其他情形 is no name of the template's: no shape places a number by it (总计 printed first and
    not placed leaves t4order's table unread; the other shapes' readers decline, and the template
    readers that then look at the table place nothing either)."""
    for shape in (_total_first, _twelve_columns, _sideways, _with_rates):
        assert shape("尚未审结", "其他情形") in ([], [None] * 15), shape.__name__


@pytest.mark.parametrize(("word", "outcome"), [
    ("结果维持", "upheld"), ("维持", "upheld"), ("结果纠正", "corrected"), ("纠正", "corrected"),
    ("其他结果", "other"), ("其他", "other"), ("其他（件）", "other"), ("其他情形", None),
    ("尚未审结", "pending"), ("未审结", "pending"), ("尚结", "pending"), ("尚未", None), ("审结", None),
    ("总计", "total"), ("合计", "total"), ("总", None), ("维持纠正", None), ("行政复议总计", "total"),
])
def test_what_one_header_cell_names(word: str, outcome: str | None) -> None:
    assert outcome_of(word) == outcome


def test_a_dump_that_glued_the_names_keeps_a_bare_other() -> None:
    assert [c for c, _n in names_in("总计结果维持结果纠正其他尚未审结")] == [
        "total", "upheld", "corrected", "other", "pending"]


@pytest.mark.parametrize(("word", "group"), [
    ("行政复议", "review"), ("未经复议直接起诉", "litigation_direct"), ("直接起诉", "litigation_direct"),
    ("未经复议", "litigation_direct"), ("行政诉讼（未经复议直接起诉）", "litigation_direct"),
    ("未经行政复议直接起诉", "litigation_direct"), ("复议后起诉", "litigation_after_review"),
    ("经行政复议后起诉", "litigation_after_review"), ("行政诉讼", COMBINED), ("结果维持", None),
])
def test_what_one_group_cell_names(word: str, group: str | None) -> None:
    assert group_of(word) == group
