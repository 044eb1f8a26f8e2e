"""Turn a seed text dump back into readable narrative for the replica pages.

The seed dumps break lines mid-sentence (PDF extraction), carry markdown and
`[bookmark: …]` debris and spaces between CJK and digits; a portal page shows
clean paragraphs.  The tables are not taken from the text: the pages render
them from the expected record, so the narrative keeps only the preamble,
section 一 and sections 五–六.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》、，。：；（）"
SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[ \t]+|[ \t]+(?=[{CJK}])")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])")
SECTION = re.compile(r"^([一二三四五六七八九十]|\d)[、.．]\s*\S")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
TERMINAL = tuple("。！？：；")


@dataclass(frozen=True)
class Seed:
    key: str  # "000"
    record: dict
    title: str
    narrative: str  # paragraphs, one per line


def _clean(line: str) -> str:
    line = re.sub(r"\[bookmark:[^\]]*\]", "", line)
    line = re.sub(r"^\s*#+\s*", "", line)
    line = re.sub(r"<(https?://[^>]+)>", r"\1", line)
    line = line.replace("\u3000", " ").strip()
    return SPACE_NEAR_CJK.sub("", line)


def _paragraphs(lines: list[str]) -> list[str]:
    paras: list[str] = []
    for line in lines:
        if not line:
            continue
        prev = paras[-1] if paras else ""
        prev_is_heading = bool(HEADING.match(prev)) and len(prev) < 30 and "。" not in prev and not prev.endswith(TERMINAL)
        new = (
            not paras
            or prev.endswith(TERMINAL)
            or prev_is_heading
            or HEADING.match(line)
            or DATE_LINE.match(line)
            or line.startswith(("一是", "下一步"))
        )
        if new:
            paras.append(line)
        else:
            paras[-1] = prev + line
    return paras


def split_seed_text(text: str) -> tuple[str, str]:
    """(title, narrative) from a seed dump; narrative drops sections 二–四 (the tables)."""
    lines = [_clean(raw) for raw in text.splitlines()]
    lines = [ln for ln in lines if ln]
    title_parts: list[str] = []
    while lines:
        title_parts.append(lines.pop(0))
        if title_parts[-1].endswith("报告"):
            break
    title = "".join(title_parts)
    kept: list[str] = []
    skipping = False
    for line in lines:
        m = SECTION.match(line)
        if m and len(line) < 40 and not re.search(r"\t|\d\s+\d", line):
            numeral = m.group(1)
            if numeral in ("二", "三", "3", "四"):
                skipping = True
            elif numeral in ("五", "六"):
                skipping = False
        if not skipping:
            kept.append(line)
    return title, "\n".join(_paragraphs(kept))


def load_seeds() -> list[Seed]:
    seeds = []
    for txt in sorted(SEEDS_DIR.glob("*.txt")):
        record = json.loads(txt.with_suffix(".expected.json").read_text(encoding="utf-8"))
        title, narrative = split_seed_text(txt.read_text(encoding="utf-8"))
        seeds.append(Seed(txt.name[:3], record, title, narrative))
    return seeds
