"""Where a report's body sits (province, city, county) and at which level, for the `reports` table.

The parser places a body by looking its name up in the national division list; the registry entry
is the operator's own statement about the source.  So for the source's own body the registry wins
(柳河县 is in 吉林 in the list, but this registry's 柳河县人民政府 is in 河南), and for other bodies
on its site the registry tells same-name places apart (a 朝阳区 on a 长春 portal is 长春's) and
fills what a fictional or unlisted place name leaves empty (静溪县教育局 on 静溪县's portal).

Level uses the registry's vocabulary everywhere a user filters (reports.level = sources.level):
national / province / city / county / township (国家 / 省 / 市 / 县区 / 乡镇街道).  Province and
city are stored under their full official names (山东省, never 山东) whenever the list knows them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from typing import Any

from archive.completeness import is_own_report
from parsers.divisions import FORMS, PREFECTURE, PROVINCE, by_name
from parsers.metadata import level_and_kind

# the parser's level words (parsers/metadata.py level_and_kind) -> the registry's
LEVELS = {"国家": "national", "省": "province", "市": "city", "县区": "county", "乡镇街道": "township"}


@dataclass(frozen=True)
class Place:
    name: str
    level: str | None
    province: str | None
    city: str | None
    county: str | None


@cache
def official(name: str | None, rank: int) -> str | None:
    """The full name of a province (rank PROVINCE) or prefecture printed short (山东 -> 山东省).
    Kept per name for the process: the division list is fixed at import, and every report of a
    run asks again for its source's province and city."""
    if not name:
        return name
    if any(d.rank == rank for d in by_name(name)):
        return name
    full = {f.division.name for f in FORMS.get(name, ()) if f.division.rank == rank}
    return full.pop() if len(full) == 1 else name


def registry_places(sources: list | None, conn: sqlite3.Connection) -> dict[str, Place]:
    """Source id -> its registry place: from the registry being recorded, else the `sources` table."""
    out: dict[str, Place] = {}
    if sources is not None:
        for s in sources:
            region = getattr(s, "region", None) or {}
            region = region if isinstance(region, dict) else {"province": region}
            out[s.id] = Place(s.name, s.level, region.get("province"), region.get("city"), region.get("county"))
        return out
    try:
        rows = conn.execute("SELECT id, name, level, province, city, county FROM sources").fetchall()
    except sqlite3.OperationalError:
        return out
    return {r[0]: Place(*r[1:]) for r in rows}


def _level_of(region: dict[str, Any]) -> str | None:
    for key, level in (("town", "township"), ("county", "county"), ("city", "city"), ("province", "province")):
        if region.get(key):
            return level
    return None


def place(agency: str | None, region: dict[str, Any], level: str | None, source: Place | None) -> dict[str, Any]:
    """{province, city, county, level} of a report by `agency` found on `source`'s site, from the
    parser's `region`/`level` and the registry entry (None: a source outside the registry)."""
    region = {k: region.get(k) for k in ("province", "city", "county", "town")}
    level = LEVELS.get(level, level) if level else None
    if source is not None:
        s_prov = official(source.province, PROVINCE)
        s_city = official(source.city, PREFECTURE)
        if not agency or is_own_report(source.name, agency):
            # the source's own body: the operator's statement about their source wins
            keep = region["province"] in (None, s_prov)  # parsed parts only where they agree with it
            region = {"province": s_prov or region["province"],
                      "city": s_city or (region["city"] if keep else None),
                      "county": source.county or (region["county"] if keep else None),
                      "town": region["town"]}
            level = source.level or level
        else:
            placed = _other_body("".join(agency.split()), region, s_prov, s_city, source.county)
            if placed != region:
                region = placed
                level = LEVELS.get(level_and_kind(agency, region)[0] or "", level)
    return {"province": official(region.get("province"), PROVINCE),
            "city": official(region.get("city"), PREFECTURE),
            "county": region.get("county"), "level": level or _level_of(region)}


def _other_body(a: str, region: dict[str, Any], s_prov: str | None, s_city: str | None,
                s_county: str | None) -> dict[str, Any]:
    """Another body's place, told apart by the source's region where its name leaves it open."""
    county = region["county"]
    if county and county == s_county:  # the source's own county (柳河县教育局 on 柳河县's portal)
        return {**region, "province": s_prov or region["province"], "city": s_city or region["city"]}
    if county:
        cands = by_name(county)
        if len(cands) > 1 or (cands and s_prov and cands[0].province != s_prov):
            near = ([d for d in cands if s_city and d.prefecture == s_city]
                    or [d for d in cands if s_prov and d.province == s_prov])
            if len(near) == 1:  # 朝阳区 on a 长春 portal is 长春's, not 北京's
                return {**region, "province": near[0].province, "city": near[0].prefecture}
    elif region["city"] and region["city"] == s_city:
        return {**region, "province": s_prov or region["province"]}
    elif s_city and a.startswith(s_city):  # led by the source's own place (临江市… on 临江市's portal)
        return {**region, "province": s_prov or region["province"], "city": s_city}
    if region["province"] or not s_prov:
        return region
    # a place the division list does not know (湖城市 on 南湖省's portal, 南湖省教育厅): it lies
    # under the source, the crawler keeps no other place's report at the source's level or above
    city = region["city"] or (s_city if region["county"] else None)
    return {**region, "province": s_prov, "city": city}
