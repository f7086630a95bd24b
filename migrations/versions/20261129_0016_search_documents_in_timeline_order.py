"""Events' search documents carry copies of the events' sort keys, indexed in timeline order

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 19:15:00

The newest events holding a common word walked the timeline and looked up each event's search
document: 1,900 events and 9,500 pages read for the newest 50 holding a word found in one
event in twelve, of a million. With the sort keys copied onto the documents, the walk reads the
documents in timeline order and tests each one's own vector (app.events.filters.TextWalk).
The copies are written with the document, which every change to an event rewrites.

This migration rewrites every search document: 12 minutes for ten million events on the
benchmark machine (2 cores), PostgreSQL's full-text indexes rebuilt after the update.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# PostgreSQL's full-text indexes (0002, 0013), rebuilt after the copies are written: updating
# every document entry by entry in them took 3 minutes for a million documents.
POSTGRES_TEXT_INDEXES = {
    "search_fts_vector_index": "CREATE INDEX search_fts_vector_index ON search_documents "
    "USING gin (search_fts_vector) WITH (fastupdate = off)",
    "search_fts_keys": "CREATE INDEX search_fts_keys ON search_documents "
    "USING gin (keys gin_trgm_ops)",
}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column("search_documents", sa.Column("event_sort_lower", sa.Date(), nullable=True))
    op.add_column("search_documents", sa.Column("event_sort_upper", sa.Date(), nullable=True))
    for name in POSTGRES_TEXT_INDEXES if postgresql else ():
        op.execute(f"DROP INDEX {name}")
    op.execute(
        "UPDATE search_documents SET event_sort_lower = events.sort_lower, "
        "event_sort_upper = events.sort_upper FROM events "
        "WHERE search_documents.kind = 'event' AND events.id = search_documents.record_id"
    )
    for statement in POSTGRES_TEXT_INDEXES.values() if postgresql else ():
        op.execute(statement)
    op.create_index(
        "ix_search_documents_event_timeline",
        "search_documents",
        ["kind", "event_sort_lower", "event_sort_upper", "record_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_search_documents_event_timeline", table_name="search_documents")
    # Dropped in place: a batch copy of the table would lose SQLite's full-text triggers on it.
    for column in ("event_sort_upper", "event_sort_lower"):
        op.execute(f"ALTER TABLE search_documents DROP COLUMN {column}")
