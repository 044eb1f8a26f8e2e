"""A real Datasette (`nianbao serve`) for the tests that page, search and download through HTTP."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive import serve
from tests.test_datasette_views import free_port


@contextmanager
def served(data: Path, *extra: str) -> Iterator[str]:
    """`nianbao serve` on a free 127.0.0.1 port until the block ends; yields its base URL once it answers
    (a server that dies or stays silent for 60 s is an error, not a hang)."""
    port = free_port()
    proc = subprocess.Popen([*serve.command(data, port=port), *extra], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("datasette did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
