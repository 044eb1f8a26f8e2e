"""Fetch one URL with the standard library into a `Fetch`, bytes exactly as received.

For tests and one-off archiving without the crawler.  `http.client` removes chunked
transfer coding but never content coding, so a gzip body stays gzip; the note says so.
Redirects are followed: `final_url` is where the chain ended (the body's URL), and the note
lists the hops, since only the last answer is kept.
"""

from __future__ import annotations

import http.client
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from archive.store import Fetch

MAX_REDIRECTS = 5


def fetch_url(url: str, *, source_id: str | None = None, spider: str = "httpfetch",
              headers: dict[str, str] | None = None, referrer: str | None = None, timeout: float = 30) -> Fetch:
    req_headers = [("User-Agent", "nianbao"), ("Accept-Encoding", "gzip"),
                   ("Accept-Language", "zh-CN,zh;q=0.9")] + list((headers or {}).items())
    current = url
    hops: list[str] = []
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_cls(parts.netloc, timeout=timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", target, headers=dict(req_headers))
            resp = conn.getresponse()
            body = resp.read()
            fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            received = list(resp.getheaders())
            status = resp.status
        finally:
            conn.close()
        location = dict((k.lower(), v) for k, v in received).get("location")
        if status in (301, 302, 303, 307, 308) and location:
            hops.append(f"{status} {current}")
            current = urljoin(current, location)
            continue
        chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in received)
        notes = ["transfer-encoding dechunked by client"] if chunked else []
        if hops:
            notes.append("redirected: " + " -> ".join([*hops, current]))
        return Fetch(url=url, final_url=current, status=status, headers=received, body=body,
                     fetched_at=fetched_at, referrer=referrer, source_id=source_id, spider=spider,
                     request_headers=req_headers, note="; ".join(notes) or None)
    raise RuntimeError(f"too many redirects: {url}")
