"""Portal shapes of reports attached in the other formats the parser reads (the seventeenth round), served by a
small server of their own (`Shapes17.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- fm-county-gov 丰茂县人民政府: the 年报 column lists one article a year, each carrying its report as a file:
  - 2024: "附件：丰茂县2024年政府信息公开工作年度报告.html" (the link text names an HTML file), beside the
    article's ordinary page links: 相关链接 to a 政务公开工作要点 page, 上一篇, and the 政府信息公开指南 linked
    in the text; none of those is a file.
  - 2023: the column lists the report's PDF as `/download.jsp?id=9` (no suffix; Content-Disposition names
    it) and, below it, the article that only carries it ("详见附件" over the same link).
  - 2022: "附件：丰茂县2022年政府信息公开工作年度报告.txt" from `/attach/getFile?fileId=105` (text/plain,
    Big5 bytes), and a "附表.txt" whose server answers a 200 "文件不存在" page.
  - 2021: "附件：" over a `.rtf` the server sends as text/html.
  - 2020: an `.mht` (Word's 单个文件网页) sent as message/rfc822.
  - 2019: "附件1：" over `/DownFile.aspx?fid=103`, a CSV named only by its Content-Disposition.

- rn-county-gov 瑞宁县人民政府 (`ScriptColumn`, a server of its own): the 年报 column is an empty list its script
  fills from four parallel fetch() calls after six script files, each slow to answer; the server counts the
  requests it holds open at once.

The files are the realworld fixtures of those containers (tests/fixtures/realworld/101, 103–105), served as
they are.  `requests` lists what each server saw: (method, path with query).
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, urlsplit

from tests.portal.homes9 import SeedBodies, li, make_pdf
from tests.portal.homes16 import page
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import Page, ServedShapes, handler, serving

FM = ("fm-county-gov", "丰茂县人民政府")
SITES = (FM,)
REALWORLD = Path(__file__).resolve().parents[1] / "fixtures" / "realworld"
NAV = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
# the article of each year, and what its file link is (path, link text, the kind its bytes are)
HTML_FILE = "/uploads/202501/fm2024nb.html"
PDF_SERVLET = "/download.jsp?id=9"
TXT_SERVLET = "/attach/getFile?fileId=105"
MISSING_TXT = "/uploads/202301/fb.txt"
RTF_FILE = "/uploads/202201/P020220120356.rtf"
MHT_FILE = "/uploads/202101/fm2020nb.mht"
CSV_SERVLET = "/DownFile.aspx?fid=103"
# the 2024 article's page links that are no files
NAV_LINKS = ("/zwgk/zcwj/202501/t20250110_1.html", "/zwgk/ndbg/202401/t20240122_2023.html", "/zwgk/xxgkzn.html")


def fixture(prefix: str) -> bytes:
    return next(p for p in REALWORLD.glob(f"{prefix}_*") if not p.name.endswith(".expected.json")).read_bytes()


def disposition(name: str) -> tuple[str, str]:
    return "Content-Disposition", f"attachment; filename*=UTF-8''{quote(name)}"


def article_path(year: int) -> str:
    return f"/zwgk/ndbg/{year + 1}01/t{year + 1}0122_{year}.html"


class Shapes17(SeedBodies, ServedShapes):
    """The portal: pages built once, one threaded server."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.articles: dict[int, str] = {}  # year -> its article's path
        self.files: dict[int, str] = {}  # year -> the report file's path (with query)

    def article(self, year: int, content: str) -> str:
        sid, name = FM
        title = f"{name.removesuffix('人民政府')}{year}年政府信息公开工作年度报告"
        path = article_path(year)
        self.pages[sid][path] = Page(page(name, f"{title}_{name}",
                                          f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{year + 1}-01-22"
                                          f"</div><div class='content'>{content}</div>", NAV))
        self.articles[year] = path
        return title

    def build(self) -> None:
        sid, name = FM
        place = name.removesuffix("人民政府")
        pages = self.pages[sid]
        news = "<ul>" + "".join(li(f"/xwzx/{k}.html", f"{place}召开第{k}次工作会议", "2025-03-01")
                                for k in range(4)) + "</ul>"
        pages["/"] = Page(page(name, f"首页_{name}", news, NAV))
        pages["/zwgk/"] = Page(page(name, f"政务公开_{name}", "<a href='/zwgk/ndbg/'>政府信息公开年度报告</a>", NAV))
        for path in NAV_LINKS:
            pages[path] = Page(page(name, f"{place}政务公开_{name}", "<p>" + "政务公开工作要点。" * 30 + "</p>", NAV))
        rows: list[str] = []

        # 2024: an HTML file named so by its link text, among the article's page links
        title = f"{place}2024年政府信息公开工作年度报告"
        pages[HTML_FILE] = Page(page(name, title, f"<h1>{title}</h1>{self.body(name, 2024)}"))
        self.article(2024, f"<p>全文详见附件。本报告依据<a href='{NAV_LINKS[2]}'>政府信息公开指南</a>编制。</p>"
                           f"<p>附件：<a href='{HTML_FILE}'>{title}.html</a></p>"
                           f"<p>相关链接：<a href='{NAV_LINKS[0]}'>{place}2025年政务公开工作要点</a></p>"
                           f"<div class='prev'>上一篇：<a href='{NAV_LINKS[1]}'>{place}2023年政府信息公开工作年度报告"
                           "</a></div>")
        self.files[2024] = HTML_FILE
        rows.append(li(article_path(2024), title, "2025-01-22"))

        # 2023: the column lists the servlet's PDF and the article that only carries it
        title = f"{place}2023年政府信息公开工作年度报告"
        pages[PDF_SERVLET] = Page(make_pdf(title, self.body(name, 2023)), "application/octet-stream",
                                  [disposition(title + ".pdf")])
        self.article(2023, f"<p>详见附件。</p><p>附件：<a href='{PDF_SERVLET}'>{title}.pdf</a></p>")
        self.files[2023] = PDF_SERVLET
        rows += [li(PDF_SERVLET, title + "（附件）", "2024-01-22"), li(article_path(2023), title, "2024-01-22")]

        # 2022: a .txt from a servlet (text/plain), and a .txt whose server answers a 200 error page
        title = self.article(2022, f"<p>附件：<a href='{TXT_SERVLET}'>{place}2022年政府信息公开工作年度报告.txt</a></p>"
                                   f"<p>附件2：<a href='{MISSING_TXT}'>附表.txt</a></p>")
        pages[TXT_SERVLET] = Page(fixture("105"), "text/plain", [disposition(f"{title}.txt")])
        pages[MISSING_TXT] = Page(page(name, "提示", "<p>文件不存在或已被删除！</p>"))
        self.files[2022] = TXT_SERVLET
        rows.append(li(article_path(2022), title, "2023-01-22"))

        # 2021: an RTF sent as text/html
        title = self.article(2021, f"<p>附件：<a href='{RTF_FILE}'>{place}2021年政府信息公开工作年度报告</a></p>")
        pages[RTF_FILE] = Page(fixture("104"), "text/html; charset=utf-8")
        self.files[2021] = RTF_FILE
        rows.append(li(article_path(2021), title, "2022-01-22"))

        # 2020: an MHT sent as message/rfc822
        title = self.article(2020, f"<p>附件：<a href='{MHT_FILE}'>{place}2020年政府信息公开工作年度报告（网页存档）</a></p>")
        pages[MHT_FILE] = Page(fixture("101"), "message/rfc822")
        self.files[2020] = MHT_FILE
        rows.append(li(article_path(2020), title, "2021-01-22"))

        # 2019: a CSV named only by the servlet's Content-Disposition, under 附件1：
        title = self.article(2019, f"<p>附件1：<a href='{CSV_SERVLET}'>{place}2019年政府信息公开工作年度报告</a></p>")
        pages[CSV_SERVLET] = Page(fixture("103"), "application/octet-stream", [disposition(f"{title}.csv")])
        self.files[2019] = CSV_SERVLET
        rows.append(li(article_path(2019), title, "2020-01-22"))

        pages["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                         f"<ul class='list'>{''.join(rows)}</ul>", NAV))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, target: str) -> tuple[int, Page]:
        if urlsplit(target).path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        found = self.pages[site].get(target) or self.pages[site].get(urlsplit(target).path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            self.saw(site, (method, request.path))
            return self.answer(site, request.path)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}
        return [{"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                 "region": {**region, "county": name.removesuffix("人民政府")},
                 "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]} for sid, name in SITES]


# -- a script-drawn column a browser renders, on a slow server that counts its open connections ----------------
RN = ("rn-county-gov", "瑞宁县人民政府")
RN_SCRIPTS = 6  # script files the column loads (a browser opens up to 6 connections to one host)
RN_PARTS = 4  # API calls the column's script makes at once, each drawing one report's item
RN_LATENCY = 0.3  # seconds each script and API answer takes: concurrent requests overlap in the count


class ScriptColumn(SeedBodies):
    """rn-county-gov: the 年报 column is an empty <ul id="list"> that its script fills from RN_PARTS parallel
    fetch() calls, after RN_SCRIPTS script files; every answer of those is slow.  `max_open` is the most
    requests the server held open at once (a threaded server: each request its own connection)."""

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, str]] = []
        self.base = ""
        self.reports: list[str] = []  # the report articles' paths
        self.open = self.max_open = 0
        self._n = 0
        self._lock = threading.Lock()

    def build(self) -> None:
        name = RN[1]
        place = name.removesuffix("人民政府")
        self.pages["/"] = Page(page(name, f"首页_{name}", "<a href='/zwgk/'>政务公开</a>", NAV))
        self.pages["/zwgk/"] = Page(page(name, f"政务公开_{name}", "<a href='/zwgk/ndbg/'>政府信息公开年度报告</a>", NAV))
        for k in range(RN_SCRIPTS):
            self.pages[f"/js/lib{k}.js"] = Page(f"window.lib{k} = {k};".encode(), "application/javascript")
        for part in range(RN_PARTS):
            year = 2024 - part
            title = f"{place}{year}年政府信息公开工作年度报告"
            path = f"/zwgk/ndbg/{year + 1}01/t{year + 1}0120_{year}.html"
            self.pages[path] = Page(page(name, f"{title}_{name}", f"<h1>{title}</h1>"
                                         f"<div class='info'>发布时间：{year + 1}-01-20</div>"
                                         f"<div class='content'>{self.body(name, year)}</div>", NAV))
            self.pages[f"/api/list?part={part}"] = Page(
                f'{{"title": "{title}", "url": "{path}", "date": "{year + 1}-01-20"}}'.encode(),
                "application/json; charset=utf-8")
            self.reports.append(path)
        scripts = "".join(f"<script src='/js/lib{k}.js'></script>" for k in range(RN_SCRIPTS))
        draw = ("<script>Promise.all([" + ",".join(f"fetch('/api/list?part={p}').then(r => r.json())"
                                                   for p in range(RN_PARTS)) + "]).then(items => {"
                "document.getElementById('list').innerHTML = items.map(i => `<li><a href='${i.url}'>${i.title}</a>"
                "<span>${i.date}</span></li>`).join('');});</script>")
        self.pages["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                              f"<ul id='list'>加载中…</ul>{scripts}{draw}", NAV))

    def answer(self, target: str) -> tuple[int, Page]:
        if urlsplit(target).path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        found = self.pages.get(target)
        if found is None:
            return 404, Page(page(RN[1], "404", "<p>页面不存在</p>"))
        if target.startswith(("/js/", "/api/")):
            time.sleep(RN_LATENCY)
        return 200, found

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[ScriptColumn]:
        shapes = cls()
        with serving({RN[0]: handler(shapes.respond, ("GET", "HEAD"))}) as ports:
            shapes.base = f"http://127.0.0.1:{ports[RN[0]]}"
            shapes.build()
            yield shapes

    def respond(self, request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
        with self._lock:
            self.requests.append((method, request.path))
            self.open += 1
            self.max_open = max(self.max_open, self.open)
        try:
            return self.answer(request.path)
        finally:
            with self._lock:
                self.open -= 1

    def registry(self) -> list[dict]:
        sid, name = RN
        return [{"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                 "region": {"province": "岚南省", "city": "青岚市", "county": name.removesuffix("人民政府")},
                 "start_urls": [self.base + "/"], "allowed_domains": ["127.0.0.1"]}]
