"""The operator's views of a big registry: every source in crawl_health, a short `nianbao status`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from archive import serve
from archive.store import Archive
from crawler.monitor import LIST_ALL_UP_TO, format_text, health
from crawler.run import run_summary

N = LIST_ALL_UP_TO + 20  # past the listing limit of `nianbao status`
QUIET = "s0033"  # finds no report in the last run


def crawled(data: Path, n: int = N) -> list[str]:
    """Two runs: all sources, then all again with one finding nothing; returns the run ids."""
    arc = Archive(data)
    ids = [f"s{i:04d}" for i in range(n)]
    runs = []
    for quiet in (None, QUIET):
        run = arc.start_run("test", ids)
        arc.finish_run(run, {s: {"pages": 3, "reports_found": 0 if s == quiet else 2, "attachments": 0, "errors": 0,
                                 "duration_s": 1.0} for s in ids})
        runs.append(run)
    return runs


def crawl_health_sql() -> str:
    meta = yaml.safe_load(serve.METADATA.read_text(encoding="utf-8"))
    return meta["databases"]["nianbao"]["queries"]["crawl_health"]["sql"]


def test_crawl_health_has_every_source_once_problems_first(tmp_path: Path) -> None:
    many = 520  # crawl_health was cut at 500 rows, sorted by source: s0500… were never shown
    crawled(tmp_path, many)
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    conn.row_factory = sqlite3.Row
    rows = conn.execute(crawl_health_sql()).fetchall()
    assert sorted(r["source_id"] for r in rows) == [f"s{i:04d}" for i in range(many)]  # each once: its latest run
    assert rows[0]["source_id"] == QUIET and rows[0]["problem"] == "0 reports found"
    assert all(r["problem"] is None for r in rows[1:])


def test_status_of_many_sources_is_a_summary_and_the_sources_needing_attention(tmp_path: Path) -> None:
    crawled(tmp_path)
    h = health(tmp_path)
    text = format_text(h)
    assert f"{N} sources: {N - 1} ok, 1 need attention" in text
    listed = [line for line in text.splitlines() if line.strip().startswith("s00")]
    assert len(listed) == 1 and QUIET in listed[0] and "0 reports found" in listed[0]
    every = format_text(h, all_sources=True)
    assert all(f"s{i:04d}" in every for i in range(N))


def test_run_summary_rounds_the_duration_once(tmp_path: Path) -> None:
    run = crawled(tmp_path)[-1]
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    with conn:
        conn.execute("UPDATE crawl_runs SET started_at = '2026-01-01T00:00:00Z',"
                     " finished_at = '2026-01-01T00:10:59.600Z' WHERE id = ?", (run,))
    assert " in 11 min 0 s:" in run_summary(tmp_path, run)
