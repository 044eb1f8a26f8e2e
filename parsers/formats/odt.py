"""ODT (OpenDocument text, what LibreOffice and WPS save by default): LibreOffice -> DOCX, then the
DOCX reader, as RTF (formats/rtf.py): the same bounded converter, so merged cells survive and
hidden or struck text is left out by the DOCX reader's rule (docxhidden)."""

from __future__ import annotations

from parsers.errors import ParseError
from parsers.formats import doc, docx


def extract(data: bytes) -> str:
    try:
        converted = doc.soffice_to_docx(data, ".odt")
    except ParseError as e:
        raise ParseError(str(e).replace("Word document", "ODT document")) from None
    return docx.extract(converted)
