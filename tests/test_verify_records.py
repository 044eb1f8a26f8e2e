"""The two copies of a capture agree, and every read of a blob is checked (archive/recordcheck.py,
`nianbao verify`; BlobStore.read in the WARC repair and the incremental crawl).

An archive made by a real crawl of the replica portals, then damaged by hand the ways a disk, a bad copy
or a WARC tool damages one: a record re-compressed with other bytes in it, its WARC-Payload-Digest
edited, a bit flipped inside a gzip member, a file cut or lost, a row pointing at the wrong offset, a blob
altered while its record was cut off a torn tail.  What is asserted is what an archivist sees: the exit
code, the line naming the file, the offset, the snapshot and the reason, and the rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import zlib
from pathlib import Path

import pytest

from archive.cli import main as nianbao
from archive.store import BlobStore
from archive.warc import check_warc, payload_digest
from crawler.run import crawl
from tests.portal.server import Replica
from tests.test_crash_windows import kill_env

ROOT = Path(__file__).resolve().parent.parent
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "NIANBAO_RETRY_BACKOFF_BASE": 0.05,
        "LOG_LEVEL": "WARNING"}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """One real crawl of the replica portals (faults off): a whole archive, copied by each test."""
    data = tmp_path_factory.mktemp("verify") / "data"
    with Replica.start(faults=False) as rep:
        crawl(data, sources_path=rep.write_sources(data.parent / "sources.yaml"), settings=FAST)
    return data


@pytest.fixture
def data(crawled: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(crawled, copy)
    return copy


def db(data: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(data / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def verify(data: Path, capsys) -> tuple[int, list[str], dict]:
    """`nianbao verify` twice, as an archivist runs it: exit code, printed lines, and the --json verdict."""
    capsys.readouterr()
    code = nianbao(["--data", str(data), "verify"])
    lines = capsys.readouterr().out.splitlines()
    assert nianbao(["--data", str(data), "verify", "--json"]) == code
    return code, lines, json.loads(capsys.readouterr().out)


def last_snapshot(data: Path, content_type: str = "") -> sqlite3.Row:
    """The snapshot (of that type) whose record comes last in its WARC file."""
    return db(data).execute("SELECT * FROM snapshots WHERE content_type LIKE ? ORDER BY warc_file DESC,"
                            " warc_offset DESC LIMIT 1", (content_type + "%",)).fetchone()


def rewrite_member(path: Path, offset: int, edit) -> None:
    """Re-compress the record at `offset` edited, as warcio compresses (a WARC tool rewriting a record
    leaves a valid gzip member: no CRC catches it); the records after it are kept as they were."""
    data = path.read_bytes()
    d = zlib.decompressobj(31)
    record = d.decompress(data[offset:])
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "r+b") as fh:
        fh.truncate(offset)
        fh.seek(offset)
        fh.write(z.compress(edit(record)) + z.flush() + d.unused_data)


def altered(body: bytes) -> bytes:
    """One byte of the payload changed, the length kept."""
    at = len(body) // 2
    return body[:at] + bytes([body[at] ^ 0x20]) + body[at + 1:]


def test_a_whole_archive_verifies_every_snapshots_record(data: Path, capsys) -> None:
    code, lines, verdict = verify(data, capsys)
    snapshots = db(data).execute("SELECT count(*) FROM snapshots").fetchone()[0]
    assert code == 0 and verdict["ok"] and verdict["damaged_records"] == []
    assert verdict["snapshots"] == snapshots > 10 and verdict["records"] >= 2 * snapshots
    assert lines[-1].endswith("all whole") and f"{snapshots} snapshots' records" in lines[-1]


def test_a_record_rewritten_with_other_bytes_is_named_with_its_snapshot(data: Path, capsys) -> None:
    snap = last_snapshot(data)  # only its request record follows it: no other row's offset moves
    blob = BlobStore(data).get(snap["sha256"])
    assert len(blob) > 100
    path = data / "warc" / snap["warc_file"]

    # the payload altered, its WARC-Payload-Digest left as it was: both are named
    rewrite_member(path, snap["warc_offset"], lambda rec: rec.replace(blob, altered(blob)))
    code, lines, verdict = verify(data, capsys)
    assert code == 1 and not verdict["ok"] and verdict["damaged_blobs"] == [] and verdict["damaged_warcs"] == []
    problems = {r["problem"].split(" ", 2)[1] for r in verdict["damaged_records"]}
    assert len(verdict["damaged_records"]) == 2 and problems == {"WARC-Payload-Digest", "payload"}
    for r in verdict["damaged_records"]:
        assert (r["warc_file"], r["warc_offset"], r["snapshot"], r["url"]) == \
            (snap["warc_file"], snap["warc_offset"], snap["id"], snap["url"])
    line = next(x for x in lines if " hashes to " in x)
    assert line.startswith(f"damaged WARC record {snap['warc_file']}@{snap['warc_offset']}: snapshot {snap['id']}"
                           f" ({snap['url']}): its payload ({len(blob)} bytes) hashes to")
    assert line.endswith(f"not to the snapshot's blob {snap['sha256']}")

    # a tool that "fixed" the digest too: the record agrees with itself, not with the blob
    fixed = altered(blob)
    rewrite_member(path, snap["warc_offset"],
                    lambda rec: rec.replace(payload_digest(blob).encode(), payload_digest(fixed).encode()))
    code, _, verdict = verify(data, capsys)
    assert code == 1 and [r["problem"].split(" ", 2)[1] for r in verdict["damaged_records"]] == ["payload"]

    # only the digest edited: the payload is the blob's, the header lies
    rewrite_member(path, snap["warc_offset"], lambda rec: rec.replace(fixed, blob))
    code, lines, verdict = verify(data, capsys)
    assert code == 1 and len(verdict["damaged_records"]) == 1
    assert verdict["damaged_records"][0]["problem"] == (
        f"its WARC-Payload-Digest {payload_digest(fixed)} does not name its payload ({payload_digest(blob)},"
        f" {len(blob)} bytes)")
    rewrite_member(path, snap["warc_offset"],
                    lambda rec: rec.replace(payload_digest(fixed).encode(), payload_digest(blob).encode()))
    assert verify(data, capsys)[0] == 0


def test_a_flipped_bit_names_its_record_and_the_records_after_it_are_still_compared(data: Path, capsys) -> None:
    conn = db(data)
    snaps = conn.execute("SELECT * FROM snapshots WHERE content_type LIKE 'text/html%' ORDER BY warc_offset").fetchall()
    warc = snaps[0]["warc_file"]
    snaps = [s for s in snaps if s["warc_file"] == warc]
    hit = snaps[len(snaps) // 2]
    path = data / "warc" / warc
    raw = bytearray(path.read_bytes())
    raw[hit["warc_offset"] + 200] ^= 0x01  # inside its compressed member: a bad sector, a flaky copy
    path.write_bytes(bytes(raw))
    code, lines, verdict = verify(data, capsys)
    assert code == 1
    assert [w["path"] for w in verdict["damaged_warcs"]] == [str(path)]
    # the snapshots past the damage were read where their rows say: only the hit one is named
    assert [(r["snapshot"], r["warc_offset"]) for r in verdict["damaged_records"]] == [(hit["id"], hit["warc_offset"])]
    assert verdict["damaged_records"][0]["problem"] == f"missing: no whole record starts at byte {hit['warc_offset']}"
    assert f"missing WARC record {warc}@{hit['warc_offset']}: snapshot {hit['id']} ({hit['url']}):" \
           f" no whole record starts at byte {hit['warc_offset']}" in lines


def test_a_snapshot_whose_record_is_cut_lost_or_misplaced_is_missing(data: Path, capsys) -> None:
    conn = db(data)
    pdf = last_snapshot(data, "application/pdf")
    path = data / "warc" / pdf["warc_file"]
    with open(path, "r+b") as fh:  # a copy that stopped short inside the report's record
        fh.truncate(pdf["warc_offset"] + 5000)
    page = conn.execute("SELECT * FROM snapshots WHERE warc_offset < ? AND content_type LIKE 'text/html%'"
                        " ORDER BY warc_offset DESC LIMIT 1", (pdf["warc_offset"],)).fetchone()
    conn.execute("UPDATE snapshots SET warc_offset = warc_offset + 7 WHERE id = ?", (page["id"],))
    conn.commit()
    code, lines, verdict = verify(data, capsys)
    assert code == 1 and verdict["damaged_blobs"] == []
    assert verdict["damaged_warcs"][0]["path"] == str(path) and "truncated" in verdict["damaged_warcs"][0]["problem"]
    named = {r["snapshot"]: r["problem"] for r in verdict["damaged_records"]}
    cut_off = conn.execute("SELECT id, warc_offset FROM snapshots WHERE warc_file = ? AND warc_offset >= ?",
                           (pdf["warc_file"], pdf["warc_offset"])).fetchall()  # the report's and any after it
    assert pdf["id"] in {r["id"] for r in cut_off}
    assert named == {**{r["id"]: f"missing: no whole record starts at byte {r['warc_offset']}" for r in cut_off},
                     page["id"]: f"missing: no whole record starts at byte {page['warc_offset'] + 7}"}

    path.unlink()  # the file lost: every snapshot in it is named
    in_file = [r[0] for r in conn.execute("SELECT id FROM snapshots WHERE warc_file = ?", (pdf["warc_file"],))]
    code, lines, verdict = verify(data, capsys)
    assert code == 1 and verdict["damaged_warcs"] == []
    assert sorted(r["snapshot"] for r in verdict["damaged_records"]) == sorted(in_file)
    assert {r["problem"] for r in verdict["damaged_records"]} == {f"missing: no WARC file {pdf['warc_file']}"}
    assert f"missing WARC record {pdf['warc_file']}@{pdf['warc_offset']}: snapshot {pdf['id']} ({pdf['url']}):" \
           f" no WARC file {pdf['warc_file']}" in lines


# --- a damaged blob is never copied into a repaired WARC; a re-crawl re-downloads and mends it -------------

def test_repair_refuses_a_damaged_blob_and_the_next_crawl_mends_blob_and_record(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    with Replica.start(faults=False) as rep:
        registry = rep.write_sources(tmp_path / "sources.yaml")
        first = crawl(data, sources_path=registry, settings=FAST)
        conn = db(data)
        pdf = last_snapshot(data, "application/pdf")
        listing = conn.execute("SELECT * FROM snapshots WHERE content_type LIKE 'text/html%' AND etag IS NOT NULL"
                               " AND warc_offset < ? ORDER BY warc_offset LIMIT 1", (pdf["warc_offset"],)).fetchone()
        store = BlobStore(data)
        whole = {s: store.get(s) for s in (pdf["sha256"], listing["sha256"])}
        # the last run's WARC cut inside the report's record (a bad copy), and both blobs damaged on disk
        with open(data / "warc" / pdf["warc_file"], "r+b") as fh:
            fh.truncate(pdf["warc_offset"] + 5000)
        for sha, body in whole.items():
            store.path(sha).write_bytes(altered(body))
        code, lines, _ = verify(data, capsys)
        assert code == 1 and sum(line.startswith("damaged blob ") for line in lines) == 2

        second = crawl(data, sources_path=registry, settings=FAST)  # its start repairs the cut WARC first

    # the repair did not copy the damaged bytes into a WARC as the capture, and said so
    notes = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (first,))]
    refused = [n for n in notes if f"snapshot {pdf['id']} " in n]
    assert len(refused) == 1 and "its blob is damaged" in refused[0] and "not re-written" in refused[0]
    bad = hashlib.sha256(altered(whole[pdf["sha256"]])).hexdigest()
    held: list[str] = []
    for path in (data / "warc").glob("*.warc.gz"):
        check_warc(path, payloads=lambda _, found: held.append(found.sha256))
    assert held and bad not in held
    # the re-crawl asked again without validators when a 304 left it only damaged bytes, and mended both
    for snap in (pdf, listing):
        statuses = [r[0] for r in conn.execute("SELECT status FROM fetches WHERE run_id = ? AND url = ? ORDER BY id",
                                               (second, snap["url"]))]
        assert statuses == [304, 200], (snap["url"], statuses)
        assert store.read(snap["sha256"]) == whole[snap["sha256"]]
    assert conn.execute("SELECT count(*) FROM snapshots WHERE url IN (?, ?)",
                        (pdf["url"], listing["url"])).fetchone()[0] == 2  # no new snapshot: the same bytes
    moved = conn.execute("SELECT warc_file FROM snapshots WHERE id = ?", (pdf["id"],)).fetchone()[0]
    assert moved.startswith(f"nianbao-{second}-")  # its record written again, from the mended blob
    code, lines, verdict = verify(data, capsys)
    assert code == 0, lines


# --- kill -9 in the middle of verify or of a repair that meets a damaged blob ---------------------------

def _files(data: Path) -> dict[str, str]:
    return {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file()}


def test_verify_killed_midway_changes_nothing(data: Path, capsys) -> None:
    snap = last_snapshot(data, "application/pdf")
    BlobStore(data).path(snap["sha256"]).write_bytes(b"cut")
    before = _files(data)
    env = kill_env(data.parent, module="archive.warc", owner="Payload", name="claim_disagrees", nth=5, when="True")
    killed = subprocess.run([str(Path(sys.executable).with_name("nianbao")), "--data", str(data), "verify"], env=env,
                            cwd=ROOT, start_new_session=True, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert _files(data) == before
    code, lines, verdict = verify(data, capsys)
    assert code == 1 and [b["sha256"] for b in verdict["damaged_blobs"]] == [snap["sha256"]]


REPAIR = """
import sys
from archive.store import Archive
Archive(sys.argv[1]).recover()
"""


def test_a_repair_killed_midway_over_a_damaged_blob_ends_as_an_unkilled_one(data: Path, capsys) -> None:
    conn = db(data)
    run = conn.execute("SELECT id FROM crawl_runs").fetchone()[0]
    snaps = conn.execute("SELECT * FROM snapshots ORDER BY warc_offset").fetchall()
    cut, damaged = snaps[-4], snaps[-2]  # the tail from `cut` on goes; `damaged`'s blob is altered
    with open(data / "warc" / cut["warc_file"], "r+b") as fh:
        fh.truncate(cut["warc_offset"] + 50)
    BlobStore(data).path(damaged["sha256"]).write_bytes(altered(BlobStore(data).get(damaged["sha256"])))
    env = kill_env(data.parent, module="archive.store", owner="Archive", name="_rewrite", nth=4, when="True")
    killed = subprocess.run([sys.executable, "-c", REPAIR, str(data)], env=env, cwd=ROOT, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    subprocess.run([sys.executable, "-c", REPAIR, str(data)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    notes = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run,))]
    assert sum(f"snapshot {damaged['id']} " in n and "its blob is damaged" in n for n in notes) == 1
    assert sum(".torn-" in n for n in notes) == 1
    code, lines, verdict = verify(data, capsys)
    assert code == 1 and [b["sha256"] for b in verdict["damaged_blobs"]] == [damaged["sha256"]]
    # every other snapshot past the cut was written again from its blob; the damaged one is named missing
    assert [(r["snapshot"], r["problem"].split(":")[0]) for r in verdict["damaged_records"]] == \
        [(damaged["id"], "missing")]


def test_a_damaged_blob_is_not_served_as_the_archived_document(data: Path) -> None:
    from tests.support.datasette import DIRECT, served

    conn = db(data)
    pdf, page = last_snapshot(data, "application/pdf"), last_snapshot(data, "text/html")
    whole = BlobStore(data).get(pdf["sha256"])
    BlobStore(data).path(pdf["sha256"]).write_bytes(whole[: len(whole) // 2])  # cut on disk
    with served(data) as base:
        with DIRECT.open(f"{base}/-/snapshot/{page['id']}?raw=1", timeout=30) as resp:
            assert resp.status == 200 and resp.read() == BlobStore(data).get(page["sha256"])
        with pytest.raises(urllib.error.HTTPError) as err:
            DIRECT.open(f"{base}/-/snapshot/{pdf['id']}", timeout=30)
        assert err.value.code == 500
        text = err.value.read().decode()
        assert text.startswith(f"snapshot {pdf['id']} ({pdf['url']}): blob damaged: sha256 {pdf['sha256']}")
    conn.close()


def test_bytes_damaged_only_inside_a_token_are_no_proof_of_the_same_version(tmp_path: Path) -> None:
    """A page whose links carry a fresh token on each answer is the same version when nothing else
    changed; its archived bytes damaged inside a token would pass for that version, and the new
    bytes would never be stored while the damaged ones stood for the page."""
    from archive.store import Archive, Fetch
    from crawler.tokens import without_tokens

    url = "http://127.0.0.1:9/zwgk/ndbg/index.html"
    page = '<html><body><a href="/zwgk/ndbg/2024.html?rnd={}">2024年年报</a></body></html>'
    arc = Archive(tmp_path)
    arc.start_run("test", ["s"])

    def fetch(token: str) -> Fetch:
        return Fetch(url=url, final_url=url, status=200, headers=[("Content-Type", "text/html")],
                     body=page.format(token).encode(), fetched_at="2026-01-01T00:00:00Z", same_version=without_tokens)

    first = arc.record(fetch("1111"))
    assert not arc.record(fetch("2222")).new_snapshot  # the same version: no new snapshot
    arc.blobs.path(first.sha256).write_bytes(page.format("1191").encode())  # damaged inside the token
    again = arc.record(fetch("3333"))
    assert again.new_snapshot and arc.blobs.read(again.sha256) == page.format("3333").encode()
    arc.close()


NOT_MODIFIED_WRITER = """
import sys
from archive.store import Archive, Fetch
arc = Archive(sys.argv[1])
url = "http://127.0.0.1:9/nianbao/c.pdf"
arc.start_run("test", ["s"])
arc.record(Fetch(url=url, final_url=url, status=304, body=b"", headers=[("ETag", '"c"')],
                 fetched_at="2026-01-02T00:00:00.000000Z"))
"""


def test_a_killed_runs_304_is_tied_to_its_snapshot_though_the_snapshots_blob_is_damaged(tmp_path: Path) -> None:
    """Recovery writes the rows of a dead run's revisit record: the snapshot it revisits is found by its
    payload digest, from its own record when its blob is damaged (the blob's would name other bytes)."""
    from archive.store import Archive, Fetch

    url = "http://127.0.0.1:9/nianbao/c.pdf"
    arc = Archive(tmp_path)
    arc.start_run("test", ["s"])
    first = arc.record(Fetch(url=url, final_url=url, status=200, body=b"%PDF-1.7 c" * 100,
                             headers=[("Content-Type", "application/pdf"), ("ETag", '"c"')],
                             fetched_at="2026-01-01T00:00:00.000000Z"))
    arc.finish_run(arc.run_id, {})
    arc.close()
    env = kill_env(tmp_path, module="archive.store", owner="Archive", name="_rows", nth=1, when="True")
    killed = subprocess.run([sys.executable, "-c", NOT_MODIFIED_WRITER, str(tmp_path)], env=env, cwd=ROOT,
                            start_new_session=True)
    assert killed.returncode == -signal.SIGKILL
    BlobStore(tmp_path).path(first.sha256).write_bytes(b"%PDF-1.7 c")  # cut on disk meanwhile
    subprocess.run([sys.executable, "-c", REPAIR, str(tmp_path)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    rows = db(tmp_path).execute("SELECT status, snapshot_id, not_modified FROM fetches ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(200, first.snapshot_id, 0), (304, first.snapshot_id, 1)]


def test_no_code_reads_a_blob_unchecked() -> None:
    """Every read of a blob's bytes in the archive and the crawler goes through BlobStore.read (checked
    against its name); `get` (unchecked) and a blob's path read directly are for looking at a damaged one."""
    import ast

    unchecked = []
    for path in sorted([*ROOT.glob("archive/**/*.py"), *ROOT.glob("crawler/**/*.py")]):
        tree = ast.parse(path.read_text("utf-8"))
        own = [range(c.lineno, c.end_lineno + 1) for c in ast.walk(tree)  # the store itself: `get`, `read`
               if isinstance(c, ast.ClassDef) and c.name == "BlobStore"]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)) or \
                    any(node.lineno in lines for lines in own):
                continue
            owner = node.func.value
            blobs = (isinstance(owner, ast.Attribute) and owner.attr == "blobs") or \
                (isinstance(owner, ast.Call) and getattr(owner.func, "id", None) == "BlobStore")
            by_path = node.func.attr in ("read_bytes", "open") and isinstance(owner, ast.Call) and \
                isinstance(owner.func, ast.Attribute) and owner.func.attr == "path"
            if (blobs and node.func.attr == "get") or by_path:
                unchecked.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unchecked == []
