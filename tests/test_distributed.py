"""Distributed crawl: a real redis-server, the coordinator (`crawl(redis_url=…)`) and a second worker
process (`nianbao worker`) share one queue and one archive; checked from the archive and from what
the replica portal's servers saw."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis

from crawler.distributed import SharedArchive, connect
from tests.portal.server import Replica
from tests.support.fleet_hosts import sets, start_redis
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
FAST = {
    # one request at a time per host and worker, a quarter second apart: the replica answers in
    # microseconds, and the crawl must last long enough for the second worker to get a share; and at
    # most two open per worker, or the first worker pulls the whole queue into its own downloader
    "DOWNLOAD_DELAY": 0.25, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "CONCURRENT_REQUESTS": 2,
    "DOWNLOAD_DELAY_JITTER": 0, "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING",
}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


COUNTS = ("pages", "reports_found", "attachments", "errors")




def start_worker(redis_url: str, data: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", redis_url,
                             "--data", str(data), "--wait", "30", *more], env=ENV, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def source_counts(data: Path) -> dict[str, dict]:
    with sqlite3.connect(data / "nianbao.db") as conn:
        conn.row_factory = sqlite3.Row
        [run] = conn.execute("SELECT id FROM crawl_runs").fetchall()
        return {r["source_id"]: {k: r[k] for k in COUNTS}
                for r in conn.execute("SELECT * FROM crawl_run_sources WHERE run_id = ?", (run["id"],))}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, redis_url):
    """One distributed run (`nianbao schedule --once --redis` + a `nianbao worker`), then a plain
    single-process crawl of the same replica into another data dir: what the counts must equal."""
    data = tmp_path_factory.mktemp("distributed")
    single = tmp_path_factory.mktemp("single")
    with Replica.start(faults=False) as rep:
        sources = rep.write_sources(data / "sources.yaml", include_faults=False)
        rep.gate.clear()  # held until the worker has taken work: it starts slower than the coordinator
        worker = start_worker(redis_url, data)
        try:
            # a worker leaves after 4 s with an empty queue (10 by default): the run ends sooner
            running = subprocess.Popen([sys.executable, "-m", "crawler.schedule", "--once", "--data", str(data),
                                        "--sources", str(sources), "--redis", redis_url,
                                        *sets({**FAST, "MAX_IDLE_TIME_BEFORE_CLOSE": 4})],
                                       env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                _wait_for_inflight(connect(redis_url), worker, f"{socket.gethostname()}-{worker.pid}", 120)
                rep.gate.set()
                said, complained = running.communicate(timeout=300)
            finally:
                running.kill()
            coordinator = subprocess.CompletedProcess(running.args, running.returncode, said, complained)
            out, _ = worker.communicate(timeout=180)
        finally:
            rep.gate.set()
            if worker.poll() is None:
                worker.kill()
        with sqlite3.connect(data / "nianbao.db") as conn:
            [(run_id,)] = conn.execute("SELECT id FROM crawl_runs").fetchall()
        seen = list(rep.requests)
        plain = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(single),
                                "--sources", str(sources), *sets(FAST)],
                               env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert plain.returncode == 0, plain.stderr[-3000:]
        yield {"data": data, "run": run_id, "rep": rep, "requests": seen, "reports": rep.reports(),
               "worker_rc": worker.returncode, "worker_out": out, "coordinator": coordinator, "single": single}


def db(data: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def test_two_workers_find_the_five_reports_once(crawled) -> None:
    # `schedule --once --redis`: the run finished and nothing needs attention
    assert crawled["coordinator"].returncode == 0, crawled["coordinator"].stderr[-3000:]
    assert crawled["worker_rc"] == 0, crawled["worker_out"]
    conn = db(crawled["data"])
    found = [r["url"] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'")]
    assert sorted(found) == sorted(r["url"] for r in crawled["reports"])
    assert len(found) == 5
    # the same bytes of the same URL are one snapshot, however many workers saw them
    dupes = conn.execute("SELECT url, sha256, count(*) n FROM snapshots GROUP BY url, sha256, rendered"
                         " HAVING n > 1").fetchall()
    assert dupes == []


def test_every_request_is_fetched_once_and_both_workers_took_part(crawled) -> None:
    seen = crawled["requests"]
    # robots.txt is each worker's own (Scrapy fetches it per process); any other request: once
    gets = Counter((s.portal_id, s.path) for s in seen if s.method == "GET" and s.path != "/robots.txt")
    assert gets and max(gets.values()) == 1, [k for k, n in gets.items() if n > 1]
    robots = Counter(s.portal_id for s in seen if s.path == "/robots.txt")
    assert set(robots) == {r["portal_id"] for r in crawled["reports"]} and max(robots.values()) <= 2
    conn = db(crawled["data"])
    # every answer the servers gave is archived under the one run, each fetch once
    assert conn.execute("SELECT count(*) FROM fetches WHERE run_id = ?", (crawled["run"],)).fetchone()[0] == len(seen)
    # each worker writes its own WARC series; both have records
    series = {p.name.rsplit("-", 1)[0] for p in (crawled["data"] / "warc").glob(f"nianbao-{crawled['run']}-*")}
    assert len(series) == 2, series
    per_file = Counter(r["warc_file"].rsplit("-", 1)[0] for r in conn.execute("SELECT warc_file FROM fetches"))
    assert len(per_file) == 2 and min(per_file.values()) > 0


def test_run_is_closed_with_stats_summed_over_workers(crawled) -> None:
    conn = db(crawled["data"])
    run = conn.execute("SELECT * FROM crawl_runs WHERE id = ?", (crawled["run"],)).fetchone()
    assert run["status"] == "finished" and run["finished_at"]
    rows = {r["source_id"]: r for r in conn.execute("SELECT * FROM crawl_run_sources WHERE run_id = ?",
                                                     (crawled["run"],))}
    assert set(rows) == {r["portal_id"] for r in crawled["reports"]}
    assert all(r["reports_found"] == 1 and r["errors"] == 0 and r["pages"] >= 2 for r in rows.values())
    assert sum(r["attachments"] for r in rows.values()) == 3
    stats = json.loads(run["stats"])
    assert stats["totals"]["fetches"] == len(crawled["requests"])


def test_per_source_counts_equal_a_single_process_run(crawled) -> None:
    """Pages, reports, attachments and errors per source, as `crawl_run_sources` and `nianbao status`
    have them, are the same whether two workers shared the run or one process crawled it alone."""
    from crawler.monitor import health

    distributed, single = source_counts(crawled["data"]), source_counts(crawled["single"])
    assert distributed == single
    assert sum(r["pages"] for r in single.values()) >= 10 and all(r["pages"] for r in single.values())
    seen = {data: {s.source_id: (s.pages, s.reports_found, s.attachments, s.errors)
                   for s in health(crawled[data]).sources} for data in ("data", "single")}
    assert seen["data"] == seen["single"]
    # the workers' count files are gone with the run
    assert not list((crawled["data"] / "runs").glob("*.workers"))


def test_redis_is_left_clean(crawled, redis_url) -> None:
    server = connect(redis_url)
    assert list(server.scan_iter(match=f"nianbao:{crawled['run']}:*")) == []
    assert server.get("nianbao:current") is None


def _writer(root: str, tag: str, n: int, ready, out) -> None:
    from archive.store import Fetch

    archive = SharedArchive(Path(root), tag)
    archive.start_run("test", [])
    ready.wait()  # all four start writing at the same moment
    errors = 0
    for i in range(n):
        url = f"http://127.0.0.1/p{i % 20}.html"
        body = f"<html>page {i % 20}, version {i // 20}</html>".encode()  # five versions of each page
        try:
            archive.record(Fetch(url=url, final_url=url, status=200, headers=[("Content-Type", "text/html")],
                                 body=body, fetched_at="2026-01-01T00:00:00Z", source_id="s", spider="t"))
        except Exception:
            errors += 1
    out.put(errors)


def test_concurrent_writers_share_one_archive(tmp_path) -> None:
    """Four processes record the same pages at once (each version fetched by all four): no errors,
    one snapshot per version with its own revision number, every fetch a row."""
    ctx = multiprocessing.get_context("spawn")
    out, ready = ctx.Queue(), ctx.Barrier(4)
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), f"w{i}", 100, ready, out)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [out.get(timeout=60) for _ in procs] == [0, 0, 0, 0]
    conn = db(tmp_path)
    assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 100
    revisions = conn.execute("SELECT url, group_concat(revision) FROM snapshots GROUP BY url").fetchall()
    assert len(revisions) == 20
    assert all(sorted(int(r) for r in revs.split(",")) == [1, 2, 3, 4, 5] for _, revs in revisions)
    assert conn.execute("SELECT count(*) FROM fetches").fetchone()[0] == 400
    assert conn.execute("SELECT sum(new_snapshot) FROM fetches").fetchone()[0] == 100


def _start_redis(port: int, workdir: Path) -> subprocess.Popen:
    proc = subprocess.Popen(["redis-server", "--save", "", "--appendonly", "no", "--port", str(port),
                             "--bind", "127.0.0.1", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60  # only bounds a hang: a busy machine starts redis slowly
    while True:
        try:
            connect(f"redis://127.0.0.1:{port}/0").ping()
            return proc
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)


def _wait_for_inflight(server, proc: subprocess.Popen, tag: str = "", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(server.hlen(k) for k in server.scan_iter(match=f"nianbao:*:inflight:{tag}*")):
        assert time.monotonic() < deadline and proc.poll() is None, "the crawl never took work"
        time.sleep(0.05)


def test_a_redis_restart_mid_run_is_ridden_out_reseeded_and_never_reported_ok(tmp_path, crawled) -> None:
    """Redis restarted without persistence loses the run's queue: the worker rides out the restart and
    carries on (no traceback, exit 0), the coordinator sees the run's marker gone, publishes the run
    again, and the fleet (the worker too) crawls it again from the start URLs; the run ends `incomplete`
    naming Redis; `schedule --once` exits 1.  Nothing is lost: every report and attachment is archived
    and counted as a single-process run counts them.  The coordinator's log names the worker that
    rejoined.  (Before, the worker's heartbeat, lost with the restart, came back only at its next beat,
    27 s later: the coordinator took the fleet for gone and re-crawled alone, or closed the run while the
    worker still crawled.)"""
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    data = tmp_path / "data"
    data.mkdir()
    proc = _start_redis(port, tmp_path)
    slow = {**FAST, "DOWNLOAD_DELAY": 0.15, "MAX_IDLE_TIME_BEFORE_CLOSE": 2}
    try:
        with Replica.start(faults=False) as rep:
            sources = rep.write_sources(tmp_path / "sources.yaml", include_faults=False)
            rep.gate.clear()  # held until both crawl: the worker is in the run when Redis restarts
            mark = "the-worker"  # its requests pass the portal's gate once the coordinator's are held alone
            from crawler.settings import USER_AGENT

            worker = start_worker(url, data, "--set", f"USER_AGENT={USER_AGENT} {mark}")
            tag = f"{socket.gethostname()}-{worker.pid}"
            coordinator = subprocess.Popen([sys.executable, "-m", "crawler.schedule", "--once", "--data", str(data),
                                            "--sources", str(sources), "--redis", url, *sets(slow)],
                                           env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True)
            try:
                _wait_for_inflight(connect(url), worker, tag, 180)
                _wait_for_inflight(connect(url), coordinator, f"{socket.gethostname()}-*-c", 180)
                rep.gate.set()
                proc.terminate()  # the restart an operator (or a host reboot) does: no persistence
                proc.wait(timeout=10)
                proc = _start_redis(port, tmp_path)
                # the restart took every in-flight list: the worker's fills again only with what it takes from
                # the run after the restart.  The portal holds the coordinator's requests meanwhile (not the
                # worker's: those it had in hand must come back for it to take more), so the coordinator cannot
                # re-crawl it all alone first (the replica answers in microseconds)
                rep.gate_passes = mark
                rep.gate.clear()
                try:
                    _wait_for_inflight(connect(url), worker, tag, 180)
                finally:
                    rep.gate.set()
                out, err = coordinator.communicate(timeout=300)
                worker_out, _ = worker.communicate(timeout=180)
            finally:
                for p in (coordinator, worker):
                    if p.poll() is None:
                        p.kill()
            expected = sorted(r["url"] for r in rep.reports())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert coordinator.returncode == 1, err[-3000:]
    assert worker.returncode == 0, worker_out[-3000:]
    assert "Traceback" not in err and "Traceback" not in worker_out, (err + worker_out)[-5000:]
    assert "redis restarted" in err
    conn = db(data)
    run = conn.execute("SELECT * FROM crawl_runs").fetchone()
    assert run["status"].startswith("incomplete: redis restarted during the run"), run["status"]
    # the worker rode the restart out in the fleet: it waited for the run to be published again and took
    # work from it, and the coordinator's log (at WARNING, seen without --log) says so
    assert f"redis restarted during run {run['id']} (its queue was lost): {tag} carries on" in worker_out, \
        worker_out[-3000:]
    assert f"worker {tag} rejoined the run after the redis restart" in err, err[-3000:]
    assert "crawled again after the redis restart by the coordinator and 1 other worker(s) (1 before)" in err, \
        err[-3000:]
    assert "the fleet shrank" not in err
    noted = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run["id"],))]
    assert any(n.startswith("redis restarted during the run") for n in noted), noted
    # re-seeded: what the lost queue held was crawled again, every report is there and counted
    found = sorted(r[0] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'"))
    assert found == expected and len(expected) == 5
    counted, single = source_counts(data), source_counts(crawled["single"])
    assert set(counted) == set(single)
    for source_id, row in single.items():  # pages fetched again after the re-seed count again: never fewer
        got = counted[source_id]
        assert (got["reports_found"], got["attachments"], got["errors"]) == \
            (row["reports_found"], row["attachments"], row["errors"]), (source_id, got, row)
        assert got["pages"] >= row["pages"], (source_id, got, row)
    status = subprocess.run([sys.executable, "-m", "crawler.monitor", "--data", str(data)], env=ENV, cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert status.returncode == 1 and "redis restarted" in status.stdout


def test_redis_gone_for_good_ends_workers_cleanly_and_the_run_failed(tmp_path) -> None:
    """Redis stopped and not back within NIANBAO_REDIS_PATIENCE: the worker leaves with one line naming
    Redis and exit 1 (no traceback), the requests it held are recorded as left in flight, and the run
    is closed `failed: redis … unreachable …` with `schedule --once` exiting 1."""
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    data = tmp_path / "data"
    data.mkdir()
    proc = _start_redis(port, tmp_path)
    patient = {**FAST, "DOWNLOAD_DELAY": 0.15, "MAX_IDLE_TIME_BEFORE_CLOSE": 2, "NIANBAO_REDIS_PATIENCE": 2}
    try:
        with Replica.start(faults=False) as rep:
            sources = rep.write_sources(tmp_path / "sources.yaml", include_faults=False)
            worker = start_worker(url, data, "--set", "NIANBAO_REDIS_PATIENCE=2")
            coordinator = subprocess.Popen([sys.executable, "-m", "crawler.schedule", "--once", "--data", str(data),
                                            "--sources", str(sources), "--redis", url, *sets(patient)],
                                           env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True)
            try:
                _wait_for_inflight(connect(url), coordinator)
                proc.terminate()
                proc.wait(timeout=10)
                out, err = coordinator.communicate(timeout=300)
                worker_out, _ = worker.communicate(timeout=180)
            finally:
                for p in (coordinator, worker):
                    if p.poll() is None:
                        p.kill()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
    assert worker.returncode == 1, worker_out[-3000:]
    assert "Traceback" not in err and "Traceback" not in worker_out, (err + worker_out)[-5000:]
    # in its run ("left run …") or still waiting to join one ("giving up"): one line saying why
    last = worker_out.strip().splitlines()[-1]
    assert last.startswith("nianbao worker: ") and f"redis at {url} unreachable for more than 2s" in last, last
    assert coordinator.returncode == 1, err[-3000:]
    conn = db(data)
    run = conn.execute("SELECT * FROM crawl_runs").fetchone()
    assert run["status"].startswith(f"failed: redis at {url} unreachable"), run["status"]
    noted = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run["id"],))]
    # what a worker held when it gave up is named, not dropped without a word
    assert any(re.fullmatch(rf"worker \S+: redis at {re.escape(url)} unreachable for more than 2s \(.*\); left the"
                            r" run holding \d+ request\(s\), kept in flight in redis for the coordinator to re-queue",
                            n) for n in noted), noted
    assert not list((data / "runs").glob("*.workers"))


# -- Redis answers lost, Redis hung: nothing runs twice, nothing is lost, patience is seconds ---------------

class LossyProxy:
    """A TCP proxy in front of a real redis-server that, for the first `drops[word]` commands naming
    `word`, lets Redis run the command and then cuts the connection before the reply gets back: what a
    NAT or a socket timeout does to a command that did reach Redis."""

    def __init__(self, redis_port: int, drops: dict[bytes, int]) -> None:
        import threading

        self.redis_port, self.drops, self.dropped = redis_port, dict(drops), Counter()
        self.port = free_port()
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> LossyProxy:
        self._thread.start()
        assert self._ready.wait(60)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _drop(self, data: bytes) -> bool:
        with self._lock:
            for word, left in self.drops.items():
                if left and f"\r\n{word.decode()}\r\n".encode() in data.upper():
                    self.drops[word] -= 1
                    self.dropped[word] += 1
                    return True
        return False

    def _serve(self) -> None:
        import asyncio

        async def pipe(cr, cw) -> None:
            sr, sw = await asyncio.open_connection("127.0.0.1", self.redis_port)
            cut = asyncio.Event()

            async def up() -> None:
                while (data := await cr.read(65536)) and not cut.is_set():
                    sw.write(data)
                    await sw.drain()
                    if self._drop(data):
                        cut.set()
                        await asyncio.sleep(0.2)  # Redis runs it; its reply goes nowhere

            async def down() -> None:
                while (data := await sr.read(65536)) and not cut.is_set():
                    cw.write(data)
                    await cw.drain()

            tasks = [asyncio.ensure_future(up()), asyncio.ensure_future(down())]
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:  # the proxy is closing
                pass
            finally:
                for task in tasks:
                    task.cancel()
                cw.close()
                sw.close()

        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            server = await asyncio.start_server(pipe, "127.0.0.1", self.port)
            self._ready.set()
            async with server:
                await self._stop.wait()

        asyncio.run(main())


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    proc = _start_redis(port, tmp_path)
    yield port, proc
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(timeout=10)


def calls(port: int, command: str) -> int:
    stats = redis.Redis(port=port).info("commandstats").get(f"cmdstat_{command}") or {}
    return int(stats.get("calls", 0))


def test_a_lost_reply_never_runs_a_command_twice_nor_loses_a_request(own_redis) -> None:
    """SADD, the pop scripts and RPUSH reach Redis but their replies are lost: the dupefilter says
    "not seen" (the request is fetched, not dropped), a pop sent again returns the same request and the
    rest stays queued, a seed batch sent again is the same batch, a repeatable command just succeeds."""
    from scrapy import Request

    from crawler.distributed import FamilyQueue, PatientRedis, RedisRunSpider, SourceDupeFilter

    port, _ = own_redis
    direct = redis.Redis(port=port, decode_responses=True)
    with LossyProxy(port, {b"SADD": 1, b"EVAL": 2, b"RPUSH": 1, b"HSET": 1}) as proxy:
        server = connect(proxy.url, patience=5)
        dupes = SourceDupeFilter(server, key="run:dupefilter")
        page = Request("http://127.0.0.1:1/report.html", meta={"source_id": "s1"})
        assert dupes.request_seen(page) is False  # its reply lost: not seen, so it is fetched
        assert calls(port, "sadd") == 1 and direct.scard("run:dupefilter") == 1
        assert dupes.request_seen(page) is True  # and from now on it is known

        spider = SimpleNamespace(name="run", worker="w1", holding=set(), families={})
        queue = FamilyQueue(PatientRedis.from_url(proxy.url, patience=5), spider, "run:requests")  # pickles
        for url in ("http://127.0.0.1:1/a", "http://127.0.0.1:1/b"):
            queue.push(Request(url))
        first = queue.pop()  # its reply lost, sent again with the same token
        assert first.url == "http://127.0.0.1:1/a"
        assert direct.zcard("run:requests") == 1 and direct.hlen("run:inflight:w1") == 1
        assert queue.pop().url == "http://127.0.0.1:1/b" and queue.pop() is None

        direct.rpush("run:start_urls", *[f'{{"url": "http://127.0.0.1:1/{i}"}}' for i in range(5)])
        seeding = SimpleNamespace(run_id="run", worker="w1", redis_key="run:start_urls", server=server,
                                  redis_batch_size=2, seed_pops=0)
        batch = RedisRunSpider.take_seeds(seeding)  # its reply lost: the same batch, not the next one
        assert [json.loads(data)["url"][-1] for _, data in batch] == ["0", "1"]
        assert direct.llen("run:start_urls") == 3 and direct.hlen("nianbao:run:seeds:w1") == 2

        with pytest.raises(redis.ConnectionError):  # RPUSH is not sent twice: the caller hears of it
            server.rpush("run:list", "x")
        assert direct.lrange("run:list", 0, -1) == ["x"]
        assert server.hset("run:hash", "k", "v") in (0, 1) and direct.hget("run:hash", "k") == "v"
    assert proxy.dropped == Counter({b"SADD": 1, b"EVAL": 2, b"RPUSH": 1, b"HSET": 1})


def test_patience_is_seconds_of_wall_clock_even_with_redis_hung(own_redis, tmp_path) -> None:
    """Redis frozen (SIGSTOP: it accepts connections and never answers) or refusing them: a command
    gives up within the patience plus its socket timeouts, not after tries × 30 s; a restart shorter
    than the patience is ridden out; a heartbeat outlives the longest such stall."""
    from crawler.distributed import PATIENCE, longest_stall, socket_timeout_for, worker_ttl

    port, proc = own_redis
    for patience in (1.0, 2.0, 30.0, 120.0):
        assert socket_timeout_for(patience) <= patience / 2
        assert worker_ttl(patience) > 1.5 * longest_stall(patience)  # one beat per TTL/3, stalled
    assert worker_ttl(PATIENCE) > PATIENCE + socket_timeout_for(PATIENCE)
    server = connect(f"redis://127.0.0.1:{port}/0", patience=2)
    server.set("k", 1)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(redis.RedisError):
            server.set("k", 2)
        assert 2 <= time.monotonic() - started <= longest_stall(2) + 1
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    proc.terminate()
    proc.wait(timeout=10)
    started = time.monotonic()
    with pytest.raises(redis.ConnectionError):  # refused: given up after the patience, not before
        server.get("k")
    assert 2 <= time.monotonic() - started <= 4

    import threading

    back: list[subprocess.Popen] = []
    later = threading.Timer(1.0, lambda: back.append(_start_redis(port, tmp_path)))
    later.start()
    try:
        assert connect(f"redis://127.0.0.1:{port}/0", patience=5).set("k", 3)  # back within the patience
    finally:
        later.join()
        for p in back:
            p.terminate()
            p.wait(timeout=10)


def test_requeue_takes_back_what_a_worker_without_heartbeat_holds(own_redis) -> None:
    """A dead worker's requests and start URLs go back to the queue; so does anything a worker that
    reported its results still holds (it should hold nothing, but whatever it is is crawled, not lost);
    a live worker's stay with it."""
    from crawler.distributed import key, requeue_lost

    port, _ = own_redis
    server = connect(f"redis://127.0.0.1:{port}/0", patience=2)
    run = "r1"
    server.sadd(key(run, "workers"), "dead", "done", "alive")
    server.hset(key(run, "results"), "done", json.dumps({"finish": "finished", "sources": {}}))
    server.set(key(run, "worker:alive"), 1, ex=60)
    for worker in ("dead", "done", "alive"):
        server.hset(key(run, f"inflight:{worker}"), f"sha-{worker}", f"request-of-{worker}")
    server.hset(key(run, "seeds:dead"), "sha-seed", '{"url": "http://127.0.0.1:1/"}')
    assert requeue_lost(server, run) == {"dead": 2, "done": 1}
    assert sorted(server.zrange(key(run, "requests"), 0, -1)) == ["request-of-dead", "request-of-done"]
    assert server.lrange(key(run, "start_urls"), 0, -1) == ['{"url": "http://127.0.0.1:1/"}']
    assert server.hgetall(key(run, "inflight:alive")) == {"sha-alive": "request-of-alive"}
    assert not server.exists(key(run, "inflight:dead"), key(run, "inflight:done"), key(run, "seeds:dead"))
    assert requeue_lost(server, run) == {}


def test_a_forever_worker_waits_redis_out_instead_of_leaving(tmp_path) -> None:
    """`nianbao worker --forever` is a service: Redis away for longer than its patience is said in one
    line and waited for (backoff), not the end of the worker."""
    port = free_port()
    worker = start_worker(f"redis://127.0.0.1:{port}/0", tmp_path, "--forever", "--wait", "2",
                          "--set", "NIANBAO_REDIS_PATIENCE=1")
    proc = None
    try:
        said = []  # Redis is started once the worker has said it is away (a fixed 4 s lost that race on a busy box)
        for line in worker.stdout:
            said.append(line)
            if "unreachable for more than" in line:
                break
        assert worker.poll() is None, "".join(said)[-3000:] + worker.communicate()[0][-3000:]
        proc = _start_redis(port, tmp_path)
        out, _ = worker.communicate(timeout=120)
        out = "".join(said) + out
    finally:
        if worker.poll() is None:
            worker.kill()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    assert worker.returncode == 0, out[-3000:]
    assert "Traceback" not in out
    assert re.search(r"unreachable for more than 1s \(.*\): trying again in \d+s", out), out[-3000:]
    assert "no run to join" in out


def test_a_run_through_a_connection_that_loses_replies_crawls_everything(tmp_path, own_redis) -> None:
    """A whole run (`schedule --once --redis`) behind the lossy proxy: dupefilter answers, pops of
    requests and start URLs, pushes and in-flight deletions lose their replies; every report is still
    archived and the run is `finished` (a lost SADD reply made a new page "seen" and never crawled)."""
    port, _ = own_redis
    data = tmp_path / "data"
    data.mkdir()
    drops = {b"SADD": 4, b"EVAL": 3, b"ZADD": 1, b"HDEL": 1}
    with LossyProxy(port, drops) as proxy, Replica.start(faults=False) as rep:
        sources = rep.write_sources(tmp_path / "sources.yaml", include_faults=False)
        run = subprocess.run([sys.executable, "-m", "crawler.schedule", "--once", "--data", str(data),
                              "--sources", str(sources), "--redis", proxy.url,
                              *sets({**FAST, "DOWNLOAD_DELAY": 0.05, "MAX_IDLE_TIME_BEFORE_CLOSE": 2})],
                             env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=180)
        expected = sorted(r["url"] for r in rep.reports())
    assert proxy.dropped == Counter(drops), proxy.dropped  # every kind of reply was lost at least once
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    conn = db(data)
    assert conn.execute("SELECT status FROM crawl_runs").fetchone()[0] == "finished"
    assert sorted(r[0] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'")) == expected
    assert len(expected) == 5
    assert list(connect(f"redis://127.0.0.1:{port}/0").scan_iter(match="nianbao:*")) == []


def test_a_redis_error_is_found_behind_what_scrapy_raised_after_it() -> None:
    """Redis gone while a worker's spider opens: scrapy-redis's ping fails, then Scrapy fails again
    closing the engine that never opened.  The Redis error behind it is what the worker reports (one
    line, `failed: redis … unreachable`), not Scrapy's traceback."""
    from crawler.distributed import NotSent, redis_cause

    try:
        try:
            raise NotSent("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        except NotSent:
            raise RuntimeError("Engine slot not assigned")  # noqa: B904 - as Scrapy raises it
    except RuntimeError as exc:
        after = exc
    assert isinstance(redis_cause(after), NotSent)
    assert redis_cause(RuntimeError("Engine slot not assigned")) is None


def test_a_worker_finding_its_run_without_config_takes_nothing_until_it_is_published_again(tmp_path, own_redis) -> None:
    """Redis restarted between a worker's join and its crawl's start (a crawl child starts slowly on a
    busy host): the run is named `current` again only once the coordinator re-publishes it, but the
    start URLs it re-seeds may already wait.  A worker that began crawling without the run's config took
    those start URLs and dropped each as an unknown source's: the re-crawl lost whole sources (the
    restart test failed so under load).  Now it takes nothing until the run is published again."""
    port, _ = own_redis
    url = f"redis://127.0.0.1:{port}/0"
    server = connect(url)
    run_id = "20260101T000000-norun"
    seed = json.dumps({"url": "http://127.0.0.1:9/zwgk/", "meta": {"source_id": "lost-county"}})
    server.rpush(f"nianbao:{run_id}:start_urls", seed)
    server.set("nianbao:current", run_id)  # named, but its config is gone
    worker = start_worker(url, tmp_path, "--wait", "3")
    try:
        deadline = time.monotonic() + 120
        while not server.smembers(f"nianbao:{run_id}:workers") and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(8)  # time enough for a crawl child to start and take the start URL (it did before)
        assert server.lrange(f"nianbao:{run_id}:start_urls", 0, -1) == [seed], "the start URL was taken"
        server.delete("nianbao:current")  # the run goes away: the worker leaves after --wait
        out, _ = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, out[-3000:]
    assert "Traceback" not in out and "unknown source" not in out, out[-3000:]
    assert "not in redis as published" in out, out[-3000:]
    assert server.lrange(f"nianbao:{run_id}:start_urls", 0, -1) == [seed]  # left for the re-published run


def test_the_coordinator_publishes_a_restarted_run_again_once_and_names_who_rejoined(own_redis, caplog) -> None:
    """The coordinator's watch (crawler/fleetwatch.py) on a real Redis: the run's config gone (what a
    restart without persistence does) is answered by one publication, however often it looks (its
    thread and the coordinator itself); a worker seen before that comes back is named as rejoined, a new
    one as joined; past its limit the run is left lost, not published again for ever."""
    import logging

    from crawler.fleetwatch import FleetWatch

    port, _ = own_redis
    server = connect(f"redis://127.0.0.1:{port}/0", patience=2)
    run, published = "r1", []
    config, beat = f"nianbao:{run}:config", f"nianbao:{run}:worker:"

    def republish() -> str:
        published.append(time.monotonic())
        server.set(config, "{}")
        return f"id-{len(published)}"

    def wait_for(what, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not what():
            assert time.monotonic() < deadline
            time.sleep(0.02)

    server.set(config, "{}")
    server.set(beat + "w1", 1, ex=60)
    server.set(beat + "host-1-c", 1, ex=60)  # the coordinator's own crawl: not the fleet
    caplog.set_level(logging.INFO, logger="crawler.fleetwatch")
    with FleetWatch(server, run, beat + "*", config, "host-1-c", republish, limit=2, every=0.05) as watch:
        wait_for(lambda: watch.seen == {"w1"})
        server.flushall()  # the restart: config and heartbeats gone
        wait_for(lambda: published)
        assert watch.check() is False and len(published) == 1  # published once, not once per look
        server.set(beat + "w1", 1, ex=60)  # the worker registers again
        server.set(beat + "w2", 1, ex=60)  # and a new one joins
        wait_for(lambda: watch.seen == {"w1", "w2"})
        assert watch.before == {"w1"} and watch.restarts == ["id-1"]
        server.delete(config)
        wait_for(lambda: len(published) == 2)
        server.delete(config)
        wait_for(lambda: watch.lost)
        assert len(published) == 2 and not server.exists(config)
    said = [r.getMessage() for r in caplog.records]
    assert any("worker w1 rejoined the run after the redis restart" in s for s in said), said
    assert any("worker w2 joined" in s for s in said), said
    assert not any("host-1-c" in s for s in said), said
