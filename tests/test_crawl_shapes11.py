"""Three portal shapes the eleventh set of blind portals showed the generic crawl losing
(tests/portal/homes11.py): an ASP.NET WebForms list paged only by __doPostBack with its files behind a
Download.ashx named by Content-Disposition (one reached only by downloadFile() from an external script) and
a robots.txt Crawl-delay; a 政府信息公开目录 drawn as a zTree by a script file, whose 年报 node loads its list
by a JSON POST; a county whose departments' sites are sub-paths linked by the body's name only, and whose
sitemap.xml (named by robots.txt) alone lists one report.

Crawled once by the real crawl (chromium for the tree), then checked as a user would: the archive's
documents and snapshots, the crawl's error rows, and what each server saw.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from scrapy.http import HtmlResponse, Response

from crawler.spiders.base import disposition_name, names_better
from crawler.spiders.generic import SITEMAP_FILES
from crawler.spiders.helpers import helper_file_urls, helper_url
from crawler.spiders.pagers import postback_next, static_postback
from parsers.detect import detect_kind
from tests.portal.homes11 import BM, WF, WF_CRAWL_DELAY, WF_LIST, WF_NEXT, ZT, Shapes11
from tests.support.crawls import (
    assert_own_reports_found_once,
    blob,
    crawl_portals,
    crawled_portals,
    errors,
    reports,
)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes11"), Shapes11.start) as done:
        yield done


@pytest.mark.parametrize("sid", [WF[0], ZT[0], BM[0]])
def test_every_own_report_is_found_once_with_its_year_and_body(crawled, sid) -> None:
    # each found once, nothing else: no 图解 / 解读 look-alike, no page counted twice
    assert_own_reports_found_once(crawled, sid)
    assert not [e for e in errors(crawled, sid) if not e[1].startswith("note:")]


def test_the_postback_pager_is_walked_to_its_end_each_post_built_from_the_page_before(crawled) -> None:
    seen = crawled.shapes.requests[WF[0]]
    posts = [body for method, path, body, _ in seen if method == "POST" and path.startswith(WF_LIST)]
    args = [dict(p.split("=", 1) for p in body.split("&")).get("__EVENTARGUMENT") for body in posts]
    assert args == ["2", "3"], posts  # pages 2 and 3, once each, in order
    for n, body in enumerate(posts, start=1):
        # each POST carries the viewstate page n issued (the server answers any other with a 500)
        assert f"__VIEWSTATE=%2FwEPDwUKMTY{n:02d}" in body, body
        assert "ctl00%24Top%24go" not in body  # a postback sends no submit button
    assert not [r for r in seen if r[0] == "GET" and "__doPostBack" in r[1]]


def test_download_handler_files_reach_the_archive_with_their_real_names(crawled) -> None:
    base = crawled.shapes.bases[WF[0]]
    rows = crawled.conn.execute(
        "SELECT d.url, d.title, d.parent_url, s.sha256, s.content_type, s.headers FROM documents d "
        "JOIN snapshots s ON s.url = d.url WHERE d.kind = 'attachment' AND d.url LIKE '%Download.ashx%'").fetchall()
    by_id = {r["url"].rsplit("=", 1)[1]: r for r in rows}
    assert set(by_id) == {"11", "12", "13"}, sorted(by_id)
    # the DOCX reached only through onclick="downloadFile('12')" (function in /js/common.js)
    docx = by_id["12"]
    assert docx["parent_url"] == base + "/xxgk/Show.aspx?ID=3523"
    assert docx["content_type"].startswith("application/octet-stream")
    assert detect_kind(blob(crawled, docx["sha256"])) == "docx"  # the parser reads it by its bytes
    assert docx["title"] == "白沙市人民政府2023年政府信息公开工作年度报告.docx"
    # the raw GBK name is archived byte for byte in the snapshot's headers
    headers = dict(json.loads(docx["headers"]))
    disposition = next(v for k, v in headers.items() if k.lower() == "content-disposition")
    assert "白沙市人民政府2023年".encode("gbk") in disposition.encode("latin-1")
    # "点击下载" is titled by the servlet's own name, the octet-stream PDF is a PDF
    assert by_id["13"]["title"] == "report2021.pdf"
    assert detect_kind(blob(crawled, by_id["11"]["sha256"])) == "pdf"
    assert sum(1 for r in crawled.shapes.requests[WF[0]] if r[1] == "/js/common.js") == 1


def test_crawl_delay_of_robots_txt_is_kept_between_requests_to_the_host(crawled) -> None:
    times = sorted(t for method, path, _, t in crawled.shapes.requests[WF[0]] if path != "/robots.txt")
    assert len(times) >= 10
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= WF_CRAWL_DELAY * 0.95, gaps
    # the other hosts ask for no delay and are not slowed
    other = sorted(t for *_, t in crawled.shapes.requests[BM[0]])
    assert min(b - a for a, b in zip(other, other[1:], strict=False)) < WF_CRAWL_DELAY


def test_a_script_drawn_catalogue_is_rendered_and_its_report_node_clicked(crawled) -> None:
    seen = crawled.shapes.requests[ZT[0]]
    lists = [json.loads(body) for method, path, body, _ in seen if method == "POST" and path == "/api/info/list"]
    assert {"channelId": "c052", "pageNo": 1, "pageSize": 10} in lists
    assert len(lists) <= 4  # the first node's own load, the 年报 node; not every node of the tree
    assert not [r for r in seen if r[0] == "GET" and r[1].startswith("/api/")]


def test_department_sub_sites_are_walked_boundedly_and_the_sitemap_read(crawled) -> None:
    seen = [path for _, path, _, _ in crawled.shapes.requests[BM[0]]]
    assert "/sitemap.xml" in seen
    assert seen.count("/sitemap.xml") == 1
    # the 2023 report is linked by no page: only the sitemap names it
    assert "/zwgk/ndbg/202401/t20240116_7023.html" in seen
    # news items the sitemap lists are no report candidates
    assert not [p for p in seen if p.startswith("/xwzx/")]
    # each department site once; a dead department link is no crawl error
    for dept in ("/bm/jyj/", "/bm/wjj/"):
        assert seen.count(dept) == 1
    assert len(seen) < 40, seen


def test_the_postback_chain_stops_at_the_list_page_cap_with_a_note(tmp_path) -> None:
    shapes = crawl_shapes(tmp_path, (WF[0],), {"NIANBAO_MAX_LIST_PAGES": 2})
    posts = [r for r in shapes.requests[WF[0]] if r[0] == "POST"]
    assert len(posts) == 1  # page 2 only
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    notes = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE source_id = ?", (WF[0],))]
    conn.close()
    assert any(n.startswith("note:") and "page 2 of 3" in n for n in notes), notes


# -- the same portals turned hostile: each new path bounded, nothing off-site ----------------------------
CAPPED_DELAY = 0.2  # NIANBAO_MAX_CRAWL_DELAY for a robots.txt asking 1e9 seconds


def crawl_shapes(data, ids: tuple[str, ...], settings: dict | None = None, **mode: bool) -> Shapes11:
    with Shapes11.start(**mode) as shapes:
        crawl_portals(data, shapes, ids, settings)
    return shapes


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes11-hostile"), lambda: Shapes11.start(hostile=True),
                         (WF[0], BM[0]), {"NIANBAO_MAX_CRAWL_DELAY": CAPPED_DELAY}) as done:
        yield done


def test_a_next_linkbutton_pager_is_walked_to_its_end_each_post_with_the_page_befores_viewstate(hostile) -> None:
    seen = hostile.shapes.requests[WF[0]]
    posts = [dict(p.split("=", 1) for p in body.split("&")) for method, path, body, _ in seen
             if method == "POST" and path.startswith(WF_LIST)]
    # 下一页 posts the same target and an empty argument on every page: pages 2 and 3, not page 2 alone
    assert [p["__EVENTTARGET"] for p in posts] == [WF_NEXT.replace("$", "%24")] * 2, posts
    assert all(p["__EVENTARGUMENT"] == "" for p in posts)
    base = hostile.shapes.bases[WF[0]]
    found = {r["url"] for r in reports(hostile, WF[0])}
    assert {base + t.url for t in hostile.shapes.truth if t.site == WF[0]} <= found, sorted(found)
    assert not [e for e in errors(hostile, WF[0]) if not e[1].startswith("note:")]


def test_a_postback_pager_answering_the_same_page_forever_is_posted_once(tmp_path) -> None:
    shapes = crawl_shapes(tmp_path, (WF[0],), hostile=True, loop=True)
    posts = [r for r in shapes.requests[WF[0]] if r[0] == "POST"]
    assert len(posts) == 1  # page "2" came back with page 1's rows (and a new __VIEWSTATE): the chain ends


def test_a_download_helper_building_another_hosts_url_is_not_followed(hostile) -> None:
    # wf's common.js builds http://localhost:…/steal.ashx; bm's robots.txt names a sitemap there too
    assert hostile.shapes.requests[ZT[0]] == []
    urls = [r[0] for r in hostile.conn.execute("SELECT url FROM documents")]
    assert not [u for u in urls if "localhost" in u or "steal" in u]


def test_a_sitemap_index_of_itself_and_ten_thousand_sitemaps_reads_a_few(hostile) -> None:
    seen = [path for _, path, _, _ in hostile.shapes.requests[BM[0]]]
    maps = [p for p in seen if p == "/sm-index.xml" or p.startswith("/sm/")]
    assert seen.count("/sm-index.xml") == 1
    assert 1 < len(maps) <= SITEMAP_FILES, maps
    # what the first listed sitemap names is still read
    assert "/zwgk/ndbg/202401/t20240116_7023.html" in seen
    assert len(seen) < 40, seen


def test_a_crawl_delay_of_1e9_is_kept_at_the_cap(hostile) -> None:
    times = sorted(t for _, path, _, t in hostile.shapes.requests[BM[0]] if path != "/robots.txt")
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) >= 5
    assert min(gaps) >= CAPPED_DELAY * 0.95, gaps
    # capped: not a thousand million seconds (the bound only tells a cap from none: a loaded machine
    # stretches a gap by seconds, the uncapped delay would be 31 years)
    assert max(gaps) < 60, gaps


# -- the rules on their own ------------------------------------------------------------------------------
PAGER = """<html><body><form method='post' action='./List.aspx?ClassID=9'>
<input type='hidden' name='__VIEWSTATE' value='abc'/>
<a href="javascript:__doPostBack('Pager','1')">1</a> <span>2</span> <a href="javascript:__doPostBack('Pager','3')">3</a>
%s</form></body></html>"""


def test_postback_next_takes_the_next_link_or_the_next_number() -> None:
    def resp(extra: str) -> HtmlResponse:
        return HtmlResponse("http://x/List.aspx?ClassID=9", body=(PAGER % extra).encode(), encoding="utf-8")
    assert postback_next(resp("<a href=\"javascript:__doPostBack('Pager','3')\">下一页</a>"), 2) == ("Pager", "3")
    assert postback_next(resp(""), 2) == ("Pager", "3")
    assert postback_next(resp("<a disabled='disabled'>下一页</a>"), 3) is None
    assert static_postback(resp(""))
    plain = HtmlResponse("http://x/", body=b"<a href=\"javascript:__doPostBack('P','2')\">2</a>", encoding="utf-8")
    assert not static_postback(plain)  # no form to post: left to the browser


def test_download_helper_is_resolved_from_the_script_that_defines_it() -> None:
    page = HtmlResponse("http://x/a/Show.aspx?ID=1", encoding="utf-8", body=(
        "<a href='javascript:void(0)' onclick=\"downloadFile('77')\">报告.pdf</a>"
        "<a href='javascript:download(78);'>下载</a><a onclick=\"setTab(2)\">2</a>").encode())
    scripts = ["var downloadFile = function (fid) { window.open('/Common/Download.ashx?fileId=' + fid); };",
               "function download(id){ location.href = 'down.aspx?id=' + id + '&t=1'; }"]
    assert helper_file_urls(page, scripts) == [("http://x/Common/Download.ashx?fileId=77", "报告.pdf"),
                                               ("http://x/a/down.aspx?id=78&t=1", "下载")]
    assert helper_file_urls(page, []) == []
    # a template out of script code that builds another site's or a javascript: URL is no file of the page
    assert helper_url("http://x/a/1.html", ("http://evil.example/s?wd=", ""), "7") is None
    assert helper_url("http://x/a/1.html", ("javascript:void(0)?", ""), "7") is None
    assert helper_url("http://x/a/1.html", ("//cdn.example/f?id=", ""), "7") is None
    assert helper_url("http://x/a/1.html", ("../f.ashx?id=", ""), "7") == "http://x/f.ashx?id=7"


@pytest.mark.parametrize(("header", "name"), [
    (b"attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
    (b'attachment; filename="' + "年报.docx".encode("gbk") + b'"', "年报.docx"),
    (b'attachment; filename="' + "年报.docx".encode() + b'"', "年报.docx"),
    (b"attachment; filename=%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
    (b'attachment; filename="a.pdf"; filename*=UTF-8\'\'%E5%B9%B4.pdf', "年.pdf"),
    (b"inline", None),
    # a name is a title only: no path, no control characters, bounded, and no mojibake of undecodable bytes
    (b'attachment; filename="../../etc/passwd.pdf"', "passwd.pdf"),
    (b'attachment; filename="..\\..\\boot.ini"', "boot.ini"),
    (b'attachment; filename="a\x01b\x7fc\x1b[2J.pdf"', "abc[2J.pdf"),
    (b'attachment; filename="' + "年报".encode("gbk") + b'\xff.pdf"', None),
    (b'attachment; filename="' + ("年" * 300).encode("gbk") + b'.pdf"', "年" * 156 + ".pdf"),
])
def test_content_disposition_names(header: bytes, name: str | None) -> None:
    assert disposition_name(Response("http://x/", headers={"Content-Disposition": header})) == name


def test_a_servlets_name_replaces_a_link_text_only_when_it_says_more() -> None:
    assert names_better("report2021.pdf", "点击下载")
    assert names_better("白沙市2023年年报.docx", "")
    assert names_better("白沙市人民政府2023年政府信息公开工作年度报告.pdf", "2023年度")
    # the link names the report: a servlet's timestamp or 附件1 does not replace it
    assert not names_better("P020250115384621.pdf", "白沙市人民政府2021年政府信息公开工作年度报告")
    assert not names_better("附件1.pdf", "白沙市人民政府2021年政府信息公开工作年度报告")
