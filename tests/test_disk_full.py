"""A crawl on a disk that fills up (a real 2 MB tmpfs, so root only): it stops at the first
ENOSPC, the run says `failed: no space left on device …` (a reserve freed for that), the exit
code is 1, `status` names it, and the next run on a grown disk is whole again."""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.portal.server import Replica

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
QUICK = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0, "LOG_LEVEL": "WARNING"}


@pytest.fixture(params=["2m"])
def small_disk(request, tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={request.param}", "tmpfs", str(mnt)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def crawl(data: Path, sources: Path) -> subprocess.CompletedProcess:
    sets = [a for k, v in QUICK.items() for a in ("--set", f"{k}={json.dumps(v)}")]
    return subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data), "--sources",
                           str(sources), *sets], env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=180)


# 1500k: a fresh database takes half of it, so a whole megabyte of reserve never fitted; the run was
# left 'running' (status: "died") with four tracebacks
@pytest.mark.parametrize("small_disk", ["2m", "1500k"], indirect=True)
def test_a_full_disk_fails_the_run_with_its_reason_and_the_next_run_recovers(small_disk, tmp_path) -> None:
    data = small_disk / "data"
    with Replica.start(faults=False) as rep:
        sources = rep.write_sources(tmp_path / "sources.yaml", include_faults=False)
        full = crawl(data, sources)
        assert full.returncode == 1, full.stderr[-3000:]
        assert "no space left on device" in full.stderr
        # one line says why (a cron mail without --log shows the whole stderr): no traceback below it
        assert "Traceback" not in full.stderr, full.stderr[full.stderr.find("Traceback") - 300:][:3000]
        with sqlite3.connect(data / "nianbao.db") as conn:
            (run_id, status), = conn.execute("SELECT id, status FROM crawl_runs").fetchall()
            reasons = [r[0] for r in conn.execute("SELECT reason FROM crawl_errors WHERE run_id = ?", (run_id,))]
        assert status.startswith("failed: no space left on device"), status
        assert any(r.startswith("failed: no space left on device") for r in reasons), reasons
        shown = subprocess.run([sys.executable, "-m", "crawler.monitor", "--data", str(data)], env=ENV, cwd=ROOT,
                               capture_output=True, text=True, timeout=60)
        assert shown.returncode == 1 and "no space left on device" in shown.stdout
        # the full disk is the one thing to look at: no source blamed for the counts the run left behind
        attention = shown.stdout.split("ATTENTION")[1]
        assert "died" not in attention and "reports found" not in attention, shown.stdout
        assert [line for line in attention.splitlines() if line.startswith("  - ")] == [
            line for line in attention.splitlines() if line.startswith("  - last run ")], shown.stdout
        # the operator grows the disk: the next run is whole
        subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
        again = crawl(data, sources)
        assert again.returncode == 0, again.stderr[-3000:]
        expected = sorted(r["url"] for r in rep.reports())
    with sqlite3.connect(data / "nianbao.db") as conn:
        found = sorted(r[0] for r in conn.execute("SELECT url FROM documents WHERE kind = 'report'"))
        last = conn.execute("SELECT status FROM crawl_runs ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert last == "finished" and found == expected
    assert (data / "runs" / "space.reserve").stat().st_size > 0  # held back again for the next full disk


# the size: the new database's schema (its WAL, ~530 KB since session 19's columns) must fit, leaving
# less than the 2 x 128 KB a crawl needs to start and record its end (580k-660k does; 560k no longer fit the schema)
@pytest.mark.parametrize("small_disk", ["620k"], indirect=True)
def test_a_disk_too_full_to_record_a_run_does_not_start_one(small_disk, tmp_path) -> None:
    data = small_disk / "data"
    with Replica.start(faults=False) as rep:
        sources = rep.write_sources(tmp_path / "sources.yaml", include_faults=False)
        full = crawl(data, sources)
    assert full.returncode == 1, full.stderr[-3000:]
    assert "crawl not started: no space left on device" in full.stderr and "Traceback" not in full.stderr, \
        full.stderr[-3000:]
    with sqlite3.connect(data / "nianbao.db") as conn:
        assert conn.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0] == 0
    shown = subprocess.run([sys.executable, "-m", "crawler.monitor", "--data", str(data)], env=ENV, cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 1 and "the data dir's disk is full" in shown.stdout, shown.stdout


class _BigAttachment(BaseHTTPRequestHandler):
    """A TRS column whose one report carries a 1 MB PDF: bigger than the crawl's file-size limit."""

    big = True

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        body, kind = b"<h1>404</h1>", "text/html; charset=utf-8"
        status = 404
        if path == "/robots.txt":
            status, body = 200, b"User-agent: *\nAllow: /\n"
        elif path == "/zwgk/ndbg/index.html":
            status, body = 200, ("<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><ul>"
                                 "<li><a href='./202401/t20240118_5001.html'>青石县人民政府2023年政府信息公开工作年度报告</a>"
                                 "<span>2024-01-18</span></li></ul></body></html>").encode()
        elif path == "/zwgk/ndbg/202401/t20240118_5001.html":
            status, body = 200, ("<html><head><meta charset='utf-8'><title>青石县人民政府2023年政府信息公开工作年度报告</title>"
                                 "</head><body><h1>青石县人民政府2023年政府信息公开工作年度报告</h1><p>附件："
                                 "<a href='./W020240118.pdf'>2023年年度报告.pdf</a></p></body></html>").encode()
        elif path == "/zwgk/ndbg/202401/W020240118.pdf":
            status, kind = 200, "application/pdf"
            body = b"%PDF-1.4\n" + random.Random(7).randbytes(1_000_000) + b"\n%%EOF\n"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _limited(limit: int):
    def pre() -> None:  # as `ulimit -f` in the cron job's shell; SIGXFSZ ignored, so writes fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def test_a_file_size_limit_fails_the_crawl_in_one_line_and_the_next_run_recovers(tmp_path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BigAttachment)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump([{
            "id": "qs-gov", "name": "青石县人民政府", "level": "county", "kind": "government",
            "region": {"province": "山东省", "city": "聊城市", "county": "青石县"}, "family": "trs",
            "start_urls": [f"http://127.0.0.1:{server.server_address[1]}/zwgk/ndbg/index.html"],
        }], allow_unicode=True), encoding="utf-8")
        data = tmp_path / "data"
        sets = [a for k, v in {**QUICK, "NIANBAO_BROWSER": False}.items() for a in ("--set", f"{k}={json.dumps(v)}")]
        cmd = [sys.executable, "-m", "crawler.run", "crawl", "--data", str(data), "--sources", str(sources), *sets]
        limited = subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=180,
                                 preexec_fn=_limited(700_000))
        assert limited.returncode == 1, limited.stderr[-3000:]
        assert "Traceback" not in limited.stderr, limited.stderr[limited.stderr.find("Traceback") - 300:][:3000]
        assert "file size limit reached" in limited.stderr or "cannot be written" in limited.stderr, limited.stderr[-3000:]
        with sqlite3.connect(data / "nianbao.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            pdfs = conn.execute("SELECT count(*) FROM snapshots WHERE url LIKE '%.pdf'").fetchone()[0]
        assert pdfs == 0  # nothing half-written taken as archived
        again = subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert again.returncode == 0, again.stderr[-3000:]
        with sqlite3.connect(data / "nianbao.db") as conn:
            runs = [r[0] for r in conn.execute("SELECT status FROM crawl_runs ORDER BY rowid")]
            pdfs = conn.execute("SELECT count(*) FROM snapshots WHERE url LIKE '%.pdf'").fetchone()[0]
        assert runs[-1] == "finished" and pdfs == 1
        assert runs[0] != "running" and runs[0] != "finished", runs  # the limited run is never taken as whole
    finally:
        server.shutdown()
