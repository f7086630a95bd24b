"""Plain words for what pages show: dates with their uncertainty, vocabulary codes, instants,
who made a change. The same words the exports use (app/formats/describe.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from app.core.types import to_utc
from app.events.vocabulary import label
from app.formats.describe import code_words, day_words, fatalities_words, when_words


def when(record: Mapping[str, Any] | Any, lang: str) -> str:
    """'Between 12 and 14 January 2020 (exact day unknown)' for anything with date bounds."""
    fields = ("date_lower", "date_upper", "date_precision")
    if isinstance(record, Mapping):
        values = {name: record.get(name) for name in fields}
    else:
        values = {name: getattr(record, name, None) for name in fields}
    return when_words(values, lang)


def code(value: str | None, lang: str) -> str:
    """A role, stance, relation, verification or polarity as a word of the page's language."""
    return code_words(value, lang) if value else ""


def event_type(value: str, lang: str) -> str:
    """An event type's name ('Ceasefire breach'), or its code if it is not in the vocabulary."""
    return label(value).get(lang, value)


def instant(value: dt.datetime | str | None, lang: str) -> str:
    """'14 January 2020, 10:32 UTC': when a record changed, to the minute."""
    if value is None:
        return ""
    moment = to_utc(dt.datetime.fromisoformat(value) if isinstance(value, str) else value)
    comma = "، " if lang == "ar" else ", "
    return f"{day_words(moment.date(), lang)}{comma}{moment:%H:%M} UTC"


def fatalities(record: Any, lang: str) -> str:
    """'3 (reported range 2–5)'; '' when no figure was given."""
    names = ("fatalities_low", "fatalities_best", "fatalities_high")
    return fatalities_words({name: getattr(record, name) for name in names}, lang)


def in_languages(texts: Mapping[str, str] | None, lang: str) -> list[tuple[str, str]]:
    """A record's text in every language it has, the page's language first, then English."""
    order = {lang: 0, "en": 1}
    return sorted((texts or {}).items(), key=lambda item: order.get(item[0], 2))


LANGUAGE_NAMES = {
    "ar": {"en": "Arabic", "ar": "العربية"},
    "en": {"en": "English", "ar": "الإنجليزية"},
    "fr": {"en": "French", "ar": "الفرنسية"},
    "ru": {"en": "Russian", "ar": "الروسية"},
    "tr": {"en": "Turkish", "ar": "التركية"},
    "de": {"en": "German", "ar": "الألمانية"},
}


def language_name(tag: str, lang: str) -> str:
    """'English' (or 'الإنجليزية') for 'en'; a tag without a name here is shown as it is."""
    return LANGUAGE_NAMES.get(tag.split("-")[0].lower(), {}).get(lang, tag)


def day(value: dt.date | None, lang: str) -> str:
    return day_words(value, lang) if value else ""


def changed_by(label_: str | None) -> str:
    """The name of the key a revision names ('key:<id>:<name>'), or what it names otherwise."""
    if not label_:
        return ""
    kind, _, rest = label_.partition(":")
    _, _, name = rest.partition(":")
    return name if kind == "key" and name else label_


def web_address(url: str | None) -> str | None:
    """A source's address if it is a web page; anything else (javascript:, data:) is no link."""
    if not url:
        return None
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


GLOBALS = {
    "when_words": when,
    "code_words": code,
    "type_words": event_type,
    "instant_words": instant,
    "day_words": day,
    "fatality_words": fatalities,
    "in_languages": in_languages,
    "language_name": language_name,
    "changed_by": changed_by,
    "web_address": web_address,
}
