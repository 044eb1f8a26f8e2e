"""The crawler's archive writer: fetches are archived on a thread of their own, in batches.

Archiving a fetch ends in fsyncs (its blob, its WARC record) that must precede the commit of the rows
naming them.  Done on the crawl's event loop, every response stalled every other download for a disk
flush.  Here one thread takes whatever fetches are waiting (up to MAX_BATCH) and archives them with
`Archive.record_batch`: blobs fsynced one by one as before, the WARC file once for the whole batch,
then one commit (`Archive._commit_batch`: the records are written and flushed without the
connection's lock, which is taken only for the commit, so the event loop's own rows never wait on the
disk).  Batches form by themselves: the fetches that arrive while one batch is being
flushed are the next batch, so a quiet crawl still archives each fetch at once and a busy one pays
one WARC fsync for many.

The store's contract is unchanged (a row names only bytes that are on disk and whole): a process
killed with fetches still queued loses those fetches' rows and bytes together, and they are fetched
again by the next run.  `Archive.finish_run` and `Archive.close` drain the queue first, so a run is
never closed with fetches of it still to be written; the crawler also drains it when its engine
stops, and a process that ends otherwise drains it at exit.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.store import Archive, Fetch, Recorded

logger = logging.getLogger(__name__)

MAX_BATCH = 64  # fetches in one transaction: bounds how long the database's write lock is held

Done = Callable[["Recorded | None", "Exception | None"], None]


class GroupCommit:
    """One writer thread for one Archive.  `submit` returns at once; `done(recorded, error)` is called
    on the writer thread once the fetch's rows are committed (or it failed): hand it on to your own
    thread (the crawler passes it to the reactor)."""

    def __init__(self, archive: Archive, max_batch: int = MAX_BATCH) -> None:
        self.archive = archive
        self.max_batch = max_batch
        self._queue: queue.Queue[tuple[Fetch, Done] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="nianbao-archive-writer", daemon=True)
        self._thread.start()
        atexit.register(self.drain)  # a process ending without finish_run (a worker) still commits its queue
        self.batches = 0  # how many transactions (and WARC flushes) the fetches took
        self.fetches = 0

    def submit(self, fetch: Fetch, done: Done) -> None:
        self._queue.put((fetch, done))

    def drain(self) -> None:
        """Wait until every fetch submitted so far is committed (or has failed).  Never waits on a
        writer thread that is gone: what it left queued is lost as in a kill (no row, no promise)."""
        q = self._queue
        with q.all_tasks_done:
            while q.unfinished_tasks and self._thread.is_alive():
                q.all_tasks_done.wait(timeout=1.0)
            if q.unfinished_tasks:
                logger.error("archive writer: the thread is gone with %d fetch(es) not archived", q.unfinished_tasks)

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                self._queue.task_done()
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._write(batch)
            for _ in range(len(batch) + stop):
                self._queue.task_done()
            if stop:
                return

    def _write(self, batch: list[tuple[Fetch, Done]]) -> None:
        try:
            results = self.archive.record_batch([fetch for fetch, _ in batch])
        except Exception as exc:  # noqa: BLE001 - record_batch reports per fetch; this is a bug's last net
            results = [exc] * len(batch)
        self.batches += 1
        self.fetches += len(batch)
        for (_, done), result in zip(batch, results, strict=True):
            try:
                if isinstance(result, Exception):
                    done(None, result)
                else:
                    done(result, None)
            except Exception:  # a callback's failure must not stop the writer
                logger.exception("archive writer: a completion callback failed")
