"""An unattended night's waste and silence, on replica shapes (tests/portal/homes16.py): a column's filter links
(year × type × dept, each keeping the page) walked one filter at a time and never past the list's end; a relative
link's loop and an upper-case copy of the column not asked for; a list page that fails two runs running flagged by
`nianbao status`; an article that only carries the report's listed PDF not filed as a second report; a robots.txt
`Disallow` counted as policy, not error, its Crawl-delay kept from robots.txt itself on; a host that refuses
connections logged in one line.

Crawled by the real crawl, then checked as a user would: what each server saw, the archive, `nianbao status`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from archive.reparse import reparse_all
from crawler.monitor import health
from crawler.run import crawl
from tests.portal.homes16 import DN, ER, FA, FA_COLUMN, NP, RB, RB_CRAWL_DELAY, WR, Shapes16
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors
from tests.test_crawl_generic import FAST


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    ids = (FA[0], WR[0], RB[0], DN[0], NP[0])
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes16"), Shapes16.start, ids=ids) as done:
        yield done


def queries(crawled, site: str) -> list[tuple[str, dict]]:
    return [(urlsplit(p).path, dict(parse_qsl(urlsplit(p).query))) for _, p, *_ in crawled.shapes.requests[site]]


@pytest.mark.parametrize("sid", [FA[0], RB[0], NP[0]])  # wr: at parse time (the article stays a document)
def test_every_own_report_is_found_once(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid, exact_agency=False)


def test_a_next_only_pager_is_followed_to_its_end_past_article_names_like_page_names(crawled) -> None:
    pages = sorted(int(q.get("page", 1)) for path, q in queries(crawled, NP[0]) if path == "/zwgk/ndbg/")
    assert pages == [1, 2, 3, 4], pages  # 7 reports, 2 a page; each page's reports are new items


def test_filter_links_are_walked_one_filter_at_a_time_and_never_past_the_list(crawled) -> None:
    asked = [(path, q) for path, q in queries(crawled, FA[0])
             if path.lower().startswith(FA_COLUMN) and not path.endswith(".html")]  # its list pages
    # the column's two pages, and each year's list once from its start: not year × type × dept
    assert not [q for _, q in asked if len(set(q) - {"page"}) > 1]
    assert not [q for _, q in asked if "type" in q or "dept" in q or "rnd" in q]
    assert not [q for _, q in asked if "year" in q and "page" in q]  # a year's list has one page here
    assert max(int(q.get("page", 1)) for _, q in asked) <= 3  # past the end of a 2-page list: at most one
    assert len(asked) <= 2 + 1 + 8  # pages 1-2 (and one past), 8 years
    # the relative link's loop (ndbg/ndbg/) and the upper-case copy are the column already walked
    assert [p for p, _ in asked if p != FA_COLUMN] == []
    notes = [r for _, r in errors(crawled, FA[0])]
    assert not [r for r in notes if "paging stopped" in r], notes


def test_the_page_budget_bounds_the_list_walk_too(tmp_path) -> None:
    with Shapes16.start() as shapes:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump([e for e in shapes.registry() if e["id"] == FA[0]], allow_unicode=True),
                           encoding="utf-8")
        crawl(tmp_path, sources_path=sources, settings={**FAST, "NIANBAO_GENERIC_MAX_PAGES": 4})
    # the start page, then 4 walked: 政务公开, the column and two more of its lists (page 2 or a year's list)
    lists = [p for _, p, *_ in shapes.requests[FA[0]] if not p.endswith((".html", "robots.txt"))]
    assert lists[:3] == ["/", "/zwgk/", FA_COLUMN] and len(lists) == 1 + 4, lists


def test_a_list_page_failing_two_runs_running_needs_attention(tmp_path) -> None:
    with Shapes16.start() as shapes:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump([e for e in shapes.registry() if e["id"] == ER[0]], allow_unicode=True),
                           encoding="utf-8")
        first = crawl(tmp_path, sources_path=sources, settings=FAST)
        after_one = health(tmp_path)
        crawl(tmp_path, sources_path=sources, settings=FAST)
        after_two = health(tmp_path)
    page2 = shapes.bases[ER[0]] + "/zwgk/ndbg/?page=2"
    # one bad night is counted, not flagged; the same page lost the next night is an attention line
    assert after_one.ok, after_one.attention
    assert [s.errors for s in after_one.sources] == [1] and first
    lines = [a for a in after_two.attention if ER[0] in a]
    assert len(lines) == 1 and page2 in lines[0] and "http 500" in lines[0], after_two.attention
    assert len(shapes.requests[ER[0]]) > 0


def test_an_article_carrying_the_listed_pdf_is_not_a_second_report(crawled) -> None:
    stats = reparse_all(crawled.data)
    base = crawled.shapes.bases[WR[0]]
    rows = crawled.conn.execute("SELECT r.id, d.url, r.year, r.is_latest FROM reports r JOIN documents d"
                                " ON d.id = r.document_id WHERE d.source_id = ?", (WR[0],)).fetchall()
    urls = sorted(r["url"].removeprefix(base) for r in rows)
    assert urls == ["/uploads/202401/wr_2023nb.pdf", "/zwgk/ndbg/202501/t20250120_2024.html"], urls
    assert stats["carriers"] == 1
    missing = crawled.conn.execute("SELECT count(*) FROM findings f JOIN reports r ON r.id = f.report_id"
                                   " JOIN documents d ON d.id = r.document_id WHERE d.source_id = ?"
                                   " AND f.code = 'table_missing'", (WR[0],)).fetchone()[0]
    assert missing == 0


def test_robots_disallow_is_policy_not_an_error_and_crawl_delay_counts_robots_txt(crawled) -> None:
    base = crawled.shapes.bases[RB[0]]
    rows = errors(crawled, RB[0])
    assert rows == [(base + "/private/2021/nb.html", "robots.txt disallows")]
    counted = crawled.conn.execute("SELECT errors FROM crawl_run_sources WHERE source_id = ?", (RB[0],)).fetchone()
    assert counted["errors"] == 0
    rb = next(s for s in health(crawled.data).sources if s.source_id == RB[0])
    assert rb.errors == 0 and rb.problem is None and any("robots.txt disallows" in n for n in rb.notes)
    seen = crawled.shapes.requests[RB[0]]
    assert seen[0][1] == "/robots.txt" and not [p for _, p, *_ in seen if p.startswith("/private/")]
    # the first page waits the Crawl-delay after robots.txt's answer too (the answer is immediate here)
    times = [t for *_, t in seen]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= RB_CRAWL_DELAY - 0.05


def test_a_host_refusing_connections_is_one_line_in_the_log(crawled) -> None:
    assert errors(crawled, DN[0])[0][1] == "connection refused"
    log = (crawled.data / "crawl.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert "robots.txt" in log and crawled.shapes.bases[DN[0]].removeprefix("http://") in log
