"""Images (and scanned PDF pages): offline OCR with rapidocr_onnxruntime.

Ruled tables are read cell by cell (imagegrid): the grid comes from the drawn rules,
each cell is recognised on its own, a blank cell stays an empty string and merged
positions follow the PDF rule (pdf.table_rows).  Text outside the tables goes through
detection + recognition, block by block, and is merged with the tables in reading
order.  A page without ruling lines falls back to loose boxes: boxes whose vertical
centres lie within half a line height of each other form one row, read left to
right and joined by tabs; blank cells have no box there, so such rows come out short.
A box drawn over several cells' numbers (a cramped table on a small page) is cut into
one box per number where the pieces confirm it (numsplit).
Every page is normalised and deskewed first (imagegrid), and a number read with doubt,
in a grid cell or a loose box, is printed as tables.OCR_UNSURE rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from parsers import limits
from parsers.errors import ParseError
from parsers.formats import imagegrid, orient


@lru_cache(maxsize=1)
def _engine():
    import onnxruntime
    from rapidocr_onnxruntime import RapidOCR

    # onnxruntime's build carries Microsoft's telemetry client: an archive's parser sends nothing anywhere
    onnxruntime.disable_telemetry_events()
    threads = ocr_threads()
    if threads:
        import cv2

        cv2.setNumThreads(threads)
    # "max" limit: a page is detected at its own size (never upscaled), so a thin band of
    # text cut out of a page costs its own area, not a page's.
    return RapidOCR(det_limit_type="max", **({"intra_op_num_threads": threads, "inter_op_num_threads": 1}
                                             if threads else {}))


def ocr_threads() -> int:
    """NIANBAO_OCR_THREADS: threads one OCR process may use (0 or unset: one a core).  Several parsing
    processes on one machine should split the cores: idle onnxruntime threads spin, and four OCR threads
    fighting for two cores cost ~60 % more CPU per page for the same text."""
    import os

    try:
        return max(0, int(os.environ.get("NIANBAO_OCR_THREADS", "0") or 0))
    except ValueError:
        return 0


def _to_png(data: bytes) -> bytes:
    """Normalise any supported image (TIFF, BMP, GIF, multi-frame) to PNG bytes for OCR."""
    import pymupdf

    try:
        pix = pymupdf.Pixmap(data)
    except Exception:  # unknown or truncated image data
        raise ParseError("corrupt or unsupported image") from None
    if pix.alpha or pix.n > 3:
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    return pix.tobytes("png")


def rows_from_boxes(boxes: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Group (x0, y0, x1, y1, text) boxes into tab-joined rows, top to bottom."""
    from parsers.formats import ocrslots

    rows = ocrslots.placed(_lift_numbers(rows_of(boxes)), _is_number_box, imagegrid.OCR_UNSURE)
    return ["\t".join(b[4] for b in sorted(row, key=lambda b: b[0])) for row in rows]


def _is_number_box(b: tuple) -> bool:
    return bool(_NUMERIC.match(b[4])) or b[4] == imagegrid.OCR_UNSURE


def _lift_numbers(rows: list[list[tuple]]) -> list[list[tuple]]:
    """A row's numbers set beside the middle of its two-line label (a table cell centred
    vertically) come out as a line of their own between the label's lines; they are put on
    the label's first line, as a text dump prints such a row, so that they cannot be taken
    for the next label's.  Only when the lines above and below are one label wrapped (their
    text overlaps in x, left of the numbers) and the numbers line lies between them."""
    out = [list(r) for r in rows]
    i = 1
    while i < len(out) - 1:
        above, nums, below = out[i - 1], out[i], out[i + 1]
        label_a = [b for b in above if not _is_number_box(b)]
        label_b = [b for b in below if not _is_number_box(b)]
        if (len(nums) >= 2 and all(_is_number_box(b) for b in nums) and label_a and label_b
                and not any(_is_number_box(b) for b in above)):
            a = max(label_a, key=lambda b: b[2])
            b = min(label_b, key=lambda b: b[0])
            left = min(n[0] for n in nums)
            mid = sum((n[1] + n[3]) / 2 for n in nums) / len(nums)
            if (a[0] < b[2] and b[0] < a[2] and max(a[2], b[2]) <= left
                    and (a[1] + a[3]) / 2 < mid < (b[1] + b[3]) / 2):
                out[i - 1] = above + nums
                del out[i]
                continue
        i += 1
    return out


_NUMERIC = re.compile(r"^[0-9０-９,，.．/—\-－]+$")


_ROUND_ZERO = {"。": "0", "o": "0", "O": "0", "〇": "0", "○": "0", "D": "0", "°": "0",
               "l": "1", "I": "1", "|": "1", "i": "1"}


def _cluster_x(xs: list[float], min_size: int) -> list[float]:
    groups: list[list[float]] = []
    for x in sorted(xs):
        if groups and x - groups[-1][-1] <= 15:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups if len(g) >= min_size]


def _column_centres(boxes: list[tuple]) -> list[float]:
    """x centres of number columns: clusters of numeric boxes seen on at least 3 lines."""
    return _cluster_x([(b[0] + b[2]) / 2 for b in boxes if _NUMERIC.match(b[4])], min_size=3)


def _fill_gaps(img, boxes: list[tuple]) -> list[tuple]:
    """Re-read number cells the detector skipped.

    The detector was seen to miss a lone "0" in one column of a scanned table while
    reading every other cell of the row.  Where a row has numbers in most columns but
    none at one column centre, that cell is cropped and run through recognition alone.
    Column centres come from numbers stacked in a column on several lines, or, for a
    lone number row (table 4), from the short header boxes on the lines just above it.
    """
    page_cols = _column_centres(boxes)
    out = list(boxes)
    rows = rows_of(boxes)
    for i, row in enumerate(rows):
        nums = [b for b in row if _NUMERIC.match(b[4])]
        cols = page_cols
        if len(nums) >= 5 and len(nums) == len(row):
            above = [b for r in rows[max(i - 3, 0):i] for b in r if b[2] - b[0] < 60]
            header_cols = _cluster_x([(b[0] + b[2]) / 2 for b in above], min_size=1)
            if len(header_cols) > len(nums):
                cols = header_cols
        if len(cols) < 3 or len(nums) < len(cols) // 2:
            continue
        step = min(b - a for a, b in zip(cols, cols[1:], strict=False))
        y0 = min(b[1] for b in nums)
        y1 = max(b[3] for b in nums)
        for cx in cols:
            if any(abs((b[0] + b[2]) / 2 - cx) < step / 2 for b in row):
                continue
            # a wider box over the centre (a long number, a label) is that box's ink, not a
            # skipped cell: a crop there reads part of it ("19" inside "1903")
            if any(b[0] < cx < b[2] for b in row):
                continue
            # Crop between the neighbouring boxes so a label's last glyph is not read along.
            left = max((b[2] for b in row if b[2] < cx), default=0) + 2
            right = min((b[0] for b in row if b[0] > cx), default=cx + step) - 2
            x0, x1 = int(max(cx - step * 0.45, left, 0)), int(min(cx + step * 0.45, right))
            crop = img[max(int(y0) - 4, 0):int(y1) + 4, x0:x1]
            if crop.size == 0:
                continue
            res, _ = _engine()(crop, use_det=False, use_cls=False, use_rec=True)
            text = (res[0][0] if res else "").strip()
            text = _ROUND_ZERO.get(text, text)  # recognition alone reads a lone 0 as 。, a 1 as l
            if text and _NUMERIC.match(text):
                out.append((cx - 3, y0, cx + 3, y1, imagegrid.cell_text(text, float(res[0][1]))))
    return out


def rows_of(boxes: list[tuple]) -> list[list[tuple]]:
    """Boxes grouped into visual lines (vertical centres within half a line height)."""
    boxes = sorted(boxes, key=lambda b: (b[1] + b[3]) / 2)
    rows: list[list[tuple]] = []
    for b in boxes:
        cy, h = (b[1] + b[3]) / 2, b[3] - b[1]
        if rows:
            last = rows[-1]
            ly = sum((r[1] + r[3]) / 2 for r in last) / len(last)
            lh = sum(r[3] - r[1] for r in last) / len(last)
            if abs(cy - ly) <= 0.5 * min(h, lh):
                last.append(b)
                continue
        rows.append([b])
    return rows


REC_HEIGHT = 48  # the recognition model's input height
_REC_BATCH = 16


def recognise(crops: list) -> list[tuple[str, float]]:
    """(text, confidence) of single-line grey crops, recognition model only.

    The engine's own batching pads every crop to at least 320 px wide; a lone "0"
    cell is ~40 px, so most of that work would be padding.  Here only crops of the same
    width share a batch.  Identical crops (the same glyphs at the same pixel phase,
    common in tables of zeros) are read once.
    """
    import cv2
    import numpy as np

    rec = _engine().text_rec
    inputs: dict[bytes, np.ndarray] = {}
    keys = []
    for c in crops:
        h, w = c.shape[:2]
        width = max(int(np.ceil(REC_HEIGHT * w / h)), REC_HEIGHT)
        img = cv2.resize(c, (width, REC_HEIGHT), interpolation=cv2.INTER_LINEAR if h < REC_HEIGHT
                         else cv2.INTER_AREA)
        key = img.tobytes() + width.to_bytes(4, "little")
        inputs.setdefault(key, img)
        keys.append(key)
    # Batched only with crops of the same width: padding a crop out to a wider neighbour
    # (grey or white alike) was seen to halve the model's confidence in a lone "0".
    by_width: dict[int, list[bytes]] = {}
    for k in inputs:
        by_width.setdefault(inputs[k].shape[1], []).append(k)
    texts: dict[bytes, tuple[str, float]] = {}
    for _width, same in sorted(by_width.items()):
        for i in range(0, len(same), _REC_BATCH):
            batch = same[i:i + _REC_BATCH]
            arr = np.stack([inputs[k] for k in batch]).astype(np.float32) / 127.5 - 1.0
            arr = np.repeat(arr[:, None, :, :], 3, axis=1)  # grey into all three channels
            for k, (text, score) in zip(batch, _decode(rec, rec.session(arr)[0]), strict=True):
                texts[k] = (_ROUND_ZERO.get(text.strip(), text.strip()), score)
    return [texts[k] for k in keys]


_SAME_GLYPH = ("0oO〇○D°。", "1lI|i")  # shapes a digit cell means the same by (see _ROUND_ZERO)


@lru_cache(maxsize=1)
def _glyph_groups() -> dict[int, list[int]]:
    """Model class -> the classes read as the same digit (its own class alone otherwise)."""
    chars = _engine().text_rec.postprocess_op.character
    index = {c: i for i, c in enumerate(chars)}
    groups: dict[int, list[int]] = {}
    for same in _SAME_GLYPH:
        ids = [index[c] for c in same if c in index]
        for i in ids:
            groups[i] = ids
    return groups


def _decode(rec, preds) -> list[tuple[str, float]]:
    """Greedy CTC decoding with a confidence that a single doubtful glyph can sink.

    The engine's score is the mean over characters, so one wrong digit in "126661" barely
    moves it.  Here it is the weakest character's probability, counting shapes that read
    as the same digit together (a clean "0" is split ~80/16 between 0 and o).
    """
    import numpy as np

    chars = rec.postprocess_op.character
    groups = _glyph_groups()
    idx = preds.argmax(axis=2)
    out = []
    for row, p in zip(idx, preds, strict=True):
        keep = np.ones(len(row), dtype=bool)
        keep[1:] = row[1:] != row[:-1]
        keep &= row != 0  # 0 is the CTC blank
        steps = np.flatnonzero(keep)
        text = "".join(chars[row[t]] for t in steps)
        conf = min((float(p[t, groups.get(int(row[t]), [int(row[t])])].sum()) for t in steps), default=0.0)
        out.append((text, conf))
    return out


def _page_boxes(img, offset: tuple[int, int] = (0, 0)) -> list[tuple[float, float, float, float, str]]:
    import cv2

    result, _ = _engine()(img, use_cls=False)
    dx, dy = offset
    read = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        read.append((min(xs), min(ys), max(xs), max(ys), text.strip(), float(score)))
    boxes = []
    for x0, y0, x1, y1, text, score in _split_numbers(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), read):
        if _DIGITISH.match(text):  # a number box (of a table without rules): no guessing either
            text = imagegrid.cell_text(text, score)
        if text:
            boxes.append((x0 + dx, y0 + dy, x1 + dx, y1 + dy, text))
    return boxes


# a box of digits only, however many cells it covers (a whole row read as one "number")
_DIGITS_BOX = re.compile(r"^(?=.*\d)[0-9oOlI.,'`·:;]{1,60}$")
_AS_DIGIT = str.maketrans({k: v for k, v in _ROUND_ZERO.items() if len(k) == 1})


_LABEL_NUMBERS = re.compile(r"^(.*[\u4e00-\u9fff）)、].*?)([0-9][0-9,.]*)$")


def _label_then_numbers(read: list[tuple], box_runs, metrics) -> list[tuple]:
    """A row label boxed together with the numbers beside it ("1.属于国家秘密0000000") cut
    into the label and a number box, at the first gap (as numsplit.cuts measures it) where
    the label, read again alone, is the box's text before its digits."""
    from parsers.formats import numsplit

    out, plans = [], []
    for box in read:
        m = _LABEL_NUMBERS.match(box[4])
        found = box_runs(box) if m else None
        at = numsplit.cuts(found[1], metrics) if found else []
        if not at:
            out.append(box)
            continue
        spans = [numsplit.pieces(found[1], [c])[0] for c in at]  # the label up to each cut
        plans.append((len(out), box, found, at, spans, m.group(1)))
        out.append(box)
    if not plans:
        return read
    labels = iter(recognise([found[0][2][:, a:b] for _, _, found, _, spans, _ in plans for a, b in spans]))
    reads = [[next(labels)[0] for _ in plan[4]] for plan in plans]
    for (k, box, found, at, spans, label), texts in reversed(list(zip(plans, reads, strict=True))):
        for c, (_a, b), text in zip(at, spans, texts, strict=True):
            if text.strip() == label.strip():
                (xa, _ya, _crop), own = found
                x_num = xa + max(own[c].x0 - 2, b)
                out[k] = (box[0], box[1], xa + b, box[3], label.strip(), box[5])
                out.insert(k + 1, (x_num, box[1], box[2], box[3], box[4][len(label):], box[5]))
                break
    return out


def _split_numbers(gray, read: list[tuple]) -> list[tuple]:
    """Number boxes that cover neighbouring cells cut into one box per number (numsplit).

    ``read``: (x0, y0, x1, y1, text, score) as detected and recognised.  A cut stands when
    the pieces, read again one by one, give the box's digits in the same order; a number box
    with a cut the pieces do not confirm is two numbers read as one, printed as doubtful.
    """
    import numpy as np

    from parsers.formats import numsplit
    from parsers.tokens import OCR_UNSURE

    h, w = gray.shape[:2]

    def box_runs(box):
        x0, y0, x1, y1 = box[:4]
        xa, ya, xb, yb = max(int(x0), 0), max(int(y0), 0), min(int(np.ceil(x1)), w), min(int(np.ceil(y1)), h)
        crop = gray[ya:yb, xa:xb]
        if crop.size == 0:
            return None
        ch = crop.shape[0]
        # ink wholly in the top or bottom quarter is the line above's or below's, not this one's
        own = [r for r in numsplit.ink_runs(crop) if r.y1 >= ch / 4 and r.y0 <= ch * 3 / 4]
        return ((xa, ya, crop), own) if own else None

    crops, runs = {}, {}
    for i, box in enumerate(read):
        found = box_runs(box) if _DIGITS_BOX.match(box[4]) else None
        if found:
            crops[i], runs[i] = found
    metrics = numsplit.page_metrics(list(runs.values()))
    read = _label_then_numbers(read, box_runs, metrics)
    crops, runs = {}, {}
    for i, box in enumerate(read):
        found = box_runs(box) if _DIGITS_BOX.match(box[4]) else None
        if found:
            crops[i], runs[i] = found
    plans = {}
    for i, own in runs.items():
        at = numsplit.cuts(own, metrics)
        if at:
            plans[i] = numsplit.pieces(own, at)
    wanted = [crops[i][2][:, a:b] for i in sorted(plans) for a, b in plans[i]]
    reads = iter(recognise(wanted)) if wanted else iter(())
    out = []
    for i, box in enumerate(read):
        if i not in plans:
            out.append(box)
            continue
        xa, ya, crop = crops[i]
        got = [next(reads) for _ in plans[i]]
        joined = "".join(t for t, _ in got).translate(_AS_DIGIT)
        if joined == box[4].translate(_AS_DIGIT) and all(_DIGITISH.match(t) for t, _ in got):
            out += [(xa + a, box[1], xa + b, box[3], t, s) for (a, b), (t, s) in zip(plans[i], got, strict=True)]
        else:
            out.append((*box[:4], OCR_UNSURE, 0.0))
    return out


# what a misread number box looks like (digits, letters taken for digits, stray marks); not
# dates or page numbers ("2025-01-15", "- 3 -"), which keep their dashes
_DIGITISH = re.compile(r"^(?=.*\d)[0-9oOlI.,'`·:;]{1,14}$")


def _text_bands(ink, gap: int = 40, margin: int = 12) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) around blocks of ink separated by blank strips of ``gap`` px."""
    import numpy as np

    rows = np.flatnonzero(ink.sum(axis=1) > 1)
    bands: list[list[int]] = []
    for r in rows:
        if bands and r - bands[-1][1] <= gap:
            bands[-1][1] = r
        else:
            bands.append([r, r])
    h, w = ink.shape
    out = []
    for a, b in bands:
        cols = np.flatnonzero(ink[a:b + 1].sum(axis=0))
        if b - a < 4 and cols.size < 4:  # a speck
            continue
        out.append((max(int(cols[0]) - margin, 0), max(a - margin, 0),
                    min(int(cols[-1]) + margin + 1, w), min(b + margin + 1, h)))
    return out


RED_MIN = 15   # R above max(G, B) where a pixel starts to count as red ink (JPEG chroma noise is below)
RED_FULL = 45  # ... and where it is red ink through and through


SUBPIXEL_BLUE = 0.3  # blue-rimmed pixels per red-rimmed one on a page drawn with sub-pixel anti-aliasing
INK_RUN = 3  # px: red ink is at least this wide along a row; a sub-pixel rim is one or two


def _subpixel_rims(redness, blueness):
    """Red pixels that are rims of black strokes drawn with sub-pixel anti-aliasing.

    A Windows screenshot (ClearType) draws every thin stroke of black text with a red
    rim on one side and a blue one on the other; taken for a seal's red ink, the rims and
    (dilated) the stroke between them were lifted to paper and a "3" read "2".  Red ink
    leaves no blue beside it, so a page is drawn that way when blue rims are about as
    common as red ones; there, red counts as ink only where it runs a few pixels wide.
    """
    import cv2
    import numpy as np

    red = redness > RED_MIN
    if int((blueness > RED_FULL).sum()) < SUBPIXEL_BLUE * int((redness > RED_FULL).sum()):
        return None
    wide = cv2.morphologyEx(red.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, INK_RUN), np.uint8))
    near_ink = cv2.dilate(wide, np.ones((3, 3), np.uint8)) > 0
    return red & ~near_ink


def drop_red_ink(bgr, gray):
    """The grey page with red ink (公章 seals, 红头 titles) taken out, what lies under it kept.

    In grey a seal's red strokes are mid-grey: dark enough to be taken for ink, to hide the
    digits under them and to draw arcs the rule finder may follow.  Ink multiplies: in the
    red channel the seal is nearly paper, while black digits and grey rules under it keep
    their darkness, scaled by the seal ink's own red (k, measured on the page).  So where a
    pixel is red, its grey is taken from the red channel divided by k; a black stroke that
    JPEG's halved colour resolution tints red keeps its low R and stays dark.  A page with no
    red ink comes back untouched (the same array), so grey scans read exactly as before.
    """
    import cv2
    import numpy as np

    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    redness = r - np.maximum(g, b)
    rims = _subpixel_rims(redness, b - np.maximum(g, r))
    if rims is not None:
        redness[rims] = 0
    strong = redness > RED_FULL
    if int(strong.sum()) < 50:  # no red ink worth the name: nothing to do
        return gray
    red = redness > RED_MIN
    # the paper: the brightest non-red grey around (the seal ring is thinner than the
    # window), or the red channel itself where everything around is red
    holes = np.where(red, 0, gray).astype(np.uint8)
    paper = cv2.dilate(cv2.blur(holes, (3, 3)), cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31)))
    paper = np.where(paper == 0, bgr[:, :, 2], paper).astype(np.float32)
    # How much the seal darkens the paper in grey (k), on its clearly red pixels; a little
    # below the median, so that most heavily inked parts go too while pale rules under the
    # seal are not lifted away with them (a lower quantile was seen to erase them).  Dividing by k turns the
    # seal back into paper and what lay under it into its own grey.  Grey rather than the
    # red channel: JPEG keeps colour at half resolution, so a red stroke's rim has lost its
    # red but keeps its (lighter) grey, which the division lifts to paper as well.
    k = float(np.quantile(gray[strong] / np.maximum(paper[strong], 1), 0.4))
    k = min(max(k, 0.2), 1.0)
    top = np.maximum(paper, gray)
    under = np.minimum(gray / k, top)  # the page before the stamp
    w = np.clip((redness - RED_MIN) / (RED_FULL - RED_MIN), 0, 1).astype(np.float32)
    # JPEG keeps colour at half resolution: a red stroke's rim is darker but hardly red
    w = cv2.dilate(w, np.ones((5, 5), np.uint8))
    out = gray * (1 - w) + np.maximum(under, gray) * w
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


MIN_SIDE = 8  # px: a glyph needs more; a thinner picture is a rule or a spacer (OpenCV's resizing fails on it)
SPECKLED_NOISE = 2.0  # grey levels: the noise a speckled page is read as having (cells lose their specks)


def ocr_png(png: bytes) -> str:
    """One picture's text: red ink taken out, normalised, turned upright, and split in two
    when it shows two pages side by side."""
    import cv2
    import numpy as np

    buf = np.frombuffer(png, dtype=np.uint8)
    gray = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ParseError("corrupt or unsupported image")
    if min(gray.shape) < MIN_SIDE:
        raise ParseError(f"picture of {gray.shape[1]}x{gray.shape[0]} px: too thin to hold a line of text")
    colour = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    if colour is not None and colour.shape[:2] == gray.shape:
        gray = drop_red_ink(colour, gray)
    gray, noise = imagegrid.normalise(gray)
    gray, speckled = imagegrid.despeckle(gray)
    if speckled:  # the specks left by glyphs go cell by cell, as on a noisy scan
        noise = max(noise, SPECKLED_NOISE)
    gray = orient.upright(gray, _engine())
    pages = orient.two_up(gray)
    if len(pages) > 1:  # two pages photographed side by side: each read as a page of its own
        from parsers.pages import PAGE_BREAK

        return f"\n{PAGE_BREAK}\n".join(read_page(p, noise, speckled) for p in pages)
    return read_page(gray, noise, speckled)


def read_page(gray, noise: float, speckled: bool = False) -> str:
    """One upright, normalised page: deskewed, its ruled tables read cell by cell, the rest
    by detection and recognition, in reading order."""
    import cv2

    from parsers.formats.pdf import table_rows

    gray = imagegrid.deskew(gray)
    tables, rest = imagegrid.read_tables(gray, recognise, noise, speckled)
    if not tables:
        img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
        return "\n".join(rows_from_boxes(_fill_gaps(img, _page_boxes(img))))
    # Text outside the tables: det + rec on each block of the remaining ink, tables painted white.
    page = gray.copy()
    items: list[tuple[float, float, list[str]]] = []
    for t in tables:
        x0, y0, x1, y1 = t.bbox
        page[max(y0 - 4, 0):y1 + 5, max(x0 - 4, 0):x1 + 5] = 255
        rest[max(y0 - 4, 0):y1 + 5, max(x0 - 4, 0):x1 + 5] = 0
        items.append((y0, x0, table_rows(t.rows)))
    boxes = []
    for x0, y0, x1, y1 in _text_bands(rest):
        boxes += _page_boxes(cv2.cvtColor(page[y0:y1, x0:x1], cv2.COLOR_GRAY2BGR), (x0, y0))
    for row in rows_of(boxes):
        row = sorted(row, key=lambda b: b[0])
        items.append((min(b[1] for b in row), row[0][0], ["\t".join(b[4] for b in row)]))
    items.sort(key=lambda it: (it[0], it[1]))
    return "\n".join(ln for _, _, lines in items for ln in lines)


def frames(data: bytes) -> tuple[int, Iterator[bytes]]:
    """(pages, each page of the image as PNG): every frame of a multi-page TIFF (a fax, an archive
    scan), up to the OCR page limit, decoded as it is read; a single image as itself."""
    import io

    from PIL import Image

    try:
        img = Image.open(io.BytesIO(data))
        # TIFF only: the frames of an animated GIF or WebP are not pages
        count = int(getattr(img, "n_frames", 1)) if img.format == "TIFF" else 1
    except Exception:  # not for PIL: pymupdf may still read it
        count = 1
    if count <= 1:
        return 1, iter([_to_png(data)])
    return count, (_frame_png(img, i) for i in range(min(count, limits.MAX_OCR_PAGES)))


def _frame_png(img, i: int) -> bytes:
    """Frame i as PNG, decoded as a single-page image is (`_to_png`): saved alone as a TIFF first, so
    a 16-bit frame keeps its grey levels (Pillow's own conversion to 8 bits clips them to white)."""
    import io

    img.seek(i)
    buf = io.BytesIO()
    try:
        img.save(buf, format="TIFF")
        return _to_png(buf.getvalue())
    except (OSError, ValueError, ParseError):  # a mode TIFF cannot hold alone, or MuPDF cannot read
        buf = io.BytesIO()
        img.convert("L" if img.mode in ("1", "L") else "RGB").save(buf, format="PNG")
        return buf.getvalue()


def extract(data: bytes) -> str:
    from parsers.pages import PAGE_BREAK

    clock = limits.ReadClock("image")
    count, pages = frames(data)
    texts = []
    for i, png in enumerate(pages):
        clock.check(i, count)
        texts.append(ocr_png(png))
    text = f"\n{PAGE_BREAK}\n".join(texts)
    if not text.replace(PAGE_BREAK, "").strip():
        raise ParseError("image contains no readable text")
    if count > limits.MAX_OCR_PAGES:
        text += "\n" + limits.skip_note(f"image has {count} pages: OCR read the first {limits.MAX_OCR_PAGES}")
    return text
