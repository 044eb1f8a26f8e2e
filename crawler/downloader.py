"""Scrapy's downloader with one fix: a slot's concurrency cap holds even when its delay is 0; and
robots.txt's Crawl-delay is honoured per host (`FlooredSlot`), which Scrapy reads but never applies;
and the cap counts chromium's own requests to the host during a render (`HostSlot`); and a Retry-After
(429/503) holds the whole host, not only the URL that got it; and in a distributed run the host's cap,
delay and Retry-After hold for the whole fleet (crawler/fleet.py), not per worker.

Seen with Scrapy 2.19: `Downloader._process_queue` pops queued requests while
`slot.free_transfer_slots() > 0`, but a request only joins `slot.transferring` when its download
coroutine starts running, a tick later.  Two requests queued in the same tick (two start URLs on
one host) were therefore both sent at concurrency 1.  Counting the request as transferring the
moment it is handed over closes the gap; `_download` adds it again (a set) and removes it when done.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from time import monotonic
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.core.downloader import Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.fleet import LEASE_MARGIN, FleetGate
from crawler.navigation import page_guard
from crawler.served import WIRE_HEADERS, fulfil, served_for

logger = logging.getLogger(__name__)

# what chromium never loads for a render: nothing the crawl reads is drawn by them, and they are most of a
# page's bytes (the pictures a report shows are fetched by Scrapy, from the DOM's src, as its files)
HEAVY_RESOURCES = frozenset({"image", "font", "media"})
# what a render loads unpaced even on a host with a Crawl-delay: the page's own scripts and styles come with
# the page view as a browser's would (spacing each by the delay would make a page of a few scripts outlast
# the navigation timeout); documents, frames, XHR and fetch are paced
UNPACED_RESOURCES = frozenset({"script", "stylesheet"})
ROBOTS_READ = 5.0  # seconds a distributed worker keeps a host's place after its robots.txt answer, until it is read
SCRIPT_FILES = 64  # script files kept per crawl to answer later renders' loads of them (`ScriptFiles`)
SCRIPT_FILE_BYTES = 1 << 20
BROWSER_PLACE_POLL = 0.02  # seconds between two looks for a free place on a host for a chromium request
FLEET_POLL = 0.1  # seconds between two asks for a fleet lease for a chromium request (crawler/fleet.py's POLL)


class ScriptFiles:
    """The script files chromium loaded in this crawl's renders, kept to answer the next render's load of the
    same file (a list rendered page after page asks for its /js/page.js on every page, as a browser with a
    cache would not).  Only whole 200 answers to a GET, at most SCRIPT_FILES of them, SCRIPT_FILE_BYTES each."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[dict[str, str], bytes]] = {}
        self.tasks: set[asyncio.Task] = set()

    def get(self, request: Any) -> tuple[dict[str, str], bytes] | None:
        if request.resource_type != "script" or request.method != "GET":
            return None
        return self.kept.get(request.url)

    def offer(self, response: Any) -> None:
        """Keep a script file's answer (read in the background: the event handler is not async)."""
        request = response.request
        if request.resource_type != "script" or request.method != "GET" or response.status != 200 \
                or request.url in self.kept or len(self.kept) >= SCRIPT_FILES:
            return
        task = asyncio.ensure_future(self._keep(request.url, response))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _keep(self, url: str, response: Any) -> None:
        try:
            body = await response.body()
        except Exception:  # the page closed, the body was evicted: not kept
            return
        if len(body) <= SCRIPT_FILE_BYTES:
            headers = {k: v for k, v in response.headers.items() if k.lower() not in WIRE_HEADERS}
            self.kept.setdefault(url, (headers, body))


def heavy_resource(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: pictures, fonts, audio and video are aborted in every render."""
    return request.resource_type in HEAVY_RESOURCES


def netloc_of(url: str) -> str:
    """host:port as the request's download slot names it (`BaseSpider.request`'s download_slot)."""
    return urlsplit(url).netloc.lower()


async def server_address(request: Any) -> str | None:
    """address:port the request's host name resolves to (through the crawl's resolver and its DNS
    cache, the one its connection will use); None when the name does not resolve (its request then
    fails with its own reason)."""
    parts = urlparse_cached(request)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    except ValueError:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        from twisted.internet import reactor

        try:
            address = ipaddress.ip_address(await maybe_deferred_to_future(reactor.resolve(host)))
        except Exception:  # an unknown name, a DNS timeout: not this method's to report
            return None
    return f"[{address}]:{port}" if address.version == 6 else f"{address}:{port}"


class HostSlot(Slot):
    """A download slot that also counts chromium's own requests to its host (a rendered page's script
    files, XHR, frames), so the host's concurrency cap binds Scrapy's requests and the browser's
    together.  Each render in the slot holds one place (it is a request of the slot); chromium's open
    requests to the host beyond one per render take further places (`browser_open`, kept by
    `BoundedPlaywrightHandler.paced`)."""

    key: str = ""
    browser_open: dict[str, int] | None = None  # the downloader's: slot key -> chromium requests open
    held_until: float = 0.0  # monotonic time before which nothing is sent (the host's Retry-After)
    leases: dict[Any, str] | None = None  # request -> its fleet lease (a distributed run)
    least: float = 0.0  # the registry's download_delay for the host: AutoThrottle never goes below it
    peers: Callable[[], list[HostSlot]] | None = None  # the slots of every name of this server (`Downloader.peers`)

    def download_delay(self) -> float:
        return max(self.least, super().download_delay())

    def browser_extra(self) -> int:
        renders = sum(1 for r in self.transferring if r.meta.get("playwright"))
        return max(0, (self.browser_open or {}).get(self.key, 0) - renders)

    def in_flight(self) -> int:
        """Places of the host taken now: Scrapy's requests (a render holding one) and chromium's beyond."""
        return len(self.transferring) + self.browser_extra()

    def server_cap(self) -> int:
        """The cap of the server this host name reaches: the strictest of its names' caps."""
        return min([self.concurrency, *(p.concurrency for p in (self.peers() if self.peers else []))])

    def server_free(self) -> int:
        """Free places on the server this host name reaches, shared with its other names (a large
        number when the server has this one name only)."""
        peers = self.peers() if self.peers else []
        if len(peers) < 2:
            return 1 << 30
        return self.server_cap() - sum(p.in_flight() for p in peers)

    def free_transfer_slots(self) -> int:
        return min(super().free_transfer_slots() - self.browser_extra(), self.server_free())


class FlooredSlot(HostSlot):
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
        # slot key -> chromium's requests open to that host now (`HostSlot`, `BoundedPlaywrightHandler.paced`)
        self.browser_open: dict[str, int] = {}
        self.max_crawl_delay = self.settings.getfloat("NIANBAO_MAX_CRAWL_DELAY", 30.0)
        user_agent = self.settings.get("ROBOTSTXT_USER_AGENT") or self.settings.get("USER_AGENT") or "*"
        self.robots_agent = user_agent.split("/", 1)[0].strip() or "*"
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.answered, signal=signals.response_downloaded)
        self.retry_after_max = self.settings.getfloat("NIANBAO_RETRY_AFTER_MAX", 120.0)
        self.lease_ttl = self.settings.getfloat("DOWNLOAD_TIMEOUT", 60.0) + LEASE_MARGIN
        self.render_lease_ttl = self.settings.getfloat("NIANBAO_RENDER_TIMEOUT", 300.0) + LEASE_MARGIN
        self.fleet = FleetGate.from_settings(self.settings)  # None: a single process, its own slots do it all
        self.robots_read: set[str] = set()  # hosts whose robots.txt was read (`_robots_unread`)
        # slot key -> a registry entry's download_delay (crawler/run.py `download_slots`).  Scrapy gives it
        # to the slot as its first delay only, and AutoThrottle then talks it down to DOWNLOAD_DELAY as the
        # host answers fast: a source asking for 2 s between requests got 0.4 s by the sixth
        self.least_delays = {key: float(cfg["delay"]) for key, cfg in self.settings.getdict("DOWNLOAD_SLOTS").items()
                             if isinstance(cfg, dict) and cfg.get("delay")}
        self.robots_answered: dict[str, float] = {}
        # slot key (host:port) -> the server it reaches (resolved address:port), and the names of each server
        self.server_of: dict[str, str] = {}
        self.names: dict[str, set[str]] = {}

    def robots_parsed(self, robotparser: Any, request: Any) -> None:
        """A host's robots.txt was read: its Crawl-delay (for our agent, else *) becomes the least wait
        between two requests to that host, above DOWNLOAD_DELAY, AutoThrottle and the jitter; a
        registry entry's own download_delay (DOWNLOAD_SLOTS) still applies when it is longer.  A delay
        past NIANBAO_MAX_CRAWL_DELAY is capped there (a crawl of a few hundred pages would take days).
        In a distributed crawl the delay is also handed to the fleet's gate (crawler/fleet.py), so every
        worker keeps it together: the host sees one client, not N."""
        self.robots_read.add(self.get_slot_key(request))  # its fleet lease may go (`_robots_unread`)
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
        if self.fleet is not None:
            self.fleet.set_floor(key, floor)
        if key in self.slots:
            self._floor(self.slots[key], floor)
        logger.info("robots.txt of %s asks for Crawl-delay %s: at least %.1fs between its requests", key, delay, floor)

    def answered(self, response: Any, request: Any, spider: Any = None) -> None:
        """A 429 or 503 with Retry-After holds the whole host, not only the URL the retry middleware
        sends again: the server asked the client to wait, and the next request of the host (queued
        here, or sent by another worker) is the same client.  Called as the answer arrives, before the
        slot sends its next request."""
        if response.status not in (429, 503):
            return
        from crawler.middlewares import retry_after_seconds

        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if not delay or delay <= 0:
            return
        delay = min(delay, self.retry_after_max)
        key = self.get_slot_key(request)
        slot = self.slots.get(key)
        if isinstance(slot, HostSlot):
            slot.held_until = max(slot.held_until, monotonic() + delay)
        if self.fleet is not None:
            self.fleet.hold(key, delay)
        logger.info("%s answered %s with Retry-After %s: nothing more is sent to it for %.1fs", key,
                    response.status, response.headers.get("Retry-After", b"").decode("latin-1"), delay)

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
                new = self._replace(key, slot, FlooredSlot)
                # the host answered (robots.txt, read just now): the delay counts from that answer
                new.floor, new.lastseen = floor, monotonic() if slot.lastseen else 0.0
                return new
        return slot

    def _replace(self, key: str, slot: Slot, cls: type[HostSlot]) -> HostSlot:
        """An idle slot made a `cls` in its place (its settings kept), counting chromium's requests to the host."""
        new = cls(slot.concurrency, slot.delay, slot.jitter)
        new.key, new.browser_open, new.lastseen = key, self.browser_open, slot.lastseen
        new.peers = partial(self.peers, key)
        # what the host owes: its Retry-After, and the fleet places of answers not yet given back (a
        # robots.txt being read); lost with the old slot, a place stayed taken until its lease expired
        new.held_until, new.leases = getattr(slot, "held_until", 0.0), getattr(slot, "leases", None)
        new.least = getattr(slot, "least", 0.0)
        slot.close()
        self.slots[key] = new
        if new.leases:
            new.latercall = call_later(0.05, self._latercall, new)
        return new

    def peers(self, key: str) -> list[HostSlot]:
        """The slots of every host name that reaches the server `key` reaches (itself included)."""
        names = self.names.get(self.server_of.get(key, ""), ())
        return [slot for name in names if isinstance(slot := self.slots.get(name), HostSlot)]

    async def _enqueue_request(self, request: Any) -> Any:
        """The host name's server is known before its first request is queued: the cap is the server's."""
        key = self.get_slot_key(request)
        if key not in self.server_of:
            server = await server_address(request)
            if key not in self.server_of:
                self.learn_server(key, server or key)
        return await super()._enqueue_request(request)

    def learn_server(self, key: str, server: str) -> None:
        """The host name `key` (host:port) reaches `server` (address:port).  A small government portal is
        one machine under several names (`www.` and `xxgk.`, or 127.0.0.1 and localhost): the names of
        one server share one cap, the strictest of theirs, as Scrapy's CONCURRENT_REQUESTS_PER_IP does;
        delays, Crawl-delay, Retry-After and robots.txt stay each name's own."""
        self.server_of[key] = server
        names = self.names.setdefault(server, set())
        names.add(key)
        if len(names) > 1:
            logger.info("%s reach one server (%s): they share its cap", ", ".join(sorted(names)), server)

    async def _download(self, slot: Slot, request: Any) -> Any:
        try:
            return await super()._download(slot, request)
        finally:
            self.wake_peers(slot)

    def wake_peers(self, slot: Slot) -> None:
        """A place on the server came free: the queues of its other names may move on too (Scrapy moves
        only the slot whose download ended)."""
        if isinstance(slot, HostSlot) and slot.peers is not None:
            for peer in slot.peers():
                if peer is not slot and peer.queue:
                    self._process_queue(peer)

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
        if not isinstance(slot, HostSlot):  # made just now by Scrapy, still idle
            slot = self._replace(key, slot, HostSlot)
            slot.least = self.least_delays.get(key, 0.0)
        floor = self.crawl_delays.get(key)
        if floor and getattr(slot, "floor", 0.0) != floor:
            slot = self._floor(slot, floor)
        return key, slot

    def _process_queue(self, slot: Slot) -> None:
        """A host asking for a Crawl-delay gets one request at a time, the delay counted from the end of
        the last answer (Scrapy counts it from the last start, so a slow answer, or a second request in
        flight, shortened the pause the server saw).  A host under Retry-After waits it out.  In a
        distributed run the fleet's gate decides instead (`_process_fleet`)."""
        if self.fleet is not None and isinstance(slot, HostSlot):
            self._process_fleet(slot)
            if self.fleet is not None:
                return
        if isinstance(slot, HostSlot) and not slot.latercall:
            held = slot.held_until - monotonic()
            if held > 0:
                slot.latercall = call_later(held, self._latercall, slot)
                return
        if isinstance(slot, FlooredSlot):
            if slot.transferring:
                return  # the download ending calls this again
            if slot.answered:
                slot.answered = False
                slot.lastseen = monotonic()
        super()._process_queue(slot)

    def _process_fleet(self, slot: HostSlot) -> None:
        """Send the slot's queued requests as the fleet's gate allows: a free place on the host for the
        whole fleet and its "not before" time passed.  The slot's own cap still holds (a worker never
        takes more places than the host's cap).  A download that ended gives its place back first,
        with the Crawl-delay counted from its answer."""
        fleet = self.fleet
        slot.leases = {} if slot.leases is None else slot.leases
        for request, lease in list(slot.leases.items()):
            if request in slot.transferring:
                continue
            if self._robots_unread(slot, request):
                continue  # its Crawl-delay, once read, counts from its answer for every worker
            del slot.leases[request]
            fleet.release(slot.key, lease, slot.download_delay() if isinstance(slot, FlooredSlot) else 0.0,
                          server=self.server_of.get(slot.key))
        if slot.latercall:
            return
        while slot.queue and slot.free_transfer_slots() > 0:
            if isinstance(slot, FlooredSlot) and slot.transferring:
                return
            request = slot.queue[0][0]
            ttl = self.render_lease_ttl if request.meta.get("playwright") else self.lease_ttl
            grant = fleet.acquire(slot.key, slot.server_cap(), slot.download_delay(), ttl,
                                  server=self.server_of.get(slot.key))
            if grant is None:  # Redis failed: this worker's own slots from here (the caller goes on)
                self.fleet = None
                return
            wait, lease = grant
            if lease is None:
                slot.latercall = call_later(wait, self._latercall, slot)
                return
            request, queue_dfd = slot.queue.popleft()
            slot.leases[request] = lease
            slot.lastseen = monotonic()
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))

    def _robots_unread(self, slot: HostSlot, request: Any) -> bool:
        """A robots.txt answered but not yet read keeps its place on the host (at most ROBOTS_READ s):
        given back at once, another worker's request went out before the Crawl-delay it asks for was
        known to the fleet (seen: 0.05 s after the answer)."""
        if urlsplit(request.url).path != "/robots.txt" or slot.key in self.robots_read:
            return False
        since = self.robots_answered.setdefault(slot.key, monotonic())
        if monotonic() - since >= ROBOTS_READ:
            return False
        if not slot.latercall:
            slot.latercall = call_later(0.05, self._latercall, slot)
        return True

    def close(self) -> None:
        """The places this worker still holds go back to the fleet (a request cut off by the close)."""
        if self.fleet is not None:
            for key, slot in list(self.slots.items()):
                for lease in (getattr(slot, "leases", None) or {}).values():
                    self.fleet.release(key, lease, server=self.server_of.get(key))
        super().close()

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
    download error the spider's errback records (as "blocked: js challenge" for a challenge).

    Its plain (non-browser) requests go through Scrapy's HTTP/1.1 client, whose connection pool sends a
    GET again at once, on a new connection, when a reused keep-alive connection closes before the
    answer (Twisted's retry for a stale connection, RFC 9112 §9.3.1).  It stays on: with it off, a
    server closing idle keep-alive connections (Python's http.server does) lost pages that a stale
    connection had swallowed (a flaky tests/test_withdrawals.py).  The cost, measured at the server:
    a page that resets every connection gets up to two requests per attempt of BackoffRetryMiddleware."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)

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
        """A page init callback holding chromium's own requests to the hosts' politeness, as Scrapy's are held:

        - the cap: a request the page asks of a host (its own load, script files, XHR, fetch, frames) waits
          until the host has a free place, Scrapy's requests in flight there and chromium's open ones
          counted together (`HostSlot`: at most the host's concurrency, 2 by default), and holds it until
          it is answered or fails;
        - the delay: on a host whose robots.txt asks for a Crawl-delay (the downloader's `crawl_delays`)
          each XHR, fetch, frame or later page load waits until the delay has passed since the host's last
          request or answer (Scrapy's or chromium's: the render's own page load leaves some time after
          Scrapy's slot let it go), and counts as the host's last request for Scrapy's next one (its
          slot's `lastseen`).  The render itself is a request of the host's slot, so two renders of one
          host are never closer than the delay either.

        Pictures, fonts and media are never loaded (`heavy_resource`), so they take no place.  A render
        that follows a plain fetch of its page is answered from that fetch (crawler/served.py): its own
        page load then reaches no server and takes no place."""
        downloader = getattr(getattr(self._crawler, "engine", None), "downloader", None)
        delays = getattr(downloader, "crawl_delays", None)
        last = self.host_last = getattr(self, "host_last", {})
        scripts = self.script_files = getattr(self, "script_files", ScriptFiles())

        async def pace_page(page: Any, scrapy_request: Any) -> None:
            await then(page, scrapy_request)
            if downloader is None or not hasattr(downloader, "browser_open"):
                return
            from playwright.async_api import Error as PlaywrightError

            opened = []  # the render's own page load: Scrapy's slot already spaced it
            held: dict[Any, str] = {}  # chromium's requests holding a place: request -> host key
            own_host = netloc_of(scrapy_request.url)
            riding: list[Any] = []  # the chromium request open on the render's own fleet lease (one at most)
            leased: dict[Any, str] = {}  # chromium requests holding a fleet lease of their own: -> lease

            def release(pw: Any) -> None:
                while pw is not None:  # a redirect's hops: the first holds the place
                    key = held.pop(pw, None)
                    if key is not None:
                        self.release_place(downloader, key)
                    if riding and riding[0] is pw:
                        riding.clear()
                    lease = leased.pop(pw, None)
                    if lease is not None and getattr(downloader, "fleet", None) is not None:
                        downloader.fleet.release(own_host, lease, server=downloader.server_of.get(own_host))
                    pw = pw.redirected_from

            def release_all(*_: Any) -> None:
                for pw in list(held):
                    release(pw)

            async def handle(route: Any) -> None:
                pw = route.request
                if heavy_resource(pw):  # aborted by scrapy-playwright's own handler: never sent
                    await route.fallback()
                    return
                key = netloc_of(pw.url)
                floor = (delays or {}).get(key)
                kept = scripts.get(pw)
                if kept is not None:  # a script file an earlier render of this crawl loaded: not asked again
                    with suppress(PlaywrightError):
                        await route.fulfill(status=200, headers=kept[0], body=kept[1])
                    return
                own = not opened and pw.is_navigation_request() and pw.frame == page.main_frame
                if own:
                    opened.append(pw.url)
                    served = served_for(scrapy_request.meta, pw.url, pw.method)
                    if served is not None:  # the plain answer the crawl already has: no second fetch
                        # scrapy-playwright's own route never sees this load: unless told it happened, it
                        # takes the page's next navigation to the URL (a WebForms postback's POST) for
                        # the Scrapy request and sends it as a GET
                        initial = self.initial_loads.pop(id(scrapy_request.headers), None)
                        if initial is not None:
                            initial.set()
                        with suppress(PlaywrightError):  # the page closed meanwhile
                            await fulfil(route, served)
                        return
                try:
                    if not await self.take_place(downloader, key, page):
                        return  # the page closed while the request waited: it is never sent
                    held[pw] = key
                    if key == own_host and not own and pw.resource_type not in UNPACED_RESOURCES \
                            and not await self.take_fleet_place(downloader, key, pw, page, riding, leased):
                        release(pw)
                        return
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
                    release(pw)

            def answered(response: Any) -> None:
                # the delay counts from the host's last answer, as Scrapy's does: the page's own load was
                # sent by scrapy-playwright some time after Scrapy's slot let it go
                key = netloc_of(response.url)
                if (delays or {}).get(key):
                    last[key] = max(last.get(key, 0.0), monotonic())
                scripts.offer(response)

            page.on("response", answered)
            page.on("requestfinished", release)
            page.on("requestfailed", release)
            page.on("close", release_all)
            await page.route("**/*", handle)

        return pace_page

    def _make_request_handler(self, *args: Any, **kwargs: Any) -> Callable:
        """scrapy-playwright's route for a render, its "initial request seen" event kept (by the Scrapy
        request's headers, the one object of the request it is given) for a load answered from the
        plain fetch (`paced`)."""
        initial, headers = kwargs.get("initial_request_done"), kwargs.get("headers")
        if initial is not None and headers is not None:
            self.initial_loads[id(headers)] = initial
        return super()._make_request_handler(*args, **kwargs)

    @property
    def initial_loads(self) -> dict[int, asyncio.Event]:
        if not hasattr(self, "_initial_loads"):
            self._initial_loads: dict[int, asyncio.Event] = {}
        return self._initial_loads

    @staticmethod
    async def take_place(downloader: Any, key: str, page: Any) -> bool:
        """Wait until the host has a free place for one more chromium request, and take it: Scrapy's
        plain requests in flight there and chromium's open ones under the host's concurrency (a host
        Scrapy never asked, a CDN, gets the default per-host cap).  False when the page closed first."""
        while not page.is_closed():
            slot = downloader.slots.get(key)
            cap = slot.concurrency if slot is not None else getattr(downloader, "domain_concurrency", 2) or 2
            plain = sum(1 for r in slot.transferring if not r.meta.get("playwright")) if slot is not None else 0
            if plain + downloader.browser_open.get(key, 0) < cap:
                downloader.browser_open[key] = downloader.browser_open.get(key, 0) + 1
                if not isinstance(slot, HostSlot) or slot.server_free() >= 0:
                    return True  # counted with this one, the server's other names are not over its cap
                downloader.browser_open[key] -= 1
            await asyncio.sleep(BROWSER_PLACE_POLL)
        return False

    @staticmethod
    async def take_fleet_place(downloader: Any, key: str, pw: Any, page: Any, riding: list[Any],
                               leased: dict[Any, str]) -> bool:
        """In a distributed run, a chromium request to the render's own host (a document, frame, XHR or
        fetch: what a list render asks the portal for) holds a place of the whole fleet, as Scrapy's
        requests do (crawler/fleet.py): one such request at a time rides on the render's own lease, each
        further one waits for a lease of its own.  So the host's cap holds for the fleet's browsers too,
        not only per worker.  False when the page closed first; True at once without a fleet."""
        while not page.is_closed():
            fleet = getattr(downloader, "fleet", None)
            if fleet is None:
                return True  # a single process (or Redis failed): the worker's own places do it
            if not riding:
                riding.append(pw)
                return True
            slot = downloader.slots.get(key)
            cap = slot.concurrency if slot is not None else getattr(downloader, "domain_concurrency", 2) or 2
            grant = fleet.acquire(key, slot.server_cap() if isinstance(slot, HostSlot) else cap, 0.0,
                                  downloader.render_lease_ttl, server=downloader.server_of.get(key))
            if grant is None:
                return True
            wait, lease = grant
            if lease is not None:
                leased[pw] = lease
                return True
            await asyncio.sleep(min(max(wait, FLEET_POLL), 1.0))
        return False

    @staticmethod
    def release_place(downloader: Any, key: str) -> None:
        """A chromium request to the host ended: its place is free again, and Scrapy's queue for the host
        may move on (nothing else would wake it while a render still holds its slot)."""
        downloader.browser_open[key] = max(0, downloader.browser_open.get(key, 0) - 1)
        slot = downloader.slots.get(key)
        if slot is not None and slot.queue:
            downloader._process_queue(slot)
        if slot is not None and hasattr(downloader, "wake_peers"):
            downloader.wake_peers(slot)

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
            self.initial_loads.pop(id(request.headers), None)
            if previous is None:
                request.meta.pop("playwright_page_init_callback", None)
            else:
                request.meta["playwright_page_init_callback"] = previous
