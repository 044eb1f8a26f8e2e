"""Datasette plugin: a table sorted by any column (?_sort= / ?_sort_desc=) pages exactly.

Datasette 0.65 orders the first page of a sorted table by the sort column alone, and every later
page by (column, primary key) from the `_next` token.  Rows that tie on the column (10,000 reports
share a few hundred agencies, five levels, seven years) come out of the first page in whatever
order SQLite finds them, so the second page skips some and repeats others: next links, the
`.csv?_stream=on` download and the `excel` link all lose rows.  One rule here fixes every column
of every table: the first page's ORDER BY gets the same primary-key tie-break the later pages
use (Datasette's own SQL, recognised only on a table page of this database).

A column without type affinity (findings.printed / implied: a number or the text as printed)
has a second trap: the `_next` token carries the value as text, and SQLite never finds a number
equal to or less than a text, so paging such a column stops or loops; the token's value gets its
number type back there.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from urllib.parse import unquote

from datasette import hookimpl
from datasette.utils import escape_sqlite, tilde_decode

DB = "nianbao"
# the table whose page is being served (None: any other page), set per request by asgi_wrapper
_TABLE: ContextVar[str | None] = ContextVar("nianbao_table_page", default=None)
_TABLE_PATH = re.compile(rf"^/{DB}/(?P<table>[^/]+?)(?:\.(?:json|csv))?$")
_COLUMN = r"(?:\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_]*)"
# the tail of Datasette's table SQL: "… order by <col>[ desc][, <pks>] limit <n>"
_TAIL = re.compile(rf" order by (?P<col>{_COLUMN})(?P<desc> desc)?(?P<pks>(?:, {_COLUMN})+)? limit (?P<limit>\d+)$")
_INTEGER = re.compile(r"-?\d+")
_REAL = re.compile(r"-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?")


def table_of(path: str) -> str | None:
    """The table a table page (HTML, JSON or CSV) shows, from its path; canned queries match too,
    but their SQL never names themselves after FROM, so nothing of theirs is touched."""
    found = _TABLE_PATH.match(path)
    return tilde_decode(unquote(found.group("table"))) if found else None


def untyped(declared: str | None) -> bool:
    """SQLite's affinity rule: a column declared without a type (or BLOB) compares as stored."""
    return not declared or "BLOB" in declared.upper()


def typed(value):
    """A `_next` token value as the number it was printed from ("12" -> 12, "0.5" -> 0.5)."""
    if isinstance(value, str):
        if _INTEGER.fullmatch(value):
            return int(value)
        if _REAL.fullmatch(value):
            return float(value)
    return value


def tie_broken(sql: str, table: str, order_pks: str, untyped_columns: set[str],
               params: dict | None) -> tuple[str, dict | None]:
    """Datasette's table-page SQL made exact: the first page ordered by (column, pks) as later
    pages are; on a later page of an untyped column, the token's value typed.  Any other SQL
    (counts, facets, canned and typed-in queries) is returned as it came."""
    found = _TAIL.search(sql) if sql.startswith("select ") else None
    if not found or f" from {escape_sqlite(table)} " not in sql[: found.start() + 1]:
        return sql, params
    col, desc = found.group("col"), found.group("desc") or ""
    if found.group("pks") is None:
        if col == order_pks:  # sorted by the key itself: already unique
            return sql, params
        return sql[: found.start()] + f" order by {col}{desc}, {order_pks} limit {found.group('limit')}", params
    if found.group("pks") != f", {order_pks}" or col not in untyped_columns or not params:
        return sql, params
    bound = re.search(rf"\({re.escape(col)} [<>] :(?P<name>p\d+)", sql)
    if bound and bound.group("name") in params:
        params = {**params, bound.group("name"): typed(params[bound.group("name")])}
    return sql, params


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def inner(scope, receive, send):
            table = table_of(scope.get("path", "")) if scope.get("type") == "http" else None
            token = _TABLE.set(table)
            try:
                return await app(scope, receive, send)
            finally:
                _TABLE.reset(token)
        return inner
    return wrap


@hookimpl
def startup(datasette):
    """Route this database's queries through `tie_broken` while a table page is served."""
    db = datasette.databases.get(DB)
    if db is None or getattr(db, "_nianbao_tie_break", False):
        return
    original = db.execute

    async def execute(sql, params=None, *args, **kwargs):
        table = _TABLE.get()
        if table is not None and isinstance(sql, str) and sql.startswith("select ") and _TAIL.search(sql) \
                and table not in await db.view_names():
            pks = await db.primary_keys(table)
            order_pks = ", ".join(escape_sqlite(pk) for pk in pks) if pks else "rowid"
            loose = {escape_sqlite(c.name) for c in await db.table_column_details(table) if untyped(c.type)}
            sql, params = tie_broken(sql, table, order_pks, loose, params)
        return await original(sql, params, *args, **kwargs)

    db.execute = execute
    db._nianbao_tie_break = True
