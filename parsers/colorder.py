"""Whether table 3's header alone proves the order of its applicant columns.

Offices print the five 法人或其他组织 columns in orders of their own (科研机构 before 商业企业,
法律服务机构 before 社会公益组织) and 自然人 after them.  Such a permutation keeps every row's sum,
so the rows cannot tell it from the template's order: only the header can.  It is trusted
where its words carry positions a reader can check (cells of a grid, or one printed line), and
where the order it gives has the shape every form has (the five legal-person columns side by
side under their merged cell).  Anything less leaves the template's order, as before.
"""

from __future__ import annotations

import re

from .headerwords import line_names
from .template import APPLICANT_COL_LABELS, APPLICANT_COLS
from .tokens import split_cells, squash, value_cell

_NAME = re.compile("|".join(APPLICANT_COL_LABELS.values()))
_NOISE = re.compile(r"（[^）]*）|\([^)]*\)|法人或者?其他组织|申请人情况")
_OVER = frozenset((APPLICANT_COL_LABELS["natural_person"], APPLICANT_COL_LABELS["total"]))
_LEGAL = frozenset(APPLICANT_COL_LABELS.values()) - _OVER


def _header_names(lines: list[str]) -> list[tuple[bool, list[tuple[int, str]]]]:
    """(tabbed, [(cell index, name)]) for each header line naming a column, above the first row of numbers."""
    out: list[tuple[bool, list[tuple[int, str]]]] = []
    for line in lines:
        cells = split_cells(line)
        tabbed = cells is not None
        cells = cells or [line]
        if len(cells) >= 3 and sum(value_cell(c) is not None and c.strip() != "" for c in cells) >= 3:
            break
        names = [(ci, w) for ci, cell in enumerate(cells) for w in _NAME.findall(_NOISE.sub("", squash(cell)))]
        if names:
            out.append((tabbed, names))
    return out


def _legal_side_by_side(order: list[int]) -> bool:
    """The five legal-person columns (template places 1..5) stand next to each other in print."""
    at = sorted(order[1:6])
    return at == list(range(at[0], at[0] + 5))


def order_proved(lines: list[str], order: list[int]) -> bool:
    """Whether the header's reading of the seven columns (``order``: printed place of each template
    column) rests on positions, so that it decides even where the row sums cannot."""
    if sorted(order) != list(range(7)) or not _legal_side_by_side(order):
        return False
    named = _header_names(lines)
    words = [w for _, names in named for _, w in names]
    if sorted(words) != sorted(_LEGAL | _OVER):
        return False  # a name missing or printed twice: the header is not one plain row of seven
    if len(named) == 1:
        return True  # one line: its words stand in printed order (cells, or a line of text)
    if not all(tabbed for tabbed, _ in named):
        return False  # words over several lines without cell positions
    places = [ci for _, names in named for ci, _ in names]
    if len(set(places)) == len(places):
        return True  # a grid: each name in a column of its own
    # the merged 法人或其他组织 cell printed once: 自然人 / 总计 on one line, the five under it
    return len(named) == 2 and {w for _, w in named[0][1]} == _OVER and {w for _, w in named[1][1]} == _LEGAL



# a column's name or, for the legal-person columns, the first two characters of it: a dump that
# breaks 商业企业 over two lines (商业 / 企业) still prints each head in its column's left-to-right
# place; the merged cell's own words (``legal``) first, so that its 其他 is no column
_HEADS = re.compile("|".join(
    [r"(?P<legal>法人或者?其他组织)", f"(?P<natural_person>{APPLICANT_COL_LABELS['natural_person']})",
     *(f"(?P<{c}>{APPLICANT_COL_LABELS[c][:2]}\\w{{0,{len(APPLICANT_COL_LABELS[c]) - 2}}})"
       for c in ("commercial", "research", "social_welfare", "legal_services")),
     f"(?P<other_org>{APPLICANT_COL_LABELS['other_org']})", f"(?P<total>{APPLICANT_COL_LABELS['total']})"]))
_FIVE = APPLICANT_COLS[1:-1]
_TRIO = frozenset(("natural_person", "legal", "total"))


def _header(lines: list[str]) -> list[str]:
    """Table 3's header: the lines above its first line printing a number."""
    out = []
    for line in lines:
        if any(value_cell(t) is not None for t in (split_cells(line) or line.split())):
            break
        out.append(_NOISE_KEEP_GROUP.sub("", line))
    return out


# bracketed notes (勾稽关系) and 申请人情况 hold no column; the merged cell's words stay (a place)
_NOISE_KEEP_GROUP = re.compile(r"（[^）]*）|\([^)]*\)|申请人情况")


def _named(header: list[str]) -> list[tuple[list[str], bool]]:
    """(names in reading order, one name alone) of each header line naming a column."""
    return [got for line in header if (got := line_names(line, _HEADS))[0]]


def reading_order(lines: list[str]) -> list[int] | None:
    """The printed place of each template column, read from a text dump's header lines in reading
    order (parsers/headerwords.py), or None when they do not prove one.

    Proved: one line naming the seven columns once each; or the merged 法人或其他组织 cell printed once
    (自然人, 法人或其他组织 and 总计 once each on one line, in any order: where the merged cell stands
    is where the five go) over a line naming the five legal-person columns once each.  Names one per
    line prove nothing: a dump of text blocks sorted by their place sets them in no column's order.
    (The caller still takes the reading only where the row sums do not speak against it.)"""
    named = _named(_header(lines))
    words = [w for ws, _ in named for w in ws]
    if len(named) == 1 and sorted(w for w in words if w != "legal") == sorted(APPLICANT_COLS):
        printed = [w for w in words if w != "legal"]
    elif [len(ws) for ws, _ in named] == [3, 5] and set(words[:3]) == _TRIO and sorted(words[3:]) == sorted(_FIVE):
        printed = [w for top in words[:3] for w in (words[3:] if top == "legal" else [top])]
    else:
        return None
    return [printed.index(c) for c in APPLICANT_COLS]


# the legal-person columns by the first two characters of their names: a dump that breaks 商业企业
# over two lines (商业 / 企业) still prints each head in its column's left-to-right place
_LEGAL_HEADS = tuple(APPLICANT_COL_LABELS[c][:2] for c in ("commercial", "research", "social_welfare", "legal_services"))


def order_departs(lines: list[str]) -> bool:
    """Whether a header line prints two legal-person columns' names in an order other than the
    template's.

    Only names on one line are compared: a line is read left to right by every dump, while lines
    of a header are not rows of it (a one-line name sits lower in its cell than a wrapped one, 商业企业
    under 科研机 / 构).  Used where the header's positions are lost: its order then cannot be read,
    but a departure from the template's can be seen; 其他 is left out (a word too common to place),
    and so are 自然人 and 总计 (a dump of text blocks sorted by their top edge may set them anywhere on
    a line; where 总计 stands the row sums tell)."""
    for line in lines:
        if any(value_cell(t) is not None for t in (split_cells(line) or line.split())):
            return False
        text = _NOISE.sub("", squash(line))
        found = [i for h in _LEGAL_HEADS if (i := text.find(h)) >= 0]
        if found != sorted(found):
            return True
    return False
