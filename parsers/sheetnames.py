"""The names of a workbook's sheets, for the year they print (2019年表二, 2019年表三, 2019年表四).

A statistics workbook's title row may print no year ("…政府信息公开工作年度报告统计表") while every
sheet is named with it: a reader takes the year from the tabs.  The extractor keeps the names of
the sheets it read in a line of its own (``note``) only when one of them holds a number that may
be a year; the line is taken out of the text before it is parsed (``split``), and the year is used
only when the text prints none and every sheet that names a year names the same one (``year``),
said in the warnings.
No parsers imports at module level: the spreadsheet extractor imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MARK = "\x00nianbao-sheets: "
_YEARISH = re.compile(r"(?:19|20)\d\d")


def note(names: Iterable[str]) -> list[str]:
    """The line that carries the sheet names, when one may name a year (else none)."""
    names = [n.replace("\t", " ").replace("\n", " ") for n in names]
    return [MARK + "\t".join(names)] if any(_YEARISH.search(n) for n in names) else []


def split(text: str) -> tuple[str, list[str]]:
    """(text without the sheet-names line, the names)."""
    if MARK not in text:
        return text, []
    kept, names = [], []
    for line in text.split("\n"):
        if line.startswith(MARK):
            names += line[len(MARK):].split("\t")
        else:
            kept.append(line)
    return "\n".join(kept), names


def year(names: list[str]) -> int | None:
    """The year the sheet names give: every name that names a year names this one."""
    from parsers.metadata import year_from_title

    years = {y for n in names if (y := year_from_title(n)) is not None}
    return years.pop() if len(years) == 1 else None
