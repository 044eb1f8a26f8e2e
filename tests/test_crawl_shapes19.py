"""年报 columns paged only by script, on replica shapes (tests/portal/homes19.py): a Vue app's <button>下一页</button>
turned in chromium when the registry asks for rendering (`render: true` does no less than the automatic path);
开普云's createPageHTML('page_div',2,1,'index','shtml',5) read without a browser; a pager helper no reader knows
rendered so its drawn links are followed; and a 下一页 no browser can turn left as a note, not in silence.

Crawled by the real crawl (real chromium), then checked as a user would: the archive, what each server saw,
`nianbao status`.
"""

from __future__ import annotations

import pytest

from crawler.monitor import health
from tests.portal.homes19 import BT, BT_COLUMN, PN, UC, VU, Shapes19
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes19"), Shapes19.start) as done:
        yield done


def asked(crawled, site: str) -> set[str]:
    return {p for _, p in crawled.shapes.requests[site]}


@pytest.mark.parametrize("sid", [VU[0], UC[0], PN[0], BT[0]])
def test_every_reachable_report_is_found_once(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid, exact_agency=False)


def test_a_rendered_apps_button_pager_is_turned(crawled) -> None:
    pages = {p.split("pageNum=")[1].split("&")[0] for p in asked(crawled, VU[0]) if "pageNum=" in p}
    assert pages == {"1", "2", "3"}


def test_the_ucap_pager_is_read_without_a_browser(crawled) -> None:
    assert "/zwgk/zfxxgknb/index_1.shtml" in asked(crawled, UC[0])
    assert "/js/page.js" not in asked(crawled, UC[0])  # nothing was rendered for it


@pytest.mark.parametrize("sid", [VU[0], UC[0], PN[0]])
def test_a_walked_pager_leaves_no_note(crawled, sid) -> None:
    assert errors(crawled, sid) == []
    state = next(s for s in health(crawled.data).sources if s.source_id == sid)
    assert state.problem is None and state.notes == []


def test_a_pager_no_browser_can_turn_is_a_note_not_silence(crawled) -> None:
    rows = errors(crawled, BT[0])
    assert len(rows) == 1, rows
    url, reason = rows[0]
    assert url == crawled.shapes.bases[BT[0]] + BT_COLUMN
    assert reason.startswith("note:") and "下一页" in reason, reason
    state = next(s for s in health(crawled.data).sources if s.source_id == BT[0])
    assert state.problem is None and state.errors == 0  # a note, not an error
    assert state.notes == [reason]
