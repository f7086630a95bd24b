"""An event's claims grouped by subject and polarity, contradictions side by side, and the
reported figures as an explained aggregate, never a silent pick."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.core.db import Database
from app.demo.load import demo_id, load
from tests.factories import (
    make_citation,
    make_event,
    make_outlet,
    make_participant,
    make_source,
)

Headers = dict[str, str]


def source_from(client: TestClient, headers: Headers, outlet: str) -> str:
    made = make_outlet(client, headers, names={"en": outlet}, affiliation=outlet)
    source_id: str = make_source(client, headers, outlet_id=made["id"])["id"]
    return source_id


def claims_of(client: TestClient, headers: Headers, event: dict[str, Any]) -> Any:
    return client.get(f"/v1/events/{event['id']}", headers=headers).json()["claims"]


def test_the_demo_breach_shows_the_anadolu_claim_with_its_arabic_quote(
    client: TestClient, database: Database
) -> None:
    with database.session(write=True) as session:
        load(session)
    breach = client.get(f"/v1/events/{demo_id('event', 'truce-breaches-9th-brigade')}").json()
    (group,) = breach["claims"]["groups"]
    assert group["role"] == "accused"  # the claim is about the 9th Brigade's part
    (claim,) = group["asserts"]
    assert claim["outlet"]["en"] == "Anadolu Agency"
    assert claim["quote_language"] == "ar"
    assert "اللواء التاسع ترهونة" in claim["quote"]


def test_a_denial_of_an_actors_part_stands_beside_the_accusation(
    client: TestClient, editor_headers: Headers
) -> None:
    event = make_event(client, editor_headers)
    accused = make_participant(client, editor_headers, event_id=event["id"], role="accused")
    for outlet, polarity in (("Anadolu Agency", "asserts"), ("LNA media office", "denies")):
        make_citation(
            client,
            editor_headers,
            event_id=event["id"],
            source_id=source_from(client, editor_headers, outlet),
            participation_id=accused["id"],
            polarity=polarity,
        )
    (group,) = claims_of(client, editor_headers, event)["groups"]
    assert (group["about"], group["role"], group["contradicted"]) == (
        accused["id"],
        "accused",
        True,
    )
    assert [c["outlet"]["en"] for c in group["asserts"]] == ["Anadolu Agency"]
    assert [c["outlet"]["en"] for c in group["denies"]] == ["LNA media office"]


def test_different_death_tolls_are_shown_as_a_range_with_who_said_what(
    client: TestClient, editor_headers: Headers
) -> None:
    event = make_event(client, editor_headers)
    for outlet, best in (("Al Jazeera", 5), ("TASS", 3), ("DPA", 4)):
        make_citation(
            client,
            editor_headers,
            event_id=event["id"],
            source_id=source_from(client, editor_headers, outlet),
            fatalities_best=best,
        )
    figures = claims_of(client, editor_headers, event)["figures"]
    assert (figures["low"], figures["best"], figures["high"]) == (3, 4, 5)
    assert (figures["reports"], figures["contradicted"]) == (3, True)
    assert figures["explanation"] == (
        "3 reports (Al Jazeera: 5; TASS: 3; DPA: 4); best is the median of their best figures "
        "(4); the reports contradict each other."
    )


def test_overlapping_ranges_do_not_contradict(client: TestClient, editor_headers: Headers) -> None:
    event = make_event(client, editor_headers)
    make_citation(
        client,
        editor_headers,
        event_id=event["id"],
        source_id=source_from(client, editor_headers, "Libya Observer"),
        fatalities_low=2,
        fatalities_high=4,
    )
    make_citation(
        client,
        editor_headers,
        event_id=event["id"],
        source_id=source_from(client, editor_headers, "Libya Herald"),
        fatalities_best=3,
    )
    figures = claims_of(client, editor_headers, event)["figures"]
    assert (figures["low"], figures["best"], figures["high"], figures["contradicted"]) == (
        2,
        3,
        4,
        False,
    )
    assert claims_of(client, editor_headers, make_event(client, editor_headers))["figures"] is None
