"""Which bodies are one body renamed (机构改革): 长沙市城市管理局 (2021, 2022) became 长沙市城市管理和综合
执法局 (2023, 2024), and a journalist diffing the years needs the series whole.

A name change is never guessed from names alone (two departments of one city are two bodies).  Two
names are joined only inside one registry source, when everything below holds:

- one of them is the source's own body (its registry name, `completeness.is_own_report`); the other
  was found in the same source's column;
- the same place (province, city, county all equal, at least one known), the same kind and level;
- never a year in which both report (in any source), and the old name's years all come before the
  new name's: a rename goes one way;
- the names, their place taken off, share a word of their own (城市管理局 and 城市管理和综合执法局 share
  城市; 公安局 and 教育局 share only 局);
- exactly one such other name in the source: two candidates are ambiguous, and nothing is joined.

The result is a table (`renamed_bodies`) the completeness matrix, the year-over-year diff and the
carry-over check read; a report keeps the name it prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archive.completeness import is_own_report

# words every body's name is made of: a shared one says nothing about being the same body
_GENERIC_WORDS = ("人民政府", "委员会", "办公室", "政府", "管理", "监督", "行政", "综合", "执法", "服务", "中心", "事务")
_GENERIC_CHARS = set("局厅委办和与及部处所站会司署")


@dataclass(frozen=True)
class Rename:
    """`agency` (years up to `last_year`) is the body that reports as `renamed_to` from `first_year`."""

    source_id: str
    agency: str
    renamed_to: str
    place: tuple[str | None, str | None, str | None]
    last_year: int
    first_year: int


@dataclass(frozen=True)
class Seen:
    """One latest report, as much as the rule needs."""

    source_id: str | None
    agency: str | None
    year: int | None
    place: tuple[str | None, str | None, str | None]
    kind: str | None
    level: str | None


def _core(name: str, place: tuple[str | None, ...]) -> str:
    for part in place:
        if part and name.startswith(part):
            name = name[len(part):]
    return name


def _own_word(a: str, b: str) -> bool:
    """Whether `a` and `b` share a run of characters with two left once generic words are taken out."""
    for i in range(len(a)):
        for j in range(i + 2, len(a) + 1):
            common = a[i:j]
            if common not in b:
                break
            for word in _GENERIC_WORDS:
                common = common.replace(word, "")
            if len([ch for ch in common if ch not in _GENERIC_CHARS]) >= 2:
                return True
    return False


def _one(values: Iterable) -> object | None:
    found = set(values)
    return next(iter(found)) if len(found) == 1 else None


def find_renames(reports: list[Seen], source_names: dict[str, str]) -> list[Rename]:
    """The renames the rule above proves, one per source at most."""
    years_of: dict[tuple, set[int]] = {}  # (agency, place) -> years it reports, in any source
    for r in reports:
        if r.agency and isinstance(r.year, int):
            years_of.setdefault((r.agency, r.place), set()).add(r.year)
    by_source: dict[str, dict[str, list[Seen]]] = {}
    for r in reports:
        if r.source_id and r.agency and isinstance(r.year, int):
            by_source.setdefault(r.source_id, {}).setdefault(r.agency, []).append(r)
    out = []
    for source_id, names in by_source.items():
        registry = source_names.get(source_id)
        if not registry:
            continue
        own = [n for n in names if is_own_report(registry, n)]
        if len(own) != 1:
            continue
        own_name = own[0]
        shape = _one((r.place, r.kind, r.level) for r in names[own_name])
        if shape is None or not any(shape[0]) or None in shape[1:]:
            continue
        place = shape[0]
        found = []
        for other, rows in names.items():
            if other == own_name or _one((r.place, r.kind, r.level) for r in rows) != shape:
                continue
            mine, theirs = years_of.get((own_name, place), set()), years_of.get((other, place), set())
            if mine & theirs or not _own_word(_core(own_name, place), _core(other, place)):
                continue
            if max(theirs) < min(mine):
                found.append(Rename(source_id, other, own_name, place, max(theirs), min(mine)))
            elif max(mine) < min(theirs):
                found.append(Rename(source_id, own_name, other, place, max(mine), min(theirs)))
        if len(found) == 1:
            out.append(found[0])
    return out
