"""The `nianbao` command: one entry point that hands each subcommand to the package that owns it.

Subcommand modules are imported only when their command runs, so `nianbao serve` works
even while the crawler is broken, and `nianbao --help` is instant.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

COMMANDS = {
    "crawl": "crawl the report portals into the archive (crawler.run)",
    "parse": "parse PATH (a report file), or without PATH re-parse the whole archive",
    "serve": "browse the archive and parsed reports in Datasette",
    "sources": "list / check the source registry (crawler.sources)",
    "classify": "classify a link title as report or not (crawler.classify)",
    "replay-portal": "serve the bundled replica portal locally (python -m tests.portal)",
    "worker": "join a distributed crawl as an extra worker (crawler.distributed, needs --redis)",
    "schedule": "run crawls unattended: --once (for cron) or --every 24h (crawler.schedule)",
    "status": "health of the archive and the last crawls; non-zero exit when something needs attention",
    "verify": "check every blob hashes to its name, every WARC reads and holds its snapshots' bytes; exit 1 if not",
}


def _default_data() -> Path:
    return Path(os.environ.get("NIANBAO_DATA", "data"))


def _has_option(rest: list[str], name: str) -> bool:
    return any(a == name or a.startswith(name + "=") for a in rest)


def _parse(data: Path, rest: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="nianbao parse",
        description="Re-parse every archived report into reports, cells, findings and sections of nianbao.db "
                    "(no network: only what the crawls archived).",
        epilog="with a PATH: parse that one file and print its record: nianbao parse PATH [--json] [--all]"
               " [--text] (`nianbao parse PATH --help` explains them)", add_help=False)
    ap.add_argument("-h", "--help", action="store_true", help="show this help message and exit")
    ap.add_argument("--data", type=Path, default=data, metavar="DIR",
                    help=f"data directory: blobs, WARC, nianbao.db (default: $NIANBAO_DATA or ./data; here {data})")
    ap.add_argument("--no-cache", action="store_true",
                    help="extract the text of every document again (OCR, LibreOffice) instead of reusing the"
                         " cached text; the cache is refreshed")
    ap.add_argument("--sources", type=Path, default=None,
                    help="source registry to record for the completeness matrix (default: keep the"
                         " registry the last crawl recorded, else crawler/sources.yaml)")
    args, others = ap.parse_known_args(rest)
    if any(not a.startswith("-") for a in others):  # a PATH: the one-file parser, its own --help too
        from parsers.cli import main as parse_main

        return parse_main(others + (["--help"] if args.help else []))
    if args.help:
        ap.print_help()
        return 0
    if others:
        ap.error(f"unrecognized arguments: {' '.join(others)}")
    from archive.reparse import reparse_all
    from crawler.sources import SourcesError

    try:
        stats = reparse_all(args.data, use_cache=not args.no_cache, sources=args.sources or _registry_default(args.data))
    except ImportError as err:
        print(f"nianbao parse: the parser is not available ({err})", file=sys.stderr)
        return 2
    except (SourcesError, OSError) as err:
        for line in str(err).splitlines():  # a registry's problems, one per line
            print(f"nianbao parse: {line}", file=sys.stderr)
        return 2
    registry = "recorded" if stats.get("registry_recorded") else "kept"
    print(
        f"parsed {stats['reports']} report revisions from {stats['documents']} documents: "
        f"{stats['failures']} failures, {stats['findings']} findings, {stats['cells']} cells, "
        f"{stats['no_snapshot']} not yet fetched, {stats.get('same_report_elsewhere', 0)} duplicates of a report at"
        f" another address, {stats.get('failed_carriers', 0)} pages over a failed file ({args.data / 'nianbao.db'}); "
        f"text extracted {stats.get('extracted', 0)}, from cache {stats.get('extract_cached', 0)}"
        f" (~{stats.get('extract_seconds_saved', 0)} s saved); {stats.get('sources', 0)} registry sources"
        f" ({registry})"
    )
    return 0


def _registry_default(data: Path) -> Path | None:
    """None keeps the registry a crawl recorded; an archive without one gets crawler/sources.yaml."""
    import sqlite3

    from crawler.sources import DEFAULT_PATH

    db = data / "nianbao.db"
    try:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            if conn.execute("SELECT 1 FROM sources LIMIT 1").fetchone():
                return None
    except sqlite3.Error:
        pass
    return DEFAULT_PATH


def _serve(data: Path, rest: list[str]) -> int:
    from archive import serve

    if not _has_option(rest, "--data"):
        rest = ["--data", str(data), *rest]
    return serve.main(rest)


def _crawl(data: Path, rest: list[str]) -> int:
    from crawler.run import main as crawl_main

    if not _has_option(rest, "--data"):
        rest = ["--data", str(data), *rest]
    return crawl_main(rest)


def _sources(data: Path, rest: list[str]) -> int:
    from crawler.sources import main as sources_main

    return sources_main(rest)


@contextlib.contextmanager
def _prog(name: str):
    """argparse names a parser after sys.argv[0] when it has no prog: make that the subcommand."""
    saved = sys.argv[0] if sys.argv else ""
    if sys.argv:
        sys.argv[0] = name
    try:
        yield
    finally:
        if sys.argv:
            sys.argv[0] = saved


def _classify(data: Path, rest: list[str]) -> int:
    from crawler.classify import main as classify_main

    return classify_main(rest)


def _replay_portal(data: Path, rest: list[str]) -> int:
    root = str(Path(__file__).resolve().parents[1])  # the replica ships in the repository, not the wheel
    if root not in sys.path:
        sys.path.insert(0, root)
    from tests.portal.__main__ import main as portal_main

    with _prog("nianbao replay-portal"):
        return portal_main(rest)


def _with_data(module: str, func: str):
    """Commands that take --data get the global one unless they were given their own."""

    def run(data: Path, rest: list[str]) -> int:
        import importlib

        if not _has_option(rest, "--data"):
            rest = ["--data", str(data), *rest]
        return getattr(importlib.import_module(module), func)(rest)

    return run


HANDLERS = {"crawl": _crawl, "parse": _parse, "serve": _serve, "sources": _sources, "classify": _classify,
            "replay-portal": _replay_portal,
            "worker": _with_data("crawler.distributed", "worker_main"),
            "schedule": _with_data("crawler.schedule", "main"),
            "status": _with_data("crawler.monitor", "main"),
            "verify": _with_data("archive.verify", "main")}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="nianbao",
        description="Find, archive and parse 政府信息公开工作年度报告.",
        epilog="commands:\n" + "\n".join(f"  {k:<14} {v}" for k, v in COMMANDS.items())
        + "\n\nrun `nianbao COMMAND --help` for the options of a command",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--data", type=Path, default=None,
                    help="data directory: blobs, WARC, nianbao.db (default: $NIANBAO_DATA or ./data)")
    ap.add_argument("command", choices=list(COMMANDS), metavar="COMMAND")
    ap.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    data = args.data or _default_data()
    os.environ["NIANBAO_DATA"] = str(data)  # modules that read the env see the same directory
    try:
        result = HANDLERS[args.command](data, list(args.rest))
        sys.stdout.flush()
    except BrokenPipeError:
        # `nianbao sources | head`: the reader left; say nothing more (stdout is gone) and stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell tool ends
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
