"""Scrapy's downloader with one fix: a slot's concurrency cap holds even when its delay is 0.

Seen with Scrapy 2.19: `Downloader._process_queue` pops queued requests while
`slot.free_transfer_slots() > 0`, but a request only joins `slot.transferring` when its download
coroutine starts running, a tick later.  Two requests queued in the same tick (two start URLs on
one host) were therefore both sent at concurrency 1.  Counting the request as transferring the
moment it is handed over closes the gap; `_download` adds it again (a set) and removes it when done.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader import Downloader as ScrapyDownloader


class Downloader(ScrapyDownloader):
    def _wait_for_download(self, slot: Any, request: Any, queue_dfd: Any):  # returns the coroutine
        slot.transferring.add(request)
        return super()._wait_for_download(slot, request, queue_dfd)
