"""ACLED exports, in the current layout (lower-case headers, event and sub-event types) and the
pre-2019 one (upper-case headers, dd/mm/yyyy dates, old event types such as "Remote violence").

The mapping and its reasons are in docs/interop.md; the codebook terms are ACLED's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import IO, Any

from app.formats import mapping as m
from app.formats.reading import Row, RowError, csv_rows, mapped_rows, require_columns

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
# time_precision 2: "sometime during a week or a similar period". The codebook promises only
# that the coded day lies inside that period, so six days either side certainly hold it.
WEEK_MARGIN = dt.timedelta(days=6)
# geo_precision 1 town, 2 near a town / part of a region, 3 larger region or provincial capital;
# onto UCDP's scale that is exact place, near it, larger region (never claiming more).
GEO_PRECISION = {"1": 1, "2": 2, "3": 5}
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
# inter1/inter2, numeric (older exports) or as words (since 2024).
INTER = {
    "0": 0, "": 0,
    "1": 1, "state forces": 1,
    "2": 2, "rebel group": 2, "rebel groups": 2,
    "3": 3, "political militia": 3, "political militias": 3,
    "4": 4, "identity militia": 4, "identity militias": 4,
    "5": 5, "rioters": 5,
    "6": 6, "protesters": 6,
    "7": 7, "civilians": 7,
    "8": 8, "external/other forces": 8, "external/other force": 8,
}  # fmt: skip
KINDS = {1: "armed_forces", 2: "armed_group", 3: "armed_group", 4: "armed_group"}
STATE, RIOTERS, PROTESTERS, CIVILIANS = 1, 5, 6, 7
Build = Callable[[dict[str, str]], dict[str, Any]]
_SD = "Strategic developments"
# (event_type, sub_event_type) → Waqai type; "other" only where the vocabulary has no fit.
CURRENT_TYPES = {
    ("battles", "armed clash"): "violence.armed_clash",
    ("battles", "government regains territory"): "violence.armed_clash",
    ("battles", "non-state actor overtakes territory"): "violence.armed_clash",
    ("explosions/remote violence", "air/drone strike"): "violence.air_strike",
    ("explosions/remote violence", "shelling/artillery/missile attack"): "violence.shelling",
    # Bombs, mines, grenades and chemical weapons are neither shelling nor air strikes.
    ("explosions/remote violence", "remote explosive/landmine/ied"): "other",
    ("explosions/remote violence", "suicide bomb"): "other",
    ("explosions/remote violence", "grenade"): "other",
    ("explosions/remote violence", "chemical weapon"): "other",
    ("violence against civilians", "attack"): "violence.against_civilians",
    ("violence against civilians", "sexual violence"): "violence.against_civilians",
    ("violence against civilians", "abduction/forced disappearance"): "violence.against_civilians",
    ("protests", "peaceful protest"): "protest.demonstration",
    ("protests", "protest with intervention"): "protest.demonstration",
    ("protests", "excessive force against protesters"): "protest.demonstration",
    ("protests", "excessive force against protestors"): "protest.demonstration",
    # ACLED files riots with protests under "demonstrations"; Waqai follows it.
    ("riots", "violent demonstration"): "protest.demonstration",
    ("riots", "mob violence"): "protest.demonstration",
    ("strategic developments", "agreement"): "agreement.signed",
    ("strategic developments", "headquarters or base established"): "military.deployment",
    ("strategic developments", "non-violent transfer of territory"): "military.deployment",
    ("strategic developments", "arrests"): "other",
    ("strategic developments", "change to group/activity"): "other",
    ("strategic developments", "disrupted weapons use"): "other",
    ("strategic developments", "looting/property destruction"): "other",
    ("strategic developments", "other"): "other",
}
# Pre-2019 event type → (Waqai type, words for the title).
LEGACY_TYPES = {
    "battle-no change of territory": ("violence.armed_clash", "Armed clash"),
    "battle-government regains territory": (
        "violence.armed_clash",
        "Government regains territory",
    ),
    "battle-non-state actor overtakes territory": (
        "violence.armed_clash",
        "Non-state actor overtakes territory",
    ),
    # Air strikes, shelling and bombs in one type: no single Waqai type is true of all.
    "remote violence": ("other", "Remote violence"),
    "violence against civilians": ("violence.against_civilians", "Violence against civilians"),
    "riots/protests": ("protest.demonstration", "Riot or protest"),
    "strategic development": ("other", "Strategic development"),
    "headquarters or base established": ("military.deployment", "Headquarters or base established"),
    "non-violent transfer of territory": (
        "military.deployment",
        "Non-violent transfer of territory",
    ),
    "non-violent activity by a conflict actor": ("other", "Non-violent activity"),
}


def read(stream: IO[bytes]) -> Iterator[Row]:
    """Events of an ACLED export (either layout), one row at a time."""
    text, header = m.open_table(stream)
    names = {name.lower() for name in header}
    legacy = "sub_event_type" not in names
    required = REQUIRED if legacy else (*REQUIRED, "sub_event_type")
    # Columns are named back to the user the way the file writes its headers.
    shout = sum(name.isupper() for name in header) > len(header) // 2
    require_columns(
        {name.upper() if shout else name for name in names},
        [name.upper() if shout else name for name in required],
        layout=f"{'pre-2019' if legacy else 'current'} ACLED export",
    )
    build = _legacy if legacy else _current
    return mapped_rows(csv_rows(text), _shouting(build) if shout else build)


def _shouting(build: Build) -> Build:
    """`build`, with the column named in a row error upper-cased as the file has it."""

    def shouting(raw: dict[str, str]) -> dict[str, Any]:
        try:
            return build(raw)
        except RowError as exc:
            column, _, reason = str(exc).partition(":")
            raise RowError(f"{column.upper()}:{reason}") from None

    return shouting


def _current(raw: dict[str, str]) -> dict[str, Any]:
    row = m.cells(raw, lower=True)
    event_type, sub_type = row["event_type"], row["sub_event_type"]
    code = CURRENT_TYPES.get((event_type.lower(), sub_type.lower()))
    if code is None:
        raise RowError(
            f"sub_event_type: unknown ACLED event type / sub-event type ({event_type} / {sub_type})"
        )
    label = event_type if sub_type.lower() == "other" else sub_type
    extra = [row["disorder_type"], row["civilian_targeting"]]
    extra += m.split_list(row["tags"])
    return _record(row, code, label, [event_type, sub_type, *extra])


def _legacy(raw: dict[str, str]) -> dict[str, Any]:
    row = m.cells(raw, lower=True)
    found = LEGACY_TYPES.get(row["event_type"].lower())
    if found is None:
        raise RowError(f"event_type: unknown ACLED event type ({row['event_type']})")
    code, label = found
    return _record(row, code, label, [row["event_type"]])


def _record(row: dict[str, str], code: str, label: str, acled_tags: list[str]) -> dict[str, Any]:
    place = row["location"] or row["admin1"] or row["country"]
    return {
        "type": code,
        "when": _when(row["event_date"], row["time_precision"]),
        "title": {"en": f"{label} in {place}" if place else label},
        "summary": m.english(row["notes"]),
        "original_language": "en",
        "fatalities_best": m.count(row["fatalities"], "fatalities"),
        "location": _location(row),
        "location_precision": m.code(row["geo_precision"], "geo_precision", GEO_PRECISION),
        "actors": _actors(row),
        "sources": _sources(row["source"], row["source_scale"]),
        "external_ids": {"acled": row["event_id_cnty"]} if row["event_id_cnty"] else {},
        "tags": m.tags(f"acled:{tag}" for tag in acled_tags if tag.strip()),
    }


def _when(event_date: str, time_precision: str) -> str:
    """The EDTF the coded day and its precision honestly support (never a false day)."""
    coded = m.day(event_date, "event_date")
    precision = m.code(time_precision, "time_precision", TIME_PRECISION)
    if precision == "week":
        return m.span(coded - WEEK_MARGIN, coded + WEEK_MARGIN)
    if precision == "month":  # the codebook's month mid-point stands for the whole month
        return f"{coded:%Y-%m}"
    return coded.isoformat()


def _location(row: dict[str, str]) -> dict[str, Any] | None:
    names = m.english(row["location"])
    if names is None:
        return None
    # iso is ISO 3166-1 numeric (the pre-2019 layout has Gleditsch-Ward GWNO instead); exports
    # of 2019-2023 also carry iso3.
    country = (
        m.country_by_code(row["iso3"])
        or m.country_by_number(row["iso"])
        or m.country_by_name(row["country"])
    )
    return {
        "names": names,
        "country": country,
        "admin1": row["admin1"] or None,
        "admin2": row["admin2"] or None,
        "latitude": m.coordinate(row["latitude"], "latitude", limit=90),
        "longitude": m.coordinate(row["longitude"], "longitude", limit=180),
    }


def _actors(row: dict[str, str]) -> list[dict[str, Any]]:
    """Actor 1 and 2 with their associated actors; ACLED's order implies no direction, so roles
    come from who the actors are (civilians are victims, demonstrators initiate)."""
    types = [m.code(row[f"inter{n}"], f"inter{n}", INTER, fold=True) for n in (1, 2)]
    roles = _roles(types[0], types[1], row["sub_event_type"])
    actors: list[dict[str, Any]] = []
    for side, inter, role in zip((1, 2), types, roles, strict=True):
        name = row[f"actor{side}"]
        if name:
            actors.append(_actor(name, inter, role))
        # The pre-2019 layout calls associated actors ALLY_ACTOR_1 and ALLY_ACTOR_2.
        associates = row[f"assoc_actor_{side}"] or row[f"ally_actor_{side}"]
        for associate in m.split_list(associates):
            actors.append({"names": {"en": associate}, "kind": "other", "role": role})
    return actors


def _roles(first: int, second: int, sub_type: str) -> tuple[str, str]:
    if CIVILIANS in (first, second) and first != second:
        return ("victim", "initiator") if first == CIVILIANS else ("initiator", "victim")
    crowd = {RIOTERS, PROTESTERS}
    if (first in crowd) == (second in crowd):
        return "party", "party"
    # Excessive force turns the demonstrators into the ones the violence is done to.
    crowd_role = "victim" if sub_type.lower().startswith("excessive force") else "initiator"
    other_role = "initiator" if crowd_role == "victim" else "party"
    return (crowd_role, other_role) if first in crowd else (other_role, crowd_role)


def _actor(name: str, inter: int, role: str) -> dict[str, Any]:
    kind = KINDS.get(inter, "other")
    if inter == STATE and name.startswith("Government of"):
        kind = "government"
    return {"names": {"en": name}, "kind": kind, "country": m.state_country(name), "role": role}


def _sources(source: str, scale: str) -> list[dict[str, Any]]:
    note = f"ACLED source scale: {scale}" if scale else None
    return [{"outlet": {"en": outlet}, "note": note} for outlet in m.split_list(source)]
