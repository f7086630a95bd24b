"""Scoped timelines: one actor (and the forces under it), one process tree, one place."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.db import Database
from app.demo.load import demo_id, load
from tests.events import expect_problem
from tests.factories import (
    make_actor,
    make_event,
    make_event_process,
    make_location,
    make_participant,
    make_process,
)
from tests.timelines import Headers, get_timeline, item_ids


def _ids(client: TestClient, path: str, **params: Any) -> set[str]:
    return set(item_ids(get_timeline(client, path, **params)))


def _event_of(client: TestClient, headers: Headers, *actor_ids: str) -> str:
    event = make_event(client, headers)["id"]
    for actor_id in actor_ids:
        make_participant(client, headers, event_id=event, actor_id=actor_id)
    return event


class TestActorTimeline:
    @pytest.fixture
    def world(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        """haftar commands lna; brigade is part of lna; militia is merely allied with lna."""
        lna = make_actor(client, editor_headers, names={"en": "LNA"}, kind="armed_forces")["id"]
        haftar = make_actor(
            client, editor_headers, affiliations=[{"actor_id": lna, "relation": "commands"}]
        )["id"]
        brigade, militia = (
            make_actor(
                client,
                editor_headers,
                names={"en": name},
                kind="armed_group",
                affiliations=[{"actor_id": lna, "relation": relation}],
            )["id"]
            for name, relation in (("Brigade", "part_of"), ("Militia", "allied_with"))
        )
        return {
            "haftar": haftar,
            "haftar_event": _event_of(client, editor_headers, haftar),
            "lna_event": _event_of(client, editor_headers, lna),
            "brigade_event": _event_of(client, editor_headers, brigade),
            "militia_event": _event_of(client, editor_headers, militia),
            "with_militia": _event_of(client, editor_headers, haftar, militia),
            "nobody_event": make_event(client, editor_headers)["id"],
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, {"haftar_event", "with_militia"}),
            ({"include_affiliates": "false"}, {"haftar_event", "with_militia"}),
            (
                {"include_affiliates": "true"},
                {"haftar_event", "with_militia", "lna_event", "brigade_event"},
            ),
        ],
    )
    def test_lists_the_actor_and_optionally_the_forces_under_it(
        self, client: TestClient, world: dict[str, str], params: dict[str, str], expected: set[str]
    ) -> None:
        found = _ids(client, f"/v1/actors/{world['haftar']}/timeline", **params)
        assert found == {world[name] for name in expected}

    def test_a_cursor_of_another_actor_is_refused(
        self, client: TestClient, world: dict[str, str], editor_headers: Headers
    ) -> None:
        path = f"/v1/actors/{world['haftar']}/timeline"
        cursor = get_timeline(client, path, limit=1)["next_cursor"]
        other = make_actor(client, editor_headers)["id"]
        response = client.get(f"/v1/actors/{other}/timeline", params={"cursor": cursor})
        expect_problem(response, 400, "invalid_cursor")

    def test_unknown_actor_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/actors/{uuid.uuid4()}/timeline")
        expect_problem(response, 404, "actor_not_found")

    def test_deleted_actor_is_410(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)["id"]
        deleted = client.delete(
            f"/v1/actors/{actor}", headers={**admin_headers, "If-Match": 'W/"1"'}
        )
        assert deleted.status_code == 204, deleted.text
        expect_problem(client.get(f"/v1/actors/{actor}/timeline"), 410, "actor_deleted")


class TestProcessTimeline:
    def test_lists_events_related_to_the_process_and_its_parts(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        berlin = make_process(client, editor_headers, kind="peace_process", state=None)["id"]
        moscow, truce, other = (
            make_process(client, editor_headers, parent_id=parent)["id"]
            for parent in (berlin, None, None)
        )
        make_process(client, editor_headers, parent_id=moscow)  # grandchild, nothing related
        related = {
            "summit": (berlin, "part_of"),
            "talks": (moscow, "part_of"),
            "breach": (truce, "violates"),
            "elsewhere": (other, "responds_to"),
        }
        events = {name: make_event(client, editor_headers)["id"] for name in related}
        for name, (process, relation) in related.items():
            make_event_process(
                client, editor_headers, event_id=events[name], process_id=process, relation=relation
            )
        make_event(client, editor_headers)

        berlin_timeline = get_timeline(client, f"/v1/processes/{berlin}/timeline")
        assert set(item_ids(berlin_timeline)) == {events["summit"], events["talks"]}
        in_view = {era["process_id"] for era in berlin_timeline["eras"]}
        assert {berlin, moscow} <= in_view
        assert truce not in in_view
        assert _ids(client, f"/v1/processes/{moscow}/timeline") == {events["talks"]}
        assert _ids(client, f"/v1/processes/{truce}/timeline") == {events["breach"]}

    def test_unknown_process_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/processes/{uuid.uuid4()}/timeline")
        expect_problem(response, 404, "process_not_found")


class TestLocationTimeline:
    def test_lists_only_that_places_events(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        tarhuna = make_location(client, editor_headers)["id"]
        tripoli = make_location(client, editor_headers, names={"en": "Tripoli"}, kind="city")["id"]
        here = {make_event(client, editor_headers, location_id=tarhuna)["id"] for _ in range(2)}
        make_event(client, editor_headers, location_id=tripoli)
        make_event(client, editor_headers)
        assert _ids(client, f"/v1/locations/{tarhuna}/timeline") == here

    def test_unknown_location_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/locations/{uuid.uuid4()}/timeline")
        expect_problem(response, 404, "location_not_found")


class TestDemo:
    @pytest.fixture
    def demo(self, database: Database) -> None:
        with database.session(write=True) as session:
            load(session)

    def test_haftar_has_the_moscow_talks_and_his_departure(
        self, client: TestClient, demo: None
    ) -> None:
        path = f"/v1/actors/{demo_id('actor', 'haftar')}/timeline"
        found = _ids(client, path)
        talks, departure, truce = (
            str(demo_id("event", ref))
            for ref in ("moscow-talks", "haftar-leaves-without-signing", "truce-begins")
        )
        assert {talks, departure} <= found
        assert truce not in found

        # The truce's start has the LNA as a party: with the forces under him, it is his too.
        with_forces = _ids(client, path, include_affiliates="true")
        lna = _ids(client, f"/v1/actors/{demo_id('actor', 'lna')}/timeline")
        assert truce in lna
        assert found | lna == with_forces
        # The 9th Brigade is allied with the LNA, not under it.
        breaches = str(demo_id("event", "truce-breaches-9th-brigade"))
        assert breaches not in with_forces
