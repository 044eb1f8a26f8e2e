"""Reports attached in the other formats the parser reads, on a replica shape (tests/portal/homes17.py): an
article's .rtf, .mht, .txt and .csv file, an .html file its link names as one, and download servlets that name
the file only in Content-Disposition, each fetched and archived with the article as its parent; the article's
ordinary page links never taken for files; a .txt answered with an error page a problem, not a file; and an
article that only carries a servlet's PDF (no suffix anywhere) not filed as a second report; a rendered column's
own script files and API calls held to the host's cap of two open requests, with Scrapy's; and a list whose links
carry a fresh random token on every answer (homes16's fa-city-gov) no new snapshot on an unchanged night, while a
new report on it is.

Crawled by the real crawl, then checked as a user would: the archive, what the server saw, the re-parse.
"""

from __future__ import annotations

import sqlite3

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from archive.filenames import served_type
from archive.reparse import reparse_all
from crawler.run import crawl
from crawler.tokens import without_tokens
from parsers.detect import detect_kind
from tests.portal.homes9 import li
from tests.portal.homes16 import FA, FA_COLUMN, Shapes16
from tests.portal.homes17 import FM, MISSING_TXT, NAV_LINKS, RN_PARTS, RN_SCRIPTS, ScriptColumn, Shapes17
from tests.support.crawls import blob, crawled_portals, errors
from tests.test_crawl_generic import FAST, page_at, spider_for

# what each year's file is, by its bytes
KINDS = {2024: "html", 2023: "pdf", 2022: "text", 2021: "rtf", 2020: "mht", 2019: "csv"}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes17"), Shapes17.start) as done:
        yield done


def documents(crawled) -> dict[str, dict]:
    rows = crawled.conn.execute("SELECT * FROM documents WHERE source_id = ?", (FM[0],)).fetchall()
    return {r["url"].removeprefix(crawled.shapes.bases[FM[0]]): dict(r) for r in rows}


def latest(crawled, path: str) -> dict:
    row = crawled.conn.execute("SELECT * FROM snapshots WHERE url = ? ORDER BY id DESC",
                               (crawled.shapes.bases[FM[0]] + path,)).fetchone()
    assert row is not None, path
    return dict(row)


@pytest.mark.parametrize("year", [2024, 2022, 2021, 2020, 2019])
def test_an_articles_file_of_every_format_is_fetched_as_its_attachment(crawled, year) -> None:
    shapes, docs = crawled.shapes, documents(crawled)
    path = shapes.files[year]
    doc = docs.get(path)
    assert doc is not None, (year, path, sorted(docs))
    assert doc["kind"] == "attachment"
    assert doc["parent_url"] == shapes.bases[FM[0]] + shapes.articles[year]
    snap = latest(crawled, path)
    assert snap["status"] == 200 and snap["rendered"] == 0
    assert detect_kind(blob(crawled, snap["sha256"])) == KINDS[year]


def test_an_rtf_sent_as_a_page_is_served_back_as_rtf(crawled) -> None:
    snap = latest(crawled, crawled.shapes.files[2021])
    assert snap["content_type"].startswith("text/html")  # what the portal said, kept as it was
    assert served_type(snap["content_type"], blob(crawled, snap["sha256"])) == "application/rtf"


def test_an_articles_page_links_are_not_files(crawled) -> None:
    docs = documents(crawled)
    # 上一篇 is the 2023 article, a report of its own; the others are no documents at all
    assert not [p for p in NAV_LINKS if p in docs and docs[p]["kind"] != "report"], sorted(docs)
    article = crawled.shapes.bases[FM[0]] + crawled.shapes.articles[2024]
    attached = sorted(p for p, d in docs.items() if d["kind"] == "attachment" and d["parent_url"] == article)
    assert attached == [crawled.shapes.files[2024]]


def test_a_text_file_answered_with_an_error_page_is_a_problem_not_a_file(crawled) -> None:
    base = crawled.shapes.bases[FM[0]]
    assert MISSING_TXT not in documents(crawled)
    assert (base + MISSING_TXT, "html page where a .txt file was linked (error page?)") in errors(crawled, FM[0])


def test_the_listed_servlet_pdf_is_the_report_and_its_article_only_carries_it(crawled) -> None:
    shapes, docs = crawled.shapes, documents(crawled)
    assert docs[shapes.files[2023]]["kind"] == "report" and docs[shapes.files[2023]]["year"] == 2023
    assert [s for m, s in shapes.requests[FM[0]] if s == shapes.files[2023]] == [shapes.files[2023]]  # fetched once
    stats = reparse_all(crawled.data)
    base = shapes.bases[FM[0]]
    rows = crawled.conn.execute("SELECT r.url, r.source_url, r.year FROM reports r JOIN documents d"
                                " ON d.id = r.document_id WHERE d.source_id = ? AND r.is_latest = 1", (FM[0],)).fetchall()
    by_page = {r["url"].removeprefix(base): r["source_url"].removeprefix(base) for r in rows}
    assert shapes.articles[2023] not in by_page and by_page[shapes.files[2023]] == shapes.files[2023]
    assert stats["carriers"] == 1
    # every other year's article is read from its file
    for year in (2024, 2022, 2021, 2020, 2019):
        assert by_page.get(shapes.articles[year]) == shapes.files[year], (year, by_page)
    assert not errors(crawled, FM[0])[1:], errors(crawled, FM[0])


def anchors(body: str) -> list[tuple[str, str]]:
    """(url, text) of what the generic spider takes for a report page's files, on a page of `body`."""
    spider = spider_for("http://portal.test/")
    return list(spider.attachments(page_at("http://portal.test/art/1.html", body), spider.sources["s"]))


@pytest.mark.parametrize(("body", "taken"), [
    ("<p>附件：<a href='/u/nb.html'>2024年年度报告</a></p>", True),  # the 附件 block's item
    ("<p>附件1：<a href='/u/a.htm'>一</a></p>", True),
    ("<div><h4>相关附件：</h4><ul><li><a href='/u/b.html'>2024年年度报告</a></li></ul></div>", True),
    ("<p>附件：<a href='/u/c.pdf'>报告</a><br>2.<a href='/u/c.html'>报告网页版</a></p>", True),
    ("<p><a href='/u/d.html'>XX局2024年政府信息公开工作年度报告.html</a></p>", True),  # its text names a file
    ("<p><a href='/u/e.html' download>年度报告</a></p>", True),
    ("<p>附件：<a href='/download.jsp?id=3'>XX局2024年年度报告</a></p>", True),  # a servlet in the block
    ("<p>附件：<a href='/u/f.rtf'>报告</a> <a href='/u/g.mht'>报告</a> <a href='/u/h.csv'>表</a></p>", True),
    ("<p>相关链接：<a href='/zwgk/1.html'>2024年政务公开工作要点</a></p>", False),
    ("<div>上一篇：<a href='/art/0.html'>XX局2023年政府信息公开工作年度报告</a></div>", False),
    ("<p>详见附件。依据<a href='/zn.html'>政府信息公开指南</a>。</p>", False),  # 附件 said, but not as a label
    ("<ul><li><a href='/art/2.html'>XX局2024年政府信息公开工作年度报告</a></li></ul>", False),
    ("<p>详见<a href='/download.jsp?id=4'>这里</a></p>", False),  # a servlet outside the 附件 block, unnamed
    ("<p>详见<a href='/download.jsp?id=4'>年度报告</a></p>", True),  # a servlet the article names as the report
    ("<p>具体内容详见附件<a href='/art/3.html'>关于印发工作要点的通知</a></p>", False),  # a sentence, no label
    ("<p>全文如下。附件2：<a href='/u/i.html'>年度报告（网页版）</a></p>", True),
    ("<p>附件下载：1、<a href='/u/j.pdf'>报告</a> 2、<a href='/u/k.htm'>报告</a></p>", True),
])
def test_an_html_or_servlet_link_is_a_file_only_where_its_anchor_says_so(body, taken) -> None:
    assert bool(anchors(body)) is taken, anchors(body)


def test_a_rendered_pages_own_requests_keep_to_the_hosts_cap(tmp_path) -> None:
    # no Crawl-delay: chromium's script files and API calls to the host are held to the same two at once
    # as Scrapy's requests, though the column's script asks for ten things together
    with ScriptColumn.start() as shapes:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump(shapes.registry(), allow_unicode=True), encoding="utf-8")
        crawl(tmp_path, sources_path=sources, settings={**FAST, "AUTOTHROTTLE_ENABLED": False})
    asked = [p for _, p in shapes.requests]
    assert len([p for p in asked if p.startswith(("/js/", "/api/"))]) == RN_SCRIPTS + RN_PARTS, asked  # rendered
    assert shapes.max_open == 2, shapes.max_open
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    found = {r[0].removeprefix(shapes.base) for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'")}
    assert found == set(shapes.reports)


def column_fetches(data, base: str) -> list[sqlite3.Row]:
    """Every fetch of the facet column's list pages (its own path, any query), run by run."""
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn.execute("SELECT f.*, r.started_at FROM fetches f JOIN crawl_runs r ON r.id = f.run_id"
                        " WHERE f.url LIKE ? ORDER BY f.id", (base + FA_COLUMN + "%",)).fetchall()


def warc_body(data, fetch: sqlite3.Row) -> bytes:
    with open(data / "warc" / fetch["warc_file"], "rb") as fh:
        fh.seek(fetch["warc_offset"])
        return next(iter(ArchiveIterator(fh))).content_stream().read()


def test_an_unchanged_list_with_a_fresh_token_in_its_links_is_no_new_snapshot(tmp_path) -> None:
    # fa-city-gov prints a 换一换 link with a new random ?rnd= on every answer of every list page
    with Shapes16.start() as shapes:
        base = shapes.bases[FA[0]]
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump([e for e in shapes.registry() if e["id"] == FA[0]], allow_unicode=True),
                           encoding="utf-8")
        runs = [crawl(tmp_path, sources_path=sources, settings=FAST) for _ in range(2)]
        # then a new report is listed: the column's first page is a new version
        title = f"{FA[1]}2025年政府信息公开工作年度报告"
        path = "/zwgk/ndbg/202601/t20260120_2025.html"
        shapes.article(FA, path, title, shapes.body(FA[1], 2025), "", "2026-01-20")
        shapes.rows[FA[0]].insert(0, (2025, li(path, title, "2026-01-20")))
        runs.append(crawl(tmp_path, sources_path=sources, settings=FAST))
    fetches = column_fetches(tmp_path, base)
    by_run = {run: [f for f in fetches if f["run_id"] == run] for run in runs}
    assert all(by_run.values())
    assert [f["new_snapshot"] for f in by_run[runs[1]]] == [0] * len(by_run[runs[1]])  # the same night again
    second = by_run[runs[1]][0]
    first = next(f for f in by_run[runs[0]] if f["url"] == second["url"])
    assert second["snapshot_id"] == first["snapshot_id"]
    # what the server sent that night is kept, token and all, in the WARC
    sent = warc_body(tmp_path, second)
    assert b"rnd=" in sent and sent != warc_body(tmp_path, first)
    # the new report's night: the first page is a new snapshot, and the report is found
    changed = [f for f in by_run[runs[2]] if f["url"] == base + FA_COLUMN]
    assert changed and changed[0]["new_snapshot"] == 1
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    assert conn.execute("SELECT count(*) FROM documents WHERE url = ?", (base + path,)).fetchone()[0] == 1


LIST = ("<title>年报</title><ul><li><a href='/nb/t20250120_2024.html?id=3'>2024年年度报告</a></li></ul>"
        "<a href='/nb/?rnd=48213377'>换一换</a> <a href='/nb/;jsessionid=A1B2C3?page=2&amp;timestamp=1732312345'>2</a>")


@pytest.mark.parametrize(("other", "same"), [
    (LIST.replace("48213377", "90017265").replace("A1B2C3", "Z9Y8X7").replace("1732312345", "1732398765"), True),
    (LIST.replace("2024年年度报告", "2024年年度报告（更正）"), False),  # a changed title
    (LIST.replace("</ul>", "<li><a href='/nb/t20260120_2025.html'>2025年年度报告</a></li></ul>"), False),  # a new link
    (LIST.replace("id=3", "id=4"), False),  # another item under the same title
    (LIST.replace("t20250120", "t20250121"), False),  # another path
    (LIST.replace("page=2", "page=3"), False),
])
def test_only_a_links_per_request_tokens_leave_a_page_the_same_version(other, same) -> None:
    assert (without_tokens(LIST.encode()) == without_tokens(other.encode())) is same
