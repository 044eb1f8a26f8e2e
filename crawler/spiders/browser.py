"""What is done inside chromium to a rendered page (scrapy-playwright page methods): turning a
script pager, scrolling an endless list, pressing 加载更多, clicking through an app's menus and
rows, and holding the navigations those clicks start.  The JavaScript they inject lives beside them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from crawler.spiders.links import COLUMN_RE, HASH_ROUTE_JS, SCRIPT_URL_RE
from crawler.spiders.navscore import DETOUR_WORDS, NEWS_WORDS
from crawler.spiders.pagers import LOAD_MORE_TEXT_RE

SCRIPT_PAGES = 20  # most list pages a browser turns through by clicking a script pager
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


# menu items worth a click on the way to the column (a click costs a round trip: only these)
CLICK_NAV_RE = re.compile(r"年报|年度报告|信息公开|政务公开|公开目录")
EXPLORE_CLICKS = 40  # most elements clicked on one rendered page (menu items, rows), over all its pages
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
# the pages the document's frames show: a tree node's click often loads its list into a frame, not the page
FRAME_SRCS_JS = "() => [...document.querySelectorAll('iframe[src], frame[src]')].map(f => f.src)"
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
# a first batch shorter than the window cannot be scrolled: no scroll event fires, and a list loading only on
# `scroll` never asks for more; the event is sent as the reader's scroll would send it
SCROLL_JS = """() => {
  window.scrollTo(0, document.documentElement.scrollHeight || document.body.scrollHeight);
  for (const e of document.querySelectorAll('ul, ol, div, section, tbody')) {
    if (e.scrollHeight > e.clientHeight + 20 && /(auto|scroll)/.test(getComputedStyle(e).overflowY)) {
      e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll'));
    }
  }
  window.dispatchEvent(new Event('scroll'));
  document.dispatchEvent(new Event('scroll'));
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


TAB_CLICKS = 12  # most tabs opened on one list page
TAB_MISSES = 2  # tabs whose click showed nothing new before the first that did: these are no list's tabs
# In chromium: a list's tabs (部门 tabs over one list box: <li class="tab" data-dept-id="15">教育局</li>, role=tab),
# clickable elements with no link of their own, at least two siblings alike; numbered in window.__nbTabs
TABS_FIND_JS = r"""([skipRe, max]) => {
  skipRe = new RegExp(skipRe);
  const groups = new Map();
  for (const e of document.body.querySelectorAll('li, span, div, a, button, [role=tab]')) {
    if (e.closest('#nianbao-clicked, #nianbao-script-pages') || e.offsetParent === null) continue;
    const h = (e.getAttribute('href') || '').trim();
    if (e.tagName === 'A' && h && !/^(#|javascript:)/i.test(h)) continue;  // a real link: Scrapy follows it
    if (e.querySelector('a[href], li, ul, table') || STATIC_OPEN_JS.test(e.getAttribute('onclick') || '')) continue;
    const cls = (e.getAttribute('class') || '') + ' ' + ((e.parentElement && e.parentElement.getAttribute('class')) || '');
    if (!(e.matches('[role=tab]') || /tab(?!le)/i.test(cls) || [...e.attributes].some(a => /^data-[\w-]*id$/i.test(a.name)))) continue;
    const t = (e.innerText || '').replace(/\s+/g, '');
    if (t.length < 2 || t.length > 20 || /^\d+$/.test(t) || skipRe.test(t)) continue;
    if (!groups.has(e.parentElement)) groups.set(e.parentElement, []);
    groups.get(e.parentElement).push(e);
  }
  window.__nbTabs = [...groups.values()].filter(g => g.length >= 2).flat().slice(0, max);
  return window.__nbTabs.map(e => /(^|\s)(on|active|cur|current|selected)(\s|$)/.test(e.getAttribute('class') || ''));
}""".replace("STATIC_OPEN_JS", "/" + SCRIPT_URL_RE.pattern.replace("/", "\\/") + "/")
TAB_INIT_JS = r"""() => {
  window.__nbShown = () => [...document.querySelectorAll('li a[href], tr a[href], dd a[href], dt a[href]')]
    .filter(a => !a.closest('#nianbao-clicked, #nianbao-script-pages'));
  window.__nbTabSig = () => window.__nbShown().map(a => a.href).join('|');
  window.__nbTabKept = window.__nbTabKept || new Set();
}"""
# the items shown now, copied into a list of their own: the next tab or page replaces them in the box
TAB_KEEP_JS = r"""() => {
  let keep = document.getElementById('nianbao-script-pages');
  if (!keep) { keep = document.createElement('ul'); keep.id = 'nianbao-script-pages'; document.body.appendChild(keep); }
  for (const a of window.__nbShown()) {
    if (window.__nbTabKept.has(a.href)) continue;
    window.__nbTabKept.add(a.href);
    const it = a.closest('li,tr,dd,dt'), li = document.createElement('li'), span = document.createElement('span');
    li.innerHTML = a.outerHTML; span.textContent = ' ' + (it ? it.innerText : ''); li.appendChild(span); keep.appendChild(li);
  }
}"""
# a 下一页 inside the tab's list with no link of its own (<span data-page="2">下一页</span> read by a listener)
TAB_NEXT_JS = r"""() => {
  const next = [...document.querySelectorAll('a, button, span, li, div, [onclick]')]
    .filter(e => e.offsetParent !== null && !e.matches('[disabled],.disabled') && !e.closest('#nianbao-script-pages')
                 && !e.querySelector('a, span, li, div'))
    .find(e => /^(下一页|下页|后页|next|>|›|»|>>)$/i.test((e.innerText || '').replace(/\s+/g, '')));
  if (!next) return false;
  const h = (next.getAttribute('href') || '').trim();
  if (next.tagName === 'A' && h && !/^(#|javascript:)/i.test(h)) return false;  // a real link: Scrapy follows it
  window.__nbTabLast = window.__nbTabSig();
  next.click();
  return true;
}"""


async def turn_tab_pages(page: Any, held: HeldNavigation, max_pages: int, wait_ms: int) -> None:
    """Keep the list a tab (or a script node) shows and turn its own script pager, keeping each page's
    items: the pager of a list loaded into one box is in no link either.  Shared by the tab and the
    script-node openers so both read a loaded list the same way."""
    from playwright.async_api import Error as PlaywrightError

    await page.evaluate(TAB_KEEP_JS)
    for _ in range(max_pages):
        held.armed = True
        moved = await page.evaluate(TAB_NEXT_JS)
        held.armed = False
        held.take()
        if not moved:
            break
        try:
            await page.wait_for_function("() => window.__nbTabSig() !== window.__nbTabLast", timeout=wait_ms)
        except PlaywrightError:
            break
        await settle(page, 1500)
        await page.evaluate(TAB_KEEP_JS)


async def open_tabs(page: Any, max_tabs: int = TAB_CLICKS, max_pages: int = SCRIPT_PAGES, wait_ms: int = 3000) -> int:
    """In the browser, open each tab of a list (a county's 部门 tabs loading each body's list into one box
    by XHR) and turn each tab's own script pager, keeping every list shown in the DOM Scrapy receives.
    A person reads the column this way; the tabs' URLs are in no link.  The tab already shown is kept
    first; a click that changes nothing within `wait_ms` moves on, and after TAB_MISSES such clicks and none
    that showed a list the elements are taken for no list's tabs.  Bounded by `max_tabs` tabs and
    `max_pages` pages per tab; a navigation a click starts is held (the list stays).  Returns the tabs
    whose click showed another list."""
    from playwright.async_api import Error as PlaywrightError

    opened = misses = 0
    held = await hold_navigation(page)
    try:
        shown = await page.evaluate(TABS_FIND_JS, ["|".join(DETOUR_WORDS + NEWS_WORDS + ("上一页", "下一页", "首页", "尾页")),
                                                   max_tabs])
        if not shown:
            return 0
        await page.evaluate(TAB_INIT_JS)
        order = sorted(range(len(shown)), key=lambda i: not shown[i])  # the tab on view first
        for index in order:
            if not shown[index]:
                before = await page.evaluate("() => window.__nbTabSig()")
                held.armed = True
                await page.evaluate("(i) => window.__nbTabs[i].click()", index)
                held.armed = False
                held.take()
                try:
                    await page.wait_for_function(f"() => window.__nbTabSig() !== {before!r}", timeout=wait_ms)
                except PlaywrightError:
                    misses += 1
                    if misses >= TAB_MISSES and not opened:
                        break
                    continue
                opened += 1
                await settle(page, 1500)
            await turn_tab_pages(page, held, max_pages, wait_ms)
    except PlaywrightError:
        pass
    finally:
        await held.release()
    return opened


# what a list API's JSON calls its count of rows and its rows (top level, or inside its `data` object)
TOTAL_KEYS = ("total", "totalCount", "total_count", "totalRecord", "totalRecords", "recordsTotal", "totalElements",
              "totalNum")
ROWS_KEYS = ("data", "rows", "list", "records", "items", "result", "results", "dataList", "content")


def json_counts(answer: Any) -> tuple[int, int] | None:
    """(the total a list API's JSON announces, the rows it sent), or None when it is no such answer or its
    rows name no report (a sidebar's news feed counts its own thousands)."""
    for holder in (answer, answer.get("data") if isinstance(answer, dict) else None):
        if not isinstance(holder, dict):
            continue
        total = next((v for k in TOTAL_KEYS if isinstance(v := holder.get(k), int) and not isinstance(v, bool)), None)
        rows = next((v for k in ROWS_KEYS if isinstance(v := holder.get(k), list)), None)
        if total is not None and rows is not None and COLUMN_RE.search(json.dumps(rows, ensure_ascii=False)):
            return total, len(rows)
    return None


class JsonTally:
    """A rendered list's page-event handler (scrapy-playwright's `playwright_page_event_handlers`): per list
    API path, the largest total its JSON announced and the rows it sent, so a list whose API says 14 while
    only 10 reached the page (an endless list nothing made load more) is told apart from a whole one."""

    def __init__(self) -> None:
        self.seen: dict[str, list[int]] = {}  # API path: [total, rows sent]

    async def __call__(self, response: Any) -> None:
        try:
            if response.request.resource_type not in ("xhr", "fetch") \
                    or "json" not in (response.headers.get("content-type") or ""):
                return
            counts = json_counts(await response.json())
        except Exception:  # a torn body, a closed page: no count
            return
        if counts:
            key = response.url.split("?", 1)[0]
            total, rows = self.seen.setdefault(key, [0, 0])
            self.seen[key] = [max(total, counts[0]), rows + counts[1]]

    def shortfall(self) -> tuple[str, int, int] | None:
        """(API, total, rows sent) of an API that announced more rows than it sent, else None."""
        return next(((api, total, rows) for api, (total, rows) in self.seen.items() if total > rows > 0), None)


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
    noted and the list stays as it is, so ten rows cost one page load, not ten loads and ten returns.
    A click that loads another page into a frame names that page too, under the clicked text."""
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
                framed = set(await page.evaluate(FRAME_SRCS_JS))
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
                    # a node that loads its list into a frame (a zTree beside <iframe name=listFrame>) leads
                    # there as a link would: its text names the frame's page (`frame_label`)
                    loaded = [u for u in await page.evaluate(FRAME_SRCS_JS) if u not in framed]
                    for url in [*opened, *loaded]:
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
