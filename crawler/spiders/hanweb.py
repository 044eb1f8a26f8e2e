"""Hanweb (大汉) jpage columns: `/col/col<id>/index.html`.

The first page carries its records inside `<script type="text/xml"><datastore>…<record><![CDATA[…]]>`;
later pages come from a POST to `/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`
with form fields (columnid, unitid, webid, path…) taken from the page's jpage config, or from the
registry's overrides.hanweb when a portal hides them.  With overrides.render the list pages are
rendered in chromium instead (`index.html?uid=<div id>&pageNum=N`, as jpage's own pager does).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector
from scrapy import Request
from scrapy.http import TextResponse

from crawler.spiders.base import BaseSpider, Entry, clean_text, entry_context, find_date

RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
NEXTGROUP_RE = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
TOTAL_RE = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)|共\s*(\d+)\s*条", re.I)
PERPAGE_RE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
PROXY_RE = re.compile(r"proxyUrl\s*[:=]\s*['\"]([^'\"]+)['\"]", re.I)
JPAGE_UID_RE = re.compile(r"""\$\(\s*['"]#([^'"]+)['"]\s*\)\s*\.jpage\(""")
FIELD_RES = {name: re.compile(rf"""\b{name}\s*[:=]\s*['"]?([^'",&\s}}]+)""", re.I)
             for name in ("columnid", "unitid", "webid", "path", "webname", "permissiontype", "appid")}
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
GROUP_PAGES = 3  # jpage asks the proxy for three pages at a time


def hanweb_records(text: str) -> list[str]:
    """The HTML fragments of a datastore (first page script or proxy answer)."""
    return [html.unescape(r) if "&lt;" in r else r for r in RECORD_RE.findall(text)]


def hanweb_total(text: str) -> int | None:
    m = TOTAL_RE.search(text)
    return int(m.group(1) or m.group(2) or m.group(3)) if m else None


def hanweb_config(text: str, overrides: dict | None = None) -> dict:
    """Form fields for the data proxy: the page's nextgroup link and jpage script first, registry last."""
    fields: dict[str, str] = {}
    m = NEXTGROUP_RE.search(text)
    if m:
        href = Selector(text=m.group(1)).css("a::attr(href)").get() or ""
        fields.update({k: v for k, v in parse_qsl(urlsplit(href).query) if k != "page"})
    for name, rx in FIELD_RES.items():
        if name not in fields:
            fm = rx.search(text)
            if fm:
                fields[name] = fm.group(1)
    for k, v in (overrides or {}).items():
        fields.setdefault(k, str(v))
    pm = PERPAGE_RE.search(text)
    perpage = int(fields.pop("perpage", 0) or 0) or (int(pm.group(1)) if pm else 15)
    proxy = PROXY_RE.search(text)
    uid = JPAGE_UID_RE.search(text)
    return {"fields": fields, "perpage": perpage, "proxy": proxy.group(1) if proxy else DEFAULT_PROXY,
            "uid": uid.group(1) if uid else None}


def form_fields(fields: dict) -> dict[str, str]:
    out = {"col": "1", "appid": "1", "webid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0"}
    out.update({k: str(v) for k, v in fields.items() if v is not None})
    return out


class HanwebSpider(BaseSpider):
    name = "hanweb"
    family = "hanweb"

    def entries_from_fragments(self, base_url: str, fragments: list[str]) -> Iterator[Entry]:
        for frag in fragments:
            sel = Selector(text=frag)
            for link in sel.css("a[href]"):
                href = link.attrib.get("href", "")
                if not href or href.startswith(("javascript:", "#")):
                    continue
                title = clean_text(link.attrib.get("title") or " ".join(link.css("::text").getall()))
                yield Entry(url=urljoin(base_url, href), title=title,
                            published=find_date(" ".join(sel.xpath("//text()").getall())) or
                            find_date(entry_context(link)))

    def list_entries(self, response: TextResponse, source: Any) -> Iterator[Entry]:
        records = hanweb_records(response.text)
        if records and "playwright" not in response.flags:
            yield from self.entries_from_fragments(response.url, records)
        else:  # rendered DOM (jpage already inserted the records) or a portal with plain links
            yield from super().list_entries(response, source)

    def next_pages(self, response: TextResponse, source: Any, page: int) -> Iterator[Request]:
        if page != 1:
            return
        cfg = hanweb_config(response.text, self.override(source, "hanweb", {}))
        total = hanweb_total(response.text)
        perpage = cfg["perpage"]
        shown = len(hanweb_records(response.text)) if "playwright" not in response.flags else perpage
        if total is not None and total <= shown:
            return
        if total is None and shown < perpage:  # a short first page is the whole column
            return
        limit = self.list_page_cap(source, response.url, math.ceil(total / perpage) if total else None)
        if self.override(source, "render", False):
            # jpage's own pager: index.html?uid=<box id>&pageNum=N renders page N
            uid = cfg["uid"] or cfg["fields"].get("unitid") or cfg["fields"].get("columnid")
            pages = min(math.ceil((total or shown + perpage) / perpage), limit)
            base = response.url.split("?")[0]
            for n in range(2, pages + 1):
                yield self.request(f"{base}?{urlencode({'uid': uid, 'pageNum': n})}", source, self.parse_list,
                                   parent=response.url, render=True, cb_kwargs={"page": n})
            return
        if total is None:  # the page does not say how many: ask for one group, the proxy's answer says
            yield self.proxy_request(response.url, source, cfg, shown + 1, shown + perpage * GROUP_PAGES)
            return
        start = shown + 1
        while start <= total and (start // perpage) < limit:
            end = min(start + perpage * GROUP_PAGES - 1, total)
            yield self.proxy_request(response.url, source, cfg, start, end, chained=False)
            start = end + 1

    def proxy_request(self, list_url: str, source: Any, cfg: dict, start: int, end: int,
                      chained: bool = True) -> Request:
        """POST for records start..end, as jpage sends it; `list_url` is the column page it belongs to."""
        proxy = urljoin(list_url, cfg["proxy"]).split("?")[0]
        url = f"{proxy}?{urlencode({'startrecord': start, 'endrecord': end, 'perpage': cfg['perpage']})}"
        return self.request(url, source, self.parse_proxy, parent=list_url,
                            cb_kwargs={"cfg": cfg, "end": end, "chained": chained},
                            method="POST", body=urlencode(form_fields(cfg["fields"])),
                            headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                                     "X-Requested-With": "XMLHttpRequest"})

    def parse_proxy(self, response: TextResponse, cfg: dict, end: int, chained: bool = True) -> Iterator[Any]:
        """One data-proxy answer: a datastore of records and the column's total."""
        self.count_page(response)
        source = self.source_of(response)
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        base = response.meta.get("nianbao_parent") or response.url
        records = hanweb_records(text)
        for entry in self.entries_from_fragments(base, records):
            yield from self.consider(entry, source, parent=base)
        total = hanweb_total(text)
        limit = self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50) * cfg["perpage"]
        if chained and records and total is not None and end < min(total, limit):
            yield self.proxy_request(base, source, cfg, end + 1, min(end + cfg["perpage"] * GROUP_PAGES, total))
