"""`nianbao status`: is the archive healthy?  Read from nianbao.db and the blob store only.

Made for unattended crawls: the exit code is non-zero when something needs a person (a source
that found nothing or only errors, a portal blocking us, a run that crashed or failed, no run
for too long), so cron mail or a monitoring check picks it up without parsing the text.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive.store import RESERVE_LEAST, ROBOTS_DISALLOWED, free_bytes, reserve_bytes, run_held
from crawler.died import attention_line, died_runs, followed_up_line
from crawler.lock import lock_state
from crawler.nights import failed_to_start, last_night
from crawler.schedule import REPARSE_PENDING, parse_every

EXIT_OK, EXIT_ATTENTION, EXIT_NO_ARCHIVE = 0, 1, 2
STALL_WARNING = 1800  # seconds a running crawl may go without a fetch before status flags it


@dataclass
class SourceHealth:
    source_id: str
    run_id: str
    when: str | None
    pages: int
    reports_found: int
    attachments: int
    errors: int
    blocked: int
    top_errors: list[tuple[str, int]] = field(default_factory=list)
    problem: str | None = None
    notes: list[str] = field(default_factory=list)  # `note:` rows: the crawl was cut short here, not an error
    # finished runs in a row, the latest among them, in which it found no report or was blocked (failing_streak)
    failing_runs: int = 0
    failing_since: str | None = None

    @property
    def streak(self) -> str:
        """'; failing for 3 runs since 2026-11-21' after a problem that is not last night's alone."""
        if not self.problem or self.failing_runs < 2:
            return ""
        return f"; failing for {self.failing_runs} runs since {(self.failing_since or '')[:10]}"


@dataclass
class Health:
    data_dir: str
    runs: list[dict]
    sources: list[SourceHealth]
    unfinished: list[dict]
    running: list[dict]
    growth: dict
    attention: list[str]
    # runs whose processes died, not yet followed up or followed up by the newest finished run (crawler/died.py)
    died: list[dict] = field(default_factory=list)
    # what the newest run noted about itself, and the died runs it followed up: not problems
    notes: list[str] = field(default_factory=list)
    # open runs nobody can tell running or died (the crawl lock could not be read at all)
    untold: list[dict] = field(default_factory=list)
    # the last `nianbao schedule` night as it recorded itself (crawler/nights.py), or None
    last_night: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.attention

    def followed_up_by(self, run_id: str) -> list[str]:
        """Lines for the died runs `run_id` followed up: that run's scheduler reports them, once."""
        return [followed_up_line(d) for d in self.died if d["followed_by"] == run_id]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d


def _rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def blob_usage(data_dir: Path) -> tuple[int, int]:
    root = Path(data_dir) / "blobs"
    count = size = 0
    if root.exists():
        for p in root.rglob("*"):
            if p.is_file() and not p.name.startswith("."):
                count += 1
                size += p.stat().st_size
    return count, size


BASELINE_RUNS = 7  # a source's count is compared with its best in this many earlier finished runs
ACKS = "status-acks.json"  # source id -> run id: `status --ack` accepted that run's count as the new normal


def baseline(conn: sqlite3.Connection, source_id: str, before_seq: int, since_seq: int = 0) -> tuple[int, str, bool] | None:
    """(best count, its run, is it the run just before) over the source's last BASELINE_RUNS finished
    runs: a drop stays flagged night after night until the count recovers or is acknowledged, not
    only on the night it happened.  Runs are ordered by insertion (rowid), never by the clock."""
    rows = conn.execute(
        "SELECT s.reports_found, r.id FROM crawl_run_sources s JOIN crawl_runs r ON r.id = s.run_id"
        " WHERE s.source_id = ? AND r.rowid < ? AND r.rowid >= ? AND r.status = 'finished'"
        " ORDER BY r.rowid DESC LIMIT ?", (source_id, before_seq, since_seq, BASELINE_RUNS)).fetchall()
    if not rows:
        return None
    best = max(range(len(rows)), key=lambda i: (rows[i][0] or 0, -i))
    return rows[best][0] or 0, rows[best][1], best == 0


def load_acks(data_dir: Path | None) -> tuple[dict[str, str], str | None]:
    """(source id -> run id as written by `--ack`, what is wrong with the file or None).  A file
    that is not that mapping (torn JSON, a list, nested values, a directory in its place) is named
    and ignored, as if no count had been accepted: the cron monitor must still report, and the
    next `--ack` writes the file whole again."""
    path = Path(data_dir) / ACKS if data_dir else None
    if path is None or not (path.exists() or path.is_symlink()):
        return {}, None
    try:
        acked = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return {}, f"{path} is unreadable, ignored (`nianbao status --ack` rewrites it): {str(exc)[:120]}"
    if not isinstance(acked, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in acked.items()):
        return {}, (f"{path} is not a map of source id to run id, ignored (`nianbao status --ack` rewrites it):"
                    f" holds {type(acked).__name__} {json.dumps(acked, ensure_ascii=False)[:80]}")
    return acked, None


def read_acks(conn: sqlite3.Connection, data_dir: Path | None) -> dict[str, int]:
    """Source id -> rowid of the run whose count the operator accepted (`nianbao status --ack`)."""
    acked, _ = load_acks(data_dir)
    out = {}
    for source_id, run_id in acked.items():
        row = conn.execute("SELECT rowid FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        if row:
            out[source_id] = row[0]
    return out


def _shown(source_id: str, limit: int = 80) -> str:
    """An id as an operator typed it, cut: a 100,000-character typo is not echoed in full."""
    return repr(source_id if len(source_id) <= limit else source_id[:limit] + f"…(+{len(source_id) - limit} chars)")


def acknowledge(data_dir: Path, source_ids: list[str]) -> list[str]:
    """Accept each source's count in its latest run as its new normal; returns what was acknowledged.
    A corrupt acks file is replaced whole (its entries were ignored already); one the program cannot
    replace (a directory in its place) is a ValueError naming it."""
    conn = sqlite3.connect(Path(data_dir) / "nianbao.db", timeout=30)
    try:
        path = Path(data_dir) / ACKS
        if path.is_dir():
            raise ValueError(f"{path} is a directory: remove it, then acknowledge again")
        acked, _ = load_acks(data_dir)
        done = []
        for source_id in source_ids:
            row = conn.execute("SELECT s.run_id, s.reports_found FROM crawl_run_sources s JOIN crawl_runs r"
                               " ON r.id = s.run_id WHERE s.source_id = ? ORDER BY r.rowid DESC LIMIT 1",
                               (source_id,)).fetchone()
            if not row:  # a typo must not look accepted: nothing is written
                raise ValueError(f"no crawl of source {_shown(source_id)} is recorded (see `nianbao sources`)")
            acked[source_id] = row[0]
            done.append(f"{source_id}: {row[1]} reports in run {row[0]} accepted")
    finally:
        conn.close()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(acked, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return done


# A source failed a finished run when it found no report in it or was blocked; it did well when it
# found reports unblocked.  Its streak is the failed runs since its last good one (a run that did not
# finish is neither: its counts are where it stopped).  crawl_health (archive/datasette/metadata.yml)
# counts the same.
_FAILING_STREAK = """
    WITH runs AS (
      SELECT r.rowid AS seq, r.started_at,
             coalesce(x.reports_found, 0) = 0 OR EXISTS (SELECT 1 FROM crawl_errors e WHERE e.run_id = x.run_id
               AND e.source_id = x.source_id AND e.reason LIKE 'blocked%') AS failing
      FROM crawl_run_sources x JOIN crawl_runs r ON r.id = x.run_id
      WHERE x.source_id = ? AND r.status = 'finished')
    SELECT count(*), min(started_at) FROM runs
    WHERE failing AND seq > coalesce((SELECT max(seq) FROM runs WHERE NOT failing), 0)"""


def failing_streak(conn: sqlite3.Connection, source_id: str) -> tuple[int, str | None]:
    """(finished runs it has failed since it last did well, when the first of them started): a portal
    dead for a week is told apart from one that failed last night."""
    n, since = conn.execute(_FAILING_STREAK, (source_id,)).fetchone()
    return n or 0, since


def source_health(conn: sqlite3.Connection, data_dir: Path | None = None) -> list[SourceHealth]:
    """Each source's latest closed run (rows are written when a run closes)."""
    # one pass (a window), not a max() per row: that was quadratic, 8 s for 1,700 sources × 2 runs
    latest = _rows(conn, """
        SELECT * FROM (
          SELECT s.*, r.started_at, r.rowid AS run_seq, r.status AS run_status,
                 rank() OVER (PARTITION BY s.source_id ORDER BY r.rowid DESC) AS nth
          FROM crawl_run_sources s JOIN crawl_runs r ON r.id = s.run_id)
        WHERE nth = 1
        ORDER BY source_id""")
    out = []
    acks = read_acks(conn, data_dir)
    for row in latest:
        reasons = _rows(conn, "SELECT reason, count(*) n FROM crawl_errors WHERE run_id = ? AND source_id = ?"
                              " GROUP BY reason ORDER BY n DESC, reason", (row["run_id"], row["source_id"]))
        notes = [r["reason"] for r in reasons if r["reason"].startswith("note:")]
        notes += [f"{ROBOTS_DISALLOWED}: {r['n']} URL{'s' if r['n'] > 1 else ''} (the site's policy, not an error)"
                  for r in reasons if r["reason"] == ROBOTS_DISALLOWED]
        reasons = [r for r in reasons if not r["reason"].startswith("note:") and r["reason"] != ROBOTS_DISALLOWED]
        blocked = sum(r["n"] for r in reasons if r["reason"].startswith("blocked"))
        errors = max(row["errors"] or 0, sum(r["n"] for r in reasons))
        row.pop("nth", None)
        run_seq, run_status = row.pop("run_seq"), row.pop("run_status")
        sh = SourceHealth(source_id=row["source_id"], run_id=row["run_id"], when=row["started_at"],
                          pages=row["pages"] or 0, reports_found=row["reports_found"] or 0,
                          attachments=row["attachments"] or 0, errors=errors, blocked=blocked,
                          top_errors=[(r["reason"], r["n"]) for r in reasons[:3]], notes=notes)
        base = baseline(conn, row["source_id"], run_seq, acks.get(row["source_id"], 0))
        previous = base[0] if base else None
        was = ""
        if previous:
            was = f" (was {previous} in the run before)" if base[2] else f" (was {previous} in run {base[1]})"
        # a run that did not finish (interrupted, a full disk) is flagged itself, with its reason; the
        # counts it left are where it stopped, no news of the portal: only the errors it recorded are judged
        ended = run_status not in ("finished", "running")
        why_ended = (run_status or "").split(" (")[0]
        if ended and sh.pages == 0 and not errors:  # the run never got to it: not the portal's fault
            sh.notes.append(f"not reached: run ended {why_ended!r} before crawling this source")
        elif blocked:
            why = next(r["reason"] for r in reasons if r["reason"].startswith("blocked"))
            sh.problem = f"{why} ({blocked} request{'s' if blocked > 1 else ''})"
        elif ended and not (sh.pages == 0 and reasons):
            sh.notes.append(f"cut short: run ended {why_ended!r} while crawling this source (so far: pages {sh.pages},"
                            f" reports {sh.reports_found}, errors {errors}); its counts are not compared")
        elif sh.pages == 0 and errors:
            sh.problem = f"only errors ({errors})"
            if reasons:  # name the error an operator has to look at: what, and where
                url = conn.execute("SELECT url FROM crawl_errors WHERE run_id = ? AND source_id = ? AND reason = ?"
                                   " AND url IS NOT NULL LIMIT 1",
                                   (row["run_id"], row["source_id"], reasons[0]["reason"])).fetchone()
                sh.problem += f": {reasons[0]['reason']}" + (f" at {url[0]}" if url else "")
        elif sh.reports_found == 0 and zero_accepted(acks.get(row["source_id"]), run_seq, previous):
            sh.notes.append("0 reports found, accepted as normal by `nianbao status --ack` (flagged again when"
                            " the count changes)")
        elif sh.reports_found == 0:
            sh.problem = "0 reports found" + was
        elif previous and sh.reports_found < previous:
            sh.problem = f"reports found dropped from {previous} to {sh.reports_found}" + (
                "" if base[2] else f" (best of the last {BASELINE_RUNS} finished runs: run {base[1]};"
                                   f" `nianbao status --ack {row['source_id']}` accepts the new count)")
        elif lost := lost_list_pages(conn, row["source_id"], row["run_id"], run_seq):
            url, reason = lost[0]
            sh.problem = (f"a page of its 年报 list failed this run and the one before: {reason} at {url}"
                          + (f" (and {len(lost) - 1} more)" if len(lost) > 1 else "")
                          + "; the reports listed there are not archived")
        sh.failing_runs, sh.failing_since = failing_streak(conn, row["source_id"])
        out.append(sh)
    return out


def zero_accepted(acked_seq: int | None, run_seq: int, previous: int | None) -> bool:
    """Did the operator accept a count of 0 (`status --ack` on this run, or on an earlier one with no
    report found in any finished run since)?  A portal that stopped publishing, or a source kept for
    later, must not mail every night; a report found again (then lost) is a change, flagged anew."""
    return acked_seq is not None and acked_seq <= run_seq and not previous


def lost_list_pages(conn: sqlite3.Connection, source_id: str, run_id: str, run_seq: int) -> list[tuple[str, str]]:
    """(url, reason) of the pages of the source's 年报 lists that failed in this run and, at the same
    URL, in its previous finished run: a list page lost for good hides its reports night after night,
    while one failure is a bad night (retried by the next run, not flagged)."""
    before = conn.execute(
        "SELECT r.id FROM crawl_run_sources s JOIN crawl_runs r ON r.id = s.run_id WHERE s.source_id = ?"
        " AND r.rowid < ? AND r.status = 'finished' ORDER BY r.rowid DESC LIMIT 1", (source_id, run_seq)).fetchone()
    if not before:
        return []
    return [(u, r) for u, r in conn.execute(
        "SELECT e.url, min(e.reason) FROM crawl_errors e WHERE e.run_id = ? AND e.source_id = ? AND e.list_page = 1"
        " AND e.reason NOT LIKE 'note:%' AND EXISTS (SELECT 1 FROM crawl_errors p WHERE p.run_id = ?"
        " AND p.source_id = e.source_id AND p.url = e.url AND p.list_page = 1 AND p.reason NOT LIKE 'note:%')"
        " GROUP BY e.url ORDER BY e.url", (run_id, source_id, before[0]))]


def run_notes(conn: sqlite3.Connection, runs: list[dict]) -> list[str]:
    """The run-level rows the newest closed run wrote although it finished: a distributed worker
    that died, whose requests were re-queued and crawled again.  Nothing was lost, so no attention
    and no exit code; but a host losing its worker is what an operator reading `status` looks for."""
    closed = [r for r in runs if r["finished_at"]]
    if not closed or closed[0]["status"] != "finished":
        return []  # a run that did not finish is an attention line, its reason with it
    notes = [f"run {closed[0]['id']}: {reason}" for (reason,) in conn.execute(
        "SELECT reason FROM crawl_errors WHERE run_id = ? AND source_id IS NULL AND url IS NULL ORDER BY id",
        (closed[0]["id"],))]
    # the newest run's start repaired an older run's WARC (a tail cut by a bad copy, a kill's leftovers):
    # filed under the run the WARC belongs to, said here too, or `status` says OK over a repair
    since = closed[1]["finished_at"] if len(closed) > 1 else ""
    notes += [f"run {run_id}: {reason}" for run_id, reason in conn.execute(
        "SELECT run_id, reason FROM crawl_errors WHERE run_id != ? AND source_id IS NULL AND url IS NULL AND at >= ?"
        " AND (reason LIKE 'torn WARC record repaired:%' OR reason LIKE 'WARC mended:%') ORDER BY id",
        (closed[0]["id"], since))]
    return notes


def growth(conn: sqlite3.Connection, data_dir: Path, runs: list[dict]) -> dict:
    blobs, blob_bytes = blob_usage(data_dir)
    snaps, snap_bytes = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM snapshots").fetchone()
    per_run = []
    for run in runs:
        new, new_bytes = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM snapshots WHERE run_id = ?",
                                      (run["id"],)).fetchone()
        per_run.append({"run_id": run["id"], "new_snapshots": new, "new_bytes": new_bytes})
    return {"blobs": blobs, "blob_bytes": blob_bytes, "snapshots": snaps, "snapshot_bytes": snap_bytes,
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "reports": conn.execute("SELECT count(*) FROM documents WHERE kind = 'report'").fetchone()[0],
            "per_run": per_run, "free_bytes": free_bytes(data_dir)}


def open_for_reading(db_path: Path) -> sqlite3.Connection:
    """The archive's database for reading.  A WAL database on a read-only filesystem (a backup mounted
    read-only) cannot be opened the usual way, SQLite wanting its -shm file beside it; with no -wal
    content every committed row is in the database file itself and nobody is writing, so it is read
    as an immutable file.  Raises sqlite3.Error when it cannot be read either way."""
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:  # rows only the -wal holds: reading around it would lie
            raise
    conn = sqlite3.connect(f"{db_path.resolve().as_uri().replace('file://', 'file:', 1)}?immutable=1", uri=True)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def _damaged_blobs(conn: sqlite3.Connection) -> list[str]:
    """URLs whose snapshot's blob the last parse found damaged (archive/store.py BlobDamaged)."""
    try:
        return [r[0] for r in conn.execute("SELECT DISTINCT url FROM parse_failures WHERE reason LIKE 'blob damaged:%'"
                                           " ORDER BY url")]
    except sqlite3.OperationalError:  # a database from before parse_failures
        return []


def health(data_dir: Path, last_runs: int = 5, max_age: float | None = None) -> Health:
    """The archive's state and the list of things needing attention; raises FileNotFoundError without a db."""
    data_dir = Path(data_dir)
    db_path = data_dir / "nianbao.db"
    if not db_path.exists():
        raise FileNotFoundError(db_path)
    conn = open_for_reading(db_path)
    try:
        runs = _rows(conn, "SELECT id, spider, started_at, finished_at, status, stats FROM crawl_runs"
                           " ORDER BY rowid DESC LIMIT ?", (last_runs,))
        for run in runs:
            totals = (json.loads(run.pop("stats") or "{}") or {}).get("totals", {})
            run["fetches"] = totals.get("fetches")
            run["pages"] = totals.get("pages")
            run["reports_found"] = totals.get("reports_found")
            run["errors"] = totals.get("errors")
        open_runs = _rows(conn, "SELECT id, started_at, status FROM crawl_runs WHERE finished_at IS NULL"
                                " ORDER BY rowid DESC")
        for run in open_runs:  # progress of a run not closed yet: its stats are written at the end
            run["fetches"], run["last_fetch"] = conn.execute(
                "SELECT count(*), max(fetched_at) FROM fetches WHERE run_id = ?", (run["id"],)).fetchone()
        progress = {r["id"]: r["fetches"] for r in open_runs}
        for run in runs:
            if run["id"] in progress:
                run["fetches"] = progress[run["id"]]
        lock = lock_state(data_dir)
        holder = lock.holder
        # an open run is in progress if a process holds its own runs/<id>.lock, or (the newest one) if a
        # crawl holds the data dir's crawl lock; with neither (no live process; the lock files deleted
        # or never copied along with the database) it died.  When the crawl lock could not be read at
        # all, the newest one is neither: nobody can tell
        held = {r["id"] for r in open_runs if run_held(data_dir / "runs", r["id"])}
        running = [r for i, r in enumerate(open_runs) if r["id"] in held or (i == 0 and holder is not None)]
        untold = [r for i, r in enumerate(open_runs) if i == 0 and not lock.known and r not in running]
        unfinished = [r for r in open_runs if r not in running and r not in untold]
        sources = source_health(conn, data_dir)
        grown = growth(conn, data_dir, runs)
        died = died_runs(conn, unfinished)
        notes = run_notes(conn, runs)
        damaged = _damaged_blobs(conn)
    finally:
        conn.close()
    attention = []
    if lock.problem:
        attention.append(lock.problem + (
            "; whether a crawl holds the data dir is told by the data directory's own lock" if lock.known
            else "; whether a crawl holds the data dir cannot be told"))
    for run in untold:
        run["state"] = "unknown"
        attention.append(f"run {run['id']} (started {run['started_at']}) has not finished: cannot tell whether it is"
                         f" still running or died (no process holds its runs/{run['id']}.lock, and the crawl lock"
                         f" could not be read)")
    _, acks_problem = load_acks(data_dir)
    if acks_problem:
        attention.append(acks_problem)
    for run in unfinished:  # killed (SIGKILL, OOM, power): its row still says running, nobody holds the lock
        run["state"] = "died"
    # a died run stays here until finished runs have crawled its sources again: the next run's start
    # marking it 'interrupted' is no news to the operator, who may not have heard of it yet
    attention += [attention_line(d) for d in died if d["followed_by"] is None]
    # followed up by the newest finished run (whose scheduler reported it): why an `interrupted` run
    # listed above is no longer a problem
    notes += [followed_up_line(d) for d in died if d["followed_by"] is not None]
    pending = data_dir / REPARSE_PENDING
    if holder is None and pending.is_file():  # its crawl finished, its re-parse was killed: the data is whole
        notes.append(f"the re-parse a `schedule --reparse` asked for at"
                     f" {pending.read_text(encoding='utf-8', errors='replace').strip()[:40]} did not complete"
                     f" ({pending.name}): the next `nianbao schedule --once` does it, or `nianbao parse` now")
    for run in running:  # in progress: how far, and is it still moving?
        last = _parse_time(run.get("last_fetch") or run["started_at"])
        quiet = (datetime.now(UTC) - last).total_seconds() if last else 0
        if quiet > STALL_WARNING:
            attention.append(f"run {run['id']} is running but has fetched nothing for {quiet / 60:.0f} min"
                             f" ({run['fetches']} fetches so far)")
    room = (grown["free_bytes"] or 0) + reserve_bytes(data_dir)
    if grown["free_bytes"] is not None and room < 2 * RESERVE_LEAST:
        attention.append(f"the data dir's disk is full: {human_bytes(grown['free_bytes'])} free, less than the"
                         f" {human_bytes(2 * RESERVE_LEAST)} a crawl needs to start and record its end; make room")
    closed = [r for r in runs if r["finished_at"]]
    if closed and closed[0]["status"] != "finished" and closed[0]["id"] not in {d["id"] for d in died}:
        attention.append(f"last run {closed[0]['id']} ended {closed[0]['status']!r}")
    for sh in sources:
        if sh.problem:
            attention.append(f"source {sh.source_id}: {sh.problem} in run {sh.run_id}{sh.streak}")
    night = last_night(data_dir)
    if line := failed_to_start(night, runs[0]["started_at"] if runs else None):
        attention.append(line)
    if damaged:
        attention.append(f"{len(damaged)} archived blobs are damaged on disk (they no longer hash to their names) and were"
                         f" not parsed, e.g. {damaged[0]}: `nianbao verify` lists them; fetch them again or restore them"
                         " from a copy")
    if not runs:
        attention.append("no crawl run recorded yet")
    if max_age is not None and runs:
        newest = max((_parse_time(r["started_at"]) for r in runs if r["started_at"]), default=None)
        if newest is not None and (datetime.now(UTC) - newest).total_seconds() > max_age:
            attention.append(f"no crawl started since {runs[0]['started_at']} (older than {human_duration(max_age)})")
    return Health(str(data_dir), runs, sources, unfinished, running, grown, attention, died, notes, untold, night)


def human_duration(seconds: float) -> str:
    """172800 -> '48h', as the operator wrote it in --max-age."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def human_bytes(n: int | float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"  # pragma: no cover


LIST_ALL_UP_TO = 30  # sources listed one per line; a bigger registry gets a summary and its problem sources


def format_text(h: Health, all_sources: bool = False) -> str:
    lines = [f"nianbao status: {h.data_dir}", "", "runs (newest first):"]
    per_run = {g["run_id"]: g for g in h.growth["per_run"]}
    running = {r["id"] for r in h.running}
    untold = {r["id"] for r in h.untold}
    for run in h.runs:
        state = ("running" if run["id"] in running else run["status"] if run["finished_at"]
                 else "UNKNOWN (running or died: the crawl lock is unreadable)" if run["id"] in untold
                 else "DID NOT FINISH (died)")
        g = per_run.get(run["id"], {})
        lines.append(f"  {run['id']}  {state:<10} fetches {run['fetches'] or 0:>5}  reports {run['reports_found'] or 0:>4}"
                     f"  errors {run['errors'] or 0:>4}  +{g.get('new_snapshots', 0)} snapshots"
                     f" (+{human_bytes(g.get('new_bytes', 0))})")
    if not h.runs:
        lines.append("  (none)")
    lines += ["", "sources (last run):"]
    shown = h.sources
    if not all_sources and len(h.sources) > LIST_ALL_UP_TO:
        # 1,700 lines hide the few that matter: count them all, list those needing attention
        shown = [s for s in h.sources if s.problem or s.notes]
        problems = sum(1 for s in h.sources if s.problem)
        lines.append(f"  {len(h.sources)} sources: {len(h.sources) - problems} ok, {problems} need attention"
                     f" ({sum(s.pages for s in h.sources)} pages, {sum(s.reports_found for s in h.sources)} reports);"
                     f" listed below: {len(shown)} with a problem or a note (--all lists every source)")
    width = max([len(s.source_id) for s in shown] + [6])
    for s in shown:
        lines.append(f"  {s.source_id:<{width}}  {(s.when or '')[:19]}  pages {s.pages:>4}  reports {s.reports_found:>3}"
                     f"  errors {s.errors:>3}" + (f"  <- {s.problem}{s.streak}" if s.problem else ""))
        lines += [f"  {'':<{width}}  {n}" for n in s.notes]
    g = h.growth
    lines += ["", f"archive: {g['blobs']} blobs ({human_bytes(g['blob_bytes'])}), {g['snapshots']} snapshots"
                  f" ({human_bytes(g['snapshot_bytes'])}), {g['documents']} documents ({g['reports']} reports)"
                  + (f"; {human_bytes(g['free_bytes'])} free on its disk" if g.get("free_bytes") is not None else "")]
    if h.notes:
        lines += ["", "notes (not problems):"] + [f"  - {n}" for n in h.notes]
    lines += ["", "OK: nothing needs attention" if h.ok else f"ATTENTION ({len(h.attention)}):"]
    lines += [f"  - {a}" for a in h.attention]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`nianbao status [--data DIR] [--json] [--runs N] [--max-age 48h]`; exit 1 when attention is needed."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["status"]:
        argv = argv[1:]
    ap = argparse.ArgumentParser(prog="nianbao status", description="Health of the archive and its crawls.")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NIANBAO_DATA", "data")),
                    help="data directory (default $NIANBAO_DATA or ./data)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--all", action="store_true",
                    help=f"list every source (default: all up to {LIST_ALL_UP_TO}, else a summary and the sources"
                         " with a problem or a note)")
    ap.add_argument("--runs", type=int, default=5, help="how many recent runs to show (default 5)")
    ap.add_argument("--max-age", type=parse_every, default=None, metavar="DURATION",
                    help="attention if no crawl started within this long (e.g. 48h)")
    ap.add_argument("--ack", nargs="+", default=None, metavar="SOURCE_ID",
                    help="accept these sources' report counts in their latest run as normal, 0 included,"
                         " until the count changes (a drop stays flagged until the count recovers or is"
                         " acknowledged); errors and blocks stay flagged: a source gone for good is removed"
                         " from the registry (or left out with --only)")
    args = ap.parse_args(argv)
    if args.ack:
        if not (args.data / "nianbao.db").exists():
            print(f"nianbao status: no archive at {args.data / 'nianbao.db'}", file=sys.stderr)
            return EXIT_NO_ARCHIVE
        try:
            accepted = acknowledge(args.data, args.ack)
        except ValueError as exc:
            print(f"nianbao status: {exc}", file=sys.stderr)
            return 2
        for line in accepted:
            print(f"acknowledged: {line}")
    try:
        h = health(args.data, last_runs=args.runs, max_age=args.max_age)
    except FileNotFoundError as exc:
        print(f"nianbao status: no archive at {exc}", file=sys.stderr)
        return EXIT_NO_ARCHIVE
    except sqlite3.Error as exc:  # no permission, a damaged file, a -wal it cannot read on a read-only disk
        print(f"nianbao status: cannot read the archive at {args.data / 'nianbao.db'}: {exc}", file=sys.stderr)
        return EXIT_NO_ARCHIVE
    print(json.dumps(h.as_dict(), ensure_ascii=False, indent=2) if args.json else format_text(h, args.all))
    return EXIT_OK if h.ok else EXIT_ATTENTION


if __name__ == "__main__":
    sys.exit(main())
