"""The archived copy of the correction notice a `correction_notice` finding names.

A notice that lists only the changed cells leaves the report's numbers as printed and a finding on
it (archive/reparse.py `Rebuilder.correction_note`); the finding's message names the notice by
title and original address.  A portal may delete the notice later, so the reader is linked to the
snapshot the crawl archived (`/-/snapshot/<id>`), not only to the live URL.  Looked up from
`documents` and `snapshots` at display time, so an archive parsed before this link existed shows it.
"""

from __future__ import annotations

import sqlite3

CODE = "correction_notice"

# the source's correction documents whose address the finding's message names (`（<url>）`), each
# with its newest archived server answer (a 200 first; a rendered DOM only when nothing else)
_NOTICE_SQL = """
select d.url, d.title, s.id as snapshot_id, s.fetched_at
from reports r join documents rd on rd.id = r.document_id
  join documents d on d.kind = 'correction' and d.source_id is rd.source_id
  join snapshots s on s.id = (select n.id from snapshots n where n.url = d.url
                              order by n.rendered, n.status = 200 desc, n.last_seen_at desc, n.revision desc limit 1)
where r.id = :report_id and instr(:message, '（' || d.url) > 0
order by length(d.url) desc
limit 1
"""


def archived(conn: sqlite3.Connection, finding: dict) -> dict | None:
    """{url, title, snapshot_id, fetched_at, href} of the archived notice a correction_notice finding
    names; None for any other finding, or when the notice was never archived."""
    if finding.get("code") != CODE or not finding.get("report_id"):
        return None
    cur = conn.execute(_NOTICE_SQL, {"report_id": finding["report_id"], "message": finding.get("message") or ""})
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip([d[0] for d in cur.description], row, strict=True))
    out["href"] = f"/-/snapshot/{out['snapshot_id']}"
    return out
