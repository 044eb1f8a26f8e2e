"""Sources that share a host: per-host politeness holds for the whole run, not per portal family,
and each source still walks the portal for itself.

A city's TRS column and another body's column crawled by the generic spider can live on the
same host.  The cap (2 requests at once by default, or a source's `concurrency` override) must
bind both together, as the server sees it.  The replica answers slowly here (latency) so that
overlapping requests show up in its in-flight count.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from crawler.run import crawl
from tests.portal.server import Replica

# A small fixed delay, no AutoThrottle: requests leave every 0.05 s while each takes 0.2 s to answer,
# so only the concurrency cap keeps the count of open requests down.
UNTHROTTLED = {"DOWNLOAD_DELAY": 0.05, "DOWNLOAD_DELAY_JITTER": 0, "AUTOTHROTTLE_ENABLED": False,
               "LOG_LEVEL": "WARNING"}


def two_families_one_host(rep: Replica, path: Path, **overrides) -> Path:
    trs = next(e for e in rep.sources() if e["id"] == "sd-liaocheng-gov")
    generic = dict(trs, id="sd-liaocheng-gov-home", family="generic", start_urls=[rep.url("sd-liaocheng-gov", "/")])
    if overrides:
        trs = dict(trs, overrides=overrides)
    path.write_text(yaml.safe_dump([trs, generic], allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def slow_replica():
    with Replica.start(faults=False, latency=0.2) as rep:
        yield rep


def crawl_and_measure(rep: Replica, data: Path, **overrides) -> tuple[int, dict]:
    rep.max_in_flight.clear()
    registry = two_families_one_host(rep, data / "sources.yaml", **overrides)
    run_id = crawl(data, sources_path=registry, settings=UNTHROTTLED)
    conn = sqlite3.connect(data / "nianbao.db")
    pages = dict(conn.execute("SELECT source_id, pages FROM crawl_run_sources WHERE run_id = ?", (run_id,)))
    return rep.max_in_flight["sd-liaocheng-gov"], pages


def test_default_cap_of_two_binds_both_families_together(slow_replica, tmp_path) -> None:
    most, pages = crawl_and_measure(slow_replica, tmp_path)
    assert pages["sd-liaocheng-gov"] > 0 and pages["sd-liaocheng-gov-home"] > 0  # both families crawled
    assert most == 2  # never more than the per-domain default, though two spiders shared the host


def test_the_cap_holds_with_no_delay_at_all(slow_replica, tmp_path) -> None:
    # two start URLs queued in the same tick must not both be sent at concurrency 1
    slow_replica.max_in_flight.clear()
    registry = two_families_one_host(slow_replica, tmp_path / "sources.yaml", concurrency=1)
    crawl(tmp_path, sources_path=registry, settings={**UNTHROTTLED, "DOWNLOAD_DELAY": 0.0})
    assert slow_replica.max_in_flight["sd-liaocheng-gov"] == 1


def test_a_source_concurrency_override_binds_the_whole_host(slow_replica, tmp_path) -> None:
    most, pages = crawl_and_measure(slow_replica, tmp_path, concurrency=1)
    assert pages["sd-liaocheng-gov"] > 0 and pages["sd-liaocheng-gov-home"] > 0
    assert most == 1


def test_two_bodies_on_one_portal_each_walk_it_once(slow_replica, tmp_path) -> None:
    # a city government and one of its departments, both entered at the portal's root
    trs = next(e for e in slow_replica.sources() if e["id"] == "sd-liaocheng-gov")
    root = slow_replica.url("sd-liaocheng-gov", "/")
    entries = [dict(trs, id=sid, family="generic", start_urls=[root]) for sid in ("city-gov", "city-dept")]
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    before = len(slow_replica.requests)
    run_id = crawl(tmp_path, sources_path=registry, settings=UNTHROTTLED)
    conn = sqlite3.connect(tmp_path / "nianbao.db")
    found = dict(conn.execute("SELECT source_id, reports_found FROM crawl_run_sources WHERE run_id = ?", (run_id,)))
    assert found == {"city-gov": 1, "city-dept": 1}  # the second is not starved by the first's requests
    seen = [s for s in slow_replica.requests[before:] if s.path == "/"]
    assert len(seen) == 2  # once per source, and the same bytes make no second snapshot
    assert conn.execute("SELECT count(*) FROM snapshots WHERE url = ?", (root,)).fetchone()[0] == 1
