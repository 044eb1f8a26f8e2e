"""The researchers' Datasette, checked over HTTP the way a reader uses it.

One archive for the module: the replica portals (faults portal included) crawled, the faults portal
republishing its corrected 2024 report (set_version(2)) and crawled again, then parsed; Datasette
runs over it as `nianbao serve` does.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from urllib.parse import urlencode

import pytest
import yaml
from bs4 import BeautifulSoup

from archive import serve
from archive.reparse import reparse_all
from crawler.run import crawl
from tests.portal.server import Replica

FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING", "DOWNLOAD_MAXSIZE": 1024 * 1024,
        "NIANBAO_CHALLENGE_WAIT_MS": 3000}
FIXED = "青石县公安局"  # the faults portal's agency: 2023 report, and a 2024 report corrected in place


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, Message, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    data = tmp_path_factory.mktemp("datasette-views")
    with Replica.start(faults=True) as rep:
        registry = rep.write_sources(data / "sources.yaml", include_faults=True)
        crawl(data, sources_path=registry, settings=FAST)
        rep.set_version(2)
        crawl(data, sources_path=registry, settings=FAST, only=["faults"])
    reparse_all(data)
    port = free_port()
    proc = serve.start(data, port=port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                fetch(base + "/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("datasette did not start") from None
                time.sleep(0.2)
        yield {"base": base, "data": data}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def html(site: dict, path: str) -> BeautifulSoup:
    status, _, body = fetch(site["base"] + path)
    assert status == 200, path
    return BeautifulSoup(body.decode("utf-8"), "html.parser")


def jget(site: dict, path: str):
    status, _, body = fetch(site["base"] + path)
    assert status == 200, (path, body[:300])
    return json.loads(body)


def rows(site: dict, table_or_query: str, **params) -> list[dict]:
    return jget(site, f"/nianbao/{table_or_query}.json?" + urlencode({**params, "_shape": "array"}))


def db(site: dict) -> sqlite3.Connection:
    conn = sqlite3.connect(site["data"] / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def blob(site: dict, sha256: str) -> bytes:
    return (site["data"] / "blobs" / "sha256" / sha256[:2] / sha256[2:4] / sha256).read_bytes()


def report_id(site: dict, agency: str, year: int, revision: int | None = None) -> str:
    found = rows(site, "reports", agency=agency, year=year)
    if revision is None:
        found = [r for r in found if r["is_latest"] == 1]
    else:
        found = [r for r in found if r["revision"] == revision]
    assert len(found) == 1, found
    return found[0]["id"]


# ---------------------------------------------------------------- report page and snapshots

def test_report_page_number_links_to_the_archived_document(site: dict) -> None:
    rid = report_id(site, "聊城市公安局", 2024)
    page = html(site, f"/-/report/{rid}")
    cell = page.find(id="cell-applications-new_received-total")
    assert cell.get_text(strip=True) == "36"
    href = cell.find("a")["href"]
    assert href.startswith("/-/snapshot/")
    status, headers, body = fetch(site["base"] + href)
    assert status == 200
    snap = rows(site, "snapshots", id=href.rsplit("/", 1)[1])[0]
    assert body == blob(site, snap["sha256"]) and hashlib.sha256(body).hexdigest() == snap["sha256"]
    assert headers["content-type"].startswith(snap["content_type"]) and body.startswith(b"%PDF")
    # the bytes are the report's attachment, the document the crawler discovered
    assert rows(site, "documents", url=snap["url"])[0]["kind"] == "attachment"


def test_report_page_uses_the_template_labels(site: dict) -> None:
    text = html(site, f"/-/report/{report_id(site, '聊城市公安局', 2024)}").get_text()
    for label in ("表二 主动公开政府信息情况", "行政规范性文件", "本年制发件数", "表三", "一、本年新收政府信息公开申请数量",
                  "四、结转下年度继续办理", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                  "法律服务机构", "表四", "行政复议", "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结",
                  "一、总体情况", "五、存在的主要问题及改进情况"):
        assert label in text, label
    assert "聊城市" in text and "山东省" in text  # agency metadata


def test_cells_in_a_finding_are_highlighted_with_its_message(site: dict) -> None:
    rid = report_id(site, "聊城市公安局", 2024)
    findings = rows(site, "findings", report_id=rid)
    assert findings
    page = html(site, f"/-/report/{rid}")
    for f in findings:
        for key in json.loads(f["cells"]):
            td = page.find(id="cell-" + key.replace(".", "-"))
            assert "flagged" in td["class"] and f["message"] in td["title"]
    untouched = page.find(id="cell-applications-new_received-total")
    assert "flagged" not in untouched["class"]


def test_snapshot_provenance_page(site: dict) -> None:
    snap = rows(site, "snapshots", _sort="id", _size=1)[0]
    text = html(site, f"/-/snapshot/{snap['id']}/info").get_text()
    for value in (snap["url"], snap["fetched_at"], snap["sha256"], snap["warc_file"], str(snap["warc_offset"])):
        assert value in text
    assert fetch(site["base"] + "/-/snapshot/999999")[0] == 404


def test_archived_html_cannot_run_scripts_here(site: dict) -> None:
    snap = rows(site, "snapshots", content_type__startswith="text/html", _size=1)[0]
    status, headers, _ = fetch(site["base"] + f"/-/snapshot/{snap['id']}")
    assert status == 200 and headers["content-security-policy"] == "sandbox"


# ---------------------------------------------------------------- diffs

def test_revision_diff_shows_the_corrected_cell(site: dict) -> None:
    old, new = report_id(site, FIXED, 2024, revision=1), report_id(site, FIXED, 2024, revision=2)
    page = html(site, f"/-/report/{new}")
    assert page.find("a", href=f"/-/report/{old}")  # link to the earlier revision
    assert page.find("a", href=f"/-/diff?a={old}&b={new}")
    result = jget(site, f"/-/diff.json?a={old}&b={new}")
    changed = [c for c in result["changes"] if c["status"] != "same"]
    assert len(changed) == 1
    c = changed[0]
    assert c["change"] == c["after"] - c["before"] and c["change"] != 0
    old_bytes, new_bytes = (blob(site, rows(site, "snapshots", id=s)[0]["sha256"])
                            for s in (c["before_snapshot"], c["after_snapshot"]))
    assert str(c["after"]).encode() in new_bytes and str(c["after"]).encode() not in old_bytes
    text = html(site, f"/-/diff?a={old}&b={new}").get_text()
    assert "版本对比" in text and c["label"] in text


def test_year_over_year_diff_every_cell_biggest_change_first(site: dict) -> None:
    result = jget(site, "/-/diff.json?" + urlencode({"agency": FIXED, "from": 2023, "to": 2024}))
    a, b = result["sides"]
    assert (a["year"], b["year"], b["is_latest"]) == (2023, 2024, 1)
    cells = {r["id"]: rows(site, "cells", report_id=r["id"], _size="max") for r in (a, b)}
    keys = {(c["table"], c["row"], c["col"]) for side in cells.values() for c in side}
    assert len(result["changes"]) == len(keys)
    changed = [c for c in result["changes"] if c["status"] == "changed"]
    assert changed and [abs(c["change"]) for c in changed] == sorted((abs(c["change"]) for c in changed), reverse=True)
    before = {(c["table"], c["row"], c["col"]): c["value"] for c in cells[a["id"]]}
    for c in changed:
        assert before[(c["table"], c["row"], c["col"])] == c["before"]
        if c["before"]:
            assert c["pct"] == pytest.approx(100 * c["change"] / c["before"], abs=0.01)
    page = html(site, "/-/diff?" + urlencode({"agency": FIXED, "from": 2023, "to": 2024}))
    first_row = page.select("table.diff tr")[1].get_text(" ", strip=True)
    assert changed[0]["label"] in first_row


def test_diff_of_unknown_year_says_so(site: dict) -> None:
    result = jget(site, "/-/diff.json?" + urlencode({"agency": FIXED, "from": 2001, "to": 2024}))
    assert result["error"] and "2001" in result["error"] and result["changes"] == []


# ---------------------------------------------------------------- completeness

def test_completeness_page_marks_found_years(site: dict) -> None:
    page = html(site, "/-/completeness")
    cells = {(td["data-source"], int(td["data-year"])): td for td in page.select("td[data-status]")}
    conn = db(site)
    sources = {r[0] for r in conn.execute("SELECT source_id FROM crawl_run_sources")}
    assert {s for s, _ in cells} == sources
    parsed = {(r[0], r[1]) for r in conn.execute(
        "SELECT d.source_id, r.year FROM reports r JOIN documents d ON d.id = r.document_id")}
    assert ("sd-liaocheng-police", 2024) in parsed and ("faults", 2023) in parsed
    for key, td in cells.items():
        assert td["data-status"] == ("parsed" if key in parsed else "missing"), key
    assert cells[("sd-liaocheng-police", 2024)].find("a")["href"].startswith("/-/report/")
    assert min(y for _, y in cells) == 2019
    matrix = rows(site, "completeness_matrix", first_year="", last_year="")
    assert {(r["source_id"], r["year"]) for r in matrix if r["status"] == "parsed"} == parsed


# ---------------------------------------------------------------- findings and reviews

def test_findings_view_links_to_the_report_cell(site: dict) -> None:
    page = html(site, "/-/findings")
    links = [a["href"] for a in page.select("table.findings a[href^='/-/report/']")]
    assert links and all("#cell-" in h for h in links)
    rid, anchor = links[0].split("/-/report/")[1].split("#")
    assert html(site, f"/-/report/{rid}").find(id=anchor) is not None


def test_posted_review_survives_a_reparse(site: dict) -> None:
    finding = jget(site, "/-/findings.json")[0]
    body = json.dumps({"finding_key": finding["finding_key"], "verdict": "source-error",
                       "note": "原表总计印错", "reviewer": "test"}).encode()
    status, _, resp = fetch(site["base"] + "/-/review", body, {"content-type": "application/json"})
    assert status == 200 and json.loads(resp)["ok"]
    reparse_all(site["data"])  # drops and rebuilds findings: new rowids
    after = {f["finding_key"]: f for f in jget(site, "/-/findings.json")}
    f = after[finding["finding_key"]]
    assert (f["verdict"], f["note"], f["message"]) == ("source-error", "原表总计印错", finding["message"])
    assert [r["verdict"] for r in rows(site, "findings_with_reviews", latest="1", agency="", verdict="source-error")
            if r["finding_key"] == finding["finding_key"]] == ["source-error"]


def test_bad_review_is_refused(site: dict) -> None:
    key = jget(site, "/-/findings.json")[0]["finding_key"]
    for payload in ({"finding_key": key, "verdict": "maybe"}, {"finding_key": "nope", "verdict": "ok"}):
        status, _, _ = fetch(site["base"] + "/-/review", json.dumps(payload).encode(),
                             {"content-type": "application/json"})
        assert status == 400
    # a form post without the page's CSRF token is refused
    status, _, _ = fetch(site["base"] + "/-/review", urlencode({"finding_key": key, "verdict": "ok"}).encode(),
                         {"content-type": "application/x-www-form-urlencoded"})
    assert status == 403


# ---------------------------------------------------------------- rates and schema docs

def test_rates_per_report_and_by_province(site: dict) -> None:
    r = rows(site, "rates_per_report", agency="聊城市公安局", year="2024", province="")[0]
    cells = {(c["row"], c["col"]): c["value"] for c in rows(site, "cells", report_id=report_id(site, "聊城市公安局", 2024),
                                                             table="applications", _size="max")}
    processed = cells[("total_processed", "total")]
    assert r["grant_rate"] == round((cells[("granted", "total")] + cells[("partially_granted", "total")]) / processed, 3)
    legal = sum(cells[("new_received", c)] for c in ("commercial", "research", "social_welfare", "legal_services",
                                                       "other_org"))
    assert r["legal_person_share"] == round(legal / cells[("new_received", "total")], 3)
    assert r["natural_person_share"] == round(cells[("new_received", "natural_person")]
                                              / cells[("new_received", "total")], 3)
    per = [x for x in rows(site, "rates_per_report", agency="", year="", province="山东省")]
    grouped = {g["grp"]: g for g in rows(site, "rates_by_group", by="province", year="")}
    sd = grouped["山东省"]
    assert sd["reports"] == len(per)
    assert sd["total_processed"] == sum(x["total_processed_total"] for x in per)
    assert sd["review_rate"] == round(sum(x["review_total"] for x in per) / sd["total_processed"], 3)
    assert {g["grp"] for g in rows(site, "rates_by_group", by="year", year="")} >= {"2023", "2024"}


def test_every_table_and_column_is_described(site: dict) -> None:
    meta = yaml.safe_load((serve.METADATA).read_text(encoding="utf-8"))["databases"]["nianbao"]["tables"]
    conn = db(site)
    shadow = ("_config", "_data", "_docsize", "_idx", "_content")
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r[0].endswith(shadow)]
    for table in tables:
        assert meta.get(table, {}).get("description"), table
        described = meta[table].get("columns") or {}
        for col in (r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")):
            assert described.get(col), f"{table}.{col}"
    # and the description reaches the reader
    assert "核查人对勾稽问题的结论" in html(site, "/nianbao/finding_reviews").get_text()


def test_pages_linked_from_the_menu(site: dict) -> None:
    for path in ("/-/completeness", "/-/findings", "/-/diff"):
        assert fetch(site["base"] + path)[0] == 200
    home = fetch(site["base"] + "/")[2].decode()
    assert 'href="/-/completeness"' in home and 'href="/-/findings"' in home


def test_review_form_with_its_csrf_token_is_saved(site: dict) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(site["base"] + "/-/findings", timeout=30) as resp:
        page = BeautifulSoup(resp.read().decode("utf-8"), "html.parser")
    form = page.select_one("table.findings form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    fields.update(verdict="parser-error", note="表格列错位", reviewer="form")
    with opener.open(site["base"] + "/-/review", urlencode(fields).encode(), timeout=30) as resp:
        assert resp.status == 200 and resp.url.split("#")[0].endswith("/-/findings")
    saved = {f["finding_key"]: f for f in jget(site, "/-/findings.json")}[fields["finding_key"]]
    assert (saved["verdict"], saved["note"], saved["reviewer"]) == ("parser-error", "表格列错位", "form")


def test_inferred_cell_is_marked(site: dict) -> None:
    rid = report_id(site, "周口市公安局", 2024)
    conn = db(site)
    with conn:  # as the parser records a cell it filled from an identity
        conn.execute("UPDATE cells SET inferred = 1 WHERE report_id = ? AND \"table\" = 'applications'"
                     " AND \"row\" = 'carried_forward' AND col = 'total'", (rid,))
    page = html(site, f"/-/report/{rid}")
    td = page.find(id="cell-applications-carried_forward-total")
    assert "inferred" in td["class"] and "推算" in td["title"]
    assert "inferred" not in page.find(id="cell-applications-new_received-total")["class"]


def test_tables_and_queries_link_to_report_pages(site: dict) -> None:
    page = html(site, "/nianbao/findings_to_review?agency=")
    assert page.select("td.col-report_id a[href^='/-/report/']")
    page = html(site, "/nianbao/cells?_size=1")
    assert page.select("td.col-snapshot_id a[href^='/-/snapshot/']")
