"""Small pure pieces of the crawler that a portal's quirks hinge on."""

from __future__ import annotations

from email.utils import formatdate
from time import time
from types import SimpleNamespace

from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler import settings as crawler_settings
from crawler.middlewares import looks_like_js_challenge, page_is_challenge, retry_after_seconds
from crawler.run import download_slots
from crawler.spiders.base import attachment_extension, find_date, full_agency, page_published
from crawler.spiders.facets import filter_keys_changed, filter_link, first_page
from crawler.spiders.links import case_folded, repeated_segment
from crawler.spiders.shandong import doc_published
from crawler.spiders.trs import trs_page_url, trs_pager
from crawler.spiders.unwalked import unwalked_pager


def test_attachment_types_by_suffix_query_or_link_text() -> None:
    assert attachment_extension("http://x/a/P0201.PDF") == "pdf"
    assert attachment_extension("http://x/module/download/downfile.jsp?classid=0&filename=%E5%B9%B4%E6%8A%A5.docx") == "docx"
    assert attachment_extension("http://x/attach/get?id=77", "2024年年报.wps") == "wps"
    assert attachment_extension("http://x/a/b.et") == "et"
    assert attachment_extension("http://x/img/scan.jpeg") == "jpeg"
    assert attachment_extension("http://x/art/2025/1/20/art_1533_935372.html", "年报") is None


def test_dates_as_list_pages_print_them() -> None:
    assert find_date("[2025-01-24]") == "2025-01-24"
    assert find_date("发布时间：2025年1月2日") == "2025-01-02"
    assert find_date("2024/12/30 09:30") == "2024-12-30"
    assert find_date("第1页/共2页") is None


def test_a_report_page_states_its_own_publication_date() -> None:
    meta = '<html><head><meta name="PubDate" content="2025-01-22 09:30"></head><body><p>2023年12月31日</p></body></html>'
    assert page_published(_response(200, meta)) == "2025-01-22"
    label = ("<html><body><h1>某局政府信息公开工作年度报告</h1><div>发布日期：2025年1月2日 来源：某局</div>"
             "<p>本报告数据统计期限为2024年1月1日至2024年12月31日。</p></body></html>")
    assert page_published(_response(200, label)) == "2025-01-02"  # not the body's dates
    assert page_published(_response(200, "<html><body><p>2024年1月1日至12月31日</p></body></html>")) is None


def test_shandong_doc_id_dates_the_item_in_china_time() -> None:
    # 0x678da718 = 1737336600 = 2025-01-20 01:30 UTC = 2025-01-20 09:30 China
    url = "http://x/gongkai/site_lcsgaj/channel_5f9a3c2e0b1d4a7c8e6f1a2b/doc_678da718bbe0866c8b5a16d3.html"
    assert doc_published(url) == "2025-01-20"
    assert doc_published("http://x/gongkai/site_a/channel_1/list.html") is None


def test_trs_pager_and_page_names() -> None:
    assert trs_pager('<script>createPageHTML(3, 0, "index", "html");</script>') == (3, 0, "index", "html")
    assert trs_pager("function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}") is None
    base = "http://x/zwgk/zfxxgknb/index.html"
    assert trs_page_url(base, "index", "html", 0) == "http://x/zwgk/zfxxgknb/index.html"
    assert trs_page_url(base, "index", "html", 2) == "http://x/zwgk/zfxxgknb/index_2.html"
    assert trs_page_url("http://x/zwgk/zfxxgknb/", "index", "shtml", 1) == "http://x/zwgk/zfxxgknb/index_1.shtml"


def test_ucap_pager_names_the_element_first_and_counts_pages_from_one() -> None:
    """开普云's copy of the helper: (element id, total, current from 1, stem, extension, record count)."""
    assert trs_pager("createPageHTML('page_div',2,1,'index','shtml',6);") == (2, 0, "index", "shtml")
    assert trs_pager("createPageHTML('page_div', 5, 3, 'list', 'html', 48);") == (5, 2, "list", "html")
    assert trs_pager("createPageHTML(totalPage, currentPage, 'index', 'shtml')") is None  # no count written


def test_a_pager_the_html_cannot_walk_is_told_apart_from_one_it_can() -> None:
    def page(body: str) -> HtmlResponse:
        return HtmlResponse("http://x/xxgk/ndbg/list.html", body=f"<html><body>{body}</body></html>".encode(),
                            encoding="utf-8")

    assert "pageNav" in unwalked_pager(page("<div id=p></div><script>pageNav('p', 3, 1, 'list');</script>"), False)
    assert "下一页" in unwalked_pager(page("<div class=pager><button type=button>下一页</button></div>"), False)
    # read without a browser, or nothing to walk
    assert unwalked_pager(page("<script>createPageHTML('page_div',2,1,'index','shtml',6);</script>"), False) is None
    assert unwalked_pager(page("<a href='list_2.html'>下一页</a><script>pageNav('p', 3, 1, 'list');</script>"),
                          False) is None
    assert unwalked_pager(page("<button type=button disabled>下一页</button>"), False) is None
    assert unwalked_pager(page("<script>setPageSize(20); function pageNav(a, b) {}</script>"), False) is None


def test_retry_after_seconds_or_http_date() -> None:
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds(None) is None
    later = retry_after_seconds(formatdate(time() + 30, usegmt=True))
    assert later is not None and 25 <= later <= 31
    assert retry_after_seconds("soon") is None


def _response(status: int, body: str) -> HtmlResponse:
    return HtmlResponse("http://x/a.html", status=status, body=body.encode("utf-8"), encoding="utf-8")


def test_js_challenge_is_a_412_that_is_only_script() -> None:
    challenge = ('<html><head></head><body><script>document.cookie="__jsl_clearance=1|0|x;path=/";'
                 "location.href=location.pathname+location.search;</script></body></html>")
    assert looks_like_js_challenge(_response(412, challenge))
    assert looks_like_js_challenge(_response(521, challenge))
    # the same page on HTTP 200 is a soft challenge (加速乐's first answer); a real page carrying the
    # script beside its links and text is a page
    assert looks_like_js_challenge(_response(200, challenge))
    assert not looks_like_js_challenge(_response(200, challenge.replace(
        "<body>", "<body><a href='/zwgk/'>政务公开</a><p>" + "欢迎访问本网站。" * 40 + "</p>")))
    assert not looks_like_js_challenge(_response(412, "<html><body><h1>412 Precondition Failed</h1>"
                                                      "<p>" + "请求不满足前提条件。" * 50 + "</p></body></html>"))
    assert page_is_challenge(challenge.encode())
    assert not page_is_challenge(b'<html><body><ul><li><a href="/x">2024\xe5\xb9\xb4</a></li></ul></body></html>')


def test_per_source_politeness_becomes_download_slots() -> None:
    base = Settings()
    base.setmodule(crawler_settings)
    sources = [
        SimpleNamespace(id="a", start_urls=["http://127.0.0.1:8001/x"], overrides={"concurrency": 1,
                                                                                    "download_delay": 2.5}),
        SimpleNamespace(id="b", start_urls=["http://www.example.gov.cn/y"], overrides={}),
    ]
    slots = download_slots(sources, base)
    assert slots["127.0.0.1:8001"] == {"concurrency": 1, "delay": 2.5}
    assert slots["www.example.gov.cn"] == {"concurrency": 2}


def test_user_agent_carries_the_operators_contact() -> None:
    """The crawl runs in a child process that inherits the environment; its settings must name the operator."""
    import os
    import subprocess
    import sys

    code = "import crawler.settings as s; print(s.USER_AGENT)"
    env = dict(os.environ, NIANBAO_CONTACT="mailto:archivist@example.org")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert "(+mailto:archivist@example.org; government-report archiver)" in out


def test_polite_defaults() -> None:
    s = Settings()
    s.setmodule(crawler_settings)
    assert s.getbool("ROBOTSTXT_OBEY") and s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert s.getint("DOWNLOAD_MAXSIZE") == 50 * 1024 * 1024
    assert s.get("USER_AGENT").startswith("nianbao/") and "government-report archiver" in s.get("USER_AGENT")
    assert s.get("FEED_EXPORT_ENCODING") == "utf-8"
    mws = s.getdict("DOWNLOADER_MIDDLEWARES")
    # the archive must see responses before decompression (590) and every redirect hop (600)
    assert mws["crawler.middlewares.ArchiveMiddleware"] > 600


def test_short_body_names_on_a_portal_are_completed_from_its_region() -> None:
    province = {"province": "南岭省", "city": None, "county": None}
    county = {"province": "山东省", "city": "潍坊市", "county": "昌乐县"}
    guangxi = {"province": "广西壮族自治区", "city": None, "county": None}
    assert full_agency("省公安厅", province) == "南岭省公安厅"
    assert full_agency("自治区民政厅", guangxi) == "广西壮族自治区民政厅"
    assert full_agency("县卫健局", county) == "昌乐县卫健局"
    assert full_agency("市教育局", county) == "潍坊市教育局"
    assert full_agency("昌乐县水利局", county) == "昌乐县水利局"
    assert full_agency("滨河区教育局", {"province": "天津市", "city": None, "county": "滨河区"}) == "天津市滨河区教育局"
    # already full, a district named 市中区, or no region to complete from: as printed
    assert full_agency("聊城市公安局", county) == "聊城市公安局"
    assert full_agency("市中区人民政府", {"province": "山东省", "city": "济南市", "county": None}) == "市中区人民政府"
    assert full_agency("区民政局", province) == "区民政局"
    assert full_agency(None, county) is None


def test_a_filter_link_keeps_the_page_a_pager_link_moves_it() -> None:
    col = "http://x/zwgk/ndbg/"
    # on page 2: 部门 10 keeping page=2 is a filter; 3 is the next page, whatever key the pager adds
    assert filter_link(col + "?page=2&dept=10", col + "?page=2", 2)
    assert filter_link(col + "?page=2&year=2018", col + "?page=2", 2)
    assert not filter_link(col + "?page=3", col + "?page=2", 2)
    assert not filter_link("http://x/col/col230/index.html?uid=4321&pageNum=2", "http://x/col/col230/index.html", 1)
    # a year's list from its own start; the keys a filter link changes
    assert first_page(col + "?page=2&year=2025") == col + "?year=2025"
    assert first_page(col + "?year=2025") == col + "?year=2025"
    assert filter_keys_changed(col + "?page=2&year=2025", col + "?page=2") == {"year"}
    assert filter_keys_changed("http://x/zwgk/ndbg/2024/", col) == set()


def test_a_relative_loop_and_a_case_copy_name_the_page_they_repeat() -> None:
    assert repeated_segment("http://x/zwgk/ndbg/ndbg/") == "http://x/zwgk/ndbg/"
    assert repeated_segment("http://x/zwgk/ndbg/ndbg/ndbg/") == "http://x/zwgk/ndbg/ndbg/"
    assert repeated_segment("http://x/zwgk/ndbg/") is None
    assert repeated_segment("http://x/a/a.html") is None  # a page named like its directory
    assert case_folded("http://X/ZWGK/NDBG/?Year=2024") == "http://x/zwgk/ndbg/?Year=2024"


def test_an_answer_without_content_length_is_no_announced_length() -> None:
    """A chunked answer (or one read to the connection's close) arrives with Twisted's UNKNOWN_LENGTH,
    a string: it is not a length to hold the body against, and no handler error is logged."""
    from scrapy import Request
    from twisted.web.iweb import UNKNOWN_LENGTH

    from crawler.wire import TransferSizes, truncation

    crawler = SimpleNamespace(signals=SimpleNamespace(connect=lambda *a, **k: None))
    sizes = TransferSizes(crawler)
    chunked, announced = Request("http://127.0.0.1/a"), Request("http://127.0.0.1/b")
    sizes.headers_received({}, UNKNOWN_LENGTH, chunked)
    sizes.bytes_received(b"x" * 10, chunked)
    assert truncation(chunked) is None
    sizes.headers_received({}, 100, announced)
    sizes.bytes_received(b"x" * 10, announced)
    assert truncation(announced) == "truncated: got 10 of 100 bytes"


def test_a_list_apis_counts_are_read_only_from_a_list_of_reports() -> None:
    """A rendered 年报 list's API announcing 14 rows while sending 10 is a shortfall worth a note; a sidebar's
    news feed announcing its thousands is not the column's."""
    from crawler.spiders.browser import json_counts

    rows = [{"title": f"攸县{y}年政府信息公开工作年度报告", "url": f"/c_{y}.html"} for y in range(2014, 2024)]
    assert json_counts({"code": 0, "total": 14, "data": rows}) == (14, 10)
    assert json_counts({"data": {"totalCount": 14, "list": rows}}) == (14, 10)
    assert json_counts({"total": 5000, "rows": [{"title": "全县召开政务公开工作推进会"}]}) is None
    assert json_counts([{"title": "x"}]) is None and json_counts({"total": 3}) is None
