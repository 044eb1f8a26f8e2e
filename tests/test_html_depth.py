"""Pages whose elements nest deeper than a reader follows (hostile5: a report inside 300 nested
tables was lost as "no text found in the html document"; libxml2 had stopped at 256 levels).

The pages are real HTML built around a seed report; what a reader checks is that the report's
numbers come out, or, where they cannot, that the reason says the nesting is why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parsers import ParseError, parse_bytes

SEED = Path(__file__).parent / "fixtures" / "text" / "clean_tabs_2021.txt"  # its tables tab-separated
EXPECTED = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _body() -> str:
    """The seed as a page prints it: paragraphs, and each run of tabbed lines one table."""
    out, rows = [], []
    for line in [*SEED.read_text(encoding="utf-8").splitlines(), ""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            out.append("<table>" + "".join(rows) + "</table>")
            rows = []
        out.append(f"<p>{line}</p>")
    return "".join(out)


def _page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("open_", "close", "n"), [
    ("<table><tr><td>", "</td></tr></table>", 300),
    ("<div>", "</div>", 1500),
    ("<table><tr><td><div><span>", "</span></div></td></tr></table>", 350),
], ids=["tables-300", "divs-1500", "mixed-350"])
def test_a_report_deep_inside_wrappers_is_read(open_, close, n):
    result = parse_bytes(_page(open_ * n + _body() + close * n))
    for table in ("active_disclosure", "applications", "reviews_litigation"):
        assert result.record[table] == EXPECTED[table]
    assert result.record["agency"] == EXPECTED["agency"]


@pytest.mark.timeout(60)
def test_deep_nesting_that_is_no_wrapper_chain_is_cut_and_said():
    """Text at every level (no wrapper to cut out): the report before it is read, and the page's
    skipped notes say what lay too deep."""
    junk = "".join(f"<div>level {k}" for k in range(600)) + "</div>" * 600
    result = parse_bytes(_page(_body() + junk))
    assert result.record["applications"] == EXPECTED["applications"]
    notes = [s for s in result.meta["skipped"] if "deep" in s and "not read" in s]
    assert notes and int(re.search(r"(\d+) deep", notes[0]).group(1)) >= 600


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("open_", "close", "n"), [
    ("<div>", "</div>", 20000),
    ("<table><tr><td>", "</td></tr></table>", 3000),
], ids=["divs-20000", "tables-3000"])
def test_a_report_past_what_libxml2_parses_is_read_from_its_runs_of_wrappers(open_, close, n):
    """libxml2 parses 2048 levels at most: the page is parsed again with each run of the same
    wrapper tags written once, and the report inside is read."""
    result = parse_bytes(_page(open_ * n + _body() + close * n))
    assert result.record["applications"] == EXPECTED["applications"]


@pytest.mark.timeout(60)
def test_a_report_past_what_libxml2_parses_and_no_run_gets_that_reason():
    """3,000 levels each of its own (no run of the same tags to write once): the report inside is
    not there to read, and the reason says why (not a bare "no text found")."""
    deep = "".join(f'<div id="level{k}">' for k in range(3000))
    with pytest.raises(ParseError) as err:
        parse_bytes(_page(deep + _body() + "</div>" * 3000))
    assert "2048 deep" in err.value.reason and "\n" not in err.value.reason
