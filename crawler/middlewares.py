"""Downloader middlewares: archive every response, re-crawl incrementally, wait before retrying,
and pass JS challenges through the browser.

Order matters (process_response runs from the highest number down):
700 OfflineCookiesMiddleware  a cookie jar (Scrapy's CookieJar), the public suffix list read offline;
650 ArchiveMiddleware  sees each redirect hop and the raw body (above RedirectMiddleware 600 and
                       HttpCompressionMiddleware 590), records it, passes it on unchanged;
640 JsChallengeMiddleware  turns a JS challenge (a 412/521, or a 200, that is only a cookie-setting
                       script) into a browser request, and reuses the cookies the browser got;
630 IncrementalMiddleware  adds If-None-Match/If-Modified-Since and turns a recorded 304 back into
                       the archived page, so callbacks walk links without a re-download;
610 RedirectLoopMiddleware  names a redirect loop, but lets a WAF's cookie check (same URL + Set-Cookie) through;
550 BackoffRetryMiddleware  Scrapy's retry, but waiting (exponential backoff, Retry-After) first.
100 RobotsUnreachableMiddleware  Scrapy's robots.txt rules, a 5xx robots.txt read as complete disallow, one
                       that is a JS challenge as unavailable until the challenge is passed, then asked again.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import http.cookiejar
import json
import logging
import re
import time
import weakref
from collections import defaultdict
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, HtmlResponse, Response
from scrapy.http.cookies import CookieJar
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware
from scrapy.utils.httpobj import urlparse_cached
from tldextract import TLDExtract
from twisted.internet.defer import Deferred

from archive.posted import posted_form, warc_target
from archive.store import Archive, Fetch, Recorded, is_disk_full, log_write_failure
from crawler.navigation import family_spider, navigation_allowed, note_refused, source_id_of
from crawler.tokens import without_tokens

logger = logging.getLogger(__name__)

_ARCHIVES: dict[Path, Archive] = {}

CONDITIONAL = ("If-None-Match", "If-Modified-Since")
REDIRECTS = (301, 302, 303, 307, 308)


def archive_for(settings) -> Archive:
    """One Archive (one SQLite connection) per data dir per process, shared by all components."""
    root = Path(settings.get("NIANBAO_DATA") or "data").resolve()
    if root not in _ARCHIVES:
        _ARCHIVES[root] = Archive(root)
    return _ARCHIVES[root]


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _headers_list(headers: Headers) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        for value in values:
            out.append((key, value.decode("latin-1")))
    return out


_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)
_TAGS = re.compile(rb"<script.*?</script>|<style.*?</style>|<[^>]+>", re.I | re.S)


# what a challenge script does: set a cookie, then load the page again
_SETS_COOKIE = re.compile(rb"document\.cookie\s*=", re.I)
# a reload of the same URL: location.reload(), location.href=location.href / =location.pathname+…,
# location.replace(location.href); a jump elsewhere (location.href="/index.html") is a redirect, not a check
_RELOADS = re.compile(
    rb"location\.reload\s*\(|location(?:\.href)?\s*=\s*(?:window\.|document\.)?location\b(?!\s*\.hash)"
    rb"|location\.(?:replace|assign)\s*\(\s*(?:window\.|document\.)?location\b",
    re.I,
)
# a frame shell: its script (frame-busting top.location=self.location, a cookie) serves the frames
_FRAMES = re.compile(rb"<i?frame\b[^>]*\bsrc\s*=", re.I)
SOFT_CHALLENGE_MAX_BYTES = 20_000  # a challenge page is a script, a few KB; a portal page is far larger


def looks_like_js_challenge(response: Response) -> bool:
    """Anti-bot products (瑞数 412, 加速乐 521) answer with a page that is only an inline script
    which computes a cookie and reloads; a real error page has text a person could read.  A soft
    challenge answers HTTP 200 with the same kind of page: told by what it is (a small page, no
    link, next to no text, a script that sets document.cookie and reloads), never by its status,
    else the crawl reads it as an empty home page ("1 page, 0 reports")."""
    body = response.body[:200_000]
    if response.status in (412, 521):
        return bool(_INLINE_SCRIPT.search(body)) and len(_TAGS.sub(b"", body).strip()) < 400
    if response.status != 200 or len(response.body) > SOFT_CHALLENGE_MAX_BYTES \
            or not (response.headers.get(b"Content-Type") or b"text/html").lower().startswith(b"text/html"):
        return False
    return soft_challenge(body)


def soft_challenge(body: bytes) -> bool:
    """A page that is only a cookie-setting, reloading inline script (加速乐's first answer)."""
    if not _INLINE_SCRIPT.search(body) or re.search(rb"<a\s[^>]*href", body, re.I) or _FRAMES.search(body):
        return False
    scripts = b" ".join(re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", body, re.I | re.S))
    visible = _TAGS.sub(b"", body).strip()
    return bool(_SETS_COOKIE.search(scripts) and _RELOADS.search(scripts)) and len(visible) < 200


def page_is_challenge(body: bytes) -> bool:
    """A rendered page that still has nothing but script: the browser did not get through."""
    visible = _TAGS.sub(b"", body[:200_000]).strip()
    return b"<a " not in body.lower() and len(visible) < 40


COOKIE_CHECK_RETRIES = 2  # a WAF's cookie check passes on the 2nd request; a 3rd visit is a real loop


class RedirectLoopMiddleware:
    """Scrapy's dupefilter drops the hop that closes a redirect loop without a word, so the
    report would vanish from the crawl record; name the loop instead (placed just above
    RedirectMiddleware, so it sees the 3xx first).

    A redirect back to a URL of the chain that sets a cookie is a WAF's cookie check (安全狗 and
    CDN "cookie check": 302 to the same URL + Set-Cookie, which a browser passes on its second
    try): CookiesMiddleware (700) has already stored the cookie, so the hop is let through, past
    the dupefilter, COOKIE_CHECK_RETRIES times; a check that still answers so is "blocked".

    A redirect Scrapy will not follow (to a host the entry does not list, which the offsite filter
    drops without a word, or to file:// and other non-HTTP schemes) becomes a `note:` row."""

    def __init__(self, crawler=None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            # Scrapy would answer `http 302` (file:, ftp:) or a raw ValueError (javascript:)
            raise IgnoreRequest(f"redirect to a {scheme or 'scheme-less'}: URL refused: {request.url} -> {target[:120]}")
        self.note_not_followed(request, target)
        if not self.port_allowed(request, target):
            raise IgnoreRequest(f"redirect to another port of the host (another server), not followed: "
                                f"{request.url} -> {target[:120]}")
        seen = [*request.meta.get("redirect_urls", []), request.url]
        if target in seen:
            chain = " -> ".join([*seen, target])
            if not response.headers.getlist(b"Set-Cookie"):
                raise IgnoreRequest(f"redirect loop: {chain}")
            if seen.count(target) > COOKIE_CHECK_RETRIES:
                raise IgnoreRequest(f"cookie check not passed: redirect loop: {chain}")
            # RedirectMiddleware copies dont_filter onto the hop it builds from this request
            request.dont_filter = True
        return response

    def port_allowed(self, request: Request, target: str) -> bool:
        """The same address on another port is another server (README): a redirect may go to a port
        of the entry's start URLs or of the page redirecting; a default port (80/443) allows the other
        default one, as http -> https moves are the portals' everyday redirect."""
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            return True
        spider = getattr(self.crawler, "spider", None)
        source_id = request.meta.get("source_id")
        source = getattr(family_spider(spider, source_id), "sources", {}).get(source_id) if spider else None
        urls = [request.url, *(getattr(source, "start_urls", None) or ())]
        domains = getattr(spider, "allowed_domains", None)
        host = (parts.hostname or "").lower()
        if host not in {(urlsplit(u).hostname or "").lower() for u in urls} \
                and not (domains and under_domains(host, domains)):
            return True  # another host: the offsite filter's (note_not_followed), not a port question
        ports = {effective_port(u) for u in urls}
        if ports & {80, 443}:
            ports |= {80, 443}
        return effective_port(target) in ports

    def note_not_followed(self, request: Request, target: str) -> None:
        spider = getattr(self.crawler, "spider", None)
        domains = getattr(spider, "allowed_domains", None)  # the crawl's spider's: what the offsite filter reads
        source_id = request.meta.get("source_id")
        families = getattr(spider, "families", None)  # the run's dispatcher: the source's family spider notes
        if families:
            spider = next((f for f in families.values() if source_id in getattr(f, "sources", {})), None)
        if spider is None or not hasattr(spider, "record_note"):
            return
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            why = f"redirect to a {parts.scheme or 'scheme-less'} URL not followed: {request.url} -> {target[:120]}"
        elif request.dont_filter or request.meta.get("allow_offsite") \
                or allowed_host(parts.hostname or "", domains):
            return
        else:
            why = f"redirect to a host the entry does not list, not followed: {request.url} -> {target[:120]}"
        spider.record_note(source_id, request.url, "redirect-dropped", why)


def effective_port(url: str) -> int | None:
    """The port a URL connects to (the scheme's default when it names none); None when unreadable."""
    parts = urlsplit(url)
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None


def allowed_host(host: str, allowed_domains: list[str] | None) -> bool:
    """Scrapy's offsite rule (OffsiteMiddleware.should_follow): a listed domain or a subdomain of
    one; no list allows every host."""
    return not allowed_domains or under_domains(host, allowed_domains)


def under_domains(host: str, domains: Iterable[str]) -> bool:
    """`host` is one of `domains` or a subdomain of one, as Scrapy reads allowed_domains: the one
    domain rule of the offsite filter's notes here and of the spiders' `BaseSpider.on_site`."""
    return any(host == d or host.endswith("." + d) for d in domains if d)


ROBOTS_DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class OneLineErrors(logging.Filter):
    """A host that refuses connections (down for the night) is an expected outcome, recorded as the
    source's `connection refused` row: Scrapy's robots middleware logs it with the whole traceback
    (two, chained), which only buries the log; the one line names the host and the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


# the start of the error a page that never stops reloading its JS challenge fails with (wait_for_content)
CHALLENGE_LOOP = "JS challenge kept reloading"
# reloads a JS challenge may make in the browser before it is taken as not passing (`wait_for_content`)
CHALLENGE_RELOADS = 2


class ExpectedPageFailures(logging.Filter):
    """scrapy-playwright logs each failed page with its traceback.  A JS challenge that kept
    reloading is an expected outcome (recorded `blocked: js challenge`, said on the spider's line),
    and its traceback in every night's log only buried that line; any other browser failure is
    unexpected and keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = getattr(record, "exception", None) or (record.exc_info[1] if record.exc_info else None)
        if exc is not None and str(exc).startswith(CHALLENGE_LOOP):
            record.exc_info, record.exc_text = None, None
        return True


def robots_request(request: Request) -> bool:
    """Scrapy's own request for a host's robots.txt (RobotsTxtMiddleware asks it with no source)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and "source_id" not in request.meta \
        and urlparse_cached(request).path == "/robots.txt"


# a host whose robots.txt answered a JS challenge: waiting for the challenge to be passed, then asked again
ROBOTS_CHALLENGED, ROBOTS_ASKED_AGAIN = "challenged", "asked again"


class RobotsUnreachableMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt handling, except that a robots.txt answering 5xx (after the retries) is
    complete disallow, as RFC 9309 §2.3.1.4 says a crawler MUST assume: the site may be down or
    refusing, and Scrapy reads the error page as rules (none, so everything allowed).  Its
    requests fail with `robots.txt unreachable (HTTP 500)`, which the spider records as
    `blocked: …`.  A 4xx stays "no robots.txt, everything allowed" (§2.3.1.3).

    A robots.txt answered by an anti-bot JS challenge (a cookie-setting script on 200, 412 or 521:
    the host's first answer to any client without its cookie) is passed in chromium, then asked once
    more through Scrapy with the cookie (JsChallengeMiddleware: chromium's DOM of a text file is no
    robots.txt).  A challenge even then is no rules and no outage: read as unavailable (everything
    allowed, as for a 4xx; the 5xx "disallow all" would shut out every portal behind such a product),
    with a `note:` row, never parsed as rules.  Once a page of the host arrives past the challenge (the
    jar holds its cookie), robots.txt is asked again, and its rules hold from then on; a challenge then
    too leaves it unavailable, noted.  So the crawler obeys the rules as soon as it can read them."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.unreachable: dict[str, str] = {}  # netloc -> why its robots.txt is unreachable ("HTTP 503", "timed out")
        self.challenged: dict[str, str] = {}  # netloc -> ROBOTS_CHALLENGED / ROBOTS_ASKED_AGAIN
        self._fleet: Any = False  # the distributed run's FleetGate (None in a single process), made on first use
        self.shared: set[str] = set()  # hosts whose robots.txt this worker read from the fleet, not fetched
        robots_log = logging.getLogger(RobotsTxtMiddleware.__module__)
        if not any(isinstance(f, OneLineErrors) for f in robots_log.filters):
            robots_log.addFilter(OneLineErrors())

    async def robot_parser(self, request: Request):
        """In a distributed run one worker fetches a host's robots.txt for the fleet (`claim_robots`)
        and the others read it from Redis (`shared_robots`) instead of fetching and archiving it again;
        a JS challenge or a 5xx is never shared (each worker then asks for itself: its cookie jar is
        its own, and the outage may be over)."""
        netloc = urlparse_cached(request).netloc
        fleet = self.fleet()
        if fleet is None or netloc in self._parsers or request.meta.get("dont_obey_robotstxt"):
            return await super().robot_parser(request)
        pending = self._parsers[netloc] = Deferred()  # this worker's other requests of the host wait here
        shared = await self.fleet_robots(fleet, netloc)
        if shared is not None:
            status, body = shared
            url = f"{urlparse_cached(request).scheme}://{netloc}/robots.txt"
            self.shared.add(netloc)
            await self._parse_robots(Response(url, status=status, body=body,
                                              request=Request(url, meta={"dont_obey_robotstxt": True})),
                                     netloc, request)
            return self._parsers[netloc]
        del self._parsers[netloc]  # ours to fetch, as Scrapy does
        parser = await super().robot_parser(request)
        pending.callback(parser)
        return parser

    async def fleet_robots(self, fleet: Any, netloc: str) -> tuple[int, bytes] | None:
        """The host's robots.txt another worker fetched, waiting while one is fetching it (at most
        ROBOTS_WAIT s); None when it is this worker's to fetch."""
        from crawler.fleet import ROBOTS_WAIT

        deadline = time.monotonic() + ROBOTS_WAIT
        while True:
            shared = fleet.shared_robots(netloc)
            if shared is not None:
                return shared
            if fleet.claim_robots(netloc) or time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.2)

    def fleet(self):
        if self._fleet is False:
            from crawler.fleet import FleetGate

            self._fleet = FleetGate.from_settings(self.crawler.settings)
        return self._fleet

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        fleet = self.fleet()
        if fleet is not None and netloc not in self.shared:
            if response.status < 500 and not looks_like_js_challenge(response):
                fleet.share_robots(netloc, response.status, response.body)
            else:  # not for sharing: the workers waiting for it ask for themselves
                fleet.drop_robots_claim(netloc)
        if looks_like_js_challenge(response):
            again = self.challenged.get(netloc) == ROBOTS_ASKED_AGAIN
            self.challenged[netloc] = ROBOTS_ASKED_AGAIN if again else ROBOTS_CHALLENGED
            self.crawler.stats.inc_value("nianbao/robots_challenged")
            self.note(request, response.url, "robots-challenge-again" if again else "robots-challenge",
                      f"robots.txt of {netloc} answered HTTP {response.status} with a JS challenge, not rules: "
                      + ("still so after the challenge was passed; read as unavailable (everything allowed)" if again
                         else "read as unavailable (everything allowed) until the challenge is passed, then asked again"))
            response = response.replace(body=b"")  # no rules: everything allowed (Scrapy parses any status)
        elif response.status >= 500:
            self.unreachable[netloc] = f"HTTP {response.status}"
            logger.warning("robots.txt of %s answered HTTP %s: nothing of the host is fetched", netloc,
                           response.status)
            response = response.replace(body=ROBOTS_DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)

    def process_response(self, request: Request, response: Response) -> Response:
        """A page of a host whose robots.txt answered a challenge, itself past the challenge: the host's
        cookie is in the jar, so its robots.txt is asked again (once) before its next request."""
        netloc = urlparse_cached(request).netloc
        if self.challenged.get(netloc) == ROBOTS_CHALLENGED and not robots_request(request) \
                and response.status < 400 and not looks_like_js_challenge(response) \
                and not isinstance(self._parsers.get(netloc), Deferred):
            self.challenged[netloc] = ROBOTS_ASKED_AGAIN
            self._parsers.pop(netloc, None)
            logger.info("%s is past its JS challenge: asking its robots.txt again", netloc)
        return response

    def note(self, request: Request, url: str, kind: str, reason: str) -> None:
        logger.warning("%s", reason)
        sid = source_id_of(self.crawler.spider, request)
        record = getattr(family_spider(self.crawler.spider, sid), "record_note", None)
        if sid and record is not None:
            record(sid, url, kind, reason)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        """A server that took the request for robots.txt but gave no answer (it timed out, or the
        connection was reset or closed, after the retries) is unreachable as a 5xx one is (RFC 9309
        §2.3.1.4: "server or network errors"): complete disallow, each request failing `robots.txt
        unreachable (…)`.  Scrapy reads it as no robots.txt, and a host that hung on its robots.txt
        then had its whole column fetched.  A host not reached at all (refused, no such name, a TLS
        failure) stays Scrapy's way: its pages fail with their own reasons ("connection refused"),
        which is what the operator needs to read."""
        fleet = self.fleet()
        if fleet is not None:  # the fetch failed: the workers waiting for it ask for themselves
            fleet.drop_robots_claim(netloc)
        why = None if isinstance(exc, IgnoreRequest) else robots_unanswered(exc)
        if why is None:
            super()._robots_error(exc, netloc)
            return
        from scrapy.utils.misc import build_from_crawler

        self.unreachable[netloc] = why
        logger.warning("robots.txt of %s could not be had (%s): nothing of the host is fetched", netloc, why)
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        parser = build_from_crawler(self._parserimpl, self.crawler, ROBOTS_DISALLOW_ALL)
        pending, self._parsers[netloc] = self._parsers[netloc], parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def process_request_2(self, rp, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            why = self.unreachable.get(urlparse_cached(request).netloc)
            if why:
                raise IgnoreRequest(f"robots.txt unreachable ({why})") from None
            raise


def robots_unanswered(exc: Exception) -> str | None:
    """Why a server reached gave no answer ("timed out", "connection lost"); None when it was not
    reached at all (refused, unresolved, TLS).  Scrapy wraps Twisted's ConnectionLost in a
    DownloadFailedError, so the words of the failure are read as well as its type."""
    name, text = type(exc).__name__, str(exc)
    if "Timeout" in name or "TimedOut" in name or "timed out" in text.lower():
        return "timed out"
    if any(w in name or w in text for w in ("ConnectionLost", "ConnectionDone", "ResponseDataLoss",
                                              "ResponseNeverReceived", "lost in a non-clean fashion")):
        return "connection lost before the answer"
    return None


def crawl_warcinfo(settings) -> dict[str, str]:
    """The crawl settings a WARC file's warcinfo record states (how politely, as whom).  A source's own
    robots.txt, concurrency or delay override is named there too (`nianbao-source-overrides`, and
    `robots` says which sources ignore robots.txt): the run-wide values alone claimed `robots: obey`
    for a run in which a source crawled with `obey_robots: false`."""
    overrides = settings.getdict("NIANBAO_SOURCE_OVERRIDES") or {}
    obey = settings.getbool("ROBOTSTXT_OBEY")
    ignoring = sorted(sid for sid, o in overrides.items() if o.get("obey_robots") is False)
    robots = "obey" if obey else "ignore"
    if obey and ignoring:
        robots = f"obey, except sources ignoring it (obey_robots: false): {', '.join(ignoring)}"
    return {
        "http-header-user-agent": str(settings.get("USER_AGENT") or ""),
        "http-header-accept-language": str((settings.getdict("DEFAULT_REQUEST_HEADERS") or {}).get(
            "Accept-Language", "")),
        "robots": robots,
        "nianbao-download-delay": str(settings.get("DOWNLOAD_DELAY")),
        "nianbao-concurrent-requests-per-domain": str(settings.get("CONCURRENT_REQUESTS_PER_DOMAIN")),
        "nianbao-source-overrides": "; ".join(
            f"{sid}: " + ", ".join(f"{key}={str(value).lower() if isinstance(value, bool) else value}"
                                   for key, value in o.items())
            for sid, o in sorted(overrides.items())),
    }


def offline_suffix_list() -> TLDExtract:
    """tldextract's bundled Public Suffix List snapshot, never a download: by default it fetches
    the list from publicsuffix.org/GitHub on first use (network access in the middle of a crawl, or
    in CI, and two tracebacks in the log when that is refused) and caches it under ~/.cache."""
    return TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True,
                      include_psl_private_domains=True)


# A browser's cookie limits (RFC 6265 §6.1 asks at least 4096 bytes a cookie, 50 a domain, 3000 in
# all; chromium keeps 180 a domain): a server that sets thousands would otherwise make every later
# request to the host (cookies ignore the port) carry a Cookie header of hundreds of KB, which real
# servers refuse (nginx: 400 Request Header Or Cookie Too Large) -- the whole host lost.
COOKIE_BYTES = 4096
COOKIES_PER_DOMAIN = 180
COOKIES_IN_ALL = 3000
# nginx's default large_client_header_buffers (8k): a longer Cookie header is refused by the server
COOKIE_HEADER_BYTES = 8192


class OfflineCookiesMiddleware:
    """A cookie jar per `cookiejar` meta key (a WAF's cookie check needs one), built on Scrapy's public
    CookieJar, in place of Scrapy's CookiesMiddleware: that one asks a module-level tldextract, which
    downloads the Public Suffix List on the first Set-Cookie.  The same rule as Scrapy's, from the
    bundled snapshot (offline_suffix_list): a cookie for a public suffix (Domain=gov.cn) is kept only
    for the host that set it.  Request(cookies=…) is not read: the spiders never set it.

    The jar is capped as a browser's is (COOKIE_BYTES, COOKIES_PER_DOMAIN, COOKIES_IN_ALL: the excess
    is dropped) and no request carries a Cookie header over COOKIE_HEADER_BYTES; either cut is one
    `note:` row naming the host, and the host's crawl goes on."""

    def __init__(self, crawler=None) -> None:
        self.crawler = crawler
        self.jars: defaultdict[Any, CookieJar] = defaultdict(CookieJar)
        self.suffixes = offline_suffix_list()

    @classmethod
    def from_crawler(cls, crawler) -> OfflineCookiesMiddleware:
        if not crawler.settings.getbool("COOKIES_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def public_suffix(self, domain: str) -> bool:
        return not self.suffixes(domain).domain

    def process_request(self, request: Request) -> None:
        if request.meta.get("dont_merge_cookies", False):
            return
        request.headers.pop("Cookie", None)
        self.jars[request.meta.get("cookiejar")].add_cookie_header(request)
        header = request.headers.get("Cookie") or b""
        if len(header) <= COOKIE_HEADER_BYTES:
            return
        pairs = header.split(b"; ")
        kept: list[bytes] = []
        size = 0
        for pair in pairs:
            if size + len(pair) + 2 > COOKIE_HEADER_BYTES:
                break
            kept.append(pair)
            size += len(pair) + 2
        request.headers["Cookie"] = b"; ".join(kept)
        host = urlparse_cached(request).hostname or ""
        self.note(request, f"cookie-header {host}",
                  f"Cookie header for {host} cut to {COOKIE_HEADER_BYTES} bytes: sent {len(kept)} of its "
                  f"{len(pairs)} cookies ({len(header)} bytes), as a longer header is refused by servers")

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_merge_cookies", False):
            return response
        jar = self.jars[request.meta.get("cookiejar")]
        host = (urlparse_cached(request).hostname or "").lower()
        outcome = challenge_outcome(request) if "playwright" in response.flags else None
        for found in outcome.cookies if outcome else ():
            # the cookies a JS challenge's script set in chromium: the host's next requests carry them
            domain = (found.get("domain") or host).lower()
            if under_domains(host, [domain.lstrip(".")]):
                jar.jar.set_cookie(browser_cookie({**found, "domain": domain}))
        cookies = jar.make_cookies(response, request)
        if not cookies:
            return response
        counts: dict[str, int] = defaultdict(int)
        for held in jar.jar:
            counts[held.domain.removeprefix(".")] += 1
        total, dropped = sum(counts.values()), 0
        for cookie in cookies:
            domain = cookie.domain.removeprefix(".")
            if domain and self.public_suffix(domain):
                if domain != host:
                    continue
                cookie.domain = host
                domain = host
            held = jar.jar._cookies.get(cookie.domain, {}).get(cookie.path, {})  # noqa: SLF001 - http.cookiejar's store
            if cookie.name not in held:
                if len(cookie.name or "") + len(cookie.value or "") > COOKIE_BYTES \
                        or counts[domain] >= COOKIES_PER_DOMAIN or total >= COOKIES_IN_ALL:
                    dropped += 1
                    continue
                counts[domain] += 1
                total += 1
            elif len(cookie.name or "") + len(cookie.value or "") > COOKIE_BYTES:
                dropped += 1
                continue
            jar.set_cookie_if_ok(cookie, request)
        if dropped:
            self.note(request, f"cookie-cap {host}",
                      f"cookies capped as a browser does: {host} set {len(cookies)} cookies at {response.url[:200]};"
                      f" {dropped} dropped (limits: {COOKIES_PER_DOMAIN} a domain, {COOKIES_IN_ALL} in all,"
                      f" {COOKIE_BYTES} bytes a cookie)")
        return response

    def note(self, request: Request, kind: str, text: str) -> None:
        if self.crawler is None or getattr(self.crawler, "spider", None) is None:
            return
        sid = source_id_of(self.crawler.spider, request)
        record = getattr(family_spider(self.crawler.spider, sid), "record_note", None)
        if record is not None:
            record(sid, request.url, kind, text)


class ArchiveMiddleware:
    """Records every response the downloader produces (redirect hops, errors, 304s, rendered DOMs).

    A redirect hop is recorded before anyone knows where the chain ends: its fetches row id rides
    along in the request meta (RedirectMiddleware copies it to the next hop), and the hop that
    ends the chain writes its URL into every hop's `final_url`."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.archive = archive_for(crawler.settings)
        self.archive.warcinfo.update(crawl_warcinfo(crawler.settings))
        self.run_id = crawler.settings.get("NIANBAO_RUN_ID")
        # responses still being archived when the engine stops are committed before anything ends the run
        crawler.signals.connect(self.archive.drain, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Coroutine[Any, Any, Response]:
        """Refuses an off-site render at once; the archiving is awaited (`_archive`)."""
        if posted_form(request.url) and response.url == warc_target(request.url):
            # a document a form POST opened keeps the form in its URL (archive/posted.py): the downloader
            # answered under the URL without it, the fragment a request never sends
            response = response.replace(url=request.url)
        rendered = "playwright" in response.flags
        if rendered and urlsplit(response.url).scheme not in ("about", "chrome-error") \
                and not navigation_allowed(self.crawler.spider, request, response.url):
            # the page's script (or a redirect chromium followed) took the browser off the entry's
            # hosts: that host's answer is not the entry's page, and is neither archived nor read
            note_refused(self.crawler.spider, request, response.url)
            raise IgnoreRequest(f"browser left the entry's hosts: {request.url} -> {response.url[:300]}")
        notes = ["header names normalised to Title-Case by Scrapy"]
        encoding = response.headers.get("Content-Encoding")
        if rendered:
            notes = ["rendered DOM serialised by chromium (scrapy-playwright), not the server's bytes"]
        elif encoding:
            notes.append(f"body as received, still Content-Encoding: {encoding.decode('latin-1')}")
        if "partial" in response.flags:  # Twisted's PotentialDataLoss: a body delimited by the connection's close
            notes.append("body ended when the server closed the connection (no Content-Length): its end is not"
                         " proven; a document cut inside a table is read so (parsers/truncation.py)")
        if "dataloss" in response.flags:  # DOWNLOAD_FAIL_ON_DATALOSS off: fewer bytes than the Content-Length
            notes.append("body cut short: fewer bytes arrived than its Content-Length announced (dataloss)")
        status = response.status
        if request.meta.get("nianbao_challenge"):
            notes.append("fetched through the browser after a JS challenge")
            final = challenge_final_status(request) if rendered else None
            if final and final != status:
                # the DOM is the page after the challenge; the headers stay the first answer's
                notes.append(f"status of the page shown after the challenge; the first answer was HTTP {status}"
                             " and the headers are that answer's")
                status = final
        spider = self.crawler.spider
        source_id = request.meta.get("source_id")
        if source_id is None and hasattr(spider, "source_id_for_url"):
            source_id = spider.source_id_for_url(request.url)
        fetch = Fetch(
            url=request.url,
            final_url=response.url,
            status=status,
            headers=_headers_list(response.headers),
            body=response.body,
            fetched_at=utcnow(),
            referrer=(request.headers.get("Referer") or b"").decode("latin-1") or request.meta.get("nianbao_parent"),
            source_id=source_id,
            # the family spider that made the request (the run's dispatcher is called "nianbao")
            spider=request.meta.get("nianbao_spider") or (spider.name if spider else None),
            method=request.method,
            request_headers=_headers_list(request.headers),
            request_body=request.body if request.method != "GET" and request.body else None,
            rendered=rendered,
            note="; ".join(notes),
            run_id=self.run_id,
            # a page whose links carry a fresh token on every answer is not a new version every night
            same_version=without_tokens if not rendered and isinstance(response, HtmlResponse) else None,
        )
        return self._archive(request, response, fetch)

    async def _archive(self, request: Request, response: Response, fetch: Fetch) -> Response:
        """The archive writer thread records the fetch (blob, WARC, rows: archive/groupcommit.py) while
        the event loop goes on downloading; the response goes on once its rows are committed, so the
        spider and everything after it see the archive as before."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future = loop.create_future()
        self.archive.hand_over = loop.call_soon_threadsafe  # a full disk stops the crawl from this thread

        def settle(recorded: Recorded | None, error: Exception | None) -> None:
            def fire() -> None:
                if not done.done():  # not cancelled by a shutdown meanwhile
                    done.set_result((recorded, error))
            with contextlib.suppress(RuntimeError):  # the loop is closed: the crawl has ended, nobody waits
                loop.call_soon_threadsafe(fire)

        self.archive.writer().submit(fetch, settle)
        recorded, error = await done
        if error is not None:  # an archive failure must be loud but must not kill the crawl
            if is_disk_full(error):
                self.archive.disk_full(error)
            log_write_failure(logger, error, "archiving %s failed", request.url)
            return response
        stats = self.crawler.stats
        stats.inc_value("nianbao/archived")
        if recorded.new_blob:
            stats.inc_value("nianbao/new_blobs")
        if recorded.new_snapshot:
            stats.inc_value("nianbao/new_snapshots")
        self._follow_chain(request, response, recorded.fetch_id)
        return response

    def _follow_chain(self, request: Request, response: Response, fetch_id: int | None) -> None:
        hops = request.meta.get("nianbao_hops") or []
        if response.status in REDIRECTS and response.headers.get(b"Location"):
            request.meta["nianbao_hops"] = [*hops, fetch_id]  # a new list: the meta dict is copied shallowly
        elif hops:
            try:
                self.archive.set_final_url(hops, response.url)
            except Exception as exc:
                log_write_failure(logger, exc, "recording where the redirects from %s ended failed", request.url)


class IncrementalMiddleware:
    """Conditional re-crawls: ask with the validators of the last snapshot; on 304 serve the archived bytes."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.archive = archive_for(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        # A redirect copies the previous hop's headers: validators must always be this URL's own.
        for name in CONDITIONAL:
            request.headers.pop(name, None)
        request.meta.pop("nianbao_conditional", None)
        if request.method != "GET" or request.meta.get("playwright") or request.meta.get("nianbao_unconditional"):
            return None
        headers = self.archive.conditional_headers(request.url)
        for name, value in headers.items():
            request.headers[name] = value
        if headers:
            request.meta["nianbao_conditional"] = True
        return None

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if response.status != 304 or not request.meta.get("nianbao_conditional"):
            return response
        latest = self.archive.latest_body(request.url)
        if latest is None:  # validators came from a snapshot we no longer have: ask plainly
            return request.replace(dont_filter=True, meta={**request.meta, "nianbao_unconditional": True})
        row, body = latest
        headers = Headers()
        for name, value in json.loads(row.get("headers") or "[]"):
            # the archived bytes are what was received; the client has to decode them again
            headers.appendlist(name, value)
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        self.crawler.stats.inc_value("nianbao/not_modified")
        request.meta["nianbao_not_modified"] = True
        return respcls(url=row.get("final_url") or request.url, status=row.get("status") or 200, headers=headers,
                       body=body, request=request, flags=["cached", "not-modified"])


# real content after the challenge: a page with text and links, or a file chromium shows in its PDF viewer
_HAS_CONTENT = ("() => document.readyState === 'complete' && document.body && "
                "((document.body.innerText.trim().length > 0 && document.querySelectorAll('a[href]').length > 0)"
                " || document.contentType === 'application/pdf' || !!document.querySelector('embed[type=\"application/pdf\"]'))")


@dataclass
class Cleared:
    """What chromium ended with after a JS challenge: the status of the page it shows, and the
    cookies the challenge script set (handed to Scrapy's jar, so the host's later pages and files
    are fetched without a browser)."""

    status: int | None
    cookies: list[dict]


@dataclass
class _Reloads:
    """The navigations a challenged page has made, and whether its next one was refused."""

    count: int = 0
    refused: asyncio.Event = field(default_factory=asyncio.Event)


# the challenged pages' navigation counters, set before the first load (bound_challenge_reloads)
_NAVIGATIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def bound_challenge_reloads(page, request) -> None:
    """scrapy-playwright's page init callback for a challenge retry (named by its import path in the
    meta, which must stay queueable): counts the page's navigations from its first load, so a reload
    the challenge's script begins before `wait_for_content` runs is counted too."""
    _NAVIGATIONS[page] = reloads = _Reloads()
    await page.route("**/*", lambda route: _bounded(route, page, reloads, CHALLENGE_RELOADS + 1))


async def _bounded(route, page, reloads: _Reloads, most: int) -> None:
    # a challenge that passes reloads once or twice with its cookie; one still reloading after
    # CHALLENGE_RELOADS is not going to pass: its next reload is refused (the server is not asked
    # again and again for the page) and the wait ends there
    request = route.request
    if request.is_navigation_request() and request.frame == page.main_frame:
        reloads.count += 1
        if reloads.count > most:
            reloads.refused.set()
            await route.abort("aborted")
            return
    await route.fallback()


async def wait_for_content(page, timeout_ms: int) -> Cleared:
    """The challenge script sets a cookie and reloads: wait until the page has real content.  A page
    that never gets there is returned as it stands (a timeout here is an expected outcome, not a
    browser failure), so the still-challenged DOM is archived and the request recorded as blocked."""
    from playwright.async_api import Error as PlaywrightError

    reloads = _NAVIGATIONS.get(page)
    if reloads is None:  # (no init callback ran: count from here, the reloads after the first load)
        reloads = _Reloads()
        await page.route("**/*", lambda route: _bounded(route, page, reloads, CHALLENGE_RELOADS))
    refused = reloads.refused

    waiting = None
    try:
        waiting = asyncio.ensure_future(page.wait_for_function(_HAS_CONTENT, timeout=timeout_ms))
        stopped = asyncio.ensure_future(refused.wait())
        await asyncio.wait({waiting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not waiting.done():
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError, PlaywrightError):
                await waiting
            raise PlaywrightError(f"still a challenge after {CHALLENGE_RELOADS} reloads")
        waiting.result()
    except PlaywrightError as exc:  # TimeoutError, or the context destroyed by an endless reload loop
        logger.info("no content after the JS challenge at %s: %s", page.url, str(exc).splitlines()[0])
        if not await stop_navigating(page, timeout_ms):
            # a page still reloading has no DOM to read (and scrapy-playwright would wait its navigation
            # timeout for a load that never comes): the request fails, recorded "blocked: js challenge"
            raise PlaywrightError(f"{CHALLENGE_LOOP}: {page.url}") from None
    status, cookies = None, []
    try:
        status = await page.evaluate(_NAVIGATION_STATUS)
        cookies = await page.context.cookies([page.url])
    except PlaywrightError:
        pass
    return Cleared(status, cookies)


async def stop_navigating(page, timeout_ms: int) -> bool:
    """A challenge that reloads itself for ever leaves the page always navigating, and reading its
    content then fails ("page is navigating"): from here every navigation is aborted (ERR_ABORTED
    keeps the current document, no error page), so the challenge DOM can be read and recorded as
    blocked.  Bounded: False when the page still does not settle."""
    from playwright.async_api import Error as PlaywrightError

    try:
        await page.route("**/*", lambda route: route.abort("aborted"))
        await page.wait_for_load_state("load", timeout=min(timeout_ms, 5000))
    except PlaywrightError as exc:
        logger.info("the page at %s did not settle: %s", page.url, str(exc).splitlines()[0])
        return False
    return True


# The HTTP status of the document the page now shows (the reload the challenge script made), which
# scrapy-playwright cannot report: its response carries the first navigation's 412.
_NAVIGATION_STATUS = ("() => { const n = performance.getEntriesByType('navigation')[0];"
                      " return n && n.responseStatus ? n.responseStatus : null; }")


def challenge_outcome(request: Request) -> Cleared | None:
    """What `wait_for_content` saw in chromium after a JS challenge, if it ran."""
    for method in request.meta.get("playwright_page_methods") or ():
        if getattr(method, "method", None) is wait_for_content and isinstance(getattr(method, "result", None), Cleared):
            return method.result
    return None


def challenge_final_status(request: Request) -> int | None:
    """The status `wait_for_content` read in chromium after a JS challenge, if it got one."""
    outcome = challenge_outcome(request)
    return outcome.status if outcome and isinstance(outcome.status, int) else None


def browser_cookie(found: dict) -> http.cookiejar.Cookie:
    """A cookie chromium holds (Playwright's dict) as the standard library's jar keeps it."""
    domain = found.get("domain") or ""
    expires = found.get("expires")
    lasting = isinstance(expires, int | float) and expires > 0
    return http.cookiejar.Cookie(
        0, found["name"], found.get("value", ""), None, False, domain, domain.startswith("."),
        domain.startswith("."), found.get("path") or "/", True, bool(found.get("secure")),
        int(expires) if lasting else None, not lasting, None, None, {})


# chromium's own PDF viewer: what a browser "shows" for a PDF, a few hundred bytes of HTML, never the file
_PDF_VIEWER = re.compile(rb"<embed[^>]+type=[\"']application/(?:x-)?pdf[\"']", re.I)


def browser_pdf_viewer(body: bytes) -> bool:
    """The rendered DOM is chromium's PDF viewer page, not a document: the file's bytes must be fetched."""
    return len(body) < 4000 and bool(_PDF_VIEWER.search(body)) and not body.lstrip().startswith(b"%PDF")


# request meta: a retry through Scrapy of a request a challenge answered, with the browser's cookies
CLEARED_RETRY = "nianbao_cleared_retry"
# request meta: the SHA-1 of a soft challenge's first answer that has text of its own (`kept_page`)
SOFT_FIRST = "nianbao_soft_first"


class JsChallengeMiddleware:
    """A JS challenge (412/521 + inline script, or the same page on HTTP 200) → retry the same URL in
    chromium; if the browser cannot start, times out waiting for real content, or still sees the
    challenge, the spider records "blocked: js challenge".

    Once chromium passes a host's challenge, its cookies are in Scrapy's jar (OfflineCookiesMiddleware
    reads `challenge_outcome`): the host's later pages and files go through Scrapy, and a request the
    challenge answers anyway is retried there once before the browser is asked again.  A file the
    browser opened in its PDF viewer is fetched again through Scrapy, so its bytes are archived."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NIANBAO_BROWSER", True)
        self.wait_ms = crawler.settings.getint("NIANBAO_CHALLENGE_WAIT_MS", 5000)
        self.cleared: set[str] = set()  # hosts (host:port) whose challenge the browser passed
        self.browser_tied: set[str] = set()  # hosts whose cookies pass only in the browser that got them
        browser_log = logging.getLogger("scrapy-playwright")
        if not any(isinstance(f, ExpectedPageFailures) for f in browser_log.filters):
            browser_log.addFilter(ExpectedPageFailures())

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        from crawler.spiders.base import file_bytes  # the spiders import this module

        tried = request.meta.get(CLEARED_RETRY, 0)
        if robots_request(request):
            # chromium passes a challenge in front of robots.txt (its cookie goes to the jar, and stays in the
            # browser), but its DOM of a text file is no robots.txt: the file is asked once more through
            # Scrapy, and a challenge even then is read as "unavailable" (RobotsUnreachableMiddleware)
            if "playwright" in response.flags:
                return self.through_scrapy(request, 2)
            if not self.enabled or tried >= 2:
                return response
        if request.meta.get("nianbao_challenge") and "playwright" in response.flags:
            if browser_pdf_viewer(response.body) and tried < 2:
                self.cleared.add(urlparse_cached(request).netloc)
                return self.through_scrapy(request, 2)  # the file's bytes, with the cookies just set
            if page_is_challenge(response.body) and not file_bytes(response.body):
                if request.meta.get(SOFT_FIRST) and tried < 2:
                    return self.through_scrapy(request, 2)  # a page with text of its own: see `kept_page`
                raise IgnoreRequest(f"JS challenge not passed in the browser: {request.url}")  # errback: blocked
            if urlparse_cached(request).netloc not in self.browser_tied:
                self.cleared.add(urlparse_cached(request).netloc)
            self.crawler.stats.inc_value("nianbao/js_challenge_passed")
            return response.replace(status=200) if response.status >= 400 else response
        if request.meta.get("playwright") or not looks_like_js_challenge(response):
            return response
        host = urlparse_cached(request).netloc
        if host in self.cleared and not tried:
            return self.through_scrapy(request, 1)  # the jar holds the browser's cookies for this host
        if tried == 1:
            # the browser's cookies did not carry (瑞数-style, tied to the browser): asking Scrapy first
            # would cost every later page a second challenge before chromium is asked anyway
            self.cleared.discard(host)
            self.browser_tied.add(host)
        if not self.enabled or tried >= 2:
            # no browser allowed here, or the browser's cookies did not pass: say so, do not pretend
            # the column is empty (a 412 fails as an HTTP error, a soft challenge's 200 is refused here)
            if self.kept_page(request, response):
                return response
            request.meta["nianbao_challenge"] = True
            if response.status == 200:
                raise IgnoreRequest(f"JS challenge (HTTP 200) not passed: {request.url}")
            return response
        self.crawler.stats.inc_value("nianbao/js_challenge_seen")
        logger.info("JS challenge at %s (HTTP %s): retrying through the browser", request.url, response.status)
        from scrapy_playwright.page import PageMethod

        meta = {
            **request.meta,
            "playwright": True,
            "nianbao_challenge": True,
            "playwright_page_methods": [PageMethod(wait_for_content, self.wait_ms)],
            "playwright_page_init_callback": "crawler.middlewares.bound_challenge_reloads",
            # the challenge page reloads before its load event: waiting for that event would wait for the
            # navigation timeout; `wait_for_content` waits instead, bounded by NIANBAO_CHALLENGE_WAIT_MS
            "playwright_page_goto_kwargs": {"wait_until": "commit"},
        }
        if response.status == 200 and not page_is_challenge(response.body):
            meta[SOFT_FIRST] = hashlib.sha1(response.body).hexdigest()  # text of its own: maybe a real page
        return request.replace(meta=meta, dont_filter=True)

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        """The browser failed on a soft challenge that has text of its own (a page that sets a cookie
        and reloads for ever, seen on a short report page): fetch it once more without the browser,
        for `kept_page` to judge.  A robots.txt the browser failed on is asked once more through Scrapy
        too (the robots middleware reads a challenge then as "unavailable")."""
        if robots_request(request) and request.meta.get("playwright") and request.meta.get(CLEARED_RETRY, 0) < 2:
            return self.through_scrapy(request, 2)
        if request.meta.get("nianbao_challenge") and request.meta.get("playwright") and request.meta.get(SOFT_FIRST) \
                and request.meta.get(CLEARED_RETRY, 0) < 2:
            logger.info("browser failed on the soft challenge at %s (%s): asking once more without it",
                        request.url, type(exception).__name__)
            return self.through_scrapy(request, 2)
        return None

    def kept_page(self, request: Request, response: Response) -> bool:
        """The browser tried and the page is still the very bytes it was: no challenge stands between
        the crawler and anything else, the page is what the site serves.  Read it as fetched (it is
        archived already), with a `note:` row saying why."""
        first = request.meta.get(SOFT_FIRST)
        if not first or response.status != 200 or hashlib.sha1(response.body).hexdigest() != first:
            return False
        self.crawler.stats.inc_value("nianbao/js_challenge_kept_page")
        source_id = source_id_of(self.crawler.spider, request)
        spider = family_spider(self.crawler.spider, source_id)
        if hasattr(spider, "record_note"):
            spider.record_note(source_id, request.url, "challenge-kept-page",
                               f"{request.url} sets a cookie and reloads itself like a JS challenge, but the"
                               " browser got no other page and the bytes did not change: read as fetched")
        return True

    def through_scrapy(self, request: Request, tried: int) -> Request:
        """The same request again through Scrapy (no browser), the jar now holding the host's cookies;
        `tried` 2 once the browser has had its turn (a challenge then is final)."""
        self.crawler.stats.inc_value("nianbao/js_challenge_cookie_reused")
        meta = {k: v for k, v in request.meta.items() if not k.startswith("playwright") and k != "nianbao_challenge"}
        meta[CLEARED_RETRY] = tried
        return request.replace(meta=meta, dont_filter=True)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP-date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def timed_out(exception: BaseException) -> bool:
    """The request waited DOWNLOAD_TIMEOUT for an answer (twisted's TimeoutError or a client's own)."""
    return "timeout" in type(exception).__name__.lower() or "took longer than" in str(exception)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but a retry is sent only after waiting: Retry-After on 429/503 (capped),
    otherwise base * 2**(attempt-1) seconds (capped).  Hammering a struggling portal gets us banned."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("NIANBAO_RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("NIANBAO_RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("NIANBAO_RETRY_AFTER_MAX", 120.0)
        self.timeout_tries = settings.getint("NIANBAO_TIMEOUT_TRIES", 2)

    def _backoff(self, request: Request) -> float:
        attempt = request.meta.get("retry_times", 0)  # already incremented on the retry request
        return min(self.backoff_max, self.base * (2 ** max(0, attempt - 1)))

    async def _wait(self, delay: float, request: Request) -> None:
        if delay > 0:
            logger.debug("waiting %.2fs before retrying %s", delay, request.url)
            started = time.monotonic()
            await asyncio.sleep(delay)
            self.crawler.stats.inc_value("nianbao/retry_wait_s", time.monotonic() - started)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        delay = None
        if response.status in (429, 503):
            delay = retry_after_seconds(response.headers.get("Retry-After"))
            if delay is not None:
                delay = min(delay, self.retry_after_max)
                self.crawler.stats.inc_value("nianbao/retry_after_honoured")
                retry.meta["nianbao_retry_after"] = delay
        await self._wait(self._backoff(retry) if delay is None else delay, request)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        if timed_out(exception) and request.meta.get("retry_times", 0) + 1 >= self.timeout_tries:
            # a page that hung for DOWNLOAD_TIMEOUT twice will hang again: each further try holds a
            # slot of the host for another minute, and the failure row says `timeout` all the same
            self.crawler.stats.inc_value("nianbao/timeout_given_up")
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._wait(self._backoff(retry), request)
        return retry


class NotedUrlLengthMiddleware(UrlLengthMiddleware):
    """Scrapy drops a link whose URL is longer than URLLENGTH_LIMIT with an INFO log line only: a
    report link with a 100 KB URL vanished from the crawl record.  The same cut, with a `note:` row
    naming the link's text and the start of its URL (at most NOTES_PER_SOURCE for one source: a
    portal whose every link is long is one problem, not thousands of rows)."""

    NOTES_PER_SOURCE = 20

    def __init__(self, maxlength: int) -> None:
        super().__init__(maxlength)
        self.noted: defaultdict[str | None, int] = defaultdict(int)

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        kept = super().get_processed_request(request, response)
        if kept is None and self.noted[request.meta.get("source_id")] < self.NOTES_PER_SOURCE:
            self.noted[request.meta.get("source_id")] += 1
            title = ((request.cb_kwargs or {}).get("info") or {}).get("title") or ""
            named = f" (link text {title[:80]!r})" if title else ""
            text = (f"link not followed: its URL is {len(request.url)} characters, over the limit of "
                    f"{self.maxlength}{named}: {request.url[:150]}…")
            crawler = self.crawler
            sid = source_id_of(crawler.spider, request)
            record = getattr(family_spider(crawler.spider, sid), "record_note", None)
            if record is not None:
                record(sid, request.url[:2000], f"url-too-long {request.url[:300]}", text)
        return kept
