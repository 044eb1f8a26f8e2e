"""Golden list/report pages: each tests/fixtures/crawl/x.html sits beside x.expected.json, which says
what the family spider must read from it (items with dates, further list pages, attachments).

The pages are copies of what the replica portal serves (GBK included), taken at a fixed URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler.run import SPIDERS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crawl"
CASES = sorted(FIXTURES.glob("*.expected.json"))


def spider_for(family: str, overrides: dict | None = None):
    source = SimpleNamespace(id="golden", family=family, start_urls=["http://portal.test/"],
                             allowed_domains=["portal.test"], overrides=overrides or {})
    cls = load_object(SPIDERS[family])
    crawler = get_crawler(cls, settings_dict={"NIANBAO_DATA": str(FIXTURES / ".unused")})
    spider = cls(sources=[source], run_id=None)
    spider.crawler = crawler
    spider.settings = crawler.settings
    return spider, source


def load_case(expected_path: Path):
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    html_path = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
    body = html_path.read_bytes()
    request = Request(spec["url"], meta={"source_id": "golden"})
    response = HtmlResponse(spec["url"], body=body, headers=spec.get("headers") or {}, request=request)
    return spec, response


def observed(spec: dict, response: HtmlResponse) -> dict:
    spider, source = spider_for(spec["family"], spec.get("overrides"))
    response = spider.decoded(response)  # overrides.encoding, when a portal's header lies
    out: dict = {}
    if spec.get("kind", "list") == "list":
        out["entries"] = [[e.url, e.title, e.published or spider.published_of(e)]
                          for e in spider.list_entries(response, source)]
        nxt = []
        for req in spider.next_pages(response, source, 1):
            nxt.append(req.url if req.method == "GET" else f"{req.method} {req.url} {req.body.decode()}")
        out["next"] = nxt
    else:
        out["attachments"] = [[url, text] for url, text in spider.attachments(response, source)]
    return out


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_golden_page(expected_path: Path) -> None:
    spec, response = load_case(expected_path)
    got = observed(spec, response)
    for key, value in got.items():
        assert value == spec[key], f"{expected_path.name}: {key} differs"
