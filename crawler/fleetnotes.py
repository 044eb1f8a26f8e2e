"""The end of a distributed crawl, judged over the whole fleet (the generic spider's last steps).

When a crawl runs dry the generic spider walks held-back catalogue nodes, probes /sitemap.xml, asks a
site's search, and notes a source that found nothing (`GenericSpider.end_of_crawl`).  Each worker
used to do that at its own idle moments by what it alone had seen: the worker that read a source's
年报 column was often not the one that read its reports, so sources that found their reports got
`note: 年报 column reached but no report found …` or `no 年报 column found …`, and a worker that had
read only a robots.txt probed the host's sitemaps, requests (and page counts) a single crawl never
makes.  Now each worker publishes what it knows of each source (`source_facts`) in the run's
`generic:facts` hash when a request of the source is done and whenever it is idle; the end is judged
only when the fleet is dry (queue and start URLs empty, no worker holding a request or a start URL),
by one worker at a time (`generic:endpass`, a short lease), over the sum of every worker's facts; and
each probe, search and note is claimed once for the fleet (`generic:claims`).

The notes a crawl writes about what it left out are the fleet's too.  Every `note:` row is written once
per source and kind over the run (`claim_note`, for every family's spider), as one process writes it,
not once per worker.  And the notes judged from what the whole crawl read (a 年报 list whose pager was
not walked, with the column pages read; the longest list that is no column and was not paged) are
written by the end pass over the fleet's facts (`GenericSpider.closing_notes`), not by each worker at
its close from its own share: a page one worker took for an unpaged list was another's column page.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from crawler.distributed import FLEET_NOTES, REDIS_ERRORS, key

logger = logging.getLogger(__name__)

FACTS, CLAIMS, ENDPASS = FLEET_NOTES  # deleted with the run's other keys when the coordinator closes it
ENDPASS_TTL = 60  # seconds: a worker killed while judging frees the pass by itself


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class FleetNotes:
    """One worker's side of the fleet-wide end of crawl (see the module docstring)."""

    def __init__(self, server: Any, run_id: str, worker: str) -> None:
        self.server, self.run_id, self.worker = server, run_id, worker

    def publish(self, spider: Any, source_ids: list[str] | None = None) -> None:
        """This worker's facts of these sources (all by default), where the fleet reads them."""
        ids = list(spider.sources) if source_ids is None else [s for s in source_ids if s in spider.sources]
        if not ids:
            return
        self.server.hset(key(self.run_id, FACTS), mapping={
            f"{self.worker}|{sid}": json.dumps(spider.source_facts(sid), ensure_ascii=False) for sid in ids})

    def dry(self) -> bool:
        """No request queued or held, and no start URL waiting or held, anywhere in the fleet."""
        s, run = self.server, self.run_id
        if s.zcard(key(run, "requests")) or s.llen(key(run, "start_urls")):
            return False
        for worker in s.smembers(key(run, "workers")):
            w = _text(worker)
            if s.hlen(key(run, f"inflight:{w}")) or s.hlen(key(run, f"seeds:{w}")):
                return False
        return True

    def end_pass(self, spider: Any) -> dict[str, dict[str, Any]] | None:
        """The fleet's view of every source when this worker may judge the end now (the fleet dry and
        the pass this worker's), else None.  `done()` must follow a view."""
        try:
            self.publish(spider)
            if not self.dry():
                return None
            lease = key(self.run_id, ENDPASS)
            if not self.server.set(lease, self.worker, nx=True, ex=ENDPASS_TTL) \
                    and _text(self.server.get(lease) or b"") != self.worker:
                return None
            if not self.dry():  # another worker's pass released work just before ours
                self.done()
                return None
            published = self.server.hgetall(key(self.run_id, FACTS))
        except REDIS_ERRORS as exc:
            logger.warning("fleet end of crawl: redis unreachable (%s): judged by a later idle or another worker",
                           exc)
            return None
        return self.merge(spider, published)

    def view(self, spider: Any) -> dict[str, dict[str, Any]]:
        """The fleet's facts as published so far, this worker's own fresh (its own alone if Redis is away)."""
        try:
            self.publish(spider)
            published = self.server.hgetall(key(self.run_id, FACTS))
        except REDIS_ERRORS:
            published = {}
        return self.merge(spider, published)

    def merge(self, spider: Any, published: dict) -> dict[str, dict[str, Any]]:
        """Sum and union every worker's facts per source (this worker's own taken fresh)."""
        view = {sid: spider.source_facts(sid) for sid in spider.sources}
        for field, raw in published.items():
            worker, _, sid = _text(field).rpartition("|")
            if worker == self.worker or sid not in view:
                continue
            try:
                theirs = json.loads(_text(raw))
            except ValueError:
                continue
            mine = view[sid]
            for count in ("pages", "reports_found", "errors"):
                mine[count] += int(theirs.get(count) or 0)
            for flag in ("column", "explained", "sitemaps_asked"):
                mine[flag] = mine[flag] or bool(theirs.get(flag))
            for first in ("start_seen", "column_seen", "search_url", "searched"):
                mine[first] = mine[first] or theirs.get(first)
            mine["column_urls"] = sorted({*mine["column_urls"], *(theirs.get("column_urls") or ())})
            for pages in ("unwalked", "unpaged"):  # url -> why / page count: the first word kept
                mine[pages] = {**(theirs.get(pages) or {}), **mine[pages]}
            mine["reserved_elsewhere"] += int(theirs.get("reserved") or 0)
        return view

    def claim(self, kind: str, source_id: str) -> bool:
        """True for the first worker of the fleet to claim this (a probe, a search, a note) for the source."""
        try:
            return bool(self.server.sadd(key(self.run_id, CLAIMS), f"{kind}|{source_id}"))
        except REDIS_ERRORS:
            return False

    def claim_note(self, kind: str, source_id: str | None) -> bool:
        """True for the one worker of the fleet that writes this kind of note for the source.  Redis
        unreachable: True (a note written twice is better than a note lost)."""
        try:
            return bool(self.server.sadd(key(self.run_id, CLAIMS), f"note:{kind}|{source_id}"))
        except REDIS_ERRORS:
            return True

    def done(self) -> None:
        try:
            lease = key(self.run_id, ENDPASS)
            if _text(self.server.get(lease) or b"") == self.worker:
                self.server.delete(lease)
        except REDIS_ERRORS:
            pass  # the lease expires by itself
