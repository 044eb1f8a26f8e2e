"""The archive: content-addressed blobs + WARC + provenance rows in nianbao.db.

Order of writes on `record()` is what makes it crash-safe: blob (temp file, fsync,
os.replace), then WARC records (appended, fsynced), then one SQLite transaction for the
snapshot and fetch rows.  A crash leaves at worst an unreferenced blob or WARC record,
never a row naming bytes that are not on disk.

One `Archive` is used from one thread at a time (the crawler's reactor thread); a lock
guards the connection anyway so a second thread cannot interleave transactions.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from archive import db as schema
from archive.content import decode_body
from archive.warc import WarcSink


@dataclass
class Fetch:
    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str
    referrer: str | None = None
    source_id: str | None = None
    spider: str | None = None
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    rendered: bool = False
    note: str | None = None
    run_id: str | None = None  # defaults to the Archive's current run


@dataclass
class Recorded:
    snapshot_id: int | None
    sha256: str | None
    new_blob: bool
    new_snapshot: bool


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def software_version() -> str:
    def v(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown"

    return f"nianbao/{v('nianbao')} scrapy/{v('scrapy')}"


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def str_pairs(headers) -> list[tuple[str, str]]:
    """Header pairs as str; bytes (as Scrapy hands them) are decoded latin-1, the HTTP wire charset."""
    def s(x: str | bytes) -> str:
        return x.decode("latin-1") if isinstance(x, bytes | bytearray) else str(x)

    return [(s(k), s(v)) for k, v in (headers or [])]


def document_id(source_id: str | None, url: str) -> str:
    """Stable across runs and machines, so parsed rows can point at it."""
    return hashlib.sha1(f"{source_id or ''}\n{url}".encode()).hexdigest()


class BlobStore:
    """blobs/sha256/ab/cd/<sha256>: identical bytes are stored once and never rewritten."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / "blobs" / "sha256"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> tuple[str, bool]:
        digest = hashlib.sha256(data).hexdigest()
        dest = self.path(digest)
        if dest.exists():
            return digest, False
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return digest, True

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.blobs = BlobStore(self.root)
        self.warc_dir = self.root / "warc"
        self.db_path = self.root / "nianbao.db"
        self.db = schema.connect(self.db_path)
        self.run_id: str | None = None
        self._sinks: dict[str, WarcSink] = {}
        self._lock = threading.RLock()
        self.software = software_version()

    def close(self) -> None:
        self.db.conn.close()

    # -- crawl runs -------------------------------------------------------------------------

    def start_run(self, spider: str, source_ids: list[str] | None = None) -> str:
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
        with self._lock, self.db.conn:
            self.db.conn.execute(
                "INSERT INTO crawl_runs (id, spider, sources, started_at, status) VALUES (?, ?, ?, ?, 'running')",
                (run_id, spider, json.dumps(list(source_ids or []), ensure_ascii=False), utcnow()),
            )
        self.run_id = run_id
        return run_id

    def finish_run(self, run_id: str, per_source_stats: dict | None = None, status: str = "finished") -> None:
        per_source_stats = per_source_stats or {}
        totals: dict[str, float] = {}
        with self._lock, self.db.conn:
            for source_id, st in per_source_stats.items():
                self.db.conn.execute(
                    "INSERT OR REPLACE INTO crawl_run_sources (run_id, source_id, pages, reports_found,"
                    " attachments, errors, duration_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, source_id, st.get("pages"), st.get("reports_found"), st.get("attachments"),
                     st.get("errors"), st.get("duration_s")),
                )
                for k, v in st.items():
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        totals[k] = totals.get(k, 0) + v
            fetches = self.db.conn.execute(
                "SELECT count(*), sum(new_snapshot), sum(not_modified) FROM fetches WHERE run_id = ?", (run_id,)
            ).fetchone()
            totals.update({"fetches": fetches[0], "new_snapshots": fetches[1] or 0, "fetches_304": fetches[2] or 0})
            self.db.conn.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (utcnow(), status, json.dumps({"totals": totals, "sources": per_source_stats}, ensure_ascii=False),
                 run_id),
            )
        if self.run_id == run_id:
            self.run_id = None

    def record_error(self, run_id: str | None, source_id: str | None, url: str | None, reason: str) -> None:
        with self._lock, self.db.conn:
            self.db.conn.execute(
                "INSERT INTO crawl_errors (run_id, source_id, url, reason, at) VALUES (?, ?, ?, ?, ?)",
                (run_id, source_id, url, reason, utcnow()),
            )

    def record_document(
        self, source_id: str, url: str, kind: str, parent_url: str | None = None, title: str | None = None,
        year: int | None = None, agency: str | None = None, published: str | None = None,
    ) -> str:
        """Upsert what the crawler discovered; later sightings fill in fields, never blank them."""
        doc_id = document_id(source_id, url)
        now = utcnow()
        with self._lock, self.db.conn:
            self.db.conn.execute(
                """INSERT INTO documents (id, source_id, url, kind, parent_url, title, year, agency, published,
                       first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET kind = excluded.kind,
                       parent_url = coalesce(excluded.parent_url, parent_url),
                       title = coalesce(excluded.title, title), year = coalesce(excluded.year, year),
                       agency = coalesce(excluded.agency, agency),
                       published = coalesce(excluded.published, published),
                       last_seen_at = excluded.last_seen_at""",
                (doc_id, source_id, url, kind, parent_url, title, year, agency, published, now, now),
            )
        return doc_id

    # -- fetches ----------------------------------------------------------------------------

    def _sink(self, run_id: str) -> WarcSink:
        if run_id not in self._sinks:
            self._sinks[run_id] = WarcSink(self.warc_dir, run_id)
        return self._sinks[run_id]

    def _run_for(self, fetch: Fetch) -> str:
        if fetch.run_id:
            return fetch.run_id
        if self.run_id is None:
            self.start_run(fetch.spider or "adhoc", [fetch.source_id] if fetch.source_id else [])
        return self.run_id  # type: ignore[return-value]

    def record(self, fetch: Fetch) -> Recorded:
        """Archive one fetch.  Identical bytes for the same URL add no snapshot, only a `fetches` row."""
        with self._lock:
            return self._record(fetch)

    def _record(self, fetch: Fetch) -> Recorded:
        fetch.headers = str_pairs(fetch.headers)
        fetch.request_headers = str_pairs(fetch.request_headers)
        run_id = self._run_for(fetch)
        sink = self._sink(run_id)
        conn = self.db.conn
        extra = {"WARC-Nianbao-Run": run_id}
        if fetch.source_id:
            extra["WARC-Nianbao-Source"] = fetch.source_id
        if fetch.final_url and fetch.final_url != fetch.url:
            extra["WARC-Nianbao-Requested-URI"] = fetch.url  # records are filed under the final URL
        common = dict(fetched_at=fetch.fetched_at, note=fetch.note, extra=extra)

        if fetch.status == 304:
            pos = sink.write_exchange(url=fetch.url, status=304, headers=fetch.headers, body=b"",
                                      method=fetch.method, req_headers=fetch.request_headers, **common)
            latest = self._latest_row(fetch.url)
            with conn:
                conn.execute(
                    "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
                    " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,?,?,?,1,0,?,?,?,?)",
                    (run_id, fetch.url, fetch.final_url, 304, fetch.fetched_at, latest["id"] if latest else None,
                     fetch.source_id, fetch.spider, pos.file, pos.offset),
                )
                if latest:
                    conn.execute("UPDATE snapshots SET last_seen_at = ? WHERE id = ?",
                                 (fetch.fetched_at, latest["id"]))
            return Recorded(latest["id"] if latest else None, latest["sha256"] if latest else None, False, False)

        sha, new_blob = self.blobs.put(fetch.body)
        existing = conn.execute(
            "SELECT id, fetched_at, final_url FROM snapshots WHERE url = ? AND sha256 = ? AND rendered = ?",
            (fetch.url, sha, int(fetch.rendered)),
        ).fetchone()

        if fetch.rendered:
            pos = sink.write_conversion(url=fetch.final_url or fetch.url, body=fetch.body,
                                        content_type=header(fetch.headers, "content-type")
                                        or "text/html; charset=utf-8", **common)
        else:
            revisit_of = (existing[2] or fetch.url, existing[1]) if existing else None
            pos = sink.write_exchange(url=fetch.final_url or fetch.url, status=fetch.status, headers=fetch.headers,
                                      body=fetch.body, method=fetch.method, req_headers=fetch.request_headers,
                                      revisit_of=revisit_of, **common)

        with conn:
            if existing:
                snapshot_id, new_snapshot = existing[0], False
                conn.execute("UPDATE snapshots SET last_seen_at = ? WHERE id = ?", (fetch.fetched_at, snapshot_id))
            else:
                revision = conn.execute(
                    "SELECT coalesce(max(revision), 0) + 1 FROM snapshots WHERE url = ? AND rendered = ?",
                    (fetch.url, int(fetch.rendered)),
                ).fetchone()[0]
                cur = conn.execute(
                    """INSERT INTO snapshots (url, final_url, revision, status, headers, request_headers, method,
                           fetched_at, last_seen_at, referrer, source_id, spider, software, sha256, size,
                           content_type, etag, last_modified, warc_file, warc_offset, rendered, note, run_id)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (fetch.url, fetch.final_url, revision, fetch.status,
                     json.dumps([list(h) for h in fetch.headers], ensure_ascii=False),
                     json.dumps([list(h) for h in fetch.request_headers], ensure_ascii=False), fetch.method,
                     fetch.fetched_at, fetch.fetched_at, fetch.referrer, fetch.source_id, fetch.spider,
                     self.software, sha, len(fetch.body), header(fetch.headers, "content-type"),
                     header(fetch.headers, "etag"), header(fetch.headers, "last-modified"), pos.file, pos.offset,
                     int(fetch.rendered), fetch.note, run_id),
                )
                snapshot_id, new_snapshot = cur.lastrowid, True
            conn.execute(
                "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
                " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,?,?,?,0,?,?,?,?,?)",
                (run_id, fetch.url, fetch.final_url, fetch.status, fetch.fetched_at, snapshot_id, int(new_snapshot),
                 fetch.source_id, fetch.spider, pos.file, pos.offset),
            )
        return Recorded(snapshot_id, sha, new_blob, new_snapshot)

    # -- reading back -----------------------------------------------------------------------

    def _latest_row(self, url: str, status: int | None = 200) -> dict | None:
        """Latest server-bytes snapshot of a URL: the one seen most recently (bytes can revert)."""
        sql = "SELECT * FROM snapshots WHERE url = ? AND rendered = 0"
        args: list = [url]
        if status is not None:
            sql += " AND status = ?"
            args.append(status)
        sql += " ORDER BY last_seen_at DESC, revision DESC LIMIT 1"
        cur = self.db.conn.execute(sql, args)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def conditional_headers(self, url: str) -> dict[str, str]:
        with self._lock:
            row = self._latest_row(url)
        out: dict[str, str] = {}
        if row and row["etag"]:
            out["If-None-Match"] = row["etag"]
        if row and row["last_modified"]:
            out["If-Modified-Since"] = row["last_modified"]
        return out

    def latest_body(self, url: str, decode: bool = False) -> tuple[dict, bytes] | None:
        """Latest 200 snapshot and its bytes as received (gzip stays gzip unless `decode`)."""
        with self._lock:
            row = self._latest_row(url)
        if row is None:
            return None
        body = self.blobs.get(row["sha256"])
        return row, decode_body(row["headers"], body) if decode else body

    def snapshots(self, url: str) -> list[dict]:
        cur = self.db.conn.execute("SELECT * FROM snapshots WHERE url = ? ORDER BY rendered, revision", (url,))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
