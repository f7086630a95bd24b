"""vis-timeline DataSet JSON: `{"items": [...], "groups": [...]}`, items streamed first.

An event known to the day is a "point"; any wider span (several days, a month, a year) is a
"range" from its first day to the day after its last (vis draws `end` as an exclusive instant),
with a `precision-<p>` class and `uncertain`, so a stylesheet can show doubt as, say, a hatched
bar. An open end or an unknown start cannot be drawn as a range without inventing a date, so it
is a point on its one known day, flagged the same way; an undated event sits on the day its
record was created. Groups are the lanes of `ctx.group_by`, collected while the items stream
and written after them. `content` and `title` are HTML in vis-timeline, so they are escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from app.formats.describe import UNBOUNDED, group_of, place_words, placement, when_words
from app.formats.rendering import ExportedEvent, RenderContext


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """Items, one per event, then the groups they use, in order of first use."""
    groups: dict[str, str] = {}
    yield b'{"items":['
    separator = b"\n"
    for event in events:
        key, label = group_of(event, ctx)
        groups.setdefault(key, label)
        yield separator + orjson.dumps(item(event, ctx, key))
        separator = b",\n"
    rows = [
        {"id": key, "content": html.escape(label), "order": order}
        for order, (key, label) in enumerate(groups.items())
    ]
    yield b'\n],"groups":' + orjson.dumps(rows) + b"}\n"


def item(event: ExportedEvent, ctx: RenderContext, group: str) -> dict[str, Any]:
    """The event as a vis-timeline item in lane `group`."""
    place = placement(event)
    data: dict[str, Any] = {
        "id": str(event["id"]),
        "content": html.escape(ctx.text(event["title"], event["original_language"])),
        "start": place.start,
        "type": "point" if place.shape == "day" or place.shape in UNBOUNDED else "range",
        "group": group,
        "className": classes(event, uncertain=place.shape != "day"),
        "title": tooltip(event, ctx),
    }
    if data["type"] == "range":
        data["end"] = place.end + dt.timedelta(days=1)
    return data


def classes(event: ExportedEvent, *, uncertain: bool) -> str:
    """CSS classes for the item: its precision, its verification, and whether the day is known."""
    names = [f"precision-{event['date_precision']}", f"verification-{event['verification']}"]
    return " ".join([*names, "uncertain"] if uncertain else names)


def tooltip(event: ExportedEvent, ctx: RenderContext) -> str:
    """When (in words) and where, as escaped HTML lines."""
    lines = [when_words(event, ctx.lang), place_words(event, ctx)]
    return "<br>".join(html.escape(line) for line in lines if line)
