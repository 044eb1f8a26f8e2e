"""The extraction cache behind `nianbao parse`: a second re-parse runs no extractor, and changes nothing.

One archive for the module (tests/support/cache_archive.py): the seed reports as HTML pages and
as PDF, DOCX (two revisions) and DOC (LibreOffice) attachments, plus a damaged PDF.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.cli import main
from archive.extract_cache import PARSERS_DIR, extraction_sources, extractor_fingerprint
from archive.reparse import reparse_all
from tests.support.cache_archive import build_cache_archive
from tests.support.dbrows import db_rows as q

VOLATILE = {"parsed_at"}
# pinned for the module: in a shared checkout someone may edit an extractor mid-run, which
# (rightly) changes the live fingerprint; test_fingerprint_follows_extraction_code_only covers that
FP = extractor_fingerprint()


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """The archive after its first re-parse: (data dir, stats, parsed tables)."""
    root = build_cache_archive(tmp_path_factory.mktemp("cache-archive"))
    stats = reparse_all(root, fingerprint=FP)
    return root, stats, parsed_tables(root)


@pytest.fixture
def root(warm: tuple[Path, dict, dict], tmp_path: Path) -> Path:
    """A private copy of the parsed archive, extraction cache included."""
    dest = tmp_path / "data"
    shutil.copytree(warm[0], dest)
    return dest



def parsed_tables(root: Path) -> dict[str, list]:
    """Everything a reader sees after a parse, minus the time stamps."""
    out = {
        "reports": [{k: v for k, v in r.items() if k not in VOLATILE}
                    for r in q(root, "SELECT * FROM reports ORDER BY id")],
        "cells": q(root, 'SELECT report_id, snapshot_id, "table", "row", col, value, raw, inferred FROM cells'
                         ' ORDER BY report_id, "table", "row", col'),
        "findings": q(root, "SELECT report_id, identity, code, cells, printed, implied, message, finding_key"
                            " FROM findings ORDER BY report_id, finding_key"),
        "failures": q(root, "SELECT snapshot_id, url, reason FROM parse_failures ORDER BY snapshot_id"),
        "sections": q(root, "SELECT report_id, section, text FROM sections ORDER BY report_id, section"),
    }
    assert out["reports"] and out["cells"]
    return out


def test_second_reparse_extracts_nothing_and_matches_parse_bytes(
        root: Path, warm: tuple[Path, dict, dict]) -> None:
    from parsers import parse_bytes

    _, first, after_first = warm
    formats = {r["format"] for r in q(root, "SELECT format FROM reports")}
    assert formats == {"html", "pdf", "docx", "doc"}
    assert first["extracted"] > 0 and first["extract_cached"] == 0
    cached = q(root, "SELECT rowid, sha256, extracted_at FROM extracted_text ORDER BY rowid")
    assert len(cached) == first["extracted"]  # one entry per distinct set of bytes extracted

    second = reparse_all(root, fingerprint=FP)
    assert second["extracted"] == 0, "nothing is extracted again"
    assert second["extract_cached"] == first["extracted"]
    assert second["extract_seconds_saved"] > 0.5  # LibreOffice alone takes longer than that for the DOC
    assert q(root, "SELECT rowid, sha256, extracted_at FROM extracted_text ORDER BY rowid") == cached
    assert parsed_tables(root) == after_first

    # the uncached path (`parsers.parse_bytes` itself) gives exactly the same tables
    direct = reparse_all(root, parse=parse_bytes)
    assert parsed_tables(root) == after_first
    for key in ("documents", "reports", "failures", "cells", "findings"):
        assert direct[key] == second[key], key


def test_unreadable_bytes_are_cached_as_the_same_failure(root: Path) -> None:
    reasons = {r["url"]: r["reason"] for r in q(root, "SELECT url, reason FROM parse_failures")}
    broken = reasons["http://127.0.0.1:9/broken/2024.pdf"]
    assert broken and q(root, "SELECT count(*) AS n FROM extracted_text WHERE error = ?", broken)[0]["n"] == 1
    again = reparse_all(root, fingerprint=FP)
    assert again["extracted"] == 0
    assert {r["url"]: r["reason"] for r in q(root, "SELECT url, reason FROM parse_failures")} == reasons


def test_new_fingerprint_extracts_again_and_drops_the_old_texts(root: Path, warm: tuple[Path, dict, dict]) -> None:
    _, first, before = warm
    changed = reparse_all(root, fingerprint="an-edited-extractor")
    assert changed["extracted"] == first["extracted"] and changed["extract_cached"] == 0
    assert {r["fingerprint"] for r in q(root, "SELECT DISTINCT fingerprint FROM extracted_text")} == {
        "an-edited-extractor"}
    assert parsed_tables(root) == before


def test_cli_no_cache_extracts_everything_again(root: Path, warm: tuple[Path, dict, dict],
                                                capsys: pytest.CaptureFixture) -> None:
    n = warm[1]["extracted"]
    assert main(["--data", str(root), "parse", "--no-cache"]) == 0
    assert f"text extracted {n}, from cache 0 " in capsys.readouterr().out
    assert main(["--data", str(root), "parse"]) == 0
    assert f"text extracted 0, from cache {n} " in capsys.readouterr().out


def test_fingerprint_follows_extraction_code_only(tmp_path: Path) -> None:
    copy = tmp_path / "parsers"
    shutil.copytree(PARSERS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    base = extractor_fingerprint(copy)
    assert base == extractor_fingerprint(PARSERS_DIR)  # content, not location

    def edit(rel: str, text: str) -> str:
        with (copy / rel).open("a", encoding="utf-8") as fh:
            fh.write(text)
        return extractor_fingerprint(copy)

    assert edit("textparse.py", "\n# a core-parser change\n") == base
    # a module no extractor imports (tables.py was one until imagegrid took its OCR_UNSURE mark)
    assert (copy / "identities.py").resolve() not in extraction_sources(copy)
    assert edit("identities.py", "\n# not used by any extractor\n") == base
    # pdft4grid reads table 4's header words through t4header and its name table (t4names), which
    # the core readers share: the table comes in, the core readers that use it stay out
    sources = {p.name for p in extraction_sources(copy)}
    assert {"t4header.py", "t4names.py"} <= sources
    assert not sources & {"tables.py", "t4order.py", "ratecols.py", "textparse.py"}
    assert edit("t4order.py", "\n# a core reader of table 4's header\n") == base
    after_pdf = edit("formats/pdf.py", "\n# an extractor change\n")
    assert after_pdf != base
    assert edit("detect.py", "\n# detection decides the extractor\n") != after_pdf

    # a parsers module an extractor starts to import is followed, however it is imported
    (copy / "cellfix.py").write_text("FIX = 1\n", encoding="utf-8")
    assert copy / "cellfix.py" not in extraction_sources(copy)
    edit("formats/xls.py", "\nfrom parsers.cellfix import FIX  # noqa\n")
    assert (copy / "cellfix.py").resolve() in extraction_sources(copy)
    before = extractor_fingerprint(copy)
    assert edit("cellfix.py", "FIX = 2\n") != before
    (copy / "formats" / "cellmore.py").write_text("MORE = 1\n", encoding="utf-8")
    edit("formats/text.py", "\nfrom . import cellmore  # noqa\nfrom .. import tokens  # noqa\n")
    sources = extraction_sources(copy)
    assert (copy / "formats" / "cellmore.py").resolve() in sources
    assert (copy / "tokens.py").resolve() in sources
