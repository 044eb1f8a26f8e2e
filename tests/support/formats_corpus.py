"""Build the same five seed reports in every format, once, for round-trip tests and the benchmark.

HTML comes from the portal renderer (tests/portal/render.py); DOCX, DOC and PDF come from
LibreOffice headless (one soffice call per target format for all inputs); XLSX from
LibreOffice Calc's HTML import; PNG from rendering the PDF pages with PyMuPDF.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.portal.render import report_html

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


@dataclass
class Seed:
    stem: str
    record: dict
    narrative: str
    title: str
    files: dict[str, Path] = field(default_factory=dict)


def seed_narrative(text: str, limit: int = 260) -> str:
    """Title-free narrative: section 一 from the seed dump, unwrapped and kept short.

    Short on purpose: the PDF pages are also OCR'd, and every extra page costs seconds.
    """
    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
    start = next((i for i, ln in enumerate(lines) if re.match(r"^一[、.．]\s*总体情况", ln)), None)
    if start is None:
        return "一、总体情况"
    body = []
    for ln in lines[start + 1:]:
        if re.match(r"^二[、.．]", ln):
            break
        if ln and "\t" not in ln and "|" not in ln and not ln.startswith("[bookmark"):
            body.append(ln)
    joined = "".join(body)[:limit]
    return "一、总体情况\n" + joined


def load_seeds() -> list[Seed]:
    seeds = []
    for exp in sorted(SEEDS.glob("*.expected.json")):
        stem = exp.name.removesuffix(".expected.json")
        record = json.loads(exp.read_text(encoding="utf-8"))
        text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
        title = f"{record['agency']}{record['year']}年政府信息公开工作年度报告"
        seeds.append(Seed(stem, record, seed_narrative(text), title))
    return seeds


def soffice_convert(inputs: list[Path], target: str, outdir: Path, infilter: str | None = None,
                    timeout: int = 240) -> None:
    """One soffice run for many files, with a private profile so parallel runs don't collide."""
    profile = Path(tempfile.gettempdir()) / f"nianbao-lo-{uuid.uuid4().hex}"
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir)]
    if infilter:
        cmd.insert(3, f"--infilter={infilter}")
    try:
        subprocess.run(cmd + [str(p) for p in inputs], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
# (row, column, printed) cells blanked in the "variant" rendering: a blank, — or / is null, not 0.
NULL_CELLS = [("carried_over", "natural_person", "—"), ("carried_over", "commercial", "/"),
              ("carried_over", "research", ""), ("granted", "other_org", "－")]


def variant_record(record: dict) -> tuple[dict, dict]:
    """(record to render, record expected back) for the messy-portal variant.

    Rendered values are strings: thousands separators on big numbers, full-width digits
    in table 2, and a few null cells printed as blank / — / /.
    """
    show = json.loads(json.dumps(record))
    expect = json.loads(json.dumps(record))
    for group in show.get("active_disclosure", {}).values():
        for k, v in group.items():
            if v is not None:
                group[k] = (f"{v:,}" if isinstance(v, int) and v >= 1000 else str(v)).translate(FULLWIDTH)
    for row in show.get("applications", {}).values():
        for k, v in row.items():
            if isinstance(v, int) and v >= 1000:
                row[k] = f"{v:,}"
    for row, col, printed in NULL_CELLS:
        show["applications"][row][col] = printed
        expect["applications"][row][col] = None
    return show, expect


def variant_html(seed: Seed, charset: str = "gbk") -> tuple[bytes, dict]:
    """A GBK page, content in a layout table, table 3 split over two <table>s."""
    show, expect = variant_record(seed.record)
    page = report_html(show, seed.narrative, seed.title, charset=charset)
    marker = "<tr><td rowspan="
    i = page.index(marker, page.index("二、上年结转"))
    page = page[:i] + '</tbody>\n</table>\n<p></p>\n<table border="1"><tbody>\n' + page[i:]
    page = page.replace('<div class="article-content">',
                        '<table width="100%"><tr><td class="nav">首页 &gt; 政务公开</td></tr>'
                        '<tr><td><div class="article-content">')
    page = page.replace("</div>\n", "</div></td></tr></table>\n", 1) if "</div>\n" in page else page
    return page.encode("gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset), expect


def build_corpus(outdir: Path, seeds: list[Seed], office: tuple[str, ...] = ("docx", "pdf", "doc", "xlsx", "xls")) -> None:
    """Write <stem>.html (+ variant) and convert them with LibreOffice, one batch per target."""
    htmls = []
    for s in seeds:
        p = outdir / f"{s.stem}.html"
        p.write_text(report_html(s.record, s.narrative, s.title), encoding="utf-8")
        s.files["html"] = p
        htmls.append(p)
        data, _ = variant_html(s)
        v = outdir / f"{s.stem}.variant.html"
        v.write_bytes(data)
        s.files["variant_html"] = v
    targets = {
        "docx": ("docx:MS Word 2007 XML", "HTML (StarWriter)"),
        "pdf": ("pdf:writer_pdf_Export", "HTML (StarWriter)"),
        "doc": ("doc:MS Word 97", "HTML (StarWriter)"),
        "xlsx": ("xlsx:Calc MS Excel 2007 XML", "HTML (StarCalc)"),
        "xls": ("xls:MS Excel 97", "HTML (StarCalc)"),
    }
    variants = [s.files["variant_html"] for s in seeds]
    for ext in office:
        target, infilter = targets[ext]
        inputs = htmls + (variants if ext in ("docx", "pdf") else [])
        soffice_convert(inputs, target, outdir, infilter)
        for s in seeds:
            s.files[ext] = outdir / f"{s.stem}.{ext}"
            if ext in ("docx", "pdf"):
                s.files[f"variant_{ext}"] = outdir / f"{s.stem}.variant.{ext}"
