"""Three portal shapes a ninth set of blind test portals showed the generic crawl losing or misfiling,
served by a small server of their own (`Shapes9.start()`: one 127.0.0.1 port per portal,
tests/portal/serving.py, so the other replica's static tree is left alone):

- ap-district-gov 临川市安平区人民政府: a district site whose 政府信息公开年报 column shows only the
  current publication year, first 5 rows.  The rest of that year come from a "加载更多" <button>
  (XHR `more.json?year=&offset=`), older years only from a GET 年份 form (`<form method=get
  action=''><select name=year onchange="location.search='?year='+this.value">`, option values
  bare years).  A 上级政府年报 sidebar links the city's report inside the column's directory.
- qx-county-gov 青溪县人民政府: a hash-router single-page app at /xxgk/ (`#/index`, `#/list?id=34`,
  `#/detail?id=N`: one URL to an HTTP client), menu, list and detail from POST JSON APIs (a GET
  answers 405), rows `<a href='#/detail?id=N'>`, a 下一页 <button> (3 pages of 5), attachments from
  `/api/file/download?fileId=N` (`filename*=` only).
- sl-ministry 中华人民共和国山林资源部: a central ministry (registry `level: national`, no region).  Its
  信息公开年报 page features the newest report, then a 历年年报 grid whose links read only
  "2023年度" (2021 straight to a PDF), a 各地山林资源部门年报 block of two provinces' departments'
  reports under its own directory, and 相关文件 look-alikes.  Articles carry the 发文机关 table.

`Shapes9.truth` lists every own report (site, url, year, agency, form); `others` the other bodies'
report URLs; `requests` what each server saw (method, path with query, POST body).
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, urlsplit

from tests.portal.homes import narrative, renamed_record
from tests.portal.render import report_body_html
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import Page, Respond, handler, serving

AP = ("ap-district-gov", "临川市安平区人民政府")
QX = ("qx-county-gov", "青溪县人民政府")
SL = ("sl-ministry", "中华人民共和国山林资源部")
AP_COLUMN = "/zwgk/zfxxgk/fdzdgknr/ndbg/"
AP_YEARS = tuple(range(2025, 2018, -1))  # the 年份 select's options: publication years
QX_CHANNEL = 34
SL_COLUMN = "/xxgk/xxgknb/"


@dataclass
class Truth:
    site: str
    url: str  # path (with the #/detail?id=N route for the app)
    year: int
    agency: str
    form: str


def page(site_name: str, title: str, body: str, nav: str = "") -> bytes:
    furniture = ("<div class='top'><a href='/user/login.html'>登录</a> <a href='/wzdt/'>网站地图</a> "
                 "<a href='/search/index.html?q=年报'>搜索</a> <a href='/rl/index.html?date=2025-03'>政务日历</a></div>")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}_{site_name}</title></head>"
            f"<body>{furniture}<div class='logo'>{site_name}</div><div class='nav'>{nav}</div>"
            f"<div class='main'>{body}</div><div class='foot'>主办：{site_name}办公室</div></body></html>").encode()


def li(path: str, title: str, when: str) -> str:
    return f"<li><a href='{path}' target='_blank' title='{html.escape(title)}'>{html.escape(title)}</a><span>{when}</span></li>"


def make_pdf(title: str, body_html: str) -> bytes:
    """A real PDF of the report (MuPDF's Story lays out the HTML, CJK font embedded)."""
    import pymupdf

    story = pymupdf.Story(html=f"<h2>{html.escape(title)}</h2>{body_html}")
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    more = 1
    while more:
        dev = writer.begin_page(pymupdf.paper_rect("a4"))
        more, _ = story.place(pymupdf.Rect(50, 50, 545, 792))
        story.draw(dev)
        writer.end_page()
    writer.close()
    return buf.getvalue()


class SeedBodies:
    """Report pages' bodies for a shape set: the seeds in turn (a `seeds` list and an `_n` counter on the
    set), each renamed to the body and year it is published as.  `truth` lists the reports so made that
    the set's tests expect found.  A set served by `ServedShapes` takes these from here and its pages,
    request log and lock from there (one `super().__init__()`); older sets still set their own."""

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self.truth: list[Truth] = []
        self._n = 0
        super().__init__()

    def body(self, agency: str, year: int) -> str:
        self._n += 1
        seed = self.seeds[self._n % len(self.seeds)]
        return report_body_html(renamed_record(seed, agency, year), narrative(agency, year))


class Shapes9(SeedBodies):
    """The three portals: pages built once, answered by one threaded server per portal."""

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self.pages: dict[str, dict[str, Page]] = {AP[0]: {}, QX[0]: {}, SL[0]: {}}
        self.truth: list[Truth] = []
        self.others: dict[str, list[str]] = {AP[0]: [], QX[0]: [], SL[0]: []}
        self.lookalikes: dict[str, list[str]] = {AP[0]: [], QX[0]: [], SL[0]: []}
        self.requests: dict[str, list[tuple[str, str, str]]] = {AP[0]: [], QX[0]: [], SL[0]: []}
        self.bases: dict[str, str] = {}
        self.ap_rows: dict[int, list[tuple[str, str, str]]] = {}
        self.qx_items: dict[int, dict] = {}
        self.qx_files: dict[int, tuple[str, bytes]] = {}
        self._n = 0
        self.build_ap()
        self.build_qx()
        self.build_sl()

    # -- content ---------------------------------------------------------------------------------------
    def article(self, site: str, path: str, title: str, content: str, issuer: str, published: date) -> None:
        meta = (f"<table class='xxgk'><tr><td>索引号</td><td>000014349/{published.year}-{published:%m%d}</td>"
                f"<td>主题分类</td><td>综合政务</td></tr><tr><td>发文机关</td><td>{issuer}</td>"
                f"<td>发布日期</td><td>{published:%Y-%m-%d}</td></tr></table>")
        name = dict((AP, QX, SL))[site]
        self.pages[site][path] = Page(page(name, title, f"{meta}<h1>{html.escape(title)}</h1>"
                                               f"<div class='content'>{content}</div>"))

    # -- ap: GET year form + 加载更多 -------------------------------------------------------------------
    def build_ap(self) -> None:
        sid, name = AP
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/zwfw/'>政务服务</a>"
        pages = self.pages[sid]
        news = "".join(li(f"/xwzx/{n}.html", f"安平区召开第{n}次政务公开工作推进会", f"2025-03-0{n % 9 + 1}")
                       for n in range(1, 9))
        for n in range(1, 9):
            pages[f"/xwzx/{n}.html"] = Page(page(name, f"安平区召开第{n}次政务公开工作推进会", "<p>会议部署工作。</p>", nav))
        pages["/"] = Page(page(name, "首页", f"<h2>安平要闻</h2><ul>{news}</ul>", nav))
        pages["/zwgk/"] = Page(page(name, "政务公开", "<ul><li><a href='/zwgk/zfxxgk/'>政府信息公开</a></li>"
                                                       "<li><a href='/zwgk/zcjd/'>政策解读</a></li></ul>", nav))
        pages["/zwgk/zfxxgk/"] = Page(page(name, "政府信息公开", "<ul><li><a href='/zwgk/zfxxgk/zn/'>政府信息公开指南</a></li>"
                                                                 "<li><a href='/zwgk/zfxxgk/fdzdgknr/'>法定主动公开内容</a></li></ul>", nav))
        pages["/zwgk/zfxxgk/fdzdgknr/"] = Page(page(name, "法定主动公开内容", self.ap_tabs(), nav))
        own, short = name, "安平区"
        bodies = {2025: [own, f"图解：{short}2024年政府信息公开工作年度报告", f"{short}2024年政府网站工作年度报表",
                         f"{short}2024年法治政府建设年度报告", f"{short}教育局", f"{short}永和街道办事处", f"{short}卫生健康局"]}
        for pub in AP_YEARS:
            rows: list[tuple[str, str, str]] = []
            for k, who in enumerate(bodies.get(pub, [own] + ([f"{short}{pub - 1}年政府网站工作年度报表", f"{short}财政局"]
                                                                if pub == 2023 else []))):
                year, published = pub - 1, date(pub, 1 + k % 3, 10 + k)
                path = f"{AP_COLUMN}{published:%Y%m}/t{published:%Y%m%d}_{3300000 + pub * 10 + k}.html"
                if not who.endswith(("政府", "局", "办事处")):  # a look-alike
                    title = who
                    self.lookalikes[sid].append(path)
                    self.pages[sid][path] = Page(page(name, title, f"<h1>{html.escape(title)}</h1><p>见附件。</p>", nav))
                else:
                    title = f"{who}{year}年政府信息公开工作年度报告"
                    self.article(sid, path, title, self.body(who, year), who, published)
                    form = "load-more" if k >= 5 or (pub == 2023 and k >= 2) else "year-form" if pub != 2025 else "list"
                    self.truth.append(Truth(sid, path, year, who, form))
                rows.append((path, title, f"{published:%Y-%m-%d}"))
            if pub == 2023:  # its third row comes only by 加载更多: pad the first five with look-alikes
                pads = []
                for j in range(3):
                    published = date(pub, 5, 1 + j)
                    path = f"{AP_COLUMN}{published:%Y%m}/t{published:%Y%m%d}_{3390000 + j}.html"
                    title = f"{short}{pub - 1}年政务新媒体工作年度报表（{j + 1}）"
                    self.pages[sid][path] = Page(page(name, title, f"<h1>{html.escape(title)}</h1>", nav))
                    self.lookalikes[sid].append(path)
                    pads.append((path, title, f"{published:%Y-%m-%d}"))
                rows = rows[:2] + pads + rows[2:]
            self.ap_rows[pub] = rows
        city = "临川市人民政府2024年政府信息公开工作年度报告"
        self.city_report = f"{AP_COLUMN}sj/t20250125_990001.html"
        self.article(sid, self.city_report, city, self.body("临川市人民政府", 2024), "临川市人民政府", date(2025, 1, 25))
        self.others[sid].append(self.city_report)

    def ap_tabs(self) -> str:
        return ("<div class='tabs'><a href='/zwgk/zfxxgk/fdzdgknr/jgzn/'>机构职能</a> "
                "<a href='/zwgk/zfxxgk/fdzdgknr/czyjs/'>财政预决算</a> "
                f"<a href='{AP_COLUMN}'>政府信息公开年报</a></div>")

    def ap_list(self, query: str) -> Page:
        raw = (parse_qs(query).get("year") or [""])[0]
        pub = int(raw) if raw.isdigit() else AP_YEARS[0]
        rows = self.ap_rows.get(pub, [])
        opts = "".join(f"<option value='{y}'{' selected' if y == pub else ''}>{y}年</option>" for y in AP_YEARS)
        form = ("<form method='get' action='' class='nf'>年份：<select name='year' "
                "onchange=\"location.search='?year='+this.value\">" + opts + "</select> "
                "<button type='submit'>查询</button></form>")
        listing = "<ul id='list'>" + "".join(li(*r) for r in rows[:5]) + "</ul>" if rows else "<p>暂无信息</p>"
        more = "<button id='more' type='button' onclick='loadMore()'>加载更多</button>" if len(rows) > 5 else ""
        script = ("<script>var off=5;function loadMore(){fetch('more.json?year=" + str(pub) + "&offset='+off)"
                  ".then(function(r){return r.json()}).then(function(d){var ul=document.getElementById('list');"
                  "d.list.forEach(function(x){var l=document.createElement('li');l.innerHTML='<a href=\"'+x.url+'\">'"
                  "+x.title+'</a><span>'+x.date+'</span>';ul.appendChild(l);});off+=d.list.length;"
                  "if(!d.hasMore){document.getElementById('more').style.display='none';}});}</script>")
        side = f"<div class='side'><h3>上级政府年报</h3><ul>{li(self.city_report, '临川市人民政府2024年政府信息公开工作年度报告', '2025-01-25')}</ul></div>"
        return Page(page(AP[1], "政府信息公开年报", self.ap_tabs() + "<h2>政府信息公开年报</h2>" + form + listing + more
                         + script + side))

    def ap_more(self, query: str) -> Page:
        params = parse_qs(query)
        pub, offset = int((params.get("year") or ["0"])[0]), int((params.get("offset") or ["0"])[0])
        rows = self.ap_rows.get(pub, [])
        chunk = rows[offset:offset + 5]
        data = {"list": [{"url": u, "title": t, "date": d} for u, t, d in chunk], "hasMore": offset + 5 < len(rows)}
        return Page(json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    # -- qx: a hash-router app over POST APIs -----------------------------------------------------------
    def build_qx(self) -> None:
        sid, name = QX
        nav = "<a href='/'>首页</a> <a href='/xxgk/#/index'>政务公开</a> <a href='/zwfw/'>政务服务</a>"
        self.pages[sid]["/"] = Page(page(name, "首页", "<h2>政务公开</h2><a href='/xxgk/#/index'>政府信息公开</a> "
                                                       "<a href='/xxgk/#/list?id=32'>政策文件</a>", nav))
        self.pages[sid]["/xxgk/"] = Page(QX_SHELL.encode())
        rows: list[tuple[str, int, str, str]] = []  # title, year, agency, form
        for year in range(2024, 2018, -1):
            if year == 2023:
                rows.append(("青溪县财政局2023年政府信息公开工作年度报告", 2023, "青溪县财政局", "app"))
            rows.append((f"{name}{year}年政府信息公开工作年度报告", year, name, "pdf" if year == 2022 else "app"))
            rows.append((f"青溪县{year}年政府网站工作年度报表" if year % 2 else f"图解：青溪县{year}年政府信息公开工作年度报告",
                         year, "", "lookalike"))
        for n, (title, year, agency, form) in enumerate(rows[:13]):
            nid = 7000 + n
            published = f"{year + 1}-01-{10 + n:02d}"
            item = {"id": nid, "title": title, "publishTime": published, "orgName": agency or name,
                    "indexNo": f"QX-{year + 1}-{nid}", "content": "<p>见附件。</p>", "attachments": []}
            if form == "pdf":
                fid = 9000 + n
                self.qx_files[fid] = (f"{title}.pdf", make_pdf(title, self.body(agency, year)))
                item["attachments"] = [{"name": f"{title}.pdf", "url": f"/api/file/download?fileId={fid}"}]
            elif form == "app":
                item["content"] = self.body(agency, year)
            self.qx_items[nid] = item
            route = f"/xxgk/#/detail?id={nid}"
            if agency:
                self.truth.append(Truth(sid, route, year, agency, form))
            else:
                self.lookalikes[sid].append(route)

    def qx_api(self, path: str, body: bytes) -> Page:
        try:
            args = json.loads(body or b"{}")
        except ValueError:
            args = {}
        if path == "/api/xxgk/channels":
            data = [{"id": 1, "name": "政府信息公开指南", "children": []},
                    {"id": 3, "name": "法定主动公开内容", "children": [
                        {"id": 32, "name": "政策文件"}, {"id": 33, "name": "财政预决算"},
                        {"id": QX_CHANNEL, "name": "政府信息公开年报"}]}]
        elif path == "/api/xxgk/list":
            items = sorted(self.qx_items.values(), key=lambda i: i["id"]) if args.get("channelId") == QX_CHANNEL else []
            size, number = int(args.get("pageSize") or 5), int(args.get("pageNo") or 1)
            chunk = items[(number - 1) * size:number * size]
            data = {"channelName": "政府信息公开年报" if items else "政策文件", "total": len(items),
                    "records": [{k: i[k] for k in ("id", "title", "publishTime")} for i in chunk]}
        else:
            data = self.qx_items.get(int(args.get("id") or 0), {})
        return Page(json.dumps({"code": 0, "data": data}, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    # -- sl: a ministry ------------------------------------------------------------------------------------
    def build_sl(self) -> None:
        sid, name = SL
        short = "山林资源部"
        nav = "<a href='/'>首页</a> <a href='/jgzn/'>机构职能</a> <a href='/xxgk/'>信息公开</a> <a href='/hdjl/'>互动交流</a>"
        pages = self.pages[sid]
        pages["/"] = Page(page(name, "首页", "<h2>新闻发布</h2><ul>" + "".join(
            li(f"/xwfb/{n}.html", f"山林资源部召开第{n}次新闻发布会", f"2025-02-0{n}") for n in range(1, 6)) + "</ul>", nav))
        for n in range(1, 6):
            pages[f"/xwfb/{n}.html"] = Page(page(name, f"山林资源部召开第{n}次新闻发布会", "<p>发布会。</p>", nav))
        left = ("<div class='left'><h3>信息公开</h3><a href='/xxgk/xxgkzn/'>信息公开指南</a> <a href='/xxgk/zdgk/'>主动公开目录</a> "
                f"<a href='{SL_COLUMN}'>信息公开年报</a> <a href='/xxgk/ysqgk/'>依申请公开</a></div>")
        pages["/xxgk/"] = Page(page(name, "信息公开", left + "<h2>信息公开</h2>", nav))
        grid = []
        for year in range(2024, 2018, -1):
            published = date(year + 1, 1, 20 + year % 7)
            title = f"{short}{'二〇一九' if year == 2019 else year}年政府信息公开工作年度报告"
            if year == 2021:  # straight to the PDF from the grid
                path = f"{SL_COLUMN}{published:%Y%m}/P{published:%Y%m%d}{year}.pdf"
                pages[path] = Page(make_pdf(title, self.body(short, year)), "application/pdf")
                self.truth.append(Truth(sid, path, year, short, "pdf-from-grid"))
            else:
                path = f"{SL_COLUMN}{published:%Y%m}/t{published:%Y%m%d}_{1180000 + year}.html"
                self.article(sid, path, title, self.body(short, year), short, published)
                self.truth.append(Truth(sid, path, year, short, "featured" if year == 2024 else "year-grid"))
            grid.append(f"<a href='{path}'>{year}年度</a>")
            if year == 2024:
                featured = (f"<div class='feat'><h3><a href='{path}'>{html.escape(title)}</a></h3><p>{published:%Y-%m-%d}</p>"
                            f"<a href='{path}'>查看全文</a></div>")
        df = []
        for k, province in enumerate(("东林省", "南川省")):
            agency = f"{province}山林资源厅"
            path = f"{SL_COLUMN}df/202502/t2025021{k}_{1195000 + k}.html"
            title = f"{agency}2024年政府信息公开工作年度报告"
            self.article(sid, path, title, self.body(agency, 2024), agency, date(2025, 2, 10 + k))
            self.others[sid].append(path)
            df.append(li(path, title, f"2025-02-1{k}"))
        rel = []
        for k, title in enumerate((f"{short}2024年法治政府建设年度报告", f"{short}2024年政府网站工作年度报表")):
            path = f"/xxgk/zdgk/qt/t2025032{k}_{1180100 + k}.html"
            pages[path] = Page(page(name, title, f"<h1>{html.escape(title)}</h1><p>正文。</p>", nav))
            self.lookalikes[sid].append(path)
            rel.append(li(path, title, f"2025-03-2{k}"))
        pages[SL_COLUMN] = Page(page(name, "信息公开年报", left + "<h2>信息公开年报</h2>" + featured
                                     + "<div class='grid'><h3>历年年报</h3>" + " ".join(grid) + "</div>"
                                     + f"<div class='df'><h3>各地山林资源部门年报</h3><ul>{''.join(df)}</ul></div>"
                                     + f"<div class='rel'><h3>相关文件</h3><ul>{''.join(rel)}</ul></div>", nav))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, method: str, path: str, query: str, body: bytes) -> tuple[int, Page]:
        if path == "/robots.txt":
            return 200, Page(b"User-agent: *\nAllow: /\n", "text/plain")
        if site == QX[0] and path.startswith("/api/xxgk/"):
            if method != "POST":
                return 405, Page(b"POST only", "text/plain", [("Allow", "POST")])
            return 200, self.qx_api(path, body)
        if site == QX[0] and path == "/api/file/download":
            fid = int((parse_qs(query).get("fileId") or ["0"])[0] or 0)
            if fid not in self.qx_files:
                return 404, Page(b"", "text/plain")
            filename, data = self.qx_files[fid]
            return 200, Page(data, "application/octet-stream",
                             [("Content-Disposition", f"attachment; filename*=UTF-8''{quote(filename)}")])
        if site == AP[0] and path == AP_COLUMN:
            return 200, self.ap_list(query)
        if site == AP[0] and path == AP_COLUMN + "more.json":
            return 200, self.ap_more(query)
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict((AP, QX, SL))[site], "404", "<p>页面不存在</p>"))
        return 200, found

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Shapes9]:
        shapes = cls()
        with serving({site: handler(shapes.responder(site)) for site in (AP[0], QX[0], SL[0])}) as ports:
            shapes.bases.update({site: f"http://127.0.0.1:{port}" for site, port in ports.items()})
            yield shapes

    def responder(self, site: str) -> Respond:
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.requests[site].append((method, request.path, body.decode("utf-8", "replace")))
            return self.answer(site, method, parts.path, parts.query, body)
        return respond

    def registry(self) -> list[dict]:
        """The registry entries, the ministry as a national body with no region."""
        def entry(sid: str, name: str, level: str, kind: str, region: dict | None) -> dict:
            e = {"id": sid, "name": name, "level": level, "kind": kind, "family": "generic",
                 "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]}
            return {**e, "region": region} if region else e
        return [entry(*AP, "county", "government", {"province": "海山省", "city": "临川市", "county": "安平区"}),
                entry(*QX, "county", "government", {"province": "海山省", "city": "临江市", "county": "青溪县"}),
                entry(*SL, "national", "department", None)]


QX_SHELL = """<!DOCTYPE html><html><head><meta charset='utf-8'><title>青溪县政府信息公开</title></head><body>
<div id="app"><div class="loading">加载中…</div></div>
<script>
function post(u, b){return fetch(u,{method:'POST',headers:{'Content-Type':'application/json;charset=UTF-8'},
  body:JSON.stringify(b)}).then(function(r){return r.json()});}
function q(name){var m=location.hash.match(new RegExp('[?&]'+name+'=([^&]+)'));return m?decodeURIComponent(m[1]):null;}
var app=document.getElementById('app');
function head(){return "<div class='hd'><a href='/'>青溪县人民政府</a> &gt; <a href='#/index'>政府信息公开</a></div>";}
function menu(list){return '<ul class=menu>'+list.map(function(c){return "<li><a href='#/list?id="+c.id+"'>"+c.name+
  "</a>"+(c.children&&c.children.length?menu(c.children):'')+'</li>';}).join('')+'</ul>';}
var page=1;
function renderList(id){post('/api/xxgk/list',{channelId:+id,pageNo:page,pageSize:5}).then(function(d){
  var rows=d.data.records.map(function(r){return "<li class='row'><a href='#/detail?id="+r.id+"'>"+r.title+
    "</a><span>"+r.publishTime+"</span></li>";}).join('');
  var pages=Math.max(1,Math.ceil(d.data.total/5));
  app.innerHTML=head()+"<h2>"+d.data.channelName+"</h2><ul class='list'>"+(rows||'<li>暂无数据</li>')+
   "</ul><div class='pager'><button class='btn-prev'"+(page<=1?' disabled':'')+">上一页</button> 第"+page+"/"+pages+
   "页 <button class='btn-next'"+(page>=pages?' disabled':'')+">下一页</button></div>";
  app.querySelector('.btn-next').onclick=function(){if(page<pages){page++;renderList(id);}};
  app.querySelector('.btn-prev').onclick=function(){if(page>1){page--;renderList(id);}};
});}
function route(){var h=location.hash||'#/index';
 if(h.indexOf('#/list')===0){page=1;renderList(q('id'));}
 else if(h.indexOf('#/detail')===0){post('/api/xxgk/detail',{id:+q('id')}).then(function(d){var a=d.data;
   var meta="<table class='meta'><tr><td>索引号</td><td>"+a.indexNo+"</td><td>发布机构</td><td>"+a.orgName+
     "</td></tr><tr><td>发布日期</td><td>"+a.publishTime+"</td></tr></table>";
   var att=(a.attachments||[]).map(function(f){return "<li><a href='"+f.url+"'>"+f.name+"</a></li>";}).join('');
   document.title=a.title;
   app.innerHTML=head()+"<h1>"+a.title+"</h1>"+meta+"<div class='content'>"+a.content+"</div>"+
     (att?"<div class='att'>附件：<ul>"+att+"</ul></div>":'');});}
 else{post('/api/xxgk/channels',{}).then(function(d){app.innerHTML=head()+'<h2>政府信息公开目录</h2>'+menu(d.data);});}
}
window.addEventListener('hashchange',route);route();
</script></body></html>"""
