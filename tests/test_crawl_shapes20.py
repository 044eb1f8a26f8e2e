"""年报 columns named only by the way in (tests/portal/homes20.py): a column page whose list is an <iframe> served
outside its directory, a zTree node's list loaded into a frame and titled 信息公开列表, a plain link naming the column
over a list that names itself nothing, a robots.txt behind an anti-bot cookie challenge, and a column whose frame
leads off the entry's hosts (nothing to find: the crawl says why).

Crawled by the real crawl (real chromium for the tree and the challenge), then checked as a user would: the
archive, what each server saw, `nianbao status`.
"""

from __future__ import annotations

import pytest

from archive.store import ROBOTS_DISALLOWED
from crawler.monitor import health
from tests.portal.homes20 import (
    IF,
    IF_LIST,
    NF,
    NF_COLUMN,
    NF_FRAME,
    PL,
    PL_CAT,
    RB,
    RB_COOKIE,
    RB_OLD,
    ZT,
    ZT_CAT,
    Shapes20,
)
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-shapes20"), Shapes20.start) as done:
        yield done


def asked(crawled, site: str) -> set[str]:
    return {p for _, p, _ in crawled.shapes.requests[site]}


def state(crawled, sid: str):
    return next(s for s in health(crawled.data).sources if s.source_id == sid)


@pytest.mark.parametrize("sid", [IF[0], ZT[0], PL[0], RB[0]])
def test_every_reachable_report_is_found_once(crawled, sid) -> None:
    assert_own_reports_found_once(crawled, sid)


def test_a_framed_list_outside_the_columns_directory_is_read_and_paged(crawled) -> None:
    assert {f"{IF_LIST}?catid=12", f"{IF_LIST}?catid=12&page=2"} <= asked(crawled, IF[0])
    # the 2023 report's PDF is archived with its article
    base = crawled.shapes.bases[IF[0]]
    files = crawled.conn.execute("SELECT url, parent_url FROM documents WHERE source_id = ? AND kind = 'attachment'",
                                 (IF[0],)).fetchall()
    assert [(f["url"].removeprefix(base), f["parent_url"].removeprefix(base)) for f in files] == \
        [("/uploadfiles/202403/nb2023.pdf", "/xxgk/content.jsp?id=6523")]


@pytest.mark.parametrize("sid", [IF[0], ZT[0], PL[0]])
def test_a_column_named_by_its_way_in_leaves_no_note(crawled, sid) -> None:
    assert errors(crawled, sid) == []
    assert state(crawled, sid).problem is None


def test_a_tree_nodes_list_titled_for_no_column_is_paged(crawled) -> None:
    assert f"/xxgk/list?catId={ZT_CAT}&page=2" in asked(crawled, ZT[0])
    assert "/xxgk/getTree?pid=0" in asked(crawled, ZT[0])  # the tree was drawn in chromium, from its JSON


def test_a_plain_link_naming_the_column_makes_its_list_paged(crawled) -> None:
    assert f"/xxgk/list?catId={PL_CAT}&page=2" in asked(crawled, PL[0])
    assert "/xxgk/list?catId=7&page=2" not in asked(crawled, PL[0])  # a one-page 通知公告 list, walked as no column


def test_a_robots_txt_behind_a_challenge_is_asked_again_and_obeyed(crawled) -> None:
    robots = [cookie for _, path, cookie in crawled.shapes.requests[RB[0]] if path == "/robots.txt"]
    # asked plainly, tried in the browser, and asked again once a page's challenge gave the cookie
    assert RB_COOKIE not in robots[0] and [c for c in robots if RB_COOKIE in c] == [robots[-1]], robots
    # the rules read past the challenge hold: the disallowed 2020 report is never asked for
    assert not any(path.startswith(RB_OLD) for path in asked(crawled, RB[0]))
    rows = errors(crawled, RB[0])
    assert (crawled.shapes.bases[RB[0]] + f"{RB_OLD}nb2020.html", ROBOTS_DISALLOWED) in rows
    notes = [reason for _, reason in rows if reason.startswith("note:")]
    assert len(notes) == 1 and "robots.txt" in notes[0] and "JS challenge" in notes[0] and "asked again" in notes[0]
    assert state(crawled, RB[0]).problem is None


def test_a_column_whose_frame_leaves_the_site_says_why_nothing_was_found(crawled) -> None:
    assert reports(crawled, NF[0]) == []
    assert asked(crawled, NF[0]) == {"/robots.txt", NF_COLUMN}
    rows = errors(crawled, NF[0])
    assert len(rows) == 1, rows
    url, reason = rows[0]
    assert url == crawled.shapes.bases[NF[0]] + NF_COLUMN
    assert reason.startswith("note:") and "no report" in reason and NF_FRAME in reason and "another site" in reason
    got = state(crawled, NF[0])
    assert got.problem.startswith("0 reports found") and got.notes == [reason]
