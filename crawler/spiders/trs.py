"""TRS WCM portals: static column pages index.html, index_1.html … and articles
`…/YYYYMM/tYYYYMMDD_<id>.html`.

The page count is only in the pager script, `createPageHTML(total, current, "index", "html")`,
so pagination is computed from it rather than discovered from links (the pager links are
written by that script at view time and are not in the HTML).  The same helper name is called
with other arguments by platforms that copied it (开普云/ucap .shtml sites:
`createPageHTML('page_div', total, current, 'index', 'shtml', records)`, the element first, the
current page counted from 1, the record count last); `trs_pager` reads either order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.http import TextResponse

from crawler.spiders.base import BaseSpider, Entry

PAGER_CALL_RE = re.compile(r"createPageHTML\s*\(([^()]*)\)")
# one argument of the call: a quoted string, else whatever stands up to the next comma
PAGER_ARG_RE = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|([^,'"]*?))\s*(?:,|$)""")
PAGE_STEM_RE = re.compile(r"^[\w.-]+$")
PAGE_EXT_RE = re.compile(r"^[A-Za-z]{2,6}$")
ARTICLE_RE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+\.s?html?$")


def pager_args(call: str) -> list[tuple[str, bool]] | None:
    """The call's arguments as (text, quoted), or None when one is not a plain literal or name."""
    args: list[tuple[str, bool]] = []
    at = 0
    while at <= len(call):
        m = PAGER_ARG_RE.match(call, at)
        if m is None or m.end() == at:
            return None
        single, double, bare = m.groups()
        args.append((single if single is not None else double if double is not None else bare,
                     bare is None))
        at = m.end()
        if not m.group(0).rstrip().endswith(","):
            break
    return args if at >= len(call.rstrip()) else None


def trs_pager(text: str) -> tuple[int, int, str, str] | None:
    """(total pages, current 0-based page, file stem, extension) from the pager call: two numbers
    (total, current) followed by the quoted file stem and extension, wherever they stand in the call.
    Leading arguments (a quoted element id: the ucap form) mean the current page is counted from 1;
    TRS's own form opens with the numbers and counts from 0."""
    for m in PAGER_CALL_RE.finditer(text):
        args = pager_args(m.group(1))
        if not args:
            continue
        for i in range(len(args) - 3):
            (total, _), (current, _), (stem, quoted_stem), (ext, quoted_ext) = args[i:i + 4]
            if not (total.isdigit() and current.isdigit() and quoted_stem and quoted_ext
                    and PAGE_STEM_RE.match(stem) and PAGE_EXT_RE.match(ext)):
                continue
            named = i > 0 and args[0][1] and not args[0][0].isdigit()
            index = max(int(current) - 1, 0) if named else int(current)
            return int(total), index, stem, ext
    return None


def trs_page_url(base_url: str, stem: str, ext: str, index: int) -> str:
    """Page 0 is `index.html`, page n is `index_n.html`, next to the first page."""
    name = f"{stem}.{ext}" if index == 0 else f"{stem}_{index}.{ext}"
    return base_url.split("?")[0].rsplit("/", 1)[0] + "/" + name


class TrsSpider(BaseSpider):
    name = "trs"
    family = "trs"

    def list_entries(self, response: TextResponse, source: Any) -> Iterator[Entry]:
        for entry in super().list_entries(response, source):
            # only articles: the column list is surrounded by navigation to other columns
            if self.selector(source, "list_item") or ARTICLE_RE.search(entry.url.split("?")[0]):
                yield entry

    def published_of(self, entry: Entry) -> str | None:
        m = ARTICLE_RE.search(entry.url.split("?")[0])
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else entry.published

    def pages_total(self, response: TextResponse) -> int | None:
        pager = trs_pager(response.text)
        return pager[0] if pager else None

    def next_pages(self, response: TextResponse, source: Any, page: int) -> Iterator[Request]:
        pager = trs_pager(response.text)
        if pager is None:
            yield from super().next_pages(response, source, page)
            return
        total, current, stem, ext = pager
        if page != 1 or current != 0:  # every page is scheduled from the first one
            return
        limit = min(total, self.list_page_cap(source, response.url, total))
        for index in range(1, limit):
            yield self.request(trs_page_url(response.url, stem, ext, index), source, self.parse_list,
                               parent=response.url, render=bool(self.override(source, "render", False)),
                               cb_kwargs={"page": index + 1})
