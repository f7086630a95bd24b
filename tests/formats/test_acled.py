"""ACLED exports, both layouts, read into Waqai event records."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from app.core.dates import parse_when
from app.events.vocabulary import BY_CODE
from app.formats import acled
from app.formats.reading import FileRejected, Row
from app.formats.record import EventRecord

SAMPLES = Path(__file__).parent / "samples"


def read(name: str) -> list[Row]:
    with (SAMPLES / name).open("rb") as stream:
        return list(acled.read(stream))


def records(name: str) -> list[dict[str, Any]]:
    """Every row's record, checked by EventRecord as the import pipeline will check it."""
    rows = read(name)
    assert [row.error for row in rows if row.error] == []
    return [EventRecord.model_validate(row.record).model_dump() for row in rows]


def actors(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(actor["names"]["en"], actor["kind"], actor["role"]) for actor in record["actors"]]


class TestCurrentLayout:
    def test_reads_every_row_of_a_utf8_file_with_a_bom(self) -> None:
        assert (SAMPLES / "acled_current.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        events = records("acled_current.csv")
        assert [event["external_ids"] for event in events] == [
            {"acled": f"LBY500{n}"} for n in range(1, 6)
        ]

    def test_an_armed_clash_on_a_known_day(self) -> None:
        clash = records("acled_current.csv")[0]
        assert clash["type"] == "violence.armed_clash"
        assert clash["when"] == "2020-01-12"
        assert clash["title"] == {"en": "Armed clash in Ain Zara"}
        assert clash["original_language"] == "en"
        assert clash["fatalities_best"] == 2
        assert "عين زارة" in clash["summary"]["en"]

    def test_the_place_its_country_and_precision(self) -> None:
        clash = records("acled_current.csv")[0]
        location = clash["location"]
        assert location["names"] == {"en": "Ain Zara"}
        assert (location["country"], location["admin1"], location["admin2"]) == (
            "LBY",
            "Tripoli",
            "Tripoli",
        )
        assert (location["latitude"], location["longitude"]) == (32.7833, 13.2333)
        assert clash["location_precision"] == 1

    def test_geo_precision_three_is_a_larger_region(self) -> None:
        agreement = records("acled_current.csv")[3]
        assert agreement["location_precision"] == 5

    def test_sources_are_split_on_semicolons(self) -> None:
        clash = records("acled_current.csv")[0]
        assert [source["outlet"] for source in clash["sources"]] == [
            {"en": "Libya Observer"},
            {"en": "Anadolu Agency"},
        ]
        assert clash["sources"][0]["note"] == "ACLED source scale: National-International"

    def test_tags_keep_acled_types_disorder_and_own_tags(self) -> None:
        clash, shelling, protest = records("acled_current.csv")[:3]
        assert clash["tags"] == ["acled:Battles", "acled:Armed clash", "acled:Political violence"]
        assert "acled:Civilian targeting" in shelling["tags"]
        assert "acled:crowd size=no report" in protest["tags"]


class TestActors:
    def test_battle_sides_and_their_associates_are_parties(self) -> None:
        clash = records("acled_current.csv")[0]
        assert actors(clash) == [
            (
                "Military Forces of Libya (2016-2021) Government of National Accord",
                "armed_forces",
                "party",
            ),
            ("Military Forces of Libya (2014-) Khalifa Haftar Faction", "armed_group", "party"),
            ("Al Kaniyat Militia", "other", "party"),
            ("Tarhuna Communal Militia (Libya)", "other", "party"),
        ]

    def test_only_state_bodies_get_a_country(self) -> None:
        clash = records("acled_current.csv")[0]
        assert [actor["country"] for actor in clash["actors"]] == ["LBY", "LBY", None, None]

    def test_civilians_are_victims_of_whoever_attacks_them(self) -> None:
        attack = records("acled_current.csv")[4]
        assert attack["type"] == "violence.against_civilians"
        assert actors(attack) == [
            ("Unidentified Armed Group (Libya)", "armed_group", "initiator"),
            ("Civilians (Libya)", "other", "victim"),
        ]

    def test_protesters_initiate_a_protest(self) -> None:
        protest = records("acled_current.csv")[2]
        assert protest["type"] == "protest.demonstration"
        assert actors(protest) == [
            ("Protesters (Libya)", "other", "initiator"),
            ("Women (Libya)", "other", "initiator"),
        ]

    def test_a_government_named_as_state_forces_is_a_government(self) -> None:
        agreement = records("acled_current.csv")[3]
        assert agreement["type"] == "agreement.signed"
        assert agreement["actors"][0]["kind"] == "government"
        assert agreement["actors"][0]["country"] == "LBY"

    def test_roles_when_force_is_used_against_protesters(self) -> None:
        assert acled._roles(6, 1, "Excessive force against protesters") == ("victim", "initiator")
        assert acled._roles(6, 1, "Protest with intervention") == ("initiator", "party")


class TestWeekAndMonthPrecision:
    def test_week_precision_is_an_interval_that_holds_the_whole_week(self) -> None:
        week = records("acled_week_month.csv")[0]
        assert week["when"] == "2020-01-09/2020-01-21"
        bounds = parse_when(week["when"])
        assert bounds.precision == "days"

    def test_month_precision_is_the_month_not_its_middle_day(self) -> None:
        month = records("acled_week_month.csv")[1]
        assert month["when"] == "2020-01"
        assert parse_when(month["when"]).precision == "month"

    def test_a_week_at_the_end_of_a_month_runs_into_the_next(self) -> None:
        late = records("acled_week_month.csv")[2]
        assert late["when"] == "2020-01-25/2020-02-06"


class TestLegacyLayout:
    def test_windows_1252_text_is_decoded(self) -> None:
        data = (SAMPLES / "acled_legacy_cp1252.csv").read_bytes()
        assert b"\x92" in data  # ’ in Windows-1252, which is not valid UTF-8
        assert b"\r\n" in data
        airport = records("acled_legacy_cp1252.csv")[0]
        notes = airport["summary"]["en"]
        assert "Tripoli’s international airport" in notes
        assert "communiqué" in notes

    def test_a_note_on_several_lines_is_one_row_that_starts_on_its_first_line(self) -> None:
        rows = read("acled_legacy_cp1252.csv")
        assert [row.line for row in rows] == [2, 5, 6]
        notes = EventRecord.model_validate(rows[0].record).summary
        assert notes is not None
        assert notes["en"].count("\n") == 2

    def test_day_first_dates_and_a_leap_day(self) -> None:
        events = records("acled_legacy_cp1252.csv")
        assert [event["when"] for event in events] == ["2014-07-14", "2015-02-16", "2016-02-29"]

    def test_old_event_types_map_to_the_vocabulary(self) -> None:
        events = records("acled_legacy_cp1252.csv")
        assert [event["type"] for event in events] == [
            "violence.armed_clash",
            "other",
            "protest.demonstration",
        ]
        assert events[1]["tags"] == ["acled:Remote violence"]

    def test_ally_actors_and_external_forces(self) -> None:
        airport, strike = records("acled_legacy_cp1252.csv")[:2]
        assert ("Libya Dawn", "other", "party") in actors(airport)
        egypt = strike["actors"][0]
        assert (egypt["kind"], egypt["country"], egypt["role"]) == ("other", "EGY", "initiator")

    def test_trailing_empty_columns_are_dropped(self) -> None:
        rows = read("acled_legacy_cp1252.csv")
        assert "" not in rows[0].raw
        assert rows[0].raw["FATALITIES"] == "7"


class TestTypeMapping:
    @pytest.mark.parametrize("code", sorted({*acled.CURRENT_TYPES.values()}))
    def test_every_current_type_maps_to_a_vocabulary_code(self, code: str) -> None:
        assert code in BY_CODE

    @pytest.mark.parametrize("found", sorted(acled.LEGACY_TYPES.values()))
    def test_every_legacy_type_maps_to_a_vocabulary_code(self, found: tuple[str, str]) -> None:
        assert found[0] in BY_CODE

    @pytest.mark.parametrize(
        ("event_type", "sub_type", "code"),
        [
            ("Battles", "Armed clash", "violence.armed_clash"),
            (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
                "violence.shelling",
            ),
            ("Explosions/Remote violence", "Air/drone strike", "violence.air_strike"),
            ("Violence against civilians", "Attack", "violence.against_civilians"),
            ("Protests", "Peaceful protest", "protest.demonstration"),
            ("Strategic developments", "Agreement", "agreement.signed"),
        ],
    )
    def test_codebook_pairs(self, event_type: str, sub_type: str, code: str) -> None:
        assert acled.CURRENT_TYPES[(event_type.lower(), sub_type.lower())] == code


class TestBadRows:
    def test_each_bad_row_names_its_line_column_and_value(self) -> None:
        rows = read("acled_bad.csv")
        assert [(row.line, row.error) for row in rows[:4]] == [
            (2, "event_date: no such day (2020-02-31)"),
            (3, "latitude: not a number (thirty-two)"),
            (4, "sub_event_type: unknown ACLED event type / sub-event type (Battles / Skirmish)"),
            (5, "fatalities: not a whole number (2.5)"),
        ]

    def test_the_good_row_after_them_is_still_read(self) -> None:
        last = read("acled_bad.csv")[-1]
        assert last.error is None
        assert last.record is not None
        assert last.record["external_ids"] == {"acled": "LBY9005"}

    def test_an_impossible_day_first_date_names_the_column_as_the_file_does(self) -> None:
        data = (
            (SAMPLES / "acled_legacy_cp1252.csv").read_bytes().replace(b"14/07/2014", b"31/02/2020")
        )
        rows = list(acled.read(io.BytesIO(data)))
        assert rows[0].error == "EVENT_DATE: no such day (31/02/2020)"

    def test_a_latitude_out_of_range(self) -> None:
        data = (SAMPLES / "acled_bad.csv").read_bytes().replace(b"32.7833", b"95.5")
        rows = list(acled.read(io.BytesIO(data)))
        assert rows[-1].error == "latitude: outside -90..90 degrees (95.5)"


class TestBadFiles:
    def test_missing_columns_are_all_named(self) -> None:
        with pytest.raises(FileRejected) as caught:
            list(acled.read(io.BytesIO(b"event_id_cnty,event_date,sub_event_type,notes\n")))
        assert str(caught.value) == (
            "This is not a current ACLED export file: missing columns time_precision, event_type,"
            " actor1, inter1, actor2, inter2, country, location, latitude, longitude,"
            " geo_precision, source, fatalities."
        )

    def test_a_legacy_file_is_answered_in_its_own_column_names(self) -> None:
        with pytest.raises(FileRejected, match=r"pre-2019 ACLED export file: missing columns "):
            list(acled.read(io.BytesIO(b"GWNO,EVENT_ID_CNTY,EVENT_DATE,NOTES,,\r\n")))

    def test_an_empty_file(self) -> None:
        with pytest.raises(FileRejected, match=r"The file is empty\."):
            list(acled.read(io.BytesIO(b"")))

    def test_a_file_separated_by_semicolons(self) -> None:
        data = b"event_id_cnty;event_date;year\nLBY1;2020-01-12;2020\n"
        with pytest.raises(FileRejected, match="line 1: the columns are separated by semicolons"):
            list(acled.read(io.BytesIO(data)))
