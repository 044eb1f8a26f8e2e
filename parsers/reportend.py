"""Where a report's text ends: at its signature, not at the end of the web page that carries it.

A CMS article page prints, after the report's signature and date, its own furniture: print and
close buttons, a view counter, a share bar, a 相关新闻 box, 上一篇/下一篇 links, a footer.  Read into
the last section, that furniture is words no report printed, and a counter differs on every crawl,
so an unchanged report would read as a new revision every night (archive/reparse.py compares
readings).  The last section therefore ends at the signature; with no signature, at the first line
of page furniture after the report's last sentence.  Only the narrative is cut: tables and what is
attached after the signature (the pre-2019 统计表) are read as before (sections.attached_lines).
"""

from __future__ import annotations

import re

from .metadata import date_line

# the signing body's name: a short line without punctuation ending as bodies' names end
_BODY_END = re.compile(r"(?:政府|局|办公室|办公厅|委员会|委|厅|院|办|中心|处|所|队|部|站|会|公司|集团|银行)$")
_PUNCT = re.compile(r"[。，；：,;:！？!?、]")
_SENTENCE_END = re.compile(r"[。！？!?][”」\"]?$")
# after a true signature no long sentence of the report follows; page furniture has none this long,
# but for a site's notice (本站…，转载请注明出处。 / 建议使用…浏览器。)
_REPORT_SENTENCE = 30
_SITE_NOTICE = re.compile(r"本站|本网|网站|浏览器|分辨率|版权|转载|主办|承办|技术支持|联系电话|地址|邮编|备案")

# page furniture a report never prints as a line of its own
_COUNTER = re.compile(
    r"(?:访问量|访问次数|浏览量|浏览次数|浏览数|阅读量|阅读数|阅读次数|点击量|点击数|点击次数|点击率|人气|访问|浏览|阅读|点击)"
    r"\s*[:：]?\s*[\[【(（]?\s*\d[\d,，]*\s*[\]】)）]?\s*次?"
    r"|(?:本[页文篇条]|该[页文篇条]|此[页文])?(?:信息)?已被?(?:浏览|阅读|访问|查看|点击)\s*\d[\d,，]*\s*次"
    r"|您是第?\s*\d[\d,，]*\s*位?访[问客]者?|共?有?\s*\d[\d,，]*\s*人(?:浏览|阅读|看过|访问)"
)
_TOOL = re.compile(
    r"^[【\[]?(?:打印本页|打印预览|打印此页|打印正文|打印文章|打印|关闭窗口|关闭本页|关闭|收藏本页|加入收藏|收藏|返回顶部|回到顶部"
    r"|返回列表|返回|分享到\S{0,8}|分享|纠错|我要纠错|字体[:：]?\s*[大中小]*|字号[:：]?\s*[大中小]*|扫一扫\S{0,14}"
    r"|微信扫一扫\S{0,14}|阅读原文|写留言|在看|点赞)[】\]]?"
)
_NAVIGATION = re.compile(r"^[【\[]?(?:上一篇|下一篇|上一条|下一条|上篇|下篇|前一篇|后一篇)[】\]]?\s*[:：]?")
_RELATED = re.compile(
    r"^[【\[]?(?:相关|热点|热门|推荐|延伸|猜你喜欢|更多)(?:新闻|链接|文章|阅读|信息|稿件|内容|报道|资讯|政策|文件|附件)?[】\]]?\s*[:：]?$"
)


def _squeeze(line: str) -> str:
    return "".join(line.split())


def is_chrome(line: str) -> bool:
    """A line of page furniture: a view counter, a tool or share bar, 上一篇/下一篇, a 相关新闻 heading."""
    s = _squeeze(line)
    if not s or "\t" in line or "。" in s:
        return False
    return bool(_COUNTER.search(s) or _TOOL.match(s) or _NAVIGATION.match(s) or _RELATED.match(s))


def _closing_date(s: str) -> bool:
    """A line that is a date and nothing else (2024年1月20日, 二〇二四年一月二十日, 2024-01-20), read by
    the one rule the record's dates are read with (metadata.date_line)."""
    return date_line(s) is not None


def _body_name(s: str, agency: str | None) -> bool:
    return 3 <= len(s) <= 30 and not _PUNCT.search(s) and (s == agency or bool(_BODY_END.search(s)))


def _signature_end(body: list[str], agency: str | None) -> int | None:
    """The index just after the closing date of the report's signature in the last section's lines,
    None when there is none.  A closing date counts under the signing body's name (or the body and
    the date on one line), or right under the report's last sentence (a report signed by date only);
    never when a long sentence of the report follows it (a date set on a line of its own mid-text)."""
    squeezed = [_squeeze(line) for line in body]
    nonblank = [i for i, s in enumerate(squeezed) if s and "\t" not in body[i]]
    for n, i in enumerate(nonblank):
        s = squeezed[i]
        prev = squeezed[nonblank[n - 1]] if n else ""
        dated = _closing_date(s) and (_body_name(prev, agency) or bool(_SENTENCE_END.search(prev)))
        one_line = not dated and len(s) <= 50 and any(
            _closing_date(s[k:]) and _body_name(s[:k], agency) for k in range(3, len(s) - 7))
        if not (dated or one_line):
            continue
        after = [squeezed[j] for j in nonblank[n + 1:]]
        if any(len(a) >= _REPORT_SENTENCE and _SENTENCE_END.search(a) and not _SITE_NOTICE.search(a) for a in after):
            continue
        return i + 1
    return None


def report_end(body: list[str], agency: str | None) -> list[str]:
    """The last section's lines up to where the report ends: its signature (page furniture after it
    dropped), else the first furniture line after its last sentence."""
    end = _signature_end(body, agency)
    if end is None:
        last = max((i for i, line in enumerate(body) if "。" in line), default=-1)
        end = next((i for i in range(last + 1, len(body)) if is_chrome(body[i])), len(body))
    return body[:end]
