"""Page furniture stays out of the narrative sections that full-text search reads.

PDF text dumps carry page numbers, the running title at each page top and paragraphs cut at the
page break into sections 一, 五, 六.  A researcher searching the narrative must find each sentence
whole and no "第3 页共4 页" or report title glued into it; the tables are not touched.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import parsers
from parsers.sections import furniture_lines

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
TITLE = "淮北市相山区人民政府2022 年政府信息公开工作年度报告"
FURNITURE = re.compile(r"第\s*\d+\s*页|共\s*\d+\s*页|—\s*\d+\s*—|-\s*\d+\s*-|\d+\s*/\s*\d+|年度报告|bookmark")

# the tables of a 2021-template report, as a PDF dump prints them (one cell a line)
TABLES = """二、主动公开政府信息情况
第二十条第（一）项
信息内容
本年制发件数
本年废止件数
现行有效件数
规章
0
0
3
行政规范性文件
5
1
20
三、收到和处理政府信息公开申请情况
申请人情况
自然人
一、本年新收政府信息公开申请数量
10
四、政府信息公开行政复议、行政诉讼情况
行政复议
结果维持
1
"""


def _report(overview: str, problems: str, other: str) -> str:
    return f"{TITLE}\n一、总体情况\n{overview}\n{TABLES}五、存在的主要问题及改进情况\n{problems}\n六、其他需要报告的事项\n{other}\n"


def _sections(text: str) -> dict:
    return parsers.parse_text(text).record["sections"]


def _flat(s: str) -> str:
    return "".join(s.split())


def test_running_title_and_split_page_number_removed_paragraph_rejoined():
    # pymupdf: "第3 页共4 页" cut into pieces around blank lines, then the next page's running title
    overview = (
        "2022 年，我区深入贯彻落实《条例》，坚持以公开为常态、不公开为例外，全面推进政务公开\n"
        "第1 \n \n \n页共4 页\n"
        f"{TITLE}\n"
        "工作。全年主动公开政府信息607 条，发布政策解读36 篇。\n"
    )
    problems = (
        "2022 年，我区政府信息公开工作取得一定成效，但仍存在政策解读形式较为单一、基层\n"
        "第3 \n \n \n页共4 页\n"
        f"{TITLE}\n"
        "公开标准化规范化水平有待提升等问题。2023 年，将进一步加强培训，提升公开质量。\n"
    )
    other = "本年度未收取信息处理费。全年办理人大代表建议34 件，均已按期办结。\n第4 页共4 页\n"
    sec = _sections(_report(overview, problems, other))
    for kind in ("overview", "problems", "other"):
        assert not FURNITURE.search(sec[kind]), (kind, sec[kind])
    assert "全面推进政务公开工作。" in _flat(sec["overview"])  # the sentence cut by the page break is whole
    assert "主动公开政府信息607条" in _flat(sec["overview"])
    assert "但仍存在政策解读形式较为单一、基层公开标准化规范化水平有待提升等问题。" in _flat(sec["problems"])
    assert "将进一步加强培训，提升公开质量。" in _flat(sec["problems"])
    assert "均已按期办结。" in _flat(sec["other"])


def test_dash_and_bare_page_numbers_removed_but_figures_kept():
    overview = (
        "2022 年，我区全年共收到政府信息公开申请\n59\n件，其中予以公开15 件，较上年增长\n"
        "— 2 —\n"
        "12%。全年组织政务公开培训9 次，将政务公开纳入年度绩效考核，考核结果\n"
        "3\n"
        "作为评价各单位工作的重要依据。\n"
    )
    problems = "存在问题：政策解读形式较为单一。\n4/7\n改进措施：丰富解读形式，提升公开质量。\n"
    sec = _sections(_report(overview, problems, "无。"))
    flat = _flat(sec["overview"])
    assert "申请59件" in flat  # a number followed by its unit is a figure, not a page number
    assert "较上年增长12%。" in flat
    assert "考核结果作为评价各单位工作的重要依据。" in flat  # the bare "3" between prose lines is gone
    assert "— 2 —" not in sec["overview"]
    assert _flat(sec["problems"]) == "存在问题：政策解读形式较为单一。改进措施：丰富解读形式，提升公开质量。"


def test_table_label_and_its_number_are_not_furniture():
    # pdftotext prints table 4's last cells ("总计" / "7") right before section 五's first sentence
    lines = ["尚未审结", "2", "", "总计", "7", "", "2023 年，我区政府信息公开工作取得一定成效，但仍存在政策解读形式较为单一、基层"]
    assert furniture_lines(lines) == set()


def test_repeated_sentence_is_not_a_running_title():
    lines = [
        TITLE,
        "本年度依法依规办理政府信息公开申请，严格落实登记、审核、答复等环节要求。",
        "本年度依法依规办理政府信息公开申请，严格落实登记、审核、答复等环节要求。",
        "- 1 -",
        TITLE,
        "全年办结58 件。",
    ]
    assert furniture_lines(lines) == {3, 4}


def test_realworld_pymupdf_dump_sections_are_clean():
    # the fixture is a real pymupdf dump: footers "第3 页共4 页" and a running title on every page
    text = (REALWORLD / "53_huaibei_xiangshan_district_2022_pymupdf_fullwidth_wrapped_t2.txt").read_text("utf-8")
    sec = _sections(text)
    for kind in ("overview", "problems", "other"):
        assert sec[kind] and not FURNITURE.search(sec[kind]), (kind, sec[kind])
    assert _flat(sec["problems"]).endswith("2023年，将进一步加强培训，提升公开质量。")
    # every sentence printed between the headings is still there (one 。 each)
    raw = _flat(text)
    printed = raw[raw.index("一、总体情况") : raw.index("二、主动公开")]
    assert _flat(sec["overview"]).count("。") == printed.count("。") > 3


# ---- the last part of a free-form report (before 2019: 六 problems, 七 other) -------------------

_FREE = (
    "东平县人民政府2014年政府信息公开工作年度报告\n一、概述\n全年政府信息公开工作平稳推进。\n"
    "二、主动公开政府信息情况\n全年主动公开政府信息812条。\n三、依申请公开政府信息情况\n全年受理申请17件，同意公开12件。\n"
    "四、政府信息公开的收费及减免情况\n未收取费用。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n未发生行政复议。\n"
    "六、存在的主要问题和改进措施\n{problems}\n{seventh}\n本报告电子版可在县政府网站下载。\n东平县人民政府\n2015年3月20日\n"
)



@pytest.mark.parametrize(
    "seventh",
    ["七、其他需要报告的事项", "七、需要说明的事项", "七、其他需要说明的事项", "七、需要报告的其他事项",
     "七、需要公开的其他事项", "七、其他事项",
     # worded as none of these: the part numbered after 六 is the last part by its place
     "七、人大代表建议和政协提案办理情况", "七、政府信息公开工作其他情况"],
)
@pytest.mark.parametrize("problems", ["公开的及时性有待提高。", "一、公开的及时性有待提高。\n二、解读工作较为薄弱。"])
def test_seventh_part_is_other_never_a_problem(seventh, problems):
    result = parsers.parse_text(_FREE.format(seventh=seventh, problems=problems))
    sec = result.record["sections"]
    assert sec["other"] == "本报告电子版可在县政府网站下载。"
    assert _flat(sec["problems"]) == _flat(problems)
    assert result.meta["sections_found"][-2:] == ["problems", "other"]


def test_problems_listed_up_to_the_next_number_keep_their_items():
    """A problems section listing 一、… 七、 itself: its 七、 is its own item, not the next part."""
    items = "\n".join(f"{n}、问题之{n}。" for n in "一二三四五六七")
    sec = parsers.parse_text(_FREE.format(seventh="", problems=items)).record["sections"]
    assert "问题之七" in sec["problems"] and sec["other"] is None


def test_free_form_report_keeps_each_parts_prose():
    """Before 2019 the statistics are sentences in 二–五: kept as text under each part's key (search
    reads them), never as numbers in the template's tables."""
    result = parsers.parse_text(_FREE.format(seventh="七、其他需要报告的事项", problems="公开的及时性有待提高。"))
    sec = result.record["sections"]
    assert result.record["template"] == "free"
    assert sec["active"] == "全年主动公开政府信息812条。"
    assert sec["applications"] == "全年受理申请17件，同意公开12件。"
    assert sec["fees"] == "未收取费用。"
    assert sec["reviews"] == "未发生行政复议。"
    assert result.record["applications"] is None and result.cells == []


def test_template_report_keeps_three_narrative_parts():
    """A template report's 二/三/四 are its tables (cells); its narrative is 一, 五 and 六 only, and a part
    printed after 六 (七、…) stays in 六's text, its heading with it."""
    sec = _sections(_report("全年工作有序推进。", "培训不足。", "无。\n七、其他需要说明的事项\n本报告数据截至年底。"))
    assert set(sec) == {"overview", "problems", "other"}
    assert _flat(sec["other"]) == "无。七、其他需要说明的事项本报告数据截至年底。"


# ---- a part of its own on 政策解读/回应关切 or 重点领域 (free-form reports of 2014–2018) ----------------

_NUMERALS = "一二三四五六七八九"


def _free_parts(parts: list[tuple[str, str]]) -> str:
    """A free-form report printing ``parts`` (heading words, text) numbered 一、二、… in order."""
    body = "".join(f"{_NUMERALS[k]}、{head}\n{text}\n" for k, (head, text) in enumerate(parts))
    return f"东平县人民政府2016年政府信息公开工作年度报告\n{body}东平县人民政府\n2017年3月20日\n"


_OVERVIEW = ("概述", "全年政府信息公开工作平稳推进。\n（一）主动公开\n及时公开各类信息。\n（三）依申请公开\n规范办理流程。")
_ACTIVE = ("主动公开政府信息情况", "全年主动公开政府信息812条。")
_LATER = [("依申请公开政府信息情况", "全年受理申请17件，同意公开12件。"),
          ("政府信息公开的收费及减免情况", "未收取费用。"),
          ("因政府信息公开申请行政复议、提起行政诉讼的情况", "未发生行政复议。"),
          ("存在的主要问题和改进措施", "一、公开的及时性有待提高。\n二、政策解读形式较为单一。\n三、加强政策解读和回应关切。"),
          ("其他需要报告的事项", "本报告电子版可在县政府网站下载。")]
_KINDS_AFTER = ["applications", "fees", "reviews", "problems", "other"]


@pytest.mark.parametrize("heading", ["政策解读与回应社会关切情况", "回应社会关切情况", "政策解读情况", "回应解读情况",
                                     "政务舆情回应情况", "重点领域信息公开情况", "强化政策解读，积极回应社会关切"])
@pytest.mark.parametrize("where", [2, 3, 5])  # right after 主动公开, after 依申请公开, after 复议诉讼
def test_interpretation_part_is_read_into_active(heading, where):
    """Such a part is 主动公开 work (the templates report it under 主动公开): its text, heading and all, joins
    `active` wherever it is printed, and the parts numbered after it are still found one number on, not the
    overview's （三）依申请公开 nor the problems' 三、加强政策解读…"""
    extra = (heading, "全年发布政策解读材料26篇，回应社会关切事项37件。")
    parts = [_OVERVIEW, _ACTIVE] + _LATER
    parts.insert(where, extra)
    sec = parsers.parse_text(_free_parts(parts)).record["sections"]
    number = _NUMERALS[where]
    assert _flat(sec["active"]) == _flat(f"全年主动公开政府信息812条。{number}、{heading}{extra[1]}")
    assert _flat(sec["overview"]) == _flat(_OVERVIEW[1])
    for kind, (_head, text) in zip(_KINDS_AFTER, _LATER, strict=True):
        assert _flat(sec[kind]) == _flat(text), kind


def test_two_such_parts_move_the_numbering_on_by_two():
    parts = [_OVERVIEW, _ACTIVE, ("重点领域信息公开情况", "公开财政预决算信息412条。"),
             ("政策解读和回应关切情况", "发布解读材料26篇。")] + _LATER
    sec = parsers.parse_text(_free_parts(parts)).record["sections"]
    assert _flat(sec["active"]) == "全年主动公开政府信息812条。三、重点领域信息公开情况公开财政预决算信息412条。四、政策解读和回应关切情况发布解读材料26篇。"
    for kind, (_head, text) in zip(_KINDS_AFTER, _LATER, strict=True):
        assert _flat(sec[kind]) == _flat(text), kind


def test_sub_items_on_interpretation_stay_in_their_part():
    """（三）政策解读 inside the overview, 1.重点领域 inside 主动公开: items of a part (another numbering than
    the parts'), not parts; the report's own parts keep their places."""
    overview = ("概述", "全年工作平稳推进。\n（三）政策解读和回应关切\n同步发布解读。")
    active = ("主动公开政府信息情况", "全年主动公开政府信息812条。\n1.重点领域信息公开\n公开预决算信息。")
    later = [("依申请公开政府信息情况", "全年受理申请17件。"), ("政府信息公开的收费及减免情况", "未收取费用。"),
             ("因政府信息公开申请行政复议、提起行政诉讼的情况", "未发生行政复议。"),
             ("存在的主要问题和改进措施", "公开的及时性有待提高。"), ("其他需要报告的事项", "无。")]
    result = parsers.parse_text(_free_parts([overview, active] + later))
    sec = result.record["sections"]
    assert _flat(sec["overview"]) == _flat(overview[1])
    assert _flat(sec["active"]) == _flat(active[1])
    assert "active_part" not in result.meta["sections_found"]


def test_template_report_is_not_split_at_an_interpretation_part():
    """A template report's narrative is 一, 五, 六: an overview sub-part on 政策解读 stays in its overview."""
    sec = _sections(_report("全年工作有序推进。\n（三）政策解读与回应关切\n发布解读26篇。", "培训不足。", "无。"))
    assert _flat(sec["overview"]) == "全年工作有序推进。（三）政策解读与回应关切发布解读26篇。"
