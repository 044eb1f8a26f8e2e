"""A portal's defences and a platform hub shared by several registry entries (lb-prov-gov,
tests/portal/homes8.py): a cookie WAF answering every first request with a 302 to the same URL and
a Set-Cookie, a hub whose 省政府部门 table holds a department with a registry entry of its own, and
a department whose pages all answer 403.

Crawled by the real crawl (in its child process) with the network outside 127.0.0.x made visible: a
proxy that only records who called is set for the crawl, and tldextract's cache points at an empty
directory, so a Public Suffix List download would show up.  Checked as a user would: the archive's
documents and crawl_errors, `nianbao status`, and what the portal's server saw.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import yaml
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from archive.store import Archive
from crawler.middlewares import RedirectLoopMiddleware
from crawler.monitor import source_health
from crawler.run import crawl
from crawler.spiders.generic import GenericSpider
from tests.portal.homes8 import BLOCKED, PROVINCE_COLUMN, WAF_COOKIE, department_entries, dept_base
from tests.portal.server import SITE, Replica
from tests.test_crawl_generic import FAST

PID = "lb-prov-gov"


class RecordingProxy:
    """Accepts connections on 127.0.0.1 and keeps the first line of each (CONNECT host:443 …)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.seen: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    self.seen.append(conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1"))
                except OSError:
                    self.seen.append("(no request line)")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-defences")
    log = data / "crawl.log"
    proxy = RecordingProxy()
    with Replica.start(faults=False, homes=True) as rep, pytest.MonkeyPatch.context() as mp:
        host = urlsplit(rep.url(PID)).hostname
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            mp.setenv(name, proxy.url)
        for name in ("NO_PROXY", "no_proxy"):
            mp.setenv(name, f"{host},127.0.0.1,localhost")
        mp.setenv("TLDEXTRACT_CACHE", str(tmp_path_factory.mktemp("tldextract-cache")))
        entries = [e for e in rep.sources() if e["id"] == PID] + department_entries(rep)
        sources = data / "sources.yaml"
        sources.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        crawl(data, sources_path=sources, settings={**FAST, "LOG_FILE": str(log)})
        reports = [r for r in rep.reports() if r["portal_id"] == PID]
        seen = [s for s in rep.requests if s.portal_id == PID]
        base = rep.base_url(PID)
        url = lambda path: base + path  # noqa: E731
    proxy.close()
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    yield {"conn": conn, "reports": reports, "seen": seen, "url": url, "proxy": proxy.seen,
           "log": log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""}
    conn.close()


def found(conn, source_id: str) -> dict[str, sqlite3.Row]:
    return {r["url"]: r for r in conn.execute("SELECT * FROM documents WHERE kind = 'report' AND source_id = ?",
                                              (source_id,))}


def test_the_cookie_check_is_passed_and_the_provinces_reports_found(crawled) -> None:
    province = found(crawled["conn"], PID)
    own = [r for r in crawled["reports"] if not r.get("entry") and not r.get("hub_department")]
    assert len(own) == 2
    for report in own:
        assert (province[report["url"]]["year"], province[report["url"]]["agency"]) == (report["year"], report["agency"])
    # the WAF answered the first request of each entry with its 302, then let the cookie through
    waf = [s for s in crawled["seen"] if WAF_COOKIE not in (s.headers.get("Cookie") or "") and s.path != "/robots.txt"]
    assert 1 <= len(waf) <= 3
    assert sum(WAF_COOKIE in (s.headers.get("Cookie") or "") for s in crawled["seen"]) >= 10
    reasons = [r["reason"] for r in crawled["conn"].execute("SELECT reason FROM crawl_errors")]
    assert not [r for r in reasons if "redirect loop" in r or "cookie check" in r]


def test_a_department_with_an_entry_owns_its_subtree_and_one_without_stays_the_hubs(crawled) -> None:
    conn, url = crawled["conn"], crawled["url"]
    jtt = [r for r in crawled["reports"] if r.get("entry") == "lb-jtt"]
    assert len(jtt) == 2 and set(found(conn, "lb-jtt")) == {r["url"] for r in jtt}
    province = found(conn, PID)
    assert not {r["url"] for r in jtt} & set(province)  # no report has two sources
    walked = [r["url"] for r in conn.execute("SELECT url FROM fetches WHERE source_id = ?", (PID,))]
    assert not [u for u in walked if urlsplit(u).path.startswith((dept_base("jtt"), BLOCKED))]
    # the 水利厅 has no entry: its report found on the hub is kept, under its own agency
    hub = [r for r in crawled["reports"] if r.get("hub_department")]
    assert hub and all(province[r["url"]]["agency"] == r["agency"] for r in hub)
    assert url(PROVINCE_COLUMN) in walked or url(PROVINCE_COLUMN + "index.html") in walked


@pytest.fixture(scope="module")
def hub_only(tmp_path_factory):
    """The same registry, `--only` the hub: the departments' entries are not crawled this time."""
    data = tmp_path_factory.mktemp("crawl-hub-only")
    with Replica.start(faults=False, homes=True) as rep:
        entries = [e for e in rep.sources() if e["id"] == PID] + department_entries(rep)
        sources = data / "sources.yaml"
        sources.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        crawl(data, sources_path=sources, only=[PID], settings=FAST)
        jtt = [r["url"] for r in rep.reports() if r.get("entry") == "lb-jtt"]
        seen = [s.path for s in rep.requests if s.portal_id == PID]
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    yield {"conn": conn, "jtt": jtt, "seen": seen}
    conn.close()


def test_a_hub_crawled_alone_still_leaves_the_departments_subtrees_to_their_entries(hub_only) -> None:
    conn = hub_only["conn"]
    province = found(conn, PID)
    assert province and hub_only["jtt"]
    assert not set(hub_only["jtt"]) & set(province)
    assert not [p for p in hub_only["seen"] if p.startswith((dept_base("jtt"), BLOCKED))]
    assert conn.execute("SELECT count(*) FROM documents WHERE source_id != ?", (PID,)).fetchone()[0] == 0


def test_an_entry_refused_with_403_is_recorded_as_blocked(crawled) -> None:
    conn = crawled["conn"]
    reasons = [r["reason"] for r in conn.execute("SELECT reason FROM crawl_errors WHERE source_id = 'lb-gat'")]
    assert reasons and all(r.startswith("blocked: http 403") for r in reasons)
    health = {h.source_id: h for h in source_health(conn)}
    assert health["lb-gat"].problem.startswith("blocked: http 403")
    assert health[PID].problem is None and health["lb-jtt"].problem is None


def test_the_crawl_never_reaches_for_the_public_suffix_list(crawled) -> None:
    assert crawled["proxy"] == []  # nothing tried to leave 127.0.0.x (publicsuffix.org, GitHub)
    assert "publicsuffix" not in crawled["log"].lower() and "Traceback" not in crawled["log"]


# ----------------------------------------------------------------------------- units


def hop(url: str, location: str, cookie: bool, chain: list[str] = ()) -> tuple[Request, Response]:
    request = Request(url, meta={"redirect_urls": list(chain)} if chain else {})
    headers = {"Location": location, **({"Set-Cookie": "W=1; Path=/"} if cookie else {})}
    return request, Response(url, status=302, headers=headers, request=request)


def test_a_same_url_redirect_setting_a_cookie_is_followed_twice_then_named() -> None:
    mw = RedirectLoopMiddleware()
    request, response = hop("http://p.test/a", "/a", cookie=True)
    assert mw.process_response(request, response) is response and request.dont_filter  # past the dupefilter
    request, response = hop("http://p.test/a", "/a", cookie=True, chain=["http://p.test/a"])
    assert mw.process_response(request, response) is response
    request, response = hop("http://p.test/a", "/a", cookie=True, chain=["http://p.test/a"] * 2)
    with pytest.raises(IgnoreRequest, match="cookie check not passed"):
        mw.process_response(request, response)
    request, response = hop("http://p.test/b", "/a", cookie=False, chain=["http://p.test/a"])
    with pytest.raises(IgnoreRequest, match="^redirect loop"):
        mw.process_response(request, response)


def spider_for(pages: int = 0) -> GenericSpider:
    source = SimpleNamespace(id="s", family="generic", start_urls=["http://p.test/"], allowed_domains=["p.test"],
                             overrides={}, region={"province": "河岳省", "city": "澄江市", "county": "清川县"})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(SITE / ".unused")})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    spider.stats_for("s").pages = pages
    return spider


def refused(status: int, **request: object) -> Failure:
    req = Request(request.pop("url", "http://p.test/"), **request)
    failure = Failure(HttpError(Response(req.url, status=status, request=req)))
    failure.request = req  # as Scrapy hands it to an errback
    return failure


def test_refusals_on_the_way_in_are_blocked_and_a_refused_file_is_not() -> None:
    spider = spider_for(pages=5)
    assert spider.failure_reason(refused(403, meta={"source_id": "s"})) == "blocked: http 403"
    column = refused(451, url="http://p.test/ndbg/", meta={"source_id": "s", "nianbao_parent": "http://p.test/"},
                     cb_kwargs={"page": 1, "column": True})
    assert spider.failure_reason(column) == "blocked: http 451"
    pdf = refused(403, url="http://p.test/a.pdf", meta={"source_id": "s", "nianbao_parent": "http://p.test/r.html"})
    assert spider.failure_reason(pdf) == "http 403"  # hot-link protection on one file
    assert spider_for(pages=0).failure_reason(pdf) == "blocked: http 403"  # nothing of the entry was read
    assert spider.failure_reason(refused(404, meta={"source_id": "s"})) == "http 404"
    loop = Failure(IgnoreRequest("cookie check not passed: redirect loop: http://p.test/ -> http://p.test/"))
    loop.request = Request("http://p.test/", meta={"source_id": "s"})
    assert spider.failure_reason(loop).startswith("blocked: cookie check not passed")


def test_notes_say_once_per_entry_what_the_crawl_left_out(tmp_path) -> None:
    spider = spider_for(pages=1)
    spider.archive = Archive(tmp_path)
    rows = [f"<tr><td><a href='/xxgk/c{i}.html'>关于印发某某工作方案的通知{i}</a></td><td>2024-0{1 + i % 9}-10</td></tr>"
            for i in range(15)]
    body = ("<html><body><h2>政府信息公开</h2><table>" + "".join(rows) + "</table>"
            "<div class='page'>共200页 <a href='list.jsp?page=2'>下一页</a> <a href='list.jsp?page=200'>尾页</a></div>"
            "<a href='http://city.test/nb/1.html'>天柱市人民政府2024年政府信息公开工作年度报告</a>"  # the city's: no loss
            "<a href='http://old.p.test/ndbg/index.asp'>2019年及以前年报（旧版网站）</a>"
            "<a href='http://old.p.test/ndbg/more.asp'>历年年报（旧版）</a>"
            "<a href='http://qyxy.gov.test/'>企业年报公示</a></body></html>")
    request = Request("http://p.test/xxgk/list.jsp?page=1", meta={"source_id": "s"}, cb_kwargs={"page": 1, "depth": 1})
    response = HtmlResponse(request.url, body=body.encode("utf-8"), encoding="utf-8", request=request)
    asked = [r.url for r in spider.parse_list(response, page=1, depth=1)]
    assert not [u for u in asked if "page=2" in u or "old.p.test" in u]  # not a 年报 column: not paged
    spider.closed_notes()
    notes = [r[0] for r in spider.archive.db.conn.execute("SELECT reason FROM crawl_errors ORDER BY id")]
    assert len(notes) == 2 and all(n.startswith("note: ") for n in notes)
    assert "old.p.test" in notes[0] and "旧版网站" in notes[0]  # once, and not for 企业年报公示
    assert "200 pages" in notes[1]
    assert spider.stats_for("s").errors == 0  # a note is not a failure


def test_a_catalogue_list_of_one_page_is_not_noted_as_unpaged(tmp_path) -> None:
    """A 信息公开目录 node's list is not a 年报 column, so only its first page is read and a longer one is
    noted; a node of one page is not: its script pager's controls all ask for page 1 (goPage(1)),
    or it prints "第1/1页".  One of 3 pages (尾页 goPage(3)) is noted as 3 pages."""
    def pager(last: int, shown: str = "") -> str:
        words = ("首页", "上一页", "下一页", "尾页")
        return shown + "".join(f'<a href="javascript:void(0);" onclick="goPage({n})">{w}</a>'
                               for n, w in zip((1, 1, min(2, last), last), words, strict=True))

    notes = []
    for n, bar in enumerate([pager(1), pager(1, "共2条 第1/1页 "), pager(3)]):
        spider = spider_for(pages=1)
        spider.archive = Archive(tmp_path / str(n))
        rows = "".join(f"<tr><td><a href='/xxgk/content.do?id={i}'>关于印发某某工作方案的通知{i}</a></td>"
                       f"<td>2024-01-1{i}</td></tr>" for i in range(2))
        body = f"<html><body><h2>政府信息公开目录</h2><table>{rows}</table><div class='page'>{bar}</div></body></html>"
        request = Request("http://p.test/xxgk/list.do?catId=1509", meta={"source_id": "s"},
                          cb_kwargs={"page": 1, "depth": 1})
        response = HtmlResponse(request.url, body=body.encode("utf-8"), encoding="utf-8", request=request)
        list(spider.parse_list(response, page=1, depth=1))
        spider.closed_notes()
        notes.append([r[0] for r in spider.archive.db.conn.execute("SELECT reason FROM crawl_errors")])
    assert notes[0] == [] and notes[1] == []
    assert len(notes[2]) == 1 and "list of 3 pages not paged" in notes[2][0]


def test_status_lists_notes_apart_from_errors(tmp_path) -> None:
    """A note says where the crawl was cut short; an operator reading `nianbao status` sees it, but a
    source whose only rows are notes has no errors and nothing that needs attention."""
    conn = Archive(tmp_path).db.conn
    conn.execute("INSERT INTO crawl_runs (id, started_at, finished_at, status) VALUES ('r1', '2026-01-01', '2026-01-01',"
                 " 'finished')")
    conn.execute("INSERT INTO crawl_run_sources VALUES ('r1', 'qc', 3, 6, 0, 0, 1.0)")
    conn.execute("INSERT INTO crawl_errors (run_id, source_id, url, reason) VALUES ('r1', 'qc', 'http://q.test/l',"
                 " 'note: list of 200 pages not paged')")
    conn.commit()
    (health,) = source_health(conn)
    assert health.errors == 0 and health.problem is None and health.top_errors == []
    assert health.notes == ["note: list of 200 pages not paged"]


def test_the_cookie_jar_keeps_a_sites_cookies_and_drops_one_for_a_public_suffix(monkeypatch, tmp_path) -> None:
    """The WAF's cookie comes back on the next request; a cookie set for a public suffix (Domain=gov.cn,
    told from tldextract's bundled list, its cache dir empty) is sent nowhere, as in Scrapy's jar."""
    from crawler.middlewares import OfflineCookiesMiddleware

    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path))
    mw = OfflineCookiesMiddleware.from_crawler(get_crawler(settings_dict={"COOKIES_ENABLED": True}))
    first = Request("http://www.x.gov.cn/a")
    assert mw.process_request(first) is None and b"Cookie" not in first.headers
    answer = Response(first.url, status=302, request=first, headers={"Set-Cookie": [
        "waf=ok; Path=/", "wide=1; Domain=.gov.cn; Path=/", "site=1; Domain=x.gov.cn; Path=/"]})
    assert mw.process_response(first, answer) is answer

    def sent(url: str) -> set[str]:
        request = Request(url)
        mw.process_request(request)
        return set((request.headers.get("Cookie") or b"").decode().split("; ")) - {""}

    assert sent("http://www.x.gov.cn/a") == {"waf=ok", "site=1"}
    assert sent("http://xxgk.x.gov.cn/") == {"site=1"}  # Domain=x.gov.cn covers its hosts
    assert sent("http://www.y.gov.cn/") == set()
    assert list(tmp_path.iterdir()) == []  # no suffix list fetched and cached
