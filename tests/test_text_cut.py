"""Text dumps cut at a line break inside the tables (parsers/textend.py).

A copied or saved text that stops part way shows no mark of it.  Whatever line it stops at, no
cell may then read a number other than the one the whole text gives that cell: rows the text
lost are null, the row at the cut is null (its numbers may go on below: one cell per line, a
number wrapped in its cell), and the record says the text stops inside a table (`truncated`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parsers import ParseError, parse_bytes, parse_text

FIXTURES = Path(__file__).parent / "fixtures"
GOLDENS = sorted(FIXTURES.glob("seeds/*.txt")) + sorted(FIXTURES.glob("text/*.txt"))


def _utf8(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # a GB18030 text file: its extractor decodes it, not parse_text
        return False
    return True


# the held-out reports that are text dumps (realworld/README.md) too
REALWORLD = [p for p in sorted((FIXTURES / "realworld").iterdir()) if p.suffix in (".txt", ".md") and _utf8(p)]
_TABLES = ("active_disclosure", "applications", "reviews_litigation")
_FIRST = re.compile(r"第二十条|本年制发|本年新制作|主动公开政府信息情况")
_AFTER = re.compile(r"存在的主要问题|主要问题及改进")


def _cells(record: dict) -> dict[tuple[str, str, str], object]:
    out = {}
    for table in _TABLES:
        for row, cols in (record.get(table) or {}).items():
            if isinstance(cols, dict):
                out.update({(table, row, col): v for col, v in cols.items()})
    return out


def _cuts(text: str) -> list[int]:
    """Offsets of the line breaks from the first table line to the problems part."""
    lines = text.split("\n")
    start = next((i for i, s in enumerate(lines) if _FIRST.search(s)), 0)
    end = next((i for i, s in enumerate(lines) if i > start and _AFTER.search(s)), len(lines))
    offsets, pos = [], 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line) + 1
        if start <= i < end:
            offsets.append(pos - 1)
    return offsets


@pytest.mark.parametrize(("path", "strict"), [(p, True) for p in GOLDENS] + [(p, False) for p in REALWORLD],
                         ids=lambda p: p.stem if isinstance(p, Path) else "")
def test_no_cut_reads_a_number_the_whole_text_does_not(path: Path, strict: bool):
    """Seeds and text goldens: no cut reads a number where the whole text reads another or none.
    Held-out reports: none where the whole text reads another (some read table 3 as a whole
    `unaligned`, null, while a cut that lost the telling rows reads it: not judged here)."""
    text = path.read_text(encoding="utf-8")
    whole = _cells(parse_text(text).record)
    wrong = []
    for at in _cuts(text):
        try:
            record = parse_text(text[:at]).record
        except ParseError:
            continue
        for key, value in _cells(record).items():
            if strict is False and whole.get(key) is None:
                continue  # the whole text leaves it null (unaligned): what it prints is not known here
            if value is not None and (whole.get(key) != value or type(whole.get(key)) is not type(value)):
                wrong.append(f"cut at line {text.count(chr(10), 0, at)}: {'.'.join(key)} = {value!r},"
                             f" whole text {whole.get(key)!r}")
    assert not wrong, "\n".join(wrong[:20])


def _truncated(result) -> list[dict]:
    return [f for f in result.findings if f["code"] == "truncated"]


def test_a_cut_inside_table3_says_so_and_names_the_row_at_the_cut():
    result = parse_text((FIXTURES / "text" / "cut_at_line_break_wrapped_digits_2024.txt").read_text(encoding="utf-8"))
    (found,) = _truncated(result)
    assert found["cells"][0] == "applications.denied_internal_affairs.natural_person"
    assert "表三中途结束" in found["message"] and "最后一行的数字不能确认完整" in found["message"]
    assert result.record["applications"]["denied_third_party"]["total"] == 1370367  # before the cut: read
    assert result.record["reviews_litigation"] is None


def test_a_complete_dump_ending_on_table4_is_no_cut():
    for name in ("seeds/001_def4f50e650d16ba.txt", "text/wrapped_numbers_pdftotext_raw_2024.txt"):
        assert not _truncated(parse_text((FIXTURES / name).read_text(encoding="utf-8"))), name


def test_only_a_text_file_is_judged_by_where_its_text_stops():
    """The extractors' texts of PDFs, pages and workbooks may end on a table (tables side by side,
    sheets in another order); their cuts are judged from their bytes (parsers/truncation.py)."""
    cut = (FIXTURES / "text" / "cut_at_line_break_table3_pdftotext_layout_2023.txt").read_bytes()
    assert _truncated(parse_bytes(cut, "report.txt"))
    assert not _truncated(parse_text(cut.decode("utf-8"), plain=False))


def test_a_cut_inside_the_first_of_a_split_table3_keeps_the_six_under_their_names():
    """Table 3 printed as six applicant columns, then 续表 with 总计 alone: a text cut before the 续表
    still has rows of six under a header naming six, so 总计 is null, not the last of seven."""
    path = FIXTURES / "realworld" / "b13b_04_wenzhou_ouhai_2023_txt_table3_split_total_table.txt"
    text = path.read_text(encoding="utf-8")
    cut = text[: text.index("7.属于行政执法案卷")]
    apps = parse_text(cut).record["applications"]
    assert apps["new_received"] == {"natural_person": 110, "commercial": 8, "research": 6, "social_welfare": 12,
                                    "legal_services": 7, "other_org": 9, "total": None}
