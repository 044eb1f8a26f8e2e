"""Scanned reports: the seed pages degraded the way real scans are, then OCR'd and parsed.

Each seed is rendered once by LibreOffice (ruled, and once more without any table borders),
its pages rasterised at 150 dpi (100 and 75 dpi for the low-resolution cases) and then
degraded in code, deterministically: rotated, JPEG at quality 60, printed-and-scanned
(darker thin lines, grey uneven paper, noise), or all of that at once.  What a user checks:
the same agency, year, template and table cells as the seed's expected record.  Where the
OCR cannot be exact it may leave a cell null, but only with an ``ocr_uncertain`` finding
naming it: never a wrong number, never a silent blank.
"""

from __future__ import annotations

import io
import shutil
from functools import cache
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from parsers import parse_text
from parsers.formats.imagegrid import cell_text
from parsers.tables import OCR_UNSURE
from tests.portal.render import report_html
from tests.support.formats_corpus import Seed, load_seeds, soffice_convert
from tests.support.records import leaves_beside

SEEDS = load_seeds()[:2]
NUMBER_TABLES = ("active_disclosure", "applications", "reviews_litigation")
# Degradations the OCR must get back exactly, cell for cell.
EXACT = {"rotated_1.5", "unruled"}
MAX_FLAGGED = 12  # of ~200 cells: the null-with-finding escape hatch is not a way to read nothing

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def unruled_html(html: str) -> str:
    """The same page with no table borders at all (tables set out by spacing alone)."""
    return html.replace('border="1"', 'border="0"').replace("border: 1px solid #000;", "border: none;")


def _blank_cell(html: str, at: int, before: int) -> str:
    """``html`` with the cell after the first ``before`` cells from ``at`` left empty."""
    for _ in range(before):
        at = html.index("</td>", at) + len("</td>")
    start = html.index(">", html.index("<td", at)) + 1
    return html[:start] + html[html.index("</td>", start):]


def blanked_html(html: str) -> str:
    """The unruled page with table 3's 结转 row's second number (commercial) and table 4's
    third (行政复议 其他结果) printed blank."""
    html = _blank_cell(html, html.index("四、结转下年度继续办理"), 2)
    return _blank_cell(html, html.rindex("<tr><td>"), 2)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("scans")
    inputs = []
    for s in SEEDS:
        html = report_html(s.record, s.narrative, s.title)
        for variant, text in (("ruled", html), ("unruled", unruled_html(html)),
                              ("blanked", blanked_html(unruled_html(html)))):
            p = out / f"{s.stem}.{variant}.html"
            p.write_text(text, encoding="utf-8")
            inputs.append(p)
    soffice_convert(inputs, "pdf:writer_pdf_Export", out, "HTML (StarWriter)")
    return {(s.stem, v): out / f"{s.stem}.{v}.pdf" for s in SEEDS for v in ("ruled", "unruled", "blanked")}


def pages(pdf: Path, dpi: int = 150) -> list[np.ndarray]:
    with pymupdf.open(pdf) as doc:
        pixes = [p.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY) for p in doc]
    return [np.frombuffer(x.samples, np.uint8).reshape(x.height, x.stride)[:, :x.width] for x in pixes]


def encode(img: np.ndarray, fmt: str = "PNG", quality: int = 95) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format=fmt, quality=quality)
    return buf.getvalue()


def rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    from PIL import Image

    turned = Image.fromarray(img).rotate(degrees, resample=Image.BILINEAR, expand=True, fillcolor=255)
    return np.asarray(turned)


def printed_and_scanned(img: np.ndarray, seed: int) -> np.ndarray:
    """A print of the page scanned again: thin lines printed darker than the screen render's
    hairlines, grey paper lit unevenly (dim lower left), scanner noise."""
    rng = np.random.default_rng(seed)
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w]
    light = 215 + 30 * (xx / w) - 25 * (yy / h)
    ink = 1 - np.minimum((255 - img.astype(np.float32)) * 2.5, 255) / 255.0
    out = light * ink + 25 * (1 - ink) + rng.normal(0, 10, img.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def thick_and_broken(img: np.ndarray, seed: int) -> np.ndarray:
    """Rules and strokes a px bolder, with short breaks all over (worn print, dusty glass)."""
    import cv2

    rng = np.random.default_rng(seed)
    out = cv2.erode(img, np.ones((2, 2), np.uint8))
    h, w = out.shape
    for _ in range(400):
        y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
        out[y:y + int(rng.integers(2, 7)), x:x + int(rng.integers(2, 7))] = 255
    return out


def degraded(pdfs: dict, stem: str, how: str) -> list[bytes]:
    ruled = pdfs[(stem, "ruled")]
    if how == "rotated_1.5":
        return [encode(rotate(p, 1.5)) for p in pages(ruled)]
    if how == "rotated_-2.5":
        return [encode(rotate(p, -2.5)) for p in pages(ruled)]
    if how == "jpeg_q60":
        return [encode(p, "JPEG", 60) for p in pages(ruled)]
    if how == "dpi_100":
        return [encode(p) for p in pages(ruled, 100)]
    if how == "dpi_75":
        return [encode(p) for p in pages(ruled, 75)]
    if how == "grey_noisy":
        return [encode(printed_and_scanned(p, i)) for i, p in enumerate(pages(ruled))]
    if how == "scan":  # all at once: skewed, grey, noisy, saved as JPEG
        return [encode(printed_and_scanned(rotate(p, 0.8), i), "JPEG", 70) for i, p in enumerate(pages(ruled))]
    if how == "thick_broken":
        return [encode(thick_and_broken(p, i)) for i, p in enumerate(pages(ruled))]
    if how == "unruled":
        return [encode(p) for p in pages(pdfs[(stem, "unruled")])]
    if how == "turned":  # page 1 scanned on its side, page 2 fed upside down
        first, second, *rest = pages(ruled)
        return [encode(np.rot90(first)), encode(np.rot90(second, 2))] + [encode(p) for p in rest]
    if how == "two_up":  # the pages side by side in one picture, a grey fold between them
        ps = pages(ruled)
        fold = np.full((ps[0].shape[0], 40), 235, np.uint8)
        fold[:, 19:21] = 150
        return [encode(np.concatenate([ps[0], fold, ps[1]], axis=1))] + [encode(p) for p in ps[2:]]
    if how == "tiff":  # every page a frame of one multi-page TIFF (a fax)
        from PIL import Image

        frames = [Image.fromarray(p) for p in pages(ruled)]
        buf = io.BytesIO()
        frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
        return [buf.getvalue()]
    raise ValueError(how)


@cache
def _ocr_text(images: tuple[bytes, ...]) -> str:
    from parsers.extract import extract_text

    return "\n".join(extract_text(img)[0] for img in images)


# ~4-8 s of OCR a page, two pages a seed: each degradation once, the two seeds taking turns
# ("scan" is grey_noisy, rotation and JPEG at once, on the other seed)
CASES = [(SEEDS[0].stem, how) for how in ("rotated_1.5", "rotated_-2.5", "dpi_100", "grey_noisy")]
CASES += [(SEEDS[1].stem, how) for how in ("jpeg_q60", "scan", "dpi_75", "thick_broken", "unruled")]
# pages turned (one on its side, one upside down), two pages to a picture, a multi-page TIFF
CASES += [(SEEDS[1].stem, "turned"),
          (SEEDS[0].stem, "two_up"), (SEEDS[1].stem, "tiff")]


@pytest.mark.parametrize(("stem", "how"), CASES, ids=[f"{s[:3]}-{h}" for s, h in CASES])
def test_scan_reads_back_or_flags(pdfs, stem, how):
    seed: Seed = next(s for s in SEEDS if s.stem == stem)
    result = parse_text(_ocr_text(tuple(degraded(pdfs, stem, how))))
    record = result.record
    for key in ("agency", "year", "template"):
        assert record[key] == seed.record[key], key
    flagged = {c for f in result.findings if f["code"] == "ocr_uncertain" for c in f["cells"]}
    wrong, silent, nulls = [], [], []
    for table in NUMBER_TABLES:
        for path, want, got in leaves_beside(seed.record[table], record.get(table), table):
            if got == want:
                continue
            if got is None and path in flagged:
                nulls.append(path)
            elif got is None:
                silent.append(path)
            else:
                wrong.append(f"{path}: expected {want!r}, got {got!r}")
    assert not wrong, "wrong numbers:\n" + "\n".join(wrong)
    assert not silent, "null without an ocr_uncertain finding: " + ", ".join(silent)
    if how in EXACT:
        assert not nulls, "expected every cell exact, flagged: " + ", ".join(nulls)
    assert len(nulls) <= MAX_FLAGGED, nulls


def test_blank_cell_without_rules_is_not_slid_over(pdfs):
    """A table without rules, a cell printed blank: the numbers after it stay in their columns
    (under the header, where the other rows put theirs) and the blank cell is a null with a
    finding, not the next column's number."""
    seed: Seed = SEEDS[1]
    doc = pdfs[(seed.stem, "blanked")]
    result = parse_text(_ocr_text(tuple(encode(p) for p in pages(doc))))
    # (table 4's header words may be read run together: its row is then not placed at all)
    flagged = {c for f in result.findings if f["code"] in ("ocr_uncertain", "row_unplaced") for c in f["cells"]}
    blank = {"applications.carried_forward.commercial", "reviews_litigation.review.other"}
    wrong = []
    for table in NUMBER_TABLES:
        for path, want, got in leaves_beside(seed.record[table], result.record.get(table), table):
            if path in blank:
                assert got is None and path in flagged, (path, got)
            elif got is not None and got != want:
                wrong.append(f"{path}: expected {want!r}, got {got!r}")
    assert not wrong, "wrong numbers:\n" + "\n".join(wrong)
    assert result.record["applications"]["carried_forward"]["natural_person"] == \
        seed.record["applications"]["carried_forward"]["natural_person"]
    assert not [f for f in result.findings if str(f.get("identity")) in {"1", "2", "3", "4", "5", "6"}]


# Table 2 as a scanned street-office report sets it (fixture 22): black 1 px rules, rows no
# taller than the text, labels a few px from the left rule and stacked with the same strokes
# in rows above one another.  JPEG's halo around the glyphs must not join those strokes
# into column rules, nor make a glyph crossing a merged row's grid line pass for one.
SHORT_ROWS = [
    ("第二十条第（一）项",),
    ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
    ("规章", "0", "0", "0"),
    ("行政规范性文件", "0", "0", "2"),
    ("第二十条第（五）项",),
    ("信息内容", "本年处理决定数量"),
    ("行政许可", "65"),
    ("第二十条第（六）项",),
    ("信息内容", "本年处理决定数量"),
    ("行政处罚", "29"),
    ("行政强制", "3"),
]


def short_row_table_jpeg() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    xs, top, rh = [172, 435, 640, 845, 1047], 80, 25
    img = Image.new("L", (1240, top + rh * len(SHORT_ROWS) + 80), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 18)
    for i, row in enumerate(SHORT_ROWS):
        y = top + i * rh
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=1)
        cuts = {1: [xs[0], xs[-1]], 2: [xs[0], xs[1], xs[-1]]}.get(len(row), xs)
        for x in cuts:
            draw.line([(x, y), (x, y + rh)], fill=0, width=1)
        for x, text in zip(cuts, row, strict=False):
            draw.text((x + 4, y + 2), text, font=font, fill=0)
    draw.line([(xs[0], top + rh * len(SHORT_ROWS)), (xs[-1], top + rh * len(SHORT_ROWS))], fill=0, width=1)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=60)
    return buf.getvalue()


@pytest.mark.skipif(not Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists(),
                    reason="fonts-noto-cjk not installed")
def test_black_ruled_short_rows_keep_their_columns():
    from difflib import SequenceMatcher

    from parsers.extract import extract_text

    lines = [ln.split("\t") for ln in extract_text(short_row_table_jpeg())[0].splitlines()]
    assert len(lines) == len(SHORT_ROWS), lines
    for got, want in zip(lines, SHORT_ROWS, strict=True):
        # no column made up of glyph strokes; a row of one cell merged across the table is that cell
        # alone, as HTML, DOCX and PDF tables print it
        assert len(got) == (1 if len(want) == 1 else 4), got
        assert OCR_UNSURE not in "".join(got), got
        assert not "".join(got[len(want):]).strip(), got  # a merged cell stays one cell
        for cell, text in zip(got, want, strict=False):
            if text.isdigit():
                assert cell.strip() == text, (got, want)
            else:  # a label may lose a glyph to OCR, never be cut into pieces
                assert SequenceMatcher(None, cell, text).ratio() >= 0.75, (got, want)


def test_unreadable_cell_is_null_with_a_finding():
    """The marker OCR prints for a number it could not read: the cell is null (never 0, never
    a guess) and the reader is told which cell to check against the scan."""
    seed_text = (Path(__file__).parent / "fixtures" / "seeds" / f"{SEEDS[1].stem}.txt").read_text(encoding="utf-8")
    clean = parse_text(seed_text)
    row = next(ln for ln in seed_text.splitlines() if "予以公开" in ln and "\t" in ln)
    cells = row.split("\t")
    i = min(j for j, c in enumerate(cells) if c.strip().isdigit()) + 1  # 法人：商业企业
    cells[i] = OCR_UNSURE
    result = parse_text(seed_text.replace(row, "\t".join(cells)))
    got = result.record["applications"]["granted"]
    want = clean.record["applications"]["granted"]
    assert got["commercial"] is None and want["commercial"] is not None
    assert {k: v for k, v in got.items() if k != "commercial"} == {k: v for k, v in want.items() if k != "commercial"}
    found = [f for f in result.findings if f["code"] == "ocr_uncertain"]
    assert [f["cells"] for f in found] == [["applications.granted.commercial"]]


@pytest.mark.parametrize(("text", "score", "printed"), [
    ("1672944", 0.99, "1672944"),      # a number read cleanly
    ("126661.053152", 0.97, "126661.053152"),
    ("0", 0.4, OCR_UNSURE),            # a number the model was unsure of
    ("o.", 0.99, OCR_UNSURE),          # a zero with a speck: "0." is not a number to guess from
    ("0 18", 0.95, OCR_UNSURE),        # two numbers in one cell: a rule the grid missed
    ("010", 0.99, OCR_UNSURE),         # a 0 read with a mark beside it: no table prints "010"
    ("1AV", 0.9, OCR_UNSURE),          # digits and debris
    ("—", 0.3, "—"),                   # a dash is a null marker whatever the score
    ("行政许可", 0.2, "行政许可"),       # a label: never blanked
])
def test_cell_text_decides_what_to_trust(text, score, printed):
    assert cell_text(text, score) == printed


# Red ink: a 公章 stamped over the numbers and the signature, a red 红头 title line.  The
# seal is ink, not paint: multiplied into the page, so black digits under it stay black.
def colour_pages(pdf: Path, dpi: int = 150) -> list[np.ndarray]:
    with pymupdf.open(pdf) as doc:
        pixes = [p.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB) for p in doc]
    return [np.frombuffer(x.samples, np.uint8).reshape(x.height, x.stride)[:, :x.width * 3]
            .reshape(x.height, x.width, 3) for x in pixes]


SEAL_INK = (214, 38, 46)


def stamp_seal(page: np.ndarray, centre: tuple[int, int], radius: int = 110) -> np.ndarray:
    """A round seal: thick ring, five-point star, the body's name in an arc, multiplied in."""
    import math

    from PIL import Image, ImageChops, ImageDraw, ImageFont

    size = 2 * radius + 8
    seal = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    c = size // 2
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=SEAL_INK, width=9)
    star = [(c + (radius * 0.32 if k % 2 == 0 else radius * 0.13) * math.sin(k * math.pi / 5),
             c - (radius * 0.32 if k % 2 == 0 else radius * 0.13) * math.cos(k * math.pi / 5)) for k in range(10)]
    draw.polygon(star, fill=SEAL_INK)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", int(radius * 0.26))
    name = "某某市人民政府办公室"
    for i, ch in enumerate(name):
        a = math.radians(-120 + 240 * i / (len(name) - 1))
        glyph = Image.new("L", (font.size + 6, font.size + 6), 0)
        ImageDraw.Draw(glyph).text((3, 0), ch, font=font, fill=255)
        glyph = glyph.rotate(-math.degrees(a), resample=Image.BILINEAR)
        x = c + (radius * 0.72) * math.sin(a) - glyph.width / 2
        y = c - (radius * 0.72) * math.cos(a) - glyph.height / 2
        seal.paste(Image.new("RGB", glyph.size, SEAL_INK), (int(x), int(y)), glyph)
    # uneven ink, like a real stamp: some of the seal lighter
    faded = Image.blend(seal, Image.new("RGB", seal.size, (255, 255, 255)), 0.15)
    img = Image.fromarray(page)
    x0, y0 = centre[0] - c, centre[1] - c
    box = (x0, y0, x0 + size, y0 + size)
    img.paste(ImageChops.multiply(img.crop(box), faded), box)
    return np.asarray(img)


def red_header(page: np.ndarray) -> np.ndarray:
    """A red 红头 above the title: the issuing body's name in large red type, a red rule."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    page = np.concatenate([np.full((190, page.shape[1], 3), 255, np.uint8), page])
    h, w = page.shape[:2]
    layer = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 60)
    draw.text((w // 2, 60), "某某市人民政府办公室文件", font=font, fill=(220, 30, 30), anchor="mt")
    draw.line([(80, 175), (w - 80, 175)], fill=(220, 30, 30), width=4)
    return np.asarray(ImageChops.multiply(Image.fromarray(page), layer))


def signed(page: np.ndarray, y: int) -> np.ndarray:
    """The issuing body and the date in black, right-aligned, as a report ends."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.fromarray(page)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 28)
    x = int(page.shape[1] * 0.9)
    draw.text((x, y), "某某市人民政府办公室", font=font, fill=(0, 0, 0), anchor="ra")
    draw.text((x, y + 45), "2025年1月15日", font=font, fill=(0, 0, 0), anchor="ra")
    return np.asarray(img)


def _number_cells(gray: np.ndarray) -> tuple[int, int]:
    """Number cells to stamp over: right half, a few rows above the page's last long rule
    (the last table's body), over digits and rules alike."""
    ink = gray < 128
    rows = np.flatnonzero(ink.sum(axis=1) > gray.shape[1] // 2)  # long horizontal rules
    y = int(rows[-1]) - 240 if rows.size else gray.shape[0] // 2
    return int(gray.shape[1] * 0.7), max(y, 130)


def sealed(pdfs: dict, stem: str, how: str) -> list[bytes]:
    pages_rgb = colour_pages(pdfs[(stem, "ruled")])
    out = []
    for i, p in enumerate(pages_rgb):
        gray = p.mean(axis=2)
        p = stamp_seal(p, _number_cells(gray))
        if i == len(pages_rgb) - 1:  # over the signature and date at the end
            y = int(np.flatnonzero((gray < 128).sum(axis=1))[-1]) + 90
            p = signed(p, y)
            p = stamp_seal(p, (int(p.shape[1] * 0.72), y + 30))
        if how == "red_header" and i == 0:
            p = red_header(p)
        out.append(encode(p, "JPEG", 75))
    return out


def as_scanned_pdf(images: list[bytes]) -> bytes:
    """The page images as an image-only PDF (a scanner's output), one A4 page each."""
    doc = pymupdf.open()
    for img in images:
        page = doc.new_page(width=595, height=842)
        page.insert_image(page.rect, stream=img)
    return doc.tobytes()


# the seal on its own, the 红头 with a seal, and the seal in a scanned PDF (whose pages the
# PDF reader renders itself: it must keep their colour for the red to be told from black)
RED_CASES = [(SEEDS[0].stem, "seal"), (SEEDS[1].stem, "red_header"), (SEEDS[0].stem, "seal_pdf")]


@pytest.mark.skipif(not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc").exists(),
                    reason="fonts-noto-cjk not installed")
@pytest.mark.parametrize(("stem", "how"), RED_CASES, ids=[f"{s[:3]}-{h}" for s, h in RED_CASES])
def test_red_seal_does_not_break_ocr(pdfs, stem, how):
    seed: Seed = next(s for s in SEEDS if s.stem == stem)
    images = sealed(pdfs, stem, how.removesuffix("_pdf"))
    if how.endswith("_pdf"):
        from parsers.extract import extract_text

        text = extract_text(as_scanned_pdf(images))[0]
    else:
        text = _ocr_text(tuple(images))
    result = parse_text(text)
    record = result.record
    for key in ("agency", "year", "template"):
        assert record[key] == seed.record[key], key
    flagged = {c for f in result.findings if f["code"] == "ocr_uncertain" for c in f["cells"]}
    wrong, silent, nulls = [], [], []
    for table in NUMBER_TABLES:
        for path, want, got in leaves_beside(seed.record[table], record.get(table), table):
            if got == want:
                continue
            if got is None and path in flagged:
                nulls.append(path)
            elif got is None:
                silent.append(path)
            else:
                wrong.append(f"{path}: expected {want!r}, got {got!r}")
    assert not wrong, "wrong numbers:\n" + "\n".join(wrong)
    assert not silent, "null without an ocr_uncertain finding: " + ", ".join(silent)
    assert len(nulls) <= MAX_FLAGGED, nulls


def test_grey_page_is_untouched_by_red_ink_removal(pdfs):
    """A page with no colour goes through the red-ink step as the very same array."""
    from parsers.formats.image import drop_red_ink

    rgb = colour_pages(pdfs[(SEEDS[0].stem, "ruled")])[0]
    gray = rgb.mean(axis=2).astype(np.uint8)
    assert drop_red_ink(np.ascontiguousarray(rgb[:, :, ::-1]), gray) is gray


def test_red_ink_goes_black_ink_under_it_stays(pdfs):
    """Under the seal the digits' black strokes are kept; the seal's own red strokes go."""
    from parsers.formats.image import drop_red_ink

    rgb = colour_pages(pdfs[(SEEDS[0].stem, "ruled")])[0]
    centre = _number_cells(rgb.mean(axis=2))
    stamped = stamp_seal(rgb, centre)
    bgr = np.ascontiguousarray(stamped[:, :, ::-1])
    import cv2

    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    out = drop_red_ink(bgr, gray)
    red = (stamped[:, :, 0].astype(int) - stamped[:, :, 1:].max(axis=2)) > 100
    black = rgb.max(axis=2) < 60
    assert red.sum() > 1000 and (out[red] > 200).mean() > 0.97  # the seal is paper now
    assert (out[black] < 80).mean() > 0.97  # the text under and around it is still ink


def _ruled_page(xs: list[int], ys: list[int], size: tuple[int, int] = (900, 1100)) -> np.ndarray:
    """A white page with a black-ruled grid and a "0" drawn in every cell."""
    import cv2

    page = np.full(size, 255, np.uint8)
    for x in xs:
        page[ys[0]:ys[-1] + 2, x:x + 2] = 0
    for y in ys:
        page[y:y + 2, xs[0]:xs[-1] + 2] = 0
    for x0, x1 in zip(xs, xs[1:], strict=False):
        for y0, y1 in zip(ys, ys[1:], strict=False):
            cv2.ellipse(page, ((x0 + x1) // 2, (y0 + y1) // 2), (5, 8), 0, 0, 360, 0, 2)
    return page


def test_watermark_strokes_do_not_split_columns():
    """Broad light-grey diagonal strokes (a 仅供参考 watermark) across a ruled table: the grid
    keeps exactly its drawn columns, and every cell reads its printed 0 or is flagged, never
    a 10 or a 01 made of the watermark's strokes."""
    import cv2

    from parsers.formats import imagegrid
    from parsers.formats.image import recognise

    xs, ys = [100, 300, 400, 500, 600, 700, 800], list(range(100, 1000, 30))
    page = _ruled_page(xs, ys)
    layer = np.full_like(page, 255)
    for k in range(-3, 6):
        x = 150 * k
        cv2.line(layer, (x, 1100), (x + 700, 0), 200, 16)  # steep broad strokes, light grey
    marked = (page.astype(np.float32) * layer / 255).astype(np.uint8)
    tables, _ = imagegrid.read_tables(marked, recognise)
    assert [len(t.rows[0]) for t in tables] == [len(xs) - 1]
    rows = tables[0].rows
    assert len(rows) >= 0.9 * (len(ys) - 1)  # a rule hidden under a stroke may merge two rows
    cells = [c for row in rows for c in row if c is not None]
    assert set(cells) <= {"0", OCR_UNSURE}, sorted(set(cells))
    assert cells.count("0") >= 0.75 * (len(xs) - 1) * (len(ys) - 1)
    plain = imagegrid.paper_level(page)
    assert imagegrid.mark_cut(page, imagegrid.ink_mask(page, plain), imagegrid.grids(page, plain)) is None


def test_stroke_across_a_cell_is_taken_out_the_digit_kept():
    """A seal's ring running in from the cell border is no glyph: it goes, the 0 stays."""
    import cv2

    from parsers.formats import imagegrid

    cell = np.full((40, 120), 255, np.uint8)
    cv2.ellipse(cell, (60, 20), (5, 9), 0, 0, 360, 0, 2)
    cv2.ellipse(cell, (140, 60), (70, 55), 0, 180, 270, 120, 6)  # an arc from the bottom edge
    ink = (cell < 200).astype(np.uint8)
    kept = imagegrid.drop_crossing_strokes(cell, ink, (0, 0, 120, 40), line_h=20)
    assert kept is not ink
    assert kept[10:31, 54:67].sum() == ink[10:31, 54:67].sum()  # the 0 untouched
    assert kept.sum() == ink[10:31, 54:67].sum()  # nothing else left
    plain = (cell * 0 + 255).astype(np.uint8)
    cv2.ellipse(plain, (60, 20), (5, 9), 0, 0, 360, 0, 2)
    zero = (plain < 200).astype(np.uint8)
    assert imagegrid.drop_crossing_strokes(plain, zero, (0, 0, 120, 40), line_h=20) is zero
