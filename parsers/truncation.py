"""Documents that end early: bytes cut off before the report does (a download that stopped, a
close-delimited HTTP body the connection cut, a damaged copy).

A document whose bytes stop inside a table cannot prove that its last number is whole: a page cut
after `<td>15` of a cell printing 1520 reads as 15.  lxml (like a browser) closes the open cell,
row and table without a word, so the cut is judged here on the raw text, by where it ends: inside a
table's markup (an open `<table>` with no `</body>`/`</html>` after it, the last table tag not a
`</table>` that closes it).  Then

* the number at the cut (digits the text ends with, in the open cell) becomes EOF_CUT, a dash to the
  core parser, so its cell is null;
* the cells of the row at the cut the bytes never reached (`_pad_row`) are EOF_CUT too, never blanks
  a note could make 0;
* the extractor appends a CUT_NOTE line quoting what is printed last; `extract.parse_extracted`
  takes it out and `truncfinding.add` turns it into a `truncated` finding (and says the tables the
  document never reached are missing because it is cut, not because they were not printed).  That
  part lives apart: the extractors import this module, and the extraction cache's fingerprint
  follows their imports, not the core parser's (archive/extract_cache.py).

A page that merely lacks `</html>` after a complete table, or one whose author left a table open
and went on (`</body>` follows), is no cut.  Plain text shows no markup: only a UTF-8 character
cut in half at its very end (`utf8_tail`, dropped) proves a cut, and then a number its last row ends
in is cut the same way (`text_cut`).  PDFs are judged by `formats/pdf.py` (no `%%EOF`, pages
missing); DOCX/XLSX cut anywhere do not open as zips (a clear error already).
"""

from __future__ import annotations

import re

# U+FE32 PRESENTATION FORM FOR VERTICAL EN DASH: NFKC "–", a null marker to the core parser; its own
# character, so the finding can say the number was cut by the document's end (pdfcut.CUT_OFF is the
# page edge's, tokens.OCR_UNSURE the OCR's)
EOF_CUT = "\ufe32"
# a line the extractor appends saying where the document ends (like limits.SKIP_MARK; the NUL keeps
# it from colliding with document text)
CUT_NOTE = "\x00nianbao-truncated: "

_TABLE_TAG = re.compile(r"<(/?)(table|tbody|thead|tfoot|tr|td|th)\b[^>]*>", re.I)
_END_TAG = re.compile(r"</(?:body|html)\s*>", re.I)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.S | re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_TRAILING_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，.．]*$")
_COLSPAN = re.compile(r"colspan\s*=\s*[\"']?\s*(\d+)", re.I)
_ENTITY_TAIL = re.compile(r"&[#a-zA-Z0-9]{0,8}$")
_QUOTE = 40  # characters of the printed text quoted before the cut


def utf8_tail(data: bytes) -> tuple[bytes, bool]:
    """(bytes, cut): a UTF-8 text whose only flaw is a character cut in half at its very end loses
    that half character (it is no character of the document), and says it was cut."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            try:
                data[: err.start].decode("utf-8")
            except UnicodeDecodeError:
                return data, False
            return data[: err.start], True
    return data, False


def note(quote: str, where: str) -> str:
    """The extractor's line saying the document ends inside a table, quoting what is printed last."""
    return CUT_NOTE + f"{where}\t{quote}"


def split_note(text: str) -> tuple[str, dict[str, str] | None]:
    """(text without the cut line, {"where", "quote"} or None)."""
    if CUT_NOTE not in text:
        return text, None
    kept, cut = [], None
    for line in text.split("\n"):
        if line.startswith(CUT_NOTE):
            where, _, quote = line[len(CUT_NOTE):].partition("\t")
            cut = {"where": where, "quote": quote}
        else:
            kept.append(line)
    return "\n".join(kept), cut


def _visible(markup: str) -> str:
    return " ".join(_ANY_TAG.sub(" ", markup).replace("&nbsp;", " ").split())


def html_cut(text: str) -> tuple[str, int, str] | None:
    """Where a page's text ends inside a table: (text with the number at the cut marked, the columns
    the row's last cell spans when the row at the cut is open (its later cells never arrived) else 0,
    the printed text before the cut), or None when the page does not end inside a table."""
    end = len(text.rstrip())
    if _END_TAG.search(text, max(0, end - 4096)):  # the usual page: it ends with </body> or </html>
        return None
    body = text[:end]
    lt = body.rfind("<")
    if lt > body.rfind(">"):  # the bytes end inside a tag: it was never written
        body = body[:lt]
    plain = _SCRIPT.sub(lambda m: " " * len(m.group(0)), _COMMENT.sub(lambda m: " " * len(m.group(0)), body))
    depth, last, cell = 0, None, None
    for m in _TABLE_TAG.finditer(plain):
        if m.group(2).lower() == "table":
            depth += -1 if m.group(1) else 1
            if depth == 0:
                last = None
                continue
        elif m.group(2).lower() in ("td", "th") and not m.group(1):
            cell = m
        last = m
    if depth <= 0 or last is None or _END_TAG.search(plain, last.end()):
        return None
    row_open = last.group(2).lower() in ("td", "th")
    span = _COLSPAN.search(cell.group(0)) if cell is not None else None
    span = (min(int(span.group(1)), 200) if span else 1) if row_open else 0
    stripped = _ENTITY_TAIL.sub("", body)  # `&nbs`: an entity the cut broke
    cell_text = _visible(stripped[last.end():]) if not last.group(1) and row_open else ""
    marked = stripped
    m = _TRAILING_NUMBER.search(stripped) if cell_text else None
    if m is not None:  # the digits the bytes end with, in the open cell: not provably whole
        marked = stripped[: m.start()] + EOF_CUT
    quote = _visible(body[max(0, len(body) - 2000):])[-_QUOTE:]
    return marked, span, quote


def pad_row(lines: list[str], span: int = 1) -> list[str]:
    """The row at the cut (the last tab line): its cells after the last one printed (and the columns
    that cell spans, `span`) never arrived, so they are EOF_CUT (null), not blanks a note could read
    as 0."""
    if not lines or "\t" not in lines[-1]:
        return lines
    cells = lines[-1].split("\t")
    last = max((i for i, c in enumerate(cells) if c.strip()), default=-1) + max(span, 1) - 1
    if last < 1 or last >= len(cells) - 1:
        return lines
    return [*lines[:-1], "\t".join(cells[: last + 1] + [EOF_CUT] * (len(cells) - last - 1))]


def text_cut(text: str) -> tuple[str, str, str]:
    """A plain text known to be cut (`utf8_tail` found half a character at its end): (text with the
    number it ends in marked, the quote, "table" when its last line is a row of a table (a number
    standing apart from a label: a tab row, a markdown row, a layout dump's spaced row) else "end").

    A text that stops at a line or character boundary shows no sign of it (plain text has no closing
    markup, and complete dumps do end on table 4's row with no newline), so it is read as printed."""
    quote = " ".join(text[-400:].split())[-_QUOTE:]
    last = text.rsplit("\n", 1)[-1]
    m = _TRAILING_NUMBER.search(last)
    if m is None or not last[: m.start()].strip() or last[m.start() - 1] not in "\t| \u3000":
        return text, quote, "end"
    return text[: len(text) - len(last) + m.start()] + EOF_CUT, quote, "table"
