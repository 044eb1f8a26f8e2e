"""A small archive shaped like a big one: many bodies, several years each, two bodies of one name.

What the scale examination found breaks only where rows tie (a year shared by many reports), where a
word is in every report, where a result outgrows one page, and where two places have a body of the
same name (市中区 of 济南 and of 枣庄).  This archive has all of that at test size: 10 bodies × 4
years of HTML reports rendered from seed 000 (tests/portal/render.py), the numbers varied per body
and chained across years so every identity holds (identity 5 included, body by body).  The pages
are recorded as a crawl records them (Archive.record), the registry is written as a YAML file, and
`reparse_all` parses them like `nianbao parse`.
"""

from __future__ import annotations

import copy
import html
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.reparse import reparse_all
from archive.store import Archive
from tests.portal import render
from tests.portal.seeds import load_seeds
from tests.support.responses import put_response

SITE = "http://127.0.0.1:9"
YEARS = (2021, 2022, 2023, 2024)
COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
OUTCOMES = ("granted", "partially_granted", "denied_state_secret", "denied_prohibited_by_law",
            "denied_three_securities", "denied_third_party", "denied_internal_affairs", "denied_process_info",
            "denied_enforcement_files", "denied_admin_query", "unavailable_not_held", "unavailable_needs_creation",
            "unavailable_unclear", "not_processed_petition", "not_processed_duplicate", "not_processed_publication",
            "not_processed_excessive", "not_processed_confirmation", "other_overdue_correction", "other_unpaid_fee",
            "other_other")
SAME_NAME = "市中区人民政府"  # a county-level district of both 济南市 and 枣庄市


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    city: str
    county: str


BODIES = (
    Body("jn-lixia", "历下区人民政府", "济南市", "历下区"),
    Body("jn-shizhong", SAME_NAME, "济南市", "市中区"),
    Body("jn-huaiyin", "槐荫区人民政府", "济南市", "槐荫区"),
    Body("jn-tianqiao", "天桥区人民政府", "济南市", "天桥区"),
    Body("jn-licheng", "历城区人民政府", "济南市", "历城区"),
    Body("zz-shizhong", SAME_NAME, "枣庄市", "市中区"),
    Body("zz-xuecheng", "薛城区人民政府", "枣庄市", "薛城区"),
    Body("zz-yicheng", "峄城区人民政府", "枣庄市", "峄城区"),
    Body("zz-taierzhuang", "台儿庄区人民政府", "枣庄市", "台儿庄区"),
    Body("zz-shanting", "山亭区人民政府", "枣庄市", "山亭区"),
)


def record(rng: random.Random, agency: str, year: int, carried_over: dict[str, int]) -> tuple[dict, dict[str, int]]:
    """A record whose identities 1-4 hold; `carried_over` is last year's 结转下年度 (identity 5)."""
    rec = copy.deepcopy(load_seeds()[0].record)
    rec["agency"], rec["year"], rec["template"] = agency, year, "2021"
    apps: dict[str, dict[str, int]] = {k: {} for k in ("new_received", "carried_over", *OUTCOMES,
                                                      "total_processed", "carried_forward")}
    forward = {}
    for col in COLS:
        big = col in ("natural_person", "commercial")
        values = {o: rng.choice((0, 0, 1, 2, 5, 12) if big else (0, 0, 0, 1)) for o in OUTCOMES}
        for o in OUTCOMES:
            apps[o][col] = values[o]
        processed = sum(values.values())
        before = carried_over.get(col, 0)
        after = rng.choice((0, 1, 3, 4)) if big else 0
        new = processed + after - before
        if new < 0:
            after, new = after - new, 0
        apps["new_received"][col], apps["carried_over"][col] = new, before
        apps["total_processed"][col], apps["carried_forward"][col] = processed, after
        forward[col] = after
    for row in apps.values():
        row["total"] = sum(row[c] for c in COLS)
    rec["applications"] = apps
    return rec, forward


def narrative(rec: dict, name: str) -> str:
    apps = rec["applications"]
    return "\n".join([
        f"本报告由{name}编制，统计期限自{rec['year']}年1月1日起至{rec['year']}年12月31日止。",
        "一、总体情况",
        f"{rec['year']}年，{name}持续深化政务公开，全年共收到政府信息公开申请{apps['new_received']['total']}件。",
        "行政复议方面，依法办理因政府信息公开引起的行政复议案件。",
        "五、存在的主要问题及改进情况",
        f"下一步，{name}将加强培训。",
    ])


def registry(bodies: tuple[Body, ...] = BODIES) -> list[dict]:
    return [{"id": b.id, "name": b.name, "level": "county", "kind": "government",
             "region": {"province": "山东省", "city": b.city, "county": b.county}, "family": "trs",
             "start_urls": [f"{SITE}/{b.id}/index.html"]} for b in bodies]


def build(root: Path, bodies: tuple[Body, ...] = BODIES, broken: tuple[tuple[str, int], ...] = ()) -> dict:
    """Archive and parse the reports under `root`; returns {(body id, year): carried_forward total}.

    `broken` (body id, year): that report prints 5 more 上年结转 (natural persons and total) than its
    body's report of the year before carried forward, so identity 5 must flag it (and 1-3 as well)."""
    arc = Archive(root)
    arc.start_run("test", [b.id for b in bodies])
    forwards = {}
    for i, body in enumerate(bodies):
        rng = random.Random(i)
        forward: dict[str, int] = {}
        for year in YEARS:
            rec, forward = record(rng, body.name, year, forward)
            forwards[(body.id, year)] = rec["applications"]["carried_forward"]["total"]
            if (body.id, year) in broken:
                for col in ("natural_person", "total"):
                    rec["applications"]["carried_over"][col] += 5
            title = f"{body.name}{year}年政府信息公开工作年度报告"
            page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
                    f"<body><h1>{html.escape(title)}</h1>{render.report_body_html(rec, narrative(rec, body.name))}"
                    "</body></html>")
            url = f"{SITE}/{body.id}/{year}.html"
            arc.record_document(body.id, url, "report", title=title, year=year, agency=body.name)
            put_response(arc, url, page.encode("utf-8"), f"{year + 1}-02-01T00:00:00Z", "text/html; charset=utf-8",
                         source_id=body.id)
    path = root / "sources.yaml"
    path.write_text(yaml.safe_dump(registry(bodies), allow_unicode=True, sort_keys=False), encoding="utf-8")
    reparse_all(root, sources=path)
    return forwards
