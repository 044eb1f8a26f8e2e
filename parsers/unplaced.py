"""Rows whose numbers were printed but could not be put in their columns.

The table readers leave such a row null rather than guess (a number in the wrong column is worse
than none) and say so in a warning.  `meta.warnings` is not stored beside the cells, so a reader of
the database would see null cells without a reason: the warning therefore also names its table and
row (`Unplaced`), and `textparse.row_findings` turns it into a finding on the cells left null.

No parsers imports here: the table reader that makes these is also imported by an extractor
(formats/imagegrid), so whatever this module imports counts in the extraction cache's fingerprint.
"""

from __future__ import annotations


class Unplaced(str):
    """A warning (the same text as before, so every reader of warnings keeps working) that names
    the row it is about: `row` (a record key) or, where the reader had not matched the row yet,
    its printed `label`; `printed` is the row's numbers as printed."""

    table: str
    row: str | None
    label: str
    printed: str

    # defaults: pickle re-creates a str subclass from its text alone, then restores the attributes
    def __new__(cls, message: str, table: str = "", row: str | None = None, label: str = "",
                printed: str = "") -> Unplaced:
        obj = super().__new__(cls, message)
        obj.table, obj.row, obj.label, obj.printed = table, row, label, printed
        return obj
