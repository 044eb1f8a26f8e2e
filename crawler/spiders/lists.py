"""What a page's lists are: the (url, text) groups of its item blocks (`list_groups`) and whether
the page is an annual-report column by its own name (`is_column_page`)."""

from __future__ import annotations

from typing import Any

from scrapy.http import TextResponse

from crawler.spiders.links import COLUMN_RE, canonical_url, link_href, link_text, page_links


def list_groups(response: TextResponse) -> list[list[tuple[str, str]]]:
    """The page's lists: the links of each <ul>/<ol>/<table>/<dl> item block, as (url, text)."""
    groups: dict[Any, list[tuple[str, str]]] = {}
    for link in page_links(response):
        href = link_href(link)
        if not href:
            continue
        item = link.root
        while item is not None and item.tag not in ("li", "tr", "dd", "dt"):
            item = item.getparent()
        if item is None or item.getparent() is None:
            continue
        groups.setdefault(item.getparent(), []).append((canonical_url(response.urljoin(href)), link_text(link)))
    return list(groups.values())


def is_column_page(response: TextResponse) -> bool:
    """The page is an annual-report column (its own name says so), so its items are worth a look.
    A heading counts only on a page with one or two of them: a portal page's many block headings
    ("政府信息公开年报" over the latest three) do not make its news lists a column."""
    names = [response.css("title::text").get() or "",
             response.xpath("//meta[@name='ColumnName']/@content").get() or ""]
    names += [" ".join(h.css("::text").getall()) for h in response.css("h1")[:2]]
    headings = response.css("h2, h3")
    if len(headings) <= 2:
        names += [" ".join(h.css("::text").getall()) for h in headings]
    return any(COLUMN_RE.search(n) and "企业" not in n for n in names)
