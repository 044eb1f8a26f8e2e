"""Archiving a hand-made 200 response, as a crawl would: the tests that build an archive without a
crawler (re-parse, extraction cache, hostile input, the re-parse bench) all record fetches this way."""

from __future__ import annotations

import gzip

from archive.store import Archive, Fetch


def put_response(arc: Archive, url: str, body: bytes, at: str, ctype: str = "application/json",
                 gz: bool = False, source_id: str = "s1") -> None:
    """Record `body` served at `url` at time `at`; `gz` sends it gzip-encoded, as many portals do."""
    headers = [("Content-Type", ctype)]
    if gz:
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    arc.record(Fetch(url=url, final_url=url, status=200, headers=headers, body=body, fetched_at=at,
                     referrer=None, source_id=source_id, spider="test"))
