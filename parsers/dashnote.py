"""Dash and slash cells that the report itself says are zeros.

A cell printed `—`, `-` or `/` is null (docs/report-format.md, "Cells"): offices print a dash for
"not applicable" or "not known" as often as for none.  Some print every zero as a dash and say
so in a note under the table (注：表中“—”表示数量为零。, “/”、“-”、“—”表示0, 空白或“—”表示0): then the
dash is the zero the report prints.  This is blanknote.py's rule for such notes, for the marks a
note names: the note covers the table it is printed with (a note apart from every table: all of
them); only cells holding one of the marks it names, in rows the reader placed, become 0, each
keeping its printed mark as ``raw`` and named in a finding (``dash_as_zero``); a row (table 4: a
group) that would then not add up keeps its marks null.  A note naming the blank cells as well
is also a blank note (textparse hands those to blanknote).  A note giving a dash another meaning
(“—”表示无此项 / 无数据 / 不适用, “—”不表示0) is none, and without a note a dash stays null.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import identities
from .blanknote import _BLANK, _MEANS, _NAMES, _NOTE_LEAD, _TABLES, _ZERO, _sound
from .tables import Table3, Table4
from .template import APPLICANT_COLS, REVIEW_COLS, REVIEW_GROUPS, active_rows
from .tokens import Cell, squash

_DASHES = "—－\\-–―─−‐‑﹣"
_SLASHES = "/／\\\\"
_QUOTE = "[“”\"'‘’「」『』〝〞＂]"
_MARK = rf"(?:[{_DASHES}]{{1,2}}|[{_SLASHES}])"
# one thing the note names: a mark, quoted or bare, or the blank cells (blanknote's words)
_ITEM = rf"(?:{_QUOTE}{_MARK}{_QUOTE}|{_MARK}|{_BLANK})"
_SEP = r"(?:[、，,]|及|和|与|或者|或|以及)"
NOTE = re.compile(rf"(?P<items>{_ITEM}(?:{_SEP}{_ITEM})*)(?:符号|号)?的?(?:单元格|格子|格|处|栏目|栏|项目|项|部分|位置)?"
                  + _MEANS + _ZERO)
_ITEM_RE = re.compile(rf"{_QUOTE}?({_MARK}){_QUOTE}?|({_BLANK})")

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
    if not s or not _NOTE_LEAD.search(s):
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
        within = [k for k in _TABLES if spans.get(k) and spans[k][0] <= i < spans[k][1]]
        for k in within or [k for k in _TABLES if spans.get(k)]:
            out.setdefault(k, (line.strip(), marks))
    return out


def _zeros(cells: list, marks: frozenset[str], at: list[int]) -> list:
    """The cells with each one printing a noted mark read as 0 (its raw kept); ``at`` gets where."""
    out = []
    for i, c in enumerate(cells):
        if c is not None and c.value is None and mark_kind(c.raw) in marks:
            c = Cell(0, c.raw)
            at.append(i)
        out.append(c)
    return out


def _t3(t3: Table3 | None, marks: frozenset[str]) -> tuple[Table3 | None, list[tuple[str, int]]]:
    if t3 is None or t3.unaligned:
        return t3, []
    rows, where, warnings = {}, [], []
    for key, cells in t3.rows.items():
        at: list[int] = []
        rows[key] = _sound(_zeros(cells, marks, at), at, f"table 3 row {key}", warnings)
        where += [(key, i) for i in at]
    return replace(t3, rows=rows, warnings=[*t3.warnings, *warnings]), where


def _t4(t4: Table4 | None, marks: frozenset[str]) -> tuple[Table4 | None, list[int]]:
    if t4 is None or t4.unaligned or t4.lost is not None:
        return t4, []
    n = len(REVIEW_COLS)
    cells: list = []
    at: list[int] = []
    warnings: list[str] = []
    for g, group in enumerate(REVIEW_GROUPS):
        here: list[int] = []
        cells += _sound(_zeros(t4.cells[g * n:(g + 1) * n], marks, here), here, f"table 4 group {group}", warnings)
        at += [g * n + i for i in here]
    return replace(t4, cells=cells, warnings=[*t4.warnings, *warnings]), at


def apply(notes: dict[str, tuple[str, frozenset[str]]], t2: dict, t3: Table3 | None, t4: Table4 | None,
          template: str) -> tuple[dict, Table3 | None, Table4 | None, dict[str, list[str]]]:
    """The three tables with the marks the notes (``covered``) name read as 0, and those cells'
    paths by table; without a note everything is returned unchanged."""
    zeroed: dict[str, list[str]] = {}
    if "active" in notes and t2:
        marks = notes["active"][1]
        cols = {key: c for key, _pat, c in active_rows(template)}
        out, paths = {}, []
        for key, cells in t2.items():
            at: list[int] = []
            out[key] = _zeros(cells, marks, at) if isinstance(cells, list) else cells
            paths += [f"active_disclosure.{key}.{cols[key][i]}" for i in at if key in cols and i < len(cols[key])]
        t2, zeroed["active_disclosure"] = out, paths
    if "applications" in notes:
        t3, at3 = _t3(t3, notes["applications"][1])
        zeroed["applications"] = [f"applications.{k}.{APPLICANT_COLS[i]}" for k, i in at3]
    if "reviews" in notes:
        t4, at4 = _t4(t4, notes["reviews"][1])
        n = len(REVIEW_COLS)
        zeroed["reviews_litigation"] = [f"reviews_litigation.{REVIEW_GROUPS[k // n]}.{REVIEW_COLS[k % n]}"
                                        for k in at4]
    return t2, t3, t4, zeroed


def findings(notes: dict[str, tuple[str, frozenset[str]]], zeroed: dict[str, list[str]],
             cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dash_as_zero finding per table, on every cell its note made 0 (those the record still
    holds as 0: a later reading may have set a cell aside)."""
    if not notes:  # (no dash note, the usual report: no finding, and no cell's path to spell out)
        return []
    kept = {f"{c['table']}.{c['row']}.{c['col']}" for c in cells if c["value"] == 0}
    out = []
    for key, table in (("active", "active_disclosure"), ("applications", "applications"),
                       ("reviews", "reviews_litigation")):
        paths = [p for p in zeroed.get(table, []) if p in kept]
        if key in notes and paths:
            note = notes[key][0]
            printed = "、".join(sorted({c["raw"].strip() for c in cells
                                       if f"{c['table']}.{c['row']}.{c['col']}" in paths}))
            out.append(identities.finding(
                "source", "dash_as_zero", paths, None, 0,
                f"{_NAMES[key]}中{len(paths)}个印“{printed}”的格按表注“{note}”记为0"))
    return out
