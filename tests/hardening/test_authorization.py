"""Who may call what (issue 9, item 2).

The matrix is generated from the app's own route table: every route and method, asked by an
anonymous caller, a reader, an editor, an admin, and with a revoked and an expired key, with
public reading on and off. A route without an entry in EXPECTED fails the test, so a new route
cannot slip through untested. Then: records a caller may not see (drafts, events in review,
import jobs) are answered exactly as records that do not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from enum import Enum

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database
from app.formats.registry import EXPORTS
from app.main import create_app
from app.models import ApiKey
from app.models.base import Base
from tests.hardening.authz_world import (
    CALLERS,
    MARKER,
    Headers,
    World,
    build_world,
    new_key,
)


class Access(Enum):
    OPEN = "reads no credentials: health probes, the API's documentation, dashboard pages"
    READ = "published records: anyone while public reading is on, otherwise a key"
    KEY = "any valid key"
    EDITOR = "an editor or admin key"
    ADMIN = "an admin key"
    ADMIN_RECORD = "an admin key; to a lower key the record does not exist (404)"
    FORM = "a dashboard form: without its CSRF token, refused (403, an HTML page) to anyone"


OPEN, READ, KEY, EDITOR, ADMIN, ADMIN_RECORD, FORM = Access
Route = tuple[str, str]  # (method, path template)


def _reference(collection: str) -> dict[Route, Access]:
    item = collection + "/{record_id}"
    return {
        ("GET", collection): READ,
        ("POST", collection): EDITOR,
        ("GET", item): READ,
        ("PATCH", item): EDITOR,
        ("DELETE", item): ADMIN,
        ("POST", item + "/revert"): EDITOR,
        ("GET", item + "/revisions"): READ,
    }


def _children(collection: str, *item_methods: str) -> dict[Route, Access]:
    item = collection + "/{item_id}"
    return {
        ("GET", collection): READ,
        ("POST", collection): EDITOR,
        **{(method, item): READ if method == "GET" else EDITOR for method in item_methods},
    }


EVENT = "/v1/events/{event_id}"
EXPECTED: dict[Route, Access] = {
    ("GET", "/openapi.json"): OPEN,
    ("HEAD", "/openapi.json"): OPEN,
    ("GET", "/healthz"): OPEN,
    ("GET", "/readyz"): OPEN,
    ("GET", "/metrics"): ADMIN,  # Prometheus sends an admin key
    # Dashboard pages and their built files; what a page shows comes through the API.
    ("GET", "/"): OPEN,
    ("GET", "/map"): OPEN,
    ("GET", "/events/{event_id}"): OPEN,
    ("GET", "/ceasefires"): OPEN,
    ("GET", "/ceasefires/{process_id}"): OPEN,
    ("GET", "/actors/{actor_id}"): OPEN,
    ("GET", "/events/new"): OPEN,
    ("POST", "/events/new"): FORM,
    ("GET", "/events/{event_id}/edit"): OPEN,
    ("POST", "/events/{event_id}/edit"): FORM,
    ("GET", "/sign-in"): OPEN,
    ("POST", "/sign-in"): FORM,
    ("POST", "/sign-out"): FORM,
    ("*", "/static"): OPEN,
    ("GET", "/v1/event-types"): READ,
    ("GET", "/v1/events"): READ,
    ("GET", "/v1/events/export"): READ,
    ("POST", "/v1/events"): EDITOR,
    ("GET", EVENT): READ,
    ("PATCH", EVENT): EDITOR,
    ("DELETE", EVENT): ADMIN,
    ("POST", EVENT + "/revert"): EDITOR,
    ("GET", EVENT + "/revisions"): READ,
    **_children(EVENT + "/participants", "GET", "PATCH", "DELETE"),
    **_children(EVENT + "/citations", "GET", "PATCH", "DELETE"),
    **_children(EVENT + "/processes", "DELETE"),
    **_children(EVENT + "/links", "DELETE"),
    ("GET", "/v1/timeline"): READ,
    ("GET", "/v1/actors/{actor_id}/timeline"): READ,
    ("GET", "/v1/processes/{process_id}/timeline"): READ,
    ("GET", "/v1/locations/{location_id}/timeline"): READ,
    ("GET", "/v1/processes/{process_id}/ceasefire"): READ,
    ("GET", "/v1/processes/{process_id}/stances"): READ,
    **_reference("/v1/actors"),
    ("GET", "/v1/actors/resolve"): READ,
    **_reference("/v1/locations"),
    **_reference("/v1/outlets"),
    **_reference("/v1/sources"),
    **_reference("/v1/processes"),
    **_children("/v1/processes/{process_id}/participants", "PATCH", "DELETE"),
    ("GET", "/v1/suggest"): READ,
    ("GET", "/v1/keys"): ADMIN,
    ("POST", "/v1/keys"): ADMIN,
    ("DELETE", "/v1/keys/{key_id}"): ADMIN,
    ("POST", "/v1/imports"): ADMIN,
    ("GET", "/v1/imports/{job_id}"): ADMIN_RECORD,
    ("GET", "/v1/imports/{job_id}/rejected.csv"): ADMIN_RECORD,
    ("GET", "/v1/changes"): KEY,
}
QUERIES = {"/v1/suggest": "?q=Haf", "/v1/actors/resolve": "?name=Haftar"}
# A mount is asked for one file it serves.
MOUNT_FILES = {"/static": "/static/dist/.vite/manifest.json"}
RANK = {"reader": 0, "editor": 1, "admin": 2}
NEEDED = {READ: 0, KEY: 0, EDITOR: 1, ADMIN: 2, ADMIN_RECORD: 2}


def expected_status(access: Access, caller: str, *, public_read: bool) -> int | None:
    """The refusal `caller` must get (None: let through). A dead key is refused wherever it
    is presented, public routes included: a bad credential is never read as no credential."""
    if access is OPEN:
        return None
    if access is FORM:
        return 403
    if caller in ("revoked", "expired"):
        return 401
    if caller == "anonymous":
        return None if access is READ and public_read else 401
    if RANK[caller] >= NEEDED[access]:
        return None
    return 404 if access is ADMIN_RECORD else 403


def route_table(app: FastAPI) -> set[Route]:
    """Every (method, path) the app serves; a mount without methods is ("*", path)."""
    return {
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)
        for method in route.methods or {"*"}
    }


def problem_complaint(response: Response, caller: str) -> str | None:
    """What is wrong with a refusal as an RFC 9457 problem, if anything."""
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return f"refusal is {response.headers.get('content-type')}, not problem+json"
    body = response.json()
    missing = {"type", "title", "status", "detail", "instance", "code"} - body.keys()
    if missing or body["status"] != response.status_code:
        return f"problem body lacks {sorted(missing)} or has the wrong status: {body}"
    if response.status_code == 401:
        if not response.headers.get("www-authenticate", "").startswith("Bearer"):
            return "401 without a WWW-Authenticate: Bearer challenge"
        if caller in ("revoked", "expired") and caller not in body["detail"]:
            return f"a {caller} key was not refused as {caller}: {body['detail']}"
    return None


def complaint(response: Response, want: int | None, caller: str) -> str | None:
    got = response.status_code
    if response.headers.get("content-type", "").startswith("text/html"):
        # A dashboard page: its refusals are pages for people, not problem details.
        return None if got == (want or 200) else f"{got} instead of {want or 200}"
    if want is None:
        if got in (401, 403, 404) or got >= 500:
            return f"refused or failed ({got}) instead of let through: {response.text[:200]}"
        return None
    if got != want:
        return f"{got} instead of {want}: {response.text[:200]}"
    return problem_complaint(response, caller)


def undeclared(app: FastAPI, route: Route, refusal: int | None) -> str | None:
    """A refusal the route's OpenAPI operation does not list."""
    method, path = route
    operation = app.openapi()["paths"].get(path, {}).get(method.lower())
    if refusal is None or operation is None or str(refusal) in operation["responses"]:
        return None
    return f"OpenAPI does not list {refusal} among its responses"


def ask(client: TestClient, world: World, route: Route, headers: Headers) -> Response:
    """`route` with real ids; writes send an empty body, and no If-Match, so none succeeds
    except an admin revoking the key kept for that."""
    method, path = route
    if method == "*":
        return client.get(MOUNT_FILES[path], headers=headers)
    body = {} if method in ("POST", "PATCH", "PUT") else None
    url = world.fill(path) + QUERIES.get(path, "")
    return client.request(method, url, headers=headers, json=body)


@pytest.fixture
def serve(settings: Settings, database: Database) -> Iterator[tuple[TestClient, World]]:
    """A client of an app on the test database and the world built in it (public reading on);
    tests for public reading off build their own app on the same database."""
    with TestClient(create_app(settings, database), raise_server_exceptions=False) as client:
        yield client, build_world(client, database)


class TestRouteTable:
    def test_every_route_has_an_expectation_and_every_expectation_a_route(
        self, settings: Settings, database: Database
    ) -> None:
        served = route_table(create_app(settings, database))
        assert sorted(served - EXPECTED.keys()) == [], "routes with no expectation in EXPECTED"
        assert sorted(EXPECTED.keys() - served) == [], "expectations for routes that are gone"


class TestMatrix:
    @pytest.mark.parametrize("public_read", [True, False], ids=["public-read", "keys-only"])
    def test_each_caller_gets_what_its_role_allows(
        self,
        serve: tuple[TestClient, World],
        settings: Settings,
        database: Database,
        public_read: bool,
    ) -> None:
        _, world = serve
        app = create_app(settings.model_copy(update={"public_read": public_read}), database)
        complaints = []
        with TestClient(app, raise_server_exceptions=False) as client:
            for route in sorted(route_table(app)):
                access = EXPECTED.get(route)
                if access is None:
                    complaints.append(f"{route}: no expectation in EXPECTED")
                    continue
                for caller in CALLERS:
                    response = ask(client, world, route, world.callers[caller])
                    want = expected_status(access, caller, public_read=public_read)
                    found = complaint(response, want, caller) or undeclared(app, route, want)
                    if found:
                        complaints.append(f"{' '.join(route)} as {caller}: {found}")
        assert not complaints, "\n".join(complaints)


def same_as_missing(
    client: TestClient, path: str, real_id: str, headers: Headers, status: int
) -> None:
    """`path` answers `status` exactly as it would if `real_id` named nothing at all."""
    missing = str(uuid.uuid4())
    seen = client.get(path, headers=headers)
    unseen = client.get(path.replace(real_id, missing), headers=headers)
    assert (seen.status_code, unseen.status_code) == (status, status), (path, seen.text)
    assert (
        seen.headers["content-type"]
        == unseen.headers["content-type"]
        == ("application/problem+json")
    )
    assert seen.text.replace(real_id, "<id>") == unseen.text.replace(missing, "<id>"), path


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


class TestHiddenEvents:
    def test_every_route_of_a_hidden_event_is_404_as_if_it_did_not_exist(
        self, serve: tuple[TestClient, World]
    ) -> None:
        client, world = serve
        reader = world.callers["reader"]
        for event_id in world.hidden.values():
            event = client.get(f"/v1/events/{event_id}", headers=reader).json()
            base = f"/v1/events/{event_id}"
            for suffix in (
                "",
                f"?as_of={now()}",
                "/revisions",
                "/participants",
                "/citations",
                "/processes",
                "/links",
                f"/participants/{event['participants'][0]['id']}",
                f"/citations/{event['citations'][0]['id']}",
            ):
                same_as_missing(client, base + suffix, event_id, {}, 404)
                assert client.get(base + suffix, headers=reader).status_code == 200, suffix

    def test_lists_timelines_trackers_and_exports_leave_them_out(
        self, serve: tuple[TestClient, World]
    ) -> None:
        client, world = serve
        ids = world.ids
        as_of = now()
        urls = [
            "/v1/events",
            "/v1/events?status=draft",
            "/v1/events?status=in_review",
            f"/v1/events?q={MARKER}",
            f"/v1/events?q={MARKER}&sort=relevance",
            f"/v1/events?as_of={as_of}",
            *(f"/v1/events/export?format={name}" for name in EXPORTS),
            f"/v1/events/export?format=ndjson&as_of={as_of}",
            "/v1/timeline",
            "/v1/timeline?bucket=day&group_by=actor",
            "/v1/timeline?format=csv",
            f"/v1/timeline?as_of={as_of}",
            f"/v1/actors/{ids['/v1/actors']}/timeline",
            f"/v1/processes/{ids['/v1/processes']}/timeline",
            f"/v1/locations/{ids['/v1/locations']}/timeline",
            f"/v1/processes/{ids['/v1/processes']}/ceasefire",
            f"/v1/processes/{ids['/v1/processes']}/stances",
            f"/v1/events/{world.published}",
            f"/v1/events/{world.published}/links",
            f"/v1/events/{world.published}/revisions",
        ]
        secrets = (MARKER, *world.hidden.values())
        leaks = []
        for url in urls:
            anonymous = client.get(url)
            assert anonymous.status_code == 200, (url, anonymous.text)
            if [s for s in secrets if s in anonymous.text]:
                leaks.append(url)
            # The same question with a key shows them: the check above is not vacuous.
            shown = client.get(url, headers=world.callers["reader"]).text
            assert [s for s in secrets if s in shown], url
        assert leaks == []

    def test_counts_leave_them_out(self, serve: tuple[TestClient, World]) -> None:
        client, world = serve
        anonymous = client.get("/v1/timeline?bucket=day").json()["buckets"]
        public = "/v1/timeline?bucket=day&status=published&status=retracted"
        reader = world.callers["reader"]
        assert anonymous == client.get(public, headers=reader).json()["buckets"]
        assert anonymous != client.get("/v1/timeline?bucket=day", headers=reader).json()["buckets"]


class TestHiddenImportJobs:
    @pytest.mark.parametrize("suffix", ["", "/rejected.csv"])
    def test_a_job_is_404_to_keys_below_admin_and_401_without_a_key(
        self, serve: tuple[TestClient, World], suffix: str
    ) -> None:
        client, world = serve
        path = f"/v1/imports/{world.import_job}{suffix}"
        for caller in ("reader", "editor"):
            same_as_missing(client, path, world.import_job, world.callers[caller], 404)
        same_as_missing(client, path, world.import_job, {}, 401)
        assert client.get(path, headers=world.callers["admin"]).status_code == 200


def _kill(database: Database, key_id: str, how: str) -> None:
    with database.session(write=True) as session:
        key = session.get(ApiKey, uuid.UUID(key_id))
        assert key is not None
        if how == "revoked":
            key.revoked_at = dt.datetime.now(dt.UTC)
        else:
            key.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)


class TestReplays:
    @pytest.mark.parametrize("how", ["revoked", "expired"])
    def test_a_dead_key_replaying_a_post_is_401(
        self, client: TestClient, database: Database, how: str
    ) -> None:
        key_id, admin = new_key(database, Role.admin)
        headers = {**admin, "Idempotency-Key": str(uuid.uuid4())}
        body = {"name": "replayed", "role": "reader"}
        first = client.post("/v1/keys", json=body, headers=headers)
        assert first.status_code == 201
        _kill(database, key_id, how)
        again = client.post("/v1/keys", json=body, headers=headers)
        assert again.status_code == 401, again.text
        assert first.json()["secret"] not in again.text

    def test_a_new_key_secret_is_stored_nowhere(
        self, client: TestClient, database: Database
    ) -> None:
        _, admin = new_key(database, Role.admin)
        headers = {**admin, "Idempotency-Key": str(uuid.uuid4())}
        created = client.post("/v1/keys", json={"name": "once", "role": "reader"}, headers=headers)
        assert created.headers["Cache-Control"] == "no-store"
        secret = created.json()["secret"].encode()
        with database.session(write=False) as session:
            for table in Base.metadata.sorted_tables:
                for row in session.execute(select(table)):
                    assert secret not in repr(tuple(row)).encode(), table.name
