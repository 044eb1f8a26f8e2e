"""`nianbao verify`'s second half: does every snapshot's WARC record hold the snapshot's bytes?

The blob store is the working copy and the WARC the interchange copy of the same captures; a replay tool
reads only the WARC, a parse only the blobs.  They can part: a record cut off or overwritten (a bad copy
of a WARC file, a tool that re-compressed it), a file lost, a row pointing at the wrong offset.  Each
snapshot row names its record (`warc_file`, `warc_offset`) and its blob (`sha256`), so the record's
payload must hash to the blob's name; and every record's own WARC-Payload-Digest must name its payload.

Each WARC file is read once, front to back, its payloads hashed as they stream past
(`archive.warc.check_warc(payloads=…)`): nothing is held whole, however big the file or the report
in it.  A record the sequential read cannot reach (past a damaged gzip member) is read where the row says.
Read-only: the database is opened read-only and no file is written, so killing it at any point leaves
the archive as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from archive.posted import warc_target
from archive.warc import Payload, WarcCheck, check_warc, payload_at

MAIN_TYPES = ("response", "conversion", "resource")  # records that hold a snapshot's bytes


@dataclass
class Snapshot:
    id: int
    url: str
    final_url: str | None
    sha256: str
    warc_file: str | None
    warc_offset: int | None


def snapshot_groups(db: Path) -> Iterator[tuple[str | None, list[Snapshot]]]:
    """Every snapshot row with a blob, one WARC file's at a time, in file-name order (rows naming none
    first): SQLite sorts, so only one file's rows are held at once."""
    if not db.is_file():
        return
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        try:
            rows = conn.execute("SELECT id, url, final_url, sha256, warc_file, warc_offset FROM snapshots"
                                " WHERE sha256 IS NOT NULL ORDER BY warc_file, warc_offset")
        except sqlite3.Error:  # no snapshots table: nothing to compare
            return
        for name, group in groupby((Snapshot(*row) for row in rows), key=lambda s: s.warc_file):
            yield name, list(group)
    finally:
        conn.close()


def _problem(snap: Snapshot, found: Payload | str) -> str | None:
    """What is wrong with the record a snapshot names, or None when it holds the snapshot's bytes."""
    if isinstance(found, str):
        return f"missing: {found}"
    if found.rec_type not in MAIN_TYPES:
        return f"missing: the record at byte {snap.warc_offset} is a {found.rec_type} record, not one holding its bytes"
    if found.uri not in (snap.url, snap.final_url, warc_target(snap.url)):  # a POSTed document: archive/posted.py
        return f"missing: the record at byte {snap.warc_offset} is of {found.uri}, not of {snap.url}"
    if found.sha256 != snap.sha256:
        return (f"its payload ({found.length} bytes) hashes to {found.sha256}, not to the snapshot's blob"
                f" {snap.sha256}")
    return None


def _entry(path_name: str, offset: int | None, snap: Snapshot | None, uri: str | None, problem: str) -> dict:
    return {"warc_file": path_name, "warc_offset": offset, "snapshot": snap.id if snap else None,
            "url": snap.url if snap else uri, "sha256": snap.sha256 if snap else None, "problem": problem}


def check_file(path: Path, snaps: list[Snapshot]) -> tuple[WarcCheck, list[dict]]:
    """Walk one WARC file (`check_warc`, payloads hashed as they stream past) and return it with its
    damaged records: records whose WARC-Payload-Digest names other bytes, and snapshots (`snaps`, the
    rows naming this file) whose record is missing or holds other bytes.  Only the payloads of records
    a row names are kept, until the walk ends."""
    out: list[dict] = []
    named = {snap.warc_offset: snap for snap in snaps}
    seen: dict[int, Payload] = {}

    def each(offset: int, found: Payload) -> None:
        if found.claim_disagrees():
            out.append(_entry(path.name, offset, named.get(offset), found.uri, _claim(found)))
        if offset in named:
            seen[offset] = found

    check = check_warc(path, payloads=each)
    for snap in snaps:
        found = seen.get(snap.warc_offset) if snap.warc_offset is not None else "it names no offset"
        if found is None:  # past a damaged gzip member, or no record starts there: read where the row says
            found = payload_at(path, snap.warc_offset)
            if isinstance(found, Payload) and found.claim_disagrees():
                out.append(_entry(path.name, snap.warc_offset, snap, found.uri, _claim(found)))
        problem = _problem(snap, found)
        if problem:
            out.append(_entry(path.name, snap.warc_offset, snap, None, problem))
    return check, out


def _claim(found: Payload) -> str:
    return f"its WARC-Payload-Digest {found.claimed} does not name its payload ({found.sha1}, {found.length} bytes)"


def lost(name: str | None, snaps: list[Snapshot]) -> list[dict]:
    """Snapshots naming a WARC file that is not there, or no record at all."""
    problem = "missing: it names no WARC record" if name is None else f"missing: no WARC file {name}"
    return [_entry(name or "", snap.warc_offset, snap, None, problem) for snap in snaps]
