"""A body's reports printed under another form of its name, paired for the pages as the carry-over
check pairs them.

A journalist diffs a body year over year; the report page lists its other years.  Offices print
their own name differently from year to year (聊城市公安局 / 山东省聊城市公安局, 郸城县人民政府 /
郸城县政府, spaces): those reports are the body's years as much as for identity 5 (archive/reparse.py
`carry_over`), so the pages find them by the same rule, `archive.bodies.ByName`: the very name
first, another print of it only where exactly one body in a compatible place fits (never 济南's
市中区 for 枣庄's).  Each report keeps the name it printed, so the pages can say under which name
each year was published.
"""

from __future__ import annotations

import sqlite3

from archive.bodies import ByName, Place, compatible, one_name, own_key, pinned

# a stored name compared as bodies.own_key compares it (spaces, 人民政府 → 政府, 中华人民共和国), so SQL
# can keep only the names that contain the wanted one or are contained in it (bodies.one_name's
# shapes: the same, or one the other with its place's prefix left out, or a bare place)
_KEY_SQL = ("replace(replace(replace(replace(agency, ' ', ''), '\u3000', ''), '人民政府', '政府'),"
            " '中华人民共和国', '')")


def place_of(row: dict) -> Place:
    return (row.get("province"), row.get("city"), row.get("county"))


def other_prints(conn: sqlite3.Connection, agency: str, place: Place,
                 years: set[int] | None = None) -> dict[int, dict]:
    """year -> the latest report of the body (`agency` in `place`) that printed its name another way
    that year, for the years where no single body fits left out.  `years`: only those."""
    key = own_key(agency)
    cur = conn.execute(
        "SELECT id, agency, year, revision, findings_count, province, city, county FROM reports"
        " WHERE is_latest = 1 AND year IS NOT NULL AND agency IS NOT NULL AND agency != ?"
        f" AND (instr(?, {_KEY_SQL}) > 0 OR instr({_KEY_SQL}, ?) > 0) ORDER BY revision DESC, rowid",
        (agency, key, key))
    cols = [d[0] for d in cur.description]
    by_year: dict[int, ByName[dict]] = {}
    for values in cur.fetchall():
        row = dict(zip(cols, values, strict=True))
        if (years is None or row["year"] in years) and one_name(agency, row["agency"]):
            by_year.setdefault(row["year"], ByName()).add(row["agency"], place_of(row), row)
    found = {year: index.find(agency, place) for year, index in by_year.items()}
    return {year: row for year, row in found.items() if row is not None}


def one_body(a: dict, b: dict) -> bool:
    """Whether two reports printing their names differently are one body's (as `ByName` pairs
    them): one name printed two ways, in compatible places, and only one place's body can be meant
    (`pinned`) or both places are known and the same."""
    if not a.get("agency") or not b.get("agency") or a["agency"] == b["agency"]:
        return False
    pa, pb = place_of(a), place_of(b)
    return (one_name(a["agency"], b["agency"]) and compatible(pa, pb)
            and (pinned(a["agency"], b["agency"]) or (pa == pb and any(pa))))
