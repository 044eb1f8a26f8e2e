"""One more portal entered at its home page (opt-in with the others, `Replica.start(homes=True)`),
the shape a sixth set of blind test portals showed the crawl archiving hollow: report pages that
frame their report.

- mq-district-gov 明桥区人民政府: plain navigation (首页 → 政务公开 → 政府信息公开年报), but each
                report page shows its report in a different frame:
                2024 `<iframe src=…_content.html>` (the framed page holds the text and tables),
                2023 `<iframe srcdoc="…escaped HTML…">`, 2022 `<embed src=….pdf>`,
                2021 `<object data=….pdf>`, 2020 `<iframe src>` onto a page that only links the DOCX,
                2019 plain HTML.  Every report page also carries frames that are not the report: a
                map and a video player from other sites, a hidden visitor counter, and a same-site
                相关文章 widget (`/include/xgwz.html`, the same on every page).
"""

from __future__ import annotations

import html
from datetime import date

from tests.portal import render
from tests.portal.content import stable_int
from tests.portal.homes import (
    NEWS_TITLES,
    HomeSite,
    Report,
    block,
    home_furniture,
    narrative,
    renamed_record,
    report_items,
    ul,
    write_news,
)
from tests.portal.homes import news_items as home_news_items
from tests.portal.seeds import Seed

HOME6_IDS = ("mq-district-gov",)
COLUMN = "/zwgk/zfxxgk/ndbg"
WIDGET = "/include/xgwz.html"
COUNTER = "/stat/count.jsp"
# how each year's page shows its report
FRAMING = {2024: "iframe", 2023: "srcdoc", 2022: "embed", 2021: "object", 2020: "iframe+docx", 2019: "html"}
OFFSITE_FRAMES = ('<iframe src="https://map.baidu.com/?latlng=30.1,120.2&title=明桥区人民政府" width="400" '
                  'height="300" title="地图"></iframe>'
                  '<embed src="https://player.video.example.com/v/102938.swf" width="480" height="360">')


def framed_document(title: str, body: str) -> str:
    """A bare page as CMSs frame them: no site chrome, only the article."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f"<body>{body}</body></html>")


def frame_furniture(k: int) -> str:
    """What sits around the report on every page: other sites' frames, a counter, the 相关文章 widget."""
    return (f'<div class="xgwz"><iframe src="{WIDGET}" title="相关文章" width="100%" height="120" '
            f'frameborder="0"></iframe></div>{OFFSITE_FRAMES}'
            f'<iframe src="{COUNTER}?id={10600 + k}" width="0" height="0" style="display:none"></iframe>')


def build_mq(w, seeds: list[Seed]) -> None:
    name, place = "明桥区人民政府", "明桥区"
    nav = [("首页", "/"), ("政务公开", "/zwgk/index.html"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "mq-district-gov", name, place, nav=nav)
    news = home_news_items(site, "/xwzx/mqyw", NEWS_TITLES, date(2025, 3, 1), "mqyw")
    write_news(site, news, "明桥要闻")
    site.put("/index.html", name, block("明桥要闻", ul(news), "/xwzx/mqyw/index.html") + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", "<h2>政务公开</h2><ul>"
             f'<li><a href="/zwgk/zfxxgk/zn/index.html">政府信息公开指南</a></li>'
             f'<li><a href="{COLUMN}/index.html">政府信息公开年报</a></li></ul>')
    site.put("/zwgk/zfxxgk/zn/index.html", "政府信息公开指南", f"<h2>政府信息公开指南</h2><p>{name}政府信息公开指南……</p>")
    site.put_raw(WIDGET, framed_document("相关文章", '<ul><li><a href="/xwzx/mqyw/index.html" target="_top">明桥要闻'
                                                    "</a></li></ul>"))
    reports = [Report(y, "html+pdf" if FRAMING[y] in ("embed", "object") else "docx" if y == 2020 else "html")
               for y in FRAMING]
    items = report_items(name, reports)
    for k, (r, it) in enumerate(zip(reports, items, strict=True)):
        seed = seeds[k % len(seeds)]
        it.seed = seed.key
        it.path = f"{COLUMN}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 6)}.html"
        record = renamed_record(seed, name, r.year)
        text = narrative(name, r.year)
        framing = FRAMING[r.year]
        extra: dict[str, object] = {"framing": framing}
        stem = f"{COLUMN}/{it.published:%Y%m}/P0{it.published:%Y%m%d}{stable_int(it.title, 6):06d}"
        if framing == "html":
            body = render.report_body_html(record, text)
        elif framing == "srcdoc":
            inner = framed_document(it.title, render.report_body_html(record, text))
            body = f'<iframe srcdoc="{html.escape(inner, quote=True)}" width="100%" height="900" frameborder="0"></iframe>'
        elif framing in ("iframe", "iframe+docx"):
            framed = f"{it.path.removesuffix('.html')}_content.html"
            inner = render.report_body_html(record, text)
            if framing == "iframe+docx":  # the framed page only links the file
                it.attachment = f"{stem}.docx"
                site.w.convert(site.pid, it.attachment, render.report_html(record, text, it.title), "docx")
                inner = (f"<p>{html.escape(it.title)}已经编制完成，现予以公布。</p>"
                         f'<p>附件：<a href="{it.attachment}">{html.escape(it.title)}.docx</a></p>')
            site.put_raw(framed, framed_document(it.title, inner))
            extra["framed"] = framed
            body = f'<iframe src="{framed}" width="100%" height="900" frameborder="0" scrolling="auto"></iframe>'
        else:  # the signed PDF shown in the page
            it.attachment = f"{stem}.pdf"
            site.w.convert(site.pid, it.attachment, render.report_html(record, text, it.title), "pdf")
            body = (f'<embed src="{it.attachment}" type="application/pdf" width="100%" height="900">'
                    if framing == "embed" else
                    f'<object data="{it.attachment}" type="application/pdf" width="100%" height="900"></object>')
        site.article(it, body + frame_furniture(k), "政府信息公开年报")
        site.doc(it, agency=name, year=r.year, **extra)
    look = f"{name}2024年法治政府建设年度报告"
    site.put(f"{COLUMN}/202502/t20250201_1.html", look, f"<h1>{look}</h1><p>{look}……</p>")
    rows = [(it.path, it.title, it.published) for it in items]
    rows.insert(1, (f"{COLUMN}/202502/t20250201_1.html", look, date(2025, 2, 1)))
    lis = "".join(f'<li><a href="{h}" title="{html.escape(t)}">{html.escape(t)}</a><span>{d:%Y-%m-%d}</span></li>'
                  for h, t, d in rows)
    site.put(f"{COLUMN}/index.html", "政府信息公开年报", f'<h2>政府信息公开年报</h2><ul class="list">{lis}</ul>')
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")


def build_homes6(w, seeds: dict[str, Seed]) -> None:
    build_mq(w, [seeds[k] for k in sorted(seeds)])
