"""A table header's column names in reading order, line by line (shared by table 3's and table 4's
column-order readers: parsers/colorder.py, parsers/t4order.py).

A text dump keeps a header's positions only within a line: cells left to right (tab-separated, or
words apart) are in print order, while lines of a header are not rows of it (a one-line name sits
lower in its cell than a wrapped one).  So names are read per line; a line that prints one name
and nothing else is told apart, because a dump printing every cell on a line of its own (DOCX
paragraphs) keeps the cells' order across lines too.
"""

from __future__ import annotations

import re

from .tokens import split_cells, squash


def line_names(line: str, names: re.Pattern[str], drop: re.Pattern[str] | None = None) -> tuple[list[str], bool]:
    """(the names ``line`` prints in reading order, each as the name of the ``names`` group that
    matched it; whether the line is one name alone).  ``drop``: words taken out first (they hold a
    name's characters without being one), each a break between names."""
    cells = [squash(c) for c in (split_cells(line) or line.split())]
    text = "".join((drop.sub("|", c) if drop else c) + "|" for c in cells)
    found = [m for m in names.finditer(text) if m.lastgroup]
    alone = len(found) == 1 and [c for c in cells if c] == [m.group(0) for m in found]
    return [m.lastgroup for m in found if m.lastgroup], alone
