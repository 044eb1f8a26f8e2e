"""Table 4's header words: the one table of what each printed group and outcome name means.

Every reader of table 4's printed header asks this module what a header word names: t4order (the
fifteen columns with each group's outcomes in another order), t4header (10/12-column shapes,
formats/pdft4grid.py through it), ratecols (rate columns beside the counts) and the transposed
reader in tables.py.  One table, so a word read in one shape is read the same in every shape.

Outcomes (template.REVIEW_COLS), by the names offices print:

- upheld 结果维持 / 维持; corrected 结果纠正 / 纠正; total 总计 / 合计;
- pending 尚未审结 / 未审结 / 尚结 (a LibreOffice PDF may lose 未审's glyphs; no other word of the
  table holds 尚结);
- other 其他结果, and 其他 standing as a word of its own (the whole cell, or followed by a
  separator or by another outcome's name where a dump glued the cells).  The template's table 4
  prints no other 其他 (its header is 行政复议, 行政诉讼, 未经复议直接起诉, 复议后起诉 and the five
  outcomes), so a bare 其他 can only be 其他结果; 其他 running into other text (其他情形) is no
  name of the template's and names nothing.

Groups: 行政复议 (review); 未经复议直接起诉 / 直接起诉 / 未经复议 (litigation_direct: 未经复议 is a
wrapped 未经复议直接起诉); 复议后起诉 / 复议后 (litigation_after_review); 行政诉讼 alone (诉讼 without a
subgroup): the two litigation groups printed as one, ``COMBINED``, no template group.  A cell naming a
subgroup names it even inside 行政诉讼 (行政诉讼（未经复议直接起诉）) or beside 行政复议 (未经行政复议
直接起诉, 经行政复议后起诉).
"""

from __future__ import annotations

import re

from .template import REVIEW_COLS, REVIEW_GROUPS
from .tokens import squash

COMBINED = "litigation"  # 行政诉讼 printed as one group: no template group

OUTCOME_NAMES: dict[str, tuple[str, ...]] = {
    "upheld": ("结果维持", "维持"),
    "corrected": ("结果纠正", "纠正"),
    "other": ("其他结果", "其他"),
    "pending": ("尚未审结", "未审结", "尚结"),
    "total": ("总计", "合计"),
}
assert tuple(OUTCOME_NAMES) == REVIEW_COLS

# (group, names), the group a cell names is the first whose name it holds: a subgroup before
# 行政复议 (未经行政复议直接起诉 is litigation_direct), 诉讼 last
GROUP_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("litigation_direct", ("未经复议直接起诉", "直接起诉", "未经复议")),
    ("litigation_after_review", ("复议后起诉", "复议后")),
    ("review", ("行政复议",)),
    (COMBINED, ("行政诉讼", "诉讼")),
)

_BARE = "其他"


def _alternatives(names: tuple[str, ...]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_ALL_NAMES = tuple(n for names in OUTCOME_NAMES.values() for n in names if n != _BARE)
# a bare 其他 is a name only where no other text runs on from it (a glued outcome name may)
_BARE_WORD = f"{_BARE}(?:(?!\\w)|(?={_alternatives(_ALL_NAMES)}))"
_OUTCOME = re.compile("|".join(
    f"(?P<{col}>{_alternatives(tuple(n for n in names if n != _BARE))}"
    + (f"|{_BARE_WORD}" if _BARE in names else "") + ")"
    for col, names in OUTCOME_NAMES.items()))
_GROUP_WORDS = re.compile(_alternatives(tuple(n for _g, names in GROUP_NAMES for n in names)))
_GROUP_FINDER = re.compile("|".join(f"(?P<{g}>{_alternatives(names)})" for g, names in GROUP_NAMES))
# the patterns themselves, for readers of a header line by line (parsers/headerwords.line_names)
OUTCOME_WORDS = _OUTCOME
GROUP_WORDS = _GROUP_WORDS
# the first stroke of an outcome name in a header wrapped over lines (总 / 计, 结果 / 维持): 结果
# opens three names and tells nothing; 未 opens 未经复议 too (taken out first), 合 many words
FIRST_STROKE = re.compile(r"维|纠|其|尚|未审|总|合计")


def without_groups(text: str, sep: str = "|") -> str:
    """``text`` with its group names replaced by ``sep`` (未经复议直接起诉 holds 未, 复议后 复议)."""
    return _GROUP_WORDS.sub(sep, text)


def names_in(text: str) -> list[tuple[str, str]]:
    """(outcome, printed name) of each outcome name in ``text``, in reading order; the group names
    are taken out first.  Cells joined by a separator (``|``) keep a bare 其他 at a cell's end a word."""
    return [(m.lastgroup or "", m.group(0)) for m in _OUTCOME.finditer(without_groups(text))]


def outcomes_in(text: str) -> list[str]:
    """The outcome each name in ``text`` names, in reading order."""
    return [col for col, _name in names_in(text)]


def outcome_of(text: str) -> str | None:
    """The one outcome a header cell (or a column's cells joined) names; None when it names none
    or more than one."""
    named = set(outcomes_in(squash(text)))
    return named.pop() if len(named) == 1 else None


def group_of(text: str) -> str | None:
    """The group a header cell names (``COMBINED`` for 行政诉讼 alone), or None."""
    s = squash(text)
    for group, names in GROUP_NAMES:
        if any(n in s for n in names):
            return group
    return None


def template_group_of(text: str) -> str | None:
    """The template group a header cell names: 行政诉讼 alone is none of the three."""
    group = group_of(text)
    return group if group in REVIEW_GROUPS else None


def groups_in(text: str) -> list[tuple[str, int]]:
    """(group, position) of each group name in ``text``, in reading order."""
    return [(m.lastgroup or "", m.start()) for m in _GROUP_FINDER.finditer(text)]
