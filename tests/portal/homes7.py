"""One more portal entered at its home page (opt-in with the others, `Replica.start(homes=True)`),
shapes a seventh set of blind test portals showed the generic spider missing:

- qt-county-gov 青潭县人民政府: `/` is only `<script>location.href='/portal/index.html'</script>`; the
                年报 link `/zwgk/ndbg.html` is only `window.location.replace(…)`.  The column is an
                empty `<ul>` that script fills from `/api/infolist?channel=qtndbg&page=N` (JSON
                `data.list[{title,url,publishDate}]`, `hasMore`), three items a page, with infinite
                scroll: the next page loads only when the reader scrolls to the list's end.
                Reports: 2024 split over three pages (TRS `t…_7001.html`, `_1`, `_2`: the breaks fall
                before 三、 and 四、), 2023 over two (DedeCMS `88.html`, `88_2.html`), 2022 HTML whose
                PDF copy is served as text/html, 2021 a DOCX behind `/download.do?id=` served as
                application/octet-stream, 2020 HTML, 2019 PDF; 教育局 2024 (a department: its own).
                The list also links 临江市人民政府's 2024 report (the city above: another body's) and
                a 图解 look-alike.  Each split article has 上一篇/下一篇 links to other articles.
"""

from __future__ import annotations

import html
import json
from datetime import date

from tests.portal import render
from tests.portal.content import Item
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
    write_report,
)
from tests.portal.homes import news_items as home_news_items
from tests.portal.seeds import Seed

HOME7_IDS = ("qt-county-gov",)
COLUMN = "/zwgk/ndbg"
CHANNEL = "qtndbg"
PER_PAGE = 3
HTML_PDF_DIR = "/uploadfile/2023"  # files here are served as text/html, whatever their bytes
DOWNLOAD = "/download.do"  # ?id=N: a DOCX from /attach/N.docx, served as application/octet-stream
SCROLL_JS = """<style>#list li{display:block;height:300px;border-bottom:1px solid #ddd}</style><script>
var pg=1,busy=false,more=true;
function load(){ if(busy||!more) return; busy=true;
 fetch('/api/infolist?channel=CHANNEL&page='+pg).then(function(r){return r.json();}).then(function(d){
  var ul=document.getElementById('list');
  d.data.list.forEach(function(it){ var li=document.createElement('li');
   li.innerHTML='<a href="'+it.url+'" target="_blank">'+it.title+'</a><span>'+it.publishDate+'</span>'; ul.appendChild(li); });
  more=d.data.hasMore; pg++; busy=false; document.getElementById('tip').textContent=more?'下拉加载更多':'没有更多了'; check(); });
}
function check(){ var t=document.getElementById('tip'); if(t && t.getBoundingClientRect().top<window.innerHeight+100) load(); }
window.addEventListener('scroll',check);
document.addEventListener('DOMContentLoaded',load);
</script>""".replace("CHANNEL", CHANNEL)


def redirect_stub(title: str, script: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><script type='text/javascript'>{script}</script></body></html>")


def report_parts(record: dict, text: str, pages: int) -> list[str]:
    """The report body cut as the CMS pages it: before 三、, before 四、 (three pages), or before 三、 (two)."""
    before, after = render.split_narrative(text)
    head = lambda h, t: f'<p class="heading"><strong>{h}</strong></p>\n{t}'  # noqa: E731
    two = head("二、主动公开政府信息情况", render.active_table_html(record))
    three = head("三、收到和处理政府信息公开申请情况", render.applications_table_html(record))
    four = head("四、政府信息公开行政复议、行政诉讼情况", render.reviews_table_html(record))
    first = render.narrative_html(before) + "\n" + two
    last = four + "\n" + render.narrative_html(after)
    return [first, three, last] if pages == 3 else [first, three + "\n" + last]


def trs_pager(stem: str, n: int, total: int) -> str:
    name = lambda i: f"{stem}.html" if i == 0 else f"{stem}_{i}.html"  # noqa: E731
    nums = " ".join(f'<span class="cur">{i + 1}</span>' if i == n else f'<a href="{name(i)}">{i + 1}</a>'
                    for i in range(total))
    prev = f'<a href="{name(0)}">首页</a> <a href="{name(max(n - 1, 0))}">上一页</a> ' if n else ""
    nxt = (f'<a href="{name(n + 1)}">下一页</a> <a href="{name(n + 1)}">第{n + 2}页</a> '
           f'<a href="{name(total - 1)}">尾页</a>' if n < total - 1 else "")
    return f'<div class="page">共{total}页 第{n + 1}页 {prev}{nums} {nxt}</div>'


def dede_pager(stem: str, n: int, total: int) -> str:
    name = lambda i: f"{stem}.html" if i == 0 else f"{stem}_{i + 1}.html"  # noqa: E731
    out = [f"<li><a>共{total}页:</a></li>"]
    if n:
        out.append(f'<li><a href="{name(n - 1)}">上一页</a></li>')
    out += [f'<li class="thisclass"><a>{i + 1}</a></li>' if i == n else f'<li><a href="{name(i)}">{i + 1}</a></li>'
            for i in range(total)]
    if n < total - 1:
        out.append(f'<li><a href="{name(n + 1)}">下一页</a></li>')
    return f'<div class="dede_pages"><ul class="pagelist">{"".join(out)}</ul></div>'


def build_qt(w, seeds: list[Seed]) -> None:
    name, place = "青潭县人民政府", "青潭县"
    nav = [("首页", "/portal/index.html"), ("政务公开", "/zwgk/index.html"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "qt-county-gov", name, place, nav=nav)
    site.put_raw("/index.html", redirect_stub(name, "location.href='/portal/index.html';"))
    news = home_news_items(site, "/xwzx/qtyw", NEWS_TITLES, date(2025, 3, 1), "qtyw")
    write_news(site, news, "青潭要闻")
    site.put("/portal/index.html", name, block("青潭要闻", ul(news), "/xwzx/qtyw/index.html")
             + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", "<h2>政务公开</h2><ul>"
             '<li><a href="/zwgk/zn/index.html">政府信息公开指南</a></li>'
             '<li><a href="/zwgk/ndbg.html">政府信息公开年报</a></li></ul>')
    site.put("/zwgk/zn/index.html", "政府信息公开指南", f"<h2>政府信息公开指南</h2><p>{name}政府信息公开指南……</p>")
    site.put_raw("/zwgk/ndbg.html", redirect_stub("政府信息公开年报",
                                                  f'window.location.replace("{COLUMN}/index.html");'))

    years = (2024, 2023, 2022, 2021, 2020, 2019)
    fmts = ("paged3", "paged2", "html+pdf", "docx", "html", "pdf")
    reports = [Report(y, f) for y, f in zip(years, fmts, strict=True)]
    items = report_items(name, reports)
    for k, (r, it) in enumerate(zip(reports, items, strict=True)):
        seed = seeds[k % len(seeds)]
        if r.fmt == "paged3":
            stem = f"t{it.published:%Y%m%d}_7001"
            it.path = f"{COLUMN}/{it.published:%Y%m}/{stem}.html"
            pages = [f"{COLUMN}/{it.published:%Y%m}/{stem}{'' if i == 0 else f'_{i}'}.html" for i in range(3)]
            pager = lambda n, stem=stem: trs_pager(stem, n, 3)  # noqa: E731
        elif r.fmt == "paged2":
            it.path = f"{COLUMN}/{it.published:%Y/%m%d}/88.html"
            pages = [it.path, it.path.replace("88.html", "88_2.html")]
            pager = lambda n: dede_pager("88", n, 2)  # noqa: E731
        else:
            it.path = (f"{DOWNLOAD}?id=7{r.year}" if r.fmt == "docx" else
                       f"{COLUMN}/{it.published:%Y%m}/t{it.published:%Y%m%d}_70{k}.{'pdf' if r.fmt == 'pdf' else 'html'}")
            if r.fmt == "docx":  # the file itself is listed, behind the download servlet
                record = renamed_record(seed, name, r.year)
                w.convert(site.pid, f"/attach/7{r.year}.docx",
                          render.report_html(record, narrative(name, r.year), it.title), "docx")
                it.seed = seed.key
                site.doc(it, agency=name, year=r.year, shape="docx-octet-stream")
                continue
            write_report(site, r, seed, "政府信息公开年报", HTML_PDF_DIR if r.fmt == "html+pdf" else "/uploadfile/2020",
                         shape="pdf-as-text-html" if r.fmt == "html+pdf" else r.fmt)
            continue
        it.seed = seed.key
        record = renamed_record(seed, name, r.year)
        parts = report_parts(record, narrative(name, r.year), len(pages))
        around = ('<div class="pn"><p>上一篇：<a href="/xwzx/qtyw/index.html">青潭要闻</a></p>'
                  f'<p>下一篇：<a href="{COLUMN}/index.html">政府信息公开年报</a></p></div>')
        for n, (path, part) in enumerate(zip(pages, parts, strict=True)):
            page_item = Item(it.title, it.published, path=path)
            site.article(page_item, part + "\n" + pager(n) + around, "政府信息公开年报")
        site.doc(it, agency=name, year=r.year, pages=pages, shape=r.fmt)

    dept = Item("青潭县教育局2024年政府信息公开工作年度报告", date(2025, 1, 22), is_report=True, fmt="html",
                path=f"{COLUMN}/202501/t20250122_7009.html")
    dept_record = renamed_record(seeds[0], "青潭县教育局", 2024)
    dept.seed = seeds[0].key
    site.article(dept, render.report_body_html(dept_record, narrative("青潭县教育局", 2024)), "政府信息公开年报")
    site.doc(dept, agency="青潭县教育局", year=2024, shape="department")

    # the city above: its report is linked from the county's list, but it is 临江市人民政府's
    upper = Item("临江市人民政府2024年政府信息公开工作年度报告", date(2025, 1, 10), path="/sjzf/t20250110_1.html")
    upper_record = renamed_record(seeds[1 % len(seeds)], "临江市人民政府", 2024)
    site.article(upper, render.report_body_html(upper_record, narrative("临江市人民政府", 2024)), "上级政府年报")
    site.doc(upper, other_body=True)
    look = Item(f"图解：{name}2024年政府信息公开工作年度报告", date(2025, 1, 16), path=f"{COLUMN}/202501/t20250116_7008.html",
                body="一图读懂")
    site.article(look, f"<p>{html.escape(look.title)}</p><p><img src='/images/tj2024.png' alt='图解'></p>",
                 "政府信息公开年报")
    site.doc(look)

    listed = [*items[:2], look, dept, upper, *items[2:]]
    entries = [{"title": it.title, "url": it.path, "publishDate": f"{it.published:%Y-%m-%d}"} for it in listed]
    for n in range(0, len(entries), PER_PAGE):
        body = {"code": 0, "data": {"list": entries[n:n + PER_PAGE], "total": len(entries),
                                    "pageNo": n // PER_PAGE + 1, "hasMore": n + PER_PAGE < len(entries)}}
        site.put_raw(f"/api/infolist/{CHANNEL}_{n // PER_PAGE + 1}.json", json.dumps(body, ensure_ascii=False))
    site.put(f"{COLUMN}/index.html", "政府信息公开年报",
             '<h2>政府信息公开年报</h2><ul id="list" class="list"></ul><div id="tip">下拉加载更多</div>', head=SCROLL_JS)


def build_homes7(w, seeds: dict[str, Seed]) -> None:
    build_qt(w, [seeds[k] for k in sorted(seeds)])


def answer7(replica, portal, path: str, query: str, headers):
    """Files as some servers send them: a PDF under text/html, a DOCX from a servlet as octet-stream."""
    from urllib.parse import parse_qs

    from tests.portal.server import Response

    if path.startswith(HTML_PDF_DIR + "/"):
        resp = replica.static(portal, path, headers)
        resp.headers = [(k, "text/html; charset=utf-8" if k == "Content-Type" else v) for k, v in resp.headers]
        return resp
    if path == DOWNLOAD:
        number = (parse_qs(query).get("id") or [""])[0]
        if not number.isdigit():
            return Response(404, b"", [("Content-Type", "text/html; charset=utf-8")])
        resp = replica.static(portal, f"/attach/{number}.docx", headers)
        resp.headers = [(k, "application/octet-stream" if k == "Content-Type" else v) for k, v in resp.headers]
        if resp.status == 200:
            resp.headers.append(("Content-Disposition", f'attachment; filename="{number}.docx"'))
        return resp
    return None
