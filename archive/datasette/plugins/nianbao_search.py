"""Datasette plugin: SQL functions of the narrative search (see archive.textsearch).

Loaded with --plugins-dir by `nianbao serve`; the canned query `search_narrative` narrows with
`bigram_query(:q)` against the `sections_bigram` index (unless `narrative_narrows(:q)` is false)
and decides with `narrative_matches(text, :q)`; `narrative_excludes(text, :q)` drops a report any of
whose sections holds a -word or -"phrase" (only asked when `narrative_has_exclusions(:q)`).
"""

from __future__ import annotations

from datasette import hookimpl

from archive.textsearch import bigram_query, bigrams, excludes, has_exclusions, matches, narrows


@hookimpl
def prepare_connection(conn) -> None:
    conn.create_function("bigram_query", 1, bigram_query, deterministic=True)
    conn.create_function("bigrams", 1, bigrams, deterministic=True)
    conn.create_function("narrative_matches", 2, matches, deterministic=True)
    conn.create_function("narrative_narrows", 1, narrows, deterministic=True)
    conn.create_function("narrative_has_exclusions", 1, has_exclusions, deterministic=True)
    conn.create_function("narrative_excludes", 2, excludes, deterministic=True)
