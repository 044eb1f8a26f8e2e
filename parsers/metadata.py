"""Who published the report, for which year, where, and when.

The agency and the year come from the title, as printed: the year the report covers is in the
title ("2024年度"), while the date at the end is when it was published, a year later.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

_REGIONS_TSV = Path(__file__).with_name("regions.tsv")


def _load_prefectures() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(city without 市 -> province, other prefecture name or printed short form -> (name, province)).

    All prefecture-level units (parsers/regions.tsv): a city's province cannot be told from
    its name, and 自治州/地区/盟 names are long and often printed short (恩施州).
    """
    cities: dict[str, str] = {}
    others: dict[str, tuple[str, str]] = {}
    for line in _REGIONS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        province, name, *short = line.split("\t")
        if name.endswith("市"):
            cities[name[:-1]] = province
        else:
            others[name] = (name, province)
        for alias in short:
            others.setdefault(alias, (name, province))
    return cities, others


# prefecture-level city (without 市) -> province; 自治州/地区/盟 (and short forms) -> (name, province)
CITIES, PREFECTURES = _load_prefectures()

# county-level units (full name) -> prefecture city (without 市)
COUNTIES: dict[str, str] = {}
for _city, _names in (
    ("聊城", "东昌府区 茌平区 临清市 阳谷县 莘县 东阿县 冠县 高唐县"),
    ("淄博", "张店区 淄川区 博山区 临淄区 周村区 桓台县 高青县 沂源县"),
    ("周口", "川汇区 淮阳区 项城市 扶沟县 西华县 商水县 沈丘县 郸城县 太康县 鹿邑县"),
    ("潍坊", "潍城区 寒亭区 坊子区 奎文区 青州市 诸城市 寿光市 安丘市 高密市 昌邑市 临朐县 昌乐县"),
    ("济南", "历下区 槐荫区 天桥区 历城区 长清区 章丘区 济阳区 莱芜区 钢城区 平阴县 商河县"),
    ("青岛", "市南区 市北区 黄岛区 崂山区 李沧区 城阳区 即墨区 胶州市 平度市 莱西市"),
    ("郑州", "中原区 二七区 管城回族区 金水区 上街区 惠济区 巩义市 荥阳市 新密市 新郑市 登封市 中牟县"),
):
    for _c in _names.split():
        COUNTIES[_c] = _city



def _longest_first_by_head(names) -> dict[str, list[str]]:
    """Names by first character, longest first: region_of tries only those that can match."""
    out: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        out.setdefault(name[0], []).append(name)
    return out


_CITIES_BY_HEAD = _longest_first_by_head(CITIES)
_PREFECTURES_BY_HEAD = _longest_first_by_head(PREFECTURES)

_HAN = r"[\u4e00-\u9fff]"
_PLACE_NEXT = frozenset("区县市镇乡旗")
_CITY_GENERIC = re.compile(_HAN + r"{2,4}?(?:市|自治州|地区|盟)")
_COUNTY_GENERIC = re.compile(_HAN + r"{1,5}?(?:自治县|县|区|旗)")
_COUNTY_CITY_GENERIC = re.compile(_HAN + r"{2,3}?市")
_TOWN_GENERIC = re.compile(_HAN + r"{1,6}?(?:街道办事处|街道|镇|乡)")
_GOV_SUFFIX = re.compile(r"(?:人民政府|政府|街道办事处|行政公署)$")
_NATIONAL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国)")

# ---- year / dates -------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "l": 1, "I": 1}  # fmt: skip
_YEAR_CHARS = r"[0-9０-９〇零○ＯOo一二三四五六七八九lI]"
_YEAR_RE = re.compile(r"(?<![0-9])(" + _YEAR_CHARS + r"{4})\s*年")
_CN_NUM = r"[〇零一二三四五六七八九十]"
_DATE_RE = re.compile(
    r"("
    + _YEAR_CHARS
    + r"{4})\s*年\s*([0-9０-９]{1,2}|"
    + _CN_NUM
    + r"{1,3})\s*月\s*([0-9０-９]{1,2}|"
    + _CN_NUM
    + r"{1,3})\s*日"
)
_ISO_DATE_RE = re.compile(r"(20\d\d|19\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_PUBLISHED_LABEL = re.compile(r"(?:发布|成文|印发|公开)(?:日期|时间)")


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


def parse_date(text: str) -> str | None:
    """ISO date of the first 年月日 (or 2025-01-20) in `text`."""
    m = _DATE_RE.search(text)
    if m:
        y, mo, d = _year_value(m.group(1)), _small_number(m.group(2)), _small_number(m.group(3))
    else:
        m = _ISO_DATE_RE.search(text)
        if not m:
            return None
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def year_from_title(title: str) -> int | None:
    for m in _YEAR_RE.finditer(title):
        y = _year_value(m.group(1))
        if y:
            return y
    return None


# ---- title and agency ----------------------------------------------------------------------------

_REPORT_WORDS = re.compile(r"报告|年报")
_CRUMB = re.compile(r"[>＞»›]|首页|当前位置|您的位置")
_PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|发布单位|公开主体|成文单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})"
)
_SOURCE = re.compile(r"(?:信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})")
_ORG_END = re.compile(r"(?:人民政府|政府|办事处|局|委员会|办公室|办公厅|厅|委|院|中心|署|所|队|站|会)$")
_EARLY_YEAR = re.compile(r"(\d{4})\s*年度?(?:政府信息公开|政务公开|信息公开)")
_NOT_TITLE = re.compile(r"^(?:根据|本报告|按照|依据|为|现|特)")
_BARE_PLACE = re.compile(r"(?:省|自治区|市|自治州|州|盟|地区|县|旗|区|镇|乡|街道)$")
_ZONE = re.compile(r"(?:开发区|高新区|园区|示范区|新区|保税区|管理区|景区|社区|片区)$")
_GENERIC_NAMES = frozenset({"人民政府", "本机关", "本单位", "我单位", "我局", "政府"})
_NOT_AGENCY = re.compile(r"信息公开|政务公开|报告|年度|工作|^关于|报送|通知|印发|[：:>＞|/]")


def agency_from_title(title: str) -> str | None:
    """The body as named in the title, without the year and the '政府信息公开…报告' part."""
    t = "".join(title.split()).strip('#*《》<>“”"')
    m = _YEAR_RE.search(t)
    name = t[: m.start()] if m and m.start() > 0 else None
    if name is None or _NOT_AGENCY.search(name):
        rest = t[: m.start()] + t[m.end() :].lstrip("度") if m else t
        # greedy: 聊城市人民政府政府信息公开… ends before the LAST 政府信息公开
        m2 = re.match(r"(.+)政府信息公开", rest) or re.match(
            r"(.+?)(?:政务公开|信息公开|年度报告|工作报告)", rest
        )
        name = m2.group(1) if m2 else ""
    name = re.sub(r"(?:关于|的)$", "", name).strip("（）()·-—_ ,，:：")
    if _BARE_PLACE.search(name) and not _ZONE.search(name):
        # "郸城县2021年政府信息公开工作年度报告" is the county government's report
        name += "办事处" if name.endswith("街道") else "人民政府"
    if not 3 <= len(name) <= 40 or name in _GENERIC_NAMES or _NOT_AGENCY.search(name):
        return None
    return name


def find_title(lines: list[str]) -> tuple[str | None, int | None]:
    """(title, index of its last line) among the first lines of the document."""
    seen = 0
    fallback: tuple[str, int] | None = None
    for i, raw in enumerate(lines):
        s = raw.strip().lstrip("#").strip()
        if not s:
            continue
        seen += 1
        if seen > 40:
            break
        if len(s) > 70 or _NOT_TITLE.match(s) or not _REPORT_WORDS.search(s):
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


# ---- region / level / kind -----------------------------------------------------------------------


def region_of(agency: str) -> dict[str, Any]:
    """Province, city, county (and town) named at the start of the agency's name."""
    a = "".join(agency.split())
    pos = 0
    province = city = county = town = None
    for p in PROVINCES:
        short = p[:3] if p.startswith("内蒙古") or p.startswith("黑龙江") else p[:2]
        if a.startswith(p):
            province, pos = p, len(p)
            break
        if a.startswith(short + "省") or (
            a.startswith(short) and p in MUNICIPALITIES and a[len(short) :][:1] == "市"
        ):
            province, pos = p, len(short) + 1
            break
    if province in MUNICIPALITIES:
        pass
    else:
        for c in _CITIES_BY_HEAD.get(a[pos : pos + 1], ()):
            if a.startswith(c, pos) and a[pos + len(c) : pos + len(c) + 1] == "市":
                if province and CITIES[c] != province:
                    continue  # a county-level city sharing a prefecture's name elsewhere
                city, pos = c + "市", pos + len(c) + 1
                province = province or CITIES[c]
                break
        else:
            for alias in _PREFECTURES_BY_HEAD.get(a[pos : pos + 1], ()):
                full, prov = PREFECTURES[alias]
                nxt = a[pos + len(alias) : pos + len(alias) + 1]
                # 巴州区 (a district of 巴中市) is not 巴州 (巴音郭楞)
                if a.startswith(alias, pos) and nxt not in _PLACE_NEXT and province in (None, prov):
                    city, pos = full, pos + len(alias)
                    province = province or prov
                    break
            else:
                m = _CITY_GENERIC.match(a, pos)
                if m and m.group(0) not in COUNTIES and not _COUNTY_GENERIC.fullmatch(m.group(0)):
                    city, pos = m.group(0), m.end()
    for name, c in COUNTIES.items():
        if a.startswith(name, pos):
            county, pos = name, pos + len(name)
            if city is None:
                city = c + "市"
                province = province or CITIES.get(c)
            break
    else:
        m = _COUNTY_GENERIC.match(a, pos) or (_COUNTY_CITY_GENERIC.match(a, pos) if city else None)
        if m and not m.group(0).startswith(("市", "区", "县")):
            county, pos = m.group(0), m.end()
    m = _TOWN_GENERIC.match(a, pos)
    if m:
        town = m.group(0)
    return {"province": province, "city": city, "county": county, "town": town}


def level_and_kind(agency: str, region: dict[str, Any]) -> tuple[str | None, str]:
    kind = "government" if _GOV_SUFFIX.search(agency) else "department"
    if region.get("town"):
        level = "乡镇街道"
    elif region.get("county"):
        level = "县区"
    elif region.get("city"):
        level = "市"
    elif region.get("province"):
        level = "省"
    elif _NATIONAL.match(agency):
        level = "国家"
    else:
        level = None
    return level, kind


def find_published(lines: list[str]) -> str | None:
    """Publication date: a labelled 发布日期, else a date standing alone near the end or start."""
    for s in lines[:60]:
        if _PUBLISHED_LABEL.search(s):
            d = parse_date(s)
            if d:
                return d
    nonempty = [s.strip() for s in lines if s.strip()]
    for s in reversed(nonempty[-12:]):
        if len(s) <= 24:
            d = parse_date(s)
            if d:
                return d
    for s in nonempty[:8]:
        if len(s) <= 24:
            d = parse_date(s)
            if d:
                return d
    return None


def signature(lines: list[str]) -> str | None:
    """The body that signs the report: the short line above the closing date."""
    tail = [s.strip() for s in lines[-15:] if s.strip()]
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


def self_named(lines: list[str]) -> str | None:
    """The body named by the report's own opening sentence ("本报告是X根据《条例》…编制")."""
    for s in lines[:60]:
        m = _SELF_NAMING.search("".join(s.split()))
        if m:
            name = m.group(1)
            if _ORG_END.search(name) and not _NOT_AGENCY.search(name) and name not in _GENERIC_NAMES:
                return name
    return None


def closing_name(lines: list[str]) -> str | None:
    """An undated signature: the report's last line when it is just a body's name."""
    tail = [s.strip() for s in lines[-6:] if s.strip()]
    if not tail:
        return None
    name = "".join(tail[-1].split())
    if 4 <= len(name) <= 30 and _ORG_END.search(name) and not re.search(r"[。，；：,;:、\d]", name):
        if name not in _GENERIC_NAMES and not _NOT_AGENCY.search(name):
            return name
    return None


_HOST = re.compile(r"(?:主办单位|主办|网站主办)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})")
_PLACE_HEAD = re.compile(r"^" + _HAN + r"+(?:省|自治区|市|自治州|州|地区|盟|县|区|旗)$")
_LEVEL_HEAD = re.compile(r"^(?:省|市(?!场)|区|县|州)")  # "市教育局": the place cut off the title


def _without_office(name: str) -> str:
    """The government a 人民政府办公厅/室 compiles and signs for (条例第三条)."""
    m = re.fullmatch(r"(.+人民政府)办公[厅室]", name)
    return m.group(1) if m else name


def _completed(agency: str, lines: list[str]) -> str:
    """The title's name made whole by a fuller name the report or its site gives.

    "朝阳区2020年…报告" names 朝阳区 of 北京 or of 长春: the signature, the preface's own naming or
    the site's 主办 says which.  Only a name that ends with the title's and adds nothing but the
    place in front of it counts; a different body is never put in its stead.
    """
    names = [self_named(lines), signature(lines), closing_name(lines)]
    for rx in (_PUBLISHER, _HOST):
        names += [m.group(1) for s in lines[:40] + lines[-15:] for m in [rx.search(s)] if m]
    for name in names:
        for full in (name, _without_office(name)) if name else ():
            head = full[: len(full) - len(agency)]
            if full.endswith(agency) and head and (
                _PLACE_HEAD.match(head) or _LEVEL_HEAD.match(agency)
            ):
                return full
    return agency


def _agency_elsewhere(lines: list[str]) -> str | None:
    """When the title does not name the body: the report's own words, else the page's fields.

    The opening sentence that names the body and the signature are the report speaking; a
    page's 发布机构/来源 is often the office that uploaded it (政府办), so it comes last.
    """
    name = self_named(lines) or signature(lines) or closing_name(lines)
    if name:
        # the government's office (办公厅/室, its disclosure authority under 条例第三条) compiles and
        # signs the government's own report; a report of the office itself names it in its title
        return _without_office(name)
    for rx in (_PUBLISHER, _SOURCE):
        for s in lines[:40]:
            m = rx.search(s)
            if m and not _NOT_AGENCY.search(m.group(1)):
                return m.group(1)
    return None


def extract_metadata(lines: list[str]) -> dict[str, Any]:
    """title, agency, year, level, kind, region, published for the text's lines."""
    title, title_line = find_title(lines)
    agency = agency_from_title(title) if title else None
    year = year_from_title(title) if title else None
    head = lines[:40]
    if agency is None:
        agency = _agency_elsewhere(lines)
    else:
        agency = _completed(agency, lines)
    if year is None:
        for s in head:
            m = _EARLY_YEAR.search(s)
            if m and _year_value(m.group(1)):
                year = int(m.group(1))
                break
    published = find_published(lines)
    region = region_of(agency) if agency else {"province": None, "city": None, "county": None, "town": None}
    level, kind = level_and_kind(agency, region) if agency else (None, None)
    return {
        "title": "".join(title.split()) if title else None,
        "title_line": title_line,
        "agency": agency,
        "year": year,
        "published": published,
        "level": level,
        "kind": kind,
        "region": region,
    }
