"""Revisions: every change to a record, written in the same transaction as the change."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from app.core import bulk
from app.core.auth import Principal
from app.core.context import request_id
from app.core.errors import Inconsistent, UnknownReference
from app.models import Revision

M = TypeVar("M", bound=BaseModel)
# The table itself: bulk rows go in through Core, not through the ORM's bulk path.
REVISIONS = cast(Table, Revision.__table__)


def record(session: Session, **change: Any) -> Revision:
    """Append one revision row for a change just flushed (`change`: the keywords of
    `revision_values`)."""
    revision = Revision(**revision_values(session, **change))
    session.add(revision)
    session.flush()
    return revision


def revision_values(
    session: Session,
    *,
    entity_type: str,
    entity_id: uuid.UUID,
    version: int,
    op: str,
    by: Principal,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None = None,
) -> dict[str, Any]:
    """The columns of a revision row for a change (`record` writes one, `record_many` many)."""
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "version": version,
        "op": op,
        "by": by.label,
        "request_id": request_id.get(),
        "reason": reason,
        "before": before,
        "after": after,
        "txid": transaction_id(session),
    }


def record_many(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append many revision rows at once (`revision_values`), as a bulk writer does: one
    statement whose new ids nobody reads back, where an object per row cost the ORM's
    bookkeeping and a RETURNING of every id."""
    if rows:
        bulk.insert_rows(session, Revision, rows)


_TXID = "waqai_txid"


def transaction_id(session: Session) -> int:
    """PostgreSQL's id of the session's current transaction (asked once per transaction);
    0 on SQLite, where the single writer makes revision ids commit-ordered already."""
    if session.get_bind().dialect.name != "postgresql":
        return 0
    root = session.get_transaction()
    cached = session.info.get(_TXID)
    if cached is not None and cached[0] is root:
        return int(cached[1])
    txid = int(session.scalar(text("SELECT pg_current_xact_id()::text::bigint")) or 0)
    session.info[_TXID] = (root, txid)
    return txid


# Where a rewound session keeps the state of the data it was rewound from.
DATA_VERSION = "data_version"

# The transactions writing to this database, other than this session's: their commits are
# the changes the newest revision id may not show. (A role sees other roles' transactions only
# with pg_read_all_stats; Waqai's own workers write as one role.)
WRITING = text(
    "(SELECT string_agg(backend_xid::text, ',' ORDER BY backend_xid::text)"
    " FROM pg_stat_activity"
    " WHERE datname = current_database() AND backend_xid IS NOT NULL"
    " AND pid <> pg_backend_pid())"
)


def data_version(session: Session) -> str:
    """A name for the state of the data this session reads, which changes whenever a change
    is committed: the newest revision id, which SQLite, committing one writer at a time, gives
    in commit order. On PostgreSQL a revision given an earlier id can commit after one given a
    later id, and the newest id would not show it: the name adds the transactions writing to
    this database now, so the commit of any of them changes it (a transaction that takes a
    revision id has one; writers elsewhere on the server do not count). A rewound session
    (app.history.rewind) carries the state of the data it was rewound from."""
    if (known := session.info.get(DATA_VERSION)) is not None:
        return str(known)
    newest = select(func.max(Revision.id)).scalar_subquery()
    if session.get_bind().dialect.name != "postgresql":
        return str(session.scalar(select(newest)))
    return "/".join(str(part) for part in session.execute(select(newest, WRITING)).one())


def list_for(session: Session, *, entity_type: str, entity_id: uuid.UUID) -> Sequence[Revision]:
    """A record's revisions, oldest first."""
    stmt = (
        select(Revision)
        .where(Revision.entity_type == entity_type, Revision.entity_id == entity_id)
        .order_by(Revision.version, Revision.id)
    )
    return session.scalars(stmt).all()


def at_version(
    session: Session, *, entity_type: str, entity_id: uuid.UUID, version: int
) -> Revision | None:
    """The revision that brought a record to `version` (None if it never had that version)."""
    stmt = (
        select(Revision)
        .where(
            Revision.entity_type == entity_type,
            Revision.entity_id == entity_id,
            Revision.version == version,
        )
        .order_by(Revision.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def fields_at(
    session: Session,
    *,
    entity_type: str,
    entity_id: uuid.UUID,
    version: int,
    shape: type[M],
    adapt: Callable[[dict[str, Any]], dict[str, Any]] = lambda fields: fields,
) -> M:
    """The record's own fields as they were at `version`, as an update of `shape` (a PATCH
    schema), ready to be applied as a revert; 422 naming `version` if that cannot be."""
    wanted = at_version(session, entity_type=entity_type, entity_id=entity_id, version=version)
    if wanted is None or wanted.after is None:
        raise UnknownReference(
            f"version: the {entity_type} {entity_id} has no version {version} to go back to; "
            "see its revisions.",
            field="version",
        )
    fields = {k: v for k, v in adapt(wanted.after).items() if k in shape.model_fields}
    try:
        return shape.model_validate(fields)
    except ValidationError as exc:
        raise Inconsistent(
            f"version: version {version} can no longer be applied: {exc}", field="version"
        ) from exc
