"""What the spiders hand to the pipeline: one discovered document (a report or an attachment).

A plain dataclass (Scrapy accepts dataclass items) so the pipeline, tests and the archive
all see the same field names as the `documents` table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class DocumentItem:
    source_id: str
    url: str
    kind: str  # "report" | "attachment"
    parent_url: str | None = None
    title: str | None = None
    year: int | None = None
    agency: str | None = None
    published: str | None = None
    spider: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)
