"""A night lost to `kill -9` (the OOM killer, a reboot) is mailed (ops11 examination): the killed
`schedule --once` has no exit code of its own, so `status` flags the run until finished runs have
crawled its sources again, and the next `schedule --once` that does so names it and exits 4, once.
Real processes: the scheduler and its crawl child are SIGKILLed mid-crawl against the replica portal."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.lock import lock_holder
from crawler.schedule import EXIT_ATTENTION, EXIT_OK
from tests.portal.server import Replica
from tests.support.quickcrawl import PORTALS, QUICK, sets, snapshots, two_portals

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def schedule(data: Path, sources: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.schedule", "--once", "--data", str(data), "--sources", str(sources),
            *args, *sets(QUICK)]


def nianbao(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=180)


def status(data: Path) -> subprocess.CompletedProcess:
    return nianbao([sys.executable, "-m", "crawler.monitor", "--data", str(data)])


def attention(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stderr.splitlines() if " attention: " in line]


@pytest.fixture
def portal(tmp_path):
    with two_portals(tmp_path) as served:
        yield served


def test_a_sigkilled_night_is_flagged_until_its_sources_are_crawled_again_and_mailed_once(tmp_path, portal) -> None:
    rep, sources = portal
    data = tmp_path / "data"
    rep.latency = 1.0  # slow answers: the crawl is still going when it is killed
    night1 = subprocess.Popen(schedule(data, sources), env=ENV, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while snapshots(data) < 2 and night1.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert night1.poll() is None, "the crawl ended before it could be killed"
    os.killpg(night1.pid, signal.SIGKILL)  # the scheduler and its crawl child, as the OOM killer does
    night1.wait(timeout=10)
    deadline = time.monotonic() + 60
    while lock_holder(data) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    with sqlite3.connect(data / "nianbao.db") as conn:
        [(killed, started)] = conn.execute("SELECT id, started_at FROM crawl_runs").fetchall()
        fetched = conn.execute("SELECT count(*) FROM fetches WHERE run_id = ?", (killed,)).fetchone()[0]
    assert fetched >= 2

    now = status(data)  # the morning after: nobody was mailed, a monitoring check sees it
    assert now.returncode == 1 and f"run {killed} (started {started}) did not finish: died" in now.stdout
    assert f"after {fetched} fetches" in now.stdout

    # night 2 crawls one of the two sources (--only): the dead run is marked, but half of it is not redone
    rep.latency = 0.0
    night2 = nianbao(schedule(data, sources, "--only", PORTALS[0]))
    assert night2.returncode == EXIT_ATTENTION, night2.stderr[-3000:]
    [line] = [a for a in attention(night2) if killed in a]
    assert f"started {started}) died after {fetched} fetches" in line and line.endswith(PORTALS[1])
    now = status(data)
    assert now.returncode == 1 and f"run {killed}" in now.stdout and "OK: nothing needs attention" not in now.stdout

    # night 3 crawls both: it reports the death (exit 4, one line naming the run), after that it is history
    night3 = nianbao(schedule(data, sources))
    assert night3.returncode == EXIT_ATTENTION, night3.stderr[-3000:]
    [line] = attention(night3)
    with sqlite3.connect(data / "nianbao.db") as conn:
        runs = conn.execute("SELECT id, status FROM crawl_runs ORDER BY rowid").fetchall()
    assert [s for _, s in runs] == ["interrupted", "finished", "finished"]
    assert f"run {killed} (started {started}) died after {fetched} fetches" in line
    assert f"run {runs[2][0]} has now crawled its sources again" in line
    assert "health: ok" not in night3.stderr
    now = status(data)
    assert now.returncode == 0 and "OK: nothing needs attention" in now.stdout, now.stdout
    assert line.split(" attention: ")[1] in now.stdout.split("notes (not problems):")[1]  # why OK beside it
    night4 = nianbao(schedule(data, sources))
    assert night4.returncode == EXIT_OK and attention(night4) == [] and killed not in night4.stderr
    assert "notes (not problems):" not in status(data).stdout


def test_a_sigterm_night_reports_itself_and_is_not_reported_again(tmp_path, portal) -> None:
    """SIGTERM (systemd stopping the service, a timeout) ends the run `interrupted: SIGTERM` and exits 1:
    cron saw that night, so the next finished night is plain OK."""
    rep, sources = portal
    data = tmp_path / "data"
    rep.latency = 1.0
    night1 = subprocess.Popen(schedule(data, sources), env=ENV, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while snapshots(data) < 2 and night1.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert night1.poll() is None, "the crawl ended before it could be stopped"
    night1.send_signal(signal.SIGTERM)
    _, err = night1.communicate(timeout=180)
    assert night1.returncode == 1, err[-2000:]
    rep.latency = 0.0
    night2 = nianbao(schedule(data, sources))
    assert night2.returncode == EXIT_OK and attention(night2) == [], night2.stderr[-3000:]


def crawl(data: Path, sources: Path, *args: str) -> list[str]:
    """A crawl run by hand (`nianbao crawl`), not by the scheduler."""
    return [sys.executable, "-m", "crawler.run", "crawl", "--data", str(data), "--sources", str(sources),
            *args, *sets(QUICK)]


def killed_night(data: Path, sources: Path, rep: Replica) -> tuple[str, str, int]:
    """A `schedule --once` SIGKILLed mid-crawl with its child: (run id, started, fetches)."""
    rep.latency = 1.0
    night = subprocess.Popen(schedule(data, sources), env=ENV, cwd=ROOT, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while snapshots(data) < 2 and night.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert night.poll() is None, "the crawl ended before it could be killed"
    os.killpg(night.pid, signal.SIGKILL)
    night.wait(timeout=10)
    deadline = time.monotonic() + 60
    while lock_holder(data) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    rep.latency = 0.0
    with sqlite3.connect(data / "nianbao.db") as conn:
        [(run, started)] = conn.execute("SELECT id, started_at FROM crawl_runs").fetchall()
        fetched = conn.execute("SELECT count(*) FROM fetches WHERE run_id = ?", (run,)).fetchone()[0]
    return run, started, fetched


def crawl_attention(done: subprocess.CompletedProcess) -> list[str]:
    return [line.split("nianbao crawl: attention: ", 1)[1] for line in done.stderr.splitlines()
            if line.startswith("nianbao crawl: attention: ")]


def test_a_crawl_run_by_hand_after_a_killed_night_names_the_dead_run(tmp_path, portal) -> None:
    """The operator who crawls by hand after a SIGKILLed night reads on the terminal which run died and
    whether this crawl has now crawled its sources again; the exit code stays the crawl's own (0)."""
    rep, sources = portal
    data = tmp_path / "data"
    killed, started, fetched = killed_night(data, sources, rep)

    half = nianbao(crawl(data, sources, "--only", PORTALS[0]))  # half of the dead run's sources
    assert half.returncode == 0, half.stderr[-3000:]
    [line] = crawl_attention(half)
    assert f"run {killed} (started {started}) died after {fetched} fetches" in line and line.endswith(PORTALS[1])
    assert half.stderr.index("nianbao crawl: run ") < half.stderr.index(line)  # after the run's summary

    whole = nianbao(crawl(data, sources))
    assert whole.returncode == 0, whole.stderr[-3000:]
    [line] = crawl_attention(whole)
    this_run = whole.stdout.strip()
    assert f"run {killed} (started {started}) died after {fetched} fetches" in line
    assert line.endswith(f"run {this_run} has now crawled its sources again")
    # told once: the next night (scheduled or by hand) does not repeat it
    night = nianbao(schedule(data, sources))
    assert night.returncode == EXIT_OK and attention(night) == [], night.stderr[-3000:]
    again = nianbao(crawl(data, sources))
    assert again.returncode == 0 and crawl_attention(again) == [] and killed not in again.stderr


def test_status_decides_a_run_died_by_its_processes_not_by_the_lock_file(tmp_path, portal) -> None:
    """`status` asks the run's own lock (runs/<id>.lock, held by every process working for it) as well as
    the data dir's crawl.lock: a crawl whose crawl.lock was deleted under it is still running; once its
    processes are gone it died, with or without lock files (deleted, or a database copied elsewhere)."""
    rep, sources = portal
    data = tmp_path / "data"
    rep.latency = 1.0
    night = subprocess.Popen(schedule(data, sources), env=ENV, cwd=ROOT, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while snapshots(data) < 2 and night.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert night.poll() is None, "the crawl ended before it could be checked"
    (data / "crawl.lock").unlink()  # a cleanup deletes the lock file under the live crawl
    alive = status(data)
    with sqlite3.connect(data / "nianbao.db") as conn:
        [(run,)] = conn.execute("SELECT id FROM crawl_runs").fetchall()
    assert "did not finish" not in alive.stdout and "DID NOT FINISH" not in alive.stdout, alive.stdout
    assert any(line.split()[:2] == [run, "running"] for line in alive.stdout.splitlines()), alive.stdout

    os.killpg(night.pid, signal.SIGKILL)
    night.wait(timeout=10)
    deadline = time.monotonic() + 60
    dead = status(data)
    while dead.returncode != 1 and time.monotonic() < deadline:  # until the kernel has dropped their locks
        time.sleep(0.2)
        dead = status(data)
    assert not (data / "crawl.lock").exists()
    assert dead.returncode == 1 and f"run {run} (started " in dead.stdout and "did not finish: died" in dead.stdout

    moved = tmp_path / "elsewhere"  # the database alone, copied to another machine
    moved.mkdir()
    for db in data.glob("nianbao.db*"):
        (moved / db.name).write_bytes(db.read_bytes())
    there = status(moved)
    assert there.returncode == 1 and f"run {run} (started " in there.stdout and "did not finish: died" in there.stdout
