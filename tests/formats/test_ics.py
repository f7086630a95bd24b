"""iCalendar export, read back by `icalendar.Calendar.from_ical`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar

from app.formats import ics
from tests.formats.exported import (
    BREACH,
    BREACH_TITLE,
    HAFTAR_ASKS_TIME,
    MOSCOW_TALKS,
    PRESSURE_CLAIM,
    TRUCE_DECLARED,
    demo_events,
    exported_event,
    names,
    rendered,
)


def vevents(events: list[dict[str, Any]] | None = None, **context_args: Any) -> dict[str, Any]:
    calendar = Calendar.from_ical(rendered(ics.render, events, **context_args))
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(event_id: object) -> str:
    return f"{event_id}@waqai"


class TestCalendar:
    def test_header_names_the_calendar(self) -> None:
        calendar = Calendar.from_ical(rendered(ics.render))
        assert str(calendar["VERSION"]) == "2.0"
        assert "Waqai" in str(calendar["PRODID"])
        assert str(calendar["X-WR-CALNAME"]) == "Libya, January 2020 — الهدنة"

    def test_lines_end_in_crlf_and_are_folded_at_75_octets(self) -> None:
        body = rendered(ics.render, lang="ar")
        assert body.endswith(b"END:VCALENDAR\r\n")
        lines = body.split(b"\r\n")
        assert all(b"\n" not in line for line in lines)
        assert max(len(line) for line in lines) <= 75
        # A long Arabic title survives folding (which must not split a UTF-8 character).
        assert vevents(lang="ar")[uid(BREACH)]["SUMMARY"] == BREACH_TITLE["ar"]

    def test_every_event_is_in_the_calendar(self) -> None:
        assert set(vevents()) == {uid(event["id"]) for event in demo_events()}

    def test_empty_export_is_a_valid_empty_calendar(self) -> None:
        calendar = Calendar.from_ical(rendered(ics.render, []))
        assert calendar.walk("VEVENT") == []


class TestDates:
    def test_days_are_all_day_dates_with_exclusive_end(self) -> None:
        event = vevents()[uid(BREACH)]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert (type(start), type(end)) == (dt.date, dt.date)  # not datetimes
        assert (start, end) == (dt.date(2020, 1, 12), dt.date(2020, 1, 15))
        assert "VALUE=DATE:20200112" in event.to_ical().decode()

    def test_single_day_ends_the_next_day(self) -> None:
        event = vevents()[uid(MOSCOW_TALKS)]
        assert (event["DTSTART"].dt, event["DTEND"].dt) == (
            dt.date(2020, 1, 13),
            dt.date(2020, 1, 14),
        )

    def test_month_precision_spans_the_month(self) -> None:
        event = vevents()[uid(PRESSURE_CLAIM)]
        assert (event["DTSTART"].dt, event["DTEND"].dt) == (
            dt.date(2020, 1, 1),
            dt.date(2020, 2, 1),
        )
        assert "January 2020 (exact day unknown)" in event["DESCRIPTION"]

    def test_open_end_starts_on_its_day_without_an_end(self) -> None:
        event = vevents()[uid(TRUCE_DECLARED)]
        assert event["DTSTART"].dt == dt.date(2020, 1, 12)
        assert "DTEND" not in event
        assert "DURATION" not in event
        assert "From 12 January 2020 (no end date recorded)" in event["DESCRIPTION"]

    def test_unknown_start_sits_on_its_last_possible_day(self) -> None:
        until = exported_event(
            id=HAFTAR_ASKS_TIME,
            type="other",
            when="../2020-01-14",
            lower=None,
            upper=dt.date(2020, 1, 14),
            precision="open",
            title=names("x", "س"),
        )
        event = vevents([until])[uid(HAFTAR_ASKS_TIME)]
        assert event["DTSTART"].dt == dt.date(2020, 1, 14)
        assert "DTEND" not in event
        assert "On or before 14 January 2020 (start date unknown)" in event["DESCRIPTION"]

    def test_undated_event_is_kept_on_its_record_day_and_says_so(self) -> None:
        undated = exported_event(
            id=HAFTAR_ASKS_TIME,
            type="other",
            when="../..",
            lower=None,
            upper=None,
            precision="open",
            title=names("x", "س"),
        )
        event = vevents([undated])[uid(HAFTAR_ASKS_TIME)]
        assert event["DTSTART"].dt == dt.date(2020, 1, 14)  # created_at
        assert "Date unknown" in event["DESCRIPTION"]
        assert "the day the record was created" in event["DESCRIPTION"]


class TestEventProperties:
    def test_uid_is_stable_across_renders(self) -> None:
        assert list(vevents()) == list(vevents())
        assert uid(BREACH) in vevents()

    def test_sequence_starts_at_zero(self) -> None:
        assert vevents()[uid(BREACH)]["SEQUENCE"] == 2  # version 3
        assert vevents()[uid(TRUCE_DECLARED)]["SEQUENCE"] == 0  # version 1

    def test_dtstamp_is_the_last_change(self) -> None:
        stamp = vevents()[uid(BREACH)]["DTSTAMP"].dt
        assert stamp == dt.datetime(2020, 1, 15, 8, 0, tzinfo=dt.UTC)

    def test_uncertainty_is_stated_in_words(self) -> None:
        description = vevents(lang="en")[uid(BREACH)]["DESCRIPTION"]
        assert description.startswith("When: Between 12 and 14 January 2020 (exact day unknown)")
        assert "Anadolu" in description
        assert "accused" in description

    def test_arabic_summary_and_description_with_lang_ar(self) -> None:
        event = vevents(lang="ar")[uid(BREACH)]
        assert event["SUMMARY"] == BREACH_TITLE["ar"]
        assert event["SUMMARY"].params["LANGUAGE"] == "ar"
        assert "بين 12 و14 يناير 2020 (اليوم غير معروف بالتحديد)" in event["DESCRIPTION"]

    def test_english_summary_with_lang_en(self) -> None:
        assert vevents(lang="en")[uid(BREACH)]["SUMMARY"] == BREACH_TITLE["en"]

    def test_place_link_and_type(self) -> None:
        event = vevents(lang="en")[uid(BREACH)]
        assert event["LOCATION"] == "Tarhuna"
        assert (event["GEO"].latitude, event["GEO"].longitude) == (32.435, 13.6335)
        assert event["URL"] == f"https://waqai.example.org/v1/events/{BREACH}"
        assert event["CATEGORIES"].cats == ["ceasefire.breach"]

    def test_event_without_place_has_no_location_or_geo(self) -> None:
        event = vevents()[uid(HAFTAR_ASKS_TIME)]
        assert "LOCATION" not in event
        assert "GEO" not in event
