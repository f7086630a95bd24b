"""The `q` parameter every searchable list shares."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from app.core.errors import bad_query_parameter
from app.core.text import EmptyQuery, SearchQuery, parse_query
from app.search.backends import BACKENDS, TextMatch
from app.search.loose import with_alternatives

MAX_QUERY_LENGTH = 500

TextQuery = Annotated[
    str | None,
    Query(
        description="Text search in Arabic and English: words (Arabic clitics, diacritics and "
        "English endings ignored; a word no record holds also finds words one letter off it or "
        'containing it), "quoted phrases" (exactly), -excluded words.',
        examples=["حفتر", '"وقف إطلاق النار" -تركيا'],
        max_length=MAX_QUERY_LENGTH,
    ),
]


def search_query(q: str) -> SearchQuery:
    """The parsed text query; one with nothing to look for is refused (422)."""
    try:
        return parse_query(q)
    except EmptyQuery as exc:
        raise bad_query_parameter("q", f"q {q!r}: {exc}", str(exc), "query_empty") from exc


def text_filter(id_column: Any, kind: str, q: str | None) -> list[ColumnElement[bool]]:
    """Records of `kind` whose text matches `q` (no condition without `q`)."""
    return [TextMatch(id_column, kind, search_query(q))] if q is not None else []


def is_common(session: Session, q: SearchQuery | None) -> bool:
    """Whether `q` matches so many events that timeline pages should walk the timeline."""
    if q is None:
        return False
    backend = BACKENDS[session.get_bind().dialect.name]
    return backend.common(session, with_alternatives(session, "event", q))
