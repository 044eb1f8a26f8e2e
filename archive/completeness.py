"""Expected vs found: for each registry source and each year since its first expected year, is there a report?

A source is expected to publish one report a year (条例 第四十九条), so a gap is news for a
researcher (the body did not publish, or the crawler missed it) and a `failed` cell is work for
the parser.  The rows are every source of the registry (the `sources` table, written by
`nianbao parse` from the registry file, see `record_registry`) plus any source that was crawled
without being in it.  A registry source no crawl has covered is `not-crawled` every year, and
one that crawls covered but never reached (every request refused, timed out, answered an error or
a JS challenge: no page of the source answered) is `unreached`, and so is a year whose report a
年报 list named (its title, year and body) but whose fetch failed (a 500 forever, a timeout): its
crawl_errors row (`error_id`, `reason`) says why, as does the latest error of a source never reached
(`error_scope` listed | source).  All are gaps in our coverage,
not in the body's publishing, and counting them as `missing` would count a portal that was down
as a body that published nothing.  A listed report whose old address now redirects (a later crawl's
fetch of it ended at a new address) is the document found at that address: its year is not
`unreached`, and a document there that names no year takes the list's.  The same SQL backs the
`completeness_matrix` canned query and the /-/completeness page.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from archive.series import same_series
from parsers.metadata import first_name, joint_bodies

FIRST_YEAR = 2019
STATUSES = ("parsed", "withdrawn", "failed", "found", "missing", "unreached", "not-crawled")

# a region name ends with one of these (青石县, 聊城市, 山东省, 昌乐县, 潍城区, 阿拉善盟 …)
_REGION_END = tuple("省市县区州盟旗")
_SPACES = re.compile(r"[\s\u3000]+")


def _norm(name: str) -> str:
    """Compare names without spaces, 人民 (县政府 = 县人民政府) or the 办公室 that publishes for a government,
    a central body without the 中华人民共和国 its registry name carries (山林资源部 = 中华人民共和国山林资源部),
    and a body without the second name it also goes by in brackets (a registry naming it A（B）, 挂牌)."""
    name = first_name(_SPACES.sub("", name)).replace("人民政府", "政府").removeprefix("中华人民共和国")
    return name[: -len("办公室")] if name.endswith("政府办公室") else name


def is_own_report(source_name: str | None, agency: str | None) -> int:
    """1 when a report by `agency` is the registry source's own report, else 0.

    A county portal lists its departments' reports next to the government's own, so a
    report found in a source's column is not automatically the source's.  Tolerated: 人民
    left out, spaces, the 办公室 of a government, and a region prefix on one side only
    (聊城市公安局 vs 山东省聊城市公安局; 青石县 for 青石县人民政府).  Unknown on either side
    (a source outside the registry, an agency nobody could read) counts as the source's own:
    there is nothing to tell them apart by.
    """
    if not source_name or not agency:
        return 1
    bodies = joint_bodies(agency)
    if len(bodies) > 1:  # a joint report (A和B, A、B) is each of its bodies' own report
        return int(any(_own(source_name, body) for body in [agency, *bodies]))
    return _own(source_name, agency)


def _own(source_name: str, agency: str) -> int:
    a, b = _norm(source_name), _norm(agency)
    if a == b:
        return 1
    for x, y in ((a, b), (b, a)):
        if x.endswith("政府") and x[:-2] == y:
            return 1  # 青石县政府 vs 青石县
    short, long_ = sorted((a, b), key=len)
    prefix = long_[: len(long_) - len(short)]
    return int(long_.endswith(short) and prefix.endswith(_REGION_END) and not short.endswith(_REGION_END))


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the completeness query needs (Datasette registers them in its plugin)."""
    conn.create_function("is_own_report", 2, is_own_report, deterministic=True)


# one row per (source, expected year).  Only the source's own body's documents (under its registry
# name, or a former or later name `renamed_bodies` proves) decide the status (parsed > failed >
# found > missing; not-crawled when no crawl ever covered the source, unreached when no page of it
# ever answered (only errors: a portal down or blocking us is no gap in its publishing), and unreached too when a
# 年报 list named the year's report (title, year) but fetching it failed (`listed`: error_id and reason say why,
# so a 500 on the report's page never reads as a body that did not publish); withdrawn: parsed, but the
# portal no longer lists or serves any of the year's reports — `reports.gone`, archive/withdrawals.py)
# and report_id/url/agency all come from one and the same document, the best of its own.
# Documents of other bodies found in the column are counted apart (other_documents, other_agencies).
# Set-based: the documents are counted per (source, year) once, then joined to the grid's cells.
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
reached(source_id) as materialized (  -- some page of the source answered (robots.txt aside)
  select distinct source_id from fetches
  where source_id is not null and status between 200 and 399 and url not like '%/robots.txt'
  union select source_id from documents where source_id is not null
),
every_source(source_id, name, first_year, position, in_registry, crawled, reached) as (
  select s.id, s.name, s.first_year, s.position, 1, s.id in (select source_id from crawled),
         s.id in (select source_id from reached) from sources s
  union all
  select c.source_id, null, null, null, 0, 1, c.source_id in (select source_id from reached)
  from crawled c where c.source_id not in (select id from sources)
),
doc_reports as materialized (  -- each document's (each 汇编 part's) newest report year and its best report
  select document_id, id as report_id, agency, url,
         max(year) over (partition by document_id, coalesce(part, 0)) as year,
         row_number() over (partition by document_id, coalesce(part, 0) order by is_latest desc, revision desc) as n,
         0 as dup
  from reports where document_id is not null
  union all  -- a document whose reading is a report filed at another address: that report
  select document_id, same_as, agency, (select r.url from reports r where r.id = same_as), year,
         row_number() over (partition by document_id order by year desc, same_as) as n, 1 + coalesce(moved, 0)
  from duplicates
  where document_id not in (select document_id from reports where document_id is not null)
),
moved(url, final_url, source_id, year) as materialized (  -- a listed report's failed address, redirecting since
  select distinct e.url, f.final_url, e.source_id, e.year
  from crawl_errors e join fetches f on f.url = e.url and f.final_url is not null and f.final_url != f.url
  where e.year is not null and e.reason not like 'note:%'
),
failed_urls(url) as materialized (
  select distinct s.url from parse_failures p join snapshots s on s.id = p.snapshot_id
),
docs_own as materialized (
  select d.id, d.source_id, coalesce(r.url, d.url) as url,
         -- a document found where a listed report's old address now redirects: the list's year when it has none
         coalesce(r.year, d.year, (select max(m.year) from moved m where m.final_url = d.url
                                   and m.source_id is d.source_id)) as year, r.report_id,
         coalesce(d.url in failed_urls, 0)
           or exists (select 1 from documents a where a.parent_url = d.url and a.url in failed_urls) as failed,
         coalesce(r.agency, d.agency) as agency,
         (select g.gone from reports g where g.id = r.report_id) as gone
  from documents d left join doc_reports r on r.document_id = d.id and r.n = 1
  where d.kind = 'report'
    -- a report found again at another address (moved: the old URL now 404) is one document: the
    -- address it moved from (dup 2), or whose bytes another document's report of the source already
    -- holds, is not counted (a live copy whose bytes differ is: the body's year was posted there too)
    and r.dup is not 2
    and ((r.report_id is not null and not r.dup) or not exists (
      select 1 from snapshots s join reports o on o.sha256 = s.sha256
        join documents od on od.id = o.document_id and od.source_id is d.source_id
      where s.url = d.url and o.document_id != d.id))
),
docs0 as materialized (  -- each document's report as the latest revision of its body's year (archive/series.py):
  -- a correction reprinted at a new address, or a （更正版） posted anew, is that series' latest, and the
  -- year links it, not the superseded reading.  Gone only when that latest reading is gone too.
  select o.id, o.source_id, coalesce(l.url, o.url) as url, o.year, coalesce(l.id, o.report_id) as report_id,
         o.failed, o.agency,
         case when l.id is null or l.id = o.report_id then o.gone when o.gone is not null then l.gone end as gone
  from docs_own o left join reports l on l.id = (
    select n.id from reports r0 join reports n on SAME_SERIES_N_R0
      join documents nd on nd.id = n.document_id and nd.source_id is o.source_id
    where r0.id = o.report_id and r0.agency is not null and r0.year is not null and n.is_latest = 1
    order by n.revision desc limit 1)
),
renamed(source_id, agency) as (  -- the source's own body under its former or later name (archive/renames.py)
  select source_id, agency from renamed_bodies union select source_id, renamed_to from renamed_bodies
),
docs as materialized (
  select d.*, is_own_report(s.name, d.agency)
                or exists (select 1 from renamed n where n.source_id = d.source_id and n.agency = d.agency) as own
  from docs0 d left join every_source s on s.source_id = d.source_id
),
ranked as (
  select d.*, row_number() over (partition by d.source_id, d.year
                                 order by d.report_id is null, d.gone is not null, d.failed desc, d.url) as best
  from docs d where d.own
),
counts as (
  select source_id, year,
         sum(own) as documents,
         sum(own and report_id is not null) as parsed,
         sum(own and failed) as failed,
         sum(not own) as other_documents
  from docs group by source_id, year
),
listed as materialized (  -- report links a 年报 list gave (title, year) whose fetch failed, no document holding them
  select e.source_id, e.year, e.id as error_id, e.reason, e.url,
         row_number() over (partition by e.source_id, e.year order by e.id desc) as n
  from crawl_errors e left join every_source s on s.source_id = e.source_id
  where e.year is not null and e.source_id is not null and e.reason not like 'note:%'
    and not exists (select 1 from documents d where d.url = e.url and d.source_id is e.source_id)
    -- nor one whose address now redirects to a report document of the source (its year's or of no year)
    and not exists (select 1 from moved m join docs d on d.url = m.final_url and d.source_id is m.source_id
                    where m.url = e.url and m.source_id is e.source_id and (d.year is null or d.year = e.year))
    and (is_own_report(s.name, e.agency)
         or exists (select 1 from renamed n where n.source_id = e.source_id and n.agency = e.agency))
),
refused as materialized (  -- a source no page of which ever answered: its latest error says why (connection refused…)
  select source_id, id as error_id, reason, url,
         row_number() over (partition by source_id order by id desc) as n
  from crawl_errors where source_id is not null and reason not like 'note:%'
    and source_id not in (select source_id from reached)
),
others as (
  select source_id, year, group_concat(agency, '、') as other_agencies
  from (select distinct source_id, year, agency from docs where not own order by source_id, year, agency)
  group by source_id, year
),
grid as (
select s.source_id, s.name, s.position, s.in_registry, y.y as year,
       case when c.parsed > 0 and b.gone is not null then 'withdrawn'  -- every report of the year is gone
            when c.parsed > 0 then 'parsed'
            when c.failed > 0 then 'failed'
            when b.id is not null then 'found'
            when l.error_id is not null then 'unreached'  -- listed, but its fetch failed: no gap in publishing
            when not s.crawled then 'not-crawled'
            when not s.reached then 'unreached'
            else 'missing' end as status,
       coalesce(c.documents, 0) as documents, coalesce(c.parsed, 0) as parsed,
       b.agency, b.report_id, coalesce(b.url, l.url, case when s.crawled and not s.reached then f.url end) as url, b.gone,
       coalesce(c.other_documents, 0) as other_documents, o.other_agencies,
       case when b.id is not null then null when l.error_id is not null then l.error_id
            when s.crawled and not s.reached then f.error_id end as error_id,
       case when b.id is not null then null when l.error_id is not null then l.reason
            when s.crawled and not s.reached then f.reason end as reason,
       case when b.id is not null then null when l.error_id is not null then 'listed'
            when s.crawled and not s.reached and f.error_id is not null then 'source' end as error_scope
from every_source s join years y on y.y >= coalesce(s.first_year, y.y)
  left join ranked b on b.source_id = s.source_id and b.year = y.y and b.best = 1
  left join listed l on l.source_id = s.source_id and l.year = y.y and l.n = 1
  left join counts c on c.source_id = s.source_id and c.year = y.y
  left join others o on o.source_id = s.source_id and o.year = y.y
  left join refused f on f.source_id = s.source_id and f.n = 1
)
select g.source_id, coalesce(g.name, g.agency) as name, g.in_registry, g.year, g.status, g.documents,
       g.parsed, g.agency, g.report_id, g.url, g.gone, g.other_documents, g.other_agencies,
       -- the name the body reported under that year, where a rename makes it differ from the registry's
       case when g.name is not null and not is_own_report(g.name, g.agency) then g.agency end as reported_as,
       -- an `unreached` year: the crawl_errors row saying why, of the failed fetch of the report a list
       -- named (error_scope 'listed') or, for a source no page of which ever answered, its latest ('source')
       g.error_id, g.reason, g.error_scope
from grid g
order by g.position is null, g.position, g.source_id, g.year
""".replace("SAME_SERIES_N_R0", same_series("n", "r0"))


def last_complete_year() -> int:
    """Reports for year N appear by March of N+1, so the newest year to expect is last year."""
    return datetime.now(UTC).year - 1


def completeness(conn: sqlite3.Connection, first_year: int = FIRST_YEAR, last_year: int | None = None,
                 province: str | None = None) -> list[dict]:
    """One row per (source, year).  With `province`, only the registry's sources in it: a source
    crawled outside the registry has no recorded place, so it is in no province."""
    last_year = last_complete_year() if last_year is None else last_year
    register_functions(conn)
    cur = conn.execute(COMPLETENESS_SQL, {"first_year": first_year, "last_year": last_year})
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    if province:
        wanted = full_province(province)
        inside = {r[0] for r in conn.execute("SELECT id, province FROM sources") if full_province(r[1]) == wanted}
        rows = [r for r in rows if r["source_id"] in inside]
    return rows


def full_province(name: str | None) -> str | None:
    """A province as stored and filtered: its full name (山东 -> 山东省), as `reports.province` holds it;
    a name the division list does not know stays as typed."""
    from archive.placing import official  # placing imports this module (is_own_report)
    from parsers.divisions import PROVINCE

    return official((name or "").strip() or None, PROVINCE)


def provinces(conn: sqlite3.Connection) -> list[str]:
    """The provinces the registry names, in its order (the first entry of each)."""
    return [r[0] for r in conn.execute(
        "SELECT province FROM sources WHERE coalesce(province, '') != '' GROUP BY province ORDER BY min(position)")]


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
