"""Portal shapes behind an unattended night's waste and silence (the sixteenth round), served by a small server
of their own (`Shapes16.start()`: one 127.0.0.1 port per portal, tests/portal/serving.py):

- fa-city-gov 枫岸市人民政府: the 年报 column (6 reports, 4 a page) prints filter links beside its list, year
  (2018–2025) × 类型 × 部门 (1–10), each keeping the page the reader is on (`?page=2&year=2024&dept=7`), a 换一换
  link with a fresh random value on every page, a 下一页 that never ends, a relative link to its own directory
  (`ndbg/`, deeper at every hop) and an upper-case copy of its URL (`/ZWGK/NDBG/`; the server ignores case).
- er-county-gov 洱源县人民政府: page 2 of the column (`?page=2`) answers 500 every time.
- wr-county-gov 武仁县人民政府: the column lists the 2023 report's PDF and, below it, the article that carries
  it ("详见附件", the same PDF attached); 2024 is an article with the report in its text.
- rb-county-gov 容北县人民政府: robots.txt asks `Crawl-delay: 1` and disallows /private/, where one listed item sits.
- dn-county-gov 东宁县人民政府: down for the night (nothing listens on its port; registry only).
- np-county-gov 南坪县人民政府: the column (7 reports, 2 a page) pages by 下一页 alone, no page numbers, its
  articles named as TRS names them (`t20250120_2024.html`, a `_N.html` like a static pager's `index_2.html`).

`Shapes16.truth` lists every own report reachable (site, url path, year, agency, form); `requests` what each server
saw: (method, path with query, headers, body, monotonic time).
"""

from __future__ import annotations

import html
import random
import socket
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.portal.homes9 import SeedBodies, Truth, li, make_pdf
from tests.portal.serving import Page, ServedShapes

FA = ("fa-city-gov", "枫岸市人民政府")
ER = ("er-county-gov", "洱源县人民政府")
WR = ("wr-county-gov", "武仁县人民政府")
RB = ("rb-county-gov", "容北县人民政府")
DN = ("dn-county-gov", "东宁县人民政府")
NP = ("np-county-gov", "南坪县人民政府")
SITES = (FA, ER, WR, RB, NP)
FA_COLUMN = "/zwgk/ndbg/"
FA_PER, ER_PER, NP_PER = 4, 3, 2
RB_CRAWL_DELAY = 1.0
FACETS = (("year", [str(y) for y in range(2018, 2026)]), ("type", ["all", "text", "file"]),
          ("dept", [str(d) for d in range(1, 11)]))


def page(site_name: str, title: str, body: str, nav: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><div class='logo'>{site_name}</div><div class='nav'>{nav}</div>"
            f"<div class='main'>{body}</div><div class='foot'>主办：{site_name}办公室</div></body></html>").encode()


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Shapes16(SeedBodies, ServedShapes):
    """The portals: pages built once (the facet column answered per query), one threaded server per portal."""

    SITE_IDS = [sid for sid, *_ in SITES]
    requests: dict[str, list[tuple[str, str, dict, str, float]]]  # what each site's server saw

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[tuple[int, str]]] = {}  # site -> (year, li) of its column, newest first

    def build(self) -> None:
        for build in (self.build_fa, self.build_er, self.build_wr, self.build_rb, self.build_np):
            build()

    def home(self, site: tuple[str, str], nav: str, column: str) -> None:
        sid, name = site
        news = "<ul>" + "".join(li(f"/xwzx/{k}.html", f"{name[:3]}召开第{k}次工作会议", "2025-03-01")
                                for k in range(8)) + "</ul>"
        self.pages[sid]["/"] = Page(page(name, f"首页_{name}", news, nav))
        self.pages[sid]["/zwgk/"] = Page(page(name, f"政务公开_{name}", f"<a href='{column}'>政府信息公开年度报告</a>", nav))

    def article(self, site: tuple[str, str], path: str, title: str, content: str, nav: str, published: str) -> None:
        sid, name = site
        self.pages[sid][path] = Page(page(name, f"{title}_{name}",
                                          f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{published}</div>"
                                          f"<div class='content'>{content}</div>", nav))

    def reports(self, site: tuple[str, str], years: range, nav: str) -> list[tuple[int, str]]:
        """Plain report articles, one a year, newest first: (year, row of the column)."""
        rows = []
        for year in sorted(years, reverse=True):
            title = f"{site[1]}{year}年政府信息公开工作年度报告"
            path = f"/zwgk/ndbg/{year + 1}01/t{year + 1}0120_{year}.html"
            self.article(site, path, title, self.body(site[1], year), nav, f"{year + 1}-01-20")
            self.truth.append(Truth(site[0], path, year, site[1], "html"))
            rows.append((year, li(path, title, f"{year + 1}-01-20")))
        return rows

    # -- fa: filter links keeping the page, a random token, an endless 下一页, a relative loop, an upper-case copy --
    def build_fa(self) -> None:
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(FA, nav, FA_COLUMN)
        self.rows[FA[0]] = self.reports(FA, range(2019, 2025), nav)

    def fa_column(self, query: str) -> Page:
        name, q = FA[1], dict(parse_qsl(query))
        rows = [r for y, r in self.rows[FA[0]] if "year" not in q or q["year"] == str(y)]
        n = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1
        total = max(1, (len(rows) + FA_PER - 1) // FA_PER)
        keep = {k: v for k, v in q.items() if k != "page"}

        def at(k: int) -> str:
            return FA_COLUMN + "?" + urlencode({**keep, "page": k})
        pager = (f"<div class='pager'>共{len(rows)}条 第{n}/{total}页 <a href='{at(1)}'>首页</a> "
                 + "".join(f"<a href='{at(k)}'>{k}</a> " for k in range(1, total + 1))
                 + f"<a href='{at(n + 1)}'>下一页</a> <a href='{at(total)}'>尾页</a></div>")
        facets = "".join(f"<div>{key}: " + " ".join(f"<a href='{FA_COLUMN}?{urlencode({**q, key: v})}'>{v}</a>"
                                                  for v in values) + "</div>" for key, values in FACETS)
        side = (f"<div class='side'><h3>筛选</h3>{facets}<a href='{FA_COLUMN}?rnd={random.randint(10**7, 10**8)}'>换一换</a>"
                " <a href='ndbg/'>年度报告</a> <a href='/ZWGK/NDBG/'>年报（旧版入口）</a></div>")
        shown = rows[(n - 1) * FA_PER:n * FA_PER]
        return Page(page(name, f"政府信息公开年度报告_{name}", f"<h2>政府信息公开年度报告</h2>{side}"
                         f"<ul class='list'>{''.join(shown)}</ul>{pager}", "<a href='/'>首页</a>"))

    # -- er: the column's second page answers 500 every time ---------------------------------------------------
    def build_er(self) -> None:
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(ER, nav, "/zwgk/ndbg/")
        rows = self.rows[ER[0]] = self.reports(ER, range(2019, 2025), nav)
        # the reports only page 2 lists are not reachable: not the truth of what a crawl can find
        listed = {path for _, r in rows[:ER_PER] for path in [r.split("'")[1]]}
        self.truth = [t for t in self.truth if t.site != ER[0] or t.url in listed]

    def er_column(self, query: str) -> tuple[int, Page]:
        name, q = ER[1], dict(parse_qsl(query))
        n = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1
        if n == 2:
            return 500, Page(b"<html><body><h1>500 Internal Server Error</h1></body></html>")
        rows = [r for _, r in self.rows[ER[0]]]
        total = (len(rows) + ER_PER - 1) // ER_PER
        pager = "".join(f"<a href='/zwgk/ndbg/?page={k}'>{k}</a> " for k in range(1, total + 1))
        if n < total:
            pager += f"<a href='/zwgk/ndbg/?page={n + 1}'>下一页</a>"
        return 200, Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                              f"<ul class='list'>{''.join(rows[(n - 1) * ER_PER:n * ER_PER])}</ul>"
                              f"<div class='pager'>{pager}</div>", "<a href='/'>首页</a>"))

    # -- wr: a column listing a report's PDF and the article that carries it -------------------------------------
    def build_wr(self) -> None:
        sid, name = WR
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(WR, nav, "/zwgk/ndbg/")
        rows = [r for _, r in self.reports(WR, range(2024, 2025), nav)]
        title = f"{name}2023年政府信息公开工作年度报告"
        pdf = "/uploads/202401/wr_2023nb.pdf"
        self.pages[sid][pdf] = Page(make_pdf(title, self.body(name, 2023)), "application/pdf")
        self.truth.append(Truth(sid, pdf, 2023, name, "pdf listed beside its article"))
        carrier = "/zwgk/ndbg/202401/t20240122_2023.html"
        self.article(WR, carrier, title, f"<p>详见附件。</p><p>附件：<a href='{pdf}'>{html.escape(title)}.pdf</a></p>",
                     nav, "2024-01-22")
        rows += [li(pdf, title + "（附件）", "2024-01-22"), li(carrier, title, "2024-01-22")]
        self.pages[sid]["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                                   f"<ul class='list'>{''.join(rows)}</ul>", nav))

    # -- rb: Crawl-delay 1, a listed item robots.txt forbids ------------------------------------------------------
    def build_rb(self) -> None:
        sid, name = RB
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(RB, nav, "/zwgk/ndbg/")
        rows = [r for _, r in self.reports(RB, range(2023, 2025), nav)]
        title = f"{name}2021年政府信息公开工作年度报告"
        self.article(RB, "/private/2021/nb.html", title, "<p>内部资料</p>", nav, "2022-01-20")
        rows.append(li("/private/2021/nb.html", title, "2022-01-20"))
        self.pages[sid]["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                                   f"<ul class='list'>{''.join(rows)}</ul>", nav))

    # -- np: a column paged by 下一页 alone, its articles named t…_N.html ----------------------------------------------
    def build_np(self) -> None:
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        self.home(NP, nav, "/zwgk/ndbg/")
        self.rows[NP[0]] = self.reports(NP, range(2018, 2025), nav)

    def np_column(self, query: str) -> Page:
        name, q = NP[1], dict(parse_qsl(query))
        n = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1
        rows = [r for _, r in self.rows[NP[0]]]
        more = n * NP_PER < len(rows)
        pager = f"<a href='/zwgk/ndbg/?page={n + 1}'>下一页</a>" if more else ""
        return Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                         f"<ul class='list'>{''.join(rows[(n - 1) * NP_PER:n * NP_PER])}</ul>"
                         f"<div class='pager'>{pager}</div>", "<a href='/'>首页</a>"))

    # -- serving ---------------------------------------------------------------------------------------
    def answer(self, site: str, path: str, query: str) -> tuple[int, Page]:
        if path == "/robots.txt":
            rules = "User-agent: *\nDisallow: /admin/\n"
            if site == RB[0]:
                rules += f"Disallow: /private/\nCrawl-delay: {RB_CRAWL_DELAY}\n"
            return 200, Page(rules.encode(), "text/plain")
        if site == FA[0]:
            path = path.lower()  # the server ignores case, as IIS does
            if path.startswith(FA_COLUMN) and set(path[len(FA_COLUMN):].split("/")) <= {"ndbg", ""}:
                return 200, self.fa_column(query)
        if site == ER[0] and path == "/zwgk/ndbg/":
            return self.er_column(query)
        if site == NP[0] and path == "/zwgk/ndbg/":
            return 200, self.np_column(query)
        found = self.pages[site].get(path)
        if found is None:
            return 404, Page(page(dict(SITES)[site], "404", "<p>页面不存在</p>"))
        return 200, found

    def bound(self) -> None:
        self.bases[DN[0]] = f"http://127.0.0.1:{closed_port()}"

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            parts = urlsplit(request.path)
            self.saw(site, (method, request.path, {k.lower(): v for k, v in request.headers.items()},
                            body.decode("utf-8", "replace"), time.monotonic()))
            return self.answer(site, parts.path, parts.query)
        return respond

    def registry(self) -> list[dict]:
        region = {"province": "岚南省", "city": "青岚市"}

        def entry(sid: str, name: str) -> dict:
            place = name.removesuffix("人民政府")
            own = {"city": place} if sid == FA[0] else {"county": place}
            return {"id": sid, "name": name, "level": "city" if sid == FA[0] else "county", "kind": "government",
                    "family": "generic", "region": {**region, **own}, "start_urls": [self.bases[sid] + "/"],
                    "allowed_domains": ["127.0.0.1"]}
        return [entry(*site) for site in (*SITES, DN)]
