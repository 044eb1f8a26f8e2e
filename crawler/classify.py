"""Decide whether a listed item is a 政府信息公开工作年度报告, which year it covers and who published it.

The crawler sees only anchor text, a page title, a URL and sometimes a publication date, and must
decide whether to fetch and archive the item as a report.  Portals name these reports in many ways
(政府信息公开工作年度报告 / 年度报告 / 工作年报 / 政务公开年报 / "…政府信息公开工作报告", book-title
marks, full-width digits, 二〇二四年) and publish many look-alikes beside them (budgets, 指南, 要点,
法治政府建设年度报告, company 年报, website 年度报表, notices asking for reports) and derivatives of the
report itself (图解, 一图读懂, H5, 解读 …).  The title decides; the URL only tips a bare "2023年度报告"
listed inside a report column (or served as a document attachment) into a report, judges link text that
names nothing ("下载", "点击查看", a bare body name) by the file name or report column it points to, and
gives the year a title leaves out (a "2023nb/" folder; a t20240119 / /art/2024/1/26/ stamp → 2023).

Listing furniture is peeled off by its shape (link text ending in a colon, extension, size, counters,
version remarks in brackets, an ellipsis that cut a remark), and the agency is the body as printed (a
place printed bare is its government, 成都市武侯区 -> 成都市武侯区人民政府, by the parser's own rule,
parsers.placebody):
full-width brackets kept (but a second name in brackets, 挂牌 A（B）, is left out: the body is A, as the
parsed record names it), a website's name after a separator ("…_XX人民政府门户网站") and a
self-reference ("本机关") are no agency, and a grouping of many bodies ("各区(县级市)") is no report.
A breadcrumb <title> ("首页 > 栏目 > TITLE > 正文", "TITLE - 栏目 - 站名") is judged by its page's
own crumb, list numbering of any kind is furniture, and the regime decides: legislatures, courts and
party organs count only when they title their report 政府信息公开, schools/hospitals/institutes (and
any item on an edu.cn site) never.  English portals' "Annual Report on Government Information
Disclosure of XX" is read in English.  繁体 renderings are read through OpenCC (agency in simplified
script, the parser's t2s, so the crawler and the parsed record spell the body alike), CMS
badges ("[置顶]", "【推荐】", "NEW", "◆…◆") are furniture unless they name a derivative ("[图解]"),
a 2-in-1 "…报告及解读" carries the report, and a report phrase with one typo (报吿, 信息工开, 报告告,
"…年度报" cut) gets a second look with the phrase spelled right, so the rest of the title decides.
Feed titles are read as a browser shows them (escaped tags, CDATA gone), tooltip field names
("标题：") and attachment ordinals are furniture, a table row's action cell too; reports on part of a
year, 港澳 bodies, a column's own page and a report published before its year ended are not reports.
Document numbers beside the title ("嘉政办〔2024〕3号", "文号：…", "索引号：…") and glued publication
dates are furniture, a word of the report's name typed twice is read once, a column's name in brackets
before the title ("【政府信息公开年报】") is furniture, and a derivative or procedural word inside a
body's name (县政府新闻办公室, 政治协商会议) does not make the item a derivative.  A school or hospital
that titles its report 政府信息公开 is taken at its word; "信息公开" qualified by another subject
(政府采购/公共企事业单位/环境 信息公开) is another disclosure.  A list marker set apart by a space
("置顶 …", "… 热"), a reissue label ("补发：", "重新发布：") and an entity escaped twice (`&amp;nbsp;`)
are furniture; the report's tables alone ("…年度报告附表") are not the report, its text with the tables
("（文字版+统计表）") is; 居民/村民委员会 are self-governing, and a 事业单位 keeps that status behind a
second name in brackets ("国家气象中心（中央气象台）").  群团 bodies (工会, 妇联, 残联 …) count like the other
non-administrative bodies, a company never, a 管理中心 (公积金, 社保) administers; a body in brackets before
or after the year is the body without its brackets (not a badge), the letter O typed in a year is a zero,
icon-font glyphs and pictographs at either end are markers, Latin words keep their spaces, the report's
English name after its Chinese one is a remark, an ellipsis in the middle of the title cut out the start
of the report's name, and a listing-shaped URL without an item's stamp is a column page.  A title cut
before its kind could be read ("…2024年政府...", "…人民政府2...") is the report only where the URL shows
one (a report column's article, a file named as the report), a cut title in a 解读 column is not; an
index number without its label is furniture, two years in one report fill the later year, groupings
named by levels ("旗县区", "各厅局") and Taiwan's bodies are no report.  A Latin O typed for 〇 inside a
Chinese-numeral year (二O一九年) is a zero; two bodies joined by 、 (or set apart by a space) are one joint
report whose agency names both ("A、B"), while places or levels listed with 、 are a grouping; a day-first
date (16-01-2024) is furniture, read as a date only when the day is over 12; and gov.cn's /2024-01/19/,
day folders /20240119/ and /2024/0119/ are publication stamps like t20240119.  Variant forms OpenCC's t2s
leaves as printed (衞, 敍, 鄕, 靑: parsers.traditional.VARIANTS) are folded too.  A download remark after the
title ("（PDF下载）", "[点击下载]"), a corrected or final version ("（更正稿）", "（正稿）") and a 图文版 (the
report laid out with pictures, not its 图文解读) are the report; link text naming only a format or "the
report" ("PDF下载", "报告全文", "查看全文") is judged by its URL like "下载".  A 公告 posting one body's report
needs no 关于 ("XX局（XX文物局）2023年…年度报告的公告"), while one about a change to it ("…年度报告更正的
公告") is no report.  A body named only after the report's name is the publisher ("…年度报告—水利部",
"…_XX市财政局"), except a government's name after a template's join ("…_XX县人民政府"), which is its
portal's; a column's name before a colon ("政府信息公开年报：…") is furniture.

Everything here is regular expressions compiled once, so classifying thousands of titles per second
is cheap enough to run on every anchor of every listing page.

Command line (`nianbao classify` / `python -m crawler.classify`)::

    nianbao classify "聊城市人民政府2024年政府信息公开工作年度报告" [--url URL] [--published 2025-01-20]
    printf '%s\\t%s\\n' TITLE URL ... | nianbao classify      # one JSON object per input line, in order
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import re
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

from parsers.metadata import DERIVATIVE, NEVER_IN_NAME, PLACED_BODY, SPAN_JOIN, TWO_IN_ONE, first_name
from parsers.placebody import government_of
from parsers.titlebody import (
    BODY_SUFFIX,
    MASS_ORG,
    PROCEDURAL,
    SITE_SUFFIX,
    STATUS,
    body_after_report,
    column_label_end,
    is_column_tag,
)
from parsers.traditional import VARIANTS, converter

__all__ = ["classify", "normalise_title", "main"]

# --- normalisation -----------------------------------------------------------------------------

@functools.cache
def _traditional_only() -> frozenset[str]:
    """Characters that exist only in traditional script (OpenCC's own T→S table, entries whose
    simplified side does not include the character itself, so 乾/於 in mainland names do not count),
    and the variant forms t2s does not know (衞, 鄕: parsers.traditional.VARIANTS)."""
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set(VARIANTS)
    for line in table.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and key not in values.split():
            chars.add(key)
    return frozenset(chars)


@functools.cache
def _converter():
    return converter("tw2sp")  # Taiwan phrasing too: 政府資訊公開 is 政府信息公开; variant forms folded


def _simplified(text: str) -> str:
    """Mainland titles rendered in traditional script (a portal's 繁體 version, a reposting site) read
    through OpenCC, so one vocabulary below serves both.  Only titles that contain a traditional-only
    character pay for the conversion; a conversion that changes the length is used for judging only
    (the agency is mapped back onto the title as printed either way)."""
    if _traditional_only().isdisjoint(text):
        return text
    return _converter().convert(text)


# Characters that render as nothing (zero-width space, BOM, soft hyphen) and that CMS editors paste
# inside words; NFKC keeps them.
_INVISIBLE_CHARS = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
_INVISIBLE = re.compile(f"[{''.join(sorted(_INVISIBLE_CHARS))}]")
# Icon-font glyphs (private-use code points a CSS font draws as a file or arrow icon) are no text
# wherever they stand; emoji variation selectors go with them.
_ICON_GLYPH = re.compile("[\ue000-\uf8ff\ufe0e\ufe0f]")


# Markup that RSS/JSON feeds and search results carry inside a title ("<em>政府信息公开</em>" as a search
# hit's highlight, "<b>恩施市</b>", a "<![CDATA[…]]>" wrapper): a browser shows only the text.
_MARKUP = re.compile(r"<!\[CDATA\[|\]\]>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# What is left in angle brackets is no tag but a bracketed word ("…年度报告<2023>").
_ANGLED = re.compile(r"<([^<>\s]{1,12})>")


def _fold(text: str) -> str:
    """NFKC, HTML entities a template printed literally (`&nbsp;`, `&lt;b&gt;`) and the markup they
    spell, invisible characters, 繁体.  An entity escaped twice (`&amp;nbsp;`) shows as `&nbsp;` in a
    browser, which a reader still takes for debris, so entities are decoded until none is left."""
    for _ in range(3):
        if "&" not in text:
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    if "<" in text:
        text = _ANGLED.sub(r"(\1)", _MARKUP.sub("", text))
    return _simplified(_ICON_GLYPH.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))))


def _peel_symbols(text: str) -> str:
    """Pictographs at either end ("📄 …", "… 🆕", "🔥…") are list markers like ★/▶: a symbol
    character (Unicode category So) is never the first or last character of a body's name or title."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "So"):
        start += 1
    while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "So"):
        end -= 1
    return text[start:end]


_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "О": "0", "0": "0", "O": "0", "o": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
              # the financial (大写) numerals some editors use for a year: 贰零贰叁年度
              "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"}
# 二〇二四年 / 二○二二年度 / 二零二一年 / 贰零贰叁年: only four-character runs that start like a year are
# converted, so 三(一) or 一图读懂 are left alone.  The Latin letter O (o) an editor types for 〇
# (二O一九年, 二o二O年) counts only inside such a run, which needs a real numeral beside the first: a Latin
# O anywhere else (OA, OFD) is a letter.
# The first year of a span ("二〇二〇至二〇二二年") counts too: the span's last year carries the 年.
_CN_YEAR_RUN = r"[一二壹贰](?=.{0,2}[〇○零Ｏ一二三四五六七八九壹贰叁肆伍陆柒捌玖])[〇○零ＯOo0一二三四五六七八九壹贰叁肆伍陆柒捌玖]{3}"
_CN_YEAR = re.compile(rf"{_CN_YEAR_RUN}(?=年|(?:年度?)?{SPAN_JOIN}{_CN_YEAR_RUN}年)")
_SPACE = re.compile(r"\s+")
# Whitespace between two Latin words is a word break ("Nanshan District"), kept as one space.
_LATIN_SPACE = re.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])")
# "2O24年" / "２O２４年": the letter O typed for a zero inside a year (NFKC already made the digits ASCII).
_LETTER_O_YEAR = re.compile(r"(?<![A-Za-z\d])(?=[\dOo]*[Oo])(?:19|2[0Oo])[\dOo]{2}(?=年)")
# A word of the report's name typed twice ("工作工作", "报告报告", "年度报告年度报告"): an editing slip, read
# once.  Only runs of the name's own characters, so a doubled 解读/总结 stays to be judged, and not a
# bare 政府 ("…人民政府政府信息公开" is a body's name running into the phrase).
_DOUBLED = re.compile(r"([政府信息公开工作年度报告务]{2,13}?)\1+")


def _undouble(m: re.Match) -> str:
    return m.group(0) if m.group(1) == "政府" else m.group(1)

_QUOTES = re.compile(r"[《》〈〉“”\"'‘’「」『』]")
# A reissue label ("补发：…" before the title, "（重新发布版）" after it): the report again, no other text.
_REISSUE = r"(?:[重补](?:发|报|传)|重新(?:发布|公开|上传|上网|印发|挂网)|再次发布)"
# A day-first date ("16-01-2024", "[26/01/2024]"), as some templates print the publication date: furniture
# wherever it stands.  Its year is plain; which of the first two numbers is the day is not, so it
# is read as a date only where the day is over 12 (_printed_date).
_DAY_FIRST = r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])([-/.])(?:0?[1-9]|1[0-2])\1(?:19|20)\d\d(?!\d)"
_DAY_FIRST_READ = re.compile(r"(?<!\d)(1[3-9]|2\d|3[01])([-/.])(0?[1-9]|1[0-2])\2((?:19|20)\d\d)(?!\d)")
# Listing furniture before the title: "发布日期：2024-01-26", "[2024-01-30]", "附件1：", "附件二：",
# a tooltip's field name ("标题：", "文件名称："), "1.", "●",
# "[PDF]", and link text ending in a colon ("下载：", "相关附件：", "点击查看："); the publication date is
# not the covered year and none of it is part of the body's name.
_LEAD_JUNK = re.compile(
    r"^(?:(?:(?:发布|发文|成文|更新)?(?:时间|日期)[:：]?)?[\[(【〔]?"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
    r"|\d{4}年(?:\d{1,2}|[元正一二三四五六七八九十]{1,2})月(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})日(?![至到~\-—])"
    rf"|[01]\d[-/.][0-3]\d(?![\d月])|{_DAY_FIRST})[\])】〕]?"
    r"|附件(?:[一二三四五六七八九十]{1,3}(?=[:：.、_\-])|\(\d{1,2}\)|\d*)[:：.、_\-]?"
    r"|(?:文件|文章|信息|文档|附件|公文)?(?:标题|名称|题名|题目)[:：]"
    r"|(?:相关|点击|点此|查看|下载|文件|附件)*(?:附件|下载|查看|阅读|预览|文件)\d*[:：]"
    rf"|(?:{_REISSUE}|更正|修订|修正|更新)[:：]"
    r"|\d{1,3}[.、](?!\d)|\d{1,2}\)|[一二三四五六七八九十]{1,3}、|[IVX]{1,4}[、.]|[(\[【〔][一二三四五六七八九十\d]{1,3}[)\]】〕]"
    r"|第[一二三四五六七八九十\d]{1,3}(?:部分|章|节|篇)(?=.)"
    r"|[·•\-—●○■□◆◇▪►▶★☆]+|[\[【(](?:pdf|word|docx?|wps|ofd|附件)[\]】)])+",
    re.I,
)
# Not the end of a period "(2023年1月1日至2023年12月31日)", which is the covered year itself.
_TRAIL_DATE = re.compile(
    r"(?<![至到~\-—])(?:(?:发布|发文|成文|更新)?(?:时间|日期)[:：]?)?[\[(【〔]?"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年(?:\d{1,2}|[元正一二三四五六七八九十]{1,2})月(?:(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})日)?"
    rf"|(?<!\d)[01]\d[-/.][0-3]\d|(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|{_DAY_FIRST})"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?)?[\])】〕]?$"
)
# Counters that listing templates print after the title: "浏览次数:123", "点击量：45", "下载次数：12",
# "已下载86次", "(下载12次)".
_TRAIL_COUNT = re.compile(
    r"[\[(]?(?:已?(?:浏览|点击|阅读|访问|下载)(?:次数|量|数)?[:：]?\d+次?|\d+次(?:浏览|下载|阅读))[\])]?$"
)
# The attachment's size: ".pdf（236.5KB）", ".docx [45KB]", "(1.2 MB)", "大小：45KB".
_TRAIL_SIZE = re.compile(
    r"(?:[\[(【](?:(?:pdf|docx?|wps|ofd|word|xlsx?)[,，:：]?)?(?:文件)?(?:大小[:：]?)?\d+(?:\.\d+)?(?:[kmg]i?b?|字节|bytes?)[\])】]"
    r"|(?:大小[:：]?)?\d+(?:\.\d+)?(?:[kmg]i?b|字节|bytes?))$",
    re.I,
)
# Listing badges after the title: "NEW", "hot", "置顶", "[图]" (the item carries a picture).
_BADGE_EN = r"new|hot"
_PICTURE_WORD = r"组?图"
_BRACKET_BADGE = rf"(?:{_PICTURE_WORD}|新|荐|热)"
_TRAIL_BADGE = re.compile(rf"(?:{_BADGE_EN}|置顶|最新|(?<=[告报)\]】])热|\[{_BRACKET_BADGE}\]|【{_BRACKET_BADGE}】)$", re.I)
# A CMS badge in brackets at either end ("[置顶]", "【推荐】", "[HOT]", "【年报】", "[图文]"): a short tag
# with no digit (not "【2023】"), not a body's name ("【县政府】") and not a word that makes the item
# a derivative or a notice ("[图解]", "【视频】", "【通知】"), which must stay to be judged.
_LEAD_TAG = re.compile(r"^[\[【]([^\[\]【】()]{1,5})[\]】](?=.)")
_LEAD_COLUMN_TAG = re.compile(r"^[\[【]([^\[\]【】()]{1,10})[\]】](?=.)")
_TRAIL_TAG = re.compile(r"(?<=.)[\[【]([^\[\]【】()]{1,5})[\]】]$")
_LEAD_WORD_BADGE = re.compile(rf"^(?:(?:{_BADGE_EN}|top)(?![a-z])|置顶)", re.I)
# A list marker the template prints apart from the title by a space ("置顶 开封市…", "热 祥符区…",
# "…年度报告 热"): furniture at either end.  Glued, only 置顶 (no name starts with it) and a 热 right
# after the report's name are taken: 热水镇 is a town.
_SPACED_BADGE_WORDS = r"(?:置顶|热|热门|荐|推荐|最新|精华|头条)"
_SPACED_BADGE = re.compile(rf"^(?:{_SPACED_BADGE_WORDS}\s+)+|(?:\s+{_SPACED_BADGE_WORDS})+$")
_PICTURE_BADGE = re.compile(rf"^(?:{_PICTURE_WORD}|图文|图片|多图)$")
# A tag that says what became of the document ("【草稿】", "[已撤回]", "【作废】") is a remark to judge.
_STATUS = STATUS
# Decorations and sentence punctuation a template or an editor leaves at the end ("…报告◆", "…报告。").
_TRAIL_DECOR = re.compile(r"[·•●○■□◆◇▪►▶★☆。！!；;，,、]+$")
_FILE_EXT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|ofd|s?html?|zip|rar|jpe?g|png)$", re.I)
# "附件【安塞区2023年….pdf】已下载86次": the file name wrapped whole in brackets by the template.
_WRAPPED = re.compile(r"^[\[【]([^\[\]【】]+)[\]】]$")
# A document number printed beside the title ("嘉政办〔2024〕3号 …", "…（平政办〔2024〕5号）", " 文号：…",
# "索引号：11330521002581234X/2024-00015"): the year in it is the document's (the year it was issued), the
# issuer's abbreviation is no body's name.  A number after the title is taken only where something
# separates it (a bracket, "文号：", whitespace), so its abbreviation cannot eat the title's last words.
_DOC_NO = r"[\u3400-\u9fff]{0,8}[〔\[(【]\s*(?:19|20)\d\d\s*[〕\])】]\s*第?\s*\d{1,5}\s*号"
_DOC_LABEL = r"(?:文号|发文字号|发文号|文件编号)\s*[:：]\s*"
_INDEX_NO = r"索引号\s*[:：]\s*[A-Za-z0-9][A-Za-z0-9\-/.]*"
# An index number printed without its label, glued or spaced before the title: an issuer's code (a
# serial or the 统一社会信用代码), the year of issue and a running number ("000014349/2025-00031",
# "11450300MB0123456T/2025-0012", "653127-2025-000015"); its year is the issue's, its code no name.
_INDEX_SHAPE = r"[0-9A-Z]{6,20}[/\-](?:19|20)\d\d-\d{2,6}"
_LEAD_DOC = re.compile(
    rf"^(?:{_DOC_LABEL})?(?:[\[(【]{_DOC_NO}[\])】]|{_DOC_NO})[:：]?|^{_INDEX_NO}|^{_INDEX_SHAPE}(?![\d/\-])"
)
_TRAIL_DOC = re.compile(
    rf"(?:{_DOC_LABEL}{_DOC_NO}|[\[(【]{_DOC_NO}[\])】]|{_INDEX_NO}|[\[(【]{_INDEX_NO}[\])】])$"
)
_SPACED_DOC = re.compile(rf"\s+(?:{_DOC_LABEL})?{_DOC_NO}\s*$")


# Numbering that NFKC would turn into a bare digit (① → 1) or that only whitespace separates from the
# name ("07 鄂托克旗"): removed before NFKC and before whitespace goes.
_LEAD_NUMBER_RAW = re.compile(
    r"^\s*(?:[\u2460-\u2473\u2776-\u277f\u2780-\u2789]|\d{1,2}\s+(?=\D|(?:19|20)\d\d(?!\d)))\s*"
)
# Breadcrumb trails that page templates print as the <title>: "当前位置：首页 >> 栏目 >> TITLE >> 正文"
# (forward) and "TITLE - 栏目 - 政务公开 - 站名" / "TITLE_栏目_站名" (reverse).
_CRUMB_PREFIX = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|现在位置|位置)\s*[:：]\s*")
_CRUMB_HOME = re.compile(r"^(?:网站)?(?:首页|主页)$")
_CRUMB_ARROW = re.compile(r"\s*(?:>>|>|»|›|→|＞＞|＞)\s*")
_CRUMB_FLAT = re.compile(r"\s*[-/|_—]\s*")
_CRUMB_REVERSE = re.compile(r"\s+[-|—–]\s+|_")
_CRUMB_PAGE = re.compile(r"^(?:正文|详情|详细(?:信息|内容)?|内容|文章|阅读|浏览|查看|详情页|正文内容)$")


def _crumb(parts: list[str]) -> str:
    """The last real crumb: trailing "正文/详情" name the page type, not the page."""
    parts = [p.strip() for p in parts if p.strip()]
    while len(parts) > 1 and _CRUMB_PAGE.match(parts[-1]):
        parts.pop()
    return parts[-1] if parts else ""


def _peel_breadcrumb(text: str) -> str:
    """The page's own title out of a breadcrumb trail, judged by the trail's shape: it starts at
    the home page (or a "当前位置：" prefix) and runs by arrows, or it ends with the site's name after
    two or more column names."""
    body = _CRUMB_PREFIX.sub("", text)
    located = body != text
    arrows = _CRUMB_ARROW.split(body)
    if len(arrows) >= 3 or (len(arrows) == 2 and (located or _CRUMB_HOME.match(arrows[0].strip()))):
        return _crumb(arrows)
    if len(arrows) == 2 and arrows[1].strip() and not _BODY_SUFFIX.search(arrows[0].strip()):
        # "> TITLE" (the trail's last item, cut from the rest) or "栏目 > TITLE": a column's name is no
        # body's, but "聊城市 > 2023年…" may name the publisher and is left whole.
        return arrows[1].strip()
    flat = _CRUMB_FLAT.split(body)
    if len(flat) >= 2 and _CRUMB_HOME.match(flat[0].strip()):
        return _crumb(flat)
    if located:
        return body
    reverse = [p.strip() for p in _CRUMB_REVERSE.split(text)]
    if len(reverse) >= 3 and _CJK.search(reverse[-1]) and all(_CJK.search(p) for p in reverse[1:]) and (
        _SITE_SUFFIX.search(reverse[-1]) or _BODY_SUFFIX.search(reverse[-1])
    ):
        return reverse[0]
    return text


# The covered period spelled out: "(2023年1月1日至2023年12月31日)", "(2023.1.1-2023.12.31)"; it
# names the covered year, so it becomes "(2023年度)" rather than being peeled off as a date.
_PERIOD = re.compile(
    r"((?:19|20)\d\d)(?:年度?|[.\-/])(\d{1,2})(?:月|[.\-/])(?:\d{1,2}日?)?"
    r"(?:至|到|~|-|—|–)(?:(?:19|20)\d\d(?:年|[.\-/]))?(\d{1,2})(?:月|[.\-/])(?:\d{1,2}日?)?"
)
# Reports on part of a year (季度, 半年度, "1-6月"): the annual report is the only one the 条例 asks for.
_SUB_ANNUAL = re.compile(r"季度|半年|月度")
_MONTH_SPAN = re.compile(r"(?<!\d)(\d{1,2})月?(?:\d{1,2}日)?(?:至|到|~|-|—|–)(\d{1,2})月")


def _whole_year(m: re.Match) -> str:
    """A period spelled out from January to December is the covered year; a shorter one is left
    as printed, to be judged as a report on part of a year."""
    return f"{m.group(1)}年度" if (int(m.group(2)), int(m.group(3))) == (1, 12) else m.group(0)


# Years listed or spanned before a 年 ("2019-2023年", "2020年、2021年、2022年", "2021至2023年度").
_YEAR_SPAN = re.compile(
    rf"(?<!\d)(?:19|20)\d\d(?:年度?)?(?:{SPAN_JOIN}(?:19|20)\d\d(?:年度?)?)*"
    rf"{SPAN_JOIN}(?:19|20)\d\d(?=年)"
)
_COMPILATION = re.compile(r"汇编|合集|合订本|选编")


def _many_years(title: str) -> bool:
    """A collection of a body's reports over several years ("XX市2019-2023年…年度报告汇总"), not one
    year's report.  A span of two years ("2022-2023年度", "2023年和2024年…（合并）") is one report over
    both, filed in the later year's slot, unless the title calls it a compilation (汇编/合集)."""
    text = _SPACE.sub("", _fold(title))
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)
    for m in _YEAR_SPAN.finditer(text):
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", m.group(0))]
        if max(years) - min(years) >= 2 or _COMPILATION.search(text):
            return True
    return False


def _part_of_year(text: str) -> bool:
    if _SUB_ANNUAL.search(text) or _PERIOD.search(text):
        return True
    return any((int(a), int(b)) != (1, 12) for a, b in _MONTH_SPAN.findall(text))


# "2022-2023年度" / "2021—2022年" / "2022年、2023年" / "2023年和2024年": a body's report over a span
# (or two years combined in one report) fills the later year's slot, as the parser's record does
# (parsers.metadata.title_year_span: the same joining words) (a "2022-2023学年" is a school
# year and stays as printed).  "23年度" / "23年": a two-digit year of this
# century's reporting era (08–29, not "30年" of an anniversary, nor "23年来" of a duration).
_YEAR_RANGE = re.compile(rf"(?<!\d)(?:19|20)\d\d(?:年度?)?{SPAN_JOIN}(?=(?:19|20)\d\d年)")
_SHORT_YEAR = re.compile(r"(?<![\d.\-/])(0[89]|[12]\d)(?=年度|年(?![来前后间内里]))")


def _edit_variants(phrase: str) -> str:
    """A regex for the phrase with exactly one typo: a character inserted inside it (报告告, 公开开),
    replaced (报吿, 信息工开, 公作, 年底) or dropped (…年度报 cut without an ellipsis).  年 is never the
    replaced, dropped or preceded-by-insertion character: 季度/月度/半年度 reports are other reports."""
    alternatives = []
    for i in range(1, len(phrase)):
        if phrase[i] != "年":
            alternatives.append(re.escape(phrase[:i]) + "." + re.escape(phrase[i:]))
    for i, ch in enumerate(phrase):
        if ch != "年":
            alternatives.append(re.escape(phrase[:i]) + f"[^{ch}]" + re.escape(phrase[i + 1:]))
    for i, ch in enumerate(phrase):
        if ch != "年":
            alternatives.append(re.escape(phrase[:i] + phrase[i + 1:]))
    return "|".join(alternatives)


_CORE_PHRASES = ("政府信息公开工作年度报告", "政府信息公开年度报告")
_FUZZY_PHRASE = re.compile("|".join(_edit_variants(p) for p in _CORE_PHRASES))
# One edit leaves one half of the phrase whole: titles without either half skip the fuzzy search.
_FUZZY_HALVES = tuple(h for p in _CORE_PHRASES for h in (p[: len(p) // 2], p[len(p) // 2:]))


def _repair_phrase(text: str) -> str | None:
    """The title with a one-typo report phrase spelled right, for a second look; None when there is
    no such phrase, or the title is something else whatever the phrase (a 报表, a notice, a 解读), so
    the repaired title is judged as a whole: body, year and tail must still look like a report's."""
    if not any(h in text for h in _FUZZY_HALVES):
        return None
    if _DERIVATIVE.search(text) or _PROCEDURAL.search(text) or _LOOKALIKE.search(text):
        return None
    m = _FUZZY_PHRASE.search(text)
    if m is None:
        return None
    return text[: m.start()] + _CORE_PHRASES[0] + text[m.end():]


def _is_badge(tag: str) -> bool:
    if re.search(r"\d", tag) or len(tag) > 4 and not tag.isascii():
        return False
    if _PICTURE_BADGE.match(tag):
        return True
    return not (
        _BODY_SUFFIX.search(tag) or _MASS_ORG.search(tag) or _DERIVATIVE.search(tag) or _PROCEDURAL.search(tag)
        or _STATUS.search(tag)
    )


_is_column_tag = is_column_tag


def _peel_badges(text: str) -> str:
    m = _LEAD_TAG.match(text) or _LEAD_COLUMN_TAG.match(text)
    if m and (_is_badge(m.group(1)) or _is_column_tag(m.group(1))):
        text = text[m.end():]
    m = _TRAIL_TAG.search(text)
    if m and _is_badge(m.group(1)):
        text = text[: m.start()]
    return text


def _peel_column_label(text: str) -> str:
    """The title without a column's name before a colon, when what follows names the report itself
    (a body's "XX局：2023年…" or a derivative's "解读：…" stays, _is_column_tag refuses them)."""
    end = column_label_end(text)
    if end and (_STRONG.search(text[end:]) or _MEDIUM.search(text[end:])):
        return text[end:]
    return text


def _peel_action_cell(text: str) -> str:
    """A table row's last cell that is only a link ("… | 查看", "… | 下载") is the row's action."""
    head, bar, last = text.rpartition("|")
    if bar and head and last and not last.isdigit() and _LINK_TEXT.fullmatch(last):
        return head
    return text


def normalise_title(title: str) -> str:
    """Fold the spellings portals use into one form, so the patterns below stay few.

    NFKC turns full-width digits and brackets into ASCII; whitespace goes entirely (PDF text
    extraction and listing templates insert spaces inside Chinese words); Chinese-numeral years become
    digits; quotes go.  Listing furniture around the title (dates, numbering, link text, file
    extension, size, download counter, badges, a bracket wrapping the file name) is peeled off until
    nothing more comes off, since templates stack several of them ("….pdf（236.5KB）下载次数：12").
    """
    text = _LEAD_NUMBER_RAW.sub("", title or "")
    text = _peel_breadcrumb(_peel_symbols(_fold(text)))
    text = _LEAD_NUMBER_RAW.sub("", text)
    text = _SPACED_DOC.sub("", text)
    text = _SPACED_BADGE.sub("", text.strip())
    text = _SPACE.sub("", _LATIN_SPACE.sub("\x00", text)).replace("\x00", " ")
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)
    text = _LETTER_O_YEAR.sub(lambda m: m.group(0).replace("O", "0").replace("o", "0"), text)
    text = _YEAR_RANGE.sub("", text)
    text = _SHORT_YEAR.sub(r"20\1", text)
    text = _QUOTES.sub("", text)
    text = _DOUBLED.sub(_undouble, text)
    text = _PERIOD.sub(_whole_year, text)
    for _ in range(6):
        before = text
        text = _LEAD_JUNK.sub("", text)
        text = _LEAD_WORD_BADGE.sub("", text)
        text = _LEAD_DOC.sub("", text)
        for pattern in (_TRAIL_DOC, _TRAIL_COUNT, _TRAIL_SIZE, _TRAIL_BADGE, _TRAIL_DATE, _FILE_EXT, _TRAIL_DECOR):
            text = pattern.sub("", text)
        text = _peel_column_label(_peel_badges(text))
        text = _WRAPPED.sub(r"\1", text)
        text = _peel_action_cell(text)
        if text == before:
            break
    return text


# --- vocabulary --------------------------------------------------------------------------------

# A year the title names: 2024年 / 2024年度 / (2024年) / (2024) ; not a date or a 2022-2023学年 range.
# A bracket is part of the token only when it closes after the year: "(2023年)", "〔2023〕", "【2023】",
# but "(2023版)" keeps its remark "(版)".
_YEAR_TOKEN = re.compile(r"([(\[〔【])?(?<!\d)(?<!\d-)(?P<y>(?:19|20)\d\d)(?![\d-])(?:年度|年)?(?(1)[)\]〕】]|)")
_YEAR_WITH_UNIT = re.compile(r"(?<!\d)(?<!\d-)(?P<y>(?:19|20)\d\d)(?:年度|年)")

# Phrases that name the report itself (matched after year tokens are removed, so
# "政府信息公开工作2023年度报告" and "关于2023年度政府信息公开工作情况的报告" both fit).
_STRONG = re.compile(
    r"政府信息公开(?:工作)?(?:情况)?的?(?:年度|年)?(?:工作)?(?:报告|年报)"
    r"|政务公开(?:工作)?(?:年度)?(?:报告|年报)"
)
# "信息公开工作年度报告" without 政府 (tax bureaus, some departments); also what universities and
# hospitals call theirs, hence checked against _LOOKALIKE.
_MEDIUM = re.compile(r"信息公开(?:工作)?(?:年度|年)?(?:报告|年报)")
# A listing that truncates the title: "…政府信息公开工作年…", "…2023年度政府信息公开..."
_TRUNCATED = re.compile(r"(?:政府信息|政务)公开(?:工作?)?(?:年度?|年)?报?(?:\.{2,}|…+)$")
_TRUNCATED_FAR = re.compile(r"(?:政府信息|政务)公开(?:工作)?(?:年度?|年)报?(?:\.{2,}|…+)$")
_WEAK = re.compile(r"年度报告|年报")
_WEAK_BARE = re.compile(r"^(?:年度|年)?(?:报告|年报|年度报告|报)$")

# Items published beside a report that are not the report (解读, 图解, 一图读懂, H5 …), and the 2-in-1
# "…年度报告及解读" that carries the report: the parser's words (parsers.metadata), so both judge a title alike.
_DERIVATIVE = DERIVATIVE
_TWO_IN_ONE = TWO_IN_ONE
# Documents *about* reports (requests, templates, training, inspections) rather than a report.
_PROCEDURAL = PROCEDURAL
# Links to columns rather than items: "更多信息公开年报", "历年政府信息公开年报", "年报>>".
_NAVIGATION = re.compile(r"^(?:更多|历年|往年|历史|查看|进入|返回|全部|所有)|(?:更多|>>|»|›)$")
# What stands where the body's name should but names no single body: news of the release ("我市发布…",
# "XX市公布…") and column headings grouping many bodies ("各县区…", "市直部门…", "乡镇(街道)…").
_NOT_A_BODY = re.compile(
    r"发布|公布|出炉|亮相|晒|印发"
    r"|历年|往年|历届"  # "XX盟历年…年度报告": a column or collection of the body's reports, no year's
    r"|^(?:所有|全[省市县区]|[省市县区]直|[省市县区]级)"
    r"|^(?:[省市县区]?(?:政府)?部门|乡镇|街道|县区|区县|镇街|市县)"
    r"|^[省市县区旗盟州镇乡街]{2,}(?:(?:人民)?政府)?$"  # "旗县区", "县市区": levels, no place named
    r"|各[省市县区镇乡街部单直级地州盟旗委局办厅处室]|(?:所属|下属|直属)各?(?:部门|单位|机构)"
    r"|[省市县区旗]直各?(?:部门|单位)"  # "北山县县直单位" (县直机关工委 is one body)
)
# Each body of a joint report named with 、 ("XX市人民政府办公室、XX市大数据发展管理局", "固阳县人民政府、
# 县政府办公室", "XX省人民政府办公厅、XX省人民政府研究室"): a name that ends like an organ (局, 办公室, 研究室,
# 委员会 …) or a 群团 body's.  Places or levels listed with 、 ("市、县（区）", "XX区、XX街道") are a grouping of
# many governments, no single publisher.
_ORGAN_END = re.compile(r"(?:人民政府|政府|办公室|办公厅|办事处|管委会|委员会|局|厅|署|部|委|办|中心|院|室)$")


def _listed_bodies(agency: str) -> bool:
    """Whether a name with 、 lists whole bodies (a joint report), not places or levels (a grouping)."""
    parts = agency.split("、")
    return all(
        len(part) >= 3 and (_ORGAN_END.search(part) or _MASS_ORG.search(part)) and not _GROUPING_HEAD.match(part)
        for part in parts
    )


# A part that names levels, not a body: "县区政府", "乡镇人民政府", "市直部门" ("县政府办公室" is the
# short name of the title's own county office).
_GROUPING_HEAD = re.compile(r"^(?:[省市县区旗盟州镇乡]{2,4}(?:人民)?政府|[省市县区旗盟州镇乡]{1,4}(?:直|级)?(?:部门|单位))")


def _not_a_body(agency: str) -> bool:
    return bool(_NOT_A_BODY.search(agency)) or ("、" in agency and not _listed_bodies(agency))
# "本机关/本单位/我局…" points at the publisher without naming it: a report, but no agency.
_SELF_REFERENCE = re.compile(r"^[本我](?:机关|单位|部门|机构|[省市区县州盟旗镇乡局委厅办院署])$")
# Bodies outside the regulation that publish their own 信息公开年度报告 (schools, hospitals, firms).
_NOT_GOVERNMENT = re.compile(r"学年|大学|学院|学校|医院|公司|集团|股份|企业|院务|校务|村务|厂务|党务")
# Bodies outside the 行政机关 regime however their report is worded: legislature, CPPCC, courts,
# procuratorates, supervisory and party organs (their own 公开 systems), and public institutions that
# publish under 公共企事业单位信息公开 (schools, hospitals, CDCs, research and survey institutes).
_NOT_ADMINISTRATIVE = re.compile(
    r"人大|人民代表大会|政协|政治协商|法院|检察院|监察委员会|监委|纪委|纪律检查|^中共|党委|党组|党工委"
    r"|[居村]民委员会|[居村]委会"  # self-governing (居务/村务公开), not a street office's 社区工作站
)
# 群团 bodies (trade unions, the Youth League, women's federations, 科协, 残联, 工商联, 红十字会, 侨联, 文联)
# are no 行政机关 either: their report counts when they title it 政府信息公开, as for the bodies above.
_MASS_ORG = MASS_ORG
_PUBLIC_INSTITUTION = re.compile(
    r"中学|小学|学校|幼儿园|大学|学院|医院|卫生院|疾病预防控制|疾控|急救中心|血站|血液中心|研究所|研究院|科学院|勘查|勘探|设计院"
)
_COMPANY = re.compile(r"公司|集团")
_STATE_FARM = re.compile(r"林场|农场|牧场|农垦")  # 国有林场/农场 are 事业单位 or 企业, not 行政机关
# A unit whose name ends like a 事业单位 (…审评中心, …检测站): its "信息公开工作年度报告" (no 政府) is
# its own institution's; an administrative body titles it 政府信息公开 (or is a 局/委/办/政府).
_INSTITUTION_UNIT = re.compile(r"(?<!管理)(?:中心|站|馆|院)$")
# A second name in brackets ("国家气象中心（中央气象台）", "…研究室（…发展研究中心）"): the unit is an
# institution when its first name ends like one and the bracket does not name an administrative body.
_SECOND_NAME = re.compile(r"^(.+?)[(\[〔【]([^()\[\]〔〕【】]+)[)\]〕】]$")
_ADMINISTRATIVE_SUFFIX = re.compile(r"(?:政府|办公室|办公厅|局|厅|署|部|委员会|委|办)$")


def _institution_unit(agency: str) -> bool:
    named = _SECOND_NAME.match(agency)
    if named is None:
        return bool(_INSTITUTION_UNIT.search(agency))
    first, second = named.groups()
    return bool(_INSTITUTION_UNIT.search(first)) and not _ADMINISTRATIVE_SUFFIX.search(second)


def _company(agency: str) -> bool:
    """A company by its own name; "烟草专卖局（公司）" is an administrative body with a company's second name."""
    named = _SECOND_NAME.match(agency)
    if named is not None and _ADMINISTRATIVE_SUFFIX.search(named.group(2)):
        return False  # "中国烟草总公司江苏省公司（江苏省烟草专卖局）": the bracket names the 行政机关
    return bool(_COMPANY.search(named.group(1) if named else agency))


_HK_MACAO = re.compile(r"特别行政区|特区政府|^(?:香港|澳门)(?![路街村]|社区)")
# Taiwan's bodies publish under its own 政府資訊公開法, not the 条例: a municipality or county of Taiwan
# opening the name (read in simplified script; 连江县 is also Fujian's, so it is left out).
_TAIWAN = re.compile(
    r"^(?:台湾(?:省|地区)|中华民国|行政院|(?:台北|新北|桃园|台中|台南|高雄|基隆|新竹|嘉义)市"
    r"|(?:新竹|苗栗|彰化|南投|云林|嘉义|屏东|宜兰|花莲|台东|澎湖|金门)县)"
)
# A coordination body (领导小组, 联席会议) reports on its work, not under the 条例 as an 行政机关.
_COORDINATION = re.compile(r"领导小组|协调小组|工作小组|联席会议")
# A university's site (…edu.cn): what it lists is its own 高校信息公开 report.
_URL_SCHOOL = re.compile(r"^(?:https?://)?[^/?#]*\.edu\.cn(?::\d+)?(?:[/?#]|$)", re.I)
# Reports and 年报 of other kinds; only consulted when the title does not name the disclosure report.
_LOOKALIKE = re.compile(
    r"预算|决算|绩效|自评|法治政府|统计|审计工作|政府工作报告|社会信用|信用体系|公积金|公司|集团|股份|企业"
    r"|市场主体|个体|合作社|报表|学年|总结|行政复议|行政应诉|安全生产|平安建设|国有资产|知识产权|金融|环境"
    r"|生态|信访工作|摘要|社会责任|发展|大学|学院|学校|医院"
)

# What a reporting body's name ends with; used when only a bare "年度报告" is left to judge.
_BODY_SUFFIX = BODY_SUFFIX

# Column paths of report listings (…/zfxxgknb/…, …/xxgk_ndbg/…) and downloadable documents.
_URL_HINT = re.compile(
    r"(?:zfxxgknb|xxgknb|zwgknb|gknb|ndbg|gkndbg|xxgkndb|/nb/|nianbao|niandubaogao|ndbb)", re.I
)
_URL_DOC = re.compile(r"\.(?:pdf|docx?|wps|ofd)(?:$|[?#])|filename=[^&]*\.(?:pdf|docx?|wps)", re.I)
# An item's own URL (TRS tYYYYMMDD_n, Shandong doc_<id>, Hanweb art_…, numbered pages, documents).
_URL_ARTICLE = re.compile(
    r"/t\d+_\d+|/(?:19|20)\d{6}/[^/]+\.s?html?$|/(?:19|20)\d\d(?:0[1-9]|1[0-2])/(?!index|list)[^/]+\.s?html?$|doc_[0-9a-f]{8,}|/art/\d{4}/|art_\d+_\d+|content_\d+|post_\d+|/\d{4,}\.[a-z]+$|/\d{4}/\d{2}-\d{2}/"
    r"|\.(?:pdf|docx?|wps|ofd)(?:$|[?#])|downfile|filename=",
    re.I,
)
_URL_LISTING = re.compile(r"(?:/|/index(?:_\d+)?\.s?html?|/list(?:_\d+)?\.s?html?)$", re.I)
# Enterprise annual-report columns (企业年报公示 qygs/nbgs): their "2023年报.docx" is a company's.
_URL_NOT_DISCLOSURE = re.compile(r"qygs|nbgs|qynb|gsxt|ztnb", re.I)
# A folder naming the covered year: …/xxgknb/2023nb/…, …/2023ndbg/…
# A pinyin file name may also put the year after ("zfxxgkndbg2023", "…niandubaogao2023") or let an
# abbreviation run into the report word ("2023zfxxgkgzndbg").
_URL_NB_YEAR = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[a-z]{0,12}?(?:nb|ndbg|nianbao|niandubaogao)(?![a-z])"
    r"|(?:nb|ndbg|nianbao|niandubaogao)[_-]?((?:19|20)\d\d)(?!\d)",
    re.I,
)
# Publication stamps: TRS t20240119_…, Hanweb /art/2024/1/26/, month folders /202401/, /2024/01/22/,
# TRS attachment names P020240119…, gov.cn's /2024-01/19/content_…, day folders /20240119/ and
# WebPlus /2024/0119/c….  A folder is a date only with a month and a day that exist, so an item's
# id (/20241399/) is not read as one.
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_URL_STAMP = re.compile(
    r"/t((?:19|20)\d\d)(0[1-9]|1[0-2])[0-3]\d_|/art/((?:19|20)\d\d)/(\d{1,2})/\d{1,2}/"
    r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])/|/((?:19|20)\d\d)/(0[1-9]|1[0-2])/[0-3]\d/"
    r"|/P0((?:19|20)\d\d)(0[1-9]|1[0-2])[0-3]\d\d*\."
    rf"|/((?:19|20)\d\d)-(0[1-9]|1[0-2])/{_DAY}/|/((?:19|20)\d\d)(0[1-9]|1[0-2]){_DAY}/"
    rf"|/((?:19|20)\d\d)/(0[1-9]|1[0-2]){_DAY}/",
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_ELLIPSIS = re.compile(r"(?:\.{2,}|…+)$")
# Remarks a cut-off "（…" may have been, when it is harmless (see _TAIL_OK for the whole ones).
_REMARK_WORDS = ("全文", "全市汇总", "汇总", "修订版", "更正版", "更新", "正式版", "定稿", "终稿", "最终版", "盖章版",
                 "签章版", "含附表", "附表", "附件", "文字版", "网页版", "电子版", "扫描版", "pdf", "word", "wps", "ofd",
                 "市本级", "区本级", "县本级", "本级", "第一部分")
# "下载", "点击查看", "查看原文", "附件下载", "PDF下载", "报告全文", "详情>>": link text that names nothing
# but the file's format or "the report" (the item's own, whatever it is).
_FORMAT_WORD = r"(?i:pdf|word|docx?|wps|ofd)(?:版|文件|格式)?"
_LINK_TEXT = re.compile(
    r"(?:点击|点此|请|在线)?(?:下载|查看|阅读|浏览|打开|预览)?(?:(?:报告|年报)(?=全文|原文|正文|下载|查看|阅读|预览|浏览))?"
    rf"(?:附件|原文|全文|详情|文件|正文|此处|这里|链接|内容|{_FORMAT_WORD})?\d*"
    rf"(?:下载|查看|阅读|预览|浏览)?(?:{_FORMAT_WORD})?"
)
_PICTURE_NAME = re.compile(r"(?:图片|图像|插图|配图|image|img|pic|picture|photo)[_\-]?\d{0,3}", re.I)
_BARE_YEAR = re.compile(r"[(\[【]?(?:19|20)\d\d(?:年度|年)?[)\]】]?")
_SERIAL_NAME = re.compile(r"(?=.*\d)[A-Za-z0-9_\-.]{6,}")
# What a bare body name does not contain: a report or another document's wording, a year.
_NOT_BARE_BODY = re.compile(r"报|公开|公告|公示|通知|\d|规划|计划|方案|制度|目录|指南|工作")

# Where the agency's name stops: the year, 关于, or the report phrase.
_AGENCY_STOP = re.compile(r"[(\[〔【]?(?<!\d)(?<!\d-)(?:19|20)\d\d|关于|政府信息公开|政务公开|信息公开|年度报告|年报")
_AGENCY_STRIP = ".,，、:：;；!！?？-—_|/· 的>»›→"
_OPEN, _CLOSE = "([〔【", ")]〕】"
# Remarks that may follow the report's name: the file, its version, which part, which scope
# ("(市本级)", "(含区政府本级及部门)"), "(上)/(一)" for a report split into several files.
_TAIL_OK = re.compile(
    r"^(?:(?:[a-z]+\s)?version|附件\d*|附表|全文|正文|原文|(?:点击|点此)?(?:pdf|word|docx?|wps|ofd|全文|附件|原文|文件)?下载"
    r"|(?:点击|点此)(?:查看|阅读|预览)(?:全文|原文|附件)?|已?(?:第.{1,3}次)?(?:修订|更正|修改|修正|补正)后?|已?更新后?|"
    + _REISSUE + r"版?|\d{1,2}月(?:\d{1,2}日)?(?:至|到|-|~|—)\d{1,2}月(?:\d{1,2}日)?"
    r"|pdf|docx?|wps|ofd|\d+(?:\.\d+)?(?:[kmg]i?b?|字节)"
    r"|合并|(?:补充)?(?:文字|图片|图文|扫描|pdf|word|wps|ofd|修订|更正|修正|修改|正式|中文|英文|公开|完整|全文|网页|电子|打印|盖章|签章|最终|合并"
    r"|定稿|终稿|(?:全[省市县区])?汇总|更新|新|可编辑|无障碍|第.|[a-z]+|\d{1,2})?版"
    r"|(?:定|终|最终|正式|正|盖章|签章|修改|修订|修正|更正|补正|校正|更新|公开)稿|(?:扫描|盖章|签章|用印)件?|(?:含|附|附带|包括)[^()]{1,12}"
    r"|[县区市]直部门|(?:全[省市县区]|[省市县区]级)?(?:汇总|汇编|合集)"
    r"|(?:含|包括)?[省市县区镇乡]?(?:政府)?本级.{0,12}|[上中下]|[上下]篇|[一二三四五六七八九十]|\d{1,2}|第[一二三四五六七八九十\d]{1,3}(?:部分|册|篇))$",
    re.I,
)
_SITE_SUFFIX = SITE_SUFFIX
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})|(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?:[0-3]\d)?(?!\d)")


# --- pieces ------------------------------------------------------------------------------------

def _title_year(text: str) -> int | None:
    """The covered year as the title states it; a year with 年/年度 beats a bare number."""
    m = _YEAR_WITH_UNIT.search(text) or _YEAR_TOKEN.search(text)
    return int(m.group("y")) if m else None


_SHORT_DATE = re.compile(r"^\s*(\d\d)[-/.](?=(?:0?[1-9]|1[0-2])[-/.][0-3]?\d\s*$)")


# Unix time as JSON APIs give it: 10 digits of seconds or 13 of milliseconds, both starting with 1 in
# 2001–2033 (a "2026012109" of 10 digits starting 20 is a date and hour).
_EPOCH = re.compile(r"\s*(1\d{9}|1\d{12})(?:\.\d+)?\s*")
_BEIJING = timezone(timedelta(hours=8))


def _published_year(published: str | None) -> int | None:
    """A report covers the calendar year before the one it is published in.

    The regulation sets the deadline at 31 January (departments) / 31 March (governments), so a
    report published in January-March of year Y is for Y-1; one published later in Y is a late
    report, still for Y-1 (a report cannot cover a year that has not ended).
    """
    if not published:
        return None
    text = unicodedata.normalize("NFKC", published)
    epoch = _EPOCH.fullmatch(text)
    if epoch:  # a JSON API's timestamp, in seconds or milliseconds, read on Beijing time
        stamp = int(epoch.group(1)) / (1000 if len(epoch.group(1)) == 13 else 1)
        return datetime.fromtimestamp(stamp, _BEIJING).year - 1
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)
    text = _SHORT_DATE.sub(r"20\1-", text)  # "24-01-22": a two-digit year is this century's
    m = _DATE.search(text) or re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)
    return int(m.group(1) or m.group(3)) - 1 if m else None


def _printed_date(title: str) -> str | None:
    """A full date (year, month and day) in the raw title; called only when the peeled title names
    no year, so the date was listing furniture, i.e. the publication date."""
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), unicodedata.normalize("NFKC", title))
    m = re.search(r"(?<!\d)(?:19|20)\d\d(?:[-/.年]\d{1,2}[-/.月]\d{1,2}|(?:0[1-9]|1[0-2])[0-3]\d(?!\d))", text)
    if m:
        return m.group(0)
    day_first = _DAY_FIRST_READ.search(text)  # "16-01-2024"; "05-01-2024" could be May or January: unread
    return f"{day_first.group(4)}-{int(day_first.group(3)):02d}-{day_first.group(1)}" if day_first else None


def _strip_years(text: str) -> str:
    return _YEAR_TOKEN.sub("", text)


def _balanced_strip(raw: str) -> str:
    """Strip furniture and dangling brackets, but keep a bracket pair that belongs to the name
    ("中国(山东)自由贸易试验区…", "各区(县级市)")."""
    while True:
        before = raw
        raw = raw.strip(_AGENCY_STRIP)
        opens = sum(raw.count(c) for c in _OPEN)
        closes = sum(raw.count(c) for c in _CLOSE)
        if raw and raw[-1] in _OPEN:
            raw = raw[:-1]
        elif raw and raw[0] in _CLOSE:
            raw = raw[1:]
        elif raw and raw[-1] in _CLOSE and closes > opens:
            raw = raw[:-1]
        elif raw and raw[0] in _OPEN and opens > closes:
            raw = raw[1:]
        if raw == before:
            return raw


# "2024年（汉中市汉台区）政府信息…", "【区人社局】2024年…": the brackets set the body apart, they are not
# part of its name.
_WRAPPED_NAME = re.compile(r"[(\[〔【]([^()\[\]〔〕【】]+)[)\]〕】]")


def _clean_agency(raw: str) -> str | None:
    raw = re.sub(r"^关于", "", _balanced_strip(raw))
    raw = _balanced_strip(re.sub(r"关于$", "", raw))
    wrapped = _WRAPPED_NAME.fullmatch(raw)
    if wrapped:
        raw = _balanced_strip(wrapped.group(1))
    return raw or None


_LEVELS = frozenset("省市县区镇乡州旗")


def _agency(text: str) -> str | None:
    """The body as the title names it: before the year / report phrase, else between them, else a
    bracketed "(XX局)" right after the phrase, else a body after it ("…年度报告—水利部": both by
    parsers.titlebody.body_after_report, as the parser's record names the body).
    A website's or a government's name after a template's join ("…年度报告_XX人民政府门户网站",
    "… - XX人民政府") is the portal's, printed by the page template on every page of the portal,
    department reports included, so it names no body."""
    text = re.sub(r"^关于", "", text)
    m = _AGENCY_STOP.search(text)
    if m is None:
        return None
    head = _clean_agency(text[: m.start()])
    if head and m.group() == "关于":
        # "XX县人民政府办公室关于2024年度XX县政府信息公开…": the body after the year is the report's
        about = re.sub(r"^(?:公开)?(?:公布|发布)?", "", text[m.end():])
        year = _YEAR_TOKEN.match(about)
        stop = _AGENCY_STOP.search(about, year.end()) if year else None
        mid = _clean_agency(about[year.end(): stop.start()].lstrip("度")) if stop else None
        if mid and len(mid) >= 2 and not mid.startswith(("本", "我", "全")):
            return mid + "政府" if mid.endswith("人民") and about.startswith("政府信息公开", stop.start()) else mid
    if head:
        # "盐城市人民政府信息公开…" runs 人民政府 into 政府信息公开: the body keeps its 政府.
        if (head.endswith("人民") or head in _LEVELS) and text.startswith("政府信息公开", m.start()):
            head += "政府"
        return head
    # "2023年度淄博市人民政府政府信息公开…": the name sits between the year and the phrase.
    rest = text[m.start():]
    year = _YEAR_TOKEN.match(rest)
    if year:
        after = rest[year.end():]
        m2 = _AGENCY_STOP.search(after)
        if m2:
            mid = _clean_agency(after[: m2.start()])
            if mid and (mid.endswith("人民") or mid in _LEVELS) and after.startswith("政府信息公开", m2.start()):
                mid += "政府"  # "2023年度区政府信息公开年报": the body is 区政府
            if mid:
                return mid
    # "…年度报告(聊城市生态环境局)" / "…年度报告(2023年)(聊城市生态环境局)"
    tail = re.search(r"(?:报告|年报)(.*)$", text)
    return body_after_report(_strip_years(tail.group(1))) if tail else None


def _as_printed(agency: str | None, title: str) -> str | None:
    """The agency as the title prints it (full-width brackets kept), in simplified script: a report
    printed in 繁体 is recorded under its t2s name (docs/report-format.md), and the crawler's name of the
    body must be the parser's.  So too a body printed with its second name in brackets (A（B）, 挂牌):
    its first name, as the record has it (`parsers.metadata.first_name`)."""
    printed = _printed_span(agency, title)
    if printed and not _traditional_only().isdisjoint(printed):
        printed = converter().convert(printed)  # the parser's own t2s, so both spell the body alike
    return first_name(printed) if printed else printed


def _printed_span(agency: str | None, title: str) -> str | None:
    """The agency as the title prints it, found by normalising the title one character at a time;
    the normalised form stands when the two cannot be matched up."""
    if not agency or agency in title:
        return agency
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(title):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace() and c not in _INVISIBLE_CHARS:
                chars.append(c)
                origin.append(i)
    folded = "".join(chars)
    simplified = _simplified(folded)
    if len(simplified) == len(folded):
        folded = simplified  # "臺州市椒江區" is judged as 台州市椒江区 and printed as it stands
    pos = folded.find(agency)
    if pos < 0:
        return agency
    return _spaced_pair(title[origin[pos]: origin[pos + len(agency) - 1] + 1])




def _spaced_pair(span: str) -> str:
    """The printed name without its whitespace; two whole bodies set apart by a space ("XX市人民政府
    办公室 XX市大数据发展管理局", a joint report) are joined by 、 as a title that lists them with 、 does,
    not glued into a name no body has."""
    pieces = span.split()
    if len(pieces) == 2 and all(_ORGAN_END.search(p) and len(p) >= 4 for p in pieces) and PLACED_BODY.match(pieces[1]):
        return "、".join(pieces)
    return "".join(pieces)


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _harmless_tail(tail: str) -> bool:
    """What may follow the report's name: a format/version remark, the body, the site's name.

    Anything else ("…年度报告公开情况", "…年度报告新闻发布稿") makes the item a text *about* the report.
    """
    if tail.startswith("的"):
        return False  # "关于…年度报告的…": the report names what the item is about
    if _TABLES.match(tail):
        return False  # "…年度报告附表": its tables run on from the name, the item is only the tables
    for part in re.split(r"[()\[\]【】〔〕_|\-—/,，;；]+", tail):
        part = part.strip(_AGENCY_STRIP)
        part = re.sub(r"^\d{1,2}月(?:\d{1,2}日)?(?=.)", "", part)  # "(2024年1月修订)"
        if not part or _harmless_part(part):
            continue
        return False
    return True


# The report's tables as an item of their own: 附表, 统计表, 表格(版), 数据表.
_TABLES = re.compile(r"(?:附|统计|数据)?表格?版?(?![\u3400-\u9fff])")
_JOINED = re.compile(r"[+＆&及和与、]")


def _english_name(part: str) -> bool:
    """The report's English name printed after its Chinese one ("… Annual Report on Government
    Information Disclosure", "… of Nanshan District"); an English word after it (Interpretation) is not."""
    m = _EN_REPORT.match(part)
    if m is None or _EN_NOT_REPORT.search(part):
        return False
    rest = part[m.end():].strip()
    return not rest or bool(_EN_BODY_LEAD.match(rest))


_NUMBERS_ONLY = re.compile(r"[\d.:]+")


def _harmless_part(part: str) -> bool:
    """One remark after the name; "(文字版+统计表)" joins the text and its tables, which is the whole
    report, while a remark of tables alone is judged by _TAIL_OK ("(附表)" reads as "with tables")."""
    if _TAIL_OK.match(part) or _BODY_SUFFIX.search(_SITE_SUFFIX.sub("", part)) or _english_name(part):
        return True
    if _NUMBERS_ONLY.fullmatch(part):
        return True  # a date or serial in a shape no rule above peeled ("16.01.2024 09:30"): no other text
    pieces = [p for p in _JOINED.split(part) if p]
    if len(pieces) < 2:
        return False
    texts = [p for p in pieces if not _TABLES.fullmatch(p)]
    return bool(texts) and len(texts) < len(pieces) and all(_TAIL_OK.match(p) for p in texts)


def _cut(text: str) -> str | None:
    """A title the listing cut short ("…年度报告（全...", "…工作年度报…"), without the ellipsis and
    without a remark bracket the cut left open; None when the title is whole.

    The open remark is dropped only if what is left of it can still become a harmless remark
    ("（全" → 全文, "（20" → 2023年度); "（解" may have been 解读, so it is kept and judged."""
    m = _ELLIPSIS.search(text)
    if m is None:
        return None
    cut = text[: m.start()]
    # "….p…": the cut fell inside the file's extension, a harmless remark.
    ext = re.search(r"\.([a-z]{0,3})$", cut, re.I)
    if ext and any(e.startswith(ext.group(1).lower()) for e in ("pdf", "doc", "docx", "wps", "ofd", "xls")):
        cut = cut[: ext.start()]
    last_open = max(cut.rfind(c) for c in _OPEN)
    if last_open >= 0 and not any(c in cut[last_open:] for c in _CLOSE):
        remark = cut[last_open + 1:].lower()
        if not remark or _TAIL_OK.match(remark) or re.fullmatch(r"\d{1,4}(?:年度?)?", remark) or any(
            word.startswith(remark) for word in _REMARK_WORDS
        ):
            cut = cut[:last_open]
    return cut


# --- what the URL says -------------------------------------------------------------------------

def _url_path(url: str) -> str:
    return unquote(url.split("?", 1)[0].split("#", 1)[0])


def _url_file_title(url: str) -> str | None:
    """The file name a document URL carries, when it is words rather than a serial number
    ("…/attach/0/2023年政府信息公开工作年度报告.pdf", "downfile.jsp?filename=…")."""
    if not url:
        return None
    names = [_url_path(url).rstrip("/").rsplit("/", 1)[-1]]
    names += [unquote(v) for v in re.findall(r"(?:file)?name=([^&#]+)", url, re.I)]
    for name in names:
        if _CJK.search(name):
            return name
    return None


# A year folder right under a report column: …/xxgknb/2023/art_….html (not /2024/01/… stamps).
_URL_COLUMN_YEAR = re.compile(r"(?:zfxxgknb|xxgknb|zwgknb|gknb|ndbg|nianbao|/nb)/((?:19|20)\d\d)/(?!\d{1,4}/)", re.I)


def _url_named_year(url: str) -> int | None:
    """A year the URL names as the covered one: a "2023nb/" folder, or a file name
    "2023年…年度报告.pdf" (a file name with 年 beside the year names it as a title would)."""
    if not url:
        return None
    path = _url_path(url)
    m = _URL_NB_YEAR.search(path)
    if m:
        return int(m.group(1) or m.group(2))
    m = _URL_COLUMN_YEAR.search(path)
    if m:
        return int(m.group(1))
    name = _url_file_title(url)
    if name:
        m = _YEAR_WITH_UNIT.search(unicodedata.normalize("NFKC", name))
        if m:
            return int(m.group("y"))
    return None


def _url_stamp_year(url: str) -> int | None:
    """The year before a publication stamp in the URL (t20240119_…, /art/2024/1/26/, /202401/):
    reports are published in the first half of the year after the one they cover.  A stamp later
    in the year is a page moved or re-published; it proves nothing about the year covered."""
    if not url:
        return None
    m = _URL_STAMP.search(_url_path(url))
    if m is None:
        return None
    y, mo = (int(g) for g in m.groups() if g)
    return y - 1 if 1 <= mo <= 6 else None


def _publication_year(url: str, published: str | None) -> int | None:
    """The year the item was put online: the listing's date, else a stamp in its URL (any month)."""
    year = _published_year(published)
    if year is not None:
        return year + 1
    m = _URL_STAMP.search(_url_path(url)) if url else None
    return int(next(g for g in m.groups() if g)) if m else None


def _generic_report_name(text: str) -> bool:
    """The title is the report's generic name and nothing else ("政府信息公开工作年度报告"): it names
    no body and no year, as a body's own report column lists its items."""
    return _QUOTES.sub("", text) in _FULL_NAMES


def _url_report_file(url: str) -> bool:
    """A page or file inside a report column's year folder or under its publication stamp
    (…/ndbg/2024/t20250120_1.html, …/gknb/2023/1.html), not the column's own listing page: what its
    items' URLs look like when the file name itself carries no article stamp."""
    path = _url_path(url)
    return (
        bool(url) and _url_in_report_column(url) and not _URL_LISTING.search(path)
        and bool(_URL_COLUMN_YEAR.search(path) or _URL_STAMP.search(path))
    )


def _url_is_item(url: str) -> bool:
    return bool(url) and bool(_URL_ARTICLE.search(url)) and not _URL_LISTING.search(url)


def _url_is_column(url: str) -> bool:
    """A column's own listing page: a report column's (…/zfxxgknb/, …/ndbg/index.html), or any page shaped
    like a listing that carries no item's stamp (Hanweb's …/col/col12345/index.html), not an item in it.
    A query or a "#/" route names an item behind a listing-shaped path (…/index.shtml?id=12345,
    …/xxgk/#/detail?id=7), and so does a path ending in an id (…/xxgk/12345/)."""
    if not url or "?" in url or "#/" in url:
        return False
    path = _url_path(url)
    if _URL_ID_SEGMENT.search(path):
        return False
    return bool(_URL_LISTING.search(path)) and (_url_in_report_column(url) or not _URL_ARTICLE.search(path))


# A path's last segment that is an item's id: five or more digits, or a long hex string (not a year).
_URL_ID_SEGMENT = re.compile(r"/(?:\d{5,}|(?=[0-9a-f]*\d)[0-9a-f]{8,})/?$", re.I)


def _url_in_report_column(url: str) -> bool:
    """An item inside a disclosure-report column (…/xxgknb/…, …/zfxxgknb/2023nb/…), not one of the
    enterprise annual-report (企业年报公示) columns a market regulator runs."""
    return bool(_URL_HINT.search(url)) and not _URL_NOT_DISCLOSURE.search(url)


def _is_link_text(text: str) -> bool:
    """Text that says only "here is a link": 下载, 点击查看, 查看原文, 附件下载, a serial file name,
    an image's placeholder alt ("图片1"), or only a year ("2023年度" in a year selector)."""
    return bool(
        (_LINK_TEXT.fullmatch(text) and not text.isdigit()) or _SERIAL_NAME.fullmatch(text)
        or _PICTURE_NAME.fullmatch(text) or _BARE_YEAR.fullmatch(text)
    )


def _is_bare_body(text: str) -> bool:
    """A body's name and nothing else ("聊城市审计局"), as some report columns list their items."""
    return bool(_BODY_SUFFIX.search(text)) and len(text) <= 40 and not _NOT_BARE_BODY.search(text)


# --- English titles ----------------------------------------------------------------------------

# English portals translate the report's name: "2023 Annual Report on Government Information Disclosure
# of XX", "Government Information Disclosure Annual Report (2023)", "Annual Report on Open Government
# Information"; the body follows "of"/"by", or comes first.
_EN_REPORT = re.compile(
    r"annual\s+report\s+(?:on|of|for)\s+(?:the\s+)?(?:work\s+(?:on|of)\s+)?(?:government|governmental|open\s+government)"
    r"\s+(?:information\s+)?(?:affairs\s+)?(?:disclosure|publicity|openness|transparency|information)(?:\s+work)?"
    r"|government\s+information\s+(?:disclosure|publicity|openness)(?:\s+work)?\s+annual\s+report",
    re.I,
)
_EN_NOT_REPORT = re.compile(
    r"interpret|explain|explained|infographic|graphic|illustrat|chart|video|notice|circular|guideline|template"
    r"|press|news|release[sd]?\s+(?:its|the)|correction|errat|withdraw|summary|abstract",
    re.I,
)
_EN_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/.-])")
_EN_SEPARATOR = re.compile(r"\s+[-|–—]\s+|_|\s*\(")
_EN_DANGLING = re.compile(r"(?:\s+(?:in|for|of|on|the|year))+\s*$", re.I)
_EN_BODY_LEAD = re.compile(r"^\s*(?:of|by|from)\s+(?:the\s+)?", re.I)


def _is_english(title: str) -> bool:
    return not _CJK.search(title) and len(re.findall(r"[A-Za-z]+", title)) >= 4


def _judge_english(title: str, url: str, published: str | None) -> dict | None:
    """An English title of the report, or None when the English report phrase is not there (then the
    title is judged as any other text, e.g. a file name).  The body is the one named after "of"/"by"
    (or before the year); a name after a separator is the website's, as in Chinese titles."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", title)).strip()
    m = _EN_REPORT.search(text)
    if m is None:
        return None
    result = {"is_report": False, "year": None, "agency": None}
    if _EN_NOT_REPORT.search(text):
        return result
    years = _EN_YEAR.findall(text)
    result["year"] = (int(years[0]) if years else None) or _url_named_year(url) or _published_year(published)
    after = _EN_SEPARATOR.split(text[m.end():], maxsplit=1)[0]
    head = _EN_SEPARATOR.split(text[: m.start()])[-1]
    lead = _EN_BODY_LEAD.match(after)
    agency = after[lead.end():] if lead else ""
    if not agency:
        agency = _EN_YEAR.sub("", head)
        agency = re.sub(r"(?:'s)?\s*$", "", agency.strip(" ,:;'\"")) if agency.strip() else ""
    # "of Chengdu in 2023": the year and the preposition that carried it are no part of the name.
    agency = _EN_DANGLING.sub("", _EN_YEAR.sub("", agency)).strip(" ,.:;'\"")
    if not lead and _EN_YEAR.sub("", after).strip(" ,.:;'\"()"):
        return result  # "… Annual Report on Government Information Disclosure Work Plan": another text
    result["is_report"] = True
    result["agency"] = agency or None
    return result


# --- the classifier ----------------------------------------------------------------------------

def classify(title: str, url: str | None = None, published: str | None = None) -> dict:
    """Is this item a disclosure annual report, for which year, by whom.

    Returns ``{"is_report": bool, "year": int | None, "agency": str | None}`` (the agency named as the
    parsed record names it: `parsers.placebody.government_of` for a bare place); year and agency are
    None for anything that is not a report (a derivative's "agency" would be "一图读懂XX局").  A
    compilation of a group of bodies' reports (`_judge_grouping`) adds ``"compilation": True`` with
    its year: no one body's report, but a document the crawl fetches for the reports it holds.
    """
    result = _judge_english(title, url or "", published) if _is_english(title or "") else None
    if result is None:
        result = _judge(title, url or "", published)
        if not result["is_report"] and _CJK.search(title or ""):
            result = _judge_mixed(title, url or "", published) or result
    if result["agency"]:
        # "成都市武侯区2024年…" is the district government's report: named as the parser names the body
        result["agency"] = government_of(result["agency"])
    if not result["is_report"]:
        if result.get("correction"):  # (a correction names the report it corrects)
            return result
        result["agency"] = None
        if not result.get("compilation"):  # (a compilation keeps the year its reports cover)
            result["year"] = None
    return result


def _judge_mixed(title: str, url: str, published: str | None) -> dict | None:
    """"深圳市南山区 2024 Annual Report on Government Information Disclosure": the body's Chinese name
    before the report's English one.  Taken only when the Chinese is that name and nothing else."""
    result = _judge_english(title, url, published)
    if result is None or not result["is_report"]:
        return None
    agency = result["agency"] or ""
    rest = unicodedata.normalize("NFKC", title).replace(agency, "", 1)
    if not _BODY_SUFFIX.search(agency) or _CJK.search(rest) or _DERIVATIVE.search(agency) or _PROCEDURAL.search(agency):
        return None
    return result


_LIST_SEPARATOR = re.compile(r"[;；]")


def _judge(title: str, url: str, published: str | None) -> dict:
    # One anchor naming several attachments ("附件1：….pdf；附件2：…解读.pdf") carries each of them:
    # it is the report's item if one of the files is the report.
    parts = _LIST_SEPARATOR.split(title)
    if len(parts) > 1 and all(_FILE_EXT.search(unicodedata.normalize("NFKC", p).strip()) for p in parts):
        results = [_judge_one(p, url, published) for p in parts]
        return next((r for r in results if r["is_report"]), results[0])
    return _judge_one(title, url, published)


# A 公告 that publishes one body's report ("关于公布XX局2023年度…年度报告的公告", "XX县人民政府关于发布
# 2023年…年度报告的公告", "关于XX县2023年度…年度报告的公告"): the report is posted under it.  A 通知 (印发,
# 报送, 编制) is an instruction about reports and stays a notice; so does a 公告 about what became of a
# report (撤回, 更正, 征求意见), whose verb stands where the body's name would or follows the report's
# name ("关于XX县2023年…年度报告更正的公告").  Without 关于, "XX局2023年…年度报告的公告" is the same posting.
_PUBLISHING_NOTICE = re.compile(r"^(?P<issuer>.*?)关于(?:公开)?(?:公布|发布)?(?P<report>.+)的公告$")
_REPORT_NOTICE = re.compile(r"^(?P<issuer>)(?P<report>.+)的公告$")
_NOTICE_CHANGE = re.compile(r"(?:更正|修正|修订|修改|撤回|撤销|补充|调整|勘误|废止)(?:情况|说明)?$")
# A second name in brackets after the issuer's name ("XX市文化和旅游局（XX市文物局）关于公布…"): the issuer
# is named by the first; the bracket closes the name, it is no suffix of its own.
_TRAILING_SECOND_NAME = re.compile(r"[(\[〔【][^()\[\]〔〕【】]+[)\]〕】]$")
_NOTICE_ACTION = re.compile(
    r"^(?:撤回|撤销|更正|修正|修改|修订|征集|征求|转发|印发|报送|做好|开展|加强|调整|废止|公示|补充|补发|重新|延期|暂停"
    r"|停止|取消|删除|核查|检查|审核|审查|通报|评估|考核)"
)


def _judge_publishing_notice(text: str, title: str, url: str, published: str | None) -> dict | None:
    """The report a publishing 公告 carries, with its year and body: the body named after 关于, else the
    issuer before it; None when the notice names no single body's report of a named year."""
    m = _PUBLISHING_NOTICE.match(text) or _REPORT_NOTICE.match(text)
    if m is None:
        return None
    issuer, report = m.group("issuer").strip(_AGENCY_STRIP), m.group("report")
    if "关于" in report or _NOTICE_ACTION.match(report) or _NOTICE_CHANGE.search(report) or _title_year(report) is None:
        return None
    if _agency(report) is None:
        if not issuer or not _BODY_SUFFIX.search(_TRAILING_SECOND_NAME.sub("", issuer)):
            return None
        report = issuer + report
    result = _judge_text(report, title, url, published)
    agency = _agency(report)
    if not result["is_report"] or agency is None or _STATUS.search(agency) or _not_a_body(agency):
        return None
    return result


# A notice correcting one body's report ("关于XX局2023年…年度报告的更正", "XX局关于2023年…年度报告的更正说明",
# "对《…年度报告》部分数据的勘误"): no report itself (the labelled sets hold it apart from the report's
# （更正版）), but about that report: the crawl fetches it, and a notice that reprints the whole report
# is read as the report's next revision, one that lists only the changed cells stays a note on it.
_CORRECTION_NOTICE = re.compile(
    r"^(?P<issuer>[^《》]*?)(?:关于)?对?《?(?P<report>[^《》]+?(?:年度报告|年报))》?的?"
    r"(?:(?:有关|部分|相关)?(?:数据|内容|信息)?(?:的)?)(?:更正|勘误|修正)"
    r"(?:情况)?(?:的)?(?:说明|公告|通知|声明|表|启事)?$"
)
# The same notice worded with the verb first: "关于更正XX局2023年…年度报告的公告",
# "更正：XX局2023年…年度报告第五部分数据".
_CORRECTION_VERB_FIRST = re.compile(
    r"^(?P<issuer>[^《》:：]*?)(?:关于)?(?:更正|勘误)[:：]?\s*《?(?P<report>[^《》]+?(?:年度报告|年报))》?"
    r"(?:第[一二三四五六七八九十]+部分|[表第][一二三四]张?表?)?(?:中)?(?:的)?(?:有关|部分|相关)?(?:数据|内容|信息)?"
    r"(?:的)?(?:说明|公告|通知|声明|启事)?$"
)
# "更正：" before a title is peeled off as a label ("更正：XX局…年度报告" is the corrected report itself),
# so a title that goes on past the report's name to the part it changes ("…年度报告第五部分数据") is
# judged again with its verb.
_CORRECTION_LABEL = re.compile(r"^\W*(?:更正|勘误)(?:[:：]|[】\])）])")
_CHANGED_PART = re.compile(
    r"(?:年度报告|年报)》?(?:(?:第[一二三四五六七八九十]+部分|[表第][一二三四]张?表?)(?:中)?(?:的)?"
    r"(?:有关|部分|相关)?(?:数据|内容|信息)?|(?:中)?(?:的)?(?:有关|部分|相关)?(?:数据|内容|信息))$"
)


def _judge_correction(text: str, title: str, url: str, published: str | None) -> dict | None:
    """The report a correction notice is about, with its year and body, flagged ``correction``
    (``is_report`` false); None when the title is no such notice or names no body's report of a year."""
    m = _CORRECTION_NOTICE.match(text) or _CORRECTION_VERB_FIRST.match(text)
    if m is None:
        return None
    issuer, report = m.group("issuer").strip(_AGENCY_STRIP), m.group("report")
    if issuer.endswith("关于"):
        issuer = issuer[:-2]
    if _agency(report) is None and issuer:
        report = issuer + report
    inner = _judge_text(report, report, url, published)
    if not inner["is_report"] or inner["year"] is None or inner["agency"] is None:
        return None
    return {"is_report": False, "year": inner["year"], "agency": inner["agency"], "correction": True}


def _judge_one(title: str, url: str, published: str | None) -> dict:
    text = _TWO_IN_ONE.sub(r"\1", normalise_title(title))
    correction = _judge_correction(text, title, url, published)
    if correction is None and _CHANGED_PART.search(text) and _CORRECTION_LABEL.match(_SPACE.sub("", _fold(title))):
        correction = _judge_correction("更正" + text, title, url, published)
    if correction is not None:
        return correction
    notice = _judge_publishing_notice(text, title, url, published)
    if notice is not None:
        return notice
    mended = _mend_mid_cut(text)
    if mended is not None:
        again = _judge_text(mended, title, url, published)
        if again["is_report"] and again["year"] is not None:
            return again
    result = _judge_text(text, title, url, published)
    if not result["is_report"]:
        repaired = _repair_phrase(text)
        if repaired is not None:
            again = _judge_text(repaired, title, url, published)
            if again["is_report"]:
                return again
    return result


# An ellipsis inside the title, where a listing cut out its middle ("图们市人民政府办公室…政府信息公开…",
# "汪清县2024年政府信息…年度报告", "…农业农村局…工作年度报告").
_MID_ELLIPSIS = re.compile(r"\.{2,}|…+|⋯+")
_FULL_NAMES = ("政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开工作年报", "政府信息公开年报", "政务公开工作年度报告")


def _mend_mid_cut(text: str) -> str | None:
    """The title with the report's name made whole, when what follows a mid-title ellipsis is the end
    of that name (at least "年度报告"/"公开年报"): the body before the cut is the publisher, and the
    report is taken only if a year is known (title, url or date).  Whatever followed the name is
    kept, so "安图县…年度报告解读" is still the 解读."""
    cuts = list(_MID_ELLIPSIS.finditer(text))
    if len(cuts) != 1 or cuts[0].start() == 0 or cuts[0].end() == len(text):
        return None
    head, tail = text[: cuts[0].start()], text[cuts[0].end():]
    for name in _FULL_NAMES:
        end = next((name[i:] for i in range(len(name) - 3) if tail.startswith(name[i:])), None)
        if end is None:
            continue
        begun = next((name[:i] for i in range(len(name) - 1, 3, -1) if head.endswith(name[:i])), "")
        body = head[: len(head) - len(begun)]
        if not _strip_years(body).strip(_AGENCY_STRIP) or not (begun or _body_and_year(body)):
            return None
        return body + name + tail[len(end):]
    return None


# A column of interpretations (政策解读): a cut title listed there is a 解读 whose end was cut off.
_URL_INTERPRETATION = re.compile(r"/(?:zcjd|jiedu|zcjiedu)/", re.I)  # not /jd/: 街道 columns use it too
# The start of the report's name where a listing cut it ("政府", "政府信", "政务公开工…").
_NAME_STARTS = frozenset(name[:i] for name in _FULL_NAMES for i in range(1, len(name)))
_CUT_FULL_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?:年度|年)?$")
_CUT_PART_YEAR = re.compile(r"(?<!\d)(?:2|20|20\d|19|19\d)$")


def _cut_before_kind(text: str) -> str | None:
    """The body's name, when the listing cut the title after it, its year (or part of the year) and
    at most the start of the report's name: "…自治县2024年政府...", "…保障厅20...", "…办公室...".
    None for any other text, a visible look-alike ("…政府信息化建设...", "…政府工作报...") included."""
    m = _ELLIPSIS.search(text)
    if m is None or text.startswith("关于"):
        return None
    whole = text[: m.start()]
    # The longest start of the name first; none at all when that leaves no body ("…人民政府...").
    for i in [i for i in range(min(len(whole), 12), 0, -1) if whole[len(whole) - i:] in _NAME_STARTS] + [0]:
        head = whole[: len(whole) - i]
        year = _CUT_FULL_YEAR.search(head) or (None if i else _CUT_PART_YEAR.search(head))
        if year is not None:
            head = head[: year.start()]
        head = head.strip(_AGENCY_STRIP)
        if head and _is_bare_body(head) and not _BODY_SUFFIX.fullmatch(head):  # "政府..." names no body
            return head
    return None


def _plain_body(body: str) -> bool:
    """One administrative body of the mainland: the checks a whole title's body passes, read strictly
    because the cut hid the wording (政府信息公开 or not) that some regimes turn on."""
    return not (
        _not_a_body(body) or _NOT_ADMINISTRATIVE.search(body) or _MASS_ORG.search(body)
        or _PUBLIC_INSTITUTION.search(body) or _NOT_GOVERNMENT.search(body) or _company(body)
        or _HK_MACAO.search(body) or _TAIWAN.match(body) or _STATE_FARM.search(body) or _COORDINATION.search(body)
        or _institution_unit(body)
    )


def _url_shows_report(url: str, published: str | None) -> bool:
    """An article in a disclosure-report column, or a document whose file name is the report's."""
    if _url_is_item(url) and _url_in_report_column(url):
        return True
    name = _url_file_title(url)
    return bool(name) and _judge(name, "", published)["is_report"]


def _body_and_year(head: str) -> bool:
    """What precedes a cut is only the publisher (and the year): "安图县…", "南京市财政局2023年度…".
    Anything else there ("…2023年法治政府建设…", "…环境信息…") may be another report's name."""
    stripped = head.strip(_AGENCY_STRIP)
    year = _YEAR_TOKEN.search(stripped)
    if year is not None and year.end() == len(stripped):
        stripped = stripped[: year.start()]
    elif year is not None and year.start() == 0:
        stripped = stripped[year.end():]
    stripped = stripped.strip(_AGENCY_STRIP)
    return bool(stripped) and _YEAR_TOKEN.search(stripped) is None and _is_bare_body(stripped)


# A sample's stand-in for a body: 某县, XX市, ××局, ***.
_PLACEHOLDER_BODY = re.compile(r"某|[XxＸｘ×]{1,3}(?:省|市|县|区|局|镇|乡|街道)|\*{2,}")


# What precedes a word inside a body's name: the name's own characters, no badge or label before it.
_NAME_HEAD = re.compile(r"^[^\[\]【】:：]*[\u3400-\u9fff]{2}[(（]?$")
_NEVER_IN_NAME = NEVER_IN_NAME  # 一图读懂XX局: words no body's name holds


def _without_body_name(text: str, agency: str | None) -> str:
    """The title with the body's name taken out, when the name holds a word that elsewhere marks a
    derivative or a procedure (中国人民政治协商会议…, 县政府新闻办公室): such a word inside a name runs
    on into the body's suffix; one that starts the "name" (一图读懂XX局) is the item's own word."""
    if not agency or agency not in text or not _BODY_SUFFIX.search(agency.rstrip(_CLOSE)) or _NEVER_IN_NAME.search(agency):
        return text
    for pattern in (_DERIVATIVE, _PROCEDURAL):
        for hit in pattern.finditer(agency):
            head, rest = agency[: hit.start()], agency[hit.end():]
            if not (_NAME_HEAD.search(head) and rest and _CJK.match(rest)):
                return text
    return text.replace(agency, "", 1)


def _plain_disclosure(before: str, agency: str | None) -> bool:
    """"信息公开…年度报告" without 政府 is the disclosure report only when nothing but the body (or
    政务/政府) qualifies it: 政府采购信息公开, 公共企事业单位信息公开, 环境信息公开 are other disclosures."""
    if agency and before.startswith(agency):
        before = before[len(agency):]
    before = re.sub(r"^关于", "", before).strip(_AGENCY_STRIP)
    return not before or before in ("政务", "政府") or bool(_BODY_SUFFIX.search(before) or _SELF_REFERENCE.match(before))


def _judge_text(text: str, title: str, url: str, published: str | None) -> dict:
    title_year = _title_year(text)
    # A date the listing printed around a title that names no year is its publication date.
    printed = _printed_date(title) if title_year is None and not published else None
    year = title_year or _url_named_year(url) or _published_year(published or printed) or _url_stamp_year(url)
    agency = _agency(text)
    if agency is not None and _SELF_REFERENCE.match(agency):
        agency = None  # "本机关2023年…": a report whose publisher the title does not name
    result = {"is_report": False, "year": year, "agency": _as_printed(agency, title)}
    judged = _without_body_name(text, agency)
    if not text or _DERIVATIVE.search(judged) or _PROCEDURAL.search(judged):
        return result
    if _NAVIGATION.search(text) and not _is_link_text(text):
        return result  # "查看更多" leads to a column; "查看全文" is an item's link, judged by its URL below
    if _COORDINATION.search(text) or _part_of_year(text) or _many_years(title):
        return result
    # Published before the year it names had ended, naming no body: a sample or a notice's attachment.
    # A title that names its body is kept: some bodies title a report by the year it is published in.
    unnamed = agency is None or _PLACEHOLDER_BODY.search(agency)
    if unnamed and title_year is not None and (_publication_year(url, published) or title_year + 1) <= title_year:
        return result
    lead_tag = _LEAD_TAG.match(text)
    if lead_tag and _STATUS.search(lead_tag.group(1)):
        return result  # "【作废】…", "[征求意见稿]…": the tag says what became of the report
    if agency is not None and _not_a_body(agency):
        return _judge_grouping(text, agency, title, url, published) or result
    if _URL_SCHOOL.match(url):
        return result
    # A court, party office or school reports under its own rules ("信息公开工作报告", "政务公开…");
    # one that titles its report 政府信息公开 declares it is made under the 条例 (merged party/government
    # offices, procuratorates on a government platform), and that wording is taken at its word.
    outside = agency is not None and (_NOT_ADMINISTRATIVE.search(agency) or _MASS_ORG.search(agency))
    if outside and "政府信息公开" not in text:
        return result
    if agency is not None and _company(agency):
        return result  # a company reports under 公共企事业单位信息公开, however it words the title
    if agency is not None and (_HK_MACAO.search(agency) or _TAIWAN.match(_simplified(agency))):
        return result  # the special administrative regions and Taiwan are not under the mainland's 条例
    if agency is not None and _STATE_FARM.search(agency):
        return result  # 国有林场/农场 are 事业单位 or 企业, whatever the wording
    if agency is not None and _PUBLIC_INSTITUTION.search(agency) and ("政府信息公开" not in text or "学年" in text):
        return result  # 公共企事业单位信息公开 (schools, hospitals, institutes) unless titled 政府信息公开,
        # and a school's 学年 report is its own system's whatever it is called

    # Link text or a bare body name says nothing itself: the URL must show the report.
    if _is_link_text(text) or _is_bare_body(text):
        name = _url_file_title(url)
        if name and normalise_title(name) != text:
            inner = _judge(name, "", published)
            inner["year"] = inner["year"] or year
            return inner
        if _url_is_item(url) and _url_in_report_column(url) and not _LOOKALIKE.search(text):
            result["is_report"] = True
            result["agency"] = _as_printed(text, title) if _is_bare_body(text) else None
        return result

    cut = _cut(text)
    if cut is not None and _URL_INTERPRETATION.search(_url_path(url)):
        return result  # a cut title in a 解读 column: what was cut off is as likely "…的解读"
    core = _strip_years(cut if cut is not None else text)
    # A bare column label ("政府信息公开年报") linking to a listing is navigation, not a report.
    # A title without a year linking to a report column's own page is that column's name, whatever
    # body it names or date the listing printed ("格尔木市政府信息公开年报" → …/zfxxgknb/).
    navigation = title_year is None and (
        (agency is None and not (published or printed) and not _url_is_item(url)) or _url_is_column(url)
    )
    if navigation and year is not None and _generic_report_name(text) and _url_report_file(url):
        navigation = False  # "政府信息公开工作年度报告" at …/gknb/2023/1.html: the column's item of 2023
    strong = _last(_STRONG, core)
    if strong is not None:
        result["is_report"] = not navigation and _harmless_tail(core[strong.end():])
        return result

    medium = _last(_MEDIUM, core)
    if medium is not None:
        result["is_report"] = (
            not navigation and not _NOT_GOVERNMENT.search(text) and _harmless_tail(core[medium.end():])
            and _plain_disclosure(core[: medium.start()], agency)
            and not (agency is not None and _institution_unit(agency))
        )
        return result
    # A cut "…政府信息公开…" is the report when little can be missing (cut inside 年度报告), the URL is a
    # report column's, or the title named its body and year before the phrase as reports do.
    if _TRUNCATED.search(text) and year is not None and (
        _TRUNCATED_FAR.search(text) or _URL_HINT.search(url)
        or (title_year is not None and agency is not None and not text.startswith("关于"))
    ):
        result["is_report"] = True
        return result
    # Cut before the kind could be read ("…2024年政府...", "…人民政府2...", "…办公室..."): 政府… may as
    # well have been 政府工作报告 or 政府网站年度报表, so only a URL that shows the report decides.
    body = _cut_before_kind(text)
    if body is not None and year is not None and _plain_body(body) and _url_shows_report(url, published):
        result["is_report"] = True
        result["agency"] = _as_printed(body, title)
        return result
    # Judged without a government body's own name: 发展和改革委员会 names a body, not a 发展 report.
    named = agency is not None and _BODY_SUFFIX.search(agency) and not _NOT_GOVERNMENT.search(agency)
    if _LOOKALIKE.search(text.replace(agency, "", 1) if named else text):
        return result
    if not _WEAK.search(text):
        return result
    # Only "<body><year>年度报告" is left: a report if it sits in a report column / is a document,
    # or if the named body is a government body.
    remainder = core
    if agency:
        remainder = remainder.replace(agency, "", 1)
    remainder = remainder.strip(_AGENCY_STRIP)
    if not _WEAK_BARE.match(remainder) or year is None or _URL_NOT_DISCLOSURE.search(url):
        return result
    if url and _URL_LISTING.search(url) and title_year is None:
        return result  # "年度报告" linking to a column page
    # A document URL alone tips only a title that names its year; an undated "年度报告" needs the column.
    url_hint = bool(_URL_HINT.search(url) or (_URL_DOC.search(url) and title_year is not None))
    # Without such a URL "XX县2023年年度报告" is any annual report of the body (工作/年鉴/企业 年报):
    # the wording that names the disclosure report is missing.
    if url_hint:
        result["is_report"] = True
    return result


# A title naming a group of bodies where one body's name stands ("XX县各乡镇（街道）", "XX县直属单位",
# "XX县各部门"): their reports gathered in one document (a 汇编/汇总), or a column of them.  Words about
# the release (发布, 公布) or about several years (历年) name no group of reports.
_GROUP_OF_BODIES = re.compile(
    r"各[省市县区镇乡街部单直级地州盟旗委局办厅处室]|(?:所属|下属|直属)各?(?:部门|单位|机构)"
    r"|^(?:[省市县区旗]直|[省市县区]级)|(?:^|[省市县区旗])(?:部门|单位|乡镇|街道|镇街)"
    r"|[省市县区旗]直各?(?:部门|单位)"
)
_NOT_A_GROUP = re.compile(r"发布|公布|出炉|亮相|晒|印发|历年|往年|历届")


def _judge_grouping(text: str, agency: str, title: str, url: str, published: str | None) -> dict | None:
    """A compilation (汇编) of a named year's reports of a group of bodies: no one body's report
    (``is_report`` stays false, so a listing of them is no body's record) but a document that holds
    reports, ``compilation`` true, so the crawl fetches it and the parser reads each body's part under
    that part's own title.  Judged as the title would be without the group's name: a notice, an
    inspection or a 解读 about the group's reports stays what it is.  None: no such compilation."""
    if not _GROUP_OF_BODIES.search(agency) or _NOT_A_GROUP.search(agency) or _title_year(text) is None:
        return None
    rest = text.replace(agency, "", 1).strip(_AGENCY_STRIP)
    if not rest or _agency(rest) is not None:
        return None
    inner = _judge_text(rest, rest, url, published)
    if not inner["is_report"] or inner["year"] is None:
        return None
    return {"is_report": False, "year": inner["year"], "agency": None, "compilation": True}


# --- command line ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """`nianbao classify TITLE [--url URL] [--published DATE]`, or TITLE<TAB>URL lines on stdin."""
    parser = argparse.ArgumentParser(
        prog="nianbao classify",
        description="Classify a title as a 政府信息公开工作年度报告 (JSON: is_report, year, agency). "
        "Without TITLE, reads TITLE<TAB>URL[<TAB>PUBLISHED] lines from stdin.",
    )
    parser.add_argument("title", nargs="?", help="anchor text or page title")
    parser.add_argument("--url", default=None, help="the item's URL (helps for bare titles)")
    parser.add_argument("--published", default=None, help="publication date, e.g. 2025-01-20")
    args = parser.parse_args(argv)

    def emit(result: dict) -> None:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")

    if args.title is not None:
        emit(classify(args.title, args.url, args.published))
        return 0
    for line in sys.stdin:
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("\t")
        title = parts[0]
        url = parts[1] if len(parts) > 1 and parts[1] else None
        published = parts[2] if len(parts) > 2 and parts[2] else None
        emit(classify(title, url, published))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
