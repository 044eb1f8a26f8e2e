"""A walk the source's page budget cuts short leaves a note naming where it stopped and the cap, also
when the lists it did not reach are linked from the column (its years' lists: 2024年度, 2023年度 …) and
not paged by a 下一页: before, only a pager's cut was noted, and these years were lost without a row.
A real HTTP host on 127.0.0.1 crawled by the real crawl; checked in the archive's crawl_errors."""

from __future__ import annotations

import json
import sqlite3

from crawler.run import crawl
from tests.support.fleet_hosts import Host, report_page
from tests.test_crawl_e2e import FAST

COUNTY = "齐河县"
YEARS = range(2024, 2018, -1)
COLUMN = "/zwgk/ndbg/index.html"


def portal() -> dict[str, str]:
    """A 年报 column listing no report itself, only a link per year to that year's list of one report."""
    def page(title: str, body: str) -> str:
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><h2>{title}</h2>{body}</body></html>")
    pages = {COLUMN: page("政府信息公开年报", "<ul>" + "".join(f"<li><a href='/zwgk/ndbg/{y}/index.html'>{y}年度</a></li>"
                                                         for y in YEARS) + "</ul>")}
    for y in YEARS:
        title = f"{COUNTY}人民政府{y}年政府信息公开工作年度报告"
        pages[f"/zwgk/ndbg/{y}/index.html"] = page(f"{y}年度", f"<ul><li><a href='/zwgk/ndbg/{y}/1.html'>{title}</a>"
                                                             "</li></ul>")
        pages[f"/zwgk/ndbg/{y}/1.html"] = report_page(title, 10)
    return pages


def test_a_column_whose_year_lists_the_budget_cuts_leaves_a_note(tmp_path) -> None:
    host = Host("a", COUNTY, 0, pages=portal())
    try:
        sources = tmp_path / "sources.json"
        sources.write_text(json.dumps([{
            "id": "county-a", "name": f"{COUNTY}人民政府", "level": "county", "kind": "government",
            "region": {"province": "山东省", "city": "德州市", "county": COUNTY}, "family": "generic",
            "start_urls": [host.url(COLUMN)]}], ensure_ascii=False), encoding="utf-8")
        crawl(tmp_path, sources_path=sources, settings={**FAST, "NIANBAO_GENERIC_MAX_PAGES": 3})
    finally:
        host.server.shutdown()
    lists = [p for _, _, p, _ in host.log if p.endswith("index.html") and p != COLUMN]
    assert 0 < len(lists) < len(YEARS), lists  # the budget of 3 pages walked some years' lists, not all
    with sqlite3.connect(tmp_path / "nianbao.db") as conn:
        notes = conn.execute("SELECT url, reason FROM crawl_errors WHERE reason LIKE 'note:%'").fetchall()
        years = sorted(y for (y,) in conn.execute("SELECT year FROM documents WHERE kind = 'report'"))
    assert len(years) == len(lists), years
    cut = [(url, reason) for url, reason in notes if "NIANBAO_GENERIC_MAX_PAGES=3" in reason]
    assert len(cut) == 1, notes
    url, reason = cut[0]
    assert url == host.url(COLUMN) and "政府信息公开年报" in reason and "page budget is spent" in reason, cut
