"""Render a canonical record as a government-portal report page.

The markup copies what TRS/Hanweb/Shandong CMS pages carry for the national
template (国办公开办函〔2021〕30号, and the 2019 one): stacked headers with
rowspan/colspan, outcome labels in rowspan cells, single-value rows widened
with colspan.  It is reused outside the replica portal (parser round-trips),
so it must accept any record shaped like docs/report-format.md: rows or
columns absent from the record are left out, a null cell is an empty cell.
"""

from __future__ import annotations

import html
import re

APPLICANT_COLUMNS = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]

# Table 2 blocks: (heading, columns, rows).  Columns are (key, label).
ACTIVE_2021 = [
    ("第二十条第（一）项",
     [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
     [("regulations", "规章"), ("normative_documents", "行政规范性文件")]),
    ("第二十条第（五）项", [("decisions", "本年处理决定数量")], [("licensing", "行政许可")]),
    ("第二十条第（六）项", [("decisions", "本年处理决定数量")],
     [("punishment", "行政处罚"), ("coercion", "行政强制")]),
    ("第二十条第（八）项", [("amount_10k_yuan", "本年收费金额（单位：万元）")], [("fees", "行政事业性收费")]),
]

ACTIVE_2019 = [
    ("第二十条第（一）项",
     [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量")],
     [("regulations", "规章"), ("normative_documents", "规范性文件")]),
    ("第二十条第（五）项",
     [("prior_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
     [("licensing", "行政许可"), ("other_admin_services", "其他对外管理服务事项")]),
    ("第二十条第（六）项",
     [("prior_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
     [("punishment", "行政处罚"), ("coercion", "行政强制")]),
    ("第二十条第（八）项", [("prior_items", "上一年项目数量"), ("change", "本年增/减")],
     [("fees", "行政事业性收费")]),
    ("第二十条第（九）项", [("items", "采购项目数量"), ("amount_10k_yuan", "采购总金额")],
     [("procurement", "政府集中采购")]),
]

# Table 3 outcome groups under 三、本年度办理结果: (group label or None, [(key, label)]).
OUTCOME_GROUPS = [
    (None, [("granted", "（一）予以公开")]),
    (None, [("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]),
    ("（三）不予公开", [
        ("denied_state_secret", "1.属于国家秘密"),
        ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
        ("denied_three_securities", "3.危及“三安全一稳定”"),
        ("denied_third_party", "4.保护第三方合法权益"),
        ("denied_internal_affairs", "5.属于三类内部事务信息"),
        ("denied_process_info", "6.属于四类过程性信息"),
        ("denied_enforcement_files", "7.属于行政执法案卷"),
        ("denied_admin_query", "8.属于行政查询事项"),
    ]),
    ("（四）无法提供", [
        ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
        ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
        ("unavailable_unclear", "3.补正后申请内容仍不明确"),
    ]),
    ("（五）不予处理", [
        ("not_processed_petition", "1.信访举报投诉类申请"),
        ("not_processed_duplicate", "2.重复申请"),
        ("not_processed_publication", "3.要求提供公开出版物"),
        ("not_processed_excessive", "4.无正当理由大量反复申请"),
        ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ]),
    ("（六）其他处理", [
        ("other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "3.其他"),
    ]),
    (None, [("total_processed", "（七）总计")]),
]

REVIEW_GROUPS = [
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]
REVIEW_COLUMNS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]

TABLE_ATTRS = 'border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse"'
HEADING_RE = re.compile(r"^\s*([一二三四五六七八九十]+)[、.．]")


def fmt(value: object) -> str:
    """Print numbers the way reports do: no trailing .0, no exponent, null as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text
    return html.escape(str(value))


def _td(text: str, rowspan: int = 1, colspan: int = 1, escape: bool = True) -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    body = html.escape(text) if escape else text
    return f"<td{attrs}>{body}</td>"


def _active_blocks(record: dict) -> list:
    active = record.get("active_disclosure") or {}
    if record.get("template") == "2019":
        return ACTIVE_2019
    if record.get("template") == "2021":
        return ACTIVE_2021
    regs = active.get("regulations") or {}
    return ACTIVE_2019 if ("made" in regs or "procurement" in active) else ACTIVE_2021


def active_table_html(record: dict) -> str:
    """Table 2, one block per 第二十条 item, all blocks four columns wide."""
    active = record.get("active_disclosure") or {}
    rows: list[str] = []
    for heading, columns, items in _active_blocks(record):
        present = [(k, label) for k, label in items if k in active]
        if not present:
            continue
        rows.append("<tr>" + _td(heading, colspan=4) + "</tr>")
        head = [_td("信息内容")]
        for i, (_, label) in enumerate(columns):
            span = 4 - len(columns) if i == len(columns) - 1 else 1
            head.append(_td(label, colspan=span))
        rows.append("<tr>" + "".join(head) + "</tr>")
        for key, label in present:
            values = active.get(key) or {}
            cells = [_td(label)]
            for i, (col, _) in enumerate(columns):
                span = 4 - len(columns) if i == len(columns) - 1 else 1
                cells.append(_td(fmt(values.get(col)), colspan=span, escape=False))
            rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        return ""
    return f"<table {TABLE_ATTRS}>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def _value_cells(values: dict | None) -> str:
    values = values or {}
    return "".join(_td(fmt(values.get(col)), escape=False) for col, _ in APPLICANT_COLUMNS)


def _outcome_rows(apps: dict) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """Outcome groups restricted to the rows the record has (2019 reports carry other_total)."""
    groups: list[tuple[str | None, list[tuple[str, str]]]] = []
    for label, items in OUTCOME_GROUPS:
        present = [(k, lab) for k, lab in items if k in apps]
        if label == "（六）其他处理" and "other_total" in apps:
            if present:
                groups.append((label, present))
                groups.append((None, [("other_total", "（六）其他处理合计")]))
            else:
                groups.append((None, [("other_total", "（六）其他处理")]))
            continue
        if present:
            groups.append((label, present))
    return groups


def applications_table_html(record: dict) -> str:
    """Table 3 with the template's stacked 申请人情况 header and rowspan outcome labels."""
    apps = record.get("applications") or {}
    if not apps:
        return ""
    rows = [
        "<tr>" + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3)
        + _td("申请人情况", colspan=7) + "</tr>",
        "<tr>" + _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5) + _td("总计", rowspan=2) + "</tr>",
        "<tr>" + "".join(_td(label) for _, label in APPLICANT_COLUMNS[1:6]) + "</tr>",
    ]
    for key, label in [("new_received", "一、本年新收政府信息公开申请数量"),
                       ("carried_over", "二、上年结转政府信息公开申请数量")]:
        if key in apps:
            rows.append("<tr>" + _td(label, colspan=3) + _value_cells(apps[key]) + "</tr>")
    groups = _outcome_rows(apps)
    total_lines = sum(len(items) for _, items in groups)
    first_line = True
    for group_label, items in groups:
        for i, (key, label) in enumerate(items):
            cells = ""
            if first_line:
                cells += _td("三、本年度办理结果", rowspan=total_lines)
                first_line = False
            if group_label is None:
                cells += _td(label, colspan=2)
            else:
                if i == 0:
                    cells += _td(group_label, rowspan=len(items))
                cells += _td(label)
            rows.append("<tr>" + cells + _value_cells(apps.get(key)) + "</tr>")
    if "carried_forward" in apps:
        rows.append("<tr>" + _td("四、结转下年度继续办理", colspan=3) + _value_cells(apps["carried_forward"]) + "</tr>")
    for extra in apps.get("extra_rows") or []:
        rows.append("<tr>" + _td(str(extra.get("label", "")), colspan=3) + _value_cells(extra.get("values")) + "</tr>")
    return f"<table {TABLE_ATTRS}>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def reviews_table_html(record: dict) -> str:
    """Table 4: three header rows and the one row of 15 numbers."""
    rl = record.get("reviews_litigation") or {}
    if not rl:
        return ""
    labels = [label for _, label in REVIEW_COLUMNS]
    row1 = _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10)
    row2 = "".join(_td(label, rowspan=2) for label in labels)
    row2 += _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5)
    row3 = "".join(_td(label) for label in labels) * 2
    values = "".join(
        _td(fmt((rl.get(group) or {}).get(col)), escape=False)
        for group, _ in REVIEW_GROUPS
        for col, _ in REVIEW_COLUMNS
    )
    body = "\n".join(f"<tr>{r}</tr>" for r in (row1, row2, row3, values))
    return f"<table {TABLE_ATTRS}>\n<tbody>\n{body}\n</tbody>\n</table>"


def report_tables_html(record: dict) -> str:
    """Sections 二, 三, 四 (heading paragraph + table each) as a page fragment."""
    parts = []
    for heading, table in [
        ("二、主动公开政府信息情况", active_table_html(record)),
        ("三、收到和处理政府信息公开申请情况", applications_table_html(record)),
        ("四、政府信息公开行政复议、行政诉讼情况", reviews_table_html(record)),
    ]:
        if table:
            parts.append(f'<p class="heading"><strong>{heading}</strong></p>\n{table}')
    return "\n".join(parts)


def narrative_html(text: str) -> str:
    """One <p> per line; numbered section headings in bold as CMS editors style them."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if HEADING_RE.match(line) and len(line) < 40:
            out.append(f'<p class="heading"><strong>{html.escape(line)}</strong></p>')
        else:
            out.append(f"<p>{html.escape(line)}</p>")
    return "\n".join(out)


def split_narrative(narrative: str) -> tuple[str, str]:
    """Split at the 五、 heading: sections 一 (and the preamble) go before the tables, 五 and 六 after."""
    lines = narrative.splitlines()
    for i, line in enumerate(lines):
        m = HEADING_RE.match(line)
        if m and m.group(1) in ("五", "六") and len(line.strip()) < 40:
            return "\n".join(lines[:i]), "\n".join(lines[i:])
    return narrative, ""


def report_body_html(record: dict, narrative: str) -> str:
    """The article body: narrative before 五, the three tables, narrative from 五 on."""
    before, after = split_narrative(narrative)
    return "\n".join(p for p in (narrative_html(before), report_tables_html(record), narrative_html(after)) if p)


def report_html(record: dict, narrative: str, title: str, *, charset: str = "utf-8",
                extra_head: str = "", extra_body: str = "") -> str:
    """A whole standalone page (also the input LibreOffice converts to PDF/DOCX)."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt; }}
h1 {{ text-align: center; font-size: 18pt; }}
td {{ border: 1px solid #000; padding: 2px 4px; text-align: center; font-size: 9pt; }}
p {{ text-indent: 2em; line-height: 1.6; }}
</style>
{extra_head}</head>
<body>
<h1>{html.escape(title)}</h1>
<div class="article-content">
{report_body_html(record, narrative)}
</div>
{extra_body}</body>
</html>
"""
