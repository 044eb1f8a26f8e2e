"""The cell keys explained where a researcher looks: `cell_labels` in the database and on the site.

`cells.row = 'denied_third_party'` means nothing to a reader of the printed report; the table
`cell_labels` gives every (table, row, col) the template's own words and its unit (表二's amounts
are 万元), `latest_cells` shows both beside each number, and the cells page and the home page
link the table.  Checked against what the real parser writes (every key it puts in `cells` has a
label) and over HTTP against a real `nianbao serve`.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from archive.labels import cell_label_rows
from archive.reparse import reparse_all
from archive.store import Archive
from parsers import parse_bytes
from tests.support.datasette import served
from tests.support.responses import put_response

FIXTURES = Path(__file__).parent / "fixtures"
# reports of both templates, as text: 2021 (tables 2-4 in full) and 2019 (its own table 2 rows)
TEXTS = [FIXTURES / "text" / "clean_tabs_2021.txt", FIXTURES / "text" / "plain_2019.txt",
         *sorted((FIXTURES / "seeds").glob("*.txt"))]


def test_every_key_the_parser_writes_has_its_label_and_unit() -> None:
    known = {(r["table"], r["row"], r["col"]): r for r in cell_label_rows()}
    templates = set()
    for path in TEXTS:
        result = parse_bytes(path.read_bytes(), path.name)
        templates.add(result.record["template"])
        for c in result.cells:
            label = known.get((c["table"], c["row"], c["col"]))
            assert label is not None, (path.name, c["table"], c["row"], c["col"])
            assert result.record["template"] in label["templates"].split(","), (path.name, label)
    assert templates == {"2021", "2019"}
    # what a reader of the printed table sees for the keys researchers asked about
    assert known[("applications", "denied_third_party", "total")]["row_label"] == "（三）不予公开 4.保护第三方合法权益"
    assert known[("applications", "new_received", "natural_person")]["label"] == \
        "表三 · 一、本年新收政府信息公开申请数量 · 自然人"
    assert known[("reviews_litigation", "litigation_after_review", "corrected")]["label"] == \
        "表四 · 行政诉讼 复议后起诉 · 结果纠正"
    assert known[("active_disclosure", "fees", "amount_10k_yuan")]["unit"] == "万元"
    assert known[("active_disclosure", "procurement", "amount_10k_yuan")]["col_label"] == "采购总金额（单位：万元）"
    assert {r["unit"] for r in known.values() if r["col"] != "amount_10k_yuan"} <= {"件", "项"}
    assert [r["position"] for r in cell_label_rows()] == list(range(1, len(known) + 1))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("cell-labels")
    arc = Archive(root)
    arc.start_run("test", ["s1"])
    text = (FIXTURES / "text" / "clean_tabs_2021.txt").read_bytes()
    url = "http://127.0.0.1:9/s1/report.txt"
    arc.record_document("s1", url, "report")
    put_response(arc, url, text, "2025-01-20T00:00:00Z", "text/plain; charset=utf-8")
    arc.close()
    reparse_all(root)
    with served(root) as base:
        yield base


def get(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=30) as resp:
        return resp.read().decode()


def test_latest_cells_name_each_number_and_its_unit(site: str) -> None:
    params = {"agency": "", "year": "", "table": "", "row": "", "col": "", "_shape": "array", "_size": "max"}
    rows = json.loads(get(site, "/nianbao/latest_cells.json?" + urlencode(params)))
    assert rows and all(r["label"] and r["unit"] for r in rows)
    by_key = {(r["table"], r["row"], r["col"]): r for r in rows}
    fee = by_key[("active_disclosure", "fees", "amount_10k_yuan")]
    assert fee["unit"] == "万元" and "收费金额" in fee["label"]
    assert "保护第三方合法权益" in by_key[("applications", "denied_third_party", "total")]["label"]


def test_the_site_points_from_the_keys_to_their_labels(site: str) -> None:
    labels = json.loads(get(site, "/nianbao/cell_labels.json?_shape=array&_size=max"))
    assert len(labels) == len(cell_label_rows())
    cells_page = get(site, "/nianbao/cells")
    assert 'href="/nianbao/cell_labels"' in cells_page and "万元" in cells_page
    assert 'href="/nianbao/cell_labels"' in get(site, "/")
    meta = json.loads(get(site, "/-/metadata.json"))["databases"]["nianbao"]["tables"]
    assert "cell_labels" in meta["cells"]["columns"]["row"] and "万元" in meta["cells"]["columns"]["value"]
    assert all(meta["cell_labels"]["columns"].get(c) for c in labels[0])  # every column described


def test_an_archive_parsed_before_the_table_existed_gets_it_when_served(tmp_path: Path) -> None:
    import sqlite3

    from archive import db as schema
    from archive import serve

    schema.connect(tmp_path / "nianbao.db").conn.close()  # reports and cells, but no labels written yet
    serve.command(tmp_path, port=1)
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    assert conn.execute("SELECT count(*) FROM cell_labels").fetchone()[0] == len(cell_label_rows())
