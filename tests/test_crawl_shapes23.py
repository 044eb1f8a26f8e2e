"""Columns whose lists come from controls that link nowhere (tests/portal/homes23.py): year nodes and 部门 tabs
loading each list into one box by XHR, clicked in real chromium; report rows opened by POSTing a hidden form,
sent as that form and archived under the form's identity; a column whose rows open nothing, named in the note.

Crawled by the real crawl, then checked as a user would: the archive's rows, its WARC records, what each server saw.
"""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.cli import main as cli_main
from tests.portal.homes23 import DP, DP_YEARS, DT, DT_DEPTS, DW, NX, PD, PD_ROWS, YA, YS, Shapes23
from tests.support.crawls import assert_own_reports_found_once, crawl_portals, errors


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Every portal crawled, then the POST portal crawled again into the same archive (the re-crawl)."""
    data = tmp_path_factory.mktemp("crawl-shapes23")
    with Shapes23.start() as shapes:
        sources = crawl_portals(data, shapes)
        first = {sid: len(seen) for sid, seen in shapes.requests.items()}
        crawl_portals(data, shapes, [PD[0]])
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        yield SimpleNamespace(conn=conn, shapes=shapes, data=data, sources=sources, first=first)
    finally:
        conn.close()


def asked(crawled, site: str) -> list[tuple[str, str, str]]:
    """What the site's server saw in the first crawl."""
    return list(crawled.shapes.requests[site][:crawled.first[site]])


@pytest.mark.parametrize("sid", [YA[0], YS[0], DT[0], PD[0], DW[0]])  # (DP: its copies are documents too)
def test_every_reachable_report_is_found_once(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid)


def test_each_year_node_loading_its_list_by_script_is_clicked(crawled) -> None:
    paths = [p for _, p, _ in asked(crawled, YA[0])]
    # the latest year came by itself; the older two only by clicking their nodes
    assert {"/xxgk/ndbg/list_2022.html", "/xxgk/ndbg/list_2021.html"} <= set(paths)
    assert errors(crawled, YA[0]) == []


def test_a_server_written_list_with_year_nodes_is_rendered_and_a_node_showing_nothing_is_noted(crawled) -> None:
    # the column listed 2023 in its HTML: the browser was still asked for the other years
    paths = {p for _, p, _ in asked(crawled, YS[0])}
    assert {"/xxgk/ndbg/year.jsp?year=2022", "/xxgk/ndbg/year.jsp?year=2021"} <= paths
    rows = errors(crawled, YS[0])
    assert len(rows) == 1, rows
    url, reason = rows[0]
    assert url == crawled.shapes.bases[YS[0]] + "/xxgk/ndbg/"
    assert reason.startswith("note:") and "2020年度" in reason and "not opened" in reason


def test_each_department_tab_without_tab_markup_is_opened(crawled) -> None:
    paths = {p for _, p, _ in asked(crawled, DT[0])}
    assert {f"/xxgk/ndbg/dept_{code}.html" for code, _ in DT_DEPTS} <= paths
    assert errors(crawled, DT[0]) == []


def test_rows_opened_by_a_posted_form_are_each_posted_once_and_kept_apart(crawled) -> None:
    posts = [(p, body) for m, p, body in asked(crawled, PD[0]) if m == "POST"]
    assert sorted(posts) == sorted(("/detail.do", f"infoId={info}") for info, _ in PD_ROWS)  # not the 指南
    base = crawled.shapes.bases[PD[0]]
    snaps = crawled.conn.execute("SELECT url, method, request_body FROM snapshots WHERE url LIKE ?",
                                 (base + "/detail.do%",)).fetchall()
    assert sorted(tuple(s) for s in snaps) == sorted(
        (f"{base}/detail.do#post:infoId={info}", "POST", f"infoId={info}") for info, _ in PD_ROWS)
    assert not [r for _, r in errors(crawled, PD[0]) if not r.startswith("note: robots")]


def test_a_posted_reports_warc_records_hold_the_post(crawled) -> None:
    base = crawled.shapes.bases[PD[0]]
    seen = {}
    for path in (crawled.data / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "request" and rec.rec_headers.get_header("WARC-Target-URI") == base + "/detail.do":
                    seen[rec.content_stream().read().decode()] = rec.http_headers.protocol
    # the records are filed under the URL the form went to, each request record holding its POST and form
    assert seen == {f"infoId={info}": "POST" for info, _ in PD_ROWS}


def test_a_posted_report_recrawled_is_the_same_report_not_a_revision_of_another(crawled) -> None:
    # the re-crawl POSTed each form again; each answer is its own report's unchanged version, not a new
    # revision of the report the other form opens (they share the URL)
    base = crawled.shapes.bases[PD[0]]
    again = [(p, body) for m, p, body in crawled.shapes.requests[PD[0]][crawled.first[PD[0]]:] if m == "POST"]
    assert sorted(again) == sorted(("/detail.do", f"infoId={info}") for info, _ in PD_ROWS)
    for info, _ in PD_ROWS:
        key = f"{base}/detail.do#post:infoId={info}"
        snaps = crawled.conn.execute("SELECT id, revision FROM snapshots WHERE url = ?", (key,)).fetchall()
        assert [s["revision"] for s in snaps] == [1], key
        fetched = crawled.conn.execute("SELECT count(*) FROM fetches WHERE url = ? AND snapshot_id = ?",
                                       (key, snaps[0]["id"])).fetchone()[0]
        assert fetched == 2, key


@pytest.fixture(scope="module")
def parsed(crawled):
    assert cli_main(["--data", str(crawled.data), "parse"]) == 0
    return crawled


def test_parse_reads_each_posted_report_as_its_own_year(parsed) -> None:
    crawled = parsed
    base = crawled.shapes.bases[PD[0]]
    rows = crawled.conn.execute("SELECT url, year, agency FROM reports WHERE url LIKE ? AND is_latest = 1",
                                (base + "/detail.do%",)).fetchall()
    assert sorted(tuple(r) for r in rows) == sorted(
        (f"{base}/detail.do#post:infoId={info}", year, PD[1]) for info, year in PD_ROWS)


def test_a_column_whose_report_rows_open_nothing_is_named_in_the_note(crawled) -> None:
    rows = errors(crawled, NX[0])
    assert len(rows) == 1, rows
    _, reason = rows[0]
    column = crawled.shapes.bases[NX[0]] + "/xxgk/ndbg/"
    assert reason.startswith("note: 年报 column reached but no report found")
    assert f"column page {column}" in reason and "2 report title(s) it could not open" in reason
    assert "openInfo('3300')" in reason


def test_a_list_rendered_page_after_page_asks_for_its_script_file_once(crawled) -> None:
    paths = [p for _, p, _ in asked(crawled, DW[0])]
    assert {"/xxgk/ndbg/index_1.htm", "/xxgk/ndbg/index_2.htm"} <= set(paths)
    assert paths.count("/js/page.js") == 1, paths


def test_a_report_at_several_addresses_keeps_its_row_at_the_columns_own_item(parsed) -> None:
    # the crawl reaches the pinned and the 重点领域 copies in any order; the row is the 年报 column's own item
    base = parsed.shapes.bases[DP[0]]
    rows = parsed.conn.execute("SELECT url, year FROM reports WHERE url LIKE ? AND is_latest = 1", (base + "%",)).fetchall()
    assert sorted(tuple(r) for r in rows) == sorted((f"{base}/xxgk/gknb/{y}/art_{y}.html", y) for y in DP_YEARS)
    dups = parsed.conn.execute("SELECT url, same_as_url FROM duplicates WHERE url LIKE ?", (base + "%",)).fetchall()
    assert sorted(tuple(d) for d in dups) == sorted(
        [(f"{base}/xxgk/zdgk/nb/art_{y}.html", f"{base}/xxgk/gknb/{y}/art_{y}.html") for y in DP_YEARS]
        + [(f"{base}/xxgk/gknb/content.jsp?id=2023", f"{base}/xxgk/gknb/2023/art_2023.html")])
