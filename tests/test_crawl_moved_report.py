"""A report a 年报 list names whose page failed (500) and that has moved by the next crawl (301 to a new
address, which the column also links under a title naming no year) is the document found at its new
address: its year is `found` in the completeness matrix, not `unreached` for ever.

Before, the second crawl reached the new address first by the yearless link (no report by its title),
the dupefilter dropped the redirect's hop, and the list's title and year with it: the year stayed
`unreached` (the first crawl's 500) though the report was archived.  Now the dropped hop is settled at
the crawl's close (crawler/moved.py), without fetching the page a second time.  A real HTTP server on 127.0.0.1,
two real crawls; checked in `completeness()` as /-/completeness shows it."""

from __future__ import annotations

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from archive.completeness import completeness
from crawler.run import crawl
from tests.support.fleet_hosts import report_page
from tests.test_crawl_e2e import FAST

TITLE = "齐河县人民政府{}年政府信息公开工作年度报告"
OLD, NEW = "/zwgk/ndbg/2001.html", "/new/ndbg/9001.html"


class MovingPortal:
    """A column listing the 2019 and 2020 reports.  Crawl 1: the 2019 page answers 500.  Crawl 2: it
    answers 301 to its new address, which the column lists first under the bare generic name, and
    whose own title names no year."""

    def __init__(self) -> None:
        self.crawl, self.asked = 1, []
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                portal.asked.append((portal.crawl, self.path))
                status, body, extra = portal.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
                for k, v in extra:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str) -> tuple[int, bytes, list[tuple[str, str]]]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow:\n", []
        if path == "/zwgk/ndbg/index.html":
            moved = f"<li><a href='{NEW}'>政府信息公开工作年度报告</a></li>" if self.crawl == 2 else ""
            page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
                    f"<h2>政府信息公开年报</h2><ul>{moved}<li><a href='{OLD}'>{TITLE.format(2019)}</a></li>"
                    f"<li><a href='/zwgk/ndbg/2002.html'>{TITLE.format(2020)}</a></li></ul></body></html>")
            return 200, page.encode(), []
        if path == OLD:
            return (500, b"server error", []) if self.crawl == 1 else (301, b"", [("Location", NEW)])
        if path == NEW and self.crawl == 2:
            return 200, report_page("齐河县人民政府政府信息公开工作年度报告", 10).encode(), []
        if path == "/zwgk/ndbg/2002.html":
            return 200, report_page(TITLE.format(2020), 11).encode(), []
        return 404, b"not found", []


def test_a_listed_report_that_failed_and_then_moved_is_found_at_its_new_address(tmp_path) -> None:
    portal = MovingPortal()
    sources = tmp_path / "sources.json"
    sources.write_text(json.dumps([{
        "id": "qh", "name": "齐河县人民政府", "level": "county", "kind": "government",
        "region": {"province": "山东省", "city": "德州市", "county": "齐河县"}, "family": "generic",
        "start_urls": [portal.base + "/zwgk/ndbg/index.html"]}], ensure_ascii=False), encoding="utf-8")
    try:
        crawl(tmp_path, sources_path=sources, settings=FAST)
        conn = sqlite3.connect(tmp_path / "nianbao.db")
        conn.row_factory = sqlite3.Row
        first = {r["year"]: r for r in completeness(conn, 2019, 2020)}
        assert first[2019]["status"] == "unreached" and first[2019]["url"] == portal.base + OLD
        portal.crawl = 2
        crawl(tmp_path, sources_path=sources, settings=FAST)
    finally:
        portal.server.shutdown()
    assert (2, OLD) in portal.asked and portal.asked.count((2, NEW)) == 1  # the new address fetched once
    cells = {r["year"]: r for r in completeness(conn, 2019, 2020)}
    assert cells[2019]["status"] == "found" and cells[2019]["url"] == portal.base + NEW, dict(cells[2019])
    assert cells[2019]["error_id"] is None and cells[2020]["status"] == "found"
    (year,) = conn.execute("SELECT year FROM documents WHERE url = ?", (portal.base + NEW,)).fetchone()
    assert year == 2019  # recorded as the list named it
    # a document at the new address that names no year of its own (as a page reached only by another
    # path is recorded) is still the listed year's: the old address's fetch ended there
    conn.execute("UPDATE documents SET year = NULL WHERE url = ?", (portal.base + NEW,))
    cells = {r["year"]: r for r in completeness(conn, 2019, 2020)}
    assert cells[2019]["status"] == "found" and cells[2019]["url"] == portal.base + NEW, dict(cells[2019])
    conn.close()
