"""Three portal shapes the ninth set of blind portals showed the generic crawl losing (tests/portal/homes9.py):
a 年报 column whose older years come from a GET 年份 form and whose further rows from a "加载更多"
button, a hash-router single-page app over POST APIs with a 下一页 button, and a central ministry
(registry `level: national`) whose 历年年报 grid reads only "2023年度" beside other provinces'
departments' reports.

Crawled once by the real crawl (chromium for the app and the load-more lists), then checked as a user
would: the archive's documents, the re-parsed reports' place and level, and what each server saw.
"""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from archive.completeness import completeness
from archive.reparse import reparse_all
from crawler.sources import SourcesError, parse_sources
from crawler.spiders.links import canonical_url, link_href
from crawler.spiders.owners import other_body
from crawler.spiders.pagers import load_more, select_options, shown_option_urls
from tests.portal.homes9 import AP, AP_COLUMN, AP_YEARS, QX, SL, Shapes9
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes9"), Shapes9.start) as done:
        yield done


@pytest.mark.parametrize("sid", [AP[0], QX[0], SL[0]])
def test_every_own_report_is_found_once_with_its_year_and_body(crawled, sid) -> None:
    # each found once, nothing else: no look-alike (图解, 网站年度报表, 法治), no other body's report
    assert_own_reports_found_once(crawled, sid, exact_agency=False)


def test_a_get_year_form_is_asked_once_per_year_as_a_query(crawled) -> None:
    """<form method=get action=''><select name=year>2025…2019: ?year=YYYY on the column, never
    the option value as a path (ndbg/2019 → 404).  The column as first served is the list of the
    year it marks selected (2025): that year is not asked for again as ?year=2025."""
    seen = [path for method, path, _ in crawled.shapes.requests[AP[0]] if method == "GET"]
    asked = {urlsplit(p).query for p in seen if urlsplit(p).path == AP_COLUMN and urlsplit(p).query}
    assert asked == {f"year={y}" for y in AP_YEARS if y != AP_YEARS[0]}
    assert AP_COLUMN in {urlsplit(p).path for p in seen if not urlsplit(p).query}  # 2025's list: the column
    assert not [p for p in seen if any(urlsplit(p).path.rstrip("/").endswith(f"/ndbg/{y}") for y in AP_YEARS)]
    errors = crawled.conn.execute("SELECT url, reason FROM crawl_errors WHERE source_id = ?", (AP[0],)).fetchall()
    assert not [tuple(e) for e in errors]


def test_load_more_is_pressed_until_the_list_ends(crawled) -> None:
    more = [p for _, p, _ in crawled.shapes.requests[AP[0]] if urlsplit(p).path.endswith("/more.json")]
    assert {urlsplit(p).query for p in more} == {"year=2025&offset=5", "year=2023&offset=5"}
    only_by_click = [t for t in crawled.shapes.truth if t.form == "load-more"]
    assert len(only_by_click) == 3
    urls = {r["url"] for r in reports(crawled, AP[0])}
    assert {crawled.shapes.bases[AP[0]] + t.url for t in only_by_click} <= urls
    # the city's report in the 上级政府年报 sidebar is another body's: not even fetched
    assert not [p for _, p, _ in crawled.shapes.requests[AP[0]] if "/sj/" in p]


def test_each_route_of_a_hash_router_app_is_its_own_page(crawled) -> None:
    """#/detail?id=N routes are different pages: every row on every 下一页 page is opened once."""
    seen = crawled.shapes.requests[QX[0]]
    lists = sorted(body for method, path, body in seen if path == "/api/xxgk/list")
    assert [f'"pageNo":{n}' in b for n, b in zip((1, 2, 3), lists, strict=False)] == [True] * 3
    details = [body for method, path, body in seen if path == "/api/xxgk/detail"]
    rows = len(crawled.shapes.qx_items)
    assert len(details) <= rows  # each route rendered once at most
    assert not [p for method, p, _ in seen if p.startswith("/api/xxgk/") and method != "POST"]  # no 405s
    pdf = next(t for t in crawled.shapes.truth if t.form == "pdf")
    files = crawled.conn.execute("SELECT url FROM documents WHERE kind = 'attachment' AND parent_url = ?",
                                 (crawled.shapes.bases[QX[0]] + pdf.url,)).fetchall()
    assert [urlsplit(r["url"]).path for r in files] == ["/api/file/download"]


def test_a_ministrys_year_grid_reports_are_titled_and_owned_by_their_pages(crawled) -> None:
    """Links reading only "2023年度": the recorded title and body are the article's (h1, 发文机关);
    the provinces' departments' reports in its 各地 block are theirs, not the ministry's."""
    found = {r["url"]: r for r in reports(crawled, SL[0])}
    base = crawled.shapes.bases[SL[0]]
    for t in crawled.shapes.truth:
        if t.site == SL[0] and t.form == "year-grid":
            row = found[base + t.url]
            assert row["title"].endswith("政府信息公开工作年度报告") and "山林资源部" in row["title"]
    assert not set(found) & {base + u for u in crawled.shapes.others[SL[0]]}


def test_the_ministry_is_placed_as_a_national_body(crawled) -> None:
    reparse_all(crawled.data, sources=crawled.sources)
    conn = sqlite3.connect(crawled.data / "nianbao.db")
    rows = conn.execute("SELECT r.level, r.province FROM reports r JOIN documents d ON d.id = r.document_id "
                        "WHERE d.source_id = ?", (SL[0],)).fetchall()
    assert rows and set(rows) == {("national", None)}
    matrix = [r for r in completeness(conn, 2019, 2024) if r["source_id"] == SL[0]]
    conn.close()
    assert {r["year"]: r["status"] for r in matrix} == dict.fromkeys(range(2019, 2025), "parsed")


def test_request_counts_stay_bounded(crawled) -> None:
    counts = {sid: len(seen) for sid, seen in crawled.shapes.requests.items()}
    # ap: ~10 pages on the way, 8 list pages (each also rendered), 2 load-more calls, 12 items;
    # qx: the shell per route, 3 list and ≤ 13 detail calls; sl: ~15
    assert counts[AP[0]] <= 60 and counts[QX[0]] <= 60 and counts[SL[0]] <= 30, counts


# --------------------------------------------------------------------------------- without a crawl

def page_at(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def test_a_get_year_select_builds_year_queries_within_the_report_years() -> None:
    form = ("<form method='get' action=''><select name='year'>" + "".join(
        f"<option value='{y}'>{y}年</option>" for y in (2099, 2024, 2023, 1999)) + "</select>"
        "<input type='hidden' name='channel' value='ndbg'><button type='submit'>查询</button></form>")
    urls = [u for u, _ in select_options(page_at("http://p.test/ndbg/index.html?year=2025", form))]
    assert urls == ["http://p.test/ndbg/index.html?channel=ndbg&year=2024",
                    "http://p.test/ndbg/index.html?channel=ndbg&year=2023"]
    script = ("<select name='y' onchange=\"location.search='?nd='+this.value\"><option value='2024'>2024</option>"
              "<option value='2023'>2023</option></select>")
    assert [u for u, _ in select_options(page_at("http://p.test/ndbg/", script))] == [
        "http://p.test/ndbg/?nd=2024", "http://p.test/ndbg/?nd=2023"]
    # option values that are list URLs stay URLs
    urls = ("<select onchange='location.href=this.value'><option value='list_2024.html'>2024</option>"
            "<option value='?year=2023'>2023</option></select>")
    assert [u for u, _ in select_options(page_at("http://p.test/ndbg/", urls))] == [
        "http://p.test/ndbg/list_2024.html", "http://p.test/ndbg/?year=2023"]
    # the search box is no year filter
    search = "<form method='get' action='/search/'><select name='year'><option value='2024'>2024</option></select></form>"
    assert not list(select_options(page_at("http://p.test/ndbg/", search)))


def test_the_year_a_column_shows_selected_is_that_column_page_not_another_list() -> None:
    form = ("<form method='get' action=''><select name='year'>" + "".join(
        f"<option value='{y}'{' selected' if y == 2025 else ''}>{y}年</option>" for y in (2025, 2024, 2023))
        + "</select><button type='submit'>查询</button></form>")
    column = page_at("http://p.test/ndbg/", form)
    assert shown_option_urls(column) == {"http://p.test/ndbg/?year=2025"}  # the list this page already is
    # asked with a year, or with no option the server marked, the page names no other address of itself
    assert not shown_option_urls(page_at("http://p.test/ndbg/?year=2024", form))
    assert not shown_option_urls(page_at("http://p.test/ndbg/", form.replace(" selected", "")))
    # a select whose form goes elsewhere lists another page's years
    assert not shown_option_urls(page_at("http://p.test/ndbg/", form.replace("action=''", "action='/nb/list'")))


def test_a_load_more_button_is_told_from_a_more_link() -> None:
    assert load_more(page_at("http://p.test/", "<ul><li>a</li></ul><button onclick='loadMore()'>加载更多</button>"))
    assert load_more(page_at("http://p.test/", "<a href='javascript:void(0)' class='more'>点击加载更多</a>"))
    assert not load_more(page_at("http://p.test/", "<a href='/ndbg/list.html'>查看更多</a>"))
    assert not load_more(page_at("http://p.test/", "<a href='#' onclick=\"location.href='/x/'\">查看更多</a>"))


def test_hash_routes_are_kept_apart_and_anchors_are_not() -> None:
    assert canonical_url("http://p.test/xxgk/#/detail?id=7") == "http://p.test/xxgk/#/detail?id=7"
    assert canonical_url("http://p.test/xxgk/#!/list/34") == "http://p.test/xxgk/#!/list/34"
    assert canonical_url("http://p.test/a.html?spm=1#top") == "http://p.test/a.html"
    links = Selector(text="<a href='#/detail?id=7'>x</a><a href='#top'>y</a><a href='#'>z</a>").css("a")
    assert [link_href(a) for a in links] == ["#/detail?id=7", "", ""]


def test_a_national_body_takes_no_local_bodys_report() -> None:
    ministry = SimpleNamespace(name="中华人民共和国山林资源部", level="national", region={})
    stand_in = SimpleNamespace(name="中华人民共和国山林资源部", level="province", region={"province": "全国"})
    for source in (ministry, stand_in):
        assert other_body("东林省山林资源厅", source)
        assert other_body("临川市山林资源局", source)
        assert not other_body("山林资源部信息中心", source)
        assert not other_body("中华人民共和国山林资源部", source)


def test_a_development_zones_short_name_is_no_place() -> None:
    """经开区 (经济技术开发区) heads its own reports on its 管委会's site: not another place's body."""
    zone = SimpleNamespace(name="澜沙经济开发区管理委员会", level="county",
                           region={"province": "南岭省", "city": "南屏市", "county": "澜沙县"})
    assert not other_body("经开区", zone)
    assert other_body("南屏市人民政府", zone)


def test_the_registry_describes_a_national_body_without_a_region() -> None:
    entry = ("- id: sl-ministry\n  name: 中华人民共和国山林资源部\n  level: national\n  kind: department\n"
             "  family: generic\n  start_urls: ['http://127.0.0.1/']\n")
    source = parse_sources(entry)[0]
    assert source.level == "national" and source.region == {"province": None, "city": None, "county": None}
    with pytest.raises(SourcesError, match="national body has no region"):
        parse_sources(entry + "  region: {province: 山东省}\n")
    with pytest.raises(SourcesError, match="missing region"):
        parse_sources(entry.replace("national", "province"))
    with pytest.raises(SourcesError, match="region.province is required"):
        parse_sources(entry.replace("national", "province") + "  region: {city: 临川市}\n")


def test_a_load_more_list_is_fetched_once(crawled) -> None:
    """A list whose 加载更多 needs the browser is asked of the server once: chromium renders the answer
    the crawl already has (the button's XHR is the only new request), not a second fetch of the list."""
    seen = [p for method, p, _ in crawled.shapes.requests[AP[0]] if method == "GET" and urlsplit(p).path == AP_COLUMN]
    assert seen, "the column was never fetched"
    twice = sorted({p for p in seen if seen.count(p) > 1})
    assert not twice, f"fetched more than once: {twice}"
