"""The filters of the event list: which events each one keeps, and which values it refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.events import expect_problem, listed_ids, paged_ids
from tests.factories import (
    make_actor,
    make_event,
    make_location,
    make_participant,
    make_process,
)

Headers = dict[str, str]


def _ids(events: dict[str, str], *names: str) -> set[str]:
    return {events[name] for name in names}


class TestTypeFilter:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        types = {
            "talks": "negotiation.talks",
            "truce": "ceasefire.declared",
            "breach": "ceasefire.breach",
            "shelling": "violence.shelling",
        }
        return {name: make_event(client, editor_headers, type=t)["id"] for name, t in types.items()}

    @pytest.mark.parametrize(
        ("types", "expected"),
        [
            (["ceasefire.breach"], {"breach"}),
            (["ceasefire.*"], {"truce", "breach"}),
            (["ceasefire.*", "violence.shelling"], {"truce", "breach", "shelling"}),
            (["ceasefire.breach", "negotiation.talks"], {"breach", "talks"}),
            (["political.*"], set()),
        ],
    )
    def test_keeps_the_named_types_and_families(
        self, client: TestClient, events: dict[str, str], types: list[str], expected: set[str]
    ) -> None:
        assert listed_ids(client, type=types) == _ids(events, *expected)

    @pytest.mark.parametrize("bad", ["ceasefire.nope", "nope.*", "ceasefire", "*"])
    def test_an_unknown_type_is_422(self, client: TestClient, bad: str) -> None:
        response = client.get("/v1/events", params={"type": bad})
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["query", "type"]]
        assert bad in problem["detail"]


class TestActorFilter:
    def test_keeps_events_the_actor_takes_part_in(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        haftar, sarraj, lavrov = (make_actor(client, editor_headers)["id"] for _ in range(3))
        events = {name: make_event(client, editor_headers)["id"] for name in ("talks", "refusal")}
        make_participant(client, editor_headers, event_id=events["talks"], actor_id=haftar)
        make_participant(client, editor_headers, event_id=events["talks"], actor_id=sarraj)
        make_participant(client, editor_headers, event_id=events["refusal"], actor_id=haftar)
        make_participant(client, editor_headers, event_id=events["refusal"], actor_id=lavrov)
        make_event(client, editor_headers)

        assert listed_ids(client, actor=haftar) == _ids(events, "talks", "refusal")
        assert listed_ids(client, actor=sarraj) == _ids(events, "talks")
        assert listed_ids(client, actor=[sarraj, lavrov]) == _ids(events, "talks", "refusal")

    def test_one_actors_pages_come_in_timeline_order_each_event_once(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        # One actor's events are read from its participations (the actor timeline index);
        # several actors' through a condition: both must list the same events, in order.
        haftar, nobody = (make_actor(client, editor_headers)["id"] for _ in range(2))
        days = ["2020-01-14", "2020-01-12", "2020-01", "2020-01-13", "2020-01-12/2020-01-15"]
        events = [make_event(client, editor_headers, when=day) for day in days]
        for event in events:
            make_participant(client, editor_headers, event_id=event["id"], actor_id=haftar)
        # In two roles at one event: still listed once.
        make_participant(
            client, editor_headers, event_id=events[3]["id"], actor_id=haftar, role="mediator"
        )
        # Moved after its participants were added: it moves in the actor's list too.
        response = client.patch(
            f"/v1/events/{events[0]['id']}",
            json={"when": "2019-12-30"},
            headers={
                **editor_headers,
                "If-Match": client.get(f"/v1/events/{events[0]['id']}").headers["ETag"],
            },
        )
        assert response.status_code == 200, response.text
        draft = make_event(client, editor_headers, status="draft")
        make_participant(client, editor_headers, event_id=draft["id"], actor_id=haftar)

        in_order = [events[i]["id"] for i in (0, 2, 1, 4, 3)]
        for sort, expected in (("date", in_order), ("-date", in_order[::-1])):
            assert paged_ids(client, "/v1/events", actor=haftar, sort=sort) == expected
            assert paged_ids(client, "/v1/events", actor=[haftar, nobody], sort=sort) == expected
        assert paged_ids(client, "/v1/timeline", actor=haftar) == in_order


class TestProcessFilter:
    def test_keeps_events_related_to_the_process(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        truce, berlin = (make_process(client, editor_headers)["id"] for _ in range(2))
        breach = make_event(client, editor_headers, type="ceasefire.breach")["id"]
        client.post(
            f"/v1/events/{breach}/processes",
            json={"process_id": truce, "relation": "violates"},
            headers=editor_headers,
        )
        make_event(client, editor_headers)

        assert listed_ids(client, process=truce) == {breach}
        assert listed_ids(client, process=berlin) == set()


class TestPlaceFilters:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        tarhuna = make_location(client, editor_headers)["id"]
        ankara = make_location(
            client, editor_headers, names={"en": "Ankara"}, country="TUR", kind="city"
        )["id"]
        return {
            "tarhuna": make_event(client, editor_headers, location_id=tarhuna)["id"],
            "ankara": make_event(client, editor_headers, location_id=ankara)["id"],
            "nowhere": make_event(client, editor_headers)["id"],
            "tarhuna_place": tarhuna,
            "ankara_place": ankara,
        }

    def test_location_keeps_events_at_that_place(
        self, client: TestClient, events: dict[str, str]
    ) -> None:
        assert listed_ids(client, location=events["ankara_place"]) == _ids(events, "ankara")
        both = [events["ankara_place"], events["tarhuna_place"]]
        assert listed_ids(client, location=both) == _ids(events, "ankara", "tarhuna")

    @pytest.mark.parametrize(
        ("country", "expected"),
        [("LBY", {"tarhuna"}), ("lby", {"tarhuna"}), (["LBY", "TUR"], {"tarhuna", "ankara"})],
    )
    def test_country_goes_through_the_events_location(
        self,
        client: TestClient,
        events: dict[str, str],
        country: str | list[str],
        expected: set[str],
    ) -> None:
        assert listed_ids(client, country=country) == _ids(events, *expected)

    def test_several_places_pages_come_in_timeline_order(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        # On PostgreSQL a page of several places' events is the first of each place's own walk
        # (app.core.listing.Split): pages must still follow one another in timeline order,
        # within the window, with a timeline's own scope.
        def place(name: str, latitude: float, longitude: float, country: str = "LBY") -> str:
            body = {"names": {"en": name}, "latitude": latitude, "longitude": longitude}
            return make_location(client, editor_headers, **body, country=country)["id"]

        tarhuna, sirte = place("Tarhuna", 32.4, 13.6), place("Sirte", 31.2, 16.6)
        tripoli, ankara = place("Tripoli", 32.9, 13.2), place("Ankara", 39.9, 32.8, "TUR")
        at = {
            tarhuna: ["2020-01-03", "2020-01-09", "2020-01-15", "2020-01-21"],
            sirte: ["2020-01-04", "2020-01-05", "2020-01-06", "2020-01-30"],
            tripoli: ["2019-12-28/2020-01-02", "2020-01-10", "2020-02-03"],
            ankara: ["2020-01-07"],
        }
        ids = {
            (location, when): make_event(client, editor_headers, location_id=location, when=when)[
                "id"
            ]
            for location, days in at.items()
            for when in days
        }
        make_event(client, editor_headers, location_id=tarhuna, when="2020-01-08", status="draft")
        haftar = make_actor(client, editor_headers)["id"]
        haftars = {(tarhuna, "2020-01-09"), (sirte, "2020-01-30"), (tripoli, "2020-01-10")}
        for key in [*haftars, (ankara, "2020-01-07")]:
            make_participant(client, editor_headers, event_id=ids[key], actor_id=haftar)

        def in_order(*places: str, actor: bool = False) -> list[str]:
            """The events at `places` that meet January (in `haftars`), by their first day."""
            keys = [
                (location, when)
                for location, when in ids
                if location in places
                and when[-10:] >= "2020-01-01"
                and when[:10] <= "2020-01-31"
                and (not actor or (location, when) in haftars)
            ]
            return [ids[key] for key in sorted(keys, key=lambda key: key[1])]

        january = {"from": "2020-01-01", "to": "2020-01-31"}
        libya = in_order(tarhuna, sirte, tripoli)
        assert len(libya) == 10
        for sort, expected in (("date", libya), ("-date", libya[::-1])):
            assert paged_ids(client, "/v1/events", country="LBY", sort=sort, **january) == expected
        assert paged_ids(client, "/v1/timeline", country="LBY", **january) == libya
        assert paged_ids(client, "/v1/timeline", location=[tarhuna, sirte], **january) == in_order(
            tarhuna, sirte
        )
        assert paged_ids(client, "/v1/events", bbox="13.5,31,17,33", **january) == in_order(
            tarhuna, sirte
        )
        assert paged_ids(
            client, f"/v1/actors/{haftar}/timeline", country="LBY", **january
        ) == in_order(tarhuna, sirte, tripoli, actor=True)

    @pytest.mark.parametrize("bad", ["XXX", "LY", "Libya"])
    def test_an_unknown_country_is_422(self, client: TestClient, bad: str) -> None:
        problem = expect_problem(
            client.get("/v1/events", params={"country": bad}), 422, "validation_failed"
        )
        assert [e["loc"] for e in problem["errors"]] == [["query", "country"]]


class TestWindowFilter:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        whens = {
            "span": "2020-01-12/2020-01-14",
            "day": "2020-01-13",
            "month": "2020-01",
            "open_end": "2020-01-12/..",
            "open_start": "../2020-01-13",
        }
        return {name: make_event(client, editor_headers, when=w)["id"] for name, w in whens.items()}

    @pytest.mark.parametrize(
        ("start", "end", "overlapping", "inside"),
        [
            (
                "2020-01-13",
                "2020-01-13",
                {"span", "day", "month", "open_end", "open_start"},
                {"day"},
            ),
            (
                "2020-01-12",
                "2020-01-14",
                {"span", "day", "month", "open_end", "open_start"},
                {"span", "day"},
            ),
            (
                "2020-01-01",
                "2020-01-31",
                {"span", "day", "month", "open_end", "open_start"},
                {"span", "day", "month"},
            ),
            ("2020-01-15", "2020-01-20", {"month", "open_end"}, set()),
            ("2020-01-14", None, {"span", "month", "open_end"}, set()),
            (
                None,
                "2020-01-13",
                {"span", "day", "month", "open_end", "open_start"},
                {"day", "open_start"},
            ),
            (None, "2020-01-12", {"span", "month", "open_end", "open_start"}, set()),
            ("2020-02-01", None, {"open_end"}, set()),
            (None, "2019-12-31", {"open_start"}, set()),
        ],
    )
    def test_overlaps_and_within(
        self,
        client: TestClient,
        events: dict[str, str],
        start: str | None,
        end: str | None,
        overlapping: set[str],
        inside: set[str],
    ) -> None:
        window = {k: v for k, v in (("from", start), ("to", end)) if v is not None}
        assert listed_ids(client, **window) == _ids(events, *overlapping)
        assert listed_ids(client, **window, window="overlaps") == _ids(events, *overlapping)
        assert listed_ids(client, **window, window="within") == _ids(events, *inside)

    def test_from_after_to_is_422(self, client: TestClient) -> None:
        response = client.get("/v1/events", params={"from": "2020-01-14", "to": "2020-01-12"})
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["query", "from"]]

    @pytest.mark.parametrize(
        "params", [{"from": "2020-13-01"}, {"to": "yesterday"}, {"window": "around"}]
    )
    def test_a_bad_window_is_422(self, client: TestClient, params: dict[str, str]) -> None:
        problem = expect_problem(client.get("/v1/events", params=params), 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["query", *params]]


class TestStatusFilters:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        found = {
            "draft": make_event(client, editor_headers, status="draft")["id"],
            "published": make_event(
                client, editor_headers, verification="confirmed", verification_reason="Verified."
            )["id"],
            "disputed": make_event(
                client, editor_headers, verification="disputed", verification_reason="Denied."
            )["id"],
            "retracted": make_event(client, editor_headers)["id"],
        }
        retract = {"status": "retracted", "retraction_reason": "Fabricated."}
        response = client.patch(
            f"/v1/events/{found['retracted']}",
            json=retract,
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert response.status_code == 200, response.text
        return found

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            ("draft", {"draft"}),
            ("published", {"published", "disputed"}),
            ("retracted", {"retracted"}),
            (["draft", "retracted"], {"draft", "retracted"}),
        ],
    )
    def test_status_for_a_reader(
        self,
        client: TestClient,
        reader_headers: Headers,
        events: dict[str, str],
        status: str | list[str],
        expected: set[str],
    ) -> None:
        assert listed_ids(client, reader_headers, status=status) == _ids(events, *expected)

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (None, {"published", "disputed", "retracted"}),
            ("draft", set()),
            (["draft", "published"], {"published", "disputed"}),
        ],
    )
    def test_status_never_shows_drafts_to_anonymous_callers(
        self,
        client: TestClient,
        events: dict[str, str],
        status: str | list[str] | None,
        expected: set[str],
    ) -> None:
        params: dict[str, Any] = {} if status is None else {"status": status}
        assert listed_ids(client, **params) == _ids(events, *expected)

    @pytest.mark.parametrize(
        ("verification", "expected"),
        [
            ("confirmed", {"published"}),
            ("unverified", {"draft", "retracted"}),
            (["confirmed", "disputed"], {"published", "disputed"}),
        ],
    )
    def test_verification(
        self,
        client: TestClient,
        reader_headers: Headers,
        events: dict[str, str],
        verification: str | list[str],
        expected: set[str],
    ) -> None:
        found = listed_ids(client, reader_headers, verification=verification)
        assert found == _ids(events, *expected)

    @pytest.mark.parametrize("params", [{"status": "deleted"}, {"verification": "likely"}])
    def test_an_unknown_value_is_422(self, client: TestClient, params: dict[str, str]) -> None:
        problem = expect_problem(client.get("/v1/events", params=params), 422, "validation_failed")
        assert [e["loc"][:2] for e in problem["errors"]] == [["query", *params]]


class TestUpdatedSinceFilter:
    def test_keeps_events_changed_at_or_after_the_instant(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        old = make_event(client, editor_headers)
        changed = make_event(client, editor_headers)
        response = client.patch(
            f"/v1/events/{changed['id']}",
            json={"tags": ["revised"]},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        instant = dt.datetime.fromisoformat(response.json()["updated_at"])
        in_riyadh = instant.astimezone(dt.timezone(dt.timedelta(hours=3))).isoformat()

        assert listed_ids(client, updated_since=old["updated_at"]) == {old["id"], changed["id"]}
        assert listed_ids(client, updated_since=instant.isoformat()) == {changed["id"]}
        assert listed_ids(client, updated_since=in_riyadh) == {changed["id"]}
        later = (instant + dt.timedelta(microseconds=1)).isoformat()
        assert listed_ids(client, updated_since=later) == set()

    @pytest.mark.parametrize(
        "instant", ["last week", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
    )
    def test_an_unreadable_or_unstorable_instant_is_422(
        self, client: TestClient, instant: str
    ) -> None:
        response = client.get("/v1/events", params={"updated_since": instant})
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["query", "updated_since"]]
