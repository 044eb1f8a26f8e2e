"""A sheet carrying two pages side by side (a 2-up print), read as its two pages in order.

Offices print N-up ("每版打印2页") and scan or re-export the sheet.  Read as one page, top to
bottom, the right page's lines fall between the left page's: a table that starts at the foot
of the left page and goes on at the top of the right one comes out with its continuation
before its header.  Read as two pages, left then right, it is an ordinary table over a page
break.

Only geometry that proves the two pages splits a sheet: a landscape sheet, a vertical gutter
near its middle that no word, rule or picture crosses, and each half with its own page
furniture: lines at the sheet's top or bottom edge that stand in the right half exactly where
they stand in the left one, shifted by the same distance (about half the sheet), either two
or more such lines (a running title, a date, a footer) or a page number that goes on by one
from the left half to the right one.  Two tables side by side, a two-column body or a table
whose columns part in the middle print no such mirrored furniture and stay one page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

Box = tuple[float, float, float, float]

EDGE_SHARE = 0.1  # of the sheet's height: where a half's header or footer lines stand
SAME_Y = 1.0  # points: a mirrored line's top in the two halves
SAME_SHIFT = 1.5  # points: every mirrored line is shifted by the same distance
HALF_SLACK = 0.05  # of the sheet's width: the shift is about half of it
GUTTER_RANGE = (0.4, 0.6)  # of the sheet's width: where the gutter may stand
MIN_GUTTER = 4.0  # points of blank between the halves
SEAM = 2.0  # points: a rule down the gutter no wider than this is a seam, not something crossing it
MIN_MIRRORED = 2  # mirrored edge lines proving two pages when no page number goes on by one
_NUMBER = re.compile(r"\d+")


def _edge_lines(words: list[tuple], height: float) -> list[tuple[Box, str]]:
    """The text lines (MuPDF block and line) lying wholly in the sheet's top or bottom strip."""
    lines: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for w in words:
        lines[(w[5], w[6])].append(w)
    out = []
    for ws in lines.values():
        box = (min(w[0] for w in ws), min(w[1] for w in ws), max(w[2] for w in ws), max(w[3] for w in ws))
        if box[3] <= EDGE_SHARE * height or box[1] >= (1 - EDGE_SHARE) * height:
            out.append((box, " ".join(w[4] for w in sorted(ws, key=lambda w: w[0]))))
    return out


def _mirrored(lines: list[tuple[Box, str]], width: float) -> tuple[float, int, bool] | None:
    """(shift, mirrored lines, whether a page number goes on by one) of the edge lines that the
    right half repeats from the left one, or None when there are none or their shifts differ."""
    pairs = []
    for a, ta in lines:
        for b, tb in lines:
            shift = b[0] - a[0]
            if abs(shift - width / 2) > HALF_SLACK * width or abs(b[1] - a[1]) > SAME_Y:
                continue
            if abs((b[2] - b[0]) - (a[2] - a[0])) > SAME_SHIFT + 0.1 * (a[2] - a[0]):
                continue  # (a page number's width may grow by a digit)
            if _NUMBER.sub("#", ta) != _NUMBER.sub("#", tb):
                continue
            changed = [(int(x), int(y)) for x, y in zip(_NUMBER.findall(ta), _NUMBER.findall(tb), strict=True)
                       if x != y]
            pairs.append((shift, bool(changed) and all(y == x + 1 for x, y in changed)))
    if not pairs:
        return None
    shifts = [s for s, _ in pairs]
    if max(shifts) - min(shifts) > SAME_SHIFT:
        return None
    return sum(shifts) / len(shifts), len(pairs), any(on for _, on in pairs)


def split(words: list[tuple], things: Callable[[], list[Box]], width: float, height: float) -> float | None:
    """The x at which a 2-up sheet parts into its two pages, or None for any other page.

    ``words``: the sheet's words as MuPDF gives them; ``things``: gives the boxes of its rules,
    paths and pictures, none of which may cross the gutter (asked only of a sheet whose
    furniture is mirrored).
    """
    if width <= height or not words:
        return None
    found = _mirrored(_edge_lines(words, height), width)
    if found is None:
        return None
    shift, count, numbered = found
    if count < MIN_MIRRORED and not numbered:
        return None
    lo, hi = GUTTER_RANGE[0] * width, GUTTER_RANGE[1] * width
    # (a thin rule down the gutter, a seam or a divider an N-up print draws, joins nothing across it)
    solid = [b for b in things() if b[2] - b[0] > SEAM or b[3] - b[1] <= b[2] - b[0]]
    taken = sorted((max(b[0], lo), min(b[2], hi)) for b in [w[:4] for w in words] + solid
                   if b[2] > lo and b[0] < hi)
    gaps, at = [], lo
    for x0, x1 in taken:
        if x0 > at:
            gaps.append((at, x0))
        at = max(at, x1)
    if at < hi:
        gaps.append((at, hi))
    # the gutter: a blank strip where the right half begins (the shift) or holding the middle
    gaps = [(a, b) for a, b in gaps if b - a >= MIN_GUTTER and (a <= shift <= b or a <= width / 2 <= b)]
    if not gaps:
        return None
    a, b = max(gaps, key=lambda g: g[1] - g[0])
    return (a + b) / 2
