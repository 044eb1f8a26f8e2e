"""The work every portal family shares: walk a column's list pages, classify each item, follow
reports, find and fetch their attachments, count what happened per source, and record failures.

A report page often shows its report in a frame: the article in <iframe src=/content/123.html> (or a
<frameset>), the signed PDF in <embed src>, <object data> or <iframe src=x.pdf>.  What a report page
frames or embeds is fetched with its attachments (`report_contents`): files from any host, pages only
from the page's own site and once per crawl (another site's map, video or share widget, and hidden
counters, are not followed).  A framed page with text of its own is recorded as an attachment whose
parent is the report page, so the re-parse reads it when the page itself holds no report; its own
files are the report's too.  An <iframe srcdoc> is part of the page (parsers/formats/html.py reads it).

A family spider only says how a column is listed: `list_entries` (the items on one list page)
and `next_pages` (requests for the other list pages).  Everything else lives here so the four
families behave the same way towards the archive and the crawl record.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import scrapy
from OpenSSL import SSL
from scrapy import Request, signals
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError
from twisted.web._newclient import ResponseNeverReceived

from archive import filenames
from archive.posted import posted_form
from archive.store import ROBOTS_DISALLOWED
from crawler.items import DocumentItem
from crawler.middlewares import archive_for, under_domains
from crawler.moved import MovedReports
from crawler.sessions import strip_learned
from crawler.soft404 import soft_404
from crawler.wire import broken_wire, truncation
from parsers import divisions
from parsers.detect import detect_kind, file_kind
from parsers.htmlattrs import LAZY_SRC  # a lazy loader's attributes, shared with archive/parts.py

logger = logging.getLogger(__name__)

# request meta: the URL as the page wrote it, when `one_scheme` changed its scheme
SCHEME_WAS = "nianbao_scheme_was"
# what a scheme that does not work on a host fails with: no connection, or no TLS (Scrapy wraps a
# handshake's SSL error in DownloadFailedError / ResponseNeverReceived)
SCHEME_FAILURES = (ConnectError, ResponseNeverReceived, SSL.Error, DownloadConnectionRefusedError,
                   DownloadTimeoutError)
_TLS_TEXT = re.compile(r"ssl|tls|handshake|certificate|wrong version number", re.I)


def goes_on(response: TextResponse, page: int) -> bool:
    """Whether the list's pager leads past this page (number `page`): a 下一页 link to another address,
    or a page-number link above it.  A list cut at NIANBAO_MAX_LIST_PAGES whose pager says no total
    (下一页 forever) is told by this, so its cut is noted like that of a list printing 共N页."""
    here = response.url.split("#")[0]
    for a in response.xpath("//a[@href]"):
        text = clean_text(" ".join(a.css("::text").getall()))
        href = (a.attrib.get("href") or "").strip()
        if href.lower().startswith(("javascript:", "#")) or response.urljoin(href).split("#")[0] == here:
            continue
        if text in ("下一页", "下页") or (text.isdigit() and len(text) <= 5 and int(text) > page):
            return True
    return False


def listed_report(request: Request) -> dict | None:
    """What a 年报 list said of a report link whose fetch failed (its title, year and body, as
    `consider` queued it), or None for any other request: the crawl knows a report was published
    even when its page never answered, and the crawl_errors row keeps that."""
    info = request.cb_kwargs.get("info")
    if not isinstance(info, dict) or info.get("correction") or request.cb_kwargs.get("kind", "report") != "report":
        return None
    return info if info.get("year") else None


def scheme_failed(failure) -> bool:
    """The fetch failed before any answer, as a host fails on a scheme it does not serve."""
    exc = failure.value
    return bool(failure.check(*SCHEME_FAILURES)) or (
        isinstance(exc, DownloadFailedError) and bool(_TLS_TEXT.search(str(exc))))

# every file type the parser reads that a link names by its suffix: no site's page is served as .rtf, .txt,
# .csv or .mht (a browser saves an MHT, it does not open it as a site's page), so such a link is a file
ATTACHMENT_EXTENSIONS = (
    "pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "odt", "rtf", "mht", "mhtml", "csv", "txt",
    "jpg", "jpeg", "png", "gif", "tif", "tiff", "bmp",
)
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "tif", "tiff", "bmp"})
# file types whose bytes are text: served as text/plain they are still the file, served as an HTML page not
TEXT_EXTENSIONS = frozenset({"txt", "csv"})
_EXT_RE = re.compile(r"\.(" + "|".join(ATTACHMENT_EXTENSIONS) + r")$", re.I)
# an .htm/.html link is a site's page unless its anchor shows it is a file: the link text (or title, or
# download= name) names a file with the suffix ("XX局2024年政府信息公开工作年度报告.html"), it carries a
# download attribute, or it is an item of the article's 附件 block ("附件：<a>", "附件1：<a>")
HTML_FILE_RE = re.compile(r"\.(?:s?html?)$", re.I)
_ATTACHMENT_LABEL = r"(?:相关)?附件(?:[\d一二三四五六七八九十]+)?(?:下载)?"
ATTACHMENT_LABEL_RE = re.compile(rf"^{_ATTACHMENT_LABEL}[:：]?$|{_ATTACHMENT_LABEL}[:：]$")
# article-body containers of the common CMSs (TRS, Hanweb, Shandong platform, Ucap, generic)
CONTENT_IMAGES = ", ".join(f"{c} img" for c in (
    "#zoom", ".TRS_Editor", "#UCAP-CONTENT", ".article-content", ".bt-content", ".wzcon", "#content", ".content"))
CHROME_IMAGE = re.compile(r"logo|icon|share|qrcode|erweima|print|close|banner|bg[_.]", re.I)
PLACEHOLDER_IMAGE = re.compile(r"loading|placeholder|blank|spacer|lazy|grey\.gif|pixel\.gif", re.I)
# a 附件 block's "[下载]" link to a download servlet (download.jsp?fileId=, /download?id=, Hanweb's
# /attach/download?path=<base64 of the stored path>): the URL names no file type, the text names none
# either, the bytes are the file
DOWNLOAD_TEXT = re.compile(r"^[\[【(（]?\s*(?:附件)?(?:点击)?下载(?:附件|文件|原文)?\s*[\]】)）]?$")
DOWNLOAD_URL = re.compile(r"(?:down(?:load)?|getfile|fileget|attach(?:ment)?)[^/?]*\?(?:.*&)?\w*"
                          r"(?:id|path|file|name|key|code)=", re.I)
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# what a page frames or embeds: a report page's text or signed PDF often sits there, not in the page
FRAME_CSS = "iframe[src], frame[src], embed[src], object[data]"
# a framed target without a document suffix is followed only when it reads as a page (or names no
# type at all): an <embed>/<object> of a video or a flash player is not the report
PAGE_SUFFIX_RE = re.compile(r"^[^.]*$|\.(?:s?html?|xhtml|jsp|aspx?|php|do|action|cgi)$", re.I)
FRAME_DEPTH = 2  # a frameset's frame that frames the article: deeper is not the report page's content
FRAMED_MIN_CHARS = 100  # a framed page with less text of its own (outside links) is a widget
FRAME_SKIP_SCHEMES = ("javascript:", "about:", "data:", "blob:", "mailto:", "#")
# answers that refuse the crawler rather than fail: on an entry's way in they are "blocked: http 403"
BLOCKED_STATUSES = (401, 403, 451)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|(?:^|;)\s*(?:width|height)\s*:\s*[01](?:px)?\s*(?:;|$)",
                           re.I)


@dataclass
class Entry:
    """One item of a column listing."""

    url: str
    title: str
    published: str | None = None


@dataclass(frozen=True)
class SiteHosts:
    """A source's hosts, as every link check needs them: computed once per source (`BaseSpider.hosts`)."""

    netlocs: frozenset[str]  # host:port of the start URLs
    hostnames: frozenset[str]  # the start hosts without port
    listed: frozenset[str]  # allowed_domains (no port, no leading dot) other than the start hosts


def site_hosts(source: Any) -> SiteHosts:
    starts = frozenset((urlsplit(u).hostname or "").lower() for u in source.start_urls)
    listed = frozenset(d.split(":")[0].lower().lstrip(".") for d in getattr(source, "allowed_domains", ()) or ())
    return SiteHosts(frozenset(netloc(u) for u in source.start_urls), starts, listed - starts)


@dataclass
class SourceStats:
    pages: int = 0
    reports_found: int = 0
    attachments: int = 0
    errors: int = 0
    not_modified: int = 0
    obey_robots: bool = True
    started: float | None = None
    last: float | None = None
    reports: set = field(default_factory=set)

    def touch(self) -> None:
        now = time.monotonic()
        if self.started is None:
            self.started = now
        self.last = now

    def as_row(self) -> dict:
        duration = (self.last - self.started) if self.started is not None and self.last is not None else 0.0
        return {
            "pages": self.pages, "reports_found": self.reports_found, "attachments": self.attachments,
            "errors": self.errors, "not_modified": self.not_modified, "duration_s": round(duration, 3),
            "obey_robots": self.obey_robots,
        }


def clean_text(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def find_date(text: str | None) -> str | None:
    """First Y-M-D in a string, ISO formatted (list pages print 2025-03-20, 2025/3/20, 2025年3月20日)."""
    m = _DATE_RE.search(text or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


_PUBLISHED_LABEL = re.compile(r"(?:发布|发文|成文|公开)(?:时间|日期)\s*[:：]?\s*")
_PUBDATE_META = ("PubDate", "pubdate", "publishdate", "PublishDate", "firstpublishedtime", "ArticlePubDate")


def page_published(response: TextResponse) -> str | None:
    """The publication date a report page states about itself: the CMS meta tag (TRS/Hanweb print
    <meta name="PubDate">), else the "发布时间：…" line under the title.  Not the body's own dates."""
    for name in _PUBDATE_META:
        found = find_date(response.xpath(f"//meta[@name='{name}']/@content").get())
        if found:
            return found
    text = " ".join(response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()[:400])
    m = _PUBLISHED_LABEL.search(text)
    return find_date(text[m.end():m.end() + 40]) if m else None


def attachment_extension(url: str, text: str | None = None) -> str | None:
    """The document type of a link, from its path, a filename= style query value, or its text."""
    parts = urlsplit(url)
    candidates = [unquote(parts.path)]
    candidates += [unquote(v) for v in re.findall(r"=([^&]+)", parts.query)]
    if text:
        candidates.append(clean_text(text))
    for cand in candidates:
        m = _EXT_RE.search(cand.strip())
        if m:
            return m.group(1).lower()
    return None


class DocumentMemo:
    """What is worked out once per document, for the last `keep` documents asked about: one callback
    reads a page's links several times (entries, lists, navigation, pager), and every source's crawl
    waits meanwhile (one event loop).  Keyed by identity (a response, a document's root element),
    the key held with its value, so an object's id is never reused while its entry is kept."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.entries: list[tuple[Any, Any]] = []  # newest first

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value kept for `key`, else `make()`'s, kept in place of the oldest."""
        for known, value in self.entries:
            if known is key:
                return value
        value = make()
        self.entries = [(key, value), *self.entries[: self.keep - 1]]
        return value


_LINK_COUNTS = DocumentMemo(4)  # a[href] under each element, per document


def _link_counts(element: Any) -> dict[Any, int]:
    """How many a[href] each element of `element`'s document holds (itself included), counted in one
    pass: asking the question with a selector per link made a page of 10,000 links quadratic, and
    that one callback held the event loop every source's crawl shares."""
    root = element.getroottree().getroot()
    return _LINK_COUNTS.get(root, lambda: _count_links(root))


def _count_links(root: Any) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for a in root.iter("a"):
        if a.get("href") is None:
            continue
        counts[a] = counts.get(a, 0) + 1
        for ancestor in a.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + 1
    return counts


def entry_context(link) -> str:
    """Text around a list link where its date is printed: the largest enclosing element that holds
    only this link (<li><a/><span>2025-03-20</span></li>, <tr><td><a/></td><td>[2025-03-20]</td></tr>)."""
    element = getattr(link, "root", link)
    if not hasattr(element, "getparent"):
        return ""
    if element.tag in ("tr", "li"):  # a row opened by its own onclick is its own context
        return " ".join(element.xpath(".//text()"))
    counts = _link_counts(element)
    best, node = None, element
    for _ in range(3):
        parent = node.getparent()
        if parent is None or counts.get(parent, 0) != 1:
            break
        best = node = parent
    if best is None:
        # the next two elements beside the link (XPath's following-sibling::*[position() <= 2] walks
        # every later sibling first: quadratic on a page of bare links)
        after = list(itertools.islice((e for e in element.itersiblings() if isinstance(e.tag, str)), 2))
        return " ".join(t for e in after for t in e.xpath(".//text()"))
    return " ".join(best.xpath(".//text()"))


# what a file's first bytes are, whatever its Content-Type says (a PDF served as text/html or
# octet-stream): one table of signatures with the parser's detect_kind (parsers/detect.py)
file_bytes = file_kind


def served_file(response: Response) -> bool:
    """The response is a file (binary, or a file's bytes under a text Content-Type), not a page to read."""
    return not isinstance(response, TextResponse) or file_bytes(response.body) is not None


def content_image_src(img) -> str | None:
    """The picture an <img> shows a reader: a lazy loader's data-src/data-original/data-lazy-src
    (its src is a placeholder, never fetched), else a src that is no placeholder and no data: URI."""
    for key in LAZY_SRC:
        lazy = (img.attrib.get(key) or "").strip()
        if lazy and not lazy.startswith("data:"):
            return lazy
    src = (img.attrib.get("src") or "").strip()
    if not src or src.startswith("data:") or PLACEHOLDER_IMAGE.search(PurePosixPath(urlsplit(src).path).name):
        return None
    return src


# a Content-Disposition name is a title only (documents.title, never a path); its length bound and the
# characters no title holds: C0/C1 controls, and U+0080–U+00FF, which are bytes no charset decoded
DISPOSITION_NAME_CHARS = 160
_UNDECODED_RE = re.compile(r"[\x80-\xff]")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def disposition_name(response: Response) -> str | None:
    """The file name a download servlet gives in Content-Disposition, as a document title: read as the
    archive serves it (`archive.filenames.disposition_name`: RFC 5987 first, raw UTF-8/GBK, no path),
    without control characters, and None when its bytes are no UTF-8 or GBK (a title of mojibake is
    worse than the link's own text).  Servers send anything here: the name is bounded."""
    raw = response.headers.get(b"Content-Disposition")
    if not raw:
        return None
    name = filenames.disposition_name(raw.decode("latin-1"))
    if not name or "\ufffd" in name or (not raw.isascii() and _UNDECODED_RE.search(name)):
        return None
    name = _CONTROL_RE.sub("", clean_text(name)).strip()
    if len(name) > DISPOSITION_NAME_CHARS:  # keep the suffix: it tells the file's kind
        stem, dot, suffix = name.rpartition(".")
        keep = dot + suffix if dot and len(suffix) <= 5 else ""
        name = name[:DISPOSITION_NAME_CHARS - len(keep)].rstrip() + keep
    return name or None


def names_file(response: Response) -> bool:
    """A download servlet names the text it sends as a file of a type the parser reads (Content-Disposition:
    x.txt, x.csv, x.html): the report file, not a page the site shows in place of one."""
    named = disposition_name(response)
    return bool(named and (attachment_extension("", named) or HTML_FILE_RE.search(named)))


def names_better(named: str, title: str) -> bool:
    """A servlet's file name says more than the link's text: the link says nothing ("点击下载", "附件",
    none), or it names no file and the servlet's name is a longer Chinese one.  A link text naming the
    report stays: servlets also send "P020250115384.pdf" or "附件1.pdf"."""
    if not title or DOWNLOAD_TEXT.match(title) or title in ("附件", "相关附件", "附件下载"):
        return True
    stem = named.rsplit(".", 1)[0]
    return not attachment_extension("", title) and bool(CJK_RE.search(stem)) and len(stem) > len(title)


def download_link(url: str, text: str | None) -> bool:
    """A 附件 block's 下载/[下载]/点击下载 link to a download servlet: a file whose type only its bytes tell."""
    return bool(DOWNLOAD_TEXT.match(clean_text(text))) and bool(DOWNLOAD_URL.search(url))


_ITEM_NUMBER_RE = re.compile(r"\s+|(?<![附件\d])[(（]?\d{1,2}[)）.、．]")
ATTACHMENT_BLOCK_LEVELS = 3  # the link, its item (<li>, <p>), the list under the 附件 heading


def in_attachment_block(link: Any) -> bool:
    """The <a> element is an item of a 附件 block: the text before it in its block, other links and item
    numbers ("1.", "2、") aside, is a 附件 label ("附件", "相关附件", "附件下载") or ends in one with its
    colon ("…如下。附件1："); "详见附件" before a link is a sentence, not a label.  Read at the link's own
    level first, then its item's and the list's, stopping at the first that has text before it."""
    node = link
    for _ in range(ATTACHMENT_BLOCK_LEVELS):
        parent = node.getparent()
        if parent is None:
            return False
        before = [parent.text or ""]
        for sib in parent:
            if sib is node:
                break
            if isinstance(sib.tag, str) and sib.tag != "a" and not sib.xpath(".//a"):
                before.append(sib.text_content())
            before.append(sib.tail or "")
        text = _ITEM_NUMBER_RE.sub("", "".join(before))
        if text:
            return bool(ATTACHMENT_LABEL_RE.search(text))
        node = parent
    return False


def file_link(link: Any, url: str, text: str) -> bool:
    """An .htm/.html link, or a download servlet's (`DOWNLOAD_URL`), that is a report file rather than a
    page to read: its text or download= name ends in .htm/.html, it carries a download attribute, or it
    is an item of the article's 附件 block (`in_attachment_block`).  Any other .html link is navigation."""
    path = unquote(urlsplit(url).path)
    if not (HTML_FILE_RE.search(path) or DOWNLOAD_URL.search(url)):
        return False
    named = clean_text(link.get("download") or "")
    return bool(HTML_FILE_RE.search(text) or HTML_FILE_RE.search(named) or link.get("download") is not None
                or in_attachment_block(link))


def page_not_file(response: Response, ext: str | None) -> bool:
    """The answer to a file link is a site's HTML page (a 200 "文件不存在", a login wall), not the file:
    an HTML response without a file's bytes where a binary type was linked; for a text type (.txt,
    .csv) the bytes themselves are HTML markup, whatever the header says."""
    if not isinstance(response, HtmlResponse) or file_bytes(response.body):
        return False
    if ext in TEXT_EXTENSIONS:
        return detect_kind(response.body) == "html"
    return True


def hidden_frame(el) -> bool:
    """A frame nobody sees (0×0 or 1×1, display:none): a visit counter or a tracker, not content."""
    for key in ("width", "height"):
        if (el.attrib.get(key) or "").strip().lower().removesuffix("px") in ("0", "1"):
            return True
    return bool(_HIDDEN_STYLE.search(el.attrib.get("style") or ""))


def embedded_targets(response: TextResponse) -> Iterator[tuple[str, str]]:
    """(url, title) of what a page shows inside itself: <iframe src>, <frame src>, <embed src>,
    <object data>.  An <iframe srcdoc> carries its document in the page (the parser reads it there,
    and a browser ignores src beside it); hidden frames are furniture."""
    for el in response.css(FRAME_CSS):
        if el.attrib.get("srcdoc") is not None or hidden_frame(el):
            continue
        raw = (el.attrib.get("src") or el.attrib.get("data") or "").strip()
        if not raw or raw.lower().startswith(FRAME_SKIP_SCHEMES):
            continue
        url = response.urljoin(raw)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        yield url, clean_text(el.attrib.get("title") or el.attrib.get("name") or "")


def page_like(url: str) -> bool:
    """A URL that names a page (x.html, x.jsp, /content/123) rather than a media file."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return bool(PAGE_SUFFIX_RE.search(last))


# Districts whose own names begin with a level word: 济南/枣庄/内江/乐山市中区, 青岛市南区/市北区.
_PLACE_NAMES_LIKE_SHORT_FORMS = ("市中区", "市南区", "市北区")
# (short-form prefix, region key, suffix the region's name must end with)
_SHORT_FORMS = (("自治区", "province", "自治区"), ("省", "province", "省"), ("市", "province", "市"),
                ("市", "city", "市"), ("县", "county", "县"), ("区", "county", "区"), ("旗", "county", "旗"))


def full_agency(agency: str | None, region: dict | None) -> str | None:
    """The body's full name where a listing prints the short form its own portal uses: on 南岭省's
    portal "省公安厅" is 南岭省公安厅, on a county portal "县卫健局" is that county's.  A researcher
    filtering documents by body needs the full name; names that already carry a place are kept."""
    if not agency or not region or agency.startswith(_PLACE_NAMES_LIKE_SHORT_FORMS):
        return agency
    for prefix, key, suffix in _SHORT_FORMS:
        place = region.get(key) or ""
        if agency.startswith(prefix) and len(agency) > len(prefix) and place.endswith(suffix):
            return place + agency[len(prefix):]
    # a district's bodies print the district without its city, and district names repeat across
    # cities (朝阳区, 鼓楼区): 滨河区教育局 on 海津市's portal.  County names are unique enough as printed,
    # and so is a district only one city has (杜集区): its name stands as printed, as the parser keeps it
    # (parsers/metadata.py `_unique_place_head`), so documents and reports name the body alike.
    county, above = region.get("county") or "", region.get("city") or region.get("province") or ""
    if county.endswith("区") and above and agency.startswith(county) and not county.startswith(above) \
            and len(divisions.by_name(county)) != 1:
        return above + agency
    return agency


def abbreviates(short: str, full: str) -> bool:
    """`short` is a contraction of `full` as bodies write their own names (江夏市发改委 of
    江夏市发展和改革委员会, 县卫健局 of 县卫生健康局): the same opening place characters, and every
    character of it found in `full` in order."""
    if not short or len(short) >= len(full) or short[:2] != full[:2]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def own_full_name(agency: str | None, source: Any, page_text: str) -> str | None:
    """A report titled with its body's short name (江夏市发改委…年度报告) on a page that prints the body's
    full name (the source's own, in its site name or 发布机构): the full name, as a researcher
    filtering by body looks it up.  Another body's name, or a page not naming the source, stays."""
    name = getattr(source, "name", None) or ""
    if agency and name and agency != name and abbreviates(agency, name) and name in page_text:
        return name
    return agency


# a Java/PHP CMS writes the visitor's session into every link (/a/b.jsp;jsessionid=…?timestamp=…):
# left in, each response's links are new URLs and one site becomes thousands of fetches
SESSION_PATH_PARAM_RE = re.compile(r";(?:jsessionid|sid|phpsessid|sessionid|aspsessionid\w*)=[^/?#;]*", re.I)
CACHE_BUSTER_KEYS = re.compile(r"^(?:jsessionid|phpsessid|timestamp|_t|random|rnd|nocache|_)$", re.I)
CACHE_BUSTER_VALUES = {"t": re.compile(r"\d{10,13}"), "r": re.compile(r"0?\.\d+|\d{10,}"),
                       "v": re.compile(r"\d{13}"), "time": re.compile(r"\d{10,13}")}


def strip_session(url: str) -> str:
    """One page is one URL: session path parameters (;jsessionid=…) and cache-buster query keys
    (timestamp=, _t=, t=<ms>, r=<random>) are dropped before the URL is requested or recorded."""
    parts = urlsplit(url)
    path = SESSION_PATH_PARAM_RE.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not CACHE_BUSTER_KEYS.match(k)
                and not (k.lower() in CACHE_BUSTER_VALUES and CACHE_BUSTER_VALUES[k.lower()].fullmatch(v))]
        if len(kept) != len(pairs):
            query = urlencode(kept, safe="/:,")
    if path != parts.path or query != parts.query:
        url = urlunsplit(parts._replace(path=path, query=query))
    return strip_learned(url)  # ?sid=<random> where the host writes a fresh one into every link


DECODED = "nianbao-decoded"  # response flag: overrides.encoding already applied (`BaseSpider.decoded`)


def netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


class BaseSpider(scrapy.Spider):
    """Shared base; subclasses set `name`/`family` and override `list_entries` / `next_pages`."""

    name = ""  # abstract: Scrapy's spider loader lists only the family spiders
    family = ""

    def __init__(self, sources: Iterable[Any] = (), run_id: str | None = None, *args: Any, **kwargs: Any) -> None:
        only = kwargs.pop("only", None)
        registry = kwargs.pop("registry", None)
        super().__init__(*args, **kwargs)
        if isinstance(sources, str):  # `scrapy crawl trs -a sources=FILE [-a only=id1,id2]`, for debugging
            from crawler.sources import load_sources

            wanted = set(only.split(",")) if only else None
            registry = load_sources(sources)
            sources = [s for s in registry if s.family == self.family and (wanted is None or s.id in wanted)]
        self.sources = {s.id: s for s in sources}
        # the whole registry the run was started from, whatever --only picked and whatever the family:
        # another entry's subtree is that entry's even when it is not crawled this time
        self.registry = {**{s.id: s for s in registry or ()}, **self.sources}
        self.run_id = run_id
        self.allowed_domains = sorted({d.split(":")[0] for s in self.sources.values() for d in s.allowed_domains})
        self.frames_taken: set[str] = set()  # framed pages fetched so far: each once per crawl
        self.site_hosts: dict[str, SiteHosts] = {}  # per source, see `hosts`
        self.notes: set[tuple[str | None, str]] = set()  # (source id, kind) of the notes recorded
        # a distributed run's (crawler/fleetnotes.py): True for the one worker of the fleet that writes a
        # (kind, source) note, so a note is written once per run, not once per worker
        self.note_claim: Callable[[str, str | None], bool] | None = None
        # host[:port] -> the scheme its pages are fetched by (`one_scheme`): the start URL's, or where
        # a redirect moved the host
        self.schemes: dict[str, str] = {netloc(u): urlsplit(u).scheme for s in self.sources.values()
                                         for u in s.start_urls}
        self.start_hosts = set(self.schemes)
        self.source_stats: dict[str, SourceStats] = {
            sid: SourceStats(obey_robots=bool(self.override(s, "obey_robots", True)))
            for sid, s in self.sources.items()
        }

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.archive = archive_for(crawler.settings)
        if spider.run_id is None:
            spider.run_id = crawler.settings.get("NIANBAO_RUN_ID")
        # a listed report's redirect to an address already asked for: settled at the close (crawler/moved.py)
        spider.moved = MovedReports(spider, listed_report)
        crawler.signals.connect(spider.moved.dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.moved.settle, signal=signals.spider_closed)
        return spider

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def override(source: Any, key: str, default: Any = None) -> Any:
        overrides = getattr(source, "overrides", None) or {}
        value = overrides.get(key)
        return default if value is None else value

    def selector(self, source: Any, key: str) -> str | None:
        return (self.override(source, "selectors", {}) or {}).get(key)

    def source_of(self, response_or_request: Response | Request) -> Any:
        return self.sources[response_or_request.meta["source_id"]]

    def source_id_for_url(self, url: str) -> str | None:
        """For requests the spider did not make (robots.txt): the source whose start page shares the host."""
        host = netloc(url)
        for source in self.sources.values():
            if host in self.hosts(source).netlocs:
                return source.id
        return None

    def stats_for(self, source_id: str | None) -> SourceStats:
        if source_id not in self.source_stats:
            self.source_stats[source_id or ""] = SourceStats()
        return self.source_stats[source_id or ""]

    def request(self, url: str, source: Any, callback, *, parent: str | None = None, render: bool = False,
                meta: dict | None = None, **kwargs: Any) -> Request:
        """Every request goes through here so source id, politeness and error handling are never forgotten."""
        m: dict[str, Any] = {"source_id": source.id, "download_slot": netloc(url), "nianbao_spider": self.name}
        if parent:
            m["nianbao_parent"] = parent
        if not self.override(source, "obey_robots", True):
            m["dont_obey_robotstxt"] = True
        if render:
            from scrapy_playwright.page import PageMethod

            m["playwright"] = True
            m["playwright_page_methods"] = [PageMethod("wait_for_load_state", "networkidle")]
        if meta:
            m.update(meta)
        headers = kwargs.pop("headers", {}) or {}
        if parent:
            headers.setdefault("Referer", parent)
        self.stats_for(source.id).touch()
        found = strip_session(url)
        url = self.one_scheme(found)
        if url != found:
            m[SCHEME_WAS] = found  # the link as written, fetched if the host's other scheme will not connect
        if (form := posted_form(url)) is not None and "method" not in kwargs:
            # a document a form POST opens (archive/posted.py): the URL keeps its #post: key (the response and
            # every record carry it), the form goes as the body to the URL without it
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            kwargs.update(method="POST", body=form[1])
        return Request(url, callback=callback, errback=self.on_error, meta=m, headers=headers, **kwargs)

    def one_scheme(self, url: str) -> str:
        """http:// and https:// links to one host (and port) name one page: portals mix them (a
        template's absolute https:// links beside relative ones), and fetching both would archive
        and record every such page twice.  The host keeps the scheme it was first reached by (its
        start URL's), or the one a redirect moved it to (`count_page`)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return url
        known = self.schemes.setdefault(parts.netloc.lower(), parts.scheme)
        return url if known == parts.scheme else urlunsplit(parts._replace(scheme=known))

    def decoded(self, response: Response) -> Response:
        """Honour overrides.encoding for portals whose headers lie about the charset."""
        forced = self.override(self.source_of(response), "encoding")
        if forced and isinstance(response, TextResponse) and DECODED not in response.flags:
            # once: asking a response its encoding would decode its body to guess one
            return response.replace(encoding=forced, flags=[*response.flags, DECODED])
        return response

    def count_page(self, response: Response) -> SourceStats:
        first = (response.meta.get("redirect_urls") or [None])[0]
        if first and netloc(first) == netloc(response.url) and urlsplit(response.url).scheme in ("http", "https"):
            self.schemes[netloc(first)] = urlsplit(response.url).scheme  # the host moved (http → https)
        st = self.stats_for(response.meta.get("source_id"))
        st.pages += 1
        if "not-modified" in response.flags:
            st.not_modified += 1
        st.touch()
        return st

    def classify(self, entry: Entry) -> dict:
        """The classifier's verdict as the crawl acts on it: a compilation of a group of bodies'
        reports (汇编) is fetched as a report document of no one body, since it holds reports (the
        only copy of some); the parser reads each part under its own title.  A notice correcting one
        body's report (``correction``) stays no report here: `consider` fetches it as a document of
        its own kind, which the re-parse reads as the report's next revision when it reprints the
        report, and as a note on that report when it lists only the changed cells."""
        from crawler.classify import classify

        verdict = classify(entry.title, url=entry.url, published=entry.published)
        if verdict.get("compilation"):
            verdict["is_report"] = True
        return verdict

    # -- the crawl ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        for source in self.sources.values():
            for url in source.start_urls:
                for req in self.start_requests_for(source, url):
                    yield req

    def start_requests_for(self, source: Any, url: str) -> Iterator[Request]:
        """First list page of a column (family spiders may start differently)."""
        yield self.request(url, source, self.parse_list, render=bool(self.override(source, "render", False)),
                           cb_kwargs={"page": 1})

    def parse_list(self, response: Response, page: int = 1, depth: int = 0) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        response = self.decoded(response)
        self.count_page(response)
        source = self.source_of(response)
        seen: set[str] = set()
        for entry in self.list_entries(response, source):
            if entry.url in seen:
                continue
            seen.add(entry.url)
            yield from self.consider(entry, source, parent=response.url)
        max_pages = self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50)
        if page < max_pages:
            yield from self.next_pages(response, source, page)
        else:
            self.list_page_cap(source, response.url, self.pages_total(response), more=goes_on(response, page),
                               column=clean_text(response.css("title::text").get()))

    def pages_total(self, response: TextResponse) -> int | None:
        """How many pages the column's own pager says it has (None: it does not say)."""
        return None

    def list_entries(self, response: TextResponse, source: Any) -> Iterator[Entry]:
        """Default: every link in the list container (selectors.list_item) or on the page."""
        sel = self.selector(source, "list_item")
        items = response.css(sel) if sel else response.css("a[href]")
        for item in items:
            if item.root.tag == "a":
                link = item
            else:
                links = item.css("a[href]")
                if not links:
                    continue
                link = links[0]
            href = link.attrib.get("href")
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            title = clean_text(link.attrib.get("title") or " ".join(link.css("::text").getall()))
            yield Entry(url=response.urljoin(href), title=title, published=find_date(entry_context(link)))

    def next_pages(self, response: TextResponse, source: Any, page: int) -> Iterator[Request]:
        """Default: a 下一页 link, or the selectors.next_page link."""
        sel = self.selector(source, "next_page")
        hrefs = response.css(sel + "::attr(href)").getall() if sel else response.xpath(
            "//a[contains(normalize-space(.), '下一页') or contains(normalize-space(.), '下页')]/@href").getall()
        for href in hrefs[:1]:
            if href and not href.startswith(("javascript:", "#")):
                yield self.request(response.urljoin(href), source, self.parse_list, parent=response.url,
                                   render=bool(self.override(source, "render", False)), cb_kwargs={"page": page + 1})

    def published_of(self, entry: Entry) -> str | None:
        """Families with dates in their URLs (TRS tYYYYMMDD, Shandong doc ids) override this."""
        return entry.published

    def consider(self, entry: Entry, source: Any, parent: str) -> Iterator[Any]:
        """Classify a list item; follow it if it is a report."""
        entry.published = entry.published or self.published_of(entry)
        verdict = self.classify(entry)
        correction = bool(verdict.get("correction") and verdict.get("year") and verdict.get("agency"))
        if not verdict.get("is_report") and not correction:
            return
        info = {"title": entry.title, "year": verdict.get("year"),
                "agency": full_agency(verdict.get("agency"), getattr(source, "region", None)),
                "published": entry.published, **({"correction": True} if correction else {})}
        if attachment_extension(entry.url):  # the listing links the file itself
            yield self.request(entry.url, source, self.parse_document, parent=parent, meta={"allow_offsite": True},
                               cb_kwargs={"kind": "correction" if correction else "report", "info": info,
                                          "parent": parent})
        else:
            yield self.request(entry.url, source, self.parse_report, parent=parent,
                               cb_kwargs={"info": info, "parent": parent})

    def parse_report(self, response: Response, info: dict, parent: str | None = None) -> Iterator[Any]:
        st = self.count_page(response)
        source = self.source_of(response)
        if served_file(response):
            # a report URL without a file suffix that serves a file (under any Content-Type)
            yield from self.parse_document(response, kind="correction" if info.get("correction") else "report",
                                           info=info, parent=parent)
            return
        response = self.decoded(response)
        gone = soft_404(response)
        if gone:  # "该信息已删除" answered with 200: a failure of this link, never a report
            self.record_problem(source.id, response.url, f"soft 404: {gone}",
                                listed=None if info.get("correction") or not info.get("year") else info)
            return
        if not info.get("title"):
            info["title"] = clean_text(response.css("title::text").get())
        if not info.get("published"):
            info["published"] = page_published(response)
        if info.get("year") is None:
            # a title without a year, listed without a date: the page's publication date decides
            # (a report covers the year before it is published), never the body's text
            verdict = self.classify(Entry(url=response.url, title=info.get("title") or "",
                                          published=info.get("published")))
            info["year"] = verdict.get("year")
            info["agency"] = info.get("agency") or full_agency(verdict.get("agency"), getattr(source, "region", None))
        info["agency"] = own_full_name(info.get("agency"), source, response.text)
        if info.get("correction"):  # a notice correcting a report: its own kind, no report found
            yield self.document(source, response.url, "correction", parent, info)
            yield from self.report_contents(response, source, report=response.url, title=info.get("title"))
            return
        st.reports.add(response.url)
        st.reports_found = len(st.reports)
        yield self.document(source, response.url, "report", parent, info)
        yield from self.report_contents(response, source, report=response.url, title=info.get("title"))

    def report_contents(self, response: TextResponse, source: Any, report: str, nested: int = 0,
                        title: str | None = None) -> Iterator[Request]:
        """A report page's files (its attachments, and a file it embeds: <embed src=x.pdf>, <object
        data=x.pdf>, <iframe src=x.pdf>) and the same-site pages it frames (<iframe src=/content/123.html>,
        <frame src>): all fetched as the report's attachments, so the archive keeps what a reader sees
        and the re-parse takes the framed document when the page itself holds no report.  Called again
        on a framed page (`nested`), whose files and frames are the same report's, FRAME_DEPTH deep.

        A link's file is titled by the link's text; an embedded file has no text a reader sees, so it
        takes the report's `title` (the article's), unless its element carries a title of its own (a
        frame's `name` is an identifier, "pdfFrame", not a title)."""
        seen: set[str] = {response.url, report}
        for url, text in self.attachments(response, source):
            if url in seen:
                continue
            seen.add(url)
            yield self.request(url, source, self.parse_document, parent=response.url,
                               meta={"allow_offsite": True},
                               cb_kwargs={"kind": "attachment", "info": {"title": text or None}, "parent": report})
        for url, text in self.embedded(response, source):
            if url in seen:
                continue
            seen.add(url)
            if attachment_extension(url):  # an embedded file is an attachment, wherever it is served
                named = text if text and CJK_RE.search(text) else (title or text or None)
                yield self.request(url, source, self.parse_document, parent=response.url,
                                   meta={"allow_offsite": True},
                                   cb_kwargs={"kind": "attachment", "info": {"title": named}, "parent": report})
            elif nested < FRAME_DEPTH and page_like(url) and self.frame_on_site(url, source, response.url) \
                    and url not in self.frames_taken:
                # a map, a video or a share widget from another site is not followed; a frame once per crawl
                self.frames_taken.add(url)
                yield self.request(url, source, self.parse_framed, parent=response.url,
                                   cb_kwargs={"info": {"title": text or None}, "parent": report,
                                              "nested": nested + 1, "report_title": title})

    def embedded(self, response: TextResponse, source: Any) -> Iterator[tuple[str, str]]:
        """What the page frames or embeds (see `embedded_targets`); the generic spider unwraps viewers."""
        yield from embedded_targets(response)

    def frame_on_site(self, url: str, source: Any, page_url: str) -> bool:
        """A frame served by the page's own host, or by a host the source's walk may enter (`on_site`),
        is part of the page; another site's (a map, a video, a share widget, a visitor counter) is not."""
        return netloc(url) == netloc(page_url) or self.on_site(url, source)

    def hosts(self, source: Any) -> SiteHosts:
        """The source's `SiteHosts`, made on first use and kept: every link of a page asks for them."""
        found = self.site_hosts.get(source.id)
        if found is None:
            found = self.site_hosts[source.id] = site_hosts(source)
        return found

    def on_site(self, url: str, source: Any) -> bool:
        """The hosts a source's pages may come from: its start URLs' (with their ports) and the hosts
        its registry entry lists in allowed_domains (and their subdomains, as Scrapy reads that list).
        The same machine on another port is another server.  The generic spider adds 信息公开 siblings."""
        parts = urlsplit(url)
        hosts = self.hosts(source)
        if parts.netloc.lower() in hosts.netlocs:
            return True
        host = (parts.hostname or "").lower()
        if host in hosts.hostnames:
            return False
        return under_domains(host, hosts.listed)

    def parse_framed(self, response: Response, info: dict, parent: str, nested: int = 1,
                     report_title: str | None = None) -> Iterator[Any]:
        """A page a report page frames: recorded as the report's attachment (documents.parent_url is
        the report page) when it holds text of its own, and its own files and frames followed as the
        report's.  A widget of links (相关文章, a menu) is archived like every fetch, but is no document."""
        st = self.count_page(response)
        source = self.source_of(response)
        if served_file(response):  # a file under a page-like URL (a viewer's download servlet)
            st.attachments += 1
            named = disposition_name(response)
            if named and names_better(named, clean_text(info.get("title"))):
                info = {**info, "title": named}
            yield self.document(source, response.url, "attachment", parent, info)
            return
        response = self.decoded(response)
        contents = list(self.report_contents(response, source, report=parent, nested=nested, title=report_title))
        text = "".join(response.xpath("//body//text()[not(ancestor::a) and not(ancestor::script) and "
                                      "not(ancestor::style)]").getall())
        if contents or len("".join(text.split())) >= FRAMED_MIN_CHARS:
            if not info.get("title"):
                info["title"] = clean_text(response.css("title::text").get()) or None
            st.attachments += 1
            yield self.document(source, response.url, "attachment", parent, info)
        yield from contents

    def attachments(self, response: TextResponse, source: Any) -> Iterator[tuple[str, str]]:
        """Links to documents (PDF/DOC/DOCX/WPS/XLS/XLSX/ET/OFD/RTF/MHT/CSV/TXT/images) by URL suffix or
        link text, a download servlet's [下载], and an HTML file the anchor shows is a file (`file_link`)."""
        sel = self.selector(source, "attachment")
        links = response.css(sel) if sel else response.css("a[href]")
        for link in links:
            href = link.attrib.get("href")
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            text = clean_text(link.attrib.get("title") or " ".join(link.css("::text").getall()))
            url = response.urljoin(href)
            if sel or attachment_extension(url, text) or download_link(url, text) or file_link(link.root, url, text):
                yield url, text
        if sel:
            return
        # small bodies publish the report as scanned pages (or its tables as pictures) in the article body
        for img in response.css(CONTENT_IMAGES):
            src = content_image_src(img)
            url = response.urljoin(src) if src else ""
            if src and attachment_extension(url) and not CHROME_IMAGE.search(src):
                yield url, clean_text(img.attrib.get("alt") or img.attrib.get("title"))

    def parse_document(self, response: Response, kind: str, info: dict, parent: str | None = None) -> Iterator[Any]:
        """A fetched file (report or attachment): the archive already holds its bytes; record the document."""
        st = self.count_page(response)
        source = self.source_of(response)
        ext = attachment_extension(response.url)
        if ext and ext not in IMAGE_EXTENSIONS and page_not_file(response, ext):
            # portals answer a missing file with a 200 "文件不存在" page: archived, but it is not the document
            self.record_problem(source.id, response.url, f"html page where a .{ext} file was linked (error page?)",
                                listed=info if kind == "report" else None)
            return
        if not ext and kind == "attachment" and DOWNLOAD_URL.search(response.url) and not served_file(response) \
                and not names_file(response):
            # a [下载] link answered with a page (a login wall, 文件不存在): archived, but not the file
            self.record_problem(source.id, response.url, "html page where a file download was linked (error page?)")
            return
        if not ext and kind == "attachment" and isinstance(response, HtmlResponse) and not file_bytes(response.body):
            gone = soft_404(self.decoded(response))
            if gone:  # an HTML report file answered with "该信息已删除": archived, but not the report
                self.record_problem(source.id, response.url, f"soft 404: {gone}")
                return
        if kind == "report":
            st.reports.add(response.url)
            st.reports_found = len(st.reports)
        else:
            st.attachments += 1
            named = disposition_name(response)
            if named and names_better(named, clean_text(info.get("title"))):
                # "点击下载" on a /Download.ashx?fileId= link: the servlet's own name says what the file is
                info = {**info, "title": named}
        yield self.document(source, response.url, kind, parent, info)

    def document(self, source: Any, url: str, kind: str, parent: str | None, info: dict) -> DocumentItem:
        return DocumentItem(source_id=source.id, url=url, kind=kind, parent_url=parent, title=info.get("title"),
                            year=info.get("year"), agency=info.get("agency"), published=info.get("published"),
                            spider=self.name)

    # -- failures -----------------------------------------------------------------------------

    def failure_reason(self, failure) -> str:
        request = failure.request
        exc = failure.value
        if request.meta.get("nianbao_challenge"):
            return "blocked: js challenge"
        if isinstance(exc, HttpError):
            status = exc.response.status
            retries = request.meta.get("retry_times", 0)
            reason = f"http {status}" + (f" after {retries} retries" if retries else "")
            if status == 304 and not request.meta.get("nianbao_conditional"):
                # a CDN answering "not modified" to a request that named no version: nothing to read
                reason = "http 304 to a request that sent no validator (If-None-Match/If-Modified-Since)"
            return f"blocked: {reason}" if status in BLOCKED_STATUSES and self.refused_entry(request) else reason
        text = str(exc)
        if isinstance(exc, DownloadCancelledError) or "max size" in text:
            text = text.split(" in request ")[0]
            return f"too large: {text[:200]}" if text else "too large (download stopped at the size cap)"
        if isinstance(exc, IgnoreRequest):
            if text.startswith("robots.txt unreachable"):  # crawler/middlewares.py RobotsUnreachableMiddleware
                return f"blocked: {text[:200]}"
            if text.startswith("browser left the entry's hosts"):  # ArchiveMiddleware (crawler/navigation.py)
                return f"blocked: {text[:200]}"
            if "robots.txt" in text:
                return ROBOTS_DISALLOWED
            if text.startswith("cookie check not passed"):  # crawler/middlewares.py RedirectLoopMiddleware
                return f"blocked: {text[:200]}"
            return f"ignored: {text[:200]}"
        name = type(exc).__name__
        if request.meta.get("playwright"):
            return f"browser failed: {text.splitlines()[0][:200] if text else name}"
        if wire := broken_wire(name, text, request):  # not (complete) HTTP: said in words, not Twisted's repr
            retries = request.meta.get("retry_times", 0)
            return wire + (f" after {retries} retries" if retries else "")
        lowered = (name + " " + text).lower()
        short = truncation(request)
        if name == "ResponseDataLossError" or (short and any(k in lowered for k in ("connectionlost", "dataloss",
                                                                                      "connection was closed"))):
            # the server closed the connection before sending the Content-Length it announced
            retries = request.meta.get("retry_times", 0)
            return (short or "truncated: the body ended before its Content-Length") + \
                (f" after {retries} retries" if retries else "")
        if "timeout" in lowered or "took longer" in lowered:
            return "timeout"
        if any(k in lowered for k in ("connectionlost", "dataloss", "connection was closed", "connectiondone",
                                      "reset")):
            return f"connection reset ({name})"
        if "refused" in lowered:
            return "connection refused"
        return f"{name}: {text[:200]}"

    def refused_entry(self, request: Request) -> bool:
        """A refusal (401/403/451) that shuts the entry out, not one file: its start URL, a page of
        its column, or any request of a source no page of which has been read."""
        if not request.meta.get("nianbao_parent") or self.column_request(request):
            return True
        return self.stats_for(request.meta.get("source_id")).pages == 0

    def column_request(self, request: Request) -> bool:
        """A family spider's list pages are its column's (the generic spider says which of its are)."""
        return request.cb_kwargs.get("page") is not None

    def on_error(self, failure) -> list[Request] | None:
        request = failure.request
        was = request.meta.get(SCHEME_WAS)
        if was and scheme_failed(failure):
            # one absolute https:// link moved this host to https, and its https does not answer: the
            # link as the page wrote it, once, and the host's later links by that scheme again
            host = urlsplit(was).netloc.lower()
            if host not in self.start_hosts:
                self.schemes[host] = urlsplit(was).scheme
            meta = {k: v for k, v in request.meta.items() if k not in (SCHEME_WAS, "retry_times")}
            logger.info("%s failed (%s): retrying as written, %s", request.url, type(failure.value).__name__, was)
            return [request.replace(url=was, meta=meta, dont_filter=True)]
        # the row names the link as the crawler found it; the chain is in the reason and the snapshots
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        self.record_problem(request.meta.get("source_id"), url, self.failure_reason(failure),
                            list_page=self.column_request(request), listed=listed_report(request))

    def record_problem(self, source_id: str | None, url: str, reason: str, list_page: bool = False,
                       listed: dict | None = None) -> None:
        """A crawl_errors row, counted against the source: a failure is never silently "no reports".
        `list_page`: the URL is a page of a 年报 column's list, whose loss hides every report it lists
        (`nianbao status` flags one that fails two runs running).  A URL robots.txt forbids is the
        site's policy, no fault: its row is kept, not counted as an error.  `listed`: the title, year
        and body a 年报 list gave the link (`listed_report`), so the completeness matrix shows a report
        the body published but the crawl could not fetch as such, not as one never published."""
        st = self.stats_for(source_id)
        if reason == ROBOTS_DISALLOWED:
            logger.info("crawl policy %s %s: %s", source_id, url, reason)
            self.crawler.stats.inc_value("nianbao/robots_disallowed")
        else:
            logger.warning("crawl error %s %s: %s", source_id, url, reason)
            st.errors += 1
            self.crawler.stats.inc_value("nianbao/errors")
        st.touch()
        self.archive.record_error(self.run_id, source_id, url, reason, list_page=list_page, listed=listed)

    def list_page_cap(self, source: Any, url: str, total: int | None, more: bool = False,
                      column: str | None = None) -> int:
        """The pages of one column list the crawl will read (NIANBAO_MAX_LIST_PAGES); a list the
        portal says is longer leaves a `note:` row, so a column cut short never reads as complete.
        `more`: the capped page's pager leads on though it names no total (下一页 forever): noted
        too, naming the `column` (its page title) — the row's URL is the page the walk stopped at."""
        cap = self.settings.getint("NIANBAO_MAX_LIST_PAGES", 50)
        named = f": {column}" if column else ""
        if total is not None and total > cap:
            self.record_note(source.id, url, "list-cap",
                             f"column paging stopped at page {cap} of {total} (NIANBAO_MAX_LIST_PAGES){named}")
        elif more:
            self.record_note(source.id, url, "list-cap", f"column paging stopped at page {cap} of an unknown"
                             f" number, its pager going on (NIANBAO_MAX_LIST_PAGES){named}")
        return cap

    def record_note(self, source_id: str | None, url: str | None, kind: str, reason: str) -> bool:
        """An informational crawl_errors row ("note: …"), once per source and kind: the crawl chose
        not to go somewhere (a list too long to page, a link off the entry's hosts), and an operator
        should see that it was cut short.  Not counted as the source's error.  In a distributed run once
        per source and kind over the whole fleet (`note_claim`), as one process writes it."""
        key = (source_id, kind)
        if key in self.notes:
            return False
        self.notes.add(key)
        if self.note_claim is not None and not self.note_claim(kind, source_id):
            return False  # another worker of the run wrote it
        logger.info("crawl note %s %s: %s", source_id, url, reason)
        self.crawler.stats.inc_value("nianbao/notes")
        self.archive.record_error(self.run_id, source_id, url, f"note: {reason}")
        return True

    def stats_rows(self) -> dict[str, dict]:
        return {sid: st.as_row() for sid, st in self.source_stats.items() if sid in self.sources}
