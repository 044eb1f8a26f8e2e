"""Plain text and markdown: decode, keep lines; markdown table pipes become tabs."""

from __future__ import annotations

import re

import parsers.limits as limits
from parsers.errors import ParseError

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def decode_text(data: bytes) -> str:
    """Decode report text the way Chinese portals actually encode it.

    BOMs first (UTF-8, UTF-16), then strict UTF-8, then GB18030 (a superset of GBK
    and GB2312).  GB18030 decodes almost any byte string, so it must come last.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def markdown_row(line: str) -> str | None:
    """A markdown pipe-table row as a tab line, or None if the line is not one."""
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|") and s.count("|") >= 3):
        return None
    return "\t".join(c.strip() for c in s[1:-1].split("|"))


def extract(data: bytes) -> str:
    limits.check_text_size(data, "text file")
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("empty text document")
    out = []
    for line in text.split("\n"):
        if _MD_RULE.match(line) and "-" in line:
            continue
        row = markdown_row(line)
        out.append(row if row is not None else line.rstrip())
    return "\n".join(out)
