"""Golden fixtures: every saved report text beside the canonical record a reader would write.

The five seeds are real reports (text dumps of PDF/DOCX/HTML); tests/fixtures/text holds
extra cases for other layouts (clean tab rows, plain spaces, one cell per line), the 2019
template and free-form pre-2019 reports (each part's prose kept under its own key), an 附件 list
printed above the signature (the report's dates are the signature's).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import ParseError, ParseResult, parse_text
from tests.support.records import leaves as _leaves
from tests.support.records import lookup as _lookup

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("seeds/*.txt")) + sorted(FIXTURES.glob("text/*.txt"))


@pytest.fixture(scope="module")
def parsed() -> dict[Path, ParseResult]:
    return {p: parse_text(p.read_text(encoding="utf-8")) for p in CASES}


def test_fixture_set_is_complete():
    assert len(list(FIXTURES.glob("seeds/*.txt"))) == 5
    for p in CASES:
        assert p.with_suffix(".expected.json").exists(), p


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_record_matches_expected(path: Path, parsed):
    """Every key of the expected record; its `meta` (when given) holds what `nianbao parse --json`
    says beside the record (the dates the report is published and signed with)."""
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    meta = expected.pop("meta", {})
    record = parsed[path].record
    wrong = [f"meta.{k}: expected {v!r}, got {parsed[path].meta.get(k)!r}"
             for k, v in meta.items() if parsed[path].meta.get(k) != v]
    for key, want in _leaves(expected):
        got = _lookup(record, key)
        # 290 and 290.0 are different answers to a reader of the JSON: compare types too
        if got != want or type(got) is not type(want):
            wrong.append(f"{key}: expected {want!r}, got {got!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_cells_describe_every_table_value(path: Path, parsed):
    result = parsed[path]
    by_path = {(c["table"], c["row"], c["col"]): c for c in result.cells}
    for table in ("active_disclosure", "applications", "reviews_litigation"):
        rows = result.record.get(table)
        if rows is None:
            continue
        for row, cols in rows.items():
            if row == "extra_rows":
                continue
            for col, value in cols.items():
                cell = by_path[(table, row, col)]
                assert cell["value"] == value
                if cell["inferred"]:
                    assert cell["raw"] is None  # an inferred cell was not printed
                    assert any(f["code"] == "inferred" for f in result.findings)
                elif value is not None:
                    assert cell["raw"], (row, col)


def test_json_dict_has_record_findings_and_meta(parsed):
    result = parsed[CASES[0]]
    out = result.to_json_dict()
    assert out["agency"] == result.record["agency"]
    assert out["findings"] == result.findings
    assert out["meta"]["template"] == result.record["template"]
    json.dumps(out, ensure_ascii=False)  # serialisable as is


def test_sections_hold_the_narrative(parsed):
    seed = parsed[FIXTURES / "seeds" / "000_8ed2ea85f6f5d4e7.txt"]
    sections = seed.record["sections"]
    # text broken over PDF lines is joined back into sentences
    assert "共收到政府信息公开申请 36 件" in sections["overview"]
    assert sections["problems"].startswith("2024 年，我局政府信息公开工作")
    assert "\n" not in sections["problems"]
    assert "未收取政府信息公开信息处理费" in sections["other"]
    free = parsed[FIXTURES / "text" / "freeform_2015.txt"]
    assert free.record["template"] == "free"
    assert free.record["sections"]["other"] == "无。"  # the signature and date are not narrative


def test_free_form_report_with_its_own_table_stays_free():
    text = (FIXTURES / "text" / "freeform_2015.txt").read_text(encoding="utf-8")
    table = "申请类别\t数量\t占比\n" + "\n".join(f"第{i}类\t{i * 3}\t{i}" for i in range(1, 9)) + "\n"
    text = text.replace("三、依申请公开政府信息情况\n", "三、依申请公开政府信息情况\n" + table)
    record = parse_text(text).record
    assert record["template"] == "free"
    assert record["applications"] is None and record["reviews_litigation"] is None


def test_report_whose_tables_were_images_keeps_the_template():
    text = "某某县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n本年度工作情况良好。\n二、主动公开政府信息情况\n（见图）\n"
    result = parse_text(text)
    assert result.record["template"] == "2019"  # the template in force for 2020
    assert result.record["applications"] is None  # absent, not a table of zeros
    assert result.record["active_disclosure"] is None and result.record["reviews_litigation"] is None
    assert result.cells == []
    # the reader is told the tables are missing from the text, nothing else
    assert {(f["code"], f["cells"][0]) for f in result.findings} == {
        ("table_missing", "active_disclosure"), ("table_missing", "applications"),
        ("table_missing", "reviews_litigation")}


def test_section_numbered_with_arabic_digit_is_found(parsed):
    seed = parsed[FIXTURES / "seeds" / "002_8436bc073596ce4a.txt"]  # "3、 收到和处理…"
    assert "applications" in seed.meta["sections_found"]
    assert seed.record["applications"]["carried_forward"]["total"] == 4


def test_layout_does_not_matter():
    """The same report as tab rows, as pipes, with spaces, and one cell per line."""
    text = (FIXTURES / "seeds" / "004_6499a65bdb56769d.txt").read_text(encoding="utf-8")
    expected = parse_text(text).record
    variants = {
        "spaces": text.replace("\t", " "),
        "pipes": "\n".join(
            "| " + " | ".join(s.split("\t")) + " |" if "\t" in s else s for s in text.splitlines()
        ),
        "one_cell_per_line": "\n".join(
            c for s in text.splitlines() for c in (s.split("\t") if "\t" in s else [s])
        ),
        "crlf": text.replace("\n", "\r\n"),
        # a table of contents before the body, and page numbers in the middle of table 3
        "toc_and_page_numbers": "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
        + text.replace("→(四) 无法提供".replace("→", "\t"), "\n- 2 -\n\n第2页 共4页\n\t(四) 无法提供"),
    }
    assert "- 2 -" in variants["toc_and_page_numbers"]
    for name, variant in variants.items():
        record = parse_text(variant).record
        for table in ("active_disclosure", "applications", "reviews_litigation"):
            assert record[table] == expected[table], name
        assert record["sections"] == expected["sections"], name


_HEADINGS_004 = [
    ("## 一、总体情况", "总体情况"),
    ("## 二、主动公开政府信息情况", "主动公开政府信息情况"),
    ("### 三、收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况"),
    ("#### 四、政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议、行政诉讼情况"),
    ("#### 五、存在的主要问题及改进情况", "存在的主要问题及改进情况"),
    ("#### 六、其他需要报告的事项", "其他需要报告的事项"),
]


@pytest.mark.parametrize("style", ["（{n}）{w}", "{d}. {w}", "{w}", "第{n}部分 {w}"])
def test_heading_numbering_styles(style):
    """Sections numbered （一）, 1., 第一部分 or not at all are found as well as 一、."""
    text = (FIXTURES / "seeds" / "004_6499a65bdb56769d.txt").read_text(encoding="utf-8")
    expected = parse_text(text).record
    for k, (old, words) in enumerate(_HEADINGS_004):
        assert old in text
        text = text.replace(old, style.format(n="一二三四五六"[k], d=k + 1, w=words))
    result = parse_text(text)
    assert result.meta["sections_found"] == [
        "overview",
        "active",
        "applications",
        "reviews",
        "problems",
        "other",
    ]
    assert result.record == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n",
        "这是一则与政府信息公开无关的新闻。\n今天天气晴。",
        "<html><body>404 Not Found</body></html>",
    ],
)
def test_not_a_report_raises_parse_error(text):
    with pytest.raises(ParseError) as err:
        parse_text(text)
    assert err.value.reason in ("empty text", "not an annual report")


def test_speed_is_linear():
    import time

    texts = [p.read_text(encoding="utf-8") for p in CASES]
    start = time.process_time()  # CPU time: a core's speed, whatever else the machine is running
    for _ in range(5):
        for t in texts:
            parse_text(t)
    per_report = (time.process_time() - start) / (5 * len(texts))
    assert per_report < 0.05  # goal is >= 50 reports/s per core; leave room for a loaded CI box


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("36", 36),
        ("３６", 36),
        ("1,234", 1234),
        ("1，234", 1234),
        ("290", 290),
        ("290.00", 290),
        ("12.5", 12.5),
        ("126661.053152", 126661.053152),
        ("36件", 36),
        ("+9", 9),
        ("-2", -2),
        ("增加3", 3),
        ("减少2", -2),
        ("1O", 10),  # OCR: letter O for a zero next to a digit
        # a footnote mark after a number is never part of it (NFKC would make 9② 92, 25¹ 251)
        ("9②", 9),
        ("0②", 0),
        ("1,043*", 1043),
        ("1,026①", 1026),
        ("25¹", 25),
        ("4649³", 4649),
        ("41₂", 41),
        ("7⑴", 7),
        ("5⒈", 5),
        ("8件①", 8),
        ("12＊", 12),
    ],
)
def test_number_cells(cell, value):
    from parsers.tokens import parse_number

    got = parse_number(cell)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    "cell",
    # "（4）": a column's or an item's number far more often than a count (see bracketed_counts)
    ["", "—", "-", "/", "／", "无", "——", "3.其他", "2024年", "O", "I", "①", "⑴", "②3", "*", "(1)(2)", "（4）", "(12)"],
)
def test_cells_that_are_not_numbers(cell):
    from parsers.tokens import parse_number, value_cell

    assert parse_number(cell) is None
    vc = value_cell(cell)
    assert vc is None or vc.value is None  # dashes are null cells, never 0


def test_rows_beyond_the_template_are_kept_apart():
    """A printed subtotal for a whole category is not shifted into the template rows."""
    text = (FIXTURES / "text" / "clean_tabs_2021.txt").read_text(encoding="utf-8")
    expected = parse_text(text).record["applications"]
    anchor = "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密"
    subtotal = "三、本年度办理结果\t（三）不予公开\t\t1\t0\t0\t0\t0\t0\t1\n"
    record = parse_text(text.replace(anchor, subtotal + anchor)).record["applications"]
    extra = record.pop("extra_rows")
    assert record == expected
    assert [e["values"]["total"] for e in extra] == [1]
    assert "不予公开" in extra[0]["label"]


def test_other_total_printed_with_its_three_rows():
    text = (FIXTURES / "text" / "clean_tabs_2021.txt").read_text(encoding="utf-8")
    anchor = "三、本年度办理结果\t（六）其他处理\t1.申请人"
    row = "三、本年度办理结果\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0\n"
    result = parse_text(text.replace(anchor, row + anchor))
    apps = result.record["applications"]
    assert apps["other_total"]["total"] == 0
    assert apps["other_overdue_correction"]["total"] == 0
    assert list(apps).index("other_total") < list(apps).index("other_overdue_correction")
    assert result.findings == []


def test_row_with_several_cells_lost_is_not_guessed():
    """Two numbers missing from a row: their columns are unknown, so the row stays null."""
    text = (FIXTURES / "text" / "plain_2019.txt").read_text(encoding="utf-8")
    row = "4.保护第三方合法权益 2 0 0 0 0 0 2"
    assert row in text
    result = parse_text(text.replace(row, "4.保护第三方合法权益 2 0 0 0 2"))
    assert set(result.record["applications"]["denied_third_party"].values()) == {None}
    assert any("denied_third_party" in w and "2 0 0 0 2" in w for w in result.meta["warnings"])
    assert result.record["applications"]["denied_process_info"]["total"] == 1  # neighbours unaffected
    # the null row is explained where the database shows findings, not only in meta.warnings
    unplaced = [f for f in result.findings if f["code"] == "row_unplaced"]
    assert [(f["identity"], len(f["cells"])) for f in unplaced] == [("layout", 7)]
    assert all(c.startswith("applications.denied_third_party.") for c in unplaced[0]["cells"])
    assert "2 0 0 0 2" in unplaced[0]["message"] and "未录入" in unplaced[0]["message"]


def test_first_number_glued_to_its_label():
    text = (FIXTURES / "text" / "plain_2019.txt").read_text(encoding="utf-8")
    expected = parse_text(text).record
    glued = text.replace("6.属于四类过程性信息 1 0", "6.属于四类过程性信息1 0")
    assert glued != text
    result = parse_text(glued)
    assert result.record == expected
    assert not [c for c in result.cells if c["table"] == "applications" and c["inferred"]]


def test_number_glued_to_its_label_is_read_only_when_the_row_adds_up():
    text = (FIXTURES / "text" / "clean_tabs_2021.txt").read_text(encoding="utf-8")
    row = "行政规范性文件\t３\t1\t２５\n"
    assert row in text
    glued = parse_text(text.replace(row, "行政规范性文件３  1  ２５\n")).record
    assert glued["active_disclosure"]["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 25}
    # a cell boundary inside a number ("2|0" for 20): which digits belong where is unknown
    split = parse_text(text.replace(row, "行政规范性文件2\t0\t1\t２５\n"))
    assert split.record["active_disclosure"]["normative_documents"] == dict.fromkeys(
        ("issued", "repealed", "in_force")
    )
    assert any("normative_documents" in w for w in split.meta["warnings"])


def test_heading_in_a_table_row_is_a_heading():
    result = parse_text(
        (FIXTURES / "text" / "onebigtable_headings_in_grid_2021.txt").read_text(encoding="utf-8")
    )
    assert result.meta["sections_found"] == [
        "overview",
        "active",
        "applications",
        "reviews",
        "problems",
        "other",
    ]


def _wrong_cells(record: dict, expected: dict) -> list[str]:
    tables = ("applications", "reviews_litigation", "active_disclosure")
    return [f"{key}: {_lookup(record, key)!r} != {want!r}" for key, want in _leaves(expected)
            if key.split(".")[0] in tables and _lookup(record, key) != want]


def test_bracketed_item_and_column_numbers_are_no_counts():
    """Seed 000 as some bodies print it: table 3's sub-items numbered （1） on a line of their own,
    table 4's columns numbered (1)…(15).  Every cell stays where the plain seed puts it."""
    import re

    seed = FIXTURES / "seeds" / "000_8ed2ea85f6f5d4e7"
    text = seed.with_suffix(".txt").read_text(encoding="utf-8")
    expected = json.loads(seed.with_suffix(".expected.json").read_text(encoding="utf-8"))
    items = r"\n(\d)\.(属于|其他法律|危及|保护|本机关|没有|补正|信访|重复|要求|无正当|申请人)"
    variant = re.sub(items, lambda m: f"\n（{m.group(1)}）\n{m.group(2)}", text)
    assert variant != text
    columns = " ".join(f"({i})" for i in range(1, 16))
    variant = variant.replace("行政复议 行政诉讼\n 尚\n", f"行政复议 行政诉讼\n {columns}\n")
    assert columns in variant
    assert _wrong_cells(parse_text(variant).record, expected) == []


def test_bracketed_count_is_read_when_the_report_says_what_brackets_hold():
    seed = FIXTURES / "realworld" / "b13a_03_jiaxing_nanhu_2023_txt_footnote_marks_units_brackets"
    text = seed.with_suffix(".txt").read_text(encoding="utf-8")
    assert "（6）" in text and "（）内为" in text
    total = parse_text(text).record["applications"]["carried_forward"]["total"]
    assert total == 6
    # without the note a bracketed number is no count: null, never a guess
    unexplained = text.replace("（）内为结转至下一年度办理的件数。", "")
    assert parse_text(unexplained).record["applications"]["carried_forward"]["total"] is None
