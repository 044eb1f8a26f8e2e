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
    the header does not name exactly 自然人 / 法人或其他组织 / 总计, or a row prints more than
    three numbers after its label.

    The numbers are taken in the header's order, not by position: a PDF's text grid packs a
    row's cells to the left of where the header stands, but keeps their order.  A row printing
    fewer than three (a blank cell) is read only where its blanks' places are proven: the rows
    printing all three stand at the same cells (counted from the row's start or from its end)
    and so do this row's numbers and blanks; else its three cells are null, with a note."""
    order: list[str] | None = None
    rows: list[tuple[str, list[str], list[int]] | str] = []
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
            rows.append(line)
            continue
        numbers_seen = True
        tail = [c for c in cells[at[0]:] if squash(c)]
        if len(at) > len(order) or len(tail) != len(at):
            return None  # more than three numbers after the label, or words among them: not this shape
        rows.append((line, cells, at))
    if order is None or not numbers_seen or _SUB_NAMES.search(head_text):
        return None
    full = [(cells, at) for row in rows if not isinstance(row, str) for _l, cells, at in [row] if len(at) == len(order)]
    if not full:
        return None
    out: list[str] = []
    legal: list[str] = []
    for row in rows:
        if isinstance(row, str):
            out.append(row)
            continue
        line, cells, at = row
        places = at if len(at) == len(order) else _blank_places(cells, at, full)
        label = cells[: (places or at)[0]]
        name = next((squash(c) for c in reversed(label) if squash(c)), "")
        if places is None:
            printed = " ".join(cells[j].strip() for j in at)
            legal.append(f"{name[:12]}: {printed} (which column each number stands in is not proven; row not read)")
            out.append("\t".join([*label, *[PLACEHOLDER] * len(APPLICANT_COLS)]))
            continue
        # a blank stands in as the placeholder: a leading empty cell would read as part of the label
        value = {name_: cells[j] if squash(cells[j]) else PLACEHOLDER for name_, j in zip(order, places, strict=True)}
        legal.append(f"{name[:12]}={value['legal'].strip()}")
        seven = [value["natural_person"], *[PLACEHOLDER] * (len(APPLICANT_COLS) - 2), value["total"]]
        out.append("\t".join([*label, *seven]))
    return out, legal


def _label_end(cells: list[str], first: int) -> int:
    """Where a row's label ends: after its last printed cell before its first number."""
    return next((j + 1 for j in range(first - 1, -1, -1) if squash(cells[j])), 0)


def _blank_places(cells: list[str], at: list[int], full: list[tuple[list[str], list[int]]]) -> list[int] | None:
    """The three cells of a row printing fewer than three numbers, when every full row holds its
    numbers at the same cells as this row has them: counted from the row's start (a grid of the
    table's width), from its end (a row listing its label's merged cells once) or from its label's
    end (a PDF grid padding some rows).  Every such count that every full row agrees on must
    place this row's numbers where it printed them, its blanks on empty cells, and all alike."""
    n = len(full[0][1])
    anchors = (
        (lambda c, a: 0, 0),
        (lambda c, a: len(c), len(cells)),
        (lambda c, a: _label_end(c, a[0]), _label_end(cells, at[0])),
    )
    found: set[tuple[int, ...]] = set()
    for anchor, here in anchors:
        patterns = {tuple(j - anchor(c, a) for j in a) for c, a in full}
        if len(patterns) != 1:
            continue
        if here == 0 and anchor(cells, at) == 0 and any(len(c) != len(cells) for c, _a in full):
            continue  # counted from the start only within rows of one width
        places = tuple(j + here for j in next(iter(patterns)))
        if not (len(places) == n and 1 <= min(places) and max(places) < len(cells) and set(at) <= set(places)
                and all(not squash(cells[j]) for j in places if j not in at)):
            return None  # a count the full rows prove does not fit this row
        found.add(places)
    return list(found.pop()) if len(found) == 1 else None
