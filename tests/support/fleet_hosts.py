"""Small county hosts on 127.0.0.1 that log every request with its start and end time, for the
distributed tests that judge a fleet by what a host saw (tests/test_fleet_politeness.py,
tests/test_distributed_leaving.py); and a redis-server of a test's own."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawler.distributed import connect
from tests.support.processes import free_port

RETRY_AFTER = 2.0
AGENCIES = ["发展和改革局", "公安局", "财政局", "教育局", "民政局", "司法局"]


def report_page(title: str, n: int) -> str:
    rows = "".join(f"<tr><td>{label}</td><td>{n + i}</td><td>0</td><td>{n}</td></tr>"
                   for i, label in enumerate(["规章", "行政规范性文件"]))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<h1>{title}</h1><p>一、总体情况</p><p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>'
            f"<p>二、主动公开政府信息情况</p><table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
            f"<td>现行有效件数</td></tr>{rows}</table></body></html>")


def site(county: str, n: int, xhr_parts: int = 0) -> dict[str, str]:
    """A county's 年报 column: a list page linking n report pages.  With `xhr_parts` the list is drawn
    by its script from that many API calls sent at once (`/api/rows?part=k`, JSON): a list only a
    browser reads, whose requests are chromium's own."""
    pages, links, rows = {}, [], []
    for i in range(n):
        title = f"{county}{AGENCIES[i % len(AGENCIES)]}{2021 + i // len(AGENCIES)}年政府信息公开工作年度报告"
        path = f"/zwgk/ndbg/{8100 + i}.html"
        pages[path] = report_page(title, 10 + i)
        links.append(f'<li><a href="{path}">{title}</a></li>')
        rows.append({"url": path, "title": title})
    listing = f"<ul>{''.join(links)}</ul>"
    if xhr_parts:
        for k in range(xhr_parts):
            pages[f"/api/rows?part={k}"] = json.dumps(rows[k::xhr_parts], ensure_ascii=False)
        listing = ("<ul id='list'></ul><script>Promise.all([" + ",".join(str(k) for k in range(xhr_parts))
                   + "].map(function(k){return fetch('/api/rows?part='+k).then(function(r){return r.json();});}))"
                   ".then(function(parts){var ul=document.getElementById('list');parts.forEach(function(p){"
                   "p.forEach(function(r){var li=document.createElement('li');li.innerHTML="
                   "'<a href=\"'+r.url+'\">'+r.title+'</a>';ul.appendChild(li);});});});</script>")
    pages["/zwgk/ndbg/index.html"] = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title>'
                                      f"</head><body><h2>政府信息公开年报</h2>{listing}</body></html>")
    return pages


class Host:
    """One county's host on 127.0.0.1 serving its column of n reports (`site`), or the `pages` given,
    logging every request as (t0, t1, path, status)."""

    def __init__(self, name: str, county: str, n: int, robots: str = "User-agent: *\nDisallow:\n",
                 latency: float = 0.0, busy: frozenset[str] = frozenset(), slow: float = 0.0,
                 xhr_parts: int = 0, pages: dict[str, str] | None = None) -> None:
        self.name, self.county, self.log, self.lock = name, county, [], threading.Lock()
        pages = site(county, n, xhr_parts) if pages is None else pages
        self.refused: set[str] = set()
        self.open = 0  # requests being answered now
        host = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                t0 = time.time()
                path = self.path if self.path in pages else self.path.split("?")[0]
                with host.lock:
                    host.open += 1
                # `slow`: a report page's answer takes that long (a stop then has requests in flight to wait for)
                time.sleep(latency + (slow if path.endswith(".html") and not path.endswith("index.html") else 0.0))
                with host.lock:
                    first = path in busy and path not in host.refused
                    host.refused.add(path)
                if first:
                    status, body, extra = 429, b"Too Many Requests", [("Retry-After", f"{RETRY_AFTER:.0f}")]
                elif path == "/robots.txt":
                    status, body, extra = 200, robots.encode(), []
                elif path in pages:
                    status, body, extra = 200, pages[path].encode("utf-8"), []
                else:
                    status, body, extra = 404, b"not found", []
                self.send_response(status)
                kind = "application/json" if path.startswith("/api/") else "text/html; charset=utf-8"
                for k, v in [("Content-Type", "text/plain" if path == "/robots.txt" or status != 200 else kind),
                             *extra]:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with host.lock:
                    host.log.append((t0, time.time(), path, status))
                    host.open -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def most_open(self) -> int:
        """The most requests the host had open at once (an answer's end before a start at the same instant)."""
        events = sorted([(t0, 1) for t0, _, _, _ in self.log] + [(t1, -1) for _, t1, _, _ in self.log])
        now = most = 0
        for _, step in events:
            now += step
            most = max(most, now)
        return most

    def shortest_pause(self) -> float:
        """The shortest time from an answer to the next request's start (the latest answer so far)."""
        ordered = sorted(self.log)
        gaps, last_end = [], None
        for t0, t1, _, _ in ordered:
            if last_end is not None:
                gaps.append(t0 - last_end)
            last_end = t1 if last_end is None else max(last_end, t1)
        return min(gaps)

    def sent_during_retry_after(self) -> list[tuple[str, float]]:
        """Requests that started within Retry-After of a 429's answer: (path, seconds after it).  The
        first 0.1 s are the answer's way to the client: a request another worker sent before the 429
        reached anyone could not have known of it."""
        early = []
        for _, end, _, status in self.log:
            if status == 429:
                early += [(p, round(t0 - end, 3)) for t0, _, p, _ in self.log
                          if end + 0.1 < t0 < end + RETRY_AFTER - 0.02]
        return early



def registry(path: Path, hosts: dict[str, Host]) -> Path:
    """A registry of one generic county entry per host, entered at its 年报 column."""
    entries = [{"id": f"county-{name}", "name": f"{host.county}人民政府", "level": "county", "kind": "government",
                "region": {"province": "山东省", "city": "德州市", "county": host.county}, "family": "generic",
                "start_urls": [host.url("/zwgk/ndbg/index.html")]} for name, host in hosts.items()]
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--save", "", "--appendonly", "no", "--port", str(port),
                             "--bind", "127.0.0.1", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 60  # only bounds a hang: a busy machine starts redis slowly
    while True:
        try:
            connect(url).ping()
            return proc, url
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)


def sets(settings: dict) -> list[str]:
    return [a for k, v in settings.items() for a in ("--set", f"{k}={json.dumps(v)}")]
