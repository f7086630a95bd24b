"""search index: normalised terms per record, FTS5 on SQLite, tsvector GIN and pg_trgm on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:40:00

Existing records are indexed by `waqai search reindex` (the normaliser is application code,
which migrations never import).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an external-content FTS5 table over search_documents.terms, kept in step by triggers.
# The terms are already normalised and contain only letters and digits, so the tokenizer must
# only split on spaces and must not fold anything further.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        terms, content='search_documents', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
        INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END""",
    # Trigrams of name skeletons, for spelling-tolerant actor resolution.
    """CREATE VIRTUAL TABLE search_fts_keys USING fts5(
        keys, content='search_documents', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_fts_keys_insert AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts_keys(rowid, keys) VALUES (new.id, new.keys); END""",
    """CREATE TRIGGER search_fts_keys_delete AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts_keys(search_fts_keys, rowid, keys) VALUES ('delete', old.id, old.keys); END""",
    """CREATE TRIGGER search_fts_keys_update AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts_keys(search_fts_keys, rowid, keys) VALUES ('delete', old.id, old.keys);
        INSERT INTO search_fts_keys(rowid, keys) VALUES (new.id, new.keys); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER search_fts_keys_update",
    "DROP TRIGGER search_fts_keys_delete",
    "DROP TRIGGER search_fts_keys_insert",
    "DROP TABLE search_fts_keys",
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_fts",
]
# PostgreSQL: the 'simple' configuration only lower-cases, so it keeps our terms as they are.
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_fts_terms ON search_documents USING gin (to_tsvector('simple', terms))",
    "CREATE INDEX search_fts_keys ON search_documents USING gin (keys gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX search_fts_keys", "DROP INDEX search_fts_terms"]


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_search_documents_kind_record_id")),
    )
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
    op.drop_table("search_documents")
