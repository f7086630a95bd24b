"""Atom (RFC 4287): a feed of events, newest first as the caller orders them, written by hand
so that it streams (feed libraries build the whole document in memory).

The feed's author is the service, "Waqai": it publishes the records. The outlets that report
each event are named inside the entry's content with what they assert or deny, never as the
entry's author, because the service does not speak for them and they did not write the entry.

The feed id is a name-based UUID of the base URL and the feed title, so the same export asked
again keeps its id. There is no rel="self" link: the renderer does not know the request's URL,
and a wrong one would make feed readers drop the query's filters when they follow it.

Text is escaped for XML and stripped of the control characters XML 1.0 forbids; titles carry
`xml:lang` of the language they were picked in, and the HTML content sets `dir` so Arabic
reads right to left.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from app.core.types import to_utc
from app.formats.describe import (
    describe_html,
    language_of,
    place_words,
    when_words,
)
from app.formats.rendering import ExportedEvent, RenderContext

SERVICE = "Waqai"
FOOTER = b"</feed>\n"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """An Atom feed with one entry per event, in the order given (newest first)."""
    yield header(ctx).encode()
    for event in events:
        yield entry(event, ctx).encode()
    yield FOOTER


def text(value: str) -> str:
    """Character data, escaped and cleaned for XML."""
    return escape(_NOT_XML.sub("", value))


def attr(value: str) -> str:
    """An attribute value with its quotes, escaped and cleaned for XML."""
    return quoteattr(_NOT_XML.sub("", value))


def instant(value: dt.datetime) -> str:
    """An RFC 3339 timestamp in UTC with a 'Z'."""
    return to_utc(value).isoformat().replace("+00:00", "Z")


def feed_id(ctx: RenderContext) -> str:
    """A stable id for this feed: the same base URL and title give the same id."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{ctx.base_url}#{ctx.title}')}"


def header(ctx: RenderContext) -> str:
    """The XML declaration, the feed's opening tag and its metadata."""
    lang = f" xml:lang={attr(ctx.lang)}" if ctx.lang else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom"{lang}>\n'
        f"  <id>{feed_id(ctx)}</id>\n"
        f'  <title type="text">{text(ctx.title)}</title>\n'
        f"  <updated>{instant(ctx.generated_at)}</updated>\n"
        f'  <link rel="alternate" href={attr(ctx.base_url + "/")}/>\n'
        f"  <author><name>{SERVICE}</name><uri>{text(ctx.base_url + '/')}</uri></author>\n"
        f"  <generator uri={attr(ctx.base_url + '/')}>{SERVICE}</generator>\n"
    )


def entry(event: ExportedEvent, ctx: RenderContext) -> str:
    """One event as an Atom entry."""
    title = ctx.text(event["title"], event["original_language"]) or event["type"]
    title_lang = language_of(event["title"], title)
    lang = f" xml:lang={attr(title_lang)}" if title_lang else ""
    url = ctx.event_url(event["id"])
    label = ctx.text(event["type_label"], "en") or event["type"]
    return (
        "  <entry>\n"
        f"    <id>urn:uuid:{event['id']}</id>\n"
        f'    <title type="text"{lang}>{text(title)}</title>\n'
        f"    <updated>{instant(event['updated_at'])}</updated>\n"
        f"    <published>{instant(event['created_at'])}</published>\n"
        f'    <link rel="alternate" href={attr(url)}/>\n'
        f"    <category term={attr(event['type'])} label={attr(label)}"
        f" scheme={attr(ctx.base_url + '/v1/event-types')}/>\n"
        f'    <summary type="text">{text(summary(event, ctx))}</summary>\n'
        f'    <content type="html">{text(describe_html(event, ctx))}</content>\n'
        "  </entry>\n"
    )


def summary(event: ExportedEvent, ctx: RenderContext) -> str:
    """When and where, in one line."""
    place = place_words(event, ctx)
    return when_words(event, ctx.lang) + (f" — {place}" if place else "")
