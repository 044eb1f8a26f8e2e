"""RTF (portals serve Word's and WPS's .rtf): LibreOffice -> DOCX, then the DOCX reader.

The same bounded converter as legacy .doc (formats/doc.py: private profile, time limit,
the whole soffice process group killed on a time-out), so merged table cells survive.
No size limit of its own: pictures make RTF files large (hex), the converter's time limit
bounds the work.
"""

from __future__ import annotations

from parsers.errors import ParseError
from parsers.formats import doc, docx


def extract(data: bytes) -> str:
    try:
        converted = doc.soffice_to_docx(data, ".rtf")
    except ParseError as e:
        raise ParseError(str(e).replace("Word document", "RTF document")) from None
    return docx.extract(converted)
