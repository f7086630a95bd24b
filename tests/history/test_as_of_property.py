"""As-of equivalence: for any sequence of edits, retractions, restorations and a delete, the
as-of read at each step's instant is exactly the event that step answered with."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_event

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("title"), st.text("ابتثجحخدذرسشصضطظعغفقكلمنهويabc ", min_size=1)),
        st.tuples(st.just("when"), st.sampled_from(["2020-01-12", "2020-01", "2020-01-12/.."])),
        st.tuples(st.just("retract"), st.just("")),
        st.tuples(st.just("restore"), st.just("")),
    ),
    min_size=1,
    max_size=6,
)


def body_for(step: tuple[str, str], current: dict[str, Any]) -> dict[str, Any] | None:
    kind, value = step
    if kind == "title" and value.strip():
        return {"title": {current["original_language"]: value.strip()}}
    if kind == "when":
        return {"when": value}
    if kind == "retract" and current["status"] == "published":
        return {"status": "retracted", "retraction_reason": "Property test."}
    if kind == "restore" and current["status"] == "retracted":
        return {"status": "published"}
    return None


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS, delete_at_end=st.booleans())
def test_as_of_each_step_is_that_step(
    client: TestClient,
    editor_headers: dict[str, str],
    admin_headers: dict[str, str],
    steps: list[tuple[str, str]],
    delete_at_end: bool,
) -> None:
    current = make_event(client, editor_headers)
    path = f"/v1/events/{current['id']}"
    states = [current]
    for step in steps:
        body = body_for(step, current)
        if body is None:
            continue
        response = client.patch(
            path, json=body, headers={**editor_headers, "If-Match": f'W/"{current["version"]}"'}
        )
        assert response.status_code == 200, response.text
        current = response.json()
        states.append(current)
    if delete_at_end:
        headers = {**admin_headers, "If-Match": f'W/"{current["version"]}"'}
        assert client.delete(path, headers=headers).status_code == 204
    revisions = client.get(f"{path}/revisions", headers=editor_headers).json()
    for revision, state in zip(revisions, states, strict=False):
        past = client.get(path, params={"as_of": revision["at"]}, headers=editor_headers)
        assert past.status_code == 200
        assert past.json() == {k: v for k, v in state.items() if k != "claims"}
    if delete_at_end:
        gone = client.get(path, params={"as_of": revisions[-1]["at"]}, headers=editor_headers)
        assert gone.status_code == 410
