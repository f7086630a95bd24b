"""Who publishes (outlets) and what they published (sources)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Record


class Outlet(Record):
    __tablename__ = "outlets"

    names: Mapped[dict[str, Any]]
    country: Mapped[str | None] = mapped_column(String(3))
    language: Mapped[str | None] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(20))
    affiliation: Mapped[str | None] = mapped_column(Text)


class Source(Record):
    __tablename__ = "sources"

    outlet_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    url: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    published_at: Mapped[dt.datetime | None]
    retrieved_at: Mapped[dt.datetime | None]
    archived_url: Mapped[str | None] = mapped_column(String(2048))
    content_hash: Mapped[str | None] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(Text)
