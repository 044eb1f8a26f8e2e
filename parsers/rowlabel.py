"""Which table 3 row a printed label names: its numbering and its words must agree.

Apart from template.py because the words are judged by tables.guess_row: template.py stays a module of
constants that any reader (an extractor too) can import without pulling in the table readers, whose
edits must not change the extraction cache's fingerprint (archive/extract_cache.py).
"""

from __future__ import annotations

from .template import STRUCTURE_ROWS, label_structure
from .tokens import parse_memo


def label_row(label: str) -> str | None:
    """The table 3 row a fully printed label names, or None when it does not name one for certain.

    The group prefix with its item number (（三）… 1.) and the label's words must agree: a label
    whose numbering says one row and whose words say another names neither.  Rows printed out of
    the template's order can be placed only by labels that identify them this way.
    """
    memo = parse_memo()  # (table 3's reader and the page finder ask about the same labels)
    if memo is None:
        return _label_row(label)
    key = (label_row, label)
    if key not in memo:
        memo[key] = _label_row(label)
    return memo[key]


def _label_row(label: str) -> str | None:
    from .tables import guess_row  # tables imports this module

    words = guess_row(label)
    s = label_structure(label)
    numbered = STRUCTURE_ROWS.get(s) if s is not None else None
    if s is not None and s[0].endswith("、"):
        numbered = None  # a section number alone (四、…) also heads the next table: the words decide
    if numbered is not None and words is not None and numbered != words:
        return None
    return numbered or words
