"""UCDP Georeferenced Event Dataset (GED) CSV files, global or candidate releases.

Any file with at least the columns in REQUIRED is accepted, in any order; the mapping and its
reasons are in docs/interop.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from app.formats import mapping as m
from app.formats.reading import Row, RowError, csv_rows, mapped_rows, require_columns

LAYOUT = "UCDP GED"
REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
)


class Violence(NamedTuple):
    code: str
    label: str
    tag: str


VIOLENCE = {
    "1": Violence("violence.armed_clash", "State-based armed clash", "state-based"),
    "2": Violence("violence.armed_clash", "Non-state armed clash", "non-state"),
    "3": Violence(
        "violence.against_civilians", "One-sided violence against civilians", "one-sided"
    ),
}
ONE_SIDED = "3"
# where_prec is already Waqai's scale (it is UCDP's): 1 exact place ... 7 water or airspace.
WHERE_PREC = {str(level): level for level in range(1, 8)}
# date_prec: 1 day, 2 two to six days, 3 a week, 4 a month, 5 a year.
DATE_PREC = {str(level): level for level in range(1, 6)}
MONTH, YEAR = 4, 5
SOURCE_LISTS = ("office", "date", "headline", "article")


def read(stream: IO[bytes]) -> Iterator[Row]:
    """Events of a UCDP GED CSV file, one row at a time."""
    text, header = m.open_table(stream)
    require_columns(header, REQUIRED, layout=LAYOUT)
    return mapped_rows(csv_rows(text), _build)


def _build(raw: dict[str, str]) -> dict[str, Any]:
    row = m.cells(raw)
    violence = m.code(row["type_of_violence"], "type_of_violence", VIOLENCE)
    precision = m.code(row["where_prec"], "where_prec", WHERE_PREC)
    place = row["where_coordinates"] or row["adm_2"] or row["adm_1"] or row["country"]
    # event_clarity 2: UCDP could not isolate one incident and coded an aggregate.
    clarity = "ucdp:low clarity" if row["event_clarity"] == "2" else ""
    conflict = f"ucdp-conflict:{row['conflict_name']}" if row["conflict_name"] else ""
    return {
        "type": violence.code,
        "when": _when(row),
        "title": {"en": f"{violence.label} in {place}" if place else violence.label},
        "original_language": "en",
        "fatalities_low": m.count(row["low"], "low"),
        "fatalities_best": m.count(row["best"], "best"),
        "fatalities_high": m.count(row["high"], "high"),
        "location": _location(row, place, precision),
        "location_precision": precision,
        "actors": _actors(row, violence),
        "sources": _sources(row),
        "external_ids": {"ucdp": row["id"]} if row["id"] else {},
        "tags": m.tags([f"ucdp:{violence.tag}", clarity, conflict]),
    }


def _when(row: dict[str, str]) -> str:
    """date_start..date_end, widened to the month or year when date_prec says only that much
    is known (GED gives those bounds already; this keeps a slip from becoming a false day)."""
    lower = m.day(row["date_start"], "date_start")
    upper = m.day(row["date_end"], "date_end")
    if upper < lower:
        raise RowError(f"date_end: before date_start {lower.isoformat()} ({row['date_end']})")
    precision = m.code(row["date_prec"], "date_prec", DATE_PREC)
    if precision == MONTH:
        lower = lower.replace(day=1)
        upper = upper.replace(day=calendar.monthrange(upper.year, upper.month)[1])
    elif precision == YEAR:
        lower, upper = dt.date(lower.year, 1, 1), dt.date(upper.year, 12, 31)
    return m.span(lower, upper)


def _location(row: dict[str, str], place: str, precision: int) -> dict[str, Any] | None:
    if not place:
        return None
    return {
        "names": {"en": place},
        "country": m.country_by_name(row["country"]),
        "admin1": row["adm_1"] or None,
        "admin2": row["adm_2"] or None,
        "latitude": m.coordinate(row["latitude"], "latitude", limit=90),
        "longitude": m.coordinate(row["longitude"], "longitude", limit=180),
        "kind": m.place_kind(precision),
    }


def _actors(row: dict[str, str], violence: Violence) -> list[dict[str, Any]]:
    """Side A and side B; in one-sided violence side B is the civilians it was done to."""
    one_sided = violence == VIOLENCE[ONE_SIDED]
    roles = ("initiator", "victim") if one_sided else ("party", "party")
    actors = []
    for side, role in zip(("a", "b"), roles, strict=True):
        name = row[f"side_{side}"]
        if not name:
            continue
        civilians = one_sided and side == "b"
        new_id = row[f"side_{side}_new_id"]
        actors.append(
            {
                "names": {"en": name},
                "kind": "other" if civilians else _kind(name),
                "country": m.state_country(name),
                "external_ids": {"ucdp": new_id} if new_id and not civilians else {},
                "role": role,
            }
        )
    return actors


def _kind(name: str) -> str:
    return "government" if name.startswith("Government of") else "armed_group"


def _sources(row: dict[str, str]) -> list[dict[str, Any]]:
    """One source per outlet in source_office; the other source_* lists are matched to it by
    position, and left out when their item count differs (a headline holding a ';')."""
    count = len(m.split_aligned(row["source_office"])) or len(
        m.split_aligned(row["source_article"])
    )
    columns = [_aligned(row[f"source_{name}"], count) for name in SOURCE_LISTS]
    return [
        _source(*items, original=row["source_original"]) for items in zip(*columns, strict=True)
    ]


def _source(
    office: str, date: str, headline: str, article: str, *, original: str
) -> dict[str, Any]:
    notes = [f"UCDP source_article: {article}" if article else ""]
    notes.append(f"original source: {original}" if original else "")
    note = "; ".join(text for text in notes if text)
    return {
        "outlet": m.english(office),
        "title": headline or None,
        "published_at": _midnight(date) if date else None,
        "note": m.clip(note, m.NOTE_LENGTH) if note else None,
    }


def _aligned(text: str, count: int) -> list[str]:
    parts = m.split_aligned(text)
    if len(parts) == count:
        return parts
    return [text.strip()] if count == 1 else [""] * count


def _midnight(published: str) -> str:
    # A publication day without a time: the start of that day in UTC, never a shifted day.
    return f"{m.day(published, 'source_date').isoformat()}T00:00:00Z"
