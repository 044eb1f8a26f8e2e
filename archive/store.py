"""The archive: content-addressed blobs + WARC + provenance rows in nianbao.db.

Order of writes on `record()` is what makes it crash-safe: blob (temp file, fsync,
os.replace), then WARC records (appended, fsynced), then one SQLite transaction for the
snapshot and fetch rows.  A crash leaves at worst an unreferenced blob or WARC record,
never a row naming bytes that are not on disk; the next run's recovery writes the rows of a dead
run's whole records from the records themselves (archive/mend.py), so they are not fetched again.  `record_batch()` keeps that order for several
fetches at once (group commit): their blobs, then all their WARC records and one fsync of the
WARC file, then one commit; the crawler archives through it from a writer thread of its own
(archive/groupcommit.py), so no fsync runs on its event loop.

Several processes may write one archive at once (the distributed crawl's workers, a crawl
and a re-parse): every write transaction starts with BEGIN IMMEDIATE, so the write lock is
taken *before* `record()` reads "are these bytes already a snapshot? which revision next?"
and the read-then-insert is one step; the connection's busy timeout makes others wait and a
few bounded retries cover a lock held longer than that.  Each process appends to its own
WARC series (`nianbao-<run>-<host>-<pid>-NNNNN.warc.gz`, or an explicit tag).

SQLite runs in WAL with synchronous=NORMAL (archive/db.py): a killed process loses no
committed transaction in WAL mode; only a power cut can drop the last few commits, and
since blobs and WARC records are fsynced before their rows commit, that leaves unreferenced
bytes (fetched again next run), never a row without its bytes.  FULL would buy nothing for
that invariant and costs an fsync per fetch.

A run that dies without `finish_run` (SIGKILL, OOM, a power cut) stays 'running' in
crawl_runs.  Every process working for a run holds a shared flock on `runs/<run_id>.lock`;
the kernel drops it when the process dies, so `recover()` (called by every `start_run`)
can tell a dead run from a live one, mark it 'interrupted', cut torn records off its WARC
files, make its rows and records agree again (archive/mend.py) and delete temp files of dead writers.

In the crawler one `Archive` is shared by the reactor thread (documents and error rows) and the
archive writer thread (`record_batch`); a lock guards the connection so the two never interleave
transactions.  The per-request reads (`conditional_headers`, `latest_body`) use a read-only
connection of their own and see committed rows only, so they never wait behind a batch's fsync.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import platform
import re
import secrets
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from archive import db as schema
from archive import mend
from archive.content import decode_body
from archive.groupcommit import GroupCommit
from archive.warc import (
    Original,
    WarcPosition,
    WarcSink,
    check_warc,
    payload_digest,
    read_original,
    record_whole,
    repair_warc,
    writer_alive,
)

logger = logging.getLogger(__name__)

# a crawl_errors reason that is the site's policy, not a fault: kept as a row, never counted as an error
ROBOTS_DISALLOWED = "robots.txt disallows"
# the crawl_errors reason `recover()` gives a run whose processes all died: `status` and `schedule` find
# such runs by it (a run that ended 'interrupted' on a signal closed itself and said so)
DIED = "interrupted: the crawl process died before closing the run"

RESERVE_NAME = "space.reserve"  # in runs/: freed when the disk fills, so the run's failure can be recorded
RESERVE_BYTES = 1 << 20
# On a disk too small for the whole megabyte (a 1.5 MB tmpfs whose fresh database already takes half
# of it) the reserve is half the free space, down to this much: a run's end and its reason commit in
# well under it (its WAL frames: the run's row, a crawl_errors row and one row per source).  Less than
# this free and the crawl does not start: its end could not be recorded.
RESERVE_LEAST = 64 << 10
BEGIN_ATTEMPTS = 5  # BEGIN IMMEDIATE tries, each waiting up to the connection's busy timeout
TEMP_MAX_AGE = 24 * 3600  # a temp blob this old is garbage whoever wrote it (another host, say)


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
    request_body: bytes | None = None  # the form a POST sent: its WARC request record's payload
    rendered: bool = False
    note: str | None = None
    run_id: str | None = None  # defaults to the Archive's current run
    # two bodies this maps to the same bytes are one version of the page (crawler/tokens.py: a fresh random
    # value in a link on every answer); a 200 equal to the URL's latest snapshot by it adds no snapshot
    same_version: Callable[[bytes], bytes] | None = None


@dataclass
class Written:
    """A fetch's WARC record appended (not yet durable) before its rows: where it is, and the snapshot
    it revisits (a 304's latest snapshot, or the existing one with the same bytes), if any."""

    pos: WarcPosition
    snapshot: dict | None


@dataclass
class Recorded:
    snapshot_id: int | None
    sha256: str | None
    new_blob: bool
    new_snapshot: bool
    fetch_id: int | None = None  # the `fetches` row of this fetch (a redirect hop's final URL goes there)



def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def software_version() -> str:
    return f"nianbao/{_version('nianbao')} scrapy/{_version('scrapy')}"


def warcinfo_fields(software: str, spider: str | None, run_id: str, extra: dict | None = None) -> dict[str, str]:
    """What a WARC file says about how it was made (its warcinfo record).  The operator is named
    only when the one running the crawl set NIANBAO_CONTACT."""
    fields = {
        "software": f"{software} warcio/{_version('warcio')} python/{platform.python_version()}",
        "hostname": socket.gethostname(),
        "isPartOf": run_id,
        "description": f"nianbao crawl run {run_id}" + (f", spider {spider}" if spider else ""),
        "nianbao-spider": spider or "",
    }
    contact = os.environ.get("NIANBAO_CONTACT", "").strip()
    if contact:
        fields["operator"] = contact
    fields.update({k: str(v) for k, v in (extra or {}).items() if v not in (None, "")})
    return fields


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


def host_tag() -> str:
    """This host's name, safe inside a file name."""
    return re.sub(r"[^A-Za-z0-9.-]+", "_", socket.gethostname()) or "host"


def writer_tag() -> str:
    """Names this process's files: <host>-<pid>, taken when first needed (a forked child gets its own)."""
    return f"{host_tag()}-{os.getpid()}"


def pid_alive(pid: int) -> bool:
    """A killed process may linger as a zombie until reaped: that counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[:1] not in (["Z"], ["X"])


class NoRoom(RuntimeError):
    """The crawl stops, or does not start, for want of disk space; the message says which and how
    much is free (a RuntimeError: the CLI and the scheduler print it as one line, exit 1)."""


def is_disk_full(exc: BaseException) -> bool:
    """ENOSPC/EDQUOT from a file write, EFBIG (a file-size limit: `ulimit -f`, the filesystem's
    largest file — no more room for that file, as for a full disk), or SQLite's SQLITE_FULL
    ("database or disk is full")."""
    for e in (exc, exc.__cause__, exc.__context__):
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return True
        if isinstance(e, sqlite3.OperationalError) and "disk is full" in str(e):
            return True
    return False


def cannot_write(exc: BaseException) -> bool:
    """The archive cannot write at all: no room (`is_disk_full`), or SQLite's "disk I/O error",
    which is how it reports a write the operating system refused (EFBIG under a file-size limit
    among them) — the run's end cannot be recorded then, and the next crawl marks it interrupted."""
    return is_disk_full(exc) or any(isinstance(e, sqlite3.OperationalError) and "disk I/O error" in str(e)
                                    for e in (exc, exc.__cause__, exc.__context__))


def log_write_failure(log: logging.Logger, exc: BaseException, message: str, *args: object) -> None:
    """Log an archive write that failed.  A full disk is one line: the archive has said why once
    (`disk full: …`) and stops the crawl, and a traceback for each response still in flight buried
    that line in the cron mail.  Any other failure is unexpected and keeps its traceback."""
    if is_disk_full(exc):
        log.error(message + ": the disk is full", *args)
    else:
        log.error(message, *args, exc_info=exc)


def reserve_bytes(data_dir: Path) -> int:
    """The disk-space reserve held back in the data dir (Archive.keep_reserve): free for a crawl."""
    try:
        return (Path(data_dir) / "runs" / RESERVE_NAME).stat().st_size
    except OSError:
        return 0


def free_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def document_id(source_id: str | None, url: str) -> str:
    """Stable across runs and machines, so parsed rows can point at it."""
    return hashlib.sha1(f"{source_id or ''}\n{url}".encode()).hexdigest()


class BlobDamaged(Exception):
    """A blob whose bytes no longer hash to its name: altered or cut on disk after it was archived.
    `reason` is what a `parse_failures` row and `nianbao parse` say (the same words everywhere)."""

    def __init__(self, sha256: str, actual: str) -> None:
        self.sha256, self.actual = sha256, actual
        self.reason = (f"blob damaged: sha256 {sha256} names bytes that now hash to {actual} (altered or cut on disk"
                       " after it was archived; not parsed; `nianbao verify` lists every damaged blob)")
        super().__init__(self.reason)


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
            if self._whole(dest, data):
                return digest, False
            self._write(dest, data)  # damaged on disk (`nianbao verify`): the same bytes fetched again mend it
            return digest, False
        self._write(dest, data)
        return digest, True

    @staticmethod
    def _whole(dest: Path, data: bytes) -> bool:
        """Whether the stored blob is still these bytes (a size check first: most damage is a cut)."""
        try:
            return dest.stat().st_size == len(data) and dest.read_bytes() == data
        except OSError:
            return False

    def _write(self, dest: Path, data: bytes) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # the temp name says who writes it, so a later run can tell a dead writer's leftovers
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".tmp-{writer_tag()}-")
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
        _fsync_dir(dest.parent)

    def get(self, sha256: str) -> bytes:
        """The bytes on disk as they are, unchecked: for looking at a damaged blob.  Everything that
        uses a blob's bytes as the document (a parse, a WARC record re-written from it, a 304's page,
        a comparison with a new fetch, a download) reads through `read`."""
        return self.path(sha256).read_bytes()

    def read(self, sha256: str) -> bytes:
        """The blob's bytes, checked against its name first (one hash per read): a blob damaged on
        disk raises BlobDamaged instead of being read as the document it was."""
        data = self.get(sha256)
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise BlobDamaged(sha256, actual)
        return data

    def sweep_temp(self, max_age: float = TEMP_MAX_AGE) -> list[Path]:
        """Delete temp files a killed writer left: this host's whose process is gone, and any
        older than `max_age`.  A temp file is never read as a blob, this only frees the space."""
        removed = []
        me = host_tag()
        now = time.time()
        for tmp in self.root.glob("*/*/.tmp-*"):
            m = re.match(r"\.tmp-(.+)-(\d+)-[^-]+$", tmp.name)
            try:
                dead = (m is not None and m.group(1) == me and not pid_alive(int(m.group(2)))) or \
                    now - tmp.stat().st_mtime > max_age
                if dead:
                    tmp.unlink()
                    removed.append(tmp)
            except FileNotFoundError:  # its writer finished (or another sweeper was first)
                continue
        if removed:
            logger.warning("removed %d temp file(s) left by killed writers under %s", len(removed), self.root)
        return removed


def _seconds_between(start: str, end: str) -> float:
    def t(iso: str) -> datetime:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))

    return max(0.0, (t(end) - t(start)).total_seconds())


def _fsync_dir(path: Path) -> None:
    """Make a rename durable: the directory entry is only on disk after the directory is synced."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def flock_held(path: Path, flags: int, probe: int) -> bool | None:
    """Whether another process holds a flock on `path` that a non-blocking `probe` (LOCK_EX to find
    shared holders, LOCK_SH to find an exclusive one) runs into; None: it cannot be opened or flocked."""
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        fcntl.flock(fd, probe | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)  # closing drops the probe's own lock too
    return False


def run_held(runs_dir: Path, run_id: str) -> bool:
    """Whether a live process holds `runs/<run_id>.lock` (each one working for a run holds it shared, and
    the kernel drops it when the process dies): the run's own word on being alive, whatever became of
    the data dir's crawl.lock.  No lock file (a copied database, a cleaned directory) is no holder;
    another user's archive, read by `status`, is probed read-only."""
    path = Path(runs_dir) / f"{run_id}.lock"
    held = flock_held(path, os.O_RDWR, fcntl.LOCK_EX)
    if held is None:
        held = flock_held(path, os.O_RDONLY, fcntl.LOCK_EX)
    return bool(held)


class Archive:
    """The archive of one data directory, safe to share with other writer processes.

    `tag` names this process's WARC files (default <host>-<pid>); a worker passes its own.
    """

    def __init__(self, root: Path, tag: str | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.blobs = BlobStore(self.root)
        self.warc_dir = self.root / "warc"
        self.runs_dir = self.root / "runs"
        self.db_path = self.root / "nianbao.db"
        self.db = schema.connect(self.db_path)
        self.tag = tag
        self.run_id: str | None = None
        self._sinks: dict[str, WarcSink] = {}
        self._holds: dict[str, int] = {}  # run id -> fd of its lock file, held shared
        self._lock = threading.RLock()
        self.software = software_version()
        # crawl settings for the warcinfo record of each WARC file (the crawler fills it in)
        self.warcinfo: dict[str, str] = {}
        self.full: str | None = None  # "no space left on device …" once a write hit a full disk
        self.on_disk_full: Callable[[str], None] | None = None  # the crawler stops itself here
        # how a thread other than the main one gets on_disk_full run on the main one (the crawler: the
        # reactor's callFromThread); without it the callback runs where the full disk was seen
        self.hand_over: Callable[..., None] | None = None
        self._writer: GroupCommit | None = None  # the crawler's archive writer thread, once asked for
        # committed rows for the crawler's per-request questions (conditional headers, a 304's bytes), on
        # a connection of their own: they never wait behind the writer thread's batch and its fsync
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()

    # -- a full disk ------------------------------------------------------------------------

    def keep_reserve(self) -> bool:
        """A megabyte held back in runs/, written for real (not sparse): freed when the disk fills,
        it lets the run's end and its reason be committed instead of a run left 'running'.  On a disk
        with less than two megabytes free, half of what is free (at least RESERVE_LEAST), so a small
        disk still has one.  False when the disk has no room for it (less than twice the least free);
        a reserve refused for another reason (a file-size limit) is done without."""
        path = self.runs_dir / RESERVE_NAME
        try:
            have = path.stat().st_size if path.exists() else 0
            free = free_bytes(self.root)
            room = None if free is None else free + have
            want = RESERVE_BYTES if room is None or room >= 2 * RESERVE_BYTES else room // 2
            if want < RESERVE_LEAST:  # as much again is wanted for the crawl to write anything at all
                path.unlink(missing_ok=True)
                return False
            if have >= want:
                return True
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(b"\0" * want)
                fh.flush()
                os.fsync(fh.fileno())
            return True
        except OSError as exc:
            path.unlink(missing_ok=True)
            return exc.errno not in (errno.ENOSPC, errno.EDQUOT)

    def disk_full(self, exc: BaseException) -> str:
        """First sight of a full disk: free the reserve, remember why, tell the crawler to stop."""
        if self.full is None:
            (self.runs_dir / RESERVE_NAME).unlink(missing_ok=True)
            free = free_bytes(self.root)
            what = "file size limit reached" if getattr(exc, "errno", None) == errno.EFBIG else "no space left on device"
            self.full = (f"{what} ({type(exc).__name__}: {exc}; "
                         f"{(free or 0) / 1e6:.1f} MB free on {self.root} after freeing the reserve)")
            logger.error("disk full: %s", self.full)
            if self.on_disk_full is not None:
                if self.hand_over is not None and threading.current_thread() is not threading.main_thread():
                    with contextlib.suppress(RuntimeError):  # the crawl's loop has closed: it has stopped already
                        self.hand_over(self.on_disk_full, self.full)
                else:
                    self.on_disk_full(self.full)
        return self.full

    def _refuse_when_full(self) -> None:
        """After ENOSPC nothing more is written for the crawl: each attempt would fail (or eat the
        freed reserve that the run's end needs)."""
        if self.full is not None:
            raise OSError(errno.ENOSPC, f"archive stopped writing: {self.full}")

    def writer(self) -> GroupCommit:
        """The thread archiving fetches in batches for this process (archive/groupcommit.py)."""
        with self._lock:
            if self._writer is None:
                self._writer = GroupCommit(self)
            return self._writer

    def drain(self) -> None:
        """Wait for the writer thread to commit what it was given (never called holding the lock)."""
        if self._writer is not None:
            self._writer.drain()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for sink in self._sinks.values():
            sink.close()
        self._sinks.clear()
        for run_id in list(self._holds):
            self._release(run_id)
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.db.conn.close()

    # -- transactions -----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding SQLite's write lock from its first statement (reads included)."""
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:  # nested in one of ours: part of the outer transaction
                yield conn
                return
            for attempt in range(BEGIN_ATTEMPTS):
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:  # busy beyond the timeout: wait, then again
                    if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == BEGIN_ATTEMPTS - 1:
                        raise
                    logger.warning("archive database busy (%s), retry %d", exc, attempt + 1)
                    time.sleep(0.5 * (attempt + 1))
            try:
                yield conn
                conn.commit()
            except BaseException as exc:
                if conn.in_transaction:
                    conn.rollback()
                if is_disk_full(exc):
                    self.disk_full(exc)
                raise

    # -- run liveness -----------------------------------------------------------------------

    def _lock_path(self, run_id: str) -> Path:
        return self.runs_dir / f"{run_id}.lock"

    def hold_run(self, run_id: str) -> None:
        """Say "a live process works for this run" (a shared flock the kernel drops when we die)."""
        if run_id in self._holds:
            return
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path(run_id), os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        self._holds[run_id] = fd

    def _release(self, run_id: str) -> None:
        fd = self._holds.pop(run_id, None)
        if fd is not None:
            os.close(fd)

    def run_alive(self, run_id: str) -> bool:
        """Does any process (on this host, or on one sharing the directory with working flock) hold it?"""
        return run_id in self._holds or run_held(self.runs_dir, run_id)

    def recover(self) -> list[str]:
        """Close what killed processes left.  Runs still 'running' with no live holder become
        'interrupted' (with a crawl_errors row).  The WARC files of every run that did not finish
        cleanly (interrupted, or closed as failed by a parent whose child was killed) are checked
        once, when nobody holds the run any more, and so are the last finished run's (a tail cut
        after a clean finish: a full disk, a bad copy): a torn last record is cut off, kept as
        *.torn-<offset>, and named in a crawl_errors row.  Temp blobs of dead writers go.
        Returns the run ids marked interrupted."""
        with self._lock:
            for run_id in [r for r in self._holds if r != self.run_id]:
                row = self.db.conn.execute("SELECT status FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
                if row is None or row[0] != "running":
                    self._release(run_id)
            running = [r[0] for r in self.db.conn.execute("SELECT id FROM crawl_runs WHERE status = 'running'")]
        dead = []
        for run_id in running:
            if self.run_alive(run_id):
                continue
            with self.transaction() as conn:
                status = conn.execute("SELECT status FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
                if status is None or status[0] != "running":
                    continue  # another process recovered it first
                conn.execute("INSERT INTO crawl_errors (run_id, source_id, url, reason, at) VALUES (?, NULL, NULL, ?, ?)",
                             (run_id, DIED, utcnow()))
                self.finish_run(run_id, {}, status="interrupted")  # same transaction: marked exactly once
            dead.append(run_id)
            logger.warning("crawl run %s was left running by a dead process: marked interrupted", run_id)
        with self._lock:
            unclean = [r[0] for r in self.db.conn.execute(
                "SELECT id FROM crawl_runs WHERE status NOT IN ('running', 'finished')")]
            # the last finished run's files too: a tail cut after a clean finish (a full disk, a bad copy)
            last = self.db.conn.execute("SELECT id FROM crawl_runs WHERE status = 'finished'"
                                        " ORDER BY rowid DESC LIMIT 1").fetchone()
        for run_id in unclean + ([last[0]] if last else []):
            if not (self.runs_dir / f"{run_id}.warc-checked").exists() and not self.run_alive(run_id):
                self._repair_run_warcs(run_id, adopt=run_id in unclean)
        self._prune_checked(set(unclean) | ({last[0]} if last else set()))
        self.blobs.sweep_temp()
        return dead

    def _prune_checked(self, keep: set[str]) -> None:
        """Remove the `<run>.warc-checked` markers of finished runs older than the last: only the last
        finished run's files are checked at a start, so theirs are never read again, and runs/ would
        gain one file a night.  A run that did not finish keeps its marker (it is checked until marked)."""
        markers = {p.name.removesuffix(".warc-checked"): p for p in self.runs_dir.glob("*.warc-checked")}
        stale = [r for r in markers if r not in keep]
        if not stale:
            return
        with self._lock:
            finished = {r for r in stale if (self.db.conn.execute(
                "SELECT status FROM crawl_runs WHERE id = ?", (r,)).fetchone() or ("",))[0] == "finished"}
        for run_id in finished:
            with contextlib.suppress(OSError):  # a read-only or full disk: tried again at the next start
                markers[run_id].unlink()

    def _repair_run_warcs(self, run_id: str, adopt: bool = False) -> None:
        """Cut the torn tails of a run's WARC files, then make its rows and records agree (archive/mend.py:
        rows into cut bytes follow a re-written record; with `adopt`, a dead run's whole records that no
        row names get their rows).  Every step can be killed and done again: the tail is durable before
        the file is cut, the rows and the notes commit together, and the run is marked checked last."""
        paths = sorted(self.warc_dir.glob(f"nianbao-{run_id}-*.warc.gz"))
        if any(writer_alive(path) for path in paths):  # a straggling worker of a closed run: look again next time
            return
        checks, notes = [], []
        for path in paths:
            check = check_warc(path, index=True)
            if check.damaged and repair_warc(check) is None:
                notes.append(f"{path.name}: {check.problem}; left as is")
            checks.append(check)
            problem = f"{check.problem}; " if check.damaged else ""
            for tail in sorted(path.parent.glob(f"{path.name}.torn-*")):  # this cut's, or a killed repair's
                if not self.db.conn.execute("SELECT 1 FROM crawl_errors WHERE run_id = ? AND instr(reason, ?) > 0",
                                            (run_id, tail.name)).fetchone():
                    notes.append(f"{path.name}: {problem}cut at byte {tail.name.rsplit('-', 1)[-1]},"
                                 f" tail kept in {tail.name}")
        try:
            mend.mend_run(self, run_id, checks, adopt, notes)
        except Exception as exc:  # a full disk, say: nothing of it committed; the next start tries again
            log_write_failure(logger, exc, "mending the rows of run %s after its WARC check failed", run_id)
            return
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        (self.runs_dir / f"{run_id}.warc-checked").write_text(json.dumps(notes, ensure_ascii=False) + "\n")

    def _rewrite(self, conn: sqlite3.Connection, sink: WarcSink, snap: dict, note: str) -> WarcPosition:
        """Write a snapshot's record again from its blob (its URL, status, headers and date) and point
        the snapshot row at it: the one way a record that is gone (cut off a torn WARC, unreadable,
        a lost file) is made whole.  FileNotFoundError when the blob is missing too, BlobDamaged when it no
        longer hashes to its name (the record stays gone until the same bytes are fetched again)."""
        body = self.blobs.read(snap["sha256"])  # a damaged blob raises: never copied into a WARC as the capture
        extra = {"WARC-Nianbao-Run": snap.get("run_id") or "", "WARC-Nianbao-Rewritten": "from-blob"}
        if snap.get("source_id"):
            extra["WARC-Nianbao-Source"] = snap["source_id"]
        if snap.get("final_url") and snap["final_url"] != snap["url"]:
            extra["WARC-Nianbao-Requested-URI"] = snap["url"]
        url = snap.get("final_url") or snap["url"]
        if snap.get("rendered"):
            pos = sink.write_conversion(url=url, body=body, fetched_at=snap["fetched_at"], note=note, extra=extra,
                                        content_type=snap.get("content_type") or "text/html; charset=utf-8")
        else:
            pos = sink.write_exchange(url=url, status=int(snap.get("status") or 200), body=body,
                                      headers=[tuple(h) for h in json.loads(snap.get("headers") or "[]")],
                                      req_headers=[tuple(h) for h in json.loads(snap.get("request_headers") or "[]")],
                                      method=snap.get("method") or "GET", fetched_at=snap["fetched_at"], note=note,
                                      req_body=(snap.get("request_body") or "").encode("latin-1") or None,
                                      extra=extra)
        conn.execute("UPDATE snapshots SET warc_file = ?, warc_offset = ? WHERE id = ?",
                     (pos.file, pos.offset, snap["id"]))
        return pos

    # -- crawl runs -------------------------------------------------------------------------

    def start_run(self, spider: str, source_ids: list[str] | None = None) -> str:
        self.recover()
        if not self.keep_reserve():  # a crawl now would fill the disk with no room to record its end
            raise NoRoom(f"crawl not started: no space left on device ({(free_bytes(self.root) or 0) / 1e3:.0f} KB"
                         f" free on {self.root}, less than the {2 * RESERVE_LEAST >> 10} KB a crawl needs to start and"
                         f" record its end); make room and crawl again")
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
        self.hold_run(run_id)  # before the row exists, so no recover() ever sees it unheld
        try:
            with self.transaction() as conn:
                conn.execute(
                    "INSERT INTO crawl_runs (id, spider, sources, started_at, status) VALUES (?, ?, ?, ?, 'running')",
                    (run_id, spider, json.dumps(list(source_ids or []), ensure_ascii=False), utcnow()),
                )
        except (OSError, sqlite3.Error) as exc:
            if not is_disk_full(exc):
                raise
            self._release(run_id)
            self._lock_path(run_id).unlink(missing_ok=True)
            raise NoRoom(f"crawl not started: {self.full}; make room and crawl again") from None
        self.run_id = run_id
        return run_id

    def fail_full(self, run_id: str, exc: BaseException) -> NoRoom:
        """The disk filled up before the crawl proper began (its registry rows): the run is closed
        as `failed: no space left on device …` (the reserve is freed for that) and the error to
        raise is returned."""
        reason = f"failed: {self.full or self.disk_full(exc)}"
        self.record_error(run_id, None, None, reason, closing=True)
        self.finish_run(run_id, {}, status=reason)
        return NoRoom(f"crawl run {run_id} {reason}")

    def finish_run(self, run_id: str, per_source_stats: dict | None = None, status: str = "finished") -> None:
        self.drain()  # the run's fetches still queued for the writer are its fetches: in before it closes
        if self.full is not None and not status.startswith("failed"):
            status = f"failed: {self.full}"  # whatever else the crawl saw, it stopped for the full disk
        try:
            self._finish_run(run_id, per_source_stats, status)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            # the disk filled up right here: the reserve is freed now (disk_full), one more try
            self._finish_run(run_id, per_source_stats, f"failed: {self.full}")

    def _finish_run(self, run_id: str, per_source_stats: dict | None, status: str) -> None:
        per_source_stats = per_source_stats or {}
        totals: dict[str, float] = {}
        with self.transaction() as conn:
            for source_id, st in per_source_stats.items():
                conn.execute(
                    "INSERT OR REPLACE INTO crawl_run_sources (run_id, source_id, pages, reports_found,"
                    " attachments, errors, duration_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, source_id, st.get("pages"), st.get("reports_found"), st.get("attachments"),
                     st.get("errors"), st.get("duration_s")),
                )
                for k, v in st.items():
                    if isinstance(v, int | float) and not isinstance(v, bool) and k != "duration_s":
                        totals[k] = totals.get(k, 0) + v
            fetches = conn.execute(
                "SELECT count(*), sum(new_snapshot), sum(not_modified) FROM fetches WHERE run_id = ?", (run_id,)
            ).fetchone()
            totals.update({"fetches": fetches[0], "new_snapshots": fetches[1] or 0, "fetches_304": fetches[2] or 0})
            # two different counts: list/report *pages* the spiders read from a 304 (their per-source
            # `not_modified`), and every 304 answer archived (pages, files, robots.txt)
            if "not_modified" in totals:
                totals["pages_not_modified"] = totals.pop("not_modified")
            finished_at = utcnow()
            # sources are crawled side by side: the run took its wall time, not the sum of theirs
            started = conn.execute("SELECT started_at FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
            if started and started[0]:
                totals["duration_s"] = round(_seconds_between(started[0], finished_at), 3)
            conn.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (finished_at, status, json.dumps({"totals": totals, "sources": per_source_stats},
                                                 ensure_ascii=False), run_id),
            )
        sink = self._sinks.pop(run_id, None)
        if sink is not None:
            sink.close()
        self._release(run_id)
        with contextlib.suppress(FileNotFoundError):
            self._lock_path(run_id).unlink()
        if self.run_id == run_id:
            self.run_id = None

    def record_error(self, run_id: str | None, source_id: str | None, url: str | None, reason: str,
                     list_page: bool = False, closing: bool = False, listed: dict | None = None) -> bool:
        """A crawl_errors row; False when the disk is full and it was not written.  `listed`: the
        title/year/agency a 年报 list gave the failed link (a report the body published, not fetched).  Once the disk is
        full only the run's end (`closing`: its reason, with finish_run) is written: the rows of the
        requests still in flight would eat the freed reserve that end needs, and raising here put a
        traceback in the log for each of them.  The run's reason says why the crawl stopped."""
        if self.full is not None and not closing:
            logger.debug("not recorded, the disk is full: %s at %s", reason, url)
            return False
        try:
            with self.transaction() as conn:
                listed = listed or {}
                conn.execute(
                    "INSERT INTO crawl_errors (run_id, source_id, url, reason, at, list_page, title, year, agency)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, source_id, url, reason, utcnow(), int(list_page), listed.get("title"),
                     listed.get("year"), listed.get("agency")),
                )
        except Exception as exc:
            if closing or not is_disk_full(exc):
                raise
            logger.debug("not recorded, the disk is full: %s at %s", reason, url)
            return False
        return True

    def record_document(
        self, source_id: str, url: str, kind: str, parent_url: str | None = None, title: str | None = None,
        year: int | None = None, agency: str | None = None, published: str | None = None,
    ) -> str:
        """Upsert what the crawler discovered; later sightings fill in fields, never blank them."""
        doc_id = document_id(source_id, url)
        now = utcnow()
        self._refuse_when_full()
        with self.transaction() as conn:
            conn.execute(
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

    def sink(self, run_id: str) -> WarcSink:
        """This process's WARC series for the run: nianbao-<run>-<tag or host-pid>-NNNNN.warc.gz."""
        if run_id not in self._sinks:
            self.hold_run(run_id)
            row = self.db.conn.execute("SELECT spider FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
            info = warcinfo_fields(self.software, row[0] if row else None, run_id, self.warcinfo)
            self._sinks[run_id] = WarcSink(self.warc_dir, f"{run_id}-{self.tag or writer_tag()}", info=info)
        return self._sinks[run_id]

    def original(self, snapshot: dict) -> Original:
        """The WARC record a snapshot's bytes were first written in, for a revisit to point at.  Without a
        readable record its digest is taken from the blob, checked (BlobDamaged, FileNotFoundError): a
        damaged blob's digest would name bytes that were never captured."""
        found = None
        if snapshot.get("warc_file") and snapshot.get("warc_offset") is not None:
            found = read_original(self.warc_dir / snapshot["warc_file"], int(snapshot["warc_offset"]))
        if found is not None:
            return found
        body = self.blobs.read(snapshot["sha256"]) if snapshot.get("sha256") else b""
        return Original(snapshot.get("final_url") or snapshot["url"], snapshot["fetched_at"], payload_digest(body))

    def _original_whole(self, snapshot: dict) -> Original | None:
        """The record to revisit when it can be read whole where the snapshot's row says; else None."""
        if snapshot.get("warc_file") and snapshot.get("warc_offset") is not None:
            path, offset = self.warc_dir / snapshot["warc_file"], int(snapshot["warc_offset"])
            return read_original(path, offset) if record_whole(path, offset) else None
        return None

    def _original_or_rewrite(self, conn: sqlite3.Connection, sink: WarcSink, snapshot: dict) -> Original | None:
        """The record to revisit; a snapshot whose record cannot be read whole (cut off a torn WARC, its
        payload truncated after the run that wrote it had finished, a lost file) is first written again
        from its blob, so the revisit points at a record that exists and replays to its end.  None when
        neither the record nor the blob can stand for the bytes (a damaged or lost blob: a 304 then gets a
        record of its own, not a revisit of bytes nobody can replay)."""
        found = self._original_whole(snapshot)
        if found is not None:
            return found
        where = f"{snapshot.get('warc_file')}@{snapshot.get('warc_offset')}" if snapshot.get("warc_file") else "none"
        try:
            pos = self._rewrite(conn, sink, snapshot, f"re-written from the blob store: its record ({where}) is gone")
        except (FileNotFoundError, BlobDamaged) as exc:
            logger.warning("snapshot %s (%s): its WARC record (%s) is unreadable and its blob %s: not re-written",
                           snapshot["id"], snapshot["url"], where,
                           "damaged" if isinstance(exc, BlobDamaged) else "missing")
            return None  # (never a revisit of a record that does not replay whole: `record_whole`)
        logger.warning("snapshot %s (%s): its WARC record (%s) was unreadable; re-written to %s@%d",
                       snapshot["id"], snapshot["url"], where, pos.file, pos.offset)
        return read_original(self.warc_dir / pos.file, pos.offset) or self.original(snapshot)

    def set_final_url(self, fetch_ids: list[int], final_url: str) -> None:
        """A redirect chain ended at `final_url`: its hops (the fetches rows of the 3xx answers, and
        their snapshots) say where it led.  Their WARC records stay filed under their own URL."""
        ids = [int(i) for i in fetch_ids if i is not None]
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        with self.transaction() as conn:
            conn.execute(f"UPDATE fetches SET final_url = ? WHERE id IN ({marks})", (final_url, *ids))
            conn.execute(
                f"UPDATE snapshots SET final_url = ? WHERE status BETWEEN 300 AND 399 AND rendered = 0 AND id IN"
                f" (SELECT snapshot_id FROM fetches WHERE id IN ({marks}))", (final_url, *ids))

    def _run_for(self, fetch: Fetch) -> str:
        if fetch.run_id:
            return fetch.run_id
        if self.run_id is None:
            self.start_run(fetch.spider or "adhoc", [fetch.source_id] if fetch.source_id else [])
        return self.run_id  # type: ignore[return-value]

    def record(self, fetch: Fetch) -> Recorded:
        """Archive one fetch.  Identical bytes for the same URL add no snapshot, only a `fetches` row."""
        [result] = self.record_batch([fetch])
        if isinstance(result, BaseException):
            if is_disk_full(result):
                self.disk_full(result)
            raise result
        return result

    def record_batch(self, fetches: list[Fetch]) -> list[Recorded | Exception]:
        """Archive several fetches with one durable WARC flush (group commit): each fetch's blob is
        written and fsynced first (outside the connection's lock: content-addressed, a racing twin is
        harmless), then one transaction appends every WARC record unsynced, fsyncs each WARC file
        once and only then commits every row.  So a row still never names bytes that are not on disk,
        but N fetches cost one WARC fsync instead of N.  One fetch failing (its savepoint is rolled
        back, its WARC bytes stay unreferenced) does not fail the others: the result in its place is
        its exception.  Thread-safe: the crawler calls this from its archive writer thread."""
        results: list[Recorded | Exception | None] = [None] * len(fetches)
        planned: list[tuple[int, Fetch, str, WarcSink, dict | None]] = []
        with self._lock:
            for i, fetch in enumerate(fetches):
                try:
                    self._refuse_when_full()
                    fetch.headers = str_pairs(fetch.headers)
                    fetch.request_headers = str_pairs(fetch.request_headers)
                    run_id = self._run_for(fetch)
                    same = self._same_version(fetch)
                    if same is not None:  # the latest snapshot but for per-request tokens: its bytes stay in the WARC
                        fetch.note = "; ".join(filter(None, [fetch.note, f"same version as snapshot {same['id']} but"
                                                             " for per-request tokens in its links: no new snapshot"]))
                    planned.append((i, fetch, run_id, self.sink(run_id), same))
                except Exception as exc:
                    results[i] = exc
        staged: list[tuple[int, Fetch, str, WarcSink, dict | None, str | None, bool]] = []
        for i, fetch, run_id, sink, same in planned:
            try:
                if same is not None:
                    sha, new_blob = same["sha256"], False
                else:
                    sha, new_blob = (None, False) if fetch.status == 304 else self.blobs.put(fetch.body)
                staged.append((i, fetch, run_id, sink, same, sha, new_blob))
            except Exception as exc:
                results[i] = exc
        if staged:
            self._commit_batch(staged, results)
        return results  # type: ignore[return-value]  # every place is filled by now

    def _commit_batch(self, staged: list, results: list) -> None:
        """Three steps, so that the connection's lock is never held over a disk flush nor over compressing
        WARC records (the crawler's event loop writes its documents and errors rows under the same lock):
        (1) without it (each WARC sink's own lock), append every fetch's WARC record, reading only what is
        committed and writing no row; (2) fsync each WARC file once; (3) under the lock, one transaction
        commits every row.  A row still never names
        bytes that are not durable: its record was fsynced in (2) before (3) began.  A fetch whose
        revisit target must first be written again from its blob (a torn record) is recorded in (3) the
        slow way, its fsync inside the transaction as before."""
        sinks = {id(sink): sink for _, _, _, sink, *_ in staged}
        written: dict[int, Written] = {}
        syncs: list[int] = []
        with contextlib.ExitStack() as held:
            for sink in sinks.values():
                held.enter_context(sink.lock)
                sink.defer_sync = True
            try:
                for i, fetch, run_id, sink, same, sha, _ in staged:
                    try:
                        done = self._write_record(None, sink, run_id, fetch, sha, same)
                    except Exception as exc:  # its bytes (if any) stay unreferenced in the WARC
                        results[i] = exc
                        continue
                    if done is not None:
                        written[i] = done
                syncs = [fd for fd in (sink.detach_sync() for sink in sinks.values()) if fd is not None]
            finally:
                for sink in sinks.values():
                    sink.defer_sync = False
        try:
            for fd in syncs:  # the records' bytes are on disk before any row naming them is committed
                os.fsync(fd)
        except Exception as exc:  # not durable: no row may name them
            for sink in sinks.values():
                sink.mark_unsynced()  # the next sync tries again
            for i, *_ in staged:
                if not isinstance(results[i], Exception):
                    results[i] = exc
            return
        finally:
            for fd in syncs:
                os.close(fd)
        with self._lock:
            for sink in sinks.values():
                sink.defer_sync = True
            try:
                with self.transaction() as conn:
                    for i, fetch, run_id, sink, same, sha, new_blob in staged:
                        if isinstance(results[i], Exception):
                            continue
                        conn.execute("SAVEPOINT fetch")
                        try:
                            if i in written:
                                results[i] = self._rows(conn, run_id, fetch, sha, new_blob, written[i])
                            else:  # the slow way: a revisit target re-written first (rare)
                                results[i] = self._record(conn, sink, run_id, fetch, sha, new_blob, same=same)
                        except Exception as exc:
                            conn.execute("ROLLBACK TO fetch")
                            results[i] = exc
                        conn.execute("RELEASE fetch")
                    for sink in sinks.values():  # only what the slow way appended: nothing, mostly
                        sink.sync()
            except Exception as exc:  # nothing committed: every fetch of the batch failed with it
                for i, *_ in staged:
                    if not isinstance(results[i], Exception):
                        results[i] = exc
            finally:
                for sink in sinks.values():
                    sink.defer_sync = False

    def _same_version(self, fetch: Fetch) -> dict | None:
        """The URL's latest snapshot when this 200's bytes differ from it only where `fetch.same_version`
        says they may (per-request tokens), else None (new bytes, identical bytes, nothing to compare)."""
        if fetch.same_version is None or fetch.status != 200 or fetch.rendered:
            return None
        latest = self._latest_row(fetch.url)
        if latest is None or latest["sha256"] == hashlib.sha256(fetch.body).hexdigest():
            return None
        try:
            before = self.blobs.read(latest["sha256"])
        except (OSError, BlobDamaged):  # lost or damaged: no proof of sameness; the new bytes are stored
            return None
        return latest if fetch.same_version(before) == fetch.same_version(fetch.body) else None

    def _record(self, conn: sqlite3.Connection, sink: WarcSink, run_id: str, fetch: Fetch, sha: str | None,
                new_blob: bool, same: dict | None = None) -> Recorded:
        written = self._write_record(conn, sink, run_id, fetch, sha, same, rewrite=True)
        assert written is not None  # (rewrite=True never declines)
        return self._rows(conn, run_id, fetch, sha, new_blob, written)

    def _write_record(self, conn: sqlite3.Connection | None, sink: WarcSink, run_id: str, fetch: Fetch,
                      sha: str | None, same: dict | None = None, rewrite: bool = False) -> Written | None:
        """Append the fetch's WARC record (a revisit when its bytes are archived already), reading the
        database but writing no row.  Without `rewrite`, None when the record to revisit would first have
        to be written again (`_original_or_rewrite` writes rows): the caller records it the slow way.
        `conn` None: read what is committed (`_committed`), so that the connection's lock is not needed."""

        def read(query: Callable[[sqlite3.Connection], Any]) -> Any:
            if conn is not None:
                return query(conn)
            with self._committed() as committed:
                return query(committed)

        extra = {"WARC-Nianbao-Run": run_id}
        if fetch.source_id:
            extra["WARC-Nianbao-Source"] = fetch.source_id
        if fetch.final_url and fetch.final_url != fetch.url:
            extra["WARC-Nianbao-Requested-URI"] = fetch.url  # records are filed under the final URL
        common = dict(fetched_at=fetch.fetched_at, note=fetch.note, extra=extra)

        if fetch.spider:
            extra["WARC-Nianbao-Spider"] = fetch.spider

        def original(snapshot: dict) -> Original | None:
            if rewrite and conn is not None:
                return self._original_or_rewrite(conn, sink, snapshot)
            return self._original_whole(snapshot)

        if fetch.status == 304:
            # the bytes are those of the latest snapshot: a revisit of its record, so replay serves them
            latest = read(lambda c: self._latest_row(fetch.url, conn=c))
            revisit_of = original(latest) if latest else None
            if latest and revisit_of is None:
                if not rewrite:
                    return None
                # nothing whole stands for the bytes (record gone, blob damaged or lost): the 304 alone
                common["note"] = "; ".join(filter(None, [fetch.note, f"not a revisit: snapshot {latest['id']} has no"
                                                         " readable record and its blob is damaged or lost"]))
            pos = sink.write_exchange(url=fetch.url, status=304, headers=fetch.headers, body=b"",
                                      method=fetch.method, req_headers=fetch.request_headers,
                                      req_body=fetch.request_body,
                                      revisit_of=revisit_of, **common)
            return Written(pos, latest)

        existing = read(lambda c: self._existing(c, fetch, sha))
        # the same version with other bytes (`same`): a full record of what came, not a revisit of the snapshot
        revisit_of = original(existing) if existing and same is None else None
        if existing and same is None and revisit_of is None and not rewrite:
            return None  # (with `rewrite`, None: nothing whole to revisit, so this fetch's bytes in full)
        if fetch.rendered:
            pos = sink.write_conversion(url=fetch.final_url or fetch.url, body=fetch.body,
                                        content_type=header(fetch.headers, "content-type")
                                        or "text/html; charset=utf-8", revisit_of=revisit_of, **common)
        else:
            pos = sink.write_exchange(url=fetch.final_url or fetch.url, status=fetch.status, headers=fetch.headers,
                                      body=fetch.body, method=fetch.method, req_headers=fetch.request_headers,
                                      req_body=fetch.request_body, revisit_of=revisit_of, **common)
        return Written(pos, existing)

    @staticmethod
    def _existing(conn: sqlite3.Connection, fetch: Fetch, sha: str | None) -> dict | None:
        cur = conn.execute(
            "SELECT * FROM snapshots WHERE url = ? AND sha256 = ? AND rendered = ?",
            (fetch.url, sha, int(fetch.rendered)),
        )
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def _rows(self, conn: sqlite3.Connection, run_id: str, fetch: Fetch, sha: str | None, new_blob: bool,
              written: Written) -> Recorded:
        """The fetch's rows, naming the record `written` put in the WARC (which must be durable before
        they are committed).  The snapshot is looked up again: another process may have archived the
        same bytes since the record was written (its full record is then merely not a revisit)."""
        pos = written.pos
        if fetch.status == 304:
            latest = written.snapshot  # the snapshot whose bytes the revisit record points at
            cur = conn.execute(
                "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
                " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,?,?,?,1,0,?,?,?,?)",
                (run_id, fetch.url, fetch.final_url, 304, fetch.fetched_at, latest["id"] if latest else None,
                 fetch.source_id, fetch.spider, pos.file, pos.offset),
            )
            if latest:
                conn.execute("UPDATE snapshots SET last_seen_at = ? WHERE id = ?", (fetch.fetched_at, latest["id"]))
                self._refresh_validators(conn, latest["id"], fetch.headers, not_modified=True)
            return Recorded(latest["id"] if latest else None, latest["sha256"] if latest else None, False, False,
                            cur.lastrowid)

        existing = self._existing(conn, fetch, sha)
        if existing:
            snapshot_id, new_snapshot = existing["id"], False
            conn.execute("UPDATE snapshots SET last_seen_at = ? WHERE id = ?", (fetch.fetched_at, snapshot_id))
            if not fetch.rendered and 200 <= fetch.status < 300:
                self._refresh_validators(conn, snapshot_id, fetch.headers, not_modified=False)
        else:
            revision = conn.execute(
                "SELECT coalesce(max(revision), 0) + 1 FROM snapshots WHERE url = ? AND rendered = ?",
                (fetch.url, int(fetch.rendered)),
            ).fetchone()[0]
            cur = conn.execute(
                """INSERT INTO snapshots (url, final_url, revision, status, headers, request_headers, method,
                       fetched_at, last_seen_at, referrer, source_id, spider, software, sha256, size,
                       content_type, etag, last_modified, warc_file, warc_offset, rendered, note, run_id,
                       request_body)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (fetch.url, fetch.final_url, revision, fetch.status,
                 json.dumps([list(h) for h in fetch.headers], ensure_ascii=False),
                 json.dumps([list(h) for h in fetch.request_headers], ensure_ascii=False), fetch.method,
                 fetch.fetched_at, fetch.fetched_at, fetch.referrer, fetch.source_id, fetch.spider,
                 self.software, sha, len(fetch.body), header(fetch.headers, "content-type"),
                 header(fetch.headers, "etag"), header(fetch.headers, "last-modified"), pos.file, pos.offset,
                 int(fetch.rendered), fetch.note, run_id,
                 fetch.request_body.decode("latin-1") if fetch.request_body else None),
            )
            snapshot_id, new_snapshot = cur.lastrowid, True
        cur = conn.execute(
            "INSERT INTO fetches (run_id, url, final_url, status, fetched_at, snapshot_id, not_modified,"
            " new_snapshot, source_id, spider, warc_file, warc_offset) VALUES (?,?,?,?,?,?,0,?,?,?,?,?)",
            (run_id, fetch.url, fetch.final_url, fetch.status, fetch.fetched_at, snapshot_id, int(new_snapshot),
             fetch.source_id, fetch.spider, pos.file, pos.offset),
        )
        return Recorded(snapshot_id, sha, new_blob, new_snapshot, cur.lastrowid)

    @staticmethod
    def _refresh_validators(conn: sqlite3.Connection, snapshot_id: int, headers: list[tuple[str, str]],
                            not_modified: bool) -> None:
        """Same bytes, new validators (a file re-uploaded byte for byte gets a new ETag and
        Last-Modified): the next conditional request must echo the new ones, or the server answers
        200 and the file is downloaded whole on every crawl.  A 200 replaces both (as a cache stores
        the new response's headers); a 304 updates only those it carries (RFC 9111 4.3.4: one
        without validators, as some CDNs send, leaves the stored ones alone)."""
        etag, modified = header(headers, "etag"), header(headers, "last-modified")
        if not_modified:
            if etag is None and modified is None:
                return
            conn.execute("UPDATE snapshots SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                         " WHERE id = ?", (etag, modified, snapshot_id))
        else:
            conn.execute("UPDATE snapshots SET etag = ?, last_modified = ? WHERE id = ?", (etag, modified, snapshot_id))

    # -- reading back -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _committed(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection seeing what is committed (WAL: never blocked by the writer)."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False,
                                               timeout=30)
            yield self._reader

    def _latest_row(self, url: str, status: int | None = 200, conn: sqlite3.Connection | None = None) -> dict | None:
        """Latest server-bytes snapshot of a URL: the one the newest fetch row of it names (bytes can
        revert to an older snapshot).  Newest by insertion order (row ids), never by wall-clock time:
        after the clock steps back, the snapshot a 304 is rebuilt from must be the one whose
        validators were sent, which is the one the last fetch recorded."""
        where, args = "s.url = ? AND s.rendered = 0", [url]
        if status is not None:
            where += " AND s.status = ?"
            args.append(status)
        conn = conn or self.db.conn
        cur = conn.execute(
            f"SELECT s.* FROM fetches f JOIN snapshots s ON s.id = f.snapshot_id WHERE f.url = ? AND {where}"
            " ORDER BY f.id DESC LIMIT 1", [url, *args])
        row = cur.fetchone()
        if row is None:  # no fetch row (an archive written before fetches existed): the newest snapshot
            cur = conn.execute(f"SELECT s.* FROM snapshots s WHERE {where} ORDER BY s.id DESC LIMIT 1", args)
            row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def conditional_headers(self, url: str) -> dict[str, str]:
        with self._committed() as conn:
            row = self._latest_row(url, conn=conn)
        out: dict[str, str] = {}
        if row and row["etag"]:
            out["If-None-Match"] = row["etag"]
        if row and row["last_modified"]:
            out["If-Modified-Since"] = row["last_modified"]
        return out

    def latest_body(self, url: str, decode: bool = False) -> tuple[dict, bytes] | None:
        """Latest 200 snapshot and its bytes as received (gzip stays gzip unless `decode`).  None when there
        is none, or its blob is lost or damaged on disk: after a 304 the crawler then asks again without
        validators, and the answer's bytes mend the blob (BlobStore.put)."""
        with self._committed() as conn:
            row = self._latest_row(url, conn=conn)
        if row is None:
            return None
        try:
            body = self.blobs.read(row["sha256"])
        except (OSError, BlobDamaged) as exc:
            logger.warning("the archived bytes of %s (blob %s) cannot be used: %s", url, row["sha256"],
                           exc.reason if isinstance(exc, BlobDamaged) else exc)
            return None
        return row, decode_body(row["headers"], body) if decode else body

    def snapshots(self, url: str) -> list[dict]:
        cur = self.db.conn.execute("SELECT * FROM snapshots WHERE url = ? ORDER BY rendered, revision", (url,))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
