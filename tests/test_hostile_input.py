"""Hostile and giant documents fail fast and clearly (parsers/limits.py), or parse partly and say so.

Every hostile file is built here, small on disk: zip bombs, billion laughs, a 2 GB
document.xml in 2 MB, a 900-megapixel PNG in 100 KB, a 3,000-page PDF, a page of a million
drawing operations, exploding table spans.  Time is bounded by the timeout markers, in seconds of CPU
(tests/conftest.py: the wall clock only bounds a hang, 5 times as long); memory by
running the worst ones in a child process under RLIMIT_AS, so an out-of-memory shows as a
failed test instead of a killed test runner.
"""

from __future__ import annotations

import io
import json
import resource
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import pymupdf
import pytest

from parsers import ParseError, limits, parse_bytes
from parsers.extract import extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED = sorted(SEEDS.glob("*.txt"))[0]
SEED_EXPECTED = json.loads(SEED.with_name(SEED.stem + ".expected.json").read_text())
MEMORY = 2 << 30  # address space of the child that parses the worst files

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                 b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


# --- builders ---------------------------------------------------------------------------

def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _document_xml(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{W_NS}"><w:body>{body}'
            f"</w:body></w:document>").encode()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _zeros_deflate(mib: int) -> tuple[bytes, int]:
    """A raw deflate stream of `mib` MiB of zeros (~1 KB per MiB) and its CRC.

    After a full flush a deflate block does not refer back, so one compressed MiB repeated
    is a valid stream: a 2 GB member costs 2 MB and no 2 GB of compression work.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    return block * mib + b"\x03\x00", crc  # + an empty final block


def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, deflated bytes, crc, declared size), so a size can lie."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, comp, crc, size in members:
        n = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(comp), size, len(n), 0) + n)
        out.write(comp)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(comp), size,
                                  len(n), 0, 0, 0, 0, 0, offset) + n)
    cd = central.getvalue()
    count = len(members)
    return out.getvalue() + cd + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(cd), out.tell(), 0)


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def _docx_members(document: tuple[bytes, int, int]) -> list[tuple[str, bytes, int, int]]:
    return [("[Content_Types].xml", *_deflated(CONTENT_TYPES)), ("_rels/.rels", *_deflated(RELS)),
            ("word/document.xml", *document)]


def _png(width: int, height: int) -> bytes:
    """A 1-bit PNG of width x height white pixels: 30000 x 30000 is ~110 KB on disk."""
    c = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)
    idat = b"".join(c.compress(row) for _ in range(height)) + c.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _report_pdf(blank_pages: int = 0) -> bytes:
    """The first seed report as a text PDF (50 lines a page), then `blank_pages` empty pages."""
    doc = pymupdf.open()
    lines = SEED.read_text().replace("\t", "  ").splitlines()
    for i in range(0, len(lines), 50):
        page = doc.new_page()
        for j, line in enumerate(lines[i:i + 50]):
            page.insert_text((36, 40 + j * 15), line[:60], fontname="china-s", fontsize=9)
    for _ in range(blank_pages):
        doc.new_page()
    return doc.tobytes(garbage=1, deflate=True)


def _seed_html(extra_body: str = "") -> str:
    text = SEED.read_text()
    rows = "".join(f"<p>{line}</p>" if "\t" not in line else
                   "<table><tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr></table>"
                   for line in text.splitlines())
    return f"<html><head><meta charset='utf-8'></head><body>{rows}{extra_body}</body></html>"


def _in_child(tmp_path: Path, data: bytes, timeout: float = 300) -> dict:
    """parse_bytes in a child process limited to MEMORY of address space: {"error"} or {"meta"}."""
    src = tmp_path / "hostile.bin"
    src.write_bytes(data)
    code = (
        "import json, sys\n"
        "from parsers import ParseError, parse_bytes\n"
        "try:\n"
        f"    r = parse_bytes(open({str(src)!r}, 'rb').read())\n"
        "    print(json.dumps({'meta': r.meta, 'agency': r.record.get('agency')}, ensure_ascii=False))\n"
        "except ParseError as e:\n"
        "    print(json.dumps({'error': e.reason}, ensure_ascii=False))\n"
    )

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=cap)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _reason(data: bytes) -> str:
    with pytest.raises(ParseError) as err:
        parse_bytes(data)
    reason = err.value.reason
    assert reason and "\n" not in reason and len(reason) < 300
    return reason


# --- zip packages -----------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_docx_zip_bomb_refused_from_directory(tmp_path):
    """A 2 GB document.xml in ~2 MB: refused from the sizes in the zip directory, nothing inflated."""
    comp, crc = _zeros_deflate(2048)
    bomb = _raw_zip(_docx_members((comp, crc, 2048 << 20)))
    assert len(bomb) < 3 << 20
    out = _in_child(tmp_path, bomb)
    assert "word/document.xml" in out["error"] and "2048 MB" in out["error"]


@pytest.mark.timeout(60)
def test_docx_lying_zip_directory_stops_at_declared_size(tmp_path):
    """The directory says 1 KB, the stream inflates to 1 GB: reads stop at 1 KB (a CRC error)."""
    comp, crc = _zeros_deflate(1024)
    out = _in_child(tmp_path, _raw_zip(_docx_members((comp, crc, 1024))))
    assert "docx" in out["error"].lower()


@pytest.mark.timeout(60)
def test_zip_with_too_many_entries():
    members = {f"word/media/p{i}.bin": b"" for i in range(limits.MAX_ZIP_ENTRIES + 1)}
    data = _docx(_document_xml(_para("报告")), members)
    reason = _reason(data)
    assert "too many zip entries" in reason and str(limits.MAX_ZIP_ENTRIES + 4) in reason


@pytest.mark.timeout(60)
def test_xlsx_total_inflated_size_refused(tmp_path):
    """Pictures that each pass the per-part limit but together inflate past the package limit."""
    comp, crc = _zeros_deflate(100)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/workbook.xml", b"<workbook/>")
    good = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    members = [(i.filename, *_deflated(good.read(i.filename))) for i in good.infolist()]
    members += [(f"xl/media/image{i}.png", comp, crc, 100 << 20) for i in range(6)]
    out = _in_child(tmp_path, _raw_zip(members))
    assert "XLSX inflates to 600 MB" in out["error"]


@pytest.mark.timeout(60)
def test_docx_billion_laughs_is_not_expanded(tmp_path):
    ents = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    doc = _document_xml(_para("某市2023年政府信息公开工作年度报告") + _para("&a9;"),
                        doctype=f"<!DOCTYPE w:document [{ents}]>")
    out = _in_child(tmp_path, _docx(doc))
    assert out.get("error") or out["agency"] is None or len(out["agency"]) < 100


class _Hits(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Hits.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"LEAKED-FROM-NETWORK")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def entity_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hits.hits.clear()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.timeout(60)
def test_external_entities_read_no_file_and_no_network(tmp_path, entity_server):
    """DOCX and XLSX parts that declare SYSTEM entities (a local secret, a URL) resolve neither."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT")
    doctype = (f'<!DOCTYPE w:document [<!ENTITY f SYSTEM "file://{secret}">'
               f'<!ENTITY n SYSTEM "{entity_server}/entity">]>')
    docx = _docx(_document_xml(_para("某市2023年政府信息公开工作年度报告") + _para("&f;&n;"), doctype=doctype))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "某市2023年政府信息公开工作年度报告"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b"?>" + doctype.replace("w:document", "worksheet").encode(), 1)
                data = data.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="inlineStr"><is><t>&f;&n;</t></is></c>'
                                    b"</row></sheetData>")
            zf.writestr(info, data)
    for data in (docx, out.getvalue()):
        try:
            text, _ = extract_text(data)
        except ParseError as e:
            text = e.reason
        assert "SECRET-FILE-CONTENT" not in text and "LEAKED" not in text
    assert _Hits.hits == []


@pytest.mark.timeout(60)
def test_docx_with_100k_tiny_cells_parses(tmp_path):
    row = "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc>" for i in range(100)) + "</w:tr>"
    body = _para("某市2023年政府信息公开工作年度报告") + "<w:tbl>" + row * 1000 + "</w:tbl>"
    started = _child_cpu()  # the parse's CPU seconds: its wall time is a share of a machine others use too
    out = _in_child(tmp_path, _docx(_document_xml(body)))
    assert out.get("meta", {}).get("format") == "docx" or "report" in out.get("error", "")
    assert _child_cpu() - started < 60


# --- XLSX -------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_xlsx_sheet_of_a_million_rows_by_16k_columns_is_capped():
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, line in enumerate(SEED.read_text().splitlines(), 1):
        for c, cell in enumerate(line.split("\t"), 1):
            ws.cell(row=r, column=c, value=cell)
    ws.cell(row=1_048_576, column=16_384, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    result = parse_bytes(buf.getvalue())
    assert result.record["agency"] == SEED_EXPECTED["agency"]
    [note] = result.meta["skipped"]
    assert f"read {limits.MAX_SHEET_ROWS} of 1048576 rows" in note and "of 16384 columns" in note


@pytest.mark.timeout(60)
def test_xlsx_sheet_of_too_many_real_cells_refused():
    """openpyxl needs ~15 s for 200k cells: a sheet that big is refused from its inflated size."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    row = "".join(f'<c r="{chr(65 + c % 26)}{chr(65 + c // 26)}{{r}}"><v>{c}</v></c>' for c in range(100))
    rows = "".join(f'<row r="{r}">' + row.replace("{r}", str(r)) + "</row>" for r in range(1, 2001)).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                before, _, after = data.partition(b"<sheetData>")
                after = after.partition(b"</sheetData>")[2]
                data = before + b"<sheetData>" + rows + b"</sheetData>" + after
            zf.writestr(info, data)
    reason = _reason(out.getvalue())
    assert "xl/worksheets/sheet1.xml" in reason and "too large" in reason


# --- PDF --------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_pdf_of_thousands_of_pages_reads_the_first_n():
    report_pages = pymupdf.open(stream=_report_pdf(), filetype="pdf").page_count
    result = parse_bytes(_report_pdf(blank_pages=3000))
    assert result.record["agency"] == SEED_EXPECTED["agency"]
    assert result.meta["skipped"] == [f"PDF has {3000 + report_pages} pages: read the first {limits.MAX_PDF_PAGES}"]


@pytest.mark.timeout(60)
def test_pdf_page_with_a_million_drawing_operations(tmp_path):
    doc = pymupdf.open(stream=_report_pdf(), filetype="pdf")
    page = doc[0]
    ops = b"".join(b"%d %d 2 2 re S\n" % (i % 500, (i // 500) % 700) for i in range(1_000_000))
    xref = page.get_contents()[0]
    # compressed here: PyMuPDF's own deflate of 13 MB of operators takes ~15 s
    doc.update_stream(xref, zlib.compress(doc.xref_stream(xref) + b"\nq 0.1 w\n" + ops + b"Q\n"), compress=False)
    doc.xref_set_key(xref, "Filter", "/FlateDecode")
    data = doc.tobytes()
    assert len(data) < 4 << 20
    out = _in_child(tmp_path, data)
    assert out["agency"] == SEED_EXPECTED["agency"]


@pytest.mark.timeout(60)
def test_pdf_with_broken_xref_is_repaired():
    data = _report_pdf()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999999\n%%EOF\n"
    assert parse_bytes(broken).record["agency"] == SEED_EXPECTED["agency"]


@pytest.mark.timeout(60)
def test_pdf_time_budget_gives_a_retryable_reason(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_SECONDS", 0.0)
    reason = _reason(_report_pdf())
    assert "timed out" in reason and "pages read" in reason


@pytest.mark.timeout(60)
def test_ocr_of_a_giant_page_renders_within_the_pixel_limit():
    from parsers.formats.pdf import OCR_DPI, _ocr_dpi

    doc = pymupdf.open()
    doc.new_page()
    doc.new_page(width=14400, height=14400)  # PDF's largest page: 200 x 200 inches
    a4, giant = doc[0], doc[1]
    assert _ocr_dpi(a4) == OCR_DPI
    pix = giant.get_pixmap(dpi=_ocr_dpi(giant), colorspace=pymupdf.csGRAY)  # as ocr_pdf renders it
    assert 0.9 * limits.MAX_OCR_RENDER_PIXELS < pix.width * pix.height <= limits.MAX_OCR_RENDER_PIXELS


# --- images -----------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_png_decompression_bomb_refused_before_decoding(tmp_path):
    bomb = _png(30000, 30000)
    assert len(bomb) < 200_000
    out = _in_child(tmp_path, bomb)
    assert "image too large" in out["error"] and "900 M pixels" in out["error"]


# --- HTML -------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_html_of_50_mb_refused():
    page = _seed_html("<p>" + "公开" * (9 << 20) + "</p>").encode()
    assert len(page) > 50 << 20
    assert "HTML page too large" in _reason(page)


@pytest.mark.timeout(60)
def test_html_with_inline_images_over_the_limit_still_parses():
    """Pasted screenshots as base64 make real report pages huge; they are not text."""
    picture = "data:image/png;base64," + "iVBORw0KGgo" * (1 << 20)
    page = _seed_html(f'<img src="{picture}">').encode()
    assert len(page) > limits.MAX_TEXT_BYTES
    assert parse_bytes(page).record["agency"] == SEED_EXPECTED["agency"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("junk", [
    "<div>" * 10000 + "x" + "</div>" * 10000,
    "<table><tr><td>" * 10000 + "x" + "</td></tr></table>" * 10000,
    "<table><tr><td>" + "<span>" * 10000 + "x" + "</span>" * 10000 + "</td></tr></table>",
], ids=["divs", "tables", "spans-in-cell"])
def test_html_nested_ten_thousand_deep(junk):
    result = parse_bytes(_seed_html(junk).encode())
    assert result.record["agency"] == SEED_EXPECTED["agency"]


@pytest.mark.timeout(60)
def test_html_table_spans_do_not_explode(tmp_path):
    """colspan/rowspan=100000 on 5,000 cells: without the grid limit this needed > 3 GB."""
    spans = ("<table><tr>" + '<td rowspan="100000" colspan="100000">1</td>' * 5000 + "</tr>"
             + "<tr><td>2</td></tr>" * 5000 + "</table>")
    wide = "<table><tr>" + "<td>1</td>" * 50000 + "</tr>" + "<tr><td>2</td></tr>" * 50000 + "</table>"
    for junk in (spans, wide):
        out = _in_child(tmp_path, _seed_html(junk).encode())
        assert out["agency"] == SEED_EXPECTED["agency"]


# --- text -------------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_text_file_of_20_mb_refused():
    assert "text file too large" in _reason(SEED.read_bytes() + "政府信息公开\n".encode() * (1 << 20))


@pytest.mark.timeout(60)
def test_megabytes_on_one_line():
    line = ("申请公开政府信息1件，" * 300_000).encode()
    assert b"\n" not in line and len(line) > 8 << 20
    assert parse_bytes(SEED.read_bytes() + line).record["agency"] == SEED_EXPECTED["agency"]


def test_nul_bytes_and_bad_encodings():
    seed = SEED.read_bytes()
    up_front = seed.replace("。".encode(), "。\x00".encode())  # stray NULs up front: still text, not binary
    assert parse_bytes(up_front).record["agency"] == SEED_EXPECTED["agency"]
    assert "unsupported" in _reason(bytes(range(256)) * 8)  # NULs among every other control byte: binary
    nuls = seed[:2048] + seed[2048:].replace("。".encode(), "。\x00".encode())  # NULs further in: text
    assert b"\x00" in nuls[1024:]
    assert parse_bytes(nuls).record["agency"] == SEED_EXPECTED["agency"]
    bad_gb = SEED.read_text().encode("gb18030") + b"\x81\x30\xff\xfe\x84"  # invalid GB18030 sequences
    assert parse_bytes(bad_gb).record["agency"] == SEED_EXPECTED["agency"]
    surrogates = SEED.read_text().encode("utf-16-le", "surrogatepass") + "\ud800x".encode("utf-16-le", "surrogatepass")
    text, _ = extract_text(b"\xff\xfe" + surrogates)
    text.encode("utf-8")  # storable: no lone surrogate left


# --- LibreOffice ------------------------------------------------------------------------

@pytest.mark.timeout(60)
def test_hanging_converter_is_killed_with_its_children(tmp_path, monkeypatch):
    """A launcher whose child keeps stdout open (as soffice.bin does): the whole group dies on time."""
    from parsers.formats import doc

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 120 &\nsleep 120\n")
    fake.chmod(0o755)
    monkeypatch.setattr(doc, "SOFFICE", str(fake))
    monkeypatch.setattr(doc, "CATDOC", str(tmp_path / "no-catdoc"))
    monkeypatch.setattr(limits, "SOFFICE_SECONDS", 1.0)
    started = time.monotonic()
    with pytest.raises(ParseError) as err:
        doc.extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    assert "timed out" in err.value.reason
    assert time.monotonic() - started < 20


# --- a batch keeps going ----------------------------------------------------------------

@pytest.mark.timeout(60)
def test_reparse_records_bombs_and_parses_the_rest(tmp_path):
    from archive.reparse import reparse_all
    from archive.store import Archive
    from tests.support.responses import put_response

    site = "http://127.0.0.1:9"
    comp, crc = _zeros_deflate(2048)
    docs = {
        f"{site}/good/{s.stem}.txt": (s.read_bytes(), "text/plain; charset=utf-8") for s in sorted(SEEDS.glob("*.txt"))
    }
    docs[f"{site}/bomb/report.docx"] = (_raw_zip(_docx_members((comp, crc, 2048 << 20))), "application/msword")
    docs[f"{site}/bomb/scan.png"] = (_png(30000, 30000), "image/png")
    docs[f"{site}/big/report.pdf"] = (_report_pdf(blank_pages=500), "application/pdf")
    arc = Archive(tmp_path)
    for i, (url, (body, ctype)) in enumerate(docs.items()):
        # the big PDF prints the first seed's report: under the same source it would be that report found at
        # another address (archive.reparse one_series keeps one), so another source lists it
        arc.record_document("s2" if "/big/" in url else "s1", url, "report")
        put_response(arc, url, body, f"2025-01-01T00:00:{i:02d}Z", ctype)
    arc.close()
    reparse_all(tmp_path)
    import sqlite3

    conn = sqlite3.connect(tmp_path / "nianbao.db")
    failures = dict(conn.execute("SELECT url, reason FROM parse_failures"))
    parsed = {row[0] for row in conn.execute("SELECT url FROM reports")}
    skipped = dict(conn.execute("SELECT url, skipped FROM reports"))
    conn.close()
    # a partial parse says so in the database, where a researcher sees it beside the numbers
    assert f"read the first {limits.MAX_PDF_PAGES}" in skipped[f"{site}/big/report.pdf"]
    assert all(v is None for url, v in skipped.items() if url != f"{site}/big/report.pdf")
    assert set(failures) == {f"{site}/bomb/report.docx", f"{site}/bomb/scan.png"}
    assert "inflates to 2048 MB" in failures[f"{site}/bomb/report.docx"]
    assert "image too large" in failures[f"{site}/bomb/scan.png"]
    assert parsed == set(docs) - set(failures)
    reparse_all(tmp_path)  # again, from the extraction cache: the same outcome
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    assert dict(conn.execute("SELECT url, reason FROM parse_failures")) == failures
    assert {row[0] for row in conn.execute("SELECT url FROM reports")} == parsed
    conn.close()


@pytest.mark.timeout(60)
def test_cli_bomb_exit_2_one_line(tmp_path):
    comp, crc = _zeros_deflate(2048)
    path = tmp_path / "report.docx"
    path.write_bytes(_raw_zip(_docx_members((comp, crc, 2048 << 20))))
    proc = subprocess.run([sys.executable, "-m", "parsers.cli", str(path), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # bounds a hang; CPU: the marker
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.strip().splitlines()
    assert str(path) in line and "inflates to 2048 MB" in line
