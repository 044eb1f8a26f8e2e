"""Pages whose elements nest deeper than the HTML walker can follow.

A page generator that wraps every block in one more table (or div) can put a report 300 tables
deep: libxml2 stops parsing at 256 levels unless asked for more (the rest of the page was lost
and the report read as "no text found"), and the walker, which recurses once a level, runs out
of Python's stack a few hundred levels further.  Real pages nest < 40 deep.  The parser is
asked for libxml2's largest depth (2048), and a page deeper still is parsed again with its runs
of repeated wrapper tags written once (`collapsed`); a chain of wrappers holding one element each is then
cut out below a container (a cell, a div), which keeps the text and the tables inside it.  What
stays too deep, or what libxml2 could not parse, is left out with a note saying so (the page's
"skipped"), so a report that is lost says why instead of "no text found".
"""

from __future__ import annotations

import re

import lxml.etree

_CHAINS = 100  # wrapper chains cut out of one page (a page with more is read to MAX_DEPTH only)
MAX_DEPTH = 200  # element levels the walker follows (a few recursive calls each: far below Python's limit)
_STRUCTURE = frozenset({"table", "tbody", "thead", "tfoot", "tr"})  # they hold cells, not content


_AT_LIMIT = lxml.etree.XPath("/*" * MAX_DEPTH)  # the elements MAX_DEPTH deep, found by libxml2 (a page's cost: ~1 ms)


def _depth(root) -> int:
    """The tree's depth, without recursion (for the note only: slower than _AT_LIMIT)."""
    depth = most = 0
    for event, _el in lxml.etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        most = max(most, depth)
    return most


def _blank(text: str | None) -> bool:
    return not text or not text.strip()


def _chain_end(el):
    """The first element under `el` that is more than a wrapper: wrappers hold exactly one element
    and no text of their own."""
    cur = el
    while len(cur) == 1 and _blank(cur.text) and _blank(cur[0].tail) and isinstance(cur[0].tag, str):
        cur = cur[0]
    return cur


_OPEN_RUN = re.compile(r"((?:<[a-zA-Z][^<>]*>\s*){1,4}?)\1+")  # the same 1-4 opening tags, again and again
_CLOSE_RUN = re.compile(r"((?:</[a-zA-Z][^<>]*>\s*){1,4}?)\1+")


def too_deep(parser: lxml.etree.HTMLParser) -> bool:
    """Whether libxml2 stopped its last parse at its depth limit (the rest of the page unparsed)."""
    return any("Excessive depth" in str(e) for e in parser.error_log)


def collapsed(markup: str) -> str:
    """The markup with each run of the same opening tags (a generator's `<div>` x 20,000, or
    `<table><tr><td>` x 300) kept once, and each run of the same closing tags once: the text is
    all kept, and wrappers opened and closed in equal runs stay balanced.  Only for a page libxml2
    could not parse whole, which would otherwise lose all that lies past 2048 levels."""
    return _CLOSE_RUN.sub(r"\1", _OPEN_RUN.sub(r"\1", markup))


def shallow(root, parser: lxml.etree.HTMLParser) -> list[str]:
    """Make a tree deeper than MAX_DEPTH walkable (in place): wrapper chains cut out, then what still
    lies deeper dropped.  Returns notes of what was not read (the reader's "skipped"), also when
    libxml2 stopped at its own depth limit and the page past that point was never parsed."""
    notes = []
    if too_deep(parser):
        notes.append("HTML page nests its elements over 2048 deep: what follows that point could not be parsed")
    for _ in range(_CHAINS):
        deep = _AT_LIMIT(root)
        if not deep:
            return notes
        # cut from half the limit down: what the chain holds keeps room for its own levels
        el = list(deep[0].iterancestors())[MAX_DEPTH // 2 - 1]
        while el.getparent() is not None and (not isinstance(el.tag, str) or el.tag.lower() in _STRUCTURE):
            el = el.getparent()  # a cell or a block: content may stand in it
        end = _chain_end(el)
        if end is el:
            break
        for child in list(el):
            el.remove(child)
        el.text = end.text
        el.extend(list(end))
    deep = _AT_LIMIT(root)
    if deep:
        most = _depth(root)
        for el in deep:
            _drop(el)
        notes.append(f"HTML page nests its elements {most} deep: what lies over {MAX_DEPTH - 1} levels deep was not read")
    return notes


def _drop(el) -> None:
    """Remove an element and what it holds, keeping the text that follows it (its tail)."""
    parent, prev = el.getparent(), el.getprevious()
    if el.tail and prev is not None:
        prev.tail = (prev.tail or "") + el.tail
    elif el.tail:
        parent.text = (parent.text or "") + el.tail
    parent.remove(el)
