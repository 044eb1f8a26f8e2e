"""Provenance of one archived fetch, as an archivist checks it: a redirect chain fetched with the
standard-library client ends up under its final URL, and the snapshot's info page in Datasette says
which spider and software fetched it and with which request headers."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from archive.httpfetch import fetch_url
from archive.store import Archive
from tests.support.datasette import DIRECT, served

REPORT = "<html><body><h1>青石县2024年政府信息公开工作年度报告</h1></body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        hops = {"/go/1001": (301, "/old/1001.html"), "/old/1001.html": (302, "/2024/report.html")}
        if self.path in hops:
            status, location = hops[self.path]
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = REPORT if self.path == "/2024/report.html" else b"not found"
        self.send_response(200 if body is REPORT else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_httpfetch_follows_the_chain_to_its_final_url(site: str) -> None:
    f = fetch_url(f"{site}/go/1001", source_id="local")
    assert f.status == 200 and f.body == REPORT
    assert f.url == f"{site}/go/1001" and f.final_url == f"{site}/2024/report.html"
    assert f.note and "301" in f.note and "302" in f.note and f"{site}/old/1001.html" in f.note
    assert ("Accept-Language", "zh-CN,zh;q=0.9") in f.request_headers


@pytest.fixture(scope="module")
def info_page(site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict, str]]:
    data: Path = tmp_path_factory.mktemp("provenance")
    arc = Archive(data)
    run = arc.start_run("provenance-test", ["local"])
    f = fetch_url(f"{site}/go/1001", source_id="local", spider="httpfetch")
    snapshot_id = arc.record(f).snapshot_id
    arc.finish_run(run, {})
    snap = arc.snapshots(f.url)[0]
    arc.close()
    with served(data, stderr=subprocess.PIPE) as base:
        with DIRECT.open(f"{base}/-/snapshot/{snapshot_id}/info", timeout=10) as resp:
            page = resp.read().decode("utf-8")
        yield snap, page


def test_snapshot_info_names_spider_software_and_request_headers(info_page: tuple[dict, str]) -> None:
    snap, page = info_page
    soup = BeautifulSoup(page, "html.parser")
    prov = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in soup.select("dl dt")}
    assert prov["spider"] == "httpfetch"
    assert prov["software"] == snap["software"] and prov["software"].startswith("nianbao/")
    assert prov["final URL"].endswith("/2024/report.html") and prov["URL"].endswith("/go/1001")
    heading = next(h for h in soup.find_all("h2") if "Request headers" in h.get_text())
    sent = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
            for th in heading.find_next("table").find_all("th")}
    assert sent["Accept-Language"] == "zh-CN,zh;q=0.9" and sent["User-Agent"] == "nianbao"
