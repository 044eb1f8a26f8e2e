"""The report classifier against hand-labelled listing titles, the seed reports and its command line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.classify import classify, main

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "fixtures" / "titles" / "labelled.tsv"
BLIND = ROOT / "tests" / "fixtures" / "titles" / "blind.tsv"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def _labelled(path: Path = LABELLED) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        title, url, is_report, year, agency = line.split("\t")
        rows.append({
            "title": title,
            "url": url or None,
            "is_report": is_report == "1",
            "year": int(year) if year else None,
            "agency": agency or None,
        })
    return rows


def test_labelled_file_is_big_and_varied_enough():
    rows = _labelled()
    reports = [r for r in rows if r["is_report"]]
    assert len(rows) >= 300
    assert 0.3 < len(reports) / len(rows) < 0.8
    years = {r["year"] for r in reports if r["year"]}
    assert min(years) <= 2009 and max(years) >= 2024
    assert len({r["agency"] for r in reports}) >= 150


def _score(rows: list[dict], name: str) -> tuple[float, float, float, float]:
    """Precision/recall on is_report, year/agency accuracy on the true reports; prints every miss."""
    tp = fp = fn = 0
    year_ok = agency_ok = 0
    misses = []
    for row in rows:
        got = classify(row["title"], row["url"])
        if got["is_report"] and row["is_report"]:
            tp += 1
        elif got["is_report"]:
            fp += 1
            misses.append(("false positive", row["title"]))
        elif row["is_report"]:
            fn += 1
            misses.append(("false negative", row["title"]))
        if row["is_report"]:
            year_ok += got["year"] == row["year"]
            agency_ok += got["agency"] == row["agency"]
            if got["agency"] != row["agency"] or got["year"] != row["year"]:
                misses.append(("year/agency", row["title"], got))
    positives = sum(r["is_report"] for r in rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    year_acc = year_ok / positives
    agency_acc = agency_ok / positives
    print(
        f"\nclassifier on {len(rows)} {name} titles ({positives} reports): "
        f"precision={precision:.4f} recall={recall:.4f} "
        f"year_accuracy={year_acc:.4f} agency_accuracy={agency_acc:.4f}"
    )
    for miss in misses:
        print("  ", *miss)
    return precision, recall, year_acc, agency_acc


def test_precision_recall_year_and_agency_on_labelled_titles():
    precision, recall, year_acc, agency_acc = _score(_labelled(), "labelled")
    assert precision >= 0.99
    assert recall >= 0.99
    assert year_acc >= 0.99
    assert agency_acc >= 0.99


def test_blind_file_is_new_big_and_varied():
    """blind.tsv was written apart from labelled.tsv (see its README); the two must stay disjoint."""
    rows = _labelled(BLIND)
    seen = {r["title"] for r in _labelled()}
    column_names = {"更多信息公开年报", "历年政府信息公开年报", "政府信息公开年报"}  # named in the brief
    assert not [r["title"] for r in rows if r["title"] in seen - column_names]
    reports = [r for r in rows if r["is_report"]]
    assert len(rows) >= 300
    assert 0.5 < len(reports) / len(rows) < 0.7  # about 40 % look-alikes
    years = {r["year"] for r in reports}
    assert min(years) <= 2008 and max(years) >= 2024
    assert len({r["agency"] for r in reports}) >= 200


def test_precision_recall_year_and_agency_on_blind_titles():
    precision, recall, year_acc, agency_acc = _score(_labelled(BLIND), "blind")
    assert precision >= 0.99
    assert recall >= 0.99
    assert year_acc >= 0.99
    assert agency_acc >= 0.99


@pytest.mark.parametrize("title", ["更多信息公开年报", "历年政府信息公开年报", "政府信息公开年报", "政府信息公开工作年度报告"])
def test_column_names_without_year_or_body_are_not_reports(title: str):
    assert classify(title)["is_report"] is False


def _seed_title(path: Path) -> str:
    """The title as the seed's text dump prints it: the lines up to the one ending the title."""
    parts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        parts.append(line)
        if "报告" in line or len(parts) == 3:
            break
    return "".join(parts)


@pytest.mark.parametrize("txt", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seed_report_titles(txt: Path):
    expected = json.loads(txt.with_name(txt.stem + ".expected.json").read_text(encoding="utf-8"))
    got = classify(_seed_title(txt))
    assert got == {"is_report": True, "year": expected["year"], "agency": expected["agency"]}


@pytest.mark.parametrize(
    "title, year",
    [
        ("洛阳市公安局２０２３年政府信息公开工作年度报告", 2023),
        ("开封市人民政府二〇二〇年政府信息公开工作年度报告", 2020),
        ("高密市二○二二年度政府信息公开工作年度报告", 2022),
        ("诸城市人民政府二零二一年政府信息公开工作年度报告", 2021),
        ("聊城市人民政府政府信息公开工作年度报告（2024年）", 2024),
        ("威海市生态环境局政府信息公开工作2023年度报告", 2023),
        # the listing's publication date after the title does not replace the covered year
        ("聊城市人民政府2024年政府信息公开工作年度报告 2025-01-20", 2024),
    ],
)
def test_year_spellings(title: str, year: int):
    got = classify(title)
    assert got["is_report"] and got["year"] == year


def test_year_from_publication_date_only_when_title_has_none():
    url = "http://www.example.gov.cn/zwgk/zfxxgknb/202402/t20240201_1.html"
    assert classify("政府信息公开工作年度报告", url, "2024-02-01")["year"] == 2023
    assert classify("某县人民政府政府信息公开工作年度报告", None, "2024年3月28日")["year"] == 2023
    assert classify("某县人民政府政府信息公开工作年度报告", None, "二〇二四年一月三十日")["year"] == 2023
    assert classify("某县2022年政府信息公开工作年度报告", None, "2024-01-10")["year"] == 2022


def test_url_helps_a_bare_title_but_does_not_decide_alone():
    column = "http://www.example.gov.cn/zwgk/zfxxgknb/202401/t20240126_2211.html"
    other = "http://www.example.gov.cn/zwgk/tzgg/202401/t20240126_2211.html"
    assert classify("2023年度报告", column)["is_report"] is True
    assert classify("2023年度报告", other)["is_report"] is False
    assert classify("2023年度报告", "http://www.example.gov.cn/module/download/downfile.jsp?filename=a.pdf")[
        "is_report"
    ] is True
    # a derivative or a budget inside the report column is still not a report
    assert classify("图解：2023年政府信息公开工作年度报告", column)["is_report"] is False
    assert classify("某局2024年部门预算", column)["is_report"] is False
    # and a report outside any report column is still a report
    assert classify("某市公安局2023年政府信息公开工作年度报告", other)["is_report"] is True


def test_classify_is_fast():
    rows = _labelled()
    titles = [(r["title"], r["url"]) for r in rows] * 10
    start = time.perf_counter()
    for title, url in titles:
        classify(title, url)
    rate = len(titles) / (time.perf_counter() - start)
    print(f"\nclassify: {rate:,.0f} titles/s")
    assert rate > 2000


def test_cli_single_title(capsys):
    assert main(["淄博市公安局2024年政府信息公开工作年度报告"]) == 0
    out = capsys.readouterr().out
    assert "淄博市公安局" in out  # ensure_ascii=False
    assert json.loads(out) == {"is_report": True, "year": 2024, "agency": "淄博市公安局"}


def test_cli_module_reads_stdin_lines_in_order():
    lines = [
        "周口市公安局2024年政府信息公开工作年度报告\thttps://gaj.zhoukou.gov.cn/a.html",
        "一图读懂《淄博市公安局2024年政府信息公开工作年度报告》\t",
        "2023年度报告\thttp://www.example.gov.cn/zfxxgknb/1.html",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.classify"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert out == [
        {"is_report": True, "year": 2024, "agency": "周口市公安局"},
        {"is_report": False, "year": None, "agency": None},
        {"is_report": True, "year": 2023, "agency": None},
    ]
