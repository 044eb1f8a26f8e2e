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
the column's own lists.  One way out: the start page's own link to the body's 年报 column, or to 信息公开
under its own name, on the same host (a platform's department whose column is the shared
list.jsp?siteId=31&catId=ndbg, a 街道 whose 信息公开 is a node of the county's 公开目录: `own_way_out`).
A department walks no sibling's site (部门导航, 部门信息公开: `others_column`), and a report titled for
another body of its own place (its government, a sibling 局) is that body's (`owners.another_body_here`).
A catalogue page whose tree marks the 年报 node as selected, or whose URL's fragment names it
(gkmlpt's /index#205), is the column (`lists.shown_column`).

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

A column's filter links (year × 类型 × 部门, each keeping the page the reader is on: ?page=2&year=2024&dept=7)
multiply into hundreds of lists: a numbered link that changes a filter and keeps the page is no page
of this list (`facets.filter_link`), a year filter's link is its list from the first page (`facets.first_page`),
and paged only while it lists reports the column did not; every list page
counts against the source's page budget (`paged`).

A year filter in a GET form (<form method=get action=''><select name=year> with bare years, or
onchange="location.search='?year='+this.value") is the column's action with ?year=YYYY, one list
per option that is a year a report can cover (`year_query_urls`); a "加载更多" button under rows the
server wrote is pressed in chromium until the list stops growing (`load_more`, `press_load_more`).
A list's 部门 tabs loading each body's rows into one box are opened one by one, each tab's own script
下一页 turned (`open_tabs`); a rendered 年报 list whose API announces more rows than reached the page,
nothing loading the rest, leaves a note (`JsonTally`).  A page whose breadcrumb ends at the 年报 column
is that column whatever its <title> (`lists.crumb_column`), and on a 年报 hub a link into the column's
directory reading as a body's name (花林寺镇人民政府, 统计局) is that body's sub-column (`owners.names_body`).
A hash router's routes (/xxgk/#/detail?id=7) are pages of their own: their fragment is kept
(`hash_route`), each is rendered, and rows linking such routes are read as links, not clicked.  A
national body (`level: national`, a ministry) takes no report of a body named after a place; a
report listed only as "2023年度" is titled and owned by its page's heading or 发文机关 (`titled_by_page`).

A portal's 网站地图 is walked early, once per source (`site_map`): a 年报 column no menu on the way
names is often linked only there.  A column whose pager its own script writes from a page count (var
totalPage = 3 with '?page='+i, or layui's laypage.render({count, limit, jump})) has its pages asked for
without a browser (`script_page_urls`, `laypage_urls`), and one whose script writes a pager it does not
explain is rendered (`script_written_pager`).  A row opened by its
own onclick (<tr onclick="location.href='…'">) is a link; rows calling a helper the page's external script
defines (javascript:openDetail('7521')) are clicked in one rendered page, each click's navigation caught
and aborted (`hold_navigation`).

A 年报 column page that lists nothing itself but frames its list (Hanweb's col/colN shell around
<iframe src=list.jsp>, whose document has an empty title) hands its column down to the frame (`frames`),
wherever on the entry's hosts the frame is served (/xxgk/ndbg/index.html framing /xxgk/list.jsp?catid=12).
What led to a page travels with its request (ANCHOR: a link's label, a frame's title, the tree node whose
click loaded a frame): a list that names itself nothing (信息公开列表) reached by 政府信息公开年报 is that
column and is paged (`anchored_column`).  A source ending with no report and no row saying why gets a note
with what its start page showed (`start_summary`).
A year <select onchange="location=this.value"> on a column has each option judged on arrival
(`parse_option`): a report page by its own title, a file as the option's year's report, else a list.  A
report page showing neither its text nor a file, but carrying script, is rendered once more for what the
script draws (`thin_report`: an attachment list from a token-guarded API).  A source whose walk (and
reserve) reached no 年报 column asks its site search once for 年度报告 when the crawl runs dry
(`search_url`, `search_for_column`, `parse_search`: SEARCH_PAGES result pages, a column among the results
walked as the column); one that still found nothing leaves a note saying so (`note_no_column`).

A report listed only by a bare label ("2022年度" in a year <select>, "下载") is titled by its file's
Content-Disposition name when that names the year's report, else "<owner><year>年度政府信息公开工作年度报告"
(`report_title`).  A thin report page is rendered only when its script could draw into it (`draws_content`:
statistics snippets and bare libraries never).  A script pager over server-written rows whose page URL the
page shows (the helper's inline definition, a form's page field, the list's own page parameter, a script
variable) is followed without a browser (`script_pager_pages`).  A source that reached no column and whose
robots.txt named no sitemap has its root /sitemap.xml and /sitemap_index.xml asked once (`probe_sitemaps`),
gzipped ones read whatever their headers say (`sitemap_body`).

Encoding: Scrapy picks the charset from the header, then <meta charset>, then sniffs, so GBK
portals decode without help; overrides.encoding forces one when a portal lies.

The page-reading rules named above live in modules of their own beside this one, which keeps the
GenericSpider that applies them: links.py (a link's target and name, viewers, canonical URLs, the
page's links), navscore.py (`nav_score`, `catalogue_node`), lists.py (a page's lists, a column by
its name), pagers.py (year selects and forms, postbacks, script pagers, 加载更多), helpers.py
(download-helper calls), render.py (what needs chromium), browser.py (what is done in chromium:
`turn_script_pages`, `click_through`, `scroll_to_end`, `press_load_more`, `open_tabs`, `hold_navigation`,
`JsonTally`),
articles.py (a report's later pages), owners.py (whose report it is: `other_body`, 发文机关),
facets.py (a list's pages and its filters) and search.py (`search_url`).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from scrapy import FormRequest, Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap

from archive.posted import posted_form
from crawler.served import served_meta
from crawler.spiders.articles import article_pages
from crawler.spiders.base import (
    CJK_RE,
    BaseSpider,
    Entry,
    attachment_extension,
    clean_text,
    disposition_name,
    entry_context,
    find_date,
    full_agency,
    goes_on,
    netloc,
    page_published,
    served_file,
)
from crawler.spiders.browser import (
    SCRIPT_PAGES,
    JsonTally,
    click_through,
    open_tabs,
    press_load_more,
    scroll_to_end,
    settle,
    turn_script_pages,
)
from crawler.spiders.facets import filter_keys_changed, filter_link, first_page, page_of_list
from crawler.spiders.formnodes import form_helpers, form_node_calls, form_row_entries
from crawler.spiders.helpers import (
    HELPER_SCRIPTS,
    helper_file_calls,
    helper_file_urls,
    helper_template,
    helper_url,
)
from crawler.spiders.links import (
    BARE_LINK_RE,
    COLUMN_RE,
    PAGE_LINKS,
    PAGER_WORDS,
    REPORT_WORD_RE,
    URL_DETOUR_RE,
    VIEWER_PATH_RE,
    YEAR_CELL_RE,
    YEAR_LINK_RE,
    block_heading,
    canonical_url,
    case_folded,
    hash_route,
    link_href,
    link_text,
    link_total,
    page_links,
    repeated_segment,
    script_redirect,
    servlet_file,
    tree_parent_label,
    viewer_target,
)
from crawler.spiders.lists import is_column_page, list_groups, others_block, shown_column
from crawler.spiders.navscore import DETOUR_WORDS, NAV_MAX_CHARS, NAV_URL_RE, catalogue_node, nav_score
from crawler.spiders.owners import (
    TOWNSHIP_SUFFIX_RE,
    another_body_here,
    body_core,
    issuing_body,
    names_body,
    own_body_name,
    page_titles,
    verdict_other_body,
)
from crawler.spiders.pagers import (
    PAGER_TEXTS,
    form_fields,
    laypage_urls,
    load_more,
    pager_total,
    postback_form,
    postback_next,
    report_years,
    script_page_total,
    script_page_urls,
    script_pager,
    script_written_pager,
    select_options,
    shown_option_urls,
    static_postback,
    static_script_pager,
    undefined_pager_helpers,
)
from crawler.spiders.render import (
    CANDIDATE_MIN_CHARS,
    catalogue_by_script,
    draws_content,
    needs_render,
    script_rows,
    script_shell,
)
from crawler.spiders.scriptnodes import nodes_result, open_script_nodes, script_nodes
from crawler.spiders.search import SEARCH_PAGES, SEARCH_QUERY, search_url
from crawler.spiders.trs import trs_page_url, trs_pager
from crawler.spiders.unwalked import unwalked_pager

logger = logging.getLogger(__name__)

NAV_MIN_SCORE = 3
MORE_RE = re.compile(r"^(?:[>»›]+|更多|查看更多|more|更多\s*[>»›]+|[>»›]+\s*更多|更多信息|历年|往年)$", re.I)
PAGE_URL_RE = re.compile(r"_\d+\.s?html?$|[?&](?:page|pagenum|pageindex|pageno|curpage|p)=\d+", re.I)
# an extension-less last path segment that names a page, not a directory (gkmlpt's /gkmlpt/index)
PAGE_NAME_RE = re.compile(r"index|default|home|main|list", re.I)
DISCLOSURE_ROOT_RE = re.compile(r"/(?:zwgk|xxgk|zfxxgk|gongkai|gk)/(?:index\.s?html?)?$", re.I)
# report links outside a subsite's directory that are still its own: its files on a shared download servlet
DOWNLOAD_URL_RE = re.compile(r"down|file|attach|/fj/|upload", re.I)
YEAR_FORM_OPTIONS = 12  # most options of a year <select> a POST form is submitted with
SITE_MAP_RE = re.compile(r"^(?:网站地图|站点地图|网站导航|sitemap|sitemaps|网站地图导航)$", re.I)
SITE_MAPS = 1  # 网站地图 pages walked per source
SITEMAP_FILES = 5  # sitemap.xml files (from robots.txt, or a sitemap index's) read per source
SITEMAP_ENTRIES = 50_000  # the sitemap protocol's own limit of URLs in one file
SITEMAP_CANDIDATES = 100  # report-like URLs of sitemaps fetched per source
SITEMAP_PATHS = ("sitemap.xml", "sitemap_index.xml")  # asked at a start host's root when nothing else led to a column
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit of one file, uncompressed
GZIP_MAGIC = b"\x1f\x8b"
# request meta: the text of what led to a page (a link, a tree node a browser clicked, a frame's title),
# so a page that names itself nothing (<title>信息公开列表</title>) is still the column its way in named
ANCHOR = "nianbao_anchor"
COLUMN_ANCHOR_SCORE = 6  # a link naming a 年报 column leads to the column (as `navigate` judges one)


# a file path in a page's own script (an inline JSON list the script turns into 附件 links)
SCRIPT_FILE_RE = re.compile(r"""["']((?:https?://|\.{0,2}/)[^"'\s<>]+?\.(?:pdf|docx?|wps|xlsx?|et|ofd|rtf))["']""", re.I)
SCRIPT_FILE_NAME_RE = re.compile(r"""["']?(?:name|title|fileName|filename|fileTitle)["']?\s*:\s*["']([^"']{2,120})["']""")
SCRIPT_FILES = 10  # most files one page's inline script lists


def script_files(response: TextResponse) -> Iterator[tuple[str, str]]:
    """An article's files that only its script names: a link opened by script (onclick="window.open(
    '….pdf')", href="javascript:downloadFile('….docx')"), a download servlet's link (/attach/download?
    id=) named by the report's title, and the files of an inline JSON list its script draws as 附件
    links ({"name": "…报告.pdf", "url": "/upload/….pdf"}).  A block of other articles is not the
    page's (`others_block`)."""
    for link in response.xpath("//a[@href or @onclick]"):
        href = (link.attrib.get("href") or "").strip()
        scripted = not href or href.lower().startswith(("javascript:", "#"))
        url = link_href(link) if scripted else href
        if not url:
            continue
        url = response.urljoin(url)
        text = link_text(link)
        if (scripted and (attachment_extension(url) or servlet_file(url))) \
                or (not scripted and servlet_file(url) and REPORT_WORD_RE.search(text)
                    and not attachment_extension(url, text)):  # a named file's link is the base's already
            if not others_block(link):
                yield url, text
    found = 0
    for script in response.xpath("//script[not(@src)]/text()").getall():
        for m in SCRIPT_FILE_RE.finditer(script):
            url = response.urljoin(m.group(1))
            if netloc(url) != netloc(response.url):
                continue
            start = script.rfind("{", 0, m.start())
            end = script.find("}", m.end())
            obj = script[start:end] if start >= 0 and end >= 0 and "}" not in script[start:m.start()] else ""
            named = SCRIPT_FILE_NAME_RE.search(obj)
            yield url, clean_text(named.group(1)) if named else ""
            found += 1
            if found >= SCRIPT_FILES:
                return


def sitemap_body(response: Response) -> bytes | None:
    """A sitemap's XML: as served, or gunzipped when the bytes are gzip (a sitemap.xml.gz served as
    application/x-gzip, or with no Content-Encoding at all, reaches the spider still compressed), bounded
    by SITEMAP_MAX_BYTES; None when it is no XML."""
    body = response.body
    if body[:2] == GZIP_MAGIC:
        from scrapy.utils.gz import gunzip

        try:
            body = gunzip(body, max_size=SITEMAP_MAX_BYTES)
        except Exception:  # torn gzip, or past the bound (scrapy raises its own _DecompressionMaxSizeExceeded)
            return None
    body = body.lstrip()
    if body[:3] == b"\xef\xbb\xbf":
        body = body[3:].lstrip()
    return body if body[:1] == b"<" else None
# a URL path that reads as a 年报 column's item (…/zfxxgk/ndbg/202501/t…html, /xxgknb/…)
REPORT_URL_RE = re.compile(r"/(?:nianbao|xxgknb|zfxxgknb|gknb|ndbg|ndbb|zfxxgkndbg|gzndbg|xxgkndbg)\b", re.I)
ARTICLE_PAGES = 30  # most continuation pages fetched for one report
# a 政府信息公开 host beside the body's www host (www.X.gov.cn → xxgk.X.gov.cn)
SIBLING_LABELS = ("xxgk", "zwgk", "zfxxgk", "gk", "gongkai", "xxgkml", "zdgk")
LIST_BODY_MAX_CHARS = 1000  # a report's own text runs to thousands of characters; a list page's to a few hundred
# a 年报 column's list pages show 10 to 30 items; more items naming no report mean a general list
CANDIDATES_PER_LIST = 30
SUB_COLUMN_MAX_CHARS = 10  # tab and sub-column names (省政府, 市（州）政府) are short
# a block of the portal's departments: 部门网站, 部门导航, 政府部门, 部门政府信息公开年报
DEPARTMENT_HEADING_RE = re.compile(r"部门|委办局|工作部门|政府机构|机构导航")
DEPARTMENT_SITES = 30  # most department sites walked per source
DEPARTMENT_PROBES = 3  # department sites asked for before one is known to be a live site
POSTBACK_FIELDS = ("__EVENTTARGET", "__EVENTARGUMENT")
# a link naming a group of bodies: a platform's 市政府 / 部门 / 区县 / 乡镇 columns
BODY_GROUP_RE = re.compile(r"政府|部门|区县|县区|县市|乡镇|街道|市直|县直|委办局")
PLACE_LEVEL_WORDS = ("省", "市", "州", "县", "区", "乡", "镇")  # what 市政府信息公开 leaves once its column words go
# the words of a 年报 / 信息公开 column's own name; what is left names a body (市政府, 部门, 区县)
OWN_COLUMN_WORDS_RE = re.compile(r"政府信息公开|信息公开|政务公开|工作|年度报告|年报|历年|往年|专栏|栏目|本(?:部门|单位|机关)")


def frame_label(response: TextResponse, frame: Any, url: str) -> str:
    """What names a frame's page to a reader: the frame's title or name, else the text of the page's
    link to the same URL (the menu link targeting the frame, the tree node whose click loaded it,
    which `click_through` writes as a link).  A name that is only an element id (listframe) says nothing."""
    for key in ("title", "name"):
        text = clean_text(frame.attrib.get(key))
        if text and CJK_RE.search(text):
            return text
    for link in page_links(response):
        href = link_href(link)
        if href and canonical_url(response.urljoin(href)) == url and (text := link_text(link)):
            return text
    return clean_text(frame.attrib.get("title") or frame.attrib.get("name"))


class GenericSpider(BaseSpider):
    name = "generic"
    family = "generic"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.walked: dict[str, set[str]] = {}  # per source: pages asked for as navigation or candidates
        self.folded: dict[str, set[str]] = {}  # per source: the walked pages with their paths in lower case
        self.same_pages: dict[str, set[str]] = {}  # per source: year-query URLs of a list fetched already
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
        self.unwalked: dict[str, dict[str, str]] = {}  # per source: 年报 lists whose pager was not walked, and why
        self.scripts_asked: set[str] = set()  # script files asked for (a helper's or a pager's definition)
        # script URL -> 年报 list pages whose pager helper it may define: (response, page, depth)
        self.pager_waiting: dict[str, list[tuple[TextResponse, int, int]]] = {}
        self.sitemaps_asked: dict[str, set[str]] = {}  # per source: sitemap files asked for
        self.sitemap_candidates: dict[str, set[str]] = {}  # per source: report-like URLs a sitemap listed
        self.sitemaps_probed: set[str] = set()  # sources whose root sitemap.xml was asked for (`probe_sitemaps`)
        self.departments: dict[str, set[str]] = {}  # per source: department sites taken (`department_site`)
        self.departments_pending: dict[str, list[Request]] = {}  # per source: waiting for a live probe
        self.departments_open: set[str] = set()  # sources one of whose department probes was a live site
        self.search_urls: dict[str, str] = {}  # per source: its site search asked for 年度报告 (`search_url`)
        self.searched: dict[str, str] = {}  # per source: the search asked (when no column was reached)
        self.start_seen: dict[str, str] = {}  # per source: what its start page showed (`start_summary`)
        # per source: what its 年报 column pages listed and could not open (`column_summary`), by page URL
        self.column_seen: dict[str, dict[str, tuple[int, str]]] = {}
        self.fleet: Any = None  # a distributed run's crawler.fleetnotes.FleetNotes: the end judged fleet-wide

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
        """A sitemap (urlset) or sitemap index, plain or gzipped (`sitemap_body`): a listed URL that reads
        as a report column or its item (…/ndbg/…, /xxgknb/…) is fetched as a candidate, judged by its own
        page title and date (a column among them is walked as one); an index's sitemaps are read in turn
        (SITEMAP_FILES per source).  At most SITEMAP_CANDIDATES candidates per source; a dead or
        malformed sitemap is no crawl error."""
        self.count_page(response)
        source = self.source_of(response)
        body = sitemap_body(response)
        if response.status >= 400 or body is None:
            return
        try:
            sitemap = Sitemap(body)
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

    def source_facts(self, source_id: str) -> dict[str, Any]:
        """What this process knows of a source that the end of the crawl judges it by.  In a distributed
        run each worker publishes these (crawler/fleetnotes.py) and the judgement is made over the sum of
        the fleet's: the worker that read a column is often not the one that read its reports."""
        st = self.stats_for(source_id)
        return {"pages": st.pages, "reports_found": st.reports_found, "errors": st.errors,
                "column": source_id in self.columns,
                "explained": any(sid == source_id and not kind.startswith("robots-") for sid, kind in self.notes),
                "start_seen": self.start_seen.get(source_id), "column_seen": self.column_seen_line(source_id),
                "search_url": self.search_urls.get(source_id),
                "searched": self.searched.get(source_id), "sitemaps_asked": bool(self.sitemaps_asked.get(source_id)),
                "reserved": len(self.reserve.get(source_id) or ()), "reserved_elsewhere": 0,
                "column_urls": sorted(self.column_urls.get(source_id, ())),
                "unwalked": dict(self.unwalked.get(source_id) or {}), "unpaged": dict(self.unpaged.get(source_id) or {})}

    def release_reserve(self) -> None:
        """When the crawl runs dry, a source that reached no report column walks its 公开目录's
        catalogue nodes (法定主动公开内容 …): the column may sit one level inside one of them.  In a
        distributed run "dry" is the fleet's (queue empty, no worker holding a request), judged by one
        worker at a time over what every worker found (`fleet`, crawler/fleetnotes.py); a worker still
        holding catalogue nodes stays until then."""
        if self.fleet is None:
            self.end_of_crawl({sid: self.source_facts(sid) for sid in self.sources})
            return
        view = self.fleet.end_pass(self)
        if view is None:  # the fleet is still crawling, or another worker is judging
            if any(self.reserve.values()):
                dog = getattr(self.crawler, "nianbao_watchdog", None)
                if dog is not None:  # waiting on the fleet's crawl is not a stall of this one
                    dog.progress()
                raise DontCloseSpider
            return
        try:
            self.end_of_crawl(view)
        finally:
            self.fleet.done()

    def claim(self, kind: str, source_id: str) -> bool:
        """The fleet's once per source (a probe, a search, a note); always True in one process."""
        return self.fleet is None or self.fleet.claim(kind, source_id)

    def end_of_crawl(self, view: dict[str, dict[str, Any]]) -> None:
        released = False
        for source_id, requests in self.reserve.items():
            if not requests:
                continue
            if view[source_id]["column"]:  # reached after all: never walked
                requests.clear()
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
        if self.probe_sitemaps(view):
            raise DontCloseSpider
        if self.search_for_column(view):
            raise DontCloseSpider
        self.note_no_column(view)
        if self.fleet is not None:  # the fleet is dry and will ask for nothing more: what it left out
            self.closing_notes(view)

    def probe_sitemaps(self, view: dict[str, dict[str, Any]]) -> bool:
        """When the crawl runs dry and a source's walk reached no 年报 column and no report, and its
        robots.txt named no sitemap, the sitemap files a site keeps at its root by convention
        (SITEMAP_PATHS: /sitemap.xml, /sitemap_index.xml, gzipped or not) are asked for once per start
        host: the portal's own index of its pages may list the column no menu names.  Before the site
        search, which costs the server more."""
        asked = False
        for source_id, source in self.sources.items():
            facts = view[source_id]
            if facts["column"] or facts["reports_found"] or not facts["pages"] or facts["sitemaps_asked"] \
                    or facts["reserved_elsewhere"] or source_id in self.sitemaps_probed:
                continue
            self.sitemaps_probed.add(source_id)
            if not self.claim("sitemaps", source_id):
                continue
            roots = dict.fromkeys(f"{urlsplit(u).scheme}://{netloc(u)}/" for u in source.start_urls)
            for root in roots:
                for path in SITEMAP_PATHS:
                    for req in self.sitemap_request(canonical_url(root + path), source, root):
                        # a guess at a conventional name: its absence (or a robots.txt refusing it) is no error
                        self.crawler.engine.crawl(req.replace(errback=self.probe_failed))
                        asked = True
        return asked

    def probe_failed(self, failure: Any) -> None:
        logger.info("sitemap probe %s failed: %s", failure.request.url, failure.value)

    def search_for_column(self, view: dict[str, dict[str, Any]]) -> bool:
        """When the crawl runs dry and a source's walk (its reserve too) reached no 年报 column and no
        report, its site's own search is asked once for 年度报告 (`search_url`, found on its pages): a
        column linked by no menu is still in the index.  Politely: one query, SEARCH_PAGES result pages,
        within the budget.  A source that found its reports another way (a tree clicked in chromium, a
        sitemap) asks nothing."""
        asked = False
        for source_id, source in self.sources.items():
            facts = view[source_id]
            url = facts["search_url"]
            if facts["column"] or facts["searched"] or source_id in self.searched or not url \
                    or facts["reserved"] or facts["reserved_elsewhere"] or facts["reports_found"]:
                continue
            self.searched[source_id] = url
            if not self.claim("search", source_id) or not self.walk(url, source):
                continue
            self.crawler.stats.inc_value("nianbao/generic_site_search")
            self.crawler.engine.crawl(self.request(
                url, source, self.parse_search, priority=NAV_MIN_SCORE,
                meta={"handle_httpstatus_list": [400, 403, 404, 410, 500, 502, 503]}, cb_kwargs={"page": 1}))
            asked = True
        return asked

    def note_no_column(self, view: dict[str, dict[str, Any]]) -> None:
        """The crawl ran dry, the site searches asked: a source that found no report gets a note saying
        what was tried and what its start page showed (`start_summary`: read as a column or not, its
        links, its frames and whether they were followed).  A silent zero reads as "this body publishes
        nothing", and `nianbao status` could only say "0 reports found".  A source whose rows already say
        why (a failure, a redirect or link off its hosts not followed) is not silent: the note would only
        bury the reason under a guess.  (A note about robots.txt explains no zero.)"""
        for source_id, source in self.sources.items():
            facts = view[source_id]
            if facts["reports_found"] or not facts["pages"] or facts["errors"] or facts["explained"] \
                    or facts["reserved_elsewhere"]:
                continue
            start = facts["start_seen"] or "the start page was never read as a page"
            url = source.start_urls[0] if source.start_urls else None
            if facts["column"]:
                # the column page says what was missed (titles it listed but could not open); the start page's
                # summary follows (its frames, and what became of them)
                seen = "; ".join(filter(None, [facts.get("column_seen"), start]))
                if self.claim("no-report", source_id):
                    self.record_note(source_id, url, "no-report",
                                     f"年报 column reached but no report found: walked {facts['pages']} pages; {seen}")
                continue
            searched = facts["searched"]
            how = (f"the site search for {SEARCH_QUERY} ({searched}) led to none" if searched
                   else "no site search form was found to ask")
            if self.claim("no-column", source_id):
                self.record_note(source_id, url, "no-column",
                                 f"no 年报 column found: walked {facts['pages']} pages, {how}; {start}; the registry"
                                 " entry may need the column's URL as a start URL")

    def column_seen_line(self, source_id: str) -> str | None:
        """The source's 年报 column pages as `note_no_column` names them: those listing titles they could not
        open first, at most two."""
        pages = sorted(self.column_seen.get(source_id, {}).values(), key=lambda p: -p[0])
        return "; ".join(line for _, line in pages[:2]) or None

    def column_summary(self, response: TextResponse, entries: list[Entry]) -> tuple[int, str]:
        """(report titles it could not open, a line): what a 年报 column page listed, and the report titles on
        it that no link opens (rows opened only by a script the crawl did not follow), with their action."""
        taken = {e.title for e in entries if self.classify(e).get("is_report")}
        unopened: list[str] = []
        for el in response.xpath("//a[not(@href) or starts-with(normalize-space(@href), 'javascript:') or "
                                 "normalize-space(@href) = '#' or normalize-space(@href) = ''] | //*[@onclick][not(self::a)]"):
            text = clean_text(" ".join(el.xpath(".//text()").getall()))
            if not text or len(text) > 80 or text in taken or any(text in u for u in unopened) \
                    or not self.classify(Entry(url=response.url, title=text)).get("is_report"):
                continue
            action = clean_text(el.attrib.get("onclick") or el.attrib.get("href") or "")
            unopened.append(f"{text} ({action[:40]})" if action else text)
        line = f"column page {response.url}: {len(entries)} links ({len(taken)} report titles)"
        if unopened:
            line += f", {len(unopened)} report title(s) it could not open: {', '.join(unopened[:2])}"
        return len(unopened), line

    def start_summary(self, response: TextResponse, source: Any, entries: list[Entry], column: bool) -> str:
        """What a start page showed, in a line an operator can act on: whether it read as a 年报 column,
        how many links and report titles it held, and its frames with what became of each."""
        reports = sum(bool(self.classify(e).get("is_report")) for e in entries)
        frames = []
        for frame in response.css("iframe[src], frame[src]"):
            url = canonical_url(response.urljoin(frame.attrib["src"]))
            why = ("another site's, not followed" if not self.on_site(url, source)
                   else "outside the crawl's scope, not followed" if not (column or self.in_scope(url, source))
                   else "followed")
            frames.append(f"{url} ({why})")
        shown = f"{len(frames)} frame(s): {', '.join(frames[:3])}" if frames else "no frame"
        return (f"start page {response.url} {'read' if column else 'not read'} as a 年报 column, {len(entries)} links"
                f" ({reports} report titles), {shown}")

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
            parts = urlsplit(u)
            path = parts.path or "/"
            last = path.rsplit("/", 1)[1]
            # /xzjd/baishui is a directory; /gkmlpt/index#205, /xxgk/ml?unitId=3 and …/index are pages
            if last and "." not in last and not (parts.fragment or parts.query or PAGE_NAME_RE.fullmatch(last)):
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
        if kwargs.get("render") and callback == self.parse_list \
                and "playwright_page_methods" not in (kwargs.get("meta") or {}):
            # a list rendered because the registry says so (overrides.render) is read as one rendered for
            # its script is: its script pager turned, its 加载更多 pressed, its endless list scrolled
            kwargs["meta"] = {**(kwargs.get("meta") or {}), **self.list_render_meta()}
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
        """First time this source asks for `url` as a page to walk, and within its budget.  A path
        differing only in letter case (/ZWGK/NDBG/ beside /zwgk/ndbg/: one page on the servers that
        ignore case) is the same page, and a relative link's loop (ndbg/ → /ndbg/ndbg/ printing
        ndbg/ again) is the page it repeats (`repeated_segment`)."""
        seen = self.walked.setdefault(source.id, set())
        if url in seen:
            return False
        folded = case_folded(url)
        if folded in self.folded.setdefault(source.id, set()):
            return False
        if (shorter := repeated_segment(url)) and (shorter in seen or case_folded(shorter) in self.folded[source.id]):
            self.crawler.stats.inc_value("nianbao/generic_relative_loop")
            return False
        if len(seen) >= self.budget(source):
            self.crawler.stats.inc_value("nianbao/generic_budget_spent")
            return False
        seen.add(url)
        self.folded[source.id].add(folded)
        return True

    def walk_on(self, url: str, source: Any, response: TextResponse) -> bool:
        """`walk`, for a link a page leads on by (a sub-column, a year's list, a menu link, a column's
        item): when the source's page budget is what refuses it, the cut is noted, once per source,
        naming the page the walk stopped at (its column) and the cap.  A list reached through such
        links, not a pager (`next_pages` notes those), was cut without a word before."""
        if self.walk(url, source):
            return True
        if self.budget_spent(source) and url not in self.walked.get(source.id, ()) \
                and case_folded(url) not in self.folded.get(source.id, ()):
            name = clean_text(response.css("title::text").get()) or response.url
            self.record_note(source.id, response.url, "page-budget",
                             f"walk stopped at {name}: the source's page budget is spent"
                             f" (NIANBAO_GENERIC_MAX_PAGES={self.budget(source)}); {url} and what it leads to"
                             " were not walked")
        return False

    def budget_spent(self, source: Any) -> bool:
        """The source has walked as many pages as NIANBAO_GENERIC_MAX_PAGES lets it."""
        return len(self.walked.get(source.id, ())) >= self.budget(source)

    def paged(self, url: str, source: Any) -> bool:
        """A list's later page (or year option) is a page of the source's budget like any walked page,
        so no pager, however long or multiplied, takes a source past NIANBAO_GENERIC_MAX_PAGES; a page
        asked for already passes (Scrapy's duplicate filter drops it)."""
        return url in self.walked.get(source.id, set()) or self.walk(url, source)

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
        # rows opened by a helper that fills a form with their id and submits it (viewDetail('2200'))
        for url, title in form_row_entries(response, self.page_script_files(response)):
            if self.classify(Entry(url=url, title=title)).get("is_report"):
                yield Entry(url=url, title=title)

    def is_list_page(self, response: TextResponse, source: Any) -> bool:
        """A page reached through a report-like link ("2024年度政府信息公开工作年度报告" naming a year's
        list) that is itself a list: no report text of its own, and several report items (or one and a
        pager).  It is walked as a column, not recorded as a report.  An article's block of other
        articles (相关文章, 热点信息: `others_block`) lists its siblings, not this page's items, and a
        download servlet's link is a file of the page: neither makes the article a list."""
        text = "".join(response.xpath("//body//text()[not(ancestor::a) and not(ancestor::script) and "
                                      "not(ancestor::style) and not(ancestor::select)]").getall())
        if len("".join(text.split())) >= LIST_BODY_MAX_CHARS:
            return False
        here = canonical_url(response.url)
        others = {canonical_url(response.urljoin(link_href(link))) for link in page_links(response)
                  if link_href(link) and others_block(link)}
        listed = {u for group in list_groups(response) for u, t in group
                  if u != here and u not in others and not attachment_extension(u, t) and not servlet_file(u)
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
            if url == here or url in others or not self.classify(Entry(url=url, title=title)).get("is_report"):
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
        yield from script_files(response)
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
            else:
                yield from self.ask_script(src, source, response.url)

    def ask_script(self, src: str, source: Any, parent: str) -> Iterator[Request]:
        """A page's script file, asked for once per crawl whoever needs it (a download helper's or a
        pager helper's definition); a script is a page of the budget too."""
        if src not in self.scripts_asked and self.walk(src, source):
            self.scripts_asked.add(src)
            yield self.request(src, source, self.parse_helper_script, parent=parent, priority=80,
                               meta={"handle_httpstatus_list": [403, 404, 410]})

    def parse_helper_script(self, response: Response) -> Iterator[Request]:
        self.count_page(response)
        text = response.text if isinstance(response, TextResponse) and response.status < 400 else ""
        self.script_texts[response.url] = text
        yield from self.helper_files(response.url, self.source_of(response))
        yield from self.pager_scripts_read(response.url)

    def page_script_srcs(self, response: TextResponse) -> list[str]:
        """The page's own script files (same host, the last HELPER_SCRIPTS: a site's helpers sit after
        its libraries)."""
        srcs = [canonical_url(response.urljoin(u)) for u in response.xpath("//script/@src").getall()]
        return [u for u in srcs if netloc(u) == netloc(response.url)][-HELPER_SCRIPTS:]

    def page_script_files(self, response: TextResponse) -> list[str]:
        """The texts of the page's script files the crawl has read (for `static_script_pager`)."""
        return [self.script_texts[u] for u in self.page_script_srcs(response) if u in self.script_texts]

    def unread_pager_scripts(self, response: TextResponse) -> list[str]:
        """The script files to read before a 年报 list's script pager is judged: its helper (goPage(n))
        is defined in none of its inline scripts and the page shows no page URL, so its definition is
        in one of these (/js/list.js) as much as anywhere."""
        if "playwright" in response.flags or not undefined_pager_helpers(response) \
                or static_script_pager(response, self.page_script_files(response)):
            return []
        return [u for u in self.page_script_srcs(response) if u not in self.script_texts]

    def wait_for_pager_scripts(self, response: TextResponse, source: Any, srcs: list[str], page: int,
                               depth: int) -> list[Request] | None:
        """Read a list's script files for its pager helper's definition; the list is judged again
        (`pager_scripts_read`) once all of them are in: its pages asked for as the helper builds them,
        else it goes to the browser as before.  None: no file could be asked for (the page budget)."""
        asks: list[Request] = []
        waiting = False
        for src in srcs:
            asks += self.ask_script(src, source, response.url)
            if src in self.scripts_asked:  # asked now or on its way for another page
                self.pager_waiting.setdefault(src, []).append((response, page, depth))
                waiting = True
        return asks if waiting else None

    def pager_scripts_read(self, src: str) -> Iterator[Request]:
        """A script file is in: the lists waiting on it (and on no other file) go on with their pager."""
        for response, page, depth in self.pager_waiting.pop(src, []):
            if any(response is w[0] for ws in self.pager_waiting.values() for w in ws):
                continue  # another of its script files is still on its way
            source = self.source_of(response)
            kwargs = {"depth": depth, "column": True}
            if static_script_pager(response, self.page_script_files(response)):
                yield from self.script_pager_pages(response, source, page, kwargs, set())
            elif self.column_needs_browser(response, list(self.list_entries(response, source))) \
                    and self.browser_allowed(response, source, "column listed by script") \
                    and self.walk(response.url + "#rendered", source):
                yield self.render_request(response, source, page=page, depth=depth, column=True)

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
                                   dont_filter=True, priority=response.request.priority, meta=served_meta(response),
                                   cb_kwargs={"info": info, "parent": parent, "depth": depth})
                return
            response = self.decoded(response)  # once, for the list check, the base and the pager
            if self.is_list_page(response, source):
                self.crawler.stats.inc_value("nianbao/generic_report_link_was_list")
                found = list(self.parse_list(response, page=1, depth=depth, column=True))
                if not found:  # a report's link that led to nothing is never silent
                    self.record_note(source.id, response.url, "report-link-list",
                                     f"a report link ({info.get('title') or '?'}) opened a page read as a list of"
                                     " reports, and nothing on it was taken")
                yield from found
                return
            info = self.titled_by_page(response, info, source)
        yield from super().parse_report(response, info=info, parent=parent)
        if not served_file(response):
            yield from self.article_page_requests(response, self.source_of(response), response.url, info)
            yield from self.helper_scripts(response, self.source_of(response), response.url)
            yield from self.thin_report_render(response, self.source_of(response))

    def thin_report(self, response: TextResponse, source: Any) -> bool:
        """A report page that shows neither the report nor a file of it, but carries script that could
        draw them (`draws_content`): its attachment list (or its text) is drawn in the browser, often
        from an API a plain client may not call (a token, X-Requested-With).  "全文见附件" over an empty
        <ul id="attach">.  Statistics snippets and jQuery alone draw nothing and cost no render."""
        if not draws_content(response):
            return False  # no script, or only statistics and libraries: nothing more in a browser
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
                                                             PageMethod(settle)], **served_meta(response)},
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
        info = {**info, "agency": issuing_body(response) or info.get("agency")}
        return {**info, "title": self.report_title(info, source)}

    def report_title(self, info: dict, source: Any, named: str | None = None) -> str | None:
        """The title a report listed only by a bare label ("2022年度" in a year <select>, "2021" in a
        历年年报 grid, "下载") is recorded under: the name its server gives the file (`named`, the
        Content-Disposition's) when that reads as this year's report of the column's own body, else what
        a reader calls it: the body's name, the year, 政府信息公开工作年度报告.  A title naming the report
        stays as it is."""
        title = info.get("title") or ""
        if title and not BARE_LINK_RE.match(title.replace(" ", "")):
            return title
        if named:
            stem = named[:-len(ext) - 1] if (ext := attachment_extension(named)) else named
            verdict = self.classify(Entry(url="", title=stem))
            if verdict.get("is_report") and verdict.get("year") in (None, info.get("year")) \
                    and not verdict_other_body(verdict, source):
                return stem
        owner = info.get("agency") or getattr(source, "name", None)
        if owner and info.get("year"):
            return f"{owner}{info['year']}年度政府信息公开工作年度报告"
        return title or None

    def parse_document(self, response: Response, kind: str, info: dict, parent: str | None = None) -> Iterator[Any]:
        """A report file listed by a bare label is titled as a reader knows it (`report_title`)."""
        if kind == "report":
            info = {**info, "title": self.report_title(info, self.source_of(response), disposition_name(response))}
        yield from super().parse_document(response, kind=kind, info=info, parent=parent)

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
        yield from self.report_contents(response, source, report=report, title=info.get("title"))
        yield from self.article_page_requests(response, source, report, info)

    def render_request(self, response: TextResponse, source: Any, **cb_kwargs: Any) -> Request:
        """The same page again through chromium, turning a script pager if it has one; chromium is given the
        answer the crawl already has (crawler/served.py), so the server is not asked for the page twice."""

        self.crawler.stats.inc_value("nianbao/render_fallback")
        return self.request(response.url, source, self.parse_list, parent=response.meta.get("nianbao_parent"),
                            render=True, dont_filter=True, priority=response.request.priority,
                            meta={**self.list_render_meta(), **served_meta(response),
                                  **({ANCHOR: response.meta[ANCHOR]} if response.meta.get(ANCHOR) else {})},
                            cb_kwargs=cb_kwargs)

    def list_render_meta(self) -> dict[str, Any]:
        """A rendered list's meta: what the browser does on it, and a tally of its list API's JSON counts."""
        return {"playwright_page_methods": self.list_page_methods(),
                "playwright_page_event_handlers": {"response": JsonTally()}}

    def list_page_methods(self) -> list[Any]:
        """What the browser does on a list page before Scrapy reads its DOM: wait for the data, scroll an
        endless list, press 加载更多, click through an app's menu, open each tab of a list, click each year node
        or department tab that loads its list by script, turn a script pager."""
        from scrapy_playwright.page import PageMethod

        pages = min(SCRIPT_PAGES, self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50))
        return [PageMethod("wait_for_load_state", "networkidle"), PageMethod(settle), PageMethod(scroll_to_end),
                PageMethod(press_load_more), PageMethod(click_through), PageMethod(open_tabs),
                PageMethod(open_script_nodes), PageMethod(turn_script_pages, pages)]

    def browser_allowed(self, response: TextResponse, source: Any, why: str) -> bool:
        if self.settings.getbool("NIANBAO_BROWSER", True):
            return True
        self.record_problem(source.id, response.url, f"{why}: needs a browser (NIANBAO_BROWSER off)")
        return False

    def parse_list(self, response: Response, page: int = 1, depth: int = 0, column: bool = False,
                   candidate: bool = False, facet: bool = False) -> Iterator[Any]:
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
                                   meta=self.anchor_meta(response.meta.get(ANCHOR)),
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
        column = column or (not candidate and (is_column_page(response) or shown_column(response)
                                               or self.anchored_column(response)))
        if source.id not in self.search_urls:
            found = search_url(response)
            if found and self.on_site(found, source):
                self.search_urls[source.id] = canonical_url(found)
        if column:
            self.columns.add(source.id)
            self.note_script_nodes(response, source)
        entries = list(self.list_entries(response, source))
        if (total := link_total(response)) > PAGE_LINKS:
            self.record_note(source.id, response.url, "link-cap",
                             f"page of {total} links: read the first {PAGE_LINKS} and those of the rest"
                             " naming 年报/报告 or paging")
        to_browser = False
        if column and (pending := self.unread_pager_scripts(response)) \
                and (asks := self.wait_for_pager_scripts(response, source, pending, page, depth)) is not None:
            # a script pager whose helper only a script file defines: read the file first (and, as for a
            # list going to the browser, take nothing from the HTML's other lists meanwhile)
            to_browser = True
            yield from asks
            if not any(self.classify(e).get("is_report") for e in entries):
                return
        elif column and not rendered and self.column_needs_browser(response, entries):
            # the column's list (or its later pages) is written by script: read it in the browser,
            # and take nothing from the HTML's other lists meanwhile
            to_browser = True
            if self.browser_allowed(response, source, "column listed by script") \
                    and self.walk(response.url + "#rendered", source):
                yield self.render_request(response, source, page=page, depth=depth, column=True)
                if not any(self.classify(e).get("is_report") for e in entries):
                    return
        lists = self.column_lists(response) if column else []
        region = {u: t for group in self.candidate_lists(lists) for u, t in group}
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
        # a filter's list (?year=2024 of a column) is paged only while it lists reports the column did not
        later: list[Request] = []
        if column and page < max_pages and self.adds_items(source, entries, page, response.url, reports_only=facet):
            later = list(self.next_pages(response, source, page))
            yield from later
        elif column and page >= max_pages:
            self.list_page_cap(source, response.url, pager_total(response), more=goes_on(response, page),
                               column=clean_text(response.css("title::text").get()))
        if column and page == 1 and not to_browser and not later:
            self.note_unwalked_pager(response, source, entries, rendered)
        if column:
            self.column_urls.setdefault(source.id, set()).add(response.url)
            self.column_seen.setdefault(source.id, {})[response.url] = self.column_summary(response, entries)
        elif (total := pager_total(response)) > 1:
            self.unpaged.setdefault(source.id, {})[response.url] = total
        if column:
            yield from self.year_forms(response, source, depth)
        if depth >= self.max_depth(source):
            return
        # a column page whose list is framed (Hanweb's col/colN shell around an <iframe> of list.jsp, whose
        # document has an empty <title>) hands its column down to the frame: the frame is its list
        framed_list = column and not any(self.classify(e).get("is_report") for e in entries)
        asked = [*self.frames(response, source, depth, column=column, framed_list=framed_list),
                 *self.navigate(response, source, depth, column, render, candidates=region)]
        yield from asked
        if self.start_page(response, source):
            self.start_seen[source.id] = self.start_summary(response, source, entries, column)
        if not asked and not column and depth > 0 and catalogue_by_script(response) \
                and self.walk(response.url + "#rendered", source) \
                and self.browser_allowed(response, source, "script-built catalogue"):
            yield self.render_request(response, source, page=page, depth=depth)

    def note_script_nodes(self, response: TextResponse, source: Any) -> None:
        """A rendered 年报 column whose year nodes / department tabs (loading their lists by script) the browser
        did not all open (`open_script_nodes`: past its bound, or a click that changed nothing): the lists
        behind them would be lost without a trace, so a note names the page and the nodes."""
        if "playwright" not in response.flags:
            return
        done = nodes_result(response)
        if done is None:
            return
        left = done.left or ([] if done.opened else script_nodes(response))
        if left:
            self.crawler.stats.inc_value("nianbao/script_nodes_left")
            self.record_note(source.id, response.url, "script-nodes",
                             f"{len(left)} year node(s)/tab(s) loading a list by script not opened in the browser"
                             f" on this 年报 column: {', '.join(left[:8])}")

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
                    if not self.walk_on(f"{action}#post:{name}={value}", source, response):
                        continue
                    base = self.request(action, source, self.parse_list, parent=response.url, priority=40)
                    fields = [(k, v) for k, v in form_fields(form) if k != name] + [(name, value)]
                    yield FormRequest(
                        response.urljoin(form.attrib.get("action") or response.url), method="POST",
                        formdata=fields, encoding=response.encoding, callback=self.parse_list,
                        errback=base.errback, meta=base.meta, headers=base.headers, priority=40,
                        dont_filter=True, cb_kwargs={"page": 1, "depth": depth, "column": True})

    def adds_items(self, source: Any, entries: list[Entry], page: int, here: str, reports_only: bool = False) -> bool:
        """Whether this list page (at `here`) brought an item the source had not listed yet.  An endless
        pager (下一页 forever, later pages repeating one page) ends at the first page that adds nothing;
        the pager's own links (page numbers, 下一页, », the list's other pages) are not items.
        `reports_only`: a filter's list (?year=2024), whose every page prints the other filters' links,
        counts only new report items, from its first page on."""
        listed = self.listed.setdefault(source.id, set())
        items = {e.url: e for e in entries
                 if not (e.title.isdigit() or e.title in PAGER_WORDS or page_of_list(e.url, here)
                         or (PAGE_URL_RE.search(e.url) and not CJK_RE.search(e.title)))}
        new = [e for url, e in items.items() if url not in listed]
        listed |= set(items)
        if reports_only:
            return any(self.classify(e).get("is_report") for e in new)
        return page <= 1 or bool(new)

    def column_needs_browser(self, response: TextResponse, entries: list[Entry]) -> bool:
        """A column whose HTML lists no report but carries script (the list comes by XHR), or whose
        later pages are reached only through a script pager (one whose call or 下一页 button the
        crawl cannot read without its script file too: `unwalked_pager`), or whose report rows are
        opened by a site helper only its script file defines (javascript:openDetail('7521'))."""
        listed = any(self.classify(e).get("is_report") for e in entries)
        if script_pager(response) and not (listed and static_script_pager(response, self.page_script_files(response))):
            return True  # (rows the server wrote, under a pager whose page URL shows: `script_pager_pages`)
        if listed and unwalked_pager(response, rendered=False):
            return True  # a pager only its script file draws or moves on (an unread call, a bare button)
        if load_more(response) or script_written_pager(response) \
                or script_rows(response, form_helpers(response, self.page_script_files(response))):
            return True
        if script_nodes(response):
            return True  # year nodes / department tabs loading their lists by script (showYear(2023))
        if listed:
            return False
        if static_postback(response):
            return False  # a WebForms pager, POSTed without a browser (`postback_page`)
        if entries and (script_page_total(response) or laypage_urls(response)):
            # server-rendered rows under a pager its script writes from a count (read without a browser):
            # a page of them without a report is just such a page, and its script may write the pager
            # 99,999,999 times over in a browser
            return False
        return bool(response.xpath("//script"))

    def note_unwalked_pager(self, response: TextResponse, source: Any, entries: list[Entry], rendered: bool) -> None:
        """A 年报 list (one listing a report) that asked for no later page though the crawl saw a pager
        (`unwalked_pager`): its later pages' reports would be lost without a trace, so a note says where."""
        if not any(self.classify(e).get("is_report") for e in entries):
            return
        why = unwalked_pager(response, rendered)
        if why:  # noted at the end of the crawl, with the column pages the crawl did read (`closed_notes`)
            self.crawler.stats.inc_value("nianbao/unwalked_pager")
            self.unwalked.setdefault(source.id, {}).setdefault(response.url, why)
            return
        tally = (response.meta.get("playwright_page_event_handlers") or {}).get("response") if rendered else None
        short = tally.shortfall() if isinstance(tally, JsonTally) else None
        if short:  # the list's API announced more rows than reached the page, and nothing loaded the rest
            api, total, rows = short
            self.crawler.stats.inc_value("nianbao/unwalked_pager")
            self.record_note(source.id, response.url, "unwalked-pager",
                             f"年报 list's API {api} says {total} rows, {rows} reached the page (scrolling and"
                             " 加载更多 loaded no more): the rest were not looked for")

    def column_lists(self, response: TextResponse) -> list[list[tuple[str, str]]]:
        """The column's own lists: those on the page that hold a dated report title.  A column page
        also carries the site's news blocks and menus, whose items are not the column's.  A page of
        the column with no recognisable report (a last page of 解读 and 编制说明) keeps the lists most
        of whose items name a report at all, so an oddly titled report is still looked at."""
        groups = list_groups(response)
        dated = [g for g in groups if any(self.classify(Entry(url=u, title=t)).get("year") for u, t in g)]
        return dated or [g for g in groups if 2 * sum(bool(REPORT_WORD_RE.search(t)) for _, t in g) >= len(g)]

    def candidate_lists(self, lists: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
        """The column lists whose oddly titled items are worth a fetch each (`parse_candidate`): a list
        of reports, with a few others beside them (解读, 图解, a report titled only 2023年度).  A list
        that holds a report among many more items naming none (a 50,000-item 通知公告 list under a
        年报 title) is a general list: its reports are taken by title, and fetching its other items
        one by one would spend the walk's page budget on pages that are no report.  An item naming a
        body (a hub's 松川县教育局) or only a year (2023年度) is a column's own, never one of the many."""
        def other(text: str) -> bool:
            bare = text.replace(" ", "")
            return not (REPORT_WORD_RE.search(bare) or names_body(bare) or YEAR_LINK_RE.fullmatch(bare))

        def kept(group: list[tuple[str, str]]) -> bool:
            others = sum(other(t) for _, t in group)
            return others <= CANDIDATES_PER_LIST or 2 * others <= len(group)
        return [g for g in lists if kept(g)]

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
        if posted_form(entry.url):
            return True  # a row the column page opens by POSTing its own form (`form_row_entries`): its item
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

    def closed_notes(self, spider: Any = None, reason: str = "finished", **__: Any) -> None:
        """At the end of the crawl, what it left out (`closing_notes`).  A distributed run's are judged
        by the fleet's end pass over every worker's facts (`end_of_crawl`): a worker's own share would
        note a list another worker paged.  Only a worker stopped before the fleet's end (a SIGTERM, a
        stop of the run) notes here what the fleet had published by then."""
        if self.fleet is None:
            self.closing_notes({sid: self.source_facts(sid) for sid in self.sources})
            return
        if reason == "finished":
            return
        self.closing_notes(self.fleet.view(self))

    def closing_notes(self, view: dict[str, dict[str, Any]]) -> None:
        """Per source, each 年报 list whose pager was seen and not walked (`note_unwalked_pager`), saying
        how many pages of the source's 年报 column were read all the same (a browser that turned one page
        of three read two); and the longest list read only to its first page (a whole 政府信息公开 list
        of 200 pages: only 年报 columns are paged, politeness bounds the rest).  Lists in URL order, so
        which one a note names does not hang on which worker read what first.  (`note_no_column` has
        said, when the crawl ran dry, which sources found nothing at all.)"""
        for source_id in self.sources:
            facts = view.get(source_id)
            if not facts:
                continue
            read = set(facts["column_urls"])
            for url, why in sorted(facts["unwalked"].items()):
                self.record_note(source_id, url, "unwalked-pager",
                                 f"年报 list paged by {why}: its later pages were not reached ({len(read)} page(s)"
                                 " of the source's 年报 column read)")
            lists = sorted((-n, u) for u, n in facts["unpaged"].items() if u not in read)
            if lists:
                total, url = -lists[0][0], lists[0][1]
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
        start = self.start_page(response, source)
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
            if column and not year_list and (text.isdigit() or text in PAGER_WORDS) and page_of_list(url, response.url):
                # the list's own pager (下一页, 3, 尾页 to index_3.html): `next_pages` walks it, counting pages
                # against NIANBAO_MAX_LIST_PAGES and stopping where a page adds nothing; walked from here as
                # a sub-column it would start again at page 1 every page and never meet the cap
                continue
            facet = year_list and bool(filter_keys_changed(url, response.url))
            if facet:
                url = first_page(url)  # the year's list from its start, not at the page this one is on
            body = column and names_body(text)
            if column and (year_list or (more or body or len(text) <= SUB_COLUMN_MAX_CHARS)
                           and self.sub_column(url, response.url) and self.in_scope(url, source)
                           and not self.others_column(text, source)) \
                    and (body or not any(w in label for w in DETOUR_WORDS)):
                # a 年报 hub's sub-columns (省政府 / 省政府部门 / 市（州）政府, each 局 and 乡镇 by its full name,
                # 统计局 too) and their 更多>> links; a department's 部门导航 of its siblings (财政局, 教育局)
                # is other bodies' sites
                if not self.walk_on(url, source, response):
                    pass
                elif year_list and not facet:
                    # "2024年度" in a 年报 column: that year's list, or that year's report itself,
                    # which its own page says (`parse_option`, as for a year <select>'s option)
                    yield self.request(url, source, self.parse_option, parent=response.url, render=render,
                                       priority=30, meta=self.anchor_meta(label),
                                       cb_kwargs={"label": text, "page": 1, "depth": depth, "column": True})
                else:
                    yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                       priority=30, meta=self.anchor_meta(label),
                                       cb_kwargs={"page": 1, "depth": depth, "column": True,
                                                  **({"facet": True} if facet else {})})
            elif score >= NAV_MIN_SCORE and self.in_scope(url, source) and not self.others_column(text, source):
                if self.walk_on(url, source, response):
                    yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                       priority=min(score, 40), meta=self.anchor_meta(label),
                                       cb_kwargs={"page": 1, "depth": depth + 1,
                                                  "column": bool(COLUMN_RE.search(label)) and score >= 6})
            elif start and score >= NAV_MIN_SCORE and self.own_way_out(url, label, source):
                # the body's own column on a URL its start path does not cover (a platform's shared list.jsp)
                if self.walk_on(url, source, response):
                    self.crawler.stats.inc_value("nianbao/generic_own_way_out")
                    yield self.request(url, source, self.parse_list, parent=response.url, render=render,
                                       priority=min(score, 40), meta=self.anchor_meta(label),
                                       cb_kwargs={"page": 1, "depth": depth + 1,
                                                  "column": bool(COLUMN_RE.search(label)) and score >= 6})
            elif score < NAV_MIN_SCORE and DEPARTMENT_HEADING_RE.search(heading) and self.in_scope(url, source) \
                    and getattr(source, "kind", None) != "department" and not attachment_extension(url):
                yield from self.department_site(url, source, response.url, depth + 1, render)
            elif score < NAV_MIN_SCORE and catalogue_node(label, url) and self.in_scope(url, source):
                self.reserve.setdefault(source.id, []).append(self.request(
                    url, source, self.parse_list, parent=response.url, render=render, priority=1,
                    cb_kwargs={"page": 1, "depth": depth + 1}))
            elif column and len(text) >= CANDIDATE_MIN_CHARS and url in (candidates or {}) \
                    and self.in_scope(url, source):
                if self.walk_on(url, source, response):
                    yield self.request(url, source, self.parse_candidate, parent=response.url, priority=1,
                                       cb_kwargs={"parent": response.url, "depth": depth + 1})
        yield from self.form_nodes(response, source, depth)
        if site_map:
            yield from self.site_map(site_map, source, response.url, depth)

    def form_nodes(self, response: TextResponse, source: Any, depth: int) -> Iterator[Request]:
        """A 公开目录 node that submits a form with its id (onclick="openCat('1205')" beside <form
        method=post action=list.do>, `form_node_calls`): the form sent with that id when the node's
        text leads to the 年报 column as a link's would (nav_score), each once per crawl."""
        for text, template, arg in form_node_calls(response, self.page_script_files(response)):
            url = canonical_url(template.form_url)
            if self.classify(Entry(url=url, title=text)).get("is_report"):
                continue  # a report row, taken as a list entry (`form_row_entries`)
            score = nav_score(text, url)
            if score < NAV_MIN_SCORE or not self.in_scope(url, source) or self.others_column(text, source):
                continue
            fields = [*template.fields, (template.field, arg)]
            kwargs = {"page": 1, "depth": depth + 1, "column": bool(COLUMN_RE.search(text)) and score >= 6}
            if template.method != "POST":
                url = canonical_url(urlunsplit(urlsplit(url)._replace(query=urlencode(fields), fragment="")))
                if self.walk_on(url, source, response):
                    yield self.request(url, source, self.parse_list, parent=response.url, priority=min(score, 40),
                                       meta=self.anchor_meta(text), cb_kwargs=kwargs)
                continue
            if not self.walk_on(f"{url}#post:{template.field}={arg}", source, response):
                continue
            self.crawler.stats.inc_value("nianbao/generic_form_node")
            base = self.request(url, source, self.parse_list, parent=response.url, priority=min(score, 40),
                                meta=self.anchor_meta(text))
            yield FormRequest(url, method="POST", formdata=fields, encoding=response.encoding,
                              callback=self.parse_list, errback=base.errback, meta=base.meta, headers=base.headers,
                              priority=min(score, 40), dont_filter=True, cb_kwargs=kwargs)

    @staticmethod
    def others_column(text: str, source: Any) -> bool:
        """A column link that, for a department, leads to other bodies: a sibling's name in the 部门导航
        (财政局), or a platform's groups of bodies (市政府信息公开, 部门信息公开, 区县信息公开).  A government's
        年报 hub presents such sub-columns (省政府部门, 市（州）政府) as its own finds, so only departments skip them."""
        if getattr(source, "kind", None) != "department":
            return False
        rest = OWN_COLUMN_WORDS_RE.sub("", text.replace(" ", ""))
        return bool(rest) and (another_body_here(rest, source) or bool(BODY_GROUP_RE.search(rest))
                               or rest in PLACE_LEVEL_WORDS)

    @staticmethod
    def start_page(response: TextResponse, source: Any) -> bool:
        """The page is one of the source's start URLs (as asked for, or where it redirected)."""
        starts = {canonical_url(u) for u in source.start_urls}
        asked = response.request.url if response.request is not None else response.url
        return canonical_url(asked) in starts or canonical_url(response.url) in starts

    def own_way_out(self, url: str, label: str, source: Any) -> bool:
        """A start page's link to the body's own 年报 column or 信息公开 outside the start URL's directory,
        on the start's own host: a department of a city-wide 信息公开平台 whose home is /xxgk/bmxxgk/jtj/ but
        whose column is the shared /xxgk/list.jsp?siteId=31&catId=ndbg, a 街道's page on the county site
        linking "柳塘街道政府信息公开" in the county's 公开目录.  Only a link naming no other body: a 年报
        column's bare name (政府信息公开年报), or 信息公开 under the body's own name; the site's header
        (市政府信息公开年报, 部门信息公开, 信息公开目录) names the portal's, and the scope still keeps the
        walk from wandering into siblings."""
        if self.in_scope(url, source) or netloc(url) not in {netloc(u) for u in source.start_urls} \
                or attachment_extension(url) or any(w in label for w in DETOUR_WORDS):
            return False
        name = label.replace(" ", "")
        if not name or len(name) > NAV_MAX_CHARS + 4:
            return False
        if COLUMN_RE.search(name):
            return not OWN_COLUMN_WORDS_RE.sub("", name)
        core = TOWNSHIP_SUFFIX_RE.sub("", body_core(getattr(source, "name", "") or "", source))
        rest = OWN_COLUMN_WORDS_RE.sub("", name)
        return len(core) >= 2 and "公开" in name and core in rest

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

    def frames(self, response: TextResponse, source: Any, depth: int, column: bool = False,
               framed_list: bool = False) -> Iterator[Request]:
        """An <iframe> is part of the page a person sees (公开目录 trees often are one): walked at the
        same depth.  `column`: the page is a 年报 column, so what it frames is that column's content and
        is followed wherever the site serves it (宁陵's /xxgk/ndbg/index.html framing /xxgk/list.jsp?catid=12,
        outside the start URL's directory); other pages' frames keep to the crawl's scope.
        `framed_list`: the column lists nothing itself, so its frame is the column's list (read and
        paged as the column, whatever the frame's own title says).  A frame's label (`frame_label`)
        travels with its request as the anchor that led to it (`anchored_column`)."""
        for frame in response.css("iframe[src], frame[src]"):
            url = canonical_url(response.urljoin(frame.attrib["src"]))
            if not self.on_site(url, source) or attachment_extension(url) or self.covered_elsewhere(url, source) \
                    or not (column or self.in_scope(url, source)) or not self.walk(url, source):
                continue
            text = frame_label(response, frame, url)
            yield self.request(url, source, self.parse_list, parent=response.url,
                               priority=5 + min(nav_score(text, url), 30),
                               render=bool(self.override(source, "render", False)), meta=self.anchor_meta(text),
                               cb_kwargs={"page": 1, "depth": depth, "column": framed_list})

    @staticmethod
    def anchor_meta(text: str | None) -> dict:
        """The request meta carrying what led to a page (see ANCHOR)."""
        text = clean_text(text)
        return {ANCHOR: text} if text else {}

    def anchored_column(self, response: TextResponse) -> bool:
        """The link, frame or clicked tree node that led to the page named a 年报 column (政府信息公开年报),
        as `navigate` judges a link's label: the page is that column even when it names itself nothing
        (a zTree's list page titled 信息公开列表, a framed list.jsp with an empty <title>), so its pager
        is walked just as its own title would have it."""
        anchor = clean_text(response.meta.get(ANCHOR))
        if not anchor or not COLUMN_RE.search(anchor) or "企业" in anchor or any(w in anchor for w in DETOUR_WORDS):
            return False
        return nav_score(anchor, response.url) >= COLUMN_ANCHOR_SCORE

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
            if (PAGE_URL_RE.search(url) or text in PAGER_TEXTS) and url != response.url \
                    and not filter_link(url, response.url, page):
                numbered.append((url, int(text) if text.isdigit() and len(text) < 10 else page + 1))
        if numbered:  # a rendered pager may print every page number: read as far as the cap
            cap = self.list_page_cap(source, response.url, max(n for _, n in numbered))
            urls += [(url, n) for url, n in numbered if n <= cap]
        # a year filter's options are the column's other lists (list_2021.html …), or its older reports
        # themselves (往年年报: 2023年度 → the article, 2022年度 → the PDF): each is judged on arrival
        # …except an option that is this page under another address (`shown_option_urls`): remembered for
        # the source, so the year pages listing the same select do not ask for it either
        same = self.same_pages.setdefault(source.id, set())
        same.update(shown_option_urls(response))
        options = [(url, label) for url, label in select_options(response) if url != response.url and url not in same]
        pager = trs_pager(response.text)
        if pager and page == 1 and pager[1] == 0:
            total, _, stem, ext = pager
            limit = min(total, self.list_page_cap(source, response.url, total))
            urls += [(trs_page_url(response.url, stem, ext, i), i + 1) for i in range(1, limit)]
        if page == 1 and (total := script_page_total(response)) > 1:
            urls += script_page_urls(response, limit=self.list_page_cap(source, response.url, total))
        if page == 1 and (laid := laypage_urls(response)):
            cap = self.list_page_cap(source, response.url, len(laid) + 1)
            urls += [(u, n) for u, n in laid if n <= cap]
        done: set[str] = set()
        for url, number in urls:
            if url in done or number <= 1:
                continue
            if not self.paged(url, source):
                if self.budget_spent(source):
                    self.record_note(source.id, response.url, "page-budget", f"column paging stopped at page {page}:"
                                     f" the source's page budget is spent (NIANBAO_GENERIC_MAX_PAGES={self.budget(source)})"
                                     f": {clean_text(response.css('title::text').get())}")
                continue
            done.add(url)
            yield self.request(url, source, self.parse_list, parent=response.url, render=render, priority=50,
                               cb_kwargs={"page": max(number, page + 1), **kwargs})
        for url, label in options:
            if url not in done and self.paged(url, source):
                done.add(url)
                yield self.request(url, source, self.parse_option, parent=response.url, render=render, priority=50,
                                   cb_kwargs={"label": label, "page": page + 1, **kwargs})
        if static_postback(response):
            yield from self.postback_page(response, source, page, kwargs)
        yield from self.script_pager_pages(response, source, page, kwargs, done)

    def script_pager_pages(self, response: TextResponse, source: Any, page: int, kwargs: dict,
                           done: set[str]) -> Iterator[Request]:
        """A script pager (<button onclick="goPage(2)">下一页</button>, <a href="javascript:;" onclick=
        "turnPage(3)">, <span class=next onclick=…>) over rows the server wrote, whose page URL the page
        shows (the helper's inline definition, the list's own or a pager link's page parameter, a form's
        page field, a script variable: `static_script_pager`): the pages its controls name are asked
        for without a browser, each one naming the next, up to NIANBAO_MAX_LIST_PAGES.  A pager that
        shows none is rendered and clicked instead (`column_needs_browser`, `turn_script_pages`)."""
        found = static_script_pager(response, self.page_script_files(response)) \
            if "playwright" not in response.flags else None
        if found is None:
            return
        template, numbers = found
        cap = self.list_page_cap(source, response.url, max(numbers, default=0))
        render = bool(self.override(source, "render", False))
        for n in sorted(numbers):
            if n <= page or n > cap:
                continue
            url = canonical_url(template.form_url) if template.method == "POST" else template.url(response.url, n)
            if template.method == "POST":
                key = f"{url}#post:{template.field}={n}"
                if not self.on_site(url, source) or not self.walk(key, source):
                    continue
                base = self.request(url, source, self.parse_list, parent=response.url, priority=50)
                yield FormRequest(url, method="POST", formdata=[*template.fields, (template.field, str(n))],
                                  encoding=response.encoding, callback=self.parse_list, errback=base.errback,
                                  meta=base.meta, headers=base.headers, priority=50, dont_filter=True,
                                  cb_kwargs={"page": n, **kwargs})
                continue
            if url in done or url == response.url or not self.on_site(url, source):
                continue
            done.add(url)
            self.crawler.stats.inc_value("nianbao/generic_script_pager_static")
            yield self.request(url, source, self.parse_list, parent=response.url, render=render, priority=50,
                               cb_kwargs={"page": n, **kwargs})

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
        published = page_published(response)
        title, verdict = self.labelled_page_report(response, label, published)
        if verdict.get("is_report") and verdict.get("year") and not verdict_other_body(verdict, source):
            # (a page reading like a report that lists reports is walked as the column: parse_report)
            info = {"title": title, "year": verdict.get("year"),
                    "agency": full_agency(verdict.get("agency"), getattr(source, "region", None))
                    or getattr(source, "name", None),
                    "published": published}
            yield from self.parse_report(response, info=info, parent=parent, depth=depth + 1)
            return
        yield from self.parse_list(response, page=page, depth=depth, column=column)

    def labelled_page_report(self, response: TextResponse, label: str,
                             published: str | None) -> tuple[str, dict]:
        """(title, verdict) of a page a year label led to ("2024年度" in a 年报 column or a year
        <select>): the first of its own titles (`page_titles`) that reads as a report.  A title that
        prints no year ("政府信息公开工作年度报告") is that of the label's year, as a reader of the column
        takes it: read again with the label's year before it.  The page's own year, when it prints
        one, stands.  ("", a verdict of no report) when none reads as a report."""
        compact = label.replace(" ", "")
        year = int(compact[:4]) if YEAR_LINK_RE.fullmatch(compact) and int(compact[:4]) in report_years() else None
        for title in page_titles(response):
            verdict = self.classify(Entry(url=response.url, title=title, published=published))
            if year is not None and verdict.get("year") is None:
                if not verdict.get("is_report"):
                    verdict = self.classify(Entry(url=response.url, title=f"{year}年度{title}"))
                verdict = {**verdict, "year": year} if verdict.get("is_report") else verdict
            if verdict.get("is_report"):
                return title, verdict
        return "", {"is_report": False}

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
        if verdict.get("correction") and not verdict_other_body(verdict, source):
            yield from super().consider(entry, source, parent)  # a notice correcting this site's report
        elif verdict.get("is_report") and verdict.get("year"):
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
                               dont_filter=True, priority=response.request.priority, meta=served_meta(response),
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
