"""The archive keeps every distinct revision, stores identical bytes once, and its WARC files validate."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.store import Archive, Fetch, writer_tag

WARCIO = str(Path(sys.executable).with_name("warcio"))
URL = "http://127.0.0.1:9/gk/2024/ndbg.html"
PAGE1 = "<html><head><meta charset='gbk'></head><body>聊城市公安局2024年政府信息公开工作年度报告</body></html>".encode(
    "gb18030"
)
PAGE2 = PAGE1.replace(b"2024", b"2025")


def fetch(body: bytes, at: str, status: int = 200, url: str = URL, **kw) -> Fetch:
    headers = kw.pop("headers", [("Content-Type", "text/html; charset=GBK"), ("ETag", '"v1"'),
                                 ("Last-Modified", "Tue, 01 Apr 2025 08:00:00 GMT"),
                                 ("Transfer-Encoding", "chunked")])
    return Fetch(url=url, final_url=url, status=status, headers=headers, body=body, fetched_at=at,
                 referrer="http://127.0.0.1:9/gk/", source_id="lc-gaj", spider="test", **kw)


def rows(arc: Archive, sql: str, *args) -> list[dict]:
    cur = arc.db.conn.execute(sql, args)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def test_incremental_revisions(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    r1 = arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    r2 = arc.record(fetch(PAGE1, "2026-01-02T00:00:00Z"))
    r3 = arc.record(fetch(PAGE2, "2026-01-03T00:00:00Z"))
    assert (r1.new_blob, r1.new_snapshot) == (True, True)
    assert (r2.new_blob, r2.new_snapshot, r2.snapshot_id) == (False, False, r1.snapshot_id)
    assert r3.new_snapshot and r3.snapshot_id != r1.snapshot_id

    snaps = arc.snapshots(URL)
    assert [s["revision"] for s in snaps] == [1, 2]
    assert snaps[0]["last_seen_at"] == "2026-01-02T00:00:00Z"  # identical re-fetch moved it
    assert snaps[0]["fetched_at"] == "2026-01-01T00:00:00Z"
    assert snaps[0]["status"] == 200 and snaps[0]["size"] == len(PAGE1)
    assert snaps[0]["content_type"] == "text/html; charset=GBK"
    assert snaps[0]["run_id"] == run and snaps[0]["software"].startswith("nianbao/")
    assert json.loads(snaps[0]["headers"])[0] == ["Content-Type", "text/html; charset=GBK"]
    # one WARC series per writing process: run, host and pid in the name
    assert snaps[0]["warc_file"] == f"nianbao-{run}-{writer_tag()}-00000.warc.gz"

    # blob is the exact bytes, content-addressed
    blob = tmp_path / "blobs" / "sha256" / r1.sha256[:2] / r1.sha256[2:4] / r1.sha256
    assert blob.read_bytes() == PAGE1
    assert len([p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]) == 2  # two distinct bodies

    f = rows(arc, "SELECT * FROM fetches ORDER BY id")
    assert [x["new_snapshot"] for x in f] == [1, 0, 1]
    assert all(x["run_id"] == run for x in f)

    assert arc.latest_body(URL)[1] == PAGE2
    # the bytes go back to revision 1: no new row, and revision 1 is the latest again
    r4 = arc.record(fetch(PAGE1, "2026-01-04T00:00:00Z"))
    assert (r4.new_snapshot, r4.snapshot_id) == (False, r1.snapshot_id)
    assert arc.latest_body(URL)[1] == PAGE1
    assert arc.conditional_headers(URL) == {"If-None-Match": '"v1"',
                                            "If-Modified-Since": "Tue, 01 Apr 2025 08:00:00 GMT"}
    arc.finish_run(run, {"lc-gaj": {"pages": 3, "reports_found": 1, "attachments": 0, "errors": 0,
                                    "duration_s": 1.5}})
    run_row = rows(arc, "SELECT * FROM crawl_runs")[0]
    assert run_row["status"] == "finished" and json.loads(run_row["stats"])["totals"]["fetches"] == 4
    assert rows(arc, "SELECT pages FROM crawl_run_sources") == [{"pages": 3}]


def test_304_logged_in_fetches_only(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.start_run("test", ["lc-gaj"])
    first = arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    nm = arc.record(fetch(b"", "2026-02-01T00:00:00Z", status=304, headers=[("ETag", '"v1"')]))
    assert nm.new_snapshot is False and nm.snapshot_id == first.snapshot_id
    assert len(arc.snapshots(URL)) == 1
    f = rows(arc, "SELECT status, not_modified, snapshot_id FROM fetches ORDER BY id")
    assert f[1] == {"status": 304, "not_modified": 1, "snapshot_id": first.snapshot_id}
    row, body = arc.latest_body(URL)
    assert body == PAGE1 and row["last_seen_at"] == "2026-02-01T00:00:00Z"
    warc = next((tmp_path / "warc").glob("*.warc.gz"))
    checked = subprocess.run([WARCIO, "check", str(warc)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_redirect_filed_under_final_url(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    f = fetch(PAGE1, "2026-01-01T00:00:00Z")
    f.final_url = URL.replace("ndbg", "ndbg-moved")
    arc.record(f)
    assert arc.snapshots(URL)[0]["final_url"] == f.final_url
    with open(next((tmp_path / "warc").glob("*.warc.gz")), "rb") as fh:
        rec = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
    assert rec.rec_headers.get_header("WARC-Target-URI") == f.final_url
    assert rec.rec_headers.get_header("WARC-Nianbao-Requested-URI") == URL


def test_same_bytes_other_url_share_blob(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    a = arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    b = arc.record(fetch(PAGE1, "2026-01-01T00:00:01Z", url=URL + "?copy"))
    assert a.sha256 == b.sha256 and b.new_blob is False and b.new_snapshot is True
    blobs = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1


def test_documents_and_errors(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    d1 = arc.record_document("lc-gaj", URL, "report", title="2024年报", year=2024)
    d2 = arc.record_document("lc-gaj", URL, "report", agency="聊城市公安局")
    assert d1 == d2
    doc = rows(arc, "SELECT * FROM documents")[0]
    assert (doc["title"], doc["year"], doc["agency"]) == ("2024年报", 2024, "聊城市公安局")
    arc.record_error(run, "lc-gaj", URL, "timeout")
    assert rows(arc, "SELECT reason FROM crawl_errors") == [{"reason": "timeout"}]


def test_warc_records_valid(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    gz = gzip.compress(PAGE1)
    arc.record(fetch(gz, "2026-01-01T00:00:00Z", headers=[("Content-Type", "text/html"),
                                                          ("Content-Encoding", "gzip"),
                                                          ("Transfer-Encoding", "chunked")],
                     note="transfer-encoding dechunked by client"))
    arc.record(fetch(gz, "2026-01-02T00:00:00Z", headers=[("Content-Type", "text/html"),
                                                          ("Content-Encoding", "gzip")]))
    arc.record(fetch(b"<html>rendered</html>", "2026-01-02T00:00:00Z", rendered=True))
    assert arc.latest_body(URL)[1] == gz  # as received, for rebuilding a response after a 304
    assert arc.latest_body(URL, decode=True)[1] == PAGE1
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert [w.name for w in warcs] == [f"nianbao-{run}-{writer_tag()}-00000.warc.gz"]

    checked = subprocess.run([WARCIO, "check", "-v", str(warcs[0])],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    indexed = subprocess.run([WARCIO, "index", str(warcs[0])],
                             capture_output=True, text=True)
    assert indexed.returncode == 0 and indexed.stdout.count("\n") == 6

    with open(warcs[0], "rb") as fh:
        recs = [(r.rec_type, r.rec_headers, r.http_headers, r.raw_stream.read()) for r in ArchiveIterator(fh)]
    types = [r[0] for r in recs]
    assert types == ["warcinfo", "response", "request", "revisit", "request", "conversion"]
    recs = recs[1:]
    resp = recs[0]
    assert resp[3] == gz  # stored as received: still gzip
    assert resp[2].get_header("Content-Encoding") == "gzip"
    assert resp[2].get_header("Content-Length") == str(len(gz))
    assert resp[2].get_header("Transfer-Encoding") is None
    assert resp[2].get_header("X-Crawler-Transfer-Encoding") == "chunked"  # as received, marked as rewritten
    assert resp[1].get_header("WARC-Nianbao-Note") == "transfer-encoding dechunked by client"
    assert recs[2][1].get_header("WARC-Refers-To-Date") == "2026-01-01T00:00:00Z"
    assert recs[4][1].get_header("WARC-Refers-To-Target-URI") == URL

    # the recorded offset points at the response record
    snap = arc.snapshots(URL)[0]
    with open(warcs[0], "rb") as fh:
        fh.seek(snap["warc_offset"])
        rec = next(iter(ArchiveIterator(fh)))
        assert rec.rec_type == "response" and rec.raw_stream.read() == gz


def test_reopen_appends(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    arc.close()
    arc2 = Archive(tmp_path)
    r = arc2.record(fetch(PAGE1, "2026-03-01T00:00:00Z"))
    assert r.new_snapshot is False and r.new_blob is False


def test_bytes_headers_as_scrapy_gives_them(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z", headers=[(b"Content-Type", b"text/html"), (b"ETag", b'"x"')]))
    snap = arc.snapshots(URL)[0]
    assert snap["content_type"] == "text/html" and snap["etag"] == '"x"'
    assert arc.conditional_headers(URL) == {"If-None-Match": '"x"'}


def test_old_database_gains_new_columns(tmp_path: Path) -> None:
    import sqlite3

    old = sqlite3.connect(tmp_path / "nianbao.db")
    old.execute("CREATE TABLE snapshots (id INTEGER PRIMARY KEY, url TEXT NOT NULL, sha256 TEXT NOT NULL)")
    old.execute("INSERT INTO snapshots (url, sha256) VALUES ('http://old/', 'ab')")
    old.commit()
    old.close()
    arc = Archive(tmp_path)
    assert arc.snapshots("http://old/")[0]["rendered"] == 0  # column added with its default
    assert arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z")).new_snapshot


def warc_records(data: Path) -> list:
    """Every record of every WARC file, in file order: (type, WARC headers, http headers, block)."""
    out = []
    for path in sorted((data / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            out += [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(fh)]
    return out


def test_each_warc_file_starts_with_warcinfo(tmp_path: Path, monkeypatch) -> None:
    """An archivist opening one WARC file learns what wrote it, for which run, and whom to ask."""
    monkeypatch.setenv("NIANBAO_CONTACT", "archive@example.org")
    arc = Archive(tmp_path)
    arc.warcinfo["http-header-user-agent"] = "nianbao/test"
    run = arc.start_run("gov-cn", ["lc-gaj"])
    arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    arc.record(fetch(PAGE2, "2026-01-02T00:00:00Z"))
    recs = warc_records(tmp_path)
    assert [r[0] for r in recs] == ["warcinfo", "response", "request", "response", "request"]
    info = dict(line.split(": ", 1) for line in recs[0][3].decode().splitlines())
    assert info["software"].startswith("nianbao/") and "scrapy/" in info["software"] and "warcio/" in info["software"]
    assert info["format"] == "WARC File Format 1.1"
    assert info["isPartOf"] == run and info["nianbao-spider"] == "gov-cn"
    assert info["operator"] == "archive@example.org"
    assert info["http-header-user-agent"] == "nianbao/test"
    assert recs[0][1].get_header("WARC-Filename") == arc.snapshots(URL)[0]["warc_file"]
    info_id = recs[0][1].get_header("WARC-Record-ID")
    assert all(r[1].get_header("WARC-Warcinfo-ID") == info_id for r in recs[1:])
    assert recs[1][1].get_header("WARC-Nianbao-Spider") == "test"


def test_no_operator_unless_set(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NIANBAO_CONTACT", raising=False)
    arc = Archive(tmp_path)
    arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    assert b"operator:" not in warc_records(tmp_path)[0][3]


def test_304_is_a_server_not_modified_revisit_of_the_original(tmp_path: Path) -> None:
    """A replay tool must serve the archived bytes at the 304's time, not an empty 304."""
    arc = Archive(tmp_path)
    arc.start_run("test", ["lc-gaj"])
    arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    arc.record(fetch(b"", "2026-02-01T00:00:00Z", status=304, headers=[("ETag", '"v1"')]))
    recs = warc_records(tmp_path)
    assert [r[0] for r in recs] == ["warcinfo", "response", "request", "revisit", "request"]
    original, revisit = recs[1], recs[3]
    h = revisit[1]
    assert h.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
    assert h.get_header("WARC-Refers-To-Target-URI") == URL
    assert h.get_header("WARC-Refers-To-Date") == "2026-01-01T00:00:00Z"
    assert h.get_header("WARC-Refers-To") == original[1].get_header("WARC-Record-ID")
    assert h.get_header("WARC-Payload-Digest") == original[1].get_header("WARC-Payload-Digest")
    assert revisit[2] is None and revisit[3] == b""  # no 304 status line for a replay tool to serve
    kept = json.loads(h.get_header("WARC-Nianbao-HTTP-Response"))
    assert kept == {"status": "304 Not Modified", "headers": [["ETag", '"v1"']]}


def test_identical_rendered_dom_is_a_revisit_not_a_second_copy(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.start_run("test", ["lc-gaj"])
    dom = "<html><body><a href='/r.html'>2024年报</a></body></html>".encode()
    first = arc.record(fetch(dom, "2026-01-01T00:00:00Z", rendered=True))
    again = arc.record(fetch(dom, "2026-01-02T00:00:00Z", rendered=True))
    assert again.new_snapshot is False and again.snapshot_id == first.snapshot_id and again.new_blob is False
    recs = warc_records(tmp_path)
    assert [r[0] for r in recs] == ["warcinfo", "conversion", "revisit"]
    assert recs[2][1].get_header("WARC-Refers-To") == recs[1][1].get_header("WARC-Record-ID")
    assert recs[2][1].get_header("WARC-Payload-Digest") == recs[1][1].get_header("WARC-Payload-Digest")
    assert recs[2][3] == b""
    changed = arc.record(fetch(dom + b"<p>new</p>", "2026-01-03T00:00:00Z", rendered=True))
    assert changed.new_snapshot and [r[0] for r in warc_records(tmp_path)][-1] == "conversion"


def test_run_duration_is_wall_time_not_the_sum_of_sources(tmp_path: Path) -> None:
    import time

    arc = Archive(tmp_path)
    run = arc.start_run("test", ["a", "b"])
    time.sleep(0.2)
    per_source = {"a": {"pages": 1, "duration_s": 5.0}, "b": {"pages": 2, "duration_s": 7.0}}
    arc.finish_run(run, per_source)
    stats = json.loads(rows(arc, "SELECT stats FROM crawl_runs")[0]["stats"])
    assert 0.2 <= stats["totals"]["duration_s"] < 5.0
    assert stats["totals"]["pages"] == 3
    assert stats["sources"]["a"]["duration_s"] == 5.0
    assert {r["source_id"]: r["duration_s"] for r in rows(arc, "SELECT * FROM crawl_run_sources")} == {"a": 5.0, "b": 7.0}


def test_redirect_hops_learn_their_final_url(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.start_run("test", ["lc-gaj"])
    go, mid = URL + "?go", URL + "?mid"
    hop1 = arc.record(fetch(b"", "2026-01-01T00:00:00Z", status=301, url=go, headers=[("Location", mid)]))
    hop2 = arc.record(fetch(b"", "2026-01-01T00:00:01Z", status=302, url=mid, headers=[("Location", URL)]))
    end = arc.record(fetch(PAGE1, "2026-01-01T00:00:02Z"))
    arc.set_final_url([hop1.fetch_id, hop2.fetch_id], URL)
    f = {r["url"]: r["final_url"] for r in rows(arc, "SELECT url, final_url FROM fetches")}
    assert f == {go: URL, mid: URL, URL: URL}
    snaps = rows(arc, "SELECT url, final_url FROM snapshots WHERE url != final_url ORDER BY id")
    assert snaps == [{"url": go, "final_url": URL}, {"url": mid, "final_url": URL}]
    assert end.fetch_id and arc.snapshots(URL)[0]["final_url"] == URL


def test_clock_stepping_back_keeps_the_newest_revision(tmp_path: Path) -> None:
    """The newest snapshot is the one recorded last, whatever the wall clock said: after the clock
    steps back, a 304 must be rebuilt from the revision whose validators were sent."""
    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    arc.record(fetch(PAGE1, "2026-01-01T00:00:00Z"))
    v2 = fetch(PAGE2, "2026-01-09T00:00:00Z", headers=[("Content-Type", "text/html"), ("ETag", '"v2"')])
    r2 = arc.record(v2)  # a clock running a week fast
    r3 = arc.record(fetch(PAGE1, "2026-01-10T00:00:00Z"))  # the bytes went back to revision 1
    back = fetch(PAGE2, "2026-01-05T00:00:00Z", headers=[("Content-Type", "text/html"), ("ETag", '"v2"')])
    r4 = arc.record(back)  # the clock corrected: stepped back four days
    assert r4.snapshot_id == r2.snapshot_id != r3.snapshot_id
    assert arc.latest_body(URL)[1] == PAGE2
    assert arc.conditional_headers(URL) == {"If-None-Match": '"v2"'}
    r5 = arc.record(fetch(b"", "2026-01-05T00:01:00Z", status=304, headers=[("ETag", '"v2"')]))
    assert r5.snapshot_id == r2.snapshot_id  # the 304 names the revision the validators came from
    arc.finish_run(run, {})


def _cut_into(arc: Archive, snapshot_id: int, keep: int = 5000) -> Path:
    """Truncate the snapshot's WARC inside its response record: its header still reads, its payload is cut."""
    name, offset = arc.db.conn.execute("SELECT warc_file, warc_offset FROM snapshots WHERE id = ?",
                                       (snapshot_id,)).fetchone()
    path = arc.warc_dir / name
    with open(path, "r+b") as fh:
        fh.truncate(offset + keep)
    return path


def _revisit_target_is_whole(arc: Archive, fetch_id: int) -> None:
    from archive.warc import record_whole

    name, offset = arc.db.conn.execute("SELECT warc_file, warc_offset FROM fetches WHERE id = ?",
                                       (fetch_id,)).fetchone()
    with open(arc.warc_dir / name, "rb") as fh:
        fh.seek(offset)
        rec = next(iter(ArchiveIterator(fh)))
        assert rec.rec_type == "revisit"
        target = rec.rec_headers.get_header("WARC-Refers-To")
    # the record it refers to is in the archive, whole, and carries the original bytes
    found = [p for p in arc.warc_dir.glob("*.warc.gz") if target in _record_ids(p)]
    assert len(found) == 1
    sid = arc.db.conn.execute("SELECT snapshot_id FROM fetches WHERE id = ?", (fetch_id,)).fetchone()[0]
    snap = rows(arc, "SELECT * FROM snapshots WHERE id = ?", sid)[0]
    assert snap["warc_file"] == found[0].name and record_whole(found[0], snap["warc_offset"])


def _record_ids(path: Path) -> list[str]:
    """Ids of the records readable from the start of a file (a cut file stops where it was cut)."""
    ids = []
    with open(path, "rb") as fh:
        try:
            for rec in ArchiveIterator(fh):
                ids.append(rec.rec_headers.get_header("WARC-Record-ID"))
        except Exception:
            pass
    return ids


# incompressible and big enough that a cut 5,000 bytes into the record lands inside its payload
BIG = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(1000)) + PAGE1


def test_a_tail_cut_after_a_finished_run_is_repaired_when_the_next_run_starts(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    first = arc.record(fetch(BIG, "2026-01-01T00:00:00Z"))
    arc.finish_run(run, {})
    _cut_into(arc, first.snapshot_id)
    arc.close()
    arc = Archive(tmp_path)
    arc.start_run("test", ["lc-gaj"])  # checks the last finished run's WARC tail, cuts it, re-writes the record
    noted = [r["reason"] for r in rows(arc, "SELECT reason FROM crawl_errors WHERE run_id = ?", run)]
    assert any(n.startswith("torn WARC record repaired:") for n in noted), noted
    again = arc.record(fetch(BIG, "2026-01-02T00:00:00Z"))
    assert again.snapshot_id == first.snapshot_id and not again.new_snapshot
    _revisit_target_is_whole(arc, again.fetch_id)
    arc.close()


def test_a_revisit_never_points_at_a_record_whose_payload_is_cut(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    first = arc.record(fetch(BIG, "2026-01-01T00:00:00Z"))
    arc.finish_run(run, {})
    arc.start_run("test", ["lc-gaj"])
    _cut_into(arc, first.snapshot_id)  # cut after this run's start-up check
    again = arc.record(fetch(BIG, "2026-01-02T00:00:00Z"))
    _revisit_target_is_whole(arc, again.fetch_id)
    # and a 304 of the same URL is rebuilt from that whole record too
    nm = arc.record(fetch(b"", "2026-01-03T00:00:00Z", status=304))
    assert nm.snapshot_id == first.snapshot_id
    arc.close()


# several times the chunk a record's check reads at once: a cut far into the payload, past the first reads
HUGE = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(10_000)) + PAGE1


def test_a_304_never_revisits_a_big_record_cut_deep_inside_its_payload(tmp_path: Path) -> None:
    from archive.warc import record_whole

    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    first = arc.record(fetch(HUGE, "2026-01-01T00:00:00Z"))
    arc.finish_run(run, {})
    arc.start_run("test", ["lc-gaj"])
    name, offset = arc.db.conn.execute("SELECT warc_file, warc_offset FROM snapshots WHERE id = ?",
                                       (first.snapshot_id,)).fetchone()
    assert record_whole(arc.warc_dir / name, offset)
    path = _cut_into(arc, first.snapshot_id, keep=len(HUGE) - 1000)
    assert not record_whole(path, offset)
    nm = arc.record(fetch(b"", "2026-01-03T00:00:00Z", status=304))
    assert nm.snapshot_id == first.snapshot_id
    _revisit_target_is_whole(arc, nm.fetch_id)
    assert arc.latest_body(URL)[1] == HUGE
    arc.close()


def fsyncs_of(monkeypatch, where: Path) -> list[str]:
    """The names of the files under `where` that os.fsync is called on (the real fsync still runs)."""
    import os

    seen: list[str] = []
    real = os.fsync

    def counting(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        if path.startswith(str(where)):
            seen.append(Path(path).name)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    return seen


def test_a_batch_is_one_warc_fsync_and_every_fetch_is_whole_in_it(tmp_path: Path, monkeypatch) -> None:
    """Group commit: the WARC file is flushed to disk once for the batch, before its rows commit."""
    from archive.warc import record_whole

    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    urls = [f"http://127.0.0.1:9/gk/{n}.html" for n in range(12)]
    batch = [fetch(PAGE1 if n % 3 else PAGE2 + str(n).encode(), f"2026-01-01T00:00:{n:02d}Z", url=u)
             for n, u in enumerate(urls)]
    warc_syncs = fsyncs_of(monkeypatch, tmp_path / "warc")
    done = arc.record_batch(batch)
    assert all(r.fetch_id for r in done)  # every one committed, none an exception
    assert len(warc_syncs) == 1, warc_syncs
    one_by_one = [fetch(f.body, f"2026-01-02T00:00:{n:02d}Z", url=f.url) for n, f in enumerate(batch[:4])]
    for f in one_by_one:
        arc.record(f)
    assert len(warc_syncs) == 1 + 4  # record() alone still flushes each fetch's record
    snaps = rows(arc, "SELECT url, sha256, warc_file, warc_offset FROM snapshots ORDER BY id")
    assert [s["url"] for s in snaps] == urls
    for s in snaps:
        assert record_whole(tmp_path / "warc" / s["warc_file"], s["warc_offset"])
        assert hashlib.sha256(arc.blobs.get(s["sha256"])).hexdigest() == s["sha256"]
    assert len(rows(arc, "SELECT id FROM fetches WHERE run_id = ?", run)) == 16


def test_a_fetch_that_cannot_be_archived_does_not_fail_its_batch(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.start_run("test", ["lc-gaj"])
    good = [fetch(PAGE1, "2026-01-01T00:00:00Z", url=f"http://127.0.0.1:9/gk/{n}.html") for n in range(3)]
    bad = fetch(PAGE2, "2026-01-01T00:00:00Z", url="http://127.0.0.1:9/gk/bad.html")
    bad.body = None  # type: ignore[assignment]  # no bytes to store: this one fails, alone
    done = arc.record_batch([good[0], bad, good[1], good[2]])
    assert isinstance(done[1], TypeError)
    assert [d.new_snapshot for d in (done[0], done[2], done[3])] == [True, True, True]
    assert {r["url"] for r in rows(arc, "SELECT url FROM fetches")} == {f.url for f in good}


def test_the_writer_thread_batches_what_waits_and_a_run_closes_after_it(tmp_path: Path) -> None:
    """Fetches handed to the writer while it flushes are one batch; finish_run waits for them all."""
    import threading

    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    writer = arc.writer()
    settled: list[tuple[int | None, Exception | None]] = []
    lock = threading.Lock()

    def done(recorded, error) -> None:
        with lock:
            settled.append((recorded.fetch_id if recorded else None, error))

    n = 40
    for k in range(n):
        writer.submit(fetch(PAGE1 + str(k).encode(), f"2026-01-01T00:{k // 60:02d}:{k % 60:02d}Z",
                            url=f"http://127.0.0.1:9/gk/{k}.html"), done)
    arc.finish_run(run, {})  # no drain by hand: closing the run waits for its queued fetches
    assert len(settled) == n and all(fid and err is None for fid, err in settled)
    assert writer.fetches == n and writer.batches < n  # grouped: fewer commits than fetches
    stats = json.loads(rows(arc, "SELECT stats FROM crawl_runs WHERE id = ?", run)[0]["stats"])
    assert stats["totals"]["fetches"] == n
    arc.close()
    assert not writer._thread.is_alive()


def test_the_event_loop_never_waits_on_a_batch_s_disk_flush(tmp_path: Path, monkeypatch) -> None:
    """While the writer thread flushes a batch's WARC file (here a slow disk: each WARC fsync takes
    0.5 s), another thread's row (the crawler's event loop recording an error) is written at once,
    and the batch's rows are not yet committed: a row never names bytes before they are durable."""
    import os
    import sqlite3
    import threading
    import time

    arc = Archive(tmp_path)
    run = arc.start_run("test", ["lc-gaj"])
    real = os.fsync
    flushing = threading.Event()
    seen_during_flush: list[int] = []

    def slow_disk(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(tmp_path / "warc")):
            with sqlite3.connect(tmp_path / "nianbao.db") as other:  # what a reader sees meanwhile
                seen_during_flush.append(other.execute("SELECT count(*) FROM fetches").fetchone()[0])
            flushing.set()
            time.sleep(0.5)
        real(fd)

    monkeypatch.setattr(os, "fsync", slow_disk)
    batch = [fetch(PAGE1 + str(n).encode(), f"2026-01-01T00:00:{n:02d}Z", url=f"http://127.0.0.1:9/gk/{n}.html")
             for n in range(8)]
    writer = threading.Thread(target=lambda: done.extend(arc.record_batch(batch)))
    done: list = []
    writer.start()
    assert flushing.wait(10)
    t0 = time.monotonic()
    arc.record_error(run, "lc-gaj", "http://127.0.0.1:9/gk/x.html", "timeout")
    waited = time.monotonic() - t0
    writer.join(10)
    assert waited < 0.25, f"the error row waited {waited:.2f}s for the batch's fsync"
    assert seen_during_flush == [0]  # nothing of the batch committed before its bytes were durable
    assert all(r.fetch_id for r in done)
    assert len(rows(arc, "SELECT id FROM fetches")) == 8
    assert [r["reason"] for r in rows(arc, "SELECT reason FROM crawl_errors WHERE url LIKE '%x.html'")] == ["timeout"]
