"""Hostile text renders as text on every dashboard page: no dialog, no injected element, no
CSP violation. Each page's change adds its page here."""

from __future__ import annotations

from tests.dashboard.conftest import HostileRecords, Visit, assert_no_injection


def test_explorer_shows_hostile_titles_as_text(visit: Visit, hostile: HostileRecords) -> None:
    page = visit.open("/?lang=en")
    page.locator(".vis-item", has_text="<script>").first.wait_for()
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert_no_injection(page)
    visit.screenshot("hostile-explorer")
    visit.assert_clean()
