"""GDELT event exports read into Waqai event records, and the CAMEO and FIPS lookups."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pycountry
import pytest

from app.formats import gdelt
from app.formats.reading import FileRejected, Row
from app.formats.record import EventRecord

SAMPLES = Path(__file__).parent / "samples"


def read(name: str) -> list[Row]:
    with (SAMPLES / name).open("rb") as stream:
        return list(gdelt.read(stream))


def records(name: str = "gdelt_events.tsv") -> list[dict[str, Any]]:
    """Every row's record, checked by EventRecord as the import pipeline will check it."""
    rows = read(name)
    assert [row.error for row in rows if row.error] == []
    return [EventRecord.model_validate(row.record).model_dump() for row in rows]


class TestByCameo:
    @pytest.mark.parametrize(
        ("code", "type_code"),
        [
            ("0871", "ceasefire.declared"),
            ("196", "ceasefire.breach"),
            ("046", "negotiation.talks"),
            ("190", "violence.armed_clash"),
            ("043", "political.meeting"),
            ("044", "political.meeting"),
            ("1951", "violence.air_strike"),  # base code 195
            ("193", "violence.armed_clash"),  # root 19 → 190
            ("1411", "protest.demonstration"),
            ("0874", "other"),  # retreat: nothing under 08 but the truce
            ("145", "other"),
        ],
    )
    def test_code_base_root_then_other(self, code: str, type_code: str) -> None:
        assert gdelt.by_cameo(code) == type_code


class TestEvents:
    def test_event_codes_become_types(self) -> None:
        assert [event["type"] for event in records()] == [
            "ceasefire.declared",
            "ceasefire.breach",
            "negotiation.talks",
            "violence.armed_clash",
        ]

    def test_sqldate_is_the_day(self) -> None:
        assert [event["when"] for event in records()] == [
            "2020-01-12",
            "2020-01-13",
            "2020-01-13",
            "2020-01-14",
        ]

    def test_title_id_and_tags(self) -> None:
        truce = records()[0]
        assert truce["title"] == {"en": "Declare truce, ceasefire (CAMEO 0871): LIBYA → TURKEY"}
        assert truce["external_ids"] == {"gdelt": "902345671"}
        assert truce["tags"] == ["cameo:0871", "cameo-root:08"]
        assert records()[3]["title"] == {"en": "Fight (CAMEO 193): LIBYA"}

    def test_actors_with_cameo_codes_and_direction(self) -> None:
        russia, libya = records()[2]["actors"]
        assert (russia["names"], russia["kind"], russia["role"], russia["country"]) == (
            {"en": "RUSSIA"},
            "state",
            "initiator",
            "RUS",
        )
        assert russia["external_ids"] == {"cameo": "RUS"}
        assert (libya["kind"], libya["role"], libya["external_ids"]) == (
            "government",
            "target",
            {"cameo": "LBYGOV"},
        )

    def test_military_and_rebels(self) -> None:
        military, rebels = records()[1]["actors"]
        assert (military["kind"], rebels["kind"]) == ("armed_forces", "armed_group")


class TestLocation:
    def test_fips_country_codes_become_iso(self) -> None:
        tripoli, tarhuna, moscow = (event["location"] for event in records()[:3])
        assert (tripoli["names"], tripoli["country"]) == (
            {"en": "Tripoli, Tarabulus, Libya"},
            "LBY",
        )
        assert (tarhuna["latitude"], tarhuna["longitude"]) == (32.435, 13.634)
        assert moscow["country"] == "RUS"  # FIPS RS is Russia, not Serbia

    def test_a_city_is_exact_and_a_country_is_a_country(self) -> None:
        events = records()
        assert events[0]["location_precision"] == 1
        assert (events[3]["location_precision"], events[3]["location"]["kind"]) == (6, "country")


class TestSources:
    def test_sourceurl_is_the_source(self) -> None:
        (source,) = records()[0]["sources"]
        assert source["url"] == (
            "https://www.aa.com.tr/en/africa/libya-ceasefire-takes-effect/1699211"
        )

    def test_a_named_source_without_url_is_an_outlet(self) -> None:
        (source,) = records()[3]["sources"]
        assert (source["url"], source["outlet"]) == (None, {"en": "BBC Monitoring"})


class TestGdelt1:
    @staticmethod
    def as_version_1(line: str, *, url: bool) -> bytes:
        cells = dict(zip(gdelt.LAYOUTS[61], line.rstrip("\n").split("\t"), strict=True))
        layout = gdelt.LAYOUTS[58 if url else 57]
        return ("\t".join(cells[name] for name in layout) + "\n").encode()

    @pytest.mark.parametrize("url", [True, False])
    def test_the_1_0_layouts_read_the_same_event(self, url: bool) -> None:
        line = (SAMPLES / "gdelt_events.tsv").read_text(encoding="utf-8").splitlines()[1]
        (row,) = gdelt.read(io.BytesIO(self.as_version_1(line, url=url)))
        event = EventRecord.model_validate(row.record)
        assert (event.type, event.when, event.location_precision) == (
            "ceasefire.breach",
            "2020-01-13",
            1,
        )
        assert bool(event.sources) is url

    def test_a_header_line_is_skipped(self) -> None:
        data = "\t".join(gdelt.LAYOUTS[61]).encode() + b"\n"
        data += (SAMPLES / "gdelt_events.tsv").read_bytes()
        rows = list(gdelt.read(io.BytesIO(data)))
        assert [row.line for row in rows] == [2, 3, 4, 5]


class TestBadRows:
    def test_each_bad_row_names_its_line_column_and_value(self) -> None:
        rows = read("gdelt_bad.tsv")
        assert [(row.line, row.error) for row in rows] == [
            (1, "SQLDATE: no such day (20200231)"),
            (2, "ActionGeo_Lat: not a number (abc)"),
            (3, "EventCode: not a CAMEO event code (X96)"),
            (4, None),
        ]


class TestBadFiles:
    def test_a_wrong_column_count_is_named(self) -> None:
        with pytest.raises(FileRejected, match=r"line 1: 3 tab-separated columns; .* has 61"):
            list(gdelt.read(io.BytesIO(b"a\tb\tc\n")))

    def test_a_short_line_later_in_the_file_is_named(self) -> None:
        line = (SAMPLES / "gdelt_events.tsv").read_bytes().splitlines()[0]
        data = line + b"\n" + line.rsplit(b"\t", 1)[0] + b"\n"
        with pytest.raises(FileRejected, match=r"line 2: 60 columns where line 1 has 61"):
            list(gdelt.read(io.BytesIO(data)))

    def test_a_comma_separated_export(self) -> None:
        with pytest.raises(FileRejected, match=r"separated by commas, not tabs"):
            list(gdelt.read(io.BytesIO(b"GLOBALEVENTID,SQLDATE,EventCode\n1,20200112,0871\n")))

    def test_an_empty_file(self) -> None:
        with pytest.raises(FileRejected, match=r"The file is empty\."):
            list(gdelt.read(io.BytesIO(b"\n")))


class TestFipsTable:
    def test_says_where_it_comes_from(self) -> None:
        first = gdelt.FIPS_TABLE.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# FIPS 10-4")

    def test_every_code_once_and_every_country_a_real_iso_code(self) -> None:
        with gdelt.FIPS_TABLE.open(encoding="utf-8") as table:
            rows = list(csv.DictReader(line for line in table if not line.startswith("#")))
        codes = [row["fips"] for row in rows]
        assert len(codes) == len(set(codes))
        assert all(len(code) == 2 for code in codes)
        for row in rows:
            assert not row["iso3"] or pycountry.countries.get(alpha_3=row["iso3"]), row

    def test_covers_every_iso_country_fips_names(self) -> None:
        mapped = set(gdelt.fips_countries().values())
        # Aland (part of Finland) and Bonaire have no FIPS 10-4 code of their own.
        missing = {country.alpha_3 for country in pycountry.countries} - mapped
        assert missing == {"ALA", "BES"}
