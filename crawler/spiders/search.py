"""The site search a source asks for 年度报告 when its walk found no column (`search_url`)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import TextResponse

from crawler.spiders.base import clean_text
from crawler.spiders.pagers import form_fields

# the site's own search, asked once when the walk found no 年报 column (some portals link the column from
# no menu, 信息公开 page or 网站地图: only their search finds it)
SEARCH_QUERY = "年度报告"
SEARCH_PAGES = 3  # result pages read
SEARCH_PATH_RE = re.compile(r"search|query|/so/|/s/|sousuo|jsearch|/ss/|/find", re.I)
SEARCH_WORD_RE = re.compile(r"搜\s*索|检\s*索|站内|search", re.I)


def search_url(response: TextResponse, query: str = SEARCH_QUERY) -> str | None:
    """The URL the site's search box asks for `query`: a GET form with one text input whose action
    or button says search (its other fields as the browser sends them); else a link to the search page
    carrying its own query (a 热搜 link /search/index.html?q=社保), the query put in its place."""
    for form in response.xpath("//form"):
        if (form.attrib.get("method") or "get").strip().lower() != "get":
            continue
        boxes = form.xpath(".//input[@name][not(@type) or @type='text' or @type='search']")
        action = (form.attrib.get("action") or "").strip()
        if len(boxes) != 1 or action.lower().startswith(("javascript:", "#", "mailto:")):
            continue
        words = " ".join(form.xpath(".//button//text() | .//input[@type='submit']/@value | .//input/@placeholder"
                                    " | .//input[@type='image']/@alt | .//@title").getall())
        target = urlsplit(response.urljoin(action) if action else response.url)
        if not (SEARCH_PATH_RE.search(target.path) or SEARCH_WORD_RE.search(words)):
            continue
        box = boxes[0].attrib["name"]
        fields = form_fields(form)
        fields = [(k, query if k == box else v) for k, v in fields] if any(k == box for k, _ in fields) \
            else [*fields, (box, query)]
        return urlunsplit(target._replace(query=urlencode(fields), fragment=""))
    for link in response.css("a[href]"):
        parts = urlsplit(response.urljoin(link.attrib["href"]))
        text = clean_text(" ".join(link.css("::text").getall()))
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not text or not SEARCH_PATH_RE.search(parts.path) or not any(v == text for _, v in pairs):
            continue
        kept = [(k, query if v == text else v) for k, v in pairs if not re.fullmatch(r"p|page\w*|pn", k, re.I)]
        return urlunsplit(parts._replace(query=urlencode(kept), fragment=""))
    return None
