"""Portal shapes a twelfth set of blind test portals showed the generic crawl losing, served by a small server
of their own (`Shapes12.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- fr-city-gov 青岚市人民政府 (Hanweb-style): the 政府信息公开年报 column `/col/col183/index.html` is a shell whose
  list is an `<iframe src=/module/web/jpage/list.jsp?columnid=183>`: the frame's document has an empty
  `<title>`, 3 rows a page, its own pager (`&pageIndex=2`).  Files come only from
  `/attach/download?path=<base64 of the stored path>` (octet-stream, Content-Disposition name): the 2024
  article names its PDF, the 财政局's DOCX is linked as "下载", and the 2023 article is only an
  `<iframe>` of a pdf.js viewer whose `file=` wraps that servlet (no `.pdf` anywhere in the URL).  A
  图解 look-alike in the list is a PDF on another host (the registry does not list it).
- ak-county-gov 安康县人民政府: a plain column, but the 2023 article's attachment list is drawn by script
  from `/api/info/attach?infoId=`, which answers only with `X-Requested-With: XMLHttpRequest` and a token
  from `/api/auth/getToken` (`Authorization: Bearer …`); the article says only "全文见附件".
- sq-district-gov 松桥区人民政府: no page links the 年报 column (not the nav, not 政务公开, not 网站地图); only
  the site search (a GET form `/search/index.html?q=`, 2 results a page, finite) finds it, with the
  city's report (another body) among the results.  The column shows 2024 and 往年年报
  `<select onchange="location=this.value">` whose options are the older reports' pages, the 2022 one
  the PDF itself.
- nc-town-gov 南村镇人民政府: no 年报 column, no search form: the crawl must say so, not end silently.

`Shapes12.truth` lists every own report (site, url path, year, agency, form); `others` the other body's
report paths; `requests` what each server saw: (method, path with query, headers).
"""

from __future__ import annotations

import base64
import html
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from tests.portal.homes import narrative
from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf
from tests.portal.homes10 import make_docx
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import Page, Respond, handler, serving

FR = ("fr-city-gov", "青岚市人民政府")
AK = ("ak-county-gov", "安康县人民政府")
SQ = ("sq-district-gov", "松桥区人民政府")
NC = ("nc-town-gov", "南村镇人民政府")
SITES = (FR, AK, SQ, NC)
FILES = "files"  # a file host the registry does not list (look-alikes only)
FR_FRAME = "/module/web/jpage/list.jsp?columnid=183"
AK_TOKEN = "tk-7f3a"
SQ_PER = 2  # search results a page
PDF, OCTET = "application/pdf", "application/octet-stream"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AK_JS = r"""
function xhr(url, hdr, cb) { var x = new XMLHttpRequest(); x.open('GET', url);
  x.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
  for (var k in hdr) { x.setRequestHeader(k, hdr[k]); } x.onload = function () { cb(x.status, x.responseText); }; x.send(); }
function loadAttach(id) {
  xhr('/api/auth/getToken', {}, function (s, t) {
    xhr('/api/info/attach?infoId=' + id, {'Authorization': 'Bearer ' + JSON.parse(t).token}, function (s2, t2) {
      var h = ''; JSON.parse(t2).data.forEach(function (f) { h += '<li><a href="' + f.url + '">' + f.name + '</a></li>'; });
      document.getElementById('attach').innerHTML = h; }); }); }
"""


def page(site_name: str, title: str, body: str, nav: str = "", search: bool = False) -> bytes:
    """A portal page: top bar, an optional GET search box, nav, body, footer (no search link: the search
    is only asked through its form)."""
    box = ("<form action='/search/index.html' method='get'><input name='q' placeholder='请输入关键词'>"
           "<button>搜索</button></form>") if search else ""
    top = "<div class='top'><a href='/user/login.html'>登录</a> <a href='/wzdt/'>网站地图</a></div>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body>{top}<div class='logo'>{site_name}</div>{box}<div class='nav'>{nav}</div>"
            f"<div class='main'>{body}</div><div class='foot'>主办：{site_name}办公室</div></body></html>").encode()


def stored(path: str) -> str:
    return base64.b64encode(path.encode()).decode()


class Shapes12(SeedBodies):
    """The portals: pages built once, answered by one threaded server per portal (and the file host)."""

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self.pages: dict[str, dict[str, Page]] = {s[0]: {} for s in SITES}
        self.pages[FILES] = {}
        self.truth: list[Truth] = []
        self.others: list[str] = []
        self.requests: dict[str, list[tuple[str, str, dict]]] = {s: [] for s in (*dict(SITES), FILES)}
        self.bases: dict[str, str] = {}
        self.fr_rows: list[str] = []
        self.fr_files: dict[str, tuple[bytes, str]] = {}  # stored path -> (bytes, name)
        self.ak_attach: dict[str, list[dict]] = {}
        self.sq_index: list[tuple[str, str]] = []  # (title, path) the site search knows
        self._n = 0
        self._lock = threading.Lock()

    def build(self) -> None:
        """Pages need the servers' ports (absolute viewer and file-host URLs): built once they run."""
        self.build_fr()
        self.build_ak()
        self.build_sq()
        self.build_nc()

    # -- content ---------------------------------------------------------------------------------------
    def article(self, site: str, path: str, title: str, content: str, nav: str = "", published: str = "2025-01-20",
                tail: str = "", search: bool = False) -> None:
        meta = f"<div class='info'>发布时间：{published}</div>"
        self.pages[site][path] = Page(page(dict(SITES)[site], f"{title}_{dict(SITES)[site]}",
                                           f"<h1>{html.escape(title)}</h1>{meta}<div class='content'>{content}</div>{tail}",
                                           nav, search))

    def report(self, site: str, path: str, year: int, agency: str, form: str) -> None:
        self.truth.append(Truth(site, path, year, agency, form))

    @staticmethod
    def news(place: str, n: int = 40) -> str:
        return "<ul>" + "".join(li(f"/xwzx/{k}.html", f"{place}召开第{k}次工作会议", "2025-03-01") for k in range(n)) + "</ul>"

    # -- fr: a column whose list is an iframe (empty title, own pager); files via download?path= -------------
    def build_fr(self) -> None:
        sid, name = FR
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/col/col102/index.html'>政务公开</a> <a href='/col/col103/index.html'>政务服务</a>"
        left = ("<div class='left'><a href='/col/col180/index.html'>政府信息公开指南</a> "
                "<a href='/col/col183/index.html'>政府信息公开年报</a></div>")
        pages["/"] = Page(page(name, f"首页_{name}", self.news("青岚市"), nav, search=True))
        pages["/col/col102/index.html"] = Page(page(name, f"政务公开_{name}", left, nav, search=True))
        pages["/col/col183/index.html"] = Page(page(name, f"政府信息公开年报_{name}", left +
                                                    "<h2>政府信息公开年报</h2>"
                                                    f"<iframe id='listFrame' src='{FR_FRAME}' width='100%' height='600'></iframe>",
                                                    nav, search=True))

        def servlet(path: str, data: bytes, fname: str) -> str:
            self.fr_files[path] = (data, fname)
            return "/attach/download?path=" + quote(stored(path), safe="")

        rows: list[tuple[str, str, str]] = []
        title = f"{name}2024年政府信息公开工作年度报告"
        art = "/art/2025/1/20/art_183_9007.html"
        pdf = servlet("/upload/2025/01/20/P0120.pdf", make_pdf(title, self.body(name, 2024)), f"{title}.pdf")
        self.article(sid, art, title, self.body(name, 2024) + f"<p>附件：<a href='{pdf}'>{html.escape(title)}.pdf</a></p>", nav)
        rows.append((art, title, "2025-01-20"))
        self.report(sid, art, 2024, name, "html + download?path= pdf")
        unit = "青岚市财政局"
        title = f"{unit}2024年政府信息公开工作年度报告"
        art = "/art/2025/1/25/art_183_9042.html"
        docx = servlet("/upload/2025/01/25/P0125.docx", make_docx(title, narrative(unit, 2024)), f"{title}.docx")
        self.article(sid, art, title, self.body(unit, 2024) + f"<p>附件：<a href='{docx}'>下载</a></p>", nav)
        rows.append((art, title, "2025-01-25"))
        self.report(sid, art, 2024, unit, "html + 下载 docx via download?path=")
        rows.append((f"{self.bases[FILES]}/group1/M00/00/93/tujie2023.pdf", f"图解：{name}2023年政府信息公开工作年度报告",
                     "2024-02-15"))
        self.pages[FILES]["/group1/M00/00/93/tujie2023.pdf"] = Page(make_pdf("图解", "<p>（略）</p>"), PDF)
        title = f"{name}2023年政府信息公开工作年度报告"
        art = "/art/2024/1/19/art_183_9014.html"
        pdf = servlet("/upload/2024/01/19/P0119.pdf", make_pdf(title, self.body(name, 2023)), "P0119.pdf")
        self.article(sid, art, title, f"<iframe src='/pdfjs/web/viewer.html?file={quote(pdf, safe='')}' width='100%'"
                     " height='800'></iframe>", nav, published="2024-01-19")
        rows.append((art, title, "2024-01-19"))
        self.report(sid, art, 2023, name, "article = pdf.js viewer wrapping download?path=")
        pages["/pdfjs/web/viewer.html"] = Page(page(name, "PDF.js viewer", "<div id='viewerContainer'></div>"
                                                    "<script src='/pdfjs/build/pdf.js'></script>"))
        for year in (2022, 2021):
            title = f"{name}{year}年政府信息公开工作年度报告"
            art = f"/art/{year + 1}/1/18/art_183_{9000 + year}.html"
            self.article(sid, art, title, self.body(name, year), nav, published=f"{year + 1}-01-18")
            rows.append((art, title, f"{year + 1}-01-18"))
            self.report(sid, art, year, name, "html (iframe list page 2)")
        self.fr_rows = [li(p, t, w) for p, t, w in sorted(rows, key=lambda r: r[2], reverse=True)]

    def fr_list(self, page_no: int) -> Page:
        per, total = 3, (len(self.fr_rows) + 2) // 3
        page_no = min(max(page_no, 1), total)
        pager = f"共{len(self.fr_rows)}条 第{page_no}/{total}页 "
        if page_no < total:
            pager += f"<a href='list.jsp?columnid=183&amp;pageIndex={page_no + 1}'>下一页</a>"
        rows = "".join(self.fr_rows[(page_no - 1) * per: page_no * per])
        return Page((f"<!DOCTYPE html><html><head><meta charset='utf-8'><title></title></head><body>"
                     f"<ul class='list'>{rows}</ul><div class='page'>{pager}</div></body></html>").encode())

    # -- ak: an article whose attachment list comes from a token-guarded API -----------------------------
    def build_ak(self) -> None:
        sid, name = AK
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        pages["/"] = Page(page(name, f"首页_{name}", self.news("安康县"), nav))
        pages["/zwgk/"] = Page(page(name, f"政务公开_{name}", "<a href='/zwgk/ndbg/'>政府信息公开年度报告</a>", nav))
        rows = []
        title = f"{name}2024年政府信息公开工作年度报告"
        art = "/zwgk/ndbg/202501/t20250121_77001.html"
        self.article(sid, art, title, self.body(name, 2024), nav)
        rows.append(li(art, title, "2025-01-21"))
        self.report(sid, art, 2024, name, "html")
        title = f"{name}2023年政府信息公开工作年度报告"
        art = "/zwgk/ndbg/202401/t20240119_77003.html"
        self.article(sid, art, title, "<p>全文见附件。</p><div class='fj'>相关附件：<ul id='attach'></ul></div>", nav,
                     published="2024-01-19",
                     tail="<script src='/static/js/xxgk.js'></script><script>loadAttach('77003');</script>")
        pages["/static/js/xxgk.js"] = Page(AK_JS.encode(), "application/javascript")
        pages["/uploadfile/2024/0119/20240119093311.pdf"] = Page(make_pdf(title, self.body(name, 2023)), PDF)
        self.ak_attach["77003"] = [{"name": f"{title}.pdf", "url": "/uploadfile/2024/0119/20240119093311.pdf"}]
        rows.append(li(art, title, "2024-01-19"))
        self.report(sid, art, 2023, name, "article; its PDF listed only by the token API")
        pages["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}",
                                         "<h2>政府信息公开年度报告</h2><ul class='list'>" + "".join(rows) + "</ul>", nav))

    # -- sq: a column only the site search finds; a year <select> of older reports' pages and a PDF ----------
    def build_sq(self) -> None:
        sid, name = SQ
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/zwfw/'>政务服务</a>"
        left = ("<div class='left'><a href='/zwgk/zn/'>政府信息公开指南</a> <a href='/zwgk/zd/'>政府信息公开制度</a>"
                " <a href='/zwgk/ysqgk/'>依申请公开</a></div>")
        pages["/"] = Page(page(name, f"首页_{name}", self.news("松桥区"), nav, search=True))
        pages["/zwgk/"] = Page(page(name, f"政务公开_{name}", left + "<p>根据《中华人民共和国政府信息公开条例》……</p>", nav,
                                    search=True))
        pages["/wzdt/"] = Page(page(name, f"网站地图_{name}", left + "<a href='/zwfw/'>政务服务</a>", nav, search=True))
        column = "/zwgk/ndbg/index.shtml"
        options = []
        for year in (2024, 2023, 2022, 2021):
            title = f"{name}{year}年政府信息公开工作年度报告"
            art = f"/zwgk/ndbg/{year + 1}01/t{year + 1}0120_44{year % 100}.shtml"
            if year == 2022:  # the option is the PDF itself
                art = "/zwgk/ndbg/202301/W020230118.pdf"
                pages[art] = Page(make_pdf(title, self.body(name, year)), PDF)
                form = "PDF straight from a select option"
            else:
                self.article(sid, art, title, self.body(name, year), nav, published=f"{year + 1}-01-20", search=True)
                form = "html (search + column)" if year == 2024 else "html (select option)"
            self.report(sid, art, year, name, form)
            if year == 2024:
                self.sq_index.append((title, art))
                latest = li(art, title, "2025-01-20")
            else:
                options.append(f"<option value='{art}'>{year}年度</option>")
        unit = "松桥区教育局"
        title = f"{unit}2024年政府信息公开工作年度报告"
        art = "/zwgk/ndbg/202501/t20250123_4406.shtml"
        self.article(sid, art, title, self.body(unit, 2024), nav, published="2025-01-23", search=True)
        self.report(sid, art, 2024, unit, "html (column only)")
        look = f"图解：{name}2024年政府信息公开工作年度报告"
        self.article(sid, "/zwgk/ndbg/202502/t20250210_4421.shtml", look, "<p>（略）</p>", nav, search=True)
        pages[column] = Page(page(name, f"政府信息公开年报_{name}", left + "<h2>政府信息公开年报</h2><ul class='list'>" +
                                  latest + li(art, title, "2025-01-23") +
                                  li("/zwgk/ndbg/202502/t20250210_4421.shtml", look, "2025-02-10") + "</ul>"
                                  "<div class='wnnb'>往年年报：<select onchange=\"location=this.value\">"
                                  "<option value=''>请选择年份</option>" + "".join(options) + "</select></div>",
                                  nav, search=True))
        city = "青岚市人民政府2024年政府信息公开工作年度报告"
        copy = "/zwgk/zcwj/202501/t20250128_4500.shtml"
        self.article(SQ[0], copy, city, self.body("青岚市人民政府", 2024), nav, published="2025-01-28", search=True)
        self.others.append(copy)
        self.sq_index += [("政府信息公开年度报告", column), (look, "/zwgk/ndbg/202502/t20250210_4421.shtml"), (city, copy),
                          ("政府信息公开年报", column)]
        self.sq_index += [(f"松桥区召开年度报告编制工作会议（{k}）", f"/xwzx/{k}.html") for k in range(3)]

    def sq_search(self, query: str, page_no: int) -> Page:
        words = [query[i:i + 2] for i in range(len(query) - 1)] or [query]
        hits = [(t, p) for t, p in self.sq_index if query and sum(w in t for w in words) * 2 >= len(words)]
        total = max(1, (len(hits) + SQ_PER - 1) // SQ_PER)
        page_no = min(max(page_no, 1), total)
        rows = "".join(f"<li><a href='{p}' target='_blank'>{html.escape(t)}</a></li>"
                       for t, p in hits[(page_no - 1) * SQ_PER: page_no * SQ_PER])
        pager = f"共{len(hits)}条结果 " + (f"<a href='/search/index.html?q={quote(query)}&page={page_no + 1}'>下一页</a>"
                                         if page_no < total else "")
        return Page(page(SQ[1], "搜索结果", f"<ul class='search-result'>{rows or '<li>未找到相关结果</li>'}</ul>"
                         f"<div class='page'>{pager}</div>", search=True))

    # -- nc: nothing to find, and no search box to ask ---------------------------------------------------
    def build_nc(self) -> None:
        sid, name = NC
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.pages[sid]["/"] = Page(page(name, f"首页_{name}", self.news("南村镇", 10), nav))
        self.pages[sid]["/zwgk/"] = Page(page(name, f"政务公开_{name}", "<a href='/zwgk/tzgg/'>通知公告</a>", nav))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str, headers: Any) -> tuple[int, Page]:
        q = parse_qs(query)
        if path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if site == FR[0] and path == "/module/web/jpage/list.jsp":
            return 200, self.fr_list(int((q.get("pageIndex") or ["1"])[0] or 1))
        if site == FR[0] and path == "/attach/download":
            raw = (q.get("path") or [""])[0].replace(" ", "+")
            try:
                found = self.fr_files.get(base64.b64decode(raw + "=" * (-len(raw) % 4)).decode())
            except ValueError:
                found = None
            if found is None:
                return 404, Page(page(FR[1], "404", "<h1>文件不存在</h1>"))
            data, fname = found
            return 200, Page(data, OCTET, [("Content-Disposition", f"attachment; filename*=UTF-8''{quote(fname)}")])
        if site == AK[0] and path.startswith("/api/"):
            if headers.get("X-Requested-With") != "XMLHttpRequest":
                return 403, Page(page(AK[1], "403", "<h1>非法访问</h1>"))
            if path == "/api/auth/getToken":
                return 200, Page(json.dumps({"token": AK_TOKEN}).encode(), "application/json")
            if headers.get("Authorization") != f"Bearer {AK_TOKEN}":
                return 401, Page(b'{"code":401,"msg":"token invalid"}', "application/json")
            data = self.ak_attach.get((q.get("infoId") or [""])[0], [])
            return 200, Page(json.dumps({"data": data}, ensure_ascii=False).encode(), "application/json")
        if site == SQ[0] and path == "/search/index.html":
            return 200, self.sq_search((q.get("q") or [""])[0], int((q.get("page") or ["1"])[0] or 1))
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES).get(site, site), "404", "<p>页面不存在</p>"))
        return 200, found

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Shapes12]:
        shapes = cls()
        sites = (*dict(SITES), FILES)
        with serving({site: handler(shapes.responder(site), ("GET", "HEAD")) for site in sites}) as ports:
            shapes.bases.update({site: f"http://127.0.0.1:{port}" for site, port in ports.items()})
            shapes.bases[FILES] = shapes.bases[FILES].replace("127.0.0.1", "localhost")
            shapes.build()
            yield shapes

    def responder(self, site: str) -> Respond:
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            with self._lock:
                self.requests[site].append((method, request.path, {k.lower(): v for k, v in request.headers.items()}))
            return self.answer(site, parts.path, parts.query, request.headers)
        return respond

    def registry(self) -> list[dict]:
        def entry(sid: str, name: str, level: str, region: dict) -> dict:
            return {"id": sid, "name": name, "level": level, "kind": "government", "family": "generic",
                    "region": region, "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]}
        return [entry(*FR, "city", {"province": "岚南省", "city": "青岚市"}),
                entry(*AK, "county", {"province": "岚南省", "city": "青岚市", "county": "安康县"}),
                entry(*SQ, "county", {"province": "岚南省", "city": "青岚市", "county": "松桥区"}),
                entry(*NC, "township", {"province": "岚南省", "city": "青岚市", "county": "安康县"})]
