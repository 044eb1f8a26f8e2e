"""How two URLs of one list differ: by their page (page=, pageNo=, index_2.html) or by a filter
(year=, type=, dept=).  A CMS prints its filter links on every page of a list, each keeping the
page the reader is on (`?page=2&year=2025&dept=10`), and the filters multiply: year × type × dept,
hundreds of lists, most of them empty or past their end.  The crawl reads one list's pages by its
pager (links that move the page, not `filter_link`s), and a year filter's list from its first page
(`first_page`, `filter_keys_changed`)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# the query keys a pager changes (page=2, pageNo=2, curPage=2, p=2, pageIndex=2, start=20, offset=20)
PAGE_KEY_RE = re.compile(r"^(?:page|pages|pagenum|pageindex|pageno|page_no|curpage|currentpage|p|pn|pg|start|offset)$",
                         re.I)


def filters(url: str) -> frozenset[tuple[str, str]]:
    """The query's (key, value) pairs other than the page: what selects the list (a blank value
    selects nothing: `?year=&page=2` lists what `?page=2` lists)."""
    return frozenset((k, v) for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)
                     if v and not PAGE_KEY_RE.match(k))


def page_value(url: str) -> str | None:
    """The value of the URL's page key (page=2 -> "2"), None when its query names no page."""
    return next((v for k, v in parse_qsl(urlsplit(url).query) if PAGE_KEY_RE.match(k)), None)


def filter_link(url: str, here: str, page: int) -> bool:
    """Whether a numbered link on page `page` of the list at `here` is a filter of the list, not one
    of its pages: it changes the filters and keeps the page the reader is on (dept=10 beside page=2
    on page 2).  A pager link moves the page, and may carry a key the first page's URL did not
    (?uid=4321&pageNum=2 from /col/col230/index.html)."""
    if filters(url) == filters(here):
        return False
    value = page_value(url)
    return value is not None and value == (page_value(here) or str(page))


def first_page(url: str) -> str:
    """A filter link's list from its start: the page the reader was on (?page=2 kept in a year
    link) is no page of the other list, whose second page may not exist at all."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not PAGE_KEY_RE.match(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept, safe="/:,")))


def filter_keys_changed(url: str, other: str) -> set[str]:
    """The filter keys whose values differ between two URLs of one path (a key added, dropped or
    changed); an empty set for another path's URL, which is no filter of this list."""
    a, b = urlsplit(url), urlsplit(other)
    if (a.netloc.lower(), a.path) != (b.netloc.lower(), b.path):
        return set()
    return {k for k, _ in filters(url) ^ filters(other)}


_STATIC_PAGE_RE = re.compile(r"(?:_\d+)?\.s?html?$", re.I)


def page_of_list(url: str, here: str) -> bool:
    """Whether `url` is another page of the list at `here`: its path with a page key (?page=3,
    &pageNum=2), or the static pager's sibling file (index.html, index_2.html …).  Only these: an
    article named as TRS names them (t20250120_2024.html) ends in `_N.html` too, and is an item."""
    a, b = urlsplit(url), urlsplit(here)
    if a.netloc.lower() != b.netloc.lower():
        return False
    if a.path == b.path:
        return page_value(url) is not None
    if not re.search(r"_\d+\.s?html?$", a.path, re.I):
        return False
    def stem(path: str) -> str:
        return _STATIC_PAGE_RE.sub("", path + "index.html" if path.endswith("/") else path)
    return stem(a.path) == stem(b.path)
