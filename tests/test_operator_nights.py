"""Monitoring across nights (second operator pass): a drop stays flagged until it recovers or is
acknowledged, runs are ordered by insertion whatever the clock said, an interrupted run does not
blame the sources it never reached, a run whose process was killed is flagged until its sources are
crawled again, and durations read as the operator wrote them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from archive.completeness import record_registry
from archive.store import Archive
from crawler import monitor
from crawler.sources import parse_sources

ROOT = Path(__file__).resolve().parent.parent


def night(arc: Archive, counts: dict[str, int], status: str = "finished", started: str | None = None) -> str:
    run = arc.start_run("nianbao", list(counts))
    if started:  # the host clock at the start of this run (stepped back, say)
        with arc.transaction() as conn:
            conn.execute("UPDATE crawl_runs SET started_at = ? WHERE id = ?", (started, run))
    arc.finish_run(run, {s: {"pages": 3 if n else 0, "reports_found": n, "attachments": 0, "errors": 0,
                             "duration_s": 1.0} for s, n in counts.items()}, status=status)
    return run


def status(data: Path, capsys, *args: str) -> tuple[int, str]:
    rc = monitor.main(["--data", str(data), *args])
    return rc, capsys.readouterr().out


def test_a_drop_stays_flagged_until_it_recovers_or_is_acknowledged(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"mut": 5})
    night(arc, {"mut": 2})
    assert "source mut: reports found dropped from 5 to 2 in run" in status(tmp_path, capsys)[1]
    best = night(arc, {"mut": 5})
    night(arc, {"mut": 2})
    night(arc, {"mut": 2})  # the second night of the same drop: one missed mail must not lose it
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and "source mut: reports found dropped from 5 to 2" in out and best in out
    assert monitor.main(["--data", str(tmp_path), "--ack", "mutt"]) == 2  # a typo: refused, nothing accepted
    assert "no crawl of source 'mutt'" in capsys.readouterr().err and status(tmp_path, capsys)[0] == 1
    rc, out = status(tmp_path, capsys, "--ack", "mut")
    assert "acknowledged: mut: 2 reports" in out and rc == 0 and "OK: nothing needs attention" in out
    night(arc, {"mut": 2})
    assert status(tmp_path, capsys)[0] == 0
    night(arc, {"mut": 0})
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and "source mut: 0 reports found (was 2 in the run before)" in out
    night(arc, {"mut": 0})
    # the run before also found 0: name the run that last found some, not "the run before"
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and "0 reports found (was 2 in run " in out and "(was 2 in the run before)" not in out
    arc.close()


def test_runs_are_ordered_by_insertion_when_the_clock_steps_back(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"mut": 5}, started="2026-11-29T02:00:00.000000Z")  # a clock a week fast
    back = night(arc, {"mut": 0}, started="2026-11-19T02:00:00.000000Z")  # corrected: three days back
    arc.close()
    rc, out = status(tmp_path, capsys)
    runs = out.split("runs (newest first):")[1].split("sources (last run):")[0].split()
    assert runs[0] == back  # the latest run is listed first, and its problems are evaluated
    assert rc == 1 and f"source mut: 0 reports found (was 5 in the run before) in run {back}" in out


def test_sources_an_interrupted_run_never_reached_are_not_blamed(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"early": 1, "late": 1})
    run = night(arc, {"early": 1, "late": 0}, status="interrupted: SIGTERM")
    arc.close()
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and f"last run {run} ended 'interrupted: SIGTERM'" in out
    assert "source late:" not in out and "not reached: run ended 'interrupted: SIGTERM'" in out
    assert monitor.health(tmp_path).died == []  # it closed itself and said so: not a run that died


def killed_run(data: Path, sources: list[str]) -> str:
    """A run opened by a process that is then SIGKILLed before it closes it (what the OOM killer leaves)."""
    code = ("import os, signal, sys; from archive.store import Archive; "
            "print(Archive(sys.argv[1]).start_run('nianbao', sys.argv[2:]), flush=True); "
            "os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", code, str(data), *sources], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == -9, done.stderr
    return done.stdout.strip()


def registry_of(arc: Archive, ids: list[str]) -> None:
    """The registry the next crawl runs from, as a crawl records it."""
    text = "".join(f"- {{id: {i}, name: 某市{i}, level: city, kind: government, region: {{province: 山东省}},"
                   f" family: generic, start_urls: ['http://127.0.0.1:9/{i}/']}}\n" for i in ids)
    with arc.transaction() as conn:
        record_registry(conn, parse_sources(text, origin="test"))


def test_a_killed_run_is_flagged_until_finished_runs_crawled_its_sources_and_told_once(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    registry_of(arc, ["a", "b", "c"])
    night(arc, {"a": 1, "b": 1, "c": 1})
    dead = killed_run(tmp_path, ["a", "b", "c"])
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and f"run {dead} (started " in out and "did not finish: died" in out
    only_a = night(arc, {"a": 1})  # `--only a`; its start marks the dead run 'interrupted'
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and f"run {dead} (started " in out and "not crawled again since by a run that finished: b, c" in out
    assert monitor.health(tmp_path).followed_up_by(only_a) == []
    night(arc, {"b": 1}, status="interrupted: SIGTERM")  # b crawled again, but the run did not finish
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and "not crawled again since by a run that finished: b, c" in out
    registry_of(arc, ["a", "b"])  # c was taken out of the registry: it is not waited for
    b_too = night(arc, {"b": 1})
    h = monitor.health(tmp_path)
    assert h.ok, h.attention
    [line] = h.followed_up_by(b_too)  # the run that completed the follow-up reports the death
    assert line.startswith(f"run {dead} (started ") and f"run {b_too} has now crawled its sources again" in line
    out = status(tmp_path, capsys)[1]
    assert "OK: nothing needs attention" in out and line in out.split("notes (not problems):")[1]
    later = night(arc, {"a": 1, "b": 1})
    assert monitor.health(tmp_path).followed_up_by(later) == [] and monitor.health(tmp_path).died == []
    arc.close()


def test_a_re_parse_a_killed_schedule_owes_is_a_note(tmp_path, capsys) -> None:
    """`schedule --once --reparse` SIGKILLed after its crawl finished: the archive is whole, the parsed
    tables are the night before's; the next schedule re-parses.  Not a problem, but said."""
    from crawler.schedule import REPARSE_PENDING

    arc = Archive(tmp_path)
    night(arc, {"mut": 1})
    arc.close()
    (tmp_path / REPARSE_PENDING).write_text("2026-11-22T07:00:00Z\n", encoding="utf-8")
    rc, out = status(tmp_path, capsys)
    notes = out.split("notes (not problems):")[1]
    assert rc == 0 and "re-parse a `schedule --reparse` asked for at 2026-11-22T07:00:00Z did not complete" in notes


def test_max_age_is_printed_as_written(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"mut": 1}, started="2026-01-01T00:00:00.000000Z")
    arc.close()
    rc, out = status(tmp_path, capsys, "--max-age", "48h")
    assert rc == 1 and "(older than 48h)" in out and "172800" not in out


def test_schedule_once_tells_a_portal_problem_from_a_failed_crawl_and_logs_to_a_file(tmp_path) -> None:
    from crawler.schedule import EXIT_ATTENTION
    from tests.support.processes import free_port
    from tests.test_operator import QUICK, nianbao, registry, sets

    closed = free_port()  # reserved, nothing listens: the portal is down, the crawl itself is fine
    sources = registry(tmp_path / "sources.yaml", closed)
    log = tmp_path / "logs" / "nianbao.log"
    done = nianbao("crawler.schedule", "--once", "--data", str(tmp_path / "data"), "--sources", str(sources),
                   "--log", str(log), *sets(QUICK))
    assert done.returncode == EXIT_ATTENTION == 4, done.stderr
    assert done.stderr == "" and done.stdout == ""
    text = log.read_text(encoding="utf-8")
    assert "attention: source op-portal: only errors" in text  # the scheduler's own log
    assert "crawl error op-portal" in text  # and the crawl child's


def test_a_corrupt_acks_file_is_named_and_ignored_and_ack_rewrites_it(tmp_path, capsys) -> None:
    """The cron monitor reads data/status-acks.json every night: whatever a crash or a hand edit
    left there, `status` still reports (the file named in one attention line, its entries ignored),
    and the next `--ack` writes the file whole."""
    arc = Archive(tmp_path)
    night(arc, {"mut": 5})
    night(arc, {"mut": 2})
    arc.close()
    acks = tmp_path / monitor.ACKS
    for bad in ('garbage{', '{"mut": "run', '["mut"]', '"mut"', '{"x": {"y": 1}}', '{"mut": 3}', "\xff\xfe"):
        acks.write_bytes(bad.encode("latin-1") if bad == "\xff\xfe" else bad.encode("utf-8"))
        rc, out = status(tmp_path, capsys)
        lines = [line for line in out.splitlines() if "status-acks.json" in line]
        assert rc == 1 and len(lines) == 1 and "ignored" in lines[0], (bad, out)
        assert "source mut: reports found dropped from 5 to 2" in out  # as with no acks at all
        rc, out = status(tmp_path, capsys, "--json")
        assert rc == 1 and "status-acks.json" in out
    rc, out = status(tmp_path, capsys, "--ack", "mut")
    assert rc == 0 and "acknowledged: mut: 2 reports" in out and "status-acks.json" not in out
    assert list(json.loads(acks.read_text(encoding="utf-8"))) == ["mut"]
    acks.unlink()
    acks.mkdir()  # a directory in its place: reported, and --ack says what to do instead of a traceback
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and sum("status-acks.json" in line for line in out.splitlines()) == 1
    assert monitor.main(["--data", str(tmp_path), "--ack", "mut"]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_ack_of_an_unknown_huge_id_is_refused_with_a_short_echo(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"mut": 5})
    arc.close()
    assert monitor.main(["--data", str(tmp_path), "--ack", "x" * 100_000]) == 2
    err = capsys.readouterr().err
    assert "no crawl of source 'xxx" in err and len(err) < 300 and "100,000" not in err and "(+99920 chars)" in err
    assert not (tmp_path / monitor.ACKS).exists()


def test_a_source_failing_night_after_night_says_for_how_many_runs_and_since_when(tmp_path, capsys) -> None:
    import sqlite3

    import yaml

    arc = Archive(tmp_path)
    night(arc, {"dead": 2, "flaky": 2}, started="2026-11-18T02:00:00.000000Z")  # both found their reports
    night(arc, {"dead": 0, "flaky": 2}, started="2026-11-19T02:00:00.000000Z")
    night(arc, {"dead": 0, "flaky": 2}, started="2026-11-20T02:00:00.000000Z")
    night(arc, {"dead": 2, "flaky": 0}, status="interrupted: SIGTERM")  # neither failed nor did well: not counted
    last = night(arc, {"dead": 0, "flaky": 0}, started="2026-11-22T02:00:00.000000Z")
    arc.close()
    rc, out = status(tmp_path, capsys)
    assert rc == 1
    assert "source dead: 0 reports found (was 2 in run " in out
    assert f"in run {last}; failing for 3 runs since 2026-11-19" in out, out
    flaky = next(line for line in out.splitlines() if line.startswith("  - source flaky:"))
    assert "failing for" not in flaky  # its first bad finished run: last night's news, no streak
    rc, text = status(tmp_path, capsys, "--json")
    got = {s["source_id"]: (s["failing_runs"], s["failing_since"]) for s in json.loads(text)["sources"]}
    assert got == {"dead": (3, "2026-11-19T02:00:00.000000Z"), "flaky": (1, "2026-11-22T02:00:00.000000Z")}
    # Datasette's crawl_health counts the same
    meta = yaml.safe_load((ROOT / "archive" / "datasette" / "metadata.yml").read_text(encoding="utf-8"))
    sql = meta["databases"]["nianbao"]["queries"]["crawl_health"]["sql"]
    with sqlite3.connect(tmp_path / "nianbao.db") as conn:
        rows = {r[0]: (r[1], r[2]) for r in conn.execute(f"SELECT source_id, failing_runs, failing_since FROM ({sql})")}
    assert rows == got


def test_a_run_failed_for_a_full_disk_blames_the_disk_not_the_sources(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"early": 3, "midway": 3, "late": 3})
    full = "failed: no space left on device (OperationalError: database or disk is full; 0.5 MB free on …)"
    run = arc.start_run("nianbao", ["early", "midway", "late"])
    arc.finish_run(run, {"early": {"pages": 4, "reports_found": 3, "errors": 0},
                         "midway": {"pages": 1, "reports_found": 0, "errors": 0},  # its list read, no report yet
                         "late": {"pages": 0, "reports_found": 0, "errors": 0}}, status=full)
    arc.close()
    rc, out = status(tmp_path, capsys)
    attention = out.split("ATTENTION")[1]
    assert rc == 1 and f"last run {run} ended 'failed: no space left on device" in attention
    assert "source " not in attention, attention  # no "0 reports found", no drop: the run stopped, not the portals
    assert "cut short: run ended 'failed: no space left on device' while crawling this source" in out
    assert "not reached: run ended 'failed: no space left on device' before crawling this source" in out
