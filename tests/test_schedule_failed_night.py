"""A night whose crawl could not start is never mailed as OK (operator exam ops22, F2).

The README's cron line runs `nianbao status` only when `schedule --once` did not exit 0 or 75; before,
a read-only data dir made `schedule` exit 1 with its reason only in the `--log` file (then
`health: ok`), and `status`, reading an archive that had not changed, printed `OK: nothing needs
attention` and exited 0.  Real processes, a real read-only bind mount (root only), real SQLite.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from archive.store import Archive
from crawler.nights import NIGHT_FILE
from tests.support.processes import free_port
from tests.test_operator import QUICK, registry, sets

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = f"{shlex.quote(sys.executable)} -m archive.cli"


def good_night(data: Path) -> None:
    """An archive whose last run finished with its reports: `status` says OK over it."""
    arc = Archive(data)
    run = arc.start_run("nianbao", ["op-portal"])
    arc.finish_run(run, {"op-portal": {"pages": 3, "reports_found": 2, "attachments": 0, "errors": 0,
                                       "duration_s": 1.0}})
    arc.close()


def cron_line(data: Path, sources: Path, log: Path, state: Path) -> subprocess.CompletedProcess:
    """README's cron line, verbatim but for the paths (cron mails stdout and stderr)."""
    line = (f"{NIANBAO} schedule --once --reparse --data {data} --sources {sources} --log {log}"
            f" {' '.join(shlex.quote(a) for a in sets(QUICK))}; rc=$?;"
            f" [ $rc -eq 0 ] || [ $rc -eq 75 ] || {NIANBAO} status --data {data}; exit $rc")
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "PYTHONPATH": str(ROOT),
           "NIANBAO_STATE_DIR": str(state)}
    return subprocess.run(["sh", "-c", line], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)


def status(data: Path, state: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive.cli", "status", "--data", str(data), *args],
                          env={**os.environ, "PYTHONPATH": str(ROOT), "NIANBAO_STATE_DIR": str(state)},
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.fixture
def read_only(tmp_path):
    """Make a directory read-only as a remount does (root can write through chmod, not through this)."""
    mounted: list[Path] = []

    def make(path: Path) -> None:
        for cmd in (["mount", "--bind", str(path), str(path)], ["mount", "-o", "remount,ro,bind", str(path)]):
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                if mounted:
                    subprocess.run(["umount", str(path)], check=False)
                pytest.skip(f"cannot bind-mount read-only here: {done.stderr.strip()}")
            if not mounted:
                mounted.append(path)

    yield make
    for path in mounted:
        subprocess.run(["umount", str(path)], check=True)


def test_a_read_only_data_dir_is_a_failed_night_in_the_mail_and_in_status(tmp_path, read_only) -> None:
    data, state, log = tmp_path / "data", tmp_path / "state", tmp_path / "logs" / "nianbao.log"
    good_night(data)
    sources = registry(tmp_path / "sources.yaml", free_port())
    assert status(data, state).returncode == 0
    read_only(data)
    done = cron_line(data, sources, log, state)
    mail = done.stdout + done.stderr
    assert done.returncode == 1, mail
    # the reason reaches the mail (stderr), not only the log
    assert "cannot open the crawl lock" in done.stderr and "Read-only file system" in done.stderr, mail
    assert "OK: nothing needs attention" not in mail
    assert "the last scheduled crawl" in mail and "did not start" in mail and "Read-only file system" in mail
    text = log.read_text(encoding="utf-8")
    after = text[text.index("crawl failed: cannot open the crawl lock"):]
    assert "health: ok" not in after and "this night's crawl failed" in after
    # recorded beside the user's state, the data dir being read-only; status exits 1 on its own too
    assert not (data / NIGHT_FILE).exists() and list(state.glob("last-night-*.json"))
    again = status(data, state, "--json")
    assert again.returncode == 1 and json.loads(again.stdout)["last_night"]["outcome"] == "failed"


def test_a_night_that_could_not_start_is_flagged_until_a_crawl_runs(tmp_path) -> None:
    data, state, log = tmp_path / "data", tmp_path / "state", tmp_path / "logs" / "nianbao.log"
    good_night(data)
    sources = registry(tmp_path / "sources.yaml", free_port())
    (data / "crawl.lock").mkdir()  # crawl.lock cannot be opened: the crawl cannot start
    done = cron_line(data, sources, log, state)
    assert done.returncode == 1 and "cannot open the crawl lock" in done.stderr, done.stderr
    assert "did not start" in done.stdout and "OK: nothing needs attention" not in done.stdout
    night = json.loads((data / NIGHT_FILE).read_text(encoding="utf-8"))  # the data dir is writable: kept there
    assert night["outcome"] == "failed" and night["exit"] == 1 and "crawl lock" in night["reason"]
    # a registry mistake is no crawl either (exit 2): also named, not mailed as OK
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [not, an, id]\n", encoding="utf-8")
    (data / "crawl.lock").rmdir()
    done = cron_line(data, bad, log, state)
    assert done.returncode == 2 and "bad registry" in done.stderr and "did not start" in done.stdout, done
    # the next night crawls (the portal is down: exit 4, its own attention line), and the failure is history
    done = cron_line(data, sources, log, state)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "did not start" not in done.stdout and "source op-portal: only errors" in done.stdout
    assert json.loads((data / NIGHT_FILE).read_text(encoding="utf-8"))["outcome"] == "finished"


def test_readme_cron_and_systemd_examples_name_the_contact_and_set_refuses_it_with_the_way(tmp_path) -> None:
    """The User-Agent's contact is an environment variable: the README's unattended examples set it
    (ops22 F4), and `--set NIANBAO_CONTACT=…` says where it goes instead of "unknown setting"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cron = readme[readme.index("# m h dom mon dow"):]
    cron = cron[:cron.index("```")]
    assert "NIANBAO_CONTACT=" in cron.split("schedule --once")[0]  # set before the crontab entry runs
    unit = readme[readme.index("# nianbao.service"):readme.index("# nianbao.timer")]
    assert "Environment=NIANBAO_CONTACT=" in unit
    done = subprocess.run([sys.executable, "-m", "archive.cli", "schedule", "--once", "--data", str(tmp_path / "d"),
                           "--set", "NIANBAO_CONTACT=ops@example.org"], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "NIANBAO_CONTACT is an environment variable" in done.stderr, done.stderr
    assert "Environment=NIANBAO_CONTACT" in done.stderr


def test_runs_dir_keeps_no_marker_per_finished_run(tmp_path) -> None:
    """Each start checks the last finished run's WARC files once and marks it checked; the marks of
    older finished runs are never read again and go (ops22 F5: one file a night before)."""
    arc = Archive(tmp_path)
    interrupted = None
    for night in range(6):
        run = arc.start_run("nianbao", ["s"])
        arc.finish_run(run, {"s": {"pages": 1, "reports_found": 1, "attachments": 0, "errors": 0,
                                   "duration_s": 1.0}}, status="interrupted: SIGTERM" if night == 2 else "finished")
        interrupted = run if night == 2 else interrupted
        arc.recover()
    markers = sorted(p.name for p in (tmp_path / "runs").glob("*.warc-checked"))
    assert markers == sorted([f"{interrupted}.warc-checked", f"{run}.warc-checked"]), markers
    arc.close()
