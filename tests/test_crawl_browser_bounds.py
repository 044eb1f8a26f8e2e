"""What the second hostile-input examination (/tmp/hostile2) found in the crawler, fixed and kept fixed:
a JS challenge that sent chromium to another host had that host's answer archived (and published);
an exception in a spider callback left no trace in crawl_errors; a short real report page carrying
a cookie-and-reload script was lost as "blocked: js challenge".

Real crawls (the real crawler, chromium) against real servers on 127.0.0.x; a canary host logs
anything that reaches it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.monitor import main as status_main
from crawler.run import crawl

FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "RETRY_TIMES": 1, "LOG_LEVEL": "WARNING",
        "NIANBAO_CHALLENGE_WAIT_MS": 2000}
AG = "某某县公安局"
TITLE = f"{AG}2024年政府信息公开工作年度报告"
REPORT = (f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><h1>{TITLE}</h1><p>"
          + "本报告依据条例编制。" * 50 + "</p></body></html>")
COLUMN = (f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><h2>政府信息公开年报</h2>"
          f"<ul><li><a href='/nb/2024.html'>{TITLE}</a><span>2025-01-20</span></li></ul></body></html>")
CHALLENGE = "<html><head><script>{js}</script></head><body></body></html>"


class Site:
    """A server on `host` whose answers `serve(path, cookie)` gives as (status, body or Location)."""

    def __init__(self, serve: Callable[[str, str], tuple[int, str]], host: str = "127.0.0.1") -> None:
        self.asked: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.asked.append(self.path)
                status, text = serve(self.path, self.headers.get("Cookie") or "")
                body = b"" if status in (301, 302) else text.encode("utf-8")
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", text)
                self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" and status == 200
                                 and not text.startswith("<") else "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def portal(path: str) -> tuple[int, str]:
    if path == "/robots.txt":
        return 200, "User-agent: *\nAllow: /\n"
    return {"/": (200, COLUMN), "/nb/2024.html": (200, REPORT)}.get(path, (404, "not found"))


def small_real(path: str, cookie: str) -> tuple[int, str]:
    """Case .34: every page carries a script that sets a cookie and reloads, whatever the cookie."""
    js = "<script>document.cookie='visit=1;path=/';location.reload();</script>"
    if path == "/":
        return 200, f"<html><head><meta charset='utf-8'>{js}</head><body><a href='/nb/2023.html'>{AG}2023年政府信息公开工作年度报告</a></body></html>"
    if path == "/nb/2023.html":  # a short real report page, no link at all
        title = f"{AG}2023年政府信息公开工作年度报告"
        return 200, (f"<html><head><meta charset='utf-8'><title>{title}</title>{js}</head><body><h1>{title}</h1>"
                     "<p>本机关2023年度未收到政府信息公开申请，详见附件。</p></body></html>")
    return portal(path)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("browser-bounds")
    canary = Site(lambda path, cookie: (200, "canary"), host="127.0.0.5")

    # one cookie name per site: cookies are per host, not per port, and these sites share 127.0.0.1
    def jump(path: str, cookie: str) -> tuple[int, str]:  # case .32: the challenge sends chromium away
        if "jump=1" in cookie:
            return portal(path)
        return 412, CHALLENGE.format(js=f"document.cookie='jump=1;path=/';location.href='{canary.url}/jump';")

    def soft_jump(path: str, cookie: str) -> tuple[int, str]:  # the same on HTTP 200, a reload never reached
        if "soft=1" in cookie:
            return portal(path)
        return 200, CHALLENGE.format(js="document.cookie='soft=1;path=/';if(!document.cookie)location.reload();"
                                        f"location.href='{canary.url}/soft';")

    def bounce(path: str, cookie: str) -> tuple[int, str]:  # the challenge's reload is redirected away
        if "bounce=1" in cookie:
            return 302, f"{canary.url}/bounce"
        return 200, CHALLENGE.format(js="document.cookie='bounce=1;path=/';location.reload();")

    sites = {"jump": Site(jump), "soft": Site(soft_jump), "bounce": Site(bounce), "small": Site(small_real)}
    try:
        registry = [{"id": sid, "name": AG, "level": "county", "kind": "department",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [site.url + "/"], "allowed_domains": ["127.0.0.1"]}
                    for sid, site in sites.items()]
        path = data / "sources.yaml"
        path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        run_id = crawl(data, sources_path=path, settings=FAST)
        yield {"data": data, "run": run_id, "canary": canary, **sites}
    finally:
        for site in (canary, *sites.values()):
            site.close()


def rows(data, sql: str, *args) -> list[tuple]:
    return sqlite3.connect(data / "nianbao.db").execute(sql, args).fetchall()


@pytest.mark.parametrize(("sid", "path"), [("jump", "/jump"), ("soft", "/soft")])
def test_a_challenge_that_sends_the_browser_to_another_host_is_refused(crawled, sid, path) -> None:
    """Chromium never asks the other host; nothing of it is archived; a note names where it was sent,
    and the entry is blocked by its challenge, not "0 reports"."""
    assert path not in crawled["canary"].asked
    data = crawled["data"]
    assert not rows(data, "SELECT url FROM fetches WHERE final_url LIKE ?", crawled["canary"].url + "%")
    reasons = [r[0] for r in rows(data, "SELECT reason FROM crawl_errors WHERE source_id = ?", sid)]
    assert any(r.startswith("note: ") and f"{crawled['canary'].url}{path}" in r for r in reasons), reasons
    # the cookie the script set before the jump is the site's own: its pages are read with it
    assert rows(data, "SELECT 1 FROM documents WHERE source_id = ? AND kind = 'report'", sid)


def test_a_server_redirect_off_the_entry_in_the_browser_is_not_archived(crawled) -> None:
    """The challenge's reload answered by a redirect to another host: Playwright's routes do not see
    a redirect's hops, so chromium gets there, but its answer is neither archived nor read."""
    data = crawled["data"]
    assert not rows(data, "SELECT url FROM fetches WHERE final_url LIKE ?", crawled["canary"].url + "%")
    reasons = [r[0] for r in rows(data, "SELECT reason FROM crawl_errors WHERE source_id = 'bounce'")]
    assert any(r.startswith("note: ") and f"took the browser to {crawled['canary'].url}/bounce" in r
               for r in reasons), reasons


def test_a_rendered_page_that_ended_off_the_entry_is_not_archived(tmp_path) -> None:
    """Whatever route took chromium elsewhere, what it shows there is neither archived nor read."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import ArchiveMiddleware
    from crawler.sources import load_sources
    from crawler.spiders.families import RunSpider

    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump([{"id": "e", "name": AG, "level": "county", "kind": "department",
                                     "region": {"province": "山东省", "city": "聊城市", "county": None},
                                     "family": "generic", "start_urls": ["http://127.0.0.1:8001/"],
                                     "allowed_domains": ["127.0.0.1"]}], allow_unicode=True), encoding="utf-8")
    crawler = get_crawler(RunSpider, {"NIANBAO_DATA": str(tmp_path)})
    crawler.spider = RunSpider.from_crawler(crawler, sources=load_sources(path))
    mw = ArchiveMiddleware(crawler)
    request = Request("http://127.0.0.1:8001/robots.txt", meta={"playwright": True})
    for where in ("http://169.254.169.254/latest/meta-data/", "http://127.0.0.5:8001/x", "file:///etc/passwd"):
        with pytest.raises(IgnoreRequest, match="browser left the entry's hosts"):
            mw.process_response(request, HtmlResponse(where, body=b"<html>secret</html>", flags=["playwright"]))
    ok = HtmlResponse("http://127.0.0.1:8001/robots.txt", body=b"<html>ok</html>", flags=["playwright"])
    assert asyncio.run(mw.process_response(request, ok)) is ok  # archived on the writer thread, then passed on
    snaps = rows(tmp_path, "SELECT url, final_url FROM fetches")
    assert snaps == [("http://127.0.0.1:8001/robots.txt", "http://127.0.0.1:8001/robots.txt")]


def test_a_short_report_page_that_reloads_itself_is_kept_as_fetched(crawled, capsys) -> None:
    data = crawled["data"]
    docs = {r[0] for r in rows(data, "SELECT url FROM documents WHERE source_id = 'small' AND kind = 'report'")}
    assert crawled["small"].url + "/nb/2023.html" in docs
    reasons = [r[0] for r in rows(data, "SELECT reason FROM crawl_errors WHERE source_id = 'small'")]
    assert not any(r.startswith("blocked") for r in reasons), reasons
    assert any(r.startswith("note: ") and "read as fetched" in r for r in reasons), reasons


def test_an_exception_in_a_spider_callback_is_the_sources_error(tmp_path, capsys) -> None:
    """A bad setting value makes the list callback raise: one crawl_errors row (with the count of
    repeats), counted against the source, and `status` names it."""
    site = Site(lambda path, cookie: portal(path))
    try:
        registry = [{"id": "boom", "name": AG, "level": "county", "kind": "department",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [site.url + "/"], "allowed_domains": ["127.0.0.1"]}]
        path = tmp_path / "sources.yaml"
        path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        crawl(tmp_path, sources_path=path, settings={**FAST, "NIANBAO_BROWSER": False,
                                                     "NIANBAO_MAX_LIST_PAGES": "abc"})
    finally:
        site.close()
    errors = rows(tmp_path, "SELECT url, reason FROM crawl_errors WHERE source_id = 'boom'")
    assert len(errors) == 1, errors
    url, reason = errors[0]
    assert url == site.url + "/"
    assert reason.startswith("spider error in ") and "ValueError" in reason and "abc" in reason
    assert rows(tmp_path, "SELECT errors FROM crawl_run_sources WHERE source_id = 'boom'") == [(1,)]
    status_main(["--data", str(tmp_path), "--json"])
    assert "spider error in " in capsys.readouterr().out


def test_a_spider_error_repeated_on_many_pages_is_one_row_with_its_count(tmp_path) -> None:
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    from crawler.errors import SpiderErrors
    from crawler.sources import load_sources
    from crawler.spiders.families import RunSpider

    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump([{"id": "e", "name": AG, "level": "county", "kind": "department",
                                     "region": {"province": "山东省", "city": "聊城市", "county": None},
                                     "family": "generic", "start_urls": ["http://127.0.0.1:8001/"],
                                     "allowed_domains": ["127.0.0.1"]}], allow_unicode=True), encoding="utf-8")
    crawler = get_crawler(RunSpider, {"NIANBAO_DATA": str(tmp_path), "NIANBAO_RUN_ID": "r1"})
    spider = crawler.spider = RunSpider.from_crawler(crawler, sources=load_sources(path), run_id="r1")
    errors = SpiderErrors(crawler)
    for n in range(3):
        url = f"http://127.0.0.1:8001/nb/{n}.html"
        response = HtmlResponse(url, body=b"<html></html>", request=Request(url, meta={"source_id": "e"}))
        try:
            raise KeyError("title")
        except KeyError:
            errors.spider_error(Failure(), response, spider)
    errors.closed(spider, "finished")
    assert rows(tmp_path, "SELECT source_id, url, reason FROM crawl_errors") == [
        ("e", "http://127.0.0.1:8001/nb/0.html", "spider error: KeyError: 'title' (3 times)")]
    assert spider.families["generic"].stats_for("e").errors == 1
