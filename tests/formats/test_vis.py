"""vis-timeline DataSet export."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from app.formats import vis
from tests.formats.exported import (
    BREACH,
    HAFTAR_ASKS_TIME,
    MOSCOW_TALKS,
    PRESSURE_CLAIM,
    SIALA_STATEMENT,
    TRUCE_DECLARED,
    demo_events,
    rendered,
)


def dataset(**context_args: Any) -> Any:
    return orjson.loads(rendered(vis.render, **context_args))


def items(**context_args: Any) -> dict[str, Any]:
    return {item["id"]: item for item in dataset(**context_args)["items"]}


class TestGroups:
    @pytest.mark.parametrize("group_by", ["type", "actor", "location", "process"])
    def test_every_item_is_in_a_listed_group(self, group_by: str) -> None:
        data = dataset(group_by=group_by)
        group_ids = [group["id"] for group in data["groups"]]
        assert len(data["items"]) == len(demo_events())
        assert {item["group"] for item in data["items"]} == set(group_ids)
        assert len(group_ids) == len(set(group_ids))

    def test_events_without_the_grouping_key_share_a_none_group(self) -> None:
        data = dataset(group_by="location", lang="en")
        assert items(group_by="location")[str(HAFTAR_ASKS_TIME)]["group"] == "location:none"
        assert {"id": "location:none", "content": "No place"} in [
            {"id": group["id"], "content": group["content"]} for group in data["groups"]
        ]

    def test_groups_by_type_are_labelled_in_the_language(self) -> None:
        groups = {group["id"]: group["content"] for group in dataset(lang="ar")["groups"]}
        assert groups["type:ceasefire.breach"] == "خرق الهدنة"

    def test_empty_export(self) -> None:
        assert orjson.loads(rendered(vis.render, [])) == {"items": [], "groups": []}


class TestItems:
    def test_uncertain_days_are_ranges_with_exclusive_end(self) -> None:
        breach = items()[str(BREACH)]
        assert breach["type"] == "range"
        assert (breach["start"], breach["end"]) == ("2020-01-12", "2020-01-15")
        assert breach["className"].split() == [
            "precision-days",
            "verification-unverified",
            "uncertain",
        ]

    def test_month_precision_is_a_range_over_the_month(self) -> None:
        claim = items()[str(PRESSURE_CLAIM)]
        assert (claim["type"], claim["start"], claim["end"]) == (
            "range",
            "2020-01-01",
            "2020-02-01",
        )
        assert "precision-month" in claim["className"]

    def test_known_day_is_a_point(self) -> None:
        talks = items()[str(MOSCOW_TALKS)]
        assert (talks["type"], talks["start"]) == ("point", "2020-01-13")
        assert "end" not in talks
        assert "uncertain" not in talks["className"]

    def test_open_end_is_a_flagged_point_on_its_first_day(self) -> None:
        truce = items(lang="en")[str(TRUCE_DECLARED)]
        assert (truce["type"], truce["start"]) == ("point", "2020-01-12")
        assert "precision-open" in truce["className"].split()
        assert "no end date recorded" in truce["title"]

    def test_content_and_tooltip_are_escaped_html(self) -> None:
        statement = items(lang="en")[str(SIALA_STATEMENT)]
        assert "&lt;unconfirmed&gt;" in statement["content"]
        assert "&amp;" in statement["content"]
        assert "<" not in statement["content"]
