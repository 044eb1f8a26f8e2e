"""Runs whose processes died (SIGKILL, the OOM killer, a reboot), until someone has been told.

A killed crawl cannot report itself: the scheduler dies with it, so the night has no exit code and
no mail.  It is told twice instead.  `nianbao status` flags it from the moment it died until it has
been *followed up*: every source it was crawling (still in the registry) has since been crawled by
a run that finished.  And the run that completes that follow-up (the next night's
`schedule --once`, usually the one whose start found the run dead and marked it `interrupted`)
names it in an `attention:` line and exits 4, so a cron set up as the README shows mails it once.
A `nianbao crawl` run by hand names it the same way on its terminal (`nianbao crawl: attention: …`,
its exit code its own crawl's).  After that it is history: `status` says OK again, and no later night
mentions it.  Dead means no live process holds the run's own `runs/<id>.lock` nor (the newest open
run) the data dir's crawl.lock: lock files deleted or left behind on a copy decide nothing.
"""

from __future__ import annotations

import json
import sqlite3

from archive.store import DIED

SHOW_MISSING = 5  # sources named in a line; the rest are counted


def _sources(text: str | None) -> set[str]:
    try:
        ids = json.loads(text or "[]")
    except ValueError:
        return set()
    return {i for i in ids if isinstance(i, str)} if isinstance(ids, list) else set()


def died_runs(conn: sqlite3.Connection, unmarked: list[dict]) -> list[dict]:
    """The died runs someone must still hear of: those not yet followed up (`followed_by` None),
    and those the newest finished run followed up (`followed_by` its id: that run reports them).
    `unmarked` are open runs nobody holds (dead, not yet marked `interrupted` by a later run's
    start); the marked ones are found by the crawl_errors row `recover()` writes (archive.store.DIED).
    Each comes with how far it got (fetches, new snapshots, its last fetch)."""
    died = [{"id": r["id"], "marked": False} for r in unmarked]
    died += [{"id": r[0], "marked": True} for r in conn.execute(
        "SELECT r.id FROM crawl_runs r WHERE r.status = 'interrupted' AND EXISTS (SELECT 1 FROM crawl_errors e"
        " WHERE e.run_id = r.id AND e.source_id IS NULL AND e.reason = ?)", (DIED,))]
    if not died:
        return []
    for d in died:
        d["seq"], d["started_at"], d["status"], sources = conn.execute(
            "SELECT rowid, started_at, status, sources FROM crawl_runs WHERE id = ?", (d["id"],)).fetchone()
        d["wanted"] = _sources(sources)
    registry = {r[0] for r in conn.execute("SELECT id FROM sources")}
    followers = [(seq, run_id, _sources(sources)) for seq, run_id, sources in conn.execute(
        "SELECT rowid, id, sources FROM crawl_runs WHERE status = 'finished' AND rowid > ? ORDER BY rowid",
        (min(d["seq"] for d in died),))]
    newest = followers[-1][1] if followers else None
    out = []
    for d in sorted(died, key=lambda d: d["seq"]):
        # a source taken out of the registry since is not waited for; a run that names no source
        # (an archive older than the column) is followed up by the next run that finishes
        missing = d.pop("wanted") & registry if registry else d.pop("wanted")
        d["followed_by"] = None
        # one still open is not followed up by anything: a later run's start would have marked it
        # (crawls exclude each other, crawler/lock.py), so whatever finished after it ran beside it
        for seq, run_id, crawled in followers if d["marked"] else []:
            if seq > d["seq"]:
                missing -= crawled
                if not missing:
                    d["followed_by"] = run_id
                    break
        if d["followed_by"] not in (None, newest):
            continue
        d["missing"] = sorted(missing) if d["followed_by"] is None else []
        d["fetches"], d["last_fetch"] = conn.execute(
            "SELECT count(*), max(fetched_at) FROM fetches WHERE run_id = ?", (d["id"],)).fetchone()
        d["new_snapshots"], d["new_bytes"] = conn.execute(
            "SELECT count(*), coalesce(sum(size), 0) FROM snapshots WHERE run_id = ?", (d["id"],)).fetchone()
        d.pop("seq")
        out.append(d)
    return out


def how_far(d: dict) -> str:
    """'12 fetches (+12 new snapshots, 7.9 KB), the last at …': what the dead run had archived."""
    from crawler.monitor import human_bytes  # here: crawler.monitor imports this module

    text = (f"{d['fetches']} fetch{'es' if d['fetches'] != 1 else ''} (+{d['new_snapshots']} new snapshot"
            f"{'s' if d['new_snapshots'] != 1 else ''}, {human_bytes(d['new_bytes'])})")
    return text + (f", the last at {d['last_fetch']}" if d.get("last_fetch") else "")


def attention_line(d: dict) -> str:
    """`status`'s line for a died run not yet followed up."""
    head = f"run {d['id']} (started {d['started_at']}) "
    if not d["marked"]:
        return (head + f"did not finish: died (status still {d['status']!r}; no live process holds its"
                f" runs/{d['id']}.lock nor the data dir's crawl.lock)"
                f" after {how_far(d)}")
    missing = d["missing"]
    named = ", ".join(missing[:SHOW_MISSING]) + (f" and {len(missing) - SHOW_MISSING} more"
                                                 if len(missing) > SHOW_MISSING else "")
    return (head + f"died after {how_far(d)} (killed: SIGKILL, the OOM killer or a reboot; a later run marked it"
            f" 'interrupted'); not crawled again since by a run that finished: {named or 'its sources'}")


def followed_up_line(d: dict) -> str:
    """The line of the run that followed a died run up: it reports the death once."""
    return (f"run {d['id']} (started {d['started_at']}) died after {how_far(d)} (killed: SIGKILL, the OOM"
            f" killer or a reboot; marked 'interrupted'); run {d['followed_by']} has now crawled its sources again")
