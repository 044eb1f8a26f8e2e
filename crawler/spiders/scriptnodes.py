"""Year nodes and department tabs that run a script to load a list into the page they sit on
(`<a href="javascript:;" onclick="showYear(2023)">2023年度</a>`, `onclick="loadDept('jyj')"`): no link names
the list they load, so Scrapy never sees it.  Read statically (`script_nodes`: a column page carrying them is
rendered, and one whose nodes were not all opened is noted) and clicked in chromium (`open_script_nodes`).

A node is chosen by what it says, as a person chooses it: its text is a year a report can cover ("2023年度",
"2022年") or one body's name (郎溪县教育局), read by the same readers the crawl uses for links
(`YEAR_LINK_RE`, `owners.names_body`).  A node whose onclick names its URL (`location.href='…'`) is a
link Scrapy follows and is left alone here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.http import TextResponse

from crawler.spiders.base import clean_text
from crawler.spiders.browser import (
    CLICK_KEEP_JS,
    SCRIPT_PAGES,
    TAB_INIT_JS,
    TAB_KEEP_JS,
    hold_navigation,
    settle,
    turn_tab_pages,
)
from crawler.spiders.links import SCRIPT_URL_RE, YEAR_LINK_RE
from crawler.spiders.owners import names_body
from crawler.spiders.pagers import report_years

NODE_CLICKS = 20  # most nodes clicked on one page: a column's years since 2008 (the Regulations), or its bodies
NODE_MISSES = 3  # nodes whose click showed nothing new before the first that did: the page's nodes load nothing
NODE_WAIT_MS = 3000  # how long one click may take to change the list
NODE_CANDIDATES = 200  # most scripted controls one page's search returns to Python


def node_label(text: str) -> bool:
    """Whether a control's text reads as a report year ("2023年度", "2022年", "2021") or one body's name
    (郎溪县教育局, 花林寺镇人民政府): the controls that load a year's or a body's list."""
    compact = clean_text(text).replace(" ", "")
    if YEAR_LINK_RE.fullmatch(compact):
        return int(compact[:4]) in report_years()
    return names_body(compact)


def _scripted(el: Any) -> bool:
    """A control that runs a script and names no URL of its own: an onclick that does not set `location` to a
    written URL, or a `javascript:` href that does more than `void(0)`."""
    href = (el.attrib.get("href") or "").strip()
    onclick = (el.attrib.get("onclick") or "").strip()
    if href and not href.lower().startswith("javascript:") and href != "#":
        return False  # a real link: Scrapy follows it
    action = onclick or (href if href.lower().startswith("javascript:") else "")
    if not action or SCRIPT_URL_RE.search(action):
        return False
    return bool(onclick) or not action.lower().replace(" ", "").rstrip(";").endswith(("javascript:", "void(0)", "void0"))


def script_nodes(response: TextResponse) -> list[str]:
    """The texts of the page's year nodes / department tabs that load their list by script (see the module)."""
    found = []
    for el in response.xpath("//body//*[self::a or self::li or self::span or self::div or self::button or self::td]"
                             "[@onclick or starts-with(normalize-space(@href), 'javascript:')]"):
        if not _scripted(el) or el.xpath(".//a[@href] | .//li | .//ul | .//table"):
            continue
        text = clean_text(" ".join(el.xpath(".//text()").getall()))
        if node_label(text) and text not in found:
            found.append(text)
    return found


# In chromium: the page's controls that run a script and link nowhere (an <a> with a javascript:/# href or
# an onclick, an element with an onclick or a tab role), innermost only; numbered in window.__nbNodes
NODES_FIND_JS = r"""([staticOpen, max]) => {
  staticOpen = new RegExp(staticOpen);
  const out = [];
  for (const e of document.body.querySelectorAll('a, li, span, div, button, td, [role=tab]')) {
    if (e.closest('#nianbao-clicked, #nianbao-script-pages') || e.offsetParent === null) continue;
    if ((window.__nbTabs || []).includes(e)) continue;  // opened as a list's tab already (`open_tabs`)
    const h = (e.getAttribute('href') || '').trim(), on = e.getAttribute('onclick') || '';
    if (e.tagName === 'A' && h && !/^(#|javascript:)/i.test(h)) continue;  // a real link: Scrapy follows it
    if (!(on || /^javascript:/i.test(h) || e.matches('[role=tab]'))) continue;
    if (staticOpen.test(on) || staticOpen.test(h)) continue;  // names its URL: Scrapy follows it
    if (e.querySelector('a[href], li, ul, table, button')) continue;
    const t = (e.innerText || '').replace(/\s+/g, ' ').trim();
    if (!t || t.length > 30) continue;
    out.push([e, t, /(^|\s)(on|active|cur|current|selected)(\s|$)/.test(e.getAttribute('class') || '')]);
    if (out.length >= max) break;
  }
  window.__nbNodes = out.map(o => o[0]);
  return out.map(o => [o[1], o[2]]);
}"""


@dataclass
class NodesOpened:
    """What `open_script_nodes` did on a page: the nodes whose click showed another list (or named a page),
    and those it found but did not open (past NODE_CLICKS, or a click that changed nothing)."""

    opened: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.opened)


async def open_script_nodes(page: Any, max_nodes: int = NODE_CLICKS, max_pages: int = SCRIPT_PAGES,
                            wait_ms: int = NODE_WAIT_MS) -> NodesOpened:
    """In the browser, click each year node / department tab (`node_label`) that loads a list into the page,
    wait until the list changes, keep its items in the DOM Scrapy receives and turn the list's own script
    下一页.  A click that navigates instead (`location.href = '/list_' + y`) is held and its URL written as a
    link (ul#nianbao-clicked).  The list on view first is kept as it is; the node on view (marked `on`/`active`,
    or the latest year the page loaded by itself: the first click that changes nothing before any did) is
    not counted as left; any other click that changes nothing is.  Bounded: at most
    `max_nodes` nodes, `wait_ms` per click, `max_pages` pages per node, and after NODE_MISSES clicks that
    changed nothing (and none that did) the rest are left."""
    from playwright.async_api import Error as PlaywrightError

    done = NodesOpened()
    misses = 0
    navigated: dict[str, tuple[str, str]] = {}
    held = await hold_navigation(page)
    repeats = await skip_repeats(page)
    try:
        found = await page.evaluate(NODES_FIND_JS, [SCRIPT_URL_RE.pattern, NODE_CANDIDATES])
        picks = [i for i, (text, _) in enumerate(found) if node_label(text)]
        if not picks:
            return done
        await page.evaluate(TAB_INIT_JS)
        await page.evaluate(TAB_KEEP_JS)  # the list on view before any click
        on_view = bool(await page.evaluate("() => window.__nbTabSig()"))  # a node's list loaded by itself
        for n, index in enumerate(picks):
            text = found[index][0]
            if n >= max_nodes or (misses >= NODE_MISSES and not done.opened):
                done.left.append(text)
                continue
            before = await page.evaluate("() => window.__nbTabSig()")
            here = page.url
            held.armed = True
            repeats.skipped.clear()
            await page.evaluate("(i) => window.__nbNodes[i].click()", index)
            held.armed = False
            urls = held.take()
            if urls:
                for url in urls:
                    navigated.setdefault(url, (text, text))
                done.opened.append(text)
                continue
            try:
                await page.wait_for_function(f"() => window.__nbTabSig() !== {before!r}", timeout=wait_ms)
            except PlaywrightError:
                if await _left(page, here):
                    done.left.extend(found[i][0] for i in picks[n:])
                    break
                if repeats.skipped:
                    continue  # its list was loaded (and kept) before: not asked again
                misses += 1
                if found[index][1] or (on_view and not done.opened):
                    on_view = False  # the node on view (marked so, or the first before any list changed)
                else:
                    done.left.append(text)
                continue
            done.opened.append(text)
            await settle(page, 1500)
            await turn_tab_pages(page, held, max_pages, wait_ms)
        if navigated:
            await page.evaluate(CLICK_KEEP_JS, list(navigated.items()))
    except PlaywrightError:
        pass
    finally:
        await repeats.release()
        await held.release()
    return done


@dataclass
class Repeats:
    """A page's list loads (GET XHR/fetch) already made: asked again by a node's click, they are not sent."""

    page: Any
    loaded: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    handler: Any = None

    async def release(self) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            await self.page.unroute("**/*", self.handler)
        except PlaywrightError:
            pass


LOADED_JS = ("() => performance.getEntriesByType('resource')"
             ".filter(e => ['xmlhttprequest', 'fetch'].includes(e.initiatorType)).map(e => e.name)")


async def skip_repeats(page: Any) -> Repeats:
    """While nodes are clicked, a GET XHR/fetch to a URL the page loaded already (the latest year's list the
    page loaded by itself, asked again by clicking its node) is aborted: its list was kept when it came
    (`TAB_KEEP_JS`), and the server is asked for each list once."""
    from playwright.async_api import Error as PlaywrightError

    repeats = Repeats(page, set(await page.evaluate(LOADED_JS)))

    async def handle(route: Any) -> None:
        request = route.request
        try:
            if request.method == "GET" and request.resource_type in ("xhr", "fetch"):
                if request.url in repeats.loaded:
                    repeats.skipped.append(request.url)
                    await route.abort("aborted")
                    return
                repeats.loaded.add(request.url)
            await route.fallback()
        except PlaywrightError:
            pass

    repeats.handler = handle
    await page.route("**/*", handle)
    return repeats


async def _left(page: Any, here: str) -> bool:
    """Whether a click took the page elsewhere by a navigation the hold does not catch (a form the node's
    script POSTs): the page is taken back to the list, and its nodes not clicked yet are left."""
    if page.url.split("#", 1)[0] == here.split("#", 1)[0]:
        return False
    await page.go_back()
    await settle(page)
    return True


def nodes_result(response: TextResponse) -> NodesOpened | None:
    """`open_script_nodes`' answer on a rendered page (None when the browser was not asked to open nodes)."""
    for method in response.meta.get("playwright_page_methods") or []:
        if getattr(getattr(method, "method", None), "__name__", "") == "open_script_nodes":
            result = getattr(method, "result", None)
            return result if isinstance(result, NodesOpened) else NodesOpened()
    return None
