"""How one link on a page reads: where it really goes and what it is called.

Portals hide a link's target in onclick handlers, data-url attributes, helper calls, base64 viewer
parameters and hash routes, and its name in the row, cell or tree node around it; every walk,
list and candidate needs the same answer, so the rules live here once (see generic.py for the
shapes they answer)."""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from scrapy.http import TextResponse

from crawler.spiders.base import DOWNLOAD_URL, DocumentMemo, attachment_extension, clean_text, strip_session

URL_DETOUR_RE = re.compile(r"search|query|/so/|login|register|/user/|print|share|calendar|/rl/", re.I)
COLUMN_RE = re.compile(r"年报|年度报告")
REPORT_WORD_RE = re.compile(r"年报|报告")
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|spm|from|frm|source|share\w*|isappinstalled|scene|clicktime|timestamp"
                             r"|_t)$", re.I)
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
# a row's cell holding only a date: 2025-01-14, [2025/01/14], 2025年1月14日
ROW_DATE_RE = re.compile(r"[\[(（【]?\s*(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*[\])）】]?")
PAGER_WORDS = ("尾页", "末页", "首页", "上一页", "上页", *("下一页", "下页"))
# online file viewers (pdf.js viewer.html?file=, kkFileView onlinePreview?url=<base64>, …/preview?fileUrl=):
# the link is the file they wrap
VIEWER_PATH_RE = re.compile(r"viewer|preview|pdfjs|yulan|/view(?:\.\w+)?$", re.I)
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
    # the row's date (<li><a>2024年度</a><span>2025-01-14</span></li>) is when it was published, no title
    return max((t for t in texts if not ROW_DATE_RE.fullmatch(t)), key=len, default="")


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


def case_folded(url: str) -> str:
    """The URL with its host and path in lower case (the query as it is): the key under which
    /ZWGK/XXGK/NDBG/ and /zwgk/xxgk/ndbg/ are one page."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.lower(), path=parts.path.lower()))


def repeated_segment(url: str) -> str | None:
    """The URL with a directory named twice in a row said once (/zwgk/ndbg/ndbg/ -> /zwgk/ndbg/),
    or None: what a relative link (href="ndbg/") printed on its own directory's page resolves to,
    deeper at every hop."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    for i in range(1, len(segments) - 1):
        if segments[i] and segments[i] == segments[i + 1] and i + 1 < len(segments) - 1:
            path = "/".join(segments[:i] + segments[i + 1:])
            return urlunsplit(parts._replace(path=path))
    return None


def block_heading(link) -> str:
    """The heading of the block a bare "更多>>" link sits in ("政府信息公开年报 … 更多>>")."""
    own = clean_text(" ".join(link.css("::text").getall()))
    for ancestor in reversed(link.xpath("ancestor::*[position() <= 4]")):
        for heading in ancestor.xpath(HEADING_XPATH):
            text = clean_text(" ".join(heading.xpath(".//text()").getall()))
            if text and text != own:
                return text.replace(own, "").strip()
    return ""


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
