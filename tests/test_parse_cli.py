"""`python -m parsers.cli PATH --json` prints the canonical record as UTF-8 JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parsers.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).parent / "fixtures" / "seeds"
GOLDEN = Path(__file__).parent / "fixtures" / "formats"
KEYS = ("agency", "year", "template", "active_disclosure", "applications", "reviews_litigation")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parsers.cli", *args], cwd=ROOT, capture_output=True, timeout=120)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt"))[:2] + [GOLDEN / "zhoukou_police_libreoffice.pdf"],
                         ids=lambda p: p.name)
def test_cli_json_subprocess(path):
    proc = _run(str(path), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    assert "\\u" not in out  # Chinese printed as itself, not escaped
    data = json.loads(out)
    assert {"findings", "meta", *KEYS} <= set(data)
    assert isinstance(data["findings"], list)
    expected_path = (SEEDS / path.name.replace(".txt", ".expected.json") if path.suffix == ".txt"
                     else GOLDEN / path.name.replace(".pdf", ".expected.json"))
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert (data["agency"], data["year"], data["template"]) == (
        expected["agency"], expected["year"], expected["template"])
    assert data["reviews_litigation"] == expected["reviews_litigation"]
    assert out.startswith('{\n "')  # indent=1


def test_cli_in_process_matches_format(capsysbinary):
    path = GOLDEN / "liaocheng_gov_gbk_split.html"
    assert main([str(path), "--json"]) == 0
    data = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert data["meta"]["format"] == "html"
    assert data["agency"] == "聊城市人民政府"


def test_cli_text_mode_shows_tab_rows(capsysbinary):
    assert main([str(GOLDEN / "zibo_police_libreoffice.docx"), "--text"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert any(line.startswith("一、本年新收政府信息公开申请数量\t") for line in out.splitlines())
