"""What Schemathesis must be told about the API that its OpenAPI document cannot say.

Two things, each narrow:

* values of the formats the document names that JSON Schema does not know (`edtf`, `bcp47`,
  `iso3166-alpha3`): the document gives the format's name only, no pattern (Schemathesis would
  read a pattern instead of the format), so these strategies give the whole value, its shape
  and that it is real (a calendar day that exists, a language ISO 639 lists);
* rejections of schema-valid requests for reasons no schema can give: a reference to a record
  that does not exist, an opaque signed cursor, a rule across fields, an instant that must be in
  the past. Each problem the API answers names its reason in `code` or in the `type` of each
  error, so a rejection is excused only when every reason it gives is one of these.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pycountry
from hypothesis import strategies as st
from schemathesis.openapi.checks import RejectedPositiveData

# Problem codes whose whole answer is a reason the schema cannot give.
CODES_SCHEMA_CANNOT_GIVE = {
    "unknown_reference": "the body names a record (an actor, a source...) that does not exist",
    "invalid_cursor": "cursors are opaque and signed: only the service makes valid ones",
}
# Error types (in `errors`) that are such reasons, one by one.
REASONS_SCHEMA_CANNOT_GIVE = {
    "inconsistent": "a rule between fields, or with the record changed (low ≤ best ≤ high...)",
    "window_inverted": "from must not be after to",
    "relevance_without_q": "sort=relevance needs a text query q",
    "bbox_inverted": "minLat must not be greater than maxLat",
    "as_of_future": "as_of must be in the past, and the present moves",
    "in_the_past": "a new key's expiry must be in the future, and the present moves",
    "query_empty": "a search needs a word to look for, and what a word is is the tokenizer's call",
}


@st.composite
def _day(draw: st.DrawFn) -> dt.date:
    return draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)))


def _calendar(day: dt.date, precision: str) -> str:
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": f"{day:%Y-%m-%d}"}[precision]


@st.composite
def _edtf_date(draw: st.DrawFn) -> str:
    """One EDTF date: a year, month or day, perhaps qualified or with unspecified digits, a
    season, or a date-time."""
    day = draw(_day())
    kind = draw(st.sampled_from(["calendar", "unspecified", "season", "datetime"]))
    if kind == "season":
        return f"{day:%Y}-{draw(st.integers(21, 24))}"
    if kind == "datetime":
        zone = draw(st.sampled_from(["", "Z", "+03:00", "-05:00"]))
        return f"{day:%Y-%m-%d}T{draw(st.integers(0, 23)):02}:{draw(st.integers(0, 59)):02}{zone}"
    if kind == "unspecified":
        return draw(st.sampled_from([f"{day:%Y}"[:3] + "X", f"{day:%Y}-XX", f"{day:%Y-%m}-XX"]))
    text = _calendar(day, draw(st.sampled_from(["year", "month", "day"])))
    return text + draw(st.sampled_from(["", "", "~", "?", "%"]))


@st.composite
def _edtf(draw: st.DrawFn) -> str:
    """A date, or an interval between two days in order or with an open or unknown end."""
    if draw(st.booleans()):
        return draw(_edtf_date())
    start, end = sorted([draw(_day()), draw(_day())])
    precision = draw(st.sampled_from(["year", "month", "day"]))
    lower, upper = _calendar(start, precision), _calendar(end, precision)
    return draw(st.sampled_from([f"{lower}/{upper}", f"{lower}/..", f"../{upper}", f"{lower}/"]))


# Languages ISO 639 knows, with a script or a region now and then.
_LANGUAGES = sorted({lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")})
_BCP47 = st.tuples(
    st.sampled_from(_LANGUAGES),
    st.sampled_from(["", "-Latn", "-Arab", "-Cyrl"]),
    st.sampled_from(["", "-GB", "-LY", "-SY", "-001"]),
).map("".join)

_HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6}){1,2}", fullmatch=True)
_PATHS = st.from_regex(r"(/[A-Za-z0-9._~-]{0,20}){0,3}", fullmatch=True)
_HTTP_URLS = st.builds("{}://{}{}".format, st.sampled_from(["http", "https"]), _HOSTS, _PATHS)

FORMATS: dict[str, st.SearchStrategy[str]] = {
    "edtf": _edtf(),
    "bcp47": _BCP47,
    "iso3166-alpha3": st.sampled_from(sorted(country.alpha_3 for country in pycountry.countries)),
    # The only `uri` fields are sources' addresses, which are http(s) (their pattern says so).
    "uri": _HTTP_URLS,
}


def excused(failure: Any, response: Any) -> bool:
    """A schema-valid request rejected only for reasons the schema cannot give."""
    if not isinstance(failure, RejectedPositiveData):
        return False
    try:
        problem = json.loads(response.content)
    except ValueError:
        return False
    if problem.get("code") in CODES_SCHEMA_CANNOT_GIVE:
        return True
    errors = problem.get("errors") or []
    return bool(errors) and all(e.get("type") in REASONS_SCHEMA_CANNOT_GIVE for e in errors)
