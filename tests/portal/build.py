"""Generate tests/portal/site/ from the seed reports: `python -m tests.portal.build`.

Output is deterministic.  PDF/DOCX files come from LibreOffice and embed a
creation time, so they are only reconverted when the HTML they come from
changes (its hash is kept in manifest.json); pass --force to redo them.
"""

from __future__ import annotations

import argparse
import calendar
import copy
import hashlib
import html
import json
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from tests.portal import render
from tests.portal.content import Item, column_items, stable_hex, stable_int
from tests.portal.homes import build_homes
from tests.portal.homes2 import build_homes2
from tests.portal.homes3 import build_homes3
from tests.portal.homes4 import build_homes4
from tests.portal.homes5 import build_homes5
from tests.portal.homes6 import build_homes6
from tests.portal.homes7 import build_homes7
from tests.portal.homes8 import build_homes8
from tests.portal.portals import BY_ID, HANWEB_COLUMN, HANWEB_PERPAGE, HANWEB_UNIT, SD_CHANGLE, SD_LIAOCHENG
from tests.portal.seeds import Seed, load_seeds

SITE = Path(__file__).resolve().parent / "site"
MANIFEST = SITE / "manifest.json"
FAULT_REPORT_VERSIONED = "/nianbao/2024/t20250124_qsgaj.html"


# ----------------------------------------------------------------------------- page chrome

def page(portal_id: str, title: str, body: str, *, head: str = "", charset: str = "utf-8") -> str:
    name = BY_ID[portal_id].name
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{html.escape(title)}</title>
{head}</head>
<body>
<div class="header"><a href="/">{html.escape(name)}</a>
 <span class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a></span></div>
<div class="main">
{body}
</div>
<div class="footer">主办单位：{html.escape(name)}　网站标识码：3715000001　<a href="/admin/">后台管理</a></div>
</body>
</html>
"""


def paragraphs(text: str) -> str:
    return "\n".join(f"<p>{html.escape(t)}</p>" for t in text.splitlines() if t.strip())


def article(portal_id: str, item: Item, body: str, *, charset: str = "utf-8", meta: str = "") -> str:
    head = (f'<meta name="ArticleTitle" content="{html.escape(item.title)}">\n'
            f'<meta name="PubDate" content="{item.published:%Y-%m-%d} 09:30">\n{meta}')
    inner = (f'<div class="article"><h1 class="title">{html.escape(item.title)}</h1>\n'
             f'<div class="info">发布时间：{item.published:%Y-%m-%d}　来源：{html.escape(BY_ID[portal_id].name)}</div>\n'
             f'<div class="content" id="zoom">\n{body}\n</div></div>')
    return page(portal_id, item.title, inner, head=head, charset=charset)


class Writer:
    """Collects files to write and documents for the manifest."""

    def __init__(self, root: Path, old_manifest: dict, force: bool):
        self.root = root
        self.files: dict[str, bytes] = {}
        self.docs: dict[str, list[dict]] = {}
        self.conversions: dict[str, str] = {}
        self.old_conversions = old_manifest.get("conversions", {})
        self.old_root = SITE
        self.force = force

    def put(self, portal_id: str, path: str, data: str | bytes, charset: str = "utf-8") -> None:
        raw = data.encode(charset) if isinstance(data, str) else data
        self.files[f"{portal_id}{path}"] = raw

    def doc(self, portal_id: str, item: Item, **extra: object) -> None:
        entry = {
            "title": item.title, "path": item.path, "published": item.published.isoformat(),
            "is_report": item.is_report, "format": item.fmt if item.is_report else "html",
        }
        if item.is_report:
            entry.update(seed=item.seed, attachment=item.attachment or None)
        entry.update(extra)
        self.docs.setdefault(portal_id, []).append(entry)

    def convert(self, portal_id: str, path: str, source_html: str, fmt: str) -> None:
        """LibreOffice converts the rendered report page into a real PDF/DOCX."""
        key = f"{portal_id}{path}"
        digest = hashlib.sha256(source_html.encode("utf-8")).hexdigest()
        self.conversions[key] = digest
        existing = self.old_root / key
        if not self.force and self.old_conversions.get(key) == digest and existing.exists():
            self.files[key] = existing.read_bytes()
            return
        self.files[key] = soffice_convert(source_html, fmt)


def soffice_convert(source_html: str, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nianbao-portal-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(source_html, encoding="utf-8")
        target = "pdf" if fmt == "pdf" else "docx:MS Word 2007 XML"
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--infilter=HTML (StarWriter)", "--convert-to", target, "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )
        out = Path(tmp) / f"report.{fmt}"
        if not out.exists():
            raise RuntimeError(f"soffice produced no {fmt}")
        return out.read_bytes()


def report_item(seed: Seed, published: date, fmt: str) -> Item:
    return Item(seed.title, published, is_report=True, seed=seed.key, fmt=fmt)


def robots() -> str:
    return "User-agent: *\nDisallow: /admin/\nAllow: /\n"


def home(w: Writer, portal_id: str, column_path: str, column_name: str, charset: str = "utf-8") -> None:
    body = (f'<ul class="columns"><li><a href="{column_path}">{column_name}</a></li>'
            '<li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul>')
    w.put(portal_id, "/index.html", page(portal_id, BY_ID[portal_id].name, body, charset=charset), charset)
    w.put(portal_id, "/robots.txt", robots())
    w.put(portal_id, "/admin/index.html", page(portal_id, "后台管理", "<p>请登录。</p>", charset=charset), charset)


def lookalike_body(item: Item, report_link: tuple[str, str] | None) -> str:
    body = paragraphs(item.body)
    if item.title.startswith("图片解读") and report_link:
        body += (f'\n<p><img src="/images/yitududong.png" alt="{html.escape(item.title)}"></p>'
                 f'\n<p>相关链接：<a href="{report_link[0]}">{html.escape(report_link[1])}</a></p>')
    return body


def report_article_body(seed: Seed, record: dict | None = None) -> str:
    return render.report_body_html(record or seed.record, seed.narrative)


def attachment_link(href: str, name: str) -> str:
    return f'<p class="attachment">附件：<a href="{href}" target="_blank">{html.escape(name)}</a></p>'


# ----------------------------------------------------------------------------- TRS: 聊城市人民政府

TRS_CREATE_PAGE = """<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function href(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  var out = [];
  if(nCurrIndex == 0){ out.push("<span>首页</span> <span>上一页</span>"); }
  else { out.push("<a href=\\"" + href(0) + "\\">首页</a> <a href=\\"" + href(nCurrIndex - 1) + "\\">上一页</a>"); }
  for(var i = 0; i < _nPageCount; i++){
    out.push(i == nCurrIndex ? "<span class=\\"current\\">" + (i + 1) + "</span>" : "<a href=\\"" + href(i) + "\\">" + (i + 1) + "</a>");
  }
  if(nCurrIndex == _nPageCount - 1){ out.push("<span>下一页</span> <span>尾页</span>"); }
  else { out.push("<a href=\\"" + href(nCurrIndex + 1) + "\\">下一页</a> <a href=\\"" + href(_nPageCount - 1) + "\\">尾页</a>"); }
  document.write(out.join(" "));
}
</script>
"""


def build_trs(w: Writer, seed: Seed) -> None:
    pid, col = "sd-liaocheng-gov", "/zwgk/zfxxgknb"
    report = report_item(seed, date(2025, 1, 20), "html+pdf")
    items = column_items("聊城市人民政府", "聊城市", report, total=30, report_index=13)
    for it in items:
        it.path = f"{col}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 7)}.html"
    rel = report.path.rsplit("/", 1)[0]
    pdf_name = f"P0{report.published:%Y%m%d}{stable_int(report.title, 9):09d}.pdf"
    report.attachment = f"{rel}/{pdf_name}"
    per_page = 10
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)]
    for n, chunk in enumerate(pages):
        lis = "\n".join(
            f'<li><a href=".{it.path[len(col):]}" target="_blank" title="{html.escape(it.title)}">'
            f'{html.escape(it.title)}</a><span class="date">{it.published:%Y-%m-%d}</span></li>'
            for it in chunk)
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>\n'
                f'<div class="list"><h2>政府信息公开年报</h2>\n<ul class="list-ul">\n{lis}\n</ul>\n'
                f'<div class="page">{TRS_CREATE_PAGE}<script>createPageHTML({len(pages)}, {n}, "index", "html");</script></div></div>')
        name = "index.html" if n == 0 else f"index_{n}.html"
        w.put(pid, f"{col}/{name}", page(pid, "政府信息公开年报", body,
                                          head='<meta name="ColumnName" content="政府信息公开年报">'))
    for it in items:
        if it.is_report:
            body = report_article_body(seed) + "\n" + attachment_link(f"./{pdf_name}", f"{it.title}.pdf")
            w.put(pid, it.path, article(pid, it, body, meta='<meta name="ColumnName" content="政府信息公开年报">'))
            w.convert(pid, report.attachment, render.report_html(seed.record, seed.narrative, seed.title), "pdf")
        else:
            w.put(pid, it.path, article(pid, it, lookalike_body(it, (report.path, report.title))))
        w.doc(pid, it)
    home(w, pid, f"{col}/index.html", "政府信息公开年报")


# ----------------------------------------------------------------------------- Hanweb: 淄博市公安局

HANWEB_JS = """<script>
/* jpage: renders the datastore records and fetches later pages from dataproxy.jsp */
(function(){
  var perpage = %(perpage)d, columnid = "%(col)s", unitid = "%(unit)s";
  function param(name){ var m = new RegExp("[?&]" + name + "=([^&]*)").exec(location.search); return m ? decodeURIComponent(m[1]) : null; }
  function records(xml){
    var out = [], re = /<record><!\\[CDATA\\[([\\s\\S]*?)\\]\\]><\\/record>/g, m;
    while((m = re.exec(xml))){ out.push(m[1]); }
    return out;
  }
  function pager(page, total){
    var pages = Math.ceil(total / perpage), h = [];
    for(var i = 1; i <= pages; i++){
      h.push(i == page ? "<span>" + i + "</span>" : "<a href=\\"index.html?uid=" + unitid + "&pageNum=" + i + "\\">" + i + "</a>");
    }
    document.getElementById("jpage-pager").innerHTML = "共" + total + "条 " + h.join(" ");
  }
  var store = document.getElementById("datastore").text;
  var total = parseInt(/<totalrecord>(\\d+)<\\/totalrecord>/.exec(store)[1], 10);
  var page = parseInt(param("pageNum") || "1", 10);
  var box = document.getElementById("%(unit)s");
  if(page <= 1){ box.innerHTML = "<ul>" + records(store).join("") + "</ul>"; pager(1, total); return; }
  var start = (page - 1) * perpage + 1, end = page * perpage;
  var xhr = new XMLHttpRequest();
  xhr.open("POST", "/module/web/jpage/dataproxy.jsp?startrecord=" + start + "&endrecord=" + end + "&perpage=" + perpage, true);
  xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
  xhr.onload = function(){ box.innerHTML = "<ul>" + records(xhr.responseText).join("") + "</ul>"; pager(page, total); };
  xhr.send("col=1&appid=1&webid=1&path=%%2F&columnid=" + columnid + "&sourceContentType=1&unitid=" + unitid +
           "&webname=%%E6%%B7%%84%%E5%%8D%%9A%%E5%%B8%%82%%E5%%85%%AC%%E5%%AE%%89%%E5%%B1%%80&permissiontype=0");
})();
</script>
"""


def hanweb_record(it: Item) -> str:
    return (f'<li><a href="{it.path}" target="_blank" title="{html.escape(it.title)}">{html.escape(it.title)}</a>'
            f'<span>{it.published:%Y-%m-%d}</span></li>')


def build_hanweb(w: Writer, seed: Seed) -> None:
    pid = "sd-zibo-police"
    report = report_item(seed, date(2025, 1, 20), "docx")
    items = column_items("淄博市公安局", "淄博市", report, total=40, report_index=20)
    for it in items:
        d = it.published
        it.path = f"/art/{d.year}/{d.month}/{d.day}/art_{HANWEB_COLUMN}_{stable_int(it.title, 6)}.html"
    report.attachment = f"/attach/0/{stable_hex(report.title, 20)}.docx"
    records = [hanweb_record(it) for it in items]
    w.put(pid, "/_data/records.json", json.dumps(records, ensure_ascii=False, indent=0))
    first = "\n".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in records[:HANWEB_PERPAGE])
    nextgroup = (f'<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={HANWEB_COLUMN}'
                 f'&unitid={HANWEB_UNIT}&webname=淄博市公安局&permissiontype=0"></a>')
    store = (f'<script type="text/xml" id="datastore"><datastore>\n<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n'
             f'<totalrecord>{len(records)}</totalrecord>\n<recordset>\n{first}\n</recordset>\n</datastore></script>')
    js = HANWEB_JS % {"perpage": HANWEB_PERPAGE, "col": HANWEB_COLUMN, "unit": HANWEB_UNIT}
    body = (f'<div class="bt-position">您当前的位置：<a href="/">首页</a> &gt; 政务公开 &gt; 政府信息公开年报</div>\n'
            f'<div class="default_pgContainer" id="{HANWEB_UNIT}">\n{store}\n</div>\n'
            f'<div class="default_pgPanel" id="jpage-pager"></div>\n{js}')
    w.put(pid, f"/col/col{HANWEB_COLUMN}/index.html",
          page(pid, "政府信息公开年报", body, head='<meta name="ColumnName" content="政府信息公开年报">'))
    for it in items:
        if it.is_report:
            body = (f"<p>{html.escape(it.title)}已经编制完成，现予以公布。全文请下载附件。</p>\n"
                    + attachment_link(report.attachment, f"{it.title}.docx"))
            w.convert(pid, report.attachment, render.report_html(seed.record, seed.narrative, seed.title), "docx")
        else:
            body = lookalike_body(it, (report.path, report.title))
        w.put(pid, it.path, article(pid, it, body))
        w.doc(pid, it, list_page=items.index(it) // HANWEB_PERPAGE + 1)
    home(w, pid, f"/col/col{HANWEB_COLUMN}/index.html", "政府信息公开年报")


# ----------------------------------------------------------------------------- Shandong 集约化: 聊城/昌乐 公安局

def doc_id(it: Item) -> str:
    """ObjectId-like: the first 8 hex digits are the publication time (09:30 Beijing = 01:30 UTC)."""
    ts = calendar.timegm((it.published.year, it.published.month, it.published.day, 1, 30, 0))
    return f"{ts:08x}{stable_hex(it.title, 16)}"


def build_shandong(w: Writer, pid: str, site: tuple[str, str], seed: Seed, published: date, fmt: str,
                   report_index: int) -> None:
    agency = BY_ID[pid].name
    city = BY_ID[pid].region["county"] or BY_ID[pid].region["city"]
    base = f"/gongkai/site_{site[0]}/channel_{site[1]}"
    report = report_item(seed, published, fmt)
    items = column_items(agency, city, report, total=24, report_index=report_index)
    for it in items:
        it.path = f"{base}/doc_{doc_id(it)}.html"
    per_page = 12
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)]
    for n, chunk in enumerate(pages, start=1):
        rows = "\n".join(
            f'<tr><td class="title"><a href="{it.path}" target="_blank" title="{html.escape(it.title)}">'
            f'{html.escape(it.title)}</a></td><td class="date">{it.published:%Y-%m-%d}</td></tr>' for it in chunk)
        nav = []
        if n > 1:
            nav.append(f'<a href="{base}/{"index.html" if n == 2 else f"index_{n - 1}.html"}">上一页</a>')
        if n < len(pages):
            nav.append(f'<a href="{base}/index_{n + 1}.html">下一页</a>')
        body = (f'<div class="gk-position">政府信息公开 &gt; {html.escape(agency)} &gt; 政府信息公开年报</div>\n'
                f'<table class="gk-list"><thead><tr><th>标题</th><th>发布日期</th></tr></thead>\n<tbody>\n{rows}\n'
                f'</tbody></table>\n<div class="pagination">第{n}页/共{len(pages)}页 {" ".join(nav)}</div>')
        w.put(pid, f"{base}/{'index.html' if n == 1 else f'index_{n}.html'}", page(pid, "政府信息公开年报", body))
    for it in items:
        if it.is_report and fmt == "pdf":
            report.attachment = f"{base}/files/P0{it.published:%Y%m%d}{stable_int(it.title, 9):09d}.pdf"
            body = (f"<p>{html.escape(it.title)}</p>\n" + attachment_link(report.attachment, f"{it.title}.pdf"))
            w.convert(pid, report.attachment, render.report_html(seed.record, seed.narrative, seed.title), "pdf")
        elif it.is_report:
            body = report_article_body(seed)
        else:
            body = lookalike_body(it, (report.path, report.title))
        meta = f'<table class="gk-meta"><tr><td>索引号</td><td>{site[0].upper()}/{it.published:%Y}-{stable_int(it.title, 5):05d}</td>' \
               f'<td>发布机构</td><td>{html.escape(agency)}</td></tr></table>\n'
        w.put(pid, it.path, article(pid, it, meta + body))
        w.doc(pid, it)
    home(w, pid, f"{base}/", "政府信息公开年报")


# ----------------------------------------------------------------------------- generic GBK: 周口市公安局

def build_gbk(w: Writer, seed: Seed) -> None:
    pid, cs = "ha-zhoukou-police", "gb2312"
    col = "/zwgk/xxgknb"
    report = report_item(seed, date(2025, 1, 24), "html")
    items = column_items("周口市公安局", "周口市", report, total=20, report_index=3)
    for it in items:
        it.path = f"/content/{it.published:%Y-%m}/{it.published:%d}/content_{stable_int(it.title, 5):05d}.html"
    per_page = 10
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)]
    for n, chunk in enumerate(pages, start=1):
        lis = "\n".join(f'<tr><td><a href="{it.path}">{html.escape(it.title)}</a></td>'
                        f'<td>[{it.published:%Y-%m-%d}]</td></tr>' for it in chunk)
        nav = f'<a href="{col}/index_{n + 1}.html">下一页</a>' if n < len(pages) else ""
        body = f'<div class="lm">政府信息公开年报</div>\n<table class="newslist">\n{lis}\n</table>\n<div class="fy">{nav}</div>'
        w.put(pid, f"{col}/{'index.html' if n == 1 else f'index_{n}.html'}",
              page(pid, "政府信息公开年报", body, charset=cs), "gbk")
    for it in items:
        body = report_article_body(seed) if it.is_report else lookalike_body(it, (report.path, report.title))
        w.put(pid, it.path, article(pid, it, body, charset=cs), "gbk")
        w.doc(pid, it)
    home(w, pid, f"{col}/index.html", "政府信息公开年报", charset=cs)


# ----------------------------------------------------------------------------- faults: 青石县人民政府

def renamed(seed: Seed, pairs: list[tuple[str, str]], key: str) -> Seed:
    """A seed republished under a fictional body name (numbers unchanged, so still a valid report)."""
    def sub(text: str) -> str:
        for a, b in pairs:
            text = text.replace(a, b)
        return text
    record = copy.deepcopy(seed.record)
    record["agency"] = sub(record["agency"])
    return Seed(key, record, sub(seed.title), sub(seed.narrative))


FAULT_JS_LIST = """<div id="list"></div>
<script>
var DATA = %s;
var ul = document.createElement("ul");
DATA.forEach(function(d){
  var li = document.createElement("li"), a = document.createElement("a");
  a.href = d.url; a.textContent = d.title; li.appendChild(a);
  var s = document.createElement("span"); s.textContent = d.date; li.appendChild(s);
  ul.appendChild(li);
});
document.getElementById("list").appendChild(ul);
</script>"""


def build_faults(w: Writer, s2023: Seed, s2024: Seed, other2024: Seed) -> dict:
    pid = "faults"
    a = renamed(s2023, [("昌乐县", "青石县"), ("昌乐", "青石")], "F23")
    b = renamed(s2024, [("周口市公安局", "青石县公安局"), ("周口", "青石"), ("市公安局", "县公安局")], "F24")
    c = renamed(other2024, [("淄博市公安局", "青石县交通运输局"), ("淄博市", "青石县"), ("淄博", "青石")], "F24T")
    ra = Item(a.title, date(2024, 1, 18), is_report=True, seed=s2023.key, fmt="html",
              path="/nianbao/2023/t20240118_qsgaj.html")
    rb = Item(b.title, date(2025, 1, 24), is_report=True, seed=s2024.key, fmt="html", path=FAULT_REPORT_VERSIONED)
    flaky = Item("青石县政府信息公开指南", date(2025, 2, 10), path="/nianbao/flaky.html",
                 body="为便于公民、法人和其他组织依法获取政府信息，编制本指南。")
    busy = Item("青石县2024年度绩效自评报告", date(2025, 2, 8), path="/nianbao/busy.html", body="自评得分95分。")
    slow = Item("青石县2025年政务公开工作要点", date(2025, 2, 6), path="/nianbao/slow.html", body="坚持以人民为中心。")
    static_items = [flaky, busy, slow]
    for it in static_items:
        w.put(pid, it.path, article(pid, it, paragraphs(it.body)))
        w.doc(pid, it)
    w.put(pid, ra.path, article(pid, ra, report_article_body(a)))
    w.doc(pid, ra, agency=a.record["agency"], via="/go/1001")
    w.put(pid, rb.path, article(pid, rb, report_article_body(b)))
    b2 = copy.deepcopy(b.record)
    b2["active_disclosure"]["licensing"]["decisions"] += 18
    w.put(pid, rb.path.replace(".html", ".v2.html"), article(pid, rb, report_article_body(b, b2)))
    w.doc(pid, rb, agency=b.record["agency"], version2={"active_disclosure.licensing.decisions":
                                                        b2["active_disclosure"]["licensing"]["decisions"]})
    # Titled without a year and listed without a date (some bodies do): only the page's own
    # publication date (2025-01-22, so the 2024 report) tells the crawler which year it covers.
    rc = Item(f"{c.record['agency']}政府信息公开工作年度报告", date(2025, 1, 22), is_report=True, seed=other2024.key,
              fmt="html", path="/nianbao/jtj/t20250122_qsjtj.html")
    w.put(pid, rc.path, article(pid, rc, report_article_body(c)))
    w.doc(pid, rc, agency=c.record["agency"], year=2024)
    links = [
        ("/go/1001", a.title, "2024-01-18"),
        (rb.path, b.title, "2025-01-24"),
        (rc.path, rc.title, ""),
        (flaky.path, flaky.title, "2025-02-10"),
        (busy.path, busy.title, "2025-02-08"),
        (slow.path, slow.title, "2025-02-06"),
        ("/nianbao/missing.html", "青石县2025年部门预算", "2025-02-04"),
        ("/nianbao/reset.html", "青石县2024年法治政府建设年度报告", "2025-02-02"),
        ("/nianbao/big.html", "青石县2024年国民经济和社会发展统计公报", "2025-01-30"),
        ("/nianbao/big-stream.html", "青石县2024年统计年鉴（全文）", "2025-01-29"),
        ("/nianbao/more.html", "更多信息公开年报", ""),
        ("/nianbao/archive/index.html", "历年政府信息公开年报", ""),
        ("/nianbao/guarded/index.html", "往年政府信息公开年报", ""),
    ]
    lis = "\n".join(f'<li><a href="{u}">{html.escape(t)}</a><span>{d}</span></li>' for u, t, d in links)
    w.put(pid, "/nianbao/index.html", page(pid, "政府信息公开年报", f"<h2>政府信息公开年报</h2>\n<ul>\n{lis}\n</ul>"))
    data = [{"title": a.title, "url": ra.path, "date": "2024-01-18"},
            {"title": "青石县政府信息公开指南", "url": flaky.path, "date": "2025-02-10"},
            {"title": b.title, "url": rb.path, "date": "2025-01-24"}]
    w.put(pid, "/nianbao/more.html",
          page(pid, "更多信息公开年报", FAULT_JS_LIST % json.dumps(data, ensure_ascii=False)))
    archive = "\n".join(f'<li><a href="{it.path}">{html.escape(it.title)}</a></li>' for it in (ra, rb))
    w.put(pid, "/nianbao/archive/index.html", page(pid, "历年政府信息公开年报", f"<ul>\n{archive}\n</ul>"))
    # behind a challenge that only a browser without automation passes (server.guarded_challenge_page)
    w.put(pid, "/nianbao/guarded/index.html", page(pid, "往年政府信息公开年报", f"<ul>\n{archive}\n</ul>"))
    home(w, pid, "/nianbao/index.html", "政府信息公开年报")
    return {"versioned": rb.path}


# ----------------------------------------------------------------------------- main

def build(root: Path = SITE, force: bool = False) -> dict:
    """Write the whole site under `root` and return the manifest."""
    old = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
    w = Writer(root, old, force)
    seeds = {s.key: s for s in load_seeds()}
    build_trs(w, seeds["001"])
    build_shandong(w, "sd-liaocheng-police", SD_LIAOCHENG, seeds["000"], date(2025, 1, 20), "pdf", 4)
    build_hanweb(w, seeds["002"])
    build_shandong(w, "sd-changle-police", SD_CHANGLE, seeds["003"], date(2024, 1, 18), "html", 15)
    build_gbk(w, seeds["004"])
    faults = build_faults(w, seeds["003"], seeds["004"], seeds["002"])
    build_homes(w, seeds)
    build_homes2(w, seeds)
    build_homes3(w, seeds)
    build_homes4(w, seeds)
    build_homes5(w, seeds)
    build_homes6(w, seeds)
    build_homes7(w, seeds)
    build_homes8(w, seeds)
    manifest = {"documents": w.docs, "faults": faults, "conversions": w.conversions}
    staging = Path(tempfile.mkdtemp(prefix="portal-site-", dir=root.parent))
    for rel, data in sorted(w.files.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if root.exists():
        shutil.rmtree(root)
    staging.rename(root)
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build the replica portal site from the seed reports.")
    ap.add_argument("--force", action="store_true", help="reconvert PDF/DOCX even if unchanged")
    args = ap.parse_args(argv)
    manifest = build(force=args.force)
    n = sum(len(v) for v in manifest["documents"].values())
    print(f"built {SITE}: {n} documents in {len(manifest['documents'])} portals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

