"""As-of equivalence: for any sequence of creates, edits, retractions, new claims and
participants, breaches and deletes, every read at a step's instant — single events, lists,
the timeline, the ceasefire tracker, an export — answers exactly what it answered then."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import (
    make_actor,
    make_citation,
    make_event,
    make_event_process,
    make_participant,
    make_process,
)

Headers = dict[str, str]
PICK = st.integers(min_value=0, max_value=5)
STEPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("new_event"), st.sampled_from(["2020-01-12", "2020-01", "2020-01-14/.."])
        ),
        st.tuples(st.just("retitle"), PICK, st.text("ابتثجحخدذرسشصضطظعغفقكلمنهويabc", min_size=1)),
        st.tuples(st.just("redate"), PICK, st.sampled_from(["2020-01-15", "2019-12"])),
        st.tuples(st.just("retract"), PICK),
        st.tuples(st.just("delete"), PICK),
        # A blank name is refused (422): renames are to names with a letter in them.
        st.tuples(st.just("rename_actor"), st.text("Haftar حفتر", min_size=1).filter(str.strip)),
        st.tuples(st.just("join"), PICK),
        st.tuples(st.just("cite"), PICK),
        st.tuples(st.just("breach"), PICK),
    ),
    min_size=1,
    max_size=7,
)


@dataclass
class World:
    client: TestClient
    editor: Headers
    admin: Headers
    actor: dict[str, Any]
    process: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)

    def views(self) -> list[str]:
        listed = [
            "/v1/events?limit=100&sort=-date",
            "/v1/actors?limit=100",
            "/v1/sources?limit=100",
            "/v1/timeline?limit=100&bucket=month&group_by=actor",
            f"/v1/processes/{self.process['id']}/ceasefire",
            f"/v1/actors/{self.actor['id']}/timeline",
            "/v1/events/export?format=ndjson",
        ]
        return listed + [f"/v1/events/{event['id']}" for event in self.events]

    def read(self, path: str, **params: str) -> tuple[int, str]:
        response = self.client.get(path, params=params, headers=self.editor)
        return response.status_code, response.text

    def live(self, pick: int) -> dict[str, Any] | None:
        alive = [e for e in self.events if not e.get("gone")]
        return alive[pick % len(alive)] if alive else None

    def change(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        headers = {**self.editor, "If-Match": f'W/"{event["version"]}"'}
        response = self.client.patch(f"/v1/events/{event['id']}", json=body, headers=headers)
        assert response.status_code == 200, response.text
        event.update(response.json())

    def refresh(self, event: dict[str, Any]) -> None:
        event.update(self.client.get(f"/v1/events/{event['id']}", headers=self.editor).json())

    def apply(self, step: tuple[Any, ...]) -> None:
        kind, *args = step
        if kind == "new_event":
            self.events.append(make_event(self.client, self.editor, when=args[0]))
            return
        if kind == "rename_actor":
            headers = {**self.editor, "If-Match": f'W/"{self.actor["version"]}"'}
            path = f"/v1/actors/{self.actor['id']}"
            response = self.client.patch(path, json={"names": {"en": args[0]}}, headers=headers)
            assert response.status_code == 200, response.text
            self.actor = response.json()
            return
        event = self.live(args[0])
        if event is None:
            return
        if kind == "retitle" and args[1].strip():
            self.change(event, {"title": {"ar": args[1].strip()}})
        elif kind == "redate":
            self.change(event, {"when": args[1]})
        elif kind == "retract" and event["status"] == "published":
            self.change(event, {"status": "retracted", "retraction_reason": "Property test."})
        elif kind == "delete":
            headers = {**self.admin, "If-Match": f'W/"{event["version"]}"'}
            assert (
                self.client.delete(f"/v1/events/{event['id']}", headers=headers).status_code == 204
            )
            event["gone"] = True
        elif kind == "join":
            make_participant(
                self.client, self.editor, event_id=event["id"], actor_id=self.actor["id"]
            )
            self.refresh(event)
        elif kind == "cite":
            make_citation(
                self.client,
                self.editor,
                event_id=event["id"],
                quote="خرق للهدنة",
                quote_language="ar",
            )
            self.refresh(event)
        elif kind == "breach" and not event["processes"]:
            make_event_process(
                self.client,
                self.editor,
                event_id=event["id"],
                process_id=self.process["id"],
                relation="violates",
            )
            self.refresh(event)


def instant() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
# A participant's copy of its event's dates moves with a new date, not its time of change.
@example(steps=[("join", 0), ("redate", 0, "2019-12")])
def test_every_read_as_of_a_step_is_what_that_step_answered(
    client: TestClient, editor_headers: Headers, admin_headers: Headers, steps: list[Any]
) -> None:
    world = World(
        client,
        editor_headers,
        admin_headers,
        actor=make_actor(client, editor_headers),
        process=make_process(client, editor_headers),
    )
    world.events.append(make_event(client, editor_headers))
    answered: list[tuple[str, dict[str, tuple[int, str]]]] = []
    for step in steps:
        world.apply(step)
        answered.append((instant(), {path: world.read(path) for path in world.views()}))
    for at, answers in answered:
        for path in world.views():
            expected = answers.get(path, (404, ""))
            status, body = world.read(path, as_of=at)
            assert status == expected[0], (path, at)
            if status == 200:
                assert body == expected[1], (path, at)
    # Nothing of the rewinds stayed behind: the present reads as the last step left it.
    assert {path: world.read(path) for path in world.views()} == answered[-1][1]
