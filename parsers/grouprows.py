"""A group of table 3's outcomes printed as one row, without its items (（三）不予公开 7 0 0 0 0 0 7).

Offices that had few refusals often delete the eight 不予公开 grounds (or the 无法提供 / 不予处理 items)
and keep the group's heading with the group's total.  That row is no item: aligned to the template's
sequence it would land in one (7 refusals "属于行政查询事项"), and identity 3 still holds, so nothing
would warn.  The canonical record has no key for a group's total (only （六）其他处理 has one,
`other_total`), so the items stay null, the row is kept under `extra_rows` as printed, and a finding
says the report prints only the group's total.

A row is taken as such only where that is certain: its label is the group's heading alone (with its
own numeral if one is printed; after the previous row's wrapped words only with its numeral), no
printed row names any of the group's items, and the rows right
above and below it name rows before and after the group.  A heading printed above its items (a
subtotal row) or beside the first item is read as before.

Imported by the table reader, which an extractor imports too (formats/imagegrid): only light
modules here, as whatever this imports counts in the extraction cache's fingerprint.
"""

from __future__ import annotations

import re
from typing import Any

from .template import ALL_APPLICATION_ROWS, APPLICANT_COLS, DENIED_ROWS, NOT_PROCESSED_ROWS, UNAVAILABLE_ROWS
from .tokens import squash

# group heading -> (its numeral in the template, its item rows)
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "不予公开": ("三", DENIED_ROWS),
    "无法提供": ("四", UNAVAILABLE_ROWS),
    "不予处理": ("五", NOT_PROCESSED_ROWS),
}
_HEADING = re.compile(r"(?:三、?本年度办理结果)?(?:[（(]([一二三四五六七])[）)])?(不予公开|无法提供|不予处理)")
# the heading with its numeral ending a label that the previous row's wrapped words spill into
# (a PDF's text: “只计这一情形，不计其他情形）（三）不予公开”)
_NUMBERED_END = re.compile(r"[（(]([一二三四五六七])[）)](不予公开|无法提供|不予处理)$")


class GroupOnly(str):
    """A warning (plain text to every reader of warnings) that carries what the finding needs: the
    group's heading as printed, the row's printed numbers and the item rows left null."""

    group: str
    label: str
    printed: str
    total: float | None
    items: tuple[str, ...]

    def __new__(cls, message: str, group: str = "", label: str = "", printed: str = "",
                total: float | None = None, items: tuple[str, ...] = ()) -> GroupOnly:
        obj = super().__new__(cls, message)
        obj.group, obj.label, obj.printed, obj.total, obj.items = group, label, printed, total, items
        return obj


def printed_heading(label: str) -> str:
    """The heading as the row prints it, without the previous row's words before it."""
    text = squash(label)
    m = _NUMBERED_END.search(text)
    return text if _HEADING.fullmatch(text) or m is None else m.group(0)


def heading(label: str) -> str | None:
    """The group a row's label names by its heading alone (（三）不予公开, 不予处理), or None: a label
    with an item's words or another numeral after the heading is not a bare heading.  Words before a
    numbered heading are the previous row's (its label wrapped onto this row's line)."""
    text = squash(label)
    m = _HEADING.fullmatch(text) or _NUMBERED_END.search(text)
    if m is None:
        return None
    numeral, name = m.group(1), m.group(2)
    return name if numeral is None or numeral == GROUPS[name][0] else None


def _place(key: str | None, name: str | None) -> tuple[int, int] | None:
    """(first, last) template positions a row stands at: its row's, or a bare heading's items'."""
    if name is not None:
        items = GROUPS[name][1]
        return ALL_APPLICATION_ROWS.index(items[0]), ALL_APPLICATION_ROWS.index(items[-1])
    if key in ALL_APPLICATION_ROWS:
        at = ALL_APPLICATION_ROWS.index(key)
        return at, at
    return None


def lone_groups(labels: list[str], guesses: list[list[str | None]]) -> dict[int, str]:
    """Rows (index -> group heading) that print a group's total without its items.

    ``labels``: each printed row's label; ``guesses``: the rows the labels name, in each reading
    of the labels the table reader tries (text before the numbers, text after them)."""
    named = {g for reading in guesses for g in reading if g is not None}
    heads = [heading(label) for label in labels]
    found: dict[int, str] = {}
    for i, name in enumerate(heads):
        if name is None or named & set(GROUPS[name][1]):
            continue
        first, last = _place(None, name)  # type: ignore[misc]
        if i == 0 or i + 1 >= len(labels):
            continue
        above = _places(guesses, heads, i - 1)
        below = _places(guesses, heads, i + 1)
        if above and below and all(p[1] < first for p in above) and all(p[0] > last for p in below):
            found[i] = name
    return found


def _places(guesses: list[list[str | None]], heads: list[str | None], i: int) -> list[tuple[int, int]]:
    """Where row ``i`` stands in the template by each reading of its label that names a row (the
    readings may differ by a row where a dump wraps labels: each must put it on the same side)."""
    if heads[i] is not None:
        return [_place(None, heads[i])]  # type: ignore[list-item]
    return [p for reading in guesses if (p := _place(reading[i], None)) is not None]


def findings(warnings: list[str], apps: dict | None) -> list[dict[str, Any]]:
    """One finding (identity `source`) per group printed as its total alone, on the group's item
    cells the record holds null: the reader must know why they are empty and where the total is."""
    out: list[dict[str, Any]] = []
    if not isinstance(apps, dict):
        return out
    for w in warnings:
        if not isinstance(w, GroupOnly):
            continue
        cells = [f"applications.{r}.{c}" for r in w.items if isinstance(apps.get(r), dict)
                 for c in APPLICANT_COLS if apps[r].get(c) is None]
        numeral = GROUPS[w.group][0]
        out.append({
            "identity": "source",
            "code": "group_total_only",
            "cells": cells,
            "printed": w.total,
            "implied": None,
            "message": f"表三“（{numeral}）{w.group}”只印出该类的合计一行（“{w.label} {w.printed}”），"
                       f"未分列其下{len(w.items)}项；记录没有该类合计的栏目，各项记为空，"
                       "该行按原样列入 extra_rows",
        })
    return out
