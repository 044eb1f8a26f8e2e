"""WPS Writer (.wps): an OLE compound file like .doc, so the .doc path (catdoc, then LibreOffice)."""

from __future__ import annotations

from parsers.formats import doc


def extract(data: bytes) -> str:
    return doc.extract(data, suffix=".wps")
