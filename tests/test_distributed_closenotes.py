"""The notes a crawl writes about what it left out are judged once over a distributed run's whole fleet.

A source's notes (a 年报 link to a host the entry does not list, a long list that is no 年报 column and
was not paged, …) were written by each worker for what it alone had read: with two workers a source
could get the off-host note twice, and each worker noted the longest unpaged list *it* had read, so the
run got two "not paged" notes where one process writes one.  Real redis-server, real HTTP hosts on
127.0.0.1, a real coordinator and `nianbao worker` process, and the same registry crawled by one process.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fleet_hosts import Host, report_page, sets, start_redis

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
STEADY = {"DOWNLOAD_DELAY": 0.1, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY_JITTER": 0,
          "CONCURRENT_REQUESTS": 2, "NIANBAO_BROWSER": False, "MAX_IDLE_TIME_BEFORE_CLOSE": 3,
          "NIANBAO_RETRY_BACKOFF_BASE": 0.05, "LOG_LEVEL": "INFO"}
COUNTIES = {"a": "齐河县", "b": "禹城市"}
OLD_SITE = "http://old.example.test/ndbg/index.asp"  # the body's old system: a host the entry does not list


def html(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"<h2>{title}</h2>{body}<p><a href='{OLD_SITE}'>2019年及以前年报（旧版网站）</a></p></body></html>")


def portal(county: str) -> dict[str, str]:
    """A home page leading to the 年报 column (two pages of reports) and to two 政府信息公开 lists that
    are no 年报 column (200 and 50 pages, only their first read); every one of these pages links the
    old site's 年报."""
    pages = {"/": html(f"{county}人民政府", "<a href='/zwgk/ndbg/index.html'>政府信息公开年报</a>"
                       " <a href='/xxgk/list/index.html'>信息公开</a> <a href='/zwgk/list/index.html'>政务公开</a>")}
    for i, total in enumerate((200, 50)):
        rows = "".join(f"<tr><td><a href='/xxgk/c{i}{k}.html'>关于印发某某工作方案的通知{k}</a></td>"
                       f"<td>2024-01-1{k}</td></tr>" for k in range(6))
        path = ("/xxgk/list/index.html", "/zwgk/list/index.html")[i]
        pages[path] = html("信息公开" if i == 0 else "政务公开",
                           f"<table>{rows}</table><div class='page'>共{total}页 <a href='index_1.html'>下一页</a>"
                           f" <a href='index_{total - 1}.html'>尾页</a></div>")
    for p, listed in enumerate(((0, 1, 2), (3, 4, 5))):
        links = []
        for k in listed:
            title = f"{county}人民政府{2019 + k}年政府信息公开工作年度报告"
            pages[f"/zwgk/ndbg/{8100 + k}.html"] = report_page(title, 10 + k)
            links.append(f"<li><a href='/zwgk/ndbg/{8100 + k}.html'>{title}</a></li>")
        pager = "<a href='index_1.html'>下一页</a>" if p == 0 else "<a href='index.html'>上一页</a>"
        pages["/zwgk/ndbg/index.html" if p == 0 else "/zwgk/ndbg/index_1.html"] = html(
            "政府信息公开年报", f"<ul>{''.join(links)}</ul><div>{pager}</div>")
    return pages


@pytest.fixture
def redis_url(tmp_path):
    proc, url = start_redis(tmp_path)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def notes_of(data: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(data / "nianbao.db") as conn:
        return sorted(conn.execute("SELECT source_id, url, reason FROM crawl_errors WHERE reason LIKE 'note:%'"))


def test_two_workers_write_the_notes_one_process_writes(tmp_path, redis_url) -> None:
    hosts = {name: Host(name, county, 0, latency=0.3, slow=0.3, pages=portal(county))
             for name, county in COUNTIES.items()}
    try:
        sources = tmp_path / "sources.json"
        sources.write_text(json.dumps([
            {"id": f"county-{name}", "name": f"{h.county}人民政府", "level": "county", "kind": "government",
             "region": {"province": "山东省", "city": "德州市", "county": h.county}, "family": "generic",
             "start_urls": [h.url("/")]} for name, h in hosts.items()], ensure_ascii=False), encoding="utf-8")
        data, single = tmp_path / "distributed", tmp_path / "single"
        helper = subprocess.Popen([sys.executable, "-m", "crawler.distributed", "worker", "--redis", redis_url,
                                   "--data", str(data), "--wait", "60", *sets(STEADY)], env=ENV, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        coordinator = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(data),
                                      "--sources", str(sources), "--redis", redis_url, *sets(STEADY)],
                                     env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
        out, _ = helper.communicate(timeout=120)
        plain = subprocess.run([sys.executable, "-m", "crawler.run", "crawl", "--data", str(single),
                                "--sources", str(sources), *sets(STEADY)],
                               env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        for h in hosts.values():
            h.server.shutdown()
    assert coordinator.returncode == 0, coordinator.stderr[-3000:]
    assert helper.returncode == 0, out[-3000:]
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert "Traceback" not in out and "Traceback" not in coordinator.stderr
    # both workers crawled (each writes its own WARC series)
    assert len({p.name.rsplit("-", 1)[0] for p in (data / "warc").glob("nianbao-*.warc.gz")}) == 2
    fleet, alone = notes_of(data), notes_of(single)
    assert fleet == alone, (fleet, alone)
    for sid in ("county-a", "county-b"):
        mine = [(url, reason) for s, url, reason in alone if s == sid]
        # one off-host note and one unpaged note (the longer list's) per source, as one process writes them
        assert [u for u, r in mine if "host the entry does not list" in r] == [OLD_SITE], mine
        assert [(u.rsplit(":", 1)[-1].split("/", 1)[-1], r.split(";")[0]) for u, r in mine if "not paged" in r] \
            == [("xxgk/list/index.html", "note: list of 200 pages not paged (only 年报 columns are)")], mine
