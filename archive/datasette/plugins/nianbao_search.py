"""Datasette plugin: SQL functions for 2-character Chinese search (see archive.textsearch).

Loaded with --plugins-dir by `nianbao serve`; the canned query `search_narrative` uses
`bigram_query(:q)` against the `sections_bigram` index.
"""

from __future__ import annotations

from datasette import hookimpl

from archive.textsearch import bigram_query, bigrams


@hookimpl
def prepare_connection(conn) -> None:
    conn.create_function("bigram_query", 1, bigram_query, deterministic=True)
    conn.create_function("bigrams", 1, bigrams, deterministic=True)
