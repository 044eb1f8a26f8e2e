"""archive.diff, completeness, textsearch and reviews as plain functions: the rules behind the Datasette pages."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from archive import db as schema
from archive import reviews, textsearch
from archive.completeness import completeness, matrix
from archive.diff import diff_cells, summary, table_counts
from archive.reparse import finding_key


def cell(value, snapshot=1) -> dict:
    return {"value": value, "raw": str(value), "inferred": 0, "snapshot_id": snapshot}


def test_diff_ranks_by_relative_change_and_keeps_blank_apart_from_zero() -> None:
    before = {("applications", "new_received", "total"): cell(36),
              ("applications", "granted", "total"): cell(3),
              ("applications", "carried_over", "total"): cell(None),
              ("reviews_litigation", "review", "total"): cell(0),
              ("active_disclosure", "fees", "amount_10k_yuan"): cell(28.6775),
              ("active_disclosure", "licensing", "decisions"): cell(2302002)}
    after = {("applications", "new_received", "total"): cell(40, 2),
             ("applications", "granted", "total"): cell(1, 2),
             ("applications", "carried_over", "total"): cell(0, 2),
             ("active_disclosure", "fees", "amount_10k_yuan"): cell(30.0, 2),
             ("active_disclosure", "licensing", "decisions"): cell(2202002, 2),
             ("applications", "denied_state_secret", "total"): cell(2, 2)}
    changes = diff_cells(before, after)
    # -66.7 %, +11.1 %, -4.3 % (100,000 decisions fewer), +4.6 %: a table 3 count is not buried
    assert [(c.row, c.status) for c in changes] == [
        ("granted", "changed"), ("new_received", "changed"), ("fees", "changed"), ("licensing", "changed"),
        ("carried_over", "added"), ("denied_state_secret", "added"), ("review", "removed")]
    first = changes[1]
    assert (first.before, first.after, first.change) == (36, 40, 4) and first.pct == pytest.approx(100 * 4 / 36)
    assert first.label == "表三 · 一、本年新收政府信息公开申请数量 · 总计"
    assert (first.before_snapshot, first.after_snapshot) == (1, 2)
    assert changes[2].change == 1.3225  # no float noise
    assert changes[4].change is None  # blank -> 0 is not "+0"
    assert summary(changes) == {"changed": 4, "added": 2, "removed": 1, "same": 0}
    # by absolute change on request; a change from 0 counts as the largest relative change
    assert [c.row for c in diff_cells(before, after, order="absolute")][:2] == ["licensing", "new_received"]
    zero = {("applications", "granted", "total"): cell(0)}
    assert diff_cells(zero | before, {**after, ("applications", "granted", "total"): cell(5)})[0].row == "granted"
    assert table_counts(changes) == {"active_disclosure": 2, "applications": 4, "reviews_litigation": 1}


SECTIONS = ["2024年，我局共收到申请36件。", "2024 年，县公安局依法答复。", "全年龄层都可申请，截至2024。",
            "12024年 是个编号", "本年度共办理行政复议1件。", "依申请公开，行政诉讼0件。", "ICP备案：豫ICP备12345号",
            "依申请公开信息"]


def search(q: str) -> set[int]:
    """The narrative search as the canned query runs it: the index narrows, `matches` decides."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE b USING fts5(bigrams)")
    conn.executemany("INSERT INTO b (rowid, bigrams) VALUES (?, ?)",
                     [(i, textsearch.bigrams(t)) for i, t in enumerate(SECTIONS)])
    narrowed = {r[0] for r in conn.execute("SELECT rowid FROM b WHERE b MATCH ?", (textsearch.bigram_query(q),))}
    exact = {i for i, t in enumerate(SECTIONS) if textsearch.matches(t, q)}
    if textsearch.narrows(q):
        assert exact <= narrowed, q  # the index never loses a real match
    return exact


def test_search_words_are_found_as_typed() -> None:
    # digits and characters typed together are one word, not "2024" AND "年" anywhere
    assert search("2024年") == {0, 1}
    assert search("２０２４年") == {0, 1}  # full-width input
    assert search("2024") == {0, 1, 2}  # whole numbers: not 12024
    assert search("复议 OR 诉讼") == search("复议") | search("诉讼") == {4, 5}
    assert search("复议 诉讼") == set()  # both words in one section
    assert search("復議") == search("复议") == {4}  # traditional folded to simplified
    assert search("icp备") == {6} and search("年") == {0, 1, 2, 3, 4}
    assert search("！") == set() and textsearch.bigram_query("！") == '""'
    # the context is centred on the word itself, not on a lone 年 elsewhere
    text = "全年龄层" + "。" * 300 + "2024年度"
    assert "2024年" in textsearch.context(text, "2024年")
    assert textsearch.spans(text, "2024年") == [(304, 309)]


def test_carry_over_finding_names_last_years_report(tmp_path: Path) -> None:
    db = schema.connect(tmp_path / "nianbao.db")
    c = db.conn
    c.executemany("INSERT INTO reports (id, agency, year, revision, is_latest) VALUES (?, ?, ?, ?, ?)",
                  [("r19", "X局", 2019, 1, 1), ("r20", "X局", 2020, 1, 1), ("y19", "Y局", 2019, 1, 1)])
    c.executemany("INSERT INTO findings (report_id, identity, code, cells, printed, implied, message, finding_key)"
                  " VALUES ('r20', '5', 'carry_over', ?, ?, 0, 'm', ?)",
                  [(f'["applications.carried_over.{col}"]', n, key)
                   for col, n, key in (("natural_person", 23, "k1"), ("total", 29, "k2"))])
    c.commit()
    found = reviews.findings(c, "X局")
    assert [f["previous"] for f in found] == [
        {"report_id": "r19", "year": 2019, "revision": 1, "agency": "X局",
         "anchor": "cell-applications-carried_forward-natural_person"},
        {"report_id": "r19", "year": 2019, "revision": 1, "agency": "X局",
         "anchor": "cell-applications-carried_forward-total"}]
    assert found[0]["siblings"] == ["k1", "k2"] and "across years" in found[0]["identity_label"]
    saved = reviews.add_reviews(c, ["k1", "k2"], "source-error", "上年报告印错")
    assert [s["finding_key"] for s in saved] == ["k1", "k2"]
    assert {f["verdict"] for f in reviews.findings(c, "X局")} == {"source-error"}
    with pytest.raises(reviews.BadReview):  # all or nothing
        reviews.add_reviews(c, ["k1", "nope"], "ok")
    assert c.execute("SELECT count(*) FROM finding_reviews WHERE verdict = 'ok'").fetchone()[0] == 0


def test_finding_key_is_stable_and_specific() -> None:
    f = {"identity": "4", "code": "review_sum", "cells": ["b.c.d", "a.b.c"], "message": "x"}
    same = {"identity": "4", "code": "review_sum", "cells": ["a.b.c", "b.c.d"], "message": "changed wording"}
    assert finding_key("doc1", f) == finding_key("doc1", same)
    assert finding_key("doc1", f) != finding_key("doc2", f)
    assert finding_key("doc1", f) != finding_key("doc1", {**f, "identity": "1"})


def test_completeness_statuses(tmp_path: Path) -> None:
    db = schema.connect(tmp_path / "nianbao.db")
    c = db.conn
    c.execute("INSERT INTO crawl_run_sources (run_id, source_id) VALUES ('r1', 'a'), ('r1', 'quiet'), ('r1', 'down')")
    # quiet's column answered and listed nothing; down's portal never answered (only errors)
    c.execute("INSERT INTO fetches (run_id, url, status, source_id) VALUES ('r1', 'http://q/ndbg/', 200, 'quiet'),"
              " ('r1', 'http://d/ndbg/', 503, 'down')")
    docs = [("d1", "a", "http://a/2021.html", 2021), ("d2", "a", "http://a/2022.html", 2022),
            ("d3", "a", "http://a/2023.html", 2023)]
    c.executemany("INSERT INTO documents (id, source_id, url, kind, year) VALUES (?, ?, ?, 'report', ?)", docs)
    c.execute("INSERT INTO documents (id, source_id, url, kind, parent_url) VALUES "
              "('d3a', 'a', 'http://a/2023.pdf', 'attachment', 'http://a/2023.html')")
    c.execute("INSERT INTO reports (id, document_id, year, agency, is_latest, revision) "
              "VALUES ('r-1', 'd1', 2021, 'A局', 1, 1)")
    c.execute("INSERT INTO snapshots (id, url, revision, sha256) VALUES (7, 'http://a/2023.pdf', 1, 'x')")
    c.execute("INSERT INTO parse_failures (snapshot_id, url, reason) VALUES (7, 'http://a/2023.pdf', 'scanned')")
    c.commit()
    rows = completeness(c, 2019, 2024)
    years, grid = matrix(rows)
    assert years == [2019, 2020, 2021, 2022, 2023, 2024]
    assert {y: grid["a"][y]["status"] for y in years} == {
        2019: "missing", 2020: "missing", 2021: "parsed", 2022: "found", 2023: "failed", 2024: "missing"}
    assert grid["a"][2021]["report_id"] == "r-1" and grid["a"][2021]["agency"] == "A局"
    assert {r["status"] for r in grid["quiet"].values()} == {"missing"}
    assert {r["status"] for r in grid["down"].values()} == {"unreached"}


def queries(conn: sqlite3.Connection, fn) -> tuple[int, object]:
    """(statements run, result) of fn(): a page must not ask once per row it shows."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        out = fn()
    finally:
        conn.set_trace_callback(None)
    return len(seen), out


def test_findings_and_report_page_ask_a_fixed_number_of_queries(tmp_path: Path) -> None:
    from archive import reportpage

    c = schema.connect(tmp_path / "nianbao.db").conn

    def bodies(first: int, last: int) -> None:  # each: 2019 and 2020, a broken carry-over on 2020
        for i in range(first, last):
            c.executemany("INSERT INTO reports (id, document_id, agency, year, revision, is_latest, record)"
                          " VALUES (?, ?, ?, ?, 1, 1, '{}')",
                          [(f"b{i}-{y}", f"d{i}-{y}", f"机关{i}", y) for y in (2019, 2020)])
            c.executemany("INSERT INTO findings (report_id, identity, code, cells, message, finding_key)"
                          " VALUES (?, '5', 'carry_over', ?, 'm', ?)",
                          [(f"b{i}-2020", f'["applications.carried_over.{col}"]', f"k{i}-{col}")
                           for col in ("natural_person", "total")])
            c.execute("INSERT INTO cells (report_id, snapshot_id, \"table\", \"row\", col, value, raw, inferred, page)"
                      " VALUES (?, 1, 'applications', 'carried_over', 'total', 3, '3', 0, 2)", (f"b{i}-2020",))
        c.commit()

    bodies(0, 1)
    few, _ = queries(c, lambda: reviews.findings(c))
    page_few, _ = queries(c, lambda: reportpage.report_page(c, "b0-2020"))
    bodies(1, 40)
    many, found = queries(c, lambda: reviews.findings(c))
    page_many, page = queries(c, lambda: reportpage.report_page(c, "b0-2020"))
    assert (many, page_many) == (few, page_few)
    assert len(found) == 80 and all(f["previous"]["report_id"] == f["report_id"].replace("2020", "2019")
                                    for f in found)
    assert [f["finding_key"] for f in page["findings"]] == ["k0-natural_person", "k0-total"]
    assert page["findings"][0]["previous"]["report_id"] == "b0-2019"
    assert [c["page"] for row in page["applications"] for c in row["cells"] if c["present"]] == [2]
    n, saved = queries(c, lambda: reviews.add_reviews(c, [f"k{i}-total" for i in range(40)], "ok"))
    assert len(saved) == 40 and c.execute("SELECT count(*) FROM finding_reviews").fetchone()[0] == 40
    assert n < 40 + 5  # one check for all keys, one insert each, one commit


# ---------------------------------------------------------------- third acceptance pass (ua3)

def canned(name: str) -> str:
    import yaml

    meta = yaml.safe_load((Path(__file__).parent.parent / "archive/datasette/metadata.yml").read_text("utf-8"))
    return meta["databases"]["nianbao"]["queries"][name]["sql"]


def run_canned(c: sqlite3.Connection, name: str, **params: str) -> list[dict]:
    from archive import export

    cur = export.run(c, canned(name), params)
    return [dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur.fetchall()]


def test_a_central_bodys_registry_name_finds_its_reports(tmp_path: Path) -> None:
    from archive import diff

    c = schema.connect(tmp_path / "nianbao.db").conn
    c.executemany("INSERT INTO reports (id, agency, year, revision, is_latest, level, total_processed_total,"
                  " granted_total, new_received_total) VALUES (?, '山林资源部', ?, 1, 1, 'national', 10, 4, 9)",
                  [("n22", 2022), ("n23", 2023)])
    c.execute("INSERT INTO findings (report_id, identity, code, cells, message, finding_key)"
              " VALUES ('n23', '1', 'balance', '[]', 'm', 'kn')")
    c.commit()
    full = "中华人民共和国山林资源部"  # as the registry and /-/completeness name it
    assert diff.matching_agencies(c, full) == ["山林资源部"]
    assert diff.find_report(c, diff.matching_agencies(c, full)[0], 2023) == "n23"
    assert [r["report_id"] for r in run_canned(c, "reports_by_agency_year", agency=full, year="")] == ["n22", "n23"]
    assert len(run_canned(c, "rates_per_report", agency=full, year="", province="")) == 2
    assert len(run_canned(c, "handling_rates", agency=full)) == 2
    assert [f["finding_key"] for f in reviews.findings(c, full)] == ["kn"]
    groups = run_canned(c, "rates_by_group", by="province", year="")
    assert [(g["grp"], g["reports"]) for g in groups] == [("中央 national", 2)]


def test_a_place_led_name_is_the_body_of_that_place(tmp_path: Path) -> None:
    from archive import diff, reportpage

    c = schema.connect(tmp_path / "nianbao.db").conn
    rows = [(f"{city[:2]}{y}", "市中区人民政府", y, "山东省", city, "市中区")
            for city in ("济南市", "枣庄市") for y in (2021, 2022, 2023)]
    c.executemany("INSERT INTO reports (id, agency, year, province, city, county, revision, is_latest, record)"
                  " VALUES (?, ?, ?, ?, ?, ?, 1, 1, '{}')", rows)
    c.commit()
    assert diff.matching_agencies(c, "枣庄市市中区人民政府") == []
    assert diff.split_place(c, "枣庄市市中区人民政府") == [("市中区人民政府", "山东省枣庄市市中区")]
    assert diff.split_place(c, "山东省济南市市中区人民政府") == [("市中区人民政府", "山东省济南市市中区")]
    assert diff.split_place(c, "青岛市市中区人民政府") == []
    assert diff.qualified_name("市中区人民政府", ("山东省", "枣庄市", "市中区")) == "山东省枣庄市市中区人民政府"
    # the report page of 枣庄's 2023 lists 枣庄's other years only, each once
    page = reportpage.report_page(c, "枣庄2023")
    assert [(o["id"], o["place_label"]) for o in page["other_years"]] == [
        ("枣庄2022", "山东省枣庄市市中区"), ("枣庄2021", "山东省枣庄市市中区")]
    assert page["place_label"] == "山东省枣庄市市中区" and page["previous_year"]["id"] == "枣庄2022"


def test_a_body_that_printed_its_name_two_ways_is_one_body_on_the_pages(tmp_path: Path) -> None:
    """The report page's other years and /-/diff pair a body's reports as the carry-over check does
    (archive/bodies.ByName): its name with or without its place's prefix is its own, each year shown
    under the name it printed; a name several places' bodies may print is no one's."""
    from archive import diff, reportpage

    c = schema.connect(tmp_path / "nianbao.db").conn
    rows = [("lc2022", "聊城市公安局", 2022, "山东省", "聊城市", None),
            ("lc2023", "山东省聊城市公安局", 2023, "山东省", "聊城市", None),
            ("lc2024", "聊城市公安局", 2024, "山东省", "聊城市", None),
            ("jn2023", "市中区人民政府", 2023, "山东省", "济南市", "市中区"),
            ("zz2023", "市中区人民政府", 2023, "山东省", "枣庄市", "市中区"),
            ("zz2022", "市中区政府", 2022, "山东省", "枣庄市", "市中区")]
    c.executemany("INSERT INTO reports (id, agency, year, province, city, county, revision, is_latest, record)"
                  " VALUES (?, ?, ?, ?, ?, ?, 1, 1, '{}')", rows)
    c.commit()
    page = reportpage.report_page(c, "lc2023")
    assert [(o["id"], o["agency"]) for o in page["other_years"]] == [("lc2024", "聊城市公安局"), ("lc2022", "聊城市公安局")]
    assert page["previous_year"]["id"] == "lc2022"
    assert diff.years_of(c, "山东省聊城市公安局") == diff.years_of(c, "聊城市公安局") == [2022, 2023, 2024]
    assert diff.find_report(c, "山东省聊城市公安局", 2022) == "lc2022"
    assert diff.find_report(c, "聊城市公安局", 2023) == "lc2023"
    sides = {r["id"]: r for r in page["other_years"]} | {"lc2023": page["report"]}
    assert diff.printed_otherwise(sides["lc2022"], sides["lc2023"])
    assert diff.comparison_kind(sides["lc2022"], sides["lc2023"], True) == "year"
    # 枣庄's 市中区 printed 市中区政府 in 2022: its year, never 济南's 市中区人民政府's
    assert [o["id"] for o in reportpage.report_page(c, "zz2023")["other_years"]] == ["zz2022"]
    assert reportpage.report_page(c, "jn2023")["other_years"] == []
    assert diff.years_of(c, "市中区人民政府", "山东省济南市市中区") == [2023]
    assert diff.find_report(c, "市中区人民政府", 2022, "山东省济南市市中区") is None
    assert diff.find_report(c, "市中区人民政府", 2022, "山东省枣庄市市中区") == "zz2022"
    assert not diff.printed_otherwise(page["report"], reportpage.report_page(c, "zz2022")["report"])


def test_latest_cells_and_rates_tell_same_named_bodies_apart(tmp_path: Path) -> None:
    c = schema.connect(tmp_path / "nianbao.db").conn
    c.executemany("INSERT INTO reports (id, agency, year, province, city, county, revision, is_latest,"
                  " total_processed_total, granted_total) VALUES (?, '市中区人民政府', 2023, '山东省', ?, '市中区',"
                  " 1, 1, 10, 5)", [("jn", "济南市"), ("zz", "枣庄市")])
    c.executemany("INSERT INTO cells (report_id, snapshot_id, \"table\", \"row\", col, value, raw, inferred, page)"
                  " VALUES (?, ?, 'applications', 'new_received', 'total', ?, ?, 0, ?)",
                  [("jn", 3, 105, "105", 2), ("zz", 4, 156, "156", None)])
    c.commit()
    cells = run_canned(c, "latest_cells", agency="市中区人民政府", year="2023", table="applications",
                       row="new_received", col="total")
    assert {(r["city"], r["county"], r["value"], r["page"], r["snapshot_id"]) for r in cells} == {
        ("济南市", "市中区", 105, 2, 3), ("枣庄市", "市中区", 156, None, 4)}
    rates = run_canned(c, "handling_rates", agency="市中区")
    assert sorted((r["province"], r["city"], r["county"]) for r in rates) == [
        ("山东省", "枣庄市", "市中区"), ("山东省", "济南市", "市中区")]
    assert len(run_canned(c, "rates_per_report", agency="", year="", province="山东")) == 2


def test_findings_to_review_leaves_out_the_reviewed(tmp_path: Path) -> None:
    c = schema.connect(tmp_path / "nianbao.db").conn
    c.execute("INSERT INTO reports (id, agency, year, revision, is_latest) VALUES ('r', 'X局', 2023, 1, 1)")
    c.executemany("INSERT INTO findings (report_id, identity, code, cells, message, finding_key)"
                  " VALUES ('r', '1', 'balance', '[]', 'm', ?)", [("k1",), ("k2",), ("k3",)])
    c.commit()
    assert len(run_canned(c, "findings_to_review", agency="")) == 3
    reviews.add_reviews(c, ["k1", "k2"], "source-error", "原报告印错", "张三")
    assert [r["message"] for r in run_canned(c, "findings_to_review", agency="")] == ["m"]


def test_attachment_names_from_content_disposition() -> None:
    import io

    import openpyxl

    from archive.filenames import disposition_name, served_type

    name = "聊城市公安局2024年政府信息公开工作年度报告附表.xlsx"
    star = "attachment; filename*=UTF-8''" + "".join(f"%{b:02X}" for b in name.encode())
    assert disposition_name(star) == name
    assert disposition_name('attachment; filename="fallback.xlsx"; ' + star[len("attachment; "):]) == name
    # a plain filename="…" in GBK bytes, as the archive keeps header values (Latin-1 text of the bytes)
    gbk = 'attachment; filename="' + "年度报告.doc".encode("gbk").decode("latin-1") + '"'
    assert disposition_name(gbk) == "年度报告.doc"
    assert disposition_name('attachment; filename="%E5%B9%B4%E6%8A%A5.pdf"') == "年报.pdf"
    assert disposition_name('inline; filename="C:\\temp\\a.pdf"') == "a.pdf"
    assert disposition_name("inline") is None and disposition_name(None) is None
    book = openpyxl.Workbook()
    buf = io.BytesIO()
    book.save(buf)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert served_type("application/octet-stream", buf.getvalue()) == xlsx
    assert served_type("text/html; charset=utf-8", b"%PDF-1.7\n...") == "application/pdf"
    assert served_type("text/html; charset=gbk", b"<html><body>x</body></html>") == "text/html; charset=gbk"


def test_download_names_of_percent_encoded_paths_utf8_and_gbk() -> None:
    """A file whose URL is all its name (/uploadfiles/…/霍山县….pdf) is saved under that name, whether
    the portal percent-encoded the path as UTF-8 or, as Chinese servers often do, as GBK."""
    from urllib.parse import quote, unquote

    from archive.datasette.plugins.nianbao_views import content_disposition
    from archive.filenames import disposition_name, url_name
    from archive.reparse import file_name

    name = "霍山县2022年政府信息公开年报.pdf"
    for charset in ("utf-8", "gbk"):
        url = "http://x.gov.cn/uploadfiles/2023/01/" + quote(name.encode(charset))
        assert url_name(url) == name
        assert file_name(url, "application/pdf") == name
        served = content_disposition(url, "application/pdf")
        assert unquote(served.split("filename*=UTF-8''", 1)[1]) == name
        assert "%EF%BF%BD" not in served  # no replacement characters
        assert disposition_name(f'attachment; filename="{quote(name.encode(charset))}"') == name
    assert url_name("http://x.gov.cn/a/report%20final.pdf") == "report final.pdf"
    assert url_name("http://x.gov.cn/xxgk/") == ""


def test_narrative_finding_points_at_its_sentence() -> None:
    from archive.reportpage import narrative_span, text_page

    text = ("（一）主动公开情况。全年共收到申请36件。其中，“予以公开”2 件，占5.56%；\n“不予公开”31\n件，"
            "占86.11%；“其他事项”3 件。")
    start, end, words = narrative_span(text, "总体情况称不予公开31件，但表格为1件")
    assert text[start:end] == "“不予公开”31\n件，占86.11%；"
    start, end, _ = narrative_span(text, "总体情况称予以公开2件，但表格为3件")
    assert text[start:end] == "其中，“予以公开”2 件，占5.56%；"
    assert narrative_span(text, "总体情况称不予处理4件，但表格为0件") is None
    pages = ["第一页其他内容", "其中予以公开2件占5.56%", "不予公开31件"]
    assert text_page(pages, "“不予公开”31\n件，占86.11%；", words) == 3


def test_granted_any_rate_of_a_report_without_outcome_cells_is_unknown(tmp_path: Path) -> None:
    c = schema.connect(tmp_path / "nianbao.db").conn
    c.executemany("INSERT INTO reports (id, agency, year, revision, is_latest, province, total_processed_total,"
                  " granted_total, partially_granted_total) VALUES (?, ?, 2023, 1, 1, '山东省', 10, ?, ?)",
                  [("blank", "A局", None, None), ("known", "B局", 3, 1)])
    c.commit()
    rates = {r["agency"]: r["granted_any_rate"] for r in run_canned(c, "rates_per_report", agency="", year="",
                                                                     province="")}
    assert rates == {"A局": None, "B局": 0.4}
    assert {r["agency"]: r["granted_any_rate"] for r in run_canned(c, "handling_rates", agency="")} == rates
    assert run_canned(c, "rates_by_group", by="province", year="")[0]["granted_any_rate"] == 0.4  # 4 / 10, not 4 / 20


def test_a_page_of_findings_keeps_siblings_across_the_page_break(tmp_path: Path) -> None:
    c = schema.connect(tmp_path / "nianbao.db").conn
    c.execute("INSERT INTO reports (id, agency, year, revision, is_latest) VALUES ('r20', 'X局', 2020, 1, 1)")
    c.executemany("INSERT INTO findings (report_id, identity, code, cells, message, finding_key)"
                  " VALUES ('r20', '5', 'carry_over', ?, 'm', ?)",
                  [(f'["applications.carried_over.{col}"]', f"k-{col}") for col in ("natural_person", "total")])
    c.execute("INSERT INTO findings (report_id, identity, code, cells, message, finding_key)"
              " VALUES ('r20', '3', 'outcome_sum', '[]', 'm', 'k-outcome')")
    c.commit()
    first, second = reviews.findings(c, limit=1), reviews.findings(c, limit=1, offset=1)
    assert [f["finding_key"] for f in first + second] == ["k-outcome", "k-natural_person"]
    assert second[0]["siblings"] == ["k-natural_person", "k-total"]  # k-total is on the next page
    assert reviews.count_findings(c) == 3 and reviews.count_findings(c, code="carry_over") == 2
    assert [f["finding_key"] for f in reviews.findings(c, code="outcome_sum")] == ["k-outcome"]
    assert reviews.finding_codes(c) == ["carry_over", "outcome_sum"]


def test_search_phrases_in_quotes_and_words_left_out_with_a_minus() -> None:
    # quoted words must follow one another (a few spaces or punctuation between), unquoted anywhere
    assert search("申请 2024") == {0, 2}
    assert search('"申请 2024"') == set() and search('"申请，截至 2024"') == {2}
    assert search('"行政 诉讼"') == search("“行政诉讼”") == search("「行政，诉讼」") == {5}
    # a minus leaves out what holds the word; a minus inside a word or a lone minus is no exclusion
    assert search("依申请公开") == {5, 7} and search("依申请公开 -诉讼") == {7}
    assert search('依申请公开 -"行政 诉讼"') == {7} and search("依申请公开 －诉讼") == {7}  # full-width minus
    assert search("依申请公开 - 诉讼") == {5}
    assert search("-诉讼") == set() and textsearch.bigram_query("-诉讼") == '""'  # exclusions alone: nothing
    assert search("公开 -訴訟") == {7}  # traditional exclusions fold too
    assert textsearch.excludes("行政诉讼0件", "公开 -诉讼") and not textsearch.excludes("行政诉讼0件", "诉讼")
    assert textsearch.terms('"行政 诉讼" -复议') == ["行政 诉讼"]  # what gets marked: never an excluded word
    assert textsearch.spans("依申请公开，行政诉讼0件。", '"行政 诉讼"') == [(6, 10)]


def test_search_reads_only_the_first_terms_and_excludes_in_one_pass() -> None:
    """10,000 -words (or 3,000 -"phrases") cost minutes of Python per search when each was a pass
    over each section; a query keeps its first MAX_TERMS terms and says which it ignored."""
    limit = textsearch.MAX_TERMS
    text = "本年度依申请公开政府信息，行政复议1件。" * 200
    many = "公开 " + " ".join(f"-x{i}" for i in range(10_000))
    phrases = "公开 " + " ".join(f'-"x{i} y"' for i in range(3_000))
    started = time.process_time()  # CPU time: what the searches cost, not a share of a busy machine
    for _ in range(200):  # 200 sections of one search
        assert textsearch.matches(text, many) and not textsearch.excludes(text, many)
        assert textsearch.matches(text, phrases)
    assert time.process_time() - started < 3
    query = textsearch.parse(" ".join(f"-x{i}" for i in range(limit - 1)) + " -复议 -x99 公开")
    assert len(query.excluded) == limit and query.ignored == ("-x99", "公开")
    assert textsearch.excludes(text, " ".join(f"-x{i}" for i in range(limit - 1)) + " -复议")  # the 32nd still counts
    assert not textsearch.excludes(text, " ".join(f"-x{i}" for i in range(limit)) + " -复议")  # the 33rd does not
    note = textsearch.ignored(many)
    assert str(limit) in note and "-x31" in note and "-x9999" not in note and len(note) < 600
    assert textsearch.ignored("公开 -复议 " + " ".join(f"词{i}" for i in range(limit - 2))) == ""
    assert "1000" in textsearch.ignored("公" * 5000)
