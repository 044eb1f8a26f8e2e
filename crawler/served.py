"""Rendering the answer the crawl already has, instead of asking the server for the page again.

Most renders follow a plain fetch of the same URL: the crawl reads the server's HTML, sees a list it
cannot finish without a browser (a 加载更多 button, a script pager, rows a script writes, a thin report
page whose files a script draws) and renders the page.  Chromium fetching that page again was one
request too many per such page, on exactly the hosts that are slowest.  The render request carries the
plain answer (`served_meta`), and the browser's own load of the page is answered with it
(`BoundedPlaywrightHandler.paced`, `fulfil`): the server sees the page once, and then only what the
page's script asks for (the button's XHR, its script files).

Only a whole, ordinary answer is replayed: a GET with status 200 that was not itself rendered or a JS
challenge's; anything else is rendered from the server as before.  The body is bytes in the request's
meta, which a distributed run queues in Redis, so a page larger than SERVED_MAX_BYTES is fetched again
rather than carried.
"""

from __future__ import annotations

from typing import Any

SERVED = "nianbao_served"  # request meta: the plain answer the render's own page load is answered with
SERVED_MAX_BYTES = 2 * 1024 * 1024
# headers that described the bytes on the wire, not the (decoded) body the crawl holds
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"})


def served_meta(response: Any) -> dict[str, Any]:
    """The meta that lets a render of `response.url` reuse `response` (empty when it may not)."""
    request = getattr(response, "request", None)
    if request is None or request.method != "GET" or response.status != 200 or "playwright" in response.flags \
            or request.meta.get("nianbao_challenge") or len(response.body) > SERVED_MAX_BYTES:
        return {}
    headers: dict[str, str] = {}
    for name, values in response.headers.items():
        text = name.decode("latin-1")
        if text.lower() not in WIRE_HEADERS:
            # several Set-Cookie lines: Playwright splits a fulfilled header's value on newlines
            headers[text] = "\n".join(v.decode("latin-1") for v in values)
    return {SERVED: {"url": response.url, "status": response.status, "headers": headers, "body": response.body}}


def served_for(meta: dict[str, Any], url: str, method: str) -> dict[str, Any] | None:
    """The plain answer to give chromium's load of `url`, when the render carries one for it."""
    served = meta.get(SERVED)
    if not served or method.upper() != "GET" or bare(url) != bare(served["url"]):
        return None
    return served


def bare(url: str) -> str:
    """A URL as chromium sends it (no fragment), slash-insensitive as scrapy-playwright matches its request."""
    return url.split("#", 1)[0].rstrip("/")


async def fulfil(route: Any, served: dict[str, Any]) -> None:
    """Answer chromium's request with the plain answer: no request reaches the server."""
    await route.fulfill(status=served["status"], headers=served["headers"], body=served["body"])
