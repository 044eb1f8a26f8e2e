"""The other ways offices print a zero in a count cell.

Tables are typed by hand in Word or a web editor, and a zero is often typed as the letter O/o
(the key next to 0, or an OCR'd copy), as 〇 or 零 (the Chinese zero), or set off by dashes the
way a page number is (-0-, －0－).  Each is the digit 0 the report prints, but only as a whole
cell: inside a word or a label the same characters are text, and a run of letters (OO, Oo) is
no number at all.  The dashes alone (—, -, /) say "not given" and stay null (tokens.NULL_MARKERS).

〇, 零 and -0- are zeros wherever a cell holds them alone.  A letter alone is a zero only where it
stands among a table row's numbers (tokens.letter_zeros): elsewhere an O is a letter.  Such a
letter is put in the row as a private-use stand-in of one character (the layout of a text dump
keeps its columns), which is a value to the readers, and the cell's raw text is given back its
letter once the record is built (``restore``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# NFKC folds the full-width Ｏ/ｏ into O/o; 〇 (U+3007) and ○ (U+25CB, what fonts and OCR give for
# it) are the Chinese zero's glyphs, 零 its character
ZERO_LETTERS = frozenset("OoＯｏ")
ZERO_CHARACTERS = frozenset("〇○零")
# each zero letter's stand-in in a table row (private-use characters no report prints)
LETTER_MARKS = {ch: chr(0xE0C0 + i) for i, ch in enumerate(sorted(ZERO_LETTERS))}
_LETTERS_BACK = {m: ch for ch, m in LETTER_MARKS.items()}
# a blank cell that a note under its table says is 0 (parsers/blanknote.py), put in the cell's place
# before the table is read so that the row reads as a whole one; a private-use character no report
# prints, turned back into the blank it was once the record is built (its finding says why it is 0)
BLANK_ZERO = "\ue0b0"
# a blank cell whose column the table's cell grid proves, with no such note (blanknote.place): it
# stays blank and null, but holds its place so that the row's printed numbers keep their columns
BLANK_NULL = "\ue0b1"
# the cell of a column the table's header does not print at all (table 3 without a 总计 column,
# blankrows.header_six): null, holding the column's place so that the printed cells before it keep
# theirs; not a blank (a blank-means-zero note never makes it 0), given back as "" in the record
NOT_PRINTED = "\ue0b2"
# a 0 between two of the same dash or tilde (-0-, －0－, —0—, ~0~), the spaces optional
_DASHED = re.compile(r"([-—–―~])\s*0\s*\1")


def is_zero_form(text: str) -> bool:
    """Whether a whole cell's text is a zero printed other than as the digit 0."""
    t = text.strip()
    if t == BLANK_ZERO or t in _LETTERS_BACK:
        return True
    t = unicodedata.normalize("NFKC", t)
    if len(t) == 1:
        return t in ZERO_CHARACTERS
    return bool(_DASHED.fullmatch(t))


def restore(cells: list[dict[str, Any]]) -> None:
    """Each zero letter's cell given back the letter it printed (its raw held the stand-in), and a
    column's cell the table does not print given back its nothing."""
    for c in cells:
        if c["raw"] in _LETTERS_BACK:
            c["raw"] = _LETTERS_BACK[c["raw"]]
        elif c["raw"] == NOT_PRINTED:
            c["raw"] = ""
