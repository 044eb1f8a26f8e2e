"""A distributed run judges a source over the whole fleet (operator exam ops22, F3).

With two workers, the one that read a source's 年报 column was often not the one that read its
reports: each judged the source by what it alone had seen when it went idle, so sources that found
their reports got `note: 年报 column reached but no report found` or `no 年报 column found …`, and a
worker that had read only report pages asked the host's /sitemap.xml and /sitemap_index.xml (requests
a single-process crawl never makes, counted as the source's pages).  Real redis-server, real HTTP
hosts on 127.0.0.1, a real coordinator and `nianbao worker` process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fleet_hosts import Host, registry, sets, start_redis

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# slow enough answers that both workers take part in every source's crawl
STEADY = {"DOWNLOAD_DELAY": 0.1, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
          "CONCURRENT_REQUESTS": 2, "NIANBAO_BROWSER": False, "MAX_IDLE_TIME_BEFORE_CLOSE": 3,
          "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "INFO"}
COUNTIES = {"a": "齐河县", "b": "禹城市", "c": "临邑县", "d": "平原县", "e": "夏津县", "f": "武城县"}


@pytest.fixture
def redis_url(tmp_path):
    proc, url = start_redis(tmp_path)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def per_source(data: Path) -> tuple[dict[str, tuple[int, int, int]], list[tuple[str, str]]]:
    with sqlite3.connect(data / "nianbao.db") as conn:
        [(run_id,)] = conn.execute("SELECT id FROM crawl_runs").fetchall()
        counts = {s: (p, r, e) for s, p, r, e in conn.execute(
            "SELECT source_id, pages, reports_found, errors FROM crawl_run_sources WHERE run_id = ?", (run_id,))}
        notes = conn.execute("SELECT source_id, reason FROM crawl_errors WHERE run_id = ? AND reason LIKE 'note:%'",
                             (run_id,)).fetchall()
    return counts, notes


def test_two_workers_write_no_false_notes_and_ask_what_one_process_asks(tmp_path, redis_url) -> None:
    hosts = {name: Host(name, county, 2, latency=0.05, slow=0.6) for name, county in COUNTIES.items()}
    hosts["empty"] = Host("empty", "陵城区", 0, latency=0.05)  # its column lists nothing: one true note
    try:
        sources = registry(tmp_path / "sources.yaml", hosts)
        data = tmp_path / "distributed"
        helper = subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", redis_url,
                                   "--data", str(data), "--wait", "60", *sets(STEADY)], env=ENV, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        coordinator = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data),
                                      "--sources", str(sources), "--redis", redis_url, *sets(STEADY)],
                                     env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
        out, _ = helper.communicate(timeout=120)
        fleet_paths = {name: sorted(p for _, _, p, _ in h.log) for name, h in hosts.items()}
        for h in hosts.values():
            h.log.clear()
        single = tmp_path / "single"
        plain = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(single),
                                "--sources", str(sources), *sets(STEADY)],
                               env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
        single_paths = {name: sorted(p for _, _, p, _ in h.log) for name, h in hosts.items()}
    finally:
        for h in hosts.values():
            h.server.shutdown()
    assert coordinator.returncode == 0, coordinator.stderr[-3000:]
    assert helper.returncode == 0, out[-3000:]
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert "crawl error" not in out
    for log in (out, coordinator.stderr):
        assert "Error caught on signal handler" not in log and "Traceback" not in log, log[-3000:]
    # both workers crawled (each writes its own WARC series), so a source's pages were split between them
    series = {p.name.rsplit("-", 1)[0] for p in (data / "warc").glob("nianbao-*.warc.gz")}
    assert len(series) == 2, series
    counts, notes = per_source(data)
    alone, alone_notes = per_source(single)
    assert len(counts) == len(hosts) and counts["county-empty"][1] == 0, counts
    assert all(r == 2 for s, (_, r, _) in counts.items() if s != "county-empty"), counts
    # every other source found its reports: the one note is the empty column's, once, as one process says it
    assert notes == alone_notes and len(notes) == 1, notes
    assert notes[0][0] == "county-empty" and "年报 column reached but no report found" in notes[0][1]
    # the pages each host was asked for are a single crawl's (robots.txt: once per worker at most)
    for name in hosts:
        asked = [p for p in fleet_paths[name] if p != "/robots.txt"]
        assert asked == [p for p in single_paths[name] if p != "/robots.txt"], (name, asked)
        assert not any("sitemap" in p for p in fleet_paths[name])
    assert counts == alone


def test_portals_entered_at_their_home_page_are_crawled_by_a_fleet_as_by_one_process(tmp_path, redis_url) -> None:
    """Home pages walked to their column (dz-city-gov's column sits inside its 法定主动公开内容 catalogue
    node, held back until the crawl runs dry): a worker holding such nodes releases them once the
    fleet is dry, and every source's counts and notes are a single crawl's."""
    import yaml

    from tests.portal.server import Replica

    wanted = ("dz-city-gov", "ha-liuhe-gov", "yz-edu")  # walked without a browser (qc-district's tree needs one)
    with Replica.start(faults=False, homes=True) as rep:
        everything = yaml.safe_load(rep.write_sources(tmp_path / "all.yaml").read_text(encoding="utf-8"))
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump([e for e in everything if e["id"] in wanted], allow_unicode=True),
                           encoding="utf-8")
        data, single = tmp_path / "distributed", tmp_path / "single"
        helper = subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", redis_url,
                                   "--data", str(data), "--wait", "60", *sets(STEADY)], env=ENV, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        coordinator = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data),
                                      "--sources", str(sources), "--redis", redis_url, *sets(STEADY)],
                                     env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=600)
        out, _ = helper.communicate(timeout=120)
        fleet_seen = sorted((s.portal_id, s.path) for s in rep.requests if s.path != "/robots.txt")
        rep.requests.clear()
        plain = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(single),
                                "--sources", str(sources), *sets(STEADY)],
                               env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=600)
        single_seen = sorted((s.portal_id, s.path) for s in rep.requests if s.path != "/robots.txt")
    assert coordinator.returncode == 0, coordinator.stderr[-3000:]
    assert helper.returncode == 0, out[-3000:]
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert len({p.name.rsplit("-", 1)[0] for p in (data / "warc").glob("nianbao-*.warc.gz")}) == 2
    counts, notes = per_source(data)
    alone, alone_notes = per_source(single)
    assert counts == alone and sorted(notes) == sorted(alone_notes)
    assert all(r for _, r, _ in counts.values()), counts
    assert ("dz-city-gov", "/xxgk/fdzdgknr/index.html") in fleet_seen
    assert fleet_seen == single_seen
