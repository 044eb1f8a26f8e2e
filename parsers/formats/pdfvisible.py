"""What a PDF viewer shows: text that is painted where no reader can see it is not read.

A PDF's text layer holds every glyph its content draws, seen or not.  Office hands and export
tools leave text a reader of the page never sees: render mode 3 (invisible) text with a draft's
numbers laid over the printed ones, figures painted in the colour of the ground they stand on
(white on the white page), and an old figure covered by an opaque box painted after it (a hand
correction: the new figure is typed beside the box or on it).  MuPDF reads them all, so a
printed 2 with an invisible 5 behind it came out as 25 and 70 as 70139.  HTML is read the way
a browser shows it (htmlhidden); this is the same rule for PDF.

Who hides what is decided from the page's paint order: PyMuPDF's text trace (each span's render
mode, colour, opacity and sequence number) and its drawings (each fill's rectangle, colour,
opacity and sequence number, on the same counter).  A glyph is hidden when it is invisible
(render mode 3) and not over a picture, fully transparent, painted in the colour of the fill
under it (the paper when nothing is), or covered by an opaque fill painted after it, or drawn
only as a clip path (render mode 7: nothing painted through it).  Table shading and grey header
fills are painted before their text and hide nothing; a fill counts only where its clip path
lets it paint (a page-wide white ground clipped to one cell covers that cell alone); on a page
whose graphics states blend (a highlighter's Multiply), or inside a blending or translucent
group, no fill counts as a cover.

Invisible text over a picture is a scan's OCR layer: the only words such a page has, so it is
kept (a picture with no words on it is read by OCR instead, in pdf), and its numbers are checked
against the picture (pdfocrlayer).

Tracing a page costs another pass over it (~1.5 ms), as much as reading it, so only pages a
cheap look marks as suspect are traced: a content stream that sets render mode 3 or 7, or a
fill colour that is white or the colour of a large fill on the page, or a large opaque fill
that MuPDF met after text it overlaps.  The hidden glyphs are then moved out of the
TextPage's box, where none of PyMuPDF's readers (words, blocks, dict, rawdict) look.
"""

from __future__ import annotations

import re

import pymupdf

from parsers.formats import pdfocrlayer

_INVISIBLE_MODE = re.compile(rb"[37][ \t\r\n]+Tr\b")  # render mode 3 (invisible) or 7 (clip only)
_CLIP_MODE = re.compile(rb"(?<![\d.])7[ \t\r\n]+Tr\b")
# Content is searched REVERSED: a pattern that opens with an operator's letters is found by a
# fast literal scan, where one opening with its operands is tried at every byte (10x slower).
# A non-stroking colour (gray g, rgb rg, cmyk k, sc/scn in a 1-, 3- or 4-component space):
_FILL_COLOUR_REVERSED = re.compile(rb"(gr|g|k|ncs|cs)[ \t\r\n]+((?:[\d.]+-?[ \t\r\n]+){0,3}[\d.]+-?)(?![\w.])")
# One that may be white: its last operand 1 (1, 1.0, 1.) or .97-.99, or a cmyk with no black.
# (One pattern per operator: an alternation of operators loses the fast literal scan.)
_WHITE_OPERAND = rb"[ \t\r\n]+(?:0*\.?1|\d*[7-9]9\.0?)(?![\d.])"
_WHITE_REVERSED = tuple(re.compile(op + _WHITE_OPERAND) for op in (rb"gr", rb"g", rb"cs", rb"ncs")) + (
    re.compile(rb"k[ \t\r\n]+0*\.?0*(?![\d.])"),)
_VECTOR_INFO = re.compile(r"<vector filled, color: #([0-9a-fA-F]{6}), alpha: (\d+)")
_TEXT, _VECTOR = 0, 3  # extractBLOCKS block types
_LARGE = 3.0  # points: a fill thinner than this is a rule, not a ground or a cover
_OPAQUE = 0.99
_SAME = 0.03  # largest difference of a colour component that a reader cannot tell apart
_COVERED = 0.7  # share of a glyph's box under a later opaque fill that hides it
_WHITE = (1.0, 1.0, 1.0)
_FAR = -1.0e5  # where hidden glyphs are moved: outside every TextPage's box
_PAINTED = 16 | 32  # FZ_STEXT_FILLED | FZ_STEXT_STROKED: a glyph drawn in ink (render mode 3 has neither)
_MAX_FORM_BYTES = 4_000_000  # form XObject content looked at by the cheap test


def hide_unseen(page: pymupdf.Page, tp: pymupdf.TextPage, blocks: list[tuple]) -> bool:
    """Take the text a viewer does not show out of ``tp``; True when any was taken.

    ``blocks`` is ``tp.extractBLOCKS()`` (with vector blocks: TEXT_COLLECT_VECTORS), already
    read by the caller; after True the caller reads words and blocks again.
    """
    try:
        if not _suspect(page, blocks):
            return False
        hidden, layer, traced = _traced(page)
        changed = bool(hidden) and _move_out(tp, hidden)
        if _CLIP_MODE.search(_content(page)):
            changed = _clip_only_out(page, tp, traced) or changed
        if layer:  # a scan's OCR layer: its numbers are checked against the picture (pdfocrlayer)
            fixes = pdfocrlayer.rereads(page, [(text, box) for text, box, _keys in layer])
            changed = _rewrite(tp, {key: (layer[i][2], text) for i, text in fixes.items()
                                    for key in layer[i][2][:1]}) or changed
        return changed
    except Exception:  # noqa: BLE001 - a page MuPDF cannot trace is read as its text layer says
        return False


def _suspect(page: pymupdf.Page, blocks: list[tuple]) -> bool:
    """The cheap look: could anything on this page be painted out of sight?"""
    grounds = [_WHITE]
    texts: list[tuple] = []
    for b in blocks:
        if b[6] == _TEXT:
            texts.append(b)
            continue
        if b[6] != _VECTOR or b[2] - b[0] < _LARGE or b[3] - b[1] < _LARGE:
            continue
        m = _VECTOR_INFO.search(b[4])
        if m is None:
            continue
        colour = tuple(int(m.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
        grounds.append(colour)
        # (MuPDF keeps blocks in paint order: a fill after a text block it overlaps may cover it)
        if int(m.group(2)) >= 250 and any(t[0] < b[2] and b[0] < t[2] and t[1] < b[3] and b[1] < t[3] for t in texts):
            return True
    content = _content(page)
    if b"Tr" in content and _INVISIBLE_MODE.search(content):
        return True
    backwards = content[::-1]
    if len(grounds) == 1:  # (only the paper: only white text can vanish)
        return any(p.search(backwards) for p in _WHITE_REVERSED)
    for op, operands in set(_FILL_COLOUR_REVERSED.findall(backwards)):
        try:
            colour = _rgb([float(v[::-1]) for v in operands.split()][::-1], op[::-1])
        except ValueError:
            continue
        if colour is not None and any(_same(colour, g) for g in grounds):
            return True
    return False


def _content(page: pymupdf.Page) -> bytes:
    """The page's content streams, and those of the forms it draws (text may live in them)."""
    content = page.read_contents()
    if b"Do" not in content:
        return content
    parts, size = [content], len(content)
    for xref, *_ in page.get_xobjects():
        if size > _MAX_FORM_BYTES:
            break
        try:
            stream = page.parent.xref_stream(xref) or b""
        except Exception:  # noqa: BLE001 - a damaged form: judged on what could be read
            continue
        parts.append(stream)
        size += len(stream)
    return b"\n".join(parts)


def _rgb(values: list[float], op: bytes | str) -> tuple[float, float, float] | None:
    """A colour as sRGB components, from its operator's operands (or a trace's tuple)."""
    n = len(values)
    if op in (b"g", "g") or (n == 1 and op not in (b"rg", b"k")):
        return (values[0],) * 3 if n == 1 else None
    if op in (b"k", "k") or n == 4:
        if n != 4:
            return None
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return tuple(values) if n == 3 else None  # type: ignore[return-value]


def _same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(x - y) <= _SAME for x, y in zip(a, b, strict=True))


# seqno, rect, colour (None: a ground of unknown colour), whether it covers what it is painted over
Fill = tuple[int, tuple[float, float, float, float], tuple[float, float, float] | None, bool]
_SHADING = re.compile(rb"(?<![\w/])sh\b|/Pattern\b")  # gradients and patterns: not among the drawings


def _fills(page: pymupdf.Page) -> list[Fill]:
    """Fills large enough to be a ground or a cover, in paint order.

    Only an opaque fill of axis-aligned rectangles has a known colour and covers what it is
    painted over; any other fill (a curve, a slanted or translucent shape) leaves the colour of
    the ground under its box unknown, and covers nothing.  A fill is painted only inside the clip
    paths around it: a rectangular clip cuts it to the common rectangle (a white page-wide fill
    clipped to one empty cell covers nothing else), any other clip leaves only an unknown ground
    in the clip's box.  A fill inside a group that blends (Multiply, Darken…, also in a form
    XObject) or is translucent tints what lies under it: it covers nothing, and its colour is
    not the ground's.
    """
    out: list[Fill] = []
    around: list[tuple[int, tuple | None, bool]] = []  # level, clip box (None: a group), whether it keeps shapes
    for path in page.get_drawings(extended=True):
        kind, level = path.get("type") or "", path.get("level", 0)
        while around and around[-1][0] >= level:
            around.pop()
        if kind == "clip":
            box = path.get("scissor")
            around.append((level, _norm(box) if box is not None else None, box is not None and _rect_clip(path)))
            continue
        if kind == "group":
            plain = (path.get("blendmode") or "Normal") in ("Normal", "Compatible")
            around.append((level, None, plain and (path.get("opacity") or 1.0) >= _OPAQUE))
            continue
        fill = path.get("fill")
        if fill is None or "f" not in kind:
            continue
        seq = path.get("seqno", 0)
        colour = _rgb(list(fill), "")
        rects = _rects(path) if colour is not None and (path.get("fill_opacity") or 1.0) >= _OPAQUE else []
        if not rects:
            rects, colour = [_norm(path["rect"])], None
        for box, keeps in ((box, keeps) for _, box, keeps in around):
            if not keeps:
                colour = None  # (a shaped clip or a blending group: what is painted is not known)
            if box is not None:
                rects = [r for r in (_cut(r, box) for r in rects) if r is not None]
        for rect in rects:
            if rect[2] - rect[0] >= _LARGE and rect[3] - rect[1] >= _LARGE:
                out.append((seq, rect, colour, colour is not None))
    out.sort(key=lambda f: f[0])
    return out


def _rect_clip(path: dict) -> bool:
    """Whether a clip path is one axis-aligned rectangle (or several): then what it lets a fill
    paint is the common rectangle."""
    points = [p for it in path.get("items") or () if it[0] == "l" for p in it[1:3]]
    if points:  # (a rectangle drawn with lines: judged against its own box, not the clip's scissor)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return bool(_rects({**path, "rect": (min(xs), min(ys), max(xs), max(ys))}))
    return bool(_rects(path))


def _cut(r: tuple[float, float, float, float], box: tuple[float, float, float, float]):
    """The common rectangle of two, None when they do not overlap."""
    x0, y0, x1, y1 = max(r[0], box[0]), max(r[1], box[1]), min(r[2], box[2]), min(r[3], box[3])
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


_BLEND = re.compile(r"/BM\s*/(?!Normal\b|Compatible\b)\w+")
_REF = re.compile(r"(\d+)\s+0\s+R")


def _blends(page: pymupdf.Page) -> bool:
    """Whether the page's graphics states blend (Multiply, Darken…): a fill painted over text
    in such a state tints it (a highlighter) instead of covering it, and the drawings do not
    say which fill was painted so.  Then no fill counts as a cover."""
    doc = page.parent
    kind, states = doc.xref_get_key(page.xref, "Resources/ExtGState")
    if kind not in ("dict", "xref"):
        return False
    if kind == "xref":
        states = doc.xref_object(int(states.split()[0]), compressed=True)
    if _BLEND.search(states):
        return True
    return any(_BLEND.search(doc.xref_object(int(x), compressed=True)) for x in _REF.findall(states)[:64])


def _rects(path: dict) -> list[tuple[float, float, float, float]]:
    items = path.get("items") or []
    if items and all(it[0] == "re" for it in items):
        return [_norm(it[1]) for it in items]
    if items and all(it[0] == "l" for it in items):
        x0, y0, x1, y1 = _norm(path["rect"])
        for it in items:
            for px, py in it[1:3]:
                on_edge = min(abs(px - x0), abs(px - x1)) < 0.5 or min(abs(py - y0), abs(py - y1)) < 0.5
                if not on_edge:
                    return []
            if abs(it[1][0] - it[2][0]) > 0.5 and abs(it[1][1] - it[2][1]) > 0.5:
                return []  # a slanted edge
        return [(x0, y0, x1, y1)]
    return []


def _norm(r) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = r
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


Key = tuple[float, float]  # a glyph's origin, rounded: the same glyph in the trace and the TextPage


def _key(x: float, y: float) -> Key:
    return round(x, 1), round(y, 1)


LayerWord = tuple[str, tuple[float, float, float, float], list[Key]]  # text, box, its glyphs' origins


def _hidden_glyphs(page: pymupdf.Page) -> dict[Key, tuple[list[int], int]]:
    return _traced(page)[0]


def _traced(page: pymupdf.Page) -> tuple[dict[Key, tuple[list[int], int]], list[LayerWord], dict[Key, int]]:
    """For each origin with a hidden glyph: the hidden glyphs' characters and how many glyphs
    painted there are seen; the words of an OCR layer (invisible text on a picture); how many
    glyphs the trace holds at each origin."""
    fills = _fills(page)
    covering = not _blends(page)
    paper = None if _SHADING.search(_content(page)) else _WHITE  # (a gradient may lie under any text)
    pictures = [tuple(info["bbox"]) for info in page.get_image_info()]
    hidden: dict[Key, list[int]] = {}
    seen: dict[Key, int] = {}
    layer: list[LayerWord] = []
    for span in page.get_texttrace():
        kind, seq = span.get("type"), span.get("seqno", 0)
        colour = _rgb(list(span.get("color") or ()), "")
        opacity = span.get("opacity", 1.0)
        keys: list[Key] = []
        for ch in span.get("chars", ()):
            unicode, _glyph, origin, bbox = ch[0], ch[1], ch[2], ch[3]
            key = _key(*origin)
            if _unseen(kind, seq, colour, opacity, _norm(bbox), fills, pictures, covering, paper):
                hidden.setdefault(key, []).append(unicode)
            else:
                seen[key] = seen.get(key, 0) + 1
                if kind == 3:  # (seen only as a scan's OCR layer: on a picture)
                    keys.append(key)
        if keys:
            text = "".join(chr(ch[0]) for ch in span["chars"] if _key(*ch[2]) in keys)
            layer.append((text, _norm(span["bbox"]), keys))
    traced = dict(seen)
    for k, v in hidden.items():
        traced[k] = traced.get(k, 0) + len(v)
    return {k: (v, seen.get(k, 0)) for k, v in hidden.items()}, layer, traced


_CLIPPED = 64  # FZ_STEXT_CLIPPED


def _clip_only_out(page: pymupdf.Page, tp: pymupdf.TextPage, traced: dict[Key, int]) -> bool:
    """Move out text drawn only as a clip path (render mode 7): it paints nothing, so nothing of
    it is seen unless something is painted through it.  MuPDF's text trace leaves such text out
    and its TextPage marks it clipped: where an origin holds more clipped glyphs than the trace
    has glyphs there (a draft's figure laid as clip text on the printed one), the surplus goes.
    A picture under it or a shading on the page may show through the letters: then it is read."""
    if _SHADING.search(_content(page)):
        return False
    at: dict[Key, list] = {}
    for c in _glyphs(tp):
        at.setdefault(_key(c.origin.x, c.origin.y), []).append(c)
    pictures = [tuple(info["bbox"]) for info in page.get_image_info()]
    moved = False
    for key, chars in at.items():
        surplus = len(chars) - traced.get(key, 0)
        clip_only = [c for c in chars if c.flags & _CLIPPED]
        if surplus <= 0 or not clip_only:
            continue
        if any(p[0] <= key[0] <= p[2] and p[1] - 1 <= key[1] <= p[3] + 1 for p in pictures):
            continue
        for c in clip_only[-surplus:]:  # (drawn after the printed glyph: last at its origin)
            _send_away(c)
            moved = True
    return moved


def _unseen(kind: int | None, seq: int, colour: tuple[float, float, float] | None, opacity: float,
            box: tuple[float, float, float, float], fills: list[Fill], pictures: list[tuple[float, ...]],
            covering: bool = True, paper: tuple[float, float, float] | None = _WHITE) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    on_picture = any(p[0] <= cx <= p[2] and p[1] <= cy <= p[3] for p in pictures)
    if kind == 3:  # render mode 3: invisible, unless it is a scan's OCR layer
        return not on_picture
    if opacity is not None and opacity <= 0.02:
        return True
    ground = paper
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    for fseq, r, fcolour, covers in fills:
        if fseq < seq:
            if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]:
                ground = fcolour  # (in paint order: the last fill under the glyph is its ground)
        elif fseq > seq and covers and covering:
            w = min(r[2], box[2]) - max(r[0], box[0])
            h = min(r[3], box[3]) - max(r[1], box[1])
            if w > 0 and h > 0 and w * h >= _COVERED * area:
                return True
    # (on a picture the ground is the picture's pixels, whatever was filled before it)
    return not on_picture and colour is not None and ground is not None and _same(colour, ground)


def _move_out(tp: pymupdf.TextPage, hidden: dict[Key, tuple[list[int], int]]) -> bool:
    """Move the TextPage's hidden glyphs out of its box.

    A glyph is found by its origin; where seen and hidden glyphs share one (a new figure
    typed on the box that covers the old one), only the glyphs beyond the seen ones go,
    the hidden characters first.
    """
    at: dict[Key, list] = {}
    for c in _glyphs(tp):
        key = _key(c.origin.x, c.origin.y)
        if key in hidden:
            at.setdefault(key, []).append(c)
    moved = False
    for key, chars in at.items():
        unicodes, seen = hidden[key]
        surplus = len(chars) - seen
        if surplus <= 0:
            continue
        chars.sort(key=lambda c: c.c not in unicodes)  # (stable: the hidden characters first)
        for c in chars[:surplus]:
            _send_away(c)
            moved = True
    return moved


def _glyphs(tp: pymupdf.TextPage):
    """Every glyph of the TextPage's text blocks, as MuPDF's own structs (edited in place)."""
    for block in tp.this:
        if block.m_internal.type != _TEXT:
            continue
        for line in block:
            for ch in line:
                yield ch.m_internal


def _send_away(c) -> None:
    """Put a glyph far outside the page, where none of PyMuPDF's readers look."""
    # (the wrappers must outlive the copy into the glyph: .internal() of a temporary dangles)
    far = pymupdf.mupdf.FzPoint(_FAR, _FAR)
    quad = pymupdf.mupdf.FzQuad(pymupdf.mupdf.FzRect(_FAR, _FAR, _FAR + 1, _FAR + 1))
    c.origin = far.internal()
    c.quad = quad.internal()


def _rewrite(tp: pymupdf.TextPage, fixes: dict[Key, tuple[list[Key], str]]) -> bool:
    """Give OCR-layer words the text the picture shows: ``fixes`` maps a word's first glyph origin
    to all its glyphs' origins and the new text.  The glyphs take the new characters in order;
    glyphs beyond the new text are moved out; a text longer than the word's glyphs (no glyph to
    hold the rest) makes the word unreadable instead."""
    from parsers.tokens import OCR_UNSURE

    if not fixes:
        return False
    wanted: dict[Key, tuple[int, str]] = {}
    for keys, text in fixes.values():
        if len(text) > len(keys):
            text = OCR_UNSURE
        for n, key in enumerate(keys):
            wanted[key] = (n, text)
    changed = False
    for c in _glyphs(tp):
        got = wanted.get(_key(c.origin.x, c.origin.y))
        if got is None or c.flags & _PAINTED:  # (only the layer's own, invisible glyphs)
            continue
        n, text = got
        if n < len(text):
            c.c = ord(text[n])
        else:
            _send_away(c)
        changed = True
    return changed
