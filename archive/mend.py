"""Recovery's second half: after torn tails are cut, make a run's rows and its WARC records agree again.

A run's bytes and rows can part two ways, and both are mended here, in one transaction per run, so a
kill at any point leaves the old state (the next recovery does it all again) or the new one:

* rows naming a record that is gone (cut off a torn tail, or written past the end by a repair that was
  itself killed): a whole re-written copy of the record that a killed repair left behind is adopted,
  else the record is written again from its blob (`Archive._rewrite`); the fetch rows of that record
  follow it, any other fetch row into the cut bytes loses its WARC reference;
* whole records no row names, written by a run that died between its WARC fsync and its commit: the
  record holds what the crawl would have recorded (URL, status, headers, payload, date, its request),
  so its rows are written from it, and the next crawl revisits the capture instead of downloading it
  again beside a capture the database does not know.

The notes (what was cut, re-written, adopted) are crawl_errors rows committed with the mending itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from archive.warc import LENGTH_ADDED, ORIGINAL_PREFIX, WarcCheck, WarcPosition, WarcSink, payload_digest

if TYPE_CHECKING:
    from archive.store import Archive

logger = logging.getLogger(__name__)

MAIN_TYPES = ("response", "revisit", "conversion")  # the records a fetch or snapshot row names
REWRITTEN = "WARC-Nianbao-Rewritten"
ADOPTED_NOTE = "rows written at recovery from this WARC record: the run died before committing them"


@dataclass
class Capture:
    """A whole record read back: what a `Fetch` held when it was written."""

    file: str
    offset: int
    kind: str
    warc: dict[str, str]
    status: int | None
    headers: list[tuple[str, str]]
    payload: bytes
    request: list[tuple[str, str]]
    method: str

    @property
    def url(self) -> str:
        return self.warc.get("WARC-Nianbao-Requested-URI") or self.warc.get("WARC-Target-URI", "")

    @property
    def final_url(self) -> str:
        return self.warc.get("WARC-Target-URI", "")

    @property
    def fetched_at(self) -> str:
        """The row's form of the time (the crawler's: microseconds and a Z) from the WARC-Date."""
        dt = datetime.fromisoformat(self.warc["WARC-Date"].replace("Z", "+00:00")).astimezone(UTC)
        return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def read_capture(path: Path, offset: int) -> Capture:
    """The record at `offset` with its payload, and the request record written right after it."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        fh.seek(offset)
        it = iter(ArchiveIterator(fh))
        rec = next(it)
        warc = dict(rec.rec_headers.headers)
        status, headers = None, []
        if rec.http_headers is not None:
            status = int(rec.http_headers.get_statuscode() or 0) or None
            headers = [(k, v) for k, v in rec.http_headers.headers]
        payload = rec.raw_stream.read()  # the entity as stored (gzip stays gzip: the bytes on the wire)
        request, method = [], "GET"
        try:
            req = next(it)
            if req.rec_type == "request" and req.rec_headers.get_header("WARC-Concurrent-To") == \
                    warc.get("WARC-Record-ID") and req.http_headers is not None:
                request = [(k, v) for k, v in req.http_headers.headers if k.lower() != "host"]
                method = (req.http_headers.protocol or "GET").split(" ")[0]
        except StopIteration:
            pass
        except Exception as exc:  # its request record was torn off: the capture itself is whole
            logger.info("no request record after %s@%d: %s", path.name, offset, exc)
    return Capture(path.name, offset, rec.rec_type, warc, status, headers, payload, request, method)


def _rows(conn: sqlite3.Connection, query: str, args: tuple) -> list[dict]:
    cur = conn.execute(query, args)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _software(path: Path) -> str | None:
    """The capturing software as the file's warcinfo names it (the part before warcio/python)."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(path, "rb") as fh:
            rec = next(iter(ArchiveIterator(fh)))
            if rec.rec_type != "warcinfo":
                return None
            for line in rec.content_stream().read().decode("utf-8", "replace").splitlines():
                if line.startswith("software:"):
                    return line.split(":", 1)[1].split(" warcio/")[0].strip() or None
    except Exception:  # a damaged first record: the current software is said instead
        return None
    return None


def mend_run(arc: Archive, run_id: str, checks: list[WarcCheck], adopt: bool, notes: list[str]) -> list[str]:
    """Mend the rows of one run's WARC files (already cut to their whole records); `adopt`: also write
    rows for whole records nobody names (only for a run that did not finish: a finished run's records
    without rows are fetches whose rows failed for a reason of their own).  `notes` (what the cutting
    did) are committed with the mending.  Returns every note."""
    from archive.store import BlobDamaged

    names = [c.path.name for c in checks]
    ends = {c.path.name: c.good_bytes if c.damaged else c.size for c in checks}
    sink = WarcSink(arc.warc_dir, f"{run_id}-repair", info=_repair_info(arc, run_id))
    out = list(notes)
    try:
        with arc.transaction() as conn:
            known = set()
            for name in names:
                for table in ("snapshots", "fetches"):
                    known.update((name, r[0]) for r in conn.execute(
                        f"SELECT warc_offset FROM {table} WHERE warc_file = ?", (name,)))
            gone = [s for name in names for s in _rows(
                conn, "SELECT * FROM snapshots WHERE warc_file = ? AND warc_offset >= ?", (name, ends[name]))]
            orphans = [(c.path, off, kind, hdrs) for c in checks for off, kind, hdrs in c.index
                       if kind in MAIN_TYPES and (c.path.name, off) not in known]
            adoptable = []
            for path, off, _kind, hdrs in orphans:
                if REWRITTEN not in hdrs:
                    adoptable.append((path, off))
                    continue
                cap = read_capture(path, off)
                snap = _copy_of(cap, gone)
                if snap is None:  # a crawl's re-write of an older run's unreadable record (`_original_or_rewrite`)
                    snap = _stranded(arc, conn, cap)
                    if snap is not None:
                        _repoint(conn, snap, WarcPosition(path.name, off))
                        out.append(f"snapshot {snap['id']} ({snap['url']}) re-pointed from its unreadable record to"
                                   f" the whole copy a killed run wrote, {path.name}@{off}")
                        continue
                if snap is None:
                    out.append(f"{path.name}@{off}: a re-written copy of {cap.url} that no row needs (its snapshot"
                               " points at a whole record): left in place")
                    continue
                gone.remove(snap)
                _repoint(conn, snap, WarcPosition(path.name, off))
                out.append(f"snapshot {snap['id']} ({snap['url']}) re-pointed to the whole copy a killed repair"
                           f" wrote, {path.name}@{off}")
            for snap in gone:
                where = f"{snap['warc_file']}@{snap['warc_offset']}"
                try:
                    pos = arc._rewrite(conn, sink, snap, f"re-written from the blob store: its record at {where}"
                                                         " was cut off a torn WARC")
                except FileNotFoundError:
                    out.append(f"snapshot {snap['id']} ({snap['url']}): its record was cut off and its blob is missing")
                    continue
                except BlobDamaged as exc:  # never copied into the WARC as the capture; a re-fetch mends both
                    out.append(f"snapshot {snap['id']} ({snap['url']}): its record was cut off and its blob is damaged"
                               f" (its bytes now hash to {exc.actual}): not re-written; the same bytes fetched again"
                               " mend the blob and the record")
                    continue
                _repoint(conn, snap, pos)
                out.append(f"snapshot {snap['id']} ({snap['url']}) re-written to {pos.file}@{pos.offset}")
            for name in names:
                lost = conn.execute("UPDATE fetches SET warc_file = NULL, warc_offset = NULL"
                                    " WHERE warc_file = ? AND warc_offset >= ?", (name, ends[name])).rowcount
                if lost:
                    out.append(f"{lost} fetch row(s) lost their WARC record (cut off {name})")
            if adopt:
                software: dict[Path, str | None] = {}
                for path, off in adoptable:
                    if path not in software:
                        software[path] = _software(path)
                    note = _adopt(arc, conn, run_id, read_capture(path, off), software[path] or arc.software)
                    if note:
                        out.append(note)
            elif adoptable:
                out.append(f"{len(adoptable)} whole record(s) of a finished run no row names: left as they are ("
                           + ", ".join(f"{p.name}@{o}" for p, o in adoptable[:5]) + ")")
            at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            for note in out:
                conn.execute("INSERT INTO crawl_errors (run_id, source_id, url, reason, at) VALUES (?, NULL, NULL, ?, ?)",
                             (run_id, f"torn WARC record repaired: {note}" if note in notes else f"WARC mended: {note}",
                              at))
    finally:
        sink.close()
    for note in out:
        logger.warning("WARC recovery of run %s: %s", run_id, note)
    return out


def _repair_info(arc: Archive, run_id: str) -> dict[str, str]:
    from archive.store import warcinfo_fields

    return warcinfo_fields(arc.software, None, run_id, arc.warcinfo)


def _copy_of(cap: Capture, gone: list[dict]) -> dict | None:
    """The snapshot (among those whose record is gone) this re-written record is a copy of."""
    sha = hashlib.sha256(cap.payload).hexdigest()
    for snap in gone:
        if snap["url"] == cap.url and snap["sha256"] == sha and bool(snap["rendered"]) == (cap.kind == "conversion"):
            return snap
    return None


def _stranded(arc: Archive, conn: sqlite3.Connection, cap: Capture) -> dict | None:
    """The snapshot this re-written copy was made for when its own record still cannot be read whole."""
    from archive.warc import record_whole

    sha = hashlib.sha256(cap.payload).hexdigest()
    for snap in _rows(conn, "SELECT * FROM snapshots WHERE url = ? AND sha256 = ? AND rendered = ?",
                      (cap.url, sha, int(cap.kind == "conversion"))):
        if not (snap["warc_file"] and record_whole(arc.warc_dir / snap["warc_file"], int(snap["warc_offset"]))):
            return snap
    return None


def _repoint(conn: sqlite3.Connection, snap: dict, pos: WarcPosition) -> None:
    """The snapshot and the fetch rows of its (gone) record now name `pos`."""
    conn.execute("UPDATE snapshots SET warc_file = ?, warc_offset = ? WHERE id = ?", (pos.file, pos.offset, snap["id"]))
    conn.execute("UPDATE fetches SET warc_file = ?, warc_offset = ? WHERE warc_file = ? AND warc_offset = ?",
                 (pos.file, pos.offset, snap["warc_file"], snap["warc_offset"]))


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def _adopt(arc: Archive, conn: sqlite3.Connection, run_id: str, cap: Capture, software: str) -> str | None:
    """Write the rows a whole, unnamed record of a dead run stands for."""
    source, spider = cap.warc.get("WARC-Nianbao-Source"), cap.warc.get("WARC-Nianbao-Spider")
    run = cap.warc.get("WARC-Nianbao-Run") or run_id
    where = f"{cap.file}@{cap.offset}"
    rendered = cap.kind == "conversion" or (cap.kind == "revisit" and cap.status is None
                                            and "WARC-Nianbao-HTTP-Response" not in cap.warc)
    if cap.kind == "revisit":
        profile = cap.warc.get("WARC-Profile", "")
        not_modified = profile.endswith("server-not-modified")
        status = 304 if not_modified else (cap.status or 200)
        headers = cap.headers
        if not_modified:
            try:
                headers = [tuple(h) for h in json.loads(cap.warc.get("WARC-Nianbao-HTTP-Response", "{}"))["headers"]]
            except (ValueError, KeyError, TypeError):
                headers = []
        snap = _revisited(arc, conn, cap.url, cap.warc.get("WARC-Payload-Digest"), rendered)
        cur = conn.execute(
            "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
            " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,?,?,?,?,0,?,?,?,?)",
            (run, cap.url, cap.final_url, status, cap.fetched_at, snap["id"] if snap else None, int(not_modified),
             source, spider, cap.file, cap.offset))
        if snap:
            conn.execute("UPDATE snapshots SET last_seen_at = max(coalesce(last_seen_at, ''), ?) WHERE id = ?",
                         (cap.fetched_at, snap["id"]))
        return (f"fetch {cur.lastrowid} ({cap.url}) written from its revisit record {where}"
                + ("" if snap else ": the snapshot it revisits was not found"))
    status = 200 if cap.kind == "conversion" else (cap.status or 0)
    headers = _as_received(cap)
    if cap.kind == "conversion":
        headers = [("Content-Type", cap.warc.get("Content-Type") or "text/html; charset=utf-8")]
    if status == 304:  # a 304 with nothing archived to revisit: a fetch without a snapshot
        cur = conn.execute(
            "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
            " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,304,?,NULL,1,0,?,?,?,?)",
            (run, cap.url, cap.final_url, cap.fetched_at, source, spider, cap.file, cap.offset))
        return f"fetch {cur.lastrowid} ({cap.url}) written from its record {where}"
    sha, new_blob = arc.blobs.put(cap.payload)  # the blob came first, but a copied archive may lack it
    existing = conn.execute("SELECT id FROM snapshots WHERE url = ? AND sha256 = ? AND rendered = ?",
                            (cap.url, sha, int(rendered))).fetchone()
    if existing:
        snapshot_id, new = existing[0], False
    else:
        revision = conn.execute("SELECT coalesce(max(revision), 0) + 1 FROM snapshots WHERE url = ? AND rendered = ?",
                                (cap.url, int(rendered))).fetchone()[0]
        note = "; ".join(filter(None, [cap.warc.get("WARC-Nianbao-Note"), ADOPTED_NOTE]))
        cur = conn.execute(
            """INSERT INTO snapshots (url, final_url, revision, status, headers, request_headers, method,
                   fetched_at, last_seen_at, referrer, source_id, spider, software, sha256, size,
                   content_type, etag, last_modified, warc_file, warc_offset, rendered, note, run_id)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (cap.url, cap.final_url, revision, status, json.dumps([list(h) for h in headers], ensure_ascii=False),
             json.dumps([list(h) for h in cap.request], ensure_ascii=False), cap.method, cap.fetched_at,
             cap.fetched_at, _header(cap.request, "Referer"), source, spider, software, sha, len(cap.payload),
             _header(headers, "Content-Type"), _header(headers, "ETag"), _header(headers, "Last-Modified"),
             cap.file, cap.offset, int(rendered), note, run))
        snapshot_id, new = cur.lastrowid, True
    conn.execute(
        "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
        " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,?,?,?,0,?,?,?,?,?)",
        (run, cap.url, cap.final_url, status, cap.fetched_at, snapshot_id, int(new), source, spider, cap.file,
         cap.offset))
    return (f"snapshot {snapshot_id} ({cap.url}, {len(cap.payload)} bytes) written from its record {where}"
            + ("" if new else " (its bytes were a snapshot already: a fetch row only)"))


def _as_received(cap: Capture) -> list[tuple[str, str]]:
    """The response headers as the crawler received them, undoing what writing the block changed
    (archive/warc.py: the stored length added, received framing headers kept as X-Crawler-*)."""
    headers = list(cap.headers)
    if LENGTH_ADDED in (cap.warc.get("WARC-Nianbao-Note") or ""):
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    elif any(k.startswith(ORIGINAL_PREFIX) for k, _ in headers):
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return [(k[len(ORIGINAL_PREFIX):], v) if k.startswith(ORIGINAL_PREFIX) else (k, v) for k, v in headers]


def _revisited(arc: Archive, conn: sqlite3.Connection, url: str, digest: str | None, rendered: bool) -> dict | None:
    """The snapshot of `url` whose bytes have the revisit's payload digest (the newest such).  A snapshot
    whose blob is damaged is known by its own record's digest instead (its blob's would be a stranger's)."""
    from archive.store import BlobDamaged
    from archive.warc import read_original, record_whole

    for snap in _rows(conn, "SELECT * FROM snapshots WHERE url = ? AND rendered = ? ORDER BY id DESC",
                      (url, int(rendered))):
        if digest is None:
            return snap
        try:
            if payload_digest(arc.blobs.read(snap["sha256"])) == digest:
                return snap
        except BlobDamaged:
            path = arc.warc_dir / snap["warc_file"] if snap["warc_file"] else None
            own = read_original(path, int(snap["warc_offset"])) \
                if path and path.is_file() and record_whole(path, int(snap["warc_offset"])) else None
            if own is not None and own.digest == digest:
                return snap
        except OSError:
            continue
    return None
