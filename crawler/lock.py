"""The data directory's crawl lock: one crawl writes an archive at a time.

A flock on data/crawl.lock, so a crashed holder never leaves a stale lock.  A flock belongs to the
file, not its name: a cleanup that deletes crawl.lock under a live crawl would let the next crawl lock
a new file of the same name and write the archive beside it.  So the data directory itself is flocked
too (an open directory cannot be swapped for another by deleting a name in it); crawl.lock stays as
the file that says who holds the lock.  A filesystem that cannot flock a directory (NFS emulates flock
with write locks) keeps the crawl.lock flock alone, as before.  It lives in its own module because
`python -m crawler.schedule` / `-m crawler.run` run as `__main__`: the record of which locks this
process holds must be one per process, not one per copy of a module.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK_NAME = "crawl.lock"


class Locked(RuntimeError):
    """Another crawl holds the data directory's lock."""


class LockUnusable(RuntimeError):
    """crawl.lock cannot be opened (a directory in its place, no permission): waiting will not help."""


_HELD: dict[Path, int] = {}  # data dir -> fd of the crawl lock this process holds (re-entrant)
_DIR_HELD: dict[Path, int] = {}  # data dir -> fd of the flocked data directory (when its filesystem allows)


def _lock_info(**extra: Any) -> bytes:
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **extra}).encode()


@contextlib.contextmanager
def crawl_lock(data_dir: Path) -> Iterator[Path]:
    """Hold data_dir (flocked) and data_dir/crawl.lock for the duration; raises Locked at once if
    someone else holds either, LockUnusable if crawl.lock cannot be opened.

    Re-entrant in one process (the scheduler takes it, then `crawl()` inside it).  The crawl child
    gets the same open files (`lock_fds`, pass_fds): a flock belongs to the open file, so the child
    keeps the data dir locked even if its parent is killed, and the lock goes only when the last
    process writing for the crawl has gone."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    root = data_dir.resolve()
    if root in _HELD:
        yield data_dir / LOCK_NAME
        return
    path = data_dir / LOCK_NAME
    dir_fd = _lock_directory(data_dir)
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o644)
        except OSError as exc:
            raise LockUnusable(f"cannot open the crawl lock {path}: {exc.strerror}") from None
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
            if dir_fd is not None:
                _DIR_HELD[root] = dir_fd
            try:
                yield path
            finally:
                _HELD.pop(root, None)
                _DIR_HELD.pop(root, None)
                os.ftruncate(fd, 0)
                # no LOCK_UN: that would free the lock for a child still sharing this open file; closing
                # our descriptor frees it only once nobody else holds it
        finally:
            os.close(fd)
    finally:
        if dir_fd is not None:
            os.close(dir_fd)


def _lock_directory(data_dir: Path) -> int | None:
    """Flock the data directory itself (the descriptor, or None where its filesystem cannot flock a
    directory); raises Locked, naming the running crawl, when another crawl holds it — also when that
    crawl's crawl.lock was deleted or replaced under it."""
    try:
        fd = os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise Locked(_held_by(data_dir)) from None
    except OSError:  # EBADF/ENOLCK/EINVAL: no flock on directories here; crawl.lock alone decides
        os.close(fd)
        return None
    return fd


def _held_by(data_dir: Path) -> str:
    """Who holds the data directory: what its crawl.lock says, or (that file deleted or replaced under
    the crawl) the open runs a live process still works for (each holds its runs/<id>.lock)."""
    path = Path(data_dir) / LOCK_NAME
    info = _held_lock_file(path)
    if info:
        return f"{path} is held by {info}"
    runs = _live_runs(Path(data_dir))
    lost = f"its {LOCK_NAME} was deleted or replaced under it"
    if not runs:  # or a crawl between taking the directory and writing its crawl.lock
        return f"{data_dir} is held by another crawl (its {LOCK_NAME} names nobody: deleted under it, or just starting)"
    return (f"{data_dir} is held by a running crawl: " + ", ".join(f"run {r} (started {s})" for r, s in runs)
            + f" ({lost})")


def _held_lock_file(path: Path) -> str | None:
    """crawl.lock's text when a live process holds that file (a lock file nobody holds says nothing)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or None
    except OSError:
        return None
    finally:
        os.close(fd)
    return None


def _live_runs(data_dir: Path) -> list[tuple[str, str]]:
    """Open runs (id, started_at) whose runs/<id>.lock a live process holds."""
    import sqlite3

    from archive.store import run_held

    db = data_dir / "nianbao.db"
    if not db.is_file():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            rows = conn.execute("SELECT id, started_at FROM crawl_runs WHERE finished_at IS NULL"
                                " ORDER BY rowid DESC").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [(r, s) for r, s in rows if run_held(data_dir / "runs", r)]


def lock_fd(data_dir: Path) -> int | None:
    """The descriptor of the crawl lock this process holds on data_dir, to hand to a crawl child."""
    return _HELD.get(Path(data_dir).resolve())


def lock_fds(data_dir: Path) -> dict[str, int]:
    """The descriptors a crawl child must share to hold the lock with us: crawl.lock's ("lock_fd")
    and the data directory's ("dir_lock_fd", where its filesystem could flock it)."""
    root = Path(data_dir).resolve()
    fds = {"lock_fd": _HELD.get(root), "dir_lock_fd": _DIR_HELD.get(root)}
    return {k: v for k, v in fds.items() if v is not None}


def child_payload(payload: str) -> dict[str, Any]:
    """In a crawl child (run.run_child's): the JSON payload it was started with, the lock descriptors
    it names (``lock_fds``, passed open) adopted as this process's."""
    args = json.loads(payload)
    if args.get("lock_fd") is not None:
        adopt_lock(int(args["lock_fd"]), Path(args["data_dir"]), args.get("parent"), args.get("dir_lock_fd"))
    return args


def adopt_lock(fd: int, data_dir: Path, parent: int | None = None, dir_fd: int | None = None) -> None:
    """In a crawl child: the inherited lock descriptors are ours now; the lock file names us as the
    process doing the crawl (a second crawl's refusal names the process that really holds it)."""
    root = Path(data_dir).resolve()
    _HELD[root] = fd
    os.set_inheritable(fd, False)  # only this process: a browser or helper it starts must not keep the lock
    if dir_fd is not None:
        _DIR_HELD[root] = dir_fd
        os.set_inheritable(dir_fd, False)
    os.ftruncate(fd, 0)
    os.pwrite(fd, _lock_info(parent=parent), 0)


def lock_holder(data_dir: Path) -> dict | None:
    """Who holds the crawl lock now (None if nobody, or if nothing could be read to tell: lock_state
    says which): the monitor tells running from crashed runs."""
    return lock_state(data_dir).holder


@dataclass
class LockState:
    """What `status` could learn of the data dir's crawl lock."""

    holder: dict | None  # the holder (its crawl.lock's words), or None
    known: bool  # False: neither the data directory nor crawl.lock could be probed — running or died unknown
    problem: str | None  # what could not be read, in words for an attention line


def lock_state(data_dir: Path) -> LockState:
    """Probe the data directory's flock and crawl.lock, never raising: a crawl.lock that cannot be read
    (no permission, a directory or a pipe in its place, a dangling or looping link) is named as the
    problem, and the directory's lock alone decides whether a crawl holds the data dir."""
    data_dir = Path(data_dir)
    dir_held = _probe(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    path = data_dir / LOCK_NAME
    problem, file_held, text = None, False, ""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        problem, file_held = f"cannot read the crawl lock {path}: {exc.strerror}", None
    else:
        if not stat.S_ISREG(st.st_mode):
            problem, file_held = f"the crawl lock {path} is {_file_type(st.st_mode)}, not a lock file", None
        else:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            except OSError as exc:
                problem, file_held = f"cannot read the crawl lock {path}: {exc.strerror}", None
            else:
                try:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    except BlockingIOError:
                        file_held, text = True, os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
                    except OSError as exc:
                        problem, file_held = f"cannot lock-probe the crawl lock {path}: {exc.strerror}", None
                finally:
                    os.close(fd)
    if file_held:
        try:
            holder = json.loads(text)
        except ValueError:
            holder = {"raw": text}
        return LockState(holder if isinstance(holder, dict) else {"raw": text}, True, problem)
    if dir_held:
        return LockState({"raw": f"(a crawl holds the data directory; its {LOCK_NAME} "
                                 f"{'cannot be read' if problem else 'was deleted or replaced under it'})"},
                         True, problem)
    return LockState(None, dir_held is not None or file_held is not None, problem)


def _probe(path: Path, flags: int) -> bool | None:
    """Whether another process holds an exclusive flock on path (None: it cannot be opened or flocked)."""
    from archive.store import flock_held

    return flock_held(path, flags, fcntl.LOCK_SH)


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"
