"""Deterministic benchmark data in Waqai's own NDJSON import format.

    python -m bench.generate --events 1000000 --seed 1 > events.ndjson

N events over 2010-2025, with volume rising year by year; about 60 countries with Zipf-skewed
counts; the app's event types in realistic proportions (protests and clashes common, agreements
rare); one to three actors per event from a pool of thousands with Zipf popularity, so the
busiest actors have tens of thousands of events; places with coordinates; fatalities mostly zero
with a long tail; titles and notes in Arabic, English or both. About 8 % of events mention
the common keyword (`KEYWORD`) in their notes, for the search scenario.

Events are written one line at a time: memory holds the world (places and actors), never the
events. The same seed and count give the same bytes.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import IO, Any

import orjson

from bench import world

KEYWORD = "convoy"
KEYWORD_AR = "قافلة"
KEYWORD_SHARE = 0.08
FIRST_YEAR, LAST_YEAR = 2010, 2025
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
# Each year has this much more volume than 2010, in steps: 2025 has six times 2010's events.
YEAR_GROWTH = 1 / 3
VIOLENT = ("violence.", "ceasefire.breach")
# (English, Arabic) wording of titles, by type family; {place} is the place's name.
TITLES = {
    "protest": ("Protest in {place}", "احتجاج في {place}"),
    "violence": ("Fighting near {place}", "قتال قرب {place}"),
    "ceasefire": ("Truce reported around {place}", "تقارير عن هدنة حول {place}"),
    "political": ("Statement on events in {place}", "تصريح حول أحداث {place}"),
    "military": ("Forces move towards {place}", "تحرك قوات نحو {place}"),
    "negotiation": ("Talks on {place}", "محادثات بشأن {place}"),
    "agreement": ("Agreement concerning {place}", "اتفاق بشأن {place}"),
    "other": ("Incident in {place}", "حادثة في {place}"),
}
NOTES = (
    "Local sources described the situation as tense.",
    "أفادت مصادر محلية بأن الوضع متوتر.",
)
KEYWORD_NOTES = (
    f"A {KEYWORD} was seen on the main road.",
    f"شوهدت {KEYWORD_AR} على الطريق الرئيسي.",
)


@dataclass(frozen=True)
class World:
    """What every event is drawn from, built once per seed."""

    seed: int
    places: dict[str, list[world.Place]]
    actors: list[world.Actor]
    country_weights: list[float]
    actor_weights: list[float]
    year_weights: list[float]
    type_codes: list[str]
    type_weights: list[float]


def build_world(seed: int) -> World:
    """Countries, places and actors for this seed."""
    rng = random.Random(f"world:{seed}")
    country_weights = world.zipf_weights(len(world.COUNTRIES), 1.1)
    shares = world.TYPE_SHARES
    return World(
        seed=seed,
        places=world.places(seed, rng),
        actors=world.actors(seed, rng, country_weights),
        country_weights=country_weights,
        actor_weights=world.zipf_weights(world.ACTORS, 0.9),
        year_weights=list(accumulate(1 + YEAR_GROWTH * (y - FIRST_YEAR) for y in YEARS)),
        type_codes=list(shares),
        type_weights=list(accumulate(shares.values())),
    )


def events(count: int, seed: int) -> Iterator[dict[str, Any]]:
    """`count` events as import records, drawn from the seed's world."""
    here = build_world(seed)
    rng = random.Random(f"events:{seed}")
    for number in range(count):
        yield _event(here, rng, number)


def _event(here: World, rng: random.Random, number: int) -> dict[str, Any]:
    code = rng.choices(world.COUNTRIES, cum_weights=here.country_weights)[0][0]
    place = rng.choice(here.places[code])
    type_code = rng.choices(here.type_codes, cum_weights=here.type_weights)[0]
    languages = rng.choices((("ar", "en"), ("ar",), ("en",)), weights=(5, 3, 2))[0]
    keyword = rng.random() < KEYWORD_SHARE
    return {
        "type": type_code,
        "when": _when(here, rng),
        "title": _title(type_code, place, languages),
        "summary": _notes(languages, keyword),
        "original_language": languages[0],
        "status": "published",
        "fatalities_best": _fatalities(rng, type_code),
        "location": _location(place),
        "location_precision": rng.choices((1, 2, 3, 4), weights=(5, 2, 2, 1))[0],
        "actors": _actors(here, rng),
        "external_ids": {"bench": f"{here.seed}-{number}"},
    }


def _when(here: World, rng: random.Random) -> str:
    """An EDTF date: mostly a day, sometimes a span of days, a month or an approximate day."""
    year = rng.choices(YEARS, cum_weights=here.year_weights)[0]
    days = 366 if calendar.isleap(year) else 365
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(days))
    form = rng.random()
    if form < 0.85:
        return day.isoformat()
    if form < 0.92:
        return f"{day.isoformat()}/{(day + dt.timedelta(days=rng.randint(1, 6))).isoformat()}"
    if form < 0.97:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.isoformat()}~"


def _title(type_code: str, place: world.Place, languages: tuple[str, ...]) -> dict[str, str]:
    en, ar = TITLES[type_code.split(".", 1)[0]]
    wording = {"en": en.format(place=place.names["en"]), "ar": ar.format(place=place.names["ar"])}
    return {lang: wording[lang] for lang in languages}


def _notes(languages: tuple[str, ...], keyword: bool) -> dict[str, str]:
    """Notes in the title's languages; a keyword event always has English notes."""
    en, ar = KEYWORD_NOTES if keyword else NOTES
    notes = {"en": en, "ar": ar}
    wanted = {*languages, "en"} if keyword else set(languages)
    return {lang: notes[lang] for lang in sorted(wanted)}


def _fatalities(rng: random.Random, type_code: str) -> int:
    """Zero for most events; violent ones have a long tail (a Pareto draw)."""
    if not type_code.startswith(VIOLENT) or rng.random() < 0.6:
        return 0
    return min(int(rng.paretovariate(1.1)), 10_000)


def _location(place: world.Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "names": place.names,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "kind": "town",
    }


def _actors(here: World, rng: random.Random) -> list[dict[str, Any]]:
    """One to three distinct actors, popular ones far more often."""
    wanted = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
    drawn = rng.choices(here.actors, cum_weights=here.actor_weights, k=wanted)
    unique = list({actor.id: actor for actor in drawn}.values())
    roles = ("initiator", "target", "party") if len(unique) > 1 else ("party",)
    return [
        {
            "id": actor.id,
            "names": actor.names,
            "kind": actor.kind,
            "country": actor.country,
            "role": roles[min(index, len(roles) - 1)],
        }
        for index, actor in enumerate(unique)
    ]


def write(out: IO[bytes], count: int, seed: int) -> None:
    """Write `count` events as NDJSON lines."""
    for record in events(count, seed):
        out.write(orjson.dumps(record) + b"\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", help="File to write (standard output if left out).")
    args = parser.parse_args(argv)
    if args.output:
        with open(args.output, "wb") as out:
            write(out, args.events, args.seed)
    else:
        write(sys.stdout.buffer, args.events, args.seed)


if __name__ == "__main__":
    main()
