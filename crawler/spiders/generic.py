"""Any other portal: walk from wherever the registry starts (usually the portal's home page) towards
the annual-report column, and let the classifier pick the reports out of whatever lists it finds.

A real home page has 300–800 links (top nav, news lists, banners, calendars, footers, external
links); the reports sit three hops away (首页 → 政务公开 → 政府信息公开 → 年报).  So every link is
scored by how much it looks like that path (`nav_score`): words of the path raise it, look-alike
columns (指南, 预决算, 统计公报, 政府工作报告, 法治政府, 企业年报) and site furniture (登录, 搜索,
打印, news-style titles) sink it, and a "更多" link borrows the heading of its block.  Links at or
above NAV_MIN_SCORE are followed, with Scrapy priority by score so promising ones go first, to a
bounded depth counted in navigation hops: a list's further pages and an <iframe> on a page (a
公开目录 tree is often one) do not use up depth.  Each source has a budget of walked pages
(setting NIANBAO_GENERIC_MAX_PAGES, default 200), so a portal that defeats the scoring still ends.

A 公开目录 often hides the column one level inside a node that names no report (法定主动公开内容,
主动公开目录, 其他法定公开内容).  Such nodes are kept in reserve and walked only when the crawl runs
dry (spider_idle) without the source having reached a report column.

A crawl that starts below the root (a column, a department's /xxj/ subsite, a township's
/xzjd/baishui/) stays under the start URL's directory when navigating and when fetching column
items: the page chrome links up to the host's own portal, whose reports belong to another body.  A
start at a 政务公开 root (/zwgk/, /gongkai/) keeps the directory above it (the whole host for the
portal's own).  Report links outside the scope are taken only as files (download servlets) or from
the column's own lists.

In an annual-report column (its title, column name or headings say 年报/年度报告) the items of its
own lists (those holding a dated report title, not the site-wide news block below them) are
candidates: one whose list title is not recognisable is fetched anyway and judged by the title on
its own page, so an oddly titled report is not missed.  A column whose HTML lists no report but
carries script (the list comes by XHR), or whose pager is script (javascript:goPage(n), onclick
下一页), is fetched again through chromium, where `turn_script_pages` clicks through the pages
(bounded) and keeps every page's items in the DOM Scrapy receives.  List pages with no readable
links at all are rendered too, and so is a page on the way whose script writes the 公开目录 tree
(its script names 年报/公开目录) when its HTML leads nowhere new.

Shapes seen on real portals that name less than they hold: a 年报 hub whose sub-columns (省政府 /
省政府部门 / 市（州）政府) are reached by tabs and "更多>>" naming no report (followed from a column
into its own directory, each paged); a 公开目录 tree whose 年报 node is javascript:; and whose children
read only "2024年度" (they inherit the node's label); links whose URL is only in an onclick
(window.open / location.href) and <select> year filters whose options are list URLs; "下载" links
titled by their row.  And a link reading like a report that opens a year's list ("2024年度政府信息公开
工作年度报告" → …/2024nd/): a fetched page with no report text of its own that lists reports (or has a
pager) is walked as a column, never recorded as a report (`is_list_page`).

Encoding: Scrapy picks the charset from the header, then <meta charset>, then sniffs, so GBK
portals decode without help; overrides.encoding forces one when a portal lies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse

from crawler.spiders.base import (
    BaseSpider,
    Entry,
    attachment_extension,
    clean_text,
    entry_context,
    find_date,
    netloc,
    page_published,
)
from crawler.spiders.trs import trs_page_url, trs_pager

# words on the path to the column, with weights (a link may collect several)
NAV_WORDS = (("年报", 6), ("年度报告", 6), ("政府信息公开", 1), ("信息公开", 3), ("政务公开", 3),
             ("公开目录", 3), ("主动公开", 1), ("工作报告", 1))
# look-alike columns and site furniture: a link naming one of these is not on the way to the reports
DETOUR_WORDS = ("指南", "制度", "规定", "预决算", "预算", "决算", "统计", "政府工作报告", "法治", "规划", "要点",
                "依申请", "申请公开", "说明", "方案", "企业年报", "年报公示", "年报申报", "登录", "注册", "搜索", "检索", "打印",
                "分享", "收藏", "关闭", "网站地图", "无障碍", "长者", "English", "意见征集", "信箱", "留言")
# news titles name the disclosure work too ("全县政务公开工作推进会召开"), but lead nowhere
NEWS_WORDS = ("关于", "通知", "会议", "召开", "推进会", "培训", "调研", "督导", "座谈", "部署", "开展", "举办",
              "印发", "实施", "解读")
NAV_MAX_CHARS = 16  # menu and column names are short; longer link texts are titles of things
URL_DETOUR_RE = re.compile(r"search|query|/so/|login|register|/user/|print|share|calendar|/rl/", re.I)
NAV_URL_RE = re.compile(r"(nianbao|xxgknb|zfxxgknb|gknb|ndbg|xxgk|zwgk)", re.I)
NAV_MIN_SCORE = 3
# nodes of a 公开目录 tree that name no report but may hold the column (法定主动公开内容 → 年度报告):
# kept in reserve, walked only when the better-named links led to no column
CATALOGUE_NODE_RE = re.compile(r"主动公开|公开目录|公开内容|法定公开|信息公开专栏")
MORE_RE = re.compile(r"^(?:[>»›]+|更多|查看更多|more|更多\s*[>»›]+|[>»›]+\s*更多|更多信息|历年|往年)$", re.I)
PAGER_TEXTS = ("下一页", "下页")
PAGE_URL_RE = re.compile(r"_\d+\.s?html?$|[?&](?:page|pagenum|pageindex|pageno|curpage|p)=\d+", re.I)
DISCLOSURE_ROOT_RE = re.compile(r"/(?:zwgk|xxgk|zfxxgk|gongkai|gk)/(?:index\.s?html?)?$", re.I)
COLUMN_RE = re.compile(r"年报|年度报告")
REPORT_WORD_RE = re.compile(r"年报|报告")
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|spm|from|frm|source|share\w*|isappinstalled|scene|clicktime|timestamp"
                             r"|_t)$", re.I)
CANDIDATE_MIN_CHARS = 6  # column items have real titles; site chrome links are 2–4 characters
CATALOGUE_SCRIPT_RE = re.compile(r"年报|年度报告|公开目录")
DOM_SCRIPT_RE = re.compile(r"createElement|innerHTML|appendChild|insertAdjacentHTML|\.append\(|\.html\(", re.I)
# a pager run by script: javascript:goPage(2), turnPage(…), onclick= next buttons
SCRIPT_PAGER_TEXT_RE = re.compile(r"^(?:下一页|下页|后页|next|[>»›]{1,2}|[2-9]|\d{2,3})$", re.I)
NAVIGATING_SCRIPT_RE = re.compile(r"location|window\.open|\.submit\(|void\(0?\)\s*;?\s*$", re.I)
# report links outside a subsite's directory that are still its own: its files on a shared download servlet
DOWNLOAD_URL_RE = re.compile(r"down|file|attach|/fj/|upload", re.I)
SCRIPT_PAGES = 20  # most list pages a browser turns through by clicking a script pager
# a link without a real href opens its page from script: window.open('…'), location.href='…'
SCRIPT_URL_RE = re.compile(r"""(?:window\.open|location(?:\.href)?\s*=|location\.(?:assign|replace))\s*\(?\s*['"]([^'"]+)['"]""")
LINKS_CSS = "a[href], a[onclick]"
# a link that names no document, only the act ("下载"): its row says what it is
BARE_LINK_RE = re.compile(r"^(?:点击)?(?:下载|附件|查看|详情|原文|全文|打开|阅读)(?:附件|全文|原文)?$")
LIST_BODY_MAX_CHARS = 1000  # a report's own text runs to thousands of characters; a list page's to a few hundred
SUB_COLUMN_MAX_CHARS = 10  # tab and sub-column names (省政府, 市（州）政府) are short
HEADING_XPATH = ("./*[self::h1 or self::h2 or self::h3 or self::h4 or contains(@class, 'tit') "
                 "or contains(@class, 'hd') or contains(@class, 'head') or contains(@class, 'name')]")


def link_href(link) -> str:
    """Where a link goes: its href, or for href="javascript:void(0)" / "#" the URL its onclick opens."""
    href = (link.attrib.get("href") or "").strip()
    if href and not href.lower().startswith(("javascript:", "#", "mailto:")):
        return href
    for action in (link.attrib.get("onclick") or "", href):
        m = SCRIPT_URL_RE.search(action)
        if m and not m.group(1).lower().startswith(("javascript:", "#")):
            return m.group(1)
    return ""


def select_options(response: TextResponse) -> Iterator[tuple[str, str]]:
    """A <select onchange="location.href=this.value"> year filter: each option value is a list page."""
    for select in response.xpath("//select[contains(@onchange, 'location') or contains(@onchange, 'window.open')]"):
        for option in select.xpath(".//option[@value]"):
            value = option.attrib.get("value", "").strip()
            if value and not value.lower().startswith(("javascript:", "#")):
                yield canonical_url(response.urljoin(value)), clean_text(" ".join(option.xpath(".//text()").getall()))


def tree_parent_label(link) -> str:
    """The label of the tree node a link hangs under (<li><a>政府信息公开年报</a><ul><li><a>2024年度…),
    so a child named only by its year inherits what its parent says."""
    parents = link.xpath("ancestor::li[1]/parent::*[self::ul or self::ol]/parent::li/*[self::a or self::span"
                         " or self::div or self::em or self::strong][1]")
    return clean_text(" ".join(parents[0].xpath(".//text()").getall())) if parents else ""


def row_title(link) -> str:
    """For a bare "下载" (or a filename) link, the title printed beside it in the same row: the row's
    longest cell that is not the link's own."""
    row = link.xpath("ancestor::*[self::tr or self::li or self::dd][1]")
    if not row:
        return ""
    own = clean_text(" ".join(link.xpath(".//text()").getall()))
    is_row = row[0].root.tag == "tr"
    cells = row[0].xpath("./td | ./th") if is_row else [row[0]]
    texts = [clean_text(" ".join(c.xpath(".//text()").getall())).replace(own, "").strip()
             for c in cells if not (is_row and link.root in c.root.iter())]
    return max(texts, key=len, default="")


def nav_score(text: str, url: str) -> int:
    """How likely a link leads towards the report column (not whether it is a report)."""
    score = sum(weight for word, weight in NAV_WORDS if word in text)
    path = urlsplit(url).path
    if any(w in text for w in DETOUR_WORDS) or URL_DETOUR_RE.search(path):
        return 0
    if len(text) > NAV_MAX_CHARS or any(w in text for w in NEWS_WORDS):
        return 0
    if NAV_URL_RE.search(path):
        score += 1
    return score


def catalogue_node(text: str, url: str) -> bool:
    """A 公开目录 node that names no report but may hold the column (法定主动公开内容, 主动公开目录)."""
    return bool(CATALOGUE_NODE_RE.search(text)) and len(text) <= NAV_MAX_CHARS \
        and not any(w in text for w in DETOUR_WORDS + NEWS_WORDS) and not URL_DETOUR_RE.search(urlsplit(url).path)


def canonical_url(url: str) -> str:
    """Drop tracking parameters (banner ?from=, share ?spm=) so one page is one URL, and the fragment."""
    parts = urlsplit(url)
    if not parts.query:
        return urlunsplit(parts._replace(fragment=""))
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    query = urlencode(kept, safe="/:,") if len(kept) != len(parse_qsl(parts.query, keep_blank_values=True)) \
        else parts.query
    return urlunsplit(parts._replace(query=query, fragment=""))


def block_heading(link) -> str:
    """The heading of the block a bare "更多>>" link sits in ("政府信息公开年报 … 更多>>")."""
    own = clean_text(" ".join(link.css("::text").getall()))
    for ancestor in reversed(link.xpath("ancestor::*[position() <= 4]")):
        for heading in ancestor.xpath(HEADING_XPATH):
            text = clean_text(" ".join(heading.xpath(".//text()").getall()))
            if text and text != own:
                return text.replace(own, "").strip()
    return ""


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


def script_pager(response: TextResponse) -> bool:
    """A pager whose next page comes from script (href="javascript:goPage(2)", onclick=turnPage(2)),
    so only a browser reaches the later pages."""
    for el in response.xpath("//a | //button | //input[@type='button'] | //*[@onclick]"):
        href = (el.attrib.get("href") or "").strip()
        action = el.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        if not action or NAVIGATING_SCRIPT_RE.search(action):
            continue
        text = clean_text(el.attrib.get("value") or " ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if SCRIPT_PAGER_TEXT_RE.match(text):
            return True
    return False


def list_groups(response: TextResponse) -> list[list[tuple[str, str]]]:
    """The page's lists: the links of each <ul>/<ol>/<table>/<dl> item block, as (url, text)."""
    groups: dict[Any, list[tuple[str, str]]] = {}
    for link in response.css(LINKS_CSS):
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


PAGER_INIT_JS = """() => {
  window.__nbItems = () => [...document.querySelectorAll('li a[href], tr a[href], dd a[href], dt a[href]')]
    .filter(a => !/^(javascript:|#)/i.test((a.getAttribute('href') || '').trim()));
  window.__nbSig = () => window.__nbItems().map(a => a.href).join('|');
  window.__nbKept = new Set();
}"""
# find the next-page control (下一页 first, else the next number) and click it, remembering the items shown
PAGER_NEXT_JS = """(n) => {
  const text = e => (e.innerText || e.value || '').replace(/\\s+/g, '');
  const scripted = e => {
    const h = (e.getAttribute('href') || '').trim(), on = e.getAttribute('onclick') || '';
    const action = on || (/^javascript:/i.test(h) ? h : '');
    if (/location|window\\.open|\\.submit\\(/i.test(action)) return false;
    if (e.tagName === 'A') return on !== '' || (/^javascript:/i.test(h) && !/void\\(0?\\)\\s*;?\\s*$/i.test(h)) || h === '#';
    return on !== '' || e.tagName === 'BUTTON' || e.tagName === 'INPUT';
  };
  const all = [...document.querySelectorAll('a, button, input[type=button], [onclick]')].filter(scripted);
  const next = all.find(e => /^(下一页|下页|后页|next|>|›|»|>>)$/i.test(text(e))) || all.find(e => text(e) === String(n + 1));
  if (!next) return false;
  window.__nbBefore = window.__nbItems().map(a => {
    const it = a.closest('li,tr,dd,dt'); return [a.href, a.outerHTML, it ? it.innerText : ''];
  });
  window.__nbLast = window.__nbSig();
  next.click();
  return true;
}"""
PAGER_CHANGED_JS = "() => window.__nbSig() !== window.__nbLast"
# the items the click took away are kept in a list of their own, so the final page holds every page's items
PAGER_KEEP_JS = """() => {
  const now = new Set(window.__nbItems().map(a => a.href));
  let keep = document.getElementById('nianbao-script-pages');
  if (!keep) { keep = document.createElement('ul'); keep.id = 'nianbao-script-pages'; document.body.appendChild(keep); }
  for (const [href, html, context] of window.__nbBefore) {
    if (now.has(href) || window.__nbKept.has(href)) continue;
    window.__nbKept.add(href);
    const li = document.createElement('li'); li.innerHTML = html;
    const span = document.createElement('span'); span.textContent = ' ' + context; li.appendChild(span);
    keep.appendChild(li);
  }
}"""


async def turn_script_pages(page: Any, max_pages: int = SCRIPT_PAGES, wait_ms: int = 4000) -> int:
    """In the browser, click a script pager (goPage(n), turnPage, onclick= 下一页) page after page and
    keep every page's items in the DOM, since Scrapy sees only the final document.  Bounded by
    `max_pages` clicks and `wait_ms` per click; a click that changes nothing ends it."""
    from playwright.async_api import Error as PlaywrightError

    turned = 0
    try:
        await page.evaluate(PAGER_INIT_JS)
        for n in range(1, max_pages):
            if not await page.evaluate(PAGER_NEXT_JS, n):
                break
            try:
                await page.wait_for_function(PAGER_CHANGED_JS, timeout=wait_ms)
            except PlaywrightError:
                break
            await page.evaluate(PAGER_KEEP_JS)
            turned += 1
    except PlaywrightError:
        pass
    return turned


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


def link_text(link) -> str:
    text = clean_text(link.attrib.get("title") or " ".join(link.css("::text").getall()))
    if BARE_LINK_RE.match(text.replace(" ", "")) or (attachment_extension("", text) and len(text) < 20):
        return row_title(link) or text
    return text


class GenericSpider(BaseSpider):
    name = "generic"
    family = "generic"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.walked: dict[str, set[str]] = {}  # per source: pages asked for as navigation or candidates
        self.reserve: dict[str, list[Request]] = {}  # per source: catalogue nodes not walked yet
        self.columns: set[str] = set()  # sources whose walk reached a report column

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.release_reserve, signal=signals.spider_idle)
        return spider

    def release_reserve(self) -> None:
        """When the crawl runs dry, a source that reached no report column walks its 公开目录's
        catalogue nodes (法定主动公开内容 …): the column may sit one level inside one of them."""
        released = False
        for source_id, requests in self.reserve.items():
            if source_id in self.columns or not requests:
                continue
            source = self.sources[source_id]
            for request in requests:
                if self.walk(request.url, source):
                    self.crawler.engine.crawl(request)
                    released = True
            requests.clear()
        if released:
            self.crawler.stats.inc_value("nianbao/generic_catalogue_walked")
            raise DontCloseSpider

    def max_depth(self, source: Any) -> int:
        return int(self.override(source, "max_depth", self.settings.getint("NIANBAO_GENERIC_MAX_DEPTH", 4)))

    def budget(self, source: Any) -> int:
        return int(self.override(source, "max_pages", self.settings.getint("NIANBAO_GENERIC_MAX_PAGES", 200)))

    def scopes(self, source: Any) -> list[str]:
        """Path prefixes navigation keeps to: each start URL's directory ("/xzjd/baishui" is the
        directory /xzjd/baishui/), except that a start at a 政务公开 root (/zwgk/, /xxgk/, /gongkai/)
        keeps the directory above it: the whole host for the portal's own root, since the column may
        sit beside it (/zfxxgk/…), and the subsite for /xzjd/baishui/zwgk/."""
        prefixes = []
        for u in source.start_urls:
            path = urlsplit(u).path or "/"
            last = path.rsplit("/", 1)[1]
            if last and "." not in last:
                path += "/"
            directory = path.rsplit("/", 1)[0] + "/"
            root = DISCLOSURE_ROOT_RE.search(path)
            prefixes.append(path[:root.start() + 1] if root else directory)
        return prefixes

    def in_scope(self, url: str, source: Any) -> bool:
        path = urlsplit(url).path or "/"
        return any(path.startswith(prefix) or path + "/" == prefix for prefix in self.scopes(source))

    def walk(self, url: str, source: Any) -> bool:
        """First time this source asks for `url` as a page to walk, and within its budget."""
        seen = self.walked.setdefault(source.id, set())
        if url in seen:
            return False
        if len(seen) >= self.budget(source):
            self.crawler.stats.inc_value("nianbao/generic_budget_spent")
            return False
        seen.add(url)
        return True

    def list_entries(self, response: TextResponse, source: Any) -> Iterator[Entry]:
        """Every link on the page, including those whose URL sits in an onclick, and a bare "下载"
        titled by its row (see link_text)."""
        if self.selector(source, "list_item"):
            for entry in super().list_entries(response, source):
                entry.url = canonical_url(entry.url)
                yield entry
            return
        for link in response.css(LINKS_CSS):
            href = link_href(link)
            if href:
                yield Entry(url=canonical_url(response.urljoin(href)), title=link_text(link),
                            published=find_date(entry_context(link)))

    def is_list_page(self, response: TextResponse, source: Any) -> bool:
        """A page reached through a report-like link ("2024年度政府信息公开工作年度报告" naming a year's
        list) that is itself a list: no report text of its own, and several report items (or one and a
        pager).  It is walked as a column, not recorded as a report."""
        text = "".join(response.xpath("//body//text()[not(ancestor::a) and not(ancestor::script) and "
                                      "not(ancestor::style) and not(ancestor::select)]").getall())
        if len("".join(text.split())) >= LIST_BODY_MAX_CHARS:
            return False
        listed = {u for group in list_groups(response) for u, t in group
                  if u != canonical_url(response.url) and not attachment_extension(u, t)
                  and self.classify(Entry(url=u, title=t)).get("is_report")}
        pager = bool(response.xpath("//a[normalize-space(.)='下一页' or normalize-space(.)='下页']")) \
            or any(True for _ in select_options(response))
        return len(listed) >= 2 or (len(listed) >= 1 and pager)

    def parse_report(self, response: Response, info: dict, parent: str | None = None,
                     depth: int = 1) -> Iterator[Any]:
        if isinstance(response, TextResponse):
            source = self.source_of(response)
            if self.is_list_page(self.decoded(response), source):
                self.crawler.stats.inc_value("nianbao/generic_report_link_was_list")
                yield from self.parse_list(response, page=1, depth=depth, column=True)
                return
        yield from super().parse_report(response, info=info, parent=parent)

    def render_request(self, response: TextResponse, source: Any, **cb_kwargs: Any) -> Request:
        """The same page again through chromium, turning a script pager if it has one."""
        from scrapy_playwright.page import PageMethod

        self.crawler.stats.inc_value("nianbao/render_fallback")
        pages = min(SCRIPT_PAGES, self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50))
        methods = [PageMethod("wait_for_load_state", "networkidle"), PageMethod(turn_script_pages, pages)]
        return self.request(response.url, source, self.parse_list, parent=response.meta.get("nianbao_parent"),
                            render=True, dont_filter=True, priority=response.request.priority,
                            meta={"playwright_page_methods": methods}, cb_kwargs=cb_kwargs)

    def browser_allowed(self, response: TextResponse, source: Any, why: str) -> bool:
        if self.settings.getbool("NIANBAO_BROWSER", True):
            return True
        self.record_problem(source.id, response.url, f"{why}: needs a browser (NIANBAO_BROWSER off)")
        return False

    def parse_list(self, response: Response, page: int = 1, depth: int = 0, column: bool = False,
                   candidate: bool = False) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        source = self.source_of(response)
        render = bool(self.override(source, "render", False))
        rendered = "playwright" in response.flags
        if not render and needs_render(response):
            self.count_page(response)
            if self.browser_allowed(response, source, "script-only list") \
                    and self.walk(response.url + "#rendered", source):
                yield self.render_request(response, source, page=page, depth=depth, column=column,
                                          candidate=candidate)
            return
        response = self.decoded(response)
        self.count_page(response)
        column = column or (not candidate and is_column_page(response))
        if column:
            self.columns.add(source.id)
        entries = list(self.list_entries(response, source))
        if column and not rendered and self.column_needs_browser(response, entries):
            # the column's list (or its later pages) is written by script: read it in the browser,
            # and take nothing from the HTML's other lists meanwhile
            if self.browser_allowed(response, source, "column listed by script") \
                    and self.walk(response.url + "#rendered", source):
                yield self.render_request(response, source, page=page, depth=depth, column=True)
                if not any(self.classify(e).get("is_report") for e in entries):
                    return
        lists = self.column_lists(response) if column else []
        region = {u: t for group in lists for u, t in group}
        # the source's own lists are those that link into the crawl's scope at all; when none does
        # (a crawl started at a column whose articles live elsewhere, /content/…), all of them
        inside = [g for g in lists if any(self.in_scope(u, source) for u, _ in g)]
        own = {u for group in (inside or lists) for u, _ in group}
        seen: set[str] = set()
        for entry in entries:
            if entry.url not in seen and self.may_take(entry, source, own):
                seen.add(entry.url)
                yield from self.consider(entry, source, parent=response.url, depth=depth)
        if column and page < self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50):
            yield from self.next_pages(response, source, page)
        if depth >= self.max_depth(source):
            return
        asked = [*self.frames(response, source, depth),
                 *self.navigate(response, source, depth, column, render, candidates=region)]
        yield from asked
        if not asked and not column and depth > 0 and catalogue_by_script(response) \
                and self.walk(response.url + "#rendered", source) \
                and self.browser_allowed(response, source, "script-built catalogue"):
            yield self.render_request(response, source, page=page, depth=depth)

    def column_needs_browser(self, response: TextResponse, entries: list[Entry]) -> bool:
        """A column whose HTML lists no report but carries script (the list comes by XHR), or whose
        later pages are reached only through a script pager."""
        if script_pager(response):
            return True
        if any(self.classify(e).get("is_report") for e in entries):
            return False
        return bool(response.xpath("//script"))

    def column_lists(self, response: TextResponse) -> list[list[tuple[str, str]]]:
        """The column's own lists: those on the page that hold a dated report title.  A column page
        also carries the site's news blocks and menus, whose items are not the column's.  A page of
        the column with no recognisable report (a last page of 解读 and 编制说明) keeps the lists most
        of whose items name a report at all, so an oddly titled report is still looked at."""
        groups = list_groups(response)
        dated = [g for g in groups if any(self.classify(Entry(url=u, title=t)).get("year") for u, t in g)]
        return dated or [g for g in groups if 2 * sum(bool(REPORT_WORD_RE.search(t)) for _, t in g) >= len(g)]

    def may_take(self, entry: Entry, source: Any, own: set[str]) -> bool:
        """A subsite's crawl takes report links outside its directory only from its column's own
        lists (`own`, see parse_list) or as files (its attachments often sit on the host's download
        servlet); a shared header's links to the host portal's reports are another body's, even
        when that header lists them."""
        if self.in_scope(entry.url, source) or entry.url in own:
            return True
        return bool(attachment_extension(entry.url, entry.title) or DOWNLOAD_URL_RE.search(urlsplit(entry.url).path))

    def navigate(self, response: TextResponse, source: Any, depth: int, column: bool,
                 render: bool, candidates: dict[str, str] | None = None) -> Iterator[Request]:
        """Links on the way to the column (by nav_score), and in a column the items of its own list
        (`candidates`, see column_lists) as candidates, within the crawl's scope."""
        hosts = {netloc(u) for u in source.start_urls}
        for link in response.css(LINKS_CSS):
            href = link_href(link)
            if not href:
                continue
            url = canonical_url(response.urljoin(href))
            text = link_text(link)
            if netloc(url) not in hosts or attachment_extension(url, text) or url == response.url:
                continue
            more = bool(MORE_RE.match(text))
            label = block_heading(link) if more else text
            parent_label = tree_parent_label(link)
            if COLUMN_RE.search(parent_label) and len(text) <= NAV_MAX_CHARS:
                label = f"{parent_label} {text}"  # a 年报 node's children (2024年度 …) are its lists
            score = nav_score(label, url)
            verdict = self.classify(Entry(url=url, title=text))
            if verdict.get("is_report") and verdict.get("year"):
                continue  # dated reports were taken as entries
            if column and (more or len(text) <= SUB_COLUMN_MAX_CHARS) and self.sub_column(url, response.url) \
                    and not any(w in label for w in DETOUR_WORDS):
                # a 年报 hub's sub-columns (省政府 / 省政府部门 / 市（州）政府) and their 更多>> links
                if self.walk(url, source):
                    yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                       priority=30, cb_kwargs={"page": 1, "depth": depth, "column": True})
            elif score >= NAV_MIN_SCORE and self.in_scope(url, source):
                if self.walk(url, source):
                    yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                       priority=min(score, 40),
                                       cb_kwargs={"page": 1, "depth": depth + 1,
                                                  "column": bool(COLUMN_RE.search(label)) and score >= 6})
            elif score < NAV_MIN_SCORE and catalogue_node(label, url) and self.in_scope(url, source):
                self.reserve.setdefault(source.id, []).append(self.request(
                    url, source, self.parse_list, parent=response.url, render=render, priority=1,
                    cb_kwargs={"page": 1, "depth": depth + 1}))
            elif column and len(text) >= CANDIDATE_MIN_CHARS and url in (candidates or {}) \
                    and self.in_scope(url, source):
                if self.walk(url, source):
                    yield self.request(url, source, self.parse_candidate, parent=response.url, priority=1,
                                       cb_kwargs={"parent": response.url, "depth": depth + 1})

    @staticmethod
    def sub_column(url: str, page_url: str) -> bool:
        """A column page's link into its own directory that reads as a list (a directory, index.* or
        list*), not an article."""
        path, here = urlsplit(url).path, urlsplit(page_url).path
        directory = here.rsplit("/", 1)[0] + "/"
        if not path.startswith(directory) or path.rstrip("/") == here.rstrip("/"):
            return False
        last = path.rsplit("/", 1)[1]
        return not last or bool(re.match(r"(?:index|list|default)[\w-]*\.\w+$", last, re.I))

    def frames(self, response: TextResponse, source: Any, depth: int) -> Iterator[Request]:
        """An <iframe> is part of the page a person sees (公开目录 trees often are one): walked at the
        same depth."""
        hosts = {netloc(u) for u in source.start_urls}
        for frame in response.css("iframe[src], frame[src]"):
            url = canonical_url(response.urljoin(frame.attrib["src"]))
            if netloc(url) in hosts and self.in_scope(url, source) and not attachment_extension(url) \
                    and self.walk(url, source):
                text = clean_text(frame.attrib.get("title") or frame.attrib.get("name") or "")
                yield self.request(url, source, self.parse_list, parent=response.url,
                                   priority=5 + min(nav_score(text, url), 30),
                                   render=bool(self.override(source, "render", False)),
                                   cb_kwargs={"page": 1, "depth": depth})

    def next_pages(self, response: TextResponse, source: Any, page: int) -> Iterator[Request]:
        """The column's other pages, at the same depth: a 下一页 link, numbered page links whose URLs
        look like pages (index_2.html, ?page=2), or TRS's createPageHTML pager script."""
        depth = response.cb_kwargs.get("depth", 0) if response.request is not None else 0
        render = bool(self.override(source, "render", False))
        kwargs = {"depth": depth, "column": True}
        urls: list[tuple[str, int]] = []
        for req in super().next_pages(response, source, page):
            urls.append((req.url, page + 1))
        for link in response.css(LINKS_CSS):
            href = link_href(link)
            text = link_text(link)
            if not href or not (text.isdigit() or text in ("尾页", "末页", *PAGER_TEXTS)):
                continue
            url = response.urljoin(href)
            if (PAGE_URL_RE.search(url) or text in PAGER_TEXTS) and url != response.url:
                urls.append((url, int(text) if text.isdigit() else page + 1))
        # a year filter's options are the column's other lists (list_2021.html …)
        urls += [(url, page + 1) for url, _ in select_options(response) if url != response.url]
        pager = trs_pager(response.text)
        if pager and page == 1 and pager[1] == 0:
            total, _, stem, ext = pager
            limit = min(total, self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50))
            urls += [(trs_page_url(response.url, stem, ext, i), i + 1) for i in range(1, limit)]
        done: set[str] = set()
        for url, number in urls:
            if url in done or number <= 1:
                continue
            done.add(url)
            yield self.request(url, source, self.parse_list, parent=response.url, render=render, priority=50,
                               cb_kwargs={"page": max(number, page + 1), **kwargs})

    def consider(self, entry: Entry, source: Any, parent: str, depth: int = 0) -> Iterator[Any]:
        """A report title with a year (or a list date) is taken on the list alone.  A report title
        with neither ("XX局政府信息公开工作年度报告", undated) is fetched as a candidate: its page's
        publication date gives the year, and an undated page of that name is walked as a column.
        Such a link outside the crawl's scope (a subsite's header naming the host portal's 年报) is
        another body's, and left alone."""
        verdict = self.classify(entry)
        if verdict.get("is_report") and verdict.get("year"):
            for req in super().consider(entry, source, parent):
                req.priority = 100
                if "info" in req.cb_kwargs and req.callback == self.parse_report:
                    req.cb_kwargs["depth"] = depth + 1
                yield req
        elif verdict.get("is_report") and not attachment_extension(entry.url) and self.in_scope(entry.url, source):
            yield self.request(entry.url, source, self.parse_candidate, parent=parent, priority=90,
                               cb_kwargs={"parent": parent, "depth": depth + 1, "published": entry.published})

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
        listing = self.is_list_page(response, self.source_of(response))
        if verdict.get("is_report") and verdict.get("year") and not listing:
            info = {"title": title, "year": verdict.get("year"), "agency": verdict.get("agency"),
                    "published": published}
            yield from self.parse_report(response, info=info, parent=parent)
            return
        # a list of reports ("省政府政府信息公开年报" naming a sub-column) is a column: paged like one
        yield from self.parse_list(response, page=1, depth=depth, candidate=not listing, column=listing)

