"""A 小计 (or 合计) column that adds up table 3's five 法人或其他组织 columns.

Offices add such a column after the five (or under the merged 法人或其他组织 cell) beside the 总计
the template has.  It is no column of the record: the table reader leaves it out by the header
(tables._drop_foreign_columns).  What it prints is still a figure of the report: where it is not
the sum of the five columns beside it, the row contradicts itself, and the reader is told (a finding
of identity 2, the per-row sums), never the printed numbers changed.

Imported by the table reader, which an extractor imports too (formats/imagegrid): only light
modules here, as whatever this imports counts in the extraction cache's fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .template import APPLICANT_COL_LABELS, APPLICANT_COLS, ROW_LABELS
from .tokens import Cell

SUBTOTAL_NAMES = ("小计", "合计")
LEGAL_COLS = APPLICANT_COLS[1:6]  # the five 法人或其他组织 columns, between 自然人 and 总计


class SubtotalMismatch(str):
    """A warning (plain text to every reader of warnings) that carries what the finding needs: the
    row's printed label, the subtotal printed and the five columns' sum."""

    label: str
    printed: float
    implied: float

    def __new__(cls, message: str, label: str = "", printed: float = 0, implied: float = 0) -> SubtotalMismatch:
        obj = super().__new__(cls, message)
        obj.label, obj.printed, obj.implied = label, printed, implied
        return obj


def check(label: str, seven: list[Cell], subtotal: Cell) -> SubtotalMismatch | None:
    """The mismatch of a row's printed subtotal against its five legal-person cells (``seven``: the
    row as the template's seven), or None when they agree or a cell is not a number."""
    legal = seven[1:6]
    if subtotal.value is None or any(c is None or c.value is None for c in legal):
        return None
    total = sum(c.value for c in legal)
    if abs(total - subtotal.value) < 1e-9:
        return None
    return SubtotalMismatch(
        f"table 3 row '{label[:20]}': its subtotal column prints {subtotal.raw}, "
        f"the five 法人或其他组织 columns add up to {total:g}", label, subtotal.value, total)


def findings(warnings: list[str], apps: dict | None, guess_row: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """One identity-2 finding per row whose printed subtotal is not its five columns' sum, on the
    row's five cells (``guess_row``: the table reader's row for a printed label); a row whose label
    names no row for certain is named as printed."""
    out: list[dict[str, Any]] = []
    names = "、".join(APPLICANT_COL_LABELS[c] for c in LEGAL_COLS)
    for w in warnings:
        if not isinstance(w, SubtotalMismatch):
            continue
        key = guess_row(w.label)
        known = key is not None and isinstance(apps, dict) and isinstance(apps.get(key), dict)
        out.append({
            "identity": "2",
            "code": "subtotal_mismatch",
            "cells": [f"applications.{key}.{c}" for c in LEGAL_COLS] if known else [],
            "printed": w.printed,
            "implied": w.implied,
            "message": f"表三“{ROW_LABELS.get(key, key) if known else w.label}”一行：小计列印为{w.printed:g}，"
                       f"而{names}五列之和为{w.implied:g}",
        })
    return out
