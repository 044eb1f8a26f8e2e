"""Ways to a year's report written in script or only by the year (tests/portal/yearpaths.py, the crawl21 exam's
lost reports): a year <select> whose onchange builds the list's URL by concatenation, 年报 items labelled only by
their year, a script pager whose helper only a script file defines, and a 公开目录 node POSTing its catId.

Crawled by the real crawl, then checked as a user would: the archive, what each server saw.
"""

from __future__ import annotations

import pytest

from tests.portal.yearpaths import YC, YG, YL, YN, YS, YearPaths
from tests.support.crawls import assert_own_reports_found_once, crawled_portals, errors, reports


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_portals(tmp_path_factory.mktemp("crawl-years"), YearPaths.start) as done:
        yield done


def asked(crawled, site: str) -> set[str]:
    return {p for _, p, _ in crawled.shapes.requests[site]}


@pytest.mark.parametrize("sid", [YS[0], YL[0], YG[0], YC[0], YN[0]])
def test_every_reachable_report_is_found_once(crawled, sid) -> None:
    # each report at its URL with its year and body, and no look-alike (部门预算, 指南) filed as a report
    assert_own_reports_found_once(crawled, sid)


def test_a_year_select_building_its_url_by_concatenation_is_followed_as_built(crawled) -> None:
    # location.href='/zwgk/ndbg/'+this.value+'.html': the suffix is part of the URL, never dropped
    assert {"/zwgk/ndbg/2024.html", "/zwgk/ndbg/2023.html", "/zwgk/ndbg/2022.html"} <= asked(crawled, YS[0])
    assert not {"/zwgk/ndbg/2024", "/zwgk/ndbg/2023", "/zwgk/ndbg/2022"} & asked(crawled, YS[0])
    assert errors(crawled, YS[0]) == []


def test_a_year_label_in_a_column_opens_that_years_report(crawled) -> None:
    base = crawled.shapes.bases[YL[0]]
    found = {r["url"]: r for r in reports(crawled, YL[0])}
    # the page titled without a year is the label's year's report, under the page's own title
    bare = found[base + "/zwgk/ndbg/2023/index.html"]
    assert (bare["year"], bare["title"]) == (2023, "政府信息公开工作年度报告")
    assert found[base + "/zwgk/ndbg/2024/index.html"]["title"] == "登川县人民政府2024年政府信息公开工作年度报告"
    assert base + "/zwgk/ndbg/2022/index.html" not in found  # 2022年度 opened a 部门预算


def test_a_pager_helper_defined_in_a_script_file_is_walked_to_its_last_page(crawled) -> None:
    seen = asked(crawled, YG[0])
    assert {"/js/list.js", "/xxgk/ndbg/index_2.jhtml", "/xxgk/ndbg/index_3.jhtml"} <= seen
    assert errors(crawled, YG[0]) == []


def test_a_catalogue_node_submitting_a_form_is_posted_with_its_id(crawled) -> None:
    posts = [(p, body) for method, p, body in crawled.shapes.requests[YC[0]] if method == "POST"]
    # the 年报 node's form, sent as openCat('1205') sends it; the 指南 and 制度 nodes lead to no 年报
    assert ("/xxgkml/list.do", "catId=1205") in posts, posts
    assert all("catId=1205" in body for _, body in posts), posts


def test_a_pager_no_one_can_walk_is_noted_with_the_pages_read(crawled) -> None:
    # the helper's script file is a 404: the second page's report is out of reach, and the note says how
    # much of the column was read
    notes = [(url, reason) for url, reason in errors(crawled, YN[0]) if "later pages were not reached" in reason]
    assert len(notes) == 1, errors(crawled, YN[0])
    url, reason = notes[0]
    assert url == crawled.shapes.bases[YN[0]] + "/xxgk/ndbg/index.html"
    assert reason.startswith("note:") and "(1 page(s) of the source's 年报 column read)" in reason, reason
