"""search vocabulary: the terms of each kind of record, their one-letter-shorter variants and a trigram index, for loose matching of plain words

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 09:45:00

The terms come from the normaliser, application code that migrations never import: existing
documents are listed by `waqai search reindex` (`waqai serve` does it by itself on SQLite).
Like every search_fts* object, these tables are the migrations' alone (app.core.migrations).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an external-content FTS5 table with the trigram tokenizer finds the terms containing
# a word; case-sensitive, as terms are already folded and PostgreSQL's LIKE compares as it is.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts_vocabulary_trigrams USING fts5(
        term, content='search_fts_vocabulary', content_rowid='id',
        tokenize='trigram case_sensitive 1')""",
    """CREATE TRIGGER search_fts_vocabulary_insert AFTER INSERT ON search_fts_vocabulary BEGIN
        INSERT INTO search_fts_vocabulary_trigrams(rowid, term) VALUES (new.id, new.term); END""",
    """CREATE TRIGGER search_fts_vocabulary_delete AFTER DELETE ON search_fts_vocabulary BEGIN
        INSERT INTO search_fts_vocabulary_trigrams(search_fts_vocabulary_trigrams, rowid, term)
        VALUES ('delete', old.id, old.term); END""",
    """CREATE TRIGGER search_fts_vocabulary_update AFTER UPDATE ON search_fts_vocabulary BEGIN
        INSERT INTO search_fts_vocabulary_trigrams(search_fts_vocabulary_trigrams, rowid, term)
        VALUES ('delete', old.id, old.term);
        INSERT INTO search_fts_vocabulary_trigrams(rowid, term) VALUES (new.id, new.term); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER search_fts_vocabulary_update",
    "DROP TRIGGER search_fts_vocabulary_delete",
    "DROP TRIGGER search_fts_vocabulary_insert",
    "DROP TABLE search_fts_vocabulary_trigrams",
]
# PostgreSQL: pg_trgm (installed by 0002) answers term LIKE '%word%' from a GIN index.
POSTGRES_UP = [
    "CREATE INDEX search_fts_vocabulary_trigrams ON search_fts_vocabulary "
    "USING gin (term gin_trgm_ops) WITH (fastupdate = off)"
]
POSTGRES_DOWN = ["DROP INDEX search_fts_vocabulary_trigrams"]


def upgrade() -> None:
    op.create_table(
        "search_fts_vocabulary",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_fts_vocabulary")),
        sa.UniqueConstraint("kind", "term", name=op.f("uq_search_fts_vocabulary_kind_term")),
    )
    op.create_table(
        "search_fts_variants",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.Text(), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "variant", "term", name=op.f("pk_search_fts_variants")),
    )
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
    op.drop_table("search_fts_variants")
    op.drop_table("search_fts_vocabulary")
