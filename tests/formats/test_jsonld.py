"""schema.org JSON-LD export."""

from __future__ import annotations

import uuid
from typing import Any

import orjson

from app.formats import jsonld
from tests.formats.exported import (
    BREACH,
    HAFTAR_ASKS_TIME,
    PRESSURE_CLAIM,
    TRUCE_DECLARED,
    context,
    demo_events,
    rendered,
)


def document(**context_args: Any) -> Any:
    return orjson.loads(rendered(jsonld.render, **context_args))


def node(event_id: uuid.UUID, **context_args: Any) -> Any:
    url = context().event_url(event_id)
    return next(item for item in document(**context_args)["@graph"] if item["@id"] == url)


class TestRender:
    def test_is_a_schema_org_graph_of_events(self) -> None:
        data = document()
        assert data["@context"] == "https://schema.org"
        assert [item["@type"] for item in data["@graph"]] == ["Event"] * len(demo_events())

    def test_empty_export_is_an_empty_graph(self) -> None:
        assert orjson.loads(rendered(jsonld.render, [])) == {
            "@context": "https://schema.org",
            "@graph": [],
        }

    def test_dates_are_the_inclusive_bounds(self) -> None:
        assert (node(BREACH)["startDate"], node(BREACH)["endDate"]) == ("2020-01-12", "2020-01-14")
        assert (node(PRESSURE_CLAIM)["startDate"], node(PRESSURE_CLAIM)["endDate"]) == (
            "2020-01-01",
            "2020-01-31",
        )

    def test_open_end_has_no_end_date(self) -> None:
        truce = node(TRUCE_DECLARED, lang="en")
        assert truce["startDate"] == "2020-01-12"
        assert "endDate" not in truce
        assert "no end date recorded" in truce["description"]

    def test_name_language_and_other_titles(self) -> None:
        breach = node(BREACH, lang="ar")
        assert breach["inLanguage"] == "ar"
        assert breach["name"].startswith("خروقات")
        assert breach["alternateName"][0]["@language"] == "en"

    def test_place_has_coordinates_and_country(self) -> None:
        place = node(BREACH, lang="en")["location"]
        assert place["@type"] == "Place"
        assert place["name"] == "Tarhuna"
        assert (place["geo"]["latitude"], place["geo"]["longitude"]) == (32.435, 13.6335)
        assert place["address"]["addressCountry"]["identifier"] == "LBY"
        assert "location" not in node(HAFTAR_ASKS_TIME)

    def test_belligerents_are_subjects_with_roles_not_organizers(self) -> None:
        breach = node(BREACH, lang="en")
        assert not {"organizer", "performer", "attendee", "actor"} & set(breach)
        roles = {role["roleName"]: role["about"] for role in breach["about"]}
        assert roles["accused"]["name"] == "9th Brigade (al-Kaniyat)"
        assert roles["alleged_violation_of"]["@type"] == "Event"

    def test_sources_are_works_about_the_event(self) -> None:
        (work,) = node(BREACH, lang="en")["subjectOf"]
        assert work["@type"] == "NewsArticle"
        assert work["publisher"]["name"] == "Anadolu"
        assert work["datePublished"].startswith("2020-01-14")

    def test_external_ids_are_identifiers_and_urls_are_same_as(self) -> None:
        event = demo_events()[1]
        event["external_ids"] = {"acled": "LBY123", "wiki": "https://example.org/truce-breach"}
        (item,) = orjson.loads(rendered(jsonld.render, [event]))["@graph"]
        assert {"@type": "PropertyValue", "propertyID": "acled", "value": "LBY123"} in item[
            "identifier"
        ]
        assert item["sameAs"] == ["https://example.org/truce-breach"]
