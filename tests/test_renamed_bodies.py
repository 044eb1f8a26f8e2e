"""A body renamed in a reorganisation (机构改革) is one series: completeness, the diff and carry-over.

长沙市城市管理局 reported for 2021 and 2022 and 长沙市城市管理和综合执法局 (the registry's name) from 2023,
all in one source's column, which also lists another body's report (长沙市教育局).  The reports are
real-shaped text reports (b13a_02's, renamed and re-dated) read by the real parser; the archive is
served by a real Datasette.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from archive.completeness import completeness, matrix
from archive.renames import Rename, Seen, find_renames
from archive.reparse import reparse_all
from archive.store import Archive
from tests.support.datasette import DIRECT, served
from tests.support.dbrows import db_rows as query
from tests.support.responses import put_response

BASE = Path(__file__).parent / "fixtures" / "realworld" / (
    "b13a_02_shanwei_chengqu_2024_txt_narrative_no_review_at_all_disagrees.txt")
OLD, NEW, OTHER = "长沙市城市管理局", "长沙市城市管理和综合执法局", "长沙市教育局"
SITE = "http://127.0.0.1:9/cgj"
REGISTRY = f"""
- id: cgj
  name: {NEW}
  level: city
  kind: department
  region: {{province: 湖南省, city: 长沙市, county: null}}
  family: generic
  start_urls: ["{SITE}/"]
  first_year: 2021
"""


def report_text(agency: str, year: int) -> bytes:
    text = BASE.read_text(encoding="utf-8").replace("汕尾市城区人民政府", agency)
    return text.replace("2024", str(year)).encode("utf-8")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("renamed")
    arc = Archive(root)
    arc.start_run("test", ["cgj"])
    for n, (agency, year) in enumerate([(OLD, 2021), (OLD, 2022), (NEW, 2023), (NEW, 2024), (OTHER, 2021)]):
        url = f"{SITE}/ndbg/{year}_{n}.txt"
        arc.record_document("cgj", url, "report", year=year)
        put_response(arc, url, report_text(agency, year), f"2025-03-0{n + 1}T00:00:00Z", "text/plain; charset=utf-8",
                     source_id="cgj")
    arc.close()
    registry = root / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    stats = reparse_all(root, sources=registry)
    assert stats["renamed_bodies"] == 1
    return root



def test_the_rename_is_recorded_once(data: Path) -> None:
    rows = query(data, "SELECT source_id, agency, renamed_to, province, city, county, last_year, first_year"
                       " FROM renamed_bodies")
    assert rows == [{"source_id": "cgj", "agency": OLD, "renamed_to": NEW, "province": "湖南省", "city": "长沙市",
                     "county": None, "last_year": 2022, "first_year": 2023}]
    # the reports keep the names they print
    assert {(r["agency"], r["year"]) for r in query(data, "SELECT agency, year FROM reports")} == {
        (OLD, 2021), (OLD, 2022), (NEW, 2023), (NEW, 2024), (OTHER, 2021)}


def test_completeness_counts_the_former_name_as_the_body(data: Path) -> None:
    conn = sqlite3.connect(data / "nianbao.db")
    try:
        grid = matrix(completeness(conn, 2021, 2024))[1]["cgj"]
    finally:
        conn.close()
    assert {y: (c["status"], c["documents"], c["parsed"]) for y, c in grid.items()} == dict.fromkeys(
        range(2021, 2025), ("parsed", 1, 1))
    assert [grid[y]["reported_as"] for y in range(2021, 2025)] == [OLD, OLD, None, None]
    # another body's report in the column stays another body's
    assert (grid[2021]["other_documents"], grid[2021]["other_agencies"]) == (1, OTHER)


def test_carry_over_is_checked_across_the_rename(data: Path) -> None:
    # b13a_02 carries 8 forward and 3 over: every year pair disagrees, the renamed one too
    found = query(data, "SELECT r.agency, r.year, f.printed, f.implied, f.message FROM findings f JOIN reports r"
                        " ON r.id = f.report_id WHERE f.code = 'carry_over' AND f.cells LIKE '%.total\"]'")
    assert {(f["agency"], f["year"], f["printed"], f["implied"]) for f in found} == {
        (OLD, 2022, 3, 8), (NEW, 2023, 3, 8), (NEW, 2024, 3, 8)}
    assert "2022" in next(f["message"] for f in found if f["year"] == 2023)


def test_diff_across_the_rename_and_page_names_both(data: Path) -> None:
    with served(data) as base:
        def get(path: str) -> tuple[int, bytes]:
            try:
                with DIRECT.open(base + path, timeout=30) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as err:
                return err.code, err.read()

        status, body = get("/-/diff.json?" + urlencode({"agency": NEW, "from": 2022, "to": 2023}))
        out = json.loads(body)
        assert status == 200, out
        assert (out["kind"], out["renamed"]) == ("year", True)
        assert [(s["agency"], s["year"]) for s in out["sides"]] == [(OLD, 2022), (NEW, 2023)]
        # the former name finds the later years too, and the body's years are the whole series
        status, body = get("/-/diff.json?" + urlencode({"agency": OLD}))
        assert status == 200 and json.loads(body)["years"] == [2021, 2022, 2023, 2024]
        status, page = get("/-/diff?" + urlencode({"agency": NEW, "from": 2022, "to": 2023}))
        assert status == 200 and "同一机关更名" in page.decode() and "两个不同机关" not in page.decode()
        status, page = get("/-/completeness?first_year=2021&last_year=2024")
        assert status == 200 and f"时称 then named: {OLD}" in page.decode()
        # the 2023 report's page lists the former name's years, and its carry-over finding links to 2022's
        ids = {r["year"]: r["id"] for r in query(data, "SELECT id, year FROM reports WHERE agency IN (?, ?)", OLD, NEW)}
        status, page = get(f"/-/report/{ids[2023]}")
        assert status == 200 and f'href="/-/report/{ids[2022]}"' in page.decode() and OLD in page.decode()
        status, body = get("/-/findings.json?" + urlencode({"agency": NEW, "code": "carry_over"}))
        carried = [f for f in json.loads(body) if f["year"] == 2023]
        assert carried and {f["previous"]["report_id"] for f in carried} == {ids[2022]}
        # and each report is linked under the name it was printed with, not the body's later one
        assert {f["previous"]["agency"] for f in carried} == {OLD}
        status, page = get("/-/findings?" + urlencode({"agency": NEW, "code": "carry_over"}))
        links = [a for a in BeautifulSoup(page.decode(), "html.parser").select("a.previous-report")
                 if a["href"].startswith(f"/-/report/{ids[2022]}")]
        assert status == 200 and links and all(a.get_text().startswith(f"{OLD} 2022") for a in links)
        # another body is still another body
        status, body = get("/-/diff.json?" + urlencode({"agency": OTHER, "from": 2021, "to": 2023}))
        assert status == 404


# ---- the rule itself, on the reports it is given ------------------------------------------------

PLACE = ("湖南省", "长沙市", None)


def seen(agency: str, year: int, source: str = "cgj", place=PLACE, kind="department", level="市") -> Seen:
    return Seen(source, agency, year, place, kind, level)


def test_rule_joins_one_renamed_body() -> None:
    reports = [seen(OLD, 2021), seen(OLD, 2022), seen(NEW, 2023)]
    assert find_renames(reports, {"cgj": NEW}) == [Rename("cgj", OLD, NEW, PLACE, 2022, 2023)]
    # a registry that still names the old body: the later name is its renamed self
    assert find_renames(reports, {"cgj": OLD}) == [Rename("cgj", OLD, NEW, PLACE, 2022, 2023)]


@pytest.mark.parametrize("reports, why", [
    ([seen(OLD, 2021), seen(OLD, 2023), seen(NEW, 2023)], "both report in 2023"),
    ([seen(OLD, 2021), seen(NEW, 2023), seen(OLD, 2023, source="old-site")], "both report in 2023, elsewhere"),
    ([seen(OLD, 2021), seen(NEW, 2022), seen(OLD, 2023)], "years interleave: no one-way rename"),
    ([seen(OLD, 2021, place=("湖南省", "株洲市", None)), seen(NEW, 2023)], "another place"),
    ([seen(OLD, 2021, kind="government"), seen(NEW, 2023)], "another kind"),
    ([seen(OLD, 2021), seen(NEW, 2023, kind=None), seen(NEW, 2024, kind=None)], "kind unknown"),
    ([seen(OTHER, 2021), seen(NEW, 2023)], "no word of their own in common (教育局 vs 城市管理…)"),
    ([seen("长沙市城市管理委员会", 2020), seen(OLD, 2021), seen(NEW, 2023)], "two candidates"),
    ([seen(OLD, 2021), seen("长沙市城市管理和综合执法局", 2023, source="elsewhere")], "the names are in two sources"),
])
def test_rule_never_joins(reports: list[Seen], why: str) -> None:
    assert find_renames(reports, {"cgj": NEW, "old-site": OLD, "elsewhere": NEW}) == [], why
