"""The `nianbao` command as a person types it: help texts, pipes into `head`, typos in --data, and
the counts `nianbao parse` reports.  Every case runs the installed console script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

NIANBAO = str(Path(sys.executable).with_name("nianbao"))
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([NIANBAO, *args], capture_output=True, text=True, timeout=120, cwd=ROOT, **kw)


def test_listing_into_a_closed_pipe_ends_quietly() -> None:
    """`nianbao sources | head`: the reader is gone before the listing is written; no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `head` does once it has its lines
    try:
        proc = subprocess.run([NIANBAO, "sources"], stdout=write_end, stderr=subprocess.PIPE, text=True,
                              timeout=120, cwd=ROOT)
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert proc.stderr.strip() == ""
    assert proc.returncode in (0, 141)


def test_serve_refuses_a_data_dir_without_an_archive(tmp_path: Path) -> None:
    typo = tmp_path / "dta"
    proc = run("serve", "--data", str(typo), "--port", "9")
    assert proc.returncode == 2
    assert "no archive at" in proc.stderr and str(typo) in proc.stderr and "--create" in proc.stderr
    assert not (typo / "nianbao.db").exists()  # nothing was made behind the user's back
    proc = run("--data", str(typo), "serve")  # the global --data is checked the same way
    assert proc.returncode == 2 and "no archive at" in proc.stderr


@pytest.mark.parametrize("command, options", [
    ("parse", ["--data", "--no-cache", "--sources"]),
    ("serve", ["--data", "--host", "--port", "--create"]),
    ("crawl", ["--data", "--sources", "--only", "--set"]),
])
def test_help_describes_every_option(command: str, options: list[str]) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"usage: nianbao {command}")
    body = proc.stdout.split("options:", 1)[1]
    entries = re.split(r"\n  (?=-)", body)
    for option in options:
        entry = next(e for e in entries if re.match(rf"(-\w, )?{option}\b", e.strip()))
        described = re.sub(rf"^(-\w, )?{option}( [A-Z_.=]+)?", "", " ".join(entry.split()))
        assert len(described.strip()) > 10, f"{command} {option} has no description: {entry!r}"
    if command == "serve":
        assert "default: 127.0.0.1" in proc.stdout and "default: 8001" in proc.stdout


def test_one_file_parse_has_its_own_help() -> None:
    proc = run("parse", "report.pdf", "--help")  # the file need not exist to ask how to parse it
    assert proc.returncode == 0 and "--all" in proc.stdout and "--text" in proc.stdout and "path" in proc.stdout
    assert "nianbao parse PATH" in run("parse", "--help").stdout


def test_replay_portal_help_names_its_command() -> None:
    proc = run("replay-portal", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: nianbao replay-portal")


def test_parse_counts_the_registry_it_keeps(tmp_path: Path) -> None:
    """A plain `nianbao parse` keeps the registry the crawl recorded and says how many sources it has."""
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "- id: lc-gov\n  name: 聊城市人民政府\n  level: city\n  kind: government\n  region: {province: 山东省, city: 聊城市}\n  family: generic\n"
        "  start_urls: [http://127.0.0.1:9/gk/]\n"
        "- id: lc-gaj\n  name: 聊城市公安局\n  level: city\n  kind: government\n  region: {province: 山东省, city: 聊城市}\n  family: generic\n"
        "  start_urls: [http://127.0.0.1:9/gaj/]\n", encoding="utf-8")
    data = tmp_path / "data"
    first = run("parse", "--data", str(data), "--sources", str(registry))
    assert first.returncode == 0, first.stderr
    assert "2 registry sources (recorded)" in first.stdout
    again = run("parse", "--data", str(data))
    assert again.returncode == 0, again.stderr
    assert "2 registry sources (kept)" in again.stdout
