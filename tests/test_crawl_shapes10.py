"""Four portal shapes the tenth set of blind portals showed the generic crawl losing (tests/portal/homes10.py):
a soft JS challenge answered with HTTP 200 in front of a Java CMS with a script-written pager, a city
portal on https with a self-signed certificate whose links mix http:// and https:// to one host:port,
a department whose 年报 column only its 网站地图 links (rows opened by onclick and by a helper in an
external script), and a challenge no browser passes.

Crawled once by the real crawl (chromium for the challenges, the script-filled lists and the helper
rows), then checked as a user would: the archive's documents and snapshots, the crawl's error rows, and
what each server saw.
"""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.middlewares import browser_pdf_viewer, looks_like_js_challenge
from crawler.spiders.base import abbreviates, own_full_name
from crawler.spiders.links import link_href, link_text
from crawler.spiders.pagers import script_page_urls, script_written_pager
from crawler.spiders.render import script_rows
from tests.portal.homes10 import BK, HC, JD, JD_COLUMN, ML, ML_LIST, Shapes10
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes10"), Shapes10.start,
                         settings={"NIANBAO_CHALLENGE_WAIT_MS": 2000}) as done:
        yield done


def archived_bodies(crawled, url: str) -> list[bytes]:
    """The bytes of every snapshot archived for `url`."""
    rows = crawled.conn.execute("SELECT sha256 FROM snapshots WHERE url = ?", (url,)).fetchall()
    return [(crawled.data / "blobs" / "sha256" / r[0][:2] / r[0][2:4] / r[0]).read_bytes() for r in rows]


@pytest.mark.parametrize("sid", [ML[0], HC[0], JD[0]])
def test_every_own_report_is_found_once_with_its_year_and_body(crawled, sid) -> None:
    # each found once, nothing else: no 图解 or 部门决算 look-alike, no other city's report, no second URL of one page
    assert_own_reports_found_once(crawled, sid)
    assert not errors(crawled, sid)


def test_a_soft_challenge_is_passed_once_and_its_cookie_reused(crawled) -> None:
    """HTTP 200 + document.cookie + location.reload(): passed in chromium, then every page and file
    is fetched by Scrapy with the browser's cookie (no challenge per page), files as their bytes."""
    seen = crawled.shapes.requests[ML[0]]
    challenged = [path for _, path, _, cookie in seen if path != "/robots.txt" and "mlclear=ok" not in cookie]
    assert challenged == ["/", "/"], challenged  # Scrapy's first request, chromium's first load (then its reload)
    assert not [p for _, p, _, _ in seen if ";jsessionid=" in p]
    paths = [urlsplit(p).path for _, p, _, c in seen if "mlclear=ok" in c]
    assert len(paths) - len(set(paths)) <= 2, sorted(p for p in paths if paths.count(p) > 1)  # "/" twice at most
    files = {r["url"]: urlsplit(r["url"]).path.rsplit(".", 1)[1] for r in crawled.conn.execute(
        "SELECT url FROM documents WHERE source_id = ? AND (url LIKE '%.PDF' OR url LIKE '%.DOCX')", (ML[0],))}
    assert sorted(files.values()) == ["DOCX", "PDF", "PDF", "PDF"], files
    for url, kind in files.items():
        bodies = archived_bodies(crawled, url)
        assert any(b.startswith(b"%PDF" if kind == "PDF" else b"PK") for b in bodies), url
        assert not any(browser_pdf_viewer(b) for b in bodies), url


def test_a_script_written_pager_is_read_without_a_browser(crawled) -> None:
    """`var totalPage = 3` and '?page='+i in the list's own script: pages 2 and 3 asked once each."""
    asked = [urlsplit(p) for _, p, _, c in crawled.shapes.requests[ML[0]] if "mlclear" in c]
    lists = [u.path + (f"?{u.query}" if u.query else "") for u in asked if u.path == ML_LIST]
    assert sorted(lists) == [ML_LIST, f"{ML_LIST}?page=2", f"{ML_LIST}?page=3"]


def test_a_challenge_no_browser_passes_is_recorded_as_blocked(crawled) -> None:
    rows = errors(crawled, BK[0])
    assert rows and {reason for _, reason in rows} == {"blocked: js challenge"}, rows
    assert not reports(crawled, BK[0])
    # bounded: Scrapy's request and the browser's reloads within the wait, nothing walked beyond "/"
    assert {urlsplit(p).path for _, p, _, _ in crawled.shapes.requests[BK[0]]} <= {"/", "/robots.txt"}


def test_http_and_https_links_to_one_host_are_one_page(crawled) -> None:
    """The portal starts at https:// (self-signed) and its templates link http:// too: each page is
    fetched over one scheme only, the script-filled year lists render in chromium (no certificate
    error), and every report is recorded under one URL."""
    seen = crawled.shapes.requests[HC[0]]
    by_path: dict[str, set[str]] = {}
    for _, path, scheme, _ in seen:
        by_path.setdefault(path, set()).add(scheme)
    assert not {p: s for p, s in by_path.items() if len(s) > 1}
    assert {s for schemes in by_path.values() for s in schemes} == {"https"}
    assert {p for p in by_path if p.startswith("/api/list")} == {f"/api/list?year={y}" for y in (2024, 2023, 2022, 2021)}
    assert not [u for u in crawled.shapes.others[HC[0]] if any(p.startswith(u) for p in by_path)]
    urls = [r["url"] for r in crawled.conn.execute("SELECT url FROM documents WHERE source_id = ?", (HC[0],))]
    assert len(urls) == len(set(urls)) and all(u.startswith("https://") for u in urls)


def test_a_column_only_the_site_map_links_is_found_and_its_rows_read_in_one_page_load(crawled) -> None:
    seen = [p for _, p, _, _ in crawled.shapes.requests[JD[0]]]
    assert seen.count("/wzdt/") == 1
    # the column: its HTML once, one chromium load for the openDetail rows (public.js once with it)
    assert seen.count(JD_COLUMN) <= 2 and seen.count("/js/public.js") <= 1, (seen.count(JD_COLUMN), seen.count("/js/public.js"))
    assert len(seen) <= 40, len(seen)


def test_request_counts_stay_bounded(crawled) -> None:
    counts = {sid: len(seen) for sid, seen in crawled.shapes.requests.items()}
    # ml: ~8 pages on the way, 3 list pages, 14 items, 4 files; hc: ~8 pages, 4 sub-columns twice
    # (HTML, render) with their API calls, 8 items, 2 files; bk: robots, "/" and the browser's reloads
    assert counts[ML[0]] <= 45 and counts[HC[0]] <= 45 and counts[BK[0]] <= 60, counts


# --------------------------------------------------------------------------------- without a crawl

def response(body: str | bytes, status: int = 200, url: str = "http://p.test/") -> HtmlResponse:
    raw = body.encode() if isinstance(body, str) else body
    return HtmlResponse(url, status=status, body=raw, encoding="utf-8", headers={"Content-Type": "text/html"})


def test_a_soft_challenge_is_told_by_its_content_not_its_status() -> None:
    jsl = ("<html><body><script>document.cookie='__jsl_clearance_s='+(function(){return '1|2'})()+';path=/';"
           "location.reload();</script></body></html>")
    assert looks_like_js_challenge(response(jsl))
    assert looks_like_js_challenge(response(jsl, status=412))
    # a script redirect sets no cookie; a page with links and text is a page
    assert not looks_like_js_challenge(response("<script>location.href='/wjw/';</script>"))
    page = "<a href='/zwgk/'>政务公开</a><p>" + "欢迎访问" * 100 + "</p>" + jsl
    assert not looks_like_js_challenge(response(page))
    assert not looks_like_js_challenge(response(jsl, status=404))


def test_chromiums_pdf_viewer_is_no_file() -> None:
    shell = (b'<html><head></head><body style="height: 100%; width: 100%; overflow: hidden; margin:0px;">'
             b'<embed name="X" style="position:absolute; left: 0; top: 0;" width="100%" height="100%" '
             b'src="about:blank" type="application/pdf" internalid="X"></body></html>')
    assert browser_pdf_viewer(shell)
    assert not browser_pdf_viewer(b"%PDF-1.7 ...")
    assert not browser_pdf_viewer(b"<html><body><a href='/x.pdf'>x</a></body></html>")


def test_a_pager_written_by_script_names_its_pages() -> None:
    script = ("<div id='pager'></div><script>var totalPage = 3; var currentPage = 1; var s='';"
              "for(var i=1;i<=totalPage;i++){s+='<a href=\"?page='+i+'\">'+i+'</a>';}</script>")
    assert script_page_urls(response(script, url="http://p.test/col/col1010/index.html")) == [
        ("http://p.test/col/col1010/index.html?page=2", 2), ("http://p.test/col/col1010/index.html?page=3", 3)]
    kept = response(script.replace("?page=", "&pageNo=").replace("page='", "pageNo='"),
                    url="http://p.test/list.jsp?uid=7")
    assert [u for u, _ in script_page_urls(kept)] == ["http://p.test/list.jsp?uid=7&pageNo=2",
                                                     "http://p.test/list.jsp?uid=7&pageNo=3"]
    # a count without a page parameter (a carousel's) asks for nothing
    assert not script_page_urls(response("<script>var pageCount = 5; slide('?id='+n);</script>"))
    # a pager the script writes with links only a browser can follow: the list is rendered
    assert not script_written_pager(response(script + "<script>document.getElementById('pager').innerHTML=s;</script>"))
    clicks = script.replace("?page='+i+'", "javascript:gotoPage('+i+')")
    assert script_written_pager(response(clicks + "<script>document.getElementById('pager').innerHTML=s;</script>"))


def test_rows_opened_by_onclick_are_links_and_helper_rows_need_the_browser() -> None:
    html = ("<table><tr onclick=\"location.href='/nb/t1.html'\"><td>X局2024年政府信息公开工作年度报告</td>"
            "<td>2025-01-20</td></tr><tr><td><a href=\"javascript:openDetail('7521')\">X局2021年政府信息公开工作年度报告"
            "</a></td><td>2022-01-11</td></tr></table>")
    rows = Selector(text=html).css("tr[onclick]")
    assert [link_href(r) for r in rows] == ["/nb/t1.html"]
    assert [link_text(r) for r in rows] == ["X局2024年政府信息公开工作年度报告"]
    assert script_rows(response(html))
    assert not script_rows(response(html.replace("javascript:openDetail('7521')", "/nb/t2.html")))


def test_a_short_name_in_a_title_gives_way_to_the_bodys_full_name() -> None:
    source = SimpleNamespace(name="江夏市发展和改革委员会")
    assert abbreviates("江夏市发改委", "江夏市发展和改革委员会")
    assert not abbreviates("江夏市价格认证中心", "江夏市发展和改革委员会")
    assert own_full_name("江夏市发改委", source, "…_江夏市发展和改革委员会") == "江夏市发展和改革委员会"
    assert own_full_name("江夏市发改委", source, "没有全称的页面") == "江夏市发改委"
    assert own_full_name("江夏市粮食和物资储备中心", source, "江夏市发展和改革委员会") == "江夏市粮食和物资储备中心"
