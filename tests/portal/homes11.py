"""Four portal shapes an eleventh set of blind test portals showed the generic crawl losing, served by a
small server of their own (`Shapes11.start()`: one 127.0.0.1 port per portal):

- wf-city-gov 白沙市人民政府: ASP.NET WebForms.  The 年报 list (`/xxgk/List.aspx?ClassID=45`, 2 rows a page,
  3 pages) pages only by `javascript:__doPostBack('ctl00$Main$Pager','N')`: a POST of the page's form whose
  `__VIEWSTATE` must be the one the current page issued (any other is the yellow 500).  Files come only
  from `/Common/Download.ashx?fileId=N` as octet-stream, named by Content-Disposition: RFC 5987
  `filename*=UTF-8''…` (PDF), a raw GBK `filename="…"` (DOCX, reached only by `onclick="downloadFile('12')"`
  whose function is in the external /js/common.js) and a plain ascii name behind "点击下载".  robots.txt
  asks `Crawl-delay: 0.5`.
- zt-county-gov 翠屏县人民政府: its 政府信息公开目录 (`/xxgk/ml.html`) is an empty zTree drawn by /js/catalog.js
  from a JSON POST; a node's list comes by POST of JSON to /api/info/list (GET is 405).  The 年报 node is
  named only inside the drawn tree, under 法定主动公开内容.
- bm-county-gov 石门县人民政府: two departments' sites are sub-paths (`/bm/jyj/`, `/bm/wjj/`), linked from the
  home page's 部门网站 block by the body's name only (the other department links are dead); each has its own
  政府信息公开年报 column.  robots.txt names `Sitemap: /sitemap.xml`, which alone lists one county report
  (no list links it).

`Shapes11.truth` lists every own report (site, url path, year, agency, form); `requests` what each server
saw: (method, path with query, body, monotonic time).
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, urlsplit

from tests.portal.homes import narrative
from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf, page
from tests.portal.homes10 import make_docx
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import Page, Respond, handler, serving

WF = ("wf-city-gov", "白沙市人民政府")
ZT = ("zt-county-gov", "翠屏县人民政府")
BM = ("bm-county-gov", "石门县人民政府")
SITES = (WF, ZT, BM)
WF_LIST = "/xxgk/List.aspx"
WF_TARGET = "ctl00$Main$Pager"
WF_CRAWL_DELAY = 0.5
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OCTET = "application/octet-stream"
YELLOW = b"<html><body><h1>Server Error in '/' Application.</h1><p>Validation of viewstate MAC failed.</p></body></html>"
CATALOG_JS = r"""
function post(url, obj) {
  return fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json;charset=UTF-8'},
    body: JSON.stringify(obj)}).then(function (r) { return r.json(); });
}
function loadList(channelId, pageNo) {
  post('/api/info/list', {channelId: channelId, pageNo: pageNo, pageSize: 10}).then(function (d) {
    var h = '<ul class="info-list">';
    d.list.forEach(function (it) { h += '<li><a href="' + it.url + '">' + it.title + '</a><span>' + it.pubDate + '</span></li>'; });
    document.getElementById('infoList').innerHTML = h + '</ul>';
  });
}
function draw(nodes) {
  var ul = document.getElementById('catalogTree'), n = 0;
  function add(parent, pId) {
    nodes.filter(function (x) { return x.pId === pId; }).forEach(function (x) {
      n += 1;
      var li = document.createElement('li');
      li.innerHTML = '<a id="catalogTree_' + n + '_a" title="' + x.name + '"><span>' + x.name + '</span></a>';
      li.querySelector('a').addEventListener('click', function () { loadList(x.channelId, 1); });
      parent.appendChild(li);
      if (x.isParent) { var sub = document.createElement('ul'); li.appendChild(sub); add(sub, x.id); }
    });
  }
  add(ul, 0);
  loadList(nodes[0].channelId, 1);
}
post('/api/catalog/tree', {siteId: 'zt'}).then(draw);
"""
ZT_TREE = [{"id": 1, "pId": 0, "name": "机构职能", "channelId": "c001"},
           {"id": 2, "pId": 0, "name": "法定主动公开内容", "channelId": "c002", "isParent": True},
           {"id": 3, "pId": 2, "name": "政策文件", "channelId": "c021"},
           {"id": 4, "pId": 2, "name": "政府信息公开工作年度报告", "channelId": "c052"},
           {"id": 5, "pId": 0, "name": "政府信息公开指南", "channelId": "c051"}]


WF_NEXT = "ctl00$Main$lbtnNext"  # a 下一页 LinkButton: the same target, argument '', on every page
SITEMAPS = 10_000  # the hostile sitemap index's children


def viewstate(page_no: int, nonce: int = 0) -> str:
    return f"/wEPDwUKMTY{page_no:02d}NzQ5ODk3ZGQ=" + (f"{nonce:04d}" if nonce else "")


def viewstate_page(value: str) -> int | None:
    """The page a viewstate was issued for (None: not one the server issued)."""
    return int(value[11:13]) if value.startswith("/wEPDwUKMTY") and value[11:13].isdigit() else None


class Shapes11(SeedBodies):
    """The three portals: pages built once, answered by one threaded server per portal.

    `hostile=True` turns them into what a crawl must survive unharmed: wf's pager is a 下一页 LinkButton
    (one target, argument '', a fresh __VIEWSTATE on every answer) and its common.js builds the file
    URLs on another host; `loop=True` has wf answer every postback with page 1 again; bm's robots.txt
    asks `Crawl-delay: 1e9` and names a sitemap index that lists itself and SITEMAPS more, and a
    sitemap on another host."""

    def __init__(self, hostile: bool = False, loop: bool = False) -> None:
        self.hostile, self.loop = hostile, loop
        self.nonce = 0
        self.issued: set[str] = set()  # every __VIEWSTATE a wf list page gave out
        self.seeds: list[Seed] = load_seeds()
        self.pages: dict[str, dict[str, Page]] = {s[0]: {} for s in SITES}
        self.truth: list[Truth] = []
        self.requests: dict[str, list[tuple[str, str, str, float]]] = {s[0]: [] for s in SITES}
        self.bases: dict[str, str] = {}
        self.wf_rows: list[str] = []
        self.zt_items: dict[str, list[dict]] = {}
        self.files: dict[int, tuple[bytes, str, str]] = {}  # Download.ashx fileId -> (bytes, name form, name)
        self.sitemap: list[str] = []
        self.wf_nav = ""
        self._n = 0
        self._lock = threading.Lock()
        self.build_wf()
        self.build_zt()
        self.build_bm()

    # -- content ---------------------------------------------------------------------------------------
    def article(self, site: str, path: str, title: str, content: str, nav: str = "", published: str = "2025-01-20",
                tail: str = "") -> None:
        name = dict(SITES)[site]
        meta = f"<div class='info'>发布日期：{published}</div>"
        self.pages[site][path] = Page(page(name, title, f"<h1>{html.escape(title)}</h1>{meta}"
                                               f"<div class='content'>{content}</div>{tail}", nav))

    def report(self, site: str, path: str, year: int, agency: str, form: str) -> None:
        self.truth.append(Truth(site, path, year, agency, form))

    @staticmethod
    def home_links(place: str, n: int = 60) -> str:
        """A home page's furniture: news, services, 专题 (a real home has ~200 links)."""
        return "".join(f"<a href='/xwzx/{k}.html'>{place}召开第{k}次工作会议</a> " for k in range(n))

    # -- wf: WebForms postback pager, Download.ashx with Content-Disposition ---------------------------
    def build_wf(self) -> None:
        sid, name = WF
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/xxgk/Index.aspx'>政府信息公开</a> <a href='/zwfw/'>政务服务</a>"
        pages["/"] = Page(page(name, "首页", self.home_links("白沙市"), nav))
        pages["/xxgk/Index.aspx"] = Page(page(name, "政府信息公开", "<div class='left'>"
                                              "<a href='/xxgk/List.aspx?ClassID=41'>政府信息公开指南</a> "
                                              f"<a href='{WF_LIST}?ClassID=45'>政府信息公开年报</a></div>", nav))
        pages["/js/common.js"] = Page(b"function downloadFile(id) {\n  window.location.href = "
                                      b"'/Common/Download.ashx?fileId=' + id;\n}\n", "application/javascript")
        script = "<script src='/js/common.js'></script>"
        rows: list[tuple[str, str, str]] = []
        for year in (2024, 2023, 2022, 2021):
            title = f"{name}{year}年政府信息公开工作年度报告"
            path = f"/xxgk/Show.aspx?ID={3500 + year % 100}"
            when = f"{year + 1}-01-{10 + year % 10}"
            if year == 2024:  # HTML with its PDF (RFC 5987 name, octet-stream)
                self.files[11] = (make_pdf(title, self.body(name, year)), "rfc5987", f"{title}.pdf")
                self.article(sid, path, title, self.body(name, year) +
                             f"<p>附件：<a href='/Common/Download.ashx?fileId=11'>{html.escape(title)}.pdf</a></p>", nav)
                form = "html + Download.ashx pdf (filename*=)"
            elif year == 2023:  # only a DOCX, reached by downloadFile('12') from the external common.js
                self.files[12] = (make_docx(title, narrative(name, year)), "gbk", f"{title}.docx")
                self.article(sid, path, title, "<p>附件：<a href='javascript:void(0);' onclick=\"downloadFile('12')\">"
                             f"{html.escape(title)}.docx</a></p>", nav, tail=script)
                form = "docx only via downloadFile (raw GBK filename=)"
            elif year == 2021:  # only a PDF behind "点击下载" (ascii name)
                self.files[13] = (make_pdf(title, self.body(name, year)), "ascii", "report2021.pdf")
                self.article(sid, path, title, "<p>相关附件：<a href='/Common/Download.ashx?fileId=13'>点击下载</a></p>", nav)
                form = "pdf via 点击下载 (ascii filename=)"
            else:
                self.article(sid, path, title, self.body(name, year), nav)
                form = "html"
            rows.append((path, title, when))
            self.report(sid, path, year, name, form)
            look = f"图解：白沙市{year}年政府信息公开工作年度报告"
            lp = f"/xxgk/Show.aspx?ID={3600 + year % 100}"
            self.article(sid, lp, look, "<p>（略）</p>", nav)
            rows.append((lp, look, when))
        self.wf_rows = [li(p, t, w) for p, t, w in sorted(rows, key=lambda r: r[2], reverse=True)]
        self.wf_nav = nav

    def wf_list(self, page_no: int) -> Page:
        per = 3
        total = (len(self.wf_rows) + per - 1) // per
        page_no = min(max(page_no, 1), total)

        def pb(n: int) -> str:
            return f"javascript:__doPostBack('{WF_TARGET}','{n}')"
        self.nonce += 1
        issued = viewstate(page_no, self.nonce if self.hostile else 0)
        self.issued.add(issued)
        if self.hostile:
            pager = (f"<div class='pager'>第{page_no}/{total}页 " +
                     (f"<a href=\"javascript:__doPostBack('{WF_NEXT}','')\">下一页</a>" if page_no < total else "") +
                     "</div>")
        else:
            pager = ("<div class='pager'>" + f"第{page_no}/{total}页 " +
                 "".join(f"<span>{i}</span> " if i == page_no else f"<a href=\"{pb(i)}\">{i}</a> " for i in range(1, total + 1)) +
                 (f"<a href=\"{pb(page_no + 1)}\">下一页</a> " if page_no < total else "<a disabled='disabled'>下一页</a> ") +
                 f"<a href=\"{pb(total)}\">尾页</a></div>")
        form = ("<form name='aspnetForm' method='post' action='./List.aspx?ClassID=45' id='aspnetForm'>"
                "<input type='hidden' name='__EVENTTARGET' value='' /><input type='hidden' name='__EVENTARGUMENT' value='' />"
                f"<input type='hidden' name='__VIEWSTATE' value='{issued}' />"
                "<input type='hidden' name='__EVENTVALIDATION' value='/wEdAAW3ZqQ9yKx1hQ==' />"
                "<script>var theForm = document.forms['aspnetForm'];function __doPostBack(t, a) {"
                "theForm.__EVENTTARGET.value = t; theForm.__EVENTARGUMENT.value = a; theForm.submit();}</script>"
                "<input type='text' name='ctl00$Top$q' value='' /><input type='submit' name='ctl00$Top$go' value='搜索' />"
                f"<h2>政府信息公开年报</h2><ul class='list'>{''.join(self.wf_rows[(page_no - 1) * per: page_no * per])}</ul>"
                f"{pager}</form>")
        return Page(page(WF[1], "政府信息公开年报", form, self.wf_nav))

    # -- zt: a zTree catalogue drawn by an external script, lists by JSON POST --------------------------
    def build_zt(self) -> None:
        sid, name = ZT
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/xxgk/ml.html'>政府信息公开目录</a> <a href='/zwfw/'>政务服务</a>"
        pages["/"] = Page(page(name, "首页", self.home_links("翠屏县"), nav))
        pages["/xxgk/ml.html"] = Page(page(name, "政府信息公开目录", "<div class='tree-wrap'><ul id='catalogTree' "
                                           "class='ztree'></ul></div><div id='infoList'></div>"
                                           "<script src='/js/catalog.js'></script>", nav))
        pages["/js/catalog.js"] = Page(CATALOG_JS.encode(), "application/javascript")
        items: list[dict] = []
        for year in (2024, 2023):
            title = f"{name}{year}年政府信息公开工作年度报告"
            path = f"/xxgk/c052/{year + 1}01/t{year + 1}0115_{8000 + year}.html"
            self.article(sid, path, title, self.body(name, year), nav)
            items.append({"title": title, "url": path, "pubDate": f"{year + 1}-01-15"})
            self.report(sid, path, year, name, "tree node → JSON POST list")
        look = "翠屏县2024年政府信息公开工作年度报告解读"
        self.article(sid, "/xxgk/c052/202502/t20250210_9000.html", look, "<p>（略）</p>", nav)
        items.append({"title": look, "url": "/xxgk/c052/202502/t20250210_9000.html", "pubDate": "2025-02-10"})
        self.zt_items = {"c052": items, "c001": [{"title": "翠屏县人民政府办公室主要职责", "url": "/xxgk/c001/1.html",
                                                  "pubDate": "2024-03-01"}]}
        self.article(sid, "/xxgk/c001/1.html", "翠屏县人民政府办公室主要职责", "<p>……</p>", nav)

    def zt_api(self, path: str, body: bytes) -> bytes | None:
        try:
            req = json.loads(body.decode("utf-8") or "{}")
        except ValueError:
            return None
        if path == "/api/catalog/tree":
            return json.dumps(ZT_TREE, ensure_ascii=False).encode()
        if path == "/api/info/list":
            items = self.zt_items.get(str(req.get("channelId")), [])
            return json.dumps({"list": items, "total": len(items), "pageNo": 1, "pages": 1}, ensure_ascii=False).encode()
        return None

    # -- bm: department sub-sites named only by body names, sitemap.xml ---------------------------------
    def build_bm(self) -> None:
        sid, name = BM
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/zwfw/'>政务服务</a>"
        depts = {"jyj": "石门县教育局", "wjj": "石门县卫生健康局"}
        dead = ["石门县公安局", "石门县民政局", "石门县司法局", "石门县审计局", "石门县水利局"]
        block = ("<div class='blk'><h2>部门网站</h2>" + "".join(f"<a href='/bm/{k}/'>{v}</a> " for k, v in depts.items()) +
                 "".join(f"<a href='/bmwz/b{i}/'>{d}</a> " for i, d in enumerate(dead)) + "</div>")
        pages["/"] = Page(page(name, "首页", self.home_links("石门县") + block, nav))
        pages["/zwgk/"] = Page(page(name, "政务公开", "<a href='/zwgk/ndbg/'>政府信息公开年报</a>", nav))
        own = f"{name}2024年政府信息公开工作年度报告"
        own_path = "/zwgk/ndbg/202501/t20250115_7024.html"
        self.article(sid, own_path, own, self.body(name, 2024), nav)
        self.report(sid, own_path, 2024, name, "county column")
        orphan = f"{name}2023年政府信息公开工作年度报告"
        orphan_path = "/zwgk/ndbg/202401/t20240116_7023.html"
        self.article(sid, orphan_path, orphan, self.body(name, 2023), nav)
        self.report(sid, orphan_path, 2023, name, "listed only in sitemap.xml")
        pages["/zwgk/ndbg/"] = Page(page(name, "政府信息公开年报", "<h2>政府信息公开年报</h2><ul>" +
                                         li(own_path, own, "2025-01-15") + "</ul>", nav))
        self.sitemap = [own_path, orphan_path] + [f"/xwzx/{k}.html" for k in range(20)]
        for key, unit in depts.items():
            base = f"/bm/{key}/"
            dnav = f"<a href='{base}'>{unit}首页</a> <a href='{base}zwgk/'>政务公开</a> <a href='/'>{name}</a>"
            pages[base] = Page(page(unit, "首页", f"<ul>{li(f'{base}tzgg/1.html', f'{unit}通知公告', '2025-03-01')}</ul>", dnav))
            pages[base + "zwgk/"] = Page(page(unit, "政务公开", f"<a href='{base}zwgk/zn/'>政府信息公开指南</a> "
                                              f"<a href='{base}zwgk/ndbg/'>政府信息公开年报</a>", dnav))
            title = f"{unit}2024年政府信息公开工作年度报告"
            path = f"{base}zwgk/ndbg/202501/t20250120_{key}.html"
            self.article(sid, path, title, self.body(unit, 2024), dnav)
            self.report(sid, path, 2024, unit, f"department {key} sub-site")
            pages[base + "zwgk/ndbg/"] = Page(page(unit, "政府信息公开年报", "<h2>政府信息公开年报</h2><ul>" +
                                                   li(path, title, "2025-01-20") + "</ul>", dnav))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, method: str, path: str, query: str, body: bytes) -> tuple[int, Page]:
        if path == "/robots.txt":
            rules = "User-agent: *\nDisallow: /admin/\n"
            if site == WF[0]:
                rules += f"Crawl-delay: {WF_CRAWL_DELAY}\n"
            if site == BM[0] and self.hostile:
                rules += (f"Crawl-delay: 1e9\nSitemap: {self.bases[site]}/sm-index.xml\n"
                          f"Sitemap: {self.elsewhere()}/sitemap.xml\n")
            elif site == BM[0]:
                rules += f"Sitemap: {self.bases[site]}/sitemap.xml\n"
            return 200, Page(rules.encode(), "text/plain")
        if site == WF[0] and path == "/js/common.js" and self.hostile:
            return 200, Page(f"function downloadFile(id) {{ window.location.href = '{self.elsewhere()}/steal.ashx?fileId=' "
                             "+ id; }".encode(), "application/javascript")
        if site == WF[0] and path == WF_LIST and parse_qs(query).get("ClassID") == ["45"]:
            if method != "POST":
                return 200, self.wf_list(1)
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            issued = form.get("__VIEWSTATE", [""])[0]
            if issued not in self.issued:
                return 500, Page(YELLOW)
            arg = form.get("__EVENTARGUMENT", ["1"])[0]
            if self.loop:
                return 200, self.wf_list(1)
            if self.hostile:
                return 200, self.wf_list(viewstate_page(issued) + 1 if form.get("__EVENTTARGET") == [WF_NEXT] else 1)
            return 200, self.wf_list(int(arg) if arg.isdigit() and form.get("__EVENTTARGET") == [WF_TARGET] else 1)
        if site == WF[0] and path == "/Common/Download.ashx":
            fid = int((parse_qs(query).get("fileId") or ["0"])[0] or 0)
            if fid not in self.files:
                return 404, Page(b"file not found", "text/plain")
            data, mode, fname = self.files[fid]
            if mode == "rfc5987":
                disposition = f"attachment; filename*=UTF-8''{quote(fname)}"
            elif mode == "gbk":
                disposition = 'attachment; filename="' + fname.encode("gbk").decode("latin-1") + '"'
            else:
                disposition = f"attachment; filename={fname}"
            return 200, Page(data, PDF if mode == "ascii" else OCTET, [("Content-Disposition", disposition)])
        if site == ZT[0] and path.startswith("/api/"):
            if method != "POST":
                return 405, Page(b'{"code":405}', "application/json")
            out = self.zt_api(path, body)
            return (200, Page(out, "application/json;charset=UTF-8")) if out else (400, Page(b"{}", "application/json"))
        if site == BM[0] and self.hostile and path == "/sm-index.xml":
            xml = ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                   f"<sitemap><loc>{self.bases[site]}/sm-index.xml</loc></sitemap>" +
                   "".join(f"<sitemap><loc>{self.bases[site]}/sm/{k}.xml</loc></sitemap>" for k in range(SITEMAPS)) +
                   "</sitemapindex>")
            return 200, Page(xml.encode(), "application/xml")
        if site == BM[0] and (path == "/sitemap.xml" or (self.hostile and path.startswith("/sm/"))):
            xml = ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>" +
                   "".join(f"<url><loc>{self.bases[site]}{p}</loc></url>" for p in self.sitemap) + "</urlset>")
            return 200, Page(xml.encode(), "application/xml")
        full = f"{path}?{query}" if query else path
        found = self.pages[site].get(full) or self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def elsewhere(self) -> str:
        """Another host (localhost, not the registry's 127.0.0.1) whose requests zt's server records."""
        return self.bases[ZT[0]].replace("127.0.0.1", "localhost")

    @classmethod
    @contextmanager
    def start(cls, hostile: bool = False, loop: bool = False) -> Iterator[Shapes11]:
        shapes = cls(hostile, loop)
        with serving({site: handler(shapes.responder(site)) for site, _ in SITES}) as ports:
            shapes.bases.update({site: f"http://127.0.0.1:{port}" for site, port in ports.items()})
            yield shapes

    def responder(self, site: str) -> Respond:
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            with self._lock:
                self.requests[site].append((method, request.path, body.decode("utf-8", "replace"), time.monotonic()))
            return self.answer(site, method, parts.path, parts.query, body)
        return respond

    def registry(self) -> list[dict]:
        def entry(sid: str, name: str, level: str, region: dict) -> dict:
            return {"id": sid, "name": name, "level": level, "kind": "government", "family": "generic",
                    "region": region, "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]}
        return [entry(*WF, "city", {"province": "岚南省", "city": "白沙市"}),
                entry(*ZT, "county", {"province": "岚南省", "city": "白沙市", "county": "翠屏县"}),
                entry(*BM, "county", {"province": "岚南省", "city": "白沙市", "county": "石门县"})]
