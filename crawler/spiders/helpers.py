"""Download-helper calls (javascript:downFile('7521')): finding the calls on a page, reading the
helper's URL template from its script, and building the file URLs, all without a browser."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse

from crawler.spiders.base import DOWNLOAD_TEXT, attachment_extension, clean_text, netloc
from crawler.spiders.links import canonical_url

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
