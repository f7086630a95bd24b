"""Revisions: an append-only record of every change, each with its JSON Patch."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.exc import DBAPIError

from app.models import Revision
from tests.factories import make_actor

Headers = dict[str, str]


class TestAppendOnly:
    @pytest.fixture
    def revision_id(
        self, client: TestClient, editor_headers: Headers, connection: Connection
    ) -> int:
        make_actor(client, editor_headers)
        found = connection.scalar(select(Revision.id).order_by(Revision.id.desc()).limit(1))
        assert found is not None
        return found

    @pytest.mark.parametrize(
        "statement",
        [
            lambda rid: update(Revision).where(Revision.id == rid).values(by="someone else"),
            lambda rid: update(Revision).where(Revision.id == rid).values(after=None),
            lambda rid: delete(Revision).where(Revision.id == rid),
            lambda rid: delete(Revision),
        ],
        ids=["rewrite who", "erase the change", "delete one", "delete all"],
    )
    def test_the_database_refuses_to_change_or_delete_a_revision(
        self, connection: Connection, revision_id: int, statement: object
    ) -> None:
        before = connection.execute(select(Revision).where(Revision.id == revision_id)).one()
        savepoint = connection.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(statement(revision_id))  # type: ignore[operator]
        savepoint.rollback()
        assert (
            connection.execute(select(Revision).where(Revision.id == revision_id)).one() == before
        )

    def test_truncate_is_refused_on_postgresql(self, connection: Connection) -> None:
        if connection.dialect.name != "postgresql":
            pytest.skip("SQLite has no TRUNCATE; DELETE is refused above")
        savepoint = connection.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text("TRUNCATE revisions"))
        savepoint.rollback()


class TestPatch:
    def test_each_revision_carries_the_json_patch_of_its_change(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers, names={"ar": "حفتر"})
        path = f"/v1/actors/{actor['id']}"
        changed = client.patch(
            path,
            json={"names": {"ar": "حفتر", "en": "Haftar"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert changed.status_code == 200, changed.text
        created, renamed = client.get(f"{path}/revisions").json()
        assert {"op": "add", "path": "/names", "value": {"ar": "حفتر"}} in created["patch"]
        assert {"op": "add", "path": "/names/en", "value": "Haftar"} in renamed["patch"]
        assert all(op["path"] != "/names/ar" for op in renamed["patch"])
