"""Politeness counted where the server sees it: one machine under two names, a page that resets.

Found by a blind examination (/tmp/polite15): sources naming one server `127.0.0.1:P` and `localhost:P`
each got the host cap of 2, so the server had 3 requests in flight; and a page whose every connection
was reset got 6 requests for 4 attempts (the HTTP client re-sent the GET at once on a new connection
when a reused keep-alive connection was reset, before the retry's backoff: kept, and bounded here).  Real crawler, real
threaded HTTP/1.1 servers on 127.0.0.1, every request logged at arrival and at its answer.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from crawler.run import crawl

REPORTS = 4
SLOW = 0.6  # seconds each page takes: long enough for requests of both names to overlap


def _column(prefix: str) -> bytes:
    items = "".join(f'<li><a href="/{prefix}/{2019 + i}.html">某某县{prefix}局{2019 + i}年政府信息公开工作年度报告</a>'
                    f"<span>{2020 + i}-01-20</span></li>" for i in range(REPORTS))
    return f"<html><head><title>政府信息公开年报</title></head><body><ul>{items}</ul></body></html>".encode()


def _report(prefix: str, year: int) -> bytes:
    title = f"某某县{prefix}局{year}年政府信息公开工作年度报告"
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>"
            + "本报告依据条例编制。" * 20 + "</p></body></html>").encode()


class Log:
    """Each request's arrival and answer time at the server, its path and the connection it came on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict] = []

    def add(self, **row) -> dict:
        with self.lock:
            self.requests.append(row)
        return row

    def max_in_flight(self) -> int:
        events = sorted([(r["arrive"], 1) for r in self.requests] + [(r["finish"], -1) for r in self.requests])
        now = most = 0
        for _, step in events:
            now += step
            most = max(most, now)
        return most


@contextmanager
def portal(log: Log, reset: str | None = None) -> Iterator[int]:
    """Two columns (/a/ and /b/), each of REPORTS slow report pages; `reset`: a path whose every
    connection is reset (RST) once its request has been read."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the crawler reuses its connections

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            row = log.add(path=self.path, host=self.headers.get("Host"), client=self.client_address[1],
                          arrive=time.monotonic(), finish=time.monotonic())
            if self.path == reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            parts = self.path.strip("/").split("/")
            if parts[0] in ("a", "b") and len(parts) == 1:
                body = _column(parts[0])
            elif parts[0] in ("a", "b") and parts[1][:4].isdigit():
                time.sleep(SLOW)
                body = _report(parts[0], int(parts[1][:4]))
            else:
                body = b"not found"
                self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                row["finish"] = time.monotonic()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            row["finish"] = time.monotonic()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _entry(sid: str, name: str, url: str, **overrides) -> dict:
    host = url.split("/")[2].split(":")[0]
    entry = {"id": sid, "name": name, "level": "county", "kind": "department",
             "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
             "start_urls": [url], "allowed_domains": [host]}
    if overrides:
        entry["overrides"] = overrides
    return entry


def _crawl(tmp_path: Path, registry: list[dict], **settings) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    crawl(tmp_path / "data", sources_path=path,
          settings={"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
                    "NIANBAO_BROWSER": False, **settings})  # no delay: only the cap keeps requests apart


def _names_of_one_server(port: int, a: dict | None = None, b: dict | None = None) -> list[dict]:
    return [_entry("a-gov", "某某县a局", f"http://127.0.0.1:{port}/a/", **(a or {})),
            _entry("b-gov", "某某县b局", f"http://localhost:{port}/b/", **(b or {}))]


def _warcinfo(data: Path) -> dict[str, str]:
    from warcio.archiveiterator import ArchiveIterator

    warcs = sorted((data / "warc").glob("*.warc.gz"))
    assert warcs
    with open(warcs[0], "rb") as fh:
        first = next(iter(ArchiveIterator(fh)))
        assert first.rec_type == "warcinfo"
        return dict(line.split(": ", 1) for line in first.content_stream().read().decode().splitlines())


def test_one_server_under_two_names_gets_one_cap(tmp_path: Path) -> None:
    log = Log()
    with portal(log) as port:
        _crawl(tmp_path, _names_of_one_server(port))
    hosts = {r["host"] for r in log.requests}
    assert hosts == {f"127.0.0.1:{port}", f"localhost:{port}"}, hosts
    assert sum(r["path"].endswith(".html") for r in log.requests) == 2 * REPORTS, log.requests
    assert log.max_in_flight() == 2, log.requests  # the server's cap, reached: not 2 per name


def test_the_strictest_concurrency_of_a_servers_names_holds_for_all(tmp_path: Path) -> None:
    log = Log()
    with portal(log) as port:
        _crawl(tmp_path, _names_of_one_server(port, a={"obey_robots": False}, b={"concurrency": 1}))
    assert sum(r["path"].endswith(".html") for r in log.requests) == 2 * REPORTS, log.requests
    assert log.max_in_flight() == 1, log.requests
    # the WARC's provenance names what each source overrode, not only the run-wide settings
    info = _warcinfo(tmp_path / "data")
    assert info["robots"] != "obey" and "a-gov" in info["robots"], info
    assert "b-gov: concurrency=1" in info["nianbao-source-overrides"], info
    assert "a-gov: obey_robots=false" in info["nianbao-source-overrides"], info


def test_a_page_that_resets_every_connection_is_asked_a_bounded_number_of_times(tmp_path: Path) -> None:
    """The HTTP client re-sends a GET at once when a reused keep-alive connection is reset (its
    stale-connection retry, kept: see crawler/downloader.py), so an attempt is one or two requests;
    the retries themselves wait their backoff."""
    log = Log()
    with portal(log, reset="/a/2020.html") as port:
        _crawl(tmp_path, [_entry("a-gov", "某某县a局", f"http://127.0.0.1:{port}/a/")],
               NIANBAO_RETRY_BACKOFF_BASE=0.2, RETRY_TIMES=3)
    asked = [r for r in log.requests if r["path"] == "/a/2020.html"]
    assert 1 + 3 <= len(asked) <= 2 * (1 + 3), asked  # the first try and RETRY_TIMES retries
    # the attempts (a request more than a few ms after the one before) wait their backoff
    starts = [b["arrive"] - a["arrive"] for a, b in zip(asked, asked[1:], strict=False) if b["arrive"] - a["arrive"] > 0.05]
    assert len(starts) == 3 and min(starts) >= 0.2 * 0.9, starts
    # the other reports of the column are archived all the same
    assert sum(r["path"].endswith(".html") and r["path"] != "/a/2020.html" for r in log.requests) == REPORTS - 1
