"""One spider per crawl run that hands each source to its family's spider.

Why not one Scrapy crawler per family: each crawler has its own downloader, so its own
per-domain slots.  Two families on the same host (a city's TRS column and a department's
generic column on www.x.gov.cn) would then each send CONCURRENT_REQUESTS_PER_DOMAIN requests
at once, and a per-source `concurrency: 1` would only bind its own family.  With one crawler
and this dispatcher, every request of the run goes through one downloader and one slot per
host:port (requests carry meta["download_slot"] = host:port), so the politeness caps hold
across families.  (The dupefilter keys on URL and source: see crawler/fingerprint.py.)

The family spiders are real spider objects (built with the same crawler, so settings, stats and
the archive are shared); their requests keep their own bound callbacks, which Scrapy calls as is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy import Request
from scrapy.utils.misc import load_object

SPIDERS = {
    "trs": "crawler.spiders.trs.TrsSpider",
    "hanweb": "crawler.spiders.hanweb.HanwebSpider",
    "shandong": "crawler.spiders.shandong.ShandongSpider",
    "generic": "crawler.spiders.generic.GenericSpider",
}


class RunSpider(scrapy.Spider):
    """`sources` of any known family; unknown families are the caller's to report.  `registry`: the
    whole registry the run started from (the family spiders leave other entries' subtrees alone)."""

    name = "nianbao"

    def __init__(self, sources: Iterable[Any] = (), run_id: str | None = None, *args: Any,
                 registry: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_id = run_id
        self.registry = list(registry)  # every entry of the registry file, for the family spiders
        self.by_family: dict[str, list[Any]] = {}
        for source in sources:
            self.by_family.setdefault(source.family, []).append(source)
        self.families: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        for family, members in sorted(spider.by_family.items()):
            if family in SPIDERS:
                spider.families[family] = load_object(SPIDERS[family]).from_crawler(
                    crawler, sources=members, run_id=spider.run_id, registry=spider.registry)
        spider.allowed_domains = sorted({d for s in spider.families.values() for d in s.allowed_domains})
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for family in self.families.values():
            async for request in family.start():
                yield request

    def source_id_for_url(self, url: str) -> str | None:
        for family in self.families.values():
            found = family.source_id_for_url(url)
            if found is not None:
                return found
        return None

    def stats_rows(self) -> dict[str, dict]:
        rows: dict[str, dict] = {}
        for family in self.families.values():
            rows.update(family.stats_rows())
        return rows
