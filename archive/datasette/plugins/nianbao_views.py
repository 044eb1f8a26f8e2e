"""Datasette plugin: the pages a researcher or journalist reads (loaded with --plugins-dir).

/-/report/<id>        a report laid out like the national template, every number linked to its snapshot
/-/snapshot/<id>      the archived bytes, as received, with their original Content-Type
/-/snapshot/<id>/info provenance of a snapshot (URL, fetched_at, sha256, WARC file and offset)
/-/diff               year-over-year (?agency=&from=&to=) or revision (?a=<report id>&b=<report id>) diff
/-/completeness       expected vs found reports per source and year
/-/findings           broken identities with a review form; POST /-/review records a verdict (localhost only)

The data gathering lives in archive.* modules (plain functions over sqlite3); this file is glue.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup, escape

from archive import completeness, diff, reportpage, reviews
from archive.store import BlobStore

DB = "nianbao"
LOCAL = {"127.0.0.1", "::1", "localhost"}


def _db(datasette):
    return datasette.get_database(DB)


def _is_local(request) -> bool:
    client = request.scope.get("client") or ("",)
    return client[0] in LOCAL


async def report(datasette, request):
    rid = request.url_vars["report_id"]
    page = await _db(datasette).execute_fn(lambda conn: reportpage.report_page(conn, rid))
    if page is None:
        raise NotFound(f"no report {rid}")
    return Response.html(await datasette.render_template("nianbao_report.html", page, request=request))


def _snapshot(conn, sid: int) -> dict | None:
    cur = conn.execute("SELECT * FROM snapshots WHERE id = ?", (sid,))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


async def snapshot_raw(datasette, request):
    sid = int(request.url_vars["snapshot_id"])
    snap = await _db(datasette).execute_fn(lambda conn: _snapshot(conn, sid))
    if snap is None:
        raise NotFound(f"no snapshot {sid}")
    path = BlobStore(Path(_db(datasette).path).parent).path(snap["sha256"])
    if not path.exists():
        raise NotFound(f"blob {snap['sha256']} missing from the archive")
    headers = {
        # archived pages are foreign content: never let their scripts run on this origin
        "Content-Security-Policy": "sandbox",
        "X-Content-Type-Options": "nosniff",
        "X-Nianbao-Url": quote(snap["url"], safe=":/?&=%#;,+@"),
        "X-Nianbao-Fetched-At": snap["fetched_at"] or "",
        "X-Nianbao-Sha256": snap["sha256"],
        "X-Nianbao-Warc": f"{snap['warc_file']}@{snap['warc_offset']}",
    }
    for name, value in json.loads(snap["headers"] or "[]"):
        if name.lower() == "content-encoding":
            headers["Content-Encoding"] = value  # the blob keeps the coding it was received with
    return Response(path.read_bytes(), status=200, headers=headers,
                    content_type=snap["content_type"] or "application/octet-stream")


def _snapshot_info(conn, sid: int) -> dict | None:
    snap = _snapshot(conn, sid)
    if snap is None:
        return None
    cur = conn.execute("SELECT id, agency, year, revision FROM reports WHERE snapshot_id = ?", (sid,))
    reports = [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]
    cur = conn.execute("SELECT id, revision, fetched_at, sha256 FROM snapshots WHERE url = ? ORDER BY revision",
                       (snap["url"],))
    others = [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]
    return {"snap": snap, "headers": json.loads(snap["headers"] or "[]"), "reports": reports, "others": others}


async def snapshot_info(datasette, request):
    sid = int(request.url_vars["snapshot_id"])
    info = await _db(datasette).execute_fn(lambda conn: _snapshot_info(conn, sid))
    if info is None:
        raise NotFound(f"no snapshot {sid}")
    if request.url_vars.get("format") == "json":
        return Response.json(info["snap"])
    return Response.html(await datasette.render_template("nianbao_snapshot.html", info, request=request))


def _diff_context(conn, args) -> dict:
    a, b = args.get("a", ""), args.get("b", "")
    agency = args.get("agency", "")
    error = None
    if agency and not (a and b):
        try:
            a = diff.find_report(conn, agency, int(args.get("from", ""))) or ""
            b = diff.find_report(conn, agency, int(args.get("to", ""))) or ""
        except ValueError:
            error = "from / to must be years"
        if not error and not (a and b):
            error = f"no report of {agency} for {'year ' + args.get('from') if not a else 'year ' + args.get('to')}"
    ctx: dict = {"args": dict(args), "error": error, "changes": [], "sides": []}
    if a and b and not error:
        cur = conn.execute("SELECT id, agency, year, revision, is_latest, snapshot_id, document_id FROM reports"
                           " WHERE id IN (?, ?)", (a, b))
        found = {r[0]: dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()}
        if a not in found or b not in found:
            ctx["error"] = "unknown report id"
            return ctx
        ctx["sides"] = [found[a], found[b]]
        ctx["kind"] = "revision" if found[a]["document_id"] == found[b]["document_id"] else "year"
        ctx["changes"] = diff.diff_reports(conn, a, b)
        ctx["summary"] = diff.summary(ctx["changes"])
    cur = conn.execute("SELECT DISTINCT agency FROM reports WHERE agency IS NOT NULL ORDER BY agency")
    ctx["agencies"] = [r[0] for r in cur.fetchall()]
    return ctx


async def diff_view(datasette, request):
    args = {k: request.args.get(k) for k in ("a", "b", "agency", "from", "to") if request.args.get(k)}
    ctx = await _db(datasette).execute_fn(lambda conn: _diff_context(conn, args))
    if request.url_vars.get("format") == "json":
        return Response.json({"error": ctx["error"], "sides": ctx["sides"],
                              "summary": ctx.get("summary"), "changes": [c.__dict__ for c in ctx["changes"]]})
    return Response.html(await datasette.render_template("nianbao_diff.html", ctx, request=request))


async def completeness_view(datasette, request):
    first = int(request.args.get("first_year") or completeness.FIRST_YEAR)
    last = int(request.args.get("last_year") or completeness.last_complete_year())
    rows = await _db(datasette).execute_fn(lambda conn: completeness.completeness(conn, first, last))
    if request.url_vars.get("format") == "json":
        return Response.json(rows)
    years, grid = completeness.matrix(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    labels = {r["source_id"]: {"name": r["name"], "in_registry": r["in_registry"]} for r in rows}
    registry = any(r["in_registry"] for r in rows)
    return Response.html(await datasette.render_template(
        "nianbao_completeness.html", {"years": years, "grid": grid, "counts": counts, "labels": labels,
                                      "registry": registry}, request=request))


async def findings_view(datasette, request):
    agency, verdict = request.args.get("agency", ""), request.args.get("verdict", "")
    latest = request.args.get("all") != "1"
    rows = await _db(datasette).execute_fn(lambda conn: reviews.findings(conn, agency, verdict, latest))
    for r in rows:
        r["anchors"] = [reportpage.cell_anchor(*k) for k in reportpage.finding_cells(r["cells"])]
    if request.url_vars.get("format") == "json":
        return Response.json(rows)
    return Response.html(await datasette.render_template(
        "nianbao_findings.html", {"findings": rows, "verdicts": reviews.VERDICTS, "agency": agency,
                                  "verdict": verdict, "all": not latest}, request=request))


async def review_post(datasette, request):
    """Record a verdict.  Localhost only: the archive is served read-only to everyone else."""
    if request.method != "POST":
        return Response.text("POST a finding_key, verdict, note, reviewer", status=405)
    if not _is_local(request):
        raise Forbidden("reviews can only be posted from this machine")
    body = await request.post_body()
    is_json = (request.headers.get("content-type") or "").startswith("application/json")
    if is_json:
        data = json.loads(body or b"{}")
    else:
        # Datasette's CSRF check only runs when the request carries cookies; a form post without
        # the cookie (e.g. from another site's page) is refused here
        if "ds_csrftoken" not in request.cookies:
            raise Forbidden("form posts need the csrftoken of the /-/findings page")
        data = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
    key, verdict = data.get("finding_key", ""), data.get("verdict", "")
    note, reviewer = data.get("note", ""), data.get("reviewer", "")
    try:
        saved = await _db(datasette).execute_write_fn(
            lambda conn: reviews.add_review(conn, key, verdict, note, reviewer), block=True)
    except reviews.BadReview as err:
        return Response.json({"ok": False, "error": str(err)}, status=400)
    if is_json:
        return Response.json({"ok": True, **saved})
    back = data.get("next") or "/-/findings"
    if not back.startswith("/"):
        back = "/-/findings"
    return Response.redirect(back)


@hookimpl
def register_routes():
    return [
        (r"^/-/report/(?P<report_id>[0-9a-f]{40})$", report),
        (r"^/-/snapshot/(?P<snapshot_id>\d+)$", snapshot_raw),
        (r"^/-/snapshot/(?P<snapshot_id>\d+)/info(\.(?P<format>json))?$", snapshot_info),
        (r"^/-/diff(\.(?P<format>json))?$", diff_view),
        (r"^/-/completeness(\.(?P<format>json))?$", completeness_view),
        (r"^/-/findings(\.(?P<format>json))?$", findings_view),
        (r"^/-/review$", review_post),
    ]


@hookimpl
def skip_csrf(scope):
    # JSON posts cannot be forged cross-site without a CORS preflight; forms carry the csrftoken
    headers = dict(scope.get("headers") or [])
    return scope.get("path") == "/-/review" and headers.get(b"content-type", b"").startswith(b"application/json")


@hookimpl
def canned_queries(database):
    if database != DB:
        return None
    return {
        "completeness_matrix": {
            "title": "报告完整性 / Completeness: expected vs found reports",
            "description": "每个来源每年一行：parsed 已解析 / failed 解析失败 / found 已发现未解析 / missing 未发现"
                           " / not-crawled 从未抓取。 One row per source (the registry recorded by `nianbao parse`,"
                           " plus any crawled source outside it) and expected year (first_year defaults to 2019,"
                           " last_year to last year).",
            "sql": completeness.COMPLETENESS_SQL.strip(),
        },
        "findings_with_reviews": {
            "title": "勾稽问题及核查结论 / Findings and their reviews",
            "description": "latest: 1 = latest revisions only; verdict: source-error / parser-error / ok / unreviewed.",
            "sql": reviews.FINDINGS_SQL.strip(),
        },
    }


def _report_link(rid: str, label: str | None) -> Markup:
    row = f'<a href="/nianbao/reports/{escape(rid)}">{escape(label or rid[:12] + "…")}</a> ' if label is not None else ""
    return Markup(f'{row}<a href="/-/report/{escape(rid)}">报告页 report</a>')


@hookimpl
def render_cell(row, value, column, table, database):
    """Report ids and snapshot ids anywhere (tables and canned queries) lead to the reader's pages."""
    if database != DB or value is None:
        return None
    label = ""
    if isinstance(value, dict):  # a foreign key Datasette expanded: {"value": …, "label": …}
        value, label = value.get("value"), value.get("label")
    if table == "reports" and column == "agency" and row is not None:
        return Markup(f'{escape(value)} <a href="/-/report/{escape(row["id"])}">报告页 report</a>')
    if column == "report_id" and isinstance(value, str) and len(value) == 40:
        return _report_link(value, label or "")
    if column == "snapshot_id" and isinstance(value, int):
        return Markup(f'<a href="/-/snapshot/{value}/info">#{value}</a> <a href="/-/snapshot/{value}">原件 bytes</a>')
    return None


@hookimpl
def extra_template_vars():
    return {"urlencode": urlencode}


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path(p), "label": label} for p, label in (
        ("/-/completeness", "完整性 Completeness"), ("/-/findings", "勾稽问题 Findings"), ("/-/diff", "对比 Diff"))]
