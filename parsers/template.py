"""The national report templates (国办公开办函〔2019〕60号 and 〔2021〕30号) as data.

Everything the parser knows about row order, columns and labels lives here, so the parsing
code follows the template's structure rather than the layout of particular files.
"""

from __future__ import annotations

import re

# ---- table 3: 收到和处理政府信息公开申请情况 -------------------------------------------
APPLICANT_COLS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
)
APPLICANT_COL_LABELS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

DENIED_ROWS = (
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_three_securities",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_files",
    "denied_admin_query",
)
UNAVAILABLE_ROWS = ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
NOT_PROCESSED_ROWS = (
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
)
OTHER_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_other")

_HEAD = ("new_received", "carried_over", "granted", "partially_granted")
_TAIL = ("total_processed", "carried_forward")

ROWS_2021 = _HEAD + DENIED_ROWS + UNAVAILABLE_ROWS + NOT_PROCESSED_ROWS + OTHER_ROWS + _TAIL
ROWS_2019 = _HEAD + DENIED_ROWS + UNAVAILABLE_ROWS + NOT_PROCESSED_ROWS + ("other_total",) + _TAIL
# Every row key a record may hold, in template order (other_total sits before the sub-rows).
ALL_APPLICATION_ROWS = (
    _HEAD + DENIED_ROWS + UNAVAILABLE_ROWS + NOT_PROCESSED_ROWS + ("other_total",) + OTHER_ROWS + _TAIL
)
OUTCOME_ROWS = ("granted", "partially_granted") + DENIED_ROWS + UNAVAILABLE_ROWS + NOT_PROCESSED_ROWS

ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开",
    "denied_state_secret": "（三）不予公开 1.属于国家秘密",
    "denied_prohibited_by_law": "（三）不予公开 2.其他法律行政法规禁止公开",
    "denied_three_securities": "（三）不予公开 3.危及“三安全一稳定”",
    "denied_third_party": "（三）不予公开 4.保护第三方合法权益",
    "denied_internal_affairs": "（三）不予公开 5.属于三类内部事务信息",
    "denied_process_info": "（三）不予公开 6.属于四类过程性信息",
    "denied_enforcement_files": "（三）不予公开 7.属于行政执法案卷",
    "denied_admin_query": "（三）不予公开 8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "（四）无法提供 2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）无法提供 3.补正后申请内容仍不明确",
    "not_processed_petition": "（五）不予处理 1.信访举报投诉类申请",
    "not_processed_duplicate": "（五）不予处理 2.重复申请",
    "not_processed_publication": "（五）不予处理 3.要求提供公开出版物",
    "not_processed_excessive": "（五）不予处理 4.无正当理由大量反复申请",
    "not_processed_confirmation": "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "（六）其他处理 1.申请人无正当理由逾期不补正",
    "other_unpaid_fee": "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
    "other_other": "（六）其他处理 3.其他",
    "other_total": "（六）其他处理",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

# Short fragments that survive labels broken across lines or truncated; the last one found in
# a row's label text wins (labels of the previous row often spill into the next).
_ROW_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("new_received", r"本年新收|新收政府"),
    ("carried_over", r"上年结转"),
    ("granted", r"予以公开"),
    ("partially_granted", r"部分公开"),
    ("denied_state_secret", r"国家秘密"),
    ("denied_prohibited_by_law", r"法律行政法|行政法规禁止|规禁止公开"),
    ("denied_three_securities", r"三安全|一稳定"),
    ("denied_third_party", r"第三方"),
    ("denied_internal_affairs", r"内部事务"),
    ("denied_process_info", r"过程性"),
    ("denied_enforcement_files", r"执法案卷"),
    ("denied_admin_query", r"行政查询|查询事项"),
    ("unavailable_not_held", r"不掌握"),
    ("unavailable_needs_creation", r"另行制作|现成信息"),
    ("unavailable_unclear", r"仍不明确|补正后申请"),
    ("not_processed_petition", r"信访|举报投诉"),
    ("not_processed_duplicate", r"重复申请"),
    ("not_processed_publication", r"出版物"),
    ("not_processed_excessive", r"大量反复"),
    ("not_processed_confirmation", r"重新出具|确认或"),
    ("other_overdue_correction", r"逾期不补正|不补正"),
    ("other_unpaid_fee", r"缴纳费用|收费通知"),
    ("other_other", r"[3３][.．、]?其他$"),
    ("other_total", r"其他处理$"),
    # a subtotal row some reports print for a whole category: not a template row (extra_rows)
    ("subtotal", r"(?:不予公开|无法提供|不予处理)$"),
    ("total_processed", r"总计$"),
    ("carried_forward", r"结转下|下年度继续"),
)
ROW_KEYWORD_RES = tuple((key, re.compile(pat)) for key, pat in _ROW_KEYWORDS)

# ---- table 4: 行政复议、行政诉讼 -----------------------------------------------------------
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_GROUP_LABELS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
REVIEW_COL_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# ---- table 2: 主动公开政府信息情况 ---------------------------------------------------------
# (row key, label regex on the squashed cell, columns) per template.  Order matters: the more
# specific label first (行政规范性文件 before 规范性文件).
ACTIVE_ROWS_2021: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("regulations", r"规章", ("issued", "repealed", "in_force")),
    ("normative_documents", r"(?:行政)?规范性文件", ("issued", "repealed", "in_force")),
    ("licensing", r"行政许可", ("decisions",)),
    ("punishment", r"行政处罚", ("decisions",)),
    ("coercion", r"行政强制", ("decisions",)),
    ("fees", r"行政事业性收费", ("amount_10k_yuan",)),
)
ACTIVE_ROWS_2019: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("regulations", r"规章", ("made", "published", "total_public")),
    ("normative_documents", r"(?:行政)?规范性文件", ("made", "published", "total_public")),
    ("licensing", r"行政许可", ("prior_items", "change", "decisions")),
    ("other_admin_services", r"其他对外管理服务事项", ("prior_items", "change", "decisions")),
    ("punishment", r"行政处罚", ("prior_items", "change", "decisions")),
    ("coercion", r"行政强制", ("prior_items", "change", "decisions")),
    ("fees", r"行政事业性收费", ("prior_items", "change")),
    ("procurement", r"政府集中采购", ("items", "amount_10k_yuan")),
)
ACTIVE_ROW_LABELS = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_admin_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}

# Table 2's column headers (squashed text) per column key, for dumps that print a column's
# numbers under its header rather than beside the row labels.
ACTIVE_COL_HEADERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pat))
    for key, pat in (
        ("issued", r"本年制发"),
        ("repealed", r"本年废止"),
        ("in_force", r"现行有效"),
        ("made", r"本年新制作"),
        ("published", r"本年新公开"),
        ("total_public", r"对外公开总数"),
        ("prior_items", r"上一年项目"),
        ("change", r"增[/／]?减"),
        ("decisions", r"处理决定数"),
        ("items", r"采购项目数"),
        ("amount_10k_yuan", r"收费金额|采购总金额"),
    )
)

# Header words that identify the template of table 2.
MARKERS_2021 = re.compile(r"本年制发|本年废止|现行有效")
MARKERS_2019 = re.compile(r"本年新制作|本年新公开|对外公开总数|上一年项目|其他对外管理服务|政府集中采购")


def empty_applications(rows: tuple[str, ...]) -> dict[str, dict[str, None]]:
    return {r: dict.fromkeys(APPLICANT_COLS) for r in rows}


def empty_reviews() -> dict[str, dict[str, None]]:
    return {g: dict.fromkeys(REVIEW_COLS) for g in REVIEW_GROUPS}


def active_rows(template: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return ACTIVE_ROWS_2019 if template == "2019" else ACTIVE_ROWS_2021


# ---- table 3 row labels as the template numbers them -------------------------------------------
_SUB_GROUP = re.compile(r"[（(]([一二三四五六七])[）)]")
_ITEM = re.compile(r"^\s*([1-8１-８])\s*[.．、]")
_SECTION = re.compile(r"^\s*([一二三四])\s*[、.．]")
_FULL_DIGITS = str.maketrans("１２３４５６７８", "12345678")


def label_structure(label: str) -> tuple[str, int | None] | None:
    """(group numeral, item number) of a template label such as （三）不予公开 1.属于国家秘密."""
    subs = list(_SUB_GROUP.finditer(label))
    if subs:
        m = _ITEM.match(label[subs[-1].end() :].lstrip("不予公开无法提供处理其他 "))
        return f"（{subs[-1].group(1)}）", int(m.group(1).translate(_FULL_DIGITS)) if m else None
    m = _SECTION.match(label)
    return (f"{m.group(1)}、", None) if m else None


STRUCTURE_ROWS = {s: key for key, label in ROW_LABELS.items() if (s := label_structure(label)) is not None}
