"""Portal shapes the twelfth set of blind portals showed the generic crawl losing (tests/portal/homes12.py):
a 年报 column whose list is an iframe with an empty title and its own pager, files only behind a
download?path=<base64> servlet (one linked as "下载", one wrapped in a pdf.js viewer's file=); an article
whose attachment list a script draws from a token-guarded API; a column only the site search finds, with
a year <select> whose options are the older reports' pages and a PDF; a portal with nothing to find.

Crawled once by the real crawl (chromium for the thin article), then checked as a user would: the
archive's documents and snapshots, the crawl's error rows, and what each server saw.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from scrapy.http import HtmlResponse

from crawler.spiders.base import download_link
from crawler.spiders.links import viewer_target
from crawler.spiders.search import SEARCH_PAGES, SEARCH_QUERY, search_url
from parsers.detect import detect_kind
from tests.portal.homes12 import AK, AK_TOKEN, FILES, FR, FR_FRAME, NC, SQ, Shapes12
from tests.support.crawls import assert_own_reports_found_once, blob, crawled_portals, errors, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes12"), Shapes12.start) as done:
        yield done


def attachments(crawled, sid: str) -> list:
    return crawled.conn.execute(
        "SELECT d.url, d.title, d.parent_url, s.sha256 FROM documents d JOIN snapshots s ON s.url = d.url "
        "WHERE d.kind = 'attachment' AND d.source_id = ? AND s.status = 200", (sid,)).fetchall()


def paths(crawled, site: str) -> list[str]:
    return [unquote(path) for _, path, _ in crawled.shapes.requests[site]]


@pytest.mark.parametrize("sid", [FR[0], AK[0], SQ[0]])
def test_every_own_report_is_found_once_with_its_year_and_body(crawled, sid) -> None:
    # each found once, nothing else: no 图解 look-alike, no other body's report, no page counted twice
    assert_own_reports_found_once(crawled, sid, exact_agency=False)
    assert not [e for e in errors(crawled, sid) if not e[1].startswith("note:")]


def test_a_framed_list_with_an_empty_title_is_read_and_paged_as_its_column(crawled) -> None:
    seen = paths(crawled, FR[0])
    assert FR_FRAME in seen
    assert FR_FRAME + "&pageIndex=2" in seen  # the frame's own pager, though its <title> is empty
    # the list is the column's: no "not paged" note over it
    assert not [e for e in errors(crawled, FR[0]) if "not paged" in e[1]]


def test_download_servlet_files_are_archived_under_their_articles(crawled) -> None:
    base = crawled.shapes.bases[FR[0]]
    files = {r["parent_url"].removeprefix(base): r for r in attachments(crawled, FR[0]) if "/attach/download" in r["url"]}
    # the 财政局's DOCX linked only as "下载", titled by the servlet's own name
    docx = files["/art/2025/1/25/art_183_9042.html"]
    assert detect_kind(blob(crawled, docx["sha256"])) == "docx"
    assert docx["title"] == "青岚市财政局2024年政府信息公开工作年度报告.docx"
    # the 2023 article is only a pdf.js viewer whose file= wraps the servlet (no .pdf in any URL)
    wrapped = files["/art/2024/1/19/art_183_9014.html"]
    assert detect_kind(blob(crawled, wrapped["sha256"])) == "pdf"
    assert detect_kind(blob(crawled, files["/art/2025/1/20/art_183_9007.html"]["sha256"])) == "pdf"
    # the viewer stands for its file: never fetched itself
    assert not [p for p in paths(crawled, FR[0]) if "viewer.html" in p]


def test_a_look_alike_file_on_an_unlisted_host_is_neither_fetched_nor_noted(crawled) -> None:
    assert crawled.shapes.requests[FILES] == []
    notes = [e[1] for e in errors(crawled, FR[0])]
    assert not [n for n in notes if "allowed_domains" in n or "host the entry does not list" in n], notes


def test_a_thin_article_is_rendered_and_its_script_drawn_attachment_archived(crawled) -> None:
    base = crawled.shapes.bases[AK[0]]
    files = [r for r in attachments(crawled, AK[0]) if r["url"].endswith(".pdf")]
    assert [r["parent_url"] for r in files] == [base + "/zwgk/ndbg/202401/t20240119_77003.html"]
    assert detect_kind(blob(crawled, files[0]["sha256"])) == "pdf"
    api = [(path, h) for _, path, h in crawled.shapes.requests[AK[0]] if path.startswith("/api/")]
    # the browser called the API as the page's script does: with the header and the token, never refused
    assert any(p.startswith("/api/info/attach?infoId=77003") for p, _ in api), api
    assert all(h.get("x-requested-with") == "XMLHttpRequest" for _, h in api)
    assert all(h.get("authorization") == f"Bearer {AK_TOKEN}" for p, h in api if p.startswith("/api/info/"))
    # an article that shows its report is not rendered again
    assert paths(crawled, AK[0]).count("/zwgk/ndbg/202501/t20250121_77001.html") == 1


def test_a_column_only_the_site_search_finds_is_found_with_one_polite_query(crawled) -> None:
    searches = [p for p in paths(crawled, SQ[0]) if p.startswith("/search/")]
    queries = {parse_qs(urlsplit(p).query)["q"][0] for p in searches}
    assert queries == {SEARCH_QUERY}, searches
    assert 1 < len(searches) <= SEARCH_PAGES, searches  # a few result pages, not the whole index
    assert "/zwgk/ndbg/index.shtml" in paths(crawled, SQ[0])
    # the city's report among the results is another body's, never the district's
    found = {r["url"] for r in reports(crawled, SQ[0])}
    assert not [u for u in found if any(u.endswith(o) for o in crawled.shapes.others)]


def test_year_select_options_are_reports_pages_and_files_of_the_column(crawled) -> None:
    base = crawled.shapes.bases[SQ[0]]
    rows = {r["url"].removeprefix(base): r for r in reports(crawled, SQ[0])}
    column = base + "/zwgk/ndbg/index.shtml"
    pdf = rows["/zwgk/ndbg/202301/W020230118.pdf"]  # the 2022 option is the PDF itself
    assert (pdf["year"], pdf["parent_url"]) == (2022, column)
    assert rows["/zwgk/ndbg/202401/t20240120_4423.shtml"]["parent_url"] == column


def test_a_portal_with_no_column_and_no_search_says_so(crawled) -> None:
    notes = [e[1] for e in errors(crawled, NC[0])]
    assert any(n.startswith("note: no 年报 column found") for n in notes), notes
    assert not [p for p in paths(crawled, NC[0]) if "search" in p]
    # the portals that reached a column carry no such note
    assert not [e for sid in (FR[0], AK[0], SQ[0]) for e in errors(crawled, sid) if "no 年报 column" in e[1]]


# -- the rules on their own ------------------------------------------------------------------------------
def test_a_viewer_wrapping_a_download_servlet_is_that_servlet() -> None:
    wrapped = "http://x/pdfjs/web/viewer.html?file=%2Fattach%2Fdownload%3Fpath%3DL3VwbG9hZC9hLnBkZg%3D%3D"
    assert viewer_target(wrapped) == "http://x/attach/download?path=L3VwbG9hZC9hLnBkZg=="
    assert viewer_target("http://x/pdfjs/web/viewer.html?file=/download.jsp?fileId=12") == "http://x/download.jsp?fileId=12"
    # a viewer of a page, or a viewer without a file, wraps no file
    assert viewer_target("http://x/pdfjs/web/viewer.html?file=/col/col183/index.html") is None
    assert viewer_target("http://x/pdfjs/web/viewer.html") is None
    assert download_link("http://x/attach/download?path=L3VwbG9hZC9hLmRvY3g=", "下载")
    assert not download_link("http://x/app/download.html", "下载")


def test_search_url_is_what_the_search_box_sends() -> None:
    def resp(body: str) -> HtmlResponse:
        return HtmlResponse("http://x/zwgk/", body=body.encode(), encoding="utf-8")
    form = ("<form action='/search/index.html' method='get'><input type='hidden' name='siteid' value='7'>"
            "<input name='q' placeholder='请输入关键词'><button>搜索</button></form>")
    url = search_url(resp(form))
    assert urlsplit(url).path == "/search/index.html"
    assert parse_qs(urlsplit(url).query) == {"siteid": ["7"], "q": [SEARCH_QUERY]}
    # a hot-search link carries the query's place
    hot = search_url(resp("<a href='/jsearch/s.jsp?kw=社保&page=3'>社保</a>"))
    assert parse_qs(urlsplit(hot).query) == {"kw": [SEARCH_QUERY]}
    # a POST form, a login form and a search link naming no query are no search to ask
    assert search_url(resp("<form action='/search' method='post'><input name='q'></form>")) is None
    assert search_url(resp("<form action='/login'><input name='u'><input type='password' name='p'>"
                           "<button>登录</button></form>")) is None
    assert search_url(resp("<a href='/search/index.html?q=年报'>搜索</a>")) is None
