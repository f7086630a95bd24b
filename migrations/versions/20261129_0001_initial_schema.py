"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 02:31:32.980743
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# JSONB on PostgreSQL, JSON text on SQLite (app.models.base.JsonDoc).
JSON_DOC = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table('actors',
    sa.Column('names', JSON_DOC, nullable=False),
    sa.Column('aliases', JSON_DOC, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('external_ids', JSON_DOC, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actors'))
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_country'), ['country'], unique=False)

    op.create_table('api_keys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_api_keys_secret_hash'))
    )
    op.create_table('locations',
    sa.Column('names', JSON_DOC, nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('admin1', sa.String(length=200), nullable=True),
    sa.Column('admin2', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('geonames_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('latitude BETWEEN -90 AND 90', name=op.f('ck_locations_latitude_range')),
    sa.CheckConstraint('longitude BETWEEN -180 AND 180', name=op.f('ck_locations_longitude_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locations_country'), ['country'], unique=False)

    op.create_table('outlets',
    sa.Column('names', JSON_DOC, nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('affiliation', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlets'))
    )
    op.create_table('processes',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('names', JSON_DOC, nullable=False),
    sa.Column('summary', JSON_DOC, nullable=True),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('proposed', sa.String(length=100), nullable=True),
    sa.Column('declared', sa.String(length=100), nullable=True),
    sa.Column('effective_from', sa.String(length=100), nullable=True),
    sa.Column('ended', sa.String(length=100), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=True),
    sa.Column('scope', JSON_DOC, nullable=True),
    sa.Column('terms', JSON_DOC, nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['processes.id'], name=op.f('fk_processes_parent_id_processes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processes'))
    )
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processes_parent_id'), ['parent_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity_type', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('op', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=True),
    sa.Column('request_id', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('before', JSON_DOC, nullable=True),
    sa.Column('after', JSON_DOC, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions'))
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_at'), ['at'], unique=False)
        batch_op.create_index('ix_revisions_entity', ['entity_type', 'entity_id', 'version'], unique=False)

    op.create_table('actor_affiliations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=False),
    sa.Column('target_actor_id', sa.Uuid(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('valid', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_actor_affiliations_actor_id_actors')),
    sa.ForeignKeyConstraint(['target_actor_id'], ['actors.id'], name=op.f('fk_actor_affiliations_target_actor_id_actors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_affiliations')),
    sa.UniqueConstraint('actor_id', 'target_actor_id', 'relation', name=op.f('uq_actor_affiliations_actor_id_target_actor_id_relation'))
    )
    with op.batch_alter_table('actor_affiliations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_affiliations_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_affiliations_target_actor_id'), ['target_actor_id'], unique=False)

    op.create_table('events',
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('title', JSON_DOC, nullable=False),
    sa.Column('summary', JSON_DOC, nullable=True),
    sa.Column('original_language', sa.String(length=35), nullable=False),
    sa.Column('when', sa.String(length=100), nullable=False),
    sa.Column('date_lower', sa.Date(), nullable=True),
    sa.Column('date_upper', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=16), nullable=False),
    sa.Column('sort_lower', sa.Date(), nullable=False),
    sa.Column('sort_upper', sa.Date(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('location_precision', sa.SmallInteger(), nullable=True),
    sa.Column('fatalities_low', sa.Integer(), nullable=True),
    sa.Column('fatalities_best', sa.Integer(), nullable=True),
    sa.Column('fatalities_high', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('retraction_reason', sa.Text(), nullable=True),
    sa.Column('verification', sa.String(length=16), nullable=False),
    sa.Column('external_ids', JSON_DOC, nullable=False),
    sa.Column('tags', JSON_DOC, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(fatalities_low IS NULL OR fatalities_best IS NULL OR fatalities_low <= fatalities_best) AND (fatalities_best IS NULL OR fatalities_high IS NULL OR fatalities_best <= fatalities_high) AND (fatalities_low IS NULL OR fatalities_high IS NULL OR fatalities_low <= fatalities_high)', name=op.f('ck_events_fatalities_ordered')),
    sa.CheckConstraint('date_lower IS NULL OR date_upper IS NULL OR date_lower <= date_upper', name=op.f('ck_events_dates_ordered')),
    sa.CheckConstraint('location_precision BETWEEN 1 AND 7', name=op.f('ck_events_location_precision_range')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_events_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)
        batch_op.create_index('ix_events_timeline', ['sort_lower', 'sort_upper', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_type'), ['type'], unique=False)

    op.create_table('sources',
    sa.Column('outlet_id', sa.Uuid(), nullable=True),
    sa.Column('url', sa.String(length=2048), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retrieved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_url', sa.String(length=2048), nullable=True),
    sa.Column('content_hash', sa.String(length=128), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_sources_outlet_id_outlets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('event_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('target_event_id', sa.Uuid(), nullable=False),
    sa.Column('relation', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('event_id <> target_event_id', name=op.f('ck_event_links_not_self')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_links_event_id_events')),
    sa.ForeignKeyConstraint(['target_event_id'], ['events.id'], name=op.f('fk_event_links_target_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_links')),
    sa.UniqueConstraint('event_id', 'target_event_id', 'relation', name=op.f('uq_event_links_event_id_target_event_id_relation'))
    )
    with op.batch_alter_table('event_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_links_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_links_target_event_id'), ['target_event_id'], unique=False)

    op.create_table('event_processes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('relation', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_processes_event_id_events')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_event_processes_process_id_processes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_processes')),
    sa.UniqueConstraint('event_id', 'process_id', 'relation', name=op.f('uq_event_processes_event_id_process_id_relation'))
    )
    with op.batch_alter_table('event_processes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_processes_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_processes_process_id'), ['process_id'], unique=False)

    op.create_table('participations',
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('process_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('stance', sa.String(length=30), nullable=True),
    sa.Column('stance_when', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('event_sort_lower', sa.Date(), nullable=True),
    sa.Column('event_sort_upper', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(event_id IS NULL) <> (process_id IS NULL)', name=op.f('ck_participations_event_xor_process')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_participations_actor_id_actors')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_participations_event_id_events')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_participations_process_id_processes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations'))
    )
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participations_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_participations_actor_timeline', ['actor_id', 'event_sort_lower', 'event_sort_upper', 'event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_process_id'), ['process_id'], unique=False)

    op.create_table('citations',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=True),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('claimant_actor_id', sa.Uuid(), nullable=True),
    sa.Column('polarity', sa.String(length=10), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('quote_language', sa.String(length=35), nullable=True),
    sa.Column('translations', JSON_DOC, nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reported_when', sa.String(length=200), nullable=True),
    sa.Column('resolved_when', sa.String(length=100), nullable=True),
    sa.Column('fatalities_low', sa.Integer(), nullable=True),
    sa.Column('fatalities_best', sa.Integer(), nullable=True),
    sa.Column('fatalities_high', sa.Integer(), nullable=True),
    sa.Column('accused_actor_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(fatalities_low IS NULL OR fatalities_best IS NULL OR fatalities_low <= fatalities_best) AND (fatalities_best IS NULL OR fatalities_high IS NULL OR fatalities_best <= fatalities_high) AND (fatalities_low IS NULL OR fatalities_high IS NULL OR fatalities_low <= fatalities_high)', name=op.f('ck_citations_fatalities_ordered')),
    sa.ForeignKeyConstraint(['accused_actor_id'], ['actors.id'], name=op.f('fk_citations_accused_actor_id_actors')),
    sa.ForeignKeyConstraint(['claimant_actor_id'], ['actors.id'], name=op.f('fk_citations_claimant_actor_id_actors')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_citations_event_id_events')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_citations_participation_id_participations')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_citations_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citations'))
    )
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citations_claimant_actor_id'), ['claimant_actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_participation_id'), ['participation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citations_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citations_source_id'))
        batch_op.drop_index(batch_op.f('ix_citations_participation_id'))
        batch_op.drop_index(batch_op.f('ix_citations_event_id'))
        batch_op.drop_index(batch_op.f('ix_citations_claimant_actor_id'))

    op.drop_table('citations')
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participations_process_id'))
        batch_op.drop_index(batch_op.f('ix_participations_event_id'))
        batch_op.drop_index('ix_participations_actor_timeline')
        batch_op.drop_index(batch_op.f('ix_participations_actor_id'))

    op.drop_table('participations')
    with op.batch_alter_table('event_processes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_processes_process_id'))
        batch_op.drop_index(batch_op.f('ix_event_processes_event_id'))

    op.drop_table('event_processes')
    with op.batch_alter_table('event_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_links_target_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_links_event_id'))

    op.drop_table('event_links')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_outlet_id'))

    op.drop_table('sources')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_type'))
        batch_op.drop_index('ix_events_timeline')
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_location_id'))

    op.drop_table('events')
    with op.batch_alter_table('actor_affiliations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_affiliations_target_actor_id'))
        batch_op.drop_index(batch_op.f('ix_actor_affiliations_actor_id'))

    op.drop_table('actor_affiliations')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_revisions_entity')
        batch_op.drop_index(batch_op.f('ix_revisions_at'))

    op.drop_table('revisions')
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processes_parent_id'))

    op.drop_table('processes')
    op.drop_table('outlets')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_country'))

    op.drop_table('locations')
    op.drop_table('api_keys')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_country'))

    op.drop_table('actors')
