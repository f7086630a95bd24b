"""idempotent_requests: POSTs sent with an Idempotency-Key and their answers

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "idempotent_requests",
        sa.Column("caller", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", JSON_DOC, nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("withheld", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("caller", "key", name=op.f("pk_idempotent_requests")),
    )
    op.create_index(
        op.f("ix_idempotent_requests_expires_at"), "idempotent_requests", ["expires_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotent_requests_expires_at"), table_name="idempotent_requests")
    op.drop_table("idempotent_requests")
