"""Portal shapes behind the crawler's known leftovers (the fifteenth round), served by a small server of their
own (`Shapes15.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- op-county-gov 柏溪县人民政府: the 年报 column shows 2024 and 往年年报 `<select onchange="location=this.value">`
  whose options read only "2023年度" (a download servlet naming the file in Content-Disposition) and "2022年度"
  (a bare .pdf with no name of its own).
- th-county-gov 桐河县人民政府: thin report pages ("详见附件"): one whose only scripts are visitor statistics and
  jQuery (cnzz, hm.js, _trackPageview, 站点统计), one whose empty `<div id=fileList data-url>` a same-host script
  fills, one whose inline fetch() writes its file list.
- pa-district-gov 平安区人民政府: rows the server wrote under `<button onclick="goPage(2)">下一页</button>`, goPage
  defined inline (`location.href = 'index_' + (n - 1) + '.html'`).
- pb-county-gov 蒲北县人民政府: `<a href="javascript:;" onclick="turnPage(3)">` from a script file; the page's form
  `<form action=list.do method=post><input type=hidden name=pageNo>` is the only sign of how a page is asked.
- pc-county-gov 盘川县人民政府: `<span class="next" onclick="nextPage()">下一页</span>` from a script file that
  fetches the next rows by XHR: nothing on the page says how, only a click shows.
- sm-county-gov 石门县人民政府: no menu leads to the 年报 column and robots.txt names no sitemap; /sitemap.xml is
  404, /sitemap_index.xml lists a gzipped sitemap served as application/x-gzip without Content-Encoding.
- cd-city-gov 澄东市人民政府: robots.txt asks `Crawl-delay: 0.5`; the column's list is drawn from /api/list by
  XHR (a script pager), the page shows a picture, a web font and a video.

`Shapes15.truth` lists every own report (site, url path, year, agency, form); `requests` what each server saw:
(method, path with query, headers, body, monotonic time).
"""

from __future__ import annotations

import gzip
import html
import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf
from tests.portal.serving import Page, ServedShapes

OP = ("op-county-gov", "柏溪县人民政府")
TH = ("th-county-gov", "桐河县人民政府")
PA = ("pa-district-gov", "平安区人民政府")
PB = ("pb-county-gov", "蒲北县人民政府")
PC = ("pc-county-gov", "盘川县人民政府")
SM = ("sm-county-gov", "石门县人民政府")
CD = ("cd-city-gov", "澄东市人民政府")
SITES = (OP, TH, PA, PB, PC, SM, CD)
PDF, OCTET = "application/pdf", "application/octet-stream"
PER = 3  # rows a list page
CD_CRAWL_DELAY = 0.5
ANALYTICS = ("<script src='/js/jquery-1.12.4.min.js'></script>"
             "<script>var _hmt = _hmt || []; (function() { var hm = document.createElement('script');"
             " hm.src = '/hm.js?4f2a'; var s = document.getElementsByTagName('script')[0];"
             " s.parentNode.insertBefore(hm, s); })();</script>"
             "<script>var _czc = _czc || []; _czc.push(['_trackPageview', location.pathname]);</script>"
             "<script src='/stat/count.js'></script><!-- 站点统计 -->"
             "<script>$(function () { $('.nav a').hover(function () { $(this).toggleClass('on'); }); });</script>")
TH_DETAIL_JS = """$(function () { var box = $('#fileList');
  $.getJSON(box.attr('data-url'), function (d) { d.files.forEach(function (f) {
    box.append('<p><a href="' + f.url + '">' + f.name + '</a></p>'); }); }); });"""
PB_PAGER_JS = """function turnPage(n) { var f = document.getElementById('pageForm'); f.pageNo.value = n; f.submit(); }"""
PC_LIST_JS = """var cur = 1;
function nextPage() { var next = document.querySelector('.next'); if (cur >= TOTAL) { return; } cur++;
  var x = new XMLHttpRequest(); x.open('GET', '/zwgk/ndbg/rows?page=' + cur);
  x.onload = function () { document.getElementById('rows').innerHTML = x.responseText;
    if (cur >= TOTAL) { next.className = 'next disabled'; } }; x.send(); }"""
CD_LIST_JS = """function load(p) { var x = new XMLHttpRequest(); x.open('GET', '/api/list?page=' + p);
  x.onload = function () { var d = JSON.parse(x.responseText), h = '';
    d.rows.forEach(function (r) { h += '<li><a href="' + r.url + '">' + r.title + '</a><span>' + r.date + '</span></li>'; });
    document.getElementById('list').innerHTML = h;
    document.getElementById('pager').innerHTML = p < d.pages
      ? '<a href="javascript:void(0)" onclick="load(' + (p + 1) + ')">下一页</a>' : ''; }; x.send(); }
load(1);"""


def page(site_name: str, title: str, body: str, nav: str = "", head: str = "", tail: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{head}</head>"
            f"<body><div class='logo'>{site_name}</div><div class='nav'>{nav}</div>"
            f"<div class='main'>{body}</div><div class='foot'>主办：{site_name}办公室</div>{tail}</body></html>").encode()


class Shapes15(SeedBodies, ServedShapes):
    """The portals: pages built once, answered by one threaded server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str, dict, str, float]]]  # what each site's server saw
    METHODS = ("GET", "HEAD", "POST")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}  # site -> its column's rows (li), newest first
        self.api: dict[str, Any] = {}

    def build(self) -> None:
        for build in (self.build_op, self.build_th, self.build_pa, self.build_pb, self.build_pc, self.build_sm,
                      self.build_cd):
            build()

    # -- content ---------------------------------------------------------------------------------------
    def home(self, site: tuple[str, str], nav: str, column: str | None) -> None:
        sid, name = site
        news = "<ul>" + "".join(li(f"/xwzx/{k}.html", f"{name[:3]}召开第{k}次工作会议", "2025-03-01")
                                for k in range(12)) + "</ul>"
        self.pages[sid]["/"] = Page(page(name, f"首页_{name}", news, nav))
        if column:
            self.pages[sid]["/zwgk/"] = Page(page(name, f"政务公开_{name}",
                                                  f"<a href='{column}'>政府信息公开年度报告</a>", nav))

    def article(self, site: tuple[str, str], path: str, title: str, content: str, nav: str = "",
                published: str = "2025-01-20", head: str = "", tail: str = "") -> None:
        sid, name = site
        self.pages[sid][path] = Page(page(name, f"{title}_{name}",
                                          f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{published}</div>"
                                          f"<div class='content'>{content}</div>", nav, head, tail))

    def report(self, site: tuple[str, str], path: str, year: int, form: str, agency: str | None = None) -> None:
        self.truth.append(Truth(site[0], path, year, agency or site[1], form))

    def reports(self, site: tuple[str, str], years: range, nav: str, prefix: str = "/zwgk/ndbg") -> list[str]:
        """Plain report articles, one a year, newest first: the rows of the site's column."""
        rows = []
        for year in sorted(years, reverse=True):
            title = f"{site[1]}{year}年政府信息公开工作年度报告"
            path = f"{prefix}/{year + 1}01/t{year + 1}0120_{year}.html"
            self.article(site, path, title, self.body(site[1], year), nav, published=f"{year + 1}-01-20")
            self.report(site, path, year, "html")
            rows.append(li(path, title, f"{year + 1}-01-20"))
        return rows

    # -- op: a year <select> whose options read only "2023年度" ------------------------------------------------
    def build_op(self) -> None:
        sid, name = OP
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        column = "/zwgk/ndbg/index.html"
        self.home(OP, nav, column)
        rows = self.reports(OP, range(2024, 2025), nav)
        self.pages[sid]["/attach/get"] = Page(make_pdf(f"{name}2023年政府信息公开工作年度报告", self.body(name, 2023)), OCTET,
                                              [("Content-Disposition", "attachment; filename*=UTF-8''" +
                                                quote(f"{name}2023年政府信息公开工作年度报告.pdf"))])
        self.report(OP, "/attach/get?id=23", 2023, "select option: servlet, Content-Disposition name")
        self.pages[sid]["/zwgk/ndbg/W020230120.pdf"] = Page(make_pdf("", self.body(name, 2022)), PDF)
        self.report(OP, "/zwgk/ndbg/W020230120.pdf", 2022, "select option: a bare .pdf")
        select = ("<div class='wnnb'>往年年报：<select onchange=\"location=this.value\"><option value=''>请选择年份</option>"
                  "<option value='/attach/get?id=23'>2023年度</option>"
                  "<option value='/zwgk/ndbg/W020230120.pdf'>2022年度</option></select></div>")
        self.pages[sid][column] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                            f"<ul class='list'>{''.join(rows)}</ul>{select}", nav))

    # -- th: thin report pages, with statistics scripts only or with script that draws the files ----------------
    def build_th(self) -> None:
        sid, name = TH
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        column = "/zwgk/ndbg/"
        self.home(TH, nav, column)
        rows = self.reports(TH, range(2024, 2025), nav)
        thin = "<p>详见附件。</p>"
        title = f"{name}2023年政府信息公开工作年度报告"
        self.article(TH, "/zwgk/ndbg/a2023.html", title, thin, nav, "2024-01-19", tail=ANALYTICS)
        self.report(TH, "/zwgk/ndbg/a2023.html", 2023, "thin page, statistics scripts only")
        rows.append(li("/zwgk/ndbg/a2023.html", title, "2024-01-19"))
        title = f"{name}2022年政府信息公开工作年度报告"
        self.article(TH, "/zwgk/ndbg/a2022.html", title, thin + "<div id='fileList' data-url='/api/files?id=2022'></div>",
                     nav, "2023-01-18", tail="<script src='/js/jquery.min.js'></script><script src='/js/detail.js'></script>")
        self.report(TH, "/zwgk/ndbg/a2022.html", 2022, "thin page, placeholder filled by a script file")
        rows.append(li("/zwgk/ndbg/a2022.html", title, "2023-01-18"))
        title = f"{name}2021年政府信息公开工作年度报告"
        fetch = ("<script>fetch('/api/files?id=2021').then(function (r) { return r.json(); }).then(function (d) {"
                 " document.getElementById('fj').innerHTML = d.files.map(function (f) {"
                 " return '<a href=\"' + f.url + '\">' + f.name + '</a>'; }).join(''); });</script>")
        self.article(TH, "/zwgk/ndbg/a2021.html", title, thin + "<p id='fj'></p>", nav, "2022-01-18", tail=fetch)
        self.report(TH, "/zwgk/ndbg/a2021.html", 2021, "thin page, inline fetch() writes the files")
        rows.append(li("/zwgk/ndbg/a2021.html", title, "2022-01-18"))
        for year in (2022, 2021):
            path = f"/upload/{year}.pdf"
            self.pages[sid][path] = Page(make_pdf(f"{name}{year}年政府信息公开工作年度报告", self.body(name, year)), PDF)
            self.api[f"th:{year}"] = {"files": [{"name": f"{name}{year}年年报.pdf", "url": path}]}
        self.pages[sid]["/js/detail.js"] = Page(TH_DETAIL_JS.encode(), "application/javascript")
        self.pages[sid]["/js/jquery.min.js"] = Page(JQUERY_LITE.encode(), "application/javascript")
        self.pages[sid][column] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                            f"<ul class='list'>{''.join(rows)}</ul>", nav))

    # -- pa: a <button> pager whose goPage is defined inline --------------------------------------------------
    def build_pa(self) -> None:
        sid, name = PA
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(PA, nav, "/zwgk/ndbg/index.html")
        rows = self.reports(PA, range(2017, 2025), nav)
        total = (len(rows) + PER - 1) // PER
        script = ("<script>function goPage(n) { if (n <= 1) { location.href = 'index.html'; }"
                  " else { location.href = 'index_' + (n - 1) + '.html'; } }</script>")
        for n in range(1, total + 1):
            pager = f"<span>共{total}页</span>"
            if n > 1:
                pager += f"<button onclick='goPage({n - 1})'>上一页</button>"
            if n < total:
                pager += f"<button onclick='goPage({n + 1})'>下一页</button><button onclick='goPage({total})'>尾页</button>"
            path = "/zwgk/ndbg/index.html" if n == 1 else f"/zwgk/ndbg/index_{n - 1}.html"
            self.pages[sid][path] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                              f"<ul class='list'>{''.join(rows[(n - 1) * PER:n * PER])}</ul>"
                                              f"<div class='pager'>{pager}</div>{script}", nav))

    # -- pb: javascript:; onclick=turnPage(n) from a script file, the form shows the page field -------------------
    def build_pb(self) -> None:
        sid, name = PB
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(PB, nav, "/xxgk/nb/list.do")
        self.rows[sid] = self.reports(PB, range(2017, 2025), nav, prefix="/xxgk/nb")
        self.pages[sid]["/js/pager.js"] = Page(PB_PAGER_JS.encode(), "application/javascript")

    def pb_list(self, n: int) -> Page:
        name, rows = PB[1], self.rows[PB[0]]
        total = (len(rows) + PER - 1) // PER
        n = min(max(n, 1), total)
        links = "".join(f"<a href='javascript:;' onclick='turnPage({k})'>{k}</a> " for k in range(1, total + 1) if k != n)
        if n < total:
            links += f"<a href='javascript:;' onclick='turnPage({n + 1})'>下一页</a>"
        form = ("<form id='pageForm' action='/xxgk/nb/list.do' method='post'><input type='hidden' name='channelId' value='nb'>"
                f"<input type='hidden' name='pageNo' value='{n}'></form>")
        return Page(page(name, f"政府信息公开年报_{name}", "<h2>政府信息公开年报</h2>"
                         f"<ul class='list'>{''.join(rows[(n - 1) * PER:n * PER])}</ul><div class='pager'>{links}</div>"
                         f"{form}<script src='/js/pager.js'></script>", "<a href='/'>首页</a>"))

    # -- pc: <span class=next onclick=nextPage()> from a script file, rows by XHR --------------------------------
    def build_pc(self) -> None:
        sid, name = PC
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(PC, nav, "/zwgk/ndbg/")
        rows = self.rows[sid] = self.reports(PC, range(2018, 2025), nav)
        total = (len(rows) + PER - 1) // PER
        self.pages[sid]["/js/list.js"] = Page(PC_LIST_JS.replace("TOTAL", str(total)).encode(), "application/javascript")
        self.pages[sid]["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                                   f"<ul class='list' id='rows'>{''.join(rows[:PER])}</ul>"
                                                   "<div class='pager'><span class='next' onclick='nextPage()'>下一页</span>"
                                                   "</div><script src='/js/list.js'></script>", nav))

    # -- sm: a column only a gzipped sitemap (named by /sitemap_index.xml) lists --------------------------------
    def build_sm(self) -> None:
        sid, name = SM
        nav = "<a href='/'>首页</a> <a href='/xwzx/'>新闻中心</a> <a href='/zwfw/'>政务服务</a>"
        self.home(SM, nav, None)
        self.pages[sid]["/xwzx/"] = Page(page(name, f"新闻中心_{name}", "<ul>" + "".join(
            li(f"/xwzx/{k}.html", f"石门县召开第{k}次工作会议", "2025-03-01") for k in range(12)) + "</ul>", nav))
        rows = self.reports(SM, range(2022, 2025), nav, prefix="/xxgk/ndbg")
        column = "/xxgk/ndbg/index.html"
        self.pages[sid][column] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                            f"<ul class='list'>{''.join(rows)}</ul>", nav))
        base = self.bases[sid]
        urlset = ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>" +
                  "".join(f"<url><loc>{base}{p}</loc></url>" for p in (column, "/xwzx/1.html", "/zwfw/")) + "</urlset>")
        self.pages[sid]["/sitemap/xxgk.xml.gz"] = Page(gzip.compress(urlset.encode()), "application/x-gzip")
        news = ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>" +
                "".join(f"<url><loc>{base}/xwzx/{k}.html</loc></url>" for k in range(12)) + "</urlset>")
        self.pages[sid]["/sitemap/news.xml"] = Page(news.encode(), "application/xml")
        index = ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                 f"<sitemap><loc>{base}/sitemap/news.xml</loc></sitemap>"
                 f"<sitemap><loc>{base}/sitemap/xxgk.xml.gz</loc></sitemap></sitemapindex>")
        self.pages[sid]["/sitemap_index.xml"] = Page(index.encode(), "application/xml")

    # -- cd: Crawl-delay, a column drawn by XHR, pictures, a font and a video --------------------------------
    def build_cd(self) -> None:
        sid, name = CD
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(CD, nav, "/zwgk/ndbg/")
        rows = self.reports(CD, range(2020, 2025), nav)
        self.api["cd"] = [dict(zip(("url", "title", "date"), r.split("'")[1::2][:1] + [
            html.unescape(r.split("title='")[1].split("'")[0]), r.rsplit("<span>", 1)[1][:10]], strict=True))
            for r in rows]
        style = ("<style>@font-face { font-family: Site; src: url('/fonts/site.woff2') format('woff2'); }"
                 " body { font-family: Site, sans-serif; }</style>")
        self.pages[sid]["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}",
                                                   "<img src='/images/banner.jpg' alt='banner'><h2>政府信息公开年度报告</h2>"
                                                   "<ul id='list'></ul><div id='pager'></div>"
                                                   "<video src='/media/intro.mp4' autoplay muted></video>"
                                                   f"<script>{CD_LIST_JS}</script>", nav, head=style))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, method: str, path: str, query: str, body: bytes) -> tuple[int, Page]:
        q = parse_qs(query)
        if path == "/robots.txt":
            rules = "User-agent: *\nDisallow: /admin/\n"
            if site == CD[0]:
                rules += f"Crawl-delay: {CD_CRAWL_DELAY}\n"
            return 200, Page(rules.encode(), "text/plain")
        if site == TH[0] and path == "/api/files":
            data = self.api.get(f"th:{(q.get('id') or [''])[0]}", {"files": []})
            return 200, Page(json.dumps(data, ensure_ascii=False).encode(), "application/json")
        if site == PB[0] and path == "/xxgk/nb/list.do":
            form = parse_qs(body.decode()) if method == "POST" else q
            return 200, self.pb_list(int((form.get("pageNo") or ["1"])[0] or 1))
        if site == PC[0] and path == "/zwgk/ndbg/rows":
            n = int((q.get("page") or ["1"])[0] or 1)
            return 200, Page("".join(self.rows[site][(n - 1) * PER:n * PER]).encode())
        if site == CD[0] and path == "/api/list":
            n, rows = int((q.get("page") or ["1"])[0] or 1), self.api["cd"]
            data = {"rows": rows[(n - 1) * PER:n * PER], "pages": (len(rows) + PER - 1) // PER}
            return 200, Page(json.dumps(data, ensure_ascii=False).encode(), "application/json")
        if site == OP[0] and path == "/attach/get" and q.get("id") != ["23"]:
            return 404, Page(page(OP[1], "404", "<p>文件不存在</p>"))
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path, {k.lower(): v for k, v in request.headers.items()},
                            body.decode("utf-8", "replace"), time.monotonic()))
            return self.answer(site, method, parts.path, parts.query, body)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}

        def entry(sid: str, name: str, level: str = "county") -> dict:
            place = name.removesuffix("人民政府")
            own = {"county": place} if level == "county" else {"city": place}
            return {"id": sid, "name": name, "level": level, "kind": "government", "family": "generic",
                    "region": {**region, **own}, "start_urls": [self.bases[sid] + "/"],
                    "allowed_domains": ["127.0.0.1"]}
        return [entry(*site, "city" if site == CD else "county") for site in SITES]


# a few lines of what jQuery offers the detail page's script ($(fn), $(sel).attr/append, $.getJSON): the
# replica serves no third-party library
JQUERY_LITE = r"""(function () {
  function Q(sel) { this.els = typeof sel === 'string' ? [].slice.call(document.querySelectorAll(sel)) : [sel]; }
  Q.prototype.attr = function (k) { return this.els[0] && this.els[0].getAttribute(k); };
  Q.prototype.append = function (h) { this.els.forEach(function (e) { e.insertAdjacentHTML('beforeend', h); }); return this; };
  function $(x) { if (typeof x === 'function') { if (document.readyState !== 'loading') { x(); }
    else { document.addEventListener('DOMContentLoaded', x); } return; } return new Q(x); }
  $.getJSON = function (url, cb) { fetch(url).then(function (r) { return r.json(); }).then(cb); };
  window.$ = window.jQuery = $;
})();"""
