"""What every export renderer shares: the context it renders in and the language rule.

A renderer is a function `render(events, ctx) -> Iterator[bytes]`. `events` is an iterator of
exported events (see `app/formats/export.py` for their keys), already filtered and ordered; a
renderer reads each once and yields bytes as it goes, so memory stays flat whatever the size.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.timelines.schemas import Era

ExportedEvent = dict[str, Any]
Renderer = Callable[[Iterable[ExportedEvent], "RenderContext"], Iterator[bytes]]


@dataclass(frozen=True)
class RenderContext:
    """The request around an export: language, links, title and the processes' phases."""

    lang: str | None
    base_url: str
    title: str
    generated_at: dt.datetime
    eras: Callable[[Collection[uuid.UUID]], list[Era]]
    group_by: str = "type"
    bom: bool = False

    def text(self, localized: Mapping[str, str] | None, original: str | None = None) -> str:
        """Localized text in the chosen language, else the original, else any."""
        return flatten(localized, self.lang, original)

    def event_url(self, event_id: uuid.UUID | str) -> str:
        """Where the event lives in the API."""
        return f"{self.base_url}/v1/events/{event_id}"


def flatten(localized: Mapping[str, str] | None, lang: str | None, original: str | None) -> str:
    """Text in `lang` (or its base language: 'ar' for 'ar-LY'), falling back to the original
    language and then to the first language stored; '' when there is none."""
    if not localized:
        return ""
    for wanted in (lang, original):
        if wanted is None:
            continue
        if wanted in localized:
            return localized[wanted]
        base = wanted.split("-")[0].lower()
        for tag, text in localized.items():
            if tag.split("-")[0].lower() == base:
                return text
    return next(iter(localized.values()))
