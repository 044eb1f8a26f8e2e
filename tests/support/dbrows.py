"""Reading an archive's nianbao.db back as a user's query would: the tests that build an archive
without a crawler (re-parse, extraction cache, renamed bodies, rendered pages) all check it this way."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def db_rows(root: Path, sql: str, *args) -> list[dict]:
    """The rows `sql` returns from the archive at `root`, each a dict by column name."""
    conn = sqlite3.connect(root / "nianbao.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()
