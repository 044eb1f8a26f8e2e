"""A 年报-titled list of 3,000 notices with one report (tests/portal/biglist.py), crawled by the real crawl:
the report is found by its title, and the notices are not fetched one by one as possible reports."""

from __future__ import annotations

import pytest

from tests.portal.biglist import BL, BigList
from tests.support.crawls import assert_own_reports_found_once, crawled_portals


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-biglist"), BigList.start) as done:
        yield done


def test_the_report_at_the_end_of_the_long_list_is_found(crawled) -> None:
    assert_own_reports_found_once(crawled, BL[0])


def test_the_notices_are_not_fetched_as_possible_reports(crawled) -> None:
    notices = [p for _, p, _ in crawled.shapes.requests[BL[0]] if p.startswith("/xxgk/ndbg/tzgg/")]
    assert len(notices) <= 5, len(notices)
