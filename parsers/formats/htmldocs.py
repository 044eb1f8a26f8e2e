"""A file holding several whole HTML documents one after another (an article's pages saved and
pasted into one file): lxml reads only the first, so the rest of the report would be lost.

`documents(text)` cuts the text where a new document begins: a doctype or an <html> tag right after an
</html> (only blanks and comments between: an </html> inside a script's string, followed by more of the
page, is no document's end).  Each is read as a page of its own and the pages' texts joined
(parsers/pagejoin.py), as the re-parse joins an article's archived pages.
"""

from __future__ import annotations

import re

_END = re.compile(r"</html\s*>", re.I)
_NEXT = re.compile(r"(?:\s|<!--.*?-->)*(<!doctype\b|<html[\s>])", re.I | re.S)


def documents(text: str) -> list[str]:
    """The documents of the text in order; the whole text (one item) when it holds one."""
    out, at, search = [], 0, 0
    while (end := _END.search(text, search)) is not None:
        search = end.end()
        nxt = _NEXT.match(text, end.end())
        if nxt is None:
            continue
        out.append(text[at:nxt.start(1)])
        at = nxt.start(1)
    return [*out, text[at:]] if out else [text]
