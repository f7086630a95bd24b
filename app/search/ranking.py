"""Ordering a list by relevance to a text query, with the same keyset cursors as any list."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.core.listing import SortKey
from app.core.text import SearchQuery
from app.search.backends import BACKENDS
from app.search.loose import with_alternatives


def by_relevance(
    session: Session, stmt: Select[Any], id_column: Any, kind: str, query: SearchQuery
) -> tuple[Select[Any], SortKey]:
    """`stmt` joined to its matches' scores, and the order best-first (ties by id); rows are
    (record, rank)."""
    backend = BACKENDS[session.get_bind().dialect.name]
    ranked = backend.ranked(kind, with_alternatives(session, kind, query)).subquery("ranked")
    rank = -ranked.c.score  # ascending keyset order = best score first
    joined = stmt.join(ranked, ranked.c.record_id == id_column).add_columns(rank.label("rank"))
    order = SortKey(
        columns=[rank, id_column],
        values_of=lambda row: [row.rank, row[0].id],
        parsers=[float, uuid.UUID],
    )
    return joined, order
