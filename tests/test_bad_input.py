"""Bad input never crashes: exit code 2, one stderr line naming the file and the reason."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pymupdf
import pytest

from parsers import ParseError, parse_bytes

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "fixtures" / "formats"


def _text_pdf(text: str = "聊城市公安局2024年政府信息公开工作年度报告") -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), text, fontname="china-s", fontsize=12)
    return doc.tobytes()


def _encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "政府信息公开工作年度报告", fontname="china-s")
    buf = io.BytesIO()
    doc.save(buf, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _replaced(path: Path | io.BytesIO, member: str, data: bytes) -> bytes:
    """A real package with one part replaced (a hostile document.xml or sheet in a sound DOCX/XLSX)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == member else src.read(info.filename))
    return buf.getvalue()


# "billion laughs": each entity ten of the one before, 10^9 characters from a few hundred bytes
_LAUGHS = ('<!DOCTYPE d [<!ENTITY a "xxxxxxxxxx">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOCX = GOLDEN / "zibo_police_libreoffice.docx"


def _xlsx_sheet(sheet: bytes) -> bytes:
    """A workbook openpyxl wrote, its first sheet replaced."""
    import openpyxl

    buf = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "政府信息公开工作年度报告"
    book.save(buf)
    return _replaced(buf, "xl/worksheets/sheet1.xml", sheet)


_CYCLIC_PDF = (b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
               b"2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
               b"3 0 obj <</Type/Pages/Kids[2 0 R]/Count 1/Parent 2 0 R>> endobj\n"
               b"trailer <</Root 1 0 R>>\n%%EOF\n")

CASES = {
    "empty.pdf": (b"", "empty"),
    "blank.txt": (b"  \n\t\n", "empty"),
    "truncated.pdf": (None, "PDF"),  # filled in below from a real PDF
    "truncated.docx": (None, "DOCX"),
    "encrypted.pdf": (None, "password"),
    "corrupt.docx": (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not xml"}), "DOCX"),
    "archive.zip": (_zip({"a.txt": "年度报告".encode()}), "zip"),
    "truncated.ofd": (None, "corrupt OFD"),
    "no_document.ofd": (_zip({"OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>'}),
                        "OFD"),
    "pictures_only.ofd": (_zip({
        "OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
                   b"</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": b'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>'
                              b'<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        "Doc_0/Pages/Page_0/Content.xml": b'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>'
                                          b'<ofd:ImageObject ID="2" Boundary="0 0 210 297" ResourceID="9"/>'
                                          b"</ofd:Layer></ofd:Content></ofd:Page>"}), "without text"),
    "song.mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x23TSSE" + bytes(range(256)) * 4, "unsupported"),
    "noise.bin": (bytes((i * 7919) % 251 for i in range(5000)), "unsupported"),
    "broken.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "OLE"),
    "not_a_report.html": ("<html><body><h1>关于开展春季植树活动的通知</h1><p>各单位：请于三月参加。</p></body></html>"
                          .encode(), "not an annual report"),
    "recipe.txt": ("红烧肉做法\n五花肉 500 克\n冰糖 30 克\n".encode("gb18030"), "not an annual report"),
    # a library's failure said as the problem it is, not as the library's exception name
    "laughs.docx": (_replaced(_DOCX, "word/document.xml", f'<?xml version="1.0"?>{_LAUGHS}<w:document {_W}><w:body>'
                              f"<w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>".encode()),
                    "XML entity expansion"),
    "deep.docx": (_replaced(_DOCX, "word/document.xml", f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode()
                            + b"<w:p>" * 2000 + b"</w:p>" * 2000 + b"</w:body></w:document>"), "XML nested too deep"),
    "laughs.xlsx": (_xlsx_sheet(f'<?xml version="1.0"?>{_LAUGHS}<worksheet xmlns="http://schemas.openxmlformats.org/'
                                f'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t>'
                                f"</is></c></row></sheetData></worksheet>".encode()), "the XML declares entities"),
    "cyclic.pdf": (_CYCLIC_PDF, "cycle in the PDF page tree"),
    # 10.49 MB: "10 MB (limit 10 MB)" read as a contradiction
    "big.html": (b"<html><body><p>" + b"x" * 11_000_000 + b"</p></body></html>",
                 "HTML page too large: 10.5 MB (11,000,033 bytes), over the 10 MB limit"),
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    out = tmp_path_factory.mktemp("bad")
    real_pdf = (GOLDEN / "zhoukou_police_libreoffice.pdf").read_bytes()
    files = {}
    for name, (data, reason) in CASES.items():
        if name == "truncated.pdf":
            data = real_pdf[:1500]
        elif name == "truncated.docx":
            data = (GOLDEN / "zibo_police_libreoffice.docx").read_bytes()[:5000]
        elif name == "truncated.ofd":
            data = next((GOLDEN.parent / "realworld").glob("*.ofd")).read_bytes()[:3000]
        elif name == "encrypted.pdf":
            data = _encrypted_pdf()
        path = out / name
        path.write_bytes(data)
        files[name] = (path, reason)
    return files


@pytest.mark.parametrize("name", list(CASES))
def test_parse_bytes_raises_parse_error(bad_files, name):
    path, reason = bad_files[name]
    with pytest.raises(ParseError) as err:
        parse_bytes(path.read_bytes(), name=name)
    assert err.value.reason
    assert reason.lower() in err.value.reason.lower()


@pytest.mark.parametrize("name", list(CASES))
def test_cli_exit_2_one_line(bad_files, name):
    path, reason = bad_files[name]
    proc = subprocess.run([sys.executable, "-m", "parsers.cli", str(path), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and "Traceback" not in proc.stderr
    assert reason.lower() in lines[0].lower()


def test_cli_missing_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "parsers.cli", str(tmp_path / "nope.pdf"), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "nope.pdf" in proc.stderr


def test_name_is_not_trusted():
    """A PDF called .doc and HTML called .pdf are read as what they are."""
    html = (GOLDEN / "liaocheng_gov_gbk_split.html").read_bytes()
    assert parse_bytes(html, name="report.pdf").meta["format"] == "html"
    assert parse_bytes((GOLDEN / "zhoukou_police_libreoffice.pdf").read_bytes(), name="x.doc").meta["format"] == "pdf"
