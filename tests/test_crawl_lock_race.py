"""Two crawls started in the same instant against one data directory (a cron line and a person at a
terminal, two timers firing together): exactly one crawls, the other exits 75 with one line naming
the holder, and once both are gone nothing holds the lock and crawl.lock names nobody.

Real `nianbao crawl` processes against the replica portal.  Both wait at a gate (a file the test
creates once both are up) and then exec the command, so they reach the lock within a millisecond or
two of each other, closer than two shells could start them; a fresh data directory each round, so
the race also covers creating the directory, its lock file and its database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.lock import LOCK_NAME, lock_holder
from crawler.schedule import EXIT_LOCKED
from tests.support.quickcrawl import PORTALS, QUICK, sets, two_portals

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ROUNDS = 2

# wait for the gate, then become `nianbao crawl …` (argv after the gate's path)
GATED = ("import os, sys, time\n"
         "ready, gate = sys.argv[1], sys.argv[2]\n"
         "open(ready, 'w').close()\n"
         "while not os.path.exists(gate):\n"
         "    time.sleep(0.0005)\n"
         "os.execv(sys.executable, [sys.executable, *sys.argv[3:]])\n")


@pytest.fixture
def portal(tmp_path):
    with two_portals(tmp_path) as served:
        yield served


def crawl_together(folder: Path, data: Path, sources: Path) -> list[subprocess.CompletedProcess]:
    gate = folder / "go"
    argv = ["-m", "archive.cli", "--data", str(data), "crawl", "--sources", str(sources), "--only", PORTALS[0],
            *sets(QUICK)]
    procs = [subprocess.Popen([sys.executable, "-c", GATED, str(folder / f"ready{k}"), str(gate), *argv], env=ENV,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(2)]
    deadline = time.monotonic() + 60
    while not all((folder / f"ready{k}").exists() for k in range(2)) and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.touch()
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def test_two_crawls_started_together_one_crawls_and_the_other_is_refused(tmp_path, portal) -> None:
    _, sources = portal
    for n in range(ROUNDS):
        folder = tmp_path / f"round{n}"
        folder.mkdir()
        data = folder / "data"  # not there yet: both create it
        done = crawl_together(folder, data, sources)
        codes = sorted(d.returncode for d in done)
        assert codes == [0, EXIT_LOCKED], [(d.returncode, d.stderr[-1500:]) for d in done]
        ran, refused = sorted(done, key=lambda d: d.returncode)
        said = [line for line in refused.stderr.splitlines() if line.strip()]
        assert len(said) == 1 and said[0].startswith("nianbao crawl: skipped: ") and " held by " in said[0], said
        assert "Traceback" not in ran.stderr + refused.stderr
        run_id = ran.stdout.strip()
        with sqlite3.connect(data / "nianbao.db") as conn:
            runs = conn.execute("SELECT id, status FROM crawl_runs").fetchall()
        assert runs == [(run_id, "finished")]  # the refused one started no run
        assert lock_holder(data) is None  # nobody holds it once both are gone
        assert (data / LOCK_NAME).read_text() == ""  # and it names nobody: no stale holder for the next one
