"""Exported events for renderer tests, built in memory with the flavour of the seed article.

The January 2020 Libyan truce: the breaches at Tarhuna (12–14 January, attributed to the 9th
Brigade), the truce itself (open end), the Moscow talks, Haftar asking for time (no place),
a month-precision claim about foreign pressure, and a statement whose text carries quotes,
commas, newlines and `<&>`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from app.formats.rendering import ExportedEvent, RenderContext
from app.timelines.schemas import Era

BASE_URL = "https://waqai.example.org"
GENERATED_AT = dt.datetime(2020, 2, 1, 12, 0, tzinfo=dt.UTC)

TRUCE = uuid.UUID("0190a000-0000-7000-8000-000000000001")
BREACH = uuid.UUID("0190a000-0000-7000-8000-000000000101")
TRUCE_DECLARED = uuid.UUID("0190a000-0000-7000-8000-000000000102")
MOSCOW_TALKS = uuid.UUID("0190a000-0000-7000-8000-000000000103")
HAFTAR_ASKS_TIME = uuid.UUID("0190a000-0000-7000-8000-000000000104")
PRESSURE_CLAIM = uuid.UUID("0190a000-0000-7000-8000-000000000105")
SIALA_STATEMENT = uuid.UUID("0190a000-0000-7000-8000-000000000106")

TARHUNA = (13.6335, 32.4350)  # (lon, lat)
MOSCOW = (37.6173, 55.7558)
LIBYA = (17.2283, 26.3351)

BREACH_TITLE = {
    "ar": "خروقات للهدنة في ترهونة تُنسب إلى اللواء التاسع (الكانيات)",
    "en": "Truce breaches at Tarhuna attributed to the 9th Brigade (al-Kaniyat)",
}
TRICKY_TITLE = {
    "ar": 'سيالة: "ضغوط" على حفتر، من مصر والإمارات\nوالسعودية <&>',
    "en": 'Siala: Egypt, UAE & Saudi Arabia "pressured" Haftar <unconfirmed>',
}


def names(en: str, ar: str) -> dict[str, str]:
    """Localized names in both demo languages."""
    return {"en": en, "ar": ar}


def location(
    *, en: str, ar: str, point: tuple[float, float] | None, country: str | None = "LBY"
) -> dict[str, Any]:
    """A place as the export inlines it; `point` is (lon, lat)."""
    lon, lat = point if point else (None, None)
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, f"location:{en}"),
        "names": names(en, ar),
        "country": country,
        "admin1": None,
        "admin2": None,
        "latitude": lat,
        "longitude": lon,
        "kind": "city",
        "geonames_id": None,
    }


def actor(*, en: str, ar: str, role: str, stance: str | None = None) -> dict[str, Any]:
    """An actor with its part in the event."""
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, f"actor:{en}"),
        "names": names(en, ar),
        "kind": "armed_group",
        "country": "LBY",
        "external_ids": {},
        "role": role,
        "stance": stance,
        "stance_when": "2020-01-14" if stance else None,
    }


def source(*, outlet_en: str, outlet_ar: str, quote: str | None = None) -> dict[str, Any]:
    """A citing source published on 14 January 2020."""
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, f"source:{outlet_en}"),
        "outlet": names(outlet_en, outlet_ar),
        "outlet_kind": "news_agency",
        "url": f"https://news.example.org/{outlet_en.lower().replace(' ', '-')}?a=1&b=2",
        "title": None,
        "language": "ar",
        "published_at": dt.datetime(2020, 1, 14, 9, 30, tzinfo=dt.UTC),
        "polarity": "asserts",
        "quote": quote,
        "quote_language": "ar" if quote else None,
        "note": None,
    }


def truce_process(relation: str) -> dict[str, Any]:
    """The 12 January truce, related to an event by `relation`."""
    return {
        "id": TRUCE,
        "names": names("Libya truce of 12 January 2020", "هدنة 12 يناير 2020 في ليبيا"),
        "kind": "ceasefire",
        "relation": relation,
    }


def exported_event(
    *,
    id: uuid.UUID,
    type: str,
    when: str,
    lower: dt.date | None,
    upper: dt.date | None,
    precision: str,
    title: dict[str, str],
    type_label: dict[str, str] | None = None,
    place: dict[str, Any] | None = None,
    actors: Sequence[dict[str, Any]] = (),
    sources: Sequence[dict[str, Any]] = (),
    processes: Sequence[dict[str, Any]] = (),
    fatalities: tuple[int | None, int | None, int | None] = (None, None, None),
    version: int = 1,
    updated_at: dt.datetime = dt.datetime(2020, 1, 15, 8, 0, tzinfo=dt.UTC),
) -> ExportedEvent:
    """One exported event with every key the export writes."""
    return {
        "id": id,
        "type": type,
        "type_label": type_label or {"en": type, "ar": type},
        "when": when,
        "date_lower": lower,
        "date_upper": upper,
        "date_precision": precision,
        "title": title,
        "summary": None,
        "original_language": "ar",
        "status": "published",
        "verification": "unverified",
        "fatalities_low": fatalities[0],
        "fatalities_best": fatalities[1],
        "fatalities_high": fatalities[2],
        "location": place,
        "location_precision": 1 if place else None,
        "actors": list(actors),
        "sources": list(sources),
        "processes": list(processes),
        "external_ids": {},
        "tags": [],
        "version": version,
        "created_at": dt.datetime(2020, 1, 14, 18, 0, tzinfo=dt.UTC),
        "updated_at": updated_at,
    }


def breach() -> ExportedEvent:
    """Breaches of the truce at Tarhuna, 12–14 January 2020, per Anadolu's sources."""
    event = exported_event(
        id=BREACH,
        type="ceasefire.breach",
        type_label={"en": "A truce is violated (alleged or confirmed)", "ar": "خرق الهدنة"},
        when="2020-01-12/2020-01-14",
        lower=dt.date(2020, 1, 12),
        upper=dt.date(2020, 1, 14),
        precision="days",
        title=BREACH_TITLE,
        place=location(en="Tarhuna", ar="ترهونة", point=TARHUNA),
        actors=[
            actor(en="9th Brigade (al-Kaniyat)", ar="اللواء التاسع (الكانيات)", role="accused")
        ],
        sources=[
            source(
                outlet_en="Anadolu",
                outlet_ar="الأناضول",
                quote='معظم الخروقات، منذ الأحد، "من اللواء التاسع"\nفي ترهونة',
            )
        ],
        processes=[truce_process("alleged_violation_of")],
        fatalities=(2, 3, 5),
        version=3,
    )
    event["summary"] = {"en": "Most breaches since Sunday are attributed to the 9th Brigade."}
    return event


def truce_declared() -> ExportedEvent:
    """The truce takes effect on 12 January 2020; no end recorded."""
    return exported_event(
        id=TRUCE_DECLARED,
        type="ceasefire.declared",
        type_label={"en": "A truce is declared or takes effect", "ar": "إعلان هدنة"},
        when="2020-01-12/..",
        lower=dt.date(2020, 1, 12),
        upper=None,
        precision="open",
        title=names("Truce between the GNA and the LNA takes effect", "بدء سريان الهدنة في ليبيا"),
        place=location(en="Libya", ar="ليبيا", point=LIBYA),
        actors=[actor(en="Government of National Accord", ar="حكومة الوفاق", role="party")],
        processes=[truce_process("part_of")],
    )


def moscow_talks() -> ExportedEvent:
    """Indirect talks in Moscow on 13 January 2020."""
    return exported_event(
        id=MOSCOW_TALKS,
        type="negotiation.talks",
        type_label={"en": "Talks held (direct or indirect)", "ar": "محادثات"},
        when="2020-01-13",
        lower=dt.date(2020, 1, 13),
        upper=dt.date(2020, 1, 13),
        precision="day",
        title=names("Indirect talks in Moscow", "محادثات غير مباشرة في موسكو"),
        place=location(en="Moscow", ar="موسكو", point=MOSCOW, country="RUS"),
        actors=[
            actor(en="Russia", ar="روسيا", role="mediator"),
            actor(en="Turkey", ar="تركيا", role="mediator"),
        ],
        sources=[source(outlet_en="TASS", outlet_ar="تاس")],
        version=2,
    )


def haftar_asks_time() -> ExportedEvent:
    """Haftar asks for time and leaves without signing; no place recorded."""
    return exported_event(
        id=HAFTAR_ASKS_TIME,
        type="agreement.refused",
        type_label={"en": "A party declines to sign or rejects a plan", "ar": "رفض اتفاق"},
        when="2020-01-14",
        lower=dt.date(2020, 1, 14),
        upper=dt.date(2020, 1, 14),
        precision="day",
        title=names("Haftar leaves Moscow without signing", "حفتر يغادر موسكو دون توقيع"),
        actors=[
            actor(
                en="Khalifa Haftar",
                ar="خليفة حفتر",
                role="signatory",
                stance="left_without_signing",
            )
        ],
        processes=[truce_process("responds_to")],
    )


def pressure_claim() -> ExportedEvent:
    """Claims of Egyptian and Emirati pressure on Haftar, dated only to January 2020."""
    return exported_event(
        id=PRESSURE_CLAIM,
        type="political.accusation",
        type_label={"en": "Accusation", "ar": "اتهام"},
        when="2020-01",
        lower=dt.date(2020, 1, 1),
        upper=dt.date(2020, 1, 31),
        precision="month",
        title=names("Claims of foreign pressure on Haftar", "ادعاءات بضغوط خارجية على حفتر"),
        place=location(en="Cairo", ar="القاهرة", point=(31.2357, 30.0444), country="EGY"),
    )


def siala_statement() -> ExportedEvent:
    """A statement whose title has quotes, commas, a newline and `<&>` in both languages."""
    return exported_event(
        id=SIALA_STATEMENT,
        type="political.statement",
        type_label={"en": "Public statement", "ar": "تصريح علني"},
        when="2020-01-14",
        lower=dt.date(2020, 1, 14),
        upper=dt.date(2020, 1, 14),
        precision="day",
        title=TRICKY_TITLE,
        actors=[actor(en="Mohamed Taha Siala", ar="محمد الطاهر سيالة", role="claimant")],
        updated_at=dt.datetime(2020, 1, 16, 10, 0, tzinfo=dt.UTC),
    )


def demo_events() -> list[ExportedEvent]:
    """The demo events in timeline order (date_lower, date_upper, id)."""
    return [
        pressure_claim(),
        breach(),
        truce_declared(),
        moscow_talks(),
        haftar_asks_time(),
        siala_statement(),
    ]


def truce_era() -> Era:
    """The truce in effect from 12 January 2020, still running."""
    return Era(
        process_id=TRUCE,
        kind="ceasefire",
        names=truce_process("part_of")["names"],
        phase="in_effect",
        start=dt.date(2020, 1, 12),
        end=None,
        state="breached",
    )


def context(*, lang: str | None = None, group_by: str = "type") -> RenderContext:
    """A render context whose eras are the truce's, for any process id that includes it."""

    def eras(process_ids: Collection[uuid.UUID]) -> list[Era]:
        return [truce_era()] if TRUCE in process_ids else []

    return RenderContext(
        lang=lang,
        base_url=BASE_URL,
        title="Libya, January 2020 — الهدنة",
        generated_at=GENERATED_AT,
        eras=eras,
        group_by=group_by,
    )


def rendered(
    render: Any, events: Sequence[ExportedEvent] | None = None, **context_args: Any
) -> bytes:
    """Everything a renderer yields for the events (the demo ones by default), joined."""
    chunks = render(iter(demo_events() if events is None else events), context(**context_args))
    return b"".join(chunks)
