"""Complete CSV export of a canned query (`/-/export/<query>.csv`).

Datasette 0.65 cuts a canned query at `max_returned_rows` (1,000) on the page and in its .csv/.json,
and streams only tables.  A reader who asks for the whole result (completeness matrix of 1,700
sources × 7 years, latest_cells of 10k reports) gets it here: the query's own SQL on a read-only
connection, rows written as they are read, so memory stays flat however long the result is.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from datasette.utils import derive_named_parameters

CHUNK = 2000  # rows fetched (and written) at a time


def parameters(sql: str) -> list[str]:
    """Named parameters of a query (`:agency`), in order of first use; a blank one matches all.

    Datasette's own reading (comments and quoted strings skipped), so the export binds exactly the
    parameters the query page offers.  It is a coroutine only by signature (it reads no database):
    run to its end here, as the export runs in a worker thread outside any event loop."""
    coro = derive_named_parameters(None, sql)
    try:
        coro.send(None)
    except StopIteration as done:
        return list(dict.fromkeys(done.value))
    coro.close()
    raise RuntimeError("datasette.utils.derive_named_parameters awaited something")


def read_only(db_path: Path | str, prepare: Callable[[sqlite3.Connection], None] | None = None) -> sqlite3.Connection:
    """A read-only connection (`mode=ro`): an export can never write, whatever the SQL."""
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, check_same_thread=False)
    if prepare is not None:
        prepare(conn)
    return conn


def csv_chunks(cursor: sqlite3.Cursor) -> Iterator[str]:
    """The header line, then CHUNK rows at a time as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([d[0] for d in cursor.description])
    while True:
        rows = cursor.fetchmany(CHUNK)
        if buf.tell():
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        if not rows:
            return
        writer.writerows(rows)


def run(conn: sqlite3.Connection, sql: str, given: dict[str, str]) -> sqlite3.Cursor:
    """The query with every named parameter bound (missing ones blank, as the query page's empty form)."""
    return conn.execute(sql, {name: given.get(name, "") for name in parameters(sql)})


def _stamp(db_path: Path) -> str:
    """Changes whenever the database does: size and mtime of the file and of its -wal."""
    parts = []
    for f in (db_path, db_path.with_name(db_path.name + "-wal")):
        st = f.stat() if f.exists() else None
        parts.append(f"{st.st_size}-{st.st_mtime_ns}" if st else "0")
    return "_".join(parts)


def cached_copy(db_path: Path | str, cache_dir: Path | str) -> Path:
    """One snapshot copy per state of the database, shared by every download of that state: a copy per
    request would let a few parallel downloads of a large archive fill the disk.  Older copies are
    removed when a new one is made (a download still reading one keeps its open file)."""
    db_path, cache_dir = Path(db_path), Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"nianbao-{_stamp(db_path)}.db"
    if target.exists():
        return target
    part = target.with_suffix(".part")
    try:
        snapshot_copy(db_path, part)
        part.rename(target)
    finally:
        part.unlink(missing_ok=True)
    for old in cache_dir.glob("nianbao-*.db"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def snapshot_copy(db_path: Path | str, target: Path | str) -> None:
    """A consistent copy of the whole database (SQLite's online backup: a re-parse or a review
    written meanwhile is either all in or not at all), for `/nianbao.db`, which Datasette refuses
    for a database it may write to."""
    src = read_only(db_path)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst, pages=4096)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
