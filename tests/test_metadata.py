"""Agency, covered year, level, region and publication date from a report's title and text.

The blind set (tests/fixtures/metadata/blind1.tsv, 160 cases) scored on its first run, before the national
division list: agency/year/published 100 %, kind 155/160, level 80 %, province 70.6 %, city 72.5 %,
county 85 %, town 94.4 %, all fields 96/160 (details in tests/fixtures/metadata/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_text
from parsers.metadata import (
    agency_from_title,
    extract_metadata,
    level_and_kind,
    parse_date,
    region_of,
    year_from_title,
)

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("聊城市公安局 2024 年度政府信息公开工作报告", "聊城市公安局", 2024),
        ("2024年聊城市人民政府政府信息公开工作年度报告", "聊城市人民政府", 2024),
        ("淄博市公安局2024年政府信息公开工作年度报告", "淄博市公安局", 2024),
        ("高唐县人民政府二〇二〇年政府信息公开工作年度报告", "高唐县人民政府", 2020),
        ("莘县人民政府二○二二年度政府信息公开工作年度报告", "莘县人民政府", 2022),
        ("周口市公安局2O24年政府信息公开工作年度报告", "周口市公安局", 2024),  # OCR: letter O for zero
        ("山东省人民政府办公厅关于2023年度政府信息公开工作年度报告", "山东省人民政府办公厅", 2023),
        ("聊城市人民政府政府信息公开工作年度报告（2021年）", "聊城市人民政府", 2021),
        ("# 昌乐县公安局 2023 年政府信息公开工作年度报告", "昌乐县公安局", 2023),
        # a title naming only the place is the report of that place's government
        ("郸城县2021年政府信息公开工作年度报告", "郸城县人民政府", 2021),
        ("聊城市2024年度政府信息公开工作年度报告", "聊城市人民政府", 2024),
        ("解放路街道2022年政府信息公开工作年度报告", "解放路街道办事处", 2022),
        ("聊城高新技术产业开发区2022年政府信息公开工作年度报告", "聊城高新技术产业开发区", 2022),
        # a joint report's two bodies set apart by a space are named as a 、 title names them, not glued
        ("温州市人民政府办公室 温州市大数据发展管理局2019年政府信息公开工作年度报告",
         "温州市人民政府办公室、温州市大数据发展管理局", 2019),
        ("聊城市人民政府 办公室2023年政府信息公开工作年度报告", "聊城市人民政府办公室", 2023),  # one body
        # a place's name may run to 14 characters before its 县 (a party office and a government office
        # filing together with 、 between them are recorded whole, docs/ARCHITECTURE.md)
        ("中共积石山保安族东乡族撒拉族自治县委办公室 积石山保安族东乡族撒拉族自治县人民政府办公室2022年政府信息公开工作年度报告",
         "中共积石山保安族东乡族撒拉族自治县委办公室、积石山保安族东乡族撒拉族自治县人民政府办公室", 2022),
        ("玉龙纳西族自治县人民政府 办公室2023年政府信息公开工作年度报告", "玉龙纳西族自治县人民政府办公室", 2023),
        # one report over two years: the span's first year is no part of the name
        ("乐业县2022—2023年度政府信息公开工作年度报告", "乐业县人民政府", 2023),
        ("聊 城 市 公 安 局 2023 年政府信息公开工作年度报告", "聊城市公安局", 2023),  # letter-spaced
    ],
)
def test_agency_and_year_from_title(title, agency, year):
    assert agency_from_title(title) == agency
    assert year_from_title(title) == year


@pytest.mark.parametrize(
    ("agency", "province", "city", "county", "level", "kind"),
    [
        ("聊城市人民政府", "山东省", "聊城市", None, "市", "government"),
        ("淄博市公安局", "山东省", "淄博市", None, "市", "department"),
        ("聊城市市场监督管理局", "山东省", "聊城市", None, "市", "department"),
        ("昌乐县公安局", "山东省", "潍坊市", "昌乐县", "县区", "department"),
        ("东昌府区人民政府", "山东省", "聊城市", "东昌府区", "县区", "government"),
        ("临清市人民政府", "山东省", "聊城市", "临清市", "县区", "government"),  # county-level city
        ("周口市公安局", "河南省", "周口市", None, "市", "department"),
        ("河南省人民政府", "河南省", None, None, "省", "government"),
        ("山东省公安厅", "山东省", None, None, "省", "department"),
        ("北京市人民政府", "北京市", None, None, "省", "government"),
        ("北京市朝阳区人民政府", "北京市", None, "朝阳区", "县区", "government"),
        ("广西壮族自治区南宁市公安局", "广西壮族自治区", "南宁市", None, "市", "department"),
        ("内蒙古自治区鄂尔多斯市人民政府", "内蒙古自治区", "鄂尔多斯市", None, "市", "government"),
        ("山东省济南市历下区人民政府", "山东省", "济南市", "历下区", "县区", "government"),
        ("莘县张鲁回族镇人民政府", "山东省", "聊城市", "莘县", "乡镇街道", "government"),
        ("济南市历下区解放路街道办事处", "山东省", "济南市", "历下区", "乡镇街道", "government"),
        ("聊城市人民政府办公室", "山东省", "聊城市", None, "市", "department"),
    ],
)
def test_region_level_kind(agency, province, city, county, level, kind):
    text = f"{agency}2024年政府信息公开工作年度报告\n一、总体情况\n无。\n"
    meta = parse_text(text).meta
    assert meta["region"]["province"] == province
    assert meta["region"]["city"] == city
    assert meta["region"]["county"] == county
    assert meta["level"] == level
    assert meta["kind"] == kind
    assert region_of(agency)["province"] == province


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025年1月20日", "2025-01-20"),
        ("二〇二五年一月二十日", "2025-01-20"),
        ("二〇二四年十二月三十一日", "2024-12-31"),
        ("二〇二四年元月三十日", "2024-01-30"),
        ("２０２４年３月５日", "2024-03-05"),
        ("2024 年 1 月 18 日", "2024-01-18"),
        ("发布日期：2023-01-30", "2023-01-30"),
        ("没有日期", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_published_date_is_not_the_covered_year():
    text = (SEEDS / "003_cdec267326b5e6a9.txt").read_text(encoding="utf-8")
    result = parse_text(text)
    assert result.record["year"] == 2023
    assert result.meta["published"] == "2024-01-18"


def test_published_from_a_labelled_header_line():
    lines = [
        "某某县人民政府2022年政府信息公开工作年度报告",
        "发布时间：2023年1月28日 来源：县政府办",
        "一、总体情况",
    ]
    assert extract_metadata(lines)["published"] == "2023-01-28"


def test_agency_from_page_header_when_title_lacks_it():
    lines = ["发布机构：莘县燕店镇人民政府", "2024年政府信息公开工作年度报告", "一、总体情况"]
    meta = extract_metadata(lines)
    assert meta["agency"] == "莘县燕店镇人民政府"
    assert meta["year"] == 2024
    assert meta["level"] == "乡镇街道"


def test_signature_names_the_body_when_the_title_does_not():
    lines = [
        "来源：区政府办",
        "2022年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度工作情况良好。",
        "六、其他需要报告的事项",
        "无。",
        "聊城市东昌府区人民政府",
        "2023年1月31日",
    ]
    meta = extract_metadata(lines)
    assert meta["agency"] == "聊城市东昌府区人民政府"
    assert meta["region"]["county"] == "东昌府区"
    assert meta["published"] == "2023-01-31"
    # signed by the government's office: the report is the government's
    lines[-2] = "聊城市东昌府区人民政府办公室"
    assert extract_metadata(lines)["agency"] == "聊城市东昌府区人民政府"


def test_breadcrumb_is_not_the_title():
    lines = [
        "首页 > 政务公开 > 政府信息公开年报",
        "聊城市人民政府2023年政府信息公开工作年度报告",
        "一、总体情况",
    ]
    meta = extract_metadata(lines)
    assert meta["title"] == "聊城市人民政府2023年政府信息公开工作年度报告"
    assert (meta["agency"], meta["year"]) == ("聊城市人民政府", 2023)


def test_dates_inside_narrative_are_not_publication_dates():
    text = (SEEDS / "000_8ed2ea85f6f5d4e7.txt").read_text(encoding="utf-8")  # "自 2024 年 1 月 1 日起" only
    assert parse_text(text).meta["published"] is None


def test_year_falls_back_to_statistics_period():
    text = "某某县人民政府政府信息公开工作年度报告\n本报告所列数据统计期限自2022年1月1日起至12月31日止。\n一、总体情况\n无。\n"
    result = parse_text(text)
    assert result.record["agency"] == "某某县人民政府"
    assert result.record["year"] == 2022


def test_title_split_over_two_lines():
    text = (SEEDS / "002_8436bc073596ce4a.txt").read_text(encoding="utf-8")  # 淄博市公安局 / 2024年…报告
    result = parse_text(text)
    assert result.record["agency"] == "淄博市公安局"
    assert result.meta["title"] == "淄博市公安局2024年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("seed", "agency", "year", "level", "kind", "city"),
    [
        ("000_8ed2ea85f6f5d4e7", "聊城市公安局", 2024, "市", "department", "聊城市"),
        ("001_def4f50e650d16ba", "聊城市人民政府", 2024, "市", "government", "聊城市"),
        ("002_8436bc073596ce4a", "淄博市公安局", 2024, "市", "department", "淄博市"),
        ("003_cdec267326b5e6a9", "昌乐县公安局", 2023, "县区", "department", "潍坊市"),
        ("004_6499a65bdb56769d", "周口市公安局", 2024, "市", "department", "周口市"),
    ],
)
def test_seed_metadata(seed, agency, year, level, kind, city):
    result = parse_text((SEEDS / f"{seed}.txt").read_text(encoding="utf-8"))
    assert (result.record["agency"], result.record["year"]) == (agency, year)
    assert (result.meta["level"], result.meta["kind"], result.meta["region"]["city"]) == (level, kind, city)
    assert result.meta["template"] == "2021"


@pytest.mark.parametrize(
    ("agency", "province", "city", "county"),
    [
        ("宜昌市人民政府", "湖北省", "宜昌市", None),
        ("吉林市人民政府", "吉林省", "吉林市", None),  # the city, not the province
        ("湖北省宜昌市夷陵区人民政府", "湖北省", "宜昌市", "夷陵区"),
        ("恩施州人民政府", "湖北省", "恩施土家族苗族自治州", None),  # printed short form
        ("恩施土家族苗族自治州来凤县人民政府", "湖北省", "恩施土家族苗族自治州", "来凤县"),
        ("锡林郭勒盟行政公署", "内蒙古自治区", "锡林郭勒盟", None),
        ("海南州人民政府", "青海省", "海南藏族自治州", None),
        ("海南省三亚市人民政府", "海南省", "三亚市", None),
        ("巴州区人民政府", "四川省", "巴中市", "巴州区"),  # a district of 巴中市, not 巴州 (巴音郭楞)
    ],
)
def test_region_from_the_prefecture_table(agency, province, city, county):
    region = region_of(agency)
    assert (region["province"], region["city"], region["county"]) == (province, city, county)


def test_division_table_is_complete():
    from parsers.divisions import COUNTY, DIVISIONS, PREFECTURE, PROVINCE

    ranks = [d.rank for d in DIVISIONS.values()]
    assert ranks.count(PROVINCE) == 31  # 港澳台 are not in the NBS list
    assert ranks.count(PREFECTURE) >= 333
    assert ranks.count(COUNTY) >= 2800
    by = {(d.name, d.prefecture or d.province) for d in DIVISIONS.values()}
    assert ("宜昌市", "湖北省") in by and ("酒泉市", "甘肃省") in by and ("儋州市", "海南省") in by
    assert ("仙桃市", "湖北省") in by and ("石河子市", "新疆维吾尔自治区") in by  # directly under the province
    assert ("昆山市", "苏州市") in by and ("库车市", "阿克苏地区") in by  # county-level cities


@pytest.mark.parametrize(
    ("head", "tail", "agency"),
    [
        # the page's 来源 names the office that uploaded the report; the report names its body
        (
            "杭州市西湖区人民政府办公室  发布日期：2023-03-21  来源：区政府办\n二〇二二年政府信息公开工作年度报告\n"
            "本报告是杭州市西湖区人民政府根据《中华人民共和国政府信息公开条例》编制。\n",
            "",
            "杭州市西湖区人民政府",
        ),
        # an undated signature still beats the page's publisher field
        (
            "来源：区政府办\n2022年政府信息公开工作年度报告\n",
            "杭州市西湖区卫生健康局\n",
            "杭州市西湖区卫生健康局",
        ),
        ("来源：区政府办\n2022年政府信息公开工作年度报告\n", "", "区政府办"),
    ],
)
def test_agency_from_the_report_words_before_page_fields(head, tail, agency):
    text = head + "一、总体情况\n本年度工作有序推进。\n六、其他需要报告的事项\n无。\n" + tail
    assert parse_text(text).record["agency"] == agency


def test_report_compiled_by_the_government_office_is_the_government_report():
    text = "来源：区政府办\n2022年政府信息公开工作年度报告\n本报告由杭州市西湖区人民政府办公室根据《条例》编制。\n一、总体情况\n无。\n"
    assert parse_text(text).record["agency"] == "杭州市西湖区人民政府"


# ---- the blind set: report texts rendered from tests/fixtures/metadata/*.tsv ----------------------

METADATA = Path(__file__).parent / "fixtures" / "metadata"
_BODY = (
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，编制本报告。"
    "本报告所列数据的统计期限自{period}年1月1日起至{period}年12月31日止。\n{contact}\n\n"
    "一、总体情况\n{period}年，本机关认真贯彻落实《条例》，政府信息公开工作取得新进展。\n"
    "（一）主动公开。全年通过门户网站主动公开政府信息1268条。\n"
    "（五）监督保障。组织业务培训2次，培训人员120余人次。{extra}\n\n"
    "二、主动公开政府信息情况\n（略）\n"
    "五、存在的主要问题及改进情况\n下一步将加强业务培训，持续提升政务公开工作水平。\n"
    "六、其他需要报告的事项\n本年度未收取政府信息公开信息处理费。\n{nextyear}\n\n{signature}\n{date}\n"
)
FIELDS = ("agency", "year", "level", "kind", "province", "city", "county", "town", "published")


def _blind_cases() -> list:
    cases = []
    for tsv in sorted(METADATA.glob("*.tsv")):
        head, *rows = tsv.read_text(encoding="utf-8").splitlines()
        cols = head.split("\t")
        for n, row in enumerate(rows, 2):
            case = dict(zip(cols, row.split("\t"), strict=True))
            cases.append(pytest.param(case, id=f"{tsv.stem}:{n}:{case['agency']}"))
    return cases


def render(case: dict) -> str:
    """A report text around the case's own lines (portal header, title, contact, signature, date)."""
    header = case["header"].replace("\\n", "\n") + "\n" if case["header"] else ""
    title = case["title"].replace("\\n", "\n")
    return header + title + "\n\n" + _BODY.format(**case)


@pytest.mark.parametrize("case", _blind_cases())
def test_blind_metadata(case):
    text = render(case)
    if case["encoding"]:
        from parsers import parse_bytes

        result = parse_bytes(text.encode(case["encoding"]), name="report.txt")
    else:
        result = parse_text(text)
    meta, region = result.meta, result.meta["region"]
    got = {
        "agency": result.record["agency"], "year": result.record["year"], "level": meta["level"],
        "kind": meta["kind"], "province": region["province"], "city": region["city"],
        "county": region["county"], "town": region["town"], "published": meta["published"],
    }  # fmt: skip
    want = {f: case[f] or None for f in FIELDS}
    want["year"] = int(case["year"])
    assert got == want, case["note"]


# ---- a place name found in several places -----------------------------------------------------------

_AMBIGUOUS_BODY = "一、总体情况\n本年度工作有序推进。\n六、其他需要报告的事项\n无。\n"


@pytest.mark.parametrize(
    ("agency", "text", "province", "city"),
    [
        ("朝阳区人民政府", "联系地址：北京市朝阳区日坛北路33号", "北京市", None),
        ("朝阳区人民政府", "联系地址：长春市朝阳区西安大路", "吉林省", "长春市"),
        ("鼓楼区人民政府", "地址：徐州市鼓楼区中山北路", "江苏省", "徐州市"),
        ("市中区人民政府", "主办：枣庄市市中区人民政府办公室", "山东省", "枣庄市"),
        # a parent named on its own (the site's 主办, the narrative) singles one out too
        ("和平区人民政府", "主办单位：沈阳市和平区人民政府\n", "辽宁省", "沈阳市"),
        ("城关区人民政府", "全区干部赴兰州市学习先进经验。", "甘肃省", "兰州市"),
    ],
)
def test_ambiguous_district_resolved_from_the_report(agency, text, province, city):
    region = region_of(agency, text.splitlines())
    assert (region["province"], region["city"], region["county"]) == (province, city, agency[:3])
    report = f"{agency}2023年政府信息公开工作年度报告\n{text}\n{_AMBIGUOUS_BODY}"
    assert parse_text(report).meta["region"] == region


@pytest.mark.parametrize(
    ("agency", "text"),
    [
        ("朝阳区人民政府", ""),  # nothing says which
        ("鼓楼区人民政府", "本区与北京市、上海市开展交流。"),  # neither candidate's city or province
        ("和平区民政局", "学习天津市和平区、沈阳市和平区的经验。"),  # both named: still undecided
    ],
)
def test_ambiguous_district_left_null_without_a_clue(agency, text):
    report = f"{agency}2023年政府信息公开工作年度报告\n{text}\n{_AMBIGUOUS_BODY}"
    meta = parse_text(report).meta
    assert meta["region"]["county"] == agency[:3]
    assert (meta["region"]["province"], meta["region"]["city"]) == (None, None)
    assert meta["level"] == "县区"


def test_ambiguous_district_in_one_province_keeps_the_province():
    # four 鼓楼区 (南京, 徐州, 福州, 开封): the address names only 江苏省, which holds two of them
    region = region_of("鼓楼区人民政府", ["地址：江苏省"])
    assert (region["province"], region["city"]) == ("江苏省", None)
    region = region_of("铁西区人民政府", ["地址：辽宁省"])  # 沈阳, 鞍山 (辽宁) and 四平 (吉林)
    assert (region["province"], region["city"]) == ("辽宁省", None)


def test_a_place_in_the_name_is_not_overruled_by_the_text():
    region = region_of("南京市鼓楼区人民政府", ["地址：福州市鼓楼区"])
    assert (region["province"], region["city"]) == ("江苏省", "南京市")
    region = region_of("教育部", ["地址：北京市西城区西单大木仓胡同37号"])
    assert region == {"province": None, "city": None, "county": None, "town": None}


@pytest.mark.parametrize(
    ("agency", "province", "city", "county", "town", "level"),
    [
        ("北京路街道办事处", None, None, None, "北京路街道", "乡镇街道"),  # a street, not 北京市
        ("广州市越秀区北京街道办事处", "广东省", "广州市", "越秀区", "北京街道", "乡镇街道"),
        ("淄博市住房和城乡建设局", "山东省", "淄博市", None, None, "市"),  # 城乡 is no township
        ("某某县乡村振兴局", None, None, "某某县", None, "县区"),
        ("石柱县人民政府", "重庆市", None, "石柱土家族自治县", None, "县区"),  # printed short form
        ("中国人民银行聊城市分行", "山东省", "聊城市", None, None, "市"),
        ("国家统计局聊城调查队", "山东省", "聊城市", None, None, "市"),
        ("东莞市长安镇人民政府", "广东省", "东莞市", None, "长安镇", "乡镇街道"),  # no county level
        ("湖北省仙桃市人民政府", "湖北省", None, "仙桃市", None, "县区"),
        ("北京市朝阳区人民政府建外街道办事处", "北京市", None, "朝阳区", "建外街道", "乡镇街道"),
        ("巴里坤哈萨克自治县各乡镇人民政府", "新疆维吾尔自治区", "哈密市", "巴里坤哈萨克自治县", None, "县区"),
        ("中共昌乐县委办公室", "山东省", "潍坊市", "昌乐县", None, "县区"),
        ("广西南宁市公安局", "广西壮族自治区", "南宁市", None, None, "市"),
        # zones: named as printed after a full city name, with the city when printed as a stem
        ("珠海市横琴新区管理委员会", "广东省", "珠海市", "横琴新区", None, "县区"),
        ("福建省平潭综合实验区人民政府", "福建省", None, "平潭综合实验区", None, "县区"),
        # the abbreviations offices print for their zones: 经开区 (经济技术开发区), 综保区 (综合保税区)
        ("长沙经开区管委会", "湖南省", "长沙市", "长沙经开区", None, "县区"),
        ("郑州综保区管委会", "河南省", "郑州市", "郑州综保区", None, "县区"),
        ("淄博市公安局高新技术产业开发区分局", "山东省", "淄博市", None, None, "市"),  # no zone across 公安局
        ("郑州市生态环境局中牟分局", "河南省", "郑州市", "中牟县", None, "县区"),
    ],
)
def test_places_from_the_division_list(agency, province, city, county, town, level):
    region = region_of(agency)
    assert region == {"province": province, "city": city, "county": county, "town": town}
    assert level_and_kind(agency, region)[0] == level


def test_region_lookup_is_fast():
    import time

    start = time.process_time()  # CPU time: the lookup's cost, not a share of a busy machine
    for _ in range(2000):
        region_of("长阳土家族自治县龙舟坪镇人民政府")
        region_of("国家税务总局北京市朝阳区税务局")
    assert (time.process_time() - start) / 4000 < 200e-6  # ~10 µs here; generous for a busy CI


# ---- the signed end of a pre-2019 report, with the 统计表 attached after it -------------------------

_SIGNED_2016 = (
    "莱芜市人民政府2016年政府信息公开工作年度报告\n一、概述\n全年政府信息公开工作有序推进。\n"
    "七、存在的主要问题及改进措施\n公开内容还不够全面。\n八、其他需要报告的事项\n无其他需要报告的事项。\n"
    "莱芜市人民政府\n{date}\n{attached}统计指标\t单位\t统计数\n三、依申请公开情况\t\t\n（一）收到申请数\t件\t17\n"
    "四、行政复议数量\t件\t1\n九、政府信息公开会议和培训情况\t\t\n（三）接受培训人员数\t人次\t95\n"
)


@pytest.mark.parametrize(
    ("date", "attached", "published"),
    [
        ("2017年3月30日", "附件：莱芜市人民政府2016年度政府信息公开情况统计表\n", "2017-03-30"),
        ("2017.03.30", "附件\n", "2017-03-30"),
        ("二〇一七年三月三十日", "附表：政府信息公开情况统计表\n", "2017-03-30"),
        ("2017年3月30日", "莱芜市人民政府2016年度政府信息公开情况统计表\n", "2017-03-30"),  # no 附件 word
    ],
)
def test_closing_date_before_the_attached_table(date, attached, published):
    result = parse_text(_SIGNED_2016.format(date=date, attached=attached))
    assert result.meta["published"] == published
    assert result.record["sections"]["other"] == "无其他需要报告的事项。"
    assert result.meta["region"]["province"] == "山东省"


def test_an_attachment_list_inside_the_report_does_not_end_it():
    from parsers.metadata import appendix_start

    lines = (
        "一、总体情况\n全年工作有序推进，详见附件。\n附件：政府信息公开情况统计表\n"
        "五、存在的主要问题及改进情况\n培训不足。\n六、其他需要报告的事项\n无。\n某某县人民政府\n2020年1月20日"
    ).splitlines()
    assert appendix_start(lines) is None
    assert parse_text("某某县人民政府2019年政府信息公开工作年度报告\n" + "\n".join(lines)).record["sections"][
        "problems"
    ] == "培训不足。"


def test_former_divisions_are_no_current_names():
    """A former name is only looked up where no current division fits; one still in use names a
    higher unit of the past (巢湖市), and every former county's prefecture is a known one."""
    from parsers.divisions import FORMER, PREFECTURE, by_name

    assert len(FORMER) >= 100
    for name, formers in FORMER.items():
        for f in formers:
            current = by_name(name)
            assert not current or f.division.rank == PREFECTURE or f.division.province not in {
                d.province for d in current
            }, name
            parent = f.division.prefecture
            assert parent is None or by_name(parent) or parent in FORMER, name
            assert 2000 < f.until <= 2023, name


# ---- an 附件 list printed above the signature ----------------------------------------------------

_ANNEXED_2019 = (
    "泗水县人民政府2019年政府信息公开工作年度报告\n一、总体情况\n全年政府信息公开工作有序推进。\n"
    "五、存在的主要问题及改进情况\n政策解读形式较为单一。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"
    "{annex}{gap}泗水县人民政府\n2020年1月21日\n{after}"
)


@pytest.mark.parametrize(
    "annex",
    [
        "附件：政府信息公开情况统计表\n",  # one line naming a table, no year
        "附件：泗水县2019年政府信息公开情况统计表\n",
        "附件：1.政府信息公开情况统计表\n2.各镇街道年报汇总\n",  # a numbered list
        "附件：1.泗水县人民政府2019年政府信息公开工作\n年度报告解读\n2.各镇街道年报汇总\n",  # an item wrapped
        "附件：\n（1）政府信息公开申请办理流程图\n（2）政府信息公开工作机构联系方式\n",
        "附件1：泗水县2019年主动公开情况\n附件2：泗水县2019年依申请公开情况\n",
    ],
)
@pytest.mark.parametrize("gap", ["", "\n"])
@pytest.mark.parametrize(
    "after",
    ["", "附件1\n政府信息公开情况统计表\n统计指标\t单位\t统计数\n（一）收到申请数\t件\t17\n"],  # the attachment itself, after the date
)
def test_an_attachment_list_above_the_signature_keeps_the_dates(annex, gap, after):
    """The signature follows the list: its date is when the report was signed and published, and
    the list names attachments, no part of section 六's narrative."""
    result = parse_text(_ANNEXED_2019.format(annex=annex, gap=gap, after=after))
    assert (result.meta["published"], result.meta["signed"]) == ("2020-01-21", "2020-01-21")
    assert result.record["sections"]["other"] == "本年度未收取信息处理费。"
    assert result.record["agency"] == "泗水县人民政府"


def test_an_attachment_line_followed_by_prose_is_no_list_above_the_signature():
    """A 附件 line with a paragraph, a section or a table after it is not the list the signature follows."""
    from parsers.metadata import annex_list

    text = _ANNEXED_2019.format(annex="附件：政府信息公开情况统计表\n全年未发生行政复议，各项工作平稳有序地推进。\n", gap="", after="")
    lines = text.splitlines()
    assert annex_list(lines) is None
    inside = ("一、总体情况\n工作有序推进。\n附件：政府信息公开情况统计表\n五、存在的主要问题及改进情况\n培训不足。\n"
              "六、其他需要报告的事项\n无。\n某某县人民政府\n2020年1月20日").splitlines()
    assert annex_list(inside) is None


@pytest.mark.parametrize(
    "annex",
    ["附件：政府信息公开情况统计表\n", "附件：泗水县2019年政府信息公开情况统计表\n",
     "附件：1.政府信息公开情况统计表\n2.各镇街道年报汇总\n"],
)
@pytest.mark.parametrize(
    "words",
    ["特此报告。\n",
     "本报告电子版可在泗水县人民政府网站政府信息公开专栏下载。如对本报告有任何疑问，请与县政府办公室联系。\n",
     # a sentence a PDF's line breaks cut into pieces, the last one without punctuation
     "本报告电子版可在泗水县人民政府网站政府信息公开专栏下载，如对本报告有任何疑问，请与县政府\n办公室联系\n",
     "联系电话：0537-4412345\n"],
)
@pytest.mark.parametrize("after", ["", "附件1\n政府信息公开情况统计表\n统计指标\t单位\t统计数\n（一）收到申请数\t件\t17\n"])
def test_an_attachment_line_then_the_reports_last_words_keep_the_dates(annex, words, after):
    """附件：…统计表, a few sentences of the report's own, then the signature: the report still ends at the
    date under the signature (only what follows that date is attached), and the sentences stay in 六."""
    result = parse_text(_ANNEXED_2019.format(annex=annex + words, gap="", after=after))
    assert (result.meta["published"], result.meta["signed"]) == ("2020-01-21", "2020-01-21")
    other = "".join(result.record["sections"]["other"].split())
    assert other.startswith("本年度未收取信息处理费。") and other.endswith("".join(words.split()))
    assert "统计指标" not in other and "泗水县人民政府2020" not in other


def test_an_attachment_line_then_an_attached_text_is_not_signed_below():
    """What follows the 附件 line is a text of its own (more than a few sentences, or a table's cells one a
    line): the 附件 line starts the attachment, as before."""
    from parsers.metadata import appendix_start

    text = "\n".join(["某某县人民政府2019年政府信息公开工作年度报告", "六、其他需要报告的事项", "无。",
                      "附件：政府信息公开情况统计表", "统计指标", "单位", "统计数", "收到申请数", "件", "17",
                      "某某县人民政府", "2020年1月20日"])
    assert appendix_start(text.splitlines()) == 3
    prose = "\n".join(["某某县人民政府2019年政府信息公开工作年度报告", "六、其他需要报告的事项", "无。",
                       "附件：政府信息公开情况统计表的说明"] + [f"第{n}项指标按全年累计数填报。" for n in range(1, 9)]
                      + ["某某县人民政府", "2020年1月20日"])
    assert appendix_start(prose.splitlines()) == 3


def test_a_body_in_a_place_no_division_table_knows_is_said_not_corrected():
    """OCR misreads a rare character of a county (沭阳县 → 沐阳县, 临朐县 → 临胸县, 濉溪县 → 溪县): the name
    stays as read, and a warning says its place is unknown (completeness and carry-over match on it)."""
    from parsers import parse_bytes

    def warned(agency: str) -> list[str]:
        text = f"{agency}2023年政府信息公开工作年度报告\n一、总体情况\n本年度，{agency}认真落实条例。\n"
        result = parse_bytes(text.encode())
        assert result.record["agency"] == agency
        return [w for w in result.meta["warnings"] if "division table" in w]

    assert warned("沐阳县生态环境局") and warned("临胸县卫生健康委员会") and warned("溪县自然资源和规划局")
    # a real county, a district name several cities share, a zone, a former county: no warning
    assert not any(warned(a) for a in ("沭阳县生态环境局", "和平区教育局", "高新区管委会", "蓟县民政局"))
