"""The generic spider's known leftovers, on replica shapes (tests/portal/homes15.py): year-option reports titled as
a reader knows them; thin report pages rendered only when a script could draw something; button, javascript:;
and <span> script pagers followed without a browser when the page shows how a page is asked, rendered and clicked
when it does not; a gzipped sitemap named by /sitemap_index.xml read when the walk finds no column; a render kept
to the host's Crawl-delay, with no pictures, fonts or media loaded; browser start-up counted as progress by the
stall watchdog.

Crawled once by the real crawl (chromium for the renders), then checked as a user would: the archive's documents
and runs, and what each server saw.
"""

from __future__ import annotations

import gzip
import stat
from urllib.parse import parse_qs

import pytest
from scrapy.http import HtmlResponse, Response

from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from crawler.spiders.generic import sitemap_body
from crawler.spiders.pagers import static_script_pager
from crawler.spiders.render import draws_content, needs_render, script_shell
from parsers.detect import detect_kind
from tests.portal.homes15 import CD, CD_CRAWL_DELAY, OP, PA, PB, PC, SM, TH, Shapes15
from tests.support.crawls import assert_own_reports_found_once, blob, crawled_portals, errors, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes15"), Shapes15.start) as done:
        yield done


def paths(crawled, site: str) -> list[str]:
    return [path for _, path, *_ in crawled.shapes.requests[site]]


@pytest.mark.parametrize("sid", [s[0] for s in (OP, TH, PA, PB, PC, SM, CD)])
def test_every_own_report_is_found_once_with_its_year_and_body(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid, exact_agency=False)
    assert not [e for e in errors(crawled, sid) if not e[1].startswith("note:")]


def test_reports_behind_bare_year_options_carry_the_title_a_reader_knows(crawled) -> None:
    base = crawled.shapes.bases[OP[0]]
    titles = {r["url"].removeprefix(base): r["title"] for r in reports(crawled, OP[0])}
    # the servlet's own name for the file; the bare PDF: the column owner's name, the year, the report's name
    assert titles["/attach/get?id=23"] == "柏溪县人民政府2023年政府信息公开工作年度报告"
    assert titles["/zwgk/ndbg/W020230120.pdf"] == "柏溪县人民政府2022年度政府信息公开工作年度报告"
    assert not [t for t in titles.values() if t.replace(" ", "").endswith("年度") and len(t) <= 8]


def test_thin_report_pages_are_rendered_only_when_a_script_could_draw_them(crawled) -> None:
    seen = paths(crawled, TH[0])
    # statistics snippets and jQuery draw nothing: the server's page is all there is, no browser
    assert seen.count("/zwgk/ndbg/a2023.html") == 1
    assert not [p for p in seen if p.startswith(("/hm.js", "/stat/"))]
    # a placeholder a script file fills, an inline fetch(): rendered once each, their files archived; the
    # render is given the page the crawl fetched (crawler/served.py), so the server sees each page once
    assert seen.count("/zwgk/ndbg/a2022.html") == 1 and seen.count("/zwgk/ndbg/a2021.html") == 1
    base = crawled.shapes.bases[TH[0]]
    rendered = {r[0].removeprefix(base) for r in crawled.conn.execute(
        "SELECT url FROM snapshots WHERE rendered = 1 AND source_id = ?", (TH[0],))}
    assert {"/zwgk/ndbg/a2022.html", "/zwgk/ndbg/a2021.html"} <= rendered
    assert "/zwgk/ndbg/a2023.html" not in rendered
    rows = crawled.conn.execute(
        "SELECT d.url, d.parent_url, s.sha256 FROM documents d JOIN snapshots s ON s.url = d.url "
        "WHERE d.kind = 'attachment' AND d.source_id = ? AND s.status = 200", (TH[0],)).fetchall()
    files = {r["url"].removeprefix(base): r for r in rows}
    assert files["/upload/2022.pdf"]["parent_url"] == base + "/zwgk/ndbg/a2022.html"
    assert files["/upload/2021.pdf"]["parent_url"] == base + "/zwgk/ndbg/a2021.html"
    assert detect_kind(blob(crawled, files["/upload/2022.pdf"]["sha256"])) == "pdf"


def test_a_button_pager_defined_inline_is_followed_without_a_browser(crawled) -> None:
    seen = paths(crawled, PA[0])
    assert seen.count("/zwgk/ndbg/index.html") == 1  # never rendered
    assert seen.count("/zwgk/ndbg/index_1.html") == 1 and seen.count("/zwgk/ndbg/index_2.html") == 1  # 尾页 = 3
    assert not [p for p in seen if p.startswith("/sitemap")]  # a walk that found its column probes no sitemap


def test_a_script_file_pager_is_posted_through_the_form_that_holds_its_page_field(crawled) -> None:
    seen = crawled.shapes.requests[PB[0]]
    posts = [parse_qs(body) for method, path, _, body, _ in seen if method == "POST" and path == "/xxgk/nb/list.do"]
    assert sorted(p["pageNo"][0] for p in posts) == ["2", "3"], posts
    assert all(p["channelId"] == ["nb"] for p in posts)
    assert [p for m, p, *_ in seen if m == "GET"].count("/xxgk/nb/list.do") == 1  # never rendered
    assert "/js/pager.js" not in [p for _, p, *_ in seen]


def test_a_span_pager_nothing_explains_is_rendered_and_clicked(crawled) -> None:
    seen = paths(crawled, PC[0])
    assert "/zwgk/ndbg/rows?page=2" in seen and "/zwgk/ndbg/rows?page=3" in seen


def test_a_gzipped_sitemap_named_by_the_sitemap_index_leads_to_the_column(crawled) -> None:
    seen = paths(crawled, SM[0])
    for path in ("/sitemap.xml", "/sitemap_index.xml", "/sitemap/xxgk.xml.gz", "/xxgk/ndbg/index.html"):
        assert seen.count(path) == 1, (path, seen)
    assert not [p for p in seen if p.startswith("/xwzx/") and p != "/xwzx/"]  # news the sitemaps list: no candidates
    base = crawled.shapes.bases[SM[0]]
    assert {r["parent_url"] for r in reports(crawled, SM[0])} == {base + "/xxgk/ndbg/index.html"}
    assert not [e for e in errors(crawled, SM[0]) if "no 年报 column" in e[1]]


def test_a_render_keeps_the_crawl_delay_and_loads_no_pictures_fonts_or_media(crawled) -> None:
    seen = [(path, t) for _, path, _, _, t in crawled.shapes.requests[CD[0]] if path != "/robots.txt"]
    assert "/api/list?page=2" in [p for p, _ in seen]  # chromium's own XHR, the pager clicked
    times = sorted(t for _, t in seen)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= CD_CRAWL_DELAY * 0.95, sorted(zip(gaps, [p for p, _ in sorted(seen, key=lambda s: s[1])][1:],
                                                           strict=True))[:5]
    assert not [p for p, _ in seen if p.startswith(("/images/", "/fonts/", "/media/"))]


# -- the stall watchdog and a browser slow to start ---------------------------------------------------------
STALL = 10.0  # NIANBAO_STALL_TIMEOUT of the crawl below
LAUNCH = 15.0  # how long its chromium takes to start


def test_a_browser_slow_to_start_is_no_stall(tmp_path) -> None:
    slow = tmp_path / "slow-chromium"
    slow.write_text(f"#!/bin/sh\nsleep {LAUNCH}\nexec {PLAYWRIGHT_LAUNCH_OPTIONS['executable_path']} \"$@\"\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    settings = {"NIANBAO_STALL_TIMEOUT": STALL,
                "PLAYWRIGHT_LAUNCH_OPTIONS": {**PLAYWRIGHT_LAUNCH_OPTIONS, "executable_path": str(slow)}}
    (tmp_path / "data").mkdir()
    with crawled_portals(tmp_path / "data", Shapes15.start, (TH[0],), settings) as done:
        status = done.conn.execute("SELECT status FROM crawl_runs").fetchone()[0]
        assert status == "finished", status
        files = [r[0] for r in done.conn.execute("SELECT url FROM documents WHERE kind = 'attachment'")]
    assert any(u.endswith("/upload/2021.pdf") for u in files), files  # the render after the slow start


# -- the rules on their own ------------------------------------------------------------------------------------
def page(body: str, url: str = "http://x/zwgk/ndbg/index.html") -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def test_draws_content_tells_statistics_from_scripts_that_draw() -> None:
    stats = ("<p>详见附件</p><script src='https://hm.baidu.com/hm.js?1'></script><script>var _hmt=[];"
             "(function(){var hm=document.createElement('script');hm.src='https://hm.baidu.com/hm.js';"
             "document.body.appendChild(hm);})();</script><script src='https://s4.cnzz.com/z_stat.php?id=9'></script>"
             "<script src='/js/jquery.min.js'></script>")
    assert not draws_content(page(stats))
    assert not draws_content(page(stats + "<div id='fileList'></div>"))  # a placeholder with nothing to fill it
    assert draws_content(page(stats + "<ul id='attach'></ul><script src='/js/xxgk.js'></script>"))
    assert draws_content(page("<script>$.get('/api/attach?id=3', function (d) { $('#x').html(d); });</script>"))
    assert draws_content(page("<div v-for='f in files'></div><script src='/js/app.js'></script>"))
    # a list page's statistics snippet (it creates a <script> element) is no list being drawn
    hm = ("<script>var _hmt = _hmt || []; (function () { var hm = document.createElement('script');"
          " hm.src = 'https://hm.baidu.com/hm.js?1'; document.body.appendChild(hm); })();</script>")
    assert not needs_render(page("<h2>年报</h2><ul id='list'></ul>" + hm))
    assert needs_render(page("<ul id='list'></ul><script>document.getElementById('list').innerHTML = rows;</script>"))
    assert not script_shell(page("<div id='content'></div><script src='https://s9.cnzz.com/z_stat.php?id=1'></script>"))
    assert script_shell(page("<div id='app'></div><script src='/js/vue.min.js'></script>"))


def test_static_script_pager_reads_how_a_page_is_asked() -> None:
    inline = ("<button onclick=\"goPage(2)\">下一页</button><script>var listUrl = 'list.jsp?cid=3&pageNo=';"
              "function goPage(p) { window.location.href = listUrl + p; }</script>")
    template, numbers = static_script_pager(page(inline))
    assert template.url("http://x/zwgk/ndbg/index.html", 2) == "http://x/zwgk/ndbg/list.jsp?cid=3&pageNo=2"
    assert numbers == {2}
    # the helper lives in a script file: the list's own URL shows the page parameter
    own = static_script_pager(page("<span class='next' onclick='turnPage(3)'>下一页</span>",
                                   "http://x/list.jsp?channel=nb&pageIndex=2"))
    assert own[0].url("http://x/list.jsp?channel=nb&pageIndex=2", 3) == "http://x/list.jsp?channel=nb&pageIndex=3"
    # page 1's own link shows the file names
    first = static_script_pager(page("<a href='list_1.html'>1</a><a href='javascript:;' onclick='go(2)'>2</a>"))
    assert first[0].url("http://x/zwgk/ndbg/list_1.html", 2) == "http://x/zwgk/ndbg/list_2.html"
    # nothing shows how: the browser clicks; a helper that fetches its rows is no page URL either
    assert static_script_pager(page("<span class='next' onclick='turnPage(3)'>下一页</span>")) is None
    xhr = ("<a href='javascript:;' onclick='goPage(2)'>下一页</a><script>var u = '/api/list?page=';"
           "function goPage(n) { $.ajax({url: u + n}); }</script>")
    assert static_script_pager(page(xhr)) is None
    api = "<span onclick='goPage(2)'>下一页</span><script>var api = '/api/list?page=';</script>"
    assert static_script_pager(page(api)) is None  # a data API's address is no list page


def test_a_sitemap_gzipped_without_content_encoding_is_read() -> None:
    xml = b"<?xml version='1.0'?><urlset><url><loc>http://x/ndbg/</loc></url></urlset>"
    served = Response("http://x/sitemap/a.xml.gz", body=gzip.compress(xml), headers={"Content-Type": "application/x-gzip"})
    assert sitemap_body(served) == xml
    assert sitemap_body(Response("http://x/s.xml", body=b"\xef\xbb\xbf" + xml)) == xml
    assert sitemap_body(Response("http://x/s.xml.gz", body=b"\x1f\x8b torn")) is None
    assert sitemap_body(Response("http://x/s.xml", body=b"not found")) is None

