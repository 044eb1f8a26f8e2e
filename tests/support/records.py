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
