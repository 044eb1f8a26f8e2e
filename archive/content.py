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


def decode_body(headers: list | str | None, body: bytes) -> bytes:
    """Undo content codings (last applied first).  A body that says gzip but is not stays as is."""
    for coding in reversed(content_encoding(headers)):
        if coding in ("gzip", "x-gzip"):
            if body[:2] != b"\x1f\x8b":
                continue  # some servers label plain bodies gzip
            body = gzip.decompress(body)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif coding == "br":
            try:
                import brotli  # type: ignore[import-not-found]
            except ImportError as err:
                raise UndecodableBody("brotli-encoded body and no brotli module") from err
            body = brotli.decompress(body)
        else:
            raise UndecodableBody(f"unknown content-encoding {coding!r}")
    return body
