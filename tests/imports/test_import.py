"""Importing files into a real database: atomic by default, idempotent, nothing dropped silently."""

from __future__ import annotations

import gc
import io
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.core import heap
from app.core.auth import Principal, Role
from app.core.db import Database
from app.events.service import FULL, snapshot
from app.imports import jobs
from app.imports.service import Report
from app.models import (
    Actor,
    Event,
    EventExternalId,
    Location,
    Participation,
    Revision,
    SearchDocument,
    Source,
)
from app.models.base import utcnow
from app.search.indexing import reindex_all
from app.search.vocabulary import VOCABULARY

SAMPLES = Path(__file__).resolve().parents[1] / "formats" / "samples"
ADMIN = Principal(role=Role.admin, name="test importer")
COUNTED = (Event, Actor, Location, Source, Participation, Revision, EventExternalId)


def counts(database: Database) -> dict[str, int]:
    with database.session(write=False) as session:
        return {
            m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
            for m in COUNTED
        }


def run(database: Database, data: bytes | Path, fmt: str, **options: Any) -> Report:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data.open("rb")
    with stream:
        return jobs.execute(
            database,
            stream,
            format=fmt,
            mode=options.get("mode", "atomic"),
            dry_run=options.get("dry_run", False),
            by=ADMIN,
            reason="test import",
        )


def event_by(session: Session, scheme: str, value: str) -> Event:
    stmt = (
        select(Event)
        .join(EventExternalId)
        .where(EventExternalId.scheme == scheme, EventExternalId.value == value)
    )
    return session.scalars(stmt).one()


CSV_HEADER = (
    "type,when,title,original_language,external_ids,actors,"
    "latitude,longitude,location_name,country\n"
)


def csv_row(ext: str, *, when: str = "2020-01-13", title: str = "Clash", **extra: str) -> str:
    cells = {
        "type": "violence.armed_clash",
        "when": when,
        "title": title,
        "original_language": "en",
        "external_ids": f'"{{""acled"": ""{ext}""}}"',
        "actors": '"[{""names"": {""en"": ""Khalifa Haftar""}, ""role"": ""party""}]"',
        "latitude": "32.435",
        "longitude": "13.634",
        "location_name": "Tarhuna",
        "country": "LBY",
        **extra,
    }
    return ",".join(cells.values()) + "\n"


class TestSamplesOfEachLayout:
    """Each real-world layout lands as events a user can check field by field."""

    @pytest.mark.parametrize(
        ("name", "fmt"),
        [
            ("acled_current.csv", "acled"),
            ("acled_legacy_cp1252.csv", "acled"),
            ("acled_week_month.csv", "acled"),
            ("ucdp_ged.csv", "ucdp"),
            ("gdelt_events.tsv", "gdelt"),
        ],
    )
    def test_imports_every_row_then_reimports_nothing(
        self, database: Database, name: str, fmt: str
    ) -> None:
        first = run(database, SAMPLES / name, fmt)
        assert first.rejected == [], first.rejected
        assert first.created == first.rows > 0
        after_first = counts(database)
        second = run(database, SAMPLES / name, fmt)
        assert (second.created, second.updated, second.unchanged) == (0, 0, first.rows)
        assert counts(database) == after_first  # not a row more, not a revision more

    def test_week_and_month_precision_stay_honest(self, database: Database) -> None:
        run(database, SAMPLES / "acled_week_month.csv", "acled")
        with database.session(write=False) as session:
            when = dict(
                session.execute(
                    select(EventExternalId.value, Event.when).join(
                        Event, Event.id == EventExternalId.event_id
                    )
                ).all()
            )
        # Week precision: the coded day ± 6 days, certain to hold the week; month: the month.
        assert when["LBY5101"] == "2020-01-09/2020-01-21"
        assert when["LBY5102"] == "2020-01"

    def test_cp1252_notes_keep_their_accents_and_line_breaks(self, database: Database) -> None:
        run(database, SAMPLES / "acled_legacy_cp1252.csv", "acled")
        with database.session(write=False) as session:
            summaries = [e.summary["en"] for e in session.scalars(select(Event)) if e.summary]
        text = "\n".join(summaries)
        assert any(ch in text for ch in "éè’"), text[:300]
        assert "\n" in text  # the quoted multi-line note arrived whole

    def test_acled_sources_are_split_into_outlets(self, database: Database) -> None:
        run(database, SAMPLES / "acled_current.csv", "acled")
        with database.session(write=False) as session:
            cited = session.scalar(select(func.count()).select_from(Source)) or 0
        assert cited >= 2


class TestAtomicByDefault:
    def test_one_bad_row_writes_nothing_and_names_every_bad_line(self, database: Database) -> None:
        before = counts(database)
        data = (
            CSV_HEADER
            + csv_row("A1")
            + csv_row("A2", when="2020-02-31")
            + csv_row("A3", latitude="95")
        )
        report = run(database, data.encode(), "csv")
        assert [(r.line, r.reason.split(":")[0]) for r in report.rejected] == [
            (3, "when"),
            (4, "location.latitude"),
        ]
        assert counts(database) == before

    def test_skip_invalid_keeps_the_good_rows_and_lists_the_rest(self, database: Database) -> None:
        before = counts(database)
        data = CSV_HEADER + csv_row("B1") + csv_row("B2", fatalities_best="many")
        data = data.replace("country\n", "country,fatalities_best\n", 1)
        data = data.replace("LBY\n", "LBY,\n", 1)
        report = run(database, data.encode(), "csv", mode="skip_invalid")
        assert report.created == 1
        assert [(r.line, r.reason) for r in report.rejected] == [
            (3, "fatalities_best: not a whole number (many)")
        ]
        assert counts(database)["events"] == before["events"] + 1
        rejected = jobs.rejected_csv(report)
        assert rejected is not None
        assert rejected.splitlines()[0].startswith("line,reason,type")

    def test_dry_run_reports_but_writes_nothing(self, database: Database) -> None:
        before = counts(database)
        report = run(database, (CSV_HEADER + csv_row("C1")).encode(), "csv", dry_run=True)
        assert report.created == 1
        assert counts(database) == before


class TestIdempotence:
    def test_a_changed_row_updates_its_event_with_a_revision(self, database: Database) -> None:
        run(database, (CSV_HEADER + csv_row("D1", title="Clash")).encode(), "csv")
        report = run(database, (CSV_HEADER + csv_row("D1", title="Heavy clash")).encode(), "csv")
        assert (report.created, report.updated) == (0, 1)
        with database.session(write=False) as session:
            event = event_by(session, "acled", "D1")
            assert event.title == {"en": "Heavy clash"}
            assert event.version == 2
            reasons = session.scalars(
                select(Revision.reason).where(Revision.entity_id == event.id)
            ).all()
        assert reasons == ["test import", "test import"]

    def test_the_same_id_twice_in_one_file_is_one_event(self, database: Database) -> None:
        data = CSV_HEADER + csv_row("E1", title="First") + csv_row("E1", title="Second")
        report = run(database, data.encode(), "csv")
        assert (report.created, report.updated) == (1, 1)

    def test_a_new_event_id_twice_in_one_chunk_is_one_event_and_its_update(
        self, database: Database
    ) -> None:
        # The database refuses the chunk's second insert of that id (its primary key); the
        # chunk is replayed row by row, where the second row finds the first's event.
        new_id = "0190aaaa-0000-7000-8000-000000000001"
        data = (
            ndjson_line("N1")
            + ndjson_line("N2", id=new_id, title={"en": "First"})
            + ndjson_line("N3", id=new_id, title={"en": "Second"}, external_ids={})
        )
        report = run(database, data, "ndjson")
        assert report.rejected == []
        assert (report.created, report.updated) == (2, 1)
        with database.session(write=False) as session:
            event = session.get_one(Event, uuid.UUID(new_id))
            assert (event.title, event.version) == ({"en": "Second"}, 2)
            assert session.scalar(select(func.count()).select_from(Event)) == 2

    def test_each_create_revision_pictures_the_event_as_stored(self, database: Database) -> None:
        # The revisions of new events are made from the rows written, not read back: they
        # must show what a reader of the event sees, verification from its claims included.
        truce = {"names": {"ar": "هدنة موسكو", "en": "Moscow truce"}, "relation": "violates"}
        two_outlets = [
            {"outlet": {"en": "Reuters"}, "url": "https://example.org/r", "quote": "shelling"},
            {"outlet": {"ar": "الجزيرة"}, "url": "https://example.org/j", "quote": "قصف"},
        ]
        haftar = {"names": {"ar": "خليفة حفتر"}, "role": "accused", "stance": "denied"}
        data = ndjson_line(
            "R1", actors=[haftar], sources=two_outlets, processes=[truce], tags=["breach"]
        ) + ndjson_line("R2", sources=two_outlets[:1], summary={"ar": "اشتباكات"})
        run(database, data, "ndjson")
        with database.session(write=False) as session:
            for ext in ("R1", "R2"):
                stored = session.get_one(Event, event_by(session, "test", ext).id, options=FULL)
                (after,) = session.scalars(
                    select(Revision.after).where(Revision.entity_id == stored.id)
                )
                assert after == snapshot(stored)
            first = event_by(session, "test", "R1")
            assert first.verification == "corroborated"
            assert session.scalar(select(func.count()).where(Revision.entity_type == "event")) == 2

    def test_new_events_are_indexed_as_a_rebuild_from_the_database_would(
        self, database: Database
    ) -> None:
        # New events' documents are built from the rows in hand, not read back: they must hold
        # what the stored records say (a known actor's aliases, the place's region too).
        with database.session(write=True) as session:
            session.add(
                Actor(
                    names={"en": "Khalifa Haftar", "ar": "خليفة حفتر"},
                    aliases=[{"text": "المشير", "lang": "ar"}],
                    kind="person",
                    external_ids={},
                )
            )
        sirte = {"names": {"ar": "سرت", "en": "Sirte"}, "country": "LBY", "admin1": "Surt"}
        data = ndjson_line(
            "I1",
            actors=[{"names": {"en": "Khalīfa Ḥaftar"}}, {"names": {"ar": "قوات الوفاق"}}],
            location=sirte,
            sources=[{"outlet": {"en": "Reuters"}, "quote": "truce broken", "note": "هدنة"}],
            summary={"ar": "خرق الهدنة"},
        ) + ndjson_line("I2", location=sirte)
        run(database, data, "ndjson")

        def index(session: Session) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
            docs = session.execute(
                select(
                    SearchDocument.kind,
                    SearchDocument.record_id,
                    SearchDocument.terms,
                    SearchDocument.keys,
                    SearchDocument.event_sort_lower,
                )
            )
            words = session.execute(select(VOCABULARY.c.kind, VOCABULARY.c.term))
            return {tuple(doc) for doc in docs}, {tuple(word) for word in words}

        with database.session(write=True) as session:
            imported = index(session)
            reindex_all(session)
            rebuilt = index(session)
        assert imported == rebuilt
        assert any("مشير" in doc[2].split() and "surt" in doc[2].split() for doc in imported[0])

    def test_actors_and_places_are_matched_not_duplicated(self, database: Database) -> None:
        data = CSV_HEADER + csv_row("F1") + csv_row("F2") + csv_row("F3")
        run(database, data.encode(), "csv")
        with database.session(write=False) as session:
            haftars = session.scalars(
                select(Actor).where(Actor.names["en"].as_string() == "Khalifa Haftar")
            ).all()
            places = session.scalars(
                select(Location).where(Location.names["en"].as_string() == "Tarhuna")
            ).all()
        assert len(haftars) == 1
        assert len(places) == 1

    def test_an_alias_finds_the_existing_actor(self, database: Database) -> None:
        with database.session(write=True) as session:
            actor = Actor(
                names={"en": "Khalifa Haftar", "ar": "خليفة حفتر"},
                aliases=[{"text": "Hifter", "lang": "en"}],
                kind="person",
                external_ids={},
            )
            session.add(actor)
        row = csv_row("G1").replace("Khalifa Haftar", "Hifter")
        run(database, (CSV_HEADER + row).encode(), "csv")
        with database.session(write=False) as session:
            event = event_by(session, "acled", "G1")
            actor_ids = session.scalars(
                select(Participation.actor_id).where(Participation.event_id == event.id)
            ).all()
        assert actor_ids == [actor.id]


class TestBadFiles:
    @pytest.mark.parametrize(
        ("data", "fmt", "message"),
        [
            (b"", "csv", "empty"),
            (b"", "ndjson", "empty"),
            (b"title,summary\nx,y\n", "csv", "missing columns type, when"),
            (b'type,when,title\n"unclosed,2020-01-01,x\n', "csv", "line"),
            (b"type,when,title,title\nother,2020,a,b\n", "csv", "names title more than once"),
            (
                "type,when,title\nother,2020,مصر\nother,2021,Z".encode() + b"\xfcrich\n",
                "csv",
                "line 3: byte 46 is not UTF-8",
            ),
        ],
    )
    def test_a_file_that_is_not_the_format_is_refused_whole(
        self, database: Database, data: bytes, fmt: str, message: str
    ) -> None:
        from app.formats.reading import FileRejected

        before = counts(database)
        with pytest.raises(FileRejected, match=message):
            run(database, data, fmt)
        assert counts(database) == before

    def test_ndjson_lines_that_are_not_objects_are_named(self, database: Database) -> None:
        good = b'{"type": "other", "when": "2020", "title": {"en": "x"}, "original_language": "en"}'
        data = good + b"\n[1]\nnot json\n"
        before = counts(database)
        report = run(database, data, "ndjson")
        assert [(r.line, r.reason) for r in report.rejected] == [
            (2, "not a JSON object"),
            (3, "not a JSON object (invalid literal, expected 'null')"),
        ]
        assert counts(database) == before  # the good line too: the import is atomic


class TestOddRows:
    def test_a_short_row_is_read_with_empty_cells(self, database: Database) -> None:
        report = run(database, b"title,when,type\nShort row,2020-01-02\n", "csv")
        assert [(r.line, r.reason) for r in report.rejected] == [
            (2, "type: unknown event type ''; the vocabulary is at /v1/event-types")
        ]


class TestRefusedRows:
    def test_a_row_for_a_deleted_event_is_refused_and_the_rest_is_searchable(
        self, database: Database, client: TestClient
    ) -> None:
        run(database, (CSV_HEADER + csv_row("Z1", title="Old clash")).encode(), "csv")
        with database.session(write=True) as session:
            event_by(session, "acled", "Z1").deleted_at = utcnow()
        data = CSV_HEADER + csv_row("Z2", title="Fresh fighting") + csv_row("Z1")
        report = run(database, data.encode(), "csv", mode="skip_invalid")
        assert report.created == 1
        assert [(r.line, "was deleted" in r.reason) for r in report.rejected] == [(3, True)]
        # The chunk was replayed row by row after the refusal; the index kept up with it.
        found = client.get("/v1/events?q=fresh fighting").json()["items"]
        assert [e["title"] for e in found] == [{"en": "Fresh fighting"}]


class TestPartialRows:
    def test_a_file_of_a_few_columns_changes_only_those(self, database: Database) -> None:
        full = (
            "type,when,title,original_language,external_ids,location_name,country,"
            "latitude,longitude,location_precision,tags\n"
            'other,2020-01-13,"{""ar"": ""اجتماع""}",ar,"{""acled"": ""P1""}",ترهونة,LBY,'
            '32.43,13.63,1,"[""first""]"\n'
        )
        run(database, full.encode(), "csv")
        partial = 'type,when,external_ids,tags\nother,2020-01-13,"{""acled"": ""P1""}","[""x""]"\n'
        report = run(database, partial.encode(), "csv")
        assert report.updated == 1
        with database.session(write=False) as session:
            event = event_by(session, "acled", "P1")
            assert event.original_language == "ar"
            assert event.title == {"ar": "اجتماع"}
            assert event.location_id is not None
            assert event.location_precision == 1
            assert event.tags == ["first", "x"]

    def test_a_row_naming_one_event_by_id_and_another_by_external_id_is_refused(
        self, database: Database
    ) -> None:
        run(database, (CSV_HEADER + csv_row("Q1") + csv_row("Q2")).encode(), "csv")
        with database.session(write=False) as session:
            q2 = event_by(session, "acled", "Q2")
        row = f'{q2.id},other,2020-01-13,Moved,en,"{{""acled"": ""Q1""}}"\n'
        data = "id,type,when,title,original_language,external_ids\n" + row
        before = counts(database)
        report = run(database, data.encode(), "csv")
        assert len(report.rejected) == 1
        assert "point at different events" in report.rejected[0].reason
        assert counts(database) == before

    def test_an_empty_external_id_is_a_row_error_not_a_match(self, database: Database) -> None:
        data = b'{"type": "other", "when": "2020", "title": {"en": "a"}, '
        data += b'"external_ids": {"acled": ""}}\n'
        report = run(database, data, "ndjson")
        assert [r.reason.split(":")[0] for r in report.rejected] == ["external_ids.acled"]


def ndjson_line(ext: str, **fields: Any) -> bytes:
    base = {
        "type": "other",
        "when": "2020-01-13",
        "title": {"en": f"Event {ext}"},
        "external_ids": {"test": ext},
    }
    return orjson.dumps({**base, **fields}) + b"\n"


class TestMatchingReferences:
    def test_places_match_without_a_point_or_within_5_km_not_beyond(
        self, database: Database
    ) -> None:
        tripoli = {"names": {"en": "Tripoli"}, "country": "LBY"}
        data = b"".join(
            [
                ndjson_line("T1", location={**tripoli, "latitude": 32.8872, "longitude": 13.1913}),
                ndjson_line("T2", location={**tripoli, "latitude": 32.9, "longitude": 13.18}),
                ndjson_line("T3", location=tripoli),
                ndjson_line("T4", location={**tripoli, "latitude": 34.43, "longitude": 35.84}),
            ]
        )
        run(database, data, "ndjson")
        with database.session(write=False) as session:
            places = session.scalars(
                select(Location.latitude).where(Location.names["en"].as_string() == "Tripoli")
            ).all()
        assert sorted(places) == [32.8872, 34.43]  # Tripoli, Libya, once; a second one 180 km off

    def test_latin_accents_do_not_make_a_second_actor(self, database: Database) -> None:
        data = ndjson_line("H1", actors=[{"names": {"en": "Khalifa Haftar"}}]) + ndjson_line(
            "H2", actors=[{"names": {"en": "Khalīfa Ḥaftar"}}]
        )
        report = run(database, data, "ndjson")
        assert report.references == {"actors": 1}

    def test_a_new_url_is_a_new_source_even_from_a_known_outlet(self, database: Database) -> None:
        reuters = {"outlet": {"en": "Reuters"}}
        data = ndjson_line("S1", sources=[reuters]) + ndjson_line(
            "S2", sources=[{**reuters, "url": "https://example.org/three"}]
        )
        run(database, data, "ndjson")
        with database.session(write=False) as session:
            urls = sorted(str(u) for u in session.scalars(select(Source.url)))
        assert urls == ["None", "https://example.org/three"]

    def test_the_id_of_a_deleted_actor_is_not_reused(self, database: Database) -> None:
        with database.session(write=True) as session:
            gone = Actor(
                names={"en": "Old militia"}, aliases=[], kind="armed_group", external_ids={}
            )
            gone.deleted_at = utcnow()
            session.add(gone)
        data = ndjson_line("X1", actors=[{"id": str(gone.id), "names": {"en": "Old militia"}}])
        report = run(database, data, "ndjson")
        assert report.rejected == []
        assert report.references == {"actors": 1}
        with database.session(write=False) as session:
            event = event_by(session, "test", "X1")
            (actor_id,) = session.scalars(
                select(Participation.actor_id).where(Participation.event_id == event.id)
            )
        assert actor_id != gone.id


class TestMemory:
    def test_an_import_gives_every_object_back_to_the_garbage_collector(
        self, database: Database
    ) -> None:
        # The collector is kept off what was alive before the import while it runs (speed);
        # afterwards nothing may stay out of its reach, or a server would leak.
        run(database, ndjson_line("G1") + ndjson_line("G2"), "ndjson")
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == heap.USUAL_THRESHOLDS


class TestPlannerStatistics:
    def test_an_import_leaves_the_planner_knowing_the_new_rows(self, database: Database) -> None:
        run(database, SAMPLES / "acled_current.csv", "acled")
        with database.session(write=False) as session:
            if database.engine.dialect.name == "sqlite":
                measured = session.scalar(
                    text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'")
                )
                assert measured
            else:
                rows = session.scalar(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'events'")
                )
                assert rows is not None
                assert rows >= 5
