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


def catalogue_by_script(response: TextResponse) -> bool:
    """A page whose own script writes the 公开目录 (a zTree fed from inline JSON naming 年报) while its
    HTML offers no way on: a browser shows what the HTML does not."""
    if "playwright" in response.flags:
        return False
    scripts = " ".join(response.xpath("//script[not(@src)]/text()").getall())
    return bool(DOM_SCRIPT_RE.search(scripts) and CATALOGUE_SCRIPT_RE.search(scripts))


# an item's id: a number past a tab's index (setTab(1)), or a hex/UUID key; not `this`
ROW_ID_RE = re.compile(r"\d{3,}|(?=[0-9a-f-]*\d)[0-9a-f-]{8,}", re.I)


def script_rows(response: TextResponse) -> bool:
    """A list whose report rows are opened by a helper called with an id (href="javascript:openDetail
    ('7521')", onclick="view(3410)") that the page does not define readably: only a browser, clicking
    them, learns where they go (`click_through`).  A tab switch (setTab(1)), a highlight (this) or a row
    that holds a plain link to its file needs no browser."""
    for link in page_links(response):
        href = (link.attrib.get("href") or "").strip()
        action = link.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        call = HELPER_CALL_RE.match(action.strip()) if action else None
        if call and ROW_ID_RE.fullmatch(call.group(2)) and not link_href(link) and not _static_link(link) \
                and COLUMN_RE.search(link_text(link)) and "void" not in action:
            return True
    return False


def _static_link(row) -> bool:
    """A row (<tr>/<li> with an onclick) that holds a plain link: the report is reached without a click."""
    return any(not h.strip().lower().startswith(("javascript:", "#")) and h.strip()
               for h in row.xpath(".//a/@href").getall())


# a page whose content script fills in: a "加载中…" placeholder, or an empty app root / list container
LOADING_RE = re.compile(r"^(?:数据)?(?:正在)?加载(?:中)?(?:\.|…|。|,|，)*$|^loading(?:\.|…)*$", re.I)
FETCH_SCRIPT_RE = re.compile(r"fetch\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\(|axios|/api/", re.I)
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
    inline = " ".join(response.xpath("//script[not(@src)]/text()").getall())
    fetches = bool(FETCH_SCRIPT_RE.search(inline))
    external = bool(response.xpath("//script[@src]"))
    if not (fetches or external):
        return False
    for el in response.xpath("//body//*[self::div or self::ul or self::ol or self::table or self::tbody or "
                             "self::section or self::main or self::article][@id][not(.//img)]"):
        text = clean_text(" ".join(el.xpath(".//text()[not(ancestor::script)]").getall()))
        if text and not LOADING_RE.match(text):
            continue
        key = el.attrib.get("id", "")
        if key.lower() in ("app", "root", "__nuxt", "__next") or (fetches and SHELL_CONTAINER_RE.search(key)):
            return True
        if not text and external and TREE_CONTAINER_RE.search(f"{key} {el.attrib.get('class', '')}"):
            return True  # an empty zTree (<ul id="catalogTree" class="ztree">) its script file draws
    return False
