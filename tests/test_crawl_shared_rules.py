"""Rules the crawler writes once and several places read: the host rule of the offsite notes and the
spiders, the hash-route test in Python and in chromium, the per-document link memo, the issuing-body
label, the lazy-picture attributes the crawler and the re-parse share, and a light `parsers` import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import lxml.html
from scrapy.http import HtmlResponse

from archive import parts
from crawler.middlewares import allowed_host, under_domains
from crawler.spiders import base
from crawler.spiders.browser import CLICK_FIND_JS, PAGER_INIT_JS
from crawler.spiders.generic import GenericSpider
from crawler.spiders.links import HASH_ROUTE_JS, HASH_ROUTE_RE, hash_route, link_text, page_links
from crawler.spiders.owners import issuing_body

ROOT = Path(__file__).resolve().parent.parent


def test_one_domain_rule_for_offsite_notes_and_the_spiders_hosts() -> None:
    """A listed domain covers itself and its subdomains, nothing that only ends with its letters;
    the offsite note (`allowed_host`) and the spider's `on_site` answer alike."""
    source = SimpleNamespace(id="s", family="generic", start_urls=["http://www.a.gov.cn/"],
                             allowed_domains=["a.gov.cn"], overrides={})
    spider = GenericSpider(sources=[source])
    for host, expected in (("a.gov.cn", True), ("xxgk.a.gov.cn", True), ("deep.x.a.gov.cn", True),
                           ("ba.gov.cn", False), ("a.gov.cn.evil.com", False)):
        assert under_domains(host, ["a.gov.cn"]) is expected
        assert allowed_host(host, ["a.gov.cn"]) is expected
        assert spider.on_site(f"http://{host}/x.html", source) is expected, host
    assert allowed_host("anywhere.com", []) and not under_domains("anywhere.com", [])


def test_hash_routes_read_alike_in_python_and_in_chromium() -> None:
    """The render scripts test hrefs with the same regex as `hash_route`: rows linking #/detail?id=7
    are links in both, an anchor (#top) or javascript: in neither."""
    from playwright.sync_api import sync_playwright

    hrefs = ["#/detail?id=7", "#!/list/34", "#/", "#top", "#", "javascript:void(0)", "/xxgk/#/x", "#/-a"]
    assert "HASH_ROUTE_JS" not in PAGER_INIT_JS + CLICK_FIND_JS
    assert HASH_ROUTE_JS in PAGER_INIT_JS and HASH_ROUTE_JS in CLICK_FIND_JS
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            in_browser = page.evaluate(f"(hrefs) => hrefs.map(h => {HASH_ROUTE_JS}.test(h))", hrefs)
        finally:
            browser.close()
    assert in_browser == [bool(HASH_ROUTE_RE.match(h)) for h in hrefs]
    assert [hash_route("http://h/xxgk/" + h) for h in hrefs[:4]] == [True, True, False, False]


def _page(url: str, links: str) -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body><ul>{links}</ul></body></html>".encode(), encoding="utf-8")


def test_link_memo_keeps_each_document_apart() -> None:
    """Two pages read in turn (another source's callback between) keep their own links and texts."""
    one = _page("http://h/1.html", '<li><a href="a.html">甲县2024年政府信息公开工作年度报告</a></li>')
    two = _page("http://h/2.html", '<li><a href="b.html">乙县2023年政府信息公开工作年度报告</a></li>'
                '<li><a href="c.html">下载</a><span>乙县2022年度报告</span></li>')
    for _ in range(2):
        assert [link_text(a) for a in page_links(one)] == ["甲县2024年政府信息公开工作年度报告"]
        assert [link_text(a) for a in page_links(two)][0] == "乙县2023年政府信息公开工作年度报告"
    memo, made = base.DocumentMemo(2), []
    keys = [object(), object(), object()]
    for key in (keys[0], keys[1], keys[0], keys[2], keys[0]):
        memo.get(key, lambda k=key: made.append(k) or len(made))
    # the two newest made are kept, however recently an older one was read
    assert made == [keys[0], keys[1], keys[2], keys[0]]
    assert memo.get(keys[2], lambda: "again") == 3 and memo.get(keys[1], lambda: "again") == "again"


def test_issuing_body_label_alone_or_with_the_body() -> None:
    for html in ("<table><tr><td>公开机构</td><td>山河资源部</td></tr></table>",
                 "<p><span>公开机构：山河资源部</span></p>", "<p><span>发文机关:山河资源部</span></p>"):
        page = HtmlResponse("http://h/a.html", body=f"<html><body>{html}</body></html>".encode(), encoding="utf-8")
        assert issuing_body(page) == "山河资源部", html


def test_crawler_and_reparse_read_lazy_pictures_alike() -> None:
    """The crawler fetches the picture a lazy loader names; the re-parse places that same picture."""
    tag = '<img src="/images/loading.gif" data-original="/u/2024/scan1.png" alt="第1页">'
    img = HtmlResponse("http://h/a.html", body=f"<html><body>{tag}</body></html>".encode(), encoding="utf-8").css("img")[0]
    assert base.LAZY_SRC is parts.LAZY_SRC
    assert base.content_image_src(img) == parts.picture_src(lxml.html.fromstring(tag)) == "/u/2024/scan1.png"


def test_one_parsers_module_is_imported_without_the_parser_stack() -> None:
    """The crawler's `from parsers import divisions` loads the division list, not the extractors and
    the core parser; the package's public names still load on first use."""
    code = ("import sys; from parsers import divisions; "
            "print(sorted(m for m in sys.modules if m.startswith('parsers')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['parsers', 'parsers.divisions']"
    code = ("import parsers; from parsers import ParseError, parse_bytes; "
            "print(parsers.parse_text.__module__, parse_bytes.__module__, ParseError.__module__)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["parsers.textparse", "parsers.extract", "parsers.errors"]
