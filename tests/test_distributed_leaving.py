"""A worker leaving a distributed run, and the run's coordinator stopped, as an operator sees them.

- A `nianbao worker` stopped with SIGTERM half way is a worker leaving the fleet, not an
  interrupted run: its requests in flight are finished before it closes (or re-queued), the others
  crawl the rest, and the run is `finished` (exit 0, `status` 0) with a row naming the worker.
  Before, the run was `partial: interrupted: shutdown` and `status` exited 1 though every report
  was archived, and the coordinator exited 0 on that `partial` run.
- A SIGTERM to a distributed `schedule --once` stops the whole fleet within seconds (the workers are
  told through Redis), the run is `interrupted: SIGTERM`, the exit code 1, and the log never says
  the crawl finished.  Before, the coordinator waited ~56 s while its worker drained the queue.
- A second Ctrl-C to a coordinator still waiting for requests in flight ends the run at once, as in
  Scrapy: the workers are ended too, and the run is recorded interrupted with what was lost.  Before,
  the second Ctrl-C was ignored and the coordinator waited for the workers' graceful close.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.distributed import connect
from tests.support.fleet_hosts import Host, registry, sets, start_redis

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
REPORTS = 24
# 0.4 s an answer, two at a time for the fleet: the column takes ~6 s, time enough to act half way
STEADY = {"DOWNLOAD_DELAY": 0.2, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
          "CONCURRENT_REQUESTS": 2, "NIANBAO_BROWSER": False, "MAX_IDLE_TIME_BEFORE_CLOSE": 3,
          "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "INFO"}


@pytest.fixture
def redis_url(tmp_path):
    proc, url = start_redis(tmp_path)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def worker(url: str, data: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", url,
                             "--data", str(data), "--wait", "60", *more, *sets(STEADY)], env=ENV, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until(what, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def crawling(url: str, proc: subprocess.Popen) -> bool:
    """The worker process joined a run and holds requests (its tag is host-pid)."""
    server = connect(url)
    tag = f"{socket.gethostname()}-{proc.pid}"
    return any(server.hlen(k) for k in server.scan_iter(match=f"nianbao:*:inflight:{tag}"))


def runs(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "nianbao.db") as conn:
        return conn.execute("SELECT id, status FROM crawl_runs ORDER BY rowid").fetchall()


def status(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive.cli", "--data", str(data), "status"], env=ENV, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_a_worker_leaving_half_way_is_not_an_interrupted_run(tmp_path, redis_url) -> None:
    host = Host("slow", "齐河县", REPORTS, latency=0.4)
    try:
        sources = registry(tmp_path / "sources.yaml", {"slow": host})
        leaver = worker(redis_url, tmp_path)
        coordinator = subprocess.Popen([sys.executable, "-m", "crawler.run", "crawl", "--data", str(tmp_path),
                                        "--sources", str(sources), "--redis", redis_url, *sets(STEADY)],
                                       env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_until(lambda: crawling(redis_url, leaver) and len(host.log) >= 6)
        leaver.send_signal(signal.SIGTERM)
        asked = len(host.log)
        left, _ = leaver.communicate(timeout=90)
        said, complained = coordinator.communicate(timeout=300)
    finally:
        host.server.shutdown()
    assert leaver.returncode == 0, left[-2000:]
    assert asked < REPORTS, "the worker left after the run was over: nothing tested"
    assert coordinator.returncode == 0, complained[-3000:]
    [(run_id, run_status)] = runs(tmp_path)
    assert run_status == "finished"
    with sqlite3.connect(tmp_path / "nianbao.db") as conn:
        reports = conn.execute("SELECT count(*) FROM documents WHERE kind = 'report'").fetchone()[0]
        rows = [r for (r,) in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run_id,))]
        found = conn.execute("SELECT reports_found FROM crawl_run_sources WHERE run_id = ?", (run_id,)).fetchone()[0]
    assert reports == REPORTS and found == REPORTS  # nothing was lost with the worker that left
    tag = f"{socket.gethostname()}-{leaver.pid}"
    assert any(r.startswith(f"worker {tag} left the run before its end (interrupted: SIGTERM)") for r in rows), rows
    checked = status(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert tag in checked.stdout  # named under the notes, not as a problem


def test_a_stopped_coordinator_stops_the_fleet(tmp_path, redis_url) -> None:
    host = Host("slow", "齐河县", REPORTS, latency=0.4)
    try:
        sources = registry(tmp_path / "sources.yaml", {"slow": host})
        service = worker(redis_url, tmp_path, "--forever")
        scheduler = subprocess.Popen([sys.executable, "-m", "crawler.schedule", "--once", "--data", str(tmp_path),
                                      "--sources", str(sources), "--redis", redis_url, *sets(STEADY)],
                                     env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_until(lambda: crawling(redis_url, service) and len(host.log) >= 6)
        scheduler.send_signal(signal.SIGTERM)
        stopped_at = time.time()
        _, log = scheduler.communicate(timeout=120)
        took = time.time() - stopped_at
        last_start = max(t0 for t0, _, _, _ in host.log)
        service.send_signal(signal.SIGTERM)  # a --forever worker leaves on SIGTERM, between runs too
        out, _ = service.communicate(timeout=60)
    finally:
        host.server.shutdown()
    assert scheduler.returncode == 1, log[-3000:]
    [(run_id, run_status)] = runs(tmp_path)
    assert run_status == "interrupted: SIGTERM"
    assert len(host.log) < REPORTS + 1  # the rest of the queue was not crawled by the worker
    assert last_start - stopped_at < 5, "the worker went on crawling after the coordinator was stopped"
    assert took < 30, log[-3000:]
    assert f"crawl {run_id} finished" not in log
    assert service.returncode == 0, out[-2000:]
    checked = status(tmp_path)
    assert checked.returncode == 1 and run_id in checked.stdout + checked.stderr


def test_a_second_ctrl_c_ends_a_stopping_coordinator_at_once(tmp_path, redis_url) -> None:
    # every report page takes 40 s to answer: a graceful stop waits that long for the pages in flight
    host = Host("stuck", "禹城市", 6, slow=40.0)
    try:
        sources = registry(tmp_path / "sources.yaml", {"stuck": host})
        service = worker(redis_url, tmp_path, "--forever")
        # a terminal's Ctrl-C reaches the whole foreground process group: the coordinator's own session
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.run", "--data", str(tmp_path), "--sources",
                                  str(sources), "--redis", redis_url, *sets(STEADY)],
                                 env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        # both processes hold a report page the host is still answering
        wait_until(lambda: crawling(redis_url, service) and host.open >= 2)
        os.killpg(crawl.pid, signal.SIGINT)
        time.sleep(3)  # a person pressing Ctrl-C again, not the same stop delivered twice
        assert crawl.poll() is None, "the first Ctrl-C was not a graceful stop"
        os.killpg(crawl.pid, signal.SIGINT)
        again = time.monotonic()
        _, log = crawl.communicate(timeout=60)
        took = time.monotonic() - again
        service.send_signal(signal.SIGTERM)
        out, _ = service.communicate(timeout=60)
    finally:
        host.server.shutdown()
    assert took < 15, log[-3000:]  # the pages in flight answer only 40 s after they were asked
    assert crawl.returncode == 1, log[-3000:]
    [(run_id, run_status)] = runs(tmp_path)
    assert run_status.startswith("interrupted: SIGINT; ended at once by a second SIGINT: "), run_status
    held = int(run_status.split("SIGINT: ", 1)[1].split()[0])
    assert held >= 1, run_status  # what was lost: the requests in flight, counted
    with sqlite3.connect(tmp_path / "nianbao.db") as conn:
        rows = [r for (r,) in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run_id,))]
    assert run_status in rows
    assert "Traceback" not in log
    assert service.returncode == 0, out[-2000:]  # told to end: the service worker did not fail
    checked = status(tmp_path)
    assert checked.returncode == 1 and run_id in checked.stdout + checked.stderr

