"""An exception inside a spider's page handling is the source's error, not silence.

Scrapy logs a callback's traceback ("Spider error processing …") and goes on; the run then closed
`finished` with the page fetched, 0 reports and 0 errors (seen: a bad `--set` value raising in a
list callback), and `nianbao status` said only "0 reports found".  This extension turns Scrapy's
`spider_error` signal into a `crawl_errors` row counted against the source, once per (source,
reason): a bug that fails on every page of a portal is one row, its count added when the spider
closes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy import signals

from archive.store import log_write_failure
from crawler.middlewares import archive_for
from crawler.navigation import family_spider

logger = logging.getLogger(__name__)


@dataclass
class Seen:
    url: str
    count: int = 1


def error_reason(exc: BaseException, callback: str | None = None) -> str:
    """One line: where it failed, the exception type and the first line of its message."""
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    where = f" in {callback}" if callback else ""
    return f"spider error{where}: {type(exc).__name__}" + (f": {text}" if text else "")


class SpiderErrors:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.seen: dict[tuple[str | None, str], Seen] = {}
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpiderErrors:
        return cls(crawler)

    def spider_error(self, failure: Any, response: Any, spider: Any) -> None:
        request = getattr(response, "request", None)
        meta = request.meta if request is not None else {}
        url = (meta.get("redirect_urls") or [getattr(request, "url", None) or response.url])[0]
        source_id = meta.get("source_id")
        if source_id is None and hasattr(spider, "source_id_for_url"):
            source_id = spider.source_id_for_url(url)
        spider = family_spider(spider, source_id) or spider
        callback = getattr(getattr(request, "callback", None), "__name__", None)
        reason = error_reason(failure.value, callback)
        key = (source_id, reason)
        if key in self.seen:
            self.seen[key].count += 1
            return
        self.seen[key] = Seen(url)
        try:
            if hasattr(spider, "record_problem"):
                spider.record_problem(source_id, url, reason)  # counted as the source's error
            else:
                archive_for(self.crawler.settings).record_error(self.run_id(spider), source_id, url, reason)
        except Exception as exc:  # recording must not turn one error into a second one
            log_write_failure(logger, exc, "recording the spider error at %s failed", url)

    def run_id(self, spider: Any) -> str | None:
        return getattr(spider, "run_id", None) or self.crawler.settings.get("NIANBAO_RUN_ID")

    def closed(self, spider: Any, reason: str) -> None:
        run_id = self.run_id(spider)
        repeated = [(key, seen) for key, seen in self.seen.items() if seen.count > 1]
        if not repeated:
            return
        try:
            with archive_for(self.crawler.settings).transaction() as conn:
                for (source_id, why), seen in repeated:
                    conn.execute(
                        "UPDATE crawl_errors SET reason = ? WHERE id = (SELECT max(id) FROM crawl_errors"
                        " WHERE run_id IS ? AND source_id IS ? AND reason = ?)",
                        (f"{why} ({seen.count} times)", run_id, source_id, why))
        except Exception as exc:
            log_write_failure(logger, exc, "counting repeated spider errors failed")
