"""Suite-wide setup for `make test`, which runs the tests on pytest-xdist workers (three: Makefile TEST_WORKERS).

`--dist loadfile` (pyproject's addopts) hands a worker whole files: a module-scoped fixture (a crawl of
the replica, a running Datasette, a LibreOffice-built corpus) is then built once, as in a serial run,
not once on each worker.  A worker takes the next file when it is done with one, in collection order
(`--no-loadscope-reorder`); the files that take longest are put first, so that the two workers end
together instead of one of them running a long file alone at the end.  A serial run keeps pytest's order.
"""

from __future__ import annotations

import os
import resource

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


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        _share_cores(int(config.workerinput["workercount"]))


def _share_cores(workers: int) -> None:
    """Each worker (and the CLI processes its tests start) gives the OCR its share of the cores
    (parsers.formats.image.ocr_threads): with two workers on two cores, four OCR threads fought for two
    cores and an OCR'd page cost ~60 % more CPU (measured: 17 s against 11 s for the same two pages, the
    same text back).  Thread counts change no result: each output is computed by one thread."""
    os.environ.setdefault("NIANBAO_OCR_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, workers))))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):  # not an xdist worker: leave the order alone
        return
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's own order is kept


# A test marked `@pytest.mark.timeout(N)` (the hostile-input tests: a bomb must be refused, not worked
# through) is held to N seconds of CPU, its own process's and its children's: what the test costs.  Its
# wall clock gets WALL_SLACK times N, which only bounds a hang: on a machine other processes keep busy a
# test that needs 40 s of wall time at 15 s of CPU is not slow, and a wall-clock N failed it.
WALL_SLACK = 5


def _cpu_seconds() -> float:
    """CPU time of this process (all threads) and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(tryfirst=True)
def pytest_itemcollected(item: pytest.Item) -> None:
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        item._nianbao_cpu_limit = float(marker.args[0])
        item.add_marker(pytest.mark.timeout(float(marker.args[0]) * WALL_SLACK), append=False)  # now the closest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    limit = getattr(item, "_nianbao_cpu_limit", None)
    started = _cpu_seconds()
    result = yield
    spent = _cpu_seconds() - started
    if limit is not None and spent > limit:
        pytest.fail(f"took {spent:.1f} s of CPU, more than the {limit:g} s its timeout marker allows",
                    pytrace=False)
    return result
