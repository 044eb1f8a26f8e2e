"""SQLite schema of nianbao.db.

Two kinds of tables live here.  *Provenance* tables (snapshots, fetches, crawl_runs,
crawl_run_sources, crawl_errors, documents) record what was fetched and are never
rebuilt: they are the only record of history.  *Parsed* tables (reports, cells,
findings, parse_failures, sections and its search tables) are derived from the
blobs and are dropped and rebuilt by `archive.reparse.reparse_all`, so a better
parser can be re-run over the whole archive.  Two more survive a re-parse: `sources` (the
registry, for the completeness matrix) and `extracted_text` (the extraction cache).

Plain SQL DDL (not sqlite-utils' table builder) so the schema is readable in one place
and `CREATE ... IF NOT EXISTS` keeps it idempotent.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import sqlite_utils

PROVENANCE_DDL = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    id TEXT PRIMARY KEY,
    spider TEXT,
    sources TEXT,            -- JSON list of source ids
    started_at TEXT,
    finished_at TEXT,
    status TEXT,             -- running | finished | failed | ...
    stats TEXT               -- JSON
);
CREATE TABLE IF NOT EXISTS crawl_run_sources (
    run_id TEXT REFERENCES crawl_runs(id),
    source_id TEXT,
    pages INTEGER,
    reports_found INTEGER,
    attachments INTEGER,
    errors INTEGER,
    duration_s REAL,
    PRIMARY KEY (run_id, source_id)
);
CREATE TABLE IF NOT EXISTS crawl_errors (
    id INTEGER PRIMARY KEY,
    run_id TEXT REFERENCES crawl_runs(id),
    source_id TEXT,
    url TEXT,
    reason TEXT,
    at TEXT,
    list_page INTEGER DEFAULT 0, -- 1: the URL is a page of a 年报 column's list (`nianbao status` flags a repeat)
    -- a report link a 年报 list classified (its title, year, body) whose fetch failed: the completeness
    -- matrix shows that year as listed but not fetched (`unreached`, this row's reason), never `missing`
    title TEXT,
    year INTEGER,
    agency TEXT
);
-- per source and run: crawl_health and `nianbao status` look problems up for every source
CREATE INDEX IF NOT EXISTS crawl_errors_run_source ON crawl_errors(run_id, source_id);
CREATE INDEX IF NOT EXISTS crawl_run_sources_source ON crawl_run_sources(source_id);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    revision INTEGER NOT NULL,
    status INTEGER,
    headers TEXT,            -- JSON list of [name, value] as received
    request_headers TEXT,    -- JSON list of [name, value]
    method TEXT,
    fetched_at TEXT,         -- first fetch that produced these bytes
    last_seen_at TEXT,       -- latest fetch that returned the same bytes
    referrer TEXT,
    source_id TEXT,
    spider TEXT,
    software TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER,
    content_type TEXT,
    etag TEXT,
    last_modified TEXT,
    warc_file TEXT,
    warc_offset INTEGER,
    rendered INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    run_id TEXT REFERENCES crawl_runs(id),
    request_body TEXT,       -- the form a POST sent (urlencoded), NULL for a GET (archive/posted.py)
    UNIQUE (url, sha256, rendered)
);
CREATE INDEX IF NOT EXISTS snapshots_sha256 ON snapshots(sha256);
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY,
    run_id TEXT REFERENCES crawl_runs(id),
    url TEXT,
    final_url TEXT,
    status INTEGER,
    fetched_at TEXT,
    snapshot_id INTEGER REFERENCES snapshots(id),
    not_modified INTEGER NOT NULL DEFAULT 0,
    new_snapshot INTEGER NOT NULL DEFAULT 0,
    source_id TEXT,
    spider TEXT,
    warc_file TEXT,
    warc_offset INTEGER
);
CREATE INDEX IF NOT EXISTS fetches_url ON fetches(url);
CREATE INDEX IF NOT EXISTS fetches_run ON fetches(run_id);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,     -- sha1 of source_id + "\\n" + url
    source_id TEXT,
    url TEXT,
    kind TEXT,               -- report | attachment | page (a later page of a report printed over several)
    parent_url TEXT,
    title TEXT,
    year INTEGER,
    agency TEXT,
    published TEXT,
    first_seen_at TEXT,
    last_seen_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_url ON documents(url);
-- a reviewer's verdict on a finding; keyed by findings.finding_key (stable across re-parses),
-- so it is provenance, not derived data: reparse never drops it.  Latest row per key wins.
CREATE TABLE IF NOT EXISTS finding_reviews (
    id INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('source-error', 'parser-error', 'ok')),
    note TEXT,
    reviewer TEXT,
    at TEXT,
    report_id TEXT,          -- the report revision the reviewer was looking at
    identity TEXT
);
CREATE INDEX IF NOT EXISTS finding_reviews_key ON finding_reviews(finding_key);
CREATE INDEX IF NOT EXISTS documents_parent ON documents(parent_url);
"""

PARSED_DDL = """
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,     -- sha1 of document_id + "\\n" + sha256 of parsed bytes (+ every file's, for a report read from several)
                             -- (+ "part k" for the k-th report of a 汇编)
    document_id TEXT REFERENCES documents(id),
    part INTEGER,            -- the k-th body's report (1-based) of a 汇编 (one file, several bodies); NULL: one report
    snapshot_id INTEGER REFERENCES snapshots(id),
    url TEXT,                -- the report page
    source_url TEXT,         -- the bytes actually parsed (page or attachment)
    sha256 TEXT,
    agency TEXT,
    year INTEGER,
    template TEXT,
    level TEXT,
    kind TEXT,
    province TEXT,
    city TEXT,
    county TEXT,
    published TEXT,          -- the article's labelled 发布时间 (for a file: its page's), else the date signed
    signed TEXT,             -- the date under the report's signature (meta.signed); NULL when none is printed
    revision INTEGER,
    is_latest INTEGER,
    gone TEXT,               -- the portal no longer lists or serves it, since when (archive/withdrawals.py), as of
                             -- the last parse; NULL: listed and served at its source's last crawl, or no crawl can tell
    parsed_at TEXT,
    parser_version TEXT,
    format TEXT,
    skipped TEXT,            -- what extraction left out (pages past the cap…); NULL: read whole
    new_received_total INTEGER,
    carried_over_total INTEGER,
    granted_total INTEGER,
    partially_granted_total INTEGER,
    denied_total INTEGER,
    unavailable_total INTEGER,
    not_processed_total INTEGER,
    total_processed_total INTEGER,
    carried_forward_total INTEGER,
    review_total INTEGER,
    litigation_total INTEGER,
    findings_count INTEGER,
    new_received_natural_person INTEGER,
    new_received_legal_person INTEGER,   -- the five 法人或其他组织 columns summed
    record TEXT,             -- the canonical record, JSON
    -- the reports table's default sort (newest year first): unique, so Datasette's keyset paging
    -- (JSON next links, CSV stream, excel) returns every row exactly once; `year` alone has ties
    year_order TEXT GENERATED ALWAYS AS (printf('%04d', coalesce(year, 0)) || '-' || id) VIRTUAL
);
CREATE INDEX IF NOT EXISTS reports_agency_year ON reports(agency, year);
CREATE INDEX IF NOT EXISTS reports_year_order ON reports(year_order);
-- the pages read reports by document (revisions, completeness) and by snapshot (snapshot info)
CREATE INDEX IF NOT EXISTS reports_document ON reports(document_id);
CREATE INDEX IF NOT EXISTS reports_snapshot ON reports(snapshot_id);
-- completeness: an address whose bytes another document's report holds is that report (moved)
CREATE INDEX IF NOT EXISTS reports_sha256 ON reports(sha256);
CREATE TABLE IF NOT EXISTS cells (
    id INTEGER PRIMARY KEY,
    report_id TEXT REFERENCES reports(id),
    snapshot_id INTEGER REFERENCES snapshots(id),
    "table" TEXT,
    "row" TEXT,
    col TEXT,
    value NUMERIC,
    raw TEXT,
    inferred INTEGER,
    page INTEGER             -- 1-based PDF page the value was printed on; NULL: not a PDF, or not known
);
CREATE INDEX IF NOT EXISTS cells_report ON cells(report_id);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    report_id TEXT REFERENCES reports(id),
    identity TEXT,
    code TEXT,
    cells TEXT,              -- JSON
    printed,                 -- number or text as printed
    implied,                 -- value the identity implies
    message TEXT,
    finding_key TEXT         -- sha1(document_id, identity, code, cells): stable across re-parses
);
CREATE INDEX IF NOT EXISTS findings_report ON findings(report_id);
CREATE INDEX IF NOT EXISTS findings_key ON findings(finding_key);  -- reviews name findings by key
-- one body under two names (机构改革, archive/renames.py): `agency` up to last_year is the body that
-- reports as `renamed_to` from first_year, proved within one registry source
CREATE TABLE IF NOT EXISTS renamed_bodies (
    source_id TEXT,
    agency TEXT,
    renamed_to TEXT,
    province TEXT,
    city TEXT,
    county TEXT,
    last_year INTEGER,
    first_year INTEGER
);
-- a document whose reading equals a report filed at another address of the same body-year series
-- (archive/reparse.py `one_series`): no second report row, but never silently gone
CREATE TABLE IF NOT EXISTS duplicates (
    id INTEGER PRIMARY KEY,
    document_id TEXT REFERENCES documents(id),
    url TEXT,                -- this document's page
    source_url TEXT,         -- the bytes read (page or attachment)
    snapshot_id INTEGER REFERENCES snapshots(id),
    sha256 TEXT,
    agency TEXT,             -- as read (the same as the report it duplicates)
    year INTEGER,
    listed_as TEXT,          -- the document's own title where the crawl found it (may name another body or year)
    same_as TEXT REFERENCES reports(id),  -- the report row holding this reading
    same_as_url TEXT,
    moved INTEGER DEFAULT 0  -- 1: the report moved from here to same_as_url (seen there in a later crawl)
);
CREATE INDEX IF NOT EXISTS duplicates_same_as ON duplicates(same_as);
-- the id a reading equal to the revision before it would have had (a page whose view counter changed:
-- archive/reparse.py `one_per_reading`; an archive parsed before kept it as a revision): a bookmark
-- to it opens the report row holding that reading
CREATE TABLE IF NOT EXISTS report_aliases (
    id TEXT PRIMARY KEY,
    report_id TEXT REFERENCES reports(id)
);
CREATE TABLE IF NOT EXISTS parse_failures (
    id INTEGER PRIMARY KEY,
    snapshot_id INTEGER REFERENCES snapshots(id),
    url TEXT,
    reason TEXT,
    at TEXT
);
CREATE INDEX IF NOT EXISTS parse_failures_snapshot ON parse_failures(snapshot_id);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    report_id TEXT REFERENCES reports(id),
    section TEXT,
    text TEXT
);
CREATE INDEX IF NOT EXISTS sections_report ON sections(report_id);
-- trigram index: substring search for queries of 3+ characters
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(
    text, content='sections', content_rowid='id', tokenize='trigram'
);
-- bigram index: text pre-split into overlapping character pairs, so 2-character
-- Chinese words (公开, 复议) are found; query it with bigram_query(:q) (archive.textsearch)
CREATE VIRTUAL TABLE IF NOT EXISTS sections_bigram USING fts5(bigrams);
-- every cell key of the templates with its printed label and unit (archive/labels.py `cell_label_rows`):
-- join to cells on ("table", "row", col); rewritten with the parsed tables, so it follows the code
CREATE TABLE IF NOT EXISTS cell_labels (
    "table" TEXT NOT NULL,
    "row" TEXT NOT NULL,
    col TEXT NOT NULL,
    position INTEGER,        -- template order (table 2, 3, 4; rows and columns as printed)
    table_label TEXT,
    row_label TEXT,
    col_label TEXT,
    label TEXT,              -- 表三 · （三）不予公开 4.保护第三方合法权益 · 总计
    templates TEXT,          -- the templates that print the cell: "2021", "2019" or "2021,2019"
    unit TEXT,               -- 件 / 项 / 万元
    unit_note TEXT,
    PRIMARY KEY ("table", "row", col)
);
"""

# Kept across re-parses (neither provenance nor rebuilt): the source registry the archive was
# parsed against, and the extraction cache (archive/extract_cache.py).
KEPT_DDL = """
-- the registry (crawler/sources.yaml or --sources FILE) as last recorded by `nianbao parse`,
-- so the completeness matrix lists never-crawled sources without Datasette reading YAML
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    position INTEGER,        -- order in the registry file
    name TEXT,
    level TEXT,
    kind TEXT,
    province TEXT,
    city TEXT,
    county TEXT,
    family TEXT,
    start_urls TEXT,         -- JSON list
    first_year INTEGER,      -- first reporting year expected from it; NULL: the matrix default (2019)
    note TEXT,
    registry TEXT,           -- the file it came from
    recorded_at TEXT
);
-- text an extractor returned for some bytes, per extractor fingerprint (derived; safe to delete)
CREATE TABLE IF NOT EXISTS extracted_text (
    sha256 TEXT NOT NULL,    -- of the bytes given to the extractor (Content-Encoding undone)
    fingerprint TEXT NOT NULL,
    kind TEXT,               -- detected format
    text TEXT,
    error TEXT,              -- ParseError reason when extraction failed
    seconds REAL,            -- time the extraction took
    extracted_at TEXT,
    PRIMARY KEY (sha256, fingerprint)
);
"""

PARSED_TABLES = ("cells", "findings", "sections_fts", "sections_bigram", "sections", "parse_failures", "renamed_bodies", "duplicates",
                 "report_aliases",
                 "reports", "cell_labels")


def connect(path: Path) -> sqlite_utils.Database:
    """Open nianbao.db in WAL mode so Datasette can read while the crawler writes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=OFF")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    db.conn.executescript(PROVENANCE_DDL + KEPT_DDL)
    add_missing_columns(db.conn, PROVENANCE_DDL)
    add_missing_columns(db.conn, KEPT_DDL)
    # before the parsed DDL runs: its indexes may name columns an older db does not have yet
    add_missing_columns(db.conn, PARSED_DDL)  # until the next reparse rebuilds them
    db.conn.executescript(PARSED_DDL)


def add_missing_columns(conn: sqlite3.Connection, ddl: str) -> list[str]:
    """Bring an older nianbao.db up to date: columns added to the DDL since are ALTERed in.

    Provenance tables are never rebuilt, so this is their only migration path.
    """
    fresh = sqlite3.connect(":memory:")
    fresh.executescript(ddl)
    added = []
    tables = [r[0] for r in fresh.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        if table not in existing:
            continue  # created whole by the DDL itself
        have = {r[1] for r in conn.execute(f"PRAGMA table_xinfo([{table}])")}
        for _, name, ctype, _notnull, default, _pk, hidden in fresh.execute(f"PRAGMA table_xinfo([{table}])"):
            if name in have:
                continue
            if hidden in (2, 3):  # a generated column: ALTER can add it (as VIRTUAL) with its expression
                extra = " " + generated_clause(fresh, table, name)
            else:
                extra = f" DEFAULT {default}" if default is not None else ""
            conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{name}] {ctype}{extra}")
            added.append(f"{table}.{name}")
    fresh.close()
    conn.commit()
    return added


def generated_clause(conn: sqlite3.Connection, table: str, column: str) -> str:
    """`GENERATED ALWAYS AS (…) VIRTUAL` of a column `PRAGMA table_xinfo` marks generated (hidden 2/3).

    Its expression is read back from the CREATE TABLE text: SQLite keeps it nowhere else (no pragma
    returns it) and sqlite-utils 4.2 does not read it either."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    start = re.search(rf"\b{re.escape(column)}\b[^,]*?GENERATED ALWAYS AS \(", sql).end()
    depth, end = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        end += 1
    return f"GENERATED ALWAYS AS ({sql[start:end]} VIRTUAL"


def statements(ddl: str) -> list[str]:
    """Split a DDL script into statements, so it can run inside one explicit transaction."""
    out, buf = [], ""
    for line in ddl.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


def drop_parsed(db: sqlite_utils.Database) -> None:
    """Drop and recreate the derived tables; provenance tables stay untouched.

    Runs inside the caller's transaction when one is open (reparse does all its work in
    one, so a reader never sees the tables empty and a failed rebuild leaves the old ones).
    """
    conn = db.conn
    for name in PARSED_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS [{name}]")
    for stmt in statements(PARSED_DDL):
        conn.execute(stmt)
