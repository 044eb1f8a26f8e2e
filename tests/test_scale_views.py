"""What a reader checks when the archive is big (the 10k-report examination), on a small archive.

Many bodies of one year tie on the default sort; a word is in every report; results outgrow a page
(`max_returned_rows` is set to 25 here so 40 reports behave as 10,000 do against the default 1,000);
two bodies share a name (市中区人民政府 of 济南 and of 枣庄).  Datasette runs as `nianbao serve` runs it.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from archive import export, reviews, serve
from archive.db import connect
from archive.export import parameters
from archive.spill import SpillQueue
from archive.textsearch import bigram_query, context, excludes, has_exclusions, matches, narrows
from tests.support.datasette import served
from tests.support.many_bodies import BODIES, SAME_NAME, YEARS, build

PAGE_CAP = 25
BROKEN = ("zz-shizhong", 2023)  # 枣庄's 市中区: its 2023 report does not carry over its own 2022 report


def get(url: str) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is what some tests check
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    data = tmp_path_factory.mktemp("scale-views")
    build(data, broken=(BROKEN,))
    with served(data, "--setting", "max_returned_rows", str(PAGE_CAP)) as base:
        yield {"base": base, "data": data}


def db(site: dict) -> sqlite3.Connection:
    conn = sqlite3.connect(site["data"] / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def walk(site: dict, path: str) -> list[dict]:
    """Follow the JSON next links to the end, as a script exporting a table does."""
    url, rows = site["base"] + path, []
    while url:
        status, _, body = get(url)
        assert status == 200, body[:300]
        page = json.loads(body)
        rows += page["rows"]
        url = page.get("next_url")
        if url and not url.startswith("http"):
            url = site["base"] + url
    return rows


def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


# ---- 1. paging the reports table ------------------------------------------------------------------

def test_every_page_of_the_reports_table_together_holds_each_report_once(site: dict) -> None:
    all_ids = {r[0] for r in db(site).execute("SELECT id FROM reports")}
    assert len(all_ids) == len(BODIES) * len(YEARS)  # 10 reports tie on each year
    for size in (7, "max"):
        rows = walk(site, f"/nianbao/reports.json?_shape=objects&_size={size}")
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)) == len(all_ids) and set(ids) == all_ids, size
        assert [r["year"] for r in rows] == sorted((r["year"] for r in rows), reverse=True)  # newest year first


def test_a_readers_sort_on_year_pages_through_every_report_once(site: dict) -> None:
    all_ids = {r[0] for r in db(site).execute("SELECT id FROM reports")}
    for sort in ("_sort", "_sort_desc"):
        rows = walk(site, f"/nianbao/reports.json?_shape=objects&_size=7&{sort}=year")
        assert len(rows) == len(all_ids) and {r["id"] for r in rows} == all_ids
        years = [r["year"] for r in rows]
        assert years == sorted(years, reverse=sort == "_sort_desc")


def test_csv_stream_and_excel_download_of_reports_hold_each_report_once(site: dict) -> None:
    all_ids = {r[0] for r in db(site).execute("SELECT id FROM reports")}
    status, _, body = get(site["base"] + "/nianbao/reports.csv?_stream=on&_size=7")
    ids = [r["id"] for r in csv_rows(body)]
    assert status == 200 and len(ids) == len(all_ids) and set(ids) == all_ids
    status, headers, _ = get(site["base"] + "/nianbao/reports.excel")
    assert status == 302
    status, _, body = get(site["base"] + headers["Location"])
    assert status == 200 and body.startswith(b"\xef\xbb\xbf")
    assert sorted(r["id"] for r in csv_rows(body)) == sorted(all_ids)


def test_sources_table_pages_hold_each_source_once(site: dict) -> None:
    rows = walk(site, "/nianbao/sources.json?_shape=objects&_size=3")
    assert sorted(r["id"] for r in rows) == sorted(b.id for b in BODIES)


def test_every_configured_sort_is_on_a_unique_column(site: dict) -> None:
    meta = yaml.safe_load(serve.METADATA.read_text(encoding="utf-8"))
    conn = db(site)
    for table, spec in meta["databases"]["nianbao"]["tables"].items():
        column = spec.get("sort") or spec.get("sort_desc")
        if column:
            total, distinct = conn.execute(f"SELECT count(*), count(DISTINCT [{column}]) FROM [{table}]").fetchone()
            assert total == distinct, f"{table}.{column} has ties: paging would drop rows"


def test_an_older_database_gets_the_sort_column_when_opened(tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / "nianbao.db")
    old.execute("CREATE TABLE reports (id TEXT PRIMARY KEY, year INTEGER, agency TEXT)")
    old.execute("INSERT INTO reports VALUES ('abc', 2023, '某局')")
    old.commit()
    old.close()
    conn = connect(tmp_path / "nianbao.db").conn
    assert conn.execute("SELECT year_order FROM reports").fetchone()[0] == "2023-abc"
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN SELECT id FROM reports ORDER BY year_order DESC"))
    assert "reports_year_order" in plan


# ---- 2. narrative search for a word in every report ---------------------------------------------

def test_search_for_a_word_in_every_report_lists_each_document_once(site: dict) -> None:
    status, _, body = get(site["base"] + "/nianbao/search_narrative.json?" + urlencode({"q": "复议", "_shape": "objects"}))
    rows = json.loads(body)["rows"]
    everything = len(BODIES) * len(YEARS)
    assert status == 200 and len(rows) == PAGE_CAP and {r["documents_found"] for r in rows} == {everything}
    status, _, body = get(site["base"] + "/-/export/search_narrative.csv?" + urlencode({"q": "复议"}))
    rows = csv_rows(body)
    assert status == 200 and len(rows) == everything and len({r["report_id"] for r in rows}) == everything
    assert all("复议" in r["context"] for r in rows)


def _search_sql() -> str:
    meta = yaml.safe_load(serve.METADATA.read_text(encoding="utf-8"))
    return meta["databases"]["nianbao"]["queries"]["search_narrative"]["sql"]


def test_search_makes_context_only_for_the_rows_it_shows_and_counts_all(site: dict) -> None:
    sql = _search_sql()
    assert "limit 500" in sql
    calls = {"context": 0, "matches": 0, "excludes": 0}

    def counted(name, fn):
        def inner(*args):
            calls[name] += 1
            return fn(*args)
        return inner

    conn = sqlite3.connect(site["data"] / "nianbao.db")
    conn.create_function("bigram_query", 1, bigram_query)
    conn.create_function("narrative_narrows", 1, narrows)
    conn.create_function("narrative_has_exclusions", 1, has_exclusions)
    conn.create_function("narrative_excludes", 2, counted("excludes", excludes))
    conn.create_function("narrative_matches", 2, counted("matches", matches))
    conn.create_function("narrative_context", 2, counted("context", context))
    rows = conn.execute(sql.replace("limit 500", "limit 5"), {"q": "复议"}).fetchall()
    sections = conn.execute("SELECT count(*) FROM sections WHERE text LIKE '%复议%'").fetchone()[0]
    assert len(rows) == 5 and rows[0][-1] == len(BODIES) * len(YEARS)  # documents_found: all of them
    assert calls["context"] == 5  # not one per match: the cost of a common word stays flat
    assert calls["matches"] == sections  # each candidate section decided once, no per-row re-scan
    assert calls["excludes"] == 0  # no exclusion asked for: no section read again


# ---- 3. canned queries past one page: notice, complete export, downloads -------------------------

def test_cut_canned_query_says_so_and_links_every_row(site: dict) -> None:
    status, _, body = get(site["base"] + "/nianbao/latest_cells?" + urlencode(dict.fromkeys(
        ("agency", "year", "table", "row", "col"), "")))
    page = body.decode()
    assert status == 200 and "nb-truncated" in page and "/-/export/latest_cells.csv" in page
    expected = db(site).execute("SELECT count(*) FROM cells c JOIN reports r ON r.id = c.report_id"
                                " WHERE r.is_latest = 1").fetchone()[0]
    assert expected > PAGE_CAP
    status, headers, body = get(site["base"] + "/-/export/latest_cells.csv?agency=&year=")
    assert status == 200 and body.startswith(b"\xef\xbb\xbf") and "attachment" in headers["content-disposition"]
    assert len(csv_rows(body)) == expected


def test_small_canned_query_result_has_no_notice(site: dict) -> None:
    status, _, body = get(site["base"] + "/nianbao/reports_by_agency_year?" + urlencode({"agency": "历下", "year": ""}))
    assert status == 200 and "nb-truncated" not in body.decode()


def test_excel_link_of_a_canned_query_downloads_the_whole_result(site: dict) -> None:
    status, headers, body = get(site["base"] + "/nianbao/completeness_matrix.excel?first_year=2021&last_year=2024")
    assert status == 302 and body == b""
    assert headers["Location"].startswith("/-/export/completeness_matrix.csv?")
    status, _, body = get(site["base"] + headers["Location"])
    rows = csv_rows(body)
    assert status == 200 and len(rows) == len(BODIES) * len(YEARS) > PAGE_CAP
    assert {r["status"] for r in rows} == {"parsed"}
    # the filter of the page is the filter of the download
    status, _, body = get(site["base"] + "/-/export/reports_by_agency_year.csv?" + urlencode({"agency": SAME_NAME,
                                                                                             "year": "2024"}))
    assert sorted(r["agency"] for r in csv_rows(body)) == [SAME_NAME, SAME_NAME]


def test_export_knows_only_the_configured_queries(site: dict) -> None:
    assert get(site["base"] + "/-/export/no_such_query.csv")[0] == 404
    assert parameters("select * from t where a = :agency and b = ':not' and c = :agency or d = :year") == [
        "agency", "year"]


def test_database_download_is_a_complete_sqlite_file(site: dict, tmp_path: Path) -> None:
    status, headers, body = get(site["base"] + "/nianbao.db")
    assert status == 200 and body.startswith(b"SQLite format 3\x00")
    (tmp_path / "copy.db").write_bytes(body)
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM reports").fetchone()[0] == len(BODIES) * len(YEARS)


def test_database_downloads_share_one_copy_per_state_of_the_database(tmp_path: Path) -> None:
    """Parallel downloads of a large archive must not each leave a copy on disk; a changed
    database gets a fresh copy and the stale one goes."""
    db_path = tmp_path / "nianbao.db"
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE t (v)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    first = export.cached_copy(db_path, tmp_path / "exports")
    assert export.cached_copy(db_path, tmp_path / "exports") == first
    conn.execute("INSERT INTO t VALUES (2)")
    conn.commit()
    conn.close()
    second = export.cached_copy(db_path, tmp_path / "exports")
    assert second != first and not first.exists()
    assert list((tmp_path / "exports").iterdir()) == [second]
    assert sqlite3.connect(second).execute("SELECT count(*) FROM t").fetchone()[0] == 2


# ---- 4. bodies that share a name ------------------------------------------------------------------

def test_carry_over_is_checked_within_each_body_not_across_a_shared_name(site: dict) -> None:
    conn = db(site)
    flagged = conn.execute("SELECT DISTINCT r.city, r.year FROM findings f JOIN reports r ON r.id = f.report_id"
                           " WHERE f.identity = '5'").fetchall()
    assert [tuple(r) for r in flagged] == [("枣庄市", 2023)]  # only the real break; 济南's years all agree
    finding = next(f for f in reviews.findings(conn, SAME_NAME) if f["code"] == "carry_over")
    previous = conn.execute("SELECT city, year FROM reports WHERE id = ?", (finding["previous"]["report_id"],)).fetchone()
    assert tuple(previous) == ("枣庄市", 2022)


def test_diff_of_a_shared_name_asks_which_place(site: dict) -> None:
    query = urlencode({"agency": SAME_NAME, "from": 2023, "to": 2024})
    status, _, body = get(site["base"] + "/-/diff.json?" + query)
    result = json.loads(body)
    assert status == 200 and result["sides"] == [] and result["error"] is None  # choosing is an answer
    assert sorted(result["place_choices"]) == ["山东省枣庄市市中区", "山东省济南市市中区"]
    status, _, body = get(site["base"] + "/-/diff?" + query)
    assert status == 200 and "山东省枣庄市市中区" in body.decode() and "place=" in body.decode()
    status, _, body = get(site["base"] + "/-/diff.json?" + urlencode({"agency": SAME_NAME, "place": "山东省枣庄市市中区",
                                                                      "from": 2023, "to": 2024}))
    chosen = json.loads(body)
    assert status == 200 and chosen["kind"] == "year"
    cities = {r[0] for r in db(site).execute("SELECT city FROM reports WHERE id IN (?, ?)",
                                              [s["id"] for s in chosen["sides"]])}
    assert cities == {"枣庄市"}


def test_revision_style_diff_of_two_same_named_bodies_is_called_two_bodies(site: dict) -> None:
    a, b = (r[0] for r in db(site).execute("SELECT id FROM reports WHERE agency = ? AND year = 2024 ORDER BY city",
                                            (SAME_NAME,)))
    assert json.loads(get(site["base"] + f"/-/diff.json?a={a}&b={b}")[2])["kind"] == "bodies"


def test_report_page_of_a_shared_name_lists_its_own_bodys_years_only(site: dict) -> None:
    conn = db(site)
    rid = conn.execute("SELECT id FROM reports WHERE agency = ? AND city = '枣庄市' AND year = 2023",
                       (SAME_NAME,)).fetchone()[0]
    zaozhuang = {r[0]: r[1] for r in conn.execute("SELECT id, year FROM reports WHERE agency = ? AND city = '枣庄市'",
                                                  (SAME_NAME,))}
    status, _, body = get(site["base"] + f"/-/report/{rid}")
    page = BeautifulSoup(body.decode(), "html.parser")
    assert status == 200 and "山东省枣庄市市中区" in page.select_one("p.place").get_text()
    years = page.select("li.other-year")
    assert [li.a.get_text() for li in years] == ["2024 年度", "2022 年度", "2021 年度"]
    for li in years:
        assert "枣庄市" in li.get_text() and "济南市" not in li.get_text()
        links = [a["href"] for a in li.select("a")]
        assert links[0].removeprefix("/-/report/") in zaozhuang
        assert all(x in zaozhuang for x in parse_qs(urlsplit(links[1]).query)["a"] + parse_qs(urlsplit(links[1]).query)["b"])


def test_a_place_led_name_diffs_that_place_and_the_page_keeps_the_place(site: dict) -> None:
    status, _, body = get(site["base"] + "/-/diff?" + urlencode({"agency": "枣庄市市中区人民政府", "from": 2022, "to": 2023}))
    page = BeautifulSoup(body.decode(), "html.parser")
    assert status == 200 and page.select_one("h2.diff-kind")["data-kind"] == "year"
    heading = page.select_one("h2.diff-kind").get_text()
    assert heading.count("山东省枣庄市市中区") == 2 and "济南" not in heading
    assert page.select_one("form input[name=place]")["value"] == "山东省枣庄市市中区"
    offered = {o["value"] for o in page.select("datalist#agencies option")}
    assert {"山东省枣庄市市中区人民政府", "山东省济南市市中区人民政府"} <= offered
    # what the form sends after changing the years
    status, _, body = get(site["base"] + "/-/diff.json?" + urlencode({"agency": SAME_NAME, "place": "山东省枣庄市市中区",
                                                                      "from": 2021, "to": 2024}))
    assert status == 200 and {s["city"] for s in json.loads(body)["sides"]} == {"枣庄市"}
    for name in ("山东省济南市市中区人民政府", "济南市市中区人民政府"):
        status, _, body = get(site["base"] + "/-/diff.json?" + urlencode({"agency": name, "from": 2021, "to": 2024}))
        assert status == 200 and {s["city"] for s in json.loads(body)["sides"]} == {"济南市"}


def test_latest_cells_export_carries_place_and_page(site: dict) -> None:
    status, _, body = get(site["base"] + "/-/export/latest_cells.csv?" + urlencode(
        {"agency": SAME_NAME, "year": "2023", "table": "applications", "row": "new_received", "col": "total", "_bom": "0"}))
    got = csv_rows(body)
    assert status == 200 and {"province", "city", "county", "page", "snapshot_id"} <= set(got[0])
    assert sorted(r["city"] for r in got) == ["枣庄市", "济南市"]
    rates = json.loads(get(site["base"] + "/nianbao/handling_rates.json?" + urlencode(
        {"agency": SAME_NAME, "_shape": "array"}))[2])
    assert sorted({r["city"] for r in rates}) == ["枣庄市", "济南市"]


def test_csv_link_of_a_cut_canned_query_gives_every_row(site: dict) -> None:
    status, _, body = get(site["base"] + "/nianbao/latest_cells?" + urlencode(dict.fromkeys(
        ("agency", "year", "table", "row", "col"), "")))
    page = BeautifulSoup(body.decode(), "html.parser")
    link = next(a["href"] for a in page.select("p.export-links a") if a.get_text() == "CSV")
    assert link.startswith("/-/export/latest_cells.csv?")
    status, _, body = get(site["base"] + link)
    expected = db(site).execute("SELECT count(*) FROM cells c JOIN reports r ON r.id = c.report_id"
                                " WHERE r.is_latest = 1").fetchone()[0]
    assert status == 200 and not body.startswith(b"\xef\xbb\xbf") and len(csv_rows(body)) == expected > PAGE_CAP


def test_findings_to_review_drops_a_finding_once_reviewed(site: dict) -> None:
    def to_review() -> list[dict]:
        return json.loads(get(site["base"] + "/nianbao/findings_to_review.json?agency=&_shape=array")[2])

    before = to_review()
    key = db(site).execute("SELECT finding_key FROM findings f JOIN reports r ON r.id = f.report_id"
                           " WHERE r.is_latest = 1 LIMIT 1").fetchone()[0]
    req = urllib.request.Request(site["base"] + "/-/review", method="POST", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"finding_key": key, "verdict": "source-error", "note": "原报告印错",
                                                  "reviewer": "测试"}).encode())
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200
    after = to_review()
    assert len(after) == len(before) - 1 and all("city" in r and "province" in r for r in after)


def test_attachment_named_by_content_disposition_keeps_its_name_and_type(site: dict) -> None:
    import openpyxl

    from archive.store import Archive, Fetch

    conn = db(site)
    rid, page_url = conn.execute("SELECT id, url FROM reports WHERE agency = '历下区人民政府' AND year = 2024").fetchone()
    book = openpyxl.Workbook()
    book.active["A1"] = "附表"
    buf = io.BytesIO()
    book.save(buf)
    name = "历下区2024年政府信息公开工作年度报告附表.xlsx"
    arc = Archive(site["data"])
    for url, disposition in (
            (f"{page_url}/download.jsp?fileId=1006", "attachment; filename*=UTF-8''" + quote(name)),
            (f"{page_url}/download.jsp?fileId=1007", 'attachment; filename="' + name.encode("gbk").decode("latin-1") + '"')):
        arc.record_document("jn-lixia", url, "attachment", parent_url=page_url)
        arc.record(Fetch(url=url, final_url=url, status=200, body=buf.getvalue(), fetched_at="2025-02-01T00:00:00Z",
                         headers=[("Content-Type", "application/octet-stream"), ("Content-Disposition", disposition)],
                         referrer=page_url, source_id="jn-lixia", spider="test"))
    status, _, body = get(site["base"] + f"/-/report/{rid}")
    listed = BeautifulSoup(body.decode(), "html.parser").select("a[data-attachment]")
    assert [a.get_text() for a in listed] == [name, name]
    for a in listed:
        status, headers, served = get(site["base"] + a["href"])
        headers = {k.lower(): v for k, v in headers.items()}
        assert status == 200 and served == buf.getvalue()
        assert headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert quote(name, safe="") in headers["content-disposition"] and ".bin" not in headers["content-disposition"]


# ---- 6. the re-parse write queue ------------------------------------------------------------------

def test_spilled_writes_come_back_in_order_every_time(tmp_path: Path) -> None:
    queue = SpillQueue(tmp_path, batch=3)
    items = [("INSERT INTO t VALUES (?)", (i, "复议" * i)) for i in range(10)]
    for item in items:
        queue.append(item)
    assert list(queue) == items and list(queue) == items and len(queue) == 10
    queue.append(("x", ()))
    assert list(queue)[-1] == ("x", ()) and len(list(queue)) == 11
    queue.close()
    assert not list(tmp_path.iterdir())  # an unnamed temporary file: nothing left behind
