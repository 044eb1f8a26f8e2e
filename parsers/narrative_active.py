"""Which figures of section 一 repeat a cell of table 二 (主动公开), for identity 6.

Section 一 often restates table 二 in words: "本年度制发规章0件、规范性文件5件，废止规范性文件2件",
"现行有效规范性文件86件", "作出行政许可决定2910件", "收取行政事业性收费62.4万元".  A typo there is
a finding a journalist needs, but a figure read against the wrong column is an accusation against a
consistent report, so a figure is claimed only where the words name the row and the column outright:

- the row by its own noun (规章, 规范性文件, 行政许可/处罚/强制 决定, 行政事业性收费), the count
  right after it (or after 现行有效/废止 standing behind it);
- the column by the verb right before the noun (制发, 印发, 出台, 制定, 发布, 主动公开 → this year's
  documents; 废止 → repealed; 现行有效 → in force), or by the verb of the enumeration it continues
  ("制发规章0件、规范性文件5件");
- never a combined count (规章和规范性文件共5件, 修改和废止…), a qualified subset (简易程序行政处罚
  决定, 党内规范性文件, 规章制度), another body's share (以办公室名义, 各部门), the region's figure
  (全县作出行政处罚决定…: a government's table counts its own), a cumulative figure (累计, 以来,
  历年) or information items (行政许可信息1234条: 双公示 items are not decisions);
- a count published (主动公开) is read against 本年制发 only where the text gives no count made.

The year a sentence speaks of is the caller's test (the same one the table-3 claims pass).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from .narrative import NUM, count_value
from .narrative_scope import wider_scope

# a count not read out of a longer number, a range or an approximation
_COUNT = r"(?<![至到~～—－\-第每逐单数几近约逾余〇零一二两三四五六七八九十百千万\d.,，])" + NUM
_UNIT = r"(?:件|个|部|份|篇|条|项|宗|起)(?!左右|以上|以下|之多|次)"
_LEAD = r"(?:的)?(?:数量|总数)?(?:共|共计|合计|总计|计|为|达|有)?"
_DOC_VERBS = r"新?(?:制发|印发|出台|制定|发布|制作)|主动公开|(?<!申请)新?公开|废止|现行有效"
_DOC_NOUN = re.compile(r"(?<!党内)(?:行政|政府|部门)?(?P<noun>规章(?!制度)|规范性文件)")
_VERB_BEFORE = re.compile(r"(?P<joined>[和及与或、])?(?P<verb>" + _DOC_VERBS + r")(?:的|了)?(?:各类)?$")
_COUNT_AFTER = re.compile(_LEAD + _COUNT + _UNIT)
_VERB_AFTER = re.compile(r"(?P<verb>现行有效|废止)" + _LEAD + _COUNT + _UNIT)
_NONE_MADE = re.compile(
    r"(?:未|没有)(?:新)?(?P<verb>制发|印发|出台|制定)(?:任何)?(?:行政|政府)?"
    r"(?P<noun>规章(?!制度)|规范性文件)(?:(?:和|及|、)(?:行政)?(?P<noun2>规范性文件))?(?=[，。；,;]|$)"
)
_DECISION = re.compile(
    r"(?P<row>行政许可|行政处罚|行政强制)(?:处理)?决定" + _LEAD + _COUNT + _UNIT
)
_DECISION_BEFORE = re.compile(
    r"(?:^|作出|做出|下达|主动公开|公开|公示|全年|本年度?|今年|\d{4}年度?)(?:共|共计|合计)?$"
)
_FEE = re.compile(
    r"行政事业性收费(?:金额|总额|收入)?"
    + _LEAD
    + r"(?<![至到~～—－\-第每逐单数几近约逾余\d.,，])(?P<amount>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    + r"(?P<unit>万元|元)(?!左右|以上|以下)"
)
_FEE_BEFORE = re.compile(r"(?:^|收取|征收|共|全年|本年度?|今年|\d{4}年度?)(?:共|共计|合计)?$")
# a share of the body's figure, or a figure over several years
# (the region's or many bodies' figure, 全县…/各部门…, is narrative_scope.wider_scope's test)
_NOT_WHOLE = re.compile(r"名义|下属|所属|累计|以来|历年|先后|近[一二两三四五十]年")
# 制发 and 公开 both name the year's documents: where the text says how many were made, a count of
# those published (some may be withheld, or published late) is not read against the same column
_MADE = ("制发", "印发", "出台", "制定", "发布", "制作")
_CLAUSE_END = "，。；,;！!？?"
_SENTENCE_END = "。；;！!？?"

# the column a verb names, per template: 2021 (本年制发/本年废止/现行有效), 2019 (新制作/新公开)
_COLUMNS = {
    "issued": ("制发", "印发", "出台", "制定", "发布", "制作", "公开"),
    "repealed": ("废止",),
    "in_force": ("现行有效",),
}
_COLUMNS_2019 = {"made": ("制发", "印发", "出台", "制定", "发布", "制作"), "published": ("公开",)}
_ROWS = {"规章": "regulations", "规范性文件": "normative_documents"}
_DECISION_ROWS = {"行政许可": "licensing", "行政处罚": "punishment", "行政强制": "coercion"}
_ROW_WORDS = {"regulations": "规章", "normative_documents": "规范性文件"}
_COL_WORDS = {"issued": "制发", "repealed": "废止", "in_force": "现行有效", "made": "制作", "published": "公开"}


class Claim(NamedTuple):
    """One figure of section 一 that repeats a cell of table 二."""

    cell: str  # active_disclosure.<row>.<col>
    said: float
    table: float
    what: str  # the words that name the cell, for the message
    unit: str
    printed: str | None = None  # the figure as the text prints it, when in another unit than the cell's


def _column(verb: str, row: dict) -> str | None:
    """The key of the column `verb` names among those this row has (2021 or 2019 template)."""
    for table in (_COLUMNS, _COLUMNS_2019):
        for col, words in table.items():
            if col in row and any(w in verb for w in words):
                return col
    return None


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in _CLAUSE_END) + 1


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in _SENTENCE_END) + 1


def _whole(text: str, pos: int) -> bool:
    sentence = text[_sentence_start(text, pos) : pos]
    return not _NOT_WHOLE.search(sentence) and not wider_scope(sentence)


def _document_counts(text: str) -> Iterator[tuple[int, str, str, int]]:
    """(position, noun, verb, said) for each count of this year's documents the text states."""
    chain_end, chain_verb = -1, ""
    for m in _DOC_NOUN.finditer(text):
        before = _VERB_BEFORE.search(text, max(0, m.start() - 8), m.start())
        verb = None
        if before and not before.group("joined"):
            verb = before.group("verb")
        elif before is None and m.start() == chain_end + 1 and text[chain_end] in "、，,":
            verb = chain_verb  # "制发规章0件、规范性文件5件": the enumeration's verb
        elif before is None and text[max(0, m.start() - 1) : m.start()] in ("和", "及", "与", "或", "、"):
            continue  # "规章和规范性文件共5件": one count of both
        after = _VERB_AFTER.match(text, m.end())
        if after:
            verb, said_text, end = after.group("verb"), after.group(2), after.end()
        elif verb and (count := _COUNT_AFTER.match(text, m.end())):
            said_text, end = count.group(1), count.end()
        else:
            continue
        said = count_value(said_text)
        if said is None:
            continue
        chain_end, chain_verb = end, verb
        yield m.start(), m.group("noun"), verb, said
        # "制发政府规章0件，废止1件，现行有效14件": the enumeration goes on about the same documents
        while text[chain_end : chain_end + 1] in ("、", "，", ",") and (
            more := _VERB_AFTER.match(text, chain_end + 1)
        ):
            chain_end = more.end()
            if (said := count_value(more.group(2))) is not None:
                yield more.start(), m.group("noun"), more.group("verb"), said
    for m in _NONE_MADE.finditer(text):
        for noun in filter(None, (m.group("noun"), m.group("noun2"))):
            yield m.start(), noun, m.group("verb"), 0


def _fee_value(amount: str, unit: str) -> tuple[float, int]:
    """The amount in 万元 and the decimals it was printed with (in 万元)."""
    value = float(amount.replace(",", "").replace("，", ""))
    decimals = len(amount.split(".")[1]) if "." in amount else 0
    if unit == "元":
        return value / 10000, decimals + 4
    return value, decimals


def _same_amount(said: float, decimals: int, table: float) -> bool:
    """Whether two amounts agree once the more precise is rounded to the other's decimals: "62万元"
    for 62.37 in the table, or 62.4 in the text for a table printing 62, say the same."""
    table_decimals = 0 if isinstance(table, int) else len(repr(float(table)).split(".")[1].rstrip("0"))
    places = min(decimals, table_decimals)
    return abs(round(said, places) - round(table, places)) < 10 ** -(places + 3)


def active_claims(text: str, active: dict, whole_year: Callable[[int], bool]) -> Iterator[Claim]:
    """Every figure of `text` (section 一, whitespace dropped) that names a cell of table 二 and
    disagrees with it.  `whole_year(pos)` says whether the figure at pos is about the report's
    year and the whole body (not last year's, not a sub-body's)."""

    def cell(row: str, col: str) -> float | None:
        r = active.get(row)
        return r.get(col) if isinstance(r, dict) else None

    def claimed(pos: int) -> bool:
        return whole_year(pos) and _whole(text, pos)

    counts = [(pos, _ROWS[noun], verb, said) for pos, noun, verb, said in _document_counts(text)]
    made = {(row, _column(verb, active.get(row) or {})) for _, row, verb, _ in counts if verb.endswith(_MADE)}
    for pos, row, verb, said in counts:
        col = _column(verb, active.get(row) or {})
        table = cell(row, col) if col else None
        if table is None or not claimed(pos) or abs(said - table) < 1e-6:
            continue
        if "公开" in verb and (row, col) in made:
            continue  # "制发10件，主动公开8件": the text's own figure for the column is the one made
        yield Claim(f"active_disclosure.{row}.{col}", said, table, f"{_COL_WORDS[col]}{_ROW_WORDS[row]}", "件")
    chain_end = -1
    for m in _DECISION.finditer(text):
        chained = m.start() == chain_end + 1 and text[chain_end] in "、，,"  # "…决定5件、行政强制决定2件"
        if not chained and not _DECISION_BEFORE.search(text, _clause_start(text, m.start()), m.start()):
            continue  # "简易程序行政处罚决定": a kind of decision, not all of them
        chain_end = m.end()
        row, said = _DECISION_ROWS[m.group("row")], count_value(m.group(2))
        table = cell(row, "decisions")
        if said is None or table is None or not claimed(m.start()) or abs(said - table) < 1e-6:
            continue
        yield Claim(f"active_disclosure.{row}.decisions", said, table, f"{m.group('row')}决定", "件")
    for m in _FEE.finditer(text):
        if not _FEE_BEFORE.search(text, _clause_start(text, m.start()), m.start()):
            continue
        table = cell("fees", "amount_10k_yuan")
        if table is None or not claimed(m.start()):
            continue
        said, decimals = _fee_value(m.group("amount"), m.group("unit"))
        if _same_amount(said, decimals, table):
            continue
        printed = m.group("amount") + m.group("unit") if m.group("unit") != "万元" else None
        yield Claim("active_disclosure.fees.amount_10k_yuan", round(said, 6), table, "行政事业性收费", "万元", printed)
