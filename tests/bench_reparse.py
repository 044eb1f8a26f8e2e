"""Re-parse benchmark (`python -m tests.bench_reparse [--data DIR]`), not a pytest test.

Prints the time of a cold `reparse_all` (every document's text extracted: LibreOffice, OCR)
against a warm one (text from the extraction cache, only the core parser runs).  Without
--data it builds the demo-sized archive of tests/support/cache_archive.py plus one scanned
page (PNG, OCR); with --data it works on a copy of that data directory, cache emptied first.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from archive.reparse import reparse_all


def add_scan(root: Path) -> None:
    """One scanned report page (the first page of a seed PDF as a PNG), so OCR is in the mix."""
    import pymupdf

    from archive.store import Archive
    from tests.support.cache_archive import SITE, _put

    conn = sqlite3.connect(root / "nianbao.db")
    (sha,) = conn.execute("SELECT sha256 FROM snapshots WHERE url LIKE '%.pdf' AND size > 5000 LIMIT 1").fetchone()
    conn.close()
    pdf = (root / "blobs" / "sha256" / sha[:2] / sha[2:4] / sha).read_bytes()
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        png = doc[0].get_pixmap(dpi=150).tobytes("png")
    arc = Archive(root)
    run_id = arc.start_run("bench", ["seeds"])
    page, att = f"{SITE}/scan/2024.html", f"{SITE}/scan/2024.png"
    arc.record_document("seeds", page, "report", title="扫描件2024年政府信息公开工作年度报告")
    arc.record_document("seeds", att, "attachment", parent_url=page)
    _put(arc, page, b"<html><body><img src='2024.png'></body></html>", "2025-01-30T00:00:00Z", "text/html")
    _put(arc, att, png, "2025-01-30T00:00:01Z", "image/png")
    arc.finish_run(run_id, {})
    arc.close()


def timed(root: Path, **kwargs) -> tuple[float, dict]:
    started = time.perf_counter()
    stats = reparse_all(root, **kwargs)
    return time.perf_counter() - started, stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.bench_reparse", description=__doc__)
    ap.add_argument("--data", type=Path, help="bench on a copy of this data directory")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-reparse-") as tmp:
        root = Path(tmp) / "data"
        if args.data:
            shutil.copytree(args.data, root, ignore=shutil.ignore_patterns("runs"))
            conn = sqlite3.connect(root / "nianbao.db")
            with conn:
                conn.execute("DELETE FROM extracted_text")
            conn.close()
        else:
            from tests.support.cache_archive import build_cache_archive

            build_cache_archive(root)
            add_scan(root)
        cold, first = timed(root)
        warm, second = timed(root)
        forced, third = timed(root, use_cache=False)
    print(f"reparse of {first['documents']} documents, {first['reports']} report revisions:")
    print(f"  cold (extract all)    {cold:7.2f} s   extracted {first['extracted']}")
    print(f"  warm (from cache)     {warm:7.2f} s   extracted {second['extracted']},"
          f" cached {second['extract_cached']} (~{second['extract_seconds_saved']} s of extraction saved)")
    print(f"  --no-cache            {forced:7.2f} s   extracted {third['extracted']}")
    print(f"  speed-up warm vs cold {cold / warm if warm else float('inf'):7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
