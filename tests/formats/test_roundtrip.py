"""Export → import loses nothing: a property over events full of Arabic, quotes, commas and
newlines, for Waqai's CSV and NDJSON."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import csv_table, ndjson
from app.formats.record import DERIVED_FIELDS, EventRecord
from app.formats.rendering import RenderContext

# Arabic letters and marks, Latin, digits, and the characters that break naive CSV writers.
ARABIC = "ابتثجحخدذرسشصضطظعغفقكلمنهويىةءأإآؤئ" + "\u064e\u0651ـ"
TRICKY = [",", '"', "'", "\n", "\r", ";", "=", "+", "-", "@", "\t", "{", "["]
ALPHABET = st.sampled_from([*ARABIC, *"AbcXyz019 ", *TRICKY])
TEXT = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda t: t.strip() == t and t != "")
LANGS = st.sampled_from(["ar", "en", "fr"])
TYPES = st.sampled_from(["ceasefire.breach", "negotiation.talks", "violence.shelling", "other"])
WHENS = st.sampled_from(
    ["2020-01-13", "2020-01-12/2020-01-14", "2020-01", "2020-01~", "../2020-01-14"]
)


@st.composite
def localized(draw: st.DrawFn, original: str) -> dict[str, str]:
    extra = draw(st.dictionaries(LANGS, TEXT, max_size=2))
    return {original: draw(TEXT), **extra}


@st.composite
def exported_events(draw: st.DrawFn) -> dict[str, Any]:
    original = draw(LANGS)
    low = draw(st.one_of(st.none(), st.integers(0, 5)))
    located = draw(st.booleans())
    return {
        "id": uuid.UUID(int=draw(st.integers(1, 2**64))),
        "type": draw(TYPES),
        "type_label": {"en": "x"},
        "when": draw(WHENS),
        "date_lower": None,
        "date_upper": None,
        "date_precision": "day",
        "title": draw(localized(original)),
        "summary": draw(st.one_of(st.none(), localized(original))),
        "original_language": original,
        "status": "published",
        "retraction_reason": None,
        "verification": draw(st.sampled_from(["unverified", "disputed"])),
        "fatalities_low": low,
        "fatalities_best": None if low is None else low + draw(st.integers(0, 3)),
        "fatalities_high": None,
        "location": {
            "id": uuid.UUID(int=7),
            "names": draw(localized(original)),
            "country": "LBY",
            "admin1": draw(st.one_of(st.none(), TEXT)),
            "admin2": None,
            "latitude": draw(st.floats(-90, 90)),
            "longitude": draw(st.floats(-180, 180)),
            "kind": "town",
            "geonames_id": None,
        }
        if located
        else None,
        "location_precision": 2 if located else None,
        "actors": [
            {
                "id": uuid.UUID(int=9),
                "names": draw(localized(original)),
                "kind": "armed_group",
                "country": None,
                "external_ids": {},
                "role": "accused",
                "stance": None,
                "stance_when": None,
            }
        ],
        "sources": [
            {
                "id": uuid.UUID(int=11),
                "outlet": {"en": "Anadolu Agency"},
                "outlet_kind": "news_agency",
                "url": None,
                "title": draw(TEXT),
                "language": "ar",
                "published_at": dt.datetime(2020, 1, 14, tzinfo=dt.UTC),
                "polarity": draw(st.sampled_from(["asserts", "denies"])),
                "quote": draw(TEXT),
                "quote_language": "ar",
                "note": None,
            }
        ],
        "processes": [],
        "external_ids": draw(st.dictionaries(st.sampled_from(["acled", "ucdp"]), TEXT, max_size=2)),
        "tags": draw(st.lists(TEXT, max_size=3, unique=True)),
        "version": 1,
        "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }


CTX = RenderContext(
    lang="en",
    base_url="http://test",
    title="t",
    generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    eras=lambda ids: [],
)


def as_record(event: dict[str, Any]) -> EventRecord:
    return EventRecord.model_validate({k: v for k, v in event.items() if k not in DERIVED_FIELDS})


@pytest.mark.parametrize("module", [csv_table, ndjson], ids=["csv", "ndjson"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=st.lists(exported_events(), min_size=1, max_size=4))
def test_an_export_imports_back_unchanged(module: Any, events: list[dict[str, Any]]) -> None:
    data = b"".join(module.render(events, CTX))
    rows = list(module.read(io.BytesIO(data)))
    assert [row.error for row in rows] == [None] * len(events)
    assert [EventRecord.model_validate(row.record) for row in rows] == [
        as_record(event) for event in events
    ]


@settings(max_examples=10, deadline=None)
@given(event=exported_events())
def test_csv_with_a_bom_and_crlf_reads_back(event: dict[str, Any]) -> None:
    data = b"".join(csv_table.render([event], RenderContext(**{**CTX.__dict__, "bom": True})))
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    (row,) = csv_table.read(io.BytesIO(data))
    assert EventRecord.model_validate(row.record) == as_record(event)
