"""Where each of table 4's five outcome columns stands in a group, as its printed header says.

Some offices print each group's 总计 first (总计, 结果维持, 结果纠正, 其他结果, 尚未审结) and keep the
template's fifteen columns.  Read in the template's order, every number lands one column off; where
the shifted numbers still add up (all cases pending: 2 0 0 0 2 read as upheld 2, total 2) nothing
shows it.  Only the header can tell, so a header that prints its outcome words decides:

- proved: fifteen outcome names cutting into three runs of five, one run per group in the
  template's order (行政复议, 未经复议直接起诉, 复议后起诉; the header names them in that order), each
  run naming the five outcomes once, in any order.  The names are read by column where every header
  line is a grid row of fifteen cells (a name wrapped in its cell, 总 / 计, is joined top to bottom),
  else in reading order, line by line, left to right, a run never straddling two lines (except in a
  dump printing one name per line).  Both hold whether merged cells are printed once (DOCX, XLSX,
  a PDF's grid) or laid in their first column (HTML): a group's outcome cells stand left to right
  on one line, and 行政复议's (spanning the header's two lower lines) above or beside the litigation
  groups'.  Table 4 printed as a row per group under one line of the five names takes that line's
  order for each row.  Fifteen names in a grid's cells that are not each group's five once:
  ``unaligned`` (in a text dump's lines, whose order may be no column's, no sign either way);
- departing: the names cannot be read so (wrapped over lines: 总 / 计, 结果 / 维持), yet the header
  prints 总计 before any other outcome (in reading order, by the first stroke of each: 维 纠 其 尚 总):
  the template's order is disproved and not replaced, so the table is left unread (``unaligned``),
  never read in the template's order.  (Counted from the first group name: a dump of text blocks may
  set a lone 总计 above the header.  Only 总 is telling: a wrapped template header prints 结果 /
  维持 over two lines, so its first line may start with 其他 or 尚未; and only where the header names
  the groups in the template's order: a dump of text blocks in another order, 复议后起诉 first, prints
  its words in no column's order.)
- neither (no outcome name, or no sign against the template's order): the template's order.

What each header word names (尚结 is 尚未审结, a bare 其他 其他结果 …) is t4names', the table every reader
of table 4's header shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from .headerwords import line_names
from .t4names import FIRST_STROKE, GROUP_WORDS, OUTCOME_WORDS, groups_in, outcome_of, without_groups
from .template import REVIEW_COLS, REVIEW_GROUPS
from .tokens import line_cells, split_cells, squash

_N = len(REVIEW_COLS)


@dataclass(frozen=True)
class Order:
    """``places[k]``: the printed column (0..14) of template cell k; None when the header departs
    from the template's order without proving another (``why`` says so)."""

    places: tuple[int, ...] | None
    why: str = ""


def _header(lines: list[str]) -> list[str]:
    """The lines above table 4's first line of numbers."""
    out: list[str] = []
    for line in lines:
        lc = line_cells(line)
        if lc.values and not "".join(lc.labels).strip():
            break
        out.append(line)
    return out


def _words(line: str) -> tuple[list[str], bool]:
    """The line's outcome words in reading order (group words taken out first), and whether the
    line is one outcome's full name alone."""
    return line_names(line, OUTCOME_WORDS, GROUP_WORDS)


def _groups_in_order(header: list[str]) -> bool:
    """The groups the header names are named (first) in the template's order; a header naming none
    (the outcome names alone) stands for the template's groups, as it does."""
    first: dict[str, int] = {}
    for group, at in groups_in(squash("".join(header))):
        if group in REVIEW_GROUPS:
            first.setdefault(group, at)
    return [first[g] for g in REVIEW_GROUPS if g in first] == sorted(first.values())


def _proved(header: list[str]) -> tuple[int, ...] | None:
    read = [w for line in header if (w := _words(line))[0]]
    per_line = [w for w, _alone in read]
    one_per_line = all(alone for _w, alone in read)
    if not per_line or not (all(len(w) % _N == 0 for w in per_line) or one_per_line):
        return None
    return _placed([w for line in per_line for w in line], header)


def _by_columns(header: list[str]) -> tuple[int, ...] | None:
    """The same from a grid header whose every line has the fifteen cells: each column's cells read
    top to bottom name one outcome (a word wrapped over lines, 总 / 计, is joined in its column)."""
    rows = [cells for line in header if squash(line) and (cells := split_cells(line)) is not None]
    n = len(REVIEW_GROUPS) * _N
    if not rows or len(rows) != len([line for line in header if squash(line)]) or {len(r) for r in rows} != {n}:
        return None
    words = []
    for j in range(n):
        word = outcome_of(without_groups("".join(squash(r[j]) for r in rows), ""))
        if word is None:
            return None
        words.append(word)
    return _placed(words, header)


def _placed(words: list[str], header: list[str]) -> tuple[int, ...] | None:
    """Template cell k's printed place, from the fifteen outcome words in printed order; ``()`` when
    the header names fifteen columns that are not each group's five once (not one-to-one)."""
    if len(words) != len(REVIEW_GROUPS) * _N or not _groups_in_order(header):
        return None  # (groups named out of order: a dump of text blocks, its reading order no column's)
    runs = [words[k:k + _N] for k in range(0, len(words), _N)]
    if any(sorted(run) != sorted(REVIEW_COLS) for run in runs):
        return ()
    return tuple(g * _N + run.index(c) for g, run in enumerate(runs) for c in REVIEW_COLS)


def _by_rows(lines: list[str]) -> tuple[int, ...] | None:
    """The same from table 4 printed as a row per group (行政复议 / 未经复议直接起诉 / 复议后起诉, in the
    template's order as the reader takes them) under one header line naming the five outcomes: that
    line's order is every row's."""
    at = next((i for i, line in enumerate(lines) if line_cells(line).values), None)
    if at is None:
        return None
    named = [w for line in lines[:at] if (w := _words(line)[0])]
    rows = [len(lc.values) for line in lines[at:] if (lc := line_cells(line)).values]
    if len(named) != 1 or sorted(named[0]) != sorted(REVIEW_COLS) or rows != [_N] * len(REVIEW_GROUPS):
        return None
    return tuple(g * _N + named[0].index(c) for g in range(len(REVIEW_GROUPS)) for c in REVIEW_COLS)


def _first_outcome(header: list[str]) -> str | None:
    """The first stroke of the first outcome name after the first group name (a dump of text blocks
    may set a lone 总计 block above the whole header)."""
    text = squash("".join(header))
    group = groups_in(text)
    m = FIRST_STROKE.search(without_groups(text[group[0][1] if group else 0:]))
    return m.group(0) if m else None


def header_order(lines: list[str]) -> Order | None:
    """The printed place of each template cell that table 4's header (in ``lines``) proves, a
    departing header that proves none, or None (the template's order stands)."""
    header = _header(lines)
    places = _by_columns(header)
    if places is None:
        places = _proved(header)
        if places == () and any(split_cells(line) is None for line in header if _words(line)[0]):
            return None  # names in a text dump's order, which is no column's (words sorted by place): no sign
    places = _by_rows(lines) if places is None else places
    if places == ():
        return Order(None, "table 4: its header names fifteen columns but not each group's five outcomes once;"
                           " the 15 numbers are not placed")
    if places is not None:
        return None if places == tuple(range(len(places))) else Order(places)
    if _first_outcome(header) not in ("总", "合计") or not _groups_in_order(header):
        return None
    return Order(None, "table 4: its header prints 总计 before the other outcomes, and its words cannot be placed"
                       " column by column; the 15 numbers are not read in the template's order (not placed)")


def reorder(cells: list, order: Order) -> list:
    """``cells`` (printed order) put in the template's order."""
    assert order.places is not None
    return [cells[p] for p in order.places]


def described(order: Order) -> str:
    """The warning naming the printed order of each group's outcomes."""
    assert order.places is not None
    names = []
    for g in range(len(REVIEW_GROUPS)):
        at = order.places[g * _N:(g + 1) * _N]
        names.append(" ".join(c for _p, c in sorted(zip(at, REVIEW_COLS, strict=True))))
    return "table 4 printed with its outcome columns in another order; read by its header (" + "; ".join(
        f"{g}: {n}" for g, n in zip(REVIEW_GROUPS, names, strict=True)) + ")"
