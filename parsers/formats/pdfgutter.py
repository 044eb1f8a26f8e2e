"""A page set in two columns (a two-column body), read one column after the other.

A report laid out in two columns (CSS column-count, a newspaper-style 简报) flows its text and
tables down the left column and on at the top of the right one.  Read top to bottom across the
page, the right column's first lines fall between the left column's: a table whose last row
moved to the top of the right column (table 4's numbers under a header at the foot of the left
one) is read before its own header and glued to whatever row of the left column stands beside it.

A two-column page shows it by geometry: a vertical gutter near the middle that no item crosses
except ones standing alone in their band (a title spanning both columns, a page footer: nothing
beside them at their height), with a tall stack of items on each side.
Between two full-width items (or the page's top and bottom) the left column is read, then the
right one.  A page whose narrow items do not stand in two tall stacks (a one-column page with a
right-aligned signature, two short lines side by side) keeps its reading order.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Item = tuple[float, float, list[str]]  # (y, x, lines)

GUTTER_RANGE = (0.25, 0.75)  # of the content's width: where the gutter may stand
MIN_GUTTER = 6.0  # points of blank between the columns
MIN_STACK = 0.15  # of the page's height: how tall each column's items stand (in one band)
MIN_ITEMS = 2  # items in each column of a band


@dataclass
class TwoColumns:
    """Sort key: each band between full-width items, its left column, then its right one."""

    split: float
    walls: list[float]  # tops of the full-width items, sorted
    boxes: dict[int, Box]

    def __call__(self, it: Item) -> tuple:
        y, x = round(it[0], 1), it[1]
        box = self.boxes.get(id(it))
        if box is not None and box[0] < self.split < box[2]:
            return (box[1], -1, y, x)
        band = max((w for w in self.walls if w <= y), default=float("-inf"))
        return (band, 0 if x < self.split else 1, y, x)


def _crossing_only_alone(boxes: list[Box], x: float) -> bool:
    """Whether every item crossing ``x`` stands in a band of its own (no item beside it on either
    side at its height): a full-width title or footer, not a column's content."""
    cross = [b for b in boxes if b[0] < x + MIN_GUTTER / 2 and b[2] > x - MIN_GUTTER / 2]
    sides = [b for b in boxes if not (b[0] < x + MIN_GUTTER / 2 and b[2] > x - MIN_GUTTER / 2)]
    return all(not (s[1] < c[3] and c[1] < s[3]) for c in cross for s in sides)


def _lines_joined(boxes: list[Box]) -> list[Box]:
    """Boxes of one printed line that touch (a footer set as two blocks, 主办单位… and 豫ICP备…)
    joined, so that a line running across the gutter is seen whole, as the wall it is."""
    out: list[list[float]] = []
    for b in sorted(boxes):
        for o in out:
            same_line = min(b[3], o[3]) - max(b[1], o[1]) > 0.5 * min(b[3] - b[1], o[3] - o[1])
            if same_line and b[0] - o[2] < MIN_GUTTER and o[0] - b[2] < MIN_GUTTER:
                o[:] = [min(o[0], b[0]), min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3])]
                break
        else:
            out.append(list(b))
    return [(a, b, c, d) for a, b, c, d in out]


def _gutter(boxes: list[Box]) -> tuple[float, float] | None:
    """The widest x range in the middle of the page that only full-width items cross, or None."""
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    width = right - left
    lo, hi = left + GUTTER_RANGE[0] * width, left + GUTTER_RANGE[1] * width
    runs: list[tuple[float, float]] = []
    x = lo
    while x <= hi:
        if _crossing_only_alone(boxes, x):
            if runs and runs[-1][1] >= x - 1.0:
                runs[-1] = (runs[-1][0], x)
            else:
                runs.append((x, x))
        x += 1.0
    # (a run is the blank between the columns less MIN_GUTTER: any wider blank is a gutter)
    return max(runs, key=lambda g: g[1] - g[0]) if runs else None


def two_column_order(items: list[Item], boxes: dict[int, Box], height: float) -> TwoColumns | None:
    """Sort key reading a two-column page column by column, or None for any other page.

    ``boxes``: each item's box by id (an item without one stands at its (x, y) point).
    """
    if len(items) < 2 * MIN_ITEMS:
        return None
    own = {id(it): boxes.get(id(it), (it[1], it[0], it[1], it[0])) for it in items}
    lines = _lines_joined(list(own.values()))
    placed = {k: next(j for j in lines if j[0] <= b[0] and b[2] <= j[2] and j[1] <= b[1] and b[3] <= j[3])
              for k, b in own.items()}  # each item as the line it stands in
    gap = _gutter(lines)
    if gap is None:
        return None
    split = (gap[0] + gap[1]) / 2
    walls = sorted(b[1] for b in placed.values() if b[0] < split < b[2])
    bands: dict[float, tuple[list[Box], list[Box]]] = {}
    for b in placed.values():
        if b[0] < split < b[2]:
            continue  # (a wall: crosses the gutter alone in its band)
        band = max((w for w in walls if w <= b[1]), default=float("-inf"))
        bands.setdefault(band, ([], []))[0 if b[2] <= split else 1].append(b)
    for lefts, rights in bands.values():
        if all(len(side) >= MIN_ITEMS and max(b[3] for b in side) - min(b[1] for b in side) >= MIN_STACK * height
               for side in (lefts, rights)):
            return TwoColumns(split, walls, placed)
    return None
