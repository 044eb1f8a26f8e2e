"""Serve the replica portals, one real HTTP server per portal on 127.0.0.1.

Each portal gets its own port so root-absolute links (/col/col1533/…,
/gongkai/site_…/) resolve as on the real sites.  Static files come from
tests/portal/site/ (built by tests.portal.build); this module adds what a
static tree cannot do: conditional GETs, Hanweb's dataproxy.jsp, the faults,
and the page that changes between crawls.
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from tests.portal.portals import BY_ID, HANWEB_COLUMN, HANWEB_UNIT, PORTALS, Portal

SITE = Path(__file__).resolve().parent / "site"
LAST_MODIFIED = formatdate(1737770400, usegmt=True)  # 2025-01-25 02:00 UTC
LAST_MODIFIED_V2 = formatdate(1740794400, usegmt=True)  # 2025-03-01 02:00 UTC
CLEARANCE = "1737676800.381|0|Qk3dJz8vXo1yT5bPaLmN2wE6sR4%3D"
# The guarded archive's challenge hands this out only to a browser that is not automated.
GUARDED_CLEARANCE = "1737676800.917|0|hN4pW2sLq8ZxC6vB1mK9tR3yU5e%3D"
BIG_BYTES = 3 * 1024 * 1024
SLOW_SECONDS = 2.0
CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".json": "application/json",
    ".js": "application/javascript", ".css": "text/css", ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
}


class Seen(NamedTuple):
    """One request as the server saw it (path includes the query string)."""

    portal_id: str
    method: str
    path: str
    headers: dict


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] | None = None
    chunked: bool = False  # sent with Transfer-Encoding: chunked and no Content-Length


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha1(data).hexdigest()[:16] + '"'


def _not_modified(headers, etag: str, last_modified: str) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = [t.strip() for t in inm.split(",")]
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def _html(text: str) -> bytes:
    return text.encode("utf-8")


class Replica:
    """All portals, started together; use as a context manager."""

    def __init__(self, site: Path = SITE, faults: bool = True, base_port: int | None = None, latency: float = 0.0,
                 homes: bool = False):
        self.site = site
        self.faults = faults
        self.homes = homes  # also the portals entered at their home page (homes.py)
        self.base_port = base_port
        self.latency = latency  # seconds every answer takes, so a client's concurrency becomes visible
        # cleared, every answer waits (at most a minute) until it is set again: a test can hold a crawl
        # still until a slower process (a distributed worker still starting) has caught up
        self.gate = threading.Event()
        self.gate.set()
        # a client whose User-Agent holds this mark passes a cleared gate: a test can hold one process of a
        # distributed crawl still (the coordinator) while another one (a worker) takes its share
        self.gate_passes = ""
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}  # per portal (= per host:port): the most requests open at once
        self.version = 1
        self.requests: list[Seen] = []
        self.manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], int] = {}
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        records = site / "sd-zibo-police" / "_data" / "records.json"
        self.hanweb_records: list[str] = json.loads(records.read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def start(cls, faults: bool = True, base_port: int | None = None, site: Path = SITE,
              latency: float = 0.0, homes: bool = False) -> Replica:
        rep = cls(site=site, faults=faults, base_port=base_port, latency=latency, homes=homes)
        rep._start()
        return rep

    def _start(self) -> None:
        portals = [p for p in PORTALS if (self.faults or not p.fault) and (self.homes or not p.home)]
        for i, portal in enumerate(portals):
            port = 0 if self.base_port is None else self.base_port + i
            server = ThreadingHTTPServer((portal.host, port), _handler_for(self, portal))
            server.daemon_threads = True
            self._servers[portal.id] = server
            t = threading.Thread(target=server.serve_forever, name=f"portal-{portal.id}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ API
    @property
    def portal_ids(self) -> list[str]:
        return list(self._servers)

    def base_url(self, portal_id: str) -> str:
        return f"http://{BY_ID[portal_id].host}:{self._servers[portal_id].server_address[1]}"

    def url(self, portal_id: str, path: str = "/") -> str:
        return self.base_url(portal_id) + path

    def start_url(self, portal_id: str) -> str:
        return self.url(portal_id, BY_ID[portal_id].start_path)

    def set_version(self, version: int) -> None:
        """Version 2 serves the corrected revision of the faults portal's 2024 report (one cell changed)."""
        self.version = version

    def reset_faults(self) -> None:
        """Forget per-path hit counters, so the first-request faults fire again."""
        with self._lock:
            self._hits.clear()

    def reports(self, include_faults: bool = False) -> list[dict]:
        """Manifest entries of the real reports, with live URLs (what a crawl should find)."""
        out = []
        for pid, docs in self.manifest["documents"].items():
            if pid not in self._servers or (BY_ID[pid].fault and not include_faults):
                continue
            for d in docs:
                if d["is_report"]:
                    entry = dict(d, portal_id=pid, url=self.url(pid, d["path"]))
                    if d.get("attachment"):
                        entry["attachment_url"] = self.url(pid, d["attachment"])
                    out.append(entry)
        return out

    def sources(self, include_faults: bool = False) -> list[dict]:
        entries = []
        for pid in self._servers:
            portal = BY_ID[pid]
            if (portal.fault and not include_faults) or portal.part_of:
                continue
            siblings = [BY_ID[p].host for p in self._servers if BY_ID[p].part_of == pid]
            entry = {
                "id": portal.id, "name": portal.name, "level": portal.level, "kind": portal.kind,
                "region": dict(portal.region), "family": portal.family,
                "start_urls": [self.start_url(pid)], "allowed_domains": [portal.host, *siblings],
            }
            if portal.overrides:
                entry["overrides"] = json.loads(json.dumps(portal.overrides))
            entries.append(entry)
        return entries

    def write_sources(self, path: str | Path, include_faults: bool = False) -> Path:
        """Registry YAML (the shared sources format) pointing at the live ports."""
        path = Path(path)
        path.write_text(yaml.safe_dump(self.sources(include_faults), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    # ------------------------------------------------------------------ internals
    def _log(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)

    def _enter(self, portal_id: str) -> None:
        with self._lock:
            n = self.in_flight.get(portal_id, 0) + 1
            self.in_flight[portal_id] = n
            self.max_in_flight[portal_id] = max(n, self.max_in_flight.get(portal_id, 0))

    def _leave(self, portal_id: str) -> None:
        with self._lock:
            self.in_flight[portal_id] -= 1

    def _hit(self, portal_id: str, path: str) -> int:
        with self._lock:
            n = self._hits.get((portal_id, path), 0) + 1
            self._hits[(portal_id, path)] = n
            return n

    def static(self, portal: Portal, path: str, headers) -> Response:
        if "/_" in path or path.endswith(".v2.html") or ".." in path.split("/"):
            return self.not_found(portal)
        file_path = path + "index.html" if path.endswith("/") else path
        last_modified = LAST_MODIFIED
        if self.version >= 2 and portal.id == "faults" and file_path == self.manifest["faults"]["versioned"]:
            file_path = file_path.replace(".html", ".v2.html")
            last_modified = LAST_MODIFIED_V2
        target = self.site / portal.id / file_path.lstrip("/")
        if not target.is_file():
            if (self.site / portal.id / path.lstrip("/")).is_dir():
                return Response(301, b"", [("Location", path + "/")])
            return self.not_found(portal)
        data = target.read_bytes()
        etag = _etag(data)
        ctype = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        if ctype.startswith("text/") or ctype == "application/json":
            ctype += f"; charset={portal.charset if target.suffix in ('.html', '.htm') else 'utf-8'}"
        hdrs = [("Content-Type", ctype), ("ETag", etag), ("Last-Modified", last_modified),
                ("Cache-Control", "max-age=600")]
        if _not_modified(headers, etag, last_modified):
            return Response(304, b"", [("ETag", etag), ("Last-Modified", last_modified)])
        return Response(200, data, hdrs)

    def not_found(self, portal: Portal) -> Response:
        body = "<html><head><title>404 Not Found</title></head><body><h1>404 页面不存在</h1></body></html>"
        cs = "gbk" if portal.charset.lower() == "gbk" else "utf-8"
        return Response(404, body.encode(cs), [("Content-Type", f"text/html; charset={portal.charset}")])

    def dataproxy(self, query: dict, form: dict) -> Response:
        """Hanweb jpage: records startrecord..endrecord (1-based, inclusive) of the column."""
        def one(d: dict, k: str, default: str = "") -> str:
            return (d.get(k) or [default])[0]
        try:
            start = int(one(query, "startrecord", "1"))
            end = int(one(query, "endrecord", "15"))
            perpage = int(one(query, "perpage", "15"))
        except ValueError:
            return Response(400, b"bad paging parameters", [("Content-Type", "text/plain")])
        records = self.hanweb_records
        if one(form, "columnid") != HANWEB_COLUMN or one(form, "unitid") != HANWEB_UNIT:
            records = []
        chosen = records[max(start - 1, 0):max(end, 0)]
        total = len(records)
        pages = (total + perpage - 1) // perpage if perpage > 0 else 0
        body = ['<?xml version="1.0" encoding="UTF-8"?>', "<datastore>",
                f"<totalrecord>{total}</totalrecord>", f"<totalpage>{pages}</totalpage>", "<recordset>"]
        body += [f"<record><![CDATA[\n{r}\n]]></record>" for r in chosen]
        body += ["</recordset>", "</datastore>"]
        return Response(200, "\n".join(body).encode("utf-8"), [("Content-Type", "text/xml; charset=UTF-8")])

    def fault(self, portal: Portal, path: str, headers, handler: BaseHTTPRequestHandler) -> Response | None:
        """The faults portal's misbehaving paths; None means serve normally."""
        if path.startswith("/hostile/"):  # input that attacks the client (tests/portal/hostile.py)
            from tests.portal.hostile import answer

            return answer(handler.path)
        if path == "/go/1001":
            return Response(301, b"", [("Location", "/nianbao/old/1001.html")])
        if path == "/nianbao/old/1001.html":
            return Response(302, b"", [("Location", "/nianbao/2023/t20240118_qsgaj.html")])
        if path == "/nianbao/flaky.html" and self._hit(portal.id, path) == 1:
            return Response(500, _html("<h1>500 Internal Server Error</h1>"), [("Content-Type", "text/html")])
        if path == "/nianbao/busy.html" and self._hit(portal.id, path) == 1:
            return Response(429, _html("<h1>429 Too Many Requests</h1>"),
                            [("Content-Type", "text/html"), ("Retry-After", "1")])
        if path == "/nianbao/slow.html":
            time.sleep(SLOW_SECONDS)
        if path == "/nianbao/reset.html":
            handler.reset_connection()
            return Response(-1)
        if path == "/nianbao/big.html":
            return Response(200, big_page(), [("Content-Type", "text/html; charset=utf-8")])
        if path == "/nianbao/big-stream.html":  # as a dynamic page is streamed: the size is not known up front
            return Response(200, big_page(), [("Content-Type", "text/html; charset=utf-8")], chunked=True)
        if path in ("/nianbao/guarded/", "/nianbao/guarded/index.html"):
            cookie = SimpleCookie(headers.get("Cookie", ""))
            if "__jsl_clearance_s" not in cookie or cookie["__jsl_clearance_s"].value != GUARDED_CLEARANCE:
                return Response(412, _html(guarded_challenge_page()), [("Content-Type", "text/html; charset=utf-8")])
        if path in ("/nianbao/archive/", "/nianbao/archive/index.html"):
            cookie = SimpleCookie(headers.get("Cookie", ""))
            if "__jsl_clearance" not in cookie or cookie["__jsl_clearance"].value != CLEARANCE:
                return Response(412, _html(challenge_page()), [("Content-Type", "text/html; charset=utf-8")])
        return None


def big_page() -> bytes:
    head = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>青石县2024年国民经济和社会发展统计公报</title>"
            "</head><body><h1>青石县2024年国民经济和社会发展统计公报</h1><p>2024年，全县地区生产总值比上年增长5.6%。</p>\n")
    pad = "<!-- " + "x" * 1000 + " -->\n"
    body = head + pad * (BIG_BYTES // len(pad) + 1) + "</body></html>"
    return body.encode("utf-8")


def challenge_page() -> str:
    return ('<html><head><meta charset="utf-8"></head><body><script>'
            f'document.cookie="__jsl_clearance={CLEARANCE};max-age=3600;path=/";'
            "location.href=location.pathname+location.search;</script></body></html>")


def guarded_challenge_page() -> str:
    """Like the products that fingerprint the browser: an automated one (navigator.webdriver, as every
    Playwright/Selenium chromium reports) never gets the cookie, so the page stays a bare script."""
    return ('<html><head><meta charset="utf-8"></head><body><script>'
            "if (!navigator.webdriver) {"
            f'document.cookie="__jsl_clearance_s={GUARDED_CLEARANCE};max-age=3600;path=/";'
            "location.href=location.pathname+location.search;}</script></body></html>")


def _handler_for(replica: Replica, portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx"
        sys_version = ""
        _reset = False

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

        def reset_connection(self) -> None:
            """Close with RST and no response, like a dropped connection mid-request."""
            self._reset = True
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass

        def finish(self) -> None:
            try:
                super().finish()
            except (OSError, ValueError):
                pass

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""

        def _handle(self, method: str) -> None:
            replica._enter(portal.id)
            try:
                if not (replica.gate_passes and replica.gate_passes in (self.headers.get("User-Agent") or "")):
                    replica.gate.wait(60)
                if replica.latency:
                    time.sleep(replica.latency)
                self._answer(method)
            finally:
                replica._leave(portal.id)

        def _answer(self, method: str) -> None:
            raw = self._body() if method == "POST" else b""
            replica._log(Seen(portal.id, method, self.path, dict(self.headers.items())))
            parts = urlsplit(self.path)
            path = unquote(parts.path) or "/"
            resp: Response | None = None
            if portal.fault:
                resp = replica.fault(portal, path, self.headers, self)
                if resp is not None and resp.status == -1:
                    return
            if resp is None and portal.home and method == "POST":
                from tests.portal.homes5 import HOME5_IDS, answer5_post

                if portal.id in HOME5_IDS:  # a year filter submitted by POST (homes5.py)
                    resp = answer5_post(replica, portal, path, parse_qs(raw.decode("utf-8", "replace")))
            if resp is None and portal.home and method != "POST":
                from tests.portal.homes import answer

                resp = answer(replica, portal, path, parts.query, self.headers)
            if resp is None and path == "/module/web/jpage/dataproxy.jsp" and portal.family == "hanweb":
                if method != "POST":
                    resp = Response(405, b"POST only", [("Content-Type", "text/plain"), ("Allow", "POST")])
                else:
                    resp = replica.dataproxy(parse_qs(parts.query), parse_qs(raw.decode("utf-8", "replace")))
            if resp is None:
                if method == "POST":
                    resp = Response(405, b"", [("Allow", "GET, HEAD")])
                else:
                    resp = replica.static(portal, path, self.headers)
            self._send(resp, head=(method == "HEAD"))

        def _send(self, resp: Response, head: bool) -> None:
            self.send_response(resp.status)
            for k, v in resp.headers or []:
                self.send_header(k, v)
            if resp.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif resp.status != 304:
                self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if head or resp.status == 304:
                return
            try:
                if resp.chunked:
                    for i in range(0, len(resp.body), 64 * 1024):
                        part = resp.body[i:i + 64 * 1024]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    self.wfile.write(b"0\r\n\r\n")
                elif resp.body:
                    self.wfile.write(resp.body)
            except OSError:  # the client hung up (e.g. it stopped at its size cap)
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

        def do_HEAD(self) -> None:  # noqa: N802
            self._handle("HEAD")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

    return Handler
