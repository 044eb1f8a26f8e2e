"""Hanweb's rendering path: with overrides.render the column is walked in chromium (jpage draws the
records and fetches page 2 itself), run as a user would, through the `nianbao crawl` command."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.portal.server import Replica

NIANBAO = Path(sys.executable).with_name("nianbao")

SET = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_START_DELAY=0", "AUTOTHROTTLE_MAX_DELAY=0.5", "LOG_LEVEL=WARNING"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-render")
    with Replica.start(faults=False) as rep:
        entries = rep.sources()
        for e in entries:
            if e["id"] == "sd-zibo-police":
                e["overrides"]["render"] = True
        registry = data / "sources.yaml"
        registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        argv = ["crawl", "--data", str(data), "--sources", str(registry), "--only", "sd-zibo-police"]
        for s in SET:
            argv += ["--set", s]
        done = subprocess.run([str(NIANBAO), *argv], capture_output=True, text=True, timeout=300)
        report = next(r for r in rep.reports() if r["portal_id"] == "sd-zibo-police")
        yield {"done": done, "data": data, "seen": list(rep.requests), "report": report,
               "start": rep.start_url("sd-zibo-police")}


def rows(data, sql, *args):
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn.execute(sql, args).fetchall()


def test_cli_exits_zero_and_crawls_only_the_named_source(rendered) -> None:
    done = rendered["done"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert {s.portal_id for s in rendered["seen"]} == {"sd-zibo-police"}
    runs = rows(rendered["data"], "SELECT * FROM crawl_runs")
    assert len(runs) == 1 and runs[0]["status"] == "finished"
    assert done.stdout.strip() == runs[0]["id"]  # the run id, for scripts


def test_rendered_pages_are_archived_as_rendered(rendered) -> None:
    snaps = rows(rendered["data"], "SELECT url FROM snapshots WHERE rendered = 1")
    urls = {s["url"] for s in snaps}
    assert rendered["start"] in urls
    assert any("pageNum=2" in u for u in urls)  # the second list page, drawn by jpage in the browser


def test_report_on_page_two_is_found_through_the_browser(rendered) -> None:
    report = rendered["report"]
    assert report.get("list_page") == 2
    docs = {r["url"]: r for r in rows(rendered["data"], "SELECT * FROM documents")}
    assert docs[report["url"]]["kind"] == "report"
    assert docs[report["attachment_url"]]["parent_url"] == report["url"]
    # jpage itself asked the data proxy for page 2 from inside chromium
    assert any(s.method == "POST" and "dataproxy.jsp" in s.path and "startrecord=16" in s.path
               for s in rendered["seen"])
    assert not rows(rendered["data"], "SELECT * FROM crawl_errors")
