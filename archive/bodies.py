"""Which reports are the same body's: its name *and* its place.

A name alone is not a body: 市中区人民政府 is a district of 济南 and of 枣庄, and there are many
朝阳区, 鼓楼区, 城关镇.  Wherever two reports are paired as one body's years (identity 5, the
carry-over check; a carry-over finding's link to last year's report; the year-over-year diff), the
reports' places (`reports.province/city/county`, filled by archive/placing.py) must agree: a field
known on both sides and different means two bodies.  An unknown field agrees with anything, so a
report whose city was not found still pairs with its own body's other years, but only when exactly
one same-named body fits: an ambiguous pair is never made (no finding is better than a false one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

Place = tuple[str | None, str | None, str | None]  # (province, city, county)
T = TypeVar("T")


def compatible(a: Place, b: Place) -> bool:
    """No field known on both sides differs."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def same_body(place: Place, candidates: Sequence[tuple[Place, T]]) -> T | None:
    """The one candidate (same name, another year) that is this place's body, else None.

    Exactly the same place wins (the first of several: duplicates of one report); failing that,
    the single compatible one.
    """
    exact = [item for p, item in candidates if p == place]
    if exact:
        return exact[0]
    fits = [item for p, item in candidates if compatible(p, place)]
    return fits[0] if len(fits) == 1 else None


def label(place: Place) -> str:
    """"山东省济南市市中区" — how a reader tells two same-named bodies apart."""
    return "".join(p for p in place if p) or "地区不明 / place unknown"
