"""GET /v1/events/export and /v1/timeline?format=: every format, over HTTP, on the demo data."""

from __future__ import annotations

import csv
import io

import feedparser
import geojson
import icalendar
import orjson
import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.db import Database
from app.demo.load import demo_id, load
from app.formats import export, registry
from app.formats.registry import EXPORTS
from app.main import create_app
from tests.factories import make_event

BREACH = str(demo_id("event", "truce-breaches-9th-brigade"))
EXPORT_NDJSON = "/v1/events/export?format=ndjson"


@pytest.fixture(autouse=True)
def demo(database: Database) -> None:
    with database.session(write=True) as session:
        load(session)


class TestEveryFormat:
    @pytest.mark.parametrize("name", list(EXPORTS))
    def test_each_format_streams_with_its_media_type(self, client: TestClient, name: str) -> None:
        response = client.get(f"/v1/events/export?format={name}&country=LBY")
        assert response.status_code == 200, response.text
        assert (
            response.headers["content-type"].split(";")[0] == EXPORTS[name].media_type.split(";")[0]
        )
        assert response.headers["etag"].startswith('W/"')
        assert EXPORTS[name].extension in response.headers["content-disposition"]

    def test_ndjson_holds_the_breach_with_its_claims_source(self, client: TestClient) -> None:
        lines = client.get("/v1/events/export?format=ndjson").content.splitlines()
        events = {event["id"]: event for event in map(orjson.loads, lines)}
        breach = events[BREACH]
        assert breach["when"] == "2020-01-12/2020-01-14"
        assert breach["title"]["ar"].startswith("خروقات للهدنة")
        assert [a["role"] for a in breach["actors"]] == ["accused"]
        assert breach["sources"][0]["outlet"]["en"] == "Anadolu Agency"
        assert breach["processes"][0]["relation"] == "alleged_violation_of"

    def test_json_is_one_array_in_timeline_order(self, client: TestClient) -> None:
        events = client.get("/v1/events/export?format=json").json()
        keys = [(e["date_lower"] or "", e["date_upper"] or "9999") for e in events]
        assert keys == sorted(keys)
        assert len(events) >= 10

    def test_geojson_is_valid_and_in_lon_lat_order(self, client: TestClient) -> None:
        body = geojson.loads(client.get("/v1/events/export?format=geojson").text)
        assert body.is_valid, body.errors()
        tarhuna = next(f for f in body["features"] if f["properties"]["id"] == BREACH)
        assert tarhuna["geometry"]["coordinates"] == [13.6332, 32.435]

    def test_ics_parses_with_an_all_day_range_for_the_breach(self, client: TestClient) -> None:
        calendar = icalendar.Calendar.from_ical(client.get("/v1/events/export?format=ics").content)
        breach = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(BREACH))
        assert breach.decoded("DTSTART").isoformat() == "2020-01-12"
        assert breach.decoded("DTEND").isoformat() == "2020-01-15"  # exclusive end

    def test_atom_parses_newest_first(self, client: TestClient) -> None:
        feed = feedparser.parse(client.get("/v1/events/export?format=atom&lang=en").content)
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) >= 10
        assert any("Tarhuna" in entry.title for entry in feed.entries)

    def test_lang_flattens_text_with_a_fallback(self, client: TestClient) -> None:
        english = client.get("/v1/events/export?format=csv&lang=en").text
        arabic = client.get("/v1/events/export?format=csv&lang=ar").text
        assert "Breaches of the truce since Sunday" in english
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(arabic))}
        assert rows[BREACH]["title_text"].startswith("خروقات للهدنة")


class TestCsvForSpreadsheets:
    def test_bom_makes_excel_read_utf8(self, client: TestClient) -> None:
        assert client.get("/v1/events/export?format=csv&bom=1").content.startswith(
            b"\xef\xbb\xbfid,type,when"
        )
        assert client.get("/v1/events/export?format=csv").content.startswith(b"id,type,when")

    def test_cells_that_look_like_formulas_are_neutralised(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        make_event(
            client,
            editor_headers,
            original_language="en",
            title={"en": '=HYPERLINK("http://evil.example","click")'},
            status="published",
        )
        text = client.get("/v1/events/export?format=csv&lang=en").text
        cells = [row["title_text"] for row in csv.DictReader(io.StringIO(text))]
        assert '\'=HYPERLINK("http://evil.example","click")' in cells
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


class TestNegotiation:
    def test_accept_picks_the_format(self, client: TestClient) -> None:
        response = client.get("/v1/events/export", headers={"Accept": "text/calendar"})
        assert response.headers["content-type"].startswith("text/calendar")
        assert response.content.startswith(b"BEGIN:VCALENDAR")

    def test_accept_with_nothing_we_make_is_406(self, client: TestClient) -> None:
        response = client.get("/v1/events/export", headers={"Accept": "image/png"})
        assert response.status_code == 406
        assert response.headers["content-type"] == "application/problem+json"
        assert "text/csv" in response.json()["detail"]

    def test_an_unknown_format_is_422_naming_the_parameter(self, client: TestClient) -> None:
        response = client.get("/v1/events/export?format=xlsx")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "format"]

    def test_an_unchanged_export_is_304(self, client: TestClient) -> None:
        etag = client.get("/v1/events/export?format=ndjson").headers["etag"]
        again = client.get("/v1/events/export?format=ndjson", headers={"If-None-Match": etag})
        assert again.status_code == 304

    def test_the_timeline_route_exports_every_match_in_a_format(self, client: TestClient) -> None:
        page = client.get("/v1/timeline?limit=2").json()
        assert len(page["items"]) == 2
        exported = client.get("/v1/timeline?limit=2&format=geojson").json()
        assert len(exported["features"]) > 2  # the whole timeline, not the page

    # Asked second, each must get its own export, not the file kept for the other.
    @pytest.mark.parametrize("editor_first", [False, True])
    def test_drafts_stay_out_of_anonymous_exports(
        self, client: TestClient, editor_headers: dict[str, str], editor_first: bool
    ) -> None:
        draft = make_event(
            client,
            editor_headers,
            original_language="en",
            title={"en": "Unchecked rumour"},
            status="draft",
        )
        headers = {"anonymous": {}, "editor": editor_headers}
        order = ["editor", "anonymous"] if editor_first else ["anonymous", "editor"]
        text = {who: client.get(EXPORT_NDJSON, headers=headers[who]).text for who in order}
        anonymous, editor = text["anonymous"], text["editor"]
        assert draft["id"] not in anonymous
        assert draft["id"] in editor


def ids_in(body: bytes, name: str) -> list[str]:
    if name == "atom":
        return [entry.id for entry in feedparser.parse(body).entries]
    return [orjson.loads(line)["id"] for line in body.splitlines()]


def forget_kept_exports(client: TestClient) -> None:
    """Make the next export be built again, not given from the file kept by the last."""
    client.app.state.exports.clear()  # type: ignore[attr-defined]


def built_in_small_batches(client: TestClient, path: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """`path` exported again, built from the events three at a time (the demo's 16 events in
    six batches), not given from the file the last export left."""
    forget_kept_exports(client)
    monkeypatch.setattr(export, "BATCH", 3)
    return client.get(path).content


class TestStreaming:
    @pytest.mark.parametrize("name", ["ndjson", "atom"])
    def test_batches_join_without_a_gap_or_a_repeat(
        self, client: TestClient, name: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = f"/v1/events/export?format={name}"
        whole = ids_in(client.get(path).content, name)
        assert ids_in(built_in_small_batches(client, path, monkeypatch), name) == whole
        assert len(whole) == len(set(whole)) >= 10

    def test_places_and_actors_read_again_once_too_many_are_remembered(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        whole = client.get(EXPORT_NDJSON).content
        monkeypatch.setattr(export.Referenced, "MAX_REMEMBERED", 2)
        assert built_in_small_batches(client, EXPORT_NDJSON, monkeypatch) == whole
        events = [orjson.loads(line) for line in whole.splitlines()]
        assert sum(len(event["actors"]) for event in events) > 2
        assert len({event["location"]["id"] for event in events if event["location"]}) > 2

    def test_an_export_is_sent_in_blocks_that_join_to_the_same_file(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        whole = client.get("/v1/events/export?format=csv").content
        forget_kept_exports(client)
        monkeypatch.setattr(registry, "BLOCK", 20_000)
        with client.stream("GET", "/v1/events/export?format=csv") as response:
            blocks = list(response.iter_raw())
        assert b"".join(blocks) == whole
        # The demo's sixteen events (about 5 kB each) go out a few at a time, not one by one.
        assert 2 <= len(blocks) <= len(whole) // 20_000 + 1
        assert all(len(block) >= 20_000 for block in blocks[:-1])

    def test_every_block_but_the_last_holds_at_least_a_block_of_bytes(self) -> None:
        pieces = [bytes([n]) * 1000 for n in range(150)]
        blocks = list(registry.in_blocks(iter(pieces)))
        assert b"".join(blocks) == b"".join(pieces)
        assert [len(block) >= registry.BLOCK for block in blocks] == [True, True, False]


class TestKeptExports:
    """An export given again while the data is unchanged comes from the file kept the first
    time: the same bytes, without reading the events again."""

    def test_the_same_export_again_is_the_same_file_without_reading_the_events(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = client.get("/v1/events/export?format=ndjson")

        def unreadable(*args: object, **kwargs: object) -> None:
            raise AssertionError("the events were read again")

        monkeypatch.setattr(registry, "exported_events", unreadable)
        again = client.get("/v1/events/export?format=ndjson")
        assert again.status_code == 200
        assert again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["content-length"] == str(len(first.content))
        assert again.headers["content-type"] == first.headers["content-type"]

    def test_a_change_to_the_data_gives_a_new_export(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        before = client.get("/v1/events/export?format=csv")
        added = make_event(
            client, editor_headers, original_language="en", title={"en": "Convoy shelled"}
        )
        after = client.get("/v1/events/export?format=csv")
        assert added["id"] not in before.text
        assert added["id"] in after.text
        assert after.headers["etag"] != before.headers["etag"]

    def test_links_name_the_host_each_caller_asked(self, client: TestClient) -> None:
        here = client.get("/v1/events/export?format=atom").text
        there = client.get(
            "/v1/events/export?format=atom", headers={"Host": "mirror.example.org"}
        ).text
        assert "http://testserver/" in here
        assert "http://mirror.example.org/" in there
        assert "testserver" not in there

    def test_a_restart_forgets_the_kept_exports(
        self, client: TestClient, app_settings: Settings, database: Database
    ) -> None:
        client.get("/v1/events/export?format=ndjson")
        kept = app_settings.data_dir / "exports"
        assert list(kept.glob("*.export"))
        with TestClient(create_app(app_settings, database)):
            assert not kept.exists()

    def test_without_a_budget_nothing_is_kept(
        self, app_settings: Settings, database: Database
    ) -> None:
        settings = app_settings.model_copy(update={"export_cache_mb": 0})
        with TestClient(create_app(settings, database)) as client:
            first = client.get("/v1/events/export?format=ndjson")
            assert client.get("/v1/events/export?format=ndjson").content == first.content
        assert not (settings.data_dir / "exports").exists()
