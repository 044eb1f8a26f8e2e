"""An archived report replays from our WARC files in pywb with the bytes the server sent.

pywb lives in its own venv (.venv-pywb; it conflicts with scrapy-redis), so it is run as
real processes: wb-manager builds the collection, wayback serves it.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from archive.httpfetch import fetch_url
from archive.store import Archive
from tests.support.pywb import raw_get, wayback, wayback_ts

REPORT = ("<html><head><meta charset='gbk'><title>聊城市公安局2024年政府信息公开工作年度报告</title></head>"
          "<body><p>一、总体情况</p><table><tr><td>予以公开</td><td>３</td></tr></table></body></html>"
          ).encode("gbk")
PDF_LIKE = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/gk/report.html":
            self._send(REPORT, [("Content-Type", "text/html; charset=GBK")], chunked=True)
        elif self.path == "/gk/report-gz.html":
            self._send(gzip.compress(REPORT), [("Content-Type", "text/html; charset=GBK"),
                                               ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])
        elif self.path == "/gk/report.pdf":
            self._send(PDF_LIKE, [("Content-Type", "application/pdf")])
        else:
            self._send(b"not found", [("Content-Type", "text/plain")], status=404)

    def _send(self, body: bytes, headers: list[tuple[str, str]], status: int = 200, chunked: bool = False) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 50):
                part = body[i:i + 50]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def replay(site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    data = tmp_path_factory.mktemp("data")
    arc = Archive(data)
    run = arc.start_run("replay-test", ["local"])
    fetches = {name: fetch_url(f"{site}/gk/{name}", source_id="local")
               for name in ("report.html", "report-gz.html", "report.pdf")}
    for f in fetches.values():
        arc.record(f)
    time.sleep(1.1)  # a later second, so the revisit gets its own 14-digit timestamp
    again = fetch_url(f"{site}/gk/report.html", source_id="local")
    assert arc.record(again).new_snapshot is False
    arc.finish_run(run, {})
    arc.close()

    warcs = sorted((data / "warc").glob("*.warc.gz"))
    with wayback(warcs, tmp_path_factory.mktemp("pywb")) as port:
        yield {"port": port, "fetches": fetches, "again": again}


@pytest.mark.parametrize("name", ["report.html", "report.pdf"])
def test_replay_same_bytes(replay: dict, name: str) -> None:
    f = replay["fetches"][name]
    status, headers, body = raw_get(replay["port"], f"/nianbao/{wayback_ts(f.fetched_at)}id_/{f.url}")
    assert status == 200
    assert body == f.body
    assert headers.get("content-type", "").split(";")[0] == dict(f.headers)["Content-Type"].split(";")[0]


def test_replay_gzip_response(replay: dict) -> None:
    f = replay["fetches"]["report-gz.html"]
    assert f.body[:2] == b"\x1f\x8b"  # archived as received: still gzip
    status, headers, body = raw_get(replay["port"], f"/nianbao/{wayback_ts(f.fetched_at)}id_/{f.url}")
    assert status == 200
    assert headers.get("content-encoding") == "gzip"
    assert body == f.body
    assert gzip.decompress(f.body) == REPORT


def test_replay_revisit(replay: dict) -> None:
    again = replay["again"]
    status, _, body = raw_get(replay["port"], f"/nianbao/{wayback_ts(again.fetched_at)}id_/{again.url}")
    assert status == 200 and body == REPORT
