"""The map page in a real browser: the demo's events as points on offline boundaries,
clustered, filtered like the explorer, with popups that link to the events."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import Visit

POINTS = "#event-map path.event-point"
CLUSTERS = "#event-map .marker-cluster"


def _drawn(visit: Visit, path: str) -> None:
    page = visit.open(path)
    page.locator("#event-map[data-ready]").wait_for(state="attached")
    page.locator(f"{POINTS}, {CLUSTERS}").first.wait_for()


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_the_demo_on_offline_boundaries_with_clusters(
    visit: Visit, lang: str, direction: str
) -> None:
    _drawn(visit, f"/map?lang={lang}")
    page = visit.page
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("#event-map .leaflet-overlay-pane path").count() > 100  # countries
    assert page.locator(CLUSTERS).count() >= 1  # Moscow's many events
    assert page.locator(f"{POINTS}").count() >= 1
    corner = "right" if direction == "rtl" else "left"
    assert page.locator(f".leaflet-top.leaflet-{corner} .leaflet-control-zoom").count() == 1
    assert page.locator("#event-map img.leaflet-tile").count() == 0  # no tile server
    visit.screenshot(f"map-{lang}")
    visit.assert_clean()


def test_a_point_opens_a_popup_linking_to_its_event(visit: Visit) -> None:
    _drawn(visit, "/map?lang=en")
    page = visit.page
    page.locator(POINTS).first.click(force=True)
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert (link.get_attribute("href") or "").startswith("/events/")
    page.wait_for_timeout(400)  # the popup fades in
    visit.screenshot("map-popup-en")
    visit.assert_clean()


def test_a_cluster_opens_into_its_points(visit: Visit) -> None:
    _drawn(visit, "/map?lang=en")
    page = visit.page
    before = page.locator(POINTS).count()
    page.locator(CLUSTERS).first.click()
    # More points than before: the one at index `before` appears (a locator wait, not
    # wait_for_function, which evaluates a string and so is refused by the page's CSP).
    page.locator(POINTS).nth(before).wait_for(state="attached")
    visit.assert_clean()


def test_filters_apply_on_the_map(visit: Visit) -> None:
    _drawn(visit, "/map?lang=en")
    page = visit.page
    page.select_option("#filter-country", "TUR")
    page.wait_for_url("**country=TUR**")
    page.locator(".island-status", has_text="have a place").wait_for()
    page.locator(POINTS).first.wait_for()
    assert page.locator(CLUSTERS).count() == 0  # Ankara alone
    assert page.locator(POINTS).count() == 1
    page.reload()
    page.locator(POINTS).first.wait_for()
    assert page.locator("#filter-country").input_value() == "TUR"
    visit.screenshot("map-filtered-en")
    visit.assert_clean()


def test_a_wrong_filter_is_explained_on_the_map(visit: Visit) -> None:
    page = visit.open("/map?lang=ar&from=yesterday")
    assert "Input should be a day" in page.get_by_role("alert").inner_text()
    assert page.locator("#event-map").count() == 0
    visit.assert_clean()
