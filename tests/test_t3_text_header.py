"""Table 3 of a text dump whose columns are printed in another order than the template's.

A permutation of the five 法人或其他组织 columns keeps every row's sum, so only the header can
tell.  A text dump keeps its header's order within a line (parsers/headerwords.py, shared with
table 4's reader): where its lines prove the order the rows are read by it; where they depart from
the template's without proving another, table 3 is null with `unaligned`, never read in template
order (goldens t3_columns_* in tests/fixtures/text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_text
from parsers.colorder import order_departs, reading_order

TEXT = Path(__file__).parent / "fixtures" / "text"
ROW = "一、本年新收政府信息公开申请数量 120 1 8 3 0 2 134"


@pytest.mark.parametrize(("header", "order"), [
    # the merged cell printed once, the five under it (spaces, a layout dump's columns)
    (["自然人 法人或其他组织 总计", "科研机构 商业企业 法律服务机构 社会公益组织 其他"], [0, 2, 1, 4, 3, 5, 6]),
    (["第一项加 自然人   法人或其他组织        总计", "  科研机构 商业企业  法律服务   社会公益   其他",
      "               机构     组织"], [0, 2, 1, 4, 3, 5, 6]),
    # the merged cell first: the five stand before 自然人
    (["法人或其他组织 自然人 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"], [5, 0, 1, 2, 3, 4, 6]),
    # one line naming the seven
    (["总计 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他"], [1, 2, 3, 4, 5, 6, 0]),
    (["自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"], list(range(7))),
])
def test_a_header_read_line_by_line_proves_the_order(header, order):
    assert reading_order([*header, ROW]) == order


@pytest.mark.parametrize("header", [
    ["自然人", "法人或其他组织", "总计", "科研机构", "商业企业", "社会公益组织", "法律服务机构", "其他"],  # text blocks
    ["自然人 总计", "科研机构 商业企业 法律服务机构 社会公益组织 其他"],  # where the five stand is not printed
    ["自然人 法人或其他组织 总计", "科研机构 商业企业 法律服务", "社会公益 其他"],  # the five over two lines
    [],
])
def test_a_header_that_proves_no_order(header):
    assert reading_order([*header, ROW]) is None


def test_a_header_departing_from_the_template_without_proving_an_order_is_seen():
    assert order_departs(["自然人 法人或其他组织 总计", "科研机构 商业企业 法律服务", "社会公益 其他", ROW])
    assert not order_departs(["自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益", "法律服务 其他", ROW])


def test_layout_dump_read_by_its_header():
    result = parse_text((TEXT / "t3_columns_in_header_order_pdftotext_layout_2023.txt").read_text(encoding="utf-8"))
    apps = result.record["applications"]
    assert [apps["new_received"][c] for c in ("natural_person", "commercial", "research", "social_welfare",
                                              "legal_services", "other_org", "total")] == [120, 8, 1, 0, 3, 2, 134]
    assert any("read by the header" in w for w in result.meta["warnings"])
    assert not [f for f in result.findings if f["code"] == "unaligned"]


def test_layout_dump_whose_header_departs_unread_is_null_with_a_finding():
    result = parse_text((TEXT / "t3_columns_header_departs_unread_2023.txt").read_text(encoding="utf-8"))
    assert all(v is None for row in result.record["applications"].values() for v in row.values())
    assert [f["cells"] for f in result.findings if f["code"] == "unaligned"] == [["applications"]]
