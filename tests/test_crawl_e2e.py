"""A whole crawl of the replica portal (every family, no faults), then an unchanged re-crawl.

Checked the way a user would: the archive's tables and blob store, and what the portal's servers
saw (rep.requests), never the crawler's internals.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from crawler.run import crawl
from tests.portal.server import Replica

FAST = {
    # the replica answers in microseconds: keep politeness mechanics on, but with tiny delays
    "DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
    "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING",
}


def blob_count(data: Path) -> int:
    root = data / "blobs"
    return sum(1 for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")) if root.exists() else 0


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-e2e")
    with Replica.start(faults=False) as rep:
        sources = rep.write_sources(data / "sources.yaml", include_faults=False)
        first = crawl(data, sources_path=sources, settings=FAST)
        seen_first = len(rep.requests)
        blobs_after_first = blob_count(data)
        second = crawl(data, sources_path=sources, settings=FAST)
        yield {"rep": rep, "data": data, "runs": (first, second), "seen_first": seen_first,
               "blobs_after_first": blobs_after_first, "reports": rep.reports()}


def db(data: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def test_the_five_reports_and_only_them_are_found(crawled) -> None:
    conn = db(crawled["data"])
    found = {r["url"]: dict(r) for r in conn.execute("SELECT * FROM documents WHERE kind = 'report'")}
    expected = {r["url"]: r for r in crawled["reports"]}
    assert len(expected) == 5
    assert set(found) == set(expected)
    for url, report in expected.items():
        assert found[url]["source_id"] == report["portal_id"]
        assert found[url]["title"] == report["title"]
        assert found[url]["published"] == report["published"]
        assert found[url]["year"] is not None and str(found[url]["year"]) in report["title"]


def test_attachments_are_fetched_with_their_parent_page(crawled) -> None:
    conn = db(crawled["data"])
    attachments = {r["url"]: r["parent_url"] for r in conn.execute("SELECT * FROM documents WHERE kind = 'attachment'")}
    expected = {r["attachment_url"]: r["url"] for r in crawled["reports"] if r.get("attachment_url")}
    assert expected and attachments == expected
    for url in expected:  # the bytes are in the archive, as received
        row = conn.execute("SELECT status, referrer, size FROM snapshots WHERE url = ?", (url,)).fetchone()
        assert row["status"] == 200 and row["size"] > 1000
        assert row["referrer"] == expected[url]


def test_crawl_record_per_run_and_source(crawled) -> None:
    conn = db(crawled["data"])
    first, second = crawled["runs"]
    runs = {r["id"]: r for r in conn.execute("SELECT * FROM crawl_runs")}
    assert runs[first]["status"] == "finished" and runs[first]["finished_at"]
    rows = {r["source_id"]: r for r in conn.execute("SELECT * FROM crawl_run_sources WHERE run_id = ?", (first,))}
    assert set(rows) == {r["portal_id"] for r in crawled["reports"]}
    for row in rows.values():
        assert row["pages"] >= 2 and row["reports_found"] == 1 and row["errors"] == 0
        assert row["duration_s"] > 0
    assert sum(r["attachments"] for r in rows.values()) == 3
    assert conn.execute("SELECT count(*) FROM crawl_errors").fetchone()[0] == 0


def test_the_crawl_records_its_registry_for_the_completeness_matrix(crawled) -> None:
    """A researcher's matrix must expect every source of the registry the archive was crawled from."""
    from crawler.sources import load_sources

    conn = db(crawled["data"])
    registry = [s.id for s in load_sources(crawled["data"] / "sources.yaml")]
    recorded = [r["id"] for r in conn.execute("SELECT id FROM sources ORDER BY position")]
    assert recorded == registry


def test_every_response_is_archived_once_per_fetch(crawled) -> None:
    conn = db(crawled["data"])
    first, _ = crawled["runs"]
    fetched = conn.execute("SELECT count(*) FROM fetches WHERE run_id = ?", (first,)).fetchone()[0]
    # every request the servers answered in the first run (robots.txt included) is a fetches row
    assert fetched == crawled["seen_first"]
    hanweb_posts = [s for s in crawled["rep"].requests[: crawled["seen_first"]] if s.method == "POST"]
    assert hanweb_posts and all("dataproxy.jsp" in s.path for s in hanweb_posts)


def test_polite_client(crawled) -> None:
    seen = crawled["rep"].requests[: crawled["seen_first"]]
    assert all(s.headers.get("User-Agent", "").startswith("nianbao/") for s in seen)
    robots = {s.portal_id for s in seen if s.path == "/robots.txt"}
    assert robots == {r["portal_id"] for r in crawled["reports"]}
    assert not any(s.path.startswith("/admin/") for s in seen)  # disallowed by every robots.txt


def test_unchanged_recrawl_is_conditional_and_stores_nothing_new(crawled) -> None:
    conn = db(crawled["data"])
    _, second = crawled["runs"]
    assert blob_count(crawled["data"]) == crawled["blobs_after_first"]
    assert conn.execute("SELECT sum(new_snapshot) FROM fetches WHERE run_id = ?", (second,)).fetchone()[0] == 0
    again = crawled["rep"].requests[crawled["seen_first"]:]
    gets = [s for s in again if s.method == "GET" and s.path != "/robots.txt"]
    assert gets and all("If-None-Match" in s.headers for s in gets)
    # attachments answered 304: not downloaded again, yet still recorded as seen
    for report in crawled["reports"]:
        if report.get("attachment_url"):
            row = conn.execute("SELECT not_modified FROM fetches WHERE run_id = ? AND url = ?",
                               (second, report["attachment_url"])).fetchone()
            assert row["not_modified"] == 1
    # the re-crawl still walked the archived pages' links: the same reports are seen again
    stats = json.loads(conn.execute("SELECT stats FROM crawl_runs WHERE id = ?", (second,)).fetchone()[0])
    assert {sid: s["reports_found"] for sid, s in stats["sources"].items()} == {
        r["portal_id"]: 1 for r in crawled["reports"]}


def test_requests_ask_for_chinese(crawled) -> None:
    seen = [s for s in crawled["rep"].requests if s.path != "/robots.txt"]
    assert seen and all(s.headers.get("Accept-Language", "").startswith("zh-CN") for s in seen)


def test_run_duration_is_its_wall_time(crawled) -> None:
    conn = db(crawled["data"])
    run = conn.execute("SELECT * FROM crawl_runs WHERE id = ?", (crawled["runs"][0],)).fetchone()
    stats = json.loads(run["stats"])
    wall = (datetime.fromisoformat(run["finished_at"].replace("Z", "+00:00"))
            - datetime.fromisoformat(run["started_at"].replace("Z", "+00:00"))).total_seconds()
    assert 0 < stats["totals"]["duration_s"] <= wall + 0.01
    per_source = [s["duration_s"] for s in stats["sources"].values()]
    assert all(d > 0 for d in per_source)  # each source keeps its own time


def test_every_warc_file_says_what_wrote_it(crawled) -> None:
    from warcio.archiveiterator import ArchiveIterator

    warcs = sorted((crawled["data"] / "warc").glob("*.warc.gz"))
    assert warcs
    for path in warcs:
        with open(path, "rb") as fh:
            first = next(iter(ArchiveIterator(fh)))
            assert first.rec_type == "warcinfo"
            info = dict(line.split(": ", 1) for line in first.content_stream().read().decode().splitlines())
        assert info["isPartOf"] in crawled["runs"] and info["isPartOf"] in path.name
        assert info["software"].startswith("nianbao/") and info["format"] == "WARC File Format 1.1"
        assert info["http-header-user-agent"].startswith("nianbao/")
        assert info["http-header-accept-language"].startswith("zh-CN")


def test_replay_after_recrawl_serves_the_archived_bytes(crawled, tmp_path) -> None:
    """pywb over the WARC files of both crawls: at the re-crawl's time (answered 304) and at "latest",
    a report page and an attachment replay with the bytes the first crawl stored, not an empty 304."""
    from tests.support.pywb import raw_get, wayback, wayback_ts

    conn = db(crawled["data"])
    first, second = crawled["runs"]
    report = crawled["reports"][0]
    urls = [report["url"], next(r["attachment_url"] for r in crawled["reports"] if r.get("attachment_url"))]
    warcs = sorted((crawled["data"] / "warc").glob("*.warc.gz"))
    with wayback(warcs, tmp_path) as port:
        for url in urls:
            snap = conn.execute("SELECT * FROM snapshots WHERE url = ? AND rendered = 0", (url,)).fetchone()
            stored = (crawled["data"] / "blobs" / "sha256" / snap["sha256"][:2] / snap["sha256"][2:4]
                      / snap["sha256"]).read_bytes()
            again = conn.execute("SELECT * FROM fetches WHERE run_id = ? AND url = ?", (second, url)).fetchone()
            assert again["not_modified"] == 1
            assert wayback_ts(again["fetched_at"]) != wayback_ts(snap["fetched_at"])
            for ts in (wayback_ts(again["fetched_at"]), "2999"):
                status, headers, body = raw_get(port, f"/nianbao/{ts}id_/{url}")
                assert (status, body) == (200, stored), (url, ts, status, len(body))
                assert headers.get("content-type") == snap["content_type"]


def test_a_column_cut_at_the_page_cap_leaves_a_note(tmp_path) -> None:
    """An operator who lowers NIANBAO_MAX_LIST_PAGES (or meets a 60-page column) must see that the list
    was cut, not read "0 reports" as the whole truth."""
    with Replica.start(faults=False) as rep:
        trs = next(e for e in rep.sources() if e["id"] == "sd-liaocheng-gov")
        registry = tmp_path / "sources.yaml"
        registry.write_text(yaml.safe_dump([trs], allow_unicode=True), encoding="utf-8")
        run_id = crawl(tmp_path, sources_path=registry, settings={**FAST, "NIANBAO_MAX_LIST_PAGES": 1})
    conn = db(tmp_path)
    notes = [r["reason"] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ? AND source_id = ?",
                                               (run_id, "sd-liaocheng-gov"))]
    assert any(n.startswith("note: column paging stopped at page 1 of ") for n in notes), notes
