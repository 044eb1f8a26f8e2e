"""A report page whose view counter changes on every crawl keeps one revision; a correction of the
report is still a new one, and a bookmark to a counter-only "revision" an older parse made still opens.

The page (tests/fixtures/chrome 01: a TRS article with 访问量, 相关新闻 and a footer) is archived as
the crawler archives it (Archive.record: blob, WARC, snapshot, fetch row), one run per crawl, and
the archive is parsed as `nianbao parse` does (reparse_all); the report page is served by Datasette.
"""

from __future__ import annotations

import hashlib
import html
import sqlite3
from pathlib import Path

from archive.reparse import reparse_all
from archive.store import Archive, Fetch, document_id, utcnow
from tests.support.datasette import DIRECT, served

PAGE = Path(__file__).parent / "fixtures" / "chrome" / "01_trs_counter_related_footer.html"
URL = "http://127.0.0.1:9/xxgk/ndbg/202401/t20240118_5001.html"
SOURCE = "hb-fancheng-gov"


def _crawl(data: Path, body: bytes) -> None:
    archive = Archive(data)
    run = archive.start_run("nianbao", [SOURCE])
    archive.record(Fetch(url=URL, final_url=URL, status=200, headers=[("Content-Type", "text/html; charset=utf-8")],
                         body=body, fetched_at=utcnow(), source_id=SOURCE, spider="nianbao", run_id=run))
    archive.record_document(SOURCE, URL, "report", parent_url="http://127.0.0.1:9/xxgk/ndbg/index.html",
                            title="襄阳市樊城区人民政府关于2023年度政府信息公开工作的年度报告", year=2023)
    archive.finish_run(run, {})
    archive.close()


def _page(counter: int, corrected: bool = False) -> bytes:
    html = PAGE.read_text("utf-8").replace("访问量：18240", f"访问量：{counter}")
    return (html.replace("政协提案12件", "政协提案21件") if corrected else html).encode()


def _rows(data: Path) -> list[tuple]:
    with sqlite3.connect(data / "nianbao.db") as conn:
        return conn.execute("SELECT id, revision, is_latest FROM reports ORDER BY revision").fetchall()


def test_a_counter_makes_no_revision_and_a_correction_does(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _crawl(data, _page(18240))
    reparse_all(data)
    first = _rows(data)
    assert [(r, latest) for _, r, latest in first] == [(1, 1)]
    for counter in (18251, 18263):  # two more nights: new bytes, the same report
        _crawl(data, _page(counter))
        reparse_all(data)
        assert _rows(data) == first
    _crawl(data, _page(18270, corrected=True))  # the body corrects a figure of section 六
    reparse_all(data)
    rows = _rows(data)
    assert [(r, latest) for _, r, latest in rows] == [(1, 0), (2, 1)] and rows[0][0] == first[0][0]
    with sqlite3.connect(data / "nianbao.db") as conn:
        other = dict(conn.execute("SELECT report_id, text FROM sections WHERE section = 'other'").fetchall())
    assert "政协提案12件" in other[rows[0][0]] and "政协提案21件" in other[rows[1][0]]
    assert not [t for t in other.values() if "访问量" in t or "1824" in t or "相关新闻" in t]


def test_a_bookmark_to_a_counter_only_revision_opens_the_revision_holding_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _crawl(data, _page(18240))
    _crawl(data, _page(18251))
    reparse_all(data)
    (kept,) = [r[0] for r in _rows(data)]
    # the id an older parse gave the second night's bytes (a revision of its own then)
    second = hashlib.sha256(_page(18251)).hexdigest()
    old_id = hashlib.sha1(f"{document_id(SOURCE, URL)}\n{second}".encode()).hexdigest()
    assert old_id != kept
    with served(data) as base:
        page = DIRECT.open(f"{base}/-/report/{old_id}", timeout=60)
        assert page.url.endswith(f"/-/report/{kept}")
        assert "政协提案12件" in page.read().decode()
        try:
            DIRECT.open(f"{base}/-/report/{'0' * 40}", timeout=60)
            raise AssertionError("an unknown id must stay unknown")
        except Exception as err:  # noqa: BLE001 - urllib raises HTTPError for the 404
            assert getattr(err, "code", None) == 404


# ---- an error answer archived at the report's URL is history, not a revision ------------------------

REPORT_TXT = (Path(__file__).parent / "fixtures" / "realworld"
              / "n13_01_shanwei_chengqu_2024_txt_review_caseload_received_truthful.txt")
FIRST, SECOND = "http://127.0.0.1:9/xxgk/ndbg/5001.html", "http://127.0.0.1:9/xxgk/ndbg/5001_2.html"


def _pages() -> tuple[bytes, bytes]:
    """A real report printed over two pages of its portal (the article's own pager)."""
    lines = [html.escape(line) for line in REPORT_TXT.read_text("utf-8").splitlines()]
    half = len(lines) // 2
    return tuple("<html><body>{}</body></html>".format("".join(f"<p>{x}</p>" for x in part)).encode()
                 for part in (lines[:half], lines[half:]))  # type: ignore[return-value]


def _night(data: Path, first_status: int) -> None:
    first, second = _pages()
    archive = Archive(data)
    run = archive.start_run("nianbao", [SOURCE])
    for url, status, body in ((FIRST, first_status, first if first_status == 200 else b"Too Many Requests"),
                              (SECOND, 200, second)):
        archive.record(Fetch(url=url, final_url=url, status=status, headers=[("Content-Type", "text/html; charset=utf-8")],
                             body=body, fetched_at=utcnow(), source_id=SOURCE, spider="nianbao", run_id=run))
    archive.record_document(SOURCE, FIRST, "report", parent_url="http://127.0.0.1:9/xxgk/ndbg/index.html",
                            title="汕尾市城区人民政府2024年政府信息公开工作年度报告", year=2024)
    archive.record_document(SOURCE, SECOND, "page", parent_url=FIRST)
    archive.finish_run(run, {})
    archive.close()


def test_an_error_answer_before_the_report_is_no_revision(tmp_path: Path) -> None:
    """The first night the portal answered 429; the next it served the report.  The 429 stays archived
    (a snapshot of the URL), but the report's first reading is its revision 1."""
    data = tmp_path / "data"
    _night(data, 429)
    _night(data, 200)
    reparse_all(data)
    with sqlite3.connect(data / "nianbao.db") as conn:
        answers = conn.execute("SELECT status FROM snapshots WHERE url = ? ORDER BY revision", (FIRST,)).fetchall()
        reports = conn.execute("SELECT revision, is_latest, new_received_total FROM reports").fetchall()
    assert answers == [(429,), (200,)]
    assert reports == [(1, 1, 103)]



def test_bytes_that_come_back_keep_the_first_equal_readings_id(tmp_path: Path) -> None:
    """Nights A, B, A where B reads as A (only the counter changed): the report stays A's, first captured,
    and B's id is an alias of it (was: B's id, A's an alias, as A was listed last by its last sighting)."""
    data = tmp_path / "data"
    _crawl(data, _page(18240))
    reparse_all(data)
    (first,) = [r[0] for r in _rows(data)]
    _crawl(data, _page(18251))
    _crawl(data, _page(18240))  # the same bytes as the first night: the first snapshot again
    reparse_all(data)
    assert [r[0] for r in _rows(data)] == [first]
    with sqlite3.connect(data / "nianbao.db") as conn:
        snap = conn.execute("SELECT s.sha256 FROM reports r JOIN snapshots s ON s.id = r.snapshot_id").fetchone()[0]
        b_id = hashlib.sha1(f"{document_id(SOURCE, URL)}\n{hashlib.sha256(_page(18251)).hexdigest()}".encode()).hexdigest()
        assert conn.execute("SELECT report_id FROM report_aliases WHERE id = ?", (b_id,)).fetchone() == (first,)
    assert snap == hashlib.sha256(_page(18240)).hexdigest()
