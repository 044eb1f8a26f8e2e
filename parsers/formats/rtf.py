"""RTF (portals serve Word's and WPS's .rtf): LibreOffice -> DOCX, then the DOCX reader.

The same bounded converter as legacy .doc (formats/doc.py: private profile, time limit,
the whole soffice process group killed on a time-out), so merged table cells survive.
No size limit of its own: pictures make RTF files large (hex), the converter's time limit
bounds the work.
"""

from __future__ import annotations

from parsers.formats import doc


def extract(data: bytes) -> str:
    return doc.via_docx(data, ".rtf", "RTF")
