"""What a page's lists are: the (url, text) groups of its item blocks (`list_groups`), whether the
page is an annual-report column by its own name (`is_column_page`), and which links sit in a block
of other articles beside an article (`others_block`)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from crawler.spiders.base import DocumentMemo
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
    return crumb_column(response)


# a breadcrumb (当前位置：首页 > 政府信息公开 > 政府信息公开年报), found by its class or id, or by its 当前位置 label
CRUMB_ATTR_RE = re.compile(r"crumb|position|location|weizhi|dqwz|curpos|current-?pos|\bloc\b|\bpath\b", re.I)
CRUMB_SEP_RE = re.compile(r"\s*(?:>>|>|＞|»|›|→|/)\s*")
CRUMB_LABEL_RE = re.compile(r"^(?:当前位置|您的位置|所在位置|现在位置)[:：]?")


def crumb_column(response: TextResponse) -> bool:
    """The page's breadcrumb ends at the 年报 column (…> 政府信息公开年报): the page is that column, whatever
    its <title> says (a script app's one title for every route, a platform's 信息公开列表).  Not an
    article under the column: a page whose <h1> is a report's title ends its crumb at the column too."""
    if any(re.search(r"\d{4}", "".join(h.css("::text").getall())) and COLUMN_RE.search("".join(h.css("::text").getall()))
           for h in response.css("h1")):
        return False
    for el in response.xpath("//*[@class or @id][not(self::body or self::html)]"):
        marked = CRUMB_ATTR_RE.search(f"{el.attrib.get('class', '')} {el.attrib.get('id', '')}")
        text = " ".join(" ".join(el.xpath(".//text()").getall()).split())
        if not text or len(text) > 120 or not (marked or CRUMB_LABEL_RE.match(text)):
            continue
        parts = [p for p in CRUMB_SEP_RE.split(text) if p.strip()]
        last = parts[-1].replace(" ", "") if len(parts) >= 2 else ""
        if last and len(last) <= NODE_MAX_CHARS and COLUMN_RE.search(last) and "企业" not in last:
            return True
    return False


def _names_column(node: Any) -> bool:
    text = "".join(" ".join(node.xpath(".//text()").getall()).split()) or (node.attrib.get("title") or "")
    return len(text) <= NODE_MAX_CHARS and bool(COLUMN_RE.search(text)) and "企业" not in text


# a block of other articles beside an article: headed 相关文章 / 相关阅读 / 热点信息 / 推荐阅读 …, or
# classed so (div.related, .xgwz 相关文章, .rdxx 热点信息, <aside>): its titles name sibling reports
OTHERS_HEAD_RE = re.compile(r"^(?:相关(?:文章|阅读|链接|推荐|信息|新闻|稿件|文件|报告|年报)|推荐(?:阅读|文章|信息)|猜你喜欢"
                            r"|热点(?:信息|文章|新闻|推荐)|热门(?:文章|信息|阅读)|延伸阅读|往期(?:回顾|年报)|其他年度)\s*[:：]?$")
OTHERS_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:related|relate|relevant|xgwz|xgyd|xgxx|xgwj|xglj|xgtj|rdxx|tjyd|hot|"
                             r"recommend|tuijian|xiangguan|sidebar|aside)(?:$|[\s_-])", re.I)
OTHERS_HEADING_XPATH = ("./*[self::h2 or self::h3 or self::h4 or self::h5 or self::strong or contains(@class, 'tit')"
                        " or contains(@class, 'hd') or contains(@class, 'head')]")
OTHERS_LEVELS = 6


_OTHERS_MARKS = DocumentMemo(2)  # per document: (ancestors of its <h1>s, {element: marks a block of others})


def _document_marks(root: Any) -> tuple[set, dict]:
    return {a for h1 in root.iter("h1") for a in h1.iterancestors()}, {}


def _marks_others(el: Any) -> bool:
    if el.tag == "aside" or OTHERS_CLASS_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
        return True
    return any(OTHERS_HEAD_RE.match("".join("".join(head.itertext()).split()))
               for head in el.xpath(OTHERS_HEADING_XPATH)[:2])


def others_block(link) -> bool:
    """The link stands in a block of other articles (a related-articles list beside the article), not
    in the page's own list or text: an ancestor below the article's container (the one holding its
    <h1>) is an <aside>, is classed as such a block, or is headed by its name.  Each element is judged
    once per document (a list page asks for every one of its links)."""
    el = link.root.getparent()
    if el is None:
        return False
    above_h1, marks = _OTHERS_MARKS.get(el.getroottree().getroot(), lambda: _document_marks(el.getroottree().getroot()))
    for _ in range(OTHERS_LEVELS):
        if el is None or el.tag in ("body", "html") or el in above_h1:
            return False
        mark = marks.get(el)
        if mark is None:
            mark = marks[el] = _marks_others(el)
        if mark:
            return True
        el = el.getparent()
    return False
