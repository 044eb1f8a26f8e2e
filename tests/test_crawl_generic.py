"""The generic spider entered at a portal's home page, as every entry of the real registry is.

The five home-page portals of the replica (tests/portal/homes.py) are crawled from their roots by
the real crawl: ~300 links per home page, the 年报 column three hops down (or behind an iframe'd,
script-built 公开目录 tree, a department subsite's "更多>>", a 法定主动公开内容 catalogue node, or a
list fetched by script from a JSON API and paged by javascript:goPage(n)), traps (an infinite calendar, a
search page, print/share links, tracking-parameter duplicates, news titles naming 政务公开) and
look-alike columns (指南, 财政预决算, 政府工作报告, 统计公报, 法治政府建设年度报告).  Checked as a user
would: the archive's tables and what each portal's server saw.
"""

from __future__ import annotations

import base64
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pytest
import yaml
from parsel import Selector
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.run import crawl
from crawler.spiders.base import strip_session
from crawler.spiders.browser import turn_script_pages
from crawler.spiders.generic import NAV_MIN_SCORE, GenericSpider
from crawler.spiders.links import block_heading, canonical_url, link_href, link_text, row_title, viewer_target
from crawler.spiders.navscore import catalogue_node, nav_score
from crawler.spiders.pagers import script_pager
from crawler.spiders.render import script_shell
from tests.portal.homes import HOME_IDS as FIRST_HOME_IDS
from tests.portal.homes2 import HOME2_IDS
from tests.portal.server import SITE, Replica

FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING"}
# Reaching the reports takes ~20 requests per portal (robots, home, 2–3 menu pages, an iframe, two
# list pages, the items and attachments).  40 leaves room for a few misjudged links, yet is far
# below what following even a seventh of a home page's ~300 links would cost.
REQUEST_LIMIT = 40
HOME_IDS = FIRST_HOME_IDS + HOME2_IDS + ("hs-slt",)  # each publishes its own 2019–2024 reports
SIBLING_SOURCE = "jx-county-gov"  # its reports sit on its sibling host jx-xxgk (homes3.py)
SPA_SOURCE = "yq-county-gov"  # a click-only single-page app; its browser's API calls do not fit REQUEST_LIMIT
JAVA_SOURCE = "jt-town-gov"  # session ids in every link, an endless pager, an image-map nav (homes4.py)
SCRIPT_LINK_SOURCE = "hx-district-gov"  # links opened by script helpers, a POST year form (homes5.py)
LOOKALIKE_COLUMNS = ("/gkzn/", "/gkzd/", "/czyjs/", "/zfgzbg/", "/tjgb/", "/fzzfjs/", "/xxgkzn/", "/xxgkzd/", "/czzj/",
                     "/col/col201/", "/col/col202/", "/col/col213/", "/col/col214/", "/col/col215/", "/col/col216/")


def home_sources(rep: Replica, path: Path) -> Path:
    entries = [e for e in rep.sources() if e["id"] in (*HOME_IDS, SIBLING_SOURCE, SPA_SOURCE, JAVA_SOURCE,
                                                          SCRIPT_LINK_SOURCE)]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-generic")
    with Replica.start(faults=False, homes=True) as rep:
        run_id = crawl(data, sources_path=home_sources(rep, data / "sources.yaml"), settings=FAST)
        yield {"data": data, "run": run_id, "seen": list(rep.requests), "reports": rep.reports(),
               "manifest": rep.manifest, "url": rep.url}


def db(data: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def own_reports(crawled, pid: str) -> list[dict]:
    return [r for r in crawled["reports"] if r["portal_id"] == pid and not r.get("other_body")]


@pytest.mark.parametrize("pid", HOME_IDS)
def test_every_report_2019_to_2024_is_found_from_the_home_page(crawled, pid) -> None:
    conn = db(crawled["data"])
    found = {r["url"]: r for r in conn.execute(
        "SELECT * FROM documents WHERE kind = 'report' AND source_id = ?", (pid,))}
    expected = {r["url"]: r for r in own_reports(crawled, pid)}
    assert sorted(r["year"] for r in expected.values()) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert set(found) == set(expected)  # all of them, and no look-alike, no duplicate URL
    for url, report in expected.items():
        assert found[url]["title"] == report["title"]
        assert found[url]["year"] == report["year"]


@pytest.mark.parametrize("pid", HOME_IDS)
def test_attachments_are_fetched_with_their_report_page(crawled, pid) -> None:
    conn = db(crawled["data"])
    got = {r["url"]: r["parent_url"] for r in conn.execute(
        "SELECT url, parent_url FROM documents WHERE kind = 'attachment' AND source_id = ?", (pid,))}
    expected = {r["attachment_url"]: r["url"] for r in own_reports(crawled, pid) if r.get("attachment_url")}
    assert expected and got == expected
    for url in expected:
        row = conn.execute("SELECT status, size FROM snapshots WHERE url = ?", (url,)).fetchone()
        assert row["status"] == 200 and row["size"] > 5000


@pytest.mark.parametrize("pid", HOME_IDS)
def test_the_walk_stays_within_a_small_budget(crawled, pid) -> None:
    seen = [s for s in crawled["seen"] if s.portal_id == pid]
    assert len(seen) <= REQUEST_LIMIT, [s.path for s in seen]
    assert not any(s.path.startswith("/admin/") for s in seen)
    conn = db(crawled["data"])
    row = conn.execute("SELECT * FROM crawl_run_sources WHERE run_id = ? AND source_id = ?",
                       (crawled["run"], pid)).fetchone()
    assert row["errors"] == 0 and row["reports_found"] == 6


def test_a_viewer_link_is_fetched_as_its_file_and_never_recorded(crawled) -> None:
    """hs-slt's 年报 open pdf.js and kkFileView: the files they wrap are the reports (or the
    attachments of pages that only frame a viewer); no viewer page is a document, none errs."""
    conn = db(crawled["data"])
    urls = [r["url"] for r in conn.execute("SELECT url FROM documents WHERE source_id = 'hs-slt'")]
    assert urls and not [u for u in urls if "viewer" in u or "Preview" in u]
    seen = [s.path for s in crawled["seen"] if s.portal_id == "hs-slt"]
    assert not [p for p in seen if p.startswith(("/pdfjs/", "/kkfile/"))]  # unwrapped, not fetched
    for url in urls:
        if url.endswith(".pdf"):
            row = conn.execute("SELECT content_type FROM snapshots WHERE url = ?", (url,)).fetchone()
            assert "pdf" in row["content_type"]


def test_a_sibling_host_in_the_registry_is_walked_like_the_start_host(crawled) -> None:
    """jx-county-gov's www host only links its 政府信息公开 on the sibling host (allowed_domains lists
    both): the county's six reports and the departments' in the 汇总 table ("查看" / bare-year cells,
    two straight to a PDF) are found and recorded under the www entry."""
    conn = db(crawled["data"])
    found = {r["url"]: r for r in conn.execute(
        "SELECT * FROM documents WHERE kind = 'report' AND source_id = ?", (SIBLING_SOURCE,))}
    expected = {r["url"]: r for r in crawled["reports"] if r["portal_id"] == "jx-xxgk"}
    assert len(expected) == 10 and set(found) == set(expected)
    for url, report in expected.items():
        assert (found[url]["year"], found[url]["agency"]) == (report["year"], report["agency"])
    assert {s.portal_id for s in crawled["seen"] if s.path.startswith("/ndbg/")} == {"jx-xxgk"}


def test_a_click_only_single_page_app_is_read_through_chromium(crawled) -> None:
    """yq-county-gov's 年报 sit behind a <div data-href> menu, <div data-id> rows with click handlers
    and a <button> 下一页; each detail page is drawn by script.  All six reports are found, none of
    the look-alike rows, and each report's text (the rendered page) and file are archived."""
    conn = db(crawled["data"])
    found = {r["url"]: r for r in conn.execute(
        "SELECT * FROM documents WHERE kind = 'report' AND source_id = ?", (SPA_SOURCE,))}
    expected = {r["url"]: r for r in own_reports(crawled, SPA_SOURCE)}
    assert len(expected) == 6 and set(found) == set(expected)
    for url, report in expected.items():
        assert (found[url]["title"], found[url]["year"]) == (report["title"], report["year"])
        rendered = conn.execute("SELECT COUNT(*) FROM snapshots WHERE url = ? AND rendered = 1", (url,)).fetchone()[0]
        assert rendered, url  # not only the empty shell the server sends
    got = {r["url"]: r["parent_url"] for r in conn.execute(
        "SELECT url, parent_url FROM documents WHERE kind = 'attachment' AND source_id = ?", (SPA_SOURCE,))}
    assert got == {r["attachment_url"]: r["url"] for r in expected.values() if r.get("attachment_url")}


def test_traps_and_lookalike_columns_are_not_walked(crawled) -> None:
    for s in crawled["seen"]:
        parts = urlsplit(s.path)
        assert not parts.path.startswith(("/rl/", "/search/", "/print.jsp", "/xwzx/", "/user/", "/ztzl/")), s
        assert not any(key in parts.query for key in ("date=", "from=", "source=")), s
        assert not any(col in parts.path for col in LOOKALIKE_COLUMNS), s
    conn = db(crawled["data"])
    titles = [r["title"] for r in conn.execute("SELECT title FROM documents WHERE kind = 'report'")]
    for word in ("指南", "预算", "决算", "统计公报", "政府工作报告", "法治政府", "图解", "一图读懂", "通知"):
        assert not any(word in t for t in titles), word


def test_each_list_page_style_is_followed(crawled) -> None:
    paths = {(s.portal_id, s.path) for s in crawled["seen"]}
    assert ("ha-liuhe-gov", "/zwgk/zfxxgk/gknb/index_1.html") in paths  # TRS createPageHTML script
    assert ("yz-edu", "/sjyj/xxgk/xxgknb/index.html?page=2") in paths  # numbered links and 下一页
    assert ("qc-district", "/col/col230/index.html?uid=4321&pageNum=2") in paths  # numbered links only
    # a 年报 hub: every sub-column (reached by tabs and 更多>> naming no report) is paged to its end
    for sub, last in (("szf", 3), ("sbm", 2), ("ssz", 2)):
        assert ("nh-prov-gov", f"/zwgk/zfxxgkzl/xxgknb/{sub}/index_{last}.html") in paths
    # onclick="window.open(…)" links and a <select> year filter's options
    assert {("lc-county-gov", f"/zwgk/ndbg/list_{y}.html") for y in (2019, 2020, 2021)} <= paths


def test_department_subsite_never_walks_up_into_the_city_portal(crawled) -> None:
    seen = [s.path for s in crawled["seen"] if s.portal_id == "yz-edu"]
    assert all(p == "/robots.txt" or p.startswith("/sjyj/") for p in seen), seen
    conn = db(crawled["data"])
    city = [r["url"] for r in crawled["reports"] if r["portal_id"] == "yz-edu" and r.get("other_body")]
    assert city and not conn.execute(
        f"SELECT url FROM documents WHERE url IN ({','.join('?' * len(city))})", city).fetchall()


def test_script_built_catalogue_in_an_iframe_is_read_through_chromium(crawled) -> None:
    conn = db(crawled["data"])
    rows = conn.execute("SELECT rendered, note FROM snapshots WHERE url = ? ORDER BY rendered",
                        (crawled["url"]("qc-district", "/module/xxgk/tree.html"),)).fetchall()
    assert [r["rendered"] for r in rows] == [0, 1] and "chromium" in rows[1]["note"]


def test_a_source_budget_ends_a_walk_early(tmp_path) -> None:
    with Replica.start(faults=False, homes=True) as rep:
        entries = [e for e in rep.sources() if e["id"] == "ha-liuhe-gov"]
        registry = tmp_path / "sources.yaml"
        registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        crawl(tmp_path, sources_path=registry, settings={**FAST, "NIANBAO_GENERIC_MAX_PAGES": 1})
        seen = [s.path for s in rep.requests]
    assert seen == ["/robots.txt", "/", "/zwgk/index.html"]  # one walked page, then nothing more


# ----------------------------------------------------------------------------- link judgement

def test_nav_score_ranks_the_path_to_the_column_above_its_lookalikes() -> None:
    on_path = [("政府信息公开年报", "/zwgk/zfxxgk/gknb/index.html"), ("政府信息公开", "/zwgk/zfxxgk/index.html"),
               ("政务公开", "/zwgk/index.html"), ("信息公开", "/sjyj/xxgk/index.html"),
               ("历年年报", "/col/col230/index.html")]
    off_path = [("政府信息公开指南", "/zwgk/zfxxgk/gkzn/"), ("政府信息公开制度", "/zwgk/zfxxgk/gkzd/"),
                ("财政预决算", "/zwgk/czyjs/"), ("政府工作报告", "/zwgk/zfgzbg/"), ("统计公报", "/zwgk/tjgb/"),
                ("法治政府建设年度报告", "/zwgk/fzzfjs/"), ("企业年报公示专栏", "/ztzl/qynb/"),
                ("政府信息公开年报", "/search/index.html?q=年报"), ("柳河县召开2025年政务公开工作推进会", "/xwzx/1.html"),
                ("柳河县政府信息公开工作年度报告编制说明", "/xwzx/2.html"), ("打印本页", "/print.jsp"), ("15", "/rl/?date=1")]
    assert all(nav_score(t, u) >= NAV_MIN_SCORE for t, u in on_path)
    assert all(nav_score(t, u) < NAV_MIN_SCORE for t, u in off_path)
    assert nav_score(*on_path[0]) > nav_score(*on_path[1]) > nav_score("走进柳河", "/zjlh/")


def test_a_more_link_is_judged_by_its_block_heading() -> None:
    page = Selector('<div class="block"><div class="block-hd"><span class="name">信息公开年报</span>'
                    '<a class="more" href="/x/">更多&gt;&gt;</a></div><ul><li><a href="/a">甲</a></li></ul></div>')
    assert block_heading(page.css("a.more")[0]) == "信息公开年报"


def test_tracking_parameters_are_dropped() -> None:
    assert canonical_url("http://h/zwgk/index.html?from=banner") == "http://h/zwgk/index.html"
    assert canonical_url("http://h/a.html?source=hot#top") == "http://h/a.html"
    assert canonical_url("http://h/col/index.html?uid=4321&pageNum=2") == "http://h/col/index.html?uid=4321&pageNum=2"
    assert canonical_url("http://h/c.html?id=5&spm=1.2&utm_source=x") == "http://h/c.html?id=5"


def test_from_the_disclosure_catalogue_only_the_report_column_is_followed() -> None:
    """Fed the 政府信息公开 page of the county portal: of its catalogue's nine links only the 年报
    column is asked for (besides the page chrome's 政务公开), and ahead of anything else."""
    source = SimpleNamespace(id="liuhe", family="generic", start_urls=["http://portal.test/"],
                             allowed_domains=["portal.test"], overrides={})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(SITE / ".unused")})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    url = "http://portal.test/zwgk/zfxxgk/index.html"
    body = (SITE / "ha-liuhe-gov" / "zwgk" / "zfxxgk" / "index.html").read_bytes()
    response = HtmlResponse(url, body=body, request=Request(url, meta={"source_id": "liuhe"}))
    requests = [r for r in spider.parse_list(response, depth=1) if isinstance(r, Request)]
    catalogue = {urlsplit(response.urljoin(h)).path for h in response.css(".gkml a::attr(href)").getall()}
    asked = sorted(requests, key=lambda r: -r.priority)
    assert len(catalogue) == 9
    assert [urlsplit(r.url).path for r in asked if urlsplit(r.url).path in catalogue] == ["/zwgk/zfxxgk/gknb/index.html"]
    assert urlsplit(asked[0].url).path == "/zwgk/zfxxgk/gknb/index.html" and asked[0].cb_kwargs["depth"] == 2
    assert asked[0].priority > max(r.priority for r in asked[1:])


# ----------------------------------------------------------------------------- the replica's home portals

def test_home_portals_are_opt_in_and_serve_their_traps() -> None:
    import urllib.request

    with Replica.start(faults=False) as rep:
        assert not set(HOME_IDS) & set(rep.portal_ids)
    with Replica.start(faults=False, homes=True) as rep:
        def get(pid: str, path: str) -> str:
            with urllib.request.urlopen(rep.url(pid, path), timeout=10) as resp:
                charset = resp.headers.get_content_charset() or "utf-8"
                return resp.read().decode(charset)

        home = Selector(get("ha-liuhe-gov", "/"))
        assert len(home.css("a[href]")) >= 250
        day = get("ha-liuhe-gov", "/rl/index.html?date=2031-07-09")  # any date, forever
        assert "/rl/index.html?date=2031-08-01" in day and "/rl/index.html?date=2031-06-01" in day
        page2 = get("yz-edu", "/sjyj/xxgk/xxgknb/index.html?page=2")
        assert page2 == get("yz-edu", "/sjyj/xxgk/xxgknb/index_2.html") != get("yz-edu", "/sjyj/xxgk/xxgknb/")
        tree = get("qc-district", "/module/xxgk/tree.html")
        assert "政府信息公开年报" in tree and not Selector(tree).css("a[href]")  # links only once script runs


def test_a_portal_page_with_a_report_block_is_not_walked_item_by_item() -> None:
    """A home page's block headed 政府信息公开年报 (latest reports) among its news blocks: the reports
    are taken, but the news items are not fetched one by one as if the page were the column."""
    source = SimpleNamespace(id="home", family="generic", start_urls=["http://portal.test/"],
                             allowed_domains=["portal.test"], overrides={})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(SITE / ".unused")})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    news = "".join(f'<li><a href="/xw/{i}.html">某县第{i}次常务会议研究部署重点工作</a></li>' for i in range(12))
    body = ("<html><head><title>某县人民政府</title></head><body>"
            f"<h3>今日要闻</h3><ul>{news}</ul><h3>通知公告</h3><ul>{news.replace('/xw/', '/tz/')}</ul>"
            '<h3>政府信息公开年报</h3><ul><li><a href="/nb/1.html">某县人民政府2024年政府信息公开工作年度报告</a></li></ul>'
            "</body></html>").encode()
    response = HtmlResponse("http://portal.test/", body=body, request=Request("http://portal.test/",
                                                                             meta={"source_id": "home"}))
    asked = [urlsplit(r.url).path for r in spider.parse_list(response) if isinstance(r, Request)]
    assert asked == ["/nb/1.html"]


def test_navigation_scope_follows_where_the_registry_starts() -> None:
    spider = GenericSpider(sources=[])

    def scope(url: str) -> list[str]:
        return spider.scopes(SimpleNamespace(start_urls=[url]))

    assert scope("http://www.x.gov.cn/") == scope("http://www.x.gov.cn") == ["/"]
    assert scope("https://www.henan.gov.cn/zwgk/") == scope("https://www.beijing.gov.cn/gongkai/") == ["/"]
    assert scope("http://www.x.gov.cn/sjyj/") == ["/sjyj/"]  # a department's subsite on the city's host
    assert scope("http://h/zwgk/xxgknb/index.html") == ["/zwgk/xxgknb/"]  # a column


def catalogue_page(script: str) -> HtmlResponse:
    chrome = "".join(f'<a href="/{c}/index.html">{t}</a>' for t, c in (("首页", "sy"), ("走进清川", "zjqc"),
                                                                      ("政务服务", "zwfw"), ("互动交流", "hdjl"),
                                                                      ("清川区政务服务网", "fw"), ("区长信箱留言查询", "xx")))
    body = (f'<html><head><meta charset="utf-8"><title>政务公开</title></head><body>{chrome}'
            f'<div id="tree"></div><script>{script}</script></body></html>').encode()
    url = "http://portal.test/col/col101/index.html"
    return HtmlResponse(url, body=body, request=Request(url, meta={"source_id": "home"}))


def test_a_catalogue_written_by_script_on_a_page_is_read_through_the_browser() -> None:
    source = SimpleNamespace(id="home", family="generic", start_urls=["http://portal.test/"],
                             allowed_domains=["portal.test"], overrides={})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(SITE / ".unused")})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    tree = ('var zNodes = [{"name": "政府信息公开年报", "url": "/col/col230/index.html"}];'
            'zNodes.forEach(function (n) { var a = document.createElement("a"); a.href = n.url;'
            ' a.textContent = n.name; document.getElementById("tree").appendChild(a); });')
    asked = [r for r in spider.parse_list(catalogue_page(tree), depth=1) if isinstance(r, Request)]
    assert [(r.url, bool(r.meta.get("playwright"))) for r in asked] == [(
        "http://portal.test/col/col101/index.html", True)]
    # a page whose script only decorates (no catalogue in it) is not sent to the browser
    widget = 'document.getElementById("tree").innerHTML = "<span>" + new Date().getFullYear() + "</span>";'
    assert not [r for r in spider.parse_list(catalogue_page(widget), depth=1) if isinstance(r, Request)]


# ----------------------------------------------------------------------------- blind-examiner shapes

def test_a_column_inside_a_catalogue_node_is_found_and_nodes_wait_in_reserve(crawled) -> None:
    """dz-city-gov: nothing on the way names a report; the column is a sub-column of 法定主动公开内容.
    Where the better-named links reach a column (qc-district's tree names 年报), the catalogue's
    法定主动公开内容 node is never walked."""
    dz = [s.path for s in crawled["seen"] if s.portal_id == "dz-city-gov"]
    assert "/xxgk/fdzdgknr/index.html" in dz and "/xxgk/fdzdgknr/ndbg/index_1.html" in dz
    assert not any(p.startswith(("/xxgk/fdzdgknr/czyjs/", "/xxgk/fdzdgknr/fzzf/")) for p in dz)
    qc = [s.path for s in crawled["seen"] if s.portal_id == "qc-district"]
    assert "/col/col210/index.html" not in qc


def test_a_list_built_by_script_is_read_and_paged_in_the_browser(crawled) -> None:
    """xh-county-gov: the column's HTML has no item; chromium runs its XHR and clicks the
    javascript:goPage(n) pager through all three pages."""
    xh = [s.path for s in crawled["seen"] if s.portal_id == "xh-county-gov"]
    assert {f"/api/infolist?channel=nb&page={n}" for n in (1, 2, 3)} <= set(xh)
    conn = db(crawled["data"])
    rows = conn.execute("SELECT rendered FROM snapshots WHERE url = ? ORDER BY rendered",
                        (crawled["url"]("xh-county-gov", "/zwgk/xxgk/nb/index.html"),)).fetchall()
    assert [r["rendered"] for r in rows] == [0, 1]


def spider_for(start: str) -> GenericSpider:
    source = SimpleNamespace(id="s", family="generic", start_urls=[start], allowed_domains=["portal.test"], overrides={})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(SITE / ".unused")})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    return spider


def page_at(url: str, body: str, title: str = "政府信息公开年报") -> HtmlResponse:
    html = f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'
    return HtmlResponse(url, body=html.encode(), request=Request(url, meta={"source_id": "s"}))


NEWS_BLOCK = "<h3>要闻动态</h3><ul>" + "".join(
    f'<li><a href="/xwzx/{i}.html">某县部署年度报告编制工作第{i}次会议召开</a><span>2025-03-0{i % 9 + 1}</span></li>'
    for i in range(30)) + "</ul>"


def test_column_candidates_come_from_its_own_list_not_the_news_block() -> None:
    spider = spider_for("http://portal.test/")
    column = ('<ul class="list"><li><a href="/nb/1.html">某县人民政府2024年政府信息公开工作年度报告</a><span>2025-01-10</span></li>'
              '<li><a href="/nb/2.html">某县年度工作情况（二〇二三）</a><span>2024-01-10</span></li></ul>')
    asked = [r for r in spider.parse_list(page_at("http://portal.test/nb/index.html", column + NEWS_BLOCK), depth=2)
             if isinstance(r, Request)]
    assert sorted(urlsplit(r.url).path for r in asked) == ["/nb/1.html", "/nb/2.html"]  # the odd title too


def test_a_subsite_keeps_to_its_directory_but_takes_its_files_from_the_host() -> None:
    spider = spider_for("http://portal.test/xzjd/baishui/")
    assert spider.scopes(spider.sources["s"]) == ["/xzjd/baishui/"]
    assert spider.scopes(SimpleNamespace(start_urls=["http://portal.test/xzjd/baishui"])) == ["/xzjd/baishui/"]
    assert spider.scopes(SimpleNamespace(start_urls=["http://portal.test/xzjd/baishui/zwgk/"])) == ["/xzjd/baishui/"]
    strip = ('<ul class="county"><li><a href="/">某县人民政府</a></li><li><a href="/zwgk/nb/">县政府信息公开年报</a></li>'
             '<li><a href="/zwgk/nb/c1.html">某县人民政府2024年政府信息公开工作年度报告</a></li></ul>')
    column = ('<ul class="list"><li><a href="/xzjd/baishui/nb/t1.html">白水镇2024年政府信息公开工作年度报告</a></li>'
              '<li><a href="/module/download.jsp?id=6005">2020年白水镇政府信息公开工作年度报告</a></li></ul>')
    asked = [urlsplit(r.url).path + (f"?{urlsplit(r.url).query}" if urlsplit(r.url).query else "")
             for r in spider.parse_list(page_at("http://portal.test/xzjd/baishui/nb/", strip + column), depth=2)
             if isinstance(r, Request)]
    assert sorted(asked) == ["/module/download.jsp?id=6005", "/xzjd/baishui/nb/t1.html"]


def test_a_script_pager_sends_the_column_to_the_browser() -> None:
    """Page 1 in the HTML, page 2 only through javascript:goPage(2): page 1's reports are taken at
    once, and the page is asked for again through chromium, whose pager walk reaches the rest."""
    spider = spider_for("http://portal.test/")
    column = ('<ul id="list"><li><a href="/nb/1.html">某县人民政府2024年政府信息公开工作年度报告</a></li></ul>'
              '<div id="pager"><a href="javascript:goPage(1)">1</a> <a href="javascript:goPage(2)">2</a> '
              '<a href="javascript:goPage(2)">下一页</a></div><script>function goPage(n) {}</script>')
    response = page_at("http://portal.test/nb/index.html", column)
    assert script_pager(response)
    asked = [r for r in spider.parse_list(response, depth=2) if isinstance(r, Request)]
    rendered = [r for r in asked if r.meta.get("playwright")]
    assert [r.url for r in rendered] == ["http://portal.test/nb/index.html"]
    methods = [m.method for m in rendered[0].meta["playwright_page_methods"]]
    assert methods[0] == "wait_for_load_state" and methods[-1] is turn_script_pages
    assert "http://portal.test/nb/1.html" in [r.url for r in asked]
    # a share/print bar written as javascript: links is no pager
    assert not script_pager(page_at("http://portal.test/a.html", '<a href="javascript:window.print()">打印</a>'
                                    '<a href="javascript:void(0)">设为首页</a>'))


def test_catalogue_nodes_are_recognised_but_lookalikes_are_not() -> None:
    for text in ("法定主动公开内容", "主动公开目录", "其他法定公开内容", "政府信息公开目录"):
        assert catalogue_node(text, "/xxgk/x/"), text
    for text in ("依申请公开", "政府信息公开指南", "关于做好主动公开工作的通知", "财政预决算"):
        assert not catalogue_node(text, "/xxgk/x/"), text


def test_a_report_titled_link_to_a_list_is_walked_as_a_list_not_recorded() -> None:
    """A tree's year node reading "2024年度政府信息公开工作年度报告" opens that year's list: the page
    has no report text and lists reports (and a pager), so it is walked, and its items are taken."""
    spider = spider_for("http://portal.test/")
    year_list = ('<div class="crumb">政府信息公开年报 &gt; 2024年度</div><table>'
                 '<tr><td><a href="/nb/2024/a.html">某区人民政府2024年政府信息公开工作年度报告</a></td><td>2025-01-17</td></tr>'
                 '<tr><td><a href="/bm/b1/c.html">某区教育局2024年政府信息公开工作年度报告</a></td><td>2025-01-13</td></tr>'
                 '</table><div class="page"><a href="index_1.html">下一页</a></div>')
    response = page_at("http://portal.test/nb/2024/index.html", year_list, title="2024年度")
    out = list(spider.parse_report(response, info={"title": "2024年度政府信息公开工作年度报告", "year": 2024}))
    assert not [o for o in out if not isinstance(o, Request)]  # no document row for the list
    assert {urlsplit(r.url).path for r in out} == {"/nb/2024/a.html", "/bm/b1/c.html", "/nb/2024/index_1.html"}
    # a report page (long text, one related link) stays a report
    body = "<h1>某区人民政府2023年政府信息公开工作年度报告</h1><p>" + "一、总体情况。主动公开政府信息。" * 80 + "</p>"
    report = page_at("http://portal.test/nb/2023/b.html", body + '<ul><li><a href="/nb/2024/a.html">'
                     '某区人民政府2024年政府信息公开工作年度报告</a></li></ul>', title="年度报告")
    assert not spider.is_list_page(report, spider.sources["s"])


def test_year_nodes_under_a_report_tree_node_are_followed_as_its_lists() -> None:
    spider = spider_for("http://portal.test/")
    tree = ('<div class="tree"><ul><li><a href="/gk/zn/">政府信息公开指南</a></li>'
            '<li class="parent"><a href="javascript:;" onclick="toggle(this)">法定主动公开内容</a><ul style="display:none">'
            '<li><a href="/gk/jgzn/">机构职能</a></li></ul></li>'
            '<li class="parent"><a href="javascript:;" onclick="toggle(this)">政府信息公开年报</a><ul style="display:none">'
            + "".join(f'<li><a href="/gk/nb/{y}nd/index.html" target="mainframe">{y}年度</a></li>' for y in (2024, 2023))
            + "</ul></li></ul></div>")
    asked = [r for r in spider.parse_list(page_at("http://portal.test/gk/", tree, title="信息公开目录"), depth=1)
             if isinstance(r, Request)]
    walked = {urlsplit(r.url).path: r.cb_kwargs.get("column") for r in asked}
    assert walked == {"/gk/nb/2024nd/index.html": True, "/gk/nb/2023nd/index.html": True}


def test_links_without_a_real_href_and_bare_download_links() -> None:
    sel = Selector(text='<a href="javascript:void(0)" onclick="window.open(\'/nb/1.html\',\'_blank\')">x</a>'
                        '<a href="#" onclick="location.href=\'/nb/2.html\'">y</a>'
                        '<a href="javascript:window.print()">打印</a>'
                        '<table><tr><td>3</td><td>某开发区2021年政府信息公开工作年度报告</td><td>2022-01-19</td>'
                        '<td><a href="/up/4.pdf">下载</a></td></tr></table>')
    assert [link_href(a) for a in sel.css("a")] == ["/nb/1.html", "/nb/2.html", "", "/up/4.pdf"]
    assert row_title(sel.css("a")[3]) == "某开发区2021年政府信息公开工作年度报告"


def test_a_file_viewer_link_is_the_file_it_wraps() -> None:
    """pdf.js, kkFileView (base64 of the absolute file URL) and a …/preview?fileUrl= link are the
    file; a download servlet's ?file= is not a viewer, and a page link stays itself."""
    kk = base64.b64encode(b"http://portal.test/uploads/2024/nb.docx").decode()
    assert viewer_target("http://portal.test/pdfjs/web/viewer.html?file=%2Fuploads%2F2025%2Fnb.pdf") \
        == "http://portal.test/uploads/2025/nb.pdf"
    assert viewer_target(f"http://portal.test/kkfile/onlinePreview?url={quote(kk, safe='')}") \
        == "http://portal.test/uploads/2024/nb.docx"
    assert viewer_target("http://portal.test/api/preview?fileUrl=http%3A%2F%2Ffiles.test%2Fa%2Fb.pdf") \
        == "http://files.test/a/b.pdf"
    assert viewer_target("http://portal.test/module/download/downfile.jsp?file=/up/a.pdf") is None
    assert viewer_target("http://portal.test/zwgk/nb/index.html?page=2") is None
    # every link the walk reads goes through canonical_url: a viewer link is fetched as its file
    assert canonical_url("http://portal.test/pdfjs/web/viewer.html?file=/up/a.pdf#page=1") == "http://portal.test/up/a.pdf"


def test_an_article_that_only_frames_a_viewer_yields_the_file() -> None:
    spider = spider_for("http://portal.test/")
    body = ("<h1>某厅2022年政府信息公开工作年度报告</h1><iframe src='/pdfjs/web/viewer.html?file=%2Fup%2F2022.pdf'>"
            "</iframe><p><a href='/pdfjs/web/viewer.html?file=/up/x.pdf#page=1'>点击查看</a></p>"
            "<object data='/up/y.pdf'></object>")
    page, source = page_at("http://portal.test/nb/a.html", body), spider.sources["s"]
    found = {u for u, _ in [*spider.attachments(page, source), *spider.embedded(page, source)]}
    assert found == {"http://portal.test/up/2022.pdf", "http://portal.test/up/x.pdf", "http://portal.test/up/y.pdf"}


def test_a_summary_table_cell_is_titled_by_its_row_and_column() -> None:
    sel = Selector(text="<h2>县直部门政府信息公开工作年度报告汇总</h2><table><tr><th>单位</th><th>2024年度</th>"
                        "<th>2023年度</th></tr><tr><td>某县教育局</td><td><a href='/up/a.pdf'>查看</a></td>"
                        "<td><a href='/b.html'>2023</a></td></tr></table>")
    assert [link_text(a) for a in sel.css("a")] == ["某县教育局2024年度政府信息公开工作年度报告",
                                                    "某县教育局2023年度政府信息公开工作年度报告"]


def test_sibling_hosts_the_registry_lists_or_the_www_host_implies() -> None:
    spider = spider_for("http://www.county.gov.test/")
    source = spider.sources["s"]
    source.allowed_domains = ["www.county.gov.test", "gk.other.test"]
    assert spider.on_site("http://www.county.gov.test/a.html", source)
    assert spider.on_site("http://gk.other.test/nb/", source)  # listed in allowed_domains
    assert spider.on_site("http://xxgk.county.gov.test/ndbg/", source)  # 信息公开 sibling of www
    assert not spider.on_site("http://xiangzhen.county.gov.test/", source)  # a town's own sub-site
    assert not spider.on_site("http://www.county.gov.test:8080/", source)  # another server on the host
    assert spider.in_scope("http://xxgk.county.gov.test/ndbg/index.html", source)
    req = spider.request("http://xxgk.county.gov.test/", source, spider.parse_list)
    assert req.meta["allow_offsite"]


def test_a_script_shell_is_rendered_but_a_plain_page_is_not() -> None:
    shell = ('<div class="nav"><a href="/">首页</a></div><div id="app"><div class="loading">加载中…</div></div>'
             "<script>fetch('/prod-api/list').then(r => r.json())</script>")
    assert script_shell(page_at("http://portal.test/zwgk/", shell))
    assert script_shell(page_at("http://portal.test/gkmlpt/index", "<div id='tree'></div><div id='list'></div>"
                                "<script>fetch('/gkmlpt/api/tree').then(r => r.json())</script>"))
    assert not script_shell(page_at("http://portal.test/nb/", "<ul id='list'><li><a href='/a'>甲</a></li></ul>"
                                    "<script>fetch('/stat')</script>"))
    assert not script_shell(page_at("http://portal.test/nb/", "<div id='app'></div>"))  # no script at all


TREE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录</title></head><body>
<div id="tree"></div><div id="list">加载中…</div><script>
const lists = {all: ['区政府常务会议纪要'], n1: ['食品药品抽检信息'], n2: ['某区2024年政府信息公开工作年度报告']};
document.getElementById('tree').innerHTML = '<ul><li><a href="#n1">重点领域信息公开</a></li>' +
  '<li><a href="#n2">政府信息公开年报</a></li><li><a href="#n3">政府信息公开指南</a></li></ul>';
function route() { const id = location.hash.slice(1) || 'all';
  document.getElementById('list').innerHTML = '<ul>' + (lists[id] || []).map(
    (t, i) => '<li><a href="/c/' + id + '_' + i + '.html">' + t + '</a></li>').join('') + '</ul>'; }
window.addEventListener('hashchange', route); route();
</script></body></html>"""


def test_in_chromium_a_tree_node_naming_the_column_is_clicked_and_its_list_kept() -> None:
    """A gkmlpt-style catalogue: "#n2" tree nodes that redraw the list in place.  The 年报 node is
    clicked first and the page stays on its list (another 信息公开 node would redraw it away)."""
    import asyncio
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from playwright.async_api import async_playwright

    from crawler.spiders.browser import click_through

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib signature
            body = TREE_PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    async def run(url: str) -> str:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium")
            page = await browser.new_page()
            await page.goto(url)
            await click_through(page)
            html = await page.content()
            await browser.close()
            return html

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        html = asyncio.run(run(f"http://127.0.0.1:{server.server_address[1]}/gkmlpt/index"))
    finally:
        server.shutdown()
        server.server_close()
    rendered = Selector(text=html)
    assert rendered.css("#list a::text").getall() == ["某区2024年政府信息公开工作年度报告"]


def test_a_java_cms_with_session_links_is_crawled_once_per_page(crawled) -> None:
    """Every link jt-town-gov serves carries a fresh ;jsessionid= and ?timestamp=, its 年报 pager
    offers 下一页 forever, and 政府信息公开 is reached only through an image map's <area>."""
    conn = db(crawled["data"])
    found = [r["url"] for r in conn.execute(
        "SELECT url FROM documents WHERE kind = 'report' AND source_id = ?", (JAVA_SOURCE,))]
    expected = sorted(r["url"] for r in own_reports(crawled, JAVA_SOURCE))
    assert len(expected) == 6 and sorted(found) == expected  # each once, no 法治 look-alike
    seen = [s.path for s in crawled["seen"] if s.portal_id == JAVA_SOURCE]
    assert len(seen) <= REQUEST_LIMIT, seen
    assert not [p for p in seen if "jsessionid" in p.lower() or "timestamp=" in p], seen
    pages = sorted(int(p.rsplit("=", 1)[1]) for p in seen if "pageNo=" in p)
    assert pages and max(pages) <= 4 and len(pages) == len(set(pages)), seen  # the first page adding nothing ends it
    assert "/xxgk/index.jsp" in seen  # found through <area href alt="政府信息公开">
    urls = [r["url"] for r in conn.execute("SELECT url FROM snapshots WHERE url LIKE ?",
                                           (crawled["url"](JAVA_SOURCE, "/") + "%",))]
    assert not [u for u in urls if "jsessionid" in u.lower()]


def test_session_ids_and_cache_busters_are_dropped() -> None:
    assert canonical_url("http://h/xxgk/ndbg/index.jsp;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9?pageNo=2"
                         "&timestamp=1737770400123") == "http://h/xxgk/ndbg/index.jsp?pageNo=2"
    assert strip_session("http://h/a/b.do;JSESSIONID=abc123.node1") == "http://h/a/b.do"
    assert strip_session("http://h/c.php;phpsessid=9f?id=7&_t=1737770400123&r=0.5521") == "http://h/c.php?id=7"
    assert strip_session("http://h/list?t=1737770400123&rnd=88&page=3") == "http://h/list?page=3"
    assert strip_session("http://h/list?t=news&r=2&v=2") == "http://h/list?t=news&r=2&v=2"  # not cache-busters
    spider = spider_for("http://portal.test/")
    request = spider.request("http://portal.test/a.jsp;jsessionid=FF00?id=1&timestamp=1", spider.sources["s"],
                             spider.parse_list)
    assert request.url == "http://portal.test/a.jsp?id=1"  # what the dupefilter and the archive see


def test_an_image_map_area_is_a_navigation_link() -> None:
    spider = spider_for("http://portal.test/")
    home = ('<img src="/images/nav.png" usemap="#m"><map name="m">'
            '<area shape="rect" coords="0,0,9,9" href="zwgk/index.htm" alt="政务公开">'
            '<area shape="rect" coords="9,0,19,9" href="hdjl/index.htm" alt="互动交流"></map>')
    asked = [r for r in spider.parse_list(page_at("http://portal.test/Html/top.htm", home, title="首页"))
             if isinstance(r, Request)]
    assert [urlsplit(r.url).path for r in asked] == ["/Html/zwgk/index.htm"]


def test_an_endless_pager_ends_at_the_first_page_that_adds_nothing() -> None:
    spider = spider_for("http://portal.test/")

    def page(n: int, items: range) -> HtmlResponse:
        lis = "".join(f'<li><a href="/nb/{i}.jsp">某镇人民政府{2025 - i}年政府信息公开工作年度报告</a>'
                      f"<span>{2026 - i}-01-15</span></li>" for i in items)
        body = f'<h2>政府信息公开年报</h2><ul>{lis}</ul><a href="/nb/index.jsp?pageNo={n + 1}">下一页</a>'
        return page_at(f"http://portal.test/nb/index.jsp?pageNo={n}", body)

    def next_asked(n: int, items: range) -> list[str]:
        return [r.url for r in spider.parse_list(page(n, items), page=n, column=True)
                if isinstance(r, Request) and "pageNo" in r.url]

    assert next_asked(1, range(1, 4)) == ["http://portal.test/nb/index.jsp?pageNo=2"]
    assert next_asked(2, range(4, 6)) == ["http://portal.test/nb/index.jsp?pageNo=3"]
    assert next_asked(3, range(4, 6)) == []  # page 3 repeats page 2


def test_an_archive_of_year_pages_is_walked_as_lists() -> None:
    """"往年年报" → an index of year links ("2023年度") → each year's list; a year link worded like a
    report opens a page of dated report links and files: walked as a list, not recorded."""
    spider = spider_for("http://portal.test/")
    index = "<h2>往年政府信息公开年报</h2><ul>" + "".join(
        f"<li><a href='/ndbg/{y}.html'>{y}年度</a></li>" for y in (2023, 2022)) + "</ul>"
    asked = [r for r in spider.parse_list(page_at("http://portal.test/ndbg/index.html", index, title="往年年报"),
                                          depth=2, column=True) if isinstance(r, Request)]
    # followed as lists, or as report-titled links whose pages then prove to be lists (below)
    assert {urlsplit(r.url).path for r in asked} == {"/ndbg/2023.html", "/ndbg/2022.html"}
    year = ("<h2>2021年度</h2><ul class='list'>"
            "<li><a href='/f/2021nb5.pdf'>某县人民政府2021年政府信息公开工作年度报告</a><span>2022-01-17</span></li>"
            "<li><a href='/f/x2021.pdf'>某县2021年国民经济和社会发展统计公报</a><span>2022-02-02</span></li></ul>")
    response = page_at("http://portal.test/ndbg/2021.html", year, title="2021年度政府信息公开年报")
    out = list(spider.parse_report(response, info={"title": "2021年政府信息公开工作年度报告", "year": 2021}))
    assert not [o for o in out if not isinstance(o, Request)]
    assert [urlsplit(r.url).path for r in out if r.cb_kwargs.get("kind") == "report"] == ["/f/2021nb5.pdf"]
    # a report page whose PDF sits in a list without a date stays a report
    report = page_at("http://portal.test/nb/a.html", "<h1>某县2021年政府信息公开工作年度报告</h1><ul><li>"
                     "<a href='/f/a.pdf'>某县2021年政府信息公开工作年度报告.pdf</a></li></ul>", title="年度报告")
    assert not spider.is_list_page(report, spider.sources["s"])


def test_script_helper_links_and_a_post_year_form_lead_to_every_report(crawled) -> None:
    """hx-district-gov links every page through script (data-url, javascript:openWin('…'), onclick)
    and shows older years only when its POST form is submitted: read statically, no browser."""
    conn = db(crawled["data"])
    found = sorted(r["url"] for r in conn.execute(
        "SELECT url FROM documents WHERE kind = 'report' AND source_id = ?", (SCRIPT_LINK_SOURCE,)))
    expected = sorted(r["url"] for r in own_reports(crawled, SCRIPT_LINK_SOURCE))
    assert len(expected) == 6 and found == expected  # no 法治政府建设年度报告
    seen = [s for s in crawled["seen"] if s.portal_id == SCRIPT_LINK_SOURCE]
    assert len(seen) <= REQUEST_LIMIT, [s.path for s in seen]
    posts = [s.path for s in seen if s.method == "POST"]
    assert posts and set(posts) == {"/zwgk/zfxxgk/ndbg/query.do"} and len(posts) <= 7
    assert not [s.path for s in seen if s.method == "GET" and s.path.endswith("query.do")]


def test_links_through_script_helpers_are_read_statically() -> None:
    def href(a: str) -> str:
        return link_href(Selector(text=a).css("a")[0])

    assert href('<a href="#" data-url="/zwgk/index.shtml">政务公开</a>') == "/zwgk/index.shtml"
    assert href('<a href="javascript:;" data-href="ndbg/">年报</a>') == "ndbg/"
    assert href("<a href=\"javascript:openWin('/zwgk/zfxxgk/')\">政府信息公开</a>") == "/zwgk/zfxxgk/"
    assert href("<a href='javascript:void(0)' onclick=\"showDetail('nb/2024.html');return false;\">x</a>") \
        == "nb/2024.html"
    assert href("<a href='javascript:goPage(2)'>2</a>") == ""  # a pager's number is no URL
    assert href("<a href='#' onclick=\"toggle('menu3')\">更多</a>") == ""


def test_a_file_under_a_neighbouring_sub_site_is_not_taken() -> None:
    """On a provincial platform (/site/qingsong/, /site/hongyan/ on one host) a 年报 list's link to a
    neighbour's PDF is the neighbour's report; files on the host's shared download servlet are own."""
    spider = spider_for("http://portal.test/site/qingsong/")
    body = ("<ul class='list'>"
            "<li><a href='/site/qingsong/art/2025/1/10/art_1_1.html'>青松县人民政府2024年政府信息公开工作年度报告</a></li>"
            "<li><a href='/module/download/downfile.jsp?filename=a23.pdf'>青松县人民政府2023年政府信息公开工作年度报告</a></li>"
            "</ul><h3>相关阅读</h3><ul>"
            "<li><a href='/site/hongyan/attach/2024nb.pdf'>红岩县人民政府2024年政府信息公开工作年度报告</a></li>"
            "<li><a href='/site/baishi/art/2025/1/9/art_2_2.html'>白石县人民政府2024年政府信息公开工作年度报告</a></li></ul>")
    out = spider.parse_list(page_at("http://portal.test/site/qingsong/zwgk/ndbg/", body), depth=3, column=True)
    asked = {urlsplit(r.url).path for r in out if isinstance(r, Request)}
    assert "/site/qingsong/art/2025/1/10/art_1_1.html" in asked and "/module/download/downfile.jsp" in asked
    assert not [p for p in asked if p.startswith(("/site/hongyan/", "/site/baishi/"))]


@pytest.fixture(scope="module")
def reparsed(crawled, tmp_path_factory):
    """The crawled archive re-parsed (on a copy; the crawl tests read the original)."""
    from archive.reparse import reparse_all

    data = tmp_path_factory.mktemp("crawl-generic-parsed") / "data"
    shutil.copytree(crawled["data"], data)
    stats = reparse_all(data, sources=data / "sources.yaml")
    return {"data": data, "stats": stats, "sources": {e["id"]: e for e in
                                                      yaml.safe_load((data / "sources.yaml").read_text("utf-8"))}}


@pytest.mark.parametrize("pid", (*HOME_IDS, SPA_SOURCE, JAVA_SOURCE, SCRIPT_LINK_SOURCE))
def test_each_home_portal_report_is_its_body_placed_where_the_registry_says(crawled, reparsed, pid) -> None:
    """Every report a home portal publishes is read as the body its title names (not the site
    toolbar's words above the title), the portal's own in the province, city and county and at the level its registry entry gives
    (the replica's places are partly fictional or clash with real names: 柳河县 is in 吉林 in the
    national list, 河西区 in 天津), and without the page's chrome (打印本页, ICP备, 网站标识码) in its
    narrative.  A script shell ("加载中…") is read from its rendered snapshot."""
    conn = db(reparsed["data"])
    entry = reparsed["sources"][pid]
    region = entry["region"]
    expected = {r["url"]: r for r in own_reports(crawled, pid)}
    rows = {r["url"]: r for r in conn.execute("SELECT * FROM reports WHERE is_latest = 1") if r["url"] in expected}
    assert set(rows) == set(expected), conn.execute("SELECT url, reason FROM parse_failures").fetchall()
    for url, row in rows.items():
        title = expected[url]["title"]  # a province's column also lists its departments' and cities' reports
        assert title.startswith(f"{row['agency']}{expected[url]['year']}"), (url, row["agency"])
        if title.startswith(entry["name"]):
            assert row["agency"] == entry["name"]
            assert (row["province"], row["city"], row["county"], row["level"]) == (
                region.get("province"), region.get("city"), region.get("county"), entry["level"]), url
        else:
            assert row["province"] == region.get("province"), url
        sections = " ".join(r[0] for r in conn.execute("SELECT text FROM sections WHERE report_id = ?", (row["id"],)))
        assert sections and not [w for w in ("打印本页", "关闭窗口", "ICP备", "网站标识码", "公网安备") if w in sections], url
