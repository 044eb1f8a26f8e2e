"""Official row and column labels of the national report template (docs/report-format.md).

The report page and the diff print these instead of the record's ASCII keys, so a reader can lay
a page next to the published report and find each number at the same place.
"""

from __future__ import annotations

import sqlite3

TABLES = {
    "active_disclosure": "表二 主动公开政府信息情况",
    "applications": "表三 收到和处理政府信息公开申请情况",
    "reviews_litigation": "表四 政府信息公开行政复议、行政诉讼情况",
}

# the headings as the template prints them (section 一 is narrative, 二-四 are the tables, 五/六 narrative)
TABLE_HEADINGS = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
# table 2 (2021 template) is printed in blocks, one per article of 条例 第二十条, each under its own header
ACTIVE_BLOCKS = {
    "regulations": "第二十条第（一）项", "normative_documents": "第二十条第（一）项",
    "licensing": "第二十条第（五）项",
    "punishment": "第二十条第（六）项", "coercion": "第二十条第（六）项",
    "fees": "第二十条第（八）项",
}
# table 3's row groups: 三、本年度办理结果 holds (一)-(七); (三)-(六) hold numbered items
OUTCOME_GROUP = "三、本年度办理结果"
OUTCOME_SUBGROUPS = (("denied_", "（三）不予公开"), ("unavailable_", "（四）无法提供"),
                     ("not_processed_", "（五）不予处理"), ("other_", "（六）其他处理"))

ACTIVE_ROWS = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_admin_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
ACTIVE_COLS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount_10k_yuan": "本年收费金额（单位：万元）",
    # 2019 template
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_public": "对外公开总数量",
    "prior_items": "上一年项目数量",
    "change": "本年增/减",
    "items": "采购项目数量",
}

APPLICATION_ROWS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果 （一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "（三）不予公开 1.属于国家秘密",
    "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_three_securities": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_files": "7.属于行政执法案卷",
    "denied_admin_query": "8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "not_processed_petition": "（五）不予处理 1.信访举报投诉类申请",
    "not_processed_duplicate": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物",
    "not_processed_excessive": "4.无正当理由大量反复申请",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他",
    "other_total": "（六）其他处理",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
APPLICANT_COLS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
LEGAL_PERSON_COLS = ("commercial", "research", "social_welfare", "legal_services", "other_org")

REVIEW_GROUPS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 复议后起诉",
}
REVIEW_COLS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
               "total": "总计"}

SECTIONS = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
# a free-form (pre-2019) report's parts, as those reports word them; unnumbered, since their numbering
# (收费 as 四, problems as 六, other as 七) is not the template's
FREE_SECTIONS = {"overview": "概述（总体情况）", "active": "主动公开政府信息情况", "applications": "依申请公开政府信息情况",
                 "fees": "政府信息公开的收费及减免情况", "reviews": "因政府信息公开申请行政复议、提起行政诉讼的情况",
                 "problems": "存在的主要问题及改进情况", "other": "其他需要报告的事项"}
# the free-form part standing where the template prints a table
FREE_PROSE = {"active_disclosure": "active", "applications": "applications", "reviews_litigation": "reviews"}


def row_label(table: str, row: str) -> str:
    labels = {"active_disclosure": ACTIVE_ROWS, "applications": APPLICATION_ROWS,
              "reviews_litigation": REVIEW_GROUPS}.get(table, {})
    return labels.get(row, row)


# a column key whose header depends on its row (2019's 政府集中采购 prints its own amount)
ACTIVE_ROW_COLS = {("procurement", "amount_10k_yuan"): "采购总金额（单位：万元）"}


def col_label(table: str, col: str, row: str | None = None) -> str:
    if table == "active_disclosure" and (row, col) in ACTIVE_ROW_COLS:
        return ACTIVE_ROW_COLS[(row, col)]
    labels = {"active_disclosure": ACTIVE_COLS, "applications": APPLICANT_COLS,
              "reviews_litigation": REVIEW_COLS}.get(table, {})
    return labels.get(col, col)


def cell_label(table: str, row: str, col: str) -> str:
    """One readable name for a cell, e.g. "表三 · 一、本年新收政府信息公开申请数量 · 总计"."""
    short = TABLES.get(table, table).split(" ")[0]
    return f"{short} · {row_label(table, row)} · {col_label(table, col, row)}"


# what a cell's number counts: table 2's amounts are 万元 (10,000 yuan, decimals as printed); the 2019
# template's 上一年项目数量 / 本年增减 / 采购项目数量 count items (项); every other cell counts 件
# (documents, decisions, applications, cases)
UNITS = {"amount_10k_yuan": "万元", "prior_items": "项", "change": "项", "items": "项"}
UNIT_NAMES = {"件": "件 count (documents, decisions, applications or cases)", "项": "项 count of items",
              "万元": "万元 = 10,000 yuan (a decimal, as printed)"}


def cell_label_rows() -> list[dict]:
    """Every cell key of the two templates with its template label and unit, in template order: the
    `cell_labels` table researchers join to `cells` (and `latest_cells` shows), so a key such as
    applications.denied_third_party.total reads as the label printed in the report."""
    from parsers import template

    keyed: dict[tuple[str, str, str], dict] = {}
    for tpl in ("2021", "2019"):
        cells = [("active_disclosure", row, col) for row, _, cols in template.active_rows(tpl) for col in cols]
        cells += [("applications", row, col) for row in (template.ROWS_2021 if tpl == "2021" else template.ROWS_2019)
                  for col in template.APPLICANT_COLS]
        cells += [("reviews_litigation", group, col) for group in template.REVIEW_GROUPS for col in template.REVIEW_COLS]
        for table, row, col in cells:
            if (table, row, col) in keyed:
                keyed[(table, row, col)]["templates"] += "," + tpl
                continue
            unit = UNITS.get(col, "件") if table == "active_disclosure" else "件"
            short = TABLES[table].split(" ")[0]
            keyed[(table, row, col)] = {
                "table": table, "row": row, "col": col, "table_label": TABLES[table],
                "row_label": full_row_label(table, row), "col_label": col_label(table, col, row),
                "label": f"{short} · {full_row_label(table, row)} · {col_label(table, col, row)}",
                "templates": tpl, "unit": unit, "unit_note": UNIT_NAMES[unit]}
    rows_order = {"active_disclosure": list(ACTIVE_ROWS), "applications": list(template.ALL_APPLICATION_ROWS),
                  "reviews_litigation": list(template.REVIEW_GROUPS)}
    cols_order = {"active_disclosure": list(ACTIVE_COLS), "applications": list(template.APPLICANT_COLS),
                  "reviews_litigation": list(template.REVIEW_COLS)}
    out = sorted(keyed.values(), key=lambda r: (list(TABLES).index(r["table"]), rows_order[r["table"]].index(r["row"]),
                                                cols_order[r["table"]].index(r["col"])))
    return [{**r, "position": n} for n, r in enumerate(out, 1)]


def store(conn: sqlite3.Connection) -> int:
    """Write `cell_label_rows` into the `cell_labels` table (replacing what is there); returns the count.
    The caller owns the transaction (reparse writes it with the parsed tables)."""
    rows = cell_label_rows()
    conn.execute("DELETE FROM cell_labels")
    cols = list(rows[0])
    conn.executemany(f"INSERT INTO cell_labels ({', '.join(f'[{c}]' for c in cols)}) VALUES"
                     f" ({', '.join('?' * len(cols))})", [[r[c] for c in cols] for r in rows])
    return len(rows)


def full_row_label(table: str, row: str) -> str:
    """A row's label with the group it is numbered under: 4.保护第三方合法权益 is （三）不予公开's item 4."""
    label = row_label(table, row)
    for prefix, group in OUTCOME_SUBGROUPS:
        if table == "applications" and row.startswith(prefix) and row != "other_total" and group not in label:
            return f"{group} {label}"
    return label


# finding codes that are not an identity's (identity "layout"): what the reader is told about them
FINDING_CODES = {
    "row_unplaced": "行未录入：该行印有数字，但无法确定各数所在的列（缺格或多出数字），整行或部分格记为空，请对照原件"
                    " / row printed but its numbers could not be placed in their columns: its cells are null",
    "group_total_only": "只印出该类合计：表三某类办理结果只印出合计一行、未分列各项，各项记为空，该行列入 extra_rows"
                        " / a group of table 3's outcomes printed as its total only: its items are null,"
                        " the row is kept under extra_rows",
    "table_continued": "表三从前一页续起：本页是分页发布的文章的后一页，表头和此前各行印在前一页，这些格记为空"
                       " / the page begins inside table 3 (a later page of an article split over pages):"
                       " the rows before the first printed here are on an earlier page, null",
}
