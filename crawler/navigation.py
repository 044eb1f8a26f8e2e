"""Where the crawler's browser may go: a rendered page never leaves the entry's hosts.

A portal's script decides where chromium navigates.  Seen (/tmp/hostile2, case .32): a JS challenge
set its cookie and then sent the browser to another host, whose answer was archived under the
challenged URL and published by Datasette.  A portal could point it at 169.254.169.254 or an
intranet host the same way.  So every page chromium renders gets a route (`guard_page`) that aborts
a document request to a host the entry does not allow (`BaseSpider.on_site`, the rule the walk and
the `openDetail()` clicks already use) before chromium sends it, and names the target in a `note:`
row; `ArchiveMiddleware` refuses to archive a rendered page that still ended off the entry's hosts
(a server redirect, which Playwright's routes do not see).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

# request meta: the off-site targets the guard refused for this render
REFUSED = "nianbao_navigation_refused"


def _reserved(host: str) -> bool:
    """An address no portal page should name: link-local (cloud metadata), unspecified, multicast."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return ip.is_link_local or ip.is_unspecified or ip.is_multicast


def family_spider(spider: Any, source_id: str | None) -> Any:
    """The spider that walks `source_id`: the run's dispatcher (crawler/spiders/families.py) hands each
    source to its family's spider, which holds its hosts, notes and error counts."""
    families = getattr(spider, "families", None)
    if families:
        return next((f for f in families.values() if source_id in getattr(f, "sources", {})), None)
    return spider


def source_id_of(spider: Any, request: Any) -> str | None:
    """The registry entry a request was made for (robots.txt requests carry none: the host's)."""
    sid = request.meta.get("source_id")
    if sid is None and hasattr(spider, "source_id_for_url"):
        sid = spider.source_id_for_url(request.url)
    return sid


def source_for(spider: Any, request: Any) -> tuple[Any, Any]:
    """(the family spider, the registry entry) of a request; (None, None) when no entry owns it."""
    sid = source_id_of(spider, request)
    owner = family_spider(spider, sid)
    return owner, (getattr(owner, "sources", None) or {}).get(sid)


def navigation_allowed(spider: Any, request: Any, target: str) -> bool:
    """May a page rendered for `request` show `target`?  The request's own host (and port), or a host
    the entry allows; never another scheme (file:, data:, chrome:) nor a reserved address."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https"):
        return False
    own = urlsplit(request.url).netloc.lower()
    if parts.netloc.lower() == own:
        return True
    if _reserved(parts.hostname or ""):
        return False
    owner, source = source_for(spider, request)
    on_site = getattr(owner, "on_site", None)
    return bool(source is not None and on_site is not None and on_site(target, source))


def note_refused(spider: Any, request: Any, target: str) -> None:
    """One `note:` row per entry naming where the browser was sent and not let go."""
    sid = source_id_of(spider, request)
    record = getattr(family_spider(spider, sid), "record_note", None)
    if record is None:
        return
    record(sid, request.url, "browser-offsite",
           f"the page at {request.url} took the browser to {target[:300]}, a host the entry does not list:"
           " nothing of it archived or read")


def page_guard(spider: Any, request: Any,
               previous: Callable[[Any, Any], Awaitable[Any]] | None = None) -> Callable[[Any, Any], Awaitable[None]]:
    """A scrapy-playwright page init callback: installs the route after scrapy-playwright's own, so it
    is asked first (Playwright tries the newest route first) and hands allowed requests on (`fallback`)."""

    async def guard_page(page: Any, scrapy_request: Any) -> None:
        from playwright.async_api import Error as PlaywrightError

        if previous is not None:
            await previous(page, scrapy_request)

        async def handle(route: Any) -> None:
            target = route.request.url
            try:
                document = route.request.resource_type == "document" or route.request.is_navigation_request()
                if (document or _reserved(urlsplit(target).hostname or "")) \
                        and not navigation_allowed(spider, scrapy_request, target):
                    scrapy_request.meta.setdefault(REFUSED, []).append(target)
                    logger.warning("browser sent from %s to %s, off the entry's hosts: aborted", scrapy_request.url,
                                   target)
                    note_refused(spider, scrapy_request, target)
                    await route.abort("aborted")  # chromium keeps the document it shows
                else:
                    await route.fallback()
            except PlaywrightError:  # the page closed under the route
                pass

        await page.route("**/*", handle)

    return guard_page
