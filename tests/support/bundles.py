"""The 汇编 fixture: one county's departments' and a town's reports printed as one document.

Counties publish `XX县2023年度部门政府信息公开工作年度报告汇编`: a cover title, a 目录 naming each
report, then every body's report under its own title, each with its own 一、总体情况, three tables
and signature.  This builds one such compilation (平阴县, four bodies) from records whose identities
hold (tests/support/many_bodies.record, numbers varied per body), as an HTML page that LibreOffice
prints to PDF and saves as DOCX, plus the PDF's `pdftotext -layout` dump.  Each file sits in
tests/fixtures/bundles/ beside its expected records (a JSON list, one per body, in print order).

The pages a report's numbers may name are read from the PDF with PyMuPDF (the page where its title
is printed up to the page before the next title), not from the parser.

Regenerate: `.venv/bin/python -m tests.support.bundles` (needs soffice and pdftotext).
"""

from __future__ import annotations

import copy
import html
import json
import random
import subprocess
import tempfile
from pathlib import Path

from tests.portal import render
from tests.support.formats_corpus import soffice_convert
from tests.support.many_bodies import record

BUNDLES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"
STEM = "pingyin_county_2023_departments"
YEAR = 2023
COVER = f"平阴县{YEAR}年度部门政府信息公开工作年度报告汇编"
BODIES = ("平阴县财政局", "平阴县教育和体育局", "平阴县自然资源局", "平阴县孔村镇人民政府")
SIGNED = ("2024年1月18日", "2024年1月22日", "2024年1月25日", "2024年1月30日")
TABLES = ("active_disclosure", "applications", "reviews_litigation")


def title(body: str) -> str:
    return f"{body}{YEAR}年政府信息公开工作年度报告"


def records(seed: int = 14) -> list[dict]:
    """One record per body: applications from many_bodies.record, table 2 and 4 varied as well."""
    rng = random.Random(seed)
    out = []
    for body in BODIES:
        rec, _ = record(rng, body, YEAR, {})
        active = copy.deepcopy(rec["active_disclosure"])
        active["normative_documents"] = {"issued": rng.randint(0, 6), "repealed": rng.randint(0, 2),
                                         "in_force": rng.randint(6, 30)}
        for key in ("licensing", "punishment", "coercion"):
            active[key] = {"decisions": rng.randint(0, 900)}
        active["fees"] = {"amount_10k_yuan": rng.randint(0, 80)}
        rec["active_disclosure"] = active
        reviews = {}
        for group in ("review", "litigation_direct", "litigation_after_review"):
            row = {k: rng.choice((0, 0, 1, 2)) for k in ("upheld", "corrected", "other", "pending")}
            row["total"] = sum(row.values())
            reviews[group] = row
        rec["reviews_litigation"] = reviews
        out.append({k: rec[k] for k in ("agency", "year", "template", *TABLES)})
    return out


def narrative(rec: dict, signed: str) -> str:
    body, apps = rec["agency"], rec["applications"]
    return "\n".join([
        f"本报告由{body}根据《中华人民共和国政府信息公开条例》编制，统计期限自{YEAR}年1月1日起至{YEAR}年12月31日止。",
        "一、总体情况",
        f"{YEAR}年，{body}围绕中心工作推进政务公开，全年收到政府信息公开申请{apps['new_received']['total']}件。",
        "五、存在的主要问题及改进情况",
        f"{body}公开内容的解读形式仍较单一。下一步将加强培训，丰富解读形式。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        body,
        signed,
    ])


def bundle_html(recs: list[dict]) -> str:
    """The compilation as one page: cover, 目录, then each report from a new page."""
    contents = "\n".join(f"<p>{html.escape(title(r['agency']))}</p>" for r in recs)
    parts = [f'<h1 style="page-break-before: always">{html.escape(title(r["agency"]))}</h1>\n'
             f"{render.report_body_html(r, narrative(r, signed))}" for r, signed in zip(recs, SIGNED, strict=True)]
    return render.report_html({}, "", COVER).replace(
        '<div class="article-content">\n\n</div>',
        f'<p style="text-align:center">目　录</p>\n{contents}\n' + "\n".join(parts), 1)


def title_pages(pdf: Path, bodies: tuple[str, ...]) -> list[tuple[int, int]]:
    """(first, last) 1-based page of each report: from its title's page to the page before the next."""
    import pymupdf

    with pymupdf.open(pdf) as doc:
        starts = []
        for body in bodies:
            # the first page after the ones already placed that prints the title (the 目录 page names it too)
            after = starts[-1] if starts else 1
            starts.append(next(n + 1 for n in range(after, doc.page_count) if title(body) in
                               "".join(doc[n].get_text().split())))
        ends = [s - 1 for s in starts[1:]] + [doc.page_count]
    return list(zip(starts, ends, strict=True))


def build(outdir: Path = BUNDLES) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    recs = records()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{STEM}.html"
        src.write_text(bundle_html(recs), encoding="utf-8")
        soffice_convert([src], "pdf:writer_web_pdf_Export", Path(tmp))
        soffice_convert([src], "docx:MS Word 2007 XML", Path(tmp), infilter="HTML (StarWriter)")
        pdf, docx = outdir / f"01_{STEM}.pdf", outdir / f"03_{STEM}.docx"
        pdf.write_bytes((Path(tmp) / f"{STEM}.pdf").read_bytes())
        docx.write_bytes((Path(tmp) / f"{STEM}.docx").read_bytes())
    # as `pdftotext -layout` saves it: a form feed between pages
    dump = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    text = outdir / f"02_{STEM}_pdftotext_layout.txt"
    text.write_bytes(dump)
    pages = title_pages(pdf, BODIES)
    for path in (pdf, text, docx):
        expected = []
        for rec, span in zip(recs, pages, strict=True):
            rec = dict(rec, findings=[])
            if path.suffix != ".docx":  # the text dump keeps the PDF's form feeds
                rec["pages"] = list(span)
            expected.append(rec)
        path.with_name(path.stem + ".expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
