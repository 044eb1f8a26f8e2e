"""The completeness matrix over the whole source registry: not crawled, missing, found, parsed.

The registry reaches nianbao.db through `nianbao parse` (the `sources` table), so the matrix
and the /-/completeness page list sources no crawl has reached yet.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from archive.completeness import completeness, matrix
from archive.reparse import reparse_all
from tests.support.datasette import served
from tests.test_reparse import build_archive, stand_in_parse

ENTRY = """
- id: {id}
  name: {name}
  level: county
  kind: department
  region: {{province: 山东省, city: 潍坊市, county: 昌乐县}}
  family: generic
  start_urls: ["http://127.0.0.1:9/{id}/"]
"""


def write_registry(path: Path, entries: list[tuple[str, str]]) -> Path:
    path.write_text("".join(ENTRY.format(id=i, name=n) for i, n in entries), encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """build_archive's source `s1` (2024: reports parsed, one failed, one not fetched), a crawled
    source with nothing found (`quiet`), one crawled outside the registry (`extra`), and a
    registry listing `never-seen` (no crawl reached it) before `s1` and `quiet`."""
    root = build_archive(tmp_path / "data")
    conn = sqlite3.connect(root / "nianbao.db")
    with conn:
        conn.execute("INSERT INTO crawl_run_sources (run_id, source_id, pages) VALUES"
                     " ('r1', 'quiet', 3), ('r1', 'extra', 1), ('r1', 's1', 9)")
        # quiet's and extra's column pages answered, listing nothing
        conn.execute("INSERT INTO fetches (run_id, url, status, source_id) VALUES"
                     " ('r1', 'http://127.0.0.1:9/quiet/', 200, 'quiet'),"
                     " ('r1', 'http://127.0.0.1:9/extra/', 304, 'extra')")
    conn.close()
    registry = write_registry(tmp_path / "sources.yaml",
                              [("never-seen", "昌乐县统计局"), ("s1", "A市人民政府"), ("quiet", "昌乐县水利局")])
    stats = reparse_all(root, stand_in_parse, sources=registry)
    assert stats["sources"] == 3
    return root


def grid_of(root: Path, first: int = 2019, last: int = 2024) -> tuple[list[dict], dict]:
    conn = sqlite3.connect(root / "nianbao.db")
    try:
        rows = completeness(conn, first, last)
    finally:
        conn.close()
    return rows, matrix(rows)[1]


def test_a_portal_no_crawl_could_reach_is_unreached_not_missing(tmp_path: Path) -> None:
    """A portal that refused every connection (or answered only errors, or a JS challenge) was
    crawled but never seen: `unreached` every year, not `missing` — a journalist counting bodies that
    published nothing must not count a portal that was down.  Its robots.txt answering proves nothing
    about its column.  Once one of its pages answers, an empty year is `missing` again."""
    root = build_archive(tmp_path / "data")
    conn = sqlite3.connect(root / "nianbao.db")
    with conn:
        conn.execute("INSERT INTO crawl_run_sources (run_id, source_id, pages, errors) VALUES ('r1', 'down', 0, 1)")
        conn.execute("INSERT INTO fetches (run_id, url, status, source_id) VALUES"
                     " ('r1', 'http://127.0.0.1:9/robots.txt', 200, 'down'),"
                     " ('r1', 'http://127.0.0.1:9/down/', 412, 'down')")
        conn.execute("INSERT INTO crawl_errors (run_id, source_id, url, reason) VALUES"
                     " ('r1', 'down', 'http://127.0.0.1:9/down/', 'blocked: js challenge')")
    conn.close()
    registry = write_registry(tmp_path / "sources.yaml", [("down", "昌乐县林业局")])
    reparse_all(root, stand_in_parse, sources=registry)
    assert {c["status"] for c in grid_of(root)[1]["down"].values()} == {"unreached"}
    conn = sqlite3.connect(root / "nianbao.db")
    with conn:
        conn.execute("INSERT INTO fetches (run_id, url, status, source_id) VALUES"
                     " ('r2', 'http://127.0.0.1:9/down/', 200, 'down')")
    conn.close()
    assert {c["status"] for c in grid_of(root)[1]["down"].values()} == {"missing"}


def test_every_registry_source_gets_a_row_for_every_year(data: Path) -> None:
    rows, grid = grid_of(data)
    # registry order first, then crawled sources the registry does not list
    assert list(grid) == ["never-seen", "s1", "quiet", "extra"]
    assert {y: c["status"] for y, c in grid["never-seen"].items()} == dict.fromkeys(range(2019, 2025), "not-crawled")
    assert {c["status"] for c in grid["quiet"].values()} == {"missing"}
    assert grid["s1"][2024]["status"] == "parsed" and grid["s1"][2024]["report_id"]
    assert {grid["s1"][y]["status"] for y in range(2019, 2024)} == {"missing"}
    assert grid["never-seen"][2020]["name"] == "昌乐县统计局"
    assert [r["in_registry"] for r in rows if r["year"] == 2024] == [1, 1, 1, 0]


def test_years_before_a_sources_first_expected_year_are_not_expected(data: Path, tmp_path: Path) -> None:
    """A body set up in 2022 owes no report for 2019-2021: its registry entry says `first_year: 2022`."""
    registry = write_registry(tmp_path / "with-first-year.yaml",
                              [("never-seen", "昌乐县统计局"), ("s1", "A市人民政府"), ("quiet", "昌乐县水利局")])
    text = registry.read_text(encoding="utf-8").replace(
        "start_urls: [\"http://127.0.0.1:9/never-seen/\"]",
        "start_urls: [\"http://127.0.0.1:9/never-seen/\"]\n  first_year: 2022")
    registry.write_text(text, encoding="utf-8")
    reparse_all(data, stand_in_parse, sources=registry)
    _, grid = grid_of(data)
    assert sorted(grid["never-seen"]) == [2022, 2023, 2024]
    assert sorted(grid["quiet"]) == list(range(2019, 2025))


def test_registry_survives_a_reparse_and_is_replaced_by_a_new_one(data: Path, tmp_path: Path) -> None:
    reparse_all(data, stand_in_parse)  # no registry given: the recorded one stays
    assert list(grid_of(data)[1]) == ["never-seen", "s1", "quiet", "extra"]
    smaller = write_registry(tmp_path / "smaller.yaml", [("s1", "A市人民政府")])
    reparse_all(data, stand_in_parse, sources=smaller)
    _, grid = grid_of(data)
    assert list(grid) == ["s1", "extra", "quiet"]  # crawled sources stay, now outside the registry
    assert "never-seen" not in grid


def test_without_a_registry_only_crawled_sources_are_listed(tmp_path: Path) -> None:
    root = build_archive(tmp_path / "data")
    reparse_all(root, stand_in_parse)
    _, grid = grid_of(root)
    assert list(grid) == ["s1"]
    assert "not-crawled" not in {c["status"] for c in grid["s1"].values()}


# ---------------------------------------------------------------- the page a researcher opens

@pytest.fixture
def site(data: Path) -> Iterator[str]:
    with served(data) as base:
        yield base


def test_completeness_page_shows_not_crawled_missing_and_report_links(site: str) -> None:
    with urllib.request.urlopen(site + "/-/completeness?last_year=2024", timeout=30) as resp:
        page = BeautifulSoup(resp.read().decode("utf-8"), "html.parser")
    cells = {(td["data-source"], int(td["data-year"])): td for td in page.select("td[data-status]")}
    assert {s for s, _ in cells} == {"never-seen", "s1", "quiet", "extra"}
    never = cells[("never-seen", 2021)]
    assert never["data-status"] == "not-crawled" and never.get_text(strip=True) == "not crawled"
    assert never.find("a") is None
    assert cells[("quiet", 2024)]["data-status"] == "missing"
    link = cells[("s1", 2024)].find("a")
    assert cells[("s1", 2024)]["data-status"] == "parsed" and link["href"].startswith("/-/report/")
    labels = {tr["data-source"]: tr.select_one("td.rowlabel").get_text(" ", strip=True)
              for tr in page.select("tr[data-source]")}
    assert "昌乐县统计局" in labels["never-seen"]
    assert "not in registry" in labels["extra"] and "not in registry" not in labels["quiet"]
    with urllib.request.urlopen(site + "/nianbao/sources.json?_shape=array", timeout=30) as resp:
        registry = json.load(resp)
    assert [r["id"] for r in registry] == ["never-seen", "s1", "quiet"]


def page(site: str, query: str = "") -> tuple[int, BeautifulSoup]:
    try:
        with urllib.request.urlopen(site + "/-/completeness" + query, timeout=30) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read()
    return status, BeautifulSoup(body.decode("utf-8"), "html.parser")


def shown(soup: BeautifulSoup) -> set[str]:
    return {tr["data-source"] for tr in soup.select("tr[data-source]")}


def test_completeness_page_narrows_to_a_province_and_years_by_its_own_form(data: Path, tmp_path: Path) -> None:
    """A researcher of one province picks it (and a range of years) on the page itself; the JSON
    link follows the choice.  `s1` is registered in 河南省, the two others in 山东省."""
    registry = write_registry(tmp_path / "two-provinces.yaml",
                              [("never-seen", "昌乐县统计局"), ("s1", "A市人民政府"), ("quiet", "昌乐县水利局")])
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- id: s1\n  name: A市人民政府\n  level: county\n  kind: department\n  region: {province: 山东省",
        "- id: s1\n  name: A市人民政府\n  level: county\n  kind: department\n  region: {province: 河南省"),
        encoding="utf-8")
    reparse_all(data, stand_in_parse, sources=registry)
    with served(data) as site:
        status, whole = page(site, "?last_year=2024")
        assert status == 200 and shown(whole) == {"never-seen", "s1", "quiet", "extra"}
        form = whole.select_one('form[action="/-/completeness"]')
        choices = [o.get_text(strip=True) for o in form.select('select[name="province"] option') if o.get("value") != ""]
        assert choices == ["山东省", "河南省"]  # the registry's provinces, in its order
        assert {i["name"] for i in form.select("input[name]")} == {"first_year", "last_year"}

        status, shandong = page(site, "?" + urlencode({"province": "山东省", "first_year": 2023, "last_year": 2024}))
        assert status == 200 and shown(shandong) == {"never-seen", "quiet"}
        assert {int(td["data-year"]) for td in shandong.select("td[data-status]")} == {2023, 2024}
        assert shandong.select_one('select[name="province"] option[selected]').get_text(strip=True) == "山东省"
        json_link = shandong.find("a", string="JSON")["href"]
        with urllib.request.urlopen(site + json_link, timeout=30) as resp:
            rows = json.load(resp)
        assert {(r["source_id"], r["year"]) for r in rows} == {(s, y) for s in ("never-seen", "quiet") for y in (2023, 2024)}

        status, henan = page(site, "?" + urlencode({"province": "河南省", "last_year": 2024}))
        assert shown(henan) == {"s1"}
        assert henan.select_one('td[data-source="s1"][data-year="2024"]')["data-status"] == "parsed"

        # the short name is the province (as rates_per_report's filter takes it): desk23 C1 found 河南 an empty page
        status, short = page(site, "?" + urlencode({"province": "河南", "last_year": 2024}))
        assert status == 200 and shown(short) == {"s1"}
        assert short.select_one('select[name="province"] option[selected]').get_text(strip=True) == "河南省"
        status, nowhere = page(site, "?" + urlencode({"province": "湖北"}))  # no registry source there
        assert status == 200 and not shown(nowhere) and "choose a province" in nowhere.get_text()

        for bad in ("first_year=20x4", "last_year=99999", "first_year=2024&last_year=2020"):
            status, soup = page(site, "?" + bad)
            assert status == 400 and bad.split("=")[0] in soup.select_one(".message-error").get_text(), bad
            try:
                urllib.request.urlopen(site + "/-/completeness.json?" + bad, timeout=30)
                raise AssertionError(f"{bad}: the JSON answered 200")
            except urllib.error.HTTPError as err:
                assert err.code == 400 and bad.split("=")[0] in json.loads(err.read())["error"]


@pytest.mark.parametrize(("registered", "agency", "own"), [
    ("青石县人民政府", "青石县人民政府", True),
    ("青石县人民政府", "青石县政府", True),  # 人民 left out
    ("青石县人民政府", "青石县人民政府办公室", True),  # the office that publishes for the government
    ("青石县人民政府", "青石县", True),
    ("聊城市公安局", "山东省聊城市公安局", True),  # a region prefix on one side
    ("青石县人民政府", "青石县公安局", False),  # a department listed on the county portal
    ("青石县人民政府", "青石县交通运输局", False),
    ("聊城市人民政府", "聊城市公安局", False),
    ("聊城市公安局", "淄博市公安局", False),
    ("青石县人民政府", None, True),  # nothing to tell them apart by
    # a joint report is each named body's own: the second body printed without its place too
    ("青石县人民政府", "青石县人民政府及县政府办公室", True),
    ("青石县人民政府办公室", "青石县人民政府及县政府办公室", True),
    ("青石县人民政府", "青石县人民政府及其办公室", True),
    ("聊城市大数据局", "聊城市人民政府办公室和市大数据局", True),
    ("聊城市医疗保障局", "聊城市人力资源和社会保障局和聊城市医疗保障局", True),
    ("聊城市粮食和物资储备局", "聊城市发展和改革委员会与聊城市粮食和物资储备局", True),
    ("青石县人民政府", "中共青石县委办公室和青石县人民政府办公室", True),
    ("青石县人民政府", "青石县人民政府、县政府办公室", True),
    ("青石县人民政府", "青石县财政局和县审计局", False),  # two departments: neither is the government
    # a 和 inside one body's name splits nothing
    ("聊城市住房和城乡建设局", "聊城市住房和城乡建设局", True),
    ("聊城市城乡建设局", "聊城市住房和城乡建设局", False),
    ("聊城市社会保障局", "聊城市人力资源和社会保障局", False),
    # a body that also goes by a second name in brackets (挂牌) is its first name, printed either way
    ("泰安市文化和旅游局", "泰安市文化和旅游局（泰安市文物局）", True),
    ("泰安市文化和旅游局（泰安市文物局）", "泰安市文化和旅游局", True),
    ("泰安市文物局", "泰安市文化和旅游局（泰安市文物局）", False),  # the second name is no registry row of its own
])
def test_a_report_is_the_sources_own_when_its_agency_names_the_registered_body(
        registered: str, agency: str | None, own: bool) -> None:
    from archive.completeness import is_own_report
    assert bool(is_own_report(registered, agency)) is own
