"""Who published the report, for which year, where, and when.

The agency and the year come from the title, as printed: the year the report covers is in the
title ("2024年度"), while the date at the end is when it was published, a year later.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from .divisions import (
    COUNTY,
    COUNTY_STEMS,
    FORMER,
    FORMS,
    MUNICIPALITIES,
    PREFECTURE,
    PROVINCE,
    Division,
    by_name,
    former_at,
    forms_at,
    printed_names,
    seat_named,
    zone_named,
)
from .placebody import government_of
from .titlebody import DERIVATIVE, body_after_report, column_label_end

_HAN = r"[\u4e00-\u9fff]"
# a stem (青岛 for 青岛市) followed by one of these is part of another name: 黄山区, 北京路街道
_PLACE_NEXT = frozenset("区县市镇乡旗州盟路街道巷村里")
_CITY_GENERIC = re.compile(_HAN + r"{2,4}?(?:市|自治州|地区|盟)")
_COUNTY_GENERIC = re.compile(_HAN + r"{1,5}?(?:自治县|县|区|旗)")
_COUNTY_CITY_GENERIC = re.compile(_HAN + r"{2,3}?市")
_ORG_CHARS = re.compile(r"[局厅委办院部所队站会司处科]|中心")
# a township's own body: 古云镇人民政府, 湖南路街道办事处 (not 住房和城乡建设局, 乡镇企业局)
_TOWN = re.compile(
    r"(?!各|全|所属)(?:" + _HAN + r"{1,8}?街道|" + _HAN + r"{1,8}?(?:镇|乡|苏木)(?=人民政府|政府|党委|人大|$))"
)
_GOV_BETWEEN = re.compile(r"人民政府|政府")  # 北京市朝阳区人民政府建外街道办事处
_ZONE_KINDS = r"(?:开发区|高新区|经开区|综保区|园区|新区|示范区|保税区|试验区|实验区|合作区|经济区|风景区|风景名胜区|旅游区|度假区)"
# a zone's name, not run across a bureau's (淄博市公安局高新技术产业开发区分局 is no zone)
_ZONE_NAME = re.compile(r"[^\W局厅委办院部所队站会司处科]{0,12}?" + _ZONE_KINDS)
# a zone's own 管委会, also an area (片区) of a 自由贸易试验区 with its own committee
_ZONE_GOV = re.compile(r"(?:" + _ZONE_KINDS + r"|片区)(?:管理委员会|管委会)?$")
_GOV_SUFFIX = re.compile(r"(?:人民政府|政府|街道办事处|行政公署)$")
_NATIONAL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国)")
# a ministry or administration under the State Council without 国家 in its name (教育部, 海关总署, 审计署)
_CENTRAL = re.compile(r"^(?![省市县区州镇乡])" + _HAN + r"{2,12}(?:部|总署|署)$")
# where a central body's name ends and the place of its local office begins (国家税务总局|聊城市税务局)
_BODY_END = re.compile(r"总局|局|署|委员会|部|银行|行|院|^中华人民共和国")

# ---- year / dates -------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "l": 1, "I": 1}  # fmt: skip
_YEAR_CHARS = r"[0-9０-９〇零○ＯOo一二三四五六七八九lI]"
_YEAR_RE = re.compile(r"(?<![0-9])(" + _YEAR_CHARS + r"{4})\s*年")
_CN_NUM = r"[〇零一二三四五六七八九十]"
_DATE_RE = re.compile(
    r"("
    + _YEAR_CHARS
    + r"{4})\s*年\s*([0-9０-９]{1,2}|元|"
    + _CN_NUM
    + r"{1,3})\s*月\s*([0-9０-９]{1,2}|"
    + _CN_NUM
    + r"{1,3})\s*日"
)
_ISO_DATE_RE = re.compile(r"(20\d\d|19\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
_PUBLISHED_LABEL = re.compile(r"(?:发布|成文|印发|公开)(?:日期|时间)")
# a page's own posting date (an info line under the title); 成文/印发日期 is when the text was written
_POSTED_LABEL = re.compile(r"(?:发布|公开)(?:日期|时间)\s*[:：]?\s*")


def _year_value(s: str) -> int | None:
    digits = []
    for ch in s:
        if ch.isdigit():
            digits.append(int(ch) if ch.isascii() else int(chr(ord(ch) - 0xFF10 + 0x30)))
        elif ch in _CN_DIGITS:
            digits.append(_CN_DIGITS[ch])
        else:
            return None
    y = int("".join(map(str, digits)))
    return y if 1990 <= y <= 2100 else None


def _small_number(s: str) -> int | None:
    """1-31 written as digits or Chinese numerals (十二, 二十, 三十一)."""
    if s.isdigit():
        return int(s.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_DIGITS.get(head, 0) if head else 1
        ones = _CN_DIGITS.get(tail, 0) if tail else 0
        return tens * 10 + ones
    return _CN_DIGITS.get(s) if len(s) == 1 else None


def date_line(line: str) -> str | None:
    """ISO date of a line (spaces squeezed) that is one date and nothing else: a closing date.  The
    date is read as `parse_date` reads one (the same printed forms: 二〇二四年元月二十日, OCR'd 2O24,
    ２０２４－０１－２０); only the line around it is held to more (parsers.reportend ends the report
    there, so "XX局2024年1月20日印发" or a sentence with a date is no closing date)."""
    m = _DATE_RE.fullmatch(line) or _ISO_DATE_RE.fullmatch(line.translate(_FULL_WIDTH))
    return parse_date(m.group(0)) if m else None


def parse_date(text: str) -> str | None:
    """ISO date of the first 年月日 (or 2025-01-20) in `text`."""
    m = _DATE_RE.search(text)
    if m:
        # 元月 is January as officials date a document (二〇二四年元月三十日)
        month = 1 if m.group(2) == "元" else _small_number(m.group(2))
        y, mo, d = _year_value(m.group(1)), month, _small_number(m.group(3))
    else:
        m = _ISO_DATE_RE.search(text.translate(_FULL_WIDTH))  # ２０２５．３．２６ as typed in a CJK input mode
        if not m:
            return None
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


# What joins the years of a report over two (or more) years: "2022—2023年度", "2022、2023年度", "2023年和
# 2024年", "二〇二二至二〇二三年度".  Shared with crawler.classify, so both file such a report alike.
SPAN_JOIN = r"(?:[-—–~至到、]|和|及|与)"
_SPAN_BEFORE = re.compile(r"(?:" + _YEAR_CHARS + r"{4}\s*(?:年度?)?\s*" + SPAN_JOIN + r"\s*)+$")
_SPAN_AFTER = re.compile(r"\s*度?\s*" + SPAN_JOIN + r"\s*(" + _YEAR_CHARS + r"{4})\s*年")


def title_year_span(title: str) -> tuple[int, int, int] | None:
    """(start, end, year) of the year the title names, a span of years included: the covered year is
    the span's last one.  A report over 2023 and 2024 (published in 2025) is the body's report due
    for 2024: filed there, the completeness matrix shows no hole for 2024, and the carry-over check
    compares its 结转下年度 (carried into 2025) with the 2025 report's 上年结转, as the numbers mean."""
    for m in _YEAR_RE.finditer(title):
        year = _year_value(m.group(1))
        if not year:
            continue
        start, end = m.start(), m.end()
        before = _SPAN_BEFORE.search(title, 0, start)
        if before:
            start = before.start()
        while (later := _SPAN_AFTER.match(title, end)) and _year_value(later.group(1)):
            year, end = _year_value(later.group(1)) or year, later.end()
        return start, end, year
    return None


def year_from_title(title: str) -> int | None:
    """The year the report covers, as its title names it (the later year of a span: `title_year_span`)."""
    span = title_year_span(title)
    return span[2] if span else None


# ---- title and agency ----------------------------------------------------------------------------

_REPORT_WORDS = re.compile(r"报告|年报")
_CRUMB = re.compile(r"[>＞»›]|首页|当前位置|您的位置")
_PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|发布单位|公开主体|成文单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})"
)
_SOURCE = re.compile(r"(?:信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})")
# the next label of an info line printed in adjacent spans (来源：X发布时间：… 浏览次数：…) ends a field
_NEXT_LABEL = re.compile(r"(?:发布|成文|印发|更新|公开)(?:时间|日期)|时间|日期|浏览|点击|阅读|访问|字号|作者|编辑|责任编辑"
                         r"|来源|信息来源|索引号|分类|文号|发布机构|打印|关闭|分享")


def _field(value: str) -> str:
    """A labelled field's value up to the next label printed right after it."""
    m = _NEXT_LABEL.search(value, 2)
    return value[: m.start()] if m else value

_ORG_END = re.compile(r"(?:人民政府|政府|办事处|局|委员会|办公室|办公厅|厅|委|院|中心|署|所|队|站|会)$")
_EARLY_YEAR = re.compile(r"(\d{4})\s*年度?(?:政府信息公开|政务公开|信息公开)")
_NOT_TITLE = re.compile(r"^(?:根据|本报告|按照|依据|为|现|特)")
# a portal's furniture printed above the article: its hot-search words, tags and related links name
# reports ("热搜：政府信息公开年报 社保") but are no title, and must not be glued to the site's name above them
_FURNITURE = re.compile(r"^(?:热搜|热门搜索|热搜词|搜索热词|热门关键词|热词|热点|关键词|关键字|标签|猜你喜欢|推荐阅读"
                        r"|相关(?:阅读|文章|链接|推荐|信息|新闻)|友情链接|专题专栏)\s*[:：]")
_GENERIC_NAMES = frozenset({"人民政府", "本机关", "本单位", "我单位", "我局", "政府"})
_NOT_AGENCY = re.compile(r"信息公开|政务公开|报告|年度|工作(?!局|办公室|委员会|委|部|站|队|中心)|^关于|报送|通知|印发|[：:>＞|/]")


# two bodies in one title: the first a whole body's name (a name such as 住房和城乡建设局 or
# 政府和社会资本合作中心 does not end one before its 和); a bare 政府 ends one only before 及/暨
# (区政府暨区政府办公室), never before 和/与 (政府和社会资本合作中心, 政府与社会资本合作中心)
_JOINT = re.compile(r"(.{2,}?(?:人民政府|行政公署|办公室|办公厅|局|委员会|管委会|管理委员会|办事处))(?:及|暨|和|与)(.{3,})")
_JOINT_GOV = re.compile(r"(.{2,}?政府)(?:及|暨)(.{3,})")


# a correction mark before the title (【修订】, 〔更正〕, （修订版）): no part of the body's name
_EDITION_MARK = re.compile(r"^[【\[〔（(][^】\]〕）)]{0,6}(?:修订|更正|修正|更新|补正|重发|重新发布)[^】\]〕）)]{0,6}[】\]〕）)]")
# a body's name with the second name it also goes by in brackets, the closing bracket perhaps stripped
_SECOND_NAME = re.compile(r"(.{3,}?)[（(]([^（）()]{3,})[）)]?")
# a body's name ending where _ORG_END (the usual signers) does not: a party committee's department (中共北京市委
# 宣传部（北京市新闻出版局）, the first of two names), a 研究室 beside its 办公厅 (a joint report), a 处
_OTHER_BODY_END = re.compile(r"[部室处科]$")
_NAME_EDGE = "（）()·-—_ ,，:："


def first_name(name: str) -> str:
    """A body printed with the second name it also goes by in brackets (挂牌: 泰安市文化和旅游局（泰安市
    文物局）, 中共北京市委宣传部（北京市新闻出版局）) is its first name, whole: the name it reports under in
    other years and on its portal, so the completeness matrix, the carry-over check and the diff find
    one body whichever way a title prints it.  A bracket that is no body's name (中国（上海）自由贸易
    试验区…), or a first name that is no administrative body's (…公司（…专卖局）), stays."""
    m = _SECOND_NAME.fullmatch(name)
    if m and (_ORG_END.search(m.group(1)) or _OTHER_BODY_END.search(m.group(1))) and _ORG_END.search(m.group(2)):
        return m.group(1)
    return name


def _trimmed(name: str) -> str:
    """The name without punctuation left at its edges by the cut before the year; a closing bracket
    that closes the name's own second name (A（B）) stays, so a name printed whole is kept whole."""
    name = name.lstrip(_NAME_EDGE)
    while name and name[-1] in _NAME_EDGE:
        if name[-1] in "）)" and name.count("（") + name.count("(") >= name.count("）") + name.count(")"):
            break
        name = name[:-1]
    return name


# a party committee's body (中共XX县委办公室, XX区委宣传部, XX市委党校): not bound by the disclosure rules
_PARTY_BODY = re.compile(r"^(?:中共|中国共产党)?(.{2,}?[省市县区旗州盟])(?:委|党委|党工委)")
# the place a body's name starts with (中共XX县委办公室, 海淀区人力资源和社会保障局: XX县, 海淀区)
_LEADING_PLACE = re.compile(r"^(?:中共|中国共产党)?(.+?[省市县区旗州盟])")
_PLACE_KINDS = ("自治区", "自治州", "自治县", "自治旗", "地区", *"省市县区旗州盟镇乡")


def _joint_parts(name: str) -> list[str]:
    """The bodies a joint name lists, as printed: split at 、 and at a 和/及/暨/与 that ends a whole body."""
    parts: list[str] = []
    for piece in name.split("、"):
        while True:
            m = _JOINT.fullmatch(piece) or _JOINT_GOV.fullmatch(piece)
            if not m or not _ORG_END.search(m.group(2)):
                break
            parts.append(m.group(1))
            piece = m.group(2)
        parts.append(piece)
    return parts


def joint_bodies(name: str) -> list[str]:
    """Each body a joint report's agency names (A、B, A和B, A及B, A暨B, A与B), a later one with the
    first one's place when it is printed without its own (崇义县人民政府及县政府办公室 -> 崇义县人民政府,
    崇义县政府办公室; 伊吾县人民政府及其办公室 -> …, 伊吾县人民政府办公室).  A single body's name is
    itself, a 和 inside it included (住房和城乡建设局, 人力资源和社会保障局, 发展和改革委员会).  The record
    names a joint report by both bodies as printed; this is how its completeness row finds each."""
    parts = _joint_parts(name)
    if len(parts) < 2:
        return [name]
    first = parts[0]
    lead = _LEADING_PLACE.match(first)
    place = lead.group(1) if lead else ""
    out = [first]
    for second in parts[1:]:
        if second.startswith("其"):  # 及其办公室: the first body's own office
            out.append(first + second[1:])
        elif place and (kind := next((k for k in _PLACE_KINDS if second.startswith(k) and place.endswith(k)), None)):
            out.append(place + second[len(kind):])  # 县政府办公室, 自治区大数据中心: the first's place
        elif not place or second.startswith(place) or PLACED_BODY.match(second):
            out.append(second)
        else:
            out.append(place + second)  # 政府办公室, 体育局
    return out


# The second body of a joint report printed after a space: its own place (or 国家/中国) first, then at
# least two more characters, so "XX市人民政府 办公室" (a space a PDF put inside one name) stays one body.
# A place's name runs to 14 characters before its 县/州/旗 (双江拉祜族佤族布朗族傣族自治县, 积石山保安族
# 东乡族撒拉族自治县; 察布查尔锡伯自治县, 克孜勒苏柯尔克孜自治州 and 莫力达瓦达斡尔族自治旗 are 8–10).
PLACED_BODY = re.compile(r"^(?:[\u3400-\u9fff]{0,14}?(?:省|自治区|市|自治州|州|盟|县|区|旗)|国家|中国|国务院)[\u3400-\u9fff]{2}")


def _spaced_pair(title: str) -> str:
    """The title without its whitespace; two whole bodies set apart by a space before the year ("XX市
    人民政府办公室 XX市大数据发展管理局2019年…", a joint report) joined by 、 as a title listing them with
    、 is, not glued into a name no body has (letter-spaced titles split into single characters)."""
    pieces = title.split()
    if len(pieces) == 2 and len(pieces[0]) >= 4 and _ORG_END.search(pieces[0]) and PLACED_BODY.match(pieces[1]):
        m = _YEAR_RE.search(pieces[1])
        second = pieces[1][: m.start()] if m else ""
        if len(second) >= 4 and (_ORG_END.search(second) or _OTHER_BODY_END.search(second)):
            return "、".join(pieces)
    return "".join(pieces)


_PUBLISHING_VERB = re.compile(r"^(?:公开)?(?:公布|发布)?[《“\"]?")


def agency_from_title(title: str) -> str | None:
    """The body as named in the title, without the year and the '政府信息公开…报告' part: printed before
    the report's name, else after it ("…年度报告—水利部", parsers.titlebody, as crawler.classify
    reads the same title); a column's name before a colon ("政府信息公开年报：…") is no part of it."""
    t = _EDITION_MARK.sub("", _spaced_pair(title).strip('#*《》<>“”"'))
    end = column_label_end(t)
    if end and _REPORT_NAMED.search(t[end:]):
        t = t[end:]
    return _named_before(t) or _named_after(t)


# the report's own name after a column's label ("政府信息公开年报：XX区人民政府2023年…")
_REPORT_NAMED = re.compile(r"(?:政府信息|政务|信息)公开.{0,12}?(?:报告|年报)")
# a year (with its brackets, 年/年度) in what follows the report's name: "…年度报告（2023年）（XX局）"
_TAIL_YEAR = re.compile(r"[(\[〔【（]?(?<!\d)(?:19|20)\d\d(?!\d)(?:年度|年)?[)\]〕】）]?")


def _named_after(t: str) -> str | None:
    """The body named only after the report's name (parsers.titlebody.body_after_report)."""
    tail = re.search(r"(?:报告|年报)(.*)$", t)
    name = body_after_report(_TAIL_YEAR.sub("", tail.group(1))) if tail else None
    if not name:
        return None
    name = first_name(_trimmed(name))
    if not 3 <= len(name) <= 40 or name in _GENERIC_NAMES or _NOT_AGENCY.search(name):
        return None
    return name


def _named_before(t: str) -> str | None:
    """The body printed before (or around) the year and the report's name."""
    # "百色市2022-2023年度…": every year of a span is no part of the name before or after it
    span = title_year_span(t)
    name = t[: span[0]] if span and span[0] > 0 else None
    if name and "关于" in name:
        # "济宁市人民政府办公室关于曲阜市人民政府2023年…的公告": the report is the body after 关于 (and
        # after the notice's verb, "关于公布《XX局…"); "XX县人民政府关于发布2023年…的公告" publishes the
        # issuer's own report, as the classifier reads it (crawler.classify._judge_publishing_notice)
        issuer, after = name.rsplit("关于", 1)
        after = _PUBLISHING_VERB.sub("", after)
        # "灵璧县人民政府办公室关于2024年度灵璧县政府信息公开…": the body printed after the year is the report's
        named = re.match(r"(.+)政府信息公开", t[span[1]:].lstrip("度")) if not after else None
        if len(after) >= 2:
            name = after
        elif (named and len(named.group(1)) >= 2 and not _NOT_AGENCY.search(named.group(1))
              and named.group(1) not in _GENERIC_NAMES and not named.group(1).startswith(("本", "我", "全"))):
            name = named.group(1)
        elif not after and len(issuer) >= 2:
            name = issuer
    if name is None or _NOT_AGENCY.search(name):
        rest = t[: span[0]] + t[span[1] :].lstrip("度") if span else t
        # greedy: 聊城市人民政府政府信息公开… ends before the LAST 政府信息公开
        m2 = re.match(r"(.+)政府信息公开", rest) or re.match(
            r"(.+?)(?:政务公开|信息公开|年度报告|工作报告)", rest
        )
        name = m2.group(1) if m2 else ""
    name = _trimmed(re.sub(r"(?:关于|的)$", "", name))
    name = first_name(name)
    # a joint report (崇义县人民政府及县政府办公室, XX区委办公室和区政府办公室, A、B) is both bodies' as the
    # title prints them, as crawler.classify names it: `joint_bodies` gives each body
    # "郸城县2021年政府信息公开工作年度报告" is the county government's report (as crawler.classify names it)
    name = government_of(name)
    # a joint pair (A、B, A和B) is two names, each held to one name's length: two long autonomous
    # counties' offices run past 40 characters together
    longest = max(len(part) for part in _joint_parts(name))
    if not 3 <= len(name) or longest > 40 or name in _GENERIC_NAMES or _NOT_AGENCY.search(name):
        return None
    return name


# a listing's row: a title followed by its posting date (a column page, a related-articles list)
_LISTED = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\]?$")
# a heading alone over a portal's list of other articles: the titles under it are not this document's
_LIST_HEADER = re.compile(r"^(?:相关(?:阅读|文章|链接|推荐|信息|新闻|稿件)|推荐阅读|猜你喜欢|热点(?:文章|新闻)|最新(?:文章|信息)"
                          r"|友情链接)\s*[:：]?$")


def find_title(lines: list[str]) -> tuple[str | None, int | None]:
    """(title, index of its last line) among the first lines of the document."""
    seen = 0
    fallback: tuple[str, int] | None = None
    for i, raw in enumerate(lines):
        s = raw.strip().lstrip("#").strip()
        if not s:
            continue
        seen += 1
        if seen > 40 or _LIST_HEADER.match(s):
            break
        if _NOT_TITLE.match(s) or _FURNITURE.match(s):
            continue
        if len(s) > 70:  # a paragraph, unless its text starts with the title (a PDF with no line breaks)
            head = _title_ahead(s)
            if head:
                return head, i
            continue
        if not _REPORT_WORDS.search(s):
            # broken inside 报告 itself: …工作年度报 / 告
            nxt = next((ln.strip() for ln in lines[i + 1 : i + 2] if ln.strip()), "")
            joined = s + nxt
            if 0 < len(nxt) <= 3 and _REPORT_WORDS.search(joined) and "公开" in s and agency_from_title(joined):
                return joined, i + 1
            continue
        if _LISTED.search(s):
            continue
        if agency_from_title(s) and ("公开" in s or "年报" in s):
            return s, i
        # title broken over two lines: 聊城市公安局 2024 年度政府 / 信息公开工作报告
        for j in range(i - 1, max(-1, i - 4), -1):
            prev = lines[j].strip().lstrip("#").strip()
            if prev:
                if len(prev) <= 40 and not prev.endswith(("。", "；", "：")):
                    joined = prev + s
                    if agency_from_title(joined):
                        return joined, i
                break
        if fallback is None and "公开" in s and not _CRUMB.search(s):
            fallback = (s, i)
    return fallback or (None, None)


_TITLE_END = re.compile(r"(?:年度报告|工作报告|年报)")


def _title_ahead(line: str) -> str | None:
    """The title a long line starts with (a PDF printed as one line: title, narrative and tables run
    together): the text up to its first 年度报告/年报 within 40 characters, when that names an agency
    and 公开 and holds no sentence punctuation."""
    m = _TITLE_END.search(line, 0, 40)
    if not m:
        return None
    head = line[: m.end()].strip()
    if re.search(r"[，。；：,;]", head) or not ("公开" in head or "年报" in head) or _LISTED.search(head):
        return None
    return head if agency_from_title(head) else None


# a title that names the document an annual disclosure report (not the 通知 on compiling one)
_REPORT_KIND = re.compile(r"(?:信息公开|政务公开)[^，。；]{0,10}?(?:报告|年报)|年报")
_ABOUT_REPORT = re.compile(r"编制|报送|发布|通知|要点|方案|考核|通报|评估|评议|指南|检查|目录|汇总表|[，。；]")
# Items published beside a report that are not the report: its 解读, 图解, 一图读懂, H5, video, news of
# its release; a 图文版 is the report itself laid out with pictures (its 图文解读 is not): DERIVATIVE,
# in parsers/titlebody.py.  crawler.classify judges listing titles by the same words.
# A 2-in-1 item carries the report and its 解读 rides along: "…年度报告及解读", "…报告和图解",
# "…报告（附解读）", "…报告及一图读懂" (the reverse, "…报告解读及图解", is the 解读).
TWO_IN_ONE = re.compile(
    r"(报告|年报)[(\[【]?(?:附|及|和|与|暨|并附?|含)(?:其|相关|政策|文字|图文)?(?:解读|图解|一图(?:读|看)懂|h5)[)\]】]?$",
    re.I,
)
# Words of a derivative that no body's name holds, whatever stands before them ("一张图读懂XX区…",
# "三分钟看懂XX县…"): 新闻 may be a 新闻办公室's, 读懂/看懂/图解 only the item's own.
NEVER_IN_NAME = re.compile(r"读懂|看懂|一图|一张图|图解")


def mentions_report(title: str | None) -> bool:
    """Whether the title names a 政府信息公开(工作)年度报告/年报, the report itself or an item about it
    (its 解读, 一图读懂): a line of a portal's list of such titles is another article's."""
    if not title:
        return False
    t = "".join(title.split())
    ends = [m.end() for m in _REPORT_KIND.finditer(t)]
    return bool(ends) and not _ABOUT_REPORT.search(t[ends[-1]:]) and not t.startswith("关于做好")


def names_derivative(title: str) -> bool:
    """Whether the title names an item published beside the report (一张图读懂…年度报告, 关于《…年度报告》
    的政策解读, …年度报告（图解）) rather than the report; a derivative's word inside the body's name
    (县政府新闻办公室) is the name's, and a 2-in-1 "…报告及解读" carries the report."""
    t = TWO_IN_ONE.sub(r"\1", _PICTURE_BADGE.sub("", unicodedata.normalize("NFKC", "".join(title.split()))))
    if NEVER_IN_NAME.search(t):
        return True
    hits = list(DERIVATIVE.finditer(t))
    if not hits:
        return False
    agency = agency_from_title(t)
    at = t.find(agency) if agency and _ORG_END.search(agency) else -1

    def in_name(h: re.Match) -> bool:  # the name's own characters before the word, more after it
        return 0 <= at < h.start() and h.end() < at + len(agency) and bool(_NAME_HEAD.search(t[at:h.start()]))

    return not all(in_name(h) for h in hits)


# a listing's badge saying the article carries pictures ("[图文]", "【图片】"): no derivative's word
_PICTURE_BADGE = re.compile(r"^[\[【](?:组?图|图文|图片|多图)[\]】]|[\[【](?:组?图|图文|图片|多图)[\]】]$")
# what precedes a word inside a body's name: the name's own characters, no badge or label before it
_NAME_HEAD = re.compile(r"^[^\[\]【】:：]*[\u3400-\u9fff]{2}[(（]?$")
# one link naming several attachments ("附件1：….pdf；附件2：…解读.pdf") carries each of them
_FILES = re.compile(r"\.(?:pdf|docx?|wps|ofd|xlsx?)$", re.I)


def names_report(title: str | None) -> bool:
    """Whether the title calls the document a 政府信息公开(工作)年度报告/年报: one about such reports
    (编制和发布工作的通知, a 考核通报), an item published beside one (解读, 一图读懂) or another kind of
    report (法治政府建设, 网站年度报表) is not one.  crawler.classify refuses the same derivatives."""
    parts = [p.strip() for p in re.split(r"[;；]", title or "") if p.strip()]
    if len(parts) > 1 and all(_FILES.search(p) for p in parts):
        return any(names_report(p) for p in parts)
    return mentions_report(title) and not names_derivative(title or "")


# ---- region / level / kind -----------------------------------------------------------------------


def _fits(d: Division, nxt: str, weak: bool, province: Division | None, prefecture: Division | None) -> bool:
    """Whether `d` can be the next, lower place in a name that began with `province`/`prefecture`."""
    if weak and nxt in _PLACE_NEXT:
        return False
    if prefecture is not None:
        return d.rank == COUNTY and d.prefecture == prefecture.name
    if province is not None:
        return d.rank > PROVINCE and d.province == province.name
    return True


def _places(
    a: str, pos: int, year: int | None = None
) -> tuple[Division | None, Division | None, list[Division], int, int]:
    """(province, prefecture, county candidates, end, start of the last place) printed from `pos` on.

    Longest printed name first at each step (黄山区 before 黄山, 吉林市 before 吉林); a county name
    may fit several counties (朝阳区 of 北京 and of 长春) and all are returned.  A name no current
    division fits is looked up among the former ones (蓟县, 莱芜市); a current name that meant a
    higher unit in the report's `year` is taken as that unit (巢湖市 in 2010: the prefecture).
    """
    province = prefecture = None
    counties: list[Division] = []
    last = pos
    while not counties:
        found: list[Division] = []
        for key, forms in forms_at(a, pos):
            nxt = a[pos + len(key) : pos + len(key) + 1]
            found = [f.division for f in forms if _fits(f.division, nxt, f.weak, province, prefecture)]
            if found:
                top = min(d.rank for d in found)
                older = [f.division for f in FORMER.get(key, ()) if year is not None and year < f.until
                         and f.division.rank < top and _fits(f.division, nxt, False, province, prefecture)]
                found = older or found
                break
        for name, formers in former_at(a, pos) if found else ():
            # a former name longer than the current one printed in it (日喀则地区 is not 日喀则市's 地区)
            longer = [f.division for f in formers if len(name) > len(key) and _fits(f.division, "", False, province, prefecture)]
            if longer:
                found, key = longer, name
                break
        if not found:
            for name, formers in former_at(a, pos):
                found = [f.division for f in formers if _fits(f.division, "", False, province, prefecture)]
                if found:
                    key = name
                    break
        if not found:
            break
        rank = min(d.rank for d in found)
        found = list({d.code: d for d in found if d.rank == rank}.values())
        last, pos = pos, pos + len(key)
        if rank == PROVINCE:
            province = found[0]
        elif rank == PREFECTURE:
            prefecture = found[0]
        else:
            counties = found
    return province, prefecture, counties, pos, last


def _branch_county(rest: str, parent: str) -> Division | None:
    """The district a city bureau's 分局 serves: 聊城市公安局东昌府分局 -> 东昌府区."""
    i = rest.find("分局")
    while i > 0:
        for k in range(min(i, 12), 1, -1):
            name = rest[i - k : i]
            cands = [d for d in COUNTY_STEMS.get(name, []) + by_name(name) if d.rank == COUNTY and d.parent == parent]
            if cands:
                return cands[0]
        i = rest.find("分局", i + 2)
    return None


def _parent_names(d: Division, weak: bool = True) -> list[str]:
    return [n for p in by_name(d.parent or "") if p.rank < COUNTY for n in printed_names(p, weak=weak)]


def _resolve(candidates: list[Division], text: str) -> list[Division]:
    """The candidates the report's own text points at: one, several, or all when it does not say.

    First the parent printed right before the name (徐州市鼓楼区 in an address), else the parent
    (徐州市), else the province named anywhere (signature, 主办, narrative).  The first of these
    that names any candidate decides; naming two leaves both.
    """
    if not text:
        return candidates
    tests = (
        lambda d: any(p + n in text for p in _parent_names(d) for n in printed_names(d)),
        lambda d: any(p in text for p in _parent_names(d, weak=False)),
        lambda d: d.province in text,
    )
    for named in tests:
        hits = [d for d in candidates if named(d)]
        if hits:
            return hits
    return candidates


# a vertically managed body's local office, named after the place it sits (肇东调查队, 满洲里海关, 拱北海关)
_VERTICAL_OFFICE = re.compile(r"调查队|海关|税务局|海事局|气象局|邮政管理局|烟草专卖局|监管分局|边防检查站")
# 新疆生产建设兵团 and its 师 (prefecture level, 师市合一): no division, but a government of its own
_CORPS = re.compile(r"^(?:新疆)?(?:生产建设)?兵团(第[一二三四五六七八九十]{1,3}师)?")
_CORPS_GOV = re.compile(r"兵团(?:第[一二三四五六七八九十]{1,3}师(?:" + _HAN + r"{2,6}市)?)?$")  # 第八师石河子市: 师市合一
_ADDRESS = re.compile(r"(?:地址|住址|通讯地址|联系地址)\s*[:：]\s*")


def _office_seat(a: str, start: int, text: str, year: int | None) -> tuple[Division, int] | None:
    """A county-level place printed without 市/县 before a vertical body's office (肇东 in 国家统计局
    肇东调查队, 满洲里 in 满洲里海关), when the short name fits one county only.

    A 调查队 is named after the county it surveys.  Other offices are often named after a sea, a
    port or an old name that is also a district's or county's (东海海事局 is no office of 东海县, 黄埔
    海关 none of 广州黄埔区, 南海海事局 none of 佛山南海区): for them the contact address printed in the
    report must lie in that place's city, or, with no address, the place be a county-level city
    (昆山海关, 满洲里海关: named after the city they sit in)."""
    for k in range(6, 1, -1):
        m = _VERTICAL_OFFICE.match(a, start + k)
        if m:
            cands = COUNTY_STEMS.get(a[start : start + k], [])
            if len(cands) != 1:
                continue
            if m.group(0) != "调查队":
                _, city = _address_city(text, year)
                if city != cands[0].prefecture if city else not cands[0].name.endswith("市"):
                    continue
            return cands[0], start + k
    return None


def _town_seat(town: str, text: str, year: int | None) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) of a township the title names bare (江湾镇), from the place its own
    text prints right before its name (地址：江西省上饶市婺源县江湾镇; 北京市海淀区中关村南路), else
    from the county it names as its superior (`_superior_county`)."""
    names = [town] + [town[: -len(x)] for x in ("街道", "镇", "乡", "苏木") if town.endswith(x) and len(town) - len(x) >= 2]
    for name in names:
        i = text.find(name)
        while i >= 0:
            for j in range(max(0, i - 24), i):
                province, prefecture, counties, end, _ = _places(text, j, year)
                if end != i or not (province or prefecture or counties):
                    continue
                if len(counties) > 1:
                    counties = _resolve(counties, text)
                if len(counties) == 1:
                    return counties[0].province, counties[0].prefecture, counties[0].name
                if not counties:
                    return (prefecture or province).province, prefecture.name if prefecture else None, None
            i = text.find(name, i + 1)
    return _superior_county(text, year)


# a county's party committee and government named together as the ones a township works under
# ("在德清县委、县政府的正确领导下", "区委区政府"): the county printed right before the 委
_SUPERIOR = re.compile(r"(?:委|党委)[、，,]?(?:和|及)?(?:县|区|市|旗)(?:人民)?政府")


def _superior_county(text: str, year: int | None) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) of the one county a township's own text names as its superior body
    (德清县委、县政府), when no other county or prefecture is named so (a city's 市委、市政府 must be that
    county's own city).  A place mentioned otherwise (a visit, a neighbour) says nothing."""
    counties: dict[str, Division] = {}
    cities: set[str] = set()
    for m in _SUPERIOR.finditer(text):
        for j in range(max(0, m.start() - 24), m.start()):
            _, prefecture, found, end, _ = _places(text, j, year)
            if end != m.start() or not (prefecture or found):
                continue
            if len(found) > 1:
                found = _resolve(found, text)
            if len(found) > 1:
                return None, None, None  # 朝阳区委: of 北京 or of 长春, the text does not say
            if found:
                counties[found[0].code] = found[0]
            else:
                cities.add(prefecture.name)
            break
    if len(counties) != 1:
        return None, None, None
    county = next(iter(counties.values()))
    if cities - {county.prefecture}:
        return None, None, None
    return county.province, county.prefecture, county.name


def _address_city(text: str, year: int | None) -> tuple[str | None, str | None]:
    """(province, city) of the contact address printed in the report: where a body whose name holds
    no place sits (拱北海关, 地址：珠海市香洲区…).  The district of the address is not the body's."""
    for m in _ADDRESS.finditer(text):
        province, prefecture, counties, _, _ = _places(text, m.end(), year)
        if len(counties) > 1:
            counties = _resolve(counties, text)
        if len(counties) == 1:
            return counties[0].province, counties[0].prefecture
        if prefecture or province:
            return (prefecture or province).province, prefecture.name if prefecture else None
    return None, None


# the portal's own name at the top of a page (德清县人民政府门户网站, 佛山市顺德区人民政府网)
_SITE_NAME = re.compile(r"^(" + _HAN + r"{2,16}?)(?:人民政府|政府)(?:门户网站|网站|网)?$")
_OWNER = re.compile(r"(?:主办单位|主办|网站主办|地址|通讯地址|联系地址)\s*[:：]\s*")


def _portal_seat(lines: Sequence[str], year: int | None) -> Division | None:
    """The county whose portal the page is (its site name, 主办单位, footer 地址), when every one of
    them that names a place names that county: a township's report on its county's portal often
    names the township alone (莫干山镇).  The portal's owner places; it never becomes the agency."""
    texts = [m.group(1) for s in lines[:3] for m in [_SITE_NAME.match("".join(s.split()))] if m]
    for s in list(lines[:40]) + list(lines[-10:]):
        flat = "".join(s.split())
        texts += [flat[m.end():] for m in _OWNER.finditer(flat)]
    seats: set[Division] = set()
    cities: set[str] = set()
    for t in texts:
        province, prefecture, counties, _, _ = _places(t, 0, year)
        if len(counties) > 1:
            counties = _resolve(counties, "\n".join(lines))
        if len(counties) == 1:
            seats.add(counties[0])
        elif len(counties) > 1:
            return None  # a county name of several places the page does not resolve
        if prefecture:
            cities.add(prefecture.name)
    if len(seats) != 1:
        return None
    seat = next(iter(seats))
    return seat if cities <= {seat.prefecture} else None


def _prefecture_at(a: str, pos: int, province: str) -> str | None:
    """The prefecture of `province` whose name is printed at `pos` (成都 in 天府新区成都管理委员会)."""
    for key, forms in forms_at(a, pos):
        nxt = a[pos + len(key) : pos + len(key) + 1]
        for f in forms:
            d = f.division
            if d.rank == PREFECTURE and d.province == province and not (f.weak and nxt in _PLACE_NEXT):
                return d.name
    return None


# 中国（上海）自由贸易试验区…, 中国(广东)自贸区…, 中国（海南）自由贸易港: a free trade zone of the province in brackets,
# not a central body
_FREE_TRADE = re.compile(r"^中国[（(](" + _HAN + r"{2,8}?)[）)](?:自由贸易试验区|自贸试验区|自由贸易区|自贸区|自由贸易港)")


def _free_trade_zone(a: str) -> dict[str, Any] | None:
    """The place of a 自由贸易试验区's body: the zone is the province's (its name prints the province in
    brackets after 中国, which makes no central body of it), and an area (片区) named after a city of
    the province lies in that city (深圳前海蛇口片区, 成都天府新区片区); the area is no county."""
    m = _FREE_TRADE.match(a)
    if not m:
        return None
    provinces = {f.division.name for f in FORMS.get(m.group(1), ()) if f.division.rank == PROVINCE}
    if len(provinces) != 1:
        return None
    province = provinces.pop()
    city = None if province in MUNICIPALITIES else _prefecture_at(a, m.end(), province)
    return {"province": province, "city": city, "county": None, "town": None}


def region_of(agency: str, context: Sequence[str] | str = (), year: int | None = None) -> dict[str, Any]:
    """Province, city (prefecture), county and town of the body the name speaks of.

    Matched against the national division list from the start of the name, so a county-level city
    or a county gives its prefecture and province; a central body's local office (国家税务总局
    聊城市税务局) is placed where it sits.  A county name found in several places is resolved from
    `context` (the report's lines: address, signature, narrative) or its city left null.
    """
    a = "".join(agency.split())
    free_trade = _free_trade_zone(a)
    if free_trade:
        return free_trade
    starts = [2] if a.startswith("中共") else [0]  # 中共聊城市委办公室: the party committee of 聊城市
    if _NATIONAL.match(a):
        starts = [m.end() for m in _BODY_END.finditer(a)]
    province = prefecture = None
    counties: list[Division] = []
    pos = last = 0
    for start in starts:
        province, prefecture, counties, pos, last = _places(a, start, year)
        if province or prefecture or counties:
            break
    for start in starts if not (province or prefecture or counties) else ():
        seat = _office_seat(a, start, context if isinstance(context, str) else "\n".join(context), year)
        if seat:
            counties, pos, last = [seat[0]], seat[1], start
            break
    national = _NATIONAL.match(a) is not None
    if national and not (province or prefecture or counties):
        return {"province": None, "city": None, "county": None, "town": None}
    parent = prefecture.name if prefecture else province.name if province else None
    if not counties and parent and (prefecture or parent in MUNICIPALITIES):
        branch = _branch_county(a[pos:], parent)
        if branch:
            counties = [branch]
    if len(counties) > 1:
        text = context if isinstance(context, str) else "\n".join(context)
        counties = _resolve(counties, text)
    county = city = town = None
    prov_name = province.name if province else None
    if prefecture:
        city, prov_name = prefecture.name, prefecture.province
    if counties:
        county = counties[0].name
        if len(counties) == 1:
            city = counties[0].prefecture
            prov_name = counties[0].province
        elif len({d.province for d in counties}) == 1:
            prov_name = counties[0].province  # every 铁西区 of the candidates lies in one province
    elif not national:
        if prov_name is None or prov_name not in MUNICIPALITIES:
            if city is None:
                m = _CITY_GENERIC.match(a, pos)
                if m and not _COUNTY_GENERIC.fullmatch(m.group(0)) and not _ORG_CHARS.search(m.group(0)):
                    city, pos = m.group(0), m.end()
        zone = _ZONE_NAME.match(a, pos)
        if zone and (prefecture or province):
            # 郑州高新技术产业开发区 is named with its city; 珠海市横琴新区 is 横琴新区 of 珠海市
            county = a[pos if a[last:pos] == (prefecture or province).name else last : zone.end()]
        else:
            m = _COUNTY_GENERIC.match(a, pos) or (_COUNTY_CITY_GENERIC.match(a, pos) if city else None)
            if m and not m.group(0).startswith(("市", "区", "县")) and not _ORG_CHARS.search(m.group(0)):
                county, pos = m.group(0), m.end()
    zone = zone_named(county) if county and not national else None
    if zone:
        # 两江新区, 河北雄安新区: a national new area, placed by the list of them
        county, prov_name, city = zone.name, zone.province, zone.prefecture
        # 四川天府新区成都管理委员会: the area's part in one city, printed after its name
        city = city or _prefecture_at(a, a.find(zone.name) + len(zone.name), zone.province)
    corps = _CORPS.match(a)
    if corps:
        prov_name, city = "新疆维吾尔自治区", corps.group(1) or city
    if county and not national:
        m = _GOV_BETWEEN.match(a, pos)
        pos = m.end() if m and m.end() < len(a) else pos
    m = _TOWN.match(a, pos)
    if m and "乡镇" not in m.group(0):
        town = m.group(0)
    seat = None if national or prov_name or city else seat_named(a)
    if seat:
        # 平潭综合实验区, 杨凌示范区 (zones a province runs), 拱北海关 (a 直属海关 named after a port)
        prov_name, city = seat.province, seat.prefecture or _prefecture_at(a, len(seat.name), seat.province)
        county = seat.name if seat.kind == "zone" else None
    if not (national or _CENTRAL.match(a) or prov_name or city or county) and context:
        text = context if isinstance(context, str) else "\n".join(context)
        if town:
            prov_name, city, county = _town_seat(town, text, year)
            seat = None if prov_name else _portal_seat(text.splitlines(), year)
            if seat:
                prov_name, city, county = seat.province, seat.prefecture, seat.name
        elif _VERTICAL_OFFICE.search(a):
            prov_name, city = _address_city(text, year)
    return {"province": prov_name, "city": city, "county": county, "town": town}


def level_and_kind(agency: str, region: dict[str, Any]) -> tuple[str | None, str]:
    """(国家/省/市/县区/乡镇街道, government/department) of a body from its name and place.

    A 开发区/新区 管委会 is the zone's government and reports beside the districts (县区); a joint report
    is a government's when one of its bodies is a government.
    """
    a = "".join(agency.split())
    # a joint report that is a government's own (崇义县人民政府及县政府办公室) is a government's
    governs = [b for b in joint_bodies(a) if _GOV_SUFFIX.search(b) or _ZONE_GOV.search(b) or _CORPS_GOV.search(b)]
    kind = "government" if governs else "department"
    if region.get("town"):
        level = "乡镇街道"
    elif region.get("county"):
        level = "县区"
    elif region.get("city"):
        level = "市"
    elif region.get("province"):
        level = "省"
    elif _NATIONAL.match(a) or _CENTRAL.match(a):
        level = "国家"
    else:
        level = None
    return level, kind


# ---- the signed end of the report and what is attached after it ------------------------------------
# Until 2018 the national 政府信息公开情况统计表 was printed after the signature as an 附件: the closing
# date is then no longer at the end of the text, and the last section must not run on into the table.
_APPENDIX = re.compile(r"^(?:附件|附表)[0-9０-９一二三四五六七八九十]{0,2}(?:[：:．.、]|$)|^附[：:]")
_NAMES_TABLE = re.compile(r"统计表|情况表|报表|表$")
# a narrative section's heading (五、存在的主要问题… / 其他需要报告的事项): a short line, however numbered
_NARRATIVE_HEADING = re.compile(r"^[^。\t|]{0,16}(?:问题|改进措施|改进情况|其[他它]需要?(?:报告|说明)|需要(?:报告|说明)的)[^。\t|]{0,14}$")
_SENTENCE_PUNCT = re.compile(r"[。，；：,;:]")


def closing_line(s: str) -> bool:
    """A signature line: the body's name, or the closing date, alone on its line."""
    return len(s) <= 24 and (
        parse_date(s) is not None or (len(s) >= 3 and not _SENTENCE_PUNCT.search(s) and bool(_ORG_END.search(s)))
    )


# (lines, what _scan found in them) of the last scan: find_published, signature, closing_name and
# sections.attached_lines all ask about the same lines in one parse.  Compared by content, so a
# changed or different text is scanned afresh.
_last_scan: tuple[list[str], tuple[int | None, range | None]] | None = None
# an item of an attachment list under 附件：… ("2.各镇街年报汇总", "（2）…", "附件2：…")
_HEADING_START = re.compile(r"^第?[一二三四五六七八九十]{1,3}[、.．]|^[（(][一二三四五六七八九十]{1,3}[)）]")
_LIST_ITEM = re.compile(r"^(?:[0-9０-９]{1,2}\s*[.．、]|[（(][0-9０-９一二三四五六七八九十]{1,2}[)）]|附件\s*[0-9０-９]{1,2})")


def appendix_start(lines: list[str]) -> int | None:
    """Index of the first line attached after the signed report (附件：…统计表), or None.

    An 附件/附表 heading counts when the signature or closing date stands right above it or it names
    a table; a table title (…统计表) counts right below a closing date.  Never where a narrative
    section (问题, 其他需要报告) follows: that is an attachment list inside the report.  An 附件 list
    printed above the signature (附件：1.…统计表 2.… / body / date) only names what is attached: the
    report ends at its closing date, and what follows that date (if anything) is the attachment.
    """
    return _scanned(lines)[0]


def annex_list(lines: list[str]) -> range | None:
    """The lines of an 附件 list printed between the last section and the signature (附件：1.… 2.…):
    not narrative, and not the end of the report (`appendix_start`)."""
    return _scanned(lines)[1]


def _scanned(lines: list[str]) -> tuple[int | None, range | None]:
    global _last_scan
    last = _last_scan
    if last is not None and last[0] == lines:
        return last[1]
    found = _appendix_start(lines)
    _last_scan = (list(lines), found)
    return found


def _appendix_start(lines: list[str]) -> tuple[int | None, range | None]:
    prev_line = ""  # the last nonblank line, squeezed only when a candidate line needs it
    for i, raw in enumerate(lines):
        if "附" not in raw and "表" not in raw:
            if raw.strip():
                prev_line = raw
            continue
        s = "".join(raw.split())
        if not s:
            continue
        prev = "".join(prev_line.split())
        if len(s) <= 60 and "。" not in s and "\t" not in raw and "|" not in raw:
            if _APPENDIX.match(s) and not closing_line(prev):
                signed = _signed_below(lines, i)
                if signed is not None:
                    listed, after = signed
                    return after, listed
                # 附件：…统计表 and a few sentences of the report's own, then its signature: a line of the
                # report naming what is attached (which, if printed, follows the closing date)
                signed = _signed_below(lines, i, _SENTENCES_BEFORE_SIGNATURE)
                if signed is not None:
                    return signed[1], None
            heading = _APPENDIX.match(s) and (closing_line(prev) or _NAMES_TABLE.search(s))
            title = "统计表" in s and parse_date(prev) is not None and len(prev) <= 24
            if (heading or title) and not any(
                "\t" not in x and _NARRATIVE_HEADING.match("".join(x.split())) for x in lines[i + 1 :]
            ):
                return i, None
        prev_line = s
    return None, None


_SENTENCES_BEFORE_SIGNATURE = 6  # lines after an 附件 line (more: an attached text of its own)
_SENTENCE_END = re.compile(r"[。！？；!?;]$")


def _signed_below(lines: list[str], i: int, sentences: int = 0) -> tuple[range, int | None] | None:
    """(the list's lines, the first line after the closing date or None) when the 附件 heading at
    line i opens a list that the signature block follows (body name and/or closing date, a date
    among them); None when anything else follows the list (a table, a paragraph, a section), or more
    than ``sentences`` lines of the report's own before the signature (`_signature_from`)."""
    j, n, wrapped = i + 1, len(lines), False
    while j < n:  # the list: numbered items, and a short piece of an item wrapped onto the next line
        s = "".join(lines[j].split())
        if s:
            if closing_line(s) or "\t" in lines[j] or "|" in lines[j] or len(s) > 60 or "。" in s[:-1]:
                break
            if _LIST_ITEM.match(s):
                wrapped = False
            elif wrapped or len(s) > 20 or _SENTENCE_PUNCT.search(s) or _HEADING_START.match(s):
                break
            else:
                wrapped = True
        j += 1
    after = _signature_from(lines, j, sentences)
    return None if after is None else (range(i, j), after if after < n else None)


def _signature_from(lines: list[str], j: int, sentences: int = 0) -> int | None:
    """Where what follows the signature block starting at line j begins (len(lines) when nothing
    does), the block being the body's name and/or the closing date, a date among them; None when
    line j starts no such block.  ``sentences``: how many lines of the report's own last words may
    come first (本报告电子版可在…下载。 / 特此报告。 / 联系电话：…); a table's rows or cells, a
    heading or a list item never do."""
    n, open_sentence = len(lines), False
    while j < n:
        s = "".join(lines[j].split())
        if s:
            if closing_line(s):
                break
            if (not sentences or "\t" in lines[j] or "|" in lines[j] or _HEADING_START.match(s)
                    or _LIST_ITEM.match(s) or _APPENDIX.match(s)
                    or not (_SENTENCE_PUNCT.search(s) or open_sentence)):  # (or a sentence's wrapped end)
                return None
            sentences -= 1
            open_sentence = not _SENTENCE_END.search(s)
        j += 1
    block, dated = 0, False
    while j < n and block < 3:
        s = "".join(lines[j].split())
        if s:
            if not closing_line(s):
                break
            block += 1
            dated = dated or parse_date(s) is not None
        j += 1
    if not block or not dated:
        return None
    while j < n and not lines[j].strip():
        j += 1
    return j


def signed_part(lines: list[str]) -> list[str]:
    """The report up to its signature: without what is attached after it."""
    end = appendix_start(lines)
    return lines if end is None else lines[:end]


def posted_date(lines: list[str]) -> str | None:
    """The date a page labels as its posting (发布时间：2025-03-16, 发布日期, 公开日期) near its top: a
    portal's info line.  Only the date printed right after the label (one info line may also carry a
    成文日期 or a visit count); None when the text prints none, as a report file's own text seldom does.
    The archive gives a file this date from the article page that carries it (archive/reparse.py)."""
    for s in lines[:60]:
        if "日期" not in s and "时间" not in s:  # (what every label ends with: most lines skip the regex)
            continue
        for m in _POSTED_LABEL.finditer(s):
            found = _DATE_RE.match(s, m.end()) or _ISO_DATE_RE.match(s.translate(_FULL_WIDTH), m.end())
            if found:
                return parse_date(found.group(0))
    return None


def find_published(lines: list[str]) -> str | None:
    """Publication date: the page's labelled posting date (`posted_date`), else another labelled
    date (成文日期), else a date standing alone near the end or start (the end of the signed report:
    an attached 统计表 comes after the closing date)."""
    posted = posted_date(lines)
    if posted:
        return posted
    for s in lines[:60]:
        if _PUBLISHED_LABEL.search(s):
            d = parse_date(s)
            if d:
                return d
    signed = signed_date(lines)
    if signed:
        return signed
    return _date_alone(_signed_lines(lines)[:8])


def signed_date(lines: list[str]) -> str | None:
    """The date the report is signed with: a date standing alone near the end of the signed report
    (the body's own date, printed in every copy; a page's 发布时间 is the portal's posting time)."""
    return _date_alone(reversed(_signed_lines(lines)[-12:]))


def _signed_lines(lines: list[str]) -> list[str]:
    """The signed report's lines that print something, stripped."""
    return [s.strip() for s in signed_part(lines) if s.strip()]


def _date_alone(lines: Iterable[str]) -> str | None:
    """The date of the first line that is a date standing alone (a line short enough to be no sentence)."""
    for s in lines:
        if len(s) <= 24:
            d = parse_date(s)
            if d:
                return d
    return None


def signature(lines: list[str]) -> str | None:
    """The body that signs the report: the short line above the closing date."""
    tail = [s.strip() for s in signed_part(lines)[-15:] if s.strip()]
    for k in range(len(tail) - 1, 0, -1):
        if len(tail[k]) <= 20 and parse_date(tail[k]):
            name = "".join(tail[k - 1].split())
            if 3 <= len(name) <= 30 and _ORG_END.search(name) and not re.search(r"[。，；：,;:]", name):
                return name
            return None
    return None


_SELF_NAMING = re.compile(
    r"本(?:年度)?报告(?:是|系|为)?由?([\u4e00-\u9fff（）()]{3,30}?)(?:根据|依据|按照|依照|编制|制作)"
)


# an opening sentence that presents the report under a generic title: "现公布X2023年政府信息公开工作年度报告。"
_PRESENTING = re.compile(
    r"^(?:现|特|兹)(?:将|予|就|向社会)?公布([\u4e00-\u9fff（）()]{3,30}?)" + _YEAR_CHARS + r"{4}\s*年度?"
    r"(?:政府信息公开|政务公开|信息公开)"
)


def self_named(lines: list[str]) -> str | None:
    """The body named by the report's own opening sentence ("本报告是X根据《条例》…编制")."""
    for s in lines[:60]:
        flat = "".join(s.split())
        m = _SELF_NAMING.search(flat) or _PRESENTING.match(flat)
        if m:
            name = m.group(1)
            if _ORG_END.search(name) and not _NOT_AGENCY.search(name) and name not in _GENERIC_NAMES:
                return name
    return None


def closing_name(lines: list[str]) -> str | None:
    """An undated signature: the report's last line when it is just a body's name."""
    tail = [s.strip() for s in signed_part(lines)[-6:] if s.strip()]
    if not tail:
        return None
    name = "".join(tail[-1].split())
    if 4 <= len(name) <= 30 and _ORG_END.search(name) and not re.search(r"[。，；：,;:、\d]", name):
        if name not in _GENERIC_NAMES and not _NOT_AGENCY.search(name):
            return name
    return None


_HOST = re.compile(r"(?:主办单位|主办|网站主办)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})")
_PLACE_HEAD = re.compile(r"^" + _HAN + r"+(?:省|自治区|市|自治州|州|地区|盟|县|区|旗)$")
# added in no spelled-out name: another place, or another body (公安局 -> 公安局东昌府分局)
_NOT_SPELLED = frozenset("省市县区州旗盟镇乡局厅委办院部所队站司处科分")
_LEVEL_HEAD = re.compile(r"^(?:省|市(?!场)|区|县|州)")  # "市教育局": the place cut off the title


def _without_office(name: str) -> str:
    """The government a 人民政府办公厅/室 compiles and signs for (条例第三条)."""
    m = re.fullmatch(r"(.+人民政府)办公[厅室]", name)
    return m.group(1) if m else name


def _spelled_out(short: str, full: str) -> bool:
    """Whether `full` is the department `short` names in short (省发展改革委 -> 江西省发展和改革委员会,
    广东省人社厅 -> 广东省人力资源和社会保障厅): the short name's characters in order, with only a place
    before them and no other place among the added ones; the same kind of body (委, 厅, 局) at the end.
    A government's name is never shortened so; 莘县人民政府办公室 is not 莘县人民政府 spelled out."""
    if len(full) <= len(short) or _GOV_SUFFIX.search(short) or not _ORG_END.search(full):
        return False
    if full.endswith(short[-1]):
        body = full[:-1]
    elif short.endswith("委") and full.endswith("委员会"):
        body = full[:-3]
    else:
        return False
    at = body.find(short[0])
    head = body[:at]
    if at < 0 or (head and not (_LEVEL_HEAD.match(short) and _PLACE_HEAD.match(head + short[0]))):
        return False
    added, i = [], at
    for ch in short[:-1]:
        j = body.find(ch, i)
        if j < 0:
            return False
        added += body[i:j]
        i = j + 1
    added += body[i:]
    return not _NOT_SPELLED.intersection(added)


def _completed(agency: str, lines: list[str]) -> str:
    """The title's name made whole by a fuller name the report or its site gives.

    "朝阳区2020年…报告" names 朝阳区 of 北京 or of 长春: the signature, the preface's own naming or
    the page's 发布机构 says which.  Only a name that ends with the title's and adds nothing but the
    place in front of it counts; a different body is never put in its stead.
    """
    own = [self_named(lines), signature(lines), closing_name(lines)]
    for name in own:
        if name and _spelled_out(agency, name):
            return name
    names = list(own)
    # the page's 发布机构 (not its 主办: the portal's owner places a body but never names it)
    names += [_field(m.group(1)) for s in lines[:40] + lines[-15:] for m in [_PUBLISHER.search(s)] if m]
    if not _LEVEL_HEAD.match(agency) and _unique_place_head(agency):
        return agency  # 乐昌市人民政府 is one body wherever it signs as 韶关市乐昌市人民政府: the title's name stands
    for name in names:
        for full in (name, _without_office(name)) if name else ():
            head = full[: len(full) - len(agency)]
            if full.endswith(agency) and head and (
                _PLACE_HEAD.match(head) or _LEVEL_HEAD.match(agency)
            ):
                return full
    return agency


def _unique_place_head(agency: str) -> bool:
    """Whether the name begins with a place that only one division bears (乐昌市, not 朝阳区 or 鼓楼区):
    such a name needs no superior place in front of it to say which body it is."""
    for k in range(min(len(agency), 12), 1, -1):
        if agency[k - 1] in "省市县区州旗盟":
            found = by_name(agency[:k])
            if found:
                return len(found) == 1
    return False


def _party_cosigned(lines: list[str]) -> bool:
    """Whether the line above the signing body names a party committee's office (a joint signature)."""
    tail = [s.strip() for s in signed_part(lines)[-15:] if s.strip()]
    for k in range(len(tail) - 1, 1, -1):
        if len(tail[k]) <= 20 and parse_date(tail[k]):
            above = "".join(tail[k - 2].split())
            return len(above) <= 30 and _PARTY_BODY.match(above) is not None and _ORG_END.search(above) is not None
    return False


def _agency_elsewhere(lines: list[str]) -> str | None:
    """When the title does not name the body: the report's own words, else the page's fields.

    The opening sentence that names the body and the signature are the report speaking; a
    page's 发布机构/来源 is often the office that uploaded it (政府办), so it comes last.
    """
    named = self_named(lines)
    name = named or signature(lines) or closing_name(lines)
    if name:
        if not named and _party_cosigned(lines):
            # 中共XX县委办公室 / XX县人民政府办公室: the two offices' own joint report, not the government's
            return name
        # the government's office (办公厅/室, its disclosure authority under 条例第三条) compiles and
        # signs the government's own report; a report of the office itself names it in its title
        return _without_office(name)
    for rx in (_PUBLISHER, _SOURCE):
        for s in lines[:40]:
            m = rx.search(s)
            if m and not _NOT_AGENCY.search(_field(m.group(1))):
                return _field(m.group(1))
    return None


# a numbered heading naming one body: "（一）上犹县人民政府", "（二）县政府办公室", "2.XX局"
_SET_HEADING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．])\s*(.{3,30}?)[:：]?$")


# the report's own statement of the period its numbers cover: "本报告所列数据的统计期限自2023年1月1日起至
# 2023年12月31日止", "统计时间为2023年1月1日至12月31日"
_PERIOD = re.compile(r"(?:统计|数据)[^。；;]{0,16}?(\d{4})\s*年\s*1\s*月\s*1\s*日[^。；;\d]{0,4}(?:至|到|[-—–~－])\s*"
                     r"(?:(\d{4})\s*年)?\s*12\s*月\s*31\s*日")


def publication_year_title(year: int, lines: list[str], published: str | None) -> int | None:
    """The year covered, when the title names the year of publication instead: "2024年XX局政府信息公开工作
    年度报告" posted 2024-01-25 over "统计期限自2023年1月1日起至2023年12月31日止".  A report covers a year
    that is over, so a report dated within its title's year cannot cover that year; with its own
    period saying the year before, that year is the one covered.  Either alone is not enough: a body
    copied from last year's report keeps last year's period, and a date can be mistyped."""
    dates = [d for d in (published, posted_date(lines), signed_date(lines)) if d]
    if not dates or any(int(d[:4]) != year for d in dates):
        return None
    periods = set()
    for s in lines:
        for m in _PERIOD.finditer(s.translate(_FULL_WIDTH)):
            start = int(m.group(1))
            if m.group(2) and int(m.group(2)) != start:
                return None  # a period over several years is another story
            periods.add(start)
    return year - 1 if periods == {year - 1} else None


def _gov_norm(name: str) -> str:
    return name.replace("人民政府", "政府")


def first_set_body(agency: str, lines: list[str]) -> str | None:
    """The body whose tables a joint report prints first, when it prints each body's tables apart
    under numbered headings naming them ("（一）上犹县人民政府" … "（二）上犹县人民政府办公室"): the record
    holds that first set (tables 3 and 4 end where the second body's begin), so it is that body's.
    None for a joint report with one set of tables (both bodies' together) and for a single body."""
    bodies = joint_bodies(agency)
    if len(bodies) < 2:
        return None
    named: list[int] = []  # the body each numbered heading names, in order
    for raw in lines:
        s = "".join(raw.split())
        if len(s) > 34 or not s:
            continue
        m = _SET_HEADING.match(s)
        if not m or not _ORG_END.search(m.group(1)):
            continue
        name = _gov_norm(m.group(1))
        hits = [k for k, b in enumerate(bodies) if _gov_norm(b) == name or (_gov_norm(b).endswith(name) and
                                                                               _LEVEL_HEAD.match(name))]
        if len(hits) == 1:
            named.append(hits[0])
    return bodies[named[0]] if len(set(named)) >= 2 else None


def extract_metadata(lines: list[str]) -> dict[str, Any]:
    """title, agency, year, level, kind, region, published (posted, signed) for the text's lines."""
    title, title_line = find_title(lines)
    agency = agency_from_title(title) if title else None
    year = year_from_title(title) if title else None
    head = lines[:40]
    if agency is None:
        agency = _agency_elsewhere(lines)
    else:
        agency = _completed(agency, lines)
        # a joint report printing each body's tables apart is, as a record, the first set's body
        agency = first_set_body(agency, lines) or agency
    if year is None:
        for s in head:
            m = _EARLY_YEAR.search(s)
            if m and _year_value(m.group(1)):
                year = int(m.group(1))
                break
    published = find_published(lines)
    year_note = None
    if title and year is not None and (covered := publication_year_title(year, lines, published)) is not None:
        year_note = (f"the title names {year}, the year the report was published ({published}); its numbers"
                     f" cover {covered} (the report's own 统计期限), so it is filed as {covered}")
        year = covered
    region = region_of(agency, lines, year) if agency else {"province": None, "city": None, "county": None, "town": None}
    level, kind = level_and_kind(agency, region) if agency else (None, None)
    return {
        "title": "".join(title.split()) if title else None,
        "title_line": title_line,
        "agency": agency,
        "year": year,
        "published": published,
        "year_note": year_note,
        "posted": posted_date(lines),
        "signed": signed_date(lines),
        "level": level,
        "kind": kind,
        "region": region,
    }
