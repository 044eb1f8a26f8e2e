"""One report spread over several archived files, read as one text.

Small bodies publish a report as a page whose narrative is HTML and whose tables are pictures
in the article (WPS pastes, screenshots), as four scanned page images, as a page that links a
正文.pdf and a 附表.pdf, or as narrative on the page with the 统计表 in an attached XLS(X).  No
single file then holds the record.  The re-parse (archive/reparse.py `Rebuilder.combined`) joins
the parts' extracted texts, in the order a reader meets them, and parses the join once.

Pictures stand where the archived page shows them: the page's own bytes are the truth of the
order (scans are named by hashes, not by page).  Each part is separated from the next by a
PAGE_BREAK line, so the core parser's page assignment (parsers/pages.py) tells which part every
number was read from; `Joined.source(page)` turns that global page back into (snapshot, page of
that file).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from parsers.htmlattrs import LAZY_SRC  # where a lazy loader keeps the picture (src a placeholder)
from parsers.pages import PAGE_BREAK

SECTIONS = ("overview", "problems", "other")
TABLES = ("active_disclosure", "applications", "reviews_litigation")
MARK = "NIANBAOPART{}END"
_MARK_RE = re.compile(r"NIANBAOPART(\d+)END")
_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def page_tree(html: str) -> lxml.html.HtmlElement | None:
    """The page as the HTML extractor reads it (lxml); None when nothing in it parses."""
    try:  # as UTF-8 bytes: lxml refuses a str that keeps an <?xml encoding=…?> declaration
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None


def url_key(url: str) -> str:
    """URLs compared as a reader's browser would resolve them (percent-escapes and case of the host aside)."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{unquote(parts.path)}?{unquote(parts.query)}"


def picture_src(img: lxml.html.HtmlElement) -> str | None:
    """The picture an <img> shows once loaded: a lazy loader's attribute before src."""
    for name in (*LAZY_SRC, "src"):
        v = (img.get(name) or "").strip()
        if v and not v.startswith("data:"):
            return v
    return None


def page_order(html: str, base_url: str, urls: list[str]) -> list[str]:
    """`urls` in the order the page shows or links them (first <img> or <a href> naming each);
    those the page never names come last, as given."""
    wanted = {url_key(u): u for u in urls}
    named: dict[str, None] = {}
    root = page_tree(html)
    for el in root.iter("img", "a") if root is not None else ():
        ref = picture_src(el) if el.tag == "img" else (el.get("href") or "").strip()
        if ref and (url := wanted.get(url_key(urljoin(base_url, ref)))):
            named.setdefault(url)
    return list(named) + [u for u in urls if u not in named]


def mark_pictures(html: str, base_url: str, pictures: list[str]) -> tuple[bytes, list[str]]:
    """The page as UTF-8 HTML with each of `pictures` shown by an <img> replaced by a marker
    block (MARK.format(i), i its index in `pictures`), and the pictures so placed, in page order."""
    root = page_tree(html)
    if root is None:
        return html.encode("utf-8"), []
    index = {url_key(u): i for i, u in enumerate(pictures)}
    placed: list[str] = []
    for img in list(root.iter("img")):
        src = picture_src(img)
        i = index.get(url_key(urljoin(base_url, src))) if src else None
        if i is None or pictures[i] in placed:
            continue
        placed.append(pictures[i])
        block = lxml.html.Element("div")
        block.text, block.tail = MARK.format(i), img.tail
        img.getparent().replace(img, block)
    for meta in list(root.iter("meta")):  # the page is UTF-8 now, whatever it declared
        if any("charset" in f"{k}={v}".lower() for k, v in meta.attrib.items()):
            meta.drop_tree()
    return b'<meta charset="utf-8">' + lxml.html.tostring(root, encoding="utf-8"), placed


@dataclass
class Joined:
    """A text made of several files' texts, and which file (and page of it) each page came from."""

    lines: list[str] = field(default_factory=list)
    pages: list[tuple[Any, int | None]] = field(default_factory=list)  # global page - 1 -> (snapshot, own page)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def add(self, snap: Any, text: str) -> None:
        """Append one file's text (or a stretch of the page's) as pages of its own."""
        if not text.strip():
            return
        if self.pages:
            self.lines.append(PAGE_BREAK)
        own = text.split("\n")
        many = PAGE_BREAK in own
        page = 1
        self.pages.append((snap, page if many else None))
        for line in own:
            if line == PAGE_BREAK:
                page += 1
                self.pages.append((snap, page))
            self.lines.append(line)

    def add_page(self, snap: Any, text: str, pictures: dict[int, tuple[Any, str]]) -> None:
        """The page's text with each marker replaced by its picture's text (an unread picture: nothing)."""
        stretch: list[str] = []
        for line in text.split("\n"):
            pieces = _MARK_RE.split(line)
            if len(pieces) == 1:
                stretch.append(line)
                continue
            for j, piece in enumerate(pieces):
                if j % 2 == 0:
                    if piece.strip():
                        stretch.append(piece)
                    continue
                self.add(snap, "\n".join(stretch))
                stretch = []
                pic = pictures.get(int(piece))
                if pic:
                    self.add(*pic)
        self.add(snap, "\n".join(stretch))

    def source(self, page: int | None) -> tuple[Any, int | None] | None:
        if page is None or not 1 <= page <= len(self.pages):
            return None
        return self.pages[page - 1]


def completeness(result: Any) -> tuple[int, int]:
    """(numbers read, narrative sections present): what a reader of the record gets."""
    cells = _get(result, "cells") or []
    sections = (_get(result, "record") or {}).get("sections") or {}
    return (sum(c.get("value") is not None and not c.get("inferred") for c in cells),
            sum(bool((sections.get(k) or "").strip()) for k in SECTIONS))


def all_tables(result: Any) -> bool:
    """The three template tables were found (a table not found has no cells at all)."""
    return {c.get("table") for c in _get(result, "cells") or []} >= set(TABLES)


def whole(result: Any) -> bool:
    """Every cell of the three tables read and the three narrative sections present: nothing to add."""
    read, sections = completeness(result)
    return all_tables(result) and read == len(_get(result, "cells") or []) and sections == len(SECTIONS)


def agrees(before: Any, after: Any) -> bool:
    """`after` keeps every number `before` read: joining a part may add numbers, never change one."""
    now = {(c.get("table"), c.get("row"), c.get("col")): c.get("value") for c in _get(after, "cells") or []}
    return all(now.get((c.get("table"), c.get("row"), c.get("col"))) == c.get("value")
               for c in _get(before, "cells") or [] if c.get("value") is not None and not c.get("inferred"))


def place_cells(result: Any, joined: Joined, default: Any) -> None:
    """Give every cell the snapshot (and page of that file) it was read from: `snapshot` and `page`.

    The parser's page is a page of the joined text.  A cell it could not place (a table over two
    scans whose row is not told by its label) takes the file that holds the rest of its table
    when that is one file, else the file most of the table's placed cells came from."""
    cells = _get(result, "cells") or []
    by_table: dict[str, Counter] = {}
    for c in cells:
        src = joined.source(c.get("page"))
        c["snapshot"], c["page"] = (src if src else (None, None))
        if src:
            by_table.setdefault(c.get("table"), Counter())[id(src[0])] += 1
    ids = {id(s): s for s, _ in joined.pages}
    everywhere = Counter(id(c["snapshot"]) for c in cells if c["snapshot"] is not None)
    for c in cells:
        if c["snapshot"] is None:
            counts = by_table.get(c.get("table")) or everywhere
            c["snapshot"] = ids[counts.most_common(1)[0][0]] if counts else default


def _get(result: Any, name: str) -> Any:
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def from_file(result: Any, snap: Any) -> Any:
    """A one-file reading whose cells all come from that file (`snapshot`), page as the parser gave."""
    for c in (_get(result, "cells") or []) if result is not None else []:
        c.setdefault("snapshot", snap)
    return result


def with_sections(tables: Any, donors: list[Any]) -> Any:
    """`tables`' reading with the narrative sections it lacks taken from the donor giving most of
    them (the page's reading first, then the files in page order; a donor of another year is
    not asked).  Numbers are never taken from a donor; identity 6 (narrative vs tables) is
    checked again on the result."""
    record = dict(_get(tables, "record") or {})
    sections = dict(record.get("sections") or {})
    missing = [k for k in SECTIONS if not (sections.get(k) or "").strip()]

    def given(donor: Any) -> dict:
        got = (_get(donor, "record") or {}).get("sections") or {}
        return {k: got[k] for k in missing if (got.get(k) or "").strip()}

    year = record.get("year")
    donors = [d for d in donors if d is not None and d is not tables and given(d)
              and (year is None or (_get(d, "record") or {}).get("year") in (None, year))]
    if not donors:
        return tables
    donor = max(donors, key=lambda d: len(given(d)))  # the first of the best
    sections.update(given(donor))
    record["sections"] = sections
    for key in ("agency", "year"):
        if record.get(key) is None:
            record[key] = (_get(donor, "record") or {}).get(key)
    from parsers.identities import check_narrative

    findings = [f for f in _get(tables, "findings") or [] if str(f.get("identity")) != "6"]
    findings += check_narrative(sections.get("overview") or "", record)
    meta = dict(_get(tables, "meta") or {})
    formats = [(_get(donor, "meta") or {}).get("format"), meta.get("format")]
    meta["format"] = "+".join(dict.fromkeys(f for f in formats if f)) or None
    if isinstance(tables, dict):
        return {**tables, "record": record, "findings": findings, "meta": meta}
    merged = copy.copy(tables)  # a ParseResult, or whatever object a caller's own parser returns
    merged.record, merged.findings, merged.meta = record, findings, meta
    return merged
