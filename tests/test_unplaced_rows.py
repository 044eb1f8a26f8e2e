"""A row printed but not placed is explained where the database shows the numbers.

The table readers leave such a row null rather than guess; `meta.warnings` is not stored in a
column the Datasette pages show, so each such row is a `row_unplaced` finding (identity `layout`):
stored by the re-parse like every finding, listed on /-/findings, and attached to the null cells
on the report page.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import parsers
from archive import reportpage, reviews
from archive.labels import FINDING_CODES
from archive.store import Archive
from parsers.unplaced import Unplaced
from tests.support.responses import put_response

CASE = (Path(__file__).parent / "fixtures" / "realworld"
        / "b13a_06_yunfu_yuncheng_2022_txt_rows_printed_short_of_cells.txt")
URL = "http://127.0.0.1:9/gk/2022nb.txt"


def test_unplaced_rows_are_findings_on_their_null_cells():
    result = parsers.parse_text(CASE.read_text(encoding="utf-8"))
    unplaced = {f["cells"][0].rsplit(".", 1)[0]: f for f in result.findings if f["code"] == "row_unplaced"}
    assert set(unplaced) == {"active_disclosure.normative_documents", "applications.partially_granted"}
    for path, f in unplaced.items():
        table, row = path.split(".")
        assert f["identity"] == "layout" and f["printed"] is None and f["implied"] is None
        assert f["cells"] == [f"{path}.{col}" for col, v in result.record[table][row].items() if v is None]
        assert "未录入" in f["message"]
    # the warnings stay plain text in meta (JSON as before)
    assert all(type(w) is str for w in result.meta["warnings"])
    assert any("partially_granted" in w and "not placed" in w for w in result.meta["warnings"])
    # no identity finding: the scorers' and the reader's identity checks are untouched
    assert {f["code"] for f in result.findings} == {"row_unplaced"}


def test_row_whose_label_lost_a_character_is_not_dropped_unsaid():
    """An OCR'd table-2 row whose label lost a glyph (行政处罚 read 行政处) prints a number that
    no row takes: the row it must be stays null with a finding naming the number, never silent."""
    text = (Path(__file__).parent / "fixtures" / "text" / "ocr_label_lost_char.txt").read_text(encoding="utf-8")
    result = parsers.parse_text(text)
    assert result.record["active_disclosure"]["punishment"] == {"decisions": None}
    assert result.record["active_disclosure"]["coercion"] == {"decisions": 14}
    found = [f for f in result.findings if f["code"] == "row_unplaced"]
    assert [f["cells"] for f in found] == [["active_disclosure.punishment.decisions"]]
    assert "36" in found[0]["message"]


def test_unplaced_warning_survives_pickling():
    w = Unplaced("table 3 row granted: only 5 of 7 cells printed (1 2 3 4 5); not placed", "applications",
                 "granted", printed="1 2 3 4 5")
    back = pickle.loads(pickle.dumps(w))
    assert back == w and (back.table, back.row, back.printed) == ("applications", "granted", "1 2 3 4 5")


def test_report_page_and_findings_list_show_the_unplaced_row(tmp_path: Path):
    arc = Archive(tmp_path)
    arc.record_document("s1", URL, "report")
    put_response(arc, URL, CASE.read_bytes(), "2023-02-01T00:00:00Z", "text/plain; charset=utf-8")
    arc.close()
    from archive.cli import main

    assert main(["--data", str(tmp_path), "parse"]) == 0
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        listed = [f for f in reviews.findings(conn) if f["code"] == "row_unplaced"]
        assert len(listed) == 2 and {f["identity"] for f in listed} == {"layout"}
        assert "row_unplaced" in reviews.finding_codes(conn)
        page = reportpage.report_page(conn, listed[0]["report_id"])
    finally:
        conn.close()
    row = next(r for r in page["applications"] if r["key"] == "partially_granted")
    assert all(c["value"] is None and any("未录入" in m for m in c["findings"]) for c in row["cells"])
    other = next(r for r in page["applications"] if r["key"] == "granted")
    assert not any(c["findings"] for c in other["cells"])
    assert "row_unplaced" in FINDING_CODES
