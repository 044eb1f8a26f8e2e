"""A list the crawl renders after fetching it plainly is asked of the server once (crawler/served.py):
chromium is given the plain answer, and everything the page's script asks afterwards still reaches the
server as the script sent it.

The shape that caught the first version out (the seventeenth blind portals' ASP.NET column): a WebForms
list whose __doPostBack pager is turned in chromium.  With the page load answered from the plain fetch,
scrapy-playwright still waited for "its" request and took the pager's POST to the same URL for it, sent
as a GET: page 1 again, and the last page's reports were never found.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.fleet_hosts import report_page, sets

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LIST = "/xxgk/NewsList.aspx"
PER = 2
TITLES = [f"温县{body}{year}年政府信息公开工作年度报告" for body, year in
          [("发展和改革局", 2024), ("公安局", 2024), ("财政局", 2024), ("教育局", 2023), ("民政局", 2023)]]
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
        "MAX_IDLE_TIME_BEFORE_CLOSE": 3, "LOG_LEVEL": "WARNING"}


def list_page(pg: int) -> bytes:
    pages = (len(TITLES) + PER - 1) // PER
    rows = "".join(f"<tr><td><a href='ShowNews.aspx?id={n}' target='_blank'>{t}</a></td><td>2025-0{n % 9 + 1}-15</td></tr>"
                   for n, t in enumerate(TITLES) if (pg - 1) * PER <= n < pg * PER)

    def pb(k: int) -> str:
        return f"javascript:__doPostBack(&#39;ctl00$Main$Pager&#39;,&#39;{k}&#39;)"
    pager = f"共{len(TITLES)}条 第{pg}/{pages}页 <a href=\"{pb(1)}\">首页</a> "
    if pg > 1:
        pager += f"<a href=\"{pb(pg - 1)}\">上一页</a> "
    pager += " ".join(f"<a href=\"{pb(k)}\">{k}</a>" if k != pg else f"<span class='cur'>{k}</span>"
                      for k in range(1, pages + 1))
    if pg < pages:
        pager += f" <a href=\"{pb(pg + 1)}\">下一页</a>"
    pager += f" <a href=\"{pb(pages)}\">尾页</a>"
    state = base64.b64encode(f"/wEPDwUKMTM0NjQ1;page={pg};".encode()).decode()
    body = ("<form name='aspnetForm' method='post' action='./NewsList.aspx?ClassID=15' id='aspnetForm'>"
            "<div><input type='hidden' name='__EVENTTARGET' id='__EVENTTARGET' value='' />"
            "<input type='hidden' name='__EVENTARGUMENT' id='__EVENTARGUMENT' value='' />"
            f"<input type='hidden' name='__VIEWSTATE' id='__VIEWSTATE' value='{state}' /></div>"
            "<script type='text/javascript'>//<![CDATA[\nvar theForm = document.forms['aspnetForm'];\n"
            "function __doPostBack(eventTarget, eventArgument) {\n if (!theForm.onsubmit || (theForm.onsubmit() != false)) {\n"
            "  theForm.__EVENTTARGET.value = eventTarget;\n  theForm.__EVENTARGUMENT.value = eventArgument;\n"
            "  theForm.submit();\n }\n}\n//]]></script>"
            "<div class='location'>当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>"
            f"<table id='ctl00_Main_GridView1' class='list'>{rows}</table>"
            f"<div id='ctl00_Main_Pager' class='pager'>{pager}</div>"
            f"<div><input type='hidden' name='__EVENTVALIDATION' id='__EVENTVALIDATION' value='/wEWBAL{pg}x9' /></div>"
            "</form>")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开年报-温县人民政府</title></head>"
            f"<body>{body}</body></html>").encode()


class WebForms:
    """One ASP.NET column on 127.0.0.1: a GET is always page 1; later pages only by the form's POST."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                host.seen.append(("GET", self.path))
                path, _, query = self.path.partition("?")
                if path == "/robots.txt":
                    return self.send(200, b"User-agent: *\nDisallow:\n", "text/plain")
                if path == LIST:
                    return self.send(200, list_page(1))
                if path == "/xxgk/ShowNews.aspx":
                    n = int(dict(urllib.parse.parse_qsl(query)).get("id", "-1"))
                    if 0 <= n < len(TITLES):
                        return self.send(200, report_page(TITLES[n], 10 + n).encode("utf-8"))
                return self.send(404, b"not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                host.seen.append(("POST", self.path))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()))
                if self.path.partition("?")[0] != LIST or not form.get("__VIEWSTATE"):
                    return self.send(500, "验证视图状态 MAC 失败。".encode())
                page_no = int(form.get("__EVENTARGUMENT") or 1) if form.get("__EVENTTARGET") == "ctl00$Main$Pager" else 1
                return self.send(200, list_page(page_no))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_rendered_postback_list_is_fetched_once_and_walked_to_its_last_page(tmp_path) -> None:
    site = WebForms()
    start = f"http://127.0.0.1:{site.port}{LIST}?ClassID=15"
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        '[{"id": "wx-gov", "name": "温县人民政府", "level": "county", "kind": "government", "family": "generic",'
        ' "region": {"province": "河南省", "city": "焦作市", "county": "温县"}, "start_urls": ["' + start + '"]}]',
        encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(tmp_path / "data"),
                               "--sources", str(sources), *sets(FAST)],
                              env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        site.server.shutdown()
    assert done.returncode == 0, done.stderr[-3000:]
    with sqlite3.connect(tmp_path / "data" / "nianbao.db") as conn:
        found = {u for (u,) in conn.execute("SELECT url FROM documents WHERE kind = 'report'")}
    assert {urllib.parse.urlsplit(u).query for u in found} == {f"id={n}" for n in range(len(TITLES))}
    gets = [p for method, p in site.seen if method == "GET" and p.startswith(LIST)]
    assert gets == [f"{LIST}?ClassID=15"]  # the list once: the render was given that answer
    assert [p for method, p in site.seen if method == "POST"], "the pager was never posted"
