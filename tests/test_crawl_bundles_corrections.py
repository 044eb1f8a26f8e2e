"""A 年报 column holding what is not one body's one report (tests/portal/homes_bundles.py): a correction
notice reprinting the whole report, one listing only the changed cells, one article with a file per
year, and a township compilation titled by its group.

Crawled by the real crawl, re-parsed, then checked as a user would read the archive: every archived report
document is a report (or a note on one), the body's latest reading is the corrected one, each year of the
two-year article and each town of the compilation is a report of its own, nothing is a failure, and the
look-alikes are not fetched as reports.
"""

from __future__ import annotations

import json

import pytest

from archive.reparse import reparse_all
from tests.portal.homes_bundles import BQ, CAIZHENG, MINZHENG, SHICHANG, TOWNS, ShapesBundles
from tests.support.crawls import crawled_portals


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-bundles"), ShapesBundles.start) as done:
        reparse_all(done.data)
        yield done


def _latest(crawled, agency: str, year: int) -> list:
    return crawled.conn.execute("SELECT * FROM reports WHERE agency = ? AND year = ? AND is_latest = 1",
                                (agency, year)).fetchall()


def _new_received(record: dict) -> int:
    return record["applications"]["new_received"]["total"]


def test_the_columns_items_are_fetched_by_what_they_are(crawled) -> None:
    base = crawled.shapes.bases[BQ[0]]
    kinds = {r["url"].removeprefix(base): r["kind"] for r in crawled.conn.execute(
        "SELECT url, kind FROM documents WHERE kind != 'attachment'")}
    arts = crawled.shapes.articles
    assert {role: kinds.get(path) for role, path in arts.items()} == {
        "minzheng": "report", "minzheng_correction": "correction", "caizheng": "report",
        "caizheng_correction": "correction", "two_years": "report", "compilation": "report",
        "infographic": None, "budget": None}


def test_a_correction_reprinting_the_report_is_its_latest_revision(crawled) -> None:
    [row] = _latest(crawled, MINZHENG, 2023)
    corrected = crawled.shapes.records[(MINZHENG, 2023, "correction")]
    original = crawled.shapes.records[(MINZHENG, 2023, "report")]
    assert _new_received(corrected) != _new_received(original)  # (the seeds differ: a real correction)
    assert row["revision"] == 2 and row["new_received_total"] == _new_received(corrected)
    assert json.loads(row["record"])["applications"] == corrected["applications"]
    older = crawled.conn.execute("SELECT * FROM reports WHERE agency = ? AND year = 2023 AND is_latest = 0",
                                 (MINZHENG,)).fetchall()
    assert [r["new_received_total"] for r in older] == [_new_received(original)]


def test_a_correction_listing_only_changed_cells_is_a_note_on_the_report_not_a_revision(crawled) -> None:
    [row] = _latest(crawled, CAIZHENG, 2023)
    original = crawled.shapes.records[(CAIZHENG, 2023, "report")]
    assert row["revision"] == 1 and row["new_received_total"] == _new_received(original)
    notes = crawled.conn.execute("SELECT message FROM findings WHERE report_id = ? AND code = 'correction_notice'",
                                 (row["id"],)).fetchall()
    base = crawled.shapes.bases[BQ[0]]
    assert len(notes) == 1 and base + crawled.shapes.articles["caizheng_correction"] in notes[0]["message"]
    # (the seed's own findings, if any, are the report's; no other report carries the note)
    assert crawled.conn.execute("SELECT count(*) FROM findings WHERE code = 'correction_notice'").fetchone()[0] == 1


def test_one_article_with_a_file_per_year_gives_each_year_its_report(crawled) -> None:
    for year in (2022, 2023):
        [row] = _latest(crawled, SHICHANG, year)
        assert row["new_received_total"] == _new_received(crawled.shapes.records[(SHICHANG, year, "report")])


def test_a_compilation_titled_by_its_group_gives_each_town_its_report(crawled) -> None:
    for k, town in enumerate(TOWNS, 1):
        [row] = _latest(crawled, town, 2023)
        assert row["part"] == k
        assert row["new_received_total"] == _new_received(crawled.shapes.records[(town, 2023, "compilation")])
    assert not crawled.conn.execute("SELECT 1 FROM reports WHERE agency LIKE '%各乡镇%' OR agency = ?",
                                    (BQ[1],)).fetchall()


def test_nothing_is_a_failure_or_doubled(crawled) -> None:
    assert crawled.conn.execute("SELECT url, reason FROM parse_failures").fetchall() == []
    latest = crawled.conn.execute("SELECT agency, year FROM reports WHERE is_latest = 1").fetchall()
    assert sorted((r["agency"], r["year"]) for r in latest) == sorted(
        [(MINZHENG, 2023), (CAIZHENG, 2023), (SHICHANG, 2022), (SHICHANG, 2023)] + [(t, 2023) for t in TOWNS])
