"""The serving half of the small per-shape portal sets (homes9 onwards): one threaded HTTP
server per portal on its own ephemeral 127.0.0.1 port, each request answered by the set's own
`respond` (which also records what the server saw, in the shape that set's tests read).

Kept apart from the portals' content so a new shape writes only what its pages say and how it
answers, not another copy of the socket plumbing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Page:
    body: bytes
    ctype: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


# (the request handler, its method, its body) -> (status, what to send)
Respond = Callable[[BaseHTTPRequestHandler, str, bytes], tuple[int, Page]]


def handler(respond: Respond, methods: tuple[str, ...] = ("GET", "HEAD", "POST")) -> type[BaseHTTPRequestHandler]:
    """A quiet handler class answering `methods` through `respond` (others get http.server's 501,
    as a portal that never took a POST did)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def handle_any(self, method: str) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size) if size else b""
            status, page = respond(self, method, body)
            self.send_response(status)
            self.send_header("Content-Type", page.ctype)
            self.send_header("Content-Length", str(len(page.body)))
            for key, value in page.headers:
                self.send_header(key, value)
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(page.body)

    for method in methods:
        setattr(Handler, f"do_{method}", lambda self, method=method: self.handle_any(method))
    return Handler


def plain_server(site: str, handler_class: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    return server


@contextmanager
def serving(handlers: dict[str, type[BaseHTTPRequestHandler]],
            make_server: Callable[[str, type[BaseHTTPRequestHandler]], ThreadingHTTPServer] = plain_server,
            ) -> Iterator[dict[str, int]]:
    """Every site's server running (ephemeral ports) until the block ends; yields site -> port."""
    servers: dict[str, ThreadingHTTPServer] = {}
    try:
        for site, handler_class in handlers.items():
            server = make_server(site, handler_class)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[site] = server
        yield {site: server.server_address[1] for site, server in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


class ServedShapes:
    """A shape set whose sites are served one threaded server each: `start()` binds every site of
    SITE_IDS, records its base URL in `bases`, then builds the pages (which link those URLs).

    The sets differ in their pages and answers (`build`, `responder`), not in how they are served."""

    SITE_IDS: Sequence[str] = ()
    METHODS: tuple[str, ...] = ("GET", "HEAD")
    bases: dict[str, str]

    def __init__(self) -> None:
        """Per site: its pages (path -> Page) and what its server saw (`saw`); `bases` once bound."""
        super().__init__()
        self.pages: dict[str, dict[str, Page]] = {sid: {} for sid in self.SITE_IDS}
        self.requests: dict[str, list[tuple]] = {sid: [] for sid in self.SITE_IDS}
        self.bases = {}
        self._lock = threading.Lock()

    def saw(self, site: str, entry: tuple) -> None:
        """Log a request (in the shape the set's tests read) from a server thread."""
        with self._lock:
            self.requests[site].append(entry)

    def responder(self, site: str) -> Respond:
        raise NotImplementedError

    def build(self) -> None:
        raise NotImplementedError

    def bound(self) -> None:
        """Called once every site has its port, before the pages are built (a set may add a site
        no server answers)."""

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Self]:
        shapes = cls()
        with serving({sid: handler(shapes.responder(sid), cls.METHODS) for sid in cls.SITE_IDS}) as ports:
            shapes.bases.update({sid: f"http://127.0.0.1:{port}" for sid, port in ports.items()})
            shapes.bound()
            shapes.build()
            yield shapes
