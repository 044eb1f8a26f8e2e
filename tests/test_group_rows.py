"""Group rows of table 3 printed without their items, and table 2 labels with a typo.

The golden cases are tests/fixtures/realworld/g18_*; these check the edges of the rules: a group's
total is never an item's, and a row is only read by its place where the place proves it.
"""

from __future__ import annotations

import parsers
from archive.reparse import _group_total
from parsers.grouprows import heading
from parsers.rowslot import one_slip, slot_row

HEAD = ("三、收到和处理政府信息公开申请情况\n"
        "\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n")
TAIL = "四、政府信息公开行政复议、行政诉讼情况\n" + "\t".join(["0"] * 15) + "\n五、存在的主要问题及改进情况\n无。\n"


def _report(rows: list[str]) -> str:
    return ("某县教育局2023年政府信息公开工作年度报告\n一、总体情况\n本年共收到申请。\n" + HEAD
            + "\n".join(rows) + "\n" + TAIL)


def _row(label: str, n: int) -> str:
    return f"{label}\t{n}\t0\t0\t0\t0\t0\t{n}"


HEAD_ROWS = [_row("一、本年新收政府信息公开申请数量", 12), _row("二、上年结转政府信息公开申请数量", 0),
             _row("三、本年度办理结果\t（一）予以公开", 4), _row("\t（二）部分公开", 1)]
UNAVAILABLE = [_row("\t（四）无法提供\t1.本机关不掌握相关政府信息", 2), _row("\t\t2.没有现成信息需要另行制作", 0),
               _row("\t\t3.补正后申请内容仍不明确", 0)]
NOT_PROCESSED = [_row("\t（五）不予处理\t1.信访举报投诉类申请", 1), _row("\t\t2.重复申请", 0), _row("\t\t3.要求提供公开出版物", 0),
                 _row("\t\t4.无正当理由大量反复申请", 0), _row("\t\t5.要求行政机关确认或重新出具已获取信息", 0)]
END_ROWS = [_row("\t（六）其他处理", 0), _row("\t（七）总计", 12), _row("四、结转下年度继续办理", 0)]


def test_a_group_printed_as_its_total_alone_is_no_item():
    result = parsers.parse_text(_report(HEAD_ROWS + [_row("\t（三）不予公开", 4)] + UNAVAILABLE + NOT_PROCESSED + END_ROWS))
    apps = result.record["applications"]
    assert all(v is None for k, row in apps.items() if k.startswith("denied_") for v in row.values())
    assert apps["unavailable_not_held"]["total"] == 2 and apps["not_processed_petition"]["total"] == 1
    assert apps["extra_rows"] == [{"label": "（三）不予公开", "values": {
        "natural_person": 4, "commercial": 0, "research": 0, "social_welfare": 0, "legal_services": 0,
        "other_org": 0, "total": 4}}]
    found = [f for f in result.findings if f["code"] == "group_total_only"]
    assert len(found) == 1 and found[0]["identity"] == "source" and found[0]["printed"] == 4
    assert len(found[0]["cells"]) == 8 * 7 and "（三）不予公开 4 0 0 0 0 0 4" in found[0]["message"]
    # the archive's group total is the printed one, the items being null
    assert _group_total(result.record, tuple(k for k in apps if k.startswith("denied_")), "不予公开") == 4


def test_a_group_heading_followed_by_rows_without_labels_is_not_taken_for_a_total():
    """Rows whose labels a dump lost after a bare heading may be its items: the heading's row is
    then no proven total (the next row names nothing), and nothing is said to be one."""
    unlabelled = [_row("", 0) for _ in range(7)]
    result = parsers.parse_text(_report(HEAD_ROWS + [_row("\t（三）不予公开", 4)] + unlabelled + UNAVAILABLE
                                        + NOT_PROCESSED + END_ROWS))
    assert not [f for f in result.findings if f["code"] == "group_total_only"]


def test_group_headings():
    assert heading("（三）不予公开") == "不予公开" and heading("\t（五）不予处理 ") == "不予处理"
    assert heading("无法提供") == "无法提供" and heading("三、本年度办理结果（四）无法提供") == "无法提供"
    assert heading("只计这一情形，不计其他情形）（三）不予公开") == "不予公开"  # the row above's words wrapped
    assert heading("只计这一情形，不计其他情形）不予公开") is None  # a heading after other words needs its numeral
    assert heading("（四）不予公开") is None  # its numeral is another group's
    assert heading("（三）不予公开1.属于国家秘密") is None and heading("（三）不予公开小计") is None


def test_one_character_typed_wrong():
    assert one_slip("行政计可", "行政许可") and one_slip("行政事业性收贵", "行政事业性收费")
    assert not one_slip("行政确认", "行政许可")  # other words
    assert not one_slip("行政处", "行政处罚")  # a character lost (OCR): stays null, tests/test_unplaced_rows.py
    assert not one_slip("行政许可", "行政许可") and not one_slip("规草", "规章")


def test_a_typo_is_read_only_in_its_proven_slot():
    rows = ["regulations", "normative_documents", "licensing", "punishment", "coercion", "fees"]
    order = ["regulations", "normative_documents", None, "punishment", "coercion", "fees"]
    assert slot_row(order, "行政计可", rows) == "licensing"
    # the typo printed after 行政处罚 (the rows out of the template's order): not proven
    assert slot_row(["regulations", "normative_documents", "punishment", None, "coercion", "fees"], "行政计可", rows) is None
    # another row missing too: the slot is not the typo's alone
    assert slot_row(["regulations", "normative_documents", None, "punishment", "fees"], "行政计可", rows) is None
    assert slot_row(order, "行政确认", rows) is None
