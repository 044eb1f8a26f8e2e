"""Portal shapes whose way to a year's report is written in script or only by the year (the crawl21 exam's
lost reports), served by a small server of their own (`YearPaths.start()`: one 127.0.0.1 port per portal):

- ys-county-gov 岐川县人民政府 (start: the column /zwgk/ndbg/index.html, this year's report and a 预算 listed): a
  year <select onchange="location.href='/zwgk/ndbg/'+this.value+'.html'"> of bare years; each year's list
  /zwgk/ndbg/<year>.html holds that year's report and a look-alike.  /zwgk/ndbg/<year> (no suffix) is a 404.
- yl-county-gov 登川县人民政府 (start: the column /zwgk/ndbg/index.html): items labelled only by a year — "2024年度"
  opens a page titled 登川县2024年政府信息公开工作年度报告, "2023年" a page titled only 政府信息公开工作年度报告
  (its year is the label's), "2022年度" a page titled 登川县2022年度部门预算 (a look-alike: no report); each label
  sits beside its date (<li><a>2024年度</a><span>2025-01-14</span></li>).
- yg-county-gov 固川县人民政府 (start: the column /xxgk/ndbg/index.jhtml): a pager `javascript:goPage(n)` whose
  helper is defined only in /js/list.js (location.href='/xxgk/ndbg/index_'+n+'.jhtml'); three pages of two
  items, a 指南 among them.
- yc-county-gov 保川县人民政府 (start: the 公开目录 /xxgkml/index.html): tree nodes
  <a href="javascript:void(0)" onclick="openCat('1205')">政府信息公开年报</a> beside a <form method=post
  action=list.do> whose hidden catId the inline openCat sets before submitting it; only a POST of
  catId=1205 answers the 年报 list (catId=1201, 政府信息公开指南, lists a 指南).
- yn-county-gov 南川县人民政府 (start: the column /xxgk/ndbg/index.html): a 下一页 `javascript:goPage(2)` whose script
  file /js/pager.js answers 404: no one can reach page 2 (its report is not in the truth); the crawl must say so.

`YearPaths.truth` lists every own report reachable (site, url path, year, agency, form); `requests` what each
server saw: (method, path with query, body).
"""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li
from tests.portal.homes16 import page
from tests.portal.serving import Page, ServedShapes

YS = ("ys-county-gov", "岐川县人民政府")
YL = ("yl-county-gov", "登川县人民政府")
YG = ("yg-county-gov", "固川县人民政府")
YC = ("yc-county-gov", "保川县人民政府")
YN = ("yn-county-gov", "南川县人民政府")
SITES = (YS, YL, YG, YC, YN)
GO_PAGE_JS = ("function goPage(n){ if(n==1){location.href='/xxgk/ndbg/index.jhtml';}"
              " else {location.href='/xxgk/ndbg/index_'+n+'.jhtml';} }\n")
OPEN_CAT_JS = ("<script>function openCat(id){document.getElementById('catId').value=id;"
               "document.getElementById('catForm').submit();}</script>")


def article(name: str, title: str, when: str, content: str) -> Page:
    return Page(page(name, f"{title}_{name}", "<div class='crumb'>首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>"
                                              f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{when}</div>"
                                              f"<div class='content'>{content}</div>"))


def column(name: str, body: str, title: str = "政府信息公开年报") -> Page:
    return Page(page(name, f"{title}_{name}", "<div class='crumb'>首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>"
                                              f"{body}"))


class YearPaths(SeedBodies, ServedShapes):
    """The portals: pages built once, the 公开目录's list answered per POSTed catId."""

    SITE_IDS = [sid for sid, *_ in SITES]
    METHODS = ("GET", "HEAD", "POST")
    requests: dict[str, list[tuple[str, str, str]]]

    def build(self) -> None:
        for build in (self.build_ys, self.build_yl, self.build_yg, self.build_yc, self.build_yn):
            build()

    def report(self, site: str, path: str, name: str, year: int, title: str | None = None) -> tuple[str, str, str]:
        title = title or f"{name}{year}年政府信息公开工作年度报告"
        when = f"{year + 1}-01-2{year % 8}"
        self.pages[site][path] = article(name, title, when, self.body(name, year))
        self.truth.append(Truth(site, path, year, name, "html"))
        return path, title, when

    def lookalike(self, site: str, path: str, name: str, title: str, when: str) -> tuple[str, str, str]:
        self.pages[site][path] = article(name, title, when, f"<p>{html.escape(title)}。收入合计1200万元。</p>")
        return path, title, when

    def build_ys(self) -> None:
        sid, name = YS
        place = name.removesuffix("人民政府")
        options = "".join(f"<option value='{y}'{' selected' if y == 2025 else ''}>{y}年</option>"
                          for y in (2025, 2024, 2023, 2022))
        select = f"""<div>年份：<select id="year" onchange="location.href='/zwgk/ndbg/'+this.value+'.html'">{options}</select></div>"""
        rows = [self.report(sid, "/zwgk/ndbg/2025/t20250120_1.html", name, 2024),
                self.lookalike(sid, "/zwgk/ndbg/2025/t20250210_2.html", name, f"{place}2025年部门预算", "2025-02-10")]
        self.pages[sid]["/zwgk/ndbg/index.html"] = column(name, select + "<ul class='list'>"
                                                          + "".join(li(*r) for r in rows) + "</ul>")
        self.pages[sid]["/zwgk/ndbg/2025.html"] = self.pages[sid]["/zwgk/ndbg/index.html"]
        for y in (2024, 2023, 2022):
            rows = [self.report(sid, f"/zwgk/ndbg/{y}/t{y}0120_1.html", name, y - 1),
                    self.lookalike(sid, f"/zwgk/ndbg/{y}/t{y}0210_2.html", name, f"{place}{y}年部门预算", f"{y}-02-10")]
            self.pages[sid][f"/zwgk/ndbg/{y}.html"] = column(name, select + "<ul class='list'>"
                                                             + "".join(li(*r) for r in rows) + "</ul>")

    def build_yl(self) -> None:
        sid, name = YL
        place = name.removesuffix("人民政府")
        self.report(sid, "/zwgk/ndbg/2024/index.html", name, 2024)
        self.report(sid, "/zwgk/ndbg/2023/index.html", name, 2023, title="政府信息公开工作年度报告")
        self.lookalike(sid, "/zwgk/ndbg/2022/index.html", name, f"{place}2022年度部门预算", "2022-02-10")
        # each label beside its date, as a list prints it (the date is no title of the link)
        items = "".join(f"<li><a href='/zwgk/ndbg/{y}/index.html'>{label}</a><span>{y + 1}-01-1{y % 10}</span></li>"
                        for y, label in ((2024, "2024年度"), (2023, "2023年"), (2022, "2022年度")))
        self.pages[sid]["/zwgk/ndbg/index.html"] = column(name, f"<ul>{items}</ul>")

    def build_yg(self) -> None:
        sid, name = YG
        place = name.removesuffix("人民政府")
        rows = [self.report(sid, f"/xxgk/ndbg/content/{6100 + y}.jhtml", name, y) for y in (2024, 2023, 2022, 2021)]
        rows.insert(3, self.lookalike(sid, "/xxgk/ndbg/content/6001.jhtml", name, f"{place}政府信息公开指南",
                                      "2023-05-01"))
        self.pages[sid]["/js/list.js"] = Page(GO_PAGE_JS.encode(), "application/javascript")
        pages = (len(rows) + 1) // 2
        for i in range(pages):
            pager = "".join(f"<a href='javascript:goPage({k + 1})'>{k + 1}</a> " for k in range(pages))
            if i < pages - 1:
                pager += f"<a href='javascript:goPage({i + 2})'>下一页</a>"
            path = "/xxgk/ndbg/index.jhtml" if i == 0 else f"/xxgk/ndbg/index_{i + 1}.jhtml"
            self.pages[sid][path] = column(name, "<script src='/js/list.js'></script><ul class='list'>"
                                           + "".join(li(*r) for r in rows[i * 2:i * 2 + 2])
                                           + f"</ul><div class='pager'>{pager}</div>")

    def build_yc(self) -> None:
        sid, name = YC
        place = name.removesuffix("人民政府")
        self.cat_rows = {"1205": [self.report(sid, f"/xxgk/art/{y + 1}/art_{y}.html", name, y) for y in (2024, 2023)],
                         "1201": [self.lookalike(sid, "/xxgk/art/2023/art_zn.html", name, f"{place}政府信息公开指南",
                                                 "2023-03-01")]}
        nodes = "".join(f"<li><a href=\"javascript:void(0)\" onclick=\"openCat('{c}')\">{t}</a></li>"
                        for c, t in (("1201", "政府信息公开指南"), ("1203", "政府信息公开制度"), ("1205", "政府信息公开年报")))
        self.pages[sid]["/xxgkml/index.html"] = Page(page(name, f"政府信息公开目录_{name}",
                                                          "<div class='crumb'>首页 &gt; 政府信息公开目录</div>"
                                                          f"<ul class='tree'>{nodes}</ul><form id='catForm' method='post'"
                                                          " action='list.do'><input type='hidden' id='catId'"
                                                          " name='catId' value=''></form>" + OPEN_CAT_JS))

    def build_yn(self) -> None:
        sid, name = YN
        first = self.report(sid, "/xxgk/ndbg/content/2024.html", name, 2024)
        later = ("/xxgk/ndbg/content/2023.html", f"{name}2023年政府信息公开工作年度报告", "2024-01-20")
        self.pages[sid][later[0]] = article(name, later[1], later[2], self.body(name, 2023))
        for path, rows, pager in (("/xxgk/ndbg/index.html", [first], "<a href='javascript:goPage(2)'>下一页</a>"),
                                  ("/xxgk/ndbg/index_2.html", [later], "<a href='javascript:goPage(1)'>上一页</a>")):
            self.pages[sid][path] = column(name, "<script src='/js/pager.js'></script><ul class='list'>"
                                           + "".join(li(*r) for r in rows) + f"</ul><div class='pager'>{pager}</div>")

    def catalogue_list(self, cat: str) -> tuple[int, Page]:
        sid, name = YC
        rows = self.cat_rows.get(cat)
        if rows is None:
            return 200, Page(page(name, f"信息公开列表_{name}", "<p>暂无信息</p>"))
        return 200, Page(page(name, f"信息公开列表_{name}", "<ul class='list'>" + "".join(li(*r) for r in rows)
                              + "</ul>"))

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path, body.decode("utf-8", "replace")))
            if site == YC[0] and parts.path == "/xxgkml/list.do":
                return self.catalogue_list(dict(parse_qsl(body.decode("utf-8", "replace"))).get("catId", "")
                                           if method == "POST" else "")
            found = self.pages[site].get(parts.path)
            if found is None:
                return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
            return 200, found
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}
        starts = {YS[0]: "/zwgk/ndbg/index.html", YL[0]: "/zwgk/ndbg/index.html", YG[0]: "/xxgk/ndbg/index.jhtml",
                  YC[0]: "/xxgkml/index.html", YN[0]: "/xxgk/ndbg/index.html"}

        def entry(sid: str, name: str) -> dict:
            return {"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                    "region": {**region, "county": name.removesuffix("人民政府")},
                    "start_urls": [self.bases[sid] + starts[sid]]}
        return [entry(*site) for site in SITES]
