"""Import jobs: a file being loaded, its progress and its outcome, kept in the database so that
any worker can answer for it and a restart can tell which jobs died."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.ids import uuid7
from app.models.base import Base, utcnow


class ImportJob(Base):
    __tablename__ = "import_jobs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    format: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str | None] = mapped_column(String(500))
    mode: Mapped[str] = mapped_column(String(20))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    # queued → running → succeeded | rejected (atomic, nothing written) | failed (crashed)
    state: Mapped[str] = mapped_column(String(20), index=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]]
    errors: Mapped[list[Any]]
    rejected_csv: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)
