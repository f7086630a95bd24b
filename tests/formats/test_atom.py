"""Atom export, read back by `feedparser`."""

from __future__ import annotations

from typing import Any

import feedparser

from app.formats import atom
from tests.formats.exported import (
    BREACH,
    BREACH_TITLE,
    GENERATED_AT,
    SIALA_STATEMENT,
    TRICKY_TITLE,
    context,
    demo_events,
    rendered,
)


def newest_first() -> list[dict[str, Any]]:
    return sorted(demo_events(), key=lambda event: event["updated_at"], reverse=True)


def parse(events: list[dict[str, Any]] | None = None, **context_args: Any) -> Any:
    feed = feedparser.parse(
        rendered(atom.render, newest_first() if events is None else events, **context_args)
    )
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def entry(feed: Any, event_id: object) -> Any:
    return next(item for item in feed.entries if item.id == f"urn:uuid:{event_id}")


class TestFeed:
    def test_is_well_formed_atom(self) -> None:
        feed = parse()
        assert feed.version == "atom10"
        assert feed.feed.title == "Libya, January 2020 — الهدنة"
        assert feed.feed.updated_parsed[:6] == GENERATED_AT.timetuple()[:6]
        assert feed.feed.author == "Waqai"
        assert feed.feed.id.startswith("urn:uuid:")

    def test_feed_id_is_stable(self) -> None:
        assert parse().feed.id == parse().feed.id

    def test_entries_keep_the_given_order(self) -> None:
        ids = [item.id for item in parse().entries]
        assert ids == [f"urn:uuid:{event['id']}" for event in newest_first()]
        assert ids[0] == f"urn:uuid:{SIALA_STATEMENT}"

    def test_empty_export_is_a_valid_feed(self) -> None:
        feed = parse([])
        assert feed.entries == []
        assert feed.feed.title


class TestEntry:
    def test_ids_links_and_dates(self) -> None:
        item = entry(parse(), BREACH)
        assert item.link == context().event_url(BREACH)
        assert item.updated_parsed[:5] == (2020, 1, 15, 8, 0)
        assert item.published_parsed[:5] == (2020, 1, 14, 18, 0)
        assert [tag.term for tag in item.tags] == ["ceasefire.breach"]

    def test_arabic_title_is_intact_and_tagged(self) -> None:
        item = entry(parse(lang="ar"), BREACH)
        assert item.title == BREACH_TITLE["ar"]
        assert item.title_detail.language == "ar"

    def test_markup_characters_in_titles_are_escaped(self) -> None:
        raw = rendered(atom.render, newest_first(), lang="en")
        assert b"&lt;unconfirmed&gt;" in raw
        assert b"UAE &amp; Saudi" in raw
        assert entry(parse(lang="en"), SIALA_STATEMENT).title == TRICKY_TITLE["en"]
        assert entry(parse(lang="ar"), SIALA_STATEMENT).title == TRICKY_TITLE["ar"]

    def test_content_states_the_date_and_attributes_claims_to_sources(self) -> None:
        item = entry(parse(lang="en"), BREACH)
        assert item.summary.startswith("Between 12 and 14 January 2020 (exact day unknown)")
        html = item.content[0].value
        assert "Anadolu, 14 January 2020 (asserts)" in html
        assert "author" not in item or item.author == "Waqai"  # sources are never authors

    def test_arabic_content_reads_right_to_left(self) -> None:
        html = entry(parse(lang="ar"), BREACH).content[0].value
        assert html.startswith('<div dir="rtl">')
        assert "الأناضول" in html

    def test_control_characters_cannot_break_the_xml(self) -> None:
        event = demo_events()[1]
        event["title"] = {"en": "bell\x07 and vertical tab\x0b"}
        assert parse([event]).entries[0].title == "bell and vertical tab"
