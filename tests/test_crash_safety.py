"""A crawl killed with SIGKILL mid-crawl leaves an archive the next run can trust and finish;
hostile answers during a crawl are recorded and the crawl goes on.

`nianbao crawl` runs against the replica portals (answers slowed down so the crawl is still going
when it is killed); its whole process group gets SIGKILL once some pages are archived.  A kill
that lands inside a write() cannot be timed from outside, so the two things such a kill leaves
are added by hand, exactly as a torn write leaves them: the first half of a WARC record at the
end of the dead process's WARC file, and a half-written temp blob named after the dead writer.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warc import check_warc
from crawler.lock import lock_holder
from crawler.run import crawl
from tests.portal.hostile import HOSTILE_START, LIAR_TEXT, bomb, liar_page
from tests.portal.server import Replica

NIANBAO = str(Path(sys.executable).with_name("nianbao"))
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "NIANBAO_RETRY_BACKOFF_BASE": 0.05,
        "LOG_LEVEL": "WARNING"}


def db(data: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def blob_path(data: Path, sha: str) -> Path:
    return data / "blobs" / "sha256" / sha[:2] / sha[2:4] / sha


def torn_record() -> bytes:
    """The first half of a real WARC record as WarcSink writes it (one gzip member)."""
    scratch = io.BytesIO()
    writer = WARCWriter(scratch, gzip=True, warc_version="WARC/1.1")
    body = os.urandom(20_000)  # incompressible, so half the member is half the record
    http = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://127.0.0.1/torn.pdf", "response", http_headers=http,
                                                  payload=io.BytesIO(body), length=len(body)))
    member = scratch.getvalue()
    return member[: len(member) // 2]


def assert_blobs_intact(data: Path) -> int:
    rows = db(data).execute("SELECT sha256, size FROM snapshots").fetchall()
    for row in rows:
        path = blob_path(data, row["sha256"])
        assert path.is_file(), f"snapshot names a missing blob {row['sha256']}"
        content = path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == row["sha256"] and len(content) == row["size"]
    return len(rows)


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    data = tmp_path_factory.mktemp("crash")
    with Replica.start(faults=False, latency=0.4) as rep:
        registry = rep.write_sources(data / "sources.yaml")
        args = [NIANBAO, "crawl", "--data", str(data), "--sources", str(registry)]
        for name, value in FAST.items():
            args += ["--set", f"{name}={value}"]
        proc = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        snapshots = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if (data / "nianbao.db").exists():
                try:
                    snapshots = db(data).execute("SELECT count(*) FROM snapshots").fetchone()[0]
                except sqlite3.OperationalError:  # schema not created yet
                    snapshots = 0
            if snapshots >= 6:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the crawl ended before it could be killed: " + proc.stderr.read().decode()
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and its crawling child, as an OOM kill or power cut
        proc.wait(timeout=10)
        proc.stderr.close()
        deadline = time.monotonic() + 60  # the crawl child holds the data dir's lock until it has died too
        while lock_holder(data) is not None and time.monotonic() < deadline:
            time.sleep(0.1)

        conn = db(data)
        first = conn.execute("SELECT * FROM crawl_runs").fetchone()
        after_kill = {
            "run": dict(first),
            "snapshots": assert_blobs_intact(data),
            "fetched": {r[0] for r in conn.execute("SELECT url FROM fetches WHERE status = 200")},
        }
        # what a kill inside write() leaves: a torn last record, a half-written temp blob
        warcs = sorted((data / "warc").glob(f"nianbao-{first['id']}-*.warc.gz"))
        assert len(warcs) == 1, warcs
        dead_writer = warcs[0].name[len(f"nianbao-{first['id']}-"):].rsplit("-", 1)[0]  # <host>-<pid>
        whole_size = warcs[0].stat().st_size
        with open(warcs[0], "ab") as fh:
            fh.write(torn_record())
        some_blob = blob_path(data, conn.execute("SELECT sha256 FROM snapshots LIMIT 1").fetchone()[0])
        temp = some_blob.parent / f".tmp-{dead_writer}-k1ll3d_x"
        temp.write_bytes(b"%PDF-1.7 half of a report")
        after_kill.update(warc=warcs[0], whole_size=whole_size, damaged=check_warc(warcs[0]), temp=temp)
        conn.close()

        rep.latency = 0.0
        second = crawl(data, sources_path=registry, settings=FAST)
        yield {"data": data, "first": first["id"], "second": second, "after_kill": after_kill,
               "reports": rep.reports()}


def test_killed_crawl_left_only_trustworthy_rows(crashed) -> None:
    killed = crashed["after_kill"]
    assert killed["snapshots"] >= 6  # checked right after the kill: every row's blob is there and hashes right
    assert killed["run"]["status"] == "running" and killed["run"]["finished_at"] is None


def test_torn_warc_tail_is_detected_then_cut_off(crashed) -> None:
    killed = crashed["after_kill"]
    assert killed["damaged"].damaged and "truncated" in killed["damaged"].problem
    assert killed["damaged"].good_bytes == killed["whole_size"]
    # repaired by the next run: the file ends at its last whole record, the cut bytes kept aside
    assert killed["warc"].stat().st_size == killed["whole_size"]
    torn = list(killed["warc"].parent.glob(killed["warc"].name + ".torn-*"))
    assert [p.name for p in torn] == [f"{killed['warc'].name}.torn-{killed['whole_size']}"]
    reasons = [r[0] for r in db(crashed["data"]).execute("SELECT reason FROM crawl_errors WHERE run_id = ?",
                                                         (crashed["first"],))]
    assert any(r.startswith("torn WARC record repaired: " + killed["warc"].name) for r in reasons), reasons


def test_every_warc_file_reads_to_the_end(crashed) -> None:
    warcs = sorted((crashed["data"] / "warc").glob("*.warc.gz"))
    assert len(warcs) >= 2
    for path in warcs:
        check = check_warc(path)
        assert not check.damaged, (path.name, check.problem)
        with open(path, "rb") as fh:
            assert sum(1 for _ in ArchiveIterator(fh)) == check.records > 0
    # every row points at a record for its own URL
    conn = db(crashed["data"])
    for row in conn.execute("SELECT url, final_url, warc_file, warc_offset FROM snapshots"):
        with open(crashed["data"] / "warc" / row["warc_file"], "rb") as fh:
            fh.seek(row["warc_offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_headers.get_header("WARC-Target-URI") in (row["url"], row["final_url"])


def test_next_run_writes_new_warc_files(crashed) -> None:
    killed = crashed["after_kill"]
    conn = db(crashed["data"])
    second_files = {r[0] for r in conn.execute("SELECT DISTINCT warc_file FROM fetches WHERE run_id = ?",
                                               (crashed["second"],))}
    assert second_files and killed["warc"].name not in second_files
    assert all(name.startswith(f"nianbao-{crashed['second']}-") for name in second_files)


def test_interrupted_run_is_marked_and_temp_files_are_gone(crashed) -> None:
    conn = db(crashed["data"])
    first = conn.execute("SELECT * FROM crawl_runs WHERE id = ?", (crashed["first"],)).fetchone()
    assert first["status"] == "interrupted" and first["finished_at"]
    reasons = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (crashed["first"],))]
    assert any(r.startswith("interrupted") for r in reasons)
    assert not crashed["after_kill"]["temp"].exists()
    assert not list((crashed["data"] / "blobs").rglob(".tmp-*"))
    assert not list((crashed["data"] / "runs").glob("*.lock"))


def test_second_run_completes_incrementally(crashed) -> None:
    data = crashed["data"]
    conn = db(data)
    second = conn.execute("SELECT * FROM crawl_runs WHERE id = ?", (crashed["second"],)).fetchone()
    assert second["status"] == "finished"
    found = {r[0] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'")}
    assert found == {r["url"] for r in crashed["reports"]}
    # what the killed run already had was not stored again: 304s or revisits, no new snapshot
    again = [r for r in conn.execute("SELECT url, new_snapshot, status FROM fetches WHERE run_id = ?",
                                     (crashed["second"],)) if r["url"] in crashed["after_kill"]["fetched"]]
    assert again and all(r["new_snapshot"] == 0 for r in again)
    assert any(r["status"] == 304 for r in again)
    # one blob per distinct body, each named by its hash
    assert_blobs_intact(data)
    on_disk = {p.name for p in (data / "blobs" / "sha256").rglob("*") if p.is_file()}
    assert on_disk == {r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM snapshots")}


# -- hostile input during a crawl (tests/portal/hostile.py) ------------------------------------------

CAP = 1024 * 1024


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile")
    with Replica.start(faults=True) as rep:
        entry = next(e for e in rep.sources(include_faults=True) if e["id"] == "faults")
        entry = {**entry, "id": "hostile", "start_urls": [rep.url("faults", HOSTILE_START)]}
        registry = data / "sources.yaml"
        registry.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
        run = crawl(data, sources_path=registry, settings={**FAST, "DOWNLOAD_MAXSIZE": CAP})
        yield {"data": data, "run": run, "url": lambda p: rep.url("faults", p),
               "seen": [s.path for s in rep.requests]}


def errors_of(hostile) -> dict[str, str]:
    rows = db(hostile["data"]).execute("SELECT url, reason FROM crawl_errors WHERE run_id = ?", (hostile["run"],))
    return {r["url"]: r["reason"] for r in rows}


def snapshot_of(hostile, path: str) -> sqlite3.Row | None:
    return db(hostile["data"]).execute("SELECT * FROM snapshots WHERE url = ?", (hostile["url"](path),)).fetchone()


def test_hostile_crawl_goes_on_to_the_end(hostile) -> None:
    conn = db(hostile["data"])
    assert conn.execute("SELECT status FROM crawl_runs WHERE id = ?", (hostile["run"],)).fetchone()[0] == "finished"
    titles = {r[0] for r in conn.execute("SELECT title FROM documents WHERE kind = 'report'")}
    assert {"青石县审计局2024年政府信息公开工作年度报告", "青石县民政局2024年政府信息公开工作年度报告",
            "青石县水利局2024年政府信息公开工作年度报告", "青石县文化和旅游局2024年政府信息公开工作年度报告"} <= titles
    assert_blobs_intact(hostile["data"])


def test_gzip_bomb_is_stopped_while_inflating_and_its_bytes_kept(hostile) -> None:
    # Scrapy 2.19's HttpCompressionMiddleware counts decompressed bytes against DOWNLOAD_MAXSIZE
    reason = errors_of(hostile)[hostile["url"]("/hostile/bomb.html")]
    assert reason.startswith("ignored: ") and "DOWNLOAD_MAXSIZE" in reason and "decompress" in reason
    snap = snapshot_of(hostile, "/hostile/bomb.html")  # the small gzip body as received: evidence
    assert snap["size"] == len(bomb()) < CAP and json.loads(snap["headers"]).count(["Content-Encoding", "gzip"])


def test_lying_charset_keeps_the_exact_bytes(hostile) -> None:
    snap = snapshot_of(hostile, "/hostile/liar.html")
    assert "charset=utf-8" in snap["content_type"]  # what the server claimed, recorded as such
    body = blob_path(hostile["data"], snap["sha256"]).read_bytes()
    assert body == liar_page() and LIAR_TEXT in body.decode("gbk")


def test_attachment_over_the_cap_is_an_error_row(hostile) -> None:
    assert errors_of(hostile)[hostile["url"]("/hostile/files/huge.pdf")].startswith("too large")
    assert snapshot_of(hostile, "/hostile/files/huge.pdf") is None


def test_chinese_file_names_are_fetched_and_archived(hostile) -> None:
    conn = db(hostile["data"])
    asked = {
        "/hostile/files/%E9%9D%92%E7%9F%B3%E5%8E%BF%E6%96%87%E6%97%85%E5%B1%802024%E5%B9%B4%E6%8A%A5.pdf",  # raw href
        "/hostile/%E5%B9%B4%E6%8A%A5/%E6%B0%B4%E5%88%A9%E5%B1%802024%E5%B9%B4%E6%8A%A5.html",  # raw directory
        "/hostile/files/%E9%99%84%E4%BB%B62024%E5%B9%B4%E6%8A%A5.pdf",  # already percent-encoded UTF-8
        "/hostile/files/%C4%EA%B1%A8.pdf",  # percent-encoded GBK, left as the page wrote it
        "/hostile/files/download.pdf?name=%E7%BB%9F%E8%AE%A1%E8%A1%A82024.pdf",  # raw in the query
    }
    assert asked <= set(hostile["seen"])
    for path in asked:
        snap = snapshot_of(hostile, path)
        assert snap is not None and snap["status"] == 200, path
        doc = conn.execute("SELECT kind FROM documents WHERE url = ?", (hostile["url"](path),)).fetchone()
        assert doc is not None, path
        if path.endswith(".pdf") or ".pdf?" in path:
            assert blob_path(hostile["data"], snap["sha256"]).read_bytes().startswith(b"%PDF-")


def test_redirect_loop_hops_are_archived(hostile) -> None:
    a, b = snapshot_of(hostile, "/hostile/loop-a.html"), snapshot_of(hostile, "/hostile/loop-b.html")
    assert (a["status"], b["status"]) == (302, 302)
    assert ["Location", "/hostile/loop-a.html"] in json.loads(b["headers"])


def test_redirect_loop_is_an_error_row(hostile) -> None:
    assert "loop" in errors_of(hostile).get(hostile["url"]("/hostile/loop-a.html"), "")


def test_attachment_answered_by_an_html_error_page_is_archived(hostile) -> None:
    snap = snapshot_of(hostile, "/hostile/files/missing.pdf")
    assert snap["status"] == 200 and snap["content_type"].startswith("text/html")
    assert "文件不存在" in blob_path(hostile["data"], snap["sha256"]).read_bytes().decode("utf-8")


def test_attachment_answered_by_an_html_error_page_is_an_error_row(hostile) -> None:
    assert "html" in errors_of(hostile).get(hostile["url"]("/hostile/files/missing.pdf"), "").lower()


HOLDER = """
import sys
from archive.store import Archive
arc = Archive(sys.argv[1])
print(arc.start_run("test", ["s"]), flush=True)
sys.stdin.read()  # hold the run open until the test kills us
"""


def test_only_runs_whose_processes_died_are_marked_interrupted(tmp_path: Path) -> None:
    from archive.store import Archive

    root = Path(__file__).resolve().parent.parent
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        other = holder.stdout.readline().strip()
        arc = Archive(tmp_path)
        mine = arc.start_run("test", ["s"])  # recover() runs here: the other run's process is alive
        status = dict(arc.db.conn.execute("SELECT id, status FROM crawl_runs").fetchall())
        assert status == {other: "running", mine: "running"}
        holder.kill()
        holder.wait(timeout=10)
        assert arc.recover() == [other]
        status = dict(arc.db.conn.execute("SELECT id, status FROM crawl_runs").fetchall())
        assert status == {other: "interrupted", mine: "running"}  # ours is held by this process
        arc.finish_run(mine)
        assert arc.recover() == []
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


WRITER = """
import sys
from archive.store import Archive, Fetch
arc = Archive(sys.argv[1])
run = arc.start_run("test", ["s"])
url = "http://127.0.0.1:9/nianbao/2024.html"
arc.record(Fetch(url=url, final_url=url, status=200, headers=[("Content-Type", "text/html")],
                 body="<html>青石县2024年年报</html>".encode(), fetched_at="2026-01-01T00:00:00Z"))
print(run, flush=True)
sys.stdin.read()
"""


def test_torn_warc_of_a_run_closed_as_failed_is_repaired_once_its_writer_is_gone(tmp_path: Path) -> None:
    """The child crawling was killed, its parent closed the run as failed: the WARC still gets checked,
    but not while any process has it open for writing."""
    from archive.store import Archive

    root = Path(__file__).resolve().parent.parent
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        run = writer.stdout.readline().strip()
        (warc,) = (tmp_path / "warc").glob(f"nianbao-{run}-*.warc.gz")
        whole = warc.stat().st_size
        with open(warc, "ab") as fh:
            fh.write(torn_record())
        arc = Archive(tmp_path)
        arc.finish_run(run, {}, status="failed: exit -9")  # what crawler.run does for a killed child
        arc.recover()
        assert warc.stat().st_size > whole  # its writer still has it open: not touched
        writer.kill()
        writer.wait(timeout=10)
        arc.recover()
        assert warc.stat().st_size == whole and not check_warc(warc).damaged
        reasons = [r[0] for r in arc.db.conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run,))]
        assert len(reasons) == 1 and reasons[0].startswith(f"torn WARC record repaired: {warc.name}")
        arc.recover()  # checked once: no second row
        assert arc.db.conn.execute("SELECT count(*) FROM crawl_errors").fetchone()[0] == 1
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()


def _record_at(data: Path, warc_file: str, offset: int):
    """The WARC record that starts at warc_file@offset (None if none starts there)."""
    with open(data / "warc" / warc_file, "rb") as fh:
        it = ArchiveIterator(fh)
        for rec in it:
            payload = rec.content_stream().read()  # read first: asking the offset ends the record's stream
            if it.get_record_offset() == offset:
                return rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), payload
    return None


def test_rows_pointing_into_a_cut_torn_tail_are_rewritten_from_their_blobs(tmp_path: Path) -> None:
    """Operator D4: a torn WARC tail cut on recovery took a snapshot's record with it; the snapshot
    and its fetch row must point at a record that exists (pywb answered 503), and the next capture
    of the same bytes must be a revisit of a record that can be read."""
    from archive.store import Archive, Fetch

    arc = Archive(tmp_path)
    run = arc.start_run("test", ["s"])
    base = "http://127.0.0.1:9/nianbao/"
    for name, status, body in (("2024.html", 200, "<html>青石县2024年年报</html>"), ("missing.html", 404, "Not Found")):
        arc.record(Fetch(url=base + name, final_url=base + name, status=status, headers=[("Content-Type", "text/html")],
                         body=body.encode(), fetched_at="2026-01-01T00:00:00Z"))
    arc.finish_run(run, {}, status="interrupted")  # as recover() leaves a run whose process was killed
    conn = db(tmp_path)
    cut = conn.execute("SELECT * FROM snapshots WHERE url = ?", (base + "missing.html",)).fetchone()
    with open(tmp_path / "warc" / cut["warc_file"], "r+b") as fh:  # power loss: the record half written
        fh.truncate(cut["warc_offset"] + 120)
    arc.close()

    arc = Archive(tmp_path)
    arc.recover()
    snap = conn.execute("SELECT * FROM snapshots WHERE id = ?", (cut["id"],)).fetchone()
    assert (snap["warc_file"], snap["warc_offset"]) != (cut["warc_file"], cut["warc_offset"])
    kind, uri, payload = _record_at(tmp_path, snap["warc_file"], snap["warc_offset"])
    assert (kind, uri) == ("response", base + "missing.html")
    assert payload == blob_path(tmp_path, snap["sha256"]).read_bytes() == b"Not Found"
    fetch = conn.execute("SELECT warc_file, warc_offset FROM fetches WHERE snapshot_id = ?", (cut["id"],)).fetchone()
    assert tuple(fetch) == (snap["warc_file"], snap["warc_offset"])
    for path in (tmp_path / "warc").glob("*.warc.gz"):
        assert not check_warc(path).damaged, path
    reasons = " ".join(r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run,)))
    assert f"snapshot {cut['id']}" in reasons and "re-written" in reasons

    # the same bytes again: a revisit of the re-written record, which replay can follow
    arc.start_run("test", ["s"])
    done = arc.record(Fetch(url=base + "missing.html", final_url=base + "missing.html", status=404,
                            headers=[("Content-Type", "text/html")], body=b"Not Found", fetched_at="2026-01-02T00:00:00Z"))
    assert not done.new_snapshot
    again = conn.execute("SELECT warc_file, warc_offset FROM fetches WHERE id = ?", (done.fetch_id,)).fetchone()
    kind, _, _ = _record_at(tmp_path, again["warc_file"], again["warc_offset"])
    assert kind == "revisit"

    # a snapshot whose record is gone by any other way is re-written when it is next revisited
    conn.execute("UPDATE snapshots SET warc_offset = 1 WHERE url = ?", (base + "2024.html",))
    conn.commit()
    arc.record(Fetch(url=base + "2024.html", final_url=base + "2024.html", status=200,
                     headers=[("Content-Type", "text/html")], body="<html>青石县2024年年报</html>".encode(),
                     fetched_at="2026-01-02T00:00:00Z"))
    snap = conn.execute("SELECT * FROM snapshots WHERE url = ?", (base + "2024.html",)).fetchone()
    assert _record_at(tmp_path, snap["warc_file"], snap["warc_offset"])[0] == "response"
    arc.close()


@pytest.mark.parametrize("body", [b"\x00" * (1 << 24), b"not brotli at all"], ids=["bomb", "garbage"])
def test_a_whole_warc_with_a_brotli_body_is_not_called_torn(tmp_path, body) -> None:
    """A server's br-encoded answer (a compression bomb, or bytes that are no brotli) is archived as sent;
    checking the WARC reads records as stored, so it is whole (was 'unreadable record': warcio's
    brotli decoding raised, and a bomb would have been inflated just to check the file)."""
    import brotli

    payload = brotli.compress(body) if len(body) > 100 else body
    path = tmp_path / "br.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "br"),
                                           ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
        for n in range(2):
            writer.write_record(writer.create_warc_record(f"http://127.0.0.1/br{n}", "response",
                                                          payload=io.BytesIO(payload), http_headers=http))
    check = check_warc(path)
    assert not check.damaged, check.problem
    assert check.records == 2 and check.good_bytes == path.stat().st_size
