"""Servers the tests run as real processes (Datasette, wayback): a free port, and a start that waits
until the server answers, so a server that dies or stays silent is an error with its own words, not a
hang or a connection-refused in the first test."""

from __future__ import annotations

import fcntl
import os
import random
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_RESERVED: dict[int, int] = {}  # port -> fd of its lock file, held until this process exits


def _reservable() -> range:
    """Ports the kernel never picks on its own (for a bind to port 0 or an outgoing connection's source
    port): below the ephemeral range, or above it when the range starts low."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(10000, low) if low > 12000 else range(high + 1, 65536)


def free_port() -> int:
    """A 127.0.0.1 port for a server the test starts itself (it binds the port), or a port where nothing
    listens.  A port free a moment ago is not enough on a busy machine: between our check and the
    server's bind, another process could take it (a bind to port 0, an outgoing connection's source
    port, another test's server), and the test would then talk to a stranger or see its server die.  So
    the port comes from outside the kernel's ephemeral range, and it is reserved with a lock file that
    every test process (both xdist workers, other checkouts' runs) honours, held until this process
    exits: no two tests ever get the same port, and nothing else is handed it by the kernel."""
    folder = Path(tempfile.gettempdir()) / "nianbao-test-ports"
    folder.mkdir(exist_ok=True)
    ports = _reservable()
    first = random.randrange(len(ports))
    for i in range(len(ports)):
        port = ports[(first + i) % len(ports)]
        if port in _RESERVED:
            continue
        fd = os.open(folder / str(port), os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            with socket.socket() as s:  # someone outside this scheme may hold it
                s.bind(("127.0.0.1", port))
        except OSError:
            os.close(fd)
            continue
        _RESERVED[port] = fd
        return port
    raise RuntimeError(f"no free port in {ports}")


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
def started(cmd: Sequence[object], answers: Callable[[], object], what: str, timeout: float = 180,
            pause: float = 0.2, **popen: object) -> Iterator[subprocess.Popen]:
    """`cmd` running until the block ends, entered once `answers()` stops raising OSError."""
    proc = subprocess.Popen(cmd, **popen)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                answers()
                if proc.poll() is not None:  # an answer, but not from our server: it has died
                    raise RuntimeError(f"{what} did not start{_said(proc)}")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start{_said(proc)}") from None
                time.sleep(pause)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
