"""Keep the search index current in the same transaction as the change it reflects.

Every flush notes which records' text may have changed; just before the transaction commits,
their documents are rebuilt. A change that rolls back leaves the index as it was.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Set
from itertools import chain
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from app.core import bulk
from app.core.sql import one_of
from app.models import (
    Actor,
    Citation,
    Event,
    Location,
    Participation,
    Process,
    SearchDocument,
    Source,
)
from app.search import documents, loose, vocabulary
from app.search.backends import BACKENDS

Key = tuple[str, uuid.UUID]
_PENDING = "search_pending"
# Actors and places first written in this transaction: the events naming them were written or
# changed in it too, and are indexed on their own, so they need not be looked up.
_CREATED = "search_created"
# A name change reaches the events that mention the actor or place.
_EVENTS_OF = {
    "actor": (Participation.event_id, Participation.actor_id),
    "location": (Event.id, Event.location_id),
}


def _affected(obj: Any) -> Iterable[Key]:
    """The documents whose text depends on this changed object."""
    if isinstance(obj, Event):
        yield "event", obj.id
    elif isinstance(obj, Participation | Citation):
        if obj.event_id is not None:
            yield "event", obj.event_id
    elif isinstance(obj, Actor):
        yield "actor", obj.id
    elif isinstance(obj, Location):
        yield "location", obj.id
    elif isinstance(obj, Source):
        yield "source", obj.id
    elif isinstance(obj, Process):
        yield "process", obj.id


def _note_changes(session: Session, _context: Any) -> None:
    pending: set[Key] = session.info.setdefault(_PENDING, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        pending.update(_affected(obj))
    created = (obj.id for obj in session.new if isinstance(obj, Actor | Location))
    session.info.setdefault(_CREATED, set()).update(created)


def index_pending(session: Session) -> None:
    """Bring the index up to date with what the session has changed so far (commit does it
    anyway; a long import calls it per chunk so the list of changes stays short)."""
    session.flush()
    pending: set[Key] | None = session.info.pop(_PENDING, None)
    created: set[uuid.UUID] = session.info.pop(_CREATED, set())
    if pending:
        reindex(session, pending, created=created)


def _forget_pending(session: Session, previous_transaction: Any) -> None:
    # A savepoint rolled back undoes only its own changes, whose stale keys are harmless to
    # reindex (a vanished record loses its document); the changes before it still need theirs.
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
        session.info.pop(_CREATED, None)


def install() -> None:
    """Hook index maintenance, and the lookup of plain words' alternatives, into every
    session (once)."""
    hooks = (
        ("after_flush", _note_changes),
        ("before_commit", index_pending),
        ("after_soft_rollback", _forget_pending),
        ("do_orm_execute", loose.give_alternatives),  # and the query side of the index
    )
    for name, hook in hooks:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def _with_dependent_events(
    session: Session, keys: set[Key], created: Set[uuid.UUID]
) -> dict[str, set[uuid.UUID]]:
    by_kind: dict[str, set[uuid.UUID]] = defaultdict(set)
    for kind, record_id in keys:
        by_kind[kind].add(record_id)
    for kind, (event_id, reference) in _EVENTS_OF.items():
        if named := by_kind.get(kind, set()) - created:
            stmt = select(event_id).where(one_of(session, reference, named))
            found = session.scalars(stmt)
            by_kind["event"].update(i for i in found if i is not None)
    return by_kind


def reindex(session: Session, keys: set[Key], *, created: Set[uuid.UUID] = frozenset()) -> None:
    """Rebuild the documents of these records, and of the events naming a changed actor or
    place (not one `created` in this transaction)."""
    loose.forget(session)
    for kind, ids in _with_dependent_events(session, keys, created).items():
        if not ids:
            continue
        docs = documents.BUILDERS[kind](session, ids)
        old = session.scalars(
            delete(SearchDocument)
            .where(SearchDocument.kind == kind, one_of(session, SearchDocument.record_id, ids))
            .returning(SearchDocument.terms)
        )
        before = {term for terms in old for term in terms.split()}
        _unlist_unheld(session, kind, before - _write(session, kind, docs))


def index_new(session: Session, kind: str, docs: documents.Documents) -> None:
    """Index records written just now, from their text in hand (an import's new events): they
    have no document to replace, and nothing needs reading back."""
    loose.forget(session)
    _write(session, kind, docs)


def _write(session: Session, kind: str, docs: documents.Documents) -> set[str]:
    """Store the documents and list their terms; the terms."""
    rows = [_row(kind, rid, doc) for rid, doc in docs.items()]
    bulk.insert_rows(session, SearchDocument, rows)
    terms = {term for row in rows for term in str(row["terms"]).split()}
    vocabulary.add(session, kind, terms)
    return terms


def _row(kind: str, record_id: uuid.UUID, doc: documents.Document) -> dict[str, Any]:
    lower, upper = doc.sort_keys or (None, None)
    return {
        "kind": kind,
        "record_id": record_id,
        "terms": doc.terms,
        "keys": doc.keys,
        "event_sort_lower": lower,
        "event_sort_upper": upper,
    }


def _unlist_unheld(session: Session, kind: str, terms: set[str]) -> None:
    """Unlist the terms these documents no longer hold, unless another document holds them."""
    # One statement for them all: a query per term made a large reindex (an as-of read
    # rewinding many records) slow, 1,325 queries for the demo data.
    candidates = {term for term in terms if vocabulary.listed(term)}
    if not candidates:
        return
    backend = BACKENDS[session.get_bind().dialect.name]
    vocabulary.drop(session, kind, candidates - backend.held(session, kind, candidates))


def reindex_all(session: Session, batch: int = 1000) -> int:
    """Rebuild the whole index (after a migration adds it, or to repair it); returns documents."""
    session.execute(delete(SearchDocument))
    vocabulary.clear(session)
    total = 0
    for kind, model in documents.MODELS.items():
        ids = list(session.scalars(select(model.id).where(model.deleted_at.is_(None))))
        for start in range(0, len(ids), batch):
            reindex(session, {(kind, i) for i in ids[start : start + batch]})
        total += len(ids)
    return total


def is_missing(session: Session) -> bool:
    """Records exist but none is indexed, or documents exist but no term is listed: a database
    from before the index, or before its vocabulary, was added."""
    indexed = session.scalar(select(SearchDocument.id).limit(1))
    if indexed is not None:
        return session.scalar(select(vocabulary.VOCABULARY.c.id).limit(1)) is None
    return any(
        session.scalar(select(model.id).limit(1)) is not None for model in documents.MODELS.values()
    )
