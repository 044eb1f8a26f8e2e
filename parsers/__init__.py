"""Parsing annual reports: bytes/text -> canonical record (see docs/ARCHITECTURE.md)."""

from .result import ParseError, ParseResult
from .textparse import parse_text
from .extract import parse_bytes  # noqa: E402,I001  (format detection + extractors)

# --- parse_bytes (format detection + extractors) is added here by the formats helper ---

__all__ = ["ParseError", "ParseResult", "parse_bytes", "parse_text"]
