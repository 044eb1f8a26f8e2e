"""ODT (OpenDocument text, what LibreOffice and WPS save by default): LibreOffice -> DOCX, then the
DOCX reader, as RTF (formats/rtf.py): the same bounded converter, so merged cells survive and
hidden or struck text is left out by the DOCX reader's rule (docxhidden)."""

from __future__ import annotations

from parsers.formats import doc


def extract(data: bytes) -> str:
    return doc.via_docx(data, ".odt", "ODT")
