"""`nianbao verify`: is the archive still the bytes that were archived?

Blobs are content-addressed, so each one proves itself: its sha256 must be its name.  A blob altered
or cut on disk (a bad sector, a careless copy, an edit) would otherwise be parsed as the document it
was (`archive/reparse.py` checks each blob it reads the same way, `BlobStore.read`, and records a
`parse_failures` row instead).  This walks every blob, every snapshot row's blob (one the database
names but the disk lacks), and every WARC file (gzip members whole, each record readable:
`archive.warc.check_warc`); then it compares the two copies, record by record (archive/recordcheck.py):
every snapshot's WARC record must be there and hold the bytes its blob is named after, and every record's
WARC-Payload-Digest must name its payload.  Exits 1 when anything is damaged.  Everything is streamed
(blobs and WARC files in chunks, snapshot rows one WARC file's at a time), and nothing is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

_NAME = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


@dataclass
class Verdict:
    blobs: int = 0
    warcs: int = 0
    damaged_blobs: list[dict] = field(default_factory=list)  # {"sha256", "problem", "path"}
    damaged_warcs: list[dict] = field(default_factory=list)  # {"path", "problem"}
    records: int = 0  # WARC records read whole
    snapshots: int = 0  # snapshot rows whose record was compared with their blob's name
    # {"warc_file", "warc_offset", "snapshot", "url", "sha256", "problem"} (archive/recordcheck.py)
    damaged_records: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged_blobs and not self.damaged_warcs and not self.damaged_records


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _named(data_dir: Path) -> set[str]:
    """Every blob a snapshot row names (none without a database)."""
    db = data_dir / "nianbao.db"
    if not db.is_file():
        return set()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM snapshots WHERE sha256 IS NOT NULL")}
    except sqlite3.Error:
        return set()
    finally:
        conn.close()


def verify(data_dir: Path) -> Verdict:
    from archive import recordcheck
    from archive.store import BlobStore

    data_dir = Path(data_dir)
    store, out = BlobStore(data_dir), Verdict()
    seen: set[str] = set()
    for path in sorted(store.root.glob("*/*/*")) if store.root.is_dir() else []:
        if not _NAME.fullmatch(path.name):
            continue  # a writer's .tmp- file: never read as a blob
        out.blobs += 1
        seen.add(path.name)
        actual = _digest(path)
        if actual != path.name:
            out.damaged_blobs.append({"sha256": path.name, "path": str(path),
                                      "problem": f"bytes hash to {actual} ({path.stat().st_size} bytes)"})
        elif path.parent != store.path(path.name).parent:
            out.damaged_blobs.append({"sha256": path.name, "path": str(path), "problem": "stored under the wrong directory"})
    for sha in sorted(_named(data_dir) - seen):
        out.damaged_blobs.append({"sha256": sha, "path": str(store.path(sha)), "problem": "missing (a snapshot row names it)"})
    groups = recordcheck.snapshot_groups(data_dir / "nianbao.db")
    group = next(groups, None)
    warcs = (data_dir / "warc").glob("*.warc.gz") if (data_dir / "warc").is_dir() else []
    for path in sorted(warcs, key=lambda p: p.name):
        while group is not None and (group[0] is None or group[0] < path.name):  # rows naming no file here
            out.damaged_records += recordcheck.lost(*group)
            out.snapshots += len(group[1])
            group = next(groups, None)
        snaps = []
        if group is not None and group[0] == path.name:
            snaps = group[1]
            group = next(groups, None)
        out.warcs += 1
        check, damaged = recordcheck.check_file(path, snaps)
        out.records += check.records
        out.snapshots += len(snaps)
        if check.damaged:
            out.damaged_warcs.append({"path": str(path), "problem": f"{check.problem} ({check.records} whole records"
                                                                    f" in the first {check.good_bytes} bytes)"})
        out.damaged_records += damaged
    while group is not None:
        out.damaged_records += recordcheck.lost(*group)
        out.snapshots += len(group[1])
        group = next(groups, None)
    return out


def main(argv: list[str] | None = None) -> int:
    """`nianbao verify [--data DIR] [--json]`: exit 0 when every blob and WARC is whole, 1 when not."""
    ap = argparse.ArgumentParser(prog="nianbao verify",
                                 description="check that every archived blob hashes to its name, every WARC"
                                             " file reads record by record and every snapshot's WARC record holds"
                                             " its blob's bytes; exit 1 when something is damaged or missing")
    ap.add_argument("--data", type=Path, default=Path("data"), metavar="DIR")
    ap.add_argument("--json", action="store_true", help="print the verdict as JSON")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"nianbao verify: no data directory {args.data}", file=sys.stderr)
        return 2
    v = verify(args.data)
    if args.json:
        print(json.dumps({"ok": v.ok, "blobs": v.blobs, "warcs": v.warcs, "records": v.records,
                          "snapshots": v.snapshots, "damaged_blobs": v.damaged_blobs, "damaged_warcs": v.damaged_warcs,
                          "damaged_records": v.damaged_records}, ensure_ascii=False, indent=2))
    else:
        for b in v.damaged_blobs:
            print(f"damaged blob {b['sha256']}: {b['problem']}")
        for w in v.damaged_warcs:
            print(f"damaged WARC {w['path']}: {w['problem']}")
        for r in v.damaged_records:
            where = f"{r['warc_file']}@{r['warc_offset']}" if r["warc_file"] else "no WARC record"
            whose = f"snapshot {r['snapshot']} ({r['url']})" if r["snapshot"] is not None else f"record of {r['url']}"
            kind = "missing" if r["problem"].startswith("missing: ") else "damaged"
            print(f"{kind} WARC record {where}: {whose}: {r['problem'].removeprefix('missing: ')}")
        print(f"{v.blobs} blobs, {v.warcs} WARC files ({v.records} records, {v.snapshots} snapshots' records compared"
              " with their blobs) checked: "
              + ("all whole" if v.ok else f"{len(v.damaged_blobs)} damaged blobs, {len(v.damaged_warcs)} damaged WARCs,"
                                          f" {len(v.damaged_records)} missing or damaged WARC records"))
    return 0 if v.ok else 1
