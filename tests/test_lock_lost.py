"""The crawl lock when its file is lost or cannot be read (small12 leftovers).

A crawl whose crawl.lock is deleted under it still holds the data dir: a second crawl refuses with one
line naming the running one (before, it locked a new crawl.lock and wrote the archive beside it).
`nianbao status` with a crawl.lock it cannot read (a directory in its place, permission denied, a
read-only filesystem) names what it could not read and exits 1 — never a traceback — and calls the
newest open run neither running nor died when nothing could tell.  Real crawls against the replica
portal, real files, permissions and mounts; root's override of file modes is dropped with setpriv
(a capability bounding set), so a mode-000 file is as unreadable as it is to any other user.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.store import Archive
from crawler.lock import lock_holder
from crawler.schedule import EXIT_LOCKED
from tests.support.quickcrawl import QUICK, sets, snapshots, two_portals

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]  # root, but file modes apply


def run(argv: list[str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def status(data: Path, *prefix: str) -> subprocess.CompletedProcess:
    return run([*prefix, sys.executable, "-m", "crawler.monitor", "--data", str(data)], timeout=60)


def attention(done: subprocess.CompletedProcess) -> list[str]:
    out = done.stdout.split("ATTENTION", 1)
    return [line.strip()[2:] for line in out[1].splitlines()[1:] if line.strip().startswith("- ")] if len(out) > 1 else []


@pytest.fixture
def portal(tmp_path):
    with two_portals(tmp_path) as served:
        yield served


def test_a_second_crawl_is_refused_after_the_running_crawls_lock_file_was_deleted(tmp_path, portal) -> None:
    rep, sources = portal
    data = tmp_path / "data"
    rep.latency = 1.0
    first = subprocess.Popen([sys.executable, "-m", "crawler.schedule", "--once", "--data", str(data), "--sources",
                              str(sources), *sets(QUICK)], env=ENV, cwd=ROOT, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while snapshots(data) < 2 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert first.poll() is None, "the crawl ended before it could be checked"
        rep.latency = 8.0  # every further answer takes 8 s: the crawl outlives the checks below
        with sqlite3.connect(data / "nianbao.db") as conn:
            [(run_id,)] = conn.execute("SELECT id FROM crawl_runs").fetchall()
        (data / "crawl.lock").unlink()  # a cleanup deletes the lock file under the live crawl
        assert lock_holder(data) is not None  # the data dir is still held
        for argv in (["crawler.schedule", "--once"], ["crawler.run", "crawl"]):
            second = run([sys.executable, "-m", *argv, "--data", str(data), "--sources", str(sources), *sets(QUICK)])
            assert second.returncode == EXIT_LOCKED, second.stderr[-2000:]
            said = [line for line in second.stderr.splitlines() if "held by" in line]
            assert len(said) == 1 and f"run {run_id} (started " in said[0] and "crawl.lock was deleted" in said[0], \
                second.stderr[-2000:]
            assert "Traceback" not in second.stderr
        with sqlite3.connect(data / "nianbao.db") as conn:
            assert [r[0] for r in conn.execute("SELECT id FROM crawl_runs")] == [run_id]  # no second run started
        shown = status(data)
        assert any(line.split()[:2] == [run_id, "running"] for line in shown.stdout.splitlines()), shown.stdout
        assert first.poll() is None  # all of it while the first crawl was still running
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGTERM)
        first.wait(timeout=120)
    deadline = time.monotonic() + 60
    while lock_holder(data) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    rep.latency = 0.0
    after = run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data), "--sources", str(sources),
                 *sets(QUICK)])
    assert after.returncode == 0, after.stderr[-2000:]  # once it has gone, the next crawl takes the lock


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    """An archive with one finished run (a crawl's bookkeeping, nothing fetched)."""
    data = tmp_path / "data"
    archive = Archive(data)
    archive.finish_run(archive.start_run("nianbao", []), {})
    archive.close()
    return data


def test_status_with_a_directory_where_the_crawl_lock_should_be(archive_dir, tmp_path, portal) -> None:
    (archive_dir / "crawl.lock").mkdir()
    shown = status(archive_dir)
    assert shown.returncode == 1 and "Traceback" not in shown.stderr, shown.stderr
    assert attention(shown) == [f"the crawl lock {archive_dir / 'crawl.lock'} is a directory, not a lock file;"
                                " whether a crawl holds the data dir is told by the data directory's own lock"]
    # and a crawl says so in one line instead of a traceback (waiting would not help: exit 1, not 75)
    _, sources = portal
    crawled = run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(archive_dir), "--sources", str(sources),
                   *sets(QUICK)])
    assert crawled.returncode == 1 and "Traceback" not in crawled.stderr, crawled.stderr[-2000:]
    assert f"cannot open the crawl lock {archive_dir / 'crawl.lock'}: Is a directory" in crawled.stderr


def test_status_with_a_crawl_lock_it_may_not_read(archive_dir) -> None:
    lock = archive_dir / "crawl.lock"
    lock.write_text('{"pid": 1}')
    lock.chmod(0)
    shown = status(archive_dir, *NO_OVERRIDE)
    assert shown.returncode == 1 and "Traceback" not in shown.stderr, shown.stderr
    assert attention(shown) == [f"cannot read the crawl lock {lock}: Permission denied;"
                                " whether a crawl holds the data dir is told by the data directory's own lock"]


def test_an_open_run_is_neither_running_nor_died_when_no_lock_can_be_read(archive_dir) -> None:
    """A run left open (its process gone) in a data dir whose crawl.lock and directory cannot be read:
    before, `status` crashed; calling it died could be wrong (its crawl.lock may be held), so: unknown."""
    run([sys.executable, "-c", "import sys; from pathlib import Path; from archive.store import Archive;"
         " Archive(Path(sys.argv[1])).start_run('nianbao', [])", str(archive_dir)]).check_returncode()
    with sqlite3.connect(archive_dir / "nianbao.db") as conn:
        open_run = conn.execute("SELECT id FROM crawl_runs WHERE finished_at IS NULL").fetchone()[0]
    lock = archive_dir / "crawl.lock"
    lock.write_text("")
    lock.chmod(0)
    archive_dir.chmod(0o311)  # files in it can be opened by name, the directory itself not read
    try:
        shown = status(archive_dir, *NO_OVERRIDE)
    finally:
        archive_dir.chmod(0o755)
    assert shown.returncode == 1 and "Traceback" not in shown.stderr, shown.stderr
    lines = attention(shown)
    assert f"cannot read the crawl lock {lock}: Permission denied; whether a crawl holds the data dir cannot be told" \
        in lines, lines
    assert any(line.startswith(f"run {open_run} (started ") and "cannot tell whether it is still running or died"
               in line for line in lines), lines
    assert "did not finish: died" not in shown.stdout and "DID NOT FINISH" not in shown.stdout


def test_status_of_an_archive_on_a_read_only_filesystem(archive_dir, tmp_path) -> None:
    """A backup mounted read-only: its crawl.lock is probed where it lies, the database read as it is."""
    (archive_dir / "crawl.lock").write_text("")
    mnt = tmp_path / "ro"
    mnt.mkdir()
    done = subprocess.run(["mount", "--bind", str(archive_dir), str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {done.stderr.decode(errors='replace').strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], check=True)
        with pytest.raises(OSError):
            (mnt / "probe").write_text("x")
        shown = status(mnt)
        assert "Traceback" not in shown.stderr, shown.stderr
        assert shown.returncode == 0 and "OK: nothing needs attention" in shown.stdout, shown.stdout + shown.stderr
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
    shutil.rmtree(mnt, ignore_errors=True)
