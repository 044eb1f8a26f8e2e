"""How section 一 writes a count, and which year a sentence speaks of (for identity 6).

A report writes its figures as it likes: 836件, ８３６件, 3,618件, 3，090件 or 八百三十六件; and it
often quotes the previous year's figures beside this year's ("2023年度报告显示，2023年共收到申请
348件…"; "较上年增加9件（上年为348件）").  A figure is a claim about this report's tables only when
the words around it leave it about the report's own year: a journalist must never be shown last
year's number as a contradiction.
"""

from __future__ import annotations

import re

# a count as printed: thousands-separated (half- or full-width comma), plain digits (\d also reads
# full-width ones), or Chinese numerals (八百三十六, 一千零五, 二〇二三)
NUM = r"(\d{1,3}(?:[,，]\d{3})+(?!\d)|\d+|[〇零一二两三四五六七八九十百千万]+)"

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def count_value(printed: str) -> int | None:
    """The integer a printed count stands for; None when the characters spell no number."""
    s = printed.replace(",", "").replace("，", "")
    if s.isdigit():
        return int(s)
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch != "万" for ch in s):
        return None
    if s[0] in "百千万":
        return None  # 万 alone (1.5万件's tail), 百余: not a count
    if not any(ch in _CN_UNITS or ch == "万" for ch in s):
        if len(s) > 1 and not any(ch in "〇零" for ch in s):
            return None  # 三五件: "three or five", a rough figure
        # 二〇二三: digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0:
                return None  # 三五: two digits in a row within a unit-counted number
            digit = _CN_DIGITS[ch] or None
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万
            total = (total + section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


# Markers of the year a sentence speaks of.  An explicit year (2023年, 二〇二三年度) or 上年/去年/
# 上一年度 scopes the rest of its sentence; 本年/今年/本年度 brings it back to the report's year.  A
# comparison (较上年, 比2023年, 与上年相比, 上年同期) scopes only its own clause.  上年结转 is a row of
# table 3, not another year; a year naming a law's revision (2019年修订的条例) is no scope at all.
_YEAR_MARK = re.compile(
    r"(?<!\d)(?P<explicit>(?:19|20)\d{2}|[一二][〇零][〇零一二三四五六七八九]{2})年(?!\d)(?:度)?"
    r"|(?P<prev>上一?年度?|去年|前一年)(?!度?结转)"
    r"|(?P<this>本年度?|今年)"
)
_NOT_A_SCOPE = re.compile(r"(?:新)?(?:修订|修正|颁布|施行|印发|公布|出台)|版")
_COMPARE_BEFORE = re.compile(r"(?:较|比|与|同|相较|对比|相比)于?$")
_COMPARE_AFTER = re.compile(r"^(?:度)?(?:同期|相比|比较|对比)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_TITLES = re.compile(r"《[^《》]*》")
_CLAUSE_MARKS = "，,、：:"


def _year_of(mark: re.Match[str]) -> int | None:
    digits = mark.group("explicit")
    return count_value(digits) if digits else None


def other_year(prefix: str, year: int | None) -> bool:
    """True when `prefix` (the sentence up to a figure, brackets already dropped) leaves the figure
    about another year than the report's `year`.

    Only the last marker that still reaches the figure decides: a comparison reaches to the end of
    its own clause, any other marker to the end of the sentence.
    """
    prefix = _TITLES.sub("", prefix).translate(_FULLWIDTH)
    decided: bool | None = None
    for m in _YEAR_MARK.finditer(prefix):
        after = prefix[m.end() : m.end() + 4]
        if m.group("explicit") and _NOT_A_SCOPE.match(after):
            continue
        comparison = bool(_COMPARE_BEFORE.search(prefix[max(0, m.start() - 3) : m.start()])) or bool(
            _COMPARE_AFTER.match(after)
        )
        if comparison and any(ch in prefix[m.end() :] for ch in _CLAUSE_MARKS):
            continue  # 较上年增加9件，予以公开…: the comparison's clause has ended
        if m.group("this"):
            decided = False
        elif m.group("prev"):
            decided = True
        else:
            said = _year_of(m)
            if year is None:
                continue  # the report's own year unknown: an explicit year proves nothing
            decided = said != year
    return bool(decided)
