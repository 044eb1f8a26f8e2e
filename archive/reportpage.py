"""Everything the report page shows, gathered from nianbao.db into plain dicts (no HTML here).

Laid out like the national template so a reader can hold it next to the published report;
each cell carries what is needed to link it to its archived snapshot and to flag it.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from archive import diff, labels
from archive.reviews import finding_cells
from archive.reviews import findings as all_findings


def _rows(conn: sqlite3.Connection, sql: str, *args: Any) -> list[dict]:
    cur = conn.execute(sql, args)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def cell_anchor(table: str, row: str, col: str) -> str:
    return f"cell-{table}-{row}-{col}"


def snapshot_href(snapshot_id: Any, page: int | None = None) -> str:
    """Link to the archived file; for a PDF cell with a known page, to that page (#page=N is
    honoured by the PDF viewers of Chromium and Firefox, as the file is served inline)."""
    return f"/-/snapshot/{snapshot_id}" + (f"#page={int(page)}" if page else "")


def page_cells(conn: sqlite3.Connection, report_id: str) -> dict[diff.CellKey, dict]:
    """The report's cells (as `diff.report_cells`) with the PDF page of each, read in one query."""
    try:
        cur = conn.execute('SELECT "table", "row", col, value, raw, inferred, snapshot_id, page FROM cells'
                           " WHERE report_id = ?", (report_id,))
    except sqlite3.OperationalError:  # a db parsed before cells had pages, served before its re-parse
        return diff.report_cells(conn, report_id)
    return {(t, r, c): {"value": v, "raw": raw, "inferred": inf, "snapshot_id": s, "page": page}
            for t, r, c, v, raw, inf, s, page in cur.fetchall()}


def cell_pages(conn: sqlite3.Connection, report_id: str) -> dict[diff.CellKey, int]:
    """The PDF page of each cell whose page is known."""
    return {k: c["page"] for k, c in page_cells(conn, report_id).items() if c.get("page") is not None}


def display(value: Any, raw: Any) -> str:
    if value is None:
        return raw or ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _view(key: diff.CellKey, cells: dict, flagged: dict) -> dict:
    c = cells.get(key)
    out = {"anchor": cell_anchor(*key), "label": labels.cell_label(*key), "present": c is not None,
           "findings": flagged.get(key, [])}
    if c:
        page = c.get("page")
        out.update(text=display(c["value"], c["raw"]), raw=c["raw"], value=c["value"],
                   inferred=bool(c["inferred"]), snapshot_id=c["snapshot_id"], page=page,
                   href=snapshot_href(c["snapshot_id"], page))
    return out


def _ordered(keys: set[str], order: dict[str, str]) -> list[str]:
    return [k for k in order if k in keys] + sorted(k for k in keys if k not in order)


def active_table(cells: dict, flagged: dict) -> list[dict]:
    """Table 2 as the template prints it: a new header whenever the set of columns changes."""
    rows = {r for t, r, _ in cells if t == "active_disclosure"}
    groups: list[dict] = []
    for row in _ordered(rows, labels.ACTIVE_ROWS):
        cols = _ordered({c for t, r, c in cells if t == "active_disclosure" and r == row}, labels.ACTIVE_COLS)
        if not groups or groups[-1]["cols_keys"] != cols:
            groups.append({"cols_keys": cols, "cols": [labels.col_label("active_disclosure", c) for c in cols],
                           "rows": []})
        groups[-1]["rows"].append({"label": labels.row_label("active_disclosure", row),
                                   "cells": [_view(("active_disclosure", row, c), cells, flagged) for c in cols]})
    return groups


def applications_table(cells: dict, flagged: dict) -> list[dict]:
    rows = {r for t, r, _ in cells if t == "applications"}
    return [{"key": row, "label": labels.row_label("applications", row),
             "cells": [_view(("applications", row, c), cells, flagged) for c in labels.APPLICANT_COLS]}
            for row in _ordered(rows, labels.APPLICATION_ROWS)]


def reviews_table(cells: dict, flagged: dict) -> list[dict]:
    return [_view(("reviews_litigation", g, c), cells, flagged)
            for g in labels.REVIEW_GROUPS for c in labels.REVIEW_COLS]


def attachments_of(conn: sqlite3.Connection, page_url: str | None) -> list[dict]:
    """Files attached to the report page (often a PDF copy of the same report), each with its
    newest archived snapshot, so a reader can check the page's numbers against the signed copy."""
    if not page_url:
        return []
    return _rows(conn, "SELECT d.url, d.title, s.id AS snapshot_id, s.content_type FROM documents d"
                       " LEFT JOIN snapshots s ON s.id = (SELECT n.id FROM snapshots n WHERE n.url = d.url"
                       "                                 ORDER BY n.revision DESC LIMIT 1)"
                       " WHERE d.kind = 'attachment' AND d.parent_url = ? ORDER BY d.url", page_url)


def report_page(conn: sqlite3.Connection, report_id: str) -> dict | None:
    found = _rows(conn, "SELECT * FROM reports WHERE id = ?", report_id)
    if not found:
        return None
    report = found[0]
    record = json.loads(report["record"] or "{}")
    snapshot = next(iter(_rows(conn, "SELECT * FROM snapshots WHERE id = ?", report["snapshot_id"])), None)
    document = next(iter(_rows(conn, "SELECT * FROM documents WHERE id = ?", report["document_id"])), None)
    cells = page_cells(conn, report_id)
    findings = all_findings(conn, latest_only=False, report_id=report_id)
    flagged: dict[diff.CellKey, list[str]] = {}
    for f in findings:
        f["cell_keys"] = finding_cells(f["cells"])
        f["anchors"] = [cell_anchor(*k) for k in f["cell_keys"]]
        for key in f["cell_keys"]:
            flagged.setdefault(key, []).append(f["message"] or f["code"] or "")
    revisions = diff.revisions(conn, report["document_id"])
    for r in revisions:  # a diff link always reads older -> newer
        older_first = (r["revision"] or 0) < (report["revision"] or 0)
        r["diff_a"], r["diff_b"] = (r["id"], report_id) if older_first else (report_id, r["id"])
    # the same body's other years (its own year is a revision or a second document, not a year)
    other_years = _rows(conn, "SELECT id, year, revision, findings_count FROM reports"
                              " WHERE agency = ? AND is_latest = 1 AND id != ?"
                              " AND coalesce(year, -1) != coalesce(?, -1) ORDER BY year DESC",
                        report["agency"], report_id, report["year"])
    for o in other_years:
        older_first = (o["year"] or 0) < (report["year"] or 0)
        o["diff_a"], o["diff_b"] = (o["id"], report_id) if older_first else (report_id, o["id"])
        o["diff_label"] = f"{o['year']} → {report['year']}" if older_first else f"{report['year']} → {o['year']}"
    attachments = attachments_of(conn, report["url"])
    sections = [{"key": k, "label": labels.SECTIONS.get(k, k), "text": t}
                for k, t in (record.get("sections") or {}).items() if t]
    return {
        "report": report, "snapshot": snapshot, "document": document, "findings": findings,
        "active": active_table(cells, flagged), "applications": applications_table(cells, flagged),
        "reviews": reviews_table(cells, flagged), "has_reviews": any(k[0] == "reviews_litigation" for k in cells),
        "sections": sections, "attachments": attachments, "revisions": revisions, "other_years": other_years,
        "previous_revision": next((r for r in reversed(revisions) if r["revision"] < (report["revision"] or 0)), None),
        "previous_year": next((o for o in other_years if o["year"] == (report["year"] or 0) - 1), None),
        "applicant_cols": labels.APPLICANT_COLS, "review_groups": labels.REVIEW_GROUPS,
        "review_cols": labels.REVIEW_COLS, "tables": labels.TABLES,
    }
