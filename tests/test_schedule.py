"""Unattended crawls: the schedule loop against the replica portal (a failed run does not stop it),
the crawl lock, and `nianbao status` on an archive with real problems in it."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from archive.store import Archive
from crawler import monitor
from crawler.run import crawl
from crawler.schedule import crawl_lock, lock_holder, parse_every
from tests.portal.server import Replica
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING", "RETRY_TIMES": 1}
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def cli(module: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], env=ENV, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def sets(settings: dict) -> list[str]:
    return [a for k, v in settings.items() for a in ("--set", f"{k}={json.dumps(v)}")]


@pytest.fixture(scope="module")
def rep():
    with Replica.start(faults=True) as replica:
        yield replica


def test_durations() -> None:
    assert parse_every("24h") == 86400
    assert parse_every("1h30m") == 5400
    assert parse_every("45") == 45
    for bad in ("soon", "10x", "0s"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_every(bad)


def test_a_second_scheduled_crawl_on_the_same_data_is_refused(tmp_path, rep) -> None:
    sources = rep.write_sources(tmp_path / "sources.yaml")
    with crawl_lock(tmp_path / "data"):
        assert lock_holder(tmp_path / "data")["pid"] == os.getpid()
        done = cli("crawler.schedule", "--once", "--data", str(tmp_path / "data"), "--sources", str(sources))
        assert done.returncode == 75, done.stderr
        assert "held by" in done.stderr
    assert not (tmp_path / "data" / "nianbao.db").exists()  # nothing was crawled
    assert lock_holder(tmp_path / "data") is None


def test_the_loop_goes_on_after_a_failed_run(tmp_path, rep) -> None:
    # the data dir cannot be made at first (a file stands in its place: a full or unmounted disk's kind of
    # failure); a registry or argument mistake is not a failed night but exit 2 before any run
    data, sources = tmp_path / "data", tmp_path / "sources.yaml"
    rep.write_sources(sources)
    data.write_text("not a directory")
    proc = subprocess.Popen([sys.executable, "-m", "crawler.schedule", "--every", "3s", "--max-runs", "2",
                             "--data", str(data), "--sources", str(sources),
                             "--only", "sd-changle-police", "ha-zhoukou-police", *sets(FAST)],
                            env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    try:
        for line in proc.stdout:
            log.append(line)
            if "crawl failed" in line and data.is_file():
                data.unlink()  # fixed before the next slot
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = "".join(log)
    assert proc.returncode == 1, text  # one of the two runs failed
    assert text.index("crawl failed") < text.index("finished in"), text
    assert "next crawl at" in text
    health = monitor.health(data)
    assert len(health.runs) == 1 and health.runs[0]["status"] == "finished"
    assert {s.source_id: s.reports_found for s in health.sources} == {"sd-changle-police": 1,
                                                                      "ha-zhoukou-police": 1}
    assert health.ok, health.attention
    status = cli("crawler.monitor", "--data", str(data))
    assert status.returncode == 0 and "nothing needs attention" in status.stdout


def closed_port() -> int:
    return free_port()  # reserved for this process, and nothing listens there


@pytest.fixture(scope="module")
def troubled(tmp_path_factory, rep):
    """One crawl of a healthy source, a portal behind a JS challenge (no browser allowed), a portal
    that is down, and a column whose list selector no longer matches; then a run that crashed."""
    data = tmp_path_factory.mktemp("troubled")
    entries = {e["id"]: e for e in rep.sources(include_faults=True)}
    healthy = entries["sd-changle-police"]
    blocked = {**entries["faults"], "id": "blocked-portal", "start_urls": [rep.url("faults", "/nianbao/archive/index.html")]}
    down = {**entries["faults"], "id": "down-portal", "start_urls": [f"http://127.0.0.1:{closed_port()}/xxgk/index.html"]}
    broken = {**entries["ha-zhoukou-police"], "id": "redesigned-portal",
              "overrides": {**(entries["ha-zhoukou-police"].get("overrides") or {}),
                            "selectors": {"list_item": "ul.list-that-is-gone li"}}}
    registry = data / "sources.yaml"
    registry.write_text(yaml.safe_dump([healthy, blocked, down, broken], allow_unicode=True), encoding="utf-8")
    run_id = crawl(data, sources_path=registry, settings={**FAST, "NIANBAO_BROWSER": False})
    archive = Archive(data)
    time.sleep(0.01)
    crashed = archive.start_run("nianbao", ["sd-changle-police"])  # opened, never closed: what a crash leaves
    archive.close()
    return {"data": data, "run": run_id, "crashed": crashed}


def test_status_names_each_problem_and_exits_non_zero(troubled, capsys) -> None:
    rc = monitor.main(["--data", str(troubled["data"]), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1 and report["ok"] is False
    problems = {s["source_id"]: s["problem"] for s in report["sources"]}
    assert problems["sd-changle-police"] is None
    assert problems["blocked-portal"].startswith("blocked")
    assert problems["down-portal"].startswith("only errors")
    assert problems["redesigned-portal"] == "0 reports found"
    attention = "\n".join(report["attention"])
    for name in ("blocked-portal", "down-portal", "redesigned-portal"):
        assert name in attention
    assert "sd-changle-police:" not in attention
    assert f"run {troubled['crashed']}" in attention and "did not finish" in attention
    assert [r["id"] for r in report["unfinished"]] == [troubled["crashed"]]


def test_status_reports_last_run_per_source_and_growth(troubled, capsys) -> None:
    monitor.main(["--data", str(troubled["data"]), "--json"])
    report = json.loads(capsys.readouterr().out)
    healthy = next(s for s in report["sources"] if s["source_id"] == "sd-changle-police")
    assert healthy["run_id"] == troubled["run"] and healthy["pages"] >= 2 and healthy["reports_found"] == 1
    assert healthy["when"]
    growth = report["growth"]
    blobs = [p for p in (troubled["data"] / "blobs").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert growth["blobs"] == len(blobs) and growth["blob_bytes"] == sum(p.stat().st_size for p in blobs)
    per_run = {g["run_id"]: g for g in growth["per_run"]}
    assert per_run[troubled["run"]]["new_snapshots"] == growth["snapshots"] > 0
    assert per_run[troubled["crashed"]]["new_snapshots"] == 0


def test_an_open_run_under_the_crawl_lock_is_running_not_crashed(troubled, capsys) -> None:
    with crawl_lock(troubled["data"]):
        monitor.main(["--data", str(troubled["data"]), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in report["running"]] == [troubled["crashed"]]
    assert report["unfinished"] == [] and "did not finish" not in "\n".join(report["attention"])


def test_status_text_and_missing_archive(troubled, tmp_path, capsys) -> None:
    assert monitor.main(["--data", str(troubled["data"])]) == 1
    out = capsys.readouterr().out
    assert "ATTENTION" in out and "DID NOT FINISH" in out and "<- blocked" in out
    assert monitor.main(["--data", str(tmp_path / "nothing-here")]) == 2
    assert not (tmp_path / "nothing-here").exists()


def test_a_registry_or_only_mistake_exits_2_before_any_crawl(tmp_path) -> None:
    """An operator's typo is not a failed night (exit 1) and must not leave a traceback or touch the archive."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  name: 某局\n", encoding="utf-8")  # no level, no start URLs
    data = tmp_path / "data"
    cases = [
        ("crawler.schedule", "--once", "--data", str(data), "--sources", str(bad)),
        ("crawler.schedule", "--once", "--data", str(data), "--sources", str(tmp_path / "missing.yaml")),
        ("crawler.schedule", "--once", "--data", str(data), "--only", "no-such-source"),
        ("crawler.run", "--data", str(data), "--only", "no-such-source"),
    ]
    for module, *args in cases:
        done = cli(module, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert "no-such-source" in done.stderr or "bad.yaml" in done.stderr or "missing.yaml" in done.stderr
    assert not (data / "nianbao.db").exists()
    for module in ("crawler.schedule", "crawler.run"):  # a --set without "=" is no setting named FOO
        done = cli(module, *(["--once"] if module == "crawler.schedule" else []), "--data", str(data), "--set", "FOO")
        assert done.returncode == 2 and "--set takes NAME=VALUE" in done.stderr, done.stderr


@pytest.mark.parametrize("item", ["CONCURRENT_REQUESTS=abc", "NIANBAO_CHALLENGE_WAIT_MS=abc", "ROBOTSTXT_OBEY=maybe",
                                  "ITEM_PIPELINES={garbage", "DOWNLOAD_TIMEOUT=-5", "CONCURRENT_REQUESTS_PER_DOMAIN=0",
                                  "NIANBAO_MAX_LIST_PAGE=5", "DOWNLOAD_DELAY=1e308", "DOWNLOAD_TIMEOUT=Infinity",
                                  "NIANBAO_CHALLENGE_WAIT_MS=NaN", "LOG_LEVEL=LOUD"])
def test_a_set_value_of_the_wrong_kind_or_an_unknown_knob_is_a_usage_error(item) -> None:
    """Before, these ended a crawl as `interrupted` with a traceback (hostile2): now exit 2, naming the setting."""
    from crawler.run import set_option

    with pytest.raises(argparse.ArgumentTypeError, match=item.split("=")[0]):
        set_option(item)
    assert set_option("NIANBAO_MAX_LIST_PAGES=3") == ("NIANBAO_MAX_LIST_PAGES", 3)
    assert set_option("LOG_LEVEL=WARNING") == ("LOG_LEVEL", "WARNING")


def test_a_bad_set_value_exits_2_before_the_crawl(tmp_path) -> None:
    done = cli("crawler.run", "--data", str(tmp_path / "data"), "--set", "CONCURRENT_REQUESTS=abc")
    assert done.returncode == 2 and "CONCURRENT_REQUESTS" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "nianbao.db").exists()
