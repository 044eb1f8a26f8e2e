"""What the coordinator of a distributed run sees of its fleet: the workers alive (their heartbeat
keys), said in its log as they join and leave.  After a Redis restart the workers once finished
their requests in hand and left while the coordinator re-crawled the run alone, and no line said
the fleet had shrunk; an operator reading the coordinator's log now sees who crawled each pass."""

from __future__ import annotations

import logging
import threading
from typing import Any

logger = logging.getLogger(__name__)


class FleetWatch:
    """Looks at the heartbeat keys matching `pattern` every `every` seconds while the coordinator's
    own crawl and its wait for the others run (it is blocked in its child meanwhile).  `own` is the
    coordinator's tag prefix: its own crawl processes are not the fleet.  `seen` is every worker
    alive at some look; Redis errors are skipped (the crawl itself reports Redis going away)."""

    def __init__(self, server: Any, run_id: str, pattern: str, own: str, every: float = 1.0) -> None:
        self.server, self.run_id, self.pattern, self.own, self.every = server, run_id, pattern, own, every
        self.alive: set[str] = set()
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-watch", daemon=True)

    def __enter__(self) -> FleetWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)  # a look waiting on an unreachable Redis is not waited for

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.look()

    def look(self) -> None:
        try:
            keys = list(self.server.scan_iter(match=self.pattern))
        except Exception:  # noqa: BLE001 - Redis away: the crawl says so; nothing to count now
            return
        alive = {str(k).rsplit(":", 1)[-1] for k in keys}
        alive = {tag for tag in alive if not tag.startswith(self.own)}
        for tag in sorted(alive - self.alive):
            logger.info("run %s: worker %s joined; the fleet: the coordinator and %d worker(s)", self.run_id, tag,
                        len(alive))
        for tag in sorted(self.alive - alive):
            logger.info("run %s: worker %s left; the fleet: the coordinator and %d worker(s)", self.run_id, tag,
                        len(alive))
        self.alive = alive
        self.seen |= alive
