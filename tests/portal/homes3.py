"""Two more portals entered at their home page (opt-in with the others, `Replica.start(homes=True)`),
shapes a third set of blind test portals showed the generic spider missing:

- hs-slt        海山省水利厅: the 年报 list links open online file viewers: pdf.js
                `/pdfjs/web/viewer.html?file=%2Fuploadfile%2F….pdf`, kkFileView
                `/kkfile/onlinePreview?url=<base64 of the file's absolute URL>` (a page that only
                iframes pdf.js), an article that only holds `<iframe src=viewer.html?file=…>`, and an
                article whose "点击查看" opens the viewer.  Look-alikes sit behind viewers too.
- jx-county-gov 静溪县人民政府 on its www host; its 政府信息公开 lives on the sibling host
                `jx-xxgk` (127.0.0.2), which the registry lists in allowed_domains.  The xxgk 年报
                page lists the county's reports; a 年报汇总 table has cells reading only "查看" or
                the bare year, two of which link straight to a department's PDF.

- yq-county-gov 玉泉县人民政府: a Vue-style single-page app under /zwgk/ (every path there answers
                the same shell).  The menu is `<div class="menu-item" data-href>`, the 年报 list's rows
                are `<div class="news-item" data-id>` with click handlers (no `<a>` at all), the pager
                is `<button>下一页</button>`, and each detail page /zwgk/detail/{id} is drawn from
                `/prod-api/portal/article/{id}`; its attachment links are the only real `<a>`.

Links that need the live address (kkFileView's absolute URL, www → xxgk) are written as
`{{base:PORTAL}}` / `{{kk:PATH}}` and filled in when served (`answer3`).
"""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import date
from urllib.parse import parse_qs, quote

from tests.portal import render
from tests.portal.content import Item, stable_int
from tests.portal.homes import (
    NEWS_TITLES,
    HomeSite,
    Report,
    block,
    home_furniture,
    lookalike_column,
    lookalikes,
    narrative,
    news_items,
    renamed_record,
    report_items,
    ul,
    write_news,
    write_report,
)
from tests.portal.seeds import Seed

HOME3_IDS = ("hs-slt", "jx-county-gov", "jx-xxgk", "yq-county-gov")
ROBOTS = "User-agent: *\nDisallow: /admin/\nAllow: /\n"
PLACEHOLDER_RE = re.compile(rb"\{\{(base|kk):([^}]+)\}\}")


def viewer(path: str) -> str:
    return "/pdfjs/web/viewer.html?file=" + quote(path, safe="")


def kk(path: str) -> str:
    return "/kkfile/onlinePreview?url={{kk:" + path + "}}"


def dated(items: list[tuple[str, str, date]]) -> str:
    return '<ul class="list">' + "".join(
        f'<li><a href="{h}" target="_blank">{html.escape(t)}</a><span>{d:%Y-%m-%d}</span></li>' for h, t, d in items) + "</ul>"


def file_report(site: HomeSite, r: Report, seed: Seed, path: str) -> None:
    """A report published only as its file (the list links a viewer on it)."""
    r.item.path = path
    record = renamed_record(seed, site.name, r.year)
    r.item.seed = seed.key
    site.w.convert(site.pid, path, render.report_html(record, narrative(site.name, r.year), r.item.title), "pdf")
    site.doc(r.item, agency=site.name, year=r.year)


def framed_report(site: HomeSite, r: Report, seed: Seed, column: str, file_path: str, body: str) -> None:
    """An article page with no report text, only a frame or link onto the viewer: its file is the text."""
    record = renamed_record(seed, site.name, r.year)
    r.item.seed = seed.key
    r.item.attachment = file_path
    site.w.convert(site.pid, file_path, render.report_html(record, narrative(site.name, r.year), r.item.title), "pdf")
    site.article(r.item, body, column)
    site.doc(r.item, agency=site.name, year=r.year)


def build_hs(w, seeds: list[Seed]) -> None:
    name, place = "海山省水利厅", "海山省"
    nav = [("首页", "/"), ("机构概况", "/jggk/index.html"), ("政务公开", "/zwgk/index.html"),
           ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "hs-slt", name, place, nav=nav)
    col, up = "/zwgk/ndbg", "/uploadfile"
    news = news_items(site, "/xwzx/slyw", NEWS_TITLES, date(2025, 3, 1), "hsyw")
    write_news(site, news, "水利要闻")
    site.put("/index.html", name, block("水利要闻", ul(news), "/xwzx/slyw/index.html") + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", '<div class="left"><h3>政务公开</h3><ul>'
             f'<li><a href="/zwgk/zn/index.html">政府信息公开指南</a></li><li><a href="{col}/index.html">政府信息公开年报</a></li>'
             "</ul></div>" + block("水利要闻", ul(news[:5])))
    looks = lookalikes(name, place)
    lookalike_column(site, "/zwgk/zn/", "政府信息公开指南", looks["指南"], date(2025, 2, 10))
    reports = [Report(2024, "pdf"), Report(2023, "pdf"), Report(2022, "html+pdf"), Report(2021),
               Report(2020, "html+pdf"), Report(2019, "html+pdf")]
    items = report_items(name, reports)
    links = []
    for k, (r, it) in enumerate(zip(reports, items, strict=True)):
        seed = seeds[k % len(seeds)]
        file_path = f"{up}/{it.published:%Y%m}/{it.published:%Y%m%d}{stable_int(it.title, 6):06d}.pdf"
        if r.year == 2024:  # pdf.js viewer straight from the list
            file_report(site, r, seed, file_path)
            links.append((viewer(file_path), it.title, it.published))
            continue
        if r.year == 2023:  # kkFileView: base64 of the absolute URL
            file_report(site, r, seed, file_path)
            links.append((kk(file_path), it.title, it.published))
            continue
        it.path = f"{col}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 6)}.html"
        links.append((it.path, it.title, it.published))
        if r.year == 2022:
            framed_report(site, r, seed, "政府信息公开年报", file_path,
                          f"<iframe src='{viewer(file_path)}' width='100%' height='900'></iframe>")
        elif r.year == 2020:
            framed_report(site, r, seed, "政府信息公开年报", file_path,
                          f"<p>{html.escape(it.title)}，<a href='{viewer(file_path)}#page=1' target='_blank'>点击查看</a></p>")
        else:  # 2021 a plain page, 2019 a page with its PDF
            write_report(site, r, seed, "政府信息公开年报", f"{up}/{it.published:%Y%m}")
    for title, d, how in ((f"{name}2024年法治政府建设年度报告", date(2025, 3, 1), viewer),
                          (f"{name}政府信息公开指南", date(2023, 5, 1), kk),
                          (f"{name}2024年部门决算", date(2025, 8, 1), viewer)):
        path = f"{up}/{d:%Y%m}/x{stable_int(title, 6)}.pdf"
        site.w.convert(site.pid, path, f"<html><body><h1>{html.escape(title)}</h1><p>{html.escape(title)}。</p></body></html>",
                       "pdf")
        links.append((how(path), title, d))
    links.sort(key=lambda x: x[2], reverse=True)
    per = 6
    pages = [links[i:i + per] for i in range(0, len(links), per)]
    for n, chunk in enumerate(pages, start=1):
        nxt = f' <a href="index_{n + 1}.html">下一页</a>' if n < len(pages) else ""
        site.put(f"{col}/{'index.html' if n == 1 else f'index_{n}.html'}", "政府信息公开年报",
                 f"<h2>政府信息公开年报</h2>{dated(chunk)}<div class='page'>{nxt}</div>")
    site.put("/pdfjs/web/viewer.html", "PDF.js viewer", "<div id='viewerContainer'></div><script>var f=new URLSearchParams("
             "location.search).get('file');fetch(f).then(r=>r.arrayBuffer()).then(b=>{document.getElementById("
             "'viewerContainer').textContent='PDF '+b.byteLength;});</script>")
    site.put_raw("/robots.txt", ROBOTS)


def build_jx(w, seeds: list[Seed]) -> None:
    name, place = "静溪县人民政府", "静溪县"
    xxgk = "{{base:jx-xxgk}}"
    nav = [("首页", "/"), ("走进静溪", "/zjjx/index.html"), ("政府信息公开", f"{xxgk}/"), ("互动交流", "/hdjl/index.html")]
    www = HomeSite(w, "jx-county-gov", name, place, nav=nav)
    news = news_items(www, "/xwzx/jxyw", NEWS_TITLES, date(2025, 3, 1), "jxyw")
    write_news(www, news, "静溪要闻")
    www.put("/index.html", name, block("静溪要闻", ul(news), "/xwzx/jxyw/index.html")
            + f"<div class='blk'><h2>政务公开</h2><a href='{xxgk}/'>政府信息公开平台</a></div>" + home_furniture(www, "/bm/"))
    www.put_raw("/robots.txt", ROBOTS)
    xnav = [("静溪县人民政府", "{{base:jx-county-gov}}/"), ("信息公开首页", "/"), ("指南", "/zn/index.html"),
            ("年报", "/ndbg/index.html")]
    x = HomeSite(w, "jx-xxgk", name, place, nav=xnav)
    x.put("/index.html", "政府信息公开", "<div class='blk'><a href='/zn/index.html'>政府信息公开指南</a> "
          "<a href='/ndbg/index.html'>政府信息公开年报</a></div>" + block("最新信息", ul(news[:6])))
    lookalike_column(x, "/zn/", "政府信息公开指南", lookalikes(name, place)["指南"], date(2025, 2, 10))
    reports = [Report(2024), Report(2023, "html+pdf"), Report(2022), Report(2021), Report(2020), Report(2019)]
    items = report_items(name, reports)
    for k, (r, it) in enumerate(zip(reports, items, strict=True)):
        it.path = f"/ndbg/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 6)}.html"
        write_report(x, r, seeds[k % len(seeds)], "政府信息公开年报", f"/ndbg/{it.published:%Y%m}")
    # the departments' reports, in a summary table whose cells read only "查看" or the year
    depts = [("静溪县教育局", "jyj"), ("静溪县财政局", "czj")]
    cells: dict[tuple[str, int], str] = {}
    for agency, code in depts:
        for year in (2024, 2023):
            title = f"{agency}{year}年政府信息公开工作年度报告"
            it = Item(title, date(year + 1, 1, 25), is_report=True, seed="", fmt="pdf" if code == "czj" else "html")
            record = renamed_record(seeds[0], agency, year)
            it.seed = seeds[0].key
            if code == "czj":
                it.path = f"/uploadfiles/bm/{code}/{year}nb.pdf"
                x.w.convert(x.pid, it.path, render.report_html(record, narrative(agency, year), title), "pdf")
            else:
                it.path = f"/bm/{code}/ndbg/t{year + 1}0125_{stable_int(title, 5)}.html"
                x.article(it, render.report_body_html(record, narrative(agency, year)), "政府信息公开年报")
            x.doc(it, agency=agency, year=year, department=True)
            cells[(code, year)] = it.path
    rows = "".join(f"<tr><td>{agency}</td>" + "".join(
        f"<td><a href='{cells[(code, y)]}' target='_blank'>{'查看' if code == 'jyj' else y}</a></td>" for y in (2024, 2023))
        + "</tr>" for agency, code in depts)
    lis = "".join(f'<li><a href="{it.path}">{html.escape(it.title)}</a><span>{it.published:%Y-%m-%d}</span></li>'
                  for it in items)
    x.put("/ndbg/index.html", "政府信息公开年报", f"<h2>政府信息公开年报</h2><ul class='list'>{lis}</ul>"
          "<p><a href='/ndbg/hz.html'>县直部门年报汇总</a></p>")
    x.put("/ndbg/hz.html", "年报汇总", "<h2>县直部门政府信息公开工作年度报告汇总</h2><table border='1'><tr><th>单位</th>"
          f"<th>2024年度</th><th>2023年度</th></tr>{rows}</table>")
    x.put_raw("/robots.txt", ROBOTS)


SPA = r"""<div id="app"><div class="loading">加载中…</div></div>
<script>
function go(p) { history.pushState({}, '', p); render(); }
window.addEventListener('popstate', render);
function esc(s) { return s.replace(/[&<>]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;'}[c]; }); }
function render() {
  var p = location.pathname, app = document.getElementById('app'), m;
  if (p === '/zwgk/' || p === '/zwgk/index.html') {
    fetch('/prod-api/portal/channel/tree').then(function (r) { return r.json(); }).then(function (d) {
      app.innerHTML = '<div class="menu">' + d.data.map(function (c) {
        return '<div class="menu-item" data-href="/zwgk/channel/' + c.code + '">' + esc(c.name) + '</div>'; }).join('') + '</div>';
      document.querySelectorAll('.menu-item').forEach(function (e) {
        e.addEventListener('click', function () { go(e.dataset.href); }); });
    });
  } else if ((m = p.match(/^\/zwgk\/channel\/(\w+)/))) {
    var code = m[1], pg = parseInt(new URLSearchParams(location.search).get('pageNum') || '1');
    fetch('/prod-api/portal/article/list?channelCode=' + code + '&pageNum=' + pg).then(function (r) { return r.json(); })
    .then(function (d) {
      app.innerHTML = '<div class="crumb">政务公开 &gt; ' + esc(d.channelName) + '</div><div class="list">' +
        d.rows.map(function (a) { return '<div class="news-item" data-id="' + a.id + '"><span class="t">' + esc(a.title) +
          '</span><span class="d">' + a.publishTime + '</span></div>'; }).join('') +
        '</div><div class="pagination"><button class="btn-prev"' + (pg <= 1 ? ' disabled' : '') + '>上一页</button><span>' +
        pg + '/' + d.pages + '</span><button class="btn-next"' + (pg >= d.pages ? ' disabled' : '') + '>下一页</button></div>';
      document.querySelectorAll('.news-item').forEach(function (e) {
        e.addEventListener('click', function () { go('/zwgk/detail/' + e.dataset.id); }); });
      document.querySelector('.btn-next').addEventListener('click', function () { go('/zwgk/channel/' + code + '?pageNum=' + (pg + 1)); });
      document.querySelector('.btn-prev').addEventListener('click', function () { go('/zwgk/channel/' + code + '?pageNum=' + (pg - 1)); });
    });
  } else if ((m = p.match(/^\/zwgk\/detail\/(\d+)/))) {
    fetch('/prod-api/portal/article/' + m[1]).then(function (r) { return r.json(); }).then(function (d) {
      var a = d.data; document.title = a.title;
      app.innerHTML = '<h1>' + esc(a.title) + '</h1><div class="info">发布时间：' + a.publishTime + '</div><div class="content">' +
        a.content + '</div>' + a.files.map(function (f) {
          return '<p class="files">附件：<a href="' + f.url + '" download>' + esc(f.name) + '</a></p>'; }).join('');
    });
  } else { app.innerHTML = '<p>页面不存在</p>'; }
}
render();
</script>"""


def build_yq(w, seeds: list[Seed]) -> None:
    name, place = "玉泉县人民政府", "玉泉县"
    nav = [("首页", "/"), ("走进玉泉", "/zjyq/index.html"), ("政务公开", "/zwgk/"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "yq-county-gov", name, place, nav=nav)
    news = news_items(site, "/xwzx/yqyw", NEWS_TITLES, date(2025, 3, 1), "yqyw")
    write_news(site, news, "玉泉要闻")
    site.put("/index.html", name, block("玉泉要闻", ul(news), "/xwzx/yqyw/index.html")
             + "<div class='blk'><h2>政务公开</h2><a href='/zwgk/'>政府信息公开</a></div>" + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", SPA)
    chans = [("xxgkzn", "政府信息公开指南"), ("ndbg", "政府信息公开年度报告"), ("czyjs", "财政预决算"), ("tzgg", "通知公告")]
    site.put_raw("/prod-api/portal/channel/tree.json",
                 json.dumps({"code": 200, "data": [{"code": c, "name": n} for c, n in chans]}, ensure_ascii=False))
    rows: dict[str, list[dict]] = {c: [] for c, _ in chans}
    ids = [7000]

    def article(chan: str, title: str, published: date, content: str, files: list[dict]) -> str:
        ids[0] += 7
        site.put_raw(f"/prod-api/portal/article/{ids[0]}.json", json.dumps({"code": 200, "data": {
            "id": ids[0], "title": title, "publishTime": f"{published:%Y-%m-%d}", "content": content, "files": files}},
            ensure_ascii=False))
        rows[chan].append({"id": ids[0], "title": title, "publishTime": f"{published:%Y-%m-%d}"})
        return f"/zwgk/detail/{ids[0]}"

    reports = [Report(2024), Report(2023, "html+pdf"), Report(2022, "pdf"), Report(2021), Report(2020, "docx"), Report(2019)]
    for k, (r, it) in enumerate(zip(reports, report_items(name, reports), strict=True)):
        seed = seeds[k % len(seeds)]
        record = renamed_record(seed, name, r.year)
        it.seed = seed.key
        content, files = render.report_body_html(record, narrative(name, r.year)), []
        if r.fmt != "html":
            ext = "docx" if r.fmt == "docx" else "pdf"
            it.attachment = f"/prod-api/profile/upload/{it.published:%Y/%m/%d}/{r.year}nb_{stable_int(it.title, 6)}.{ext}"
            site.w.convert(site.pid, it.attachment, render.report_html(record, narrative(name, r.year), it.title), ext)
            files = [{"name": f"{it.title}.{ext}", "url": it.attachment}]
            if r.fmt != "html+pdf":
                content = "<p>详见附件。</p>"
        it.fmt = r.fmt if r.fmt != "pdf" else "pdf-only"
        it.path = article("ndbg", it.title, it.published, content, files)
        site.doc(it, agency=name, year=r.year)
    for title, d in ((f"一图读懂{place}2024年政府信息公开工作年度报告", date(2025, 1, 28)),
                     (f"{name}2024年法治政府建设年度报告", date(2025, 2, 10)),
                     (f"关于{place}2021年政府信息公开工作年度报告的更正说明", date(2022, 4, 1))):
        it = Item(title, d, body="非年度报告。")
        it.path = article("ndbg", title, d, f"<p>{html.escape(title)}……</p>", [])
        site.doc(it)
    for c, n in chans:
        if c != "ndbg":
            for j in range(3):
                article(c, f"{place}{n}（{j + 1}）", date(2025, 3, 1), "<p>……</p>", [])
    per = 6
    for c, n in chans:
        listed = sorted(rows[c], key=lambda r: r["publishTime"], reverse=True)
        pages = max(1, -(-len(listed) // per))
        for pg in range(1, pages + 1):
            site.put_raw(f"/prod-api/portal/article/list/{c}_{pg}.json", json.dumps(
                {"code": 200, "total": len(listed), "pages": pages, "channelName": n,
                 "rows": listed[(pg - 1) * per: pg * per]}, ensure_ascii=False))
    site.put_raw("/robots.txt", ROBOTS)


def spa_answer(replica, portal, path: str, query: str, headers):
    """The SPA's history fallback (every /zwgk/ path is the shell) and its JSON API."""
    params = parse_qs(query)
    if path.startswith("/zwgk/"):
        return replica.static(portal, "/zwgk/index.html", headers)
    if path == "/prod-api/portal/channel/tree":
        return replica.static(portal, path + ".json", headers)
    if path == "/prod-api/portal/article/list":
        code, page = (params.get("channelCode") or [""])[0], (params.get("pageNum") or ["1"])[0]
        if not (code.isalnum() and page.isdigit()):
            return None
        return replica.static(portal, f"/prod-api/portal/article/list/{code}_{int(page)}.json", headers)
    if re.fullmatch(r"/prod-api/portal/article/\d+", path):
        return replica.static(portal, path + ".json", headers)
    return None


def build_homes3(w, seeds: dict[str, Seed]) -> None:
    ordered = [seeds[k] for k in sorted(seeds)]
    build_hs(w, ordered)
    build_jx(w, ordered)
    build_yq(w, ordered)


def answer3(replica, portal, path: str, query: str, headers):
    """kkFileView's preview page, and the live addresses in pages that name another portal or
    kkFileView's base64 file URL (None: not ours)."""
    from tests.portal.server import Response

    if portal.id == "yq-county-gov":
        return spa_answer(replica, portal, path, query, headers)
    if portal.id == "hs-slt" and path == "/kkfile/onlinePreview":
        raw = (parse_qs(query).get("url") or [""])[0]
        try:
            target = base64.b64decode(raw).decode()
        except ValueError:
            return Response(400, b"", [("Content-Type", "text/html; charset=utf-8")])
        page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>kkFileView</title></head><body>"
                f"<iframe src='{viewer(target)}' width='100%' height='100%' frameborder='0'></iframe></body></html>")
        return Response(200, page.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
    resp = replica.static(portal, path, headers)
    if resp.status != 200 or b"{{" not in resp.body:
        return resp

    def fill(m: re.Match) -> bytes:
        kind, arg = m.group(1).decode(), m.group(2).decode()
        if kind == "base":
            return replica.base_url(arg).encode()
        return quote(base64.b64encode((replica.base_url(portal.id) + arg).encode()).decode(), safe="").encode()

    ctype = [(k, v) for k, v in resp.headers if k == "Content-Type"]
    return Response(200, PLACEHOLDER_RE.sub(fill, resp.body), ctype)
