"""hostile22's crawl findings, on a real server on 127.0.0.1 crawled by the real crawl (and chromium):

- a report a 年报 list names whose page answers 500 for ever is `unreached` in the completeness matrix,
  with the reason and its crawl_errors row, never `missing` (已抓取未发现: "the body did not publish");
- a column whose 下一页 goes on for ever stops at NIANBAO_MAX_LIST_PAGES with a `note:` row naming the
  column and the cap (shown by `nianbao status`), and one whose pages repeat stops at the first repeat;
- a JS challenge that reloads for ever without passing is asked for a bounded number of times, `blocked`.

Checked as a user would: what the server saw, the archive's rows, `nianbao status`, the Datasette page.
"""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from archive.completeness import completeness
from crawler.middlewares import CHALLENGE_RELOADS
from crawler.monitor import health
from crawler.run import crawl
from tests.portal import hostile19
from tests.support.datasette import DIRECT, served
from tests.test_crawl_e2e import FAST

CAP = 4


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-hostile19")
    with hostile19.started() as server:
        registry = data / "sources.yaml"
        registry.write_text(yaml.safe_dump(hostile19.registry(server), allow_unicode=True), encoding="utf-8")
        run_id = crawl(data, sources_path=registry,
                       settings={**FAST, "NIANBAO_MAX_LIST_PAGES": CAP, "NIANBAO_CHALLENGE_WAIT_MS": 5000})
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    yield {"data": data, "conn": conn, "requests": list(server.requests), "run_id": run_id}
    conn.close()


def list_pages(crawled, col: str) -> list[str]:
    return [p for p, _ in crawled["requests"] if p.startswith(f"/{col}/index")]


def notes(crawled, col: str) -> list[tuple[str, str]]:
    return [(r["url"], r["reason"]) for r in crawled["conn"].execute(
        "SELECT url, reason FROM crawl_errors WHERE source_id = ? AND reason LIKE 'note:%'", (col,))]


def test_an_endless_pager_stops_at_the_cap_with_a_note_naming_the_column(crawled) -> None:
    pages = list_pages(crawled, "endless")
    assert pages == ["/endless/index.html", *(f"/endless/index_{n}.html" for n in range(1, CAP))], pages
    capped = [(u, r) for u, r in notes(crawled, "endless") if "paging stopped" in r]
    assert len(capped) == 1, notes(crawled, "endless")
    url, reason = capped[0]
    assert url.endswith(f"/endless/index_{CAP - 1}.html")
    assert f"page {CAP} " in reason and "NIANBAO_MAX_LIST_PAGES" in reason
    assert f"政府信息公开年报-{hostile19.AGENCY}" in reason  # the column, by its title
    shown = next(s for s in health(crawled["data"]).sources if s.source_id == "endless")
    assert reason in shown.notes  # `nianbao status` says the list was cut


def test_a_pager_repeating_its_first_page_stops_at_the_first_repeat(crawled) -> None:
    assert list_pages(crawled, "repeat") == ["/repeat/index.html", "/repeat/index_1.html"]
    assert not [r for _, r in notes(crawled, "repeat") if "paging stopped" in r]


@pytest.mark.parametrize("col", ["endless", "repeat"])
def test_a_listed_report_answering_500_is_unreached_with_its_reason_not_missing(crawled, col) -> None:
    url = f"/{col}/202001/t20200115_2001.html"
    error = crawled["conn"].execute("SELECT id, reason, title, year FROM crawl_errors WHERE source_id = ? AND url LIKE ?",
                                    (col, f"%{url}")).fetchone()
    assert error is not None and error["reason"].startswith("http 500")
    assert error["year"] == 2019 and "2019年政府信息公开工作年度报告" in error["title"]
    cells = {r["year"]: r for r in completeness(crawled["conn"]) if r["source_id"] == col}
    assert cells[2019]["status"] == "unreached"
    assert cells[2019]["error_id"] == error["id"] and cells[2019]["reason"] == error["reason"]
    assert cells[2019]["url"].endswith(url)
    assert cells[2023]["status"] in ("found", "parsed") and cells[2023]["error_id"] is None
    assert cells[2020]["status"] == "missing" and cells[2020]["reason"] is None  # nothing listed for 2020


def test_the_completeness_page_links_the_failed_fetch(crawled) -> None:
    error_id = crawled["conn"].execute("SELECT id FROM crawl_errors WHERE source_id = 'endless' AND year = 2019"
                                       ).fetchone()[0]
    with served(crawled["data"]) as base:
        page = DIRECT.open(base + "/-/completeness", timeout=60).read().decode()
        row = DIRECT.open(f"{base}/nianbao/crawl_errors/{error_id}.json", timeout=60).read().decode()
    cell = page[page.index('data-source="endless" data-year="2019"'):]
    cell = cell[:cell.index("</td>")]
    assert 'data-status="unreached"' in cell
    assert f'href="/nianbao/crawl_errors/{error_id}"' in cell and "http 500" in cell
    assert "t20200115_2001.html" in row


def test_a_challenge_that_never_passes_is_asked_a_bounded_number_of_times(crawled) -> None:
    path = hostile19.CHALLENGED[0].format(col="endless")
    asked = [p for p, _ in crawled["requests"] if p == path]
    # plain, then chromium's first load and its reloads up to the bound (not one every 100 ms for 5 s), counted
    # from the first load (a page init callback), so a reload begun before the page methods run counts too
    assert 2 <= len(asked) <= 2 + CHALLENGE_RELOADS, len(asked)
    reason = crawled["conn"].execute("SELECT reason FROM crawl_errors WHERE source_id = 'endless' AND url LIKE ?",
                                     (f"%{path}",)).fetchone()[0]
    assert reason == "blocked: js challenge"
