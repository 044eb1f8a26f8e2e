"""A number that a narrow table cell broke over two lines, told by where its lines stand.

A browser printing a table with word-break (or any cell too narrow for its number) sets
812 as "81" over "2".  Read as it is, the cell holds two numbers and is null.  Joining any
two stacked numbers would misread a cell that really holds two (a missing row rule, a
forced break), so the lines are joined only when the page shows a break the width forced:

- the lines (two to four) are one word of digits each, each right under the one before,
  aligned the same way (left, centre or right), none longer than the one above;
- every line but the last fills the cell: beside it there is no room for one more digit
  within the cell's padding (the table's own, measured off its text);
- they stand in one row of the grid (pdfgrid: a region over two rows whose rule is not
  drawn holds each row's own number).

Two numbers a writer put on two lines of a cell wide enough for both on one fail the
last test and stay two (a null, never a guess).
"""

from __future__ import annotations

import re

Word = tuple  # a page.get_text("words") tuple: x0, y0, x1, y1, text, block, line, word

_TOP = re.compile(r"-?\d[\d.]*")
_BOTTOM = re.compile(r"[\d.]*\d")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ALIGN = 1.0  # points: two lines' left edges, centres or right edges this close are aligned
_PITCH = (0.6, 1.8)  # x a line's box height: from one line's top to the next (fonts' boxes differ)
_PAD_SHARE = 0.5  # of a line's height: no cell padding is taken as larger than this
MAX_LINES = 4  # a 7-digit count in a cell two digits wide


def broken_number(ws: list[Word], left: float, right: float, pad: float) -> str | None:
    """The number the words of one cell spell, one a line, when a too-narrow cell broke it over
    two to four lines, or None.

    ``left`` and ``right`` are the cell's borders; ``pad`` the smallest gap between text
    and its cell's left border in the table (a left-aligned label sits at the padding).
    """
    if not 2 <= len(ws) <= MAX_LINES:
        return None
    lines = sorted(ws, key=lambda w: w[1])
    if not (_TOP.fullmatch(lines[0][4]) and all(_BOTTOM.fullmatch(w[4]) for w in lines[1:])):
        return None
    text = "".join(w[4] for w in lines)
    if not _NUMBER.fullmatch(text):
        return None
    pad = max(0.0, pad)
    for top, bottom in zip(lines, lines[1:], strict=False):
        if not _continued(top, bottom, right - left, pad):
            return None
    return text


def _continued(top: Word, bottom: Word, width: float, pad: float) -> bool:
    """``bottom`` is the rest of a number ``top`` filled its line with."""
    h = top[3] - top[1]
    if h <= 0 or not (_PITCH[0] * h <= bottom[1] - top[1] <= _PITCH[1] * h):  # the next line of one paragraph
        return False
    if len(bottom[4]) > len(top[4]):  # a break fills the first line before the second
        return False
    if not (abs(top[0] - bottom[0]) <= _ALIGN or abs(top[2] - bottom[2]) <= _ALIGN
            or abs(top[0] + top[2] - bottom[0] - bottom[2]) <= 2 * _ALIGN):
        return False
    digit = (bottom[2] - bottom[0]) / len(bottom[4])  # (one more of the digits, as wide as the next line's)
    pad = min(pad, _PAD_SHARE * h)
    return width - (top[2] - top[0]) < digit + 2 * pad  # no room for one more digit: the width broke it
