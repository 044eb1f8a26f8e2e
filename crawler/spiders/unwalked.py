"""A 年报 list's pager the crawl cannot walk as the HTML stands: a script call drawing the pager that
no reader understood, a 下一页 button with nothing behind it in the HTML.  Such a list is rendered
(`GenericSpider.column_needs_browser`); when the browser too leaves it unwalked (its 下一页 not turned,
the call drawing no page) the later pages' reports would be lost without an error, so the spider
leaves a note saying so (`GenericSpider.note_unwalked_pager`).  What this module answers is only
whether, and why, the pager is left unwalked."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawler.spiders.base import clean_text
from crawler.spiders.pagers import (
    NAVIGATING_SCRIPT_RE,
    laypage_urls,
    pager_total,
    script_page_total,
    static_script_pager,
)
from crawler.spiders.trs import pager_args, trs_pager

# a call of a pager-drawing helper in the page's own script: createPageHTML('page_div',2,1,…), initPager(3, 1)
PAGER_DRAW_CALL_RE = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(([^()]*)\)")
PAGER_NAME_RE = re.compile(r"pag(?:e|ing|ination)", re.I)
NEXT_TEXT_RE = re.compile(r"^(?:下一页|下页|后页|next|>|›|»|>>)$", re.I)


def unread_pager_call(response: TextResponse) -> str | None:
    """The first inline call of a pager-drawing helper (its name says page/paging/pagination) given at
    least two numbers, one of them 2 or more (a page count beside the current page), that no pager
    reader understood, as it is written; None when there is none, or when the list's pages are
    reached another way (a 下一页 link, a pager read)."""
    if trs_pager(response.text) or script_page_total(response) or laypage_urls(response) \
            or static_script_pager(response) or pager_total(response):
        return None
    for script in response.xpath("//script[not(@src)]/text()").getall():
        for m in PAGER_DRAW_CALL_RE.finditer(script):
            if not PAGER_NAME_RE.search(m.group(1)) or re.search(r"function\s*$", script[:m.start()]):
                continue  # the helper's definition, not a call
            numbers = [int(text) for text, quoted in pager_args(m.group(2)) or [] if not quoted and text.isdigit()]
            if len(numbers) >= 2 and max(numbers) >= 2:  # a count and a current page, not setPageSize(20)
                return clean_text(m.group(0))[:80]
    return None


def next_controls(response: TextResponse) -> list[Any]:
    """The page's 下一页 controls that only script moves on (a button, an onclick, a javascript: link), as
    `turn_script_pages` chooses them, left out when disabled."""
    found = []
    for el in response.xpath("//a | //button | //input[@type='button'] | //*[@onclick]"):
        text = clean_text(el.attrib.get("value") or " ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if not NEXT_TEXT_RE.match(text) or "disabled" in el.attrib \
                or "disabled" in (el.attrib.get("class") or "").split():
            continue
        href = (el.attrib.get("href") or "").strip()
        action = el.attrib.get("onclick") or (href if href.lower().startswith("javascript:") else "")
        if action and NAVIGATING_SCRIPT_RE.search(action) and not re.search(r"void\(0?\)", action):
            continue
        if el.root.tag in ("button", "input") or el.attrib.get("onclick") or href == "#" \
                or (href.lower().startswith("javascript:") and not re.search(r"void\(0?\)\s*;?\s*$", href)):
            found.append(el)
    return found


def turned_pages(response: TextResponse) -> int:
    """How many pages the browser turned on this rendered page (`turn_script_pages`'s answer; 0 when it
    was not asked to)."""
    for method in response.meta.get("playwright_page_methods") or []:
        if getattr(getattr(method, "method", None), "__name__", "") == "turn_script_pages":
            return int(getattr(method, "result", 0) or 0)
    return 0


def unwalked_pager(response: TextResponse, rendered: bool) -> str | None:
    """Why the list's later pages were not reached, or None when its pager was walked or it has none."""
    call = unread_pager_call(response)
    if rendered:
        if turned_pages(response):
            return None
        if next_controls(response):
            return "a 下一页 the browser did not turn to a new page"
        return f"a pager drawn by script that drew no page in the browser ({call})" if call else None
    if call:
        return f"a pager drawn by script the crawl does not read ({call})"
    if not pager_total(response) and any(el.root.tag in ("button", "input") and not el.attrib.get("onclick")
                                         for el in next_controls(response)):
        return "a 下一页 button whose script is not on the page"
    return None
