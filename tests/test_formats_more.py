"""Containers beyond the usual five: MHT, RTF, CSV, markdown emphasis, Big5 text, DOCX content controls.

The whole-report cases are golden pairs (tests/fixtures/realworld/101-105, formats/*.md, walked by
their drivers); here are the decisions around them: what is detected as what from content alone,
and that ordinary text never turns into one of the new kinds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import ParseError, parse_bytes, parse_text
from parsers.detect import detect_kind
from parsers.formats.text import decode_text, markdown_row

HERE = Path(__file__).parent
REALWORLD = HERE / "fixtures" / "realworld"
SEEDS = sorted((HERE / "fixtures" / "seeds").glob("*.txt"))


def case(prefix: str) -> Path:
    return next(p for p in REALWORLD.glob(f"{prefix}_*") if not p.name.endswith(".expected.json"))


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("prefix", "kind"), [("101", "mht"), ("102", "docx"), ("103", "csv"),
                                              ("104", "rtf"), ("105", "text")])
def test_containers_are_detected_from_content(prefix, kind):
    assert detect_kind(case(prefix).read_bytes()) == kind


def test_mht_is_its_html_page():
    """The MHT reads exactly like the Word HTML page it was saved from (case 06)."""
    html = next(p for p in REALWORLD.glob("06_*.html"))
    from_mht = parse_bytes(case("101").read_bytes())
    assert from_mht.meta["format"] == "mht"
    assert from_mht.record == parse_bytes(html.read_bytes()).record


def test_mht_picture_parts_are_put_back_into_the_page():
    from parsers.formats import mht

    data = case("101").read_bytes()
    assert b"report.files/image001.png" in data
    text = mht.extract(data)
    assert "成都市卫生健康委员会" in text and "\ufffd" not in text


def test_mht_without_html_part_is_a_parse_error():
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
            b"--b\r\nContent-Type: text/xml\r\nContent-Location: file:///x.xml\r\n\r\n<xml/>\r\n--b--\r\n")
    assert detect_kind(data) == "mht"
    with pytest.raises(ParseError, match="MHT"):
        parse_bytes(data)


def test_mail_like_text_is_not_mht():
    """A text report that happens to start with "Key: value" lines is still text."""
    data = "标题: 年度报告\nContent-Type: 说明\n正文第一段。\n".encode()
    assert detect_kind(data) == "text"


def test_csv_thousands_separator_in_quotes_is_one_cell():
    path = case("103")
    data = path.read_bytes()
    assert b",26709," in data
    quoted = data.replace(b",26709,", b',"26,709",')
    assert detect_kind(quoted) == "csv"
    record = parse_bytes(quoted).record
    assert record["active_disclosure"]["licensing"]["decisions"] == 26709
    assert record["applications"] == expected(path)["applications"]


def test_csv_with_utf8_bom_is_csv():
    text = case("103").read_bytes().decode("gb18030")
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    assert detect_kind(data) == "csv"
    assert parse_bytes(data).record["applications"] == expected(case("103"))["applications"]


@pytest.mark.parametrize("seed", SEEDS[:3], ids=lambda p: p.stem[:3])
def test_prose_with_ascii_commas_is_never_csv(seed):
    """Portals also print Chinese prose with ASCII commas: such a text report stays text."""
    text = seed.read_text(encoding="utf-8")
    commas = text.replace("，", ",")
    assert detect_kind(commas.encode("utf-8")) == "text"
    assert detect_kind(commas.encode("gb18030")) == "text"


def test_tab_text_with_thousands_separators_is_not_csv():
    rows = "\n".join(f"行政许可{i}\t1,234\t2,345\t3,456\t4,567" for i in range(20))
    assert detect_kind(rows.encode("utf-8")) == "text"


def test_rtf_is_detected_with_leading_whitespace_and_bom():
    assert detect_kind(b"{\\rtf1\\ansi hello}") == "rtf"
    assert detect_kind(b"\r\n {\\rtf1\\ansi hello}") == "rtf"
    assert detect_kind(b"\xef\xbb\xbf{\\rtf1\\ansi hello}") == "rtf"


def test_broken_rtf_is_a_parse_error():
    """(104, LibreOffice's RTF of case 62, is read in the realworld driver.)"""
    with pytest.raises(ParseError):
        parse_bytes(b"{\\rtf1 \x00\x01\x02" + bytes(range(256)) * 4)


def test_big5_text_reads_like_its_utf8_source():
    source = next(REALWORLD.glob("100_*.txt")).read_text(encoding="utf-8").replace("〇", "○")
    data = source.encode("cp950")
    assert decode_text(data) == source
    assert parse_bytes(data).record == parse_text(source).record


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_gbk_text_is_still_read_as_gbk(seed):
    text = seed.read_text(encoding="utf-8")
    assert decode_text(text.encode("gb18030")) == text
    try:
        gbk = text.encode("gbk")
    except UnicodeEncodeError:
        return
    assert decode_text(gbk) == text


def test_markdown_cells():
    row = r"| **0** | *1* | __2__ | a\|b | 申请<br>人 | ab<br/>cd | 3*4 | x_y_z |"
    assert markdown_row(row).split("\t") == ["0", "1", "2", "a|b", "申请人", "ab cd", "3*4", "x_y_z"]
    assert markdown_row("|:-:|---|") is not None  # the alignment row is dropped by extract()
    from parsers.formats.text import extract

    text = extract("| 规章 | 1 |\n|:-:|-:|\n| 1 | **2** |".encode())
    assert text.split("\n") == ["规章\t1", "1\t2"]
