"""Append-only WARC 1.1 output, one file series per crawl run and writing process.

The WARC is the interchange copy of the archive (pywb, warcio, any wayback tool can
read it); the blob store is the working copy.  Records are written from what the
client received, so the HTTP header block is rebuilt, not replayed verbatim: the
client already removed chunked transfer coding, so Content-Length is set to the length of the
stored body; a received Transfer-Encoding (or a Content-Length other than the stored length) is kept
as `X-Crawler-<name>`, and an answer that named no length says so in `WARC-Nianbao-Note`.  What the
client normalised is stated in that note rather than hidden.

Re-fetches that return identical bytes are written as `revisit` records (profile
identical-payload-digest), so the WARC shows every fetch without storing the body twice.  A 304
to a conditional re-crawl is a `revisit` too (profile server-not-modified) with an empty block:
replay tools (pywb) serve a revisit's own HTTP headers when it has any, and a 304 status line
there would replay as an empty 304 instead of the archived bytes; the 304's status and headers
are kept in `WARC-Nianbao-HTTP-Response` instead.  Every revisit names its original by URI, date
and record id (read from the original record itself, which is the only sure source of the URI it
was filed under).

Each file starts with a `warcinfo` record (software, run, spider, operator, format) and every
record names it in `WARC-Warcinfo-ID`.

Crash safety: a sink only ever appends to files it created itself (a fresh serial on every
start), so a file left with a torn last record by a killed process is never extended.  Each
record is its own gzip member, which is what lets `check_warc` find the last whole record and
`repair_warc` cut a torn tail off (warcio itself reads a truncated member without complaint).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import io
import json
import logging
import os
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.posted import warc_target

logger = logging.getLogger(__name__)

ROTATE_BYTES = 1 << 30  # start a new file of the run after 1 GiB

DROP_HEADERS = {"transfer-encoding", "content-length"}

PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
WARC_1_1_SPEC = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


@dataclass
class WarcPosition:
    file: str  # file name relative to the warc/ directory
    offset: int  # byte offset of the response/conversion/revisit record


@dataclass
class Original:
    """The record a revisit points back to."""

    uri: str  # its WARC-Target-URI
    date: str  # its WARC-Date (or any ISO-8601 time, normalised on writing)
    digest: str  # its WARC-Payload-Digest: replay tools find the original by URI + digest
    record_id: str | None = None


def read_original(path: Path, offset: int) -> Original | None:
    """The identity of the record at `offset` of a WARC file, or None if it cannot be read."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            rec = next(iter(ArchiveIterator(fh)))
            h = rec.rec_headers
            uri, date = h.get_header("WARC-Target-URI"), h.get_header("WARC-Date")
            digest = h.get_header("WARC-Payload-Digest")
            if not digest:  # warcio only writes it for http records and declared payloads
                digest = payload_digest(rec.content_stream().read())
            if not uri or not date:
                return None
            return Original(uri, date, digest, h.get_header("WARC-Record-ID"))
    except (OSError, StopIteration, ValueError, EOFError) as exc:
        logger.warning("cannot read the original record at %s@%d: %s", path, offset, exc)
        return None
    except Exception as exc:  # warcio raises its own errors on a damaged record
        logger.warning("cannot read the original record at %s@%d: %s: %s", path, offset, type(exc).__name__, exc)
        return None


def record_whole(path: Path, offset: int, chunk: int = 1 << 16) -> bool:
    """Does the gzip member (one record) at `offset` decompress to its end, CRC checked?  A record
    whose header reads fine may still have its payload cut (a truncated file): a revisit must never
    point at it, replay tools then send a Content-Length they cannot deliver and hang the client.
    Every 304 of a re-crawl asks this of its snapshot's record, mostly a page of a few KB: read in
    1 MB chunks, each check copied a megabyte of the WARC behind the record (0.8 ms a 304, 20x
    what 64 KB chunks cost)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return next(_members(fh, chunk), None) is not None  # the first member, read to its end
    except (OSError, ValueError):  # ValueError: torn or corrupt (`_members`)
        return False


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


# the header block holds what the stored payload needs (de-chunked, its own length); a received framing
# header it had to change is kept under this prefix (as warcprox and wget mark what they rewrite)
ORIGINAL_PREFIX = "X-Crawler-"
# said in WARC-Nianbao-Note when the answer named no length at all (Twisted drops a chunked answer's
# Transfer-Encoding before the crawler sees the headers): the block's Content-Length is the archive's
LENGTH_ADDED = "Content-Length set to the stored length: the answer came without one (chunked or read to its close)"


def response_headers(status: int, headers: list[tuple[str, str]], body_len: int) -> StatusAndHeaders:
    kept = []
    for k, v in headers:
        if k.lower() == "transfer-encoding" or (k.lower() == "content-length" and v.strip() != str(body_len)):
            kept.append((ORIGINAL_PREFIX + k, v))  # what was received, marked as no longer describing the block
        elif k.lower() not in DROP_HEADERS:
            kept.append((k, v))
    kept.append(("Content-Length", str(body_len)))
    return StatusAndHeaders(_status_line(status), kept, protocol="HTTP/1.1")


def length_added(headers: list[tuple[str, str]]) -> bool:
    """Whether the received headers named no length nor framing (see LENGTH_ADDED)."""
    return not any(k.lower() in DROP_HEADERS for k, _ in headers)


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
    """Writes one process's records of one crawl run into `nianbao-<series>-NNNNN.warc.gz`.

    `series` is "<run_id>-<writer tag>" (see Archive): two processes never share a file, since
    offsets taken with tell() before an append are only right when nobody else appends.
    """

    def __init__(self, warc_dir: Path, run_id: str, rotate_bytes: int = ROTATE_BYTES,
                 info: dict[str, str] | None = None) -> None:
        self.dir = Path(warc_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self.rotate_bytes = rotate_bytes
        self.info = dict(info or {})  # the warcinfo fields that start every file of the series
        self._warcinfo_id: dict[str, str] = {}  # file name -> the id of its warcinfo record
        # never reopen an existing file of the series: it may end in a record torn by a crash
        self.serial = 0
        while self._path(self.serial).exists():
            self.serial += 1
        self._fh = None  # the file being appended to, flocked shared while this process lives
        self._fh_path: Path | None = None
        # group commit (Archive.record_batch): while set, appends are not fsynced one by one; `sync()`
        # makes them durable at once, before the rows naming them commit
        self.defer_sync = False
        self._unsynced = False
        # appends, syncs and closes: the archive writer appends a batch's records without the archive's
        # connection lock (Archive._commit_batch), so the sink guards its own file
        self.lock = threading.RLock()

    def _path(self, serial: int) -> Path:
        return self.dir / f"nianbao-{self.run_id}-{serial:05d}.warc.gz"

    def _current(self) -> Path:
        path = self._path(self.serial)
        if path.exists() and path.stat().st_size >= self.rotate_bytes:
            self.serial += 1
            path = self._path(self.serial)
        return path

    def _warcinfo(self, writer: WARCWriter, path: Path):
        fields = {"software": None, "format": "WARC File Format 1.1", "conformsTo": WARC_1_1_SPEC,
                  **self.info}
        fields.setdefault("isPartOf", self.run_id)
        rec = writer.create_warcinfo_record(path.name, {k: v for k, v in fields.items() if v})
        self._warcinfo_id[path.name] = rec.rec_headers.get_header("WARC-Record-ID")
        return rec

    def _write(self, records: list, main_index: int) -> WarcPosition:
        """Append records; return where records[main_index] starts.  Each gzip member is one record.
        A file this sink starts gets its warcinfo record first."""
        with self.lock:
            return self._append(records, main_index)

    def _append(self, records: list, main_index: int) -> WarcPosition:
        path = self._current()
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True, warc_version="WARC/1.1")
        if path.name not in self._warcinfo_id and (not path.exists() or path.stat().st_size == 0):
            records = [self._warcinfo(writer, path), *records]
            main_index += 1
        info_id = self._warcinfo_id.get(path.name)
        if info_id:
            for rec in records:
                if rec.rec_type != "warcinfo":
                    rec.rec_headers.add_header("WARC-Warcinfo-ID", info_id)
        starts = []
        for rec in records:
            starts.append(buf.tell())
            writer.write_record(rec)
        fh = self._open(path)
        base = fh.seek(0, os.SEEK_END)
        fh.write(buf.getvalue())
        fh.flush()
        self._unsynced = True
        if not self.defer_sync:
            self.sync()
        return WarcPosition(path.name, base + starts[main_index])

    def sync(self) -> None:
        """Make every record appended so far durable (one fsync for all those written since the last)."""
        with self.lock:
            if self._fh is not None and self._unsynced:
                os.fsync(self._fh.fileno())
            self._unsynced = False

    def detach_sync(self) -> int | None:
        """For a sync outside the caller's lock: a duplicate of the current file's descriptor to fsync
        (the caller closes it), with the records appended so far counted as synced; None when nothing
        is waiting.  The duplicate stays valid if the file is rotated meanwhile (its close syncs it
        too), and a record appended after this call is left unsynced for the next `sync`."""
        with self.lock:
            if self._fh is None or not self._unsynced:
                return None
            self._unsynced = False
            return os.dup(self._fh.fileno())

    def mark_unsynced(self) -> None:
        """A detached sync failed: the records appended so far are not known durable."""
        self._unsynced = True

    def _open(self, path: Path):
        """Keep the current file open with a shared flock: `writer_alive` tells repairs to keep off."""
        if self._fh_path != path:
            self.close()
            self._fh = open(path, "ab")  # noqa: SIM115 - held open across writes on purpose
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_SH)
            self._fh_path = path
        return self._fh

    def close(self) -> None:
        with self.lock:
            if self._fh is not None:
                self.sync()  # a file left for the next one (rotation) keeps the promise of its records
                self._fh.close()
            self._fh, self._fh_path = None, None

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
        req_body: bytes | None = None,
        note: str | None = None,
        revisit_of: Original | None = None,
        extra: dict | None = None,
    ) -> WarcPosition:
        """A request + response pair; `revisit_of` writes a revisit instead of a response.

        A 304 with an original becomes a server-not-modified revisit without HTTP headers (see the
        module docstring); identical bytes an identical-payload-digest revisit with this fetch's
        headers (its status is the original's, so replaying them is right).  A POSTed document
        (archive/posted.py) is filed under the URL its form went to, the request record holding the form."""
        writer = WARCWriter(io.BytesIO(), gzip=True, warc_version="WARC/1.1")
        if warc_target(url) != url:
            extra = {**(extra or {}), "WARC-Nianbao-Requested-URI": (extra or {}).get("WARC-Nianbao-Requested-URI") or url}
            url = warc_target(url)
        http = response_headers(status, headers, len(body))
        if length_added(headers) and not (revisit_of is not None and status == 304):
            note = "; ".join(filter(None, [note, LENGTH_ADDED]))
        wh = self._base_headers(fetched_at, note, extra)
        if revisit_of is not None and status == 304:
            wh["WARC-Nianbao-HTTP-Response"] = json.dumps(
                {"status": _status_line(status), "headers": [list(h) for h in headers]}, ensure_ascii=True)
            resp = self._revisit(writer, url, revisit_of, wh, PROFILE_NOT_MODIFIED)
        elif revisit_of is not None:
            # the http headers of this fetch are kept, the payload is not (it equals the earlier one)
            resp = self._revisit(writer, url, revisit_of, wh, PROFILE_IDENTICAL, http_headers=http)
        else:
            resp = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=http, warc_headers_dict=wh,
            )
        req = writer.create_warc_record(
            url, "request", payload=io.BytesIO(req_body or b""), length=len(req_body or b""),
            http_headers=request_headers(method, url, req_headers or []),
            warc_headers_dict={
                "WARC-Date": warc_date(fetched_at),
                "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        return self._write([resp, req], 0)

    @staticmethod
    def _revisit(writer: WARCWriter, url: str, original: Original, wh: dict, profile: str,
                 http_headers: StatusAndHeaders | None = None):
        if original.record_id:
            wh = {**wh, "WARC-Refers-To": original.record_id}
        rec = writer.create_revisit_record(url, original.digest, warc_target(original.uri), warc_date(original.date),
                                           http_headers=http_headers, warc_headers_dict=wh)
        rec.rec_headers.replace_header("WARC-Profile", profile)
        return rec

    def write_conversion(
        self, *, url: str, body: bytes, fetched_at: str, content_type: str = "text/html; charset=utf-8",
        note: str | None = None, extra: dict | None = None, revisit_of: Original | None = None,
    ) -> WarcPosition:
        """A browser-rendered DOM: not what the server sent, so not a `response`.  The same DOM
        rendered again is a revisit of the first conversion record (no second copy)."""
        writer = WARCWriter(io.BytesIO(), gzip=True, warc_version="WARC/1.1")
        wh = self._base_headers(fetched_at, note, extra)
        if revisit_of is not None:
            return self._write([self._revisit(writer, url, revisit_of, wh, PROFILE_IDENTICAL)], 0)
        wh["WARC-Refers-To-Target-URI"] = url
        rec = writer.create_warc_record(
            url, "conversion", payload=io.BytesIO(body), length=len(body), warc_content_type=content_type,
            warc_headers_dict=wh,
        )
        return self._write([rec], 0)


# -- checking and repairing files a crash may have torn -------------------------------------------

@dataclass
class Payload:
    """A record's payload as stored, hashed while it streamed past (never held whole): what `nianbao
    verify` compares with the snapshot's blob and with the record's own WARC-Payload-Digest."""

    rec_type: str
    uri: str | None
    claimed: str | None  # its WARC-Payload-Digest header
    sha256: str  # hex, as blobs are named
    sha1: str  # "sha1:<base32>", as warcio writes WARC-Payload-Digest
    length: int

    def claim_disagrees(self) -> bool:
        """The WARC-Payload-Digest names other bytes than the payload (a revisit's names its original's;
        a digest in an algorithm not computed here is not judged)."""
        if not self.claimed or self.rec_type == "revisit":
            return False
        algo, _, value = self.claimed.partition(":")
        if algo.lower() == "sha1":
            return value.upper() != self.sha1.split(":", 1)[1]
        if algo.lower() == "sha256":
            as_hex = value.lower() if len(value) == 64 else _b32_hex(value)
            return as_hex != self.sha256
        return False


def _b32_hex(value: str) -> str | None:
    try:
        return base64.b32decode(value.upper()).hex()
    except ValueError:
        return None


def hash_payload(rec) -> Payload:
    """Stream a warcio record's payload (as stored: an HTTP body still compressed stays so) through both
    digests, in 64 KB chunks."""
    h256, h1, n = hashlib.sha256(), hashlib.sha1(), 0
    while chunk := rec.raw_stream.read(1 << 16):
        h256.update(chunk)
        h1.update(chunk)
        n += len(chunk)
    headers = rec.rec_headers
    return Payload(rec.rec_type, headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Payload-Digest"),
                   h256.hexdigest(), "sha1:" + base64.b32encode(h1.digest()).decode("ascii"), n)


def payload_at(path: Path, offset: int) -> Payload | str:
    """The payload of the one record starting at `offset` (its gzip member read whole first, CRC
    checked), or why there is none: what a snapshot row names beyond a damaged member of its file."""
    from warcio.archiveiterator import ArchiveIterator

    if not record_whole(path, offset):
        return f"no whole record starts at byte {offset}"
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return hash_payload(next(iter(ArchiveIterator(fh))))
    except Exception as exc:  # warcio raises its own errors on a malformed record
        return f"the record at byte {offset} does not read: {type(exc).__name__}: {exc}"


@dataclass
class WarcCheck:
    path: Path
    size: int
    records: int  # whole records in the good prefix
    good_bytes: int  # where the last whole record ends
    problem: str | None = None
    # (offset, record type, WARC headers) of each whole record, when asked for (`check_warc(index=True)`)
    index: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return self.problem is not None


def _members(fh, chunk: int = 1 << 20):
    """(start, end) of each complete gzip member; raises ValueError at the first torn or corrupt one."""
    pos = start = 0
    d = zlib.decompressobj(31)
    fed = False
    while True:
        data = fh.read(chunk)
        if not data:
            break
        while data:
            fed = True
            try:
                d.decompress(data, 0)
            except zlib.error as exc:
                raise ValueError(f"corrupt gzip member at offset {start}: {exc}") from exc
            if d.eof:
                rest = d.unused_data
                end = pos + len(data) - len(rest)
                yield start, end
                pos = start = end
                data = rest
                d = zlib.decompressobj(31)
                fed = False
            else:
                pos += len(data)
                data = b""
    if fed and pos > start:
        raise ValueError(f"truncated gzip member at offset {start} ({pos - start} bytes)")


def check_warc(path: Path, index: bool = False,
               payloads: Callable[[int, Payload], None] | None = None) -> WarcCheck:
    """Walk the gzip members, then have warcio parse the whole-member prefix record by record.
    `index`: also list each whole record's offset, type and WARC headers (recovery compares them with
    the rows: a record no row names is a capture the database lost, see archive/mend.py).  `payloads`:
    called with each whole record's offset and its payload hashed as it streamed past (`Payload`, for
    `nianbao verify`; nothing of it is kept here)."""
    from warcio.archiveiterator import ArchiveIterator

    path = Path(path)
    size = path.stat().st_size
    good, problem = 0, None
    with open(path, "rb") as fh:
        try:
            for _, end in _members(fh):
                good = end
        except ValueError as exc:
            problem = str(exc)
    records = 0
    listed: list[tuple[int, str, dict[str, str]]] = []
    with open(path, "rb") as fh:
        try:
            it = ArchiveIterator(_Prefix(fh, good))
            for rec in it:
                # the record's bytes as stored: decoding the HTTP body (gzip/br/chunked) is no test of the
                # WARC and would inflate a server's compression bomb (warcio's brotli path even raises)
                if payloads is not None:
                    found = hash_payload(rec)
                else:
                    while rec.raw_stream.read(1 << 16):
                        pass
                if index:
                    listed.append((it.get_record_offset(), rec.rec_type, dict(rec.rec_headers.headers)))
                if payloads is not None:
                    payloads(it.get_record_offset(), found)
                records += 1
        except Exception as exc:  # warcio raises its own and stdlib errors on a malformed record
            problem = problem or f"unreadable record after {records} records: {type(exc).__name__}: {exc}"
    return WarcCheck(path, size, records, good, problem, listed)


class _Prefix(io.RawIOBase):
    """The first `limit` bytes of a file, so warcio never sees the torn tail."""

    def __init__(self, fh, limit: int) -> None:
        self.fh, self.left = fh, limit

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), self.left)
        if n <= 0:
            return 0
        data = self.fh.read(n)
        b[:len(data)] = data
        self.left -= len(data)
        return len(data)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def writer_alive(path: Path) -> bool:
    """Does a live process still hold this WARC file open for appending (WarcSink's shared flock)?"""
    with open(path, "rb") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def repair_warc(check: WarcCheck) -> Path | None:
    """Cut a torn tail off a WARC whose writer is gone; the cut bytes are kept beside it as
    `<name>.torn-<offset>` (evidence, never read as WARC).  Returns that file, or None if whole.

    Only the tail after the last whole record goes: the archive commits a row only after its
    record was fsynced, so no snapshot or fetch row ever points into the cut part.  A file a
    live writer holds is never touched (its "torn" tail may be a record being written)."""
    if not check.damaged or check.good_bytes >= check.size:
        return None
    tail = check.path.with_name(f"{check.path.name}.torn-{check.good_bytes}")
    with open(check.path, "r+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.warning("WARC %s looks torn but a live process is writing it: left alone", check.path.name)
            return None
        fh.seek(check.good_bytes)
        cut = fh.read()
        # the tail is durable under its name before the file is shortened: a kill between the two steps
        # leaves the file as it was (the next recovery cuts it again, to the same tail)
        if not (tail.exists() and tail.read_bytes() == cut):
            tmp = tail.with_name(f".{tail.name}.tmp")
            with open(tmp, "wb") as out:
                out.write(cut)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, tail)
            _fsync_dir(tail.parent)
        fh.truncate(check.good_bytes)
        fh.flush()
        os.fsync(fh.fileno())
    logger.warning("WARC %s ended in a torn record (%s): cut at byte %d, %d bytes kept in %s",
                   check.path.name, check.problem, check.good_bytes, check.size - check.good_bytes, tail.name)
    return tail
