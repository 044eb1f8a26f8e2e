"""Portal shapes a thirteenth set of blind test portals showed the generic crawl losing, served by a small server
of their own (`Shapes13.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- pf-dept 青禾市交通运输局, a department of a city-wide 政府信息公开平台: its home is the path
  /xxgk/bmxxgk/jtj/, but its 年报 column, list pages and articles are query URLs shared by every department
  (/xxgk/list.jsp?siteId=31&catId=ndbg&pageNo=N, /xxgk/content.jsp?siteId=31&infoId=N).  Every page carries a
  部门导航 bar of sibling departments (财政局 publishes its own 年报 on the same list.jsp) and the 年报 list's
  相关链接 names the city government's report (another body, same place).
- pfc-dept: the same platform (same pages, another port) registered at the column itself
  (/xxgk/list.jsp?siteId=31&catId=ndbg): the sibling bar must not be walked from there either.
- lp-gaj 溪口县公安局: a list list_5.html whose pages (list_5_2.html, list_5_3.html) exist only in a layui
  `laypage.render({count, limit, jump})` call; the county government's report is reposted in it.
- jd-town 溪口县柳塘街道办事处: the 街道's page /xzjd/ltjd/ on the county site links "柳塘街道政府信息公开" in the
  county's 公开目录 (/xxgk/ml.html?unitId=J02): a tree drawn by script from /xxgk/api/nodes, whose 年报 node
  must be clicked; its list (/xxgk/api/list, 2 pages, onclick 下一页) links articles under /art/, outside both
  the start path and /xxgk/.  The county's own report is reposted in the 街道's list.
- gp-dept 青禾市生态环境局: a gkmlpt-style catalogue under a path on the city host, registered at
  /qhsthj/gkmlpt/index#205 (the fragment names the 年度报告 category); the tree and lists come from the
  host-root API /gkmlpt/api/… and the posts sit under /qhsthj/gkmlpt/content/.

`Shapes13.truth` lists every own report (site, url path, year, agency, form); `others` the other bodies'
report paths per site; `requests` what each server saw: (method, path with query).
"""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.portal.homes import narrative
from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf, page
from tests.portal.homes10 import make_docx
from tests.portal.serving import Page, Respond, ServedShapes

PF = ("pf-dept", "青禾市交通运输局")
PFC = ("pfc-dept", "青禾市交通运输局")
LP = ("lp-gaj", "溪口县公安局")
JD = ("jd-town", "溪口县柳塘街道办事处")
GP = ("gp-dept", "青禾市生态环境局")
SITES = (PF, PFC, LP, JD, GP)
PF_SID, PF_SIBLING, PF_CITY = "31", "32", "10"
PF_DEPTS = [("jyj", "30", "教育局"), ("jtj", PF_SID, "交通运输局"), ("czj", PF_SIBLING, "财政局"), ("mzj", "33", "民政局"),
            ("sfj", "34", "司法局"), ("slj", "35", "水利局")]
PF_PER = 4  # list.jsp rows a page
LP_PER = 6  # rows a laypage page
JD_PER = 4
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JD_JS = r"""
function get(u, cb) { var x = new XMLHttpRequest(); x.open('GET', u); x.onload = function () { cb(JSON.parse(x.responseText)); }; x.send(); }
function select(a) { var s = document.querySelectorAll('a.curSelectedNode');
  for (var i = 0; i < s.length; i++) s[i].className = s[i].className.replace(' curSelectedNode', '');
  a.className += ' curSelectedNode'; }
function loadList(node, page) { get('/xxgk/api/list?nodeId=' + node + '&pageNo=' + page, function (d) { var h = '';
  d.rows.forEach(function (r) { h += '<li><a href="' + r.url + '" target="_blank" title="' + r.title + '">' + r.title + '</a><span>' + r.date + '</span></li>'; });
  document.getElementById('infoList').innerHTML = h || '<li>暂无信息</li>';
  var pg = '共' + d.total + '条 第' + page + '/' + d.pages + '页 ';
  if (page > 1) pg += '<a href="javascript:void(0)" onclick="loadList(\'' + node + '\',' + (page - 1) + ')">上一页</a> ';
  if (page < d.pages) pg += '<a href="javascript:void(0)" onclick="loadList(\'' + node + '\',' + (page + 1) + ')">下一页</a>';
  document.getElementById('pager').innerHTML = pg; }); }
window.addEventListener('load', function () {
  var unit = new URLSearchParams(location.search).get('unitId') || 'C00';
  get('/xxgk/api/nodes?unitId=' + unit, function (nodes) { var ul = document.getElementById('tree');
    nodes.forEach(function (n, i) { var li = document.createElement('li');
      li.innerHTML = '<a id="tree_' + i + '_a" class="level1" treenode_a title="' + n.name + '"><span class="node_name">' + n.name + '</span></a>';
      ul.appendChild(li); var a = li.firstChild;
      a.addEventListener('click', function () { select(a); loadList(n.id, 1); }); });
    var first = ul.querySelector('a'); select(first); loadList(nodes[0].id, 1); }); });
"""
GP_JS = r"""
function get(u, cb) { var x = new XMLHttpRequest(); x.open('GET', u); x.onload = function () { cb(JSON.parse(x.responseText)); }; x.send(); }
function tree() { get('/gkmlpt/api/tree?sid=' + SID, function (d) { var h = '';
  d.forEach(function (n) { h += '<li><a href="#' + n.id + '">' + n.name + '</a></li>'; });
  document.getElementById('tree').innerHTML = h; }); }
function list(cat, page) { get('/gkmlpt/api/all/' + cat + '?page=' + page + '&sid=' + SID, function (d) { var h = '';
  d.articles.forEach(function (a) { h += '<tr><td><a href="' + a.url + '" target="_blank">' + a.title + '</a></td><td>' + a.date + '</td></tr>'; });
  document.getElementById('list').innerHTML = h || '<tr><td>暂无数据</td></tr>'; }); }
function route() { list(parseInt(location.hash.slice(1)) || 0, 1); }
window.addEventListener('hashchange', route);
window.addEventListener('load', function () { tree(); route(); });
"""
GP_SID = "88"
GP_CATS = [(201, "机构职能"), (202, "政策文件"), (203, "财政预决算"), (205, "年度报告")]


class Shapes13(SeedBodies, ServedShapes):
    """The portals: pages built once the servers run (articles name absolute URLs), one server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.others: dict[str, list[str]] = {s[0]: [] for s in SITES}
        self.pf_lists: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        self.jd_lists: dict[str, list[tuple[str, str, str]]] = {}
        self.gp_lists: dict[int, list[dict]] = {}
        self._id = 500

    def build(self) -> None:
        self.build_pf()
        self.build_lp()
        self.build_jd()
        self.build_gp()

    def next_id(self) -> int:
        self._id += 7
        return self._id

    def article(self, site: str, path: str, title: str, content: str, nav: str = "", published: str = "2025-01-20",
                issuer: str = "") -> None:
        meta = f"<div class='info'>发布时间：{published}" + (f" 发布机构：{issuer}" if issuer else "") + "</div>"
        self.pages[site][path] = Page(page(dict(SITES)[site], title, f"<h1>{html.escape(title)}</h1>{meta}"
                                           f"<div class='content'>{content}</div>", nav))

    def report(self, sites: tuple[str, ...], path: str, year: int, agency: str, form: str) -> None:
        for site in sites:
            self.truth.append(Truth(site, path, year, agency, form))

    # -- pf: a department on a city-wide 信息公开平台, its column a shared list.jsp --------------------------
    def pf_bar(self) -> str:
        return "<div class='bmdh'>部门导航：" + "".join(f"<a href='/xxgk/bmxxgk/{c}/'>{d}</a> " for c, _s, d in PF_DEPTS) + "</div>"

    @staticmethod
    def pf_left(sid: str) -> str:
        return ("<div class='left'>" + "".join(f"<a href='/xxgk/list.jsp?siteId={sid}&amp;catId={c}'>{n}</a> " for c, n in
                                                (("zn", "政府信息公开指南"), ("ndbg", "政府信息公开年报"), ("ysqgk", "依申请公开")))
                + "</div>")

    PF_NAV = ("<a href='/'>平台首页</a> <a href='/xxgk/szf/'>市政府信息公开</a> <a href='/xxgk/bmxxgk/'>部门信息公开</a> "
              "<a href='/xxgk/qxxxgk/'>区县信息公开</a>")

    def pf_content(self, sid: str, title: str, date: str, body: str, org: str) -> str:
        path = f"/xxgk/content.jsp?siteId={sid}&infoId={self.next_id()}"
        for site in (PF[0], PFC[0]):
            self.article(site, path, title, body, self.PF_NAV, date, org)
        return path

    def pf_file(self, sid: str, date: str, data: bytes) -> str:
        path = f"/xxgk/uploadfiles/{sid}/{date.replace('-', '')}{self.next_id()}.pdf"
        for site in (PF[0], PFC[0]):
            self.pages[site][path] = Page(data, PDF)
        return path

    def build_pf(self) -> None:
        sites = (PF[0], PFC[0])
        name = PF[1]
        for site in sites:
            self.pages[site]["/"] = Page(page("青禾市政府信息公开平台", "平台首页", self.pf_bar(), self.PF_NAV))
            self.pages[site]["/xxgk/szf/"] = Page(page("青禾市政府信息公开平台", "市政府信息公开", self.pf_left(PF_CITY), self.PF_NAV))
            for code, sid, dept in PF_DEPTS:
                self.pages[site][f"/xxgk/bmxxgk/{code}/"] = Page(page(
                    "青禾市政府信息公开平台", f"青禾市{dept}信息公开",
                    self.pf_bar() + self.pf_left(sid) + f"<h2>青禾市{dept}政府信息公开</h2><p>机构职能：……</p>", self.PF_NAV))
        rows = []
        title = f"{name}2024年政府信息公开工作年度报告"
        pdf = self.pf_file(PF_SID, "2025-01-21", make_pdf(title, self.body(name, 2024)))
        art = self.pf_content(PF_SID, title, "2025-01-21", self.body(name, 2024) + f"<p>附件：<a href='{pdf}'>{title}.pdf</a></p>", name)
        rows.append((art, title, "2025-01-21"))
        self.report(sites, art, 2024, name, "query-URL article + PDF")
        title = f"{name}2023年政府信息公开工作年度报告"
        pdf = self.pf_file(PF_SID, "2024-01-19", make_pdf(title, self.body(name, 2023)))
        rows.append((pdf, title, "2024-01-19"))
        self.report(sites, pdf, 2023, name, "PDF straight from the list")
        for year in (2022, 2021, 2020):
            title = f"{name}{year}年政府信息公开工作年度报告"
            art = self.pf_content(PF_SID, title, f"{year + 1}-01-20", self.body(name, year), name)
            rows.append((art, title, f"{year + 1}-01-20"))
            self.report(sites, art, year, name, "query-URL article")
        look = f"图解：{name}2024年政府信息公开工作年度报告"
        rows.append((self.pf_content(PF_SID, look, "2025-02-01", "<p>（图解）</p>", name), look, "2025-02-01"))
        self.pf_lists[(PF_SID, "ndbg")] = sorted(rows, key=lambda r: r[2], reverse=True)
        for org, sid in (("青禾市财政局", PF_SIBLING), ("青禾市人民政府", PF_CITY)):
            title = f"{org}2024年政府信息公开工作年度报告"
            art = self.pf_content(sid, title, "2025-01-18", self.body(org, 2024), org)
            self.pf_lists[(sid, "ndbg")] = [(art, title, "2025-01-18")]
            for site in sites:
                self.others[site].append(art)

    def pf_list(self, sid: str, cat: str, page_no: int) -> Page:
        rows = self.pf_lists.get((sid, cat), [])
        pages = max(1, -(-len(rows) // PF_PER))
        page_no = min(max(page_no, 1), pages)
        dept = "青禾市人民政府" if sid == PF_CITY else "青禾市" + next((d for _c, s, d in PF_DEPTS if s == sid), "")
        pager = "".join(f"<a href='list.jsp?siteId={sid}&amp;catId={cat}&amp;pageNo={n}'>{n}</a> " for n in range(1, pages + 1))
        if page_no < pages:
            pager += f"<a href='list.jsp?siteId={sid}&amp;catId={cat}&amp;pageNo={page_no + 1}'>下一页</a>"
        side = ""
        if sid == PF_SID and cat == "ndbg":
            city = self.pf_lists[(PF_CITY, "ndbg")][0]
            side = ("<div class='side'><h3>相关链接</h3><ul>" + li(city[0], city[1], "") +
                    f"<li><a href='/xxgk/list.jsp?siteId={PF_CITY}&amp;catId=ndbg'>市政府信息公开年报</a></li></ul></div>")
        chunk = rows[(page_no - 1) * PF_PER: page_no * PF_PER]
        body = (self.pf_bar() + self.pf_left(sid) + f"<h2>{dept} 政府信息公开年报</h2><ul class='list'>"
                + ("".join(li(p, t, d) for p, t, d in chunk) or "<li>暂无信息</li>") + f"</ul><div class='page'>{pager}</div>"
                + side)
        return Page(page("青禾市政府信息公开平台", f"政府信息公开年报_{dept}", body, self.PF_NAV))

    # -- lp: list_5.html paged only by layui's laypage ----------------------------------------------------
    def build_lp(self) -> None:
        sid, name = LP
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/jwdt/'>警务动态</a>"
        left = ("<div class='left'><a href='/zwgk/zn/'>政府信息公开指南</a> <a href='/zwgk/ndbg/list_5.html'>政府信息公开年报</a>"
                "</div>")
        pages["/"] = Page(page(name, "首页", "<ul>" + "".join(li(f"/jwdt/{k}.html", f"溪口县公安局开展第{k}次专项行动", "2025-03-01")
                                                          for k in range(20)) + "</ul>", nav))
        pages["/zwgk/"] = Page(page(name, "政务公开", left, nav))
        rows = []
        for year in range(2024, 2018, -1):
            title = f"{name}{year}年政府信息公开工作年度报告"
            art = f"/zwgk/ndbg/{year + 1}01/t{year + 1}0122_{self.next_id()}.html"
            body = self.body(name, year)
            if year == 2024:
                pdf = f"/zwgk/ndbg/{year + 1}01/P0{year + 1}0122.pdf"
                pages[pdf] = Page(make_pdf(title, body), PDF)
                body += f"<p>附件：<a href='{pdf}'>{title}.pdf</a></p>"
            self.article(sid, art, title, body, nav, f"{year + 1}-01-22")
            rows.append((art, title, f"{year + 1}-01-22"))
            self.report((sid,), art, year, name, "html" + (" + PDF" if year == 2024 else "") + " (laypage pages)")
        org = "溪口县人民政府"
        title = f"{org}2024年政府信息公开工作年度报告"
        art = f"/zwgk/ndbg/202501/t20250118_{self.next_id()}.html"
        self.article(sid, art, title, self.body(org, 2024), nav, "2025-01-18")
        rows.append((art, title, "2025-01-18"))
        self.others[sid].append(art)
        for k, kind in enumerate(("图解：", "【图片解读】", "《解读》", "政府信息公开指南", "2025年政务公开工作要点", "2024年部门预算",
                                  "2023年部门决算")):
            title = f"{kind}{name}{2024 - k % 3}年政府信息公开工作年度报告" if k < 3 else f"{name}{kind}"
            art = f"/zwgk/ndbg/2025{k + 2:02d}/t2025{k + 2:02d}10_{self.next_id()}.html"
            self.article(sid, art, title, "<p>（略）</p>", nav, f"2025-{k + 2:02d}-10")
            rows.append((art, title, f"2025-{k + 2:02d}-10"))
        rows.sort(key=lambda r: r[2], reverse=True)
        total = -(-len(rows) // LP_PER)
        for n in range(1, total + 1):
            chunk = rows[(n - 1) * LP_PER: n * LP_PER]
            script = ("layui.use('laypage', function(){ var laypage = layui.laypage; laypage.render({elem: 'pages', "
                      f"count: {len(rows)}, limit: {LP_PER}, curr: {n}, layout: ['prev', 'page', 'next'], "
                      "jump: function(obj, first){ if(!first){ location.href = obj.curr == 1 ? 'list_5.html' : "
                      "'list_5_' + obj.curr + '.html'; } } }); });")
            body = (left + "<h2>政府信息公开年报</h2><ul class='list'>" + "".join(li(p, t, d) for p, t, d in chunk) + "</ul>"
                    f"<div id='pages'></div><script src='/static/layui/layui.js'></script><script>{script}</script>")
            pages["/zwgk/ndbg/list_5.html" if n == 1 else f"/zwgk/ndbg/list_5_{n}.html"] = Page(page(name, "政府信息公开年报", body, nav))
        pages["/static/layui/layui.js"] = Page(b"window.layui={use:function(m,f){}};", "application/javascript")

    # -- jd: a 街道 whose 信息公开 is a node of the county's script-drawn tree ----------------------------------
    def build_jd(self) -> None:
        sid, name = JD
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/xxgk/ml.html'>信息公开目录</a>"
        pages["/"] = Page(page("溪口县人民政府", "首页", "<a href='/xzjd/ltjd/'>柳塘街道</a>", nav))
        pages["/xzjd/ltjd/"] = Page(page("溪口县人民政府", "柳塘街道",
                                         "<div class='xzdh'>乡镇街道：<a href='/xzjd/hsz/'>禾山镇</a> <a href='/xzjd/ltjd/'>柳塘街道</a></div>"
                                         "<h2>柳塘街道</h2><p>柳塘街道位于溪口县东部……</p><div class='gk'><h3>政务公开</h3>"
                                         "<a href='/xxgk/ml.html?unitId=J02'>柳塘街道政府信息公开</a></div>", nav))
        pages["/xxgk/ml.html"] = Page(page("溪口县人民政府", "政府信息公开目录",
                                           "<div class='left'><ul id='tree' class='ztree'></ul></div>"
                                           "<div class='right'><ul id='infoList'></ul><div id='pager'></div></div>"
                                           "<script src='/js/xxgk-tree.js'></script>", nav))
        pages["/js/xxgk-tree.js"] = Page(JD_JS.encode(), "application/javascript")
        rows = []
        for year in (2024, 2023, 2022, 2021):
            title = f"{name}{year}年政府信息公开工作年度报告" if year != 2021 else f"柳塘街道{year}年政府信息公开工作年度报告"
            date = f"{year + 1}-01-1{year % 10}"
            if year == 2022:
                path = f"/uploadfile/{year + 1}/0112/{self.next_id()}.docx"
                pages[path] = Page(make_docx(title, narrative(name, year)), DOCX)
                form = "DOCX straight from the list"
            else:
                path = f"/art/{year + 1}/1/1{year % 10}/art_88_{self.next_id()}.html"
                body = self.body(name, year)
                if year == 2023:
                    pdf = f"/uploadfile/{year + 1}/0113/{self.next_id()}.pdf"
                    pages[pdf] = Page(make_pdf(title, body), PDF)
                    body += f"<p>附件：<a href='{pdf}'>{title}.pdf</a></p>"
                self.article(sid, path, title, body, nav, date)
                form = "article under /art/" + (" + PDF" if year == 2023 else "")
            rows.append((path, title, date))
            self.report((sid,), path, year, name if year != 2021 else "柳塘街道", form)
        org = "溪口县人民政府"
        title = f"{org}2024年政府信息公开工作年度报告"
        art = f"/art/2025/1/16/art_88_{self.next_id()}.html"
        self.article(sid, art, title, self.body(org, 2024), nav, "2025-01-16")
        rows.append((art, title, "2025-01-16"))
        self.others[sid].append(art)
        look = f"图解：{name}2024年政府信息公开工作年度报告"
        art = f"/art/2025/2/10/art_88_{self.next_id()}.html"
        self.article(sid, art, look, "<p>（图解）</p>", nav, "2025-02-10")
        rows.append((art, look, "2025-02-10"))
        self.jd_lists["J02_04"] = sorted(rows, key=lambda r: r[2], reverse=True)
        guide = f"/art/2025/6/1/art_88_{self.next_id()}.html"
        self.article(sid, guide, f"{name}政府信息公开指南", "<p>指南</p>", nav, "2025-06-01")
        self.jd_lists["J02_01"] = [(guide, f"{name}政府信息公开指南", "2025-06-01")]

    def jd_nodes(self, unit: str) -> Page:
        nodes = [{"id": f"{unit}_01", "name": "政府信息公开指南"}, {"id": f"{unit}_02", "name": "法定主动公开内容"},
                 {"id": f"{unit}_04", "name": "政府信息公开年度报告"}, {"id": f"{unit}_05", "name": "依申请公开"}]
        return Page(json.dumps(nodes, ensure_ascii=False).encode(), "application/json")

    def jd_list(self, node: str, page_no: int) -> Page:
        rows = self.jd_lists.get(node, [])
        pages = max(1, -(-len(rows) // JD_PER))
        chunk = rows[(page_no - 1) * JD_PER: page_no * JD_PER]
        data = {"total": len(rows), "pages": pages, "rows": [{"url": p, "title": t, "date": d} for p, t, d in chunk]}
        return Page(json.dumps(data, ensure_ascii=False).encode(), "application/json")

    # -- gp: a department's gkmlpt under a path, registered at index#205 ----------------------------------
    def build_gp(self) -> None:
        sid, name = GP
        pages = self.pages[sid]
        base = self.bases[sid]
        nav = "<a href='/'>首页</a> <a href='/gkmlpt/index'>政府信息公开</a>"
        shell = (f"<div class='tabs'><a href='/qhsthj/gkmlpt/index'>政府信息公开目录</a></div>"
                 "<div class='gkml'><ul id='tree'></ul><table id='list'></table></div>"
                 f"<script>var SID='{GP_SID}';</script><script src='/gkmlpt/js/gkmlpt.js'></script>")
        pages["/qhsthj/gkmlpt/index"] = Page(page(name, "政府信息公开", shell, nav))
        pages["/gkmlpt/js/gkmlpt.js"] = Page(GP_JS.encode(), "application/javascript")
        articles = []
        for year in (2024, 2023, 2022):
            title = f"{name}{year}年政府信息公开工作年度报告"
            path = f"/qhsthj/gkmlpt/content/2/205/post_205{year}.html"
            self.article(sid, path, title, self.body(name, year), nav, f"{year + 1}-01-20")
            articles.append({"url": base + path, "title": title, "date": f"{year + 1}-01-20"})
            self.report((sid,), path, year, name, "gkmlpt post (start #205)")
        look = f"图解：{name}2024年政府信息公开工作年度报告"
        path = "/qhsthj/gkmlpt/content/2/205/post_2059001.html"
        self.article(sid, path, look, "<p>（图解）</p>", nav, "2025-02-01")
        articles.insert(0, {"url": base + path, "title": look, "date": "2025-02-01"})
        org = "青禾市人民政府"  # the city's report filed in the department's category: another body's
        title = f"{org}2024年政府信息公开工作年度报告"
        path = "/qhsthj/gkmlpt/content/2/205/post_2059002.html"
        self.article(sid, path, title, self.body(org, 2024), nav, "2025-01-17")
        articles.insert(1, {"url": base + path, "title": title, "date": "2025-01-17"})
        self.others[sid].append(path)
        self.gp_lists[205] = articles
        guide = "/qhsthj/gkmlpt/content/2/201/post_201001.html"
        self.article(sid, guide, f"{name}机构职能", "<p>职能</p>", nav, "2025-03-01")
        self.gp_lists[201] = [{"url": base + guide, "title": f"{name}机构职能", "date": "2025-03-01"}]

    def gp_api(self, path: str, q: dict) -> Page | None:
        if path == "/gkmlpt/api/tree":
            return Page(json.dumps([{"id": c, "name": n} for c, n in GP_CATS], ensure_ascii=False).encode(), "application/json")
        if path.startswith("/gkmlpt/api/all/"):
            cat = int(path.rsplit("/", 1)[1] or 0)
            rows = self.gp_lists.get(cat, [])
            return Page(json.dumps({"articles": rows, "total": len(rows)}, ensure_ascii=False).encode(), "application/json")
        return None

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str) -> tuple[int, Page]:
        q = parse_qs(query)

        def one(key: str, default: str = "") -> str:
            return (q.get(key) or [default])[0]

        if path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if site in (PF[0], PFC[0]) and path == "/xxgk/list.jsp":
            return 200, self.pf_list(one("siteId"), one("catId"), int(one("pageNo", "1") or 1))
        if site == JD[0] and path == "/xxgk/api/nodes":
            return 200, self.jd_nodes(one("unitId", "C00"))
        if site == JD[0] and path == "/xxgk/api/list":
            return 200, self.jd_list(one("nodeId"), int(one("pageNo", "1") or 1))
        if site == GP[0] and (found := self.gp_api(path, q)) is not None:
            return 200, found
        found = self.pages[site].get(path + ("?" + query if query else "")) or self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str) -> Respond:
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path))
            return self.answer(site, parts.path, parts.query)
        return respond

    def registry(self) -> list[dict]:
        def entry(site: tuple[str, str], level: str, kind: str, region: dict, start: str) -> dict:
            return {"id": site[0], "name": site[1], "level": level, "kind": kind, "family": "generic", "region": region,
                    "start_urls": [self.bases[site[0]] + start], "allowed_domains": ["127.0.0.1"]}
        city = {"province": "溪川省", "city": "青禾市"}
        county = {**city, "county": "溪口县"}
        return [entry(PF, "city", "department", city, "/xxgk/bmxxgk/jtj/"),
                entry(PFC, "city", "department", city, f"/xxgk/list.jsp?siteId={PF_SID}&catId=ndbg"),
                entry(LP, "county", "department", county, "/"),
                entry(JD, "township", "government", county, "/xzjd/ltjd/"),
                entry(GP, "city", "department", city, "/qhsthj/gkmlpt/index#205")]
