"""Truncated PDFs: the bytes end before the file does (a download cut short, a damaged copy).

MuPDF repairs such a file: it rebuilds the cross-reference table from the objects it finds and opens
every page, but objects past the cut are gone.  A page whose font lost its ToUnicode map extracts
glyph codes instead of characters (a code byte may even read as a digit), a page whose content
stream lost its tail shows only part of its numbers (MuPDF returns the part it found: `_short_stream`
compares it with the stream's /Length), and its render (for the OCR) draws glyphs from
a font program that may be gone.  So a page is read only when everything it draws with is still in
the file: its content streams, fonts, their maps and programs, its pictures (`lost`: the objects the
page reaches that are missing or unreadable).  A damaged page is left out (its tables null, said so),
the whole pages are read, and when no page is whole the file is an error ("truncated PDF").
"""

from __future__ import annotations

import re

import pymupdf

_REF = re.compile(r"/(\w+)\s+(\d+)\s+0\s+R|(\d+)\s+0\s+R")
_TAIL = 1024  # bytes at the end where a whole file has its %%EOF (incremental updates end with one too)
_UP = {"Parent", "P"}  # references back up the tree: another page's objects, not this one's


def truncated(data: bytes, doc: pymupdf.Document) -> bool:
    """Whether the file was cut: MuPDF had to rebuild its cross-references and no %%EOF ends it."""
    return bool(doc.is_repaired) and b"%%EOF" not in data[-_TAIL:]


_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+\d+\s+obj\b")


def cut_object(data: bytes) -> int | None:
    """The object the cut ran through: the last one the file begins, when no `endobj` follows it (the
    objects before it are whole; MuPDF's repair gives this one what it found, a stream to the file's
    end or its first half, whatever its /Length says)."""
    last = None
    for m in _OBJ.finditer(data, max(0, len(data) - (1 << 22))):
        last = m
    if last is None or b"endobj" in data[last.end():]:
        return None
    return int(last.group(1))


def lost(doc: pymupdf.Document, page: pymupdf.Page, cut: int | None = None, budget: int = 20000) -> bool:
    """Whether an object the page draws with (reached from its dictionary) is missing, unreadable, or
    the one the cut ran through (`cut_object`)."""
    seen: set[int] = set()
    todo = [page.xref]
    while todo and len(seen) < budget:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        if x == cut:
            return True
        try:
            obj = doc.xref_object(x, compressed=True)
            if obj.strip() in ("", "null"):
                return True
            if doc.xref_is_stream(x) and _short_stream(doc, x):
                return True
        except Exception:  # noqa: BLE001 — MuPDF's errors on an object the cut removed or broke
            return True
        for m in _REF.finditer(obj):
            if m.group(1) in _UP:
                continue
            todo.append(int(m.group(2) or m.group(3)))
    return False


def _short_stream(doc: pymupdf.Document, x: int) -> bool:
    """A stream the cut ended: fewer raw bytes than its /Length says (MuPDF hands back what it found,
    a content stream's first half, without a word), or none at all."""
    raw = doc.xref_stream_raw(x)
    if raw is None:
        return True
    kind, value = doc.xref_get_key(x, "Length")
    if kind == "xref":  # an indirect /Length: its own object holds the number
        value = doc.xref_object(int(value.split()[0]), compressed=True).strip()
    elif kind != "int":
        return False
    try:
        return len(raw) < int(value)
    except ValueError:
        return True  # the number itself was lost
