"""A free-form (pre-2019) report in the archive, read as a researcher reads it: its report page, the
narrative search, its dates.

Before the 2019 template a report gave its statistics as sentences in its parts 二–五 (主动公开,
依申请公开, 收费及减免, 行政复议和行政诉讼).  Those sentences are what a reader searches for and checks
against the source: the report page shows them where the template prints its tables (not "not in this
report"), `search_narrative` finds their words, and no number of them becomes a cell.  The report puts
its 附件 list above the signature, as many did: the signature's date is still its date.  Built from a
portal-like page archived as a crawl would, re-parsed by the real parser, served by the real Datasette.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from archive.reparse import reparse_all
from archive.store import Archive
from tests.support.datasette import DIRECT, served
from tests.support.dbrows import db_rows
from tests.support.responses import put_response

SITE = "http://127.0.0.1:9"
TITLE = "肥城市人民政府2017年政府信息公开工作年度报告"
PARTS = [
    ("一、概述", "2017年，市政府坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"),
    ("二、主动公开政府信息情况", "全年主动公开政府信息2417条，其中规范性文件29件，政策解读46篇。"),
    ("三、依申请公开政府信息情况", "全年受理政府信息公开申请64件，同意公开38件，同意部分公开6件，不予公开4件，"
                               "非本机关政府信息11件，信息不存在5件。"),
    ("四、政府信息公开的收费及减免情况", "全年未收取检索费、复制费、邮寄费。"),
    ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "全年因政府信息公开申请提起行政复议3件，行政诉讼2件，均维持原答复。"),
    ("六、存在的主要问题和改进措施", "部分单位公开信息不够及时。下一步将加强培训督导。"),
    ("七、其他需要说明的事项", "本报告电子版可在肥城市人民政府网站下载。"),
]


def page() -> bytes:
    body = "".join(f"<p>{h}</p><p>{t}</p>" for h, t in PARTS)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>'
            f'<div class="main"><h1>{TITLE}</h1><div class="content">{body}'
            '<p>附件：1.肥城市2017年政府信息公开情况统计表</p><p>2.肥城市各镇街2017年年报汇总</p>'
            '<p align="right">肥城市人民政府办公室</p><p align="right">2018年3月26日</p></div></div>'
            '</body></html>').encode()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("free")
    arc = Archive(root)
    arc.start_run("test", ["s1"])
    url = f"{SITE}/free/t20180326_1.html"
    arc.record_document("s1", url, "report", title=TITLE, year=2017)
    put_response(arc, url, page(), "2018-04-01T00:00:00Z", "text/html")
    arc.close()
    reparse_all(root)
    return root


def report(root: Path) -> dict:
    rows = db_rows(root, "SELECT * FROM reports WHERE is_latest = 1")
    assert len(rows) == 1, rows
    return rows[0]


def test_free_report_is_dated_by_its_signature_under_the_attachment_list(archive: Path) -> None:
    row = report(archive)
    assert (row["agency"], row["year"], row["template"]) == ("肥城市人民政府", 2017, "free")
    assert (row["published"], row["signed"]) == ("2018-03-26", "2018-03-26")


def test_each_part_is_kept_as_prose_never_as_cells(archive: Path) -> None:
    row = report(archive)
    stored = {r["section"]: r["text"] for r in db_rows(archive, "SELECT section, text FROM sections WHERE report_id = ?",
                                                          row["id"])}
    assert stored == {"overview": PARTS[0][1], "active": PARTS[1][1], "applications": PARTS[2][1], "fees": PARTS[3][1],
                      "reviews": PARTS[4][1], "problems": PARTS[5][1], "other": PARTS[6][1]}
    assert db_rows(archive, "SELECT * FROM cells WHERE report_id = ?", row["id"]) == []
    record = json.loads(row["record"])
    assert record["applications"] is None and record["reviews_litigation"] is None


def test_report_page_and_search_show_the_prose(archive: Path) -> None:
    rid = report(archive)["id"]
    with served(archive) as base:
        html = DIRECT.open(f"{base}/-/report/{rid}", timeout=30).read().decode()

        def search(q: str) -> list[dict]:
            url = f"{base}/nianbao/search_narrative.json?" + urlencode({"q": q, "_shape": "array"})
            return json.loads(DIRECT.open(url, timeout=30).read())

        found = {q: search(q) for q in ("非本机关政府信息", "行政复议", "政策解读", "邮寄费")}
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "not in this report" not in text  # the report does give 二/三/四, in words
    for _heading, words in PARTS:
        assert words in text, words
    flat = "".join(text.split())
    # each part stands where the template prints its table, in the template's order
    assert flat.index("二、主动公开政府信息情况") < flat.index("全年主动公开政府信息2417条") < flat.index(
        "三、收到和处理政府信息公开申请情况") < flat.index("全年受理政府信息公开申请64件") < flat.index(
        "全年未收取检索费") < flat.index("四、政府信息公开行政复议、行政诉讼情况") < flat.index("全年因政府信息公开申请提起行政复议3件")
    assert "统计表" not in flat  # the 附件 list above the signature is no narrative
    for q, part in (("非本机关政府信息", "applications"), ("行政复议", "reviews"), ("政策解读", "active"), ("邮寄费", "fees")):
        assert [r["report_id"] for r in found[q]] == [rid], q
        assert part in found[q][0]["sections"].split(" · "), (q, found[q][0]["sections"])

