"""The ceasefire tracker and the stance ledger: on the seed article's truce, and on made cases."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.db import Database
from app.demo.load import demo_id, load
from tests.factories import (
    make_actor,
    make_event,
    make_event_process,
    make_location,
    make_participant,
    make_process,
)

Headers = dict[str, str]
TRUCE = demo_id("process", "truce-2020-01-12")
MOSCOW_TALKS = demo_id("process", "moscow-talks")


def _get(client: TestClient, path: str, status: int = 200) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def tracker(client: TestClient, process_id: object) -> dict[str, Any]:
    return _get(client, f"/v1/processes/{process_id}/ceasefire")


def ledger(client: TestClient, process_id: object) -> dict[str, Any]:
    return _get(client, f"/v1/processes/{process_id}/stances")


def _event(ref: str) -> str:
    return str(demo_id("event", ref))


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def _party(ledger_body: dict[str, Any], actor_ref: str) -> dict[str, Any]:
    actor_id = str(demo_id("actor", actor_ref))
    parties = [p for p in ledger_body["parties"] if p["actor_id"] == actor_id and p["stances"]]
    assert len(parties) == 1, ledger_body["parties"]
    return parties[0]


class TestDemoTruce:
    """The article's truce: from Sunday 12 January 2020, breaches blamed on the 9th Brigade."""

    @pytest.fixture(autouse=True)
    def demo(self, database: Database) -> None:
        with database.session(write=True) as session:
            load(session)

    def test_lifecycle_from_sunday_12_january(self, client: TestClient) -> None:
        body = tracker(client, TRUCE)
        assert (body["state"], body["in_effect_from"], body["in_effect_until"]) == (
            "in_effect",
            "2020-01-12",
            None,
        )
        steps = {step["phase"]: step for step in body["lifecycle"]}
        assert list(steps) == ["declared", "in_effect", "breached"]
        assert steps["declared"]["date_lower"] == "2020-01-12"
        assert _ids(steps["declared"]["events"]) == [_event("truce-begins")]
        assert steps["in_effect"]["date_lower"] == "2020-01-12"
        assert _ids(steps["breached"]["events"]) == [_event("truce-breaches-9th-brigade")]

    def test_alleged_breaches_by_the_9th_brigade_at_tarhuna(self, client: TestClient) -> None:
        breaches = tracker(client, TRUCE)["breaches"]
        assert breaches["total"] == 1
        assert _ids(breaches["items"]) == [_event("truce-breaches-9th-brigade")]
        assert breaches["by_relation"] == {"alleged_violation_of": 1}
        assert [(t["key"], t["label"]["en"], t["count"]) for t in breaches["by_accused"]] == [
            (str(demo_id("actor", "kaniyat")), "9th Brigade (al-Kaniyat)", 1)
        ]
        assert [(t["key"], t["count"]) for t in breaches["by_location"]] == [
            (str(demo_id("location", "tarhuna")), 1)
        ]
        assert breaches["by_verification"] == {"unverified": 1}
        # "Since Sunday" until the report: an interval, so it is never forced into one day.
        assert breaches["per_day"]["buckets"] == []
        assert breaches["per_day"]["spanning"]["total"] == 1

    def test_the_talks_of_the_13th_sit_beside_the_truce(self, client: TestClient) -> None:
        negotiations = tracker(client, TRUCE)["negotiations"]
        assert [(n["type"], n["when"]) for n in negotiations] == [
            ("agreement.signed", "2020-01-13"),
            ("negotiation.talks", "2020-01-13"),
            ("agreement.refused", "2020-01-14"),
        ]
        assert _event("moscow-talks") in _ids(negotiations)

    def test_nothing_left_unlinked_in_the_demo(self, client: TestClient) -> None:
        assert tracker(client, TRUCE)["candidates"] == []

    def test_stance_ledger_of_the_moscow_talks(self, client: TestClient) -> None:
        body = ledger(client, MOSCOW_TALKS)
        stances = {
            ref: [(s["stance"], s["when"]) for s in _party(body, ref)["stances"]]
            for ref in ("gna", "haftar")
        }
        assert stances == {
            "gna": [("signed", "2020-01-13")],
            "haftar": [("requested_time", "2020-01-13"), ("left_without_signing", "2020-01-14")],
        }
        departure = _party(body, "haftar")["stances"][1]
        assert departure["event"]["id"] == _event("haftar-leaves-without-signing")
        # Every stance says who reported it; the departure was announced by the Russian MFA.
        assert all(
            s["citations"] for ref in ("gna", "haftar") for s in _party(body, ref)["stances"]
        )
        claimants = {c["claimant"]["en"] for c in departure["citations"] if c["claimant"]}
        assert "Ministry of Foreign Affairs of the Russian Federation" in claimants

    def test_the_tracker_is_cached_until_data_changes(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        path = f"/v1/processes/{TRUCE}/ceasefire"
        etag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        make_event(client, editor_headers, type="violence.shelling", when="2020-01-15")
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 200


class TestTracker:
    @pytest.fixture
    def truce(self, client: TestClient, editor_headers: Headers) -> dict[str, Any]:
        return make_process(client, editor_headers)

    @pytest.fixture
    def libya(self, client: TestClient, editor_headers: Headers) -> str:
        return str(make_location(client, editor_headers, country="LBY")["id"])

    def _shelling(
        self, client: TestClient, headers: Headers, location_id: str, when: str = "2020-01-15"
    ) -> str:
        made = make_event(
            client, headers, type="violence.shelling", when=when, location_id=location_id
        )
        return str(made["id"])

    def test_unlinked_violence_in_scope_and_period_is_a_candidate(
        self, client: TestClient, editor_headers: Headers, truce: dict[str, Any], libya: str
    ) -> None:
        inside = self._shelling(client, editor_headers, libya)
        before = self._shelling(client, editor_headers, libya, when="2020-01-10")
        abroad = make_location(client, editor_headers, country="SYR")["id"]
        elsewhere = self._shelling(client, editor_headers, abroad)
        talks = make_event(client, editor_headers, location_id=libya, when="2020-01-15")["id"]

        candidates = _ids(tracker(client, truce["id"])["candidates"])

        assert candidates == [inside]
        assert not {before, elsewhere, talks} & set(candidates)

    def test_linking_a_candidate_makes_it_a_breach(
        self, client: TestClient, editor_headers: Headers, truce: dict[str, Any], libya: str
    ) -> None:
        shelling = self._shelling(client, editor_headers, libya)
        make_event_process(
            client,
            editor_headers,
            event_id=shelling,
            process_id=truce["id"],
            relation="violates",
        )
        body = tracker(client, truce["id"])
        assert body["candidates"] == []
        assert _ids(body["breaches"]["items"]) == [shelling]
        assert body["breaches"]["by_relation"] == {"violates": 1}
        assert body["breaches"]["per_day"]["buckets"][0]["start"] == "2020-01-15"

    def test_per_day_counts_and_accused(
        self, client: TestClient, editor_headers: Headers, truce: dict[str, Any], libya: str
    ) -> None:
        brigade = make_actor(client, editor_headers, names={"en": "9th Brigade"})["id"]
        days = ["2020-01-13", "2020-01-13", "2020-01-15", "2020-01-13/2020-01-14"]
        for when in days:
            breach = make_event(
                client, editor_headers, type="ceasefire.breach", when=when, location_id=libya
            )["id"]
            make_event_process(
                client,
                editor_headers,
                event_id=breach,
                process_id=truce["id"],
                relation="alleged_violation_of",
            )
            make_participant(
                client, editor_headers, event_id=breach, actor_id=brigade, role="accused"
            )
        breaches = tracker(client, truce["id"])["breaches"]
        per_day = breaches["per_day"]
        assert [(b["start"], b["total"]) for b in per_day["buckets"]] == [
            ("2020-01-13", 2),
            ("2020-01-15", 1),
        ]
        assert per_day["spanning"]["total"] == 1
        assert breaches["total"] == per_day["total"] == 4
        assert [(t["key"], t["count"]) for t in breaches["by_accused"]] == [(brigade, 4)]
        assert [(t["key"], t["count"]) for t in breaches["by_location"]] == [(libya, 4)]

    def test_collapse_and_end_close_the_period(
        self, client: TestClient, editor_headers: Headers, libya: str
    ) -> None:
        truce = make_process(client, editor_headers, state="collapsed", ended="2020-01-20")
        late = self._shelling(client, editor_headers, libya, when="2020-02-01")
        during = self._shelling(client, editor_headers, libya, when="2020-01-18")
        body = tracker(client, truce["id"])
        assert body["in_effect_until"] == "2020-01-20"
        assert [s["phase"] for s in body["lifecycle"]] == ["in_effect", "ended", "collapsed"]
        assert _ids(body["candidates"]) == [during]
        assert late not in _ids(body["candidates"])

    def test_drafts_stay_out_for_anonymous_callers(
        self,
        client: TestClient,
        editor_headers: Headers,
        truce: dict[str, Any],
        libya: str,
    ) -> None:
        draft = make_event(
            client,
            editor_headers,
            type="violence.shelling",
            when="2020-01-15",
            location_id=libya,
            status="draft",
        )["id"]
        assert tracker(client, truce["id"])["candidates"] == []
        seen = client.get(f"/v1/processes/{truce['id']}/ceasefire", headers=editor_headers)
        assert _ids(seen.json()["candidates"]) == [draft]

    def test_a_negotiation_has_no_tracker(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        talks = make_process(
            client, editor_headers, kind="negotiation", state=None, names={"en": "talks"}
        )
        problem = _get(client, f"/v1/processes/{talks['id']}/ceasefire", 422)
        assert problem["code"] == "not_a_ceasefire"
        assert "negotiation" in problem["detail"]

    @pytest.mark.parametrize("view", ["ceasefire", "stances"])
    def test_unknown_process_is_404(self, client: TestClient, view: str) -> None:
        problem = _get(client, f"/v1/processes/{demo_id('process', 'none')}/{view}", 404)
        assert problem["code"] == "process_not_found"


class TestLedger:
    def test_stances_over_time_with_their_events(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        talks = make_process(client, editor_headers, kind="negotiation", state=None)
        party = make_actor(client, editor_headers, names={"en": "GNA"})["id"]
        for when, stance in (("2020-01-14", "signed"), ("2020-01-13", "requested_time")):
            event = make_event(client, editor_headers, when=when)["id"]
            make_event_process(client, editor_headers, event_id=event, process_id=talks["id"])
            make_participant(client, editor_headers, event_id=event, actor_id=party, stance=stance)
        parties = ledger(client, talks["id"])["parties"]
        assert [(p["actor_id"], [s["stance"] for s in p["stances"]]) for p in parties] == [
            (party, ["requested_time", "signed"])
        ]
