"""Running headers, footers and page numbers of a PDF, told from the page structure.

Word/WPS headers and footers (and a print driver's page stamps) are separate text objects at
the top and bottom edge of every page.  Where a table crosses a page they land between two of
its rows, so a footer ``2`` was read as a row's cells and a running title ``<body><Y+1>年…年度
报告`` on every page was taken for the report's own title.  A line is furniture only when the
pages agree: the same text (page numbers aside) at the same distance from the same edge on two
or more pages, or a page number at the edge (a bare number only when its value follows the page
order on at least two pages: a lone number at one page's foot may be a cell).  A running line
is on at least half of the pages and is no numbered heading.
"""

from __future__ import annotations

import re
from collections import defaultdict

from parsers.pages import PAGE_MARK
from parsers.tokens import squash

Item = tuple[float, float, list[str]]  # (y, x, lines) as formats/pdf.py lays a page out

EDGE_SHARE = 0.12  # of the page height: where a header or footer line may start
EDGE_ITEMS = 3  # items looked at from each edge (header text + page number + a second line)
SAME_PLACE = 6.0  # points: one running line's distance from its edge on different pages
_DECORATED = PAGE_MARK
_BARE = re.compile(r"^\d{1,4}$")
_DIGITS = re.compile(r"\d+")
_TITLE = re.compile(r"年度报告|年报|工作报告")
# a section heading may end two pages at the same height (two reports of a 汇编 laid out alike)
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、.．])")


def _edge_items(items: list[Item], height: float) -> list[tuple[int, str, float]]:
    """(index, side, distance from that edge) of the single text lines at the page's edges."""
    out: list[tuple[int, str, float]] = []
    order = sorted(range(len(items)), key=lambda i: items[i][0])
    for side, seq in (("top", order), ("bottom", order[::-1])):
        for i in seq[:EDGE_ITEMS]:
            y, _x, lines = items[i]
            dist = y if side == "top" else height - y
            if dist > EDGE_SHARE * height or len(lines) != 1 or "\t" in lines[0]:
                break
            if not any(j == i for j, _, _ in out):
                out.append((i, side, dist))
    return out


def furniture(pages: list[tuple[list[Item], float] | None]) -> list[set[int]]:
    """For each page (its layout items and display height; None for a page read by OCR), the
    indices of its items that are running headers, footers or page numbers."""
    drop: list[set[int]] = [set() for _ in pages]
    edges = [(_edge_items(p[0], p[1]) if p else []) for p in pages]
    runs: dict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)
    bare: dict[tuple[str, int], list[tuple[int, int, float]]] = defaultdict(list)
    for k, found in enumerate(edges):
        for i, side, dist in found:
            s = squash(pages[k][0][i][2][0])
            if _DECORATED.match(s):
                drop[k].add(i)
            elif _BARE.match(s):
                bare[(side, int(s) - k)].append((k, i, dist))
            elif len(s) >= 4 and not _HEADING.match(s):
                runs[(_DIGITS.sub("#", s), side)].append((k, i, dist))
    for hits in bare.values():  # numbered in page order at one place: page numbers
        for k, i in _same_place(hits, 2):
            drop[k].add(i)
    enough = max(2, (sum(1 for p in pages if p) + 1) // 2)  # a running line is on most pages
    for hits in runs.values():
        for k, i in _same_place(hits, enough):
            drop[k].add(i)
    first = next((k for k, page in enumerate(pages) if page), None)
    if first is not None and drop[first]:  # never drop the only title a first page has
        _keep_lone_title(pages[first][0], drop[first])
    return drop


def _same_place(hits: list[tuple[int, int, float]], pages: int) -> list[tuple[int, int]]:
    """The hits at about the same distance from their edge, when they are on enough pages."""
    places = sorted(d for _, _, d in hits)
    mid = places[len(places) // 2]
    same = [(k, i) for k, i, d in hits if abs(d - mid) <= SAME_PLACE]
    return same if len({k for k, _ in same}) >= pages else []


def _keep_lone_title(items: list[Item], dropped: set[int]) -> None:
    """A first page whose report title exists only as its running header keeps that line."""
    rest = [it for i, it in sorted(enumerate(items), key=lambda e: e[1][0]) if i not in dropped]
    head = "".join(squash(ln) for _, _, lines in rest[:6] for ln in lines[:1])
    if _TITLE.search(head):
        return
    for i in sorted(dropped, key=lambda i: items[i][0]):
        if _TITLE.search(squash(items[i][2][0])):
            dropped.discard(i)
            return
