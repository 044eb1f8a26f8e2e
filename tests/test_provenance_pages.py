"""Every number of a PDF report carries the page it was printed on, down to the Datasette link.

A researcher checking one cell of a long PDF wants to land on the page that prints it.  The
checks here are the reader's: open the PDF with PyMuPDF and look on the page the parser named
for the row's numbers; open the report page and follow the link to `#page=N` of the archived
file, which must be served inline as a PDF so the browser's viewer honours the fragment.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pymupdf
import pytest
from bs4 import BeautifulSoup

import parsers
from archive import db as schema
from archive import reportpage
from archive.reparse import reparse_all
from archive.store import Archive
from parsers.formats import pdf as pdf_format
from parsers.pages import PAGE_BREAK, split_pages
from parsers.tokens import squash
from tests.support.datasette import served
from tests.support.responses import put_response
from tests.test_datasette_views import fetch

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
FORMATS = Path(__file__).parent / "fixtures" / "formats"

# What a reader sees paging through each PDF: the pages each table is printed on.
TABLE_PAGES = {
    # LibreOffice PDF, ruled tables read off the rules; table 3 runs over four pages
    "33_harbin_daoli_district_2023_lopdf_repeated_header.pdf":
        {"active_disclosure": {1}, "applications": {2, 3, 4, 5}, "reviews_litigation": {5}},
    # horizontal rules only, labels wrapped around their numbers, table 3 over a page break
    "65_lianyungang_haizhou_district_2024_pymupdf_hrules_only_rotated_header.pdf":
        {"active_disclosure": {1}, "applications": {2, 3}, "reviews_litigation": {3}},
    # one text object per glyph: every row rebuilt from glyph positions
    "68_tongling_yian_district_2023_pymupdf_per_glyph_no_rules.pdf":
        {"active_disclosure": {1}, "applications": {2, 3}, "reviews_litigation": {3}},
}


def page_texts(data: bytes) -> list[str]:
    """Each page's text as a reader copies it (both of PyMuPDF's orders), whitespace removed."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [squash(p.get_text()) + "\n" + squash(p.get_text(sort=True)) for p in doc]


def rows_of(cells: list[dict]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for c in cells:
        out.setdefault((c["table"], c["row"]), []).append(c)
    return out


def printed(row: list[dict]) -> str:
    """The row's numbers as they stand side by side on the page."""
    return "".join(squash(c["raw"]) for c in row if c["raw"] and not c["inferred"])


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[bytes, parsers.ParseResult]]:
    out = {}
    for name in TABLE_PAGES:
        data = (REALWORLD / name).read_bytes()
        out[name] = (data, parsers.parse_bytes(data, name))
    return out


@pytest.mark.parametrize("name", sorted(TABLE_PAGES))
def test_each_row_is_on_the_page_that_prints_it(name: str, parsed) -> None:
    data, result = parsed[name]
    texts = page_texts(data)
    seen: dict[str, set[int]] = {}
    for (table, row), cells in rows_of(result.cells).items():
        page = cells[0]["page"]
        assert page is not None, (table, row)
        assert {c["page"] for c in cells} == {page}
        seen.setdefault(table, set()).add(page)
        numbers = printed(cells)
        if numbers:
            assert numbers in texts[page - 1], (table, row, numbers, page)
            on = [i + 1 for i, t in enumerate(texts) if numbers in t]
            if len(on) == 1:  # numbers printed on one page only: that page and no other
                assert page == on[0], (table, row)
        for c in cells:  # each printed cell is on its page
            if c["raw"] and c["raw"].strip():
                assert squash(c["raw"]) in texts[page - 1], (table, row, c["col"])
    assert seen == TABLE_PAGES[name]
    assert min(seen["applications"]) > max(seen["active_disclosure"])  # table 3 after table 2's page


def test_pages_in_the_json_and_nothing_else_changes(parsed) -> None:
    data, result = parsed["65_lianyungang_haizhou_district_2024_pymupdf_hrules_only_rotated_header.pdf"]
    pages = result.to_json_dict()["meta"]["pages"]
    assert pages["applications.new_received.total"] == 2
    assert pages["applications.other_overdue_correction.total"] == 3
    assert len(pages) == len(result.cells)
    # the text the parser reads is the text without page breaks: same record as from the plain text
    text, _kind = parsers.extract.extract_text(data)
    plain = parsers.parse_text("\n".join(s for s in text.split("\n") if s != PAGE_BREAK))
    assert plain.record == result.record and plain.findings == result.findings
    assert "pages" not in plain.meta and {c["page"] for c in plain.cells} == {None}


def test_other_formats_have_no_pages() -> None:
    result = parsers.parse_bytes((FORMATS / "zibo_police_libreoffice.docx").read_bytes(), "x.docx")
    assert result.cells and all(c["page"] is None for c in result.cells)
    assert "pages" not in result.meta


def test_page_breaks_are_lines_of_their_own() -> None:
    assert pdf_format.PAGE_BREAK == PAGE_BREAK  # the extractor writes what the parser takes out
    text = "\n".join(["标题", "一、总体情况\r正文", PAGE_BREAK, "", "三、申请\t1\t2", PAGE_BREAK, "签名"])
    clean, pages = split_pages(text)
    assert clean == "标题\n一、总体情况\r正文\n\n三、申请\t1\t2\n签名"
    assert len(pages) == len(clean.splitlines()) and pages == [1, 1, 1, 2, 2, 3]
    assert split_pages("no pages here") == ("no pages here", None)


def test_the_extractor_marks_the_breaks_between_pages() -> None:
    two = parsers.extract.extract_text((FORMATS / "zhoukou_police_libreoffice.pdf").read_bytes())[0]
    assert two.split("\n").count(PAGE_BREAK) == 1
    one = pymupdf.open()
    one.new_page().insert_text((72, 72), "Annual report on government information disclosure, 2023")
    text = parsers.extract.extract_text(one.tobytes())[0]
    assert PAGE_BREAK not in text  # a one-page PDF: the whole file is the page


def image_only_pdf(data: bytes, dpi: int = 110) -> bytes:
    """The same report as a scan: each page a picture, no text layer."""
    src = pymupdf.open(stream=data, filetype="pdf")
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
    return out.tobytes()


def test_ocr_of_a_scan_puts_cells_on_the_same_pages() -> None:
    data = (FORMATS / "zhoukou_police_libreoffice.pdf").read_bytes()  # table 3 runs from page 1 onto page 2
    text = parsers.parse_bytes(data, "text.pdf")
    scan = image_only_pdf(data)
    assert not "".join(p.get_text() for p in pymupdf.open(stream=scan, filetype="pdf")).strip()
    ocr = parsers.parse_bytes(scan, "scan.pdf")
    by_text = {(c["table"], c["row"], c["col"]): c["page"] for c in text.cells}
    compared = [(c["page"], by_text[c["table"], c["row"], c["col"]]) for c in ocr.cells
                if c["raw"] and (c["table"], c["row"], c["col"]) in by_text]
    assert len(compared) >= 150
    assert all(got == want for got, want in compared)
    assert {want for _, want in compared} == {1, 2}


# ---- archive and Datasette --------------------------------------------------------------------

PDF_NAME = "33_harbin_daoli_district_2023_lopdf_repeated_header.pdf"
PDF_URL = "http://127.0.0.1:9/xxgk/2023ndbg.pdf"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("pages-site")
    arc = Archive(data)
    put_response(arc, PDF_URL, (REALWORLD / PDF_NAME).read_bytes(), "2024-03-01T00:00:00Z", ctype="application/pdf")
    arc.record_document("s1", PDF_URL, "report", title="2023年政府信息公开工作年度报告", year=2023)
    arc.close()
    reparse_all(data)
    with served(data) as base:
        yield {"base": base, "data": data}


def _db(site) -> sqlite3.Connection:
    conn = sqlite3.connect(site["data"] / "nianbao.db")
    conn.row_factory = sqlite3.Row
    return conn


def test_cells_table_holds_the_page(site) -> None:
    with _db(site) as conn:
        got = {(r["table"], r["row"], r["col"]): r["page"] for r in conn.execute("SELECT * FROM cells")}
    direct = parsers.parse_bytes((REALWORLD / PDF_NAME).read_bytes(), PDF_NAME)
    assert got == {(c["table"], c["row"], c["col"]): c["page"] for c in direct.cells}
    assert got[("reviews_litigation", "review", "total")] == 5


def test_report_page_links_a_cell_to_its_page(site) -> None:
    with _db(site) as conn:
        rid = conn.execute("SELECT id FROM reports").fetchone()[0]
        want = conn.execute("SELECT page, snapshot_id FROM cells WHERE report_id = ? AND \"table\" = 'applications'"
                            " AND \"row\" = 'carried_forward' AND col = 'total'", (rid,)).fetchone()
    assert want["page"] == 5
    status, _h, body = fetch(site["base"] + f"/-/report/{rid}")
    assert status == 200
    page = BeautifulSoup(body, "html.parser")
    cell = page.find(id="cell-applications-carried_forward-total")
    link = cell.find("a")
    assert link["href"] == f"/-/snapshot/{want['snapshot_id']}#page=5"
    assert "第5页" in cell["title"] and "page 5" in cell["title"]
    first = page.find(id="cell-active_disclosure-regulations-issued").find("a")
    assert first["href"].endswith("#page=1")
    # the link's target is the PDF itself, shown inline, so the viewer can open it at the page
    status, headers, body = fetch(site["base"] + link["href"].split("#")[0])
    assert status == 200 and body.startswith(b"%PDF")
    assert headers["content-type"].startswith("application/pdf")
    assert headers["content-disposition"].startswith("inline")
    with pymupdf.open(stream=body, filetype="pdf") as doc:
        assert squash(cell.get_text()) in squash(doc[4].get_text())


def test_an_older_db_gets_the_column_and_its_report_page_still_renders(tmp_path: Path) -> None:
    path = tmp_path / "nianbao.db"
    old = sqlite3.connect(path)
    old.executescript(schema.PARSED_DDL.replace(",\n    page INTEGER", "").split("CREATE INDEX IF NOT EXISTS cells_report")[0])
    old.execute("INSERT INTO reports (id, record) VALUES ('r1', '{}')")
    old.execute("INSERT INTO cells (report_id, snapshot_id, \"table\", \"row\", col, value, raw, inferred)"
                " VALUES ('r1', 1, 'applications', 'granted', 'total', 3, '3', 0)")
    old.commit()
    assert "page" not in {r[1] for r in old.execute("PRAGMA table_info(cells)")}
    assert reportpage.cell_pages(old, "r1") == {}  # served before the migration: no pages, no error
    old.close()
    schema.connect(path).conn.close()
    conn = sqlite3.connect(path)
    assert "page" in {r[1] for r in conn.execute("PRAGMA table_info(cells)")}
    view = reportpage.report_page(conn, "r1")
    granted = next(r for r in view["applications"] if r["key"] == "granted")["cells"][-1]
    assert granted["href"] == "/-/snapshot/1" and granted["page"] is None


def test_a_one_page_pdf_puts_its_cells_on_page_1() -> None:
    """The two pages of a report printed on one tall page: a number is still linked to #page=1."""
    src = pymupdf.open(stream=(FORMATS / "zhoukou_police_libreoffice.pdf").read_bytes(), filetype="pdf")
    w, h = src[0].rect.width, src[0].rect.height + src[1].rect.height
    one = pymupdf.open()
    page = one.new_page(width=w, height=h)
    page.show_pdf_page(pymupdf.Rect(0, 0, w, src[0].rect.height), src, 0)
    page.show_pdf_page(pymupdf.Rect(0, src[0].rect.height, w, h), src, 1)
    two = parsers.parse_bytes(src.tobytes(), "two.pdf")
    result = parsers.parse_bytes(one.tobytes(), "one.pdf")
    assert result.record == two.record
    assert result.cells and {c["page"] for c in result.cells} == {1}
    assert set(result.meta["pages"].values()) == {1} and len(result.meta["pages"]) == len(result.cells)
