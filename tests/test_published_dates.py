"""When a report was published: the date its page labels, also for a report posted as a file.

A portal posts most reports as an article (标题, 发布时间：…) with the report attached as a PDF or
DOCX.  The file prints only the date it was signed, days before the article went up; the 条例's
deadlines (31 January / 31 March) are about publication, so `reports.published` is the article's
发布时间 and `reports.signed` keeps the file's own date.  A page that is not the file's article (a
page posting several bodies' or years' reports) dates none of them.  Built from real bytes (a
DOCX made with python-docx from a seed report, portal-like article pages), parsed by the real
parser, read back from nianbao.db and from the served report page.
"""

from __future__ import annotations

import io
import json
import urllib.request
from pathlib import Path

import docx
import pytest

from archive.reparse import reparse_all
from archive.store import Archive
from parsers.metadata import posted_date
from tests.support.datasette import served
from tests.support.dbrows import db_rows
from tests.support.responses import put_response

SEED = Path(__file__).parent / "fixtures" / "seeds" / "003_cdec267326b5e6a9.txt"  # 昌乐县公安局 2023, signed 2024-01-18
SIGNED = "2024-01-18"
SITE = "http://127.0.0.1:9"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_docx(lines: list[str] | None = None) -> bytes:
    """The seed report as a real Word file: one paragraph per line (table rows keep their tabs)."""
    document = docx.Document()
    for line in lines if lines is not None else SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


JOINT = "昌乐县公安局和昌乐县交通运输局"


def joint_lines() -> list[str]:
    """The seed as a joint report of two bodies that prints each body's table 3 apart under a heading
    naming it (the second body's a copy): as a record it is the first body's, whose tables it holds."""
    out: list[str] = []
    table3: list[str] = []
    in_table3 = False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("# 昌乐县公安局 2023 年"):
            line = line.replace("昌乐县公安局", JOINT, 1)
        if line.startswith("三、收到和处理政府信息公开申请情况"):
            out += [line, "（一）昌乐县公安局"]
            in_table3 = True
            continue
        if in_table3 and line.lstrip("# ").startswith("四、"):
            out += ["（二）昌乐县交通运输局", *table3]
            in_table3 = False
        if in_table3:
            table3.append(line)
        out.append(line)
    return out


def article(title: str, info: str, links: list[tuple[str, str]], sidebar: str = "") -> bytes:
    """A portal article: site chrome, a sidebar of other titles with their dates, the title, an info
    line, the attachment links, a footer."""
    anchors = "".join(f'<p>附件：<a href="{href}">{text}</a></p>' for href, text in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_昌乐县人民政府</title></head><body>'
            f'<div class="top">昌乐县人民政府门户网站 <a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>'
            f'{sidebar}<div class="main"><h1>{title}</h1><div class="info">{info}</div>'
            f'<div class="content"><p>{title}</p>{anchors}</div></div>'
            f'<div class="footer">主办单位：昌乐县人民政府办公室 ICP备00000000号</div></body></html>').encode()


def traditional(page: bytes) -> bytes:
    """The page as a portal's 繁體 version serves it: every character converted (OpenCC s2t)."""
    import opencc

    return opencc.OpenCC("s2t").convert(page.decode()).encode()


SIDEBAR = ('<div class="side"><div>相关文章</div><ul><li><a href="/a/1.html">昌乐县2022年政府信息公开工作年度报告</a>'
           '<span>发布时间：2023-03-20</span></li><li><a href="/a/2.html">营丘镇2023年政府信息公开工作年度报告</a>'
           '<span>2024-01-22</span></li></ul></div>')
TITLE = "昌乐县公安局2023年政府信息公开工作年度报告"

# source id -> (page, the files it links: (name, link text, archived?))
CASES = {
    # the article carrying the report: its 发布时间 is when the report was published
    "article": (article(TITLE, "来源：昌乐县公安局　发布时间：2024-01-25 10:12　浏览次数：36",
                        [("report.docx", f"{TITLE}.docx")], SIDEBAR), [("report.docx", f"{TITLE}.docx", True)]),
    # the info line prints when the text was written first, then when it was posted
    "info_table": (article(TITLE, "成文日期：2024-01-19　发布日期：2024-01-26",
                           [("report.docx", "点击下载")]), [("report.docx", "点击下载", True)]),
    # no labelled date on the page (only the sidebar's dated titles): the file's signed date
    "undated": (article(TITLE, "来源：昌乐县公安局", [("report.docx", f"{TITLE}.docx")], SIDEBAR),
                [("report.docx", f"{TITLE}.docx", True)]),
    # the page posts two years' reports: its date is no more this file's than the other's
    "two_years": (article(TITLE, "发布时间：2024-03-02",
                          [("report.docx", f"{TITLE}.docx"), ("2022.docx", "昌乐县公安局2022年政府信息公开工作年度报告.docx")]),
                  [("report.docx", f"{TITLE}.docx", True), ("2022.docx", "昌乐县公安局2022年政府信息公开工作年度报告.docx", False)]),
    # a 繁體 copy of the article under the portal's simplified chrome (too mixed to read as traditional):
    # its title names the body in traditional characters, still the file's body
    "traditional": (article("昌樂縣公安局2023年政府信息公開工作年度報告",
                            "发布时间：2024-01-24　栏目：政府信息公开年报　相关：政府信息公开指南",
                            [("report.docx", "昌樂縣公安局2023年政府信息公開工作年度報告.pdf")]),
                    [("report.docx", "昌樂縣公安局2023年政府信息公開工作年度報告.pdf", True)]),
    # the same 繁體 article with the portal's sidebar of other (simplified) titles before it: the article's
    # own title is still told from the sidebar's, so the page dates its file
    "traditional_sidebar": (article("昌樂縣公安局2023年政府信息公開工作年度報告",
                                    "发布时间：2024-01-23　栏目：政府信息公开年报",
                                    [("report.docx", "昌樂縣公安局2023年政府信息公開工作年度報告.pdf")], SIDEBAR),
                            [("report.docx", "昌樂縣公安局2023年政府信息公開工作年度報告.pdf", True)]),
    # the whole page converted (a portal's 繁體 version): chrome, sidebar and its 相關文章 heading too
    "traditional_page": (traditional(article(TITLE, "來源：昌乐县公安局　發佈時間：2024-01-22 10:12",
                                             [("report.docx", f"{TITLE}.docx")], SIDEBAR)),
                         [("report.docx", f"{TITLE}.docx", True)]),
    # a page titled for all the county's departments is not the 公安局's article
    "departments": (article("昌乐县2023年度县直部门政府信息公开工作年度报告", "发布时间：2024-02-28",
                            [("report.docx", f"{TITLE}.docx")]), [("report.docx", f"{TITLE}.docx", True)]),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("published")
    arc = Archive(root)
    arc.start_run("test", [*CASES, "joint"])
    body = report_docx()
    for source, (page, files) in CASES.items():
        url = f"{SITE}/{source}/t20240125_1.html"
        arc.record_document(source, url, "report", title=TITLE, year=2023)
        put_response(arc, url, page, "2024-02-01T00:00:00Z", "text/html", source_id=source)
        for name, text, archived in files:
            file_url = f"{SITE}/{source}/{name}"
            arc.record_document(source, file_url, "attachment", parent_url=url, title=text)
            if archived:
                put_response(arc, file_url, body, "2024-02-01T00:00:01Z", DOCX, source_id=source)
    # the column lists the file as a report of its own beside the article that carries it (详见附件)
    listed, page_url, file_url = f"{SITE}/listed/index.html", f"{SITE}/listed/t20240125_1.html", f"{SITE}/listed/2023.docx"
    arc.record_document("listed", page_url, "report", parent_url=listed, title=TITLE, year=2023)
    put_response(arc, page_url, article(TITLE, "发布时间：2024-01-29", [("2023.docx", "详见附件")]),
                 "2024-02-01T00:00:00Z", "text/html", source_id="listed")
    arc.record_document("listed", file_url, "report", parent_url=listed, title=f"{TITLE}.docx", year=2023)
    put_response(arc, file_url, body, "2024-02-01T00:00:01Z", DOCX, source_id="listed")
    # a joint report's article (titled for both bodies) carrying the file, whose record is the first body's
    joint_title = f"{JOINT}2023年政府信息公开工作年度报告"
    page_url, file_url = f"{SITE}/joint/t20240127_1.html", f"{SITE}/joint/report.docx"
    arc.record_document("joint", page_url, "report", title=joint_title, year=2023)
    put_response(arc, page_url, article(joint_title, "来源：昌乐县公安局　发布时间：2024-01-27 09:30",
                                        [("report.docx", f"{joint_title}.docx")]),
                 "2024-02-01T00:00:00Z", "text/html", source_id="joint")
    arc.record_document("joint", file_url, "attachment", parent_url=page_url, title=f"{joint_title}.docx")
    put_response(arc, file_url, report_docx(joint_lines()), "2024-02-01T00:00:01Z", DOCX, source_id="joint")
    arc.close()
    reparse_all(root)
    return root


def dates(root: Path) -> dict[str, tuple]:
    rows = db_rows(root, "SELECT r.source_url, r.published, r.signed, r.agency, r.year FROM reports r WHERE is_latest = 1")
    return {r["source_url"].split("/")[3]: (r["published"], r["signed"], r["agency"], r["year"]) for r in rows}


def test_a_file_is_published_when_its_article_says(archive: Path) -> None:
    found = dates(archive)
    assert found["article"] == ("2024-01-25", SIGNED, "昌乐县公安局", 2023)
    assert found["info_table"] == ("2024-01-26", SIGNED, "昌乐县公安局", 2023)
    # listed beside its article, the file is the report (the article only carries it) and is dated by it
    assert found["listed"] == ("2024-01-29", SIGNED, "昌乐县公安局", 2023)
    assert len(db_rows(archive, "SELECT id FROM reports WHERE url LIKE ?", f"{SITE}/listed/%")) == 1
    assert found["traditional"] == ("2024-01-24", SIGNED, "昌乐县公安局", 2023)
    assert found["traditional_sidebar"] == ("2024-01-23", SIGNED, "昌乐县公安局", 2023)
    assert found["traditional_page"] == ("2024-01-22", SIGNED, "昌乐县公安局", 2023)
    # a joint report's article names both bodies; the file's record, the first set's body, is dated by it
    assert found["joint"] == ("2024-01-27", SIGNED, "昌乐县公安局", 2023)


def test_without_the_files_article_the_signed_date_stands(archive: Path) -> None:
    found = dates(archive)
    for source in ("undated", "two_years", "departments"):
        assert found[source][:2] == (SIGNED, SIGNED), source


def test_the_posting_label_is_read_right_after_it() -> None:
    assert posted_date(["成文日期：2024-01-19　发布日期：2024-01-26"]) == "2024-01-26"
    assert posted_date(["发布时间：２０２４－０１－２５　浏览次数：3"]) == "2024-01-25"
    assert posted_date(["发布机构：昌乐县公安局 发布日期：2024年1月25日"]) == "2024-01-25"
    # a label with no date after it (a list's column header) and a signature date are no posting
    assert posted_date(["标题\t发布日期", "昌乐县公安局", "2024年1月18日"]) is None


def test_report_page_and_metadata_show_both_dates(archive: Path) -> None:
    rid = db_rows(archive, "SELECT id FROM reports WHERE source_url LIKE ?", f"{SITE}/article/%")[0]["id"]
    with served(archive) as base:
        page = urllib.request.urlopen(f"{base}/-/report/{rid}", timeout=30).read().decode()
        meta = json.loads(urllib.request.urlopen(f"{base}/-/metadata.json", timeout=30).read())
    assert "2024-01-25" in page and f'<span class="signed">{SIGNED}</span>' in page
    columns = meta["databases"]["nianbao"]["tables"]["reports"]["columns"]
    assert "发布时间" in columns["published"] and "落款" in columns["signed"]
