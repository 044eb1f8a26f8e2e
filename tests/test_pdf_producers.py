"""What PDF producers of the eleventh blind set do to the text layer and the rules.

The whole reports are golden fixtures in tests/fixtures/realworld (106–111: ReportLab, Chromium,
Ghostscript); here the single mechanisms, each on the smallest real input that shows it.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pymupdf

from parsers.formats import pdf
from parsers.tokens import normalise_text

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"


def test_radicals_supplement_forms_read_as_the_characters_they_stand_for():
    """Ghostscript's re-encoding writes 民 as ⺠ (U+2EA0, CJK Radicals Supplement), which NFKC keeps."""
    assert unicodedata.normalize("NFKC", "⺠") == "⺠"  # the trap
    assert normalise_text("哈密市伊州区人⺠政府⻔户网站") == "哈密市伊州区人民政府门户网站"
    assert normalise_text("⻓⻢⻅⻋⻚⻛⻜⻥⻦⻩⻄⻬⻮⻰⺟⻳") == "长马见车页风飞鱼鸟黄西齐齿龙母龟"
    # forms that are only parts of characters (亻 氵 竹) are not words: left alone
    assert normalise_text("⺅⺡⺮") == "⺅⺡⺮"


def test_every_supplement_mapping_agrees_with_the_unicode_name():
    """Each mapped form's Unicode name is the meaning of the character it becomes."""
    from parsers.tokens import _COMPAT, _RADICAL_SUPPLEMENT

    mapped = {cp: ch for cp, ch in _COMPAT.items() if 0x2E80 <= cp <= 0x2EFF}
    names = {unicodedata.name(chr(cp)).removeprefix("CJK RADICAL "): ch for cp, ch in mapped.items()}
    for name, ch in _RADICAL_SUPPLEMENT.items():
        assert names.get(name) == ch, name
    assert len(mapped) == len(_RADICAL_SUPPLEMENT) + 2  # + ⺟ and ⻳, which NFKC maps itself


def test_one_byte_junk_of_a_two_byte_font_is_garbled_text():
    """A CID font re-encoded without its characters: Latin-1 junk and not one ideograph,
    while the Helvetica digits beside it look fine (numbers with no trustworthy labels)."""
    path = next(REALWORLD.glob("110_*.pdf"))
    with pymupdf.open(path) as doc:
        text = "".join(w[4] for w in doc[0].get_text("words"))
    assert any(ch.isdigit() for ch in text)
    assert pdf.garbled(text)


def test_european_text_and_ordinary_pages_are_not_garbled():
    french = ("Rapport annuel sur la publicité des informations gouvernementales : l'élaboration, "
              "la révision et l'exécution des décisions ont été rendues publiques conformément à la loi. ") * 3
    german = "Jährlicher Bericht über die Öffentlichkeit der Regierungsinformationen für Bürger und Behörden. " * 3
    chinese = "本报告根据《中华人民共和国政府信息公开条例》编制。全年共新收政府信息公开申请33件，其中予以公开7件。" * 3
    for text in (french, german, chinese, chinese + "Æ‘oQl_" * 3):
        assert not pdf.garbled(text), text[:20]


def _span_rows_pdf(gap_under_middle: bool) -> bytes:
    """Table 2's 许可/处罚 rows the way Chromium prints a CSS table: every cell's border a
    rectangle of its own, and under a cell spanning three columns the middle piece of the
    border left out."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), "安阳市文峰区人民政府2022年政府信息公开工作年度报告（表格测试页，正文足够长）",
                     fontname="china-s", fontsize=10)
    xs = [50.0, 250.0, 350.0, 450.0, 550.0]
    ys = [100.0, 120.0, 140.0, 160.0, 180.0]
    labels = [("信息内容", ("本年制发件数", "本年废止件数", "现行有效件数")), ("规章", ("1", "0", "12")),
              ("行政许可", ("53064",)), ("行政处罚", ("8129",))]
    shape = page.new_shape()
    for r, (label, values) in enumerate(labels):
        top, bottom = ys[r], ys[r + 1]
        edges = xs if len(values) == 3 else [xs[0], xs[1], xs[4]]
        for x in edges:
            shape.draw_line((x, top), (x, bottom))
        for c in range(4):
            if r >= 2 and c == 2 and gap_under_middle:
                continue  # the piece Chromium leaves out (above and below the spanning cells)
            shape.draw_line((xs[c], top), (xs[c + 1], top))
            shape.draw_line((xs[c], bottom), (xs[c + 1], bottom))
        page.insert_text((xs[0] + 3, bottom - 5), label, fontname="china-s", fontsize=10)
        if len(values) == 3:
            for c, v in enumerate(values):
                page.insert_text((xs[c + 1] + 3, bottom - 5), v, fontname="china-s", fontsize=10)
        else:
            page.insert_text((380, bottom - 5), values[0], fontname="helv", fontsize=10)
    shape.finish(color=(0, 0, 0), width=0.7)
    shape.commit()
    return doc.tobytes()


def test_border_drawn_under_part_of_a_spanning_cell_closes_the_cell():
    whole = pdf.extract(_span_rows_pdf(gap_under_middle=False)).splitlines()
    assert "规章\t1\t0\t12" in whole
    assert "行政许可\t53064\t\t" in whole and "行政处罚\t8129\t\t" in whole
    assert pdf.extract(_span_rows_pdf(gap_under_middle=True)).splitlines() == whole
