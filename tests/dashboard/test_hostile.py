"""Hostile text renders as text on every dashboard page: no dialog, no injected element, no
CSP violation. Each page's change adds its page here."""

from __future__ import annotations

from tests.dashboard.conftest import (
    HOSTILE,
    HostileRecords,
    LiveDashboard,
    Visit,
    api_event,
    as_other_editor,
    assert_no_injection,
    edit_page,
    expect_document_status,
    save,
)


def test_explorer_shows_hostile_titles_as_text(visit: Visit, hostile: HostileRecords) -> None:
    page = visit.open("/?lang=en")
    # The lanes scroll inside the timeline: bring the hostile actor's lane into view, as a
    # reader would with the scroll bar beside the lane names (vis draws the lanes in view only).
    page.locator("#timeline .vis-label", has_text="<script>").scroll_into_view_if_needed()
    page.locator(".vis-item", has_text="<script>").first.wait_for()
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert_no_injection(page)
    # The list's cells wrap the long unbroken markup: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")
    visit.screenshot("hostile-explorer")
    visit.assert_clean()


def test_explorer_list_filters_and_chart_tips_show_hostile_text_as_text(
    visit: Visit, hostile: HostileRecords
) -> None:
    page = visit.open(f"/?lang=ar&type=ceasefire.breach&actor={hostile.actor_id}")
    page.locator(".event-list a", has_text="<script>").first.wait_for()
    assert page.locator("#filter-actor option", has_text="<script>").count() == 1
    page.locator("#count-chart svg.count-chart g[aria-label='rect'] rect").first.hover()
    page.wait_for_timeout(300)  # the tip is drawn, and any injected handler would have fired
    assert_no_injection(page)
    visit.screenshot("hostile-explorer-list")
    visit.assert_clean()


def test_event_page_shows_hostile_text_as_text(visit: Visit, hostile: HostileRecords) -> None:
    page = visit.open(f"/events/{hostile.event_id}?lang=en")
    assert "<script>" in page.locator("h1").inner_text()
    assert "<img" in page.locator("blockquote.quote").inner_text()
    page.locator(".event-map path.event-marker").wait_for()
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert_no_injection(page)
    visit.screenshot("hostile-event")
    visit.assert_clean()


def test_map_popup_shows_hostile_text_as_text(visit: Visit, hostile: HostileRecords) -> None:
    page = visit.open(f"/map?lang=en&actor={hostile.actor_id}")
    page.locator("#event-map path.event-point").first.click(force=True)
    page.locator(".leaflet-popup-content a", has_text="<script>").wait_for()
    assert "<img" in page.locator(".leaflet-popup-content .where").inner_text()
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert_no_injection(page)
    visit.screenshot("hostile-map")
    visit.assert_clean()


def test_actor_and_tracker_pages_show_hostile_text_as_text(
    visit: Visit, hostile: HostileRecords
) -> None:
    page = visit.open(f"/actors/{hostile.actor_id}?lang=en")
    assert "<script>" in page.locator("h1").inner_text()
    assert "<script>" in page.locator(".actor-timeline").inner_text()
    page.wait_for_timeout(300)
    assert_no_injection(page)
    visit.screenshot("hostile-actor")
    # The hostile breach is in the demo truce's area and period: a candidate to review.
    page = visit.open("/ceasefires/babdd9af-18ee-5232-88b0-d900f6535296?lang=en")
    page.locator("section[aria-labelledby='candidates-heading'] a", has_text="<script>").wait_for()
    page.wait_for_timeout(300)
    assert_no_injection(page)
    visit.screenshot("hostile-tracker")
    visit.assert_clean()


def test_the_editor_shows_hostile_text_as_text(
    visit: Visit, live: LiveDashboard, hostile: HostileRecords
) -> None:
    page = edit_page(visit, live, hostile.event_id)
    assert page.input_value("#title_en").startswith("<script>")
    assert page.locator("#participant_actor_1 option", has_text="<script>").count() == 1
    page.wait_for_timeout(300)
    assert_no_injection(page)
    visit.screenshot("hostile-editor")
    visit.assert_clean()


def test_the_editors_held_rows_and_their_conflict_show_hostile_text_as_text(
    visit: Visit, live: LiveDashboard, hostile: HostileRecords
) -> None:
    """A participant's note and a citation's quote are fields of their rows, and the conflict
    after a concurrent change puts both versions of the note side by side: text, every time."""
    event = api_event(
        live,
        {
            "title": {"en": HOSTILE},
            "participants": [{"actor_id": hostile.actor_id, "role": "accused", "note": HOSTILE}],
            "citations": [
                {"source_id": hostile.source_id, "quote": HOSTILE, "quote_language": "ar"}
            ],
        },
    )
    part, cite = event["participants"][0]["id"], event["citations"][0]["id"]
    page = edit_page(visit, live, event["id"])
    assert page.input_value(f"#participant_{part}_note") == HOSTILE
    assert page.input_value(f"#citation_{cite}_quote") == HOSTILE
    assert "<script>" in page.locator(f"#participant_{part}_name").inner_text()
    note = as_other_editor(live, "PATCH", f"{event['id']}/participants/{part}")
    assert note(json={"note": HOSTILE + " (2)"}).status_code == 200
    page.fill(f"#participant_{part}_note", HOSTILE + " (mine)")
    assert save(page) == 412
    assert HOSTILE + " (2)" in page.locator(".conflict-fields").inner_text()
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert_no_injection(page)
    visit.screenshot("hostile-editor-rows")
    expect_document_status(visit, "412 (Precondition Failed)")
    visit.assert_clean()
