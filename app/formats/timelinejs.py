"""Knight Lab TimelineJS3 JSON: `{"title", "events", "eras", "scale"}`, events streamed.

Dates keep only the precision known: a day gives year, month and day; a whole month only year
and month; a whole year only the year; any other span a start and an end day. The slide's
`display_date` states the date in words with its uncertainty, which TimelineJS shows instead
of its own rendering. An open end or an unknown start is drawn on its one known day, an undated
event on the day its record was created (the words say so).

Eras are the phases of the processes the events belong to, asked of `ctx.eras` once the events
have streamed, which is why `eras` follows `events`. TimelineJS rejects an era without both
dates, so an era still running ends with the last event shown and one with an unknown start
begins with the earliest; an era with no date at all is left out (it is not an event).

TimelineJS refuses a timeline without events ("Timeline configuration has no events"), so an
empty export holds one slide, `waqai-no-events`, that says nothing matched, dated on the
export's day. Headlines and texts are HTML in TimelineJS: they are escaped here.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from app.formats.describe import (
    code_words,
    describe_html,
    group_of,
    placement,
    when_words,
    words_language,
)
from app.formats.rendering import ExportedEvent, RenderContext
from app.timelines.schemas import Era

EMPTY_ID = "waqai-no-events"
EMPTY_HEADLINE = {"en": "No events match this export", "ar": "لا أحداث تطابق هذا التصدير"}


@dataclass
class Seen:
    """What the streamed events tell the eras: their processes and the days they cover."""

    process_ids: dict[uuid.UUID, None] = field(default_factory=dict)
    first: dt.date | None = None
    last: dt.date | None = None
    count: int = 0

    def add(self, event: ExportedEvent) -> None:
        """Remember the event's processes and widen the days seen to its own."""
        place = placement(event)
        self.process_ids.update(dict.fromkeys(process["id"] for process in event["processes"]))
        self.first = min(self.first or place.start, place.start)
        self.last = max(self.last or place.end, place.end)
        self.count += 1


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """A TimelineJS3 document: a title slide, one slide per event, then the processes' eras."""
    seen = Seen()
    yield b'{"title":' + orjson.dumps(title_slide(ctx)) + b',\n"events":['
    separator = b"\n"
    for event in events:
        seen.add(event)
        yield separator + orjson.dumps(slide(event, ctx))
        separator = b",\n"
    if not seen.count:
        yield separator + orjson.dumps(empty_slide(ctx))
    eras = ctx.eras(list(seen.process_ids)) if seen.process_ids else []
    rows = [row for era in eras if (row := era_row(era, seen, ctx)) is not None]
    yield b'\n],\n"eras":' + orjson.dumps(rows) + b',\n"scale":"human"}\n'


def title_slide(ctx: RenderContext) -> dict[str, Any]:
    """The opening slide: the export's title (TimelineJS gives it no date)."""
    return {"unique_id": "waqai-title", "text": {"headline": html.escape(ctx.title), "text": ""}}


def date_object(day: dt.date, *, month: bool = True, day_of_month: bool = True) -> dict[str, int]:
    """A TimelineJS date with only the parts that are known."""
    date: dict[str, int] = {"year": day.year}
    if month:
        date["month"] = day.month
        if day_of_month:
            date["day"] = day.day
    return date


def dates(event: ExportedEvent) -> dict[str, Any]:
    """`start_date` (and `end_date` for a span of days) at the precision the bounds allow."""
    place = placement(event)
    if place.shape == "year":
        return {"start_date": date_object(place.start, month=False)}
    if place.shape == "month":
        return {"start_date": date_object(place.start, day_of_month=False)}
    if place.shape == "range":
        return {"start_date": date_object(place.start), "end_date": date_object(place.end)}
    return {"start_date": date_object(place.start)}


def slide(event: ExportedEvent, ctx: RenderContext) -> dict[str, Any]:
    """The event as a TimelineJS slide in the lane `ctx.group_by` puts it in."""
    headline = ctx.text(event["title"], event["original_language"]) or event["type"]
    url = html.escape(ctx.event_url(event["id"]), quote=True)
    return {
        "unique_id": str(event["id"]),
        **dates(event),
        "display_date": when_words(event, ctx.lang),
        "text": {
            "headline": html.escape(headline),
            "text": describe_html(event, ctx) + f'<p><a href="{url}">{url}</a></p>',
        },
        "group": group_of(event, ctx)[1],
        # Source URLs sit in the text between <...>; TimelineJS's autolink would swallow the >.
        "autolink": False,
    }


def empty_slide(ctx: RenderContext) -> dict[str, Any]:
    """The one slide of an empty export, so that TimelineJS shows it instead of an error."""
    headline = EMPTY_HEADLINE[words_language(ctx.lang)]
    return {
        "unique_id": EMPTY_ID,
        "start_date": date_object(ctx.generated_at.date()),
        "text": {"headline": html.escape(headline), "text": ""},
    }


def era_row(era: Era, seen: Seen, ctx: RenderContext) -> dict[str, Any] | None:
    """An era with both dates (see the module docstring), or None when it has no date at all."""
    start = era.start or seen.first
    if start is None:
        return None
    # An era still running is drawn up to the last event shown, not to today: the time axis
    # spans the eras too, and years of empty axis would crush the events into a corner.
    # TimelineJS drops an end equal to the start, then rejects the era for lacking one.
    end = max(era.end or seen.last or ctx.generated_at.date(), start + dt.timedelta(days=1))
    name = ctx.text(era.names)
    return {
        "start_date": date_object(start),
        "end_date": date_object(end),
        "text": {"headline": html.escape(f"{name} ({code_words(era.phase, ctx.lang)})")},
    }
