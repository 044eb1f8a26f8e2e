"""What a spreadsheet cell shows: its value as the sheet displays it, or nothing when it is unseen.

Two things stand between a stored value and what a reader of the sheet sees:

- Unseen cells.  An old draft kept above the real table in white font on no fill (or the font in
  the colour of the cell's fill), a cell struck through (a withdrawn figure), a number format of
  ``;;;`` (Excel's way to hide a value): the sheet shows nothing there, on screen or on paper, so
  nothing is read, as Word's hidden runs (formats/docxhidden.py) and HTML's hidden text.  White
  font on a dark fill is seen.  A patterned fill leaves the ground unknown: its text is read.
- Float noise.  A calculated cell stores the binary value (5432.15+0.03 is 5432.179999999999…); Excel
  shows at most 15 significant digits, and a number format fixing the decimals (``0.00``,
  ``#,##0.0``) rounds to them: the sheet prints 5432.18, and the record holds what is printed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SAME = 16  # colour channels this close: no reader tells the text from the ground (as htmlhidden)
_WHITE = (255, 255, 255)
_UNKNOWN = "unknown"
Colour = tuple[int, int, int]
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# a number format's first section, what it shows of the decimals: literals, padding, colours gone
_FMT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_FIXED = re.compile(r"[#,0]*0?(?:\.([0#]+))?")


def _same(a: Colour, b: Colour) -> bool:
    return all(abs(x - y) <= _SAME for x, y in zip(a, b, strict=True))


def _hex(value: str | None) -> Colour | None:
    """RRGGBB or AARRGGBB (the alpha byte is not used by Excel) as a Colour."""
    if not value or len(value) not in (6, 8):
        return None
    try:
        v = int(value[-6:], 16)
    except ValueError:
        return None
    return (v >> 16) & 255, (v >> 8) & 255, v & 255


def shown_number(value: float, fmt: str | None) -> float:
    """A float as the cell displays it: 15 significant digits, rounded to the decimals a plain
    number format fixes (General and any other format: the 15 digits only)."""
    try:
        d = Decimal(f"{value:.15g}")
    except InvalidOperation:  # inf/nan: not a number a report prints
        return value
    if fmt and fmt != "General":
        m = _FIXED.fullmatch(_FMT_NOISE.sub("", fmt.split(";", 1)[0]).strip())
        if m and m.group(0):
            d = d.quantize(Decimal(1).scaleb(-len(m.group(1) or "")), rounding=ROUND_HALF_UP)
    return float(d)


def hides_value(fmt: str | None) -> bool:
    """A number format whose sections all show nothing (``;;;``)."""
    return bool(fmt) and fmt.count(";") >= 2 and not _FMT_NOISE.sub("", fmt).replace(";", "").strip()


class XlsxLook:
    """Whether an openpyxl cell is seen, from its font, fill and number format."""

    def __init__(self, wb) -> None:
        self.theme = _theme_palette(getattr(wb, "loaded_theme", None))
        self.restyled: list = []

    def sheet(self, ws) -> XlsxLook:
        """Ready for ``ws``: the ranges an Excel table or a conditional format may fill (their fill
        is not the cell's own, so the ground of a white font there is not known)."""
        from openpyxl.worksheet.cell_range import CellRange

        self.restyled = []
        for ref in [t.ref for t in getattr(ws, "tables", {}).values()] + \
                [str(cf.sqref) for cf in getattr(ws, "conditional_formatting", [])]:
            for part in str(ref).split():
                try:
                    self.restyled.append(CellRange(part))
                except (ValueError, TypeError):
                    continue
        return self

    def _colour(self, c) -> Colour | None:
        """An openpyxl Color as RGB; None for automatic or what cannot be told."""
        if c is None:
            return None
        kind = getattr(c, "type", None)
        if kind == "rgb":
            return _hex(c.rgb if isinstance(c.rgb, str) else None)
        if kind == "indexed":
            from openpyxl.styles.colors import COLOR_INDEX

            return _hex(COLOR_INDEX[c.indexed]) if isinstance(c.indexed, int) and c.indexed < len(COLOR_INDEX) else None
        if kind == "theme" and isinstance(c.theme, int) and c.theme < len(self.theme):
            return _tinted(self.theme[c.theme], c.tint or 0.0)
        return None

    def unseen(self, cell) -> bool:
        """Whether nothing of the cell is seen (a cell of rich text: its runs decide, shown_text)."""
        if hides_value(cell.number_format):
            return True
        return not _rich(cell.value) and self._unseen_font(cell.font, cell)

    def shown_text(self, cell) -> str:
        """A rich-text cell's text as the sheet shows it: the runs that are seen.  A run with its
        own font (``<r><rPr>``) is drawn in that font alone, as Excel draws it; a run without one
        in the cell's font.  A clerk keeps last year's figure as a white or struck run after this
        year's in the same cell: read whole it would glue the two (16041617)."""
        out = []
        for part in cell.value:
            font = getattr(part, "font", None)
            if not self._unseen_font(cell.font if font is None else font, cell):
                out.append(str(part.text) if font is not None else str(part))
        return "".join(out)

    def _unseen_font(self, font, cell) -> bool:
        """Whether text in ``font`` is unseen in ``cell``: struck through, or in the colour of the
        cell's fill (the paper when it has none)."""
        if font is None:
            return False
        if font.strike:
            return True
        colour = self._colour(font.color)
        if colour is None:
            return False
        if any(cell.coordinate in r for r in self.restyled):
            return False
        fill = cell.fill
        if getattr(fill, "tagname", None) != "patternFill":
            return False  # a gradient: no one colour lies under the text
        kind = fill.patternType
        if kind in (None, "none"):
            ground: object = _WHITE
        elif kind == "solid":
            ground = self._colour(fill.fgColor) or _UNKNOWN
        else:
            ground = _UNKNOWN
        return isinstance(ground, tuple) and _same(colour, ground)


def _rich(value) -> bool:
    """Whether a cell value is rich text (openpyxl's CellRichText: a list of runs)."""
    return isinstance(value, list)


def _tinted(rgb: Colour, tint: float) -> Colour:
    """A theme colour lightened (tint > 0) or darkened (tint < 0), channel by channel."""
    if tint < 0:
        return tuple(round(x * (1 + tint)) for x in rgb)  # type: ignore[return-value]
    return tuple(round(x + (255 - x) * tint) for x in rgb)  # type: ignore[return-value]


def _theme_palette(theme: bytes | None) -> list[Colour]:
    """The theme's colours in SpreadsheetML's index order (lt1, dk1, lt2, dk2, accents, links);
    without a theme, Office's light and dark."""
    default = [_WHITE, (0, 0, 0), (238, 236, 225), (31, 73, 125)]
    if not theme:
        return default
    try:
        import lxml.etree

        root = lxml.etree.fromstring(theme, lxml.etree.XMLParser(resolve_entities=False))
        scheme = root.find(f".//{_A}clrScheme")
        colours = []
        for slot in scheme:
            el = next(iter(slot), None)
            value = None if el is None else el.get("lastClr") if el.tag == f"{_A}sysClr" else el.get("val")
            colours.append(_hex(value) or (0, 0, 0))
    except Exception:  # noqa: BLE001 - a theme that cannot be read: Office's own colours
        return default
    if len(colours) < 4:
        return default
    colours[0], colours[1], colours[2], colours[3] = colours[1], colours[0], colours[3], colours[2]
    return colours


class XlsLook:
    """As XlsxLook, for an XLS sheet opened by xlrd with its formatting records."""

    def __init__(self, book) -> None:
        self.book = book
        self._unseen: dict[int, bool] = {}  # by XF record: a sheet's cells share a handful

    def xf(self, sheet, r: int, c: int):
        try:
            return self.book.xf_list[sheet.cell_xf_index(r, c)]
        except (IndexError, AttributeError):
            return None

    def fmt(self, xf) -> str | None:
        fmt = self.book.format_map.get(xf.format_key) if xf is not None else None
        return fmt.format_str if fmt is not None else None

    def unseen(self, xf) -> bool:
        if xf is None:
            return False
        if id(xf) not in self._unseen:
            self._unseen[id(xf)] = self._unseen_xf(xf)
        return self._unseen[id(xf)]

    def _unseen_xf(self, xf) -> bool:
        if hides_value(self.fmt(xf)):
            return True
        return self._unseen_font(xf.font_index, xf)

    def shown_text(self, sheet, r: int, c: int, text: str, xf) -> str:
        """A rich-text cell's text as the sheet shows it (as XlsxLook.shown_text): the SST's
        formatting runs, each ``(offset, font index)``; the text before the first in the cell's
        own font."""
        runs = sheet.rich_text_runlist_map.get((r, c)) if xf is not None else None
        if not runs:
            return text
        bounds = [(0, xf.font_index), *runs]
        out = []
        for n, (start, font) in enumerate(bounds):
            end = bounds[n + 1][0] if n + 1 < len(bounds) else len(text)
            if end > start and not self._unseen_font(font, xf):
                out.append(text[start:end])
        return "".join(out)

    def _unseen_font(self, font_index: int, xf) -> bool:
        font = self.book.font_list[font_index] if font_index < len(self.book.font_list) else None
        if font is None:
            return False
        if font.struck_out:
            return True
        colour = self.book.colour_map.get(font.colour_index)
        if colour is None:
            return False
        bg = xf.background
        if bg.fill_pattern == 0:
            ground: object = _WHITE
        elif bg.fill_pattern == 1:
            ground = self.book.colour_map.get(bg.pattern_colour_index) or _UNKNOWN
        else:
            ground = _UNKNOWN
        return isinstance(ground, tuple) and _same(tuple(colour), ground)
