"""GET /v1/timeline: order under uncertain dates, windows, pages, lanes, eras, caching, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.auth import Principal, Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.metrics import REGISTRY
from app.core.migrations import upgrade
from app.events import service as events
from app.events.schemas import EventCreate
from app.main import create_app
from app.search import backends
from tests.conftest import fresh_database_url
from tests.events import PROBLEM, expect_problem
from tests.factories import (
    event_body,
    make_actor,
    make_citation,
    make_event,
    make_event_process,
    make_location,
    make_participant,
    make_process,
)
from tests.timelines import Headers, all_pages, get_timeline, item_ids

# Created in this (shuffled) order, so ids alone would not give the timeline order.
UNCERTAIN = {
    "day14": "2020-01-14",
    "approx13": "2020-01-13~",
    "span": "2020-01-12/2020-01-14",
    "day13": "2020-01-13",
    "open_end": "2020-01-12/..",
    "month": "2020-01",
    "open_start": "../2020-01-05",
}


def _events(client: TestClient, headers: Headers, whens: dict[str, str]) -> dict[str, str]:
    return {name: make_event(client, headers, when=when)["id"] for name, when in whens.items()}


class TestOrder:
    def test_earliest_possible_day_first_then_latest_then_id(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        ids = _events(client, editor_headers, UNCERTAIN)
        same_day = sorted([ids["day13"], ids["approx13"]])

        expected = [ids["open_start"], ids["month"], ids["span"], ids["open_end"], *same_day]
        assert item_ids(get_timeline(client)) == [*expected, ids["day14"]]

    @pytest.mark.parametrize(
        ("name", "lower", "upper", "precision"),
        [
            ("month", "2020-01-01", "2020-01-31", "month"),
            ("approx13", "2020-01-13", "2020-01-13", "approximate"),
            ("open_end", "2020-01-12", None, "open"),
            ("open_start", None, "2020-01-05", "open"),
            ("span", "2020-01-12", "2020-01-14", "days"),
            ("day13", "2020-01-13", "2020-01-13", "day"),
        ],
    )
    def test_items_carry_when_bounds_and_precision(
        self,
        client: TestClient,
        editor_headers: Headers,
        name: str,
        lower: str | None,
        upper: str | None,
        precision: str,
    ) -> None:
        event = make_event(client, editor_headers, when=UNCERTAIN[name])
        (item,) = get_timeline(client)["items"]
        assert item["id"] == event["id"]
        assert (item["when"], item["date_lower"], item["date_upper"], item["date_precision"]) == (
            UNCERTAIN[name],
            lower,
            upper,
            precision,
        )


class TestItems:
    def test_item_shows_type_title_place_actors_and_citations(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        tarhuna = make_location(client, editor_headers)
        event = make_event(
            client,
            editor_headers,
            type="ceasefire.breach",
            title={"ar": "خرق الهدنة", "en": "Truce breach"},
            location_id=tarhuna["id"],
            location_precision=2,
        )
        haftar = make_actor(client, editor_headers)
        kaniyat = make_actor(
            client, editor_headers, names={"en": "9th Brigade"}, kind="armed_group"
        )
        make_participant(
            client, editor_headers, event_id=event["id"], actor_id=kaniyat["id"], role="accused"
        )
        make_participant(
            client, editor_headers, event_id=event["id"], actor_id=haftar["id"], role="target"
        )
        for _ in range(2):
            make_citation(client, editor_headers, event_id=event["id"])

        (item,) = get_timeline(client)["items"]
        assert (item["type"], item["title"]) == ("ceasefire.breach", event["title"])
        assert item["location"] == {
            "id": tarhuna["id"],
            "names": {"ar": "ترهونة", "en": "Tarhuna"},
            "country": "LBY",
            "latitude": 32.435,
            "longitude": 13.634,
            "precision": 2,
        }
        assert [(a["actor_id"], a["names"], a["role"]) for a in item["actors"]] == [
            (kaniyat["id"], {"en": "9th Brigade"}, "accused"),
            (haftar["id"], haftar["names"], "target"),
        ]
        assert item["citation_count"] == 2

    def test_item_without_place_actors_or_citations(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        (item,) = get_timeline(client)["items"]
        assert (item["location"], item["actors"], item["citation_count"]) == (None, [], 0)


class TestWindow:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        whens = {
            "day13": "2020-01-13",
            "span": "2020-01-12/2020-01-14",
            "month": "2020-01",
            "open_end": "2020-01-12/..",
            "open_start": "../2020-01-05",
            "feb": "2020-02-03",
        }
        return _events(client, editor_headers, whens)

    @pytest.mark.parametrize(
        ("window", "overlaps", "within"),
        [
            (
                {"from": "2020-01-13", "to": "2020-01-13"},
                {"day13", "span", "month", "open_end"},
                {"day13"},
            ),
            (
                {"from": "2020-01-01", "to": "2020-01-31"},
                {"day13", "span", "month", "open_end", "open_start"},
                {"day13", "span", "month"},
            ),
            ({"from": "2020-02-01"}, {"open_end", "feb"}, {"feb"}),
            ({"to": "2020-01-10"}, {"month", "open_start"}, {"open_start"}),
            ({"from": "2020-03-01", "to": "2020-03-31"}, {"open_end"}, set()),
        ],
    )
    def test_overlaps_meets_the_window_within_is_certainly_inside(
        self,
        client: TestClient,
        events: dict[str, str],
        window: dict[str, str],
        overlaps: set[str],
        within: set[str],
    ) -> None:
        for mode, expected in (("overlaps", overlaps), ("within", within)):
            found = set(item_ids(get_timeline(client, **window, window=mode)))
            assert found == {events[name] for name in expected}, mode

    def test_overlaps_is_the_default(self, client: TestClient, events: dict[str, str]) -> None:
        window = {"from": "2020-01-13", "to": "2020-01-13"}
        assert get_timeline(client, **window) == get_timeline(client, **window, window="overlaps")


class TestPagination:
    def test_pages_put_together_are_the_whole_timeline(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        _events(client, editor_headers, UNCERTAIN)
        whole = item_ids(get_timeline(client))
        assert all_pages(client, limit=2) == whole
        assert len(whole) == len(UNCERTAIN)

    def test_a_common_word_walks_the_timeline_to_the_same_pages_and_counts(
        self, client: TestClient, editor_headers: Headers, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name, when in UNCERTAIN.items():
            title = {"ar": f"خرق الهدنة {name}", "en": f"Truce breach {name}"}
            make_event(client, editor_headers, when=when, title=title)
        make_event(client, editor_headers, when="2020-01-13")  # the word is not in this one
        sorted_pages = all_pages(client, limit=2, q="الهدنة", bucket="day")
        counts = get_timeline(client, q="الهدنة", bucket="day")["buckets"]
        monkeypatch.setattr(backends, "COMMON_MATCHES", 1)  # now every word is "common"
        assert all_pages(client, limit=2, q="الهدنة", bucket="day") == sorted_pages
        assert get_timeline(client, q="الهدنة", bucket="day")["buckets"] == counts
        assert len(sorted_pages) == len(UNCERTAIN)

    def test_inserts_between_pages_cause_no_gap_or_duplicate(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        days = ["2020-01-01", "2020-01-03", "2020-01-05", "2020-01-07", "2020-01-09", "2020-01-11"]
        old = {day: make_event(client, editor_headers, when=day)["id"] for day in days}
        first = get_timeline(client, limit=2)
        assert item_ids(first) == [old["2020-01-01"], old["2020-01-03"]]

        new = {
            day: make_event(client, editor_headers, when=day)["id"]
            for day in ("2020-01-02", "2020-01-04", "2020-01-20")
        }
        seen = item_ids(first)
        cursor = first["next_cursor"]
        while cursor is not None:
            page = get_timeline(client, limit=2, cursor=cursor)
            seen += item_ids(page)
            cursor = page["next_cursor"]
            if len(seen) == 4:  # behind the cursor now, and ahead of it
                new["2019-12-31"] = make_event(client, editor_headers, when="2019-12-31")["id"]
                new["2020-01-10"] = make_event(client, editor_headers, when="2020-01-10")["id"]

        # Events added behind the cursor are not shown; those ahead of it appear in place.
        everything = {**old, **new}
        expected = ["01", "03", "04", "05", "07", "09", "10", "11", "20"]
        assert seen == [everything[f"2020-01-{day}"] for day in expected]

    def test_a_cursor_from_another_query_is_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        for _ in range(3):
            make_event(client, editor_headers)
        cursor = get_timeline(client, limit=1, type="negotiation.talks")["next_cursor"]
        assert cursor is not None
        response = client.get(
            "/v1/timeline", params={"limit": 1, "type": "ceasefire.breach", "cursor": cursor}
        )
        expect_problem(response, 400, "invalid_cursor")

    def test_a_tampered_cursor_is_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        for _ in range(2):
            make_event(client, editor_headers)
        cursor = get_timeline(client, limit=1)["next_cursor"]
        response = client.get("/v1/timeline", params={"limit": 1, "cursor": "x" + cursor})
        expect_problem(response, 400, "invalid_cursor")


class TestLanes:
    def test_by_actor_an_event_sits_in_each_of_its_actors_lanes(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        talks, alone = (make_event(client, editor_headers)["id"] for _ in range(2))
        haftar = make_actor(client, editor_headers)
        sarraj = make_actor(client, editor_headers, names={"en": "Fayez al-Sarraj"})
        for actor in (haftar, sarraj):
            make_participant(client, editor_headers, event_id=talks, actor_id=actor["id"])

        timeline = get_timeline(client, group_by="actor")
        lanes = {item["id"]: item["lanes"] for item in timeline["items"]}
        assert lanes == {talks: [haftar["id"], sarraj["id"]], alone: ["none"]}
        labels = {lane["key"]: lane["label"] for lane in timeline["lanes"]}
        assert labels.keys() == {haftar["id"], sarraj["id"], "none"}
        assert labels[haftar["id"]] == haftar["names"]
        assert labels[sarraj["id"]] == {"en": "Fayez al-Sarraj"}

    def test_by_type(self, client: TestClient, editor_headers: Headers) -> None:
        talks = make_event(client, editor_headers)["id"]
        breach = make_event(client, editor_headers, type="ceasefire.breach")["id"]
        timeline = get_timeline(client, group_by="type")
        lanes = {item["id"]: item["lanes"] for item in timeline["items"]}
        assert lanes == {talks: ["negotiation.talks"], breach: ["ceasefire.breach"]}
        labels = {lane["key"]: lane["label"] for lane in timeline["lanes"]}
        assert labels.keys() == {"negotiation.talks", "ceasefire.breach"}
        assert all(label["en"] for label in labels.values())

    def test_by_location(self, client: TestClient, editor_headers: Headers) -> None:
        tarhuna = make_location(client, editor_headers)
        there = make_event(client, editor_headers, location_id=tarhuna["id"])["id"]
        nowhere = make_event(client, editor_headers)["id"]
        timeline = get_timeline(client, group_by="location")
        lanes = {item["id"]: item["lanes"] for item in timeline["items"]}
        assert lanes == {there: [tarhuna["id"]], nowhere: ["none"]}
        labels = {lane["key"]: lane["label"] for lane in timeline["lanes"]}
        assert labels[tarhuna["id"]] == tarhuna["names"]

    def test_by_process(self, client: TestClient, editor_headers: Headers) -> None:
        truce = make_process(client, editor_headers)
        breach, other = (make_event(client, editor_headers)["id"] for _ in range(2))
        make_event_process(
            client, editor_headers, event_id=breach, process_id=truce["id"], relation="violates"
        )
        timeline = get_timeline(client, group_by="process")
        lanes = {item["id"]: item["lanes"] for item in timeline["items"]}
        assert lanes == {breach: [truce["id"]], other: ["none"]}
        labels = {lane["key"]: lane["label"] for lane in timeline["lanes"]}
        assert labels[truce["id"]] == truce["names"]

    def test_no_lanes_unless_asked(self, client: TestClient, editor_headers: Headers) -> None:
        make_event(client, editor_headers)
        timeline = get_timeline(client)
        assert timeline["lanes"] is None
        assert timeline["items"][0]["lanes"] == []


class TestEras:
    def test_a_truce_in_view_shows_in_effect_then_ended(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        truce = make_process(client, editor_headers, ended="2020-02-01", state="ended")
        make_process(client, editor_headers, names={"en": "Unrelated truce"})
        breach = make_event(client, editor_headers, type="ceasefire.breach")["id"]
        make_event_process(
            client,
            editor_headers,
            event_id=breach,
            process_id=truce["id"],
            relation="alleged_violation_of",
        )

        eras = get_timeline(client)["eras"]
        assert [(e["process_id"], e["phase"], e["start"], e["end"]) for e in eras] == [
            (truce["id"], "in_effect", "2020-01-12", "2020-02-01"),
            (truce["id"], "ended", "2020-02-01", "2020-02-01"),
        ]
        assert eras[0]["kind"] == "ceasefire"
        assert eras[0]["names"] == truce["names"]

    def test_a_negotiation_is_active_not_in_effect(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        talks = make_process(
            client, editor_headers, kind="negotiation", effective_from="2020-01-13", state=None
        )
        event = make_event(client, editor_headers)["id"]
        make_event_process(client, editor_headers, event_id=event, process_id=talks["id"])

        eras = get_timeline(client)["eras"]
        assert [(e["phase"], e["start"], e["end"]) for e in eras] == [
            ("active", "2020-01-13", None)
        ]

    def test_no_eras_without_processes(self, client: TestClient, editor_headers: Headers) -> None:
        make_process(client, editor_headers)
        make_event(client, editor_headers)
        assert get_timeline(client)["eras"] == []


class TestCaching:
    def test_unchanged_timeline_answers_304(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        first = client.get("/v1/timeline")
        assert first.status_code == 200
        etag = first.headers["ETag"]

        again = client.get("/v1/timeline", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["ETag"] == etag

    def test_a_change_gives_a_new_etag(self, client: TestClient, editor_headers: Headers) -> None:
        event = make_event(client, editor_headers)
        etag = client.get("/v1/timeline").headers["ETag"]
        changed = client.patch(
            f"/v1/events/{event['id']}",
            json={"title": {"ar": "محادثات موسكو", "en": "Moscow talks (indirect)"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert changed.status_code == 200, changed.text

        response = client.get("/v1/timeline", headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert response.headers["ETag"] != etag
        assert response.json()["items"][0]["title"]["en"] == "Moscow talks (indirect)"

    def test_another_query_has_another_etag(self, client: TestClient) -> None:
        etag = client.get("/v1/timeline").headers["ETag"]
        other = client.get(
            "/v1/timeline", params={"bucket": "day"}, headers={"If-None-Match": etag}
        )
        assert other.status_code == 200
        assert other.headers["ETag"] != etag

    def test_anonymous_answers_are_public_keyed_ones_private(
        self, client: TestClient, reader_headers: Headers
    ) -> None:
        anonymous = client.get("/v1/timeline")
        keyed = client.get("/v1/timeline", headers=reader_headers)
        assert "public" in anonymous.headers["Cache-Control"]
        assert "private" in keyed.headers["Cache-Control"]
        assert "public" not in keyed.headers["Cache-Control"]
        for response in (anonymous, keyed):
            assert "Authorization" in response.headers["Vary"]


class TestKeptAnswers:
    """The same query is answered from the answer kept under its ETag until the data changes."""

    def test_a_change_shows_in_the_next_answer_to_the_same_query(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        assert client.get("/v1/timeline").json() == client.get("/v1/timeline").json()
        changed = client.patch(
            f"/v1/events/{event['id']}",
            json={"title": {"ar": "محادثات موسكو", "en": "Moscow talks (indirect)"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert changed.status_code == 200, changed.text
        answer = client.get("/v1/timeline").json()
        assert answer["items"][0]["title"]["en"] == "Moscow talks (indirect)"

    def test_a_draft_shown_to_an_editor_is_not_shown_to_the_public(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        draft = make_event(client, editor_headers, status="draft")["id"]
        assert draft in item_ids(get_timeline(client, headers=editor_headers))
        assert draft not in item_ids(get_timeline(client))

    def test_a_kept_answer_is_given_as_the_route_gave_it(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        make_participant(
            client,
            editor_headers,
            event_id=make_event(client, editor_headers)["id"],
            actor_id=actor["id"],
        )
        for path in ("/v1/timeline?limit=5&bucket=day", f"/v1/actors/{actor['id']}/timeline"):
            built, kept = client.get(path), client.get(path)
            assert kept.status_code == built.status_code == 200
            assert kept.content == built.content
            assert _lasting(kept.headers) == _lasting(built.headers)
            again = client.get(path, headers={"If-None-Match": built.headers["ETag"]})
            assert again.status_code == 304
            assert _lasting(again.headers)["cache-control"] == built.headers["Cache-Control"]

    def test_a_bad_key_is_refused_where_an_answer_is_kept(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        for _ in range(2):
            assert client.get("/v1/timeline").status_code == 200
        bad_key = {"Authorization": "Bearer wq_not-a-key"}
        expect_problem(client.get("/v1/timeline", headers=bad_key), 401, "unauthorized")

    def test_a_read_as_of_an_instant_names_it_however_often_asked(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        instant = dt.datetime.now(dt.UTC).isoformat()
        for _ in range(2):
            answer = client.get("/v1/timeline", params={"as_of": instant})
            assert answer.status_code == 200
            assert "Waqai-As-Of" in answer.headers

    def test_kept_answers_are_counted_under_their_route(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        labels = {"method": "GET", "route": "/v1/actors/{actor_id}/timeline", "status": "200"}

        def answered() -> float:
            return REGISTRY.get_sample_value("waqai_http_requests_total", labels) or 0.0

        before = answered()
        for _ in range(3):
            assert client.get(f"/v1/actors/{actor['id']}/timeline").status_code == 200
        assert answered() - before == 3

    def test_a_change_committed_after_a_later_one_shows(self, tmp_path: Path) -> None:
        # On PostgreSQL a change given an earlier revision id can commit after one given a
        # later id: the newest id is then the same before and after, but the data is not.
        url = fresh_database_url(tmp_path, "late_commit")
        if not url.startswith("postgresql"):
            pytest.skip("SQLite commits one writer at a time: ids come in commit order")
        settings = Settings(database_url=url, secret_key="x" * 20, log_level="WARNING")
        database = Database(create_db_engine(settings))
        upgrade(database.engine)
        editor = Principal(role=Role.editor, name="test")

        def write(session: Session) -> str:
            return str(events.create(session, data=EventCreate(**event_body()), by=editor).id)

        try:
            with TestClient(create_app(settings, database)) as client:
                with database.session(write=True) as early:
                    late = write(early)
                    with database.session(write=True) as session:
                        write(session)  # a later revision id, committed first
                    assert late not in item_ids(get_timeline(client))
                assert late in item_ids(get_timeline(client))
        finally:
            database.dispose()


def _lasting(headers: Mapping[str, str]) -> dict[str, str]:
    """A response's headers but those that differ between any two answers."""
    return {k.lower(): v for k, v in headers.items() if k.lower() not in {"date", "x-request-id"}}


class TestKeptAnswersOnAPrivateServer:
    @pytest.fixture
    def app_settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"public_read": False})

    def test_an_answer_kept_for_a_key_is_not_given_to_anonymous_callers(
        self, client: TestClient, editor_headers: Headers, reader_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        for _ in range(2):
            assert client.get("/v1/timeline", headers=reader_headers).status_code == 200
        expect_problem(client.get("/v1/timeline"), 401, "unauthorized")


class TestBadInput:
    @pytest.mark.parametrize(
        "params",
        [
            {"from": "2020-01-14", "to": "2020-01-13"},
            {"from": "2020-13-01"},
            {"to": "January 2020"},
            {"type": "ceasefire.nope"},
            {"bucket": "hour"},
            {"group_by": "foo"},
            {"window": "inside"},
            {"limit": 0},
        ],
    )
    def test_is_a_422_problem(self, client: TestClient, params: dict[str, str]) -> None:
        response = client.get("/v1/timeline", params=params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["status"] == 422
        assert problem["errors"]
