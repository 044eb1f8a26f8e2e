"""Portal shapes the thirteenth set of blind portals showed the generic crawl losing (tests/portal/homes13.py):
a department of a city-wide 信息公开平台 whose column is a list.jsp shared by every department (outside its
start path), started at its home and at the column; a list paged only by layui's laypage; a 街道 whose
信息公开 is a node of the county's script-drawn tree, with articles outside every start path; a department's
gkmlpt registered at index#<category>.  Each site reposts another body of the same place (the city or
county government, a sibling department), which is never that site's report.

Crawled once by the real crawl (chromium for the tree and the gkmlpt shell), then checked as a user would:
the archive's documents, the crawl's error rows, and what each server saw.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse

from crawler.spiders.lists import shown_column
from crawler.spiders.owners import other_body
from crawler.spiders.pagers import laypage_urls
from tests.portal.homes13 import GP, JD, LP, PF, PF_DEPTS, PF_SIBLING, PF_SID, PFC, SITES, Shapes13
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes13"), Shapes13.start) as done:
        yield done


def paths(crawled, site: str) -> list[str]:
    return [path for _, path in crawled.shapes.requests[site]]


@pytest.mark.parametrize("sid", [s[0] for s in SITES])
def test_every_own_report_is_found_once_with_its_year_and_body(crawled, sid) -> None:
    # each found once, nothing else: no look-alike, no other body's report, no page counted twice
    assert_own_reports_found_once(crawled, sid, exact_agency=False)
    assert not [e for e in errors(crawled, sid) if not e[1].startswith("note:")]
    assert not [e for e in errors(crawled, sid) if "no 年报 column" in e[1]]


@pytest.mark.parametrize("sid", [s[0] for s in SITES])
def test_no_other_body_of_the_same_place_is_filed_as_the_site_s(crawled, sid) -> None:
    base = crawled.shapes.bases[sid]
    filed = {r["url"] for r in reports(crawled, sid)}
    assert crawled.shapes.others[sid]
    assert not filed & {base + p for p in crawled.shapes.others[sid]}


def test_a_platform_department_reads_its_shared_list_outside_its_start_path(crawled) -> None:
    seen = paths(crawled, PF[0])
    column = f"/xxgk/list.jsp?siteId={PF_SID}&catId=ndbg"
    assert column in seen and column + "&pageNo=2" in seen
    # the platform's other bodies are not walked: no sibling department, no city column, no header pages
    siblings = [f"/xxgk/bmxxgk/{code}/" for code, sid, _ in PF_DEPTS if sid != PF_SID]
    assert not [p for p in seen if p in siblings or f"siteId={PF_SIBLING}&" in p or p.endswith(f"siteId={PF_SIBLING}")]
    assert not [p for p in seen if p.startswith(("/xxgk/szf/", "/xxgk/qxxxgk/"))]


def test_a_department_started_at_its_column_does_not_walk_the_sibling_bar(crawled) -> None:
    seen = paths(crawled, PFC[0])
    siblings = [f"/xxgk/bmxxgk/{code}/" for code, sid, _ in PF_DEPTS if sid != PF_SID]
    assert not [p for p in seen if p in siblings]
    assert not [p for p in seen if f"siteId={PF_SIBLING}&catId=ndbg" in p]
    assert len(seen) < 30, seen


def test_a_laypage_list_is_paged_from_its_count_without_a_browser(crawled) -> None:
    seen = paths(crawled, LP[0])
    assert "/zwgk/ndbg/list_5_2.html" in seen and "/zwgk/ndbg/list_5_3.html" in seen
    assert "/zwgk/ndbg/list_5_4.html" not in seen  # 14 rows of 6: three pages, no guess beyond
    assert "/static/layui/layui.js" not in seen


def test_a_township_s_tree_node_in_the_county_catalogue_is_clicked_and_its_articles_read(crawled) -> None:
    seen = paths(crawled, JD[0])
    assert "/xxgk/ml.html?unitId=J02" in seen
    # the browser clicked the 年报 node and turned its script pager
    assert "/xxgk/api/list?nodeId=J02_04&pageNo=1" in seen and "/xxgk/api/list?nodeId=J02_04&pageNo=2" in seen
    # the county's own catalogue (the nav's 信息公开目录) is another body's, never walked
    assert "/xxgk/ml.html" not in seen


def test_a_gkmlpt_start_naming_its_category_by_fragment_is_read_as_the_column(crawled) -> None:
    seen = paths(crawled, GP[0])
    assert [p for p in seen if p.startswith("/gkmlpt/api/all/205")]
    assert not [e for e in errors(crawled, GP[0]) if "column's URL" in e[1]]


# -- the rules on their own ------------------------------------------------------------------------------

def html_response(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def laypage(jump: str, count: int = 25, limit: int = 10) -> str:
    return (f"<ul><li><a href='/a/1.html'>x</a></li></ul><div id='p'></div><script>layui.use('laypage', function(){{"
            f"laypage.render({{elem: 'p', count: {count}, limit: {limit}, jump: {jump}}}); }});</script>")


def test_laypage_pages_come_from_the_jump_s_url_or_the_list_s_own() -> None:
    by_jump = html_response("http://x/zwgk/index.html", laypage(
        "function(obj, first){ if(!first) location.href = obj.curr == 1 ? 'index.html' : 'index.html?page=' + obj.curr; }"))
    assert laypage_urls(by_jump) == [("http://x/zwgk/index.html?page=2", 2), ("http://x/zwgk/index.html?page=3", 3)]
    own_query = html_response("http://x/list.jsp?cid=3&pageNo=1", laypage(
        "function(obj, first){ if(!first) location.href = url(obj); }", count=16, limit=8))
    assert laypage_urls(own_query) == [("http://x/list.jsp?cid=3&pageNo=2", 2)]
    own_path = html_response("http://x/ndbg/list_9.html", laypage("function(obj){ window.location = go(obj); }", count=30))
    assert [u for u, _ in laypage_urls(own_path)] == ["http://x/ndbg/list_9_2.html", "http://x/ndbg/list_9_3.html"]
    # a jump that redraws in place (XHR) names no page URL: nothing is guessed
    in_place = html_response("http://x/ndbg/list_9.html", laypage("function(obj){ load(obj.page); }"))
    assert laypage_urls(in_place) == []


def test_a_catalogue_page_shows_the_column_its_selected_node_or_fragment_names() -> None:
    tree = ("<ul id='tree'><li><a class='level1' title='指南'>政府信息公开指南</a></li>"
            "<li><a class='level1 curSelectedNode' title='年报'>政府信息公开年度报告</a></li></ul>")
    assert shown_column(html_response("http://x/xxgk/ml.html?unitId=J02", tree))
    assert not shown_column(html_response("http://x/xxgk/ml.html", tree.replace(" curSelectedNode", "")))
    hashes = "<ul><li><a href='#201'>机构职能</a></li><li><a href='#205'>年度报告</a></li></ul>"
    assert shown_column(html_response("http://x/gkmlpt/index#205", hashes))
    assert not shown_column(html_response("http://x/gkmlpt/index#201", hashes))


def test_a_department_s_report_is_only_its_own_body_s() -> None:
    county = {"province": "溪川省", "city": "青禾市", "county": "溪口县"}
    police = SimpleNamespace(name="溪口县公安局", level="county", kind="department", region=county)
    assert other_body("溪口县人民政府", police)  # same place, the government: another body
    assert other_body("溪口县教育局", police)  # a sibling department
    assert not other_body("溪口县公安局", police) and not other_body("县公安局", police)
    # its units (…大队, …中心) are not siblings: a 交通运输局's column lists its 公路事业发展中心's report as its own
    assert not other_body("溪口县公安局交通警察大队", police) and not other_body("溪口县公路事业发展中心", police)
    town = SimpleNamespace(name="溪口县柳塘街道办事处", level="township", kind="government", region=county)
    assert other_body("溪口县人民政府", town) and other_body("禾山镇", town)
    assert not other_body("柳塘街道", town) and not other_body(None, town)
    # a government keeps its departments' reports (its 部门年报 hub presents them as its finds)
    government = SimpleNamespace(name="溪口县人民政府", level="county", kind="government", region=county)
    assert not other_body("溪口县教育局", government)
    # a renamed or shortened name of the body itself is still the body's
    env = SimpleNamespace(name="青禾市生态环境局", level="city", kind="department",
                          region={"province": "溪川省", "city": "青禾市"})
    assert not other_body("青禾市环境保护局", env) and other_body("青禾市人民政府", env)
