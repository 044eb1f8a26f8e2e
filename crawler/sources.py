"""The sources registry: which portals to crawl, with which spider, and how politely.

The registry is one YAML file (default ``crawler/sources.yaml``), a list of entries::

    - id: sd-liaocheng-gov          # unique, stable, [a-z0-9-]
      name: 聊城市人民政府            # the body whose reports the column lists
      level: city                   # national | province | city | county | township
      kind: government              # government | department
      region: {province: 山东省, city: 聊城市, county: null}   # a national body (a ministry): omit it
      family: trs                   # trs | hanweb | shandong | generic   (the spider that crawls it)
      start_urls: ["http://www.liaocheng.gov.cn/.../index.html"]
      allowed_domains: [www.liaocheng.gov.cn]   # optional: defaults to the start URLs' hosts
      note: "…"                     # optional, free text (e.g. "column path unverified")
      first_year: 2021              # optional: the first year a report is expected (a body created
                                    # in 2021); the completeness matrix starts there, default 2019
      overrides:                    # optional, all keys optional
        obey_robots: true           # default true; a false here is recorded with the crawl
        download_delay: 1.0         # seconds between requests to the host (default 0.5, AutoThrottle on top)
        concurrency: 2              # requests open at once to the host (its server: names of one address share it), default 2
        render: false               # true: render listings with scrapy-playwright + chromium
        encoding: gbk               # force a response encoding when a portal lies
        max_depth: 4                # generic spider: navigation hops from the start URL (paging is free)
        max_pages: 200              # generic spider: pages walked per source before it gives up
        selectors: {list_item: "css", next_page: "css", attachment: "css"}
        hanweb: {columnid: "123", unitid: "456", webid: "1", path: "/", perpage: 15}

Families: ``trs`` (TRS WCM columns, ``index_N.html`` paging), ``hanweb`` (大汉 jpage columns,
``/col/colN/``), ``shandong`` (Shandong's intensive platform, ``/gongkai/site_…/channel_…/``),
``generic`` (any site: walks from the start URL towards the report column).

Politeness is per host (host:port) for the whole run, whatever the family: all entries are
crawled by one Scrapy crawler, so two entries on www.x.gov.cn share one cap of 2 open requests,
and when their overrides differ the strictest wins (lowest ``concurrency``, longest
``download_delay``).  Entries may share a portal and even a start URL: each walks it for itself
(repeats within a run are conditional requests).  Every ``obey_robots: false`` is recorded in the
run's stats (``crawl_runs.stats`` → sources → id → obey_robots).

Your own registry: write a file in this format and run ``nianbao crawl --sources FILE``
(``--only ID …`` to pick entries); ``nianbao sources --sources FILE`` checks and lists it.

The loader rejects a malformed registry with every problem of the file, one line each naming the
entry (position and id) and the field, so the typos of a 60-entry file are found in one run rather
than one per run, or as a silent crawl of nothing.  Unknown keys are errors too, for the same reason.

``nianbao sources [--sources FILE] [--json]`` lists the registry as an aligned table, or as
JSON lines.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = ["Source", "SourcesError", "load_sources", "parse_sources", "DEFAULT_PATH", "main"]

DEFAULT_PATH = Path(__file__).with_name("sources.yaml")

FAMILIES = ("trs", "hanweb", "shandong", "generic")
LEVELS = ("national", "province", "city", "county", "township")
KINDS = ("government", "department")
REGION_KEYS = ("province", "city", "county")
ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
REQUIRED = ("id", "name", "level", "kind", "region", "family", "start_urls")
OPTIONAL = ("allowed_domains", "overrides", "note", "first_year")
# The 2008 Regulations made the annual report compulsory; nothing earlier can be expected.
FIRST_REPORT_YEAR = 2008
OVERRIDE_TYPES: dict[str, tuple[type, ...]] = {
    "obey_robots": (bool,),
    "download_delay": (int, float),
    "concurrency": (int,),
    "render": (bool,),
    "encoding": (str,),
    "max_depth": (int,),
    "max_pages": (int,),
    "selectors": (dict,),
    "hanweb": (dict,),
}
SELECTOR_KEYS = ("list_item", "next_page", "attachment")


class SourcesError(ValueError):
    """The registry is malformed: `problems` holds one line per problem, each naming the file, the
    entry (position and id) and the field; the message is those lines."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    level: str
    kind: str
    region: dict
    family: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    overrides: dict = field(default_factory=dict)
    note: str | None = None
    first_year: int | None = None

    def option(self, key: str, default: Any = None) -> Any:
        """An override, or the default when the entry does not set it."""
        value = self.overrides.get(key)
        return default if value is None else value

    @property
    def obey_robots(self) -> bool:
        return bool(self.option("obey_robots", True))

    @property
    def concurrency(self) -> int:
        return int(self.option("concurrency", 2))

    @property
    def render(self) -> bool:
        return bool(self.option("render", False))

    def to_dict(self) -> dict:
        data = asdict(self)
        data["start_urls"] = list(self.start_urls)
        data["allowed_domains"] = list(self.allowed_domains)
        return data

    def __hash__(self) -> int:  # overrides/region are dicts; the id identifies an entry
        return hash(self.id)


def _host_allowed(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower()
    for domain in domains:
        domain = domain.lower().split(":")[0]
        if host == domain or host.endswith("." + domain):
            return True
    return False


def _check_overrides(overrides: Any, fail) -> dict:
    """The overrides mapping; every bad key is reported (through `fail`) and the checks go on."""
    if overrides is None:
        return {}
    if not isinstance(overrides, dict):
        fail(f"overrides must be a mapping, got {type(overrides).__name__}")
        return {}
    for key, value in overrides.items():
        if key not in OVERRIDE_TYPES:
            fail(f"unknown override {key!r} (known: {', '.join(OVERRIDE_TYPES)})")
            continue
        if value is None:
            continue
        types = OVERRIDE_TYPES[key]
        # bool is an int subclass: concurrency: true is a typo, not 1
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            wanted = " or ".join(t.__name__ for t in types)
            fail(f"override {key!r} must be {wanted}, got {value!r}")
        elif key == "download_delay" and value < 0:
            fail("override 'download_delay' must be >= 0")
        elif key in ("concurrency", "max_depth", "max_pages") and value < (0 if key == "max_depth" else 1):
            fail(f"override {key!r} out of range: {value!r}")
        elif key == "encoding" and value:
            try:
                codecs.lookup(value)
            except LookupError:
                fail(f"override 'encoding': unknown encoding {value!r}")
        elif key == "selectors":
            for name, css in value.items():
                if name not in SELECTOR_KEYS:
                    fail(f"unknown selector {name!r} (known: {', '.join(SELECTOR_KEYS)})")
                elif not isinstance(css, str) or not css.strip():
                    fail(f"selector {name!r} must be a non-empty CSS string")
    return dict(overrides)


def _entry(raw: Any, position: int, origin: str, problems: list[str]) -> Source | None:
    """One entry, or None when it has problems: each is appended to `problems` (a line naming the
    entry and the field), and the other fields are still checked, so one run lists them all."""
    label = f"{origin}: entry #{position}"
    if isinstance(raw, dict) and raw.get("id") is not None:
        label += f" (id {raw.get('id')!r})"
    before = len(problems)

    def fail(message: str) -> None:
        problems.append(f"{label}: {message}")

    if not isinstance(raw, dict):
        fail(f"an entry must be a mapping, got {type(raw).__name__}")
        return None
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        fail(f"unknown key(s) {', '.join(map(repr, unknown))}")
    # a central body (a ministry, level: national) sits in no province: its region may be left out
    national = raw.get("level") == "national"
    missing = [k for k in REQUIRED if raw.get(k) in (None, "", [], {}) and not (national and k == "region")]
    if missing:
        fail(f"missing {', '.join(missing)}")

    def given(key: str) -> bool:
        return key not in missing

    sid = str(raw.get("id"))
    if given("id") and not ID_RE.match(sid):
        fail(f"bad id {sid!r}: use lowercase letters, digits and '-'")
    if given("level") and raw["level"] not in LEVELS:
        fail(f"bad level {raw['level']!r} (expected one of {', '.join(LEVELS)})")
    if given("kind") and raw["kind"] not in KINDS:
        fail(f"bad kind {raw['kind']!r} (expected one of {', '.join(KINDS)})")
    if given("family") and raw["family"] not in FAMILIES:
        fail(f"unknown family {raw['family']!r} (expected one of {', '.join(FAMILIES)})")
    if given("name") and not isinstance(raw["name"], str):
        fail("name must be a string")

    region = raw.get("region")
    if national and region in (None, "", [], {}):
        region = dict.fromkeys(REGION_KEYS)
    elif not given("region"):
        pass
    elif not isinstance(region, dict):
        fail("region must be a mapping {province, city, county}")
    else:
        bad = sorted(set(region) - set(REGION_KEYS))
        if bad:
            fail(f"unknown region key(s) {', '.join(map(repr, bad))}")
        if national and any(region.get(k) for k in REGION_KEYS):
            fail("a national body has no region (level: national): leave region out")
        elif not national and not region.get("province"):
            fail("region.province is required")
        region = {k: region.get(k) or None for k in REGION_KEYS}

    urls = raw.get("start_urls") if given("start_urls") else []
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list):
        fail("start_urls must be a list of URLs")
        urls = []
    good_urls = []
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail(f"start URL {url!r} is not an http(s) URL")
        else:
            good_urls.append(str(url))

    domains = raw.get("allowed_domains")
    if domains is None:
        domains = sorted({urlsplit(u).hostname for u in good_urls})
    if isinstance(domains, str):
        domains = [domains]
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        fail("allowed_domains must be a list of host names")
    else:
        for url in good_urls:
            if not _host_allowed(urlsplit(url).hostname or "", tuple(domains)):
                fail(f"start URL {url!r} is outside allowed_domains {domains}")

    first_year = raw.get("first_year")
    if first_year is not None and (
        isinstance(first_year, bool) or not isinstance(first_year, int) or first_year < FIRST_REPORT_YEAR
    ):
        fail(f"first_year must be a year from {FIRST_REPORT_YEAR} on, got {first_year!r}")

    overrides = _check_overrides(raw.get("overrides"), fail)
    if len(problems) > before:
        return None
    note = raw.get("note")
    return Source(
        id=sid, name=raw["name"], level=raw["level"], kind=raw["kind"], region=region,
        family=raw["family"], start_urls=tuple(good_urls), allowed_domains=tuple(domains),
        overrides=overrides, note=str(note) if note is not None else None, first_year=first_year,
    )


def parse_sources(text: str, origin: str = "<sources>") -> list[Source]:
    """Entries from YAML text (tests and tools that build a registry in memory).

    Every problem of the file is collected before raising, so a registry with several typos is
    fixed in one round: `SourcesError.problems` holds one line per problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourcesError(f"{origin}: not valid YAML: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise SourcesError(f"{origin}: the registry must be a YAML list of entries")
    sources: list[Source] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(data, start=1):
        source = _entry(raw, position, origin, problems)
        sid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(sid, str | int) and str(sid) in seen:
            problems.append(
                f"{origin}: entry #{position} (id {str(sid)!r}): duplicate id (first used by entry #{seen[str(sid)]})"
            )
        elif isinstance(sid, str | int):
            seen[str(sid)] = position
        if source is not None:
            sources.append(source)
    if problems:
        raise SourcesError(*problems)
    return sources


def load_sources(path: Path | None = None) -> list[Source]:
    """The registry at ``path`` (default: the bundled crawler/sources.yaml), validated."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read the sources registry: {exc.strerror or exc}") from exc
    return parse_sources(text, origin=str(path))


# --- command line ------------------------------------------------------------------------------

def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _region(source: Source) -> str:
    return "".join(v for v in (source.region.get(k) for k in REGION_KEYS) if v)


def format_table(sources: list[Source]) -> str:
    """An aligned table: id, name, level, region, start URLs (one line per source)."""
    header = ("ID", "NAME", "LEVEL", "REGION", "START URLS")
    rows = [header] + [
        (s.id, s.name, s.level, _region(s), " ".join(s.start_urls)) for s in sources
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join(cells + [row[-1]]).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`nianbao sources [--sources FILE] [--json]`: list (and thereby validate) the registry."""
    parser = argparse.ArgumentParser(prog="nianbao sources", description="List the sources registry.")
    parser.add_argument("--sources", type=Path, default=None, help="registry YAML (default: the bundled one)")
    parser.add_argument("--json", action="store_true", help="one JSON object per source")
    args = parser.parse_args(argv)
    try:
        sources = load_sources(args.sources)
    except SourcesError as exc:
        for problem in exc.problems:
            print(f"nianbao sources: {problem}", file=sys.stderr)
        return 2
    if args.json:
        for source in sources:
            sys.stdout.write(json.dumps(source.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_table(sources) + "\n")
        sys.stdout.write(f"{len(sources)} sources\n")
    return 0


def _quiet_main() -> int:
    """`python -m crawler.sources | head`: the reader left; stop quietly, as the `nianbao` CLI does."""
    try:
        result = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return 141  # 128 + SIGPIPE, as a shell tool ends
    return result


if __name__ == "__main__":
    raise SystemExit(_quiet_main())
