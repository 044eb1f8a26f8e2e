"""Distributed crawls on scrapy-redis: one run, one shared request queue, several worker processes.

`nianbao crawl --redis URL` is the coordinator: it opens the run (crawl_runs row), publishes the
run's configuration and its start URLs (JSON, as scrapy-redis wants them) in Redis, crawls as one
worker itself, then waits for every other worker to leave and closes the run with the summed
per-source stats.  `nianbao worker --redis URL` waits for a published run, joins it and crawls
from the same queue; the dupefilter lives in Redis too, so each request is fetched by one worker.

Redis keys of a run (all under `nianbao:<run_id>:`): `config` (JSON), `start_urls` (list),
`requests` (scrapy-redis priority queue), `dupefilter` (set), `worker:<tag>` (liveness, a heartbeat
with a TTL, worker_ttl), `workers` (set of every tag that joined), `inflight:<tag>` (hash: the requests a
worker took from the queue and has not finished), `seeds:<tag>` (hash: start URLs it took whose
requests are not queued yet), `popped:<tag>` (its last pops, so a pop sent again after a lost reply
gets the same answer), `results` (hash: worker tag -> JSON stats).
`nianbao:current` names the run to join.

A worker killed mid-run (kill -9, OOM, a lost host) leaves its `inflight:<tag>` behind and never
posts results: once its heartbeat has expired, the coordinator puts those requests back in the
queue and crawls them itself (REQUEUE_ROUNDS rounds at most; `--set NIANBAO_REQUEUE_ROUNDS=N` on the
coordinator).  What still cannot be crawled ends the run as `incomplete: …` naming the worker and the
count, never `finished`.  `progress` (hash: worker tag -> its counts at its last heartbeat) keeps a dead
worker's pages and reports in the run's stats.

Redis restarted mid-run without persistence (the documented way to run it) takes the queue,
dupefilter, in-flight lists and results with it: the run's `config` key is the marker
(`lost_redis`).  The coordinator publishes the run again within a second (crawler/fleetwatch.py), every
crawl of the run registers again and waits for that (`RedisRunSpider.watch_publication`), and the fleet
re-crawls it from the start URLs; the run ends `incomplete: redis restarted …` (exit 1), never `finished`.  Every Redis client of every
process (scrapy-redis's too: `PatientRedis`) keeps trying for NIANBAO_REDIS_PATIENCE seconds of wall
clock, but never runs a command twice where a lost reply would make that lose work (see
PatientRedis), so workers ride out the restart and carry on; Redis away for longer
ends a worker cleanly (`redis_failed`): one error line, the requests it held left in flight for the
coordinator, exit 1, and a coordinator closes the run `failed: redis … unreachable …`.

Why each worker's counts also go to a file in the data dir (`runs/<run>.workers/<tag>.json`, at
every heartbeat and at its end): Redis is not persistent, and a restart took the `results` of
workers that had already left, so their pages and errors were missing from `crawl_run_sources`.
The data dir is shared by every worker anyway (one nianbao.db); the coordinator sums the files.

Why the queue and dupefilter are subclassed: requests carry bound methods of the family spiders
(TrsSpider.parse_list …), which scrapy-redis cannot name on the run's dispatcher spider; and the
stock Redis dupefilter ignores the source id our fingerprinter adds (crawler/fingerprint.py).
Several processes write one nianbao.db and one warc/ directory: every Archive is made for that
(archive/store.py); each worker's WARC files carry its tag.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from scrapy_redis.spiders import RedisMixin

from archive.store import Archive
from crawler.fleet import run_keys as fleet_keys
from crawler.fleetwatch import FleetWatch
from crawler.spiders.families import SPIDERS, RunSpider
from crawler.watchdog import EXIT_FORCED

logger = logging.getLogger(__name__)

CURRENT = "nianbao:current"
WORKER_TTL = 30  # the shortest heartbeat TTL (s); longer when the patience is (worker_ttl)
RESTARTS = 2  # Redis restarts in one run that the coordinator answers by publishing the run again
REQUEUE_ROUNDS = 2  # times the coordinator re-crawls what dead workers held before calling the run incomplete
DEFAULT_IDLE = 10  # seconds a worker waits on an empty queue before leaving
PATIENCE = 30.0  # seconds since a command's first failure that it keeps trying (NIANBAO_REDIS_PATIENCE)
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)
EXIT_FAILED = 1  # `nianbao worker`: a crawl failed, or Redis was unreachable for longer than the patience
CHILD_NO_REDIS = 69  # EX_UNAVAILABLE: a worker's crawl child gave up on Redis (said why in one line)
CHILD_NO_CONFIG = 75  # EX_TEMPFAIL: the run's config was not in Redis (lost in a restart): nothing was taken
NO_CONFIG = "left: the run's config is not in redis (lost in a restart?): nothing taken"

# Commands whose second run leaves Redis as the first left it and whose reply we do not act on beyond
# that: after a lost reply they are simply sent again.  SADD (its reply is the dupefilter's answer),
# EVAL (our pop scripts), RPUSH/LPOP and MULTI pipelines are not: see SourceDupeFilter, the token of
# FamilyQueue.pop and RedisRunSpider.take_seeds, publish and requeue_lost.  (SET is here as we use it:
# never with NX or GET.)
REPEATABLE = frozenset({
    "PING", "INFO", "SELECT", "CLIENT", "GET", "MGET", "EXISTS", "TTL", "TYPE", "SET", "EXPIRE", "DEL", "UNLINK",
    "HGET", "HGETALL", "HKEYS", "HVALS", "HLEN", "HEXISTS", "HSET", "HDEL", "SMEMBERS", "SISMEMBER", "SCARD",
    "ZCARD", "ZRANGE", "ZADD", "ZSCORE", "LLEN", "LRANGE", "SCAN",
})


FLEET_NOTES = ("generic:facts", "generic:claims", "generic:endpass")  # crawler/fleetnotes.py's keys


def key(run_id: str, what: str) -> str:
    return f"nianbao:{run_id}:{what}"


def patience_of(settings: dict | None) -> float:
    return float((settings or {}).get("NIANBAO_REDIS_PATIENCE", PATIENCE))


def socket_timeout_for(patience: float) -> float:
    """A quarter of the patience, 1 to 5 s (never more than half of it): a hung Redis (SIGSTOP, a frozen
    host) answers nothing, and every try must end in time for the patience to mean seconds."""
    return min(patience / 2, max(1.0, min(5.0, patience / 4)))


def longest_stall(patience: float) -> float:
    """The longest one Redis call can keep a worker's reactor: its first try (a socket timeout), the
    patience, then a last try begun just before it ran out (connect, handshake, command)."""
    return patience + 4 * socket_timeout_for(patience)


def worker_ttl(patience: float) -> int:
    """A heartbeat must outlast the longest stall of the reactor that beats it (one beat per TTL/3), or
    the coordinator declares a worker that is only riding out a Redis outage dead."""
    return max(WORKER_TTL, int(1.5 * longest_stall(patience)) + 5)


class NotSent(redis.ConnectionError):
    """Failed while connecting: the command never reached Redis, so sending it again cannot run it twice."""


class PatientConnection(redis.Connection):
    def connect_check_health(self, *args: Any, **kwargs: Any) -> None:
        try:
            return super().connect_check_health(*args, **kwargs)
        except (NotSent, redis.AuthenticationError):
            raise
        except REDIS_ERRORS as exc:
            raise NotSent(str(exc)) from exc


class PatientRedis(redis.Redis):
    """A client that rides out a Redis restart or a short outage for `patience` seconds (wall clock,
    counted from a command's first failure) instead of killing the crawl, without ever running a
    command twice where that would change its meaning: a command that failed while connecting never
    reached Redis and is tried again; one that may have run (its reply lost: a reset, a timeout) is
    tried again only if it is REPEATABLE.  Also the class scrapy-redis builds its clients with
    (REDIS_PARAMS redis_cls)."""

    patience: float = PATIENCE

    @classmethod
    def from_url(cls, url: str, patience: float = PATIENCE, **kwargs: Any) -> PatientRedis:
        timeout = socket_timeout_for(patience)
        client = super().from_url(url, **{**kwargs, "socket_timeout": timeout, "socket_connect_timeout": timeout,
                                          "retry_on_timeout": False, "retry": Retry(NoBackoff(), 0),
                                          "connection_class": PatientConnection})
        client.patience = patience
        return client

    def execute_command(self, *args: Any, **options: Any) -> Any:
        repeatable = str(args[0]).upper() in REPEATABLE
        return self.patiently(lambda: redis.Redis.execute_command(self, *args, **options), repeatable)

    def patiently(self, call: Any, repeatable: bool = False) -> Any:
        """`call()`, tried again on a Redis error (backoff 0.1 s doubling to 2 s) until `patience` seconds
        after its first failure; only when it certainly did not run (NotSent) unless `repeatable`."""
        first, pause = None, 0.1
        while True:
            try:
                return call()
            except REDIS_ERRORS as exc:
                if getattr(exc, "patience_spent", False) or not (repeatable or isinstance(exc, NotSent)):
                    raise
                now = time.monotonic()
                first = now if first is None else first
                if now - first >= self.patience:
                    exc.patience_spent = True  # an outer patiently() must not wait all over again
                    raise
                time.sleep(min(pause, first + self.patience - now))
                pause = min(pause * 2, 2.0)


def patiently(server: Any, call: Any) -> Any:
    """`call()` (safe to repeat) with `server`'s patience, or once on a client that has none."""
    return server.patiently(call, repeatable=True) if hasattr(server, "patiently") else call()


def connect(url: str, patience: float = PATIENCE) -> PatientRedis:
    """Rides out a Redis restart instead of dying mid-run (REDIS_ERRORS after `patience` seconds);
    what the restart lost is found by `lost_redis` (the run's `config` key is gone)."""
    return PatientRedis.from_url(url, patience=patience, decode_responses=True)


def unreachable(url: str, patience: float, exc: BaseException) -> str:
    """The one line that says why a worker or a run gave up on Redis."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"redis at {url} unreachable for more than {patience:.0f}s ({detail})"


# -- each worker's counts, kept in the shared data dir (Redis may lose them) ---------------------------

def worker_stats_dir(data_dir: Path, run_id: str) -> Path:
    return Path(data_dir) / "runs" / f"{run_id}.workers"


def save_worker_stats(data_dir: Path, run_id: str, worker: str, finish: str, sources: dict) -> None:
    """Atomically (a reader never sees half a file); only while the run's folder exists, so a worker
    outliving the run does not bring it back."""
    folder = worker_stats_dir(data_dir, run_id)
    if not folder.is_dir():
        return
    tmp = folder / f".{worker}.tmp"
    try:
        tmp.write_text(json.dumps({"finish": finish, "sources": sources}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / f"{worker}.json")
    except OSError as exc:  # a full disk: the heartbeat must go on (Redis keeps a copy of the counts)
        logger.warning("worker %s: its counts could not be saved in %s: %s", worker, folder, exc)


def read_worker_stats(data_dir: Path, run_id: str) -> dict[str, str]:
    """Worker tag -> its last saved counts (JSON, as Redis `results` holds them)."""
    folder = worker_stats_dir(data_dir, run_id)
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}


def redis_identity(server) -> str:
    """The Redis server's run_id: a new one after every restart."""
    return str(server.info("server").get("run_id", ""))


def lost_redis(server, run_id: str) -> bool:
    """Did Redis lose this run's keys (a restart without persistence, a FLUSHALL)?  The `config` key
    is written once by the coordinator and read-only after: gone means the queue, dupefilter,
    in-flight lists and results went with it."""
    return not server.exists(key(run_id, "config"))


def worker_tag() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def redis_settings(url: str, run_id: str, idle: int = DEFAULT_IDLE, patience: float = PATIENCE) -> dict[str, Any]:
    """Scrapy settings that put the run's scheduler and dupefilter in Redis."""
    return {
        "SCHEDULER": "crawler.distributed.RedisScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.FamilyQueue",
        "SCHEDULER_DUPEFILTER_CLASS": "crawler.distributed.SourceDupeFilter",
        "DUPEFILTER_CLASS": "crawler.distributed.SourceDupeFilter",
        "SCHEDULER_QUEUE_KEY": key(run_id, "requests"),
        "SCHEDULER_DUPEFILTER_KEY": key(run_id, "dupefilter"),
        "REDIS_START_URLS_KEY": key(run_id, "start_urls"),
        # the queue outlives each worker; the coordinator deletes it when the run is closed
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": url,
        "REDIS_PARAMS": {"redis_cls": "crawler.distributed.PatientRedis", "patience": patience},
        "MAX_IDLE_TIME_BEFORE_CLOSE": idle,
        "NIANBAO_REDIS": url,
    }


# -- scrapy-redis plumbing ----------------------------------------------------------------------

def _method_name(spider: Any, method: Any) -> str | None:
    """'family.method' for a bound method of one of the run's family spiders."""
    owner = getattr(method, "__self__", None)
    for family, member in getattr(spider, "families", {}).items():
        if owner is member:
            return f"{family}.{method.__name__}"
    return None


# Pop the best request and file it under the worker's in-flight hash in one step: a worker killed
# right after the pop still leaves the request where the coordinator finds it.  Each pop carries a
# token (the worker's pop counter) remembered in the worker's `popped` record: a pop sent again after
# its reply was lost gets the same answer instead of taking a second request.
_POP_INFLIGHT = """
if KEYS[3] ~= '' and redis.call('hget', KEYS[3], 'pop_token') == ARGV[1] then
  return redis.call('hget', KEYS[3], 'pop_item')
end
local item = redis.call('zrange', KEYS[1], 0, 0)[1]
if item then
  redis.call('zremrangebyrank', KEYS[1], 0, 0)
  if KEYS[2] ~= '' then redis.call('hset', KEYS[2], redis.sha1hex(item), item) end
end
if KEYS[3] ~= '' then
  redis.call('hdel', KEYS[3], 'pop_item')
  redis.call('hset', KEYS[3], 'pop_token', ARGV[1])
  if item then redis.call('hset', KEYS[3], 'pop_item', item) end
end
return item or false
"""

# The start URLs the same way: a batch moves from the run's list to the worker's `seeds` hash (held
# until the requests made from each are in the queue), and a pop sent again returns the same batch.
_TAKE_SEEDS = """
if redis.call('hget', KEYS[3], 'seed_token') == ARGV[1] then
  return cjson.decode(redis.call('hget', KEYS[3], 'seed_items'))
end
local items = redis.call('lrange', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if #items > 0 then
  redis.call('ltrim', KEYS[1], #items, -1)
  for _, item in ipairs(items) do redis.call('hset', KEYS[2], redis.sha1hex(item), item) end
end
redis.call('hset', KEYS[3], 'seed_token', ARGV[1], 'seed_items', #items > 0 and cjson.encode(items) or '[]')
return items
"""


def inflight_key(queue_key: str, worker: str) -> str:
    return queue_key.rsplit(":", 1)[0] + f":inflight:{worker}"


def popped_key(queue_key: str, worker: str) -> str:
    """The worker's last pops (token and answer), for a pop sent again after a lost reply."""
    return queue_key.rsplit(":", 1)[0] + f":popped:{worker}"


def sha1_of(raw: bytes | str) -> str:
    return hashlib.sha1(raw.encode() if isinstance(raw, str) else raw).hexdigest()


class FamilyQueue(PriorityQueue):
    """Names callbacks by family and method, so any worker can give a request back to its spider;
    remembers what this worker took until it is done (RedisRunSpider.finished)."""

    pops = 0

    def pop(self, timeout: int = 0) -> Request | None:
        worker = getattr(self.spider, "worker", None)
        if worker:
            self.pops += 1
            keys = (self.key, inflight_key(self.key, worker), popped_key(self.key, worker))
            raw = patiently(self.server, lambda: self.server.eval(_POP_INFLIGHT, 3, *keys, str(self.pops)))
        else:
            raw = self.server.eval(_POP_INFLIGHT, 3, self.key, "", "", "")
        if not raw:
            return None
        request = self._decode_request(raw)
        if worker:
            request.meta["nianbao_inflight"] = (inflight_key(self.key, worker), sha1_of(raw))
            self.spider.holding.add(request.meta["nianbao_inflight"])
        return request

    def _encode_request(self, request: Request) -> bytes:
        names = {k: _method_name(self.spider, getattr(request, k)) for k in ("callback", "errback")}
        plain = request.replace(**{k: None for k, v in names.items() if v})
        obj = plain.to_dict(spider=self.spider)
        obj["nianbao_methods"] = names
        return self.serializer.dumps(obj)

    def _decode_request(self, encoded_request: bytes) -> Request:
        obj = self.serializer.loads(encoded_request)
        names = obj.pop("nianbao_methods", {}) or {}
        request = request_from_dict(obj, spider=self.spider)
        bound = {}
        for attr, name in names.items():
            if name:
                family, method = name.split(".", 1)
                bound[attr] = getattr(self.spider.families[family], method)
        return request.replace(**bound) if bound else request


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler, but Redis gone for longer than the patience ends this worker cleanly
    (RedisRunSpider.redis_failed) instead of a traceback per request; after that nothing more is
    asked of Redis.  A request that could not be queued is not lost: the request that found it stays
    in this worker's in-flight hash (finished() no longer clears it), and the coordinator re-queues
    that, or re-seeds the run when Redis came back empty."""

    def _guarded(self, call: Any, default: Any) -> Any:
        if getattr(self.spider, "redis_down", None):
            return default
        try:
            return call()
        except REDIS_ERRORS as exc:
            self.spider.redis_failed(exc)
            return default

    def enqueue_request(self, request: Request) -> bool:
        seed = request.meta.pop("nianbao_seed", None)  # not carried into the queue (nor to its children)
        queued = self._guarded(lambda: super(RedisScheduler, self).enqueue_request(request), None)
        if queued is None:
            self.spider.unqueued += 1
            return False
        if seed:
            self.spider.seed_queued(seed)
        return queued

    def next_request(self) -> Request | None:
        return self._guarded(super().next_request, None)

    def has_pending_requests(self) -> bool:
        return self._guarded(super().has_pending_requests, False)


class SourceDupeFilter(RFPDupeFilter):
    """scrapy-redis's fingerprint plus the source id: sources sharing a portal each walk it."""

    def request_fingerprint(self, request: Request) -> str:
        base = super().request_fingerprint(request)
        source_id = request.meta.get("source_id")
        return f"{base}:{source_id}" if source_id else base

    def request_seen(self, request: Request) -> bool:
        """SADD's reply is the answer, so it is never sent twice (a second SADD says 0, "seen", and the
        request would never be crawled): when the reply is lost the answer is "not seen".  A duplicate
        fetch costs a 304; a skipped one loses a page.  Redis unreachable (NotSent after the patience)
        still ends the worker."""
        fingerprint = self.request_fingerprint(request)
        try:
            return self.server.sadd(self.key, fingerprint) == 0
        except NotSent:
            raise
        except REDIS_ERRORS as exc:
            logger.warning("dupefilter: no reply from redis (%s); fetching %s as not seen", exc, request.url)
            return False


class RedisRunSpider(RedisMixin, RunSpider):
    """The run's dispatcher, fed from Redis: start URLs from the run's list, the rest from the queue."""

    def __init__(self, *args: Any, worker: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker or worker_tag()
        self.idle_since: float | None = None
        self.holding: set[tuple[str, str]] = set()  # in-flight marks of the requests this worker took
        self.unqueued = 0  # new requests Redis could not take (their parents stay in flight)
        self.seeds_pending: dict[tuple[str, str], int] = {}  # a held start URL -> its requests not yet queued
        self.seed_pops = 0
        self.redis_down: str | None = None  # why this worker gave up on Redis
        self.redis_id: str | None = None  # the Redis server's run_id this crawl last saw the run published on
        self.unpublished_since: float | None = None  # a Redis restart took the run's config (monotonic)
        self.ttl = float(WORKER_TTL)
        self.stop_seen = False  # the run's `stop` key was seen (watch_stop)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_redis(crawler)
        from crawler.fleetnotes import FleetNotes

        fleet = FleetNotes(spider.server, spider.run_id, spider.worker)
        for family in spider.families.values():  # a note is written once per run, not once per worker
            family.note_claim = fleet.claim_note
        generic = spider.families.get("generic")
        if generic is not None:  # the end of the crawl is judged over the fleet (crawler/fleetnotes.py)
            generic.fleet = fleet
        crawler.signals.connect(spider.alive, signal=signals.response_received)
        crawler.signals.connect(spider.poll_often, signal=signals.spider_opened)
        crawler.signals.connect(spider.track_done, signal=signals.spider_opened)
        return spider

    def track_done(self, *args: Any, **kwargs: Any) -> None:
        """A request is done when the engine drops it from its slot (downloaded, its callback's output
        queued, or a redirect's next hop queued): only then does it leave the in-flight hash.  Plus
        a heartbeat from the reactor, independent of downloads, so a dead worker is seen in TTL s."""
        from twisted.internet import task

        engine = self.crawler.engine
        remove = engine._remove_request  # Scrapy 2.19: called once per request, after everything

        def remove_and_forget(result: Any, request: Request) -> Any:
            try:
                return remove(result, request=request)
            finally:
                self.finished(request)

        engine._remove_request = remove_and_forget
        self.redis_id = self.settings.get("NIANBAO_REDIS_ID") or None  # the server the run was published on
        self.ttl = self.settings.getfloat("NIANBAO_WORKER_TTL", worker_ttl(self.settings.getfloat(
            "NIANBAO_REDIS_PATIENCE", PATIENCE)))
        self._heartbeat = task.LoopingCall(self.beat, self.ttl)
        self._heartbeat.start(max(0.5, self.ttl / 3), now=True)
        self._stop_watch = task.LoopingCall(self.watch_stop)
        self._stop_watch.start(self.settings.getfloat("NIANBAO_REDIS_POLL", 1.0), now=False)

    def watch_stop(self) -> None:
        """Once a second: the coordinator was stopped (SIGTERM/SIGINT; `Stop`): close this worker's crawl
        as a SIGTERM would, gracefully (its requests in flight are finished), within the watchdog's grace.
        And a Redis restart is noticed here (`watch_publication`), not at the next heartbeat."""
        if self.redis_down:
            return
        try:
            why = self.server.get(key(self.run_id, "stop"))
            self.watch_publication()
        except REDIS_ERRORS as exc:
            self.redis_failed(exc)
            return
        if not why:
            return
        why = why.decode() if isinstance(why, bytes) else why  # scrapy-redis's client answers bytes
        dog = getattr(self.crawler, "nianbao_watchdog", None)
        if why.startswith(FORCED) and dog is not None:
            # the coordinator was stopped twice: end now, as the watchdog does past its grace (this
            # worker's counts are saved first; what it holds stays in flight in Redis, counted as lost)
            self.logger.warning("run %s was ended at once (%s): ending this worker", self.run_id, why)
            if dog.reason is None:
                dog.reason = f"interrupted: the run was stopped ({why})"
            dog.force()
            return
        if self.stop_seen:
            return
        self.stop_seen = True
        self.logger.warning("run %s was stopped (%s): closing this worker", self.run_id, why)
        if dog is not None and dog.reason is None:
            dog.end(f"interrupted: the run was stopped ({why})", "shutdown")
        elif dog is None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="shutdown"))

    def beat(self, ttl: float) -> None:
        # the counts so far, first where Redis cannot lose them: if this worker dies, or Redis
        # restarts, the run still counts the pages and reports it did
        save_worker_stats(Path(self.settings.get("NIANBAO_DATA")), self.run_id, self.worker, "died",
                          self.stats_rows())
        if self.redis_down:
            return
        try:
            self.register(ttl)
        except REDIS_ERRORS as exc:
            self.redis_failed(exc)

    def register(self, ttl: float) -> None:
        """This worker's heartbeat, its name in the run's `workers` and its counts so far, in Redis.
        Again at each beat, and at once after a restart: a restarted Redis lost them, and until they are
        back the coordinator takes this worker for gone (once, a beat was up to TTL/3 = 27 s away, the
        coordinator closed the re-crawl while this worker still crawled, and nobody re-queues what a
        worker it does not know of holds should it die)."""
        self.server.set(key(self.run_id, f"worker:{self.worker}"), time.time(), ex=max(1, int(ttl)))
        patiently(self.server, lambda: self.server.sadd(key(self.run_id, "workers"), self.worker))
        self.server.hset(key(self.run_id, "progress"), self.worker,
                         json.dumps({"finish": "died", "sources": self.stats_rows()}))

    def watch_publication(self) -> None:
        """A Redis restart without persistence takes the run's `config`, queue and start URLs, and this
        worker's heartbeat: this crawl registers again at once, finishes the requests in hand and, if the
        run is not published again yet, waits for it (`spider_idle`), then takes its share of the re-crawl
        under the same tag.  Before, it left once idle and the coordinator re-crawled the run alone.  Its
        own heartbeat key is looked at too: the coordinator may publish the run again before this crawl
        looks, and its heartbeat would then have stayed missing until the next beat.  `config` gone from
        the same Redis server (no restart) is the run closed: nothing to wait for."""
        there = self.server.exists(key(self.run_id, "config"), key(self.run_id, f"worker:{self.worker}"))
        if there == 2:
            if self.unpublished_since is not None:
                self.unpublished_since = self.idle_since = None
                self.logger.warning("run %s was published again after the redis restart: %s takes work from it",
                                    self.run_id, self.worker)
            return
        lost = lost_redis(self.server, self.run_id)
        now = redis_identity(self.server)
        if now == self.redis_id or not self.redis_id:
            if not lost:  # same server, heartbeat expired (a reactor stalled past the TTL): beat again
                self.register(self.ttl)
            return  # config gone from the same server: the run was closed, not a restart
        self.redis_id = now
        self.register(self.ttl)
        if lost and self.unpublished_since is None:
            self.unpublished_since = time.monotonic()
        self.logger.warning("redis restarted during run %s (its queue was lost): %s carries on with the %d"
                            " request(s) in hand%s", self.run_id, self.worker, len(self.holding),
                            " and waits for the coordinator to publish the run again" if lost
                            else "; the run is published again: it takes work from it")

    def redis_failed(self, exc: BaseException) -> None:
        """Redis stayed away longer than the patience: end this worker's crawl, once, with one line.
        What it holds stays in its in-flight hash (the coordinator re-queues it once this worker's
        heartbeat is gone, or re-seeds the run if Redis came back empty): nothing is lost silently."""
        if self.redis_down:
            return
        patience = self.settings.getfloat("NIANBAO_REDIS_PATIENCE", PATIENCE)
        self.redis_down = unreachable(self.settings.get("NIANBAO_REDIS"), patience, exc)
        reason = (f"worker {self.worker}: {self.redis_down}; left the run holding {len(self.holding)} request(s),"
                  f" kept in flight in redis for the coordinator to re-queue")
        self.logger.error("%s", reason)
        from crawler.middlewares import archive_for

        archive_for(self.settings).record_error(self.run_id, None, None, reason)
        dog = getattr(self.crawler, "nianbao_watchdog", None)
        if dog is not None and dog.reason is None:
            dog.end(f"failed: {self.redis_down}", "redis unreachable")

    def finished(self, request: Request) -> None:
        mark = request.meta.get("nianbao_inflight")
        if not mark:
            return
        if self.redis_down:  # kept in flight in Redis: its new requests may not have been queued
            return
        try:
            generic = self.families.get("generic")
            if generic is not None and generic.fleet is not None and request.meta.get("source_id") in generic.sources:
                # what it taught us about its source, before it leaves the fleet's in-flight count
                generic.fleet.publish(generic, [request.meta["source_id"]])
            self.server.hdel(*mark)
            self.holding.discard(mark)
        except REDIS_ERRORS as exc:
            self.redis_failed(exc)

    def poll_often(self, *args: Any, **kwargs: Any) -> None:
        """An idle engine asks its scheduler for work only on its heartbeat (5 s in Scrapy 2.19): a
        worker that started with nothing to do would sit out most of a short crawl.  Set before the
        engine starts the heartbeat (spider_opened comes first)."""
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = self.settings.getfloat("NIANBAO_REDIS_POLL", 1.0)

    def next_requests(self):
        """scrapy-redis's, but with the start URLs taken by `take_seeds`: each request made from one
        carries its mark, dropped once the request is in the shared queue (RedisScheduler)."""
        for mark, data in self.take_seeds():
            made = self.make_request_from_data(data)
            if not made:
                self.seed_queued(mark, 0)
                continue
            self.seeds_pending[mark] = len(made)
            for request in made:
                request.meta["nianbao_seed"] = mark
                yield request

    def take_seeds(self) -> list[tuple[tuple[str, str], Any]]:
        """A batch of start URLs, held in this worker's `seeds` hash until they are queued: a worker
        that dies before leaves them for the coordinator (requeue_lost), and a pop whose reply was lost
        is sent again with the same token and gets the same batch (scrapy-redis's MULTI LRANGE/LTRIM
        sent twice dropped the first batch)."""
        self.seed_pops += 1
        held = key(self.run_id, f"seeds:{self.worker}")
        keys = (self.redis_key, held, key(self.run_id, f"popped:{self.worker}"))
        items = patiently(self.server, lambda: self.server.eval(_TAKE_SEEDS, 3, *keys, str(self.seed_pops),
                                                                 self.redis_batch_size))
        return [((held, sha1_of(item)), item) for item in items or []]

    def seed_queued(self, mark: tuple[str, str], n: int = 1) -> None:
        """One more request made from a held start URL is in the queue: all of them, and it is let go."""
        left = self.seeds_pending.get(mark, 0) - n
        if left > 0:
            self.seeds_pending[mark] = left
            return
        self.seeds_pending.pop(mark, None)
        if self.redis_down:
            return
        try:
            self.server.hdel(*mark)
        except REDIS_ERRORS as exc:
            self.redis_failed(exc)

    async def start(self):
        try:
            requests = list(self.next_requests())
        except REDIS_ERRORS as exc:
            self.redis_failed(exc)
            return
        for request in requests:
            yield request

    def make_request_from_data(self, data: bytes | str) -> list[Request]:
        """A pushed start URL {"url": …, "meta": {"source_id": …}} becomes its family's first request."""
        text = data.decode(self.redis_encoding) if isinstance(data, bytes) else data
        item = json.loads(text)
        source_id = (item.get("meta") or {}).get("source_id")
        for family in self.families.values():
            source = family.sources.get(source_id)
            if source is not None:
                return list(family.start_requests_for(source, item["url"]))
        self.logger.warning("start URL for an unknown source %r: %s", source_id, item.get("url"))
        return []

    def alive(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = None

    def spider_idle(self) -> None:
        """Leave after `max_idle_time` seconds with nothing to do (scrapy-redis counts from import time)."""
        if self.redis_down:
            return
        try:
            if self.count_size(self.redis_key) > 0:
                self.idle_since = None
            self.schedule_next_requests()
        except REDIS_ERRORS as exc:
            self.redis_failed(exc)
            return
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if self.max_idle_time and now - self.idle_since >= self.max_idle_time:
            try:  # not before a Redis restart the once-a-second watch has not seen yet (a busy reactor)
                self.watch_publication()
            except REDIS_ERRORS as exc:
                self.redis_failed(exc)
                return
            if not self.waiting_for_publication(now):
                return
            self.idle_since = now
        raise DontCloseSpider

    def waiting_for_publication(self, now: float) -> bool:
        """Idle after a Redis restart, the run not published again yet: wait for it (the coordinator
        publishes it within a second of noticing), a heartbeat TTL at most (a coordinator that died
        never does)."""
        if self.unpublished_since is None:
            return False
        if now - self.unpublished_since < self.ttl:
            return True
        self.logger.warning("run %s was not published again within %.0fs of the redis restart: %s leaves it",
                            self.run_id, self.ttl, self.worker)
        self.unpublished_since = None
        return False


# -- the archive, shared by processes ---------------------------------------------------------------

# Every Archive is safe with several writer processes (archive/store.py: BEGIN IMMEDIATE before the
# "already stored?" read, busy timeout and bounded retries, one WARC series per writer tag).  The
# name stays for callers that want to say "this archive is shared"; the worker tag is the WARC tag.
SharedArchive = Archive


def install_shared_archive(data_dir: Path, worker: str) -> Archive:
    """Make every crawler component of this process write WARC files tagged with the worker's name."""
    from crawler import middlewares

    root = Path(data_dir).resolve()
    archive = Archive(root, tag=worker)
    middlewares._ARCHIVES[root] = archive
    return archive


# -- one worker's crawl (runs in a child process: one reactor per process) --------------------------

def run_worker(data_dir: Path, redis_url: str, run_id: str, worker: str, extra: dict | None = None) -> str:
    """Crawl from the run's queue until it is drained; leave this worker's stats in the data dir and
    in Redis.  Returns how its crawl ended ('finished', 'failed: redis … unreachable …', …)."""
    import warnings

    from scrapy.exceptions import ScrapyDeprecationWarning

    from crawler.run import BoundedCrawlerProcess, build_settings
    from crawler.sources import parse_sources

    # scrapy-redis 0.9.1 passes spider= to the stats collector on every request; known, harmless
    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")
    first = connect(redis_url, patience_of(extra))
    try:
        config = json.loads(first.get(key(run_id, "config")) or "{}")
    finally:
        first.close()
    if not config:
        # Redis restarted between this worker's join and now (its child starts slowly on a busy host):
        # crawling without the run's sources would take the re-seeded start URLs and drop each as an
        # unknown source's.  The coordinator publishes the run again; the worker joins it then.
        logger.warning("worker %s: run %s has no config in redis (restarted?): not crawling it now", worker, run_id)
        return NO_CONFIG
    settings_extra = {**(config.get("settings") or {}), **(extra or {})}
    patience = patience_of(settings_extra)
    server = connect(redis_url, patience)  # the run's patience (the coordinator's, unless this worker set its own)
    wanted = set(config.get("source_ids") or [])
    registry = parse_sources(config.get("sources_yaml") or "[]", origin="redis")
    sources = [s for s in registry if s.id in wanted and s.family in SPIDERS]
    install_shared_archive(data_dir, worker)
    settings_extra.update(redis_settings(redis_url, run_id, int(config.get("idle", DEFAULT_IDLE)), patience))
    settings_extra["NIANBAO_REDIS_PATIENCE"] = patience
    settings_extra["NIANBAO_WORKER"] = worker  # names its leases on the fleet's hosts (crawler/fleet.py)
    settings_extra["NIANBAO_REDIS_ID"] = config.get("redis_id") or ""  # a restart changes it (watch_publication)
    settings = build_settings(Path(data_dir), run_id, sources, settings_extra)
    # no mkdir of runs/<run>.workers/: the coordinator made it, and removed it once the run was closed
    # a SIGTERM is `interrupted: SIGTERM` with the watchdog's bound on the close, as in a single process
    process = BoundedCrawlerProcess(settings)
    crawler = process.create_crawler(RedisRunSpider)
    lost: list[BaseException] = []

    def open_failed(failure: Any) -> Any:
        """Redis gone while the spider opened (scrapy-redis's scheduler pings it there, and Scrapy then
        fails again closing an engine that never opened): one line below, not Scrapy's traceback."""
        cause = redis_cause(failure.value)
        if cause is None:
            return failure
        lost.append(cause)
        return None

    process.crawl(crawler, sources=sources, run_id=run_id, worker=worker, registry=registry).addErrback(open_failed)
    finish = "failed"
    stats: dict[str, dict] = {}

    def leave(finish: str, rows: dict) -> None:
        """The end of this worker's part: its counts in the data dir, then (Redis willing) in Redis."""
        save_worker_stats(data_dir, run_id, worker, finish, rows)
        spider = crawler.spider
        if spider is not None and spider.redis_down:
            return
        try:
            server.hset(key(run_id, "results"), worker, json.dumps({"finish": finish, "sources": rows}))
            server.delete(key(run_id, f"worker:{worker}"))
        except REDIS_ERRORS as exc:  # its counts are in the data dir; its in-flight hash stays for the coordinator
            logger.error("worker %s: %s; its counts are kept in %s", worker, unreachable(redis_url, patience, exc),
                         worker_stats_dir(data_dir, run_id))

    def forced(reason: str) -> None:  # the watchdog ends this process: say why first
        leave(reason, crawler.spider.stats_rows() if crawler.spider is not None else {})

    dog = getattr(crawler, "nianbao_watchdog", None)
    if dog is not None:
        dog.on_force = forced
    try:
        process.start()
        from crawler.run import end_status

        finish = end_status(crawler)
        if lost:
            finish = f"failed: {unreachable(redis_url, patience, lost[0])}"
            logger.error("worker %s: %s; its crawl did not start", worker, finish[len("failed: "):])
    finally:
        from crawler.run import recording_the_end

        with recording_the_end():
            if crawler.spider is not None:
                stats = crawler.spider.stats_rows()
                if crawler.spider.unqueued:
                    logger.warning("worker %s: %d new request(s) could not be queued in redis; the requests"
                                   " that found them stay in flight for the coordinator", worker,
                                   crawler.spider.unqueued)
            leave(finish, stats)
    return finish


def redis_cause(exc: BaseException | None) -> BaseException | None:
    """The Redis error behind `exc`, however Scrapy wrapped or followed it (its cause or context chain)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, REDIS_ERRORS):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def spawn_worker(data_dir: Path, redis_url: str, run_id: str, worker: str, extra: dict | None = None) -> int:
    payload = {"data_dir": str(Path(data_dir).resolve()), "redis": redis_url, "run_id": run_id,
               "worker": worker, "settings": extra or {}}
    from crawler.run import run_child

    # the coordinator's own worker shares its crawl lock (a plain worker holds none)
    return run_child(["-m", "crawler.distributed", "--child"], Path(data_dir), payload)


def join(server, run_id: str, worker: str, ttl: int = WORKER_TTL) -> bool:
    """Register as alive, then check the run is still open (the coordinator unpublishes before it
    counts workers, so a worker either is counted or sees the run closed)."""
    server.set(key(run_id, f"worker:{worker}"), time.time(), ex=ttl)
    if server.get(CURRENT) == run_id:
        patiently(server, lambda: server.sadd(key(run_id, "workers"), worker))
        return True
    server.delete(key(run_id, f"worker:{worker}"))
    return False


# What a worker held, back where any worker takes it: requests to the queue, start URLs to their
# list, in one step, so sending it again after a lost reply finds nothing left to move.
_REQUEUE = """
for _, item in ipairs(redis.call('hvals', KEYS[1])) do redis.call('zadd', KEYS[2], 0, item) end
for _, item in ipairs(redis.call('hvals', KEYS[3])) do redis.call('rpush', KEYS[4], item) end
redis.call('del', KEYS[1], KEYS[3])
return 1
"""


def requeue_lost(server, run_id: str) -> dict[str, int]:
    """Put back in the queue what every worker without a heartbeat still holds: one that died (no
    results), or one that left holding something (it should hold nothing; whatever it is, it is
    crawled rather than lost).  Returns worker tag -> requests and start URLs re-queued."""
    lost: dict[str, int] = {}
    for worker in sorted(server.smembers(key(run_id, "workers"))):
        if server.exists(key(run_id, f"worker:{worker}")):
            continue
        held, seeds = key(run_id, f"inflight:{worker}"), key(run_id, f"seeds:{worker}")
        n = server.hlen(held) + server.hlen(seeds)
        if n:
            patiently(server, partial(server.eval, _REQUEUE, 4, held, key(run_id, "requests"), seeds,
                                      key(run_id, "start_urls")))
            lost[worker] = n
    return lost


def died_empty_handed(server, data_dir: Path, run_id: str, noted: set[str]) -> list[str]:
    """Workers that joined the run and died holding no request (before they took any, or between
    two): nothing to re-queue, so `requeue_lost` does not name them, but a host lost its worker.
    Dead means: no heartbeat, no result in Redis, and its last saved counts (if any) are the
    heartbeat's placeholder `died`, not a finish it wrote on leaving."""
    saved = read_worker_stats(data_dir, run_id)
    reported = set(server.hkeys(key(run_id, "results")))
    dead = []
    for worker in sorted(server.smembers(key(run_id, "workers"))):
        if worker in noted or worker in reported or server.exists(key(run_id, f"worker:{worker}")):
            continue
        try:
            last = json.loads(saved[worker]).get("finish") if worker in saved else "died"
        except (ValueError, AttributeError):
            last = "died"
        if last == "died":
            dead.append(worker)
    return dead


def count_seen_documents(archive: Archive, run_id: str, stats: dict[str, dict]) -> None:
    """When a worker died or Redis restarted, the workers' own counts are off both ways: a dead
    worker's last counts miss what it found after its last heartbeat, and what was crawled again (its
    re-queued requests, a re-seeded run) was counted twice.  The documents the archive saw during this
    run (the data dir's lock keeps other crawls out), each once, count instead, so `nianbao status`
    neither blames a portal for a worker's death nor reports twice the reports it has."""
    started = archive.db.conn.execute("SELECT started_at FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()[0]
    rows = archive.db.conn.execute("SELECT source_id, kind, count(*) FROM documents WHERE last_seen_at >= ?"
                                   " GROUP BY source_id, kind", (started,)).fetchall()
    names = {"report": "reports_found", "attachment": "attachments"}
    seen = {(source_id, names[kind]): n for source_id, kind, n in rows if kind in names}
    for source_id, row in stats.items():
        for name in names.values():
            row[name] = seen.get((source_id, name), 0)


# -- the coordinator ----------------------------------------------------------------------------------

def merge_results(results: dict[str, str]) -> tuple[dict[str, dict], dict[str, str]]:
    """Per-source stats summed over workers (duration: the longest); worker -> its finish reason
    where that is not 'finished'."""
    merged: dict[str, dict] = {}
    odd: dict[str, str] = {}
    for worker, raw in results.items():
        data = json.loads(raw)
        if data.get("finish") != "finished":
            odd[worker] = str(data.get("finish"))
        for source_id, row in (data.get("sources") or {}).items():
            into = merged.setdefault(source_id, {})
            for name, value in row.items():
                if name == "duration_s":
                    into[name] = max(into.get(name, 0.0), value)
                elif isinstance(value, bool):
                    into[name] = into.get(name, True) and value
                elif isinstance(value, int | float):
                    into[name] = into.get(name, 0) + value
    return merged, odd


STOP_WAIT = 90.0  # seconds a stopped coordinator waits for its workers to close (their grace is 60 s)
FORCED_WAIT = 5.0  # seconds a coordinator stopped twice waits for its workers to end (each looks once a second)
SAME_STOP = 2.0  # a signal this soon after the first is the same stop again (systemd's cgroup + a parent passing it on)
FORCED = "forced"  # the run's `stop` key once a second signal came: workers end at once (`watch_stop`)


def wait_for_workers(server, run_id: str, timeout: float, every: float = 10.0, stop: Stop | None = None) -> bool:
    """Wait for every worker to leave (or its heartbeat to expire), saying what it waits for; once the
    coordinator was stopped, STOP_WAIT s at most."""
    deadline = time.monotonic() + timeout
    said = time.monotonic()
    while time.monotonic() < deadline:
        if stop is not None and stop.signal:
            deadline = min(deadline, stop.at + STOP_WAIT)
        if stop is not None and stop.forced:
            deadline = min(deadline, stop.forced + FORCED_WAIT)
        alive = sorted(k.rsplit(":", 1)[-1] for k in server.scan_iter(match=key(run_id, "worker:*")))
        if not alive:
            return True
        if time.monotonic() - said >= every:
            said = time.monotonic()
            logger.info("run %s: waiting for %d worker(s) to finish: %s (%d requests queued)", run_id,
                        len(alive), ", ".join(alive), server.zcard(key(run_id, "requests")))
        time.sleep(0.5)
    return False


def crawl(data_dir: Path, sources_path: Path | None = None, only: list[str] | None = None,
          settings: dict | None = None, redis_url: str = "redis://127.0.0.1:6379/0",
          idle: int = DEFAULT_IDLE, wait_timeout: float = 4 * 3600) -> str:
    """`crawl()` on a shared Redis queue: this process coordinates and crawls; workers may join."""
    from crawler.middlewares import archive_for
    from crawler.run import runnable_sources, select_sources, start_recorded_run
    from crawler.sources import DEFAULT_PATH

    data_dir = Path(data_dir).resolve()
    path = Path(sources_path) if sources_path else DEFAULT_PATH
    sources = select_sources(path, only)
    patience = patience_of(settings)
    server = connect(redis_url, patience)
    try:
        server.ping()
    except Exception as exc:  # redis.ConnectionError and friends: a message, not a traceback
        raise RuntimeError(f"cannot reach redis at {redis_url}: {exc}") from exc
    open_run = server.get(CURRENT)
    if open_run and list(server.scan_iter(match=key(open_run, "worker:*"))):
        raise RuntimeError(f"run {open_run} is still open on {redis_url}")
    if open_run:  # every worker of it, its coordinator too, went silent: a crashed coordinator's leftovers
        logger.warning("run %s was left open on %s with no live worker; discarding its queue", open_run, redis_url)
        server.delete(CURRENT, *[key(open_run, k) for k in ("config", "start_urls", "requests", "dupefilter")])
    archive = archive_for({"NIANBAO_DATA": str(data_dir)})
    run_id = start_recorded_run(archive, [s.id for s in sources], sources_path)
    archive.run_id = None
    known = runnable_sources(archive, run_id, sources)
    idle = int((settings or {}).get("MAX_IDLE_TIME_BEFORE_CLOSE", idle))
    config = {"run_id": run_id, "sources_yaml": path.read_text(encoding="utf-8"),
              "source_ids": [s.id for s in known], "settings": settings or {}, "idle": idle,
              "redis_id": redis_identity(server)}
    worker_stats_dir(data_dir, run_id).mkdir(parents=True, exist_ok=True)
    try:
        with stop_on_signal(redis_url, run_id, patience) as stop:
            status, stats, rc, restarts = coordinate(server, archive, data_dir, redis_url, config, known, settings,
                                                     wait_timeout, stop)
        for source in sources:  # an entry with no spider still has its row
            stats.setdefault(source.id, empty_row())
    except REDIS_ERRORS as exc:  # Redis gone for longer than the patience: close the run, say why in one line
        status = f"failed: {unreachable(redis_url, patience, exc)}"
        logger.error("run %s: %s", run_id, status)
        archive.record_error(run_id, None, None, status, closing=True)
        stats = run_stats(server, data_dir, run_id, sources, redis=False)[0]
        count_seen_documents(archive, run_id, stats)
        archive.finish_run(run_id, stats, status=status)
        shutil.rmtree(worker_stats_dir(data_dir, run_id), ignore_errors=True)
        raise RuntimeError(f"crawl run {run_id} {status}") from None
    archive.finish_run(run_id, stats, status=status)
    shutil.rmtree(worker_stats_dir(data_dir, run_id), ignore_errors=True)
    try:
        workers = server.smembers(key(run_id, "workers"))
        server.delete(*[key(run_id, k) for k in ("config", "start_urls", "requests", "dupefilter", "results",
                                                  "workers", "progress", "stop", *FLEET_NOTES)],
                      *[key(run_id, f"{k}:{w}") for w in workers for k in ("inflight", "seeds", "popped")],
                      *fleet_keys(server, run_id))
    except REDIS_ERRORS as exc:  # the run is closed; its keys are the next coordinator's to discard
        logger.warning("run %s: its keys were left in redis: %s", run_id, unreachable(redis_url, patience, exc))
    # the exit code follows the run's recorded status (README): 0 only for `finished`; a Redis restart,
    # a stop, work lost with a worker, `partial` all exit 1 (a `partial` run exited 0 before)
    if rc != 0 or restarts or status != "finished":
        raise RuntimeError(f"crawl run {run_id} {status}")
    return run_id


def empty_row() -> dict:
    return {"pages": 0, "reports_found": 0, "attachments": 0, "errors": 0, "duration_s": 0.0}


def run_stats(server, data_dir: Path, run_id: str, sources: list,
              redis: bool = True) -> tuple[dict[str, dict], dict[str, str]]:
    """Per-source counts summed over every worker of the run, and worker -> its finish reason where
    that is not 'finished' (a worker that died, `died`, is left out: its death is noted apart).
    From the workers' files in the data dir (Redis may have lost its copies in a restart), with the
    `results`/`progress` of Redis only for a worker that has no file."""
    results = read_worker_stats(data_dir, run_id)
    if redis:
        for worker, raw in server.hgetall(key(run_id, "results")).items():
            results.setdefault(worker, raw)
        for worker, raw in server.hgetall(key(run_id, "progress")).items():
            results.setdefault(worker, raw)  # a dead worker's last counts; its death is noted
    stats, odd = merge_results(results)
    for source in sources:  # a source no worker got to still has its row
        stats.setdefault(source.id, empty_row())
    return stats, {w: o for w, o in odd.items() if o != "died"}


def coordinate(server, archive: Archive, data_dir: Path, redis_url: str, config: dict, known: list,
               settings: dict | None, wait_timeout: float,
               stop: Stop | None = None) -> tuple[str, dict[str, dict], int, int]:
    """Publish the run, crawl it with whoever joins, re-seed it after a Redis restart, re-queue what dead
    workers held: (the run's status, its per-source stats, the coordinator's crawl exit code, restarts).
    A SIGTERM/SIGINT to the coordinator (`stop`) stops the fleet and ends the run `interrupted: SIGTERM`."""
    run_id = config["run_id"]
    stop = stop or Stop()
    # NIANBAO_REQUEUE_ROUNDS=0: what dead workers held is counted as lost, not crawled again
    rounds = int((settings or {}).get("NIANBAO_REQUEUE_ROUNDS", REQUEUE_ROUNDS))
    me = worker_tag() + "-c"
    seeds = publish(server, run_id, config, known)

    def republish() -> str:
        # Redis restarted (without persistence) mid-run: its queue, dupefilter, in-flight lists and the
        # workers' results are gone.  Crawl again from the start URLs (conditional requests make the
        # pages already archived cheap 304s); the run is never reported finished.
        now = redis_identity(server)
        logger.error("run %s: redis at %s restarted during the run (server run_id %s -> %s): its queue was lost;"
                     " published again, crawling from %d start URL(s)", run_id, redis_url, config["redis_id"], now,
                     seeds)
        config["redis_id"] = now
        publish(server, run_id, config, known)
        return now

    # the watch publishes the run again within a second of a restart, while the fleet (this coordinator's
    # own crawl too) waits for it; a restart after the coordinator's own crawl ended is crawled by it again
    watch = FleetWatch(server, run_id, key(run_id, "worker:*"), key(run_id, "config"), me, republish, RESTARTS)
    with watch:
        rc, all_left, ended = crawl_published(server, data_dir, redis_url, run_id, me, wait_timeout, settings, stop)
        passes = 0
        while not stop.signal and rc == 0 and all_left and (watch.check() or watch.published_at > ended):
            passes += 1
            rc, all_left, ended = crawl_published(server, data_dir, redis_url, run_id, f"{me}r{passes}",
                                                  wait_timeout, settings, stop)
    restarts = len(watch.restarts)
    for _ in watch.restarts:
        archive.record_error(run_id, None, None, f"redis restarted during the run: its queue, dupefilter and"
                                                 f" in-flight requests were lost; re-seeded {seeds} start URL(s)")
    if stop.signal:
        return stopped(server, archive, data_dir, run_id, known, me, stop, rc, all_left)
    if restarts:  # said with the restart (an error line): who crawled the run again, and whether the fleet shrank
        logger.warning("run %s: %scrawled again after the redis restart by the coordinator and %d other worker(s)"
                       " (%d before)%s", run_id, "the fleet shrank: " if len(watch.seen) < len(watch.before) else "",
                       len(watch.seen), len(watch.before), f": {', '.join(sorted(watch.seen))}" if watch.seen else "")
    still_lost = watch.lost or lost_redis(server, run_id)
    lost: dict[str, int] = {}
    any_died = False
    noted: set[str] = set()
    for round_ in range(rounds + 1):
        lost = requeue_lost(server, run_id)
        if not lost or rc != 0 or not all_left:
            break
        any_died = True
        noted |= set(lost)
        reported = set(server.hkeys(key(run_id, "results")))
        for worker, n in lost.items():
            how = "left the run still" if worker in reported else "died"
            logger.warning("run %s: worker %s %s holding %d request(s)%s", run_id, worker, how, n,
                           ": re-queued, crawling them again" if round_ < rounds else "")
            archive.record_error(run_id, None, None, f"worker {worker} {how} holding {n} request(s)"
                                 + ("; re-queued" if round_ < rounds else ""))
        if round_ == rounds:
            break
        again = f"{me}{round_ + 1}"
        server.set(key(run_id, f"worker:{again}"), time.time(), ex=worker_ttl(patience_of(settings)))
        patiently(server, partial(server.sadd, key(run_id, "workers"), again))
        rc = spawn_worker(data_dir, redis_url, run_id, again)
        server.delete(key(run_id, f"worker:{again}"))
        all_left = wait_for_workers(server, run_id, wait_timeout, stop=stop)
        if stop.signal:
            return stopped(server, archive, data_dir, run_id, known, me, stop, rc, all_left)
    if rc == 0 and all_left and not (restarts or still_lost):  # (a restart lost the workers' results too)
        for worker in died_empty_handed(server, data_dir, run_id, noted):
            logger.warning("run %s: worker %s died holding no request", run_id, worker)
            archive.record_error(run_id, None, None, f"worker {worker} died holding no request (nothing to crawl again)")
    left_over = lost
    if lost:  # still held by dead workers after the last round: counted, not crawled
        server.delete(key(run_id, "requests"))
    stats, finishes = run_stats(server, data_dir, run_id, known)
    # a worker that gave up on Redis left what it held in flight: re-queued above, like a dead worker's
    gave_up = [o for o in finishes.values() if o.startswith("failed: redis")]
    # a worker stopped by its own SIGTERM (or Ctrl-C) left the fleet: its requests were done before it
    # closed, or re-queued above and crawled by the others (what could not be is `left_over`), so the
    # run is not the worse for it; its departure is a row of the run, the run is not `partial`
    for worker, finish in sorted(finishes.items()):
        if finish.startswith("interrupted") and not worker.startswith(me):
            logger.warning("run %s: worker %s left the run (%s); the other workers carried on", run_id, worker, finish)
            archive.record_error(run_id, None, None, f"worker {worker} left the run before its end ({finish});"
                                 " the other workers carried on" + ("; what it still held was re-queued" if worker in noted else ""))
    odd = [o for w, o in finishes.items() if o not in gave_up
           and not (o.startswith("interrupted") and not w.startswith(me))]
    if any_died or restarts or still_lost:  # counts of re-crawled work are off: the archive's own count
        count_seen_documents(archive, run_id, stats)
    status = "finished"
    if rc != 0:
        status = gave_up[0] if gave_up and rc == CHILD_NO_REDIS else f"failed: exit {rc}"
        status += "; redis restarted during the run (its queue was lost)" if still_lost else ""
    elif still_lost:
        status = (f"incomplete: redis restarted {restarts + 1} time(s) during the run; its queue was lost"
                  f" (requests not crawled: unknown)")
    elif restarts:
        status = (f"incomplete: redis restarted during the run; its queue was lost and re-seeded from"
                  f" {seeds} start URL(s)")
    elif not all_left:
        status = "partial: workers still running at timeout"
    elif left_over:
        status = "incomplete: " + "; ".join(f"{n} request(s) lost with worker {w}" for w, n in left_over.items())
    elif odd:
        status = "partial: " + ", ".join(sorted(set(odd)))
    return status, stats, rc, restarts


def crawl_published(server, data_dir: Path, redis_url: str, run_id: str, worker: str,
                    wait_timeout: float, settings: dict | None = None,
                    stop: Stop | None = None) -> tuple[int, bool, float]:
    """The coordinator's own crawl of the published run, then the run unpublished and the other
    workers waited for: (its exit code, did every worker leave in time, when its own crawl ended)."""
    join(server, run_id, worker, worker_ttl(patience_of(settings)))
    rc = spawn_worker(data_dir, redis_url, run_id, worker)
    ended = time.monotonic()
    if rc == CHILD_NO_CONFIG:  # Redis restarted before its crawl began: it took nothing, so it ended before
        rc, ended = 0, 0.0    # any publication (the run published again meanwhile is crawled by the next pass)
    if server.get(CURRENT) == run_id:
        server.delete(CURRENT)
    server.delete(key(run_id, f"worker:{worker}"))  # the child normally did; not if it crashed
    return rc, wait_for_workers(server, run_id, wait_timeout, stop=stop), ended


class Stop:
    """A SIGTERM/SIGINT the coordinator got: the run's `stop` key tells every worker to close (each
    looks once a second, `RedisRunSpider.watch_stop`), and the run ends `interrupted: SIGTERM` with
    exit 1, as a single-process crawl does.  Before, the coordinator's own crawl closed while the
    others drained the whole queue (~56 s in the examination) and the run was called `partial`."""

    def __init__(self) -> None:
        self.signal: str | None = None
        self.at = 0.0
        self.forced = 0.0  # when a second signal asked for the end at once (monotonic; 0: not asked)
        self.again: str | None = None  # that second signal's name

    def tell_fleet(self, redis_url: str, run_id: str, patience: float) -> None:
        """From the signal handler: a client of its own (the main one may be mid-command)."""
        value = f"{FORCED}: {self.again}" if self.forced else (self.signal or "stopped")
        try:
            client = connect(redis_url, min(patience, 5.0))
            client.set(key(run_id, "stop"), value, ex=86400)
            client.close()
        except REDIS_ERRORS as exc:  # the workers then finish the queue; the run is interrupted all the same
            logger.error("run %s: could not tell the workers to stop: %s", run_id, exc)


@contextlib.contextmanager
def stop_on_signal(redis_url: str, run_id: str, patience: float):
    """Install the coordinator's SIGTERM/SIGINT handler for the run (chained to the one it replaces,
    e.g. a `schedule --every` loop's "no next run"); run_child passes SIGTERM on to its crawl child."""
    stop = Stop()
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        if stop.signal is None:
            stop.signal, stop.at = signal.Signals(signum).name, time.monotonic()
            logger.warning("run %s: received %s: stopping the run's workers", run_id, stop.signal)
            stop.tell_fleet(redis_url, run_id, patience)
        elif not stop.forced and time.monotonic() - stop.at >= SAME_STOP:
            # a person insisting (a second Ctrl-C), as in Scrapy: the workers end now, their requests in
            # flight unfinished, and the coordinator no longer waits for them (the run is still recorded)
            stop.again, stop.forced = signal.Signals(signum).name, time.monotonic()
            logger.warning("run %s: received %s again: ending the run's workers now, not waiting for their"
                           " requests in flight", run_id, stop.again)
            stop.tell_fleet(redis_url, run_id, patience)
        old = previous.get(signum)
        if callable(old) and old is not signal.default_int_handler:
            old(signum, frame)

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, handler)
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def stopped(server, archive: Archive, data_dir: Path, run_id: str, known: list, me: str, stop: Stop, rc: int,
            all_left: bool) -> tuple[str, dict[str, dict], int, int]:
    """The run's end after the coordinator was stopped: `interrupted: SIGTERM` (what its workers held is
    not crawled again; the queue is dropped with the run)."""
    stats = run_stats(server, data_dir, run_id, known)[0]
    status = f"interrupted: {stop.signal}"
    if stop.forced:
        held = sum(server.hlen(k) for k in server.scan_iter(match=key(run_id, "inflight:*")))
        status += (f"; ended at once by a second {stop.again}: {held} request(s) in flight were not finished"
                   " (crawled again by the next run)")
    if not all_left:
        status += "; workers still running when the coordinator gave up waiting"
    archive.record_error(run_id, None, None, status)
    return status, stats, rc, 0


def publish(server, run_id: str, config: dict, sources: list) -> int:
    """Open the run in Redis: its config (the marker `lost_redis` looks for), its start URLs, and
    `nianbao:current` naming it.  Returns the number of start URLs.  The list is replaced in one
    MULTI (a list emptied, then filled), so sending it again after a lost reply pushes no URL twice."""
    seeds = [json.dumps({"url": url, "meta": {"source_id": source.id}}) for source in sources
             for url in source.start_urls]

    def fill() -> None:
        with server.pipeline(transaction=True) as pipe:
            pipe.delete(key(run_id, "start_urls"))
            if seeds:
                pipe.rpush(key(run_id, "start_urls"), *seeds)
            pipe.execute()

    server.set(key(run_id, "config"), json.dumps(config, ensure_ascii=False))
    patiently(server, fill)
    server.set(CURRENT, run_id)
    return len(seeds)


# -- `nianbao worker` ----------------------------------------------------------------------------------

def wait_for_run(server, timeout: float, leaving: threading.Event | None = None) -> str | None:
    deadline = time.monotonic() + timeout
    while True:
        run_id = server.get(CURRENT)
        if run_id:
            return run_id
        if time.monotonic() >= deadline or (leaving is not None and leaving.is_set()):
            return None
        time.sleep(0.3)


def worker_main(argv: list[str] | None = None) -> int:
    """`nianbao worker --redis URL [--data DIR] [--wait S] [--forever]`: join runs published in Redis."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["worker"]:
        argv = argv[1:]
    from crawler.run import set_option, set_options

    ap = argparse.ArgumentParser(prog="nianbao worker",
                                 description="Take requests from a distributed crawl's shared queue.")
    ap.add_argument("--redis", required=True, metavar="URL", help="redis://host:port/db of the coordinator")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("NIANBAO_DATA", "data")),
                    help="the shared data directory (default $NIANBAO_DATA or ./data)")
    ap.add_argument("--wait", type=float, default=600.0, help="seconds to wait for a run to appear (default 600)")
    ap.add_argument("--forever", action="store_true", help="after a run, wait for the next one")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", type=set_option,
                    help="override a Scrapy setting")
    args = ap.parse_args(argv)
    extra = set_options(args.set)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s nianbao worker: %(message)s")
    patience = patience_of(extra)
    server = connect(args.redis, patience)
    done: set[str] = set()
    pause, failed_at = 1.0, 0.0
    # SIGTERM (systemd stopping the service, a kill): the crawl child gets it too (run_child passes it
    # on) and closes gracefully; then this worker leaves, --forever or not, instead of waiting for the
    # next run (a --forever worker stayed until a second signal killed it)
    leaving = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: leaving.set())
    while True:
        if leaving.is_set():
            return 0
        try:
            return serve_runs(server, args, extra, done, leaving)
        except REDIS_ERRORS as exc:  # Redis gone for longer than the patience, between runs or after one
            line = unreachable(args.redis, patience, exc)
            if not args.forever:
                print(f"nianbao worker: {line}: giving up", file=sys.stderr)
                return EXIT_FAILED
            # --forever is a service: it waits for Redis to come back (backoff 1 s doubling to 60 s)
            pause = 1.0 if time.monotonic() - failed_at > 300 else min(pause * 2, 60.0)
            failed_at = time.monotonic()
            print(f"nianbao worker: {line}: trying again in {pause:.0f}s", file=sys.stderr, flush=True)
            leaving.wait(pause)


def serve_runs(server, args: argparse.Namespace, extra: dict, done: set[str] | None = None,
               leaving: threading.Event | None = None) -> int:
    """Join the published run (each run once), crawl it in a child process; 0, or 1 if a crawl failed.
    Without --forever it returns after one run; with it, only when no run appeared for --wait s, or
    after a SIGTERM (`leaving`)."""
    done = set() if done is None else done
    leaving = leaving or threading.Event()
    status = 0
    while True:
        run_id = wait_for_run(server, args.wait, leaving)
        if leaving.is_set():
            return status
        if run_id is None:
            logger.info("no run to join on %s after %.0fs", args.redis, args.wait)
            return status
        if run_id in done:  # the run we crawled is still open: wait for the coordinator to close it
            time.sleep(1.0)
            continue
        tag = worker_tag()
        config = json.loads(server.get(key(run_id, "config")) or "{}")
        patience = patience_of({**(config.get("settings") or {}), **extra})
        if not join(server, run_id, tag, worker_ttl(patience)):
            continue
        logger.info("joining run %s as %s", run_id, tag)
        rc = spawn_worker(args.data, args.redis, run_id, tag, extra)
        if rc == CHILD_NO_CONFIG:  # the run lost its keys in a Redis restart: join it once published again
            server.delete(key(run_id, f"worker:{tag}"))
            logger.info("run %s is not in redis as published (restarted?): waiting for it again", run_id)
            if leaving.wait(1.0):
                return status
            continue
        done.add(run_id)
        if rc == CHILD_NO_REDIS:  # what it held stays in flight for the coordinator
            # its saved counts name the reason; a run already closed (its folder gone) leaves the patience's words
            why = (json.loads(read_worker_stats(args.data, run_id).get(tag) or "{}").get("finish")
                   or f"redis at {args.redis} unreachable for more than {patience:.0f}s")
            print(f"nianbao worker: left run {run_id}: {why}", file=sys.stderr)
            status = EXIT_FAILED
        elif rc == EXIT_FORCED and str(server.get(key(run_id, "stop")) or "").startswith(FORCED):
            # the coordinator was stopped twice and ended its workers at once: told to, not a failure
            logger.warning("run %s was ended at once by its coordinator: left it", run_id)
        elif rc == -signal.SIGTERM and leaving.is_set():
            # the SIGTERM we passed on ended the crawl before Scrapy could catch it (starting up):
            # leaving is what was asked, and what it held stays in flight for the coordinator
            logger.warning("left run %s on SIGTERM before its crawl could close", run_id)
        elif rc != 0:
            logger.error("worker for run %s exited with %s", run_id, rc)
            status = EXIT_FAILED
        if rc != CHILD_NO_REDIS:
            server.delete(key(run_id, f"worker:{tag}"))
        if not args.forever or leaving.is_set():
            return status


def _child(payload: str) -> int:
    """A worker's crawl process: 0, or CHILD_NO_REDIS (one line on stderr) when it gave up on Redis."""
    from crawler.lock import child_payload

    args = child_payload(payload)
    try:
        finish = run_worker(Path(args["data_dir"]), args["redis"], args["run_id"], args["worker"],
                            args.get("settings"))
    except REDIS_ERRORS as exc:  # before its crawl started (reading the run's config)
        print(f"nianbao worker {args['worker']}: {unreachable(args['redis'], patience_of(args.get('settings')), exc)}",
              file=sys.stderr)
        return CHILD_NO_REDIS
    if finish == NO_CONFIG:
        return CHILD_NO_CONFIG
    return CHILD_NO_REDIS if finish.startswith("failed: redis") else 0


if __name__ == "__main__":
    # run from the imported module, not this __main__ copy: Scrapy and scrapy-redis load our classes
    # by name (crawler.distributed.PatientRedis …), and two copies of them would not know each other
    from crawler import distributed

    if sys.argv[1:2] == ["--child"]:
        sys.exit(distributed._child(sys.argv[2]))
    sys.exit(distributed.worker_main())
