"""An archived 汇编 becomes one `reports` row per body, end to end.

A county's 年报 column lists `平阴县2023年度部门政府信息公开工作年度报告汇编`: a page linking the compilation
as a PDF (tests/fixtures/bundles, four bodies' reports printed by LibreOffice).  Both are archived as a
crawl archives them (Archive.record + record_document), then `reparse_all` runs as `nianbao parse`.
What a user checks: four reports, one per body, each with its own numbers; every number links to the
archived PDF at a page of its own report; a corrected compilation (new bytes in a later crawl) is a new
revision of every body's report, the old ones kept; the report page, the revision diff, completeness
and narrative search see every body; an older database gains `reports.part` when opened.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pymupdf
import pytest
import yaml

import parsers
from archive import db as schema
from archive import diff, reportpage
from archive.completeness import completeness
from archive.reparse import reparse_all
from archive.store import Archive
from tests.support.responses import put_response

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
PDF = BUNDLES / "01_pingyin_county_2023_departments.pdf"
EXPECTED = json.loads((BUNDLES / "01_pingyin_county_2023_departments.expected.json").read_text(encoding="utf-8"))
SITE = "http://127.0.0.1:9/pingyin"
PAGE = f"{SITE}/art/2024/1/31/art_1_1234.html"
FILE = f"{SITE}/module/download/2023bmhb.pdf"
TITLE = "平阴县2023年度部门政府信息公开工作年度报告汇编"


def _page() -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>'
            f'<h1>{TITLE}</h1><p>附件：<a href="{FILE}">{TITLE}.pdf</a></p></body></html>').encode()


def _corrected(data: bytes) -> bytes:
    """The same compilation saved again (new bytes, as a re-published file has)."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        doc.set_metadata({"title": TITLE + "（更正）"})
        return doc.tobytes()


def _archive(root: Path, runs: list[bytes], parse=None) -> None:
    arc = Archive(root)
    for n, pdf in enumerate(runs):
        run = arc.start_run("test", ["pingyin"])
        arc.record_document("pingyin", PAGE, "report", title=TITLE, year=2023)
        arc.record_document("pingyin", FILE, "attachment", parent_url=PAGE, title=TITLE)
        at = f"2024-0{2 + n}-01T00:00:00Z"
        put_response(arc, PAGE, _page(), at, "text/html; charset=utf-8", source_id="pingyin")
        put_response(arc, FILE, pdf, at, "application/pdf", source_id="pingyin")
        arc.finish_run(run, {})
    registry = [{"id": "pingyin", "name": "平阴县人民政府", "level": "county", "kind": "government",
                 "region": {"province": "山东省", "city": "济南市", "county": "平阴县"}, "family": "trs",
                 "start_urls": [f"{SITE}/index.html"]}]
    path = root / "sources.yaml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    reparse_all(root, parse, sources=path)


def _rows(conn: sqlite3.Connection, sql: str, *args) -> list[dict]:
    cur = conn.execute(sql, args)
    return [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> sqlite3.Connection:
    """Two crawls: the compilation, then a corrected copy of it."""
    root = tmp_path_factory.mktemp("bundle")
    _archive(root, [PDF.read_bytes(), _corrected(PDF.read_bytes())])
    conn = sqlite3.connect(root / "nianbao.db")
    yield conn
    conn.close()


def test_every_body_of_the_compilation_is_a_report(corrected):
    latest = _rows(corrected, "SELECT * FROM reports WHERE is_latest = 1 ORDER BY part")
    assert [r["agency"] for r in latest] == [e["agency"] for e in EXPECTED]
    assert [r["part"] for r in latest] == [1, 2, 3, 4]
    assert {r["document_id"] for r in latest} == {_rows(corrected, "SELECT id FROM documents WHERE url = ?",
                                                        PAGE)[0]["id"]}
    assert {r["source_url"] for r in latest} == {FILE}
    for row, want in zip(latest, EXPECTED, strict=True):
        assert json.loads(row["record"])["applications"] == want["applications"]
        assert row["new_received_total"] == want["applications"]["new_received"]["total"]
        assert (row["year"], row["province"], row["city"], row["county"]) == (2023, "山东省", "济南市", "平阴县")
    assert len({r["id"] for r in latest}) == 4


def test_each_number_links_to_the_pdf_at_a_page_of_its_own_report(corrected):
    pdf_snapshot = _rows(corrected, "SELECT id FROM snapshots WHERE url = ? ORDER BY revision DESC", FILE)[0]["id"]
    for row, want in zip(_rows(corrected, "SELECT id FROM reports WHERE is_latest = 1 ORDER BY part"), EXPECTED,
                         strict=True):
        page = reportpage.report_page(corrected, row["id"])
        views = [c for g in page["active"] for r in g["rows"] for c in r["cells"]]
        views = [c for c in views + [c for r in page["applications"] for c in r["cells"]] + page["reviews"]
                 if c["present"]]
        cells = _rows(corrected, "SELECT snapshot_id, page FROM cells WHERE report_id = ?", row["id"])
        assert cells and {c["snapshot_id"] for c in cells} == {pdf_snapshot}
        first, last = want["pages"]
        assert all(c["page"] is not None and first <= c["page"] <= last for c in cells), want["agency"]
        assert len(views) == len(cells)  # the page shows every number, each a link
        hrefs = {c["href"] for c in views}
        assert all(h.startswith(f"/-/snapshot/{pdf_snapshot}#page=") for h in hrefs)
        assert all(first <= int(h.rsplit("=", 1)[1]) <= last for h in hrefs)


def test_a_corrected_compilation_is_a_new_revision_of_every_body(corrected):
    rows = _rows(corrected, "SELECT * FROM reports ORDER BY part, revision")
    assert len(rows) == 8
    by_part: dict[int, list[dict]] = {}
    for r in rows:
        by_part.setdefault(r["part"], []).append(r)
    for part, revisions in by_part.items():
        assert [(r["revision"], r["is_latest"]) for r in revisions] == [(1, 0), (2, 1)]
        assert revisions[0]["agency"] == revisions[1]["agency"] == EXPECTED[part - 1]["agency"]
        listed = diff.revisions(corrected, revisions[1]["document_id"], part)
        assert [r["id"] for r in listed] == [r["id"] for r in revisions]  # its own revisions, no other body's
        page = reportpage.report_page(corrected, revisions[1]["id"])
        assert [r["id"] for r in page["revisions"]] == [r["id"] for r in revisions]
        assert diff.comparison_kind(revisions[0], revisions[1]) == "revision"
    assert diff.comparison_kind(by_part[1][1], by_part[2][1]) == "bodies"


def test_completeness_search_and_diff_see_every_body(corrected):
    [row] = [r for r in completeness(corrected, 2023, 2023) if r["source_id"] == "pingyin"]
    assert row["other_documents"] == 4  # the departments' and the town's reports, none the county's own
    assert set(row["other_agencies"].split("、")) == {e["agency"] for e in EXPECTED}
    found = _rows(corrected, "SELECT r.agency FROM sections s JOIN reports r ON r.id = s.report_id"
                             " WHERE r.is_latest = 1 AND s.text LIKE '%丰富解读形式%'")
    assert {f["agency"] for f in found} == {e["agency"] for e in EXPECTED}
    assert diff.find_report(corrected, EXPECTED[2]["agency"], 2023) in {
        r["id"] for r in _rows(corrected, "SELECT id FROM reports WHERE part = 3 AND is_latest = 1")}


def test_a_callers_own_parser_is_asked_for_the_parts_when_it_can_read_them(tmp_path):
    _archive(tmp_path / "own", [PDF.read_bytes()], parse=parsers.parse_bytes)
    _archive(tmp_path / "plain", [PDF.read_bytes()], parse=lambda data, name: parsers.parse_bytes(data, name))
    for name, agencies in (("own", [e["agency"] for e in EXPECTED]), ("plain", [EXPECTED[0]["agency"]])):
        conn = sqlite3.connect(tmp_path / name / "nianbao.db")
        assert [r[0] for r in conn.execute("SELECT agency FROM reports ORDER BY part")] == agencies
        conn.close()


def test_an_older_database_gains_the_part_column(tmp_path):
    path = tmp_path / "nianbao.db"
    schema.connect(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE reports DROP COLUMN part")
    conn.commit()
    conn.close()
    db = schema.connect(path)
    assert "part" in {r[1] for r in db.conn.execute("PRAGMA table_info(reports)")}
    db.conn.close()
