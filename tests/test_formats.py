"""Same report, every format: each seed's canonical record is rendered to a portal page,
converted by LibreOffice (DOCX, DOC, PDF, XLSX) and rasterised (PNG), then parsed back.

Whatever the container, the user must get the same agency, year, template and table
cells as the seed's expected record.  Converted files are made once per session.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pymupdf
import pytest

from parsers import parse_bytes, parse_text
from parsers.detect import detect_kind
from tests.support.formats_corpus import Seed, build_corpus, load_seeds, variant_html, variant_record

TABLE_KEYS = ("agency", "year", "template", "active_disclosure", "applications", "reviews_litigation")
GOLDEN = Path(__file__).parent / "fixtures" / "formats"
SEEDS = load_seeds()
IDS = [s.stem[:3] for s in SEEDS]

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def differences(expected: dict, got: dict, path: str = "") -> list[str]:
    """Every cell (leaf) where the parse disagrees with the expected record."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {got!r}"]
        out = []
        for k, v in expected.items():
            out += differences(v, got.get(k), f"{path}/{k}")
        return out
    return [] if expected == got else [f"{path}: expected {expected!r}, got {got!r}"]


def assert_same_report(expected: dict, got: dict) -> None:
    diffs = []
    for key in TABLE_KEYS:
        diffs += differences(expected.get(key), got.get(key), key)
    assert not diffs, "\n".join(diffs[:20])


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Seed]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    out = tmp_path_factory.mktemp("formats")
    seeds = load_seeds()
    build_corpus(out, seeds)
    return {s.stem: s for s in seeds}


@needs_soffice
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "doc", "xlsx", "xls"])
@pytest.mark.parametrize("stem", [s.stem for s in SEEDS], ids=IDS)
def test_round_trip(corpus, stem, fmt):
    seed = corpus[stem]
    data = seed.files[fmt].read_bytes()
    result = parse_bytes(data, name="report.bin")  # a meaningless name: type comes from content
    assert result.meta["format"] == fmt
    assert_same_report(seed.record, result.record)


@needs_soffice
@pytest.mark.parametrize("fmt", ["variant_html", "variant_docx", "variant_pdf"])
@pytest.mark.parametrize("stem", [s.stem for s in SEEDS], ids=IDS)
def test_round_trip_messy_variant(corpus, stem, fmt):
    """GBK page, layout table, table 3 split in two, full-width digits, 1,234 separators, —//blank cells."""
    seed = corpus[stem]
    _, expected = variant_record(seed.record)
    result = parse_bytes(seed.files[fmt].read_bytes())
    assert_same_report(expected, result.record)
    # a blank, — or / cell is null, never 0
    assert result.record["applications"]["carried_over"]["natural_person"] is None
    assert result.record["applications"]["carried_over"]["commercial"] is None


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "utf-8"])
def test_html_charsets(charset):
    seed = SEEDS[1]
    data, expected = variant_html(seed, charset=charset)
    assert_same_report(expected, parse_bytes(data).record)


def test_html_wrong_charset_label_falls_back():
    """A page labelled GBK but saved as UTF-8 (seen on CMS migrations) still parses."""
    seed = SEEDS[0]
    data, expected = variant_html(seed, charset="utf-8")
    data = data.replace(b'charset="utf-8"', b'charset="gbk"')
    assert_same_report(expected, parse_bytes(data).record)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings(encoding):
    """A seed text dump in the encodings portals use gives the same record as the UTF-8 text."""
    for path in sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))[:2]:
        text = path.read_text(encoding="utf-8")
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("gb18030")
        assert detect_kind(data) == "text"
        assert parse_bytes(data).record == parse_text(text).record


OCR_DPI = 150


def page_pngs(seed: Seed) -> list[bytes]:
    """The seed's PDF pages as greyscale PNGs, as a scanner or a screenshot would give them."""
    with pymupdf.open(seed.files["pdf"]) as doc:
        return [page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY).tobytes("png") for page in doc]


@needs_soffice
@pytest.mark.parametrize("stem", [s.stem for s in SEEDS], ids=IDS)
def test_image_pages(corpus, stem):
    """Every page as a PNG: OCR must give back the same agency, year, template and EVERY cell."""
    from parsers.extract import extract_text

    seed = corpus[stem]
    parts = []
    for png in page_pngs(seed):
        assert detect_kind(png) == "image"
        text, kind = extract_text(png)
        assert kind == "image"
        parts.append(text)
    assert_same_report(seed.record, parse_text("\n".join(parts)).record)


@needs_soffice
def test_scanned_pdf(corpus):
    """An image-only PDF (the PNG pages wrapped, no text layer) parses to the same record."""
    seed = corpus[SEEDS[3].stem]
    scan = pymupdf.open()
    for png in page_pngs(seed):
        pix = pymupdf.Pixmap(png)  # pixel size: a scan page is its pixels at the scan's dpi
        page = scan.new_page(width=pix.width * 72 / OCR_DPI, height=pix.height * 72 / OCR_DPI)
        page.insert_image(page.rect, stream=png)
    data = scan.tobytes()
    assert detect_kind(data) == "pdf"
    result = parse_bytes(data)
    assert result.meta["format"] == "pdf"
    assert_same_report(seed.record, result.record)


def test_image_table_blank_dash_and_zero_cells():
    """A ruled table as a PNG (reportlab PDF rasterised): a blank cell stays an empty cell,
    a lone 0 is read (the page detector skips it), and — is not read as the numeral 一."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from parsers.extract import extract_text

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    data = [["行政复议", "", "", "", "", "行政诉讼"],
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"],
            ["1", "", "—", "0", "1", "3"]]
    table = Table(data)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (0, 0), (4, 0))]))
    SimpleDocTemplate(buf, pagesize=A4).build([table])
    with pymupdf.open(stream=buf.getvalue(), filetype="pdf") as doc:
        png = doc[0].get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY).tobytes("png")
    text, kind = extract_text(png)
    lines = text.splitlines()
    assert kind == "image"
    assert "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉" in lines
    assert "1\t\t—\t0\t1\t3" in lines
    assert lines[0].split("\t")[:2] == ["行政复议", "行政诉讼"]


def golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN.glob("*") if not p.name.endswith(".expected.json")
                  and (GOLDEN / (p.name.rsplit(".", 1)[0] + ".expected.json")).exists())


@pytest.mark.parametrize("path", golden_cases(), ids=lambda p: p.name)
def test_golden(path):
    """Saved real-tool outputs beside their expected records; every key in the expected file must match."""
    expected = json.loads((GOLDEN / (path.name.rsplit(".", 1)[0] + ".expected.json")).read_text(encoding="utf-8"))
    result = parse_bytes(path.read_bytes(), name=path.name)
    if "format" in expected:
        assert result.meta["format"] == expected.pop("format")
    for key, value in expected.items():
        assert differences(value, result.record.get(key), key) == []


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "GIF", "TIFF", "BMP"])
def test_detect_image_signatures(image_format):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (40, 20), 255).save(buf, format=image_format)
    assert detect_kind(buf.getvalue()) == "image"


@needs_soffice
def test_detect_office_containers(corpus):
    seed = corpus[SEEDS[0].stem]
    for fmt in ("docx", "xlsx", "doc", "xls", "pdf"):
        assert detect_kind(seed.files[fmt].read_bytes()) == fmt
    assert detect_kind(b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert detect_kind("<table><tr><td>规章</td></tr></table>".encode("gbk")) == "html"
    assert detect_kind("一、总体情况\n".encode("gb18030")) == "text"
    assert detect_kind("一、总体情况\n".encode("utf-16")) == "text"


def test_pdf_ruled_table_from_reportlab():
    """A PDF from another producer (reportlab GRID, spanned header, a blank and a — cell)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from parsers.extract import extract_text

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    data = [["行政复议", "", "", "", "", "行政诉讼"],
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"],
            ["1", "", "—", "0", "1", "3"]]
    table = Table(data)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (0, 0), (4, 0))]))
    SimpleDocTemplate(buf, pagesize=A4).build([table])
    text, kind = extract_text(buf.getvalue())
    lines = text.splitlines()
    assert kind == "pdf"
    assert "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉" in lines
    assert "1\t\t—\t0\t1\t3" in lines  # the blank stays an empty cell, — passes through
    assert lines[0].split("\t")[:2] == ["行政复议", "行政诉讼"]


def test_pdf_table_pasted_as_a_picture_is_read_where_it_stands():
    """A table screenshot between text paragraphs: its numbers exist only as pixels, so OCR reads them."""
    from parsers.extract import extract_text

    shot = pymupdf.open()
    page = shot.new_page(width=300, height=90)
    page.insert_font(fontname="F0", fontbuffer=pymupdf.Font("cjk").buffer)
    xs, ys = [10, 110, 170, 230, 290], [10, 40, 70]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.8)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.8)
    for r, row in enumerate([["自然人", "35", "5", "40"], ["商业企业", "12", "0", "12"]]):
        for c, cell in enumerate(row):
            page.insert_text((xs[c] + 8, ys[r] + 20), cell, fontname="F0", fontsize=12)
    png = page.get_pixmap(dpi=200).tobytes("png")

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="F0", fontbuffer=pymupdf.Font("cjk").buffer)
    page.insert_text((72, 80), "三、收到和处理政府信息公开申请情况", fontname="F0", fontsize=12)
    page.insert_image(pymupdf.Rect(72, 100, 522, 235), stream=png)
    page.insert_text((72, 280), "四、政府信息公开行政复议、行政诉讼情况", fontname="F0", fontsize=12)
    text, kind = extract_text(doc.tobytes())
    lines = text.splitlines()
    assert kind == "pdf"
    assert lines[0] == "三、收到和处理政府信息公开申请情况"
    assert lines[-1] == "四、政府信息公开行政复议、行政诉讼情况"
    assert lines[1:-1] == ["自然人\t35\t5\t40", "商业企业\t12\t0\t12"]
