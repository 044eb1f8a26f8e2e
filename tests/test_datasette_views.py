"""The researchers' Datasette, checked over HTTP the way a reader uses it.

One archive for the module: the replica portals (faults portal included) crawled, the faults portal
republishing its corrected 2024 report (set_version(2)) and crawled again, then parsed; Datasette
runs over it as `nianbao serve` does.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import sqlite3
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
from tests.support.datasette import served

FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_MAX_DELAY": 0.5,
        "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "WARNING", "DOWNLOAD_MAXSIZE": 1024 * 1024,
        "NIANBAO_CHALLENGE_WAIT_MS": 3000}
FIXED = "青石县公安局"  # the faults portal's agency: 2023 report, and a 2024 report corrected in place


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
    with served(data) as base:
        yield {"base": base, "data": data}


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
    href = cell.find("a")["href"].split("#")[0]  # a PDF cell may link to its page: #page=N
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
    for label in ("二、主动公开政府信息情况", "行政规范性文件", "本年制发件数", "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量",
                  "四、结转下年度继续办理", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                  "法律服务机构", "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结",
                  "一、总体情况", "五、存在的主要问题及改进情况"):
        assert label in text, label
    assert "聊城市" in text and "山东省" in text  # agency metadata


def test_report_page_follows_the_templates_order_and_groups(site: dict) -> None:
    page = html(site, f"/-/report/{report_id(site, '聊城市公安局', 2024)}")
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    order = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
    assert [h for h in headings if h in order] == order
    blocks = [th.get_text() for th in page.select("th.block")]
    assert blocks == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    # table 3: a numbered item sits under its group's spanning label, e.g. 2.重复申请 under （五）不予处理
    duplicate = page.find(id="cell-applications-not_processed_duplicate-total").find_parent("tr")
    rows = duplicate.find_parent("table").find_all("tr")
    at = rows.index(duplicate)
    spanning = {td.get_text(strip=True): (i, int(td.get("rowspan", 1))) for i, tr in enumerate(rows)
                for td in tr.select("td.group")}
    for group in ("三、本年度办理结果", "（五）不予处理"):
        first, span = spanning[group]
        assert first <= at < first + span, group
    assert duplicate.select("td.rowlabel")[-1].get_text(strip=True) == "2.重复申请"


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
    # which reading is which: each side's fetch time (and publication date when printed) beside its revision
    for side in result["sides"]:
        fetched = rows(site, "snapshots", id=side["snapshot_id"])[0]["fetched_at"]
        assert side["fetched_at"] == fetched and f"r{side['revision']}" in text and fetched in text


def test_year_over_year_diff_every_cell_biggest_relative_change_first(site: dict) -> None:
    result = jget(site, "/-/diff.json?" + urlencode({"agency": FIXED, "from": 2023, "to": 2024}))
    a, b = result["sides"]
    assert (a["year"], b["year"], b["is_latest"]) == (2023, 2024, 1)
    cells = {r["id"]: rows(site, "cells", report_id=r["id"], _size="max") for r in (a, b)}
    keys = {(c["table"], c["row"], c["col"]) for side in cells.values() for c in side}
    assert len(result["changes"]) == len(keys)
    changed = [c for c in result["changes"] if c["status"] == "changed"]

    def relative(c: dict) -> float:  # a change from 0 is the largest
        return abs(c["pct"]) if c["pct"] is not None else float("inf")
    assert changed and [relative(c) for c in changed] == sorted(map(relative, changed), reverse=True)
    before = {(c["table"], c["row"], c["col"]): c["value"] for c in cells[a["id"]]}
    for c in changed:
        assert before[(c["table"], c["row"], c["col"])] == c["before"]
        if c["before"]:
            assert c["pct"] == pytest.approx(100 * c["change"] / c["before"], abs=0.01)
    page = html(site, "/-/diff?" + urlencode({"agency": FIXED, "from": 2023, "to": 2024}))
    first_row = page.select("table.diff tr")[1].get_text(" ", strip=True)
    assert changed[0]["label"] in first_row


def test_diff_of_unknown_year_says_so(site: dict) -> None:
    status, _, body = fetch(site["base"] + "/-/diff.json?" + urlencode({"agency": FIXED, "from": 2001, "to": 2024}))
    result = json.loads(body)
    assert status == 404 and result["error"] and "2001" in result["error"] and result["changes"] == []


# ---------------------------------------------------------------- completeness

def test_completeness_page_marks_found_years(site: dict) -> None:
    page = html(site, "/-/completeness")
    cells = {(td["data-source"], int(td["data-year"])): td for td in page.select("td[data-status]")}
    conn = db(site)
    sources = {r[0] for r in conn.execute("SELECT source_id FROM crawl_run_sources")}
    assert {s for s, _ in cells} == sources
    # a cell is about the registered body's own reports (the replica's agencies are written in full)
    parsed = {(r[0], r[1]) for r in conn.execute(
        "SELECT d.source_id, r.year FROM reports r JOIN documents d ON d.id = r.document_id"
        " JOIN sources s ON s.id = d.source_id WHERE s.name = r.agency")}
    assert ("sd-liaocheng-police", 2024) in parsed and ("faults", 2023) not in parsed
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
    # a table identity leads to its cell, a narrative one (identity 6) to the sentence it quotes
    assert links and all("#cell-" in h or "#narrative-" in h for h in links)
    for link in {h.split("#")[1].split("-")[0]: h for h in links}.values():
        rid, anchor = link.split("/-/report/")[1].split("#")
        assert html(site, f"/-/report/{rid}").find(id=anchor) is not None


def test_narrative_finding_marks_the_sentence_it_quotes(site: dict) -> None:
    found = db(site).execute("SELECT f.id, f.report_id, f.printed, f.message FROM findings f JOIN reports r"
                             " ON r.id = f.report_id WHERE f.code = 'narrative' AND r.is_latest = 1").fetchall()
    assert found
    for f in found:
        page = html(site, f"/-/report/{f['report_id']}")
        target = page.find(id=f"narrative-{f['id']}")
        item = next(li for li in page.select("li.finding") if f["message"] in li.get_text())
        passage = item.select_one("a.passage")
        assert target is not None and passage is not None  # the quoted sentence was found and is linked
        mark = page.find(id=passage["href"][1:])
        assert mark.name == "mark" and str(int(f["printed"])) in mark.get_text()
        assert mark.find_parent("div", class_="section-text") is not None


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
    assert r["granted_any_rate"] == round((cells[("granted", "total")] + cells[("partially_granted", "total")]) / processed, 3)
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


def test_correction_rates_are_corrected_over_cases_from_table_4(site: dict) -> None:
    """纠错率 as journalists compute it, from the cells of table 4 of each latest report."""
    listed = rows(site, "correction_rates", agency="", year="", province="")
    assert listed and len(listed) == len({(r["agency"], r["year"], r["city"]) for r in listed})
    checked = 0
    for r in listed:
        rid = r["report_page"].rsplit("/", 1)[1]
        cells = {(c["row"], c["col"]): c["value"] for c in rows(site, "cells", report_id=rid,
                                                                 table="reviews_litigation", _size="max")}
        assert r["review_cases"] == cells.get(("review", "total"))
        assert r["review_corrected"] == cells.get(("review", "corrected"))
        lit = [cells.get((g, "total")) for g in ("litigation_direct", "litigation_after_review")]
        assert r["litigation_cases"] == (None if None in lit else sum(lit))
        if r["review_cases"]:
            assert r["review_correction_rate"] == round(r["review_corrected"] / r["review_cases"], 3)
            checked += 1
        else:
            assert r["review_correction_rate"] is None
        decided = None if r["review_cases"] is None or r["review_pending"] is None else \
            r["review_cases"] - r["review_pending"]
        if decided and r["review_corrected"] is not None:
            assert r["review_corrected_of_decided"] == round(r["review_corrected"] / decided, 3)
        else:
            assert r["review_corrected_of_decided"] is None
    assert checked  # at least one report with reviews in the replica
    one = rows(site, "correction_rates", agency=listed[0]["agency"], year=str(listed[0]["year"]), province="")
    assert one and all(x["agency"] == listed[0]["agency"] and x["year"] == listed[0]["year"] for x in one)


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


# ---------------------------------------------------------------- what a user found broken (UA round 3)

GOV = "青石县人民政府"  # the faults portal's registered body; its site lists 公安局 and 交通运输局 reports


def test_completeness_cell_is_about_the_sources_own_body(site: dict) -> None:
    page = html(site, "/-/completeness?last_year=2024")
    cells = {(td["data-source"], int(td["data-year"])): td for td in page.select("td[data-status]")}
    label = page.select_one('tr[data-source="faults"] td.rowlabel').get_text(" ", strip=True)
    assert GOV in label
    for year, others in ((2023, 1), (2024, 2)):
        td = cells[("faults", year)]
        assert td["data-status"] == "missing"  # the government's own report was not found
        assert not td.select('a[href^="/-/report/"]')
        assert int(td.select_one("[data-others]")["data-others"]) == others
        assert "also found" in td.get_text(" ", strip=True) and FIXED in td.get_text(" ", strip=True)
    assert "青石县交通运输局" in cells[("faults", 2024)].get_text()
    # every field of a row comes from one and the same report
    conn = db(site)
    for row in jget(site, "/-/completeness.json?last_year=2024"):
        if row["report_id"]:
            rep = conn.execute("SELECT r.agency, d.url FROM reports r JOIN documents d ON d.id = r.document_id"
                               " WHERE r.id = ?", (row["report_id"],)).fetchone()
            assert (rep["agency"], rep["url"]) == (row["agency"], row["url"])
            assert row["agency"] == row["name"]


def diff_links(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select('a[href^="/-/diff?"]')]


def test_diff_links_on_a_report_run_older_to_newer(site: dict) -> None:
    old, new = report_id(site, FIXED, 2024, revision=1), report_id(site, FIXED, 2024, revision=2)
    previous_year = report_id(site, FIXED, 2023)
    page = html(site, f"/-/report/{old}")
    links = diff_links(page)
    assert f"/-/diff?a={old}&b={new}" in links and f"/-/diff?a={new}&b={old}" not in links
    assert f"/-/diff?a={previous_year}&b={old}" in links
    assert "2024 → 2024" not in page.get_text()
    for href in diff_links(page) + diff_links(html(site, f"/-/report/{previous_year}")):
        a, b = jget(site, href.replace("/-/diff?", "/-/diff.json?"))["sides"]
        assert (a["year"], a["revision"]) < (b["year"], b["revision"]), href
    # the correction reads as the newer value minus the older one, whichever way the link is written
    fwd = jget(site, f"/-/diff.json?a={old}&b={new}")
    back = jget(site, f"/-/diff.json?a={new}&b={old}")
    assert [c["change"] for c in back["changes"] if c["change"]] == [c["change"] for c in fwd["changes"]
                                                                     if c["change"]]


def test_ambiguous_agency_lists_the_matches_to_choose_from(site: dict) -> None:
    query = urlencode({"agency": "青石", "from": 2023, "to": 2024})
    status, _, body = fetch(site["base"] + "/-/diff.json?" + query)
    result = json.loads(body)
    # a list to choose from is an answer, not a failed request: scripts and curl -f take it as one
    assert status == 200 and result["changes"] == [] and result["sides"] == [] and result["error"] is None
    assert set(result["choices"]) >= {FIXED, "青石县交通运输局"} and "青石" in result["notice"]
    status, _, body = fetch(site["base"] + "/-/diff?" + query)
    page = BeautifulSoup(body.decode(), "html.parser")
    picks = {a.get_text(strip=True): a["href"] for a in page.select("ul.choices a")}
    assert status == 200 and set(picks) == set(result["choices"])
    chosen = jget(site, picks[FIXED].replace("/-/diff?", "/-/diff.json?"))
    assert {s["agency"] for s in chosen["sides"]} == {FIXED} and chosen["kind"] == "year"


def test_diff_shows_changes_first_and_hides_unchanged_cells_by_default(site: dict) -> None:
    query = urlencode({"agency": FIXED, "from": 2023, "to": 2024})
    result = jget(site, "/-/diff.json?" + query)
    page = html(site, "/-/diff?" + query)
    rows_shown = page.select("table.diff tr[class^=diff-]")
    assert rows_shown and not page.select("tr.diff-same")
    assert len(rows_shown) == sum(1 for c in result["changes"] if c["status"] != "same")
    a, b = (s["id"] for s in result["sides"])
    everything = html(site, "/-/diff?" + urlencode({"a": a, "b": b, "same": 1}))
    assert len(everything.select("tr.diff-same")) == result["summary"]["same"] > 0
    assert page.find("a", href="/-/diff?" + urlencode({"a": a, "b": b, "same": 1}))


def test_small_change_on_a_big_number_keeps_its_percentage() -> None:
    from archive.diff import diff_cells, format_pct
    key = ("applications", "new_received", "total")
    [c] = diff_cells({key: {"value": 1761224}}, {key: {"value": 1761242}})
    assert c.change == 18 and format_pct(c.pct) == "+0.0010%"
    assert format_pct(100 * 4 / 36) == "+11.1%" and format_pct(-50.0) == "-50.0%"


def test_diff_errors_are_http_errors_and_list_the_years(site: dict) -> None:
    status, _, body = fetch(site["base"] + "/-/diff.json?" + urlencode({"agency": FIXED, "from": 2022, "to": 2024}))
    result = json.loads(body)
    assert status == 404 and "2022" in result["error"] and result["years"] == [2023, 2024]
    assert "2023" in result["error"]
    assert fetch(site["base"] + "/-/diff?" + urlencode({"agency": FIXED, "from": "x", "to": 2024}))[0] == 400
    assert fetch(site["base"] + "/-/diff?a=" + "0" * 40 + "&b=" + "1" * 40)[0] == 404
    assert fetch(site["base"] + "/-/diff")[0] == 200  # the empty form


def test_an_unknown_report_id_is_a_404_that_says_so(site: dict) -> None:
    for rid in ("1", "0" * 40, "not-an-id"):
        status, _, body = fetch(site["base"] + f"/-/report/{rid}")
        assert status == 404 and "no report with id" in body.decode("utf-8"), (rid, body[:300])


def test_two_different_bodies_are_not_called_year_over_year(site: dict) -> None:
    a, b = report_id(site, "聊城市公安局", 2024), report_id(site, "淄博市公安局", 2024)
    page = html(site, f"/-/diff?a={a}&b={b}")
    title = page.select_one("h2.diff-kind")
    assert title["data-kind"] == "bodies" and "Year-over-year" not in title.get_text()
    assert "different bodies" in page.get_text()


def test_home_page_start_here_items_are_links(site: dict) -> None:
    page = html(site, "/")
    hrefs = [a["href"] for a in page.select("a[href]")]
    for query in ("reports_by_agency_year", "handling_rates", "findings_to_review", "search_narrative"):
        target = next(h for h in hrefs if h.startswith(f"/nianbao/{query}"))
        assert fetch(site["base"] + target)[0] == 200
    assert "/nianbao/reports" in hrefs


def test_rate_names_say_what_they_count(site: dict) -> None:
    conn = db(site)
    for query in ("handling_rates", "rates_per_report"):
        for r in rows(site, query, agency="", year="", province=""):
            rep = conn.execute("SELECT granted_total, partially_granted_total, total_processed_total FROM reports"
                               " WHERE agency = ? AND year = ? AND is_latest = 1", (r["agency"], r["year"])).fetchone()
            if not rep["total_processed_total"]:
                continue
            full = rep["granted_total"] / rep["total_processed_total"]
            anyway = ((rep["granted_total"] or 0) + (rep["partially_granted_total"] or 0)) / rep["total_processed_total"]
            assert r["granted_full_rate"] == round(full, 3) and r["granted_any_rate"] == round(anyway, 3)
            assert "grant_rate" not in r and "granted_rate" not in r
    assert {"granted_full_rate", "granted_any_rate"} <= set(rows(site, "rates_by_group", by="", year="")[0])
    page = html(site, "/nianbao/rates_per_report?agency=&year=&province=")
    links = page.select("td.col-report_page a")
    assert links and all(a["href"].startswith("/-/report/") for a in links)


def test_narrative_search_context_shows_the_match(site: dict) -> None:
    found = rows(site, "search_narrative", q="复议 诉讼")
    assert found
    for r in found:
        assert "复议" in r["context"] or "诉讼" in r["context"]
    documents = [db(site).execute("SELECT document_id FROM reports WHERE id = ?", (r["report_id"],)).fetchone()[0]
                 for r in found]
    assert len(documents) == len(set(documents))  # a corrected report is one hit, not one per revision
    assert {r["version"] for r in found} == {"latest"}
    page = html(site, "/nianbao/search_narrative?" + urlencode({"q": "复议"}))
    marks = page.select("td.col-context mark")
    assert marks and {m.get_text() for m in marks} == {"复议"}


def test_sections_table_points_to_the_search_that_finds_two_characters(site: dict) -> None:
    page = html(site, "/nianbao/sections?" + urlencode({"_search": "复议"}))
    link = page.find("a", href=lambda h: bool(h) and h.startswith("/nianbao/search_narrative"))
    assert link is not None and fetch(site["base"] + link["href"])[0] == 200


def test_findings_label_what_printed_and_implied_are(site: dict) -> None:
    page = html(site, "/-/findings")
    rows_ = page.select("tr[id^=finding-]")
    assert rows_
    seen = set()
    for tr in rows_:
        code = tr.select_one("td.identity")["data-code"]
        printed, implied = tr.select_one("td.side-printed"), tr.select_one("td.side-implied")
        if code == "narrative":
            assert "text" in printed.get_text() and "table" in implied.get_text()
            seen.add(code)
        if code == "review_sum":
            assert "total" in printed.get_text() and "sum" in implied.get_text()
            seen.add(code)
    assert seen == {"narrative", "review_sum"}


def test_archived_documents_download_with_their_file_name(site: dict) -> None:
    snaps = {s["content_type"]: s for s in rows(site, "snapshots", _size="max")}
    docx = snaps["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    pdf = snaps["application/pdf"]
    for snap, ext in ((docx, ".docx"), (pdf, ".pdf")):
        status, headers, body = fetch(site["base"] + f"/-/snapshot/{snap['id']}")
        assert status == 200 and body == blob(site, snap["sha256"])
        disposition = headers["Content-Disposition"]
        assert f'filename="{snap["url"].rsplit("/", 1)[-1]}"' in disposition and disposition.count(ext) >= 1


def test_report_page_mentions_its_attached_pdf_copy(site: dict) -> None:
    page = html(site, f"/-/report/{report_id(site, '聊城市人民政府', 2024)}")
    attached = page.select("a[data-attachment]")
    assert attached and any(a.get_text().endswith(".pdf") for a in attached)
    for a in attached:
        status, headers, _ = fetch(site["base"] + a["href"])
        assert status == 200 and headers["Content-Type"].startswith("application/pdf")


def test_empty_diff_form_lists_agencies_and_their_years(site: dict) -> None:
    page = html(site, "/-/diff")
    agencies = {a.get_text(strip=True): a["href"] for a in page.select("ul.agencies a")}
    assert FIXED in agencies and "聊城市公安局" in agencies
    years = html(site, agencies[FIXED])
    compare = [a["href"] for a in years.select("p.years a")]
    assert compare == ["/-/diff?" + urlencode({"agency": FIXED, "from": 2023, "to": 2024})]
    assert jget(site, compare[0].replace("/-/diff?", "/-/diff.json?"))["kind"] == "year"


# ---------------------------------------------------------------- what a user found broken (UA round 4)

def test_reports_table_page_is_short_and_the_record_stays_whole(site: dict) -> None:
    page = html(site, "/nianbao/reports?_size=50")
    cells = page.select("td.col-record")
    assert cells and max(len(td.get_text(" ", strip=True)) for td in cells) < 120  # was ~6 KB of JSON per row
    link = cells[0].find("a")
    assert link is not None and link["href"].startswith("/nianbao/reports/")
    full = db(site).execute("SELECT record FROM reports WHERE id = ?", (link["href"].rsplit("/", 1)[1],)).fetchone()[0]
    row_page = html(site, link["href"]).select_one("td.col-record").get_text()
    assert json.loads(row_page) == json.loads(full)  # the row page shows it whole
    assert {r["record"] for r in rows(site, "reports", _size="max")} >= {full}  # exports and SQL too
    # other long text is cut on table pages, not on row pages
    longest = max(len(td.get_text()) for td in html(site, "/nianbao/sections").select("td.col-text"))
    assert longest <= serve.TRUNCATE_CELLS + 1


def hits(site: dict, q: str) -> list[dict]:
    return rows(site, "search_narrative", q=q)


def test_search_word_mixing_digits_and_characters_is_one_word(site: dict) -> None:
    import re
    latest = {r["id"]: r for r in rows(site, "reports", is_latest=1, _size="max")}
    sections = [s for s in rows(site, "sections", _size="max") if s["report_id"] in latest]
    over_matched = []
    for number, chars in (("2024", "年"), ("2024", "年度"), ("2", "件")):
        found = {r["report_id"] for r in hits(site, number + chars)}
        expected = {s["report_id"] for s in sections
                    if re.search(rf"(?<![0-9A-Za-z]){number}\s*{chars}", s["text"])}
        both = {s["report_id"] for s in sections
                if re.search(rf"(?<![0-9A-Za-z]){number}(?![0-9A-Za-z])", s["text"]) and chars in s["text"]}
        assert found == expected, number + chars
        over_matched += [number + chars] if expected < both else []
    assert over_matched  # words ANDed anywhere would have found more
    page = html(site, "/nianbao/search_narrative?" + urlencode({"q": "2024年"}))
    marks = {m.get_text() for m in page.select("td.col-context mark")}
    assert marks and all(re.fullmatch(r"2024\s*年", m) for m in marks)  # marked as one word, in view


def test_search_or_and_traditional_characters(site: dict) -> None:
    def ids(q: str) -> set[str]:
        return {r["report_id"] for r in hits(site, q)}
    assert ids("復議") == ids("复议") and ids("复议")
    assert ids("复议 OR 诉讼") == ids("复议") | ids("诉讼")
    assert ids("复议 | 诉讼") == ids("复议 OR 诉讼")
    raw = fetch(site["base"] + "/nianbao/search_narrative.json?" + urlencode({"q": "復議", "_shape": "array"}))[2]
    assert "复议".encode() in raw and b"\\u" not in raw  # JSON readable in a browser: characters, not escapes
    page = html(site, "/nianbao/search_narrative?q=")
    text = page.get_text(" ")
    for promise in ("OR", "traditional", "One row per document", "2024年"):
        assert promise in text, promise


def test_search_lists_each_document_once(site: dict) -> None:
    found = hits(site, "信息")
    conn = db(site)
    docs = [conn.execute("SELECT document_id FROM reports WHERE id = ?", (r["report_id"],)).fetchone()[0] for r in found]
    assert len(docs) == len(set(docs))
    expected = {r[0] for r in conn.execute(
        "SELECT DISTINCT r.document_id FROM sections s JOIN reports r ON r.id = s.report_id"
        " WHERE instr(s.text, '信息') > 0")}
    assert set(docs) == expected
    several = [r for r in found if " · " in (r["sections"] or "")]
    assert several  # one row names every part that matched


def test_excel_download_is_csv_with_a_bom(site: dict) -> None:
    page = html(site, "/nianbao/reports?year=2024")
    link = page.find("a", href=lambda h: bool(h) and ".excel" in h)
    assert link is not None
    status, headers, body = fetch(site["base"] + link["href"])  # redirected to the CSV download
    assert status == 200 and body.startswith(b"\xef\xbb\xbfid,")
    assert "attachment" in headers.get("content-disposition", "")
    text = body.decode("utf-8-sig")
    assert text.count("\n") - 1 == len(rows(site, "reports", year=2024, _size="max")) and "公安局" in text
    assert fetch(site["base"] + "/nianbao/reports.csv?_dl=1")[2].startswith(b"\xef\xbb\xbf")
    assert fetch(site["base"] + "/nianbao/reports.csv")[2].startswith(b"id,")  # programs get plain CSV
    assert "UTF-8" in html(site, "/").get_text()  # and the home page says how


def test_latest_cells_count_each_report_once(site: dict) -> None:
    key = {"table": "applications", "row": "new_received", "col": "total"}
    latest = rows(site, "latest_cells", agency="", year="", **key)
    every = rows(site, "cells", _size="max", **key)
    reports = rows(site, "reports", is_latest=1, _size="max")
    assert sorted(r["report_id"] for r in latest) == sorted(r["id"] for r in reports)
    assert sum(r["value"] for r in latest) == sum(r["new_received_total"] for r in reports)
    assert len(every) == len(latest) + 1  # 青石县公安局 2024 r1 is still in cells
    assert {r["agency"] for r in rows(site, "latest_cells", agency=FIXED, year="2024", **key)} == {FIXED}
    page = html(site, "/nianbao/cells")
    assert "superseded" in page.get_text() and page.find("a", href=lambda h: bool(h) and "latest_cells" in h)


def test_archived_page_links_lead_to_the_original_site(site: dict) -> None:
    from urllib.parse import urljoin, urlsplit
    snap = rows(site, "snapshots", content_type__startswith="text/html", status=200, _size=1)[0]
    status, headers, body = fetch(site["base"] + f"/-/snapshot/{snap['id']}")
    assert status == 200 and headers["content-security-policy"] == "sandbox"
    page = BeautifulSoup(body, "html.parser")
    base = page.find("base")["href"]
    assert base == (snap["final_url"] or snap["url"])
    links = [urljoin(base, a["href"]) for a in page.select("a[href]") if not a.find_parent(attrs={"data-nianbao-banner": True})]
    assert links and all(urlsplit(u).netloc != urlsplit(site["base"]).netloc for u in links)
    banner = page.select_one("[data-nianbao-banner]").get_text(" ")
    assert snap["url"] in banner and snap["fetched_at"] in banner
    # the stored bytes are untouched
    raw = fetch(site["base"] + f"/-/snapshot/{snap['id']}?raw=1")[2]
    assert raw == blob(site, snap["sha256"]) and b"data-nianbao-banner" not in raw


def test_carry_over_finding_links_to_last_years_cell_and_is_settled_at_once(site: dict) -> None:
    this_year, last_year = report_id(site, FIXED, 2024), report_id(site, FIXED, 2023)
    conn = db(site)
    with conn:  # as reparse records a broken carry-over: one finding per column
        for col in ("natural_person", "legal_services", "total"):
            conn.execute("INSERT INTO findings (report_id, identity, code, cells, printed, implied, message, finding_key)"
                         " VALUES (?, '5', 'carry_over', ?, 9, 0, ?, ?)",
                         (this_year, json.dumps([f"applications.carried_over.{col}"]), f"{col}: 2023年报告结转下年度0件",
                          f"test-carry-{col}"))
    query = urlencode({"agency": FIXED})
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(site["base"] + "/-/findings?" + query, timeout=30) as resp:
        page = BeautifulSoup(resp.read().decode("utf-8"), "html.parser")
    tr = page.find("tr", id="finding-test-carry-total")
    prev = tr.select_one("a.previous-report")["href"]
    assert prev == f"/-/report/{last_year}#cell-applications-carried_forward-total"
    assert html(site, prev.split("#")[0]).find(id=prev.split("#")[1]) is not None
    assert prev in [a["href"] for a in html(site, f"/-/report/{this_year}").select("a.previous-report")]
    assert "5 carry_over" in tr.get_text(" ") and "across years" in tr.select_one("td.identity")["title"]
    legend = {tr.select("td")[0].get_text(): tr.select("td")[1].get_text() for tr in page.select("table.identities tr")
              if tr.select("td")}
    assert set(legend) == {"1", "2", "3", "4", "5", "6"} and "carried forward" in legend["5"]
    form = tr.select_one("form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    fields.update(verdict="source-error", note="上年结转印错", reviewer="form")
    with opener.open(site["base"] + "/-/review", urlencode(fields).encode(), timeout=30) as resp:
        assert resp.status == 200 and resp.url.split("#")[0].endswith("/-/findings?" + query)  # filter kept
    saved = {f["finding_key"]: f["verdict"] for f in jget(site, "/-/findings.json?" + query)}
    assert [saved[f"test-carry-{c}"] for c in ("natural_person", "legal_services", "total")] == ["source-error"] * 3
    options = {o.get("value"): o.get_text() for o in form.select("select[name=verdict] option")}
    assert "原报告错误" in options["source-error"] and "无问题" in options["ok"]


def test_diff_filters_by_table(site: dict) -> None:
    query = {"agency": FIXED, "from": 2023, "to": 2024}
    whole = jget(site, "/-/diff.json?" + urlencode(query))
    only = jget(site, "/-/diff.json?" + urlencode({**query, "table": "applications"}))
    assert only["changes"] and {c["table"] for c in only["changes"]} == {"applications"}
    assert len(only["changes"]) == sum(1 for c in whole["changes"] if c["table"] == "applications")
    page = html(site, "/-/diff?" + urlencode(query))
    link = page.select_one('p.table-filter a[data-table="applications"]')
    shown = html(site, link["href"]).select("table.diff tr[class^=diff-]")
    assert len(shown) == sum(1 for c in only["changes"] if c["status"] != "same")
