"""iCalendar (RFC 5545): one VCALENDAR, one all-day VEVENT per event, written as it goes.

The calendar's header is serialised once and each VEVENT is emitted on its own, so memory
holds one event whatever the size; the `icalendar` library does the escaping, CRLF line ends
and the folding of long lines at 75 octets.

Dates are DATE values (all-day), never times, so they cannot shift with a reader's time zone:

* both bounds known (one day, several days, a month, a year): DTSTART is the first day and
  DTEND the day after the last (DTEND is exclusive); a calendar shows the whole span in which
  the event happened, and the DESCRIPTION says in words how certain the day is;
* open end (`2020-01-12/..`): DTSTART only, which RFC 5545 reads as that one day. A calendar
  cannot draw "from the 12th, end unknown" honestly, so it shows the day the event began;
* unknown start (`../2020-01-14`): DTSTART on the last possible day, said in the description;
* no date at all: DTSTART on the day the record was created, said in the description.

Nothing is dropped: every event gets a VEVENT, and the first line of the DESCRIPTION always
states the date with its uncertainty ("Between 12 and 14 January 2020 (exact day unknown)").
DTSTAMP is the record's `updated_at` (no METHOD, so it stands for the last modification) and
SEQUENCE is `version - 1`, since RFC 5545 starts SEQUENCE at 0 and Waqai's versions at 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from icalendar import Calendar, Event

from app.core.types import to_utc
from app.formats.describe import (
    UNBOUNDED,
    day_words,
    describe,
    language_of,
    placement,
    words_language,
)
from app.formats.rendering import ExportedEvent, RenderContext

PRODID = "-//Waqai//Waqai event export//EN"
FOOTER = b"END:VCALENDAR\r\n"
PLACED_NOTE = {
    "en": "Shown on {day}, the day the record was created: the event has no date.",
    "ar": "يظهر في {day}، يوم إنشاء السجل: الحدث بلا تاريخ.",
}


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """A VCALENDAR with one all-day VEVENT per event."""
    yield header(ctx)
    for event in events:
        yield vevent(event, ctx).to_ical()
    yield FOOTER


def header(ctx: RenderContext) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties, without its END line."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", ctx.title)  # RFC 7986; X-WR-CALNAME for the clients that predate it
    calendar.add("x-wr-calname", ctx.title)
    serialised: bytes = calendar.to_ical()
    return serialised.removesuffix(FOOTER)


def vevent(event: ExportedEvent, ctx: RenderContext) -> Event:
    """The event as an all-day VEVENT (see the module docstring for the date rules)."""
    item = Event()
    item.add("uid", f"{event['id']}@waqai")
    item.add("dtstamp", to_utc(event["updated_at"]))
    item.add("created", to_utc(event["created_at"]))
    item.add("last-modified", to_utc(event["updated_at"]))
    item.add("sequence", max(event["version"] - 1, 0))
    _add_dates(item, event)
    title = ctx.text(event["title"], event["original_language"])
    language = language_of(event["title"], title)
    item.add("summary", title, parameters={"LANGUAGE": language} if language else {})
    # No LANGUAGE here: the labels follow the export's language, names and quotes their own.
    item.add("description", description(event, ctx))
    item.add("url", ctx.event_url(event["id"]))
    item.add("categories", [event["type"]])
    _add_place(item, event, ctx)
    return item


def _add_dates(item: Event, event: ExportedEvent) -> None:
    place = placement(event)
    item.add("dtstart", place.start)
    if place.shape not in UNBOUNDED:
        item.add("dtend", place.end + dt.timedelta(days=1))


def _add_place(item: Event, event: ExportedEvent, ctx: RenderContext) -> None:
    location = event["location"]
    if location is None:
        return
    name = ctx.text(location["names"], event["original_language"])
    if name:
        item.add("location", name)
    if location["latitude"] is not None and location["longitude"] is not None:
        item.add("geo", (location["latitude"], location["longitude"]))


def description(event: ExportedEvent, ctx: RenderContext) -> str:
    """The plain-text account, plus where an undated event was placed and the event's link."""
    text = describe(event, ctx)
    if event["date_lower"] is None and event["date_upper"] is None:
        lang = words_language(ctx.lang)
        day = day_words(placement(event).start, lang)
        text += "\n" + PLACED_NOTE[lang].format(day=day)
    return f"{text}\n{ctx.event_url(event['id'])}"
