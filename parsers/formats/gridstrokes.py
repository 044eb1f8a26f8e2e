"""Column "rules" that are glyph strokes joined across a soft scan's row rules, cut away.

On a scan of a tightly ruled table (rows barely taller than their text) that is a little
soft, whether blurred by the scanner, by the rotation that put it askew or by the
rotation that levels it again, the upright strokes of glyphs in rows above one another
(信 over 规 over 规) reach the row rules between them, and the chain passes for a column
rule running down the label column.  The grid then cuts every row there and table 2 or
table 4 is not read at all.  A level scan at 150 dpi blurred by half a pixel was enough,
and a rotation by any angle did it through the resampling.

A printed rule is drawn with one pen: its darkness is even all along, within each row it
crosses.  A chain of strokes is not: where a glyph ends short of the row rule its darkness
falls (the blur fills the gap only part way), and the glyph's other strokes lie right beside
it (a label's first stroke has its glyph on one side only, the cell's padding on the other).
So a column segment is judged row by row (between the table-wide rules it crosses), and a
row's piece that is uneven and has ink close beside it is taken out; what is left of the
segment shorter than a rule could be is dropped with it.  A real rule whose end ran on into
the heading below the table keeps its part inside the table; a worn rule's break (uneven
too) costs it only the rows where text stands close to it, and a border the grid still
needs there is checked pixel by pixel as before.
"""

from __future__ import annotations

import numpy as np

from parsers.formats.pdfgrid import Seg

EVEN = 0.6  # a rule's darkness (3 px mean) stays above this share of its median along each row
MIN_PIECE = 6  # px: a row's piece shorter than this is not judged alone (a crossing, a stub)
DRIFT = 2  # px either side of the segment's column where its piece is looked for (residual tilt)
END = 3  # px at a segment's ends where its darkness fades out (the run is averaged along 3 px)
SIDE = (3, 12)  # px beside a column where a glyph's other strokes lie (a cell's padding is nearer)
SIDE_INK = 0.15  # share of a piece's rows with ink there


def uneven(dark: np.ndarray, x: int, a: int, b: int) -> bool:
    """Does the darkness along column ``x`` (rows a..b) fall well below its own median?  A
    rule's does not (one pen drew it); a glyph's stroke that only touches the rules through
    the blur does, where it ends."""
    w = dark.shape[1]
    band = dark[a:b + 1, max(x - DRIFT, 0):min(x + DRIFT + 1, w)]
    if band.shape[0] < MIN_PIECE or band.shape[1] == 0:
        return False
    # the column of the band where the piece lies (a leftover tilt moves it a px or two)
    c = int(np.argmax(np.median(band, axis=0)))
    col = band[:, max(c - 1, 0):c + 2].max(axis=1)
    med = float(np.median(col))
    if med <= 0:
        return False
    run = np.convolve(col, np.ones(3) / 3, mode="valid")
    return float(run.min()) < EVEN * med


def _ink_beside(ink: np.ndarray, x: int, a: int, b: int) -> bool:
    """Is there ink close to column ``x`` on either side in a good share of rows a..b?"""
    if b <= a:
        return False
    for lo, hi in ((max(x - SIDE[1], 0), max(x - SIDE[0], 0)), (x + SIDE[0] + 1, x + SIDE[1] + 1)):
        part = ink[a:b, lo:hi]
        if part.size and float(part.any(axis=1).mean()) >= SIDE_INK:
            return True
    return False


def without_stroke_chains(segs: list[Seg], dark: np.ndarray, ink: np.ndarray,
                          min_len: int, tol: int) -> list[Seg]:
    """``segs`` with the uneven row pieces of column segments that have ink beside them
    taken out.

    ``dark``: paper minus page (how dark each pixel is); ``ink``: the page's ink mask;
    ``min_len``: the shortest column rule the page can have; ``tol``: how near a rule end
    counts as touching.
    """
    hs = [s for s in segs if s.horizontal]
    wide = max((h.b - h.a for h in hs), default=0) / 2
    out = []
    for s in segs:
        if s.horizontal:
            out.append(s)
            continue
        cuts = sorted({h.pos for h in hs if h.b - h.a >= wide and h.a - tol <= s.pos <= h.b + tol
                       and s.a < h.pos < s.b})
        bounds = [s.a, *cuts, s.b]
        # (the segment's own ends are its run's fall-off into paper, not a dip along it)
        keep = [not (uneven(dark, s.pos, a + END * (a == s.a), b - END * (b == s.b))
                     and _ink_beside(ink, s.pos, a, b))
                for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(keep):
            out.append(s)
            continue
        start = None
        for i, k in enumerate([*keep, False]):
            if k and start is None:
                start = bounds[i]
            elif not k and start is not None:
                if bounds[i] - start >= min_len:
                    out.append(Seg(False, s.pos, start, bounds[i]))
                start = None
    return out
