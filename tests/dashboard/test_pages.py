"""Every dashboard page in both languages: direction, labels, and a clean load."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import LiveDashboard, Visit


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [("en", "ltr", "Timeline explorer"), ("ar", "rtl", "مستكشف الخط الزمني")],
)
def test_explorer_loads_the_demo_in_each_language(
    visit: Visit, lang: str, direction: str, heading: str
) -> None:
    page = visit.open(f"/?lang={lang}")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("h1").inner_text() == heading
    page.locator(".vis-item").first.wait_for()
    assert page.locator(".vis-item").count() >= 10  # the seed article's events
    visit.screenshot(f"explorer-{lang}")
    visit.assert_clean()


def test_language_is_remembered_after_the_switch(visit: Visit) -> None:
    page = visit.open("/?lang=ar")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    visit.open("/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_pages_carry_a_strict_content_security_policy(live: LiveDashboard) -> None:
    import httpx2 as httpx

    policy = httpx.get(f"{live.url}/").headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["style-src"] == "'self'"  # no <style> element
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
