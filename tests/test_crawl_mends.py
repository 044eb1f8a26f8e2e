"""The crawler after review (a04fde5..): what a soft challenge is, hosts whose browser cookies do not
carry, script-opened rows and script pagers, a scheme one link imposed on a host, one list-page cap,
and `--set` checked by argparse."""

from __future__ import annotations

import argparse
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import CLEARED_RETRY, JsChallengeMiddleware, archive_for, looks_like_js_challenge
from crawler.run import crawl, set_option, set_options
from crawler.spiders.generic import GenericSpider
from crawler.spiders.pagers import script_page_urls
from crawler.spiders.render import script_rows
from tests.test_crawl_generic import FAST


def page(body: str, status: int = 200, url: str = "http://x.gov.cn/") -> HtmlResponse:
    return HtmlResponse(url, status=status, body=body.encode("utf-8"), encoding="utf-8",
                        headers={"Content-Type": "text/html"})


# ------------------------------------------------------------------------------------ soft challenges

def test_a_script_redirect_that_sets_a_cookie_is_no_challenge() -> None:
    """Only a reload of the same URL is a challenge's; a jump to the home page or the mobile site, or a
    frame shell busting out of a frame, is a page a crawler reads as it is."""
    redirect = '<html><head><script>document.cookie="lang=zh;path=/";window.location.href="/index.html";</script></head></html>'
    mobile = ('<html><head><script>if(/Mobile/.test(navigator.userAgent)){document.cookie="m=1";location.href="/m/";}'
              'else{location.replace("/pc/index.html")}</script></head><body>正在跳转...</body></html>')
    shell = ('<html><head><script>document.cookie="visited=1";if(top!=self){top.location=self.location}</script>'
             '</head><body><iframe src="/xxgk/index.html"></iframe></body></html>')
    frames = '<html><head><script>document.cookie="a=1";location.reload();</script></head><frameset><frame src="/m.html"></frameset></html>'
    for body in (redirect, mobile, shell, frames):
        assert not looks_like_js_challenge(page(body)), body
    jsl = '<script>document.cookie=("_jsl_clearance=1;max-age=3600;path=/");location.href=location.pathname+location.search</script>'
    again = '<script>document.cookie="t="+Date.now();window.location.href=window.location.href;</script>'
    reload_ = "<script>document.cookie='c='+String.fromCharCode(111,107);location.reload();</script>"
    for body in (jsl, again, reload_):
        assert looks_like_js_challenge(page(body)), body


def test_a_host_whose_browser_cookies_do_not_carry_goes_straight_to_the_browser() -> None:
    """瑞数-style cookies are tied to the browser that earned them: once Scrapy's retry with them is
    challenged again, the host's later pages go to chromium at once (one 412, not 412 + 412 + browser)."""
    mw = JsChallengeMiddleware(get_crawler(settings_dict={"NIANBAO_BROWSER": True}))
    challenge = ('<html><body><script>document.cookie="FSSBBIl1UgzbN7N=5;path=/";'
                 "location.href=location.pathname+location.search;</script></body></html>")
    real = "<html><body><a href='/nb/'>政府信息公开年报</a>" + "<p>正文</p>" * 50 + "</body></html>"

    def browser_passes(request: Request) -> None:
        assert request.meta.get("playwright"), request.meta
        rendered = HtmlResponse(request.url, body=real.encode(), encoding="utf-8", request=request, flags=["playwright"])
        assert mw.process_response(request, rendered) is rendered

    first = Request("http://rs.gov.cn/a.html")
    browser_passes(mw.process_response(first, page(challenge, 412, first.url)))
    assert "rs.gov.cn" in mw.cleared
    second = Request("http://rs.gov.cn/b.html")
    retry = mw.process_response(second, page(challenge, 412, second.url))
    assert retry.meta[CLEARED_RETRY] == 1 and not retry.meta.get("playwright")  # the jar's cookies, once
    browser_passes(mw.process_response(retry, page(challenge, 412, retry.url)))  # they did not pass
    assert "rs.gov.cn" not in mw.cleared
    third = Request("http://rs.gov.cn/c.html")
    straight = mw.process_response(third, page(challenge, 412, third.url))
    assert straight.meta.get("playwright") and not straight.meta.get(CLEARED_RETRY)


# ------------------------------------------------------------------------------- script rows and pagers

def test_tab_switches_and_rows_with_a_plain_link_need_no_browser() -> None:
    html = ('<ul class="tabs"><li onclick="setTab(1)">政府信息公开年报</li><li onclick="setTab(2)">政府信息公开指南</li></ul>'
            '<ul class="list"><li><a href="/art/2024/1/20/art_1_2.html">南京市财政局2023年政府信息公开工作年度报告</a></li></ul>'
            '<table><tr onclick="highlight(this)"><td>南京市财政局2022年政府信息公开工作年度报告</td><td><a href="/a.pdf">下载</a></td></tr>'
            '<tr onclick="view(20240120)"><td>南京市财政局2021年政府信息公开工作年度报告</td><td><a href="/b.pdf">下载</a></td></tr></table>')
    assert not script_rows(page(html, url="http://www.nj.gov.cn/xxgk/ndbg/index.html"))
    opened = ('<ul><li><a href="javascript:openDetail(\'7521\')">南京市财政局2023年政府信息公开工作年度报告</a></li>'
              '<li><a href="javascript:void(0)" onclick="show(\'3f2a9c1e-77aa\')">南京市审计局2023年政府信息公开工作年度报告</a></li></ul>')
    assert script_rows(page(opened, url="http://www.nj.gov.cn/xxgk/ndbg/index.html"))
    assert script_rows(page(opened.split("</li>")[1] + "</ul>", url="http://www.nj.gov.cn/xxgk/ndbg/index.html"))


def test_a_script_pager_is_found_past_other_query_strings_and_on_its_own_path() -> None:
    after_detail = ('<div id="list"></div><script>var pageCount = 4; var url = "detail.html?id="+id;'
                    "for (var i=1;i<=pageCount;i++){ html += '<a href=\"?page='+i+'\">'+i+'</a>'; }</script>")
    got = script_page_urls(page(after_detail, url="http://www.nj.gov.cn/xxgk/ndbg/index.html?cid=3"))
    assert got == [(f"http://www.nj.gov.cn/xxgk/ndbg/index.html?cid=3&page={n}", n) for n in (2, 3, 4)]
    own_path = "<script>var totalPage = 3; $.get('list_data.jsp?cid=7&page='+n, draw);</script>"
    got = script_page_urls(page(own_path, url="http://www.nj.gov.cn/xxgk/ndbg/index.html"))
    assert got == [(f"http://www.nj.gov.cn/xxgk/ndbg/list_data.jsp?cid=7&page={n}", n) for n in (2, 3)]


def test_a_script_pager_claiming_a_hundred_million_pages_is_read_to_the_cap() -> None:
    # hostile2 .35: the claim made the pager unread (page 2's report lost silently); a list of 10^8 URLs
    # must not be built either: the crawl asks for NIANBAO_MAX_LIST_PAGES of them and notes the cut
    from crawler.spiders.pagers import script_page_total

    huge = "<script>var totalPage = 99999999; for(var i=1;i<=totalPage;i++){document.write('<a href=\"?page='+i+'\">');}</script>"
    listed = page("<ul><li><a href='/art/1.html'>通知</a></li></ul>" + huge, url="http://www.nj.gov.cn/xxgk/ndbg/")
    assert script_page_total(listed) == 99999999
    got = script_page_urls(listed, limit=50)
    assert len(got) == 49 and got[0] == ("http://www.nj.gov.cn/xxgk/ndbg/?page=2", 2) and got[-1][1] == 50


def test_a_script_paged_column_cut_at_the_cap_leaves_a_note(tmp_path: Path) -> None:
    """Every pager the generic spider cuts short says so through one `list_page_cap`."""
    source = SimpleNamespace(id="nj", family="generic", start_urls=["http://portal.test/"],
                             allowed_domains=["portal.test"], overrides={})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(tmp_path), "NIANBAO_MAX_LIST_PAGES": 5})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    spider.archive, spider.run_id = archive_for(crawler.settings), None
    html = ("<ul><li><a href='/nb/t1.html'>南京市财政局2023年政府信息公开工作年度报告</a></li></ul>"
            "<script>var pageCount = 80; s += '<a href=\"?page='+i+'\">'+i+'</a>';</script>")
    url = "http://portal.test/xxgk/ndbg/index.html"
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url, meta={"source_id": "nj"}))
    asked = [r.url for r in spider.next_pages(response, source, 1)]
    assert asked == [f"{url}?page={n}" for n in range(2, 6)]
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    notes = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE source_id = 'nj'")]
    assert notes == ["note: column paging stopped at page 5 of 80 (NIANBAO_MAX_LIST_PAGES)"]


# ------------------------------------------------------------------------------ one scheme per host

REPORT = "<html><body><h1>{t}</h1><p>" + "本年度政府信息公开工作情况如下。" * 40 + "</p></body></html>"


def _serve(pages: dict[str, str], host: str = "127.0.0.1") -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib signature
            body = pages.get(self.path)
            raw = (body or "not found").encode("utf-8")
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_link_moved_to_a_broken_https_is_fetched_as_written(tmp_path: Path) -> None:
    """One absolute https:// link to a host serving only http made the host's other links https too:
    they fail TLS, so each is fetched once more as the page wrote it."""
    t1, t2 = "梅林县财政局2024年政府信息公开工作年度报告", "梅林县审计局2024年政府信息公开工作年度报告"
    other = _serve({"/nb/t1.html": REPORT.format(t=t1), "/nb/t2.html": REPORT.format(t=t2), "/robots.txt": ""}, "127.0.0.2")
    b = f"127.0.0.2:{other.server_address[1]}"  # another host of the body's, on loopback
    home = (f"<html><body><h1>政府信息公开年报</h1><ul><li><a href='https://{b}/nb/t1.html'>{t1}</a></li>"
            f"<li><a href='http://{b}/nb/t2.html'>{t2}</a></li></ul></body></html>")
    start = _serve({"/": home, "/robots.txt": ""})
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump([{
            "id": "ml", "name": "梅林县人民政府", "level": "county", "kind": "government", "family": "generic",
            "region": {"province": "南湖省", "city": "禾川市", "county": "梅林县"},
            "start_urls": [f"http://127.0.0.1:{start.server_address[1]}/"], "allowed_domains": ["127.0.0.1", "127.0.0.2"]}],
            allow_unicode=True), encoding="utf-8")
        crawl(tmp_path, sources_path=sources, settings={**FAST, "RETRY_TIMES": 0})
    finally:
        for server in (start, other):
            server.shutdown()
            server.server_close()
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    found = sorted(r[0] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'"))
    assert f"http://{b}/nb/t2.html" in found, found
    errors = [r[0] for r in conn.execute("SELECT url FROM crawl_errors WHERE reason NOT LIKE 'note:%'")]
    assert f"http://{b}/nb/t2.html" not in errors and f"https://{b}/nb/t2.html" not in errors, errors
    assert f"https://{b}/nb/t1.html" in errors  # written https and broken as written: said so


# ------------------------------------------------------------------------------------------ --set

def test_set_is_checked_by_argparse_and_environment_knobs_are_named(monkeypatch, capsys) -> None:
    assert set_option("NIANBAO_MAX_LIST_PAGES=5") == ("NIANBAO_MAX_LIST_PAGES", 5)
    assert set_option("LOG_LEVEL=WARNING") == ("LOG_LEVEL", "WARNING")
    with pytest.raises(argparse.ArgumentTypeError, match="--set takes NAME=VALUE"):
        set_option("NIANBAO_BROWSER")
    monkeypatch.setenv("NIANBAO_MAX_PAGES", "9")
    assert set_options([("LOG_LEVEL", "INFO")]) == {"LOG_LEVEL": "INFO"}
    assert "--set NIANBAO_MAX_PAGES=9" in capsys.readouterr().err
    from crawler import distributed, run, schedule

    for main, argv in ((run.main, ["--set", "FOO"]), (schedule.main, ["--once", "--set", "FOO"]),
                       (distributed.worker_main, ["--set", "FOO"])):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        assert "--set takes NAME=VALUE, got 'FOO'" in capsys.readouterr().err


