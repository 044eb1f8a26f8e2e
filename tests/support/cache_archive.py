"""A demo-sized archive with every slow extractor in it, for the extraction-cache test and bench.

The five seed reports, archived the ways portals publish them: tables on the page (UTF-8,
gzip-encoded; and the GBK variant), or a link page with the report attached as PDF, DOCX
(corrected later: two revisions) or legacy DOC (LibreOffice), plus a truncated PDF that
cannot be read.  All files are made by LibreOffice from the seeds (tests/support/formats_corpus).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from archive.store import Archive
from tests.portal.render import report_html
from tests.support.formats_corpus import build_corpus, load_seeds, variant_html
from tests.support.responses import put_response

SITE = "http://127.0.0.1:9"
CTYPES = {"pdf": "application/pdf", "doc": "application/msword",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _put(arc: Archive, url: str, body: bytes, at: str, ctype: str, gz: bool = False) -> None:
    put_response(arc, url, body, at, ctype, gz, source_id="seeds")


def build_cache_archive(root: Path) -> Path:
    """Write the archive under `root` (one LibreOffice batch per format, ~10 s) and return root."""
    seeds = load_seeds()
    assert len(seeds) == 5, "the five seed reports"
    with tempfile.TemporaryDirectory(prefix="nianbao-cache-corpus-") as tmp:
        corpus = Path(tmp)
        build_corpus(corpus, seeds[2:5], office=("pdf", "docx", "doc"))
        arc = Archive(root)
        run_id = arc.start_run("test", ["seeds"])
        # tables on the page: UTF-8 gzip-encoded, and the GBK variant
        for i, (seed, body) in enumerate([(seeds[0], report_html(seeds[0].record, seeds[0].narrative, seeds[0].title).encode()),
                                          (seeds[1], variant_html(seeds[1])[0])]):
            url = f"{SITE}/page/{seed.stem}.html"
            arc.record_document("seeds", url, "report", title=seed.title)
            charset = "utf-8" if i == 0 else "gbk"
            _put(arc, url, body, f"2025-01-0{i + 1}T00:00:00Z", f"text/html; charset={charset}", gz=i == 0)
        # link pages with the report attached
        for i, (seed, fmt) in enumerate(zip(seeds[2:5], ("pdf", "docx", "doc"), strict=True)):
            page = f"{SITE}/{fmt}/{seed.stem}.html"
            att = f"{SITE}/{fmt}/{seed.stem}.{fmt}"
            arc.record_document("seeds", page, "report", title=seed.title)
            arc.record_document("seeds", att, "attachment", parent_url=page)
            link = f'<html><body><h1>{seed.title}</h1><a href="{att}">附件</a></body></html>'.encode()
            _put(arc, page, link, f"2025-01-1{i}T00:00:00Z", "text/html; charset=utf-8")
            _put(arc, att, seed.files[fmt].read_bytes(), f"2025-01-1{i}T00:00:01Z", CTYPES[fmt])
            if fmt == "docx":  # a corrected version replaces the file later
                _put(arc, att, seed.files["variant_docx"].read_bytes(), "2025-02-01T00:00:00Z", CTYPES[fmt])
        # a link page whose only attachment is damaged
        page, att = f"{SITE}/broken/2024.html", f"{SITE}/broken/2024.pdf"
        arc.record_document("seeds", page, "report", title="某局2024年政府信息公开工作年度报告")
        arc.record_document("seeds", att, "attachment", parent_url=page)
        _put(arc, page, b"<html><body><a href='2024.pdf'>pdf</a></body></html>", "2025-01-20T00:00:00Z", "text/html")
        _put(arc, att, seeds[2].files["pdf"].read_bytes()[:2000], "2025-01-20T00:00:01Z", CTYPES["pdf"])
        arc.finish_run(run_id, {})
        arc.close()
    return root
