"""A county's 年报 column holding what is not one body's one report (served by a small server of its own,
`ShapesBundles.start()`, tests/portal/serving.py):

- bq-county-gov 碧泉县人民政府, column /zwgk/ndbg/:
  - 碧泉县民政局's 2023 report (a PDF), and later 关于碧泉县民政局2023年…年度报告的更正, an article
    attaching the whole corrected report (other numbers);
  - 碧泉县财政局's 2023 report (a PDF), and later 碧泉县财政局关于2023年…年度报告的更正说明, a page that
    only says which cells changed (no tables);
  - 碧泉县市场监督管理局政府信息公开工作年度报告（2022年、2023年）: one article, one PDF per year;
  - 碧泉县各乡镇（街道）2023年度政府信息公开工作年度报告: one PDF, a cover and two towns' reports, each
    under its own title;
  - 一图读懂碧泉县2023年政府信息公开工作年度报告 and 碧泉县各部门2023年部门预算汇编: look-alikes.

`records` holds each report's record as the site printed it: (body, year, printed where) -> record, the
corrected one under "correction"; `articles` each article's path by its role.
"""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from tests.portal.homes import narrative, renamed_record
from tests.portal.homes9 import SeedBodies, li, make_pdf
from tests.portal.homes16 import page
from tests.portal.render import report_body_html
from tests.portal.serving import Page, ServedShapes

BQ = ("bq-county-gov", "碧泉县人民政府")
MINZHENG, CAIZHENG, SHICHANG = "碧泉县民政局", "碧泉县财政局", "碧泉县市场监督管理局"
TOWNS = ("碧泉县青溪镇人民政府", "碧泉县石门乡人民政府")
FULL = "政府信息公开工作年度报告"


class ShapesBundles(SeedBodies, ServedShapes):
    """The portal: pages built once, one threaded server."""

    SITE_IDS = [BQ[0]]

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[tuple[str, int, str], dict] = {}
        self.articles: dict[str, str] = {}

    def report(self, body: str, year: int, where: str) -> str:
        """One report's HTML body from the next seed, its record kept under (body, year, where)."""
        self._n += 1
        record = renamed_record(self.seeds[self._n % len(self.seeds)], body, year)
        self.records[(body, year, where)] = record
        return report_body_html(record, narrative(body, year))

    def build(self) -> None:
        sid, name = BQ
        pages = self.pages[sid]
        nav = "<a href='/'>首页</a> <a href='/zwgk/'>政务公开</a>"
        pages["/"] = Page(page(name, f"首页_{name}", "<a href='/zwgk/ndbg/'>政府信息公开年度报告</a>", nav))
        rows: list[str] = []

        def article(role: str, path: str, title: str, when: str, content: str) -> None:
            body = (f"<div class='article'><h1>{html.escape(title)}</h1><div class='info'>发布时间：{when} "
                    f"来源：{name}</div><div class='content' id='zoom'>{content}</div></div>")
            pages[path] = Page(page(name, f"{title}_{name}", body, nav))
            self.articles[role] = path
            rows.append(li(path, title, when))

        def pdf(path: str, title: str, body_html: str) -> str:
            pages[path] = Page(make_pdf(title, body_html), "application/pdf")
            return f"<p>附件：<a href='{path}'>{html.escape(title)}.pdf</a></p>"

        t = f"{MINZHENG}2023年{FULL}"
        article("minzheng", "/zwgk/ndbg/202401/t20240118_1.html", t, "2024-01-18",
                "<p>全文见附件。</p>" + pdf("/upload/2024/mz.pdf", t, self.report(MINZHENG, 2023, "report")))
        t = f"关于{MINZHENG}2023年{FULL}的更正"
        article("minzheng_correction", "/zwgk/ndbg/202402/t20240220_2.html", t, "2024-02-20",
                "<p>我局2023年政府信息公开工作年度报告部分数据有误，现将更正后的报告全文公布如下。</p>"
                + pdf("/upload/2024/mz_gz.pdf", f"{MINZHENG}2023年{FULL}",
                      self.report(MINZHENG, 2023, "correction")))
        t = f"{CAIZHENG}2023年{FULL}"
        article("caizheng", "/zwgk/ndbg/202401/t20240119_3.html", t, "2024-01-19",
                "<p>全文见附件。</p>" + pdf("/upload/2024/cz.pdf", t, self.report(CAIZHENG, 2023, "report")))
        t = f"{CAIZHENG}关于2023年{FULL}的更正说明"
        article("caizheng_correction", "/zwgk/ndbg/202403/t20240305_4.html", t, "2024-03-05",
                "<p>经核查，我局2023年政府信息公开工作年度报告第三部分表格中“本年新收政府信息公开申请数量”的"
                "总计数有误，现更正为正确数字。其余内容不变。特此更正。</p>")
        t = f"{SHICHANG}{FULL}（2022年、2023年）"
        article("two_years", "/zwgk/ndbg/202401/t20240120_5.html", t, "2024-01-20",
                "<p>现将我局2022年、2023年政府信息公开工作年度报告予以公布。</p>"
                + pdf("/upload/2024/sc2022.pdf", f"{SHICHANG}2022年{FULL}", self.report(SHICHANG, 2022, "report"))
                + pdf("/upload/2024/sc2023.pdf", f"{SHICHANG}2023年{FULL}", self.report(SHICHANG, 2023, "report")))
        t = f"碧泉县各乡镇（街道）2023年度{FULL}"
        towns = "".join(f"<h2>{html.escape(town)}2023年{FULL}</h2>{self.report(town, 2023, 'compilation')}"
                        for town in TOWNS)
        article("compilation", "/zwgk/ndbg/202402/t20240201_6.html", t, "2024-02-01",
                "<p>全文见附件。</p>" + pdf("/upload/2024/towns.pdf", t, towns))
        article("infographic", "/zwgk/ndbg/202401/t20240125_7.html", f"一图读懂碧泉县2023年{FULL}", "2024-01-25",
                "<p>图解。</p>")
        article("budget", "/zwgk/ndbg/202402/t20240210_8.html", "碧泉县各部门2023年部门预算汇编", "2024-02-10",
                "<p>部门预算。</p>")
        pages["/zwgk/ndbg/"] = Page(page(name, f"政府信息公开年度报告_{name}", "<h2>政府信息公开年度报告</h2>"
                                         f"<ul class='list'>{''.join(reversed(rows))}</ul>", nav))

    # -- serving ---------------------------------------------------------------------------------------
    def responder(self, site: str):
        def respond(request: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, Page]:
            path = urlsplit(request.path).path
            self.saw(site, (method, request.path))
            if path == "/robots.txt":
                return 200, Page(b"User-agent: *\n", "text/plain")
            found = self.pages[site].get(path)
            if found is None:
                return 404, Page(page(BQ[1], "404", "<p>页面不存在</p>"))
            return 200, found
        return respond

    def registry(self) -> list[dict]:
        sid, name = BQ
        return [{"id": sid, "name": name, "level": "county", "kind": "government", "family": "generic",
                 "region": {"province": "岚南省", "city": "青岚市", "county": "碧泉县"},
                 "start_urls": [self.bases[sid] + "/zwgk/ndbg/"], "allowed_domains": ["127.0.0.1"]}]
