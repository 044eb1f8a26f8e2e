"""`make demo`: the whole pipeline on the bundled replica portal, ending in Datasette.

The replica stands in for the internet (which these machines cannot reach), so the demo
exercises exactly the code a scheduled crawl of real portals runs: crawl -> archive ->
parse -> serve.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive.reparse import reparse_all
from archive.serve import serve
from crawler.run import crawl


def summary_text(stats: dict) -> str:
    """One readable line per count, for a person watching the demo (not a raw dict)."""
    lines = [f"{stats.get('documents', 0)} documents read, {stats.get('reports', 0)} reports parsed"
             f" ({stats.get('cells', 0)} table numbers, {stats.get('findings', 0)} accounting findings)"]
    if stats.get("failures"):
        lines.append(f"{stats['failures']} could not be parsed: see the parse_failures table")
    if stats.get("no_tables"):
        lines.append(f"{stats['no_tables']} reports have no statistics tables (narrative only)")
    if stats.get("no_snapshot"):
        lines.append(f"{stats['no_snapshot']} documents were found but never fetched")
    if stats.get("sources"):
        lines.append(f"{stats['sources']} registry sources recorded for the completeness page")
    return "\n".join("[demo]   " + line for line in lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="nianbao-demo", description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("data"), help="data directory (archive + database)")
    ap.add_argument("--port", type=int, default=8001, help="Datasette port on 127.0.0.1")
    ap.add_argument("--portal-port", type=int, default=0, help="first port of the replica portal (0: any free)")
    ap.add_argument("--no-serve", action="store_true", help="stop after parsing (used by tests)")
    args = ap.parse_args(argv)

    from tests.portal.server import Replica  # the replica portal ships with the repository

    data: Path = args.data
    data.mkdir(parents=True, exist_ok=True)
    sources = data / "replica-sources.yaml"
    with Replica.start(faults=False, base_port=args.portal_port or None) as replica:
        replica.write_sources(sources, include_faults=False)
        print(f"[demo] replica portal up; registry written to {sources}", flush=True)
        run_id = crawl(data, sources_path=sources)
        print(f"[demo] crawl finished (run {run_id})", flush=True)
    stats = reparse_all(data)
    print("[demo] parsed:\n" + summary_text(stats), flush=True)
    if args.no_serve:
        return 0
    url = f"http://127.0.0.1:{args.port}/"
    print(f"[demo] open {url}  (Ctrl-C to stop)\n[demo]   {url}-/completeness  which reports each body published"
          f"\n[demo]   {url}-/findings      numbers in a report that do not add up", flush=True)
    serve(data, host="127.0.0.1", port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
