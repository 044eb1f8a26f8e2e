"""The page of a PDF each table cell was printed on, for a reader checking a number at its source.

The PDF extractor puts a line holding only PAGE_BREAK between two pages' lines (none in a
one-page PDF, whose cells are all on page 1).  The core parser takes
those lines out before it reads anything (`split_pages`), so the text it parses is the one it
parsed before pages were marked, and keeps the page of every remaining line.  Which line a cell
came from is then found after the tables are read (`assign_pages`), from what the table readers
already give: the cell's raw text and its row's label.  The readers themselves are not threaded
with line numbers: they rejoin, split and reorder lines in many ways, and a page is worth less
than a number read right.

A page is given only when the evidence points to one page; otherwise it is None.  It is never
taken from lines outside the cell's own table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from .tokens import line_cells, split_cells, squash

# parsers/formats/pdf.py writes this line between two pages' lines (the one definition)
PAGE_BREAK = "\f"
# A printed page number in its decorated forms, whitespace squeezed out: "— 3 —", "第3页共8页", "3/8",
# "Page 3 of 8" (pdfedges drops them from a PDF's page edges, sections from narrative text).
PAGE_MARK = re.compile(
    r"^(?:[-—–－~]+\d{1,4}[-—–－~]+|第\d{1,4}页(?:[/，,]?共\d{1,4}页)?|共\d{1,4}页[/，,]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|[Pp]age\d{1,4}(?:of\d{1,4})?)$"
)

Namer = Callable[[str], "str | None"]  # label text (squashed) -> the row it names, or None


def split_pages(text: str, pdf: bool = False) -> tuple[str, list[int | None] | None]:
    """(text without page-break lines, 1-based page of each line of ``text.splitlines()``).

    The page list is None for a text that is not a PDF's (``pdf``): other formats have no pages.
    A PDF's text without page breaks is one page, and a reader linking a number to it wants
    #page=1 all the same.  Lines are counted as str.splitlines counts them (a line may hold \\r
    or \\v), so the list lines up with the parser's lines whatever characters the text layer holds.
    """
    if PAGE_BREAK not in text:
        return text, [1] * len(text.splitlines()) if pdf else None
    kept: list[str] = []
    pages: list[int | None] = []
    page = 1
    for chunk in text.split("\n"):
        if chunk == PAGE_BREAK:
            page += 1
            continue
        while chunk.startswith(PAGE_BREAK):  # `pdftotext` prints the form feed before a page's first line
            page += 1
            chunk = chunk[len(PAGE_BREAK):]
        kept.append(chunk)
        pages.extend([page] * (len(chunk.splitlines()) or 1))
    out = "\n".join(kept)
    if page == 1 and not pdf:
        return out, None
    n = len(out.splitlines())
    if len(pages) < n:  # cannot happen with the counting above; never misplace a page if it does
        return out, None
    return out, pages[:n]


def _words(line: str) -> list[str]:
    """The words of a line, as a table cell's raw text reads once squashed."""
    cells = split_cells(line)
    if cells is None:
        return line.split()  # (words split on whitespace hold none: already squashed)
    squashed = ["".join(c.split()) for c in cells]  # (squash inlined: a cell is blank when nothing is left)
    return [w for w in squashed if w]


def _one_page(indices: Iterable[int], line_pages: list[int | None]) -> int | None:
    """The page all these lines stand on, or None when they stand on several (or are none)."""
    page: int | None = None
    first = True
    for i in indices:  # (a loop, not a set: most rows are decided by one line)
        if first:
            page, first = line_pages[i], False
        elif line_pages[i] != page:
            return None
    return page


class _Lines:
    """A table's lines with what the page finder asks of each: words, values, the row it names."""

    def __init__(self, region: list[tuple[int, str]], name: Namer | None) -> None:
        self.at = [i for i, _ in region]
        self.texts = [s for _, s in region]
        # a line's words, counted and joined when some row asks about that line (most rows are
        # decided by the one line naming them: the other lines of the table are not read for it)
        self._words: list[list[str] | None] = [None] * len(region)
        self._joined: list[str | None] = [None] * len(region)
        self.counts: list[Counter | None] = [None] * len(region)
        self._holding: dict[str, list[int]] | None = None  # built for the first row looked up table-wide
        has_values: list[bool] = []
        labels: list[str] = []
        for _, s in region:  # (one line_cells look-up a line for both)
            lc = line_cells(s)
            has_values.append(bool(lc.values))
            labels.append(squash("".join(lc.labels)))
        named: dict[str, str | None] = {}  # a namer tries every row's pattern: each text is named once

        def named_as(t: str) -> str | None:
            if t not in named:
                named[t] = name(t)
            return named[t]

        self.own = [named_as(t) if name and t else None for t in labels]
        self.owning: dict[str | None, list[int]] = {}
        for k, r in enumerate(self.own):
            self.owning.setdefault(r, []).append(k)
        # a label wrapped around its numbers (5．属于三类内部事 / 1 0 0 0 1 0 2 / 务信息) names the row
        # only with the label-only lines just above and below it
        self.near: list[set[str]] = []
        for k in range(len(region)):
            above = labels[k - 1] if k > 0 and not has_values[k - 1] else ""
            below = labels[k + 1] if k + 1 < len(region) and not has_values[k + 1] else ""
            if not above and not below:  # (the usual line: its own label alone, already named)
                self.near.append({self.own[k]} if self.own[k] else set())
                continue
            texts = {labels[k], above + labels[k], labels[k] + below, above + labels[k] + below}
            self.near.append({r for t in texts if t and name and (r := named_as(t))})
        self.naming: dict[str, list[int]] = {}  # row -> the lines whose near set names it, ascending
        for k, rows in enumerate(self.near):
            for r in rows:
                self.naming.setdefault(r, []).append(k)
        self._found: dict[tuple[str, ...], tuple[list[int], list[int], set[int], set[int]]] = {}

    def words(self, k: int) -> list[str]:
        got = self._words[k]
        if got is None:
            got = self._words[k] = _words(self.texts[k])
        return got

    def joined(self, k: int) -> str:
        """Line ``k``'s words between tabs: words hold no whitespace (squashed), so a row's run
        of words is a substring of it."""
        got = self._joined[k]
        if got is None:
            got = self._joined[k] = "\t" + "\t".join(self.words(k)) + "\t"
        return got

    def holding(self) -> dict[str, list[int]]:
        """Which lines hold a word, ascending: a row's candidate lines without a scan of the table per row."""
        if self._holding is None:
            self._holding = {}
            for k in range(len(self.texts)):
                for w in set(self.words(k)):
                    self._holding.setdefault(w, []).append(k)
        return self._holding

    def _count(self, k: int) -> Counter:
        counted = self.counts[k]
        if counted is None:
            counted = self.counts[k] = Counter(self.words(k))
        return counted

    def holds(self, k: int, need: Counter) -> bool:
        """Whether line ``k`` holds every one of these words (as often as they are wanted)."""
        counted = self._count(k)
        return all(counted[w] >= n for w, n in need.items())

    def holding_all(self, want: list[str]) -> tuple[list[int], list[int], set[int], set[int]]:
        """(lines holding all of these words, those of them holding them in this order), ascending,
        and the same two as sets.

        Many rows of a table read the same (0 0 0 0 0 0 0): each run of words is looked up once.
        """
        key = tuple(want)
        if key not in self._found:
            need = Counter(want)
            # a line holding the row's numbers holds each distinct one: only lines holding all of them are counted
            holding = self.holding()
            held = [holding.get(w, ()) for w in need]
            shared = set(min(held, key=len)).intersection(*held) if held else set()
            any_order = [k for k in sorted(shared) if all(self._count(k)[w] >= n for w, n in need.items())]
            run = "\t" + "\t".join(want) + "\t"
            in_order = [k for k in any_order if run in self.joined(k)]
            self._found[key] = (any_order, in_order, set(any_order), set(in_order))
        return self._found[key]


def _row_page(raws: list[str], row: str, lines: _Lines, line_pages: list[int | None]) -> int | None:
    """The page of one row: its label and numbers on one line, else its label, else its numbers.

    A line naming the row and holding its numbers decides (no page when such lines stand on
    two pages); the weaker evidence after it is taken only when it points to one page.
    """
    want = ["".join(r.split()) for r in raws if r and not r.isspace()]  # (squash inlined: one call per cell)
    named = lines.naming.get(row, ())
    if named and want:  # (the lines naming the row are tested alone: the table-wide look-up only when none holds the numbers)
        run = "\t" + "\t".join(want) + "\t"  # (a line holding the run holds every word of it)
        found = [k for k in named if run in lines.joined(k)] or [k for k in named if lines.holds(k, Counter(want))]
        if found:
            return _one_page((lines.at[k] for k in found), line_pages)
    any_order, in_order, _any_set, _in_set = lines.holding_all(want)
    found = lines.owning.get(row, [])  # its label (numbers on lines of their own)
    page = _one_page((lines.at[k] for k in found), line_pages) if found else None
    if page is not None or len(want) < 2:  # a lone number is found anywhere
        return page
    for pool in (in_order, any_order):
        found = [k for k in pool if lines.own[k] in (None, row)]
        page = _one_page((lines.at[k] for k in found), line_pages) if found else None
        if page is not None:
            return page
    return None


def assign_pages(cells: list[dict[str, Any]], regions: dict[str, list[tuple[int, str]]],
                 line_pages: list[int | None] | None, namers: dict[str, Namer] | None = None) -> None:
    """Set ``cell["page"]`` (1-based, or None) on every cell, from the lines of its table.

    ``regions`` maps a table to its lines as its reader saw them, each with its index in the
    parser's lines (which ``line_pages`` follows).  A table whose numbers all stand on one page
    gives that page to every cell; a table over a page break is placed row by row.
    """
    by_table: dict[str, list[dict[str, Any]]] = {}
    for c in cells:
        c["page"] = None
        by_table.setdefault(c["table"], []).append(c)
    if not line_pages:
        return
    namers = namers or {}
    n = len(line_pages)
    for table, region in regions.items():
        region = [(i, s) for i, s in region if i < n and line_pages[i] is not None]
        mine = by_table.get(table)
        if not region or not mine:
            continue
        page = _one_page((i for i, s in region if line_cells(s).values), line_pages)
        if page is not None:
            for c in mine:
                c["page"] = page
            continue
        rows: dict[str, list[dict[str, Any]]] = {}
        for c in mine:
            rows.setdefault(c["row"], []).append(c)
        lines = _Lines(region, namers.get(table))
        for row, row_cells in rows.items():
            page = _row_page([c["raw"] for c in row_cells if c["raw"] and not c["inferred"]], row, lines, line_pages)
            for c in row_cells:
                c["page"] = page


def page_map(cells: list[dict[str, Any]]) -> dict[str, int]:
    """"table.row.col" -> page, for the cells whose page is known (the dotted paths of findings)."""
    return {f"{c['table']}.{c['row']}.{c['col']}": c["page"] for c in cells if c.get("page") is not None}
