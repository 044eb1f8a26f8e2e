"""What the replica portals publish: bodies, their reports and the look-alikes around them.

Kept apart from the page markup (build.py) so tests can ask "which items are
real reports" without parsing HTML.  Dates and ids are fixed so the build is
deterministic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass
class Item:
    """One entry in a column list: a report or a look-alike."""

    title: str
    published: date
    is_report: bool = False
    seed: str | None = None  # seed key of the report ("000"…)
    body: str = ""  # look-alike text
    fmt: str = "html"  # html | html+pdf | pdf | docx (how the report is published)
    path: str = ""  # URL path, filled by the builder
    attachment: str = ""  # URL path of the PDF/DOCX, filled by the builder
    extra: dict = field(default_factory=dict)


def stable_int(text: str, digits: int) -> int:
    """A number derived from the text so ids survive rebuilds."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % (10**digits)


def stable_hex(text: str, n: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


NEWS = [
    "全市公安机关召开政务公开工作推进会",
    "关于开展“警营开放日”活动的通知",
    "春节期间道路交通安全提示",
    "关于公开征求意见的公告",
    "局领导带队开展安全生产检查",
    "关于调整户籍业务办理时间的公告",
    "全市政务服务工作会议召开",
    "关于做好2025年度防汛工作的通知",
    "新闻发布会：通报一季度工作情况",
    "关于进一步优化营商环境的实施意见",
    "“我为群众办实事”实践活动情况通报",
    "交通安全宣传进校园活动启动",
    "出入境证件办理指南",
    "机动车驾驶人考试预约须知",
    "关于开展打击电信网络诈骗宣传周活动的通知",
    "年度重点工作任务分解",
    "公开招聘辅警公告",
    "关于2025年清明节期间文明祭扫的倡议",
    "政府开放日活动圆满举行",
    "行政执法公示",
]


def lookalikes(agency: str, city: str) -> list[tuple[str, str]]:
    """(title, text) of items that sit in 年报 columns but are not annual reports."""
    return [
        (f"{agency}2025年部门预算", f"根据预算法规定，现将{agency}2025年部门预算公开如下。收入预算、支出预算详见附表。"),
        (f"{agency}2023年度财政决算", f"现将{agency}2023年度部门决算公开如下，决算收支总计较上年有所增加。"),
        (f"{agency}政府信息公开指南", "为便于公民、法人和其他组织依法获取政府信息，编制本指南。申请方式：当面、邮寄、网上申请。"),
        (f"{city}2025年政务公开工作要点", "2025年政务公开工作要坚持以人民为中心，围绕中心工作推进决策、执行、管理、服务、结果公开。"),
        (f"{agency}2024年法治政府建设年度报告", f"2024年，{agency}深入学习贯彻习近平法治思想，法治政府建设取得新成效。现将有关情况报告如下。"),
        (f"{agency}2024年度绩效自评报告", "根据预算绩效管理要求，对2024年度项目支出开展了绩效自评，自评得分95分。"),
        (f"{city}2024年国民经济和社会发展统计公报", "2024年，全市地区生产总值比上年增长5.6%。"),
        (f"图片解读：一图读懂《{agency}2024年政府信息公开工作年度报告》", "一图读懂年度报告要点。"),
    ]


def dated(start: date, n: int, step_days: int = 3) -> list[date]:
    """Descending dates, newest first, as CMS lists show them."""
    return [start - timedelta(days=i * step_days) for i in range(n)]


def column_items(agency: str, city: str, report: Item, total: int, report_index: int) -> list[Item]:
    """A list of `total` items, newest first, with the report at `report_index` on its own date."""
    start = report.published + timedelta(days=report_index * 3)
    fillers = [Item(t, date.min, body=b) for t, b in lookalikes(agency, city)]
    fillers += [Item(t, date.min, body=f"{t}。详细内容请见正文。") for t in NEWS]
    while len(fillers) < total - 1:
        n = len(fillers)
        fillers.append(Item(f"{NEWS[n % len(NEWS)]}（{n}）", date.min, body="工作动态。"))
    items = fillers[: total - 1]
    items.insert(report_index, report)
    for item, day in zip(items, dated(start, total), strict=True):
        if not item.is_report:
            item.published = day
    return items
