"""Which elements of a page a browser does not show.

Portals keep an old draft of a report (other numbers) in the page, hidden, before the published
one; WeChat reposts hide 点击蓝字 inside label cells.  A reader never sees these, so the parser must
not read them.  Hidden means: the ``hidden`` attribute (not ``until-found``: that is collapsed text
a reader can open), an inline ``display:none`` / ``visibility:hidden``, or a rule of the page's own
``<style>`` blocks saying so for a simple selector (``.cls``, ``#id``, ``div.cls``, lists of them).
Rules inside ``@media`` blocks are left out (``@media print`` hides things on paper only), and
external stylesheets are never fetched.  ``aria-hidden`` hides nothing from the eye.
"""

from __future__ import annotations

import re

# struck-through text: a correction printed beside its replacement (`<del>2210</del> 2197`); the struck
# number is withdrawn by the page itself, and reading both would glue them into one never printed
STRUCK = frozenset({"del", "s", "strike"})

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DISPLAY = re.compile(r"(?<![-\w])display\s*:\s*([a-z-]+)", re.I)
_VISIBILITY = re.compile(r"(?<![-\w])visibility\s*:\s*([a-z-]+)", re.I)
# tag?(.class|#id)+ : one compound selector naming a class or an id
_SIMPLE = re.compile(r"([a-zA-Z][\w-]*)?((?:[.#][\w-]+)+)")
_PART = re.compile(r"([.#])([\w-]+)")

Rule = tuple[str | None, frozenset[str], str | None]  # tag, classes, id
# a rule as the cascade weighs it: its selector, whether it hides, (specificity, order)
Weighed = tuple[str | None, frozenset[str], str | None, bool, tuple[int, int, int, int]]


def style_hides(style: str) -> bool | None:
    """True/False when the declarations set display or visibility (the last one wins), else None."""
    verdict = None
    if "display" in style or "DISPLAY" in style or "Display" in style:
        shown = _DISPLAY.findall(style)
        if shown:
            verdict = shown[-1].lower() == "none"
    if "isibility" in style or "ISIBILITY" in style:
        vis = _VISIBILITY.findall(style)
        if vis:
            if vis[-1].lower() in ("hidden", "collapse"):
                return True
            if verdict is None:
                verdict = False
    return verdict


def _rules(css: str):
    """(selector list, declarations) of the top-level rules; @-blocks are skipped whole."""
    css = _COMMENT.sub("", css)
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        if brace < 0:
            return
        prelude = css[i:brace].strip()
        if ";" in prelude and prelude.lstrip().startswith("@"):  # @import …; @charset …; before a rule
            prelude = prelude.rsplit(";", 1)[1].strip()
        depth, j = 1, brace + 1
        while j < n and depth:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
            j += 1
        if not prelude.startswith("@"):
            yield prelude, css[brace + 1 : j - 1]
        i = j


def hiding_rules(styles: list[str]) -> list[Weighed]:
    """The page's own simple rules that set display or visibility, weighed as the cascade weighs them
    (specificity, then order), so `.tab{display:none}` before `.tab.active{display:block}` shows the
    active tab; an empty list when none of them hides anything."""
    state: dict[Rule, tuple[bool, int]] = {}
    order = 0
    for css in styles:
        for selectors, decls in _rules(css):
            hides = style_hides(decls)
            if hides is None:
                continue
            for sel in selectors.split(","):
                m = _SIMPLE.fullmatch(sel.strip())
                if not m:
                    continue  # descendant, attribute, pseudo-class selectors: not read
                classes = frozenset(v for k, v in _PART.findall(m.group(2)) if k == ".")
                ids = [v for k, v in _PART.findall(m.group(2)) if k == "#"]
                if len(ids) > 1:
                    continue
                rule = ((m.group(1) or "").lower() or None, classes, ids[0] if ids else None)
                order += 1
                state[rule] = (hides, order)
    if not any(hides for hides, _ in state.values()):
        return []
    return [(tag, cls, ident, hides, (int(ident is not None), len(cls), int(tag is not None), n))
            for (tag, cls, ident), (hides, n) in state.items()]


def is_hidden(el, tag: str, rules: list[Weighed]) -> bool:
    """Whether the element (lowercase tag given) is hidden by attribute, inline style or a page rule."""
    h = el.get("hidden")
    if h is not None and h.strip().lower() != "until-found":
        return True
    style = el.get("style")
    if style:
        inline = style_hides(style)
        if inline is not None:
            return inline
    if rules:
        cls, ident = el.get("class"), el.get("id")
        if cls is None and ident is None:
            return False
        mine = frozenset(cls.split()) if cls else frozenset()
        best: tuple[int, int, int, int] | None = None
        hidden = False
        for rtag, rcls, rid, hides, weight in rules:
            if (rtag is None or rtag == tag) and rcls <= mine and (rid is None or rid == ident) \
                    and (best is None or weight > best):
                best, hidden = weight, hides
        return hidden
    return False
