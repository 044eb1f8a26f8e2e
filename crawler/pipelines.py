"""Item pipeline: every discovered report or attachment becomes a `documents` row."""

from __future__ import annotations

from crawler.items import DocumentItem
from crawler.middlewares import archive_for


class DocumentPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.archive = archive_for(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        if isinstance(item, DocumentItem):
            self.archive.record_document(
                source_id=item.source_id, url=item.url, kind=item.kind, parent_url=item.parent_url,
                title=item.title, year=item.year, agency=item.agency, published=item.published,
            )
            self.crawler.stats.inc_value(f"nianbao/documents/{item.kind}")
        return item
