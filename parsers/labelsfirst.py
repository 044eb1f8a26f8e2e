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


def _row_keys(labels: list[str], guess_row: Callable[[str], str | None], within: tuple[str, ...] | None = None
              ) -> tuple[tuple[str, ...], list[int | None]] | None:
    """The template's rows the printed labels name, in order, and the row each label names.

    `within`: the labels are a page's, naming a run of consecutive rows of that template."""
    keys: list[str] = []
    named: list[str | None] = []
    for label in labels:
        key = guess_row(label)
        named.append(None if key == "subtotal" else key)
        if key is None or key == "subtotal" or keys and keys[-1] == key:
            continue
        keys.append(key)
    if "other_total" in keys and any(k in OTHER_ROWS for k in keys):
        keys.remove("other_total")  # （六）其他处理 printed as the group label of its three rows
        named = [None if k == "other_total" else k for k in named]
    for rows in (ROWS_2019, _ROWS_2021) if within is None else (within,):
        if within is not None and keys and keys[0] in rows:
            start = rows.index(keys[0])
            rows = rows[start : start + len(keys)]
        if tuple(keys) == rows:
            return rows, [rows.index(k) if k else None for k in named]
    return None


def _labels(lines: list[str], guess_row: Callable[[str], str | None]) -> list[str]:
    out = []
    for line in lines:
        lc = line_cells(line)
        text = squash(lc.labels[0]) if lc.labels and not lc.tabbed else ""
        if text and text not in _COLUMN_WORDS and guess_row(text) is not None:
            out.append(text)
    return out


_PAGE_HEAD = "勾稽关系"  # the 本列数据的勾稽关系 header cell, printed again on each page the table spans


def read_pages(lines: list[str], guess_row: Callable[[str], str | None]
               ) -> tuple[dict[str, list[Cell | None]], tuple[str, ...], list[str]] | None:
    """Table 3 over several pages, each printed labels first: each page's rows read on their own
    (as `read_labels_first`, the page's labels naming consecutive rows of the template the whole
    table's labels name).  (rows read, the template's rows, notes); the rows of a page that cannot
    be paired are left out (null)."""
    starts = [i for i, s in enumerate(lines) if _PAGE_HEAD in squash(s)]
    if len(starts) < 2:
        return None
    found = _row_keys(_labels(lines, guess_row), guess_row)
    if found is None:
        return None
    rows = found[0]
    out: dict[str, list[Cell | None]] = {}
    notes: list[str] = []
    for a, b in zip([0, *starts[1:]], [*starts[1:], len(lines)], strict=True):
        page = read_labels_first(lines[a:b], guess_row, rows)
        if page is not None:
            out.update(page[0])
            notes.append(page[2])
    return (out, rows, notes) if out else None


def _natural_column(n: int, run: list[Cell], beside: list[tuple[int, list[Cell]]],
                    label_rows: list[int | None]) -> list[Cell] | None:
    """The 自然人 column: numbers printed beside labels are the cells of the rows of the labels
    right before them; the run under the 自然人 header fills the other rows in order."""
    column: list[Cell | None] = [None] * n
    for printed, values in beside:
        last = next((r for r in reversed(label_rows[:printed]) if r is not None), None)
        if last is None or last + 1 < len(values):
            return None
        for i, v in zip(range(last + 1 - len(values), last + 1), values, strict=True):
            if column[i] is not None:
                return None
            column[i] = v
    free = [i for i, c in enumerate(column) if c is None]
    if len(free) != len(run):
        return None
    for i, v in zip(free, run, strict=True):
        column[i] = v
    return column  # type: ignore[return-value]


def _adds_up(row: list[Cell]) -> bool:
    vals = [c.value for c in row]
    return all(v is not None for v in vals) and abs(sum(vals[:-1]) - vals[-1]) < 1e-6  # type: ignore[arg-type, operator]


def read_labels_first(lines: list[str], guess_row: Callable[[str], str | None],
                      within: tuple[str, ...] | None = None
                      ) -> tuple[dict[str, list[Cell | None]], tuple[str, ...], str] | None:
    """(row key -> 7 cells, the template's rows, a note) when the region is this layout and the
    pairing is proved; else None.

    A few numbers may come right after a label instead of under their column's header (a wide
    number's box lands beside the label column): they are the 自然人 cells of the last labels
    before them, and the 自然人 run under its header fills the other rows in order."""
    labels: list[str] = []
    runs: list[tuple[str, list[Cell]]] = []
    beside: list[tuple[int, list[Cell]]] = []  # (labels printed so far, numbers right after them)
    header: list[str] = []
    piece: list[Cell] | None = None  # the run or piece the numbers of this line continue
    for line in lines:
        if not line.strip():
            continue
        lc = line_cells(line)
        if lc.tabbed:
            return None  # a grid: another layout
        text = squash(lc.labels[0]) if lc.labels else ""
        key = None if not text or text in _COLUMN_WORDS else guess_row(text)
        if text and key is None:
            if lc.values:
                return None  # numbers beside words that name no row
            header.append(text)
            piece = None
            continue
        if text:
            labels.append(text)
            header, piece = [], None
            if not lc.values:
                continue
        if piece is None:
            piece = []
            if header:
                runs.append(("".join(header), piece))
            elif labels:
                beside.append((len(labels), piece))
            else:
                return None  # numbers before any label: another layout
            header = []
        piece.extend(lc.values)
    found = _row_keys(labels, guess_row, within)
    if found is None:
        return None
    rows, label_rows = found
    n = len(rows)
    by_col: dict[str, list[Cell]] = {}
    legal: list[Cell] | None = None
    for head, values in runs:
        cols = _columns_named(head)
        if cols is None:
            continue  # numbers of another table the dump set here (a stray cell of table 2)
        if cols == (APPLICANT_COLS[0],) and beside:
            pass  # the rows whose 自然人 cells came beside their labels are not in this run
        elif len(values) != n * len(cols):
            return None
        if any(c in by_col for c in cols) or (cols == _LEGAL and legal):
            return None
        if cols == _LEGAL:
            legal = values
        else:
            by_col[cols[0]] = values
    natural = _natural_column(n, by_col.pop(APPLICANT_COLS[0], []), beside, label_rows)
    if legal is None or natural is None or APPLICANT_COLS[-1] not in by_col:
        return None
    total = by_col[APPLICANT_COLS[-1]]
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
