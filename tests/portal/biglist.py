"""A 年报 column that is really a general list (`BigList.start()`, one 127.0.0.1 port): /xxgk/ndbg/ is titled
政府信息公开工作年度报告 but lists 3,000 notices (通知公告第N号, each a real page) with the body's one report
last, as a portal's catch-all 信息公开 list under a 年报 title does.  The report is found by its title; the
notices are no report, and fetching them one by one would spend the crawl's page budget.

`truth` lists the one report; `requests` what the server saw: (method, path with query, user agent).
"""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler

from tests.portal.homes9 import SeedBodies, Truth
from tests.portal.homes16 import page
from tests.portal.seeds import Seed, load_seeds
from tests.portal.serving import Page, ServedShapes

BL = ("bl-city-gov", "青岚市人民政府")
NOTICES = 3000
REPORT = "/xxgk/ndbg/202401/t20240125_2023.html"


class BigList(SeedBodies, ServedShapes):
    SITE_IDS = [BL[0]]

    def __init__(self) -> None:
        self.seeds: list[Seed] = load_seeds()
        self.pages: dict[str, Page] = {}
        self.truth: list[Truth] = []
        self.requests: dict[str, list[tuple[str, str, str]]] = {BL[0]: []}
        self.bases: dict[str, str] = {}
        self._n = 0
        self._lock = threading.Lock()

    def build(self) -> None:
        title = f"{BL[1]}2023年政府信息公开工作年度报告"
        items = [f"<li><a href='/xxgk/ndbg/tzgg/{i}.html'>通知公告第{i}号</a><span>2024-01-02</span></li>"
                 for i in range(NOTICES)]
        items.append(f"<li><a href='{REPORT}'>{html.escape(title)}</a><span>2024-01-25</span></li>")
        self.pages["/xxgk/ndbg/"] = Page(page(BL[1], "政府信息公开工作年度报告",
                                              f"<h1>政府信息公开年报</h1><ul class='list'>{''.join(items)}</ul>"))
        self.pages[REPORT] = Page(page(BL[1], title, f"<h1>{html.escape(title)}</h1>"
                                                     f"<div class='info'>发布时间：2024-01-25</div>{self.body(BL[1], 2023)}"))
        self.truth.append(Truth(BL[0], REPORT, 2023, BL[1], "html"))

    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            with self._lock:
                self.requests[site].append((method, request.path, request.headers.get("User-Agent") or ""))
            path = request.path.split("?", 1)[0]
            if path.startswith("/xxgk/ndbg/tzgg/"):
                number = path.rsplit("/", 1)[1].removesuffix(".html")
                return 200, Page(page(BL[1], f"通知公告第{number}号", f"<h1>通知公告第{number}号</h1><p>停水通知。</p>"))
            found = self.pages.get(path)
            return (200, found) if found else (404, Page(b"not found"))
        return respond

    def registry(self) -> list[dict]:
        return [{"id": BL[0], "name": BL[1], "level": "city", "kind": "government", "family": "generic",
                 "region": {"province": "岚南省", "city": "青岚市", "county": None},
                 "start_urls": [self.bases[BL[0]] + "/xxgk/ndbg/"]}]
