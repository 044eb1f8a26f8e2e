"""What tells, from the static HTML, that a page needs chromium: a script-drawn list or 公开目录,
a script shell ("加载中…", an empty app container), rows opened only by script.  Kept apart from
the in-browser actions (browser.py) because these run on every page, the browser on few."""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from crawler.spiders.base import clean_text
from crawler.spiders.helpers import HELPER_CALL_RE
from crawler.spiders.links import COLUMN_RE, link_href, link_text, page_links

CANDIDATE_MIN_CHARS = 6  # column items have real titles; site chrome links are 2–4 characters
CATALOGUE_SCRIPT_RE = re.compile(r"年报|年度报告|公开目录")
DOM_SCRIPT_RE = re.compile(r"createElement|innerHTML|appendChild|insertAdjacentHTML|\.append\(|\.html\(", re.I)
FETCH_SCRIPT_RE = re.compile(r"fetch\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\(|axios|/api/", re.I)

# Scripts that draw nothing a reader reads: visitor statistics (cnzz, Baidu's hm.js, _trackPageview, 站点统计,
# 51.la, Google/Matomo) and bare libraries (jQuery, its plugins, Bootstrap, layer).  A page carrying only
# these shows in chromium what its HTML already holds.
ANALYTICS_RE = re.compile(r"cnzz\.com|\b_czc\b|hm\.baidu\.com|tongji\.baidu|\b_hmt\b|_trackPageview|_trackEvent|"
                          r"站点统计|网站统计|访问统计|js\.users\.51\.la|\b51\.la\b|google-analytics|googletagmanager|"
                          r"\bgtag\(|\b_paq\b|/stat/\w*count|/count\.(?:jsp|php|aspx?)|webdig\.js|ucap\.stat|conac\.cn", re.I)
LIBRARY_SRC_RE = re.compile(r"(?:^|/)(?:jquery|bootstrap|layer|swiper|respond|html5shiv|polyfill|es5-shim|modernizr|"
                            r"json2|vue|react|lodash|moment)[\w.-]*\.js(?:\?|$)", re.I)


def statistics_only(script: str) -> bool:
    """An inline script that counts visitors (Baidu's hm.js loader creating a <script> element, cnzz's
    document.write of its icon) and fetches nothing: no content is drawn by it.  A block that also
    calls XHR/fetch/ajax is kept whole."""
    return bool(ANALYTICS_RE.search(script)) and not FETCH_SCRIPT_RE.search(script)


def inline_scripts(response: TextResponse) -> str:
    """The page's inline script, statistics snippets left out (`statistics_only`)."""
    return " ".join(t for t in response.xpath("//script[not(@src)]/text()").getall() if not statistics_only(t))



def needs_render(response: TextResponse) -> bool:
    """A list page that builds its items with script and shows no item links without it."""
    if "playwright" in response.flags:
        return False
    scripts = inline_scripts(response)
    if not DOM_SCRIPT_RE.search(scripts):
        return False
    titled = [t for t in (clean_text(" ".join(a.css("::text").getall())) for a in response.css("a[href]"))
              if len(t) >= CANDIDATE_MIN_CHARS]
    return len(titled) < 2


def catalogue_by_script(response: TextResponse) -> bool:
    """A page whose own script writes the 公开目录 (a zTree fed from inline JSON naming 年报) while its
    HTML offers no way on: a browser shows what the HTML does not."""
    if "playwright" in response.flags:
        return False
    scripts = inline_scripts(response)
    return bool(DOM_SCRIPT_RE.search(scripts) and CATALOGUE_SCRIPT_RE.search(scripts))


# an item's id: a number past a tab's index (setTab(1)), or a hex/UUID key; not `this`
ROW_ID_RE = re.compile(r"\d{3,}|(?=[0-9a-f-]*\d)[0-9a-f-]{8,}", re.I)


def script_rows(response: TextResponse, read: set[str] | frozenset[str] = frozenset()) -> bool:
    """A list whose report rows are opened by a helper called with an id (href="javascript:openDetail
    ('7521')", onclick="view(3410)") that the page does not define readably: only a browser, clicking
    them, learns where they go (`click_through`).  A tab switch (setTab(1)), a highlight (this), a row
    that holds a plain link to its file, or one calling a helper in `read` (one the crawl reads, such as a
    form it fills and submits: `formnodes.form_helpers`) needs no browser."""
    for link in page_links(response):
        href = (link.attrib.get("href") or "").strip()
        action = link.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        call = HELPER_CALL_RE.match(action.strip()) if action else None
        if call and call.group(1) not in read and ROW_ID_RE.fullmatch(call.group(2)) and not link_href(link) \
                and not _static_link(link) \
                and COLUMN_RE.search(link_text(link)) and "void" not in action:
            return True
    return False


def _static_link(row) -> bool:
    """A row (<tr>/<li> with an onclick) that holds a plain link: the report is reached without a click."""
    return any(not h.strip().lower().startswith(("javascript:", "#")) and h.strip()
               for h in row.xpath(".//a/@href").getall())


# a page whose content script fills in: a "加载中…" placeholder, or an empty app root / list container
LOADING_RE = re.compile(r"^(?:数据)?(?:正在)?加载(?:中)?(?:\.|…|。|,|，)*$|^loading(?:\.|…)*$", re.I)
SHELL_CONTAINER_RE = re.compile(r"list|tree|content|data|table", re.I)
# a 公开目录 tree drawn by a script file (zTree: <ul id="catalogTree" class="ztree">, jsTree, el-tree)
TREE_CONTAINER_RE = re.compile(r"tree", re.I)


def script_shell(response: TextResponse) -> bool:
    """A page whose HTML is only a frame for script: an app root (#app, #root) or a list container
    (#list, #tree …) that is empty or holds only "加载中…", beside script that fetches data
    (gkmlpt's /gkmlpt/index, a Vue or React app's history-routed shell).  A browser shows what the
    HTML does not.  A "加载中" widget on an ordinary page, with no fetching script of its own, is not one."""
    if "playwright" in response.flags:
        return False
    inline = inline_scripts(response)
    fetches = bool(FETCH_SCRIPT_RE.search(inline))
    external = any(not ANALYTICS_RE.search(u) for u in response.xpath("//script/@src").getall())
    if not (fetches or external):
        return False
    for el in response.xpath("//body//*[self::div or self::ul or self::ol or self::table or self::tbody or "
                             "self::section or self::main or self::article][@id][not(.//img)]"):
        text = waiting_text(el)
        if text is None:
            continue
        key = el.attrib.get("id", "")
        if key.lower() in ("app", "root", "__nuxt", "__next") or (fetches and SHELL_CONTAINER_RE.search(key)):
            return True
        if not text and external and TREE_CONTAINER_RE.search(f"{key} {el.attrib.get('class', '')}"):
            return True  # an empty zTree (<ul id="catalogTree" class="ztree">) its script file draws
    return False


def waiting_text(el) -> str | None:
    """The text of an element a script is yet to fill ("" or a "加载中…" line); None for one with content."""
    text = clean_text(" ".join(el.xpath(".//text()[not(ancestor::script)]").getall()))
    return None if text and not LOADING_RE.match(text) else text


# an element a script is to fill: empty (or "加载中"), and named for content (#attach, .file-list, #content),
# or bound to data (data-url / data-api / data-id / v-for / {{ template }})
PLACEHOLDER_NAME_RE = re.compile(r"attach|fujian|\bfj|file|list|content|article|data|detail|table|app|root|main", re.I)
PLACEHOLDER_DATA_ATTRS = ("data-url", "data-api", "data-src", "data-source", "data-id", "data-infoid", "v-for", "v-html",
                          "ng-repeat", "x-data")
TEMPLATE_RE = re.compile(r"\{\{\s*[\w.$]+|<%=|\$\{\s*\w")


def content_scripts(response: TextResponse) -> tuple[list[str], list[str]]:
    """(inline scripts, external script URLs) that may draw content: statistics snippets and bare
    libraries left out (`ANALYTICS_RE`, `LIBRARY_SRC_RE`)."""
    inline = [t for t in response.xpath("//script[not(@src)]/text()").getall()
              if t.strip() and not statistics_only(t)]
    external = [u for u in response.xpath("//script/@src").getall()
                if not ANALYTICS_RE.search(u) and not LIBRARY_SRC_RE.search(u)]
    return inline, external


def placeholder(response: TextResponse) -> bool:
    """An element waiting for script to fill it: empty or "加载中…", named for content or bound to data,
    or template syntax left in the page (`{{ item.title }}`, <template>, <script type=text/template>)."""
    if response.xpath("//template | //script[contains(@type, 'template') or contains(@type, 'tmpl')]"):
        return True
    body = " ".join(response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall())
    if TEMPLATE_RE.search(body):
        return True
    for el in response.xpath("//body//*[self::div or self::ul or self::ol or self::table or self::tbody or self::span "
                             "or self::section or self::p or self::dl][not(.//img)][not(.//a[@href])]"):
        if waiting_text(el) is None:
            continue
        if any(a in el.attrib for a in PLACEHOLDER_DATA_ATTRS):
            return True
        if PLACEHOLDER_NAME_RE.search(f"{el.attrib.get('id', '')} {el.attrib.get('class', '')}"):
            return True
    return False


def draws_content(response: TextResponse) -> bool:
    """Whether a page's script could draw what a reader reads (a report's text or its file list), so a
    thin page is worth one chromium render: an inline script writing the DOM or fetching data (XHR,
    fetch, $.ajax/$.get), or an element waiting to be filled (`placeholder`) beside any script that is
    not statistics or a bare library.  A page whose only scripts count visitors (cnzz, hm.js,
    _trackPageview, 站点统计) or load jQuery draws nothing: rendering it costs a browser for nothing."""
    if "playwright" in response.flags:
        return False
    inline, external = content_scripts(response)
    if any(DOM_SCRIPT_RE.search(t) or FETCH_SCRIPT_RE.search(t) for t in inline):
        return True
    return bool(inline or external) and placeholder(response)
