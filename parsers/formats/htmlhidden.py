"""Which elements of a page a browser does not show.

Portals keep an old draft of a report (other numbers) in the page, hidden, before the published
one; WeChat reposts hide 点击蓝字 inside label cells.  A reader never sees these, so the parser must
not read them.  What is seen is decided as chromium decides it, one property at a time, by the
cascade over the element's inline style and the page's own ``<style>`` rules (any selector
htmlselectors reads: combinators, attributes, ``:not(.active)``, ``:first-child`` …): ``!important``
first (inline ``!important`` over a rule's), then inline style over rules, then specificity, then
order.  The ``hidden`` attribute is the browser's own ``display:none``: any author rule setting
``display`` overrides it (``div.shown{display:block}``), as in chromium; ``until-found`` is collapsed
text a reader can open, so it hides nothing.

Gone with everything inside (no descendant can bring it back): ``display:none``, ``opacity:0``, a box
moved far off screen (``position:absolute;left:-9999px``) or clipped to nothing (``.sr-only``, a panel
folded to ``max-height:0;overflow:hidden``).  Unseen unless something inside sets it
again: ``font-size:0`` (a descendant with its own absolute size is seen; ``em``/``%`` of nothing stay
nothing), text coloured as the background beneath it (white on the white page, ``#f5f5f5`` on
``#f5f5f5``) or transparent.  ``visibility:hidden`` is inherited, not final: a descendant with
``visibility:visible`` is seen, and a hidden table cell keeps its place in the row (blank), where a
``display:none`` cell is taken out.  In quirks mode (no doctype, or an old one) a table does not
inherit the colour and size around it: a table inside white or size-0 text is seen.  ``text-indent:-9999px`` hides nothing here: it moves only a
block's first line, and tables and paragraphs with their own indent are not moved at all (chromium
shows a table under it in place).  Rules inside ``@media`` blocks are left out (``@media print``
hides things on paper only), external stylesheets are never fetched, scripts never run: what they
would hide is read.  ``aria-hidden`` hides nothing from the eye.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from parsers.formats.htmlselectors import Chain, chain, matches, specificity

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_IMPORTANT = re.compile(r"!\s*important\s*$", re.I)
_LENGTH = re.compile(r"(-?(?:\d+\.?\d*|\.\d+))\s*(px|em|rem|pt|%|vw|vh|ex|ch|cm|mm|in|pc)?$", re.I)
_SIZE_IN_FONT = re.compile(r"(?:^|\s)((?:\d+\.?\d*|\.\d+)(?:px|pt|pc|cm|mm|in|em|rem|ex|ch|%|vw|vh)|0)(?=/|\s|$)", re.I)
_SIZE_WORDS = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large"}
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$", re.I)
_FUNC = re.compile(r"rgba?\(([^)]*)\)", re.I)
_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0), "green": (0, 128, 0),
          "blue": (0, 0, 255), "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
          "yellow": (255, 255, 0), "orange": (255, 165, 0), "navy": (0, 0, 128), "maroon": (128, 0, 0),
          "whitesmoke": (245, 245, 245), "snow": (255, 250, 250), "ivory": (255, 255, 240),
          "lightgray": (211, 211, 211), "lightgrey": (211, 211, 211), "gainsboro": (220, 220, 220)}
_WANTED = {"display", "visibility", "opacity", "position", "left", "top", "right", "margin-left", "margin-top",
           "font-size", "font", "color", "background", "background-color", "background-image",
           "overflow", "overflow-x", "overflow-y", "height", "max-height", "width", "max-width", "clip", "clip-path"}
_BOXES = ("height", "max-height", "width", "max-width")
_CLIP_NOTHING = re.compile(r"rect\(\s*(?:[01](?:px)?\s*,?\s*){4}\)$", re.I)  # sr-only's rect(0,0,0,0)
_INSET_ALL = re.compile(r"inset\(\s*(?:50|100)%", re.I)
_OFFSETS = ("left", "top", "right", "margin-left", "margin-top")
_FAR = 1000  # px off screen: no layout puts text there to be read
_SAME = 16  # colour channels this close: no reader tells the text from the ground

# struck-through text: a correction printed beside its replacement (`<del>2210</del> 2197`); the struck
# number is withdrawn by the page itself, and reading both would glue them into one never printed
STRUCK = frozenset({"del", "s", "strike"})

Colour = tuple[int, int, int, float]
# property -> (what it says, !important); what it says: display/opacity/offscreen True = hides;
# visibility True = hidden, False = visible; font-size 'zero'/'rel'/'set'; color a Colour or 'other';
# background a Colour, 'clear' or 'other'
Said = dict[str, tuple[object, bool]]
Weight = tuple[int, int, int, int, int, int]  # !important, origin (UA -1, rule 0, inline 1), specificity, order
_UA_HIDDEN: Said = {"display": (True, False)}
_UA_WEIGHT: Weight = (0, -1, 0, 0, 0, 0)


def _keys(x) -> list[str]:
    """What a compound requires an element to carry: its id, classes and tag (most selective first)."""
    return ([f"#{x.ident}"] if x.ident is not None else []) + [f".{c}" for c in sorted(x.classes)] + \
        ([x.tag] if x.tag is not None else [])


def _own_keys(el) -> list[str]:
    ident, cls = el.get("id"), el.get("class")
    return ([f"#{ident}"] if ident is not None else []) + ([f".{c}" for c in set(cls.split())] if cls else []) + \
        [el.tag.lower()]


class PageRules:
    """The page's own rules that say whether something is seen, filed by what their subject must carry
    (its id, a class, its tag) and by one thing an ancestor must carry, as browsers file them: an element
    is checked only against rules that could match it, so a CMS's thousand ``.x p {color:…}`` rules cost
    a page of paragraphs little.  Each element's cascaded values are computed once."""

    def __init__(self, quirks: bool = False) -> None:
        self.buckets: dict[str, dict[str | None, list]] = {}
        self.count = 0
        self.quirks = quirks  # the document is in quirks mode (quirks_mode): tables reset colour and size
        self.memo: dict = {}
        self.lineage: dict = {}

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, ch: Chain, said: Said, order: int) -> None:
        subject = (_keys(ch[0][0]) or ["*"])[0]
        need: list[str] = []
        for x, join in ch[1:]:
            if join not in (" ", ">"):  # a sibling: what comes after it is not known to be an ancestor
                break
            need += _keys(x)
        anchor = min(need, key=lambda k: (k[0] != "#", k[0] != ".")) if need else None
        entry = (ch, said, (*specificity(ch), order), frozenset(need))
        self.buckets.setdefault(subject, {}).setdefault(anchor, []).append(entry)
        self.count += 1

    def ancestors(self, el) -> frozenset[str]:
        """What the element's ancestors carry (ids, classes, tags)."""
        path, node = [], el
        while node is not None and isinstance(node.tag, str) and node not in self.lineage:
            path.append(node)
            node = node.getparent()
        for n in reversed(path):
            parent = n.getparent()
            self.lineage[n] = (self.lineage[parent] | frozenset(_own_keys(parent))
                               if parent is not None and isinstance(parent.tag, str) else frozenset())
        return self.lineage[el]

    def candidates(self, el) -> Iterator[tuple]:
        """The rules whose subject and ancestors' requirements the element may meet."""
        anc = None
        for key in [*_own_keys(el), "*"]:
            bucket = self.buckets.get(key)
            if not bucket:
                continue
            yield from bucket.get(None, ())
            if len(bucket) == (None in bucket):
                continue
            if anc is None:
                anc = self.ancestors(el)
            if len(bucket) <= len(anc):
                for anchor, entries in bucket.items():
                    if anchor is not None and anchor in anc:
                        yield from (e for e in entries if e[3] <= anc)
            else:
                for anchor in anc:
                    yield from (e for e in bucket.get(anchor, ()) if e[3] <= anc)


def _length(value: str) -> float | None:
    m = _LENGTH.match(value.strip())
    if not m:
        return None
    n = float(m.group(1))
    return n * 16 if (m.group(2) or "").lower() in ("em", "rem") else n


def _colour(value: str) -> Colour | None:
    v = value.strip().lower()
    if v in _NAMED:
        return (*_NAMED[v], 1.0)
    if v == "transparent":
        return (0, 0, 0, 0.0)
    m = _HEX.match(v)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            h = "".join(ch * 2 for ch in h)
        alpha = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha)
    m = _FUNC.fullmatch(v)
    if m:
        parts = [p for p in re.split(r"[\s,/]+", m.group(1).strip()) if p]
        if len(parts) not in (3, 4):
            return None
        try:
            rgb = [round(float(p[:-1]) * 2.55) if p.endswith("%") else round(float(p)) for p in parts[:3]]
            alpha = 1.0 if len(parts) == 3 else (float(parts[3][:-1]) / 100 if parts[3].endswith("%") else float(parts[3]))
        except ValueError:
            return None
        return (rgb[0], rgb[1], rgb[2], alpha)
    return None


def _size_kind(value: str, shorthand: bool) -> str | None:
    v = value.strip().lower()
    if v in ("inherit", "unset", "revert", "revert-layer"):
        return None
    if shorthand:
        m = _SIZE_IN_FONT.search(v)
        if m:
            v = m.group(1)
        else:
            words = [w for w in re.split(r"[\s/]+", v) if w in _SIZE_WORDS or w in ("smaller", "larger")]
            v = words[0] if words else "medium"  # a system font (caption, menu …): a size of its own
    m = _LENGTH.match(v)
    if m:
        if float(m.group(1)) == 0:
            return "zero"
        return "rel" if (m.group(2) or "").lower() in ("em", "%", "ex", "ch") else "set"
    return "rel" if v in ("smaller", "larger") else "set"


def _background(prop: str, value: str) -> object:
    v = value.strip().lower()
    if prop == "background-image":
        return "clear" if v in ("none", "initial", "unset") else "other"
    if "url(" in v or "gradient(" in v:
        return "other"
    if prop == "background-color":
        c = _colour(v)
        return "other" if c is None else "clear" if c[3] == 0 else c
    found = _FUNC.search(v)
    tokens = [found.group(0)] if found else v.split()
    for t in tokens:
        c = _colour(t)
        if c is not None:
            return "clear" if c[3] == 0 else c
    return "clear"  # the shorthand without a colour resets it to transparent


def _declarations(style: str) -> dict[str, tuple[str, bool, int]]:
    """{property: (value, !important, position)} of the wanted properties; an !important one is not
    overridden by a later normal one in the same block."""
    if "/*" in style:
        style = _COMMENT.sub("", style)
    out: dict[str, tuple[str, bool, int]] = {}
    for i, part in enumerate(style.split(";")):
        prop, colon, value = part.partition(":")
        if not colon:
            continue
        prop = prop.strip().lower()
        if prop not in _WANTED:
            continue
        m = _IMPORTANT.search(value)
        important = m is not None
        value = (value[: m.start()] if m else value).strip()
        if not value or (prop in out and out[prop][1] and not important):
            continue
        out[prop] = (value, important, i)
    return out


def declared(style: str) -> Said:
    """What a declaration block says about being seen, property by property (the module docstring)."""
    decls = _declarations(style)
    if not decls:
        return {}
    out: Said = {}
    for prop in ("display", "visibility", "opacity"):
        if prop not in decls:
            continue
        value, important, _ = decls[prop]
        word = value.split()[0].lower() if value.split() else ""
        if prop == "display":
            out[prop] = (word == "none", important)
        elif prop == "visibility":
            if word in ("hidden", "collapse"):
                out[prop] = (True, important)
            elif word in ("visible", "initial"):
                out[prop] = (False, important)
        else:
            try:
                out[prop] = ((float(word[:-1]) if word.endswith("%") else float(word)) == 0, important)
            except ValueError:
                pass
    if "position" in decls:
        value, important, _ = decls["position"]
        far = any((n := _length(decls[p][0])) is not None and n <= -_FAR for p in _OFFSETS if p in decls)
        positioned = value.split()[0].lower() in ("absolute", "fixed")
        out["offscreen"] = (positioned and far, important)
        out["positioned"] = (positioned, important)
    for prop in ("overflow", "overflow-x", "overflow-y"):
        if prop in decls:
            out[prop] = (bool({"hidden", "clip"} & set(decls[prop][0].lower().split())), decls[prop][1])
    for prop in _BOXES:
        if prop in decls:
            n = _length(decls[prop][0])
            out[prop] = (n is not None and n <= 1, decls[prop][1])
    if "clip" in decls:
        out["clip"] = (_CLIP_NOTHING.match(decls["clip"][0].strip()) is not None, decls["clip"][1])
    if "clip-path" in decls:
        out["clip-path"] = (_INSET_ALL.match(decls["clip-path"][0].strip()) is not None, decls["clip-path"][1])
    sizes = [(decls[p][2], p) for p in ("font-size", "font") if p in decls]
    if sizes:
        prop = max(sizes, key=lambda s: (decls[s[1]][1], s[0]))[1]
        kind = _size_kind(decls[prop][0], prop == "font")
        if kind is not None:
            out["font-size"] = (kind, decls[prop][1])
    if "color" in decls:
        value, important, _ = decls["color"]
        if value.lower() not in ("inherit", "currentcolor", "unset", "revert"):
            out["color"] = (_colour(value) or "other", important)
    grounds = [(decls[p][1], decls[p][2], p) for p in ("background", "background-color", "background-image") if p in decls]
    if grounds:
        _, _, prop = max(grounds)
        if decls[prop][0].lower() not in ("inherit", "unset", "revert"):
            out["background"] = (_background(prop, decls[prop][0]), decls[prop][1])
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


def _split_selectors(text: str) -> list[str]:
    """The selector list split at its top-level commas (not those inside :not(a, b))."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


# public identifiers (lowercase prefixes) that put a document in quirks mode (the HTML standard's list,
# grouped by publisher: every identifier it lists from these is a quirks one)
_QUIRKY = ("+//silmaril//", "-//as//", "-//advasoft ltd//", "-//ietf//", "-//metrius//", "-//microsoft//",
           "-//netscape comm. corp.//", "-//o'reilly and associates//", "-//sq//", "-//softquad", "-//spyglass//",
           "-//sun microsystems corp.//", "-//w3c//dtd html 3", "-//w3c//dtd html 2", "-//w3c//dtd html 4.0 frameset//",
           "-//w3c//dtd html 4.0 transitional//", "-//w3c//dtd html experimental", "-//w3c//dtd w3 html//",
           "-//w3o//dtd w3 html 3.0//", "-//webtechs//")
_QUIRKY_WITHOUT_SYSTEM = ("-//w3c//dtd html 4.01 frameset//", "-//w3c//dtd html 4.01 transitional//")


def quirks_mode(doctype: str, public_id: str | None, system_url: str | None) -> bool:
    """Whether a browser renders the document in quirks mode (no doctype, or an old one): there a table
    does not inherit the colour and font size around it (chromium's quirks stylesheet sets them on
    <table>), so a table inside white or size-0 text is seen.  lxml reports a missing doctype as HTML
    4.0 Transitional, itself a quirks one."""
    if not doctype:
        return True
    name = doctype[9:].strip().split()[0].rstrip(">").lower() if doctype.lower().startswith("<!doctype") else ""
    public = (public_id or "").lower()
    if name != "html" or public in ("-//w3o//dtd w3 html strict 3.0//en//", "-/w3c/dtd html 4.0 transitional/en", "html"):
        return True
    if (system_url or "").lower() == "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd":
        return True
    return public.startswith(_QUIRKY) or (not system_url and public.startswith(_QUIRKY_WITHOUT_SYSTEM))


def hiding_rules(styles: list[str], quirks: bool = False) -> PageRules:
    """The page's own rules that say anything about being seen, filed for the cascade."""
    out = PageRules(quirks)
    order = 0
    for css in styles:
        for selectors, decls in _rules(css):
            said = declared(decls)
            if not said:
                continue
            for sel in _split_selectors(selectors):
                ch = chain(sel)
                if ch is not None:
                    order += 1
                    out.add(ch, said, order)
    return out


def cascade(el, rules: PageRules) -> dict[str, object]:
    """The element's own cascaded value of each property that says something about being seen."""
    style, h = el.get("style"), el.get("hidden")
    ua = h is not None and h.strip().lower() != "until-found"
    if not rules and not style and not ua:
        return {}
    hit = rules.memo.get(el)
    if hit is not None:
        return hit
    best: dict[str, tuple[Weight, object]] = {}

    def weigh(said: Said, origin: int, weight: tuple[int, int, int, int]) -> None:
        for prop, (verdict, important) in said.items():
            w = (int(important), origin, *weight)
            if prop not in best or w > best[prop][0]:
                best[prop] = (w, verdict)

    if ua:
        weigh(_UA_HIDDEN, -1, (0, 0, 0, 0))
    if rules and isinstance(el.tag, str):
        for ch, said, weight, _ in rules.candidates(el):
            if matches(el, ch):
                weigh(said, 0, weight)
    if style:
        weigh(declared(style), 1, (0, 0, 0, 0))
    out = {prop: verdict for prop, (_, verdict) in best.items()}
    rules.memo[el] = out
    return out


def _same(a: Colour, b: Colour) -> bool:
    return all(abs(x - y) <= _SAME for x, y in zip(a[:3], b[:3], strict=True))


def _unseen_colour(colour: object, ground: object) -> bool:
    if not isinstance(colour, tuple):
        return False
    if colour[3] == 0:
        return True
    return colour[3] == 1 and isinstance(ground, tuple) and ground[3] == 1 and _same(colour, ground)


def gone(el, rules: PageRules) -> bool:
    """Whether the element's box and everything inside it are not seen: display:none (the hidden
    attribute), opacity:0, far off screen, clipped to nothing (an absolute box's ``clip:rect(0,0,0,0)``
    as in ``.sr-only``, ``clip-path:inset(50%)``, a box at most 1px high or wide whose overflow is
    hidden: a collapsed panel).  (What a descendant can undo is Sight's.)"""
    said = cascade(el, rules)
    if not said:
        return False
    if said.get("display") or said.get("opacity") or said.get("offscreen") or said.get("clip-path") \
            or (said.get("clip") and said.get("positioned")):
        return True
    hide_y = said.get("overflow") or said.get("overflow-y")
    hide_x = said.get("overflow") or said.get("overflow-x")
    return bool((hide_y and (said.get("height") or said.get("max-height")))
                or (hide_x and (said.get("width") or said.get("max-width"))))


# what an element's text inherits: visibility hidden, its colour, the ground under it, a zero font size
State = tuple[bool, object, object, bool]
_INITIAL: State = (False, (0, 0, 0, 1.0), (255, 255, 255, 1.0), False)
_LINK = (0, 0, 238, 1.0)  # chromium's unvisited link


class Sight:
    """Whether an element's own text is seen, by what it inherits and can set again: visibility, colour
    against the background under it, font size.  `keep(el)`, when given, is asked about an element
    that makes itself visibility:hidden: True reads it anyway (an article a script shows)."""

    def __init__(self, rules: PageRules, keep: Callable[[object], bool] | None = None) -> None:
        self.rules = rules
        self.keep = keep
        self.memo: dict = {}

    def state(self, el) -> State:
        path = []
        node = el
        while node is not None and isinstance(node.tag, str) and node not in self.memo:
            path.append(node)
            node = node.getparent()
        state = self.memo[node] if node is not None and node in self.memo else _INITIAL
        for node in reversed(path):
            state = self._inherit(node, state)
            self.memo[node] = state
        return state

    def _inherit(self, el, parent: State) -> State:
        said = cascade(el, self.rules)
        font = el.get("color") if el.tag == "font" else None
        ground = el.get("bgcolor") or el.get("background")
        if self.rules.quirks and el.tag == "table":  # quirks mode: a table's own colour and size, not inherited
            parent = (parent[0], _INITIAL[1], parent[2], False)
        if el.tag == "a" and el.get("href") is not None:  # a link has the browser's link colour, not its parent's
            parent = (parent[0], _LINK, parent[2], parent[3])
        if not said and not font and not ground:
            return parent
        hidden, colour, under, zero = parent
        if "visibility" in said:
            hidden = bool(said["visibility"]) and not (self.keep is not None and self.keep(el))
        if "color" in said:
            colour = said["color"]
        elif font:
            colour = _colour(font) or "other"
        bg = said.get("background")
        if bg not in (None, "clear"):
            under = bg
        elif el.get("background"):  # <td background="x.gif">
            under = "other"
        elif el.get("bgcolor"):  # <td bgcolor="#1a4f8b">: a coloured header cell
            c = _colour(el.get("bgcolor"))
            under = "other" if c is None else c if c[3] else under
        size = said.get("font-size")
        zero = True if size == "zero" else False if size == "set" else zero
        return (hidden, colour, under, zero)

    def seen(self, el) -> bool:
        """Whether the element's own text (and its children's tails) is seen."""
        if el is None or not isinstance(el.tag, str):
            return True
        hidden, colour, under, zero = self.state(el)
        return not (hidden or zero or _unseen_colour(colour, under))

    def reshown(self, el) -> bool:
        """Whether something inside an unseen element may be seen again: it makes itself visible,
        sets its own size, colour or background (a table in quirks mode does)."""
        for d in el.iterdescendants():
            if not isinstance(d.tag, str):
                continue
            if d.get("bgcolor") or d.get("background") or (d.tag == "font" and d.get("color")) \
                    or (self.rules.quirks and d.tag == "table") or (d.tag == "a" and d.get("href") is not None):
                return True
            said = cascade(d, self.rules)
            if said and (said.get("visibility") is False or said.get("font-size") == "set" or "color" in said
                         or said.get("background") not in (None, "clear")):
                return True
        return False

