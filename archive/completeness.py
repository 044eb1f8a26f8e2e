"""Expected vs found: for each registry source and each year since its first expected year, is there a report?

A source is expected to publish one report a year (条例 第四十九条), so a gap is news for a
researcher (the body did not publish, or the crawler missed it) and a `failed` cell is work for
the parser.  The rows are every source of the registry (the `sources` table, written by
`nianbao parse` from the registry file, see `record_registry`) plus any source that was crawled
without being in it.  A registry source no crawl has reached is `not-crawled` every year: that
is a gap in our coverage, not in the body's publishing.  The same SQL backs the
`completeness_matrix` canned query and the /-/completeness page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

FIRST_YEAR = 2019
STATUSES = ("parsed", "failed", "found", "missing", "not-crawled")

# one row per (source, expected year): status parsed > failed > found > missing; not-crawled
# when no crawl ever covered the source
COMPLETENESS_SQL = """
with recursive
years(y) as (
  select cast(coalesce(nullif(:first_year, ''), 2019) as integer)
  union all select y + 1 from years
  where y < cast(coalesce(nullif(:last_year, ''), strftime('%Y', 'now') - 1) as integer)
),
crawled(source_id) as (
  select source_id from crawl_run_sources where source_id is not null
  union select source_id from documents where source_id is not null
),
every_source(source_id, name, first_year, position, in_registry, crawled) as (
  select s.id, s.name, s.first_year, s.position, 1, s.id in (select source_id from crawled) from sources s
  union all
  select c.source_id, null, null, null, 0, 1 from crawled c where c.source_id not in (select id from sources)
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
select s.source_id, s.name, s.position, s.in_registry, y.y as year,
       case when sum(d.report_id is not null) > 0 then 'parsed'
            when sum(d.failed) > 0 then 'failed'
            when count(d.id) > 0 then 'found'
            when not s.crawled then 'not-crawled'
            else 'missing' end as status,
       count(d.id) as documents,
       sum(d.report_id is not null) as parsed,
       max(d.report_id) as report_id,
       max(d.url) as url
from every_source s join years y on y.y >= coalesce(s.first_year, y.y)
  left join docs d on d.source_id = s.source_id and d.year = y.y
group by s.source_id, y.y
)
select g.source_id, coalesce(g.name, r.agency) as name, g.in_registry, g.year, g.status, g.documents,
       g.parsed, r.agency, g.report_id, g.url
from grid g left join reports r on r.id = g.report_id
order by g.position is null, g.position, g.source_id, g.year
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
    """(years, {source_id: {year: row}}) for a source × year grid; a year before a source's
    first expected year has no cell.  Sources keep the order of `rows` (the registry's)."""
    years = sorted({r["year"] for r in rows})
    grid: dict[str, dict[int, dict]] = {}
    for r in rows:
        grid.setdefault(r["source_id"], {})[r["year"]] = r
    return years, grid


def _region(source: Any) -> dict:
    region = getattr(source, "region", None) or {}
    return region if isinstance(region, dict) else {"province": region}


def record_registry(conn: sqlite3.Connection, sources: Iterable[Any], registry: str | None = None) -> int:
    """Replace the `sources` table with this registry (`crawler.sources.Source` objects).

    Runs inside the caller's transaction when one is open.  `first_year` is taken from the
    entry when it has one (an optional registry key), else left NULL (the matrix default).
    """
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = []
    for i, s in enumerate(sources):
        region = _region(s)
        rows.append((s.id, i, s.name, s.level, s.kind, region.get("province"), region.get("city"),
                     region.get("county"), s.family, json.dumps(list(s.start_urls), ensure_ascii=False),
                     getattr(s, "first_year", None), s.note, registry, at))
    conn.execute("DELETE FROM sources")
    conn.executemany(
        "INSERT INTO sources (id, position, name, level, kind, province, city, county, family, start_urls,"
        " first_year, note, registry, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
