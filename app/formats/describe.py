"""Plain words about an exported event, shared by the renderers that show text to people.

When it happened with its uncertainty spelled out ("Between 12 and 14 January 2020 (exact day
unknown)"), where, who took part and in what role, how many died, and who reports it. Labels
are English, or Arabic when the export asks for Arabic; names and quotes stay as stored.
The service speaks only about dates and counts; every claim is attributed to its source.

Also here because several renderers need them: where an event sits on a calendar or a time axis
(`placement`) and which lane it belongs to (`group_of`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.core.types import to_utc
from app.formats.rendering import ExportedEvent, RenderContext

Shape = Literal["day", "month", "year", "range", "from", "until", "undated"]
# Shapes whose end cannot be drawn: the calendar or axis shows their one known (or stand-in) day.
UNBOUNDED: frozenset[Shape] = frozenset({"from", "until", "undated"})

MONTHS = {
    "en": tuple(calendar.month_name)[1:],
    "ar": (
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ),
}  # fmt: skip
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "between": "between {a} and {b}",
        "day_unknown": " (exact day unknown)",
        "date_unknown": " (exact date unknown)",
        "from": "from {a} (no end date recorded)",
        "until": "on or before {b} (start date unknown)",
        "undated": "date unknown",
        "approximate": "; the date is approximate",
        "when": "When",
        "where": "Where",
        "type": "Type",
        "verification": "Verification",
        "fatalities": "Fatalities",
        "actors": "Actors",
        "processes": "Processes",
        "sources": "Sources",
        "summary": "Summary",
        "range": "{best} (reported range {low}–{high})",
        "at_least": "at least {low}",
        "at_most": "at most {high}",
        "none": "none",
        "unknown_source": "unnamed source",
        "comma": ", ",
        "semicolon": "; ",
    },
    "ar": {
        "between": "بين {a} و{b}",
        "day_unknown": " (اليوم غير معروف بالتحديد)",
        "date_unknown": " (التاريخ غير معروف بالتحديد)",
        "from": "ابتداءً من {a} (دون تاريخ نهاية مسجَّل)",
        "until": "في {b} أو قبله (تاريخ البداية غير معروف)",
        "undated": "التاريخ غير معروف",
        "approximate": "؛ التاريخ تقريبي",
        "when": "التاريخ",
        "where": "المكان",
        "type": "النوع",
        "verification": "التحقق",
        "fatalities": "القتلى",
        "actors": "الأطراف",
        "processes": "المسارات",
        "sources": "المصادر",
        "summary": "الملخص",
        "range": "{best} (النطاق المُبلَّغ عنه {low}–{high})",
        "at_least": "{low} على الأقل",
        "at_most": "{high} على الأكثر",
        "none": "لا يوجد",
        "unknown_source": "مصدر غير مسمّى",
        "comma": "، ",
        "semicolon": "؛ ",
    },
}
# Codes of the domain vocabulary in Arabic; English shows the code with spaces.
CODES_AR = {
    "party": "طرف", "initiator": "البادئ", "target": "مستهدَف", "mediator": "وسيط",
    "guarantor": "ضامن", "host": "مضيف", "signatory": "موقِّع", "observer": "مراقب",
    "accused": "متَّهَم", "victim": "ضحية", "claimant": "مدَّعٍ",
    "proposed": "اقترح", "accepted": "قبِل", "signed": "وقَّع", "requested_time": "طلب مهلة",
    "refused": "رفض", "left_without_signing": "غادر دون توقيع", "withdrew": "انسحب",
    "denied": "نفى", "part_of": "جزء من", "violates": "ينتهك",
    "alleged_violation_of": "انتهاك مزعوم لـ", "responds_to": "ردٌّ على",
    "unverified": "لم يُتحقَّق منه", "corroborated": "يؤيده مصدران مستقلان",
    "confirmed": "مؤكَّد", "disputed": "متنازع عليه", "asserts": "يؤكد", "denies": "ينفي",
    "declared": "أُعلنت", "in_effect": "سارية", "active": "جارية", "ended": "انتهت",
}  # fmt: skip
PLACE_PRECISION = {
    "en": {
        2: "near this place",
        3: "somewhere in this district",
        4: "somewhere in this province",
        5: "somewhere in this region",
        6: "somewhere in this country",
        7: "at sea or in the airspace",
    },
    "ar": {
        2: "قرب هذا المكان",
        3: "في مكان ما من هذه المنطقة",
        4: "في مكان ما من هذه المحافظة",
        5: "في مكان ما من هذا الإقليم",
        6: "في مكان ما من هذا البلد",
        7: "في البحر أو المجال الجوي",
    },
}
NO_GROUP = {
    "en": {"actor": "No actor", "location": "No place", "process": "No process"},
    "ar": {"actor": "دون طرف", "location": "دون مكان", "process": "دون مسار"},
}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an event sits on a calendar: first and last day (inclusive) and the span's shape."""

    start: dt.date
    end: dt.date
    shape: Shape


def words_language(lang: str | None) -> str:
    """'ar' when the export asks for Arabic (any region), else 'en'."""
    return "ar" if lang and lang.split("-")[0].lower() == "ar" else "en"


def language_of(localized: Mapping[str, str] | None, text: str) -> str | None:
    """The language tag under which `text` (picked by `ctx.text`) is stored, if any."""
    for tag, value in (localized or {}).items():
        if value == text:
            return tag
    return None


def shape(lower: dt.date | None, upper: dt.date | None) -> Shape:
    """What the inclusive bounds span: one day, a whole month or year, another range, or less."""
    if lower is None:
        return "undated" if upper is None else "until"
    if upper is None:
        return "from"
    if lower == upper:
        return "day"
    last_day = calendar.monthrange(lower.year, lower.month)[1]
    if (lower.day, upper.year, upper.month, upper.day) == (1, lower.year, lower.month, last_day):
        return "month"
    if (lower.month, lower.day, upper.year, upper.month, upper.day) == (1, 1, lower.year, 12, 31):
        return "year"
    return "range"


def placement(event: ExportedEvent) -> Placement:
    """The days an event covers: an open end shows its known day, an undated one its record day."""
    lower: dt.date | None = event["date_lower"]
    upper: dt.date | None = event["date_upper"]
    known = lower or upper or to_utc(event["created_at"]).date()
    end = upper if lower is not None and upper is not None else known
    return Placement(start=known, end=end, shape=shape(lower, upper))


def day_words(day: dt.date, lang: str, *, month: bool = True, year: bool = True) -> str:
    """'12 January 2020' (or '12 يناير 2020'), optionally without the month or the year."""
    parts = [str(day.day)]
    if month:
        parts.append(MONTHS[lang][day.month - 1])
    if year:
        parts.append(str(day.year))
    return " ".join(parts)


def when_words(event: ExportedEvent, lang: str | None) -> str:
    """The event's date in words, uncertainty included: 'Between 12 and 14 January 2020 (...)'."""
    words = WORDS[words_language(lang)]
    text = _span_words(event["date_lower"], event["date_upper"], words_language(lang))
    if event["date_precision"] == "approximate":
        text += words["approximate"]
    return text[:1].upper() + text[1:]


def _span_words(lower: dt.date | None, upper: dt.date | None, lang: str) -> str:
    words = WORDS[lang]
    if lower is None or upper is None:
        if lower is not None:
            return words["from"].format(a=day_words(lower, lang))
        if upper is not None:
            return words["until"].format(b=day_words(upper, lang))
        return words["undated"]
    kind = shape(lower, upper)
    if kind == "day":
        return day_words(lower, lang)
    if kind == "month":
        return f"{MONTHS[lang][lower.month - 1]} {lower.year}{words['day_unknown']}"
    if kind == "year":
        return f"{lower.year}{words['date_unknown']}"
    # The first day repeats only what differs: "between 12 and 14 January 2020".
    if lower.year != upper.year:
        first = day_words(lower, lang)
    elif lower.month != upper.month:
        first = day_words(lower, lang, year=False)
    else:
        first = str(lower.day)
    return words["between"].format(a=first, b=day_words(upper, lang)) + words["day_unknown"]


def code_words(code: str, lang: str | None) -> str:
    """A vocabulary code (role, stance, relation, verification, polarity) as a word."""
    if words_language(lang) == "ar":
        return CODES_AR.get(code, code.replace("_", " "))
    return code.replace("_", " ")


def place_words(event: ExportedEvent, ctx: RenderContext) -> str:
    """'Tarhuna, Murqub, LBY (near this place)'; '' for an event without a place."""
    location = event["location"]
    if location is None:
        return ""
    name = ctx.text(location["names"], event["original_language"])
    extras = [part for part in (location.get("admin1"), location.get("country")) if part]
    parts = [name, *(part for part in extras if part != name)] if name else extras
    text = WORDS[words_language(ctx.lang)]["comma"].join(parts)
    precision = PLACE_PRECISION[words_language(ctx.lang)].get(event["location_precision"] or 1)
    return f"{text} ({precision})" if precision else text


def fatalities_words(event: ExportedEvent, lang: str | None) -> str:
    """'3 (reported range 2–5)', 'at least 2', ...; '' when no count was reported."""
    words = WORDS[words_language(lang)]
    low, best, high = event["fatalities_low"], event["fatalities_best"], event["fatalities_high"]
    if best is not None:
        if low in (None, best) and high in (None, best):
            return str(best)
        unknown = "?"
        return words["range"].format(
            best=best, low=unknown if low is None else low, high=unknown if high is None else high
        )
    if low is not None and high is not None:
        return words["between"].format(a=low, b=high)
    if low is not None:
        return words["at_least"].format(low=low)
    return words["at_most"].format(high=high) if high is not None else ""


def actor_names(event: ExportedEvent, ctx: RenderContext) -> list[str]:
    """The actors' names in the export's language, in the stored order."""
    return [ctx.text(actor["names"], event["original_language"]) for actor in event["actors"]]


def actor_words(actor: Mapping[str, Any], event: ExportedEvent, ctx: RenderContext) -> str:
    """'Haftar (signatory, left without signing 2020-01-14)'."""
    name = ctx.text(actor["names"], event["original_language"])
    part = [code_words(actor["role"], ctx.lang)]
    if actor.get("stance"):
        stance = code_words(actor["stance"], ctx.lang)
        part.append(f"{stance} {actor['stance_when']}" if actor.get("stance_when") else stance)
    return f"{name} ({WORDS[words_language(ctx.lang)]['comma'].join(part)})"


def source_words(source: Mapping[str, Any], ctx: RenderContext) -> str:
    """'Anadolu, 14 January 2020 (asserts): “quote” <url>' — the claim in its source's voice."""
    lang = words_language(ctx.lang)
    outlet = ctx.text(source.get("outlet")) or source.get("title") or WORDS[lang]["unknown_source"]
    head = outlet
    if source.get("published_at"):
        head += WORDS[lang]["comma"] + day_words(to_utc(source["published_at"]).date(), lang)
    text = f"{head} ({code_words(source['polarity'], ctx.lang)})"
    if source.get("quote"):
        # A quote's line breaks would break the list of sources; " / " marks them instead.
        text += f": “{' / '.join(source['quote'].splitlines())}”"
    if source.get("note"):
        text += f" — {source['note']}"
    return text + (f" <{source['url']}>" if source.get("url") else "")


def describe(event: ExportedEvent, ctx: RenderContext) -> str:
    """A plain-text account of the event: date in words, place, type, counts, actors, sources."""
    words, lang = WORDS[words_language(ctx.lang)], ctx.lang
    lines = [f"{words['when']}: {when_words(event, lang)}"]
    if place := place_words(event, ctx):
        lines.append(f"{words['where']}: {place}")
    lines.append(f"{words['type']}: {ctx.text(event['type_label'], 'en') or event['type']}")
    lines.append(f"{words['verification']}: {code_words(event['verification'], lang)}")
    if fatalities := fatalities_words(event, lang):
        lines.append(f"{words['fatalities']}: {fatalities}")
    if event["actors"]:
        actors = words["semicolon"].join(
            actor_words(actor, event, ctx) for actor in event["actors"]
        )
        lines.append(f"{words['actors']}: {actors}")
    if event["processes"]:
        lines.append(f"{words['processes']}: {_processes_words(event, ctx)}")
    if summary := ctx.text(event["summary"], event["original_language"]):
        lines.append(f"{words['summary']}: {summary}")
    if event["sources"]:
        lines.append(f"{words['sources']}:")
        lines.extend(f"- {source_words(source, ctx)}" for source in event["sources"])
    return "\n".join(lines)


def describe_html(event: ExportedEvent, ctx: RenderContext) -> str:
    """The plain-text account as escaped HTML, one paragraph per line, right to left in Arabic."""
    direction = "rtl" if words_language(ctx.lang) == "ar" else "ltr"
    lines = describe(event, ctx).splitlines()
    # Each line finds its own direction: an English label may hold an Arabic name, and back.
    paragraphs = "".join(f'<p dir="auto">{html.escape(line)}</p>' for line in lines)
    return f'<div dir="{direction}">{paragraphs}</div>'


def _processes_words(event: ExportedEvent, ctx: RenderContext) -> str:
    return WORDS[words_language(ctx.lang)]["semicolon"].join(
        f"{ctx.text(process['names'], event['original_language'])}"
        f" ({code_words(process['relation'], ctx.lang)})"
        for process in event["processes"]
    )


def group_of(event: ExportedEvent, ctx: RenderContext) -> tuple[str, str]:
    """The lane an event sits in under `ctx.group_by`: a stable key and its label."""
    original = event["original_language"]
    if ctx.group_by == "actor" and event["actors"]:
        actor = event["actors"][0]
        return f"actor:{actor['id']}", ctx.text(actor["names"], original)
    if ctx.group_by == "location" and event["location"]:
        location = event["location"]
        return f"location:{location['id']}", ctx.text(location["names"], original)
    if ctx.group_by == "process" and event["processes"]:
        process = event["processes"][0]
        return f"process:{process['id']}", ctx.text(process["names"], original)
    if ctx.group_by in ("actor", "location", "process"):
        return f"{ctx.group_by}:none", NO_GROUP[words_language(ctx.lang)][ctx.group_by]
    return f"type:{event['type']}", ctx.text(event["type_label"], "en") or event["type"]
