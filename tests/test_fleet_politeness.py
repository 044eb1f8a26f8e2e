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
