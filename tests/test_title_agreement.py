"""One project, one answer: the crawler's classifier (what it files, under which year and body) and
the parser's record (metadata from the report's own title) read a title alike.

- A report over two years (2022—2023年度, 2023年和2024年, 二〇二二至二〇二三年度) is filed in the later
  year: published after both, it is the report due for the later one, and its 结转下年度 is what the
  next year's report carries over.
- A joint report (A和B, A及B, A暨B, A与B, A、B) is both bodies', named as the title prints them; a 和
  inside one body's name (住房和城乡建设局) joins nothing.
- An item published beside a report (一张图读懂…, 关于《…》的政策解读, …解读, 图解) is not the report.
- A body printed only after the report's name (…年度报告—水利部, …_XX市财政局, …（XX局）) is that body
  to both, a government's name after a template's join (…_XX县人民政府) is its portal's to both, and a
  column's name before a colon (政府信息公开年报：XX区人民政府2023年…) is no part of the body's.
"""

from __future__ import annotations

import pytest

from crawler.classify import classify
from parsers.metadata import agency_from_title, joint_bodies, names_report, year_from_title

SPANS = [
    ("XX县审计局2023年和2024年政府信息公开工作年度报告", "XX县审计局", 2024),
    ("某市教育局2023年度和2024年度政府信息公开工作年度报告", "某市教育局", 2024),
    ("某县人民政府2022-2023年政府信息公开工作年度报告", "某县人民政府", 2023),
    ("某县人民政府2022—2023年度政府信息公开工作年度报告", "某县人民政府", 2023),
    ("某市财政局2023、2024年度政府信息公开工作年度报告", "某市财政局", 2024),
    ("某市财政局2023年及2024年政府信息公开工作年度报告", "某市财政局", 2024),
    ("某市财政局2023至2024年度政府信息公开工作年度报告", "某市财政局", 2024),
    ("二〇二二至二〇二三年度某县人民政府政府信息公开工作年度报告", "某县人民政府", 2023),
    ("2023年和2024年某县人民政府政府信息公开工作年度报告", "某县人民政府", 2024),
    # one year, a date after it: no span
    ("某市财政局2023年政府信息公开工作年度报告（2024年3月修订）", "某市财政局", 2023),
    ("某县人民政府2023年政府信息公开工作年度报告", "某县人民政府", 2023),
]


@pytest.mark.parametrize(("title", "agency", "year"), SPANS)
def test_a_report_over_two_years_is_filed_in_the_later_year_by_both(title: str, agency: str, year: int) -> None:
    verdict = classify(title)
    assert verdict["is_report"]
    assert year_from_title(title) == verdict["year"] == year
    assert agency_from_title(title) == verdict["agency"] == agency


JOINT = [
    ("崇义县人民政府及县政府办公室2023年政府信息公开工作年度报告", ["崇义县人民政府", "崇义县政府办公室"]),
    ("伊吾县人民政府及其办公室2023年政府信息公开工作年度报告", ["伊吾县人民政府", "伊吾县人民政府办公室"]),
    ("巴里坤哈萨克自治县人民政府暨县政府办公室2023年政府信息公开工作年度报告",
     ["巴里坤哈萨克自治县人民政府", "巴里坤哈萨克自治县政府办公室"]),
    ("土默特右旗人民政府和旗人民政府办公室2023年度政府信息公开工作年度报告",
     ["土默特右旗人民政府", "土默特右旗人民政府办公室"]),
    ("某市人民政府办公室和市大数据局2022年政府信息公开工作年度报告", ["某市人民政府办公室", "某市大数据局"]),
    ("镇江市发展和改革委员会与镇江市粮食和物资储备局2023年政府信息公开工作年度报告",
     ["镇江市发展和改革委员会", "镇江市粮食和物资储备局"]),
    ("海淀区人力资源和社会保障局和海淀区医疗保障局2023年政府信息公开工作年度报告",
     ["海淀区人力资源和社会保障局", "海淀区医疗保障局"]),
    ("金华市文化广电旅游局及金华市文物局2023年政府信息公开工作年度报告", ["金华市文化广电旅游局", "金华市文物局"]),
    ("中共崇义县委办公室和崇义县人民政府办公室2023年政府信息公开工作年度报告",
     ["中共崇义县委办公室", "崇义县人民政府办公室"]),
    ("固阳县人民政府、县政府办公室2023年政府信息公开工作年度报告", ["固阳县人民政府", "固阳县政府办公室"]),
    ("温州市人民政府办公室、温州市大数据发展管理局2019年政府信息公开工作年度报告",
     ["温州市人民政府办公室", "温州市大数据发展管理局"]),
]


@pytest.mark.parametrize(("title", "bodies"), JOINT)
def test_a_joint_report_is_both_bodies_as_printed_by_both(title: str, bodies: list[str]) -> None:
    verdict = classify(title)
    assert verdict["is_report"]
    assert agency_from_title(title) == verdict["agency"]
    assert joint_bodies(verdict["agency"]) == bodies


# one body each, whatever 和/及/与 its name holds (工作 too: a 工作局 is a body, no "…公开工作" fragment)
ONE_BODY = [
    "德州市德城区住房和城乡建设局", "某市人力资源和社会保障局", "某市工业和信息化局", "某市文化和旅游局",
    "某市文化广电和旅游局", "某市卫生健康和计划生育委员会", "某县自然资源和规划局", "某市发展和改革委员会",
    "某市经济和信息化委员会", "某市民族和宗教事务委员会", "某市粮食和物资储备局", "某市政务服务和大数据管理局",
    "某市商务和投资促进局", "某市城市管理和综合执法局", "某市科学技术和工业信息化局", "某县农业农村和水利局",
    "某市交通运输和物流局", "某县教育和体育局", "某县行政审批和政务服务局", "某县生态环境和应急管理局",
    "某市政府和社会资本合作中心", "某市政府与社会资本合作中心", "某市规划和自然资源局",
    "某县卫生健康和体育局", "某市财政和金融工作局", "和田地区行政公署", "和林格尔县人民政府",
    "呼和浩特市住房和城乡建设局",
]


@pytest.mark.parametrize("body", ONE_BODY)
def test_a_name_with_and_inside_is_one_body(body: str) -> None:
    title = f"{body}2023年政府信息公开工作年度报告"
    assert joint_bodies(body) == [body]
    assert agency_from_title(title) == body
    verdict = classify(title)
    assert verdict["is_report"] and verdict["agency"] == body


DERIVATIVES = [
    "一张图读懂某县2023年度政府信息公开工作年度报告",
    "一图读懂某市财政局2023年政府信息公开工作年度报告",
    "关于《某市人民政府2023年政府信息公开工作年度报告》的政策解读",
    "某市人民政府2023年政府信息公开工作年度报告解读",
    "图解：某县2023年政府信息公开工作年度报告",
    "【文字解读】聊城市人民政府2024年政府信息公开工作年度报告",
    "【视频】聊城市人民政府2024年政府信息公开工作年度报告",
    "某县2023年政府信息公开工作年度报告（图解版）",
    "三分钟看懂某区2023年政府信息公开工作年度报告",
    "某县2023年政府信息公开工作年度报告H5",
    "某县2023年政府信息公开工作年度报告（图文解读）",
]
REPORTS = [
    "某县人民政府新闻办公室2023年政府信息公开工作年度报告",  # 新闻 in the body's name
    "某市人民政府2023年政府信息公开工作年度报告及解读",  # 2-in-1: the report with its 解读
    "某市人民政府2023年政府信息公开工作年度报告（附解读）",
    "[图文]沾化区2023年政府信息公开工作年度报告",  # a listing's picture badge
    "某县2023年政府信息公开工作年度报告（图文版）",  # the report itself laid out with pictures
    "附件1：金山区2023年政府信息公开工作年度报告.pdf；附件2：金山区2023年政府信息公开工作年度报告解读.pdf",
    "某县人民政府2023年政府信息公开工作年度报告",
]


@pytest.mark.parametrize("title", DERIVATIVES)
def test_an_item_published_beside_the_report_is_no_report_to_either(title: str) -> None:
    assert not classify(title)["is_report"]
    assert not names_report(title)


@pytest.mark.parametrize("title", REPORTS)
def test_the_report_itself_is_one_to_both(title: str) -> None:
    assert classify(title)["is_report"]
    assert names_report(title)


def test_a_derivative_page_without_tables_is_refused_as_no_report() -> None:
    from parsers import parse_text
    from parsers.errors import ParseError

    text = "一张图读懂某县2023年度政府信息公开工作年度报告\n" + "某县人民政府\n2024年1月20日\n"
    with pytest.raises(ParseError, match="not an annual report"):
        parse_text(text)


def test_a_joint_report_of_a_government_and_its_office_is_a_governments() -> None:
    from parsers.metadata import level_and_kind

    place = {"province": "广东省", "city": "佛山市", "county": None, "town": None}
    assert level_and_kind("佛山市人民政府及市政府办公室", place) == ("市", "government")
    assert level_and_kind("佛山市人民政府办公室和市大数据局", place) == ("市", "department")
    assert level_and_kind("佛山市住房和城乡建设局", place) == ("市", "department")


def test_a_joint_report_printing_each_bodys_tables_apart_is_the_first_sets_body() -> None:
    """The record holds the first set of tables (tables 3 and 4 end where the second body's begin):
    under numbered headings naming each body, the record is the first one's (realworld b13b_07)."""
    from parsers.metadata import first_set_body

    joint = "崇义县人民政府及县政府办公室"
    apart = ["三、收到和处理政府信息公开申请情况", "（一）崇义县人民政府", "…", "（二）县政府办公室", "…"]
    assert first_set_body(joint, apart) == "崇义县人民政府"
    assert first_set_body(joint, ["（一）县政府办公室", "…", "（二）崇义县人民政府", "…"]) == "崇义县政府办公室"
    # one set of tables for both, a signature naming each, or one heading only: both bodies'
    assert first_set_body(joint, ["三、收到和处理政府信息公开申请情况", "（一）依申请公开", "崇义县人民政府",
                                  "崇义县人民政府办公室", "2024年1月20日"]) is None
    assert first_set_body(joint, ["（一）崇义县人民政府", "…"]) is None
    assert first_set_body("崇义县人民政府", apart) is None


AFTER_OR_LABELLED = [
    ("2023年政府信息公开工作年度报告—水利部", "水利部"),
    ("2023年政府信息公开工作年度报告——青山街道办事处", "青山街道办事处"),
    ("2023年度政府信息公开工作年度报告_某市财政局", "某市财政局"),
    ("2023年政府信息公开工作年度报告 某市财政局", "某市财政局"),
    ("2023年政府信息公开工作年度报告（某市生态环境局）", "某市生态环境局"),
    ("2023年政府信息公开工作年度报告(2023年)(某市生态环境局)", "某市生态环境局"),
    ("2023年政府信息公开工作年度报告——某县人民政府", "某县人民政府"),
    ("政府信息公开年报：某区人民政府2023年政府信息公开工作年度报告", "某区人民政府"),
    ("政务公开：某县民政局2023年政府信息公开工作年度报告", "某县民政局"),
    # a government's name after a template's join is the portal's; a column's name is no body's
    ("2023年度政府信息公开工作年度报告_某县人民政府", None),
    ("2023年政府信息公开工作年度报告-某县人民政府", None),
    ("政府信息公开年报：2023年政府信息公开工作年度报告", None),
    ("2023年政府信息公开工作年度报告（全文）", None),
]


@pytest.mark.parametrize(("title", "agency"), AFTER_OR_LABELLED)
def test_a_body_after_the_reports_name_or_a_columns_label_is_read_alike(title: str, agency: str | None) -> None:
    assert classify(title)["is_report"]
    assert agency_from_title(title) == classify(title)["agency"] == agency



# A place printed bare is its government, to the classifier as to the parser (parsers.placebody): a
# department keeps its name, a zone (run by a 管委会 the title does not name) and a 兵团 师市 stay as printed; a
# 新区 that is an administrative district (浦东新区, 滨海新区: county codes below 70 in divisions.tsv) is a 区.
BARE_PLACES = [
    ("成都市武侯区2024年政府信息公开工作年度报告", "成都市武侯区人民政府"),
    ("四川省2024年政府信息公开工作年度报告", "四川省人民政府"),
    ("成都市2024年政府信息公开工作年度报告", "成都市人民政府"),
    ("凉山彝族自治州木里藏族自治县2024年政府信息公开工作年度报告", "凉山彝族自治州木里藏族自治县人民政府"),
    ("鄂托克前旗2024年政府信息公开工作年度报告", "鄂托克前旗人民政府"),
    ("邛崃市平乐镇2024年政府信息公开工作年度报告", "邛崃市平乐镇人民政府"),
    ("某县某乡2024年政府信息公开工作年度报告", "某县某乡人民政府"),
    ("成都市武侯区簇桥街道2024年政府信息公开工作年度报告", "成都市武侯区簇桥街道办事处"),
    ("阿里地区2024年政府信息公开工作年度报告", "阿里地区行政公署"),
    ("阿拉善盟2024年政府信息公开工作年度报告", "阿拉善盟行政公署"),
    ("北京市朝阳区来广营地区2024年政府信息公开工作年度报告", "北京市朝阳区来广营地区办事处"),
    ("成都市武侯区教育局2024年政府信息公开工作年度报告", "成都市武侯区教育局"),
    ("XX县教育局2024年政府信息公开工作年度报告", "XX县教育局"),
    ("成都市武侯区人民政府2024年政府信息公开工作年度报告", "成都市武侯区人民政府"),
    ("成都高新区2024年政府信息公开工作年度报告", "成都高新区"),
    ("中国(上海)自由贸易试验区2024年政府信息公开工作年度报告", "中国(上海)自由贸易试验区"),
    ("周口港区2024年政府信息公开工作年度报告", "周口港区"),
    ("秦皇岛市海港区2024年政府信息公开工作年度报告", "秦皇岛市海港区人民政府"),
    ("第八师石河子市2024年政府信息公开工作年度报告", "第八师石河子市"),
    # a 新区 (or a name ending as a zone's) that the division list has as a district is a 区: its 人民政府
    ("上海市浦东新区2024年政府信息公开工作年度报告", "上海市浦东新区人民政府"),
    ("天津市滨海新区2024年政府信息公开工作年度报告", "天津市滨海新区人民政府"),
    ("浦东新区2024年政府信息公开工作年度报告", "浦东新区人民政府"),
    ("沈阳市沈北新区2024年政府信息公开工作年度报告", "沈阳市沈北新区人民政府"),
    ("长春市绿园区2024年政府信息公开工作年度报告", "长春市绿园区人民政府"),
    # …and a 国家级新区 that is no division, or a zone another city names as a district has, stays as printed
    ("重庆两江新区2024年政府信息公开工作年度报告", "重庆两江新区"),
    ("河北雄安新区2024年政府信息公开工作年度报告", "河北雄安新区"),
    ("秦皇岛市北戴河新区2024年政府信息公开工作年度报告", "秦皇岛市北戴河新区"),
    ("汕头市滨海新区2024年政府信息公开工作年度报告", "汕头市滨海新区"),
]


@pytest.mark.parametrize(("title", "body"), BARE_PLACES)
def test_a_bare_place_is_its_government_to_both(title: str, body: str) -> None:
    verdict = classify(title)
    assert verdict["is_report"]
    assert agency_from_title(title) == verdict["agency"] == body
