"""Which address keeps the `reports` row when one reading of a report was found at two (the 年报 column's
item and a copy under a 重点领域 column, or a 【置顶】 copy pinned above the list): the other becomes its
`duplicates` row.  The crawl reaches the two in whatever order its requests finish, so the order they were
first seen in chose differently from one fresh crawl to the next; this rank does not depend on it.

Better first: a copy listed without a badge (【置顶】, 最新, new), then one listed on a page titled as the
年报 column itself (政府信息公开年报) rather than a qualified copy of it (重点领域—政府信息公开年报), then a
published page's URL over a dynamic view's (`content.jsp?id=6001`), then the smaller URL (any fixed order:
the same archive gives the same row every time)."""

from __future__ import annotations

import re
import sqlite3

from archive.content import decode_body
from archive.filenames import utf8_or_gb18030
from archive.store import BlobStore

BADGE_RE = re.compile(r"^\s*[\[【(（]?\s*(?:置顶|最新|推荐|荐|新|热|new|hot|top)\s*[\]】)）]", re.I)
# the column's own name, as its page's <title> prints it (before a site-name suffix)
PLAIN_COLUMN_RE = re.compile(r"^(?:(?:政府)?信息公开|政务公开)?(?:工作)?(?:年度报告|年报|年度工作报告)(?:专栏)?$")
TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
SITE_SUFFIX_RE = re.compile(r"\s*(?:[_|｜]|\s-\s).*$")


class CopyRank:
    """Ranks documents holding the same reading (smaller is the better home), reading each listing page's
    title once from the archive."""

    def __init__(self, conn: sqlite3.Connection, blobs: BlobStore) -> None:
        self.conn, self.blobs = conn, blobs
        self.titles: dict[str, str] = {}

    def rank(self, document_id: str) -> tuple[int, int, int, str]:
        row = self.conn.execute("SELECT url, title, parent_url FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            return (1, 1, 1, "")
        url, title, parent = row
        badged = bool(BADGE_RE.match(title or ""))
        column = PLAIN_COLUMN_RE.match(self.listing_title(parent)) if parent else None
        return (int(badged), 0 if column else 1, int("?" in (url or "")), url or "")

    def listing_title(self, url: str) -> str:
        """The <title> of the page that listed the copy (its latest whole answer), without a site suffix."""
        if url not in self.titles:
            self.titles[url] = ""
            snap = self.conn.execute("SELECT headers, sha256 FROM snapshots WHERE url = ? AND status = 200"
                                     " ORDER BY id DESC LIMIT 1", (url,)).fetchone()
            if snap is not None:
                try:
                    body = decode_body(snap[0], self.blobs.read(snap[1]))
                except Exception:  # a damaged or missing blob: no title, no preference
                    body = b""
                found = TITLE_RE.search(body[:65536])
                if found:
                    raw = found.group(1)
                    text = utf8_or_gb18030(raw)
                    text = raw.decode("utf-8", "replace") if text is None else text
                    self.titles[url] = SITE_SUFFIX_RE.sub("", re.sub(r"\s+", " ", text).strip()).replace(" ", "")
        return self.titles[url]
