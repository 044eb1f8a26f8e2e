"""What servers say about their bytes, checked against the bytes (downloader middlewares).

Government servers mislabel their answers in a few recurring ways, and believing the label loses
the page or the file:
- `Content-Encoding: gzip` over plain bytes (a DOCX, say): Scrapy's decompression raises
  BadGzipFile and the file is lost, though the bytes as received are the file;
- a gzip body without `Content-Encoding`: the page is read as binary noise;
- `Content-Type: text/html; charset=UTF-8` over GBK bytes whose own `<meta charset>` names GBK:
  every link text is mojibake, so no 年报 column is ever recognised.

`CodingMiddleware` sits between RedirectMiddleware (600) and HttpCompressionMiddleware (590);
`CharsetMiddleware` below the decompression (it reads the page's bytes).  The archive (650) has
already recorded the bytes as received, header and all; these only change what the spider reads.
`TransferSizes` (an extension) keeps each request's expected and received byte counts, so a
transfer cut short says how short (`truncation`).
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from typing import Any

from scrapy import Request, signals
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.responsetypes import responsetypes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

from archive.content import GZIP_MAGIC, GZIP_TYPES

logger = logging.getLogger(__name__)

# the GB family: a page declaring any of them is read as GB18030, their superset
GB_FAMILY = {"gbk", "gb2312", "gb18030", "gb_2312-80", "cp936", "euc-cn", "hz-gb-2312"}
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
GOT, EXPECTED = "nianbao_bytes_got", "nianbao_bytes_expected"
CHUNKED = "nianbao_no_length"  # no Content-Length announced (chunked): none to fall short of


def _codings(response: Response) -> list[bytes]:
    return [c.strip().lower() for v in response.headers.getlist(b"Content-Encoding") for c in v.split(b",")
            if c.strip()]


def false_coding(coding: bytes, body: bytes) -> bool:
    """The body is not in the coding its header names (checked for gzip and deflate only)."""
    if coding in (b"gzip", b"x-gzip"):
        return body[:2] != GZIP_MAGIC
    if coding == b"deflate":
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                zlib.decompressobj(wbits).decompress(body[:4096])
                return False
            except zlib.error:
                continue
        return True
    return False


def undeclared_gzip(response: Response) -> bytes | None:
    """The unpacked body of a gzip answer that does not say it is one, else None.  A file the
    server calls an archive (application/gzip, a .gz/.tgz URL) stays as it is."""
    body = response.body
    if body[:2] != GZIP_MAGIC or _codings(response):
        return None
    ctype = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().decode("latin-1").lower()
    if ctype in GZIP_TYPES or re.search(r"\.(?:gz|tgz|tar)$", response.url.split("?")[0], re.I):
        return None
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return None


def note(crawler: Any, request: Request, url: str, kind: str, text: str) -> None:
    """A `note:` row for the request's source, once per source and kind, by the spider walking it."""
    from crawler.navigation import family_spider, source_id_of

    sid = source_id_of(crawler.spider, request)
    record = getattr(family_spider(crawler.spider, sid), "record_note", None)
    if record is not None:
        record(sid, url, kind, text)


def forced_encoding(crawler: Any, request: Request) -> str | None:
    """The entry's overrides.encoding, when its registry entry sets one."""
    from crawler.navigation import family_spider, source_id_of

    sid = source_id_of(crawler.spider, request)
    spider = family_spider(crawler.spider, sid)
    source = getattr(spider, "sources", {}).get(sid)
    return (getattr(source, "overrides", None) or {}).get("encoding") if source is not None else None


class CrawlerBound:
    """A downloader middleware that keeps its crawler (for stats, notes and the archive)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class CodingMiddleware(CrawlerBound):
    """A Content-Encoding the body is not in is dropped (the bytes as received are the document);
    a gzip body nobody declared is unpacked.  Both are logged and counted; the archived record keeps
    the server's answer as it came."""

    def process_response(self, request: Request, response: Response) -> Response:
        if "playwright" in response.flags or request.method == "HEAD":
            return response
        codings = _codings(response)
        if codings and false_coding(codings[-1], response.body):
            logger.info("%s: Content-Encoding %s over bytes that are not: read as received", response.url,
                        b", ".join(codings).decode("latin-1"))
            self.crawler.stats.inc_value("nianbao/false_content_encoding")
            headers = response.headers.copy()
            del headers[b"Content-Encoding"]
            return response.replace(headers=headers, flags=[*response.flags, "false-content-encoding"])
        unpacked = undeclared_gzip(response)
        if unpacked is None:
            return response
        logger.info("%s: gzip body without Content-Encoding, unpacked", response.url)
        self.crawler.stats.inc_value("nianbao/undeclared_gzip")
        cls = responsetypes.from_args(headers=response.headers, url=response.url, body=unpacked)
        return response.replace(cls=cls, body=unpacked, flags=[*response.flags, "undeclared-gzip"])


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def badly_broken(body: bytes, encoding: str) -> bool:
    """Many undecodable sequences, not one broken character (a truncated title in a real UTF-8
    page must not turn the whole page into GB18030 mojibake)."""
    text = body.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    wide = sum(1 for ch in text if ord(ch) > 127)
    return bad > 10 or (bad > 2 and bad / max(wide, 1) > 0.2)


def charset_instead(response: Response) -> tuple[str, str, str] | None:
    """(header's charset, the page's, the one to read it by) when the header's charset cannot
    decode the bytes: the page's own <meta charset> when that decodes them, else GB18030 when
    that does (the usual truth behind a lying UTF-8 header on a Chinese site).  None: the header
    holds, or nothing better is known."""
    if not isinstance(response, TextResponse) or "playwright" in response.flags:
        return None
    header = http_content_type_encoding((response.headers.get(b"Content-Type") or b"").decode("latin-1"))
    if not header:
        return None
    body = response.body
    if _decodes(body, header):
        return None
    declared = html_body_declared_encoding(body)
    meta = resolve_encoding(declared) if declared else None
    candidates = []
    if meta and meta != header:
        candidates.append("gb18030" if meta in GB_FAMILY else meta)
    if badly_broken(body, header):  # detection only for bytes far from the header's charset
        candidates.append("gb18030")
    for enc in candidates:
        if enc != header and _decodes(body, enc):
            named = META_CHARSET.search(body[:4096])  # as the page wrote it (w3lib gives the resolved name)
            return header, named.group(1).decode("latin-1") if named else declared or "(none)", enc
    return None


class CharsetMiddleware(CrawlerBound):
    """A page whose header names a charset its bytes are not in is read by the one they are in
    (`charset_instead`), and the source gets a `note:` saying so, once."""

    def process_response(self, request: Request, response: Response) -> Response:
        if forced_encoding(self.crawler, request):
            return response  # the registry entry says how to read this portal (BaseSpider.decoded)
        found = charset_instead(response)
        if found is None:
            return response
        header, meta, used = found
        self.crawler.stats.inc_value("nianbao/charset_mismatch")
        note(self.crawler, request, response.url, "charset",
             f"header says charset={header} but the bytes are not {header} (the page's meta says {meta}):"
             f" pages read as {used}")
        cls = HtmlResponse if isinstance(response, HtmlResponse) else type(response)
        return response.replace(cls=cls, encoding=used)


class TransferSizes:
    """Per request: the Content-Length announced and the bytes that arrived (request meta), so a
    download cut short is reported as `truncated: got N of M bytes`, not as a connection reset."""

    def __init__(self, crawler) -> None:
        crawler.signals.connect(self.reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def reached(self, request: Request, spider: Any = None) -> None:
        # a retry copies the meta: the last attempt's counts are not this one's
        request.meta.pop(GOT, None)
        request.meta.pop(EXPECTED, None)
        request.meta.pop(CHUNKED, None)

    def headers_received(self, headers: Any, body_length: int, request: Request, spider: Any = None) -> None:
        request.meta[GOT] = 0
        # Twisted announces a body without Content-Length (chunked, read to close) as its
        # UNKNOWN_LENGTH, a string constant: no length was announced, nothing to check
        if isinstance(body_length, int) and body_length >= 0:
            request.meta[EXPECTED] = body_length
        else:
            # chunked or read to close (Twisted keeps Transfer-Encoding out of these headers); a body
            # read to close cannot lose data, so a data loss here is a broken chunked body
            request.meta[CHUNKED] = True

    def bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        request.meta[GOT] = request.meta.get(GOT, 0) + len(data)


def truncation(request: Request) -> str | None:
    """`truncated: got N of M bytes` for a request whose body ended short of its Content-Length."""
    got, expected = request.meta.get(GOT), request.meta.get(EXPECTED)
    if got is None or not expected or got >= expected:
        return None
    return f"truncated: got {got} of {expected} bytes"


def broken_wire(name: str, text: str, request: Request) -> str | None:
    """The failure in words when the bytes on the wire were not (complete) HTTP, else None: Twisted
    reports these as its Failure reprs with the raw bytes, or as a bare "connection reset"."""
    if "ParseError" in text or name == "ParseError":
        if "\\x16\\x03" in text:
            return "not HTTP: the server answered with TLS bytes (an https server behind an http URL?)"
        return "not HTTP: the reply has no HTTP status line (an HTTP/0.9 or non-HTTP answer)"
    lowered = (name + " " + text).lower()
    if request.meta.get(CHUNKED) and any(k in lowered for k in ("dataloss", "chunk", "connectionlost",
                                                                 "connection was closed")):
        got = request.meta.get(GOT)
        return ("truncated: the chunked body broke off (a malformed chunk size, or the connection closed"
                f" before the last chunk){f' after {got} bytes' if got else ''}")
    if GOT not in request.meta and ("connectiondone" in lowered or "closed cleanly" in lowered):
        return ("no answer: the connection closed before a complete response header (by the server, or by"
                " the crawler on a header line over Twisted's 16 KB limit)")
    return None
