"""`nianbao parse` without a path: rebuild every parsed table from the archived bytes.

Parsing is a pure function of the blobs, so the derived tables are dropped and rebuilt
each run; a better parser is applied to the whole history at once and no stale row
survives.  The network is never touched: everything comes from blobs + provenance rows.

Which bytes hold a report: the report page itself when it carries the statistics
tables, otherwise its attachments (documents whose parent_url is the page), tried in
format order PDF, DOCX, DOC, WPS, spreadsheets, anything else.  Every revision of the
chosen bytes becomes a `reports` row; the newest is `is_latest`.  A report page printed over
several pages (documents of kind `page` under it, see `Rebuilder.article`) is read as the pages'
texts joined in order, filed under the first page's latest snapshot.

Extraction (bytes -> text; OCR and LibreOffice are the slow part) goes through the cache in
archive/extract_cache.py, keyed by the bytes and the extractor code: a second run only runs the
core text parser.  `use_cache=False` extracts everything again (and refreshes the cache).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from archive import db as schema
from archive.completeness import record_registry
from archive.content import decode_body
from archive.extract_cache import ExtractCache
from archive.placing import Place, place, registry_places
from archive.store import BlobStore
from archive.textsearch import bigrams

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
    name = unquote(PurePosixPath(urlsplit(url).path).name) or "index"
    if not PurePosixPath(name).suffix and content_type:
        ext = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""
        name += ".html" if ext in (".htm", ".html") else ext
    return name


def attachment_rank(url: str) -> tuple[int, str]:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    rank = ATTACHMENT_ORDER.index(suffix) if suffix in ATTACHMENT_ORDER else len(ATTACHMENT_ORDER)
    return rank, url


def page_order(url: str) -> list:
    """Pages of an article in reading order: numbers compared as numbers (124_2 before 124_10)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", url)]


_SCRIPTS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.I | re.S)
_LOADING = re.compile(r">\s*(?:数据)?(?:正在)?加载中?[.…。]*\s*<|>\s*loading[.…]*\s*<", re.I)


def script_shell(data: bytes) -> bool:
    """HTML whose body shows only a 加载中… / loading placeholder beside script: what it holds comes
    from script (the crawler renders such pages; crawler/spiders/generic.py `script_shell` is its live test)."""
    head = data[:300_000]
    text = head.decode("utf-8", "replace")
    if text.count("\ufffd") > 20:
        text = head.decode("gb18030", "replace")
    return "<script" in text.lower() and bool(_LOADING.search(_SCRIPTS.sub("", text)))


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
                      "no_snapshot": 0, "no_tables": 0}
        self._parsed: dict[int, Any] = {}
        self._errors: dict[int, tuple[dict, str]] = {}
        self._failed: set[int] = set()
        self.ops: list[tuple[str, tuple]] = []
        self._report_ids: set[str] = set()
        self._latest: list[tuple[str, Any, Any, dict]] = []  # (report id, agency, year, record)
        self._section_id = 0
        self._document_of: dict[str, str] = {}  # report id -> document id (for finding keys)
        self.places: dict[str, Place] = {}  # source id -> registry place (see `run`)

    def rows(self, sql: str, *args: Any) -> list[dict]:
        cur = self.conn.execute(sql, args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def snapshots(self, url: str) -> list[dict]:
        """Server-bytes revisions, last seen last (bytes can revert to an earlier revision);
        rendered DOMs only where no server bytes exist."""
        sql = ("SELECT * FROM snapshots WHERE url = ? AND status = 200 AND rendered = ?"
               " ORDER BY last_seen_at, revision")
        return self.rows(sql, url, 0) or self.rows(sql, url, 1)

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
            data = decode_body(snap["headers"], self.blobs.get(snap["sha256"]))
            result = self.parse(data, file_name(snap["final_url"] or snap["url"], snap["content_type"]))
        except Exception as err:  # noqa: BLE001 — one bad file must not stop the batch
            reason = getattr(err, "reason", None) or f"{type(err).__name__}: {err}"
            if not snap["rendered"] and script_shell(data):
                reason = (f"script shell: the server's page is a placeholder (加载中…) that script fills in, and no"
                          f" rendered snapshot of this URL holds the report ({reason})")
            self._errors[snap["id"]] = (snap, str(reason)[:500])
        self._parsed[snap["id"]] = result
        return result

    def report_failures(self, tried: list[dict]) -> None:
        for snap in tried:
            if snap["id"] in self._errors and snap["id"] not in self._failed:
                self._failed.add(snap["id"])
                self.fail(*self._errors[snap["id"]])

    def units(self, doc: dict) -> list[tuple[dict, Any]]:
        """(snapshot, ParseResult) pairs holding this report's tables, oldest revision first.

        Parse failures are logged only for the bytes that were chosen, or for everything tried
        when nothing worked: a link page that is "not a report" is no failure when its PDF is.
        """
        page = self.snapshots(doc["url"])
        page_results = [(s, self.parsed(s)) for s in page]
        with_tables = [(s, r) for s, r in page_results if r is not None and has_tables(_attr(r, "record", {}))]
        if page and with_tables and with_tables[-1][0]["id"] == page[-1]["id"]:
            self.report_failures(page)
            return with_tables
        tried = list(page)
        attachments = self.rows("SELECT * FROM documents WHERE parent_url = ? AND kind = 'attachment'", doc["url"])
        for att in sorted(attachments, key=lambda a: attachment_rank(a["url"])):
            snaps = self.snapshots(att["url"])
            tried += snaps
            results = [(s, self.parsed(s)) for s in snaps]
            good = [(s, r) for s, r in results if r is not None and has_tables(_attr(r, "record", {}))]
            if good:
                self.report_failures(snaps)
                return good
        # a script shell ("加载中…") without files: the rendered DOM of the same URL is the page a reader
        # saw (after the server's bytes, page or attachment: those are what a number should link to)
        dom = self.rendered(page)
        dom_results = [(s, self.parsed(s)) for s in dom]
        dom_tables = [(s, r) for s, r in dom_results if r is not None and has_tables(_attr(r, "record", {}))]
        if dom and dom_tables and dom_tables[-1][0]["id"] == dom[-1]["id"]:
            self.report_failures(dom)
            return dom_tables
        tried += dom
        self.report_failures(tried)
        if with_tables:
            return with_tables
        # no tables anywhere: keep the free-form page (pre-2019 reports have none)
        ok = [(s, r) for s, r in page_results if r is not None] or [(s, r) for s, r in dom_results if r is not None]
        if ok:
            self.stats["no_tables"] += 1
        return ok

    def article(self, doc: dict) -> list[tuple[dict, Any]]:
        """A report page printed over several pages (its `page` documents, recorded by the crawler
        with the first page as parent): the latest snapshot of every page, texts joined in page
        order, parsed as one report and filed under the first page's snapshot.  Empty when the
        report has no later pages, one is not archived, or the whole holds no tables (the pages are
        then read as before)."""
        later = self.rows("SELECT * FROM documents WHERE parent_url = ? AND kind = 'page'", doc["url"])
        if not later:
            return []
        snaps = [self.snapshots(d["url"]) for d in [doc, *sorted(later, key=lambda d: page_order(d["url"]))]]
        if not all(snaps):
            return []
        first = snaps[0][-1]
        try:
            from parsers.extract import extract_text, parse_extracted

            texts, kind = [], ""
            for revisions in snaps:
                data = decode_body(revisions[-1]["headers"], self.blobs.get(revisions[-1]["sha256"]))
                text, kind = self.cache.extract(data) if self.cache is not None else extract_text(data)
                texts.append(text)
            result = parse_extracted("\n".join(texts), kind, file_name(first["final_url"] or first["url"],
                                                                         first["content_type"]))
        except Exception:  # noqa: BLE001 — the pages are then read one by one, as before (failures logged there)
            return []
        if not has_tables(_attr(result, "record", {})):
            return []
        return [(first, result)]

    def write_report(self, doc: dict, snap: dict, result: Any, revision: int, is_latest: bool) -> str:
        record = dict(_attr(result, "record", {}) or {})
        meta = dict(_attr(result, "meta", {}) or {})
        region = meta.get("region") or {}
        if isinstance(region, str):
            region = {"province": region}
        report_id = hashlib.sha1(f"{doc['id']}\n{snap['sha256']}".encode()).hexdigest()
        if report_id in self._report_ids:
            return report_id  # the same bytes reached through another snapshot
        self._report_ids.add(report_id)
        self._document_of[report_id] = doc["id"]
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
            "published": meta.get("published") or doc.get("published"),
            "revision": revision, "is_latest": int(is_latest), "parsed_at": now(),
            "parser_version": self.version, "format": meta.get("format"),
            "skipped": "; ".join(meta.get("skipped") or []) or None,
            "new_received_total": _total(record, "applications", "new_received"),
            "carried_over_total": _total(record, "applications", "carried_over"),
            "granted_total": _total(record, "applications", "granted"),
            "partially_granted_total": _total(record, "applications", "partially_granted"),
            "denied_total": _sum([_total(record, "applications", k) for k in DENIED]),
            "unavailable_total": _sum([_total(record, "applications", k) for k in UNAVAILABLE]),
            "not_processed_total": _sum([_total(record, "applications", k) for k in NOT_PROCESSED]),
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
        if is_latest and row["agency"] and row["year"]:
            self._latest.append((report_id, row["agency"], row["year"], record))
        for cell in _attr(result, "cells", []) or []:
            self.write(
                'INSERT INTO cells (report_id, snapshot_id, "table", "row", col, value, raw, inferred, page)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, snap["id"], cell.get("table"), cell.get("row"), cell.get("col"), cell.get("value"),
                 cell.get("raw"), int(bool(cell.get("inferred"))), cell.get("page")),
            )
            self.stats["cells"] += 1
        self.write_findings(report_id, findings)
        for section, text in (record.get("sections") or {}).items():
            if not text:
                continue
            self._section_id += 1
            sid = self._section_id
            self.write("INSERT INTO sections (id, report_id, section, text) VALUES (?, ?, ?, ?)",
                       (sid, report_id, section, text))
            self.write("INSERT INTO sections_fts (rowid, text) VALUES (?, ?)", (sid, text))
            self.write("INSERT INTO sections_bigram (rowid, bigrams) VALUES (?, ?)", (sid, bigrams(text)))
        self.stats["reports"] += 1
        return report_id

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

    def carry_over(self) -> None:
        """Identity 5: carried_forward (year N) == carried_over (year N+1), latest revisions only."""
        try:
            from parsers.identities import check_carry_over
        except ImportError:
            return
        by_key = {(agency, year): record for _, agency, year, record in self._latest}
        for report_id, agency, year, record in self._latest:
            prev = by_key.get((agency, year - 1)) if isinstance(year, int) else None
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
        # parse everything first (slow: OCR, LibreOffice) without holding the write lock …
        for doc in self.rows("SELECT * FROM documents WHERE kind = 'report' ORDER BY source_id, url"):
            self.stats["documents"] += 1
            units = self.article(doc) or self.units(doc)
            if not units and not self.snapshots(doc["url"]):
                self.stats["no_snapshot"] += 1
            for i, (snap, result) in enumerate(units):
                self.write_report(doc, snap, result, revision=snap["revision"], is_latest=i == len(units) - 1)
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
            if self.registry is not None:
                self.stats["sources"] = record_registry(self.conn, *self.registry)
                self.stats["registry_recorded"] = True
            else:  # the registry a crawl recorded stays: count it, it is what the matrix uses
                self.stats["sources"] = self.conn.execute("SELECT count(*) FROM sources").fetchone()[0]
            if self.cache is not None:
                self.cache.prune()
        return self.stats


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
