"""A report printed over several pages: which of its pager's links continue the same article
(`continues`) and which later pages to fetch (`article_pages`)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import TextResponse

from crawler.spiders.base import clean_text
from crawler.spiders.links import canonical_url

# an article split over pages (TRS t…_5500.html → _1, _2; DedeCMS 124.html → 124_2.html; ?page=2): the
# links of its own pager, by their text, to URLs that continue the article's own URL
ARTICLE_PAGER_TEXT_RE = re.compile(r"^(?:\d{1,3}|\[\d{1,3}\]|第\d{1,3}页|下一页|下页|上一页|上页|首页|尾页|末页|后页|前页)$")
ARTICLE_PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "curpage", "p", "pn")


def continues(url: str, article: str) -> bool:
    """`url` is a later page of the article at `article`: the same directory and file name with a page
    number appended (t20250120_5500.html → t20250120_5500_1.html, 124.html → 124_2.html), or the same
    path with a page parameter (?page=2).  The previous/next *article* (上一篇/下一篇) is another name."""
    a, u = urlsplit(article), urlsplit(url)
    if (a.scheme, a.netloc) != (u.scheme, u.netloc) or url == article:
        return False
    if a.path == u.path:
        extra = dict(parse_qsl(u.query)).items() - dict(parse_qsl(a.query)).items()
        return len(extra) == 1 and next(iter(extra))[0].lower() in ARTICLE_PAGE_PARAMS \
            and next(iter(extra))[1].isdigit()
    directory, _, name = a.path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return False
    return u.query == a.query and re.fullmatch(re.escape(f"{directory}/{stem}") + r"[_-](?:p|page)?\d{1,3}"
                                               + re.escape(f".{ext}"), u.path, re.I) is not None


def article_pages(response: TextResponse, article: str) -> list[str]:
    """The URLs of an article's other pages, read from its pager (首页/上一页/1 2 3/下一页/第2页/尾页):
    links whose text is a pager word or a number and whose URL continues the article's (`continues`)."""
    found: list[str] = []
    for link in response.css("a[href]"):
        text = clean_text(" ".join(link.css("::text").getall())).replace(" ", "")
        if not ARTICLE_PAGER_TEXT_RE.match(text):
            continue
        url = canonical_url(response.urljoin(link.attrib["href"]))
        if url not in found and continues(url, article):
            found.append(url)
    return found
