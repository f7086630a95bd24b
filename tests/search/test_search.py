"""Text search: one golden corpus, the same hits on SQLite and on PostgreSQL, typos and
unfinished words included."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from app.core.db import Database
from app.demo.load import demo_id, load
from app.search import backends, vocabulary
from app.search.indexing import is_missing, reindex_all
from app.search.vocabulary import variants
from tests.events import paged_ids
from tests.factories import event_body, make_actor, make_event, make_participant

Headers = dict[str, str]

CORPUS = {
    "talks": {"ar": "المفاوضات في موسكو", "en": "Negotiations in Moscow"},
    "talks_voweled": {"ar": "وَالمُفَاوَضَاتُ مستمرة"},
    "truce_tarhuna": {"ar": "هدنة في ترهونة"},
    "truce_ha": {"ar": "هدنه جديدة"},
    "ceasefire_hamza": {"ar": "إعلان وقف إطلاق النار"},
    "ceasefire_plain": {"ar": "اعلان وقف اطلاق النار"},
    "hospital": {"ar": "قصف المستشفى في ١٣ يناير"},
    "round": {"en": "A negotiation round", "ar": "جولة"},
    "haftar": {"ar": "حَفْتَر يغادر", "en": "Haftar leaves"},
    "breaches": {"en": "Ceasefire breaches near Tarhuna", "ar": "خروقات"},
    "clash": {"en": "Clashes in Sirte"},
    "class": {"en": "A class of recruits"},
}
GOLDEN = [
    ("مفاوضات", {"talks", "talks_voweled"}),
    ("المفاوضات", {"talks", "talks_voweled"}),
    ("والمفاوضات", {"talks", "talks_voweled"}),
    ("negotiations", {"talks", "round"}),
    ("NEGOTIATING", {"talks", "round"}),
    ("هدنة", {"truce_tarhuna", "truce_ha"}),
    ("هدنه", {"truce_tarhuna", "truce_ha"}),
    ("بالهدنة", {"truce_tarhuna", "truce_ha"}),
    ("إطلاق", {"ceasefire_hamza", "ceasefire_plain"}),
    ("اطلاق", {"ceasefire_hamza", "ceasefire_plain"}),
    ('"وقف إطلاق النار"', {"ceasefire_hamza", "ceasefire_plain"}),
    ('"النار وقف"', set()),
    ("مستشفي", {"hospital"}),
    ("١٣", {"hospital"}),
    ("13", {"hospital"}),
    ("حفتر", {"haftar"}),
    ("Haftar", {"haftar"}),
    ("هدنة -ترهونة", {"truce_ha"}),
    ("ceasefires", {"breaches"}),
    ("ترهونة", {"truce_tarhuna"}),
    ("Tarhuna breaches", {"breaches"}),
    ('NEAR(ceasefire*) "breaches:^', {"breaches"}),
    ("'; DROP TABLE events; --", set()),
]
# A plain word that no record holds also finds the words one letter off it (4 letters or more)
# or containing it (3 or more); a word some record holds, a quoted one, an excluded one or a
# number is taken exactly as it is.
LOOSE = [
    ("cesefire", {"breaches"}),  # a letter dropped
    ("Hafter", {"haftar"}),  # a letter changed
    ("negociations", {"talks", "round"}),  # changed, under the English ending
    ("ceasef", {"breaches"}),  # unfinished
    ("Tarhun", {"breaches"}),
    ("negotation", {"talks", "round"}),  # its stem "negot" is inside "negoti"
    ("Mos", {"talks"}),
    ("مفاوضت", {"talks", "talks_voweled"}),  # a letter dropped
    ("هدنا", {"truce_tarhuna", "truce_ha"}),  # a letter changed
    ("بالهدنا", {"truce_tarhuna", "truce_ha"}),  # clitics go first
    ("ترهو", {"truce_tarhuna"}),  # unfinished
    ("مستشفا", {"hospital"}),
    ("Tarhuna cesefire", {"breaches"}),  # a word held and a word not, together
    ("clas", {"clash", "class"}),
    ("clash", {"clash"}),  # held: not "class"
    ('"cesefire"', set()),  # quoted: exactly
    ("هدنة -ترهون", {"truce_tarhuna", "truce_ha"}),  # excluded: exactly
    ("14", set()),  # a number: exactly
    ("Hiftor", set()),  # two letters off is another word
    ("Mo", set()),  # two letters are inside too many words
]


def _search(client: TestClient, path: str, q: str, sort: str | None = None) -> set[str]:
    params = {"q": q, "limit": 500, **({"sort": sort} if sort else {})}
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def corpus(client: TestClient, editor_headers: Headers) -> dict[str, str]:
    made = {}
    for name, title in CORPUS.items():
        body = event_body(title=title, original_language="ar" if "ar" in title else "en")
        made[name] = make_event(client, editor_headers, **body)["id"]
    return made


class TestGoldenCorpus:
    @pytest.mark.parametrize(("q", "expected"), GOLDEN, ids=[q for q, _ in GOLDEN])
    def test_hits(
        self, client: TestClient, corpus: dict[str, str], q: str, expected: set[str]
    ) -> None:
        assert _search(client, "/v1/events", q) == {corpus[name] for name in expected}

    def test_timelines_search_the_same_way(
        self, client: TestClient, corpus: dict[str, str]
    ) -> None:
        assert _search(client, "/v1/timeline", "هدنة") == {
            corpus["truce_tarhuna"],
            corpus["truce_ha"],
        }


class TestLooseWords:
    @pytest.mark.parametrize(("q", "expected"), LOOSE, ids=[q for q, _ in LOOSE])
    def test_hits(
        self, client: TestClient, corpus: dict[str, str], q: str, expected: set[str]
    ) -> None:
        assert _search(client, "/v1/events", q) == {corpus[name] for name in expected}

    def test_timelines_relevance_and_exports_find_the_same(
        self, client: TestClient, corpus: dict[str, str]
    ) -> None:
        truces = {corpus["truce_tarhuna"], corpus["truce_ha"]}
        assert _search(client, "/v1/timeline", "هدنا") == truces
        assert _search(client, "/v1/events", "هدنا", sort="relevance") == truces
        export = client.get("/v1/events/export", params={"format": "ndjson", "q": "هدنا"})
        assert export.status_code == 200, export.text
        assert {orjson.loads(line)["id"] for line in export.text.splitlines()} == truces

    def test_a_word_is_taken_at_its_word_while_a_record_holds_it(
        self, client: TestClient, editor_headers: Headers, corpus: dict[str, str]
    ) -> None:
        typo = make_event(
            client, editor_headers, title={"en": "Hafter arrives"}, original_language="en"
        )["id"]
        assert _search(client, "/v1/events", "Hafter") == {typo}
        fixed = client.patch(
            f"/v1/events/{typo}",
            json={"title": {"en": "Haftar arrives"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert fixed.status_code == 200, fixed.text
        assert _search(client, "/v1/events", "Hafter") == {typo, corpus["haftar"]}

    def test_a_word_no_longer_held_finds_nothing_by_its_parts(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        event = make_event(
            client, editor_headers, title={"en": "Shelling in Zawiya"}, original_language="en"
        )["id"]
        assert _search(client, "/v1/events", "Zawiy") == {event}
        deleted = client.delete(
            f"/v1/events/{event}", headers={**admin_headers, "If-Match": 'W/"1"'}
        )
        assert deleted.status_code == 204, deleted.text
        assert _search(client, "/v1/events", "Zawiy") == set()

    def test_a_word_another_record_still_holds_is_still_found_by_its_parts(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        kept, gone = (
            make_event(
                client,
                editor_headers,
                title={"en": f"Shelling in Zawiya {side}"},
                original_language="en",
            )["id"]
            for side in ("north", "south")
        )
        deleted = client.delete(
            f"/v1/events/{gone}", headers={**admin_headers, "If-Match": 'W/"1"'}
        )
        assert deleted.status_code == 204, deleted.text
        assert _search(client, "/v1/events", "Zawiy") == {kept}

    def test_the_timeline_walk_finds_the_same_page(
        self, client: TestClient, editor_headers: Headers, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for day in range(1, 5):
            make_event(
                client,
                editor_headers,
                when=f"2020-02-{day:02d}",
                title={"en": f"Ceasefire violation {day}"},
                original_language="en",
            )
        query = "/v1/events?q=ceasfire&sort=-date&limit=3"
        sorted_page = client.get(query).json()["items"]
        monkeypatch.setattr(backends, "COMMON_MATCHES", 1)
        walked_page = client.get(query).json()["items"]
        assert [e["id"] for e in walked_page] == [e["id"] for e in sorted_page]
        assert [e["when"] for e in walked_page] == ["2020-02-04", "2020-02-03", "2020-02-02"]

    def test_a_database_from_before_the_word_list_gets_it_by_a_reindex(
        self, client: TestClient, database: Database, corpus: dict[str, str]
    ) -> None:
        with database.session(write=True) as session:
            vocabulary.clear(session)  # as migration 0011 leaves an indexed database
            assert is_missing(session)
        assert _search(client, "/v1/events", "cesefire") == set()
        with database.session(write=True) as session:
            reindex_all(session)
            assert not is_missing(session)
        assert _search(client, "/v1/events", "cesefire") == {corpus["breaches"]}

    @pytest.mark.parametrize(
        ("term", "other"),
        [("hafter", "haftar"), ("cesefir", "ceasefir"), ("hfatar", "haftar"), ("هدنا", "هدنه")],
    )
    def test_one_letter_off(self, term: str, other: str) -> None:
        assert variants(term) & variants(other)

    @pytest.mark.parametrize(("term", "other"), [("hiftor", "haftar"), ("clash", "flush")])
    def test_more_is_not_one_letter_off(self, term: str, other: str) -> None:
        assert not variants(term) & variants(other)


class TestIndexFollowsChanges:
    def test_an_event_is_found_by_its_actors_names_even_after_a_rename(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)["id"]
        actor = make_actor(
            client, editor_headers, names={"ar": "اللواء التاسع", "en": "9th Brigade"}
        )
        make_participant(client, editor_headers, event_id=event, actor_id=actor["id"])
        assert _search(client, "/v1/events", "Brigade") == {event}
        renamed = client.patch(
            f"/v1/actors/{actor['id']}",
            json={"names": {"ar": "الكانيات", "en": "al-Kaniyat"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert renamed.status_code == 200, renamed.text
        assert _search(client, "/v1/events", "Kaniyat") == {event}
        assert _search(client, "/v1/events", "Brigade") == set()

    def test_an_edited_title_is_found_by_its_new_words_only(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)["id"]
        changed = client.patch(
            f"/v1/events/{event}",
            json={"title": {"ar": "اشتباكات في طرابلس"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert changed.status_code == 200, changed.text
        assert _search(client, "/v1/events", "طرابلس") == {event}
        assert _search(client, "/v1/events", "موسكو") == set()

    def test_a_refused_change_leaves_the_index_as_it_was(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)["id"]
        stale = client.patch(
            f"/v1/events/{event}",
            json={"title": {"ar": "اشتباكات في طرابلس"}},
            headers={**editor_headers, "If-Match": 'W/"7"'},
        )
        assert stale.status_code == 412
        assert _search(client, "/v1/events", "موسكو") == {event}
        assert _search(client, "/v1/events", "طرابلس") == set()


class TestBadQueries:
    @pytest.mark.parametrize("q", ["", "   ", "؟!...", "ًٌٍ", '"', "-موسكو", "x" * 501])
    def test_nothing_to_search_for_is_422(self, client: TestClient, q: str) -> None:
        response = client.get("/v1/events", params={"q": q})
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["code"] == "validation_failed"
        assert [e["loc"] for e in problem["errors"]] == [["query", "q"]]

    @pytest.mark.parametrize(
        "q",
        [
            *['"unbalanced', "a*", "NEAR", "x:y", "^start", "(a OR b)", "a AND"],
            *["ceasef*", "NEAR(cesefire", "Tarhun%", "tar_hun", "ترهو:*", '"ترهو', "'؛هدنا"],
            *["x" * 500, "ab" * 250, "ن" * 500],
        ],
        ids=lambda q: q[:20],
    )
    def test_operator_characters_are_plain_text(self, client: TestClient, q: str) -> None:
        for path in ("/v1/events", "/v1/actors", "/v1/locations", "/v1/sources"):
            assert client.get(path, params={"q": q}).status_code == 200


class TestDemo:
    @pytest.fixture(autouse=True)
    def demo(self, database: Database) -> None:
        with database.session(write=True) as session:
            load(session)

    @pytest.mark.parametrize(
        ("q", "ref"),
        [
            ("حفتر", "haftar-leaves-without-signing"),
            ("Haftar", "haftar-leaves-without-signing"),
            ("هدنة", "truce-begins"),
            ("ceasefire", "truce-begins"),
            ("ترهونة", "truce-breaches-9th-brigade"),
            ("cesefire", "truce-begins"),
            ("هدنا", "truce-begins"),
            ("ترهون", "truce-breaches-9th-brigade"),
        ],
    )
    def test_finds_the_seed_events(self, client: TestClient, q: str, ref: str) -> None:
        assert str(demo_id("event", ref)) in _search(client, "/v1/events", q)

    @pytest.mark.parametrize(
        ("path", "q", "ref"),
        [
            ("/v1/actors", "حفتر", ("actor", "haftar")),
            ("/v1/locations", "Tarhuna", ("location", "tarhuna")),
            ("/v1/sources", "حفتر", ("source", "trtarabi-2020-01-14")),
            ("/v1/actors", "Haftr", ("actor", "haftar")),
            ("/v1/actors", "الكانيا", ("actor", "kaniyat")),
            ("/v1/locations", "Tarhun", ("location", "tarhuna")),
            ("/v1/locations", "ترهون", ("location", "tarhuna")),
            ("/v1/sources", "حفت", ("source", "trtarabi-2020-01-14")),
        ],
    )
    def test_lists_of_other_records(
        self, client: TestClient, path: str, q: str, ref: tuple[str, str]
    ) -> None:
        assert str(demo_id(*ref)) in _search(client, path, q)

    @pytest.mark.parametrize(
        ("name", "ref"),
        [
            ("حفتر", "haftar"),
            ("Haftar", "haftar"),
            ("Hifter", "haftar"),
            ("Hafter", "haftar"),
            ("Haftat", "haftar"),
            ("الكانيات", "kaniyat"),
            ("al-Kaniyat", "kaniyat"),
            ("لافروف", "lavrov"),
        ],
    )
    def test_resolves_names_across_scripts(self, client: TestClient, name: str, ref: str) -> None:
        response = client.get("/v1/actors/resolve", params={"name": name})
        assert response.status_code == 200, response.text
        best: dict[str, Any] = response.json()["items"][0]
        assert best["actor"]["id"] == str(demo_id("actor", ref))
        assert best["score"] >= 0.8

    def test_an_unknown_name_resolves_to_nothing(self, client: TestClient) -> None:
        response = client.get("/v1/actors/resolve", params={"name": "Zelensky"})
        assert response.json()["items"] == []


class TestRelevance:
    def test_more_mentions_rank_first_and_pages_cover_every_hit_once(
        self, client: TestClient, editor_headers: Headers, corpus: dict[str, str]
    ) -> None:
        strong = make_event(
            client,
            editor_headers,
            title={"ar": "هدنة هدنة: الهدنة صامدة"},
            summary={"ar": "تقرير عن الهدنة"},
        )["id"]
        ids: list[str] = []
        cursor = None
        while True:
            params = {"q": "هدنة", "sort": "relevance", "limit": 1, "cursor": cursor}
            page = client.get("/v1/events", params={k: v for k, v in params.items() if v})
            assert page.status_code == 200, page.text
            ids += [item["id"] for item in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        assert ids[0] == strong
        assert sorted(ids) == sorted([strong, corpus["truce_tarhuna"], corpus["truce_ha"]])

    def test_relevance_needs_a_query(self, client: TestClient) -> None:
        response = client.get("/v1/events", params={"sort": "relevance"})
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["query", "sort"]]


class TestSuggest:
    @pytest.fixture(autouse=True)
    def demo(self, database: Database) -> None:
        with database.session(write=True) as session:
            load(session)

    def _suggest(self, client: TestClient, q: str) -> list[tuple[str, str]]:
        response = client.get("/v1/suggest", params={"q": q})
        assert response.status_code == 200, response.text
        return [(i["kind"], i["id"] or i["code"]) for i in response.json()["items"]]

    @pytest.mark.parametrize(
        ("typed", "kind", "ref"),
        [
            ("حف", "actor", "haftar"),
            ("Haf", "actor", "haftar"),
            ("Khalifa Haf", "actor", "haftar"),
            ("ترهو", "location", "tarhuna"),
            ("Tarh", "location", "tarhuna"),
            ("الكاني", "actor", "kaniyat"),
            ("موس", "location", "moscow"),
            ("Moscow ta", "process", "moscow-talks"),
        ],
    )
    def test_names_starting_with_what_is_typed(
        self, client: TestClient, typed: str, kind: str, ref: str
    ) -> None:
        assert (kind, str(demo_id(kind, ref))) in self._suggest(client, typed)

    @pytest.mark.parametrize("typed", ["cease", "ceasefire.b", "خرق"])
    def test_event_types(self, client: TestClient, typed: str) -> None:
        assert ("event_type", "ceasefire.breach") in self._suggest(client, typed)

    def test_punctuation_suggests_nothing(self, client: TestClient) -> None:
        assert self._suggest(client, "؟!") == []

    @pytest.mark.parametrize("q", ["", "x" * 101])
    def test_empty_or_long_input_is_422(self, client: TestClient, q: str) -> None:
        assert client.get("/v1/suggest", params={"q": q}).status_code == 422


class TestCommonWords:
    """A word in many events is served by walking the timeline (SQLite): same page, same order."""

    def test_the_walk_gives_the_same_newest_page(
        self, client: TestClient, editor_headers: Headers, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for day in range(1, 8):
            make_event(
                client,
                editor_headers,
                when=f"2020-02-{day:02d}",
                title={"en": f"Ceasefire violation {day}"},
                original_language="en",
            )
        query = "/v1/events?q=ceasefire&sort=-date&limit=3"
        sorted_page = client.get(query).json()["items"]
        monkeypatch.setattr(backends, "COMMON_MATCHES", 1)  # now every query is "common"
        walked_page = client.get(query).json()["items"]
        assert [e["id"] for e in walked_page] == [e["id"] for e in sorted_page]
        assert [e["when"] for e in walked_page] == ["2020-02-07", "2020-02-06", "2020-02-05"]

    def test_the_events_holding_a_word_come_in_timeline_order_as_their_dates_change(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        # On PostgreSQL a text query alone walks the search documents' copies of the events'
        # sort keys: they must follow an event's date when it changes.
        days = ["2020-02-04", "2020-02-01", "2020-02", "2020-02-03", "2020-02-02/2020-02-05"]

        def event(when: str, title: str, **more: Any) -> str:
            body = {"when": when, "title": {"en": title}, "original_language": "en", **more}
            return str(make_event(client, editor_headers, **body)["id"])

        convoys = [event(day, f"Convoy {day}") for day in days]
        event("2020-02-06", "Shelling")
        event("2020-02-07", "Convoy", status="draft")
        moved = convoys[1]
        etag = client.get(f"/v1/events/{moved}").headers["ETag"]
        response = client.patch(
            f"/v1/events/{moved}",
            json={"when": "2020-02-09"},
            headers={**editor_headers, "If-Match": etag},
        )
        assert response.status_code == 200, response.text

        in_order = [convoys[i] for i in (2, 4, 3, 0, 1)]
        for sort, expected in (("date", in_order), ("-date", in_order[::-1])):
            assert paged_ids(client, "/v1/events", q="convoy", sort=sort) == expected
        assert paged_ids(client, "/v1/timeline", q="convoy") == in_order
