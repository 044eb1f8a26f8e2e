"""Reviewer verdicts on findings: was the broken identity the source's error, the parser's, or fine?

Stored in `finding_reviews` keyed by `findings.finding_key`, which re-parsing reproduces, so a
verdict stays attached to the same finding after the parsed tables are rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from archive import notices
from archive.bodies import ByName, same_body

VERDICTS = ("source-error", "parser-error", "ok")
# what each verdict asserts, shown beside the choice (the stored value stays the short English key)
VERDICT_LABELS = {
    "source-error": "原报告错误 the published report's own numbers disagree (we read them right)",
    "parser-error": "解析错误 we misread the report (a number differs from the archived original)",
    "ok": "无问题 not an error: the numbers are right and the check does not apply (e.g. explained in the report)",
}
# the identities of docs/report-format.md, for the legend of the findings page
IDENTITIES = {
    "1": "表三每列：一（新收）+ 二（上年结转）= 三（七）办理总计 + 四（结转下年）/ table 3, per column:"
         " received + carried over = processed + carried forward",
    "2": "表三每行：六类申请人之和 = 总计 / table 3, per row: the six applicant columns add up to the total",
    "3": "表三每列：三（七）总计 = 各办理结果之和 / table 3, per column: total processed = sum of the outcomes",
    "4": "表四每组：维持 + 纠正 + 其他 + 尚未审结 = 总计 / table 4, per group: upheld + corrected + other +"
         " pending = total",
    "5": "跨年度：上年报告的结转下年度 = 本年报告的上年结转 / across years: last year's carried forward ="
         " this year's carried over",
    "6": "正文所述数字 = 表格数字 / figures stated in the narrative = the table's",
}

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
    "group_total_only": ("该类合计（原文）group total as printed", "—"),
}
DEFAULT_SIDES = ("报告数 printed", "推算数 implied")


def sides(code: str | None) -> tuple[str, str]:
    """(what `printed` is, what `implied` is) for a finding code."""
    return SIDES.get(code or "", DEFAULT_SIDES)

_FINDINGS_FROM = """
select f.id, f.finding_key, f.identity, f.code, f.cells, f.printed, f.implied, f.message,
       r.id as report_id, r.agency, r.city, r.county, r.year, r.revision, r.is_latest,
       v.verdict, v.note, v.reviewer, v.at as reviewed_at
from findings f
  join reports r on r.id = f.report_id
  left join finding_reviews v on v.id = (select max(id) from finding_reviews w where w.finding_key = f.finding_key)
where """
_FINDINGS_FILTER = """(:latest = '' or r.is_latest = 1)
  and (:agency = '' or r.agency like '%' || replace(:agency, '中华人民共和国', '') || '%')
  and (:verdict = '' or coalesce(v.verdict, 'unreviewed') = :verdict)
  and (:code = '' or f.code = :code)
"""
# unreviewed first; f.id last makes the order total, so a page (limit/offset) is exact
_FINDINGS_ORDER = "order by (v.verdict is not null), r.agency, r.year, f.identity, f.id\n"
FINDINGS_SQL = _FINDINGS_FROM + _FINDINGS_FILTER + _FINDINGS_ORDER
# the same rows for one report (its report page), read by the reports_pk lookup, not by a scan
_REPORT_FINDINGS_SQL = _FINDINGS_FROM + "f.report_id = :report_id\n  and " + _FINDINGS_FILTER + _FINDINGS_ORDER
# one page of the review list, and the filtered findings of that page's reports (their siblings)
_PAGE_SQL = FINDINGS_SQL + "limit :limit offset :offset"
_SIBLINGS_SQL = (_FINDINGS_FROM + "f.report_id in (select value from json_each(:report_ids))\n  and "
                 + _FINDINGS_FILTER + _FINDINGS_ORDER)
_COUNT_SQL = ("select count(*) from findings f join reports r on r.id = f.report_id\n"
              "  left join finding_reviews v on v.id = (select max(id) from finding_reviews w"
              " where w.finding_key = f.finding_key)\nwhere " + _FINDINGS_FILTER)


class BadReview(ValueError):
    pass


MAX_FILTER_CHARS = 200  # an agency name is under 60; SQLite refuses a LIKE pattern over 50,000 bytes


class BadFilter(ValueError):
    """A filter of the review list no finding could match, refused before SQLite sees it."""


def check_filters(**filters: str) -> None:
    """Refuse a text filter longer than MAX_FILTER_CHARS, naming it: 100,000 characters in
    ?agency= made SQLite raise "LIKE or GLOB pattern too complex" (a 500)."""
    for name, value in filters.items():
        if value and len(value) > MAX_FILTER_CHARS:
            raise BadFilter(f"{name} 过长：{len(value):,} 字符，最多 {MAX_FILTER_CHARS} / {name} is {len(value):,}"
                            f" characters long; at most {MAX_FILTER_CHARS} are allowed")


def add_reviews(conn: sqlite3.Connection, finding_keys: list[str], verdict: str, note: str = "",
                reviewer: str = "") -> list[dict]:
    """One verdict for several findings at once (the columns of one broken carry-over), all or none:
    every key is checked before any is written, and they are committed together."""
    keys = list(dict.fromkeys(k for k in finding_keys if k))
    if not keys:
        raise BadReview("no finding_key given")
    return _save(conn, keys, verdict, note, reviewer)


def add_review(conn: sqlite3.Connection, finding_key: str, verdict: str, note: str = "", reviewer: str = "") -> dict:
    """Append a verdict (history is kept; the latest per finding counts).  Commits."""
    return _save(conn, [finding_key], verdict, note, reviewer)[0]


def _save(conn: sqlite3.Connection, keys: list[str], verdict: str, note: str, reviewer: str) -> list[dict]:
    if verdict not in VERDICTS:
        raise BadReview(f"verdict must be one of {', '.join(VERDICTS)}")
    # the finding each key names (its first row), all in one query
    found = {k: (rid, identity) for k, rid, identity in conn.execute(
        "SELECT finding_key, report_id, identity FROM findings WHERE id IN (SELECT min(id) FROM findings"
        " WHERE finding_key IN (SELECT value FROM json_each(?)) GROUP BY finding_key)", (json.dumps(keys),))}
    for key in keys:
        if key not in found:
            raise BadReview(f"no finding with key {key!r}")
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    saved = []
    try:
        for key in keys:
            cur = conn.execute("INSERT INTO finding_reviews (finding_key, verdict, note, reviewer, at, report_id,"
                               " identity) VALUES (?, ?, ?, ?, ?, ?, ?)", (key, verdict, note, reviewer, at, *found[key]))
            saved.append({"id": cur.lastrowid, "finding_key": key, "verdict": verdict, "note": note,
                          "reviewer": reviewer, "at": at})
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return saved


def _params(agency: str, verdict: str, latest_only: bool, code: str) -> dict:
    check_filters(agency=agency, verdict=verdict, code=code)
    return {"agency": agency, "verdict": verdict, "latest": "1" if latest_only else "", "code": code}


def findings(conn: sqlite3.Connection, agency: str = "", verdict: str = "", latest_only: bool = True,
             report_id: str = "", code: str = "", limit: int | None = None, offset: int = 0) -> list[dict]:
    """The findings with their latest verdicts (`FINDINGS_SQL`): all of them, one report's, or one
    page (`limit`, `offset`) of the review list.  A finding's `siblings` (the findings of its report,
    identity and code that the same filters keep, settled together) are complete on a page too."""
    params = _params(agency, verdict, latest_only, code)
    if report_id:
        rows = _rows(conn, _REPORT_FINDINGS_SQL, {**params, "report_id": report_id})
    elif limit is not None:
        rows = _rows(conn, _PAGE_SQL, {**params, "limit": limit, "offset": offset})
    else:
        rows = _rows(conn, FINDINGS_SQL, params)
    family = rows
    if limit is not None and rows:  # a report's findings may run across a page break
        family = _rows(conn, _SIBLINGS_SQL, {**params, "report_ids": json.dumps(sorted({r["report_id"] for r in rows}))})
    groups: dict[tuple, list[str]] = {}
    for r in family:
        groups.setdefault((r["report_id"], r["identity"], r["code"]), []).append(r["finding_key"])
    previous = previous_reports(conn, [r for r in rows if r["code"] == "carry_over"])
    for r in rows:
        r["printed_label"], r["implied_label"] = sides(r["code"])
        r["identity_label"] = IDENTITIES.get(str(r["identity"] or ""), "")
        r["previous"] = _previous_side(r, previous) if r["code"] == "carry_over" else None
        r["notice"] = notices.archived(conn, r)  # a correction notice's archived copy (it may leave the portal)
        # findings a reviewer may settle together (one bad carry-over breaks 3 columns)
        r["siblings"] = groups[(r["report_id"], r["identity"], r["code"])]
    return rows


def count_findings(conn: sqlite3.Connection, agency: str = "", verdict: str = "", latest_only: bool = True,
                   code: str = "") -> int:
    """How many findings the same filters keep (the review list's pages)."""
    return conn.execute(_COUNT_SQL, _params(agency, verdict, latest_only, code)).fetchone()[0]


def finding_codes(conn: sqlite3.Connection) -> list[str]:
    """The finding codes present, for the review list's code filter."""
    return [c for (c,) in conn.execute("SELECT DISTINCT code FROM findings WHERE code IS NOT NULL ORDER BY code")]


def _rows(conn: sqlite3.Connection, sql: str, params: dict) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def previous_reports(conn: sqlite3.Connection, findings: list[dict]) -> dict[str, tuple]:
    """report id -> (id, year, revision, agency as printed) of the latest report of the same body's year
    before, for all the findings in one query (highest revision; the first row of a tie).  The same body is the
    same name in the same place (archive/bodies.py): 济南's 市中区 is never linked to 枣庄's."""
    wanted = sorted({f["report_id"] for f in findings
                     if isinstance(f.get("year"), int) and f.get("agency") is not None and f.get("report_id")})
    if not wanted:
        return {}
    candidates: dict[str, list[tuple[tuple, tuple]]] = {}
    places: dict[str, tuple] = {}
    for cur, place, rid, year, revision, printed, prev_place in conn.execute(
            "SELECT c.id, json_array(c.province, c.city, c.county), p.id, p.year, p.revision, p.agency,"
            "       json_array(p.province, p.city, p.county)"
            # the same name, or the body's former name (renamed_bodies, in its place)
            " FROM reports c JOIN reports p ON (p.agency = c.agency OR p.agency IN (SELECT n.agency FROM renamed_bodies n"
            "   WHERE n.renamed_to = c.agency AND n.province IS c.province AND n.city IS c.city AND n.county IS c.county))"
            " AND p.year = c.year - 1 AND p.is_latest = 1"
            " WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY p.revision DESC, p.rowid",
            (json.dumps(wanted),)):
        places[cur] = tuple(json.loads(place))
        candidates.setdefault(cur, []).append((tuple(json.loads(prev_place)), (rid, year, revision, printed)))
    out = {}
    for cur, cands in candidates.items():
        found = same_body(places[cur], cands)
        if found is not None:
            out[cur] = found
    missing = [rid for rid in wanted if rid not in out]
    return out | (_printed_otherwise(conn, missing) if missing else {})


def _printed_otherwise(conn: sqlite3.Connection, wanted: list[str]) -> dict[str, tuple]:
    """The previous report of bodies whose name last year's report printed another way (with or
    without its place's prefix: archive/bodies.py `one_name`), as the carry-over check paired them."""
    current = conn.execute("SELECT id, agency, year, province, city, county FROM reports"
                           " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)).fetchall()
    years: dict[int, ByName[tuple]] = {}
    for year in {row[2] - 1 for row in current if isinstance(row[2], int) and row[1]}:
        index: ByName[tuple] = ByName()
        for rid, agency, revision, *place in conn.execute(
                "SELECT id, agency, revision, province, city, county FROM reports WHERE year = ? AND is_latest = 1"
                " AND agency IS NOT NULL ORDER BY revision DESC, rowid", (year,)):
            index.add(agency, tuple(place), (rid, year, revision, agency))
        years[year] = index
    out = {}
    for cur, agency, year, *place in current:
        index = years.get(year - 1) if isinstance(year, int) and agency else None
        if index is None:
            continue
        found = index.find(agency, tuple(place))
        if found is None:
            former = conn.execute("SELECT agency FROM renamed_bodies WHERE renamed_to = ? AND province IS ?"
                                  " AND city IS ? AND county IS ?", (agency, *place)).fetchone()
            found = index.find(former[0], tuple(place)) if former else None
        if found is not None:
            out[cur] = found
    return out


def previous_side(conn: sqlite3.Connection, finding: dict) -> dict | None:
    """The other side of a carry-over finding: last year's report of the same body (latest revision,
    as the check used) and the 结转下年度 cell its number came from."""
    return _previous_side(finding, previous_reports(conn, [finding]))


def _previous_side(finding: dict, previous: dict[str, tuple]) -> dict | None:
    if not isinstance(finding.get("year"), int):
        return None
    row = previous.get(finding.get("report_id"))
    if row is None:
        return None
    cols = [col for _, _, col in finding_cells(finding.get("cells"))]
    anchor = f"cell-applications-carried_forward-{cols[0]}" if cols else ""
    # the name last year's report printed: a renamed body's earlier report is not linked under its new name
    return {"report_id": row[0], "year": row[1], "revision": row[2], "agency": row[3], "anchor": anchor}


def finding_cells(cells_json: str | None) -> list[tuple[str, str, str]]:
    """findings.cells holds "table.row.col" strings; anything else is ignored."""
    try:
        cells = json.loads(cells_json) if cells_json else []
    except ValueError:
        return []
    out = []
    for c in cells if isinstance(cells, list) else []:
        parts = c.split(".") if isinstance(c, str) else []
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out
