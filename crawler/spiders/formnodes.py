"""Catalogue nodes that open their list by submitting a form, read without a browser.

A 信息公开目录 tree of server HTML whose nodes are `<a href="javascript:void(0)" onclick="openCat('1205')">
政府信息公开年报</a>` beside `<form id=catForm method=post action=list.do><input type=hidden id=catId
name=catId>`, with `function openCat(id){document.getElementById('catId').value=id;catForm.submit();}`
(crawl21's t-baoding): the node's list is that form sent with catId=1205, and no link names it.  The
helper's definition is read as a script pager's that submits a form is (`pagers.form_from_body`), from
the page's inline script or a script file the crawl has read; the spider sends the form for the nodes
whose text leads to the 年报 column (`GenericSpider.form_nodes`).

A list row opening its report the same way (`viewDetail('2200')` filling a hidden `infoId` and submitting
`<form method=post action=/detail.do>`) is a list entry whose URL is the form's identity
(`form_row_entries`, archive/posted.py): several reports share the one action URL."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from scrapy.http import TextResponse

from archive.posted import posted_url
from crawler.spiders.base import clean_text
from crawler.spiders.helpers import HELPER_CALL_RE
from crawler.spiders.jsfunctions import function_body
from crawler.spiders.links import canonical_url
from crawler.spiders.pagers import PagerTemplate, form_from_body

FORM_NODES = 40  # most helper-called nodes of one page read (a tree of 2,000 onclick nodes)


def form_node_calls(response: TextResponse, files: list[str] | tuple[str, ...] = ()
                    ) -> list[tuple[str, PagerTemplate, str]]:
    """(node text, the form its helper submits, the helper's argument) of each node calling a helper
    with one id (onclick="openCat('1205')", href="javascript:openCat(1205)") whose definition sets a
    field of a form of the page to it and submits that form."""
    return [(text, template, arg) for _, text, template, arg in _form_calls(response, files)]


def form_helpers(response: TextResponse, files: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The names of the page's helpers read as filling a form with an id and submitting it: rows calling
    them are reached without a browser (`render.script_rows`)."""
    return {name for name, *_ in _form_calls(response, files)}


def form_row_entries(response: TextResponse, files: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(URL, title) of each row opened by submitting a form with its id: a POST form's rows are keyed by the
    form they send (`archive.posted.posted_url`: `/detail.do#post:infoId=2200`), a GET form's by its URL."""
    out = []
    for _, text, template, arg in _form_calls(response, files):
        fields = [*template.fields, (template.field, arg)]
        if template.method == "POST":
            out.append((posted_url(template.form_url, fields, response.encoding), text))
        else:
            parts = urlsplit(template.form_url)._replace(query=urlencode(fields), fragment="")
            out.append((canonical_url(urlunsplit(parts)), text))
    return out


def _form_calls(response: TextResponse, files: list[str] | tuple[str, ...]) -> list[tuple[str, str, PagerTemplate, str]]:
    """(helper name, node text, form, argument) of each node calling a form-submitting helper with one id."""
    scripts = [*response.xpath("//script[not(@src)]/text()").getall(), *files]
    out: list[tuple[str, str, PagerTemplate, str]] = []
    forms: dict[str, PagerTemplate | None] = {}
    for el in response.xpath("//*[@onclick] | //a[starts-with(normalize-space(@href), 'javascript:')]")[:FORM_NODES * 5]:
        href = (el.attrib.get("href") or "").strip()
        action = el.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        m = HELPER_CALL_RE.match(action.strip())
        if not m:
            continue
        name, arg = m.group(1), m.group(2)
        if name not in forms:
            forms[name] = None
            for script in scripts:
                found = function_body(script, name)
                if found is not None:
                    forms[name] = form_from_body(response, *found)
                    break
        template = forms[name]
        text = clean_text(el.attrib.get("title") or " ".join(el.xpath(".//text()").getall()))
        if template is not None and text:
            out.append((name, text, template, arg))
            if len(out) >= FORM_NODES:
                break
    return out
