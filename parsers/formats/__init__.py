"""Format extractors: each turns the bytes of one document format into plain text.

The text contract (what ``parsers.parse_text`` receives from every extractor):

* Paragraphs are lines, in reading order.  Blank lines between blocks are allowed and
  carry no meaning.
* Every table row is ONE line: its cells joined by ``\\t``.  Rows are normalised to the
  table grid, so every row of a table has the same number of cells.
* An empty cell is an empty string between tabs (``"3\\t\\t0"``): a blank is never
  turned into ``0``; ``—`` and ``/`` are passed through as printed.
* A merged cell (HTML rowspan/colspan, DOCX gridSpan/vMerge, spreadsheet merges) puts
  its text in the FIRST grid position it covers (top-left); every other position it
  covers is an empty string.  Text is never repeated.
* Cell text is one line: line breaks inside a cell are removed (joined without a space
  between CJK characters, with one space otherwise); tabs inside a cell become spaces.
* Numbers are passed through as printed (full-width digits, thousands separators and
  all); normalising them is the core parser's job.
* Layout tables (a table whose cells hold other tables, common on portals) are not
  rows: their cells are walked as ordinary content, so the inner data table comes out
  as rows.  A table split over several ``<table>`` elements or pages simply yields
  consecutive row lines.
* DOCX (and DOC/WPS, which go through DOCX) rows have one entry per Word cell: a
  gridSpan cell is one entry (not expanded over grid columns, because Word grids are
  irregular and expansion invents empty cells inside number rows); a vMerge
  continuation is an empty string.
* PDF is the exception to grid normalisation: PDF tables are rebuilt from ruling lines,
  and a table drawn in pieces yields a union grid with phantom columns.  So in PDF rows
  merge-covered positions are kept (as "") only to the LEFT of a row's first real
  cell (rowspan label columns) and dropped after it; real blank cells stay "".  Rows of
  one PDF table may therefore differ in length; cell order is always preserved.  Two
  ruled tables are written on their grid positions instead, as HTML is: a table 3 with
  blank cells under its applicant header (pdfappgrid) and a table 4 in another shape than
  the template's 15 columns (pdft4grid), where which columns a merged header cell covers
  is what places the numbers.
* OCR output (images, image-only PDFs): ruled tables are found from the drawn lines
  (imagegrid.py) and read cell by cell, so their rows follow the PDF rule above, blanks
  included.  A page without ruling lines falls back to grouping text boxes by visual line,
  left to right, joined by ``\\t``; there a blank cell has no box, so rows may be short.

Each module exposes ``extract(data: bytes) -> str`` and raises ``parsers.ParseError``
with a short human reason when the bytes cannot be read.
"""

from __future__ import annotations

import re

# (the space first, the character before it looked back at from after it: a pattern opening with
# a literal is found by a fast scan, one opening with a look-behind is tried at every position)
_CJK_GAP = re.compile(r" (?<=[\u3000-\u9fff\uff00-\uffef] )(?=[\u3000-\u9fff\uff00-\uffef])")


def clean_cell(text: str) -> str:
    """One-line cell text: whitespace collapsed, no spaces left between CJK characters."""
    text = " ".join(text.split())  # (as clean_line)
    return _CJK_GAP.sub("", text) if " " in text else text


def clean_line(text: str) -> str:
    """One paragraph line: inner whitespace runs collapsed, ends stripped.

    (str.split and strip know whitespace as the regex \\s does, U+00A0 and U+3000 included: the
    words joined by one space are the text with each run collapsed and its ends stripped.)"""
    return " ".join(text.split())


def grid_lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """Lay out rows of (text, rowspan, colspan) cells on a grid and return tab lines.

    Shared by the HTML and DOCX extractors so both follow the merge rule above.
    """
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = text
            c += max(colspan, 1)
        width = max(width, c)
    lines = []
    for r in range(len(rows)):
        cells = [grid.get((r, c), "") for c in range(width)]
        if any(cells):
            lines.append("\t".join(cells))
    return lines

