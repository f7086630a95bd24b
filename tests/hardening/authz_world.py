"""The records and callers the authorization tests ask about, built once per test.

Every path parameter names a record that exists, so a refusal cannot hide behind a 404 for a
missing id; drafts and an event in review carry a marker in their title so a test can tell
whether an answer shows them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from app.core.auth import Role
from app.core.db import Database
from app.keys import service as keys
from tests.factories import make_actor, make_event, make_location, make_process, make_source

Headers = dict[str, str]
CALLERS = ("anonymous", "reader", "editor", "admin", "revoked", "expired")
HIDDEN_STATUSES = ("draft", "in_review")
MARKER = "Hiddenzq7x"  # short and ASCII: no export format folds, escapes or splits it
IMPORT_CSV = (
    b"type,when,title,original_language,external_ids\n"
    b'violence.armed_clash,2020-01-13,Imported clash,en,"{}"\n'
    b'violence.armed_clash,2020-13-45,Bad date,en,"{}"\n'
)


@dataclass(frozen=True)
class World:
    ids: dict[str, str]  # a path parameter's value, by the collection it indexes: "/v1/events"
    callers: dict[str, Headers]
    hidden: dict[str, str]  # status → id of an event only key holders may see
    published: str  # a published event that links to the hidden ones
    import_job: str

    def fill(self, path: str) -> str:
        """`path` with each `{param}` replaced by the id of a record of its collection."""

        def value(match: re.Match[str]) -> str:
            collection = re.sub(r"/\{[^}]+\}", "", path[: match.start()].rstrip("/"))
            assert collection in self.ids, f"no record to put in {path} for {match.group(0)}"
            return self.ids[collection]

        return re.sub(r"\{[^}]+\}", value, path)


def new_key(database: Database, role: Role, **fields: dt.datetime) -> tuple[str, Headers]:
    with database.session(write=True) as session:
        key, secret = keys.create(session, name=f"matrix {role}", role=role, **fields)
        return str(key.id), {"Authorization": f"Bearer {secret}"}


def _revoked(database: Database) -> Headers:
    key_id, headers = new_key(database, Role.admin)
    with database.session(write=True) as session:
        keys.revoke(session, uuid.UUID(key_id))
    return headers


def _callers(database: Database) -> dict[str, Headers]:
    """A valid key per role, and dead admin keys: a downgrade to anonymous would show."""
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    return {
        "anonymous": {},
        **{role.value: new_key(database, role)[1] for role in Role},
        "revoked": _revoked(database),
        "expired": new_key(database, Role.admin, expires_at=past)[1],
    }


def _post(client: TestClient, path: str, headers: Headers, body: dict[str, Any]) -> str:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: str = response.json()["id"]
    return created


def _hidden_event(client: TestClient, admin: Headers, status: str, refs: dict[str, str]) -> str:
    """A violent event in the truce's scope and period, part of it, with a stance: every
    timeline, tracker, ledger and export would show it to a caller who may see it."""
    return make_event(
        client,
        admin,
        type="violence.armed_clash",
        title={"en": f"{MARKER} {status}"},
        original_language="en",
        when="2020-01-20",
        status=status,
        location_id=refs["location"],
        participants=[{"actor_id": refs["actor"], "role": "party", "stance": "refused"}],
        citations=[{"source_id": refs["source"], "polarity": "asserts"}],
        processes=[
            {"process_id": refs["process"], "relation": "part_of"},
            {"process_id": refs["process"], "relation": "violates"},
        ],
    )["id"]


def _import_job(client: TestClient, admin: Headers) -> str:
    """A finished import with a rejected row, so its rejected.csv exists."""
    response = client.post(
        "/v1/imports",
        headers=admin,
        files={"file": ("events.csv", IMPORT_CSV, "text/csv")},
        data={"format": "csv", "mode": "skip_invalid"},
    )
    assert response.status_code == 202, response.text
    job: str = response.json()["id"]
    assert client.get(f"/v1/imports/{job}", headers=admin).json()["rejected_rows_url"]
    return job


def build_world(client: TestClient, database: Database) -> World:
    """One record of every kind a route names, published and hidden events, an import job."""
    callers = _callers(database)
    admin = callers["admin"]
    source = make_source(client, admin)
    refs = {
        "actor": make_actor(client, admin)["id"],
        "location": make_location(client, admin)["id"],
        "source": source["id"],
        "process": make_process(client, admin)["id"],
    }
    process_party = _post(
        client,
        f"/v1/processes/{refs['process']}/participants",
        admin,
        {"actor_id": refs["actor"], "role": "party"},
    )
    target = make_event(client, admin)["id"]
    published = make_event(
        client,
        admin,
        location_id=refs["location"],
        participants=[{"actor_id": refs["actor"], "role": "party"}],
        citations=[{"source_id": refs["source"], "polarity": "asserts"}],
        processes=[{"process_id": refs["process"], "relation": "part_of"}],
        links=[{"target_event_id": target, "relation": "follows"}],
    )
    hidden = {status: _hidden_event(client, admin, status, refs) for status in HIDDEN_STATUSES}
    for hidden_id in hidden.values():
        body = {"target_event_id": hidden_id, "relation": "responds_to"}
        _post(client, f"/v1/events/{published['id']}/links", admin, body)
    job = _import_job(client, admin)
    ids = {
        "/v1/events": published["id"],
        "/v1/events/participants": published["participants"][0]["id"],
        "/v1/events/citations": published["citations"][0]["id"],
        "/v1/events/processes": published["processes"][0]["id"],
        "/v1/events/links": published["links"][0]["id"],
        "/v1/actors": refs["actor"],
        "/v1/locations": refs["location"],
        "/v1/outlets": source["outlet_id"],
        "/v1/sources": refs["source"],
        "/v1/processes": refs["process"],
        "/v1/processes/participants": process_party,
        "/v1/keys": new_key(database, Role.reader)[0],  # admins revoke it during the matrix
        "/v1/imports": job,
        # Dashboard pages of the same records.
        "/events": published["id"],
        "/ceasefires": refs["process"],
        "/actors": refs["actor"],
    }
    return World(ids, callers, hidden, published["id"], job)
