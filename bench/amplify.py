"""Scale a loaded benchmark database up by copying its events, on PostgreSQL.

Importing a million events through Waqai's import takes about an hour on the benchmark
machine (the import is itself a scenario, measured on the events it imports). For the read
scenarios at scale, each imported event is copied `factor - 1` more times with new ids, with
its actors, search document and external ids, by SQL inside the database: the countries, types,
actors, dates and words keep the generator's proportions, and every day holds `factor` times
its events. Revisions are not copied: no read scenario reads history.
"""

from __future__ import annotations

import psycopg

from bench.databases import Target
from bench.load import copy_columns

COPIES = """
CREATE TEMP TABLE copies AS
    SELECT e.id AS original, k, md5(e.id::text || ':' || k)::uuid AS copy
    FROM events AS e, generate_series(1, %(extra)s) AS k
"""
EVENTS = """
INSERT INTO events ({columns})
SELECT {sources} FROM events AS e JOIN copies ON copies.original = e.id
"""
PARTICIPATIONS = """
INSERT INTO participations ({columns})
SELECT {sources} FROM participations AS e JOIN copies ON copies.original = e.event_id
"""
DOCUMENTS = """
INSERT INTO search_documents (kind, record_id, terms, keys, event_sort_lower, event_sort_upper)
SELECT e.kind, copies.copy, e.terms, e.keys, e.event_sort_lower, e.event_sort_upper
FROM search_documents AS e JOIN copies ON copies.original = e.record_id
WHERE e.kind = 'event'
"""
EXTERNAL_IDS = """
INSERT INTO event_external_ids (scheme, value, event_id)
SELECT e.scheme, e.value || '#' || copies.k, copies.copy
FROM event_external_ids AS e JOIN copies ON copies.original = e.event_id
"""


def _copying(conn: psycopg.Connection, template: str, table: str, renamed: dict[str, str]) -> str:
    """`template` with the table's columns, the renamed ones taken from the copies table."""
    columns = copy_columns(conn, table)
    sources = [renamed.get(column, f'e."{column}"') for column in columns]
    quoted = ", ".join(f'"{column}"' for column in columns)
    return template.format(columns=quoted, sources=", ".join(sources))


def amplify(database: Target, factor: int) -> None:
    """Make every event `factor` events (PostgreSQL only), then refresh the statistics."""
    if factor <= 1:
        return
    with psycopg.connect(database.driver_url) as conn:
        conn.execute(COPIES, {"extra": factor - 1})
        conn.execute("ALTER TABLE copies ADD PRIMARY KEY (original, k)")
        conn.execute(_copying(conn, EVENTS, "events", {"id": "copies.copy"}))
        new_ids = {"id": "md5(e.id::text || ':' || copies.k)::uuid", "event_id": "copies.copy"}
        conn.execute(_copying(conn, PARTICIPATIONS, "participations", new_ids))
        conn.execute(DOCUMENTS)
        conn.execute(EXTERNAL_IDS)
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
