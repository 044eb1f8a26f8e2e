"""A column rule's rim taken out of a scanned cell's ink before the cell is read.

On a phone photo the rules are blurred a few px wide and, after deskew, still lean a
fraction of a px over a cell's height.  So the rim of the rule beside a cell shows inside
the cell's interior as a sliver one or two px wide along part of its left or right side:
too short to be taken for a rule (imagegrid's ``_without_rules`` wants most of the side),
and close enough to the number to be cropped and read with it.  The recognition model
then reads a printed "0" as "10" or as "1", a number different from the print, which
the identity checks blame on the office.

A sliver is the rule's only when it hugs the side (a glyph keeps its padding and is
wider) and the rule carries on just outside the interior beside it; the glyph's own ink
is never touched, so a number whose digit leans on the rule stays as the model reads it
(and is caught, when it is doubtful, by the confidence checks).
"""

from __future__ import annotations

import numpy as np

RIM = 2  # px: a rule's rim inside a cell interior is at most this wide (a glyph's stroke in the ink mask is 3+)
OUTSIDE = 0.8  # share of the sliver's rows where the rule's ink shows just outside the interior


def without_side_rims(sub: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """``sub`` (the ink of cell interior ``box`` in the page's ink mask ``ink``) without the
    slivers of the column rules at its left and right sides; the same array when there are none.
    """
    import cv2

    h, w = sub.shape
    if h == 0 or w <= 2 * RIM or not sub.any():
        return sub
    x0, y0 = box[0], box[1]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub.astype(np.uint8), connectivity=8)
    drop = []
    for i in range(1, n):
        x, y, cw, ch = (int(v) for v in stats[i, :4])
        if cw > RIM:
            continue
        if x == 0:
            out_x = x0 - 1  # the column just left of the interior: the rule's own
        elif x + cw == w:
            out_x = x0 + w
        else:
            continue
        if not 0 <= out_x < ink.shape[1]:
            continue
        beside = ink[y0 + y:y0 + y + ch, out_x]
        if beside.size and float(beside.mean()) >= OUTSIDE:
            drop.append(i)
    if not drop:
        return sub
    out = sub.copy()
    out[np.isin(labels, drop)] = 0
    return out
