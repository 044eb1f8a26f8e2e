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


def _named(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for j, c in enumerate(cells):
        text = squash(c)
        if not text:
            continue
        hits = [key for key, rx in _NAMES if rx.search(text)]
        if not hits and not found:
            continue  # the corner cell (申请人情况) left of the columns
        if len(hits) != 1 or hits[0] in found:
            return None
        found[hits[0]] = j - len(cells)  # from the right: rows may lack the label's blank cells
    return found if len(found) == len(_NAMES) else None


def as_seven_columns(lines: list[str]) -> tuple[list[str], list[int]] | None:
    """The table's lines rewritten to the template's seven columns (自然人, five placeholders,
    总计) without the header, and the merged column's position (from the right); None when the
    header does not name exactly 自然人 / 法人或其他组织 / 总计."""
    where: dict[str, int] | None = None
    out: list[str] = []
    head_text = ""
    numbers_seen = False
    for line in lines:
        cells = split_cells(line)
        has_values = cells is not None and any(value_cell(c) is not None for c in cells)
        if where is None:
            if has_values:
                return None  # numbers before the header names its columns
            head_text += squash(line)
            if cells is not None:
                where = _named(cells)
            continue
        if cells is None or not has_values:
            if not numbers_seen:
                head_text += squash(line)  # a second header line (the sub-columns under 法人或其他组织)
            out.append(line)
            continue
        numbers_seen = True
        if len(cells) < -min(where.values()):
            out.append(line)
            continue
        label = cells[: len(cells) + min(where.values())]
        filled = [j - len(cells) for j, c in enumerate(cells) if value_cell(c) is not None]
        if sorted(filled) != sorted(where.values()):
            return None  # a row with numbers outside the three named columns: not this shape
        seven = [cells[where["natural_person"]], *[PLACEHOLDER] * (len(APPLICANT_COLS) - 2), cells[where["total"]]]
        out.append("\t".join([*label, *seven]))
    if where is None or _SUB_NAMES.search(head_text):
        return None
    return out, [where["legal"]]


def legal_subtotals(lines: list[str], at: int) -> list[str]:
    """The merged column's cells as printed, row by row (label=value), for the record's notes."""
    out = []
    for line in lines:
        cells = split_cells(line)
        if cells is None or len(cells) < -at or value_cell(cells[at]) is None:
            continue
        label = next((squash(c) for c in reversed(cells) if squash(c) and value_cell(c) is None), "")
        out.append(f"{label[:12]}={cells[at].strip()}")
    return out
