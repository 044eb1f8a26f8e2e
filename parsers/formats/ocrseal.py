"""Numbers under a seal on a grey scan: the seal lifted off by its grey level, and the reading
taken only where it is sound.

A red 公章 scanned in grey is mid-grey (red ink is ~100 of 255 in grey) over black print
(~20).  Stamped over the last rows of table 3, its ring, star and arc lettering cross the
digits; read with the seal, a "0" comes out "的", "!" or nothing, and the cell is lost.  Ink
multiplies, so a digit under the seal stays as dark as print, and the seal alone is as light
as its own ink: mapping grey levels so that the seal's level becomes paper and print stays
black lifts the seal off while a digit keeps its anti-aliased edges (a hard cut at one level
left thin, broken strokes that read "()" for "0").

The reading without the seal stands only when it is a plain number read with high confidence
at two scales, and when the reading with the seal does not confidently say another number:
a cell whose print the seal covers so much that the two disagree on a clean reading stays
doubtful.  Nothing here looks at the table's sums.
"""

from __future__ import annotations

import numpy as np

SEAL_SCORE = 0.9  # confidence both readings of the lifted crop must reach (clean digits: 0.95+)
LIFT_SHARE = 0.1  # the seal's level: this low a share of its ink is darker (its blotchy core)
LIFT_MARGIN = 5  # grey levels below the seal's level that still go to paper
LIFT_SPAN = 20  # grey levels at least between print's black and the white point
UPSCALE = 1.5  # a second reading of a crop smaller than the model's input is of it at this scale
DOWNSCALE = 0.75  # ... and of a larger one at this (as imagegrid's second reading)


def lifted(cell: np.ndarray, on: np.ndarray, light: np.ndarray,
           far: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cell, zone): the cell with the mark's strokes lifted to paper by grey level, print left as it was.

    ``on``: the cell's ink; ``light``: ink lighter than print; ``far``: the light ink away from
    print, which only a mark has.  The mark is the light ink connected to those far pieces (its
    stroke runs on into the digits it crosses); there, grey levels are mapped so that the mark's
    own level (LIFT_SHARE of its pixels are darker) becomes paper and print's darkest ink stays
    black, so a digit's stroke under it keeps its darkness and its edges their grey in
    proportion.  Light ink not connected to the mark (a serif 0's hairline top, a digit's
    anti-aliased rim) is left as it was: mapped too, it went to paper and "0" read "()".
    ``zone``: the pixels taken for the mark's."""
    import cv2

    black = float(np.percentile(cell[on], 1))
    level = float(np.percentile(cell[far], 100 * LIFT_SHARE)) if far.any() else 255.0
    white = max(level - LIFT_MARGIN, black + LIFT_SPAN)
    n, labels = cv2.connectedComponents(light.astype(np.uint8), connectivity=8)
    ids = np.unique(labels[far & light])
    zone = np.isin(labels, ids[ids > 0])
    # (the stroke's JPEG-softened edge, lighter than the ink mask counts, goes with it)
    zone = cv2.dilate(zone.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & ~(on & ~light)
    mapped = np.clip((cell.astype(np.float32) - black) * (255.0 / (white - black)) + 0.5, 0, 255)
    out = cell.copy()
    out[zone] = mapped[zone].astype(np.uint8)
    return out, zone


def rescaled(crop: np.ndarray) -> np.ndarray:
    """The crop at another scale for a second reading.  A lifted digit of a 200 dpi scan is
    ~25 px high, half the model's input: shrunk further it loses its thin strokes (a clean "0"
    read 0.97 fell to 0.62), so a small crop is read enlarged instead."""
    import cv2

    from parsers.formats.image import REC_HEIGHT

    if crop.shape[0] < REC_HEIGHT:
        return cv2.resize(crop, None, fx=UPSCALE, fy=UPSCALE, interpolation=cv2.INTER_CUBIC)
    return cv2.resize(crop, None, fx=DOWNSCALE, fy=DOWNSCALE, interpolation=cv2.INTER_AREA)


def _plain(text: str) -> bool:
    from parsers.formats.imagegrid import plain_number

    return plain_number(text.strip())


def bare_stands(with_mark: list[tuple[str, float]], bare: list[tuple[str, float]],
                again: list[tuple[str, float]]) -> str | None:
    """The number read off the lifted crop when it is sound, else None.

    ``with_mark``: the cell's lines read with the mark; ``bare``: read lifted; ``again``: the
    lifted lines read once more at another scale (rescaled).  One line only (a number cell prints one), a plain
    number, both lifted readings the same text at SEAL_SCORE or more, and no confident other
    number read with the mark (the seal cannot add a clean digit, but lifting it off could take
    one away)."""
    if len(bare) != 1 or len(again) != 1:
        return None
    (text, score), (text2, score2) = bare[0], again[0]
    text = text.strip()
    if not _plain(text) or text2.strip() != text or min(score, score2) < SEAL_SCORE:
        return None
    from parsers.formats.imagegrid import MIN_SCORE

    for t, s in with_mark:
        if _plain(t) and s >= MIN_SCORE and t.strip() != text:
            return None
    return text
