"""The filter form the explorer and the map share: its choices, from the database and the
vocabulary, and what the page's URL has chosen."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from typing import get_args

import pycountry
from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dashboard.i18n import Language, Translator
from app.dashboard.lookup import named_choices
from app.dashboard.words import code, event_type
from app.events.schemas import Verification
from app.events.vocabulary import FAMILIES, VOCABULARY
from app.models import Actor, Location, Process

VERIFICATIONS: tuple[Verification, ...] = get_args(Verification)
# Enough for a select to stay usable; a larger database needs a search box instead.
MAX_CHOICES = 300


@dataclass(frozen=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True)
class ChoiceGroup:
    """An <optgroup>: a type family, offered whole (`family.*`) and type by type."""

    label: str
    choices: list[Choice]


@dataclass(frozen=True)
class FilterForm:
    """The choices of each filter, and the values the URL holds."""

    types: list[ChoiceGroup]
    actors: list[Choice]
    processes: list[Choice]
    countries: list[Choice]
    verifications: list[Choice]
    values: dict[str, str]

    def value(self, name: str) -> str:
        return self.values.get(name, "")


def filter_form(session: Session, request: Request, t: Translator) -> FilterForm:
    """The form for `request`'s page, in `t`'s language."""
    return FilterForm(
        types=_types(t),
        actors=_named(session, Actor, t),
        processes=_named(session, Process, t),
        countries=_countries(session, t.lang),
        verifications=[Choice(v, code(v, t.lang)) for v in VERIFICATIONS],
        values={k: v for k, v in request.query_params.items() if v},
    )


def _types(t: Translator) -> list[ChoiceGroup]:
    groups = []
    for family in FAMILIES:
        members = [e for e in VOCABULARY if e.family == family]
        whole = Choice(
            f"{family}.*", t("filters.type.family", family=t(f"filters.family.{family}"))
        )
        each = [Choice(e.code, event_type(e.code, t.lang)) for e in members]
        groups.append(ChoiceGroup(t(f"filters.family.{family}"), [whole, *each]))
    return groups


def _named(session: Session, model: type[Actor] | type[Process], t: Translator) -> list[Choice]:
    return [Choice(*pair) for pair in named_choices(session, model, t, limit=MAX_CHOICES)]


def _countries(session: Session, lang: Language) -> list[Choice]:
    """The countries some location is in."""
    codes = session.scalars(
        select(Location.country)
        .where(Location.country.is_not(None), Location.deleted_at.is_(None))
        .distinct()
    )
    choices = [Choice(code, country_name(code, lang)) for code in codes if code]
    return sorted(choices, key=lambda choice: choice.text)


def country_name(code: str, lang: Language) -> str:
    """A country's common name in `lang` (ISO 3166 names and their translations)."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    name = str(getattr(country, "common_name", country.name))
    return _country_names(lang).gettext(name) if lang != "en" else name


@cache
def _country_names(lang: Language) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
