"""Table 4 printed with a rate column (纠错率 %) after each group's 总计.

The rate is the office's own arithmetic on the group's counts, not a count of the template:
its cells are left out so the 15 counts stand in their places.  Only cells printed as a
percentage are dropped, and only where the header names a rate; a rate printed another way
(a dash, a bare number) leaves the row longer than 15 and the table unplaced, as before.
"""

from __future__ import annotations

import re

_RATE_HEAD = re.compile(r"[纠错维持败诉胜撤销]{1,3}率")
_PERCENT = re.compile(r"\s*[\d.]+\s*[%％]\s*")


def drop_rate_cells(lines: list[str]) -> tuple[list[str], list[str]]:
    """(lines without their percentage cells, a warning) when the header prints a rate column."""
    if not any(_RATE_HEAD.search(line) for line in lines):
        return lines, []
    out, dropped = [], 0
    for line in lines:
        parts = line.split("\t") if "\t" in line else line.split(" ")
        keep = [p for p in parts if not _PERCENT.fullmatch(p)]
        dropped += len(parts) - len(keep)
        out.append(("\t" if "\t" in line else " ").join(keep) if len(keep) < len(parts) else line)
    if not dropped:
        return lines, []
    return out, [f"table 4: {dropped} rate cells (纠错率 %) beside the counts left out"]
