"""HTML pages: paragraphs as lines, data tables as tab rows on the rowspan/colspan grid.

Built on lxml directly (not BeautifulSoup) because the HTML path has a throughput goal
of tens of reports per second per core.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

import lxml.etree
import lxml.html

import parsers.limits as limits
from parsers import truncation
from parsers.errors import ParseError
from parsers.formats import clean_cell, clean_line, htmldepth, htmldocs, pictables
from parsers.formats.htmlhidden import STRUCK, PageRules, Sight, gone, hiding_rules, quirks_mode
from parsers.metadata import mentions_report
from parsers.pagejoin import join_pages
from parsers.tokens import SUBSCRIPT, SUPERSCRIPT
from parsers.traditional import converter, folded

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Inline pictures (src="data:image/png;base64,...") make report pages of tens of MB.
_DATA_URI = re.compile(rb"""(?<=["'(])data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]{256,}""", re.I)

_SKIP = {"script", "style", "noscript", "template", "head", "title", "select", "button", "iframe",
         *STRUCK}
_BLOCK = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl", "center", "form", "caption",
    "tr", "tbody", "thead", "tfoot", "main", "nav", "aside", "figure", "figcaption", "address",
}
# Plain lxml elements: lxml.html's element classes cost a Python-level class lookup per node.
_PARSER = lxml.etree.HTMLParser(huge_tree=True)
_STRING = lxml.etree.XPath("string()")  # what HtmlElement.text_content() evaluates
# charset labels as pages write them -> the codec to read them with (shared with formats/mht.py)
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "utf8": "utf-8", "unicode": "utf-8"}


def decode_html(data: bytes) -> str:
    """Honour a BOM, then <meta charset>, then fall back to UTF-8 / GB18030 detection.

    GBK and GB2312 are read as GB18030 (their superset): pages labelled GB2312 often
    contain GBK-only characters.  A wrong label (UTF-8 bytes under a GBK meta) is
    caught by trying strict decoding first.
    """
    return decode_html_noted(data)[0]


def decode_html_noted(data: bytes) -> tuple[str, list[str]]:
    """(text, notes) of `decode_html`: a page whose lines mix UTF-8 and GBK says so (meta.skipped)."""
    data = truncation.utf8_tail(data)[0]  # a character the cut halved at the end is none of the page's
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    candidates = []
    m = _META_CHARSET.search(data[:4096])
    if m:
        label = m.group(1).decode("ascii", "ignore").lower()
        candidates.append(CHARSET_ALIASES.get(label, label))
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc), []
        except (UnicodeDecodeError, LookupError):
            continue
    if candidates[0] in ("utf-8", "gb18030"):  # no other charset declared: lines of both (formats/text.py)
        from parsers.formats.text import mixed_lines

        mixed = mixed_lines(data)
        if mixed is not None:
            return mixed[0], [mixed[1]]
    return data.decode(candidates[0] if candidates[0] != "utf-8" else "gb18030", errors="replace"), []


def _span(el, attr: str) -> int:
    v = el.get(attr)
    if v is None:
        return 1
    if v.isdecimal():  # the common case, same result as the general path below
        return max(1, min(int(v), 200))
    try:
        return max(1, min(int(re.sub(r"\D", "", el.get(attr, "1")) or 1), 200))
    except ValueError:
        return 1


_RAISED = {"sup": SUPERSCRIPT, "sub": SUBSCRIPT}


def _raised(el, tag: str) -> str:
    return _STRING(el).translate(_RAISED[tag])


# a list whose items are links (a portal's 相关文章 / 栏目 titles, its menus) is navigation: its titles
# name other reports, bodies and years, and a sidebar printed before the article would be read as its title
_LIST_TAGS = {"ul", "ol", "nav", "menu", "dl"}
_NOT_WORDS = re.compile(r"[\d\s\-/:.:：\[\]【】()（）·|｜>＞]+")
_LINKS = lxml.etree.XPath(".//a")


def _link_list(el) -> bool:
    """Whether the list is navigation: two or more links holding nearly all its words (dates aside)."""
    links = _LINKS(el)
    if len(links) < 2 or next(el.iter("table"), None) is not None:
        return False
    words = len(_NOT_WORDS.sub("", _STRING(el)))
    linked = sum(len(_NOT_WORDS.sub("", _STRING(a))) for a in links)
    return words > 0 and linked >= 0.8 * words


_TITLE_CLASS = re.compile(r"title|biaoti", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
# a heading over a portal's list of other articles (相关文章, 热点信息, 推荐阅读 …)
_OTHERS_HEADING = re.compile(r"^(?:相关|热点|热门|推荐|猜你喜欢|最新|友情链接)\S{0,4}\s*[:：]?$")
_SRCDOC_DEPTH = 3  # an <iframe srcdoc> inside a srcdoc inside a srcdoc: deeper is not a page's content
# a page showing no table and less text than this (or a quarter of its hidden text) hides its whole
# article until a script shows it (WeChat's js_content, fade-in templates): then only hidden bits
# this short are left out
_SHOWN_BY_SCRIPT = 200
_STYLES = lxml.etree.XPath("//style")


def _chars(lines: list[str]) -> int:
    return sum(map(_size, lines))


def _size(text: str) -> int:
    """Characters a reader sees (whitespace aside)."""
    return len("".join(text.split()))


def _names_report(text: str) -> bool:
    """Whether a title names a report, in either script: a 繁體 copy's <h1> (政府信息公開工作年度報告) is
    the article's own title as much as a simplified one, and with it the sidebar above it is told apart."""
    return mentions_report(folded(text))


def _sidebar_line(line: str, title: str) -> bool:
    if _OTHERS_HEADING.match(line) or (len(line) <= 12 and _OTHERS_HEADING.match(converter().convert(line))):
        return True  # 相关文章, or 相關文章 / 熱點新聞 on a page converted whole
    return title not in "".join(line.split()) and _names_report(line) and _YEAR.search(line) is not None


def _head_title(root, lines: list[str]) -> tuple[int, str] | None:
    """The <title>'s report name (before its 「_栏目_站点」 tail) and the first line printing it."""
    el = root.find("head/title")
    if el is None:
        return None
    text = "".join(re.split(r"[_|｜]| - ", _STRING(el).strip())[0].split())
    if not (10 <= len(text) <= 80 and _names_report(text) and _YEAR.search(text)):
        return None
    return next(((i, text) for i, s in enumerate(lines) if text in "".join(s.split())), None)


_SCREEN = re.compile(r"^\s*(?:only\s+)?(?:all|screen)\s*$", re.I)


def _on_screen(style) -> bool:
    """A <style media="print"> (or a mobile-only media query) says nothing about the page on screen."""
    media = style.get("media")
    return media is None or not media.strip() or any(_SCREEN.match(m) for m in media.split(","))


def _page_rules(root) -> PageRules:
    info = root.getroottree().docinfo
    return hiding_rules([_STRING(st) for st in _STYLES(root) if _on_screen(st)],
                        quirks_mode(info.doctype, info.public_id, info.system_url))


class _Walker:
    def __init__(self, rules: PageRules | None = None, keep_long_hidden: bool = False) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.pictures: list[str] = []  # data: URIs (decoded only if needed) or linked pictures' src
        self.srcdoc_depth = 0
        self.pre_depth = 0  # inside <pre>: its line breaks are lines, its runs of spaces the columns
        self.notes: list[str] = []  # what was read as no value, for meta.skipped
        self.rules = rules if rules is not None else PageRules()
        self.keep_long_hidden = keep_long_hidden
        self.sight = Sight(self.rules, self.shown_anyway if keep_long_hidden else None)
        # where the article's own title (its <h1>, else a title-classed element) was written: lines
        # above it that name another report are a sidebar's (热点信息, 相关文章), not this page's title
        self.own_title: dict[str, tuple[int, str]] = {}

    def hidden(self, el, tag: str) -> bool:
        """Gone with all inside (display:none, opacity:0, off screen): also a table cell's place."""
        return gone(el, self.rules) and not self.shown_anyway(el)

    def unseen(self, el) -> bool:
        """Its own text unseen and nothing inside seen again (visibility, colour, font size)."""
        return not self.sight.seen(el) and not self.sight.reshown(el)

    def tail(self, el) -> None:
        """The text after an element is its parent's: seen as the parent's own text is."""
        if el.tail and self.sight.seen(el.getparent()):
            self.buf.append(el.tail)

    def shown_anyway(self, el) -> bool:
        """On the second reading of a page whose article a script shows: a hidden block this long is it."""
        return self.keep_long_hidden and _size(_STRING(el)) >= _SHOWN_BY_SCRIPT

    def flush(self) -> None:
        if self.pre_depth:
            self.lines.extend(pre_lines("".join(self.buf)))
            self.buf = []
            return
        line = clean_line("".join(self.buf))
        if line:
            self.lines.append(line)
        self.buf = []

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comment / processing instruction
            if el.tail:
                self.buf.append(el.tail)
            return
        tag = tag.lower()
        if tag == "iframe" and el.get("srcdoc") and self.srcdoc_depth < _SRCDOC_DEPTH:
            # <iframe srcdoc="…escaped HTML…">: the document a reader sees there is part of the page
            self.flush()
            if not self.hidden(el, tag) and not self.unseen(el):
                self.srcdoc(el.get("srcdoc"))
            self.flush()
            self.tail(el)
            return
        if tag in _SKIP or _line_through(el) or (tag in _LIST_TAGS and _link_list(el)) or self.hidden(el, tag) \
                or self.unseen(el):
            self.tail(el)
            return
        seen = self.sight.seen(el)  # else only something inside is seen
        if tag in _RAISED:
            if seen:
                self.buf.append(_raised(el, tag))
        elif tag == "details" and _collapsed(el) and not self.shown_anyway(el):
            self.flush()
            if seen:
                self.buf.append(_summary(el))
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(el)
        elif tag == "img" and _table_sized(el):
            if not seen:
                self.tail(el)
                return
            self.flush()
            self.lines.append(pictables.slot(len(self.pictures)))
            src = el.get("src") or ""
            self.pictures.append(src)
        else:
            block = tag in _BLOCK
            if block:
                self.flush()
                if (tag == "h1" or _TITLE_CLASS.search(el.get("class") or el.get("id") or "")) and self.srcdoc_depth == 0:
                    self.note_title(el, tag)
            self.pre_depth += tag == "pre"
            if el.text and seen:
                self.buf.append(el.text)
            for child in el:
                self.walk(child)
            if block:
                self.flush()
            self.pre_depth -= tag == "pre"
        self.tail(el)

    def note_title(self, el, tag: str) -> None:
        kind = "h1" if tag == "h1" else "class"
        if kind in self.own_title or tag in ("li", "a") or el.getparent() is None:
            return
        text = clean_line(_STRING(el))
        if len(text) <= 80 and _names_report(text) and _YEAR.search(text):
            self.own_title[kind] = (len(self.lines), "".join(text.split()))

    def srcdoc(self, markup: str) -> None:
        """The attribute's value is the framed document (lxml has already unescaped it once)."""
        if not markup.strip():
            return
        try:
            root = lxml.html.document_fromstring(markup, parser=_PARSER)
            if root is not None:
                htmldepth.shallow(root, _PARSER)  # (its notes: a framed document adds no skipped)
        except (lxml.etree.ParserError, ValueError):
            return
        if root is None:
            return
        body = root.find("body")
        self.srcdoc_depth += 1
        outer = self.rules, self.sight
        self.rules = _page_rules(root)  # the framed document's own style blocks
        self.sight = Sight(self.rules, self.shown_anyway if self.keep_long_hidden else None)
        try:
            self.walk(body if body is not None else root)
        finally:
            self.srcdoc_depth -= 1
            self.rules, self.sight = outer

    def table(self, table) -> None:
        rows = [tr for tr in _own_rows(table) if not self.hidden(tr, "tr") and not self.unseen(tr)]
        if _has_nested(table) and any(
            next(cell.iter("table"), None) is not None for tr in rows for cell in _cells(tr)
        ):
            # Layout table: its cells are page regions, not data.
            for tr in rows:
                for cell in self.cells(tr):
                    self.flush()
                    if cell.text and self.sight.seen(cell):
                        self.buf.append(cell.text)
                    for child in cell:
                        self.walk(child)
                    self.flush()
            return
        grid = [[(_cell_text(c, self.hidden, self.notes, self.sight.seen), _span(c, "rowspan"), _span(c, "colspan"))
                 for c in self.cells(tr)]
                for tr in rows]
        caption = table.find("caption")
        if caption is not None:
            self.lines.append(clean_line(_STRING(caption)))
        if _grid_cost(grid) > limits.MAX_GRID_POSITIONS:  # spans would explode the grid: cells as written
            self.lines.extend("\t".join(t for t, _, _ in row) for row in grid if any(t for t, _, _ in row))
            return
        self.lines.extend(_grid_lines(grid))

    def cells(self, tr) -> list:
        """The row's cells in their places: a display:none cell is taken out (the next moves into its
        place, as chromium lays it out); a visibility:hidden one keeps its place, blank."""
        return [c for c in _cells(tr) if not self.hidden(c, c.tag.lower())]


def pre_lines(text: str) -> list[str]:
    """A <pre> block's lines as the browser shows them: each line break a line, the spaces that
    align its columns kept (the text parser reads such lines as a position-preserving dump, as
    pdftotext -layout writes them); blank lines and trailing spaces dropped.  A wide character
    (汉字, full-width forms) takes two columns of the monospace font: each word is moved to the
    column it is shown at, so columns aligned on screen are aligned in the text."""
    out = []
    for piece in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = piece.replace("\xa0", " ")
        line = line if "\t" in line else _shown_columns(line)  # (tabs: cells as typed, kept)
        if line.strip():
            out.append(line.rstrip())
    return out


_PRE_WORD = re.compile(r"\S+")


def _shown_columns(line: str) -> str:
    """The line with each word starting at the column a monospace font shows it at."""
    if line.isascii():
        return line
    out, at, shown, last = [], 0, 0, 0  # characters written, columns shown, where the last word ended
    for m in _PRE_WORD.finditer(line):
        gap = line[last:m.start()]
        shown += _columns(gap)
        pad = max(shown - at, 1 if out else 0) if gap else 0
        out.append(" " * pad + m.group(0))
        at += pad + len(m.group(0))
        shown += _columns(m.group(0))
        last = m.end()
    return "".join(out)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _always(el) -> bool:
    return True


def _line_through(el) -> bool:
    """Struck through by its inline style (Word's and editors' way of writing <del>): withdrawn text."""
    style = el.get("style")
    return style is not None and "line-through" in style.lower()


def _collapsed(details) -> bool:
    """A <details> without `open` shows only its <summary> until the reader opens it."""
    return details.get("open") is None


def _summary(details) -> str:
    return "".join(_STRING(c) for c in details if isinstance(c.tag, str) and c.tag.lower() == "summary")


def _grid_cost(rows: list[list[tuple[str, int, int]]]) -> int:
    """An upper bound on the positions _grid_lines would fill and pad (rows x width + spans)."""
    n, width, cover, spans = len(rows), 0, 0, 0
    for r, row in enumerate(rows):
        w = 0
        for _, rowspan, colspan in row:
            w += colspan
            if rowspan > 1:
                cover += colspan
                spans += min(rowspan, n - r) * colspan
        width = max(width, w)
    return n * (width + cover) + spans


def _has_nested(table) -> bool:
    it = table.iter("table")
    next(it)  # the table itself
    return next(it, None) is not None


def _own_rows(table) -> list:
    """Rows of this table only (through thead/tbody/tfoot), not of nested tables."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        t = child.tag.lower()
        if t == "tr":
            rows.append(child)
        elif t in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag.lower() == "tr")
    return rows


def _cells(tr) -> list:
    return [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def _grid_lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """``parsers.formats.grid_lines`` with per-row sets instead of one (row, col) dict.

    Same merge rule and output (but for a row of one cell across the table); this is the hot loop
    of HTML extraction (table 3 alone has ~200 cells).
    """
    n = len(rows)
    taken: list[set[int]] = [set() for _ in range(n)]  # columns covered by rowspans from above
    texts: list[dict[int, str]] = [{} for _ in range(n)]
    width = 0
    for r, row in enumerate(rows):
        occupied, placed = taken[r], texts[r]
        c = 0
        for text, rowspan, colspan in row:
            while c in occupied:
                c += 1
            placed[c] = text
            step = colspan if colspan > 1 else 1
            if rowspan > 1:
                span = range(c, c + step)
                for dr in range(1, min(rowspan, n - r)):
                    taken[r + dr].update(span)
            c += step
        if c > width:
            width = c
    # a row that is one cell spanning the table's width is that cell's text alone, as a DOCX row of
    # one gridSpan cell and a PDF's merged cell read: blanks after it would make it a first cell
    # beside empty ones (a 无 merged over table 4 is all of it, not its first cell)
    return [
        rows[r][0][0] if len(rows[r]) == 1 and not taken[r] and rows[r][0][2] >= width > 1
        else "\t".join([placed.get(c, "") for c in range(width)])
        for r, placed in enumerate(texts)
        if any(placed.values())
    ]


def _clean_cell(text: str) -> str:
    """clean_cell, skipping its regexes for the usual cell without any whitespace."""
    parts = text.split()
    if len(parts) == 1 and len(parts[0]) == len(text):
        return text
    return clean_cell(text) if parts else ""


_EDGE = "\x01"  # where one element's text ends and another's begins, while a cell is read
# a cell of numbers only, and a gap between two of them that is whitespace at an element's edge
_NUMBERS_ONLY = re.compile(r"[\s\x01]*\d[\d,.]*(?:[\s\x01]+\d[\d,.]*)+[\s\x01]*")
_SPLIT_GAP = re.compile(r"(?<=[\d,.])[\s\x01]*(?:\s\x01|\x01\s)[\s\x01]*(?=\d)")


def _cell_text(cell, hidden, notes: list[str] | None = None, seen=None) -> str:
    """The cell as a browser shows it, one line: without what is gone (`hidden`) and the text that is
    not `seen` (visibility, colour, size).  Two numbers in separate elements with a space or
    a line between them (`<span>350</span> <span>349</span>`, `350<br>349`) are two numbers a
    reader sees apart, never one (350349): such a cell is no value (a note says so)."""
    if seen is None:
        seen = _always
    if len(cell) == 0:  # no child elements: the usual number or label cell
        return _clean_cell(cell.text or "") if seen(cell) else ""
    parts: list[str] = []

    def rec(el) -> None:
        if isinstance(el.tag, str) and (el.tag.lower() in _SKIP or _line_through(el) or hidden(el, el.tag.lower())):
            if el.tail and seen(el.getparent()):
                parts.append(el.tail)
            return
        parts.append(_EDGE)
        mine = seen(el) if isinstance(el.tag, str) else False
        if isinstance(el.tag, str) and el.tag.lower() in _RAISED:
            if mine:
                parts.append(_raised(el, el.tag.lower()))
        elif isinstance(el.tag, str) and el.tag.lower() == "details" and _collapsed(el):
            if mine:
                parts.append(_summary(el))
        elif isinstance(el.tag, str):
            if el.tag.lower() in _BLOCK:
                parts.append("\n")
            if el.text and mine:
                parts.append(el.text)
            for ch in el:
                rec(ch)
        parts.append(_EDGE)
        if el.tail and seen(el.getparent()):
            parts.append(el.tail)

    if cell.text and seen(cell):
        parts.append(cell.text)
    for ch in cell:
        rec(ch)
    text = "".join(parts)
    if _NUMBERS_ONLY.fullmatch(text) and _SPLIT_GAP.search(text):
        if notes is not None:
            notes.append(f"a table cell prints numbers apart ({_clean_cell(text.replace(_EDGE, ' '))}): "
                         "no one number is its value")
        return "—"
    return _clean_cell(text.replace(_EDGE, ""))


def extract(data: bytes) -> str:
    kept: list[bytes] = []  # inline pictures taken out of a page too large to parse with them
    if len(data) > limits.MAX_TEXT_BYTES:  # only then: a normal page is parsed byte for byte as before
        data = _DATA_URI.sub(lambda m: _keep(m.group(0), kept), data)
        limits.check_text_size(data, "HTML page")
    # a NUL is no character of a page (lxml would show it as U+FFFD): dropped, as browsers render it
    text, notes = decode_html_noted(data)
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        raise ParseError("empty HTML document")
    pages = htmldocs.documents(text)  # several whole pages pasted into one file: each read, then joined
    if len(pages) == 1:
        return _extract_page(text, notes, kept)
    return join_pages([_extract_page(page, notes if k == 0 else [], kept) for k, page in enumerate(pages)])


def _extract_page(text: str, notes: list[str], kept: list[bytes]) -> str:
    """One HTML document's text (`notes`: what decoding it noted, for meta.skipped)."""
    cut = truncation.html_cut(text)  # bytes ending inside a table: judged before lxml closes it
    if cut is not None:
        text = cut[0]
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
        if htmldepth.too_deep(_PARSER) and (flat := htmldepth.collapsed(text)) != text:
            root = lxml.html.document_fromstring(flat, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ParseError(f"unreadable HTML ({e})") from None
    notes += htmldepth.shallow(root, _PARSER)
    body = root.find("body")
    rules = _page_rules(root)
    w = _Walker(rules)
    w.walk(body if body is not None else root)
    w.flush()
    if not w.pictures and not any("\t" in s for s in w.lines):
        # no table shown: is the article itself hidden until a script shows it (most of the page's text)?
        # Then it is read, still without its small hidden bits.
        shown = _Walker(rules, keep_long_hidden=True)
        shown.walk(body if body is not None else root)
        shown.flush()
        seen = _chars(w.lines)
        if seen < _SHOWN_BY_SCRIPT or 4 * seen < _chars(shown.lines):
            w = shown
    if cut is not None and cut[1]:
        w.lines = truncation.pad_row(w.lines, cut[1])
    own = w.own_title.get("h1") or w.own_title.get("class") or _head_title(root, w.lines)
    if own:  # what stands above the article's own title and names another report is a sidebar's item
        at, title = own
        w.lines[:at] = [s for s in w.lines[:at] if not _sidebar_line(s, title)]
    lines = pictables.fill(w.lines, lambda n: _data_uri_bytes(_kept(w.pictures[n], kept)))
    ends = [truncation.note(cut[2], "table")] if cut is not None else []
    return "\n".join([*lines, *(limits.skip_note(n) for n in [*notes, *w.notes]), *ends])


_PX = re.compile(r"(width|height)\s*:\s*(\d+)\s*px", re.I)


def _table_sized(img) -> bool:
    """An inline picture (its own bytes tell its size), or a linked one declared table-sized."""
    if (img.get("src") or "")[:11].lower() == "data:image/":
        return True
    size = {k.lower(): int(v) for k, v in _PX.findall(img.get("style") or "")}
    for k in ("width", "height"):
        v = (img.get(k) or "").strip().removesuffix("px")
        if v.isdecimal():
            size.setdefault(k, int(v))
    if not size and pictables.local_pictures() and (img.get("src") or "").strip():
        return True  # a local file's picture beside it: its own bytes tell its size
    return size.get("width", 0) >= pictables.MIN_WIDTH or size.get("height", 0) >= 2 * pictables.MIN_HEIGHT


_KEPT = "data:image/kept;n,"  # stands for kept[n] in a page parsed without its inline pictures


def _keep(uri: bytes, kept: list[bytes]) -> bytes:
    """A short stand-in for an inline picture (a scanned page's PNG is 1-2 MB of base64: an article
    of eight such pages is a 12 MB page whose text is a few hundred bytes); other data: URIs go."""
    if uri[:11].lower() != b"data:image/":
        return b"data:,"
    kept.append(uri)
    return f"{_KEPT}{len(kept) - 1}".encode()


def _kept(src: str, kept: list[bytes]) -> str:
    if src.startswith(_KEPT) and src[len(_KEPT):].isdecimal() and int(src[len(_KEPT):]) < len(kept):
        return kept[int(src[len(_KEPT):])].decode("ascii", "replace")
    return src


def _data_uri_bytes(uri: str) -> bytes | None:
    if uri[:11].lower() != "data:image/":
        return pictables.linked(uri)  # beside a local file, else b"": noted, never fetched
    head, _, payload = uri.partition(",")
    if ";base64" not in head.lower():
        return None
    try:
        return base64.b64decode("".join(payload.split()), validate=False)
    except (binascii.Error, ValueError):
        return None
