"""Numbers of neighbouring cells that the text detector boxed as one.

In a table set out without rules on a small page (an A5 report rasterised at ~110 dpi, a
web page's picture of a table), the cells of a row stand a space or two apart, and the
detector draws one box over "19  5  1951"; recognition then reads "1951951", a plausible
number, so the row loses its columns.  Neither upscaling nor the detector's own limits
(unclip ratio, dilation) separate such boxes: its training calls a line of words one box.

The box is cut where the ink leaves a gap that no digit pair inside a number leaves.  Two
tests must both hold, so that a font with wide side bearings ("11" in 宋体 or Courier, whose
"1" is a thin stroke in a wide advance) is never cut: the blank gap is at least half a
digit's height, and the distance between the glyphs' centres is well above the page's digit
pitch (digits share one advance width, so within a number that distance *is* the pitch,
however thin the glyphs).  Each piece is then read again on its own, and the cut stands
only when the pieces read the same digits as the whole box did: two reads agreeing.
A number box that has such a gap but whose pieces do not agree is two numbers read as one:
it is printed as doubtful (tables.OCR_UNSURE), never as the merged number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INK = 150          # grey below which a pixel is ink (the page is normalised: paper at 255)
MIN_GAP = 0.5      # a cut needs a blank gap of at least this many digit heights ...
MIN_PITCHES = 1.4  # ... and glyph centres at least this many digit pitches apart
TIGHT = 0.3        # adjacent glyphs closer than this many digit heights are one number's


@dataclass(frozen=True)
class Run:
    """A stretch of columns with ink, separated from the next by blank columns."""

    x0: int
    x1: int  # inclusive
    y0: int
    y1: int  # inclusive

    @property
    def width(self) -> int:
        return self.x1 - self.x0 + 1

    @property
    def height(self) -> int:
        return self.y1 - self.y0 + 1


def ink_runs(crop: np.ndarray) -> list[Run]:
    """Runs of inked columns of a grey crop, left to right, each with its ink's rows."""
    ink = crop < INK
    cols = np.flatnonzero(ink.any(axis=0))
    runs: list[Run] = []
    start = prev = None
    for c in [*cols.tolist(), None]:
        if c is not None and prev is not None and c == prev + 1:
            prev = c
            continue
        if start is not None:
            rows = np.flatnonzero(ink[:, start:prev + 1].any(axis=1))
            runs.append(Run(start, prev, int(rows[0]), int(rows[-1])))
        start = prev = c
    return runs


def digit_height(runs: list[Run]) -> float:
    """Height of the digits in a number box: the median run height (a "." or "," is shorter
    but seldom the majority)."""
    return float(np.median([r.height for r in runs])) if runs else 0.0


@dataclass(frozen=True)
class Metrics:
    """A page's digit size, measured on its number boxes."""

    pitch: float  # distance between neighbouring digits' centres within a number
    width: float  # a single digit's ink width


def page_metrics(boxes_runs: list[list[Run]]) -> Metrics | None:
    """Digit pitch and width from the pairs of glyphs that sit tight inside numbers.

    None when the page shows no multi-digit number to measure on (then nothing is cut).
    """
    dists: list[float] = []
    widths: list[int] = []
    for runs in boxes_runs:
        h = digit_height(runs)
        if h <= 0:
            continue
        for a, b in zip(runs, runs[1:], strict=False):
            single = a.width <= 0.9 * h and b.width <= 0.9 * h
            if single and b.x0 - a.x1 - 1 < TIGHT * h and min(a.height, b.height) >= 0.7 * h:
                dists.append((b.x0 + b.x1) / 2 - (a.x0 + a.x1) / 2)
                widths += [a.width, b.width]
    if not dists:
        return None
    return Metrics(pitch=float(np.median(dists)), width=float(np.median(widths)))


def cuts(runs: list[Run], metrics: Metrics | None) -> list[int]:
    """Indexes i where the box is cut between runs[i-1] and runs[i]."""
    if metrics is None or len(runs) < 2:
        return []
    h = digit_height(runs)
    out = []
    for i in range(1, len(runs)):
        a, b = runs[i - 1], runs[i]
        gap = b.x0 - a.x1 - 1
        # centre of a's last glyph to b's first: a run wider than a digit is glyphs touching
        centres = gap + (min(a.width, metrics.width) + min(b.width, metrics.width)) / 2
        if gap >= MIN_GAP * h and centres >= MIN_PITCHES * metrics.pitch:
            out.append(i)
    return out


def pieces(runs: list[Run], at: list[int]) -> list[tuple[int, int]]:
    """(x0, x1) column spans (x1 exclusive) of the pieces, each with a margin of blank
    columns of up to a quarter of the digit height, never reaching a neighbour's ink."""
    h = digit_height(runs)
    bounds = [0, *at, len(runs)]
    spans = []
    for s, e in zip(bounds, bounds[1:], strict=False):
        left = runs[s].x0 - (runs[s - 1].x1 if s > 0 else runs[s].x0 - 2 * h)
        right = (runs[e].x0 if e < len(runs) else runs[e - 1].x1 + 2 * h) - runs[e - 1].x1
        m_left = int(min(h / 4, (left - 1) / 2))
        m_right = int(min(h / 4, (right - 1) / 2))
        spans.append((max(runs[s].x0 - m_left, 0), runs[e - 1].x1 + 1 + m_right))
    return spans
