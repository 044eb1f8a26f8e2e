"""The replica portal itself: each portal serves what a crawler will meet, each fault behaves."""

from __future__ import annotations

import http.client
import io
import json
import re
import socket
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import docx
import pymupdf
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.portal import build, render
from tests.portal.seeds import load_seeds
from tests.portal.server import CLEARANCE, GUARDED_CLEARANCE, Replica

SEEDS = {s.key: s for s in load_seeds()}


@pytest.fixture(scope="module")
def rep():
    with Replica.start(faults=True) as replica:
        yield replica


def fetch(url: str, method: str = "GET", headers: dict | None = None, body: str | None = None, timeout: float = 10):
    """One raw request, no redirect following (so redirects and 304s stay visible)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), data


def grid(table) -> list[list[str]]:
    """Expand rowspan/colspan into a rectangular grid of cell texts."""
    out: list[list[str]] = []
    carry: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.find_all("tr")):
        row: list[str] = []
        c = 0
        for cell in tr.find_all(["td", "th"]):
            while (r, c) in carry:
                row.append(carry.pop((r, c)))
                c += 1
            text = cell.get_text(strip=True)
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dc in range(cs):
                row.append(text)
                for dr in range(1, rs):
                    carry[(r + dr, c + dc)] = text
            c += cs
        while (r, c) in carry:
            row.append(carry.pop((r, c)))
            c += 1
        out.append(row)
    return out


def cell_text(v) -> str:
    return render.fmt(v)


APP_LABELS = {  # label fragment as printed in the template -> record key
    "本年新收": "new_received", "上年结转": "carried_over", "（一）予以公开": "granted",
    "属于国家秘密": "denied_state_secret", "本机关不掌握": "unavailable_not_held", "重复申请": "not_processed_duplicate",
    "3.其他": "other_other", "（七）总计": "total_processed", "结转下年度": "carried_forward",
}
APP_COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]


def check_tables(soup: BeautifulSoup, record: dict) -> None:
    """Read the three tables back the way a parser would and compare with the record."""
    tables = soup.find_all("table", attrs={"border": "1"})
    assert len(tables) == 3
    t2, t3, t4 = (grid(t) for t in tables)
    rows2 = {row[0]: row[1:] for row in t2}
    ad = record["active_disclosure"]
    assert rows2["行政规范性文件"] == [cell_text(ad["normative_documents"][k]) for k in ("issued", "repealed", "in_force")]
    assert rows2["行政许可"][0] == cell_text(ad["licensing"]["decisions"])
    assert rows2["行政事业性收费"][0] == cell_text(ad["fees"]["amount_10k_yuan"])
    assert t3[2][3:10] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    seen = set()
    for row in t3[3:]:
        assert len(row) == 10
        label = "".join(dict.fromkeys(row[:3]))
        for frag, key in APP_LABELS.items():
            if frag in label:
                assert row[3:] == [cell_text(record["applications"][key][c]) for c in APP_COLS], key
                seen.add(key)
    assert seen == set(APP_LABELS.values())
    outcome_first = [row[0] for row in t3[3:]]
    assert outcome_first.count("三、本年度办理结果") == 22  # the rowspan covers every outcome line
    rl = record["reviews_litigation"]
    assert t4[0][0] == "行政复议" and t4[0][5] == "行政诉讼"
    assert t4[3] == [cell_text(rl[g][k]) for g in ("review", "litigation_direct", "litigation_after_review")
                     for k in ("upheld", "corrected", "other", "pending", "total")]


# ---------------------------------------------------------------------------- render.py

@pytest.mark.parametrize("key", sorted(SEEDS))
def test_render_tables_read_back_as_the_record(key):
    seed = SEEDS[key]
    page = render.report_html(seed.record, seed.narrative, seed.title)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.get_text() == seed.title
    check_tables(soup, seed.record)
    text = soup.get_text()
    assert text.index("一、总体情况") < text.index("二、主动公开政府信息情况") < text.index("五、")


def test_render_tolerates_nulls_missing_rows_and_2019_template():
    rec = json.loads(json.dumps(SEEDS["001"].record))
    rec["applications"]["granted"]["total"] = None
    del rec["applications"]["other_unpaid_fee"]
    rec["applications"]["extra_rows"] = [{"label": "（八）其他情形", "values": {"natural_person": 2, "total": 2}}]
    t3 = grid(BeautifulSoup(render.applications_table_html(rec), "html.parser").table)
    granted = next(r for r in t3 if "（一）予以公开" in r)
    assert granted[-1] == ""
    assert not any("缴纳费用" in "".join(r) for r in t3)
    assert t3[-1][:3] == ["（八）其他情形"] * 3 and t3[-1][3] == "2" and t3[-1][4] == ""
    assert sum(r[0] == "三、本年度办理结果" for r in t3) == 21
    old = {"agency": "某县", "year": 2019, "template": "2019",
           "active_disclosure": {"regulations": {"made": 1, "published": 1, "total_public": 9},
                                 "procurement": {"items": 3, "amount_10k_yuan": 12.5}},
           "applications": {"new_received": {"natural_person": 1}, "other_total": {"natural_person": 4}}}
    html = render.report_tables_html(old)
    t2 = grid(BeautifulSoup(html, "html.parser").find_all("table")[0])
    assert ["规章", "1", "1", "9"] in t2 and ["政府集中采购", "3", "12.5", "12.5"] in t2
    assert "（六）其他处理" in html and "四、政府信息公开行政复议" not in html


# ---------------------------------------------------------------------------- every portal

def test_every_portal_serves_its_start_page_and_robots(rep):
    assert set(rep.portal_ids) == {"sd-liaocheng-gov", "sd-liaocheng-police", "sd-zibo-police",
                                   "sd-changle-police", "ha-zhoukou-police", "faults"}
    ports = {urlsplit(rep.base_url(p)).port for p in rep.portal_ids}
    assert len(ports) == len(rep.portal_ids)
    for pid in rep.portal_ids:
        status, headers, body = fetch(rep.start_url(pid))
        assert status == 200, pid
        assert headers["Content-Type"].startswith("text/html")
        status, _, robots = fetch(rep.url(pid, "/robots.txt"))
        assert status == 200 and b"Disallow: /admin/" in robots


def test_sources_yaml_lists_live_start_urls(rep, tmp_path):
    path = rep.write_sources(tmp_path / "sources.yaml")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "faults" not in [e["id"] for e in entries] and len(entries) == 5
    for e in entries:
        assert set(e) >= {"id", "name", "level", "kind", "region", "family", "start_urls", "allowed_domains"}
        assert fetch(e["start_urls"][0])[0] == 200
    zibo = next(e for e in entries if e["id"] == "sd-zibo-police")
    assert zibo["family"] == "hanweb" and zibo["overrides"]["hanweb"]["columnid"] == "1533"
    with_faults = yaml.safe_load(rep.write_sources(tmp_path / "all.yaml", include_faults=True).read_text("utf-8"))
    assert [e["id"] for e in with_faults][-1] == "faults"


def test_exactly_the_seed_reports_are_reports(rep):
    reports = rep.reports()
    assert sorted(r["seed"] for r in reports) == ["000", "001", "002", "003", "004"]
    titles = [d["title"] for docs in rep.manifest["documents"].values() for d in docs if not d["is_report"]]
    for kind in ("部门预算", "财政决算", "政府信息公开指南", "政务公开工作要点", "法治政府建设年度报告",
                 "绩效自评报告", "统计公报", "一图读懂"):
        assert any(kind in t for t in titles), kind


def test_html_reports_carry_the_record(rep):
    for r in rep.reports():
        if r["format"] not in ("html", "html+pdf"):
            continue
        status, headers, body = fetch(r["url"])
        assert status == 200
        charset = headers["Content-Type"].split("charset=")[1]
        soup = BeautifulSoup(body.decode(charset), "html.parser")
        assert soup.find("h1").get_text() == SEEDS[r["seed"]].title
        check_tables(soup, SEEDS[r["seed"]].record)


def test_pdf_and_docx_attachments_are_real_documents(rep):
    formats = {r["seed"]: r["format"] for r in rep.reports()}
    assert formats == {"000": "pdf", "001": "html+pdf", "002": "docx", "003": "html", "004": "html"}
    for r in rep.reports():
        if not r.get("attachment"):
            continue
        page = fetch(r["url"])[2].decode("utf-8")
        assert urlsplit(r["attachment_url"]).path.rsplit("/", 1)[1] in page  # linked from the report page
        status, headers, data = fetch(r["attachment_url"])
        assert status == 200
        record = SEEDS[r["seed"]].record
        if r["attachment"].endswith(".pdf"):
            assert headers["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")
            text = "".join(p.get_text() for p in pymupdf.open(stream=data, filetype="pdf"))
            assert record["agency"] in text.replace(" ", "")
            assert str(record["active_disclosure"]["licensing"]["decisions"]) in text
        else:
            assert data.startswith(b"PK")
            d = docx.Document(io.BytesIO(data))
            cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
            assert str(record["active_disclosure"]["licensing"]["decisions"]) in cells
            assert len(d.tables) == 3


def test_gbk_portal_sends_gbk_bytes(rep):
    r = next(x for x in rep.reports() if x["portal_id"] == "ha-zhoukou-police")
    _, headers, body = fetch(rep.start_url("ha-zhoukou-police"))
    assert headers["Content-Type"] == "text/html; charset=GBK"
    assert b'charset="gb2312"' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gbk")
    soup = BeautifulSoup(text, "html.parser")
    assert any(a.get_text() == r["title"] and a["href"] == r["path"] for a in soup.find_all("a"))
    assert "周口市公安局" in fetch(r["url"])[2].decode("gbk")


def test_trs_pager_is_only_in_createPageHTML(rep):
    _, _, body = fetch(rep.start_url("sd-liaocheng-gov"))
    html = body.decode("utf-8")
    assert 'createPageHTML(3, 0, "index", "html")' in html
    assert 'href="index_1.html"' not in html and "href='index_1.html'" not in html
    r = next(x for x in rep.reports() if x["portal_id"] == "sd-liaocheng-gov")
    rel = "." + r["path"][len("/zwgk/zfxxgknb"):]
    assert rel not in html
    page2 = fetch(rep.url("sd-liaocheng-gov", "/zwgk/zfxxgknb/index_1.html"))[2].decode("utf-8")
    assert f'href="{rel}"' in page2 and 'createPageHTML(3, 1, "index", "html")' in page2
    assert re.match(r"\./\d{6}/t\d{8}_\d+\.html", rel)


def test_hanweb_first_page_datastore_and_dataproxy(rep):
    _, _, body = fetch(rep.start_url("sd-zibo-police"))
    html = body.decode("utf-8")
    store = re.search(r'<script type="text/xml" id="datastore">(.*?)</script>', html, re.S).group(1)
    assert len(re.findall(r"<record><!\[CDATA\[", store)) == 15 and "<totalrecord>40</totalrecord>" in store
    report = next(x for x in rep.reports() if x["portal_id"] == "sd-zibo-police")
    assert report["path"] not in html
    form = ("col=1&appid=1&webid=1&path=/&columnid=1533&sourceContentType=1&unitid=378901"
            "&webname=%E6%B7%84%E5%8D%9A%E5%B8%82%E5%85%AC%E5%AE%89%E5%B1%80&permissiontype=0")
    url = rep.url("sd-zibo-police", "/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15")
    status, headers, xml = fetch(url, "POST", {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    text = xml.decode("utf-8")
    assert text.startswith("<?xml") and "<totalpage>3</totalpage>" in text
    assert len(re.findall(r"<record>", text)) == 15 and f'href="{report["path"]}"' in text
    assert re.match(r"/art/2025/1/20/art_1533_\d+\.html$", report["path"])
    wrong = fetch(url, "POST", {"Content-Type": "application/x-www-form-urlencoded"}, form.replace("1533", "9"))
    assert b"<record>" not in wrong[2]
    assert fetch(url)[0] == 405
    seen = [s for s in rep.requests if s.method == "POST" and s.path.startswith("/module/web/jpage/dataproxy.jsp")]
    assert seen and seen[-1].portal_id == "sd-zibo-police"


def test_shandong_doc_ids_carry_the_publication_time(rep):
    for pid in ("sd-liaocheng-police", "sd-changle-police"):
        start = rep.start_url(pid)
        pages = [fetch(start)[2].decode("utf-8")]
        nxt = re.search(r'href="([^"]+)">下一页', pages[0])
        assert nxt, pid
        pages.append(fetch(rep.url(pid, nxt.group(1)))[2].decode("utf-8"))
        rows = re.findall(r'href="(/gongkai/site_\w+/channel_[0-9a-f]{24}/doc_([0-9a-f]{24})\.html)".*?'
                          r'<td class="date">([\d-]+)</td>', "".join(pages))
        assert len(rows) == 24
        for _, doc, day in rows:
            published = datetime.fromtimestamp(int(doc[:8], 16), UTC).date().isoformat()
            assert published == day
        report = next(x for x in rep.reports() if x["portal_id"] == pid)
        assert report["path"] in {r[0] for r in rows}


def test_look_alike_infographic_links_to_the_report(rep):
    docs = rep.manifest["documents"]["sd-liaocheng-gov"]
    tu = next(d for d in docs if "一图读懂" in d["title"])
    report = next(d for d in docs if d["is_report"])
    assert report["path"] in fetch(rep.url("sd-liaocheng-gov", tu["path"]))[2].decode("utf-8")


# ---------------------------------------------------------------------------- incremental

def test_conditional_requests_get_304(rep):
    url = rep.start_url("sd-changle-police")
    status, headers, _ = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url, headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"stale"'})[0] == 200
    assert fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_set_version_changes_one_cell(rep):
    url = rep.url("faults", rep.manifest["faults"]["versioned"])
    try:
        s1, h1, b1 = fetch(url)
        rep.set_version(2)
        s2, h2, b2 = fetch(url, headers={"If-None-Match": h1["ETag"]})
        assert (s1, s2) == (200, 200) and h1["ETag"] != h2["ETag"]
        c1 = [td.get_text() for td in BeautifulSoup(b1, "html.parser").find_all("td")]
        c2 = [td.get_text() for td in BeautifulSoup(b2, "html.parser").find_all("td")]
        diff = [(a, b) for a, b in zip(c1, c2, strict=True) if a != b]
        assert diff == [("1761224", "1761242")]
    finally:
        rep.set_version(1)


# ---------------------------------------------------------------------------- faults

def test_fault_list_and_redirect_chain(rep):
    _, _, body = fetch(rep.start_url("faults"))
    hrefs = [a["href"] for a in BeautifulSoup(body, "html.parser").find_all("a")]
    for path in ("/go/1001", "/nianbao/missing.html", "/nianbao/flaky.html", "/nianbao/busy.html",
                 "/nianbao/slow.html", "/nianbao/reset.html", "/nianbao/big.html", "/nianbao/more.html",
                 "/nianbao/archive/index.html", "/nianbao/big-stream.html", "/nianbao/guarded/index.html",
                 "/nianbao/jtj/t20250122_qsjtj.html"):
        assert path in hrefs
    s1, h1, _ = fetch(rep.url("faults", "/go/1001"))
    s2, h2, _ = fetch(rep.url("faults", h1["Location"]))
    s3, _, b3 = fetch(rep.url("faults", h2["Location"]))
    assert (s1, s2, s3) == (301, 302, 200)
    assert "青石县公安局2023年政府信息公开工作年度报告" in b3.decode("utf-8")
    assert fetch(rep.url("faults", "/nianbao/missing.html"))[0] == 404


def test_first_request_faults_then_success(rep):
    rep.reset_faults()
    assert fetch(rep.url("faults", "/nianbao/flaky.html"))[0] == 500
    assert fetch(rep.url("faults", "/nianbao/flaky.html"))[0] == 200
    status, headers, _ = fetch(rep.url("faults", "/nianbao/busy.html"))
    assert status == 429 and headers["Retry-After"] == "1"
    assert fetch(rep.url("faults", "/nianbao/busy.html"))[0] == 200
    rep.reset_faults()
    assert fetch(rep.url("faults", "/nianbao/flaky.html"))[0] == 500


def test_slow_reset_and_oversized(rep):
    t = time.monotonic()
    assert fetch(rep.url("faults", "/nianbao/slow.html"))[0] == 200
    assert time.monotonic() - t >= 2
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected, socket.error)):
        fetch(rep.url("faults", "/nianbao/reset.html"))
    status, headers, body = fetch(rep.url("faults", "/nianbao/big.html"))
    assert status == 200 and int(headers["Content-Length"]) == len(body) > 3 * 1024 * 1024
    status, headers, body = fetch(rep.url("faults", "/nianbao/big-stream.html"))  # http.client de-chunks
    assert status == 200 and headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in headers
    assert len(body) > 3 * 1024 * 1024


def test_js_only_list_and_js_challenge(rep):
    html = fetch(rep.url("faults", "/nianbao/more.html"))[2].decode("utf-8")
    box = BeautifulSoup(html, "html.parser").find(id="list")
    assert box is not None and box.find("a") is None
    data = json.loads(re.search(r"var DATA = (\[.*?\]);", html, re.S).group(1))
    assert rep.manifest["faults"]["versioned"] in [d["url"] for d in data]
    url = rep.url("faults", "/nianbao/archive/index.html")
    status, _, body = fetch(url)
    assert status == 412 and b"__jsl_clearance=" in body and b"<a " not in body
    status, _, body = fetch(url, headers={"Cookie": f"__jsl_clearance={CLEARANCE}"})
    assert status == 200 and "青石县公安局2024年政府信息公开工作年度报告" in body.decode("utf-8")
    # the guarded archive: its script hands out the cookie only when navigator.webdriver is false
    url = rep.url("faults", "/nianbao/guarded/index.html")
    status, _, body = fetch(url)
    assert status == 412 and b"navigator.webdriver" in body and b"<a " not in body
    status, _, body = fetch(url, headers={"Cookie": f"__jsl_clearance_s={GUARDED_CLEARANCE}"})
    assert status == 200 and "往年政府信息公开年报" in body.decode("utf-8")


def test_requests_are_logged(rep):
    fetch(rep.url("sd-liaocheng-gov", "/robots.txt"), headers={"User-Agent": "nianbao-test"})
    last = [s for s in rep.requests if s.portal_id == "sd-liaocheng-gov"][-1]
    assert last.method == "GET" and last.path == "/robots.txt" and last.headers["User-Agent"] == "nianbao-test"


def test_committed_site_matches_a_fresh_build():
    """The committed site must be what the builder makes now (PDF/DOCX reused when their HTML is unchanged)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        build.build(root=root)
        fresh = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        committed = {p.relative_to(build.SITE): p.read_bytes() for p in build.SITE.rglob("*") if p.is_file()}
        assert sorted(fresh) == sorted(committed)
        stale = [str(k) for k in fresh if fresh[k] != committed[k]]
        assert stale == []
