"""The words the index holds, per kind of record: what a misspelt or unfinished word is near.

A plain word of a query that no record of a kind holds is most likely misspelt ("cesefire",
"Hafter") or unfinished ("Tarhun", "ceasef"); app.search.loose then looks for it here. Each
term is listed with its variants one letter shorter, so "one letter off" (dropping a letter
from either word or both makes them equal: a letter added, dropped, changed or moved) is an
equality lookup on an ordinary index, the same SQL and the same answer on SQLite and
PostgreSQL; terms containing a word are found through a trigram index (FTS5's trigram
tokenizer, pg_trgm), and containing is containing on both.

Kept in the same transaction as the documents (app.search.indexing): a term is listed while
at least one document of its kind holds it. (On PostgreSQL, a term that one transaction adds
to a document while another removes its last holder can stay unlisted until a document holding
it changes again; its word is then only loosened when it need not be.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Text, cast, column, delete, func, select, table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

# Named search_fts* so the ORM metadata leaves them to the migration (app.core.migrations).
VOCABULARY = table("search_fts_vocabulary", column("id"), column("kind"), column("term"))
VARIANTS = table("search_fts_variants", column("kind"), column("variant"), column("term"))
TRIGRAMS = table("search_fts_vocabulary_trigrams")  # SQLite only: FTS5 over VOCABULARY.term

MIN_CONTAINED = 3  # a shorter piece is a part of too many words to mean one of them
MIN_NEAR = 4  # one letter off a shorter word is another word ("war", "car", "bar")


def listed(term: str) -> bool:
    """Whether the term is listed: words of three letters or more; numbers are never near."""
    return len(term) >= MIN_CONTAINED and not term.isdigit()


def variants(term: str) -> set[str]:
    """The term and every way of dropping one of its letters: two words are one letter off
    when their variants meet."""
    return {term} | {term[:i] + term[i + 1 :] for i in range(len(term))}


def _insert(session: Session) -> type[sqlite.Insert] | type[postgresql.Insert]:
    return sqlite.Insert if session.get_bind().dialect.name == "sqlite" else postgresql.Insert


def add(session: Session, kind: str, terms: Iterable[str]) -> None:
    """List these terms of documents of `kind` (those already listed are left as they are)."""
    # Sorted, so that concurrent writers take the rows in one order and never deadlock.
    rows = [{"kind": kind, "term": term} for term in sorted(set(terms)) if listed(term)]
    if not rows:
        return
    insert = _insert(session)
    new = session.execute(
        insert(VOCABULARY).on_conflict_do_nothing().returning(VOCABULARY.c.term), rows
    ).scalars()
    spelled = [
        {"kind": kind, "variant": variant, "term": term}
        for term in new
        for variant in sorted(variants(term))
    ]
    if spelled:
        session.execute(insert(VARIANTS).on_conflict_do_nothing(), spelled)


def drop(session: Session, kind: str, terms: Iterable[str]) -> None:
    """Unlist terms that no document of `kind` holds any more."""
    ordered = sorted(set(terms))
    if not ordered:
        return
    spelled = sorted({variant for term in ordered for variant in variants(term)})
    session.execute(
        delete(VARIANTS).where(
            VARIANTS.c.kind == kind,
            VARIANTS.c.variant.in_(select(each(session, spelled))),
            VARIANTS.c.term.in_(select(each(session, ordered))),
        )
    )
    session.execute(
        delete(VOCABULARY).where(
            VOCABULARY.c.kind == kind, VOCABULARY.c.term.in_(select(each(session, ordered)))
        )
    )


def each(session: Session, values: Sequence[str]) -> ColumnElement[Any]:
    """`values` as the rows of a column, sent in one parameter (a JSON array on SQLite, an
    array on PostgreSQL): as thousands of parameters, the 5,600 variants of 1,000 terms took
    PostgreSQL 0.19 s to plan a delete that then ran in 2 ms."""
    if session.get_bind().dialect.name == "postgresql":
        return func.unnest(cast(list(values), ARRAY(Text))).column_valued("value")
    return func.json_each(json.dumps(list(values))).table_valued("value").c.value


def clear(session: Session) -> None:
    """Unlist every term (the index is being rebuilt)."""
    session.execute(delete(VARIANTS))
    session.execute(delete(VOCABULARY))
