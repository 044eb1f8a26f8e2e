"""Archive pieces that lean on a library's own reading: Content-Disposition (email), a canned
query's parameters (Datasette), a page's pictures and links (lxml); a diff read in one query; the
scheduler's run status taken from the health check that follows the crawl."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from datasette.utils import derive_named_parameters

from archive import db as schema
from archive import diff, parts
from archive.export import parameters
from archive.filenames import disposition_name
from archive.store import Archive
from crawler import monitor
from crawler.schedule import run_status


def _pct(data: bytes) -> str:
    return "".join(f"%{b:02X}" for b in data)


@pytest.mark.parametrize(("header", "name"), [
    # RFC 5987 in the charset it names; GBK bytes labelled UTF-8 (seen on portals) read as GBK
    ("attachment; filename*=gbk''" + _pct("年报.pdf".encode("gbk")), "年报.pdf"),
    ("attachment; filename*=UTF-8''" + _pct("年报.pdf".encode("gbk")), "年报.pdf"),
    # RFC 2231 continuations, and filename* winning over filename whichever comes first
    ("attachment; filename*0*=UTF-8''" + _pct("年度报告".encode()) + "; filename*1=.pdf", "年度报告.pdf"),
    ("attachment; filename*=UTF-8''" + _pct("附表.xlsx".encode()) + '; filename="fallback.xlsx"', "附表.xlsx"),
    # plain names: quoted with an escaped quote, unquoted with a space
    ('attachment; filename="a\\"b.pdf"', 'a"b.pdf'),
    ("attachment; filename=年报 2024.pdf", "年报 2024.pdf"),
    ("attachment; filename=", None),
])
def test_disposition_names_as_browsers_save_them(header: str, name: str | None) -> None:
    assert disposition_name(header) == name


def test_export_binds_the_parameters_the_query_page_offers() -> None:
    sql = ("select * from t -- :commented\n where a = :agency /* :block */ and b = ':quoted'"
           ' and "c:col" = :year and d = :agency')
    assert parameters(sql) == ["agency", "year"]
    assert parameters(sql) == list(dict.fromkeys(asyncio.run(derive_named_parameters(None, sql))))


def test_page_order_reads_the_page_as_a_browser_parses_it() -> None:
    html = ('<?xml version="1.0" encoding="gb2312"?><html><body><!-- <img src="c.jpg"> -->'
            '<p><img src="loading.gif" data-lazy-src="b.jpg"></p><a href="c.jpg">附表</a>'
            '<img src="a.jpg"><img src="data:image/gif;base64,R0lGOD"></body></html>')
    urls = ["http://h/x/a.jpg", "http://h/x/c.jpg", "http://h/x/b.jpg", "http://h/x/never.jpg"]
    assert parts.page_order(html, "http://h/x/p.html", urls) == [
        "http://h/x/b.jpg", "http://h/x/c.jpg", "http://h/x/a.jpg", "http://h/x/never.jpg"]
    marked, placed = parts.mark_pictures(html, "http://h/x/p.html", ["http://h/x/a.jpg", "http://h/x/c.jpg"])
    assert placed == ["http://h/x/a.jpg"]  # c.jpg is only linked (and commented out), never shown
    assert marked.startswith(b'<meta charset="utf-8">') and b"gb2312" not in marked
    assert parts.MARK.format(0).encode() in marked and b'src="a.jpg"' not in marked
    assert parts.page_order("", "http://h/x/p.html", urls[:1]) == urls[:1]


def test_a_diff_reads_both_reports_cells_in_one_query(tmp_path: Path) -> None:
    conn = schema.connect(tmp_path / "nianbao.db").conn
    conn.executemany('INSERT INTO cells (report_id, snapshot_id, "table", "row", col, value, raw, inferred, page)'
                     " VALUES (?, ?, 'applications', 'granted', 'total', ?, ?, 0, ?)",
                     [("old", 1, 3, "3", 2), ("new", 2, 5, "5", None)])
    conn.commit()
    reads: list[str] = []
    conn.set_trace_callback(lambda sql: reads.append(sql) if "FROM cells" in sql else None)
    changes = diff.diff_reports(conn, "old", "new")
    assert len(reads) == 1
    assert [(c.before, c.after, c.before_snapshot, c.after_snapshot) for c in changes] == [(3, 5, 1, 2)]
    assert diff.report_cells(conn, "old")[("applications", "granted", "total")]["page"] == 2
    assert diff.diff_reports(conn, "old", "old")[0].status == "same"


def test_the_scheduler_takes_the_run_status_from_the_health_check(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    cut = archive.start_run("nianbao", [])
    archive.finish_run(cut, {}, status="partial: closespider_timeout")
    done = archive.start_run("nianbao", [])
    archive.finish_run(done, {})
    archive.close()
    checked = monitor.health(tmp_path)
    assert run_status(checked, done) == "finished"
    assert run_status(checked, cut) == "partial: closespider_timeout"
    assert run_status(checked, "no-such-run") is None


def test_an_older_db_without_cell_pages_still_diffs(tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / "old.db")
    old.execute('CREATE TABLE cells (report_id, snapshot_id, "table", "row", col, value, raw, inferred)')
    old.execute("INSERT INTO cells VALUES ('r', 1, 'applications', 'granted', 'total', 3, '3', 0)")
    assert diff.report_cells(old, "r") == {("applications", "granted", "total"): {
        "value": 3, "raw": "3", "inferred": 0, "snapshot_id": 1, "page": None}}
