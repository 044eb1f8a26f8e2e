"""Item pipeline: every discovered report or attachment becomes a `documents` row.

It also stops the crawl at the first full-disk error anywhere in the archive (a blob, a WARC
record, a SQLite commit): every later write would fail too, and the run must end as
`failed: no space left on device …` (the archive frees a reserve so that can be committed),
not as a run left 'running' and found `interrupted` without a reason by the next one.
"""

from __future__ import annotations

import logging

from archive.store import is_disk_full
from crawler.items import DocumentItem
from crawler.middlewares import archive_for

logger = logging.getLogger(__name__)


class DocumentPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.archive = archive_for(crawler.settings)
        self.archive.on_disk_full = self.stop_for_disk_full

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def stop_for_disk_full(self, reason: str) -> None:
        """Close the spider now, with the reason as the run's status (crawler/watchdog.py)."""
        dog = getattr(self.crawler, "nianbao_watchdog", None)
        if dog is not None:
            if dog.reason is None:
                dog.end(f"failed: {reason}", "disk full")
            return
        engine = getattr(self.crawler, "engine", None)  # pragma: no cover - the watchdog is always installed
        if engine is not None and getattr(self.crawler, "spider", None) is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="disk full"))

    def process_item(self, item):
        if isinstance(item, DocumentItem):
            try:
                self.archive.record_document(
                    source_id=item.source_id, url=item.url, kind=item.kind, parent_url=item.parent_url,
                    title=item.title, year=item.year, agency=item.agency, published=item.published,
                )
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                self.archive.disk_full(exc)  # first sight stops the crawl; later items say nothing more
                return item
            self.crawler.stats.inc_value(f"nianbao/documents/{item.kind}")
        return item
