"""Validated field types shared by every schema: language tags, localized text, countries, EDTF."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import pycountry
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.dates import EdtfError, parse_when

_BCP47 = re.compile(
    r"(?P<language>[A-Za-z]{2,3})(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
)
# Python's whitespace (str.isspace, what str.strip removes), spelled out for JSON Schema,
# whose \s means something slightly different.
_SPACE = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NOT_BLANK = f"[^{_SPACE}]"


def _documented(**schema: Any) -> Any:
    """Say more in the JSON Schema than pydantic can infer (a pattern the validator already
    enforces, a format); validation itself is unchanged."""
    return Field(json_schema_extra=schema)


def check_language_tag(tag: str) -> str:
    """A well-formed BCP 47 tag whose language subtag is a real ISO 639 language."""
    match = _BCP47.fullmatch(tag)
    if match is None:
        raise ValueError(f"{tag!r} is not a BCP 47 language tag such as 'ar' or 'en-GB'")
    language = match.group("language").lower()
    known = pycountry.languages.get(alpha_2=language) or pycountry.languages.get(alpha_3=language)
    if known is None:
        raise ValueError(f"{tag!r}: {language!r} is not an ISO 639 language code")
    return tag


def check_localized(value: dict[str, str]) -> dict[str, str]:
    """At least one language; every tag valid; no empty text."""
    if not value:
        raise ValueError("give the text in at least one language, e.g. {'ar': '...'}")
    for tag, text in value.items():
        check_language_tag(tag)
        if not text.strip():
            raise ValueError(f"the {tag!r} text is empty")
    return value


def check_country(code: str) -> str:
    """An ISO 3166-1 alpha-3 code (upper case)."""
    if pycountry.countries.get(alpha_3=code.upper()) is None or len(code) != 3:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code such as 'LBY'")
    return code.upper()


def check_when(value: str) -> str:
    """An EDTF string Waqai can place on a timeline."""
    try:
        parse_when(value)
    except EdtfError as exc:
        raise ValueError(str(exc)) from exc
    return value.strip()


# `bcp47`: a BCP 47 tag whose language ISO 639 knows (ar, en-GB, ar-Latn...). A pattern would
# give the shape only, and Schemathesis reads a pattern instead of the format.
LANGUAGE_TAG_SCHEMA = {"format": "bcp47"}
LanguageTag = Annotated[
    str,
    StringConstraints(max_length=35),
    AfterValidator(check_language_tag),
    _documented(**LANGUAGE_TAG_SCHEMA, examples=["ar", "en-GB"]),
]
LocalizedText = Annotated[
    dict[str, Annotated[str, StringConstraints(max_length=20_000), _documented(pattern=NOT_BLANK)]],
    AfterValidator(check_localized),
    Field(
        description="Text keyed by BCP 47 language tag; at least one, none blank.",
        examples=[{"ar": "محادثات موسكو", "en": "Moscow talks"}],
        json_schema_extra={"minProperties": 1, "propertyNames": LANGUAGE_TAG_SCHEMA},
    ),
]
# `iso3166-alpha3`: a country's ISO 3166-1 alpha-3 code (upper case; lower case is read as
# upper). Not an enum of the 249 codes: that would weigh on every schema naming a country.
COUNTRY_SCHEMA = {"format": "iso3166-alpha3", "examples": ["LBY"]}
CountryCode = Annotated[
    str,
    AfterValidator(check_country),
    Field(description="ISO 3166-1 alpha-3.", json_schema_extra=COUNTRY_SCHEMA),
]
# `edtf`: EDTF (ISO 8601-2) levels 0 and 1 and a few of level 2, as app.core.dates reads them.
EDTF_SCHEMA = {"format": "edtf"}
When = Annotated[
    str,
    StringConstraints(max_length=100),
    AfterValidator(check_when),
    Field(
        description="EDTF date or interval, e.g. 2020-01-13 or 2020-01-12/..",
        examples=["2020-01-13"],
        json_schema_extra=EDTF_SCHEMA,
    ),
]


def to_utc(instant: dt.datetime) -> dt.datetime:
    """The instant in UTC, as it is stored and returned (naive means UTC already)."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=dt.UTC)
    try:
        return instant.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError(f"{instant.isoformat()} is outside the years 1-9999 in UTC") from exc


_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _rfc3339(value: Any) -> Any:
    """An instant as RFC 3339 writes it (JSON Schema's date-time): lax validation would also
    read "0.5" as half a second after 1970, or a date without its time or offset."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or _RFC3339.fullmatch(value) is None:
        raise PydanticCustomError(
            "datetime_format",
            "Input should be an RFC 3339 date-time with its offset, e.g. 2020-01-13T08:00:00Z",
        )
    return value


RFC3339 = BeforeValidator(_rfc3339)


def _iso_day(value: Any) -> Any:
    """A day as ISO 8601 writes it (JSON Schema's date): lax validation reads 0 as 1970-01-01."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is None:
        raise PydanticCustomError("date_format", "Input should be a day, e.g. 2020-01-13")
    return value


ISO_DAY = BeforeValidator(_iso_day)


def _json_number(value: Any) -> Any:
    """A number as JSON has it: lax validation would also read "3" or true as 3."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "Input should be a JSON number")
    return value


# After the constraints in an Annotated (they stay in the document's schema): `ge=1` before it.
JSON_NUMBER = BeforeValidator(_json_number)
Instant = Annotated[
    AwareDatetime,
    RFC3339,
    AfterValidator(to_utc),
    Field(description="RFC 3339 instant with its offset; stored and returned in UTC."),
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
ExternalIds = Annotated[
    dict[
        Annotated[str, StringConstraints(min_length=1, max_length=50)],
        Annotated[
            str,
            StringConstraints(min_length=1, max_length=200, strip_whitespace=True),
            _documented(pattern=NOT_BLANK),
        ],
    ],
    Field(description="Identifiers in other datasets, e.g. {'acled': 'LBY1234'}."),
]


class Input(BaseModel):
    """Base of request bodies: unknown and server-owned fields are refused, and so is the NUL
    character anywhere in the text (PostgreSQL cannot store it; SQLite would, differently)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_character(cls, data: Any) -> Any:
        # Every field of every imported row passes here and almost none holds a NUL: the
        # path to one is spelt out only when there is one.
        where = _nul_in(data) if _holds_nul(data) else None
        if where is not None:
            raise ValueError(f"{where or 'text'}: text may not contain the NUL character (U+0000)")
        return data


def _nul_in(value: Any, path: str = "") -> str | None:
    """The path of the first string (or key) holding U+0000, if any."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = ((f"[{i}]", item) for i, item in enumerate(value))
    else:
        return None
    for key, item in items:
        key_text = str(key)
        here = f"{path}.{key_text}" if path and not key_text.startswith("[") else path + key_text
        if "\x00" in key_text:
            return here
        found = _nul_in(item, here)
        if found is not None:
            return found
    return None


def _holds_nul(value: Any) -> bool:
    """Whether any string (or key) holds U+0000: `_nul_in` without spelling out paths."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in str(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


class Output(BaseModel):
    """Base of response bodies, read straight from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


def present(data: BaseModel) -> dict[str, Any]:
    """The fields a client actually sent (PATCH semantics)."""
    return data.model_dump(exclude_unset=True)
