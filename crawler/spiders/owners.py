"""Whose report a page is: the place and level a body is named after, the source's own place,
a report of another body (`other_body`), and a page's own 发文机关 and titles.  Ownership rules
are judged on titles and agencies, not on responses, so they sit apart from the link rules."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawler.spiders.base import clean_text, full_agency
from crawler.spiders.links import REPORT_WORD_RE
from parsers import divisions

# the place a body's name begins with (天柱市人民政府, 红岩县教育局, 云岭省财政厅): a county, city, prefecture
# or province; development zones and parks (开发区, 经开区, 高新区, 园区) are a body's own units, not places
AGENCY_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:自治区|自治州|自治县|省|市|县|州|盟|旗|区)")
NOT_PLACE_RE = re.compile(r"开发|经开|园|新区|高新|管委|示范|保税|试验|合作|景区|矿区|林区|垦区")


PLACE_LEVELS = (("自治区", 3), ("省", 3), ("自治州", 2), ("地区", 2), ("市", 2), ("州", 2), ("盟", 2),
                ("自治县", 1), ("县", 1), ("区", 1), ("旗", 1))


RANK_LEVELS = {divisions.PROVINCE: 3, divisions.PREFECTURE: 2, divisions.COUNTY: 1}


def place_level(place: str, province: str | None = None) -> int:
    """3 province, 2 prefecture, 1 county, 0 unknown.  A 市 is either: 济宁市 a prefecture, 邹城市 (of
    济宁) and 巩义市 (of 郑州) county-level cities; the national division list (parsers/divisions.tsv)
    tells which, among the divisions of `province` when the source's region names one (a portal's
    lower governments are in its province).  A place it does not know is read by its ending, a 市
    as a prefecture."""
    found = divisions.by_name(place)
    if province:
        found = [d for d in found if d.province == province]
    levels = {RANK_LEVELS[d.rank] for d in found}
    if len(levels) == 1:
        return levels.pop()
    return next((level for suffix, level in PLACE_LEVELS if place.endswith(suffix)), 0)


# what a registry that cannot say `level: national` writes for a central body's region
NATIONAL_REGIONS = ("全国", "中央", "国家", "中国", "中华人民共和国")


def national(source: Any) -> bool:
    """A central body (a ministry, a national administration): `level: national`, or an older registry's
    stand-in region {province: 全国}."""
    region = getattr(source, "region", None) or {}
    return getattr(source, "level", None) == "national" or region.get("province") in NATIONAL_REGIONS


def own_place(source: Any) -> str:
    """The source's own place as its registry entry names it: the most specific of county, city,
    province, else the place its name begins with."""
    region = getattr(source, "region", None) or {}
    place = region.get("county") or region.get("city") or region.get("province") or ""
    if not place:
        m = AGENCY_PLACE_RE.match(getattr(source, "name", "") or "")
        place = m.group(0) if m else ""
    return place


BODY_SUFFIX_RE = re.compile(r"(?:局|委员会|委|办公室|办|中心|院|署|厅|分局)$")
# a government's own name: 人民政府, a 街道's 办事处 (花林寺镇人民政府, 城关街道办事处)
GOVERNMENT_SUFFIX_RE = re.compile(r"(?:人民政府|政府|办事处)$")
BODY_NAME_MAX_CHARS = 20


def names_body(text: str) -> bool:
    """A link reading as one body's name and nothing else (远安县花林寺镇人民政府, 远安县统计局,
    人力资源和社会保障局), not a title or a column's name: on a 年报 hub, the way to that body's own
    sub-column, however long the name and whatever words it holds (统计局 is a body, not 统计公报)."""
    name = text.replace(" ", "")
    return 2 < len(name) <= BODY_NAME_MAX_CHARS and not REPORT_WORD_RE.search(name) \
        and bool(BODY_SUFFIX_RE.search(name) or GOVERNMENT_SUFFIX_RE.search(name)) \
        and not re.search(r"[\d：:，,。（(]", name)


def own_body_name(text: str, source: Any) -> bool:
    """A link reading only as a body of the source's own place (临水县教育局 on 临水县's portal)."""
    name = text.replace(" ", "")
    place = own_place(source)
    return bool(place) and name.startswith(place) and len(place) + 2 <= len(name) <= 20 \
        and bool(BODY_SUFFIX_RE.search(name)) and not REPORT_WORD_RE.search(name)


def other_body(agency: str | None, source: Any) -> bool:
    """A report whose title names the body of another place at the source's level or above it (a
    county portal's 上级政府年报 block linking the city's report, a neighbour county's report in
    相关阅读): that body's, not the source's.  The source's departments and units carry its place
    (天柱市财政局, 青林县教育局, a 卫健委's 云州市疾病预防控制中心, also as the short 天柱 of 天柱经济开发区);
    a name with no place (教育局) is its own; and the lower governments a portal publishes in its own
    年报 hub (a province's 市（州）政府 column) are kept, as the portal presents them as its own.
    A national body (a ministry) has no place: every body whose name begins with one (东川省山河资源厅
    in its 各地年报 block) is a local body, another body."""
    if agency and national(source):
        m = AGENCY_PLACE_RE.match(agency)
        return bool(m) and not NOT_PLACE_RE.search(m.group(0))
    place = own_place(source)
    if not agency or not place:
        return False
    short = re.sub(r"(?:自治区|自治州|自治县|省|市|县|州|盟|旗|区)$", "", place)
    if place in agency or (len(short) >= 2 and short in agency):
        return another_body_here(agency, source)
    m = AGENCY_PLACE_RE.match(agency)
    if not m or NOT_PLACE_RE.search(m.group(0)):
        return another_body_here(agency, source)
    province = (getattr(source, "region", None) or {}).get("province")
    return place_level(m.group(0), province) >= place_level(place, province) > 0


# the endings and joining words every body's name shares (…局, …委员会, …办公室, 和): no sign of the same body
BODY_ENDING_RE = re.compile(r"(?:委员会|办公室|管理局|分局|局|委|厅|办|中心|院|处|所|站|队)$")
JOINING_CHARS = set("和与及之")
# what a government's departments are called (its units are …中心, …站, …院: often under the department)
SIBLING_SUFFIX_RE = re.compile(r"(?:局|委员会|委|厅|办公室|办)$")
SIBLING_KIND = {"局": "局", "委员会": "委", "委": "委", "厅": "厅", "办公室": "办", "办": "办"}
GOVERNMENT_RE = re.compile(r"^(?:人民)?政府$")
TOWNSHIP_SUFFIX_RE = re.compile(r"(?:人民政府|政府|办事处|党工委|管委会)$")
TOWNSHIP_NAMED_RE = re.compile(r"^\S{2,8}?(?:镇|乡|街道|苏木)")


def body_core(name: str, source: Any) -> str:
    """A body's name without the places it begins with (溪口县公安局 → 公安局, 溪口县柳塘街道办事处 →
    柳塘街道办事处): what tells the bodies of one place apart."""
    region = getattr(source, "region", None) or {}
    places = [p for p in (region.get("province"), region.get("city"), region.get("county")) if p]
    places += [re.sub(r"(?:自治区|自治州|自治县|省|市|县|州|盟|旗|区)$", "", p) for p in places]
    places = sorted({p for p in places if len(p) >= 2}, key=len, reverse=True)
    core, changed = name.replace(" ", ""), True
    while changed:
        changed = False
        for p in places:
            if core.startswith(p) and len(core) > len(p):
                core, changed = core[len(p):], True
    return core


def another_body_here(agency: str, source: Any) -> bool:
    """A report of another body of the source's own place: a department entry's list reposting its
    government's report (溪口县人民政府 in the 公安局's 年报 list) or a sibling department's (教育局 on a
    platform shared by every department), a township's list reposting its county's.  Siblings are
    named like the entry (局 beside 局, 委 beside 委): a department's units (公路事业发展中心 in a
    交通运输厅's column, a 水利厅's 水文局) are not, and their reports stay its finds.  The source's own
    report may name it shorter or by a former name (卫健委 for 卫生健康委员会, 环境保护局 for 生态环境局):
    two names sharing two characters beyond …局/委员会/办公室 are one body.  A government entry keeps its
    departments' reports: its 部门年报 hub presents them as its finds."""
    theirs, own = body_core(agency, source), body_core(getattr(source, "name", "") or "", source)
    if not theirs or not own or theirs == own:
        return False
    level, kind = getattr(source, "level", None), getattr(source, "kind", None)
    if level == "township":
        town = TOWNSHIP_SUFFIX_RE.sub("", own)
        named = TOWNSHIP_NAMED_RE.match(theirs) or GOVERNMENT_RE.match(theirs) or BODY_SUFFIX_RE.search(theirs)
        return len(town) >= 2 and town not in theirs and bool(named)
    if kind != "department":
        return False
    if GOVERNMENT_RE.match(theirs) or theirs.startswith(("人民政府", "政府")):
        return not own.startswith(("人民政府", "政府"))
    mine, other = SIBLING_SUFFIX_RE.search(own), SIBLING_SUFFIX_RE.search(theirs)
    if not mine or not other or SIBLING_KIND[mine.group(0)] != SIBLING_KIND[other.group(0)]:
        # a unit (…中心, …支队), or a body of another rank (a 水利厅's 水文局): often the department's
        # own, whose reports its column lists
        return False
    shared = (set(BODY_ENDING_RE.sub("", theirs)) & set(BODY_ENDING_RE.sub("", own))) - JOINING_CHARS
    return len(shared) < 2


def verdict_other_body(verdict: dict, source: Any) -> bool:
    """`other_body` for a classify verdict, its agency completed with the source's region (`full_agency`)."""
    return other_body(full_agency(verdict.get("agency"), getattr(source, "region", None)), source)


# the label of an article's 信息索引 table (索引号 / 主题分类 / 发文机关 / 成文日期) that names its body:
# alone in its cell (the body in the next), or followed by the body in the same cell or span
ISSUER_LABEL = r"(?:发文机关|发布机关|发布机构|发文单位|公开主体|公开机构)"
ISSUER_LABEL_RE = re.compile(rf"^{ISSUER_LABEL}[:：]?$")
ISSUER_INLINE_RE = re.compile(rf"^{ISSUER_LABEL}[:：](\S{{2,40}})$")


def issuing_body(response: TextResponse) -> str | None:
    """The body an article's metadata table names (<td>发文机关</td><td>山河资源部</td>, or
    "发布机构：X" in one cell or span)."""
    for el in response.xpath("//td | //th | //span | //label | //dt | //b | //strong"):
        text = clean_text(" ".join(el.xpath(".//text()").getall())).replace(" ", "")
        if ISSUER_LABEL_RE.match(text):
            nxt = el.xpath("following-sibling::*[1]")
            value = clean_text(" ".join(nxt[0].xpath(".//text()").getall())) if nxt else ""
            if 2 <= len(value) <= 40:
                return value
        m = ISSUER_INLINE_RE.match(text)
        if m:
            return m.group(1)
    return None


def page_titles(response: TextResponse) -> list[str]:
    """What a page calls itself, best first: ArticleTitle meta, <h1>, <title> (its site name cut off)."""
    found = [response.xpath("//meta[@name='ArticleTitle']/@content").get() or "",
             " ".join(response.css("h1 ::text").getall()),
             re.split(r"[_|\-–—]", response.css("title::text").get() or "")[0]]
    return [t for t in (clean_text(f) for f in found) if t]
