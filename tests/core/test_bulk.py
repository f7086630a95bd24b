"""Bulk writes (COPY on PostgreSQL): the rows read back as written, defaults filled in, and a
refused row fails like an INSERT, leaving the database as it was."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core import bulk
from app.core.db import Database
from app.models import Actor, Revision

WHEN = dt.datetime(2020, 1, 13, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def actor_row(actor_id: uuid.UUID, name: str) -> dict[str, object]:
    return {
        "id": actor_id,
        "version": 1,
        "created_at": WHEN,
        "updated_at": WHEN,
        "deleted_at": None,
        "names": {"ar": name, "en": "Khalifa Haftar"},
        "aliases": [{"text": "المشير", "lang": "ar"}],
        "kind": "person",
        "country": "LBY",
        "external_ids": {},
    }


def test_rows_read_back_as_written_with_their_defaults(database: Database) -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    with database.session(write=True) as session:
        bulk.insert_rows(session, Actor, [actor_row(ids[0], "خليفة حفتر"), actor_row(ids[1], "ب")])
        revision = {"entity_type": "actor", "entity_id": ids[0], "version": 1, "op": "create"}
        bulk.insert_rows(session, Revision, [revision])
    with database.session(write=False) as session:
        actor = session.get_one(Actor, ids[0])
        stored = session.scalars(select(Revision).where(Revision.entity_id == ids[0])).one()
    assert actor.names == {"ar": "خليفة حفتر", "en": "Khalifa Haftar"}
    assert actor.aliases == [{"text": "المشير", "lang": "ar"}]
    assert actor.created_at == WHEN
    assert actor.created_at.utcoffset() == dt.timedelta(0)
    # Left out: the id is the database's, `at` the column's default, `txid` the server's.
    assert stored.id > 0
    assert stored.txid == 0
    assert abs(stored.at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_a_refused_row_fails_the_statement_and_leaves_nothing(database: Database) -> None:
    taken = uuid.uuid4()
    with database.session(write=True) as session:
        bulk.insert_rows(session, Actor, [actor_row(taken, "أ")])
        before = session.scalar(select(func.count()).select_from(Actor))
        with pytest.raises(IntegrityError, match="actors"), session.begin_nested():  # noqa: PT012
            bulk.insert_rows(session, Actor, [actor_row(uuid.uuid4(), "ب")])
            bulk.insert_rows(session, Actor, [actor_row(taken, "ج")])
        assert session.scalar(select(func.count()).select_from(Actor)) == before
