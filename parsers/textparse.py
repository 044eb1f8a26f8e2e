"""Text of one report -> canonical record, cells, findings and metadata (`parse_text`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import (
    blanknote,
    cellunits,
    continued,
    dashnote,
    grouprows,
    identities,
    pastedge,
    subtotals,
    textend,
    truncfinding,
    zeros,
)
from .colslices import join_slices
from .formats.pdfcut import CUT_OFF
from .formats.pictables import PICTURE
from .formats.xls import NO_VALUE
from .metadata import (
    agency_from_title,
    closing_name,
    extract_metadata,
    names_report,
    parse_date,
    self_named,
    signature,
)
from .nonecount import none_as_zero_t3, none_as_zero_t4
from .pages import assign_pages, page_map, split_pages
from .reportend import report_end
from .result import ParseError, ParseResult
from .rowlabel import label_row
from .sections import (
    ReportSpan,
    attached_lines,
    find_headings,
    find_line,
    furniture_lines,
    heading_off_rows,
    join_lines,
    report_part,
    report_spans,
    section_span,
)
from .tables import (
    N_REVIEW,
    OCR_UNSURE,
    Table3,
    Table4,
    groups_add_up,
    guess_row,
    parse_table2,
    parse_table3,
    parse_table4,
)
from .template import (
    ACTIVE_ROW_LABELS,
    APPLICANT_COLS,
    MARKERS_2019,
    MARKERS_2021,
    REVIEW_COLS,
    REVIEW_GROUPS,
    ROW_LABELS,
    ROWS_2019,
    ROWS_2021,
    active_rows,
)
from .tokens import (
    BRACKET_NOTE,
    Cell,
    arabic_cells,
    bracketed_counts,
    clean_line,
    drop_remarks,
    letter_zeros,
    line_cells,
    memo_line_cells,
    normalise_text,
    numbers_apart,
)
from .traditional import NOTE as TRADITIONAL_NOTE
from .traditional import TRAD_MARKS as TRADITIONAL_MARKS
from .traditional import converter, to_simplified
from .truncation import EOF_CUT
from .unplaced import Unplaced
from .zeros import NOT_PRINTED

_T2_ANCHOR = re.compile(r"第二十条第|本年制发件数|本年新制作数量")
_T3_ANCHOR = re.compile(r"申请人情况|本年新收政府信息公开申请")
_T4_ANCHOR = re.compile(r"复议后起诉|未经复议直接起诉|结果维持|结\s*果\s*维\s*持")
_T4_GROUP = re.compile(r"行政复议|行政诉讼")
_PERIOD_YEAR = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日")


def _regions(lines: list[str], headings) -> dict[str, tuple[int, int] | None]:
    n = len(lines)
    spans = {k: section_span(headings, k, n) for k in ("active", "applications", "reviews")}
    starts = sorted(h.line for h in headings)

    def next_heading(after: int) -> int:
        return next((s for s in starts if s > after), n)

    for key, anchor in _ANCHORS:
        span = spans[key]
        if span and find_line(lines, anchor, *span) is None and not _has_rows(lines[span[0] : span[1]]):
            moved = _printed_elsewhere(lines, anchor, span)
            if moved is not None:
                spans[key] = (moved, next_heading(moved)) if key != "reviews" else (
                    _t4_header_start(lines, moved, 0), min(next_heading(moved), moved + 60))
                if key == "applications":
                    spans[key] = (_t3_header_start(lines, moved, 0), spans[key][1])
    if spans["applications"] is None:
        begin = spans["active"][0] if spans["active"] else 0
        a = find_line(lines, _T3_ANCHOR, begin)
        if a is not None:
            spans["applications"] = (_t3_header_start(lines, a, begin), next_heading(a))
    if spans["active"] is None:
        a = find_line(lines, _T2_ANCHOR)
        if a is not None:
            spans["active"] = (a, next_heading(a))
    if spans["reviews"] is None:
        begin = spans["applications"][0] if spans["applications"] else 0
        a = find_line(lines, _T4_ANCHOR, begin)
        if a is None and begin:  # a workbook's sheets in any order (表4 before 表3)
            a, begin = _printed_elsewhere(lines, _T4_ANCHOR, (begin, n)), 0
        if a is not None:
            spans["reviews"] = (_t4_header_start(lines, a, begin), min(next_heading(a), a + 60))
    # a region that swallowed another table (its heading was missing) stops where that table starts
    for key, _anchor in _ANCHORS:
        for other, _ in _ANCHORS:
            s1, s2 = spans[key], spans[other]
            if s1 and s2 and other != key and s1[0] < s2[0] < s1[1]:
                spans[key] = (s1[0], s2[0])
    return spans


_ANCHORS = (("active", _T2_ANCHOR), ("applications", _T3_ANCHOR), ("reviews", _T4_ANCHOR))
_NUMBERS_WITHIN = 12  # lines from a table's header words to its first row of numbers


def _printed_elsewhere(lines: list[str], anchor: re.Pattern[str], span: tuple[int, int]) -> int | None:
    """Where a table whose section does not print it is printed: its header words followed by
    rows of numbers, outside that section.  Reports often print 二、主动公开… (见附表一) and attach
    the tables, printed from Excel, after the signature, before the narrative or inside another
    section; the heading names the table's place in the template, not in the document, and an
    overview's （二）依申请公开… may even be taken for the heading of a section the report lacks."""
    i = find_line(lines, anchor)
    while i is not None:
        if not span[0] <= i < span[1] and any(
            len(line_cells(s).values) >= 1 and len(line_cells(s).labels) <= 3 and _has_number(s)
            for s in lines[i : i + _NUMBERS_WITHIN]
        ):
            return i
        i = find_line(lines, anchor, i + 1)
    return None


def _has_rows(lines: list[str]) -> bool:
    """Some lines print numbers as a table row does (a section whose table lacks the header
    words, garbled or reworded, still holds its table)."""
    return sum(1 for s in lines if _has_number(s)) >= 3


def _has_number(line: str) -> bool:
    return any(c.value is not None for c in line_cells(line).values)


def _t4_header_start(lines: list[str], anchor: int, begin: int) -> int:
    """First line of table 4 when no heading marks it: the anchor and the group-header
    lines (行政复议 / 行政诉讼) right above it.  Counting a fixed two lines back took
    table 3's last row (结转下年度继续办理) when table 4 has a one-line group header."""
    start = anchor
    while start > begin and anchor - start < 2 and _T4_GROUP.search("".join(lines[start - 1].split())):
        start -= 1
    return start


_T3_HEADER = re.compile(r"自然人|法人或其他组织|申请人情况|勾稽关系")


def _t3_header_start(lines: list[str], anchor: int, begin: int) -> int:
    """First line of table 3's header above its anchor (本年新收… when 申请人情况 is printed further
    on, as in a sheet printed in column slices): the header lines right above it."""
    start = anchor
    while start > begin and anchor - start < 4 and _T3_HEADER.search("".join(lines[start - 1].split())):
        start -= 1
    return start


_T4_HEADER_WORDS = re.compile(r"(?:结果|维持|纠正|其他|尚未|审结|总计|复议后起诉|未经复议直接起诉|行政复议|行政诉讼)+")


def _t4_continuation(lines: list[str], end: int) -> list[int]:
    """Table 4's lines printed after the next section's heading.

    Column-by-column dumps (pdftotext's default mode) print a page's blocks in their own order,
    so the heading of section 五 can come out in the middle of table 4's header/number pairs.
    Taken: the run of table-4 column headers and lone numbers right below that heading.
    """
    out: list[int] = []
    for i in range(end + 1, min(len(lines), end + 80)):
        words = "".join(lines[i].split())
        if not words:
            continue
        lc = line_cells(lines[i])
        if lc.values and not lc.labels and len(lc.values) == 1 or _T4_HEADER_WORDS.fullmatch(words):
            out.append(i)
        else:
            break
    return out if any(line_cells(lines[i]).values for i in out) else []


_ORG_SUFFIX = re.compile(r"(?:政府|局|办公室|委员会|委|厅|院|办|中心|处|所|队|部|站|会)$")


def _drop_signature(body: list[str], agency: str | None) -> list[str]:
    """The last section ends with the signature (body name, date): that is not narrative."""
    end = len(body)
    dated = False
    while end > 0:
        s = "".join(body[end - 1].split())
        if not s:
            end -= 1
        elif len(s) <= 16 and parse_date(s):
            end, dated = end - 1, True
        elif (
            len(s) <= 30
            and not re.search(r"[。，；：,;:]", s)
            and (s == agency or (dated and _ORG_SUFFIX.search(s)))
        ):
            end -= 1
        else:
            break
    return body[:end]


def _template(t2_text: str, t3: Table3 | None, year: int | None) -> str:
    t2_text = "".join(t2_text.split())  # narrow header cells wrap: 本年制 / 发件数
    if MARKERS_2021.search(t2_text):
        return "2021"
    if MARKERS_2019.search(t2_text):
        return "2019"
    # without table 2's headers, numbers under a pre-2019 report are its own free-form tables
    # unless their labels are the template's
    if t3 is not None and (t3.label_hits >= 8 or year is None or year >= 2019):
        return "2019" if t3.row_keys == ROWS_2019 else "2021"
    # a report under the template whose tables did not survive extraction (images) still
    # follows the template; its tables are then simply absent
    if year is not None and year >= 2019:
        return "2019" if year <= 2020 else "2021"
    return "free"


def _cell_entry(table: str, row: str, col: str, cell: Cell | None, inferred: bool = False, value=None):
    return {
        "table": table,
        "row": row,
        "col": col,
        "value": value if inferred else (cell.value if cell else None),
        "raw": None if cell is None else cell.raw,
        "inferred": inferred,
    }


def _active_record(t2: dict, template: str, cells: list) -> dict[str, Any]:
    active: dict[str, Any] = {}
    for key, _pat, cols in active_rows(template):
        got = t2.get(key) or [None] * len(cols)
        active[key] = {c: (cell.value if cell else None) for c, cell in zip(cols, got, strict=False)}
        cells += [_cell_entry("active_disclosure", key, c, cell) for c, cell in zip(cols, got, strict=False)]
    return active


def _applications_record(
    t3: Table3 | None, template: str, cells: list, findings: list, warnings: list
) -> dict[str, Any]:
    row_keys = t3.row_keys if t3 and not t3.unaligned else (ROWS_2019 if template == "2019" else ROWS_2021)
    rows: dict[str, list[Cell | None]] = dict(t3.rows) if t3 else {}
    lost = t3.lost if t3 else {}
    apps: dict[str, Any] = {}
    for r in row_keys:
        got = rows.get(r)
        apps[r] = {
            c: (None if r in lost or got is None or got[i] is None else got[i].value)
            for i, c in enumerate(APPLICANT_COLS)
        }
    # rows printed with a cell missing go back in order once every other row is known
    inferred_at: dict[str, int] = {}
    dashes = bool(lost) and any(_is_dash(c) for cells_ in [*rows.values(), *lost.values()] for c in cells_)
    for r, printed in lost.items():
        _full, p, notes = identities.place_lost_cell(apps, r, [c.value for c in printed], dashes)
        _route(notes, findings, warnings)
        if p is not None:
            inferred_at[r] = p
            rows[r] = printed[:p] + [None] + printed[p:]
        else:
            rows[r] = _agreed_cells(_full, printed)
    for r in row_keys:
        got = rows.get(r) or [None] * len(APPLICANT_COLS)
        for i, c in enumerate(APPLICANT_COLS):
            cells.append(_cell_entry("applications", r, c, got[i], inferred_at.get(r) == i, apps[r][c]))
    if t3 and t3.extra_rows:
        apps["extra_rows"] = t3.extra_rows
    return apps


def _is_dash(cell: Cell | None) -> bool:
    """A cell printed as a dash or slash (not a blank, nor the OCR's unreadable mark)."""
    return cell is not None and cell.value is None and cell.raw.strip() not in ("", OCR_UNSURE, NO_VALUE, CUT_OFF, EOF_CUT, NOT_PRINTED)


def _agreed_cells(full: list, printed: list[Cell]) -> list[Cell | None]:
    """The printed cells behind a partly placed row (column i holds printed i or i-1); a null
    column keeps a dash printed there, so that an OCR mark still names its cell."""
    out: list[Cell | None] = []
    for i, v in enumerate(full):
        near = [printed[j] for j in (i, i - 1) if 0 <= j < len(printed)]
        if v is None:
            out.append(next((c for c in near if c.value is None and c.raw == OCR_UNSURE), None))
        else:
            out.append(next((c for c in near if c.value == v), None))
    return out


def _route(notes: list[dict], findings: list, warnings: list) -> None:
    """An inferred cell and a row left (partly) null because its lost cell could not be placed are
    findings: the reader must know why a printed row is not in the record (the warning stays too)."""
    for note in notes:
        findings.append(note)
        if note["code"] != "inferred":
            warnings.append(note["message"])


def _reviews_record(t4: Table4 | None, cells: list, findings: list, warnings: list) -> dict[str, Any]:
    flat: list[Cell | None] = t4.cells if t4 else [None] * N_REVIEW
    values = [c.value if c else None for c in flat]
    inferred_idx = None
    if t4 and t4.lost is not None:
        values, inferred_idx, notes = identities.place_lost_review([c.value for c in t4.lost])
        _route(notes, findings, warnings)
        if inferred_idx is not None:
            flat = t4.lost[:inferred_idx] + [None] + t4.lost[inferred_idx:]
        else:
            flat = [None] * N_REVIEW
    reviews: dict[str, Any] = {}
    k = 0
    for g in REVIEW_GROUPS:
        reviews[g] = {}
        for c in REVIEW_COLS:
            reviews[g][c] = values[k]
            cells.append(_cell_entry("reviews_litigation", g, c, flat[k], inferred_idx == k, values[k]))
            k += 1
    return reviews


def _untagged(warning: str) -> str:
    """A table 2 reader's warning with the cells' units as printed (cellunits marked them)."""
    text = cellunits.untag(warning)
    if text == warning:
        return warning
    if isinstance(warning, Unplaced):
        return Unplaced(text, warning.table, warning.row, cellunits.untag(warning.label),
                        cellunits.untag(warning.printed))
    return text


def _unit_finding(row: str, col: str, printed: str) -> dict[str, Any]:
    """A table 2 cell printed with a unit that is not its column's: null, never converted."""
    unit = "万元" if col in cellunits.AMOUNT_COLUMNS else "件/项/个"
    return identities.finding(
        "source", "unit_mismatch", [f"active_disclosure.{row}.{col}"], printed, None,
        f"表二“{ACTIVE_ROW_LABELS.get(row, row)}”此格印“{printed}”，单位与本栏（{unit}）不同，未换算，记为空，请对照原件",
    )


def _unaligned_finding(table: str, name: str) -> dict[str, Any]:
    """The reader must know that a table's numbers were printed but could not be placed."""
    return identities.finding(
        "layout",
        "unaligned",
        [table],
        None,
        None,
        f"{name}的数字无法对齐到表格（按列或乱序印出、混入他表数字或缺格过多），整表未录入",
    )


# Words only a table's own header and rows print (a narrative names 行政复议, not 复议后起诉), one set
# per template where the templates' headers differ (table 2: 2019's 本年新制作…, 2021's 本年制发件数…):
# when all of a set are in the text, the table was printed as text but its layout could not be read.
_TABLE_WORDS = {"active_disclosure": (("本年新制作", "本年新公开", "上一年项目"),
                                      ("本年制发件数", "本年废止件数", "本年处理决定数量")),
                "applications": (("本年新收", "上年结转", "予以公开", "不予公开", "不予处理"),),
                "reviews_litigation": (("未经复议直接起诉", "复议后起诉"),)}


def _guarded(reader: Callable[..., Any], failed: dict[str, str], key: str, *args: Any) -> Any:
    """A table reader's result, or None when it fails on a layout it was not written for.

    One table's reader tripping over an odd dump must not lose the report: the other tables,
    the metadata and the narrative still read, and the table is said to be unread (`failed`,
    a finding), never filled with a guess.  `key` "" : a second try whose failure says nothing new."""
    try:
        return reader(*args)
    except (RecursionError, MemoryError):
        raise
    except Exception as err:  # noqa: BLE001 (any internal failure; the report is kept either way)
        if key:
            failed[key] = f"{type(err).__name__}: {str(err).splitlines()[0][:80] if str(err) else ''}"
        return None


def _missing_findings(record: dict[str, Any], pictured: bool, text: str = "",
                      failed: dict[str, str] | None = None, later_page: bool = False) -> list[dict[str, Any]]:
    """A template table absent from the record: the reader must tell "not printed" from "a picture"
    from "printed, but not read" (a page layout such as two pages on one sheet that scrambled it)
    from "the reader failed on it" (`failed`: table key -> the internal error) from "on an earlier
    page" (`later_page`: this page begins inside table 3, so table 2 was printed before it); a scan
    whose OCR left marks (OCR_UNSURE) is said to be unread, not unprinted."""
    where = "，文中有图片（表格可能以图片印出，未能识别）" if pictured else "（未印出，或以图片等非文字形式印出）"
    out = []
    for key, name in (("active_disclosure", "表二"), ("applications", "表三"), ("reviews_litigation", "表四")):
        if record[key] is not None:
            continue
        if failed and key in failed:
            out.append(identities.finding("layout", "reader_failed", [key], None, None,
                                          f"{name}的版式未能读出（读表程序内部错误：{failed[key]}），整表记为空，请对照原件"))
            continue
        if later_page and key == "active_disclosure":
            message = f"{name}在前一页（本页从表三中间续起，是分页发布的文章的后一页），整表记为空；合并各页读取可得全表"
        elif any(all(w in text for w in words) for words in _TABLE_WORDS.get(key, ())):
            # (OCR marks what it could not read: a scan's table is printed, its reading failed)
            why = "扫描件识别不清" if OCR_UNSURE in text else "版面顺序打乱或表格被拆开"
            message = f"{name}的文字印在报告中，但未能按表格读出（{why}），整表记为空，请对照原件"
        else:
            message = f"{name}不在报告文本中{where}，整表记为空"
        out.append(identities.finding("layout", "table_missing", [key], None, None, message))
    return out


# The record's narrative parts.  A template report prints 二/三/四 as tables (its numbers are the
# record's cells); a free-form report (before 2019) gives them, and 收费及减免, in prose: its
# statistics are words a reader searches for, kept as text under the part's own key, never as cells.
_TEMPLATE_SECTIONS = ("overview", "problems", "other")
_FREE_SECTIONS = ("overview", "active", "applications", "fees", "reviews", "problems", "other")


def _sections(lines: list[str], headings, agency: str | None, template: str) -> dict[str, str | None]:
    sections: dict[str, str | None] = {}
    furniture = furniture_lines(lines, {h.line for h in headings})
    for kind in _FREE_SECTIONS if template == "free" else _TEMPLATE_SECTIONS:
        span = section_span(headings, kind, len(lines))
        body = [] if span is None else [h.rest for h in headings if h.kind == kind and h.rest] + [
            line for i, line in enumerate(lines[span[0] : span[1]], span[0]) if i not in furniture
        ]
        if span is not None and span[1] == len(lines):  # the report ends at its signature, not with the page around it
            body = _drop_signature(report_end(body, agency), agency)
        if kind == "active":  # a part on 政策解读/回应关切 or 重点领域 (free-form): 主动公开, with its heading
            for idx, h in enumerate(headings):
                if h.kind == "active_part":
                    end = headings[idx + 1].line if idx + 1 < len(headings) else len(lines)
                    more = [h.text, h.rest] + [line for i, line in enumerate(lines[h.line + 1 : end], h.line + 1)
                                               if i not in furniture]
                    body += _drop_signature(report_end(more, agency), agency) if end == len(lines) else more
                    span = span or (h.line, end)
        sections[kind] = None if span is None else join_lines(body)
    return sections


_TABLE_REGIONS = (("active_disclosure", "active"), ("applications", "applications"), ("reviews_litigation", "reviews"))


def _report_pages(all_lines: list[str], lines: list[str], start: int,
                  pages: list[int | None] | None) -> list[int | None] | None:
    """The pages of the lines the parser reads (the first report of a 汇编 is the slice from ``start``)."""
    if pages is None or len(pages) != len(all_lines):
        return None
    return pages if lines is all_lines else pages[start : start + len(lines)]


def _row_namers(template: str) -> dict[str, Callable[[str], str | None]]:
    """Label text -> the row it names, per table: how a cell's page is told from its row's label."""
    rows = [(key, re.compile(pat)) for key, pat, _cols in active_rows(template)]

    def active(label: str) -> str | None:
        hits = {key for key, rx in rows if rx.search(label)}
        return hits.pop() if len(hits) == 1 else None

    return {"applications": label_row, "active_disclosure": active}


def parse_text(text: str, pdf: bool = False, part: int | None = None, cut: bool = False,
               plain: bool = True) -> ParseResult:
    """Parse the text of one annual report (any extractor's output, or a messy dump).

    ``pdf``: the text is the PDF extractor's, so its cells get their pages (pages.split_pages).
    ``part``: the k-th (1-based) report of a 汇编 (sections.report_spans), its cells keeping the
    document's PDF pages; None reads the first and warns when there are more (`parse_parts`).
    ``cut``: the document ends early (parsers/truncation.py: inside a table, a PDF's pages lost): table 3's rows after the last
    one printed were never reached, so the reader does not stretch the printed rows over them.
    ``plain``: the text is the document itself (a text dump), not an extractor's reading of a PDF,
    page or workbook: only then may it stop inside a table with no mark of the cut (textend).
    """
    if not text or not text.strip():
        raise ParseError("empty text")
    with memo_line_cells():
        return _parse(_prepare(text, pdf, cut, plain), part)


def parse_parts(text: str, pdf: bool = False, cut: bool = False, plain: bool = True) -> list[ParseResult]:
    """Every report of a 汇编, one result each in print order (a single report: a list of one).

    The document is normalised once and each body's report sliced from it (a 汇编 of a hundred
    bodies would otherwise be normalised a hundred times)."""
    if not text or not text.strip():
        raise ParseError("empty text")
    with memo_line_cells():
        doc = _prepare(text, pdf, cut, plain)
        first = _parse(doc, 1)
        count = (first.meta.get("bundle") or {}).get("parts", 1)
        return [first, *(_parse(doc, k) for k in range(2, count + 1))]


@dataclass(frozen=True)
class _Document:
    """A document's text as every report in it is read: pages split off, normalised, simplified."""

    text: str
    lines: tuple[str, ...]
    line_pages: list[int | None] | None
    traditional: bool
    spans: list[ReportSpan]  # the reports of a 汇编 (one when it is no 汇编)
    past_edge: frozenset[int] = frozenset()  # table rows that ran on past a PDF page's edge (pastedge)
    cut: bool = False  # the document ends inside a table (truncation)
    plain: bool = True  # a text dump: its end may be an unmarked cut (textend)


def _prepare(text: str, pdf: bool, cut: bool = False, plain: bool = True) -> _Document:
    text, line_pages = split_pages(heading_off_rows(text), pdf)  # a PDF's page breaks: provenance only, not text
    text, traditional = to_simplified(normalise_text(text))  # 繁体 reports read as simplified
    lines, past_edge = pastedge.split_marks([clean_line(s) for s in text.splitlines()])
    if past_edge:
        text = pastedge.strip(text)
    return _Document(text, tuple(lines), line_pages, traditional, report_spans(lines), past_edge, cut, plain)


def page_meta(text: str) -> dict[str, Any]:
    """What a page's extracted text says about itself (title, agency, year, `posted` date), read the
    way a report's is but without asking it to be one: an article that only carries the report's
    file (a title, 发布时间, 附件：…) is no report to parse, yet it says when the file was posted.
    A 繁體 copy of an article under the portal's simplified chrome (menus, sidebar, footer) is too
    mixed to count as traditional, yet its title is the report's: any traditional character folds."""
    if any(c in text for c in TRADITIONAL_MARKS):
        text = converter().convert(text)
    return extract_metadata(list(_prepare(text, False).lines))


def _reads_as_report(lines: list[str], meta: dict[str, Any], headings) -> bool:
    """Without the template's tables, a document is an annual report only if it says so: most of
    the report's parts under their headings (a free-form report before 2019), or a title naming a
    政府信息公开年度报告 whose body the report itself names or whose parts are there.  A portal files
    its 指南, 工作要点, 网站年度报表 and 考核通报 in the same column; accepted, they would fill the
    completeness matrix with (agency, year) rows of no report."""
    if meta["agency"] is None:
        return False
    if len(headings) >= 3:
        return True
    title = meta["title"]
    return names_report(title) and bool(
        headings or agency_from_title(title) or self_named(lines) or signature(lines) or closing_name(lines)
    )


def _bundle_kind(spans: list[ReportSpan]) -> str:
    """Whose reports a 汇编 holds: several bodies', or one body's of several years."""
    return "bodies'" if len({s.body for s in spans}) == len(spans) else "years'/bodies'"


def _cover_year(cover: list[str]) -> int | None:
    """The year a 汇编's cover (the lines before its first report) names for all its reports."""
    meta = extract_metadata(cover) if any(s.strip() for s in cover) else None
    return meta["year"] if meta else None


# a name only a division bears (…县, …市, …区 but not a zone's: 高新区, 经济开发区, 新区 …)
_DIVISION_LIKE = re.compile(r".{1,8}[县市区旗]")
_ZONE_LIKE = re.compile(r"(?:开发|高新|园|新|试验|示范|保税|合作|实验|功能|管理|景|片|城|旅游|产业)区$")


def _unknown_place(agency: str | None, region: dict[str, Any] | None) -> list[str]:
    """A body placed in a county or city that no division table knows (its province unknown): an OCR
    misreading of a rare character (濉溪县 read 溪县, 沭阳县 read 沐阳县) or a name the tables lack.  The
    agency is what the completeness matrix and the carry-over check match on, so it is said, not
    corrected: the printed name stays as read."""
    from .divisions import FORMER, by_name

    region = region or {}
    place = region.get("county") or region.get("city")
    if not agency or not place or region.get("province") or not _DIVISION_LIKE.fullmatch(place) \
            or _ZONE_LIKE.search(place) or by_name(place) or place in FORMER:
        return []
    return [f"the body's place {place} is in no division table (an OCR misreading, or a place the tables lack):"
            " its province and city are unknown"]


_PAST_EDGE_FILL = {"applications": pastedge.fill_table3, "reviews": pastedge.fill_table4}


def _parse(doc: _Document, part: int | None = None) -> ParseResult:
    text, line_pages, traditional = doc.text, doc.line_pages, doc.traditional
    all_lines = list(doc.lines)  # the reading below may change its lines
    try:
        lines, bundled, start = report_part(all_lines, part or 1, doc.spans)
    except ValueError as err:
        raise ParseError(str(err)) from None
    line_pages = _report_pages(all_lines, lines, start, line_pages)
    meta = extract_metadata(lines)
    headings = find_headings(lines)
    spans = _regions(lines, headings)

    read: dict[str, list[str]] = {}  # each region is read once (until `lines` changes, below)
    # "（6）" a count only where a note says what the brackets hold (else a column's or item's number)
    brackets_counted = any(BRACKET_NOTE.search(s) for s in lines)
    zero_notes = blanknote.covered(lines, spans)  # 注：表中空白单元格表示数量为0: blanks that are zeros
    dash_notes = dashnote.covered(lines, spans)  # 注：表中“—”表示数量为零 (空白或“—”: a blank note too)
    for key, (note, marks) in dash_notes.items():
        if dashnote.BLANK in marks:
            zero_notes.setdefault(key, note)

    def region(key: str) -> list[str]:
        span = spans.get(key)
        if not span:
            return []
        if key not in read:
            part = lines[span[0] : span[1]]
            cut = {i - start - span[0] for i in doc.past_edge} & set(range(len(part)))
            if cut and key in _PAST_EDGE_FILL:  # columns a PDF page's edge cut off: null, cut_off
                part = _PAST_EDGE_FILL[key](part, cut)
            # tables 3 and 4 are counts: some bodies write them in words (三, 十二, 零)
            part = drop_remarks(part)
            if brackets_counted:
                part = [bracketed_counts(s) for s in part]
            part = [letter_zeros(s) for s in part]  # zeros typed as the letter O among a row's numbers
            read[key] = [arabic_cells(s) for s in part] if key != "active" else part
            if key == "applications":
                read[key] = join_slices(read[key])  # table 3 printed in column slices
                if key in zero_notes:
                    read[key] = blanknote.fill(read[key], cell_rows=line_pages is None)
                else:  # no note on blanks: they stay null, held in the columns the grid proves
                    read[key] = blanknote.place(read[key], cell_rows=line_pages is None)
        return list(read[key])

    failed: dict[str, str] = {}  # table key -> why its reader gave up (the rest of the record stays)
    t2_lines = region("active")
    last_part = bundled <= 1 or (part or 1) == bundled
    # a text that stops inside a table with no mark of a cut (textend): read as cut there
    ended = textend.table_at_end(lines, spans) if doc.plain and last_part and not doc.cut else None
    # a document cut inside table 3 (no table 4 after it): the template's rows after its last printed one are lost
    open_end = (doc.cut and last_part and not spans.get("reviews")) or ended == "applications"
    # a page begun inside table 3 (the later page of a split article, parsed alone): the rows it proves
    later_page = continued.find(lines, headings) if not spans.get("applications") else None
    if later_page is not None:
        spans["applications"] = later_page.span
        t3 = later_page.table
    else:
        t3 = _guarded(parse_table3, failed, "applications", region("applications"), open_end,
                      ended == "applications") if spans.get("applications") else None
    if t3 is not None and len(t3.rows) < 5 and later_page is None:
        t3 = None  # a few stray numbers are not table 3
    template = _template("\n".join(t2_lines), t3, meta["year"])
    if open_end and t3 is not None and not t3.unaligned and template != "free":
        t3.row_keys = textend.template_rows(t3.row_keys, t3.rows, template)
    if template == "free":
        t3 = None
    t2_warnings: list[str] = []
    t2 = (_guarded(parse_table2, failed, "active_disclosure", [cellunits.tag(s) for s in t2_lines], template,
                   t2_warnings) or {}) if template != "free" else {}
    # 3535.13万元 under 采购总金额 is 3535.13; 30747000元 there (or 12万元 under a count) is null
    t2, unit_mismatches = cellunits.settle(t2, {key: cols for key, _pat, cols in active_rows(template)})
    t2_warnings = [_untagged(w) for w in t2_warnings]
    t4 = _guarded(parse_table4, failed, "reviews_litigation", region("reviews")) \
        if template != "free" and spans.get("reviews") else None
    t4_extra: list[tuple[int, str]] = []  # table 4's lines past its region, for their pages
    if t4 is not None and t4.unaligned and spans.get("reviews"):
        more = _t4_continuation(lines, spans["reviews"][1])
        t4_more = _guarded(parse_table4, failed, "", region("reviews") + [lines[i] for i in more]) if more else None
        # taken only when each group adds up: the page's block order may also have moved numbers
        if t4_more is not None and not t4_more.unaligned and t4_more.lost is None and groups_add_up(t4_more.cells):
            t4 = t4_more
            t4_extra = [(i, lines[i]) for i in more]
            for i in more:  # table cells, not the narrative of the section they landed in
                lines[i] = ""
            read.clear()

    t3 = none_as_zero_t3(t3)  # 无 under a count: none of them
    t4 = none_as_zero_t4(t4, region("reviews") + [s for _, s in t4_extra]) if spans.get("reviews") else t4
    # blank cells a note under the table says are zeros (注：表中空白单元格表示数量为0)
    if template == "free":
        zero_notes, dash_notes = {}, {}
    t2, t3, t4, zeroed = blanknote.apply(zero_notes, {k: region(k) for k in ("applications", "reviews")}, t2, t3, t4,
                                         template)
    t2, t3, t4, dashed = dashnote.apply(dash_notes, t2, t3, t4, template)  # 注：“—”表示0
    if t3 is None and not t2 and not _reads_as_report(lines, meta, headings):
        raise ParseError("not an annual report")

    year = meta["year"]
    if year is None:
        # a 汇编's part reads its own text, then the cover's year (its parts' titles may print none)
        m = _PERIOD_YEAR.search("\n".join(lines) if bundled > 1 else text)
        if m:
            year = int(m.group(1))
        elif bundled > 1 and (cover := _cover_year(all_lines[: doc.spans[0].start])) is not None:
            year = cover
        elif meta["published"]:
            year = int(meta["published"][:4]) - 1

    cells: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    warnings: list[str] = t2_warnings + (t3.warnings if t3 else []) + (t4.warnings if t4 else [])
    if meta.get("year_note"):
        warnings.append(meta["year_note"])
    record: dict[str, Any] = {"agency": meta["agency"], "year": year, "template": template}
    # a table the text does not contain at all (free-form report, tables printed as images)
    # is null as a whole; a table that is there has every template cell, null where blank
    record["active_disclosure"] = _active_record(t2, template, cells) if t2 else None
    record["applications"] = _applications_record(t3, template, cells, findings, warnings) if t3 else None
    record["reviews_litigation"] = _reviews_record(t4, cells, findings, warnings) if t4 else None
    # a free-form report's parts are all narrative: a row of the 统计表 attached after its signature
    # (三、依申请公开情况) is none of them, though its number may fit better than the part's own
    narrative = headings
    if template == "free":
        narrative = find_headings(lines, attached_lines(lines), active_parts=True)
    record["sections"] = _sections(lines, narrative, meta["agency"], template)

    findings = identities.check_record(record) + findings
    zeros.restore(cells)  # a zero typed as a letter: its cell's raw is the letter again
    findings += blanknote.findings(zero_notes, zeroed, cells) + dashnote.findings(dash_notes, dashed, cells)
    findings += [_unit_finding(*m) for m in unit_mismatches]
    findings += subtotals.findings(warnings, record["applications"], guess_row)
    findings += grouprows.findings(warnings, record["applications"])
    if t3 is not None and t3.unaligned:
        findings.append(_unaligned_finding("applications", "表三"))
    if t4 is not None and t4.unaligned:
        findings.append(_unaligned_finding("reviews_litigation", "表四"))
    if t4 is not None and t4.unread:  # 行政诉讼 printed as one group of five: neither of the template's two
        findings.append(identities.finding(
            "layout", "unaligned", [f"reviews_litigation.{g}.{c}" for g in t4.unread for c in REVIEW_COLS], None, None,
            "表四的行政诉讼只印合并的一组数字（未分未经复议直接起诉、复议后起诉），无法对应到模板的两组，这两组未录入"))
    whole = {k for k, t in (("applications", t3), ("reviews_litigation", t4)) if t is not None and t.unaligned}
    findings += identities.row_findings(warnings, record, whole)
    if template != "free":
        findings += _missing_findings(record, PICTURE in lines, "".join(lines), failed, later_page is not None)
    if later_page is not None and record["applications"] is not None and (earlier := continued.earlier_cells(later_page)):
        findings.append(identities.finding(
            "layout", "table_continued", earlier, None, None,
            f"本页从表三中间续起（自“{ROW_LABELS[later_page.first]}”起），表头和此前各行印在前一页（文章分页发布），"
            "这些格记为空；合并各页读取可得全表"))
    findings += identities.check_narrative(record["sections"].get("overview") or "", record)
    # OCR prints U+FE58 (a dash to the parser, so the cell is null) for a number it could not read
    findings += [identities.finding("ocr", "ocr_uncertain", [f"{c['table']}.{c['row']}.{c['col']}"], None, None,
                                    "扫描件此格未能可靠识别，记为空，请对照原件核对")
                 for c in cells if c["raw"] == OCR_UNSURE]
    # a figure cut by the page's edge (the PDF extractor marks it CUT_OFF, pdfcut), or in a column
    # wholly past it (pastedge)
    findings += [identities.finding("layout", "cut_off", [f"{c['table']}.{c['row']}.{c['col']}"], None, None,
                                    "此格超出页面边缘（只印出一部分或整列未印出），无法读取，记为空，请对照原件核对")
                 for c in cells if c["raw"] == CUT_OFF]
    # a spreadsheet formula saved without its computed value (the extractor marks it NO_VALUE)
    formulas = [f"{c['table']}.{c['row']}.{c['col']}" for c in cells if c["raw"] == NO_VALUE]
    if formulas:
        findings.append(identities.finding("source", "formula_uncached", formulas, None, None,
                                           f"表格中{len(formulas)}格是公式，文件未保存计算结果（保存前未重算），记为空"))

    regions = {table: list(zip(range(*spans[key]), region(key), strict=True))
               for table, key in _TABLE_REGIONS if line_pages and spans.get(key)}
    if t4_extra:
        regions["reviews_litigation"] = regions.get("reviews_litigation", []) + t4_extra
    assign_pages(cells, regions, line_pages, _row_namers(template) if line_pages else None)  # (namers: PDF pages only)

    meta_out = {
        "title": meta["title"],
        "level": meta["level"],
        "kind": meta["kind"],
        "region": meta["region"],
        "published": meta["published"],
        "posted": meta["posted"],
        "signed": meta["signed"],
        "template": template,
        "sections_found": [h.kind for h in narrative],
        "warnings": [str(w) for w in warnings]  # plain text (a reader's Unplaced names its row)
        + ([f"{bundled} {_bundle_kind(doc.spans)} reports in one document (汇编): only the first one read;"
             " `nianbao parse FILE --all` (parsers.parse_parts) reads every one"] if bundled > 1 and part is None else [])
        + ([TRADITIONAL_NOTE] if traditional else [])
        + _unknown_place(record.get("agency"), meta["region"]),
    }
    # a cell printing two numbers side by side in one text ("350 349") is null, and said so as the
    # HTML reader says it of numbers in separate elements
    apart = [f"a table cell prints numbers apart ({c['raw']}, {c['table']}.{c['row']}.{c['col']}): "
             "no one number is its value" for c in cells if c["value"] is None and c["raw"] and numbers_apart(c["raw"])]
    if apart:
        meta_out["skipped"] = apart
    if bundled > 1:  # which report of the 汇编 this is (archive/reparse.py stores every part)
        meta_out["bundle"] = {"part": part or 1, "parts": bundled}
    if any(c["page"] is not None for c in cells):
        meta_out["pages"] = page_map(cells)
    result = ParseResult(record=record, findings=findings, meta=meta_out, cells=cells)
    # table 4 at the end is how a complete dump ends: only one the text stops before reading is cut
    if template != "free" and ended and (ended != "reviews" or t4 is None or t4.unaligned):
        truncfinding.add(result, {"where": "text", "quote": textend.quote(lines)})
    return result
