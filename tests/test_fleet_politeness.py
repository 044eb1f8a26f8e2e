"""Politeness holds per host for the whole distributed fleet, as the hosts' own logs see it.

Two workers (the coordinator `nianbao crawl --redis` and a `nianbao worker`) on one real
redis-server crawl three small hosts that log every request (start and end time, status):

- `delay`: robots.txt asks `Crawl-delay: 1`: one request of the fleet at a time, and at least
  1 s between an answer and the next request, whichever worker sends it;
- `slow`: each answer takes 0.4 s: never more than the cap of 2 open at once for the fleet;
- `busy`: its list page and one report answer `429 Retry-After: 2` the first time: no worker sends
  the host anything in the 2 s after a 429.

Each worker is left with no delay of its own (DOWNLOAD_DELAY 0, no AutoThrottle), so only the
fleet's gate (crawler/fleet.py) keeps these; before it, two workers asked the Crawl-delay host
every 0.03-0.10 s and held 3-4 connections on the slow one.
"""

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
LATENCY = 0.4
# nothing of each worker's own slows it: only the fleet's gate can keep the hosts' limits
EAGER = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
         "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "NIANBAO_BROWSER": False,
         "MAX_IDLE_TIME_BEFORE_CLOSE": 3, "LOG_LEVEL": "WARNING"}


@pytest.fixture(scope="module")
def fleet_crawl(tmp_path_factory):
    data = tmp_path_factory.mktemp("fleet")
    hosts = {
        "delay": Host("delay", "临邑县", 4, robots="User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n"),
        "slow": Host("slow", "齐河县", 10, latency=LATENCY),
        "busy": Host("busy", "夏津县", 6, busy=frozenset({"/zwgk/ndbg/index.html", "/zwgk/ndbg/8102.html"})),
    }
    sources = registry(data / "sources.yaml", hosts)
    redis_proc, url = start_redis(data)
    args = sets(EAGER)
    try:
        worker = subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", url,
                                   "--data", str(data), "--wait", "60", *args], env=ENV, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        coordinator = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data),
                                      "--sources", str(sources), "--redis", url, *args],
                                     env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
        worker_out, _ = worker.communicate(timeout=120)
    finally:
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
    yield {"data": data, "hosts": hosts, "coordinator": coordinator, "worker_rc": worker.returncode,
           "worker_out": worker_out}
    for host in hosts.values():
        host.server.shutdown()


def test_the_run_finished_with_both_workers(fleet_crawl) -> None:
    done = fleet_crawl["coordinator"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert fleet_crawl["worker_rc"] == 0, fleet_crawl["worker_out"][-3000:]
    conn = sqlite3.connect(fleet_crawl["data"] / "nianbao.db")
    assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("finished",)]
    found = dict(conn.execute("SELECT source_id, reports_found FROM crawl_run_sources"))
    assert found == {"county-delay": 4, "county-slow": 10, "county-busy": 6}
    # both processes fetched something (each writes its own WARC series)
    assert len(list((fleet_crawl["data"] / "warc").glob("*.warc.gz"))) >= 2


def test_a_crawl_delay_holds_for_the_fleet(fleet_crawl) -> None:
    host = fleet_crawl["hosts"]["delay"]
    assert host.most_open() == 1
    assert host.shortest_pause() >= 0.98  # Crawl-delay: 1, counted from the answer


def test_the_per_host_cap_holds_for_the_fleet(fleet_crawl) -> None:
    for host in fleet_crawl["hosts"].values():
        assert host.most_open() <= 2, host.name
    # and the cap is used: two workers with no delay keep the slow host at 2, not 1
    assert fleet_crawl["hosts"]["slow"].most_open() == 2


def test_retry_after_holds_the_host_for_every_worker(fleet_crawl) -> None:
    host = fleet_crawl["hosts"]["busy"]
    assert [s for _, _, _, s in host.log].count(429) == 2
    assert host.sent_during_retry_after() == []
    paths = [p for _, _, p, s in host.log if s == 200]
    assert "/zwgk/ndbg/index.html" in paths and "/zwgk/ndbg/8102.html" in paths  # both asked again after


def test_each_host_s_robots_txt_is_fetched_once_for_the_fleet(fleet_crawl) -> None:
    # one worker fetches it and the others read it from Redis: one archived copy per run, not per worker
    for host in fleet_crawl["hosts"].values():
        assert [p for _, _, p, _ in host.log].count("/robots.txt") == 1, host.name
    conn = sqlite3.connect(fleet_crawl["data"] / "nianbao.db")
    assert conn.execute("SELECT count(*) FROM fetches WHERE url LIKE '%/robots.txt'").fetchone()[0] == 3


def test_a_render_s_own_requests_hold_the_fleet_s_places(tmp_path) -> None:
    """A list drawn by its script from four API calls sent at once, rendered in chromium by one worker
    while another worker of the fleet holds one of the host's two places (a lease in the run's Redis,
    as a worker downloading there holds it): chromium's calls to the host take the fleet's places too,
    so the host never sees more than the one left open at a time.  Before, chromium's requests were
    capped per worker only, and the host saw two at once beside the other worker's."""
    import time

    from crawler.distributed import connect
    from crawler.fleet import leases_key

    host = Host("app", "陵城区", 4, latency=0.5, xhr_parts=4)
    sources = registry(tmp_path / "sources.yaml", {"app": host})
    redis_proc, url = start_redis(tmp_path)
    server = connect(url)
    try:
        coordinator = subprocess.Popen([sys.executable, "-m", "crawler.run", "crawl", "--data", str(tmp_path),
                                        "--sources", str(sources), "--redis", url,
                                        *sets({**EAGER, "NIANBAO_BROWSER": True})],
                                       env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while not server.get("nianbao:current"):
                assert time.monotonic() < deadline and coordinator.poll() is None, "the run was never published"
                time.sleep(0.02)
            run_id = server.get("nianbao:current")
            # another worker's place on the host, held for the whole crawl
            server.zadd(leases_key(run_id, f"127.0.0.1:{host.port}"), {"other-worker|1": time.time() + 600})
            _, err = coordinator.communicate(timeout=300)
        finally:
            if coordinator.poll() is None:
                coordinator.kill()
    finally:
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        host.server.shutdown()
    assert coordinator.returncode == 0, err[-3000:]
    api = [p for _, _, p, _ in host.log if p.startswith("/api/rows")]
    assert sorted(api) == [f"/api/rows?part={k}" for k in range(4)]  # the list was drawn in chromium
    assert host.most_open() == 1, sorted(host.log)
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    assert dict(conn.execute("SELECT source_id, reports_found FROM crawl_run_sources")) == {"county-app": 4}


def test_one_server_under_two_names_gets_one_cap_for_the_fleet(tmp_path) -> None:
    """A slow county server reached as `127.0.0.1:P` by one entry and `localhost:P` by another, crawled
    by two workers: the cap of 2 is the server's for the whole fleet (the names share its places), where
    each name took 2 of its own before."""
    import json

    host = Host("slow", "宁津县", 6, latency=LATENCY)
    column = "/zwgk/ndbg/index.html"
    entries = [{"id": f"county-{i}", "name": "宁津县人民政府", "level": "county", "kind": "government",
                "region": {"province": "山东省", "city": "德州市", "county": "宁津县"}, "family": "generic",
                "start_urls": [f"http://{name}:{host.port}{column}"], "allowed_domains": [name]}
               for i, name in enumerate(["127.0.0.1", "localhost"])]
    sources = tmp_path / "sources.yaml"
    sources.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    redis_proc, url = start_redis(tmp_path)
    args = sets(EAGER)
    try:
        worker = subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", url,
                                   "--data", str(tmp_path), "--wait", "60", *args], env=ENV, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        coordinator = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(tmp_path),
                                      "--sources", str(sources), "--redis", url, *args],
                                     env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
        worker.communicate(timeout=120)
    finally:
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        host.server.shutdown()
    assert coordinator.returncode == 0, coordinator.stderr[-3000:]
    reports = [entry for entry in host.log if entry[2].startswith("/zwgk/ndbg/") and entry[2] != column]
    assert len(reports) >= 2 * 6, host.log  # both entries read every report
    assert host.most_open() == 2, host.log
