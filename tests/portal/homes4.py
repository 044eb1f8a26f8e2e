"""One more portal entered at its home page (opt-in with the others, `Replica.start(homes=True)`),
shapes a fourth set of blind test portals showed the generic spider missing:

- jt-town-gov   金塘镇人民政府 on a Java CMS: every internal link of every page it serves carries a
                fresh `;jsessionid=<32 hex>` and `?timestamp=<ms>` (a spider that keeps them sees
                new URLs on every response); paths are case-insensitive and the 年报 column is linked
                both as `/XXGK/NDBG/` and `/xxgk/ndbg/index.jsp`; the column's pager
                `index.jsp?pageNo=N` offers 下一页 forever (pages past the last repeat the last one).
                The only way from the home page to 政府信息公开 is an image map
                (`<area href alt="政府信息公开">`).  Pages are `.jsp`, served as text/html.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from datetime import date
from urllib.parse import parse_qs

from tests.portal.homes import (
    NEWS_TITLES,
    HomeSite,
    Report,
    block,
    home_furniture,
    report_items,
    ul,
    write_news,
    write_report,
)
from tests.portal.homes import news_items as home_news_items
from tests.portal.seeds import Seed

HOME4_IDS = ("jt-town-gov",)
ROBOTS = "User-agent: *\nDisallow: /admin/\nAllow: /\n"
COLUMN = "/xxgk/ndbg"
PER_PAGE = 3
SESSION_RE = re.compile(r";jsessionid=[0-9A-Fa-f]*", re.I)
INTERNAL_HREF_RE = re.compile(rb"""(href|src)=(["'])(/(?!/)[^"'#]*)\2""")


def build_jt(w, seeds: list[Seed]) -> None:
    name, place = "金塘镇人民政府", "金塘镇"
    nav = [("首页", "/"), ("走进金塘", "/zjjt/index.jsp"), ("互动交流", "/hdjl/index.jsp")]
    site = HomeSite(w, "jt-town-gov", name, place, nav=nav)
    news = home_news_items(site, "/xwzx/jtyw", NEWS_TITLES, date(2025, 3, 1), "jtyw")
    write_news(site, news, "金塘要闻")
    image_map = ('<div class="banner"><img src="/images/nav.png" usemap="#topnav" alt="导航">'
                 '<map name="topnav"><area shape="rect" coords="0,0,80,30" href="/zjjt/index.jsp" alt="走进金塘">'
                 '<area shape="rect" coords="80,0,160,30" href="/xxgk/index.jsp" alt="政府信息公开">'
                 '<area shape="rect" coords="160,0,240,30" href="/hdjl/index.jsp" alt="互动交流"></map></div>')
    site.put("/index.html", name, image_map + block("金塘要闻", ul(news), "/xwzx/jtyw/index.html")
             + home_furniture(site, "/bm/"))
    site.put("/xxgk/index.jsp", "政府信息公开", '<div class="left"><h3>政府信息公开</h3><ul>'
             '<li><a href="/xxgk/zn/index.jsp">政府信息公开指南</a></li>'
             '<li><a href="/XXGK/NDBG/">政府信息公开年报</a></li></ul></div>'
             f'<div class="blk"><a href="{COLUMN}/index.jsp">政府信息公开年报</a></div>' + block("金塘要闻", ul(news[:5])))
    site.put("/xxgk/zn/index.jsp", "政府信息公开指南", f"<h2>政府信息公开指南</h2><p>{name}政府信息公开指南……</p>")
    reports = [Report(2024), Report(2023), Report(2022), Report(2021), Report(2020), Report(2019)]
    items = report_items(name, reports)
    links = []
    for k, (r, it) in enumerate(zip(reports, items, strict=True)):
        it.path = f"{COLUMN}/{it.published:%Y/%m%d}/{1000 + 9 * k}.jsp"
        write_report(site, r, seeds[k % len(seeds)], "政府信息公开年报", f"/uploadfiles/{it.published:%Y/%m%d}")
        links.append((it.path, it.title, it.published))
    look = f"{name}2024年法治政府建设年度报告"
    site.put(f"{COLUMN}/2025/0201/1090.jsp", look, f"<h1>{look}</h1><p>{look}……</p>")
    links.insert(1, (f"{COLUMN}/2025/0201/1090.jsp", look, date(2025, 2, 1)))
    pages = [links[i:i + PER_PAGE] for i in range(0, len(links), PER_PAGE)]
    for n, chunk in enumerate(pages, start=1):
        lis = "".join(f'<li><a href="{h}">{html.escape(t)}</a><span>{d:%Y-%m-%d}</span></li>' for h, t, d in chunk)
        site.put(f"{COLUMN}/page{n}.jsp", "政府信息公开年报",
                 f"<h2>政府信息公开年报</h2><ul class='list'>{lis}</ul><div class='page'>{{{{pager}}}}</div>")
    site.put_raw("/robots.txt", ROBOTS)


def build_homes4(w, seeds: dict[str, Seed]) -> None:
    build_jt(w, [seeds[k] for k in sorted(seeds)])


def session_links(body: bytes, path: str) -> bytes:
    """Every internal link gets this response's session and a cache-buster, as the CMS writes them."""
    sid = hashlib.md5(f"{path}{time.monotonic_ns()}".encode()).hexdigest().upper()
    stamp = str(time.time_ns() // 1_000_000)

    def rewrite(m: re.Match) -> bytes:
        target = m.group(3).decode()
        if target.startswith(("/images/", "/robots")):
            return m.group(0)
        base, _, query = target.partition("?")
        query = f"{query}&timestamp={stamp}" if query else f"timestamp={stamp}"
        return m.group(1) + b"=" + m.group(2) + f"{base};jsessionid={sid}?{query}".encode() + m.group(2)

    return INTERNAL_HREF_RE.sub(rewrite, body)


def answer4(replica, portal, path: str, query: str, headers):
    """The Java CMS: session path parameters accepted and ignored, paths case-insensitive, the
    column's endless pager, `.jsp` pages as HTML, and fresh session links in every page."""
    from tests.portal.server import Response

    path = SESSION_RE.sub("", path).lower()
    if path in ("/xxgk/ndbg/", f"{COLUMN}/index.jsp"):
        number = (parse_qs(query).get("pageNo") or parse_qs(query).get("pageno") or ["1"])[0]
        n = int(number) if number.isdigit() and int(number) > 0 else 1
        last = len(list((replica.site / portal.id / COLUMN.lstrip("/")).glob("page*.jsp")))
        resp = replica.static(portal, f"{COLUMN}/page{min(n, last)}.jsp", headers)
        pager = f'<a href="{COLUMN}/index.jsp?pageNo={n + 1}">下一页</a>'
        if n > 1:
            pager = f'<a href="{COLUMN}/index.jsp?pageNo={n - 1}">上一页</a> ' + pager
        resp.body = resp.body.replace(b"{{pager}}", pager.encode())
    else:
        resp = replica.static(portal, path, headers)
    if resp.status != 200 or not (path.endswith((".jsp", "/", ".html"))):
        return resp
    ctype = [("Content-Type", "text/html; charset=utf-8")]
    return Response(200, session_links(resp.body, path), ctype)
