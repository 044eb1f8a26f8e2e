"""Portal shapes whose 年报 column loads its lists by script from controls that link nowhere, or opens its
reports by POSTing a form (the twenty-third round), served by a small server of their own
(`Shapes23.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- ya-county-gov 青溪县人民政府 (start: the column /xxgk/ndbg/): year nodes
  `<a href="javascript:;" onclick="showYear(2023)">2023年度</a>` load /xxgk/ndbg/list_<year>.html into one box
  by XHR; the latest year is loaded by the page itself, the older ones only by a click.
- ys-county-gov 白石县人民政府 (start: the column /xxgk/ndbg/): the server writes 2023's list into the box, the year
  nodes (`<li onclick="loadYear('2022')">`) load the others; 2020's list is gone (its XHR answers 404), so its
  node shows nothing when clicked.
- dt-county-gov 白水县人民政府 (start: the column /xxgk/ndbg/): 部门 tabs `<ul class="tabs"><li><a href="javascript:;"
  onclick="loadDept('jyj')">白水县教育局</a></li>` loading each body's list by XHR, the government's loaded first.
- pd-county-gov 清河县人民政府 (start: the column /xxgk/ndbg.do): rows `onclick="viewDetail('2200')"`, the helper
  filling a hidden `infoId` and submitting `<form method=post action=/detail.do target=_blank>`: every report
  (and the 指南 beside them) is at /detail.do, told apart only by the form.
- nx-county-gov 清水县人民政府 (start: the column /xxgk/ndbg/): report rows whose helper opens nothing (a login
  prompt): nothing can be taken, and the crawl's note must name the column page and the titles it could not open.
- dw-county-gov 白河县人民政府 (start: the column /xxgk/ndbg/index.htm): three list pages, each drawing its pager
  with `document.write` from a helper in the script file /js/page.js: every page is rendered, and the file is
  asked for once.
- dp-county-gov 白沙县人民政府 (start: /xxgk/): each report is listed in the 年报 column /xxgk/gknb/ and again
  under 重点领域—政府信息公开年报 /xxgk/zdgk/nb/ (same bytes); the 2023 report is also pinned above the column's list
  as 【置顶】… at content.jsp?id=… .  The reports row must sit at the 年报 column's own item, the copies be duplicates.

`Shapes23.truth` lists every own report reachable (site, url path — a POSTed one with its `#post:` form —, year,
agency, form); `requests` what each server saw: (method, path with query, form body).
"""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li
from tests.portal.homes16 import page
from tests.portal.homes21 import body_page
from tests.portal.serving import Page, ServedShapes

YA = ("ya-county-gov", "青溪县人民政府")
YS = ("ys-county-gov", "白石县人民政府")
DT = ("dt-county-gov", "白水县人民政府")
PD = ("pd-county-gov", "清河县人民政府")
NX = ("nx-county-gov", "清水县人民政府")
DW = ("dw-county-gov", "白河县人民政府")
DP = ("dp-county-gov", "白沙县人民政府")
SITES = (YA, YS, DT, PD, NX, DW, DP)
DP_YEARS = (2023, 2022)
YA_YEARS = (2023, 2022, 2021)
YS_YEARS = (2023, 2022, 2021)  # 2020's node is there too, its list gone
DT_DEPTS = [("zf", DT[1]), ("jyj", "白水县教育局"), ("wjw", "白水县卫生健康委员会")]
PD_ROWS = [("2200", 2023), ("2201", 2022)]
PD_GUIDE = "2290"
NX_YEARS = (2023, 2022)

YA_JS = ("<script>function showYear(y){var x=new XMLHttpRequest();x.open('GET','/xxgk/ndbg/list_'+y+'.html');"
         "x.onload=function(){if(x.status==200)document.getElementById('box').innerHTML=x.responseText;};x.send();}"
         "showYear(2023);</script>")
YS_JS = ("<script>function loadYear(y){var x=new XMLHttpRequest();x.open('GET','/xxgk/ndbg/year.jsp?year='+y);"
         "x.onload=function(){if(x.status==200)document.getElementById('yearList').innerHTML=x.responseText;};x.send();}"
         "</script>")
DT_JS = ("<script>function loadDept(c){var x=new XMLHttpRequest();x.open('GET','/xxgk/ndbg/dept_'+c+'.html');"
         "x.onload=function(){document.getElementById('box').innerHTML=x.responseText;};x.send();}loadDept('zf');</script>")
PD_JS = ("<script>function viewDetail(id){var f=document.getElementById('detailForm');f.infoId.value=id;f.submit();}"
         "</script>")
NX_JS = "<script>function openInfo(id){alert('请登录后查看');}</script>"
DW_JS = ("function showPager(total,cur){for(var i=0;i<total;i++){var u=i==0?'index.htm':'index_'+i+'.htm';"
         "document.write(i==cur?'<b>'+(i+1)+'</b> ':'<a href=\"'+u+'\">'+(i+1)+'</a> ');}}")
DW_YEARS = (2023, 2022, 2021)


class Shapes23(SeedBodies, ServedShapes):
    """The portals: pages built once (lists, fragments and POSTed details answered per query), one server each."""

    SITE_IDS = [sid for sid, *_ in SITES]
    METHODS = ("GET", "HEAD", "POST")
    requests: dict[str, list[tuple[str, str, str]]]

    def __init__(self) -> None:
        super().__init__()
        self.posted: dict[str, Page] = {}  # infoId -> the page /detail.do answers with

    def build(self) -> None:
        for build in (self.build_ya, self.build_ys, self.build_dt, self.build_pd, self.build_nx, self.build_dw,
                      self.build_dp):
            build()

    def report(self, site: str, path: str, name: str, year: int) -> tuple[str, str, str]:
        title, when = f"{name}{year}年政府信息公开工作年度报告", f"{year + 1}-01-2{year % 8}"
        self.pages[site][path] = body_page(name, title, when, self.body(name, year))
        self.truth.append(Truth(site, path, year, name, "html"))
        return path, title, when

    def column(self, site: str, name: str, content: str) -> Page:
        return Page(page(name, "政府信息公开年报", "<div class='crumb'>首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>"
                                                 f"<h2>政府信息公开年报</h2>{content}"))

    def build_ya(self) -> None:
        sid, name = YA
        nodes = "".join(f"<li><a href='javascript:;' onclick=\"showYear({y})\">{y}年度</a></li>" for y in YA_YEARS)
        self.pages[sid]["/xxgk/ndbg/"] = self.column(sid, name, f"<ul class='years'>{nodes}</ul><div id='box'></div>{YA_JS}")
        for y in YA_YEARS:
            row = self.report(sid, f"/xxgk/ndbg/{y}/art_{y}.html", name, y)
            self.pages[sid][f"/xxgk/ndbg/list_{y}.html"] = Page(f"<ul class='list'>{li(*row)}</ul>".encode())

    def build_ys(self) -> None:
        sid, name = YS
        nodes = "".join(f"<li onclick=\"loadYear('{y}')\">{y}年度</li>" for y in (*YS_YEARS, 2020))
        lists = {y: f"<ul class='list'>{li(*self.report(sid, f'/xxgk/ndbg/content_{y}.html', name, y))}</ul>"
                 for y in YS_YEARS}
        self.pages[sid]["/xxgk/ndbg/"] = self.column(sid, name, f"<ul class='yearNav'>{nodes}</ul>"
                                                               f"<div id='yearList'>{lists[2023]}</div>{YS_JS}")
        for y, fragment in lists.items():
            self.pages[sid][f"/xxgk/ndbg/year.jsp?year={y}"] = Page(fragment.encode())

    def build_dt(self) -> None:
        sid, name = DT
        tabs = "".join(f"<li><a href='javascript:;' onclick=\"loadDept('{c}')\">{n}</a></li>" for c, n in DT_DEPTS)
        self.pages[sid]["/xxgk/ndbg/"] = self.column(sid, name, f"<ul class='tabs'>{tabs}</ul><div id='box'></div>{DT_JS}")
        for code, body in DT_DEPTS:
            row = self.report(sid, f"/xxgk/ndbg/{code}/2023.html", body, 2023)
            self.pages[sid][f"/xxgk/ndbg/dept_{code}.html"] = Page(f"<ul class='list'>{li(*row)}</ul>".encode())

    def build_pd(self) -> None:
        sid, name = PD
        rows = ""
        for info, year in PD_ROWS:
            title, when = f"{name}{year}年政府信息公开工作年度报告", f"{year + 1}-01-20"
            self.posted[info] = body_page(name, title, when, self.body(name, year))
            self.truth.append(Truth(sid, f"/detail.do#post:infoId={info}", year, name, "html"))
            rows += (f"<li><a href='javascript:;' onclick=\"viewDetail('{info}')\">{html.escape(title)}</a>"
                     f"<span>{when}</span></li>")
        guide = f"{name}政府信息公开指南"
        self.posted[PD_GUIDE] = body_page(name, guide, "2023-03-10", f"<p>{guide}。</p>")
        rows += f"<li><a href='javascript:;' onclick=\"viewDetail('{PD_GUIDE}')\">{guide}</a><span>2023-03-10</span></li>"
        self.pages[sid]["/xxgk/ndbg.do"] = self.column(
            sid, name, f"<ul class='list'>{rows}</ul><form id='detailForm' method='post' action='/detail.do'"
                       f" target='_blank'><input type='hidden' name='infoId'></form>{PD_JS}")

    def build_nx(self) -> None:
        sid, name = NX
        rows = "".join(f"<li><a href='javascript:;' onclick=\"openInfo('33{i:02d}')\">{name}{y}年政府信息公开工作年度报告</a>"
                       f"<span>{y + 1}-01-20</span></li>" for i, y in enumerate(NX_YEARS))
        self.pages[sid]["/xxgk/ndbg/"] = self.column(sid, name, f"<ul class='list'>{rows}</ul>{NX_JS}")

    def build_dw(self) -> None:
        sid, name = DW
        self.pages[sid]["/js/page.js"] = Page(DW_JS.encode(), "application/javascript")
        for n, y in enumerate(DW_YEARS):
            row = self.report(sid, f"/xxgk/ndbg/{y}/art_{y}.html", name, y)
            self.pages[sid]["/xxgk/ndbg/" + ("index.htm" if n == 0 else f"index_{n}.htm")] = self.column(
                sid, name, f"<ul class='list'>{li(*row)}</ul><script src='/js/page.js'></script>"
                           f"<div class='pg'><script>showPager({len(DW_YEARS)},{n});</script></div>")

    def build_dp(self) -> None:
        sid, name = DP
        self.pages[sid]["/xxgk/"] = Page(page(name, "政府信息公开", "<ul><li><a href='/xxgk/gknb/index.html'>政府信息公开年报</a></li>"
                                              "<li><a href='/xxgk/zdgk/nb/index.html'>重点领域—政府信息公开年报</a></li></ul>"))
        own, pinned, copies = "", "", ""
        for y in DP_YEARS:
            path, title, when = self.report(sid, f"/xxgk/gknb/{y}/art_{y}.html", name, y)
            report = self.pages[sid][path]
            own += li(path, title, when)
            self.pages[sid][f"/xxgk/zdgk/nb/art_{y}.html"] = report
            copies += li(f"/xxgk/zdgk/nb/art_{y}.html", title, when)
            if y == 2023:
                self.pages[sid][f"/xxgk/gknb/content.jsp?id={y}"] = report
                pinned = li(f"/xxgk/gknb/content.jsp?id={y}", f"【置顶】{title}", when)
        self.pages[sid]["/xxgk/gknb/index.html"] = Page(page(name, "政府信息公开年报",
                                                             f"<h2>政府信息公开年报</h2><ul class='list'>{pinned}{own}</ul>"))
        self.pages[sid]["/xxgk/zdgk/nb/index.html"] = Page(page(name, "重点领域—政府信息公开年报",
                                                                f"<h2>政府信息公开年报</h2><ul class='list'>{copies}</ul>"))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, method: str, path: str, query: str, form: dict[str, str]) -> tuple[int, Page]:
        if site == PD[0] and path == "/detail.do":
            found = self.posted.get(form.get("infoId", "")) if method == "POST" else None
            if found is None:  # a GET, or no such item: what the portal says then
                return 200, Page(page(PD[1], "提示", "<p>参数错误</p>"))
            return 200, found
        found = self.pages[site].get(path + (f"?{query}" if query else "")) or self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path, body.decode("latin-1")))
            form = dict(parse_qsl(body.decode("latin-1"))) if method == "POST" else {}
            return self.answer(site, method, parts.path, parts.query, form)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}
        starts = {YA[0]: "/xxgk/ndbg/", YS[0]: "/xxgk/ndbg/", DT[0]: "/xxgk/ndbg/", PD[0]: "/xxgk/ndbg.do",
                  NX[0]: "/xxgk/ndbg/", DW[0]: "/xxgk/ndbg/index.htm", DP[0]: "/xxgk/"}

        def entry(sid: str, name: str) -> dict:
            return {"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                    "region": {**region, "county": name.removesuffix("人民政府")},
                    "start_urls": [self.bases[sid] + starts[sid]]}
        return [entry(*site) for site in SITES]
