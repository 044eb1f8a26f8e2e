"""Any other portal: follow links that lead towards the annual-report column, to a bounded depth,
and let the classifier pick the reports out of whatever lists it finds.

In such a column every listed item is a candidate: one whose list title is not recognisable
is fetched anyway and judged by the title on its own page, so an oddly titled report is not
missed.  List pages whose items are written by script (no readable links in the HTML) are
fetched again through chromium.

Encoding: Scrapy picks the charset from the header, then <meta charset>, then sniffs, so GBK
portals decode without help; overrides.encoding forces one when a portal lies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response, TextResponse

from crawler.spiders.base import BaseSpider, Entry, attachment_extension, clean_text, netloc, page_published

NAV_WORDS = (("年报", 3), ("年度报告", 3), ("信息公开", 2), ("政务公开", 1), ("公开目录", 1), ("下一页", 3),
             ("下页", 3), ("工作报告", 1))
NAV_URL_RE = re.compile(r"(nianbao|xxgknb|zfxxgknb|gknb|ndbg|xxgk|zwgk)", re.I)
NAV_MIN_SCORE = 3
CANDIDATE_MIN_CHARS = 6  # column items have real titles; site chrome links are 2–4 characters
DOM_SCRIPT_RE = re.compile(r"createElement|innerHTML|appendChild|insertAdjacentHTML|\.append\(|\.html\(", re.I)


def nav_score(text: str, url: str) -> int:
    """How likely a link leads towards the report column (not whether it is a report)."""
    score = sum(weight for word, weight in NAV_WORDS if word in text)
    if NAV_URL_RE.search(url):
        score += 1
    return score


def needs_render(response: TextResponse) -> bool:
    """A list page that builds its items with script and shows no item links without it."""
    if "playwright" in response.flags:
        return False
    scripts = " ".join(response.xpath("//script[not(@src)]/text()").getall())
    if not DOM_SCRIPT_RE.search(scripts):
        return False
    titled = [t for t in (clean_text(" ".join(a.css("::text").getall())) for a in response.css("a[href]"))
              if len(t) >= CANDIDATE_MIN_CHARS]
    return len(titled) < 2


class GenericSpider(BaseSpider):
    name = "generic"
    family = "generic"

    def max_depth(self, source: Any) -> int:
        return int(self.override(source, "max_depth", self.settings.getint("NIANBAO_GENERIC_MAX_DEPTH", 3)))

    def parse_list(self, response: Response, page: int = 1, depth: int = 0) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        source = self.source_of(response)
        render = bool(self.override(source, "render", False))
        if not render and needs_render(response):
            self.count_page(response)
            if not self.settings.getbool("NIANBAO_BROWSER", True):
                self.record_problem(source.id, response.url, "script-only list: needs a browser (NIANBAO_BROWSER off)")
                return
            self.crawler.stats.inc_value("nianbao/render_fallback")
            yield self.request(response.url, source, self.parse_list, parent=response.meta.get("nianbao_parent"),
                               render=True, dont_filter=True,
                               cb_kwargs={"page": page, "depth": depth})
            return
        yield from super().parse_list(response, page=page, depth=depth)
        response = self.decoded(response)
        if depth >= self.max_depth(source):
            return
        hosts = {netloc(u) for u in source.start_urls}
        for link in response.css("a[href]"):
            href = link.attrib.get("href", "")
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            url = response.urljoin(href)
            text = clean_text(link.attrib.get("title") or " ".join(link.css("::text").getall()))
            if netloc(url) not in hosts or attachment_extension(url, text):
                continue
            if nav_score(text, url) >= NAV_MIN_SCORE and not self.classify(Entry(url=url, title=text)).get("year"):
                yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                   cb_kwargs={"page": page + 1 if "页" in text else 1, "depth": depth + 1})
            elif len(text) >= CANDIDATE_MIN_CHARS and link.xpath("ancestor::li|ancestor::tr|ancestor::dd"):
                if not self.classify(Entry(url=url, title=text)).get("year"):  # dated reports were followed
                    yield self.request(url, source, self.parse_candidate, parent=response.url,
                                       cb_kwargs={"parent": response.url, "depth": depth + 1})

    def consider(self, entry: Entry, source: Any, parent: str) -> Iterator[Any]:
        """A report title with a year (or a list date) is taken on the list alone.  A report title
        with neither ("XX局政府信息公开工作年度报告", undated) is fetched as a candidate: its page's
        publication date gives the year, and an undated page of that name is walked as a column."""
        verdict = self.classify(entry)
        if verdict.get("is_report") and verdict.get("year"):
            yield from super().consider(entry, source, parent)
        elif verdict.get("is_report") and not attachment_extension(entry.url):
            yield self.request(entry.url, source, self.parse_candidate, parent=parent,
                               cb_kwargs={"parent": parent, "depth": 1, "published": entry.published})

    def parse_candidate(self, response: Response, parent: str | None = None, depth: int = 1,
                        published: str | None = None) -> Iterator[Any]:
        """A column item whose list title did not settle it: its own page title and publication date
        decide, and if it is no report it may still be a list (a 更多/历年 page) worth walking."""
        if not isinstance(response, TextResponse):
            self.count_page(response)
            return
        response = self.decoded(response)
        title = clean_text(response.xpath("//meta[@name='ArticleTitle']/@content").get()
                           or " ".join(response.css("h1 ::text").getall())
                           or response.css("title::text").get())
        published = published or page_published(response)
        verdict = self.classify(Entry(url=response.url, title=title, published=published))
        if verdict.get("is_report") and verdict.get("year"):
            info = {"title": title, "year": verdict.get("year"), "agency": verdict.get("agency"),
                    "published": published}
            yield from self.parse_report(response, info=info, parent=parent)
            return
        yield from self.parse_list(response, page=1, depth=depth)
