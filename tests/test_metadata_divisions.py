"""The division data the metadata places bodies with: former names and national new areas.

Data rows are checked against the current division list (a former county's prefecture and province
must exist, as they were then), and the lookups are tested on names as reports print them.
"""

from __future__ import annotations

import pytest

from parsers.divisions import (
    COUNTY,
    FORMER,
    PREFECTURE,
    PROVINCE,
    SEATS,
    ZONES,
    by_name,
    seat_named,
    zone_named,
)
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


def test_listed_seats_lie_in_real_places_and_every_customs_district_is_placed_there():
    customs = [s for s in SEATS.values() if s.kind == "customs"]
    assert len(customs) == 42  # the 海关总署's 直属海关
    for seat in SEATS.values():
        assert seat.kind in ("zone", "customs"), seat
        assert _current(seat.province, PROVINCE), seat
        if seat.prefecture:
            assert any(p.province == seat.province for p in _current(seat.prefecture, PREFECTURE)), seat
        assert not by_name(seat.name) and seat.name not in ZONES, seat
    for seat in customs:
        # named after its city (青岛海关) or a port (拱北海关), a 直属海关 is placed at the listed seat
        r = region_of(seat.name, [])
        assert (r["province"], r["city"] or None) == (seat.province, seat.prefecture), seat


@pytest.mark.parametrize(
    ("agency", "place"),
    [
        ("平潭综合实验区管理委员会", ("福建省", None, "平潭综合实验区")),
        ("长白山保护开发区管理委员会", ("吉林省", None, "长白山保护开发区")),
        ("杨凌农业高新技术产业示范区管理委员会", ("陕西省", None, "杨凌农业高新技术产业示范区")),
        ("黄埔海关", ("广东省", "东莞市", None)),
        ("拱北海关驻港珠澳大桥办事处", ("广东省", "珠海市", None)),
        # the zone's part in one city, printed after the zone's name
        ("四川天府新区成都管理委员会", ("四川省", "成都市", "天府新区")),
        ("四川天府新区眉山管理委员会", ("四川省", "眉山市", "天府新区")),
        ("天府新区", ("四川省", None, "天府新区")),
        # a 自由贸易试验区 is its province's, its 片区 in the city the 片区 names; never a central body
        ("中国（上海）自由贸易试验区临港新片区管理委员会", ("上海市", None, None)),
        ("中国（广东）自由贸易试验区广州南沙新区片区管理委员会", ("广东省", "广州市", None)),
        ("中国(黑龙江)自由贸易试验区哈尔滨片区管理委员会", ("黑龙江省", "哈尔滨市", None)),
        ("中国（福建）自由贸易试验区", ("福建省", None, None)),
        ("中国（海南）自由贸易港建设工作委员会办公室", ("海南省", None, None)),
        # a 片区 named after no city the division list knows leaves the city null, never a guess
        ("中国（四川）自由贸易试验区川南临港片区管理委员会", ("四川省", None, None)),
    ],
)
def test_bodies_whose_name_holds_no_division(agency, place):
    r = region_of(agency, [])
    assert (r["province"], r["city"], r["county"]) == place
    assert seat_named("杨凌示范区公安局").name == "杨凌示范区"


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
