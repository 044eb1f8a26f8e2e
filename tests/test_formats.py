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
    for key, value in expected.pop("meta", {}).items():  # what the parse says beside the record (dates)
        assert result.meta.get(key) == value, key
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


# --- text boxes and pictured tables (blind set 7) ---------------------------------------------

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


def _box_table(rows: list[list[str]]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
                    for row in rows)
    return f"<w:txbxContent><w:tbl>{cells}</w:tbl><w:p><w:r><w:t>框内说明</w:t></w:r></w:p></w:txbxContent>"


def _docx_with_box_run(run_xml: str) -> bytes:
    """A DOCX (python-docx) whose second paragraph anchors ``run_xml`` after its own text."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    anchor = d.add_paragraph("见下框：")
    anchor._p.append(parse_xml(f"<w:r {_NS}>{run_xml}</w:r>"))
    d.add_paragraph("五、存在的主要问题及改进情况")
    bio = io.BytesIO()
    d.save(bio)
    return bio.getvalue()


ROWS_IN_BOX = [["结果维持", "结果纠正", "总计"], ["3", "0", "3"]]


@pytest.mark.parametrize("shape", ["vml", "alternate"])
def test_docx_text_box_table_is_read_once_where_anchored(shape):
    from parsers.formats import docx as docx_format

    box = _box_table(ROWS_IN_BOX)
    if shape == "vml":  # WPS Office: a VML shape only
        run = f'<w:pict><v:shape style="width:400pt;height:80pt"><v:textbox>{box}</v:textbox></v:shape></w:pict>'
    else:  # Word / LibreOffice: DrawingML box, the same box again as the VML fallback
        run = ('<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
               f'<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
               f'</mc:Choice><mc:Fallback><w:pict><v:rect><v:textbox>{box}</v:textbox></v:rect></w:pict>'
               '</mc:Fallback></mc:AlternateContent>')
    lines = docx_format.extract(_docx_with_box_run(run)).splitlines()
    assert lines == ["四、政府信息公开行政复议、行政诉讼情况", "见下框：", "结果维持\t结果纠正\t总计", "3\t0\t3",
                     "框内说明", "五、存在的主要问题及改进情况"]


def _docx_with_table_xml(tbl_xml: str) -> bytes:
    """A DOCX (python-docx) whose body is a heading and then the table ``tbl_xml``."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.element.body.insert(1, parse_xml(tbl_xml.replace("<w:tbl>", f"<w:tbl {_NS}>", 1)))
    bio = io.BytesIO()
    d.save(bio)
    return bio.getvalue()


def test_docx_cells_merged_raised_and_tabbed():
    """What each cell shows: a vMerge continuation is a blank cell even when stale text is left
    in it, a superscript footnote mark stays a raised mark after its number, a tab is a space."""
    from parsers.formats import docx as docx_format

    def cell(body: str, merge: str | None = None) -> str:
        props = f'<w:tcPr><w:vMerge w:val="{merge}"/></w:tcPr>' if merge else ""
        return f"<w:tc>{props}<w:p>{body}</w:p></w:tc>"

    def run(text: str, raised: bool = False) -> str:
        props = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>' if raised else ""
        return f"<w:r>{props}<w:t>{text}</w:t></w:r>"

    rows = [
        [cell(run("项目")), cell(run("本年新收"))],
        [cell(run("（一）予以公开"), "restart"), cell(run("12") + run("3", raised=True))],
        [cell(run("旧文字"), "continue"), cell(run("0"))],
        [cell(run("合计") + "<w:r><w:tab/></w:r>" + run("(件)")), cell(run("15"))],
    ]
    tbl = "<w:tbl>" + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"
    lines = docx_format.extract(_docx_with_table_xml(tbl)).splitlines()
    assert lines == ["三、收到和处理政府信息公开申请情况", "项目\t本年新收", "（一）予以公开\t12³", "\t0", "合计 (件)\t15"]


@pytest.mark.parametrize("name", ["80_", "81_", "82_"])
def test_word_table4_in_text_box_is_in_the_record(name):
    """DOCX, .doc (LibreOffice keeps the box as mc:AlternateContent) and .wps = .doc renamed."""
    path = next(p for p in REALWORLD.iterdir() if p.name.startswith(name) and not p.name.endswith(".json"))
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    got = parse_bytes(path.read_bytes(), path.name).record["reviews_litigation"]
    assert got == expected["reviews_litigation"]


def _table2_picture() -> tuple[bytes, dict, str]:
    """The table-2 picture of realworld case 83 (a PNG the blind set drew), its truth, and the
    page's text with the picture left out (the table is then missing)."""
    import base64
    import re

    path = next(REALWORLD.glob("83_*.html"))
    page = path.read_text(encoding="utf-8")
    m = re.search(r'<img[^>]*src="data:image/png;base64,([^"]+)"[^>]*>', page)
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    return base64.b64decode(m.group(1)), expected, page[:m.start()] + page[m.end():]


def _page_lines(page: str) -> list[str]:
    from parsers.formats import html as html_format

    return html_format.extract(page.encode("utf-8")).splitlines()


def _docx_from_lines(lines: list[str], picture: bytes | None, at: str) -> bytes:
    """A DOCX of text lines (tab lines as Word tables), with ``picture`` after line ``at``."""
    import docx
    from docx.shared import Inches

    d = docx.Document()
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            d.add_paragraph(lines[i])
            if picture is not None and lines[i] == at:
                d.add_paragraph().add_run().add_picture(io.BytesIO(picture), width=Inches(4))
            i += 1
            continue
        block = []
        while i < len(lines) and "\t" in lines[i]:
            block.append(lines[i].split("\t"))
            i += 1
        table = d.add_table(rows=len(block), cols=max(len(r) for r in block))
        for r, row in enumerate(block):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    bio = io.BytesIO()
    d.save(bio)
    return bio.getvalue()


def test_docx_table_pasted_as_picture_is_ocrd_where_it_stands():
    png, expected, page = _table2_picture()
    data = _docx_from_lines(_page_lines(page), png, at="二、主动公开政府信息情况")
    result = parse_bytes(data, "report.docx")
    assert result.record["active_disclosure"] == expected["active_disclosure"]
    assert result.record["applications"] == expected["applications"]
    assert not [f for f in result.findings if f["code"] == "table_missing"]


def test_picture_beside_text_tables_is_not_ocrd():
    """All tables present as text: a picture (a photo, a chart, a copy of a table) is passed over."""
    from parsers.formats import docx as docx_format

    png, _, _ = _table2_picture()
    lines = _page_lines(next(REALWORLD.glob("83_*.html")).read_text(encoding="utf-8"))  # table 2 OCR'd
    plain = docx_format.extract(_docx_from_lines(lines, None, at=""))
    with_picture = docx_format.extract(_docx_from_lines(lines, png, at="三、收到和处理政府信息公开申请情况"))
    assert plain.count("行政规范性文件\t") == 1
    assert with_picture == plain


def test_missing_table_is_a_finding_naming_the_picture():
    """A linked picture (never fetched) where table 2 should be: null table, and the reader is told."""
    _, _, page = _table2_picture()
    linked = page.replace("二、主动公开政府信息情况", '二、主动公开政府信息情况<p><img src="/u/t2.png" width="600"></p>', 1)
    for html_page, pictured in ((page, False), (linked, True)):
        result = parse_bytes(html_page.encode("utf-8"), "report.html")
        assert result.record["active_disclosure"] is None
        missing = [f for f in result.findings if f["code"] == "table_missing"]
        assert [(f["identity"], f["cells"]) for f in missing] == [("layout", ["active_disclosure"])]
        assert ("文中有图片" in missing[0]["message"]) is pictured
