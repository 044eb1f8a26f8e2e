"""A file holding several whole HTML documents one after another (an article's pages saved and
pasted into one file): lxml reads only the first, so the rest of the report would be lost.

`documents(text)` cuts the text where a new document begins (a doctype or an <html> tag after an
</html>), so each is read as a page of its own and the pages' texts joined (parsers/pagejoin.py),
as the re-parse joins an article's archived pages.
"""

from __future__ import annotations

import re

_END = re.compile(r"</html\s*>", re.I)
_START = re.compile(r"<!doctype\b|<html[\s>]", re.I)


def documents(text: str) -> list[str]:
    """The documents of the text in order; the whole text (one item) when it holds one."""
    out, at = [], 0
    while (end := _END.search(text, at)) is not None:
        nxt = _START.search(text, end.end())
        if nxt is None:
            break
        out.append(text[at:nxt.start()])
        at = nxt.start()
    return [*out, text[at:]] if out else [text]
