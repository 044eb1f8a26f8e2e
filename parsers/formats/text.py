"""Plain text and markdown: decode, keep lines; markdown table pipes become tabs."""

from __future__ import annotations

import re

import parsers.limits as limits
from parsers import truncation
from parsers.errors import ParseError

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_PIPED_RULE = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")  # |:-:|---| (one dash is enough between pipes)
_MD_PIPE = re.compile(r"(?<!\\)\|")  # a cell boundary; \| is a literal pipe inside a cell
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_CELL = re.compile(r"^(\*|_)(?=\S)(.+?)(?<=\S)\1$")
_MD_BR = re.compile(r"\s*<br\s*/?>\s*", re.I)
_CJK_END = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def decode_text(data: bytes) -> str:
    """Decode report text the way Chinese portals actually encode it (see `decode_noted`)."""
    return decode_noted(data)[0]


def decode_noted(data: bytes) -> tuple[str, list[str]]:
    """(text, notes): report text decoded the way Chinese portals actually encode it, and what
    had to be given up on the way (for meta["skipped"]).

    BOMs first (UTF-8, UTF-16), then UTF-16 without a BOM (Windows "Unicode" .txt), then
    strict UTF-8, then UTF-8 with a few bad bytes replaced when nearly everything else is
    valid UTF-8 (a file damaged in copying is still UTF-8), then GB18030 (a superset of GBK
    and GB2312).  GB18030 decodes almost any byte string, so it must come last, and a
    繁体 text saved as Big5 (which GB18030 also "decodes") is told apart by its characters.
    Stray NUL bytes (a C-string copy, a broken export) are dropped.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace").replace("\x00", ""), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").replace("\x00", ""), []
    codec = unmarked_utf16(data)
    if codec:
        return data[:len(data) // 2 * 2].decode(codec, errors="replace").replace("\x00", ""), []
    notes = []
    if b"\x00" in data:
        notes.append(f"{data.count(0)} NUL bytes dropped")
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if sum(ord(c) > 0x7F for c in text) - bad >= UTF8_GOOD_PER_BAD * bad:
        # at a line's or a cell's edge a bad byte stands beside the text, not inside a number
        text = _FFFD_EDGE.sub("", text)
        return text, [*notes, f"{bad} bytes not valid UTF-8 in a UTF-8 text: read as \ufffd"
                      " (dropped at line and cell edges)"]
    mixed = mixed_lines(data)
    if mixed is not None:
        return mixed[0], [*notes, mixed[1]]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return _big5_instead(data, text), notes


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def mixed_lines(data: bytes) -> tuple[str, str] | None:
    """(text, note) for a text whose lines mix UTF-8 and GBK (two files pasted together, an editor
    that saved half a file in another encoding), each line read in its own encoding; None when the
    text is not mixed.  A line is UTF-8 when it decodes strictly and shows CJK characters (GBK bytes
    almost never form such a line by chance); any other line with non-ASCII bytes is GB18030."""
    utf8 = gbk = 0
    out = []
    for line in data.split(b"\n"):
        if line.isascii():
            out.append(line.decode("ascii"))
            continue
        try:
            text = line.decode("utf-8")
            if not _CJK.search(text):
                raise UnicodeDecodeError("utf-8", line, 0, len(line), "no CJK")
            utf8 += 1
        except UnicodeDecodeError:
            text = line.decode("gb18030", errors="replace")
            gbk += 1
        out.append(text)
    if not (utf8 and gbk):
        return None
    return "\n".join(out), (f"text mixes encodings: {utf8} lines read as UTF-8, {gbk} as GBK (GB18030),"
                            " each line in its own")


# a text is UTF-8 with damage when its valid non-ASCII characters outnumber its bad bytes this
# many times over; GBK bytes read as UTF-8 are nearly all bad
UTF8_GOOD_PER_BAD = 20
_FFFD_EDGE = re.compile(r"(?:^|(?<=\t))\ufffd+|\ufffd+(?=\t|\r?$)", re.M)
# what UTF-16 text is made of: ASCII (its NUL half-bytes), CJK punctuation, ideographs, full-width forms
_UTF16_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def unmarked_utf16(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text saved without a BOM, else None.

    Its ASCII characters (digits, tabs, line ends) put a NUL in every other byte, all on one
    side (the other side's NULs are ideographs like 一 U+4E00); read that way, nearly every
    character is ASCII, CJK punctuation, an ideograph or a full-width form.  Stray NULs in UTF-8 or GBK text fall on both sides and read as Hangul
    and symbols."""
    head = data[:4096]
    head = head[:len(head) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    units = len(head) // 2
    if units < 8 or max(even, odd) < max(2, units // 50) or 4 * min(even, odd) > max(even, odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    text = head.decode(codec, errors="replace")
    plausible = len(_UTF16_PLAUSIBLE.findall(text))
    return codec if plausible >= 0.95 * len(text) else None


# Words every report prints: found in the GB18030 reading, the bytes are GBK and nothing more is asked.
_GB_WORDS = ("年度报告", "信息公开", "人民政府", "政府信息")


def _big5_instead(data: bytes, gb_text: str) -> str:
    """The Big5 reading of a 繁体 report saved as Big5 text, else ``gb_text``.

    Big5 bytes are valid GB18030 too, but read as rare characters and odd symbols.  Each
    reading is scored by its share of characters from the frequent part of its own
    character set (punctuation rows and level-1 hanzi: GB2312 A1-A9/B0-D7, Big5 A1-C6):
    a right reading scores ~1.0, a misread one ~0.4.
    """
    if any(w in gb_text for w in _GB_WORDS):
        return gb_text
    try:
        big5_text = data.decode("cp950")
    except UnicodeDecodeError:
        return gb_text
    big5 = _frequent_share(big5_text, "cp950", ((0xA1, 0xC6),))
    if big5 >= 0.9 and big5 > _frequent_share(gb_text, "gb2312", ((0xA1, 0xA9), (0xB0, 0xD7))) + 0.3:
        return big5_text
    return gb_text


def _frequent_share(text: str, codec: str, leads: tuple[tuple[int, int], ...]) -> float:
    wide = [c for c in text[:50_000] if ord(c) > 0x2FFF]
    if len(wide) < 20:
        return 0.0
    hits = 0
    for c in wide:
        try:
            b = c.encode(codec)
        except UnicodeEncodeError:
            continue
        hits += len(b) == 2 and any(lo <= b[0] <= hi for lo, hi in leads)
    return hits / len(wide)


def markdown_row(line: str) -> str | None:
    """A markdown pipe-table row as a tab line, or None if the line is not one."""
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|") and len(_MD_PIPE.findall(s)) >= 3):
        return None
    return "\t".join(_md_cell(c) for c in _MD_PIPE.split(s[1:-1]))


def _md_cell(cell: str) -> str:
    """Markup off a cell: **0** is the number 0 set in bold, <br> a line break inside the cell."""
    c = cell.strip().replace("\\|", "|")
    if "<" in c:
        c = _join_breaks(_MD_BR.split(c))
    if "*" in c or "_" in c:
        c = _MD_STRONG.sub(r"\2", c)
        c = _MD_EM_CELL.sub(r"\2", c)
    return c


def _join_breaks(parts: list[str]) -> str:
    """Joined like the other extractors join a cell's lines: no space between CJK characters."""
    out = parts[0]
    for part in parts[1:]:
        glue = "" if (_CJK_END.search(out) or not out) and (_CJK_START.match(part) or not part) else " "
        out = out + glue + part
    return out


def extract(data: bytes) -> str:
    limits.check_text_size(data, "text file")
    data, halved = truncation.utf8_tail(data)  # half a character at the end: the bytes were cut off
    text, notes = decode_noted(data)
    cut = truncation.text_cut(text) if halved else None  # a number it ends in is not provably whole
    if cut is not None:
        text = cut[0]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("empty text document")
    out = []
    for line in text.split("\n"):
        if "-" in line and (_MD_RULE.match(line) or _MD_PIPED_RULE.match(line)):
            continue
        row = markdown_row(line)
        out.append(row if row is not None else line.rstrip())
    ends = [truncation.note(cut[1], cut[2])] if cut is not None else []
    return "\n".join([*out, *(limits.skip_note(n) for n in notes), *ends])
