"""Per-host politeness for a whole distributed fleet, kept in the run's Redis.

A portal sees the fleet as one client: two workers each keeping a Crawl-delay of 1 s on their own
asked a host every 0.03-0.10 s, three workers each holding the cap of 2 kept 4 connections open on
a slow host, and after a 429 with Retry-After the other workers went on asking it (the thirteenth
examination).  So in a distributed run a worker's downloader (crawler/downloader.py) asks this
gate before it sends each request, and the gate answers for the host across every worker:

- a concurrency slot count: at most the host's cap (CONCURRENT_REQUESTS_PER_DOMAIN or the source's
  `concurrency`) requests of the whole fleet at once; one at a time on a host whose robots.txt asks
  for a Crawl-delay (as a single process does).  Each request holds a lease that expires after its
  own timeout and a margin, so a worker killed mid-download (kill -9, OOM) frees its places by
  itself instead of wedging the host for the rest of the run;
- a "not before" time: each request moves it on by the worker's current delay (DOWNLOAD_DELAY, a
  source's download_delay, AutoThrottle's delay), counted from the request's start as Scrapy
  counts it; a Crawl-delay counts from the end of the answer, as crawler/downloader.py does;
- Retry-After (429/503): the whole host waits, every worker.

Times come from Redis's clock (TIME), so workers on machines whose clocks disagree share one.  Keys
(under `nianbao:<run_id>:`): `host:<host:port>` (hash: not_before, floor) and `leases:<address:port>`
(sorted set: lease -> expiry; the server's, shared by the host names that resolve to it), `robots:<host:port>` (the robots.txt one worker fetched, read by the
others instead of fetching and archiving it again: `shared_robots`); they expire a day after last use
and are deleted with the run.
Without Redis (a single-process crawl) there is no gate and the downloader's own slots do all this.
"""

from __future__ import annotations

import base64
import itertools
import json
import logging
from typing import Any

logger = logging.getLogger(__name__)

ROBOTS_WAIT = 30.0  # seconds a worker waits for the robots.txt another worker is fetching before it asks itself
KEEP = 86400  # seconds a host's keys outlive their last use (the coordinator deletes them with the run)
LEASE_MARGIN = 30.0  # seconds a lease outlives its request's timeout (its worker died mid-download)
POLL = 0.1  # seconds between two asks while the host's places are all taken by other workers

# ARGV: lease, cap, delay (start to start), lease ttl.  Returns '0' (granted) or the seconds to wait
# ('-1': every place is taken; ask again shortly).  Strings: Redis turns a Lua number into an integer.
_ACQUIRE = """
local t = redis.call('time')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
if redis.call('zscore', KEYS[1], ARGV[1]) then return '0' end
local floor = tonumber(redis.call('hget', KEYS[2], 'floor') or '0')
local cap = tonumber(ARGV[2])
if floor > 0 then cap = 1 end
if redis.call('zcard', KEYS[1]) >= cap then return '-1' end
local nb = tonumber(redis.call('hget', KEYS[2], 'not_before') or '0')
if nb > now then return tostring(nb - now) end
redis.call('zadd', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('hset', KEYS[2], 'not_before', tostring(now + tonumber(ARGV[3])))
redis.call('expire', KEYS[1], ARGV[5])
redis.call('expire', KEYS[2], ARGV[5])
return '0'
"""

# ARGV: lease, pause after this answer (a Crawl-delay host: the delay counts from the answer).
_RELEASE = """
local t = redis.call('time')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('zrem', KEYS[1], ARGV[1])
local floor = tonumber(redis.call('hget', KEYS[2], 'floor') or '0')
local after = math.max(tonumber(ARGV[2]), floor)
if after > 0 then
  local nb = tonumber(redis.call('hget', KEYS[2], 'not_before') or '0')
  if now + after > nb then redis.call('hset', KEYS[2], 'not_before', tostring(now + after)) end
end
return 1
"""

# ARGV: seconds the whole host must wait from now (Retry-After).
_HOLD = """
local t = redis.call('time')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nb = tonumber(redis.call('hget', KEYS[1], 'not_before') or '0')
if now + tonumber(ARGV[1]) > nb then redis.call('hset', KEYS[1], 'not_before', tostring(now + tonumber(ARGV[1]))) end
redis.call('expire', KEYS[1], ARGV[2])
return 1
"""

# ARGV: the host's Crawl-delay (the largest any worker read wins).
_FLOOR = """
local old = tonumber(redis.call('hget', KEYS[1], 'floor') or '0')
if tonumber(ARGV[1]) > old then redis.call('hset', KEYS[1], 'floor', ARGV[1]) end
redis.call('expire', KEYS[1], ARGV[2])
return 1
"""


def host_key(run_id: str, host: str) -> str:
    return f"nianbao:{run_id}:host:{host}"


def leases_key(run_id: str, host: str) -> str:
    return f"nianbao:{run_id}:leases:{host}"


def robots_key(run_id: str, host: str) -> str:
    return f"nianbao:{run_id}:robots:{host}"


def run_keys(server: Any, run_id: str) -> list[str]:
    """Every host key of the run, for the coordinator to delete with the run."""
    return [k for pattern in ("host:*", "leases:*", "robots:*", "robots-claim:*")
            for k in server.scan_iter(match=f"nianbao:{run_id}:{pattern}")]


class FleetGate:
    """One worker's handle on the fleet's per-host politeness (see the module's docstring).  Every
    method returns None when Redis failed, and the caller falls back to its own slots: a worker that
    lost Redis ends anyway (crawler/distributed.py `redis_failed`), and until then it stays polite
    on its own."""

    def __init__(self, server: Any, run_id: str, worker: str) -> None:
        self.server = server
        self.run_id = run_id
        self.worker = worker
        self._ids = itertools.count(1)

    @classmethod
    def from_settings(cls, settings: Any) -> FleetGate | None:
        """The gate of a distributed run's worker; None for a single-process crawl."""
        url, run_id = settings.get("NIANBAO_REDIS"), settings.get("NIANBAO_RUN_ID")
        if not url or not run_id:
            return None
        from crawler.distributed import PATIENCE, connect

        server = connect(url, settings.getfloat("NIANBAO_REDIS_PATIENCE", PATIENCE))
        return cls(server, run_id, settings.get("NIANBAO_WORKER") or "worker")

    def _call(self, what: str, call: Any) -> Any:
        """Every gate command is safe to send again after a lost reply (an acquire finding its own lease
        already taken answers "granted"), so it is tried with the client's patience: the first command
        on a connection a Redis restart closed failed once, and the worker crawled the rest of the run
        with its own politeness only, not the fleet's."""
        from crawler.distributed import REDIS_ERRORS, patiently

        try:
            return patiently(self.server, call)
        except REDIS_ERRORS as exc:
            logger.warning("fleet politeness: redis failed on %s (%s); this worker keeps its own per-host"
                           " politeness from here", what, exc)
            return None

    def acquire(self, host: str, cap: int, delay: float, ttl: float,
                server: str | None = None) -> tuple[float, str | None] | None:
        """(0, lease) when the request may be sent now; (seconds to wait, None) otherwise.  `server`: the
        address:port the host name reaches; the leases (the cap) are the server's, shared by its names,
        its delays the host name's."""
        lease = f"{self.worker}|{next(self._ids)}"
        keys = (leases_key(self.run_id, server or host), host_key(self.run_id, host))
        answer = self._call("acquire", lambda: self.server.eval(
            _ACQUIRE, 2, *keys, lease, max(1, int(cap)), f"{max(0.0, delay):.4f}", f"{ttl:.1f}", KEEP))
        if answer is None:
            return None
        wait = float(answer)
        if wait == 0:
            return 0.0, lease
        return (POLL if wait < 0 else max(wait, 0.005)), None

    def release(self, host: str, lease: str, after: float = 0.0, server: str | None = None) -> None:
        keys = (leases_key(self.run_id, server or host), host_key(self.run_id, host))
        self._call("release", lambda: self.server.eval(_RELEASE, 2, *keys, lease, f"{max(0.0, after):.4f}"))

    def hold(self, host: str, seconds: float) -> None:
        """Retry-After: no worker sends the host anything for `seconds` from now."""
        self._call("hold", lambda: self.server.eval(_HOLD, 1, host_key(self.run_id, host), f"{seconds:.3f}", KEEP))

    def set_floor(self, host: str, floor: float) -> None:
        """The host's robots.txt Crawl-delay, for every worker (and one request at a time)."""
        self._call("crawl-delay", lambda: self.server.eval(_FLOOR, 1, host_key(self.run_id, host), f"{floor:.3f}", KEEP))

    def shared_robots(self, host: str) -> tuple[int, bytes] | None:
        """(status, body) of the host's robots.txt as a worker of the run fetched it, or None."""
        raw = self._call("robots.txt", lambda: self.server.get(robots_key(self.run_id, host)))
        if not raw:
            return None
        data = json.loads(raw)
        return int(data["status"]), base64.b64decode(data["body"])

    def share_robots(self, host: str, status: int, body: bytes) -> None:
        """The host's robots.txt for the other workers: one fetch (and one archived copy) per run, not
        one per worker (the examination counted 100 archived answers with 2 workers, 104 with 3, 96 alone)."""
        data = json.dumps({"status": status, "body": base64.b64encode(body).decode("ascii")})
        self._call("robots.txt", lambda: self.server.set(robots_key(self.run_id, host), data, ex=KEEP))

    def claim_robots(self, host: str) -> bool:
        """This worker fetches the host's robots.txt for the fleet (the others wait for `share_robots`);
        the claim lapses after ROBOTS_WAIT s, or is dropped when the answer is not for sharing."""
        claimed = self._call("robots.txt", lambda: self.server.set(
            f"nianbao:{self.run_id}:robots-claim:{host}", self.worker, nx=True, ex=int(ROBOTS_WAIT)))
        return claimed is None or bool(claimed)  # Redis failing: fetch it ourselves

    def drop_robots_claim(self, host: str) -> None:
        self._call("robots.txt", lambda: self.server.delete(f"nianbao:{self.run_id}:robots-claim:{host}"))
