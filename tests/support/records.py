"""Walking canonical records cell by cell, for the golden-fixture drivers."""

from __future__ import annotations

from collections.abc import Iterator


def leaves(obj: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    """(dotted path, value) for every cell of an expected record."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from leaves(v, f"{prefix}{k}.")
    else:
        yield prefix[:-1], obj


def lookup(record: dict, path: str) -> object:
    """The value at a dotted path, or "<missing>" so a mismatch message says which."""
    cur: object = record
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return "<missing>"
        cur = cur[part]
    return cur


def leaves_beside(expected: object, got: object, path: str) -> Iterator[tuple[str, object, object]]:
    """(dotted path, expected value, value read) for every cell of `expected`; a cell `got` lacks
    reads as None, so a missing cell and a null one are judged alike (null may be allowed, a wrong
    number never)."""
    if isinstance(expected, dict):
        for k, v in expected.items():
            yield from leaves_beside(v, got.get(k) if isinstance(got, dict) else None, f"{path}.{k}")
    else:
        yield path, expected, got
