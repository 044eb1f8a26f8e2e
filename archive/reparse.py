"""`nianbao parse` without a path: rebuild every parsed table from the archived bytes.

Parsing is a pure function of the blobs, so the derived tables are dropped and rebuilt
each run; a better parser is applied to the whole history at once and no stale row
survives.  The network is never touched: everything comes from blobs + provenance rows.

Which bytes hold a report: the report page itself when it carries the statistics
tables, otherwise its attachments (documents whose parent_url is the page), tried in
format order PDF, DOCX, DOC, WPS, spreadsheets, anything else.  Every revision of the
chosen bytes becomes a `reports` row; the newest is `is_latest`.  A report page printed over
several pages (documents of kind `page` under it, see `Rebuilder.article`) is read as the pages'
texts joined in order, filed under the first page's latest snapshot.  When no single file holds
the whole record (scanned pages as pictures, narrative on the page with the tables in an XLSX or a
附表.pdf), the page and its files are read as one report (`Rebuilder.combined`, archive/parts.py),
each number keeping the file it was read from.  A 汇编 (one file holding several bodies' reports, one
after another) is one `reports` row per body (`reports.part`, `Rebuilder.by_part`).

Extraction (bytes -> text; OCR and LibreOffice are the slow part) goes through the cache in
archive/extract_cache.py, keyed by the bytes and the extractor code: a second run only runs the
core text parser.  `use_cache=False` extracts everything again (and refreshes the cache).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import mimetypes
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from archive import db as schema
from archive import filenames, labels, parts, withdrawals
from archive.bodies import ByName
from archive.carriers import carried_reports, report_keys
from archive.completeness import record_registry
from archive.content import decode_body
from archive.extract_cache import ExtractCache
from archive.homecopy import CopyRank
from archive.placing import Place, place, registry_places
from archive.preamble import correction_preamble
from archive.renames import Rename, Seen, find_renames
from archive.spill import SpillQueue
from archive.store import BlobStore
from archive.textsearch import bigrams
from parsers.pagejoin import join_pages

PARSED_MEMO = 64  # parse results remembered (oldest dropped): each holds a report's cells
ATTACHMENT_ORDER = (".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".ofd")
DENIED = ("denied_state_secret", "denied_prohibited_by_law", "denied_three_securities", "denied_third_party",
          "denied_internal_affairs", "denied_process_info", "denied_enforcement_files", "denied_admin_query")
UNAVAILABLE = ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
LEGAL_PERSON_COLUMNS = ("commercial", "research", "social_welfare", "legal_services", "other_org")
NOT_PROCESSED = ("not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                 "not_processed_excessive", "not_processed_confirmation")

Parser = Callable[[bytes, str | None], Any]


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parser_version() -> str:
    try:
        v = metadata.version("nianbao")
    except metadata.PackageNotFoundError:
        v = "unknown"
    try:
        import parsers

        extra = getattr(parsers, "__version__", None) or getattr(parsers, "PARSER_VERSION", None)
    except ImportError:
        extra = None
    return f"nianbao/{v}" + (f" parsers/{extra}" if extra else "")


def file_name(url: str, content_type: str | None) -> str:
    """A name with a useful extension; the parser sniffs bytes anyway, this is only a hint."""
    name = filenames.url_name(url) or "index"
    if not PurePosixPath(name).suffix and content_type:
        ext = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""
        name += ".html" if ext in (".htm", ".html") else ext
    return name


def attachment_rank(url: str, kind: str | None = None) -> tuple[int, str]:
    """Which of a page's files is read first: by the URL's suffix, else by the kind its archived bytes
    are (`kind`: a PDF served from `/download.jsp?id=9` ranks as a `.pdf`)."""
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    if suffix not in ATTACHMENT_ORDER and kind:
        suffix = "." + kind
    rank = ATTACHMENT_ORDER.index(suffix) if suffix in ATTACHMENT_ORDER else len(ATTACHMENT_ORDER)
    return rank, url


def page_order(url: str) -> list:
    """Pages of an article in reading order: numbers compared as numbers (124_2 before 124_10)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", url)]


_SCRIPTS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.I | re.S)
_LOADING = re.compile(r">\s*(?:数据)?(?:正在)?加载中?[.…。]*\s*<|>\s*loading[.…]*\s*<", re.I)


def script_shell(data: bytes) -> bool:
    """HTML whose body shows only a 加载中… / loading placeholder beside script: what it holds comes
    from script (the crawler renders such pages; crawler/spiders/render.py `script_shell` is its live test)."""
    head = data[:300_000]
    text = head.decode("utf-8", "replace")
    if text.count("\ufffd") > 20:
        text = head.decode("gb18030", "replace")
    return "<script" in text.lower() and bool(_LOADING.search(_SCRIPTS.sub("", text)))


def tabled(result: Any) -> bool:
    """A parse result (None: failed) whose record holds a statistics table."""
    return result is not None and has_tables(_attr(result, "record", {}))


def bare(result: Any) -> bool:
    """A reading with no table, no narrative and no heading of the template: a page that only shows a
    title and links its file ("附件：…").  A pre-2019 report has no tables but its narrative."""
    if result is None or tabled(result):
        return result is None
    sections = (_attr(result, "record", {}) or {}).get("sections") or {}
    return not any(str(v or "").strip() for v in sections.values()) and not _attr(result, "meta", {}).get("sections_found")


def has_tables(record: dict) -> bool:
    def filled(v: Any) -> bool:
        if isinstance(v, dict):
            return any(filled(x) for x in v.values())
        if isinstance(v, list):
            return any(filled(x) for x in v)
        return v is not None

    return any(filled(record.get(k)) for k in ("applications", "active_disclosure", "reviews_litigation"))


def _total(record: dict, group: str, row: str) -> Any:
    r = (record.get(group) or {}).get(row)
    return r.get("total") if isinstance(r, dict) else None


def _sum(values: list) -> Any:
    present = [v for v in values if isinstance(v, int | float)]
    return sum(present) if present else None


def _group_total(record: dict, items: tuple[str, ...], heading: str) -> Any:
    """A group of table 3's outcomes: the sum of its items' totals; where the report prints none of
    its items but the group's own total (its row kept under `extra_rows`, parsers/grouprows), that total."""
    from parsers.grouprows import heading as group_heading

    summed = _sum([_total(record, "applications", k) for k in items])
    if summed is not None:
        return summed
    apps = record.get("applications")
    extra = apps.get("extra_rows") if isinstance(apps, dict) else None
    for row in extra or []:
        if isinstance(row, dict) and group_heading(str(row.get("label") or "")) == heading:
            return (row.get("values") or {}).get("total")
    return None


def _cell(record: dict, group: str, row: str, col: str) -> Any:
    r = (record.get(group) or {}).get(row)
    return r.get(col) if isinstance(r, dict) else None


def finding_key(document_id: str, finding: dict) -> str:
    """Stable id of a finding: same document, identity, code and cells -> same key after any re-parse,
    so a reviewer's verdict (finding_reviews) outlives the rebuilt findings rows and rowids."""
    cells = finding.get("cells")
    if isinstance(cells, list):
        cells = sorted(cells, key=lambda c: json.dumps(c, ensure_ascii=False, sort_keys=True))
    cells_text = json.dumps(cells, ensure_ascii=False, sort_keys=True)
    parts = [document_id, str(finding.get("identity")), str(finding.get("code")), cells_text]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def _attr(result: Any, name: str, default: Any) -> Any:
    if isinstance(result, dict):
        return result.get(name, default)
    return getattr(result, name, default) or default


class Rebuilder:
    def __init__(self, root: Path, parse: Parser | None, use_cache: bool = True,
                 fingerprint: str | None = None) -> None:
        self.root = Path(root)
        self.db = schema.connect(self.root / "nianbao.db")
        self.conn = self.db.conn
        self.blobs = BlobStore(self.root)
        # the default parser goes through the extraction cache; a caller's own parser is used as is
        self.cache = None if parse is not None else ExtractCache(self.conn, fingerprint, refresh=not use_cache)
        self.parse = parse or self.cache.parse
        self.registry: tuple[list, str | None] | None = None  # (sources, path) to record with the tables
        self.version = parser_version()
        self.stats = {"documents": 0, "reports": 0, "failures": 0, "cells": 0, "findings": 0,
                      "no_snapshot": 0, "no_tables": 0, "carriers": 0,
                      "failed_carriers": 0}
        self._parsed: dict[int, Any] = {}
        self._errors: dict[int, tuple[dict, str]] = {}
        self._failed: set[int] = set()
        self.ops = SpillQueue(self.root)  # (sql, params) until the swap, on disk: memory stays flat
        self._report_ids: set[str] = set()
        self._preambles: set[str] = set()  # reports given a correction notice's `preamble` section
        # (report id, agency, year, place, the record's carry-over rows only): identity 5 pairs a body's
        # years by name and place (archive/bodies.py), and needs no more of the record
        self._latest: list[tuple[str, Any, Any, tuple, dict]] = []
        self._section_id = 0
        self._document_of: dict[str, str] = {}  # report id -> document id (for finding keys)
        self.places: dict[str, Place] = {}  # source id -> registry place (see `run`)
        self.pages: dict[str, list[dict]] = {}  # report page URL -> its later pages (see `run`)
        self.attachments: dict[str, list[dict]] = {}  # report page URL -> its attachments (see `run`)
        self._snapshots: dict[str, list[dict]] = {}
        self._file_kinds: dict[str, str | None] = {}
        self._run_order: dict[str, int] | None = None  # crawl run id -> its place in time (`states`)
        self._written: list[Written] = []  # every report row queued, for `one_series` (no cells: small)
        self._renames: list[Rename] = []  # bodies renamed within a source (`renames`)
        self._carriers: list[tuple[dict, list[str]]] = []  # (page, the report files it carries), `date_carried`

    def rows(self, sql: str, *args: Any) -> list[dict]:
        cur = self.conn.execute(sql, args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def snapshots(self, url: str) -> list[dict]:
        """Server-bytes revisions, last seen last (bytes can revert to an earlier revision);
        rendered DOMs only where no server bytes exist.  Read once per URL and run (`article`,
        `units` and the no-snapshot count all ask)."""
        if url not in self._snapshots:
            sql = ("SELECT * FROM snapshots WHERE url = ? AND status = 200 AND rendered = ?"
                   " ORDER BY last_seen_at, revision")
            self._snapshots[url] = self.rows(sql, url, 0) or self.rows(sql, url, 1)
        return self._snapshots[url]

    def rendered(self, page: list[dict]) -> list[dict]:
        """The browser's DOMs of a page whose server bytes are listed in `page` (none when `page`
        already holds rendered DOMs): a script shell's report is only in them."""
        if not page or page[0]["rendered"]:
            return []
        sql = ("SELECT * FROM snapshots WHERE url = ? AND status = 200 AND rendered = 1"
               " ORDER BY last_seen_at, revision")
        return self.rows(sql, page[0]["url"])

    def write(self, sql: str, params: tuple | list) -> None:
        """Queue a write: everything is parsed first, then written in one short transaction."""
        self.ops.append((sql, tuple(params)))

    def fail(self, snap: dict, reason: str) -> None:
        self.write("INSERT INTO parse_failures (snapshot_id, url, reason, at) VALUES (?, ?, ?, ?)",
                   (snap["id"], snap["url"], reason, now()))
        self.stats["failures"] += 1

    def parsed(self, snap: dict) -> Any | None:
        """Parse one snapshot once; a failure is remembered (see `units`) and yields None."""
        if snap["id"] in self._parsed:
            return self._parsed[snap["id"]]
        result, data = None, b""
        try:
            data = decode_body(snap["headers"], self.blobs.read(snap["sha256"]))
            result = self.parse(data, file_name(snap["final_url"] or snap["url"], snap["content_type"]))
        except Exception as err:  # noqa: BLE001 — one bad file must not stop the batch
            from parsers.errors import describe

            reason = getattr(err, "reason", None) or describe(err)  # the same words as `nianbao parse FILE`
            if not snap["rendered"] and script_shell(data):
                reason = (f"script shell: the server's page is a placeholder (加载中…) that script fills in, and no"
                          f" rendered snapshot of this URL holds the report ({reason})")
            self._errors[snap["id"]] = (snap, str(reason)[:500])
        self._parsed[snap["id"]] = result
        if len(self._parsed) > PARSED_MEMO:  # a memo for one document's tries, not a copy of the archive
            del self._parsed[next(iter(self._parsed))]
        return result

    def report_failures(self, tried: list[dict]) -> None:
        for snap in tried:
            if snap["id"] in self._errors and snap["id"] not in self._failed:
                self._failed.add(snap["id"])
                self.fail(*self._errors[snap["id"]])

    def units(self, doc: dict) -> list[tuple[dict, Any]]:
        """(snapshot, ParseResult) pairs holding this report's tables, oldest revision first.

        One file holding the whole record wins (`single`); when none does, the page and its files
        read as one (`combined`) are taken if that gives more of the record.  Parse failures are
        logged only for the bytes that were chosen, or for everything tried when nothing worked:
        a link page that is "not a report" is no failure when its PDF is, nor a part that was used.
        """
        units, failed, free = self.single(doc)
        if not (units and parts.whole(units[-1][1])):
            joined = self.combined(doc, units)
            if joined:
                # the file that is the whole report by itself: its readings, numbered as readings
                return self.with_history(doc, units, joined[-1]) if "parts" in joined[-1][0] else one_per_reading(joined)
        self.report_failures(failed)
        self.stats["no_tables"] += free
        return one_per_reading(units)

    def single(self, doc: dict) -> tuple[list[tuple[dict, Any]], list[dict], bool]:
        """(units, snapshots whose failures to log, whether it is a page without tables) from the one
        file that holds the report: the page, else its first attachment with tables, else the DOM."""
        page = self.snapshots(doc["url"])
        page_results = [(s, self.parsed(s)) for s in page]
        with_tables = [(s, r) for s, r in page_results if tabled(r)]
        if page and with_tables and with_tables[-1][0]["id"] == page[-1]["id"]:
            return with_tables, page, False
        tried = list(page)
        for att in self.ranked_attachments(doc["url"]):
            snaps = self.snapshots(att["url"])
            tried += snaps
            results = [(s, self.parsed(s)) for s in snaps]
            good = [(s, r) for s, r in results if tabled(r)]
            if good:
                return good, snaps, False
        # a script shell ("加载中…") without files: the rendered DOM of the same URL is the page a reader
        # saw (after the server's bytes, page or attachment: those are what a number should link to)
        dom = self.rendered(page)
        dom_results = [(s, self.parsed(s)) for s in dom]
        dom_tables = [(s, r) for s, r in dom_results if tabled(r)]
        if dom and dom_tables and dom_tables[-1][0]["id"] == dom[-1]["id"]:
            return dom_tables, dom, False
        tried += dom
        if with_tables:
            return with_tables, tried, False
        # no tables anywhere: keep the free-form page (pre-2019 reports have none), unless the page is
        # bare (a title over "附件：…") and a file of it reads: that file's reading is the report
        ok = [(s, r) for s, r in page_results if r is not None] or [(s, r) for s, r in dom_results if r is not None]
        if all(bare(r) for _, r in ok):
            read: list[tuple[list[tuple[dict, Any]], list[dict]]] = []  # (readings, all snapshots) per file
            for att in self.ranked_attachments(doc["url"]):
                snaps = self.snapshots(att["url"])
                good = [(s, r) for s in snaps if (r := self.parsed(s)) is not None]
                if good:
                    read.append((good, snaps))
            chosen = next((x for x in read if not all(bare(r) for _, r in x[0])), read[0] if read else None)
            if chosen is not None:
                # the file is the report: a link page over it ("详见附件", which alone reads as no report)
                # is no failure, as when the file has the tables (above)
                return chosen[0], chosen[1], True
        return ok, tried, bool(ok)

    def combined(self, doc: dict, best: list[tuple[dict, Any]],
                 state: dict[str, dict] | None = None) -> list[tuple[dict, Any]]:
        """The report page and its files read as one report when no single file holds it all.

        The page is read with its pictures (table screenshots, scanned pages) where the archived
        page shows them, as one text (archive/parts.py); that reading or the one file's (`best`,
        from `single`: an XLSX, a 附表.pdf), whichever reads more numbers, gives the tables; the
        sections it lacks come from the page's reading or a file's (a 正文.pdf).  Taken only when
        that gives more of the record than `best`; each file's latest snapshot, or the one `state`
        (url -> snapshot, see `states`) names, filed under the tables' file (the page's snapshot for
        the page read with its pictures), each cell keeping the file it was read from.  A file that
        holds the whole record by itself is returned alone.

        A joined reading is returned under a copy of its filed snapshot with `parts`: the sha256 of
        the files it was read from (the tables' file, the sections' file, the pictures placed in the
        page), so its report id changes only when one of those does: a new snapshot of a 解读 PDF or
        of a picture never read leaves the reading, and links to it, as they were."""
        at = state or {u: s[-1] for u in self.part_urls(doc) if (s := self.snapshots(u))}
        snap = at.get(doc["url"])
        latest = {u: s for u, s in at.items() if u != doc["url"]}
        if snap is None or not latest or snap["rendered"]:
            return []
        try:
            from parsers.detect import detect_kind
            from parsers.formats.html import decode_html

            data = decode_body(snap["headers"], self.blobs.read(snap["sha256"]))
            if detect_kind(data) != "html":
                return []
            html = decode_html(data)
        except Exception:  # noqa: BLE001 — an unreadable page: the single file stands
            return []
        base = snap["final_url"] or snap["url"]
        texts: dict[str, tuple[str, str] | None] = {}

        def text(url: str) -> tuple[str, str] | None:
            if url not in texts:
                s = latest[url]
                try:
                    texts[url] = self.extract(decode_body(s["headers"], self.blobs.read(s["sha256"])))
                except Exception:  # noqa: BLE001 — an unreadable part adds nothing
                    texts[url] = None
            return texts[url]

        order = parts.page_order(html, base, list(latest))
        kinds = {u: self.kind_of(latest[u]) for u in order}  # from the magic bytes: no OCR to sort them
        pictures = [u for u in order if kinds[u] == "image"]
        others = [u for u in order if kinds[u] != "image"]
        files = [(latest[u], r) for u in others if (r := self.parsed(latest[u])) is not None]
        for s, r in files:  # a file that is the whole report by itself: nothing to join
            if tabled(r) and parts.whole(r):
                if state is not None:
                    return [(s, r)]
                self.report_failures(self.snapshots(s["url"]))
                return [(x, y) for x in self.snapshots(s["url"]) if tabled(y := self.parsed(x))]
        if best and best[-1][0]["url"] not in pictures and parts.all_tables(best[-1][1]):
            pictures = []  # the one file (not a picture) prints the three tables: no picture is OCR'd
        own, placed = (self.page_with_pictures(snap, base, html, pictures, latest, text) if pictures
                       else (parts.from_file(self.parsed(snap), snap), []))
        if own is None:
            return []
        tables, filed, read = own, snap, [snap, *placed]
        if best and parts.completeness(best[-1][1])[0] >= parts.completeness(own)[0]:
            tables, filed = parts.from_file(best[-1][1], best[-1][0]), best[-1][0]
            read = [filed]
        donors = [(own, [snap, *placed]), *((r, [s]) for s, r in files)]
        result = parts.with_sections(tables, [r for r, _ in donors])
        read += section_source(tables, result, donors)
        if best and parts.completeness(result) <= parts.completeness(best[-1][1]):
            return []
        if not tabled(result):
            return []
        # under the file whose numbers it holds (the page for joined pictures)
        return [({**filed, "parts": tuple(sorted({x["sha256"] for x in read}))}, result)]

    def part_urls(self, doc: dict) -> list[str]:
        """The report page and its attachments: the files a combined reading is made of."""
        return list(dict.fromkeys([doc["url"], *(a["url"] for a in self.attachments.get(doc["url"], []))]))

    def states(self, doc: dict) -> list[dict[str, dict]]:
        """The page and its files as each crawl run left them, oldest first: url -> the snapshot that
        run's last fetch of it returned (a 304 names the snapshot it confirmed), else what an earlier
        run left; runs in the order they started (crawl_runs.rowid).  Read from `fetches`: a
        snapshot's first run and last sighting cannot tell that bytes A came back after B (A run 1,
        B run 2, A run 3 is one snapshot A).  A state seen again later stands where it was last seen;
        the latest state is left out: a combined report's earlier revisions are read from these."""
        if self._run_order is None:
            self._run_order = {r: n for n, (r,) in enumerate(self.conn.execute("SELECT id FROM crawl_runs ORDER BY rowid"))}
        order = self._run_order
        held: dict[str, dict[int, dict]] = {}  # url -> run -> the snapshot it held after that run
        for url in self.part_urls(doc):
            snaps = {s["id"]: s for s in self.snapshots(url)}
            if not snaps:
                continue
            runs: dict[int, dict] = {}
            for run_id, snapshot_id in self.conn.execute(
                    "SELECT run_id, snapshot_id FROM fetches WHERE url = ? ORDER BY id", (url,)):
                if snapshot_id in snaps:  # a 404 or a rendered DOM leaves the bytes as they were
                    runs[order.get(run_id, -1)] = snaps[snapshot_id]
            named = {s["id"] for s in runs.values()}
            for s in snaps.values():  # bytes no fetch row names (an older archive): the run that got them
                if s["id"] not in named:
                    runs.setdefault(order.get(s["run_id"], -1), s)
            held[url] = runs
        latest = {u: s[-1]["id"] for u in held if (s := self.snapshots(u))}
        found: dict[tuple, dict[str, dict]] = {}
        for run in sorted({r for runs in held.values() for r in runs}):
            state = {u: runs[max(before)] for u, runs in held.items() if (before := [r for r in runs if r <= run])}
            key = tuple(sorted((u, s["id"]) for u, s in state.items()))
            if doc["url"] in state and dict(key) != latest:
                found.pop(key, None)  # seen again: it stands where it was last seen
                found[key] = state
        return list(found.values())

    def with_history(self, doc: dict, best: list[tuple[dict, Any]], latest: tuple[dict, Any]) -> list[tuple[dict, Any]]:
        """A combined report's readings oldest first, the latest (`combined`) last: each earlier state
        of its files read the way the latest is (the one file when it is whole or nothing joins,
        else the join), so a new snapshot of one file never loses the reading before it.  Revisions
        are numbered in that order.  A reading equal to the one before (a file it does not read
        changed, or a page's view counter) is no revision: the earlier one, and its id, stay."""
        readings: list[tuple[dict, Any]] = []
        for state in self.states(doc):
            ids = {s["id"] for s in state.values()}
            then = [u for u in best if u[0]["id"] in ids]
            joined = [] if then and parts.whole(then[-1][1]) else self.combined(doc, then, state)
            readings += joined[-1:] or then[-1:]
        readings.append(latest)
        # a reading equal to the one before is no revision, and the earlier one keeps its id: files A, B, A
        # where B reads as A are reading A (dropping the first A as "seen again" first gave B its place)
        collapsed: list[tuple[dict, Any]] = []
        for snap, result in readings:
            if not (collapsed and _attr(collapsed[-1][1], "record", None) == _attr(result, "record", None)):
                collapsed.append((snap, result))
        readings = collapsed
        # one report id is one revision: a reading that comes back (files A, B, A) stands where it was last
        keys = [(s["sha256"], s.get("parts")) for s, _ in readings]
        out: list[tuple[dict, Any]] = []
        for i, (snap, result) in enumerate(readings):
            if keys[i] in keys[i + 1:]:
                continue
            if out and _attr(out[-1][1], "record", None) == _attr(result, "record", None):
                continue
            out.append(({**snap, "revision": len(out) + 1}, result))
        return out

    def kind_of(self, snap: dict) -> str:
        """The document kind its bytes show (parsers.detect, magic bytes only), "" when unreadable."""
        from parsers.detect import detect_kind

        try:
            return detect_kind(decode_body(snap["headers"], self.blobs.read(snap["sha256"])))
        except Exception:  # noqa: BLE001
            return ""

    def page_with_pictures(self, snap: dict, base: str, html: str, pictures: list[str], latest: dict[str, dict],
                           text: Callable[[str], tuple[str, str] | None]) -> tuple[Any | None, list[dict]]:
        """The page's reading with its pictures' texts where it shows them (cells placed on the
        picture they were read from), or without them when they add nothing; and the snapshots of
        the pictures whose texts it holds (none for the plain reading: part of its report id)."""
        marked, placed = parts.mark_pictures(html, base, pictures)
        try:
            page_text, page_kind = self.extract(marked)
        except Exception:  # noqa: BLE001
            return None, []

        readable = [u for u in pictures if text(u) is not None]  # an unreadable picture adds nothing

        def read(with_pictures: bool) -> Any | None:
            joined, kinds = parts.Joined(), [page_kind]
            used = readable if with_pictures else []
            joined.add_page(snap, page_text, {i: (latest[u], text(u)[0]) for i, u in enumerate(used)})
            for u in [u for u in used if u not in placed]:
                joined.add(latest[u], text(u)[0])
            kinds += [text(u)[1] for u in used]
            try:
                result = self.parse_text(joined.text, "+".join(dict.fromkeys(kinds)),
                                         file_name(base, snap["content_type"]))
            except Exception:  # noqa: BLE001 — nothing readable in this join
                return None
            parts.place_cells(result, joined, snap)
            return result

        plain = read(False)
        if not pictures or (plain is not None and parts.all_tables(plain)):
            return plain, []  # no pictures, or the page prints the three tables: none is OCR'd
        joined = read(True)
        if joined is not None and (plain is None or (parts.completeness(joined) > parts.completeness(plain)
                                                     and parts.agrees(plain, joined))):
            return joined, [latest[u] for u in readable]
        return plain, []

    def article(self, doc: dict) -> list[tuple[dict, Any]]:
        """A report page printed over several pages (its `page` documents, recorded by the crawler
        with the first page as parent): the latest snapshot of every page, texts joined in page
        order, parsed as one report and filed under the first page's snapshot.  Empty when the
        report has no later pages, one is not archived, or the whole holds no tables (the pages are
        then read as before)."""
        later = self.pages.get(doc["url"])
        if not later:
            return []
        snaps = [self.snapshots(d["url"]) for d in [doc, *sorted(later, key=lambda d: page_order(d["url"]))]]
        if not all(snaps):
            return []
        first = snaps[0][-1]
        try:
            texts, kind = [], ""
            for revisions in snaps:
                data = decode_body(revisions[-1]["headers"], self.blobs.read(revisions[-1]["sha256"]))
                text, kind = self.extract(data)
                texts.append(text)
            result = self.parse_text(join_pages(texts), kind, file_name(first["final_url"] or first["url"],
                                                                          first["content_type"]))
        except Exception:  # noqa: BLE001 — the pages are then read one by one, as before (failures logged there)
            return []
        if not tabled(result):
            return []
        return one_per_reading([(first, result)])  # one reading: revision 1, whatever the store counted

    def correction(self, doc: dict) -> bool:
        """A notice correcting one body's report (crawler/classify.py: ``correction``) that reprints the
        whole report (its three tables) is that report's next reading: written as a report of the
        body's year, `one_series` makes it the series' next revision, the latest.  One that lists
        only the changed cells is no reading of the report (its nulls would stand over the report's
        numbers): False, and `correction_note` says so on the report."""
        self.stats["documents"] += 1
        units, _, _ = self.single(doc)
        units = [(s, r) for s, r in units if tabled(r) and parts.all_tables(r)]
        if not units:
            return False
        self.stats["corrections_read"] = self.stats.get("corrections_read", 0) + 1
        for snap, result, part, is_latest in self.by_part(one_per_reading(units)):
            report_id = self.write_report(doc, snap, result, revision=snap["revision"], is_latest=is_latest,
                                          part=part)
            said = None if part else self.notice_words(doc, snap)
            if said and report_id not in self._preambles:
                self._preambles.add(report_id)
                self.write_section(report_id, "preamble", said)
        return True

    def notice_words(self, doc: dict, snap: dict) -> str | None:
        """What the notice says before the report it reprints (archive/preamble.py), read from the
        snapshot holding the report when it is the notice's page, else from the page's latest."""
        page = snap if snap["url"] == doc["url"] else next(iter(reversed(self.snapshots(doc["url"]))), None)
        if page is None:
            return None
        try:
            text, _ = self.extract(decode_body(page["headers"], self.blobs.read(page["sha256"])))
        except Exception:  # noqa: BLE001 — no words, no section: the report itself is already written
            return None
        return correction_preamble(text, doc.get("agency"))

    def correction_note(self, doc: dict) -> None:
        """A correction notice that prints only what it changes: a finding on the latest report of
        the body's year it names (the reader sees the report was corrected, and where), or, when the
        archive holds no such report, a failure naming the notice; never silently dropped."""
        self.stats["corrections_noted"] = self.stats.get("corrections_noted", 0) + 1
        agency, year = doc.get("agency") or "", doc.get("year")
        latest = [w for w in self._written if w.source_id == doc.get("source_id") and w.year == year
                  and w.agency and (w.agency == agency or w.agency.endswith(agency) or agency.endswith(w.agency))]
        latest = [w for w in latest if self._is_latest(w.report_id)]
        message = (f"更正说明：{doc.get('title') or doc['url']}（{doc['url']}）只列出更正的内容，未重印全文；"
                   "本报告的数字仍为更正前所印，未据此改动")
        if latest:
            for w in latest:
                self.write_findings(w.report_id, [{"identity": "source", "code": "correction_notice",
                                                   "cells": None, "printed": None, "implied": None,
                                                   "message": message}])
                self.write("UPDATE reports SET findings_count = findings_count + 1 WHERE id = ?", (w.report_id,))
            return
        snaps = self.snapshots(doc["url"])
        if snaps:
            self.fail(snaps[-1], f"a correction notice of {agency or 'a body'}'s {year} report that prints only"
                                 " the changed cells, and no such report is archived")

    def _is_latest(self, report_id: str) -> bool:
        return any(item[0] == report_id for item in self._latest)

    def other_years(self, doc: dict, units: list[tuple[dict, Any]]) -> list[list[tuple[dict, Any]]]:
        """The readings of the page's other files that are the same body's report of another year
        (one article posting "…年度报告（2022年、2023年）" with a file per year): each is a report of
        its own, not lost behind the file read first.  A file of a year already read (a DOCX beside
        its PDF, an 附表) is the same report's, and another body's file is not this page's report."""
        read = [r for _, r in units if tabled(r)]
        if not read:
            return []
        years = {_attr(r, "record", {}).get("year") for r in read}
        agency = _attr(read[-1], "record", {}).get("agency")
        used = {snap["url"] for snap, _ in units}
        out = []
        for att in self.ranked_attachments(doc["url"]):
            if att["url"] in used:
                continue
            good = [(s, r) for s in self.snapshots(att["url"]) if tabled(r := self.parsed(s))]
            record = _attr(good[-1][1], "record", {}) if good else {}
            year = record.get("year")
            if not good or year is None or year in years or (agency and record.get("agency") not in (None, agency)):
                continue
            years.add(year)
            out.append(one_per_reading(good))
        return out

    def ranked_attachments(self, url: str) -> list[dict]:
        """The page's files in the order they are read (`attachment_rank`); a file whose URL has no
        known suffix is ranked by what its archived bytes are."""
        def rank(att: dict) -> tuple[int, str]:
            known = PurePosixPath(urlsplit(att["url"]).path).suffix.lower() in ATTACHMENT_ORDER
            return attachment_rank(att["url"], None if known else self.file_kind(att["url"]))
        return sorted(self.attachments.get(url, []), key=rank)

    def file_kind(self, url: str) -> str | None:
        """What a report document's latest archived bytes are when they are a file (pdf, docx, rtf, mht,
        text…), None for a page or nothing archived: judged from the bytes, as the parser reads them, so
        a PDF served from `/download?id=9` is a file and a `.pdf` link answered with a page is not."""
        if url not in self._file_kinds:
            snaps = self.snapshots(url)
            kind = None
            if snaps and not snaps[-1]["rendered"]:
                from parsers.detect import detect_kind

                try:
                    kind = detect_kind(decode_body(snaps[-1]["headers"], self.blobs.read(snaps[-1]["sha256"])))
                except Exception:  # noqa: BLE001 — a blob that cannot be read is no file to defer to
                    kind = None
            self._file_kinds[url] = kind if kind not in (None, "html", "unknown") else None
        return self._file_kinds[url]

    def carrier(self, doc: dict, files: list[str] | None) -> list[str]:
        """The report files a report page without tables carries: report documents of its source and
        year that are files, archived, and linked from the page's archived bytes (archive/carriers.py):
        the page only carries that report.  A file never archived leaves the page's own row, the only
        trace of the report (or, when the crawl could not fetch it, a failure: `carries_unfetched`).  `files` are the year's other report documents; which of them are files
        their archived bytes tell (`file_kind`), not their URLs' suffixes."""
        snaps = self.snapshots(doc["url"])
        files = [u for u in files or [] if u != doc["url"] and self.file_kind(u)]  # archived: its row stands
        if not files or not snaps:
            return []
        return self.linked(snaps[-1], files)

    def linked(self, snap: dict, urls: list[str]) -> list[str]:
        """Those of `urls` that the archived HTML page `snap` links (archive/carriers.py), in page order."""
        try:
            from parsers.detect import detect_kind
            from parsers.formats.html import decode_html

            data = decode_body(snap["headers"], self.blobs.read(snap["sha256"]))
            if detect_kind(data) != "html":
                return []
            html = decode_html(data)
        except Exception:  # noqa: BLE001 — an unreadable page is read as before
            return []
        return carried_reports(html, snap["final_url"] or snap["url"], report_keys(urls))

    def carries_failed(self, doc: dict) -> bool:
        """Whether a file of this page is archived and its latest bytes failed to parse.  A bare page
        over such a file (`bare`) is only its carrier: a `reports` row of the page, every table null
        with `table_missing` findings, would show the body's year as reported, when what happened is
        that the report file could not be read (its `parse_failures` row, written here)."""
        failed = [s[-1] for att in self.attachments.get(doc["url"], []) if (s := self.snapshots(att["url"]))
                  and s[-1]["id"] in self._errors]
        self.report_failures(failed)
        return bool(failed)

    def carries_unfetched(self, doc: dict) -> bool:
        """Whether this page links a file the crawl could not fetch (a `crawl_errors` row, no good answer
        ever archived at it: a 404 "附件下载").  A bare page over it is no report of its own either:
        its year is `failed` (a `parse_failures` row of the page naming the file and why), not a
        report with every table missing."""
        snaps = self.snapshots(doc["url"])
        if not snaps or not self._unfetched.get(doc["source_id"]):
            return False
        urls = self.linked(snaps[-1], list(self._unfetched[doc["source_id"]]))
        if urls:
            errors = "; ".join(f"{u}: {self._unfetched[doc['source_id']][u]}" for u in urls)
            self.fail(snaps[-1], f"its file could not be fetched ({errors})"[:500])
        return bool(urls)

    def extract(self, data: bytes) -> tuple[str, str]:
        """(text, kind) of one page of an article: through the cache unless a caller gave a parser."""
        if self.cache is not None:
            return self.cache.extract(data)
        from parsers.extract import extract_text

        return extract_text(data)

    def parse_text(self, text: str, kind: str, name: str) -> Any:
        """An article's joined text -> result, with the parser every other document gets: the
        default one parses the text as extracted; a caller's own parser is handed it as UTF-8 bytes."""
        if self.cache is not None:
            from parsers.extract import parse_extracted

            return parse_extracted(text, kind, name)
        return self.parse(text.encode("utf-8"), name)

    def by_part(self, units: list[tuple[dict, Any]],
                split: bool = True) -> list[tuple[dict, Any, tuple[int, str] | None, bool]]:
        """(snapshot, result, part, is_latest) for every report the units hold, oldest first.

        A 汇编 (several bodies' reports in one file, `meta["bundle"]`) is one report per body: each
        revision of the file is read part by part (`part_results`), and each body's readings form a
        revision series of their own, keyed by its agency (by its number when the name is unknown or
        printed twice), the newest reading of a body being its latest, so a corrected compilation
        makes a new revision of every part and a body dropped from it keeps its last reading.  A
        reading joined from several files (`combined`, `article`) stays one report (its first)."""
        from parsers.extract import bundle_parts

        rows: list[tuple[dict, Any, tuple[int, str] | None]] = []
        for snap, result in units:
            if not split or bundle_parts(result) < 2 or "parts" in snap:
                rows.append((snap, result, None))
                continue
            results = self.part_results(snap, result)
            names = [_attr(r, "record", {}).get("agency") for r in results]
            for k, r in enumerate(results, 1):
                name = names[k - 1]
                rows.append((snap, r, (k, name if name and names.count(name) == 1 else f"#{k}")))
        bundled = any(part for _, _, part in rows)

        def series(r: Any, part: tuple[int, str] | None) -> Any:
            # a revision that was one report, beside ones that are a 汇编: its body's series
            return part[1] if part else (_attr(r, "record", {}).get("agency") if bundled else None)

        last = {series(r, part): i for i, (_, r, part) in enumerate(rows)}
        return [(snap, r, part, last[series(r, part)] == i) for i, (snap, r, part) in enumerate(rows)]

    def part_results(self, snap: dict, first: Any) -> list[Any]:
        """Every report of a 汇编 file, `first` (the plain parse) for part 1, the others read from
        the same extracted text; a part that fails is a parse failure and left out.  A caller's own
        parser is asked for the parts when it takes ``part`` (parsers.parse_bytes does)."""
        from parsers.extract import bundle_parts, parse_extracted

        count = bundle_parts(first)
        out = [first]
        try:
            data = decode_body(snap["headers"], self.blobs.read(snap["sha256"]))
        except Exception as err:  # noqa: BLE001 — the first part was read from these bytes; keep it
            self.fail(snap, f"汇编 parts 2-{count}: {err}")
            return out
        name = file_name(snap["final_url"] or snap["url"], snap["content_type"])
        if self.cache is None and not _takes_part(self.parse):
            return out
        for k in range(2, count + 1):
            try:
                if self.cache is not None:
                    text, kind = self.cache.extract(data)
                    out.append(parse_extracted(text, kind, name, part=k))
                else:
                    out.append(self.parse(data, name, part=k))  # type: ignore[call-arg]
            except Exception as err:  # noqa: BLE001 — one unreadable part must not lose the others
                self.fail(snap, f"汇编 part {k} of {count}: {getattr(err, 'reason', None) or err}")
        return out

    def write_report(self, doc: dict, snap: dict, result: Any, revision: int, is_latest: bool,
                     part: tuple[int, str] | None = None) -> str:
        """One `reports` row with its cells, findings and sections.  ``part``: (k, body key) of the
        k-th report of a 汇编, whose id, revision series and finding keys are its own."""
        record = dict(_attr(result, "record", {}) or {})
        meta = dict(_attr(result, "meta", {}) or {})
        region = meta.get("region") or {}
        if isinstance(region, str):
            region = {"province": region}
        # a combined reading (`parts`: every file it was read from) is one revision per state of its files
        # a 汇编's part adds its number (a single report's id is as before)
        key_parts = [doc["id"], snap["sha256"], *snap.get("parts", ()), *([f"part {part[0]}"] if part else [])]
        report_id = hashlib.sha1("\n".join(key_parts).encode()).hexdigest()
        if report_id in self._report_ids:
            return report_id  # the same bytes reached through another snapshot
        self._report_ids.add(report_id)
        for sha256 in snap.get("equal", ()):  # bookmarks to a reading no longer a revision of its own
            alias = hashlib.sha1("\n".join([doc["id"], sha256]).encode()).hexdigest()
            self.write("INSERT OR IGNORE INTO report_aliases (id, report_id) VALUES (?, ?)", (alias, report_id))
        # a part's findings are keyed by its body, so a verdict follows it into the next revision
        self._document_of[report_id] = doc["id"] + (f"\n{part[1]}" if part else "")
        findings = list(_attr(result, "findings", []) or [])
        rl = record.get("reviews_litigation") or {}
        parsed_region = {k: meta.get(k) or region.get(k) for k in ("province", "city", "county", "town")}
        placed = place(record.get("agency") or doc.get("agency"), parsed_region, meta.get("level"),
                       self.places.get(doc.get("source_id") or ""))
        row = {
            "id": report_id, "document_id": doc["id"], "snapshot_id": snap["id"], "url": doc["url"],
            "source_url": snap["url"], "sha256": snap["sha256"],
            "agency": record.get("agency") or doc.get("agency"),
            "year": record.get("year") or doc.get("year"),
            "template": record.get("template"), "level": placed["level"], "kind": meta.get("kind"),
            "province": placed["province"], "city": placed["city"], "county": placed["county"],
            "published": self.article_posted(doc, snap, record) or meta.get("published") or doc.get("published"),
            "signed": meta.get("signed"),
            "part": part[0] if part else None,
            "revision": revision, "is_latest": int(is_latest), "parsed_at": now(),
            "parser_version": self.version, "format": meta.get("format"),
            "skipped": "; ".join(meta.get("skipped") or []) or None,
            "new_received_total": _total(record, "applications", "new_received"),
            "carried_over_total": _total(record, "applications", "carried_over"),
            "granted_total": _total(record, "applications", "granted"),
            "partially_granted_total": _total(record, "applications", "partially_granted"),
            "denied_total": _group_total(record, DENIED, "不予公开"),
            "unavailable_total": _group_total(record, UNAVAILABLE, "无法提供"),
            "not_processed_total": _group_total(record, NOT_PROCESSED, "不予处理"),
            "total_processed_total": _total(record, "applications", "total_processed"),
            "carried_forward_total": _total(record, "applications", "carried_forward"),
            "review_total": (rl.get("review") or {}).get("total"),
            "litigation_total": _sum([(rl.get(k) or {}).get("total")
                                      for k in ("litigation_direct", "litigation_after_review")]),
            "findings_count": len(findings),
            "new_received_natural_person": _cell(record, "applications", "new_received", "natural_person"),
            "new_received_legal_person": _sum([_cell(record, "applications", "new_received", c)
                                               for c in LEGAL_PERSON_COLUMNS]),
            "record": json.dumps(record, ensure_ascii=False),
        }
        cols = ", ".join(row)
        self.write(f"INSERT INTO reports ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        self._written.append(Written(
            report_id, doc["id"], doc.get("source_id"), row["agency"], row["year"], row["kind"],
            (row["province"], row["city"], row["county"]), revision, bool(is_latest),
            hashlib.sha1(row["record"].encode()).hexdigest(), bool(_attr(result, "cells", None)),
            snap.get("last_seen_at") or "", row["level"],
            (doc["url"], snap["url"], snap["id"], snap["sha256"]), _listed(doc), doc.get("kind") == "correction"))
        if is_latest and row["agency"] and row["year"]:
            where = (row["province"], row["city"], row["county"])
            self._latest.append((report_id, row["agency"], row["year"], where, _carry_rows(record)))
        for cell in _attr(result, "cells", []) or []:
            self.write(
                'INSERT INTO cells (report_id, snapshot_id, "table", "row", col, value, raw, inferred, page)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, (cell.get("snapshot") or snap)["id"], cell.get("table"), cell.get("row"), cell.get("col"),
                 cell.get("value"),
                 cell.get("raw"), int(bool(cell.get("inferred"))), cell.get("page")),
            )
            self.stats["cells"] += 1
        self.write_findings(report_id, findings)
        for section, text in (record.get("sections") or {}).items():
            if text:
                self.write_section(report_id, section, text)
        self.stats["reports"] += 1
        return report_id

    def write_section(self, report_id: str, section: str, text: str) -> None:
        """One narrative part of a report, indexed for `search_narrative` (FTS and bigrams)."""
        self._section_id += 1
        sid = self._section_id
        self.write("INSERT INTO sections (id, report_id, section, text) VALUES (?, ?, ?, ?)",
                   (sid, report_id, section, text))
        self.write("INSERT INTO sections_fts (rowid, text) VALUES (?, ?)", (sid, text))
        self.write("INSERT INTO sections_bigram (rowid, bigrams) VALUES (?, ?)", (sid, bigrams(text)))

    def article_posted(self, doc: dict, snap: dict, record: dict) -> str | None:
        """The posting date (发布时间) printed by the article that carries this report's file, or None.

        A report read from a file attached to its page (documents.parent_url, as the crawl found it)
        was posted when the page says: the file itself only prints the date it was signed, days
        earlier, and the 条例's deadlines are about publication (`page_posted` says when the page is
        the file's article)."""
        files = self.attachments.get(doc["url"], [])
        if snap["url"] == doc["url"] or snap["url"] not in {f["url"] for f in files}:
            return None
        others = [f.get("title") or "" for f in files if f["url"] != snap["url"]]
        return self.page_posted(doc["url"], snap, record.get("agency"), record.get("year"), others)

    def page_posted(self, page_url: str, snap: dict, agency: str | None, year: Any,
                    others: list[str]) -> str | None:
        """The labelled posting date of the page at `page_url` for the file whose snapshot is `snap`
        and whose reading names `agency` and `year`, when the page is that file's article: its own
        reading names the same body and year, and no other file it links (`others`: their link
        titles) is titled for another body or year.  A column's list page or a page posting several
        bodies' or years' reports dates none of them.  Only a labelled date counts (`posted`, the
        page's info line, `parsers.textparse.page_meta`), never a date from its chrome.  The page is
        read as it was when the file's bytes were fetched (a corrected report's new page date goes
        with the corrected file)."""
        page = [s for s in self.snapshots(page_url) if not s["rendered"]]
        if not page or not agency:
            return None
        before = [s for s in page if (s["fetched_at"] or "") <= (snap["fetched_at"] or "")]
        shown = before[-1] if before else page[0]
        from parsers.metadata import agency_from_title, year_from_title
        from parsers.textparse import page_meta

        try:  # the page as text (through the extraction cache), not as a report: it only carries one
            own = page_meta(self.extract(decode_body(shown["headers"], self.blobs.read(shown["sha256"])))[0])
        except Exception:  # noqa: BLE001 — an unreadable page dates nothing
            return None
        posted = own.get("posted")
        if not posted or own.get("year") != year or not _names_body(own.get("agency") or "", agency):
            return None
        for title in filter(None, others):
            named_year, named = year_from_title(title), agency_from_title(title)
            if (named_year is not None and named_year != year) or (named and not _names_body(named, agency)):
                return None  # the page posts another body's or year's report too
        return posted

    def date_carried(self) -> None:
        """A report file listed as a report of its own beside the article that carries it ("详见附件",
        `carrier`): the article's 发布时间 is when the file was published, as for an attached file,
        when the article carries that one report file and is its article (`page_posted`)."""
        for page_doc, carried in self._carriers:
            if len(carried) != 1:
                continue
            others = [a.get("title") or "" for a in self.attachments.get(page_doc["url"], []) if a["url"] != carried[0]]
            snaps = {s["id"]: s for s in self.snapshots(carried[0])}
            for w in self._written:
                if len(w.read) < 3 or w.read[0] != carried[0] or w.read[2] not in snaps:
                    continue  # only the file's own report rows, read from its own bytes
                posted = self.page_posted(page_doc["url"], snaps[w.read[2]], w.agency, w.year, others)
                if posted:
                    self.write("UPDATE reports SET published = ? WHERE id = ?", (posted, w.report_id))

    def write_findings(self, report_id: str, findings: list) -> None:
        for f in findings:
            f = f if isinstance(f, dict) else {"message": str(f)}

            def text(v: Any) -> Any:
                return v if v is None or isinstance(v, str | int | float) else json.dumps(v, ensure_ascii=False)

            self.write(
                "INSERT INTO findings (report_id, identity, code, cells, printed, implied, message, finding_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, text(f.get("identity")), text(f.get("code")),
                 json.dumps(f.get("cells"), ensure_ascii=False) if f.get("cells") is not None else None,
                 text(f.get("printed")), text(f.get("implied")), text(f.get("message")),
                 finding_key(self._document_of.get(report_id, report_id), f)),
            )
            self.stats["findings"] += 1

    def one_series(self) -> None:
        """One body's report of one year is one revision series, whatever URLs it was found at.

        A report moved to a new URL (a 301, or the list linking the new address), or listed under a
        URL that changes between crawls, is a second document; read alone, each document would have
        its own latest report, and the body's year would count twice.  The documents holding one
        (source, body, place, kind, year) are merged in the order they were first seen: a reading
        equal to the series' current one is the same report at another address: one report row stays
        (the first document's, unless another is listed as that body's and year's report and the first
        is not: a page titled for another body that links this file is a stray copy), and the other is
        a `duplicates` row naming it, so no archived reading goes unaccounted for; a different reading is
        the series' next revision; only the last is latest (the last with cells, when one has them)."""
        order = {doc_id: n for n, (doc_id,) in enumerate(self.conn.execute("SELECT id FROM documents ORDER BY rowid"))}
        groups: dict[tuple, list[Written]] = {}
        for w in self._written:
            if w.agency and w.year:
                groups.setdefault(w.series, []).append(w)
        copies: list[tuple[Written, tuple, Written]] = []  # (dropped reading, (document, address, moved), kept)
        ranks = CopyRank(self.conn, self.blobs)
        final: dict[str, bool] = {}  # report id -> is_latest after the merge (merged series only)
        for rows in groups.values():
            if len({w.document_id for w in rows}) < 2:
                continue
            rows.sort(key=lambda w: (w.correction, order.get(w.document_id, len(order)), w.document_id, w.revision))
            first_doc, kept = rows[0].document_id, []
            for w in rows:
                if kept and w.document_id != first_doc and w.record_key == kept[-1].record_key:
                    stays = kept[-1]
                    if w.home and not stays.home:  # the address listed as this report takes its row
                        kept[-1], w, stays = w, stays, w
                    elif w.home == stays.home and self._same_crawl(w, stays) \
                            and ranks.rank(w.document_id) < ranks.rank(stays.document_id):
                        # two live addresses of one crawl: the better home (`homecopy`: the 年报 column's own
                        # item, not a pinned or 重点领域 copy), whichever the crawl happened to reach first
                        kept[-1], w, stays = w, stays, w
                    # the same reading reached at another address: the row moves there when the report
                    # now lives there, and the address it leaves is the duplicate's
                    left = (stays.document_id, stays.read)
                    moved = self.relocate(stays, w)
                    copies.append((w, (*left, True) if moved else (w.document_id, w.read, False), stays))
                    final[w.report_id] = False
                    continue
                kept.append(w)
            # a reading without tables (a link page whose file now hangs under another address) never
            # stands over one with them
            newest = next((w for w in reversed(kept) if w.tabled), kept[-1])
            for n, w in enumerate(kept, 1):
                final[w.report_id] = latest = w is newest
                if (n, latest) != (w.revision, w.is_latest):
                    self.write("UPDATE reports SET revision = ?, is_latest = ? WHERE id = ?", (n, int(latest), w.report_id))
        for w, (document_id, read, moved), stays in copies:
            self.write("INSERT INTO duplicates (document_id, url, source_url, snapshot_id, sha256, agency, year,"
                       " listed_as, same_as, same_as_url, moved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (document_id, *read, w.agency, w.year, w.listed[0] or w.listed[1], stays.report_id,
                        stays.read[0] if stays.read else None, int(moved)))
        for report_id in sorted({w.report_id for w, _, _ in copies}):
            for sql in ("INSERT INTO sections_fts (sections_fts, rowid, text) SELECT 'delete', id, text FROM sections"
                        " WHERE report_id = ?",
                        "DELETE FROM sections_bigram WHERE rowid IN (SELECT id FROM sections WHERE report_id = ?)",
                        "DELETE FROM sections WHERE report_id = ?", "DELETE FROM cells WHERE report_id = ?",
                        "DELETE FROM findings WHERE report_id = ?", "DELETE FROM reports WHERE id = ?"):
                self.write(sql, (report_id,))
        dropped = {w.report_id for w, _, _ in copies}
        self.stats["reports"] -= len(dropped)
        if dropped:
            self.stats["same_report_elsewhere"] = len(dropped)
        self._latest = [item for item in self._latest if final.get(item[0], True)]

    def relocate(self, kept: Written, same: Written) -> bool:
        """The report `kept` is read where it now lives when `same` (the same reading at another
        address: a report moved to a new URL, the old one now 404 or redirecting) was seen there in a
        later crawl than at its own: it takes that address, its bytes and their cells (provenance then
        leads to a page that still prints the numbers); its id, revisions and finding keys stay.
        Seen in the same crawl (the report listed at two live addresses): it stays where it was.
        Crawls are compared by the order they were recorded (a clock stepped back misorders times);
        an archive without crawl runs compares the times the bytes were last seen."""
        runs = [self._last_run(w) for w in (kept, same)]
        later = runs[1] > runs[0] if None not in runs else same.seen > kept.seen
        if not later:
            return False
        self.write("UPDATE reports SET (document_id, url, source_url, snapshot_id, sha256, published, signed) = (SELECT"
                   " document_id, url, source_url, snapshot_id, sha256, published, signed FROM reports WHERE id = ?)"
                   " WHERE id = ?",
                   (same.report_id, kept.report_id))
        self.write("DELETE FROM cells WHERE report_id = ?", (kept.report_id,))
        self.write("UPDATE cells SET report_id = ? WHERE report_id = ?", (kept.report_id, same.report_id))
        kept.seen, kept.read, kept.document_id = same.seen, same.read, same.document_id
        return True

    def _same_crawl(self, a: Written, b: Written) -> bool:
        """Both readings were last fetched by the same crawl (neither address is the report's newer home)."""
        runs = [self._last_run(w) for w in (a, b)]
        return runs[0] == runs[1] if None not in runs else a.seen == b.seen

    def _last_run(self, w: Written) -> int | None:
        """The order of the last crawl that fetched the bytes `w` was read from (a 304 counts)."""
        if len(w.read) < 3 or w.read[2] is None:
            return None
        try:
            row = self.conn.execute("SELECT MAX(r.rowid) FROM fetches f JOIN crawl_runs r ON r.id = f.run_id"
                                    " WHERE f.snapshot_id = ?", (w.read[2],)).fetchone()
        except sqlite3.OperationalError:  # an archive from before crawl runs were recorded
            return None
        return row[0] if row else None

    def renames(self) -> None:
        """Bodies renamed within one registry source (archive/renames.py, latest reports only): the
        completeness matrix and the diff read them from `renamed_bodies`, the carry-over check here."""
        if self.registry is not None:
            names = {s.id: s.name for s in self.registry[0]}
        else:
            try:
                names = dict(self.conn.execute("SELECT id, name FROM sources").fetchall())
            except sqlite3.OperationalError:  # an archive no registry was ever recorded for
                names = {}
        latest = {item[0] for item in self._latest}
        seen = [Seen(w.source_id, w.agency, w.year, w.place, w.kind, w.level)
                for w in self._written if w.report_id in latest]
        self._renames = find_renames(seen, names)
        for r in self._renames:
            self.write("INSERT INTO renamed_bodies (source_id, agency, renamed_to, province, city, county, last_year,"
                       " first_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (r.source_id, r.agency, r.renamed_to, *r.place, r.last_year, r.first_year))
        if self._renames:
            self.stats["renamed_bodies"] = len(self._renames)

    def carry_over(self) -> None:
        """Identity 5: carried_forward (year N) == carried_over (year N+1), latest revisions only."""
        try:
            from parsers.identities import check_carry_over
        except ImportError:
            return
        by_year: dict[int, ByName[dict]] = {}
        for _, agency, year, where, record in self._latest:
            if isinstance(year, int) and agency:
                by_year.setdefault(year, ByName()).add(agency, where, record)
        former = {(r.renamed_to, r.place): r.agency for r in self._renames}
        for report_id, agency, year, where, record in self._latest:
            if not isinstance(year, int) or not agency or (last := by_year.get(year - 1)) is None:
                continue
            # same body: its name (as printed, else printed another way) and its place: 市中区人民政府
            # of 济南 is not 枣庄's; or the body's former name
            prev = last.find(agency, where)
            if prev is None and (old := former.get((agency, where))):
                prev = last.find(old, where)
            if prev is None:
                continue
            try:
                found = list(check_carry_over(prev, record) or [])
            except Exception as err:  # noqa: BLE001
                found = [{"identity": "5", "code": "check_failed", "message": str(err)}]
            if found:
                self.write_findings(report_id, found)
                self.write("UPDATE reports SET findings_count = findings_count + ? WHERE id = ?",
                           (len(found), report_id))

    def run(self) -> dict:
        self.places = registry_places(self.registry[0] if self.registry else None, self.conn)
        # every report page's attachments and later pages, in one query
        self.attachments, self.pages = {}, {}
        for d in self.rows("SELECT * FROM documents WHERE kind IN ('attachment', 'page') AND parent_url IS NOT NULL"
                           " ORDER BY rowid"):
            (self.pages if d["kind"] == "page" else self.attachments).setdefault(d["parent_url"], []).append(d)
        self._unfetched: dict[str, dict[str, str]] = {}  # source -> URL the crawl never got -> why
        for e in self.rows("SELECT source_id, url, reason FROM crawl_errors e WHERE NOT EXISTS (SELECT 1 FROM"
                           " snapshots s WHERE s.url = e.url AND coalesce(s.status, 0) BETWEEN 200 AND 399)"
                           " ORDER BY id"):
            self._unfetched.setdefault(e["source_id"], {})[e["url"]] = e["reason"]
        # parse everything first (slow: OCR, LibreOffice) without holding the write lock …
        docs = self.rows("SELECT * FROM documents WHERE kind = 'report' ORDER BY source_id, url")
        corrections = self.rows("SELECT * FROM documents WHERE kind = 'correction' ORDER BY source_id, url")
        files: dict[tuple, list[str]] = {}  # (source, year) -> its report documents (`carrier` asks which are files)
        for d in docs:
            if d["year"] is not None:
                files.setdefault((d["source_id"], d["year"]), []).append(d["url"])
        for doc in docs:
            self.stats["documents"] += 1
            joined = self.article(doc)  # pages' texts joined: its parts cannot be re-read from one file
            units = joined or self.units(doc)
            carried = [] if any(tabled(r) for _, r in units) else self.carrier(doc, files.get((doc["source_id"], doc["year"])))
            if carried:
                self.stats["carriers"] += 1  # "详见附件" over the year's report file: that file is the report
                self._carriers.append((doc, carried))
                continue
            if all(bare(r) for _, r in units) and (self.carries_failed(doc) or self.carries_unfetched(doc)):
                self.stats["failed_carriers"] += 1  # the year's trace is its file's parse_failures row
                continue
            if not units and not self.snapshots(doc["url"]):
                self.stats["no_snapshot"] += 1
            for snap, result, part, is_latest in self.by_part(units, split=not joined):
                self.write_report(doc, snap, result, revision=snap["revision"], is_latest=is_latest, part=part)
            for extra in ([] if joined else self.other_years(doc, units)):
                self.stats["other_year_files"] = self.stats.get("other_year_files", 0) + 1
                for snap, result, part, is_latest in self.by_part(extra):
                    self.write_report(doc, snap, result, revision=snap["revision"], is_latest=is_latest, part=part)
        notes = [doc for doc in corrections if not self.correction(doc)]
        self.date_carried()
        self.one_series()
        for doc in notes:
            self.correction_note(doc)
        self.renames()
        self.carry_over()
        if self.cache is not None:
            self.stats.update(extracted=self.cache.extracted, extract_cached=self.cache.hits,
                              extract_seconds_saved=round(self.cache.seconds_saved, 2))
        # … then swap the tables in one short transaction: readers never see them empty, and a
        # failure leaves the previous ones in place
        self.conn.execute("BEGIN IMMEDIATE")
        with self.conn:
            schema.drop_parsed(self.db)
            for sql, params in self.ops:
                self.conn.execute(sql, params)
            labels.store(self.conn)  # the key -> template label table, as this code names the cells
            # a report its portal took off the column or no longer serves says so (the archive keeps it)
            self.conn.executemany("UPDATE reports SET gone = ? WHERE id = ?", withdrawals.gone_column(self.conn))
            if self.registry is not None:
                self.stats["sources"] = record_registry(self.conn, *self.registry)
                self.stats["registry_recorded"] = True
            else:  # the registry a crawl recorded stays: count it, it is what the matrix uses
                self.stats["sources"] = self.conn.execute("SELECT count(*) FROM sources").fetchone()[0]
            if self.cache is not None:
                self.cache.prune()
        return self.stats


@dataclass
class Written:
    """A queued report row, as much as `Rebuilder.one_series` needs."""

    report_id: str
    document_id: str
    source_id: str | None
    agency: str | None
    year: int | None
    kind: str | None
    place: tuple
    revision: int
    is_latest: bool
    record_key: str
    tabled: bool = True  # cells were read
    seen: str = ""  # when the bytes read were last seen at this address
    level: str | None = None
    read: tuple = ()  # (page URL, URL of the bytes read, snapshot id, sha256): a duplicate's row names them
    listed: tuple = (None, None, None)  # (title, agency, year) of the document where the crawl listed it
    correction: bool = False  # read from a correction notice: after the report it corrects, whenever seen

    @property
    def series(self) -> tuple:
        return (self.source_id, self.agency, self.year, self.kind, self.place)

    @property
    def home(self) -> bool:
        """Whether the document is listed as this reading's report: its list title (or the agency and
        year the crawl read from it) names the body and year read.  A page listed as another body's or
        year's report but linking this file (a portal's slip) is no home for it."""
        title, agency, year = self.listed
        if year is not None and year != self.year:
            return False
        name = _squash(self.agency or "")
        return bool(name) and (name in _squash(title or "") or name == _squash(agency or ""))


def one_per_reading(units: list[tuple[dict, Any]]) -> list[tuple[dict, Any]]:
    """A file's snapshots as revisions: a snapshot reading exactly as the one before (bytes changed
    by a view counter, a clock, a rotating 相关新闻 box, but not the report) is no revision; the
    earlier one and its id stay, seen as long as the equal bytes were.  Revisions are numbered in
    order, readings only: the store's snapshot number counts every answer archived at the URL (a 429
    or a 503 too: real history, kept), so it is never a report's revision.  The ids the equal ones
    would have had are `report_aliases` of the one kept.  A 汇编 is
    left whole: its other bodies' parts may differ where the first reads the same."""
    out: list[tuple[dict, Any]] = []
    for snap, result in units:
        record = _attr(result, "record", None)
        if out and record is not None and record == _attr(out[-1][1], "record", None) \
                and not (_attr(result, "meta", None) or {}).get("bundle") \
                and not (_attr(out[-1][1], "meta", None) or {}).get("bundle"):
            kept, kept_result = out[-1]
            # the equal reading captured first keeps its id: bytes that came back (A, B, A: listed B, A by
            # their last sighting) are still the earlier reading
            first, first_result, other = (snap, result, kept) if (snap.get("fetched_at") or "") < \
                (kept.get("fetched_at") or "") else (kept, kept_result, snap)
            out[-1] = ({**first, "revision": kept["revision"],
                        "last_seen_at": max(kept.get("last_seen_at") or "", snap.get("last_seen_at") or ""),
                        "equal": [*kept.get("equal", ()), other["sha256"]]}, first_result)
            continue
        out.append(({**snap, "revision": len(out) + 1}, result))
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def _names_body(named: str, agency: str) -> bool:
    """Whether a page's name for a report is the body a file's record names: the same name, or a joint
    report's (A和B) whose file prints each body's tables apart and so records its first body."""
    from parsers.metadata import joint_bodies

    return _squash(named) == _squash(agency) or _squash(agency) in {_squash(b) for b in joint_bodies(_squash(named))}


def _listed(doc: dict) -> tuple:
    return (doc.get("title"), doc.get("agency"), doc.get("year"))


def _takes_part(parse: Callable) -> bool:
    """Whether a caller's own parser can read the k-th report of a 汇编 (a ``part`` parameter)."""
    try:
        return "part" in inspect.signature(parse).parameters
    except (TypeError, ValueError):  # a callable whose signature cannot be read
        return False


def section_source(tables: Any, result: Any, donors: list[tuple[Any, list[dict]]]) -> list[dict]:
    """The snapshots of the donor whose narrative `parts.with_sections` put into `result` (none
    when `tables` gave every section itself): a combined reading's id names the files it read."""
    had = (_attr(tables, "record", {}) or {}).get("sections") or {}
    got = (_attr(result, "record", {}) or {}).get("sections") or {}
    added = {k: v for k, v in got.items() if v and not (had.get(k) or "").strip()}
    if not added:
        return []
    for donor, snaps in donors:
        given = (_attr(donor, "record", {}) or {}).get("sections") or {}
        if donor is not tables and all(given.get(k) == v for k, v in added.items()):
            return snaps
    return []


def _carry_rows(record: dict) -> dict:
    """What identity 5 reads of a record (`check_carry_over`): kept per report until the end of
    the run, so only these rows, not the whole record."""
    apps = record.get("applications")
    rows = {k: apps.get(k) for k in ("carried_over", "carried_forward")} if isinstance(apps, dict) else apps
    return {"year": record.get("year"), "applications": rows}


def load_registry(sources: Path | str | list) -> tuple[list, str | None]:
    """(Source list, file name) from a registry path, or a list of Sources as given."""
    if isinstance(sources, str | Path):
        from crawler.sources import load_sources

        path = Path(sources)
        return load_sources(path), str(path.resolve())
    return list(sources), None


def reparse_all(root: Path, parse: Parser | None = None, *, use_cache: bool = True,
                sources: Path | str | list | None = None, fingerprint: str | None = None) -> dict:
    """Rebuild reports/cells/findings/sections/parse_failures from the archive under `root`.

    `parse` defaults to `parsers.parse_bytes` with extraction served from the cache
    (`use_cache=False`: extract everything again; `fingerprint` overrides the extractor
    fingerprint, for tests).  `sources` (a registry file or Source list) replaces the `sources`
    table the completeness matrix reads; None leaves it as it is.
    Returns counts (documents, reports, failures, extracted, extract_cached, …).
    """
    registry = load_registry(sources) if sources is not None else None  # a bad registry fails before any work
    rebuilder = Rebuilder(Path(root), parse, use_cache=use_cache, fingerprint=fingerprint)
    rebuilder.registry = registry
    try:
        return rebuilder.run()
    finally:
        rebuilder.conn.close()
        rebuilder.ops.close()
