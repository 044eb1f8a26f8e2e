"""Shandong's intensive government-site platform (山东省政府网站集约化平台): every body's disclosure
column lives at `/gongkai/site_<code>/channel_<id>/`, each item at `…/doc_<24 hex>.html`.

The doc id is a MongoDB ObjectId: its first 8 hex digits are the creation time in unix seconds,
which dates an item even when the list prints no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from scrapy.http import TextResponse

from crawler.spiders.base import BaseSpider, Entry

DOC_RE = re.compile(r"/gongkai/site_[A-Za-z0-9_]+/channel_[0-9a-fA-F]+/doc_([0-9a-fA-F]{24})\.html?$")
CHINA = timezone(timedelta(hours=8))


def doc_published(url: str) -> str | None:
    """Publication date (China time) from the ObjectId in a doc URL."""
    m = DOC_RE.search(url.split("?")[0])
    if not m:
        return None
    seconds = int(m.group(1)[:8], 16)
    return datetime.fromtimestamp(seconds, UTC).astimezone(CHINA).date().isoformat()


class ShandongSpider(BaseSpider):
    name = "shandong"
    family = "shandong"

    def list_entries(self, response: TextResponse, source: Any) -> Iterator[Entry]:
        for entry in super().list_entries(response, source):
            if self.selector(source, "list_item") or DOC_RE.search(entry.url.split("?")[0]):
                yield entry

    def published_of(self, entry: Entry) -> str | None:
        return doc_published(entry.url) or entry.published
