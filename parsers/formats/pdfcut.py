"""Numbers cut by the page's edge: printed, but not whole, so never read as a number.

A table wider than the page (a DOCX made from a web page, its columns in percent, printed
by LibreOffice or Word) runs past the paper's right edge: its last column (总计) stands half
off the page.  MuPDF keeps a glyph that starts on the page and drops the ones after it, so
72 printed there reads as 7, 13 as 1 — a wrong number in a cell of its own, or, when the
table's grid stops at the edge, a block of lone digits read as some other row's values.

A reader of the page sees a figure cut in half and cannot read it either.  So a run of digits
that crosses the page's left or right edge becomes one CUT_OFF mark, drawn inside the page
where the run starts: the cell it lands in is null (a dash to the parser), and textparse says
why (a cut_off finding).  Words that only touch the edge (a glyph box a hair past it) are
read as printed.
"""

from __future__ import annotations

import re

import pymupdf

from parsers.formats import pdfvisible

# U+FE31 PRESENTATION FORM FOR VERTICAL EM DASH: NFKC "—", a null marker to the core parser;
# its own character, so the finding can say the number was cut, not misread
CUT_OFF = "\ufe31"
# a private-use character ending a table row that runs on past the page's right edge: columns
# may be lost beyond it (parsers/pastedge.py reads it; it is never text of the report)
PAST_EDGE = "\ue0ed"
_EDGE = 4.0  # points from the page's right edge within which a table's grid reaches it (LibreOffice
# leaves a sliver of a clipped column, 2-3 pt, out of the grid it draws)
_PAST = 1.0  # points a number must reach beyond the edge to have lost part of itself
_NEAR = 12.0  # points from a side edge within which a number may run on past it
_NUMBER = re.compile(r"\d")
_DIGITS = frozenset("0123456789,.")


def cut_boxes(page: pymupdf.Page, words: list[tuple], rect: pymupdf.Rect) -> list[tuple[float, float, float, float]]:
    """Boxes (their part on the page) of the numbers that run on past the page's left or right edge.

    The cheap look first: a number near a side edge.  Then the page's text trace, which holds
    the glyphs MuPDF's TextPage dropped (those that start off the page): a run of digits
    reaching more than a hair past the edge has lost part of itself on the page.
    """
    right, left = rect.x1 - _NEAR, rect.x0 + _NEAR  # (positions first: most words are far from both edges)
    if not any((w[2] > right or w[0] < left) and _NUMBER.search(w[4]) for w in words):
        return []
    try:
        spans = page.get_texttrace()
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace is read as its text layer says
        return []
    out = []
    for span in spans:
        for run in _digit_runs(span.get("chars", ())):
            x0, x1 = min(b[0] for b in run), max(b[2] for b in run)
            if (x0 < rect.x1 and x1 > rect.x1 + _PAST) or (x1 > rect.x0 and x0 < rect.x0 - _PAST):
                out.append((max(x0, rect.x0), min(b[1] for b in run), min(x1, rect.x1), max(b[3] for b in run)))
    return out


def _digit_runs(chars) -> list[list[tuple[float, float, float, float]]]:
    """Glyph boxes of each run of digits in a traced span (a space's width apart: two numbers)."""
    runs: list[list[tuple[float, float, float, float]]] = []
    run: list[tuple[float, float, float, float]] = []
    for ch in chars:
        box = tuple(ch[3])
        if chr(ch[0]) in _DIGITS and not (run and box[0] - run[-1][2] > 0.25 * max(run[-1][2] - run[-1][0], 1.0)):
            run.append(box)
            continue
        if run:
            runs.append(run)
        run = [box] if chr(ch[0]) in _DIGITS else []
    if run:
        runs.append(run)
    return runs


def mark_cut(tp: pymupdf.TextPage, boxes: list[tuple[float, float, float, float]], rect: pymupdf.Rect) -> bool:
    """Replace the page's glyphs of each cut number with one CUT_OFF; True when any was."""
    changed = False
    for block in tp.this:
        if block.m_internal.type != 0:
            continue
        for line in block:
            chars = [ch.m_internal for ch in line]
            changed = _mark_line(chars, boxes, rect) or changed
    return changed


def _mark_line(chars: list, boxes: list[tuple[float, float, float, float]], rect: pymupdf.Rect) -> bool:
    changed = False
    run: list = []
    for c in chars + [None]:
        if c is not None and chr(c.c) in _DIGITS and _in_any(c, boxes):
            run.append(c)
            continue
        if run:
            first = run[0]
            first.c = ord(CUT_OFF)
            x0, x1 = _box(first)  # (kept on the page, in the cell where the number starts)
            _place(first, max(x0, rect.x0 + 0.1), min(x1, rect.x1 - 0.1))
            for r in run[1:]:
                pdfvisible._send_away(r)
            changed = True
            run = []
    return changed


def _in_any(c, boxes) -> bool:
    x0, x1 = _box(c)
    q = c.quad
    cy = (q.ul.y + q.lr.y) / 2
    return any(x0 < b[2] - 0.1 and x1 > b[0] + 0.1 and b[1] - 0.5 <= cy <= b[3] + 0.5 for b in boxes)


def _box(c) -> tuple[float, float]:
    q = c.quad
    return min(q.ul.x, q.ll.x), max(q.ur.x, q.lr.x)


def _place(c, x0: float, x1: float) -> None:
    """Move the glyph's box (and origin) to [x0, x1] across, keeping its height."""
    q = c.quad
    y0, y1 = min(q.ul.y, q.ur.y), max(q.ll.y, q.lr.y)
    x1 = max(x1, x0 + 0.5)
    origin = pymupdf.mupdf.FzPoint(x0, c.origin.y)
    quad = pymupdf.mupdf.FzQuad(pymupdf.mupdf.FzRect(x0, y0, x1, y1))
    c.origin = origin.internal()
    c.quad = quad.internal()


def runs_past(bbox: tuple[float, float, float, float], rect: pymupdf.Rect) -> bool:
    """Whether a ruled table reaches the page's right edge: a table is set inside the margins, so
    one whose grid runs to the paper's edge (a DOCX table wider than the page, printed by
    LibreOffice, which clips it there) went on beyond it, and its columns past the edge are lost."""
    return bbox[2] >= rect.x1 - _EDGE


def mark_past_edge(rows: list[str]) -> list[str]:
    """Each row of a table that runs past the page's edge and prints a number, with PAST_EDGE
    as a cell of its own after its last cell: how many columns the page lost is not printed, so
    the parser tells it from the template (pastedge.py)."""
    return [f"{row}\t{PAST_EDGE}" if _NUMBER.search(row) else row for row in rows]
