"""Ruled PDF tables (parsers.formats.pdfgrid via pdf.extract) on PDFs drawn with PyMuPDF.

The PDFs are real: rules drawn as vector lines, text set in a CJK font and Helvetica, so
PyMuPDF's own text layer decides what a "word" is.  The LibreOffice case that first
showed the bug is the golden fixture yichang_libreoffice_straddling_numbers.pdf.
"""

from __future__ import annotations

import pymupdf
import pytest

from parsers.formats import pdf, pdfgrid

TITLE = "宜昌市人民政府2023年政府信息公开工作年度报告（测试用表格页，正文足够长以免被当作扫描件）"


def ruled_pdf(xs: list[float], ys: list[float], cells: list[tuple[float, float, str, str]]) -> bytes:
    """One page: a title line, a full grid of rules, and text placed at (x, baseline)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x, y, text, font in cells:
        page.insert_text((x, y), text, fontname=font, fontsize=12)
    return doc.tobytes()


def words_of(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [w[4] for w in doc[0].get_text("words")]


def test_label_and_number_joined_into_one_word_are_split_at_the_rule():
    """A CJK label ending just before a rule and a number just after it are one PyMuPDF
    word; the cell boundary must fall between them, not inside the number."""
    data = ruled_pdf([50, 138, 260, 300, 360], [100, 120, 140], [
        (52, 115, "行政规范性文件", "china-s"), (140, 115, "20", "helv"),
        (262, 115, "6", "helv"), (302, 115, "238", "helv"),
        (52, 135, "行政事业性收费", "china-s"), (140, 135, "1007.7875", "helv"),
    ])
    words = words_of(data)
    assert "行政规范性文件20" in words and "行政事业性收费1007.7875" in words  # the trap is set
    lines = pdf.extract(data).splitlines()
    assert lines[0] == TITLE
    assert "行政规范性文件\t20\t6\t238" in lines
    assert "行政事业性收费\t1007.7875\t\t" in lines


def test_cjk_text_across_two_cells_splits_per_character():
    """Two CJK cells on one baseline with no gap text between them (one word)."""
    data = ruled_pdf([50, 101, 200], [100, 120], [
        (52, 115, "结果维持", "china-s"), (102, 115, "结果纠正", "china-s"),
    ])
    assert "结果维持结果纠正" in words_of(data)
    assert "结果维持\t结果纠正" in pdf.extract(data).splitlines()


def test_text_outside_the_table_stays_paragraphs():
    data = ruled_pdf([50, 150, 250], [100, 120], [(52, 115, "规章", "china-s"), (152, 115, "14", "helv")])
    assert pdf.extract(data).splitlines() == [TITLE, "规章\t14"]


def test_clipped_rawdict_reads_only_the_clip_and_restores_the_page():
    data = ruled_pdf([50, 138, 260], [100, 120, 140], [
        (52, 115, "行政规范性文件", "china-s"), (140, 115, "20", "helv"),
        (52, 135, "行政事业性收费", "china-s"), (140, 135, "1007.7875", "helv"),
    ])
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        tp = doc[0].get_textpage(flags=pymupdf.TEXTFLAGS_WORDS)
        before = tuple(tp.rect)
        chars = pdfgrid.page_chars(pdf._rawdict_in(tp, (50, 100, 260, 120)))
        assert "".join(c[4] for c in chars) == "行政规范性文件20"
        assert tuple(tp.rect) == before
        everything = "".join(c[4] for c in pdfgrid.page_chars(tp.extractRAWDICT()))
        assert "行政事业性收费1007.7875" in everything and TITLE in everything


def test_page_without_rules_has_no_tables():
    assert pdfgrid.tables([], [(0, 0, 10, 10, "x", 0, 0, 0)], lambda ws: []) == []


def test_table_drawn_as_cell_rectangles_reads_the_paths():
    """Cells stroked as rectangles: their vector boxes are not thin bars, so the rules
    come from the path items (get_cdrawings) instead; the table reads the same."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    xs, ys = [50, 138, 260], [100, 120, 140]
    for r in range(2):
        for c in range(2):
            page.draw_rect(pymupdf.Rect(xs[c], ys[r], xs[c + 1], ys[r + 1]), width=0.5)
    page.insert_text((52, 115), "行政规范性文件", fontname="china-s", fontsize=12)
    page.insert_text((140, 115), "20", fontname="helv", fontsize=12)
    page.insert_text((52, 135), "行政许可", fontname="china-s", fontsize=12)
    page.insert_text((140, 135), "47163", fontname="helv", fontsize=12)
    data = doc.tobytes()
    with pymupdf.open(stream=data, filetype="pdf") as d:
        tp = d[0].get_textpage(flags=pdf._FLAGS)
        assert pdfgrid.bar_segments([b[:4] for b in tp.extractBLOCKS() if b[6] == 3]) is None
    assert pdf.extract(data).splitlines() == [TITLE, "行政规范性文件\t20", "行政许可\t47163"]


def test_rule_boxes_from_the_text_pass_match_the_drawn_paths():
    data = ruled_pdf([50, 138, 260, 300, 360], [100, 120, 140], [(52, 115, "规章", "china-s")])
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        tp = page.get_textpage(flags=pdf._FLAGS)
        fast = pdfgrid.bar_segments([b[:4] for b in tp.extractBLOCKS() if b[6] == 3])
        slow = pdfgrid.segments(page.get_cdrawings())

    def key(s: pdfgrid.Seg) -> tuple:
        return s.horizontal, round(s.pos, 1), round(s.a), round(s.b)

    assert fast is not None and sorted(map(key, fast)) == sorted(map(key, slow))


def _table_and_text(lines: list[tuple[float, str]]) -> bytes:
    """A two-row ruled table (y 100-128) and CJK lines at the given baselines, all in one
    font and size at the table's left edge: MuPDF then puts table text and the lines
    beside it into one text block, as it does in LibreOffice PDFs."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    xs, ys = [50, 150, 250], [100, 114, 128]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x, y, text in [(52, 111, "规章"), (152, 111, "14"), (52, 125, "行政强制"), (152, 125, "3")]:
        page.insert_text((x, y), text, fontname="china-s", fontsize=11)
    for y, text in lines:
        page.insert_text((52, y), text, fontname="china-s", fontsize=11)
    return doc.tobytes()


def _blocks(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [b[4] for b in doc[0].get_text("blocks")]


def test_heading_in_the_same_text_block_as_the_table_is_kept():
    """The section heading right under a table was lost: its block's centre lay inside the
    table, so the whole block was taken for table text."""
    data = _table_and_text([(139, "三、收到和处理政府信息公开申请情况")])
    assert any("14" in b and "三、收到" in b for b in _blocks(data))  # the trap is set
    assert pdf.extract(data).splitlines() == [TITLE, "规章\t14", "行政强制\t3", "三、收到和处理政府信息公开申请情况"]


def test_table_cells_in_a_paragraph_block_are_not_repeated_as_text():
    """A block mostly below the table (centre outside it) also held the table's cells; they
    were printed again in front of the paragraph ("14 3 五、存在的…")."""
    body = [(139, "五、存在的主要问题及改进情况"), (153, "一是政策解读形式还不够丰富。"),
            (167, "二是基层工作人员业务能力有待提升。"), (181, "下一步将加强培训。")]
    data = _table_and_text(body)
    assert any("14" in b and "五、存在" in b for b in _blocks(data))
    lines = pdf.extract(data).splitlines()
    assert lines[:3] == [TITLE, "规章\t14", "行政强制\t3"]
    assert lines[3:] == ["五、存在的主要问题及改进情况一是政策解读形式还不够丰富。二是基层工作人员业务能力有待提升。下一步将加强培训。"]


def test_heading_above_the_table_in_its_block_comes_first():
    data = _table_and_text([(97, "二、主动公开政府信息情况")])
    lines = pdf.extract(data).splitlines()
    assert lines == [TITLE, "二、主动公开政府信息情况", "规章\t14", "行政强制\t3"]


# --- Text written glyph by glyph, rotated pages, tables without vertical rules (pdfglyphs) ---

_CJK = pymupdf.Font("cjk")


def _glyph_pdf(runs: list[tuple[float, float, str]], size: float = 10.5, rotate: int = 0,
               hrules: list[tuple[float, float, float]] = (), per_glyph: bool = True,
               width: float = 595, height: float = 842) -> bytes:
    """A page whose text objects come in shuffled order, each one glyph (or one run) long.

    ``runs`` are (x, baseline y, text) in the page's display orientation; for a rotated page
    they are mapped into the unrotated page the way a driver printing landscape does.
    """
    import random

    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    if rotate:
        page.set_rotation(rotate)
    m = page.derotation_matrix
    page.insert_font(fontname="F0", fontbuffer=_CJK.buffer)
    pieces = []
    for x, y, text in runs:
        if not per_glyph:
            pieces.append((x, y, text))
            continue
        for ch in text:
            pieces.append((x, y, ch))
            x += _CJK.text_length(ch, size)
    random.Random(7).shuffle(pieces)
    for x, y, s in pieces:
        page.insert_text(pymupdf.Point(x, y) * m, s, fontname="F0", fontsize=size, rotate=rotate)
    for x0, x1, y in hrules:
        page.draw_line(pymupdf.Point(x0, y) * m, pymupdf.Point(x1, y) * m, width=0.6)
    return doc.tobytes()


def test_text_written_glyph_by_glyph_in_shuffled_order_reads_as_lines():
    paragraph = "本年度共收到政府信息公开申请60件，上年结转5件，"
    data = _glyph_pdf([(72, 100, "一、总体情况"), (72, 130, paragraph), (72, 160, "结转下年度继续办理4件。")]
                      + [(72, 200 + 14 * i, f"第{i}行文字说明") for i in range(20)])
    lines = pdf.extract(data).splitlines()
    assert lines[0] == "一、总体情况"
    assert lines[1] == paragraph
    assert "结转下年度继续办理4件。" in lines


def test_table_without_rules_keeps_blank_cells_in_their_columns():
    """Numbers right-aligned in columns with no rules: a blank cell stays a blank, not a shift."""
    cols = [300, 350, 400, 450]

    def row(y: float, label: str, values: list[str]) -> list[tuple[float, float, str]]:
        out = [(72, y, label)]
        for right, v in zip(cols, values, strict=True):
            if v:
                out.append((right - _CJK.text_length(v, 10.5), y, v))
        return out

    runs = [(72, 80, "三、收到和处理政府信息公开申请情况")]
    values = [["35", "5", "7", "47"], ["2", "", "1", "3"], ["13", "2", "", "15"], ["10", "0", "4", "14"]]
    for i, vals in enumerate(values):
        runs += row(120 + 20 * i, f"第{i + 1}项", vals)
    lines = pdf.extract(_glyph_pdf(runs, per_glyph=False)).splitlines()
    rows = [ln.split("\t") for ln in lines if ln.startswith("第")]
    assert rows == [[f"第{i + 1}项", *vals] for i, vals in enumerate(values)]


def test_horizontal_rules_only_still_give_rows_of_cells():
    runs, rules = [], []
    for i, vals in enumerate([["1", "2", "3"], ["40", "", "6"], ["7", "8", "9"]]):
        y = 120 + 24 * i
        runs.append((72, y, f"行{i + 1}"))
        runs += [(200 + 60 * c, y, v) for c, v in enumerate(vals) if v]
        rules.append((60, 400, y + 8))
    runs += [(72, 300 + 14 * i, "说明文字") for i in range(8)]
    lines = pdf.extract(_glyph_pdf(runs, hrules=rules, per_glyph=False)).splitlines()
    assert [ln.split("\t") for ln in lines if ln.startswith("行")] == [
        ["行1", "1", "2", "3"], ["行2", "40", "", "6"], ["行3", "7", "8", "9"]]


@pytest.mark.parametrize("rotate", [90, 270])
def test_rotated_page_is_read_in_display_orientation(rotate):
    """A landscape table printed on a /Rotate page: rows left to right as the reader sees them."""
    runs = [(72, 100, "四、政府信息公开行政复议、行政诉讼情况")]
    runs += [(72, 140, "结果维持")] + [(200 + 40 * c, 140, str(c + 1)) for c in range(12)]
    runs += [(72, 170 + 14 * i, "说明文字说明文字") for i in range(10)]
    data = _glyph_pdf(runs, rotate=rotate, width=595, height=842)
    lines = pdf.extract(data).splitlines()
    assert lines[0] == "四、政府信息公开行政复议、行政诉讼情况"
    assert lines[1].split("\t") == ["结果维持", *[str(c) for c in range(1, 13)]]


def test_garbled_text_layer_is_recognised():
    """Glyph ids from a font without ToUnicode (control characters, stray scripts) are not text."""
    assert pdf.garbled("\x13\x11\x13\x15ᛲ᳆ᢹᥑ \x12\x13ᚾ" * 4)
    assert not pdf.garbled("本报告根据《条例》编制，统计期限自2022年1月1日起。① ≤ — ／ ０１ abc" * 4)
    assert not pdf.garbled("\uf06c 要点一" * 3)  # a few Wingdings bullets (private use) are normal
    # the Uyghur half of a bilingual report is a real script, not glyph codes
    assert not pdf.garbled("ھۆكۈمەت ئۇچۇرلىرىنى ئاشكارىلاش 政府信息公开" * 4)


def test_characters_stacked_down_a_narrow_cell_stay_one_label():
    """三、本年度办理结果 written one character per line beside the rows: one item, not a character per row."""
    stack = "三、本年度办理结果"
    runs = [(60, 120 + 12 * i, ch) for i, ch in enumerate(stack)]
    runs += [(72, 100, "三、收到和处理政府信息公开申请情况")]
    for i in range(4):
        y = 126 + 24 * i
        runs += [(100, y, f"{i + 1}．属于第{i + 1}类")] + [(260 + 50 * c, y, str(i + c)) for c in range(3)]
    runs += [(72, 300 + 14 * i, "说明文字") for i in range(8)]
    lines = pdf.extract(_glyph_pdf(runs, per_glyph=False)).splitlines()
    assert stack in lines
    assert [ln.split("\t") for ln in lines if "属于" in ln] == [
        [f"{i + 1}．属于第{i + 1}类", *(str(i + c) for c in range(3))] for i in range(4)]


def _glyph_row(*pieces: tuple[float, str], size: float = 10.0, base: float = 100.0):
    """Glyphs of one printed row: each piece starts at its x and runs on at 0.5 em a glyph."""
    from parsers.formats.pdfglyphs import Glyph

    out = []
    for x, text in pieces:
        for c in text:
            out.append(Glyph(x, base - size, x + size / 2, base, c, size, base, True))
            x += size / 2
    return out


def test_narrow_number_columns_and_a_first_value_close_to_its_label_are_separate_cells():
    """Narrow columns (商业企业 | 科研机构) leave less than an em between numbers, and a label can
    end a word gap before the row's first value; each number is still its own cell, so the row
    keeps its 7 values — while 1 234 567 printed with thousands gaps stays one number."""
    from parsers.formats.pdfglyphs import build_lines

    row = _glyph_row((0, "4.无正当理由"), (39, "2"), (48, "0"), (57, "0"), (66, "0"), (75, "0"), (84, "0"), (93, "2"))
    (line,) = build_lines(row)
    assert [c.text for c in line.cells] == ["4.无正当理由", "2", "0", "0", "0", "0", "0", "2"]
    grouped = _glyph_row((0, "合计"), (40, "1"), (49, "234"), (68, "567"))
    (line,) = build_lines(grouped)
    assert [c.text for c in line.cells][-1] == "1 234 567"


def _wrapped_label_page(second_row_label: list[tuple[float, str]]) -> bytes:
    """Excel's print of a table whose rows are shorter than their wrapped labels: each cell's lines
    centred on its row, overflowing the rules (11 pt text, 15 pt rows, lines 16 pt apart; as in
    real21's pdf_from_xlsx_b5, a block's centre 1.5 pt below its row's).  Row 1's label is
    ``second_row_label`` (line centre, text); row 2 holds a heading in its second column only."""
    ys = [100, 115, 130, 145, 160]
    up = 4.18  # a CJK line's box centre above its baseline at 11 pt

    def at(centre: float) -> float:
        return centre + up

    cells = [(55, at(107.5), "行政许可", "china-s"), (140, at(107.5), "292", "helv"), (200, at(107.5), "7475", "helv"),
             (140, at(122.5), "12", "helv"), (200, at(122.5), "212", "helv"),
             (135, at(137.5), "第六项", "china-s"),
             (55, at(152.5), "行政处罚", "china-s"), (140, at(152.5), "109", "helv"), (200, at(152.5), "247", "helv")]
    cells += [(55, at(centre), text, "china-s") for centre, text in second_row_label]
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), TITLE, fontname="china-s", fontsize=10)
    xs = [50, 130, 190, 250]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x, y, text, font in cells:
        page.insert_text((x, y), text, fontname=font, fontsize=11)
    return doc.tobytes()


def test_wrapped_label_overflowing_into_a_heading_row_stays_in_its_own_row():
    """其他对外管 / 理服务事项 centred on its row: its last line's centre lies in the heading row below,
    beside nothing it could overlap; the two lines centred on the label's row are that row's label."""
    lines = pdf.extract(_wrapped_label_page([(116.0, "其他对外管"), (132.0, "理服务事项")])).splitlines()
    assert "其他对外管理服务事项\t12\t212" in lines or "其他对外管 理服务事项\t12\t212" in lines, lines
    assert not any("理服务事项" in ln and "第六项" in ln for ln in lines), lines


def test_a_next_rows_line_right_under_a_label_is_not_taken_for_its_continuation():
    """A line stacked right under a row's label but printed for the next row (the block the two
    would make is not centred on the label's row) stays where it stands."""
    lines = pdf.extract(_wrapped_label_page([(121.0, "其他事项"), (134.0, "注")])).splitlines()
    assert "其他事项\t12\t212" in lines, lines
