"""EDTF strings to calendar bounds, and the window rules the SQL filters mirror."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.dates import PRECISIONS, DateBounds, EdtfError, overlaps, parse_when, within

D = date
# No example database to write; no deadline, as the first pyparsing call takes ~40 ms.
PROPERTY = settings(database=None, deadline=None)
MASKABLE = (0, 1, 2, 3, 5, 6, 8, 9)  # digit positions of an ISO yyyy-mm-dd string

VALID = [
    # level 0: day, month, year
    ("2020-01-13", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01", D(2020, 1, 1), D(2020, 1, 31), "month"),
    ("2020-02", D(2020, 2, 1), D(2020, 2, 29), "month"),
    ("2021-02", D(2021, 2, 1), D(2021, 2, 28), "month"),
    ("1900-02", D(1900, 2, 1), D(1900, 2, 28), "month"),
    ("2000-02", D(2000, 2, 1), D(2000, 2, 29), "month"),
    ("2020-04", D(2020, 4, 1), D(2020, 4, 30), "month"),
    ("2020-02-29", D(2020, 2, 29), D(2020, 2, 29), "day"),
    ("2020", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("0001", D(1, 1, 1), D(1, 12, 31), "year"),
    ("9999-12-31", D(9999, 12, 31), D(9999, 12, 31), "day"),
    # qualifiers: strict bounds, precision "approximate"
    ("2020-01~", D(2020, 1, 1), D(2020, 1, 31), "approximate"),
    ("2020-01?", D(2020, 1, 1), D(2020, 1, 31), "approximate"),
    ("2020-01%", D(2020, 1, 1), D(2020, 1, 31), "approximate"),
    ("2020~", D(2020, 1, 1), D(2020, 12, 31), "approximate"),
    ("2020-01-13?", D(2020, 1, 13), D(2020, 1, 13), "approximate"),
    ("?2020-01", D(2020, 1, 1), D(2020, 1, 31), "approximate"),
    ("2020-?01-13", D(2020, 1, 13), D(2020, 1, 13), "approximate"),
    ("2020-01~-12", D(2020, 1, 12), D(2020, 1, 12), "approximate"),
    ("2020-XX~", D(2020, 1, 1), D(2020, 12, 31), "approximate"),
    ("2020-01-1X?", D(2020, 1, 10), D(2020, 1, 19), "approximate"),
    # intervals
    ("2020-01-12/2020-01-14", D(2020, 1, 12), D(2020, 1, 14), "days"),
    ("2020-01-12/2020-01-12", D(2020, 1, 12), D(2020, 1, 12), "day"),
    ("2020-01-01/2020-01-31", D(2020, 1, 1), D(2020, 1, 31), "month"),
    ("2020-01-01/2020-12-31", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("2020/2020", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("2020/2021", D(2020, 1, 1), D(2021, 12, 31), "days"),
    ("2020-01/2020-03", D(2020, 1, 1), D(2020, 3, 31), "days"),
    ("2020-01-15/2020-01", D(2020, 1, 15), D(2020, 1, 31), "days"),
    ("2020-01-12/2020-01-14~", D(2020, 1, 12), D(2020, 1, 14), "approximate"),
    ("2020-01-12?/2020-01-14", D(2020, 1, 12), D(2020, 1, 14), "approximate"),
    ("2020-01-1X/2020-02", D(2020, 1, 10), D(2020, 2, 29), "days"),
    ("2020-21/2020-22", D(2020, 3, 1), D(2020, 8, 31), "days"),
    # unspecified digits: the widest span, precision by the span rule
    ("2020-01-1X", D(2020, 1, 10), D(2020, 1, 19), "days"),
    ("2020-01-0X", D(2020, 1, 1), D(2020, 1, 9), "days"),
    ("2020-01-3X", D(2020, 1, 30), D(2020, 1, 31), "days"),
    ("2020-02-2X", D(2020, 2, 20), D(2020, 2, 29), "days"),
    ("2021-02-2X", D(2021, 2, 20), D(2021, 2, 28), "days"),
    ("2020-04-3X", D(2020, 4, 30), D(2020, 4, 30), "day"),
    ("2020-01-XX", D(2020, 1, 1), D(2020, 1, 31), "month"),
    ("2021-02-XX", D(2021, 2, 1), D(2021, 2, 28), "month"),
    ("2020-XX", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("2020-XX-XX", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("2020-0X", D(2020, 1, 1), D(2020, 9, 30), "days"),
    ("2020-1X", D(2020, 10, 1), D(2020, 12, 31), "days"),
    ("2020-XX-31", D(2020, 1, 31), D(2020, 12, 31), "days"),
    ("2020-1X-31", D(2020, 10, 31), D(2020, 12, 31), "days"),
    ("202X-02-29", D(2020, 2, 29), D(2028, 2, 29), "days"),
    ("1X00-02-29", D(1200, 2, 29), D(1600, 2, 29), "days"),
    ("201X", D(2010, 1, 1), D(2019, 12, 31), "days"),
    ("20XX", D(2000, 1, 1), D(2099, 12, 31), "days"),
    ("1XXX", D(1000, 1, 1), D(1999, 12, 31), "days"),
    # seasons: the library's months (its winter is December only)
    ("2020-21", D(2020, 3, 1), D(2020, 5, 31), "days"),
    ("2020-22", D(2020, 6, 1), D(2020, 8, 31), "days"),
    ("2020-23", D(2020, 9, 1), D(2020, 11, 30), "days"),
    ("2020-24", D(2020, 12, 1), D(2020, 12, 31), "month"),
    ("2020-33", D(2020, 1, 1), D(2020, 3, 31), "days"),
    # date-times: the date as written, never shifted to UTC
    ("2020-01-13T17:00+03:00", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01-13T17:00:00Z", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01-13T17:00", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01-13T23:30:00-05:00", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01-13T01:00+14:00", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01-13T17:00:00+00:00", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("2020-01-13T24:00:00", D(2020, 1, 13), D(2020, 1, 13), "day"),
    # open (..) and unknown (empty) ends
    ("2020-01-12/..", D(2020, 1, 12), None, "open"),
    ("../2020-01-14", None, D(2020, 1, 14), "open"),
    ("2020-01-12/", D(2020, 1, 12), None, "open"),
    ("/2020-01-14", None, D(2020, 1, 14), "open"),
    ("2020/..", D(2020, 1, 1), None, "open"),
    ("../2020-01", None, D(2020, 1, 31), "open"),
    ("2020-01~/..", D(2020, 1, 1), None, "open"),
    ("../2020-01-14?", None, D(2020, 1, 14), "open"),
    # surrounding whitespace is ignored
    (" 2020-01-13 ", D(2020, 1, 13), D(2020, 1, 13), "day"),
    ("\t2020\n", D(2020, 1, 1), D(2020, 12, 31), "year"),
]

INVALID = [
    pytest.param("", ["empty"], id="empty"),
    pytest.param("   ", ["empty"], id="blank"),
    pytest.param("2" * 101, ["101 characters", "100"], id="too-long"),
    pytest.param("foo", ["'foo'", "not valid EDTF"], id="garbage"),
    pytest.param("2020-1", ["'2020-1'", "not valid EDTF"], id="one-digit-month"),
    pytest.param("..", ["'..'", "not valid EDTF"], id="bare-open"),
    pytest.param("2020-01-1x", ["'2020-01-1x'", "not valid EDTF"], id="lowercase-x"),
    pytest.param("2020-01-1X-", ["'2020-01-1X-'", "X may only replace digits"], id="bad-x"),
    # which side of an interval is wrong
    pytest.param(
        "2020-13-01/2020-01-14", ["start '2020-13-01'", "month 13", "01-12"], id="start-month"
    ),
    pytest.param("2020-01-12/2020-13-01", ["end '2020-13-01'", "month 13"], id="end-month"),
    pytest.param("2020-1/2020-01-14", ["start '2020-1'", "not valid EDTF"], id="start-garbage"),
    pytest.param("2020-01-12/2020-1", ["end '2020-1'", "not valid EDTF"], id="end-garbage"),
    pytest.param("2020-01-12/..~", ["end '..~'", "not valid EDTF"], id="end-qualified-open"),
    pytest.param("2020-01-12/0000", ["end '0000'", "year 0000"], id="end-year"),
    pytest.param("2020-01-12/2020-02-30", ["end '2020-02-30'", "day 30", "29 days"], id="end-day"),
    # impossible calendar days
    pytest.param("2020-02-30", ["day 30", "February 2020", "29 days"], id="feb-30"),
    pytest.param("2021-02-29", ["day 29", "February 2021", "28 days"], id="feb-29-common"),
    pytest.param("1900-02-29", ["day 29", "February 1900", "28 days"], id="feb-29-century"),
    pytest.param("2020-04-31", ["day 31", "April 2020", "30 days"], id="apr-31"),
    pytest.param("2020-01-00", ["day 00"], id="day-00"),
    pytest.param("2021-02-29~", ["day 29", "February 2021"], id="feb-29-qualified"),
    pytest.param("2020-00", ["month 00", "01-12"], id="month-00"),
    pytest.param("2020-13", ["month 13", "01-12"], id="month-13"),
    pytest.param("2020-21-01", ["month 21", "01-12"], id="season-with-day"),
    pytest.param("2020-4X", ["month 4X", "no month"], id="x-month"),
    pytest.param("2021-02-3X", ["day 3X", "month 02"], id="x-day"),
    pytest.param("X900-02-29", ["'X900-02-29'", "no calendar date"], id="x-no-leap-year"),
    # start after end
    pytest.param(
        "2020-01-14/2020-01-12", ["start 2020-01-14 is after end 2020-01-12"], id="reversed"
    ),
    pytest.param("2020-02/2020-01-15", ["start 2020-02 is after end 2020-01-15"], id="rev-month"),
    # years outside 0001-9999
    pytest.param("0000", ["year 0000", "0001-9999"], id="year-0"),
    pytest.param("-0001", ["year -0001", "0001-9999"], id="negative-year"),
    pytest.param("0XXX", ["year 0XXX", "0001-9999"], id="x-year-0"),
    pytest.param("-1XXX", ["year -1XXX", "0001-9999"], id="x-negative-year"),
    pytest.param("Y12345", ["'Y12345'", "0001-9999"], id="long-year"),
    pytest.param("Y1E999999999", ["'Y1E999999999'", "0001-9999"], id="exponential-year"),
    # interval shape
    pytest.param("../..", ["neither a start nor an end"], id="both-open"),
    pytest.param("/", ["neither a start nor an end"], id="both-unknown"),
    pytest.param("2020/2021/2022", ["more than one '/'"], id="two-slashes"),
    pytest.param(
        "2020-01-13T17:00/2020-01-14", ["start '2020-01-13T17:00'", "time of day"], id="dt-start"
    ),
    # date-times
    pytest.param("2020-01-13T25:00", ["'25:00'", "invalid time"], id="hour-25"),
    pytest.param("2020-01-13T17:00:60", ["'17:00:60'", "invalid time"], id="second-60"),
    pytest.param("2020-01-13T17:00+15:00", ["'17:00+15:00'", "invalid time"], id="offset-15"),
    pytest.param("2020-01-13T17:00:00.5", ["'17:00:00.5'", "invalid time"], id="fraction"),
    pytest.param("2020T17:00:00", ["'2020T17:00:00'", "not a valid date-time"], id="dt-year"),
    pytest.param("2020-01T17:00", ["'2020-01T17:00'", "not a valid date-time"], id="dt-month"),
    pytest.param("2020-02-30T10:00", ["day 30", "29 days"], id="dt-feb-30"),
    # forms outside the supported subset
    pytest.param("2020-01-13 T17:00:00", ["whitespace"], id="inner-space"),
    pytest.param("2020 / 2021", ["whitespace"], id="spaced-interval"),
    pytest.param("[2020,2021]", ["lists"], id="choice-list"),
    pytest.param("{2020,2021}", ["sets"], id="inclusive-list"),
    pytest.param("1950S2", ["significant digits"], id="significant-digits"),
    pytest.param("2020-21^x", ["qualified seasons"], id="qualified-season"),
    pytest.param("\u0662\u0660\u0662\u0660", ["non-ASCII"], id="arabic-digits"),
]


def _mask(iso: str, positions: frozenset[int]) -> str:
    return "".join("X" if index in positions else char for index, char in enumerate(iso))


def _edtf_texts() -> st.SearchStrategy[str]:
    """Mostly well-formed EDTF, some of it invalid (year 0XXX, 2021-0X-31...)."""
    days = st.dates().map(date.isoformat)
    months = st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}")
    years = st.integers(1, 9999).map(lambda y: f"{y:04d}")
    seasons = st.builds(lambda y, s: f"{y:04d}-{s}", st.integers(1, 9999), st.integers(21, 41))
    masked = st.builds(_mask, days, st.frozensets(st.sampled_from(MASKABLE), min_size=1))
    single = st.one_of(days, months, years, seasons, masked)
    qualified = st.builds(lambda s, q: s + q, single, st.sampled_from(["", "~", "?", "%"]))
    end = st.one_of(qualified, st.sampled_from(["", ".."]))
    return st.one_of(qualified, st.builds(lambda a, b: f"{a}/{b}", end, end))


@st.composite
def _event_bounds(draw: st.DrawFn) -> DateBounds:
    lower = draw(st.none() | st.dates())
    upper = draw(st.none() | st.dates(min_value=lower or date.min))
    return DateBounds(lower, upper, "open" if lower is None or upper is None else "days")


class TestParseWhen:
    @pytest.mark.parametrize(
        ("text", "lower", "upper", "precision"), VALID, ids=[case[0] for case in VALID]
    )
    def test_bounds(
        self, text: str, lower: date | None, upper: date | None, precision: str
    ) -> None:
        assert parse_when(text) == DateBounds(lower, upper, precision)

    @pytest.mark.parametrize(("text", "fragments"), INVALID)
    def test_error_names_the_bad_part(self, text: str, fragments: list[str]) -> None:
        with pytest.raises(EdtfError) as caught:
            parse_when(text)
        for fragment in fragments:
            assert fragment in str(caught.value)

    def test_error_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="not valid EDTF"):
            parse_when("nonsense")

    def test_non_string_is_an_edtf_error(self) -> None:
        with pytest.raises(EdtfError, match="must be a string"):
            parse_when(20200113)  # type: ignore[arg-type]

    def test_precisions_are_the_published_ones(self) -> None:
        produced = {precision for *_, precision in VALID}
        assert produced == set(PRECISIONS)

    @PROPERTY
    @given(st.dates())
    def test_any_iso_date_is_that_day(self, day: date) -> None:
        assert parse_when(day.isoformat()) == DateBounds(day, day, "day")

    @PROPERTY
    @given(st.dates(), st.dates())
    def test_ordered_pair_is_an_interval_with_those_bounds(self, first: date, second: date) -> None:
        start, end = sorted((first, second))
        bounds = parse_when(f"{start.isoformat()}/{end.isoformat()}")
        assert (bounds.lower, bounds.upper) == (start, end)
        assert (bounds.precision == "day") == (start == end)
        assert bounds.precision in {"day", "days", "month", "year"}

    @PROPERTY
    @given(st.dates(), st.dates())
    def test_reversed_pair_is_rejected(self, first: date, second: date) -> None:
        start, end = sorted((first, second))
        if start == end:
            return
        with pytest.raises(EdtfError, match=f"start {end.isoformat()} is after end"):
            parse_when(f"{end.isoformat()}/{start.isoformat()}")

    @PROPERTY
    @given(_edtf_texts())
    def test_bounds_are_ordered_and_precision_known(self, text: str) -> None:
        try:
            bounds = parse_when(text)
        except EdtfError:
            return
        if bounds.lower is not None and bounds.upper is not None:
            assert bounds.lower <= bounds.upper
        assert bounds.precision in PRECISIONS
        assert (bounds.precision == "open") == (bounds.lower is None or bounds.upper is None)

    @PROPERTY
    @given(st.text(alphabet="0123456789X-/.~?%TZ:+ ", max_size=30))
    def test_odd_input_raises_only_edtf_error(self, text: str) -> None:
        try:
            bounds = parse_when(text)
        except EdtfError:
            return
        assert bounds.precision in PRECISIONS


JAN = DateBounds(D(2020, 1, 10), D(2020, 1, 20), "days")
FROM_JAN = DateBounds(D(2020, 1, 10), None, "open")
UNTIL_JAN = DateBounds(None, D(2020, 1, 20), "open")
DAY = DateBounds(D(2020, 1, 13), D(2020, 1, 13), "day")

# bounds, window start, window end, overlaps, within
WINDOWS = [
    (JAN, None, None, True, True),
    (JAN, D(2020, 1, 1), D(2020, 1, 31), True, True),
    (JAN, D(2020, 1, 10), D(2020, 1, 20), True, True),
    (JAN, D(2020, 1, 15), D(2020, 1, 31), True, False),
    (JAN, D(2020, 1, 20), D(2020, 1, 31), True, False),
    (JAN, D(2020, 1, 21), D(2020, 1, 31), False, False),
    (JAN, D(2020, 1, 1), D(2020, 1, 10), True, False),
    (JAN, D(2020, 1, 1), D(2020, 1, 9), False, False),
    (JAN, None, D(2020, 1, 15), True, False),
    (JAN, None, D(2020, 1, 20), True, True),
    (JAN, None, D(2020, 1, 9), False, False),
    (JAN, D(2020, 1, 10), None, True, True),
    (JAN, D(2020, 1, 11), None, True, False),
    (JAN, D(2020, 1, 21), None, False, False),
    (FROM_JAN, None, None, True, True),
    (FROM_JAN, D(2020, 1, 1), None, True, True),
    (FROM_JAN, D(2030, 1, 1), None, True, False),
    (FROM_JAN, D(2020, 1, 1), D(2020, 1, 31), True, False),
    (FROM_JAN, D(2020, 1, 1), D(2020, 1, 9), False, False),
    (UNTIL_JAN, None, None, True, True),
    (UNTIL_JAN, None, D(2020, 1, 31), True, True),
    (UNTIL_JAN, D(2020, 1, 1), D(2020, 1, 31), True, False),
    (UNTIL_JAN, D(2020, 1, 21), None, False, False),
    (DAY, D(2020, 1, 13), D(2020, 1, 13), True, True),
    (DAY, D(2020, 1, 14), D(2020, 1, 14), False, False),
]


class TestOverlaps:
    @pytest.mark.parametrize(("bounds", "start", "end", "expected", "_within"), WINDOWS)
    def test_window_table(
        self,
        bounds: DateBounds,
        start: date | None,
        end: date | None,
        expected: bool,
        _within: bool,
    ) -> None:
        assert overlaps(bounds, start, end) is expected

    @PROPERTY
    @given(_event_bounds())
    def test_unbounded_window_meets_every_event(self, bounds: DateBounds) -> None:
        assert overlaps(bounds, None, None)

    @PROPERTY
    @given(_event_bounds(), st.dates())
    def test_event_containing_a_day_meets_that_day(self, bounds: DateBounds, day: date) -> None:
        contains = (bounds.lower is None or bounds.lower <= day) and (
            bounds.upper is None or day <= bounds.upper
        )
        assert overlaps(bounds, day, day) is contains


class TestWithin:
    @pytest.mark.parametrize(("bounds", "start", "end", "_overlaps", "expected"), WINDOWS)
    def test_window_table(
        self,
        bounds: DateBounds,
        start: date | None,
        end: date | None,
        _overlaps: bool,
        expected: bool,
    ) -> None:
        assert within(bounds, start, end) is expected

    @PROPERTY
    @given(_event_bounds(), st.none() | st.dates(), st.none() | st.dates())
    def test_within_implies_overlaps(
        self, bounds: DateBounds, start: date | None, end: date | None
    ) -> None:
        if within(bounds, start, end):
            assert overlaps(bounds, start, end)

    @PROPERTY
    @given(_event_bounds(), st.dates())
    def test_open_event_end_is_never_within_a_bounded_end(
        self, bounds: DateBounds, end: date
    ) -> None:
        open_end = dataclasses.replace(bounds, upper=None, precision="open")
        assert not within(open_end, None, end)


class TestDateBounds:
    def test_is_frozen(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            DAY.lower = None  # type: ignore[misc]

    def test_has_slots(self) -> None:
        assert not hasattr(DAY, "__dict__")
