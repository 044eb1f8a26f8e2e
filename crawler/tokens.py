"""A page's per-request tokens: what changes in its bytes on every fetch while the page does not.

A CMS prints a fresh random value into some links on every answer (a 换一换 link's `?rnd=`, a
`?timestamp=` cache-buster, a `;jsessionid=` in every href).  The crawl already takes such URLs for
one page (`crawler.spiders.base.strip_session`); the archive asks the same rule whether a page's
new bytes are a new version (`archive.store.Fetch.same_version`): two bodies that are equal once every
link's URL has lost its session and cache-buster parts are one version of the page, so an unchanged
list does not become a new snapshot every night.  Everything else counts: a new link, a changed title,
a changed number, even a changed link path or a changed value of any other query key.
"""

from __future__ import annotations

import re

# a URL-valued attribute, quoted: the value is what `strip_session` rewrites
_URL_ATTR_RE = re.compile(rb"""(\b(?:href|src|action|data-url|data-href|data-src)\s*=\s*)(["'])([^"'<>]*)\2""", re.I)


def without_tokens(body: bytes) -> bytes:
    """The body with every link's per-request parts (session path parameters, cache-buster query keys, a
    host's learned session keys) dropped; bytes outside URL attributes, and URLs without them, unchanged."""
    from crawler.spiders.base import strip_session  # the spiders import the middleware that calls this

    def clean(m: re.Match[bytes]) -> bytes:
        raw = m.group(3)
        if b"?" not in raw and b";" not in raw:
            return m.group(0)
        value = raw.decode("latin-1").replace("&amp;", "&")
        return m.group(1) + m.group(2) + strip_session(value).encode("latin-1", "replace") + m.group(2)

    return _URL_ATTR_RE.sub(clean, body)
