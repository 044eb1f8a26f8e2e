"""Report article pages whose report is a file the page shows or opens by script, with and without a block of
other articles beside them (the eighteenth round), served by a small server of their own (`Shapes18.start()`:
one 127.0.0.1 port per portal, tests/portal/serving.py):

- rl-county-gov 瑞岭县人民政府: eight report articles, each a short "全文见附件" text and its file in one form:
  a pdf.js viewer frame (`viewer.html?file=…pdf`), `<embed src>`, `<object data>`, `onclick="window.open('…pdf')"`,
  `href="javascript:downloadFile('….docx')"`, an inline JSON file list its script draws, a download servlet's
  `/attach/download?id=N` link named by the report's title, and the tables as lazy pictures (`data-original`).
  Beside each article a block of other articles naming sibling reports (相关文章 / 相关阅读 / 热点信息 headings,
  or a `div.xgwz` with no heading), their links dead (404) or the column's own reports.
- nr-county-gov 南溪县人民政府: the same eight forms with no such block.

`Shapes18.truth` lists every report article (site, path, year, agency, form); `files` each article's file path;
`dead` the related blocks' dead links; `requests` what each server saw (method, path with query).
"""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf
from tests.portal.homes10 import make_docx
from tests.portal.homes16 import page
from tests.portal.serving import Page, ServedShapes

RL = ("rl-county-gov", "瑞岭县人民政府")
NR = ("nr-county-gov", "南溪县人民政府")
SITES = (RL, NR)
FORMS = ("pdfjs", "embed", "object", "onclick", "js_download_docx", "inline_json", "servlet", "lazy_pictures")
DEAD = ("/zwgk/ndbg/202203/t20220315_101.html", "/zwgk/ndbg/202303/t20230320_102.html")
# a tiny PNG: a picture is fetched as the article's attachment (what it shows is not this test's question)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class Shapes18(SeedBodies, ServedShapes):
    """The portals: pages built once, one threaded server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[tuple[str, str], list[str]] = {}  # (site, article path) -> its files' paths
        self.servlet: dict[str, dict[str, str]] = {s[0]: {} for s in SITES}  # id -> file path

    def build(self) -> None:
        for site in SITES:
            self.build_site(site, related=site is RL)

    def build_site(self, site: tuple[str, str], related: bool) -> None:
        sid, name = site
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.pages[sid]["/"] = Page(page(name, f"首页_{name}", "<ul><li><a href='/xwzx/1.html'>工作动态</a></li></ul>", nav))
        self.pages[sid]["/zwgk/"] = Page(page(name, f"政务公开_{name}", "<a href='/zwgk/ndbg/'>政府信息公开年度报告</a>", nav))
        self.pages[sid]["/pdfjs/web/viewer.html"] = Page(b"<!DOCTYPE html><html><body><div id='viewer'></div>"
                                                         b"<script src='viewer.js'></script></body></html>")
        self.pages[sid]["/images/loading.gif"] = Page(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")
        rows, paths, contents = [], [], {}
        years = range(2024, 2024 - len(FORMS), -1)
        for k, (form, year) in enumerate(zip(FORMS, years, strict=True)):
            title = f"{name}{year}年政府信息公开工作年度报告"
            path = f"/zwgk/ndbg/{year + 1}01/t{year + 1}0120_{k}.html"
            paths.append((path, title))
            contents[path] = (f"<p>{html.escape(title)}已编制完成，现予以公布。报告全文见附件。</p>"
                              + self.file_form(sid, form, title, year))
            self.files[(sid, path)] = self.file_paths(sid, form, year)
            self.truth.append(Truth(sid, path, year, name, form))
            rows.append(li(path, title, f"{year + 1}-01-20"))
        for k, (path, title) in enumerate(paths):
            side = self.related(name, k, paths) if related else ""
            body = (f"<div class='article'><h1>{html.escape(title)}</h1><div class='info'>发布时间：{2025 - k}-01-20 "
                    f"来源：{name}</div><div class='content' id='zoom'>{contents[path]}</div></div>{side}")
            self.pages[sid][path] = Page(page(name, f"{title}_{name}", body, nav))
        self.pages[sid]["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                                   f"<ul class='list'>{''.join(rows)}</ul>", nav))

    def related(self, name: str, k: int, paths: list[tuple[str, str]]) -> str:
        """A block of other articles: two dead links named as older reports, one of the column's own, a guide."""
        items = [li(DEAD[0], f"{name}2015年政府信息公开工作年度报告", "2016-03-15"),
                 li(DEAD[1], f"{name}2014年政府信息公开工作年度报告", "2015-03-20"),
                 li(paths[(k + 1) % len(paths)][0], paths[(k + 1) % len(paths)][1], "2024-01-20"),
                 "<li><a href='/zwgk/zn/t1.html'>政府信息公开指南（2024年修订）</a></li>"]
        heads = ("<h3>相关文章</h3>", "<div class='tit'>相关阅读</div>", "<h4>热点信息：</h4>", "")
        head = heads[k % len(heads)]
        cls = "xgwz" if not head else "box"
        return f"<div class='{cls}'>{head}<ul>{''.join(items)}</ul></div>"

    def file_paths(self, sid: str, form: str, year: int) -> list[str]:
        if form == "lazy_pictures":
            return [f"/upload/{year}/{form}/table{n}.png" for n in (1, 2, 3)]
        if form == "servlet":
            return [f"/attach/download?id={880 + year}"]
        return [f"/upload/{year}/{form}/rpt.{'docx' if form.endswith('docx') else 'pdf'}"]

    def file_form(self, sid: str, form: str, title: str, year: int) -> str:
        """The article's file in its form; the file itself served at its path."""
        files = self.file_paths(sid, form, year)
        name = self.pages_name(sid)
        for f in files:
            if f.endswith(".png"):
                self.pages[sid][f] = Page(PNG, "image/png")
            elif f.endswith(".docx"):
                self.pages[sid][f] = Page(make_docx(title, title), "application/vnd.openxmlformats-officedocument"
                                                                   ".wordprocessingml.document")
            else:
                pdf = Page(make_pdf(title, self.body(name, year)), "application/pdf")
                if f.startswith("/attach/"):
                    self.servlet[sid][f.split("=")[1]] = f
                    pdf = Page(pdf.body, "application/octet-stream")
                self.pages[sid][f] = pdf
        f = files[0]
        label = html.escape(title)
        if form == "pdfjs":
            return f"<iframe src='/pdfjs/web/viewer.html?file={f}' width='100%' height='800'></iframe>"
        if form == "embed":
            return f"<embed src='{f}' type='application/pdf' width='100%' height='800'>"
        if form == "object":
            return f"<object data='{f}' type='application/pdf' width='100%' height='800'><p>您的浏览器不支持预览</p></object>"
        if form == "onclick":
            return f"<p>附件：<a href='javascript:void(0)' onclick=\"window.open('{f}')\">{label}.pdf</a></p>"
        if form == "js_download_docx":
            return (f"<p>附件：<a href=\"javascript:downloadFile('{f}')\">{label}.docx</a></p>"
                    "<script>function downloadFile(u){window.location.href=u;}</script>")
        if form == "inline_json":
            listed = json.dumps([{"name": f"{title}.pdf", "url": f, "size": "312KB"}], ensure_ascii=False)
            return ("<div class='fj'><h4>附件：</h4><ul id='fileList'></ul></div>"
                    f"<script>var files={listed};var ul=document.getElementById('fileList');files.forEach(function(x)"
                    "{var a=document.createElement('a');a.href=x.url;a.textContent=x.name;ul.appendChild(a);});</script>")
        if form == "servlet":
            return f"<p>附件：<a href='{f}'>{label}</a></p>"
        return "".join(f"<p><img class='lazy' src='/images/loading.gif' data-original='{p}' alt=''></p>" for p in files)

    def pages_name(self, sid: str) -> str:
        return dict(SITES)[sid]

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str) -> tuple[int, Page]:
        if path == "/robots.txt":
            return 200, Page(b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if path == "/attach/download":
            found = self.servlet[site].get(dict(parse_qsl(query)).get("id", ""))
            if found:
                return 200, self.pages[site][found]
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(self.pages_name(site), "404", "<p>页面不存在</p>"))
        return 200, found

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path))
            return self.answer(site, parts.path, parts.query)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}
        return [{"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                 "region": {**region, "county": name.removesuffix("人民政府")}, "start_urls": [self.bases[sid] + "/"],
                 "allowed_domains": ["127.0.0.1"]} for sid, name in SITES]
