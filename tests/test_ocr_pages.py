"""Reports posted as small page pictures: the tables set out without rules, a space or two
between the numbers of a row, rasterised at ~110 dpi and saved as JPEG.

The text detector boxes such a row's neighbouring numbers as one ("19 5 1951" read as
1951951); the OCR must give them back one per cell, or leave a cell null with a finding,
never a merged or split number.  Golden cases: tests/fixtures/ocr_pages/x_p1.jpg, x_p2.jpg …
(or .png) beside x.expected.json (the seed's record, by construction; ``may_be_null`` lists the cells
the OCR may leave null, each with a finding naming it).  tests/fixtures/ocr_pages/make.py
made them with Chromium and pdftoppm.

pingyuan_edu_blur_jpeg_150dpi: a ruled report scanned at 200 dpi, slightly blurred, saved as JPEG
quality 50 and resampled to 150 dpi (as the scanned PDF was rendered for OCR, then JPEG q92); the
bold heading under table 4 touches its bottom rule, which cost a column rule there.  Its ``findings`` lists the identity findings the
report really has (none): a misread there must not turn into an accusation (1|0 read as 110).

gaotang_2019_bilevel_200dpi / gaotang_2019_grey_seal_200dpi (make_ocrcells.py): a 2019-template
report from a black-and-white copier (1 bit, dust; table 2 prints -12 and -5, whose minus signs
are as small as the dust) and from a grey scan with a 公章 stamped in grey over table 3's
numbers (its strokes were read as digits: 0 read 1, its letters kept as text slid a row).
gaotang_2019_blotchy_seal_200dpi: the same seal stamped unevenly over （五）…（七）总计's numbers; the
digits under it are read with the seal lifted off by its grey level (ocrseal), not lost.

shenxian_2021_photo_150dpi / shenxian_2021_photo_dim_150dpi (make_photo.py): phone photos of a
printout whose numbers sit left-aligned a few px from their column rule (warm paper, blur, a turn
under a degree, JPEG quality 60 / 50 with the light falling off): the blurred rule's halo leaning
into a cell was read with its 0 as "10" or "1", and alone in a blank cell as "1".

skew_0_5_soft_150dpi, skew_1_5_jpeg60, skew_3_png, sideways_skew_0_8 (make_skewed.py): a report
with tightly ruled tables (rows barely taller than their text) scanned askew: 0.5 degrees, softened
and stored as JPEG as a scanner's image PDF does (a 0.6 degree scan like it lost tables 2 and 4 to
glyph strokes taken for column rules), -1.5 degrees at JPEG quality 60, 3 degrees as PNG, and
0.8 degrees on a page scanned on its side.

x.html beside x.expected.json (made by make_turned.py): an article whose report is its page
pictures, linked beside the file, one landscape page scanned sideways and one upside down; parsed
by `nianbao parse x.html` as a user would.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from parsers import parse_text
from parsers.pages import PAGE_BREAK
from tests.support.records import leaves_beside

HERE = Path(__file__).parent / "fixtures" / "ocr_pages"
# an x.html beside x.expected.json: an article whose pictures are the report's pages (x_p*.jpg otherwise)
ARTICLES = sorted(c for c in HERE.glob("*.expected.json") if c.with_name(c.name.replace(".expected.json", ".html")).exists())
CASES = sorted(c for c in HERE.glob("*.expected.json") if c not in ARTICLES)
NUMBER_TABLES = ("active_disclosure", "applications", "reviews_litigation")
# findings that say a cell could not be read, not that the report is inconsistent
NOTICES = {"ocr_uncertain", "row_unplaced", "table_missing", "unaligned", "inferred"}
MONO = Path("/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf")
SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pages_of(expected: Path) -> list[Path]:
    stem = expected.name.removesuffix(".expected.json")
    found = [p for p in HERE.glob(f"{stem}_p*.*") if re.fullmatch(rf"{re.escape(stem)}_p\d+\.(?:jpg|png)", p.name)]
    return sorted(found, key=lambda p: int(p.stem.rsplit("_p", 1)[1]))


@pytest.mark.parametrize("expected", CASES, ids=[c.name.removesuffix(".expected.json") for c in CASES])
def test_page_pictures_read_back_or_flag(expected):
    """Each page picture OCR'd as the archive reads an article of pictures (one file's text
    after another, a page break between), then parsed."""
    from parsers.extract import extract_text

    text = f"\n{PAGE_BREAK}\n".join(extract_text(p.read_bytes())[0] for p in pages_of(expected))
    result = parse_text(text)
    assert_read_back(expected, result.record, result.findings)


@pytest.mark.parametrize("expected", ARTICLES, ids=[c.name.removesuffix(".expected.json") for c in ARTICLES])
def test_article_of_page_pictures_read_as_a_scan(expected, capsys):
    """`nianbao parse x.html`: an article whose report is its page pictures (linked beside the
    file, some fed upside down or sideways) is read like a scan, every page the right way up."""
    from parsers.cli import main

    assert main([str(expected.with_name(expected.name.replace(".expected.json", ".html"))), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all((out["sections"] or {}).get(k) for k in ("overview", "problems")), "the pages' narrative is read"
    assert_read_back(expected, out, out["findings"])


def assert_read_back(expected: Path, record: dict, findings: list[dict]) -> None:
    want = json.loads(expected.read_text(encoding="utf-8"))
    may_be_null = set(want.get("may_be_null", []))
    for key in ("agency", "year", "template"):
        assert record[key] == want[key], key
    named = {c for f in findings for c in f.get("cells", [])}
    wrong, missed, silent = [], [], []
    for table in NUMBER_TABLES:
        for path, value, got in leaves_beside(want[table], record.get(table), table):
            if got == value:
                continue
            if got is not None:
                wrong.append(f"{path}: expected {value!r}, got {got!r}")
            elif path not in may_be_null:
                missed.append(path)
            elif path not in named:
                silent.append(path)
    assert not wrong, "wrong numbers:\n" + "\n".join(wrong)
    assert not silent, "null without a finding naming it: " + ", ".join(silent)
    assert not missed, "expected exact, read as null: " + ", ".join(missed)
    if "findings" in want:  # the report's own broken identities: no other accusation of it
        accused = {f["code"] for f in findings} - NOTICES
        assert accused <= set(want["findings"]), sorted(accused)


def table_picture(rows: list[list[str]], font: Path, size: int, gap: int) -> bytes:
    """Rows of a table drawn as small as a 110 dpi page sets them, at the top of a page: each
    cell's text left-aligned in a column ``gap`` px wider than its widest text, no rules, JPEG."""
    from PIL import Image, ImageDraw, ImageFont

    f = ImageFont.truetype(str(font), size)
    widths = [max(int(f.getlength(r[i])) for r in rows) + gap for i in range(len(rows[0]))]
    width = 60 + sum(widths)  # on a portrait page: a wide picture may be taken for two pages side by side
    img = Image.new("L", (width, max(size * (2 * len(rows) + 2), int(width * 1.4))), 255)
    draw = ImageDraw.Draw(img)
    for j, row in enumerate(rows):
        for i, c in enumerate(row):
            draw.text((30 + sum(widths[:i]), size * (1 + 2 * j)), c, font=f, fill=0)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=75)
    return buf.getvalue()


def ocr_rows(data: bytes) -> list[list[str]]:
    from parsers.formats import image

    return [ln.split("\t") for ln in image.extract(data).split("\n") if ln.strip()]


ROWS = [["1909", "18", "0", "0", "19", "5", "1951"], ["23", "0", "0", "0", "6", "0", "29"],
        ["835", "5", "0", "0", "23", "4", "867"]]


@pytest.mark.skipif(not SANS.exists(), reason="fonts-dejavu not installed")
def test_neighbouring_numbers_come_back_one_per_cell():
    assert ocr_rows(table_picture(ROWS, SANS, 15, 9)) == ROWS


@pytest.mark.skipif(not MONO.exists(), reason="urw-base35 fonts not installed")
def test_thin_digits_in_wide_advances_stay_one_number():
    """A monospaced "1" is a thin stroke in a digit's full advance: "111" shows wide blank
    gaps inside one number, which must never be taken for cell boundaries."""
    rows = [["2011", "111", "11", "1101", "10"], ["1", "101", "11", "7", "1111"]]
    for got, want in zip(ocr_rows(table_picture(rows, MONO, 18, 14)), rows, strict=True):
        # a box over two cells may stay merged (the parser then leaves the row unplaced) and a
        # lone digit may be missed, but no number may be cut inside
        runs = {"".join(want[i:j]) for i in range(len(want)) for j in range(i + 1, len(want) + 1)}
        assert all(c in runs or c == "\ufe58" for c in got), got


CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def test_inline_page_pictures_of_a_page_over_the_text_limit_are_still_read():
    """An article of scanned PNG pages inlined as data: URIs passes the HTML text limit (eight
    pages are ~12 MB of base64) though its text is a title: its pictures are still its pages."""
    import base64

    from PIL import Image, ImageDraw, ImageFont

    from parsers import limits
    from parsers.extract import extract_text

    page = Image.new("L", (900, 1200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(CJK), 30)
    for i, line in enumerate(("一、总体情况", "本机关全年主动公开政府信息一百零七条。", "二、存在的主要问题及改进情况")):
        draw.text((80, 120 + 70 * i), line, font=font, fill=0)
    buf = io.BytesIO()
    page.save(buf, format="PNG")
    shown = base64.b64encode(buf.getvalue()).decode()
    # another page's picture, damaged in the upload: megabytes that are no image
    broken = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * (limits.MAX_TEXT_BYTES * 3 // 4 + 1)).decode()
    html = ("<html><body><h1>某县统计局2020年政府信息公开工作年度报告</h1>"
            f'<p><img src="data:image/png;base64,{shown}"></p><p><img src="data:image/png;base64,{broken}"></p>'
            "</body></html>").encode()
    assert len(html) > limits.MAX_TEXT_BYTES
    text, kind = extract_text(html)
    assert kind == "html"
    flat = "".join(text.split())
    assert "一、总体情况" in flat and "存在的主要问题" in flat
