"""Bucketed counts: each event once, in the bucket holding its whole interval or under spanning."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_event, make_location
from tests.timelines import Headers, get_timeline

UNITS = ["day", "week", "month", "year"]
SHELLING, BREACH, TALKS = "violence.shelling", "ceasefire.breach", "negotiation.talks"


def _bucket_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


class TestBuckets:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> None:
        for when, type_ in [
            ("2020-01-15", SHELLING),  # a Wednesday
            ("2020-01-14/2020-01-15", SHELLING),  # two days of one week
            ("2020-01-19/2020-01-20", BREACH),  # Sunday to Monday: two weeks
            ("2020-01", BREACH),
            ("2020-01-12/..", TALKS),
            ("2019-12-31/2020-01-01", TALKS),  # two months and years, one ISO week
        ]:
            make_event(client, editor_headers, when=when, type=type_)

    @pytest.mark.parametrize(
        ("unit", "buckets", "spanning"),
        [
            (
                "day",
                [("2020-01-15", "2020-01-15", {SHELLING: 1})],
                {BREACH: 2, SHELLING: 1, TALKS: 2},
            ),
            (
                "week",
                [
                    ("2019-12-30", "2020-01-05", {TALKS: 1}),
                    ("2020-01-13", "2020-01-19", {SHELLING: 2}),
                ],
                {BREACH: 2, TALKS: 1},
            ),
            ("month", [("2020-01-01", "2020-01-31", {BREACH: 2, SHELLING: 2})], {TALKS: 2}),
            ("year", [("2020-01-01", "2020-12-31", {BREACH: 2, SHELLING: 2})], {TALKS: 2}),
        ],
    )
    def test_counts_per_bucket_and_type_with_spanning_apart(
        self,
        client: TestClient,
        events: None,
        unit: str,
        buckets: list[tuple[str, str, dict[str, int]]],
        spanning: dict[str, int],
    ) -> None:
        counted = get_timeline(client, bucket=unit)["buckets"]
        assert counted["unit"] == unit
        assert [(b["start"], b["end"], b["by_type"]) for b in counted["buckets"]] == buckets
        assert [b["total"] for b in counted["buckets"]] == [sum(t.values()) for *_, t in buckets]
        assert counted["spanning"] == {"total": sum(spanning.values()), "by_type": spanning}
        assert counted["undated"] == {"total": 0, "by_type": {}}
        assert counted["total"] == 6

    def test_counts_only_matching_events_but_all_of_them(
        self, client: TestClient, events: None
    ) -> None:
        page = get_timeline(client, bucket="month", type="ceasefire.*", limit=1)
        assert len(page["items"]) == 1
        assert page["buckets"]["total"] == 2

    def test_no_buckets_unless_asked(self, client: TestClient, events: None) -> None:
        assert get_timeline(client)["buckets"] is None

    @pytest.mark.parametrize(
        ("day", "start", "end"),
        [
            ("2020-01-13", "2020-01-13", "2020-01-19"),  # a Monday
            ("2020-01-19", "2020-01-13", "2020-01-19"),  # a Sunday
            ("2020-02-29", "2020-02-24", "2020-03-01"),
            ("2021-01-01", "2020-12-28", "2021-01-03"),
        ],
    )
    def test_weeks_run_monday_to_sunday(
        self, client: TestClient, editor_headers: Headers, day: str, start: str, end: str
    ) -> None:
        make_event(client, editor_headers, when=day)
        (bucket,) = get_timeline(client, bucket="week")["buckets"]["buckets"]
        assert (bucket["start"], bucket["end"]) == (start, end)

    def test_february_of_a_leap_year_ends_on_the_29th(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers, when="2020-02")
        (bucket,) = get_timeline(client, bucket="month")["buckets"]["buckets"]
        assert (bucket["start"], bucket["end"]) == ("2020-02-01", "2020-02-29")


DAYS = st.dates(min_value=dt.date(2019, 12, 20), max_value=dt.date(2020, 2, 10))
WHENS = st.one_of(
    DAYS.map(str),
    st.tuples(DAYS, st.integers(1, 40)).map(lambda p: f"{p[0]}/{p[0] + dt.timedelta(days=p[1])}"),
    st.sampled_from(["2019-12", "2020-01", "2020-02", "2020-01~", "2020"]),
    DAYS.map(lambda d: f"{d}/.."),
    DAYS.map(lambda d: f"../{d}"),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(whens=st.lists(WHENS, max_size=8))
def test_every_event_is_counted_once_in_the_bucket_holding_it(
    client: TestClient, editor_headers: Headers, whens: list[str]
) -> None:
    # The database outlives the examples; a fresh place keeps each example's events apart.
    place = make_location(client, editor_headers)["id"]
    for when in whens:
        make_event(client, editor_headers, when=when, location_id=place)
    items = get_timeline(client, location=place)["items"]
    assert len(items) == len(whens)

    for unit in UNITS:
        counted = get_timeline(client, location=place, bucket=unit)["buckets"]
        in_buckets = sum(b["total"] for b in counted["buckets"])
        assert in_buckets + counted["spanning"]["total"] + counted["undated"]["total"] == len(whens)
        assert counted["total"] == len(whens)
        assert {b["start"]: b["total"] for b in counted["buckets"]} == _expected(items, unit)


def _expected(items: list[dict[str, Any]], unit: str) -> dict[str, int]:
    """Bucket starts and counts: an event counts only if both its ends fall in one bucket."""
    found: Counter[str] = Counter()
    for item in items:
        if item["date_lower"] is None or item["date_upper"] is None:
            continue
        first, last = (
            _bucket_start(dt.date.fromisoformat(item[end]), unit)
            for end in ("date_lower", "date_upper")
        )
        if first == last:
            found[first.isoformat()] += 1
    return dict(found)
