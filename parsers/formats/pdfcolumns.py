"""Tables printed side by side on a page, read one after the other.

A landscape page may carry two tables next to each other (tables 2 and 4, or 2 and 3),
each under its own heading.  Top to bottom, the two headings come first and the rows of
the two tables interleave; the left column is read before the right one instead.

When the left table does not end on its page, its rows go on at the top of the next
page, and the right column printed beside it would cut the table in two (its last rows
would fall under the right table's heading).  Such a continuation is read with the left
column, before the right one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Item = tuple[float, float, list[str]]  # (y, x, lines): a paragraph or a table where it stands

SIDE_GAP = 2.0  # points between two tables' edges that still count as side by side
_SAME_EDGE = 3.0  # points: a continuation's side borders stand where the table's did


@dataclass
class SideBySide:
    """Sort key of a page's items: above the columns, the left column, the right column, below.

    ``left`` is the left column's lowest table; ``carried`` holds items moved here from the
    next page's top (the left table's continuation), read at the left column's end.
    """

    split: float
    above: float
    below: float
    left: Box
    carried: list[Item] = field(default_factory=list)

    def __call__(self, it: Item) -> tuple:
        y, x = round(it[0], 1), it[1]
        for k, c in enumerate(self.carried):
            if c is it:
                return (self.above, 0, float("inf"), k)
        if self.above <= y < self.below:  # the two columns: left one first
            return (self.above, 0 if x < self.split else 1, y, x)
        return (y, -1, y, x)


def side_by_side_order(tables: list[Box], spans: list[Box]) -> SideBySide | None:
    """Sort key reading two tables printed side by side one after the other, or None.

    Between the full-width things above and below them (``spans``: the boxes of tables and
    text blocks crossing the gap), the left column is read before the right one.
    """
    pair = next(((a, b) for a in tables for b in tables if a[2] <= b[0] + SIDE_GAP
                 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])), None)
    if pair is None:
        return None
    a, b = pair
    split = (a[2] + b[0]) / 2
    zone = (min(a[1], b[1]), max(a[3], b[3]))
    walls = sorted(y0 for x0, y0, x1, y1 in spans if x0 < split - SIDE_GAP and x1 > split + SIDE_GAP)
    above = max((y for y in walls if y <= zone[0]), default=float("-inf"))
    below = min([y for y in walls if y > zone[0]] + [zone[1]])  # what follows the taller one is not a column
    lefts = [t for t in tables if t[2] <= split and above <= t[1] < below]
    return SideBySide(split, above, below, max(lefts, key=lambda t: t[3], default=a))


def carry_continuations(pages: list[tuple[list[Item], object, dict[int, Box]] | None]) -> None:
    """Move a side-by-side page's left table's continuation up from the next page's top.

    ``pages``: per page, its items, its sort key and the boxes of its table items (by the
    item's id), or None for a page without a layout.  The continuation is the next page's
    first item, a table whose side borders stand where the left table's did, when the left
    table is the last thing of its column and the columns the last thing of the page.
    """
    for here, nxt in zip(pages, pages[1:], strict=False):
        if here is None or nxt is None or not isinstance(here[1], SideBySide):
            continue
        items, key, _ = here
        if any(key(it)[:2] == (key.above, 0) and it[0] > key.left[3] for it in items):
            continue  # the left column goes on below its table: the table ended on this page
        if any(key(it)[1] < 0 and it[0] >= key.below for it in items):
            continue  # something follows the columns on this page: they ended here
        if not nxt[0]:
            continue
        first = min(nxt[0], key=nxt[1])
        box = nxt[2].get(id(first))
        if box is None or abs(box[0] - key.left[0]) > _SAME_EDGE or abs(box[2] - key.left[2]) > _SAME_EDGE:
            continue
        if isinstance(nxt[1], SideBySide) and nxt[1](first)[1] >= 0:
            continue  # the next page has columns of its own: the table goes on in its left one
        nxt[0].remove(first)
        items.append(first)
        key.carried.append(first)
