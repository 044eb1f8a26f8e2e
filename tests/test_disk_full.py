"""A crawl on a disk that fills up (a real 2 MB tmpfs, so root only): it stops at the first
ENOSPC, the run says `failed: no space left on device …` (a reserve freed for that), the exit
code is 1, `status` names it, and the next run on a grown disk is whole again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.portal.server import Replica

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
QUICK = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0, "LOG_LEVEL": "WARNING"}


@pytest.fixture
def small_disk(tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def crawl(data: Path, sources: Path) -> subprocess.CompletedProcess:
    sets = [a for k, v in QUICK.items() for a in ("--set", f"{k}={json.dumps(v)}")]
    return subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data), "--sources",
                           str(sources), *sets], env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_a_full_disk_fails_the_run_with_its_reason_and_the_next_run_recovers(small_disk, tmp_path) -> None:
    data = small_disk / "data"
    with Replica.start(faults=False) as rep:
        sources = rep.write_sources(tmp_path / "sources.yaml", include_faults=False)
        full = crawl(data, sources)
        assert full.returncode == 1, full.stderr[-3000:]
        assert "no space left on device" in full.stderr
        # one line says why (a cron mail without --log shows the whole stderr): no traceback below it
        assert "Traceback" not in full.stderr, full.stderr[full.stderr.find("Traceback") - 300:][:3000]
        with sqlite3.connect(data / "nianbao.db") as conn:
            (run_id, status), = conn.execute("SELECT id, status FROM crawl_runs").fetchall()
            reasons = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run_id,))]
        assert status.startswith("failed: no space left on device"), status
        assert any(r.startswith("failed: no space left on device") for r in reasons), reasons
        shown = subprocess.run([sys.executable, "-m", "crawler.monitor", "--data", str(data)], env=ENV, cwd=ROOT,
                               capture_output=True, text=True, timeout=60)
        assert shown.returncode == 1 and "no space left on device" in shown.stdout
        # the operator grows the disk: the next run is whole
        subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
        again = crawl(data, sources)
        assert again.returncode == 0, again.stderr[-3000:]
        expected = sorted(r["url"] for r in rep.reports())
    with sqlite3.connect(data / "nianbao.db") as conn:
        found = sorted(r[0] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'"))
        last = conn.execute("SELECT status FROM crawl_runs ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert last == "finished" and found == expected
    assert (data / "runs" / "space.reserve").stat().st_size > 0  # held back again for the next full disk
