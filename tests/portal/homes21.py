"""Portal shapes whose column holds more than its first view shows (the twenty-first round), served by a small
server of their own (`Shapes21.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- hb-county-gov 松川县人民政府 (start: the hub /xxgk/ndbg/, titled 政府信息公开年报): one link per body, each to its
  own sub-column /xxgk/ndbg/<code>/ under a heading 县政府及部门、乡镇 — full names, some longer than a tab's
  (松川县花林寺镇人民政府, 松川县人力资源和社会保障局), one holding a look-alike column's word (松川县统计局,
  松川县自然资源和规划局).  Sub-columns list the body's report (the government's over two pages) and a 指南.
- at-county-gov 三江县人民政府 (start: the column /xxgk/ndbg/): tabs <li class="tab" data-dept-id="N">部门</li>
  whose click handler (set by script) loads /xxgk/ajaxList?deptId=N&page=1 into one box; a fragment's pager is
  <span data-dept data-page="2">下一页</span> read by a document click listener.  No link names any of it.
- hs-county-gov 阳川县人民政府 (start: /#/xxgk/ndbg): a hash-routed app whose every route has the one <title>
  阳川县人民政府; the list route draws a breadcrumb 首页 > 政府信息公开 > 政府信息公开年报, three rows from
  /api/ndbg/list?page=N and a pager of routes #/xxgk/ndbg?page=2.  Rows open #/xxgk/ndbg/detail/N.
- is-county-gov 攸川县人民政府 (start: the column /xxgk/ndbg/): an endless list that asks /api/list?offset=N for
  ten rows more only on the window's `scroll` event; the first ten are shorter than the window, so nothing
  scrolls until something sends the event.
- it-county-gov 攸山县人民政府 (start: the column /xxgk/ndbg/): the same list, but it asks for more only on a finger's
  `touchmove`, which no desktop browser sends: the five older reports cannot be reached, and the crawl must
  say so (its API's JSON announces 15 rows, 10 reached the page).

`Shapes21.truth` lists every own report reachable (site, url path, year, agency, form); `requests` what each server
saw: (method, path with query, user agent).
"""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li
from tests.portal.homes16 import page
from tests.portal.serving import Page, ServedShapes

HB = ("hb-county-gov", "松川县人民政府")
AT = ("at-county-gov", "三江县人民政府")
HS = ("hs-county-gov", "阳川县人民政府")
IS = ("is-county-gov", "攸川县人民政府")
IT = ("it-county-gov", "攸山县人民政府")
SITES = (HB, AT, HS, IS, IT)
HB_PLACE = "松川县"
# (code, body): the names a county's hub prints, short and long, one with 统计 and one with 规划 in it
HB_BODIES = [("zf", "松川县人民政府"), ("d01", "松川县教育局"), ("d02", "松川县财政局"),
             ("d03", "松川县人力资源和社会保障局"), ("d04", "松川县自然资源和规划局"), ("d05", "松川县住房和城乡建设局"),
             ("d06", "松川县市场监督管理局"), ("d07", "松川县统计局"), ("d08", "松川县鸣凤镇人民政府"),
             ("d09", "松川县花林寺镇人民政府"), ("d10", "松川县茅坪场镇人民政府")]
HB_PER = 2  # items per sub-column page
AT_DEPTS = {12: "三江县财政局", 15: "三江县教育和体育局", 18: "三江县卫生健康局"}
AT_PER = 2
HS_PER = 3
IS_BATCH = 10
IS_YEARS = range(2010, 2024)  # 14 reports: ten on first view, four more after a scroll


def body_page(name: str, title: str, when: str, content: str, crumb: str = "年度报告") -> Page:
    return Page(page(name, f"{title}_{name}", f"<div class='crumb'>首页 &gt; 政府信息公开 &gt; {crumb}</div>"
                                              f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{when}</div>"
                                              f"<div class='content'>{content}</div>", "<a href='/'>首页</a>"))


AT_JS = """<script>
function loadDept(id, page){var x=new XMLHttpRequest();x.open('GET','/xxgk/ajaxList?deptId='+id+'&page='+page);
x.onload=function(){document.getElementById('listBox').innerHTML=x.responseText;};x.send();}
document.addEventListener('DOMContentLoaded',function(){var tabs=document.querySelectorAll('.tabbar li');
for(var i=0;i<tabs.length;i++){tabs[i].onclick=function(){for(var j=0;j<tabs.length;j++)tabs[j].className='tab';
this.className='tab on';loadDept(this.getAttribute('data-dept-id'),1);};}
loadDept(tabs[0].getAttribute('data-dept-id'),1);});
document.addEventListener('click',function(e){var t=e.target;
if(t&&t.getAttribute&&t.getAttribute('data-page')){loadDept(t.getAttribute('data-dept'),t.getAttribute('data-page'));}});
</script>"""
HS_JS = r"""
function api(u,cb){var x=new XMLHttpRequest();x.open('GET',u);x.onload=function(){cb(JSON.parse(x.responseText));};x.send();}
function route(){var h=location.hash||'#/';var app=document.getElementById('app');
 var m=h.match(/^#\/xxgk\/ndbg\/detail\/(\d+)/);
 if(m){api('/api/ndbg/detail?id='+m[1],function(r){app.innerHTML='<h1>'+r.title+'</h1><div class="date">'+r.pubDate+
   '</div><div class="content">'+r.content+'</div>';});return;}
 m=h.match(/^#\/xxgk\/ndbg(?:\?page=(\d+))?/);
 if(m){var p=parseInt(m[1]||'1');api('/api/ndbg/list?page='+p,function(r){
   var s='<div class="crumb">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div><ul class="list">';
   r.rows.forEach(function(it){s+='<li><a href="#/xxgk/ndbg/detail/'+it.id+'">'+it.title+'</a><span>'+it.pubDate+'</span></li>';});
   s+='</ul><div class="pager">第'+p+'/'+r.pages+'页 ';if(p>1)s+='<a href="#/xxgk/ndbg?page='+(p-1)+'">上一页</a> ';
   if(p<r.pages)s+='<a href="#/xxgk/ndbg?page='+(p+1)+'">下一页</a>';app.innerHTML=s+'</div>';});return;}
 app.innerHTML='<div class="nav"><a href="#/xxgk">政府信息公开</a> <a href="#/xxgk/ndbg">政府信息公开年报</a></div>';}
window.addEventListener('hashchange',route);route();
"""
IS_JS = """<script>
var offset=0,loading=false,done=false;
function more(){if(loading||done)return;loading=true;var x=new XMLHttpRequest();x.open('GET','/api/list?offset='+offset+'&limit=10');
x.onload=function(){var r=JSON.parse(x.responseText);var ul=document.getElementById('list');
r.data.forEach(function(it){var li=document.createElement('li');li.innerHTML='<a href="'+it.url+'">'+it.title+'</a><span>'+it.pubDate+'</span>';ul.appendChild(li);});
offset+=r.data.length;if(offset>=r.total){done=true;document.getElementById('tip').innerText='没有更多了';}loading=false;};x.send();}
window.addEventListener('scroll',function(){if(window.innerHeight+window.scrollY>=document.body.offsetHeight-50)more();});
more();
</script>"""

# the same list loading more only on a finger's touchmove: no desktop browser sends it
IT_JS = IS_JS.replace("addEventListener('scroll'", "addEventListener('touchmove'")


class Shapes21(SeedBodies, ServedShapes):
    """The portals: pages built once (lists and fragments answered per query), one threaded server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str, str]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, list[tuple[str, str, str]]]] = {s[0]: {} for s in SITES}
        self.details: dict[int, tuple[str, str, str]] = {}

    def build(self) -> None:
        for build in (self.build_hb, self.build_at, self.build_hs, self.build_is, self.build_it):
            build()

    def report(self, site: str, path: str, name: str, year: int) -> tuple[str, str, str]:
        title, when = f"{name}{year}年政府信息公开工作年度报告", f"{year + 1}-01-2{year % 8}"
        self.pages[site][path] = body_page(name, title, when, self.body(name, year))
        self.truth.append(Truth(site, path, year, name, "html"))
        return path, title, when

    def guide(self, site: str, path: str, name: str) -> tuple[str, str, str]:
        title = f"{name}政府信息公开指南"
        self.pages[site][path] = body_page(name, title, "2023-03-10", f"<p>{html.escape(title)}。</p>")
        return path, title, "2023-03-10"

    def build_hb(self) -> None:
        sid = HB[0]
        links = "".join(f"<li><a href='/xxgk/ndbg/{code}/' target='_blank'>{name}</a></li>" for code, name in HB_BODIES)
        self.pages[sid]["/xxgk/ndbg/"] = Page(page(HB[1], "政府信息公开年报", "<div class='column-title'>政府信息公开年报</div>"
                                                   f"<div class='dept-list'><h3>县政府及部门、乡镇</h3><ul>{links}</ul></div>"))
        for code, name in HB_BODIES:
            years = (2023, 2022, 2021) if code == "zf" else (2023,)
            rows = [self.report(sid, f"/xxgk/ndbg/{code}/{y + 1}01/t{y + 1}0125_{code}{y}.html", name, y) for y in years]
            rows.append(self.guide(sid, f"/xxgk/ndbg/{code}/202303/t20230310_{code}g.html", name))
            self.rows[sid][code] = rows

    def build_at(self) -> None:
        sid = AT[0]
        for dept, name in AT_DEPTS.items():
            years = (2023, 2022, 2021) if dept == 12 else (2023, 2022) if dept == 18 else (2023,)
            self.rows[sid][str(dept)] = [self.report(sid, f"/xxgk/ndbg/{dept}/content_{dept}{y}.html", name, y)
                                         for y in years]
        tabs = "".join(f"<li class='tab{' on' if i == 0 else ''}' data-dept-id='{d}'>{n}</li>"
                       for i, (d, n) in enumerate(AT_DEPTS.items()))
        self.pages[sid]["/xxgk/ndbg/"] = Page(page(AT[1], "政府信息公开年报", "<div class='crumb'>首页 &gt; 政府信息公开 &gt;"
                                                   f" 政府信息公开年报</div><ul class='tabbar'>{tabs}</ul>"
                                                   f"<div id='listBox'></div>{AT_JS}"))

    def build_hs(self) -> None:
        sid = HS[0]
        rows = []
        for n, year in enumerate(range(2023, 2018, -1)):
            rid = 61 + n
            title, when = f"{HS[1]}{year}年政府信息公开工作年度报告", f"{year + 1}-01-22"
            self.details[rid] = (title, when, self.body(HS[1], year))
            self.truth.append(Truth(sid, f"/#/xxgk/ndbg/detail/{rid}", year, HS[1], "html"))
            rows.append((str(rid), title, when))
            if n == 1:
                self.details[70] = (f"{HS[1]}政府信息公开指南", "2022-05-10", "<p>为方便公民获取政府信息，编制本指南。</p>")
                rows.append(("70", f"{HS[1]}政府信息公开指南", "2022-05-10"))
        self.rows[sid]["list"] = rows
        self.pages[sid]["/"] = Page(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{HS[1]}</title></head>"
                                    "<body><div id='app'>加载中…</div><script src='/static/js/app.js'></script>"
                                    "</body></html>".encode())
        self.pages[sid]["/static/js/app.js"] = Page(HS_JS.encode(), "application/javascript")

    def build_is(self) -> None:
        sid = IS[0]
        rows = [self.report(sid, f"/xxgk/ndbg/content_{y}.html", IS[1], y) for y in sorted(IS_YEARS, reverse=True)]
        rows.insert(3, self.guide(sid, "/xxgk/ndbg/content_zn.html", IS[1]))
        self.rows[sid]["list"] = rows
        self.pages[sid]["/xxgk/ndbg/"] = Page(page(IS[1], "政府信息公开年报", "<style>li{height:40px;display:block}</style>"
                                                   "<div class='crumb'>首页 &gt; 政府信息公开年报</div><ul id='list'></ul>"
                                                   f"<div id='tip'>上拉加载更多</div>{IS_JS}"))

    def build_it(self) -> None:
        sid = IT[0]
        rows = [self.report(sid, f"/xxgk/ndbg/content_{y}.html", IT[1], y) for y in sorted(IS_YEARS, reverse=True)]
        self.truth = [t for t in self.truth if not (t.site == sid and t.year < 2015)]  # only the first ten rows show
        rows.insert(3, self.guide(sid, "/xxgk/ndbg/content_zn.html", IT[1]))
        self.rows[sid]["list"] = rows
        self.pages[sid]["/xxgk/ndbg/"] = Page(page(IT[1], "政府信息公开年报", "<style>li{height:40px;display:block}</style>"
                                                   "<div class='crumb'>首页 &gt; 政府信息公开年报</div><ul id='list'></ul>"
                                                   f"<div id='tip'>上拉加载更多</div>"
                                                   f"{IT_JS}"))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str) -> tuple[int, Page]:
        q = dict(parse_qsl(query))
        n = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1
        if site == HB[0]:
            parts = path.strip("/").split("/")
            if len(parts) == 3 and parts[:2] == ["xxgk", "ndbg"] and path.endswith("/"):
                return self.hb_column(parts[2], 1)
            if len(parts) == 4 and parts[:2] == ["xxgk", "ndbg"] and parts[3] == "index.html":
                return self.hb_column(parts[2], 1)
            if len(parts) == 4 and parts[:2] == ["xxgk", "ndbg"] and parts[3].startswith("index_"):
                k = parts[3].removeprefix("index_").removesuffix(".html")
                return self.hb_column(parts[2], int(k) + 1 if k.isdigit() else 0)
        if site == AT[0] and path == "/xxgk/ajaxList":
            dept = q.get("deptId", "")
            rows = self.rows[site].get(dept, [])
            frag = "<ul class='list'>" + "".join(li(p, t, d) for p, t, d in rows[(n - 1) * AT_PER:n * AT_PER]) + "</ul>"
            if n * AT_PER < len(rows):
                frag += f"<div class='pager'><span data-dept='{dept}' data-page='{n + 1}'>下一页</span></div>"
            return 200, Page(frag.encode())
        if site == HS[0] and path == "/api/ndbg/list":
            rows = self.rows[site]["list"]
            pages = (len(rows) + HS_PER - 1) // HS_PER
            chunk = [{"id": int(i), "title": t, "pubDate": d} for i, t, d in rows[(n - 1) * HS_PER:n * HS_PER]]
            return 200, Page(json.dumps({"rows": chunk, "pages": pages, "total": len(rows)}, ensure_ascii=False).encode(),
                             "application/json; charset=utf-8")
        if site == HS[0] and path == "/api/ndbg/detail":
            title, when, content = self.details.get(int(q.get("id", "0")) if q.get("id", "").isdigit() else 0,
                                                    ("", "", ""))
            return 200, Page(json.dumps({"title": title, "pubDate": when, "content": content},
                                        ensure_ascii=False).encode(), "application/json; charset=utf-8")
        if site in (IS[0], IT[0]) and path == "/api/list":
            off = int(q.get("offset", "0")) if q.get("offset", "0").isdigit() else 0
            rows = self.rows[site]["list"]
            data = [{"title": t, "pubDate": d, "url": p} for p, t, d in rows[off:off + IS_BATCH]]
            return 200, Page(json.dumps({"code": 0, "total": len(rows), "offset": off, "data": data},
                                        ensure_ascii=False).encode(), "application/json; charset=utf-8")
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def hb_column(self, code: str, n: int) -> tuple[int, Page]:
        name = dict(HB_BODIES).get(code)
        rows = self.rows[HB[0]].get(code)
        if not name or not rows or n < 1 or (n - 1) * HB_PER >= len(rows):
            return 404, Page(page(HB[1], "404", "<p>页面不存在</p>"))
        pages = (len(rows) + HB_PER - 1) // HB_PER
        items = "".join(li(p, t, d) for p, t, d in rows[(n - 1) * HB_PER:n * HB_PER])
        pager = ""
        if pages > 1:
            pager = "<div class='page'>" + (f"<a href='{'index.html' if n == 2 else f'index_{n - 2}.html'}'>上一页</a>"
                                            if n > 1 else "")
            pager += (f"<a href='index_{n}.html'>下一页</a>" if n < pages else "") + f" 共{pages}页</div>"
        return 200, Page(page(HB[1], f"{name}-年报", "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; "
                                                  f"<a href='/xxgk/ndbg/'>政府信息公开年报</a> &gt; {name}</div>"
                                                  f"<ul class='list'>{items}</ul>{pager}"))

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path, request.headers.get("User-Agent") or ""))
            return self.answer(site, parts.path, parts.query)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}
        starts = {HB[0]: "/xxgk/ndbg/", AT[0]: "/xxgk/ndbg/", HS[0]: "/#/xxgk/ndbg", IS[0]: "/xxgk/ndbg/",
                  IT[0]: "/xxgk/ndbg/"}

        def entry(sid: str, name: str) -> dict:
            return {"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                    "region": {**region, "county": name.removesuffix("人民政府")},
                    "start_urls": [self.bases[sid] + starts[sid]]}
        return [entry(*site) for site in SITES]
