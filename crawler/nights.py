"""The last scheduled night's outcome, kept where `nianbao status` finds it even when the data dir is read-only.

A night whose crawl could not start (a read-only data dir, an unopenable crawl.lock, a bad registry)
leaves no run in the archive, so `status`, reading only the archive, said "OK" over it, and cron's
mail of a failed night read as a good one.  `schedule` records each night here: in the data dir
(`schedule-last.json`) when it can be written, else in the user's state directory
(`$NIANBAO_STATE_DIR`, or `$XDG_STATE_HOME/nianbao`, or `~/.local/state/nianbao`), under a name made
from the data dir's path, so the `status` of the same user finds it.  The newer of the two counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

NIGHT_FILE = "schedule-last.json"


def state_dir() -> Path:
    """Where a night is recorded when the data dir cannot be written."""
    if os.environ.get("NIANBAO_STATE_DIR"):
        return Path(os.environ["NIANBAO_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "nianbao"


def _key(data_dir: Path) -> str:
    return hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]


def paths(data_dir: Path) -> list[Path]:
    """The data dir's own record first, then the fallback beside the user's state."""
    return [Path(data_dir) / NIGHT_FILE, state_dir() / f"last-night-{_key(data_dir)}.json"]


def now_stamp() -> str:
    """A night's start, to the second (floored): a run it started is never recorded before it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(path: Path, text: str, make_dir: bool = False) -> None:
    if make_dir:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def record(data_dir: Path, at: str, outcome: str, exit_code: int, reason: str | None = None,
           run_id: str | None = None) -> Path | None:
    """Record a night (`outcome`: finished, attention, failed, skipped); returns where, or None when
    no place could be written (then the exit code and the stderr line are all the operator gets)."""
    text = json.dumps({"at": at, "outcome": outcome, "exit": exit_code, "reason": reason, "run": run_id,
                       "data": str(Path(data_dir).resolve()), "pid": os.getpid()}, ensure_ascii=False) + "\n"
    own, fallback = paths(data_dir)
    try:  # never creates the data dir: a night that failed before making it leaves it unmade
        _write(own, text)
    except OSError:
        try:
            _write(fallback, text, make_dir=True)
        except OSError:
            return None
        return fallback
    with contextlib.suppress(OSError):  # an older night's fallback is superseded by this one
        fallback.unlink()
    return own


def last_night(data_dir: Path) -> dict | None:
    """The newest recorded night of this data dir, or None."""
    found = []
    for path in paths(data_dir):
        try:
            night = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(night, dict) and isinstance(night.get("at"), str):
            night["file"] = str(path)
            found.append(night)
    return max(found, key=lambda n: n["at"], default=None)


def failed_to_start(night: dict | None, newest_run_started: str | None) -> str | None:
    """The attention line for a last night that failed with no run recorded since it began, or None.
    A run started after it (a later crawl by hand, or the night's own run, which `status` judges
    itself) supersedes it."""
    if not night or night.get("outcome") != "failed":
        return None
    if newest_run_started and newest_run_started[:19] > night["at"][:19]:
        return None  # (a run begun within the night's own second cannot be told from one begun before it: still flagged)
    return (f"the last scheduled crawl (at {night['at']}, schedule exit {night.get('exit')}) did not start:"
            f" {night.get('reason') or 'no reason recorded'}; no crawl has run since")
