"""Table 3 printed with only three applicant columns: 自然人 / 法人或其他组织 / 总计.

Some offices merge the five legal-person columns into one.  自然人 and 总计 keep their meaning and
are read; the merged column is a subtotal the record has no key for (putting it in any one of the
five sub-columns would be a value under the wrong key), so it is kept only in a note and the five
sub-columns stay null.  Taken only when a header row names exactly these three columns and no
header line names a sub-column.
"""

from __future__ import annotations

import re

from .template import APPLICANT_COLS
from .tokens import split_cells, squash, value_cell

_NAMES = (("natural_person", re.compile(r"^自然人$")), ("legal", re.compile(r"^法人(?:或|和|及)?其他组织$")),
          ("total", re.compile(r"^(?:总计|合计)$")))
_SUB_NAMES = re.compile(r"商业|企业|科研|公益|法律|服务机构")  # pieces too: a PDF wraps 商业/企业
PLACEHOLDER = "/"  # a cell the rewritten row holds where the report prints no column


def _named(cells: list[str]) -> list[str] | None:
    """The three columns in the header's order, or None unless the line names exactly them."""
    found: list[str] = []
    for c in cells:
        text = squash(c)
        if not text:
            continue
        hits = [key for key, rx in _NAMES if rx.search(text)]
        if not hits and not found:
            continue  # the corner cell (申请人情况) left of the columns
        if len(hits) != 1 or hits[0] in found:
            return None
        found.append(hits[0])
    return found if len(found) == len(_NAMES) else None


def as_seven_columns(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """The table's lines rewritten to the template's seven columns (自然人, five placeholders,
    总计) without the header, and the merged column's cells as printed (label=value); None when
    the header does not name exactly 自然人 / 法人或其他组织 / 总计, or a row does not print
    exactly three numbers after its label.

    The numbers are taken in the header's order, not by position: a PDF's text grid packs a
    row's cells to the left of where the header stands, but keeps their order."""
    order: list[str] | None = None
    out: list[str] = []
    legal: list[str] = []
    head_text = ""
    numbers_seen = False
    for line in lines:
        cells = split_cells(line)
        at = [j for j, c in enumerate(cells or []) if value_cell(c) is not None]
        if order is None:
            if at:
                return None  # numbers before the header names its columns
            head_text += squash(line)
            if cells is not None:
                order = _named(cells)
            continue
        if cells is None or not at:
            if not numbers_seen:
                head_text += squash(line)  # a second header line (the sub-columns under 法人或其他组织)
            out.append(line)
            continue
        numbers_seen = True
        tail = [c for c in cells[at[0]:] if squash(c)]
        if len(at) != len(order) or len(tail) != len(order):
            return None  # not three numbers after the label: not this shape
        value = {name: cells[j] for name, j in zip(order, at, strict=True)}
        label = cells[: at[0]]
        name = next((squash(c) for c in reversed(label) if squash(c)), "")
        legal.append(f"{name[:12]}={value['legal'].strip()}")
        seven = [value["natural_person"], *[PLACEHOLDER] * (len(APPLICANT_COLS) - 2), value["total"]]
        out.append("\t".join([*label, *seven]))
    if order is None or not numbers_seen or _SUB_NAMES.search(head_text):
        return None
    return out, legal
