"""China's administrative divisions (parsers/divisions.tsv) and the names they are printed under.

A report names its body by place, but rarely in full: 聊城市人民政府 has no 山东省, 青岛海关 no 市,
昆山市 is a county-level city of 苏州, and 朝阳区 is a district of both 北京 and 长春.  The national
division list answers these from data instead of hand lists.  It is loaded once, at import (~30 ms),
into a dict keyed by printed name, so a lookup is a few dict probes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_TSV = Path(__file__).with_name("divisions.tsv")

PROVINCE, PREFECTURE, COUNTY = 1, 2, 3
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    rank: int  # PROVINCE, PREFECTURE or COUNTY
    province: str
    prefecture: str | None  # the 地级 unit above a county; None for provinces, 直辖市 districts, 省直辖 units

    @property
    def parent(self) -> str | None:
        """The unit a county's name is printed after (its prefecture, else its province)."""
        if self.rank == COUNTY:
            return self.prefecture or self.province
        return self.province if self.rank == PREFECTURE else None


@dataclass(frozen=True)
class Form:
    """One printed name of a division.  A weak form (山东 for 山东省, 青岛 for 青岛市, 恩施州, 广西)
    counts only where the next character cannot continue a place name: 黄山 in 黄山区 is not 黄山市,
    北京 in 北京路街道 is not 北京市."""

    division: Division
    weak: bool


_STEM_SUFFIXES = ("省", "市", "地区", "盟")


def _stem(name: str) -> str | None:
    for suffix in _STEM_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def _county_stem(name: str) -> str | None:
    """东昌府 for 东昌府区: how a 分局 of a city bureau names the district it serves."""
    for suffix in ("自治县", "自治旗", "新区", "林区", "区", "县", "市", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def _load() -> tuple[dict[str, list[Form]], dict[str, list[Division]], list[int]]:
    forms: dict[str, list[Form]] = {}
    stems: dict[str, list[Division]] = {}

    def add(name: str, division: Division, weak: bool) -> None:
        forms.setdefault(name, []).append(Form(division, weak))

    for line in _TSV.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, province, prefecture, county, short = (line.split("\t") + [""] * 4)[:5]
        if county:
            d = Division(code, county, COUNTY, province, prefecture or None)
        elif prefecture:
            d = Division(code, prefecture, PREFECTURE, province, None)
        else:
            d = Division(code, province, PROVINCE, province, None)
        add(d.name, d, weak=False)
        for alias in short.split():
            add(alias, d, weak=d.rank != COUNTY)  # 巴州 (巴音郭楞) is not 巴州区 (巴中)
        if d.rank < COUNTY:
            stem = _stem(d.name)
            if stem:
                add(stem, d, weak=True)
        if d.rank == COUNTY:
            stem = _county_stem(d.name)
            if stem:
                stems.setdefault(stem, []).append(d)
    lengths = sorted({len(k) for k in forms}, reverse=True)
    return forms, stems, lengths


FORMS, COUNTY_STEMS, _LENGTHS = _load()
DIVISIONS: dict[str, Division] = {
    f.division.code: f.division for fs in FORMS.values() for f in fs if not f.weak
}


def forms_at(text: str, pos: int) -> list[tuple[str, list[Form]]]:
    """Every printed division name that starts at `pos`, longest first."""
    out = []
    for n in _LENGTHS:
        if pos + n <= len(text):
            hit = FORMS.get(text[pos : pos + n])
            if hit:
                out.append((text[pos : pos + n], hit))
    return out


def printed_names(d: Division, *, weak: bool = True) -> list[str]:
    """The names a division goes by in print, full name first; `weak=False` leaves out stems
    (长春 for 长春市), which also occur inside other words (长春路)."""
    return [d.name] + [k for k, w in _ALIASES.get(d.code, ()) if weak or not w]


def _aliases() -> dict[str, list[tuple[str, bool]]]:
    out: dict[str, list[tuple[str, bool]]] = {}
    for key, fs in FORMS.items():
        for f in fs:
            if key != f.division.name:
                out.setdefault(f.division.code, []).append((key, f.weak and key == _stem(f.division.name)))
    return out


_ALIASES = _aliases()


def by_name(name: str) -> list[Division]:
    """Divisions whose full name is `name` (朝阳区 -> two)."""
    return [f.division for f in FORMS.get(name, ()) if not f.weak and f.division.name == name]


# ---- former divisions (divisions_former.tsv) --------------------------------------------------------
# Reports are archived back to 2008, signed by places since merged or renamed (蓟县, 闸北区, 莱芜市, 襄樊市).
# They are looked up only where no current division fits, except a name that meant a higher unit in the
# report's year (巢湖市: the prefecture until 2011, a county-level city of 合肥 since).

_FORMER_TSV = Path(__file__).with_name("divisions_former.tsv")


@dataclass(frozen=True)
class Former:
    division: Division
    until: int  # the year the name went out of use (for that division)


def _load_former() -> dict[str, list[Former]]:
    out: dict[str, list[Former]] = {}
    rows = [s for s in _FORMER_TSV.read_text(encoding="utf-8").splitlines() if s and not s.startswith("#")]
    for line in rows[1:]:  # the first is the header
        name, rank, province, prefecture, until = line.split("\t")[:5]
        d = Division(f"former:{province}{name}", name, PREFECTURE if rank == "地级" else COUNTY, province, prefecture or None)
        out.setdefault(name, []).append(Former(d, int(until)))
    return out


FORMER: dict[str, list[Former]] = _load_former()
_FORMER_LENGTHS = sorted({len(k) for k in FORMER}, reverse=True)


def former_at(text: str, pos: int) -> list[tuple[str, list[Former]]]:
    """Every former division name that starts at `pos`, longest first."""
    out = []
    for n in _FORMER_LENGTHS:
        hit = FORMER.get(text[pos : pos + n]) if pos + n <= len(text) else None
        if hit:
            out.append((text[pos : pos + n], hit))
    return out


# ---- national new areas (divisions_zones.tsv) -------------------------------------------------------
# 两江新区管理委员会 and 赣江新区管理委员会 report like a district's government, but their names hold no division:
# the province (and the city, where the area lies in one) comes from the list of 国家级新区.

_ZONES_TSV = Path(__file__).with_name("divisions_zones.tsv")


@dataclass(frozen=True)
class Zone:
    name: str
    province: str
    prefecture: str | None  # None where the area spans cities or the province runs it


def _load_zones() -> dict[str, Zone]:
    rows = [s for s in _ZONES_TSV.read_text(encoding="utf-8").splitlines() if s and not s.startswith("#")]
    out = {}
    for line in rows[1:]:  # the first is the header
        name, province, prefecture = line.split("\t")[:3]
        out[name] = Zone(name, province, prefecture or None)
    return out


ZONES: dict[str, Zone] = _load_zones()


def zone_named(name: str) -> Zone | None:
    """The national new area `name` is, also printed after its province or city (河北雄安新区, 青岛西海岸新区)."""
    for zone in ZONES.values():
        if name == zone.name:
            return zone
        if name.endswith(zone.name):
            head = name[: -len(zone.name)]
            places = [d for d in FORMS.get(head, ()) if d.division.rank < COUNTY]
            if any(f.division.name in (zone.province, zone.prefecture) for f in places):
                return zone
    return None


# ---- other bodies whose name holds no division (divisions_seats.tsv) ----------------------------------
# 平潭综合实验区, 长白山保护开发区 and 杨凌示范区 are zones a province runs; 拱北海关 and 黄埔海关 are 直属海关 named
# after a port.  Their names place them nowhere: the seat comes from the list, looked up by the whole name.

_SEATS_TSV = Path(__file__).with_name("divisions_seats.tsv")


@dataclass(frozen=True)
class Seat:
    name: str
    kind: str  # "zone" (reports as a county-level unit of its own) or "customs" (a 直属海关)
    province: str
    prefecture: str | None  # None where the province runs it, or in a 直辖市


def _load_seats() -> dict[str, Seat]:
    rows = [s for s in _SEATS_TSV.read_text(encoding="utf-8").splitlines() if s and not s.startswith("#")]
    out = {}
    for line in rows[1:]:  # the first is the header
        name, kind, province, prefecture = line.split("\t")[:4]
        out[name] = Seat(name, kind, province, prefecture or None)
    return out


SEATS: dict[str, Seat] = _load_seats()


def seat_named(name: str) -> Seat | None:
    """The listed body `name` starts with: a zone followed by its 管理委员会 (杨凌示范区管委会), or a
    直属海关 named whole (拱北海关; 拱北海关驻港珠澳大桥办事处 is an office of it, placed the same)."""
    hits = [s for s in SEATS.values() if name.startswith(s.name)]
    return max(hits, key=lambda s: len(s.name)) if hits else None
