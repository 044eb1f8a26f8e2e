"""A report ends at its signature: the page furniture after it is not the report.

A CMS article page prints a view counter, print/close buttons, a share bar, 相关新闻, 上一篇/下一篇
and a footer under the report.  Read into the last section, a counter made every crawl of an
unchanged report a new revision (archive/reparse.py compares readings).  The golden cases
(tests/fixtures/chrome: one report in the furniture of TRS, Hanweb, 大汉, 开普云 and WeChat pages,
signed, dated only, unsigned) must read as the report alone, whatever number the page shows; a
change to the report's own words must still read differently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parsers import parse_bytes
from parsers.reportend import is_chrome, report_end
from tests.support.records import leaves, lookup

CHROME = Path(__file__).parent / "fixtures" / "chrome"
CASES = sorted(CHROME.glob("*.html"))
LAST_SENTENCE = "均已按期办结。"  # the report's last words in every case
SIGNED = "2024年1月18日"  # its closing date, where the case prints one


def _expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))


def test_the_set_covers_the_cms_shapes() -> None:
    assert len(CASES) >= 8
    assert all(p.with_name(p.stem + ".expected.json").exists() for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_a_page_reads_as_its_report_alone(path: Path) -> None:
    expected = _expected(path)
    result = parse_bytes(path.read_bytes(), path.name)
    wrong = [f"{k}: expected {w!r}, got {got!r}" for k, w in leaves(expected)
             if k != "findings" and ((got := lookup(result.record, k)) != w or type(got) is not type(w))]
    assert not wrong, "\n".join(wrong)
    assert {f["code"] for f in result.findings} - {"inferred"} == set(expected["findings"])


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_numbers_of_the_page_around_the_report_never_change_its_reading(path: Path) -> None:
    """Every number the page prints after the report (counter, dates, phone, ICP) changed: the
    record is the same, so a crawl of the same report is no new revision."""
    html = path.read_text("utf-8")
    cut = html.rindex(LAST_SENTENCE) + len(LAST_SENTENCE)
    if SIGNED in html[cut:]:
        cut = html.index(SIGNED, cut) + len(SIGNED)
    changed = html[:cut] + re.sub(r"\d+", lambda m: str(int(m.group(0)) + 37), html[cut:])
    assert changed != html
    first = parse_bytes(html.encode(), path.name).record
    again = parse_bytes(changed.encode(), path.name).record
    assert again == first


def test_a_correction_of_the_reports_own_words_still_reads_differently() -> None:
    path = CHROME / "01_trs_counter_related_footer.html"
    html = path.read_text("utf-8")
    corrected = html.replace("政协提案12件", "政协提案21件")
    assert corrected != html
    before = parse_bytes(html.encode(), path.name).record
    after = parse_bytes(corrected.encode(), path.name).record
    assert before != after
    assert after["sections"]["other"].endswith("政协提案21件，均已按期办结。")


# -- the rule on lines ------------------------------------------------------------------------

REPORT = ["六、其他需要报告的事项", "本年度未收取信息处理费。", "宁阳县人民政府", "2024年1月20日"]


def test_what_follows_the_signature_is_cut() -> None:
    chrome = ["访问量：18240", "相关新闻", "宁阳县2023年法治政府建设报告 2024-01-20", "联系电话：0538-5621234"]
    assert report_end(REPORT + chrome, "宁阳县人民政府") == REPORT


@pytest.mark.parametrize("date", ["二〇二四年元月二十日", "２０２４－０１－２０", "2024．1．20", "2O24年1月20日", "2024 年 1 月 20 日"])
def test_a_closing_date_is_read_in_every_form_the_records_dates_are(date: str) -> None:
    """The closing date ends the report in each form metadata.parse_date reads a date in (typed in a
    CJK input mode, OCR'd, spaced by a PDF's layout): one rule for both, so the report's end and its
    signed date never disagree about what a date is."""
    report = [*REPORT[:-1], date]
    listed = ["宁阳县2023年法治政府建设报告 2024-01-20", "访问量：18240"]
    assert report_end(report + listed, "宁阳县人民政府") == report


def test_a_sites_notice_after_the_signature_does_not_keep_the_counter() -> None:
    chrome = ["访问量：18240", "本站所有信息均来源于各级政府部门，转载请注明出处，建议使用1024×768分辨率浏览。"]
    assert report_end(REPORT + chrome, "宁阳县人民政府") == REPORT


def test_a_date_of_its_own_inside_the_text_is_no_signature() -> None:
    """A date set on a line of its own mid-section, the report's sentences going on after it."""
    body = ["本年度未收取信息处理费。", "2023年6月1日", "全县开展政务公开培训，参训人员覆盖各乡镇和县直部门，培训后组织考试并通报结果。"]
    assert report_end(body, "宁阳县人民政府") == body


def test_unsigned_report_ends_at_the_first_furniture_after_its_last_sentence() -> None:
    body = ["本年度未收取信息处理费。", "【打印本页】【关闭窗口】 本页已被浏览18234次", "上一篇：2022年度报告"]
    assert report_end(body, None) == body[:1]


@pytest.mark.parametrize("line", [
    "访问量：18240", "浏览次数：321", "点击数：[ 57 ]", "阅读 3021", "本页已被浏览18234次", "您是第 123456 位访问者",
    "【打印本页】【关闭窗口】", "【字体：大 中 小】 【打印】 【关闭】", "分享到：微信 微博 QQ空间", "扫一扫在手机打开当前页",
    "上一篇：樊城区2022年政府信息公开工作年度报告", "下一篇：无", "相关新闻", "【相关链接】", "阅读原文",
])
def test_furniture_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "门户网站全年浏览量12.5万次，访问量稳步提升。",  # a sentence of the report about its website
    "本年度未收取信息处理费。",
    "宁阳县人民政府",
    "2024年1月20日",
    "（一）主动公开情况",
])
def test_report_lines_are_no_furniture(line: str) -> None:
    assert not is_chrome(line)
