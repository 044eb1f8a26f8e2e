"""Soft 404s: a portal answering a deleted or missing article with HTTP 200 and a short notice.

Chinese CMSs (TRS, 大汉, 政府网站集约化平台) keep the URL alive after a report is withdrawn and
serve "该信息已删除" or "页面不存在" inside the site's frame.  Recorded as a report, it is a false
find (the parser later rejects it) and counts in the crawl's reports_found; it is a failure of
that link.  Told by the notice *and* a short page: the text outside links (the frame's navigation
is links) is a few lines, where a report is thousands of characters.
"""

from __future__ import annotations

import re

from lxml import etree
from scrapy.http import Response, TextResponse

NOTICES = re.compile(
    r"该信息已(?:被)?删除|信息已(?:被)?(?:删除|撤销|撤回|下线)|该(?:文章|信息|页面|内容)(?:已被?删除|不存在)"
    r"|页面(?:不存在|未找到|找不到)|您(?:所)?访问的(?:页面|信息|内容|文章)(?:不存在|已被?删除)"
    r"|(?:文章|信息|内容)不存在|找不到(?:该|此)?页面|404\s*(?:Not\s*Found|错误)|Page\s+Not\s+Found",
    re.I,
)
MAX_TEXT = 400  # characters outside links, scripts and styles, spaces removed
# run on lxml's tree, not through parsel: a report page has thousands of text nodes and wrapping each
# in a Selector cost ~8 ms a page, the biggest share of a crawl's CPU per report page after the archive
_LOOSE_TEXT = etree.XPath("//body//text()[not(ancestor::a) and not(ancestor::script) and "
                          "not(ancestor::style) and not(ancestor::noscript)]", smart_strings=False)


def soft_404(response: Response) -> str | None:
    """The notice a short 200 page shows instead of its content ("该信息已删除"), else None."""
    if not isinstance(response, TextResponse) or response.status != 200:
        return None
    try:
        parts = _LOOSE_TEXT(response.selector.root)
    except ValueError:  # not markup a selector reads
        return None
    text = "".join("".join(parts).split())
    if len(text) > MAX_TEXT:
        return None
    title = "".join((response.xpath("//title//text()").get() or "").split())
    found = NOTICES.search(text) or NOTICES.search(title)
    return found.group(0) if found else None
