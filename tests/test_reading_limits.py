"""Reading a many-page document within the wall-clock limit, and pictures no page can be.

hostile5 found a 200-page TIFF scan read for 278 s with no limit at all, a 300-page scanned PDF
ending at 197 s under a 180 s limit (the last page begun just before it, and the process's
start-up not counted), a 16-bit multi-page TIFF read as blank (its frames clipped to white), and
a 1 x 100000 px PNG refused with an OpenCV assertion for its reason.  The files here are real
(Pillow, PyMuPDF), the OCR and the clocks run.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time

import numpy as np
import pymupdf
import pytest
from PIL import Image

from parsers import ParseError, limits, parse_bytes
from parsers.formats import image
from parsers.pages import PAGE_BREAK

TITLE = "政府信息公开工作年度报告"


def _page_grey(text: str = TITLE) -> np.ndarray:
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=120)
    page.insert_text((20, 60), text, fontname="china-s", fontsize=18)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def _tiff(frames: list[Image.Image]) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def _grey_of(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def test_a_16_bit_multipage_tiff_keeps_its_grey_levels():
    """Each frame of a 16-bit TIFF decodes as the same page saved alone does: the grey levels
    kept, not clipped to white (Pillow's convert("L") of I;16 saturates everything above 255)."""
    grey = _page_grey()
    wide = Image.fromarray(grey.astype("uint16") * 257)
    assert wide.mode == "I;16"
    count, pages = image.frames(_tiff([wide, wide, wide]))
    pngs = list(pages)
    single = _grey_of(next(image.frames(_tiff([wide]))[1]))
    assert count == 3 and len(pngs) == 3
    for png in pngs:
        got = _grey_of(png)
        assert np.array_equal(got, single)
        assert np.abs(got.astype(int) - grey).max() <= 1  # the 8-bit page the scan was made from


@pytest.mark.timeout(120)
def test_a_16_bit_multipage_tiff_is_read_page_by_page():
    wide = Image.fromarray(_page_grey().astype("uint16") * 257)
    text = image.extract(_tiff([wide, wide]))
    pages = text.split(PAGE_BREAK)
    assert len(pages) == 2 and all(TITLE in p for p in pages)


@pytest.mark.timeout(120)
def test_a_multipage_image_past_the_time_limit_is_a_failure_not_a_partial_text(monkeypatch):
    """The TIFF path has the PDF's wall-clock limit: past it the file is a failure whose reason
    says "timed out" (the extraction cache retries those), never the pages read so far."""
    monkeypatch.setattr(limits, "MAX_PDF_SECONDS", 0.0)
    page = Image.fromarray(_page_grey())
    with pytest.raises(ParseError) as err:
        parse_bytes(_tiff([page] * 3))
    assert "timed out" in err.value.reason and "0 of 3 pages read" in err.value.reason


def test_a_page_that_would_end_past_the_limit_is_not_begun(monkeypatch):
    """Pages of 0.3 s against 1 s: the third would end at ~0.9 s + 0.3 s, so it is not begun."""
    monkeypatch.setattr(limits, "MAX_PDF_SECONDS", 1.0)
    clock = limits.ReadClock("image")
    clock.started = time.monotonic()  # (this test process's start-up is not the document's)
    clock.check(0, 5)
    time.sleep(0.3)
    clock.check(1, 5)
    time.sleep(0.3)
    clock.check(2, 5)
    time.sleep(0.3)
    with pytest.raises(ParseError) as err:
        clock.check(3, 5)
    assert "3 of 5 pages read" in err.value.reason and "timed out" in err.value.reason


def test_a_fresh_process_counts_its_start_up_against_the_limit():
    """The limit is the caller's wait for the file: a process started for one document counts the
    seconds before it began reading (interpreter, imports); a process that has run for longer than
    any start-up (a batch, a test run) does not."""
    code = ("import time; time.sleep(1.5); from parsers import limits; c = limits.ReadClock('PDF');"
            " print(time.monotonic() - c.started)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert 1.5 <= float(out.stdout) < limits._STARTUP_SECONDS  # noqa: SLF001
    code = ("import time; from parsers import limits; limits._STARTUP_SECONDS = 1.0; time.sleep(1.5);"
            " c = limits.ReadClock('PDF'); print(time.monotonic() - c.started)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert float(out.stdout) < 0.5


@pytest.mark.parametrize("size", [(1, 100_000), (100_000, 1), (5, 3000)])
def test_a_picture_too_thin_for_text_gets_a_plain_reason(size):
    buf = io.BytesIO()
    Image.new("L", size, 255).save(buf, format="PNG")
    with pytest.raises(ParseError) as err:
        parse_bytes(buf.getvalue())
    reason = err.value.reason
    assert f"{size[0]}x{size[1]} px" in reason and "too thin" in reason
    assert "OpenCV" not in reason and "\n" not in reason
