"""Scrapy settings for nianbao's crawler.

Defaults are the polite ones a government portal should see; tests and `crawl(settings=…)`
shrink delays and caps.  Keys starting with NIANBAO_ are ours.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

try:
    NIANBAO_VERSION = version("nianbao")
except PackageNotFoundError:  # running from a bare checkout
    NIANBAO_VERSION = "0.1.0"

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Whoever runs a crawl answers for it: a webmaster must be able to reach them, so operators set
# NIANBAO_CONTACT (a URL or an e-mail address); the project page is only the fallback.
CONTACT = os.environ.get("NIANBAO_CONTACT", "").strip() or "https://github.com/nianbao/nianbao"
USER_AGENT = f"nianbao/{NIANBAO_VERSION} (+{CONTACT}; government-report archiver)"
ROBOTSTXT_OBEY = True
# Scrapy's default asks for English; Chinese portals answer (and WAFs expect) a Chinese browser's header.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9",
}

# Politeness: per-domain concurrency 2 (per-source overrides go into DOWNLOAD_SLOTS), AutoThrottle on.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
# Scrapy 2.19's downloader could exceed a slot's cap when its delay is 0 (crawler/downloader.py).
DOWNLOADER = "crawler.downloader.Downloader"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# ... with a 304 lowering a host's delay as a 200 does, or a re-crawl of unchanged pages stays at 1 s a page
EXTENSIONS = {"scrapy.extensions.throttle.AutoThrottle": None, "crawler.throttle.NotModifiedThrottle": 0}
DOWNLOAD_TIMEOUT = 60

# Reports are rarely above a few MB; a 50 MB cap keeps a runaway page from eating the disk.
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Backoff between retries: base * 2**(attempt-1) seconds, capped; Retry-After (429/503) wins, capped too.
NIANBAO_RETRY_BACKOFF_BASE = 1.0
NIANBAO_RETRY_BACKOFF_MAX = 30.0
NIANBAO_RETRY_AFTER_MAX = 120.0
# A page that timed out (DOWNLOAD_TIMEOUT) this many times is given up: it rarely answers a third time.
NIANBAO_TIMEOUT_TRIES = 2

# The dupefilter keys on (request, source id): sources sharing a portal each walk it (crawler/fingerprint.py).
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.SourceFingerprinter"

FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # an HTTP control port per crawl is not wanted on a shared machine

# Scrapy's URL-length cut (800) logs a dropped link at INFO only; ours leaves a note row naming it.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "crawler.middlewares.NotedUrlLengthMiddleware": 800,
}

DOWNLOADER_MIDDLEWARES = {
    # The stock retry middleware is replaced by one that waits (backoff, Retry-After) before retrying.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Below the archive: turns a 304 back into the archived page, after the 304 itself was recorded.
    "crawler.middlewares.IncrementalMiddleware": 630,
    # Below the archive: a JS challenge (412 + inline script) is retried through the browser.
    "crawler.middlewares.JsChallengeMiddleware": 640,
    # A cookie jar (a WAF cookie check needs it) in place of Scrapy's, whose tldextract would download
    # the public suffix list on the first Set-Cookie; ours reads tldextract's bundled snapshot.
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.OfflineCookiesMiddleware": 700,
    # Just above RedirectMiddleware (600): a redirect back to a URL of the same chain is an error row
    # (a same-URL redirect that sets a cookie, a WAF's cookie check, is followed twice first).
    "crawler.middlewares.RedirectLoopMiddleware": 610,
    # Above RedirectMiddleware (600) and HttpCompressionMiddleware (590): sees every hop, raw bytes.
    "crawler.middlewares.ArchiveMiddleware": 650,
    # Between RedirectMiddleware (600) and HttpCompressionMiddleware (590): a Content-Encoding the body
    # is not in is dropped, a gzip body nobody declared unpacked (crawler/wire.py).
    "crawler.wire.CodingMiddleware": 595,
    # Below the decompression: a charset header the bytes are not in yields to the one they are in,
    # and a page's per-link session ids are learned before its links are requested (crawler/sessions.py).
    "crawler.wire.CharsetMiddleware": 585,
    "crawler.sessions.SessionParamsMiddleware": 580,
    # Scrapy's robots.txt rules, but a robots.txt answering 5xx is complete disallow (RFC 9309).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsUnreachableMiddleware": 100,
}

ITEM_PIPELINES = {
    "crawler.pipelines.DocumentPipeline": 300,
}

# scrapy-playwright only handles requests with meta["playwright"]; the rest use Scrapy's own handler.
DOWNLOAD_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
    ],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# Options of the browser context (crawler/downloader.py): Scrapy does not verify certificates, and
# chromium must not refuse a page Scrapy fetched (county sites with self-signed or expired certificates).
NIANBAO_BROWSER_CONTEXT = {"ignore_https_errors": True}
# pictures, fonts and media are never loaded in a render (crawler/downloader.py)
PLAYWRIGHT_ABORT_REQUEST = "crawler.downloader.heavy_resource"
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4

# Ours
NIANBAO_DATA = "data"
# May the crawler reach for chromium on its own (JS challenge, script-only list)?  overrides.render
# always uses it.  Without it a JS challenge is recorded as "blocked: js challenge".
NIANBAO_BROWSER = True
NIANBAO_CHALLENGE_WAIT_MS = 5000
NIANBAO_RUN_ID = None
# generic spider: navigation hops from the start URL (list pages and iframes do not count);
# root -> 政务公开 -> 政府信息公开 -> 法定主动公开内容 -> 年报 is four
NIANBAO_GENERIC_MAX_DEPTH = 4
# generic spider: navigation/candidate pages per source, so a portal that defeats the scoring still ends
NIANBAO_GENERIC_MAX_PAGES = 200
NIANBAO_MAX_LIST_PAGES = 50
# a robots.txt Crawl-delay is honoured up to this many seconds (a longer one would make a crawl take days)
NIANBAO_MAX_CRAWL_DELAY = 30.0
