"""DOCX: paragraphs and tables in body order, merged cells through gridSpan / vMerge.

The XML is walked directly (python-docx only opens the package): python-docx's table
API resolves merges cell by cell and is many times slower on the 200-cell table 3.
"""

from __future__ import annotations

import io
import zipfile

from parsers.errors import ParseError
from parsers.formats import clean_cell, clean_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _table_lines(tbl, out: list[str]) -> None:
    """One tab line per row: one entry per <w:tc>, so a gridSpan cell is ONE entry.

    Word's table grids are irregular (a header cell spanning columns 0-4 above a row
    whose cells span 4-5), so expanding gridSpan to grid positions invents empty
    "cells" in the middle of number rows.  A vMerge continuation is kept as "" (it is a
    real cell position under a rowspan label).
    """
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        row = []
        for tc in tr.iterchildren(f"{W}tc"):
            if tc.find(f".//{W}tbl") is not None:  # layout table: walk the cells as body content
                for cell in tbl.iter(f"{W}tc"):
                    if cell.getparent().getparent() is tbl:
                        _walk(cell, out)
                return
            tcpr = tc.find(f"{W}tcPr")
            vm = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            is_cont = vm is not None and (vm.get(f"{W}val") or "continue") == "continue"
            row.append("" if is_cont else clean_cell("\n".join(_para_text(p) for p in tc.iter(f"{W}p"))))
        rows.append(row)
    out.extend("\t".join(row) for row in rows if any(row))


def _walk(container, out: list[str]) -> None:
    for el in container.iterchildren():
        tag = el.tag
        if tag == f"{W}p":
            line = clean_line(_para_text(el).replace("\n", " "))
            if line:
                out.append(line)
        elif tag == f"{W}tbl":
            _table_lines(el, out)
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"):
            _walk(el.find(f"{W}sdtContent") if tag == f"{W}sdt" else el, out)


def extract(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ParseError(f"corrupt DOCX ({e})") from None
    except Exception as e:  # python-docx raises PackageNotFoundError and lxml errors
        raise ParseError(f"unreadable DOCX ({type(e).__name__})") from None
    out: list[str] = []
    _walk(document.element.body, out)
    return "\n".join(out)
