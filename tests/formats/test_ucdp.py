"""UCDP GED CSV files read into Waqai event records."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from app.core.dates import parse_when
from app.formats import mapping, ucdp
from app.formats.reading import FileRejected, Row
from app.formats.record import EventRecord

SAMPLES = Path(__file__).parent / "samples"


def read(name: str) -> list[Row]:
    with (SAMPLES / name).open("rb") as stream:
        return list(ucdp.read(stream))


def records(name: str = "ucdp_ged.csv") -> list[dict[str, Any]]:
    """Every row's record, checked by EventRecord as the import pipeline will check it."""
    rows = read(name)
    assert [row.error for row in rows if row.error] == []
    return [EventRecord.model_validate(row.record).model_dump() for row in rows]


class TestDates:
    def test_a_single_day_written_with_a_time(self) -> None:
        assert records()[0]["when"] == "2020-01-13"

    def test_a_known_week_is_the_interval_ged_gives(self) -> None:
        week = records()[1]["when"]
        assert week == "2020-01-12/2020-01-18"
        assert parse_when(week).precision == "days"

    def test_a_known_month_is_the_month(self) -> None:
        assert records()[2]["when"] == "2020-01"

    def test_a_few_days(self) -> None:
        assert records()[3]["when"] == "2020-01-20/2020-01-23"

    def test_month_precision_never_reads_as_a_day(self) -> None:
        row = {"date_start": "2020-01-15", "date_end": "2020-01-15", "date_prec": "4"}
        assert ucdp._when(row) == "2020-01"


class TestEvent:
    def test_types_follow_the_type_of_violence(self) -> None:
        assert [event["type"] for event in records()] == [
            "violence.armed_clash",
            "violence.armed_clash",
            "violence.against_civilians",
            "violence.armed_clash",
        ]

    def test_low_best_and_high_fatalities(self) -> None:
        first = records()[1]
        assert (first["fatalities_low"], first["fatalities_best"], first["fatalities_high"]) == (
            2,
            4,
            6,
        )

    def test_title_ids_and_tags(self) -> None:
        first = records()[0]
        assert first["title"] == {"en": "State-based armed clash in Ain Zara town"}
        assert first["external_ids"] == {"ucdp": "309345"}
        assert first["tags"] == ["ucdp:state-based", "ucdp-conflict:Libya: Government"]
        assert "ucdp:low clarity" in records()[2]["tags"]


class TestLocation:
    def test_the_place_and_its_precision(self) -> None:
        first = records()[0]
        location = first["location"]
        assert location["names"] == {"en": "Ain Zara town"}
        assert (location["country"], location["admin1"]) == ("LBY", "Tripoli district")
        assert (location["latitude"], location["longitude"]) == (32.7833, 13.2333)
        assert first["location_precision"] == 1

    def test_a_province_and_a_whole_country(self) -> None:
        events = records()
        assert (events[1]["location_precision"], events[1]["location"]["kind"]) == (4, "region")
        assert (events[3]["location_precision"], events[3]["location"]["kind"]) == (6, "country")


class TestCountryNames:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("Libya", "LBY"),
            ("DR Congo (Zaire)", "COD"),
            ("Russia (Soviet Union)", "RUS"),
            ("Yemen (North Yemen)", "YEM"),
            ("Kingdom of eSwatini (Swaziland)", "SWZ"),
            ("Bosnia-Herzegovina", "BIH"),
            ("Turkey", "TUR"),
            ("Kosovo", None),
        ],
    )
    def test_ged_country_names(self, name: str, code: str | None) -> None:
        assert mapping.country_by_name(name) == code


class TestActors:
    def test_a_government_and_a_rebel_side_are_parties(self) -> None:
        government, haftar = records()[0]["actors"]
        assert government["names"] == {"en": "Government of Libya"}
        assert (government["kind"], government["country"], government["role"]) == (
            "government",
            "LBY",
            "party",
        )
        assert government["external_ids"] == {"ucdp": "111"}
        assert (haftar["kind"], haftar["role"], haftar["external_ids"]) == (
            "armed_group",
            "party",
            {"ucdp": "6630"},
        )

    def test_one_sided_violence_has_an_initiator_and_civilian_victims(self) -> None:
        perpetrator, civilians = records()[2]["actors"]
        assert perpetrator["role"] == "initiator"
        assert (civilians["names"], civilians["kind"], civilians["role"]) == (
            {"en": "Civilians"},
            "other",
            "victim",
        )


class TestSources:
    def test_each_office_is_a_source_with_its_headline_and_date(self) -> None:
        afp, xinhua = records()[0]["sources"]
        assert afp["outlet"] == {"en": "Agence France Presse"}
        assert afp["title"] == "Clashes erupt south of Tripoli, truce shaken"
        assert afp["published_at"] == dt.datetime(2020, 1, 13, tzinfo=dt.UTC)
        assert xinhua["outlet"] == {"en": "Xinhua News Agency"}

    def test_a_quoted_article_keeps_its_own_semicolon(self) -> None:
        afp = records()[0]["sources"][0]
        assert afp["note"] == (
            "UCDP source_article: Agence France Presse,2020-01-13,Clashes erupt south of "
            "Tripoli; truce shaken; original source: GNA spokesman; LNA media office"
        )

    def test_one_source_keeps_a_headline_holding_a_semicolon(self) -> None:
        (bbc,) = records()[1]["sources"]
        assert bbc["title"] == "Libya: truce shaky; clashes near Tarhuna"

    def test_no_source_columns_no_sources(self) -> None:
        assert records()[3]["sources"] == []


class TestBadRows:
    def test_each_bad_row_names_its_line_column_and_value(self) -> None:
        rows = read("ucdp_bad.csv")
        assert [(row.line, row.error) for row in rows[:4]] == [
            (2, "date_start: no such day (2020-02-31)"),
            (3, "date_end: before date_start 2020-01-14 (2020-01-12)"),
            (4, "best: not a whole number (three)"),
            (5, "where_prec: unknown code (9)"),
        ]
        assert rows[4].record is not None


class TestFiles:
    def test_missing_columns_are_all_named(self) -> None:
        with pytest.raises(FileRejected) as caught:
            list(ucdp.read(io.BytesIO(b"id,year,side_a,side_b\n1,2020,a,b\n")))
        assert str(caught.value) == (
            "This is not a UCDP GED file: missing columns type_of_violence, where_prec, latitude,"
            " longitude, country, date_prec, date_start, date_end, best."
        )

    def test_the_needed_columns_in_any_order_are_enough(self) -> None:
        data = (
            b"best,date_end,date_start,date_prec,country,longitude,latitude,where_prec,side_b,"
            b"side_a,type_of_violence,id\n"
            b"3,2020-01-13,2020-01-13,1,Libya,13.2333,32.7833,1,Forces of Khalifa al-Haftar,"
            b"Government of Libya,1,309345\n"
        )
        (row,) = ucdp.read(io.BytesIO(data))
        event = EventRecord.model_validate(row.record)
        assert (event.when, event.fatalities_best, event.title) == (
            "2020-01-13",
            3,
            {"en": "State-based armed clash in Libya"},
        )
