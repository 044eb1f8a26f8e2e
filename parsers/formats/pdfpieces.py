"""Rules a table draws in pieces that meet end to end, with no crossing rule where they meet.

pdfgrid groups a page's rules into tables by where horizontal and vertical rules cross.  A
merged cell breaks that chain: Chromium draws each cell's borders separately, so a row whose
last cell spans two columns (the 2019 template's 采购总金额 in table 2's （九） row) has its top
and bottom borders in pieces that only touch at the hidden column edge.  When such a row
stands alone (the last row of a table carried onto the next page), the spanning cell's right
border and border pieces form a group of their own, one rule wide, which is no table: the
cell's number (1295.16) fell out of the row and the amount was lost.

A group too thin to be a table (fewer than two distinct rules either way) that still has rules
both ways (a piece of a cell: a border down and borders across) and whose rule continues one of
another group's rules along the same line is part of that group.  A lone rule is left apart, as
pdfgrid always left it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.formats.pdfgrid import Seg


def joined(groups: list[list[Seg]], tol: float, snap: float) -> list[list[Seg]]:
    """``groups`` (pdfgrid's rule groups) with each thin group that continues another's rule
    merged into it; ``tol`` is how far apart two rule ends still meet, ``snap`` how close two
    rules are one grid line (pdfgrid's TOL and SNAP)."""
    if len(groups) < 2:
        return groups
    thin, out = [], []
    for g in groups:
        if not _thin(g, snap):
            out.append(g)
        elif any(s.horizontal for s in g) and not all(s.horizontal for s in g):
            thin.append(g)  # (a cell's piece: rules both ways; a lone rule stays apart, as it was)
        else:
            out.append(g)
    if not thin:
        return groups
    pending = thin
    while pending:  # (a chain of thin pieces joins one link at a time)
        left = []
        for g in pending:
            home = next((h for h in out if _continues(g, h, tol)), None)
            if home is None:
                left.append(g)
            else:
                home.extend(g)
        if len(left) == len(pending):
            out.extend(left)
            break
        pending = left
    return out


def _thin(group: list[Seg], snap: float) -> bool:
    """Fewer than two rules across or down (a table's group shows both within its first rules)."""
    across = down = None  # the first position met each way; True once a second one is met
    for s in group:
        if s.horizontal:
            if across is None:
                across = s.pos
            elif across is not True and abs(s.pos - across) > snap:
                across = True
        elif down is None:
            down = s.pos
        elif down is not True and abs(s.pos - down) > snap:
            down = True
        if across is True and down is True:
            return False
    return True


def _continues(group: list[Seg], other: list[Seg], tol: float) -> bool:
    """A rule of ``group`` and one of ``other`` lie on one line and meet (end to end, or
    one running on over the other)."""
    for s in group:
        for t in other:
            if s.horizontal == t.horizontal and abs(s.pos - t.pos) <= tol and t.a - tol <= s.b and s.a <= t.b + tol:
                return True
    return False


def end_to_end(segs: list[Seg], tol: float) -> list[Seg]:
    """``segs`` with the pieces of one rule (on one line, meeting end to end) made one rule.

    Chromium draws a collapsed border cell by cell, one piece per grid column.  Rows whose
    cells all span columns draw no rule down at some column edges, so the pieces of their
    borders meet there with nothing crossing them: the rows of a table carried onto the next
    page fell apart into a left and a right table at such an edge (行政强制 and its number
    in two tables, the number then read into the row below).  Pieces that do not meet stay
    apart (two tables side by side keep their gap).
    """
    from parsers.formats.pdfgrid import Seg

    out: list[Seg] = []
    for horizontal in (True, False):
        line: list[Seg] = []
        for s in sorted((s for s in segs if s.horizontal == horizontal), key=lambda s: s.pos):
            if line and s.pos - line[0].pos > tol:
                out.extend(_mended(line, tol, Seg))
                line = []
            line.append(s)
        out.extend(_mended(line, tol, Seg))
    return out


def _mended(line: list[Seg], tol: float, seg: type) -> list[Seg]:
    """The pieces of one line (positions within ``tol``), touching ones joined."""
    if len(line) < 2:
        return line
    out: list[Seg] = []
    for s in sorted(line, key=lambda s: s.a):
        last = out[-1] if out else None
        if last is not None and s.a <= last.b + tol:
            if s.b > last.b:
                out[-1] = seg(last.horizontal, last.pos, last.a, s.b)
        else:
            out.append(s)
    return out


def open_sides(group: list[Seg], tol: float, snap: float) -> list[Seg]:
    """``group`` with a rule down each open side of the table it draws.

    Many reports leave a table's outer sides open: its rules across run on past the outermost
    rule down, to where a side border would stand.  Read as drawn, the grid ends at the
    outermost inner rule and the label column (and the last one) fell outside the table, its
    labels printed as paragraphs away from their numbers.  Where two or more rules across
    start (or end) together beyond every rule down, the side is taken as drawn between them.
    A group with no rule down (a three-line table) is left as it is: its columns are not drawn.
    """
    downs = [s.pos for s in group if not s.horizontal]
    if not downs:
        return group
    from parsers.formats.pdfgrid import Seg

    across = [s for s in group if s.horizontal]
    extra: list[Seg] = []
    left, right = min(downs) - snap, max(downs) + snap  # (beyond these every rule down: once, not per rule)
    for edge, beyond in ((lambda s: s.a, lambda x: x < left),
                         (lambda s: s.b, lambda x: x > right)):
        ends = sorted((edge(s), s.pos) for s in across if beyond(edge(s)))
        best: list[tuple[float, float]] = []
        for i in range(len(ends)):  # the most rules ending together (within tol)
            run = [e for e in ends[i:] if e[0] - ends[i][0] <= tol]
            if len(run) > len(best):
                best = run
        if len(best) >= 2:
            x = sum(e[0] for e in best) / len(best)
            ys = [e[1] for e in best]
            extra.append(Seg(False, x, min(ys), max(ys)))
    return group + extra if extra else group
