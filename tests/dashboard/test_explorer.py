"""The timeline explorer in a real browser: the demo on a timeline, filtered through the URL,
zoomed, in lanes, counted in a chart, listed, exported, and wrong filters explained inline."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from app.formats.registry import EXPORTS
from tests.dashboard.conftest import LiveDashboard, Visit, texts

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Locator

ITEMS = "#timeline .vis-item:not(.vis-background)"
ROWS = ".event-list tbody tr"
CHART = "#count-chart svg.count-chart"
BARS = f"{CHART} g[aria-label='rect'] rect"


def _drawn(visit: Visit, path: str) -> None:
    page = visit.open(path)
    page.locator(ITEMS).first.wait_for()
    page.locator(BARS).first.wait_for()
    # vis covers the timeline until its first full draw, which may come after the items show
    page.locator("#timeline .vis-loading-screen").wait_for(state="detached")


def _box(element: Locator) -> FloatRect:
    box = element.bounding_box()
    assert box is not None
    return box


@pytest.mark.parametrize(
    ("lang", "legend", "month"),
    [("en", "Known day", "January"), ("ar", "يوم معروف", "يناير")],
)
def test_the_demo_on_a_timeline_a_chart_and_a_list(
    visit: Visit, lang: str, legend: str, month: str
) -> None:
    _drawn(visit, f"/?lang={lang}")
    page = visit.page
    rtl = lang == "ar"
    assert page.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr")
    assert (page.locator("#timeline .vis-timeline.vis-rtl").count() == 1) is rtl
    assert legend in texts(page, ".timeline-legend li")
    assert month in (page.locator("#timeline .vis-time-axis.vis-foreground").text_content() or "")
    assert page.locator("#timeline .vis-item.vis-background.era").count() >= 1  # the truce
    assert page.locator(BARS).count() >= 3
    assert page.locator("#count-chart style, style").count() == 0  # Plot's own, removed
    rows = page.locator(ROWS)
    assert rows.count() >= 10
    assert rows.first.locator("a").get_attribute("href", timeout=1000).startswith("/events/")  # type: ignore[union-attr]
    visit.screenshot(f"explorer-demo-{lang}")
    visit.assert_clean()


def test_uncertain_dates_are_drawn_unlike_known_days(visit: Visit) -> None:
    _drawn(visit, "/?lang=en")
    page = visit.page
    border = "(el) => getComputedStyle(el).borderTopStyle"
    uncertain = page.locator("#timeline .vis-item.uncertain")
    assert uncertain.count() >= 1
    assert uncertain.first.evaluate(border) == "dashed"
    assert page.locator("#timeline .vis-item.precise").count() >= 1
    assert page.locator("#timeline .vis-item.precise").first.evaluate(border) != "dashed"
    visit.assert_clean()


def test_a_filter_changes_the_url_and_a_reload_reproduces_it(visit: Visit) -> None:
    _drawn(visit, "/?lang=en")
    page = visit.page
    every_row = page.locator(ROWS).count()
    page.select_option("#filter-type", "negotiation.*")
    page.wait_for_url("**type=negotiation.**")
    # Fewer rows: the last of the unfiltered rows is gone (a locator wait; wait_for_function
    # evaluates a string, which the page's CSP refuses).
    page.locator(ROWS).nth(every_row - 1).wait_for(state="detached")
    page.locator(ITEMS).first.wait_for()
    filtered_rows = page.locator(ROWS).count()
    query = parse_qs(urlsplit(page.url).query)
    assert query["type"] == ["negotiation.*"]
    assert "from" not in query  # empty fields stay out of the shared URL
    negotiations = {
        "Talks held (direct or indirect)",
        "Third party mediates",
        "A plan or draft is tabled",
    }
    assert set(texts(page, f"{ROWS} td:nth-child(3)")) <= negotiations
    visit.screenshot("explorer-filtered-en")
    page.reload()
    page.locator(ITEMS).first.wait_for()
    assert page.locator(ROWS).count() == filtered_rows
    assert page.locator("#filter-type").input_value() == "negotiation.*"
    visit.assert_clean()


WINDOW = (
    "(() => { const w = document.getElementById('timeline').timeline.getWindow();"
    " return [w.start.toISOString(), w.end.toISOString()]; })()"
)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_timeline_opens_on_the_days_most_events_share(visit: Visit, lang: str) -> None:
    _drawn(visit, f"/?lang={lang}")
    page = visit.page
    # 14 of the demo's 16 events fall on 12-14 January; the motion in Ankara on the 2nd is a
    # drag away (it opened on 1-17 January, the Moscow talks squeezed into a corner).
    start, end = page.evaluate(WINDOW)
    assert "2020-01-11" <= start < "2020-01-12T00"
    assert end < "2020-01-19"
    # ... so most titles show whole, not cut at the timeline's edge.
    timeline = _box(page.locator("#timeline"))
    points = page.locator("#timeline .vis-item.vis-point").all()
    inside = [
        timeline["x"] <= box["x"] and box["x"] + box["width"] <= timeline["x"] + timeline["width"]
        for box in map(_box, points)
    ]
    assert len(inside) >= 10
    assert sum(inside) >= 0.75 * len(inside)
    visit.assert_clean()


def test_zooming_in_narrows_the_visible_window(visit: Visit) -> None:
    _drawn(visit, "/?lang=en")
    page = visit.page
    span = (
        "(() => { const w = document.getElementById('timeline').timeline.getWindow();"
        " return w.end - w.start; })()"
    )
    before = page.evaluate(span)
    page.evaluate("document.getElementById('timeline').timeline.zoomIn(0.6, {animation: false})")
    page.wait_for_timeout(200)
    assert page.evaluate(span) < before * 0.9
    visit.screenshot("explorer-zoomed-en")
    visit.assert_clean()


def test_many_lanes_scroll_inside_the_timeline(visit: Visit) -> None:
    _drawn(visit, "/?lang=en")
    page = visit.page
    viewport = page.viewport_size
    assert viewport is not None
    timeline = _box(page.locator("#timeline"))
    # 20 actor lanes: the timeline was 2,000 pixels tall, the chart and the list far below.
    assert timeline["height"] <= 0.75 * viewport["height"]
    last_lane = page.locator("#timeline .vis-label").last
    last_item = page.locator(ITEMS, has_text="Tripoli-based expert")
    assert _box(last_lane)["y"] > timeline["y"] + timeline["height"]
    assert last_item.count() == 0  # vis draws the items of the lanes in view only
    # The wheel over the timeline scrolls its lanes, not the page, until the last is in view.
    page.mouse.move(timeline["x"] + timeline["width"] / 2, timeline["y"] + timeline["height"] / 2)
    for _ in range(10):
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(100)
        if _box(last_lane)["y"] + _box(last_lane)["height"] <= timeline["y"] + timeline["height"]:
            break
    assert page.evaluate("window.scrollY") == 0
    assert _box(last_lane)["y"] >= timeline["y"]
    last_item.first.wait_for()
    visit.assert_clean()


def test_lanes_switch_to_event_types(visit: Visit) -> None:
    _drawn(visit, "/?lang=ar")
    page = visit.page
    page.select_option("#view-group_by", "type")
    page.wait_for_url("**group_by=type**")
    page.locator("#timeline .vis-label", has_text="إعلان هدنة").first.wait_for()
    visit.screenshot("explorer-lanes-by-type-ar")
    visit.assert_clean()


def test_the_chart_counts_per_week(visit: Visit) -> None:
    _drawn(visit, "/?lang=en&bucket=week")
    page = visit.page
    per_week = page.locator(BARS).count()
    _drawn(visit, "/?lang=en&bucket=day")
    assert page.locator(BARS).count() > per_week
    visit.assert_clean()


def _chart_texts(visit: Visit, axis: str) -> list[str]:
    """What the chart's axis reads, without the invisible bidi isolates around each text."""
    shown = visit.page.locator(f"{CHART} g[aria-label='{axis}'] text").all_text_contents()
    return [text.strip("\u2068\u2069") for text in shown]


# One bar for 13 January: Plot's own ticks fell every few hours and all said "Jan 13".
ONE_DAY = "from=2020-01-13&to=2020-01-13"


@pytest.mark.parametrize(
    ("query", "days"), [(ONE_DAY, ["Jan 13"]), ("", ["Jan 2", "Jan 12", "Jan 13", "Jan 14"])]
)
def test_the_chart_names_each_day_once(visit: Visit, query: str, days: list[str]) -> None:
    _drawn(visit, f"/?lang=en&{query}")
    ticks = _chart_texts(visit, "x-axis tick label")
    assert len(ticks) == len(set(ticks))
    assert set(days) <= set(ticks)
    assert ticks[0] == days[0]
    counts = _chart_texts(visit, "y-axis tick label")
    assert counts
    assert all(count.isdigit() for count in counts)  # no tick between two whole counts
    visit.assert_clean()


def test_the_arabic_chart_keeps_its_labels_inside(visit: Visit) -> None:
    _drawn(visit, "/?lang=ar")
    page = visit.page
    svg = _box(page.locator(CHART))
    assert "الوقائع" in _chart_texts(visit, "y-axis label")[0]
    labels = page.locator(f"{CHART} g[aria-label$='label'] text")  # axis names and ticks
    assert labels.count() >= 5
    for label in labels.all():
        box = _box(label)
        assert box["x"] >= svg["x"], label.text_content()
        assert box["x"] + box["width"] <= svg["x"] + svg["width"], label.text_content()
    # Time runs right to left: the earliest day is named at the right.
    days = page.locator(f"{CHART} g[aria-label='x-axis tick label'] text")
    assert _box(days.first)["x"] > _box(days.last)["x"]
    visit.assert_clean()


def test_export_links_carry_the_filters_and_answer(visit: Visit, live: LiveDashboard) -> None:
    import httpx2 as httpx

    _drawn(visit, "/?lang=ar&type=ceasefire.*&from=2020-01-01")
    links = visit.page.locator(".exports a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    formats = {parse_qs(urlsplit(href).query)["format"][0] for href in hrefs}
    assert formats == set(EXPORTS)
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        assert query["type"] == ["ceasefire.*"]
        assert query["from"] == ["2020-01-01"]
        assert query["lang"] == ["ar"]
        assert httpx.get(live.url + href).status_code == 200, href
    visit.assert_clean()


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("from=yesterday", "Input should be a day"),
        ("type=nonsense", "Unknown event type filter nonsense"),
        ("country=XX", "'XX' is not an ISO 3166-1 alpha-3 country code"),
    ],
)
def test_a_wrong_filter_is_explained_inline(visit: Visit, query: str, detail: str) -> None:
    page = visit.open(f"/?lang=en&{query}")
    message = page.get_by_role("alert")
    assert detail in message.inner_text()
    assert page.locator("form.filters").is_visible()  # to correct it
    assert page.locator("#timeline").count() == 0
    visit.screenshot(f"explorer-wrong-filter-{query.split('=')[0]}")
    visit.assert_clean()
