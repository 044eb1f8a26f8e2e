"""reparse_all rebuilds the parsed tables from archived bytes alone.

Most tests drive it with a small stand-in parser (JSON body -> record) so they check the
archive's own logic — which bytes are chosen, revisions, failures, search — independent of
parser quality.  The last test runs the real `parsers.parse_bytes` over the seed reports.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive.reparse import reparse_all
from archive.store import Archive
from archive.textsearch import bigram_query
from tests.support.dbrows import db_rows as q
from tests.support.responses import put_response

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SITE = "http://127.0.0.1:9"


class StandInError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def stand_in_parse(data: bytes, name: str | None = None):
    """JSON record -> result; HTML -> free-form record without tables; anything else fails."""
    from types import SimpleNamespace

    assert data[:2] != b"\x1f\x8b", "reparse must undo Content-Encoding before parsing"
    if data.lstrip().startswith(b"{"):
        record = json.loads(data)
        cells = [{"table": "applications", "row": row, "col": col, "value": v, "raw": str(v), "inferred": False}
                 for row, cols in record.get("applications", {}).items() for col, v in cols.items()]
        findings = [{"identity": "1", "code": "balance", "cells": ["applications.new_received.total"],
                     "printed": 1, "implied": 2, "message": "stand-in finding"}] if record.get("broken") else []
        return SimpleNamespace(record=record, findings=findings, meta={"format": name.rsplit(".", 1)[-1],
                                                                        "level": "city"}, cells=cells)
    if b"<html" in data:
        return SimpleNamespace(record={"agency": None, "year": None, "template": "free",
                                       "sections": {"overview": data.decode("utf-8", "replace")}},
                               findings=[], meta={"format": "html"}, cells=[])
    raise StandInError("not a report: unreadable bytes")


def report_json(agency: str, year: int, new: int, *, overview: str = "", broken: bool = False) -> bytes:
    rec = {
        "agency": agency, "year": year, "template": "2021",
        "applications": {
            "new_received": {"natural_person": new, "total": new},
            "granted": {"total": 2}, "denied_state_secret": {"total": 1}, "denied_third_party": {"total": 3},
            "total_processed": {"total": new}, "carried_forward": {"total": 0},
        },
        "reviews_litigation": {"review": {"total": 1}, "litigation_direct": {"total": 2},
                               "litigation_after_review": {"total": None}},
        "sections": {"overview": overview, "problems": "信息公开的及时性有待提高。", "other": None},
        "broken": broken,
    }
    return json.dumps(rec, ensure_ascii=False).encode()


put = put_response  # source 's1', JSON unless a content type is given



@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return build_archive(tmp_path)


def build_archive(tmp_path: Path) -> Path:
    """Four report documents covering the cases reparse must tell apart (also used by test_serve)."""
    arc = Archive(tmp_path)
    arc.start_run("test", ["s1"])
    # A: tables on the page, two revisions (a correction was published)
    a = f"{SITE}/a/2024.html"
    arc.record_document("s1", a, "report", title="A市2024年政府信息公开工作年度报告", year=2024)
    put(arc, a, report_json("A市人民政府", 2024, 30, overview="本年度依申请公开工作平稳。"), "2025-01-10T00:00:00Z")
    put(arc, a, report_json("A市人民政府", 2024, 36, overview="本年度依申请公开工作平稳，行政复议1件。",
                            broken=True), "2025-02-10T00:00:00Z")
    # B: a link page (gzip-encoded HTML) whose tables are in the attachments; the PDF wins over the DOC
    b = f"{SITE}/b/2024.html"
    arc.record_document("s1", b, "report", title="B局2024年报", year=2024, agency="B局")
    put(arc, b, b"<html><body>see attachment</body></html>", "2025-01-11T00:00:00Z", "text/html", gz=True)
    arc.record_document("s1", f"{SITE}/b/att.doc", "attachment", parent_url=b)
    arc.record_document("s1", f"{SITE}/b/att.pdf", "attachment", parent_url=b)
    put(arc, f"{SITE}/b/att.doc", report_json("B局(doc)", 2024, 5), "2025-01-11T00:00:01Z")
    put(arc, f"{SITE}/b/att.pdf", report_json("B局", 2024, 7), "2025-01-11T00:00:02Z")
    # C: link page whose only attachment is corrupt
    c = f"{SITE}/c/2024.html"
    arc.record_document("s1", c, "report", year=2024)
    put(arc, c, b"<html>link</html>", "2025-01-12T00:00:00Z", "text/html")
    arc.record_document("s1", f"{SITE}/c/att.pdf", "attachment", parent_url=c)
    put(arc, f"{SITE}/c/att.pdf", b"%PDF-1.7 truncated", "2025-01-12T00:00:01Z", "application/pdf")
    # D: discovered but never fetched
    arc.record_document("s1", f"{SITE}/d/2024.html", "report")
    arc.close()
    return tmp_path


def test_revisions_and_totals(archive: Path) -> None:
    stats = reparse_all(archive, parse=stand_in_parse)
    assert stats["documents"] == 4 and stats["no_snapshot"] == 1
    a = q(archive, "SELECT * FROM reports WHERE url LIKE '%/a/%' ORDER BY revision")
    assert [(r["revision"], r["is_latest"], r["new_received_total"]) for r in a] == [(1, 0, 30), (2, 1, 36)]
    latest = a[1]
    assert latest["agency"] == "A市人民政府" and latest["year"] == 2024 and latest["template"] == "2021"
    assert latest["denied_total"] == 4 and latest["granted_total"] == 2
    assert latest["review_total"] == 1 and latest["litigation_total"] == 2
    assert latest["level"] == "city" and latest["findings_count"] == 1
    assert json.loads(latest["record"])["applications"]["new_received"]["total"] == 36
    cells = q(archive, "SELECT * FROM cells WHERE report_id = ?", latest["id"])
    assert {"row": "new_received", "col": "total", "value": 36} in [
        {k: c[k] for k in ("row", "col", "value")} for c in cells]
    assert all(c["snapshot_id"] == latest["snapshot_id"] for c in cells)
    f = q(archive, "SELECT * FROM findings WHERE report_id = ?", latest["id"])
    assert f[0]["code"] == "balance" and json.loads(f[0]["cells"]) == ["applications.new_received.total"]


def test_attachment_order_and_failures(archive: Path) -> None:
    reparse_all(archive, parse=stand_in_parse)
    b = q(archive, "SELECT * FROM reports WHERE url LIKE '%/b/%'")
    assert [(r["agency"], r["source_url"].rsplit("/", 1)[1]) for r in b] == [("B局", "att.pdf")]
    c = q(archive, "SELECT * FROM reports WHERE url LIKE '%/c/%'")
    assert [r["template"] for r in c] == ["free"]  # the page is kept, tables unknown
    fails = q(archive, "SELECT url, reason FROM parse_failures")
    assert fails == [{"url": f"{SITE}/c/att.pdf", "reason": "not a report: unreadable bytes"}]


def test_search_two_character_words(archive: Path) -> None:
    reparse_all(archive, parse=stand_in_parse)
    conn = sqlite3.connect(archive / "nianbao.db")

    def search(word: str) -> set[str]:
        sql = ("SELECT DISTINCT r.url FROM sections_bigram b JOIN sections s ON s.id = b.rowid"
               " JOIN reports r ON r.id = s.report_id WHERE sections_bigram MATCH ?")
        return {row[0].split("/")[3] for row in conn.execute(sql, (bigram_query(word),))}

    assert search("复议") == {"a"}  # only in revision 2 of A
    assert search("依申请公开") == {"a"}
    assert search("及时") == {"a", "b"}
    assert search("诉讼") == set()
    trigram = conn.execute("SELECT count(*) FROM sections_fts WHERE sections_fts MATCH ?", ('"依申请"',)).fetchone()
    assert trigram[0] == 2


def test_rebuild_is_idempotent_and_keeps_provenance(archive: Path) -> None:
    first = reparse_all(archive, parse=stand_in_parse)
    snaps = q(archive, "SELECT * FROM snapshots ORDER BY id")
    second = reparse_all(archive, parse=stand_in_parse)
    assert first == second
    assert q(archive, "SELECT * FROM snapshots ORDER BY id") == snaps
    assert len(q(archive, "SELECT * FROM parse_failures")) == 1
    assert len(q(archive, "SELECT id FROM reports")) == len({r["id"] for r in q(archive, "SELECT id FROM reports")})


def _real_parser():
    try:
        import parsers
    except ImportError:
        return None
    return getattr(parsers, "parse_bytes", None)


@pytest.mark.skipif(_real_parser() is None, reason="parsers.parse_bytes not available yet")
def test_real_parser_over_seeds(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    parse_bytes = _real_parser()
    arc = Archive(tmp_path)
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds
    for i, seed in enumerate(seeds):
        url = f"{SITE}/seed/{seed.name}"
        arc.record_document("seeds", url, "report")
        put(arc, url, seed.read_bytes(), f"2025-03-0{i + 1}T00:00:00Z", "text/plain; charset=utf-8")
    arc.close()
    from archive.cli import main

    assert main(["--data", str(tmp_path), "parse"]) == 0  # `nianbao parse`: the whole archive
    assert f"from {len(seeds)} documents" in capsys.readouterr().out
    for seed in seeds:
        expected = json.loads(seed.with_name(seed.stem + ".expected.json").read_text())
        rows = q(tmp_path, "SELECT * FROM reports WHERE url = ?", f"{SITE}/seed/{seed.name}")
        failures = q(tmp_path, "SELECT reason FROM parse_failures WHERE url = ?", f"{SITE}/seed/{seed.name}")
        assert len(rows) == 1, (seed.name, failures)
        direct = parse_bytes(seed.read_bytes(), seed.name)
        # the database holds exactly what the parser said ...
        assert json.loads(rows[0]["record"]) == json.loads(json.dumps(direct.record, ensure_ascii=False))
        assert len(q(tmp_path, "SELECT id FROM cells WHERE report_id = ?", rows[0]["id"])) == len(direct.cells)
        # ... and the summary columns agree with the canonical record
        assert (rows[0]["agency"], rows[0]["year"]) == (expected["agency"], expected["year"])
        new = (expected.get("applications") or {}).get("new_received") or {}
        assert rows[0]["new_received_total"] == new.get("total")


def test_carry_over_across_years(tmp_path: Path) -> None:
    pytest.importorskip("parsers.identities")
    arc = Archive(tmp_path)
    for year, carried_over, carried_forward in ((2023, 0, 5), (2024, 3, 0)):
        rec = json.loads(report_json("A市人民政府", year, 10))
        rec["applications"]["carried_over"] = {"total": carried_over}
        rec["applications"]["carried_forward"] = {"total": carried_forward}
        url = f"{SITE}/a/{year}.html"
        arc.record_document("s1", url, "report")
        put(arc, url, json.dumps(rec, ensure_ascii=False).encode(), f"{year + 1}-01-10T00:00:00Z")
    arc.close()
    reparse_all(tmp_path, parse=stand_in_parse)
    found = q(tmp_path, "SELECT r.year, f.identity, f.printed, f.implied FROM findings f"
                        " JOIN reports r ON r.id = f.report_id WHERE f.code = 'carry_over'")
    assert found == [{"year": 2024, "identity": "5", "printed": 3, "implied": 5}]
    assert q(tmp_path, "SELECT findings_count FROM reports WHERE year = 2024") == [{"findings_count": 1}]


def _carry_years(tmp_path: Path, reports: list[tuple[str, int, int, int]]) -> list[dict]:
    """Reports (agency, year, 上年结转, 结转下年度) re-parsed together: the carry-over findings, with the
    agency of the report each was raised on and the agency and year of last year's report it names."""
    from archive import reviews

    arc = Archive(tmp_path)
    for n, (agency, year, carried_over, carried_forward) in enumerate(reports):
        rec = json.loads(report_json(agency, year, 10))
        rec["applications"]["carried_over"] = {"total": carried_over}
        rec["applications"]["carried_forward"] = {"total": carried_forward}
        url = f"{SITE}/c/{n}.html"
        arc.record_document("s1", url, "report")
        put(arc, url, json.dumps(rec, ensure_ascii=False).encode(), f"{year + 1}-01-10T00:00:00Z")
    arc.close()
    reparse_all(tmp_path, parse=stand_in_parse)
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    conn.row_factory = sqlite3.Row
    out = []
    for agency in sorted({r[0] for r in conn.execute("SELECT r.agency FROM findings f JOIN reports r"
                                                      " ON r.id = f.report_id WHERE f.code = 'carry_over'")}):
        for f in reviews.findings(conn, agency):
            prev = conn.execute("SELECT agency, year FROM reports WHERE id = ?",
                                (f["previous"]["report_id"],)).fetchone() if f["previous"] else None
            out.append({"agency": agency, "year": f["year"], "printed": f["printed"], "implied": f["implied"],
                        "previous": tuple(prev) if prev else None})
    return out


def test_carry_over_pairs_a_name_printed_with_and_without_its_place(tmp_path: Path) -> None:
    """聊城市公安局 one year, 山东省聊城市公安局 the next: one body (same place), so its carry-over is checked,
    and the finding names last year's report."""
    pytest.importorskip("parsers.identities")
    found = _carry_years(tmp_path, [("聊城市公安局", 2022, 0, 4), ("山东省聊城市公安局", 2023, 4, 5),
                                    ("聊城市 公安局", 2024, 3, 0)])
    assert found == [{"agency": "聊城市 公安局", "year": 2024, "printed": 3, "implied": 5,
                      "previous": ("山东省聊城市公安局", 2023)}]


def test_carry_over_never_pairs_another_body_or_a_joint_report_with_one_of_its_bodies(tmp_path: Path) -> None:
    """A joint report's table counts both bodies' applications; 市中区 of 济南 is not 枣庄's; a short name two
    places fit is no one's: none is paired, so no finding accuses them.  A joint report printing its
    bodies in another order is still theirs."""
    pytest.importorskip("parsers.identities")
    found = _carry_years(tmp_path, [
        ("聊城市人民政府", 2023, 0, 5), ("聊城市人民政府、聊城市人民政府办公室", 2024, 3, 0),
        ("聊城市人民政府办公室", 2023, 0, 6), ("聊城市人民政府", 2022, 0, 9),
        ("济南市市中区人民政府", 2023, 0, 5), ("枣庄市市中区人民政府", 2024, 3, 0),
        ("枣庄市市中区人民政府", 2023, 0, 8), ("市中区人民政府", 2024, 2, 0),
        ("东阿县财政局、东阿县税务局", 2023, 0, 4), ("东阿县税务局和东阿县财政局", 2024, 1, 0),
    ])
    assert found == [
        {"agency": "东阿县税务局和东阿县财政局", "year": 2024, "printed": 1, "implied": 4,
         "previous": ("东阿县财政局、东阿县税务局", 2023)},
        {"agency": "枣庄市市中区人民政府", "year": 2024, "printed": 3, "implied": 8,
         "previous": ("枣庄市市中区人民政府", 2023)},
        {"agency": "聊城市人民政府", "year": 2023, "printed": 0, "implied": 9, "previous": ("聊城市人民政府", 2022)},
    ]


@pytest.mark.skipif(_real_parser() is None, reason="parsers.parse_bytes not available yet")
def test_cli_parse_path_delegates(capsys: pytest.CaptureFixture) -> None:
    from archive.cli import main

    seed = sorted(SEEDS.glob("*.txt"))[0]
    assert main(["parse", str(seed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = json.loads(seed.with_name(seed.stem + ".expected.json").read_text())
    assert (out["agency"], out["year"]) == (expected["agency"], expected["year"])


def test_a_report_printed_over_pages_is_read_by_the_callers_parser(tmp_path: Path) -> None:
    """The pages' texts, joined in page order, go to the parser the caller gave, like every other document."""
    arc = Archive(tmp_path)
    arc.start_run("test", ["s1"])
    first = f"{SITE}/e/124.html"
    arc.record_document("s1", first, "report", year=2024)
    put(arc, first, "<html><body><p>第一页：一、总体情况</p></body></html>".encode(), "2025-01-10T00:00:00Z",
        "text/html")
    for n, word in ((10, "第三页"), (2, "第二页")):  # recorded out of order: 124_2 is read before 124_10
        url = f"{SITE}/e/124_{n}.html"
        arc.record_document("s1", url, "page", parent_url=first)
        put(arc, url, f"<html><body><p>{word}：二、主动公开</p></body></html>".encode(), "2025-01-10T00:00:01Z",
            "text/html")
    arc.close()
    given: list[bytes] = []

    def parse(data: bytes, name: str | None = None):
        given.append(data)
        text = data.decode("utf-8", "replace")
        if "第一页" in text and "第三页" in text:
            return stand_in_parse(report_json("E局", 2024, 9), name)
        return stand_in_parse(data, name)

    reparse_all(tmp_path, parse=parse)
    joined = [d.decode("utf-8") for d in given if b"<html" not in d]  # the article, not a page's own bytes
    assert len(joined) == 1 and joined[0].index("第一页") < joined[0].index("第二页") < joined[0].index("第三页")
    assert q(tmp_path, "SELECT agency, new_received_total, source_url FROM reports") == [
        {"agency": "E局", "new_received_total": 9, "source_url": first}]
