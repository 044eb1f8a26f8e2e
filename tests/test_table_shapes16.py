"""Table 4 with rate columns, table 3 on its side, table 3 in three columns: read only where the
header proves each column, else left to the template readers (whole reports: realworld s16_*)."""

from __future__ import annotations

from parsers.tables import parse_table3, parse_table4
from parsers.template import ROW_LABELS, ROWS_2021

T4_HEAD = [
    "行政复议\t\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\t\t",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t{r}\t未经复议直接起诉\t\t\t\t\t\t复议后起诉\t\t\t\t\t",
    "\t\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t{r}\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t{r}",
]
T4_ROW = "2\t3\t0\t3\t8\t38%\t0\t3\t0\t0\t3\t100%\t3\t3\t0\t2\t8\t38%"


def _t4(rate_header: str, row: str = T4_ROW) -> list:
    t4 = parse_table4([h.format(r=rate_header) for h in T4_HEAD] + [row])
    return [c.value if c else None for c in t4.cells] if t4 else []


def test_rate_columns_named_by_the_header_are_left_out():
    for name in ("纠错率", "占比（%）", "纠错率(%)"):
        assert _t4(name) == [2, 3, 0, 3, 8, 0, 3, 0, 0, 3, 3, 3, 0, 2, 8]


def test_an_extra_column_the_header_does_not_name_a_rate_is_no_reason_to_drop_it():
    # 18 numbers under a header whose extra columns are named 备注: which 15 are the counts is not
    # proved, so no count may come from this reading
    got = _t4("备注", T4_ROW.replace("%", ""))
    assert got in ([], [None] * 15)


def _rows3(values: dict[str, tuple[int, int, int]]) -> list[str]:
    head = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\t\t",
            "\t自然人\t法人或其他组织\t总计"]
    return head + ["\t".join([ROW_LABELS[k], *map(str, v)]) for k, v in values.items()]


def _consistent3() -> dict[str, tuple[int, int, int]]:
    rows = dict.fromkeys(ROWS_2021, (0, 0, 0))
    rows.update(new_received=(9, 42, 51), carried_over=(3, 0, 3), granted=(2, 11, 13),
                unavailable_not_held=(9, 30, 39), total_processed=(11, 41, 52), carried_forward=(1, 1, 2))
    return rows


def test_three_columns_keep_natural_person_and_total_and_leave_the_five_subcolumns_null():
    t3 = parse_table3(_rows3(_consistent3()))
    new = [c.value if c else None for c in t3.rows["new_received"]]
    assert new == [9, None, None, None, None, None, 51]
    assert not t3.unaligned
    assert any("法人或其他组织" in w and "42" in w for w in map(str, t3.warnings))


def test_a_fourth_column_is_not_the_three_column_shape():
    lines = _rows3(_consistent3())
    lines[1] = "\t自然人\t法人或其他组织\t其他\t总计"
    lines[2:] = [line + "\t0" for line in lines[2:]]
    t3 = parse_table3(lines)
    got = [c.value if c else None for c in t3.rows.get("new_received") or []]
    assert got[:1] != [9] or got[-1:] != [51] or None not in got[1:6]  # not read as 自然人 … 总计 with blanks


SIDE_HEAD = [
    "申请人情况\t一、本年新收政府信息公开申请数量\t二、上年结转政府信息公开申请数量\t三、本年度办理结果\t\t四、结转下年度继续办理",
    "\t\t\t（一）予以公开\t（七）总计\t",
]


ZEROS = [f"法人或其他组织—{t}\t0\t0\t0\t0\t0" for t in ("科研机构", "社会公益组织", "法律服务机构", "其他")]


def test_sideways_table3_is_placed_by_its_headers_and_row_labels():
    lines = SIDE_HEAD + ["自然人\t5\t1\t6\t6\t0", "法人或其他组织—商业企业\t2\t0\t2\t2\t0", *ZEROS, "总计\t7\t1\t8\t8\t0"]
    t3 = parse_table3(lines)
    val = lambda k: [c.value if c else None for c in t3.rows[k]]  # noqa: E731
    assert val("new_received") == [5, 2, 0, 0, 0, 0, 7]
    assert val("granted") == [6, 2, 0, 0, 0, 0, 8]
    assert val("carried_forward") == [0, 0, 0, 0, 0, 0, 0]
    assert "denied_state_secret" not in t3.rows or all(c is None for c in t3.rows["denied_state_secret"])


def test_sideways_table3_missing_an_applicant_row_stays_null():
    lines = SIDE_HEAD + ["自然人\t5\t1\t6\t6\t0", "法人或其他组织—商业企业\t2\t0\t2\t2\t0", "总计\t7\t1\t8\t8\t0"]
    t3 = parse_table3(lines)
    assert t3 is None or all(c is None for cells in t3.rows.values() for c in cells)


def test_sideways_table3_that_does_not_add_up_stays_null():
    lines = SIDE_HEAD + ["自然人\t5\t1\t7\t6\t0", "法人或其他组织—商业企业\t2\t0\t2\t2\t0", *ZEROS, "总计\t7\t1\t8\t8\t0"]
    t3 = parse_table3(lines)
    assert t3.unaligned
    assert all(c is None for cells in t3.rows.values() for c in cells)


def test_sideways_row_naming_no_applicant_type_stays_null():
    lines = SIDE_HEAD + ["自然人\t5\t1\t6\t6\t0", "其中：线上申请\t2\t0\t2\t2\t0", *ZEROS, "总计\t7\t1\t8\t8\t0"]
    t3 = parse_table3(lines)
    assert t3 is None or all(c is None for cells in t3.rows.values() for c in cells)
