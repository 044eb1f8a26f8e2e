"""DOCX: paragraphs and tables in body order, merged cells through gridSpan / vMerge.

The XML is walked directly: python-docx's table API resolves merges cell by cell and is
many times slower on the 200-cell table 3.  A sound package is read with zipfile + lxml
(python-docx builds an object for every part and element, several ms per report); any
package that is not plainly sound is opened by python-docx, which reports what is wrong.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from itertools import islice

import lxml.etree

import parsers.limits as limits
from parsers.errors import ParseError, known
from parsers.formats import clean_cell, clean_line, docxhidden, pictables
from parsers.tokens import SUBSCRIPT, SUPERSCRIPT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _TAB, _BR, _CR = f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"
_P, _TBL, _TR, _TC, _TCPR, _VMERGE, _VAL = (
    f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}tcPr", f"{W}vMerge", f"{W}val"
)
_SDT, _SDT_CONTENT = f"{W}sdt", f"{W}sdtContent"
_TRANSPARENT = (_SDT, _SDT_CONTENT, f"{W}customXml", f"{W}smartTag")
_TXBX = f"{W}txbxContent"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_FALLBACK = f"{_MC}Fallback"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_OBJECT, _OLE = f"{W}object", "{urn:schemas-microsoft-com:office:office}OLEObject"
_WORKBOOK = "\x00workbook:"  # line left where an embedded worksheet stood: its rid, then its preview's slot
_ALT_CHUNK = f"{W}altChunk"
_CHUNK = "\x00chunk:"  # line left where an imported chunk (w:altChunk) stands: its rid


_RPR, _VERT_ALIGN = f"{W}rPr", f"{W}vertAlign"
# a superscript/subscript run as super/subscript characters: a footnote mark after a number
# ("4649" then a raised "3") stays a mark the number reader cuts off, never a digit of the number
_RAISED = {"superscript": SUPERSCRIPT, "subscript": SUBSCRIPT}


def _run_text(t) -> str:
    """A w:t's text, raised when its run is direct-formatted superscript or subscript."""
    text = t.text or ""
    run = t.getparent()
    rpr = _first(run, _RPR) if run is not None else None
    align = _first(rpr, _VERT_ALIGN) if rpr is not None else None
    table = _RAISED.get(align.get(_VAL) or "") if align is not None else None
    return text.translate(table) if table else text


def _first(el, tag: str):
    """The first child of ``el`` with ``tag``: find() would run ElementPath in Python, which cost
    more than the rest of a table cell's reading."""
    return next(el.iterchildren(tag), None)


def _para_text(p) -> str:
    """The paragraph's own text: a text box anchored in it is content of its own (_boxes)."""
    if next(p.iter(_TXBX, _FALLBACK, _VERT_ALIGN), None) is None:
        return _plain_text(p)
    boxed = next(p.iter(_TXBX, _FALLBACK), None) is not None
    parts = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if boxed and _below(el, p, (_TXBX, _FALLBACK)):
            continue
        tag = el.tag
        if tag == _T:
            parts.append(_run_text(el))
        elif tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _plain_text(p) -> str:
    """_para_text of the usual paragraph, with no text box and no raised run: no w:t's run
    properties to look up (that lookup was most of a DOCX's extraction time)."""
    return "".join(el.text or "" if el.tag == _T else " " if el.tag == _TAB else "\n"
                   for el in p.iter(_T, _TAB, _BR, _CR))


def _below(el, stop, tags: tuple[str, ...]) -> bool:
    """Whether an ancestor of ``el`` under ``stop`` has one of ``tags``."""
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _boxes(p) -> list:
    """Text boxes anchored in ``p``, outermost first, each read once.

    Word writes a box twice: DrawingML (mc:Choice, wps:txbx) and VML (mc:Fallback,
    v:textbox).  A fallback box is read only when its mc:AlternateContent has no box
    outside the fallback (so a shape whose Choice has no text still yields its box).
    A box inside a box is reached when the outer one is walked.
    """
    return _once(p, (_TXBX,))


def _once(p, tags: tuple[str, ...]) -> list:
    """Elements with ``tags`` in ``p`` outside text boxes, a fallback copy only if it is the only one."""
    found = []
    for el in p.iter(*tags):
        if _below(el, p, (_TXBX,)):
            continue
        fallback = next(el.iterancestors(_FALLBACK), None)
        if fallback is not None:
            alternate = fallback.getparent()
            if alternate is not None and any(not _below(other, alternate, (_FALLBACK,))
                                             for other in alternate.iter(*tags)):
                continue
        found.append(el)
    return found


def _pictures(p, pics: list[str]) -> list[str]:
    """Slot lines for the pictures anchored in ``p`` (their relationship ids go to ``pics``)."""
    lines = []
    for el in _once(p, (_BLIP, _IMAGEDATA)):
        rid = el.get(f"{_R}embed") if el.tag == _BLIP else el.get(f"{_R}id")
        if rid:
            ole = _worksheet(el) if el.tag == _IMAGEDATA else None
            n = len(pics)
            lines.append(f"{_WORKBOOK}{ole}:{n}" if ole else pictables.slot(n))
            pics.append(rid)
    return lines


def _worksheet(imagedata) -> str | None:
    """The relationship id of the Excel workbook whose preview picture ``imagedata`` is (an
    embedded worksheet object: w:object holding v:shape/v:imagedata and o:OLEObject), else None."""
    obj = next(imagedata.iterancestors(_OBJECT), None)
    ole = obj.find(f".//{_OLE}") if obj is not None else None
    if ole is None or not (ole.get("ProgID") or "").startswith("Excel."):
        return None
    return ole.get(f"{_R}id") or None


def _in_place(lines: list[str], mark: str, read: Callable[[str], list[str]]) -> list[str]:
    """The lines with each one left as ``mark`` + a reference (where a part of the package stands)
    replaced by the lines ``read`` makes of the reference."""
    if not any(ln.startswith(mark) for ln in lines):
        return lines
    out: list[str] = []
    for ln in lines:
        out.extend(read(ln[len(mark):]) if ln.startswith(mark) else [ln])
    return out


def _embedded_sheets(lines: list[str], data: bytes) -> list[str]:
    """An embedded worksheet's preview is only a picture of the workbook's cells: the sheet the
    object shows is read from the workbook (word/embeddings) in its place, never OCR'd; the
    preview stays a picture slot only when the workbook is missing or unreadable."""

    def sheet(ref: str) -> list[str]:
        from parsers.formats.xls import shown_sheet

        rid, n = ref.rsplit(":", 1)
        book = _media(data, rid)
        return (shown_sheet(book) if book else []) or [pictables.slot(int(n))]

    return _in_place(lines, _WORKBOOK, sheet)


def _chunks(lines: list[str], data: bytes) -> list[str]:
    """Imported chunks read in place: Word shows a w:altChunk's part (an HTML page, MHT, RTF,
    another DOCX: what OA systems export a table as) where it stands, so it is read by the reader
    of its own format.  A chunk that is missing or cannot be read leaves nothing."""

    def chunk(rid: str) -> list[str]:
        from parsers.extract import extract_text

        part = _media(data, rid)
        try:
            text = extract_text(part)[0] if part else ""
        except ParseError:
            text = ""
        return [t for t in text.split("\n") if t.strip()]

    return _in_place(lines, _CHUNK, chunk)


def _cell_text(tc) -> str:
    """A cell's text; a text box anchored in the cell adds its lines at the end."""
    if next(tc.iter(_TXBX), None) is None:
        return clean_cell("\n".join(_para_text(p) for p in tc.iter(_P)))
    paras = [p for p in tc.iter(_P) if not _below(p, tc, (_TXBX, _FALLBACK))]
    lines = [_para_text(p) for p in paras]
    for p in paras:
        for box in _boxes(p):
            _walk(box, lines, None)  # a picture inside a cell's box is not a cell's text
    return clean_cell("\n".join(lines))


def _plain_cell(tc) -> str:
    """_cell_text of a cell with no text box and no raised run."""
    return clean_cell("\n".join(_plain_text(p) for p in tc.iter(_P)))


def _continues(tc) -> bool:
    """Whether the cell continues a vertical merge (kept as "": a real cell position under a
    rowspan label)."""
    tcpr = _first(tc, _TCPR)
    vm = _first(tcpr, _VMERGE) if tcpr is not None else None
    return vm is not None and (vm.get(_VAL) or "continue") == "continue"


def _table_lines(tbl, out: list[str], pics: list[str] | None) -> None:
    """One tab line per row: one entry per <w:tc>, so a gridSpan cell is ONE entry.

    Word's table grids are irregular (a header cell spanning columns 0-4 above a row
    whose cells span 4-5), so expanding gridSpan to grid positions invents empty
    "cells" in the middle of number rows.  A vMerge continuation is kept as "" (it is a
    real cell position under a rowspan label).
    """
    rows: list[list[str]] = []
    # (iter() instead of find(".//"): ElementPath searches run in Python, once per cell)
    nested = next(islice(tbl.iter(_TBL), 1, None), None) is not None  # iter() yields tbl first
    # no text box and no raised run in the whole table: every cell reads as plain paragraphs
    plain = next(tbl.iter(_TXBX, _FALLBACK, _VERT_ALIGN), None) is None
    # the cells that hold a vMerge, from the table's few vMerge elements: only they can continue one
    # (`tc in merging` holds: lxml hands out the one proxy of an element while a reference to it lives)
    merging = {vm.getparent().getparent() for vm in tbl.iter(_VMERGE)}
    for tr in _own(tbl, _TR):
        row = []
        for tc in _own(tr, _TC):
            if nested and next(tc.iter(_TBL), None) is not None:  # layout table: walk the cells as body content
                for own_tr in _own(tbl, _TR):
                    for cell in _own(own_tr, _TC):
                        _walk(cell, out, pics)
                return
            if tc in merging and _continues(tc):
                row.append("")
            else:
                row.append(_plain_cell(tc) if plain else _cell_text(tc))
        rows.append(row)
    out.extend("\t".join(row) for row in rows if any(row))


def _own(parent, tag: str):
    """Children of ``parent`` with ``tag``, also those wrapped in content controls or custom XML.

    Forms with locked fields wrap rows (w:tbl/w:sdt/w:sdtContent/w:tr) or single cells
    (w:tr/w:sdt/w:sdtContent/w:tc) in content controls; Word shows them as plain cells.
    """
    for el in parent.iterchildren():
        if el.tag == tag:
            yield el
        elif el.tag in _TRANSPARENT:
            yield from _own(el, tag)


def _walk(container, out: list[str], pics: list[str] | None) -> None:
    """Body content in order; ``pics`` collects the relationship ids of pictures left as slots
    (None: pictures are passed over)."""
    for el in container.iterchildren():
        tag = el.tag
        if tag == _P:
            line = clean_line(_para_text(el).replace("\n", " "))
            if line:
                out.append(line)
            if pics is not None and next(el.iter(_BLIP, _IMAGEDATA), None) is not None:
                out.extend(_pictures(el, pics))
            if next(el.iter(_TXBX), None) is not None:
                for box in _boxes(el):  # anchored here: its paragraphs and tables follow the anchor's text
                    _walk(box, out, pics)
        elif tag == _TBL:
            _table_lines(el, out, pics)
        elif tag in _TRANSPARENT:
            _walk(el.find(_SDT_CONTENT) if tag == _SDT else el, out, pics)
        elif tag == _ALT_CHUNK and el.get(f"{_R}id"):
            out.append(f"{_CHUNK}{el.get(f'{_R}id')}")


_RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN = "word/document.xml"
# python-docx's own parser settings (docx.oxml.parser), so the tree is the one it would build
_XML = lxml.etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _sound_body(data: bytes):
    """The w:body of a package python-docx would open without complaint, and its styles part's
    root (None when it has none), else None.

    Checked like python-docx loads a package: every XML part parses, every internal
    relationship target exists, the officeDocument is word/document.xml of the WML type.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if not {"[Content_Types].xml", "_rels/.rels", _MAIN} <= names:
                return None
            trees = {n: lxml.etree.fromstring(limits.read_member(z, n, "DOCX"), _XML)
                     for n in names if n.endswith((".xml", ".rels"))}
            for el in trees["[Content_Types].xml"]:
                part = (el.get("PartName") or "").lstrip("/")
                if part in names and part not in trees and (el.get("ContentType") or "").endswith("xml"):
                    trees[part] = lxml.etree.fromstring(limits.read_member(z, part, "DOCX"), _XML)
    except ParseError:
        raise  # a part inflating past its limit: python-docx would inflate it whole
    except Exception:  # noqa: BLE001 - whatever it is, python-docx will name it
        return None
    main = [el.get("ContentType") for el in trees["[Content_Types].xml"] if el.get("PartName") == "/" + _MAIN]
    office = [r.get("Target") for r in trees["_rels/.rels"] if r.get("Type") == _RT_OFFICE_DOCUMENT]
    if main != [_CT_DOCUMENT] or [(t or "").lstrip("/") for t in office] != [_MAIN]:
        return None
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        base = "/" + posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> /word
        for rel in tree:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            path = posixpath.normpath(posixpath.join(base, target)).lstrip("/")
            if path not in names:
                return None
    root = trees[_MAIN]
    body = root.find(f"{W}body") if root.tag == f"{W}document" else None
    return None if body is None else (body, trees.get(_styles_part(trees)))


_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def _styles_part(trees: dict) -> str | None:
    """The name of the main part's styles part (word/styles.xml as Word writes it)."""
    for rel in trees.get("word/_rels/document.xml.rels", ()):
        if rel.get("Type") == _RT_STYLES and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("word", target))
    return None


def extract(data: bytes) -> str:
    limits.check_zip(data, "DOCX")
    sound = _sound_body(data)
    if sound is not None:
        body, styles = sound
        docxhidden.drop_unseen(body.getparent(), body, styles)
        out: list[str] = []
        pics: list[str] = []
        _walk(body, out, pics)
        out = _chunks(_embedded_sheets(out, data), data)
        return "\n".join(pictables.fill(out, lambda n: _media(data, pics[n])))
    import docx

    limits.check_members(data, "DOCX")  # python-docx reads every part whole
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ParseError(f"corrupt DOCX ({e})") from None
    except Exception as e:  # python-docx raises PackageNotFoundError and lxml errors
        why = known(e)
        raise ParseError(f"DOCX refused: {why}" if why else f"unreadable DOCX ({type(e).__name__})") from None
    docxhidden.drop_unseen(document.element, document.element.body, _styles_root(document))
    out: list[str] = []
    pics: list[str] = []
    _walk(document.element.body, out, pics)
    out = _chunks(_embedded_sheets(out, data), data)
    return "\n".join(pictables.fill(out, lambda n: _media(data, pics[n])))


def _styles_root(document):
    """python-docx's styles part's root, None when the package has none it can read."""
    try:
        return document.styles.element
    except Exception:  # noqa: BLE001 - no styles: direct formatting alone decides what is shown
        return None


def _media(data: bytes, rid: str) -> bytes | None:
    """The bytes of the main part's relationship ``rid`` (a picture), None if not in the package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            rels = lxml.etree.fromstring(limits.read_member(z, "word/_rels/document.xml.rels", "DOCX"), _XML)
            for rel in rels:
                if rel.get("Id") == rid and rel.get("TargetMode") != "External":
                    target = rel.get("Target") or ""
                    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join("word", target))
                    return limits.read_member(z, path, "DOCX")
    except (KeyError, zipfile.BadZipFile, lxml.etree.XMLSyntaxError, OSError):
        return None
    return None
