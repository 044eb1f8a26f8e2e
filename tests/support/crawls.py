"""Crawling a set of portal shapes (tests/portal/homes9…11) the way the registry-driven crawl runs,
for tests that then read the archive and what each server saw."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from archive.store import BlobStore
from crawler.run import crawl
from tests.test_crawl_generic import FAST


def crawl_portals(data: Path, shapes: Any, ids: Collection[str] | None = None,
                  settings: dict | None = None) -> Path:
    """Registry of the running `shapes` (only the sources in `ids`, if given) written to
    data/sources.yaml, then crawled fast into `data` with its log in data/crawl.log."""
    sources = data / "sources.yaml"
    entries = [e for e in shapes.registry() if ids is None or e["id"] in ids]
    sources.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    crawl(data, sources_path=sources, settings={**FAST, "LOG_FILE": str(data / "crawl.log"), **(settings or {})})
    return sources


@contextmanager
def crawled_portals(data: Path, start: Callable[[], AbstractContextManager[Any]], ids: Collection[str] | None = None,
                    settings: dict | None = None) -> Iterator[SimpleNamespace]:
    """The portals started, crawled and stopped; yields conn (sqlite3.Row rows), shapes, data, sources
    while the archive's database stays open."""
    with start() as shapes:
        sources = crawl_portals(data, shapes, ids, settings)
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        yield SimpleNamespace(conn=conn, shapes=shapes, data=data, sources=sources)
    finally:
        conn.close()


def reports(crawled: SimpleNamespace, sid: str) -> list[sqlite3.Row]:
    """The documents the crawl filed as `sid`'s reports."""
    return crawled.conn.execute("SELECT * FROM documents WHERE kind = 'report' AND source_id = ?", (sid,)).fetchall()


def blob(crawled: SimpleNamespace, sha: str) -> bytes:
    """The archived bytes of one snapshot's blob."""
    return BlobStore(crawled.data).get(sha)


def errors(crawled: SimpleNamespace, sid: str) -> list[tuple[str, str]]:
    """(url, reason) of every crawl error row (notes included) recorded for `sid`."""
    return [tuple(r) for r in crawled.conn.execute("SELECT url, reason FROM crawl_errors WHERE source_id = ?", (sid,))]


def assert_own_reports_found_once(crawled: SimpleNamespace, sid: str, exact_agency: bool = True) -> None:
    """Each of the site's true reports (shapes.truth) filed once, at its URL, with its year and body
    (the truth's agency, or within the filed one when `exact_agency` is off); and nothing else: no
    look-alike, no other body's report, no page under a second URL."""
    base = crawled.shapes.bases[sid]
    found = reports(crawled, sid)
    truth = [t for t in crawled.shapes.truth if t.site == sid]
    assert truth
    for t in truth:
        rows = [r for r in found if r["url"] == base + t.url]
        assert len(rows) == 1, (t, sorted(r["url"] for r in found))
        assert rows[0]["year"] == t.year, t
        agency = rows[0]["agency"]
        assert agency == t.agency if exact_agency else (agency and t.agency in agency), (t, agency)
    assert len(found) == len(truth), sorted(r["url"] for r in found)
