"""TRS WCM portals: static column pages index.html, index_1.html … and articles
`…/YYYYMM/tYYYYMMDD_<id>.html`.

The page count is only in the pager script, `createPageHTML(total, current, "index", "html")`,
so pagination is computed from it rather than discovered from links (the pager links are
written by that script at view time and are not in the HTML).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.http import TextResponse

from crawler.spiders.base import BaseSpider, Entry

PAGER_RE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,"
                      r"\s*['\"]([^'\"]+)['\"]")
ARTICLE_RE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+\.s?html?$")


def trs_pager(text: str) -> tuple[int, int, str, str] | None:
    """(total pages, current 0-based page, file stem, extension) from the pager call."""
    m = PAGER_RE.search(text)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)


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
