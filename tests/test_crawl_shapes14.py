"""Server quirks, re-crawls and revisions a fourteenth set of blind portals showed going wrong
(tests/portal/homes14.py): a UTF-8 header over GBK pages, transfers cut short, a false and a missing
Content-Encoding, a soft 404, a 304 to a plain request, a session id on every link, reports moved
with a 301, a file re-uploaded byte for byte.

Three real crawls into one archive (phase 1; the sites change; phase 2 twice) with `nianbao parse`
after each of the first two, then checked as a user would: the archive's documents, reports and
snapshots, the crawl's error rows, and what each server saw.
"""

from __future__ import annotations

import gzip
import sqlite3
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, Request

from archive.completeness import completeness, register_functions
from archive.content import decode_body
from archive.reparse import reparse_all
from crawler import sessions
from crawler.soft404 import soft_404
from crawler.wire import charset_instead, false_coding
from parsers.detect import detect_kind
from tests.portal.homes14 import (
    GB,
    GB_ALWAYS_SHORT,
    GB_NO_BODY,
    GB_SOFT,
    MV,
    MV_LINKED_NEW,
    MV_LINKED_OLD,
    MV_LIST,
    MV_MOVED_NEW,
    MV_MOVED_OLD,
    MV_PDF,
    Shapes14,
    gbk_page,
)
from tests.support.crawls import assert_own_reports_found_once, blob, crawl_portals, errors


def copy_db(data, name: str) -> sqlite3.Connection:
    src = sqlite3.connect(data / "nianbao.db")
    dst = sqlite3.connect(data / name)
    src.backup(dst)
    src.close()
    dst.row_factory = sqlite3.Row
    return dst


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl-shapes14")
    with Shapes14.start() as shapes:
        crawl_portals(data, shapes)
        reparse_all(data)
        first = copy_db(data, "after1.db")
        shapes.phase, shapes.crawl = 2, 2
        crawl_portals(data, shapes)
        reparse_all(data)
        second = copy_db(data, "after2.db")
        shapes.crawl = 3
        crawl_portals(data, shapes)
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        yield SimpleNamespace(conn=first, second=second, final=conn, shapes=shapes, data=data)
    finally:
        for c in (first, second, conn):
            c.close()


def runs(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM crawl_runs ORDER BY rowid")]


def latest(conn: sqlite3.Connection, sid: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT r.* FROM reports r JOIN documents d ON d.id = r.document_id"
                        " WHERE r.is_latest AND d.source_id = ?", (sid,)).fetchall()


def served(crawled, site: str, crawl: int, path: str) -> list[tuple]:
    return [r for r in crawled.shapes.requests[site] if r[0] == crawl and r[2].split("&sid=")[0] == path]


@pytest.mark.parametrize("sid", [GB[0], MV[0]])
def test_every_own_report_is_found_once_in_the_first_crawl(crawled, sid) -> None:
    assert_own_reports_found_once(SimpleNamespace(conn=crawled.conn, shapes=crawled.shapes), sid)


def test_gbk_pages_under_a_utf8_header_are_read_as_gbk_and_the_lie_is_noted(crawled) -> None:
    titles = [r["title"] for r in crawled.conn.execute("SELECT title FROM documents WHERE source_id = ?", (GB[0],))]
    assert "青石县人民政府2024年政府信息公开工作年度报告" in titles
    notes = [reason for _, reason in errors(SimpleNamespace(conn=crawled.conn), GB[0]) if "charset" in reason]
    assert notes and "UTF-8".lower() in notes[0].lower() and "gb" in notes[0].lower(), notes


def test_failures_say_what_happened(crawled) -> None:
    base = crawled.shapes.bases[GB[0]]
    reasons = dict(errors(SimpleNamespace(conn=crawled.conn), GB[0]))
    short = reasons[base + GB_ALWAYS_SHORT]
    assert short.startswith("truncated: got "), short
    got, expected = (int(x) for x in short.removeprefix("truncated: got ").split(" bytes")[0].split(" of "))
    assert got < expected
    assert reasons[base + GB_SOFT] == "soft 404: 该信息已删除"
    assert "sent no validator" in reasons[base + GB_NO_BODY]
    # neither the soft 404 nor the failures is a report
    urls = {r["url"] for r in crawled.conn.execute("SELECT url FROM documents WHERE kind = 'report'")}
    assert not {base + GB_SOFT, base + GB_ALWAYS_SHORT, base + GB_NO_BODY} & urls


def test_a_file_cut_short_once_is_retried_and_archived_whole(crawled) -> None:
    base = crawled.shapes.bases[GB[0]]
    rows = crawled.conn.execute("SELECT sha256 FROM snapshots WHERE url = ? AND status = 200",
                                (base + "/uploadfile/2024/c102.pdf",)).fetchall()
    assert len(rows) == 1 and detect_kind(blob(crawled, rows[0][0])) == "pdf"


def test_coded_bodies_are_read_by_what_they_are(crawled) -> None:
    base = crawled.shapes.bases[GB[0]]
    by_year = {r["year"]: r for r in latest(crawled.conn, GB[0])}
    # a DOCX under a false Content-Encoding: gzip is the DOCX, archived as received and parsed
    docx = crawled.conn.execute("SELECT sha256, headers FROM snapshots WHERE url = ?",
                                (base + "/uploadfile/2023/nb2022.docx",)).fetchone()
    assert detect_kind(decode_body(docx["headers"], blob(crawled, docx["sha256"]))) == "docx"
    assert by_year[2022]["source_url"] == base + "/uploadfile/2023/nb2022.docx"
    # gzip bytes without a Content-Encoding: archived as sent, parsed as the page they unpack to
    page = crawled.conn.execute("SELECT sha256 FROM snapshots WHERE url = ?", (base + "/zwgk/nb/2022/c104.html",)).fetchone()
    assert blob(crawled, page[0])[:2] == b"\x1f\x8b"
    cells = crawled.conn.execute("SELECT count(*) FROM cells WHERE report_id = ?", (by_year[2021]["id"],)).fetchone()[0]
    assert cells > 100


def test_a_session_id_on_every_link_is_dropped_and_a_site_id_kept(crawled) -> None:
    urls = [r["url"] for r in crawled.final.execute("SELECT url FROM documents WHERE source_id = ?", (MV[0],))]
    assert urls and not [u for u in urls if "sid=" in u]
    seen = {r[2] for r in crawled.shapes.requests[MV[0]]}
    assert MV_LIST in seen  # the site id the list needs stayed
    assert not [p for p in seen if "sid=" in p and p != MV_LIST]


def test_one_latest_report_per_body_and_year_after_moves(crawled) -> None:
    for conn in (crawled.conn, crawled.second):
        years = [r["year"] for r in latest(conn, MV[0])]
        assert sorted(years) == [2021, 2022, 2023, 2024], years
    base = crawled.shapes.bases[MV[0]]
    # the 301 was followed in crawl 2, and the new URLs were read
    assert served(crawled, MV[0], 2, MV_MOVED_OLD)[0][4] == 301
    assert served(crawled, MV[0], 2, MV_MOVED_NEW)[0][4] == 200
    assert served(crawled, MV[0], 2, MV_LINKED_NEW)[0][4] == 200
    # the same report at its new address is the same report: its id and revision stay
    before = {r["year"]: (r["id"], r["revision"]) for r in latest(crawled.conn, MV[0])}
    after = {r["year"]: (r["id"], r["revision"]) for r in latest(crawled.second, MV[0])}
    assert after == before
    assert {base + MV_MOVED_NEW, base + MV_LINKED_NEW} <= {
        r["url"] for r in crawled.second.execute("SELECT url FROM documents WHERE kind = 'report'")}
    # … read where it now lives (the old address answers 301), its numbers linked to the bytes there
    now = {r["year"]: r for r in latest(crawled.second, MV[0])}
    assert (now[2021]["url"], now[2023]["url"]) == (base + MV_LINKED_NEW, base + MV_MOVED_NEW)
    for year in (2021, 2023):
        shown = crawled.second.execute("SELECT url FROM snapshots WHERE id = ?", (now[year]["snapshot_id"],)).fetchone()
        assert shown["url"] == now[year]["url"]
        cells = crawled.second.execute("SELECT DISTINCT snapshot_id FROM cells WHERE report_id = ?", (now[year]["id"],))
        assert [c[0] for c in cells] == [now[year]["snapshot_id"]]
    # the address each left is a trace: a duplicate of the report, marked moved
    dups = {r["url"]: r for r in crawled.second.execute("SELECT url, same_as, same_as_url, moved FROM duplicates")}
    for year, old in ((2021, MV_LINKED_OLD), (2023, MV_MOVED_OLD)):
        assert (dups[base + old]["same_as"], dups[base + old]["same_as_url"], dups[base + old]["moved"]) \
            == (now[year]["id"], now[year]["url"], 1), year
    # and the completeness matrix counts the body's year once, naming the new address
    register_functions(crawled.second)
    grid = {r["year"]: r for r in completeness(crawled.second, 2021, 2024) if r["source_id"] == MV[0]}
    for year in (2021, 2023):
        assert (grid[year]["status"], grid[year]["documents"], grid[year]["parsed"]) == ("parsed", 1, 1), year
        assert grid[year]["url"] == now[year]["url"]
    assert MV_LINKED_OLD not in {r[2] for r in crawled.shapes.requests[MV[0]] if r[0] == 2}


def test_a_byte_identical_reupload_updates_the_validators_and_stores_nothing_new(crawled) -> None:
    base = crawled.shapes.bases[MV[0]]
    rows = crawled.final.execute("SELECT id, etag, last_modified FROM snapshots WHERE url = ? AND status = 200",
                                 (base + MV_PDF,)).fetchall()
    assert len(rows) == 1  # one snapshot, one blob: the bytes never changed
    assert rows[0]["etag"] == '"nb2022-v2"' and rows[0]["last_modified"].startswith("Tue, 11 Mar 2025")
    c2, c3 = served(crawled, MV[0], 2, MV_PDF), served(crawled, MV[0], 3, MV_PDF)
    assert c2[0][3].get("if-none-match") == '"nb2022-v1"' and c2[0][4] == 200  # the old ETag: downloaded again
    assert c3[0][3].get("if-none-match") == '"nb2022-v2"' and c3[0][4] == 304  # the new one: not again
    run3 = runs(crawled.final)[2]
    new = crawled.final.execute("SELECT count(*) FROM fetches WHERE run_id = ? AND new_snapshot = 1 AND url LIKE ?",
                                (run3, "%.pdf")).fetchone()[0]
    assert new == 0


# -- the rules alone ------------------------------------------------------------------------------------------

def html(body: bytes, ctype: str = "text/html; charset=UTF-8", url: str = "http://h/a.html") -> HtmlResponse:
    return HtmlResponse(url, body=body, headers={"Content-Type": ctype}, request=Request(url))


def test_charset_rule_takes_the_meta_only_when_the_header_cannot_decode() -> None:
    lying = html(gbk_page("青石县人民政府", "政府信息公开年报", "<a href='/nb/'>政府信息公开年报</a>"))
    assert charset_instead(lying)[2] == "gb18030"
    honest = html(gbk_page("青石县人民政府", "年报", "<p>年报</p>"), "text/html; charset=GBK")
    assert charset_instead(honest) is None
    # a real UTF-8 page with one broken character stays UTF-8 (no meta naming another charset)
    one_bad = html("<html><body>政府信息公开年度报告".encode() + b"\xe5\xb9" + b"</body></html>")
    assert charset_instead(one_bad) is None


def test_session_rule_needs_a_session_name_a_random_value_and_variation() -> None:
    sessions.LEARNED.pop("x.test", None)
    page = b"<a href='/c.jsp?id=1&sid=3f9a0c1d2e4b5a69'>a</a><a href='/c.jsp?id=2&amp;sid=77ab01cd92ef3344'>b</a>" \
           b"<a href='/l.jsp?sid=12&p=2'>next</a><a href='/s.jsp?siteId=8a8a8a8a8a8a8a8a8a8a'>s</a>"
    assert sessions.learn("x.test", page) == {"sid"}
    assert sessions.strip_learned("http://x.test/c.jsp?id=1&sid=3f9a0c1d2e4b5a69") == "http://x.test/c.jsp?id=1"
    assert sessions.strip_learned("http://x.test/l.jsp?sid=12&p=2") == "http://x.test/l.jsp?sid=12&p=2"
    # a hex token that happened to draw only digits is the same session id (the replica's
    # secrets.token_hex(8) did, once: the report was filed under a URL with it)
    assert sessions.strip_learned("http://x.test/c.jsp?id=3&sid=8364888094757615") == "http://x.test/c.jsp?id=3"
    assert sessions.strip_learned("http://x.test/c.jsp?id=3&sid=201912") == "http://x.test/c.jsp?id=3&sid=201912"
    # one stable 32-hex site key on every link is no session
    sessions.LEARNED.pop("y.test", None)
    stable = b"".join(b"<a href='/c%d.jsp?sid=4028e4f45e0b9a4c015e0c4c12345678'>x</a>" % n for n in range(5))
    assert sessions.learn("y.test", stable) == set()
    assert sessions.strip_learned("http://y.test/c1.jsp?sid=4028e4f45e0b9a4c015e0c4c12345678").endswith("sid=4028e4f45e0b9a4c015e0c4c12345678")


def test_soft_404_needs_the_notice_on_a_short_page() -> None:
    nav = "".join(f"<a href='/n{k}.html'>栏目{k}</a>" for k in range(130))
    gone = html(f"<html><body>{nav}<h2>页面不存在</h2><p>请返回首页。</p></body></html>".encode(), "text/html; charset=utf-8")
    assert soft_404(gone) == "页面不存在"
    report = html(f"<html><body>{nav}<p>{'本机关依法公开政府信息。' * 60}若页面不存在请联系。</p></body></html>".encode(),
                  "text/html; charset=utf-8")
    assert soft_404(report) is None


def test_content_codings_are_checked_against_the_bytes() -> None:
    assert false_coding(b"gzip", b"PK\x03\x04 a docx")
    assert not false_coding(b"gzip", gzip.compress(b"x"))
    page = "<html>年报</html>".encode()
    assert decode_body([["Content-Type", "text/html"]], gzip.compress(page)) == page
    assert decode_body([["Content-Encoding", "gzip"]], b"PK\x03\x04") == b"PK\x03\x04"
    archive = gzip.compress(b"data")
    assert decode_body([["Content-Type", "application/gzip"]], archive) == archive
