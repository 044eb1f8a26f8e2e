"""archive.diff and archive.completeness as plain functions: the rules behind the Datasette pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import db as schema
from archive.completeness import completeness, matrix
from archive.diff import diff_cells, summary
from archive.reparse import finding_key


def cell(value, snapshot=1) -> dict:
    return {"value": value, "raw": str(value), "inferred": 0, "snapshot_id": snapshot}


def test_diff_sorts_by_biggest_change_and_keeps_blank_apart_from_zero() -> None:
    before = {("applications", "new_received", "total"): cell(36),
              ("applications", "granted", "total"): cell(3),
              ("applications", "carried_over", "total"): cell(None),
              ("reviews_litigation", "review", "total"): cell(0),
              ("active_disclosure", "fees", "amount_10k_yuan"): cell(28.6775)}
    after = {("applications", "new_received", "total"): cell(40, 2),
             ("applications", "granted", "total"): cell(1, 2),
             ("applications", "carried_over", "total"): cell(0, 2),
             ("active_disclosure", "fees", "amount_10k_yuan"): cell(30.0, 2),
             ("applications", "denied_state_secret", "total"): cell(2, 2)}
    changes = diff_cells(before, after)
    assert [(c.row, c.status) for c in changes] == [
        ("new_received", "changed"), ("granted", "changed"), ("fees", "changed"),
        ("carried_over", "added"), ("denied_state_secret", "added"), ("review", "removed")]
    first = changes[0]
    assert (first.before, first.after, first.change) == (36, 40, 4) and first.pct == pytest.approx(100 * 4 / 36)
    assert first.label == "表三 · 一、本年新收政府信息公开申请数量 · 总计"
    assert (first.before_snapshot, first.after_snapshot) == (1, 2)
    assert changes[2].change == 1.3225  # no float noise
    assert changes[3].change is None  # blank -> 0 is not "+0"
    assert summary(changes) == {"changed": 3, "added": 2, "removed": 1, "same": 0}


def test_finding_key_is_stable_and_specific() -> None:
    f = {"identity": "4", "code": "review_sum", "cells": ["b.c.d", "a.b.c"], "message": "x"}
    same = {"identity": "4", "code": "review_sum", "cells": ["a.b.c", "b.c.d"], "message": "changed wording"}
    assert finding_key("doc1", f) == finding_key("doc1", same)
    assert finding_key("doc1", f) != finding_key("doc2", f)
    assert finding_key("doc1", f) != finding_key("doc1", {**f, "identity": "1"})


def test_completeness_statuses(tmp_path: Path) -> None:
    db = schema.connect(tmp_path / "nianbao.db")
    c = db.conn
    c.execute("INSERT INTO crawl_run_sources (run_id, source_id) VALUES ('r1', 'a'), ('r1', 'quiet')")
    docs = [("d1", "a", "http://a/2021.html", 2021), ("d2", "a", "http://a/2022.html", 2022),
            ("d3", "a", "http://a/2023.html", 2023)]
    c.executemany("INSERT INTO documents (id, source_id, url, kind, year) VALUES (?, ?, ?, 'report', ?)", docs)
    c.execute("INSERT INTO documents (id, source_id, url, kind, parent_url) VALUES "
              "('d3a', 'a', 'http://a/2023.pdf', 'attachment', 'http://a/2023.html')")
    c.execute("INSERT INTO reports (id, document_id, year, agency, is_latest, revision) "
              "VALUES ('r-1', 'd1', 2021, 'A局', 1, 1)")
    c.execute("INSERT INTO snapshots (id, url, revision, sha256) VALUES (7, 'http://a/2023.pdf', 1, 'x')")
    c.execute("INSERT INTO parse_failures (snapshot_id, url, reason) VALUES (7, 'http://a/2023.pdf', 'scanned')")
    c.commit()
    rows = completeness(c, 2019, 2024)
    years, grid = matrix(rows)
    assert years == [2019, 2020, 2021, 2022, 2023, 2024]
    assert {y: grid["a"][y]["status"] for y in years} == {
        2019: "missing", 2020: "missing", 2021: "parsed", 2022: "found", 2023: "failed", 2024: "missing"}
    assert grid["a"][2021]["report_id"] == "r-1" and grid["a"][2021]["agency"] == "A局"
    assert {r["status"] for r in grid["quiet"].values()} == {"missing"}
