"""Columns holding more than their first view shows (tests/portal/homes21.py): a county's 年报 hub linking each body's
sub-column by its full name, 部门 tabs loading their lists by XHR with a script pager inside, a hash-routed app whose
list route is named only by its breadcrumb, and an endless list that loads only on a scroll event.

Crawled by the real crawl (real chromium for the tabs, the app and the endless list), then checked as a user
would: the archive, what each server saw.
"""

from __future__ import annotations

import pytest

from tests.portal.homes21 import AT, AT_DEPTS, HB, HB_BODIES, HS, IS, IT, Shapes21
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes21"), Shapes21.start) as done:
        yield done


def asked(crawled, site: str) -> set[str]:
    return {p for _, p, _ in crawled.shapes.requests[site]}


@pytest.mark.parametrize("sid", [HB[0], AT[0], HS[0], IS[0], IT[0]])
def test_every_reachable_report_is_found_once(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid)


def test_every_body_named_on_a_hub_has_its_sub_column_walked(crawled) -> None:
    # long names (花林寺镇人民政府, 人力资源和社会保障局) and names holding a look-alike's word (统计局, 规划局) alike
    assert {f"/xxgk/ndbg/{code}/" for code, _ in HB_BODIES} <= asked(crawled, HB[0])
    assert "/xxgk/ndbg/zf/index_1.html" in asked(crawled, HB[0])  # the government's sub-column is paged
    assert errors(crawled, HB[0]) == []


def test_each_tab_and_each_tabs_script_pager_is_opened(crawled) -> None:
    fragments = {p for p in asked(crawled, AT[0]) if p.startswith("/xxgk/ajaxList")}
    assert {f"/xxgk/ajaxList?deptId={d}&page=1" for d in AT_DEPTS} <= fragments
    assert "/xxgk/ajaxList?deptId=12&page=2" in fragments  # the 下一页 inside the first tab's fragment


def test_a_hash_routed_list_named_by_its_breadcrumb_is_paged(crawled) -> None:
    # the app's every route is the one shell; the second page's rows came from its list API
    assert "/api/ndbg/list?page=2" in asked(crawled, HS[0])
    assert not [r for _, r in errors(crawled, HS[0]) if "not paged" in r]


def test_an_endless_list_shorter_than_the_window_is_scrolled_for_more(crawled) -> None:
    assert "/api/list?offset=10&limit=10" in asked(crawled, IS[0])
    assert errors(crawled, IS[0]) == []


def test_an_endless_list_nothing_makes_load_more_leaves_a_note(crawled) -> None:
    # the list's JSON announced 15 rows; only the first ten reached the page, and the crawl says so
    rows = errors(crawled, IT[0])
    assert len(rows) == 1, rows
    url, reason = rows[0]
    assert url == crawled.shapes.bases[IT[0]] + "/xxgk/ndbg/"
    assert reason.startswith("note:") and "/api/list" in reason and "15 rows, 10 reached" in reason
