"""A report republished with a correction at a new address is one report to a journalist searching
the narrative: `search_narrative` lists it once (its latest revision), not once per address.

Built as a crawl leaves it: the seed report at its first address, then the （更正版） at a second
address of the same column with one figure corrected; re-parsed by the real parser and searched
through a real Datasette."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from archive.reparse import reparse_all
from archive.store import Archive
from tests.support.datasette import DIRECT, served
from tests.support.dbrows import db_rows
from tests.support.responses import put_response

SEED = Path(__file__).parent / "fixtures" / "seeds" / "003_cdec267326b5e6a9.txt"  # 昌乐县公安局 2023
SITE = "http://127.0.0.1:9/zwgk/ndbg"
TITLE = "昌乐县公安局2023年政府信息公开工作年度报告"
TABLE4 = "1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t1"


def test_a_correction_at_a_new_address_is_found_once(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert TABLE4 in text
    corrected = text.replace(TABLE4, "1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t1\t1")
    arc = Archive(tmp_path)
    arc.start_run("test", ["s1"])
    for n, (url, title, body) in enumerate([(f"{SITE}/202401/t20240118_1.html", TITLE, text),
                                            (f"{SITE}/202402/t20240220_2.html", f"{TITLE}（更正版）", corrected)]):
        arc.record_document("s1", url, "report", title=title, year=2023)
        put_response(arc, url, body.encode(), f"2024-0{n + 1}-20T00:00:00Z", "text/plain; charset=utf-8")
    arc.close()
    reparse_all(tmp_path)
    reports = db_rows(tmp_path, "SELECT url, revision, is_latest FROM reports ORDER BY revision")
    assert [(r["url"].split("/")[-1], r["revision"], r["is_latest"]) for r in reports] == [
        ("t20240118_1.html", 1, 0), ("t20240220_2.html", 2, 1)]
    with served(tmp_path) as base:
        query = urlencode({"q": "复议", "_shape": "array"})
        found = json.loads(DIRECT.open(f"{base}/nianbao/search_narrative.json?{query}", timeout=30).read())
        csv = DIRECT.open(f"{base}/-/export/search_narrative.csv?{urlencode({'q': '复议'})}", timeout=30).read()
    assert [(r["agency"], r["year"], r["version"], r["documents_found"]) for r in found] == [
        ("昌乐县公安局", 2023, "latest", 1)]
    assert found[0]["url"].endswith("t20240220_2.html")
    assert len(csv.decode("utf-8-sig").strip().splitlines()) == 2  # header + the one report
