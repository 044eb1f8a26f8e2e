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

Links opened by script are read statically, no browser: <a href="#" data-url="…"> (data-href, data-link)
for a click listener, and a helper called with a URL path (javascript:openWin('/zwgk/'), onclick=
"showDetail('nb/1.html')").  A 年报 column whose older years come only from a POST form with a year
<select> has the form submitted once per option (`year_forms`, bounded), each answer walked as the
column.  On a platform of sub-sites (/site/qingsong/, /site/hongyan/ on one host) a file under a
neighbour's sub-site is the neighbour's report, like its pages (`sibling_subsite`).

Hosts: the walk enters the start URLs' hosts and the hosts the entry's allowed_domains lists, so a
body's 信息公开 on a sibling host (www.X.gov.cn → xxgk.X.gov.cn) is its own; a 信息公开 sibling of a
www. start host is taken even unlisted, other subdomains (a city's county sub-sites) are not (`on_site`).

Online file viewers (pdf.js viewer.html?file=, kkFileView onlinePreview?url=<base64>, …/preview?fileUrl=)
stand for the file they show: every link is unwrapped (`viewer_target`, via canonical_url), and a report
page that frames or embeds a viewer or a file has that file as its attachment (`embedded`; the base
fetches framed pages, see base.py).  A viewer page is never a report.  A page whose HTML is only a script shell ("加载中…" or an empty #app / list container
beside script that fetches data: gkmlpt, Vue/React apps) is rendered; in chromium `click_through`
clicks the elements with no href that read as the way to the 年报 or as a report (menu <div data-href>,
rows with click handlers, "#" tree nodes), through a script 下一页, and writes the URLs they route to
into the DOM as links.  Such an app's detail pages are rendered too, so their text and files are kept.

A report printed over several pages (its own pager under the article: t…_5500.html → _1, _2;
124.html → 124_2.html; ?page=2) has its later pages fetched and recorded as `page` documents under the
first (`article_pages`, `continues`); the re-parse joins them in order.  A page that is only a script
redirect (location.href='…', window.location.replace(…)) is followed statically, like a meta refresh
(`script_redirect`); a rendered list that loads more as the reader scrolls is scrolled to its end
(`scroll_to_end`).  A report whose title names a body of another place at the source's level or
above (a county's 上级政府年报 block linking the city's report, a neighbour's in 相关阅读) is that
body's (`other_body`), and a report page on a host the entry does not list is another site's.

A year filter in a GET form (<form method=get action=''><select name=year> with bare years, or
onchange="location.search='?year='+this.value") is the column's action with ?year=YYYY, one list
per option that is a year a report can cover (`year_query_urls`); a "加载更多" button under rows the
server wrote is pressed in chromium until the list stops growing (`load_more`, `press_load_more`).
A hash router's routes (/xxgk/#/detail?id=7) are pages of their own: their fragment is kept
(`hash_route`), each is rendered, and rows linking such routes are read as links, not clicked.  A
national body (`level: national`, a ministry) takes no report of a body named after a place; a
report listed only as "2023年度" is titled and owned by its page's heading or 发文机关 (`titled_by_page`).

A portal's 网站地图 is walked early, once per source (`site_map`): a 年报 column no menu on the way
names is often linked only there.  A column whose pager its own script writes from a page count (var
totalPage = 3 with '?page='+i) has its pages asked for without a browser (`script_page_urls`), and one
whose script writes a pager it does not explain is rendered (`script_written_pager`).  A row opened by its
own onclick (<tr onclick="location.href='…'">) is a link; rows calling a helper the page's external script
defines (javascript:openDetail('7521')) are clicked in one rendered page, each click's navigation caught
and aborted (`hold_navigation`).

A 年报 column page that lists nothing itself but frames its list (Hanweb's col/colN shell around
<iframe src=list.jsp>, whose document has an empty title) hands its column down to the frame (`frames`).
A year <select onchange="location=this.value"> on a column has each option judged on arrival
(`parse_option`): a report page by its own title, a file as the option's year's report, else a list.  A
report page showing neither its text nor a file, but carrying script, is rendered once more for what the
script draws (`thin_report`: an attachment list from a token-guarded API).  A source whose walk (and
reserve) reached no 年报 column asks its site search once for 年度报告 when the crawl runs dry
(`search_url`, `search_for_column`, `parse_search`: SEARCH_PAGES result pages, a column among the results
walked as the column); one that still found nothing leaves a note saying so (`note_no_column`).

Encoding: Scrapy picks the charset from the header, then <meta charset>, then sniffs, so GBK
portals decode without help; overrides.encoding forces one when a portal lies.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from scrapy import FormRequest, Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap

from crawler.sources import FIRST_REPORT_YEAR
from crawler.spiders.base import (
    DOWNLOAD_TEXT,
    DOWNLOAD_URL,
    BaseSpider,
    DocumentMemo,
    Entry,
    attachment_extension,
    clean_text,
    entry_context,
    find_date,
    full_agency,
    netloc,
    page_published,
    served_file,
    strip_session,
)
from crawler.spiders.trs import trs_page_url, trs_pager
from parsers import divisions

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
YEAR_FORM_OPTIONS = 12  # most options of a year <select> a POST form is submitted with
SCRIPT_PAGES = 20  # most list pages a browser turns through by clicking a script pager
# a link without a real href opens its page from script: window.open('…'), location.href='…'
SCRIPT_URL_RE = re.compile(r"""(?:window\.open|location(?:\.href)?\s*=|location\.(?:assign|replace))\s*\(?\s*['"]([^'"]+)['"]""")
# a click listener reading the URL from an attribute (<a href="#" data-url="/zwgk/">)
DATA_URL_ATTRS = ("data-url", "data-href", "data-link")
# a site helper called with a URL: openWin('/zwgk/index.shtml'), goto("./ndbg/"), showDetail('http://…/x.html');
# the argument must read as a path or an address (a slash, or a page/file suffix), not a number or an id
HELPER_URL_RE = re.compile(r"""\b[A-Za-z_$][\w$.]*\s*\(\s*['"]((?:https?://|\.{0,2}/)[^'"\s]*"""
                           r"""|[\w./-]+\.(?:s?html?|jsp|aspx?|php|do|pdf|docx?|wps|xlsx?)(?:\?[^'"\s]*)?)['"]""")
# an image map's <area href alt="政务公开"> is navigation like <a> (old CMS frames and banners)
# and a list row opened by its own onclick (<tr onclick="location.href='…'">, no <a> in it) is its link
LINKS_CSS = "a[href], a[onclick], a[data-url], a[data-href], a[data-link], area[href], tr[onclick], li[onclick]"
ROW_TAGS = ("tr", "li")
# a link that names no document, only the act ("下载") or a year ("2022"): its row says what it is
BARE_LINK_RE = re.compile(r"^(?:(?:点击)?(?:下载|附件|查看|详情|原文|全文|打开|阅读)(?:附件|全文|原文)?"
                          r"|(?:19|20)\d{2}(?:年度?)?)$")
YEAR_CELL_RE = re.compile(r"(?:19|20)\d{2}")
# an archive index's entries name only the year ("2023年度", "2022年"): in a 年报 column they are its lists
YEAR_LINK_RE = re.compile(r"(?:19|20)\d{2}年?度?(?:年报)?")
PAGER_WORDS = ("尾页", "末页", "首页", "上一页", "上页", *("下一页", "下页"))
SITE_MAP_RE = re.compile(r"^(?:网站地图|站点地图|网站导航|sitemap|sitemaps|网站地图导航)$", re.I)
SITE_MAPS = 1  # 网站地图 pages walked per source
SITEMAP_FILES = 5  # sitemap.xml files (from robots.txt, or a sitemap index's) read per source
SITEMAP_ENTRIES = 50_000  # the sitemap protocol's own limit of URLs in one file
SITEMAP_CANDIDATES = 100  # report-like URLs of sitemaps fetched per source
# a URL path that reads as a 年报 column's item (…/zfxxgk/ndbg/202501/t…html, /xxgknb/…)
REPORT_URL_RE = re.compile(r"/(?:nianbao|xxgknb|zfxxgknb|gknb|ndbg|ndbb|zfxxgkndbg|gzndbg|xxgkndbg)\b", re.I)
# an article split over pages (TRS t…_5500.html → _1, _2; DedeCMS 124.html → 124_2.html; ?page=2): the
# links of its own pager, by their text, to URLs that continue the article's own URL
ARTICLE_PAGER_TEXT_RE = re.compile(r"^(?:\d{1,3}|\[\d{1,3}\]|第\d{1,3}页|下一页|下页|上一页|上页|首页|尾页|末页|后页|前页)$")
ARTICLE_PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "curpage", "p", "pn")
ARTICLE_PAGES = 30  # most continuation pages fetched for one report
# online file viewers (pdf.js viewer.html?file=, kkFileView onlinePreview?url=<base64>, …/preview?fileUrl=):
# the link is the file they wrap
VIEWER_PATH_RE = re.compile(r"viewer|preview|pdfjs|yulan|/view(?:\.\w+)?$", re.I)
# a 政府信息公开 host beside the body's www host (www.X.gov.cn → xxgk.X.gov.cn)
SIBLING_LABELS = ("xxgk", "zwgk", "zfxxgk", "gk", "gongkai", "xxgkml", "zdgk")
LIST_BODY_MAX_CHARS = 1000  # a report's own text runs to thousands of characters; a list page's to a few hundred
SUB_COLUMN_MAX_CHARS = 10  # tab and sub-column names (省政府, 市（州）政府) are short
HEADING_XPATH = ("./*[self::h1 or self::h2 or self::h3 or self::h4 or contains(@class, 'tit') "
                 "or contains(@class, 'hd') or contains(@class, 'head') or contains(@class, 'name')]")


def link_href(link) -> str:
    """Where a link goes: its href, or for href="javascript:void(0)" / "#" the URL its script opens:
    a data-url / data-href / data-link attribute read by a click listener, window.open / location.href
    in its onclick, or a site helper called with a URL path (javascript:openWin('/zwgk/'),
    onclick="openWin('…')").  Read statically, so such a link costs no browser."""
    href = (link.attrib.get("href") or "").strip()
    if href and (not href.lower().startswith(("javascript:", "#", "mailto:")) or HASH_ROUTE_RE.match(href)):
        return href
    for key in DATA_URL_ATTRS:
        value = (link.attrib.get(key) or "").strip()
        if value and not value.lower().startswith(("javascript:", "#", "mailto:")):
            return value
    for action in (link.attrib.get("onclick") or "", href):
        m = SCRIPT_URL_RE.search(action)
        if m and not m.group(1).lower().startswith(("javascript:", "#")):
            return m.group(1)
    for action in (link.attrib.get("onclick") or "", href):
        m = HELPER_URL_RE.search(action)
        if m:
            return m.group(1)
    return ""


def select_options(response: TextResponse) -> Iterator[tuple[str, str]]:
    """A year filter: each option is a list page.  <select onchange="location.href=this.value"> has the
    page's URL as the option value; a GET form's <select name=year> (with a 查询 button, or
    onchange="location.search='?year='+this.value") has only the year, and the list is the form's
    action with ?year=YYYY, as the browser builds it (see `year_query_urls`)."""
    for select in response.xpath("//select[contains(@onchange, 'location') or contains(@onchange, 'window.open')]"):
        if query_select(select):
            continue
        for option in select.xpath(".//option[@value]"):
            value = option.attrib.get("value", "").strip()
            if value and not value.lower().startswith(("javascript:", "#")):
                yield canonical_url(response.urljoin(value)), clean_text(" ".join(option.xpath(".//text()").getall()))
    yield from year_query_urls(response)


# onchange="location.search='?year='+this.value": the parameter the select's value goes into
LOCATION_SEARCH_RE = re.compile(r"""location\.search\s*=\s*['"]\??([\w-]+)=['"]\s*\+""")
# an option value that is a form value (2024, 34), not a URL (list_2024.html, ?year=2024, /ndbg/2024/)
BARE_VALUE_RE = re.compile(r"^[\w-]+$")


def query_select(select) -> str | None:
    """The query parameter a year <select> fills, when its options are form values rather than URLs:
    a select in a GET form (its name) or one whose onchange sets location.search."""
    values = [o.attrib.get("value", "").strip() for o in select.xpath(".//option[@value]")]
    if not values or not all(BARE_VALUE_RE.match(v) for v in values if v):
        return None
    m = LOCATION_SEARCH_RE.search(select.attrib.get("onchange") or "")
    if m:
        return m.group(1)
    form = select.xpath("ancestor::form[1]")
    if select.attrib.get("name") and form and (form[0].attrib.get("method") or "get").strip().lower() == "get":
        return select.attrib["name"]
    return None


def report_years() -> range:
    """The years a year filter may be asked for: reports exist from 2008 (the Regulations) to this year."""
    return range(FIRST_REPORT_YEAR, date.today().year + 1)


def year_query_urls(response: TextResponse) -> Iterator[tuple[str, str]]:
    """A GET year filter (<form method=get action=''><select name=year>… or a select setting
    location.search): one list URL per year option, the form's action with its fields and ?year=YYYY,
    as the browser submits it.  Only options that are years a report can cover (`report_years`), so
    a 1990–2030 select or a filter of channel ids asks for nothing more."""
    years = report_years()
    for select in response.xpath("//select"):
        name = query_select(select)
        if not name:
            continue
        form = select.xpath("ancestor::form[1]")
        action = form[0].attrib.get("action", "").strip() if form else ""
        if URL_DETOUR_RE.search(urlsplit(action).path.replace("query", "")):
            continue
        base = urlsplit(response.urljoin(action) if action else response.url)
        others = [(k, v) for k, v in form_fields(form[0]) if k != select.attrib.get("name")] if form else []
        for option in select.xpath(".//option[@value]"):
            value = option.attrib["value"].strip()
            if not (value.isdigit() and int(value) in years):
                continue
            query = urlencode([*others, (name, value)])
            yield (canonical_url(urlunsplit(base._replace(query=query, fragment=""))),
                   clean_text(" ".join(option.xpath(".//text()").getall())))


def tree_parent_label(link) -> str:
    """The label of the tree node a link hangs under (<li><a>政府信息公开年报</a><ul><li><a>2024年度…),
    so a child named only by its year inherits what its parent says."""
    parents = link.xpath("ancestor::li[1]/parent::*[self::ul or self::ol]/parent::li/*[self::a or self::span"
                         " or self::div or self::em or self::strong][1]")
    return clean_text(" ".join(parents[0].xpath(".//text()").getall())) if parents else ""


def cell_title(link) -> str:
    """A table cell reading only "查看" or a bare year ("2022"): the row's first cell names the body,
    the column's header the year, and a 年报 table's heading what the document is
    (单位 × 2024年度 → "临川县教育局2024年度政府信息公开工作年度报告")."""
    cell = link.xpath("ancestor::*[self::td or self::th][1]")
    row = link.xpath("ancestor::tr[1]")
    if not cell or not row:
        return ""
    cells = row[0].xpath("./td | ./th")
    index = next((i for i, c in enumerate(cells) if c.root is cell[0].root), 0)
    if index == 0:
        return ""
    body = clean_text(" ".join(cells[0].xpath(".//text()").getall()))
    header_rows = row[0].xpath("ancestor::table[1]//tr[th]")
    header = ""
    if header_rows and header_rows[0].root is not row[0].root:
        heads = header_rows[0].xpath("./th | ./td")
        if index < len(heads):
            header = clean_text(" ".join(heads[index].xpath(".//text()").getall()))
    own = clean_text(" ".join(link.xpath(".//text()").getall()))
    year = header if YEAR_CELL_RE.search(header) else own if YEAR_CELL_RE.search(own) else ""
    if not body or not year:
        return ""
    table = row[0].xpath("ancestor::table[1]")[0]
    heading = clean_text(" ".join(
        table.xpath("./caption//text()").getall()
        or table.xpath("(preceding::*[self::h1 or self::h2 or self::h3 or self::h4])[last()]//text()").getall()))
    what = "政府信息公开工作年度报告" if COLUMN_RE.search(heading) else heading
    if YEAR_CELL_RE.fullmatch(year):
        year += "年"
    return f"{body}{year}{what}"


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


def viewer_target(url: str) -> str | None:
    """The file an online viewer link wraps: pdf.js `viewer.html?file=/uploads/x.pdf`, kkFileView
    `onlinePreview?url=<base64 of the file URL>`, `…/preview?fileUrl=…`.  The value may be plain,
    percent-encoded (once more) or base64; it counts only when it names a document file, so a
    download servlet's `?file=` (which serves the file itself) is not a viewer unless its path says so."""
    parts = urlsplit(url)
    if not parts.query or not VIEWER_PATH_RE.search(parts.path):
        return None
    for _, value in parse_qsl(parts.query, keep_blank_values=True):
        for cand in (value, unquote(value), decode_base64(value)):
            cand = (cand or "").strip().split("#")[0]
            if cand and re.match(r"(?:https?://|/|\w)", cand, re.I) and attachment_extension(cand):
                return urljoin(url, cand)
            if cand and re.match(r"(?:https?://|/)", cand, re.I) and servlet_file(cand):
                return urljoin(url, cand)
    return None


def servlet_file(url: str) -> bool:
    """A download servlet's URL, which names no file type: /attach/download?path=<base64 of /upload/x.pdf>,
    download.jsp?fileId=12.  A viewer's file= wrapping one shows that servlet's file."""
    if DOWNLOAD_URL.search(url):
        return True
    return any(attachment_extension(decode_base64(v) or "") for _, v in parse_qsl(urlsplit(url).query))


def decode_base64(value: str) -> str | None:
    """kkFileView's url= is the file URL in base64 (a "+" may arrive as a space)."""
    raw = value.strip().replace(" ", "+")
    if len(raw) < 8 or not re.fullmatch(r"[A-Za-z0-9+/_-]+=*", raw):
        return None
    raw += "=" * (-len(raw) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            return decode(raw).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
    return None


# a hash router's route (#/detail?id=7, #!/list/34): in a script app each is a page of its own
HASH_ROUTE_RE = re.compile(r"^#!?/[\w-]")
# the same test as a JS regex literal, for the scripts run in chromium (PAGER_INIT_JS, CLICK_FIND_JS)
HASH_ROUTE_JS = "/" + HASH_ROUTE_RE.pattern.replace("/", "\\/") + "/"


def hash_route(url: str) -> bool:
    """The URL names a route of a hash-routed script app (/xxgk/#/detail?id=7): a different page from
    /xxgk/#/list?id=34, though an HTTP client fetches the same shell for both."""
    return bool(HASH_ROUTE_RE.match("#" + urlsplit(url).fragment)) if "#" in url else False


def canonical_url(url: str) -> str:
    """Drop tracking parameters (banner ?from=, share ?spm=) so one page is one URL, and the fragment,
    unless it is a hash router's route (`hash_route`).  A viewer link is the file it wraps (`viewer_target`)."""
    url = strip_session(viewer_target(url) or url)
    parts = urlsplit(url)
    if not hash_route(url):
        parts = parts._replace(fragment="")
    if not parts.query:
        return urlunsplit(parts)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    query = urlencode(kept, safe="/:,") if len(kept) != len(parse_qsl(parts.query, keep_blank_values=True)) \
        else parts.query
    return urlunsplit(parts._replace(query=query))


def block_heading(link) -> str:
    """The heading of the block a bare "更多>>" link sits in ("政府信息公开年报 … 更多>>")."""
    own = clean_text(" ".join(link.css("::text").getall()))
    for ancestor in reversed(link.xpath("ancestor::*[position() <= 4]")):
        for heading in ancestor.xpath(HEADING_XPATH):
            text = clean_text(" ".join(heading.xpath(".//text()").getall()))
            if text and text != own:
                return text.replace(own, "").strip()
    return ""


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


CONDITIONAL_SCRIPT_RE = re.compile(r"\bfunction\b|\bif\s*\(|=>|addEventListener|\bon\w+\s*=|\?|\belse\b")


def script_redirect(response: TextResponse) -> str | None:
    """Where a page that is only a script redirect sends the browser (<script>location.href='/wjw/';
    window.location.replace("list_1.html"), top.location=…): a page with next to no text and no links
    of its own.  Read statically, like <meta http-equiv=refresh>; a real page that merely carries such a
    script somewhere (a mobile-site switch) has text and links, and is read as itself."""
    if len(response.css("a[href]")) > 2:
        return None
    text = "".join(response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style) and "
                                  "not(ancestor::noscript)]").getall())
    if len("".join(text.split())) > 200:
        return None
    for script in response.xpath("//script[not(@src)]/text()").getall():
        m = SCRIPT_URL_RE.search(script)
        # the redirect must be what the script does, not a branch of an app (if (!token) location.href=
        # '/login.html'), a handler or a function defined for later
        if m and not CONDITIONAL_SCRIPT_RE.search(script[:m.start()]) and len(script.strip()) <= 400 \
                and not m.group(1).lower().startswith(("javascript:", "#", "about:")) \
                and not URL_DETOUR_RE.search(urlsplit(m.group(1)).path):
            return response.urljoin(m.group(1))
    return None


# the place a body's name begins with (天柱市人民政府, 红岩县教育局, 云岭省财政厅): a county, city, prefecture
# or province; development zones and parks (开发区, 经开区, 高新区, 园区) are a body's own units, not places
AGENCY_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:自治区|自治州|自治县|省|市|县|州|盟|旗|区)")
NOT_PLACE_RE = re.compile(r"开发|经开|园|新区|高新|管委|示范|保税|试验|合作|景区|矿区|林区|垦区")


PLACE_LEVELS = (("自治区", 3), ("省", 3), ("自治州", 2), ("地区", 2), ("市", 2), ("州", 2), ("盟", 2),
                ("自治县", 1), ("县", 1), ("区", 1), ("旗", 1))


RANK_LEVELS = {divisions.PROVINCE: 3, divisions.PREFECTURE: 2, divisions.COUNTY: 1}


def place_level(place: str, province: str | None = None) -> int:
    """3 province, 2 prefecture, 1 county, 0 unknown.  A 市 is either: 济宁市 a prefecture, 邹城市 (of
    济宁) and 巩义市 (of 郑州) county-level cities; the national division list (parsers/divisions.tsv)
    tells which, among the divisions of `province` when the source's region names one (a portal's
    lower governments are in its province).  A place it does not know is read by its ending, a 市
    as a prefecture."""
    found = divisions.by_name(place)
    if province:
        found = [d for d in found if d.province == province]
    levels = {RANK_LEVELS[d.rank] for d in found}
    if len(levels) == 1:
        return levels.pop()
    return next((level for suffix, level in PLACE_LEVELS if place.endswith(suffix)), 0)


# what a registry that cannot say `level: national` writes for a central body's region
NATIONAL_REGIONS = ("全国", "中央", "国家", "中国", "中华人民共和国")


def national(source: Any) -> bool:
    """A central body (a ministry, a national administration): `level: national`, or an older registry's
    stand-in region {province: 全国}."""
    region = getattr(source, "region", None) or {}
    return getattr(source, "level", None) == "national" or region.get("province") in NATIONAL_REGIONS


def own_place(source: Any) -> str:
    """The source's own place as its registry entry names it: the most specific of county, city,
    province, else the place its name begins with."""
    region = getattr(source, "region", None) or {}
    place = region.get("county") or region.get("city") or region.get("province") or ""
    if not place:
        m = AGENCY_PLACE_RE.match(getattr(source, "name", "") or "")
        place = m.group(0) if m else ""
    return place


# a block of the portal's departments: 部门网站, 部门导航, 政府部门, 部门政府信息公开年报
DEPARTMENT_HEADING_RE = re.compile(r"部门|委办局|工作部门|政府机构|机构导航")
BODY_SUFFIX_RE = re.compile(r"(?:局|委员会|委|办公室|办|中心|院|署|厅|分局)$")
DEPARTMENT_SITES = 30  # most department sites walked per source
DEPARTMENT_PROBES = 3  # department sites asked for before one is known to be a live site


def own_body_name(text: str, source: Any) -> bool:
    """A link reading only as a body of the source's own place (临水县教育局 on 临水县's portal)."""
    name = text.replace(" ", "")
    place = own_place(source)
    return bool(place) and name.startswith(place) and len(place) + 2 <= len(name) <= 20 \
        and bool(BODY_SUFFIX_RE.search(name)) and not REPORT_WORD_RE.search(name)


def other_body(agency: str | None, source: Any) -> bool:
    """A report whose title names the body of another place at the source's level or above it (a
    county portal's 上级政府年报 block linking the city's report, a neighbour county's report in
    相关阅读): that body's, not the source's.  The source's departments and units carry its place
    (天柱市财政局, 青林县教育局, a 卫健委's 云州市疾病预防控制中心, also as the short 天柱 of 天柱经济开发区);
    a name with no place (教育局) is its own; and the lower governments a portal publishes in its own
    年报 hub (a province's 市（州）政府 column) are kept, as the portal presents them as its own.
    A national body (a ministry) has no place: every body whose name begins with one (东川省山河资源厅
    in its 各地年报 block) is a local body, another body."""
    if agency and national(source):
        m = AGENCY_PLACE_RE.match(agency)
        return bool(m) and not NOT_PLACE_RE.search(m.group(0))
    place = own_place(source)
    if not agency or not place:
        return False
    short = re.sub(r"(?:自治区|自治州|自治县|省|市|县|州|盟|旗|区)$", "", place)
    if place in agency or (len(short) >= 2 and short in agency):
        return False
    m = AGENCY_PLACE_RE.match(agency)
    if not m or NOT_PLACE_RE.search(m.group(0)):
        return False
    province = (getattr(source, "region", None) or {}).get("province")
    return place_level(m.group(0), province) >= place_level(place, province) > 0


def verdict_other_body(verdict: dict, source: Any) -> bool:
    """`other_body` for a classify verdict, its agency completed with the source's region (`full_agency`)."""
    return other_body(full_agency(verdict.get("agency"), getattr(source, "region", None)), source)


# the label of an article's 信息索引 table (索引号 / 主题分类 / 发文机关 / 成文日期) that names its body:
# alone in its cell (the body in the next), or followed by the body in the same cell or span
ISSUER_LABEL = r"(?:发文机关|发布机关|发布机构|发文单位|公开主体|公开机构)"
ISSUER_LABEL_RE = re.compile(rf"^{ISSUER_LABEL}[:：]?$")
ISSUER_INLINE_RE = re.compile(rf"^{ISSUER_LABEL}[:：](\S{{2,40}})$")


def issuing_body(response: TextResponse) -> str | None:
    """The body an article's metadata table names (<td>发文机关</td><td>山河资源部</td>, or
    "发布机构：X" in one cell or span)."""
    for el in response.xpath("//td | //th | //span | //label | //dt | //b | //strong"):
        text = clean_text(" ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if ISSUER_LABEL_RE.match(text):
            nxt = el.xpath("following-sibling::*[1]")
            value = clean_text(" ".join(nxt[0].xpath(".//text()").getall())) if nxt else ""
            if 2 <= len(value) <= 40:
                return value
        m = ISSUER_INLINE_RE.match(text)
        if m:
            return m.group(1)
    return None


def page_titles(response: TextResponse) -> list[str]:
    """What a page calls itself, best first: ArticleTitle meta, <h1>, <title> (its site name cut off)."""
    found = [response.xpath("//meta[@name='ArticleTitle']/@content").get() or "",
             " ".join(response.css("h1 ::text").getall()),
             re.split(r"[_|\-–—]", response.css("title::text").get() or "")[0]]
    return [t for t in (clean_text(f) for f in found) if t]


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


def form_fields(form: Any) -> list[tuple[str, str]]:
    """What a browser sends for a form as it stands (Scrapy 2.13+ deprecates FormRequest.from_response):
    named inputs (ticked boxes and radios only; no file, image, reset or button), the first submit
    button (the "click"), each select's chosen (else first) option, textareas; disabled ones never."""
    out: list[tuple[str, str]] = []
    clicked = False
    for el in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name] | .//button[@name]"):
        tag, name = el.root.tag.lower(), el.attrib["name"]
        if "disabled" in el.attrib:
            continue
        kind = (el.attrib.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag == "select":
            options = el.xpath(".//option")
            chosen = [o for o in options if "selected" in o.attrib] or ([] if "multiple" in el.attrib else options[:1])
            out += [(name, o.attrib.get("value", clean_text(" ".join(o.xpath(".//text()").getall())))) for o in chosen]
        elif tag == "textarea":
            out.append((name, "".join(el.xpath(".//text()").getall())))
        elif kind == "submit":
            if not clicked:
                out.append((name, el.attrib.get("value", "")))
                clicked = True
        elif kind in ("checkbox", "radio"):
            if "checked" in el.attrib:
                out.append((name, el.attrib.get("value", "on")))
        elif kind not in ("file", "image", "reset", "button"):
            out.append((name, el.attrib.get("value", "")))
    return out


def catalogue_by_script(response: TextResponse) -> bool:
    """A page whose own script writes the 公开目录 (a zTree fed from inline JSON naming 年报) while its
    HTML offers no way on: a browser shows what the HTML does not."""
    if "playwright" in response.flags:
        return False
    scripts = " ".join(response.xpath("//script[not(@src)]/text()").getall())
    return bool(DOM_SCRIPT_RE.search(scripts) and CATALOGUE_SCRIPT_RE.search(scripts))


def script_pager(response: TextResponse) -> bool:
    """A pager whose next page comes from script (href="javascript:goPage(2)", onclick=turnPage(2)),
    so only a browser reaches the later pages.  A WebForms __doPostBack pager in a plain form is read
    without one (`static_postback`)."""
    static = static_postback(response)
    for el in response.xpath("//a | //button | //input[@type='button'] | //*[@onclick]"):
        href = (el.attrib.get("href") or "").strip()
        action = el.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        if not action or NAVIGATING_SCRIPT_RE.search(action) or (POSTBACK_RE.search(action) and static):
            continue
        text = clean_text(el.attrib.get("value") or " ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if SCRIPT_PAGER_TEXT_RE.match(text):
            return True
    return False


# an ASP.NET WebForms pager: <a href="javascript:__doPostBack('ctl00$…$AspNetPager1','3')">3</a>, posting
# the page's own form (__VIEWSTATE, __EVENTVALIDATION) back to the list's URL
POSTBACK_RE = re.compile(r"""__doPostBack\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]*)['"]\s*\)""")
POSTBACK_FIELDS = ("__EVENTTARGET", "__EVENTARGUMENT")


def postback_form(response: TextResponse) -> Any | None:
    """The WebForms form a postback submits: the one carrying __VIEWSTATE (else None)."""
    forms = response.xpath("//form[.//input[@name='__VIEWSTATE']]")
    return forms[0] if forms else None


def postback_next(response: TextResponse, page: int) -> tuple[str, str] | None:
    """(event target, argument) of the pager's way to the next page: its 下一页 link, else the link
    numbered page + 1; None when the pager ends here (下一页 disabled, no such number) or is no postback."""
    numbered = None
    for link in response.xpath("//a[contains(@href, '__doPostBack') or contains(@onclick, '__doPostBack')]"):
        m = POSTBACK_RE.search((link.attrib.get("href") or "") + " " + (link.attrib.get("onclick") or ""))
        if not m:
            continue
        text = clean_text(" ".join(link.xpath(".//text()").getall())).replace(" ", "")
        if text in PAGER_TEXTS:
            return m.group(1), m.group(2)
        if text == str(page + 1):
            numbered = (m.group(1), m.group(2))
    return numbered


def static_postback(response: TextResponse) -> bool:
    """A pager of __doPostBack links inside a plain WebForms form: its pages are asked for by POSTing
    the form as received (`postback_next`), no browser needed."""
    return postback_form(response) is not None and bool(POSTBACK_RE.search(response.text))


# a link run by a site helper with one id, not a URL: onclick="downloadFile('123')",
# href="javascript:openDetail('7521')", "view(3410);return false;" -> (helper name, id)
HELPER_CALL_RE = re.compile(r"""^(?:javascript:)?\s*([A-Za-z_$][\w$.]*)\s*\(\s*['"]?([\w.-]+)['"]?\s*\)\s*;?\s*"""
                            r"""(?:return\s+false;?)?\s*$""", re.I)
HELPER_FILE_NAME_RE = re.compile(r"down|file|attach|fujian|fj", re.I)
HELPER_SCRIPTS = 3  # most script files of one page read for a download helper's definition
HELPER_FILES = 20  # most helper-called file links of one page fetched (a page of 10,000 onclick rows)


def helper_file_calls(response: TextResponse) -> list[tuple[str, str, str]]:
    """(helper name, argument, link text) of the page's file links that call a helper with an id
    (onclick="downloadFile('123')"): the link names a file (附件 text with a file suffix, 下载) or the
    helper's name says download."""
    out = []
    for link in response.xpath("//a[@onclick or starts-with(normalize-space(@href), 'javascript:')]"):
        for action in (link.attrib.get("onclick") or "", (link.attrib.get("href") or "").strip()):
            m = HELPER_CALL_RE.match(action.strip())
            if not m:
                continue
            text = clean_text(link.attrib.get("title") or " ".join(link.xpath(".//text()").getall()))
            if attachment_extension("", text) or DOWNLOAD_TEXT.match(text) or HELPER_FILE_NAME_RE.search(m.group(1)):
                out.append((m.group(1), m.group(2), text))
            break
        if len(out) >= HELPER_FILES:
            break
    return out


def helper_template(script: str, name: str) -> tuple[str, str] | None:
    """How a helper builds its URL from its argument: (prefix, suffix) of
    `function downloadFile(id) { window.location.href = '/Common/Download.ashx?fileId=' + id; }` (also
    `var downloadFile = function (id) {…}`, window.open(…)), or None when the script does not say."""
    head = re.search(rf"(?:function\s+{re.escape(name)}\s*\(|\b{re.escape(name)}\s*=\s*function\s*\()\s*(\w+)", script)
    if head is None:
        return None
    param = head.group(1)
    body = script[head.end():head.end() + 600]
    m = re.search(rf"""['"]([^'"\s]*)['"]\s*\+\s*{param}\b(?:\s*\+\s*['"]([^'"\s]*)['"])?""", body)
    if m is None or not m.group(1) or not (m.group(1).startswith(("/", "http", ".")) or "?" in m.group(1)):
        return None
    return m.group(1), m.group(2) or ""


def helper_url(page_url: str, template: tuple[str, str], arg: str) -> str | None:
    """The URL a helper builds for `arg`, when it is a page of the page's own host: a template is read
    out of script code, so one that builds another site's URL (a share or search widget) or a
    javascript:/data: one is no file of the page's."""
    url = canonical_url(urljoin(page_url, template[0] + arg + template[1]))
    if urlsplit(url).scheme not in ("http", "https") or netloc(url) != netloc(page_url):
        return None
    return url


def helper_file_urls(response: TextResponse, scripts: list[str]) -> list[tuple[str, str]]:
    """(URL, link text) of the page's helper-called file links whose helper one of `scripts` defines."""
    out = []
    for name, arg, text in helper_file_calls(response):
        for script in scripts:
            template = helper_template(script, name)
            if template:
                url = helper_url(response.url, template, arg)
                if url:
                    out.append((url, text))
                break
    return out


# a pager the list's own script writes from a page count (var totalPage = 3; … '<a href="?page='+i+'">')
SCRIPT_TOTAL_RE = re.compile(r"\b(?:total_?pages?|page_?count|count_?page|page_?total|total_?page_?(?:num|count)|all_?pages?)"
                             r"\s*[=:]\s*['\"]?(\d{1,9})\b", re.I)
SCRIPT_PAGE_PARAM_RE = re.compile(r"""[?&]([A-Za-z_]\w{0,15})=['"]\s*\+""")
PAGE_PARAMS = (*ARTICLE_PAGE_PARAMS, "currentpage", "page_no", "pageindex", "cpage")


def _script_pager(response: TextResponse) -> tuple[Any, str, list[tuple[str, str]], int] | None:
    """A list's pager written by its own inline script from a page count: (the pages' URL parts, the
    page parameter, the other query parameters, the count), or None."""
    for script in response.xpath("//script[not(@src)]/text()").getall():
        total = SCRIPT_TOTAL_RE.search(script)
        param = next((p for p in SCRIPT_PAGE_PARAM_RE.finditer(script) if p.group(1).lower() in PAGE_PARAMS), None)
        if not total or not param:
            continue
        # the page's URL is the one the script writes (list_data.jsp?page=), else the page's own
        parts, name = urlsplit(urljoin(response.url, _script_url_path(script, param.start()))), param.group(1)
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
        return parts, name, kept, int(total.group(1))
    return None


def script_page_total(response: TextResponse) -> int:
    """How many pages a script-written pager says the list has (0: none)."""
    pager = _script_pager(response)
    return pager[3] if pager else 0


def script_page_urls(response: TextResponse, limit: int | None = None) -> list[tuple[str, int]]:
    """(URL, page number) of a list's other pages when its pager is written by its own inline script
    from a page count (var totalPage = 3 … href="?page='+i+'"): the HTML holds no pager link, but the
    script names the count and the parameter a page's URL carries, so no browser is needed.  At most
    `limit` pages: a count of 99999999 is a claim, not a reason to build a hundred million URLs."""
    pager = _script_pager(response)
    if pager is None:
        return []
    parts, name, kept, total = pager
    limit = PAGE_LINKS if limit is None else limit
    return [(urlunsplit(parts._replace(query=urlencode([*kept, (name, str(n))]), fragment="")), n)
            for n in range(2, min(total, limit) + 1)]


def _script_url_path(script: str, at: int) -> str:
    """The URL written just before a script's "?page='+" (`'list_data.jsp?cid=3&page='+i`), or "" (the page's
    own URL) when the parameter opens its string (`'?page='+i`, `'&page='+i`)."""
    head = re.search(r"""['"]([^'"\s<>+]*)$""", script[:at])
    if head is None or not head.group(1):
        return ""
    return head.group(1)


def script_written_pager(response: TextResponse) -> bool:
    """A list whose pager its own inline script writes (innerHTML / document.write of 下一页, or from a
    page count) while the HTML holds no pager link and the script does not say how a page's URL is
    made (`script_page_urls`): only a browser shows the pager, and `turn_script_pages` turns it."""
    scripts = " ".join(response.xpath("//script[not(@src)]/text()").getall())
    if not (DOM_SCRIPT_RE.search(scripts) or "document.write" in scripts):
        return False
    if not (re.search(r"下一?页", scripts) or SCRIPT_TOTAL_RE.search(scripts)):
        return False
    return not (response.xpath("//a[normalize-space(.)='下一页' or normalize-space(.)='下页']")
                or script_page_urls(response) or trs_pager(response.text))


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


# a button that appends the list's next rows in place (XHR): 加载更多, 查看更多, 点击加载更多, 显示更多
LOAD_MORE_TEXT_RE = re.compile(r"^(?:点击)?(?:加载|查看|显示|展开)更多(?:数据|内容|信息)?[>»›…\.。]*$|^(?:load|show)more$", re.I)


def load_more(response: TextResponse) -> bool:
    """A "加载更多" button under a list whose first rows the server wrote: the rest come only by a
    click (its script fetches them), so a browser must press it.  A "查看更多" *link* to another page
    is navigation, read as such."""
    for el in response.xpath("//a | //button | //input[@type='button'] | //*[@onclick]"):
        text = clean_text(el.attrib.get("value") or " ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if not LOAD_MORE_TEXT_RE.match(text):
            continue
        href = (el.attrib.get("href") or "").strip()
        action = el.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        if NAVIGATING_SCRIPT_RE.search(action) and not re.search(r"void\(0?\)", action):
            continue
        if el.root.tag in ("button", "input") or action or href in ("", "#"):
            return True
    return False


PAGE_LINKS = 1000  # links of one page read in full; of the rest only those naming 年报/报告 or paging, as many again
_PAGE_LINKS = DocumentMemo(2)  # the last pages asked about (each read several times): (links read, total)


def _page_links(response: TextResponse) -> tuple[list, int]:
    return _PAGE_LINKS.get(response, lambda: _read_page_links(response))


def _read_page_links(response: TextResponse) -> tuple[list, int]:
    links = response.css(LINKS_CSS)
    total = len(links)
    if total > PAGE_LINKS:
        named = (a for a in links[PAGE_LINKS:] if _kept_past_cap((a.root.get("title") or "") + "".join(a.root.itertext())))
        links = [*links[:PAGE_LINKS], *itertools.islice(named, PAGE_LINKS)]
    return list(links), total


def _kept_past_cap(text: str) -> bool:
    """A link past PAGE_LINKS still read: it names 年报/报告, or it is the list's pager (1 2 3 下一页)."""
    text = "".join(text.split())
    return bool(REPORT_WORD_RE.search(text)) or text.isdigit() or text in PAGER_WORDS


def page_links(response: TextResponse) -> list:
    """The links of a page the walk reads (LINKS_CSS, document order).  A site map or a whole
    信息公开 list can hold 10,000 links; every link costs a classification, and every source's crawl
    waits while one page is read (one event loop), so past PAGE_LINKS only links whose text names
    年报/报告, and the pager's, are read (parse_list notes the cut)."""
    return _page_links(response)[0]


def link_total(response: TextResponse) -> int:
    """How many links (LINKS_CSS) the page has, read or not."""
    return _page_links(response)[1]


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


PAGER_INIT_JS = r"""() => {
  window.__nbItems = () => [...document.querySelectorAll('li a[href], tr a[href], dd a[href], dt a[href]')]
    .filter(a => { const h = (a.getAttribute('href') || '').trim(); return !/^(javascript:|#)/i.test(h) || HASH_ROUTE_JS.test(h); });
  window.__nbSig = () => window.__nbItems().map(a => a.href).join('|');
  window.__nbKept = new Set();
}""".replace("HASH_ROUTE_JS", HASH_ROUTE_JS)
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
  const all = [...document.querySelectorAll('a, button, input[type=button], [onclick]')]
    .filter(e => scripted(e) && !e.matches('[disabled],.disabled'));
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


# a page whose content script fills in: a "加载中…" placeholder, or an empty app root / list container
LOADING_RE = re.compile(r"^(?:数据)?(?:正在)?加载(?:中)?(?:\.|…|。|,|，)*$|^loading(?:\.|…)*$", re.I)
FETCH_SCRIPT_RE = re.compile(r"fetch\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\(|axios|/api/", re.I)
SHELL_CONTAINER_RE = re.compile(r"list|tree|content|data|table", re.I)
# a 公开目录 tree drawn by a script file (zTree: <ul id="catalogTree" class="ztree">, jsTree, el-tree)
TREE_CONTAINER_RE = re.compile(r"tree", re.I)
# menu items worth a click on the way to the column (a click costs a round trip: only these)
CLICK_NAV_RE = re.compile(r"年报|年度报告|信息公开|政务公开|公开目录")
EXPLORE_CLICKS = 40  # most elements clicked on one rendered page (menu items, rows), over all its pages


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


# In chromium: elements with no href of their own that a person clicks (a menu <div data-href>, a list
# row <div data-id> with a click handler, a tree node <a href="#2531">), whose text reads as the way to
# the 年报 column (short) or as a report (a row).  They are numbered in window.__nbTargets.
CLICK_FIND_JS = r"""([navRe, rowRe, skipRe]) => {
  navRe = new RegExp(navRe); rowRe = new RegExp(rowRe); skipRe = new RegExp(skipRe);
  const sel = '[onclick],[data-href],[data-url],[data-id],[data-path],[data-link],[role=button],[role=link],' +
    '[role=menuitem],[role=tab],[role=treeitem],button,a,[tabindex],[class*=item],[class*=menu],[class*=node],[class*=tab]';
  const out = [], seen = new Set();
  for (const e of document.body.querySelectorAll('*')) {
    if (/^(SCRIPT|STYLE|OPTION)$/.test(e.tagName) || e.closest('#nianbao-clicked')) continue;
    const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!own) continue;
    const a = e.closest('a[href]');
    // a real link, or a hash router's route (#/detail?id=7): Scrapy reads it as a link
    if (a && (!/^(#|javascript:)/i.test(a.getAttribute('href').trim()) || HASH_ROUTE_JS.test(a.getAttribute('href').trim()))) continue;
    const c = e.closest(sel);
    if (!c || c === document.body || seen.has(c) || c.offsetParent === null) continue;
    if (c.matches('[disabled],.disabled')) continue;
    // a row whose onclick names its URL (location.href='…', window.open('…')): Scrapy reads it as a link
    if (STATIC_OPEN_JS.test(c.getAttribute('onclick') || '')) continue;
    const text = (c.innerText || '').replace(/\s+/g, ' ').trim(), t = text.replace(/\s/g, '');
    const kind = t.length <= 16 && navRe.test(t) && !skipRe.test(t) ? 'nav' : t.length <= 80 && rowRe.test(t) ? 'row' : '';
    if (!kind) continue;
    seen.add(c);
    // a row's title is the part that names the report (<span class="t">), its date sits beside it
    const label = (e.innerText || '').replace(/\s+/g, ' ').trim();
    out.push([c, kind, rowRe.test(label.replace(/\s/g, '')) ? label : text, text]);
  }
  window.__nbTargets = out.map(o => o[0]);
  return out.map(o => [o[1], o[2], o[3]]);
}""".replace("HASH_ROUTE_JS", HASH_ROUTE_JS).replace(
    "STATIC_OPEN_JS", "/" + SCRIPT_URL_RE.pattern.replace("/", "\\/") + "/")
# history.pushState / window.open calls are noted, so a click that routes elsewhere names its URL
CLICK_INIT_JS = r"""() => {
  if (window.__nbOpened) return;
  window.__nbOpened = [];
  const push = history.pushState.bind(history);
  history.pushState = (s, t, u) => { if (u) window.__nbOpened.push(new URL(u, location.href).href); return push(s, t, u); };
  window.open = (u) => { if (u) window.__nbOpened.push(new URL(u, location.href).href); return null; };
}"""
CLICK_NEXT_JS = r"""() => {
  const all = [...document.querySelectorAll('a, button, [onclick], li, span')]
    .filter(e => e.offsetParent !== null && !e.matches('[disabled],.disabled') && !e.closest('#nianbao-clicked'));
  const next = all.find(e => /^(下一页|下页|后页|next|>|›|»)$/i.test((e.innerText || '').replace(/\s+/g, '')));
  if (!next) return false;
  const h = (next.getAttribute('href') || '').trim();
  if (next.tagName === 'A' && h && !/^(#|javascript:)/i.test(h)) return false;  // a real link: Scrapy follows it
  window.__nbPageText = document.body.innerText;
  next.click();
  return true;
}"""
STABLE_JS = """() => { const s = location.href + '|' + document.body.innerText.length;
  if (window.__nbStable === s) { window.__nbCalm = (window.__nbCalm || 0) + 1; } else { window.__nbStable = s; window.__nbCalm = 0; }
  return window.__nbCalm >= 2; }"""
CLICK_KEEP_JS = """(found) => {
  let keep = document.getElementById('nianbao-clicked');
  if (!keep) { keep = document.createElement('ul'); keep.id = 'nianbao-clicked'; document.body.appendChild(keep); }
  for (const [href, [label, context]] of found) {
    const li = document.createElement('li'), a = document.createElement('a'), span = document.createElement('span');
    a.href = href; a.textContent = label; span.textContent = ' ' + context.replace(label, '');
    li.appendChild(a); li.appendChild(span); keep.appendChild(li);
  }
}"""


async def settle(page: Any, timeout_ms: int = 3000) -> None:
    """Wait until the URL and the page's text stop changing (a fetch answered and was drawn)."""
    from playwright.async_api import Error as PlaywrightError

    try:
        await page.wait_for_function(STABLE_JS, timeout=timeout_ms, polling=100)
    except PlaywrightError:
        pass


SCROLL_ROUNDS = 20  # most scrolls to the bottom of an endless list
SCROLL_QUIET_MS = 400  # a scroll that starts no request within this long loads nothing
LINK_COUNT_JS = "() => document.querySelectorAll('a[href]').length"
SCROLL_JS = """() => {
  window.scrollTo(0, document.documentElement.scrollHeight || document.body.scrollHeight);
  for (const e of document.querySelectorAll('ul, ol, div, section, tbody')) {
    if (e.scrollHeight > e.clientHeight + 20 && /(auto|scroll)/.test(getComputedStyle(e).overflowY)) e.scrollTop = e.scrollHeight;
  }
}"""


async def scroll_to_end(page: Any, max_rounds: int = SCROLL_ROUNDS, wait_ms: int = 4000) -> int:
    """In the browser, scroll an endless list (a 下拉加载更多 list that fetches its next page by XHR
    when the reader nears its end) to the bottom until a scroll brings nothing new.  Scrolling is
    what a reader does, so it works whatever the list's API is called, how its JSON is shaped and
    how it is paged; reading the JSON itself would need all three guessed per platform.  A scroll
    that starts no request within SCROLL_QUIET_MS ends it, so an ordinary page costs one short
    wait; bounded by `max_rounds` scrolls and `wait_ms` per answer."""

    fired: list[str] = []

    def note(request: Any) -> None:
        if request.resource_type in ("xhr", "fetch", "script"):
            fired.append(request.url)

    async def scroll() -> bool:
        fired.clear()
        await page.evaluate(SCROLL_JS)
        await page.wait_for_timeout(SCROLL_QUIET_MS)
        return bool(fired)

    page.on("request", note)
    try:
        return await grow_list(page, scroll, max_rounds, wait_ms)
    finally:
        page.remove_listener("request", note)


async def grow_list(page: Any, act: Any, max_rounds: int, wait_ms: int) -> int:
    """Do what makes a list fetch more rows (`act`, False when there is nothing to do) and wait until
    the page holds more links, at most `max_rounds` times; the number of rounds that brought rows."""
    from playwright.async_api import Error as PlaywrightError

    rounds = 0
    try:
        for _ in range(max_rounds):
            links = await page.evaluate(LINK_COUNT_JS)
            if not await act():
                break
            try:
                await page.wait_for_function(f"() => document.querySelectorAll('a[href]').length > {int(links)}",
                                             timeout=wait_ms)
            except PlaywrightError:
                break
            rounds += 1
            await settle(page, 1500)
    except PlaywrightError:
        pass
    return rounds


LOAD_MORE_ROUNDS = 20  # most presses of a 加载更多 button on one list
LOAD_MORE_JS = r"""(re) => {
  re = new RegExp(re, 'i');
  const all = [...document.querySelectorAll('button, a, input[type=button], [onclick]')]
    .filter(e => e.offsetParent !== null && !e.matches('[disabled],.disabled'));
  const b = all.find(e => re.test((e.innerText || e.value || '').replace(/\s+/g, '')));
  if (!b) return false;
  const h = (b.getAttribute('href') || '').trim();
  if (b.tagName === 'A' && h && !/^(#|javascript:)/i.test(h)) return false;  // a link to a page: Scrapy follows it
  b.click();
  return true;
}"""


async def press_load_more(page: Any, max_rounds: int = LOAD_MORE_ROUNDS, wait_ms: int = 4000) -> int:
    """In the browser, press a list's "加载更多" button until the list stops growing (the button hides
    or a press brings no new link), so the DOM Scrapy receives holds every row.  Like `scroll_to_end`
    it does what a reader does, whatever the list's API; bounded by `max_rounds` presses and
    `wait_ms` per answer.  A page without such a button costs one evaluate."""
    async def press() -> bool:
        return bool(await page.evaluate(LOAD_MORE_JS, LOAD_MORE_TEXT_RE.pattern))

    return await grow_list(page, press, max_rounds, wait_ms)


def _page_key(url: str) -> str:
    return url.split("#", 1)[0]


async def click_through(page: Any, max_clicks: int = EXPLORE_CLICKS, max_pages: int = SCRIPT_PAGES) -> int:
    """In the browser, click what a person clicks on a script-built page that has no links to follow:
    menu items towards the 年报 column and report rows (see CLICK_FIND_JS).  A click that routes to
    another URL (pushState, a real navigation, window.open) names that URL, and the page is taken
    back; one that only redraws the page (a tree node loading its list) is kept.  Rows are clicked
    page after page through a script 下一页.  The URLs found are written into the DOM as links
    (ul#nianbao-clicked) for Scrapy to follow.  Bounded by `max_clicks` and `max_pages`.

    A click's navigation to another page is caught and aborted (`hold_navigation`): its URL is
    noted and the list stays as it is, so ten rows cost one page load, not ten loads and ten returns."""
    from playwright.async_api import Error as PlaywrightError

    found: dict[str, tuple[str, str]] = {}  # URL: (label, the row's whole text, where its date is)
    clicked: set[tuple[str, str]] = set()
    clicks = 0
    at_column = False
    args = [CLICK_NAV_RE.pattern, COLUMN_RE.pattern, "|".join(DETOUR_WORDS + NEWS_WORDS)]
    held = await hold_navigation(page)
    try:
        for _ in range(max_pages):
            rows = 0
            while clicks < max_clicks:
                await page.evaluate(CLICK_INIT_JS)
                targets = await page.evaluate(CLICK_FIND_JS, args)
                # the 年报 column's own menu item first, then report rows, then the way towards them
                order = sorted(range(len(targets)), key=lambda i: (
                    0 if targets[i][0] == "nav" and COLUMN_RE.search(targets[i][1]) else 1 if targets[i][0] == "row" else 2))
                pick = next(((i, *targets[i]) for i in order if (targets[i][0], targets[i][2]) not in clicked
                             and not (at_column and targets[i][0] == "nav")), None)
                if pick is None:
                    break
                index, kind, text, context = pick
                clicked.add((kind, context))
                rows += kind == "row"
                before = page.url
                held.armed = True
                await page.evaluate("(i) => window.__nbTargets[i].click()", index)
                clicks += 1
                await settle(page)
                held.armed = False
                opened = await page.evaluate("() => (window.__nbOpened || []).splice(0)") + held.take()
                if _page_key(page.url) != _page_key(before):
                    found.setdefault(page.url, (text, context))
                    await page.go_back()
                    await settle(page)
                    if _page_key(page.url) != _page_key(before):
                        await page.goto(before)
                        await settle(page)
                else:
                    for url in opened:
                        found.setdefault(url, (text, context))
                    # the column drew itself in place (a tree node loading its list): stay on it
                    at_column = at_column or (kind == "nav" and not opened and bool(COLUMN_RE.search(text)))
            if not rows or not await page.evaluate(CLICK_NEXT_JS):
                break
            await settle(page)
            if await page.evaluate("() => document.body.innerText === window.__nbPageText"):
                break
        await page.evaluate(CLICK_KEEP_JS, list(found.items()))
    except PlaywrightError:
        pass
    finally:
        await held.release()
    return len(found)


@dataclass
class HeldNavigation:
    """The page navigations a click started, caught while `armed` (see `hold_navigation`)."""

    page: Any
    handler: Any = None
    armed: bool = False
    urls: list[str] = field(default_factory=list)

    def take(self) -> list[str]:
        taken, self.urls = self.urls, []
        return taken

    async def release(self) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            await self.page.unroute("**/*", self.handler)
        except PlaywrightError:
            pass


async def hold_navigation(page: Any) -> HeldNavigation:
    """While armed, a GET navigation of the page's main frame to another page is noted and aborted
    (the browser keeps the document it shows); every other request goes on to scrapy-playwright's
    own route (`fallback`)."""
    from playwright.async_api import Error as PlaywrightError

    held = HeldNavigation(page)

    async def handle(route: Any) -> None:
        request = route.request
        try:
            if held.armed and request.method == "GET" and request.is_navigation_request() \
                    and request.frame == page.main_frame and _page_key(request.url) != _page_key(page.url):
                held.urls.append(request.url)
                await route.abort("aborted")
            else:
                await route.fallback()
        except PlaywrightError:
            pass

    held.handler = handle
    await page.route("**/*", handle)
    return held


PAGE_TOTAL_RE = re.compile(r"共\s*(\d{1,5})\s*页")


def pager_total(response: TextResponse) -> int:
    """How many pages a list says it has: "共200页", else its highest page-number link (0: no pager)."""
    pager = response.xpath("//a[normalize-space(.)='下一页' or normalize-space(.)='下页' or normalize-space(.)='尾页'"
                           " or normalize-space(.)='末页']")
    if not pager:
        return 0
    m = PAGE_TOTAL_RE.search(" ".join(response.xpath("//body//text()[not(ancestor::script)]").getall()))
    if m:
        return int(m.group(1))
    numbers = [int(t) for t in (clean_text(" ".join(a.css("::text").getall())) for a in response.css("a"))
               if t.isdigit() and len(t) <= 5]
    return max([2, *numbers])


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


_LINK_TEXTS = DocumentMemo(1)  # the document last asked about: its links' texts


def link_text(link) -> str:
    """What a link says, or for a bare 下载 / year the title its row gives it.  Kept per element of the
    last document: parse_list reads every link of a page four times (entries, lists, navigation,
    pager), and a bare link's row costs several XPath queries."""
    texts = _LINK_TEXTS.get(link.root.getroottree().getroot(), dict)
    known = texts.get(link.root)
    if known is not None:
        return known
    if link.root.tag in ROW_TAGS:  # a row opened by its onclick: its longest cell is its title
        cells = link.xpath("./td | ./th") or [link]
        text = max((clean_text(" ".join(c.xpath(".//text()").getall())) for c in cells), key=len, default="")
        texts[link.root] = text
        return text
    text = clean_text(link.attrib.get("title") or link.attrib.get("alt") or " ".join(link.css("::text").getall()))
    if BARE_LINK_RE.match(text.replace(" ", "")) or (attachment_extension("", text) and len(text) < 20):
        text = cell_title(link) or row_title(link) or text
    texts[link.root] = text
    return text


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


class GenericSpider(BaseSpider):
    name = "generic"
    family = "generic"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.walked: dict[str, set[str]] = {}  # per source: pages asked for as navigation or candidates
        self.reserve: dict[str, list[Request]] = {}  # per source: catalogue nodes not walked yet
        self.columns: set[str] = set()  # sources whose walk reached a report column
        self.listed: dict[str, set[str]] = {}  # per source: item URLs its list pages showed
        self.article_pages_taken: dict[str, set[str]] = {}  # per report page: its later pages asked for
        self.subtrees: dict[str, list[tuple[str, str, str]]] = {}  # per source: other entries inside its reach
        self.unpaged: dict[str, dict[str, int]] = {}  # per source: non-column list pages and their page count
        self.column_urls: dict[str, set[str]] = {}  # per source: pages read as a 年报 column
        self.site_maps: dict[str, set[str]] = {}  # per source: 网站地图 pages asked for
        self.script_texts: dict[str, str] = {}  # script files read for a download helper (`helper_scripts`)
        self.helper_templates: dict[tuple[str, str], tuple[str, str] | None] = {}  # (script, helper) -> template
        self.helper_waiting: dict[str, list[tuple[str, str, list]]] = {}  # script URL -> pages waiting on it
        self.sitemaps_asked: dict[str, set[str]] = {}  # per source: sitemap files asked for
        self.sitemap_candidates: dict[str, set[str]] = {}  # per source: report-like URLs a sitemap listed
        self.departments: dict[str, set[str]] = {}  # per source: department sites taken (`department_site`)
        self.departments_pending: dict[str, list[Request]] = {}  # per source: waiting for a live probe
        self.departments_open: set[str] = set()  # sources one of whose department probes was a live site
        self.search_urls: dict[str, str] = {}  # per source: its site search asked for 年度报告 (`search_url`)
        self.searched: dict[str, str] = {}  # per source: the search asked (when no column was reached)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.release_reserve, signal=signals.spider_idle)
        crawler.signals.connect(spider.closed_notes, signal=signals.spider_closed)
        crawler.signals.connect(spider.robots_sitemaps, signal=signals.robots_parsed)
        return spider

    def robots_sitemaps(self, robotparser: Any, request: Request) -> None:
        """A host's robots.txt names its sitemaps (`Sitemap: …/sitemap.xml`): the portal's own index of
        its pages, often listing report articles no menu on the way names.  Asked for at once, beside
        the walk (SITEMAP_FILES per source, on the source's hosts only)."""
        source = self.sources.get(request.meta.get("source_id") or "")
        parsed = getattr(robotparser, "rp", None)
        if source is None or parsed is None:
            return
        try:
            urls = list(itertools.islice(parsed.sitemaps, SITEMAP_FILES * 4))
        except (AttributeError, TypeError):
            return
        for url in urls:
            for req in self.sitemap_request(canonical_url(urljoin(request.url, url.strip())), source, request.url):
                self.crawler.engine.crawl(req)

    def sitemap_request(self, url: str, source: Any, parent: str) -> Iterator[Request]:
        """A sitemap file of the source's own hosts, SITEMAP_FILES per source (an index naming itself or
        10,000 others reads five), each one a page of the source's budget."""
        asked = self.sitemaps_asked.setdefault(source.id, set())
        if len(asked) >= SITEMAP_FILES or url in asked or not self.on_site(url, source) or not self.walk(url, source):
            return
        asked.add(url)
        self.crawler.stats.inc_value("nianbao/generic_sitemaps")
        yield self.request(url, source, self.parse_sitemap, parent=parent, priority=NAV_MIN_SCORE + 1,
                           meta={"handle_httpstatus_list": [403, 404, 410, 500, 502, 503]})

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap (urlset) or sitemap index: a listed URL that reads as a report column's item
        (…/ndbg/…, /xxgknb/…) is fetched as a candidate, judged by its own page title and date; an
        index's sitemaps are read in turn (SITEMAP_FILES per source).  At most SITEMAP_CANDIDATES
        candidates per source; a dead or malformed sitemap is no crawl error."""
        self.count_page(response)
        source = self.source_of(response)
        if response.status >= 400 or not response.body.lstrip()[:1] == b"<":
            return
        try:
            sitemap = Sitemap(response.body)
            entries = list(itertools.islice(sitemap, SITEMAP_ENTRIES))
        except Exception:  # lxml's recover mode still raises on bytes that are no XML at all
            return
        taken = self.sitemap_candidates.setdefault(source.id, set())
        for entry in entries:
            url = canonical_url(urljoin(response.url, (entry.get("loc") or "").strip()))
            if not url.startswith(("http://", "https://")):
                continue
            if sitemap.type == "sitemapindex":
                yield from self.sitemap_request(url, source, response.url)
                continue
            if not REPORT_URL_RE.search(urlsplit(url).path) or len(taken) >= SITEMAP_CANDIDATES or url in taken \
                    or not self.on_site(url, source) or not self.in_scope(url, source) \
                    or self.covered_elsewhere(url, source):
                continue
            taken.add(url)
            if attachment_extension(url):
                continue  # a bare file names no title: its column's list or article does
            if not self.walk(url, source):
                return  # the source's page budget is spent
            yield self.request(url, source, self.parse_candidate, parent=response.url, priority=60,
                               cb_kwargs={"parent": response.url, "depth": 1, "published": None})

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
        if self.search_for_column():
            raise DontCloseSpider
        self.note_no_column()

    def search_for_column(self) -> bool:
        """When the crawl runs dry and a source's walk (its reserve too) reached no 年报 column and no
        report, its site's own search is asked once for 年度报告 (`search_url`, found on its pages): a
        column linked by no menu is still in the index.  Politely: one query, SEARCH_PAGES result pages,
        within the budget.  A source that found its reports another way (a tree clicked in chromium, a
        sitemap) asks nothing."""
        asked = False
        for source_id, source in self.sources.items():
            url = self.search_urls.get(source_id)
            if source_id in self.columns or source_id in self.searched or not url or self.reserve.get(source_id) \
                    or self.stats_for(source_id).reports_found:
                continue
            self.searched[source_id] = url
            if not self.walk(url, source):
                continue
            self.crawler.stats.inc_value("nianbao/generic_site_search")
            self.crawler.engine.crawl(self.request(
                url, source, self.parse_search, priority=NAV_MIN_SCORE,
                meta={"handle_httpstatus_list": [400, 403, 404, 410, 500, 502, 503]}, cb_kwargs={"page": 1}))
            asked = True
        return asked

    def note_no_column(self) -> None:
        """The crawl ran dry, the site searches asked: a source that reached no 年报 column and found no
        report gets a note saying what was tried.  A silent zero reads as "this body publishes nothing".
        A source whose rows already say why (a failure, a redirect or link off its hosts not followed)
        is not silent: the note would only bury the reason under a guess."""
        explained = {sid for sid, _ in self.notes}
        for source_id, source in self.sources.items():
            st = self.stats_for(source_id)
            if source_id in self.columns or st.reports_found or not st.pages or st.errors or source_id in explained:
                continue
            searched = self.searched.get(source_id)
            how = (f"the site search for {SEARCH_QUERY} ({searched}) led to none" if searched
                   else "no site search form was found to ask")
            self.record_note(source_id, source.start_urls[0] if source.start_urls else None, "no-column",
                             f"no 年报 column found: walked {st.pages} pages, {how}; the registry entry may need the"
                             " column's URL as a start URL")

    def parse_search(self, response: Response, page: int = 1) -> Iterator[Any]:
        """A page of the site search's results: reports among them are candidates like a column's items
        (another body's, and look-alikes, are judged as anywhere), a 年报 column among them is walked as
        the column, and the next result page is read up to SEARCH_PAGES.  The results' other links are
        not walked: a search page links every other search."""
        source = self.source_of(response)
        self.count_page(response)
        if response.status >= 400 or not isinstance(response, TextResponse):
            return
        response = self.decoded(response)
        here = urlsplit(response.url).path
        seen: set[str] = set()
        render = bool(self.override(source, "render", False))
        for link in page_links(response):
            href = link_href(link)
            if not href:
                continue
            url, text = canonical_url(response.urljoin(href)), link_text(link)
            if url in seen or url == response.url:
                continue
            seen.add(url)
            if urlsplit(url).path == here:
                if text in PAGER_TEXTS and page < SEARCH_PAGES and self.walk(url, source):
                    yield self.request(url, source, self.parse_search, parent=response.url, priority=NAV_MIN_SCORE,
                                       meta={"handle_httpstatus_list": [400, 403, 404, 410, 500, 502, 503]},
                                       cb_kwargs={"page": page + 1})
                continue
            entry = Entry(url=url, title=text, published=find_date(entry_context(link)))
            if self.classify(entry).get("is_report"):
                if self.may_take(entry, source, set()):
                    yield from self.consider(entry, source, parent=response.url, depth=1)
                continue
            score = nav_score(text, url)
            if COLUMN_RE.search(text) and score >= 6 and self.on_site(url, source) and self.in_scope(url, source) \
                    and not attachment_extension(url, text) and self.walk(url, source):
                yield self.request(url, source, self.parse_list, parent=response.url, render=render, priority=40,
                                   cb_kwargs={"page": 1, "depth": 1, "column": True})

    def column_request(self, request: Request) -> bool:
        """Only pages walked as a report column: a refused page on the way (登录, one menu) is no block."""
        return bool(request.cb_kwargs.get("column"))

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

    def on_site(self, url: str, source: Any) -> bool:
        """The base's hosts (start URLs', allowed_domains') and, for a start on the body's www host, a
        政府信息公开 sibling of it (www.X.gov.cn → xxgk.X.gov.cn, see SIBLING_LABELS).  Other subdomains
        of X.gov.cn are left alone: a city's county sub-sites (county.X.gov.cn) and its bureaus' hosts
        publish other bodies' reports."""
        if super().on_site(url, source):
            return True
        host = (urlsplit(url).hostname or "").lower()
        starts = self.hosts(source).hostnames
        label, _, parent = host.partition(".")
        return host not in starts and label in SIBLING_LABELS and parent.count(".") >= 1 \
            and (parent in starts or "www." + parent in starts)

    def request(self, url: str, source: Any, callback, **kwargs: Any) -> Request:
        """A sibling host the walk may enter (`on_site`) is outside the spider's allowed_domains when
        the registry does not list it: let it through Scrapy's offsite filter."""
        if netloc(url) not in self.hosts(source).netlocs and self.on_site(url, source):
            kwargs["meta"] = {"allow_offsite": True, **(kwargs.get("meta") or {})}
        if hash_route(url) and self.settings.getbool("NIANBAO_BROWSER", True):
            # a hash-routed app's route (/xxgk/#/detail?id=7): an HTTP client gets the same shell for
            # every route, and Scrapy's fingerprint drops the fragment, so only the browser tells them
            # apart; the walk's own seen-set (fragment kept) bounds them instead
            kwargs.update(render=True, dont_filter=True)
            if callback == self.parse_list and "playwright_page_methods" not in (kwargs.get("meta") or {}):
                kwargs["meta"] = {**(kwargs.get("meta") or {}), "playwright_page_methods": self.list_page_methods()}
        return super().request(url, source, callback, **kwargs)

    def other_entries(self, source: Any) -> list[tuple[str, str, str]]:
        """(host, path prefix, id) of the other registry entries (of the whole registry, crawled in this
        run or not) that start inside this source's reach, on a host it walks: a platform hub's
        /xxgk/bm/jtt/ is 交通运输厅's own entry, also when `--only` picks the hub alone."""
        if source.id not in self.subtrees:
            own = [(netloc(u), urlsplit(u).path or "/") for u in source.start_urls]
            found = []
            for other in self.registry.values():
                if other.id == source.id:
                    continue
                for u, prefix in zip(other.start_urls, self.scopes(other), strict=True):
                    host = netloc(u)
                    # an entry above this one (the province's "/" seen from a department) is not excluded
                    if prefix != "/" and not any(h == host and p.startswith(prefix) for h, p in own):
                        found.append((host, prefix, other.id))
            self.subtrees[source.id] = found
        return self.subtrees[source.id]

    def covered_elsewhere(self, url: str, source: Any) -> str | None:
        """The id of another entry whose subtree holds `url`: that entry walks it and owns its
        reports, so this one neither walks nor takes them (no report has two sources).  Reports
        of bodies with no entry of their own on a hub stay the hub's finds."""
        host, path = netloc(url), urlsplit(url).path or "/"
        for other_host, prefix, other_id in self.other_entries(source):
            if host == other_host and (path.startswith(prefix) or path + "/" == prefix):
                return other_id
        return None

    def in_scope(self, url: str, source: Any) -> bool:
        if self.covered_elsewhere(url, source):
            return False
        if netloc(url) not in self.hosts(source).netlocs and self.on_site(url, source):
            return True  # a sibling host is the body's own, whatever the start URL's directory
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
        for link in page_links(response):
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
        here = canonical_url(response.url)
        listed = {u for group in list_groups(response) for u, t in group
                  if u != here and not attachment_extension(u, t)
                  and self.classify(Entry(url=u, title=t)).get("is_report")}
        pager = bool(response.xpath("//a[normalize-space(.)='下一页' or normalize-space(.)='下页']")) \
            or any(True for _ in select_options(response))
        if len(listed) >= 2 or (len(listed) >= 1 and pager):
            return True
        # a year's page of an archive (its link read like a report title): list items, files among
        # them, each with its own date beside it; a report's own attachments carry no list dates,
        # and two files of one report (PDF and DOCX) share a title
        dated, titles = 0, set()
        for link in page_links(response):
            href = link_href(link)
            if not href or not link.xpath("ancestor::*[self::li or self::tr or self::dd]"):
                continue
            url, title = canonical_url(response.urljoin(href)), link_text(link)
            if url == here or not self.classify(Entry(url=url, title=title)).get("is_report"):
                continue
            titles.add(re.sub(r"\.\w{2,4}$", "", title))
            dated += bool(find_date(entry_context(link)))
        return dated >= 1 and (len(titles) >= 2 or dated == len(titles))

    def attachments(self, response: TextResponse, source: Any) -> Iterator[tuple[str, str]]:
        """The base's file links, with viewer links unwrapped to their file (a kkFileView link shows no
        file suffix until decoded).  What an article frames or embeds is `embedded`."""
        if self.selector(source, "attachment"):
            yield from super().attachments(response, source)
            return
        for url, text in super().attachments(response, source):
            yield canonical_url(url) if viewer_target(url) else url, text
        for link in response.css("a[href]"):
            target = viewer_target(response.urljoin(link.attrib["href"]))
            if target:
                yield target, link_text(link)
        # a file link run by a helper the page's own script defines (downloadFile('123'))
        yield from helper_file_urls(response, response.xpath("//script[not(@src)]/text()").getall())

    def helper_scripts(self, response: TextResponse, source: Any, report: str) -> Iterator[Request]:
        """A report page whose file links call a helper its inline script does not define
        (onclick="downloadFile('123')" with the function in /js/common.js): the page's own script files
        (same host, HELPER_SCRIPTS at most) are read for the helper, each once per crawl, and the URLs it
        builds are fetched as the report's attachments (`parse_helper_script`).  No browser: a click
        would only start a download chromium names "Download.ashx"."""
        calls = helper_file_calls(response)
        inline = response.xpath("//script[not(@src)]/text()").getall()
        pending = [c for c in calls if not any(helper_template(s, c[0]) for s in inline)]
        if not pending:
            return
        srcs = [canonical_url(response.urljoin(u)) for u in response.xpath("//script/@src").getall()]
        srcs = [u for u in srcs if netloc(u) == netloc(response.url)][-HELPER_SCRIPTS:]
        for src in srcs:
            waiting = self.helper_waiting.setdefault(src, [])
            waiting.append((response.url, report, pending))
            if src in self.script_texts:
                yield from self.helper_files(src, source)
            elif len(waiting) == 1 and self.walk(src, source):  # a script is a page of the budget too
                yield self.request(src, source, self.parse_helper_script, parent=response.url, priority=80,
                                   meta={"handle_httpstatus_list": [403, 404, 410]})

    def parse_helper_script(self, response: Response) -> Iterator[Request]:
        self.count_page(response)
        text = response.text if isinstance(response, TextResponse) and response.status < 400 else ""
        self.script_texts[response.url] = text
        yield from self.helper_files(response.url, self.source_of(response))

    def script_helper(self, src: str, name: str) -> tuple[str, str] | None:
        """`helper_template` of a script file, read once per crawl: every report page of a portal calls
        the same downloadFile() of the same common.js."""
        key = (src, name)
        if key not in self.helper_templates:
            self.helper_templates[key] = helper_template(self.script_texts.get(src, ""), name)
        return self.helper_templates[key]

    def helper_files(self, src: str, source: Any) -> Iterator[Request]:
        """The attachments a script file's helper builds for the pages waiting on it."""
        for page_url, report, calls in self.helper_waiting.pop(src, []):
            for name, arg, text in calls:
                template = self.script_helper(src, name)
                url = helper_url(page_url, template, arg) if template else None
                if url is None:
                    continue
                yield self.request(url, source, self.parse_document, parent=page_url, meta={"allow_offsite": True},
                                   cb_kwargs={"kind": "attachment", "info": {"title": text or None}, "parent": report})

    def embedded(self, response: TextResponse, source: Any) -> Iterator[tuple[str, str]]:
        """The base's framed and embedded targets, a viewer unwrapped to the file it shows (<iframe
        src=viewer.html?file=…> frames that file); a viewer whose file cannot be read is no page."""
        for url, text in super().embedded(response, source):
            target = canonical_url(url)
            if attachment_extension(target) or not VIEWER_PATH_RE.search(urlsplit(target).path):
                yield target, text

    def parse_report(self, response: Response, info: dict, parent: str | None = None,
                     depth: int = 1) -> Iterator[Any]:
        target = viewer_target(response.url)
        if target:
            # a viewer page is never the report: the file it wraps is
            self.count_page(response)
            source = self.source_of(response)
            yield self.request(target, source, self.parse_document, parent=parent, meta={"allow_offsite": True},
                               cb_kwargs={"kind": "report", "info": info, "parent": parent})
            return
        if not served_file(response):
            source = self.source_of(response)
            if script_shell(response) and not self.override(source, "render", False) \
                    and self.walk(response.url + "#rendered", source) \
                    and self.browser_allowed(response, source, "report page built by script"):
                # a single-page app's detail page: its text and file link exist only in the browser
                self.count_page(response)
                self.crawler.stats.inc_value("nianbao/render_fallback")
                yield self.request(response.url, source, self.parse_report, parent=parent, render=True,
                                   dont_filter=True, priority=response.request.priority,
                                   cb_kwargs={"info": info, "parent": parent, "depth": depth})
                return
            response = self.decoded(response)  # once, for the list check, the base and the pager
            if self.is_list_page(response, source):
                self.crawler.stats.inc_value("nianbao/generic_report_link_was_list")
                yield from self.parse_list(response, page=1, depth=depth, column=True)
                return
            info = self.titled_by_page(response, info, source)
        yield from super().parse_report(response, info=info, parent=parent)
        if not served_file(response):
            yield from self.article_page_requests(response, self.source_of(response), response.url, info)
            yield from self.helper_scripts(response, self.source_of(response), response.url)
            yield from self.thin_report_render(response, self.source_of(response))

    def thin_report(self, response: TextResponse, source: Any) -> bool:
        """A report page that shows neither the report nor a file of it, but carries script: its
        attachment list (or its text) is drawn in the browser, often from an API a plain client may
        not call (a token, X-Requested-With).  "全文见附件" over an empty <ul id="attach">."""
        if "playwright" in response.flags or not response.xpath("//script"):
            return False
        if any(True for _ in self.attachments(response, source)) or any(True for _ in self.embedded(response, source)) \
                or helper_file_calls(response):
            return False
        text = "".join(response.xpath("//body//text()[not(ancestor::a) and not(ancestor::script) and "
                                      "not(ancestor::style) and not(ancestor::select)]").getall())
        return len("".join(text.split())) < LIST_BODY_MAX_CHARS

    def thin_report_render(self, response: TextResponse, source: Any) -> Iterator[Request]:
        """The thin report page (`thin_report`) once more through chromium, for what its script draws;
        the report stays recorded from the server's page, the rendered one adds its files."""
        if self.override(source, "render", False) or not self.settings.getbool("NIANBAO_BROWSER", True) \
                or not self.thin_report(response, source) or not self.walk(response.url + "#rendered", source):
            return
        from scrapy_playwright.page import PageMethod

        self.crawler.stats.inc_value("nianbao/render_thin_report")
        yield self.request(response.url, source, self.parse_rendered_report, render=True, dont_filter=True,
                           parent=response.meta.get("nianbao_parent"), priority=response.request.priority,
                           meta={"playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle"),
                                                             PageMethod(settle)]},
                           cb_kwargs={"report": response.url})

    def parse_rendered_report(self, response: Response, report: str) -> Iterator[Any]:
        """A thin report page as the browser drew it: its files (and frames) are the report's."""
        self.count_page(response)
        if not isinstance(response, TextResponse):
            return
        yield from self.report_contents(self.decoded(response), self.source_of(response), report=report)

    def titled_by_page(self, response: TextResponse, info: dict, source: Any) -> dict:
        """A report listed by a bare year ("2023年度" in a ministry's 历年年报 grid) or a bare "下载"
        carries no body in its list title: its own page names it, in its heading (<h1>, ArticleTitle,
        <title>) or its 发文机关 / 发布机构 cell, and that is the title and body recorded."""
        if not BARE_LINK_RE.match((info.get("title") or "").replace(" ", "")):
            return info
        region = getattr(source, "region", None)
        for named in page_titles(response):
            verdict = self.classify(Entry(url=response.url, title=named, published=info.get("published")))
            if verdict.get("is_report") and verdict.get("year") in (None, info.get("year")) \
                    and not verdict_other_body(verdict, source):
                agency = full_agency(verdict.get("agency"), region) or issuing_body(response) or info.get("agency")
                return {**info, "title": named, "year": info.get("year") or verdict.get("year"), "agency": agency}
        return {**info, "agency": issuing_body(response) or info.get("agency")}

    def article_page_requests(self, response: TextResponse, source: Any, report: str,
                              info: dict) -> Iterator[Request]:
        """A report printed over several pages (its own pager: 1 2 3, 下一页): each later page is fetched
        and recorded as a `page` document of the report (parent_url = its first page), so the re-parse
        reads the pages joined in order and the report's numbers come from all of them."""
        taken = self.article_pages_taken.setdefault(report, set())
        for url in article_pages(response, report):
            if url in taken or len(taken) >= ARTICLE_PAGES:
                continue
            taken.add(url)
            yield self.request(url, source, self.parse_article_page, parent=response.url, priority=90,
                               cb_kwargs={"report": report, "info": dict(info)})

    def parse_article_page(self, response: Response, report: str, info: dict) -> Iterator[Any]:
        """A later page of a report: recorded as its `page`, its files and frames taken as the report's,
        and the pages its own pager names (a pager showing 1–5 of 9) followed in turn."""
        st = self.count_page(response)
        source = self.source_of(response)
        yield self.document(source, response.url, "page", report, info)
        if served_file(response):
            return
        response = self.decoded(response)
        st.touch()
        yield from self.report_contents(response, source, report=report)
        yield from self.article_page_requests(response, source, report, info)

    def render_request(self, response: TextResponse, source: Any, **cb_kwargs: Any) -> Request:
        """The same page again through chromium, turning a script pager if it has one."""

        self.crawler.stats.inc_value("nianbao/render_fallback")
        return self.request(response.url, source, self.parse_list, parent=response.meta.get("nianbao_parent"),
                            render=True, dont_filter=True, priority=response.request.priority,
                            meta={"playwright_page_methods": self.list_page_methods()}, cb_kwargs=cb_kwargs)

    def list_page_methods(self) -> list[Any]:
        """What the browser does on a list page before Scrapy reads its DOM: wait for the data, scroll an
        endless list, press 加载更多, click through an app's menu, turn a script pager."""
        from scrapy_playwright.page import PageMethod

        pages = min(SCRIPT_PAGES, self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50))
        return [PageMethod("wait_for_load_state", "networkidle"), PageMethod(settle), PageMethod(scroll_to_end),
                PageMethod(press_load_more), PageMethod(click_through), PageMethod(turn_script_pages, pages)]

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
        target = script_redirect(response)
        if target and not rendered:
            # a page that is only `location.href = '…'`: where it sends the browser, read statically
            self.count_page(response)
            self.crawler.stats.inc_value("nianbao/generic_script_redirect")
            url = canonical_url(target)
            if self.on_site(url, source) and self.walk(url, source):
                yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                   priority=max(response.request.priority, 30) if response.request else 30,
                                   cb_kwargs={"page": page, "depth": depth, "column": column,
                                              "candidate": candidate})
            return
        if not render and needs_render(response):
            self.count_page(response)
            if self.browser_allowed(response, source, "script-only list") \
                    and self.walk(response.url + "#rendered", source):
                yield self.render_request(response, source, page=page, depth=depth, column=column,
                                          candidate=candidate)
            return
        if not render and script_shell(response) and self.settings.getbool("NIANBAO_BROWSER", True) \
                and self.walk(response.url + "#rendered", source):
            # a script shell (gkmlpt, a single-page app): the browser's page is read instead
            self.count_page(response)
            yield self.render_request(response, source, page=page, depth=depth, column=column,
                                      candidate=candidate)
            return
        response = self.decoded(response)
        self.count_page(response)
        column = column or (not candidate and is_column_page(response))
        if source.id not in self.search_urls:
            found = search_url(response)
            if found and self.on_site(found, source):
                self.search_urls[source.id] = canonical_url(found)
        if column:
            self.columns.add(source.id)
        entries = list(self.list_entries(response, source))
        if (total := link_total(response)) > PAGE_LINKS:
            self.record_note(source.id, response.url, "link-cap",
                             f"page of {total} links: read the first {PAGE_LINKS} and those of the rest"
                             " naming 年报/报告 or paging")
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
        max_pages = self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50)
        if column and page < max_pages and self.adds_items(source, entries, page):
            yield from self.next_pages(response, source, page)
        elif column and page >= max_pages:
            self.list_page_cap(source, response.url, pager_total(response))
        if column:
            self.column_urls.setdefault(source.id, set()).add(response.url)
        elif (total := pager_total(response)) > 1:
            self.unpaged.setdefault(source.id, {})[response.url] = total
        if column:
            yield from self.year_forms(response, source, depth)
        if depth >= self.max_depth(source):
            return
        # a column page whose list is framed (Hanweb's col/colN shell around an <iframe> of list.jsp, whose
        # document has an empty <title>) hands its column down to the frame: the frame is its list
        framed_list = column and not any(self.classify(e).get("is_report") for e in entries)
        asked = [*self.frames(response, source, depth, column=framed_list),
                 *self.navigate(response, source, depth, column, render, candidates=region)]
        yield from asked
        if not asked and not column and depth > 0 and catalogue_by_script(response) \
                and self.walk(response.url + "#rendered", source) \
                and self.browser_allowed(response, source, "script-built catalogue"):
            yield self.render_request(response, source, page=page, depth=depth)

    def year_forms(self, response: TextResponse, source: Any, depth: int) -> Iterator[Request]:
        """A 年报 column whose older years come only through a POST form (<form method=post> with a
        year <select>, the servlet refusing GET): the form is submitted once per option, as a person
        picks each year, and each answer is walked as a page of the column.  Bounded by
        YEAR_FORM_OPTIONS options per select; a form is submitted once per value over the crawl."""
        for form in response.xpath("//form"):
            if (form.attrib.get("method") or "get").strip().lower() != "post":
                continue
            action = canonical_url(response.urljoin(form.attrib.get("action") or response.url))
            if not self.on_site(action, source) or URL_DETOUR_RE.search(urlsplit(action).path.replace("query", "")):
                continue
            for select in form.xpath(".//select[@name]"):
                name = select.attrib["name"]
                options = [(o.attrib["value"] if "value" in o.attrib else clean_text(" ".join(o.xpath(".//text()").getall())),
                            clean_text(" ".join(o.xpath(".//text()").getall())))
                           for o in select.xpath(".//option")]
                if sum(bool(YEAR_CELL_RE.search(f"{v} {t}")) for v, t in options) < 2:
                    continue  # not a year filter
                for value, _ in options[:YEAR_FORM_OPTIONS]:
                    if not self.walk(f"{action}#post:{name}={value}", source):
                        continue
                    base = self.request(action, source, self.parse_list, parent=response.url, priority=40)
                    fields = [(k, v) for k, v in form_fields(form) if k != name] + [(name, value)]
                    yield FormRequest(
                        response.urljoin(form.attrib.get("action") or response.url), method="POST",
                        formdata=fields, encoding=response.encoding, callback=self.parse_list,
                        errback=base.errback, meta=base.meta, headers=base.headers, priority=40,
                        dont_filter=True, cb_kwargs={"page": 1, "depth": depth, "column": True})

    def adds_items(self, source: Any, entries: list[Entry], page: int) -> bool:
        """Whether this list page brought an item the source had not listed yet.  An endless pager
        (下一页 forever, later pages repeating one page) ends at the first page that adds nothing;
        the pager's own links (page numbers, 下一页) are not items."""
        listed = self.listed.setdefault(source.id, set())
        items = {e.url for e in entries
                 if not (e.title.isdigit() or e.title in PAGER_WORDS or PAGE_URL_RE.search(e.url))}
        new = items - listed
        listed |= items
        return page <= 1 or bool(new)

    def column_needs_browser(self, response: TextResponse, entries: list[Entry]) -> bool:
        """A column whose HTML lists no report but carries script (the list comes by XHR), or whose
        later pages are reached only through a script pager, or whose report rows are opened by a
        site helper only its script file defines (javascript:openDetail('7521'))."""
        if script_pager(response) or load_more(response) or script_rows(response) or script_written_pager(response):
            return True
        if any(self.classify(e).get("is_report") for e in entries):
            return False
        if static_postback(response):
            return False  # a WebForms pager, POSTed without a browser (`postback_page`)
        if entries and script_page_total(response):
            # server-rendered rows under a pager its script writes from a count (read without a browser):
            # a page of them without a report is just such a page, and its script may write the pager
            # 99,999,999 times over in a browser
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
        when that header lists them.  A report *page* on a host the walk may not enter (not a start
        host, not in allowed_domains, no 信息公开 sibling) is another site's; its files may sit on a
        file host or CDN, and are judged by the body their title names (`other_body`)."""
        if not self.on_site(entry.url, source) and not attachment_extension(entry.url, entry.title) \
                and not DOWNLOAD_URL_RE.search(urlsplit(entry.url).path):
            return False
        if self.covered_elsewhere(entry.url, source):
            return False  # another registry entry's subtree: its reports are that entry's
        if self.in_scope(entry.url, source):
            return True
        if self.sibling_subsite(entry.url, source):
            return False  # /site/hongyan/… beside a crawl of /site/qingsong/: a neighbour's, files too
        if entry.url in own:
            return True
        return bool(attachment_extension(entry.url, entry.title) or DOWNLOAD_URL_RE.search(urlsplit(entry.url).path))

    def note_off_host(self, url: str, text: str, source: Any) -> None:
        """A link naming 年报 that leaves the entry's hosts (an old system on old.X.gov.cn holding the
        pre-2020 reports) is not followed, as the registry says; once per entry a note tells its
        author that the host exists.  Another place's body's report (上级政府年报) is no loss; nor is a file
        (a report's file is fetched from any host, `may_take`: a file server is no site to list), nor a
        look-alike (图解, 解读 of a report) that reads neither as a report nor as a column's name."""
        if ((source.id, "off-host") in self.notes or urlsplit(url).scheme not in ("http", "https")
                or not COLUMN_RE.search(text) or any(w in text for w in DETOUR_WORDS)
                or attachment_extension(url, text)):
            return
        verdict = self.classify(Entry(url=url, title=text))
        if verdict_other_body(verdict, source) or (not verdict.get("is_report") and len(text) > NAV_MAX_CHARS):
            return
        self.record_note(source.id, url, "off-host",
                         f"年报 link to a host the entry does not list, not followed: {text[:60]}"
                         f" ({netloc(url)}; add it to allowed_domains if it is the body's)")

    def closed_notes(self, *_: Any, **__: Any) -> None:
        """At the end of the crawl, per source, the longest list it read only the first page of (a
        whole 政府信息公开 list of 200 pages: only 年报 columns are paged, politeness bounds the rest).
        (`note_no_column` has said, when the crawl ran dry, which sources found nothing at all.)"""
        for source_id, lists in self.unpaged.items():
            lists = {u: n for u, n in lists.items() if u not in self.column_urls.get(source_id, set())}
            if lists:
                url, total = max(lists.items(), key=lambda kv: kv[1])
                self.record_note(source_id, url, "unpaged", f"list of {total} pages not paged (only 年报 columns are);"
                                 " reports further down it were not looked for")

    def sibling_subsite(self, url: str, source: Any) -> bool:
        """A URL on a start host under another sub-site of the same platform: the crawl keeps to
        /site/qingsong/, and /site/hongyan/… (beside it, under the same parent /site/) is another
        body's, whether a page or a file.  Only for a scope two levels deep or more: a department's
        /xxj/ shares its parent (the host root) with the host's download directories."""
        if netloc(url) not in self.hosts(source).netlocs:
            return False
        path = urlsplit(url).path or "/"
        for prefix in self.scopes(source):
            parent, _, name = prefix.rstrip("/").rpartition("/")
            parent += "/"
            # a body's sub-site is named (qingsong, baishui), not a column (ndbg, xxgk, col123)
            if parent == "/" or NAV_URL_RE.search(name) or re.search(r"\d", name):
                continue
            if path.startswith(parent) and not path.startswith(prefix):
                sibling = path[len(parent):].split("/", 1)[0]
                if not DOWNLOAD_URL_RE.search(sibling):
                    return True
        return False

    def navigate(self, response: TextResponse, source: Any, depth: int, column: bool,
                 render: bool, candidates: dict[str, str] | None = None) -> Iterator[Request]:
        """Links on the way to the column (by nav_score), and in a column the items of its own list
        (`candidates`, see column_lists) as candidates, within the crawl's scope.  The page's 网站地图
        link is asked for after its better links (`site_map`)."""
        site_map = ""
        for link in page_links(response):
            href = link_href(link)
            if not href:
                continue
            url = canonical_url(response.urljoin(href))
            text = link_text(link)
            if not self.on_site(url, source):
                self.note_off_host(url, text, source)
                continue
            if attachment_extension(url, text) or url == response.url:
                continue
            if SITE_MAP_RE.match(text.replace(" ", "")):
                site_map = site_map or url
                continue
            more = bool(MORE_RE.match(text))
            label = block_heading(link) if more else text
            parent_label = tree_parent_label(link)
            if COLUMN_RE.search(parent_label) and len(text) <= NAV_MAX_CHARS:
                label = f"{parent_label} {text}"  # a 年报 node's children (2024年度 …) are its lists
            heading = block_heading(link) if own_body_name(text, source) else ""
            if COLUMN_RE.search(heading) and not COLUMN_RE.search(label):
                label = f"{heading} {text}"  # 部门政府信息公开年报: 临水县教育局 … (each body's 年报 column)
            score = nav_score(label, url)
            verdict = self.classify(Entry(url=url, title=text))
            if verdict.get("is_report") and verdict.get("year"):
                continue  # dated reports were taken as entries
            year_list = column and bool(YEAR_LINK_RE.fullmatch(text.replace(" ", ""))) \
                and self.in_scope(url, source) and not URL_DETOUR_RE.search(urlsplit(url).path)
            if column and (year_list or (more or len(text) <= SUB_COLUMN_MAX_CHARS)
                           and self.sub_column(url, response.url)) and not any(w in label for w in DETOUR_WORDS):
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
            elif score < NAV_MIN_SCORE and DEPARTMENT_HEADING_RE.search(heading) and self.in_scope(url, source) \
                    and not attachment_extension(url):
                yield from self.department_site(url, source, response.url, depth + 1, render)
            elif score < NAV_MIN_SCORE and catalogue_node(label, url) and self.in_scope(url, source):
                self.reserve.setdefault(source.id, []).append(self.request(
                    url, source, self.parse_list, parent=response.url, render=render, priority=1,
                    cb_kwargs={"page": 1, "depth": depth + 1}))
            elif column and len(text) >= CANDIDATE_MIN_CHARS and url in (candidates or {}) \
                    and self.in_scope(url, source):
                if self.walk(url, source):
                    yield self.request(url, source, self.parse_candidate, parent=response.url, priority=1,
                                       cb_kwargs={"parent": response.url, "depth": depth + 1})
        if site_map:
            yield from self.site_map(site_map, source, response.url, depth)

    def department_site(self, url: str, source: Any, parent: str, depth: int, render: bool) -> Iterator[Request]:
        """A department's site on the portal's own host (/bm/jyj/), linked by the body's name under a
        部门 heading: walked like the portal (its 信息公开 → 年报 by the usual scoring, one hop more), since
        its reports are the source's own.  The first DEPARTMENT_PROBES are asked for at once; the rest
        only when one of those is a live site with a 信息公开/政务公开 way of its own (`parse_department`):
        a 部门网站 block of dead links or of plain pages costs three requests, not thirty.  At most
        DEPARTMENT_SITES per source, at low priority; a dead link is no crawl error."""
        taken = self.departments.setdefault(source.id, set())
        if len(taken) >= DEPARTMENT_SITES or url in taken or not self.walk(url, source):
            return
        taken.add(url)
        request = self.request(url, source, self.parse_department, parent=parent, render=render, priority=2,
                               meta={"handle_httpstatus_list": [404, 410]}, cb_kwargs={"depth": depth})
        if source.id in self.departments_open or len(taken) <= DEPARTMENT_PROBES:
            self.crawler.stats.inc_value("nianbao/generic_department_sites")
            yield request
        else:
            self.departments_pending.setdefault(source.id, []).append(request)

    def parse_department(self, response: Response, depth: int = 1) -> Iterator[Any]:
        source = self.source_of(response)
        if response.status >= 400 or not isinstance(response, TextResponse):
            self.count_page(response)
            return
        base = urlsplit(response.url).path.rsplit("/", 1)[0] + "/"
        own_way = any(nav_score(link_text(link), url) >= NAV_MIN_SCORE and urlsplit(url).path.startswith(base)
                      for link in page_links(response)
                      if (url := canonical_url(response.urljoin(link_href(link) or "#"))) != response.url)
        if own_way and source.id not in self.departments_open:
            self.departments_open.add(source.id)
            pending = self.departments_pending.pop(source.id, [])
            self.crawler.stats.inc_value("nianbao/generic_department_sites", len(pending))
            yield from pending
        yield from self.parse_list(response, page=1, depth=depth)

    def site_map(self, url: str, source: Any, parent: str, depth: int) -> Iterator[Request]:
        """The portal's 网站地图 is its own index of columns: a 年报 column that no menu on the way names
        (a department's 信息公开 page listing 指南, 制度, 预决算 … and no 年报) is still in it.  Walked
        early (with the weakest links on the way, not at the end of the walk), at the depth of the page
        linking it, SITE_MAPS per source; a dead one is no crawl error
        (most pages link it from their footer, and it leads to no report of its own)."""
        asked = self.site_maps.setdefault(source.id, set())
        if len(asked) >= SITE_MAPS or not self.in_scope(url, source) or not self.walk(url, source):
            return
        asked.add(url)
        yield self.request(url, source, self.parse_site_map, parent=parent, priority=NAV_MIN_SCORE,
                           render=bool(self.override(source, "render", False)),
                           meta={"handle_httpstatus_list": [403, 404, 410, 500, 502, 503]},
                           cb_kwargs={"depth": depth})

    def parse_site_map(self, response: Response, depth: int = 0) -> Iterator[Any]:
        if response.status >= 400:
            self.count_page(response)
            return
        yield from self.parse_list(response, page=1, depth=depth)

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

    def frames(self, response: TextResponse, source: Any, depth: int, column: bool = False) -> Iterator[Request]:
        """An <iframe> is part of the page a person sees (公开目录 trees often are one): walked at the
        same depth.  `column`: the page is a 年报 column listing nothing itself, so what it frames is
        the column's list (read and paged as the column, whatever the frame's own title says)."""
        for frame in response.css("iframe[src], frame[src]"):
            url = canonical_url(response.urljoin(frame.attrib["src"]))
            if self.on_site(url, source) and self.in_scope(url, source) and not attachment_extension(url) \
                    and self.walk(url, source):
                text = clean_text(frame.attrib.get("title") or frame.attrib.get("name") or "")
                yield self.request(url, source, self.parse_list, parent=response.url,
                                   priority=5 + min(nav_score(text, url), 30),
                                   render=bool(self.override(source, "render", False)),
                                   cb_kwargs={"page": 1, "depth": depth, "column": column})

    def next_pages(self, response: TextResponse, source: Any, page: int) -> Iterator[Request]:
        """The column's other pages, at the same depth: a 下一页 link, numbered page links whose URLs
        look like pages (index_2.html, ?page=2), or TRS's createPageHTML pager script."""
        depth = response.cb_kwargs.get("depth", 0) if response.request is not None else 0
        render = bool(self.override(source, "render", False))
        kwargs = {"depth": depth, "column": True}
        urls: list[tuple[str, int]] = []
        for req in super().next_pages(response, source, page):
            urls.append((req.url, page + 1))
        numbered: list[tuple[str, int]] = []
        for link in page_links(response):
            href = link_href(link)
            text = link_text(link)
            if not href or not (text.isdigit() or text in ("尾页", "末页", *PAGER_TEXTS)):
                continue
            url = response.urljoin(href)
            if (PAGE_URL_RE.search(url) or text in PAGER_TEXTS) and url != response.url:
                numbered.append((url, int(text) if text.isdigit() and len(text) < 10 else page + 1))
        if numbered:  # a rendered pager may print every page number: read as far as the cap
            cap = self.list_page_cap(source, response.url, max(n for _, n in numbered))
            urls += [(url, n) for url, n in numbered if n <= cap]
        # a year filter's options are the column's other lists (list_2021.html …), or its older reports
        # themselves (往年年报: 2023年度 → the article, 2022年度 → the PDF): each is judged on arrival
        options = [(url, label) for url, label in select_options(response) if url != response.url]
        pager = trs_pager(response.text)
        if pager and page == 1 and pager[1] == 0:
            total, _, stem, ext = pager
            limit = min(total, self.list_page_cap(source, response.url, total))
            urls += [(trs_page_url(response.url, stem, ext, i), i + 1) for i in range(1, limit)]
        if page == 1 and (total := script_page_total(response)) > 1:
            urls += script_page_urls(response, limit=self.list_page_cap(source, response.url, total))
        done: set[str] = set()
        for url, number in urls:
            if url in done or number <= 1:
                continue
            done.add(url)
            yield self.request(url, source, self.parse_list, parent=response.url, render=render, priority=50,
                               cb_kwargs={"page": max(number, page + 1), **kwargs})
        for url, label in options:
            if url not in done:
                done.add(url)
                yield self.request(url, source, self.parse_option, parent=response.url, render=render, priority=50,
                                   cb_kwargs={"label": label, "page": page + 1, **kwargs})
        if static_postback(response):
            yield from self.postback_page(response, source, page, kwargs)

    def parse_option(self, response: Response, label: str = "", page: int = 2, depth: int = 0,
                     column: bool = True) -> Iterator[Any]:
        """What a 年报 column's year <select> option leads to: another list of the column (walked as
        one), or an older report itself, an article or the file (往年年报: "2022年度" → W020230118.pdf).
        A report page is recognised by its own title; a file by the option, which names its year in
        the body's own column ("2022年度": the column owner's report of 2022)."""
        source = self.source_of(response)
        parent = response.meta.get("nianbao_parent")
        if served_file(response):
            info = self.option_report(label, source)
            if info is None:
                self.count_page(response)
                return
            yield from self.parse_document(response, kind="report", info=info, parent=parent)
            return
        if not isinstance(response, TextResponse):
            self.count_page(response)
            return
        response = self.decoded(response)
        titles = page_titles(response)
        published = page_published(response)
        verdict = self.classify(Entry(url=response.url, title=titles[0] if titles else "", published=published))
        if verdict.get("is_report") and verdict.get("year") and not verdict_other_body(verdict, source):
            # (a page reading like a report that lists reports is walked as the column: parse_report)
            info = {"title": titles[0], "year": verdict.get("year"),
                    "agency": full_agency(verdict.get("agency"), getattr(source, "region", None)),
                    "published": published}
            yield from self.parse_report(response, info=info, parent=parent, depth=depth + 1)
            return
        yield from self.parse_list(response, page=page, depth=depth, column=column)

    def option_report(self, label: str, source: Any) -> dict | None:
        """The report a year option that serves a file stands for: its label read as a report title,
        else a bare year ("2022年度") as the column owner's report of that year."""
        verdict = self.classify(Entry(url="", title=label))
        if verdict.get("is_report") and verdict.get("year"):
            if verdict_other_body(verdict, source):
                return None
            return {"title": label, "year": verdict["year"],
                    "agency": full_agency(verdict.get("agency"), getattr(source, "region", None)) or source.name,
                    "published": None}
        compact = label.replace(" ", "")
        if YEAR_LINK_RE.fullmatch(compact) and int(compact[:4]) in report_years():
            return {"title": label, "year": int(compact[:4]), "agency": getattr(source, "name", None), "published": None}
        return None

    def postback_page(self, response: TextResponse, source: Any, page: int, kwargs: dict) -> Iterator[Request]:
        """A WebForms list's next page: its form POSTed as this page left it (__VIEWSTATE and
        __EVENTVALIDATION are the current page's: an older page's are refused with a 500), with the pager's
        event target and argument, as __doPostBack does.  One page leads to the next, so the walk is a
        chain bounded by NIANBAO_MAX_LIST_PAGES and ended by a page adding nothing (parse_list's
        `adds_items`: a pager answering the same page forever, each with a fresh __VIEWSTATE, stops
        there).  The page number is in the walk's key, since a 下一页 LinkButton posts the same target
        and argument ('') on every page."""
        step = postback_next(response, page)
        form = postback_form(response)
        if step is None or form is None:
            return
        action = response.urljoin(form.attrib.get("action") or response.url)
        key = f"{canonical_url(action)}#postback:{page + 1}:{step[0]}={step[1]}"
        if not self.on_site(action, source) or not self.walk(key, source):
            return
        self.crawler.stats.inc_value("nianbao/generic_postback")
        # __doPostBack sends no submit button (a button is sent only when it is the one clicked)
        buttons = set(form.xpath(".//input[@type='submit' or @type='image']/@name | .//button/@name").getall())
        fields = [(k, v) for k, v in form_fields(form) if k not in POSTBACK_FIELDS and k not in buttons]
        base = self.request(action, source, self.parse_list, parent=response.url, priority=50)
        yield FormRequest(action, method="POST", formdata=[(POSTBACK_FIELDS[0], step[0]), (POSTBACK_FIELDS[1], step[1]),
                                                           *fields],
                          encoding=response.encoding, callback=self.parse_list, errback=base.errback, meta=base.meta,
                          headers=base.headers, priority=50, dont_filter=True,
                          cb_kwargs={"page": page + 1, **kwargs})

    def consider(self, entry: Entry, source: Any, parent: str, depth: int = 0) -> Iterator[Any]:
        """A report title with a year (or a list date) is taken on the list alone.  A report title
        with neither ("XX局政府信息公开工作年度报告", undated) is fetched as a candidate: its page's
        publication date gives the year, and an undated page of that name is walked as a column.
        Such a link outside the crawl's scope (a subsite's header naming the host portal's 年报) is
        another body's, and left alone."""
        verdict = self.classify(entry)
        if verdict.get("is_report") and verdict_other_body(verdict, source):
            self.crawler.stats.inc_value("nianbao/generic_other_body")
            return
        if verdict.get("is_report") and verdict.get("year"):
            for req in super().consider(entry, source, parent):
                req.priority = 100
                if "info" in req.cb_kwargs and req.callback == self.parse_report:
                    req.cb_kwargs["depth"] = depth + 1
                info = req.cb_kwargs.get("info")
                if info is not None and not info.get("agency") and BARE_LINK_RE.match(entry.title.replace(" ", "")):
                    # "2021年度" in the body's own 历年年报 grid names no body: the column's owner (a
                    # page read later may name it better, see `titled_by_page`)
                    info["agency"] = getattr(source, "name", None)
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
        source = self.source_of(response)
        if script_shell(response) and self.settings.getbool("NIANBAO_BROWSER", True) \
                and self.walk(response.url + "#rendered", source):
            # a single-page app's item: its title and date exist only in the browser
            self.count_page(response)
            yield self.request(response.url, source, self.parse_candidate, parent=parent, render=True,
                               dont_filter=True, priority=response.request.priority,
                               cb_kwargs={"parent": parent, "depth": depth, "published": published})
            return
        response = self.decoded(response)
        title = clean_text(response.xpath("//meta[@name='ArticleTitle']/@content").get()
                           or " ".join(response.css("h1 ::text").getall())
                           or response.css("title::text").get())
        published = published or page_published(response)
        verdict = self.classify(Entry(url=response.url, title=title, published=published))
        listing = self.is_list_page(response, self.source_of(response))
        if verdict.get("is_report") and verdict_other_body(verdict, source):
            return  # another place's body's report (see `other_body`)
        if verdict.get("is_report") and verdict.get("year") and not listing:
            info = {"title": title, "year": verdict.get("year"), "agency": verdict.get("agency"),
                    "published": published}
            yield from self.parse_report(response, info=info, parent=parent)
            return
        # a list of reports ("省政府政府信息公开年报" naming a sub-column) is a column: paged like one
        yield from self.parse_list(response, page=1, depth=depth, candidate=not listing, column=listing)

