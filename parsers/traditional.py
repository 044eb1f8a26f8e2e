"""Reports printed in traditional characters (繁体) read through a simplified copy.

Mainland portals offer a 繁體 version of every page (a character-converting proxy or plugin), and
reposting sites in Hong Kong and Taiwan print the same reports in traditional script: 政府信息公開
工作年度報告, 總體情況, 行政復議.  Every heading, row label and agency pattern of the parser is
written in simplified characters, so such a report would read as free-form prose with no tables.
Converting the whole text with OpenCC (t2s: character for character, so line breaks, tabs and
digits stay where they are) lets one vocabulary serve both.

The record holds the converted text (agency and narrative sections): search users type
simplified characters, and the archived bytes keep what the body printed.
"""

from __future__ import annotations

import functools
import re

# Characters of the template's headings and labels in traditional script (公開, 報告, 情況, 申請,
# 處理, 總計, 機關, 復議, 訴訟) and their simplified forms.  Each simplified form is a different
# character, so a simplified report contains none of the first: its test is ten substring scans
# (~10 µs for a 4,000-character report, 0.1 % of its parse) and no conversion.
_TRAD_MARKS = "開報況請處總機關議訟"
_SIMP_MARKS = "开报况请处总机关议讼"
# Enough markers that a stray traditional name in a simplified report does not count.
_MIN_MARKS = 5

NOTE = "printed in traditional characters (繁体): read through OpenCC t2s; agency and sections are the simplified text"


def is_traditional(text: str) -> bool:
    """Whether the report is printed in traditional characters (markers far outnumber their
    simplified forms: a simplified report quoting a 繁體 name is not converted)."""
    if not any(c in text for c in _TRAD_MARKS):
        return False
    trad = sum(text.count(c) for c in _TRAD_MARKS)
    return trad >= _MIN_MARKS and trad > 4 * sum(text.count(c) for c in _SIMP_MARKS)


@functools.cache
def converter():
    import opencc

    # t2s, not tw2sp: Taiwan phrasing would turn the template's 文件 into 文档
    return opencc.OpenCC("t2s")


# Taiwan and Hong Kong write 資訊 for 信息 (政府資訊公開): t2s keeps the word, the labels need 信息.
_ZIXUN = re.compile("资讯")


def to_simplified(text: str) -> tuple[str, bool]:
    """`text` in simplified characters, and whether it was converted (`text` itself when not)."""
    if not is_traditional(text):
        return text, False
    return _ZIXUN.sub("信息", converter().convert(text)), True
