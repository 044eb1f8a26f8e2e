"""CSV: a report's tables saved from a spreadsheet as comma-separated values (GBK or UTF-8 with BOM).

Rows become tab lines exactly as a spreadsheet's rows do (formats/xls.py): a row with one
filled cell is a paragraph, spacer columns are dropped.  Detection is deliberately strict,
because a text report whose prose uses ASCII commas must never be cut into cells.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import parsers.limits as limits
from parsers.errors import ParseError
from parsers.formats.text import decode_text
from parsers.formats.xls import rows_to_lines

_SNIFF_BYTES = 64 * 1024
_MIN_COMMAS = 3  # four columns at least: a table, not a sentence with a list in it
_MIN_ROWS = 5


def _commas(line: str) -> int:
    """Commas outside double quotes ("1,234" is one field)."""
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            n += 1
    return n


def looks_like_csv(data: bytes) -> bool:
    """Most lines are rows of the same width (>= 4 fields), and nothing is tab-separated.

    Excel writes every row of a sheet with the same number of commas; tables of different
    widths in one sheet give a few widths, so: 60% of the non-empty lines have >= 3 commas
    and one comma count >= 3 is shared by 30% of them (at least 5 lines).  Prose lines
    have commas in varying numbers and never pass.
    """
    if b"," not in data[:_SNIFF_BYTES]:
        return False
    text = decode_text(data[:_SNIFF_BYTES])
    lines = [ln for ln in text.replace("\r", "\n").split("\n") if ln.strip()]
    if len(lines) > 1 and len(data) > _SNIFF_BYTES:
        lines.pop()  # cut off mid-line by the sniff window
    if len(lines) < _MIN_ROWS or sum("\t" in ln for ln in lines) * 10 > len(lines):
        return False
    counts = Counter(_commas(ln) for ln in lines)
    wide = sum(n for c, n in counts.items() if c >= _MIN_COMMAS)
    modal = max((n for c, n in counts.items() if c >= _MIN_COMMAS), default=0)
    return wide * 10 >= len(lines) * 6 and modal >= max(_MIN_ROWS, len(lines) * 3 / 10)


def extract(data: bytes) -> str:
    limits.check_text_size(data, "CSV file")
    text = decode_text(data)
    if not text.strip():
        raise ParseError("empty CSV document")
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        return "\n".join(rows_to_lines(list(rows)))
    except csv.Error as e:
        raise ParseError(f"unreadable CSV ({e})") from None
