"""Suite-wide setup for `make test`, which runs the tests on two pytest-xdist workers.

`--dist loadfile` (pyproject's addopts) hands a worker whole files: a module-scoped fixture (a crawl of
the replica, a running Datasette, a LibreOffice-built corpus) is then built once, as in a serial run,
not once on each worker.  A worker takes the next file when it is done with one, in collection order
(`--no-loadscope-reorder`); the files that take longest are put first, so that the two workers end
together instead of one of them running a long file alone at the end.  A serial run keeps pytest's order.
"""

from __future__ import annotations

import pytest

# Longest first (a file's seconds, from `--durations`/junit times of a whole run); a file not named here
# keeps its place after these.  A stale or missing entry only costs balance, never a test.
LONGEST_FIRST = (
    "test_ocr_scans.py",
    "test_ocr_pages.py",
    "test_formats.py",
    "test_distributed.py",
    "test_parse_realworld.py",
    "test_crawl_generic.py",
    "test_hostile_input.py",
    "test_operator.py",
    "test_datasette_paging.py",
    "test_crawl_faults.py",
    "test_schedule.py",
    "test_crawl_politeness.py",
    "test_crawl_shapes11.py",
    "test_crawl_shapes10.py",
    "test_datasette_views.py",
    "test_crawl_shapes9.py",
    "test_hostile_fixes.py",
    "test_crash_safety.py",
    "test_extract_cache.py",
    "test_crawl_articles.py",
    "test_disk_full.py",
    "test_e2e.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):  # not an xdist worker: leave the order alone
        return
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's own order is kept
