"""EDTF strings (levels 0 and 1) turned into inclusive calendar-day bounds.

Scope: EDTF levels 0 and 1, plus three level-2 forms whose strict bounds are exact: unspecified
digits anywhere (``2020-01-1X``), qualifiers on single components (``2020-?01-13``) and the
level-2 season codes 25-41 (quarters, halves...). Lists/sets, significant digits and qualified
seasons are rejected, because one ``[lower, upper]`` pair cannot represent them faithfully.

Bounds are strict, never fuzzy: ``2020-01~`` is 2020-01-01..2020-01-31.

Precision, decided from the bounds (first rule that applies wins):

* ``open``: either end is open or unknown (``..`` or empty), even when qualified;
* ``approximate``: a ``~``, ``?`` or ``%`` qualifier appears anywhere;
* ``day``: a single calendar day (date-times included);
* ``month``: exactly one whole calendar month;
* ``year``: exactly one whole calendar year;
* ``days``: any other span (a few days, a season, ``2020-1X``, a decade, several months...).

The precision therefore describes the span, not the syntax: ``2020-01-01/2020-01-31`` is
``month`` like ``2020-01``, and ``2020-XX`` is ``year`` like ``2020``.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import re
import time
from dataclasses import dataclass
from datetime import date

from edtf import parse_edtf

MAX_LENGTH = 100
PRECISIONS = ("day", "days", "month", "year", "approximate", "open")

_QUALIFIERS = "~?%"
_OPEN_ENDS = ("", "..")
_DIGITS = "0123456789"
_EXAMPLES = "e.g. 2020-01-13, 2020-01, 2020, 2020-01~ or 2020-01-12/2020-01-14"
_UNSUPPORTED = {
    "[": "lists of dates ([...]) are not supported; use an interval such as 2020-01/2020-03",
    "{": "sets of dates ({...}) are not supported; use an interval such as 2020-01/2020-03",
    "S": "significant digits (S) are not supported; use unspecified digits such as 19XX",
    "^": "qualified seasons (^) are not supported; use a plain season such as 2020-21",
    # Caught before the library, which would compute 10**exponent for "Y1E999999999".
    "Y": "years written with Y have 5+ digits, outside the supported range 0001-9999",
}
# [0-9], not \d: \d also matches non-ASCII digits, which int() would silently accept.
_PLAIN = re.compile(r"(-?[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_UNSPECIFIED = re.compile(r"(-?)([0-9X]{4})(?:-([0-9X]{2})(?:-([0-9X]{2}))?)?[~?%]?")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T(.+)")
_CLOCK = re.compile(
    r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?|24:00(?::00)?)"
    r"(?:Z|[+-](?:0[0-9]|1[0-4])(?::[0-5][0-9])?)?"
)


class EdtfError(ValueError):
    """An EDTF string that cannot be used; `str(err)` says which part is wrong and why."""


@dataclass(frozen=True, slots=True)
class DateBounds:
    """Inclusive calendar bounds of an EDTF value, and how precise they are."""

    lower: date | None  # inclusive first calendar day; None = unbounded/unknown start
    upper: date | None  # inclusive last calendar day; None = unbounded/unknown end
    precision: str  # one of PRECISIONS


# A file of a million events holds a few thousand distinct dates, each checked on validation
# and again when the event is built; the EDTF library's parser takes milliseconds per call.
@functools.lru_cache(maxsize=16384)
def parse_when(text: str) -> DateBounds:
    """Parse an EDTF date, date-time or interval into inclusive calendar-day bounds."""
    cleaned = _clean(text)
    lower: date | None
    upper: date | None
    if "/" in cleaned:
        lower, upper = _interval(cleaned)
    else:
        lower, upper = _expression(cleaned, f"'{cleaned}'")
    qualified = any(mark in cleaned for mark in _QUALIFIERS)
    return DateBounds(lower, upper, _precision(lower, upper, qualified))


def stored_bounds(when: str | None) -> tuple[date | None, date | None]:
    """(lower, upper) of a stored EDTF string; (None, None) when absent. Stored dates were
    checked on the way in, so a failure here means none to show rather than an error."""
    if not when:
        return None, None
    try:
        parsed = parse_when(when)
    except EdtfError:
        return None, None
    return parsed.lower, parsed.upper


def overlaps(bounds: DateBounds, start: date | None, end: date | None) -> bool:
    """Whether the event's bounds meet the window [start, end]; None means unbounded."""
    # SQL twin: (upper IS NULL OR :start IS NULL OR upper >= :start)
    #       AND (lower IS NULL OR :end IS NULL OR lower <= :end)
    reaches_start = bounds.upper is None or start is None or bounds.upper >= start
    reaches_end = bounds.lower is None or end is None or bounds.lower <= end
    return reaches_start and reaches_end


def within(bounds: DateBounds, start: date | None, end: date | None) -> bool:
    """Whether the event certainly lies inside the window [start, end]; None means unbounded."""
    # An unknown event end may lie beyond any bounded window end, so it is never "within";
    # SQL twin: (:start IS NULL OR lower >= :start) AND (:end IS NULL OR upper <= :end)
    after_start = start is None or (bounds.lower is not None and bounds.lower >= start)
    before_end = end is None or (bounds.upper is not None and bounds.upper <= end)
    return after_start and before_end


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise EdtfError(f"an EDTF value must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise EdtfError(
            f"the EDTF value is {len(text)} characters long; at most {MAX_LENGTH} are allowed"
        )
    stripped = text.strip()
    if not stripped:
        raise EdtfError(f"the EDTF value is empty; give a date, {_EXAMPLES}")
    if not stripped.isascii():
        raise EdtfError(f"'{stripped}' contains non-ASCII characters; EDTF uses ASCII only")
    # The library's grammar skips whitespace between tokens ("2020-01-13 T17:00:00" parses).
    if any(char.isspace() for char in stripped):
        raise EdtfError(f"'{stripped}' contains whitespace; EDTF allows none inside a value")
    for char, reason in _UNSUPPORTED.items():
        if char in stripped:
            raise EdtfError(f"'{stripped}': {reason}")
    return stripped


def _interval(text: str) -> tuple[date | None, date | None]:
    start, _, end = text.partition("/")
    if "/" in end:
        raise EdtfError(f"'{text}' has more than one '/'; an interval is start/end")
    lower = _interval_end(start, "start", text, latest=False)
    upper = _interval_end(end, "end", text, latest=True)
    if lower is None and upper is None:
        raise EdtfError(f"'{text}' has neither a start nor an end; give at least one date")
    if lower is not None and upper is not None and lower > upper:
        raise EdtfError(f"start {start} is after end {end} in '{text}'")
    return lower, upper


def _interval_end(part: str, side: str, text: str, *, latest: bool) -> date | None:
    if part in _OPEN_ENDS:
        return None
    what = f"the {side} '{part}' of '{text}'"
    if "T" in part:
        raise EdtfError(f"{what} has a time of day; interval ends must be dates like 2020-01-13")
    lower, upper = _expression(part, what)
    return upper if latest else lower


def _expression(part: str, what: str) -> tuple[date, date]:
    """Bounds of one EDTF expression that is not an interval; `what` names it in errors."""
    if "X" in part:
        return _unspecified(part, what)
    if "T" in part:
        return _datetime(part, what)
    core = _PLAIN.fullmatch(part.translate({ord(mark): None for mark in _QUALIFIERS}))
    if core is not None:
        _check_fields(core, what)
    if core is not None and _plain_or_qualified(core, part) and not _is_season(core):
        return _plain_bounds(core)
    return _library_bounds(part, what)


def _check_fields(core: re.Match[str], what: str) -> None:
    year_text, month_text, day_text = core.groups()
    year = int(year_text)
    if not 1 <= year <= 9999:
        raise _year_error(what, year_text)
    if month_text is None or _is_season(core):
        return
    month = int(month_text)
    if not 1 <= month <= 12:
        seasons = "" if day_text else ", seasons 21-41"
        raise EdtfError(
            f"{what} has month {month_text}, which is invalid (months are 01-12{seasons})"
        )
    last = calendar.monthrange(year, month)[1]
    if day_text is not None and not 1 <= int(day_text) <= last:
        month_name = calendar.month_name[month]
        raise EdtfError(
            f"{what} has day {day_text}, which is out of range: {month_name} {year} has {last} days"
        )


def _plain_or_qualified(core: re.Match[str], part: str) -> bool:
    """Plain digits, or plain digits with one qualifier after them ("2020-01-13~"): a
    qualifier widens no strict bound, so both have the bounds of the plain date."""
    plain = core.group(0)
    return part == plain or (part[:-1] == plain and part[-1] in _QUALIFIERS)


def _is_season(core: re.Match[str]) -> bool:
    _, month_text, day_text = core.groups()
    return day_text is None and month_text is not None and 21 <= int(month_text) <= 41


def _plain_bounds(core: re.Match[str]) -> tuple[date, date]:
    # Plain digits were fully validated by _check_fields; skipping pyparsing here saves ~10 ms.
    year_text, month_text, day_text = core.groups()
    year = int(year_text)
    if month_text is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(month_text)
    if day_text is None:
        return date(year, month, 1), _month_end(year, month)
    day = date(year, month, int(day_text))
    return day, day


def _library_bounds(part: str, what: str) -> tuple[date, date]:
    try:
        parsed = parse_edtf(part)
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
    except Exception as exc:  # the library raises ParseException, ValueError, AttributeError...
        raise EdtfError(f"{what} is not valid EDTF ({_EXAMPLES})") from exc
    return _to_date(lower, what), _to_date(upper, what)


def _to_date(value: object, what: str) -> date:
    if not isinstance(value, time.struct_time) or not 1 <= value.tm_mon <= 12:
        raise EdtfError(f"{what} has no definite calendar bounds")
    if not 1 <= value.tm_year <= 9999:
        raise _year_error(what, f"{value.tm_year:04d}")
    # The library builds struct_times without calendar checks (it answers 2021-02-29 for
    # "2021-02-29", 9999-02-29 for "XXXX-02-29"); written days are checked before, so any
    # impossible day left here is a computed month end and is clamped to the real one.
    day = min(max(value.tm_mday, 1), calendar.monthrange(value.tm_year, value.tm_mon)[1])
    return date(value.tm_year, value.tm_mon, day)


def _unspecified(part: str, what: str) -> tuple[date, date]:
    # edtf 5.0.2 crashes on many X forms ("2020-0X", "2020-01-1X"), so they are solved here.
    match = _UNSPECIFIED.fullmatch(part)
    if match is None:
        raise EdtfError(f"{what} is not valid EDTF: X may only replace digits, e.g. 2020-01-1X")
    sign, year, month, day = match.groups()
    if sign or int(year.replace("X", "0")) < 1:
        raise _year_error(what, sign + year, "can fall")
    months = [value for value in range(1, 13) if _fits(month or "XX", value)]
    if not months:
        raise EdtfError(f"{what} has month {month}, which matches no month 01-12")
    # Leap year 2000 gives each month its longest length; this check keeps hopeless patterns
    # such as 1XXX-02-3X from walking through a thousand years.
    if not any(_fits(day or "XX", value) for value in _month_days(2000, months)):
        raise EdtfError(f"{what} has day {day}, which never occurs in month {month}")
    lower = _extreme_date(year, months, day or "XX", latest=False)
    upper = _extreme_date(year, months, day or "XX", latest=True)
    if lower is None or upper is None:
        raise EdtfError(f"{what} matches no calendar date: no such year has a February 29")
    return lower, upper


def _month_days(year: int, months: list[int]) -> set[int]:
    return {day for month in months for day in range(1, calendar.monthrange(year, month)[1] + 1)}


def _extreme_date(year: str, months: list[int], day: str, *, latest: bool) -> date | None:
    """The earliest (or latest) real date whose digits fit the patterns."""
    digits = _DIGITS[::-1] if latest else _DIGITS
    # product() yields fixed-width digit strings in lexicographic, hence numeric, order.
    choices = (digits if char == "X" else char for char in year)
    for year_digits in itertools.product(*choices):
        year_value = int("".join(year_digits))
        for month in reversed(months) if latest else months:
            last = calendar.monthrange(year_value, month)[1]
            days = [value for value in range(1, last + 1) if _fits(day, value)]
            if days:
                return date(year_value, month, days[-1] if latest else days[0])
    return None


def _fits(pattern: str, value: int) -> bool:
    return all(want in ("X", got) for want, got in zip(pattern, f"{value:02d}", strict=True))


def _datetime(part: str, what: str) -> tuple[date, date]:
    # Done here, not by the library: edtf 5.0.2 rejects hh:mm and "+00:00" but accepts
    # "2020T17:00:00". The bounds are the date as written, never shifted to UTC.
    match = _DATETIME.fullmatch(part)
    if match is None:
        raise EdtfError(f"{what} is not a valid date-time; use e.g. 2020-01-13T17:00+03:00")
    day_text, clock = match.groups()
    if _CLOCK.fullmatch(clock) is None:
        raise EdtfError(
            f"{what} has an invalid time '{clock}' (use hh:mm or hh:mm:ss, then Z or +hh:mm)"
        )
    return _expression(day_text, what)


def _year_error(what: str, year: str, verb: str = "is") -> EdtfError:
    return EdtfError(f"{what} has year {year}, which {verb} outside the supported range 0001-9999")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _precision(lower: date | None, upper: date | None, qualified: bool) -> str:
    if lower is None or upper is None:
        return "open"
    if qualified:
        return "approximate"
    if lower == upper:
        return "day"
    if lower.day == 1 and upper == _month_end(lower.year, lower.month):
        return "month"
    if (lower.month, lower.day) == (1, 1) and upper == date(lower.year, 12, 31):
        return "year"
    return "days"
