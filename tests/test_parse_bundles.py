"""A 汇编 (several bodies' reports in one document) is read as one record per body.

Each input in tests/fixtures/bundles/ (a PDF LibreOffice printed, its `pdftotext -layout` dump, the
same compilation as DOCX; built by tests/support/bundles.py) sits beside the list of records a reader
would write from it, in print order.  What a user checks: `parse_all` / `nianbao parse FILE --all`
gives every body's report, not only the first; each record's numbers are that body's own; its PDF
cells name pages of its own report (`pages`: the page its title is printed on to the page before the
next title); a plain parse still reads the first report and says how to get the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import parsers
from parsers.sections import report_spans
from tests.support.records import leaves, lookup

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
CASES = sorted(p for p in BUNDLES.iterdir() if p.suffix in (".pdf", ".txt", ".docx"))


def _expected(path: Path) -> list[dict]:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def _parse_all(path: Path) -> list:
    if path.suffix == ".txt":
        return parsers.parse_parts(path.read_text(encoding="utf-8"))
    return parsers.parse_all(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def parsed() -> dict:
    return {p: _parse_all(p) for p in CASES}


def test_every_bundle_has_its_expected_records():
    assert {p.suffix for p in CASES} >= {".pdf", ".txt"}
    for p in CASES:
        assert len(_expected(p)) >= 3, p


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_every_body_is_a_record_of_its_own(path: Path, parsed):
    results, expected = parsed[path], _expected(path)
    assert [r.record["agency"] for r in results] == [e["agency"] for e in expected]
    for k, (result, want) in enumerate(zip(results, expected, strict=True), 1):
        assert result.meta["bundle"] == {"part": k, "parts": len(expected)}
        assert result.meta["warnings"] == []  # nothing left unread
        assert sorted(f["code"] for f in result.findings if f["code"] != "inferred") == want["findings"]
        wrong = [f"{key}: expected {value!r}, got {lookup(result.record, key)!r}"
                 for key, value in leaves({k: v for k, v in want.items() if k not in ("findings", "pages")})
                 if lookup(result.record, key) != value or type(lookup(result.record, key)) is not type(value)]
        assert not wrong, f"{want['agency']}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", [p for p in CASES if p.suffix in (".pdf", ".txt")], ids=lambda p: p.name)
def test_each_reports_numbers_name_its_own_pages(path: Path, parsed):
    for result, want in zip(parsed[path], _expected(path), strict=True):
        first, last = want["pages"]
        pages = [c["page"] for c in result.cells]
        assert pages and None not in pages, want["agency"]
        assert all(first <= p <= last for p in pages), (want["agency"], sorted(set(pages)), (first, last))
        assert set(result.meta["pages"].values()) == set(pages)


def test_plain_parse_reads_the_first_report_and_says_how_to_get_the_others():
    path = next(p for p in CASES if p.suffix == ".pdf")
    result = parsers.parse_bytes(path.read_bytes(), path.name)
    expected = _expected(path)
    assert result.record["agency"] == expected[0]["agency"]
    assert result.record["applications"] == expected[0]["applications"]
    [note] = [w for w in result.meta["warnings"] if "汇编" in w]
    assert note.startswith(f"{len(expected)} bodies' reports") and "--all" in note
    second = parsers.parse_bytes(path.read_bytes(), path.name, part=2)
    assert second.record["agency"] == expected[1]["agency"]
    with pytest.raises(parsers.ParseError, match="holds 4 report"):
        parsers.parse_bytes(path.read_bytes(), path.name, part=len(expected) + 1)


def test_a_single_report_is_a_bundle_of_one():
    seed = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    [only] = parsers.parse_parts(text)
    plain = parsers.parse_text(text)
    assert only.record == plain.record and "bundle" not in only.meta
    assert len(report_spans(text.splitlines())) == 1


def test_table_of_contents_and_cover_belong_to_no_report():
    lines = ["某县2023年度部门政府信息公开工作年度报告汇编", "目录",
             "某县财政局2023年政府信息公开工作年度报告", "某县民政局2023年政府信息公开工作年度报告",
             "某县财政局2023年政府信息公开工作年度报告", "一、总体情况", "财政局的话",
             "某县财政局2023年政府信息公开工作年度报告",  # a page header repeating the title
             "二、主动公开政府信息情况",
             "某县民政局2023年政府信息公开工作年度报告", "一、总体情况", "民政局的话"]
    spans = report_spans(lines)
    assert [(s.start, s.end, s.body) for s in spans] == [(4, 9, "某县财政局"), (9, 12, "某县民政局")]


def test_a_title_wrapped_over_two_lines_still_starts_a_report():
    lines = ["某县2023年度部门政府信息公开工作年度报告汇编",
             "某县发展和改革局", "2023年政府信息公开工作年度报告", "一、总体情况", "发改局的话",
             "某县市场监督管理局2023年政府信息公开", "工作年度报告", "一、总体情况", "市场监管局的话",
             "某县民政局2023年政府信息公开工作年度报告", "一、总体情况", "民政局的话"]
    spans = report_spans(lines)
    assert [(s.start, s.body) for s in spans] == [(1, "某县发展和改革局"), (5, "某县市场监督管理局"), (9, "某县民政局")]


def test_cli_all_prints_every_report_as_an_array():
    path = next(p for p in CASES if p.suffix == ".txt")
    nianbao = Path(sys.executable).parent / "nianbao"  # the console script a user runs
    out = subprocess.run([str(nianbao), "parse", str(path), "--json", "--all"],
                         capture_output=True, check=True, cwd=Path(__file__).parent.parent).stdout
    records = json.loads(out)
    assert [r["agency"] for r in records] == [e["agency"] for e in _expected(path)]
    assert [r["meta"]["bundle"]["part"] for r in records] == [1, 2, 3, 4]
    seed = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))[0]
    one = json.loads(subprocess.run([sys.executable, "-m", "parsers.cli", str(seed), "--all"],
                                    capture_output=True, check=True, cwd=Path(__file__).parent.parent).stdout)
    assert isinstance(one, list) and len(one) == 1


def test_parse_parts_reads_each_body_as_parse_text_does_normalising_once(monkeypatch):
    """A 汇编 is normalised once and every body's report sliced from it (not once per body)."""
    import parsers.textparse as textparse

    path = next(p for p in CASES if p.suffix == ".txt")
    text = path.read_text(encoding="utf-8")
    alone = [parsers.parse_text(text, part=k).to_json_dict() for k in range(1, len(_expected(path)) + 1)]
    calls = []
    real = textparse.normalise_text
    monkeypatch.setattr(textparse, "normalise_text", lambda t: calls.append(1) or real(t))
    assert [r.to_json_dict() for r in parsers.parse_parts(text)] == alone
    assert len(calls) == 1


def test_titles_without_a_year_still_start_reports():
    """A 汇编 whose cover prints the year and whose parts' titles print none: each title naming a body,
    followed by its own 一、总体情况, is a report of its own (never the cover's county holding the
    first department's numbers)."""
    lines = ["某县2023年度部门政府信息公开工作年度报告汇编",
             "某县发展和改革局政府信息公开工作年度报告", "一、总体情况", "发改局的话",
             "某县科学技术局政府信息公开工作年度报告", "一、总体情况", "科技局的话"]
    spans = report_spans(lines)
    assert [(s.start, s.body, s.year) for s in spans] == [(1, "某县发展和改革局", None), (4, "某县科学技术局", None)]


def test_one_bodys_reports_of_two_years_are_two_reports():
    """One body's 2022 and 2023 reports printed one after the other: two reports, each its own year;
    a page header repeating a title (with or without its year) is no new report."""
    lines = ["某县人民防空办公室2022年政府信息公开工作年度报告", "一、总体情况", "2022年的话",
             "某县人民防空办公室政府信息公开工作年度报告", "二、主动公开政府信息情况",
             "某县人民防空办公室2023年政府信息公开工作年度报告", "一、总体情况", "2023年的话"]
    spans = report_spans(lines)
    assert [(s.start, s.end, s.body, s.year) for s in spans] == [
        (0, 5, "某县人民防空办公室", 2022), (5, 8, "某县人民防空办公室", 2023)]


def test_two_years_of_one_body_in_one_file_read_each_year_with_its_own_signature():
    """The seed report printed twice under its body's titles for two years: --all gives both, each
    with its own year and its own signature's date (not the last one in the file)."""
    path = next(p for p in CASES if p.suffix == ".txt")
    text = path.read_text(encoding="utf-8")
    [first, *_] = parsers.parse_parts(text)
    lines = text.split("\n")
    span = report_spans([s.strip() for s in lines])[0]  # the first body's report, its title to the next title
    part = lines[span.start : span.end]
    older = "\n".join(s.replace("2023 年", "2022 年").replace("2024 年 1 月 18 日", "2023 年 1 月 18 日") for s in part)
    both = parsers.parse_parts(older + "\n" + "\n".join(part))
    assert [(r.record["agency"], r.record["year"], r.meta["signed"]) for r in both] == [
        (first.record["agency"], 2022, "2023-01-18"), (first.record["agency"], 2023, "2024-01-18")]
    assert [r.record["applications"] for r in both] == [first.record["applications"]] * 2
    assert both[0].meta["bundle"] == {"part": 1, "parts": 2}
