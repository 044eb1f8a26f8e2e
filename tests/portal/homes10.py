"""Four portal shapes a tenth set of blind test portals showed the generic crawl losing, served by a
small server of their own (`Shapes10.start()`: one 127.0.0.1 port per portal):

- ml-county-gov 梅林县人民政府: a Java CMS behind a *soft* JS challenge: every request without the
  cookie `mlclear` (robots.txt excepted, files included) is answered HTTP 200 with a page that is only a
  script building the cookie from char codes, setting `document.cookie` and calling `location.reload()`.
  Every internal link carries a fresh `;jsessionid=`.  The 年报 column is paged `?page=N` (3 pages), its
  pager written by script from `var totalPage = 3` (no pager link in the HTML); files are upper-case
  `.PDF` / `.DOCX` (the DOCX served as octet-stream).
- hc-city-gov 禾川市人民政府: starts at https:// on a server speaking http and https on one port (TLS
  sniffed from the first byte) with a self-signed certificate; its templates link the same pages by
  http:// and https:// absolute URLs.  政府信息公开年报 is a parent column whose year sub-columns are
  "加载中…" shells filled by fetch() from `/api/list?year=`; a 省内各市年报 block links another city's report.
- jd-ndrc 江东市发展和改革委员会 (a department): its 信息公开 page names no 年报; the column is linked only
  from the 网站地图 page (footer of every page).  Its rows are `<tr onclick="location.href='…'">` (no <a>)
  or `<a href="javascript:openDetail('7521')">` with `openDetail` defined in the external /js/public.js.
  The 2020 report is titled with the body's short name (江东市发改委二〇二〇年…).
- bk-county-gov 北口县人民政府: a soft challenge no browser passes (the cookie its script sets is never
  accepted): a blocked source, to be recorded as blocked.

`Shapes10.truth` lists every own report (site, url, year, agency, form); `others` the other bodies' report
URLs; `requests` what each server saw (method, path with query, scheme, cookie header).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import ipaddress
import json
import re
import secrets
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.portal.homes import narrative
from tests.portal.homes9 import SeedBodies, li, make_pdf, page
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import Page, Respond, handler, plain_server, serving

ML = ("ml-county-gov", "梅林县人民政府")
HC = ("hc-city-gov", "禾川市人民政府")
JD = ("jd-ndrc", "江东市发展和改革委员会")
BK = ("bk-county-gov", "北口县人民政府")
SITES = (ML, HC, JD, BK)
ML_LIST = "/col/col1010/index.html"
ML_COOKIE = "mlclear=ok"
HC_COLUMN = "/zwgk/ndbg/"
JD_COLUMN = "/xxgk/xxgknb/"
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# the soft challenge: HTTP 200, a script that builds the cookie from char codes and reloads
ML_CHALLENGE = ("<html><head><meta charset='utf-8'></head><body><script>document.cookie='mlclear='+"
                "String.fromCharCode(111,107)+';path=/';location.reload();</script></body></html>")
# one whose cookie the server never accepts: the browser reloads until the crawl gives up
SITE_PATH_HREF = re.compile(r"""(href=['"])(/[^'"?#;]*)""")  # a site-absolute link, to carry ;jsessionid=
BK_CHALLENGE = ("<html><head><meta charset='utf-8'></head><body><script>document.cookie='bkclear='+"
                "Date.now()+';path=/';location.reload();</script></body></html>")


@dataclass
class Truth:
    site: str
    url: str  # path
    year: int
    agency: str
    form: str


def make_docx(title: str, text: str) -> bytes:
    """A real DOCX (python-docx): the title and the report's narrative."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for line in text.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def self_signed(host: str = "127.0.0.1") -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for `host` (no CA a browser knows)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
            .sign(key, hashes.SHA256()))
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
    return context


class SniffServer(ThreadingHTTPServer):
    """One port, two schemes: a connection opening with a TLS ClientHello (0x16) is wrapped, the rest is
    plain HTTP (as some county portals' front proxies answer both on one port)."""

    daemon_threads = True
    tls: ssl.SSLContext

    def finish_request(self, request, client_address) -> None:  # noqa: ANN001
        try:
            request.settimeout(10)
            if request.recv(1, socket.MSG_PEEK) == b"\x16":
                request = self.tls.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        self.RequestHandlerClass(request, client_address, self)


def make_server(site: str, handler_class: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """hc answers http and https on its one port, with a self-signed certificate."""
    if site != HC[0]:
        return plain_server(site, handler_class)
    server = SniffServer(("127.0.0.1", 0), handler_class)
    server.tls = self_signed()
    return server


class Shapes10(SeedBodies):
    """The four portals: pages built once, answered by one threaded server per portal."""

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self.pages: dict[str, dict[str, Page]] = {s[0]: {} for s in SITES}
        self.truth: list[Truth] = []
        self.others: dict[str, list[str]] = {s[0]: [] for s in SITES}
        self.requests: dict[str, list[tuple[str, str, str, str]]] = {s[0]: [] for s in SITES}
        self.bases: dict[str, str] = {}
        self.ml_rows: list[list[tuple[str, str, str]]] = []
        self.hc_items: dict[int, list[dict]] = {}
        self._n = 0
        self.build_ml()
        self.build_hc()
        self.build_jd()

    # -- content ---------------------------------------------------------------------------------------
    def article(self, site: str, path: str, title: str, content: str, issuer: str, published: str,
                nav: str = "") -> None:
        meta = f"<div class='info'>发布机构：{issuer} 发布日期：{published}</div>"
        name = dict(SITES)[site]
        self.pages[site][path] = Page(page(name, title, f"<h1>{html.escape(title)}</h1>{meta}"
                                               f"<div class='content'>{content}</div>", nav))

    def report(self, site: str, path: str, year: int, agency: str, form: str) -> None:
        self.truth.append(Truth(site, path, year, agency, form))

    # -- ml: soft challenge, ;jsessionid=, script-written pager, upper-case files -----------------------
    def build_ml(self) -> None:
        sid, name = ML
        pages = self.pages[sid]
        nav = ("<a href='/'>首页</a> <a href='/col/col1001/index.html'>政务公开</a> "
               "<a href='/col/col1003/index.html'>政务服务</a>")
        news = "".join(li(f"/art/2025/3/{n}/art_1001_{n}.html", f"梅林县召开第{n}次政务公开工作推进会", f"2025-03-0{n}")
                       for n in range(1, 7))
        for n in range(1, 7):
            pages[f"/art/2025/3/{n}/art_1001_{n}.html"] = Page(page(name, f"梅林县召开第{n}次政务公开工作推进会",
                                                                    "<p>会议部署工作。</p>", nav))
        friends = " ".join(f"<a href='http://www.{c}.gov.cn/'>{t}人民政府</a>" for c, t in (("sq", "松桥县"), ("hy", "河源县")))
        pages["/"] = Page(page(name, "首页", f"<h2>梅林要闻</h2><ul>{news}</ul><div class='yqlj'>友情链接：{friends}</div>", nav))
        pages["/col/col1001/index.html"] = Page(page(name, "政务公开", "<ul><li><a href='/col/col1002/index.html'>政府信息公开"
                                                                       "</a></li><li><a href='/col/col1005/index.html'>政策解读"
                                                                       "</a></li></ul>", nav))
        pages["/col/col1002/index.html"] = Page(page(name, "政府信息公开", (
            "<div class='left'><a href='/col/col1008/index.html'>政府信息公开指南</a> "
            f"<a href='{ML_LIST}'>政府信息公开年报</a> <a href='/col/col1011/index.html'>法定主动公开内容</a></div>"), nav))
        up = "/module/download/upload"
        rows: list[tuple[str, str, str]] = []
        for year in range(2024, 2018, -1):
            pub = year + 1
            title = f"{name}{year}年政府信息公开工作年度报告" if year != 2019 else "梅林县二〇一九年政府信息公开工作年度报告"
            art = f"/art/{pub}/1/{10 + year % 9}/art_1010_{88000 + year}.html"
            when = f"{pub}-01-{10 + year % 9}"
            content = self.body(name, year)
            if year == 2022:  # the list links the upper-case .PDF itself
                art = f"{up}/{pub}/0120/{pub}0120093011573.PDF"
                pages[art] = Page(make_pdf(title, content), PDF)
                form = "pdf-list-link"
            elif year == 2020:  # an article with only an upper-case .DOCX, served as octet-stream
                f = f"{up}/{pub}/0118/{pub}0118101522916.DOCX"
                pages[f] = Page(make_docx(title, narrative(name, year)), "application/octet-stream")
                self.article(sid, art, title, f"<p>附件：<a href='{f}'>{html.escape(title)}.DOCX</a></p>", "县政府办公室", when, nav)
                form = "docx-only"
            elif year == 2024:
                f = f"{up}/{pub}/0121/{pub}0121084407321.PDF"
                pages[f] = Page(make_pdf(title, content), PDF)
                self.article(sid, art, title, content + f"<p>附件：<a href='{f}'>{html.escape(title)}.PDF</a></p>",
                             "县政府办公室", when, nav)
                form = "html+pdf"
            else:
                self.article(sid, art, title, content, "县政府办公室", when, nav)
                form = "html"
            rows.append((art, title, when))
            self.report(sid, art, year, name, form)
            look = f"图解：梅林县{year}年政府信息公开工作年度报告"
            lp = f"/art/{pub}/2/10/art_1010_{89000 + year}.html"
            self.pages[sid][lp] = Page(page(name, look, f"<h1>{look}</h1><p>（图）</p>", nav))
            rows.append((lp, look, f"{pub}-02-10"))
            if year == 2023:  # a township's report: an article whose report is an upper-case .PDF
                unit = "梅林县城关镇人民政府"
                ut = f"{unit}{year}年政府信息公开工作年度报告"
                upath, f = f"/art/{pub}/1/28/art_1010_88102.html", f"{up}/{pub}/0128/{pub}0128160233418.PDF"
                pages[f] = Page(make_pdf(ut, self.body(unit, year)), PDF)
                self.article(sid, upath, ut, f"<p>附件：<a href='{f}'>{html.escape(ut)}.PDF</a></p>", unit, f"{pub}-01-28", nav)
                rows.append((upath, ut, f"{pub}-01-28"))
                self.report(sid, upath, year, unit, "pdf-attachment-only")
        self.ml_rows = [rows[i:i + 5] for i in range(0, len(rows), 5)]
        self.ml_nav = nav

    def ml_list(self, query: str) -> Page:
        raw = (parse_qs(query).get("page") or ["1"])[0]
        total = len(self.ml_rows)
        current = int(raw) if raw.isdigit() and 1 <= int(raw) <= total else 1
        rows = "<ul class='list'>" + "".join(li(*r) for r in self.ml_rows[current - 1]) + "</ul>"
        pager = ("<div id='pager'></div><script>var totalPage = " + str(total) + "; var currentPage = " + str(current) + ";"
                 "var s='';for(var i=1;i<=totalPage;i++){s+=(i==currentPage?'<b>'+i+'</b> ':'<a href=\"?page='+i+'\">'+i+'</a> ');}"
                 "if(currentPage<totalPage){s+='<a href=\"?page='+(currentPage+1)+'\">下一页</a>';}"
                 "document.getElementById('pager').innerHTML=s+' 共'+totalPage+'页';</script>")
        return Page(page(ML[1], "政府信息公开年报", "<h2>政府信息公开年报</h2>" + rows + pager, self.ml_nav))

    # -- hc: https start, self-signed, http/https links to one host:port, script-filled year sub-columns --
    def build_hc(self) -> None:
        sid, name = HC
        pages = self.pages[sid]
        nav = "<a href='{{HTTPS}}/'>首页</a> <a href='{{HTTP}}/zwgk/'>政务公开</a> <a href='/zwfw/'>政务服务</a>"
        pages["/"] = Page(page(name, "首页", "<h2>禾川要闻</h2><ul>" + "".join(
            li(f"/xwzx/{n}.html", f"禾川市召开第{n}次常务会议", f"2025-04-0{n}") for n in range(1, 6)) + "</ul>", nav))
        for n in range(1, 6):
            pages[f"/xwzx/{n}.html"] = Page(page(name, f"禾川市召开第{n}次常务会议", "<p>会议研究工作。</p>", nav))
        left = ("<div class='left'><a href='{{HTTPS}}/zwgk/zn/'>政府信息公开指南</a> "
                f"<a href='{{{{HTTPS}}}}{HC_COLUMN}'>政府信息公开年报</a> <a href='{{{{HTTP}}}}/zwgk/czyjs/'>财政预决算</a></div>")
        pages["/zwgk/"] = Page(page(name, "政务公开", left + "<p>政务公开。</p>", nav))
        years = (2024, 2023, 2022, 2021)
        subs = "<ul class='sub'>" + "".join(
            f"<li><a href='{{{{{'HTTPS' if y % 2 else 'HTTP'}}}}}{HC_COLUMN}{y}n/'>{y}年</a></li>" for y in years) + "</ul>"
        script = ("<ul id='list'><li>加载中…</li></ul><script>fetch('/api/list?year=%Y%').then(function(r){return r.json()})"
                  ".then(function(d){var ul=document.getElementById('list');ul.innerHTML='';d.data.forEach(function(x){"
                  "var l=document.createElement('li');l.innerHTML='<a href=\"'+x.url+'\">'+x.title+'</a><span>'+x.date+"
                  "'</span>';ul.appendChild(l);});});</script>")
        for year in years:
            pub = year + 1
            title = f"{name}{year}年政府信息公开工作年度报告"
            art = f"{HC_COLUMN}{year}n/{pub}01/t{pub}0118_{450000 + year}.html"
            content = self.body(name, year)
            if year == 2021:  # the report is its PDF attachment only
                f = f"/attach/{pub}01/{450000 + year}.pdf"
                pages[f] = Page(make_pdf(title, content), PDF)
                self.article(sid, art, title, f"<p>全文见附件。</p><a href='{{{{HTTP}}}}{f}'>{html.escape(title)}.pdf</a>",
                             "市政府办公室", f"{pub}-01-18", nav)
            elif year == 2024:
                f = f"/attach/{pub}01/{450000 + year}.pdf"
                pages[f] = Page(make_pdf(title, content), PDF)
                self.article(sid, art, title, content + f"<p>附件：<a href='{{{{HTTPS}}}}{f}'>{html.escape(title)}.pdf</a></p>",
                             "市政府办公室", f"{pub}-01-18", nav)
            else:
                self.article(sid, art, title, content, "市政府办公室", f"{pub}-01-18", nav)
            self.report(sid, art, year, name, "html" if year != 2021 else "pdf-attachment-only")
            explain = f"《{name}{year}年政府信息公开工作年度报告》解读"
            ep = f"{HC_COLUMN}{year}n/{pub}01/t{pub}0125_{460000 + year}.html"
            pages[ep] = Page(page(name, explain, f"<h1>{explain}</h1><p>一、报告的总体情况……</p>", nav))
            self.hc_items[year] = [{"title": title, "url": ("{{HTTPS}}" if year % 2 == 0 else "{{HTTP}}") + art,
                                    "date": f"{pub}-01-18"}, {"title": explain, "url": ep, "date": f"{pub}-01-25"}]
            pages[f"{HC_COLUMN}{year}n/"] = Page(page(name, f"{year}年", f"<h2>政府信息公开年报 &gt; {year}年</h2>" + subs
                                                      + script.replace("%Y%", str(year)), nav))
        other = "南屏市人民政府2024年政府信息公开工作年度报告"
        op = "/ssnb/2025/t20250120_470000.html"
        self.article(sid, op, other, self.body("南屏市人民政府", 2024), "南屏市人民政府", "2025-01-20", nav)
        self.others[sid].append(op)
        pages[HC_COLUMN] = Page(page(name, "政府信息公开年报", "<h2>政府信息公开年报</h2><p>请选择年度：</p>" + subs +
                                     f"<div class='ss'><h3>省内各市年报</h3><ul>{li(op, other, '2025-01-20')}</ul></div>", nav))

    # -- jd: 年报 only in the 网站地图; tr onclick rows; openDetail(id) from an external script ------------
    def build_jd(self) -> None:
        sid, name = JD
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/xwdt/'>新闻动态</a> <a href='/xxgk/'>信息公开</a> <a href='/hdjl/'>互动交流</a>"
        foot = "<div class='foot'><a href='/wzdt/'>网站地图</a> <a href='/lxwm/'>联系我们</a></div>"
        pages["/"] = Page(page(name, "首页", "<h2>工作动态</h2><ul>" + "".join(
            li(f"/xwdt/{n}.html", f"江东市发改委召开第{n}次主任办公会", f"2025-05-0{n}") for n in range(1, 6)) + "</ul>" + foot, nav))
        for n in range(1, 6):
            pages[f"/xwdt/{n}.html"] = Page(page(name, f"江东市发改委召开第{n}次主任办公会", "<p>会议研究工作。</p>" + foot, nav))
        cols = [("xxgkzn", "政府信息公开指南"), ("xxgkzd", "政府信息公开制度"), ("jgzn", "机构职能"), ("zcwj", "政策文件"),
                ("czyjs", "财政预决算"), ("ysqgk", "依申请公开")]
        left = "<div class='left'>" + "".join(f"<a href='/xxgk/{c}/'>{t}</a> " for c, t in cols) + "</div>"
        pages["/xxgk/"] = Page(page(name, "信息公开", left + "<h2>信息公开</h2><p>本委信息公开。</p>" + foot, nav))
        for c, t in cols:
            pages[f"/xxgk/{c}/"] = Page(page(name, t, left + f"<h2>{t}</h2><p>暂无信息</p>" + foot, nav))
        tree = "".join(f"<dd><a href='/xxgk/{c}/'>{t}</a></dd>" for c, t in cols[:2]) + \
            f"<dd><a href='{JD_COLUMN}'>政府信息公开年报</a></dd>" + \
            "".join(f"<dd><a href='/xxgk/{c}/'>{t}</a></dd>" for c, t in cols[2:])
        pages["/wzdt/"] = Page(page(name, "网站地图", "<h2>网站地图</h2><div class='sitemap'><dl><dt><a href='/'>首页</a></dt></dl>"
                                    f"<dl><dt><a href='/xxgk/'>信息公开</a></dt>{tree}</dl>"
                                    "<dl><dt><a href='/xwdt/'>新闻动态</a></dt></dl></div>" + foot, nav))
        pages["/js/public.js"] = Page(b"function openDetail(id){window.open('/xxgk/xxgknb/detail_'+id+'.html');}\n"
                                      b"function AddFavorite(){}\n", "application/javascript")
        rows: list[tuple[str, str, str, str]] = []  # (kind, target, title, date): tr = onclick row, od = openDetail
        short = "江东市发改委"
        for year in range(2024, 2019, -1):
            pub = year + 1
            title = f"{name}{year}年政府信息公开工作年度报告" if year != 2020 else f"{short}二〇二〇年政府信息公开工作年度报告"
            did = str(7500 + year % 100)
            when = f"{pub}-01-1{year % 10}"
            content = self.body(name, year)
            if year == 2023:  # the row opens the PDF itself
                target = f"/uploadfiles/{pub}01/{did}.pdf"
                pages[target] = Page(make_pdf(title, content), PDF)
                kind, path, form = "tr", target, "pdf-row"
            elif year == 2024:
                path = f"{JD_COLUMN}{pub}01/t{pub}0114_{did}.html"
                f = f"/uploadfiles/{pub}01/{did}.pdf"
                pages[f] = Page(make_pdf(title, content), PDF)
                self.article(sid, path, title, content + f"<p>附件：<a href='{f}'>{html.escape(title)}.pdf</a></p>", name, when, nav)
                kind, target, form = "tr", path, "tr-onclick"
            elif year == 2021:  # DOCX only, on a row opened by the row itself
                path = f"{JD_COLUMN}{pub}01/t{pub}0111_{did}.html"
                f = f"/uploadfiles/{pub}01/{did}.docx"
                pages[f] = Page(make_docx(title, narrative(name, year)), DOCX)
                self.article(sid, path, title, f"<p>附件：<a href='{f}'>{html.escape(title)}.docx</a></p>", name, when, nav)
                kind, target, form = "tr", path, "tr-onclick docx-only"
            else:  # 2022, and 2020 titled with the short name: opened by openDetail(id)
                path = f"{JD_COLUMN}detail_{did}.html"
                self.article(sid, path, title, content, name, when, nav)
                kind, target, form = "od", did, "openDetail"
            rows.append((kind, target, title, when))
            self.report(sid, path, year, name, form)
        unit = "江东市价格认证中心"
        ut = f"{unit}2024年政府信息公开工作年度报告"
        up = f"{JD_COLUMN}detail_7624.html"
        self.article(sid, up, ut, self.body(unit, 2024), unit, "2025-01-30", nav)
        rows.insert(1, ("od", "7624", ut, "2025-01-30"))
        self.report(sid, up, 2024, unit, "openDetail unit")
        for k, look in enumerate(("图解：江东市发改委2024年政府信息公开工作年度报告", "江东市发改委2024年度部门决算")):
            lp = f"{JD_COLUMN}detail_{6600 + k}.html"
            pages[lp] = Page(page(name, look, f"<h1>{look}</h1><p>（略）</p>", nav))
            rows.append(("tr" if k == 0 else "od", lp if k == 0 else str(6600 + k), look, "2025-02-01"))

        def row(kind: str, target: str, title: str, when: str) -> str:
            if kind == "tr":
                return (f"<tr onclick=\"location.href='{target}'\" style='cursor:pointer'><td class='t'>{html.escape(title)}"
                        f"</td><td>{when}</td></tr>")
            return (f"<tr><td class='t'><a href=\"javascript:openDetail('{target}')\">{html.escape(title)}</a></td>"
                    f"<td>{when}</td></tr>")
        table = "<table class='list'><tr><th>标题</th><th>发布日期</th></tr>" + "".join(row(*r) for r in rows) + "</table>"
        pages[JD_COLUMN] = Page(page(name, "政府信息公开年报", "<script src='/js/public.js'></script>" + left +
                                     "<h2>政府信息公开年报</h2>" + table + foot, nav))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str, cookie: str, https: bool) -> tuple[int, Page]:
        path = path.split(";", 1)[0]
        if path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if site == BK[0]:
            return 200, Page(BK_CHALLENGE.encode())
        if site == ML[0] and ML_COOKIE not in cookie:
            return 200, Page(ML_CHALLENGE.encode())
        if site == ML[0] and path == ML_LIST:
            return 200, self.ml_list(query)
        if site == HC[0] and path == "/api/list":
            year = int((parse_qs(query).get("year") or ["0"])[0] or 0)
            return 200, Page(json.dumps({"data": self.hc_items.get(year, [])}, ensure_ascii=False).encode(),
                             "application/json; charset=utf-8")
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def served(self, site: str, found: Page) -> bytes:
        """Links as the live site prints them: ml's with a fresh ;jsessionid=, hc's absolute ones with
        the address of this server (its scheme as the template says)."""
        if not found.ctype.startswith("text/html") and site != HC[0]:
            return found.body
        if site == ML[0]:
            sid = secrets.token_hex(16).upper()
            return SITE_PATH_HREF.sub(lambda m: f"{m.group(1)}{m.group(2)};jsessionid={sid}",
                                      found.body.decode("utf-8")).encode("utf-8")
        if site == HC[0] and found.ctype.startswith(("text/html", "application/json")):
            address = self.bases[site].split("://", 1)[1]
            return found.body.replace(b"{{HTTPS}}", f"https://{address}".encode()).replace(
                b"{{HTTP}}", f"http://{address}".encode())
        return found.body

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Shapes10]:
        shapes = cls()
        handlers = {site: handler(shapes.responder(site), methods=("GET", "HEAD")) for site, _ in SITES}
        with serving(handlers, make_server) as ports:
            shapes.bases.update({site: f"{'https' if site == HC[0] else 'http'}://127.0.0.1:{port}"
                                 for site, port in ports.items()})
            yield shapes

    def responder(self, site: str) -> Respond:
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            https = isinstance(request.connection, ssl.SSLSocket)
            cookie = request.headers.get("Cookie") or ""
            self.requests[site].append((method, request.path, "https" if https else "http", cookie))
            status, found = self.answer(site, parts.path, parts.query, cookie, https)
            return status, Page(self.served(site, found), found.ctype)
        return respond

    def registry(self) -> list[dict]:
        def entry(sid: str, name: str, level: str, kind: str, region: dict) -> dict:
            return {"id": sid, "name": name, "level": level, "kind": kind, "family": "generic", "region": region,
                    "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]}
        return [entry(*ML, "county", "government", {"province": "南湖省", "city": "禾川市", "county": "梅林县"}),
                entry(*HC, "city", "government", {"province": "南湖省", "city": "禾川市"}),
                entry(*JD, "city", "department", {"province": "南湖省", "city": "江东市"}),
                entry(*BK, "county", "government", {"province": "南湖省", "city": "禾川市", "county": "北口县"})]
