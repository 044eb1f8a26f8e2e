"""Request identity per source: two registry entries that share a portal (a city government and
one of its departments, both starting at www.liaocheng.gov.cn/) each walk it for themselves.

With Scrapy's plain fingerprint the run's one dupefilter would drop the second source's requests
for every URL the first had already asked for, and the second would show 0 pages and 0 reports.
A repeat within the run is cheap and polite: it goes through the same per-host slot, and the
IncrementalMiddleware asks conditionally, so the server answers 304 and nothing is re-downloaded.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.utils.request import RequestFingerprinter


class SourceFingerprinter(RequestFingerprinter):
    def fingerprint(self, request: Request) -> bytes:
        base = super().fingerprint(request)
        source_id = request.meta.get("source_id")
        if not source_id:
            return base
        return hashlib.sha1(base + b"\0" + source_id.encode("utf-8")).digest()
