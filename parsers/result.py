"""The value objects the parser hands to the rest of nianbao (archive, CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ParseError  # one exception class for the whole package

__all__ = ["ParseError", "ParseResult"]


@dataclass
class ParseResult:
    """Everything one parse produced.

    `record` holds only what the report printed (plus explicitly inferred cells, which `cells`
    marks); `findings` are the accounting identities the printed numbers break, so the reader
    sees the source's own inconsistencies instead of silently corrected numbers.
    """

    record: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cells: list[dict[str, Any]] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """Shape used by `nianbao parse PATH --json` and stored as the report's JSON."""
        out = dict(self.record)
        out["findings"] = list(self.findings)
        out["meta"] = dict(self.meta)
        return out
