"""Which stored actors a name means, across scripts and spellings (حفتر, Haftar, Hifter)."""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select, union
from sqlalchemy.orm import Session

from app.core.text import EmptyQuery, normalize, parse_query, skeleton
from app.search.backends import BACKENDS
from app.search.documents import Document
from app.search.loose import with_alternatives

MIN_SCORE = 0.6


def _labels(names: dict[str, str], aliases: list[Any]) -> list[str]:
    document = Document()
    document.add_names(names, aliases)
    return document.names


def score(query: str, labels: list[str]) -> float:
    """0–1: how well `query` fits the best of these names, by spelling or by consonant skeleton
    (transliterations differ mostly in vowels)."""
    wanted, wanted_key = normalize(query).strip(), skeleton(query)
    best = 0.0
    for label in labels:
        by_text = fuzz.ratio(wanted, normalize(label)) / 100
        by_key = fuzz.ratio(wanted_key, skeleton(label)) / 100 if wanted_key else 0.0
        best = max(best, by_text, 0.95 * by_key)
    return round(best, 3)


def candidates(
    session: Session, model: Any, kind: str, name: str, options: tuple[Any, ...] = ()
) -> list[Any]:
    """Records sharing a word or a skeleton trigram with `name`: few enough to score in full."""
    backend = BACKENDS[session.get_bind().dialect.name]
    parts = []
    if key := skeleton(name):
        parts.append(backend.near_names(kind, key))
    with suppress(EmptyQuery):
        parts.append(backend.matching(kind, with_alternatives(session, kind, parse_query(name))))
    if not parts:
        return []
    ids = union(*parts).subquery()
    stmt = (
        select(model)
        .where(model.id.in_(select(ids.c[0])), model.deleted_at.is_(None))
        .options(*options)
    )
    return list(session.scalars(stmt))


def resolve(
    session: Session,
    model: Any,
    kind: str,
    name: str,
    *,
    limit: int,
    options: tuple[Any, ...] = (),
) -> list[tuple[Any, float]]:
    """The best-matching records with their scores, best first."""
    scored = [
        (record, score(name, _labels(record.names, getattr(record, "aliases", []))))
        for record in candidates(session, model, kind, name, options)
    ]
    kept = [(r, s) for r, s in scored if s >= MIN_SCORE]
    kept.sort(key=lambda pair: (-pair[1], uuid.UUID(str(pair[0].id))))
    return kept[:limit]
