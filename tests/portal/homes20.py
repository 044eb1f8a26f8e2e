"""Portal shapes whose 年报 column is named only by the way in (the twentieth round), served by a small server
of their own (`Shapes20.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- if-county-gov 宁水县人民政府 (start: the column /xxgk/ndbg/index.html, titled 政府信息公开年报): the column page
  lists nothing itself; its list is <iframe name=listframe src="/xxgk/list.jsp?catid=12">, outside the column's
  directory, a document with an empty <title>, paged by a relative 下一页 (list.jsp?catid=12&page=2).
  Items are /xxgk/content.jsp?id=N (also outside the directory), the 2023 report a PDF attachment.
- zt-city-gov 寿川市人民政府 (start: /xxgk/index.html, no `render` in the registry): a 信息公开目录 whose tree is
  an empty <ul class="ztree"> drawn by /js/ztree.js from /xxgk/getTree?pid=N (JSON); clicking a node loads
  /xxgk/list?catId=N&page=1 into <iframe name=listFrame>.  Every list page is titled 信息公开列表, no heading;
  the 政府信息公开年报 node's list (catId=2317) runs over two pages (下一页).
- pl-county-gov 平川县人民政府 (start: /): the home page's plain link 政府信息公开年报 leads to /xxgk/list?catId=88,
  titled 信息公开列表 like every list of the platform, two pages.
- rb-county-gov 瑞北县人民政府 (start: /zwgk/ndbg/index.html): every request without the cookie `rbclear`
  is answered HTTP 200 with a script that sets it and reloads; robots.txt's own challenge sets only a probe
  cookie and reloads for ever, so no browser reads robots.txt until a page's challenge has set `rbclear`.  Past
  it, robots.txt disallows /zwgk/ndbg/old/, where the 2020 report sits (listed by the column; not the truth).
- nf-county-gov 南风县人民政府 (start: the column /xxgk/ndbg/index.html): the column frames its list from another
  platform's host the entry does not list (never fetched): no report can be found, and the crawl must say why.

`Shapes20.truth` lists every own report reachable (site, url path, year, agency, form); `requests` what each server
saw: (method, path with query, cookie header).
"""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf
from tests.portal.homes16 import page
from tests.portal.serving import Page, ServedShapes

IF = ("if-county-gov", "宁水县人民政府")
ZT = ("zt-city-gov", "寿川市人民政府")
PL = ("pl-county-gov", "平川县人民政府")
RB = ("rb-county-gov", "瑞北县人民政府")
NF = ("nf-county-gov", "南风县人民政府")
SITES = (IF, ZT, PL, RB, NF)
PER = 3  # items per list page
IF_COLUMN, IF_LIST = "/xxgk/ndbg/index.html", "/xxgk/list.jsp"
ZT_START, ZT_CAT = "/xxgk/index.html", 2317
PL_CAT = 88
RB_COLUMN, RB_OLD = "/zwgk/ndbg/index.html", "/zwgk/ndbg/old/"
RB_COOKIE = "rbclear=ok"
RB_CHALLENGE = ("<html><head><meta charset='utf-8'></head><body><script>document.cookie='rbclear='+"
                "String.fromCharCode(111,107)+';path=/';location.reload();</script></body></html>")
# robots.txt's own challenge sets only a probe cookie and reloads: no browser gets past it to the file
RB_ROBOTS_CHALLENGE = ("<html><head><meta charset='utf-8'></head><body><script>document.cookie='rbprobe=1;path=/';"
                       "location.reload();</script></body></html>")
RB_ROBOTS = f"User-agent: *\nDisallow: {RB_OLD}\n"
NF_COLUMN = "/xxgk/ndbg/index.html"
NF_FRAME = "http://list.platform.invalid/xxgk/list.jsp?catid=12"
PDF = "application/pdf"
MENU = ("<ul class='left'><li><a href='/xxgk/zn/index.html'>政府信息公开指南</a></li>"
        "<li class='on'><a href='{column}'>政府信息公开年报</a></li>"
        "<li><a href='/xxgk/fdzdgknr/index.html'>法定主动公开内容</a></li></ul>")
# a small zTree: nodes fetched per parent from the JSON API, drawn as zTree draws them (no href), a click
# on a leaf loading its list into the frame beside the tree
ZTREE_JS = r"""(function(){
  var frame = document.getElementById('listFrame'), n = 0;
  function load(pid, ul) {
    var x = new XMLHttpRequest();
    x.open('GET', '/xxgk/getTree?pid=' + pid);
    x.onload = function(){
      JSON.parse(x.responseText).forEach(function(node){
        var li = document.createElement('li'), id = 'treeDemo_' + (++n);
        li.id = id;
        li.innerHTML = '<span class="button switch ' + (node.isParent ? 'root_close' : 'center_docu') + '"></span>'
          + '<a id="' + id + '_a" class="level0" treenode_a="" onclick="" target="_blank" title="' + node.name + '">'
          + '<span class="node_name">' + node.name + '</span></a>';
        ul.appendChild(li);
        li.querySelector('a').addEventListener('click', function(e){
          e.preventDefault();
          if (node.isParent && !li.querySelector('ul')) { var sub = document.createElement('ul'); li.appendChild(sub); load(node.id, sub); }
          frame.src = '/xxgk/list?catId=' + node.id + '&page=1';
        });
      });
    };
    x.send();
  }
  load(0, document.getElementById('treeDemo'));
})();"""
ZT_TREE = {0: [(101, "政府信息公开指南", False), (103, "法定主动公开内容", True), (ZT_CAT, "政府信息公开年报", False),
               (104, "依申请公开", False)],
           103: [(1031, "机构职能", False), (1032, "财政预决算", False)]}


def bare_list(title: str, rows: list[tuple[str, str, str]], n: int, pager_href) -> bytes:
    """A list document as a platform's list servlet prints it: its items, a page count, a 下一页 (no heading)."""
    pages = max(1, (len(rows) + PER - 1) // PER)
    items = "".join(li(p, t, d) for p, t, d in rows[(n - 1) * PER:n * PER])
    pager = f"<div class='page'>共{len(rows)}条 {n}/{pages}页 "
    if n > 1:
        pager += f"<a href='{pager_href(n - 1)}'>上一页</a> "
    if n < pages:
        pager += f"<a href='{pager_href(n + 1)}'>下一页</a>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><ul class='list'>{items}</ul>{pager}</div></body></html>").encode()


class Shapes20(SeedBodies, ServedShapes):
    """The portals: pages built once (lists answered per query), one threaded server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str, str]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.lists: dict[str, dict[str, list[tuple[str, str, str]]]] = {s[0]: {} for s in SITES}

    def build(self) -> None:
        for build in (self.build_if, self.build_zt, self.build_pl, self.build_rb, self.build_nf):
            build()

    def reports(self, site: tuple[str, str], years: range, path_of, pdf_year: int | None = None,
                unreachable: tuple[int, ...] = ()) -> list[tuple[str, str, str]]:
        """Report articles, one a year, newest first: (path, title, date).  `pdf_year`'s article carries its
        report as a PDF attachment; `unreachable` years are listed but not the truth."""
        sid, name = site
        rows = []
        for year in sorted(years, reverse=True):
            title, path, when = f"{name}{year}年政府信息公开工作年度报告", path_of(year), f"{year + 1}-01-20"
            body = self.body(name, year)
            if year == pdf_year:
                pdf = f"/uploadfiles/{year + 1}03/nb{year}.pdf"
                self.pages[sid][pdf] = Page(make_pdf(title, body), PDF)
                body = f"<p>{html.escape(title)}</p><p>附件：<a href='{pdf}'>{html.escape(title)}.pdf</a></p>"
            self.pages[sid][path] = Page(page(name, f"{title}_{name}", f"<h1>{html.escape(title)}</h1>"
                                              f"<div class='info'>发布时间：{when}</div>"
                                              f"<div class='content'>{body}</div>", "<a href='/'>首页</a>"))
            if year not in unreachable:
                self.truth.append(Truth(sid, path, year, name, "pdf" if year == pdf_year else "html"))
            rows.append((path, title, when))
        return rows

    def framing_column(self, site: tuple[str, str], path: str, frame_src: str) -> None:
        sid, name = site
        self.pages[sid][path] = Page(page(name, f"政府信息公开年报-{name}", MENU.format(column=path) +
                                          "<div class='right'><div class='loc'>首页 &gt; 信息公开 &gt; 政府信息公开年报</div>"
                                          f"<iframe id='listframe' name='listframe' src='{frame_src}' width='760'"
                                          " height='900' frameborder='0' scrolling='no'></iframe></div>"))

    def other_articles(self, site: tuple[str, str], rows: list[tuple[str, str, str]]) -> None:
        """The look-alikes other lists link (指南, 决算, 通知): plain articles, never reports."""
        sid, name = site
        for path, title, when in rows:
            self.pages[sid][path] = Page(page(name, f"{title}_{name}", f"<h1>{html.escape(title)}</h1>"
                                              f"<div class='info'>发布时间：{when}</div><p>{html.escape(title)}。</p>"))

    def build_if(self) -> None:
        rows = self.reports(IF, range(2019, 2024), lambda y: f"/xxgk/content.jsp?id={4500 + y}", pdf_year=2023)
        self.framing_column(IF, IF_COLUMN, f"{IF_LIST}?catid=12")
        for path, name in (("/xxgk/zn/index.html", "政府信息公开指南"), ("/xxgk/fdzdgknr/index.html", "法定主动公开内容")):
            self.pages[IF[0]][path] = Page(page(IF[1], f"{name}-{IF[1]}", MENU.format(column=IF_COLUMN) +
                                                f"<iframe name='listframe' src='{IF_LIST}?catid=11'></iframe>"))
        self.lists[IF[0]]["12"] = rows
        self.lists[IF[0]]["11"] = [("/xxgk/content.jsp?id=9001", f"{IF[1]}政府信息公开指南", "2023-02-01")]
        self.other_articles(IF, self.lists[IF[0]]["11"])

    def build_zt(self) -> None:
        rows = self.reports(ZT, range(2019, 2024), lambda y: f"/xxgk/detail?id={4600 + y}")
        self.lists[ZT[0]][str(ZT_CAT)] = rows
        self.lists[ZT[0]]["101"] = [("/xxgk/detail?id=9001", f"{ZT[1]}政府信息公开指南", "2023-02-01")]
        self.lists[ZT[0]]["1032"] = [("/xxgk/detail?id=9002", f"{ZT[1]}2023年度部门决算", "2024-06-01")]
        self.other_articles(ZT, self.lists[ZT[0]]["101"] + self.lists[ZT[0]]["1032"])
        body = ("<div class='loc'>当前位置：首页 &gt; 政府信息公开</div>"
                "<div class='xxgk-left'><div class='tit'>信息公开目录</div><ul id='treeDemo' class='ztree'></ul></div>"
                "<div class='xxgk-right'><iframe id='listFrame' name='listFrame' src='/xxgk/list?catId=101&page=1'"
                " width='100%' height='800' frameborder='0'></iframe></div><script src='/js/ztree.js'></script>")
        self.pages[ZT[0]][ZT_START] = Page(page(ZT[1], f"政府信息公开_{ZT[1]}", body, "<a href='/'>首页</a>"))
        self.pages[ZT[0]]["/js/ztree.js"] = Page(ZTREE_JS.encode(), "application/javascript")

    def build_pl(self) -> None:
        rows = self.reports(PL, range(2019, 2024), lambda y: f"/xxgk/detail?id={4700 + y}")
        self.lists[PL[0]][str(PL_CAT)] = rows
        self.lists[PL[0]]["7"] = [("/xxgk/detail?id=9003", f"{PL[1]}关于开展春季植树活动的通知", "2024-03-01")]
        self.other_articles(PL, self.lists[PL[0]]["7"])
        nav = (f"<a href='/'>首页</a> <a href='/xxgk/list?catId=7&page=1'>通知公告</a> "
               f"<a href='/xxgk/list?catId={PL_CAT}&page=1'>政府信息公开年报</a>")
        self.pages[PL[0]]["/"] = Page(page(PL[1], f"首页_{PL[1]}", f"<p>{PL[1]}门户网站</p>", nav))

    def build_rb(self) -> None:
        rows = self.reports(RB, range(2020, 2025), lambda y: (f"{RB_OLD}nb{y}.html" if y == 2020
                                                              else f"/zwgk/ndbg/{y + 1}01/t{y + 1}0120_{y}.html"),
                            unreachable=(2020,))
        items = "".join(li(p, t, d) for p, t, d in rows)
        self.pages[RB[0]][RB_COLUMN] = Page(page(RB[1], f"政府信息公开年报_{RB[1]}", f"<h2>政府信息公开年报</h2>"
                                                 f"<ul class='list'>{items}</ul>", "<a href='/'>首页</a>"))

    def build_nf(self) -> None:
        self.framing_column(NF, NF_COLUMN, NF_FRAME)

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str, cookie: str) -> tuple[int, Page]:
        if site == RB[0] and RB_COOKIE not in cookie:
            return 200, Page((RB_ROBOTS_CHALLENGE if path == "/robots.txt" else RB_CHALLENGE).encode())
        if path == "/robots.txt":
            return (200, Page(RB_ROBOTS.encode(), "text/plain")) if site == RB[0] else (404, Page(b"not found"))
        q = dict(parse_qsl(query))
        n = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1
        if site == IF[0] and path == IF_LIST:
            cat = q.get("catid", "")
            return 200, Page(bare_list("", self.lists[site].get(cat, []), n,
                                       lambda k: f"list.jsp?catid={cat}&page={k}"))
        if site in (ZT[0], PL[0]) and path == "/xxgk/list":
            cat = q.get("catId", "")
            return 200, Page(bare_list("信息公开列表", self.lists[site].get(cat, []), n,
                                       lambda k: f"/xxgk/list?catId={cat}&page={k}"))
        if site == ZT[0] and path == "/xxgk/getTree":
            pid = int(q.get("pid", "0")) if q.get("pid", "0").isdigit() else 0
            nodes = [{"id": i, "pId": pid, "name": name, "isParent": parent} for i, name, parent in ZT_TREE.get(pid, [])]
            return 200, Page(json.dumps(nodes, ensure_ascii=False).encode(), "application/json; charset=utf-8")
        found = self.pages[site].get(path + (f"?{query}" if query else "")) or self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            cookie = request.headers.get("Cookie") or ""
            self.saw(site, (method, request.path, cookie))
            return self.answer(site, parts.path, parts.query, cookie)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}
        starts = {IF[0]: IF_COLUMN, ZT[0]: ZT_START, PL[0]: "/", RB[0]: RB_COLUMN, NF[0]: NF_COLUMN}

        def entry(sid: str, name: str) -> dict:
            place = name.removesuffix("人民政府")
            city = sid == ZT[0]
            return {"id": sid, "name": name, "level": "city" if city else "county", "kind": "government",
                    "family": "generic", "region": {**region, **({"city": place} if city else {"county": place})},
                    "start_urls": [self.bases[sid] + starts[sid]]}
        return [entry(*site) for site in SITES]
