"""import jobs, and a unique index of events' external ids (one ACLED id, one event)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 06:50:47.524562
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_jobs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=500), nullable=True),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql"), nullable=False),
    sa.Column('errors', sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql"), nullable=False),
    sa.Column('rejected_csv', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_state'), ['state'], unique=False)

    op.create_table('event_external_ids',
    sa.Column('scheme', sa.String(length=50), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_external_ids_event_id_events')),
    sa.PrimaryKeyConstraint('scheme', 'value', name=op.f('pk_event_external_ids'))
    )
    with op.batch_alter_table('event_external_ids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_external_ids_event_id'), ['event_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('event_external_ids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_external_ids_event_id'))

    op.drop_table('event_external_ids')
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_state'))

    op.drop_table('import_jobs')
