"""A registry entry's download_delay holds for the whole crawl, measured where the server sees it.

Found by a blind examination (/tmp/polite15): Scrapy gives a DOWNLOAD_SLOTS delay to the host's slot
as its first delay only, and AutoThrottle then talked it down towards DOWNLOAD_DELAY as the host
answered fast (2 s asked, 2.16, 1.05, 0.85, 0.64, 0.37 s seen).  Real crawler, real server on 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from crawler.run import crawl

DELAY = 1.0
REPORTS = 5


def _column() -> bytes:
    items = "".join(f'<li><a href="/nb/{2019 + i}.html">某某县公安局{2019 + i}年政府信息公开工作年度报告</a>'
                    f"<span>{2020 + i}-01-20</span></li>" for i in range(REPORTS))
    return f"<html><head><title>政府信息公开年报</title></head><body><ul>{items}</ul></body></html>".encode()


def _report(year: int) -> bytes:
    title = f"某某县公安局{year}年政府信息公开工作年度报告"
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>"
            + "本报告依据条例编制。" * 20 + "</p></body></html>").encode()


def test_a_sources_download_delay_is_the_least_gap_between_its_requests(tmp_path: Path) -> None:
    arrivals: list[tuple[float, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            arrivals.append((time.monotonic(), self.path))
            if self.path == "/":
                body = _column()
            elif self.path.startswith("/nb/"):
                body = _report(int(self.path[4:8]))
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        registry = [{"id": "slow", "name": "某某县公安局", "level": "county", "kind": "department",
                     "region": {"province": "山东省", "city": "聊城市", "county": None}, "family": "generic",
                     "start_urls": [url], "allowed_domains": ["127.0.0.1"],
                     "overrides": {"download_delay": DELAY}}]
        path = tmp_path / "sources.yaml"
        path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        crawl(tmp_path / "data", sources_path=path,
              settings={"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "LOG_LEVEL": "WARNING",
                        "NIANBAO_BROWSER": False})
    finally:
        server.shutdown()
        server.server_close()
    paths = [p for _, p in arrivals]
    assert sum(p.startswith("/nb/") for p in paths) == REPORTS, paths
    gaps = [round(b - a, 3) for (a, _), (b, _) in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) >= DELAY * 0.95, gaps  # Scrapy counts from the last request's start; a little slack for the clock
