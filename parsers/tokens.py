"""Turning printed table text into cells and numbers.

Reports reach us as PDF/DOCX/HTML text dumps: cells joined by tabs, markdown pipes or plain
spaces, digits full-width or with thousands separators, and blanks/dashes that mean "not
given" (null), which must never be confused with a printed 0.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from .cellunits import COUNT_UNITS, MARK_CLASS
from .zeros import BLANK_NULL, LETTER_MARKS, NOT_PRINTED, ZERO_LETTERS, is_zero_form

# What the OCR prints for a number it could not read (parsers/formats/imagegrid.py; kept here, where the extractors can
# import it without the table readers, so the extraction cache's fingerprint does not follow them): U+FE58 SMALL
# EM DASH is a dash to the parser (NFKC "—", a null marker), so the cell is null and its raw text
# says why (an ocr_uncertain finding).
OCR_UNSURE = "\ufe58"

# Cells that mean "the report gives no value here": recorded as null, never as 0.
NULL_MARKERS = frozenset(
    {"—", "——", "－", "-", "--", "–", "―", "─", "/", "／", "\\", "无", "空", "…", "……", "——/", "×", "−", "‐", "‑"}
)
# What a reader takes for the minus before a number besides "-" (NFKC makes －/﹣ one): the minus
# sign, Word's (non-breaking) hyphen and the en dash; "—" (a dash cell) is not one
_MINUS_SIGNS = frozenset("\u2212\u2010\u2011\u2012\u2013")

_CHANGE_RE = re.compile(r"(增加|增|减少|减)(\d[\d,]*(?:\.\d+)?)")
# (a money unit table 2 marked in its place, parsers/cellunits.py, is checked against its column there)
_COUNT_UNITS = "|".join(COUNT_UNITS)  # 件 个 条 项 次 宗 起
# the unit after the number, bare (36件) or in brackets (36（件）, 36(件): a cell that names its unit, as some
# templates' cells do); only the unit itself in the brackets: "12（其中5件…）" is no number
_UNIT_RE = re.compile(r"(?<=\d)(?:" + _COUNT_UNITS + "|" + MARK_CLASS + r"|\((?:" + _COUNT_UNITS + r")\))$")
# a row's 总计 cell printed as a sentence's count (共47件): "in all" is no part of the number
_IN_ALL_RE = re.compile(r"^共计?(?=\d)")
_OCR_RE = re.compile(r"[0-9OolI]{1,9}")
_OCR_DIGITS = str.maketrans("OolI", "0011")
_NUM_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
_MD_RULE_RE = re.compile(r"^:?-{3,}:?$")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s*")
_GLUED_RE = re.compile(r"(.*[\u4e00-\u9fff”’）)])(\d{1,3}(?:,\d{3})+|\d+)")
_STRAY_TAIL = re.compile(r"[（(][一二三四五六七八九十]{1,2}[）)]|[\u4e00-\u9fff]{1,3}")
_TAIL_WORD = re.compile(r"[\u4e00-\u9fff“”（）()、]{1,12}")  # label text after a row's numbers
_TAIL_WORDS = 3
_TOKEN_RE = re.compile(r"[^ \u3000\xa0\t]+")
# page furniture of PDF dumps: "- 3 -", "— 12 —", "第3页 共8页", "3/8"; no page is "- 0 -": that is a
# table's zero set off by dashes (parsers/zeros.py), a cell of a one-cell-per-line dump
_PAGE_NO_RE = re.compile(
    r"^\s*(?:[-—–－]+\s*(?!0\s*[-—–－])\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)


@dataclass(frozen=True)
class Cell:
    """One printed value cell: `value` is None for a blank/dash, `raw` is the text as printed."""

    value: int | float | None
    raw: str


# CJK Radicals Supplement forms that fonts emit for whole ordinary characters (Ghostscript's
# re-encoding maps 民 to ⺠ U+2EA0): NFKC leaves them alone (only ⺟ and ⻳ decompose).  Each
# stands for the character its Unicode name gives (CIVILIAN 民, C-SIMPLIFIED GATE 门…); the
# component-only forms (⺅ PERSON, ⺡ WATER…) are not whole characters and stay as they are.
_RADICAL_SUPPLEMENT = {
    "CIVILIAN": "民", "WEST TWO": "西", "C-SIMPLIFIED SEE": "见", "SIMPLIFIED HORN": "角",
    "C-SIMPLIFIED CART": "车", "C-SIMPLIFIED LONG": "长", "C-SIMPLIFIED GATE": "门", "BLUE": "青",
    "C-SIMPLIFIED TANNED LEATHER": "韦", "C-SIMPLIFIED LEAF": "页", "C-SIMPLIFIED WIND": "风",
    "C-SIMPLIFIED FLY": "飞", "EAT ONE": "食", "C-SIMPLIFIED HORSE": "马", "BONE": "骨", "GHOST": "鬼",
    "C-SIMPLIFIED FISH": "鱼", "C-SIMPLIFIED BIRD": "鸟", "C-SIMPLIFIED SALT": "卤",
    "SIMPLIFIED WHEAT": "麦", "SIMPLIFIED YELLOW": "黄", "C-SIMPLIFIED FROG": "黾",
    "C-SIMPLIFIED EVEN": "齐", "C-SIMPLIFIED TOOTH": "齿", "C-SIMPLIFIED DRAGON": "龙",
}


def _compat_table() -> dict[int, str]:
    """PDF fonts often map 人/大/工… to Kangxi radicals (⼈ U+2F08) or compatibility ideographs."""
    table: dict[int, str] = {}
    for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF)):
        for cp in range(lo, hi + 1):
            norm = unicodedata.normalize("NFKC", chr(cp))
            if norm != chr(cp):
                table[cp] = norm
            elif 0x2E80 <= cp <= 0x2EFF:
                meaning = unicodedata.name(chr(cp), "").removeprefix("CJK RADICAL ")
                if meaning in _RADICAL_SUPPLEMENT:
                    table[cp] = _RADICAL_SUPPLEMENT[meaning]
    for cp in (0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060, 0x00AD):  # BOM, zero-width, soft hyphen
        table[cp] = ""
    table[0x00A0] = " "
    return table


_COMPAT = _compat_table()
# str.translate looks every character up in the dict (~75 ns each): a regex finds the few to replace
_COMPAT_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_COMPAT)) + "]")


def _compat_char(m: re.Match[str]) -> str:
    return _COMPAT[ord(m.group())]


def normalise_text(text: str) -> str:
    """Undo encoding artefacts that change no meaning but break matching (BOM, radicals)."""
    return _COMPAT_RE.sub(_compat_char, text)


def clean_line(line: str) -> str:
    """Remove extraction debris (bookmarks, markdown heading marks, page numbers): not report text."""
    if "[bookmark" in line:
        line = _BOOKMARK_RE.sub("", line)
    if _PAGE_NO_RE.match(line):
        return ""
    stripped = line.strip()
    if stripped.startswith("#"):
        line = _MD_HEADING_RE.sub("", stripped)
    return line.rstrip("\r\n")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# Footnote marks printed after a number ("9②", "1,043*", "25¹", a <sup>/superscript run the
# extractors turned into superscript digits): circled, parenthesised and dotted digits, super-
# and subscript digits, asterisks and daggers.  NFKC turns most of them into plain digits (② ->
# 2, ¹ -> 1, ⑴ -> (1)), which would glue them onto the number (92, 251): they are cut off first.
FOOTNOTE_MARKS = (
    "\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"  # ①-⑳ ⑴-⒇ ⒈-⒛ ⓪-⓿ ❶-➓ ㉑-㊿
    "\u00b9\u00b2\u00b3\u2070-\u2079\u207d\u207e\u2080-\u2089\u208d\u208e"  # ¹²³ ⁰-⁹ ⁽⁾ ₀-₉ ₍₎
    "*＊※†‡"
)
# a superscript/subscript run (<sup>, a DOCX raised run) as super/subscript characters: a footnote
# mark after a number ("25<sup>1</sup>") then stays a mark parse_number cuts off, never a digit
SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
SUBSCRIPT = str.maketrans("0123456789()", "₀₁₂₃₄₅₆₇₈₉₍₎")
_MARK_TAIL = re.compile(f"(?<=[0-9０-９件])[{FOOTNOTE_MARKS}]+$")
_MARK_ANY = re.compile(f"[{FOOTNOTE_MARKS}]")


# Digits with spaces between them inside one cell.  A PDF's letter-spacing prints every digit apart
# ("3 5 0", "1 2 3 4"), and a space may group thousands after a head of one or two digits ("1 234",
# "12 345 678"): one number.  Anything else ("350 349", "12 3", "0 18") is two numbers in one cell
# (a rule the grid missed, two values typed in one cell): no one of them is the cell's value.
_SPACED_DIGITS = re.compile(r"\d+(?: +\d+)+")
_SPACED_CELL = re.compile(r"\d[\d,.]*(?: +\d[\d,.]*)+ *(?:" + _COUNT_UNITS + r"|\((?:" + _COUNT_UNITS + r")\))?")


def _one_number(spaced: str) -> bool:
    groups = spaced.split()
    return all(len(g) == 1 for g in groups) or (len(groups[0]) <= 2 and all(len(g) == 3 for g in groups[1:]))


# a comma-grouped number wrapped inside a narrow cell ("4,33 5": a PDF grid puts the cell's two
# lines on one): the piece before the break is no number (its last group lacks digits), the whole
# is one grouping
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_CUT_GROUP = re.compile(r"\d{1,3}(?:,\d{3})*,\d{0,2}")


def _wrapped_grouping(t: str) -> bool:
    pieces = t.split()
    return (len(pieces) > 1 and bool(_GROUPED.fullmatch("".join(pieces)))
            and all(_CUT_GROUP.fullmatch(p) for p in pieces[:-1]))


def numbers_apart(text: str) -> bool:
    """Whether a cell prints two or more numbers side by side, set apart by spaces ("350 349"), in a
    shape neither letter-spacing nor a thousands grouping gives: the cell holds no one count."""
    t = _nfkc(text.strip())
    if _wrapped_grouping(t):
        return False
    return bool(_SPACED_CELL.fullmatch(t)) and any(not _one_number(m.group(0)) for m in _SPACED_DIGITS.finditer(t))


@lru_cache(maxsize=1 << 16)  # cells repeat a lot (0, 1, —): parsing is the hot path of every table
def parse_number(text: str) -> int | float | None:
    """Printed number -> int (when integral) or float; None when `text` is not a number.

    Accepts what cells really hold: full-width digits, 1,234 / 1，234, a unit (36件, 共36件), the
    2019 template's 增/减 column (增加3, 减少2), OCR's letter-for-digit slips (1O, 2l), a
    footnote mark after the number (9②, 1,043*, 25¹: the mark is never part of it).  A number
    in brackets is no count: "（4）" is a column's or an item's number far more often than a
    count that a note under the table explains.  Spaces inside a number are dropped only where
    letter-spacing or a thousands grouping explains them ("3 5 0", "1 234"); "350 349" is no number
    (`numbers_apart`), never 350349.
    """
    t = _MARK_TAIL.sub("", text.strip())
    if _MARK_ANY.search(t):
        return None  # a mark alone (①, ⑴: a list's numbering) or before a number is no count
    t = _nfkc(t)
    if " " in t and numbers_apart(t):
        return None
    t = t.replace(" ", "").replace("，", ",")
    if t[:1] in _MINUS_SIGNS:
        t = "-" + t[1:]
    sign = ""
    m = _CHANGE_RE.fullmatch(t)
    if m:
        sign, t = ("-" if m.group(1).startswith("减") else ""), m.group(2)
    t = _UNIT_RE.sub("", _IN_ALL_RE.sub("", t))
    if _OCR_RE.fullmatch(t) and any(c.isdigit() for c in t):
        t = t.translate(_OCR_DIGITS)
    if not t or not _NUM_RE.fullmatch(t):
        return None
    t = sign + t.replace(",", "")
    if "." in t:
        f = float(t)
        return int(f) if f.is_integer() else f
    return int(t)


# a note saying what a number in brackets is ("（）内为结转至下一年度办理的件数", "括号内为上年数")
BRACKET_NOTE = re.compile(r"[（(]\s*[)）]\s*[内中里]|括号[内中里]")
_BRACKET_CELL = re.compile(r"(?:(?<=^)|(?<=[\t |\u3000]))[（(]\s*([0-9０-９][0-9０-９,，]*)\s*[)）](?=$|[\t |\u3000])")
_PLAIN_CELL = re.compile(r"(?:^|(?<=[\t |\u3000]))[0-9０-９][0-9０-９,，.]*(?=$|[\t |\u3000])")


def bracketed_counts(line: str) -> str:
    """A table row's bracketed counts ("（6）") as plain numbers: for reports whose note says what
    brackets mean (BRACKET_NOTE; the caller checks).  Never on a line whose numbers are all in
    brackets (a row of column numbers "（1）（2）…（15）", an item's "（1）" on its own line), nor a
    bracket followed by a label (an item number between the row's label parts)."""
    if not _PLAIN_CELL.search(line):
        return line
    out, last = [], 0
    for m in _BRACKET_CELL.finditer(line):
        if any(value_cell(t) is None for t in _TOKEN_RE.findall(line[m.end() :])):
            break  # a label after it: an item number, not a value
        out += [line[last : m.start()], m.group(1)]
        last = m.end()
    return "".join(out) + line[last:] if out else line


def is_null_marker(text: str) -> bool:
    t = text.strip()
    return t in NULL_MARKERS or _nfkc(t) in NULL_MARKERS


@lru_cache(maxsize=1 << 16)  # asked of every cell several times per table (Cell is frozen)
def value_cell(text: str) -> Cell | None:
    """A Cell if `text` is a whole value cell (number or null marker), else None (a label)."""
    t = text.strip()
    if not t:
        return None
    if t == BLANK_NULL:
        return Cell(None, "")  # a blank held in its column (zeros.BLANK_NULL): the blank it prints
    if t == NOT_PRINTED:
        return Cell(None, NOT_PRINTED)  # a column the header does not print: null, never a blank
    n = parse_number(t)
    if n is not None:
        return Cell(n, t)
    if is_zero_form(t):
        return Cell(0, t)  # O, 〇, 零, -0-: a zero typed another way (parsers/zeros.py)
    if is_null_marker(t) or numbers_apart(t):
        return Cell(None, t)  # two numbers in one cell stand where a value does: a null, not a label
    return None


@dataclass(frozen=True)  # shared between the table readers of one report (see memo_line_cells)
class LineCells:
    """A line split into its label text and its value cells.

    `values` are positional (a blank between two numbers is a null Cell); `lead`/`trail` count
    blank cells before/after them, which are layout padding in some dumps and real blank cells
    in others, so the table parsers decide what they mean.
    """

    labels: list[str]
    values: list[Cell]
    lead: int = 0
    trail: int = 0
    tabbed: bool = False


def _layout_blanks(vals: list[Cell], toks: list[tuple[str, int, int]]) -> list[Cell]:
    """Blank cells between numbers of a position-preserving dump (pdftotext -layout).

    Such dumps keep columns apart by runs of spaces; a gap about twice the row's usual
    column distance is a blank cell that left no text.  Blanks at either end of a row leave
    no such trace and stay undetected (the identities may then place the lost cell).
    """
    centres = [(a + b) / 2 for _, a, b in toks]
    gaps = [y - x for x, y in zip(centres, centres[1:], strict=False)]
    usual = sorted(gaps)[len(gaps) // 2]
    if usual < 3:  # single-space separated: no layout information
        return vals
    out = [vals[0]]
    for gap, cell in zip(gaps, vals[1:], strict=False):
        missing = round(gap / usual) - 1 if gap >= 1.8 * usual else 0
        out.extend([Cell(None, "")] * missing)
        out.append(cell)
    return out


Columns = list[tuple[int, int]]  # (start, end) character positions of each value column


def _value_run(line: str) -> list[tuple[str, int, int]]:
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(line)]
    i = len(toks)
    while i > 0 and value_cell(toks[i - 1][0]) is not None:
        i -= 1
    return toks[i:]


def layout_columns(lines: list[str], width: int) -> Columns | None:
    """Where each value column sits in a position-preserving dump (pdftotext -layout), if it does.

    Learnt from the rows that printed all `width` cells; only when those rows agree (every column
    starts or ends at the same place in each of them).  With it, a row short of cells shows which
    columns are blank, at either end of the row too.
    """
    full = []
    for line in lines:
        if "\t" in line or line.count("|") >= 2:
            continue
        words = _TOKEN_RE.findall(line)  # positions only for the rows that qualify
        k = len(words)
        while k > 0 and value_cell(words[k - 1]) is not None:
            k -= 1
        if len(words) - k == width:
            full.append(_value_run(line))
    if len(full) < 3:
        return _sparse_columns(lines, width)
    cols: Columns = []
    for j in range(width):
        starts = sorted(r[j][1] for r in full)
        ends = sorted(r[j][2] for r in full)
        if starts[-1] - starts[0] > 2 and ends[-1] - ends[0] > 2:
            return None
        cols.append((starts[len(starts) // 2], ends[len(ends) // 2]))
    if any(b[0] - a[1] < 1 for a, b in zip(cols, cols[1:], strict=False)):
        return None
    return cols


def _sparse_columns(lines: list[str], width: int) -> Columns | None:
    """The columns of a sparse table (few rows print every cell, blanks elsewhere), from every row's
    numbers: each column is where numbers of several rows overlap, and the numbers fall into exactly
    ``width`` such places, apart from each other.  A column no row prints a number in, or numbers of
    two columns that touch (one space apart in one row, overlapping in another), prove nothing: None."""
    spans = sorted((a, b) for line in lines if "\t" not in line and line.count("|") < 2
                   for run in [_value_run(line)] if len(run) >= 2 for _t, a, b in run)
    cols: Columns = []
    for a, b in spans:
        if cols and a < cols[-1][1] + 1:
            cols[-1] = (cols[-1][0], max(cols[-1][1], b))
        else:
            cols.append((a, b))
    return cols if len(cols) == width else None


def _place_by_columns(run: list[tuple[str, int, int]], cols: Columns) -> list[Cell] | None:
    """The row's cells with blanks where no number sits under a column; None if it does not fit."""
    gap = min((b[0] - a[0] for a, b in zip(cols, cols[1:], strict=False)), default=4)
    tol = max(1, gap // 3)
    placed: dict[int, Cell] = {}
    last = -1
    for text, a, b in run:
        j = min(range(len(cols)), key=lambda k: min(abs(a - cols[k][0]), abs(b - cols[k][1])))
        if min(abs(a - cols[j][0]), abs(b - cols[j][1])) > tol or j <= last:
            return None
        placed[j], last = value_cell(text) or Cell(None, text), j
    return [placed.get(j, Cell(None, "")) for j in range(len(cols))]


def split_cells(line: str) -> list[str] | None:
    """Cells of a tab- or pipe-separated line, or None for a plain text line.

    The table readers split the same lines many times over: within memo_line_cells each line
    is split once (a fresh list is handed out each time, as callers may change it).
    """
    memo = _LINE_MEMO.get()
    if memo is None:
        return _split_cells(line)
    if line not in memo:  # a str key: line_cells' keys are tuples
        memo[line] = _split_cells(line)
    cells = memo[line]
    return None if cells is None else list(cells)


def _split_cells(line: str) -> list[str] | None:
    if "\t" in line:
        parts = line.split("\t")
    elif line.count("|") >= 2:
        parts = line.strip().strip("|").split("|")
    else:
        return None
    cells = [p.strip() for p in parts]
    for i in range(len(cells) - 2, -1, -1):
        # "4.无正当理由 2<TAB>0<TAB>…": the row's first value a space after its label, in the label's cell
        # (only a cell ending in a digit with more than digits in it can be one: the rest skip the regex)
        if cells[i][-1:] not in _VALUE_END or cells[i].isdigit():
            continue
        m = _LABEL_THEN_VALUE.fullmatch(cells[i])
        if m and _NUMBER_CELL.fullmatch(cells[i + 1]):
            cells[i : i + 1] = [m.group(1), m.group(2)]
    return cells


_LABEL_THEN_VALUE = re.compile(r"(.*[^\s\d０-９第.．、])\s+([0-9０-９]+)")
_VALUE_END = frozenset("0123456789０１２３４５６７８９")  # the last characters _LABEL_THEN_VALUE can match
_NUMBER_CELL = re.compile(r"[0-9０-９]+(?:\.[0-9０-９]+)?")


_LINE_MEMO: ContextVar[dict | None] = ContextVar("line_cells_memo", default=None)


@contextmanager
def memo_line_cells() -> Iterator[None]:
    """Within the block, each line is split once: the tables' readers ask again and again about
    the same lines (and a one-cell-per-line dump repeats "0" many times).  Scoped to one parse
    so that memory stays bounded and repeated benchmark runs measure real work."""
    token = _LINE_MEMO.set({})
    try:
        yield
    finally:
        _LINE_MEMO.reset(token)


def parse_memo() -> dict | None:
    """The current parse's memo (memo_line_cells), or None outside one: other pure look-ups asked
    many times of the same text within a parse keep their answers in it under keys of their own
    (tuples led by the function, never equal to a line_cells or split_cells key)."""
    return _LINE_MEMO.get()


def line_cells(line: str, expect: int | None = None, columns: Columns | None = None) -> LineCells:
    """Split one line into labels and values (the result is shared: do not modify its lists).

    Plain lines ("（一）予以公开 3 0 0 0 0 0 3") keep leading text as the label and take the
    trailing run of number/dash tokens as values; tabbed lines are positional.  With
    `expect` (the row width), a plain row short of it is checked for blank cells that a
    position-preserving dump shows only as wider spacing.
    """
    memo = _LINE_MEMO.get()
    if memo is None:
        return _split_line(line, expect, columns)
    key = (line, expect, tuple(columns) if columns else None)
    lc = memo.get(key)
    if lc is None:
        # a tabbed line's cells are its own whatever width is expected: split once for every width
        lc = memo.get((line, None, None))
        if lc is None or not lc.tabbed:
            lc = _split_line(line, expect, columns)
            if lc.tabbed:
                memo[(line, None, None)] = lc
        memo[key] = lc
    return lc


def _split_line(line: str, expect: int | None, columns: Columns | None) -> LineCells:
    cells = split_cells(line)
    if cells is None:
        words = _TOKEN_RE.findall(line)  # token positions are looked up only when a row is short
        vals: list[Cell] = []
        i = len(words)
        while i > 0:
            c = value_cell(words[i - 1])
            if c is None:
                break
            vals.append(c)
            i -= 1
        vals.reverse()
        tail = ""
        if not vals and len(words) >= 4 and _STRAY_TAIL.fullmatch(words[-1]):
            # "3.危及“三安全一稳定” 1 0 0 0 0 0 1 （三）": position-sorted text put a piece of the
            # next label column after the numbers; a run of 3+ numbers before it is still the row.
            # So does the rest of a wrapped label ("处  2 0 0 0 0 0 2  反复申请  理")
            for t in range(1, _TAIL_WORDS + 1):
                if t > 1 and not _TAIL_WORD.fullmatch(words[-t]):
                    break
                k = len(words) - t
                while k > 0 and value_cell(words[k - 1]) is not None:
                    k -= 1
                if len(words) - t - k >= 3:
                    vals = [value_cell(w) or Cell(None, w) for w in words[k:-t]]
                    tail, i, words = "".join(words[-t:]), k, words[:-t]
                    break

        def value_spans() -> list[tuple[str, int, int]]:
            toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(line)]
            return toks[i : len(words)]

        label = ("".join(words[:i]) + tail).strip()
        if columns and expect == len(columns) and 0 < len(vals) < expect and not tail:
            placed = _place_by_columns(value_spans(), columns)
            if placed is not None:
                vals = placed
        if expect and 3 <= len(vals) < expect:
            spaced = _layout_blanks(vals, value_spans())
            if len(spaced) == expect:
                vals = spaced
        if expect and len(vals) == expect - 1 and i > 0:
            # "8.属于行政查询事项0 0 0 0 0 0 0": the first number glued to its label
            glued = _GLUED_RE.fullmatch(words[i - 1])
            if glued:
                label = "".join(words[: i - 1]) + glued.group(1)
                vals = [value_cell(glued.group(2)) or Cell(None, glued.group(2))] + vals
        return LineCells([label] if label else [], vals)
    cells = [c for c in cells if "---" not in c or not _MD_RULE_RE.fullmatch(c)]
    last_label = -1
    labels: list[str] = []
    for idx, c in enumerate(cells):
        if c and value_cell(c) is None:
            last_label = idx
            labels.append(c)
    data = cells[last_label + 1 :]
    lead = 0
    while lead < len(data) and not data[lead]:
        lead += 1
    end = len(data)
    while end > lead and not data[end - 1]:
        end -= 1
    core = data[lead:end]
    values = [value_cell(c) or Cell(None, c) for c in core]
    return LineCells(labels, values, lead, len(data) - end, True)


def split_value_runs(line: str, min_run: int) -> list[str]:
    """A plain line cut after each run of `min_run`+ numbers that label text follows.

    Position-sorted PDF text can put two rows and the label pieces of a third on one line
    ("权益 0 0 0 0 0 0 0 三 ） 不 5．属于三类内部事 予 1 0 0 0 0 0 1 年 务信息 … 6．属于…"); read as one
    line, its numbers count as label text and both rows are lost or land elsewhere.  A short tail
    after the last run (a piece of the label column) stays on its line.
    """
    if "\t" in line or line.count("|") >= 2:
        return [line]
    words = _TOKEN_RE.findall(line)
    if len(words) <= min_run + 1:
        return [line]
    is_val = [value_cell(w) is not None for w in words]
    cuts: list[int] = []
    run = 0
    for k, v in enumerate(is_val):
        if v:
            run += 1
        else:
            if run >= min_run:
                cuts.append(k)
            run = 0
    if not cuts:
        return [line]
    tail = words[cuts[-1] :]
    if (
        len(tail) <= _TAIL_WORDS
        and _STRAY_TAIL.fullmatch(tail[-1])
        and all(_TAIL_WORD.fullmatch(w) for w in tail)
    ):
        cuts.pop()
    if not cuts:
        return [line]
    out, start = [], 0
    for c in [*cuts, len(words)]:
        if c > start:
            out.append(" ".join(words[start:c]))
        start = c
    return out


def squash(text: str) -> str:
    """Label text without any whitespace, for keyword matching across broken lines."""
    return "".join(text.split())


_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = re.compile(r"[零〇○一二两三四五六七八九十百千]+")
_CN_CELL = re.compile(r"(?:^|(?<=\t))[^\S\t]*[零〇○一二两三四五六七八九十百千]+[^\S\t]*(?=\t|$)")  # a whole cell of numerals
_CN_ROW_MIN = 3  # whole cells of Chinese numerals in one tabbed line that make it a row of numbers


def chinese_int(text: str) -> int | None:
    """三 -> 3, 十二 -> 12, 二十五 -> 25, 一百零三 -> 103, 零 -> 0; None when not such a numeral."""
    if not _CN_NUMERAL.fullmatch(text):
        return None
    total, digit, last_unit = 0, None, 10**9
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0:
                return None  # two digits in a row (二三) is not a numeral of this kind
            digit = _CN_DIGITS[ch] if _CN_DIGITS[ch] else digit
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def arabic_cells(line: str) -> str:
    """A tabbed row whose cells are written as Chinese numerals (三, 十二, 零), with digits instead.

    Some bodies fill tables 3 and 4 in words.  Only whole cells are converted, and only in a
    line with several of them: a numeral inside a label (三安全一稳定, 第三方) stays text."""
    if line.count("\t") < _CN_ROW_MIN - 1 or len(_CN_CELL.findall(line)) < _CN_ROW_MIN:
        return line  # (most lines: checked at C speed before any cell is looked at)
    cells = line.split("\t")
    if len(cells) < _CN_ROW_MIN:
        return line
    values = [chinese_int(c.strip()) if c.strip() else None for c in cells]
    if sum(v is not None for v in values) < _CN_ROW_MIN:
        return line
    return "\t".join(str(v) if v is not None else c for c, v in zip(cells, values, strict=True))


_LETTER_ROW_MIN = 3  # value cells (numbers and lone letters) that make a line a row of numbers


def letter_zeros(line: str) -> str:
    """A table row whose zeros are typed as the letter O/o/Ｏ, with each such cell a zero.

    Only a cell that is one letter alone, among the row's values after its label: numbers (or
    such letters) in three cells or more.  A letter in a label, a word, or a line of text without
    numbers stays text."""
    if not any(ch in line for ch in ZERO_LETTERS):
        return line  # (most lines)
    cells = split_cells(line)
    if cells is not None:
        parts = line.split("\t") if "\t" in line else None
        if parts is None:
            return line  # a markdown row: left as it is
        kinds = [_cell_kind(p) for p in parts]
    else:
        parts = re.split(r"([ \u3000\xa0]+)", line)
        kinds = [_cell_kind(p) if p.strip() else "" for p in parts]
        kinds = [k if p.strip() else "space" for p, k in zip(parts, kinds, strict=True)]
    filled = [k for k in kinds if k not in ("", "space")]
    # the row's values: the cells after its last label (text that is neither number nor letter)
    last_label = max((i for i, k in enumerate(kinds) if k == "label"), default=-1)
    after = [k for k in kinds[last_label + 1 :] if k in ("number", "letter")]
    if "letter" not in after or len(after) < _LETTER_ROW_MIN or not filled:
        return line
    out = [p.replace(p.strip(), LETTER_MARKS[p.strip()]) if i > last_label and k == "letter" else p
           for i, (p, k) in enumerate(zip(parts, kinds, strict=True))]
    return ("\t" if cells is not None else "").join(out)


def _cell_kind(text: str) -> str:
    t = text.strip()
    if not t:
        return ""
    if t in ZERO_LETTERS:
        return "letter"
    return "number" if value_cell(t) is not None else "label"


def drop_remarks(lines: list[str]) -> list[str]:
    """Tabbed rows without their 备注 cell, when the table has a 备注 column.

    A remark such as 含网上申请3件 or 已告知向2个部门申请 sits after the row's numbers; its digits
    would be read as one more cell and the row dropped as too long.  Only text cells after the
    last number of a row are dropped, and only under a header that names a 备注 column."""
    if not any("备注" in line and "备注" in {c.strip() for c in line.split("\t")} for line in lines):
        return lines
    out = []
    for line in lines:
        cells = line.split("\t")
        filled = [i for i, c in enumerate(cells) if c.strip()]
        if len(cells) > 2 and filled and value_cell(cells[filled[-1]]) is None:
            numbers = [i for i in filled[:-1] if value_cell(cells[i]) is not None]
            if numbers and numbers[-1] == filled[-2]:
                line = "\t".join(cells[: filled[-1]])
        out.append(line)
    return out
