"""The event form: what it shows (the choices, the values an editor typed or the event holds)
and what it sends (the API's own EventCreate / EventUpdate, ParticipationCreate, CitationCreate,
so the form obeys exactly the API's rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import WaqaiError
from app.dashboard.i18n import Translator
from app.dashboard.session import PostedForm
from app.dashboard.words import code, language_name
from app.events.schemas import (
    CitationCreate,
    EventCreate,
    EventDetail,
    EventUpdate,
    ParticipationCreate,
    Polarity,
    Role,
    Stance,
)
from app.events.vocabulary import VOCABULARY
from app.models import Actor, Location, Source

LANGUAGES = ("ar", "en")
# The workflow's steps an editor takes here; retracting (with a reason) is done through the API.
STATUSES = ("draft", "in_review", "published")
OWN_FIELDS = ("type", "original_language", "when", "location_id", "location_precision", "status")
PARTICIPANT_FIELDS = ("actor", "role", "stance")
CITATION_FIELDS = ("source", "claimant", "polarity", "quote", "quote_language", "translation")
Values = dict[str, Any]


@dataclass
class Problems:
    """What the API said was wrong with a save: its detail and the fields it names."""

    detail: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, error: WaqaiError | ValidationError, where: str = "") -> Problems:
        if isinstance(error, ValidationError):
            fields = [(where + ".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
            return cls("", fields)  # the page says it in its own language
        named = [(".".join(map(str, e.loc[1:])), e.msg) for e in error.errors or []]
        return cls(error.detail, named)


def choices(session: Session, t: Translator) -> dict[str, Any]:
    """The lists the form's selects offer, names in the page's language."""

    def named(model: type[Actor] | type[Location]) -> list[tuple[str, str]]:
        rows = session.execute(select(model.id, model.names).where(model.deleted_at.is_(None)))
        return sorted(((str(i), t.pick(n)) for i, n in rows), key=lambda pair: pair[1])

    sources = session.execute(select(Source.id, Source.title).where(Source.deleted_at.is_(None)))
    lang = t.lang
    return {
        "types": [(e.code, e.ar if lang == "ar" else e.en) for e in VOCABULARY],
        "actors": named(Actor),
        "locations": named(Location),
        "sources": sorted(((str(i), title or str(i)) for i, title in sources), key=lambda p: p[1]),
        "roles": _coded(get_args(Role), lang),
        "stances": _coded(get_args(Stance), lang),
        "polarities": _coded(get_args(Polarity), lang),
        "languages": [(code, language_name(code, lang)) for code in LANGUAGES],
        "precisions": [("1", t("editor.precision_exact"))]
        + [(str(n), t(f"event.precision.{n}")) for n in range(2, 8)],
        "statuses": [(s, t(f"event.status.{s}")) for s in STATUSES],
    }


def _coded(codes: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    return [(value, code(value, lang)) for value in codes]


def values_of(event: EventDetail) -> Values:
    """The form's values for an event as stored."""
    values: Values = {name: _text(getattr(event, name)) for name in OWN_FIELDS}
    for lang in LANGUAGES:
        values[f"title_{lang}"] = event.title.get(lang, "")
        values[f"summary_{lang}"] = (event.summary or {}).get(lang, "")
    values["version"] = str(event.version)
    return values


def values_posted(form: PostedForm) -> Values:
    """The form's values as the editor typed them (kept when a save fails)."""
    names = (
        *OWN_FIELDS,
        "version",
        *(f"{k}_{lang}" for k in ("title", "summary") for lang in LANGUAGES),
    )
    values: Values = {name: form.text(name) for name in names}
    for row, fields in (("participant", PARTICIPANT_FIELDS), ("citation", CITATION_FIELDS)):
        values[row + "s"] = _rows(form, row, fields)
    return values


def _rows(form: PostedForm, row: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    columns = {name: form.texts(f"{row}_{name}") for name in fields}
    count = max((len(column) for column in columns.values()), default=0)
    return [{name: (columns[name] + [""] * count)[i] for name in fields} for i in range(count)]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _localized(values: Values, name: str) -> dict[str, str] | None:
    texts = {lang: values[f"{name}_{lang}"] for lang in LANGUAGES if values.get(f"{name}_{lang}")}
    return texts or None


def own_fields(values: Values) -> dict[str, Any]:
    """The event's own fields from the form, as the API's request body would carry them."""
    body: dict[str, Any] = {
        "type": values["type"],
        "original_language": values["original_language"],
        "when": values["when"],
        "title": _localized(values, "title") or {},
        "summary": _localized(values, "summary"),
        "location_id": values["location_id"] or None,
        "location_precision": int(values["location_precision"])
        if values["location_precision"].isdigit()
        else None,
    }
    if values["status"]:
        body["status"] = values["status"]
    return body


def participants(values: Values) -> list[ParticipationCreate]:
    """The participant rows the editor filled in (a row without an actor is left out)."""
    return [
        ParticipationCreate.model_validate(
            {"actor_id": row["actor"], "role": row["role"], "stance": row["stance"] or None}
        )
        for row in values["participants"]
        if row["actor"]
    ]


def citations(values: Values) -> list[CitationCreate]:
    """The citation rows the editor filled in (a row without a source is left out)."""
    return [
        CitationCreate.model_validate(_citation(row))
        for row in values["citations"]
        if row["source"]
    ]


def _citation(row: dict[str, str]) -> dict[str, Any]:
    quote_language = row["quote_language"] or None
    translation_language = "en" if quote_language != "en" else "ar"
    return {
        "source_id": row["source"],
        "claimant_actor_id": row["claimant"] or None,
        "polarity": row["polarity"] or "asserts",
        "quote": row["quote"] or None,
        "quote_language": quote_language if row["quote"] else None,
        "translations": {translation_language: row["translation"]} if row["translation"] else {},
    }


def new_event(values: Values) -> EventCreate:
    """The API's create request for the form: the event with its participants and citations."""
    body = own_fields(values)
    body["participants"] = [p.model_dump() for p in participants(values)]
    body["citations"] = [c.model_dump() for c in citations(values)]
    return EventCreate.model_validate(body)


def changes(values: Values, event: EventDetail) -> EventUpdate:
    """The API's update request: only the fields whose value differs from the stored event."""
    body = own_fields(values)
    stored = own_fields(values_of(event))
    return EventUpdate.model_validate({k: v for k, v in body.items() if v != stored.get(k)})
