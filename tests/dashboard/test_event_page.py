"""The event page: the demo breach in English and Arabic, with its claims, its uncertain date in
words, its place on the map and its history; unknown and unpublished events are a 404 page."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import (
    LiveDashboard,
    Visit,
    api_event,
    expect_document_status,
    texts,
)

BREACH = "b2a72f52-9d11-5760-891d-b72562b06ae6"  # the demo's breach of the truce


@pytest.mark.parametrize(
    ("lang", "title", "other_title", "when", "outlet"),
    [
        (
            "en",
            "Breaches of the truce since Sunday attributed to the 9th Brigade",
            "خروقات للهدنة منذ الأحد",
            "Between 12 and 14 January 2020 (exact day unknown)",
            "Anadolu",
        ),
        (
            "ar",
            "خروقات للهدنة منذ الأحد",
            "Breaches of the truce since Sunday",
            "بين 12 و14 يناير 2020 (اليوم غير معروف بالتحديد)",
            "الأناضول",
        ),
    ],
)
def test_the_demo_breach_shows_who_says_what_and_when(
    visit: Visit, lang: str, title: str, other_title: str, when: str, outlet: str
) -> None:
    page = visit.open(f"/events/{BREACH}?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    heading = page.locator("h1")
    assert title in heading.inner_text()
    assert heading.get_attribute("lang") == lang
    other = page.locator(".titles .other-language")
    assert other_title in other.inner_text()
    assert other.get_attribute("lang") == ("en" if lang == "ar" else "ar")
    assert page.locator(".when-words").inner_text() == when
    claim = page.locator(".claim").first
    assert outlet in claim.locator(".outlet").inner_text()
    quote = claim.locator("blockquote.quote")
    assert "اللواء التاسع ترهونة" in quote.inner_text()
    assert quote.get_attribute("lang") == "ar"
    assert "9th Brigade of Tarhuna" in claim.locator(".translation").inner_text()
    assert any("9th" in a or "التاسع" in a for a in texts(page, ".facts-list a[href^='/actors/']"))
    assert page.locator("a[href='/ceasefires/babdd9af-18ee-5232-88b0-d900f6535296']").count() == 1
    page.locator(".event-map path.event-marker").wait_for()
    assert page.locator(".event-map path.leaflet-interactive").count() >= 1
    assert page.locator(".history li").count() >= 1
    visit.screenshot(f"event-{lang}")
    visit.assert_clean()


def test_an_unknown_event_is_a_404_page_in_the_pages_language(
    visit: Visit, live: LiveDashboard
) -> None:
    import httpx2 as httpx

    missing = BREACH[:-1] + "7"
    for path in (f"/events/{missing}", "/events/not-an-id"):
        response = httpx.get(f"{live.url}{path}?lang=ar")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
    page = visit.open(f"/events/{missing}?lang=ar")
    assert page.locator("h1").inner_text() == "غير موجود"
    visit.screenshot("event-not-found-ar")
    expect_document_status(visit, "404 (Not Found)")
    visit.assert_clean()


def test_a_draft_is_404_to_readers_who_are_not_signed_in(visit: Visit, live: LiveDashboard) -> None:
    draft = api_event(
        live,
        {
            "type": "political.statement",
            "when": "2020-01-15",
            "title": {"en": "A draft no reader may see"},
        },
    )
    page = visit.open(f"/events/{draft['id']}?lang=en")
    assert page.locator("h1").inner_text() == "Not found"
    assert "A draft no reader may see" not in page.content()
    expect_document_status(visit, "404 (Not Found)")
    visit.assert_clean()
