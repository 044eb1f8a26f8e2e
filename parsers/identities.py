"""Accounting identities (勾稽关系) of the report, checked against the printed numbers.

A broken identity is a finding for the reader, never a reason to change a number.  The only
thing this module ever fills is a cell the dump lost, and only when the identities leave one
possible value; the caller marks such a cell inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .narrative import NUM, count_value, other_year
from .narrative_active import active_claims
from .narrative_scope import RECEIVER_VERBS, joined_outcomes, other_procedure, own_part, sub_row, wider_scope
from .rowlabel import label_row
from .template import (
    ACTIVE_ROW_LABELS,
    APPLICANT_COL_LABELS,
    APPLICANT_COLS,
    DENIED_ROWS,
    NOT_PROCESSED_ROWS,
    OTHER_ROWS,
    OUTCOME_ROWS,
    REVIEW_COL_LABELS,
    REVIEW_COLS,
    REVIEW_GROUP_LABELS,
    REVIEW_GROUPS,
    ROW_LABELS,
    UNAVAILABLE_ROWS,
)
from .unplaced import Unplaced

Finding = dict[str, Any]
# a count not read out of a longer number, a range or an approximation (数十, 近百, 1.5万, 十至十五)
_NUMBER = r"(?<![至到~～—－\-第每逐单数几近约逾余〇零一二两三四五六七八九十百千万\d.,，])" + NUM
_EPS = 1e-6
_SIX = APPLICANT_COLS[:-1]


def _eq(a: float, b: float) -> bool:
    return abs(a - b) < _EPS


def _num(x: float) -> int | float:
    return int(round(x)) if _eq(x, round(x)) else round(x, 6)


def finding(identity: str, code: str, cells: list[str], printed, implied, message: str) -> Finding:
    return {
        "identity": identity,
        "code": code,
        "cells": cells,
        "printed": printed,
        "implied": implied,
        "message": message,
    }


def _get(apps: dict, row: str, col: str):
    r = apps.get(row)
    return None if not isinstance(r, dict) else r.get(col)


def _other_rows(apps: dict, col: str) -> tuple[str, ...]:
    """Rows that make up 三（六）其他处理 in this column: sub-rows if printed, else the one row."""
    if any(_get(apps, r, col) is not None for r in OTHER_ROWS):
        return OTHER_ROWS
    if "other_total" in apps:
        return ("other_total",)
    return OTHER_ROWS


def _sum(apps: dict, rows: Iterable[str], col: str) -> float | None:
    total = 0.0
    get = apps.get
    for r in rows:
        d = get(r)  # _get inlined: the identities sum ~600 cells per report
        v = d.get(col) if isinstance(d, dict) else None
        if v is None:
            return None
        total += v
    return total


def _path(row: str, col: str) -> str:
    return f"applications.{row}.{col}"


# ---- identities 1-4 on one record --------------------------------------------------------------


def check_balance(apps: dict, cols: Iterable[str] = APPLICANT_COLS) -> list[Finding]:
    """Identity 1: 一 + 二 == 三（七）总计 + 四 in every column."""
    out = []
    for col in cols:
        a, b = _get(apps, "new_received", col), _get(apps, "carried_over", col)
        c, d = _get(apps, "total_processed", col), _get(apps, "carried_forward", col)
        if None in (a, b, c, d):
            continue
        if not _eq(a + b, c + d):
            out.append(
                finding(
                    "1",
                    "balance",
                    [
                        _path(r, col)
                        for r in ("new_received", "carried_over", "total_processed", "carried_forward")
                    ],
                    _num(c + d),
                    _num(a + b),
                    f"{APPLICANT_COL_LABELS[col]}列：本年新收{a}+上年结转{b}={_num(a + b)}，"
                    f"但办理总计{c}+结转下年度{d}={_num(c + d)}",
                )
            )
    return out


def check_row_sums(apps: dict, rows: Iterable[str] | None = None) -> list[Finding]:
    """Identity 2: the six applicant columns add up to 总计 in every row."""
    out = []
    for row in rows if rows is not None else apps:
        if row == "extra_rows" or not isinstance(apps.get(row), dict):
            continue
        cells = apps[row]
        total = cells.get("total")
        parts = [cells.get(c) for c in _SIX]
        if total is None or None in parts:
            continue
        s = sum(parts)
        if not _eq(s, total):
            label = ROW_LABELS.get(row, row)
            out.append(
                finding(
                    "2",
                    "row_sum",
                    [_path(row, c) for c in APPLICANT_COLS],
                    total,
                    _num(s),
                    f"{label}：各类申请人合计{_num(s)}，但总计栏为{total}",
                )
            )
    return out


def check_outcomes(apps: dict, cols: Iterable[str] = APPLICANT_COLS) -> list[Finding]:
    """Identity 3: 三（七）总计 equals the sum of every outcome row."""
    out = []
    for col in cols:
        total = _get(apps, "total_processed", col)
        if total is None:
            continue
        rows = OUTCOME_ROWS + _other_rows(apps, col)
        s = _sum(apps, rows, col)
        if s is None:
            continue
        if not _eq(s, total):
            out.append(
                finding(
                    "3",
                    "outcome_sum",
                    [_path("total_processed", col)] + [_path(r, col) for r in rows],
                    total,
                    _num(s),
                    f"{APPLICANT_COL_LABELS[col]}列：各办理结果合计{_num(s)}，但三（七）总计为{total}",
                )
            )
        if "other_total" in apps and _other_rows(apps, col) == OTHER_ROWS:
            ot, sub = _get(apps, "other_total", col), _sum(apps, OTHER_ROWS, col)
            if ot is not None and sub is not None and not _eq(ot, sub):
                out.append(
                    finding(
                        "3",
                        "other_sum",
                        [_path("other_total", col)] + [_path(r, col) for r in OTHER_ROWS],
                        ot,
                        _num(sub),
                        f"{APPLICANT_COL_LABELS[col]}列：其他处理三项合计{_num(sub)}，但其他处理栏为{ot}",
                    )
                )
    return out


def check_reviews(reviews: dict, groups: Iterable[str] = REVIEW_GROUPS) -> list[Finding]:
    """Identity 4: 维持 + 纠正 + 其他 + 尚未审结 == 总计 in each of the three groups."""
    out = []
    for g in groups:
        grp = reviews.get(g) or {}
        total = grp.get("total")
        parts = [grp.get(c) for c in REVIEW_COLS[:-1]]
        if total is None or None in parts:
            continue
        s = sum(parts)
        if not _eq(s, total):
            out.append(
                finding(
                    "4",
                    "review_sum",
                    [f"reviews_litigation.{g}.{c}" for c in REVIEW_COLS],
                    total,
                    _num(s),
                    f"{REVIEW_GROUP_LABELS[g]}："
                    + "+".join(f"{REVIEW_COL_LABELS[c]}{grp.get(c)}" for c in REVIEW_COLS[:-1])
                    + f"={_num(s)}，但总计为{total}",
                )
            )
    return out


def check_record(record: dict) -> list[Finding]:
    """Identities 1-4 of one parsed record."""
    out: list[Finding] = []
    apps = record.get("applications")
    if isinstance(apps, dict):
        out += check_balance(apps)
        out += check_row_sums(apps)
        out += check_outcomes(apps)
    reviews = record.get("reviews_litigation")
    if isinstance(reviews, dict):
        out += check_reviews(reviews)
    return out


# ---- identity 5: across years ------------------------------------------------------------------


def check_carry_over(prev_record: dict, record: dict) -> list[Finding]:
    """Identity 5: 结转下年度 of year N equals 上年结转 of year N+1 (same agency).

    The archive layer calls this with two records it has matched by agency and year.
    """
    prev_apps, apps = prev_record.get("applications"), record.get("applications")
    if not isinstance(prev_apps, dict) or not isinstance(apps, dict):
        return []
    out = []
    for col in APPLICANT_COLS:
        before, now = _get(prev_apps, "carried_forward", col), _get(apps, "carried_over", col)
        if before is None or now is None or _eq(before, now):
            continue
        out.append(
            finding(
                "5",
                "carry_over",
                [_path("carried_over", col)],
                now,
                before,
                f"{APPLICANT_COL_LABELS[col]}列：{prev_record.get('year')}年报告结转下年度{before}件，"
                f"但{record.get('year')}年报告上年结转为{now}件",
            )
        )
    return out


# ---- identity 6: narrative vs table -------------------------------------------------------------

# a count and its unit; never an approximate one (约/近/余/数十, 100件左右/以上) nor 一件一档
_N = _NUMBER + r"件(?!左右|以上|以下|之多|一|事)"
_NARRATIVE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # (部分予以公开N件 is the partial outcome, not 予以公开)
    ("granted", re.compile(r"(?<!不)(?<!部分)(?:予以公开|同意公开|全部公开)" + _N), "予以公开"),
    ("partially_granted", re.compile(r"部分(?:予以|同意)?公开" + _N), "部分公开"),
    ("denied", re.compile(r"不予公开" + _N), "不予公开"),
    ("unavailable", re.compile(r"无法提供" + _N), "无法提供"),
    ("not_processed", re.compile(r"不予处理" + _N), "不予处理"),
    ("other", re.compile(r"其他处理" + _N), "其他处理"),
    ("carried_forward", re.compile(r"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?" + _N), "结转下年度"),
    ("carried_over", re.compile(r"上一?年度?结转(?:至本年度?|到本年度?)?的?(?:政府信息公开)?(?:申请)?" + _N), "上年结转"),
    ("total_processed", re.compile(r"办结(?:政府信息公开)?(?:申请)?" + _N), "办结"),
)
# "其中公开11件、部分公开1件": 公开 alone is the granted outcome only inside an enumeration of
# outcomes, right after 其中/a separator (never 主动公开, 依申请公开, 不予公开, 部分公开…) and next to
# another outcome's count.
_OUTCOME_N = r"(?:部分公开|不予公开|无法提供|不予处理|其他处理)" + _N
_GRANTED_BARE = re.compile(r"(?:(?<=其中)|(?<=[、，,；;：:]))公开" + _N)
_OUTCOME_AFTER = re.compile(r"[、，,；;]" + _OUTCOME_N)
_OUTCOME_BEFORE = re.compile(_OUTCOME_N + r"[、，,；;]$")
_RECEIVED = re.compile(r"(?:收到|受理|新收|接收)([^，。；,;:：]{0,24}?申请[^，。；,;:：\d]{0,6}?)" + _N)
_APPROXIMATE = re.compile(r"约|近|逾|超过|不足|将近|大约|左右")
_INCLUDES_CARRIED = re.compile(r"[（(]?(?:含|包括|其中)?上年(?:度)?结转")
# "共收到申请451件，其中自然人申请262件、法人或其他组织申请188件": who asked, right after the count
_SPLIT_ITEM = re.compile(
    r"[，,、；;：:（(和及]?(?:其中|包括|含)?[：:，,]?(?:来自)?(?:申请人(?:为|是)?)?"
    r"(?P<who>自然人|法人(?:或者?|和|及|与)其他组织|法人|商业企业|科研机构|社会公益组织|法律服务机构)(?:提出|的)*(?:申请)?(?:的)?(?:数量?)?(?:为|有|共|计|占)?"
    + _N
)
_ORG = tuple(c for c in _SIX if c != "natural_person")
_WHO = {"自然人": ("natural_person",), "商业企业": ("commercial",), "科研机构": ("research",),
        "社会公益组织": ("social_welfare",), "法律服务机构": ("legal_services",)}
_REVIEW_N = re.compile(r"行政复议(?:案件|申请)?" + _NUMBER + "(?:件|起|宗)")
_LITIG_N = re.compile(r"行政诉讼(?:案件)?" + _NUMBER + "(?:件|起|宗)")
_NONE = r"(?:(?<!尚)无(?!法)|没有|未(?:发生|收到|出现|被|因|有|产生|涉及))([^，。；\d]{0,24}?)"
_REVIEW_NONE = re.compile(_NONE + "行政复议")
_LITIG_NONE = re.compile(_NONE + "行政诉讼")
# "未发生因答复超期引发的行政复议" / "涉及征地方面的行政诉讼2件": a cause or topic narrows the claim to
# some of the cases; only a qualifier naming disclosure itself (因政府信息公开引发的) keeps the whole
# count of table 4, which holds exactly those cases.
_QUALIFIER = re.compile(r"因|由于|涉及|关于|有关|方面|引发|引起|导致|造成|针对|(?<![各全两三])类")
_WHOLE_TOPIC = re.compile(r"信息公开|公开申请|依申请")
# "没有行政诉讼败诉的情况", "无行政复议被纠错案件": a claim about the cases' outcome, not their number
_OUTCOME_WORDS = re.compile(r"纠错|纠正|败诉|撤销|确认违法")
# a clause about another year ("上年新收申请56件", "去年同期予以公开30件"), not the carried-over row
# "区政府作为复议机关，全年共办理行政复议案件156件": the body deciding others' reviews, not being
# reviewed over its disclosure (table 4)
# (收到/接收行政复议申请: the body receiving the applications is the one deciding them)
_REVIEWER = re.compile(r"复议机关|(?:办理|审理|审结|受理|作出|" + RECEIVER_VERBS + r")[^，。；,;]{0,8}?$")
_OTHER_YEAR = re.compile(r"(?:上一?年|去年|前一年|同期)(?!度?结转)")
# a change against another year ("新收申请增加12件"), not a count
_CHANGE = re.compile(r"增加|减少|增长|下降|上升|同比|环比")
_CLAUSE_END = "，。；,;！!？?"
_QUOTES_RE = re.compile("[“”\"‘’'「」『』]")  # dropped (a regex beats str.translate)


# A sentence that has narrowed to one kind of request ("从申请内容看，涉及征地拆迁的66件，其中
# 予以公开22件"; "其中征地拆迁类45件，予以公开20件") counts that topic, not the year's total.
_SUBTOPIC = re.compile(
    r"(?:从|按|就)(?:申请)?(?:内容|事项|类别|领域|类型)"
    r"|(?:涉及|关于|有关)[^，。；、,;]{1,20}?(?:的|类|方面)(?:申请|事项|问题)?(?:有|共|为|达)?\d+件"
    r"|[^，。；,;]{1,12}?(?<![各全两三])类(?:申请|事项|问题)?(?:有|共|为|达)?\d+件"
)
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
# "受理12345热线工单4521件，办结4500件": the last thing the sentence counted before the figure
_THINGS = re.compile(r"申请|建议|提案|工单|热线|来信|来访|留言|咨询|诉求")


def _counts_other_things(sentence: str) -> bool:
    things = _THINGS.findall(sentence)
    return bool(things) and things[-1] != "申请"


# "其中区政府办公室收到申请134件", "其中镇街予以公开20件": one body of several, not the report's total
_SUB_BODY = re.compile(r"其中[^，。；,;]*?(?:局|办公室|街道|镇|乡|部门|单位|本级|委员会|中心)")
# "对存量文件开展公开属性认定，予以公开120件": documents reviewed for active disclosure, not requests
_DOCUMENTS = re.compile(r"主动公开|公开属性|文件|目录")
_SENTENCE_END = "。；;！!？?"


def _sentence_prefix(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in _SENTENCE_END) + 1
    return _PAREN.sub("", text[start:pos])


def _clause_prefix(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in _CLAUSE_END) + 1
    return _PAREN.sub("", text[start:pos])


def _about_whole_year(text: str, m: re.Match[str] | int, year: int | None) -> bool:
    """True when the figure at `m` (a match or a position) speaks of all the year's requests, not
    of one topic's, nor of another year's (上年…, 2023年度报告显示… in the report for 2024, 较上年…)."""
    pos = m if isinstance(m, int) else m.start()
    sentence, clause = _sentence_prefix(text, pos), _clause_prefix(text, pos)
    return (
        not _SUBTOPIC.search(sentence)
        and not _SUB_BODY.search(clause)
        and not _OTHER_YEAR.search(clause)
        and not other_year(sentence, year)
    )


def _clause_rest(text: str, pos: int) -> str:
    ends = [i for i in (text.find(ch, pos) for ch in _CLAUSE_END) if i >= 0]
    return text[pos : min(ends, default=len(text))]


def _whole_count(qualifier: str, rest: str = "") -> bool:
    """Whether the words around 行政复议/行政诉讼 leave the claim about every such case: no cause
    or topic before it (unless the topic is disclosure itself) and no outcome anywhere in the
    clause (被纠错, 败诉: a claim about how the cases ended, which table 4 does not total)."""
    if _OUTCOME_WORDS.search(qualifier + rest):
        return False
    return not _QUALIFIER.search(qualifier) or bool(_WHOLE_TOPIC.search(qualifier))


def _case_counts(count: re.Pattern[str], none: re.Pattern[str], text: str, year: int | None) -> list[int]:
    """Every number of review (or litigation) cases of the year that section 一 states: each
    figure ("行政复议3件"), or else a plain none ("未发生行政复议"), never a qualified subset's."""
    said = []
    for m in count.finditer(text):
        rest = _clause_rest(text, m.end())
        value = count_value(m.group(1))
        clause = _clause_prefix(text, m.start())
        if value is None or not _about_whole_year(text, m, year) or not _whole_count(clause, rest):
            continue
        if wider_scope(_sentence_prefix(text, m.start())):
            continue  # "全县共发生行政复议案件12件": the region's cases
        if count is _REVIEW_N and (_REVIEWER.search(clause) or "复议机关" in _sentence_prefix(text, m.start())):
            continue
        said.append(value)
    if said:
        return said
    for m in none.finditer(text):
        whole = _whole_count(m.group(1), _clause_rest(text, m.end())) and _about_whole_year(text, m, year)
        if whole and not wider_scope(_sentence_prefix(text, m.start())):
            return [0]
    return []


def _overall(rx: re.Pattern[str], text: str, year: int | None) -> list[re.Match[str]]:
    return [m for m in rx.finditer(text) if _about_whole_year(text, m, year)]


def _bare_granted(text: str, year: int | None) -> list[re.Match[str]]:
    """Every whole-year "公开N件" that stands in a list of outcomes."""
    out = []
    for m in _GRANTED_BARE.finditer(text):
        listed = _OUTCOME_AFTER.match(text, m.end()) or _OUTCOME_BEFORE.search(text, 0, m.start())
        if listed and _about_whole_year(text, m, year):
            out.append(m)
    return out


def _table_value(apps: dict, kind: str) -> tuple[float | None, list[str]]:
    col = "total"
    if kind in ("granted", "partially_granted", "carried_forward", "carried_over", "total_processed"):
        return _get(apps, kind, col), [_path(kind, col)]
    groups = {
        "denied": DENIED_ROWS,
        "unavailable": UNAVAILABLE_ROWS,
        "not_processed": NOT_PROCESSED_ROWS,
    }
    rows = groups.get(kind) or _other_rows(apps, col)
    return _sum(apps, rows, col), [_path(r, col) for r in rows]


def _approximate(text: str, m: re.Match[str]) -> bool:
    """"收到申请近300件", "约120件", "300件左右": a rounded figure, not a claim."""
    return bool(_APPROXIMATE.search(m.group(1))) or text.startswith("左右", m.end())


# the rows a received figure may count: 新收, 新收+上年结转, 办理总计 (the sentence names which only
# when it mentions 结转); a split by applicant is read against the same rows
_NEW = ("new_received",)
_BOTH = ("new_received", "carried_over")
_PROCESSED = ("total_processed",)


def _rows_value(apps: dict, rows: tuple[str, ...], cols: Iterable[str]) -> float | None:
    values = [_get(apps, r, c) for r in rows for c in cols]
    return None if None in values else sum(values)


def _received_claims(text: str, year: int | None):
    """Yield (match, said, bases, also) for each whole-year count of requests received: `bases`
    are the row sets the figure may count, the first one being what the words name; `also` another
    figure the same sentence gives for a scope the table may have (全县…N件 around 其中本级M件)."""
    for m in _overall(_RECEIVED, text, year):
        if re.search(r"涉及|关于|有关|(?<![各全两三])类", m.group(1)):
            continue  # "收到涉及征地拆迁的申请66件" counts one topic
        if other_procedure(m.group(1)):
            continue  # "收到行政复议申请45件": another procedure's applications
        if _CHANGE.search(m.group(1)) or _approximate(text, m):
            continue  # "新收申请增加12件": a change against last year; "近300件": rounded
        said = count_value(m.group(2))
        if said is None:
            continue
        also: list[int] = []
        sentence = _sentence_prefix(text, m.start())
        own = own_part(sentence, text, m.end())
        if own is not None:
            said, also = own, [said]  # "全县…312件，其中县政府本级56件": the body's own, or the region's
        elif wider_scope(sentence):
            continue  # "全县共收到申请312件": the region's figure, not the table's scope
        # "新收到及上年结转…N件" / "N件（含上年结转M件）" count the carried-over requests in N
        with_carried = "结转" in m.group(1) or bool(_INCLUDES_CARRIED.match(text, m.end()))
        if with_carried:
            yield m, said, [_BOTH], also
        elif text.startswith("新收", m.start()):
            # 新收 is table 三's 本年新收 by name; 收到/受理 may count what was carried over or
            # handled too (offices write "收到58件" for 56 new + 2 carried), so those stay tolerant
            yield m, said, [_NEW], also
        else:
            yield m, said, [_NEW, _BOTH, _PROCESSED], also


def _split_claims(text: str, pos: int) -> list[tuple[str, int]]:
    """The applicant split printed right after a received figure ("，其中自然人申请262件、法人或
    其他组织申请188件"): [(applicant label, said)]."""
    out = []
    paren = _PAREN.match(text, pos)
    if paren and "结转" in paren.group(0):
        pos = paren.end()  # "（含上年结转27件），其中自然人…"
    while m := _SPLIT_ITEM.match(text, pos):
        said = count_value(m.group(2))
        if said is None:
            break
        out.append((m.group("who"), said))
        pos = m.end()
    return out


def _outcome_claim(apps: dict, kind: str, what: str, text: str, m: re.Match[str]):
    """(cells, table value, words) the outcome count at `m` is a claim about, or None when the words
    leave it about no cell one can name: "予以公开和部分公开27件" claims the two rows' sum, "因本机关
    不掌握相关政府信息无法提供12件" the sub-row, "因…等原因无法提供…" no row."""
    joined = joined_outcomes(text, m.start())
    if joined is None:
        return None
    kinds, start = joined
    if kinds:
        values, cells = zip(*(_table_value(apps, k) for k in [*kinds, kind]), strict=True)
        if None in values:
            return None
        return [c for cs in cells for c in cs], sum(values), text[start : m.start()] + what
    table, cells = _table_value(apps, kind)
    rows = {"denied": DENIED_ROWS, "unavailable": UNAVAILABLE_ROWS, "not_processed": NOT_PROCESSED_ROWS,
            "other": _other_rows(apps, "total")}.get(kind)
    if rows:
        clause = _clause_prefix(text, m.start())
        part, row = sub_row(clause, tuple(rows))
        if part:
            value = _get(apps, row, "total") if row else None
            words = re.sub(r"^(?:其中|另有|另)", "", clause) + what
            return None if value is None else ([_path(row, "total")], value, words)
    return None if table is None else (cells, table, what)


def check_narrative(overview: str, record: dict) -> list[Finding]:
    """Identity 6: figures section 一 repeats in words agree with tables 3 and 4.

    Every mention that claims this report's figure is checked (a figure stated right once and
    wrong later is still a typo); a figure about another year, a topic, an approximation or a
    change is no claim.
    """
    apps = record.get("applications") if isinstance(record.get("applications"), dict) else None
    reviews = record.get("reviews_litigation") if isinstance(record.get("reviews_litigation"), dict) else None
    active = record.get("active_disclosure") if isinstance(record.get("active_disclosure"), dict) else None
    if not overview or (apps is None and active is None):
        return []
    year = record.get("year") if isinstance(record.get("year"), int) else None
    text = _QUOTES_RE.sub("", "".join(overview.split()))
    out: list[Finding] = []
    seen: set[tuple[tuple[str, ...], float]] = set()
    for claim in active_claims(text, active or {}, lambda pos: _about_whole_year(text, pos, year)):
        if (key := ((claim.cell,), claim.said)) not in seen:
            seen.add(key)
            said, table = _num(claim.said), _num(claim.table)
            # quote the figure as printed ("125000元"), the conversion beside it, so a reviewer finds it
            stated = f"{claim.printed}（合{said}{claim.unit}）" if claim.printed else f"{said}{claim.unit}"
            message = f"总体情况称{claim.what}{stated}，但表格为{table}{claim.unit}"
            out.append(finding("6", "narrative", [claim.cell], said, table, message))
    if apps is None:
        return out

    def add(code_cells: list[str], said, table, what: str) -> None:
        if (tuple(code_cells), said) in seen:
            return  # the same wrong figure printed twice is one finding
        seen.add((tuple(code_cells), said))
        out.append(
            finding(
                "6",
                "narrative",
                code_cells,
                said,
                _num(table),
                f"总体情况称{what}{said}件，但表格为{_num(table)}件",
            )
        )

    for m, said, bases, also in _received_claims(text, year):
        options = [(b, _rows_value(apps, b, ["total"])) for b in bases]
        if options[0][1] is None:
            continue  # the quantity the sentence names is not in the table: nothing to compare
        known = [(b, v) for b, v in options if v is not None]
        matching = [b for b, v in known if _eq(said, v)]
        if also and not matching and any(_eq(a, v) for a in also for _, v in known):
            continue  # the table counts the region the sentence also gives
        if not matching:
            add([_path(r, "total") for r in bases[0]], said, known[0][1], text[m.start() : m.start() + 2] + "申请")
        # the split by applicant counts what the figure counts (or, the figure being wrong, the
        # rows its words name)
        for who, part in _split_claims(text, m.end()):
            cols = _WHO.get(who, _ORG)
            values = [v for v in (_rows_value(apps, b, cols) for b in (matching or bases[:1])) if v is not None]
            if values and not any(_eq(part, v) for v in values):
                rows = (matching or bases)[0]
                add(
                    [_path(r, c) for r in rows for c in cols],
                    part,
                    values[0],
                    f"{who}申请",
                )
    for kind, rx, what in _NARRATIVE:
        matches = _overall(rx, text, year) + (_bare_granted(text, year) if kind == "granted" else [])
        for m in sorted(matches, key=lambda x: x.start()):
            sentence = _sentence_prefix(text, m.start())
            if _DOCUMENTS.search(sentence) and "申请" not in sentence or _counts_other_things(sentence):
                continue
            if wider_scope(sentence):
                continue  # "全县予以公开100件(，其中本级…)": the region's figure
            said = count_value(m.group(1))
            claim = _outcome_claim(apps, kind, what, text, m)
            if said is not None and claim is not None and not _eq(said, claim[1]):
                add(claim[0], said, claim[1], claim[2])
    if reviews:
        review_total = (reviews.get("review") or {}).get("total")
        lit = [(reviews.get(g) or {}).get("total") for g in ("litigation_direct", "litigation_after_review")]
        lit_total = None if None in lit else sum(lit)
        for said in _case_counts(_REVIEW_N, _REVIEW_NONE, text, year):
            if review_total is not None and not _eq(said, review_total):
                add(["reviews_litigation.review.total"], said, review_total, "行政复议")
        for said in _case_counts(_LITIG_N, _LITIG_NONE, text, year):
            if lit_total is not None and not _eq(said, lit_total):
                add(
                    [
                        "reviews_litigation.litigation_direct.total",
                        "reviews_litigation.litigation_after_review.total",
                    ],
                    said,
                    lit_total,
                    "行政诉讼",
                )
    return out


# ---- rows printed but not placed -----------------------------------------------------------

_TABLE_NAMES = {"active_disclosure": "表二", "applications": "表三", "reviews_litigation": "表四"}


def _row_key(w: Unplaced) -> str | None:
    if w.row:
        return w.row
    return label_row(w.label) if w.table == "applications" and w.label else None


def row_findings(warnings: list[str], record: dict[str, Any], skip: Iterable[str] = ()) -> list[Finding]:
    """One `row_unplaced` finding per row a table reader could not place (its warning is an
    `Unplaced`: made where the row was given up, not read back from the text), on the cells the
    record holds null; none when another reading filled the row after all.  `skip`: tables already
    reported as a whole (`unaligned`)."""
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for w in warnings:
        if not isinstance(w, Unplaced) or w.table in skip:
            continue
        key = _row_key(w)
        table = record.get(w.table)
        row = table.get(key) if isinstance(table, dict) and key else None
        if not isinstance(row, dict) or (w.table, key) in seen:
            continue
        nulls = [f"{w.table}.{key}.{col}" for col, v in row.items() if v is None]
        if not nulls:
            continue
        seen.add((w.table, key))
        printed = f"（{w.printed}）" if w.printed else ""
        out.append(
            finding(
                "layout",
                "row_unplaced",
                nulls,
                None,
                None,
                f"{_TABLE_NAMES.get(w.table, w.table)}“{_row_name(w.table, key)}”一行印有数字{printed}，"
                "但无法确定各数所在的列（缺格或多出数字），该行未录入，请对照原件",
            )
        )
    return out


def _row_name(table: str, key: str) -> str:
    names = {"active_disclosure": ACTIVE_ROW_LABELS, "reviews_litigation": REVIEW_GROUP_LABELS}.get(table, ROW_LABELS)
    return names.get(key, key)


# ---- filling a lost cell ---------------------------------------------------------------------


def _row_failures(apps: dict, row: str) -> int:
    """Number of identities involving `row` that fail (used to rank placements of a lost cell)."""
    fails = len(check_row_sums(apps, [row]))
    if row in ("new_received", "carried_over", "total_processed", "carried_forward"):
        fails += len(check_balance(apps))
    if row in OUTCOME_ROWS + OTHER_ROWS + ("other_total", "total_processed"):
        fails += len(check_outcomes(apps))
    return fails


def _candidates_for_gap(apps: dict, row: str, col: str) -> list[float]:
    """Values the identities imply for the one unknown cell apps[row][col]."""
    out: list[float] = []
    others = [c for c in _SIX if c != col]
    if col == "total":
        parts = [_get(apps, row, c) for c in _SIX]
        if None not in parts:
            out.append(sum(parts))
    else:
        total = _get(apps, row, "total")
        parts = [_get(apps, row, c) for c in others]
        if total is not None and None not in parts:
            out.append(total - sum(parts))
    flow = {"new_received": 1, "carried_over": 1, "total_processed": -1, "carried_forward": -1}
    if row in flow:
        vals = {r: _get(apps, r, col) for r in flow if r != row}
        if None not in vals.values():
            lhs_minus_rhs = sum(flow[r] * v for r, v in vals.items())
            out.append(-lhs_minus_rhs * flow[row])
    rows = OUTCOME_ROWS + _other_rows(apps, col)
    if row == "total_processed":
        s = _sum(apps, rows, col)
        if s is not None:
            out.append(s)
    elif row in rows:
        tp = _get(apps, "total_processed", col)
        s = _sum(apps, [r for r in rows if r != row], col)
        if tp is not None and s is not None:
            out.append(tp - s)
    return out


def place_lost_cell(
    apps: dict, row: str, printed: list, dashes: bool = False
) -> tuple[list, int | None, list[Finding]]:
    """Put a row printed with 6 of its 7 cells back in order.

    Tries the gap in every column, keeps the placements under which the identities hold, and
    fills the gap only when every such placement gives the same row; otherwise the row is left
    null (a number in the wrong column is worse than none).  Returns (7 values, index of the
    inferred cell or None, notes).  `printed` holds the values as printed.  `dashes`: the table
    prints dashes ("/", "—") in some cells, so the missing cell may be one of them.
    """
    results = []
    for p in range(len(APPLICANT_COLS)):
        vals = printed[:p] + [None] + printed[p:]
        apps[row] = dict(zip(APPLICANT_COLS, vals, strict=True))
        cands = _candidates_for_gap(apps, row, APPLICANT_COLS[p])
        if dashes:
            # the gap may be a dash the dump moved off the row (onto a label line): the identities
            # say nothing about it, so it is one more placement the kept cells must agree with
            results.append((_row_failures(apps, row), p, None, vals))
        if not cands or any(not _eq(c, cands[0]) for c in cands) or cands[0] < -_EPS:
            continue
        x = _num(cands[0])
        apps[row][APPLICANT_COLS[p]] = x
        fails = _row_failures(apps, row)
        results.append((fails, p, x, vals[:p] + [x] + vals[p + 1 :]))
    label = ROW_LABELS.get(row, row)
    if results:
        best = min(r[0] for r in results)
        tied = [r for r in results if r[0] == best]
        if best == 0 and all(r[3] == tied[0][3] for r in tied):
            _, p, x, full = tied[0]
            apps[row] = dict(zip(APPLICANT_COLS, full, strict=True))
            where = APPLICANT_COL_LABELS[APPLICANT_COLS[p]]
            note = finding(
                "1",
                "inferred",
                [_path(row, APPLICANT_COLS[p])],
                None,
                x,
                f"{label}：原文此行只有6个数，缺失一格；按勾稽关系补为{x}（{where}列，推断值）",
            )
            return full, p, [note]
        if best == 0:
            # several placements hold (a dash or blank hides a column from the identities): the
            # cells on which they all agree are known whichever is right; the others stay null
            agreed = [v if all(r[3][i] == v for r in tied) else None for i, v in enumerate(tied[0][3])]
            if any(v is not None for v in agreed):
                apps[row] = dict(zip(APPLICANT_COLS, agreed, strict=True))
                unknown = "、".join(
                    APPLICANT_COL_LABELS[c] for c, v in zip(APPLICANT_COLS, agreed, strict=True) if v is None
                )
                note = finding(
                    "layout",
                    "row_unplaced",
                    [_path(row, c) for c, v in zip(APPLICANT_COLS, agreed, strict=True) if v is None],
                    None,
                    None,
                    f"{label}：原文此行只有6个数，缺失的一格有几种位置都符合勾稽关系；各种位置一致的格照录，"
                    f"{unknown}列未录入",
                )
                return agreed, None, [note]
    # the printed numbers cannot be put in their columns: leave the row out rather than guess
    vals = [None] * len(APPLICANT_COLS)
    apps[row] = dict(zip(APPLICANT_COLS, vals, strict=True))
    printed_text = " ".join("" if v is None else str(v) for v in printed)
    note = finding(
        "layout",
        "row_unplaced",
        [_path(row, c) for c in APPLICANT_COLS],
        None,
        None,
        f"{label}：原文此行只有6个数（{printed_text}），缺失的一格无法由勾稽关系唯一确定，整行未录入",
    )
    return vals, None, [note]


def place_lost_review(printed: list) -> tuple[list, int | None, list[Finding]]:
    """Table 4 printed with 14 of 15 cells: place the gap where the group sums allow one row."""
    n = len(REVIEW_GROUPS) * len(REVIEW_COLS)
    options = []
    for p in range(n):
        vals = printed[:p] + [None] + printed[p:]
        g, c = divmod(p, len(REVIEW_COLS))
        grp = vals[g * 5 : g * 5 + 5]
        others = [v for i, v in enumerate(grp) if i != c]
        if None in others:
            continue
        x = others[-1] - sum(others[:-1]) if c < 4 else sum(others)
        if x < -_EPS:
            continue
        vals[p] = _num(x)
        ok = all(
            vals[k * 5 + 4] is None
            or None in vals[k * 5 : k * 5 + 4]
            or _eq(sum(vals[k * 5 : k * 5 + 4]), vals[k * 5 + 4])
            for k in range(len(REVIEW_GROUPS))
        )
        if ok:
            options.append((p, vals))
    if options and all(o[1] == options[0][1] for o in options):
        p, vals = options[0]
        g, c = divmod(p, len(REVIEW_COLS))
        note = finding(
            "4",
            "inferred",
            [f"reviews_litigation.{REVIEW_GROUPS[g]}.{REVIEW_COLS[c]}"],
            None,
            vals[p],
            f"表四原文只有14个数，缺失一格；按勾稽关系补为{vals[p]}（推断值）",
        )
        return vals, p, [note]
    printed_text = " ".join("" if v is None else str(v) for v in printed)
    note = finding(
        "layout",
        "row_unplaced",
        [f"reviews_litigation.{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLS],
        None,
        None,
        f"表四原文只有14个数（{printed_text}），缺失的一格无法唯一确定，未录入",
    )
    return [None] * n, None, [note]
