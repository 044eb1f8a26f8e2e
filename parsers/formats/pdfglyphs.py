"""Lines, words and table rows rebuilt from glyph positions, not from content-stream order.

WPS, Word, Foxit and print drivers often write every glyph (or every cell) as its own
text object, in any order.  MuPDF then reports one "line" per object, so a paragraph
becomes a column of single characters and a table a list of loose numbers.  What the
page shows is still exact: here glyphs are regrouped by baseline and by the gaps
between them, in the page's display orientation (a /Rotate 90 page is read as shown),
and lines that carry numbers in columns without ruling lines become tab rows whose
cells are placed by their x position, so a blank cell stays a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.formats import pdfstacks
from parsers.formats.pdfgrid import oblique
from parsers.zeros import is_zero_form

WORD_GAP = 0.3  # x font size: a wider gap ends a word
CELL_GAP = 1.0  # x font size: a wider gap ends a cell (table column or separate text)
# x font size: the widest gap a thousands separator leaves (one space character, 0.2-0.4 em); digit
# groups further apart are two neighbouring cells (5 and 235 in narrow columns), never 5235
GROUP_GAP = 0.5
_VALUE = re.compile(r"^[+\-－−]?[0-9０-９][0-9０-９,，]*$|^[—–\-－―/／]+$")


@dataclass
class Glyph:
    x0: float
    y0: float
    x1: float
    y1: float
    c: str
    size: float
    base: float  # baseline y (display space)
    horizontal: bool


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Line:
    base: float
    size: float
    words: list[Word] = field(default_factory=list)
    cells: list[Word] = field(default_factory=list)  # words joined across small gaps
    vertical: bool = False  # a stacked or rotated label: never part of a paragraph

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)


def fragmented(words: list[tuple]) -> bool:
    """True when MuPDF's lines are mostly single ideographs (text written glyph by glyph).

    A line holding one digit is normal (a table cell), so only lines made of one CJK
    character count: in ordinary text there are almost none.
    """
    # Each such line is a one-character word of its own: fewer one-ideograph words than the
    # lines it takes settles it without grouping the page's words into lines (a table page has
    # hundreds of one-digit words).
    singles = "".join([w[4] for w in words if len(w[4]) == 1])  # (counted in one regex pass)
    if len(_IDEOGRAPH.findall(singles)) < 20:
        return False
    lines: dict[tuple[int, int], str] = {}
    for w in words:
        key = (w[5], w[6])
        lines[key] = lines.get(key, "") + w[4]
    if len(lines) < 30:
        return False
    single = sum(1 for t in lines.values() if len(t) == 1 and _IDEOGRAPH.match(t))
    return single >= 20 and single > 0.4 * len(lines)


_IDEOGRAPH = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uffef]")


def page_glyphs(rawdict: dict, matrix=None) -> list[Glyph]:
    """Glyphs of a rawdict in display coordinates (``matrix``: the page's rotation_matrix)."""
    out: list[Glyph] = []
    for block in rawdict["blocks"]:
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            dx, dy = line["dir"]
            if matrix is not None:
                dx, dy = dx * matrix.a + dy * matrix.c, dx * matrix.b + dy * matrix.d
            horizontal = dx > 0.9 and abs(dy) < 0.1
            if oblique(dx, dy):  # a watermark drawn at an angle: never report text
                continue
            for span in line["spans"]:
                size = span["size"] or 1.0
                for ch in span["chars"]:
                    c = ch["c"]
                    if not c or c.isspace():
                        continue
                    x0, y0, x1, y1 = ch["bbox"]
                    ox, oy = ch["origin"]
                    if matrix is not None:
                        x0, y0, x1, y1 = _transform_box((x0, y0, x1, y1), matrix)
                        ox, oy = ox * matrix.a + oy * matrix.c + matrix.e, ox * matrix.b + oy * matrix.d + matrix.f
                    out.append(Glyph(x0, y0, x1, y1, c, size, oy if horizontal else (y0 + y1) / 2, horizontal))
    return out


def _transform_box(box: tuple[float, float, float, float], m) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for x in (box[0], box[2]):
        for y in (box[1], box[3]):
            xs.append(x * m.a + y * m.c + m.e)
            ys.append(x * m.b + y * m.d + m.f)
    return min(xs), min(ys), max(xs), max(ys)


def transform_boxes(boxes: list[tuple[float, float, float, float]], matrix) -> list[tuple[float, float, float, float]]:
    return [_transform_box(b, matrix) for b in boxes]


def build_lines(glyphs: list[Glyph]) -> list[Line]:
    """Horizontal glyphs grouped by baseline, split into words and cells by their gaps."""
    hs = sorted((g for g in glyphs if g.horizontal), key=lambda g: (g.base, g.x0))
    rows: list[list[Glyph]] = []
    for g in hs:
        if rows and abs(g.base - rows[-1][0].base) <= 0.3 * min(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
    lines = [_line(sorted(r, key=lambda g: g.x0)) for r in rows]
    lines = _restack(lines)
    return lines + _vertical_lines([g for g in glyphs if not g.horizontal])


def _restack(lines: list[Line]) -> list[Line]:
    """Characters stacked one per line in a narrow cell (三、本年度办理结果 written
    downwards) rejoined into one item, instead of a stray character in each row beside them.

    A stack is three or more one-character cells, not numbers, centred on one x, each
    within a line's height of the next.  A 〇 or 零 alone in a cell is a number (a zero), even
    right under a column header printed downwards: it is that column's value, not the header's
    last character (纠正〇).
    """
    singles = [(ln, c) for ln in lines for c in ln.cells
               if len(c.text) == 1 and not is_value(c.text) and not c.text.isascii() and not is_zero_form(c.text)]
    if len(singles) < 3:
        return lines
    singles.sort(key=lambda lc: ((lc[1].x0 + lc[1].x1) / 2, lc[0].base))
    columns: list[list[tuple[Line, Word]]] = []
    for ln, c in singles:
        cx = (c.x0 + c.x1) / 2
        if columns:
            pl, pc = columns[-1][-1]
            if abs(cx - (pc.x0 + pc.x1) / 2) <= 0.3 * ln.size and 0 < ln.base - pl.base <= 1.6 * ln.size:
                columns[-1].append((ln, c))
                continue
        columns.append([(ln, c)])
    stacked: set[int] = set()
    extra: list[Line] = []
    for col in columns:
        if len(col) < 3:
            continue
        stacked.update(id(c) for _, c in col)
        word = Word(min(c.x0 for _, c in col), col[0][1].y0, max(c.x1 for _, c in col), col[-1][1].y1,
                    "".join(c.text for _, c in col))
        extra.append(Line(col[0][0].base, col[0][0].size, [word], [word], vertical=True))
    if not stacked:
        return lines
    out = []
    for ln in lines:
        cells = [c for c in ln.cells if id(c) not in stacked]
        if len(cells) == len(ln.cells):
            out.append(ln)
        elif cells:
            boxes = [(c.x0, c.x1) for c in cells]
            words = [w for w in ln.words if any(a - 0.1 <= w.x0 and w.x1 <= b + 0.1 for a, b in boxes)]
            out.append(Line(ln.base, ln.size, words, cells))
    return sorted(out + extra, key=lambda ln: ln.base)


def _line(gs: list[Glyph]) -> Line:
    size = max(g.size for g in gs)
    line = Line(sum(g.base for g in gs) / len(gs), size)
    word: list[Glyph] = []
    cell: list[Glyph] = []
    prev: Glyph | None = None
    for g in gs:
        if prev is not None and g.c == prev.c and abs(g.x0 - prev.x0) < 0.2 * g.size:
            continue  # the same glyph printed twice (fake bold)
        if prev is not None:
            gap = g.x0 - prev.x1
            if gap > CELL_GAP * size:
                line.words.append(_word(word))
                line.cells.append(_word(cell))
                word, cell = [], []
            elif gap > WORD_GAP * size:
                line.words.append(_word(word))
                word = []
                cell.append(Glyph(prev.x1, g.y0, prev.x1, g.y1, " ", g.size, g.base, True))
        word.append(g)
        cell.append(g)
        prev = g
    line.words.append(_word(word))
    line.cells.append(_word(cell))
    return _split_number_runs(line)


# Numbers a word gap apart in one "cell" are neighbouring narrow columns (商业企业 | 科研机构),
# unless they read as one number grouped by thousands (1 234 567) and stand a space apart.
_NUMBER_RUN = re.compile(r"[0-9０-９]+(?: [0-9０-９]+)+")
_THOUSANDS = re.compile(r"[1-9１-９][0-9０-９]{0,2}(?: [0-9０-９]{3})+")


_NUMBER = re.compile(r"[0-9０-９]+")


def _split_number_runs(line: Line) -> Line:
    """Cells of one row that the gaps could not tell apart: a run of numbers, or a label with the
    row's first number a word gap after it (`4.无正当理由 2`, then the other values)."""
    if len(line.cells) == len(line.words):
        return line
    cells: list[Word] = []
    for i, c in enumerate(line.cells):
        parts = [w for w in line.words if c.x0 - 0.01 <= w.x0 and w.x1 <= c.x1 + 0.01]
        k = 0
        while k < len(parts) and _NUMBER.fullmatch(parts[len(parts) - 1 - k].text):
            k += 1
        label, numbers = parts[: len(parts) - k], parts[len(parts) - k:]
        run = " ".join(w.text for w in numbers)
        if len(parts) < 2 or k == 0 or " ".join(w.text for w in parts) != c.text:
            split = False
        elif k >= 2:
            split = not _THOUSANDS.fullmatch(run) or _spread(numbers, line.size)
        else:  # one number after a label: the row's first value when more values follow
            split = bool(label) and sum(is_value(d.text) for d in line.cells[i + 1:]) >= 2
        if not split:
            cells.append(c)
            continue
        if label:
            cells.append(Word(label[0].x0, min(w.y0 for w in label), label[-1].x1, max(w.y1 for w in label),
                              " ".join(w.text for w in label)))
        cells.extend(numbers)
    line.cells = cells
    return line


def _spread(numbers: list[Word], size: float) -> bool:
    """Digit groups standing further apart than a space: separate cells, whatever their digits."""
    return any(b.x0 - a.x1 > GROUP_GAP * size for a, b in zip(numbers, numbers[1:], strict=False))


def _word(gs: list[Glyph]) -> Word:
    return Word(min(g.x0 for g in gs), min(g.y0 for g in gs), max(g.x1 for g in gs),
                max(g.y1 for g in gs), "".join(g.c for g in gs))


def _vertical_lines(gs: list[Glyph]) -> list[Line]:
    """Rotated glyphs (vertical header text) as one word per column of glyphs.

    Each stays one short item at its own place, instead of a glyph per baseline
    scattered into the rows beside it.
    """
    cols: list[list[Glyph]] = []
    for g in sorted(gs, key=lambda g: ((g.x0 + g.x1) / 2, g.y0)):
        cx = (g.x0 + g.x1) / 2
        if cols:
            last = cols[-1][-1]
            if abs(cx - (last.x0 + last.x1) / 2) <= 0.3 * g.size and g.y0 - last.y1 <= 0.6 * g.size:
                cols[-1].append(g)
                continue
        cols.append([g])
    out = []
    for col in cols:
        col.sort(key=lambda g: g.y0)
        w = _word(col)
        out.append(Line(w.y1, col[0].size, [w], [w], vertical=True))
    return out


def word_tuples(lines: list[Line]) -> list[tuple]:
    """The words as page.get_text("words") tuples, one (block 0) line per rebuilt line."""
    return [(w.x0, w.y0, w.x1, w.y1, w.text, 0, i, j)
            for i, line in enumerate(lines) for j, w in enumerate(line.words)]


def char_source(glyphs: list[Glyph]):
    """pdfgrid.CharSource over the glyphs: character boxes under some words."""
    def get(words: list[tuple]) -> list[tuple[float, float, float, float, str]]:
        x0 = min(w[0] for w in words) - 1
        y0 = min(w[1] for w in words) - 1
        x1 = max(w[2] for w in words) + 1
        y1 = max(w[3] for w in words) + 1
        return [(g.x0, g.y0, g.x1, g.y1, g.c) for g in glyphs
                if x0 <= g.x0 and g.x1 <= x1 and y0 <= g.y0 and g.y1 <= y1]

    return get


def is_value(text: str) -> bool:
    return bool(_VALUE.match(text))


def text_items(lines: list[Line]) -> list[tuple[float, float, str]]:
    """(y, x, text) items: paragraphs rejoined, numeric lines as tab rows on shared columns."""
    lines = sorted(lines, key=lambda ln: (ln.base, ln.x0))
    lines = _wrapped_labels(pdfstacks.join_wrapped(lines, is_value))
    numeric = [ln for ln in lines if any(is_value(c.text) for c in ln.cells) and len(ln.cells) > 1]
    columns = _column_sets(numeric)
    right = _right_margin([ln for ln in lines if len(ln.cells) == 1 and not ln.vertical])
    items: list[tuple[float, float, str]] = []
    para: list[Line] = []

    def flush() -> None:
        if para:
            items.append((para[0].y0, para[0].x0, "\n".join(ln.cells[0].text for ln in para)))
            para.clear()

    for ln in lines:
        if id(ln) in columns:
            flush()
            items.append((ln.y0, ln.x0, _row_text(ln, columns[id(ln)])))
        elif len(ln.cells) > 1 or ln.vertical:
            flush()
            for c in ln.cells:
                items.append((ln.y0, c.x0, c.text))
        else:
            if para and not _continues(para[-1], ln, right):
                flush()
            para.append(ln)
    flush()
    return items


def _wrapped_labels(lines: list[Line]) -> list[Line]:
    """Rows whose label wrapped in its cell, the label's two lines joined before the row's values.

    A table without rules that centres each row's contents vertically prints a label wrapped
    over two lines (其他对外管理服务事 / 项) with the row's numbers on a line of their own between
    them: read line by line, the numbers lose their label and the label's halves become text.
    A row of values only (``lines`` sorted by baseline), with a text line right above and
    right below it, both left of its first value and the lower one set under the upper one
    (same left edge or same centre, no wider), is such a row.
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        if 0 < i < len(lines) - 1 and out and out[-1] is lines[i - 1]:
            a, b, c = lines[i - 1], lines[i], lines[i + 1]
            if _label_around(a, b, c):
                label = Word(a.x0, a.y0, a.x1, c.y1, a.cells[0].text + c.cells[0].text)
                out[-1] = Line(b.base, b.size, [label, *b.words], [label, *b.cells])
                i += 2
                continue
        out.append(lines[i])
        i += 1
    return out


def _label_around(a: Line, b: Line, c: Line) -> bool:
    if len(b.cells) < 2 or not all(is_value(v.text) for v in b.cells):
        return False
    for t in (a, c):
        if t.vertical or len(t.cells) != 1 or is_value(t.cells[0].text) or t.x1 >= b.x0 or abs(t.size - b.size) > 0.5:
            return False
    size = b.size
    if not (0 < b.base - a.base <= 1.6 * size and 0 < c.base - b.base <= 1.6 * size):
        return False
    if c.x1 - c.x0 > a.x1 - a.x0 + 0.3 * size:
        return False
    return abs(c.x0 - a.x0) <= 0.3 * size or abs((c.x0 + c.x1) - (a.x0 + a.x1)) <= 0.6 * size


def _right_margin(lines: list[Line]) -> float:
    """Where full paragraph lines end: the rightmost end shared by several long lines.

    The page's rightmost text is often a running header or a URL that sticks out; a
    paragraph's wrapped lines all end at the text block's margin.
    """
    ends = sorted((ln.x1 for ln in lines if len(ln.cells[0].text) >= 10), reverse=True)
    for i, x in enumerate(ends):
        near = sum(1 for e in ends[i:i + 4] if x - e <= 1.5 * lines[0].size)
        if near >= 2:
            return x
    return float("inf")  # no two long lines end together: no wrapped paragraph on the page


def _continues(prev: Line, cur: Line, right: float) -> bool:
    """Whether ``cur`` is the next line of the paragraph ending in ``prev``."""
    size = prev.size
    return (abs(cur.size - size) <= 0.5
            and 0 < cur.base - prev.base <= 2.0 * size
            and prev.x1 >= right - 2.0 * size
            and cur.x0 <= prev.x0 + 0.5 * size)


def _column_sets(numeric: list[Line]) -> dict[int, list[tuple[float, float]]]:
    """Column x-intervals for each numeric line, from the value cells of its neighbours.

    Consecutive numeric lines with the same number of value columns near each other are
    one table; the union of their value cells' x-intervals gives the columns (a gutter of
    white space separates columns).  A line whose values fall in fewer columns than the
    table has keeps blanks where its values are missing.
    """
    out: dict[int, list[tuple[float, float]]] = {}
    groups: list[list[Line]] = []
    for ln in numeric:
        if groups and ln.base - groups[-1][-1].base <= 6 * ln.size:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    for group in groups:
        spans = sorted((c.x0, c.x1) for ln in group for c in _values(ln))
        cols: list[list[float]] = []
        for a, b in spans:
            if cols and a <= cols[-1][1]:
                cols[-1][1] = max(cols[-1][1], b)
            else:
                cols.append([a, b])
        for ln in group:
            out[id(ln)] = [(a, b) for a, b in cols]
    return out


def _values(ln: Line) -> list[Word]:
    """The line's trailing value cells (a number inside a label is not a column)."""
    vals: list[Word] = []
    for c in reversed(ln.cells):
        if not is_value(c.text):
            break
        vals.append(c)
    return vals[::-1]


def _row_text(ln: Line, cols: list[tuple[float, float]]) -> str:
    vals = _values(ln)
    labels = [c.text for c in ln.cells[: len(ln.cells) - len(vals)]]
    first = vals[0].x0 if vals else ln.x1
    used = [(a, b) for a, b in cols if b >= first - 0.5]  # columns from this row's first value on
    if vals and cols and len(used) < len(cols):
        # columns left of this row's first value: blanks only if they are right of its label
        label_end = ln.cells[len(ln.cells) - len(vals) - 1].x1 if labels else -1e9
        used = [(a, b) for a, b in cols if a > label_end]
    cells = [""] * len(used)
    for v in vals:
        mid = (v.x0 + v.x1) / 2
        best = min(range(len(used)), key=lambda i: 0 if used[i][0] <= mid <= used[i][1]
                   else min(abs(mid - used[i][0]), abs(mid - used[i][1])), default=None)
        if best is None or cells[best]:  # no columns, or two values in one: the columns are not this row's
            return "\t".join(labels + [v.text for v in vals])
        cells[best] = v.text
    return "\t".join(labels + cells)
