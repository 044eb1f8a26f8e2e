"""Whether the portal still offers a report: listed in its column, its page and file still served.

A body takes a report off its column (page then 404, or just unlisted); the archive keeps every
copy, but a reader of /-/report/<id> must not take "revision 1 (latest)" for "still published".
Read from provenance only (documents, fetches, crawl_errors, crawl_runs), never from the network.

No false alarm from a bad night: "no longer listed" needs the source's latest finished run to have
reached the report's column (its list page fetched, no list page failed, paging not cut short, some
report found) and to have neither fetched nor failed on the report's address; a run that failed,
was cut short or crawled other sources says nothing.  "Answers 404" is the last answer the address
gave (HTTP 404/410, or a 200 page saying the item is deleted: crawler/soft404.py).
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.content import decode_body
from archive.store import BlobStore

GONE_STATUSES = (404, 410)


def _one(conn: sqlite3.Connection, sql: str, *args: Any) -> dict | None:
    cur = conn.execute(sql, args)
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))


def _runs_since(conn: sqlite3.Connection, source_id: str, since: str) -> list[dict]:
    """The source's finished runs started after `since`, newest first (the latest 30)."""
    cur = conn.execute("SELECT r.id, r.started_at, s.reports_found FROM crawl_run_sources s"
                       " JOIN crawl_runs r ON r.id = s.run_id WHERE s.source_id = ? AND r.status = 'finished'"
                       " AND r.started_at > ? ORDER BY r.rowid DESC LIMIT 30", (source_id, since))
    return [dict(zip([d[0] for d in cur.description], row, strict=True)) for row in cur.fetchall()]


def _read_column(conn: sqlite3.Connection, run: dict, document: dict) -> bool:
    """Whether the run read the column that listed the document, whole."""
    if not document.get("parent_url"):
        return False
    listed = conn.execute("SELECT 1 FROM fetches WHERE run_id = ? AND url = ? AND (status IN (200, 203, 304)"
                          " OR not_modified = 1) LIMIT 1", (run["id"], document["parent_url"])).fetchone()
    if not listed:
        return False
    broken = conn.execute("SELECT 1 FROM crawl_errors WHERE run_id = ? AND source_id = ? AND (list_page = 1"
                          " OR reason LIKE '%paging stopped%') LIMIT 1", (run["id"], document["source_id"])).fetchone()
    # a list page answering 200 with nothing on it (系统繁忙) is no list: the run must have gone on to
    # some report of the source (found, or tried and failed: a page taken down answers 404)
    went_on = run["reports_found"] or conn.execute(
        "SELECT 1 FROM documents d WHERE d.source_id = ? AND d.kind = 'report' AND (EXISTS (SELECT 1 FROM fetches f"
        " WHERE f.run_id = ? AND f.url = d.url) OR EXISTS (SELECT 1 FROM crawl_errors e WHERE e.run_id = ?"
        " AND e.url = d.url)) LIMIT 1", (document["source_id"], run["id"], run["id"])).fetchone()
    return bool(went_on) and not broken


def _link_needles(url: str) -> list[bytes]:
    """How a list page's href names the document: its last path segment (with its query)."""
    parts = urlsplit(url)
    name = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.path
    if parts.query:
        return [f"{name}?{parts.query}".encode(), f"{name}?{parts.query.replace('&', '&amp;')}".encode()]
    return [name.encode()] if len(name) >= 6 else []


def _still_links(conn: sqlite3.Connection, run: dict, document: dict) -> bool:
    """Whether the list page as that run archived it (each snapshot its fetches name) still links the
    document: then it is listed, whatever kept the crawl from asking for it (a walk's page budget).
    Unreadable bytes are no proof that it is gone."""
    needles = _link_needles(document["url"])
    if not needles:
        return True
    db_file = conn.execute("PRAGMA database_list").fetchone()[2]
    if not db_file:
        return True
    for sha256, headers in conn.execute(
            "SELECT s.sha256, s.headers FROM fetches f JOIN snapshots s ON s.id = f.snapshot_id"
            " WHERE f.run_id = ? AND f.url = ?", (run["id"], document["parent_url"])):
        body = _list_bytes(str(Path(db_file).parent), sha256, headers)
        if body is None or any(n in body for n in needles):
            return True
    return False


@lru_cache(maxsize=32)
def _list_bytes(root: str, sha256: str, headers: str | None) -> bytes | None:
    """A list page's bytes, decoded; None when lost, damaged on disk or unreadable (a parse asks of one
    list page for each report it no longer shows, night after night).  Checked against its name: a cut
    blob would no longer show the link, and the report would pass for withdrawn."""
    try:
        return decode_body(headers, BlobStore(Path(root)).read(sha256))
    except Exception:  # noqa: BLE001 - a lost, damaged or unreadable blob proves nothing
        return None


def _tried(conn: sqlite3.Connection, run: dict, url: str) -> bool:
    """Whether the run asked for the address (answered or failed): it was listed."""
    return conn.execute("SELECT 1 FROM fetches WHERE run_id = ? AND url = ? UNION ALL SELECT 1 FROM crawl_errors"
                        " WHERE run_id = ? AND url = ? LIMIT 1", (run["id"], url, run["id"], url)).fetchone() is not None


def unlisted(conn: sqlite3.Connection, document: dict | None) -> dict | None:
    """{since, runs, last_listed, list_url} when the latest finished run that read the document's
    column whole did not list it: `since` is the first such run after its last sighting, `runs` how
    many such runs have missed it.  Runs that did not read the column (failed list page, another
    source's crawl, cut short) are passed over: they neither mark nor clear it."""
    if not document or document.get("kind") != "report" or not document.get("last_seen_at"):
        return None
    missed = []
    for run in _runs_since(conn, document["source_id"], document["last_seen_at"]):
        if not _read_column(conn, run, document):
            continue
        # asked for (a page that failed to load is a fetch error, not a withdrawal), or still linked
        # from the list (a walk's page budget spent before it): listed that night
        if _tried(conn, run, document["url"]) or _still_links(conn, run, document):
            break
        missed.append(run)
    if not missed:  # the latest crawl that read the column listed it (or none read it)
        return None
    return {"since": missed[-1]["started_at"], "runs": len(missed), "last_listed": document["last_seen_at"],
            "list_url": document["parent_url"]}


def not_served(conn: sqlite3.Connection, url: str | None) -> dict | None:
    """{url, status, since, last} when the address's latest answer says the item is gone: HTTP
    404/410, or a page the crawl recorded as a soft 404 (该信息已删除); `since` is the first answer of
    that run of answers (a 404 each night since)."""
    if not url:
        return None
    sql = ("SELECT f.id, f.run_id, f.status, f.fetched_at, EXISTS (SELECT 1 FROM crawl_errors e"
           " WHERE e.run_id = f.run_id AND e.url = f.url AND e.reason LIKE 'soft 404%') AS soft"
           " FROM fetches f WHERE f.url = ? ORDER BY f.id DESC LIMIT ?")
    latest = conn.execute(sql, (url, 1)).fetchone()  # most addresses: served, one row read
    if latest is None or not (latest[2] in GONE_STATUSES or latest[4]):
        return None
    streak = []
    for r in conn.execute(sql, (url, 50)).fetchall():
        if not (r[2] in GONE_STATUSES or r[4]):
            break
        streak.append(r)
    last = streak[0]
    return {"url": url, "status": "soft 404" if last[4] and last[2] not in GONE_STATUSES else f"HTTP {last[2]}",
            "since": streak[-1][3], "last": last[3]}


def portal_state(conn: sqlite3.Connection, report: dict, document: dict | None = None) -> dict | None:
    """What the portal's last crawl says of the report: {unlisted, not_served: [...]}, None when it is
    still listed and served (or no crawl can tell)."""
    if document is None and report.get("document_id"):
        document = _one(conn, "SELECT * FROM documents WHERE id = ?", report["document_id"])
    urls = list(dict.fromkeys(u for u in (report.get("url"), report.get("source_url")) if u))
    served = [s for s in (not_served(conn, u) for u in urls) if s]
    listed = unlisted(conn, document)
    if not served and not listed:
        return None
    return {"unlisted": listed, "not_served": served}


def summary(state: dict | None) -> str | None:
    """One line for the `reports.gone` column: what is gone, since when."""
    if not state:
        return None
    parts = []
    if state["unlisted"]:
        parts.append(f"no longer listed since {state['unlisted']['since']}")
    parts += [f"{s['url']} answers {s['status']} since {s['since']}" for s in state["not_served"]]
    return "; ".join(parts)


def gone_column(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(summary, report id) of every report its portal no longer lists or serves: the `reports.gone`
    column, written by each parse (revisions of one address share one answer)."""
    out, seen = [], {}
    for rid, url, source_url, document_id in conn.execute("SELECT id, url, source_url, document_id FROM reports"):
        key = (url, source_url, document_id)
        if key not in seen:
            seen[key] = summary(portal_state(conn, {"url": url, "source_url": source_url, "document_id": document_id}))
        if seen[key]:
            out.append((seen[key], rid))
    return out
