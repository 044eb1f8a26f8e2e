"""A text dump that stops inside a table, with no mark of a cut (parsers/truncation.py finds marks).

A PDF or DOCX copied to text and cut at a line break (a paste that stopped, a file saved half
way) shows no sign of it: plain text has no closing markup.  Read as printed, the rows it still
holds are stretched over the template's rows it lost (an unnamed last row taken for 结转下年度继续
办理, the 2019 row list preferred because it is shorter), and the last row may be short of its
numbers: a row printed one cell per line, or a number wrapped inside a narrow cell (54 / 5), stops
where the text stops.  So the end of the text is judged here, from where its last printed line
stands:

* inside table 3's rows (the last table the text reaches, no part heading after it, only label
  pieces after its last number): the table is open-ended (its template rows after the last one
  printed are lost, not skipped) and its last row is not proved whole (null);
* inside table 2, or inside table 4 when table 4 is not read: the tables the text never reaches
  are missing because it ends, not because they were not printed.

A table 3 cut before its 其他处理 rows cannot tell the 2019 template's row list from the 2021
one (the shorter list merely costs less to skip to its end): its rows follow the template table 2
names (`template_rows`).  Either way the record says so (`truncfinding.add`, a `truncated` finding).  A complete dump does
end on table 4's row, and a report whose table 3 stands before its narrative parts is no cut.
"""

from __future__ import annotations

import re

from .metadata import parse_date
from .template import ROWS_2019, ROWS_2021
from .tokens import line_cells

_KEYS = ("active", "applications", "reviews")
_SENTENCE = re.compile(r"[。；;！？]")
_NOTE = re.compile(r"^(?:注|说明|备注|附注|数据来源)")
_FRAGMENT = 40  # characters of a label piece a cell wraps onto its own line
_QUOTE = 40  # characters of the printed text quoted before the end


def _has_number(line: str) -> bool:
    return any(c.value is not None for c in line_cells(line).values)


def _label_piece(line: str) -> bool:
    """A line that can be part of a table row's label: short, no sentence, no note, no date."""
    s = "".join(line.split())
    return len(s) <= _FRAGMENT and not _SENTENCE.search(s) and not _NOTE.match(s) and parse_date(s) is None


def table_at_end(lines: list[str], spans: dict[str, tuple[int, int] | None]) -> str | None:
    """The region key ("active", "applications", "reviews") of the table the text stops inside, or
    None: the text's last printed line lies in that table's region, the last region to start, and
    every line after the region's last number is a piece of a row's label."""
    last = max((i for i, s in enumerate(lines) if s.strip()), default=None)
    if last is None:
        return None
    placed = [(s[0], k) for k in _KEYS if (s := spans.get(k))]
    if not placed:
        return None
    start, key = max(placed)
    end = spans[key][1]
    if not start <= last < end:
        return None
    numbered = next((i for i in range(last, start - 1, -1) if _has_number(lines[i])), None)
    if numbered is None:
        return None
    if not all(_label_piece(s) for s in lines[numbered + 1 : last + 1] if s.strip()):
        return None
    return key


def quote(lines: list[str]) -> str:
    """The printed text right before the end (for the finding)."""
    tail = " ".join(" ".join(lines[-20:]).split())
    return tail[-_QUOTE:]


# the rows both templates print alike, in the same order (up to （五）不予处理's five)
_SHARED = ROWS_2021[: next(i for i, (a, b) in enumerate(zip(ROWS_2021, ROWS_2019, strict=False)) if a != b)]


def template_rows(row_keys: tuple[str, ...], rows: dict, template: str) -> tuple[str, ...]:
    """The row list of a table 3 cut short: the template's when every row it holds a number in is one
    both templates share (the cut came before the rows that tell them apart), else as read."""
    want = ROWS_2019 if template == "2019" else ROWS_2021
    held = {k for k, cells in rows.items() if any(c is not None and (c.value is not None or c.raw) for c in cells)}
    return want if held <= set(_SHARED) and set(row_keys) >= held else row_keys
