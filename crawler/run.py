"""Run a crawl: one crawler per run (crawler.spiders.families.RunSpider hands each source to its
family's spider), so per-domain politeness is one set of download slots for the whole run; one run record.

`crawl()` runs the CrawlerProcess in a child Python process: Twisted's reactor cannot be
restarted, and callers (the demo, tests, a scheduler) crawl more than once per process.
The parent opens the run (crawl_runs row) so it can return the id; the child crawls and
closes it with the per-source stats.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.spiders.families import SPIDERS, RunSpider

logger = logging.getLogger(__name__)



def select_sources(sources_path: Path | None, only: list[str] | None) -> list[Any]:
    from crawler.sources import load_sources

    sources = load_sources(sources_path) if sources_path else load_sources()
    if only:
        wanted = set(only)
        unknown = wanted - {s.id for s in sources}
        if unknown:
            raise SystemExit(f"unknown source id(s): {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s.id in wanted]
    return sources


def download_slots(sources: list[Any], base: Settings) -> dict[str, dict]:
    """Per-host politeness from per-source overrides (concurrency, download_delay); slots are keyed by
    host:port, the key the spiders put in meta["download_slot"]."""
    slots: dict[str, dict] = dict(base.getdict("DOWNLOAD_SLOTS"))
    default_conc = base.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
    for source in sources:
        overrides = source.overrides or {}
        for url in source.start_urls:
            key = urlsplit(url).netloc.lower()
            slot = slots.setdefault(key, {"concurrency": default_conc})
            if overrides.get("concurrency") is not None:
                slot["concurrency"] = min(slot.get("concurrency", default_conc), int(overrides["concurrency"]))
            if overrides.get("download_delay") is not None:
                slot["delay"] = max(slot.get("delay", 0.0), float(overrides["download_delay"]))
    return slots


def build_settings(data_dir: Path, run_id: str, sources: list[Any], extra: dict | None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("NIANBAO_DATA", str(Path(data_dir).resolve()), priority="project")
    settings.set("NIANBAO_RUN_ID", run_id, priority="project")
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    settings.set("DOWNLOAD_SLOTS", download_slots(sources, settings), priority="cmdline")
    return settings



def runnable_sources(archive, run_id: str, sources: list) -> list:
    """Sources a spider exists for; any other is an error row of the run, not a silent skip."""
    known = []
    for source in sources:
        if source.family in SPIDERS:
            known.append(source)
        else:
            archive.record_error(run_id, source.id, None, f"no spider for family {source.family!r}")
    return known

def run_in_process(data_dir: Path, run_id: str, sources_path: Path | None, only: list[str] | None,
                   extra: dict | None) -> dict[str, dict]:
    """The child's work: crawl every family present and close the run with per-source stats."""
    from crawler.middlewares import archive_for

    sources = select_sources(sources_path, only)
    settings = build_settings(data_dir, run_id, sources, extra)
    archive = archive_for(settings)
    process = CrawlerProcess(settings)
    known = runnable_sources(archive, run_id, sources)
    crawler = process.create_crawler(RunSpider) if known else None
    if crawler is not None:
        process.crawl(crawler, sources=known, run_id=run_id)
    status = "finished"
    try:
        if crawler is not None:
            process.start()
    except Exception:  # pragma: no cover - recorded, then re-raised
        status = "failed"
        raise
    finally:
        stats: dict[str, dict] = {}
        if crawler is not None:
            if crawler.spider is not None:
                stats.update(crawler.spider.stats_rows())
            finish = crawler.stats.get_value("finish_reason") if crawler.stats else None
            if finish not in (None, "finished"):
                status = "failed" if status == "failed" else f"partial: {finish}"
        for source in sources:
            stats.setdefault(source.id, {"pages": 0, "reports_found": 0, "attachments": 0, "errors": 0,
                                         "duration_s": 0.0})
        archive.finish_run(run_id, stats, status=status)
    return stats


def record_crawled_registry(archive: Any, sources_path: Path | None) -> None:
    """Keep the whole registry a crawl ran from (not only `--only` ids) in the `sources` table, so the
    completeness matrix expects what this archive was built to hold; `nianbao parse` keeps it."""
    from archive.completeness import record_registry
    from crawler.sources import DEFAULT_PATH, load_sources

    path = Path(sources_path) if sources_path else DEFAULT_PATH
    with archive.transaction() as conn:
        record_registry(conn, load_sources(path), str(path.resolve()))


def crawl(data_dir: Path, sources_path: Path | None = None, only: list[str] | None = None,
          settings: dict | None = None, redis_url: str | None = None) -> str:
    """Crawl the registry (or `only` some ids) into the archive at data_dir; returns the run id.
    With `redis_url` the run's queue is shared with `nianbao worker` processes (crawler/distributed.py)."""
    from crawler.middlewares import archive_for

    if redis_url:
        from crawler import distributed

        return distributed.crawl(data_dir, sources_path=sources_path, only=only, settings=settings,
                                 redis_url=redis_url)

    data_dir = Path(data_dir).resolve()
    sources = select_sources(Path(sources_path) if sources_path else None, only)
    archive = archive_for({"NIANBAO_DATA": str(data_dir)})
    run_id = archive.start_run("nianbao", [s.id for s in sources])
    record_crawled_registry(archive, sources_path)
    payload = {"data_dir": str(data_dir), "run_id": run_id,
               "sources_path": str(Path(sources_path).resolve()) if sources_path else None,
               "only": only, "settings": settings or {}}
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-m", "crawler.run", "--child", json.dumps(payload)], env=env,
                          check=False)
    archive.run_id = None  # the child closed the run; nothing more is recorded under it from here
    if proc.returncode != 0:
        row = archive.db.conn.execute("SELECT status FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        if row and row[0] == "running":
            archive.finish_run(run_id, {}, status=f"failed: exit {proc.returncode}")
        raise RuntimeError(f"crawl run {run_id} failed (exit {proc.returncode})")
    return run_id


def _child(payload: str) -> int:
    args = json.loads(payload)
    run_in_process(Path(args["data_dir"]), args["run_id"],
                   Path(args["sources_path"]) if args.get("sources_path") else None,
                   args.get("only"), args.get("settings"))
    return 0



def parse_set_options(items: list[str]) -> dict[str, Any]:
    """`--set NAME=VALUE` options: numbers, booleans, lists and dicts as JSON; anything else stays a string."""
    out: dict[str, Any] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name] = json.loads(value)
        except ValueError:
            out[name] = value
    return out

def main(argv: list[str] | None = None) -> int:
    """`nianbao crawl [--data DIR] [--sources FILE] [--only ID …]`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child(argv[1])
    if argv[:1] == ["crawl"]:
        argv = argv[1:]
    ap = argparse.ArgumentParser(
        prog="nianbao crawl",
        description="Crawl the sources registry into the archive: every response goes to the blob store, "
                    "the WARC files and nianbao.db; a re-crawl asks conditionally and stores only what changed.")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NIANBAO_DATA", "data")), metavar="DIR",
                    help="data directory (default $NIANBAO_DATA or ./data)")
    ap.add_argument("--sources", type=Path, default=None, metavar="FILE",
                    help="sources registry YAML (default: the bundled crawler/sources.yaml)")
    ap.add_argument("--only", nargs="+", default=None, metavar="ID", help="crawl only these source ids")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a Scrapy setting (repeatable), e.g. --set LOG_LEVEL=WARNING")
    ap.add_argument("--redis", default=None, metavar="URL",
                    help="distributed: share the run's queue in Redis with `nianbao worker` processes")
    args = ap.parse_args(argv)
    extra = parse_set_options(args.set)
    try:
        run_id = crawl(args.data, sources_path=args.sources, only=args.only, settings=extra, redis_url=args.redis)
    except ValueError as exc:  # a malformed registry: the message names the entry
        print(f"nianbao crawl: {exc}", file=sys.stderr)
        return 2
    except (RuntimeError, SystemExit) as exc:
        print(f"nianbao crawl: {exc}", file=sys.stderr)
        return 1
    print(run_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
