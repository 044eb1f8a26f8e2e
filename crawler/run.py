"""Run a crawl: one crawler per run (crawler.spiders.families.RunSpider hands each source to its
family's spider), so per-domain politeness is one set of download slots for the whole run; one run record.

`crawl()` runs the CrawlerProcess in a child Python process: Twisted's reactor cannot be
restarted, and callers (the demo, tests, a scheduler) crawl more than once per process.
The parent opens the run (crawl_runs row) so it can return the id; the child crawls and
closes it with the per-source stats.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.store import cannot_write, free_bytes, is_disk_full
from crawler import settings as default_settings
from crawler.died import attention_line
from crawler.spiders.families import SPIDERS, RunSpider

logger = logging.getLogger(__name__)



def select_sources(sources_path: Path | None, only: list[str] | None) -> list[Any]:
    from crawler.sources import load_sources

    return pick_sources(load_sources(sources_path) if sources_path else load_sources(), only)


def pick_sources(sources: list[Any], only: list[str] | None) -> list[Any]:
    """The registry's entries `--only` names (all of them without it).  An unknown id is a usage
    error like a malformed registry (ValueError: `crawl` and `schedule` exit 2, before any crawl)."""
    if only:
        wanted = set(only)
        unknown = wanted - {s.id for s in sources}
        if unknown:
            raise ValueError(f"unknown source id(s): {', '.join(sorted(unknown))}")
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


POLITENESS_OVERRIDES = ("obey_robots", "concurrency", "download_delay")


def politeness_overrides(sources: list[Any]) -> dict[str, dict]:
    """source id -> the overrides of how it treats the server (robots.txt, concurrency, delay) it sets:
    the run's WARC files name them in their warcinfo, which otherwise states the run-wide settings only."""
    found = {}
    for source in sources:
        overrides = source.overrides or {}
        chosen = {key: overrides[key] for key in POLITENESS_OVERRIDES if overrides.get(key) is not None}
        if chosen:
            found[source.id] = chosen
    return found


def build_settings(data_dir: Path, run_id: str, sources: list[Any], extra: dict | None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("NIANBAO_DATA", str(Path(data_dir).resolve()), priority="project")
    settings.set("NIANBAO_RUN_ID", run_id, priority="project")
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    settings.set("DOWNLOAD_SLOTS", download_slots(sources, settings), priority="cmdline")
    settings.set("NIANBAO_SOURCE_OVERRIDES", politeness_overrides(sources), priority="cmdline")
    handlers = {scheme: ("crawler.downloader.BoundedPlaywrightHandler"
                         if path == "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler" else path)
                for scheme, path in settings.getdict("DOWNLOAD_HANDLERS").items()}
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="cmdline")  # a deadline on each browser render
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions.setdefault("crawler.watchdog.Watchdog", 0)  # nothing stalls a crawl for ever
    extensions.setdefault("crawler.errors.SpiderErrors", 0)  # a callback's exception is the source's error
    extensions.setdefault("crawler.wire.TransferSizes", 0)  # a short transfer says how short
    settings.set("EXTENSIONS", extensions, priority="cmdline")
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

class BoundedCrawlerProcess(CrawlerProcess):
    """Scrapy's first SIGTERM/SIGINT closes the spider gracefully, and that waits for requests in
    flight: the watchdog bounds the wait and the run is recorded as interrupted, not finished."""

    first_signal = 0.0

    def _signal_shutdown(self, signum: int, _: Any) -> None:
        import time

        self.first_signal = time.monotonic()
        for crawler in list(self.crawlers):
            dog = getattr(crawler, "nianbao_watchdog", None)
            if dog is not None:
                dog.interrupted(signum)
        super()._signal_shutdown(signum, _)

    def _signal_kill(self, signum: int, _: Any) -> None:
        import time

        if time.monotonic() - self.first_signal < 2.0:
            # the same stop twice (systemd signals the whole cgroup and the parent passes its SIGTERM
            # on): not a person insisting, so the graceful close goes on
            return
        for crawler in list(self.crawlers):
            dog = getattr(crawler, "nianbao_watchdog", None)
            if dog is not None and dog.reason is None:
                dog.interrupted(signum)
        super()._signal_kill(signum, _)


def end_status(crawler: Any, failed: bool = False) -> str:
    """How a run ended: a watchdog reason (stalled, interrupted) wins; a spider that never closed
    (the reactor was stopped under it) did not finish, whatever its stats say."""
    if failed:
        return "failed"
    dog = getattr(crawler, "nianbao_watchdog", None) if crawler is not None else None
    if dog is not None and dog.reason:
        return dog.reason
    finish = crawler.stats.get_value("finish_reason") if crawler is not None and crawler.stats else None
    if crawler is not None and finish is None:
        return "interrupted: the crawl was stopped before it closed"
    if finish in (None, "finished"):
        return "finished"
    if finish == "shutdown":
        return "interrupted: shutdown"
    return f"partial: {finish}"


def run_in_process(data_dir: Path, run_id: str, sources_path: Path | None, only: list[str] | None,
                   extra: dict | None) -> dict[str, dict]:
    """The child's work: crawl every family present and close the run with per-source stats."""
    from crawler.middlewares import archive_for

    registry = select_sources(sources_path, None)  # read once: the run's sources and, whole, the spiders'
    sources = pick_sources(registry, only)
    settings = build_settings(data_dir, run_id, sources, extra)
    archive = archive_for(settings)
    process = BoundedCrawlerProcess(settings)
    known = runnable_sources(archive, run_id, sources)
    crawler = process.create_crawler(RunSpider) if known else None

    def stats_rows() -> dict[str, dict]:
        stats: dict[str, dict] = {}
        if crawler is not None and crawler.spider is not None:
            stats.update(crawler.spider.stats_rows())
        for source in sources:
            stats.setdefault(source.id, {"pages": 0, "reports_found": 0, "attachments": 0, "errors": 0,
                                         "duration_s": 0.0})
        return stats

    def forced(reason: str) -> None:  # the watchdog ends the process: close the run first
        archive.record_error(run_id, None, None, reason, closing=True)
        archive.finish_run(run_id, stats_rows(), status=reason)

    if crawler is not None:
        process.crawl(crawler, sources=known, run_id=run_id, registry=registry)
        dog = getattr(crawler, "nianbao_watchdog", None)
        if dog is not None:
            dog.on_force = forced
    failed = False
    try:
        if crawler is not None:
            process.start()
    except Exception:  # pragma: no cover - recorded, then re-raised
        failed = True
        raise
    finally:
        with recording_the_end():
            stats = stats_rows()
            status = end_status(crawler, failed)
            if status != "finished" and not status.startswith("partial"):
                archive.record_error(run_id, None, None, status, closing=True)
            archive.finish_run(run_id, stats, status=status)
    return stats


# a crawl child's exit code when the disk was full and even the run's end could not be written: the
# parent closes the run as `failed: no space left on device` if it still can
EXIT_CHILD_DISK_FULL = 28  # ENOSPC


@contextlib.contextmanager
def recording_the_end():
    """The crawl is over and its end is being written: a SIGTERM now (a worker leaving passes its
    own on; systemd stopping the service) must not kill the process before the run's row says how
    it ended, so it is ignored for that moment and the previous handler put back after."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def record_crawled_registry(archive: Any, sources_path: Path | None) -> None:
    """Keep the whole registry a crawl ran from (not only `--only` ids) in the `sources` table, so the
    completeness matrix expects what this archive was built to hold; `nianbao parse` keeps it."""
    from archive.completeness import record_registry
    from crawler.sources import DEFAULT_PATH, load_sources

    path = Path(sources_path) if sources_path else DEFAULT_PATH
    with archive.transaction() as conn:
        record_registry(conn, load_sources(path), str(path.resolve()))


def start_recorded_run(archive: Any, source_ids: list[str], sources_path: Path | None) -> str:
    """Open the run and record its registry; a disk too full for that closes the run as failed
    (`Archive.fail_full`) rather than leaving it `running`, which `status` would call a death."""
    run_id = archive.start_run("nianbao", source_ids)
    try:
        record_crawled_registry(archive, sources_path)
    except (OSError, sqlite3.Error) as exc:
        if not is_disk_full(exc):
            raise
        raise archive.fail_full(run_id, exc) from None
    return run_id


def crawl(data_dir: Path, sources_path: Path | None = None, only: list[str] | None = None,
          settings: dict | None = None, redis_url: str | None = None) -> str:
    """Crawl the registry (or `only` some ids) into the archive at data_dir; returns the run id.
    With `redis_url` the run's queue is shared with `nianbao worker` processes (crawler/distributed.py).
    Holds the data dir's crawl lock (crawler.lock.crawl_lock, re-entrant) until the child is gone:
    raises crawler.lock.Locked when another crawl holds it."""
    from crawler.lock import crawl_lock

    # a registry that cannot be read, or an --only id it lacks, fails before the data dir is made
    select_sources(Path(sources_path) if sources_path else None, only)
    with crawl_lock(Path(data_dir)):
        if redis_url:
            from crawler import distributed

            return distributed.crawl(data_dir, sources_path=sources_path, only=only, settings=settings,
                                     redis_url=redis_url)
        return _crawl_locked(Path(data_dir).resolve(), sources_path, only, settings)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_child(argv: list[str], data_dir: Path, payload: dict) -> int:
    """Run a crawl child holding the data dir's lock with us (the same open lock file), forward
    SIGTERM/SIGINT to it and wait for its graceful end: a scheduler that exits before its child
    would let the next crawl start beside a crawl still writing."""
    import signal
    import threading

    from crawler.lock import lock_fds

    fds = lock_fds(data_dir)
    payload = {**payload, "lock_fd": None, **fds, "parent": os.getpid()}
    proc = subprocess.Popen([sys.executable, *argv, json.dumps(payload)], env=child_env(),
                            pass_fds=tuple(fds.values()))
    previous: dict[int, Any] = {}

    def forward(signum: int, frame: Any) -> None:
        # Ctrl-C reaches the whole process group, the child included: passing SIGINT on as well
        # would be Scrapy's second signal, its unclean shutdown.  SIGTERM (kill, timeout, systemd
        # stopping the service) comes to us alone and is passed on.
        logger.warning("received %s: %s the crawl (pid %d) and waiting for it to close",
                       signal.Signals(signum).name,
                       "passing it to" if signum == signal.SIGTERM else "leaving it to", proc.pid)
        if signum == signal.SIGTERM:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signum)
        old = previous.get(signum)
        if callable(old) and old not in (signal.default_int_handler,):
            old(signum, frame)  # e.g. the schedule loop's "stop after this run"

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, forward)
    try:
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:  # pragma: no cover - a handler other than ours raised it
                continue
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def signal_name(signum: int) -> str | None:
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return None


def _crawl_locked(data_dir: Path, sources_path: Path | None, only: list[str] | None,
                  settings: dict | None) -> str:
    from crawler.middlewares import archive_for

    sources = select_sources(Path(sources_path) if sources_path else None, only)
    archive = archive_for({"NIANBAO_DATA": str(data_dir)})
    run_id = start_recorded_run(archive, [s.id for s in sources], sources_path)
    payload = {"data_dir": str(data_dir), "run_id": run_id,
               "sources_path": str(Path(sources_path).resolve()) if sources_path else None,
               "only": only, "settings": settings or {}}
    rc = run_child(["-m", "crawler.run", "--child"], data_dir, payload)
    archive.run_id = None  # the child closed the run; nothing more is recorded under it from here
    row = archive.db.conn.execute("SELECT status FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
    status = row[0] if row else None
    if rc != 0:
        if status == "running":  # the child died without closing the run
            killed = signal_name(-rc) if rc < 0 else None
            status = (f"interrupted: {killed}" if killed in ("SIGTERM", "SIGINT", "SIGHUP")
                      else f"failed: no space left on device (the crawl stopped for it and could not record its"
                           f" end; {(free_bytes(data_dir) or 0) / 1e3:.0f} KB free on {data_dir})"
                      if rc == EXIT_CHILD_DISK_FULL else f"failed: exit {rc}")
            archive.finish_run(run_id, {}, status=status)
        raise RuntimeError(f"crawl run {run_id} failed (exit {rc}{', ' + status if status and status != 'running' else ''})")
    if status and status.startswith(("interrupted", "stalled", "failed")):  # failed: no space left on device …
        raise RuntimeError(f"crawl run {run_id} {status}")
    return run_id


def _child(payload: str) -> int:
    from crawler.lock import child_payload

    args = child_payload(payload)
    try:
        run_in_process(Path(args["data_dir"]), args["run_id"],
                       Path(args["sources_path"]) if args.get("sources_path") else None,
                       args.get("only"), args.get("settings"))
    except (OSError, sqlite3.Error) as exc:
        if not is_disk_full(exc):
            raise
        # the crawl said `disk full: …` when it stopped; one more line, not a traceback, for its end
        print(f"nianbao crawl: the end of run {args['run_id']} could not be recorded: the disk is full"
              f" ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_CHILD_DISK_FULL
    return 0


# environment variables the code reads; every other NIANBAO_* name is a crawl setting (--set NAME=VALUE)
ENVIRONMENT = ("NIANBAO_DATA", "NIANBAO_CONTACT", "NIANBAO_OCR_THREADS", "NIANBAO_STATE_DIR")


# knobs read with a default where they are used (watchdog, distributed), not in crawler/settings.py
_KNOBS_ELSEWHERE: dict[str, Any] = {
    "NIANBAO_REDIS": "", "NIANBAO_REDIS_PATIENCE": 30.0, "NIANBAO_REDIS_POLL": 1.0, "NIANBAO_RENDER_TIMEOUT": 300.0,
    "NIANBAO_REQUEUE_ROUNDS": 2, "NIANBAO_SHUTDOWN_GRACE": 60.0, "NIANBAO_STALL_TIMEOUT": 900.0,
    "NIANBAO_WORKER_TTL": 80.0,
}
_NO_DEFAULT = object()
# A wait longer than a day is a typo (`1e308` was taken, and the stall watchdog ended the run).
_LONGEST_WAIT = 86400.0
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def _default_of(name: str) -> Any:
    """The setting's default (ours, then Scrapy's); an unknown NIANBAO_* name is a typo."""
    from scrapy.settings import default_settings

    from crawler import settings as ours

    for module in (ours, default_settings):
        if hasattr(module, name):
            return getattr(module, name)
    if name in ENVIRONMENT:  # read from the environment by every process (workers, crawl children) at start
        raise argparse.ArgumentTypeError(
            f"{name} is an environment variable, not a crawl setting: set it in the command's environment"
            f" ({name}=… before the command, a crontab line {name}=…, or systemd's Environment={name}=…)")
    if name.startswith("NIANBAO_"):
        if name in _KNOBS_ELSEWHERE:
            return _KNOBS_ELSEWHERE[name]
        raise argparse.ArgumentTypeError(f"unknown crawl setting {name} (README lists the NIANBAO_* settings)")
    return _NO_DEFAULT


def _checked(name: str, value: Any) -> Any:
    """A value of the kind the setting's default has, so a typo fails here (exit 2, naming it) instead
    of inside the crawl, where it ended a run as `interrupted` with a traceback."""
    default = _default_of(name)
    wrong = argparse.ArgumentTypeError
    if isinstance(default, bool):
        if not isinstance(value, bool) and str(value) not in ("0", "1", "True", "False", "true", "false"):
            raise wrong(f"--set {name}: expected true or false, got {value!r}")
    elif isinstance(default, int | float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise wrong(f"--set {name}: expected a number, got {value!r}") from None
        if number < 0 or number != number or number == float("inf"):
            raise wrong(f"--set {name}: expected a finite number ≥ 0, got {value!r}")
        longest, unit = (_LONGEST_WAIT * 1000, "ms") if name.endswith("_MS") else (_LONGEST_WAIT, "seconds")
        if any(word in name for word in ("DELAY", "TIMEOUT", "WAIT")) and number > longest:
            raise wrong(f"--set {name}: expected at most {longest:g} {unit} (a day), got {value!r}")
        if name.startswith("CONCURRENT_REQUESTS") and number < 1:
            raise wrong(f"--set {name}: expected at least 1, got {value!r}")
    elif isinstance(default, dict) and not isinstance(value, dict):
        raise wrong(f"--set {name}: expected a JSON object ({{…}}), got {value!r}")
    if name == "LOG_LEVEL":  # Python's logging knows the upper-case names only
        if str(value).upper() not in _LOG_LEVELS:
            raise wrong(f"--set LOG_LEVEL: expected one of {', '.join(_LOG_LEVELS)}, got {value!r}")
        return str(value).upper()
    return value


def set_option(item: str) -> tuple[str, Any]:
    """argparse `type=` of `--set NAME=VALUE`: numbers, booleans, lists and dicts as JSON; anything else stays
    a string.  An item without `=` is a usage error (exit 2), never a setting silently named `FOO`; so is a
    value of the wrong kind for its setting, or an unknown NIANBAO_* name."""
    name, eq, value = item.partition("=")
    if not eq or not name.strip():
        raise argparse.ArgumentTypeError(f"--set takes NAME=VALUE, got {item!r}")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    return name, _checked(name, parsed)


def set_options(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The `--set` settings as one dict.  A tuning knob put in the environment instead (a systemd
    `Environment=` line) would be ignored without a word, so each one found there is named on stderr
    with the `--set` form that works."""
    out = dict(pairs)
    for name in sorted(os.environ):
        if name.startswith("NIANBAO_") and name not in ENVIRONMENT and name not in out:
            print(f"nianbao: {name} in the environment is ignored; crawl settings are given as"
                  f" --set {name}={os.environ[name]}", file=sys.stderr)
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
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", type=set_option,
                    help="override a Scrapy setting (repeatable), e.g. --set LOG_LEVEL=WARNING")
    ap.add_argument("--redis", default=None, metavar="URL",
                    help="distributed: share the run's queue in Redis with `nianbao worker` processes")
    args = ap.parse_args(argv)
    extra = set_options(args.set)
    from crawler.lock import Locked
    from crawler.schedule import EXIT_LOCKED

    try:
        run_id = crawl(args.data, sources_path=args.sources, only=args.only, settings=extra, redis_url=args.redis)
    except ValueError as exc:  # a malformed registry (the message names the entry) or an unknown --only id
        print(f"nianbao crawl: {exc}", file=sys.stderr)
        return 2
    except Locked as exc:  # another crawl writes this data dir: try again later
        print(f"nianbao crawl: skipped: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (RuntimeError, SystemExit) as exc:
        print(f"nianbao crawl: {exc}", file=sys.stderr)
        for line in died_lines(args.data, None):
            print(f"nianbao crawl: attention: {line}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        if not cannot_write(exc):
            raise
        # one line for the cron mail: what was archived is consistent (rows commit after their bytes)
        print(f"nianbao crawl: failed: the archive in {args.data} cannot be written ({type(exc).__name__}: {exc}):"
              " the disk is full, a file-size limit (ulimit -f) was reached, or the disk failed; the run's end"
              " could not be recorded (the next crawl marks it interrupted). Make room and crawl again.",
              file=sys.stderr)
        return 1
    print(run_summary(args.data, run_id), file=sys.stderr)  # below Scrapy's log; stdout stays the run id
    for line in died_lines(args.data, run_id):
        print(f"nianbao crawl: attention: {line}", file=sys.stderr)
    print(run_id)
    return 0


def died_lines(data_dir: Path, run_id: str | None) -> list[str]:
    """Earlier runs whose processes were killed (crawler/died.py), for the person who ran this crawl by
    hand: a killed night mails nobody, and once this crawl has crawled its sources again no `schedule`
    night will name it either, so this terminal is where it is told.  The exit code stays this crawl's."""
    from crawler.monitor import health  # here: crawler.monitor imports the scheduler, which imports us

    try:
        h = health(Path(data_dir))
    except FileNotFoundError:  # no archive yet: a first crawl that failed before writing one
        return []
    except Exception as exc:  # noqa: BLE001 - the crawl is done; a health read that fails is said, not raised
        return [f"could not check for earlier runs that died ({type(exc).__name__}: {exc})"]
    return [*(h.followed_up_by(run_id) if run_id else []),
            *(attention_line(d) for d in h.died if d["followed_by"] is None)]


def run_summary(data_dir: Path, run_id: str) -> str:
    """One line a person reads at the end of a crawl, instead of Scrapy's stats dump."""
    import sqlite3
    from datetime import datetime

    conn = sqlite3.connect(Path(data_dir) / "nianbao.db")
    try:
        run = conn.execute("SELECT status, started_at, finished_at FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        n, pages, reports, attachments, errors = conn.execute(
            "SELECT count(*), sum(pages), sum(reports_found), sum(attachments), sum(errors)"
            " FROM crawl_run_sources WHERE run_id = ?", (run_id,)).fetchone()
    finally:
        conn.close()
    status, started, finished = run or (None, None, None)
    took = ""
    if started and finished:
        seconds = (datetime.fromisoformat(finished.replace("Z", "+00:00"))
                   - datetime.fromisoformat(started.replace("Z", "+00:00"))).total_seconds()
        whole = round(seconds)  # round once: 659.6 s is 11 min 0 s, not 10 min 60 s
        took = f" in {whole // 60} min {whole % 60} s" if seconds >= 59.95 else f" in {seconds:.1f} s"
    return (f"nianbao crawl: run {run_id} {status or 'unknown'}{took}: {n} source{'s' * (n != 1)}, {pages or 0} pages, "
            f"{reports or 0} reports, {attachments or 0} attachments, {errors or 0} errors")


if __name__ == "__main__":
    sys.exit(main())
