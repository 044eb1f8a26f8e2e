"""A column rule's rim taken out of a scanned cell's ink before the cell is read.

On a phone photo the rules are blurred a few px wide and, after deskew, still lean a
fraction of a px over a cell's height.  So the rim of the rule beside a cell shows inside
the cell's interior as a sliver one or two px wide along part of its left or right side:
too short to be taken for a rule (imagegrid's ``_without_rules`` wants most of the side),
and close enough to the number to be cropped and read with it.  The recognition model
then reads a printed "0" as "10" or as "1", a number different from the print, which
the identity checks blame on the office.

Such a sliver is ink only in the blurred ink mask: its own pixels are barely darker than the
paper, the rule's dark core lies just outside the interior and the mask's blur spreads it a
px in.  So a sliver goes only when it hugs the side (one or two px wide), the rule carries
on just outside beside it, and its darkest pixel is lighter than halfway from that rule's
core to paper.  A glyph's stroke is printed as dark as the rule: a 0 set so close to its
rule that the mask splits off its outer arc keeps that arc (taken out, the 0 read ")").
"""

from __future__ import annotations

import numpy as np

RIM = 2  # px: a rule's rim inside a cell interior is at most this wide (a glyph's stroke in the ink mask is 3+)
OUTSIDE = 0.8  # share of the sliver's rows where the rule's ink shows just outside the interior
RULE_SIDE = 3  # px outside the interior where the rule's core lies (imagegrid insets a cell by its TOL)
HALO = 0.5  # of the way from the rule's core to paper: a sliver no darker than this is the rule's halo


def without_side_rims(sub: np.ndarray, ink: np.ndarray, gray: np.ndarray,
                      box: tuple[int, int, int, int]) -> np.ndarray:
    """``sub`` (the ink of cell interior ``box`` in the page's ink mask ``ink``, made from the
    page ``gray``) without the slivers of the column rules at its left and right sides; the
    same array when there are none.
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
            out_x, core = x0 - 1, slice(max(x0 - RULE_SIDE, 0), x0)  # just left of the interior: the rule's
        elif x + cw == w:
            out_x, core = x0 + w, slice(x0 + w, x0 + w + RULE_SIDE)
        else:
            continue
        if not 0 <= out_x < ink.shape[1]:
            continue
        rows = slice(y0 + y, y0 + y + ch)
        beside = ink[rows, out_x]
        if not beside.size or float(beside.mean()) < OUTSIDE:
            continue
        beside_core = gray[rows, core]
        if not beside_core.size:
            continue
        rule = float(beside_core.min())
        own = float(gray[rows, x0 + x:x0 + x + cw][labels[y:y + ch, x:x + cw] == i].min())
        if own > rule + HALO * (255 - rule):
            drop.append(i)
    if not drop:
        return sub
    out = sub.copy()
    out[np.isin(labels, drop)] = 0
    return out
