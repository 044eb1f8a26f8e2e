"""PDF: text layer through PyMuPDF; ruled tables read off the drawn lines (pdfgrid).

PyMuPDF's find_tables (~30-40 ms a page against <1 ms for plain text) is only the
fallback for pages with rules that pdfgrid could not turn into a table.  A PDF with no
text layer (a scan) is rendered and OCR'd instead.

Pages whose text objects do not follow reading order (one per glyph or per cell, in any
order), rotated pages and tables without vertical rules are read from glyph positions
(pdfglyphs).  A page whose text layer is glyph codes (fonts without ToUnicode) and a
large picture with no text on it (a table pasted as a screenshot) are OCR'd.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pymupdf

import parsers.limits as limits
from parsers import truncation
from parsers.errors import ParseError
from parsers.formats import (
    clean_cell,
    clean_line,
    pdfappgrid,
    pdfcolumns,
    pdfcut,
    pdfedges,
    pdfframe,
    pdfglyphs,
    pdfgrid,
    pdfgutter,
    pdft4grid,
    pdftorn,
    pdftwoup,
    pdfvisible,
)
from parsers.pages import PAGE_BREAK  # a line of its own between two pages' lines: cells get their page by it

OCR_DPI = 150
# As page.get_text("words") (unknown-unicode glyphs kept by CID), plus vector paths as
# blocks: their boxes come with the text pass, where get_cdrawings re-reads the page.
_VECTORS = getattr(pymupdf, "TEXT_COLLECT_VECTORS", 0)  # PyMuPDF >= 1.24 (MuPDF 1.24)
_FLAGS = pymupdf.TEXTFLAGS_WORDS | _VECTORS
_VECTOR = 3  # extractBLOCKS type of a vector-path block
_MIN_TEXT = 40  # text-layer length (words and separators) at or below which a PDF is a scan
_MIN_RULES = 6  # vector paths on a page before it is worth looking for a table
# (each opens with its line break: a pattern opening with a look-behind is tried at every position,
# one opening with a literal is found by a fast scan)
_CJK_BREAK = re.compile(r"\n(?<=[\u3000-\u9fff\uff00-\uffef]\n)(?=[\u3000-\u9fff\uff00-\uffef\d])")
# a number that ended a wrapped line of Chinese text, its unit on the next (收到申请72 / 件); only
# before a unit: a label opening the next line (a row of a text table) keeps its space
_NUMBER_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])(\d+)\n(?=[件个项次条篇期场人家份户年月日万亿元%％])")
_UNIT_BREAK = re.compile(r"\n(?<=\d\n)(?=[件个项次条篇期场人家份户年月日万亿元%％])")  # where one may stand
# a block's short line opening with a section number (一、总体情况 under the title, in one MuPDF block)
# is a heading: a line of its own, joined neither to the title nor to the paragraph under it
# (only a short line: a paragraph wrapped before 二、 of an inline list runs on to the block's width)
# (and one naming a part of the report: table 3's 一、本年新收…数量 label stays with its numbers)
_HEADING_LINE = re.compile(r"(?:^|\n)([一二三四五六七八九十]{1,2}、(?=[^\n]{0,12}(?:总体情况|概述|主动公开政府信息|收到和处理|"
                           r"行政复议|存在的主要问题|其他需要报告))[^\n]{1,30})(?:\n|$)")

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
if hasattr(pymupdf, "no_recommend_layout"):
    pymupdf.no_recommend_layout()  # else find_tables prints an advert on stdout, into `--json` output


def open_pdf(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # pymupdf raises its own FileDataError / RuntimeError variants
        raise ParseError(f"corrupt or truncated PDF ({_short(e)})") from None
    if doc.needs_pass:
        raise ParseError("encrypted PDF: a password is required to open it")
    if doc.page_count == 0:
        raise ParseError("truncated or corrupt PDF: no readable pages")
    return doc


def _pages(numbers: list[int]) -> str:
    return f"page{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}" if numbers else "no page"


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:120] if str(e) else type(e).__name__


Item = tuple[float, float, list[str]]  # (y, x, lines): a paragraph or a table where it stands


@dataclass
class Layout:
    """A page's items and the order they are read in, before pictures are added.

    The pictures of a page are OCR'd only once the whole PDF is known not to be a scan
    (extract): their text is then merged into the layout already made, not the page laid
    out again.
    """

    items: list[Item]
    order: Callable[[Item], tuple]
    height: float = 0.0  # of the page as displayed (where its header and footer stand)
    tables: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)  # id(item) -> box
    across: tuple[float, float] = (-math.inf, math.inf)  # the x range it covers (half a 2-up sheet)

    def lines(self, extra: list[Item] = ()) -> list[str]:
        items = self.items + list(extra)
        items.sort(key=self.order)
        return [ln for _, _, lines in items for ln in lines]


def _by_position(it: Item) -> tuple:
    return (round(it[0], 1), it[1])


def page_lines(page: pymupdf.Page, textpage: pymupdf.TextPage | None = None,
               words: list[tuple] | None = None, extra: list[Item] = ()) -> list[str]:
    """Text blocks and table rows of one page, top to bottom."""
    tp = textpage or page.get_textpage(flags=_FLAGS)
    return page_layout(page, tp, tp.extractWORDS() if words is None else words).lines(extra)


def page_layout(page: pymupdf.Page, tp: pymupdf.TextPage, words: list[tuple], rotation: int | None = None,
                rect: pymupdf.Rect | None = None, carry: pdfappgrid.Columns | None = None) -> Layout:
    """The text blocks and table rows of one page, placed.

    One TextPage (made with _FLAGS, so it also records vector paths) serves words,
    paragraph blocks, the table rules and, only when a word straddles a column rule,
    character boxes: building it is most of the cost of reading a page.  ``rotation`` and
    ``rect`` are the page's, when the caller has them already: each read of them asks MuPDF
    again (~15 µs a read).
    """
    rotation = page.rotation if rotation is None else rotation
    rect = page.rect if rect is None else rect
    blocks = tp.extractBLOCKS()
    if pdfvisible.hide_unseen(page, tp, blocks):  # text painted out of a reader's sight is not read
        words, blocks = tp.extractWORDS(), tp.extractBLOCKS()
    cut = [] if rotation else pdfcut.cut_boxes(page, words, rect)
    if cut and pdfcut.mark_cut(tp, cut, rect):  # a number running on past the page's edge
        words, blocks = tp.extractWORDS(), tp.extractBLOCKS()
    words, blocks = _without_slanted(tp, words, blocks)
    vectors = [b[:4] for b in blocks if b[6] == _VECTOR]
    turn, rawdict = (None, None) if rotation else _turned_text(page, tp, words)
    if rotation or turn is not None or pdfglyphs.fragmented(words) or _loose_numbers(words, vectors):
        return _glyph_layout(page, tp, vectors, turn, rotation, rawdict)
    if len(vectors) > limits.MAX_PAGE_VECTORS:  # map or chart art, not a ruled table: text only
        segs, vectors = [], []
    else:
        segs = pdfgrid.bar_segments(vectors) if _VECTORS else None
    if segs is None:  # some path is not a straight rule: read the paths themselves
        segs = pdfgrid.segments(page.get_cdrawings())
    items: list[Item] = []
    boxes: list[tuple[float, float, float, float]] = []
    found = pdfgrid.tables(segs, words, _char_boxes(tp)) if segs else []
    if not found and segs:  # a table framed only outside: its columns from where its numbers stand
        found = pdfframe.tables(segs, words)
    for t in found:
        boxes.append(t.bbox)
        rows = table_rows(t.rows, t.xs, carry)
        if not rotation and pdfcut.runs_past(t.bbox, rect):  # its columns past the page's edge are lost
            rows = pdfcut.mark_past_edge(rows)
        else:  # a table 4 in another shape on its grid positions: its header proves the columns
            rows = pdft4grid.positional(t.rows) or rows
        items.append((t.bbox[1], t.bbox[0], rows))
    if not found and _MIN_RULES <= len(vectors) <= limits.MAX_SLOW_TABLE_VECTORS:
        try:
            slow = list(page.find_tables(paths=_visible_paths(page)))
        except Exception:  # table finder failures must not lose the page text
            slow = []
        for t in slow:
            boxes.append(tuple(t.bbox))
            items.append((t.bbox[1], t.bbox[0], table_rows(t.extract())))
    placed: dict[int, tuple[float, float, float, float]] = {}  # a text block's box, by its item's id
    indexed = None  # built for the first block that straddles a table's edge
    spans = list(boxes)  # what each item covers, for tables printed side by side
    for x0, y0, x1, y1, text, _no, kind in blocks:
        if kind != 0:
            continue
        # (_overlaps, then containment, as plain loops: a table page has dozens of blocks; heights
        # first, as a page's tables stand one above another)
        for b in boxes:
            if y0 < b[3] and b[1] < y1 and x0 < b[2] and b[0] < x1:
                break
        else:
            b = None
        if b is not None:
            for b in boxes:
                if b[1] <= y0 and y1 <= b[3] and b[0] <= x0 and x1 <= b[2]:
                    break  # (a block inside a table has all its words in it: no line of it is outside)
            else:
                indexed = indexed or _WordsByHeight(words)
                items.extend(_outside_lines((x0, y0, x1, y1), indexed, boxes))
            continue
        if "\n" not in text:
            line = clean_line(text)
            lines = [line] if line else []
        else:
            lines = [ln for ln in (clean_line(_unwrap(p)) for p in _HEADING_LINE.split(text)) if ln]
        if lines:
            items.append((y0, x0, lines))
            spans.append((x0, y0, x1, y1))
            placed[id(items[-1])] = (x0, y0, x1, y1)
    tables = {id(it): b for it, b in zip(items, boxes, strict=False)}
    order = pdfcolumns.side_by_side_order(boxes, spans) or pdfgutter.two_column_order(
        items, placed | tables, rect.height)
    return Layout(items, order or _by_position, rect.height, tables)


def _two_up(page: pymupdf.Page, tp: pymupdf.TextPage, words: list[tuple], layout: Layout,
            rotation: int, rect: pymupdf.Rect) -> list[Layout]:
    """A 2-up sheet's layout as its two pages', left then right (pdftwoup); any other as itself."""
    width, height = rect.width, rect.height
    if rotation or width <= height:
        return [layout]

    def things() -> list[tuple[float, float, float, float]]:
        return [b[:4] for b in tp.extractBLOCKS() if b[6] != 0] + [i["bbox"] for i in page.get_image_info()]

    at = pdftwoup.split(words, things, width, height)
    if at is None:
        return [layout]
    halves = []
    for lo, hi in ((-math.inf, at), (at, math.inf)):
        items = [it for it in layout.items if lo <= it[1] < hi]
        tables = {k: b for k, b in layout.tables.items() if any(id(it) == k for it in items)}
        halves.append(Layout(items, layout.order, layout.height, tables, (lo, hi)))
    return halves


def _unwrap(text: str) -> str:
    """A paragraph's wrapped lines joined as the writer typed them: Chinese text runs on without
    a space, also after a number that ended a line (72 / 件 -> 72件: a space between a count and
    its unit hid it from the narrative's checks)."""
    if "\n" not in text:
        return text
    text = _CJK_BREAK.sub("", text)
    # (the look-behind of _NUMBER_BREAK is tried at every position: only where a digit ends a line
    # before a unit, which most paragraphs never print)
    return _NUMBER_BREAK.sub(r"\1", text) if _UNIT_BREAK.search(text) else text


def _visible_paths(page: pymupdf.Page) -> list[dict] | None:
    """The page's drawings without white fills (pdfgrid.segments drops them too), or None
    for all of them: a browser's page-size white background is not a table's frame."""
    paths = page.get_drawings()
    kept = [p for p in paths if not pdfgrid.paper_fill(p)]
    return kept if len(kept) < len(paths) else None


# Table cells repeat ("0", "", the same labels on every page): each distinct text is cleaned once.
_clean_cell = functools.lru_cache(maxsize=4096)(clean_cell)
_PICTURE_SHARE = 0.15  # of the page area: a picture this large with no text on it is read by OCR
_BAND_WIDTH, _BAND_SHARE = 0.6, 0.05  # of the page width and area: a wide, short picture (table 4's shape)


def _wide_band(width: float, height: float, page: pymupdf.Page) -> bool:
    """Table 4 pasted as a picture is as wide as the text and only a few rows high: below
    _PICTURE_SHARE, yet no seal or logo is that wide."""
    return width >= _BAND_WIDTH * page.rect.width and width * height >= _BAND_SHARE * page.rect.width * page.rect.height


_SLANT_TALL = 2.2  # x the page's usual word height: a word this tall and wide may be written at an angle


def _without_slanted(tp: pymupdf.TextPage, words: list[tuple], blocks: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Words and text blocks without text written at an angle (a diagonal watermark).

    仅供参考 or the body's name tiled or drawn large across the page is not report text: its
    glyphs fell into table cells (``仅供参 21``) and its name stood in for the title's agency.
    A slanted word's box is tall and wide at once, which is the cheap test; the lines'
    writing directions decide.
    """
    if not words:
        return words, blocks
    heights = [w[3] - w[1] for w in words]
    tall = _SLANT_TALL * sorted(heights)[len(heights) // 2]  # (the usual height: the median word's)
    # (no word that tall: the usual page, told without looking at widths)
    if max(heights) <= tall or not any(h > tall and w[2] - w[0] > tall for h, w in zip(heights, words, strict=True)):
        return words, blocks
    bad: set[tuple[int, int]] = set()  # (text block's ordinal, line): words count text blocks only
    numbers: dict[int, int] = {}  # ordinal -> the block's number in extractBLOCKS
    text_blocks = (b for b in tp.extractDICT()["blocks"] if b["type"] == 0)
    for k, b in enumerate(text_blocks):
        numbers[k] = b["number"]
        bad.update((k, i) for i, line in enumerate(b["lines"]) if pdfgrid.oblique(*line["dir"]))
    if not bad:
        return words, blocks
    kept = [w for w in words if (w[5], w[6]) not in bad]
    touched = {k for k, _ in bad}
    out = [b for b in blocks if b[5] not in {numbers[k] for k in touched}]
    for k in sorted(touched):
        mine = [w for w in kept if w[5] == k]
        if not mine:
            continue
        lines: dict[int, list[str]] = {}
        for w in mine:
            lines.setdefault(w[6], []).append(w[4])
        text = "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))
        out.append((min(w[0] for w in mine), min(w[1] for w in mine), max(w[2] for w in mine),
                    max(w[3] for w in mine), text, numbers[k], 0))
    return kept, out


def _picture_items(page: pymupdf.Page, words: list[tuple],
                   across: tuple[float, float] = (-math.inf, math.inf)) -> list[Item]:
    """OCR'd text of large pictures that carry no text layer, placed where they stand.

    A table pasted into the document as a screenshot sits between text paragraphs; its
    numbers exist only as pixels.  A seal or a logo over text is small or covered by
    words, and a scanned page with an OCR layer has its words on it: neither is read.
    """
    area = page.rect.width * page.rect.height
    out = []
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        if not across[0] <= x0 < across[1]:
            continue  # (on the other half of a 2-up sheet: read with that page)
        if (x1 - x0) * (y1 - y0) < _PICTURE_SHARE * area and not _wide_band(x1 - x0, y1 - y0, page):
            continue
        if any(x0 <= (w[0] + w[2]) / 2 <= x1 and y0 <= (w[1] + w[3]) / 2 <= y1 for w in words):
            continue
        try:
            from parsers.formats.image import ocr_png
        except ImportError:  # pragma: no cover - OCR is a declared dependency
            continue  # the picture's cells stay unread (null), never guessed
        pix = page.get_pixmap(dpi=_ocr_dpi(page), clip=(x0, y0, x1, y1), colorspace=pymupdf.csRGB)
        try:
            text = ocr_png(pix.tobytes("png"))
        except ParseError:
            continue
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if lines:
            out.append((y0, x0, lines))
    return out


def _loose_numbers(words: list[tuple], vectors: list[tuple[float, float, float, float]]) -> bool:
    """Numbers that stand alone on their lines with no vertical rules to put them in cells.

    A table drawn without rules (or with horizontal rules only) whose cells are separate
    text objects: MuPDF gives each cell its own line, so rows must be rebuilt from positions.
    """
    if any(b[3] - b[1] > 2 * pdfgrid.TOL for b in vectors):
        return False  # vertical rules: the ruled-table reader places the cells
    lines: dict[tuple[int, int], list[str]] = {}
    for w in words:
        lines.setdefault((w[5], w[6]), []).append(w[4])
    alone = sum(1 for ws in lines.values() if len(ws) == 1 and pdfglyphs.is_value(ws[0]))
    return alone >= 8


_TURNED_SHARE = 0.8  # of a page's text running up or down: a table printed on its side


def _turned_text(page: pymupdf.Page, tp: pymupdf.TextPage,
                 words: list[tuple]) -> tuple[pymupdf.Matrix | None, dict | None]:
    """The turn that sets upright a page whose text runs up or down, or None; and the
    page's rawdict when it had to be read (the glyph reader needs it next).

    A table too wide for a portrait page is drawn turned by 90° inside it (the content
    stream rotates, the page has no /Rotate): read as it lies, its columns come out as
    rows.  Tall narrow words are the cheap sign; the lines' writing directions decide.
    """
    multi = [w for w in words if len(w[4]) > 1]
    tall = sum(len(w[4]) for w in multi if w[3] - w[1] > 1.5 * (w[2] - w[0]))
    if not multi or tall < _TURNED_SHARE * sum(len(w[4]) for w in multi):
        return None, None
    up = down = total = 0
    rawdict = tp.extractRAWDICT()
    for block in rawdict["blocks"]:
        for line in block.get("lines", ()):
            n = sum(len(span["chars"]) for span in line["spans"])
            total += n
            dx, dy = line["dir"]
            if abs(dx) < 0.1:
                up += n if dy < -0.9 else 0
                down += n if dy > 0.9 else 0
    w, h = page.rect.width, page.rect.height
    if up >= _TURNED_SHARE * total:
        return pymupdf.Matrix(0, 1, -1, 0, h, 0), rawdict  # as /Rotate 90 shows it
    if down >= _TURNED_SHARE * total:
        return pymupdf.Matrix(0, -1, 1, 0, 0, w), rawdict  # as /Rotate 270 shows it
    return None, rawdict


def _glyph_layout(page: pymupdf.Page, tp: pymupdf.TextPage, vectors: list[tuple[float, float, float, float]],
                  turn: pymupdf.Matrix | None, rotation: int, rawdict: dict | None) -> Layout:
    """page_layout from glyph positions in display orientation (see pdfglyphs); ``turn``
    sets upright the text of an unrotated page that runs up or down (_turned_text), whose
    ``rawdict`` is then already read."""
    matrix = turn if turn is not None else page.rotation_matrix if rotation else None
    if rawdict is None:
        rawdict = tp.extractRAWDICT()
    glyphs = pdfglyphs.page_glyphs(rawdict, matrix)
    if matrix is not None and 2 * sum(g.horizontal for g in glyphs) < len(glyphs):
        # text laid out along the unrotated page (a rotation set by mistake): read it that way
        unrotated = pdfglyphs.page_glyphs(rawdict)
        if sum(g.horizontal for g in unrotated) > sum(g.horizontal for g in glyphs):
            matrix, glyphs = None, unrotated
    lines = pdfglyphs.build_lines(glyphs)
    words = pdfglyphs.word_tuples(lines)
    if matrix is not None:
        vectors = pdfglyphs.transform_boxes(vectors, matrix)
    segs = None
    if len(vectors) <= limits.MAX_PAGE_VECTORS:
        segs = pdfgrid.bar_segments(vectors) if _VECTORS else None
        if segs is None:
            segs = pdfgrid.segments(page.get_cdrawings())
            if matrix is not None:
                segs = [_rotate_seg(s, matrix) for s in segs]
    found = pdfgrid.tables(segs, words, pdfglyphs.char_source(glyphs)) if segs else []
    boxes = [t.bbox for t in found]
    items: list[Item] = [(t.bbox[1], t.bbox[0], pdft4grid.positional(t.rows) or table_rows(t.rows)) for t in found]
    rest: list[pdfglyphs.Line] = []
    for ln in lines:
        kept = [w for w in ln.words if not _inside_any((w.x0, w.y0, w.x1, w.y1), boxes)]
        if len(kept) == len(ln.words):
            rest.append(ln)
        elif kept:
            part = pdfglyphs.Line(ln.base, ln.size, kept,
                                  [c for c in ln.cells if not _inside_any((c.x0, c.y0, c.x1, c.y1), boxes)])
            if part.cells:
                rest.append(part)
    for y, x, text in pdfglyphs.text_items(rest):
        line = clean_line(_unwrap(text)) if "\t" not in text else text
        if line:
            items.append((y, x, [line]))
    if matrix is None:
        height = page.rect.width if page.rotation % 180 else page.rect.height  # unrotated coordinates
    else:
        height = page.rect.width if turn is not None else page.rect.height
    return Layout(items, _by_position, height)


def _rotate_seg(s: pdfgrid.Seg, m) -> pdfgrid.Seg:
    if s.horizontal:
        box = (s.a, s.pos, s.b, s.pos)
    else:
        box = (s.pos, s.a, s.pos, s.b)
    x0, y0, x1, y1 = pdfglyphs.transform_boxes([box], m)[0]
    if y1 - y0 < x1 - x0:
        return pdfgrid.Seg(True, (y0 + y1) / 2, x0, x1)
    return pdfgrid.Seg(False, (x0 + x1) / 2, y0, y1)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside_any(w: tuple, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


class _WordsByHeight(list):
    """The page's words with their centres, sorted by height: a block's words are found by
    bisection instead of a scan of the page per block (a table page has dozens of blocks)."""

    def __init__(self, words: list[tuple]) -> None:
        centred = sorted((((w[1] + w[3]) / 2, (w[0] + w[2]) / 2, i), w) for i, w in enumerate(words))
        super().__init__(w for _, w in centred)
        self.keys = [k for k, _ in centred]


def _words_in(block: tuple[float, float, float, float], words: list[tuple]) -> list[tuple]:
    """Words whose centre lies inside ``block`` (edges included)."""
    if not isinstance(words, _WordsByHeight):
        words = _WordsByHeight(words)
    lo = bisect.bisect_left(words.keys, (block[1], float("-inf"), -1))
    hi = bisect.bisect_right(words.keys, (block[3], float("inf"), len(words)))
    return [w for (_, cx, _), w in zip(words.keys[lo:hi], words[lo:hi], strict=True) if block[0] <= cx <= block[2]]


def _outside_lines(block: tuple[float, float, float, float], words: list[tuple],
                   boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, list[str]]]:
    """The lines of a text block that lie outside every table, as paragraph items.

    MuPDF often puts a table's cell text and the paragraph just above or below the
    table (a section heading, the text after it) into one block, so a block is not all
    table or all text: its lines are sorted out one by one, and each run of lines that
    no table line interrupts stays one paragraph.
    """
    lines: dict[tuple[int, int], list[tuple]] = {}
    for w in _words_in(block, words):
        lines.setdefault((w[5], w[6]), []).append(w)
    items: list[tuple[float, float, list[str]]] = []
    run: list[list[tuple]] = []

    def flush() -> None:
        if run:
            text = "\n".join(" ".join(w[4] for w in ws) for ws in run)
            line = clean_line(_unwrap(text))
            if line:
                items.append((min(w[1] for w in run[0]), min(w[0] for w in run[0]), [line]))
            run.clear()

    for key in sorted(lines):
        ws = sorted(lines[key], key=lambda w: w[7])
        if all(_inside_any(w, boxes) for w in ws):
            flush()
        else:
            run.append([w for w in ws if not _inside_any(w, boxes)])
    flush()
    return items


def _char_boxes(tp: pymupdf.TextPage) -> pdfgrid.CharSource:
    """Character boxes under some words, from the page's TextPage."""
    def get(words: list[tuple]) -> list[pdfgrid.Char]:
        clip = (min(w[0] for w in words), min(w[1] for w in words),
                max(w[2] for w in words), max(w[3] for w in words))
        return pdfgrid.page_chars(_rawdict_in(tp, clip))

    return get


def _rawdict_in(tp: pymupdf.TextPage, clip: tuple[float, float, float, float]) -> dict:
    """extractRAWDICT limited to ``clip``.

    A full-page rawdict costs as much again as the TextPage (a Python dict per
    character).  MuPDF's dict builder skips everything outside the TextPage's mediabox,
    so the box is narrowed for the call and restored; if pymupdf's internals ever move,
    the whole page is read instead.
    """
    try:
        box = tp.this.m_internal.mediabox
        saved = (box.x0, box.y0, box.x1, box.y1)
    except AttributeError:
        return tp.extractRAWDICT()
    try:
        box.x0, box.y0, box.x1, box.y1 = clip
        return tp.extractRAWDICT()
    finally:
        box.x0, box.y0, box.x1, box.y1 = saved


def table_rows(raw: list[list[str | None]], xs: tuple[float, ...] = (),
               carry: pdfappgrid.Columns | None = None) -> list[str]:
    """Tab lines of one found table, without sliver columns.

    Column edges that do not line up from row to row (a table LibreOffice or Word drew
    in pieces) make the finder invent thin columns that are empty or merge-covered in
    every row; they are not cells of the report's table and are dropped.  Table 3 with
    blank cells is written on its applicant columns (pdfappgrid; ``xs`` its rules, ``carry``
    the last header's columns, for its continuation on the next page).
    """
    on_grid = pdfappgrid.positional(raw, xs, carry)
    if on_grid is not None:
        return on_grid
    table = [_drop_covered(row) for row in raw]
    width = max((len(r) for r in table), default=0)
    if all(len(r) == width for r in table):  # (the usual full grid: read column by column)
        used = [c for c, column in enumerate(zip(*table, strict=True)) if any(column)]
    else:
        used = [c for c in range(width) if any(c < len(r) and r[c] for r in table)]
    lines = []
    for row, printed in zip(table, raw, strict=True):
        if len(printed) > 1 and printed[0] and all(c is None for c in printed[1:]):
            lines.append(row[0])  # one cell merged across the row (无 over table 4): the row, not its first cell
            continue
        # (a full row of a table that lost no column is its cells as they are)
        cells = row if len(row) == width == len(used) else [row[c] if c < len(row) else "" for c in used]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _drop_covered(row: list[str | None]) -> list[str]:
    """Row cells with merge-covered positions (None) removed after the first real cell.

    Leading covered positions (under a rowspan label) stay as empty strings so label
    columns keep their place; later ones are dropped, because when one table is drawn
    as two with different column edges the finder's union grid leaves such gaps at
    different places in different rows.  A real blank cell ("") is always kept.
    """
    if None not in row:  # (a row of real cells, the usual one)
        return [_clean_cell(c) for c in row]
    out: list[str] = []
    seen = False
    for c in row:
        if c is None:
            if not seen:
                out.append("")
            continue
        seen = True
        out.append(_clean_cell(c))
    return out


def extract(data: bytes) -> str:
    doc = open_pdf(data)
    try:
        out: list[str] = []
        chars = ocred = unreadable = 0
        # (where its lines start in out, page number, its words, its layout, how many lines it gave)
        pictured: list[tuple[int, int, list[tuple], Layout, int]] = []
        clock = limits.ReadClock("PDF")
        read: list[str | tuple[pymupdf.Page, list[tuple], Layout, int]] = []  # per page: OCR text or its layout
        carry = pdfappgrid.Columns()  # table 3's columns, for its part on the next page
        torn = pdftorn.truncated(data, doc)  # cut short: only pages whose every object survived are read
        cut = pdftorn.cut_object(data) if torn else None
        damaged: list[int] = []
        for page in doc.pages(0, min(doc.page_count, limits.MAX_PDF_PAGES)):
            clock.check(page.number, doc.page_count)
            if torn and pdftorn.lost(doc, page, cut):
                damaged.append(page.number + 1)
                read.append("")
                continue
            limits.check_pdf_page(doc, page)  # a content stream inflating to gigabytes
            if page.first_annot is not None:
                _drop_annotations(page)
            tp = page.get_textpage(flags=_FLAGS)
            words = tp.extractWORDS()
            text = "".join([w[4] for w in words])
            chars += len(text) + len(words)  # + separators, as len(get_text())
            if garbled(text) and cut is not None:  # (a map lost to the cut, whatever pdftorn found: not OCR'd)
                damaged.append(page.number + 1)
                read.append("")
                continue
            if garbled(text):
                ocred += 1
                unreadable += 1
                if ocred <= limits.MAX_OCR_PAGES:
                    read.append(_ocr_page(page))
                elif ocred == limits.MAX_OCR_PAGES + 1:
                    read.append(limits.skip_note(f"more than {limits.MAX_OCR_PAGES} pages with an unreadable"
                                                 " text layer: OCR read the first ones only"))
                else:
                    read.append("")
                continue
            rotation, rect = page.rotation, page.rect  # (each read asks MuPDF again: once a page)
            layout = page_layout(page, tp, words, rotation, rect, carry)
            read.extend((page, words, half, rotation) for half in _two_up(page, tp, words, layout, rotation, rect))
        _drop_edges(read)
        pdfcolumns.carry_continuations([None if isinstance(got, str) else (got[2].items, got[2].order, got[2].tables)
                                        for got in read])
        for k, got in enumerate(read):
            if k and not (isinstance(got, tuple) and isinstance(read[k - 1], tuple) and got[0] is read[k - 1][0]):
                out.append(PAGE_BREAK)  # (none between the halves of a 2-up sheet: a cell's page is the PDF's)
            if isinstance(got, str):
                if got:
                    out.append(got)
                continue
            page, words, layout, rotation = got
            lines = layout.lines()
            if not rotation and page.get_images():
                pictured.append((len(out), page.number, words, layout, len(lines)))
            out.extend(lines)
        if torn and (len(damaged) >= min(doc.page_count, limits.MAX_PDF_PAGES) or damaged and chars <= _MIN_TEXT):
            raise ParseError(f"truncated PDF: the file ends before its %%EOF and {_pages(damaged)} lost objects to the"
                             f" cut ({doc.page_count} pages): nothing can be read whole")
        if chars <= _MIN_TEXT:
            return ocr_pdf(doc, clock)
        # Pictures are read only now that the PDF is known not to be a scan (ocr_pdf reads those whole).
        for at, number, words, layout, before in reversed(pictured):
            if ocred >= limits.MAX_OCR_PAGES:
                break
            clock.check(number, doc.page_count)  # (each picture's OCR is a page's worth)
            pictures = _picture_items(doc[number], words, layout.across)
            if pictures:
                ocred += 1
                out[at:at + before] = layout.lines(pictures)
        title = _info_title(doc) if unreadable else None
        if title:
            out.insert(0, title)
        if ocred and not any(line.strip() for line in out):
            raise ParseError("PDF text layer is unreadable glyph codes (fonts without a Unicode map)"
                             " and OCR found no text")
        if doc.page_count > limits.MAX_PDF_PAGES:
            out.append(limits.skip_note(f"PDF has {doc.page_count} pages: read the first {limits.MAX_PDF_PAGES}"))
        if torn:  # the parser's `truncated` finding: what was read is what the whole pages print
            out.append(truncation.note(f"PDF 文件被截断，缺少结尾的 %%EOF；共 {doc.page_count} 页，"
                                       + (f"第 {'、'.join(map(str, damaged))} 页因截断缺损未读" if damaged
                                          else "各页对象完整"), "pdf"))
        return "\n".join(out)
    finally:
        doc.close()


_MAX_ANNOTS = 10_000


def _drop_annotations(page: pymupdf.Page) -> None:
    """Comments, sticky notes, highlights and stamps laid on the page are a reader's remarks, not
    the report: MuPDF reads their appearance with the page, so a FreeText comment's words would
    land in a table row and a note icon's frame would cut a row into more cells.  Form fields
    (widgets, not among page.annots) hold the printed values and stay; a comment flattened into
    the page content is content and is not an annotation any more."""
    try:
        for _ in range(_MAX_ANNOTS):  # (bounded: a damaged annotation that will not go must not loop)
            annot = page.first_annot
            if annot is None:
                break
            page.delete_annot(annot)
    except Exception:  # a damaged annotation must not lose the page: read it as it is
        pass


# Code points a Chinese report's text layer really holds: ASCII, Latin-1, punctuation and
# symbols, CJK punctuation, kana, ideographs, compatibility ideographs, full-width forms.
_IMPLAUSIBLE = re.compile("[^\\s\x20-\x7e\xa0-\xff\u2000-\u206f\u2100-\u2bff\u3000-\u30ff"
                          "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_GARBLED_SHARE = 0.2
_GARBLED_MIN = 10


# Two-byte CJK codes drawn as pairs of one-byte glyphs (an unembedded CID font re-encoded
# without a character map, as Ghostscript does): Latin-1 letters, C1 controls and
# typographic symbols mixed with ASCII, and not one ideograph.  The digits of a Latin font
# beside it survive, so the numbers look fine while every label is junk.
# (dashes, quotes, ellipses, °, · and × are a Chinese text's own punctuation: not counted)
_LATIN_JUNK = re.compile("[\x80-\xaf\xb1-\xb6\xb8-\xd6\xd8-\xff\u0100-\u024f\u02c0-\u02ff\u2030-\u2122\ufb00-\ufb06]")
_IDEOGRAPH = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_JUNK_SHARE = 0.15  # a European language's accented letters stay far below this
# Glyph ids of a CID font without a map also land on ideographs now and then (人, 民, 一 as
# junk among junk): a real Chinese page has far more ideographs than Latin-1 symbols.
_IDEOGRAPHS_PER_JUNK = 1 / 3


def _drop_edges(read: list) -> None:
    """Take running headers, footers and page numbers out of the pages' layouts (pdfedges)."""
    pages = [None if isinstance(got, str) else (got[2].items, got[2].height) for got in read]
    for got, drop in zip(read, pdfedges.furniture(pages), strict=True):
        if drop:
            layout = got[2]
            layout.items = [it for i, it in enumerate(layout.items) if i not in drop]


def _bytes_as_latin(text: str) -> bool:
    junk = len(_LATIN_JUNK.findall(text))
    return (junk >= _GARBLED_MIN and junk > _LATIN_JUNK_SHARE * len(text)
            and len(_IDEOGRAPH.findall(text)) < _IDEOGRAPHS_PER_JUNK * junk)


def garbled(text: str) -> bool:
    """Whether a page's text layer is glyph codes rather than text.

    A font without a ToUnicode map makes MuPDF report raw glyph ids: control characters
    for digits, private-use and scattered Latin/Indic/Ethiopic code points for ideographs.
    Numbers must never be read out of that; the page is OCR'd instead.
    """
    bad = _IMPLAUSIBLE.findall(text)
    if _bytes_as_latin(text):
        return True
    if len(bad) < _GARBLED_MIN or len(bad) <= _GARBLED_SHARE * len(text):
        return False
    if any(ch < " " for ch in bad):
        return True  # control characters are never text
    # A real script (the Uyghur, Tibetan or Mongolian half of a bilingual report) keeps to
    # its own Unicode block; glyph ids scatter over many.
    blocks: dict[int, int] = {}
    for ch in bad:
        blocks[ord(ch) >> 8] = blocks.get(ord(ch) >> 8, 0) + 1
    return max(blocks.values()) < 0.8 * len(bad)


def _ocr_page(page: pymupdf.Page) -> str:
    """One page read by OCR, for a text layer that is garbage."""
    try:
        from parsers.formats.image import ocr_png
    except ImportError as e:  # pragma: no cover - OCR is a declared dependency
        raise ParseError(f"page {page.number + 1}: text layer is unreadable glyph codes"
                         f" (font without a Unicode map) and OCR is unavailable ({e})") from None
    pix = page.get_pixmap(dpi=_ocr_dpi(page), colorspace=pymupdf.csRGB)
    try:
        return ocr_png(pix.tobytes("png"))
    except ParseError:
        return ""  # an unreadable page adds no text; never the garbage layer


_TITLE_IDEOGRAPHS = 6


def _info_title(doc: pymupdf.Document) -> str | None:
    """The document's own title (Info /Title), for a PDF whose text layer is junk.

    When the glyphs themselves are junk (fonts re-encoded without their characters), OCR
    reads junk too: the title its producer recorded is then the only words that name the
    body and the year.  A title that is not Chinese words (a file name) is no help.
    """
    title = clean_line((doc.metadata or {}).get("title") or "").strip()
    if len(_IDEOGRAPH.findall(title)) < _TITLE_IDEOGRAPHS or "." in title[-6:]:
        return None
    return title


SCAN_DPI = 200  # a scan's page is read at its own resolution up to this (never above)


def _ocr_dpi(page: pymupdf.Page) -> int:
    """OCR_DPI, or the resolution of the scan the page is (up to SCAN_DPI), lowered for a page
    so large that its rendering would exceed MAX_OCR_RENDER_PIXELS.  A 200 dpi scan resampled to
    150 dpi runs 1-2 px specks into the glyphs and loses thin strokes (a speckled scan's
    every number was unreadable at 150 dpi and most of them read at its own 200)."""
    dpi = OCR_DPI
    try:
        widths = [im[2] for im in page.get_images()]
    except Exception:  # noqa: BLE001 - a damaged resource dictionary: the default resolution
        widths = []
    if widths and page.rect.width > 0:
        dpi = min(max(dpi, int(max(widths) / (page.rect.width / 72))), SCAN_DPI)
    area = max(page.rect.width * page.rect.height, 1.0) / (72 * 72)  # square inches
    if area * dpi * dpi <= limits.MAX_OCR_RENDER_PIXELS:
        return dpi
    return max(1, int(math.sqrt(limits.MAX_OCR_RENDER_PIXELS / area)))


def ocr_pdf(doc: pymupdf.Document, clock: limits.ReadClock | None = None) -> str:
    """Scanned PDF: render each page at OCR_DPI and read it like an image (`clock`: the reading's
    so far, when its text layer was read first)."""
    from parsers.formats.image import ocr_png

    out = []
    clock = clock or limits.ReadClock("PDF")
    for page in doc.pages(0, min(doc.page_count, limits.MAX_OCR_PAGES)):
        clock.check(page.number, doc.page_count)
        limits.check_pdf_page(doc, page)
        # in colour: red seals and 红头 are told from black ink by their hue (image.drop_red_ink)
        pix = page.get_pixmap(dpi=_ocr_dpi(page), colorspace=pymupdf.csRGB)
        if page.number:
            out.append(PAGE_BREAK)
        out.append(ocr_png(pix.tobytes("png")))
    text = "\n".join(t for t in out if t)
    if not text.strip():
        raise ParseError("PDF has no text layer and OCR found no text")
    if doc.page_count > limits.MAX_OCR_PAGES:
        text += "\n" + limits.skip_note(f"scanned PDF has {doc.page_count} pages: OCR read the first"
                                        f" {limits.MAX_OCR_PAGES}")
    return text
