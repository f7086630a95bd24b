"""What the ACLED, UCDP GED and GDELT adapters share: opening a table, reading numbers, dates,
`;`-separated lists and country names, and writing the EDTF of a span of days.

Every parser here raises `RowError` with the column name and the value, so one bad cell turns
its row into a reported error and never stops the file.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import IO, TypeVar

import pycountry

from app.core.types import check_country
from app.formats.reading import FileRejected, RowError, peek_header, text_stream

T = TypeVar("T")
TAG_LENGTH = 100
MAX_TAGS = 50
NOTE_LENGTH = 2000
_WHOLE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T][0-9:.]+Z?)?")
_SLASH_DAY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_COMPACT_DAY = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_NAMED_DAY = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]+)[ -]([0-9]{4})")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "pipes", ",": "commas"}
# Names ACLED and UCDP GED use that pycountry does not know (GED adds old names in brackets,
# e.g. "DR Congo (Zaire)", which are dropped before this lookup).
_COUNTRY_ALIASES = {
    "bosnia-herzegovina": "BIH",
    "brunei": "BRN",
    "burma": "MMR",
    "cape verde": "CPV",
    "congo": "COG",
    "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "east timor": "TLS",
    "ivory coast": "CIV",
    "kingdom of eswatini": "SWZ",
    "macedonia": "MKD",
    "macedonia, fyr": "MKD",
    "micronesia": "FSM",
    "palestine": "PSE",
    "republic of congo": "COG",
    "russia": "RUS",
    "sao tome and principe": "STP",
    "swaziland": "SWZ",
    "turkey": "TUR",
    "vatican city": "VAT",
    "zaire": "COD",
}
_STATE_BODY = re.compile(
    r"^(?:[A-Z][a-z]+ )*(?:Forces|Government|Force) of (?:the )?(?P<country>[^()]+?)\s*(?:\(|$)"
)


def open_table(stream: IO[bytes], *, delimiter: str = ",") -> tuple[io.TextIOWrapper, list[str]]:
    """The decoded file and its header cells; refuses an empty file or another separator."""
    text = text_stream(stream)
    header = peek_header(text, delimiter=delimiter)
    if len(header) == 1:
        for other, name in _SEPARATORS.items():
            if other != delimiter and other in header[0]:
                raise FileRejected(
                    f"line 1: the columns are separated by {name}, not {_SEPARATORS[delimiter]}."
                )
    return text, header


def cells(raw: Mapping[str, str], *, lower: bool = False) -> dict[str, str]:
    """The row's cells by column name; a column a short row lacks reads as an empty cell."""
    row: defaultdict[str, str] = defaultdict(str)
    row.update((name.lower() if lower else name, value) for name, value in raw.items())
    return row


def split_list(text: str) -> list[str]:
    """The non-empty items of a `;`-separated cell, trimmed, in order, without repeats."""
    return list(dict.fromkeys(item for item in split_aligned(text) if item))


def split_aligned(text: str) -> list[str]:
    """Every item of a `;`-separated cell, empty ones included, so that parallel lists (UCDP's
    source offices, dates and headlines) stay aligned by position. An item may be quoted
    ("AFP,2020-01-13,Clashes; two dead") to hold a ';' of its own."""
    if not text.strip():
        return []
    items = next(csv.reader([text], delimiter=";", skipinitialspace=True))
    return [item.strip() for item in items]


def place_kind(precision: int) -> str:
    """The kind of place a point of this precision (UCDP's 1-7 scale) stands for."""
    return {3: "region", 4: "region", 5: "region", 6: "country"}.get(precision, "other")


def whole_number(value: str, column: str) -> int | None:
    """A whole number, or None for an empty cell; spreadsheets' "12.0" is accepted."""
    text = value.strip()
    if not text:
        return None
    if _WHOLE.fullmatch(text) is None:
        raise RowError(f"{column}: not a whole number ({value})")
    return int(text.split(".")[0])


def count(value: str, column: str) -> int | None:
    """A whole number that counts something (0 or more), or None for an empty cell."""
    number = whole_number(value, column)
    if number is not None and number < 0:
        raise RowError(f"{column}: a count cannot be negative ({value})")
    return number


def decimal(value: str, column: str) -> float | None:
    """A decimal number (never NaN or infinity), or None for an empty cell."""
    text = value.strip()
    if not text:
        return None
    if _DECIMAL.fullmatch(text) is None:
        raise RowError(f"{column}: not a number ({value})")
    return float(text)


def coordinate(value: str, column: str, *, limit: int) -> float | None:
    """A latitude (limit 90) or longitude (limit 180) in degrees, or None for an empty cell."""
    number = decimal(value, column)
    if number is not None and not -limit <= number <= limit:
        raise RowError(f"{column}: outside -{limit}..{limit} degrees ({value})")
    return number


def code(value: str, column: str, table: Mapping[str, T], *, fold: bool = False) -> T:
    """What a code stands for in `table` (keys in lower case when `fold`); an unknown or empty
    code is an error."""
    key = value.strip().lower() if fold else value.strip()
    found = table.get(key)
    if found is None:
        raise RowError(f"{column}: unknown code ({value})")
    return found


def day(value: str, column: str) -> dt.date:
    """A calendar day written as 2020-01-14 (a time after it is ignored), 14/01/2020 (day
    first, as ACLED writes it), 20200114 (GDELT) or 14 January 2020."""
    text = value.strip()
    if not text:
        raise RowError(f"{column}: no date")
    for pattern, order in (
        (_ISO_DAY, (0, 1, 2)),
        (_SLASH_DAY, (2, 1, 0)),
        (_COMPACT_DAY, (0, 1, 2)),
        (_NAMED_DAY, (2, 1, 0)),
    ):
        match = pattern.fullmatch(text)
        if match is not None:
            return _real_day([match.group(index + 1) for index in order], column, value)
    raise RowError(f"{column}: not a date such as 2020-01-14 ({value})")


def _real_day(parts: list[str], column: str, value: str) -> dt.date:
    year, month, day_of_month = parts
    month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
    try:
        return dt.date(int(year), month_number, int(day_of_month))
    except ValueError:
        raise RowError(f"{column}: no such day ({value})") from None


def span(lower: dt.date, upper: dt.date) -> str:
    """The EDTF of the days lower..upper: one day, a whole month or year, or an interval."""
    if lower == upper:
        return lower.isoformat()
    month_end = calendar.monthrange(lower.year, lower.month)[1]
    if lower.day == 1 and upper == lower.replace(day=month_end):
        return f"{lower:%Y-%m}"
    if (lower.month, lower.day, upper.month, upper.day) == (1, 1, 12, 31) and (
        lower.year == upper.year
    ):
        return f"{lower.year:04d}"
    return f"{lower.isoformat()}/{upper.isoformat()}"


def country_by_name(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country named as ACLED or UCDP GED name it."""
    bare = re.sub(r"\s*\(.*\)\s*$", "", name).strip()
    if not bare:
        return None
    alias = _COUNTRY_ALIASES.get(bare.lower())
    if alias is not None:
        return alias
    try:
        country = pycountry.countries.lookup(bare)
    except LookupError:
        return None
    # lookup() also matches codes ("LY"); only a name is wanted here.
    return str(country.alpha_3) if len(bare) > 3 else None


def country_by_code(alpha_3: str) -> str | None:
    """The code itself when it is a current ISO 3166-1 alpha-3 code, else None."""
    try:
        return check_country(alpha_3.strip())
    except ValueError:
        return None


def country_by_number(number: str) -> str | None:
    """The alpha-3 code of an ISO 3166-1 numeric code such as 434 (Libya)."""
    digits = number.strip().split(".")[0]
    if not digits.isdigit():
        return None
    country = pycountry.countries.get(numeric=digits.zfill(3))
    return str(country.alpha_3) if country is not None else None


def state_country(actor: str) -> str | None:
    """The country of a state body named "Military Forces of Libya (2014-)" or "Government of
    Libya"; None for any other name, since only these say whose they are."""
    match = _STATE_BODY.match(actor.strip())
    return country_by_name(match.group("country")) if match else None


def english(text: str) -> dict[str, str] | None:
    """Localized text in English, or None for an empty cell."""
    stripped = text.strip()
    return {"en": stripped} if stripped else None


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tags(items: Iterable[str]) -> list[str]:
    """Distinct non-empty tags in order, each within the tag length, at most the tag limit."""
    kept = dict.fromkeys(clip(item.strip(), TAG_LENGTH) for item in items if item.strip())
    return list(kept)[:MAX_TAGS]
