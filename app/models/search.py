"""The search index: one row of normalised terms per searchable record."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SearchDocument(Base):
    """The terms (app.core.text.terms) of a record's text in every language it is stored in.

    The backend-specific index over `terms` (FTS5 on SQLite, a GIN tsvector index on PostgreSQL)
    is created by the migration, outside this metadata (see app.search.backends)."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "record_id"),
        # The events holding a word in timeline order (app.events.filters.TextWalk).
        Index(
            "ix_search_documents_event_timeline",
            "kind",
            "event_sort_lower",
            "event_sort_upper",
            "record_id",
        ),
    )

    # An integer key: SQLite's FTS5 external-content table joins on it as its rowid.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[uuid.UUID] = mapped_column()
    terms: Mapped[str] = mapped_column(Text)
    # The consonant skeletons of its names (actors, locations), for matching across scripts.
    keys: Mapped[str] = mapped_column(Text, default="")
    # An event's document carries copies of the event's sort keys (rewritten with it).
    event_sort_lower: Mapped[dt.date | None] = mapped_column(Date)
    event_sort_upper: Mapped[dt.date | None] = mapped_column(Date)
