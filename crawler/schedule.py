"""`nianbao schedule`: crawl again and again, unattended.

A loop (`--every 24h`) that survives a failed run: it logs the failure and waits for the next
slot.  `--once` does one locked run and exits, for cron or a systemd timer (the recommended way:
the init system restarts, logs and times it).  A lock file in the data directory (crawler/lock.py:
flock, so a crashed holder never leaves a stale lock) keeps two crawls off the same archive; the
crawl child holds it too, so it stays held until the last process writing for the crawl is gone.
After each run the archive's health (crawler.monitor) is logged, and a run that followed up an
earlier run whose processes were killed (crawler/died.py) says so: `--once` exits 4 for it, the one
mail a night lost to an OOM kill or a reboot gets.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.lock import LOCK_NAME, Locked, adopt_lock, crawl_lock, lock_fd, lock_holder  # noqa: F401 (re-exported)
from crawler.nights import now_stamp

if TYPE_CHECKING:
    from crawler.monitor import Health

logger = logging.getLogger("nianbao.schedule")

REPARSE_PENDING = "reparse.pending"  # a --reparse run wrote it; removed once its re-parse is done
# `schedule --once` exit codes, for cron mail and monitoring checks (README "Scheduled crawls"):
# 0 the run finished and nothing needs attention; 1 the crawl failed or did not finish (failed,
# interrupted, stalled, incomplete, disk full, Redis lost its queue); 2 bad arguments or registry;
# 4 the run finished but a source or the archive needs attention (a portal blocking or down, reports
# dropped, an older run that died: named until a finished run crawled its sources again, and by that
# run); 75 another crawl holds the data dir (EX_TEMPFAIL: try later)
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ATTENTION, EXIT_LOCKED = 0, 1, 2, 4, 75

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_every(text: str) -> float:
    """'24h', '90m', '1h30m', '45s', '2d' or plain seconds -> seconds."""
    text = str(text).strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhdw])", text)
    if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhdw])", "", text).strip():
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 24h, 30m, 1h30m)")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise argparse.ArgumentTypeError("a duration must be positive")
    return seconds


def run_once(data_dir: Path, sources: Path | None = None, only: list[str] | None = None,
             settings: dict | None = None, redis_url: str | None = None, reparse: bool = False) -> str:
    """One crawl under the lock; returns the run id.  Raises Locked, or whatever the crawl raised."""
    from crawler.run import crawl

    with crawl_lock(data_dir):
        pending = Path(data_dir) / REPARSE_PENDING
        if pending.exists() and not reparse:
            logger.warning("a re-parse asked for by an earlier run did not complete (%s): re-parsing after this crawl",
                           pending.read_text(encoding="utf-8").strip())
            reparse = True
        if reparse:  # kept until the re-parse is done: a killed run's re-parse is done by the next one
            pending.write_text(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "\n", encoding="utf-8")
        started = time.monotonic()
        logger.info("crawl starting (data %s)", data_dir)
        run_id = crawl(Path(data_dir), sources_path=sources, only=only, settings=settings, redis_url=redis_url)
        logger.info("crawl %s finished in %.0fs", run_id, time.monotonic() - started)
        if reparse:
            from archive.reparse import reparse_all

            logger.info("reparse: %s", reparse_all(Path(data_dir)))  # keeps the registry the crawl recorded
            pending.unlink(missing_ok=True)
    return run_id


def run_status(health: Health, run_id: str) -> str | None:
    """The run's status as the health check that follows it just read it (newest runs first)."""
    return next((r["status"] for r in health.runs if r["id"] == run_id), None)


_CONSOLE: list[int] = []  # the stderr `--log` replaced: a night that failed is said there too (cron mails it)


def log_to(path: Path) -> None:
    """Send this process's stdout and stderr, and so every crawl child's, to `path` (appended,
    O_APPEND: logrotate's copytruncate is safe while a `--every` scheduler keeps it open)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    _CONSOLE[:] = [os.dup(2)]
    os.set_inheritable(_CONSOLE[0], False)  # the crawl child writes to the log only
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def tell_operator(message: str) -> None:
    """A failed night's reason on the stderr cron mails, when `--log` took stderr (else the log line
    already went there)."""
    if _CONSOLE:
        with contextlib.suppress(OSError):
            os.write(_CONSOLE[0], f"nianbao schedule: {message}\n".encode())


def note_night(data_dir: Path, at: str, outcome: str, exit_code: int, reason: str | None = None,
               run_id: str | None = None) -> None:
    """Record the night where `nianbao status` finds it (crawler/nights.py), the data dir read-only too."""
    from crawler.nights import record

    if record(data_dir, at, outcome, exit_code, reason, run_id) is None:
        logger.warning("could not record this night's outcome in %s nor in the state directory", data_dir)


def log_health(data_dir: Path, run_id: str | None = None, failed: bool = False) -> Health | None:
    """Log what needs attention, and the died runs `run_id` followed up; the health read (None when
    it could not be read).  After a `failed` night it never says "health: ok": the archive may read
    fine, but the night did not crawl."""
    from crawler.monitor import health  # here: crawler.monitor imports this module

    if not (Path(data_dir) / "nianbao.db").exists():  # a first run that failed before writing anything
        logger.warning("health: no archive yet in %s", data_dir)
        return None
    try:
        h = health(data_dir)
    except Exception:
        logger.exception("health check failed")
        return None
    followed = h.followed_up_by(run_id) if run_id else []
    for item in h.attention + followed:
        logger.warning("attention: %s", item)
    if failed:
        logger.warning("health: this night's crawl failed (above); the archive holds the earlier runs")
    elif h.ok and not followed:
        logger.info("health: ok (%d snapshots, %d reports)", h.growth["snapshots"], h.growth["reports"])
    return h


def loop(every: float, data_dir: Path, max_runs: int | None = None, stop: threading.Event | None = None,
         **crawl_args: Any) -> int:
    """Crawl every `every` seconds (slots keep their cadence; missed slots are skipped, not caught up).
    Returns the number of runs that failed or were skipped for the lock."""
    stop = stop or threading.Event()
    failures = runs = 0
    next_start = time.time()
    while not stop.is_set() and (max_runs is None or runs < max_runs):
        runs += 1
        run_id = None
        failed = False
        at = now_stamp()
        try:
            run_id = run_once(data_dir, **crawl_args)
        except Locked as exc:
            failures += 1
            logger.warning("skipped: %s", exc)
            note_night(data_dir, at, "skipped", EXIT_LOCKED, str(exc))
        except (Exception, SystemExit) as exc:  # a failed run must not end the schedule
            failures += 1
            failed = True
            logger.error("crawl failed: %s", exc, exc_info=not isinstance(exc, SystemExit | RuntimeError))
            note_night(data_dir, at, "failed", EXIT_FAILED, f"crawl failed: {exc}")
        checked = log_health(data_dir, run_id, failed=failed)
        if run_id:
            status = run_status(checked, run_id) if checked else None
            note_night(data_dir, at, "finished" if status == "finished" else "ended",
                       EXIT_OK if status == "finished" else EXIT_FAILED, status, run_id)
        if max_runs is not None and runs >= max_runs:
            break
        next_start += every
        now = time.time()
        while next_start <= now:
            next_start += every
        logger.info("next crawl at %s", datetime.fromtimestamp(next_start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        stop.wait(next_start - now)
    return failures


def main(argv: list[str] | None = None) -> int:
    """`nianbao schedule --every 24h [--once] [--sources FILE] [--data DIR] [--only ID…] [--redis URL]`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["schedule"]:
        argv = argv[1:]
    from crawler.run import set_option, set_options

    ap = argparse.ArgumentParser(prog="nianbao schedule", description="Unattended, repeated crawls.")
    when = ap.add_mutually_exclusive_group(required=True)
    when.add_argument("--every", type=parse_every, metavar="DURATION", help="crawl every DURATION (24h, 6h, 30m)")
    when.add_argument("--once", action="store_true", help="one locked crawl, then exit (for cron/systemd timers)")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NIANBAO_DATA", "data")),
                    help="data directory (default $NIANBAO_DATA or ./data)")
    ap.add_argument("--sources", type=Path, default=None, help="sources registry YAML (default: the bundled one)")
    ap.add_argument("--only", nargs="+", default=None, metavar="ID", help="crawl only these source ids")
    ap.add_argument("--redis", default=None, metavar="URL", help="distributed runs (see `nianbao worker`)")
    ap.add_argument("--reparse", action="store_true", help="reparse the archive after each crawl")
    ap.add_argument("--max-runs", type=int, default=None, help="stop after this many runs (default: never)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", type=set_option,
                    help="override a Scrapy setting")
    ap.add_argument("--log", type=Path, default=None, metavar="FILE",
                    help="append everything (this process's and the crawl's log) to FILE instead of stderr")
    args = ap.parse_args(argv)
    settings = set_options(args.set)
    if args.log:
        log_to(args.log)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    crawl_args = {"sources": args.sources, "only": args.only, "settings": settings, "redis_url": args.redis,
                  "reparse": args.reparse}
    from crawler.run import select_sources

    at = now_stamp()
    try:  # a registry or --only mistake is the operator's to fix, not a failed night: say so once, exit 2
        select_sources(args.sources, args.only)
    except ValueError as exc:
        logger.error("bad registry or arguments: %s", exc)
        tell_operator(f"bad registry or arguments: {exc}")
        note_night(args.data, at, "failed", EXIT_USAGE, f"bad registry or arguments: {exc}")
        return EXIT_USAGE
    if args.once:
        try:
            run_id = run_once(args.data, **crawl_args)
        except Locked as exc:
            logger.warning("skipped: %s", exc)
            note_night(args.data, at, "skipped", EXIT_LOCKED, str(exc))
            return EXIT_LOCKED
        except (Exception, SystemExit) as exc:
            logger.error("crawl failed: %s", exc)
            tell_operator(f"crawl failed: {exc}")
            note_night(args.data, at, "failed", EXIT_FAILED, f"crawl failed: {exc}")
            log_health(args.data, failed=True)
            return EXIT_FAILED
        checked = log_health(args.data, run_id)
        status = run_status(checked, run_id) if checked else None
        if checked is None:  # the run's status is unknown too: someone must look
            code = EXIT_ATTENTION
        elif status != "finished":
            logger.error("crawl %s ended %r", run_id, status)
            code = EXIT_FAILED
        else:
            code = EXIT_OK if checked.ok and not checked.followed_up_by(run_id) else EXIT_ATTENTION
        note_night(args.data, at, "finished" if status == "finished" else "ended", code, status, run_id)
        return code
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    failures = loop(args.every, args.data, max_runs=args.max_runs, stop=stop, **crawl_args)
    return EXIT_OK if failures == 0 else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
