"""The demo data set: the seed article's events, stored as written and every one traceable."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.db import Database
from app.demo.load import demo_id, load, read_seed

SEED = read_seed()


@pytest.fixture(autouse=True)
def demo(database: Database) -> None:
    with database.session(write=True) as session:
        load(session)


def _event(client: TestClient, ref: str) -> dict[str, Any]:
    response = client.get(f"/v1/events/{demo_id('event', ref)}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("seed", SEED["events"], ids=lambda e: e["ref"])
def test_every_event_is_published_as_written_and_cited(
    client: TestClient, seed: dict[str, Any]
) -> None:
    event = _event(client, seed["ref"])
    assert event["title"] == seed["title"]  # Arabic byte for byte, no normalisation
    assert event["when"] == seed["when"]
    assert event["version"] == (2 if seed.get("entered_in_review") else 1)
    assert event["citations"], "every demo claim names its source"


def test_the_article_is_a_source_in_arabic(client: TestClient) -> None:
    source = client.get(f"/v1/sources/{demo_id('source', 'trtarabi-2020-01-14')}").json()
    assert source["language"] == "ar"
    assert source["title"].startswith("خليفة حفتر يغادر موسكو")


def test_a_second_load_creates_nothing(database: Database) -> None:
    with database.session(write=True) as session:
        assert load(session) == 0


def test_the_truce_as_the_public_saw_it_before_and_after_the_breach_report_was_published(
    client: TestClient,
) -> None:
    breach = demo_id("event", "truce-breaches-9th-brigade")
    entered, published = client.get(f"/v1/events/{breach}/revisions").json()
    assert (entered["after"]["status"], published["after"]["status"]) == ("in_review", "published")
    tracker = f"/v1/processes/{demo_id('process', 'truce-2020-01-12')}/ceasefire"

    before = client.get(tracker, params={"as_of": entered["at"]})
    after = client.get(tracker, params={"as_of": published["at"]})
    assert before.json()["breaches"]["total"] == 0
    assert after.json()["breaches"]["total"] == 1
    assert after.json()["breaches"] == client.get(tracker).json()["breaches"]
    assert client.get(f"/v1/events/{breach}", params={"as_of": entered["at"]}).status_code == 404
