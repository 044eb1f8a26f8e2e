"""Report article pages whose report is a file, beside a block of other articles or not (tests/portal/homes18.py):
each article is recorded as its report, whatever form its file takes (pdf.js viewer frame, <embed>, <object>,
window.open in an onclick, a javascript: download helper, an inline JSON file list, a download servlet named by
the report's title, lazy pictures), and that file as its attachment; a related-articles block (相关文章, 相关阅读,
热点信息, div.xgwz) neither turns the article into a list nor sends the crawl after its dead links.

Crawled by the real crawl, then checked as a user would: the archive's documents, what each server saw,
`nianbao status`, and the re-parsed reports.
"""

from __future__ import annotations

import pytest

from archive.reparse import reparse_all
from crawler.monitor import health
from tests.portal.homes18 import DEAD, NR, RL, SITES, Shapes18
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes18"), Shapes18.start) as done:
        yield done


@pytest.mark.parametrize("sid", [RL[0], NR[0]])
def test_every_report_article_is_recorded_once_as_its_report(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid)


@pytest.mark.parametrize("sid", [RL[0], NR[0]])
def test_each_articles_file_is_its_attachment_in_every_form(crawled, sid) -> None:
    base = crawled.shapes.bases[sid]
    missing = []
    for (site, article), files in crawled.shapes.files.items():
        if site != sid:
            continue
        got = {r["url"] for r in crawled.conn.execute(
            "SELECT url FROM documents WHERE kind = 'attachment' AND parent_url = ?", (base + article,))}
        form = next(t.form for t in crawled.shapes.truth if t.site == sid and t.url == article)
        missing += [(form, f) for f in files if base + f not in got]
    assert missing == []


def test_a_related_block_is_not_followed_to_its_dead_links(crawled) -> None:
    asked = {p for _, p in crawled.shapes.requests[RL[0]]}
    assert not asked & set(DEAD), sorted(asked & set(DEAD))
    assert "/zwgk/zn/t1.html" not in asked


@pytest.mark.parametrize("sid", [RL[0], NR[0]])
def test_nothing_is_lost_silently(crawled, sid) -> None:
    assert errors(crawled, sid) == []
    state = next(s for s in health(crawled.data).sources if s.source_id == sid)
    assert state.problem is None and state.errors == 0


def test_the_reports_numbers_come_from_their_files(crawled) -> None:
    reparse_all(crawled.data)
    for sid, _ in SITES:
        base = crawled.shapes.bases[sid]
        for t in crawled.shapes.truth:
            if t.site != sid or t.form == "lazy_pictures":  # a 1-pixel picture holds no table
                continue
            row = crawled.conn.execute(
                "SELECT r.id, r.agency, r.year FROM reports r JOIN documents d ON d.id = r.document_id"
                " WHERE d.url = ?", (base + t.url,)).fetchone()
            assert row is not None and (row["agency"], row["year"]) == (t.agency, t.year), t
            if t.form == "js_download_docx":  # the DOCX holds the title only
                continue
            cells = crawled.conn.execute("SELECT count(*) FROM cells WHERE report_id = ? AND value IS NOT NULL",
                                         (row["id"],)).fetchone()[0]
            assert cells >= 100, (t, cells)
