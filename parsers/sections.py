"""Finding the report's six parts in a text dump.

Headings are recognised by what they say (总体情况, 主动公开, 收到和处理…), not by their
numeral, because numbering drifts (`3、` for `三、`) and table 3's own row labels start with
一、二、三、四、 too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .metadata import _ORG_END, _OTHER_BODY_END, annex_list, appendix_start, closing_line
from .pages import PAGE_MARK

_HEADING_RE = re.compile(
    r"^\s*(?:第?(?P<cn>[一二三四五六七八九十]{1,3})\s*(?:[、.．,，:：]|部分)"
    r"|(?P<ar>[0-9０-９]{1,2})\s*[、.．,，:：]"
    r"|[（(]\s*(?P<pa>[一二三四五六七八九十]{1,3})\s*[）)]\s*[、.．]?)\s*(?P<rest>.*)$"
)
# an unnumbered heading line: the usual wording alone on its line
_BARE_HEADING_RE = re.compile(r"^[\u4e00-\u9fff、“”\"]{2,24}(?:情况|事项|概述)$")
_CN_VALUE = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
# section numbers each kind carries in the 2019/2021 templates and in free-form reports
_EXPECTED_NUMBER = {
    "overview": {1},
    "active": {2},
    "applications": {3},
    "reviews": {4, 5},
    "fees": {4},
    "problems": {5, 6},
    "other": {6, 7},
}

# kind -> keywords looked for near the start of a numbered heading.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("overview", re.compile(r"总体情况|概述|概况|基本情况")),
    ("active", re.compile(r"主动公开")),
    ("reviews", re.compile(r"行政复议|行政诉讼|复议[、和及与]?诉讼")),
    ("applications", re.compile(r"收到和处理|依申请公开|公开申请")),
    ("fees", re.compile(r"收费及减免|收费和减免|减免情况|收费情况")),
    ("problems", re.compile(r"问题|改进|不足")),
    # 六 (before 2019: 七) as bodies word it: 其他需要报告的事项, (其他)需要说明的事项, 需要公开的其他事项
    ("other", re.compile(r"其[他它]需要?(?:报告|说明)|需要(?:报告|说明)的|需要(?:公开|披露)的其[他它]|其[他它]事项")),
)
# any kind's keyword: a line without one is no heading (most lines; cheaper than the numbering regexes)
_ANY_KIND = re.compile("|".join(rx.pattern for _kind, rx in _KINDS))
_INLINE_END = re.compile(r"[。：:]")
_TOC_FILLER = re.compile(r"^[\s.…·．⋯]*\d{0,3}[\s.…·．⋯]*$")  # leaders and/or a page number
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Heading:
    kind: str
    line: int
    text: str
    rest: str = ""  # body text printed on the heading's own line ("一、总体情况。2024年，…")


def _numeral_value(text: str) -> int | None:
    if text.isdigit():
        return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_VALUE.get(text[1:], 0)
    return _CN_VALUE.get(text)


# A free-form report of 2014–2018 often prints a part of its own on policy interpretation and
# responses to public concern (三、政策解读与回应社会关切情况), or on key areas' disclosure
# (重点领域信息公开情况), among the statutory ones.  Both are 主动公开 work (the 2019 and 2021
# templates report them under 主动公开 in 总体情况), so such a part is read into `active` wherever
# it is printed; numbered in the report's own sequence, it moves the parts after it one number on.
_ACTIVE_PART = re.compile(r"政策解读|解读回应|回应解读|回应(?:社会|公众|群众)?关切|舆情回应|重点领域")
_PROBLEM_WORDS = re.compile(r"问题|不足|有待|不够|薄弱")


@dataclass(frozen=True)
class _Candidate:
    heading: Heading
    cls: int  # numbering: 0 一、 / 1 1. / 2 （一） / 3 unnumbered
    number: int | None


def find_headings(
    lines: list[str], skip: set[int] | frozenset[int] = frozenset(), active_parts: bool = False
) -> list[Heading]:
    """One heading per kind, in document order.

    Candidates are numbered lines whose words name a part (or the bare usual wording on its
    own line).  Between candidates of a kind, the one whose number is that part's number in
    the template wins (so "3、收到和处理…" beats "（二）依申请公开" inside the overview), then
    一、 over 1. over （一） numbering, then a real heading over a table-of-contents entry.
    ``skip``: lines that are no candidates (what is attached after the signature, whose 统计表 rows
    read 三、依申请公开情况 under the number the report's own part does not carry).
    ``active_parts`` (a free-form report's narrative): a further part on 政策解读/回应关切 or 重点领域
    printed as one of the report's numbered parts is returned too, as kind ``active_part``; the
    parts numbered after it are expected one number on (四、依申请公开 then beats a （三）依申请公开
    of the overview).
    """
    found, extra = _candidates(lines, skip, active_parts)
    if not found:
        return []
    nonempty = [i for i, s in enumerate(lines) if s.strip() and not _TOC_FILLER.match(s)]
    chosen = _choose(lines, found, nonempty, [])
    parts = _continuing(extra, chosen)
    if parts:
        chosen = _choose(lines, found, nonempty, parts)
        parts = _continuing(extra, chosen)
    return sorted(list(chosen.values()) + parts, key=lambda h: h.line)


def _candidates(
    lines: list[str], skip: set[int] | frozenset[int], active_parts: bool
) -> tuple[list[_Candidate], list[_Candidate]]:
    """Heading candidates of the six kinds, and (``active_parts``) of a further 主动公开 part."""
    found: list[_Candidate] = []
    extra: list[_Candidate] = []
    for i, line in enumerate(lines):
        squeezed = "".join(line.split())
        if i in skip or not (_ANY_KIND.search(squeezed) or active_parts and _ACTIVE_PART.search(squeezed)):
            continue  # most lines: no kind's keyword anywhere, so not in any part of the line
        s = line.strip()
        sep = "\t" if "\t" in s else "|" if s.count("|") >= 2 else None
        if sep and sum(1 for c in s.split(sep) if c.strip()) == 1:
            s = " ".join(s.split(sep)).strip()  # a heading printed in a table row spanning the grid
        if not s or "\t" in s or "|" in s:
            continue
        rest = ""
        cut = _INLINE_END.search(s, 0, 40)
        if cut:
            s, rest = s[: cut.start() + 1], s[cut.end() :].strip()
        elif len(s) > 60:
            continue
        m = _HEADING_RE.match(s)
        if m:
            head = "".join(m.group("rest").split())[:24]
            numeral = m.group("cn") or m.group("ar") or m.group("pa")
            cls = 0 if m.group("cn") else 1 if m.group("ar") else 2
            number = _numeral_value(numeral)
        elif not rest and _BARE_HEADING_RE.match("".join(s.split())):
            head, cls, number = "".join(s.split()), 3, None
        else:
            continue
        if not head:
            continue
        for kind, rx in _KINDS:
            if rx.search(head):
                # table-3 row labels (一、本年新收…申请数量) are not headings
                if kind != "applications" or ("数量" not in head and "结转" not in head):
                    found.append(_Candidate(Heading(kind, i, s, rest), cls, number))
                break
        else:
            if (active_parts and cls < 2 and number is not None and len(s) <= 40 and _ACTIVE_PART.search(head)
                    and not _PROBLEM_WORDS.search(head)):
                extra.append(_Candidate(Heading("active_part", i, s, rest), cls, number))
    return found, extra


def _choose(
    lines: list[str], found: list[_Candidate], nonempty: list[int], parts: list[Heading]
) -> dict[str, Heading]:
    """The heading of each kind among the candidates (see find_headings), ``parts`` being the
    further 主动公开 parts numbered in the report's sequence (each moves the later parts on)."""
    part_numbers = {h.line: cls_number for h in parts if (cls_number := _numbering("".join(h.text.split())))}
    heading_lines = {c.heading.line for c in found}

    def fits(c: _Candidate) -> bool:
        if c.number is None or c.number in _EXPECTED_NUMBER[c.heading.kind]:
            return True
        shift = sum(1 for line, (cls, _n) in part_numbers.items() if line < c.heading.line and cls == c.cls)
        return bool(shift) and c.number - shift in _EXPECTED_NUMBER[c.heading.kind]

    def neighbours(line: int) -> tuple[int, int]:
        k = bisect_left(nonempty, line)
        if k == len(nonempty) or nonempty[k] != line:
            return -1, -1
        return (nonempty[k - 1] if k else -1, nonempty[k + 1] if k + 1 < len(nonempty) else -1)

    def rank(c: _Candidate) -> tuple[int, int, int, int]:
        h = c.heading
        prev, nxt = neighbours(h.line)
        # a table of contents puts dot leaders and page numbers between its entries: skipped here
        toc = not h.rest and (prev in heading_lines or nxt in heading_lines)
        return (0 if fits(c) else 1, c.cls, 1 if toc else 0, h.line)

    chosen: dict[str, Heading] = {}
    for c in sorted(found, key=rank):
        chosen.setdefault(c.heading.kind, c.heading)
    problems = chosen.get("problems")
    if problems is not None and "other" not in chosen:
        following = _next_part(lines, problems)
        if following is not None:
            chosen["other"] = following
    return chosen


def _continuing(extra: list[_Candidate], chosen: dict[str, Heading]) -> list[Heading]:
    """The further 主动公开 parts that are parts of the report: numbered in the sequence of the
    parts around them (the part before it plus one, or the part after it minus one, in the same
    numbering), after the first part and before 存在的主要问题.  An item of a list inside a part
    (三、政策解读有待加强 under 七、存在的问题) continues no sequence."""
    if not extra or not chosen:
        return []
    first = min(h.line for h in chosen.values())
    parts: list[Heading] = []
    for c in extra:
        line = c.heading.line
        ends = [h.line for k in ("problems", "other") if (h := chosen.get(k))
                and (_numbering("".join(h.text.split())) or (None,))[0] == c.cls]
        if line < first or any(line > end for end in ends):
            continue
        numbered = [(h.line, n) for h in list(chosen.values()) + parts if (n := _numbering("".join(h.text.split())))]
        before = max(((ln, n) for ln, n in numbered if ln < line), default=None)
        after = min(((ln, n) for ln, n in numbered if ln > line), default=None)
        if any(x is not None and x[1][0] == c.cls and x[1][1] + step == c.number
               for x, step in ((before, 1), (after, -1))):
            parts.append(c.heading)
    return parts


def names_part(text: str) -> bool:
    """Whether a text is the heading of one of the report's numbered parts (四、政府信息公开行政复议…,
    五、存在的主要问题…), not a table-3 row label numbered the same way (一、本年新收…申请数量)."""
    m = _HEADING_RE.match(text)
    if not m or not m.group("cn"):
        return False
    head = "".join(m.group("rest").split())[:24]
    kind = next((k for k, rx in _KINDS if rx.search(head)), None)
    return kind is not None and (kind != "applications" or ("数量" not in head and "结转" not in head))


def heading_off_rows(text: str) -> str:
    """A pipe-drawn table row with the next part's heading glued after its last cell, as two lines.

    antiword draws a DOC's table with `|` between cells and wraps a row over several lines; the
    paragraph after the table can then start on the row's last line (`|1 |0 |7 | |五、存在的主要问题…`).
    Left there, the heading is taken for the row's label, the row's numbers before it are lost,
    and the part the heading opens is not found."""
    if "|" not in text:
        return text
    out = []
    for line in text.split("\n"):
        head, _, last = line.rpartition("|")
        if line.count("|") >= 2 and last.strip() and names_part(last.strip()) and re.search(r"\d", head):
            out += [head + "|", last.strip()]
        else:
            out.append(line)
    return "\n".join(out)


_PART_PUNCT = re.compile(r"[。，,；;！!？?]")


def _numbering(text: str) -> tuple[int, int] | None:
    """(numbering class: 0 一、 / 1 1. / 2 （一）, number) of a numbered heading line."""
    m = _HEADING_RE.match(text)
    if not m:
        return None
    numeral = m.group("cn") or m.group("ar") or m.group("pa")
    number = _numeral_value(numeral)
    return None if number is None else (0 if m.group("cn") else 1 if m.group("ar") else 2, number)


def _next_part(lines: list[str], problems: Heading) -> Heading | None:
    """The part printed after 存在的主要问题 and numbered next (六、 after 五、, 七、 after 六、) when
    its words are none of the usual ones (七、需要向社会说明的情况, 七、人大建议和政协提案办理情况):
    the report's last part, 其他需要报告的事项, by its place.  Left in the problems section it would
    be read as one of the problems.  A sub-list restarting its numbering under the problems heading
    (一、… 二、…) is no next part; nor is a row of what is attached after the signature."""
    here = _numbering("".join(problems.text.split()))
    if here is None:
        return None
    cls, number = here
    end = appendix_start(lines)
    listed = annex_list(lines)
    stop = min(x for x in (end, listed.start if listed else None, len(lines)) if x is not None)
    sub = 1
    for i in range(problems.line + 1, stop):
        raw = lines[i]
        s = "".join(raw.split())
        if not s or "\t" in raw or "|" in raw:
            continue
        numbered = _numbering(s)
        if numbered is None or numbered[0] != cls:
            continue
        if numbered[1] == sub:  # the problems' own list (一、… 二、…); its next item is no part
            if sub == number + 1:
                return None
            sub += 1
            continue
        if numbered[1] != number + 1 or len(s) > 30 or _PART_PUNCT.search(s):
            return None  # numbering gone astray, or a sentence
        return Heading("other", i, raw.strip())
    return None


def section_span(headings: list[Heading], kind: str, n_lines: int) -> tuple[int, int] | None:
    """(first body line, end line) of the section of `kind`, ending at the next heading."""
    for idx, h in enumerate(headings):
        if h.kind == kind:
            end = headings[idx + 1].line if idx + 1 < len(headings) else n_lines
            return h.line + 1, end
    return None


def join_lines(lines: list[str]) -> str:
    """Normalise whitespace: lines broken mid-sentence by PDF layout are re-joined.

    Between two CJK characters a line break is dropped; elsewhere it becomes one space.
    """
    out: list[str] = []
    for raw in lines:
        s = " ".join(raw.split())
        if not s:
            continue
        if out:
            prev = out[-1]
            if not (_CJK.match(prev[-1]) and _CJK.match(s[0])):
                out.append(" ")
        out.append(s)
    return "".join(out).strip()


def find_line(
    lines: list[str], pattern: re.Pattern[str], start: int = 0, end: int | None = None
) -> int | None:
    stop = len(lines) if end is None else end
    for i in range(start, stop):
        if pattern.search(lines[i]):
            return i
    return None


# --- page furniture -------------------------------------------------------------------------
# Narrative sections feed full-text search: page numbers and running titles in them are noise
# that also glue themselves into the sentence broken at the page end.
_PAGE_MARK = PAGE_MARK
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_SENTENCE_END = re.compile(r"[。；;！!？?：:]$")
# a number followed by a unit is a figure of the text ("59" / "件，其中…"), never a page number
_UNIT_START = re.compile(r"^[件条篇场次个人万%％余项家期年月日天份批起名户元亿千百多]")
_MAX_PIECES = 4  # pdf dumps may cut "第3 页共4 页" into pieces on lines of their own


def _squeeze(line: str) -> str:
    return "".join(line.split())


def _page_marks(lines: list[str], squeezed: list[str] | None = None) -> set[int]:
    """Lines that are (pieces of) one page number.  ``squeezed``: the lines squeezed, when the
    caller has them (each line is looked at as the start and as a later piece of a number)."""
    if squeezed is None:
        squeezed = [_squeeze(line) for line in lines]
    marks: set[int] = set()
    for i, line in enumerate(lines):
        s = squeezed[i]
        if not s or i in marks or len(s) > 12 or "\t" in line:
            continue
        joined, used = "", []
        j = i
        while j < len(lines) and len(used) < _MAX_PIECES:
            piece = squeezed[j]
            if piece:
                if len(piece) > 12 or "\t" in lines[j]:
                    break
                joined += piece
                used.append(j)
                if _PAGE_MARK.match(joined):
                    marks.update(used)
                    break
            j += 1
    return marks


def _nonblank_near(squeezed: list[str], i: int, step: int, skip: set[int]) -> int | None:
    """The nearest line before (step -1) or after (+1) line i that has text and is not skipped."""
    j = i + step
    while 0 <= j < len(squeezed):
        if squeezed[j] and j not in skip:
            return j
        j += step
    return None


def _is_prose(line: str) -> bool:
    s = _squeeze(line)
    return "\t" not in line and len(s) >= 2 and not _BARE_NUMBER.match(s) and bool(_CJK.search(s))


# --- web page chrome ---------------------------------------------------------------------------
# A report published as a web page is extracted with the site's toolbars and footer around it; the
# last section would end in "打印本页 … 豫ICP备… 网站标识码…" and search would find it.  Only whole
# lines made of such furniture go, so a sentence of the report that names one is never touched.
_CHROME_TOOL = re.compile(
    r"【?(?:打印本页|打印预览|打印此页|打印正文|打印|关闭窗口|关闭本页|关闭|分享到\S{0,6}|分享|收藏本页|加入收藏|收藏"
    r"|返回顶部|回到顶部|返回|字体[:：]?[大中小]*|字号[:：]?[大中小]*|[大中小]|默认|扫一扫\S{0,12}|微信|微博|QQ空间)】?"
)
_CHROME_SITE = re.compile(
    r"网站地图|联系我们|关于本站|关于我们|政府网站找错|国务院客户端|中国政府网|无障碍(?:浏览|阅读)?|长者模式|关怀版"
    r"|English|繁體|简体|登录|注册|网站声明|隐私(?:声明|政策)|使用帮助|帮助|设为首页|[省市县区]人民政府|[省市县]政府|智能问答"
)
_CHROME_FOOTER = re.compile(
    r"ICP备\s*\d|ICP证\s*\d|公网安备\s*\d|网站标识码\s*[:：]?\s*[0-9A-Za-z]|版权所有|Copyright|©|技术支持\s*[:：]|后台管理"
)
_CHROME_HOST = re.compile(r"^(?:主办|承办)(?:单位)?\s*[:：]")
_CHROME_SPLIT = re.compile(r"[\s|｜/·]+")


def chrome_lines(lines: list[str], squeezed: list[str] | None = None) -> set[int]:
    """Indices of web page chrome: tool bars (打印本页 关闭窗口 分享到…), link bars (网站地图 | 联系我们),
    footers (ICP备, 公网安备, 网站标识码, 版权所有, 主办单位：…).  Whole short lines only, never a
    table row or a sentence (a line with 。 or ，)."""
    out: set[int] = set()
    for i, line in enumerate(lines):
        s = _squeeze(line) if squeezed is None else squeezed[i]
        if not s or len(s) > 150 or "\t" in line or "。" in s:
            continue
        if _CHROME_FOOTER.search(s) or (_CHROME_HOST.match(s) and len(s) <= 60 and "，" not in s):
            out.add(i)
            continue
        tokens = [t for t in _CHROME_SPLIT.split(line.strip()) if t]
        if len(s) > 80 or not tokens or "，" in s:
            continue
        known = sum(1 for t in tokens if _CHROME_TOOL.fullmatch(t) or _CHROME_SITE.fullmatch(t))
        if known == len(tokens) and (known >= 2 or _CHROME_TOOL.fullmatch(tokens[0]) and len(tokens[0]) >= 4):
            out.add(i)
    return out


def attached_lines(lines: list[str]) -> set[int]:
    """Indices of the signature block and of what is attached after it (the pre-2019 统计表), and
    of an 附件 list printed above the signature (附件：1.…统计表 2.…).

    Not narrative: the last section ends at the signature, not at the end of the attachment, and a
    table row of the attachment (三、依申请公开情况) is no part of section 八.
    """
    listed = annex_list(lines)
    out = set(listed or ())
    start = appendix_start(lines)
    if start is None:
        return out
    out.update(range(start, len(lines)))
    k, taken = start - 1, 0
    while k >= 0 and taken < 3:
        s = "".join(lines[k].split())
        if s:
            if not closing_line(s):
                break
            taken += 1
        out.add(k)
        k -= 1
    return out


def furniture_lines(lines: list[str], keep: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """Indices of page furniture: page numbers, bare page numbers between prose, running titles,
    and web page chrome (`chrome_lines`).

    A running title is a line (not a heading, not a finished sentence) printed ≥ 2 times next to
    a page break (just after a page number, or right before one), or a repeat of the document's
    own title line ("…年度报告"; a site name atop a web page is its signature further down).
    A bare number is a page number only between prose lines; `keep` (heading lines) never is.
    """
    squeezed = [_squeeze(line) for line in lines]  # each line squeezed once for the passes below
    marks = _page_marks(lines, squeezed) - keep
    for i, line in enumerate(lines):
        s = squeezed[i]
        if i in marks or i in keep or not _BARE_NUMBER.match(s) or "\t" in line:
            continue
        prev, nxt = _nonblank_near(squeezed, i, -1, marks), _nonblank_near(squeezed, i, 1, marks)
        if prev is None or nxt is None or prev in keep or nxt in keep:
            continue
        if not (_is_prose(lines[prev]) and _is_prose(lines[nxt])):
            continue
        if _UNIT_START.match(squeezed[nxt]):
            continue
        before, after = squeezed[prev], squeezed[nxt]
        # a page ends on a full line or a paragraph's end; a table label ("总计" / "7") is
        # short and ends no sentence, so the number under it is a figure
        if (len(before) >= 15 or _SENTENCE_END.search(before)) and len(after) >= 6:
            marks.add(i)

    near_break: dict[str, int] = {}
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        s = squeezed[i]
        if 4 <= len(s) <= 60 and "\t" not in line and not _SENTENCE_END.search(s) and i not in marks:
            seen.setdefault(s, []).append(i)
    for i in sorted(marks):
        after = _nonblank_near(squeezed, i, 1, marks)
        for j in (after, _nonblank_near(squeezed, after, 1, marks) if after is not None else None):
            if j is not None:
                s = squeezed[j]
                near_break[s] = near_break.get(s, 0) + 1
        before = _nonblank_near(squeezed, i, -1, marks)
        if before is not None:
            s = squeezed[before]
            near_break[s] = near_break.get(s, 0) + 1
    firsts = [j for j, s in enumerate(squeezed) if s][:2]
    title = {squeezed[j] for j in firsts}
    for s, where in seen.items():
        if len(where) < 2:
            continue
        if near_break.get(s, 0) >= 2 or (s in title and "报告" in s):
            marks.update(j for j in where if j not in keep and j not in firsts)
    return marks | (chrome_lines(lines, squeezed) - set(keep)) | attached_lines(lines)


# ---- 汇编: several bodies' reports in one document ------------------------------------------

# (a 汇编's parts may print no year of their own: the cover names it once for all)
_REPORT_TITLE = re.compile(
    r"^(?P<body>[^\s，。、；：《》（）()…\d]{2,40}?)\s*(?:(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*度?\s*)?"
    r"政府信息公开(?:工作)?年度报告(?!\s*(?:汇编|汇总))"
)
_CN_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "○": "0"}
_OVERVIEW = re.compile(r"^\s*一\s*[、.．]\s*总体情况")
# a 目录 entry: the title or heading, dot leaders, its page number ("一、总体情况……………1")
_TOC_ENTRY = re.compile(r"[.…·．⋯]{2,}\s*\d{1,4}\s*$")


@dataclass(frozen=True)
class ReportSpan:
    """One report inside a 汇编: lines[start:end], its title's body name and year (None: the
    title prints none)."""

    start: int
    end: int
    body: str
    year: int | None = None


def report_spans(lines: list[str]) -> list[ReportSpan]:
    """Every report of a document that bundles several reports (汇编), in print order; one span of
    the whole text when it is one report (or a 汇编 of one report).

    A county prints its departments' (or towns') reports one after another under one cover
    title; read whole, the cover's county becomes the agency and the first department's tables
    are taken, a record of no one.  A report title starting a line, followed by its own 一、总体情况
    before the next such title, marks each report (a 目录 line naming a report has none, so the
    table of contents belongs to no report); two or more reports make it a 汇编, each report
    running from its title to the next report's title.  A report is a body and a year: one body's
    reports of two years in one file are two reports, and the parts' titles may print no year
    (the cover names it for all).  A title repeated by the same report (page headers, with or
    without its year) does not count.
    """
    titles = [(i, key) for i in range(len(lines))  # (the rare title tested for a 目录 entry)
              if (key := _title_key(lines, i)) and not _TOC_ENTRY.search(lines[i])]
    owned: list[tuple[int, tuple[str, int | None]]] = []
    for k, (i, key) in enumerate(titles):
        end = titles[k + 1][0] if k + 1 < len(titles) else len(lines)
        if owned and _same_report(owned[-1][1], key):
            continue
        if any(_OVERVIEW.match(lines[j]) and not _TOC_ENTRY.search(lines[j]) for j in range(i + 1, end)):
            owned.append((i, key))
    if len(owned) < 2:
        return [ReportSpan(0, len(lines), *(owned[0][1] if owned else ("", None)))]
    ends = [i for i, _ in owned[1:]] + [len(lines)]
    return [ReportSpan(i, end, body, year) for (i, (body, year)), end in zip(owned, ends, strict=True)]


def _same_report(a: tuple[str, int | None], b: tuple[str, int | None]) -> bool:
    """Two titles of one report: one body, and one year where both print theirs."""
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def _title_key(lines: list[str], i: int) -> tuple[str, int | None] | None:
    """(body, year) of a report title starting at line i, also when the title wraps onto the next
    line (a long department name in a large heading: "平阴县发展和改革局" / "2023年政府信息公开工作年度报告")."""
    line = text = lines[i].strip()
    m = _REPORT_TITLE.match(line) if "年度报告" in line else None  # (a title has these words: most lines no)
    if m is None and 2 <= len(line) <= 40 and i + 1 < len(lines):
        text = line + lines[i + 1].strip()
        m = _REPORT_TITLE.match(text) if "年度报告" in text else None
    if m is None:
        return None
    year = m.group("year")
    if year is None and not _yearless_title(m, text):
        return None
    return m.group("body"), int("".join(_CN_DIGITS.get(c, c) for c in year)) if year else None


def _yearless_title(m: re.Match[str], text: str) -> bool:
    """A title printing no year is one only when it is the whole line and names a body: prose that
    cites the template ("…办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知") is not."""
    body = m.group("body")
    return (not text[m.end():].strip() and "〈" not in body
            and bool(_ORG_END.search(body) or _OTHER_BODY_END.search(body)))


def report_part(
    lines: list[str], part: int = 1, spans: list[ReportSpan] | None = None
) -> tuple[list[str], int, int]:
    """The lines of the ``part``-th report (1-based) of a 汇编, the number of reports, and where
    that report starts in ``lines`` (so its lines keep their PDF pages).  A document of one
    report is its own part 1, whole.  A part the document does not have raises ValueError.
    ``spans``: report_spans(lines) when the caller reads every part (found once, not per part)."""
    spans = report_spans(lines) if spans is None else spans
    if not 1 <= part <= len(spans):
        raise ValueError(f"part {part}: the document holds {len(spans)} report(s)")
    if len(spans) == 1:
        return lines, 1, 0
    span = spans[part - 1]
    return lines[span.start : span.end], len(spans), span.start
