"""A place printed bare where a body's name stands is that place's government.

"成都市武侯区2024年政府信息公开工作年度报告" is the district government's report: the body is 成都市武侯区人民政府,
the name its signature, its portal and the registry give it.  The crawler's classifier (a listing's link
text) and the parser (the document's own title) both name the body by this one rule, so a report is
filed under one name whichever of them read its title first.

The government of a 省/自治区/市/自治州/州/县/自治县/旗/区/乡/镇/苏木 is its 人民政府, of a 街道 (and of a
地区 inside a district, Beijing's 来广营地区) its 办事处, of a prefecture-level 地区 or a 盟 its 行政公署
(和田地区行政公署, 阿拉善盟行政公署: these have no 人民政府).  A zone (开发区, 高新区, 新区, 自由贸易试验区,
a new area's 直管区, a port's 港区 that is no listed district: 周口港区) is run
by a 管委会 whose name the title does not give, unless the division list has it as a district (its county
code below 70; the NBS numbers its statistical zones 71–79): 上海市浦东新区 and 天津市滨海新区 are 区 of their
cities, as are 沈阳市沈北新区, 清远市清新区 and 长春市绿园区, and their governments are 人民政府 like any 区's,
printed bare or after their city or province only (两江新区, 雄安新区 and 北戴河新区 stay as printed), a 兵团 师市 (第八师石河子市) is one body under that name,
and a 社区 is no government: those stay as printed, as does every name that is not a bare place
(XX县教育局, XX县人民政府).
"""

from __future__ import annotations

import functools
import re

from .divisions import COUNTY, DIVISIONS

# a 兵团 师 and its city are one body (师市合一), printed so in its title and signature
_CORPS_CITY = re.compile(r"第[一二三四五六七八九十]{1,3}师[\u3400-\u9fff]{2,6}市$")
# run by a 管委会 (or no government at all: 社区), whatever place name precedes the kind
_ZONE = re.compile(
    r"(?:开发区|高新区|经开区|综保区|园区|新区|示范区|保税区|管理区|景区|社区|片区|试验区|自贸区|自由贸易港"
    r"|实验区|合作区|经济区|度假区|旅游区|风景区|名胜区|直管区)$"
)
_ADMINISTRATION = re.compile(r"(?:地区|盟)$")  # governed by a 行政公署
# a 街道, or a 地区 inside a district or county (北京市朝阳区来广营地区): governed by its 办事处
_SUBDISTRICT = re.compile(r"街道$|(?:[县旗]|(?<!自治)区)[\u3400-\u9fff]{1,6}地区$")
_PLACE = re.compile(r"(?:省|自治区|市|自治州|州|县|旗|区|镇|乡|苏木)$")


@functools.cache
def _port_districts() -> tuple[str, ...]:
    """The districts named …港区 (秦皇岛 海港区, 日照 东港区): other …港区 (周口港区) are ports' zones."""
    return tuple(sorted({d.name for d in DIVISIONS.values() if d.name.endswith("港区")}))


@functools.cache
def _zone_named_districts() -> dict[str, frozenset[str]]:
    """Administrative districts whose names end as a zone's (浦东新区, 滨海新区, 沈北新区, 绿园区): name -> the
    prefixes they are printed after (none, their city, their province, both, with or without 市/省)."""
    found: dict[str, set[str]] = {}
    for d in DIVISIONS.values():
        if d.rank != COUNTY or not _ZONE.search(d.name) or int(d.code[4:6]) >= 70:
            continue
        above = [p for p in (d.province, d.prefecture) if p]
        shown = {""}
        for p in above:
            shown |= {p, p.removesuffix("市").removesuffix("省")}
        if len(above) == 2:
            shown |= {a + above[1] for a in (above[0], above[0].removesuffix("省"))}
        found.setdefault(d.name, set()).update(shown)
    return {name: frozenset(prefixes) for name, prefixes in found.items()}


def _district_zone_name(name: str) -> bool:
    """The name is a listed district whose name ends as a zone's, printed bare or after its city/province."""
    return any(name.endswith(district) and name[: -len(district)] in prefixes
               for district, prefixes in _zone_named_districts().items())


def government_of(name: str) -> str:
    """The government's name for a place printed bare (成都市武侯区 -> 成都市武侯区人民政府, 簇桥街道 ->
    簇桥街道办事处, 阿里地区 -> 阿里地区行政公署, 上海市浦东新区 -> 上海市浦东新区人民政府); any other name
    unchanged."""
    if not name or _CORPS_CITY.search(name):
        return name
    if _ZONE.search(name) and not _district_zone_name(name):
        return name
    if name.endswith("港区") and not name.endswith(_port_districts()):
        return name
    if _SUBDISTRICT.search(name):
        return name + "办事处"
    if _ADMINISTRATION.search(name):
        return name + "行政公署"
    if _PLACE.search(name):
        return name + "人民政府"
    return name
