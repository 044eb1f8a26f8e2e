"""What the coordinator of a distributed run watches while it waits on its own crawl and on the other
workers: the fleet (the workers' heartbeat keys), said in its log as workers join, leave and rejoin;
and a Redis restart, which it answers at once by publishing the run again.

Why at once, from a thread: a Redis restart without persistence takes the run's queue and its
`config`.  The coordinator used to publish the run again only once its own crawl and every other
worker had left, and the workers' heartbeat keys, lost with the restart, came back only at their next
beat (TTL/3, 27 s): so it took the fleet for gone, the workers that had not left yet took the re-seeded
start URLs unseen, or left, and the run was re-crawled by the coordinator alone, or closed while a
worker still crawled.  Now every crawl of the run (the coordinator's own too) notices the restart
within a second, registers again and waits for the run to be published anew (RedisRunSpider.
watch_publication), and this watch publishes it within a second: the same fleet crawls it again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


class FleetWatch:
    """Looks every `every` seconds, on a thread of its own (the coordinator is blocked on its child).

    `republish()` publishes the run again and returns the Redis server's new id; it is called when the
    run's `config_key` is gone, `limit` times at most (then `lost` is set and the run stays lost).
    `own` is the coordinator's tag prefix: its own crawl processes are not the fleet.  Redis errors are
    skipped here: the crawls themselves say when Redis stays away."""

    def __init__(self, server: Any, run_id: str, workers_pattern: str, config_key: str, own: str,
                 republish: Callable[[], str], limit: int, every: float = 1.0) -> None:
        self.server, self.run_id, self.pattern, self.config_key = server, run_id, workers_pattern, config_key
        self.own, self.republish, self.limit, self.every = own, republish, limit, every
        self.alive: set[str] = set()
        self.seen: set[str] = set()  # every worker alive at some look, since the last restart
        self.before: set[str] = set()  # those of the pass before the last restart
        self.restarts: list[str] = []  # the Redis server id after each restart answered
        self.published_at = time.monotonic()
        self.lost = False  # restarted more than `limit` times: not published again
        self._lock = threading.Lock()
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
            try:
                self.check()
                self.look()
            except Exception as exc:  # noqa: BLE001 - Redis away: the crawls say so; look again later
                logger.debug("run %s: fleet watch: %s", self.run_id, exc)

    def check(self) -> bool:
        """Publish the run again if a restart took it; True when it did.  Also called by the
        coordinator itself after its crawl (the lock makes one restart one publication)."""
        with self._lock:
            if self.lost or self.server.exists(self.config_key):
                return False
            if len(self.restarts) >= self.limit:
                self.lost = True
                logger.error("run %s: redis restarted again (%d times): the run is not published again",
                             self.run_id, len(self.restarts) + 1)
                return False
            self.restarts.append(self.republish())
            self.published_at = time.monotonic()
            # who shows up from now on crawls the run again (a worker registers again within a second)
            self.before, self.seen, self.alive = self.seen | self.alive, set(), set()
            return True

    def look(self) -> None:
        alive = {str(k).rsplit(":", 1)[-1] for k in self.server.scan_iter(match=self.pattern)}
        alive = {tag for tag in alive if not tag.startswith(self.own)}
        with self._lock:
            for tag in sorted(alive - self.alive):
                # after a restart at WARNING, with it: who came back is read beside the restart's error line
                how = "rejoined the run after the redis restart" if tag in self.before else "joined"
                logger.log(logging.WARNING if self.restarts else logging.INFO, "run %s: worker %s %s; the fleet:"
                           " the coordinator and %d worker(s)", self.run_id, tag, how, len(alive))
            for tag in sorted(self.alive - alive):
                logger.info("run %s: worker %s left; the fleet: the coordinator and %d worker(s)", self.run_id, tag,
                            len(alive))
            self.alive = alive
            self.seen |= alive
