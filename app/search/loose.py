"""A plain word that no record holds also finds the words it is most likely a slip of.

Why a fallback, and not fuzzy matching always or on request: a word the index holds is taken
at its word, so "Haftar", "هدنة" or "ceasefire" find exactly what they found before, at the
same cost, and a rare real word is never drowned by look-alikes; a word that no record of the
kind holds would find nothing at all, so a misspelling ("cesefire", "Hafter"), an unfinished
word ("Tarhun", "ceasef") or a spelling nobody used ("Tarhona") is worth a second look. The
user needs no syntax for it (a search box is not where people learn operators), and quotes
keep meaning "exactly this": only words typed plainly are loosened, never excluded words.

A word's alternatives (app.search.vocabulary) are the listed terms of the kind one letter off
it (for words of 4 letters or more) and those containing it (3 or more): one-letter-off first,
then shorter words first, at most MAX_ALTERNATIVES, any of which then matches in its place.
They are looked up in Python before the statement runs, and sorted there by code point, so both
databases get the very same question, and it is a constant one: PostgreSQL plans with a
constant tsquery as it did (with one computed inside the statement it sorted every match of a
common word: 18 ms -> 41 ms on 100,000 events).
"""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from sqlalchemy import select, union
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from app.core.text import SearchQuery
from app.search.backends import BACKENDS, TextMatch
from app.search.vocabulary import MIN_NEAR, VARIANTS, VOCABULARY, listed, variants

MAX_ALTERNATIVES = 20
_LOOKED_UP = "search_alternatives"


def with_alternatives(session: Session, kind: str, query: SearchQuery) -> SearchQuery:
    """`query`, each plain word that no record of `kind` holds given its alternatives."""
    # A request asks twice (whether the word is common, then the page); an export, per batch.
    looked_up: dict[tuple[str, SearchQuery], SearchQuery] = session.info.setdefault(_LOOKED_UP, {})
    if (kind, query) not in looked_up:
        looked_up[kind, query] = _look_up(session, kind, query)
    return looked_up[kind, query]


def forget(session: Session) -> None:
    """Forget the alternatives looked up in this session (the vocabulary is changing)."""
    session.info.pop(_LOOKED_UP, None)


def _look_up(session: Session, kind: str, query: SearchQuery) -> SearchQuery:
    words = [word for word in query.words if listed(word)]
    if not words:
        return query
    known = set(
        session.scalars(
            select(VOCABULARY.c.term).where(VOCABULARY.c.kind == kind, VOCABULARY.c.term.in_(words))
        )
    )
    unknown = [word for word in words if word not in known]
    if not unknown:
        return query
    found = tuple((word, alternatives(session, kind, word)) for word in unknown)
    return dataclasses.replace(query, alternatives=found)


def alternatives(session: Session, kind: str, word: str) -> tuple[str, ...]:
    """The listed terms of `kind` one letter off `word` or containing it, nearest first."""
    spelled = variants(word)
    candidates = [BACKENDS[session.get_bind().dialect.name].containing(kind, word)]
    if len(word) >= MIN_NEAR:
        candidates.append(
            select(VARIANTS.c.term).where(VARIANTS.c.kind == kind, VARIANTS.c.variant.in_(spelled))
        )
    terms = set(session.scalars(union(*candidates) if len(candidates) > 1 else candidates[0]))
    # Ordered in Python, by code point: the same on both databases whatever their collation.
    ranked = sorted(terms, key=lambda term: (not spelled & variants(term), len(term), term))
    return tuple(ranked[:MAX_ALTERNATIVES])


def give_alternatives(state: ORMExecuteState) -> None:
    """Session hook: before a query runs, its text matches get their words' alternatives (a
    statement run outside a session matches plain words exactly)."""
    statement = state.statement
    if not state.is_select or not isinstance(statement, ClauseElement):
        return
    # A text match opts its statement out of the compiled cache (TextMatch.inherit_cache), so
    # a statement with a cache key holds none. The key is made for the cache anyway, once;
    # walking every statement of a request looking for matches cost a tenth of a timeline page.
    if statement._generate_cache_key() is not None:
        return
    replaced: dict[int, TextMatch] = {}
    for element in visitors.iterate(statement):
        if isinstance(element, TextMatch) and id(element) not in replaced:
            query = with_alternatives(state.session, element.kind, element.query)
            if query is not element.query:
                replaced[id(element)] = element.asking(query)
    if replaced:

        def replace(element: Any, **_kw: Any) -> TextMatch | None:
            return replaced.get(id(element))

        state.statement = cast(Executable, visitors.replacement_traverse(statement, {}, replace))
