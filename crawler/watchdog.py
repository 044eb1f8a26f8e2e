"""Nothing may stall an unattended crawl for ever.

Seen: a browser render that never returned kept one request in flight; Scrapy's engine then waits
for it without end (its log says "Crawled 1 pages (at 0 pages/min)" every minute), a SIGTERM's
graceful close waits for the same request, and the crawl lock stays held, so every later scheduled
run is skipped.  This extension watches for progress (a response, a failed download, an item, a
newly scheduled request).  No progress for NIANBAO_STALL_TIMEOUT seconds ends the run as
`stalled: …`; a SIGTERM/SIGINT ends it as `interrupted: …`.  Either way Scrapy gets
NIANBAO_SHUTDOWN_GRACE seconds to close cleanly; past that `on_force` (set by whoever owns the run)
records the run's end and the process exits, since a request stuck in the downloader never lets
Scrapy's close finish.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from scrapy import signals

logger = logging.getLogger(__name__)

EXIT_FORCED = 3


class Watchdog:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stall_after = crawler.settings.getfloat("NIANBAO_STALL_TIMEOUT", 900.0)
        self.grace = crawler.settings.getfloat("NIANBAO_SHUTDOWN_GRACE", 60.0)
        self.last = time.monotonic()
        self.starting = 0  # browser start-ups under way (`starting_up`): the crawl is busy, not stuck
        self.reason: str | None = None  # why the run ends early: "stalled: …" or "interrupted: …"
        self.on_force: Callable[[str], None] | None = None
        self._loop = self._timer = None
        for sig in (signals.response_received, signals.request_left_downloader, signals.item_scraped,
                    signals.request_scheduled):
            crawler.signals.connect(self.progress, signal=sig)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.nianbao_watchdog = self

    @classmethod
    def from_crawler(cls, crawler: Any) -> Watchdog:
        return cls(crawler)

    def progress(self, *args: Any, **kwargs: Any) -> None:
        self.last = time.monotonic()

    def starting_up(self, busy: bool) -> None:
        """The browser (Playwright's driver, chromium) starts on the first render, in the middle of the crawl:
        seconds on a loaded machine in which no response can arrive.  That is start-up, not a stall, so
        the clock stands still while it runs (`busy`) and restarts when it is done.  A start that hangs is
        bounded by Playwright's own launch timeout and NIANBAO_RENDER_TIMEOUT."""
        self.starting = max(0, self.starting + (1 if busy else -1))
        self.progress()

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.last = time.monotonic()
        self._loop = task.LoopingCall(self.check)
        self._loop.start(max(0.5, min(10.0, self.stall_after / 4)), now=False)

    def closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._timer is not None and self._timer.active():
            self._timer.cancel()

    def in_flight(self) -> list[str]:
        engine = getattr(self.crawler, "engine", None)
        active = getattr(getattr(engine, "downloader", None), "active", None) or ()
        # the engine's own list also has requests waiting before the downloader (robots.txt first)
        waiting = getattr(getattr(engine, "_slot", None), "inprogress", None) or ()
        return sorted({r.url for r in (*active, *waiting)})

    def check(self) -> None:
        if self.starting:
            self.progress()
        idle = time.monotonic() - self.last
        if self.reason is not None or idle < self.stall_after:
            return
        urls = self.in_flight()
        waiting = f"; waiting on {len(urls)} request(s): {', '.join(urls[:3])}" if urls else ""
        self.end(f"stalled: no progress for {idle:.0f}s{waiting}", "stalled")

    def end(self, reason: str, finish_reason: str) -> None:
        """Close the spider now; force the end if Scrapy cannot close within the grace period."""
        self.reason = reason
        logger.error("ending the crawl: %s", reason)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(self.crawler, "spider", None) is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason=finish_reason))
        self.arm()

    def interrupted(self, signum: int) -> None:
        """A shutdown signal: Scrapy closes gracefully; this bounds how long that may take."""
        import signal as _signal

        if self.reason is None:
            self.reason = f"interrupted: {_signal.Signals(signum).name}"
        self.arm()

    def arm(self) -> None:
        from twisted.internet import reactor

        if self._timer is None or not self._timer.active():
            self._timer = reactor.callLater(self.grace, self.force)

    def force(self) -> None:
        reason = self.reason or "interrupted"
        urls = self.in_flight()
        logger.error("the crawl did not close within %.0fs (%s); %d request(s) still in flight%s: ending it",
                     self.grace, reason, len(urls), f" ({', '.join(urls[:3])})" if urls else "")
        try:
            if self.on_force is not None:
                self.on_force(reason)
        finally:
            logging.shutdown()
            os._exit(EXIT_FORCED)
