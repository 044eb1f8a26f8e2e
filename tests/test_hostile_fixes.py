"""What a blind examination with hostile input found (/tmp/hostile1), fixed and kept fixed:
a page of 10,000 links held the crawl's one event loop for minutes (one selector query per link
over the whole page); a DOCX member lying about its size inflated whole (1.8 GB) before its CRC
failed; UTF-8 text with a few stray bytes, text with NULs and UTF-16 without a BOM were lost;
a robots.txt answering 500 was read as "everything allowed".

Real bytes throughout; the crawl tests run the real crawler against real servers on 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from parsel import Selector
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from archive.store import Archive
from crawler.lock import lock_holder
from crawler.monitor import main as status_main
from crawler.run import crawl
from crawler.spiders.base import entry_context
from crawler.spiders.generic import GenericSpider
from crawler.spiders.links import PAGE_LINKS, link_total, page_links
from parsers import ParseError, parse_bytes
from parsers.detect import detect_kind

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "RETRY_TIMES": 1, "LOG_LEVEL": "WARNING", "NIANBAO_BROWSER": False}


# --- text that is still text ------------------------------------------------------------

@pytest.fixture(scope="module")
def clean():
    return parse_bytes(SEED.read_bytes())


def _same_report(result, clean) -> None:
    """The same record as the clean seed's; a byte that was not text shows as U+FFFD in the narrative."""
    def plain(record: dict) -> dict:
        sections = {k: "".join(str(v).replace("\ufffd", "").split()) for k, v in (record.get("sections") or {}).items()}
        return {**record, "sections": sections}

    assert plain(result.record) == plain(clean.record)
    assert {k: v for k, v in result.record.items() if k != "sections"} == \
        {k: v for k, v in clean.record.items() if k != "sections"}
    assert [f.get("kind") for f in result.findings] == [f.get("kind") for f in clean.findings]


def test_text_with_nul_bytes_is_read_without_them(clean) -> None:
    data = SEED.read_text().encode().replace("。".encode(), "。".encode() + b"\x00\x00")
    assert detect_kind(data) == "text"
    result = parse_bytes(data)
    _same_report(result, clean)
    assert any("NUL" in note for note in result.meta.get("skipped", []))


def test_utf8_with_a_few_stray_bytes_stays_utf8(clean) -> None:
    """Stray bytes at line ends (every character intact), and \\xff\\xfe\\xc3 put between lines."""
    lines = SEED.read_text().encode().split(b"\n")
    at_ends = b"\n".join(line + b"\xff" if i % 9 == 0 and line else line for i, line in enumerate(lines))
    _same_report(parse_bytes(at_ends), clean)
    between = b"\n".join(b"\xff\xfe\xc3\n" + line if i % 15 == 7 else line for i, line in enumerate(lines))
    result = parse_bytes(between)
    _same_report(result, clean)
    assert any("not valid UTF-8" in note for note in result.meta.get("skipped", []))


def test_gbk_text_is_still_read_as_gbk(clean) -> None:
    _same_report(parse_bytes(SEED.read_text().encode("gb18030")), clean)


def test_text_half_utf8_half_gbk_reads_each_line_in_its_own_encoding(clean) -> None:
    """Two halves pasted together from files saved differently: no half is mojibake, and the text says
    it mixed encodings."""
    lines = SEED.read_text().split("\n")
    half = len(lines) // 2
    data = "\n".join(lines[:half]).encode() + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    result = parse_bytes(data)
    _same_report(result, clean)
    assert "\ufffd" not in json.dumps(result.record, ensure_ascii=False)
    assert any(note.startswith("text mixes encodings") for note in result.meta.get("skipped", []))


def test_a_page_half_utf8_half_gbk_reads_each_line_in_its_own_encoding() -> None:
    html = (ROOT / "tests" / "fixtures" / "formats" / "liaocheng_gov_gbk_split.html").read_bytes()
    lines = html.decode("gb18030").split("\n")
    half = len(lines) // 2
    mixed = parse_bytes("\n".join(lines[:half]).encode() + b"\n" + "\n".join(lines[half:]).encode("gb18030"))
    clean = parse_bytes(html)
    assert mixed.record == clean.record
    assert any(note.startswith("text mixes encodings") for note in mixed.meta.get("skipped", []))
    assert not clean.meta.get("skipped")


def test_one_gbk_text_is_not_taken_for_mixed(clean) -> None:
    result = parse_bytes(SEED.read_text().encode("gb18030"))
    assert not any("mixes" in note for note in result.meta.get("skipped", []))


def test_nul_bytes_in_a_page_are_dropped_not_shown() -> None:
    html = (ROOT / "tests" / "fixtures" / "formats" / "liaocheng_gov_gbk_split.html").read_bytes()
    clean = parse_bytes(html)
    dirty = parse_bytes(html.replace("。".encode("gb18030"), "。".encode("gb18030") + b"\x00\x00"))
    assert clean.record == dirty.record
    assert "\ufffd" not in json.dumps(dirty.record, ensure_ascii=False)


def test_a_title_at_the_start_of_one_long_line_names_the_agency() -> None:
    """A PDF printed as one line (title, narrative and tables run together) still names its body."""
    import pymupdf

    title = "聊城市公安局2024年政府信息公开工作年度报告"
    text = " ".join([title, "本报告根据《中华人民共和国政府信息公开条例》编制。", "一、总体情况",
                     "2024年，聊城市公安局全面推进政务公开工作，全年主动公开政府信息356条。" * 3])
    doc = pymupdf.open()
    page = doc.new_page(width=len(text) * 9 + 40, height=200)
    page.insert_text((20, 100), text, fontname="china-s", fontsize=8)
    result = parse_bytes(doc.tobytes())
    assert (result.record["agency"], result.record["year"], result.meta["title"]) == ("聊城市公安局", 2024, title)


def test_a_long_sentence_naming_the_report_is_no_title() -> None:
    text = ("根据《条例》规定，现公布聊城市公安局2024年政府信息公开工作年度报告，本报告由总体情况、主动公开政府信息情况、"
            "收到和处理政府信息公开申请情况等部分组成，如有疑问请与我局联系。")
    from parsers.metadata import find_title

    assert find_title([text]) == (None, None)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom(codec, clean) -> None:
    data = SEED.read_text().encode(codec)
    assert detect_kind(data) == "text"
    _same_report(parse_bytes(data), clean)


def test_binary_with_nuls_is_still_unsupported() -> None:
    data = bytes(range(256)) * 20
    assert detect_kind(data) == "unknown"
    with pytest.raises(ParseError, match="unsupported"):
        parse_bytes(data)


# --- zip members that lie about their size -------------------------------------------------

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                 b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _lying_docx(mib: int, declared: int) -> bytes:
    """document.xml of `mib` MiB of spaces whose headers say `declared` bytes (one compressed MiB
    repeated: after a full flush a deflate block does not refer back)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    stream = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(b" " * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    stream += block * mib + c.flush()
    members = []
    for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS)):
        d = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, d.compress(data) + d.flush(), zlib.crc32(data), len(data)))
    members.append(("word/document.xml", stream, 0, declared))
    out, central = io.BytesIO(), io.BytesIO()
    for name, comp, crc, size in members:
        n, offset = name.encode(), out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(comp), size, len(n), 0) + n + comp)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(comp), size,
                                  len(n), 0, 0, 0, 0, 0, offset) + n)
    cd = central.getvalue()
    return out.getvalue() + cd + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 3, 3, len(cd), out.tell(), 0)


@pytest.mark.timeout(120)
def test_a_member_lying_about_its_size_is_never_inflated_whole(tmp_path) -> None:
    """1.5 GB behind a header saying 100 KB, parsed in a child allowed 1 GB of address space:
    refused as corrupt, not a MemoryError (python-docx used to inflate it in one call)."""
    src = tmp_path / "lying.docx"
    src.write_bytes(_lying_docx(1536, 100_000))
    code = ("import json\nfrom parsers import ParseError, parse_bytes\n"
            f"try:\n    parse_bytes(open({str(src)!r}, 'rb').read()); print(json.dumps('parsed'))\n"
            "except ParseError as e:\n    print(json.dumps(e.reason))\n")

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=110,
                          preexec_fn=cap)
    assert proc.returncode == 0, proc.stderr[-2000:]
    reason = json.loads(proc.stdout.strip().splitlines()[-1])
    assert reason.startswith("corrupt DOCX") and "word/document.xml" in reason and "Memory" not in reason


def test_zip_members_are_read_in_chunks_up_to_their_limit(monkeypatch) -> None:
    from parsers import limits

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a>" + b" " * 5000 + b"</a>")
    monkeypatch.setattr(limits, "MAX_XML_PART_BYTES", 4096)
    monkeypatch.setattr(limits, "ZIP_CHUNK", 1024)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z, pytest.raises(ParseError, match="inflates past"):
        limits.read_member(z, "word/document.xml", "DOCX")
    monkeypatch.setattr(limits, "MAX_XML_PART_BYTES", 8192)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        assert len(limits.read_member(z, "word/document.xml", "DOCX")) == 5007


def _flate_bomb_pdf(mib: int) -> bytes:
    """One page whose content stream is `mib` MiB of spaces, then a line of text, FlateDecode."""
    c = zlib.compressobj(9)
    head = c.compress(b" ") + c.flush(zlib.Z_FULL_FLUSH)  # the zlib header, once
    block = c.compress(b" " * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)  # refers to nothing before it
    stream = head + block * mib + c.compress(b"BT /F1 12 Tf 72 712 Td (x) Tj ET") + c.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_a_pdf_content_stream_that_inflates_to_gigabytes_is_refused_before_reading() -> None:
    """1 GB of content stream in ~1 MB: refused from a bounded look (it took 88 s through MuPDF)."""
    with pytest.raises(ParseError, match=r"PDF page 1 content stream inflates past 64 MB"):
        parse_bytes(_flate_bomb_pdf(1024))


# --- a page of thousands of links ------------------------------------------------------------

def _spider(tmp_path: Path) -> GenericSpider:
    source = SimpleNamespace(id="s", family="generic", start_urls=["http://p.test/"], allowed_domains=["p.test"],
                             overrides={}, name="某某县公安局", region={"province": "山东省"})
    crawler = get_crawler(GenericSpider, settings_dict={"NIANBAO_DATA": str(tmp_path)})
    spider = GenericSpider(sources=[source])
    spider.crawler, spider.settings = crawler, crawler.settings
    spider.archive = Archive(tmp_path)
    spider.run_id = spider.archive.start_run("generic", ["s"])
    return spider


def _home(links: int) -> bytes:
    news = "".join(f'<a href="/news/{i}.html">新闻{i}</a> ' for i in range(links))
    rows = "".join(f'<li><a href="/xw/{i}.html">关于某项工作的通知{i}</a><span>2024-03-{1 + i % 28:02d}</span></li>'
                   for i in range(links // 2))
    late = '<a href="/nb/2024.html">某某县公安局2024年政府信息公开工作年度报告</a>'
    return (f'<html><head><title>首页</title></head><body><a href="/zwgk/">政务公开</a><div>{news}</div>'
            f"<ul>{rows}</ul>{late}</body></html>").encode()


def test_link_work_grows_with_the_links_read_not_their_square(tmp_path, monkeypatch) -> None:
    """Selector work is counted as queries plus the nodes they return: no link asks a question of
    the whole page (each link counted the page's links: quadratic), and past PAGE_LINKS only links
    naming 年报/报告 are read at all (a report far down the page is still taken)."""
    calls = {"n": 0}
    for name in ("xpath", "css"):
        original = getattr(Selector, name)

        def counted(self, *a, _original=original, **k):
            found = _original(self, *a, **k)
            calls["n"] += 1 + len(found)
            return found

        monkeypatch.setattr(Selector, name, counted)

    def work(links: int) -> tuple[int, list]:
        spider = _spider(tmp_path / str(links))
        response = HtmlResponse("http://p.test/", body=_home(links), encoding="utf-8",
                                request=Request("http://p.test/", meta={"source_id": "s"}))
        calls["n"] = 0
        out = list(spider.parse_list(response))
        return calls["n"], out

    small, _ = work(200)
    large, out = work(10_000)
    assert large < 60 * small  # 50x the links: linear at most (each link counting the page's links: >1,000x)
    assert any(r.url.endswith("/nb/2024.html") for r in out if isinstance(r, Request))
    notes = [r[0] for r in sqlite3.connect(tmp_path / "10000" / "nianbao.db").execute(
        "SELECT reason FROM crawl_errors")]
    assert notes == [f"note: page of 15002 links: read the first {PAGE_LINKS} and those of the rest"
                     " naming 年报/报告 or paging"]


def test_past_the_cap_report_links_and_the_pager_are_still_read() -> None:
    news = "".join(f'<a href="/n/{i}.html">新闻{i}</a>' for i in range(3000))
    tail = '<a href="/nb/1.html">2024年度报告</a><a href="/list_2.html">2</a><a href="/list_2.html">下一页</a>'
    response = HtmlResponse("http://p.test/", body=f"<html><body>{news}{tail}</body></html>".encode(), encoding="utf-8")
    urls = [a.attrib["href"] for a in page_links(response)]
    assert len(urls) == PAGE_LINKS + 3 and urls[-3:] == ["/nb/1.html", "/list_2.html", "/list_2.html"]
    assert link_total(response) == 3003


def test_entry_context_finds_the_date_beside_its_link() -> None:
    page = Selector("<ul><li><a href='/a'>甲</a><span>2025-03-20</span></li><li><a href='/b'>乙</a></li></ul>"
               "<p><a href='/c'>丙</a> <a href='/d'>丁</a><em>2024-01-02</em><em>x</em></p>")
    assert [entry_context(a) for a in page.css("a")] == ["甲 2025-03-20", "乙", "丁 2024-01-02", "2024-01-02 x"]


# --- crawls against real servers ------------------------------------------------------------

class Site:
    """A portal on 127.0.0.1 serving `pages` (path -> (status, body)); records every path asked."""

    def __init__(self, pages: dict[str, tuple[int, bytes]], host: str = "127.0.0.1") -> None:
        self.pages, self.asked = pages, []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.asked.append(self.path)
                status, body = site.pages.get(self.path, (404, b"not found"))
                if status == 0:  # the connection reset, no answer at all
                    import socket

                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", "text/html; charset=utf-8" if self.path != "/robots.txt"
                                 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


REPORT = ("<html><head><title>某某县公安局2024年政府信息公开工作年度报告</title></head><body>"
          "<h1>某某县公安局2024年政府信息公开工作年度报告</h1><p>" + "本报告依据条例编制。" * 50 + "</p></body></html>")
COLUMN = ('<html><head><title>政府信息公开年报</title></head><body><h2>政府信息公开年报</h2><ul>'
          '<li><a href="/nb/2024.html">某某县公安局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>'
          "</ul></body></html>")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile-crawl")
    news = "".join(f'<a href="/news/{i}.html">新闻{i}</a> ' for i in range(10_000))
    big = Site({"/": (200, (f'<html><body><a href="/zwgk/">政务公开</a><div>{news}</div>'
                            '<a href="/ndbg/">政府信息公开工作年度报告</a></body></html>').encode()),
                "/zwgk/": (200, "<html><body><p>政务公开</p></body></html>".encode()),
                "/ndbg/": (200, COLUMN.encode()), "/nb/2024.html": (200, REPORT.encode())})
    down = Site({"/robots.txt": (500, b"Internal Server Error"), "/": (200, COLUMN.encode()),
                 "/nb/2024.html": (200, REPORT.encode())})
    gone = Site({"/": (200, COLUMN.encode()), "/nb/2024.html": (200, REPORT.encode())})  # robots.txt 404
    reset = Site({"/robots.txt": (0, b""), "/": (200, COLUMN.encode()), "/nb/2024.html": (200, REPORT.encode())})
    canary = Site({"/ndbg/": (200, COLUMN.encode())}, host="127.0.0.3")
    hop = Site({"/": (200, '<html><body><a href="/ndbg/">政府信息公开工作年度报告</a></body></html>'.encode()),
                "/ndbg/": (302, f"{canary.url}/ndbg/".encode())})
    try:
        registry = [{"id": sid, "name": "某某县公安局", "level": "county", "kind": "department",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [site.url + "/"], "allowed_domains": ["127.0.0.1"]}
                    for sid, site in (("big", big), ("down", down), ("gone", gone), ("hop", hop), ("reset", reset))]
        path = data / "sources.yaml"
        path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        started = time.monotonic()
        run_id = crawl(data, sources_path=path, settings=FAST)
        yield {"data": data, "run": run_id, "big": big, "down": down, "gone": gone, "hop": hop, "canary": canary,
               "reset": reset, "seconds": time.monotonic() - started}
    finally:
        for site in (big, down, gone, hop, canary, reset):
            site.close()


def _rows(crawled, sql: str, *args) -> list[tuple]:
    return sqlite3.connect(crawled["data"] / "nianbao.db").execute(sql, args).fetchall()


def test_a_home_page_of_ten_thousand_links_does_not_stop_the_crawl(crawled) -> None:
    reports = {r[0] for r in _rows(crawled, "SELECT source_id FROM documents WHERE kind = 'report'")}
    assert reports >= {"big", "gone"}
    assert not any(p.startswith("/news/") for p in crawled["big"].asked)  # news items are not walked
    notes = _rows(crawled, "SELECT reason FROM crawl_errors WHERE source_id = 'big'")
    assert [n[0] for n in notes] == [f"note: page of 10002 links: read the first {PAGE_LINKS}"
                                     " and those of the rest naming 年报/报告 or paging"]


def test_robots_txt_answering_500_is_complete_disallow(crawled, capsys) -> None:
    assert set(crawled["down"].asked) == {"/robots.txt"}  # retried, then nothing else of the host
    reasons = {r[0] for r in _rows(crawled, "SELECT reason FROM crawl_errors WHERE source_id = 'down'")}
    assert reasons == {"blocked: robots.txt unreachable (HTTP 500)"}
    assert not _rows(crawled, "SELECT 1 FROM documents WHERE source_id = 'down'")
    assert status_main(["--data", str(crawled["data"]), "--json"]) == 1  # attention needed
    assert "robots.txt unreachable (HTTP 500)" in capsys.readouterr().out


def test_robots_txt_that_cannot_be_fetched_is_complete_disallow(crawled) -> None:
    """RFC 9309 §2.3.1.4: a network error is as unreachable as a 5xx (a hang or a reset was read as no
    robots.txt, and the host's whole column fetched)."""
    assert set(crawled["reset"].asked) == {"/robots.txt"}
    reasons = {r[0] for r in _rows(crawled, "SELECT reason FROM crawl_errors WHERE source_id = 'reset'")}
    assert len(reasons) == 1 and reasons.pop().startswith("blocked: robots.txt unreachable (connection failed")
    assert not _rows(crawled, "SELECT 1 FROM documents WHERE source_id = 'reset'")


def test_robots_txt_missing_is_everything_allowed(crawled) -> None:
    assert "/nb/2024.html" in crawled["gone"].asked
    assert not _rows(crawled, "SELECT reason FROM crawl_errors WHERE source_id = 'gone'")


def test_a_redirect_off_the_entrys_hosts_is_noted_not_followed(crawled) -> None:
    assert crawled["canary"].asked == []
    notes = [r[0] for r in _rows(crawled, "SELECT reason FROM crawl_errors WHERE source_id = 'hop'")]
    assert notes == [f"note: redirect to a host the entry does not list, not followed: {crawled['hop'].url}/ndbg/"
                     f" -> {crawled['canary'].url}/ndbg/"]


def test_a_crawl_killed_with_sigkill_shows_as_died(tmp_path, capsys) -> None:
    """The crawl process group is killed while its start page hangs: its crawl_runs row still says
    `running`, but no process holds the data dir's lock, so status calls the run dead."""
    hang = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            hang.set()
            time.sleep(30)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump([{"id": "slow", "name": "某某县公安局", "level": "county", "kind": "department",
                                     "region": {"province": "山东省"}, "family": "generic",
                                     "start_urls": [f"http://127.0.0.1:{server.server_address[1]}/"]}],
                                   allow_unicode=True), encoding="utf-8")
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data), "--sources", str(path),
                             "--set", "NIANBAO_BROWSER=false"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert hang.wait(90), "the crawl never asked for its start page"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        server.shutdown()
        server.server_close()
    # the crawl child dies with its group; the lock goes with its last process (a fixed half second was
    # a race on a busy machine): waited for, at most a minute, as status would see it
    deadline = time.monotonic() + 60
    while lock_holder(data) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    [(status,)] = sqlite3.connect(data / "nianbao.db").execute("SELECT status FROM crawl_runs").fetchall()
    assert status == "running"
    assert status_main(["--data", str(data), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in report["unfinished"]] == ["died"] and report["running"] == []
    assert any("died" in a for a in report["attention"])

