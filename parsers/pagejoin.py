"""One article printed over several pages, read as one report: the pages' texts joined in order.

Portals split a long report over `…_1.html`, `…_2.html` pages.  The re-parse (archive/reparse.py
`Rebuilder.article`) extracts each archived page and joins the texts; the HTML extractor does the
same for a file holding several whole pages pasted one after another (formats/htmldocs.py).  Both
join here, so a report reads the same whichever way its pages arrive.  Imports nothing of the
parser: the extractors import it (the extraction cache's fingerprint follows what they import).
"""

from __future__ import annotations


def join_pages(texts: list[str]) -> str:
    """The pages' extracted texts as one text, in page order: each page's lines after the last
    page's (a table cut by a page break continues on the next page's first lines)."""
    return "\n".join(texts)
