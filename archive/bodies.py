"""Which reports are the same body's: its name *and* its place.

A name alone is not a body: 市中区人民政府 is a district of 济南 and of 枣庄, and there are many
朝阳区, 鼓楼区, 城关镇.  Wherever two reports are paired as one body's years (identity 5, the
carry-over check; a carry-over finding's link to last year's report; the year-over-year diff), the
reports' places (`reports.province/city/county`, filled by archive/placing.py) must agree: a field
known on both sides and different means two bodies.  An unknown field agrees with anything, so a
report whose city was not found still pairs with its own body's other years, but only when exactly
one same-named body fits: an ambiguous pair is never made (no finding is better than a false one).

The name may be printed differently from year to year and still be the body's (`one_name`): with or
without its place's prefix (聊城市公安局 / 山东省聊城市公安局), 政府 for 人民政府, 中华人民共和国 before a
central body, spaces.  Those are tried only when no report of the year prints the very same name.  A
joint report (A、B) is one body's years only beside reports naming the same bodies: its table counts
every body's applications, so its 上年结转 need not equal one body's 结转下年度 of the year before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Generic, TypeVar

from parsers.divisions import by_name
from parsers.metadata import joint_bodies

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


# a region name ends with one of these (聊城市, 东昌府区, 阿拉善盟 …); a name that starts with a place
# (one or more characters before one of them) and goes on with a body's words
_REGION_END = "省市县区州盟旗"
_PLACED = re.compile(r"([\u3400-\u9fff]{1,14}?(?:省|自治区|市|自治州|州|盟|县|区|旗))[\u3400-\u9fff]{2}")
_SPACES = re.compile(r"[\s\u3000]+")


def _key(name: str) -> str:
    return _SPACES.sub("", name).replace("人民政府", "政府").removeprefix("中华人民共和国")


def _shorter(key: str) -> set[str]:
    """The names a body's name also goes by with a leading place left out (山东省聊城市公安局 ->
    聊城市公安局): each still starts with a place of the division list (济南市市中区 never leaves 中区…)
    and is no bare place; a bare place is its government (郸城县 = 郸城县政府)."""
    out = set()
    for i in range(1, len(key)):
        if key[i - 1] in _REGION_END and key[-1] not in _REGION_END:
            m = _PLACED.match(key, i)
            if m and by_name(m.group(1)):
                out.add(key[i:])
    if key.endswith("政府") and key[-3:-2] and key[-3] in _REGION_END:
        out.add(key[:-2])
    return out


def own_key(name: str) -> str:
    """The key a name is indexed by: a joint report's bodies (A、B = B和A), else the name itself,
    both compared without spaces, 人民, 中华人民共和国."""
    bodies = joint_bodies(name)
    return "、".join(sorted(_key(b) for b in bodies)) if len(bodies) > 1 else _key(name)


def other_keys(name: str) -> set[str]:
    """The keys of the shorter names the same body goes by (a single body's only)."""
    return set() if len(joint_bodies(name)) > 1 else _shorter(_key(name))


def one_name(a: str, b: str) -> bool:
    """Whether two printed names are one body's (its place and year aside): the same, or one the
    other with its place's prefix left out.  Never a government and its 办公室 (both may report),
    nor a joint report and one of its bodies."""
    ka, kb = own_key(a), own_key(b)
    return ka == kb or ka in other_keys(b) or kb in other_keys(a)


def pinned(a: str, b: str) -> bool:
    """Whether two prints of one name (`one_name`) can only be one place's body: the same print (but
    for spaces, 人民), or the shorter starting with a place the division list knows once (聊城市公安局;
    not 市中区人民政府: 济南's, 枣庄's and 内江's).  Else only places known and equal pair them."""
    ka, kb = own_key(a), own_key(b)
    if ka == kb:
        return True
    short = min(ka, kb, key=len)
    m = _PLACED.match(short)
    return len(by_name(m.group(1) if m else short)) == 1


class ByName(Generic[T]):
    """One year's reports found by name and place: the same name first, then its other prints."""

    def __init__(self) -> None:
        self._exact: dict[str, list[tuple[Place, T]]] = {}
        self._by_key: dict[str, list[tuple[str, Place, T]]] = {}
        self._by_shorter: dict[str, list[tuple[str, Place, T]]] = {}

    def add(self, name: str, place: Place, item: T) -> None:
        self._exact.setdefault(name, []).append((place, item))
        self._by_key.setdefault(own_key(name), []).append((name, place, item))
        for k in other_keys(name):
            self._by_shorter.setdefault(k, []).append((name, place, item))

    def find(self, name: str, place: Place) -> T | None:
        """The one report of this body (`same_body`): among the reports printing the very name,
        else among those printing it another way."""
        found = same_body(place, self._exact.get(name, []))
        if found is not None:
            return found
        key = own_key(name)
        others = self._by_key.get(key, []) + self._by_shorter.get(key, [])
        others += [x for k in other_keys(name) for x in self._by_key.get(k, [])]
        fits = [(n, p, item) for n, p, item in others if n != name and compatible(p, place)
                and (pinned(n, name) or (p == place and any(p)))]
        if len({n for n, _, _ in fits}) != 1:
            return None  # none, or two bodies printed otherwise (济南市市中区…, 枣庄市市中区…): no one's
        return same_body(place, [(p, item) for _, p, item in fits])
