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
from parsers.formats.imagegrid import UNREADABLE, cell_text
from tests.portal.render import report_html
from tests.support.formats_corpus import Seed, load_seeds, soffice_convert

SEEDS = load_seeds()[:2]
NUMBER_TABLES = ("active_disclosure", "applications", "reviews_litigation")
# Degradations the OCR must get back exactly, cell for cell.
EXACT = {"rotated_1.5", "unruled"}
MAX_FLAGGED = 12  # of ~200 cells: the null-with-finding escape hatch is not a way to read nothing

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def unruled_html(html: str) -> str:
    """The same page with no table borders at all (tables set out by spacing alone)."""
    return html.replace('border="1"', 'border="0"').replace("border: 1px solid #000;", "border: none;")


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("scans")
    inputs = []
    for s in SEEDS:
        html = report_html(s.record, s.narrative, s.title)
        for variant, text in (("ruled", html), ("unruled", unruled_html(html))):
            p = out / f"{s.stem}.{variant}.html"
            p.write_text(text, encoding="utf-8")
            inputs.append(p)
    soffice_convert(inputs, "pdf:writer_pdf_Export", out, "HTML (StarWriter)")
    return {(s.stem, v): out / f"{s.stem}.{v}.pdf" for s in SEEDS for v in ("ruled", "unruled")}


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
    raise ValueError(how)


@cache
def _ocr_text(images: tuple[bytes, ...]) -> str:
    from parsers.extract import extract_text

    return "\n".join(extract_text(img)[0] for img in images)


def leaves(expected, got, path: str):
    if isinstance(expected, dict):
        for k, v in expected.items():
            yield from leaves(v, got.get(k) if isinstance(got, dict) else None, f"{path}.{k}")
    else:
        yield path, expected, got


# ~4-8 s of OCR a page, two pages a seed: each degradation once, the two seeds taking turns
# ("scan" is grey_noisy, rotation and JPEG at once, on the other seed)
CASES = [(SEEDS[0].stem, how) for how in ("rotated_1.5", "rotated_-2.5", "dpi_100", "grey_noisy")]
CASES += [(SEEDS[1].stem, how) for how in ("jpeg_q60", "scan", "dpi_75", "thick_broken", "unruled")]


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
        for path, want, got in leaves(seed.record[table], record.get(table), table):
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
        assert len(got) == 4, got  # no column made up of glyph strokes
        assert UNREADABLE not in "".join(got), got
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
    cells[i] = UNREADABLE
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
    ("0", 0.4, UNREADABLE),            # a number the model was unsure of
    ("o.", 0.99, UNREADABLE),          # a zero with a speck: "0." is not a number to guess from
    ("0 18", 0.95, UNREADABLE),        # two numbers in one cell: a rule the grid missed
    ("1AV", 0.9, UNREADABLE),          # digits and debris
    ("—", 0.3, "—"),                   # a dash is a null marker whatever the score
    ("行政许可", 0.2, "行政许可"),       # a label: never blanked
])
def test_cell_text_decides_what_to_trust(text, score, printed):
    assert cell_text(text, score) == printed
