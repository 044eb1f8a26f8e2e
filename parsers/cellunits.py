"""Units printed inside table 2's cells: 3535.13万元, 43项, 12件.

Table 2's columns carry their unit in the header (采购总金额 and 本年收费金额 are 万元, the rest are
counts), and some offices type it again in the cell.  A cell whose unit is its column's own is
the number it prints: 3535.13万元 under 采购总金额 is 3535.13.  A unit that is not the column's
(30747000元 or 3.5亿元 under a 万元 column, 12万元 under a count) is never converted nor read as the
column's unit: the cell is null, and a finding ``unit_mismatch`` says what was printed.

A money amount with its unit is no value cell to the table reader (a count's unit is: tokens
strips 件/个/项…), so ``tag`` puts a private-use mark for the unit in its place before table 2 is
read (a whole cell only, never a word inside a label), and ``settle`` checks each placed cell's
unit against its column and gives the cell back its printed text.
No parsers imports here: tokens reads the marks (as it does a count's unit).
"""

from __future__ import annotations

import re
from dataclasses import replace

# money units as printed, each with its stand-in (a private-use character no report prints)
MONEY_UNITS = ("亿元", "千万元", "百万元", "十万元", "万元", "千元", "万", "元")
UNIT_MARKS = {u: chr(0xE0C8 + i) for i, u in enumerate(MONEY_UNITS)}
MARK_UNITS = {m: u for u, m in UNIT_MARKS.items()}
MARK_CLASS = "[" + "".join(UNIT_MARKS.values()) + "]"
_COLUMN_UNITS = ("万元", "万")  # what the amount columns (万元) may print
COUNT_UNITS = "件个条项次宗起"
# a whole cell: a number (full-width digits, grouping, decimals) and a money unit, nothing else
_AMOUNT = re.compile(r"(?:(?<=^)|(?<=[\t \u3000|]))([+-]?[0-9０-９][0-9０-９,，.．]*)\s?("
                     + "|".join(MONEY_UNITS) + r")(?=$|[\t \u3000|])")
AMOUNT_COLUMNS = frozenset({"amount_10k_yuan"})


def tag(line: str) -> str:
    """The line with each whole cell's money unit replaced by its mark."""
    if not any(u in line for u in ("元", "万")):
        return line
    return _AMOUNT.sub(lambda m: m.group(1) + UNIT_MARKS[m.group(2)], line)


def untag(text: str) -> str:
    """The text with every mark given back its unit."""
    return "".join(MARK_UNITS.get(ch, ch) for ch in text)


_BRACKETED_COUNT = re.compile(r"[（(]\s*([" + COUNT_UNITS + r"])\s*[)）]$")  # 12（件）: a count unit in brackets


def _unit(raw: str) -> str | None:
    """The unit a cell prints after its number: a money unit, a count unit (bare or in brackets), or None."""
    t = raw.strip()
    if t and t[-1] in MARK_UNITS:
        return MARK_UNITS[t[-1]]
    if t and t[-1] in COUNT_UNITS:
        return t[-1]
    m = _BRACKETED_COUNT.search(t)
    return m.group(1) if m else None


def settle(t2: dict, columns: dict[str, tuple[str, ...]]) -> tuple[dict, list[tuple[str, str, str]]]:
    """Table 2's rows with each cell's unit checked against its column: its own unit (万元 in an
    amount column, a count's in a count column) keeps the number, another makes the cell null.
    Every cell gets back its printed text.  Returns the rows and the (row, column, printed text)
    of each cell set aside."""
    out: dict = {}
    mismatched: list[tuple[str, str, str]] = []
    for key, cells in t2.items():
        cols = columns.get(key)
        if not isinstance(cells, list) or cols is None:
            out[key] = cells
            continue
        row = []
        for i, c in enumerate(cells):
            if c is None or i >= len(cols):
                row.append(c)
                continue
            unit, raw = _unit(c.raw), untag(c.raw)
            own = unit is None or (unit in _COLUMN_UNITS if cols[i] in AMOUNT_COLUMNS else unit in COUNT_UNITS)
            if c.value is not None and not own:
                mismatched.append((key, cols[i], raw))
                row.append(replace(c, value=None, raw=raw))
            else:
                row.append(c if raw == c.raw else replace(c, raw=raw))
        out[key] = row
    return out, mismatched
