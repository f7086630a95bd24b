"""GDELT event exports: 2.0 (61 tab-separated columns, no header) and 1.0 (58 columns, or 57 in
the historical backfiles, which have no SOURCEURL).

GDELT files are not CSV: no field is quoted, so each line is split on tabs as it is, and a
quote mark in an actor name or URL stays plain text.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from app.events.vocabulary import VOCABULARY
from app.formats import mapping as m
from app.formats.reading import FileRejected, Row, RowError, mapped_rows

_HEAD = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_EVENT = (
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
)
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")


def _columns(*, adm2: bool, url: bool) -> tuple[str, ...]:
    """The column names of one layout, in the codebook's order."""
    actors = [f"{who}{part}" for who in ("Actor1", "Actor2") for part in _ACTOR]
    geo = [part for part in _GEO if adm2 or part != "ADM2Code"]
    places = [f"{who}Geo_{part}" for who in ("Actor1", "Actor2", "Action") for part in geo]
    return (*_HEAD, *actors, *_EVENT, *places, "DATEADDED", *(["SOURCEURL"] if url else []))


# By column count: 2.0 added an ADM2 code to each of the three places.
LAYOUTS = {
    61: _columns(adm2=True, url=True),
    58: _columns(adm2=False, url=True),
    57: _columns(adm2=False, url=False),
}
# ActionGeo_Type: 1 country, 2 US state, 3 US city or landmark, 4 city or landmark elsewhere,
# 5 first-order division elsewhere → UCDP's scale.
GEO_PRECISION = {"1": 6, "2": 4, "3": 1, "4": 1, "5": 4}
# CAMEO actor role codes (Type1Code) that say what kind of actor it is.
KINDS = {
    "GOV": "government",
    "MIL": "armed_forces",
    "COP": "armed_forces",
    "REB": "armed_group",
    "INS": "armed_group",
    "SEP": "armed_group",
    "UAF": "armed_group",
    "IGO": "igo",
    "NGO": "ngo",
    "MED": "media",
}
# CAMEO 1.1b3 labels: the twenty root codes and the codes in Waqai's crosswalk.
CAMEO_LABELS = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce",
    "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
    "010": "Make statement", "036": "Express intent to meet or negotiate", "043": "Host a visit",
    "044": "Meet at a third location", "045": "Mediate", "046": "Engage in negotiation",
    "057": "Sign formal agreement", "0871": "Declare truce, ceasefire",
    "112": "Accuse", "127": "Reject plan, agreement to settle dispute",
    "141": "Demonstrate or rally", "180": "Use unconventional violence",
    "190": "Use conventional military force", "194": "Fight with artillery and tanks",
    "195": "Employ aerial weapons", "196": "Violate ceasefire",
}  # fmt: skip
FIPS_TABLE = Path(__file__).with_name("data") / "fips_to_iso3.csv"


def read(stream: IO[bytes]) -> Iterator[Row]:
    """Events of a GDELT 2.0 (or 1.0) event export, one line at a time."""
    text, header = m.open_table(stream, delimiter="\t")
    columns = LAYOUTS.get(len(header))
    if columns is None:
        raise FileRejected(
            f"line 1: {len(header)} tab-separated columns; a GDELT 2.0 event file has 61 "
            "(GDELT 1.0: 58, or 57 without SOURCEURL)."
        )
    return mapped_rows(_lines(text, columns), _build)


def _lines(text: IO[str], columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(text, start=1):
        cells = line.rstrip("\r\n").split("\t")
        # Blank lines, and the header line some BigQuery exports add, carry no event.
        if (len(cells) == 1 and not cells[0].strip()) or cells[0] == columns[0]:
            continue
        if len(cells) != len(columns):
            raise FileRejected(
                f"line {number}: {len(cells)} columns where line 1 has {len(columns)}."
            )
        yield number, {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}


@functools.cache
def crosswalk() -> dict[str, str]:
    """CAMEO code → Waqai type code, from the vocabulary ("043/044" holds two codes)."""
    return {
        cameo: entry.code for entry in VOCABULARY if entry.cameo for cameo in entry.cameo.split("/")
    }


def by_cameo(code: str) -> str:
    """The Waqai type of a CAMEO event code: the code itself, else its base (three-digit) code,
    else its root's unspecified code (19 → 190), else "other"."""
    known = crosswalk()
    for candidate in (code, code[:3], f"{code[:2]}0"):
        if candidate in known:
            return known[candidate]
    return "other"


@functools.cache
def fips_countries() -> dict[str, str]:
    """FIPS 10-4 country code → ISO 3166-1 alpha-3, for the codes that have one."""
    with FIPS_TABLE.open(encoding="utf-8", newline="") as table:
        rows = csv.DictReader(line for line in table if not line.startswith("#"))
        return {row["fips"]: row["iso3"] for row in rows if row["iso3"]}


def _build(row: dict[str, str]) -> dict[str, Any]:
    event = row["EventCode"]
    if not (event.isdigit() and 2 <= len(event) <= 4):
        raise RowError(f"EventCode: not a CAMEO event code ({event})")
    actors = [actor for actor in (_actor(row, 1, "initiator"), _actor(row, 2, "target")) if actor]
    precision = GEO_PRECISION.get(row["ActionGeo_Type"])
    return {
        "type": by_cameo(event),
        "when": m.day(row["SQLDATE"], "SQLDATE").isoformat(),
        "title": {"en": _title(event, [actor["names"]["en"] for actor in actors], row)},
        "original_language": "en",
        "location": _location(row, precision),
        "location_precision": precision,
        "actors": actors,
        "sources": _sources(row.get("SOURCEURL", "")),
        "external_ids": {"gdelt": row["GLOBALEVENTID"]} if row["GLOBALEVENTID"] else {},
        "tags": m.tags([f"cameo:{event}", f"cameo-root:{row['EventRootCode'] or event[:2]}"]),
    }


def _title(event: str, names: list[str], row: dict[str, str]) -> str:
    label = CAMEO_LABELS.get(event) or CAMEO_LABELS.get(event[:3]) or CAMEO_LABELS.get(event[:2])
    head = f"{label or 'Event'} (CAMEO {event})"
    if names:
        return f"{head}: {' → '.join(names)}"
    place = row["ActionGeo_FullName"]
    return f"{head} in {place}" if place else head


def _actor(row: dict[str, str], side: int, role: str) -> dict[str, Any] | None:
    name, cameo = row[f"Actor{side}Name"], row[f"Actor{side}Code"]
    if not name:
        return None
    kind = KINDS.get(row[f"Actor{side}Type1Code"])
    if kind is None and cameo and cameo == row[f"Actor{side}CountryCode"]:
        kind = "state"  # the code is a bare country: the country as a whole acts
    return {
        "names": {"en": name},
        "kind": kind or "other",
        "country": m.country_by_code(row[f"Actor{side}CountryCode"]),
        "external_ids": {"cameo": cameo} if cameo else {},
        "role": role,
    }


def _location(row: dict[str, str], precision: int | None) -> dict[str, Any] | None:
    name = row["ActionGeo_FullName"]
    if not name or precision is None:
        return None
    return {
        "names": {"en": name},
        "country": fips_countries().get(row["ActionGeo_CountryCode"]),
        "latitude": m.coordinate(row["ActionGeo_Lat"], "ActionGeo_Lat", limit=90),
        "longitude": m.coordinate(row["ActionGeo_Long"], "ActionGeo_Long", limit=180),
        "kind": m.place_kind(precision),
    }


def _sources(url: str) -> list[dict[str, Any]]:
    if not url:
        return []
    if url.startswith(("http://", "https://")):
        return [{"url": url, "note": "GDELT coded the event from this document."}]
    # Non-web sources (e.g. "BBC Monitoring") are named where the URL would be.
    return [{"outlet": {"en": url}, "note": "GDELT coded the event from this source."}]
