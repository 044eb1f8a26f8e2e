"""Every archived report document leaves a trace a researcher can read, and only a true one.

Found by a hostile examination of a crawled column: a page that only links its report file was
filed as a present report (every table "not printed") when the file could not be read, and copies
of one report at several addresses left some documents with no row at all.  Real parser, real
files, a real archive: a document is a `reports` row, a `duplicates` row naming the report it
repeats, or (its file's) `parse_failures` row; the completeness matrix says `failed` for a year
whose only report file failed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.completeness import completeness
from archive.reparse import reparse_all
from archive.store import Archive
from tests.support.responses import put_response

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_8ed2ea85f6f5d4e7.txt"  # 聊城市公安局 2024, three tables
DOCX = ROOT / "tests" / "fixtures" / "formats" / "zibo_police_libreoffice.docx"
SITE = "http://127.0.0.1:9/xxgk"


def _page(title: str, link: str, body: str = "") -> bytes:
    """An article page as portals print one over an attached file: title, a line, the link."""
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>'
            f'<div class="info">发布时间：2025-01-20</div><div class="content"><p>现将{title}予以公布。</p>{body}'
            f'<p>附件：<a href="{link}">{title}</a></p></div></body></html>').encode()


def _article(arc: Archive, n: int, title: str, agency: str, year: int, file: str, data: bytes, ctype: str) -> str:
    page, att = f"{SITE}/art_{n}.html", f"{SITE}/files/{n}.{file}"
    arc.record_document("s1", page, "report", title=title, year=year, agency=agency)
    arc.record_document("s1", att, "attachment", parent_url=page)
    put_response(arc, page, _page(title, f"files/{n}.{file}"), f"2025-02-01T00:00:{n:02d}Z", "text/html; charset=utf-8")
    put_response(arc, att, data, f"2025-02-01T00:01:{n:02d}Z", ctype)
    return page


def _q(root: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(root / "nianbao.db")
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _grid(root: Path) -> dict[int, dict]:
    conn = sqlite3.connect(root / "nianbao.db")
    try:
        return {r["year"]: r for r in completeness(conn, 2023, 2024) if r["source_id"] == "s1"}
    finally:
        conn.close()


def test_a_page_over_a_file_that_failed_is_no_report_of_its_own(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    broken = DOCX.read_bytes()[: DOCX.stat().st_size // 2]  # a download cut in half
    page = _article(arc, 1, "聊城市公安局2024年政府信息公开工作年度报告", "聊城市公安局", 2024, "docx", broken,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    arc.close()
    stats = reparse_all(tmp_path)
    assert stats["failed_carriers"] == 1
    # no present-looking report with every table "not printed": the year's trace is the file's failure
    assert _q(tmp_path, "SELECT url FROM reports") == []
    assert _q(tmp_path, "SELECT count(*) FROM findings") == [(0,)]
    assert [u for (u,) in _q(tmp_path, "SELECT url FROM parse_failures")] == [f"{SITE}/files/1.docx"]
    cell = _grid(tmp_path)[2024]
    assert (cell["status"], cell["documents"], cell["parsed"], cell["url"]) == ("failed", 1, 0, page)


def test_a_page_over_a_file_the_crawl_could_not_fetch_is_failed_naming_it(tmp_path: Path) -> None:
    """全文详见附件 over a "附件下载" link that answers 404: the 404 is archived and a crawl_errors row, but
    never a document.  The page alone is no report (every table "not printed"); its year is `failed`,
    and the failure names the file and why, so the matrix does not show the year as parsed."""
    from archive.store import Fetch

    arc = Archive(tmp_path)
    page, att = f"{SITE}/art_1.html", f"{SITE}/module/download/download.jsp?id=93907"
    title = "聊城市公安局2021年政府信息公开工作年度报告"
    arc.record_document("s1", page, "report", title=title, year=2021, agency="聊城市公安局")
    put_response(arc, page, _page(title, "module/download/download.jsp?id=93907", "<p>全文详见附件。</p>"),
                 "2025-02-01T00:00:01Z", "text/html; charset=utf-8")
    arc.record(Fetch(url=att, final_url=att, status=404, headers=[("Content-Type", "text/html")],
                     body=b"<html><body>404 Not Found</body></html>", fetched_at="2025-02-01T00:00:02Z",
                     referrer=page, source_id="s1", spider="test"))
    arc.record_error(None, "s1", att, "http 404")
    arc.record_error(None, "s1", f"{SITE}/elsewhere.html", "http 404")  # not linked from the page
    arc.close()
    reparse_all(tmp_path)
    assert _q(tmp_path, "SELECT url FROM reports") == []
    assert _q(tmp_path, "SELECT url, reason FROM parse_failures") == [
        (page, f"its file could not be fetched ({att}: http 404)")]
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        cell = next(r for r in completeness(conn, 2021, 2021) if r["source_id"] == "s1")
    finally:
        conn.close()
    assert (cell["status"], cell["parsed"], cell["url"]) == ("failed", 0, page)


def test_a_bare_page_whose_file_was_fetched_later_is_read_from_the_file(tmp_path: Path) -> None:
    """A 404 on one night and the file archived on the next: the error is history, the file the report."""
    from archive.store import Fetch

    arc = Archive(tmp_path)
    title = "聊城市公安局2024年政府信息公开工作年度报告"
    page = _article(arc, 1, title, "聊城市公安局", 2024, "txt", SEED.read_bytes(), "text/plain; charset=utf-8")
    att = f"{SITE}/files/1.txt"
    arc.record(Fetch(url=att, final_url=att, status=404, headers=[("Content-Type", "text/html")],
                     body=b"not found", fetched_at="2025-01-01T00:00:00Z", referrer=page, source_id="s1",
                     spider="test"))
    arc.record_error(None, "s1", att, "http 404")
    arc.close()
    reparse_all(tmp_path)
    assert _q(tmp_path, "SELECT source_url, year FROM reports") == [(att, 2024)]
    assert _q(tmp_path, "SELECT count(*) FROM parse_failures") == [(0,)]


def test_a_bare_page_over_a_readable_file_without_tables_is_read_from_the_file(tmp_path: Path) -> None:
    """A file whose tables cannot be read still holds the report's narrative and its true findings;
    the bare page would claim the tables were never printed."""
    narrative = "\n\n".join([
        "聊城市公安局2024年政府信息公开工作年度报告", "一、总体情况",
        "2024年，聊城市公安局认真贯彻落实《条例》，全年主动公开政府信息356条。",
        "二、主动公开政府信息情况", "见附表。", "三、收到和处理政府信息公开申请情况", "见附表。",
        "四、政府信息公开行政复议、行政诉讼情况", "见附表。", "五、存在的主要问题及改进情况",
        "公开内容的规范性有待提高。", "六、其他需要报告的事项", "本年度未收取信息处理费。"])
    arc = Archive(tmp_path)
    _article(arc, 1, "聊城市公安局2024年政府信息公开工作年度报告", "聊城市公安局", 2024, "txt",
             narrative.encode("utf-8"), "text/plain; charset=utf-8")
    arc.close()
    reparse_all(tmp_path)
    rows = _q(tmp_path, "SELECT source_url, agency, year FROM reports")
    assert rows == [(f"{SITE}/files/1.txt", "聊城市公安局", 2024)]
    overview = _q(tmp_path, "SELECT text FROM sections WHERE section = 'overview'")
    assert overview == [("2024年，聊城市公安局认真贯彻落实《条例》，全年主动公开政府信息356条。",)]


def test_a_link_page_that_is_no_report_over_a_file_without_tables_is_no_failure(tmp_path: Path) -> None:
    """A title that does not name the body ("2017年政府信息公开工作年度报告") over "详见附件。" reads as no report
    (the page alone names no body and prints nothing of one); its file, a pre-2019 report in prose, is
    the report.  The page is that report's carrier, not a parse failure as well: a document is a
    report, a duplicate or a failure, never two of them (found by a crawl of a whole province, where
    every such page counted twice)."""
    prose = "\n\n".join([
        "聊城市公安局2017年政府信息公开工作年度报告", "一、概述",
        "2017年，聊城市公安局认真贯彻落实《条例》，全年主动公开政府信息212条。",
        "二、主动公开政府信息情况", "全年主动公开政府信息212条，其中通过门户网站公开198条。",
        "三、依申请公开政府信息情况", "全年共受理政府信息公开申请6件，均已按期答复。",
        "四、政府信息公开的收费及减免情况", "本年度未收取任何费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "本年度未发生此类情况。",
        "六、存在的主要问题及改进措施", "公开内容的规范性有待提高。"])
    arc = Archive(tmp_path)
    title = "2017年政府信息公开工作年度报告"
    page, att = f"{SITE}/art_1.html", f"{SITE}/files/1.txt"
    arc.record_document("s1", page, "report", title=title, year=2017, agency=None)
    arc.record_document("s1", att, "attachment", parent_url=page)
    put_response(arc, page, _page(title, "files/1.txt", "<p>详见附件。</p>"), "2018-02-01T00:00:01Z",
                 "text/html; charset=utf-8")
    put_response(arc, att, prose.encode("utf-8"), "2018-02-01T00:01:01Z", "text/plain; charset=utf-8")
    arc.close()
    reparse_all(tmp_path)
    assert _q(tmp_path, "SELECT source_url, agency, year, template FROM reports") == [
        (att, "聊城市公安局", 2017, "free")]
    assert _q(tmp_path, "SELECT url, reason FROM parse_failures") == []


def test_copies_of_one_report_at_several_addresses_each_leave_a_trace(tmp_path: Path) -> None:
    """The same report file (bytes differing only in trailing blank lines) under three pages: a page
    listed as another body's 2023 report (seen first), the body's own page, and a second copy.  One
    report row, at the page listed as this body's report; the other two are `duplicates` naming it."""
    data = SEED.read_bytes()
    arc = Archive(tmp_path)
    stray = _article(arc, 1, "聊城市档案馆2023年政府信息公开工作年度报告", "聊城市档案馆", 2023, "txt", data + b"\n",
                     "text/plain; charset=utf-8")
    home = _article(arc, 2, "聊城市公安局2024年政府信息公开工作年度报告", "聊城市公安局", 2024, "txt", data + b"\n\n",
                    "text/plain; charset=utf-8")
    copy = _article(arc, 3, "聊城市公安局2024年度政府信息公开工作报告", "聊城市公安局", 2024, "txt", data + b"\n\n\n",
                    "text/plain; charset=utf-8")
    arc.close()
    reparse_all(tmp_path)
    reports = _q(tmp_path, "SELECT id, url, agency, year, revision, is_latest FROM reports")
    assert [r[1:] for r in reports] == [(home, "聊城市公安局", 2024, 1, 1)]
    kept = reports[0][0]
    dups = _q(tmp_path, "SELECT url, source_url, agency, year, listed_as, same_as, same_as_url FROM duplicates ORDER BY url")
    assert dups == [
        (stray, f"{SITE}/files/1.txt", "聊城市公安局", 2024, "聊城市档案馆2023年政府信息公开工作年度报告", kept, home),
        (copy, f"{SITE}/files/3.txt", "聊城市公安局", 2024, "聊城市公安局2024年度政府信息公开工作报告", kept, home),
    ]
    # every report document is accounted for
    docs = {u for (u,) in _q(tmp_path, "SELECT url FROM documents WHERE kind = 'report'")}
    traced = {u for (u,) in _q(tmp_path, "SELECT url FROM reports UNION SELECT url FROM duplicates")}
    assert docs == traced
    # the copies are the body's 2024 report, not another body's 2023 one
    grid = _grid(tmp_path)
    assert (grid[2024]["status"], grid[2024]["report_id"], grid[2024]["documents"]) == ("parsed", kept, 3)
    assert grid[2023]["status"] == "missing"


def test_a_failure_row_says_what_the_cli_says(tmp_path: Path) -> None:
    """The parse_failures row of a file whose reader library fails (a PDF page tree that loops) names
    the problem in the same words `nianbao parse FILE` prints, not the library's exception."""
    import subprocess
    import sys

    from tests.test_bad_input import _CYCLIC_PDF

    arc = Archive(tmp_path)
    _article(arc, 1, "聊城市公安局2024年政府信息公开工作年度报告", "聊城市公安局", 2024, "pdf", _CYCLIC_PDF,
             "application/pdf")
    arc.close()
    reparse_all(tmp_path)
    (reason,), = _q(tmp_path, "SELECT reason FROM parse_failures")
    path = tmp_path / "cyclic.pdf"
    path.write_bytes(_CYCLIC_PDF)
    cli = subprocess.run([sys.executable, "-m", "parsers.cli", str(path), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 2 and cli.stderr.strip() == f"{path}: {reason}"
    assert reason.startswith("cycle in the PDF page tree")


def test_the_report_page_names_the_other_addresses(tmp_path: Path) -> None:
    from archive.reportpage import report_page

    data = SEED.read_bytes()
    arc = Archive(tmp_path)
    home = _article(arc, 1, "聊城市公安局2024年政府信息公开工作年度报告", "聊城市公安局", 2024, "txt", data,
                    "text/plain; charset=utf-8")
    copy = _article(arc, 2, "聊城市档案馆2023年政府信息公开工作年度报告", "聊城市档案馆", 2023, "txt", data + b"\n",
                    "text/plain; charset=utf-8")
    arc.close()
    reparse_all(tmp_path)
    (report_id, url), = _q(tmp_path, "SELECT id, url FROM reports")
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    try:
        page = report_page(conn, report_id)
    finally:
        conn.close()
    assert url == home
    assert [(c["url"], c["listed_as"]) for c in page["copies"]] == [(copy, "聊城市档案馆2023年政府信息公开工作年度报告")]


def test_a_file_served_without_a_suffix_is_ranked_by_its_bytes(tmp_path: Path) -> None:
    """An article over two copies of its report, a DOCX from a download servlet and a plain-text copy:
    the DOCX is read first, as a `.docx` link would be (its URL names no kind; its bytes do)."""
    docx = DOCX.read_bytes()
    from parsers import parse_bytes
    from parsers.extract import extract_text

    text = extract_text(docx)[0].encode("utf-8")
    assert parse_bytes(text).record["agency"] == "淄博市公安局"  # the text copy reads as a report too
    arc = Archive(tmp_path)
    title = "淄博市公安局2024年政府信息公开工作年度报告"
    page, servlet, txt = f"{SITE}/art_1.html", f"{SITE}/servlet/get?id=9", f"{SITE}/files/1.txt"
    arc.record_document("s1", page, "report", title=title, year=2024, agency="淄博市公安局")
    for url in (servlet, txt):
        arc.record_document("s1", url, "attachment", parent_url=page)
    body = f'<p>附件：<a href="servlet/get?id=9">{title}</a> <a href="files/1.txt">{title}（文本）</a></p>'
    put_response(arc, page, _page(title, "files/1.txt", body), "2025-02-01T00:00:01Z", "text/html; charset=utf-8")
    put_response(arc, servlet, docx, "2025-02-01T00:01:01Z", "application/octet-stream")
    put_response(arc, txt, text, "2025-02-01T00:01:02Z", "text/plain; charset=utf-8")
    arc.close()
    reparse_all(tmp_path)
    assert _q(tmp_path, "SELECT source_url, agency, year FROM reports WHERE is_latest") == [(servlet, "淄博市公安局", 2024)]
