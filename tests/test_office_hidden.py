"""What Word and Excel do not show is not read; what they do show is (formats/docxhidden.py,
formats/sheetshown.py).

The whole reports are golden pairs (tests/fixtures/realworld/o13_*, walked by test_parse_realworld);
here are the edges of the rule on small real files: where the ground under white text is not known
(a picture behind the text, a text box, a row shaded by its own properties, an Excel table's style)
the text is read, and what each unseen or minus-like mark reads as.
"""

from __future__ import annotations

import io
import zipfile

import docx
import lxml.etree
import openpyxl
import pytest
from openpyxl.styles import Font, GradientFill, PatternFill
from openpyxl.worksheet.table import Table

from parsers import ParseError
from parsers.detect import detect_kind
from parsers.extract import extract_text
from parsers.formats import docx as docx_reader
from parsers.formats.xls import extract_xlsx
from parsers.tokens import parse_number

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def _document(cells: list[str]):
    """A one-row table of ``cells`` in a new document; returns (document, row's w:tc elements)."""
    d = docx.Document()
    d.add_paragraph("青阳县人民政府2020年政府信息公开工作年度报告")
    t = d.add_table(rows=1, cols=len(cells))
    for c, text in zip(t.rows[0].cells, cells, strict=True):
        c.text = text
    return d, [c._tc for c in t.rows[0].cells]


def _bytes(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _row(data: bytes) -> list[str]:
    return [ln for ln in docx_reader.extract(data).split("\n") if "\t" in ln][0].split("\t")


def _colour(tc, colour: str) -> None:
    for r in tc.iter(f"{W}r"):
        rpr = r.find(f"{W}rPr")
        if rpr is None:
            rpr = lxml.etree.SubElement(r, f"{W}rPr")
            r.remove(rpr)
            r.insert(0, rpr)
        lxml.etree.SubElement(rpr, f"{W}color").set(f"{W}val", colour)


_BEHIND = {
    "drawing": '<w:r><w:drawing><wp:anchor behindDoc="1" distT="0" distB="0" distL="0" distR="0" simplePos="0"'
               ' relativeHeight="1" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
               '<wp:extent cx="5000000" cy="900000"/><wp:wrapNone/><wp:docPr id="1" name="banner"/>'
               '</wp:anchor></w:drawing></w:r>',
    "vml": '<w:r><w:pict><v:rect style="position:absolute;width:400pt;height:60pt;z-index:-251658240"'
           ' fillcolor="#1f3864" stroked="f"/></w:pict></w:r>',
}


@pytest.mark.parametrize("shape", sorted(_BEHIND))
def test_white_text_on_the_white_page_is_not_read_but_over_a_shape_behind_the_text_it_is(shape):
    """A dark banner drawn behind the text (DrawingML behindDoc, VML negative z-index): the ground
    under the text is not the page's, so white text is read."""
    d, tcs = _document(["行政复议", "5", "6"])
    _colour(tcs[1], "FFFFFF")
    assert _row(_bytes(d)) == ["行政复议", "", "6"]
    p = d.element.body.find(f"{W}p")
    ns = (f'xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"')
    p.append(lxml.etree.fromstring(f"<w:p {ns}>{_BEHIND[shape]}</w:p>")[0])
    assert _row(_bytes(d)) == ["行政复议", "5", "6"]


def test_white_text_on_a_row_shaded_by_its_own_properties_is_read():
    d, tcs = _document(["行政复议", "5", "6"])
    _colour(tcs[1], "FFFFFF")
    tr = tcs[1].getparent()
    ex = lxml.etree.Element(f"{W}tblPrEx")
    lxml.etree.SubElement(ex, f"{W}shd", {f"{W}val": "clear", f"{W}color": "auto", f"{W}fill": "1F3864"})
    tr.insert(0, ex)
    assert _row(_bytes(d)) == ["行政复议", "5", "6"]


def test_white_text_in_a_table_or_paragraph_style_that_shades_is_read():
    """A table style shading its cells (python-docx's Light Shading Accent 1 …) or a paragraph style
    with a dark shading lays a ground the cell does not name: white text there is read."""
    d, tcs = _document(["行政复议", "5", "6"])
    _colour(tcs[1], "FFFFFF")
    d.tables[0].style = d.styles["Dark List Accent 1"]  # every cell on accent blue
    assert _row(_bytes(d)) == ["行政复议", "5", "6"]
    d, tcs = _document(["行政复议", "5", "6"])
    style = lxml.etree.fromstring(
        f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="Banner"><w:name w:val="Banner"/>'
        '<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:pPr><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
        '</w:style>')
    d.styles.element.append(style)
    ppr = lxml.etree.SubElement(tcs[1].find(f"{W}p"), f"{W}pPr")
    tcs[1].find(f"{W}p").insert(0, ppr)
    lxml.etree.SubElement(ppr, f"{W}pStyle").set(f"{W}val", "Banner")
    assert _row(_bytes(d)) == ["行政复议", "5", "6"]
    _colour(tcs[2], "FFFFFF")  # the same white with no shading beneath: unseen
    assert _row(_bytes(d)) == ["行政复议", "5", ""]


def test_near_white_on_light_grey_cell_is_not_read_and_a_patterned_shading_leaves_it_read():
    d, tcs = _document(["行政复议", "5", "6"])
    for tc, pattern in ((tcs[1], "clear"), (tcs[2], "pct25")):
        _colour(tc, "EEEEEE")
        lxml.etree.SubElement(tc.find(f"{W}tcPr"), f"{W}shd",
                              {f"{W}val": pattern, f"{W}color": "auto", f"{W}fill": "F2F2F2"})
    assert _row(_bytes(d)) == ["行政复议", "", "6"]


def test_hidden_struck_and_moved_runs_leave_the_shown_number():
    d, tcs = _document(["本年新收", "", "", ""])
    frags = {
        1: '<w:r><w:t>1604</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>1617</w:t></w:r>',
        2: '<w:r><w:rPr><w:dstrike/></w:rPr><w:t>1617</w:t></w:r><w:r><w:t>1604</w:t></w:r>',
        3: '<w:moveFrom w:id="1" w:author="a" w:date="2021-01-01T00:00:00Z"><w:r><w:t>3</w:t></w:r></w:moveFrom>'
           '<w:r><w:rPr><w:strike w:val="0"/></w:rPr><w:t>1</w:t></w:r>',
    }
    for i, xml in frags.items():
        p = tcs[i].find(f"{W}p")
        for r in lxml.etree.fromstring(f'<w:p xmlns:w="{W_NS}">{xml}</w:p>'):
            p.append(r)
    assert _row(_bytes(d)) == ["本年新收", "1604", "1604", "1"]


def test_word_hyphens_read_as_printed():
    d, tcs = _document(["行政许可", "", ""])
    tcs[1].find(f"{W}p").append(lxml.etree.fromstring(
        f'<w:r xmlns:w="{W_NS}"><w:noBreakHyphen/><w:t>15</w:t></w:r>'))
    tcs[2].find(f"{W}p").append(lxml.etree.fromstring(
        f'<w:r xmlns:w="{W_NS}"><w:t>18</w:t><w:softHyphen/><w:t>234</w:t></w:r>'))
    assert _row(_bytes(d)) == ["行政许可", "-15", "18234"]


@pytest.mark.parametrize(("printed", "value"), [
    ("-15", -15), ("\u221215", -15), ("\u201115", -15), ("\u201015", -15), ("\uff0d15", -15), ("\u201315", -15),
    ("\u221215.5", -15.5), ("\u201415", None), ("1\u20115", None), ("\u2212", None),
])
def test_minus_like_signs_before_a_number(printed, value):
    """What a reader takes for a minus before a number is one; an em dash (a dash cell's mark) is not."""
    assert parse_number(printed) == value


def _sheet_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_unseen_cells_and_float_noise():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["行政复议", 5, 6, 7, 8, 5432.15 + 0.03, 0.1 + 0.2])
    ws.append(["行政诉讼", 1, 2, 3, 4, 5, 6])  # every column filled below: blanks above are cells, not spacers
    ws["B1"].font = Font(color="FFFFFF")  # white on no fill: unseen
    ws["C1"].font = Font(color="FFFFFF")
    ws["C1"].fill = PatternFill("solid", fgColor="1F3864")  # white on navy: seen
    ws["D1"].number_format = ";;;"  # shows nothing
    ws["G1"].font = Font(color="FFFFFF")
    ws["G1"].fill = GradientFill(stop=("000000", "1F3864"))  # white on a dark gradient: seen
    ws["E1"].font = Font(strike=True)  # withdrawn
    ws["F1"].number_format = "#,##0.00_ "
    assert extract_xlsx(_sheet_bytes(wb)).split("\n")[0].split("\t") == ["行政复议", "", "6", "", "", "5432.18", "0.3"]


def test_xlsx_white_font_inside_an_excel_table_is_read():
    """An Excel table (ListObject) fills its header from its table style: the cell's own fill says
    nothing of the ground, so white font there is read."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["信息内容", "上一年项目数量"])
    ws.append(["行政许可", 320])
    for c in ws[1]:
        c.font = Font(color="FFFFFF")
    ws.add_table(Table(displayName="T2", ref="A1:B2"))
    assert extract_xlsx(_sheet_bytes(wb)).split("\n")[0] == "信息内容\t上一年项目数量"


def test_odt_is_detected_and_other_opendocument_packages_are_a_clear_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    assert detect_kind(buf.getvalue()) == "zip"
    with pytest.raises(ParseError, match="not DOCX/XLSX/ODT"):
        extract_text(buf.getvalue())


def test_xlsx_rich_text_cell_reads_only_its_seen_runs():
    """One cell, several runs: a white run on no fill and a struck run are unseen; a white run in a
    cell filled dark is seen, and a run without its own font takes the cell's."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["行政复议", None, None, None, None])
    ws.append(["行政诉讼", 1, 2, 3, 4])
    ws["B1"] = CellRichText(["1604", TextBlock(InlineFont(color="FFFFFF"), "1617")])
    ws["C1"] = CellRichText([TextBlock(InlineFont(strike=True), "12"), TextBlock(InlineFont(), "15")])
    ws["D1"] = CellRichText([TextBlock(InlineFont(color="FFFFFF"), "2"), TextBlock(InlineFont(color="FFFF00"), "7")])
    ws["D1"].fill = PatternFill("solid", fgColor="1F3864")
    ws["E1"] = CellRichText(["3", TextBlock(InlineFont(color="000000"), "9")])
    ws["E1"].font = Font(color="FFFFFF")  # the plain run in the cell's white font: unseen
    assert extract_xlsx(_sheet_bytes(wb)).split("\n")[0].split("\t") == ["行政复议", "1604", "15", "27", "9"]


def test_hidden_and_struck_are_toggles_through_the_styles():
    """Word's toggles (ECMA-376 17.7.3): hidden (or struck) set in both the paragraph's style and
    the run's character style cancel, so the run shows; set on the run itself it decides; set in
    one style alone it hides."""
    d, tcs = _document(["本年新收", "", "", "", ""])
    for style in lxml.etree.fromstring(
        f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:styleId="Draft"><w:name w:val="Draft"/><w:rPr><w:vanish/><w:strike/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="OldBase"><w:name w:val="OldBase"/><w:rPr><w:vanish/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="Old"><w:name w:val="Old"/><w:basedOn w:val="OldBase"/>'
        '<w:rPr><w:strike/></w:rPr></w:style></w:styles>'):
        d.styles.element.append(style)
    frags = {
        1: ("Draft", '<w:r><w:rPr><w:rStyle w:val="Old"/></w:rPr><w:t>1604</w:t></w:r>'),  # both toggles cancel
        2: ("Draft", '<w:r><w:t>1617</w:t></w:r>'),  # the paragraph style alone: hidden
        3: ("Draft", '<w:r><w:rPr><w:strike w:val="0"/><w:vanish w:val="0"/></w:rPr><w:t>1604</w:t></w:r>'),
        4: (None, '<w:r><w:rPr><w:rStyle w:val="Old"/></w:rPr><w:t>1617</w:t></w:r><w:r><w:t>1604</w:t></w:r>'),
    }
    for i, (pstyle, xml) in frags.items():
        p = tcs[i].find(f"{W}p")
        if pstyle:
            ppr = lxml.etree.SubElement(p, f"{W}pPr")
            p.insert(0, ppr)
            lxml.etree.SubElement(ppr, f"{W}pStyle").set(f"{W}val", pstyle)
        for r in lxml.etree.fromstring(f'<w:p xmlns:w="{W_NS}">{xml}</w:p>'):
            p.append(r)
    assert _row(_bytes(d)) == ["本年新收", "1604", "", "1604", "1604"]


def _styled_table(style_xml: str, look: str) -> bytes:
    """A two-row table (the header row over 行政复议 5 6) in the table style ``style_xml`` with
    the tblLook ``look``."""
    d = docx.Document()
    d.add_paragraph("青阳县人民政府2020年政府信息公开工作年度报告")
    t = d.add_table(rows=2, cols=3)
    for c, text in zip(t.rows[0].cells, ["项目", "8", "9"], strict=True):
        c.text = text
    for c, text in zip(t.rows[1].cells, ["行政复议", "5", "6"], strict=True):
        c.text = text
    d.styles.element.append(lxml.etree.fromstring(style_xml))
    tblpr = t._tbl.tblPr
    for old in tblpr.findall(f"{W}tblStyle") + tblpr.findall(f"{W}tblLook"):
        tblpr.remove(old)
    tblpr.insert(0, lxml.etree.fromstring(f'<w:tblStyle xmlns:w="{W_NS}" w:val="Ghost"/>'))
    tblpr.append(lxml.etree.fromstring(f'<w:tblLook xmlns:w="{W_NS}" {look}/>'))
    return _bytes(d)


def test_text_colour_from_a_table_styles_conditional_formatting():
    """A table style's header-row formatting (w:tblStylePr firstRow) colours the header's text:
    white with no shading anywhere is white on the paper, unseen; the same white over the style's
    own dark band is seen; with the table's look turning header formatting off it is not applied."""
    white = '<w:tblStylePr w:type="firstRow"><w:rPr><w:color w:val="FFFFFF"/></w:rPr>{}</w:tblStylePr>'
    style = (f'<w:style xmlns:w="{W_NS}" w:type="table" w:styleId="Ghost"><w:name w:val="Ghost"/>'
             '<w:tblPr/>{}</w:style>')
    bare = style.format(white.format(""))
    band = style.format(white.format('<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>'))

    def lines(data: bytes) -> list[str]:
        return [ln for ln in docx_reader.extract(data).split("\n") if "\t" in ln or ln in ("行政复议", "项目")]

    assert lines(_styled_table(bare, 'w:firstRow="1" w:firstColumn="0" w:noVBand="1"')) == ["行政复议\t5\t6"]
    assert lines(_styled_table(band, 'w:firstRow="1" w:firstColumn="0" w:noVBand="1"')) == ["项目\t8\t9", "行政复议\t5\t6"]
    assert lines(_styled_table(bare, 'w:val="0000"')) == ["项目\t8\t9", "行政复议\t5\t6"]
