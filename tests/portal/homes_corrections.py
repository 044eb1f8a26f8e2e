"""A county department's own 年报 column that corrects its reports at new addresses, over two crawls
(served by a small server of its own, `ShapesCorrections.start()`, tests/portal/serving.py;
`night` says which crawl the server answers):

- bq-jiaotong 碧泉县交通运输局 (registry: 山东省, a fictional city and county), column /xxgk/ndbg/:
  - 2021 report, listed both nights; on night 2 a 更正说明 (its own article) that only says which cell
    changed, without reprinting the report;
  - 2022 report, listed on night 1; on night 2 taken off the list (its page still answers) and posted
    again at a new address as （更正版）, one 表二 number changed (行政许可 处理决定数量);
  - 2023 report, listed both nights; on night 2 关于…2023年…年度报告的更正, an article at a new address
    that says the data were wrong (…数据有误，现予更正) before reprinting the whole report, 行政复议
    维持 and 总计 one less.
- bq-shangwu 碧泉县商务局: a registry entry whose port no server listens on (every request refused).

`records` holds each report as the site printed it: (year, "report" | "corrected") -> record;
`articles` each article's path by its role; `night` is 1 or 2.
"""

from __future__ import annotations

import copy
import html
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from tests.portal.homes import narrative, renamed_record
from tests.portal.homes9 import SeedBodies, li
from tests.portal.homes16 import closed_port, page
from tests.portal.render import report_body_html
from tests.portal.serving import Page, ServedShapes

JT = ("bq-jiaotong", "碧泉县交通运输局")
SW = ("bq-shangwu", "碧泉县商务局")
FULL = "政府信息公开工作年度报告"
REGION = {"province": "山东省", "city": "青岚市", "county": "碧泉县"}
# what each correction changes, as (table, row, col): the reader's diff must show exactly these
CHANGED = {2022: {("active_disclosure", "licensing", "decisions")},
           2023: {("reviews_litigation", "review", "upheld"), ("reviews_litigation", "review", "total")}}
PREAMBLE = "我局2023年政府信息公开工作年度报告部分数据有误，现予更正。更正后的报告全文如下。"


class ShapesCorrections(SeedBodies, ServedShapes):
    """The portal: both nights' pages built once, one threaded server; `night` picks the list."""

    SITE_IDS = [JT[0]]

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[tuple[int, str], dict] = {}
        self.articles: dict[str, str] = {}
        self.night = 1
        self.lists: dict[int, bytes] = {}
        self.later: set[str] = set()  # paths that answer only from night 2 on
        self.dead_port = 0

    def bound(self) -> None:
        self.dead_port = closed_port()

    def record(self, year: int) -> dict:
        """One year's report as first printed (the next seed), and its corrected reprint."""
        self._n += 1
        first = renamed_record(self.seeds[self._n % len(self.seeds)], JT[1], year)
        fixed = copy.deepcopy(first)
        if year == 2022:
            fixed["active_disclosure"]["licensing"]["decisions"] -= 18
        if year == 2023:
            review = fixed["reviews_litigation"]["review"]
            review["upheld"] -= 1
            review["total"] -= 1
        self.records[(year, "report")], self.records[(year, "corrected")] = first, fixed
        return first

    def build(self) -> None:
        sid, name = JT
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/xxgk/'>信息公开</a>"
        pages["/"] = Page(page(name, f"首页_{name}", "<a href='/xxgk/ndbg/'>政府信息公开年度报告</a>", nav))
        rows: dict[str, str] = {}

        def article(role: str, path: str, title: str, when: str, content: str, later: bool = False) -> None:
            body = (f"<div class='article'><h1>{html.escape(title)}</h1><div class='info'>发布时间：{when} "
                    f"来源：{name}</div><div class='content' id='zoom'>{content}</div></div>")
            pages[path] = Page(page(name, f"{title}_{name}", body, nav))
            self.articles[role] = path
            rows[role] = li(path, title, when)
            if later:
                self.later.add(path)

        for year in (2021, 2022, 2023):
            self.record(year)
        body = {key: report_body_html(rec, narrative(JT[1], key[0])) for key, rec in self.records.items()}
        article("2021", "/xxgk/ndbg/202201/t20220125_0901.html", f"{name}2021年{FULL}", "2022-01-25",
                body[(2021, "report")])
        article("2021_note", "/xxgk/ndbg/202202/t20220220_0950.html", f"关于{name}2021年{FULL}的更正说明",
                "2022-02-20", "<p>经核查，我局2021年政府信息公开工作年度报告第二部分表格中“行政处罚”的"
                "处理决定数量有误，现予更正。其余内容不变。特此更正。</p>", later=True)
        article("2022", "/xxgk/ndbg/202301/t20230120_1001.html", f"{name}2022年{FULL}", "2023-01-20",
                body[(2022, "report")])
        article("2022_fixed", "/xxgk/ndbg/202302/t20230215_1100.html", f"{name}2022年{FULL}（更正版）",
                "2023-02-15", body[(2022, "corrected")], later=True)
        article("2023", "/xxgk/ndbg/202401/t20240122_2002.html", f"{name}2023年{FULL}", "2024-01-22",
                body[(2023, "report")])
        article("2023_fixed", "/xxgk/ndbg/202403/t20240310_3100.html", f"关于{name}2023年{FULL}的更正",
                "2024-03-10", f"<p>{PREAMBLE}</p>" + body[(2023, "corrected")], later=True)
        listed = {1: ["2023", "2022", "2021"], 2: ["2023_fixed", "2023", "2022_fixed", "2021_note", "2021"]}
        for night, roles in listed.items():
            self.lists[night] = page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                     f"<ul class='list'>{''.join(rows[r] for r in roles)}</ul>", nav)

    # -- serving ---------------------------------------------------------------------------------------
    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            path = urlsplit(request.path).path
            self.saw(site, (self.night, method, request.path))
            if path == "/robots.txt":
                return 200, Page(b"User-agent: *\n", "text/plain")
            if path == "/xxgk/ndbg/":
                return 200, Page(self.lists[self.night])
            found = self.pages[site].get(path)
            if found is None or (path in self.later and self.night < 2):
                return 404, Page(page(JT[1], "404", "<p>页面不存在</p>"))
            return 200, found
        return respond

    def registry(self) -> list[dict]:
        sid, name = JT
        return [{"id": sid, "name": name, "level": "county", "kind": "department", "family": "generic",
                 "region": REGION, "first_year": 2021,
                 "start_urls": [self.bases[sid] + "/xxgk/ndbg/"], "allowed_domains": ["127.0.0.1"]},
                {"id": SW[0], "name": SW[1], "level": "county", "kind": "department", "family": "generic",
                 "region": REGION, "first_year": 2021,
                 "start_urls": [f"http://127.0.0.1:{self.dead_port}/xxgk/ndbg/"], "allowed_domains": ["127.0.0.1"]}]
