"""What a reader sees on every Datasette page, checked the way they would look at it.

One small archive (two seed reports as archived text, one of them re-published with a changed number,
and a 汇编 PDF of four bodies' reports) parsed and served by `nianbao serve`.  Over HTTP: every page
says what it is in its <title> and first heading (and that it is in zh-CN), every link of the site's own answers, every table
sits in a box that scrolls, a too-short search says where to search instead, a report out of a 汇编
names the other bodies in it.  In chromium (the real browser): Chinese is drawn in a Simplified
Chinese face, numbers are right-aligned, and no page scrolls sideways on a 390 px phone.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from archive.reparse import reparse_all
from archive.store import Archive
from tests.support.datasette import served
from tests.support.responses import put_response

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
BUNDLE = Path(__file__).parent / "fixtures" / "bundles" / "01_pingyin_county_2023_departments.pdf"
SITE = "http://127.0.0.1:9/look"


def _archive(root: Path) -> None:
    arc = Archive(root)
    changle = (SEEDS / "003_cdec267326b5e6a9.txt").read_bytes()
    liaocheng = (SEEDS / "000_8ed2ea85f6f5d4e7.txt").read_bytes()
    pages = {f"{SITE}/changle-2023.txt": changle, f"{SITE}/liaocheng-police-2024.txt": liaocheng,
             f"{SITE}/bundle.pdf": BUNDLE.read_bytes()}
    # the second crawl finds the 昌乐 report corrected in place: a new revision of the same document
    corrected = changle.replace("行政许可\t7476".encode(), "行政许可\t7467".encode())
    assert corrected != changle
    for n, changed in enumerate(({}, {f"{SITE}/changle-2023.txt": corrected})):
        run = arc.start_run("test", ["look"])
        for url, body in {**pages, **changed}.items():
            arc.record_document("look", url, "report", title=url.rsplit("/", 1)[-1])
            ctype = "application/pdf" if url.endswith(".pdf") else "text/plain; charset=utf-8"
            put_response(arc, url, body, f"2025-0{2 + n}-01T00:00:00Z", ctype, source_id="look")
        arc.finish_run(run, {})
    reparse_all(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("pages-look")
    _archive(root)
    conn = sqlite3.connect(root / "nianbao.db")
    conn.row_factory = sqlite3.Row
    reports = [dict(r) for r in conn.execute(
        "SELECT r.id, r.agency, r.year, r.revision, r.is_latest, r.part, r.findings_count,"
        " (SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.inferred) AS inferred FROM reports r")]
    snapshot = conn.execute("SELECT id FROM snapshots ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    with served(root) as base:
        yield {"base": base, "reports": reports, "snapshot": snapshot}


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, resp.headers.get("content-type", ""), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("content-type", ""), err.read()


def pages(site: dict) -> dict[str, str]:
    """Every kind of page a reader opens: Datasette's own, the canned queries, the report pages."""
    reports = site["reports"]
    with_findings = next(r for r in reports if r["findings_count"] and r["is_latest"])
    revised = next(r for r in reports if r["revision"] == 2 and not r["part"])
    older = next(r for r in reports if r["revision"] == 1 and r["agency"] == revised["agency"] and not r["part"])
    part = next(r for r in reports if r["part"] == 2 and r["is_latest"])
    q = quote(with_findings["agency"])
    out = {
        "home": "/", "database": "/nianbao",
        **{f"table {t}": f"/nianbao/{t}" for t in ("reports", "cells", "findings", "sections", "documents",
                                                   "snapshots", "sources", "fetches", "crawl_runs")},
        "row": f"/nianbao/reports/{with_findings['id']}",
        "report with findings": f"/-/report/{with_findings['id']}",
        "report r1": f"/-/report/{older['id']}", "report r2": f"/-/report/{revised['id']}",
        "report in a 汇编": f"/-/report/{part['id']}",
        "diff form": "/-/diff", "diff agency": f"/-/diff?agency={q}",
        "diff revisions": f"/-/diff?a={older['id']}&b={revised['id']}",
        "completeness": "/-/completeness", "findings": "/-/findings", "findings page 2": "/-/findings?size=1&page=2",
        "snapshot info": f"/-/snapshot/{site['snapshot']}/info",
        "search": "/nianbao/sections?_search=" + quote("政府信息公开"),
    }
    status, _, body = cached(site["base"] + "/nianbao.json")
    assert status == 200
    for query in json.loads(body)["queries"]:
        out[f"query {query['name']}"] = f"/nianbao/{query['name']}"
    return out


_SEEN: dict[str, tuple[int, str, bytes]] = {}


def cached(url: str) -> tuple[int, str, bytes]:
    """Pages are read once for the module (the server's answers do not change between the tests)."""
    if url not in _SEEN:
        _SEEN[url] = get(url)
    return _SEEN[url]


def soup(site: dict, path: str, status: int = 200) -> BeautifulSoup:
    return _parsed(site["base"], path, status)


@functools.cache
def _parsed(base: str, path: str, status: int) -> BeautifulSoup:
    got, _, body = cached(base + path)
    assert got == status, path
    return BeautifulSoup(body.decode("utf-8"), "lxml")


def test_every_page_says_what_it_is_in_its_title_and_first_heading(site: dict) -> None:
    for name, path in pages(site).items():
        page = soup(site, path)
        title = page.title.get_text(strip=True) if page.title else ""
        assert title, name
        assert page.html.get("lang") == "zh-CN", name  # the page says its language is Simplified Chinese
        assert page.find("h1") and page.find("h1").get_text(strip=True), name
        if name.startswith("query "):  # a canned query's tab is named by its title, not its SQL
            assert not title.lower().split(": ", 1)[-1].startswith(("select", "with")), (name, title)
            assert page.select_one("pre#sql-query") is None or "show" in page.get_text(), name  # results come first
    for r in site["reports"]:
        title = soup(site, f"/-/report/{r['id']}").title.get_text()
        assert r["agency"] in title and str(r["year"]) in title
        assert ("superseded" in title) == (not r["is_latest"])  # two revisions' tabs are told apart
    for missing in ("/-/report/nosuch", "/nianbao/nosuchtable", "/nosuch"):
        assert soup(site, missing, 404).title.get_text(strip=True)


def test_every_link_of_the_site_answers(site: dict) -> None:
    base = site["base"]
    links: dict[str, tuple[str, str, str]] = {}
    for name, path in pages(site).items():
        page = soup(site, path)
        here = base + path
        base_tag = page.find("base", href=True)
        ids = {t["id"] for t in page.find_all(id=True)}
        for a in page.find_all("a", href=True):
            url = urljoin(base_tag["href"] if base_tag else here, a["href"])
            if urlparse(url).netloc != urlparse(base).netloc:
                continue  # the original portals: not this site's links
            if urlparse(url).fragment and url.split("#")[0] == here:
                assert urlparse(url).fragment in ids, (name, a["href"])  # an in-page jump lands somewhere
                continue
            url = url.split("#")[0]
            if url.endswith("/nianbao.db"):
                continue  # the whole database download
            links.setdefault(url, (name, a["href"], a.get_text(" ", strip=True)))
    with ThreadPoolExecutor(8) as pool:  # ~1,000 links (every sort, facet and page link of the tables)
        answers = dict(zip(links, pool.map(lambda u: cached(u)[0], links), strict=True))
    assert len(answers) > 50
    assert [(links[u], status) for u, status in answers.items() if status != 200] == []


def test_every_table_sits_in_a_box_that_scrolls(site: dict) -> None:
    """A phone shows a wide table by scrolling the table, not the page (Datasette's .table-wrapper,
    our .nb-scroll; the CSS of both is checked in the browser test below)."""
    for name, path in pages(site).items():
        for table in soup(site, path).find_all("table"):
            box = table.find_parent(class_=["nb-scroll", "table-wrapper"])
            assert box is not None, (name, table.get("class"))


def test_a_too_short_search_says_where_to_search_instead(site: dict) -> None:
    page = soup(site, "/nianbao/sections?_search=" + quote("公开"))
    note = page.select_one(".nb-short-search")
    assert note is not None and "三个字" in note.get_text()
    link = note.find("a", href=lambda h: "search_narrative" in h)
    found = soup(site, link["href"])
    assert "公开" in found.select_one("table.rows-and-columns").get_text()  # and there it finds the word
    assert soup(site, "/nianbao/sections?_search=" + quote("政府信息公开")).select_one(".nb-short-search") is None


def test_the_tie_break_note_shows_only_on_a_page_the_reader_sorted(site: dict) -> None:
    assert soup(site, "/nianbao/sections").select_one(".nb-sort-note") is None
    assert soup(site, "/nianbao/reports?_sort=agency").select_one(".nb-sort-note") is not None


def test_a_report_out_of_a_compilation_names_the_other_bodies_in_it(site: dict) -> None:
    parts = sorted((r for r in site["reports"] if r["part"] and r["is_latest"]), key=lambda r: r["part"])
    assert len(parts) == 4
    note = soup(site, f"/-/report/{parts[1]['id']}").select_one("p.bundle")
    assert note is not None and "2" in note.get_text() and "4" in note.get_text()
    links = {a["href"] for a in note.find_all("a")}
    assert links == {f"/-/report/{r['id']}" for r in parts if r is not parts[1]}


def test_a_findings_cell_links_name_their_cells(site: dict) -> None:
    r = next(r for r in site["reports"] if r["findings_count"] and r["is_latest"])
    page = soup(site, f"/-/report/{r['id']}")
    links = page.select("li.finding a.cell-link")
    assert links
    for a in links:
        assert a.get_text() != "[单元格]" and page.find(id=a["href"][1:]) is not None


# ---------------------------------------------------------------- in the browser

PROBE = """() => {
  const vw = document.documentElement.clientWidth;
  const right = [...document.querySelectorAll('td.num, td.type-int, td.type-float, td.col-new_received_total')]
    .filter(td => td.innerText.trim() !== '').map(td => getComputedStyle(td).textAlign);
  return {sideways: document.documentElement.scrollWidth - vw, right};
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield b
        finally:
            b.close()


def _fonts(page, selector: str) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]


def test_in_the_browser_chinese_numbers_and_phone_width_look_right(site: dict, browser) -> None:
    all_pages = pages(site)
    report = all_pages["report with findings"]
    wide = browser.new_page(viewport={"width": 1366, "height": 900})
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for path in ("/", report, "/nianbao/reports", "/-/findings"):
            wide.goto(site["base"] + path)
            fonts = _fonts(wide, "h1")
            assert fonts and not any("JP" in f or "KR" in f or "TC" in f for f in fonts), (path, fonts)
        for path in (report, "/nianbao/reports", "/nianbao/handling_rates?agency="):
            wide.goto(site["base"] + path)
            aligned = wide.evaluate(PROBE)["right"]
            assert aligned and set(aligned) == {"right"}, (path, aligned)
        for name, path in all_pages.items():
            phone.goto(site["base"] + path)
            assert phone.evaluate(PROBE)["sideways"] <= 1, name  # the page never scrolls sideways
    finally:
        wide.close()
        phone.close()
