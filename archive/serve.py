"""`nianbao serve`: Datasette over nianbao.db with our metadata, search functions and templates.

Datasette runs as its own process (`python -m datasette`), exactly as a user would run it,
so what the tests exercise is what `make demo` shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from archive import db as schema
from archive import labels

HERE = Path(__file__).resolve().parent / "datasette"
METADATA = HERE / "metadata.yml"
PLUGINS = HERE / "plugins"
TEMPLATES = HERE / "templates"
TRUNCATE_CELLS = 400


def command(data: Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The datasette command line; the database is created (empty schema) if missing."""
    db_path = Path(data) / "nianbao.db"
    conn = schema.connect(db_path).conn
    try:
        if not conn.execute("SELECT 1 FROM cell_labels LIMIT 1").fetchone():
            with conn:  # an archive parsed before the table existed: the labels do not wait for a re-parse
                labels.store(conn)
    finally:
        conn.close()
    cmd = [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", host, "--port", str(port),
           "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS),
           "--setting", "sql_time_limit_ms", "5000", "--setting", "default_page_size", "50",
           "--setting", "facet_time_limit_ms", "500",
           # suggested facets try a GROUP BY on every column of the whole table on every page view: 1.4 s
           # for the 1.16 M cells of 5,800 reports, against 30 ms for the page itself.  The useful
           # facets are declared per table in metadata.yml, and ?_facet= still adds any column.
           "--setting", "suggest_facets", "off",
           # a table's CSV stream (and its excel link) is the whole table: cells is ~200 MB at 10k reports
           "--setting", "max_csv_mb", "0",
           # long text (narrative, extracted text) is cut on table and query pages; row pages show it whole
           "--setting", "truncate_cells_html", str(TRUNCATE_CELLS)]
    if any(TEMPLATES.glob("*.html")):
        cmd += ["--template-dir", str(TEMPLATES)]
    return cmd


def start(data: Path, host: str = "127.0.0.1", port: int = 8001, **popen) -> subprocess.Popen:
    """Datasette in the background (tests, demo scripts); the caller terminates it."""
    return subprocess.Popen(command(data, host, port), **popen)


def serve(data: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Become Datasette (exec): Ctrl-C and SIGTERM reach it directly, no orphan is left behind."""
    cmd = command(data, host, port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(cmd[0], cmd)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(
        prog="nianbao serve",
        description="Browse the archive and the parsed reports in Datasette (report pages, snapshots, "
                    "completeness matrix, diffs, findings, full-text search).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NIANBAO_DATA", "data")), metavar="DIR",
                    help="data directory holding nianbao.db (default $NIANBAO_DATA or ./data)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (0.0.0.0 exposes the archive to the network)")
    ap.add_argument("--port", type=int, default=8001, help="port to listen on")
    ap.add_argument("--create", action="store_true",
                    help="serve an empty archive when DIR has no nianbao.db yet (it is created)")
    args = ap.parse_args(argv)
    if not (args.data / "nianbao.db").is_file() and not args.create:
        # a typo in --data must not quietly publish an empty site
        print(f"nianbao serve: no archive at {args.data} (no nianbao.db there); check --data, run "
              "`nianbao crawl` first, or pass --create to serve an empty one", file=sys.stderr)
        return 2
    serve(args.data, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
