"""The actor page: Haftar's names in both scripts and his aliases, each with its language, his
affiliations and his events, linking to their pages."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import Visit, texts

HAFTAR = "fb918745-a171-5504-9695-1cbe5a72e14f"
KANIYAT = "21b8af5b-cac0-5865-a91a-8aea0aac0ea6"


@pytest.mark.parametrize(("lang", "heading"), [("en", "Haftar"), ("ar", "حفتر")])
def test_haftar_has_his_names_in_every_script_and_his_events(
    visit: Visit, lang: str, heading: str
) -> None:
    page = visit.open(f"/actors/{HAFTAR}?lang={lang}")
    h1 = page.locator("h1")
    assert heading in h1.inner_text()
    assert h1.get_attribute("lang") == lang
    names = page.locator(".names-list [lang]")
    assert {names.nth(i).get_attribute("lang") for i in range(names.count())} >= {"ar", "en"}
    assert any("حفتر" in alias for alias in texts(page, ".aliases li"))
    events = page.locator(".actor-timeline a[href^='/events/']")
    assert events.count() >= 3  # the Moscow talks, his request for time, his departure
    visit.screenshot(f"actor-{lang}")
    events.first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".facts-list a[href='/actors/" + HAFTAR + "']").count() == 1
    visit.assert_clean()


def test_the_brigade_shows_its_affiliation_and_the_breach(visit: Visit) -> None:
    page = visit.open(f"/actors/{KANIYAT}?lang=en")
    assert page.locator(".affiliations a[href^='/actors/']").count() >= 1
    timeline = " ".join(texts(page, ".actor-timeline tbody tr"))
    assert "Breaches of the truce" in timeline
    assert "accused" in timeline
    visit.assert_clean()
