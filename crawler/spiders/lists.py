"""What a page's lists are: the (url, text) groups of its item blocks (`list_groups`) and whether
the page is an annual-report column by its own name (`is_column_page`)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

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


# the class a tree or menu gives the node it shows (zTree's curSelectedNode, a menu's on/active/cur)
CURRENT_CLASS_RE = re.compile(r"(?:^|\s)(?:curSelectedNode|on|active|cur|current|selected|hover-on)(?:\s|$)")
NODE_MAX_CHARS = 16  # a node names a column; longer texts are titles of things


def shown_column(response: TextResponse) -> bool:
    """The page shows a 年报 column it does not name in its title: a catalogue page (政府信息公开目录)
    whose tree or menu marks the 年报 node as the one shown (a rendered zTree after the node was clicked),
    or whose URL's fragment is that node's link (gkmlpt's /index#205 draws category 205)."""
    fragment = urlsplit(response.url).fragment
    if fragment:
        for link in response.xpath("//a[@href]"):
            if link.attrib["href"].strip() == "#" + fragment and _names_column(link):
                return True
    for node in response.xpath("//a[@class] | //li[@class]"):
        if CURRENT_CLASS_RE.search(node.attrib.get("class", "")) and _names_column(node):
            return True
    return False


def _names_column(node: Any) -> bool:
    text = "".join(" ".join(node.xpath(".//text()").getall()).split()) or (node.attrib.get("title") or "")
    return len(text) <= NODE_MAX_CHARS and bool(COLUMN_RE.search(text)) and "企业" not in text
