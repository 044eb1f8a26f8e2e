"""Whose figure, and which of table 三's rows, a count in section 一 names (for identity 6).

A figure read as the wrong quantity accuses a consistent report, so before a count of section 一 is
compared with a cell, the words around it must leave it about that cell:

- another procedure's applications ("收到行政复议申请45件", "受理行政许可申请1200件") are not
  政府信息公开申请, and a government that *receives* review applications is the reviewing body
  (复议机关), not the body table 四 reports as reviewed;
- "予以公开和部分公开27件" (和, 及, 与, 、 joining outcomes with one count) is the sum of both
  outcomes, never the last one alone;
- "其中因本机关不掌握相关政府信息无法提供12件" names a sub-row of the 无法提供 group (a reason),
  not the group's total;
- "全县共收到政府信息公开申请312件" is the region's figure (the county government's table counts its
  own office, 本级): no claim about the table;
- "全县各级行政机关共收到申请312件，其中县政府本级收到56件" gives a region's figure and, inside it,
  the body's own: a table of either scope agrees with that sentence.
"""

from __future__ import annotations

import re

from .narrative import NUM, count_value
from .template import ROW_KEYWORD_RES

# ---- another procedure's applications ---------------------------------------------------------

# the applications of a procedure other than disclosure (复议, 诉讼, 许可, …) named before 申请
_OTHER_PROCEDURE = re.compile(r"复议|诉讼|许可|裁决|赔偿|听证|仲裁|审批|信访|投诉|举报")


def other_procedure(obj: str) -> bool:
    """True when `obj` (the words between 收到/受理 and the count: "行政复议申请") names the
    applications of another procedure than 政府信息公开."""
    head = obj[: obj.rfind("申请")] if "申请" in obj else obj
    return bool(_OTHER_PROCEDURE.search(head)) and "信息公开" not in head


# a body receiving (or accepting) review applications decides them: it is the 复议机关
RECEIVER_VERBS = r"收到|接到|接收|新收"

# ---- one count of several outcomes ---------------------------------------------------------------

_OUTCOME_WORDS = (
    ("granted", r"予以公开|同意公开|全部公开"),
    ("partially_granted", r"部分(?:予以|同意)?公开"),
    ("denied", r"不予公开"),
    ("unavailable", r"无法提供"),
    ("not_processed", r"不予处理"),
    ("other", r"其他处理"),
)
_JOIN = r"(?:和|及|与|以及|、|或|或者|加)"
_JOINED = re.compile(
    r"(?P<word>" + "|".join(w for _, w in _OUTCOME_WORDS) + r"|(?<![主动申请])公开)(?:的)?" + _JOIN + r"$"
)
_JOIN_END = re.compile(_JOIN + r"$")
# "予以公开22件和部分公开5件": a count before the conjunction ends an item of its own
_COUNT_END = re.compile(r"(?:\d[^\d，。；,;、和及与或]{0,2}|[〇零一二两三四五六七八九十百千万][件个条项篇份起宗次人天日]{1,2})[）)]?$")


def _outcome_kind(word: str) -> str:
    for kind, pat in _OUTCOME_WORDS:
        if re.fullmatch(pat, word):
            return kind
    return "granted"  # 公开 alone, in a list of outcomes


def joined_outcomes(text: str, start: int) -> tuple[list[str], int] | None:
    """The other outcomes a count whose outcome word starts at `start` also counts, and where the
    joined words start: ([], start) when the outcome word stands alone, (["granted"], …) for
    "予以公开和部分公开27件", None when something else is joined to it ("申请和部分公开…": the
    words cannot say which rows the count adds up)."""
    kinds: list[str] = []
    pos = start
    while m := _JOINED.search(text, max(0, pos - 12), pos):
        kinds.insert(0, _outcome_kind(m.group("word")))
        pos = m.start("word")
    join = _JOIN_END.search(text, max(0, pos - 3), pos)
    if join and not _COUNT_END.search(text, max(0, join.start() - 8), join.start()):
        return None
    return kinds, pos


# ---- a sub-row named by its reason ---------------------------------------------------------------

_REASON = re.compile(r"因(?!此)|由于|属于|系|鉴于")
_SEVERAL = re.compile(r"等")


def sub_row(clause: str, rows: tuple[str, ...]) -> tuple[bool, str | None]:
    """(is a sub-item, which row) for a group's count whose clause (the words before the group's
    name) is `clause`: "其中因本机关不掌握相关政府信息" -> (True, "unavailable_not_held"); a reason
    the template's rows do not name, or several reasons ("…等原因"), -> (True, None): a part of
    the group, not a row one can name; no reason at all -> (False, None), the group's total."""
    named = {key for key, rx in ROW_KEYWORD_RES if key in rows and rx.search(clause)}
    if _SEVERAL.search(clause) and (named or _REASON.search(clause)):
        return True, None
    if len(named) == 1:
        return True, named.pop()
    if named or _REASON.search(clause):
        return True, None
    return False, None


# ---- a region's figure with the body's own inside it ---------------------------------------------

# 全县/全市/各部门/全系统/全县政府系统…: a figure of the region or of many bodies.  A government's
# tables count its own office (本级), a department's its own: such a figure is another scope, unless
# words of the body's own (本机关, 本级, 我局…) come after it in the sentence ("按照全省统一部署，本局
# 收到申请…").  全 after 安/健/完/齐 is another word (安全区, 健全市…), 全州县 a county's name.  全镇/
# 全乡/全街道 are not wider: a township's government is the one administrative body of its township.
WIDER = re.compile(
    r"(?<![安健完齐周])全(?:省|市|州(?!县)|盟|县|区(?!域)|旗|系统)"
    r"|各(?:级|部门|单位|乡镇|镇街|街道|县区|区县|县市区|地)"
)
_OWN_WORDS = re.compile(r"本(?:级|机关|单位|部门|局|委|办|厅|院|府)|我(?:局|委|办|厅|院|府|单位|部门|机关)")


def wider_scope(sentence_before: str) -> bool:
    """True when the sentence up to a figure (`sentence_before`) leaves it a region's or many
    bodies' figure ("全县共收到申请312件", "全市政府系统…", "各部门共…"), not the reporting body's:
    its tables are not that figure's scope, so it is no claim about them."""
    ends = [m.end() for m in WIDER.finditer(sentence_before)]
    return bool(ends) and not _OWN_WORDS.search(sentence_before, ends[-1])


_OWN_HEAD = r"[，,（(。；;]?(?:其中)?[：:，,]?[^，。；,;\d]{0,16}?本级"
_OWN_COUNT = r"(?<![至~～—－\-第每逐单数几近约逾余〇零一二两三四五六七八九十百千万\d.,，])(?<!\d到)" + NUM + r"件"
# the body's own requests: only words of receiving between 本级 and the count ("本级予以公开10件" is
# an outcome, not the received figure)
_OWN_RECEIVED = re.compile(
    _OWN_HEAD + r"(?:共|共计|合计)?(?:收到|受理|新收|接收)?(?:政府信息公开)?(?:的)?(?:申请)?(?:共|为|有|计)?" + _OWN_COUNT
)
_OWN_ANY = re.compile(_OWN_HEAD + r"[^，。；,;\d]{0,10}?" + _OWN_COUNT)


def own_part(sentence_before: str, text: str, end: int, received: bool = True) -> int | None:
    """The body's own count (其中…本级N件, 县政府本级收到N件, （其中本级N件）) that follows a
    region's figure ending at `end`, when the sentence before it (`sentence_before`) gives that
    wider scope; None otherwise.  `received`: the own count must be of requests received (any
    count of the body's own, else)."""
    if not wider_scope(sentence_before):
        return None
    m = (_OWN_RECEIVED if received else _OWN_ANY).match(text, end)
    return count_value(m.group(1)) if m else None
