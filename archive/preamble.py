"""What a correction notice says before the report it reprints: "…数据有误，现予更正…".

A notice reprinting the whole report (关于XX局2023年…年度报告的更正) is read as the report's next
revision, and the record's narrative starts at 一、总体情况: the notice's own words (what was wrong,
that it is corrected) are in no section, so a search for 更正 or 数据有误 finds no correction.  The
archive files them as the revision's `preamble` section (the `sections` table, searched by
`search_narrative`), read from the notice's page: from its first line saying 更正 up to the report's
一、 heading (or to the page's end when the report is an attached file), page chrome left out.
Only notices get one: the canonical record (`parsers`) is unchanged.
"""

from __future__ import annotations

import re

from parsers.reportend import is_chrome, report_end
from parsers.sections import chrome_lines, find_headings, join_lines

# the article's own furniture between its title and its text (发布时间：… 来源：… 浏览次数：…)
_INFO = re.compile(r"^\s*(发布时间|发布日期|来源|信息来源|浏览次数|点击数|字号|【?\s*字体)[:：]?")
_SAYS = "更正"


def correction_preamble(text: str, agency: str | None = None) -> str | None:
    """The notice's words before the report's 一、 (None when it prints none that say 更正)."""
    lines = text.splitlines()
    headings = [h for h in find_headings(lines) if h.kind == "overview"]
    end = headings[0].line if headings else len(lines)
    start = next((i for i in range(end) if _SAYS in lines[i]), None)
    if start is None:
        return None
    chrome = chrome_lines(lines)
    body = [line for i, line in enumerate(lines[start:end], start)
            if i not in chrome and not is_chrome(line) and not _INFO.match(line)]
    if not headings:  # the report is an attached file: the page ends at its signature or footer
        body = report_end(body, agency)
    found = join_lines(body).strip()
    return found or None
