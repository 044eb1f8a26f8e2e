"""What the third blind hostile-server examination (/tmp/hostile3) found, fixed and kept fixed:
a page setting 5,000 cookies poisoned the jar, so every later request to the host carried a Cookie
header of ~500 KB and the server refused them all (every report lost, no row naming why); a
redirect to the same address on another port (another server) was followed and archived; a report
link with a 100 KB URL vanished with an INFO log line only.

A real crawl against real servers on 127.0.0.1 (http.server refuses a header line over 64 KB, as
real servers refuse oversized Cookie headers).
"""

from __future__ import annotations

import socketserver
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from crawler.middlewares import COOKIE_HEADER_BYTES, COOKIES_PER_DOMAIN
from crawler.run import crawl

FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "RETRY_TIMES": 1, "LOG_LEVEL": "WARNING", "NIANBAO_BROWSER": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1}


def report(agency: str) -> bytes:
    title = f"{agency}2024年政府信息公开工作年度报告"
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>"
            + "本报告依据条例编制。" * 50 + "</p></body></html>").encode()


class Site:
    """A portal on 127.0.0.1: path -> (status, headers, body); records every path and Cookie length."""

    def __init__(self, pages: dict[str, tuple[int, list[tuple[str, str]], bytes]]) -> None:
        self.pages, self.asked, self.cookie_bytes = pages, [], []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.asked.append(self.path)
                site.cookie_bytes.append(len(self.headers.get("Cookie") or ""))
                status, headers, body = site.pages.get(self.path, (404, [], b"not found"))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


AGENCIES = ["某某县公安局", "某某县教育局", "某某县民政局"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile3-crawl")
    other = Site({"/steal.html": (200, [], report("某某县窃取局"))})
    long_url = "/nb/long.html?" + "x" * 100_000
    links = "".join(f'<li><a href="/nb/{i}.html">{a}2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>'
                    for i, a in enumerate(AGENCIES))
    links += ('<li><a href="/nb/hop.html">某某县跳转局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>'
              f'<li><a href="{long_url}">某某县长链接局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>')
    column = f"<html><head><title>政府信息公开年报</title></head><body><h2>政府信息公开年报</h2><ul>{links}</ul></body></html>"
    flood = [("Set-Cookie", f"c{i}={'v' * 90}; Path=/") for i in range(5000)]
    pages = {"/": (200, flood, column.encode()),
             "/nb/hop.html": (302, [("Location", f"{other.url}/steal.html")], b"")}
    pages.update({f"/nb/{i}.html": (200, [], report(a)) for i, a in enumerate(AGENCIES)})
    site = Site(pages)
    try:
        registry = [{"id": "flood", "name": "某某县人民政府", "level": "county", "kind": "government",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [site.url + "/"]}]
        path = data / "sources.yaml"
        path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        run_id = crawl(data, sources_path=path, settings=FAST)
        yield {"data": data, "run": run_id, "site": site, "other": other}
    finally:
        site.close()
        other.close()


def _rows(crawled, sql: str, *args) -> list[tuple]:
    return sqlite3.connect(crawled["data"] / "nianbao.db").execute(sql, args).fetchall()


def _reasons(crawled) -> list[str]:
    return [r[0] for r in _rows(crawled, "SELECT reason FROM crawl_errors WHERE source_id = 'flood'")]


def test_a_cookie_flood_is_capped_and_the_hosts_crawl_goes_on(crawled) -> None:
    titles = {r[0] for r in _rows(crawled, "SELECT title FROM documents WHERE source_id = 'flood' AND kind = 'report'")}
    assert {f"{a}2024年政府信息公开工作年度报告" for a in AGENCIES} <= titles
    assert max(crawled["site"].cookie_bytes) <= COOKIE_HEADER_BYTES
    capped = [r for r in _reasons(crawled) if r.startswith("note: cookies capped")]
    assert len(capped) == 1 and "127.0.0.1 set 5000 cookies" in capped[0]
    assert f"{5000 - COOKIES_PER_DOMAIN} dropped" in capped[0]
    assert not [r for r in _reasons(crawled) if r.startswith("http 4")]


def test_a_redirect_to_another_port_of_the_host_is_refused_with_a_row(crawled) -> None:
    assert crawled["other"].asked == []
    assert not _rows(crawled, "SELECT 1 FROM fetches WHERE url LIKE ?", f"{crawled['other'].url}%")
    hop = [r for r in _reasons(crawled) if "another port" in r]
    assert hop == [f"ignored: redirect to another port of the host (another server), not followed: "
                   f"{crawled['site'].url}/nb/hop.html -> {crawled['other'].url}/steal.html"]


def test_a_report_link_with_a_100_kb_url_leaves_a_row_naming_it(crawled) -> None:
    long = [r for r in _reasons(crawled) if "characters, over the limit" in r]
    assert len(long) == 1
    assert "某某县长链接局2024年政府信息公开工作年度报告" in long[0]
    assert f"{crawled['site'].url}/nb/long.html?xxx" in long[0]
    assert not any(p.startswith("/nb/long.html") for p in crawled["site"].asked)


# --- replies that are not (complete) HTTP, and redirects to other schemes ----------------------

class RawSite:
    """A raw socket server on 127.0.0.1: path -> the exact bytes sent back (then the connection closes)."""

    def __init__(self, replies: dict[str, bytes]) -> None:
        self.replies = replies
        site = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(65536).decode("latin-1")
                while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                    pass
                path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
                self.wfile.write(site.replies.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _http(body: bytes, head: str = "") -> bytes:
    return (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{head}"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


@pytest.fixture(scope="module")
def wire(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile3-wire")
    body = report("某某县坏线局")
    names = ["bad_chunk", "http09", "tls", "header_1mb", "to_file", "to_ftp", "to_js"]
    links = "".join(f'<li><a href="/nb/{n}.html">某某县{n}局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>'
                    for n in names)
    column = f"<html><head><title>政府信息公开年报</title></head><body><h2>政府信息公开年报</h2><ul>{links}</ul></body></html>"
    moved = "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\n\r\n"
    site = RawSite({
        "/robots.txt": b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
        "/": _http(column.encode()),
        "/nb/bad_chunk.html": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"100\r\n" + body[:256] + b"\r\nzzzz-not-hex\r\n" + body[256:] + b"\r\n0\r\n\r\n",
        "/nb/http09.html": b"<!DOCTYPE html>\n" + body,  # HTTP/0.9: the body alone
        "/nb/tls.html": bytes.fromhex("160303003d020000390303") + bytes(range(200)),
        "/nb/header_1mb.html": _http(body, "X-Big: " + "A" * (1 << 20) + "\r\n"),
        "/nb/to_file.html": moved.format("file:///etc/passwd").encode(),
        "/nb/to_ftp.html": moved.format("ftp://127.0.0.1/pub/report.pdf").encode(),
        "/nb/to_js.html": moved.format("javascript:alert(document.cookie)").encode(),
    })
    try:
        registry = [{"id": "wire", "name": "某某县人民政府", "level": "county", "kind": "government",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [site.url + "/"]}]
        path = data / "sources.yaml"
        path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        crawl(data, sources_path=path, settings={**FAST, "RETRY_TIMES": 0})
        rows = sqlite3.connect(data / "nianbao.db").execute(
            "SELECT url, reason FROM crawl_errors WHERE source_id = 'wire'").fetchall()
        yield {url.rsplit("/", 1)[-1].removesuffix(".html"): reason for url, reason in rows}
    finally:
        site.close()


def test_a_reply_that_is_not_http_is_said_in_words(wire) -> None:
    assert wire["http09"] == "not HTTP: the reply has no HTTP status line (an HTTP/0.9 or non-HTTP answer)"
    assert wire["tls"] == "not HTTP: the server answered with TLS bytes (an https server behind an http URL?)"


def test_a_broken_chunked_body_is_not_called_short_of_its_content_length(wire) -> None:
    assert wire["bad_chunk"].startswith("truncated: the chunked body broke off")
    assert "Content-Length" not in wire["bad_chunk"]


def test_a_header_line_too_long_to_read_is_named(wire) -> None:
    assert wire["header_1mb"].startswith("no answer: the connection closed before a complete response header")


@pytest.mark.parametrize("name,scheme,target", [("to_file", "file", "file:///etc/passwd"),
                                                ("to_ftp", "ftp", "ftp://127.0.0.1/pub/report.pdf"),
                                                ("to_js", "javascript", "javascript:alert(document.cookie)")])
def test_a_redirect_to_another_scheme_is_refused_in_words(wire, name, scheme, target) -> None:
    assert wire[name].startswith(f"ignored: redirect to a {scheme}: URL refused: ")
    assert wire[name].endswith(f"/nb/{name}.html -> {target}")
