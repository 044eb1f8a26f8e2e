"""Agency, covered year, level, region and publication date from a report's title and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_text
from parsers.metadata import agency_from_title, extract_metadata, parse_date, region_of, year_from_title

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
        ("巴州区人民政府", None, None, "巴州区"),  # a district of 巴中市, not 巴州 (巴音郭楞)
    ],
)
def test_region_from_the_prefecture_table(agency, province, city, county):
    region = region_of(agency)
    assert (region["province"], region["city"], region["county"]) == (province, city, county)


def test_prefecture_table_is_complete_and_unambiguous():
    from parsers.metadata import CITIES, PREFECTURES

    assert len(CITIES) + len({v[0] for v in PREFECTURES.values()}) >= 333
    assert CITIES["宜昌"] == "湖北省" and CITIES["酒泉"] == "甘肃省" and CITIES["儋州"] == "海南省"


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
