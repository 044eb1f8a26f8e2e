"""Reports split over pages, start pages that are only a script redirect, a 年报 list loaded by XHR
as the reader scrolls, files served under the wrong Content-Type, and another body's report linked
from the list (qt-county-gov, tests/portal/homes7.py).

Crawled from the portal's home page by the real crawl (chromium for the scrolling list) and
re-parsed from the archive, then checked as a user would: every report of the county is found
once, a split report's later pages are archived as its pages and its row has the numbers of all
of them, and the city's report linked from the list is not filed as the county's.
"""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
import yaml
from scrapy.http import HtmlResponse

from archive.reparse import page_order, reparse_all
from crawler.run import crawl
from crawler.spiders.articles import article_pages, continues
from crawler.spiders.base import file_bytes
from crawler.spiders.links import script_redirect
from crawler.spiders.owners import other_body
from tests.portal.homes7 import CHANNEL, COLUMN
from tests.portal.seeds import load_seeds
from tests.portal.server import Replica
from tests.test_crawl_generic import FAST

PID = "qt-county-gov"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-articles")
    with Replica.start(faults=False, homes=True) as rep:
        sources = data / "sources.yaml"
        sources.write_text(yaml.safe_dump([e for e in rep.sources() if e["id"] == PID], allow_unicode=True),
                           encoding="utf-8")
        crawl(data, sources_path=sources, settings=FAST)
        docs = rep.manifest["documents"][PID]
        reports = [r for r in rep.reports() if r["portal_id"] == PID]
        seen = [s for s in rep.requests if s.portal_id == PID]
        url = lambda path: rep.url(PID, path)  # noqa: E731
        pages = {r["url"]: [url(p) for p in r["pages"]] for r in reports if r.get("pages")}
        other = [url(d["path"]) for d in docs if d.get("other_body")]
    stats = reparse_all(data)
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    yield {"conn": conn, "reports": reports, "seen": seen, "pages": pages, "other": other, "stats": stats}
    conn.close()


def test_every_report_is_found_once_and_the_city_report_is_not_the_countys(crawled) -> None:
    conn = crawled["conn"]
    found = {r["url"]: r for r in conn.execute("SELECT * FROM documents WHERE kind = 'report' AND source_id = ?",
                                               (PID,))}
    expected = {r["url"]: r for r in crawled["reports"]}
    assert sorted(r["year"] for r in expected.values()) == [2019, 2020, 2021, 2022, 2023, 2024, 2024]
    assert set(found) == set(expected)  # no 图解, no 临江市 report, no later page as a report of its own
    for url, report in expected.items():
        assert (found[url]["title"], found[url]["year"]) == (report["title"], report["year"])
    assert crawled["other"] and not set(crawled["other"]) & set(found)


def test_a_split_report_is_archived_page_by_page_and_parsed_whole(crawled) -> None:
    conn, seeds = crawled["conn"], {s.key: s.record for s in load_seeds()}
    assert len(crawled["pages"]) == 2  # 2024 over three pages (TRS _1, _2), 2023 over two (Dede _2)
    for first, pages in crawled["pages"].items():
        got = {r["url"]: r["parent_url"] for r in conn.execute(
            "SELECT url, parent_url FROM documents WHERE kind = 'page' AND source_id = ? AND parent_url = ?",
            (PID, first))}
        assert got == {p: first for p in pages[1:]}  # every later page, none of the 上一篇/下一篇 articles
        for page in pages:
            assert conn.execute("SELECT count(*) FROM snapshots WHERE url = ? AND status = 200",
                                (page,)).fetchone()[0] >= 1
        report = next(r for r in crawled["reports"] if r["url"] == first)
        row = conn.execute("SELECT * FROM reports WHERE url = ? AND is_latest = 1", (first,)).fetchone()
        apps = seeds[report["seed"]]["applications"]
        reviews = seeds[report["seed"]]["reviews_litigation"]["review"]
        assert row["new_received_total"] == apps["new_received"]["total"]  # table 三, on page 2
        assert row["total_processed_total"] == apps["total_processed"]["total"]
        assert row["review_total"] == reviews["total"]  # table 四, on the last page
        assert row["year"] == report["year"]


def test_files_are_kept_by_their_bytes_whatever_the_content_type(crawled) -> None:
    conn, seeds = crawled["conn"], {s.key: s.record for s in load_seeds()}
    by_shape = {r["shape"]: r for r in crawled["reports"]}
    html_pdf = by_shape["pdf-as-text-html"]  # the 2022 page's PDF copy, served as text/html
    row = conn.execute("SELECT parent_url FROM documents WHERE url = ? AND kind = 'attachment'",
                       (html_pdf["attachment_url"],)).fetchone()
    assert row is not None and row["parent_url"] == html_pdf["url"]
    assert not conn.execute("SELECT count(*) FROM crawl_errors WHERE source_id = ?", (PID,)).fetchone()[0]
    docx = by_shape["docx-octet-stream"]  # listed behind /download.do, served as application/octet-stream
    row = conn.execute("SELECT * FROM reports WHERE url = ? AND is_latest = 1", (docx["url"],)).fetchone()
    assert row is not None and row["format"] == "docx"
    assert row["new_received_total"] == seeds[docx["seed"]]["applications"]["new_received"]["total"]


def test_script_redirects_are_read_without_a_browser_and_the_list_is_scrolled_to_its_end(crawled) -> None:
    conn = crawled["conn"]
    rendered = {r[0].split("/", 3)[-1] for r in conn.execute("SELECT url FROM snapshots WHERE rendered = 1")}
    assert "" not in rendered and "zwgk/ndbg.html" not in rendered  # the stubs were read, not rendered
    assert f"{COLUMN.lstrip('/')}/index.html" in rendered  # the XHR list was
    asked = {s.path for s in crawled["seen"] if s.path.startswith("/api/infolist")}
    assert asked == {f"/api/infolist?channel={CHANNEL}&page={n}" for n in (1, 2, 3)}  # every page, by scrolling


# ---- the pieces, on their own -------------------------------------------------------------------

def page(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


@pytest.mark.parametrize(("url", "article", "expected"), [
    ("http://a/x/t20250120_5500_1.html", "http://a/x/t20250120_5500.html", True),
    ("http://a/x/124_2.html", "http://a/x/124.html", True),
    ("http://a/x/art.jsp?id=5&page=2", "http://a/x/art.jsp?id=5", True),
    ("http://a/x/125.html", "http://a/x/124.html", False),  # the next article
    ("http://a/x/art.jsp?id=6", "http://a/x/art.jsp?id=5", False),
    ("http://a/y/124_2.html", "http://a/x/124.html", False),
    ("http://b/x/124_2.html", "http://a/x/124.html", False),
])
def test_a_later_page_continues_the_articles_own_url(url, article, expected) -> None:
    assert continues(url, article) is expected


def test_the_pager_names_the_later_pages_not_the_neighbouring_articles() -> None:
    body = ('<div class="page">共3页 <a href="124.html">上一页</a> <a href="124.html">1</a> 2 '
            '<a href="124_3.html">3</a> <a href="124_3.html">下一页</a></div>'
            '<p>上一篇：<a href="123.html">上一篇文章</a></p><p><a href="125.html">2</a></p>')
    assert article_pages(page("http://a/x/124_2.html", body), "http://a/x/124.html") == ["http://a/x/124_3.html"]


def test_a_script_redirect_stub_is_read_and_a_real_page_is_not() -> None:
    stub = page("http://a/", "<script>window.location.replace('/wjw/index.html');</script>")
    assert script_redirect(stub) == "http://a/wjw/index.html"
    real = page("http://a/", "<p>" + "正文" * 200 + "</p><script>if(mobile){location.href='/m/';}</script>"
                + "".join(f'<a href="/{i}.html">{i}</a>' for i in range(5)))
    assert script_redirect(real) is None
    app = page("http://a/", "<div id='app'></div><script>if (!localStorage.token) { location.href='/admin/x.html'; }"
                            "</script>")
    assert script_redirect(app) is None  # an app's branch, not a redirect stub


def test_magic_bytes_name_the_file() -> None:
    assert file_bytes(b"%PDF-1.7\n...") == "pdf"
    assert file_bytes(b"PK\x03\x04rest") == "docx"
    assert file_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "doc"
    assert file_bytes(b"<html>%PDF-</html>") is None


def test_another_places_body_at_or_above_the_sources_level_is_another_body() -> None:
    county = SimpleNamespace(name="青林县人民政府", region={"province": "云岭省", "city": "天柱市", "county": "青林县"})
    province = SimpleNamespace(name="南湖省人民政府", region={"province": "南湖省", "city": None, "county": None})
    bureau = SimpleNamespace(name="云州市卫生健康委员会", region={"province": "云岭省", "city": "云州市", "county": None})
    assert other_body("天柱市人民政府", county) and other_body("红岩县人民政府", county)
    assert not other_body("青林县教育局", county) and not other_body("教育局", county)
    assert not other_body("湖城市人民政府", province)  # a province's 市州 column lists its cities
    assert not other_body("云州市疾病预防控制中心", bureau) and not other_body("云州经济开发区管委会", bureau)


def test_a_county_level_city_is_told_from_a_prefecture_by_the_division_list() -> None:
    """邹城市 is a county of 济宁市 and 巩义市 one of 郑州市, though both end in 市: on the prefecture's
    portal they are lower governments like its 县 (kept), on a county-level city's portal a neighbour
    county is at its own level (another body's)."""
    jining = SimpleNamespace(name="济宁市人民政府", region={"province": "山东省", "city": "济宁市", "county": None})
    zhengzhou = SimpleNamespace(name="郑州市人民政府", region={"province": "河南省", "city": "郑州市", "county": None})
    zoucheng = SimpleNamespace(name="邹城市人民政府", region={"province": "山东省", "city": "济宁市", "county": "邹城市"})
    assert not other_body("济宁市人民政府", jining)  # the prefecture's own report on its own site
    assert not other_body("邹城市人民政府", jining) and not other_body("嘉祥县人民政府", jining)
    assert not other_body("巩义市人民政府", zhengzhou)
    assert other_body("菏泽市人民政府", jining)  # another prefecture
    assert other_body("巩义市人民政府", jining)  # not a county of 山东省: no lower government of this portal
    assert other_body("嘉祥县人民政府", zoucheng) and other_body("曲阜市人民政府", zoucheng)
    assert other_body("济宁市人民政府", zoucheng)  # the prefecture above
    assert not other_body("邹城市教育局", zoucheng) and not other_body("邹城市人民政府", zoucheng)


def test_later_pages_are_read_in_page_order() -> None:
    urls = ["http://a/x/124_10.html", "http://a/x/124_3.html", "http://a/x/124_2.html"]
    assert sorted(urls, key=page_order) == ["http://a/x/124_2.html", "http://a/x/124_3.html", "http://a/x/124_10.html"]
