"""pywb as a real replay tool for our WARC files.

pywb lives in its own venv (.venv-pywb, made by `make setup`: it pins redis==2.10.6, which
conflicts with scrapy-redis), so it runs as real processes: wb-manager builds a collection,
wayback serves it.
"""

from __future__ import annotations

import http.client
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import free_port, started

PYWB_BIN = Path(__file__).resolve().parents[2] / ".venv-pywb" / "bin"


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
    with started([PYWB_BIN / "wayback", "-p", str(port), "-b", "127.0.0.1", "-t", "2"], lambda: raw_get(port, "/"),
                 "wayback", cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE):
        yield port
