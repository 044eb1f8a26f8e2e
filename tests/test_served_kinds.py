"""One table of file signatures for the crawler's question and the parser's (parsers/detect.py).

The crawler asks of every response whether its bytes are a document file whatever the Content-Type
says (`file_kind`, as `crawler.spiders.base.file_bytes`): it then keeps the body as that file.  The
parser asks which reader reads it (`detect_kind`).  Both read FILE_SIGNATURES, so a body the crawler
keeps as a file is one the parser reads as that kind — also when the server printed a blank line
before the file's bytes (the crawler has always kept those; the parser now reads them too).
Real files of every kind from the fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from crawler.spiders.base import file_bytes
from parsers.detect import detect_kind, file_kind

FIXTURES = Path(__file__).parent / "fixtures"
REAL = {  # a real file of each kind the crawler keeps, and the family file_kind names it by
    "pdf": ("formats/zhoukou_police_libreoffice.pdf", "pdf"),
    "docx": ("formats/zibo_police_libreoffice.docx", "docx"),
    "xlsx": ("formats/liaocheng_police_calc.xlsx", "docx"),  # any zip
    "ofd": ("realworld/b17_05_hubei_province_2023_ofd_text_objects_and_cell_rectangles.ofd", "docx"),
    "doc": ("formats/changle_police_word97.doc", "doc"),
    "xls": ("realworld/41_nanjing_gulou_shichangjianguan_2022_xls_stacked.xls", "doc"),  # any OLE file
    "doc (a .wps file: WPS wrote a Word stream)": (
        "realworld/82_jiaxing_nanhu_district_2021_wps_revisions_table4_in_textbox.wps", "doc"),
    "rtf": ("realworld/104_lanzhou_qilihe_district_2021_rtf_from_docx.rtf", "rtf"),
    "mht": ("realworld/101_chengdu_weijian_2022_mht_word_single_file_web_page_gb2312_qp.mht", "mht"),
}
PAGES = {  # what is no file: a page, text, a page that mentions a signature (neither the crawler nor the
    # parser takes a page quoting "%PDF-1.7" for a PDF; a PDF with junk before its header still is one)
    "html": (FIXTURES / "realworld" / "05_foshan_city_2023_trs.html").read_bytes(),
    "text": "一、总体情况\n2023年共收到申请12件。\n".encode(),
    "page naming %PDF-": b"<html><body>%PDF-1.7 is the version</body></html>",
    "page naming PK": b"<html><body>PK\x03\x04</body></html>",
    "blank line then text": b"\r\n\r\n\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93",
    "text quoting %PDF-": "一、总体情况\n本报告的PDF版本（%PDF-1.7）另行发布。\n".encode(),
}


@pytest.mark.parametrize("kind", sorted(REAL))
def test_the_crawler_keeps_each_kind_as_a_file_and_the_parser_reads_it_as_that_kind(kind: str) -> None:
    path, family = REAL[kind]
    data = (FIXTURES / path).read_bytes()
    assert file_bytes is file_kind
    assert file_kind(data) == family
    kind = kind.split()[0]
    assert detect_kind(data) == kind
    for blank in (b"\r\n", b"\n\n", b" \t\r\n"):  # a server's blank line before the file's bytes
        assert file_kind(blank + data) == family
        assert detect_kind(blank + data) == kind


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_and_text_are_no_file(name: str) -> None:
    assert file_kind(PAGES[name]) is None
    assert detect_kind(PAGES[name]) in ("html", "text")


def test_a_report_page_quoting_a_pdf_header_is_read_as_the_page_and_a_pdf_after_junk_as_the_pdf() -> None:
    """A page that names "%PDF-1.7" in its first KB went to the PDF reader and failed; a PDF after a PHP
    warning or a blank line (Acrobat reads it) must stay a PDF.  The records are the plain files' own
    (the golden fixtures in tests/fixtures/formats, beside their expected records, hold them too)."""
    formats = FIXTURES / "formats"
    page = (formats / "liaocheng_gov_gbk_quotes_pdf_header.html").read_bytes()
    assert 0 <= page.find(b"%PDF-1.7") < 1024 and detect_kind(page) == "html"
    plain_page = parsers.parse_bytes((formats / "liaocheng_gov_gbk_split.html").read_bytes(), "a.html")
    quoted = parsers.parse_bytes(page, "a.html")
    assert quoted.record["applications"] == plain_page.record["applications"] is not None
    pdf = (formats / "zhoukou_police_libreoffice.pdf").read_bytes()
    plain_pdf = parsers.parse_bytes(pdf, "r.pdf")
    for name in ("zhoukou_police_libreoffice_500_bytes_before_header.pdf",
                 "zhoukou_police_libreoffice_blank_line_before_header.pdf"):
        served = (formats / name).read_bytes()
        assert not served.startswith(b"%PDF-") and detect_kind(served) == "pdf"
        assert parsers.parse_bytes(served, name).record == plain_pdf.record


@pytest.mark.parametrize("kind", ["docx", "doc"])
def test_a_file_served_after_a_blank_line_parses_as_the_file_itself(kind: str) -> None:
    """Before, the crawler kept these bytes as the report and the parser called them 'unsupported
    file type': now the record is the file's own, cell for cell."""
    path, _ = REAL[kind]
    data = (FIXTURES / path).read_bytes()
    plain = parsers.parse_bytes(data, Path(path).name)
    served = parsers.parse_bytes(b"\r\n" + data, Path(path).name)
    assert served.record == plain.record and plain.record["applications"] is not None
