"""Chinese full-text search that also finds 2-character words.

SQLite 3.40's trigram tokenizer matches nothing for queries under 3 characters, and
Chinese words are often 2 (公开, 复议, 诉讼).  So the narrative is also indexed as
overlapping character bigrams ("依申请公开" -> "依申 申请 请公 公开") with FTS5's default
tokenizer; letters and digits are indexed as whole words ("2024年度" -> "2024 年度").

What a query means (the canned query `search_narrative` says the same):
- a word is a run of ideographs, letters and digits as typed: "2024年" is one word, found only
  where "2024年" is printed (not wherever 2024 and 年 both occur; a space where the script changes,
  "2024 年", is allowed);
- words separated by spaces or punctuation must all occur in the section; `OR` (or `|`) between
  words gives sections with either side;
- letters and digits at the edge of a word match whole numbers/words ("2024" does not find 12024);
- full-width characters are folded (２０２４ = 2024), Latin letters are case-blind, and a query in
  traditional characters also finds the simplified text (復議 finds 复议).

The FTS index only narrows the candidates (`bigram_query`); `matches` decides, on the text itself,
so a word split across index tokens can never over-match.
"""

from __future__ import annotations

import functools
import re

from parsers.traditional import converter as t2s

_IDEO = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# runs of CJK ideographs (incl. 〇) vs runs of ASCII letters/digits: the index's tokens
_TOKEN = re.compile(f"[{_IDEO}]+|[0-9A-Za-z]+")
# a query word: ideographs, letters and digits together, as typed
_WORD = re.compile(f"[{_IDEO}0-9A-Za-z]+")
_OR = {"or", "|"}


_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _fold(text: str) -> str:
    """Full-width ASCII to half-width, so "２０２４" finds "2024" (`translate`: every section of
    every search passes here, a per-character loop in Python made common words slow)."""
    return text.translate(_FULL_WIDTH)


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


def _parse(q: str) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for chunk in _fold(q).replace("|", " | ").split():
        if chunk.lower() in _OR and chunk != "or":  # OR or |, not a lower-case English "or"
            groups.append([])
            continue
        groups[-1] += [w.lower() for w in _WORD.findall(chunk)]
    return [g for g in groups if g]


@functools.lru_cache(maxsize=256)
def groups(q: str | None) -> tuple[tuple[str, ...], ...]:
    """The query as alternatives (OR) of word lists (AND); a query in traditional characters
    adds its simplified reading as one more alternative (the typed one still counts)."""
    q = q or ""
    out = [tuple(g) for g in _parse(q)]
    simplified = t2s().convert(q) if re.search(f"[{_IDEO}]", q) else q
    if simplified != q:
        out += [tuple(g) for g in _parse(simplified) if tuple(g) not in out]
    return tuple(out)


def terms(q: str | None) -> list[str]:
    """Every word of a query as it is matched (full-width folded, ASCII lower-cased)."""
    return list(dict.fromkeys(w for g in groups(q) for w in g))


@functools.lru_cache(maxsize=1024)
def _pattern(word: str) -> re.Pattern:
    left = r"(?<![0-9a-z])" if word[0].isascii() else ""
    right = r"(?![0-9a-z])" if word[-1].isascii() else ""
    # a space where the script changes ("2024 年") is typesetting, as the index also ignores it
    return re.compile(left + r"\s*".join(re.escape(seg) for seg in _TOKEN.findall(word)) + right)


def _hay(text: str) -> str:
    return _fold(text).lower()  # same length as text: folding and lower() map one character to one


def matches(text: str | None, q: str | None) -> bool:
    """Whether a section answers the query (every word of some alternative occurs)."""
    if not text:
        return False
    hay = _hay(text)
    return any(all(_pattern(w).search(hay) for w in g) for g in groups(q))


def _phrase(word: str) -> str | None:
    """FTS5 phrase that every occurrence of `word` satisfies (a superset), or None when the
    index cannot narrow it (a lone ideograph may end a run: only bigram *prefixes* are searchable)."""
    segs = _TOKEN.findall(word)
    pieces = []
    for i, seg in enumerate(segs):
        if seg[0].isascii():
            pieces.append(f'"{seg}"')
        elif len(seg) > 1:
            pieces.append('"' + " ".join(_pairs(seg)) + '"')
        elif i > 0:  # a single ideograph after letters/digits starts its run: a bigram prefix
            pieces.append(f'"{seg}"*')
        elif len(segs) == 1:
            return None
        # else: a single ideograph ending its run, before letters/digits: left to `matches`
    return " + ".join(pieces) if pieces else None


def bigram_query(q: str | None) -> str:
    """FTS5 MATCH expression narrowing the candidates of a query; '""' (nothing) when the query
    has no searchable character.  When some alternative cannot be narrowed this still returns a
    valid expression, and `narrows(q)` is false: search every section with `matches` instead."""
    alts = []
    for g in groups(q):
        phrases = [p for p in map(_phrase, g) if p]
        if phrases:
            alts.append("(" + " AND ".join(phrases) + ")")
    return " OR ".join(alts) if alts else '""'


def narrows(q: str | None) -> bool:
    """Whether `bigram_query(q)` finds every section that `matches` (all alternatives narrowable)."""
    return all(any(_phrase(w) for w in g) for g in groups(q))


def spans(text: str | None, q: str | None) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of every query word in `text`, in order, not overlapping."""
    if not text:
        return []
    hay = _hay(text)
    found = [(m.start(), m.end()) for t in terms(q) for m in _pattern(t).finditer(hay)]
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
