"""A table 2 row whose label is misspelt (行政计可 for 行政许可), placed by where it is printed.

A label that matches no row is not read by its words.  But table 2's rows come in the template's
order, and when every other row is printed under its own label in that order, the one slot left
is the misspelt row's: its neighbours' labels prove which row it is.  The label must still be the
row's label but for one character typed wrong: a row the report adds in that place (行政确认), a label
of other words or one that lost characters is not read, whatever its place.  Anything less
certain stays null with its `row_unplaced` finding, as before.

No parsers imports beyond the template: the table reader that uses this is also imported by an
extractor (formats/imagegrid), whose cache fingerprint counts what it imports.
"""

from __future__ import annotations

from .template import ACTIVE_ROW_LABELS


def one_slip(printed: str, label: str) -> bool:
    """Whether ``printed`` is ``label`` with one character typed wrong (the same length, one
    character differing; at least three agreeing, so a short label is not guessed).  A label that
    lost a character (an OCR'd 行政处 for 行政处罚) is not taken: the scan may have lost more of that
    row, and it stays null with its finding quoting the number."""
    if len(printed) != len(label) or len(label) < 4:
        return False
    return sum(a != b for a, b in zip(printed, label, strict=True)) == 1


def slot_row(order: list[str | None], label: str, template_rows: list[str]) -> str | None:
    """The row a misspelt label stands for, or None when its place does not prove it.

    ``order``: the rows of the table in printed order, the misspelt row as None (exactly one);
    ``template_rows``: the template's rows of table 2 in order."""
    if order.count(None) != 1 or len(order) != len(template_rows):
        return None
    at = order.index(None)
    key = template_rows[at]
    if [k for k in order if k is not None] != [k for k in template_rows if k != key]:
        return None  # not every other row printed once, in the template's order
    names = {ACTIVE_ROW_LABELS.get(key, "")}
    if key == "normative_documents":
        names.add("规范性文件")  # the 2019 template's word
    return key if any(one_slip(label, name) for name in names if name) else None
