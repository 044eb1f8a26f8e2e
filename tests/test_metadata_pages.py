"""Report metadata read from portal article pages (tests/fixtures/metadata/pages/).

A portal wraps the report in its own chrome: site name, breadcrumbs, an info line whose 来源 and
发布时间 sit in adjacent spans, a list of the column's other titles (sometimes printed before the
article), a footer naming the portal's owner and address.  Each saved page sits beside what a reader
would record from it; pages that only look like reports (指南, 工作要点, the 通知 on compiling reports,
a column's list page, a website's annual form) expect a parse error and no record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_bytes
from parsers.errors import ParseError

PAGES = Path(__file__).parent / "fixtures" / "metadata" / "pages"
CASES = sorted(PAGES.glob("*.html"))


@pytest.mark.parametrize("page", CASES, ids=[p.stem for p in CASES])
def test_page_metadata(page: Path) -> None:
    want = json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))
    if want.get("not_report"):
        with pytest.raises(ParseError, match="not an annual report"):
            parse_bytes(page.read_bytes(), page.name)
        return
    result = parse_bytes(page.read_bytes(), page.name)
    meta = result.meta
    got = {"agency": result.record["agency"], "year": result.record["year"], "level": meta["level"],
           "kind": meta["kind"], "region": meta["region"], "published": meta["published"], "signed": meta["signed"]}
    assert got == {k: want[k] for k in got}, want["note"]


def test_cases_present() -> None:
    assert len(CASES) >= 10 and any("not_report" in p.stem for p in CASES)
