"""One report spread over several files: crawled from a county site, re-parsed as one report.

A real HTTP server on 127.0.0.1 serves a county portal with two 年报 pages of the kind small bodies
publish (the shapes of the blind set /tmp/multi1):

- a 乡镇 report printed as two scanned pages pasted into the article as lazy-loaded pictures
  (`src` = loading.gif, the picture in `data-src` / `data-original`, file names hashes that do not
  sort in page order), beside chrome pictures (logo, QR code);
- a 部门 report whose narrative is the article and whose three tables are an XLSX reached only by
  a `[下载]` link to `/attach/download.jsp?fileId=…` (octet-stream, file name in the header).

The scans are the seed report as LibreOffice prints it, rasterised at 150 dpi and saved as JPEG;
the XLSX is written by openpyxl from the seed's tables.  What a user checks: each page is one
report, every number equals the seed's, the narrative sections are there, each number links to
the archived file it was read from (the scan page that prints its table, the XLSX), placeholders
are never fetched, and a second re-parse takes every text from the extraction cache.
"""

from __future__ import annotations

import copy
import io
import json
import random
import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import quote

import lxml.html
import pymupdf
import pytest
import yaml
from scrapy.http import HtmlResponse

from archive import diff, parts
from archive.reparse import reparse_all
from archive.store import Archive, Fetch, utcnow
from crawler.run import crawl
from crawler.spiders.base import content_image_src, download_link
from crawler.spiders.generic import GenericSpider
from tests.portal.render import report_html, report_tables_html
from tests.support.formats_corpus import load_seeds, soffice_convert
from tests.test_crawl_generic import FAST

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")

NUMBER_TABLES = ("active_disclosure", "applications", "reviews_litigation")
PROBLEMS = "五、存在的主要问题及改进情况\n政策解读形式较为单一，公开内容更新不够及时。下一步将丰富解读形式，加强栏目维护。"
OTHER = "六、其他需要报告的事项\n本年度未收取信息处理费。"
# the text that tells which scanned page prints (part of) which table or row, read from the PDF's
# own text layer: table 3 runs over the page break, its first and last rows fall on either side
TABLE_MARKS = {"active_disclosure": ("第二十条",), "applications": ("申请人情况", "结转下年度继续办理"),
               "reviews_litigation": ("复议后起诉",)}
ROW_MARKS = {"new_received": "本年新收", "carried_forward": "结转下年度继续办理"}


def _narrative(seed) -> str:
    return f"{seed.narrative}\n{PROBLEMS}\n{OTHER}"


def _article(title: str, body: str) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="head"><img src="/images/logo.png" alt="logo"> <a href="/">首页</a></div>
<h1>{title}</h1><div class="info">发布时间：2025-02-14</div>
<div class="TRS_Editor">{body}</div>
<div class="foot"><img src="/images/qrcode.png" alt="二维码"> 主办单位：聊城市人民政府办公室</div>
</body></html>""".encode()


def _xlsx(record: dict) -> bytes:
    """The seed's three tables as one sheet, row by row as the HTML tables print them."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for table in lxml.html.fromstring(f"<div>{report_tables_html(record)}</div>").iter("p", "table"):
        if table.tag == "p":
            sheet.append([table.text_content().strip()])
            continue
        for tr in table.iter("tr"):
            row: list[str] = []
            for td in tr.iter("td", "th"):
                row.append(td.text_content().strip())
                row += [""] * (int(td.get("colspan", 1)) - 1)
            sheet.append([int(v) if v.isdigit() else v for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    """The portal's files (path -> (bytes, content type, extra headers)) and what they hold."""
    out = tmp_path_factory.mktemp("parts-site")
    scan_seed, xlsx_seed = load_seeds()[1], load_seeds()[0]
    html = out / "scan.html"
    html.write_text(report_html(scan_seed.record, _narrative(scan_seed), scan_seed.title), encoding="utf-8")
    soffice_convert([html], "pdf:writer_pdf_Export", out, "HTML (StarWriter)")
    scans, holds = [], {}
    with pymupdf.open(out / "scan.pdf") as doc:
        assert len(doc) == 2, "the scanned report is two pages (OCR time), table 3 over the break"
        for i, page in enumerate(doc):
            name = f"{random.Random(i).getrandbits(48):012x}.jpg"  # hashed, not in page order
            scans.append(f"/zwgk/ndbg/xz/202502/{name}")
            pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
            printed = page.get_text()
            holds[scans[-1]] = {t for t, marks in TABLE_MARKS.items() if any(m in printed for m in marks)}
            holds[scans[-1]] |= {row for row, mark in ROW_MARKS.items() if mark in printed}
            files_jpg = pix.tobytes("jpeg", jpg_quality=85)
            holds.setdefault("_bytes", {})[scans[-1]] = files_jpg
    lazy = ["data-src", "data-original", "data-src", "data-lazy-src"]
    pictures = "".join(f'<p><img class="lazy" src="/images/loading.gif" {lazy[i]}="{u}" alt=""></p>'
                       for i, u in enumerate(scans))
    files: dict[str, tuple[bytes, str, dict]] = {
        "/images/loading.gif": (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;", "image/gif", {}),
        "/images/logo.png": (b"\x89PNG\r\n\x1a\n", "image/png", {}),
        "/images/qrcode.png": (b"\x89PNG\r\n\x1a\n", "image/png", {}),
    }
    for u in scans:
        files[u] = (holds["_bytes"][u], "image/jpeg", {})
    del holds["_bytes"]
    scan_page = "/zwgk/ndbg/xz/202502/t20250214_1027.html"
    files[scan_page] = (_article(scan_seed.title, f"<p>{scan_seed.title}（扫描件）</p>{pictures}"),
                        "text/html; charset=utf-8", {})
    xlsx_page = "/zwgk/ndbg/bm/202501/t20250124_1011.html"
    before, after = _narrative(xlsx_seed).split("\n五、", 1)
    body = "".join(f"<p>{line}</p>" for line in (before + "\n二、主动公开政府信息情况\n（见附表）\n三、收到和处理政府信息公开"
                                                    "申请情况\n（见附表）\n四、政府信息公开行政复议、行政诉讼情况\n（见附表）\n五、"
                                                    + after).splitlines())
    body += '<p>附件：统计表 <a href="/attach/download.jsp?fileId=1006" class="download">[下载]</a></p>'
    files[xlsx_page] = (_article(xlsx_seed.title, body), "text/html; charset=utf-8", {})
    name = quote(f"{xlsx_seed.title}附表.xlsx")
    files["/attach/download.jsp?fileId=1006"] = (_xlsx(xlsx_seed.record), "application/octet-stream",
                                                 {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})
    items = "".join(f'<li><a href="{u}">{s.title}</a><span>2025-02-14</span></li>'
                    for u, s in ((scan_page, scan_seed), (xlsx_page, xlsx_seed)))
    files["/"] = ('<html><head><meta charset="utf-8"><title>聊城市人民政府</title></head><body>'
                  '<a href="/zwgk/">政府信息公开</a></body></html>'.encode(), "text/html; charset=utf-8", {})
    files["/zwgk/"] = ('<html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>'
                       '<a href="/zwgk/ndbg/">政府信息公开年报</a></body></html>'.encode(), "text/html; charset=utf-8", {})
    files["/zwgk/ndbg/"] = (f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
                            f'<ul class="list">{items}</ul></body></html>'.encode(), "text/html; charset=utf-8", {})
    return {"files": files, "scans": scans, "holds": holds, "scan_page": scan_page, "xlsx_page": xlsx_page,
            "scan_seed": scan_seed, "xlsx_seed": xlsx_seed}


class _Portal(BaseHTTPRequestHandler):
    files: dict = {}
    log: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        self.log.append(self.path)
        found = self.files.get(self.path)
        if found is None:
            self.send_error(404)
            return
        body, ctype, headers = found
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory) -> dict:
    handler = type("Portal", (_Portal,), {"files": site["files"], "log": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    data = tmp_path_factory.mktemp("parts-crawl")
    registry = data / "sources.yaml"
    registry.write_text(yaml.safe_dump([{
        "id": "lc-city-gov", "name": "聊城市人民政府", "level": "city", "kind": "government",
        "region": {"province": "山东省", "city": "聊城市"}, "family": "generic", "start_urls": [f"{base}/"],
    }], allow_unicode=True), encoding="utf-8")
    try:
        crawl(data, sources_path=registry, settings=FAST)
    finally:
        server.shutdown()
    first = reparse_all(data)
    second = reparse_all(data)
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    yield {"conn": conn, "base": base, "log": list(handler.log), "first": first, "second": second, "data": data}
    conn.close()


def _report(conn: sqlite3.Connection, url: str) -> sqlite3.Row:
    rows = conn.execute("SELECT * FROM reports WHERE url = ? AND is_latest = 1", (url,)).fetchall()
    assert len(rows) == 1, f"{url}: {len(rows)} reports"
    return rows[0]


def _cells(conn: sqlite3.Connection, report_id: str) -> list[sqlite3.Row]:
    return conn.execute('SELECT c.*, s.url AS file_url FROM cells c JOIN snapshots s ON s.id = c.snapshot_id'
                        ' WHERE c.report_id = ?', (report_id,)).fetchall()


def _assert_same_numbers(cells: list[sqlite3.Row], record: dict) -> None:
    wrong = [(c["table"], c["row"], c["col"], c["value"]) for c in cells
             if c["value"] != record[c["table"]][c["row"]][c["col"]]]
    assert not wrong, wrong[:10]
    assert {c["table"] for c in cells} == set(NUMBER_TABLES)


def test_lazy_pictures_and_download_links_are_fetched_placeholders_never(crawled, site) -> None:
    conn, base = crawled["conn"], crawled["base"]
    atts = {r["url"]: r["parent_url"] for r in conn.execute("SELECT * FROM documents WHERE kind = 'attachment'")}
    assert {base + u for u in site["scans"]} | {base + "/attach/download.jsp?fileId=1006"} == set(atts)
    assert all(atts[base + u] == base + site["scan_page"] for u in site["scans"])
    fetched = set(crawled["log"])
    assert "/images/loading.gif" not in fetched  # a placeholder is no picture of the report
    assert not {"/images/logo.png", "/images/qrcode.png"} & fetched


def test_scanned_pages_are_one_report_with_every_number_from_its_page(crawled, site) -> None:
    conn, base = crawled["conn"], crawled["base"]
    report = _report(conn, base + site["scan_page"])
    seed = site["scan_seed"]
    assert (report["agency"], report["year"]) == (seed.record["agency"], seed.record["year"])
    cells = _cells(conn, report["id"])
    _assert_same_numbers(cells, seed.record)
    sections = {r["section"]: r["text"] for r in conn.execute("SELECT * FROM sections WHERE report_id = ?",
                                                               (report["id"],))}
    assert set(sections) == {"overview", "problems", "other"}
    assert "信息处理费" in sections["other"]
    # every number links to a scanned page that prints its table, and a row of table 3 on either
    # side of the page break to the page that prints that row (pages told by the PDF's own text)
    for c in cells:
        path = c["file_url"].removeprefix(base)
        assert c["table"] in site["holds"].get(path, set()), (c["table"], c["row"], c["col"], path)
        if c["table"] == "applications" and c["row"] in ROW_MARKS:
            assert c["row"] in site["holds"][path], (c["row"], c["col"], path)
    assert conn.execute("SELECT count(*) FROM parse_failures").fetchone()[0] == 0


def test_narrative_page_and_attached_tables_are_one_report(crawled, site) -> None:
    conn, base = crawled["conn"], crawled["base"]
    report = _report(conn, base + site["xlsx_page"])
    seed = site["xlsx_seed"]
    assert (report["agency"], report["year"]) == (seed.record["agency"], seed.record["year"])
    cells = _cells(conn, report["id"])
    _assert_same_numbers(cells, seed.record)
    assert {c["file_url"] for c in cells} == {base + "/attach/download.jsp?fileId=1006"}
    sections = {r["section"]: r["text"] for r in conn.execute("SELECT * FROM sections WHERE report_id = ?",
                                                               (report["id"],))}
    assert set(sections) == {"overview", "problems", "other"}
    assert "政策解读形式较为单一" in sections["problems"]


def test_second_reparse_reads_every_text_from_the_cache(crawled) -> None:
    assert crawled["first"]["reports"] == crawled["second"]["reports"] == 2
    assert crawled["second"]["extracted"] == 0


def test_a_new_snapshot_of_one_file_keeps_the_earlier_combined_reading_as_a_revision(crawled, site, tmp_path) -> None:
    """The 部门 report is its page's narrative + the XLSX's tables.  The portal replaces the XLSX (one
    number corrected) and the next crawl archives it as a new snapshot: the report read before must
    stay, as an earlier revision beside the new one, as it would for a report in one file."""
    data = tmp_path / "data"
    shutil.copytree(crawled["data"], data)  # the module's archive stays as crawled
    base, seed = crawled["base"], site["xlsx_seed"]
    page_url, xlsx_url = base + site["xlsx_page"], base + "/attach/download.jsp?fileId=1006"
    old = crawled["conn"].execute("SELECT * FROM snapshots WHERE url = ?", (xlsx_url,)).fetchone()
    corrected = copy.deepcopy(seed.record)
    corrected["applications"]["new_received"]["natural_person"] += 1
    was, now = (r["applications"]["new_received"]["natural_person"] for r in (seed.record, corrected))
    archive = Archive(data)
    run_id = archive.start_run("nianbao", ["lc-city-gov"])
    archive.record(Fetch(url=xlsx_url, final_url=xlsx_url, status=200, headers=json.loads(old["headers"]),
                         body=_xlsx(corrected), fetched_at=utcnow(), referrer=page_url, source_id=old["source_id"],
                         spider=old["spider"]))
    archive.finish_run(run_id, {})
    archive.close()
    reparse_all(data)
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        reports = conn.execute("SELECT * FROM reports WHERE url = ? ORDER BY revision", (page_url,)).fetchall()
        assert [(r["revision"], r["is_latest"]) for r in reports] == [(1, 0), (2, 1)]
        files = [{c["file_url"] for c in _cells(conn, r["id"])} for r in reports]
        xlsx_snaps = [r[0] for r in conn.execute("SELECT id FROM snapshots WHERE url = ? ORDER BY revision",
                                                  (xlsx_url,))]
        assert [{s for (s,) in conn.execute("SELECT DISTINCT snapshot_id FROM cells WHERE report_id = ?", (r["id"],))}
                for r in reports] == [{xlsx_snaps[0]}, {xlsx_snaps[1]}]  # each read from the XLSX of its time
        assert files == [{xlsx_url}, {xlsx_url}]
        _assert_same_numbers(_cells(conn, reports[0]["id"]), seed.record)
        _assert_same_numbers(_cells(conn, reports[1]["id"]), corrected)
        for r in reports:  # both are the whole report: the page's narrative with the file's tables
            assert {s for (s,) in conn.execute("SELECT section FROM sections WHERE report_id = ?", (r["id"],))} == {
                "overview", "problems", "other"}
        # the report page lists both revisions, and their diff is the corrected number
        assert [r["id"] for r in diff.revisions(conn, reports[0]["document_id"])] == [r["id"] for r in reports]
        changed = [c for c in diff.diff_reports(conn, reports[0]["id"], reports[1]["id"]) if c.status != "same"]
        assert [(c.table, c.row, c.col, c.before, c.after) for c in changed] == [
            ("applications", "new_received", "natural_person", was, now)]
        scans = conn.execute("SELECT count(*) FROM reports WHERE url = ?", (base + site["scan_page"],)).fetchone()[0]
        assert scans == 1  # the other report's files did not change
    finally:
        conn.close()
    ids = [r["id"] for r in reports]
    reparse_all(data)  # a re-parse gives the same revisions the same ids (reviews and links stay)
    again = sqlite3.connect(data / "nianbao.db")
    try:
        assert [r[0] for r in again.execute("SELECT id FROM reports WHERE url = ? ORDER BY revision",
                                            (page_url,))] == ids
    finally:
        again.close()


def _crawl_again(data, base_snapshots: dict, files: dict) -> None:
    """One more crawl run that fetched `files` (url -> bytes, or None for a 304), as the crawler
    records them (Archive.record: blob, WARC, snapshot, fetch row)."""
    archive = Archive(data)
    run_id = archive.start_run("nianbao", ["lc-city-gov"])
    for url, body in files.items():
        old = base_snapshots[url]
        archive.record(Fetch(url=url, final_url=url, status=200 if body is not None else 304,
                             headers=json.loads(old["headers"]), body=body or b"", fetched_at=utcnow(),
                             referrer=None, source_id=old["source_id"], spider=old["spider"]))
    archive.finish_run(run_id, {})
    archive.close()


def _revisions(data, page_url: str) -> list[dict]:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        out = []
        for r in conn.execute("SELECT * FROM reports WHERE url = ? ORDER BY revision", (page_url,)).fetchall():
            sections = dict(conn.execute("SELECT section, text FROM sections WHERE report_id = ?", (r["id"],)).fetchall())
            cells = _cells(conn, r["id"])
            out.append({"id": r["id"], "revision": r["revision"], "is_latest": r["is_latest"], "sections": sections,
                        "cells": cells, "files": {c["snapshot_id"] for c in cells}})
        return out
    finally:
        conn.close()


def test_page_back_at_its_earlier_bytes_keeps_every_run_s_reading(crawled, site, tmp_path) -> None:
    """Run 2 changes the page's narrative (bytes B) and corrects the XLSX; run 3 the portal puts the
    page's old text back (bytes A again, one snapshot with run 1's) and answers 304 for the XLSX.
    Three readings happened, three revisions: A + old tables, B + corrected, A + corrected."""
    data = tmp_path / "data"
    shutil.copytree(crawled["data"], data)
    base, seed = crawled["base"], site["xlsx_seed"]
    page_url, xlsx_url = base + site["xlsx_page"], base + "/attach/download.jsp?fileId=1006"
    snaps = {u: crawled["conn"].execute("SELECT * FROM snapshots WHERE url = ?", (u,)).fetchone()
             for u in (page_url, xlsx_url)}
    page_a = site["files"][site["xlsx_page"]][0]
    page_b = page_a.replace("政策解读形式较为单一".encode(), "图解、视频解读仍然偏少".encode())
    assert page_b != page_a
    corrected = copy.deepcopy(seed.record)
    corrected["applications"]["new_received"]["natural_person"] += 1
    _crawl_again(data, snaps, {page_url: page_b, xlsx_url: _xlsx(corrected)})
    _crawl_again(data, snaps, {page_url: page_a, xlsx_url: None})
    first = reparse_all(data)
    got = _revisions(data, page_url)
    assert [(r["revision"], r["is_latest"]) for r in got] == [(1, 0), (2, 0), (3, 1)]
    assert ["政策解读形式较为单一" in r["sections"]["problems"] for r in got] == [True, False, True]
    assert "图解、视频解读仍然偏少" in got[1]["sections"]["problems"]
    for r, record in zip(got, (seed.record, corrected, corrected), strict=True):
        _assert_same_numbers(r["cells"], record)
    conn = sqlite3.connect(data / "nianbao.db")
    xlsx_snaps = [i for (i,) in conn.execute("SELECT id FROM snapshots WHERE url = ? ORDER BY id", (xlsx_url,))]
    conn.close()
    assert [r["files"] for r in got] == [{xlsx_snaps[0]}, {xlsx_snaps[1]}, {xlsx_snaps[1]}]
    assert first["extracted"] >= 1
    again = reparse_all(data)  # the earlier states' texts come from the extraction cache too
    assert again["extracted"] == 0
    assert [r["id"] for r in _revisions(data, page_url)] == [r["id"] for r in got]


def _interpretation_pdf(day: int) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), f"关于2024年度政府信息公开工作年度报告的政策解读（2025年2月{day}日更新）", fontname="china-s",
                     fontsize=11)
    page.insert_text((72, 130), "一图读懂：本年度依申请公开办理情况总体平稳。", fontname="china-s", fontsize=11)
    out = doc.tobytes()
    doc.close()
    return out


def test_files_the_reading_does_not_read_leave_its_id_and_revisions_alone(crawled, site, tmp_path) -> None:
    """The page gains a 解读 PDF (new bytes every crawl) and shows a view counter: the report (the
    page's narrative + the XLSX's tables) reads the same, so it keeps its one revision and its id,
    and /-/report/<id> links never point at a superseded copy."""
    data = tmp_path / "data"
    shutil.copytree(crawled["data"], data)
    base = crawled["base"]
    page_url, pdf_url = base + site["xlsx_page"], base + "/attach/jiedu.pdf"
    before = _revisions(data, page_url)
    assert len(before) == 1
    page = crawled["conn"].execute("SELECT * FROM snapshots WHERE url = ?", (page_url,)).fetchone()
    archive = Archive(data)
    archive.record_document("lc-city-gov", pdf_url, "attachment", parent_url=page_url, title="政策解读")
    archive.close()
    snaps = {page_url: page, pdf_url: {**dict(page), "headers": json.dumps([["Content-Type", "application/pdf"]])}}
    for crawl_no, day in ((1, 15), (2, 16)):
        served = site["files"][site["xlsx_page"]][0].replace(
            "发布时间：2025-02-14".encode(), f"发布时间：2025-02-14 浏览次数：{100 + crawl_no}".encode())
        _crawl_again(data, snaps, {page_url: served, pdf_url: _interpretation_pdf(day)})
        reparse_all(data)
        after = _revisions(data, page_url)
        assert [(r["id"], r["revision"], r["is_latest"]) for r in after] == [(before[0]["id"], 1, 1)], crawl_no
        assert after[0]["files"] == before[0]["files"]


# -- the pieces, without a crawl ---------------------------------------------------------------

def test_content_pictures_are_read_from_lazy_attributes() -> None:
    page = HtmlResponse(url="http://x.test/a/t1.html", encoding="utf-8", body="""<div class="TRS_Editor">
        <img src="/images/loading.gif" data-original="/a/9f.jpg"><img src="/a/1c.png">
        <img src="/images/blank.gif"><img src="data:image/gif;base64,R0lGOD"><img src="/images/logo.png">
        <a href="/attach/download.jsp?fileId=7">[下载]</a><a href="/download?id=8">点击下载</a>
        <a href="/news/download.html">下载中心</a></div>""".encode())
    source = SimpleNamespace(id="x", family="generic", start_urls=["http://x.test/"], allowed_domains=["x.test"],
                             overrides={})
    spider = GenericSpider(sources=[source])
    got = [u for u, _ in spider.attachments(page, source)]
    assert got == ["http://x.test/attach/download.jsp?fileId=7", "http://x.test/download?id=8",
                   "http://x.test/a/9f.jpg", "http://x.test/a/1c.png"]
    assert content_image_src(page.css("img")[2]) is None
    assert download_link("http://x.test/attach/download.jsp?fileId=7", "附件下载")
    assert not download_link("http://x.test/attach/download.jsp?fileId=7", "政府信息公开申请表")


def test_pictures_are_ordered_as_the_page_shows_them_and_joined_with_their_files() -> None:
    html = ('<p>一、总体情况</p><img src="loading.gif" data-src="b.jpg"><p>中间</p><img data-original="/x/a.jpg">'
            '<a href="c.jpg">第三页</a>')
    urls = ["http://h/x/a.jpg", "http://h/x/c.jpg", "http://h/x/b.jpg"]
    assert parts.page_order(html, "http://h/x/p.html", urls) == ["http://h/x/b.jpg", "http://h/x/a.jpg",
                                                                  "http://h/x/c.jpg"]
    marked, placed = parts.mark_pictures(html, "http://h/x/p.html", ["http://h/x/b.jpg", "http://h/x/a.jpg"])
    assert placed == ["http://h/x/b.jpg", "http://h/x/a.jpg"]
    text = lxml.html.fromstring(marked).text_content()
    joined = parts.Joined()
    joined.add_page("page", text, {0: ("b", "表一"), 1: ("a", "第一页\n\f\n第二页")})
    assert [line for line in joined.lines if line != "\f"] == ["一、总体情况", "表一", "中间", "第一页", "第二页", "第三页"]
    assert joined.pages == [("page", None), ("b", None), ("page", None), ("a", 1), ("a", 2), ("page", None)]
