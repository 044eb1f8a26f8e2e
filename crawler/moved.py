"""A listed report that moved to an address the crawl had reached another way: recorded as its list named it.

A 年报 list names a report (title, year, body) at an address that now redirects (a site moved its
articles, an old link kept alive).  Scrapy follows the redirect with a request for the new address, and
when another path of the crawl asked for that address already (a link titled only
政府信息公开工作年度报告, naming no year, or a link not read as a report at all) the dupefilter drops the
hop without a word, and the list's title and year with it: the page is archived by the other path, but
never recorded as the report the list named.  When an earlier crawl's fetch of the old address had
failed, its year stayed `unreached` in the completeness matrix though the report was in the archive.

Fetching the page once more for the list's sake would cost the portal a request per moved report (a
crawl fetches each page once), so the dropped hop is remembered (`dropped`) and settled when the crawl
closes (`settle`), when every path has been read: the chain's hops are recorded as ending at the new
address (`fetches.final_url`, which the completeness matrix follows), and a report document is written
there with the list's title, year and body when this run fetched the page (HTTP 200, no error row for
it) and no report of the source with a year is recorded there already (a page another path read as a
report keeps its own reading; an attachment stays an attachment).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scrapy import Request

from archive.store import document_id

logger = logging.getLogger(__name__)


class MovedReports:
    """One family spider's dropped redirect hops (its own sources'), settled at the crawl's close."""

    def __init__(self, spider: Any, listed: Callable[[Request], dict | None]) -> None:
        self.spider, self.listed = spider, listed
        self.hops: list[tuple[list[int], str]] = []  # a chain's fetch ids and where it led
        self.waiting: list[tuple[str, str, str | None, dict]] = []  # source, new address, list page, info

    def dropped(self, request: Request, *_: Any, **__: Any) -> None:
        """request_dropped: a redirect's hop the scheduler refused (its address asked for already)."""
        source_id = request.meta.get("source_id")
        if not request.meta.get("redirect_urls") or source_id not in self.spider.sources:
            return
        hops = [h for h in request.meta.get("nianbao_hops") or [] if h is not None]
        if hops:
            self.hops.append((hops, request.url))
        info = self.listed(request)
        if info is not None:
            parent = request.cb_kwargs.get("parent") or request.meta.get("nianbao_parent")
            self.waiting.append((source_id, request.url, parent, dict(info)))

    def settle(self, *_: Any, **__: Any) -> int:
        """Record where the dropped chains led, and the listed reports found at their new address.
        Returns the documents written."""
        archive, run_id = self.spider.archive, self.spider.run_id
        written = 0
        try:
            for hops, url in self.hops:
                archive.set_final_url(hops, url)
            conn = archive.db.conn
            for source_id, url, parent, info in self.waiting:
                fetched = conn.execute(
                    "SELECT 1 FROM fetches WHERE run_id IS ? AND source_id IS ? AND status = 200"
                    " AND (url = ? OR final_url = ?) LIMIT 1", (run_id, source_id, url, url)).fetchone()
                failed = conn.execute("SELECT 1 FROM crawl_errors WHERE run_id IS ? AND source_id IS ? AND url = ?"
                                      " LIMIT 1", (run_id, source_id, url)).fetchone()
                doc = conn.execute("SELECT kind, year FROM documents WHERE id = ?",
                                   (document_id(source_id, url),)).fetchone()
                if not fetched or failed or (doc is not None and (doc[0] != "report" or doc[1] is not None)):
                    continue
                archive.record_document(source_id=source_id, url=url, kind="report", parent_url=parent,
                                        title=info.get("title"), year=info.get("year"), agency=info.get("agency"),
                                        published=info.get("published"))
                written += 1
                logger.info("listed report %s (%s) found at its new address %s", info.get("title"), info.get("year"),
                            url)
        except Exception as exc:  # settling must not turn a finished crawl into a failed one
            logger.warning("recording the moved listed reports failed: %s", exc)
        return written
