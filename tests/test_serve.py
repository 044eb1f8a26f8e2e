"""`nianbao serve` runs Datasette over the archive with descriptions, canned queries and 2-character search."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from archive.reparse import reparse_all
from tests.support.datasette import served
from tests.test_reparse import build_archive, stand_in_parse


def get(base: str, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(base + path, timeout=30) as resp:
        return resp.status, resp.read().decode("utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = build_archive(tmp_path_factory.mktemp("data"))
    reparse_all(data, parse=stand_in_parse)
    # through the console script, as a user runs it
    nianbao = Path(sys.executable).with_name("nianbao")
    with served(data, launch=lambda port: [nianbao, "--data", str(data), "serve", "--port", str(port)],
                stderr=subprocess.PIPE) as base:
        yield base


def rows(base: str, path: str) -> list[dict]:
    sep = "&" if "?" in path else "?"
    status, body = get(base, f"{path}{sep}_shape=array")
    assert status == 200
    return json.loads(body)


def test_tables_are_described(site: str) -> None:
    _, html = get(site, "/nianbao/reports")
    assert "每份报告每个解析版本一行" in html and "One row per parsed revision" in html
    _, html = get(site, "/nianbao/cells")
    assert "可追溯到存档快照" in html


def test_search_two_characters(site: str) -> None:
    found = rows(site, "/nianbao/search_narrative.json?q=" + quote("复议"))
    assert [(r["agency"], r["year"]) for r in found] == [("A市人民政府", 2024)]
    assert "复议" in found[0]["context"]
    assert rows(site, "/nianbao/search_narrative.json?q=" + quote("诉讼")) == []
    # a query with nothing searchable is an empty result, not an error
    assert rows(site, "/nianbao/search_narrative.json?q=" + quote("！")) == []


def test_handling_rates(site: str) -> None:
    rates = {r["agency"]: r for r in rows(site, "/nianbao/handling_rates.json?agency=")}
    a = rates["A市人民政府"]
    assert a["total_processed_total"] == 36 and a["granted_total"] == 2
    assert a["granted_full_rate"] == round(2 / 36, 3)
    assert a["granted_any_rate"] is not None and a["denied_share"] == round(4 / 36, 3)


def test_reports_and_findings_queries(site: str) -> None:
    found = rows(site, "/nianbao/reports_by_agency_year.json?agency=" + quote("B局") + "&year=2024")
    assert [(r["agency"], r["new_received_total"]) for r in found] == [("B局", 7)]
    findings = rows(site, "/nianbao/findings_to_review.json?agency=")
    assert [(f["agency"], f["printed"], f["implied"]) for f in findings] == [("A市人民政府", 1, 2)]


def test_cell_provenance_links_to_snapshot(site: str) -> None:
    cell = rows(site, "/nianbao/cells.json?row=new_received&col=total&value=36")[0]
    snap = rows(site, f"/nianbao/snapshots.json?id={cell['snapshot_id']}")[0]
    assert snap["url"].endswith("/a/2024.html") and snap["revision"] == 2 and snap["warc_file"]


def outside_address() -> str | None:
    """This machine's address on its network (no packet is sent: a UDP connect only picks the route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_reviews_are_only_written_from_this_machine(tmp_path: Path) -> None:
    address = outside_address()
    if address is None:
        pytest.skip("no network interface besides loopback")
    data = build_archive(tmp_path)
    reparse_all(data, parse=stand_in_parse)
    nianbao = Path(sys.executable).with_name("nianbao")
    with served(data, launch=lambda port: [nianbao, "--data", str(data), "serve", "--host", "0.0.0.0",
                                           "--port", str(port)]) as local:
        remote = f"http://{address}:{urlsplit(local).port}"
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        key = json.loads(direct.open(local + "/-/findings.json", timeout=30).read())[0]["finding_key"]
        assert 'action="/-/review"' in direct.open(local + "/-/findings", timeout=30).read().decode()
        page = direct.open(remote + "/-/findings", timeout=30).read().decode()
        assert 'action="/-/review"' not in page and "Read-only" in page
        post = urllib.request.Request(remote + "/-/review", json.dumps({"finding_key": key, "verdict": "ok"}).encode(),
                                      {"content-type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            direct.open(post, timeout=30)
        assert refused.value.code == 403
        assert json.loads(direct.open(local + "/-/findings.json", timeout=30).read())[0]["verdict"] is None


def test_raw_snapshot_of_a_bare_html_page_is_the_bytes_received(site: str) -> None:
    """The server puts lang="zh-CN" on its own pages' bare <html>; an archived page that starts the
    same way must still come back byte for byte, matching its sha256 (README: the bytes as received)."""
    import hashlib

    snap = rows(site, "/nianbao/snapshots.json?url=" + quote("http://127.0.0.1:9/c/2024.html"))[0]
    for path in (f"/-/snapshot/{snap['id']}?raw=1", f"/-/snapshot/{snap['id']}?raw=1&_format=json"):
        with urllib.request.urlopen(site + path, timeout=30) as resp:
            body, sha = resp.read(), resp.headers["X-Nianbao-Sha256"]
        assert body == b"<html>link</html>", path  # as build_archive stored it
        assert hashlib.sha256(body).hexdigest() == sha == snap["sha256"], path
    # the server's own pages keep their language
    assert '<html lang="zh-CN">' in get(site, "/nianbao/reports")[1]
