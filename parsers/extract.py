"""bytes -> text -> ParseResult: type detection, the right extractor, then the core parser."""

from __future__ import annotations

import re

import parsers.limits as limits
from parsers import sheetnames, truncation, truncfinding
from parsers.detect import detect_kind, file_start
from parsers.errors import ParseError, known

_SURROGATE = re.compile("[\ud800-\udfff]")
_PAGED = ("pdf", "ofd")  # fixed-layout formats: the extractor's text has page breaks, cells get pages
_PLAIN = ("text", "csv")  # the text is the file: a cut at a line break leaves no mark (parsers/textend.py)


def extract_text(data: bytes, kind: str | None = None) -> tuple[str, str]:
    """Return (text, kind).  ``kind`` comes from the magic bytes unless given."""
    if not data:
        raise ParseError("empty file")
    limits.check_document_size(data)
    data = file_start(data)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # before detect_kind reads the zip directory
        limits.check_zip(data, "DOCX" if b"word/" in data else "XLSX" if b"xl/" in data else "zip archive")
    kind = kind or detect_kind(data)
    if kind == "pdf":
        from parsers.formats import pdf as mod
    elif kind == "docx":
        from parsers.formats import docx as mod
    elif kind == "doc":
        from parsers.formats import doc as mod
    elif kind == "wps":
        from parsers.formats import wps as mod
    elif kind == "xlsx":
        from parsers.formats.xls import extract_xlsx

        return _clean(extract_xlsx(data)), kind
    elif kind == "xls":
        from parsers.formats.xls import extract_xls

        return _clean(extract_xls(data)), kind
    elif kind == "image":
        limits.check_image(data)  # from the header, before anything decodes the pixels
        from parsers.formats import image as mod
    elif kind == "html":
        from parsers.formats import html as mod
    elif kind == "mht":
        from parsers.formats import mht as mod
    elif kind == "rtf":
        from parsers.formats import rtf as mod
    elif kind == "csv":
        from parsers.formats import csvtable as mod
    elif kind == "text":
        from parsers.formats import text as mod
    elif kind == "ofd":
        from parsers.formats import ofd as mod
    elif kind == "odt":
        from parsers.formats import odt as mod
    elif kind == "zip":
        raise ParseError("unsupported type: a zip archive that is not DOCX/XLSX/ODT (or a damaged one)")
    elif kind == "ole":
        raise ParseError("unsupported or damaged OLE document (no Word or Excel stream)")
    else:
        raise ParseError("unsupported file type (not text, HTML, PDF, Word, WPS, Excel or an image)")
    try:
        text = mod.extract(data)
    except ParseError:
        raise
    except Exception as err:  # a library's failure we can name (a cyclic PDF page tree …) is bad input, cached as such
        why = known(err)
        if why is None:
            raise
        raise ParseError(why) from None
    return _clean(text), kind


def _clean(text: str) -> str:
    """Lone surrogates (hostile bytes, broken PDF fonts) out, so the text can be stored as UTF-8.

    (Strict UTF-8 encoding fails on a surrogate and on nothing else: a text that encodes has none,
    found in C at a fraction of the cost of the regex search.)"""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def parse_extracted(text: str, kind: str, name: str | None = None, part: int | None = None):
    """The steps after extraction, shared by parse_bytes and the archive's extraction cache,
    so a cached text parses exactly as fresh bytes would.  ``part``: the k-th report of a 汇编
    (textparse.parse_text)."""
    from parsers.textparse import parse_text

    text, cut = truncation.split_note(text)  # the extractor's word that the document ends early
    text, sheets = sheetnames.split(text)
    text, skipped = _body_text(text, kind)
    result = parse_text(text, pdf=kind in _PAGED, part=part, cut=cut is not None, plain=kind in _PLAIN)
    return _finish(result, kind, name, skipped, sheets, cut)


def parse_extracted_all(text: str, kind: str, name: str | None = None) -> list:
    """Every report of a 汇编 from one extracted text (one result when it is a single report)."""
    from parsers.textparse import parse_parts

    text, cut = truncation.split_note(text)
    text, sheets = sheetnames.split(text)
    text, skipped = _body_text(text, kind)
    results = [_finish(r, kind, name, skipped, sheets)
               for r in parse_parts(text, pdf=kind in _PAGED, cut=cut is not None, plain=kind in _PLAIN)]
    if cut is not None:  # the cut is in the last report of a 汇编
        truncfinding.add(results[-1], cut)
    return results


def _body_text(text: str, kind: str) -> tuple[str, list[str]]:
    """The text without the extractor's notes of what it skipped (recorded in meta instead); a
    document with no text left is an error, not an empty report."""
    text, skipped = limits.split_skip_notes(text)
    if not text.strip():  # (with what the extractor could not read: the reason there is none)
        raise ParseError(f"no text found in the {kind} document" + (f" ({skipped[0]})" if skipped else ""))
    return text, skipped


def _finish(result, kind: str, name: str | None, skipped: list[str], sheets: list[str] = (),
            cut: dict[str, str] | None = None):
    result.meta["format"] = kind
    if cut is not None:
        truncfinding.add(result, cut)
    if skipped:  # the extractor's notes first, then the reader's (a cell of numbers apart)
        result.meta["skipped"] = skipped + result.meta.get("skipped", [])
    if sheets:
        _year_from_sheets(result, sheets)
    if name:
        result.meta["source_name"] = name
        _year_from_name(result, name)
    return result


_NAMES_REPORT = re.compile(r"报告|年报")


def _year_from_sheets(result, names: list[str]) -> None:
    """A workbook whose text prints no year takes the year its sheets are named with (2019年表二 …,
    all agreeing): the office's own label of the tables, so before the file's name; said in the
    warnings."""
    year = sheetnames.year(names)
    if result.record.get("year") is not None or year is None:
        return
    result.record["year"] = year
    result.meta.setdefault("warnings", []).append(
        f"the text prints no year: {year} is the workbook's sheet names' ({'、'.join(names)})")


def _year_from_name(result, name: str) -> None:
    """A report whose text prints no year (no title year, no period, unsigned, undated) takes the
    year its file's name gives it, as a listing's link text would: the name is what the user (or
    the portal) called the file, weaker than the text, so it is used only when the text has none,
    only when it names a report, and said so in the warnings."""
    from parsers.metadata import year_from_title

    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if result.record.get("year") is not None or not _NAMES_REPORT.search(stem):
        return
    year = year_from_title(stem)
    if year is not None:
        result.record["year"] = year
        result.meta.setdefault("warnings", []).append(f"the text prints no year: {year} is the file name's ({name})")


def parse_bytes(data: bytes, name: str | None = None, part: int | None = None):
    """Detect, extract and parse one document.  ``name`` is recorded, never trusted for the type; its
    year is used only when the text prints none (`_year_from_name`)."""
    text, kind = extract_text(data)
    return parse_extracted(text, kind, name, part)


def parse_all(data: bytes, name: str | None = None) -> list:
    """Every report a document holds (a 汇编: one per body), extracting it once."""
    text, kind = extract_text(data)
    return parse_extracted_all(text, kind, name)


def bundle_parts(result) -> int:
    """How many bodies' reports the document of this result holds (1: not a 汇编)."""
    meta = result.get("meta") if isinstance(result, dict) else getattr(result, "meta", None)
    return int(((meta or {}).get("bundle") or {}).get("parts") or 1)
