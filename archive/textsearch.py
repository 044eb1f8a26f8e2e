"""Chinese full-text search that also finds 2-character words.

SQLite 3.40's trigram tokenizer matches nothing for queries under 3 characters, and
Chinese words are often 2 (公开, 复议, 诉讼).  So the narrative is also indexed as
overlapping character bigrams ("依申请公开" -> "依申 申请 请公 公开") with FTS5's default
tokenizer, and a query is turned into a phrase of its bigrams: consecutive bigram tokens
match exactly where the query is a substring of the text.
"""

from __future__ import annotations

import re

# runs of CJK ideographs (incl. 〇) vs runs of ASCII letters/digits
_TOKEN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")


def _fold(text: str) -> str:
    """Full-width ASCII to half-width, so "２０２４" finds "2024"."""
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


def _pairs(run: str) -> list[str]:
    if run[0].isascii():
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def bigrams(text: str | None) -> str:
    """Index form of a text: space-separated bigrams of each CJK run, ASCII words as they are."""
    if not text:
        return ""
    out: list[str] = []
    for m in _TOKEN.finditer(_fold(text)):
        out += _pairs(m.group(0))
    return " ".join(out)


def bigram_query(q: str | None) -> str:
    """FTS5 MATCH expression for a user query: each term a phrase of its bigrams, terms ANDed.

    A single CJK character becomes a prefix query (年 -> 年*) — it finds the character at the
    start of any bigram, i.e. everywhere except as the last character of a run.
    """
    terms: list[str] = []
    for m in _TOKEN.finditer(_fold(q or "")):
        run = m.group(0)
        pairs = _pairs(run)
        if len(pairs) == 1 and len(pairs[0]) == 1 and not pairs[0].isascii():
            terms.append(f'"{pairs[0]}"*')
        else:
            terms.append('"' + " ".join(pairs) + '"')
    # a query with no searchable characters must match nothing, not raise a syntax error
    return " AND ".join(terms) if terms else '""'


def terms(q: str | None) -> list[str]:
    """The words of a query as they are matched (full-width folded, ASCII lower-cased)."""
    return [m.group(0).lower() for m in _TOKEN.finditer(_fold(q or ""))]


def spans(text: str | None, q: str | None) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of every query word in `text`, in order, not overlapping."""
    if not text:
        return []
    hay = _fold(text).lower()  # same length as text: folding and lower() map one character to one
    found = []
    for t in set(terms(q)):
        start = hay.find(t)
        while start >= 0:
            found.append((start, start + len(t)))
            start = hay.find(t, start + len(t))
    out: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def context(text: str | None, q: str | None, width: int = 160) -> str:
    """About `width` characters of `text` around the first match of any query word (several
    words: the first place one of them occurs), with … where the text was cut."""
    if not text:
        return ""
    found = spans(text, q)
    first = found[0][0] if found else 0
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
