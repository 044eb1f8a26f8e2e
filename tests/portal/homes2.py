"""Two more portals entered at their home page (opt-in with the others, `Replica.start(homes=True)`),
shapes the blind test portals showed the generic spider missing:

- nh-prov-gov    南湖省人民政府: the 年报 column is a hub of three sub-columns (省政府 / 省政府部门 /
                 市（州）政府), each shown by its newest two items and a "更多>>" (Guangdong/Hunan
                 style).  The sub-column pages name no report in their title, and every one of them
                 has a second page (index_2.html) holding a report.
- lc-county-gov  澜川县人民政府 (GBK): the 政府信息公开 栏目 links and the 年报 list's items are
                 `href="javascript:void(0)" onclick="window.open('…')"`; the default list shows the
                 last three years, older ones only through a `<select onchange="location.href=…">`
                 year filter, whose lists are tables with a bare "下载" link beside the title.
"""

from __future__ import annotations

import html
from datetime import date

from tests.portal.content import Item, stable_int
from tests.portal.homes import (
    NEWS_TITLES,
    POLICY_TITLES,
    HomeSite,
    Report,
    block,
    home_furniture,
    lookalike_column,
    lookalikes,
    news_items,
    report_items,
    ul,
    write_news,
    write_report,
)
from tests.portal.seeds import Seed

HOME2_IDS = ("nh-prov-gov", "lc-county-gov")
ROBOTS = "User-agent: *\nDisallow: /admin/\nAllow: /\n"


def dated_list(items: list[Item]) -> str:
    return "<ul class=\"list\">" + "".join(
        f'<li><a href="{it.path}" target="_blank" title="{html.escape(it.title)}">{html.escape(it.title)}</a>'
        f"<span>{it.published:%Y-%m-%d}</span></li>" for it in items) + "</ul>"


def pager(n: int, pages: int) -> str:
    name = lambda k: "index.html" if k == 1 else f"index_{k}.html"  # noqa: E731
    links = " ".join(f'<a href="{name(k)}">{k}</a>' for k in range(1, pages + 1))
    nxt = f' <a href="{name(n + 1)}">下一页</a>' if n < pages else ""
    return f'<div class="page">共{pages}页 {links}{nxt}</div>'


def build_nh(w, seeds: list[Seed]) -> None:
    """A 年报 hub whose sub-columns are reached only by tabs and 更多>> links naming no report."""
    name, place = "南湖省人民政府", "南湖省"
    nav = [("首页", "/"), ("政务公开", "/zwgk/index.html"), ("政务服务", "https://www.hnzwfw.gov.cn/"),
           ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "nh-prov-gov", name, place, nav=nav)
    gk, hub = "/zwgk/zfxxgkzl", "/zwgk/zfxxgkzl/xxgknb"
    news = news_items(site, "/xwzx/ywdt", NEWS_TITLES, date(2025, 3, 1), "nhyw")
    write_news(site, news, "要闻动态")
    site.put("/index.html", name, block("要闻动态", ul(news), "/xwzx/ywdt/index.html") + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", '<div class="left"><h3>政务公开</h3><ul>'
             f'<li><a href="{gk}/index.html">政府信息公开专栏</a></li><li><a href="/zwgk/zcjd/index.html">政策解读</a></li>'
             "</ul></div>" + block("要闻动态", ul(news[:5])))
    menu = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("政府信息公开指南", f"{gk}/zn/index.html"), ("政府信息公开制度", f"{gk}/zd/index.html"),
        ("政府信息公开年报", f"{hub}/index.html"), ("依申请公开", "/hdjl/ysqgk/index.html")))
    left = f'<div class="left"><ul>{menu}</ul></div>'
    site.put(f"{gk}/index.html", "政府信息公开专栏", left + block("最新公开", ul(news[:4])))
    looks = lookalikes(name, place)
    for sub, column, key in (("zn", "政府信息公开指南", "指南"), ("zd", "政府信息公开制度", "制度")):
        lookalike_column(site, f"{gk}/{sub}/", column, looks[key], date(2025, 2, 10))
    # the sub-columns: (dir, name, [(report agency, Report) or look-alike title], items per page 2)
    szf = report_items(name, reports := [Report(2024, "html+pdf"), Report(2023), Report(2022), Report(2021)])
    sbm = report_items("南湖省教育厅", sbm_reports := [Report(2020)])
    ssz = report_items("湖城市人民政府", ssz_reports := [Report(2019)])
    look = {t: Item(t, d, body="非年度报告。") for t, d in (
        (f"图解：{name}2024年政府信息公开工作年度报告", date(2025, 2, 1)),
        ("南湖省统计局2024年统计年报", date(2025, 2, 3)), ("南湖省财政厅2024年部门决算", date(2025, 2, 2)),
        ("湖城市2024年政府信息公开工作年度报告解读", date(2025, 2, 4)),
        ("云江市人民政府2024年法治政府建设年度报告", date(2025, 2, 1)))}
    lk = list(look.values())
    columns = [("szf", "省政府", [lk[0], szf[0], szf[1], szf[2], szf[3]]),
               ("sbm", "省政府部门", [lk[1], lk[2], sbm[0]]),
               ("ssz", "市（州）政府", [lk[3], lk[4], ssz[0]])]
    tabs = " ".join(f'<a href="{hub}/{d}/">{n}</a>' for d, n, _ in columns)
    blocks = ""
    for d, n, items in columns:
        for it in items:
            it.path = f"{hub}/{d}/content/post_{stable_int(it.title, 7)}.html"
        per = 2
        pages = [items[i:i + per] for i in range(0, len(items), per)]
        for k, chunk in enumerate(pages, start=1):
            body = (f'<div class="crumb"><a href="/">首页</a> &gt; <a href="{hub}/index.html">政府信息公开年报</a> &gt; {n}</div>'
                    f'<div class="tabs">{tabs}</div><h2>{n}</h2>{dated_list(chunk)}{pager(k, len(pages))}')
            site.put(f"{hub}/{d}/{'index.html' if k == 1 else f'index_{k}.html'}", n, left + body)
        blocks += (f'<div class="blk"><h3>{n}</h3>{dated_list(items[:2])}'
                   f'<a class="more" href="{hub}/{d}/">更多&gt;&gt;</a></div>')
    site.put(f"{hub}/index.html", "政府信息公开年报",
             left + f'<div class="right"><h2>政府信息公开年报</h2><div class="tabs">{tabs}</div>{blocks}</div>')
    for r, seed in zip(reports + sbm_reports + ssz_reports, seeds * 2, strict=False):
        write_report(site, r, seed, "政府信息公开年报", r.item.path.rsplit("/", 1)[0])
    for it in look.values():
        site.article(it, f"<p>{html.escape(it.body)}</p>", "政府信息公开年报")
        site.doc(it)
    site.put_raw("/robots.txt", ROBOTS)


def onclick(path: str, text: str) -> str:
    return (f'<a href="javascript:void(0)" onclick="window.open(\'{path}\',\'_blank\')">'
            f"{html.escape(text)}</a>")


def build_lc(w, seeds: list[Seed]) -> None:
    """Links without a real href (onclick window.open), a <select> year filter, and "下载" rows."""
    name, place = "澜川县人民政府", "澜川县"
    nav = [("首页", "/"), ("政务公开", "/zwgk/index.html"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "lc-county-gov", name, place, charset="gb2312", nav=nav)
    col = "/zwgk/ndbg"
    news = news_items(site, "/xwzx/lcyw", NEWS_TITLES, date(2025, 3, 1), "lcyw")
    policy = news_items(site, "/zwgk/zcwj", POLICY_TITLES, date(2025, 2, 20), "lczc")
    write_news(site, news, "澜川要闻")
    write_news(site, policy, "政策文件")
    site.put("/index.html", name, block("澜川要闻", ul(news), "/xwzx/lcyw/index.html") + home_furniture(site, "/bm/"))
    menu = "".join(f"<li>{onclick(h, t)}</li>" for t, h in (
        ("政府信息公开指南", "/zwgk/zn/index.html"), ("财政预决算", "/zwgk/czyjs/index.html"),
        ("政府信息公开年度报告", f"{col}/index.html"), ("政务公开工作要点", "/zwgk/gzyd/index.html")))
    lm = f'<div class="lm"><h3>栏目导航</h3><ul>{menu}</ul></div>'
    site.put("/zwgk/index.html", "政务公开", lm + block("政策文件", ul(policy)))
    looks = lookalikes(name, place)
    for sub, column, key in (("zn", "政府信息公开指南", "指南"), ("czyjs", "财政预决算", "预决算")):
        lookalike_column(site, f"/zwgk/{sub}/", column, looks[key], date(2025, 2, 10))
    reports = [Report(2024), Report(2023, "html+pdf"), Report(2022), Report(2021, "pdf"), Report(2020), Report(2019, "pdf")]
    items = report_items(name, reports)
    for it in items:
        ext = "pdf" if it.fmt == "pdf" else "html"
        it.path = f"{col}/{it.published:%Y%m}/{stable_int(it.title, 4)}.{ext}" if ext == "html" else \
            f"/uploadfile/{it.published:%Y/%m%d}/{it.published:%Y%m%d}{stable_int(it.title, 6):06d}.pdf"
    extra = [Item(f"{place}2024年政府信息公开工作年度报告解读", date(2025, 2, 1), body="解读年度报告。"),
             Item(f"{name}办公室关于报送2023年度政府信息公开工作年度报告的通知", date(2024, 1, 5), body="请按时报送。")]
    for it in extra:
        it.path = f"{col}/{it.published:%Y%m}/{stable_int(it.title, 4)}.html"
    years = [2021, 2020, 2019]
    select = ("<select onchange=\"if(this.value){window.location.href=this.value;}\"><option value=''>按年份筛选</option>"
              + "".join(f"<option value='{col}/list_{y}.html'>{y}年</option>" for y in years) + "</select>")
    first = [items[0], extra[0], items[1], extra[1], items[2]]
    lis = "".join(f"<li>{onclick(it.path, it.title)}<span>{it.published:%Y-%m-%d}</span></li>" for it in first)
    site.put(f"{col}/index.html", "政府信息公开年度报告", lm + f'<div class="right"><h2>政府信息公开年度报告</h2>{select}'
             f'<ul class="list">{lis}</ul><p>更早年度请使用年份筛选</p></div>')
    for y, it in zip(years, items[3:], strict=True):
        cell = f"<a href='{it.path}'>下载</a>" if it.fmt == "pdf" else onclick(it.path, "查看")
        row = f"<tr><td>1</td><td>{html.escape(it.title)}</td><td>{it.published:%Y-%m-%d}</td><td>{cell}</td></tr>"
        site.put(f"{col}/list_{y}.html", f"政府信息公开年度报告 {y}年", lm + f'<div class="right"><h2>{y}年</h2>{select}'
                 f"<table><tr><th>序号</th><th>名称</th><th>发布日期</th><th>操作</th></tr>{row}</table></div>")
    for r, seed in zip(reports, seeds[1:] * 2, strict=False):
        write_report(site, r, seed, "政府信息公开年度报告", f"/uploadfile/{r.item.published:%Y/%m%d}")
    for it in extra:
        site.article(it, f"<p>{html.escape(it.body)}</p>", "政府信息公开年度报告")
        site.doc(it)
    site.put_raw("/robots.txt", ROBOTS)


def build_homes2(w, seeds: dict[str, Seed]) -> None:
    ordered = [seeds[k] for k in sorted(seeds)]
    build_nh(w, ordered)
    build_lc(w, ordered)
