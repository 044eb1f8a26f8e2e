"""The data directory's crawl lock: one crawl writes an archive at a time.

A flock on data/crawl.lock, so a crashed holder never leaves a stale lock.  It lives in its own
module because `python -m crawler.schedule` / `-m crawler.run` run as `__main__`: the record of
which locks this process holds must be one per process, not one per copy of a module.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK_NAME = "crawl.lock"


class Locked(RuntimeError):
    """Another crawl holds the data directory's lock."""


_HELD: dict[Path, int] = {}  # data dir -> fd of the crawl lock this process holds (re-entrant)


def _lock_info(**extra: Any) -> bytes:
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **extra}).encode()


@contextlib.contextmanager
def crawl_lock(data_dir: Path) -> Iterator[Path]:
    """Hold data_dir/crawl.lock for the duration; raises Locked at once if someone else holds it.

    Re-entrant in one process (the scheduler takes it, then `crawl()` inside it).  The crawl child
    gets the same open file (`lock_fd`, pass_fds): a flock belongs to the open file, so the child
    keeps the data dir locked even if its parent is killed, and the lock goes only when the last
    process writing for the crawl has gone."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    root = data_dir.resolve()
    if root in _HELD:
        yield data_dir / LOCK_NAME
        return
    path = data_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            raise Locked(f"{path} is held by {holder or 'another process'}") from None
        stale = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        if stale:  # a holder that died without its cleanup (kill -9, power loss): say whose lock it was
            logging.getLogger("nianbao.schedule").warning(
                "replaced the stale crawl lock %s left by a dead process: %s", path, stale)
        os.ftruncate(fd, 0)
        os.pwrite(fd, _lock_info(), 0)
        _HELD[root] = fd
        try:
            yield path
        finally:
            _HELD.pop(root, None)
            os.ftruncate(fd, 0)
            # no LOCK_UN: that would free the lock for a child still sharing this open file; closing
            # our descriptor frees it only once nobody else holds it
    finally:
        os.close(fd)


def lock_fd(data_dir: Path) -> int | None:
    """The descriptor of the crawl lock this process holds on data_dir, to hand to a crawl child."""
    return _HELD.get(Path(data_dir).resolve())


def adopt_lock(fd: int, data_dir: Path, parent: int | None = None) -> None:
    """In a crawl child: the inherited lock descriptor is ours now; the lock file names us as the
    process doing the crawl (a second crawl's refusal names the process that really holds it)."""
    _HELD[Path(data_dir).resolve()] = fd
    os.set_inheritable(fd, False)  # only this process: a browser or helper it starts must not keep the lock
    os.ftruncate(fd, 0)
    os.pwrite(fd, _lock_info(parent=parent), 0)


def lock_holder(data_dir: Path) -> dict | None:
    """Who holds the crawl lock now (None if nobody): the monitor tells running from crashed runs."""
    path = Path(data_dir) / LOCK_NAME
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            try:
                return json.loads(text)
            except ValueError:
                return {"raw": text}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


