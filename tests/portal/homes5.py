"""One more portal entered at its home page (opt-in with the others, `Replica.start(homes=True)`),
shapes a fifth set of blind test portals showed the generic spider missing:

- hx-district-gov 河西区人民政府: no plain link leads to the reports.  Its navigation and list items
                open pages through script: `<a href="#" data-url="…">` read by a click listener,
                `href="javascript:openWin('…')"` and `href="javascript:void(0)" onclick="openWin('…')"`.
                The 年报 column is a table showing only the current year; older years come only
                from a `<form method=post action=query.do>` with a year `<select name=nf>`
                (全部, 2024…2019) and a hidden channelId; GET on query.do answers 405, as a servlet
                that reads POST only.  A 法治政府建设年度报告 sits in the table as a look-alike.
"""

from __future__ import annotations

import html
from datetime import date

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

HOME5_IDS = ("hx-district-gov",)
COLUMN = "/zwgk/zfxxgk/ndbg"
QUERY = f"{COLUMN}/query.do"
YEARS = (2024, 2023, 2022, 2021, 2020, 2019)
JS_HEAD = ("<script>function openWin(u){window.location.href=u;}"
           "document.addEventListener('click',function(e){var a=e.target.closest('a[data-url]');"
           "if(a){e.preventDefault();window.location.href=a.getAttribute('data-url');}});</script>")


def helper_link(href: str, text: str, k: int) -> str:
    """The three ways the CMS writes a link that script opens."""
    t = html.escape(text)
    if k % 3 == 0:
        return f'<a href="#" data-url="{href}" class="jsopen">{t}</a>'
    if k % 3 == 1:
        return f"<a href=\"javascript:openWin('{href}')\">{t}</a>"
    return f"<a href=\"javascript:void(0)\" onclick=\"openWin('{href}');return false;\">{t}</a>"


def column_page(rows: list[tuple[str, str, date]], selected: str) -> str:
    opts = "<option value=''>全部</option>" + "".join(
        f"<option value='{y}'{' selected' if str(y) == selected else ''}>{y}年</option>" for y in YEARS)
    form = (f"<form method='post' action='{QUERY}' name='qform'>年份：<select name='nf'>{opts}</select>"
            "<input type='hidden' name='channelId' value='3307'><input type='submit' value='查询'></form>")
    trs = "".join(f"<tr><td>{helper_link(h, t, k)}</td><td>{d:%Y-%m-%d}</td></tr>"
                  for k, (h, t, d) in enumerate(rows))
    return (f"<h2>政府信息公开年度报告</h2>{form}<table class='list'><tr><th>标题</th><th>发布日期</th></tr>"
            f"{trs}</table>")


def build_hx(w, seeds: list[Seed]) -> None:
    name, place = "河西区人民政府", "河西区"
    site = HomeSite(w, "hx-district-gov", name, place, nav=[("首页", "/")])
    news = home_news_items(site, "/xwzx/hxyw", NEWS_TITLES, date(2025, 3, 1), "hxyw")
    write_news(site, news, "河西要闻")
    menu = ('<div class="menu">' + helper_link("/zwgk/index.html", "政务公开", 0)
            + helper_link("/hdjl/index.html", "互动交流", 0) + "</div>")
    site.put("/index.html", name, menu + block("河西要闻", ul(news), "/xwzx/hxyw/index.html")
             + home_furniture(site, "/bm/"), head=JS_HEAD)
    site.put("/zwgk/index.html", "政务公开", "<h2>政务公开</h2><ul>"
             f"<li>{helper_link('/zwgk/zfxxgk/index.html', '政府信息公开', 1)}</li>"
             f"<li>{helper_link('/zwgk/zcjd/index.html', '政策解读', 1)}</li></ul>", head=JS_HEAD)
    site.put("/zwgk/zfxxgk/index.html", "政府信息公开", "<h2>政府信息公开</h2><ul>"
             f"<li>{helper_link('/zwgk/zfxxgk/zn/index.html', '政府信息公开指南', 2)}</li>"
             f"<li>{helper_link(f'{COLUMN}/index.html', '政府信息公开年报', 2)}</li></ul>", head=JS_HEAD)
    site.put("/zwgk/zfxxgk/zn/index.html", "政府信息公开指南", f"<h2>政府信息公开指南</h2><p>{name}政府信息公开指南……</p>")
    reports = [Report(y, fmt) for y, fmt in zip(YEARS, ("html", "html+pdf", "docx", "html", "pdf", "html"),
                                                 strict=True)]
    items = report_items(name, reports)
    rows: dict[int, list[tuple[str, str, date]]] = {}
    for k, (r, it) in enumerate(zip(reports, items, strict=True)):
        ext = "pdf" if r.fmt == "pdf" else "html"
        it.path = f"{COLUMN}/{it.published:%Y%m}/{20800 + k}.{ext}"
        write_report(site, r, seeds[k % len(seeds)], "政府信息公开年报", f"/uploadfile/{it.published:%Y/%m%d}")
        rows[r.year] = [(it.path, it.title, it.published)]
    look = f"{name}2024年法治政府建设年度报告"
    site.put(f"{COLUMN}/202502/20899.html", look, f"<h1>{look}</h1><p>{look}……</p>")
    rows[2024].append((f"{COLUMN}/202502/20899.html", look, date(2025, 2, 1)))
    site.put(f"{COLUMN}/index.html", "政府信息公开年度报告", column_page(rows[2024], "2024"), head=JS_HEAD)
    for y in YEARS:  # the servlet's answers, kept where no GET reaches them
        site.put(f"/_post/nf_{y}.html", "政府信息公开年度报告", column_page(rows[y], str(y)), head=JS_HEAD)
    site.put("/_post/nf_.html", "政府信息公开年度报告",
             column_page([row for y in YEARS for row in rows[y]], ""), head=JS_HEAD)


def build_homes5(w, seeds: dict[str, Seed]) -> None:
    build_hx(w, [seeds[k] for k in sorted(seeds)])


def answer5(replica, portal, path: str, query: str, headers):
    """GET on the query servlet is refused, as the real one reads POST only."""
    from tests.portal.server import Response

    if path == QUERY:
        return Response(405, b"POST only", [("Content-Type", "text/plain"), ("Allow", "POST")])
    return None


def answer5_post(replica, portal, path: str, form: dict[str, list[str]]):
    """The servlet's answer to the year form: the table for nf=YYYY, every year for nf=''."""
    from tests.portal.server import Response

    year = (form.get("nf") or [""])[0]
    if path != QUERY or (form.get("channelId") or [""])[0] != "3307" or year not in ("", *map(str, YEARS)):
        return Response(400, b"bad query", [("Content-Type", "text/plain")])
    data = (replica.site / portal.id / "_post" / f"nf_{year}.html").read_bytes()
    return Response(200, data, [("Content-Type", f"text/html; charset={portal.charset}")])
