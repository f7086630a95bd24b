"""Verification follows the claims (two independent outlets corroborate, a denial disputes)
unless an editor decides, with a reason that is kept."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import make_citation, make_event, make_outlet, make_source

Headers = dict[str, str]


def cite(client: TestClient, headers: Headers, event: dict[str, Any], **outlet: Any) -> None:
    """A claim by a new source from a new outlet with these fields."""
    source = make_source(client, headers, outlet_id=make_outlet(client, headers, **outlet)["id"])
    make_citation(client, headers, event_id=event["id"], source_id=source["id"])


def verification(client: TestClient, headers: Headers, event: dict[str, Any]) -> str:
    found: str = client.get(f"/v1/events/{event['id']}", headers=headers).json()["verification"]
    return found


def patch(client: TestClient, headers: Headers, event: dict[str, Any], body: dict[str, Any]) -> Any:
    etag = client.get(f"/v1/events/{event['id']}", headers=headers).headers["etag"]
    return client.patch(
        f"/v1/events/{event['id']}", json=body, headers={**headers, "If-Match": etag}
    )


class TestFromClaims:
    def test_two_independent_outlets_corroborate(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        cite(client, editor_headers, event, names={"en": "TASS"}, affiliation="Russian state")
        assert verification(client, editor_headers, event) == "unverified"
        cite(client, editor_headers, event, names={"en": "DPA"}, affiliation="German cooperative")
        assert verification(client, editor_headers, event) == "corroborated"

    def test_outlets_of_one_affiliation_are_one_voice(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        cite(client, editor_headers, event, names={"en": "TRT"}, affiliation="Turkish state")
        cite(client, editor_headers, event, names={"en": "AA"}, affiliation="turkish  STATE")
        assert verification(client, editor_headers, event) == "unverified"

    def test_a_denial_disputes_and_its_withdrawal_undisputes(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        source = make_source(client, editor_headers)
        denial = make_citation(
            client, editor_headers, event_id=event["id"], source_id=source["id"], polarity="denies"
        )
        assert verification(client, editor_headers, event) == "disputed"
        path = f"/v1/events/{event['id']}/citations/{denial['id']}"
        removed = client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert removed.status_code == 204, removed.text
        assert verification(client, editor_headers, event) == "unverified"


class TestEditorsDecision:
    def test_a_decision_holds_with_its_reason_until_handed_back(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        decided = patch(
            client,
            editor_headers,
            event,
            {"verification": "confirmed", "verification_reason": "Our reporter was there."},
        )
        assert decided.status_code == 200, decided.text
        decision = decided.json()["verification_decision"]
        assert decision["reason"] == "Our reporter was there."
        assert decision["by"].endswith(":test editor")
        source = make_source(client, editor_headers)
        make_citation(
            client, editor_headers, event_id=event["id"], source_id=source["id"], polarity="denies"
        )
        assert verification(client, editor_headers, event) == "confirmed"  # decision holds
        handed_back = patch(client, editor_headers, event, {"verification": "auto"})
        assert handed_back.json()["verification"] == "disputed"
        assert handed_back.json()["verification_decision"] is None

    def test_a_decision_without_a_reason_is_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        response = patch(client, editor_headers, event, {"verification": "confirmed"})
        assert response.status_code == 422
        assert "verification_reason" in response.json()["detail"]
