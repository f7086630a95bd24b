"""Revisions: an append-only record of every change, each with its JSON Patch."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.exc import DBAPIError

from app.models import Revision
from tests.factories import make_actor, make_location, make_outlet, make_process, make_source

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


class TestRevert:
    def _rename(self, client: TestClient, headers: Headers, path: str, version: int) -> None:
        response = client.patch(
            path,
            json={"names": {"ar": "قوات حفتر", "en": "Haftar's forces"}, "kind": "armed_group"},
            headers={**headers, "If-Match": f'W/"{version}"'},
        )
        assert response.status_code == 200, response.text

    def _revert(
        self, client: TestClient, headers: Headers, path: str, body: dict[str, object], etag: str
    ) -> Response:
        return client.post(f"{path}/revert", json=body, headers={**headers, "If-Match": etag})

    def test_goes_back_to_a_version_as_a_new_revision(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers, names={"ar": "الجيش الوطني الليبي"})
        path = f"/v1/actors/{actor['id']}"
        self._rename(client, editor_headers, path, 1)
        body = {"version": 1, "reason": "the rename was a mistake"}
        reverted = self._revert(client, editor_headers, path, body, 'W/"2"')
        assert reverted.status_code == 200, reverted.text
        assert reverted.headers["ETag"] == 'W/"3"'
        restored = reverted.json()
        assert (restored["names"], restored["kind"]) == (actor["names"], actor["kind"])
        last = client.get(f"{path}/revisions").json()[-1]
        assert (last["version"], last["op"]) == (3, "revert")
        assert last["reason"] == "revert to version 1: the rename was a mistake"
        assert set(last["changed"]) >= {"names", "kind"}

    @pytest.mark.parametrize(
        ("body", "etag", "status"),
        [
            ({"version": 9, "reason": "x"}, 'W/"2"', 422),
            ({"version": 1}, 'W/"2"', 422),
            ({"version": 0, "reason": "x"}, 'W/"2"', 422),
            ({"version": 1, "reason": "x"}, 'W/"1"', 412),
        ],
        ids=["no such version", "no reason", "version 0", "stale If-Match"],
    )
    def test_refused_reverts_change_nothing(
        self,
        client: TestClient,
        editor_headers: Headers,
        body: dict[str, object],
        etag: str,
        status: int,
    ) -> None:
        actor = make_actor(client, editor_headers)
        path = f"/v1/actors/{actor['id']}"
        self._rename(client, editor_headers, path, 1)
        before = client.get(path).json()
        response = self._revert(client, editor_headers, path, body, etag)
        assert response.status_code == status, response.text
        assert client.get(path).json() == before
        assert len(client.get(f"{path}/revisions").json()) == 2

    def test_readers_may_not_revert(
        self, client: TestClient, editor_headers: Headers, reader_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        path = f"/v1/actors/{actor['id']}"
        body = {"version": 1, "reason": "x"}
        assert self._revert(client, reader_headers, path, body, 'W/"1"').status_code == 403

    @pytest.mark.parametrize(
        ("maker", "change"),
        [
            (make_process, {"state": "collapsed", "ended": "2020-01-20"}),
            (make_source, {"title": "عنوان آخر", "url": "https://example.org/other"}),
            (make_location, {"names": {"ar": "طرابلس"}, "latitude": 32.9}),
            (make_outlet, {"names": {"en": "Another name"}}),
        ],
        ids=["process", "source", "location", "outlet"],
    )
    def test_every_reference_resource_can_go_back(
        self, client: TestClient, editor_headers: Headers, maker: Any, change: dict[str, Any]
    ) -> None:
        made = maker(client, editor_headers)
        plural = {
            make_process: "processes",
            make_source: "sources",
            make_location: "locations",
            make_outlet: "outlets",
        }[maker]
        path = f"/v1/{plural}/{made['id']}"
        changed = client.patch(path, json=change, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert changed.status_code == 200, changed.text
        body = {"version": 1, "reason": "x"}
        reverted = self._revert(client, editor_headers, path, body, 'W/"2"')
        assert reverted.status_code == 200, reverted.text
        stable = ("version", "updated_at")
        assert {k: v for k, v in reverted.json().items() if k not in stable} == {
            k: v for k, v in made.items() if k not in stable
        }
