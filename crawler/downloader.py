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
from time import monotonic
from typing import Any

from scrapy import signals
from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.core.downloader import Slot
from scrapy.utils.misc import load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.navigation import page_guard

logger = logging.getLogger(__name__)


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
                new.floor, new.lastseen = floor, slot.lastseen
                slot.close()
                self.slots[key] = new
                return new
        return slot

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

    async def _download_request(self, request: Any, spider: Any = None) -> Any:
        limit = self._crawler.settings.getfloat("NIANBAO_RENDER_TIMEOUT", 300.0)
        # the browser context is made by the first render: it checks certificates as Scrapy does
        # (NIANBAO_BROWSER_CONTEXT), so a county site's self-signed or expired certificate that Scrapy
        # fetched is not a browser failure
        request.meta.setdefault("playwright_context_kwargs", self._crawler.settings.getdict("NIANBAO_BROWSER_CONTEXT"))
        # the page's script must not take the browser off the entry's hosts (crawler/navigation.py)
        # (only for this download: a closure in the meta could not be queued again, e.g. in Redis)
        previous = request.meta.get("playwright_page_init_callback")
        request.meta["playwright_page_init_callback"] = page_guard(
            spider or self._crawler.spider, request, load_object(previous) if previous else None)
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
