"""One more portal entered at its home page (opt-in with the others, `Replica.start(homes=True)`),
shapes an eighth set of blind test portals showed the crawl losing or misfiling:

- lb-prov-gov 岭北省人民政府: a provincial 政府信息公开平台 **behind a cookie WAF**: any request without
                the cookie `LBWAF` is answered `302 Location: <the same URL>` + `Set-Cookie` (the
                安全狗/CDN "cookie check" a browser passes on its second try); robots.txt is exempt.
                首页 → 政务公开 `/zwgk/` → the platform hub `/xxgk/`, whose 省政府 block links the
                province's column `/xxgk/szf/ndbg/` (2024, 2023 and a 图解) and whose 省政府部门 table
                links three departments `/xxgk/bm/<code>/` and their `/ndbg/` columns; every
                department page carries a 部门导航 bar listing all three.
                - 交通运输厅 (`jtt`) has a registry entry of its own (`department_entries`): its two
                  reports are that entry's, never the province's.
                - 水利厅 (`slt`) has none: its report, found on the hub, stays the province's find
                  (with its own agency).
                - 公安厅 (`gat`) has an entry too, but everything under `/xxgk/bm/gat/` answers 403
                  (an IP/UA block): the crawl must say "blocked: http 403", not "no reports".
"""

from __future__ import annotations

import html
from datetime import date

from tests.portal import render
from tests.portal.content import Item, stable_int
from tests.portal.homes import (
    NEWS_TITLES,
    HomeSite,
    block,
    home_furniture,
    narrative,
    renamed_record,
    ul,
    write_news,
)
from tests.portal.homes import news_items as home_news_items
from tests.portal.seeds import Seed

HOME8_IDS = ("lb-prov-gov",)
NAME, PLACE = "岭北省人民政府", "岭北省"
WAF_COOKIE = "LBWAF"
HUB = "/xxgk/"
PROVINCE_COLUMN = "/xxgk/szf/ndbg/"
# (code, name, registry entry id or "" for none, report years)
DEPARTMENTS8 = (("jtt", "交通运输厅", "lb-jtt", (2024, 2023)), ("slt", "水利厅", "", (2024,)),
                ("gat", "公安厅", "lb-gat", (2024,)))
BLOCKED = "/xxgk/bm/gat/"


def dept_base(code: str) -> str:
    return f"{HUB}bm/{code}/"


def department_entries(rep) -> list[dict]:
    """Registry entries of the departments that have one, on the province's host (the hub)."""
    province = next(e for e in rep.sources() if e["id"] == "lb-prov-gov")
    return [{**province, "id": entry, "name": PLACE + name, "kind": "department",
             "start_urls": [rep.url("lb-prov-gov", dept_base(code))]}
            for code, name, entry, _ in DEPARTMENTS8 if entry]


def column_page(site: HomeSite, path: str, title: str, items: list[Item], nav: str = "") -> None:
    rows = "".join(f'<tr><td>{n + 1}</td><td><a href="{it.path}" target="_blank">{html.escape(it.title)}</a></td>'
                   f"<td>{it.published:%Y-%m-%d}</td></tr>" for n, it in enumerate(items))
    site.put(path + "index.html", title, f"{nav}<h2>{html.escape(title)}</h2>"
             f"<table class='list'><tr><th>序号</th><th>标题</th><th>发布日期</th></tr>{rows}</table>")


def report(site: HomeSite, seed: Seed, agency: str, year: int, base: str, column: str, **extra: object) -> Item:
    published = date(year + 1, 1, 20)
    it = Item(f"{agency}{year}年政府信息公开工作年度报告", published, is_report=True, seed=seed.key, fmt="html",
              path=f"{base}{published:%Y%m}/t{published:%Y%m%d}_{stable_int(agency + str(year), 5)}.html")
    record = renamed_record(seed, agency, year)
    site.article(it, render.report_body_html(record, narrative(agency, year)), column)
    site.doc(it, agency=agency, year=year, **extra)
    return it


def build_lb(w, seeds: list[Seed]) -> None:
    nav = [("首页", "/"), ("政务公开", "/zwgk/index.html"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "lb-prov-gov", NAME, PLACE, nav=nav)
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")
    news = home_news_items(site, "/xwzx/lbyw", NEWS_TITLES, date(2025, 3, 1), "lbyw")
    write_news(site, news, "岭北要闻")
    site.put("/index.html", NAME, block("岭北要闻", ul(news), "/xwzx/lbyw/index.html") + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", "<h2>政务公开</h2><ul>"
             f'<li><a href="{HUB}index.html">政府信息公开平台</a></li>'
             '<li><a href="/zwgk/zcjd/index.html">政策解读</a></li></ul>')

    province = [report(site, seeds[k], NAME, y, PROVINCE_COLUMN, "政府信息公开年报") for k, y in enumerate((2024, 2023))]
    look = Item(f"图解：{NAME}2024年政府信息公开工作年度报告", date(2025, 1, 21),
                path=f"{PROVINCE_COLUMN}202501/t20250121_1.html", body="一图读懂")
    site.article(look, f"<p>{html.escape(look.title)}</p><p><img src='/images/tj.png' alt='图解'></p>", "政府信息公开年报")
    site.doc(look)
    column_page(site, PROVINCE_COLUMN, "政府信息公开年报", [province[0], look, province[1]])

    bar = "<div class='bmdh'><span>部门导航：</span>" + " ".join(
        f'<a href="{dept_base(code)}index.html">{PLACE}{name}</a>' for code, name, _, _ in DEPARTMENTS8) + "</div>"
    rows = ""
    for n, (code, name, entry, years) in enumerate(DEPARTMENTS8):
        agency, base = PLACE + name, dept_base(code)
        rows += (f'<tr><td><a href="{base}index.html">{agency}</a></td>'
                 f'<td><a href="{base}ndbg/index.html">政府信息公开年报</a></td></tr>')
        site.put(base + "index.html", agency, f"{bar}<h2>{agency}</h2><ul>"
                 f'<li><a href="{base}ndbg/index.html">政府信息公开年报</a></li>'
                 f'<li><a href="{base}zn/index.html">政府信息公开指南</a></li></ul>')
        extra = {"entry": entry} if entry else {"hub_department": True}
        if base == BLOCKED:
            extra["blocked"] = True
        items = [report(site, seeds[(n + k + 1) % len(seeds)], agency, y, base + "ndbg/", "政府信息公开年报", **extra)
                 for k, y in enumerate(years)]
        column_page(site, base + "ndbg/", "政府信息公开年报", items, nav=bar)
    site.put(HUB + "index.html", "政府信息公开平台", "<h2>政府信息公开平台</h2>"
             + block("省政府", f'<ul><li><a href="{PROVINCE_COLUMN}index.html">政府信息公开年报</a></li>'
                             '<li><a href="/xxgk/szf/zn/index.html">政府信息公开指南</a></li></ul>')
             + block("省政府部门", f"<table class='bm'>{rows}</table>"))


def build_homes8(w, seeds: dict[str, Seed]) -> None:
    build_lb(w, [seeds[k] for k in sorted(seeds)])


def answer8(replica, portal, path: str, query: str, headers):
    """The cookie WAF in front of every page but robots.txt, and the 403 on the blocked department."""
    from tests.portal.server import Response

    if path == "/robots.txt":
        return None
    if f"{WAF_COOKIE}=" not in (headers.get("Cookie") or ""):
        target = path + (f"?{query}" if query else "")
        return Response(302, b"", [("Location", target), ("Content-Type", "text/html; charset=utf-8"),
                                   ("Set-Cookie", f"{WAF_COOKIE}=ok{stable_int(path, 6)}; Path=/; HttpOnly")])
    if path.startswith(BLOCKED):
        body = "<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><p>访问被拒绝</p></body></html>"
        return Response(403, body.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
    return None
