"""Schemathesis (v4) over every operation of the OpenAPI document (issue 9, item 1).

The engine the `st` command line runs — examples, coverage, fuzzing and stateful phases — drives
the app in process with every check and a fixed seed, bounded by the number of examples per
operation: any failure fails the test and names the request that shows it. On PostgreSQL the
same run goes once more against a real server (uvicorn) over a socket.

The document says all it can (formats, patterns, enums, required headers, every error); what it
cannot say is told to Schemathesis in `tests.hardening.fuzzing`, each with its reason. The
classes after the run pin what the runs found, one request each.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.engine import Status, events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.specs.openapi.formats import unregister_string_format

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database
from app.core.ratelimit import UNLIMITED_PATHS
from app.formats.registry import EXPORTS
from app.main import create_app
from tests.conftest import TEST_URL
from tests.events import expect_problem
from tests.factories import event_body, make_actor, make_event
from tests.hardening.fuzzing import FORMATS, excused
from tests.servers import prepared_database, servers

Headers = dict[str, str]
SEED = 20261129
# Per operation and phase: the in-process run takes about two minutes on a 2-core machine.
MAX_EXAMPLES = 10
# Scenarios of the stateful phase, which follows the document's links (create, read, change
# with If-Match from the ETag, delete, read again): cheap, and the only use of DELETE's success.
STATEFUL_SCENARIOS = 60
# Rejections of schema-valid requests about the data's state rather than its shape: a record
# deleted meanwhile (410), a stale If-Match (412), a body over the size limit (413).
STATE_REJECTIONS = ("410", "412", "413")


def config(secret: str) -> schemathesis.Config:
    """Every check on, a fixed seed, nothing kept between runs, one request at a time."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False},
            "headers": {"Authorization": f"Bearer {secret}"},
            "workers": 1,
            # Strings harvested from the document (header names, media types) would land in
            # nullable fields whose format (edtf, bcp47) Schemathesis cannot check there.
            "analysis": {"constants": {"enabled": False}},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "database": "none",
                # Text with U+0000 is refused everywhere (422), as the API documents.
                "allow-x00": False,
            },
            "phases": {"stateful": {"generation": {"max-examples": STATEFUL_SCENARIOS}}},
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {
                    "expected-statuses": [
                        *("2xx", "3xx", "401", "403", "404", "409"),
                        *STATE_REJECTIONS,
                    ]
                },
                "negative_data_rejection": {
                    "expected-statuses": [
                        *("400", "401", "403", "404", "405", "406", "409", "415", "422", "428"),
                        *STATE_REJECTIONS,
                    ]
                },
                # If-Match is required on every change: without it the answer is 428.
                "missing_required_header": {"expected-statuses": ["428"]},
            },
        }
    )


def load(app_or_url: Any, secret: str) -> Any:
    """The document of an app (in process) or of a server at a URL, configured as above."""
    if isinstance(app_or_url, str):
        schema = schemathesis.openapi.from_url(f"{app_or_url}/openapi.json", config=config(secret))
    else:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app_or_url, config=config(secret))

    @schema.hook
    def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
        return not excused(failure, response)

    return schema


def run(schema: Any) -> list[str]:
    """Run every phase; each failure or error, described with the request that shows it."""
    found: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            found += _failures(event.recorder, event.phase.value)
        elif isinstance(event, events.NonFatalError):
            found.append(f"error in {event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            found.append(f"fatal: {event.exception!r}")
    return found


def _failures(recorder: ScenarioRecorder, phase: str) -> list[str]:
    out = []
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            interaction = recorder.interactions.get(case_id)
            answer = ""
            if interaction is not None and interaction.response is not None:
                body = interaction.response.content or b""
                answer = f"\n  -> {interaction.response.status_code} {body[:500]!r}"
            out.append(
                f"{check.name} on {recorder.label} ({phase}): {failure.title}\n"
                f"  {failure.message}\n"
                f"  {check.failure_info.code_sample[:1500]}{answer}"
            )
    return out


def assert_clean(found: list[str], started: float) -> None:
    elapsed = time.monotonic() - started
    assert not found, f"{len(found)} in {elapsed:.0f} s:\n\n" + "\n\n".join(found)


@pytest.fixture
def formats() -> Iterator[None]:
    """Strategies for the formats the document names that JSON Schema does not know."""
    for name, strategy in FORMATS.items():
        schemathesis.openapi.format(name, strategy)
    yield
    for name in FORMATS:
        unregister_string_format(name)


@pytest.mark.usefixtures("formats")
class TestEveryOperation:
    def test_in_process(
        self, app_settings: Settings, database: Database, admin_headers: Headers
    ) -> None:
        started = time.monotonic()
        secret = admin_headers["Authorization"].removeprefix("Bearer ")
        assert_clean(run(load(create_app(app_settings, database), secret)), started)

    @pytest.mark.skipif(not TEST_URL, reason="the live run is on PostgreSQL (.ci/run)")
    def test_against_a_live_server(self, tmp_path: Path) -> None:
        url, secret = prepared_database(tmp_path, "fuzz", Role.admin)
        with servers(url) as (base,):
            started = time.monotonic()
            assert_clean(run(load(base, secret)), started)


class TestTheDocument:
    """What the runs need the document to say, checked where it is said."""

    @pytest.fixture
    def document(self, client: TestClient) -> dict[str, Any]:
        found: dict[str, Any] = client.get("/openapi.json").json()
        return found

    def operations(self, document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        for path, item in document["paths"].items():
            for method, operation in item.items():
                yield f"{method.upper()} {path}", operation

    def test_every_error_is_a_problem_and_any_call_may_meet_a_limit_or_a_busy_database(
        self, document: dict[str, Any]
    ) -> None:
        for name, operation in self.operations(document):
            responses = operation["responses"]
            for status, response in responses.items():
                if status >= "400":
                    assert "application/problem+json" in response["content"], (name, status)
            if name.split()[1] not in UNLIMITED_PATHS:
                assert "429" in responses, name
            if " /v1/" in name:
                assert "503" in responses, name

    def test_a_key_is_a_security_scheme_optional_only_for_public_reads(
        self, document: dict[str, Any]
    ) -> None:
        assert document["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
        security = {name: op.get("security") for name, op in self.operations(document)}
        assert security["GET /v1/events"] == [{"ApiKey": []}, {}]
        assert security["POST /v1/events"] == [{"ApiKey": []}]
        assert security["GET /v1/changes"] == [{"ApiKey": []}]
        assert security["GET /healthz"] is None

    def test_changes_require_if_match(self, document: dict[str, Any]) -> None:
        for name, operation in self.operations(document):
            if name.startswith(("PATCH", "DELETE")) and "/keys/" not in name:
                headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
                assert headers["If-Match"]["required"], name

    def test_a_record_links_to_changing_it_with_its_etag(self, document: dict[str, Any]) -> None:
        created = document["paths"]["/v1/actors"]["post"]["responses"]["201"]["links"]
        assert created["change"] == {
            "operationRef": "#/paths/~1v1~1actors~1{record_id}/patch",
            "parameters": {
                "record_id": "$response.body#/id",
                "header.If-Match": "$response.header.ETag",
            },
        }

    def test_a_patch_offers_null_only_where_null_clears(self, document: dict[str, Any]) -> None:
        patch = document["components"]["schemas"]["EventUpdate"]["properties"]
        assert patch["title"]["type"] == "object"
        assert {"type": "null"} in patch["summary"]["anyOf"]

    def test_exports_list_every_format(self, document: dict[str, Any]) -> None:
        exported = document["paths"]["/v1/events/export"]["get"]["responses"]["200"]["content"]
        assert {e.media_type.split(";")[0] for e in EXPORTS.values()} == exported.keys()


class TestFindings:
    """What the runs found, each pinned by the request that showed it."""

    @pytest.mark.parametrize(
        "query", ["as_of=0.5", "updated_since=0.5", "to=0", "bbox=%2B1,0,2,1", "bbox=0,0,0,0%0A"]
    )
    def test_numbers_are_not_read_as_instants_days_or_boxes(
        self, client: TestClient, query: str
    ) -> None:
        expect_problem(client.get(f"/v1/events?{query}"), 422, "validation_failed")

    def test_an_inverted_box_says_so(self, client: TestClient) -> None:
        problem = expect_problem(client.get("/v1/events?bbox=0,10,1,5"), 422, "validation_failed")
        assert problem["errors"][0]["type"] == "bbox_inverted"

    @pytest.mark.parametrize(
        ("path", "body"),
        [
            ("/v1/keys", {"name": "k", "role": "reader", "expires_at": 0}),
            ("/v1/locations", {"names": {"ar": "x"}, "kind": "town", "longitude": False}),
            ("/v1/events", event_body(fatalities_best="3")),
            ("/v1/events", event_body(original_language="ar\n")),
        ],
    )
    def test_json_types_are_taken_as_json_has_them(
        self, client: TestClient, admin_headers: Headers, path: str, body: dict[str, Any]
    ) -> None:
        response = client.post(path, json=body, headers=admin_headers)
        expect_problem(response, 422, "validation_failed")

    def test_a_key_cannot_be_born_expired(self, client: TestClient, admin_headers: Headers) -> None:
        body = {"name": "k", "role": "reader", "expires_at": "2001-01-01T00:00:00Z"}
        response = client.post("/v1/keys", json=body, headers=admin_headers)
        problem = expect_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["type"] == "in_the_past"

    def test_an_import_takes_dry_run_as_true_or_false_only(
        self, client: TestClient, admin_headers: Headers
    ) -> None:
        response = client.post(
            "/v1/imports",
            files={"file": ("rows.csv", b"type,when\n")},
            data={"format": "csv", "dry_run": "0"},
            headers=admin_headers,
        )
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["body", "dry_run"]]

    @pytest.mark.parametrize("method", ["PATCH", "DELETE", "OPTIONS"])
    @pytest.mark.parametrize("path", ["/v1/actors/resolve", "/v1/events/export"])
    def test_a_fixed_path_is_its_own_resource_not_an_id(
        self, client: TestClient, admin_headers: Headers, method: str, path: str
    ) -> None:
        response = client.request(method, path, headers=admin_headers)
        expect_problem(response, 405, "method_not_allowed")
        assert response.headers["Allow"] == "GET"

    def test_a_rule_between_fields_is_named_inconsistent(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        body = event_body(fatalities_low=5, fatalities_high=1)
        response = client.post("/v1/events", json=body, headers=editor_headers)
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["type"] for e in problem["errors"]] == ["inconsistent"]

    def test_a_revert_to_a_version_that_never_was_is_an_unknown_reference(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        response = client.post(
            f"/v1/actors/{actor['id']}/revert",
            json={"version": 9, "reason": "test"},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        expect_problem(response, 422, "unknown_reference")

    def test_a_timeline_in_another_format_is_what_the_document_says(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        body = client.get("/v1/timeline?format=timelinejs").json()
        assert {"title", "events", "eras", "scale"} <= body.keys()
