"""Dash and slash cells that the report itself says are zeros.

A cell printed `—`, `-` or `/` is null (docs/report-format.md, "Cells"): offices print a dash for
"not applicable" or "not known" as often as for none.  Some print every zero as a dash and say
so in a note under the table (注：表中“—”表示数量为零。, “/”、“-”、“—”表示0, 空白或“—”表示0): then the
dash is the zero the report prints.  This is blanknote.py's rule for such notes (both read by
zeronote.py), for the marks a note names: the note covers the table it is printed with (a note apart
from every table: all of them); only cells holding one of the marks it names, in rows the reader placed, become 0, each
keeping its printed mark as ``raw`` and named in a finding (``dash_as_zero``); a row (table 4: a
group) that would then not add up keeps its marks null.  A note naming the blank cells as well
is also a blank note (textparse hands those to blanknote).  A note giving a dash another meaning
(“—”表示无此项 / 无数据 / 不适用, “—”不表示0) is none, and without a note a dash stays null.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import identities, zeronote
from .tables import Table3, Table4
from .tokens import squash

_DASHES = "—－\\-–―─−‐‑﹣"
_SLASHES = "/／\\\\"
_QUOTE = "[“”\"'‘’「」『』〝〞＂]"
_MARK = rf"(?:[{_DASHES}]{{1,2}}|[{_SLASHES}])"
# one thing the note names: a mark, quoted or bare, or the blank cells (a blank note's words)
_ITEM = rf"(?:{_QUOTE}{_MARK}{_QUOTE}|{_MARK}|{zeronote.BLANK_WORDS})"
_SEP = r"(?:[、，,]|及|和|与|或者|或|以及)"
NOTE = re.compile(rf"(?P<items>{_ITEM}(?:{_SEP}{_ITEM})*)(?:符号|号)?的?(?:单元格|格子|格|处|栏目|栏|项目|项|部分|位置)?"
                  + zeronote.MEANS + zeronote.ZERO)
_ITEM_RE = re.compile(rf"{_QUOTE}?({_MARK}){_QUOTE}?|({zeronote.BLANK_WORDS})")

BLANK = "blank"  # the note names the blank cells too


def mark_kind(text: str) -> str | None:
    """The kind of mark a cell or a note prints: "dash" (— — - － –, one or two) or "slash" (/ ／)."""
    t = text.strip()
    if re.fullmatch(rf"[{_DASHES}]{{1,2}}", t):
        return "dash"
    if re.fullmatch(rf"[{_SLASHES}]", t):
        return "slash"
    return None


def note_marks(line: str) -> frozenset[str]:
    """The marks (mark_kind, or BLANK) a note line says are zeros; empty when the line is no such
    note, or one about blank cells only (blanknote's)."""
    s = squash(line)
    if not s or not zeronote.NOTE_LEAD.search(s):
        return frozenset()
    out: set[str] = set()
    for m in NOTE.finditer(s):
        for item in _ITEM_RE.finditer(m.group("items")):
            out.add(mark_kind(item.group(1)) if item.group(1) else BLANK)
    return frozenset(out) if out - {BLANK} else frozenset()


def covered(lines: list[str], spans: dict[str, tuple[int, int] | None]) -> dict[str, tuple[str, frozenset[str]]]:
    """The tables (region keys) a dash-means-zero note covers, each with the note's text and marks."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for i, line in enumerate(lines):
        marks = note_marks(line)
        if not marks:
            continue
        for k in zeronote.covering(i, spans):
            out.setdefault(k, (line.strip(), marks))
    return out


def _printed(marks: frozenset[str]) -> zeronote.Printed:
    """Whether a cell's printed text is one of the marks a note names."""
    return lambda raw: mark_kind(raw) in marks


def _t3(t3: Table3 | None, marks: frozenset[str]) -> tuple[Table3 | None, list[tuple[str, int]]]:
    """Table 3 with the noted marks of its placed rows read as 0, and where they are (row, column)."""
    if t3 is None or t3.unaligned:
        return t3, []
    rows, where, warnings = zeronote.zero_rows(t3.rows, _printed(marks))
    return replace(t3, rows=rows, warnings=[*t3.warnings, *warnings]), where


def apply(notes: dict[str, tuple[str, frozenset[str]]], t2: dict, t3: Table3 | None, t4: Table4 | None,
          template: str) -> tuple[dict, Table3 | None, Table4 | None, dict[str, list[str]]]:
    """The three tables with the marks the notes (``covered``) name read as 0, and those cells'
    paths by table; without a note everything is returned unchanged."""
    zeroed: dict[str, list[str]] = {}
    if "active" in notes and t2:
        t2, at2 = zeronote.zero_t2(t2, _printed(notes["active"][1]))
        zeroed["active_disclosure"] = zeronote.t2_paths(at2, template)
    if "applications" in notes:
        t3, at3 = _t3(t3, notes["applications"][1])
        zeroed["applications"] = zeronote.t3_paths(at3)
    if "reviews" in notes:
        t4, at4 = zeronote.zero_t4(t4, _printed(notes["reviews"][1]))
        zeroed["reviews_litigation"] = zeronote.t4_paths(at4)
    return t2, t3, t4, zeroed


def findings(notes: dict[str, tuple[str, frozenset[str]]], zeroed: dict[str, list[str]],
             cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dash_as_zero finding per table, on every cell its note made 0 (those the record still
    holds as 0: a later reading may have set a cell aside)."""
    if not notes:  # (no dash note, the usual report: no finding, and no cell's path to spell out)
        return []
    kept = {zeronote.cell_path(c) for c in cells if c["value"] == 0}
    out = []
    for key, table in zeronote.RECORD_TABLES:
        paths = [p for p in zeroed.get(table, []) if p in kept]
        if key in notes and paths:
            note = notes[key][0]
            printed = "、".join(sorted({c["raw"].strip() for c in cells if zeronote.cell_path(c) in paths}))
            out.append(identities.finding(
                "source", "dash_as_zero", paths, None, 0,
                f"{zeronote.TABLE_NAMES[key]}中{len(paths)}个印“{printed}”的格按表注“{note}”记为0"))
    return out
