"""Servers the tests run as real processes (Datasette, wayback): a free port, and a start that waits
until the server answers, so a server that dies or stays silent is an error with its own words, not a
hang or a connection-refused in the first test."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


def free_port() -> int:
    """A 127.0.0.1 port free a moment ago; the server binds it itself."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _said(proc: subprocess.Popen) -> str:
    """What a server that failed to start wrote, when the caller piped it."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)
    out = proc.stderr or proc.stdout
    if out is None:
        return ""
    text = out.read()
    return ": " + (text.decode(errors="replace") if isinstance(text, bytes) else text)


@contextmanager
def started(cmd: Sequence[object], answers: Callable[[], object], what: str, timeout: float = 60,
            pause: float = 0.2, **popen: object) -> Iterator[subprocess.Popen]:
    """`cmd` running until the block ends, entered once `answers()` stops raising OSError."""
    proc = subprocess.Popen(cmd, **popen)
    try:
        deadline = time.time() + timeout
        while True:
            try:
                answers()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"{what} did not start{_said(proc)}") from None
                time.sleep(pause)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
