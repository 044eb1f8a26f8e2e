"""Portal shapes whose 年报 column pages only by script (the nineteenth round), served by a small server of their
own (`Shapes19.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- vu-district-gov 柳岸区人民政府 (registry `render: true`): the column is an empty #app its bundle fills from
  /api/cms/article/list?channelId=7&pageNum=N&pageSize=2; the next page comes only from a <button>下一页</button>
  the bundle listens on (no onclick in the markup), disabled on the last page.
- uc-city-gov 云川市人民政府 (开普云 .shtml): index.shtml / index_1.shtml, the pager drawn only by /js/page.js from
  `createPageHTML('page_div',2,1,'index','shtml',5)` (element id first, current page from 1, record count last).
- pn-county-gov 平宁县人民政府: list.html / list_2.html / list_3.html, the pager drawn by /js/nav.js from
  `pageNav('pagebar', 3, 1, 'list')`, a helper no reader knows.
- bt-county-gov 白塘县人民政府: the column's rows are the server's, under a bare <button>下一页</button> whose
  script (/js/pager.min.js) is gone (404): no browser can reach page 2, whose reports are not the truth.

`Shapes19.truth` lists every own report reachable (site, url path, year, agency, form); `requests` what each server
saw: (method, path with query).
"""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li
from tests.portal.homes16 import page
from tests.portal.serving import Page, ServedShapes

VU = ("vu-district-gov", "柳岸区人民政府")
UC = ("uc-city-gov", "云川市人民政府")
PN = ("pn-county-gov", "平宁县人民政府")
BT = ("bt-county-gov", "白塘县人民政府")
SITES = (VU, UC, PN, BT)
VU_COLUMN, VU_PER = "/zfxxgk/ndbg.html", 2
UC_COLUMN = "/zwgk/zfxxgknb/index.shtml"
PN_COLUMN = "/xxgk/ndbg/list.html"
BT_COLUMN = "/zwgk/nb/"
NAV = "<a href='/'>首页</a> <a href='{column}'>政府信息公开年报</a>"

VU_BUNDLE = r"""(function(){
  var app = document.getElementById('app'), state = {pageNum: 1, pageSize: 2, total: 0};
  function draw(list) {
    var pages = Math.ceil(state.total / state.pageSize), h = '<ul class="art-list">';
    for (var i = 0; i < list.length; i++)
      h += '<li><a href="' + list[i].linkUrl + '">' + list[i].title + '</a><span>' + list[i].publishDate + '</span></li>';
    h += '</ul><div class="el-pagination"><span>' + state.pageNum + '/' + pages + '</span>'
      + '<button type="button" class="btn-next"' + (state.pageNum >= pages ? ' disabled' : '') + '>下一页</button></div>';
    app.innerHTML = h;
    app.querySelector('.btn-next').onclick = function(){ if (state.pageNum < pages) { state.pageNum++; load(); } };
  }
  function load() {
    var x = new XMLHttpRequest();
    x.open('GET', '/api/cms/article/list?channelId=' + app.getAttribute('data-channel') + '&pageNum=' + state.pageNum
      + '&pageSize=' + state.pageSize);
    x.onload = function(){ var r = JSON.parse(x.responseText); state.total = r.data.total; draw(r.data.list); };
    x.send();
  }
  load();
})();"""
UC_PAGE_JS = ("function createPageHTML(id,total,cur,name,ext,count){var h='';"
              "for(var i=1;i<=total;i++){var u=(i==1?name+'.'+ext:name+'_'+(i-1)+'.'+ext);"
              "h+=(i==cur?'<span>'+i+'</span>':'<a href=\"'+u+'\">'+i+'</a>');}"
              "if(cur<total){h+='<a href=\"'+name+'_'+cur+'.'+ext+'\">下一页</a>';}"
              "document.getElementById(id).innerHTML=h;}")
PN_NAV_JS = ("function pageNav(id,total,cur,stem){var h='';"
             "for(var i=1;i<=total;i++){var u=(i==1?stem+'.html':stem+'_'+i+'.html');"
             "h+=(i==cur?'<b>'+i+'</b> ':'<a href=\"'+u+'\">'+i+'</a> ');}"
             "document.getElementById(id).innerHTML=h;}")


class Shapes19(SeedBodies, ServedShapes):
    """The portals: pages built once (the app's API answered per query), one threaded server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.vu_rows: list[dict] = []

    def build(self) -> None:
        for build in (self.build_vu, self.build_uc, self.build_pn, self.build_bt):
            build()

    def reports(self, site: tuple[str, str], years: range, path_of, column: str,
                reachable: int | None = None) -> list[tuple[str, str, str]]:
        """Report articles, one a year, newest first: (path, title, date); the first `reachable` are the truth."""
        sid, name = site
        nav = NAV.format(column=column)
        self.pages[sid]["/"] = Page(page(name, f"首页_{name}", f"<p>{name}门户网站</p>", nav))
        rows = []
        for k, year in enumerate(sorted(years, reverse=True)):
            title, path, when = f"{name}{year}年政府信息公开工作年度报告", path_of(year), f"{year + 1}-01-20"
            self.pages[sid][path] = Page(page(name, f"{title}_{name}", f"<h1>{html.escape(title)}</h1>"
                                              f"<div class='info'>发布时间：{when}</div>"
                                              f"<div class='content'>{self.body(name, year)}</div>", nav))
            if reachable is None or k < reachable:
                self.truth.append(Truth(sid, path, year, name, "html"))
            rows.append((path, title, when))
        return rows

    def column(self, site: tuple[str, str], path: str, body: str) -> None:
        sid, name = site
        self.pages[sid][path] = Page(page(name, f"政府信息公开年报_{name}", f"<h2>政府信息公开年报</h2>{body}",
                                          "<a href='/'>首页</a>"))

    def build_vu(self) -> None:
        rows = self.reports(VU, range(2019, 2024), lambda y: f"/html/article/{y + 1}/{y}0120.html", VU_COLUMN)
        self.vu_rows = [{"title": t, "linkUrl": p, "publishDate": d} for p, t, d in rows]
        self.column(VU, VU_COLUMN, "<div id='app' data-channel='7'></div><noscript>请开启JavaScript</noscript>"
                                   "<script src='/static/js/app.js'></script>")
        self.pages[VU[0]]["/static/js/app.js"] = Page(VU_BUNDLE.encode(), "application/javascript; charset=utf-8")

    def vu_api(self, query: str) -> Page:
        q = dict(parse_qsl(query))
        n = int(q.get("pageNum", "1")) if q.get("pageNum", "1").isdigit() else 1
        shown = self.vu_rows[(n - 1) * VU_PER:n * VU_PER] if q.get("channelId") == "7" else []
        data = {"code": 200, "data": {"total": len(self.vu_rows), "list": shown}}
        return Page(json.dumps(data, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    def build_uc(self) -> None:
        rows = self.reports(UC, range(2020, 2025), lambda y: f"/art/{y + 1}/1/20/art_1234_{y}.shtml", UC_COLUMN)
        for n, path in enumerate((UC_COLUMN, UC_COLUMN.replace("index.", "index_1."))):
            items = "".join(li(p, t, d) for p, t, d in rows[3 * n:3 * n + 3])
            self.column(UC, path, f"<ul class='doc_list'>{items}</ul><script src='/js/page.js'></script>"
                                  f"<div id='page_div'></div><script>createPageHTML('page_div',2,{n + 1},'index','shtml',"
                                  f"{len(rows)});</script>")
        self.pages[UC[0]]["/js/page.js"] = Page(UC_PAGE_JS.encode(), "application/javascript")

    def build_pn(self) -> None:
        rows = self.reports(PN, range(2019, 2025), lambda y: f"/xxgk/ndbg/{y + 1}01/t{y + 1}0120_{y}.html", PN_COLUMN)
        for n in range(1, 4):
            path = PN_COLUMN if n == 1 else PN_COLUMN.replace("list.", f"list_{n}.")
            items = "".join(li(p, t, d) for p, t, d in rows[2 * (n - 1):2 * n])
            self.column(PN, path, f"<ul class='list'>{items}</ul><div id='pagebar'></div>"
                                  f"<script src='/js/nav.js'></script><script>pageNav('pagebar', 3, {n}, 'list');</script>")
        self.pages[PN[0]]["/js/nav.js"] = Page(PN_NAV_JS.encode(), "application/javascript")

    def build_bt(self) -> None:
        rows = self.reports(BT, range(2020, 2025), lambda y: f"/zwgk/nb/{y + 1}/nb{y}.html", BT_COLUMN, reachable=3)
        items = "".join(li(p, t, d) for p, t, d in rows[:3])
        self.column(BT, BT_COLUMN, f"<ul class='list'>{items}</ul><div class='pager'><span>1/2</span>"
                                   "<button type='button' class='next'>下一页</button></div>"
                                   "<script src='/js/pager.min.js'></script>")

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str) -> tuple[int, Page]:
        if path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if site == VU[0] and path == "/api/cms/article/list":
            return 200, self.vu_api(query)
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path))
            return self.answer(site, parts.path, parts.query)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}

        def entry(sid: str, name: str) -> dict:
            place = name.removesuffix("人民政府")
            city = sid == UC[0]
            e = {"id": sid, "name": name, "level": "city" if city else "county", "kind": "government",
                 "family": "generic", "region": {**region, **({"city": place} if city else {"county": place})},
                 "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]}
            if sid == VU[0]:
                e["overrides"] = {"render": True}
            return e
        return [entry(*site) for site in SITES]
