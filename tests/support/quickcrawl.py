"""What the operator tests that kill or race real crawls share: a quick crawl of two small replica portals."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from tests.portal.server import Replica

QUICK = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0, "LOG_LEVEL": "WARNING",
         "NIANBAO_BROWSER": False}
PORTALS = ("sd-changle-police", "ha-zhoukou-police")


def sets(settings: dict) -> list[str]:
    return [a for k, v in settings.items() for a in ("--set", f"{k}={json.dumps(v)}")]


def snapshots(data: Path) -> int:
    try:
        with sqlite3.connect(data / "nianbao.db") as conn:
            return conn.execute("SELECT count(*) FROM snapshots").fetchone()[0]
    except sqlite3.OperationalError:  # no db or no schema yet
        return 0


@contextmanager
def two_portals(folder: Path) -> Iterator[tuple[Replica, Path]]:
    """The replica serving PORTALS and a registry of just those two, written in `folder`."""
    with Replica.start(faults=False) as rep:
        registry = folder / "sources.yaml"
        registry.write_text(yaml.safe_dump([s for s in rep.sources() if s["id"] in PORTALS], allow_unicode=True),
                            encoding="utf-8")
        yield rep, registry
