"""Kills that land in the archive's two crash windows, at a chosen point (no timing luck):

* between a batch's WARC fsync and the commit of its rows: the records are whole, no row names them.
  Recovery writes the rows from the records, so the next crawl revisits the capture (a 304) instead of
  downloading it again beside a capture the database does not know;
* during the repair of a torn WARC tail (the records re-written from their blobs): the next recovery
  finishes the repair, and every snapshot and fetch row names a whole record again.

The kill point is set by a `sitecustomize` module put on the killed process's PYTHONPATH (the crawl's
child inherits it): it wraps one archive function to SIGKILL its process group at that call.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warc import check_warc
from crawler.lock import lock_holder
from crawler.run import crawl
from tests.portal.server import Replica

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = str(Path(sys.executable).with_name("nianbao"))
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "NIANBAO_RETRY_BACKOFF_BASE": 0.05,
        "LOG_LEVEL": "WARNING"}

KILL_AT = """
import os, signal
from {module} import {owner} as _owner
_real = _owner.{name}
_calls = [0]

def _kill_here(*args, **kwargs):
    if {when}:
        _calls[0] += 1
        if _calls[0] >= {nth}:
            os.killpg(0, signal.SIGKILL)
    return _real(*args, **kwargs)

_owner.{name} = _kill_here
"""


def kill_env(tmp: Path, source: str | None = None, **point) -> dict[str, str]:
    """An environment whose Python processes SIGKILL their process group at the chosen call."""
    hook = tmp / "killpoint"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(source or KILL_AT.format(**point))
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{hook}"}


def db(data: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def records(data: Path) -> list[dict]:
    """Every whole record of every WARC file: file, offset, type, URI, payload sha256."""
    out = []
    for path in sorted((data / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for rec in it:
                payload = rec.raw_stream.read()
                out.append({"file": path.name, "offset": it.get_record_offset(), "type": rec.rec_type,
                            "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                            "date": rec.rec_headers.get_header("WARC-Date"),
                            "sha256": hashlib.sha256(payload).hexdigest()})
    return out


def captures_without_rows(data: Path) -> list[dict]:
    conn = db(data)
    named = {(r[0], r[1]) for r in conn.execute("SELECT warc_file, warc_offset FROM fetches UNION"
                                                " SELECT warc_file, warc_offset FROM snapshots")}
    return [r for r in records(data) if r["type"] in ("response", "revisit") and (r["file"], r["offset"]) not in named]


def rows_not_on_whole_records(data: Path) -> list[tuple]:
    """Rows whose WARC pointer does not start a whole record (for snapshots: one holding their bytes)."""
    at = {(r["file"], r["offset"]): r for r in records(data)}
    bad = []
    conn = db(data)
    for row in conn.execute("SELECT id, warc_file, warc_offset, sha256 FROM snapshots"):
        rec = at.get((row["warc_file"], row["warc_offset"]))
        if rec is None or rec["sha256"] != row["sha256"]:
            bad.append(("snapshot", row["id"], row["warc_file"], row["warc_offset"]))
    for row in conn.execute("SELECT id, warc_file, warc_offset FROM fetches WHERE warc_file IS NOT NULL"):
        if (row["warc_file"], row["warc_offset"]) not in at:
            bad.append(("fetch", row["id"], row["warc_file"], row["warc_offset"]))
    return bad


def wait_unlocked(data: Path) -> None:
    deadline = time.monotonic() + 60  # the crawl child holds the data dir's lock until it has died too
    while lock_holder(data) is not None and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_crawl_killed_between_warc_fsync_and_commit_keeps_its_captures(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Replica.start(faults=False) as rep:
        registry = rep.write_sources(tmp_path / "sources.yaml")
        args = [NIANBAO, "crawl", "--data", str(data), "--sources", str(registry)]
        for name, value in FAST.items():
            args += ["--set", f"{name}={value}"]
        # killed when the rows of the first PDF are about to be written: its records are fsynced by then
        env = kill_env(tmp_path, module="archive.store", owner="Archive", name="_rows", nth=1,
                       when="args[3].url.lower().endswith('.pdf')")
        proc = subprocess.run(args, env=env, start_new_session=True, capture_output=True, timeout=300)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
        wait_unlocked(data)

        lost = captures_without_rows(data)
        pdfs = [r for r in lost if r["uri"].lower().endswith(".pdf")]
        assert pdfs, "the kill did not land between the WARC fsync and the commit"

        crawl(data, sources_path=registry, settings=FAST)

    conn = db(data)
    assert captures_without_rows(data) == []
    assert rows_not_on_whole_records(data) == []
    responses = [r for r in records(data) if r["type"] == "response"]
    for rec in lost:  # each lost capture is a snapshot (or a fetch of one) again, at its own record and time
        row = conn.execute("SELECT * FROM fetches WHERE warc_file = ? AND warc_offset = ?",
                           (rec["file"], rec["offset"])).fetchone()
        assert row is not None and row["fetched_at"].startswith(rec["date"].rstrip("Z").split(".")[0])
        if rec["type"] == "response":
            snap = conn.execute("SELECT * FROM snapshots WHERE id = ?", (row["snapshot_id"],)).fetchone()
            assert snap["sha256"] == rec["sha256"]
            # never downloaded and stored again: one response record for these bytes at that URL
            assert sum(1 for r in responses if (r["uri"], r["sha256"]) == (rec["uri"], rec["sha256"])) == 1
    pdf = pdfs[0]
    again = conn.execute("SELECT status, new_snapshot FROM fetches WHERE url = ? ORDER BY id", (pdf["uri"],)).fetchall()
    assert [tuple(r) for r in again] == [(200, 1), (304, 0)]
    assert conn.execute("SELECT count(*) FROM snapshots WHERE url = ?", (pdf["uri"],)).fetchone()[0] == 1
    reasons = " ".join(r[0] for r in conn.execute("SELECT reason FROM crawl_errors"))
    assert f"written from its record {pdf['file']}@{pdf['offset']}" in reasons


WRITE = """
import os, sys
from archive.store import Archive, Fetch
arc = Archive(sys.argv[1])
run = arc.start_run("test", ["s"])
base = "http://127.0.0.1:9/nianbao/"
for n, size in enumerate((300_000, 200_000, 1_000)):
    body = os.urandom(size)
    arc.record(Fetch(url=f"{base}{n}.pdf", final_url=f"{base}{n}.pdf", status=200, body=body,
                     headers=[("Content-Type", "application/pdf"), ("ETag", f'"e{n}"')],
                     request_headers=[("Referer", base)], fetched_at=f"2026-01-0{n + 1}T00:00:00.250000Z"))
arc.finish_run(run)
print(run)
"""

REPAIR = """
import sys
from archive.store import Archive
Archive(sys.argv[1]).recover()
"""


def half_record() -> bytes:
    """What a kill inside a write() leaves: the first half of a record (one gzip member)."""
    scratch = io.BytesIO()
    writer = WARCWriter(scratch, gzip=True, warc_version="WARC/1.1")
    body = os.urandom(50_000)
    http = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://127.0.0.1:9/nianbao/1.pdf", "response", http_headers=http,
                                                  payload=io.BytesIO(body), length=len(body)))
    return scratch.getvalue()[:40_000]


def _archive_with_a_torn_tail(data: Path) -> tuple[str, dict]:
    run = subprocess.run([sys.executable, "-c", WRITE, str(data)], capture_output=True, text=True, check=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.strip()
    conn = db(data)
    before = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM snapshots")}
    first = min(before.values(), key=lambda s: s["warc_offset"])
    with open(data / "warc" / first["warc_file"], "r+b") as fh:  # a bad copy: cut inside the first record
        fh.truncate(first["warc_offset"] + 100_000)
    return run, before


def _after_repair(data: Path, run: str, before: dict) -> None:
    assert rows_not_on_whole_records(data) == []
    assert captures_without_rows(data) == []
    for path in (data / "warc").glob("*.warc.gz"):
        assert not check_warc(path).damaged, path
    conn = db(data)
    after = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM snapshots")}
    assert after.keys() == before.keys()
    for sid, snap in after.items():  # the same captures: bytes, date, headers; only the record moved
        keep = ("url", "sha256", "fetched_at", "headers", "etag")
        assert {k: snap[k] for k in keep} == {k: before[sid][k] for k in keep}
        fetch = conn.execute("SELECT warc_file, warc_offset FROM fetches WHERE snapshot_id = ?", (sid,)).fetchone()
        assert tuple(fetch) == (snap["warc_file"], snap["warc_offset"])
    # each capture is in the WARCs once (a killed repair's whole copy is used, not copied again)
    per_uri = [r["uri"] for r in records(data) if r["type"] == "response"]
    assert sorted(per_uri) == sorted(s["url"] for s in after.values())
    reasons = " ".join(r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run,)))
    assert ".torn-" in reasons


def test_a_repair_killed_before_its_first_copy_is_finished_by_the_next(tmp_path: Path) -> None:
    run, before = _archive_with_a_torn_tail(tmp_path)
    env = kill_env(tmp_path, module="archive.store", owner="Archive", name="_rewrite", nth=1, when="True")
    killed = subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], env=env, cwd=ROOT, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    assert rows_not_on_whole_records(tmp_path)  # the tail is cut, the rows not mended yet
    subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    _after_repair(tmp_path, run, before)


def test_a_repair_killed_inside_its_second_copy_is_finished_by_the_next(tmp_path: Path) -> None:
    """The first copy is whole in the repair WARC, the second torn (its write cut by the kill)."""
    run, before = _archive_with_a_torn_tail(tmp_path)
    env = kill_env(tmp_path, module="archive.store", owner="Archive", name="_rewrite", nth=2, when="True")
    killed = subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], env=env, cwd=ROOT, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    (repair,) = (tmp_path / "warc").glob(f"nianbao-{run}-repair-*.warc.gz")
    with open(repair, "ab") as fh:
        fh.write(half_record())
    subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    _after_repair(tmp_path, run, before)
    assert list((tmp_path / "warc").glob(f"{repair.name}.torn-*"))
    # the next crawl finishes cleanly: `status` still tells of the repair its start saw done
    from archive.store import Archive
    from crawler.monitor import health

    arc = Archive(tmp_path)
    arc.finish_run(arc.start_run("test", ["s"]), {})
    arc.close()
    notes = [n for n in health(tmp_path).notes if n.startswith(f"run {run}: ")]
    assert any(".torn-" in n for n in notes) and any("re-pointed to the whole copy" in n for n in notes)


def test_a_repair_killed_after_its_commit_is_not_done_twice(tmp_path: Path) -> None:
    run, before = _archive_with_a_torn_tail(tmp_path)
    # the mending commits, then the kill: the run is not marked checked
    env = kill_env(tmp_path, textwrap.dedent("""
        import os, signal
        from archive import mend
        _real = mend.mend_run
        def _then_kill(*args, **kwargs):
            _real(*args, **kwargs)
            os.killpg(0, signal.SIGKILL)
        mend.mend_run = _then_kill
    """))
    killed = subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], env=env, cwd=ROOT, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    notes = db(tmp_path).execute("SELECT count(*) FROM crawl_errors").fetchone()[0]
    subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    _after_repair(tmp_path, run, before)
    assert db(tmp_path).execute("SELECT count(*) FROM crawl_errors").fetchone()[0] == notes


KILLED_WRITER = """
import sys
from archive.store import Archive, Fetch
arc = Archive(sys.argv[1])
run = arc.start_run("test", ["s"])
base = "http://127.0.0.1:9/nianbao/"
arc.record_batch([
    Fetch(url=base + "a.html", final_url=base + "a.html", status=200, body=b"<html>chunked</html>",
          headers=[("Content-Type", "text/html"), ("Etag", '"a"')], fetched_at="2026-01-01T00:00:00.000000Z",
          request_headers=[("Referer", base)], source_id="s", spider="generic", note="as received"),
    Fetch(url=base + "b.pdf", final_url=base + "b.pdf", status=200, body=b"%PDF-1.7 b",
          headers=[("Content-Length", "10"), ("Content-Type", "application/pdf")],
          fetched_at="2026-01-01T00:00:01.500000Z", source_id="s", spider="generic"),
])
"""


def test_rows_written_from_a_killed_batchs_records_are_the_rows_it_would_have_committed(tmp_path: Path) -> None:
    """Headers as received (no length added, none lost), date, referrer, request, source, spider."""
    env = kill_env(tmp_path, module="archive.store", owner="Archive", name="_rows", nth=1, when="True")
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(tmp_path)], env=env, cwd=ROOT,
                            start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    assert db(tmp_path).execute("SELECT count(*) FROM snapshots").fetchone()[0] == 0
    subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    conn = db(tmp_path)
    snaps = {r["url"].rsplit("/", 1)[1]: dict(r) for r in conn.execute("SELECT * FROM snapshots")}
    a, b = snaps["a.html"], snaps["b.pdf"]
    assert json_of(a["headers"]) == [["Content-Type", "text/html"], ["Etag", '"a"']]
    assert sorted(json_of(b["headers"])) == [["Content-Length", "10"], ["Content-Type", "application/pdf"]]
    assert (a["fetched_at"], b["fetched_at"]) == ("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.500000Z")
    assert (a["referrer"], a["source_id"], a["spider"], a["etag"]) == ("http://127.0.0.1:9/nianbao/", "s", "generic", '"a"')
    assert ["Referer", "http://127.0.0.1:9/nianbao/"] in json_of(a["request_headers"])
    assert a["note"].startswith("as received") and "recovery" in a["note"]
    assert captures_without_rows(tmp_path) == [] and rows_not_on_whole_records(tmp_path) == []
    fetches = conn.execute("SELECT url, status, new_snapshot, run_id FROM fetches ORDER BY id").fetchall()
    assert [(r["status"], r["new_snapshot"]) for r in fetches] == [(200, 1), (200, 1)]


def json_of(text: str) -> list:
    import json

    return json.loads(text)


REVISIT_WRITER = """
import sys
from archive.store import Archive, Fetch
arc = Archive(sys.argv[1])
url = "http://127.0.0.1:9/nianbao/c.pdf"
arc.start_run("test", ["s"])
arc.record(Fetch(url=url, final_url=url, status=200, body=b"%PDF-1.7 c", headers=[("Content-Type", "application/pdf")],
                 fetched_at="2026-01-02T00:00:00.000000Z"))
"""


def test_a_crawl_killed_after_rewriting_an_unreadable_record_keeps_the_copy(tmp_path: Path) -> None:
    """The same bytes again, while the snapshot's own record cannot be read: the crawl re-writes it from
    its blob, then revisits it, and is killed before committing; recovery points the snapshot at the copy
    and writes the revisit's fetch row (no record left that no row names)."""
    from archive.store import Archive, Fetch

    arc = Archive(tmp_path)
    url = "http://127.0.0.1:9/nianbao/c.pdf"
    arc.finish_run(arc.start_run("test", ["s"]), {})
    run = arc.start_run("test", ["s"])
    arc.record(Fetch(url=url, final_url=url, status=200, body=b"%PDF-1.7 c", headers=[("Content-Type", "application/pdf")],
                     fetched_at="2026-01-01T00:00:00.000000Z", run_id=run))
    arc.finish_run(run, {})
    arc.close()
    conn = db(tmp_path)
    conn.execute("UPDATE snapshots SET warc_offset = 1")  # its record can no longer be read there
    conn.commit()
    env = kill_env(tmp_path, module="archive.store", owner="Archive", name="_rows", nth=1, when="True")
    killed = subprocess.run([sys.executable, "-c", REVISIT_WRITER, str(tmp_path)], env=env, cwd=ROOT,
                            start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    assert {r["type"] for r in captures_without_rows(tmp_path)} == {"response", "revisit"}
    subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert captures_without_rows(tmp_path) == [] and rows_not_on_whole_records(tmp_path) == []
    assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1
    fetches = conn.execute("SELECT fetched_at, new_snapshot FROM fetches ORDER BY id").fetchall()
    assert [tuple(r) for r in fetches] == [("2026-01-01T00:00:00.000000Z", 1), ("2026-01-02T00:00:00.000000Z", 0)]
