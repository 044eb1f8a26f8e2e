"""Reviewer verdicts on findings: was the broken identity the source's error, the parser's, or fine?

Stored in `finding_reviews` keyed by `findings.finding_key`, which re-parsing reproduces, so a
verdict stays attached to the same finding after the parsed tables are rebuilt.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

VERDICTS = ("source-error", "parser-error", "ok")

# What `printed` and `implied` hold differs by finding code (parsers/identities.py), so each page
# names them per finding instead of under one column heading that would mean different things.
SIDES: dict[str, tuple[str, str]] = {
    "balance": ("办理总计+结转下年 processed + carried forward", "新收+上年结转 received + carried over"),
    "row_sum": ("总计栏 printed total", "各类申请人之和 sum of applicant columns"),
    "outcome_sum": ("三（七）总计 printed total", "各办理结果之和 sum of outcomes"),
    "other_sum": ("其他处理栏 printed", "三项之和 sum of its three rows"),
    "review_sum": ("总计栏 printed total", "各项之和 sum of the parts"),
    "carry_over": ("本年报告的上年结转 carried over (this report)", "上年报告的结转下年 carried forward (last year's report)"),
    "narrative": ("正文所述 stated in the text", "表格数 in the table"),
    "inferred": ("原文 printed", "补入值 filled-in value"),
}
DEFAULT_SIDES = ("报告数 printed", "推算数 implied")


def sides(code: str | None) -> tuple[str, str]:
    """(what `printed` is, what `implied` is) for a finding code."""
    return SIDES.get(code or "", DEFAULT_SIDES)

FINDINGS_SQL = """
select f.id, f.finding_key, f.identity, f.code, f.cells, f.printed, f.implied, f.message,
       r.id as report_id, r.agency, r.year, r.revision, r.is_latest,
       v.verdict, v.note, v.reviewer, v.at as reviewed_at
from findings f
  join reports r on r.id = f.report_id
  left join finding_reviews v on v.id = (select max(id) from finding_reviews w where w.finding_key = f.finding_key)
where (:latest = '' or r.is_latest = 1)
  and (:agency = '' or r.agency like '%' || :agency || '%')
  and (:verdict = '' or coalesce(v.verdict, 'unreviewed') = :verdict)
order by (v.verdict is not null), r.agency, r.year, f.identity, f.id
"""


class BadReview(ValueError):
    pass


def add_review(conn: sqlite3.Connection, finding_key: str, verdict: str, note: str = "", reviewer: str = "") -> dict:
    """Append a verdict (history is kept; the latest per finding counts).  Commits."""
    if verdict not in VERDICTS:
        raise BadReview(f"verdict must be one of {', '.join(VERDICTS)}")
    row = conn.execute("SELECT report_id, identity FROM findings WHERE finding_key = ? LIMIT 1", (finding_key,)).fetchone()
    if row is None:
        raise BadReview(f"no finding with key {finding_key!r}")
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    cur = conn.execute("INSERT INTO finding_reviews (finding_key, verdict, note, reviewer, at, report_id, identity)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", (finding_key, verdict, note, reviewer, at, row[0], row[1]))
    conn.commit()
    return {"id": cur.lastrowid, "finding_key": finding_key, "verdict": verdict, "note": note,
            "reviewer": reviewer, "at": at}


def findings(conn: sqlite3.Connection, agency: str = "", verdict: str = "", latest_only: bool = True) -> list[dict]:
    cur = conn.execute(FINDINGS_SQL, {"agency": agency, "verdict": verdict, "latest": "1" if latest_only else ""})
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for r in rows:
        r["printed_label"], r["implied_label"] = sides(r["code"])
    return rows
