"""Expected vs found: for each crawled source and each year since the 2019 template, is there a report?

A source is expected to publish one report a year (条例 第四十九条), so a gap is news for a
researcher (the body did not publish, or the crawler missed it) and a `failed` cell is work for
the parser.  The same SQL backs the `completeness_matrix` canned query and the /-/completeness page.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

FIRST_YEAR = 2019

# one row per (source, year): status parsed > failed > found > missing
COMPLETENESS_SQL = """
with recursive
years(y) as (
  select cast(coalesce(nullif(:first_year, ''), 2019) as integer)
  union all select y + 1 from years
  where y < cast(coalesce(nullif(:last_year, ''), strftime('%Y', 'now') - 1) as integer)
),
sources(source_id) as (
  select source_id from crawl_run_sources where source_id is not null
  union select source_id from documents where source_id is not null
),
docs as (
  select d.id, d.source_id, d.url,
         coalesce((select max(r.year) from reports r where r.document_id = d.id), d.year) as year,
         (select r.id from reports r where r.document_id = d.id order by r.is_latest desc, r.revision desc limit 1)
           as report_id,
         exists (select 1 from parse_failures p join snapshots s on s.id = p.snapshot_id
                 where s.url = d.url
                    or s.url in (select a.url from documents a where a.parent_url = d.url)) as failed
  from documents d where d.kind = 'report'
),
grid as (
select s.source_id, y.y as year,
       case when sum(d.report_id is not null) > 0 then 'parsed'
            when sum(d.failed) > 0 then 'failed'
            when count(d.id) > 0 then 'found'
            else 'missing' end as status,
       count(d.id) as documents,
       sum(d.report_id is not null) as parsed,
       max(d.report_id) as report_id,
       max(d.url) as url
from sources s cross join years y
  left join docs d on d.source_id = s.source_id and d.year = y.y
group by s.source_id, y.y
)
select g.source_id, g.year, g.status, g.documents, g.parsed, r.agency, g.report_id, g.url
from grid g left join reports r on r.id = g.report_id
order by g.source_id, g.year
"""


def last_complete_year() -> int:
    """Reports for year N appear by March of N+1, so the newest year to expect is last year."""
    return datetime.now(UTC).year - 1


def completeness(conn: sqlite3.Connection, first_year: int = FIRST_YEAR, last_year: int | None = None) -> list[dict]:
    last_year = last_complete_year() if last_year is None else last_year
    cur = conn.execute(COMPLETENESS_SQL, {"first_year": first_year, "last_year": last_year})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def matrix(rows: list[dict]) -> tuple[list[int], dict[str, dict[int, dict]]]:
    """(years, {source_id: {year: row}}) for a source × year grid."""
    years = sorted({r["year"] for r in rows})
    grid: dict[str, dict[int, dict]] = {}
    for r in rows:
        grid.setdefault(r["source_id"], {})[r["year"]] = r
    return years, grid
