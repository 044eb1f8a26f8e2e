"""A real Datasette (`nianbao serve`) for the tests that page, search and download through HTTP."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from archive import serve
from tests.support.processes import free_port, started

# no proxy from the environment between a test and its own loopback server
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@contextmanager
def served(data: Path, *extra: str, launch: Callable[[int], Sequence[object]] | None = None,
           pause: float = 0.2, **popen: object) -> Iterator[str]:
    """`nianbao serve` on a free 127.0.0.1 port until the block ends; yields its base URL once it answers
    (a server that dies or stays silent for 3 minutes is an error, not a hang).  The command is Datasette as
    `serve.command` builds it, or `launch(port)` (the console script, as a user types it); its output
    is dropped unless `popen` says otherwise."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [*(launch(port) if launch else serve.command(data, port=port)), *extra]
    popen = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **popen}
    with started(cmd, lambda: DIRECT.open(base + "/-/versions.json", timeout=5).read(), "datasette",
                 pause=pause, **popen):
        yield base
