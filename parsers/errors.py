"""The one exception the parsers raise for input they cannot turn into a report."""

from __future__ import annotations


class ParseError(Exception):
    """Bad input (empty, corrupt, encrypted, unsupported, not a report).

    ``reason`` is one short human sentence, printed as-is by the CLI after the file name.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
