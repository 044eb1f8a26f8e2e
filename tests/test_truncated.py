"""Documents cut short and blobs damaged on disk: never read as whole (parsers/truncation.py,
formats/pdftorn.py, BlobStore.read, `nianbao verify`).

Real files cut at real points: the fixtures' HTML, text and PDF reports, a real crawl of a page
served close-delimited and cut inside a number, an archive whose blob is altered on disk.
"""

from __future__ import annotations

import http.server
import json
import re
import sqlite3
import threading
from pathlib import Path

import pytest
import yaml

from archive.cli import main as nianbao
from archive.reparse import reparse_all
from archive.store import Archive, BlobStore
from parsers import ParseError, parse_bytes
from parsers.cli import main as parse_cli
from tests.portal.render import report_html
from tests.support.formats_corpus import load_seeds
from tests.support.responses import put_response

REAL = Path(__file__).parent / "fixtures" / "realworld"
HTML = REAL / "05_foshan_city_2023_trs.html"
PAGES = [HTML, REAL / "06_chengdu_weijian_2022_msoword.html", REAL / "08_jinan_shichangjianguan_2023_hanweb_split.html"]
TABS = REAL / "03_suzhou_ziranziyuan_2022_webcopy_tabs.txt"
PDF_SMALL = REAL / "106_xuancheng_xuanzhou_district_2022_reportlab_tables2_3_side_by_side_landscape.pdf"
PDF_BIG = REAL / "109_anyang_wenfeng_district_2022_chromium_table2_colspan_cells_border_gaps.pdf"


def _cells(result) -> dict[tuple, object]:
    return {(c["table"], c["row"], c["col"]): c["value"] for c in result.cells}


def _wrong(cut, whole) -> list:
    """Cells the cut document reads as a number the whole one does not print there."""
    return [(k, v, whole.get(k)) for k, v in _cells(cut).items() if v is not None and v != whole.get(k)]


def _truncated(result) -> list[dict]:
    return [f for f in result.findings if f["code"] == "truncated"]


# --- HTML ------------------------------------------------------------------------------------

def test_a_page_cut_inside_a_number_has_that_cell_null_and_says_where_it_ends() -> None:
    data = HTML.read_bytes()
    whole = _cells(parse_bytes(data, HTML.name))
    # every cell of two or more digits: cut after its first digit (`<td …>15` of a printed 1520)
    cuts = [m.start(1) + 1 for m in re.finditer(rb"<td[^>]*>(?:<[^>]+>|\s)*(\d{2,})", data)]
    assert len(cuts) >= 5
    for at in cuts:
        cut = parse_bytes(data[:at], HTML.name)
        assert _wrong(cut, whole) == [], at
        found = _truncated(cut)
        assert found, at
        named = [c for c in found[0]["cells"] if "." in c]
        if named:  # the cell at the cut: null, and the whole prints more digits there than the cut left
            key = tuple(named[0].split("."))
            assert _cells(cut)[key] is None
            assert len(str(whole[key])) >= 2
        assert "文件不完整" in found[0]["message"] and "末尾印出" in found[0]["message"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name[:12])
def test_a_page_cut_anywhere_reads_no_wrong_number(path) -> None:
    data = path.read_bytes()
    whole = _cells(parse_bytes(data, path.name))
    for i in range(1, 40):
        at = len(data) * i // 40
        try:
            cut = parse_bytes(data[:at], path.name)
        except ParseError:
            continue
        assert _wrong(cut, whole) == [], (path.name, at)


def test_the_cut_case_of_the_exam_licensing_1520_cut_to_15() -> None:
    seed = load_seeds()[0]
    page = report_html(seed.record, seed.narrative, seed.title).encode()
    whole = parse_bytes(page, "r.html")
    decisions = whole.record["active_disclosure"]["licensing"]["decisions"]
    assert decisions is not None and decisions >= 10, "the seed prints a licensing count of two digits or more"
    at = re.search(rb"\u884c\u653f\u8bb8\u53ef".decode("unicode_escape").encode() + rb".*?>(\d+)<", page, re.S)
    assert at is not None
    cut = parse_bytes(page[: at.start(1) + 1], "r.html")
    assert cut.record["active_disclosure"]["licensing"]["decisions"] is None
    assert _truncated(cut)[0]["cells"] == ["active_disclosure.licensing.decisions"]
    assert cut.record["applications"] is None  # never reached
    assert all("文件不完整" in f["message"] for f in cut.findings if f["code"] == "table_missing")


def test_a_page_without_closing_tags_after_a_complete_table_is_no_cut() -> None:
    data = HTML.read_bytes()
    end = data.rfind(b"</table>") + len(b"</table>")
    whole = parse_bytes(data, HTML.name)
    for tail in (b"", b"\n<p>\xe6\x8a\xa5\xe5\x91\x8a</p>", b"</td></tr></table></div>"):
        cut = parse_bytes(data[:end] + tail, HTML.name)
        assert not _truncated(cut)
        assert _wrong(cut, _cells(whole)) == []
    # a table its author left open, the page going on to </body>: read as before
    open_table = data.replace(b"</table>", b"", 1)
    assert not _truncated(parse_bytes(open_table, HTML.name))


def test_a_utf8_character_cut_in_half_does_not_turn_the_page_to_mojibake() -> None:
    data = HTML.read_bytes()
    if not data.startswith(b"\xef\xbb\xbf"):
        data.decode("utf-8")  # (a UTF-8 page)
    at = next(m.start() + 1 for m in re.finditer(rb"[\xe4-\xe9]", data[len(data) // 2:])) + len(data) // 2
    cut = parse_bytes(data[:at], HTML.name)
    assert cut.record["agency"] == parse_bytes(data, HTML.name).record["agency"]
    assert not any("mixes encodings" in s for s in cut.meta.get("skipped", []))


# --- text ------------------------------------------------------------------------------------

def test_a_text_cut_inside_a_character_after_a_number_has_the_number_null() -> None:
    data = TABS.read_bytes()
    whole = _cells(parse_bytes(data, TABS.name))
    row = re.search(rb"\t(\d{2,})\t", data)
    assert row is not None
    cut = parse_bytes(data[: row.end(1)] + "件".encode()[:1], TABS.name)  # …\t18 and half of 件
    assert _wrong(cut, whole) == []
    assert _truncated(cut)


# --- PDF -------------------------------------------------------------------------------------

def test_a_pdf_cut_anywhere_is_an_error_or_reads_its_whole_pages_only() -> None:
    data = PDF_SMALL.read_bytes()
    whole = _cells(parse_bytes(data, PDF_SMALL.name))
    read = 0
    for i in range(1, 30):
        at = len(data) * i // 30
        try:
            cut = parse_bytes(data[:at], PDF_SMALL.name)
        except ParseError as err:
            assert "truncated" in str(err) or "corrupt" in str(err), (at, err)
            continue
        read += 1
        assert _wrong(cut, whole) == [], at
        assert _truncated(cut), at  # never a parse that looks whole
    assert read


def test_a_pdf_cut_before_its_last_page_keeps_the_whole_pages_and_says_which_are_lost() -> None:
    data = PDF_BIG.read_bytes()
    whole = parse_bytes(data, PDF_BIG.name)
    for share in (0.5, 0.95, 0.995):
        try:
            cut = parse_bytes(data[: int(len(data) * share)], PDF_BIG.name)
        except ParseError as err:
            assert "truncated" in str(err) or "corrupt" in str(err)
            continue
        assert _wrong(cut, _cells(whole)) == []
        assert "PDF 文件被截断" in _truncated(cut)[0]["message"]


def test_nianbao_parse_says_truncated_pdf_and_exits_2(tmp_path, capsys) -> None:
    data = PDF_SMALL.read_bytes()
    path = tmp_path / "cut.pdf"
    for i in range(1, 20):  # a cut that leaves no page whole
        path.write_bytes(data[: len(data) * i // 20])
        try:
            parse_bytes(path.read_bytes(), path.name)
        except ParseError as err:
            if "truncated PDF" in str(err):
                break
    else:
        pytest.fail("no cut of the PDF left it without a whole page")
    assert parse_cli([str(path), "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "truncated PDF" in err[0]


# --- archive: blobs damaged on disk ------------------------------------------------------------

def _archive_with_report(root: Path) -> tuple[str, bytes]:
    seed = load_seeds()[0]
    page = report_html(seed.record, seed.narrative, seed.title).encode()
    arc = Archive(root)
    arc.start_run("test", ["s1"])
    url = "http://127.0.0.1:9/ndbg/2024.html"
    arc.record_document("s1", url, "report", title=seed.title)
    put_response(arc, url, page, "2025-01-01T00:00:00Z", "text/html; charset=utf-8")
    return url, page


def test_a_blob_altered_on_disk_is_a_parse_failure_a_status_line_and_a_verify_error(tmp_path, capsys) -> None:
    url, page = _archive_with_report(tmp_path)
    reparse_all(tmp_path)
    db = sqlite3.connect(tmp_path / "nianbao.db")
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert nianbao(["--data", str(tmp_path), "verify"]) == 0
    sha = db.execute("SELECT sha256 FROM snapshots WHERE url = ?", (url,)).fetchone()[0]
    blob = BlobStore(tmp_path).path(sha)
    digits = re.search(rb">(\d{2,})<", page)
    blob.write_bytes(page[: digits.start(1)] + b"9" + page[digits.start(1) + 1:])  # 1520 -> 9520, same length
    reparse_all(tmp_path)
    db = sqlite3.connect(tmp_path / "nianbao.db")
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    reason = db.execute("SELECT reason FROM parse_failures WHERE url = ?", (url,)).fetchone()[0]
    assert reason.startswith(f"blob damaged: sha256 {sha}")
    capsys.readouterr()
    assert nianbao(["--data", str(tmp_path), "status"]) != 0
    assert "damaged on disk" in capsys.readouterr().out
    assert nianbao(["--data", str(tmp_path), "verify", "--json"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert [b["sha256"] for b in verdict["damaged_blobs"]] == [sha]
    blob.write_bytes(page[: len(page) // 2])  # cut
    assert nianbao(["--data", str(tmp_path), "verify"]) == 1
    # the same bytes archived again (a re-fetch) mend it; nothing else is rewritten
    assert BlobStore(tmp_path).put(page) == (sha, False)
    assert nianbao(["--data", str(tmp_path), "verify"]) == 0
    reparse_all(tmp_path)
    assert sqlite3.connect(tmp_path / "nianbao.db").execute("SELECT count(*) FROM reports").fetchone()[0] == 1


# --- a real crawl of a page served close-delimited and cut inside a number ----------------------

class _Portal(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    pages: dict[str, bytes] = {}
    cut: bytes = b""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/ndbg/cut.html":  # no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(self.cut)
            return
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


def test_a_crawled_page_cut_by_the_connection_close_is_noted_and_its_cut_number_is_null(tmp_path) -> None:
    from crawler.run import crawl

    seed = load_seeds()[0]
    page = report_html(seed.record, seed.narrative, seed.title).encode()
    m = re.search(rb">(\d{2,})<", page)
    _Portal.cut = page[: m.start(1) + 1]
    link = f'<li><a href="/ndbg/cut.html">{seed.title}</a></li>'
    _Portal.pages = {"/ndbg/index.html": f"<html><head><meta charset=utf-8><title>政府信息公开年报</title></head>"
                                         f"<body><h1>政府信息公开年报</h1><ul>{link}</ul></body></html>".encode(),
                     "/robots.txt": b""}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        registry = [{"id": "cut", "name": seed.record["agency"], "level": "county", "kind": "department",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [base + "/ndbg/index.html"], "allowed_domains": ["127.0.0.1"]}]
        (tmp_path / "sources.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        crawl(tmp_path, sources_path=tmp_path / "sources.yaml",
              settings={"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0,
                        "LOG_LEVEL": "WARNING", "NIANBAO_BROWSER": False})
    finally:
        server.shutdown()
    db = sqlite3.connect(tmp_path / "nianbao.db")
    note = db.execute("SELECT note FROM snapshots WHERE url LIKE '%/ndbg/cut.html'").fetchone()[0]
    assert "closed the connection" in note
    reparse_all(tmp_path)
    db = sqlite3.connect(tmp_path / "nianbao.db")
    report = db.execute("SELECT id FROM reports").fetchone()[0]
    codes = [r[0] for r in db.execute("SELECT code FROM findings WHERE report_id = ?", (report,))]
    assert "truncated" in codes
    whole = _cells(parse_bytes(page, "r.html"))
    for table, row, col, value in db.execute("SELECT \"table\", row, col, value FROM cells WHERE report_id = ?",
                                             (report,)):
        assert value is None or float(value) == float(whole[(table, row, col)]), (table, row, col, value)
