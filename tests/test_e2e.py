"""The demo, end to end, as a user meets it: replica portal -> crawl -> archive -> parse -> Datasette.

Checked through Datasette's JSON API over real HTTP, against the seeds' hand-made records.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support import datasette

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e-data")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    demo = subprocess.run(
        [sys.executable, "-m", "archive.demo", "--data", str(data), "--no-serve"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    # a person reads the summary: counts in words, not a Python dict
    assert re.search(r"\d+ documents read, \d+ reports parsed", demo.stdout) and "{'" not in demo.stdout
    nianbao = Path(sys.executable).with_name("nianbao")
    with datasette.served(data, launch=lambda port: [str(nianbao), "serve", "--data", str(data), "--port", str(port)],
                          pause=0.3, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as base:
        yield base, data


def _sql(base: str, sql: str) -> list[dict]:
    q = urllib.parse.urlencode({"sql": sql, "_shape": "array"})
    return _get_json(f"{base}/nianbao.json?{q}")


def _expected() -> dict[tuple[str, int], dict]:
    out = {}
    for f in sorted(SEEDS.glob("*.expected.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        out[(rec["agency"], rec["year"])] = rec
    return out


def test_the_five_seed_reports_are_served(served):
    base, _ = served
    rows = _sql(base, "select id, agency, year, template from reports where is_latest = 1")
    got = {(r["agency"], r["year"]): r for r in rows}
    assert set(got) == set(_expected())


def test_application_totals_match_the_seeds(served):
    base, _ = served
    rows = _sql(
        base,
        "select r.agency, r.year, c.row, c.value from reports r join cells c on c.report_id = r.id "
        "where r.is_latest = 1 and c.\"table\" = 'applications' and c.col = 'total' "
        "and c.row in ('new_received', 'total_processed')",
    )
    got = {(r["agency"], r["year"], r["row"]): r["value"] for r in rows}
    for (agency, year), rec in _expected().items():
        for row in ("new_received", "total_processed"):
            assert got[(agency, year, row)] == rec["applications"][row]["total"], (agency, year, row)


def test_every_archived_snapshot_keeps_its_provenance(served):
    base, data = served
    rows = _sql(base, "select url, final_url, status, sha256, fetched_at, source_id, spider from snapshots")
    assert rows, "nothing archived"
    for r in rows:
        assert r["url"] and r["final_url"] and r["status"] and r["fetched_at"] and r["spider"]
        blob = data / "blobs" / "sha256" / r["sha256"][:2] / r["sha256"][2:4] / r["sha256"]
        assert blob.is_file(), r["url"]
    assert list((data / "warc").glob("*.warc.gz")), "no WARC written"


def test_crawled_reports_replay_from_the_warc_in_pywb(served, tmp_path):
    """Archivists' check: the WARC files alone give back each report document byte for byte."""
    from tests.support.pywb import raw_get, wayback, wayback_ts

    base, data = served
    rows = _sql(
        base,
        "select s.url, s.final_url, s.sha256, s.fetched_at from snapshots s join documents d on d.url = s.url "
        "where s.status = 200 and s.rendered = 0 group by s.sha256",
    )
    assert len(rows) >= 5, rows
    with wayback(sorted((data / "warc").glob("*.warc.gz")), tmp_path) as port:
        for r in rows:
            status, _, body = raw_get(port, f"/nianbao/{wayback_ts(r['fetched_at'])}id_/{r['final_url']}")
            blob = (data / "blobs" / "sha256" / r["sha256"][:2] / r["sha256"][2:4] / r["sha256"]).read_bytes()
            assert status == 200, r["url"]
            assert body == blob, r["url"]
