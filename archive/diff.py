"""Cell-by-cell comparison of two parsed reports: year over year, or two revisions of one document.

Plain functions over a sqlite3 connection (or over cell dicts), so they are tested without HTTP;
the Datasette plugin only renders what `diff_reports` returns.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from typing import Any

from archive import labels, printed, series
from archive.bodies import Place, compatible

CellKey = tuple[str, str, str]  # (table, row, col)

TABLE_ORDER = list(labels.TABLES)
ROW_ORDER = {**{k: i for i, k in enumerate(labels.ACTIVE_ROWS)}, **{k: i for i, k in enumerate(labels.APPLICATION_ROWS)},
             **{k: i for i, k in enumerate(labels.REVIEW_GROUPS)}}
COL_ORDER = {**{k: i for i, k in enumerate(labels.ACTIVE_COLS)}, **{k: i for i, k in enumerate(labels.APPLICANT_COLS)},
             **{k: i for i, k in enumerate(labels.REVIEW_COLS)}}


@dataclass
class CellChange:
    table: str
    row: str
    col: str
    label: str
    before: Any
    after: Any
    change: float | None  # after - before, when both are numbers
    pct: float | None  # change relative to before, in percent (None when before is 0 or missing)
    status: str  # changed | added | removed | same
    before_snapshot: int | None = None
    after_snapshot: int | None = None


def template_position(key: CellKey) -> tuple:
    table, row, col = key
    t = TABLE_ORDER.index(table) if table in TABLE_ORDER else len(TABLE_ORDER)
    return t, ROW_ORDER.get(row, 999), row, COL_ORDER.get(col, 999), col


def _num(v: Any) -> float | None:
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def diff_cells(before: dict[CellKey, dict], after: dict[CellKey, dict], order: str = "relative") -> list[CellChange]:
    """Every cell of either side: changed cells first, then cells that appeared or disappeared,
    then unchanged ones in template order.  A missing value is not a zero.

    Changed cells are ranked by relative change (a change from 0 first), so table 3's application
    counts (tens) are not buried under table 2's decisions (millions) and fees (万元);
    order="absolute" ranks by the size of the change instead."""
    out = []
    for key in set(before) | set(after):
        b, a = before.get(key, {}), after.get(key, {})
        bv, av = b.get("value"), a.get("value")
        nb, na = _num(bv), _num(av)
        change = pct = None
        if nb is not None and na is not None:
            change = na - nb if isinstance(na, int) and isinstance(nb, int) else round(na - nb, 6)
            # enough precision that a small correction does not read as no change (+18 on 1,761,224)
            pct = 100.0 * change / nb if nb else None
            status = "changed" if change else "same"
        elif bv is None and av is None:
            status = "same"
        elif bv is None:
            status = "added"
        elif av is None:
            status = "removed"
        else:
            status = "same" if bv == av else "changed"
        out.append(CellChange(*key, labels.cell_label(*key), bv, av, change, pct, status,
                              b.get("snapshot_id"), a.get("snapshot_id")))
    rank = {"changed": 0, "added": 1, "removed": 1, "same": 2}

    def relative(c: CellChange) -> float:
        if not c.change:
            return 0.0
        return abs(c.pct) if c.pct is not None else math.inf

    def key(c: CellChange) -> tuple:
        size = abs(c.change or 0)
        first = (-relative(c), -size) if order == "relative" else (-size, -relative(c))
        return rank[c.status], *first, template_position((c.table, c.row, c.col))

    return sorted(out, key=key)


def table_counts(changes: list[CellChange]) -> dict[str, int]:
    """Cells that differ (changed, added or removed), per table, in template order."""
    counts = {t: 0 for t in TABLE_ORDER}
    for c in changes:
        if c.status != "same":
            counts[c.table] = counts.get(c.table, 0) + 1
    return counts


def cells_of(conn: sqlite3.Connection, report_ids: list[str]) -> dict[str, dict[CellKey, dict]]:
    """Each report's cells keyed by (table, row, col), with the file and PDF page each was read
    from, for all `report_ids` in one query (a diff's two sides, a report page's one)."""
    ids = list(dict.fromkeys(report_ids))
    sql = ('SELECT report_id, "table", "row", col, value, raw, inferred, snapshot_id, {} FROM cells'
           f" WHERE report_id IN ({', '.join('?' * len(ids))})")
    try:
        cur = conn.execute(sql.format("page"), ids)
    except sqlite3.OperationalError:  # a db parsed before cells had pages, served before its re-parse
        cur = conn.execute(sql.format("NULL"), ids)
    out: dict[str, dict[CellKey, dict]] = {i: {} for i in ids}
    for report_id, t, r, c, v, raw, inf, s, page in cur.fetchall():
        out[report_id][(t, r, c)] = {"value": v, "raw": raw, "inferred": inf, "snapshot_id": s, "page": page}
    return out


def report_cells(conn: sqlite3.Connection, report_id: str) -> dict[CellKey, dict]:
    """One report's cells (`cells_of`)."""
    return cells_of(conn, [report_id])[report_id]


def diff_reports(conn: sqlite3.Connection, from_id: str, to_id: str, order: str = "relative") -> list[CellChange]:
    sides = cells_of(conn, [from_id, to_id])
    return diff_cells(sides[from_id], sides[to_id], order)


# a central body's registry name carries it (中华人民共和国山林资源部), its printed title often not
NATIONAL = "中华人民共和国"


def matching_agencies(conn: sqlite3.Connection, agency: str) -> list[str]:
    """The agencies a user's `agency=` may mean: the exact name alone when there is one, else
    every agency containing it.  More than one is for the user to choose from, never for us.
    A central body's registry name finds its reports filed under the printed name (中华人民共和国山林资源部
    = 山林资源部), as completeness counts them."""
    for name in dict.fromkeys((agency, agency.removeprefix(NATIONAL))):
        if not name:
            continue
        if conn.execute("SELECT 1 FROM reports WHERE agency = ? LIMIT 1", (name,)).fetchone():
            return [name]
        cur = conn.execute("SELECT DISTINCT agency FROM reports WHERE agency LIKE '%' || ? || '%' ORDER BY agency",
                           (name,))
        found = [r[0] for r in cur.fetchall()]
        if found:
            return found
    return []


def _prefixes(place: tuple[str | None, ...]) -> set[str]:
    """Every way a name may be led by its place, in order: 山东省枣庄市市中区, 枣庄市, 山东省枣庄市, 市中区 …"""
    parts = [p for p in place if p]
    out = set()
    for mask in range(1, 1 << len(parts)):
        out.add("".join(p for i, p in enumerate(parts) if mask >> i & 1))
    return out


def qualified_name(agency: str, place: tuple[str | None, ...]) -> str:
    """The name a journalist would write for one of several same-named bodies: 山东省枣庄市市中区人民政府."""
    province, city, county = place
    lead = (province or "") + (city or "") + ("" if not county or agency.startswith(county) else county)
    return lead + agency


def split_place(conn: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """(agency, place) of the bodies a place-led name means (枣庄市市中区人民政府 -> 市中区人民政府 of
    山东省枣庄市市中区): a stored agency that ends the text, led by its own report's place."""
    cur = conn.execute("SELECT DISTINCT agency, province, city, county FROM reports WHERE agency IS NOT NULL"
                       " AND length(agency) < length(?1) AND substr(?1, length(?1) - length(agency) + 1) = agency",
                       (text,))
    out = {(agency, "".join(p or "" for p in place)) for agency, *place in cur.fetchall()
           if text[: len(text) - len(agency)] in _prefixes(tuple(place))}
    return sorted(out)


# a body is its name and its place (archive/bodies.py): the place as one string, "山东省济南市市中区"
PLACE_SQL = "coalesce(province, '') || coalesce(city, '') || coalesce(county, '')"


def places_of(conn: sqlite3.Connection, agency: str) -> list[str]:
    """The places of the bodies named `agency` exactly: more than one (市中区人民政府 of 济南 and of
    枣庄) is for the user to choose from (`?place=`), never for us."""
    cur = conn.execute(f"SELECT DISTINCT {PLACE_SQL} FROM reports WHERE agency = ? ORDER BY 1", (agency,))
    return [r[0] for r in cur.fetchall()]


def series_names(conn: sqlite3.Connection, agency: str, place: str | None = None) -> list[str]:
    """`agency` and every former or later name of the same body (`renamed_bodies`, archive/renames.py:
    长沙市城市管理局 of 2022 is 长沙市城市管理和综合执法局 of 2023), in the same place when one is given."""
    try:
        cur = conn.execute(f"SELECT agency, renamed_to FROM renamed_bodies WHERE ? IS NULL OR {PLACE_SQL} = ?",
                           (place, place))
        links = cur.fetchall()
    except sqlite3.OperationalError:  # a db parsed before renames were recorded
        links = []
    names = [agency]
    for name in names:  # a body renamed twice: follow the chain both ways
        names += [x for pair in links if name in pair for x in pair if x not in names]
    return names


def _in(names: list[str]) -> str:
    return f"agency IN ({', '.join('?' * len(names))})"


def _series(conn: sqlite3.Connection, agency: str, place: str | None) -> tuple[list[str], str | None]:
    """The body's names and its place: a renamed body's other names only in its own place (another
    place's 城市管理局 is another body)."""
    if place is None:
        places = places_of(conn, agency)
        if len(places) != 1:
            return [agency], place
        names = series_names(conn, agency, places[0])
        return names, (places[0] if len(names) > 1 else None)
    return series_names(conn, agency, place), place


def _body_place(conn: sqlite3.Connection, agency: str, place: str | None) -> Place | None:
    """The one place of the body named `agency` (in `place`, when given); None when several are."""
    cur = conn.execute(f"SELECT DISTINCT province, city, county FROM reports WHERE agency = ?"
                       f" AND (? IS NULL OR {PLACE_SQL} = ?)", (agency, place, place))
    found = cur.fetchall()
    return tuple(found[0]) if len(found) == 1 else None  # type: ignore[return-value]


def _printed_otherwise(conn: sqlite3.Connection, agency: str, place: str | None,
                       years: set[int] | None = None) -> dict[int, dict]:
    """The body's reports of the years it printed its name another way (archive/printed.py: paired
    as the carry-over check pairs them, never where two bodies could be meant)."""
    where = _body_place(conn, agency, place)
    return {} if where is None else printed.other_prints(conn, agency, where, years)


def years_of(conn: sqlite3.Connection, agency: str, place: str | None = None) -> list[int]:
    names, series_place = _series(conn, agency, place)
    cur = conn.execute(f"SELECT DISTINCT year FROM reports WHERE {_in(names)} AND year IS NOT NULL"
                       f" AND (? IS NULL OR {PLACE_SQL} = ?) ORDER BY year", (*names, series_place, series_place))
    years = {r[0] for r in cur.fetchall()}
    return sorted(years | set(_printed_otherwise(conn, agency, place)))


def find_report(conn: sqlite3.Connection, agency: str, year: int, place: str | None = None) -> str | None:
    """The latest revision of one body's report for a year (exact agency name, or a former or later
    name of the same body, and, where several bodies share it, their place: resolve with
    `matching_agencies` and `places_of` first, so an ambiguous one is never picked silently); else
    the year's report that printed the body's name another way (`_printed_otherwise`)."""
    names, series_place = _series(conn, agency, place)
    row = conn.execute(f"SELECT id FROM reports WHERE {_in(names)} AND year = ?"
                       f" AND (? IS NULL OR {PLACE_SQL} = ?) ORDER BY agency = ? DESC, is_latest DESC, revision DESC"
                       " LIMIT 1", (*names, int(year), series_place, series_place, agency)).fetchone()
    if row:
        return row[0]
    other = _printed_otherwise(conn, agency, place, {int(year)}).get(int(year))
    return other["id"] if other else None


def printed_otherwise(a: dict, b: dict) -> bool:
    """Whether two reports are one body's that printed its name two ways (archive/printed.py)."""
    return printed.one_body(a, b)


def renamed(conn: sqlite3.Connection, a: dict, b: dict) -> bool:
    """Whether two reports printing different names are one body renamed (`renamed_bodies`)."""
    if not a.get("agency") or not b.get("agency") or a["agency"] == b["agency"]:
        return False
    place = "".join(a.get(k) or "" for k in ("province", "city", "county"))
    if place != "".join(b.get(k) or "" for k in ("province", "city", "county")):
        return False
    return b["agency"] in series_names(conn, a["agency"], place)


def comparison_kind(a: dict, b: dict, renamed: bool = False) -> str:
    """revision (same document, or one revision series across addresses: a correction reprinted at a
    new URL, archive/series.py; the sides then carry their document's `source_id`), year (same body,
    other year), same-year (same body and year, two documents the parse did not merge: two sources)
    or bodies (two different bodies: not a year-over-year change).  `renamed`: the two names are one
    body's (`renamed`, `printed_otherwise`), so a difference of names alone is no second body."""
    if a.get("document_id") and a.get("document_id") == b.get("document_id") and a.get("part") == b.get("part"):
        return "revision"  # one body's report: in a 汇编 (reports.part) the other parts are other bodies
    if "source_id" in a and "source_id" in b and series.key(a) is not None and series.key(a) == series.key(b):
        return "revision"
    if (a.get("agency") or "") != (b.get("agency") or "") and not renamed:
        return "bodies"
    places = [tuple(side.get(k) for k in ("province", "city", "county")) for side in (a, b)]
    if not compatible(*places):  # one name, two places: 市中区人民政府 of 济南 and of 枣庄
        return "bodies"
    return "same-year" if a.get("year") == b.get("year") else "year"


def format_pct(pct: float | None) -> str:
    """Signed percent with two significant digits below 1 % (+0.0010 %, not +0.00 %)."""
    if pct is None:
        return ""
    if pct == 0:
        return "0%"
    size = abs(pct)
    digits = 1 if size >= 10 else 2 if size >= 1 else max(2, 1 - math.floor(math.log10(size)))
    return f"{pct:+.{digits}f}%"


def revisions(conn: sqlite3.Connection, document_id: str, part: int | None = None) -> list[dict]:
    """All parsed revisions of one document (of its ``part``-th report when it is a 汇编), oldest first.
    A body's year read at several addresses is one series: `series.revisions` lists all of it."""
    cur = conn.execute("SELECT r.id, r.revision, r.is_latest, r.sha256, r.snapshot_id, s.fetched_at"
                       " FROM reports r LEFT JOIN snapshots s ON s.id = r.snapshot_id"
                       " WHERE r.document_id = ? AND r.part IS ? ORDER BY r.revision, s.fetched_at",
                       (document_id, part))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def summary(changes: list[CellChange]) -> dict[str, int]:
    out = {"changed": 0, "added": 0, "removed": 0, "same": 0}
    for c in changes:
        out[c.status] += 1
    return out
