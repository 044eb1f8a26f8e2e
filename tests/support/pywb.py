"""pywb as a real replay tool for our WARC files.

pywb lives in its own venv (.venv-pywb, made by `make setup`: it pins redis==2.10.6, which
conflicts with scrapy-redis), so it runs as real processes: wb-manager builds a collection,
wayback serves it.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PYWB_BIN = Path(__file__).resolve().parents[2] / ".venv-pywb" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw_get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET without decoding, so the bytes compared are the bytes replayed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    body = resp.read()
    headers = {k.lower(): v for k, v in resp.getheaders()}
    conn.close()
    return resp.status, headers, body


def wayback_ts(iso: str) -> str:
    """ISO-8601 fetch time -> pywb's 14-digit timestamp."""
    return "".join(ch for ch in iso[:19] if ch.isdigit())


@contextmanager
def wayback(warcs: list[Path], workdir: Path, collection: str = "nianbao") -> Iterator[int]:
    """A running wayback over these WARC files; yields its port."""
    subprocess.run([PYWB_BIN / "wb-manager", "init", collection], cwd=workdir, check=True, capture_output=True)
    subprocess.run([PYWB_BIN / "wb-manager", "add", collection, *map(str, warcs)], cwd=workdir, check=True,
                   capture_output=True)
    port = free_port()
    proc = subprocess.Popen([PYWB_BIN / "wayback", "-p", str(port), "-b", "127.0.0.1", "-t", "2"], cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while True:
            try:
                raw_get(port, "/")
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("wayback did not start: " + proc.stderr.read().decode(errors="replace")) from None
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
