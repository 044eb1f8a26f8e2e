"""Scrapy's downloader with one fix: a slot's concurrency cap holds even when its delay is 0; and
robots.txt's Crawl-delay is honoured per host (`FlooredSlot`), which Scrapy reads but never applies.

Seen with Scrapy 2.19: `Downloader._process_queue` pops queued requests while
`slot.free_transfer_slots() > 0`, but a request only joins `slot.transferring` when its download
coroutine starts running, a tick later.  Two requests queued in the same tick (two start URLs on
one host) were therefore both sent at concurrency 1.  Counting the request as transferring the
moment it is handed over closes the gap; `_download` adds it again (a set) and removes it when done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from time import monotonic
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.core.downloader import Slot
from scrapy.utils.misc import load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.navigation import page_guard

logger = logging.getLogger(__name__)

# what chromium never loads for a render: nothing the crawl reads is drawn by them, and they are most of a
# page's bytes (the pictures a report shows are fetched by Scrapy, from the DOM's src, as its files)
HEAVY_RESOURCES = frozenset({"image", "font", "media"})
# what a render loads unpaced even on a host with a Crawl-delay: the page's own scripts and styles come with
# the page view as a browser's would (spacing each by the delay would make a page of a few scripts outlast
# the navigation timeout); documents, frames, XHR and fetch are paced
UNPACED_RESOURCES = frozenset({"script", "stylesheet"})


def heavy_resource(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: pictures, fonts, audio and video are aborted in every render."""
    return request.resource_type in HEAVY_RESOURCES


def netloc_of(url: str) -> str:
    """host:port as the request's download slot names it (`BaseSpider.request`'s download_slot)."""
    return urlsplit(url).netloc.lower()



class FlooredSlot(Slot):
    """A slot whose delay never drops below the host's robots.txt Crawl-delay (`floor`): AutoThrottle
    lowers `delay` as the host answers fast, and the jitter takes up to half of it off again."""

    floor: float = 0.0
    answered: bool = False  # a download ended since the queue was last looked at

    def download_delay(self) -> float:
        return max(self.floor, super().download_delay())


class Downloader(ScrapyDownloader):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        # slot key (the request's download_slot: host:port) -> the Crawl-delay its robots.txt asks for
        self.crawl_delays: dict[str, float] = {}
        self.max_crawl_delay = self.settings.getfloat("NIANBAO_MAX_CRAWL_DELAY", 30.0)
        user_agent = self.settings.get("ROBOTSTXT_USER_AGENT") or self.settings.get("USER_AGENT") or "*"
        self.robots_agent = user_agent.split("/", 1)[0].strip() or "*"
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    def robots_parsed(self, robotparser: Any, request: Any) -> None:
        """A host's robots.txt was read: its Crawl-delay (for our agent, else *) becomes the least wait
        between two requests to that host, above DOWNLOAD_DELAY, AutoThrottle and the jitter; a
        registry entry's own download_delay (DOWNLOAD_SLOTS) still applies when it is longer.  A delay
        past NIANBAO_MAX_CRAWL_DELAY is capped there (a crawl of a few hundred pages would take days).
        Per process: in a distributed crawl (crawler/distributed.py) each worker keeps the delay on its
        own, so N workers on one host ask up to N times as often; slots are not shared through Redis."""
        try:
            delay = robotparser.crawl_delay(self.robots_agent)
        except (AttributeError, TypeError, ValueError):
            return
        try:
            delay = float(delay or 0)
        except (TypeError, ValueError):
            return
        if not delay > 0:  # none, 0, negative, NaN (a parser other than Protego may hand one through)
            return
        key = self.get_slot_key(request)
        floor = min(delay, self.max_crawl_delay)
        self.crawl_delays[key] = floor
        if key in self.slots:
            self._floor(self.slots[key], floor)
        logger.info("robots.txt of %s asks for Crawl-delay %s: at least %.1fs between its requests", key, delay, floor)

    def _floor(self, slot: Slot, floor: float) -> Slot:
        """The slot as one that keeps the floor: a new FlooredSlot in its place while it is idle (the usual
        case: a host's robots.txt is read before its first request reaches the slot), else its delay
        raised, which AutoThrottle may lower again."""
        if isinstance(slot, FlooredSlot):
            slot.floor = floor
            return slot
        if slot.queue or slot.transferring or slot.active:
            slot.delay = max(slot.delay, floor)
            return slot
        for key, value in list(self.slots.items()):
            if value is slot:
                new = FlooredSlot(slot.concurrency, slot.delay, slot.jitter)
                # the host answered (robots.txt, read just now): the delay counts from that answer
                new.floor, new.lastseen = floor, monotonic() if slot.lastseen else 0.0
                slot.close()
                self.slots[key] = new
                return new
        return slot

    def get_slot_key(self, request: Any) -> str:
        """robots.txt (asked by Scrapy's robots middleware, with no download_slot) in the slot of the
        host:port whose pages follow: it is a request to that host like any other, so the first page
        waits out the Crawl-delay after it, and the host's concurrency cap counts it."""
        if self.DOWNLOAD_SLOT not in request.meta and request.meta.get("dont_obey_robotstxt") \
                and urlsplit(request.url).path == "/robots.txt":
            return netloc_of(request.url)
        return super().get_slot_key(request)

    def _get_slot(self, request: Any, spider: Any = None) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request)
        floor = self.crawl_delays.get(key)
        if floor and getattr(slot, "floor", 0.0) != floor:
            slot = self._floor(slot, floor)
        return key, slot

    def _process_queue(self, slot: Slot) -> None:
        """A host asking for a Crawl-delay gets one request at a time, the delay counted from the end of
        the last answer (Scrapy counts it from the last start, so a slow answer, or a second request in
        flight, shortened the pause the server saw)."""
        if isinstance(slot, FlooredSlot):
            if slot.transferring:
                return  # the download ending calls this again
            if slot.answered:
                slot.answered = False
                slot.lastseen = monotonic()
        super()._process_queue(slot)

    def _wait_for_download(self, slot: Any, request: Any, queue_dfd: Any):  # returns the coroutine
        slot.transferring.add(request)
        if isinstance(slot, FlooredSlot):
            slot.answered = True
        return super()._wait_for_download(slot, request, queue_dfd)



class BoundedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler with a deadline on each browser render.

    DOWNLOAD_TIMEOUT does not reach a playwright request, and a page that keeps navigating (a JS
    challenge reloading itself) was seen to leave one request in flight for good, the crawl never
    closing.  After NIANBAO_RENDER_TIMEOUT seconds the render fails with a TimeoutError, an ordinary
    download error the spider's errback records (as "blocked: js challenge" for a challenge)."""

    async def _launch(self) -> None:
        with self._starting_up():
            await super()._launch()

    async def _maybe_launch_browser(self) -> None:
        if hasattr(self, "browser"):
            return await super()._maybe_launch_browser()
        with self._starting_up():
            await super()._maybe_launch_browser()

    @contextmanager
    def _starting_up(self) -> Iterator[None]:
        """Playwright's driver (at the engine's start) and chromium (at the first render) starting are
        progress to the stall watchdog (crawler/watchdog.py), not time lost waiting on a stuck page."""
        watchdog = getattr(self._crawler, "nianbao_watchdog", None)
        if watchdog is not None:
            watchdog.starting_up(True)
        try:
            yield
        finally:
            if watchdog is not None:
                watchdog.starting_up(False)

    def paced(self, then: Callable[[Any, Any], Awaitable[None]]) -> Callable[[Any, Any], Awaitable[None]]:
        """A page init callback pacing chromium's own requests to a host whose robots.txt asks for a
        Crawl-delay (the downloader's `crawl_delays`): each XHR, fetch, frame or later page load the
        page asks of that host waits until the delay has passed since the host's last request (Scrapy's
        or chromium's), and counts as the host's last request for Scrapy's next one (its slot's
        `lastseen`).  The render itself is a request of the host's slot, so two renders of one host are
        never closer than the delay either.  Pictures, fonts and media are never loaded (`heavy_resource`)."""
        downloader = getattr(getattr(self._crawler, "engine", None), "downloader", None)
        delays = getattr(downloader, "crawl_delays", None)
        last = self.host_last = getattr(self, "host_last", {})

        async def pace_page(page: Any, scrapy_request: Any) -> None:
            await then(page, scrapy_request)
            if not delays:
                return
            from playwright.async_api import Error as PlaywrightError

            opened = []  # the render's own page load: Scrapy's slot already spaced it

            async def handle(route: Any) -> None:
                pw = route.request
                key = netloc_of(pw.url)
                floor = delays.get(key)
                own = not opened and pw.is_navigation_request() and pw.frame == page.main_frame
                if own:
                    opened.append(pw.url)
                try:
                    if floor and not own and pw.resource_type not in UNPACED_RESOURCES:
                        slot = downloader.slots.get(key)
                        since = max(last.get(key, 0.0), getattr(slot, "lastseen", 0.0) or 0.0)
                        wait = since + floor - monotonic()
                        last[key] = monotonic() + max(wait, 0.0)
                        if wait > 0:
                            await asyncio.sleep(wait)
                        if slot is not None:
                            slot.lastseen = monotonic()
                    await route.fallback()
                except PlaywrightError:  # the page closed while the request waited
                    pass

            await page.route("**/*", handle)

        return pace_page

    async def _download_request(self, request: Any, spider: Any = None) -> Any:
        limit = self._crawler.settings.getfloat("NIANBAO_RENDER_TIMEOUT", 300.0)
        # the browser context is made by the first render: it checks certificates as Scrapy does
        # (NIANBAO_BROWSER_CONTEXT), so a county site's self-signed or expired certificate that Scrapy
        # fetched is not a browser failure
        request.meta.setdefault("playwright_context_kwargs", self._crawler.settings.getdict("NIANBAO_BROWSER_CONTEXT"))
        # the page's script must not take the browser off the entry's hosts (crawler/navigation.py)
        # (only for this download: a closure in the meta could not be queued again, e.g. in Redis)
        previous = request.meta.get("playwright_page_init_callback")
        request.meta["playwright_page_init_callback"] = self.paced(page_guard(
            spider or self._crawler.spider, request, load_object(previous) if previous else None))
        try:
            return await asyncio.wait_for(super()._download_request(request, spider), limit)
        except TimeoutError:
            logger.warning("browser render of %s took over %.0fs: given up", request.url, limit)
            raise TimeoutError(f"browser render took over {limit:.0f}s: {request.url}") from None
        finally:
            if previous is None:
                request.meta.pop("playwright_page_init_callback", None)
            else:
                request.meta["playwright_page_init_callback"] = previous
