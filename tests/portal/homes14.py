"""Server quirks and re-crawls a fourteenth set of blind portals showed the crawl and the archive
mishandling, served by a small server of their own (`Shapes14.start()`: one 127.0.0.1 port per portal).
`phase` switches the sites between two states, as a portal changes between two crawls.

- gb-county-gov 青石县人民政府 (an IIS/Tomcat county site): every page is GBK with `<meta charset=gbk>`
  but served as `Content-Type: text/html; charset=UTF-8`.  Its 年报 column lists: the 2024 report
  (HTML); the 2023 article whose PDF is cut short (Content-Length larger than the bytes sent) on the
  first request of each crawl; the 2022 report as a DOCX served with a false `Content-Encoding: gzip`;
  the 2021 report as HTML whose body is gzip without `Content-Encoding`; the 民政局's "report", a 200
  page saying 该信息已删除 (a soft 404); the 教育局's PDF, cut short on every request; the 财政局's
  page, which a CDN answers `304` with no body to every request, validators or not.
- mv-city-gov 白石市人民政府 (a Tomcat JSP CMS): the column is `list.jsp?sid=12` (a *site* id the server
  needs), whose report links carry a fresh `&sid=<16 hex>` each (a session id); `content.jsp?id=N`
  answers with or without it.  Phase 2: the 2023 report moved to `/xxgk/ndbg/2023/c2023.html` (the
  list still links the old URL, which 301s); the 2021 report moved too, the list linking its new URL
  (the old one 301s); the 2022 PDF re-uploaded byte for byte (new ETag and Last-Modified; the server
  answers 304 only to the current validators).

`Shapes14.truth` lists every own report (site, url path, year, agency, form) as first published;
`requests` what each server saw: (crawl, method, path with query, headers, status).
"""

from __future__ import annotations

import gzip
import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li, page
from tests.portal.homes9 import make_pdf as full_pdf
from tests.portal.homes10 import make_docx
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import serving

GB = ("gb-county-gov", "青石县人民政府")
MV = ("mv-city-gov", "白石市人民政府")
SITES = (GB, MV)
LYING = "text/html; charset=UTF-8"
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MV_LIST = "/xxgk/ndbg/list.jsp?sid=12"  # the site id: the list answers 404 without it
GB_SOFT = "/zwgk/nb/2025/c105.html"
GB_ALWAYS_SHORT = "/uploadfile/2025/jyj2024.pdf"
GB_NO_BODY = "/zwgk/nb/2025/c107.html"
MV_PDF = "/upload/2023/nb2022.pdf"
MV_MOVED_OLD, MV_MOVED_NEW = "/xxgk/ndbg/content.jsp?id=2023", "/xxgk/ndbg/2023/c2023.html"
MV_LINKED_OLD, MV_LINKED_NEW = "/xxgk/ndbg/old/2021.html", "/xxgk/ndbg/new/2021.html"
ETAGS = {1: ('"nb2022-v1"', "Mon, 16 Jan 2023 02:00:00 GMT"), 2: ('"nb2022-v2"', "Tue, 11 Mar 2025 06:40:00 GMT")}


@dataclass
class Res:
    body: bytes
    ctype: str = LYING
    mode: str = ""  # "", short_first, short_always, no_body_304, false_gzip, gzip_undeclared, validators
    status: int = 200
    location: str = ""


def make_pdf(title: str, body_html: str) -> bytes:
    """The report as a real PDF with its CJK font subset (~40 KB, not 3.7 MB): a truncated transfer
    is retried four times per crawl, and the shapes are crawled three times."""
    import pymupdf

    doc = pymupdf.open(stream=full_pdf(title, body_html), filetype="pdf")
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)


def gbk_page(site_name: str, title: str, body: str, nav: str = "") -> bytes:
    """The portal page (tests/portal/homes9.page), in GBK and saying so in its meta."""
    text = page(site_name, title, body, nav).decode("utf-8").replace("charset='utf-8'", "charset='gbk'")
    return text.encode("gb18030")


class Shapes14(SeedBodies):
    """The two portals in two phases; `crawl` and `phase` are set by the test between crawls."""

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self._n = 0
        self.phase = 1
        self.crawl = 1
        self.truth: list[Truth] = []
        self.bases: dict[str, str] = {}
        self.requests: dict[str, list[tuple[int, str, str, dict, int]]] = {s: [] for s, _ in SITES}
        self.served: dict[tuple[str, str, int], int] = {}  # (site, path, crawl) -> times asked
        self.res: dict[int, dict[str, dict[str, Res]]] = {1: {GB[0]: {}, MV[0]: {}}, 2: {GB[0]: {}, MV[0]: {}}}
        self._lock = threading.Lock()
        self.build_gb()
        self.build_mv()

    def put(self, phases: tuple[int, ...], site: str, path: str, res: Res) -> None:
        for p in phases:
            self.res[p][site][path] = res

    # -- gb: GBK under a UTF-8 header, wire quirks, a soft 404 -----------------------------------------------
    def build_gb(self) -> None:
        sid, name = GB
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/zwfw/'>政务服务</a>"
        both = (1, 2)
        news = "<ul>" + "".join(li(f"/xwzx/{k}.html", f"青石县召开第{k}次工作会议", "2025-03-01") for k in range(12)) + "</ul>"
        self.put(both, sid, "/", Res(gbk_page(name, f"首页_{name}", news, nav)))
        self.put(both, sid, "/zwgk/", Res(gbk_page(name, f"政务公开_{name}",
                                                   "<a href='/zwgk/nb/'>政府信息公开年报</a> <a href='/zwgk/zn/'>政府信息公开指南</a>", nav)))
        rows = []

        def article(path: str, title: str, content: str, when: str) -> None:
            self.put(both, sid, path, Res(gbk_page(name, f"{title}_{name}", f"<h1>{html.escape(title)}</h1>"
                                                   f"<div class='info'>发布时间：{when}</div><div class='content'>{content}</div>", nav)))

        def listed(path: str, title: str, when: str, year: int | None = None, agency: str = "", form: str = "") -> None:
            rows.append(li(path, title, when))
            if year:
                self.truth.append(Truth(sid, path, year, agency, form))

        t = f"{name}2024年政府信息公开工作年度报告"
        article("/zwgk/nb/2025/c101.html", t, self.body(name, 2024), "2025-01-20")
        listed("/zwgk/nb/2025/c101.html", t, "2025-01-20", 2024, name, "html, GBK under a UTF-8 header")
        t = f"{name}2023年政府信息公开工作年度报告"
        article("/zwgk/nb/2024/c102.html", t, f"<p>全文见附件。</p><p>附件：<a href='/uploadfile/2024/c102.pdf'>{t}.pdf</a></p>",
                "2024-01-22")
        self.put(both, sid, "/uploadfile/2024/c102.pdf", Res(make_pdf(t, self.body(name, 2023)), PDF, "short_first"))
        listed("/zwgk/nb/2024/c102.html", t, "2024-01-22", 2023, name, "article + PDF cut short on a crawl's first request")
        t = f"{name}2022年政府信息公开工作年度报告"
        self.put(both, sid, "/uploadfile/2023/nb2022.docx", Res(make_docx(t, self.narrative_of(name, 2022)), DOCX, "false_gzip"))
        listed("/uploadfile/2023/nb2022.docx", t, "2023-01-18", 2022, name, "DOCX under a false Content-Encoding: gzip")
        t = f"{name}2021年政府信息公开工作年度报告"
        article("/zwgk/nb/2022/c104.html", t, self.body(name, 2021), "2022-01-19")
        self.res[1][sid]["/zwgk/nb/2022/c104.html"].mode = "gzip_undeclared"
        listed("/zwgk/nb/2022/c104.html", t, "2022-01-19", 2021, name, "HTML gzip without Content-Encoding")
        unit = "青石县民政局"
        self.put(both, sid, GB_SOFT, Res(gbk_page(name, f"提示信息_{name}", "<div class='err'><h2>该信息已删除</h2>"
                                                  "<p>您访问的信息已被删除或撤回。</p><a href='/'>返回首页</a></div>", nav)))
        listed(GB_SOFT, f"{unit}2024年政府信息公开工作年度报告", "2025-01-27")
        unit = "青石县教育局"
        t = f"{unit}2024年政府信息公开工作年度报告"
        self.put(both, sid, GB_ALWAYS_SHORT, Res(make_pdf(t, self.body(unit, 2024)), PDF, "short_always"))
        listed(GB_ALWAYS_SHORT, t, "2025-01-25")
        unit = "青石县财政局"
        self.put(both, sid, GB_NO_BODY, Res(b"", mode="no_body_304"))
        listed(GB_NO_BODY, f"{unit}2024年政府信息公开工作年度报告", "2025-01-24")
        self.put(both, sid, "/zwgk/nb/", Res(gbk_page(name, f"政府信息公开年报_{name}",
                                                      "<h2>政府信息公开年报</h2><ul>" + "".join(rows) + "</ul>", nav)))

    def narrative_of(self, agency: str, year: int) -> str:
        from tests.portal.homes import narrative

        return narrative(agency, year)

    # -- mv: a session id on every link, moves, a byte-identical re-upload --------------------------------------
    def build_mv(self) -> None:
        sid, name = MV
        nav = "<a href='/'>首页</a> <a href='/xxgk/'>信息公开</a>"
        both = (1, 2)
        utf8 = "text/html; charset=utf-8"

        def art(title: str, content: str, when: str) -> Res:
            return Res(page(name, f"{title}_{name}", f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{when}</div>"
                                                     f"<div class='content'>{content}</div>", nav), utf8)

        news = "<ul>" + "".join(li(f"/xwzx/{k}.html", f"白石市召开第{k}次工作会议", "2025-03-01") for k in range(12)) + "</ul>"
        self.put(both, sid, "/", Res(page(name, f"首页_{name}", news, nav), utf8))
        self.put(both, sid, "/xxgk/", Res(page(name, f"信息公开_{name}", f"<a href='{MV_LIST}'>政府信息公开年报</a>", nav), utf8))
        self.mv_rows: dict[int, list[tuple[str, str, str]]] = {1: [], 2: []}

        def listed(phases: tuple[int, ...], path: str, title: str, when: str) -> None:
            for p in phases:
                self.mv_rows[p].append((path, title, when))

        t = f"{name}2024年政府信息公开工作年度报告"
        self.put(both, sid, "/xxgk/ndbg/content.jsp?id=2024", art(t, self.body(name, 2024), "2025-01-20"))
        listed(both, "/xxgk/ndbg/content.jsp?id=2024", t, "2025-01-20")
        self.truth.append(Truth(sid, "/xxgk/ndbg/content.jsp?id=2024", 2024, name, "html, sid= on its link"))
        t = f"{name}2023年政府信息公开工作年度报告"
        moved = art(t, self.body(name, 2023), "2024-01-19")
        self.put((1,), sid, MV_MOVED_OLD, moved)
        self.put((2,), sid, MV_MOVED_NEW, moved)
        self.put((2,), sid, MV_MOVED_OLD, Res(b"", utf8, status=301, location=MV_MOVED_NEW))
        listed(both, MV_MOVED_OLD, t, "2024-01-19")
        self.truth.append(Truth(sid, MV_MOVED_OLD, 2023, name, "html; phase 2 moved, the list still links the old URL"))
        t = f"{name}2022年政府信息公开工作年度报告"
        self.put(both, sid, "/xxgk/ndbg/content.jsp?id=2022",
                 art(t, f"<p>全文见附件。</p><p>附件：<a href='{MV_PDF}'>{t}.pdf</a></p>", "2023-01-16"))
        self.put(both, sid, MV_PDF, Res(make_pdf(t, self.body(name, 2022)), PDF, "validators"))
        listed(both, "/xxgk/ndbg/content.jsp?id=2022", t, "2023-01-16")
        self.truth.append(Truth(sid, "/xxgk/ndbg/content.jsp?id=2022", 2022, name, "article + PDF re-uploaded identical"))
        t = f"{name}2021年政府信息公开工作年度报告"
        moved = art(t, self.body(name, 2021), "2022-01-18")
        self.put((1,), sid, MV_LINKED_OLD, moved)
        self.put((2,), sid, MV_LINKED_NEW, moved)
        self.put((2,), sid, MV_LINKED_OLD, Res(b"", utf8, status=301, location=MV_LINKED_NEW))
        listed((1,), MV_LINKED_OLD, t, "2022-01-18")
        listed((2,), MV_LINKED_NEW, t, "2022-01-18")
        self.truth.append(Truth(sid, MV_LINKED_OLD, 2021, name, "html; phase 2 moved, the list links the new URL"))

    def mv_list(self) -> Res:
        """The column: every report link with a fresh session id (a page's links never share one)."""
        import secrets

        name = MV[1]
        rows = "".join(li(p + ("&" if "?" in p else "?") + f"sid={secrets.token_hex(8)}", t, w)
                       for p, t, w in self.mv_rows[self.phase])
        return Res(page(name, f"政府信息公开年报_{name}", f"<h2>政府信息公开年报</h2><ul>{rows}</ul>",
                        "<a href='/'>首页</a>"), "text/html; charset=utf-8")

    # -- serving -------------------------------------------------------------------------------------------
    def find(self, site: str, path: str, query: str) -> Res | None:
        if site == MV[0] and path == "/xxgk/ndbg/list.jsp":
            return self.mv_list() if parse_qs(query).get("sid") == ["12"] else None
        params = [kv for kv in query.split("&") if kv and not kv.startswith("sid=")]  # a session id names no page
        key = path + ("?" + "&".join(params) if params else "")
        return self.res[self.phase][site].get(key)

    def handler(self, site: str) -> type[BaseHTTPRequestHandler]:
        shapes = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 — http.server's name
                shapes.answer(self, site)

        return Handler

    def answer(self, req: BaseHTTPRequestHandler, site: str) -> None:
        parts = urlsplit(req.path)
        res = self.find(site, parts.path, parts.query)
        with self._lock:
            key = (site, parts.path + "?" + parts.query, self.crawl)
            self.served[key] = nth = self.served.get(key, 0) + 1
        status, headers, body, cut = self.respond(res, req, nth)
        with self._lock:
            self.requests[site].append((self.crawl, "GET", req.path, {k.lower(): v for k, v in req.headers.items()},
                                        status))
        req.send_response(status)
        for k, v in headers:
            req.send_header(k, v)
        req.end_headers()
        req.wfile.write(body[:cut] if cut is not None else body)
        if cut is not None:
            req.close_connection = True

    def respond(self, res: Res | None, req: BaseHTTPRequestHandler, nth: int) -> tuple[int, list, bytes, int | None]:
        if res is None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            return 404, [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], body, None
        if res.status == 301:
            return 301, [("Location", self_url(req, res.location)), ("Content-Length", "0")], b"", None
        if res.mode == "no_body_304":
            return 304, [], b"", None
        body, headers = res.body, [("Content-Type", res.ctype)]
        if res.mode == "false_gzip":
            headers.append(("Content-Encoding", "gzip"))
        elif res.mode == "gzip_undeclared":
            body = gzip.compress(body)
        elif res.mode == "validators":
            etag, modified = ETAGS[self.phase]
            headers += [("ETag", etag), ("Last-Modified", modified)]
            if req.headers.get("If-None-Match") == etag or (req.headers.get("If-None-Match") is None
                                                            and req.headers.get("If-Modified-Since") == modified):
                return 304, [("ETag", etag)], b"", None
        headers.append(("Content-Length", str(len(body))))
        cut = len(body) // 2 if res.mode == "short_always" or (res.mode == "short_first" and nth == 1) else None
        return 200, headers, body, cut

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Shapes14]:
        shapes = cls()
        with serving({site: shapes.handler(site) for site, _ in SITES}) as ports:
            shapes.bases.update({site: f"http://127.0.0.1:{port}" for site, port in ports.items()})
            yield shapes

    def registry(self) -> list[dict]:
        def entry(sid: str, name: str, level: str, region: dict) -> dict:
            return {"id": sid, "name": name, "level": level, "kind": "government", "family": "generic",
                    "region": region, "start_urls": [self.bases[sid] + "/"], "allowed_domains": ["127.0.0.1"]}
        return [entry(*GB, "county", {"province": "玉衡省", "city": "天枢市", "county": "青石县"}),
                entry(*MV, "city", {"province": "玉衡省", "city": "白石市"})]


def self_url(req: BaseHTTPRequestHandler, path: str) -> str:
    host = req.headers.get("Host") or "127.0.0.1"
    return f"http://{host}{path}"
