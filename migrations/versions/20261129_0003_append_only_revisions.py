"""revisions are append-only: the database refuses to change or delete one

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 06:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "revisions are append-only"

SQLITE_UP = [
    f"""CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER revisions_append_only_delete BEFORE DELETE ON revisions
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER revisions_append_only_delete",
    "DROP TRIGGER revisions_append_only_update",
]
POSTGRES_UP = [
    f"""CREATE FUNCTION revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE TRIGGER revisions_append_only BEFORE UPDATE OR DELETE ON revisions
        FOR EACH ROW EXECUTE FUNCTION revisions_append_only()""",
    # TRUNCATE bypasses row triggers; refuse it too.
    """CREATE TRIGGER revisions_no_truncate BEFORE TRUNCATE ON revisions
        FOR EACH STATEMENT EXECUTE FUNCTION revisions_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER revisions_no_truncate ON revisions",
    "DROP TRIGGER revisions_append_only ON revisions",
    "DROP FUNCTION revisions_append_only()",
]


def upgrade() -> None:
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
