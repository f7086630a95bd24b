"""The event form: what it shows (the choices, the values an editor typed or the event holds)
and what it sends (the API's own EventCreate / EventUpdate, ParticipationCreate / Update,
CitationCreate / Update, so the form obeys exactly the API's rules).

An event's form has two kinds of participant and citation rows: those the event holds
(`current_participants`, `current_citations`: each keyed by its id, with its version, its
editable fields and a "remove" box) and blank ones to add more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import WaqaiError
from app.dashboard.i18n import Translator
from app.dashboard.lookup import named_choices
from app.dashboard.session import PostedForm
from app.dashboard.words import code, event_type, language_name
from app.events.schemas import (
    CitationCreate,
    CitationRead,
    CitationUpdate,
    EventCreate,
    EventDetail,
    EventUpdate,
    ParticipationCreate,
    ParticipationRead,
    ParticipationUpdate,
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
FORM_FIELDS = (
    *OWN_FIELDS,
    "version",
    *(f"{name}_{lang}" for name in ("title", "summary") for lang in LANGUAGES),
)
PARTICIPANT_FIELDS = ("actor", "role", "stance", "note")
CITATION_FIELDS = ("source", "claimant", "polarity", "quote", "quote_language", "translation")
# What the row of a participant or citation the event holds posts besides its fields.
ROW_KEYS = ("version", "remove")
Kind = Literal["participant", "citation"]
KINDS: tuple[Kind, ...] = ("participant", "citation")
FIELDS: dict[Kind, tuple[str, ...]] = {
    "participant": PARTICIPANT_FIELDS,
    "citation": CITATION_FIELDS,
}
Values = dict[str, Any]
Row = dict[str, str]
# What a select offers: each value and its label, in the order shown.
Options = dict[str, str]


@dataclass
class Problems:
    """What the API said was wrong with a save: its detail and the fields it names."""

    detail: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # The participant's or citation's row the problem is about (`participant_<id>`): the row
    # shows it, and the box at the top of the form only leads there.
    row: str = ""

    @classmethod
    def of(cls, error: WaqaiError | ValidationError, row: str = "") -> Problems:
        if isinstance(error, ValidationError):
            fields = [(".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
            return cls("", fields, row)  # the page says it in its own language
        named = [(".".join(map(str, e.loc[1:])), e.msg) for e in error.errors or []]
        return cls(error.detail, named, row)


def choices(session: Session, t: Translator) -> dict[str, Options]:
    """What the form's selects offer, names in the page's language. Built once per page: every
    select and every held row names its actor or source by a lookup here, not by a search."""
    sources = session.execute(select(Source.id, Source.title).where(Source.deleted_at.is_(None)))
    lang = t.lang
    return {
        "types": {e.code: event_type(e.code, lang) for e in VOCABULARY},
        "actors": dict(named_choices(session, Actor, t)),
        "locations": dict(named_choices(session, Location, t)),
        "sources": dict(
            sorted(((str(i), title or str(i)) for i, title in sources), key=lambda p: p[1])
        ),
        "roles": _coded(get_args(Role), lang),
        "stances": _coded(get_args(Stance), lang),
        "polarities": _coded(get_args(Polarity), lang),
        "languages": {code: language_name(code, lang) for code in LANGUAGES},
        "precisions": {"1": t("editor.precision_exact")}
        | {str(n): t(f"event.precision.{n}") for n in range(2, 8)},
        "statuses": {s: t(f"event.status.{s}") for s in STATUSES},
    }


def _coded(codes: tuple[str, ...], lang: str) -> Options:
    return {value: code(value, lang) for value in codes}


def values_of(event: EventDetail) -> Values:
    """The form's values for an event as stored."""
    values: Values = {name: _text(getattr(event, name)) for name in OWN_FIELDS}
    for lang in LANGUAGES:
        values[f"title_{lang}"] = event.title.get(lang, "")
        values[f"summary_{lang}"] = (event.summary or {}).get(lang, "")
    values["version"] = str(event.version)
    values["current_participants"] = [participant_row(part) for part in event.participants]
    values["current_citations"] = [citation_row(cite) for cite in event.citations]
    return values


def participant_row(part: ParticipationRead) -> Row:
    """A participant the event holds, as its row of the form."""
    fields = {"actor": part.actor_id, "role": part.role, "stance": part.stance, "note": part.note}
    return _held_row(part.id, part.version, fields)


def citation_row(cite: CitationRead) -> Row:
    """A citation the event holds, as its row of the form (with one translation: _citation)."""
    fields = {
        "source": cite.source_id,
        "claimant": cite.claimant_actor_id,
        "polarity": cite.polarity,
        "quote": cite.quote,
        "quote_language": cite.quote_language,
        "translation": cite.translations.get(_translation_language(cite.quote_language), ""),
    }
    return _held_row(cite.id, cite.version, fields)


def _held_row(item_id: object, version: int, fields: Mapping[str, object]) -> Row:
    row = {name: _text(value) for name, value in fields.items()}
    return row | {"id": str(item_id), "version": str(version), "remove": ""}


def values_posted(form: PostedForm) -> Values:
    """The form's values as the editor typed them (kept when a save fails)."""
    values: Values = {name: form.text(name) for name in FORM_FIELDS}
    for kind in KINDS:
        values[kind + "s"] = _rows(form, kind, FIELDS[kind])
        values[f"current_{kind}s"] = _held_rows(form, kind)
    return values


def _held_rows(form: PostedForm, kind: Kind) -> list[Row]:
    """The rows of the participants or citations the event held when the form was loaded.
    Their fields are named after their id (`participant_<id>_role`), so that an unticked
    "remove" box, which a browser does not send, still belongs to its row."""
    return [
        {name: form.text(f"{kind}_{item_id}_{name}") for name in (*FIELDS[kind], *ROW_KEYS)}
        | {"id": item_id}
        for item_id in form.texts(f"current_{kind}")
    ]


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
        ParticipationCreate.model_validate(_participant(row))
        for row in values["participants"]
        if row["actor"]
    ]


def _participant(row: Row) -> dict[str, Any]:
    return {
        "actor_id": row["actor"],
        "role": row["role"],
        "stance": row["stance"] or None,
        "note": row["note"] or None,
    }


def citations(values: Values) -> list[CitationCreate]:
    """The citation rows the editor filled in (a row without a source is left out)."""
    return [
        CitationCreate.model_validate(_citation(row))
        for row in values["citations"]
        if row["source"]
    ]


def _translation_language(quote_language: str | None) -> str:
    """The form offers one translation: into English, or into Arabic for an English quote."""
    return "en" if quote_language != "en" else "ar"


def _citation(row: Row) -> dict[str, Any]:
    quote_language = row["quote_language"] or None
    translation_language = _translation_language(quote_language)
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


def _differing(body: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """A PATCH body: only the fields whose value differs from the stored one."""
    return {name: value for name, value in body.items() if value != stored.get(name)}


def changes(values: Values, event: EventDetail) -> EventUpdate:
    """The API's update request: only the fields whose value differs from the stored event."""
    return EventUpdate.model_validate(_differing(own_fields(values), own_fields(values_of(event))))


def _participant_changes(row: Row, held: ParticipationRead) -> ParticipationUpdate:
    """The API's PATCH of a participant: what the editor changed in its row."""
    return ParticipationUpdate.model_validate(
        _differing(_participant(row), _participant(participant_row(held)))
    )


def _citation_changes(row: Row, held: CitationRead) -> CitationUpdate:
    """The API's PATCH of a citation: what the editor changed in its row. The row shows one
    translation; the citation's translations into other languages are kept."""
    before = _citation(citation_row(held))
    body = _differing(_citation(row), before)
    if "translations" in body:
        others = {k: v for k, v in held.translations.items() if k not in before["translations"]}
        body["translations"] = others | body["translations"]
    return CitationUpdate.model_validate(body)


@dataclass(frozen=True)
class RowForm:
    """How a kind of row is read: its API request body, and the PATCH of what the editor
    changed in the row of one the event holds (`held`: that kind's ParticipationRead or
    CitationRead)."""

    body: Callable[[Row], dict[str, Any]]
    changes: Callable[[Row, Any], ParticipationUpdate | CitationUpdate]


ROW_FORMS: dict[Kind, RowForm] = {
    "participant": RowForm(_participant, _participant_changes),
    "citation": RowForm(_citation, _citation_changes),
}


def row_changes(
    kind: Kind, row: Row, held: ParticipationRead | CitationRead
) -> ParticipationUpdate | CitationUpdate:
    """The PATCH of the participant or citation `held`: what the editor changed in its row."""
    return ROW_FORMS[kind].changes(row, held)


@dataclass(frozen=True)
class Difference:
    """After a 412: a field where the saved event now differs from what the editor typed."""

    field: str
    yours: str
    # What is saved now; None when the participant or citation was removed meanwhile.
    saved: str | None
    # For a participant's or citation's field: which kind, and its actor's or source's id.
    kind: str = ""
    about: str = ""


def differences(values: Values, saved: Values) -> list[Difference]:
    """Every field of the form where the saved event differs from the editor's values."""
    own = [
        Difference(name, values.get(name, ""), saved[name])
        for name in FORM_FIELDS
        if name != "version" and values.get(name, "") != saved[name]
    ]
    return own + [item for kind in KINDS for item in _row_differences(kind, values, saved)]


def _row_differences(kind: Kind, values: Values, saved: Values) -> list[Difference]:
    """Compared as the API would receive them, so a field the form fills in by default (the
    language of a citation without a quote) is no difference."""
    now = {row["id"]: row for row in saved[f"current_{kind}s"]}
    about = "actor" if kind == "participant" else "source"
    found = []
    for row in values[f"current_{kind}s"]:
        held = now.get(row["id"])
        if held is None:
            found.append(Difference("", _typed(kind, row), None, kind, row[about]))
            continue
        yours, stored = ROW_FORMS[kind].body(row), ROW_FORMS[kind].body(held)
        found += [
            Difference(name, _shown(yours[name]), _shown(stored[name]), kind, held[about])
            for name in _differing(yours, stored)
        ]
    return found


def _typed(kind: Kind, row: Row) -> str:
    """What the editor typed in a row whose record is gone, to copy it elsewhere if need be."""
    words = ("role", "stance", "note") if kind == "participant" else ("quote", "translation")
    return " · ".join(row[name] for name in words if row[name])


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return " / ".join(map(str, value.values()))
    return _text(value)


def rebased(values: Values, saved: Values) -> Values:
    """The editor's values on top of the saved event, to save again on purpose: the versions
    saved now, the rows others added meanwhile, without the rows others removed."""
    rows = {}
    for kind in KINDS:
        typed = {row["id"]: row for row in values[f"current_{kind}s"]}
        rows[f"current_{kind}s"] = [
            typed[row["id"]] | {"version": row["version"]} if row["id"] in typed else row
            for row in saved[f"current_{kind}s"]
        ]
    return values | rows | {"version": saved["version"]}
