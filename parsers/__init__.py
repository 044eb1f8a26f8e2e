"""Parsing annual reports: bytes/text -> canonical record (see docs/ARCHITECTURE.md).

The public names are loaded on first use (PEP 562): `from parsers import divisions` (the crawler's
division list) or `from parsers.pages import PAGE_BREAK` runs only that light module, not the whole
parser stack (extractors, OCR, the core text parser), which a crawl process start never needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extract import parse_all, parse_bytes
    from .result import ParseError, ParseResult
    from .textparse import parse_parts, parse_text

# public name -> the submodule that defines it
_HOMES = {"parse_bytes": ".extract", "parse_all": ".extract",  # format detection + extractors (parsers/formats)
          "ParseError": ".result", "ParseResult": ".result", "parse_text": ".textparse", "parse_parts": ".textparse"}

__all__ = ["ParseError", "ParseResult", "parse_all", "parse_bytes", "parse_parts", "parse_text"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # once: later lookups are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
