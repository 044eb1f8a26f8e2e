"""hostile22's crawl faults, replayed on 127.0.0.1: a 年报 column whose pager goes on for ever, a listed
report whose page answers 500 for ever, and one behind a JS challenge that reloads for ever and never
passes.  One server, two registry entries: `endless` (a 下一页 on every page, each page listing one new
notice besides the reports) and `repeat` (every page the same list, as the exam's portal served it).
Every request is logged in `requests` (path, User-Agent) so a test counts what the portal saw."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

AGENCY = "赣州市交通运输局"
GOOD = ("/{col}/202401/t20240120_1001.html", 2023)
FAILING = ("/{col}/202001/t20200115_2001.html", 2019)  # 500 for ever
CHALLENGED = ("/{col}/201201/t20120115_2009.html", 2011)  # a JS challenge that reloads and never passes
# the challenge sets no cookie the server takes and reloads itself every 100 ms
CHALLENGE = (b'<html><head><meta charset="utf-8"><script>document.cookie="wzws_cid=no; path=/";'
             b"setTimeout(function(){location.reload()},100);</script></head><body>please wait</body></html>")


def list_page(col: str, n: int) -> bytes:
    items = [(p.format(col=col), y) for p, y in (GOOD, FAILING, CHALLENGED)]
    lis = "".join(f'<li><a href="{h}" title="{AGENCY}{y}年政府信息公开工作年度报告">{AGENCY}{y}年政府信息公开工作年度报告</a>'
                  f"<span>{y + 1}-01-15</span></li>" for h, y in items)
    if col == "endless":
        lis += f'<li><a href="/{col}/notice/t{n}.html">关于第{n}期政务公开工作的通知</a><span>2020-01-01</span></li>'
    prev = "" if n == 0 else f'<a href="{"index.html" if n == 1 else f"index_{n - 1}.html"}">上一页</a>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报-{AGENCY}</title></head><body>'
            f'<div class="nav">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div><ul class="list">{lis}</ul>'
            f'<div class="page">{prev} 第{n + 1}页 <a href="index_{n + 1}.html">下一页</a></div></body></html>').encode()


def report(year: int) -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{AGENCY}{year}年政府信息公开工作年度报告</title></head><body>'
            f"<h1>{AGENCY}{year}年政府信息公开工作年度报告</h1><p>发布时间：{year + 1}-01-20</p>"
            "<p>一、总体情况</p></body></html>").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D102 - quiet
        pass

    def send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        self.server.requests.append((path, self.headers.get("User-Agent", "")))
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n")
        col, _, rest = path.strip("/").partition("/")
        if col not in ("endless", "repeat"):
            return self.send(404, b"not found")
        if rest in ("", "index.html"):
            return self.send(200, list_page(col, 0))
        if rest.startswith("index_") and rest.endswith(".html") and rest[6:-5].isdigit():
            return self.send(200, list_page(col, int(rest[6:-5])))
        if path == GOOD[0].format(col=col):
            return self.send(200, report(GOOD[1]))
        if path == CHALLENGED[0].format(col=col):
            return self.send(412, CHALLENGE)
        if rest.startswith("notice/"):
            return self.send(200, '<html><head><meta charset="utf-8"><title>通知</title></head><body>通知</body></html>'
                             .encode())
        return self.send(500, b"<html><body>500 Internal Server Error</body></html>")


@contextmanager
def started() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def registry(server: http.server.ThreadingHTTPServer) -> list[dict]:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    return [{"id": col, "name": AGENCY, "level": "city", "kind": "department",
             "region": {"province": "江西省", "city": "赣州市", "county": None}, "family": "generic",
             "start_urls": [f"{base}/{col}/index.html"]} for col in ("endless", "repeat")]
