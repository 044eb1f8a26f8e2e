"""Held-out reports shaped like the ones real portals publish (tests/fixtures/realworld/README.md).

The parser was not fitted to these: each input (text as PDF tools or copy-paste give it, portal
HTML, GBK pages, a DOCX, a PDF) sits beside the canonical record a reader would write from it.
Every expected cell is compared, and the identity findings the report should raise are compared
by code (`findings` in the expected file: the exact set of codes, `inferred` aside).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parsers
from tests.support.records import leaves as _leaves
from tests.support.records import lookup as _lookup

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
TEXT_SUFFIXES = {".txt", ".md"}
CASES = sorted(
    p
    for p in REALWORLD.iterdir()
    if p.is_file() and not p.name.endswith(".expected.json") and p.suffix not in {".py", ".pyc"} and p.name != "README.md"
)


def _expected_path(p: Path) -> Path:
    return p.with_name(p.stem + ".expected.json")


def _parse(path: Path):
    if path.suffix in TEXT_SUFFIXES:
        data = path.read_bytes()
        try:
            return parsers.parse_text(data.decode("utf-8"))
        except UnicodeDecodeError:  # a legacy-encoded text file (GB18030 "save as TXT"): the extractor decodes it
            return parsers.parse_bytes(data, path.name)
    parse_bytes = getattr(parsers, "parse_bytes", None)
    if parse_bytes is None:
        raise RuntimeError("parsers.parse_bytes is not available yet")
    return parse_bytes(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def parsed() -> dict:
    out = {}
    for p in CASES:
        try:
            out[p] = _parse(p)
        except Exception as exc:  # noqa: BLE001 - a crash on one case is that case's failure
            out[p] = exc
    return out


def _result(parsed: dict, path: Path):
    result = parsed[path]
    if isinstance(result, Exception):
        pytest.fail(f"parse raised {type(result).__name__}: {result}")
    return result


def test_every_input_has_its_expected_record():
    assert len(CASES) >= 12
    for p in CASES:
        assert _expected_path(p).exists(), p


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_record_matches_expected(path: Path, parsed):
    expected = json.loads(_expected_path(path).read_text(encoding="utf-8"))
    expected.pop("findings", None)
    expected.pop("narrative", None)
    record = _result(parsed, path).record
    wrong = []
    for key, want in _leaves(expected):
        got = _lookup(record, key)
        # 290 and 290.0 are different answers to a reader of the JSON: compare types too
        if got != want or type(got) is not type(want):
            wrong.append(f"{key}: expected {want!r}, got {got!r}")
    assert not wrong, f"{len(wrong)} wrong:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_identity_findings_match_expected(path: Path, parsed):
    expected = json.loads(_expected_path(path).read_text(encoding="utf-8"))
    want = set(expected.get("findings", []))
    result = _result(parsed, path)
    got = {f["code"] for f in result.findings} - {"inferred"}
    messages = [f"{f['code']}: {f.get('message')}" for f in result.findings if f["code"] != "inferred"]
    assert got == want, "findings: " + "; ".join(messages)


NARRATIVE_CASES = [p for p in CASES if "narrative" in json.loads(_expected_path(p).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", NARRATIVE_CASES, ids=lambda p: p.stem)
def test_narrative_findings_name_the_figure(path: Path, parsed):
    """Where the expected file lists them (`narrative`), each section-一 finding names the cells,
    the figure the text prints and the table's: a reader checks exactly that."""
    want = json.loads(_expected_path(path).read_text(encoding="utf-8"))["narrative"]
    got = [
        {"cells": f["cells"], "printed": f["printed"], "implied": f["implied"]}
        for f in _result(parsed, path).findings
        if f["code"] == "narrative"
    ]
    key = lambda f: (f["cells"], f["printed"])  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key)
