"""The other ways offices print a zero in a count cell.

Tables are typed by hand in Word or a web editor, and a zero is often typed as the letter O/o
(the key next to 0, or an OCR'd copy), as 〇 or 零 (the Chinese zero), or set off by dashes the
way a page number is (-0-, －0－).  Each is the digit 0 the report prints, but only as a whole
cell: inside a word or a label the same characters are text, and a run of letters (OO, Oo) is
no number at all.  The dashes alone (—, -, /) say "not given" and stay null (tokens.NULL_MARKERS).
"""

from __future__ import annotations

import re
import unicodedata

# NFKC folds the full-width Ｏ/ｏ into O/o; 〇 (U+3007) and ○ (U+25CB, what fonts and OCR give for
# it) are the Chinese zero's glyphs, 零 its character
ZERO_LETTERS = frozenset("Oo")
ZERO_CHARACTERS = frozenset("〇○零")
# a blank cell that a note under its table says is 0 (parsers/blanknote.py), put in the cell's place
# before the table is read so that the row reads as a whole one; a private-use character no report
# prints, turned back into the blank it was once the record is built (its finding says why it is 0)
BLANK_ZERO = "\ue0b0"
# a 0 between two of the same dash or tilde (-0-, －0－, —0—, ~0~), the spaces optional
_DASHED = re.compile(r"([-—–―~])\s*0\s*\1")


def is_zero_form(text: str) -> bool:
    """Whether a whole cell's text is a zero printed other than as the digit 0."""
    t = unicodedata.normalize("NFKC", text.strip())
    if t == BLANK_ZERO:
        return True
    if len(t) == 1:
        return t in ZERO_LETTERS or t in ZERO_CHARACTERS
    return bool(_DASHED.fullmatch(t))
