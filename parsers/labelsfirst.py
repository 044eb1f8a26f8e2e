"""Table 3 printed labels first, then its numbers column by column (pdfminer's reading order).

pdfminer's `pdf2txt.py` prints a page's text boxes one after another: the whole label column of
table 3, then each applicant column under its own header (自然人 / the five 法人或其他组织 columns
/ 总计), one number per line.  Nothing on a line pairs a number with its row, so the pairing has
to be proved by the table itself: every template row's label printed once and in order before any
number, each column's header right above a run of exactly as many numbers as there are rows, and
every row's six applicant cells adding up to its 总计 under the pairing.  The five 法人 columns come
as one run, column after column or row after row; only an order under which every row adds up
(and the other does not, or reads the same) is taken.  Anything short of that is no reading.

No imports from tables.py (which calls this): the row names come from guess_row passed in.
"""

from __future__ import annotations

from collections.abc import Callable

from .template import ALL_APPLICATION_ROWS, APPLICANT_COLS, OTHER_ROWS, ROWS_2019
from .tokens import Cell, line_cells, squash

_LEGAL = APPLICANT_COLS[1:-1]
_LEGAL_WORDS = ("商业", "科研", "社会公益", "法律服务")
_COLUMN_WORDS = ("总计", "合计")  # the 总计 column's header, not the row （七）总计
_ROWS_2021 = tuple(r for r in ALL_APPLICATION_ROWS if r != "other_total")


def _columns_named(header: str) -> tuple[str, ...] | None:
    """The applicant columns a run of numbers stands under, from the header text right above it."""
    if header.endswith("自然人"):
        return (APPLICANT_COLS[0],)
    if header.endswith("总计"):
        return (APPLICANT_COLS[-1],)
    if header.endswith("其他") and all(w in header for w in _LEGAL_WORDS):
        return _LEGAL
    return None


def _row_keys(labels: list[str], guess_row: Callable[[str], str | None]) -> tuple[str, ...] | None:
    keys: list[str] = []
    for label in labels:
        key = guess_row(label)
        if key is None or key == "subtotal" or keys and keys[-1] == key:
            continue
        keys.append(key)
    if "other_total" in keys and any(k in OTHER_ROWS for k in keys):
        keys.remove("other_total")  # （六）其他处理 printed as the group label of its three rows
    for rows in (ROWS_2019, _ROWS_2021):
        if tuple(keys) == rows:
            return rows
    return None


def _adds_up(row: list[Cell]) -> bool:
    vals = [c.value for c in row]
    return all(v is not None for v in vals) and abs(sum(vals[:-1]) - vals[-1]) < 1e-6  # type: ignore[arg-type, operator]


def read_labels_first(lines: list[str], guess_row: Callable[[str], str | None]
                      ) -> tuple[dict[str, list[Cell | None]], tuple[str, ...], str] | None:
    """(row key -> 7 cells, the template's rows, a note) when the region is this layout and the
    pairing is proved; else None."""
    labels: list[str] = []
    runs: list[tuple[str, list[Cell]]] = []
    header: list[str] = []
    numbers = False  # a number seen since the last text
    for line in lines:
        if not line.strip():
            continue
        lc = line_cells(line)
        if lc.tabbed or (lc.labels and lc.values):
            return None  # a grid, or a number beside its label: another layout
        if lc.labels:
            text = squash(lc.labels[0])
            if numbers:
                header, numbers = [], False
            key = None if text in _COLUMN_WORDS else guess_row(text)
            if not runs and key is not None:
                labels.append(text)
                header = []
            elif runs and key not in (None, "subtotal"):
                return None  # a row label after the numbers began: the table goes on in another block
            else:
                header.append(text)
            continue
        if not numbers:
            runs.append(("".join(header), []))
            numbers = True
        runs[-1][1].extend(lc.values)
    rows = _row_keys(labels, guess_row)
    if rows is None:
        return None
    n = len(rows)
    by_col: dict[str, list[Cell]] = {}
    legal: list[Cell] | None = None
    for head, values in runs:
        cols = _columns_named(head)
        if cols is None:
            continue  # numbers of another table the dump set here (a stray cell of table 2)
        if len(values) != n * len(cols) or any(c in by_col for c in cols) or (cols == _LEGAL and legal):
            return None
        if cols == _LEGAL:
            legal = values
        else:
            by_col[cols[0]] = values
    if legal is None or len(by_col) != 2:
        return None
    natural, total = by_col[APPLICANT_COLS[0]], by_col[APPLICANT_COLS[-1]]
    k = len(_LEGAL)
    readings = {
        "column by column": [[legal[j * n + i] for j in range(k)] for i in range(n)],
        "row by row": [legal[i * k : (i + 1) * k] for i in range(n)],
    }
    proved = {
        how: tuple(tuple(c.raw for c in r) for r in rows_legal)
        for how, rows_legal in readings.items()
        if all(_adds_up([natural[i], *rows_legal[i], total[i]]) for i in range(n))
    }
    if not proved or len(set(proved.values())) > 1:
        return None  # no order adds up, or both do and read differently
    how = next(iter(proved))
    out: dict[str, list[Cell | None]] = {
        key: [natural[i], *readings[how][i], total[i]] for i, key in enumerate(rows)
    }
    note = (f"table 3 printed labels first, then its numbers column by column; paired by the template's {n} rows"
            f" (the 法人 columns {how}: every row adds up)")
    return out, rows, note
