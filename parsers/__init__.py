"""Parsing annual reports: bytes/text -> canonical record (see docs/ARCHITECTURE.md)."""

from .extract import parse_bytes  # format detection + extractors (parsers/formats)
from .result import ParseError, ParseResult
from .textparse import parse_text

# --- parse_bytes (format detection + extractors) is added here by the formats helper ---

__all__ = ["ParseError", "ParseResult", "parse_bytes", "parse_text"]
