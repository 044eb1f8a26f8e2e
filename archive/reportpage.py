"""Everything the report page shows, gathered from nianbao.db into plain dicts (no HTML here).

Laid out like the national template so a reader can hold it next to the published report;
each cell carries what is needed to link it to its archived snapshot and to flag it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from archive import bodies, diff, filenames, labels, printed, series, withdrawals
from archive.reviews import finding_cells
from archive.reviews import findings as all_findings

PREAMBLE_LABEL = "更正公告的说明 What the correction notice says before the report"


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


def cell_pages(conn: sqlite3.Connection, report_id: str) -> dict[diff.CellKey, int]:
    """The PDF page of each cell whose page is known."""
    return {k: c["page"] for k, c in diff.report_cells(conn, report_id).items() if c["page"] is not None}


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
        block = labels.ACTIVE_BLOCKS.get(row)  # 第二十条第（五）项 and （六）项 share a column, not a block
        if not groups or groups[-1]["cols_keys"] != cols or groups[-1]["block"] != block:
            groups.append({"cols_keys": cols, "cols": [labels.col_label("active_disclosure", c, row) for c in cols],
                           "block": block, "rows": []})
        groups[-1]["rows"].append({"label": labels.row_label("active_disclosure", row),
                                   "cells": [_view(("active_disclosure", row, c), cells, flagged) for c in cols]})
    return groups


def _row_groups(row: str) -> tuple[str | None, str | None, str]:
    """(三、本年度办理结果 or None, （三）不予公开 or None, the row's own label) of a table 3 row."""
    label = labels.row_label("applications", row)
    keys = list(labels.APPLICATION_ROWS)
    inside = row in keys and keys.index("granted") <= keys.index(row) <= keys.index("total_processed")
    if not inside:
        return None, None, label
    sub = next((name for prefix, name in labels.OUTCOME_SUBGROUPS if row.startswith(prefix) and row != "other_total"),
               None)
    own = label.split(" ", 1)[-1] if " " in label else label
    return labels.OUTCOME_GROUP, sub, own


def applications_table(cells: dict, flagged: dict) -> list[dict]:
    """Table 3's rows with their group labels as the template prints them: 三、本年度办理结果 spanning
    its rows, （三）不予公开 spanning its numbered items, so "2.重复申请" is never read alone."""
    rows = {r for t, r, _ in cells if t == "applications"}
    out = [{"key": row, "label": labels.row_label("applications", row), "groups": _row_groups(row),
            "cells": [_view(("applications", row, c), cells, flagged) for c in labels.APPLICANT_COLS]}
           for row in _ordered(rows, labels.APPLICATION_ROWS)]
    for level in (0, 1):  # rowspan of each run of one group label; 0 = covered by the row above
        i = 0
        while i < len(out):
            name = out[i]["groups"][level]
            j = i + 1
            while name and j < len(out) and out[j]["groups"][level] == name \
                    and (level == 0 or out[j]["groups"][0] == out[i]["groups"][0]):
                j += 1
            for k in range(i, j):
                out[k][("top_span", "sub_span")[level]] = (j - i) if k == i else 0
            i = j
    for r in out:
        top, sub, own = r["groups"]
        r["top"], r["sub"], r["own"] = top, sub, own
        r["own_colspan"] = 3 if top is None else 2 if sub is None else 1
    return out


def reviews_table(cells: dict, flagged: dict) -> list[dict]:
    return [_view(("reviews_litigation", g, c), cells, flagged)
            for g in labels.REVIEW_GROUPS for c in labels.REVIEW_COLS]


def attachments_of(conn: sqlite3.Connection, page_url: str | None) -> list[dict]:
    """Files attached to the report page (often a PDF copy of the same report), each with its
    newest archived snapshot, so a reader can check the page's numbers against the signed copy."""
    if not page_url:
        return []
    found = _rows(conn, "SELECT d.url, d.title, s.id AS snapshot_id, s.content_type, s.headers FROM documents d"
                        " LEFT JOIN snapshots s ON s.id = (SELECT n.id FROM snapshots n WHERE n.url = d.url"
                        "                                 ORDER BY n.revision DESC LIMIT 1)"
                        " WHERE d.kind = 'attachment' AND d.parent_url = ? ORDER BY d.url", page_url)
    for a in found:  # listed by the name the server gave it (download.jsp?fileId=1006 is …附表.xlsx)
        a["name"] = (filenames.disposition_name(filenames.header(a.pop("headers"), "content-disposition"))
                     or filenames.url_name(a["url"]) or a["url"])
    return found


def _place(row: dict) -> bodies.Place:
    return (row.get("province"), row.get("city"), row.get("county"))


def same_body_years(conn: sqlite3.Connection, report: dict) -> list[dict]:
    """The same body's other years, newest first: same name *and* place (archive/bodies.py), so the
    page of 枣庄's 市中区人民政府 never lists (or diffs against) 济南's; its name printed another way
    (archive/printed.py) or its former name too, each year under the name it printed.  A year where no single
    same-named body fits is left out rather than guessed.  Its own year is a revision or a second
    document, not another year."""
    # a renamed body's years under its other names too (diff.series_names: 城市管理局 → 城市管理和综合执法局)
    names = diff.series_names(conn, report["agency"], "".join(p or "" for p in _place(report))) \
        if report.get("agency") else [report.get("agency")]
    rows = _rows(conn, "SELECT id, agency, year, revision, findings_count, province, city, county FROM reports"
                       f" WHERE agency IN ({', '.join('?' * len(names))}) AND is_latest = 1 AND id != ?"
                       " AND coalesce(year, -1) != coalesce(?, -1) ORDER BY year DESC, id",
                 *names, report["id"], report["year"])
    by_year: dict[Any, list[tuple[bodies.Place, dict]]] = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append((_place(r), r))
    picked = {year: bodies.same_body(_place(report), cands) for year, cands in by_year.items()}
    found = {year: r for year, r in picked.items() if r is not None}
    if report.get("agency"):
        # a year whose report printed the body's name another way (山东省聊城市公安局 / 聊城市公安局), paired
        # as the carry-over check pairs it; each row keeps the name it printed, which the page shows
        for year, r in printed.other_prints(conn, report["agency"], _place(report)).items():
            if year not in found and year != report["year"]:
                found[year] = r
    return [found[y] for y in sorted(found, key=lambda y: -(y or 0))]


_CLAIM = re.compile(r"总体情况称(.+?)(\d+)件，")
_SENTENCE_END = "。；;！!？?\n"


def _spaced(text: str) -> str:
    """A regex for `text` that allows white space between its characters (PDF text breaks lines anywhere)."""
    return r"\s*".join(re.escape(ch) for ch in text if not ch.isspace())


def narrative_span(text: str, message: str | None) -> tuple[int, int, str] | None:
    """(start, end, claim) of the sentence in section 一 that a narrative finding (identity 6) quotes:
    "总体情况称不予公开31件，但表格为1件" -> the sentence with 不予公开31件 in it.  None when the
    words are not found as printed (the finding still links its table cells)."""
    claim = _CLAIM.search(message or "")
    if not claim or not text:
        return None
    what, said = claim.group(1), claim.group(2)
    found = re.search(_spaced(what) + r"\s*" + said + r"\s*件", text)
    if not found:  # the number, with the words' last two characters shortly before it
        for m in re.finditer(r"(?<!\d)" + said + r"\s*件", text):
            if "".join(text[max(0, m.start() - 30): m.start()].split()).find(what[-2:]) >= 0:
                found = m
                break
    if not found:
        return None
    start = max(text.rfind(ch, 0, found.start()) for ch in _SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, found.end()) for ch in _SENTENCE_END) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, end, text[max(start, found.start() - 12): found.end()]


_QUOTES = re.compile("[\\s“”\"‘’'「」『』]")


def file_pages(conn: sqlite3.Connection, sha256: str | None) -> list[str]:
    """The parsed file's extracted text page by page (split at \\f), white space and quotes dropped;
    [] for a file without pages."""
    row = conn.execute("SELECT text FROM extracted_text WHERE sha256 = ? AND text LIKE '%' || char(12) || '%'"
                       " LIMIT 1", (sha256,)).fetchone() if sha256 else None
    return [_QUOTES.sub("", page) for page in row[0].split("\f")] if row else []


def text_page(pages: list[str], *words: str) -> int | None:
    """The 1-based page that prints the first of `words` found on one page (white space and quotes
    ignored, as PDF text breaks lines anywhere)."""
    for w in (_QUOTES.sub("", w) for w in words):
        hits = [n for n, page in enumerate(pages, 1) if w and w in page]
        if hits:
            return hits[0]
    return None


def _mark_passages(sections: list[dict], findings: list[dict], conn: sqlite3.Connection, report: dict) -> None:
    """Link each narrative finding to the sentence it quotes (and to the PDF page printing it): the
    overview's text is cut into pieces, the quoted sentences marked with the finding's anchor."""
    overview = next((s for s in sections if s["key"] == "overview"), None)
    spans, pages = [], None
    for f in findings:
        if f.get("code") != "narrative" or overview is None:
            continue
        found = narrative_span(overview["text"], f.get("message"))
        if found is None:
            continue
        start, end, words = found
        pages = file_pages(conn, report.get("sha256")) if pages is None else pages  # read once per page view
        page = text_page(pages, overview["text"][start:end], words)
        f["passage"] = {"anchor": f"narrative-{f['id']}", "text": overview["text"][start:end], "page": page,
                        "href": snapshot_href(report["snapshot_id"], page)}
        spans.append((start, end, f["passage"]))
    for s in sections:
        s["pieces"] = [{"text": s["text"], "anchor": None}]
    if overview is None or not spans:
        return
    pieces, at, last = [], 0, ""
    for start, end, passage in sorted(spans, key=lambda x: (x[0], x[1])):
        if start < at:  # a second finding on the same sentence: the first mark serves both
            passage["anchor"] = last
            continue
        last = passage["anchor"]
        pieces += [{"text": overview["text"][at:start], "anchor": None},
                   {"text": overview["text"][start:end], "anchor": last}]
        at = end
    pieces.append({"text": overview["text"][at:], "anchor": None})
    overview["pieces"] = [p for p in pieces if p["text"]]


def copies_of(conn: sqlite3.Connection, report_id: str) -> list[dict]:
    """The other addresses this report was found at (`duplicates`, archive/reparse.py `one_series`),
    with the title each was listed under: a reader sees where else it stands (none in an archive
    parsed before the table existed)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'duplicates'").fetchone():
        return []
    return _rows(conn, "SELECT url, source_url, snapshot_id, listed_as FROM duplicates WHERE same_as = ? ORDER BY url",
                 report_id)


def alias_of(conn: sqlite3.Connection, report_id: str) -> str | None:
    """The report row holding the reading a former revision id named (`report_aliases`), if any."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_aliases'").fetchone():
        return None
    row = conn.execute("SELECT a.report_id FROM report_aliases a JOIN reports r ON r.id = a.report_id"
                       " WHERE a.id = ?", (report_id,)).fetchone()
    return row[0] if row else None


def report_page(conn: sqlite3.Connection, report_id: str) -> dict | None:
    found = _rows(conn, "SELECT * FROM reports WHERE id = ?", report_id)
    if not found:
        return None
    report = found[0]
    record = json.loads(report["record"] or "{}")
    snapshot = next(iter(_rows(conn, "SELECT * FROM snapshots WHERE id = ?", report["snapshot_id"])), None)
    document = next(iter(_rows(conn, "SELECT * FROM documents WHERE id = ?", report["document_id"])), None)
    cells = diff.report_cells(conn, report_id)
    findings = all_findings(conn, latest_only=False, report_id=report_id)
    flagged: dict[diff.CellKey, list[str]] = {}
    for f in findings:
        f["cell_keys"] = finding_cells(f["cells"])
        f["anchors"] = [cell_anchor(*k) for k in f["cell_keys"]]
        # five links all reading "[单元格]" told the reader nothing: each names its row and column
        f["cell_links"] = [{"anchor": cell_anchor(*k), "label": labels.cell_label(*k),
                            "short": labels.cell_label(*k).split(" · ", 1)[-1]} for k in f["cell_keys"]]
        for key in f["cell_keys"]:
            flagged.setdefault(key, []).append(f["message"] or f["code"] or "")
    # the body's year as one series across addresses (a correction reprinted at a new URL included)
    revisions = series.revisions(conn, report_id)
    for r in revisions:  # a diff link always reads older -> newer
        older_first = (r["revision"] or 0) < (report["revision"] or 0)
        r["diff_a"], r["diff_b"] = (r["id"], report_id) if older_first else (report_id, r["id"])
        r["elsewhere"] = r["document_id"] != report["document_id"]  # read at another address: say which
    other_years = same_body_years(conn, report)
    for o in other_years:
        older_first = (o["year"] or 0) < (report["year"] or 0)
        o["diff_a"], o["diff_b"] = (o["id"], report_id) if older_first else (report_id, o["id"])
        o["diff_label"] = f"{o['year']} → {report['year']}" if older_first else f"{report['year']} → {o['year']}"
        o["place_label"] = bodies.label(_place(o))
    attachments = attachments_of(conn, report["url"])
    free = report.get("template") == "free"
    names = labels.FREE_SECTIONS if free else labels.SECTIONS
    sections = [{"key": k, "label": names.get(k, k), "text": t, "anchor": f"section-{k}"}
                for k, t in (record.get("sections") or {}).items() if t]
    # a correction notice's own words before the report it reprints (archive/preamble.py)
    sections[:0] = [{"key": "preamble", "label": PREAMBLE_LABEL, "text": t, "anchor": "section-preamble"}
                    for (t,) in conn.execute("SELECT text FROM sections WHERE report_id = ? AND section = 'preamble'",
                                             (report_id,))]
    _mark_passages(sections, findings, conn, report)
    # a free-form report gives 二/三/四 in prose: shown where the template prints the table, not "absent"
    prose = {table: s for table, key in labels.FREE_PROSE.items() for s in sections if free and s["key"] == key}
    for s in sections:
        s["in_place"] = any(s is p for p in prose.values()) or (free and s["key"] == "fees")
    # a body's report read out of a 汇编: the reader is told so, and can walk to the other bodies in it
    bundle = _rows(conn, "SELECT id, agency, part FROM reports WHERE document_id = ? AND snapshot_id = ?"
                         " AND part IS NOT NULL ORDER BY part", report["document_id"],
                   report["snapshot_id"]) if report.get("part") else []
    return {
        "report": report, "place_label": bodies.label(_place(report)), "snapshot": snapshot, "bundle": bundle,
        "document": document, "findings": findings,
        "active": active_table(cells, flagged), "applications": applications_table(cells, flagged),
        "reviews": reviews_table(cells, flagged), "has_reviews": any(k[0] == "reviews_litigation" for k in cells),
        "sections": sections, "prose": prose, "fees": next((s for s in sections if free and s["key"] == "fees"), None),
        "attachments": attachments, "revisions": revisions, "other_years": other_years,
        "copies": copies_of(conn, report_id),
        # read live from the crawls, so the page tells a taken-down report before the next parse does
        "portal": withdrawals.portal_state(conn, report, document),
        "previous_revision": next((r for r in reversed(revisions) if r["revision"] < (report["revision"] or 0)), None),
        "previous_year": next((o for o in other_years if o["year"] == (report["year"] or 0) - 1), None),
        "applicant_cols": labels.APPLICANT_COLS, "review_groups": labels.REVIEW_GROUPS,
        "review_cols": labels.REVIEW_COLS, "tables": labels.TABLE_HEADINGS,
    }
