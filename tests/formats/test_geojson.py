"""GeoJSON export, read back by the `geojson` package."""

from __future__ import annotations

from typing import Any

import geojson

from app.formats import geojson as renderer
from tests.formats.exported import (
    BREACH,
    HAFTAR_ASKS_TIME,
    TARHUNA,
    breach,
    context,
    demo_events,
    rendered,
)


def features_by_id(**context_args: Any) -> dict[str, Any]:
    collection = geojson.loads(rendered(renderer.render, **context_args))
    return {feature["id"]: feature for feature in collection["features"]}


class TestRender:
    def test_is_a_valid_feature_collection_of_every_event(self) -> None:
        collection = geojson.loads(rendered(renderer.render))
        assert collection.is_valid, collection.errors()
        assert collection["type"] == "FeatureCollection"
        assert len(collection["features"]) == len(demo_events())

    def test_points_are_longitude_then_latitude(self) -> None:
        feature = features_by_id()[str(BREACH)]
        assert feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == list(TARHUNA)  # [13.63, 32.43]

    def test_event_without_place_has_null_geometry(self) -> None:
        feature = features_by_id()[str(HAFTAR_ASKS_TIME)]
        assert feature["type"] == "Feature"
        assert feature["geometry"] is None
        assert feature["properties"]["location"] is None

    def test_properties_follow_the_language_and_keep_every_title(self) -> None:
        english = features_by_id(lang="en")[str(BREACH)]["properties"]
        arabic = features_by_id(lang="ar")[str(BREACH)]["properties"]
        assert english["title"] == breach()["title"]["en"]
        assert arabic["title"] == breach()["title"]["ar"]
        assert english["title_i18n"] == breach()["title"]
        assert english["when"] == "2020-01-12/2020-01-14"
        assert (english["date_lower"], english["date_upper"]) == ("2020-01-12", "2020-01-14")
        assert english["actors"] == ["9th Brigade (al-Kaniyat)"]
        assert english["fatalities_best"] == 3
        assert english["url"] == context().event_url(BREACH)

    def test_empty_export_is_an_empty_valid_collection(self) -> None:
        collection = geojson.loads(rendered(renderer.render, []))
        assert collection.is_valid
        assert collection["features"] == []

    def test_streams_one_chunk_per_event(self) -> None:
        chunks = list(renderer.render(iter(demo_events()), context()))
        assert len(chunks) == len(demo_events()) + 2
