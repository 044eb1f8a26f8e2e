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
TRAD_MARKS = "開報況請處總機關議訟"
_SIMP_MARKS = "开报况请处总机关议讼"
# Enough markers that a stray traditional name in a simplified report does not count.
_MIN_MARKS = 5

NOTE = "printed in traditional characters (繁体): read through OpenCC t2s; agency and sections are the simplified text"


def is_traditional(text: str) -> bool:
    """Whether the report is printed in traditional characters (markers far outnumber their
    simplified forms: a simplified report quoting a 繁體 name is not converted)."""
    if not any(c in text for c in TRAD_MARKS):
        return False
    trad = sum(text.count(c) for c in TRAD_MARKS)
    return trad >= _MIN_MARKS and trad > 4 * sum(text.count(c) for c in _SIMP_MARKS)


# Variant forms (异体字) that OpenCC's t2s leaves as printed, though the mainland writes the character
# otherwise: Hong Kong's standard forms (衞 for 衛, 敍 for 敘, 粧, 糭, 衹: OpenCC's HKVariantsRev, which
# t2s does not apply) and old printed forms (旧字形) that old typesetting and some fonts still emit
# (鄕, 靑, 淸, 硏, 郞, 吿, 槪, 緖, 㸃, 塲, 鳯, 値, 幷, 汚, 嶋).  Each maps to the standard form t2s knows, so
# 廣東省衞生健康委員會 reads as 广东省卫生健康委员会, the name the body's simplified reports carry.  Only
# characters no simplified text uses are listed: 著, 抬 and 么 are HK or Taiwan variants too, but also
# ordinary mainland characters.
VARIANTS = {
    "衞": "衛", "敍": "敘", "粧": "妝", "糭": "糉", "衹": "只",
    "鄕": "鄉", "靑": "青", "淸": "清", "硏": "研", "郞": "郎", "吿": "告", "槪": "概", "緖": "緒",
    "㸃": "點", "塲": "場", "鳯": "鳳", "値": "值", "幷": "并", "汚": "污", "嶋": "島",
}
_VARIANT = re.compile(f"[{''.join(VARIANTS)}]")


def fold_variants(text: str) -> str:
    """`text` with the variant forms above in their standard form (traditional or shared), for t2s."""
    return _VARIANT.sub(lambda m: VARIANTS[m.group()], text)


class _Converter:
    """OpenCC with the variant forms folded first: the same `convert` as OpenCC's own object."""

    def __init__(self, config: str) -> None:
        import opencc

        self._opencc = opencc.OpenCC(config)

    def convert(self, text: str) -> str:
        return self._opencc.convert(fold_variants(text))


@functools.cache
def converter(config: str = "t2s") -> _Converter:
    # t2s, not tw2sp, for reports: Taiwan phrasing would turn the template's 文件 into 文档
    return _Converter(config)


# Taiwan and Hong Kong write 資訊 for 信息 (政府資訊公開): t2s keeps the word, the labels need 信息.
_ZIXUN = re.compile("资讯")


def to_simplified(text: str) -> tuple[str, bool]:
    """`text` in simplified characters, and whether it was converted (`text` itself when not)."""
    if not is_traditional(text):
        return text, False
    return _ZIXUN.sub("信息", converter().convert(text)), True


def folded(text: str) -> str:
    """A line (a title, a sidebar's item) read in simplified characters when it holds any of the
    template's traditional characters, however few: a 繁體 article's title under a portal's simplified
    chrome is too short and too mixed for `is_traditional`, yet must be recognised as a report's name."""
    if not any(c in text for c in TRAD_MARKS):
        return text
    return _ZIXUN.sub("信息", converter().convert(text))
