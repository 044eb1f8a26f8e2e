"""Where a title names its body apart from the report's name: after it, or as a column's label.

Most titles print the body first ("XX局2023年政府信息公开工作年度报告").  Some print it only after the
report's name ("…年度报告—水利部", "…年度报告_XX市财政局", "…年度报告（聊城市生态环境局）"), and a
listing may lead with the column's name and a colon ("政府信息公开年报：XX区人民政府2023年…").  The
crawler's classifier (a listing's link text) and the parser (the document's own title) must name the
same body for the same title, so both read these shapes by the rules here.

After a page template's join (-, _, |, a space) a government's name is its portal's, printed after
every page's title, its departments' reports included, so it names no body there; a department's or
office's name does, and any body's after a Chinese dash (the editor's attribution).
"""

from __future__ import annotations

import re

# Items derived from a report (解读, 一图读懂 …): no report themselves, and no column's name
DERIVATIVE = re.compile(
    r"解读|图解|一图|图说|图读|图文(?!版)|长图|海报|h5|电子书|视频|音频|动画|动漫|漫画|数读|数说|读懂|看懂|新闻|报道|发布稿|通稿",
    re.I,
)
# What a reporting body's name ends with
BODY_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|办事处|街道|局|厅|署|部|委员会|委|办|分局|支行|分行|中心|镇|乡|区|县|市|省|"
    r"自治区|自治州|州|盟|旗|院)$"
)
# A website's name (…门户网站): a portal's, not a body's
SITE_SUFFIX = re.compile(r"(?:门户网站|政府网站|网站|政府网|官网|门户网)$")
# Mass organisations (工会, 妇联 …): bodies' names, never a column's
MASS_ORG = re.compile(
    r"工会|共青团|团[省市县区州旗]?委|妇联|妇女联合会|科协|科学技术协会|残联|残疾人联合会|工商联|工商业联合会|总商会"
    r"|红十字会|侨联|华侨联合会|文联|文学艺术界联合会"
)
# A tag that says what became of the document ("【草稿】", "[已撤回]", "【作废】") is a remark to judge.
STATUS = re.compile(r"稿|撤|废|失效|过期|停|删|暂|征求|意见")
# Documents *about* reports (requests, templates, training, inspections) rather than a report.
PROCEDURAL = re.compile(
    r"通知|通报|通告|公告|征集|填报|报送|格式|培训|召开|会议|发布会|部署|考核|评估|检查|审核|审查|意见|透明度"
    r"|说明|申请表|指南|要点|规范|模板|样本|范本|样例|示例"
)
_CJK = re.compile(r"[\u3400-\u9fff]")


def is_column_tag(tag: str) -> bool:
    """A column's name (in brackets or before a colon: "【政府信息公开年报】", "[通知公告]"): no year,
    no body's name, no derivative or status word.  A bare "【通知】" says what the item is; a column
    of notices is named by two words ("通知公告", "公示公告")."""
    if re.search(r"\d", tag) or len(tag) > 10 or not _CJK.search(tag):
        return False
    if BODY_SUFFIX.search(tag) or MASS_ORG.search(tag) or DERIVATIVE.search(tag) or STATUS.search(tag):
        return False
    return not PROCEDURAL.search(tag) or len(tag) >= 4


# A column's name before a colon ("政府信息公开年报：XX区人民政府2023年…", "通知公告：…"): the listing names
# the column the item sits in, as "【政府信息公开年报】…" does in brackets.
_LEAD_LABEL = re.compile(r"^([\u3400-\u9fff]{2,10})[:：](?=.)")
# What a column's name is made of, unlike a place's short name ("莲都：2023年…" names the body).
_COLUMN_WORD = re.compile(r"公开|年报|报告|公告|公示|动态|专栏|专题|栏目|信息|政务|文件")


def column_label_end(text: str) -> int:
    """Where the title goes on after a column's name and a colon, 0 when it leads with none (a body's
    "XX局：2023年…" or a derivative's "解读：…" stays).  The caller takes the rest only when it names
    the report itself."""
    m = _LEAD_LABEL.match(text)
    return m.end() if m and _COLUMN_WORD.search(m.group(1)) and is_column_tag(m.group(1)) else 0


# A body named after the report's name: "…年度报告—水利部" / "——XX街道办事处" (a Chinese dash, the
# editor's attribution), "…年度报告-XX市财政局" / "_…" / "…年度报告 XX局" (a page template's join).
_TRAILING_BODY = re.compile(r"(?P<sep>[—―]+|[-_|]*)(?P<name>[^()\[\]〔〕【】\-_|—―]+)")
_PORTAL_OWNER = re.compile(r"政府$")
# A column or document after the report's name ("_政务公开", "-信息公开目录") names no body (规划/计划 may:
# 自然资源和规划局).
_NOT_TRAILING_BODY = re.compile(r"报|公开|公告|公示|通知|\d|目录|指南")
_BRACKETED = re.compile(r"[(\[〔【（]([^()\[\]〔〕【】（）]+)[)\]〕】）]")


def trailing_body(tail: str) -> str | None:
    """The body named after the report's name (`tail`: what follows it, spaces squeezed as the
    caller reads them) when none is named before it."""
    m = _TRAILING_BODY.fullmatch(tail)
    if m is None:
        return None
    name = m.group("name")
    if not BODY_SUFFIX.search(name) or len(name) > 40 or _NOT_TRAILING_BODY.search(name) or SITE_SUFFIX.search(name):
        return None
    if not m.group("sep").startswith(("—", "―")) and _PORTAL_OWNER.search(name):
        return None
    return name


def body_after_report(tail: str) -> str | None:
    """The body a title names after the report's name (`tail`: what follows 报告/年报, years left
    out): "（聊城市生态环境局）" in brackets, else `trailing_body`."""
    tail = tail.replace("()", "").replace("（）", "")
    inner = _BRACKETED.fullmatch(tail)
    if inner and BODY_SUFFIX.search(inner.group(1)) and not SITE_SUFFIX.search(inner.group(1)):
        return inner.group(1)
    return trailing_body(tail)
