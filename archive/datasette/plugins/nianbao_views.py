"""Datasette plugin: the pages a researcher or journalist reads (loaded with --plugins-dir).

/-/report/<id>        a report laid out like the national template, every number linked to its snapshot
/-/snapshot/<id>      the archived bytes with their original Content-Type; an HTML page gets a <base> of its
                      original URL and a banner in the served copy only (?raw=1: the bytes exactly as stored)
/-/snapshot/<id>/info provenance of a snapshot (URL, fetched_at, sha256, WARC file and offset)
/-/diff               year-over-year (?agency=&from=&to=) or revision (?a=<report id>&b=<report id>) diff,
                      always older -> newer; an ambiguous agency lists the matches (200); errors are 4xx
/-/completeness       expected vs found reports per source and year
/-/findings           broken identities with a review form; POST /-/review records a verdict (localhost only)
<table or query>.excel  redirects to the whole result as a CSV download with a UTF-8 BOM (Excel on Chinese
                      Windows); any .csv?_dl=1 or ?_bom=1 gets the BOM too (asgi_wrapper)
/-/export/<query>.csv every row of a canned query (Datasette's own query .csv stops at 1,000), streamed
/nianbao.db           the whole database, a consistent snapshot copy (Datasette's own answers 403)

The data gathering lives in archive.* modules (plain functions over sqlite3); this file is glue.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import re
import sqlite3
import zlib
from contextvars import ContextVar
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urljoin

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, AsgiStream, Forbidden, NotFound, Response
from markupsafe import Markup, escape

from archive import bodies, completeness, diff, export, filenames, reportpage, reviews, textsearch
from archive.store import BlobDamaged, BlobStore

DB = "nianbao"
LOCAL = {"127.0.0.1", "::1", "localhost"}
# the narrative query being rendered (render_cell gets no request): set per request by asgi_wrapper
_SEARCH_Q: ContextVar[str] = ContextVar("nianbao_search_q", default="")
# the path being rendered (render_cell tells a table page from a row page by it)
_PATH: ContextVar[str] = ContextVar("nianbao_path", default="")
BOM = b"\xef\xbb\xbf"
_EXTENSIONS = {"application/pdf": ".pdf", "application/msword": ".doc", "application/vnd.ms-excel": ".xls",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
               "application/wps-office.doc": ".doc", "application/wps-office.docx": ".docx",
               "text/html": ".html", "text/plain": ".txt"}


def _db(datasette):
    return datasette.get_database(DB)


def _is_local(request) -> bool:
    client = request.scope.get("client") or ("",)
    return client[0] in LOCAL


async def report(datasette, request):
    rid = request.url_vars["report_id"]
    page = await _db(datasette).execute_fn(lambda conn: reportpage.report_page(conn, rid))
    if page is None:
        same = await _db(datasette).execute_fn(lambda conn: reportpage.alias_of(conn, rid))
        if same:  # a reading an older parse kept as a revision of its own: the revision that holds it
            return Response.redirect(f"/-/report/{same}")
        raise NotFound(f"没有这个报告 / no report with id {rid!r} (ids are the 40-character `id` column of"
                       f" /{DB}/reports)")
    return Response.html(await datasette.render_template("nianbao_report.html", page, request=request))


def _snapshot(conn, sid: int) -> dict | None:
    cur = conn.execute("SELECT * FROM snapshots WHERE id = ?", (sid,))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def download_name(url: str, content_type: str | None, disposition: str | None = None) -> str:
    """A file name for saved bytes: the name the server gave (Content-Disposition, archived with the
    response), else the URL's last segment, with the extension its content type implies when the
    URL has none (…/download?id=23 -> 23.docx, not "23")."""
    given = filenames.disposition_name(disposition)
    if given:
        return given
    name = filenames.url_name(url) or "index"
    mime = (content_type or "").split(";")[0].strip().lower()
    ext = _EXTENSIONS.get(mime) or (mimetypes.guess_extension(mime) if mime else None) or ""
    if PurePosixPath(name).suffix.lower() in ("", ".jsp", ".do", ".aspx", ".asp", ".php", ".action") and ext:
        name = PurePosixPath(name).stem + ext if PurePosixPath(name).suffix else name + ext
    return name


def content_disposition(url: str, content_type: str | None, disposition: str | None = None) -> str:
    """inline (a browser still shows a PDF or page) but with the right file name on save."""
    name = download_name(url, content_type, disposition)
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
    return f'inline; filename="{fallback}"; filename*=UTF-8\'\'{quote(name, safe="")}'


async def snapshot_raw(datasette, request):
    sid = int(request.url_vars["snapshot_id"])
    snap = await _db(datasette).execute_fn(lambda conn: _snapshot(conn, sid))
    if snap is None:
        raise NotFound(f"no snapshot {sid}")
    store = BlobStore(Path(_db(datasette).path).parent)
    try:  # checked against its name: a blob damaged on disk is never served as the archived document
        body = store.read(snap["sha256"])
    except FileNotFoundError:
        raise NotFound(f"blob {snap['sha256']} missing from the archive") from None
    except BlobDamaged as exc:
        return Response.text(f"snapshot {sid} ({snap['url']}): {exc.reason}\n", status=500,
                             headers={"X-Nianbao-Sha256": snap["sha256"]})
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
    content_type = snap["content_type"]
    if "Content-Encoding" not in headers:  # the bytes say what a download.jsp's octet-stream is
        content_type = filenames.served_type(content_type, body)
    headers["Content-Disposition"] = content_disposition(
        snap["final_url"] or snap["url"], content_type, filenames.header(snap["headers"], "content-disposition"))
    if (content_type or "").lower().startswith(("text/html", "application/xhtml")) \
            and request.args.get("raw") != "1":
        served = archived_html(body, headers.get("Content-Encoding"), snap, f"{request.scheme}://{request.host}")
        if served is not None:
            body = served
            headers.pop("Content-Encoding", None)
            headers["X-Nianbao-Served"] = "base-href-and-banner-added; ?raw=1 for the archived bytes"
    return Response(body, status=200, headers=headers, content_type=content_type or "application/octet-stream")


_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.I)
_BODY = re.compile(rb"<body(?:\s[^>]*)?>", re.I)
_HTML = re.compile(rb"<html(?:\s[^>]*)?>", re.I)
_BASE = re.compile(rb"<base\s[^>]*href\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def _ascii(text: str) -> bytes:
    """HTML in any ASCII-compatible charset (GBK, GB18030, UTF-8): non-ASCII as character references."""
    return str(escape(text)).encode("ascii", "xmlcharrefreplace")


def archived_html(body: bytes, coding: str | None, snap: dict, here: str) -> bytes | None:
    """The served copy of an archived page: a <base href> of its original URL, so its links lead to
    the original site (never into this Datasette, where /zwgk/ means nothing), and a banner naming
    the archived copy (its own link is absolute: `here` is this server's origin, as <base> points
    elsewhere).  The stored blob is not changed; None when the page cannot be edited safely."""
    if coding:
        if coding.lower() not in ("gzip", "x-gzip", "deflate"):
            return None
        try:
            body = zlib.decompress(body, 47)  # gzip or zlib header, detected
        except zlib.error:
            return None
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: an ASCII insert would break it
        return None
    original = snap["final_url"] or snap["url"]
    own = _BASE.search(body[:65536])
    base = urljoin(original, own.group(1).decode("ascii", "replace")) if own else original
    base_tag = b'<base href="' + _ascii(base) + b'">'
    banner = (b'<div data-nianbao-banner lang="zh-CN" style="all:initial;display:block;position:relative;z-index:2147483647;'
              b'background:#fff3c4;color:#000;font:14px/1.5 sans-serif;padding:6px 10px;border-bottom:2px solid #d9a400">'
              + _ascii(f"存档副本 Archived copy of {original} — 抓取于 fetched {snap['fetched_at'] or '?'} (UTC)"
                       f" · 快照 snapshot #{snap['id']}. 页内链接指向原网站 Links lead to the live original site. ")
              + b'<a style="all:revert" href="' + _ascii(here) + b"/-/snapshot/" + str(snap["id"]).encode() + b'/info">'
              + _ascii("存档信息 provenance") + b"</a></div>")
    head = _HEAD.search(body[:65536])
    if head:
        inserted = base_tag
        at = head.end()
    else:
        html = _HTML.search(body[:65536])
        inserted = b"<head>" + base_tag + b"</head>"
        at = html.end() if html else 0
    body = body[:at] + inserted + body[at:]
    page = _BODY.search(body)
    at = page.end() if page else at + len(inserted)  # no <body>: the banner follows the inserted head
    return body[:at] + banner + body[at:]


def _snapshot_info(conn, sid: int) -> dict | None:
    snap = _snapshot(conn, sid)
    if snap is None:
        return None
    cur = conn.execute("SELECT id, agency, year, revision FROM reports WHERE snapshot_id = ?", (sid,))
    reports = [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]
    cur = conn.execute("SELECT id, revision, fetched_at, sha256 FROM snapshots WHERE url = ? ORDER BY revision",
                       (snap["url"],))
    others = [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]
    return {"snap": snap, "headers": json.loads(snap["headers"] or "[]"), "reports": reports, "others": others,
            "request_headers": json.loads(snap.get("request_headers") or "[]")}


async def snapshot_info(datasette, request):
    sid = int(request.url_vars["snapshot_id"])
    info = await _db(datasette).execute_fn(lambda conn: _snapshot_info(conn, sid))
    if info is None:
        raise NotFound(f"no snapshot {sid}")
    if request.url_vars.get("format") == "json":
        return Response.json(info["snap"])
    return Response.html(await datasette.render_template("nianbao_snapshot.html", info, request=request))


def _resolve_agency(conn, args: dict, ctx: dict) -> tuple[str, str]:
    """(from_id, to_id) for ?agency=&from=&to=, or ("", "") with ctx error/status/choices set."""
    agency = args["agency"]
    matches = diff.matching_agencies(conn, agency)
    if not matches:  # a place-led name: 枣庄市市中区人民政府 is 市中区人民政府 of 枣庄
        bodies_named = diff.split_place(conn, agency)
        matches = sorted({name for name, _ in bodies_named})
        if len(bodies_named) == 1 and not args.get("place"):
            args = {**args, "place": bodies_named[0][1]}
    if not matches:
        ctx.update(error=f"没有机关名含“{agency}”的报告 / no report of an agency matching {agency!r}", status=404)
        return "", ""
    if len(matches) > 1:
        # a list to choose from is an answer (200), not a failure of the request
        ctx.update(notice=f"“{agency}”对应 {len(matches)} 个机关，请选择一个 / {len(matches)} agencies match"
                          f" {agency!r}: choose one", choices=matches)
        return "", ""
    name = matches[0]
    places, place = diff.places_of(conn, name), args.get("place")
    if place is not None and place not in places:
        ctx.update(error=f"{name} 没有地区为“{place}”的报告 / no report of {name} in {place!r}", status=404,
                   place_choices=places, agency_name=name)
        return "", ""
    if place is None and len(places) > 1:  # one name, several bodies (市中区 of 济南 and 枣庄)
        ctx.update(notice=f"“{name}”是 {len(places)} 个不同地区的机关，请选择地区 / {len(places)} bodies in different"
                          f" places are named {name!r}: choose one", place_choices=places, agency_name=name)
        return "", ""
    ctx.update(agency_name=name, place=place or "", years=diff.years_of(conn, name, place))
    have = "、".join(map(str, ctx["years"])) or "—"
    if not args.get("from") and not args.get("to"):
        return "", ""  # a body picked, no years yet: the page lists its years to choose from
    try:
        first, second = int(args.get("from", "")), int(args.get("to", ""))
    except ValueError:
        ctx.update(error=f"请填写 from / to 年度 / from and to must be years; {name} has reports for {have}",
                   status=400)
        return "", ""
    if first == second:
        ctx.update(error=f"from 与 to 是同一年度 / from and to are the same year ({first}); {name} has reports for"
                         f" {have}", status=400)
        return "", ""
    a, b = diff.find_report(conn, name, first, place) or "", diff.find_report(conn, name, second, place) or ""
    if not (a and b):
        missing = first if not a else second
        ctx.update(error=f"{name} 没有 {missing} 年度的报告 / no report of {name} for year {missing};"
                         f" years with a report: {have}", status=404)
    return a, b


def _order(sides: list[dict], kind: str) -> list[dict]:
    """Older on the left, newer on the right, whichever way round the link was written."""
    key = (lambda s: (s["revision"] or 0)) if kind == "revision" else (lambda s: (s["year"] or 0))
    return sorted(sides, key=key) if kind in ("revision", "year") else sides


def _diff_context(conn, args) -> dict:
    a, b = args.get("a", ""), args.get("b", "")
    ctx: dict = {"args": dict(args), "error": None, "notice": None, "status": 200, "changes": [], "sides": [], "choices": [],
                 "place_choices": [], "place": "", "years": [], "agency_name": ""}
    if args.get("agency") and not (a and b):
        a, b = _resolve_agency(conn, args, ctx)
    elif bool(a) != bool(b):
        ctx.update(error="a 与 b 两个报告 id 都要填 / give both report ids a and b", status=400)
    if a and b and not ctx["error"]:
        cur = conn.execute("SELECT r.id, r.agency, r.year, r.revision, r.is_latest, r.snapshot_id, r.document_id, r.part,"
                           " r.province, r.city, r.county, r.kind, r.url, r.published, s.fetched_at, d.source_id"
                           " FROM reports r LEFT JOIN snapshots s ON s.id = r.snapshot_id"
                           " LEFT JOIN documents d ON d.id = r.document_id WHERE r.id IN (?, ?)", (a, b))
        found = {r[0]: dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()}
        if a not in found or b not in found:
            unknown = ", ".join(x for x in (a, b) if x not in found)
            ctx.update(error=f"没有这个报告 / unknown report id: {unknown}", status=404)
        else:
            for side in found.values():
                side["place_label"] = bodies.label((side["province"], side["city"], side["county"]))
            ctx["renamed"] = diff.renamed(conn, found[a], found[b])
            # one body that printed its name two ways (聊城市公安局 / 山东省聊城市公安局): each side shows its own
            ctx["printed_otherwise"] = not ctx["renamed"] and diff.printed_otherwise(found[a], found[b])
            kind = diff.comparison_kind(found[a], found[b], ctx["renamed"] or ctx["printed_otherwise"])
            ctx["sides"] = _order([found[a], found[b]], kind)
            ctx["kind"] = kind
            ctx["changes"] = diff.diff_reports(conn, ctx["sides"][0]["id"], ctx["sides"][1]["id"],
                                               order="absolute" if args.get("sort") == "abs" else "relative")
            ctx["summary"] = diff.summary(ctx["changes"])
    cur = conn.execute("SELECT agency, group_concat(DISTINCT year) FROM (SELECT agency, year FROM reports"
                       " WHERE agency IS NOT NULL ORDER BY agency, year) GROUP BY agency ORDER BY agency")
    ctx["agency_years"] = [(r[0], sorted(int(y) for y in (r[1] or "").split(",") if y)) for r in cur.fetchall()]
    # a name several places share is offered once per place too, led by the place (which resolves)
    cur = conn.execute("SELECT agency, province, city, county FROM reports WHERE agency IN (SELECT agency FROM"
                       f" reports WHERE agency IS NOT NULL GROUP BY agency HAVING count(DISTINCT {diff.PLACE_SQL}) > 1)"
                       " GROUP BY agency, province, city, county ORDER BY agency")
    shared = sorted({diff.qualified_name(r[0], tuple(r[1:])) for r in cur.fetchall()})
    ctx["agencies"] = [a for a, _ in ctx["agency_years"]] + shared
    return ctx


async def diff_view(datasette, request):
    args = {k: request.args.get(k) for k in ("a", "b", "agency", "place", "from", "to", "sort") if request.args.get(k)}
    ctx = await _db(datasette).execute_fn(lambda conn: _diff_context(conn, args))
    table = request.args.get("table", "")
    if request.url_vars.get("format") == "json":
        return Response.json({"error": ctx["error"], "notice": ctx["notice"], "choices": ctx["choices"],
                              "place_choices": ctx["place_choices"],
                              "years": ctx["years"],
                              "kind": ctx.get("kind"), "renamed": ctx.get("renamed", False),
                              "printed_otherwise": ctx.get("printed_otherwise", False),
                              "sides": ctx["sides"], "summary": ctx.get("summary"),
                              "changes": [c.__dict__ for c in ctx["changes"] if not table or c.table == table]},
                             status=ctx["status"])
    show_same = request.args.get("same") == "1"
    ctx.update(show_same=show_same, format_pct=diff.format_pct, table=table, table_names=diff.labels.TABLES,
               table_counts=diff.table_counts(ctx["changes"]),
               shown=[c for c in ctx["changes"] if (show_same or c.status != "same") and (not table or c.table == table)])
    return Response.html(await datasette.render_template("nianbao_diff.html", ctx, request=request),
                         status=ctx["status"])


def _year_arg(request, name: str, default: int) -> int:
    """A year from the query string; ValueError names the parameter (a 400 on the page, not a traceback)."""
    value = (request.args.get(name) or "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not 2000 <= int(value) <= 2100:  # 条例 reports began in 2008
        raise ValueError(f"{name} 须为年份 must be a year between 2000 and 2100: {value!r}")
    return int(value)


async def completeness_view(datasette, request):
    province = (request.args.get("province") or "").strip()
    error = None
    try:
        first = _year_arg(request, "first_year", completeness.FIRST_YEAR)
        last = _year_arg(request, "last_year", completeness.last_complete_year())
        if first > last:
            raise ValueError(f"first_year {first} 晚于 is after last_year {last}")
    except ValueError as exc:
        error, first, last = str(exc), completeness.FIRST_YEAR, completeness.last_complete_year()
    if error and request.url_vars.get("format") == "json":
        return Response.json({"error": error}, status=400)

    province = completeness.full_province(province) or ""  # 山东 filters as 山东省, as the registry's places are read

    def read(conn):
        rows = [] if error else completeness.completeness(conn, first, last, province or None)
        return rows, completeness.provinces(conn), conn.execute("SELECT 1 FROM sources LIMIT 1").fetchone()

    rows, provinces, has_registry = await _db(datasette).execute_fn(read)
    if request.url_vars.get("format") == "json":
        if province and not rows and province not in {completeness.full_province(p) for p in provinces}:
            # an empty list would read as "no gaps": say the registry has no such province
            return Response.json({"error": f"登记表中没有“{province}”的来源 / no registry source is in {province}",
                                  "provinces": provinces}, status=404)
        return Response.json(rows)
    years, grid = completeness.matrix(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    labels = {r["source_id"]: {"name": r["name"], "in_registry": r["in_registry"]} for r in rows}
    registry = has_registry is not None
    args = {k: v for k, v in (("province", province), ("first_year", request.args.get("first_year") or ""),
                                ("last_year", request.args.get("last_year") or "")) if v}
    return Response.html(await datasette.render_template(
        "nianbao_completeness.html", {"years": years, "grid": grid, "counts": counts, "labels": labels,
                                      "registry": registry, "province": province, "provinces": provinces,
                                      "first_year": first, "last_year": last, "error": error,
                                      "json_url": "/-/completeness.json" + ("?" + urlencode(args) if args else "")},
        request=request), status=400 if error else 200)


FINDINGS_PAGE = 100  # findings per page of /-/findings (?size= up to FINDINGS_PAGE_MAX)
FINDINGS_PAGE_MAX = 1000


def _positive(value: str | None, default: int, top: int) -> int:
    try:
        return max(1, min(int(value or default), top))
    except ValueError:
        return default


async def findings_view(datasette, request):
    """The review list, a page at a time (thousands of findings), filtered by agency, finding code
    and verdict; the pager's links and the verdict form's return keep every filter.  The JSON is
    the whole filtered list (for scripts) unless ?page= asks for one page."""
    agency, verdict, code = (request.args.get(k, "") for k in ("agency", "verdict", "code"))
    try:
        reviews.check_filters(agency=agency, verdict=verdict, code=code)
    except reviews.BadFilter as exc:
        return Response.text(f"{exc}\n", status=400)
    latest = request.args.get("all") != "1"
    size = _positive(request.args.get("size"), FINDINGS_PAGE, FINDINGS_PAGE_MAX)
    whole = request.url_vars.get("format") == "json" and "page" not in request.args

    def read(conn):
        total = reviews.count_findings(conn, agency, verdict, latest, code)
        pages = max(1, -(-total // size))
        page = min(_positive(request.args.get("page"), 1, 10**9), pages)
        rows = reviews.findings(conn, agency, verdict, latest, code=code, limit=None if whole else size,
                                offset=(page - 1) * size)
        return rows, total, page, pages, reviews.finding_codes(conn)

    rows, total, page, pages, codes = await _db(datasette).execute_fn(read)
    for r in rows:
        r["anchors"] = [reportpage.cell_anchor(*k) for k in reportpage.finding_cells(r["cells"])]
    if request.url_vars.get("format") == "json":
        return Response.json(rows)
    # after a verdict the reviewer comes back to the same filtered list, at the same finding
    here = request.path + (f"?{request.query_string}" if request.query_string else "")
    kept = [(k, v) for k, v in parse_qsl_keep(request.query_string) if k != "page" and v]

    def page_link(n: int) -> str:
        return "/-/findings?" + urlencode(kept + ([("page", str(n))] if n > 1 else []))

    return Response.html(await datasette.render_template(
        "nianbao_findings.html", {"findings": rows, "verdicts": reviews.VERDICTS, "agency": agency,
                                  "verdict": verdict, "code": code, "codes": codes, "all": not latest,
                                  "here": here, "total": total, "page": page, "pages": pages,
                                  "first": (page - 1) * size + 1 if rows else 0, "last": (page - 1) * size + len(rows),
                                  "prev_url": page_link(page - 1) if page > 1 else None,
                                  "next_url": page_link(page + 1) if page < pages else None,
                                  "first_url": page_link(1), "last_url": page_link(pages),
                                  "json_url": "/-/findings.json" + ("?" + urlencode(kept) if kept else ""),
                                  "can_review": _is_local(request), "identities": reviews.IDENTITIES,
                                  "verdict_labels": reviews.VERDICT_LABELS}, request=request))


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
    # "also": the other findings of the same report and identity, settled by the same verdict
    also = data.get("also") or data.get("finding_keys") or []
    keys = [key] + (also.split(",") if isinstance(also, str) else [str(k) for k in also])
    try:
        saved = await _db(datasette).execute_write_fn(
            lambda conn: reviews.add_reviews(conn, keys, verdict, note, reviewer), block=True)
    except reviews.BadReview as err:
        return Response.json({"ok": False, "error": str(err)}, status=400)
    if is_json:
        return Response.json({"ok": True, **saved[0], "saved": len(saved)})
    back = data.get("next") or "/-/findings"
    if not back.startswith("/"):
        back = "/-/findings"
    return Response.redirect(back)


@hookimpl
def register_routes():
    return [
        # any id, so a mistyped one (`/-/report/1`) is "no such report", not Datasette's "database not found"
        (r"^/-/report/(?P<report_id>[^/]+)$", report),
        (r"^/-/snapshot/(?P<snapshot_id>\d+)$", snapshot_raw),
        (r"^/-/snapshot/(?P<snapshot_id>\d+)/info(\.(?P<format>json))?$", snapshot_info),
        (r"^/-/diff(\.(?P<format>json))?$", diff_view),
        (r"^/-/completeness(\.(?P<format>json))?$", completeness_view),
        (r"^/-/findings(\.(?P<format>json))?$", findings_view),
        (r"^/-/review$", review_post),
        (r"^/-/export/(?P<query>\w+)\.csv$", export_view),
        (rf"^/{DB}\.db$", database_download),
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
            "description": "每个来源每年一行：parsed 已解析 / withdrawn 已撤下 / failed 解析失败 / found 已发现未解析 / missing 未发现"
                           " / unreached 未能访问（每次抓取都出错：站点不通、拒绝或验证拦截；或年报栏目列出了该年报告但获取失败，见 error_id、reason）/ not-crawled 从未抓取。 One row per source (the registry recorded by `nianbao parse`,"
                           " plus any crawled source outside it) and expected year (first_year defaults to 2019,"
                           " last_year to last year). A cell counts only the source's own body's reports (agency"
                           " matching the registry name); other bodies' reports found on its site are in"
                           " other_documents / other_agencies, never in the status. withdrawn: archived and parsed,"
                           " but the portal no longer lists or serves it (gone says since when). report_id is the"
                           " year's latest revision (a correction reprinted at a new address included);"
                           " error_scope: listed (the list named the report, its fetch failed) or source (no page"
                           " of the source ever answered; reason is its latest error).",
            "sql": completeness.COMPLETENESS_SQL.strip(),
            "hide_sql": True,  # results first, as every canned query in metadata.yml
        },
        "findings_with_reviews": {
            "title": "勾稽问题及核查结论 / Findings and their reviews",
            "description": "latest: 1 = latest revisions only; verdict: source-error / parser-error / ok / unreviewed;"
                           " code: one finding code (balance, row_sum, narrative, carry_over…), blank for all.",
            "sql": reviews.FINDINGS_SQL.strip(),
            "hide_sql": True,
        },
    }


def _report_link(rid: str, label: str | None) -> Markup:
    row = f'<a href="/nianbao/reports/{escape(rid)}">{escape(label or rid[:12] + "…")}</a> ' if label is not None else ""
    return Markup(f'{row}<a href="/-/report/{escape(rid)}">报告页 report</a>')


def _highlighted(text: str, q: str) -> Markup:
    """The search context readable: wide enough to read, the query's words marked."""
    out, at = [], 0
    for start, end in textsearch.spans(text, q):
        out.append(f"{escape(text[at:start])}<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(str(escape(text[at:])))
    return Markup('<div class="nb-context" style="min-width:32em;max-width:48em;white-space:normal">'
                  + "".join(out) + "</div>")


@hookimpl
def prepare_connection(conn) -> None:
    completeness.register_functions(conn)
    conn.create_function("narrative_context", 2, textsearch.context, deterministic=True)


def wants_bom(path: str, args: dict[str, list[str]]) -> bool:
    """A CSV saved as a file (Datasette's "download file" option, ?_dl=1) or asked for with ?_bom=1
    starts with a UTF-8 byte-order mark, so Excel on a Chinese-locale Windows reads it as UTF-8
    instead of GBK; the plain .csv that programs fetch stays without one (?_bom=0 turns it off)."""
    if not path.endswith(".csv") and args.get("_format", [""])[0] != "csv":
        return False
    bom = args.get("_bom", [""])[0]
    return bom == "1" or (bom != "0" and args.get("_dl", [""])[0] not in ("", "0"))


def _archived(start: dict) -> bool:
    """Whether a response carries archived bytes (it names their sha256): those go out exactly as
    received, whatever this server adds to its own pages (a BOM, lang, readable JSON)."""
    return any(name.lower() == b"x-nianbao-sha256" for name, _ in start.get("headers") or [])


def _with_bom(send):
    started = {"bom": False}

    async def inner(message):
        if message["type"] == "http.response.start" and message.get("status") == 200 and not _archived(message):
            started["bom"] = True
            headers = []
            for name, value in message.get("headers") or []:
                if name.lower() == b"content-length":
                    value = str(int(value) + len(BOM)).encode()
                headers.append((name, value))
            message = {**message, "headers": headers}
        elif message["type"] == "http.response.body" and started["bom"]:
            started["bom"] = False
            message = {**message, "body": BOM + message.get("body", b"")}
        await send(message)
    return inner


def _rewritten(send, ctype: bytes, rewrite):
    """Buffer a response of this content type and send `rewrite(body)` with its length corrected."""
    state: dict = {"start": None, "chunks": []}

    async def inner(message):
        if message["type"] == "http.response.start":
            if dict(message.get("headers") or []).get(b"content-type", b"").startswith(ctype) \
                    and not _archived(message):
                state["start"] = message
                return
        elif message["type"] == "http.response.body" and state["start"] is not None:
            state["chunks"].append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = rewrite(b"".join(state["chunks"]))
            headers = [(k, str(len(body)).encode() if k.lower() == b"content-length" else v)
                       for k, v in state["start"].get("headers") or []]
            await send({**state["start"], "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await send(message)
    return inner


def _readable_json(body: bytes) -> bytes:
    """Chinese in JSON as characters, not \\uXXXX escapes (Datasette's json.dumps default): the
    same JSON value, readable when a journalist opens it in a browser."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except ValueError:
        return body


def _html_lang(body: bytes) -> bytes:
    """`<html lang="zh-CN">` on every page: Datasette's base template prints a bare `<html>` and
    has no block for it, and without a language browsers draw Chinese in a Japanese face and
    screen readers read it in the wrong voice."""
    at = body.find(b"<html>", 0, 512)
    return body if at < 0 else body[:at] + b'<html lang="zh-CN">' + body[at + 6:]


# the narrative search on its page (HTML, .json, .csv) and its complete export
_SEARCH_PATH = re.compile(rf"^(?:/{DB}/search_narrative(?:\.\w+)?|/-/export/search_narrative\.csv)$")


async def _refuse_search(send, note: str, path: str) -> None:
    """A query beyond the search's limits (textsearch.MAX_TERMS, MAX_QUERY_CHARS) is answered 400,
    naming the limit and what it would have ignored, rather than searched in part without a word."""
    html = not re.search(r"\.(?:json|csv)$", path)
    body = (f"<!DOCTYPE html><meta charset=utf-8><title>400</title><h1>检索式过长 / Query too long</h1>"
            f"<p>{escape(note)}</p><p><a href=\"{escape(path)}\">重新检索 / search again</a></p>" if html
            else f"query too long: {note}\n").encode("utf-8")
    ctype = b"text/html; charset=utf-8" if html else b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper():
    """Remember the path and the narrative search's ?q= for render_cell, which is not given the
    request; put a BOM in front of CSV downloads; write JSON's Chinese as characters."""
    def wrap(app):
        async def inner(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "")
            query = (scope.get("query_string") or b"").decode("utf-8", "replace")
            args = parse_qs(query)
            if wants_bom(path, args):
                send = _with_bom(send)
            elif path.endswith(".json") or args.get("_format", [""])[0] == "json":
                send = _rewritten(send, b"application/json", _readable_json)
            else:
                send = _rewritten(send, b"text/html", _html_lang)
            if _SEARCH_PATH.search(path) and (note := textsearch.ignored(args.get("q", [""])[0])):
                return await _refuse_search(send, note, path)
            tokens = [(_PATH, _PATH.set(path))]
            if path.endswith("/search_narrative"):
                tokens.append((_SEARCH_Q, _SEARCH_Q.set(args.get("q", [""])[0])))
            try:
                return await app(scope, receive, send)
            finally:
                for var, token in reversed(tokens):
                    var.reset(token)
        return inner
    return wrap


def _excel(request, query_name=None):
    """The "excel" link of every table and query page: the whole result as a CSV download with a BOM.
    A table streams itself (`_stream=on`); a canned query goes to /-/export, which Datasette's own
    .csv would cut at 1,000 rows.  A dict, not a Response: Datasette then keeps the 302 (it resets
    a Response's status to 200, and browsers saved the empty body)."""
    path = request.path
    args = _query_args(request)
    if query_name:
        target = f"/-/export/{quote(query_name)}.csv" + ("?" + urlencode(args) if args else "")
    else:
        path = path[: -len(".excel")] + ".csv" if path.endswith(".excel") else path
        extra = [("_format", "csv")] if not path.endswith(".csv") else []
        target = path + "?" + urlencode(args + extra + [("_size", "max"), ("_stream", "on"), ("_dl", "1"), ("_bom", "1")])
    return {"body": "", "status_code": 302, "headers": {"Location": target}, "content_type": "text/plain"}


_DOWNLOAD_LOCK = asyncio.Lock()


async def database_download(datasette, request):
    """/nianbao.db: the whole database as one SQLite file, for sqlite3/pandas/R.  Datasette refuses
    (403) a database it may write to (reviews); a consistent snapshot copy is safe to hand out, and
    holds nothing the table pages do not already publish.  One copy per state of the database, made
    one at a time, kept in the data dir's exports/ (`export.cached_copy`)."""
    db_path = Path(_db(datasette).path)
    async with _DOWNLOAD_LOCK:
        copy = await asyncio.to_thread(export.cached_copy, db_path, db_path.parent / "exports")
    return AsgiFileDownload(str(copy), filename=f"{DB}.db", content_type="application/vnd.sqlite3")


async def export_view(datasette, request):
    """/-/export/<canned query>.csv: every row of a canned query (no 1,000-row cut), streamed, with a
    UTF-8 BOM for Excel (?_bom=0: without).  Only the configured read-only queries, on a read-only
    connection; parameters as on the query page, a missing one blank."""
    name = request.url_vars["query"]
    query = await datasette.get_canned_query(DB, name, request.actor)
    if not query or query.get("write"):
        raise NotFound(f"no canned query {name!r}")
    conn = export.read_only(_db(datasette).path, lambda c: datasette._prepare_connection(c, DB))
    try:
        cursor = await asyncio.to_thread(export.run, conn, query["sql"], {k: request.args.get(k) for k in request.args})
    except sqlite3.Error as err:
        conn.close()
        return Response.text(f"query failed: {err}", status=400)
    chunks = export.csv_chunks(cursor)
    bom = "" if request.args.get("_bom") == "0" else "\ufeff"

    async def stream(writer):
        try:
            prefix = bom
            while (text := await asyncio.to_thread(next, chunks, None)) is not None:
                await writer.write(prefix + text)
                prefix = ""
        finally:
            conn.close()

    return AsgiStream(stream, headers={"content-disposition": f'attachment; filename="{name}.csv"'},
                      content_type="text/csv; charset=utf-8")


def _query_args(request) -> list[tuple[str, str]]:
    """The page's own parameters (filters, sort, query inputs) without the format/download ones a
    download link sets itself."""
    return [(k, v) for k, v in parse_qsl_keep(request.query_string)
            if k not in ("_format", "_size", "_stream", "_dl", "_bom")]


def parse_qsl_keep(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query or "", keep_blank_values=True)  # canned query parameters may be blank


@hookimpl
def register_output_renderer():
    # a row page has no CSV to download
    return {"extension": "excel", "render": _excel, "can_render": lambda view_name: view_name != "row"}


@hookimpl
def render_cell(row, value, column, table, database):
    """Report ids and snapshot ids anywhere (tables and canned queries) lead to the reader's pages."""
    if database != DB or value is None:
        return None
    label = ""
    if isinstance(value, dict):  # a foreign key Datasette expanded: {"value": …, "label": …}
        value, label = value.get("value"), value.get("label")
    if (table, column) in _COMPACT and isinstance(value, str) and _on_table_page(table):
        return _compact(row, value, table, column)
    if table == "reports" and column == "agency" and row is not None:
        return Markup(f'{escape(value)} <a href="/-/report/{escape(row["id"])}">报告页 report</a>')
    if column == "report_id" and isinstance(value, str) and len(value) == 40:
        return _report_link(value, label or "")
    if column == "report_page" and isinstance(value, str) and value.startswith("/-/report/"):
        return Markup(f'<a href="{escape(value)}">报告页 report</a>')
    if column == "context" and isinstance(value, str):
        return _highlighted(value, _SEARCH_Q.get())
    if column == "snapshot_id" and isinstance(value, int):
        return Markup(f'<a href="/-/snapshot/{value}/info">#{value}</a> <a href="/-/snapshot/{value}">原件 bytes</a>')
    return None


# long columns shown in full on a row page, as a short preview and a link on table pages
_COMPACT = {("reports", "record"): 60, ("extracted_text", "text"): 100, ("snapshots", "headers"): 120,
            ("snapshots", "request_headers"): 120}


def _on_table_page(table: str) -> bool:
    path = _PATH.get()
    return path.rstrip("/").split(".")[0].endswith(f"/{DB}/{table}")


def _compact(row, value: str, table: str, column: str) -> Markup:
    limit = _COMPACT[(table, column)]
    if len(value) <= limit:
        return Markup(escape(value))
    short = " ".join(value[:limit].split()) + "…"
    keys = [row[k] for k in row.keys() if k in ("id", "rowid")] if row is not None else []
    link = (f' <a href="/{DB}/{table}/{escape(quote(str(keys[0]), safe=""))}">全文 full ({len(value):,} 字符 chars)</a>'
            if len(keys) == 1 else f" <small>({len(value):,} 字符 chars)</small>")
    return Markup(f'<span class="nb-compact">{escape(short)}</span>{link}')


_QUERY_PATH = re.compile(rf"^/{DB}/(\w+)$")


@hookimpl
def extra_template_vars(template, database, request, datasette):
    """`urlencode` for the templates; on a canned query's page the "CSV" link goes to the complete
    export (without the BOM, as a program fetches it): Datasette's own query CSV stops at 1,000
    rows without saying so."""
    base = {"urlencode": urlencode}
    found = _QUERY_PATH.match(request.path) if request is not None and database == DB else None
    if template != "query.html" or not found:
        return base

    async def inner():
        query = await datasette.get_canned_query(DB, found.group(1), request.actor)
        if not query or query.get("write"):
            return base
        args = _query_args(request)
        return {**base, "url_csv": f"/-/export/{quote(found.group(1))}.csv?" + urlencode(args + [("_bom", "0")])}
    return inner


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path(p), "label": label} for p, label in (
        ("/-/completeness", "完整性 Completeness"), ("/-/findings", "勾稽问题 Findings"), ("/-/diff", "对比 Diff"))]
