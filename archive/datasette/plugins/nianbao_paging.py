"""Datasette plugin: a table sorted by any column (?_sort= / ?_sort_desc=) pages exactly.

Datasette 0.65 orders the first page of a sorted table by the sort column alone, and every later
page by (column, primary key) from the `_next` token.  Rows that tie on the column (10,000 reports
share a few hundred agencies, five levels, seven years) come out of the first page in whatever
order SQLite finds them, so the second page skips some and repeats others: next links, the
`.csv?_stream=on` download and the `excel` link all lose rows.  One rule here fixes every column
of every table: the first page's ORDER BY gets the same primary-key tie-break the later pages
use (Datasette's own SQL, recognised only on a table page of this database).

Two traps of a column without type affinity (findings.printed / implied: a number, or the text
as printed) are closed here too.  The `_next` token carries the sort value as text, and SQLite
never finds a number equal to or less than a text, so paging such a column stopped or looped: a
later page's sort value is read from the row the token names (`select col from table where
<key> = :pN`, with the key values Datasette binds), exact for any type.  And `?printed=5` bound
"5" as text, which no stored number equals: an `=` / `!=` filter on such a column binds a value
written in ASCII digits as the number (as the parser stores numbers; the text as printed, "—",
stays text).

The SQL a table page shows (JSON `query.sql`, "View and edit SQL") is Datasette's, without the
key tie-break or these bindings: run as shown, a sorted page may order ties differently.
"""

from __future__ import annotations

import re
import sqlite3
from contextvars import ContextVar
from urllib.parse import unquote

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import escape_sqlite, tilde_decode

DB = "nianbao"
# the table whose page is being served (None: any other page), set per request by asgi_wrapper
_TABLE: ContextVar[str | None] = ContextVar("nianbao_table_page", default=None)
_TABLE_PATH = re.compile(rf"^/{DB}/(?P<table>[^/]+?)(?:\.(?:json|csv))?$")
_COLUMN = r'(?:\[[^\]]+\]|"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)'
# Datasette's table-page SQL and nothing else: "select <columns> from <table> [where …]order by
# <col>[ desc][, <pks>] limit <n>" (views.table: `sql`).  Matched whole, on purpose: the facet
# SQL wraps the table's SQL in "select … count(*) … from (…) … order by count desc, value limit
# <n>" (a select list with parentheses, and it ends in whitespace), counts have no order by,
# and a typed-in query is no table page; none of them may be rewritten.
_TABLE_SQL = re.compile(
    rf"select (?:{_COLUMN}|\*)(?:, (?:{_COLUMN}|\*))* from (?P<table>{_COLUMN}) (?:where .* )?"
    rf"order by (?P<col>{_COLUMN})(?P<desc> desc)?(?P<pks>(?:, {_COLUMN})+)? limit (?P<limit>\d+)", re.S)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1  # what SQLite stores as an INTEGER
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")  # ASCII only: "５" stays text

def table_of(path: str) -> str | None:
    """The table a table page (HTML, JSON or CSV) shows, from its path; canned queries match too,
    but their SQL never names themselves after FROM, so nothing of theirs is touched."""
    found = _TABLE_PATH.match(path)
    return tilde_decode(unquote(found.group("table"))) if found else None


def untyped(declared: str | None) -> bool:
    """SQLite's affinity rule: a column declared without a type (or BLOB) compares as stored."""
    return not declared or "BLOB" in declared.upper()


def typed(value):
    """A value typed in (or a token's, when its row is gone) as the number it spells in ASCII
    digits ("12" -> 12, "0.5" -> 0.5); anything else ("５", "—", "1,234") as it came."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        if re.fullmatch(r"-?[0-9]+", value) and len(value) < 4300:  # Python's own limit on int(str)
            whole = int(value)
            if _INT64_MIN <= whole <= _INT64_MAX:  # beyond, sqlite3 cannot bind it: a float still compares
                return whole
        return float(value)
    return value

def table_sql(sql: str, table: str) -> re.Match | None:
    """The parts of Datasette's own SQL for `table`'s page (see `_TABLE_SQL`), else None."""
    found = _TABLE_SQL.fullmatch(sql)
    return found if found and found.group("table") == escape_sqlite(table) else None


def tie_broken(sql: str, table: str, order_pks: str) -> str:
    """Datasette's table-page SQL ordered by (column, pks) on the first page as later pages are;
    any other SQL (counts, facets, canned and typed-in queries) as it came."""
    found = table_sql(sql, table)
    if not found or found.group("pks") is not None or found.group("col") == order_pks:
        return sql  # a later page (already tie-broken), or sorted by the key itself
    cut = found.end("desc") if found.group("desc") else found.end("col")
    return sql[:cut] + f", {order_pks} limit {found.group('limit')}"


def sort_value_lookup(sql: str, table: str, pks: list[str], params: dict | None) -> tuple[str, str, dict] | None:
    """On a later page of a sorted table, (the sort value's parameter, SQL reading that value from
    the row the `_next` token names, its parameters).  Datasette binds the key values first, then
    the sort value: `(col > :pS or (col = :pS and <key> > :p(S-1)…))`."""
    found = table_sql(sql, table)
    if not found or found.group("pks") is None or not params:
        return None
    col = found.group("col")
    bound = re.search(rf"\({re.escape(col)} [<>] :p(?P<n>\d+)", sql)
    if not bound:
        return None  # the token's sort value was NULL: nothing bound
    s = int(bound.group("n"))
    names = [f"p{s - len(pks) + i}" for i in range(len(pks))]
    if s < len(pks) or any(n not in params or f":{n}" not in sql for n in names):
        return None
    where = " and ".join(f"{pk} = :{n}" for pk, n in zip(pks, names, strict=True))
    return f"p{s}", f"select {col} from {escape_sqlite(table)} where {where}", {n: params[n] for n in names}


def numbers_bound(sql: str, params: dict | None, untyped_columns: set[str]) -> dict | None:
    """`?col=5` / `?col__not=5` on an untyped column: the value bound as the number it spells,
    which is what equals a stored number.  Only Datasette's filter form (`"col" = :pN`, the
    column quoted as filters.py quotes it) is touched, in every query of the page (rows, count,
    facets), so the count agrees with the rows."""
    if not isinstance(params, dict) or not untyped_columns:
        return params
    out = dict(params)
    for col in untyped_columns:
        quoted = escape_sqlite(col)
        quoted = f'"{col}"' if quoted == col else quoted
        for found in re.finditer(rf"(?<![\w\]\"]){re.escape(quoted)} !?= :(?P<name>p\d+)\b", sql):
            if found.group("name") in out:
                out[found.group("name")] = typed(out[found.group("name")])
    return out

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
    """Route this database's queries through `tie_broken` / `numbers_bound` / the sort value read
    from its row while a table page is served."""
    db = datasette.databases.get(DB)
    if db is None or getattr(db, "_nianbao_tie_break", False):
        return
    original = db.execute

    async def execute(sql, params=None, *args, **kwargs):
        table = _TABLE.get()
        if table is None or not isinstance(sql, str) or not sql.startswith("select ") \
                or not (_TABLE_SQL.fullmatch(sql) or (isinstance(params, dict) and "= :p" in sql)):
            return await original(sql, params, *args, **kwargs)
        token = _TABLE.set(None)  # the lookups below run queries of their own: not through here again
        try:
            new_sql, new_params = await exact(table, sql, params)
        except QueryInterrupted:
            raise
        except Exception:  # noqa: BLE001 - never turn a page plain Datasette serves into a 500
            new_sql, new_params = sql, params
        finally:
            _TABLE.reset(token)
        if (new_sql, new_params) == (sql, params):
            return await original(sql, params, *args, **kwargs)
        try:
            return await original(new_sql, new_params, *args, **kwargs)
        except (OverflowError, sqlite3.InterfaceError, sqlite3.ProgrammingError):
            return await original(sql, params, *args, **kwargs)  # a value SQLite cannot bind: as Datasette would

    async def exact(table: str, sql: str, params: dict | None) -> tuple[str, dict | None]:
        if table in await db.view_names():
            return sql, params
        details = await db.table_column_details(table)
        if not details:  # no table of this database (a canned query's name has no columns)
            return sql, params
        pks = [escape_sqlite(pk) for pk in await db.primary_keys(table)] or ["rowid"]
        loose = {c.name for c in details if untyped(c.type)}
        sql = tie_broken(sql, table, ", ".join(pks))
        params = numbers_bound(sql, params, loose)
        lookup = sort_value_lookup(sql, table, pks, params)
        if lookup:
            name, value_sql, value_params = lookup
            row = (await original(value_sql, value_params)).first()
            if row is not None:
                params = {**params, name: row[0]}
            elif table_sql(sql, table).group("col") in {escape_sqlite(c) for c in loose}:
                params = {**params, name: typed(params[name])}  # the row is gone: at least its number
        return sql, params

    db.execute = execute
    db._nianbao_tie_break = True
