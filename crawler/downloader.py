"""Scrapy's downloader with one fix: a slot's concurrency cap holds even when its delay is 0.

Seen with Scrapy 2.19: `Downloader._process_queue` pops queued requests while
`slot.free_transfer_slots() > 0`, but a request only joins `slot.transferring` when its download
coroutine starts running, a tick later.  Two requests queued in the same tick (two start URLs on
one host) were therefore both sent at concurrency 1.  Counting the request as transferring the
moment it is handed over closes the gap; `_download` adds it again (a set) and removes it when done.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.utils.misc import load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.navigation import page_guard

logger = logging.getLogger(__name__)


class Downloader(ScrapyDownloader):
    def _wait_for_download(self, slot: Any, request: Any, queue_dfd: Any):  # returns the coroutine
        slot.transferring.add(request)
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
