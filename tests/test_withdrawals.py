"""A report its portal takes down says so on its page, and a bad night accuses no report (nor
does the view counter under a report make it a new revision each night).

Four real crawls of a TRS-shaped column on 127.0.0.1, each followed by a parse: night 1 lists two
reports; night 2 the list page fails (nothing may be marked: the crawl never read the column);
night 3 the 2022 report is taken off the list (its page still answers 200) and the 2023 report's page
answers 404 while still listed; night 4 the list fails again (what night 3 showed stands).  Nothing
is deleted: both reports keep their rows, cells and archived bytes.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from archive.reparse import reparse_all
from archive.store import Archive, Fetch, utcnow
from crawler.run import crawl
from tests.support.datasette import DIRECT, served
from tests.test_crawl_generic import FAST

REPORT = Path(__file__).parent / "fixtures" / "realworld" / "48_xiangyang_fancheng_district_2023_html_3labelcols.html"
LIST = "/zwgk/ndbg/index.html"
PAGES = {2023: "/zwgk/ndbg/202401/t20240118_5001.html", 2022: "/zwgk/ndbg/202301/t20230118_4001.html"}
TITLE = "襄阳市樊城区人民政府关于{}年度政府信息公开工作的年度报告"


def _report(year: int, views: int) -> bytes:
    html = REPORT.read_text("utf-8").replace("浏览次数：1024", f"浏览次数：{views}")  # counts every answer
    if year != 2023:  # the same body's report a year earlier
        html = html.replace("2024年1月18日", f"{year + 1}年1月18日").replace("2023", str(year))
    return html.encode()


class _Portal(BaseHTTPRequestHandler):
    night = 1
    views = 1024

    def log_message(self, *args) -> None:
        pass

    def send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        n, path = self.night, self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n")
        if path == LIST:
            if n in (2, 4):
                return self.send(500, "<h1>服务器错误</h1>".encode())
            listed = [2023] + ([2022] if n < 3 else [])
            items = "".join(f'<li><a href=".{PAGES[y][len("/zwgk/ndbg"):]}" title="{TITLE.format(y)}">{TITLE.format(y)}</a>'
                            f"<span>{y + 1}-01-18</span></li>" for y in listed)
            return self.send(200, (f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
                                   f"<ul class='list'>{items}</ul></body></html>").encode())
        for year, page in PAGES.items():
            if path == page:
                if year == 2023 and n >= 3:
                    return self.send(404, "<h1>404 页面不存在</h1>".encode())
                _Portal.views += 7
                return self.send(200, _report(year, _Portal.views))
        return self.send(404, b"<h1>404</h1>")


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> dict:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    data = tmp_path_factory.mktemp("withdrawn")
    registry = data / "sources.yaml"
    registry.write_text(yaml.safe_dump([{
        "id": "hb-fancheng-gov", "name": "襄阳市樊城区人民政府", "level": "county", "kind": "government",
        "region": {"province": "湖北省", "city": "襄阳市", "county": "樊城区"}, "family": "trs",
        "start_urls": [base + LIST],
    }], allow_unicode=True), encoding="utf-8")
    gone, rows = {}, {}
    try:
        for n in (1, 2, 3, 4):
            _Portal.night = n
            crawl(data, sources_path=registry, settings={**FAST, "NIANBAO_BROWSER": False, "RETRY_TIMES": 0})
            reparse_all(data)
            with sqlite3.connect(data / "nianbao.db") as conn:
                gone[n] = dict(conn.execute("SELECT year, gone FROM reports WHERE is_latest = 1").fetchall())
                rows[n] = dict(conn.execute("SELECT year, count(*) FROM reports GROUP BY year").fetchall())
    finally:
        server.shutdown()
    return {"data": data, "base": base, "gone": gone, "rows": rows}


def test_the_view_counter_under_the_reports_makes_no_revision(nights) -> None:
    """Every answer printed another 浏览次数 under the signature: the same reports, one row each."""
    assert all(nights["rows"][n] == {2022: 1, 2023: 1} for n in (1, 2, 3, 4)), nights["rows"]


def test_listed_and_served_reports_are_not_marked(nights) -> None:
    assert nights["gone"][1] == {2022: None, 2023: None}


def test_a_night_whose_list_page_failed_marks_nothing(nights) -> None:
    """Night 2 fetched neither report (the list answered 500): that is the crawl's failure, not a
    withdrawal."""
    assert nights["gone"][2] == {2022: None, 2023: None}


def test_an_unlisted_report_and_a_404_page_are_marked_with_the_date(nights) -> None:
    gone = nights["gone"][3]
    assert gone[2022] and gone[2022].startswith("no longer listed since 20")
    assert gone[2023] and re.fullmatch(rf"{re.escape(nights['base'] + PAGES[2023])} answers HTTP 404 since 20\S+",
                                       gone[2023])


def test_a_later_failed_night_keeps_what_the_last_good_crawl_showed(nights) -> None:
    assert nights["gone"][4] == nights["gone"][3]


def test_the_report_page_says_so_and_keeps_everything(nights) -> None:
    data = nights["data"]
    with sqlite3.connect(data / "nianbao.db") as conn:
        ids = dict(conn.execute("SELECT year, id FROM reports WHERE is_latest = 1").fetchall())
        cells = dict(conn.execute("SELECT report_id, count(*) FROM cells GROUP BY report_id").fetchall())
    assert cells.get(ids[2022], 0) > 100 and cells.get(ids[2023], 0) > 100  # nothing deleted or hidden
    with served(data) as base:
        unlisted = DIRECT.open(f"{base}/-/report/{ids[2022]}", timeout=60).read().decode()
        answers_404 = DIRECT.open(f"{base}/-/report/{ids[2023]}", timeout=60).read().decode()
    assert "门户已不再列出本报告" in unlisted and "no longer listed on its portal" in unlisted
    assert "已无法访问" not in unlisted
    assert "已无法访问" in answers_404 and "answers HTTP 404 since" in answers_404
    assert nights["base"] + PAGES[2023] in answers_404
    assert "门户已不再列出本报告" not in answers_404


def test_the_completeness_matrix_counts_a_withdrawn_report_apart(nights) -> None:
    """A journalist counting who published reads the matrix: a report taken down is not `parsed`."""
    with served(nights["data"]) as base:
        rows = json.loads(DIRECT.open(f"{base}/-/completeness.json?first_year=2022&last_year=2023", timeout=60).read())
        page = DIRECT.open(f"{base}/-/completeness?first_year=2022&last_year=2023", timeout=60).read().decode()
    rows = rows["rows"] if isinstance(rows, dict) else rows
    cells = {r["year"]: r for r in rows if r["source_id"] == "hb-fancheng-gov"}
    assert {y: c["status"] for y, c in cells.items()} == {2022: "withdrawn", 2023: "withdrawn"}
    assert cells[2022]["gone"].startswith("no longer listed since 20")
    assert "answers HTTP 404 since" in cells[2023]["gone"]
    assert cells[2022]["report_id"] and cells[2023]["report_id"]  # the archived report stays linked
    assert 'data-status="withdrawn"' in page and "no longer listed since" in page


def test_a_report_the_list_still_links_is_not_marked_when_the_crawl_skipped_it(nights, tmp_path) -> None:
    """A run that read the list (it still links the 2022 report, as on night 1) but did not ask for
    that report (a walk's page budget spent, say) is no proof of a withdrawal."""
    data = tmp_path / "data"
    shutil.copytree(nights["data"], data)
    base = nights["base"]
    with sqlite3.connect(data / "nianbao.db") as conn:
        listed = conn.execute("SELECT s.sha256, s.headers FROM snapshots s WHERE s.url = ? AND s.status = 200"
                              " ORDER BY s.id LIMIT 1", (base + LIST,)).fetchone()
    archive = Archive(data)
    run = archive.start_run("nianbao", ["hb-fancheng-gov"])
    for url, body in ((base + LIST, archive.blobs.get(listed[0])), (base + PAGES[2023], _report(2023, 1))):
        archive.record(Fetch(url=url, final_url=url, status=200, headers=[tuple(h) for h in json.loads(listed[1])],
                             body=body, fetched_at=utcnow(), source_id="hb-fancheng-gov", spider="nianbao", run_id=run))
    archive.finish_run(run, {"hb-fancheng-gov": {"pages": 2, "reports_found": 1, "attachments": 0, "errors": 0,
                                                 "duration_s": 1.0}})
    archive.close()
    assert PAGES[2022].rsplit("/", 1)[-1].encode() in archive_list_bytes(data, base)
    reparse_all(data)
    with sqlite3.connect(data / "nianbao.db") as conn:
        gone = dict(conn.execute("SELECT year, gone FROM reports WHERE is_latest = 1").fetchall())
    assert gone[2022] is None


def test_a_list_page_whose_blob_is_damaged_proves_no_withdrawal(nights, tmp_path) -> None:
    """The same run as above, its list page's blob then cut on disk before the 2022 link: bytes that no
    longer hash to their name are no proof the link is gone (they are not read at all)."""
    data = tmp_path / "data"
    shutil.copytree(nights["data"], data)
    base = nights["base"]
    with sqlite3.connect(data / "nianbao.db") as conn:
        listed = conn.execute("SELECT s.sha256, s.headers FROM snapshots s WHERE s.url = ? AND s.status = 200"
                              " ORDER BY s.id LIMIT 1", (base + LIST,)).fetchone()
    archive = Archive(data)
    run = archive.start_run("nianbao", ["hb-fancheng-gov"])
    whole = archive.blobs.read(listed[0])
    for url, body in ((base + LIST, whole), (base + PAGES[2023], _report(2023, 1))):
        archive.record(Fetch(url=url, final_url=url, status=200, headers=[tuple(h) for h in json.loads(listed[1])],
                             body=body, fetched_at=utcnow(), source_id="hb-fancheng-gov", spider="nianbao", run_id=run))
    archive.finish_run(run, {"hb-fancheng-gov": {"pages": 2, "reports_found": 1, "attachments": 0, "errors": 0,
                                                 "duration_s": 1.0}})
    link = whole.index(PAGES[2022].rsplit("/", 1)[-1].encode())
    archive.blobs.path(listed[0]).write_bytes(whole[:link])  # cut on disk before the link
    archive.close()
    reparse_all(data)
    with sqlite3.connect(data / "nianbao.db") as conn:
        gone = dict(conn.execute("SELECT year, gone FROM reports WHERE is_latest = 1").fetchall())
    assert gone[2022] is None


def archive_list_bytes(data: Path, base: str) -> bytes:
    with sqlite3.connect(data / "nianbao.db") as conn:
        sha = conn.execute("SELECT s.sha256 FROM fetches f JOIN snapshots s ON s.id = f.snapshot_id WHERE f.url = ?"
                           " ORDER BY f.id DESC LIMIT 1", (base + LIST,)).fetchone()[0]
    return (data / "blobs" / "sha256" / sha[:2] / sha[2:4] / sha).read_bytes()
