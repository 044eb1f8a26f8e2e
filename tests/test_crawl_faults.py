"""The replica's faults portal: every kind of misbehaviour becomes a crawl_errors row (URL + reason)
or is ridden out (retries, Retry-After, redirects, the browser), and the rest of the crawl goes on.

Three crawls of the one portal share the module: (1) tight limits (1 s timeout, 1 MB cap) so the
slow and big pages fail; (2) after the portal republished a corrected report, default limits;
(3) with a browser that cannot start and robots.txt ignored by the registry entry.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from crawler.run import crawl
from tests.portal.server import CLEARANCE, Replica

FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING", "DOWNLOAD_MAXSIZE": 1024 * 1024,
        "NIANBAO_CHALLENGE_WAIT_MS": 3000}
TIGHT = {**FAST, "DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 2}


def write_registry(rep: Replica, path: Path, **overrides) -> Path:
    entries = [e for e in rep.sources(include_faults=True) if e["id"] == "faults"]
    entries[0]["start_urls"].append(rep.url("faults", "/admin/index.html"))  # robots.txt disallows /admin/
    if overrides:
        entries[0]["overrides"] = overrides
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-faults")
    with Replica.start(faults=True) as rep:
        registry = write_registry(rep, data / "sources.yaml")
        marks = [0]
        first = crawl(data, sources_path=registry, settings=TIGHT)
        marks.append(len(rep.requests))
        rep.set_version(2)
        second = crawl(data, sources_path=registry, settings=FAST)
        marks.append(len(rep.requests))
        broken = {**FAST, "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": "/nonexistent/chromium"}}
        third = crawl(data, sources_path=write_registry(rep, data / "no-robots.yaml", obey_robots=False),
                      settings=broken)
        marks.append(len(rep.requests))
        seen = [rep.requests[marks[i]:marks[i + 1]] for i in range(3)]
        reports = [r for r in rep.reports(include_faults=True) if r["portal_id"] == "faults"]
        yield {"data": data, "runs": (first, second, third), "seen": seen, "url": rep.url, "reports": reports}


def q(runs, sql: str, *args):
    conn = sqlite3.connect(runs["data"] / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn.execute(sql, args).fetchall()


def errors(runs, run_index: int) -> dict[str, str]:
    rows = q(runs, "SELECT url, reason FROM crawl_errors WHERE run_id = ?", runs["runs"][run_index])
    return {r["url"].split("/", 3)[3]: r["reason"] for r in rows}


def fetched(runs, run_index: int, path: str) -> list[sqlite3.Row]:
    return q(runs, "SELECT * FROM fetches WHERE run_id = ? AND url = ? ORDER BY id", runs["runs"][run_index],
             runs["url"]("faults", path))


def test_reports_are_found_despite_the_faults(runs) -> None:
    urls = {r["url"] for r in q(runs, "SELECT url FROM documents WHERE kind = 'report'")}
    assert urls == {r["url"] for r in runs["reports"]}
    assert urls >= {runs["url"]("faults", "/nianbao/2023/t20240118_qsgaj.html"),
                    runs["url"]("faults", "/nianbao/2024/t20250124_qsgaj.html")}


def test_report_titled_without_a_year_gets_it_from_its_page(runs) -> None:
    # "青石县交通运输局政府信息公开工作年度报告", listed without a date; its page says 发布时间：2025-01-22
    url = runs["url"]("faults", "/nianbao/jtj/t20250122_qsjtj.html")
    row = q(runs, "SELECT * FROM documents WHERE url = ?", url)[0]
    assert row["kind"] == "report" and not any(c.isdigit() for c in row["title"])
    assert row["year"] == 2024 and row["published"] == "2025-01-22"
    assert row["agency"] == "青石县交通运输局"


def test_redirect_chain_every_hop_archived(runs) -> None:
    assert [r["status"] for r in fetched(runs, 0, "/go/1001")] == [301]
    assert [r["status"] for r in fetched(runs, 0, "/nianbao/old/1001.html")] == [302]
    assert [r["status"] for r in fetched(runs, 0, "/nianbao/2023/t20240118_qsgaj.html")] == [200]


def test_redirect_chain_records_where_it_ended(runs) -> None:
    """A researcher asks "where did /go/1001 lead?" from the tables, not by following referrers."""
    report = runs["url"]("faults", "/nianbao/2023/t20240118_qsgaj.html")
    for run_index in (0, 1):
        assert [r["final_url"] for r in fetched(runs, run_index, "/go/1001")] == [report]
        assert [r["final_url"] for r in fetched(runs, run_index, "/nianbao/old/1001.html")] == [report]
    moved = {r["url"]: r["final_url"] for r in q(runs, "SELECT url, final_url FROM snapshots WHERE url != final_url")}
    assert moved == {runs["url"]("faults", "/go/1001"): report,
                     runs["url"]("faults", "/nianbao/old/1001.html"): report}


def warc_records(data: Path) -> list[tuple[str, str, str | None]]:
    """(type, target URI, profile) of every record in the archive's WARC files."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for path in sorted((data / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            out += [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Profile"))
                    for r in ArchiveIterator(fh)]
    return out


def test_unchanged_rendered_page_is_not_stored_again(runs) -> None:
    """Two crawls rendered the same DOMs: one conversion record each, then revisits."""
    records = warc_records(runs["data"])
    for path in ("/nianbao/more.html", "/nianbao/archive/index.html"):
        url = runs["url"]("faults", path)
        assert [t for t, u, _ in records if u == url and t == "conversion"] == ["conversion"], path
        assert any(t == "revisit" and u == url and p.endswith("identical-payload-digest") for t, u, p in records)
        assert len(q(runs, "SELECT id FROM snapshots WHERE url = ? AND rendered = 1", url)) == 1


def test_404_is_an_error_row(runs) -> None:
    assert errors(runs, 0)["nianbao/missing.html"] == "http 404"


def test_intermittent_500_is_retried(runs) -> None:
    rows = fetched(runs, 0, "/nianbao/flaky.html")
    assert [r["status"] for r in rows] == [500, 200]
    t0, t1 = (datetime.fromisoformat(r["fetched_at"].replace("Z", "+00:00")) for r in rows)
    assert (t1 - t0).total_seconds() >= TIGHT["NIANBAO_RETRY_BACKOFF_BASE"]  # waited before retrying
    assert "nianbao/flaky.html" not in errors(runs, 0)


def test_429_waits_for_retry_after(runs) -> None:
    rows = fetched(runs, 0, "/nianbao/busy.html")
    assert [r["status"] for r in rows] == [429, 200]
    t0, t1 = (datetime.fromisoformat(r["fetched_at"].replace("Z", "+00:00")) for r in rows)
    assert (t1 - t0).total_seconds() >= 1.0  # the portal said Retry-After: 1
    assert "nianbao/busy.html" not in errors(runs, 0)


def test_slow_page_times_out_under_a_tight_limit_and_is_archived_otherwise(runs) -> None:
    assert errors(runs, 0)["nianbao/slow.html"] == "timeout"
    # timed out twice (NIANBAO_TIMEOUT_TRIES): not asked a third time, whatever RETRY_TIMES allows
    assert len([s for s in runs["seen"][0] if s.path == "/nianbao/slow.html"]) == 2
    assert [r["status"] for r in fetched(runs, 1, "/nianbao/slow.html")] == [200]


def test_connection_reset_is_an_error_row(runs) -> None:
    assert errors(runs, 0)["nianbao/reset.html"].startswith("connection reset")
    # 1 + RETRY_TIMES attempts (Twisted may also retry once on a reused keep-alive connection)
    assert len([s for s in runs["seen"][0] if s.path == "/nianbao/reset.html"]) >= 3


def test_page_over_the_size_cap_is_an_error_row(runs) -> None:
    assert errors(runs, 0)["nianbao/big.html"].startswith("too large")
    assert not q(runs, "SELECT id FROM snapshots WHERE url = ?", runs["url"]("faults", "/nianbao/big.html"))


def test_streamed_page_over_the_size_cap_is_stopped_too(runs) -> None:
    # chunked, no Content-Length: the cap can only bite while the bytes arrive
    assert errors(runs, 0)["nianbao/big-stream.html"].startswith("too large")
    assert not q(runs, "SELECT id FROM snapshots WHERE url = ?", runs["url"]("faults", "/nianbao/big-stream.html"))
    assert any(s.path == "/nianbao/big-stream.html" for s in runs["seen"][0])


def test_js_only_list_is_rendered(runs) -> None:
    rendered = q(runs, "SELECT * FROM snapshots WHERE url = ? AND rendered = 1",
                 runs["url"]("faults", "/nianbao/more.html"))
    assert rendered and "chromium" in rendered[0]["note"]
    blob = runs["data"] / "blobs" / "sha256" / rendered[0]["sha256"][:2] / rendered[0]["sha256"][2:4] / rendered[0]["sha256"]
    assert b'href="/nianbao/2023/t20240118_qsgaj.html"' in blob.read_bytes()


def test_js_challenge_passes_through_the_browser(runs) -> None:
    assert [r["status"] for r in fetched(runs, 0, "/nianbao/archive/index.html")][0] == 412
    assert "nianbao/archive/index.html" not in errors(runs, 0)
    cleared = [s for s in runs["seen"][0] if s.path == "/nianbao/archive/index.html"
               and CLEARANCE in s.headers.get("Cookie", "")]
    assert cleared, "the browser never came back with the clearance cookie"
    rendered = q(runs, "SELECT status, note FROM snapshots WHERE url = ? AND rendered = 1",
                 runs["url"]("faults", "/nianbao/archive/index.html"))
    assert rendered and "JS challenge" in rendered[0]["note"]
    # the archived DOM is the real list, so its status is the page's after the challenge, not the 412
    assert rendered[0]["status"] == 200 and "first answer was HTTP 412" in rendered[0]["note"]


def test_js_challenge_without_a_working_browser_is_blocked_not_empty(runs) -> None:
    assert errors(runs, 2)["nianbao/archive/index.html"] == "blocked: js challenge"
    # the script-only list could not be rendered either: an error row, not an empty column
    assert errors(runs, 2)["nianbao/more.html"].startswith("browser failed")


def test_js_challenge_a_browser_cannot_pass_is_blocked_not_empty(runs) -> None:
    # the guarded archive withholds its cookie from automated browsers: chromium tries and fails
    url = "/nianbao/guarded/index.html"
    assert [r["status"] for r in fetched(runs, 0, url)] == [412, 412]  # plain, then through chromium
    assert errors(runs, 0)["nianbao/guarded/index.html"] == "blocked: js challenge"
    tries = [s for s in runs["seen"][0] if s.path == url]
    assert len(tries) >= 2, "the page was not retried through the browser"
    assert not q(runs, "SELECT id FROM snapshots WHERE url = ? AND status = 200", runs["url"]("faults", url))
    # what chromium was left with is archived as evidence: still the bare challenge script
    seen_by_browser = q(runs, "SELECT status, note FROM snapshots WHERE url = ? AND rendered = 1",
                        runs["url"]("faults", url))
    assert seen_by_browser and seen_by_browser[0]["status"] == 412 and "JS challenge" in seen_by_browser[0]["note"]
    row = q(runs, "SELECT errors FROM crawl_run_sources WHERE run_id = ? AND source_id = 'faults'",
            runs["runs"][0])[0]
    assert row["errors"] >= 1


def test_robots_txt_obeyed_by_default_and_override_recorded(runs) -> None:
    assert errors(runs, 0)["admin/index.html"] == "robots.txt disallows"
    assert not any(s.path.startswith("/admin/") for s in runs["seen"][0])
    assert any(s.path == "/admin/index.html" for s in runs["seen"][2])
    assert not any(s.path == "/robots.txt" for s in runs["seen"][2])
    stats = json.loads(q(runs, "SELECT stats FROM crawl_runs WHERE id = ?", runs["runs"][2])[0]["stats"])
    assert stats["sources"]["faults"]["obey_robots"] is False


def test_page_changed_between_crawls_is_a_new_revision(runs) -> None:
    url = runs["url"]("faults", "/nianbao/2024/t20250124_qsgaj.html")
    snaps = q(runs, "SELECT revision, sha256, run_id FROM snapshots WHERE url = ? AND rendered = 0 ORDER BY revision",
              url)
    assert [s["revision"] for s in snaps] == [1, 2]
    assert snaps[0]["sha256"] != snaps[1]["sha256"]
    assert [s["run_id"] for s in snaps] == list(runs["runs"][:2])
    blobs = [(runs["data"] / "blobs" / "sha256" / s["sha256"][:2] / s["sha256"][2:4] / s["sha256"]).read_bytes()
             for s in snaps]
    assert b"1761242" not in blobs[0] and b"1761242" in blobs[1]


def test_crawl_record_counts_the_errors(runs) -> None:
    first = runs["runs"][0]
    row = q(runs, "SELECT * FROM crawl_run_sources WHERE run_id = ?", first)[0]
    assert row["source_id"] == "faults"
    # 404, timeout, reset, too large (twice: sized and streamed), blocked by a JS challenge; the robots.txt
    # refusal is a row of its own, the site's policy, not counted as an error
    assert row["errors"] == len(errors(runs, 0)) - 1 == 6
    assert row["reports_found"] == len(runs["reports"]) == 3 and row["pages"] >= 8 and row["duration_s"] > 1
    assert q(runs, "SELECT status FROM crawl_runs WHERE id = ?", first)[0]["status"] == "finished"
