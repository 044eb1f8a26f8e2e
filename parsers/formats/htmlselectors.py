"""CSS selectors of a page's own ``<style>`` blocks, read and matched against its lxml tree.

Only what a static page can decide is read: type, class, id and attribute selectors, the structural
pseudo-classes (``:first-child``, ``:nth-child(2n+1)`` …), ``:not(…)`` of those, joined by any of the
four combinators.  A selector naming a state (``:hover``, ``:checked``, ``:target``), a pseudo-element
(``::before``: it styles generated content, not the element) or syntax not read here yields None, and
its rule is left out: a rule that is not understood hides nothing and shows nothing.  Matching
backtracks, as browsers match: ``.a > .b .c`` finds the ``.b`` whose parent is ``.a`` even when a
nearer ``.b`` ancestor is not a child of ``.a``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<comb>\s*[>+~]\s*)
      | (?P<ws>\s+)
      | (?P<tag>[a-zA-Z][\w-]*|\*)
      | (?P<cls>\.-?[_a-zA-Z\u00a0-\uffff][\w-]*)
      | (?P<id>\#[\w-]+)
      | (?P<attr>\[\s*(?P<aname>[\w-]+)\s*(?:(?P<aop>[~|^$*]?=)\s*(?P<aval>"[^"]*"|'[^']*'|[^\]\s"']+)\s*(?P<aci>[iIsS])?\s*)?\])
      | (?P<pseudo>::?(?P<pname>[\w-]+)(?:\((?P<parg>[^()]*(?:\([^()]*\)[^()]*)*)\))?)""",
    re.X,
)
# pseudo-classes a static page fixes, and the legacy single-colon pseudo-elements
_STRUCTURAL = {"first-child", "last-child", "only-child", "first-of-type", "last-of-type", "only-of-type",
               "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type", "root", "empty"}
_LEGACY_ELEMENTS = {"before", "after", "first-line", "first-letter"}
_NTH = re.compile(r"\s*(?:(odd)|(even)|([+-]?\d*)n\s*(?:([+-])\s*(\d+))?|([+-]?\d+))\s*", re.I)


@dataclass(frozen=True)
class Compound:
    """One compound selector (``div.a#b[x]:first-child:not(.c)``)."""

    tag: str | None = None
    classes: frozenset[str] = frozenset()
    ident: str | None = None
    attrs: tuple[tuple[str, str, str, bool], ...] = ()  # name, operator ('' = present), value, ignore case
    structural: tuple[tuple[str, tuple[int, int] | None], ...] = ()  # pseudo-class, (a, b) of an+b
    negated: tuple[Compound, ...] = ()  # :not(x, y): none of them may match
    specificity: tuple[int, int, int] = (0, 0, 0)


# subject first; each further compound with the combinator joining it to the one before it
Chain = tuple[tuple[Compound, str], ...]


def _nth(arg: str | None) -> tuple[int, int] | None:
    m = _NTH.fullmatch(arg or "")
    if not m:
        return None
    if m.group(1):
        return (2, 1)
    if m.group(2):
        return (2, 0)
    if m.group(6):
        return (0, int(m.group(6)))
    a = m.group(3)
    a_n = -1 if a == "-" else 1 if a in ("", "+") else int(a)
    b = int(m.group(5)) * (-1 if m.group(4) == "-" else 1) if m.group(5) else 0
    return (a_n, b)


def _compound(text: str) -> Compound | None:
    """A compound selector with no combinator in it, or None."""
    tag, classes, ident, attrs, structural, negated = None, set(), None, [], [], []
    a = b = c = 0
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.group("comb") is not None or m.group("ws") is not None:
            return None
        pos = m.end()
        if m.group("tag"):
            if m.start():  # a type selector comes first
                return None
            tag = None if m.group("tag") == "*" else m.group("tag").lower()
            c += tag is not None
        elif m.group("cls"):
            classes.add(m.group("cls")[1:])
            b += 1
        elif m.group("id"):
            if ident is not None and ident != m.group("id")[1:]:
                return None  # #a#b matches nothing: left out
            ident = m.group("id")[1:]
            a += 1
        elif m.group("attr"):
            value = m.group("aval") or ""
            if value[:1] in "\"'":
                value = value[1:-1]
            attrs.append((m.group("aname").lower(), m.group("aop") or "", value, (m.group("aci") or "") in "iI"
                          and bool(m.group("aci"))))
            b += 1
        else:
            name = m.group("pname").lower()
            if m.group("pseudo").startswith("::") or name in _LEGACY_ELEMENTS:
                return None  # a pseudo-element: the rule styles generated content
            if name == "not":
                inner = [_compound(part.strip()) for part in (m.group("parg") or "").split(",")]
                if not inner or any(x is None for x in inner):
                    return None
                negated.extend(inner)  # type: ignore[arg-type]
                best = max(x.specificity for x in inner)  # type: ignore[union-attr]
                a, b, c = a + best[0], b + best[1], c + best[2]
            elif name in _STRUCTURAL:
                arg = None
                if name.startswith("nth-"):
                    arg = _nth(m.group("parg"))
                    if arg is None:
                        return None
                elif m.group("parg") is not None:
                    return None
                structural.append((name, arg))
                b += 1
            else:
                return None  # a state (:hover, :checked, :target …) or a pseudo-class not read here
    if not text:
        return None
    return Compound(tag, frozenset(classes), ident, tuple(attrs), tuple(structural), tuple(negated), (a, b, c))


def chain(selector: str) -> Chain | None:
    """The selector as compounds, subject first; None for what is not read."""
    sel = selector.strip()
    if not sel:
        return None
    texts, joins, pos, start = [], [], 0, 0
    while pos < len(sel):
        if sel[pos] in "[(":  # brackets hold no combinators
            close = {"[": "]", "(": ")"}[sel[pos]]
            depth, j = 0, pos
            while j < len(sel):
                depth += sel[j] == sel[pos]
                depth -= sel[j] == close
                j += 1
                if not depth:
                    break
            if depth:
                return None
            pos = j
            continue
        if sel[pos] in " \t\n\r\f>+~":
            m = _TOKEN.match(sel, pos)
            if m and (m.group("comb") or m.group("ws")):
                texts.append(sel[start:pos])
                joins.append(m.group().strip() or " ")
                pos = start = m.end()
                continue
        pos += 1
    texts.append(sel[start:])
    compounds = [_compound(t) for t in texts]
    if any(x is None for x in compounds):
        return None
    joins.append("")
    return tuple(zip(reversed(compounds), reversed(joins), strict=True))  # type: ignore[arg-type]


def specificity(ch: Chain) -> tuple[int, int, int]:
    return (sum(x.specificity[0] for x, _ in ch), sum(x.specificity[1] for x, _ in ch),
            sum(x.specificity[2] for x, _ in ch))


def _element(el) -> bool:
    return el is not None and isinstance(el.tag, str)


def _siblings(el, forward: bool) -> list:
    it = el.itersiblings(preceding=not forward)
    return [s for s in it if isinstance(s.tag, str)]


def _attr_ok(el, name: str, op: str, value: str, ci: bool) -> bool:
    have = el.get(name)
    if have is None:
        return False
    if not op:
        return True
    if ci:
        have, value = have.lower(), value.lower()
    if op == "=":
        return have == value
    if op == "~=":
        return value in have.split()
    if op == "|=":
        return have == value or have.startswith(value + "-")
    if not value:
        return False
    return (have.startswith(value) if op == "^=" else have.endswith(value) if op == "$=" else value in have)


def _nth_ok(index: int, ab: tuple[int, int]) -> bool:
    """Whether index (1-based) is a*n+b for some n >= 0."""
    a, b = ab
    if a == 0:
        return index == b
    n, rem = divmod(index - b, a)
    return rem == 0 and n >= 0


def _structural_ok(el, name: str, ab: tuple[int, int] | None) -> bool:
    if name == "root":
        return el.getparent() is None
    if name == "empty":
        return not (el.text or "") and all(not isinstance(ch.tag, str) and not (ch.tail or "") for ch in el)
    if el.getparent() is None:
        return False
    typed = name.endswith("of-type")
    tag = el.tag
    before = [s for s in _siblings(el, False) if not typed or s.tag == tag]
    after = [s for s in _siblings(el, True) if not typed or s.tag == tag]
    if name.startswith("first"):
        return not before
    if name.startswith("last"):
        return not after
    if name.startswith("only"):
        return not before and not after
    if ab is None:
        return False
    return _nth_ok(len(after if "-last-" in name else before) + 1, ab)


def matches_compound(el, x: Compound) -> bool:
    if not _element(el):
        return False
    if x.tag is not None and el.tag.lower() != x.tag:
        return False
    if x.ident is not None and el.get("id") != x.ident:
        return False
    if x.classes:
        mine = el.get("class")
        if mine is None or not x.classes <= set(mine.split()):
            return False
    if any(not _attr_ok(el, *at) for at in x.attrs):
        return False
    if any(not _structural_ok(el, name, ab) for name, ab in x.structural):
        return False
    return not any(matches_compound(el, n) for n in x.negated)


def matches(el, ch: Chain, i: int = 0) -> bool:
    """Whether the element matches the selector from compound i on (compound i itself included)."""
    x, _ = ch[i]
    if not matches_compound(el, x):
        return False
    if i + 1 == len(ch):
        return True
    join = ch[i + 1][1]
    if join == ">":
        return _element(el.getparent()) and matches(el.getparent(), ch, i + 1)
    if join == " ":
        node = el.getparent()
        while _element(node):
            if matches(node, ch, i + 1):
                return True
            node = node.getparent()
        return False
    before = _siblings(el, False)
    if join == "+":
        return bool(before) and matches(before[0], ch, i + 1)
    return any(matches(s, ch, i + 1) for s in before)  # ~
