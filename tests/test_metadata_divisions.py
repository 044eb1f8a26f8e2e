"""The division data the metadata places bodies with: former names and national new areas.

Data rows are checked against the current division list (a former county's prefecture and province
must exist, as they were then), and the lookups are tested on names as reports print them.
"""

from __future__ import annotations

import pytest

from parsers.divisions import COUNTY, FORMER, PREFECTURE, PROVINCE, ZONES, by_name, zone_named
from parsers.metadata import region_of


def _current(name: str, rank: int) -> list:
    return [d for d in by_name(name) if d.rank == rank]


def test_every_former_division_hangs_under_a_real_unit():
    for name, formers in FORMER.items():
        for f in formers:
            d = f.division
            assert _current(d.province, PROVINCE), (name, d.province)
            assert 1990 <= f.until <= 2025, name
            if d.prefecture:
                held = [p for p in _current(d.prefecture, PREFECTURE) if p.province == d.province]
                was = [g for g in FORMER.get(d.prefecture, ()) if g.division.rank == PREFECTURE]
                assert held or was, (name, d.prefecture)


def test_former_names_are_not_current_divisions_of_the_same_place():
    for name, formers in FORMER.items():
        for f in formers:
            same = [d for d in by_name(name) if d.province == f.division.province and d.rank == f.division.rank
                    and d.prefecture == f.division.prefecture]
            assert not same or name == "巢湖市", name  # 巢湖市: 地级 until 2011, a county-level city since


def test_national_new_areas_lie_in_real_places_and_are_no_divisions():
    assert len(ZONES) == 16  # the 19 national new areas less the three in divisions.tsv
    for zone in ZONES.values():
        assert _current(zone.province, PROVINCE), zone
        if zone.prefecture:
            assert any(p.province == zone.province for p in _current(zone.prefecture, PREFECTURE)), zone
        assert not by_name(zone.name), zone  # a 新区 that is a district (浦东新区) belongs in divisions.tsv


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("两江新区", "两江新区"),
        ("重庆两江新区", "两江新区"),
        ("河北雄安新区", "雄安新区"),
        ("青岛西海岸新区", "西海岸新区"),
        ("湖南雄安新区", None),  # printed after another province: not that area
        ("江北区", None),
    ],
)
def test_zone_named(name, zone):
    found = zone_named(name)
    assert (found.name if found else None) == zone


@pytest.mark.parametrize(
    ("agency", "year", "place"),
    [
        # a former 地区 is the city under its own name, whatever the report year says
        ("日喀则地区行政公署", 2013, ("西藏自治区", "日喀则地区", None)),
        ("日喀则地区行政公署", None, ("西藏自治区", "日喀则地区", None)),
        ("日喀则市人民政府", 2023, ("西藏自治区", "日喀则市", None)),
        ("铜仁地区教育局", 2010, ("贵州省", "铜仁地区", None)),
        # the longer current name still wins over a shorter former one (梅县区 is not 梅县)
        ("梅县区人民政府", 2023, ("广东省", "梅州市", "梅县区")),
        ("湟中县人民政府", 2018, ("青海省", "西宁市", "湟中县")),
        ("库车县人民政府", 2018, ("新疆维吾尔自治区", "阿克苏地区", "库车县")),
        ("同仁县人民政府", 2019, ("青海省", "黄南藏族自治州", "同仁县")),
    ],
)
def test_former_places(agency, year, place):
    r = region_of(agency, (), year)
    assert (r["province"], r["city"], r["county"]) == place


def test_a_body_without_a_place_is_placed_by_its_address_only_when_it_sits_somewhere():
    # a central ministry's Beijing address does not make it 北京市; a customs office's does place it
    assert region_of("教育部", ["地址：北京市西城区西单大木仓胡同37号"])["province"] is None
    assert region_of("海关总署", ["地址：北京市东城区建国门内大街6号"])["province"] is None
    assert region_of("拱北海关", ["地址：珠海市香洲区迎宾南路"])["city"] == "珠海市"
    assert region_of("拱北海关", ["地址：珠海市香洲区迎宾南路"])["county"] is None
    # a town's name far from any place in the text stays unplaced rather than guessed
    assert region_of("古镇镇人民政府", ["本镇位于珠江西岸，毗邻中山市。"])["county"] is None


def test_counties_of_former_rows_are_county_rank():
    assert all(f.division.rank in (PREFECTURE, COUNTY) for fs in FORMER.values() for f in fs)


def test_an_office_named_like_a_county_is_placed_there_only_when_it_sits_there():
    # a 调查队 is named after the county it surveys
    r = region_of("国家统计局肇东调查队", [])
    assert (r["city"], r["county"]) == ("绥化市", "肇东市")
    # a sea's or a port's name that is also a county's: placed by the address, never by the name alone
    assert region_of("东海海事局", ["地址：上海市浦东新区"])["county"] is None
    assert region_of("南海海事局", ["地址：广州市越秀区"])["county"] is None
    assert region_of("黄埔海关", ["地址：东莞市南城区"])["county"] is None
    assert region_of("黄埔海关", [])["county"] is None
    r = region_of("满洲里海关", ["地址：内蒙古自治区满洲里市"])
    assert (r["city"], r["county"]) == ("呼伦贝尔市", "满洲里市")
