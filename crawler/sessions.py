"""Session ids in query strings (`?sid=<random>`), learned from the pages that carry them.

A CMS that tracks visitors in the URL writes a fresh value into every link of every response:
left in, each crawl records every report under a new URL (a new document each time, its
attachments' parent moved to the newest one).  The same name is a *site* id on other platforms
(`sid=12`, a 32-hex site key), stable on every link, which the server needs.  So a query
parameter is dropped only when it has a session's name, a random-looking value, and a page links
with two or more different such values of it: then it varies per link or per response and names
no page.  Learned per host for the crawl (a crawl is one process), by `SessionParamsMiddleware`
before the page's callback makes its requests; `strip_learned(url)` is applied with the other
URL clean-ups (`crawler.spiders.base.strip_session`).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.wire import CrawlerBound

SESSION_NAMES = re.compile(r"^(?:sid|sessionid|session_id|sessid|ssid|jsessionid|phpsessid|aspsessionid\w*)$", re.I)
_LINK_PARAM = re.compile(rb"[?&;](sid|sessionid|session_id|sessid|ssid|jsessionid|phpsessid|aspsessionid\w*)"
                         rb"=([0-9A-Za-z_-]{12,64})", re.I)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

LEARNED: dict[str, set[str]] = {}  # host[:port] -> lower-cased parameter names seen varying there


def random_value(value: str) -> bool:
    """A token, not a name or a number: 12+ characters mixing letters and digits, a UUID, or 16+
    digits (a random hex token is all digits once in ~1 800 draws, and a decimal session number
    is as long; a site id or page number is short)."""
    if _UUID.fullmatch(value):
        return True
    if len(value) >= 16 and value.isascii() and value.isdigit():
        return True
    return len(value) >= 12 and re.fullmatch(r"[0-9A-Za-z_-]+", value) is not None \
        and re.search(r"\d", value) is not None and re.search(r"[A-Za-z]", value) is not None


def varying(body: bytes) -> set[str]:
    """Session-named parameters the page writes with two or more different random values."""
    values: dict[str, set[bytes]] = {}
    for name, value in _LINK_PARAM.findall(body[:2_000_000]):
        if random_value(value.decode("latin-1")):
            values.setdefault(name.decode("latin-1").lower(), set()).add(value)
    return {name for name, seen in values.items() if len(seen) > 1}


def learn(host: str, body: bytes) -> set[str]:
    """Remember the page's varying session parameters for its host; returns the new ones."""
    found = varying(body) - LEARNED.get(host, set())
    if found:
        LEARNED.setdefault(host, set()).update(found)
    return found


def strip_learned(url: str) -> str:
    """`url` without the session parameters learned for its host (a random value only: a short
    value of the same name on that host is left alone)."""
    parts = urlsplit(url)
    names = LEARNED.get(parts.netloc.lower())
    if not names or not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (k.lower() in names and random_value(v))]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept, safe="/:,")))


class SessionParamsMiddleware(CrawlerBound):
    """Learns a page's session parameters (`learn`) before its callback turns links into requests."""

    def process_response(self, request: Request, response: Response) -> Response:
        if isinstance(response, TextResponse) and 200 <= response.status < 300:
            found = learn(urlsplit(response.url).netloc.lower(), response.body)
            if found:
                self.crawler.stats.inc_value("nianbao/session_params_learned", len(found))
                from crawler.wire import note

                note(self.crawler, request, response.url, "session-params",
                     f"links carry a per-link session id ({', '.join(sorted(found))}=<random>): dropped from this"
                     " host's URLs")
        return response
