"""How a list says it has more pages, read statically: year <select> options and GET year
filters, WebForms postbacks, script pagers (and those whose pages a script writes from a count),
加载更多 buttons, a "共N页" total, and the form fields a POST or search form is sent with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from scrapy.http import TextResponse

from crawler.sources import FIRST_REPORT_YEAR
from crawler.spiders.articles import ARTICLE_PAGE_PARAMS
from crawler.spiders.base import clean_text
from crawler.spiders.jsfunctions import function_body, string_vars
from crawler.spiders.links import PAGE_LINKS, URL_DETOUR_RE, canonical_url
from crawler.spiders.render import DOM_SCRIPT_RE, FETCH_SCRIPT_RE
from crawler.spiders.trs import trs_pager

PAGER_TEXTS = ("下一页", "下页")
# a pager run by script: javascript:goPage(2), turnPage(…), onclick= next buttons
SCRIPT_PAGER_TEXT_RE = re.compile(r"^(?:下一页|下页|后页|next|[>»›]{1,2}|[2-9]|\d{2,3})$", re.I)
NAVIGATING_SCRIPT_RE = re.compile(r"location|window\.open|\.submit\(|void\(0?\)\s*;?\s*$", re.I)


def select_options(response: TextResponse) -> Iterator[tuple[str, str]]:
    """A year filter: each option is a list page.  <select onchange="location.href=this.value"> has the
    page's URL as the option value; a GET form's <select name=year> (with a 查询 button, or
    onchange="location.search='?year='+this.value") has only the year, and the list is the form's
    action with ?year=YYYY, as the browser builds it (see `year_query_urls`)."""
    for select in response.xpath("//select[contains(@onchange, 'location') or contains(@onchange, 'window.open')]"):
        if query_select(select):
            continue
        pieces = onchange_pieces(select.attrib.get("onchange") or "")
        for option in select.xpath(".//option[@value]"):
            value = option.attrib.get("value", "").strip()
            if not value:
                continue
            target = "".join(value if p is OPTION_VALUE else p for p in pieces) if pieces else value
            if not target.lower().startswith(("javascript:", "#")):
                yield canonical_url(response.urljoin(target)), clean_text(" ".join(option.xpath(".//text()").getall()))
    yield from year_query_urls(response)


# where an onchange sends the browser: location.href= / location= / window.location.href= /
# location.assign( / location.replace( / window.open( followed by the URL expression
NAVIGATE_TO_RE = re.compile(r"""(?:\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:assign|replace)\s*\(|"""
                            r"""\bwindow\.open\s*\()\s*""")
# one piece of that expression: a quoted string, or the chosen option's value as a script reads it
# (this.value, this.options[this.selectedIndex].value, $(this).val(), this.selectedOptions[0].value)
OPTION_VALUE_RE = re.compile(r"""this\.value|this\.options\s*\[[^\]]*\]\s*\.value|\$\(\s*this\s*\)\.val\(\s*\)|"""
                             r"""this\.selectedOptions\s*\[\s*0\s*\]\s*\.value""")
OPTION_VALUE = object()  # the place of the option's value among an expression's pieces


def onchange_pieces(onchange: str) -> list[Any] | None:
    """The URL a year <select>'s onchange builds, as pieces: quoted strings and `OPTION_VALUE` where
    the chosen option's value goes (`location.href='/zwgk/ndbg/'+this.value+'.html'` -> ['/zwgk/ndbg/',
    OPTION_VALUE, '.html']).  None when the onchange is not such a concatenation (a variable, a
    function call): the option's value is then taken as the URL, as `location.href=this.value` says."""
    m = NAVIGATE_TO_RE.search(onchange)
    if m is None:
        return None
    pieces: list[Any] = []
    rest = onchange[m.end():]
    while True:
        quoted = re.match(r"""(['"])([^'"]*)\1""", rest)
        value = OPTION_VALUE_RE.match(rest)
        if quoted:
            pieces.append(quoted.group(2))
            rest = rest[quoted.end():]
        elif value:
            pieces.append(OPTION_VALUE)
            rest = rest[value.end():]
        else:
            return None
        rest = rest.lstrip()
        if not rest.startswith("+"):
            break
        rest = rest[1:].lstrip()
    # the expression must end there (`;`, `)` of assign/open, its ',' target, or the attribute's end)
    if rest and rest[0] not in ";),":
        return None
    return pieces if OPTION_VALUE in pieces else None


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


def year_query_urls(response: TextResponse, only: Any = None) -> Iterator[tuple[str, str]]:
    """A GET year filter (<form method=get action=''><select name=year>… or a select setting
    location.search): one list URL per year option, the form's action with its fields and ?year=YYYY,
    as the browser submits it.  Only options that are years a report can cover (`report_years`), so
    a 1990–2030 select or a filter of channel ids asks for nothing more.  `only`: that select alone."""
    years = report_years()
    for select in [only] if only is not None else response.xpath("//select"):
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


def shown_option_urls(response: TextResponse) -> set[str]:
    """The year-query URLs that are this very page under another address: a page asked without a
    value for its GET year filter is the list of the option the server marks `selected` (its
    ?year=2025 is the same list again, with any render and load-more of it).  Only an explicit
    `selected`: a browser showing the first option of a select says nothing about the list."""
    here = urlsplit(response.url)
    asked = {k for k, _ in parse_qsl(here.query, keep_blank_values=True)}
    shown: set[str] = set()
    for select in response.xpath("//select"):
        name = query_select(select)
        if not name or name in asked:
            continue
        values = {o.attrib["value"].strip() for o in select.xpath(".//option[@value][@selected]")}
        if len(values) != 1:
            continue
        for url, _ in year_query_urls(response, select):
            if urlsplit(url).path == here.path and dict(parse_qsl(urlsplit(url).query)).get(name) in values:
                shown.add(url)
    return shown


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


PAGE_TOTAL_RE = re.compile(r"共\s*(\d{1,5})\s*页")
# "第1/3页", "1/3页", "当前第 1 / 3 页": the page shown over the number of pages
PAGER_CONTROL_TEXTS = ("首页", "上一页", "上页", "下一页", "下页", "尾页", "末页")
PAGE_OF_RE = re.compile(r"(\d{1,5})\s*/\s*(\d{1,5})\s*页")


def pager_total(response: TextResponse) -> int:
    """How many pages a list says it has: "共200页" or "第1/200页", else the page its 下一页/尾页 controls
    ask a script helper for (goPage(1) on both: a list of one page), else its highest page-number link
    (0: no pager; a pager that tells nothing counts 2)."""
    pager = response.xpath("//a[normalize-space(.)='下一页' or normalize-space(.)='下页' or normalize-space(.)='尾页'"
                           " or normalize-space(.)='末页']")
    if not pager:
        return 0
    text = " ".join(response.xpath("//body//text()[not(ancestor::script)]").getall())
    m = PAGE_TOTAL_RE.search(text)
    if m:
        return int(m.group(1))
    m = PAGE_OF_RE.search(text)
    if m and 0 < int(m.group(1)) <= int(m.group(2)):
        return int(m.group(2))
    controls = response.xpath("//a[" + " or ".join(f"normalize-space(.)='{t}'" for t in PAGER_CONTROL_TEXTS) + "]")
    asked = [PAGER_CALL_RE.match(a.attrib.get("onclick") or a.attrib.get("href") or "") for a in controls]
    if asked and all(asked):
        numbers = [int(c.group(2)) for c in asked if c]
        return max(numbers) + (1 if min(numbers) == 0 else 0)  # 首页 goPage(0): the helper counts from 0
    numbers = [int(t) for t in (clean_text(" ".join(a.css("::text").getall())) for a in response.css("a"))
               if t.isdigit() and len(t) <= 5]
    return max([2, *numbers])


# -- script pagers whose page URL can be read without a browser ------------------------------------------
# a pager control calling a helper with the page's number: goPage(2), turnPage('3'), toPage(4, 'list')
PAGER_CALL_RE = re.compile(r"""^(?:javascript:)?\s*([A-Za-z_$][\w$.]*)\s*\(\s*['"]?(\d{1,5})['"]?\s*(?:,[^()]*)?\)"""
                           r"""\s*;?\s*(?:return\s+false;?)?\s*$""", re.I)
PAGER_END_TEXTS = ("尾页", "末页", "最后一页", "上一页", "上页", "前页", "首页", "第一页")
# a data API's address (rows as JSON for a script to draw), never a list page of its own
DATA_URL_RE = re.compile(r"/api/|json|ajax|/rest/|/interface/|/data/", re.I)


@dataclass
class PagerTemplate:
    """How a script pager's helper reaches page n: a URL built from the number (`prefix` + (n + `offset`)
    + `suffix`), or a form (`form_url`, `method`, its other `fields`) sent with the number in `field`."""

    prefix: str = ""
    suffix: str = ""
    offset: int = 0
    form_url: str = ""
    method: str = "GET"
    fields: list[tuple[str, str]] = dc_field(default_factory=list)
    field: str = ""

    def url(self, base: str, n: int) -> str:
        if self.form_url:
            query = urlencode([*self.fields, (self.field, str(n))])
            return canonical_url(urlunsplit(urlsplit(self.form_url)._replace(query=query, fragment="")))
        return canonical_url(urljoin(base, f"{self.prefix}{n + self.offset}{self.suffix}"))


def pager_calls(response: TextResponse) -> dict[str, set[int]]:
    """The page numbers a script pager's controls ask its helper for (helper name -> numbers): each
    <a>, <button>, <input type=button> or clickable <span> reading 下一页 / a number / 尾页 whose action is
    `helper(n)`.  A helper that navigates by itself (location=…) is a link, read elsewhere."""
    calls: dict[str, set[int]] = {}
    for el in response.xpath("//a | //button | //input[@type='button'] | //*[@onclick]"):
        href = (el.attrib.get("href") or "").strip()
        action = el.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        m = PAGER_CALL_RE.match(action.strip()) if action else None
        if not m or POSTBACK_RE.search(action):
            continue
        text = clean_text(el.attrib.get("value") or " ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if SCRIPT_PAGER_TEXT_RE.match(text) or text in PAGER_END_TEXTS or text.isdigit():
            calls.setdefault(m.group(1), set()).add(int(m.group(2)))
    return calls


def _url_from_body(param: str, body: str, strings: dict[str, str]) -> PagerTemplate | None:
    """A helper body that navigates to a URL built from its parameter: `location.href = 'list_' + n +
    '.html'`, `window.location = listUrl + (n - 1)`, `location.replace(base + '?page=' + p)`."""
    if not re.search(r"location|window\.open", body):
        return None
    number = rf"\(?\s*{param}\s*(?:([+-])\s*(\d+))?\s*\)?"
    m = re.search(rf"""((?:(?:['"][^'"\s]*['"]|[A-Za-z_$][\w$]*)\s*\+\s*)+){number}(?:\s*\+\s*['"]([^'"\s]*)['"])?""", body)
    if m is None:
        return None
    parts = re.findall(r"""['"]([^'"\s]*)['"]|([A-Za-z_$][\w$]*)""", m.group(1))
    prefix = ""
    for literal, ident in parts:
        if ident and ident not in strings:
            return None
        prefix += strings[ident] if ident else literal
    if not prefix or prefix.lower().startswith(("javascript:", "#")) or DATA_URL_RE.search(prefix):
        return None
    offset = int(m.group(3)) * (-1 if m.group(2) == "-" else 1) if m.group(3) else 0
    return PagerTemplate(prefix=prefix, suffix=m.group(4) or "", offset=offset)


def form_from_body(response: TextResponse, param: str, body: str) -> PagerTemplate | None:
    """A helper that writes the number into a form's field and submits the form:
    `document.getElementById('pageNo').value = n; document.forms[0].submit();` or `$('#pageNo').val(n)`."""
    if "submit" not in body:
        return None
    m = (re.search(rf"""getElementById\(\s*['"]([\w-]+)['"]\s*\)\.value\s*=\s*{param}\b""", body)
         or re.search(rf"""\$\(\s*['"][#]([\w-]+)['"]\s*\)\.val\(\s*{param}\s*\)""", body)
         or re.search(rf"""\.([A-Za-z_]\w*)\.value\s*=\s*{param}\b""", body)
         or re.search(rf"""\[\s*['"]([\w-]+)['"]\s*\]\.value\s*=\s*{param}\b""", body))
    if m is None:
        return None
    key = m.group(1)
    inputs = response.xpath(f"//form//input[@id='{key}' or @name='{key}']")
    if not inputs:
        return None
    field = inputs[0].attrib.get("name") or key
    form = inputs[0].xpath("ancestor::form[1]")[0]
    action = response.urljoin(form.attrib.get("action") or response.url)
    if URL_DETOUR_RE.search(urlsplit(action).path.replace("query", "")):
        return None
    method = (form.attrib.get("method") or "get").strip().upper()
    fields = [(k, v) for k, v in form_fields(form) if k != field]
    return PagerTemplate(form_url=action, method="POST" if method == "POST" else "GET", fields=fields, field=field)


def _url_from_page(response: TextResponse) -> PagerTemplate | None:
    """The page's own URL, or a plain pager link's (首页 → list.jsp?pageNo=1), carries the page number in
    a page parameter: page n is that URL with the parameter set to n."""
    urls = [response.url] + [response.urljoin(h) for h in response.xpath("//a/@href").getall()
                             if h.strip() and not h.strip().lower().startswith(("javascript:", "#"))]
    for url in urls:
        parts = urlsplit(url)
        if parts.path != urlsplit(response.url).path:
            continue
        query = parse_qsl(parts.query, keep_blank_values=True)
        names = [k for k, v in query if k.lower() in PAGE_PARAMS and v.isdigit()]
        if names:
            kept = [(k, v) for k, v in query if k != names[0]]
            return PagerTemplate(form_url=urlunsplit(parts._replace(query="", fragment="")), fields=kept,
                                 field=names[0])
    # page 1's own link names its number in the file name (<a href="list_1.html">1</a>, 首页 → list-1.html)
    for link in response.xpath("//a[@href]"):
        text = clean_text(" ".join(link.xpath(".//text()").getall())).replace(" ", "")
        m = re.match(r"^(.*[_-])1(\.\w{2,5})$", link.attrib["href"].strip())
        if m and text in ("1", "首页", "第一页") and not DATA_URL_RE.search(m.group(1)):
            return PagerTemplate(prefix=response.urljoin(m.group(1)), suffix=m.group(2))
    return None


def _url_from_form(response: TextResponse) -> PagerTemplate | None:
    """A form holding the page number in a field of its own (<form action=list.do><input type=hidden
    name=pageNo value=1>): page n is the form sent with that field set to n."""
    for form in response.xpath("//form"):
        for el in form.xpath(".//input[@name]"):
            name = el.attrib["name"]
            if name.lower() in PAGE_PARAMS and (el.attrib.get("value") or "1").strip().isdigit():
                action = response.urljoin(form.attrib.get("action") or response.url)
                if URL_DETOUR_RE.search(urlsplit(action).path.replace("query", "")):
                    continue
                method = (form.attrib.get("method") or "get").strip().upper()
                return PagerTemplate(form_url=action, method="POST" if method == "POST" else "GET",
                                     fields=[(k, v) for k, v in form_fields(form) if k != name], field=name)
    return None


def _url_from_variable(response: TextResponse, strings: dict[str, str]) -> PagerTemplate | None:
    """A script variable holding the list's URL up to its page parameter (`var pageUrl =
    'list.jsp?cid=3&pageNo='`): page n is that URL with n after it."""
    for value in strings.values():
        m = re.search(r"[?&]([A-Za-z_]\w{0,15})=$", value)
        if m and m.group(1).lower() in PAGE_PARAMS and not DATA_URL_RE.search(value):
            return PagerTemplate(prefix=value)
    return None


def undefined_pager_helpers(response: TextResponse) -> set[str]:
    """The script pager helpers the page calls (`pager_calls`) and its inline script does not define:
    goPage(n) whose function lives in /js/list.js.  Their definitions are in the page's script files."""
    inline = response.xpath("//script[not(@src)]/text()").getall()
    return {name for name in pager_calls(response) if not any(function_body(s, name) for s in inline)}


def script_pager_template(response: TextResponse, name: str, files: list[str] | tuple[str, ...] = ()
                          ) -> PagerTemplate | None:
    """How the script pager's helper `name` reaches page n, read without a browser: its definition
    (a URL built from the number, or a form it submits) in the page's inline script or in one of its
    script `files` already fetched (the texts of /js/list.js …), else the list's page URL where the page
    shows it (its own URL's or a pager link's page parameter, a script variable ending in one).  None:
    only a browser knows (the helper lives in a script file not read and nothing on the page shows a
    page URL)."""
    scripts = [*response.xpath("//script[not(@src)]/text()").getall(), *files]
    strings = string_vars(scripts)
    for script in scripts:
        found = function_body(script, name)
        if found is None:
            continue
        param, body = found
        if FETCH_SCRIPT_RE.search(body) or DOM_SCRIPT_RE.search(body):
            return None  # the helper fetches the rows and draws them: a page URL would answer page 1 again
        template = _url_from_body(param, body, strings) or form_from_body(response, param, body)
        if template is not None:
            return template
        break
    return _url_from_page(response) or _url_from_form(response) or _url_from_variable(response, strings)


def static_script_pager(response: TextResponse, files: list[str] | tuple[str, ...] = ()
                        ) -> tuple[PagerTemplate, set[int]] | None:
    """A script pager (`script_pager`) whose pages can be asked for without a browser: its template and
    the page numbers its controls name (the "共N页" total, or a script's page count, adds every page up
    to it).  `files`: the texts of the page's script files the crawl has read (`script_pager_template`)."""
    for name, numbers in pager_calls(response).items():
        template = script_pager_template(response, name, files)
        if template is None:
            continue
        total = 0
        m = PAGE_TOTAL_RE.search(" ".join(response.xpath("//body//text()[not(ancestor::script)]").getall()))
        if m:
            total = int(m.group(1))
        elif m := SCRIPT_TOTAL_RE.search(" ".join(response.xpath("//script[not(@src)]/text()").getall())):
            total = int(m.group(1))
        return template, numbers | set(range(2, min(total, PAGE_LINKS) + 1))
    return None
# layui's pager: laypage.render({elem: 'pages', count: 20, limit: 8, curr: 1, jump: function(obj, first){…}})
LAYPAGE_RE = re.compile(r"laypage\.render\s*\(\s*\{")
LAYPAGE_COUNT_RE = re.compile(r"\bcount\s*:\s*['\"]?(\d{1,9})\b")
LAYPAGE_LIMIT_RE = re.compile(r"\blimit\s*:\s*['\"]?(\d{1,5})\b")
LAYPAGE_DEFAULT_LIMIT = 10  # layui's own default
# the URL the jump callback sends the browser to: 'list_5_' + obj.curr + '.html', '?page=' + obj.curr
LAYPAGE_JUMP_RE = re.compile(r"""['"]([^'"\s<>]*)['"]\s*\+\s*(?:\w+\.)?curr\b(?:\s*\+\s*['"]([^'"\s<>]*)['"])?""")


def laypage_urls(response: TextResponse, limit: int | None = None) -> list[tuple[str, int]]:
    """(URL, page number) of a list's other pages when its only pager is layui's laypage, drawn in the
    browser from a row count: the HTML holds no pager link, the script holds the count, the page size
    (`limit`) and, in its jump callback, how a page's URL is made.  A jump that navigates without
    saying how is read by the list's own URL: ?page=N when it has a page parameter, else list_5.html
    → list_5_2.html (the CMS convention; read on the list's first page, whose URL carries no number).  A jump
    that only redraws in place (XHR) gives no URLs."""
    for script in response.xpath("//script[not(@src)]/text()").getall():
        m = LAYPAGE_RE.search(script)
        if not m:
            continue
        config = script[m.end():m.end() + 3000]
        count = LAYPAGE_COUNT_RE.search(config)
        size = LAYPAGE_LIMIT_RE.search(config)
        per = int(size.group(1)) if size else LAYPAGE_DEFAULT_LIMIT
        if not count or per <= 0:
            continue
        pages = min(-(-int(count.group(1)) // per), PAGE_LINKS if limit is None else limit)
        jump = LAYPAGE_JUMP_RE.search(config)
        if jump:
            return [(canonical_url(urljoin(response.url, f"{jump.group(1)}{n}{jump.group(2) or ''}")), n)
                    for n in range(2, pages + 1)]
        if "location" not in config:
            continue
        parts = urlsplit(response.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        param = next((k for k, _ in query if k.lower() in PAGE_PARAMS), None)
        if param:
            return [(urlunsplit(parts._replace(query=urlencode([(k, str(n) if k == param else v) for k, v in query]),
                                               fragment="")), n) for n in range(2, pages + 1)]
        head, _, last = parts.path.rpartition("/")
        stem, dot, ext = last.rpartition(".")
        if not dot:  # a directory or an extension-less page: its pages by ?page=N
            return [(urlunsplit(parts._replace(query=urlencode([*query, ("page", str(n))]), fragment="")), n)
                    for n in range(2, pages + 1)]
        return [(urlunsplit(parts._replace(path=f"{head}/{stem}_{n}.{ext}", fragment="")), n)
                for n in range(2, pages + 1)]
    return []
