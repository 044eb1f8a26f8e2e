"""Turn archived bytes (stored as received, content coding intact) into the document bytes.

Blobs keep gzip bodies gzipped so the WARC stays faithful; anything that reads a document
(the parser, the crawler rebuilding a response after a 304) must undo Content-Encoding first.
"""

from __future__ import annotations

import gzip
import json
import zlib


class UndecodableBody(Exception):
    pass


def content_encoding(headers: list | str | None) -> list[str]:
    """Codings in the order they were applied; `headers` is a list of pairs or its JSON."""
    if isinstance(headers, str):
        headers = json.loads(headers)
    codings: list[str] = []
    for name, value in headers or []:
        if name.lower() == "content-encoding":
            codings += [c.strip().lower() for c in value.split(",") if c.strip()]
    return [c for c in codings if c not in ("identity", "")]


GZIP_MAGIC = b"\x1f\x8b"
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/x-tar", "application/x-compressed")


def _header(headers: list | str | None, name: str) -> str:
    if isinstance(headers, str):
        headers = json.loads(headers)
    return next((v for k, v in headers or [] if k.lower() == name), "")


def gunzip_undeclared(headers: list | str | None, body: bytes) -> bytes:
    """A body that is gzip although no Content-Encoding says so (a server gzipping its pages and
    forgetting the header, a cache storing the coded bytes): the document is what it unpacks to.
    A file the server says is an archive (application/gzip) stays one, and so does a body that
    only starts like gzip."""
    if body[:2] != GZIP_MAGIC or _header(headers, "content-type").split(";")[0].strip().lower() in GZIP_TYPES:
        return body
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return body


def decode_body(headers: list | str | None, body: bytes) -> bytes:
    """Undo content codings (last applied first).  A body that says gzip but is not stays as is
    (some servers label plain bodies gzip, a DOCX among them); a body that is gzip but does not say
    so is unpacked (`gunzip_undeclared`)."""
    for coding in reversed(content_encoding(headers)):
        if coding in ("gzip", "x-gzip"):
            if body[:2] != GZIP_MAGIC:
                continue  # some servers label plain bodies gzip
            body = gzip.decompress(body)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                try:
                    body = zlib.decompress(body, -zlib.MAX_WBITS)
                except zlib.error:
                    continue  # labelled deflate, sent plain
        elif coding == "br":
            try:
                import brotli  # type: ignore[import-not-found]
            except ImportError as err:
                raise UndecodableBody("brotli-encoded body and no brotli module") from err
            body = brotli.decompress(body)
        else:
            raise UndecodableBody(f"unknown content-encoding {coding!r}")
    return gunzip_undeclared(headers, body)
