"""The `truncated` finding of a document cut short (parsers/truncation.py marks the cut; this says it).

Kept out of truncation.py, which the extractors import: the extraction cache's fingerprint follows
the extractors' imports, and a finding's wording is the core parser's, not extraction's.
"""

from __future__ import annotations

from typing import Any

from parsers.identities import finding
from parsers.truncation import EOF_CUT

_TABLES = (("active_disclosure", "表二"), ("applications", "表三"), ("reviews_litigation", "表四"))


def add(result: Any, cut: dict[str, str]) -> None:
    """A `truncated` finding (identity `source`) on a result whose document ends early: it names the
    cells at the cut (EOF_CUT) and quotes the end (a PDF: which pages the cut damaged); `table_missing`
    of a table after the last one read says the document is cut, not that the table was not printed."""
    at = [f"{c['table']}.{c['row']}.{c['col']}" for c in result.cells if c["raw"] == EOF_CUT]
    read = {c["table"] for c in result.cells if c["value"] is not None or c["raw"] == EOF_CUT}
    # the table the cut is in: the one holding the cut cell; without one (the cut row was not read, or
    # the cut fell between rows) the last table read may end before the cut, so none is named
    inside = next((name for key, name in reversed(_TABLES) if key in read), None)
    named = next((name for key, name in _TABLES if at and at[0].startswith(key + ".")), None)
    if cut["where"] == "pdf":
        what = f"文件不完整：{cut['quote']}；只读取完整的页，其余内容记为空"
    elif cut["where"] == "text":  # no mark of a cut: the text stops inside a table (parsers/textend.py)
        what = (f"文本在{inside or '表格'}中途结束（末尾印出“…{cut['quote']}”），其后各行未印出，文件可能不完整"
                + ("；最后一行的数字不能确认完整，记为空" if at else "") + "；未印出的单元格记为空")
    else:
        where = (f"在{named}中途" if named else "在表格中途") if cut["where"] == "table" else "提前"
        what = (f"文件不完整：文档{where}结束（末尾印出“…{cut['quote']}”），其后内容缺失"
                + ("；截断处的数字不能确认完整，记为空" if at else "") + "；未印出的单元格记为空")
    missing = [k for k, _ in _TABLES if result.record.get(k) is None]
    result.findings.append(finding("source", "truncated", at or missing or [k for k, _ in _TABLES if k in read][-1:],
                                   None, None, what + "，请取得完整文件核对"))
    keys = [k for k, _ in _TABLES]
    after = keys[keys.index(next(k for k, n in _TABLES if n == inside)) + 1:] if inside else keys
    for f in result.findings:
        if f["code"] == "table_missing" and f["cells"] and f["cells"][0] in after:
            name = dict(_TABLES)[f["cells"][0]]
            f["message"] = f"{name}不在读出的文本中：文件不完整（被截断），整表记为空，请取得完整文件核对"
    result.meta.setdefault("warnings", []).append(
        f"the document is truncated: {cut['quote']}" if cut["where"] == "pdf" else
        f"the document is truncated: it ends inside a table (…{cut['quote']})" if cut["where"] == "table" else
        f"the text stops inside a table (…{cut['quote']}): it may be cut" if cut["where"] == "text" else
        f"the document is truncated (…{cut['quote']})")
