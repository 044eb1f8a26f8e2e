"""Report pages that frame their report: `<iframe src>`, `<iframe srcdoc>`, `<embed src=….pdf>`,
`<object data=….pdf>`, and an iframe'd page that only links the DOCX (mq-district-gov, homes6.py).

Crawled from the portal's home page by the real crawl and re-parsed from the archive, then checked
as a user would: every report has a `reports` row with the numbers of its seed, the framed or
embedded document is archived with the report page as its parent, and the frames around it that are
not the report (another site's map and video, a hidden counter, a 相关文章 widget) are left alone.
"""

from __future__ import annotations

import html
import sqlite3
from collections import Counter

import pytest
import yaml
from scrapy import Request
from scrapy.http import HtmlResponse

from archive.reparse import reparse_all
from crawler.run import crawl
from crawler.spiders.base import embedded_targets, page_like
from parsers.formats.html import extract
from tests.portal.homes6 import COUNTER, WIDGET
from tests.portal.seeds import load_seeds
from tests.portal.server import Replica
from tests.test_crawl_generic import FAST, page_at, spider_for

PID = "mq-district-gov"


@pytest.fixture(scope="module")
def framed(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-frames")
    with Replica.start(faults=False, homes=True) as rep:
        sources = data / "sources.yaml"
        sources.write_text(yaml.safe_dump([e for e in rep.sources() if e["id"] == PID], allow_unicode=True),
                           encoding="utf-8")
        crawl(data, sources_path=sources, settings=FAST)
        reports = [r for r in rep.reports() if r["portal_id"] == PID]
        seen = [s for s in rep.requests if s.portal_id == PID]
        base = rep.url(PID, "/")
    stats = reparse_all(data)
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    yield {"conn": conn, "reports": reports, "seen": seen, "base": base, "stats": stats}
    conn.close()


def test_every_framed_report_is_parsed_with_its_own_numbers(framed) -> None:
    """Whatever frame holds the report, the reports table has its tables: the numbers of the seed
    report it was made from, read from the framed page, the srcdoc, the embedded PDF or the DOCX."""
    conn, seeds = framed["conn"], {s.key: s.record for s in load_seeds()}
    assert sorted(r["framing"] for r in framed["reports"]) == sorted(
        ["iframe", "srcdoc", "embed", "object", "iframe+docx", "html"])
    assert framed["stats"]["no_tables"] == 0 and framed["stats"]["failures"] == 0
    for report in framed["reports"]:
        doc = conn.execute("SELECT * FROM documents WHERE url = ? AND kind = 'report'", (report["url"],)).fetchone()
        assert doc is not None and doc["year"] == report["year"], report["framing"]
        row = conn.execute("SELECT * FROM reports WHERE url = ? AND is_latest = 1", (report["url"],)).fetchone()
        assert row is not None, report["framing"]
        apps = seeds[report["seed"]]["applications"]
        assert row["new_received_total"] == apps["new_received"]["total"], report["framing"]
        assert row["total_processed_total"] == apps["total_processed"]["total"], report["framing"]
        assert row["year"] == report["year"]
        # the bytes the numbers came from: the framed page, the file, or the page itself
        source = report.get("attachment") or report.get("framed")
        expected = source and framed["base"].rstrip("/") + source
        assert row["source_url"] == (expected or report["url"]), report["framing"]


def test_framed_and_embedded_documents_are_archived_with_their_report_page(framed) -> None:
    conn, base = framed["conn"], framed["base"].rstrip("/")
    got = {r["url"]: r["parent_url"] for r in conn.execute(
        "SELECT url, parent_url FROM documents WHERE kind = 'attachment' AND source_id = ?", (PID,))}
    expected = {base + r[key]: r["url"] for r in framed["reports"] for key in ("framed", "attachment") if r.get(key)}
    assert got == expected  # the DOCX linked inside a framed page is the report page's too; no widget
    for url in expected:
        snap = conn.execute("SELECT status, sha256, content_type FROM snapshots WHERE url = ?", (url,)).fetchone()
        assert snap["status"] == 200 and snap["sha256"]
    # an embedded file has no link text: it is titled as its article is (as a linked file is by its link)
    for report in framed["reports"]:
        if report["framing"] in ("embed", "object"):
            page, file = [conn.execute("SELECT title FROM documents WHERE url = ?", (url,)).fetchone()["title"]
                          for url in (report["url"], base + report["attachment"])]
            assert page and file == page, (report["framing"], page, file)
    inner = next(base + r["framed"] for r in framed["reports"] if r["framing"] == "iframe")
    text = conn.execute("SELECT text FROM sections s JOIN reports r ON r.id = s.report_id WHERE r.source_url = ?",
                        (inner,)).fetchall()
    assert text  # the narrative of the framed page is searchable like any report's


def test_frames_that_are_not_the_report_are_left_alone(framed) -> None:
    """Another site's map and video are never fetched, the hidden counter neither, and the same-site
    相关文章 widget on every report page is fetched once in the crawl and recorded as no document."""
    conn, paths = framed["conn"], Counter(s.path.split("?")[0] for s in framed["seen"])
    assert COUNTER not in paths
    assert paths[WIDGET] == 1
    assert all(n == 1 for p, n in paths.items()), paths.most_common(3)
    hosts = {r["url"].split("/")[2] for r in conn.execute("SELECT url FROM fetches")}
    assert hosts == {framed["base"].split("/")[2]}
    assert conn.execute("SELECT count(*) FROM crawl_errors").fetchone()[0] == 0
    assert not conn.execute("SELECT 1 FROM documents WHERE url LIKE ?", (f"%{WIDGET}",)).fetchall()


def test_srcdoc_content_is_read_where_it_sits() -> None:
    """<iframe srcdoc> holds escaped HTML: its paragraphs and table rows are the page's own, in place
    (nested srcdoc too); an iframe with only src brings nothing into the page's text."""
    inner = ("<html><body><p>一、总体情况</p><table><tr><td>行政许可</td><td>１２</td></tr></table>"
             f'<iframe srcdoc="{html.escape("<p>深一层</p>", quote=True)}"></iframe></body></html>')
    page = (f'<html><body><h1>某区2024年报告</h1><iframe srcdoc="{html.escape(inner, quote=True)}" src="/x.html">'
            '</iframe><p>发布机关：某区人民政府</p><iframe src="/content/1.html">不支持框架</iframe></body></html>')
    lines = extract(page.encode("utf-8")).splitlines()
    assert lines == ["某区2024年报告", "一、总体情况", "行政许可\t１２", "深一层", "发布机关：某区人民政府"]


def test_what_a_page_frames_or_embeds() -> None:
    """Targets a reader sees: iframe/frame src, embed src, object data; not srcdoc frames (the
    content is in the page), hidden counters, script or blank frames.  Only page-like targets are
    fetched as pages; media are not."""
    body = ("<iframe src='/content/123.html' title='正文'></iframe><frame src='main.jsp'>"
            "<embed src='/files/a.pdf'><object data='/files/b.pdf'></object>"
            "<iframe srcdoc='&lt;p&gt;x&lt;/p&gt;' src='/ignored.html'></iframe>"
            "<iframe src='/stat/count.jsp?id=1' width='0' height='0'></iframe>"
            "<iframe src='/tj.html' style='display: none'></iframe>"
            "<iframe src='javascript:false'></iframe><iframe src='about:blank'></iframe>"
            "<iframe src='https://map.example.com/?x=1'></iframe>")
    url = "http://portal.test/nb/2024/a.html"
    page = HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), request=Request(url))
    assert [u for u, _ in embedded_targets(page)] == [
        "http://portal.test/content/123.html", "http://portal.test/nb/2024/main.jsp",
        "http://portal.test/files/a.pdf", "http://portal.test/files/b.pdf", "https://map.example.com/?x=1"]
    assert page_like("http://portal.test/content/123") and page_like("http://portal.test/a/b.shtml")
    assert not page_like("http://portal.test/v/102938.swf") and not page_like("http://portal.test/v.mp4")


def test_a_report_page_requests_its_frames_once_and_only_on_site() -> None:
    spider = spider_for("http://portal.test/")
    source = spider.sources["s"]
    body = ("<h1>某区2024年政府信息公开工作年度报告</h1><iframe src='/content/123.html'></iframe>"
            "<iframe src='https://map.example.com/?x=1'></iframe><embed src='https://player.example.com/v'>"
            "<embed src='https://files.other.test/signed.pdf'>"
            "<iframe src='/pdfjs/web/viewer.html?file=%2Fup%2Fnb.pdf'></iframe>")
    first = list(spider.report_contents(page_at("http://portal.test/nb/a.html", body), source,
                                        report="http://portal.test/nb/a.html"))
    assert sorted((r.url, r.callback.__name__, r.cb_kwargs["parent"]) for r in first) == [
        ("http://portal.test/content/123.html", "parse_framed", "http://portal.test/nb/a.html"),
        ("http://portal.test/up/nb.pdf", "parse_document", "http://portal.test/nb/a.html"),
        ("https://files.other.test/signed.pdf", "parse_document", "http://portal.test/nb/a.html")]
    again = list(spider.report_contents(page_at("http://portal.test/nb/b.html", body), source,
                                        report="http://portal.test/nb/b.html"))
    assert "http://portal.test/content/123.html" not in {r.url for r in again}  # a frame once per crawl


def test_framed_page_without_text_of_its_own_is_no_document() -> None:
    spider = spider_for("http://portal.test/")
    widget = page_at("http://portal.test/include/xgwz.html", "<ul><li><a href='/a.html'>要闻一</a></li></ul>")
    assert not [i for i in spider.parse_framed(widget, info={}, parent="http://portal.test/nb/a.html")
                if not isinstance(i, Request)]
    article = page_at("http://portal.test/content/1.html", "<p>" + "本年度依申请公开工作有序推进。" * 10 + "</p>")
    items = list(spider.parse_framed(article, info={}, parent="http://portal.test/nb/a.html"))
    assert [(i.kind, i.parent_url) for i in items] == [("attachment", "http://portal.test/nb/a.html")]


def test_every_family_takes_what_a_report_page_frames() -> None:
    """The base does it, so a TRS column's report page framing its article and embedding its PDF is
    read the same way; a host the registry entry lists counts as the site, another host does not."""
    from types import SimpleNamespace

    from scrapy.utils.test import get_crawler

    from crawler.spiders.trs import TrsSpider
    from tests.portal.server import SITE

    source = SimpleNamespace(id="s", family="trs", start_urls=["http://www.portal.test/zwgk/nb/index.html"],
                             allowed_domains=["portal.test"], overrides={})
    crawler = get_crawler(TrsSpider, settings_dict={"NIANBAO_DATA": str(SITE / ".unused")})
    spider = TrsSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    url = "http://www.portal.test/zwgk/nb/202501/t20250115_1.html"
    body = ("<iframe src='http://xxgk.portal.test/content/1.html'></iframe><embed src='/up/nb.pdf'>"
            "<iframe src='http://www.elsewhere.test/share.html'></iframe>")
    page = HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(),
                        request=Request(url, meta={"source_id": "s"}))
    got = sorted((r.url, r.callback.__name__) for r in spider.report_contents(page, source, report=url))
    assert got == [("http://www.portal.test/up/nb.pdf", "parse_document"),
                   ("http://xxgk.portal.test/content/1.html", "parse_framed")]
