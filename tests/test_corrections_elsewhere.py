"""A report corrected at a new address, as a researcher reads it through Datasette
(tests/portal/homes_corrections.py): two real crawls of the portal (night 2 adds the corrections and
takes the 2022 report off the list), one parse with the registry, then `nianbao serve` on 127.0.0.1.

A correction reprinting the whole report at a new URL (关于…的更正), or a （更正版） posted anew after the
first was delisted, is the body's year's next revision: the completeness matrix links that latest
revision, each revision's page lists the other with an older → newer diff that is a revision diff
showing exactly the corrected cells, and a notice that only names the changed cells links its archived
copy.  Also: the short province name filters the matrix, a source no page of which ever answered says
why, `handling_rates` takes a year, and the words a correction prints before 一、 are searchable.
"""

from __future__ import annotations

import json
import urllib.error
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from archive.reparse import reparse_all
from tests.portal.homes_corrections import CHANGED, JT, PREAMBLE, SW, ShapesCorrections
from tests.support.crawls import crawl_portals
from tests.support.datasette import DIRECT, served

YEARS = {"first_year": "2021", "last_year": "2023"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("corrections-elsewhere")
    with ShapesCorrections.start() as shapes:
        for night in (1, 2):
            shapes.night = night
            sources = crawl_portals(data, shapes)
        notice_bytes = {role: shapes.pages[JT[0]][path].body for role, path in shapes.articles.items()}
    reparse_all(data, sources=sources)
    with served(data) as base:
        yield {"base": base, "shapes": shapes, "notice_bytes": notice_bytes}


def get(site: dict, path: str) -> bytes:
    return DIRECT.open(site["base"] + path, timeout=120).read()


def jget(site: dict, path: str):
    return json.loads(get(site, path))


def url_of(site: dict, role: str) -> str:
    return site["shapes"].bases[JT[0]] + site["shapes"].articles[role]


def series(site: dict, year: int) -> list[dict]:
    """The body's reports of a year, oldest revision first (read through Datasette's own table JSON)."""
    rows = jget(site, "/nianbao/reports.json?" + urlencode(
        {"agency": JT[1], "year": year, "_shape": "array", "_col": ["revision", "is_latest", "url"]}, doseq=True))
    return sorted(rows, key=lambda r: r["revision"])


@pytest.mark.parametrize("year, first, corrected", [(2022, "2022", "2022_fixed"), (2023, "2023", "2023_fixed")])
def test_the_correction_at_a_new_address_is_the_latest_revision(site, year, first, corrected) -> None:
    revs = series(site, year)
    assert [(r["revision"], r["is_latest"], r["url"]) for r in revs] == [
        (1, 0, url_of(site, first)), (2, 1, url_of(site, corrected))]


@pytest.mark.parametrize("year", [2022, 2023])
def test_the_completeness_matrix_links_the_corrected_revision(site, year) -> None:
    latest = series(site, year)[-1]
    rows = jget(site, "/-/completeness.json?" + urlencode(YEARS))
    [cell] = [r for r in rows if r["source_id"] == JT[0] and r["year"] == year]
    assert cell["status"] == "parsed" and cell["report_id"] == latest["id"]
    canned = jget(site, "/nianbao/completeness_matrix.json?" + urlencode({**YEARS, "_shape": "array"}))
    [row] = [r for r in canned if r["source_id"] == JT[0] and r["year"] == year]
    assert row["report_id"] == latest["id"]
    page = BeautifulSoup(get(site, "/-/completeness?" + urlencode(YEARS)).decode(), "html.parser")
    td = page.select_one(f'td[data-source="{JT[0]}"][data-year="{year}"]')
    assert td.a["href"] == f"/-/report/{latest['id']}"


@pytest.mark.parametrize("year", [2022, 2023])
def test_each_revision_lists_the_other_with_a_revision_diff(site, year) -> None:
    r1, r2 = series(site, year)
    diff_href = f"/-/diff?a={r1['id']}&b={r2['id']}"
    for this, other in ((r1, r2), (r2, r1)):
        page = BeautifulSoup(get(site, f"/-/report/{this['id']}").decode(), "html.parser")
        items = {li["data-revision"]: li for li in page.select("li.revision")}
        assert set(items) == {"1", "2"}, f"/-/report/{this['id']}"
        link = items[str(other["revision"])]
        assert link.find("a", href=f"/-/report/{other['id']}") is not None
        assert link.find("a", href=diff_href) is not None and "r1 → r2" in link.get_text()
        assert "本页 this page" in items[str(this["revision"])].get_text()
    # the superseded page names where the corrected reading lives
    page = get(site, f"/-/report/{r1['id']}").decode()
    assert r2["url"] in page and "非最新 superseded" in page


@pytest.mark.parametrize("year", [2022, 2023])
def test_the_revision_diff_shows_exactly_the_corrected_cells(site, year) -> None:
    r1, r2 = series(site, year)
    got = jget(site, f"/-/diff.json?a={r2['id']}&b={r1['id']}")  # either order: older on the left
    assert got["kind"] == "revision"
    assert [s["id"] for s in got["sides"]] == [r1["id"], r2["id"]]
    changed = {(c["table"], c["row"], c["col"]): (c["before"], c["after"]) for c in got["changes"]
               if c["status"] != "same"}
    records = site["shapes"].records
    assert set(changed) == CHANGED[year]
    for (table, row, col), (before, after) in changed.items():
        assert before == records[(year, "report")][table][row][col]
        assert after == records[(year, "corrected")][table][row][col]
    page = get(site, f"/-/diff?a={r1['id']}&b={r2['id']}").decode()
    assert 'data-kind="revision"' in page


def test_a_notice_listing_changed_cells_links_its_archived_copy(site) -> None:
    [report] = [r for r in series(site, 2021) if r["is_latest"]]
    page = BeautifulSoup(get(site, f"/-/report/{report['id']}").decode(), "html.parser")
    [link] = page.select("a.notice-snapshot")
    assert link["title"] == url_of(site, "2021_note")
    assert get(site, link["href"] + "?raw=1") == site["notice_bytes"]["2021_note"]  # the bytes the portal served
    review = BeautifulSoup(get(site, "/-/findings?code=correction_notice").decode(), "html.parser")
    assert [a["href"] for a in review.select("a.notice-snapshot")] == [link["href"]]


def test_the_short_province_name_filters_the_matrix(site) -> None:
    short = jget(site, "/-/completeness.json?" + urlencode({**YEARS, "province": "山东"}))
    full = jget(site, "/-/completeness.json?" + urlencode({**YEARS, "province": "山东省"}))
    assert short == full and {r["source_id"] for r in full} == {JT[0], SW[0]}
    with pytest.raises(urllib.error.HTTPError) as no_such:
        get(site, "/-/completeness.json?" + urlencode({**YEARS, "province": "湖北"}))
    assert no_such.value.code == 404
    answer = json.loads(no_such.value.read())
    assert "湖北省" in answer["error"] and answer["provinces"] == ["山东省"]


def test_a_source_never_reached_says_why_on_the_matrix(site) -> None:
    rows = [r for r in jget(site, "/-/completeness.json?" + urlencode(YEARS)) if r["source_id"] == SW[0]]
    assert [r["status"] for r in rows] == ["unreached"] * 3
    assert all(r["error_scope"] == "source" and r["reason"] and r["error_id"] for r in rows)
    page = BeautifulSoup(get(site, "/-/completeness?" + urlencode(YEARS)).decode(), "html.parser")
    td = page.select_one(f'td[data-source="{SW[0]}"][data-year="2022"]')
    assert rows[0]["reason"] in td.get_text() and td.a["href"] == f"/nianbao/crawl_errors/{rows[0]['error_id']}"


def test_handling_rates_takes_a_year(site) -> None:
    every = jget(site, "/nianbao/handling_rates.json?" + urlencode({"agency": JT[1], "_shape": "array"}))
    one = jget(site, "/nianbao/handling_rates.json?" + urlencode({"agency": JT[1], "year": "2022",
                                                                  "_shape": "array"}))
    assert sorted(r["year"] for r in every) == [2021, 2022, 2023]
    assert [r["year"] for r in one] == [2022]


def test_every_canned_query_is_described(site) -> None:
    queries = jget(site, "/-/metadata.json")["databases"]["nianbao"]["queries"]
    assert [name for name, q in queries.items() if not q.get("description")] == []


def test_the_words_a_correction_prints_before_its_report_are_searchable(site) -> None:
    """关于…的更正 says what was wrong (…数据有误，现予更正) before reprinting the report: a search for it
    finds the corrected revision, and its page shows those words."""
    corrected = series(site, 2023)[-1]
    for q in ("数据有误", "现予更正"):
        found = jget(site, "/nianbao/search_narrative.json?" + urlencode({"q": q, "_shape": "array"}))
        assert [(r["report_id"], r["version"]) for r in found] == [(corrected["id"], "latest")], q
        assert "preamble" in found[0]["sections"]
    page = BeautifulSoup(get(site, f"/-/report/{corrected['id']}").decode(), "html.parser")
    assert PREAMBLE in page.select_one("#section-preamble").find_next("div").get_text()
