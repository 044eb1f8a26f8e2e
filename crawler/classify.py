"""Decide whether a listed item is a 政府信息公开工作年度报告, which year it covers and who published it.

The crawler sees only anchor text, a page title, a URL and sometimes a publication date, and must
decide whether to fetch and archive the item as a report.  Portals name these reports in many ways
(政府信息公开工作年度报告 / 年度报告 / 工作年报 / 政务公开年报 / "…政府信息公开工作报告", book-title
marks, full-width digits, 二〇二四年) and publish many look-alikes beside them (budgets, 指南, 要点,
法治政府建设年度报告, company 年报, website 年度报表, notices asking for reports) and derivatives of the
report itself (图解, 一图读懂, H5, 解读 …).  The title decides; the URL only tips a bare "2023年度报告"
listed inside a report column (or served as a document attachment) into a report.

Everything here is regular expressions compiled once, so classifying thousands of titles per second
is cheap enough to run on every anchor of every listing page.

Command line (`nianbao classify` / `python -m crawler.classify`)::

    nianbao classify "聊城市人民政府2024年政府信息公开工作年度报告" [--url URL] [--published 2025-01-20]
    printf '%s\\t%s\\n' TITLE URL ... | nianbao classify      # one JSON object per input line, in order
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata

__all__ = ["classify", "normalise_title", "main"]

# --- normalisation -----------------------------------------------------------------------------

_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "О": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# 二〇二四年 / 二○二二年度 / 二零二一年: only four-character runs that start like a year are converted,
# so 三(一) or 一图读懂 are left alone.
_CN_YEAR = re.compile(r"[一二][〇○零Ｏ一二三四五六七八九]{3}(?=年)")
_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[《》〈〉“”\"'‘’「」『』]")
# Listing furniture before the title: "发布日期：2024-01-26", "[2024-01-30]", "附件1：", "1.", "●",
# "[PDF]"; the publication date is not the covered year and none of it is part of the body's name.
_LEAD_JUNK = re.compile(
    r"^(?:(?:(?:发布|发文|成文|更新)?(?:时间|日期)[:：]?)?\[?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\]?|附件\d*[:：]?"
    r"|\d{1,3}[.、](?!\d)|[·•\-—●○■□◆◇▪►▶★☆]+|[\[【(](?:pdf|word|docx?|wps|ofd|附件)[\]】)])+",
    re.I,
)
_TRAIL_DATE = re.compile(
    r"(?:(?:发布|发文|成文|更新)?(?:时间|日期)[:：]?)?[\[(]?"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|(?<!\d)[01]\d[-/.][0-3]\d)"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?)?[\])]?$"
)
# "浏览次数:123" / "点击量：45" that listing templates print after the title.
_TRAIL_COUNT = re.compile(r"(?:浏览|点击|阅读|访问)(?:次数|量|数)?[:：]?\d+(?:次)?$")
# Listing badges after the title: "NEW", "hot", "置顶", "[图]" (the item carries a picture).
_TRAIL_BADGE = re.compile(r"(?:new|hot|置顶|最新|\[(?:组?图|新|荐|热)\]|【(?:组?图|新|荐|热)】)$", re.I)
_FILE_EXT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|ofd|s?html?|zip|rar)$", re.I)


def normalise_title(title: str) -> str:
    """Fold the spellings portals use into one form, so the patterns below stay few.

    NFKC turns full-width digits and brackets into ASCII; whitespace goes entirely (PDF text
    extraction and listing templates insert spaces inside Chinese words); Chinese-numeral years become
    digits; quotes, leading listing dates, "附件：" and file extensions are dropped.
    """
    text = unicodedata.normalize("NFKC", title or "")
    text = _SPACE.sub("", text)
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)
    text = _QUOTES.sub("", text)
    text = _FILE_EXT.sub("", text)
    text = _LEAD_JUNK.sub("", text)
    text = _TRAIL_BADGE.sub("", _TRAIL_COUNT.sub("", text))
    text = _TRAIL_DATE.sub("", text)
    return text


# --- vocabulary --------------------------------------------------------------------------------

# A year the title names: 2024年 / 2024年度 / (2024年) / (2024) ; not a date or a 2022-2023学年 range.
_YEAR_TOKEN = re.compile(r"\(?(?<![\d-])((?:19|20)\d\d)(?![\d-])(?:年度|年|\))?\)?")
_YEAR_WITH_UNIT = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?:年度|年)")

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
_TRUNCATED = re.compile(r"政府信息公开(?:工作)?(?:年度?|年)?报?(?:\.{2,}|…+)$")
_TRUNCATED_FAR = re.compile(r"政府信息公开(?:工作)?(?:年度?|年)报?(?:\.{2,}|…+)$")
_WEAK = re.compile(r"年度报告|年报")
_WEAK_BARE = re.compile(r"^(?:年度|年)?(?:报告|年报|年度报告|报)$")

# Items published beside a report that are not the report.
_DERIVATIVE = re.compile(
    r"解读|图解|一图|图说|图读|图文|长图|海报|h5|电子书|视频|音频|动画|动漫|漫画|数读|数说|读懂|看懂|新闻|发布稿|通稿",
    re.I,
)
# Documents *about* reports (requests, templates, training, inspections) rather than a report.
_PROCEDURAL = re.compile(
    r"通知|通报|通告|公告|征集|填报|报送|格式|培训|召开|会议|发布会|部署|考核|评估|检查|审核|审查|意见|透明度"
    r"|说明|申请表|指南|要点|规范"
)
# Links to columns rather than items: "更多信息公开年报", "历年政府信息公开年报", "年报>>".
_NAVIGATION = re.compile(r"^(?:更多|历年|往年|历史|查看|进入|返回|全部|所有)|(?:更多|>>|»|›)$")
# What stands where the body's name should but names no single body: news of the release ("我市发布…",
# "XX市公布…") and column headings grouping many bodies ("各县区…", "市直部门…", "乡镇(街道)…").
_NOT_A_BODY = re.compile(
    r"^(?:我|本)[省市区县州盟旗镇乡局委厅办]|发布|公布|出炉|亮相|晒|印发"
    r"|^(?:各|所有|历年|往年|全[省市县区](?![^省市县区])|[省市县区]直|[省市县区]级)"
    r"|^(?:[省市县区]?(?:政府)?部门|乡镇|街道|县区|区县|镇街|市县)"
)
# Bodies outside the regulation that publish their own 信息公开年度报告 (schools, hospitals, firms).
_NOT_GOVERNMENT = re.compile(r"学年|大学|学院|学校|医院|公司|集团|股份|企业|院务|校务|村务|厂务|党务")
# Reports and 年报 of other kinds; only consulted when the title does not name the disclosure report.
_LOOKALIKE = re.compile(
    r"预算|决算|绩效|自评|法治政府|统计|审计工作|政府工作报告|社会信用|信用体系|公积金|公司|集团|股份|企业"
    r"|市场主体|个体|合作社|报表|学年|总结|行政复议|行政应诉|安全生产|平安建设|国有资产|知识产权|金融|环境"
    r"|生态|信访工作|摘要|社会责任|发展|大学|学院|学校|医院"
)

# What a reporting body's name ends with; used when only a bare "年度报告" is left to judge.
_BODY_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|办事处|街道|局|厅|署|部|委员会|委|办|分局|支行|分行|中心|镇|乡|区|县|市|省|"
    r"自治区|自治州|州|盟|旗|院)$"
)

# Column paths of report listings (…/zfxxgknb/…, …/xxgk_ndbg/…) and downloadable documents.
_URL_HINT = re.compile(
    r"(?:zfxxgknb|xxgknb|zwgknb|gknb|ndbg|gkndbg|xxgkndb|/nb/|nianbao|ndbb)", re.I
)
_URL_DOC = re.compile(r"\.(?:pdf|docx?|wps|ofd)(?:$|[?#])|filename=[^&]*\.(?:pdf|docx?|wps)", re.I)
# An item's own URL (TRS tYYYYMMDD_n, Shandong doc_<id>, Hanweb art_…, numbered pages, documents).
_URL_ARTICLE = re.compile(
    r"/t\d{8}_\d+|doc_[0-9a-f]{8,}|/art/\d{4}/|art_\d+_\d+|content_\d+|post_\d+|/\d{4,}\.[a-z]+$|/\d{4}/\d{2}-\d{2}/"
    r"|\.(?:pdf|docx?|wps|ofd)(?:$|[?#])|downfile|filename=",
    re.I,
)
_URL_LISTING = re.compile(r"(?:/|/index(?:_\d+)?\.s?html?|/list(?:_\d+)?\.s?html?)$", re.I)

# Where the agency's name stops: the year, 关于, or the report phrase.
_AGENCY_STOP = re.compile(r"\(?(?<![\d-])(?:19|20)\d\d|关于|政府信息公开|政务公开|信息公开|年度报告|年报")
_AGENCY_STRIP = ".,，、:：;；!！?？()（）[]【】-—_|/· 的"
# Remarks that may follow the report's name: the file, its version, which part, which scope
# ("(市本级)", "(含区政府本级及部门)"), "(上)/(一)" for a report split into several files.
_TAIL_OK = re.compile(
    r"^(?:附件\d*|附表|全文|正文|原文|全文下载|附件下载|下载|(?:文字|图片|扫描|pdf|word|wps|ofd|修订|更正|正式|"
    r"中文|英文|公开|完整|全文|网页|电子|打印|第.|[a-z]+)版|修订|更正|pdf|docx?|wps|ofd|[县区市]直部门|汇总"
    r"|(?:含|包括)?[省市县区镇乡]?(?:政府)?本级.{0,12}|[上中下]|[上下]篇|[一二三四五六七八九十]|\d{1,2}|第[一二三四五六七八九十\d]{1,3}(?:部分|册|篇))$",
    re.I,
)
_SITE_SUFFIX = re.compile(r"(?:门户网站|政府网站|网站|政府网|官网|门户网)$")
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})|(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?:[0-3]\d)?(?!\d)")


# --- pieces ------------------------------------------------------------------------------------

def _title_year(text: str) -> int | None:
    """The covered year as the title states it; a year with 年/年度 beats a bare number."""
    m = _YEAR_WITH_UNIT.search(text) or _YEAR_TOKEN.search(text)
    return int(m.group(1)) if m else None


def _published_year(published: str | None) -> int | None:
    """A report covers the calendar year before the one it is published in.

    The regulation sets the deadline at 31 January (departments) / 31 March (governments), so a
    report published in January-March of year Y is for Y-1; one published later in Y is a late
    report, still for Y-1 (a report cannot cover a year that has not ended).
    """
    if not published:
        return None
    text = unicodedata.normalize("NFKC", published)
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)
    m = _DATE.search(text) or re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)
    return int(m.group(1) or m.group(3)) - 1 if m else None


def _strip_years(text: str) -> str:
    return _YEAR_TOKEN.sub("", text)


def _clean_agency(raw: str) -> str | None:
    raw = re.sub(r"^关于", "", raw.strip(_AGENCY_STRIP))
    raw = re.sub(r"关于$", "", raw).strip(_AGENCY_STRIP)
    return raw or None


_LEVELS = frozenset("省市县区镇乡州旗")


def _agency(text: str) -> str | None:
    """The body as the title names it: before the year / report phrase, else between them, else a
    trailing "(XX局)" or "-XX人民政府" after the phrase (page titles append "_XX人民政府门户网站")."""
    text = re.sub(r"^关于", "", text)
    m = _AGENCY_STOP.search(text)
    if m is None:
        return None
    head = _clean_agency(text[: m.start()])
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
    # "…年度报告(聊城市生态环境局)" / "…年度报告(2023年)-济宁市兖州区人民政府"
    tail = re.search(r"(?:报告|年报)(.*)$", text)
    if tail:
        cand = _strip_years(tail.group(1)).replace("()", "")
        cand = _clean_agency(_SITE_SUFFIX.sub("", re.split(r"[_|]", cand.strip("_|"))[-1]))
        if cand and _BODY_SUFFIX.search(cand):
            return cand
    return None


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _harmless_tail(tail: str) -> bool:
    """What may follow the report's name: a format/version remark, the body, the site's name.

    Anything else ("…年度报告公开情况", "…年度报告新闻发布稿") makes the item a text *about* the report.
    """
    for part in re.split(r"[()\[\]【】_|\-—/]+", tail):
        part = part.strip(_AGENCY_STRIP)
        if not part or _TAIL_OK.match(part) or _BODY_SUFFIX.search(_SITE_SUFFIX.sub("", part)):
            continue
        return False
    return True


# --- the classifier ----------------------------------------------------------------------------

def classify(title: str, url: str | None = None, published: str | None = None) -> dict:
    """Is this item a disclosure annual report, for which year, by whom.

    Returns ``{"is_report": bool, "year": int | None, "agency": str | None}``; year and agency are
    None for anything that is not a report (a derivative's "agency" would be "一图读懂XX局").
    """
    result = _judge(title, url, published)
    if not result["is_report"]:
        result["year"] = result["agency"] = None
    return result


def _judge(title: str, url: str | None, published: str | None) -> dict:
    text = normalise_title(title)
    year = _title_year(text)
    if year is None:
        year = _published_year(published)
    agency = _agency(text)
    result = {"is_report": False, "year": year, "agency": agency}
    if not text or _DERIVATIVE.search(text) or _PROCEDURAL.search(text) or _NAVIGATION.search(text):
        return result

    if agency is not None and _NOT_A_BODY.search(agency):
        return result
    core = _strip_years(text)
    url = url or ""
    # A bare column label ("政府信息公开年报") linking to a listing is navigation, not a report.
    navigation = (
        _title_year(text) is None and agency is None and not published
        and not (url and _URL_ARTICLE.search(url) and not _URL_LISTING.search(url))
    )
    strong = _last(_STRONG, core)
    if strong is not None:
        result["is_report"] = not navigation and _harmless_tail(core[strong.end():])
        return result

    medium = _last(_MEDIUM, core)
    if medium is not None:
        result["is_report"] = (
            not navigation and not _NOT_GOVERNMENT.search(text) and _harmless_tail(core[medium.end():])
        )
        return result
    if _TRUNCATED.search(text) and year is not None and (_TRUNCATED_FAR.search(text) or _URL_HINT.search(url)):
        result["is_report"] = True
        return result
    if _LOOKALIKE.search(text):
        return result
    if not _WEAK.search(text):
        return result
    # Only "<body><year>年度报告" is left: a report if it sits in a report column / is a document,
    # or if the named body is a government body.
    remainder = core
    if agency:
        remainder = remainder.replace(agency, "", 1)
    remainder = remainder.strip(_AGENCY_STRIP)
    if not _WEAK_BARE.match(remainder) or year is None:
        return result
    url_hint = bool(_URL_HINT.search(url) or _URL_DOC.search(url))
    # "XX局2023年度报告" names a body; "2023年度国家级自然保护区年度报告" names a topic after the year,
    # which is how the many other annual reports are titled.
    body_first = agency is not None and text.startswith(agency) and _BODY_SUFFIX.search(agency)
    if url_hint or body_first:
        result["is_report"] = True
    return result


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
