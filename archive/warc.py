"""Append-only WARC 1.1 output, one file series per crawl run.

The WARC is the interchange copy of the archive (pywb, warcio, any wayback tool can
read it); the blob store is the working copy.  Records are written from what the
client received, so the HTTP header block is rebuilt, not replayed verbatim: the
client already removed chunked transfer coding, so Transfer-Encoding is dropped and
Content-Length is set to the length of the stored body.  What the client normalised is
stated in a `WARC-Nianbao-Note` header rather than hidden.

Re-fetches that return identical bytes are written as `revisit` records (profile
identical-payload-digest), so the WARC shows every fetch without storing the body twice.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROTATE_BYTES = 1 << 30  # start a new file of the run after 1 GiB

DROP_HEADERS = {"transfer-encoding", "content-length"}


@dataclass
class WarcPosition:
    file: str  # file name relative to the warc/ directory
    offset: int  # byte offset of the response/conversion/revisit record


def payload_digest(body: bytes) -> str:
    """The digest warcio writes as WARC-Payload-Digest (sha1, base32) — revisits must match it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(iso: str) -> str:
    """WARC-Date wants UTC with a trailing Z; accept any ISO-8601 the crawler hands in."""
    dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if dt.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return dt.strftime(fmt)


def _status_line(status: int) -> str:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    return f"{status} {reason}"


def response_headers(status: int, headers: list[tuple[str, str]], body_len: int) -> StatusAndHeaders:
    kept = [(k, v) for k, v in headers if k.lower() not in DROP_HEADERS]
    kept.append(("Content-Length", str(body_len)))
    return StatusAndHeaders(_status_line(status), kept, protocol="HTTP/1.1")


def request_headers(method: str, url: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    hdrs = list(headers)
    if not any(k.lower() == "host" for k, _ in hdrs):
        hdrs.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{method} {target} HTTP/1.1", hdrs, is_http_request=True)


class WarcSink:
    """Writes the records of one crawl run into `nianbao-<run_id>-NNNNN.warc.gz`."""

    def __init__(self, warc_dir: Path, run_id: str, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.dir = Path(warc_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self.rotate_bytes = rotate_bytes
        self.serial = 0
        while self._path(self.serial + 1).exists():
            self.serial += 1

    def _path(self, serial: int) -> Path:
        return self.dir / f"nianbao-{self.run_id}-{serial:05d}.warc.gz"

    def _current(self) -> Path:
        path = self._path(self.serial)
        if path.exists() and path.stat().st_size >= self.rotate_bytes:
            self.serial += 1
            path = self._path(self.serial)
        return path

    def _write(self, records: list, main_index: int) -> WarcPosition:
        """Append records; return where records[main_index] starts.  Each gzip member is one record."""
        path = self._current()
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True, warc_version="WARC/1.1")
        starts = []
        for rec in records:
            starts.append(buf.tell())
            writer.write_record(rec)
        with open(path, "ab") as fh:
            base = fh.tell()
            fh.write(buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        return WarcPosition(path.name, base + starts[main_index])

    def _base_headers(self, fetched_at: str, note: str | None, extra: dict | None = None) -> dict:
        d = {"WARC-Date": warc_date(fetched_at)}
        if note:
            d["WARC-Nianbao-Note"] = note
        if extra:
            d.update(extra)
        return d

    def write_exchange(
        self,
        *,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: str,
        method: str = "GET",
        req_headers: list[tuple[str, str]] | None = None,
        note: str | None = None,
        revisit_of: tuple[str, str] | None = None,
        extra: dict | None = None,
    ) -> WarcPosition:
        """A request + response pair; `revisit_of=(uri, date)` writes a revisit instead of a response."""
        writer = WARCWriter(io.BytesIO(), gzip=True, warc_version="WARC/1.1")
        http = response_headers(status, headers, len(body))
        wh = self._base_headers(fetched_at, note, extra)
        if revisit_of is not None:
            # the http headers of this fetch are kept, the payload is not (it equals the earlier one)
            http.replace_header("Content-Length", str(len(body)))
            resp = writer.create_revisit_record(
                url, payload_digest(body), revisit_of[0], warc_date(revisit_of[1]),
                http_headers=http, warc_headers_dict=wh,
            )
        else:
            resp = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=http, warc_headers_dict=wh,
            )
        req = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=request_headers(method, url, req_headers or []),
            warc_headers_dict={
                "WARC-Date": warc_date(fetched_at),
                "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        return self._write([resp, req], 0)

    def write_conversion(
        self, *, url: str, body: bytes, fetched_at: str, content_type: str = "text/html; charset=utf-8",
        note: str | None = None, extra: dict | None = None,
    ) -> WarcPosition:
        """A browser-rendered DOM: not what the server sent, so not a `response`."""
        writer = WARCWriter(io.BytesIO(), gzip=True, warc_version="WARC/1.1")
        wh = self._base_headers(fetched_at, note, extra)
        wh["WARC-Refers-To-Target-URI"] = url
        rec = writer.create_warc_record(
            url, "conversion", payload=io.BytesIO(body), length=len(body), warc_content_type=content_type,
            warc_headers_dict=wh,
        )
        return self._write([rec], 0)
