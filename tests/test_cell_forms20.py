"""Report forms a blind set left null (real23): a unit in brackets after a count, table 3 on its side
under the template's two-level header, `<pre>` tables, pages pasted into one file, and the later page
of an article split inside table 3 read alone.  Whole reports: realworld x20_* (make_x20.py)."""

from __future__ import annotations

import parsers
from parsers.formats.html import extract, pre_lines
from parsers.formats.htmldocs import documents
from parsers.tables import parse_table3
from parsers.template import ROW_LABELS
from parsers.tokens import parse_number, value_cell
from parsers.transposed import _numbered_item


def test_a_count_naming_its_unit_in_brackets_is_the_count():
    for text in ("12（件）", "12(件)", "12 （件）", "3（个）", "1,234（件）"):
        assert parse_number(text) == int(text.split("（")[0].split("(")[0].replace(",", "").strip()), text


def test_brackets_holding_more_than_the_unit_are_no_count():
    for text in ("12（其中5件）", "12（件数）", "（件）", "12（万元）", "12（件）（件）", "12（人）"):
        assert parse_number(text) is None, text


def test_two_numbers_before_a_bracketed_unit_stay_no_value():
    cell = value_cell("350 349（件）")
    assert cell is not None and cell.value is None  # never 350349


def test_a_sideways_header_names_an_item_by_its_group_and_number_only_when_its_words_fit():
    assert _numbered_item("其他处理-1.申请人无正当理由逾期") == "other_overdue_correction"
    assert _numbered_item("（六）其他处理2.申请人逾期未按收费通") == "other_unpaid_fee"
    assert _numbered_item("其他处理-1.重复申请") is None  # another item's words under that number
    assert _numbered_item("不予公开-9.属于国家秘密") is None  # the group has eight items
    assert _numbered_item("申请人无正当理由逾期") is None  # no group, no number


TWO_LEVEL = [
    "申请人情况\t\t一、本年新收政府信息公开申请数量\t二、上年结转政府信息公开申请数量\t三、本年度办理结果\t\t\t四、结转下年度继续办理",
    "\t\t\t\t（一）予以公开\t（三）不予公开\t（七）总计\t",
    "\t\t\t\t\t1.属于国家秘密\t\t",
]


def _sideways(rows: list[str]):
    t3 = parse_table3(TWO_LEVEL + rows)
    return {k: [c.value if c else None for c in v] for k, v in t3.rows.items()} if t3 else {}


def test_sideways_table3_with_a_merged_legal_person_label_beside_its_five_types():
    rows = ["自然人\t\t5\t1\t5\t1\t6\t0", "法人或其他组织\t商业企业\t2\t0\t2\t0\t2\t0"]
    rows += [f"\t{t}\t0\t0\t0\t0\t0\t0" for t in ("科研机构", "社会公益组织", "法律服务机构", "其他")]
    rows += ["总计\t\t7\t1\t7\t1\t8\t0"]
    got = _sideways(rows)
    assert got["new_received"] == [5, 2, 0, 0, 0, 0, 7]
    assert got["denied_state_secret"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["total_processed"] == [6, 2, 0, 0, 0, 0, 8]


def test_sideways_table3_with_a_merged_label_that_does_not_add_up_stays_null():
    rows = ["自然人\t\t5\t1\t5\t1\t6\t0", "法人或其他组织\t商业企业\t2\t0\t2\t0\t3\t0"]
    rows += [f"\t{t}\t0\t0\t0\t0\t0\t0" for t in ("科研机构", "社会公益组织", "法律服务机构", "其他")]
    rows += ["总计\t\t7\t1\t7\t1\t8\t0"]
    assert all(v is None for cells in _sideways(rows).values() for v in cells)


def test_pre_text_keeps_its_lines_and_the_columns_a_browser_shows():
    # a wide character takes two columns of the monospace font: 规章 + 12 spaces ends where
    # 行政规范性文件 + 2 spaces does (column 16), so both rows' numbers start at character 16
    got = pre_lines("规章            0     1\r\n\n行政规范性文件  3     4   \n")
    assert got == ["规章" + " " * 14 + "0     1", "行政规范性文件" + " " * 9 + "3     4"]
    assert [line.index(n) for line, n in zip(got, "03", strict=True)] == [16, 16]
    assert pre_lines("a\tb\t\tc") == ["a\tb\t\tc"]  # tabs typed between cells are kept as typed
    page = "<html><body><p>二、主动公开</p><pre>信息内容  本年制发件数\n规章      2</pre><p>三、</p></body></html>"
    assert extract(page.encode()).split("\n") == ["二、主动公开", "信息内容" + " " * 6 + "本年制发件数", "规章" + " " * 8 + "2", "三、"]


def test_a_file_of_pasted_pages_is_read_page_after_page():
    one = "<!DOCTYPE html><html><body><p>第一页</p></body></html>\n"
    two = "<html><body><p>第二页</p></body></html>"
    assert documents(one + two) == [one, two]
    assert documents(one) == [one]
    assert documents("<html><body>x</body></html><!-- a comment after the page -->") == [
        "<html><body>x</body></html><!-- a comment after the page -->"]
    assert extract((one + two).encode()).split("\n") == ["第一页", "第二页"]
    scripted = "<html><body><script>var t = '</body></html>'; show(t, '<html>');</script><p>正文</p></body></html>"
    assert documents(scripted) == [scripted]  # an </html> in a script's string ends no document
    assert documents(one + "<!-- 第2页 -->\n" + two) == [one + "<!-- 第2页 -->\n", two]


LATER_ROWS = [
    "unavailable_not_held\t8\t0\t0\t0\t0\t0\t8",
    "unavailable_needs_creation\t0\t0\t0\t0\t0\t0\t0",
    "unavailable_unclear\t2\t0\t0\t0\t0\t0\t2",
    "not_processed_petition\t0\t1\t0\t0\t0\t0\t1",
    "not_processed_duplicate\t3\t0\t0\t0\t0\t0\t3",
    "other_other\t2\t1\t0\t0\t0\t0\t3",
    "total_processed\t40\t15\t0\t0\t0\t3\t58",
    "carried_forward\t0\t1\t0\t0\t0\t0\t1",
]
PAGE_END = [
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
    "3\t1\t2\t1\t7\t2\t2\t2\t1\t7\t1\t0\t0\t0\t1",
    "五、存在的主要问题及改进情况", "政策解读形式较为单一。", "六、其他需要报告的事项", "本年度未收取信息处理费。",
    "青岛市市南区人民政府", "2025年1月23日",
]


def _later_page(rows: list[str]) -> str:
    def labelled(row: str) -> str:
        key, rest = row.split("\t", 1)
        return ROW_LABELS[key].replace(" ", "\t") + "\t" + rest

    return "\n".join(["青岛市市南区人民政府2024年政府信息公开工作年度报告", *map(labelled, rows), *PAGE_END])


def test_a_page_begun_inside_table3_reads_the_rows_it_proves_and_says_the_rest_is_on_an_earlier_page():
    result = parsers.parse_text(_later_page(LATER_ROWS))
    apps = result.record["applications"]
    assert list(apps["unavailable_not_held"].values()) == [8, 0, 0, 0, 0, 0, 8]
    assert list(apps["total_processed"].values()) == [40, 15, 0, 0, 0, 3, 58]
    assert all(v is None for v in apps["new_received"].values())
    codes = {f["code"]: f for f in result.findings}
    assert "applications.new_received.total" in codes["table_continued"]["cells"]
    assert "applications.unavailable_not_held.total" not in codes["table_continued"]["cells"]
    assert "前一页" in codes["table_missing"]["message"] and codes["table_missing"]["cells"] == ["active_disclosure"]


def test_a_row_of_a_later_page_that_does_not_add_up_is_left_null():
    rows = list(LATER_ROWS)
    rows[2] = "unavailable_unclear\t2\t0\t0\t0\t0\t0\t3"  # 2 ≠ 3: which cell is wrong is not known
    result = parsers.parse_text(_later_page(rows))
    apps = result.record["applications"]
    assert all(v is None for v in apps["unavailable_unclear"].values())
    assert list(apps["not_processed_duplicate"].values()) == [3, 0, 0, 0, 0, 0, 3]
    unplaced = [f for f in result.findings if f["code"] == "row_unplaced"]
    assert [f["cells"][0] for f in unplaced] == ["applications.unavailable_unclear.natural_person"]
