"""Which elements of a page a browser does not show.

Portals keep an old draft of a report (other numbers) in the page, hidden, before the published
one; WeChat reposts hide 点击蓝字 inside label cells.  A reader never sees these, so the parser must
not read them.  Hidden means: the ``hidden`` attribute (not ``until-found``: that is collapsed text
a reader can open), ``display:none`` / ``visibility:hidden``, ``opacity:0``, a box moved far off
screen (``position:absolute;left:-9999px``) — inline, or by a rule of the
page's own ``<style>`` blocks whose selector is made of simple parts (``.cls``, ``#id``, ``div.cls``)
joined by descendant or child combinators (``.content .old``, ``.tab-content>.tab-pane``), weighed
as the cascade weighs them, one property at a time (``.fade{opacity:0}.fade.in{opacity:1}``).  An
inline ``font-size:0`` or white text on a page that sets no other background hides only when nothing
inside sets its own size or colour again (``font-size:0`` also closes gaps between inline blocks).
``text-indent:-9999px`` hides nothing here: it moves only a block's first line, and tables and
paragraphs with their own indent are not moved at all (chromium shows a table under it in place).
Rules inside ``@media`` blocks are left out (``@media print`` hides things on paper only), and
external stylesheets are never fetched.  ``aria-hidden`` hides nothing from the eye.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DISPLAY = re.compile(r"(?<![-\w])display\s*:\s*([a-z-]+)", re.I)
_VISIBILITY = re.compile(r"(?<![-\w])visibility\s*:\s*([a-z-]+)", re.I)
_OPACITY = re.compile(r"(?<![-\w])opacity\s*:\s*([\d.]+)(%?)", re.I)
_POSITION = re.compile(r"(?<![-\w])position\s*:\s*([a-z-]+)", re.I)
_OFFSET = re.compile(r"(?<![-\w])(left|top|right|margin-left|margin-top)\s*:\s*(-?[\d.]+)(px|em|rem|pt)?", re.I)
_FONT_SIZE = re.compile(r"(?<![-\w])font(?:-size)?\s*:\s*([^;]*)", re.I)
_COLOUR = re.compile(r"(?<![-\w])color\s*:\s*([^;!]+)", re.I)
_BACKGROUND = re.compile(r"(?<![-\w])background(?:-color|-image)?\s*:\s*([^;!]+)", re.I)
_WHITE = re.compile(r"(?:#fff(?:fff)?|white|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:,\s*1(?:\.0*)?\s*)?\))(?:\s|$)", re.I)
_CLEAR = re.compile(r"(?:transparent|none|inherit|initial|unset)(?:\s|$)", re.I)
# a compound selector: tag or *, then classes and ids
_COMPOUND = re.compile(r"([a-zA-Z][\w-]*|\*)?((?:[.#][\w-]+)*)")
_PART = re.compile(r"([.#])([\w-]+)")
_COMBINATOR = re.compile(r"\s*>\s*|\s+")
_FAR = 1000  # px off screen: no layout puts text there to be read

# struck-through text: a correction printed beside its replacement (`<del>2210</del> 2197`); the struck
# number is withdrawn by the page itself, and reading both would glue them into one never printed
STRUCK = frozenset({"del", "s", "strike"})

Compound = tuple[str | None, frozenset[str], str | None]  # tag, classes, id
# subject first, then each ancestor compound with the combinator joining it to the one before
Chain = tuple[tuple[Compound, str], ...]
# a rule as the cascade weighs it: its selector, {property: hides}, (specificity, order)
Weighed = tuple[Chain, dict[str, bool], tuple[int, int, int, int]]


class PageRules(list):
    """The weighed hiding rules, and what the page's rules set again inside a box (its own font size,
    its own colour) or behind it (a background other than white), for font-size:0 and white text."""

    resize: tuple[Compound, ...] = ()
    recolour: tuple[Compound, ...] = ()
    backgrounds: tuple[Compound, ...] = ()


def _length(value: str, unit: str | None) -> float:
    n = float(value) if value.replace(".", "", 1).lstrip("-").isdigit() else 0.0
    return n * 16 if unit and unit.lower() in ("em", "rem") else n


def declared(style: str) -> dict[str, bool]:
    """{property: hides} for what the declarations say about being seen (the last one of each wins):
    display, visibility, opacity, offscreen."""
    out: dict[str, bool] = {}
    low = style.lower()
    if "display" in low:
        shown = _DISPLAY.findall(style)
        if shown:
            out["display"] = shown[-1].lower() == "none"
    if "visibility" in low:
        vis = _VISIBILITY.findall(style)
        if vis:
            out["visibility"] = vis[-1].lower() in ("hidden", "collapse")
    if "opacity" in low:
        op = _OPACITY.findall(style)
        if op:
            try:
                out["opacity"] = float(op[-1][0]) == 0
            except ValueError:
                pass
    if "position" in low:
        pos = _POSITION.findall(style)
        offsets = [(p.lower(), _length(v, u)) for p, v, u in _OFFSET.findall(style)]
        if pos and pos[-1].lower() in ("absolute", "fixed"):
            out["offscreen"] = any(n <= -_FAR for _, n in offsets)
        elif pos:
            out["offscreen"] = False
    return out


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


def _compound(text: str) -> Compound | None:
    m = _COMPOUND.fullmatch(text)
    if not text or not m:
        return None
    parts = _PART.findall(m.group(2))
    ids = [v for k, v in parts if k == "#"]
    if len(ids) > 1:
        return None
    tag = (m.group(1) or "").lower()
    return (tag if tag and tag != "*" else None, frozenset(v for k, v in parts if k == "."), ids[0] if ids else None)


def _chain(selector: str) -> Chain | None:
    """The selector as compounds, subject first; None for what is not read (attributes, pseudo-classes,
    sibling combinators)."""
    sel = selector.strip()
    if not sel:
        return None
    texts, joins, pos = [], [], 0
    for m in _COMBINATOR.finditer(sel):
        texts.append(sel[pos : m.start()])
        joins.append(">" if ">" in m.group() else " ")
        pos = m.end()
    texts.append(sel[pos:])
    compounds = [_compound(t) for t in texts]
    if any(c is None for c in compounds):
        return None
    joins.append("")
    return tuple(zip(reversed(compounds), reversed(joins), strict=True))  # type: ignore[arg-type]


def _weight(chain: Chain, order: int) -> tuple[int, int, int, int]:
    return (sum(c[2] is not None for c, _ in chain), sum(len(c[1]) for c, _ in chain),
            sum(c[0] is not None for c, _ in chain), order)


def hiding_rules(styles: list[str]) -> PageRules:
    """The page's own rules that say whether a box is seen, weighed as the cascade weighs them
    (specificity, then order), so `.tab{display:none}` before `.tab.active{display:block}` shows the
    active tab; empty (false) when none of them hides anything."""
    out = PageRules()
    resize: list[Compound] = []
    recolour: list[Compound] = []
    backgrounds: list[Compound] = []
    order = 0
    for css in styles:
        for selectors, decls in _rules(css):
            said = declared(decls)
            low = decls.lower()
            sets_font = "font" in low and _FONT_SIZE.search(decls) is not None
            sets_colour = "color" in low and _COLOUR.search(decls) is not None
            bgs = _BACKGROUND.findall(decls) if "background" in low else []
            dark = bool(bgs) and not (_WHITE.match(bgs[-1].strip()) or _CLEAR.match(bgs[-1].strip()))
            if not (said or sets_font or sets_colour or dark):
                continue
            for sel in selectors.split(","):
                chain = _chain(sel)
                if chain is None:
                    continue
                if sets_font:
                    resize.append(chain[0][0])
                if sets_colour:
                    recolour.append(chain[0][0])
                if dark:
                    backgrounds.append(chain[0][0])
                if said:
                    order += 1
                    out.append((chain, said, _weight(chain, order)))
    out.resize, out.recolour, out.backgrounds = tuple(resize), tuple(recolour), tuple(backgrounds)
    if not any(any(said.values()) for _, said, _ in out):
        del out[:]
    return out


def _is(el, compound: Compound) -> bool:
    tag, classes, ident = compound
    if tag is not None and (not isinstance(el.tag, str) or el.tag.lower() != tag):
        return False
    if ident is not None and el.get("id") != ident:
        return False
    if classes:
        mine = el.get("class")
        return mine is not None and classes <= set(mine.split())
    return True


def _matches(el, chain: Chain) -> bool:
    """Whether the element is the selector's subject (its first compound is already known to match)."""
    node = el
    for i in range(1, len(chain)):
        compound, join = chain[i]
        node = node.getparent()
        if join == ">":
            if node is None or not _is(node, compound):
                return False
        else:
            while node is not None and not _is(node, compound):
                node = node.getparent()
            if node is None:
                return False
    return True


def _zero_size(style: str) -> bool:
    sizes = _FONT_SIZE.findall(style)
    return bool(sizes) and re.match(r"0(?:\.0*)?(?:px|pt|em|rem|%)?(?:\s|/|$)", sizes[-1].strip()) is not None


def _white(style: str) -> bool:
    colours = _COLOUR.findall(style)
    return bool(colours) and _WHITE.match(colours[-1].strip()) is not None


def _set_again(el, attr: re.Pattern, compounds: tuple[Compound, ...]) -> bool:
    """Whether a box inside sets the property again, inline or by a page rule naming it."""
    for d in el.iterdescendants():
        if not isinstance(d.tag, str):
            continue
        style = d.get("style")
        if style and attr.search(style):
            return True
        if any(_is(d, c) for c in compounds):
            return True
    return False


def _on_white(el, rules: PageRules) -> bool:
    """Whether nothing behind the element (itself, its ancestors) sets a background other than white."""
    node = el
    while node is not None:
        if node.get("bgcolor") or node.get("background"):  # <td bgcolor="#1a4f8b">: a coloured header cell
            return False
        style = node.get("style")
        if style and "background" in style.lower():
            bgs = _BACKGROUND.findall(style)
            if bgs and not (_WHITE.match(bgs[-1].strip()) or _CLEAR.match(bgs[-1].strip())):
                return False
        if any(_is(node, c) for c in rules.backgrounds):
            return False
        node = node.getparent()
    return True


def _vanishes(el, style: str, rules: PageRules) -> bool:
    """font-size:0 or white-on-white text: hidden only if nothing inside sets its size or colour again."""
    low = style.lower()
    if "font" in low and _zero_size(style) and not _set_again(el, _FONT_SIZE, rules.resize):
        return True
    return ("color" in low and _white(style) and _on_white(el, rules)
            and not _set_again(el, _COLOUR, rules.recolour))


def is_hidden(el, tag: str, rules: PageRules) -> bool:
    """Whether the element (lowercase tag given) is hidden by attribute, inline style or a page rule."""
    h = el.get("hidden")
    if h is not None and h.strip().lower() != "until-found":
        return True
    style = el.get("style")
    said: dict[str, bool] = {}
    if style:
        said = declared(style)
        if any(said.values()) or _vanishes(el, style, rules):
            return True
    if not rules:
        return False
    cls, ident = el.get("class"), el.get("id")
    mine = frozenset(cls.split()) if cls else frozenset()
    best: dict[str, tuple[tuple[int, int, int, int], bool]] = {}
    for chain, hides, weight in rules:
        rtag, rcls, rid = chain[0][0]
        if (rtag is None or rtag == tag) and rcls <= mine and (rid is None or rid == ident) \
                and (len(chain) == 1 or _matches(el, chain)):
            for prop, verdict in hides.items():
                if prop not in said and (prop not in best or weight > best[prop][0]):
                    best[prop] = (weight, verdict)
    return any(verdict for _, verdict in best.values())
