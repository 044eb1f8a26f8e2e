"""The sources registry: the bundled entries, validation errors that name the entry, the listing command."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from crawler.sources import DEFAULT_PATH, SourcesError, load_sources, main, parse_sources

ROOT = Path(__file__).resolve().parent.parent

GOOD = {
    "id": "sd-example-gov",
    "name": "示例市人民政府",
    "level": "city",
    "kind": "government",
    "region": {"province": "山东省", "city": "示例市", "county": None},
    "family": "trs",
    "start_urls": ["http://www.example.gov.cn/zwgk/zfxxgknb/index.html"],
    "allowed_domains": ["www.example.gov.cn"],
}


def _yaml(*entries: dict) -> str:
    return yaml.safe_dump(list(entries), allow_unicode=True, sort_keys=False)


# --- the bundled registry ----------------------------------------------------------------------

def test_bundled_registry_loads_and_covers_the_seeds_and_provinces():
    sources = load_sources()
    assert sources == load_sources(DEFAULT_PATH)
    assert len(sources) >= 40
    names = {s.name for s in sources}
    for body in ("聊城市人民政府", "聊城市公安局", "淄博市公安局", "昌乐县公安局", "周口市公安局",
                 "山东省人民政府", "河南省人民政府"):
        assert body in names, body
    assert len({s.region["province"] for s in sources}) >= 5
    assert {"province", "city", "county"} <= {s.level for s in sources}
    assert {"government", "department"} == {s.kind for s in sources}
    assert len({s.id for s in sources}) == len(sources)


def test_bundled_entries_are_real_portals_and_say_what_is_unverified():
    for source in load_sources():
        assert all(d.endswith(".gov.cn") for d in source.allowed_domains), source.id
        assert source.start_urls and all(u.startswith(("http://", "https://")) for u in source.start_urls)
        # paths written without access to the site say so; a verified column needs no note
        unverified = bool(source.note and "unverified" in source.note)
        assert unverified or source.family != "generic", source.id


def test_source_is_frozen_and_has_defaults():
    (source,) = parse_sources(_yaml(GOOD))
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.id = "other"  # type: ignore[misc]
    assert source.overrides == {} and source.note is None
    assert source.obey_robots is True and source.concurrency == 2 and source.render is False
    assert source.start_urls == ("http://www.example.gov.cn/zwgk/zfxxgknb/index.html",)
    assert hash(source) == hash(parse_sources(_yaml(GOOD))[0])


def test_allowed_domains_default_to_start_hosts_and_ports_are_ignored():
    entry = dict(GOOD, start_urls=["http://127.0.0.1:8123/col/col1/index.html"])
    entry.pop("allowed_domains")
    (source,) = parse_sources(_yaml(entry))
    assert source.allowed_domains == ("127.0.0.1",)
    (source,) = parse_sources(_yaml(dict(entry, allowed_domains=["127.0.0.1"])))
    assert source.allowed_domains == ("127.0.0.1",)


def test_overrides_are_kept():
    overrides = {"obey_robots": False, "download_delay": 1.5, "concurrency": 1, "render": True, "encoding": "gbk",
                 "selectors": {"list_item": "ul.list li", "next_page": "a.next"},
                 "hanweb": {"columnid": "123", "unitid": "456", "webid": "1", "path": "/", "perpage": 15}}
    (source,) = parse_sources(_yaml(dict(GOOD, overrides=overrides)))
    assert source.overrides == overrides
    assert source.obey_robots is False and source.render is True and source.concurrency == 1
    assert source.option("encoding") == "gbk" and source.option("max_depth", 3) == 3


def test_first_year_is_optional_and_kept():
    plain, late = parse_sources(_yaml(GOOD, dict(GOOD, id="sd-new-body", first_year=2021)))
    assert plain.first_year is None and late.first_year == 2021
    assert late.to_dict()["first_year"] == 2021


# --- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"family": "wordpress"}, "unknown family 'wordpress'"),
        ({"start_urls": []}, "missing start_urls"),
        ({"start_urls": None}, "missing start_urls"),
        ({"level": "village"}, "bad level 'village'"),
        ({"kind": "company"}, "bad kind 'company'"),
        ({"id": "SD_Example"}, "bad id 'SD_Example'"),
        ({"start_urls": ["ftp://www.example.gov.cn/"]}, "is not an http(s) URL"),
        ({"start_urls": ["http://www.other.gov.cn/"]}, "outside allowed_domains"),
        ({"region": {"city": "示例市"}}, "region.province is required"),
        ({"overrides": {"concurency": 2}}, "unknown override 'concurency'"),
        ({"overrides": {"concurrency": "two"}}, "override 'concurrency' must be int"),
        ({"overrides": {"render": "yes"}}, "override 'render' must be bool"),
        ({"overrides": {"encoding": "no-such-codec"}}, "unknown encoding"),
        ({"overrides": {"selectors": {"items": "li"}}}, "unknown selector 'items'"),
        ({"homepage": "http://www.example.gov.cn/"}, "unknown key(s) 'homepage'"),
        ({"first_year": 1999}, "first_year must be a year from 2008 on"),
        ({"first_year": "2021"}, "first_year must be a year"),
        ({"first_year": True}, "first_year must be a year"),
    ],
)
def test_bad_entries_are_rejected_with_the_entry_named(change: dict, fragment: str):
    other = dict(GOOD, id="sd-first")
    with pytest.raises(SourcesError) as err:
        parse_sources(_yaml(other, dict(GOOD, **change)), origin="reg.yaml")
    message = str(err.value)
    assert fragment in message
    assert message.startswith("reg.yaml: entry #2")
    if "id" not in change:
        assert "'sd-example-gov'" in message


def test_duplicate_id_names_both_entries():
    with pytest.raises(SourcesError, match=r"entry #3 \(id 'sd-example-gov'\): duplicate id \(first used by entry #1\)"):
        parse_sources(_yaml(GOOD, dict(GOOD, id="sd-other"), GOOD))


def test_not_a_list_and_bad_yaml_and_missing_file(tmp_path: Path):
    with pytest.raises(SourcesError, match="must be a YAML list"):
        parse_sources("id: x\n")
    with pytest.raises(SourcesError, match="not valid YAML"):
        parse_sources("- id: [unclosed\n")
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "nope.yaml")
    assert parse_sources("") == []


# --- the command -------------------------------------------------------------------------------

def _display_col(line: str, needle: str) -> int:
    prefix = line[: line.index(needle)]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in prefix)


def test_cli_table_is_aligned(capsys):
    assert main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    sources = load_sources()
    assert lines[0].split() == ["ID", "NAME", "LEVEL", "REGION", "START", "URLS"]
    rows = lines[1: 1 + len(sources)]
    assert lines[-1] == f"{len(sources)} sources"
    url_cols = {_display_col(row, source.start_urls[0]) for row, source in zip(rows, sources, strict=True)}
    level_cols = {_display_col(row, f" {source.level} ") for row, source in zip(rows, sources, strict=True)}
    assert len(url_cols) == 1 and len(level_cols) == 1
    assert _display_col(lines[0], "START URLS") == url_cols.pop()


def test_cli_json_lines_from_a_given_file(tmp_path: Path, capsys):
    path = tmp_path / "reg.yaml"
    path.write_text(_yaml(GOOD, dict(GOOD, id="sd-second", name="第二个")), encoding="utf-8")
    assert main(["--sources", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "示例市人民政府" in out  # not \\u-escaped
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["sd-example-gov", "sd-second"]
    assert records[0]["start_urls"] == GOOD["start_urls"] and records[0]["region"] == GOOD["region"]


def test_cli_bad_registry_exits_2_naming_the_entry(tmp_path: Path):
    path = tmp_path / "reg.yaml"
    path.write_text(_yaml(GOOD, dict(GOOD, id="sd-bad", family="joomla")), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "crawler.sources", "--sources", str(path)],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "entry #2 (id 'sd-bad'): unknown family 'joomla'" in proc.stderr


def test_a_crawl_refused_for_its_registry_leaves_no_data_dir(tmp_path: Path):
    """`nianbao crawl` with a registry it cannot read, a bad entry or an --only id the registry lacks
    exits 2 naming the problem, before anything is made: no data dir, no crawl.lock left behind."""
    bad = tmp_path / "reg.yaml"
    bad.write_text(_yaml(GOOD, dict(GOOD, id="sd-bad", family="joomla")), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(_yaml(GOOD), encoding="utf-8")
    for n, (args, said) in enumerate([(["--sources", str(tmp_path / "missing.yaml")], "cannot read the sources registry"),
                                      (["--sources", str(bad)], "unknown family 'joomla'"),
                                      (["--sources", str(good), "--only", "no-such-id"], "unknown source id(s): no-such-id")]):
        data = tmp_path / f"data{n}"
        proc = subprocess.run([sys.executable, "-m", "archive.cli", "crawl", *args, "--data", str(data)],
                              capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)
        assert proc.returncode == 2 and said in proc.stderr, proc.stderr
        assert not data.exists()


def test_every_problem_of_a_registry_is_reported_at_once():
    entries = [
        dict(GOOD, id="sd-first", level="village", overrides={"concurrency": "two", "colour": "red"}),
        dict(GOOD, id="sd-second"),
        42,
        dict(GOOD, id="sd-second", family="joomla", region=["山东省"], start_urls=None),
        {},
    ]
    with pytest.raises(SourcesError) as err:
        parse_sources(_yaml(*entries), origin="reg.yaml")
    problems = err.value.problems
    assert str(err.value).splitlines() == problems
    for fragment in (
        "entry #1 (id 'sd-first'): bad level 'village'",
        "entry #1 (id 'sd-first'): override 'concurrency' must be int",
        "entry #1 (id 'sd-first'): unknown override 'colour'",
        "entry #3: an entry must be a mapping, got int",
        "entry #4 (id 'sd-second'): missing start_urls",
        "entry #4 (id 'sd-second'): unknown family 'joomla'",
        "entry #4 (id 'sd-second'): region must be a mapping",
        "entry #4 (id 'sd-second'): duplicate id (first used by entry #2)",
        "entry #5: missing id, name, level, kind, region, family, start_urls",
    ):
        assert sum(fragment in p for p in problems) == 1, fragment
    assert len(problems) == 9  # the good entry #2 raises nothing
    assert all(p.startswith("reg.yaml: entry #") for p in problems)


def test_cli_lists_every_problem_one_per_line_and_exits_2(tmp_path: Path, capsys):
    path = tmp_path / "reg.yaml"
    path.write_text(_yaml(dict(GOOD, level="village"), dict(GOOD, id="sd-b", kind="company")), encoding="utf-8")
    assert main(["--sources", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("nianbao sources: ") and "entry #1 (id 'sd-example-gov'): bad level" in lines[0]
    assert lines[1].startswith("nianbao sources: ") and "entry #2 (id 'sd-b'): bad kind 'company'" in lines[1]


def test_module_listing_into_a_closed_pipe_is_quiet():
    # `python -m crawler.sources | head`: the reader is gone before the listing is written
    proc = subprocess.Popen([sys.executable, "-m", "crawler.sources"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert err.decode() == ""
    assert proc.returncode == 141
