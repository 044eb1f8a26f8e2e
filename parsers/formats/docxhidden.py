"""What Word's final view does not show, taken out of a DOCX tree before it is read.

Offices keep an old draft in the document they publish: last year's number as hidden text beside
this year's ("1604" + hidden "1617"), a whole draft table hidden or in white on white before the real
one, a struck-through figure beside its correction, a tracked move's old place.  Word shows none of
it (Simple Markup, the default view, and print), so reading it would glue numbers that were never
printed (16041617) or take the draft for the table.  The rule is the HTML reader's
(formats/htmlhidden.py): what a reader does not see is not read.

Not shown, the whole run taken out:
- hidden text: ``w:vanish`` / ``w:specVanish`` set on the run, through its character style, its
  paragraph's style or its table's style (each through ``w:basedOn``), or by the document's
  defaults; hidden and struck are Word's toggles: set by two of those styles they cancel (a
  hidden character style in a hidden draft paragraph shows), set on the run they decide;
- struck-through text (``w:strike``, ``w:dstrike``): a correction printed beside its replacement is
  withdrawn by the page itself, as HTML's ``<del>``/``<s>``;
- text in the colour of what lies under it: the run's shading or highlight, else its paragraph's,
  else its cell's, row's or table's, else the page colour (white when none is set).  Only a ground
  known for sure counts: a style that shades (table, paragraph or character style), a patterned
  shading, a text box's own fill or a picture or shape drawn behind the text leave the ground
  unknown and the text is read (white numbers on dark cells ARE seen); ``auto`` colour is never
  unseen (Word turns it light on dark ground);
- a tracked move's old place (``w:moveFrom``) and tracked deletions (``w:del``; Word writes their
  text as ``w:delText``, which is never read, but a run of ``w:t`` there is gone all the same).

Shown as it prints: ``w:noBreakHyphen`` is a "-" (the minus of 本年增/减 written with it), a
``w:softHyphen`` is nothing (it shows only where a line breaks).
"""

from __future__ import annotations

import lxml.etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R, _RPR, _P, _PPR, _T = f"{W}r", f"{W}rPr", f"{W}p", f"{W}pPr", f"{W}t"
_VAL, _STYLE, _BASED = f"{W}val", f"{W}style", f"{W}basedOn"
_RSTYLE, _PSTYLE, _TBLSTYLE = f"{W}rStyle", f"{W}pStyle", f"{W}tblStyle"
_SHD, _HIGHLIGHT, _COLOR = f"{W}shd", f"{W}highlight", f"{W}color"
_TC, _TCPR, _TBL, _TBLPR, _TXBX = f"{W}tc", f"{W}tcPr", f"{W}tbl", f"{W}tblPr", f"{W}txbxContent"
_TR, _TBLPREX = f"{W}tr", f"{W}tblPrEx"
_TBLSTYLEPR, _TBLLOOK = f"{W}tblStylePr", f"{W}tblLook"
# tblLook's flags (its w:val bit mask, Word 2007) and attributes (Word 2010 on)
_LOOK_BITS = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100, "noHBand": 0x200,
              "noVBand": 0x400}
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_ANCHOR, _VML_STYLED = f"{_WP}anchor", ("{urn:schemas-microsoft-com:vml}shape", "{urn:schemas-microsoft-com:vml}rect")
_MOVE_FROM, _DEL = f"{W}moveFrom", f"{W}del"
_NB_HYPHEN, _SOFT_HYPHEN = f"{W}noBreakHyphen", f"{W}softHyphen"
_HIDING = (f"{W}vanish", f"{W}specVanish", f"{W}strike", f"{W}dstrike")
_PROPS = (*_HIDING, _COLOR)
_TOGGLES = (f"{W}vanish", f"{W}strike")  # toggle properties (ECMA-376 17.7.3) among the hiding ones
_OFF = {"0", "false", "off", "none"}
_SAME = 16  # colour channels this close: no reader tells the text from the ground (as htmlhidden)
_WHITE = (255, 255, 255)
_UNKNOWN = "unknown"  # a ground that cannot be told: its text is read
_HIGHLIGHTS = {
    "black": (0, 0, 0), "blue": (0, 0, 255), "cyan": (0, 255, 255), "green": (0, 255, 0),
    "magenta": (255, 0, 255), "red": (255, 0, 0), "yellow": (255, 255, 0), "white": _WHITE,
    "darkBlue": (0, 0, 128), "darkCyan": (0, 128, 128), "darkGreen": (0, 128, 0), "darkMagenta": (128, 0, 128),
    "darkRed": (128, 0, 0), "darkYellow": (128, 128, 0), "darkGray": (128, 128, 128), "lightGray": (192, 192, 192),
}

Colour = tuple[int, int, int]
Props = dict[str, object]  # property tag -> True/False (toggles) or a Colour / None (auto) for w:color


def _rgb(value: str | None) -> Colour | None:
    """A hex colour; None for ``auto`` or anything that is not one."""
    if not value or len(value) != 6:
        return None
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None


def _same(a: Colour, b: Colour) -> bool:
    return all(abs(x - y) <= _SAME for x, y in zip(a, b, strict=True))


def _props(rpr) -> Props:
    """The visibility properties an rPr sets itself."""
    said: Props = {}
    if rpr is None:
        return said
    for el in rpr.iterchildren(*_PROPS):
        val = el.get(_VAL)
        said[el.tag] = _rgb(val) if el.tag == _COLOR else (val is None or val.lower() not in _OFF)
    return said


class _Styles:
    """Each style's visibility properties, its own over those it is based on; the defaults."""

    def __init__(self, styles) -> None:
        self.own: dict[str, tuple[Props, str | None, object]] = {}
        self.resolved: dict[str, Props] = {}
        self.regions: dict[str, dict[str, Props]] = {}  # table style -> region (firstRow…) -> its rPr
        self.defaults: Props = {}
        self.default_para: str | None = None
        if styles is None:
            return
        for st in styles.iterchildren(_STYLE):
            sid = st.get(f"{W}styleId")
            if sid is None:
                continue
            based = next(st.iterchildren(_BASED), None)
            self.own[sid] = (_props(next(st.iterchildren(_RPR), None)), based.get(_VAL) if based is not None else None, st)
            for cond in st.iterchildren(_TBLSTYLEPR):
                said = _props(next(cond.iterchildren(_RPR), None))
                if said:
                    self.regions.setdefault(sid, {})[cond.get(f"{W}type") or ""] = said
            if st.get(f"{W}type") == "paragraph" and (st.get(f"{W}default") or "").lower() in ("1", "true", "on"):
                self.default_para = sid
        rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = _props(rpr)

    def props(self, sid: str | None) -> Props:
        """A style's properties through its basedOn chain (the nearest definition wins)."""
        if sid is None or sid not in self.own:
            return {}
        if sid not in self.resolved:
            chain: Props = {}
            seen: set[str] = set()
            at: str | None = sid
            while at is not None and at in self.own and at not in seen:
                seen.add(at)
                own, at, _ = self.own[at]
                for k, v in own.items():
                    chain.setdefault(k, v)
            self.resolved[sid] = chain
        return self.resolved[sid]

    def region_props(self, sid: str, regions: list[str]) -> Props:
        """What a table style's conditional formatting (w:tblStylePr) sets for a cell in
        ``regions`` (weakest first), each region through the basedOn chain."""
        said: Props = {}
        for region in reversed(regions):
            seen: set[str] = set()
            at: str | None = sid
            while at is not None and at in self.own and at not in seen:
                seen.add(at)
                for k, v in self.regions.get(at, {}).get(region, {}).items():
                    said.setdefault(k, v)
                at = self.own[at][1]
        return said

    def conditional(self, sid: str | None) -> list[Props]:
        """Every conditional rPr of a table style and the styles it is based on."""
        out, seen = [], set()
        while sid is not None and sid in self.own and sid not in seen:
            seen.add(sid)
            out.extend(self.regions.get(sid, {}).values())
            sid = self.own[sid][1]
        return out

    def shades(self, sid: str | None) -> bool:
        """Whether a style (or one it is based on) shades or highlights anything: the ground under
        its text or cells is then not known from the document alone."""
        seen = set()
        while sid is not None and sid in self.own and sid not in seen:
            seen.add(sid)
            _, based, el = self.own[sid]
            if next(el.iter(_SHD, _HIGHLIGHT), None) is not None:
                return True
            sid = based
        return False


def _shading(el) -> object:
    """The ground a w:shd lays: a Colour, None (no shading: look further out) or _UNKNOWN (a
    pattern mixing two colours)."""
    pattern = (el.get(_VAL) or "clear").lower()
    if pattern == "nil":
        return None
    if pattern == "clear":
        fill = el.get(f"{W}fill")
        return None if not fill or fill.lower() == "auto" else (_rgb(fill) or _UNKNOWN)
    if pattern == "solid":
        colour = el.get(f"{W}color")
        return (0, 0, 0) if not colour or colour.lower() == "auto" else (_rgb(colour) or _UNKNOWN)
    return _UNKNOWN


def _own_ground(pr) -> object:
    """The ground a run's, paragraph's or cell's properties lay (highlight over shading)."""
    if pr is None:
        return None
    hl = next(pr.iterchildren(_HIGHLIGHT), None)
    if hl is not None and (hl.get(_VAL) or "none") != "none":
        return _HIGHLIGHTS.get(hl.get(_VAL), _UNKNOWN)
    shd = next(pr.iterchildren(_SHD), None)
    return _shading(shd) if shd is not None else None


def _hides(el, grounds: set[Colour]) -> bool:
    """Whether one property element can make text unseen: a hiding toggle that is on, or a colour
    near a ground the document lays somewhere."""
    val = el.get(_VAL)
    if el.tag != _COLOR:
        return val is None or val.lower() not in _OFF
    colour = _rgb(val)
    return colour is not None and any(_same(colour, g) for g in grounds)


class _Reader:
    def __init__(self, styles: _Styles, page: Colour, grounds: set[Colour]) -> None:
        self.styles, self.page, self.grounds = styles, page, grounds
        self.hiding_styles = {sid for sid in styles.own if self._could_hide(styles.props(sid))
                              or any(self._could_hide(p) for p in styles.conditional(sid))}
        self.everything = self._could_hide(styles.defaults) or styles.default_para in self.hiding_styles

    def _could_hide(self, props: Props) -> bool:
        if any(props.get(t) for t in _HIDING):
            return True
        colour = props.get(_COLOR)
        return isinstance(colour, tuple) and any(_same(colour, g) for g in self.grounds)

    def _effective(self, run, para) -> Props:
        """The run's properties as Word resolves them.  Direct formatting says a property's state
        outright.  Hidden and struck are toggles (ECMA-376 17.7.3): each style type that turns one
        on (the defaults, the table's style, the paragraph's, the run's character style, in that
        order) flips it, so a hidden character style inside a hidden paragraph style shows its text.
        Any other property takes the nearest level's value."""
        rpr = next(run.iterchildren(_RPR), None)
        said = dict(_props(rpr))
        rstyle = next(rpr.iterchildren(_RSTYLE), None) if rpr is not None else None
        ppr = next(para.iterchildren(_PPR), None) if para is not None else None
        pstyle = next(ppr.iterchildren(_PSTYLE), None) if ppr is not None else None
        tbl = next((para if para is not None else run).iterancestors(_TBL), None)
        tblpr = next(tbl.iterchildren(_TBLPR), None) if tbl is not None else None
        tstyle = next(tblpr.iterchildren(_TBLSTYLE), None) if tblpr is not None else None
        levels = [  # nearest first
            self.styles.props(rstyle.get(_VAL)) if rstyle is not None else {},
            self.styles.props(pstyle.get(_VAL) if pstyle is not None else self.styles.default_para),
            self._table_props(tstyle.get(_VAL), tbl, para if para is not None else run) if tstyle is not None else {},
            self.styles.defaults,
        ]
        for tag in _TOGGLES:
            if tag not in said:
                said[tag] = sum(bool(level.get(tag)) for level in levels) % 2 == 1
        for level in levels:
            for k, v in level.items():
                said.setdefault(k, v)
        return said

    def _table_props(self, sid: str, tbl, inner) -> Props:
        """A table style's properties for the cell holding ``inner``: its conditional formatting
        for the regions the cell is in (header row, first column, banded rows…, as the table's
        tblLook turns them on) over the style's own."""
        said = dict(self.styles.props(sid))
        if not self.styles.conditional(sid):
            return said
        tc = next(inner.iterancestors(_TC), None)
        tr = tc.getparent() if tc is not None else None
        if tr is None or tr.getparent() is not tbl:
            return said
        for k, v in self.styles.region_props(sid, _regions(tbl, tr, tc)).items():
            said[k] = v
        return said

    def unseen(self, run) -> bool:
        para = next(run.iterancestors(_P), None)
        said = self._effective(run, para)
        if any(said.get(t) for t in _HIDING):
            return True
        colour = said.get(_COLOR)
        if not isinstance(colour, tuple) or not any(_same(colour, g) for g in self.grounds):
            return False
        ground = self._ground(run, para)
        return isinstance(ground, tuple) and _same(colour, ground)

    def _ground(self, run, para) -> object:
        """What lies under the run: Colour, or _UNKNOWN."""
        rpr = next(run.iterchildren(_RPR), None)
        ground = _own_ground(rpr)
        ppr = next(para.iterchildren(_PPR), None) if para is not None else None
        if ground is None and para is not None:
            ground = _own_ground(ppr)
        if ground is not None:
            return ground
        rstyle = next(rpr.iterchildren(_RSTYLE), None) if rpr is not None else None
        pstyle = next(ppr.iterchildren(_PSTYLE), None) if ppr is not None else None
        if (rstyle is not None and self.styles.shades(rstyle.get(_VAL))) or self.styles.shades(
                pstyle.get(_VAL) if pstyle is not None else self.styles.default_para):
            return _UNKNOWN  # a shading of the run's or paragraph's style
        for anc in (para if para is not None else run).iterancestors(_TC, _TR, _TBL, _TXBX):
            if anc.tag == _TXBX:
                return _UNKNOWN  # the shape's own fill lies under it
            if anc.tag == _TC:
                ground = _own_ground(next(anc.iterchildren(_TCPR), None))
            elif anc.tag == _TR:  # a row's own table properties (w:tblPrEx) may shade it
                ground = _own_ground(next(anc.iterchildren(_TBLPREX), None))
            else:
                tblpr = next(anc.iterchildren(_TBLPR), None)
                style = next(tblpr.iterchildren(_TBLSTYLE), None) if tblpr is not None else None
                if style is not None and self.styles.shades(style.get(_VAL)):
                    return _UNKNOWN
                ground = _own_ground(tblpr)
            if ground is not None:
                return ground
        return self.page


def _regions(tbl, tr, tc) -> list[str]:
    """The conditional-formatting regions of a table style a cell is in, weakest first
    (ECMA-376 17.7.6: whole table, banded columns, banded rows, first/last column, first/last
    row, corner cells)."""
    rows = list(tbl.iterchildren(_TR))
    cells = list(tr.iterchildren(_TC))
    i, j = rows.index(tr), cells.index(tc)
    tblpr = next(tbl.iterchildren(_TBLPR), None)
    look_el = next(tblpr.iterchildren(_TBLLOOK), None) if tblpr is not None else None
    look = {k: False for k in _LOOK_BITS} | {"firstRow": True, "firstColumn": True, "noVBand": True}  # Word's default
    if look_el is not None:
        try:
            bits = int(look_el.get(_VAL) or "0", 16)
            look = {k: bool(bits & b) for k, b in _LOOK_BITS.items()}
        except ValueError:
            pass
        for k in _LOOK_BITS:
            v = look_el.get(f"{W}{k}")
            if v is not None:
                look[k] = v.lower() in ("1", "true", "on")
    first, last = look["firstRow"] and i == 0, look["lastRow"] and i == len(rows) - 1
    left, right = look["firstColumn"] and j == 0, look["lastColumn"] and j == len(cells) - 1
    out = ["wholeTable"]
    if not look["noVBand"]:
        out.append("band2Vert" if (j - look["firstColumn"]) % 2 else "band1Vert")
    if not look["noHBand"] and not first and not last:
        out.append("band2Horz" if (i - look["firstRow"]) % 2 else "band1Horz")
    out += [r for r, on in (("firstCol", left), ("lastCol", right), ("firstRow", first), ("lastRow", last)) if on]
    out += [r for r, on in (("nwCell", first and left), ("neCell", first and right), ("swCell", last and left),
                            ("seCell", last and right)) if on]
    return out


def _drawn_behind(body) -> bool:
    """Whether a picture or shape lies behind text somewhere (a dark banner behind a white title):
    the ground under text is then not what the document's shading says."""
    for el in body.iter(_ANCHOR, *_VML_STYLED):
        if el.tag == _ANCHOR:
            if (el.get("behindDoc") or "").lower() in ("1", "true", "on"):
                return True
        elif "z-index:-" in (el.get("style") or "").replace(" ", ""):
            return True
    return False


# what can hide a run or change what it prints, set on the run or around it (styles aside)
_DIRECT = (*_PROPS, _MOVE_FROM, _DEL, _NB_HYPHEN, _SOFT_HYPHEN)


def drop_unseen(document, body, styles=None) -> None:
    """Take out of ``body`` (in place) every run Word's final view does not show, and write its
    hyphen elements as they print.  ``document``: the w:document root (its page colour);
    ``styles``: the w:styles root of word/styles.xml, or None.

    Most documents set nothing that hides: one pass of lxml's own iteration over the body and the
    styles finds that, and only what can hide is looked at in Python.
    """
    direct = list(body.iter(*_DIRECT))
    styled = [] if styles is None else list(styles.iter(*_PROPS))
    if not direct and not styled:
        return
    bg = document.find(f"{W}background") if document is not None else None
    page = (_rgb(bg.get(_COLOR)) if bg is not None else None) or _WHITE
    grounds = {page}
    for el in body.iter(_SHD, _HIGHLIGHT):
        g = _own_ground(el.getparent()) if el.tag == _HIGHLIGHT else _shading(el)
        if isinstance(g, tuple):
            grounds.add(g)
    if _drawn_behind(body):
        grounds = set()  # a picture or shape behind the text: no colour of text is known unseen
    by_style = any(_hides(el, grounds) for el in styled)
    if not by_style and not any(el.tag not in _PROPS or _hides(el, grounds) for el in direct):
        return
    reader = _Reader(_Styles(styles), page, grounds)  # (their shading too: a ground that is not known)
    gone: list = []
    candidates: dict = {}  # run -> None (an ordered set)
    for el in direct:
        tag = el.tag
        if tag in (_MOVE_FROM, _DEL):
            gone.extend(el.iter(_R))
        elif tag == _NB_HYPHEN:
            hyphen = lxml.etree.Element(_T)
            hyphen.text = "-"
            el.getparent().replace(el, hyphen)
        elif tag == _SOFT_HYPHEN:
            el.getparent().remove(el)
        else:
            rpr = el.getparent()
            run = rpr.getparent() if rpr is not None and rpr.tag == _RPR else None
            if run is not None and run.tag == _R:  # not a paragraph mark's or a tracked change's old properties
                candidates[run] = None
    if reader.everything:
        candidates.update(dict.fromkeys(body.iter(_R)))
    elif reader.hiding_styles:
        for el in body.iter(_RSTYLE, _PSTYLE, _TBLSTYLE):
            if el.get(_VAL) not in reader.hiding_styles:
                continue
            if el.tag == _TBLSTYLE:
                candidates.update(dict.fromkeys(el.getparent().getparent().iter(_R)))
            elif el.tag == _RSTYLE:
                candidates[el.getparent().getparent()] = None
            else:
                para = el.getparent().getparent()
                candidates.update(dict.fromkeys(r for r in para.iter(_R) if next(r.iterancestors(_P), None) is para))
    gone.extend(r for r in candidates if reader.unseen(r))
    for run in gone:
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)
