"""One body's report of one year as the revision series the parse made of it, across addresses.

`archive.reparse.Rebuilder.one_series` numbers the readings of one (source, body, place, kind, year)
as one series whatever URL each was found at: a correction notice reprinting the whole report at a
new address, or a （更正版） posted at a new URL after the first was taken off the list, is the
series' next revision and its latest.  The pages that show a report's revisions, link its year in
the completeness matrix or label a diff must read the same series, not one document's rows, or a
reader is sent to the superseded reading with no way to the corrected one.  Read from `reports` and
`documents` only (no re-parse needed for an archive parsed before this module existed).
"""

from __future__ import annotations

import sqlite3
from typing import Any

# the series key `Written.series` merges by: the source that listed it, the body, the year, the kind
# of body and its place (NULLs compared with IS, as the parse compared Python None)
SAME_SERIES = ("{o}.agency = {r}.agency AND {o}.year = {r}.year AND {o}.kind IS {r}.kind"
               " AND {o}.province IS {r}.province AND {o}.city IS {r}.city AND {o}.county IS {r}.county")


def same_series(other: str, report: str) -> str:
    """SQL condition: report alias `other` is in `report`'s series (its document's source is compared
    by the caller, who knows the documents' aliases)."""
    return SAME_SERIES.format(o=other, r=report)


_REVISIONS_SQL = f"""
SELECT o.id, o.revision, o.is_latest, o.sha256, o.snapshot_id, o.document_id, o.part, o.url,
       od.kind AS document_kind, od.title AS document_title, s.fetched_at
FROM reports r JOIN documents rd ON rd.id = r.document_id
  JOIN reports o ON {same_series('o', 'r')}
  JOIN documents od ON od.id = o.document_id AND od.source_id IS rd.source_id
  LEFT JOIN snapshots s ON s.id = o.snapshot_id
WHERE r.id = :id AND r.agency IS NOT NULL AND r.year IS NOT NULL
UNION
SELECT o.id, o.revision, o.is_latest, o.sha256, o.snapshot_id, o.document_id, o.part, o.url,
       od.kind, od.title, s.fetched_at
FROM reports r JOIN reports o ON o.document_id = r.document_id AND o.part IS r.part
  LEFT JOIN documents od ON od.id = o.document_id
  LEFT JOIN snapshots s ON s.id = o.snapshot_id
WHERE r.id = :id AND (r.agency IS NULL OR r.year IS NULL)
ORDER BY 2, 11
"""


def revisions(conn: sqlite3.Connection, report_id: str) -> list[dict]:
    """Every revision of the report's series, oldest first, each with the address it was read at
    (`url`, `document_id`, `document_kind`: `correction` for a notice reprinting the report).
    A report without a body or year was never merged across addresses: its own document's (and
    part's) revisions, as before."""
    cur = conn.execute(_REVISIONS_SQL, {"id": report_id})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def latest(conn: sqlite3.Connection, report_id: str) -> str | None:
    """The id of the latest revision of the report's series (None when it has none marked)."""
    return next((r["id"] for r in reversed(revisions(conn, report_id)) if r["is_latest"]), None)


def key(report: dict[str, Any]) -> tuple | None:
    """The series key of a report row carrying its document's `source_id`; None when the parse would
    not merge it across addresses (no body or no year)."""
    if not report.get("agency") or not report.get("year"):
        return None
    return (report.get("source_id"), report["agency"], report["year"], report.get("kind"),
            report.get("province"), report.get("city"), report.get("county"))
