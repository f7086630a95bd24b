"""The ceasefire tracker on the demo truce of 12 January 2020: its lifecycle, one alleged
breach by the 9th Brigade, the stance ledger and the per-day chart; and the list of truces."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import LiveDashboard, Visit, api_event, as_editor, texts

TRUCE = "babdd9af-18ee-5232-88b0-d900f6535296"


@pytest.mark.parametrize(
    ("lang", "declared", "accused", "spanning"),
    [
        ("en", "Declared", "9th Brigade", "reported over several days"),
        ("ar", "أُعلنت", "اللواء التاسع", "على مدى عدة أيام"),
    ],
)
def test_the_demo_truce_tracker(
    visit: Visit, lang: str, declared: str, accused: str, spanning: str
) -> None:
    page = visit.open(f"/ceasefires/{TRUCE}?lang={lang}")
    phases = texts(page, ".lifecycle .phase")
    assert phases[0] == declared
    assert len(phases) >= 3  # declared, in effect, breached
    assert page.locator(".breach-total").inner_text() == "1"
    rows = page.locator("table.by-accused tbody tr")
    assert rows.count() == 1
    assert accused in rows.first.inner_text()
    assert rows.first.locator("td").nth(1).inner_text() == "1"
    assert spanning in page.locator(".spanning-note").inner_text()
    ledger = page.locator("table.stance-ledger")
    assert ledger.locator("tbody tr").count() >= 1
    assert ledger.locator(".outlet").count() >= 1
    # The demo's one breach spans three days, so the chart says no day holds one.
    assert page.locator(".island-status").inner_text() != ""
    visit.screenshot(f"tracker-{lang}")
    visit.assert_clean()


def test_a_signed_in_editor_sees_a_draft_breach_in_the_chart(
    visit: Visit, live: LiveDashboard
) -> None:
    api_event(
        live,
        {
            "when": "2020-01-13",
            "title": {"en": "Shelling south of Tripoli, reported by one outlet"},
            "processes": [{"process_id": TRUCE, "relation": "alleged_violation_of"}],
        },
    )
    as_editor(visit, live)
    page = visit.open(f"/ceasefires/{TRUCE}?lang=en")
    assert page.locator(".breach-total").inner_text() == "2"
    page.locator(".breach-chart svg").first.wait_for()
    assert page.locator(".breach-chart [aria-label]").count() >= 1
    visit.screenshot("tracker-signed-in-chart-en")
    visit.assert_clean()


def test_the_ceasefire_list_links_to_the_tracker(visit: Visit) -> None:
    page = visit.open("/ceasefires?lang=en")
    assert page.locator("nav a[aria-current='page']").inner_text() == "Ceasefires"
    page.locator(f"a[href='/ceasefires/{TRUCE}']").click()
    page.wait_for_load_state("networkidle")
    assert "Libya truce" in page.locator("h1").inner_text()
    visit.screenshot("ceasefires-en")
    visit.assert_clean()
