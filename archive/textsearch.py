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
  traditional characters also finds the simplified text (復議 finds 复议);
- a phrase in quotes ("行政复议 决定", also “…” or 「…」) is found only where its words follow one
  another, with at most a few spaces or punctuation marks between them ("行政复议、决定");
- a word or quoted phrase led by a minus (-复议, -"行政诉讼") leaves out every report whose narrative
  contains it (`excludes`; the canned query drops the report, not only the section); a query of
  exclusions alone finds nothing.

The FTS index only narrows the candidates (`bigram_query`); `matches` decides, on the text itself,
so a word split across index tokens can never over-match.

Limits: a query keeps its first MAX_TERMS words and phrases (exclusions included) and its first
MAX_QUERY_CHARS characters; the rest is ignored (`ignored` names it, and the search page refuses
such a query with a 400 that says so).  Every section of a search is read by these functions in
Python, beyond the reach of SQLite's time limit: 10,000 exclusions made one query run for minutes.
The exclusions are one compiled alternation, so each text is read once for all of them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from parsers.traditional import converter as t2s

_IDEO = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# runs of CJK ideographs (incl. 〇) vs runs of ASCII letters/digits: the index's tokens
_TOKEN = re.compile(f"[{_IDEO}]+|[0-9A-Za-z]+")
# a query word: ideographs, letters and digits together, as typed
_WORD = re.compile(f"[{_IDEO}0-9A-Za-z]+")
_OR = {"or", "|"}
MAX_TERMS = 32  # words and quoted phrases per query, exclusions included
MAX_QUERY_CHARS = 1000  # cut first, so a long query costs no more than this per call


_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_HAS_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _fold(text: str) -> str:
    """Full-width ASCII to half-width, so "２０２４" finds "2024" (`translate`: every section of
    every search passes here, a per-character loop in Python made common words slow; most texts
    hold no full-width letter or digit, and a search for one is cheaper than `translate`)."""
    return text.translate(_FULL_WIDTH) if _HAS_FULL_WIDTH.search(text) else text


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


# quotation marks a user may type (full-width ＂ is folded to " before this)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u300c": '"', "\u300d": '"', "\u300e": '"', "\u300f": '"'})
# a quoted phrase (possibly led by -, possibly unclosed), or a run of anything else but spaces
_CHUNK = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<plain>[^\s"]+)')


@dataclass(frozen=True)
class Query:
    """What a query asks: alternatives (OR) of terms that must all occur (AND), and terms none of
    the report may contain.  A term is a word, or a phrase: its words joined by one space."""
    alternatives: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...]
    ignored: tuple[str, ...] = ()  # terms beyond MAX_TERMS, as read (an exclusion with its minus)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _parse(q: str) -> Query:
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    ignored: list[str] = []

    def add(term: str, negative: bool) -> None:
        if sum(map(len, groups)) + len(excluded) >= MAX_TERMS:
            ignored.append(("-" if negative else "") + term)
        else:
            (excluded if negative else groups[-1]).append(term)

    for m in _CHUNK.finditer(_fold(q).translate(_QUOTES).replace("|", " | ")):
        if m.group("plain") is None:  # "a phrase", or -"a phrase"
            phrase = " ".join(_words(m.group("phrase")))
            if phrase:
                add(phrase, bool(m.group("neg")))
            continue
        chunk = m.group("plain")
        if chunk.lower() in _OR and chunk != "or":  # OR or |, not a lower-case English "or"
            groups.append([])
        elif chunk.startswith("-"):  # -word: -a,b leaves out the phrase "a b"
            phrase = " ".join(_words(chunk[1:]))
            if phrase:
                add(phrase, True)
        else:
            for word in _words(chunk):
                add(word, False)
    return Query(tuple(tuple(g) for g in groups if g), tuple(dict.fromkeys(excluded)), tuple(ignored))


def parse(q: str | None) -> Query:
    """The query as typed, plus its simplified reading when typed in traditional characters
    (an extra alternative, and its exclusions too: -復議 leaves out 复议 as well).  Only the first
    MAX_QUERY_CHARS characters are read (cut before the cache hashes the whole text)."""
    q = q or ""
    return _parsed(q[:MAX_QUERY_CHARS])


@functools.lru_cache(maxsize=256)
def _parsed(q: str) -> Query:
    typed = _parse(q)
    simplified = t2s().convert(q) if re.search(f"[{_IDEO}]", q) else q
    if simplified == q:
        return typed
    other = _parse(simplified)
    alternatives = typed.alternatives + tuple(g for g in other.alternatives if g not in typed.alternatives)
    return Query(alternatives, tuple(dict.fromkeys(typed.excluded + other.excluded)), typed.ignored)


def ignored(q: str | None) -> str:
    """What of a query a search leaves out, in words for the reader ("" when nothing): the terms
    beyond MAX_TERMS, and the text beyond MAX_QUERY_CHARS."""
    q = q or ""
    notes = []
    if len(q) > MAX_QUERY_CHARS:
        notes.append(f"检索式超过 {MAX_QUERY_CHARS} 字符，其后 {len(q) - MAX_QUERY_CHARS:,} 字符未用 / the query is"
                     f" longer than {MAX_QUERY_CHARS:,} characters: the {len(q) - MAX_QUERY_CHARS:,} after them were ignored")
    dropped = parse(q).ignored
    if dropped:
        shown = " ".join(dropped[:10]) + (f" … (+{len(dropped) - 10})" if len(dropped) > 10 else "")
        notes.append(f"最多 {MAX_TERMS} 个词或短语（含排除词），未用：{shown} / at most {MAX_TERMS} words or phrases"
                     f" (exclusions included); ignored: {shown}")
    return "; ".join(notes)


def groups(q: str | None) -> tuple[tuple[str, ...], ...]:
    """The query as alternatives (OR) of term lists (AND); exclusions are not among them."""
    return parse(q).alternatives


def terms(q: str | None) -> list[str]:
    """Every term a match must show (full-width folded, ASCII lower-cased): what gets marked."""
    return list(dict.fromkeys(w for g in groups(q) for w in g))


def has_exclusions(q: str | None) -> bool:
    return bool(parse(q).excluded)


def excludes(text: str | None, q: str | None) -> bool:
    """Whether a text holds a word or phrase the query excludes (-word, -"phrase")."""
    if not text or not parse(q).excluded:
        return False
    return _excluder(parse(q).excluded).search(_hay(text)) is not None


@functools.lru_cache(maxsize=64)
def _excluder(excluded: tuple[str, ...]) -> re.Pattern:
    """Every excluded term as one alternation: one pass over a text, however many terms (a search
    per term per section cost minutes with thousands of them)."""
    return re.compile("|".join(f"(?:{_pattern(t).pattern})" for t in excluded))


# between the words of a quoted phrase: a few spaces or punctuation marks, nothing that reads
_GAP = f"[^{_IDEO}0-9a-z]{{0,4}}"
_GAP_ONE = f"[^{_IDEO}0-9a-z]{{1,4}}"


@functools.lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern:
    words = term.split(" ")
    right = r"(?![0-9a-z])" if words[-1][-1].isascii() else ""
    body = ""
    for i, word in enumerate(words):
        if i:  # two Latin/digit words need something between them: "open data" is not "opendata"
            body += _GAP_ONE if words[i - 1][-1].isascii() and word[0].isascii() else _GAP
        # a space where the script changes ("2024 年") is typesetting, as the index also ignores it
        body += r"\s*".join(re.escape(seg) for seg in _TOKEN.findall(word))
    # the term's first character leads, then (for a letter or digit) "nothing that reads before it":
    # a pattern led by a literal lets re skip ahead to where that character occurs, and an alternation
    # of such patterns (`_excluder`) to where any first character occurs
    first = re.escape(words[0][0])
    left = r"(?<![0-9a-z].)" if words[0][0].isascii() else ""
    return re.compile(first + left + body[len(first):] + right)


def _hay(text: str) -> str:
    """The text as patterns read it: same length (folding and lower() map one character to one).
    Only full-width letters and digits need folding here (punctuation, folded or not, is a gap to
    every pattern), and Chinese text is full of full-width commas: `translate` only when needed."""
    return (text.translate(_FULL_WIDTH) if _FULL_WIDTH_ALNUM.search(text) else text).lower()


def matches(text: str | None, q: str | None) -> bool:
    """Whether a section answers the query (every term of some alternative occurs, no excluded one)."""
    if not text:
        return False
    hay, query = _hay(text), parse(q)
    if not any(all(_pattern(w).search(hay) for w in g) for g in query.alternatives):
        return False
    return not (query.excluded and _excluder(query.excluded).search(hay))


def _word_phrase(word: str) -> str | None:
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


def _phrase(term: str) -> str | None:
    """FTS5 expression every occurrence of a term satisfies: a phrase's words each occur."""
    pieces = [p for p in map(_word_phrase, term.split(" ")) if p]
    return " AND ".join(pieces) if pieces else None


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
