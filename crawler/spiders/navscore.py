"""How much a link looks like the way to the annual-report column (`nav_score`), and which
公开目录 nodes are worth keeping in reserve (`catalogue_node`): the scoring the generic walk
ranks its next hops by, kept apart so its words can be tuned without reading the spider."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.spiders.links import URL_DETOUR_RE

# words on the path to the column, with weights (a link may collect several)
NAV_WORDS = (("年报", 6), ("年度报告", 6), ("政府信息公开", 1), ("信息公开", 3), ("政务公开", 3),
             ("公开目录", 3), ("主动公开", 1), ("工作报告", 1))
# look-alike columns and site furniture: a link naming one of these is not on the way to the reports
DETOUR_WORDS = ("指南", "制度", "规定", "预决算", "预算", "决算", "统计", "政府工作报告", "法治", "规划", "要点",
                "依申请", "申请公开", "说明", "方案", "企业年报", "年报公示", "年报申报", "登录", "注册", "搜索", "检索", "打印",
                "分享", "收藏", "关闭", "网站地图", "无障碍", "长者", "English", "意见征集", "信箱", "留言")
# news titles name the disclosure work too ("全县政务公开工作推进会召开"), but lead nowhere
NEWS_WORDS = ("关于", "通知", "会议", "召开", "推进会", "培训", "调研", "督导", "座谈", "部署", "开展", "举办",
              "印发", "实施", "解读")
NAV_MAX_CHARS = 16  # menu and column names are short; longer link texts are titles of things
NAV_URL_RE = re.compile(r"(nianbao|xxgknb|zfxxgknb|gknb|ndbg|xxgk|zwgk)", re.I)
# nodes of a 公开目录 tree that name no report but may hold the column (法定主动公开内容 → 年度报告):
# kept in reserve, walked only when the better-named links led to no column
CATALOGUE_NODE_RE = re.compile(r"主动公开|公开目录|公开内容|法定公开|信息公开专栏")


def nav_score(text: str, url: str) -> int:
    """How likely a link leads towards the report column (not whether it is a report)."""
    score = sum(weight for word, weight in NAV_WORDS if word in text)
    path = urlsplit(url).path
    if any(w in text for w in DETOUR_WORDS) or URL_DETOUR_RE.search(path):
        return 0
    if len(text) > NAV_MAX_CHARS or any(w in text for w in NEWS_WORDS):
        return 0
    if NAV_URL_RE.search(path):
        score += 1
    return score


def catalogue_node(text: str, url: str) -> bool:
    """A 公开目录 node that names no report but may hold the column (法定主动公开内容, 主动公开目录)."""
    return bool(CATALOGUE_NODE_RE.search(text)) and len(text) <= NAV_MAX_CHARS \
        and not any(w in text for w in DETOUR_WORDS + NEWS_WORDS) and not URL_DETOUR_RE.search(urlsplit(url).path)
